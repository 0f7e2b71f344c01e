package dev.roomtone.script.screenplay.layout;

import dev.roomtone.script.screenplay.TextRun;
import java.util.ArrayList;
import java.util.List;

/** Word wrap of styled text to a width in characters; {@code \n} is a hard break. */
final class Wrap {

  private Wrap() {
  }

  static List<List<TextRun>> wrap(List<TextRun> runs, int width) {
    // Flatten to characters with their run, wrap the plain text, then cut the runs to the lines.
    StringBuilder plain = new StringBuilder();
    List<TextRun> styleOf = new ArrayList<>();
    for (TextRun r : runs) {
      String t = r.text().replace('\t', ' ');
      for (int i = 0; i < t.length(); i++) {
        plain.append(t.charAt(i));
        styleOf.add(r);
      }
    }
    List<List<TextRun>> lines = new ArrayList<>();
    int n = plain.length();
    int start = 0;
    while (start <= n) {
      int hard = plain.indexOf("\n", start);
      int paraEnd = hard < 0 ? n : hard;
      int s = start;
      do {
        int end = Math.min(paraEnd, s + width);
        if (end < paraEnd) {
          // only look back within this line: a long unbroken word must not rescan what came before
          int space = end;
          while (space > s && plain.charAt(space) != ' ') {
            space--;
          }
          if (space > s) {
            end = space;
          }
        }
        lines.add(cut(plain, styleOf, s, trimEnd(plain, s, end)));
        s = end;
        while (s < paraEnd && plain.charAt(s) == ' ') {
          s++;
        }
      } while (s < paraEnd);
      if (hard < 0) {
        break;
      }
      start = hard + 1;
    }
    return lines;
  }

  private static int trimEnd(CharSequence plain, int s, int end) {
    while (end > s && plain.charAt(end - 1) == ' ') {
      end--;
    }
    return end;
  }

  private static List<TextRun> cut(CharSequence plain, List<TextRun> styleOf, int s, int e) {
    List<TextRun> out = new ArrayList<>();
    int i = s;
    while (i < e) {
      TextRun style = styleOf.get(i);
      int j = i;
      while (j < e && styleOf.get(j).sameStyle(style)) {
        j++;
      }
      out.add(new TextRun(plain.subSequence(i, j).toString(), style.bold(), style.italic(), style.underline()));
      i = j;
    }
    return out;
  }
}
