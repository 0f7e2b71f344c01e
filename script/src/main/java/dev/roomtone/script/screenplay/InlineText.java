package dev.roomtone.script.screenplay;

import java.util.ArrayList;
import java.util.List;

/**
 * Fountain inline markup: {@code *italic*}, {@code **bold**}, {@code ***bold italic***},
 * {@code _underline_}, backslash escapes of {@code * _ \}, and inline notes {@code [[...]]}
 * (dropped from printed text). A mark without a closing partner later in the text is literal.
 */
public final class InlineText {

  private InlineText() {
  }

  /** The styled runs of {@code raw}, notes dropped. */
  public static List<TextRun> runs(String raw) {
    return runs(raw, false);
  }

  /** The styled runs; with {@code keepNotes} inline notes stay as literal {@code [[...]]} text. */
  public static List<TextRun> runs(String raw, boolean keepNotes) {
    List<TextRun> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean bold = false;
    boolean italic = false;
    boolean underline = false;
    int n = raw.length();
    int noteClose = Integer.MIN_VALUE;
    // per mark ("_", "*", "**", "***"): a position from which no closing mark was found on its line
    int[][] memo = {{-1, -1, -1}, {-1, -1, -1}, {-1, -1, -1}, {-1, -1, -1}};
    for (int i = 0; i < n; ) {
      char c = raw.charAt(i);
      if (c == '\\' && i + 1 < n && "*_\\".indexOf(raw.charAt(i + 1)) >= 0) {
        cur.append(raw.charAt(i + 1));
        i += 2;
      } else if (c == '[' && raw.startsWith("[[", i) && (noteClose = noteClose(raw, i + 2, noteClose)) >= 0) {
        int close = noteClose + 2;
        if (keepNotes) {
          cur.append(raw, i, close);
        }
        i = close;
      } else if (c == '*' || c == '_') {
        int len = 1;
        if (c == '*') {
          while (len < 3 && i + len < n && raw.charAt(i + len) == '*') {
            len++;
          }
        }
        String mark = raw.substring(i, i + len);
        boolean open = switch (mark) {
          case "_" -> underline;
          case "*" -> italic;
          case "**" -> bold;
          default -> bold && italic;
        };
        int slot = c == '_' ? 0 : len;
        boolean opens = i + len < n && !Character.isWhitespace(raw.charAt(i + len))
            && closesCached(raw, i + len, mark, memo, slot);
        boolean closing = open && i > 0 && !Character.isWhitespace(raw.charAt(i - 1));
        if (!opens && !closing) {
          cur.append(mark);
          i += len;
          continue;
        }
        flush(out, cur, bold, italic, underline);
        switch (mark) {
          case "_" -> underline = !underline;
          case "*" -> italic = !italic;
          case "**" -> bold = !bold;
          default -> {
            boolean on = !(bold && italic);
            bold = on;
            italic = on;
          }
        }
        i += len;
      } else {
        cur.append(c);
        i++;
      }
    }
    flush(out, cur, bold, italic, underline);
    return out;
  }

  /**
   * The {@code ]]} closing a note opened before {@code from}, reusing the last answer: searching
   * again from every {@code [[} would cost quadratic time on text full of them.
   */
  private static int noteClose(String raw, int from, int last) {
    if (last == -1 || last >= from) {
      return last;
    }
    return raw.indexOf("]]", from);
  }

  /**
   * {@link #closes} with memory. Having found no closing mark from some position, none exists from
   * any later position on that line; having found one at {@code c}, it closes any opening before
   * {@code c}. So a line of thousands of marks stays linear.
   */
  private static boolean closesCached(String raw, int from, String mark, int[][] memo, int slot) {
    int[] m = memo[slot];
    if (m[0] >= 0 && from >= m[0] && from <= m[1]) {
      return false;
    }
    if (m[2] > from) {
      return true;
    }
    int r = closes(raw, from, mark);
    if (r < 0) {
      m[0] = from;
      m[1] = -r - 1;
      return false;
    }
    m[2] = r;
    return true;
  }

  /**
   * Where {@code mark} appears again, unescaped and after a non-space, on the same line after
   * {@code from}; else {@code -(lineEnd) - 1}.
   */
  private static int closes(String raw, int from, String mark) {
    for (int i = from; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '\n') {
        return -i - 1;
      }
      if (c == '\\') {
        i++;
        continue;
      }
      if (raw.startsWith(mark, i) && (mark.charAt(0) == '_' || !raw.startsWith(mark + "*", i))
          && (i == 0 || raw.charAt(i - 1) != '*' || mark.equals("_")) && i > from
          && !Character.isWhitespace(raw.charAt(i - 1))) {
        return i;
      }
    }
    return -raw.length() - 1;
  }

  private static void flush(List<TextRun> out, StringBuilder cur, boolean b, boolean i, boolean u) {
    if (!cur.isEmpty()) {
      TextRun run = new TextRun(cur.toString(), b, i, u);
      if (!out.isEmpty() && out.get(out.size() - 1).sameStyle(run)) {
        TextRun last = out.remove(out.size() - 1);
        run = new TextRun(last.text() + run.text(), b, i, u);
      }
      out.add(run);
      cur.setLength(0);
    }
  }

  /** The text without markup or notes. */
  public static String plain(String raw) {
    StringBuilder b = new StringBuilder();
    for (TextRun r : runs(raw)) {
      b.append(r.text());
    }
    return b.toString();
  }

  /** Escapes Fountain's inline marks in plain text. */
  public static String escape(String plain) {
    StringBuilder b = new StringBuilder(plain.length());
    for (int i = 0; i < plain.length(); i++) {
      char c = plain.charAt(i);
      if (c == '*' || c == '_' || c == '\\') {
        b.append('\\');
      }
      b.append(c);
    }
    return b.toString();
  }

  /** Fountain inline text for styled runs; reads back as the same runs. */
  public static String toFountain(List<TextRun> runs) {
    StringBuilder b = new StringBuilder();
    for (TextRun r : runs) {
      String[] lines = r.text().split("\n", -1);
      for (int k = 0; k < lines.length; k++) {
        if (k > 0) {
          b.append('\n');
        }
        // marks must open and close on one line: styles are re-opened on every line
        if (lines[k].isEmpty()) {
          continue;
        }
        String open = (r.underline() ? "_" : "") + (r.bold() && r.italic() ? "***" : r.bold() ? "**" : r.italic() ? "*" : "");
        String close = new StringBuilder(open).reverse().toString();
        b.append(open).append(escapeNotesKept(lines[k])).append(close);
      }
    }
    return b.toString();
  }

  private static String escapeNotesKept(String s) {
    return escape(s);
  }
}
