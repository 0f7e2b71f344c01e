package dev.roomtone.script.screenplay;

import dev.roomtone.script.screenplay.ScreenplayElement.Action;
import dev.roomtone.script.screenplay.ScreenplayElement.Centered;
import dev.roomtone.script.screenplay.ScreenplayElement.Character;
import dev.roomtone.script.screenplay.ScreenplayElement.Dialogue;
import dev.roomtone.script.screenplay.ScreenplayElement.Lyrics;
import dev.roomtone.script.screenplay.ScreenplayElement.Note;
import dev.roomtone.script.screenplay.ScreenplayElement.PageBreak;
import dev.roomtone.script.screenplay.ScreenplayElement.Parenthetical;
import dev.roomtone.script.screenplay.ScreenplayElement.SceneHeading;
import dev.roomtone.script.screenplay.ScreenplayElement.Section;
import dev.roomtone.script.screenplay.ScreenplayElement.Synopsis;
import dev.roomtone.script.screenplay.ScreenplayElement.Transition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fountain 1.1 (fountain.io/syntax) to a {@link Screenplay}. Line based and linear in the text;
 * it can start at any scene heading (see {@link ParsedScript}), because a heading always follows a
 * blank line and so nothing before it changes how it or anything after it reads.
 *
 * <p>Where the spec leaves a choice, Roomtone decides: a line shaped like a scene heading but with
 * no blank line after it is action (never a character cue); an unclosed boneyard {@code /*}
 * hides the rest of the text; a line of two or more spaces inside dialogue is an empty dialogue line.
 */
public final class FountainParser {

  static final Pattern HEADING = Pattern.compile("^(?:INT\\.?/EXT|INT/EXT|I/E|INT|EXT|EST)[. ]",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern SCENE_NUMBER = Pattern.compile("\\s*#([\\p{Alnum}.\\-]+)#$");
  private static final Pattern TITLE_KEY = Pattern.compile("^([A-Za-z][A-Za-z0-9 _-]*):(.*)$");
  private static final Pattern PAGE_BREAK = Pattern.compile("^={3,}$");

  private FountainParser() {
  }

  /** Parses a whole Fountain document. */
  public static Screenplay parse(String text) {
    return parseDocument(text).screenplay();
  }

  /** A full parse and where the body (after the title page) starts. */
  record Document(Screenplay screenplay, int titleEnd, boolean boneyard) {
  }

  static Document parseDocument(String text) {
    int[] boneyard = boneyards(text);
    Lines lines = new Lines(text, 0, boneyard);
    List<TitleField> title = new ArrayList<>();
    int first = parseTitlePage(lines, title);
    int titleEnd = first == 0 ? -1 : lines.get(first - 1).end;
    List<ScreenplayElement> elements = new ArrayList<>();
    parseBody(lines, first, elements, p -> false);
    return new Document(new Screenplay(title, elements), titleEnd, boneyard.length > 0);
  }

  /**
   * Parses the body from {@code start} (a line start after a blank line) until the text ends or
   * {@code stopAtHeading} accepts the start of a scene heading about to be added; returns that
   * start, or -1 when the text ended.
   */
  static int parseFrom(String text, int start, List<ScreenplayElement> out, IntPredicate stopAtHeading) {
    return parseBody(new Lines(text, start, new int[0]), 0, out, stopAtHeading);
  }

  // ---- boneyard

  /** Start/end pairs of every {@code /* ... *\/} span (end exclusive; an unclosed one runs to the end). */
  static int[] boneyards(String text) {
    int open = text.indexOf("/*");
    if (open < 0) {
      return new int[0];
    }
    List<Integer> spans = new ArrayList<>();
    while (open >= 0) {
      int close = text.indexOf("*/", open + 2);
      int end = close < 0 ? text.length() : close + 2;
      spans.add(open);
      spans.add(end);
      open = close < 0 ? -1 : text.indexOf("/*", end);
    }
    return spans.stream().mapToInt(Integer::intValue).toArray();
  }

  // ---- lines

  /** One line: its source span (without the line break), its text outside boneyards, whether only boneyard was on it. */
  record Line(int start, int end, String text, boolean hidden) {
    boolean blank() {
      return !hidden && text.isBlank();
    }
  }

  /** Lines read on demand from a start offset, so a parse of one scene reads only that scene. */
  static final class Lines {
    private final String text;
    private final int[] boneyard;
    private final List<Line> lines = new ArrayList<>();
    private int pos;
    private boolean done;

    Lines(String text, int start, int[] boneyard) {
      this.text = text;
      this.pos = start;
      this.boneyard = boneyard;
    }

    Line get(int i) {
      while (lines.size() <= i && !done) {
        readLine();
      }
      return i < lines.size() ? lines.get(i) : null;
    }

    private void readLine() {
      if (pos > text.length() || (pos == text.length() && !lines.isEmpty())) {
        done = true;
        return;
      }
      int nl = text.indexOf('\n', pos);
      int end = nl < 0 ? text.length() : nl;
      int contentEnd = end > pos && text.charAt(end - 1) == '\r' ? end - 1 : end;
      String s;
      boolean touched = false;
      if (boneyard.length == 0) {
        s = text.substring(pos, contentEnd);
      } else {
        StringBuilder b = new StringBuilder();
        for (int c = pos; c < contentEnd; c++) {
          if (inBoneyard(c)) {
            touched = true;
          } else {
            b.append(text.charAt(c));
          }
        }
        if (end < text.length() && inBoneyard(end)) {
          touched = true;
        }
        s = b.toString();
      }
      lines.add(new Line(pos, contentEnd, s, touched && s.isBlank()));
      pos = end + 1;
      if (nl < 0) {
        done = true;
      }
    }

    private boolean inBoneyard(int c) {
      // spans are sorted and disjoint: find the last one starting at or before c
      int lo = 0;
      int hi = boneyard.length / 2 - 1;
      int found = -1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        if (boneyard[2 * mid] <= c) {
          found = mid;
          lo = mid + 1;
        } else {
          hi = mid - 1;
        }
      }
      return found >= 0 && c < boneyard[2 * found + 1];
    }

    /** The next line after {@code i} that is not hidden by a boneyard. */
    Line nextVisible(int i) {
      for (int j = i + 1; ; j++) {
        Line l = get(j);
        if (l == null || !l.hidden()) {
          return l;
        }
      }
    }
  }

  // ---- title page

  private static int parseTitlePage(Lines lines, List<TitleField> out) {
    Line first = lines.get(0);
    if (first == null || first.hidden() || !TITLE_KEY.matcher(first.text()).matches()) {
      return 0;
    }
    String key = null;
    List<String> values = new ArrayList<>();
    int keyStart = 0;
    int keyEnd = 0;
    int i = 0;
    for (Line l = lines.get(i); l != null; l = lines.get(++i)) {
      if (l.hidden()) {
        continue;
      }
      if (l.blank()) {
        break;
      }
      Matcher m = TITLE_KEY.matcher(l.text());
      boolean indented = l.text().startsWith("   ") || l.text().startsWith("\t");
      if (!indented && m.matches()) {
        if (key != null) {
          out.add(new TitleField(key, values, new SourceRange(keyStart, keyEnd)));
        }
        key = m.group(1).trim();
        values = new ArrayList<>();
        keyStart = l.start();
        String inline = m.group(2).strip();
        if (!inline.isEmpty()) {
          values.add(inline);
        }
      } else {
        values.add(l.text().strip());
      }
      keyEnd = l.end();
    }
    out.add(new TitleField(key, values, new SourceRange(keyStart, keyEnd)));
    return i;
  }

  // ---- body

  private static int parseBody(Lines lines, int first, List<ScreenplayElement> out, IntPredicate stopAtHeading) {
    PendingAction pending = new PendingAction();
    boolean prevBlank = true;
    boolean prevAction = false;
    int i = first;
    for (Line l = lines.get(i); l != null; l = lines.get(i)) {
      if (l.hidden()) {
        i++;
        continue;
      }
      if (l.blank()) {
        prevBlank = true;
        prevAction = false;
        pending.close(out);
        i++;
        continue;
      }
      String t = l.text();
      String tt = t.strip();
      Line next = lines.nextVisible(i);
      boolean nextBlank = next == null || next.blank();
      SourceRange r = new SourceRange(l.start(), l.end());
      boolean action = false;
      int consumed = 1;
      boolean continuesAction = prevAction && !PAGE_BREAK.matcher(tt).matches() && "#=~>".indexOf(tt.charAt(0)) < 0;
      if (!continuesAction) {
        pending.close(out);
      }
      if (PAGE_BREAK.matcher(tt).matches()) {
        out.add(new PageBreak(r));
      } else if (tt.startsWith("#")) {
        int depth = 0;
        while (depth < tt.length() && tt.charAt(depth) == '#') {
          depth++;
        }
        out.add(new Section(tt.substring(depth).strip(), depth, r));
      } else if (tt.startsWith("=")) {
        out.add(new Synopsis(tt.substring(1).strip(), r));
      } else if (tt.startsWith("~")) {
        out.add(new Lyrics(tt.substring(1).strip(), r));
      } else if (tt.startsWith(">") && tt.endsWith("<") && tt.length() >= 2) {
        out.add(new Centered(tt.substring(1, tt.length() - 1).strip(), r));
      } else if (tt.startsWith(">")) {
        out.add(new Transition(tt.substring(1).strip(), r));
      } else if (prevBlank && tt.startsWith("[[") && (consumed = noteParagraph(lines, i, out)) > 0) {
        // a note that is a paragraph of its own
      } else if (prevBlank && tt.startsWith(".") && !tt.startsWith("..") && tt.length() > 1) {
        if (stopAtHeading.test(l.start())) {
          pending.close(out);
          return l.start();
        }
        out.add(heading(tt.substring(1).strip(), r));
      } else if (prevBlank && nextBlank && HEADING.matcher(tt).find()) {
        if (stopAtHeading.test(l.start())) {
          pending.close(out);
          return l.start();
        }
        out.add(heading(tt, r));
      } else if (prevBlank && nextBlank && isTransition(tt)) {
        out.add(new Transition(tt, r));
      } else if (prevBlank && !nextBlank && (tt.startsWith("@") || isCharacterCue(tt))) {
        out.add(character(tt, r));
        consumed = dialogueBlock(lines, i + 1, out) - i;
      } else {
        action = true;
        String line = tt.startsWith("!") ? t.substring(t.indexOf('!') + 1) : t.stripTrailing();
        if (prevAction) {
          pending.text.append('\n').append(line);
          pending.end = l.end();
        } else {
          pending.open(out, line, l.start(), l.end());
        }
      }
      if (consumed < 1) {
        consumed = 1;
      }
      prevBlank = false;
      prevAction = action;
      i += consumed;
    }
    pending.close(out);
    return -1;
  }

  /**
   * The action paragraph being read: its lines are gathered here and it becomes one element when
   * the paragraph ends, so a paragraph of many lines costs linear time.
   */
  private static final class PendingAction {
    final StringBuilder text = new StringBuilder();
    int start = -1;
    int end;

    void open(List<ScreenplayElement> out, String line, int s, int e) {
      close(out);
      text.setLength(0);
      text.append(line);
      start = s;
      end = e;
    }

    void close(List<ScreenplayElement> out) {
      if (start >= 0) {
        out.add(new Action(text.toString(), new SourceRange(start, end)));
        start = -1;
      }
    }
  }

  private static SceneHeading heading(String text, SourceRange r) {
    Matcher m = SCENE_NUMBER.matcher(text);
    if (m.find()) {
      return new SceneHeading(text.substring(0, m.start()).strip(), m.group(1), r);
    }
    return new SceneHeading(text, null, r);
  }

  static boolean isTransition(String tt) {
    return tt.endsWith("TO:") && tt.equals(tt.toUpperCase(Locale.ROOT));
  }

  /** An all-caps line (extensions in parentheses may be in any case) with a letter in it. */
  static boolean isCharacterCue(String tt) {
    String s = tt.endsWith("^") ? tt.substring(0, tt.length() - 1).strip() : tt;
    int paren = s.indexOf('(');
    String name = (paren < 0 ? s : s.substring(0, paren)).strip();
    if (name.isEmpty() || !name.equals(name.toUpperCase(Locale.ROOT)) || HEADING.matcher(s).find()
        || isTransition(s) || s.startsWith("!") || s.startsWith("[[")) {
      return false;
    }
    for (int k = 0; k < name.length(); k++) {
      if (java.lang.Character.isLetter(name.charAt(k))) {
        return true;
      }
    }
    return false;
  }

  private static Character character(String tt, SourceRange r) {
    String s = tt.startsWith("@") ? tt.substring(1) : tt;
    boolean dual = false;
    if (s.endsWith("^")) {
      dual = true;
      s = s.substring(0, s.length() - 1);
    }
    s = s.strip();
    int paren = s.indexOf('(');
    String name = (paren < 0 ? s : s.substring(0, paren)).strip();
    String ext = paren < 0 ? "" : s.substring(paren).strip();
    return new Character(name, ext, dual, r);
  }

  /** Parentheticals, dialogue and lyrics after a cue, until a blank line; returns the index after it. */
  private static int dialogueBlock(Lines lines, int i, List<ScreenplayElement> out) {
    boolean lastDialogue = false;
    StringBuilder speech = new StringBuilder();
    int speechStart = 0;
    int speechEnd = 0;
    for (Line l = lines.get(i); l != null; l = lines.get(++i)) {
      if (l.hidden()) {
        continue;
      }
      boolean spacer = l.text().length() >= 2 && l.text().isBlank();
      if (l.blank() && !spacer) {
        break;
      }
      if (spacer) {
        // two spaces: an intended empty line in the speech, if the speech goes on after it
        Line next = lines.nextVisible(i);
        if (next == null || next.blank() || !lastDialogue) {
          break;
        }
      }
      String tt = l.text().strip();
      SourceRange r = new SourceRange(l.start(), l.end());
      boolean paren = tt.startsWith("(") && tt.endsWith(")");
      if (lastDialogue && (paren || tt.startsWith("~"))) {
        out.add(new Dialogue(speech.toString(), new SourceRange(speechStart, speechEnd)));
      }
      if (paren) {
        out.add(new Parenthetical(tt, r));
        lastDialogue = false;
      } else if (tt.startsWith("~")) {
        out.add(new Lyrics(tt.substring(1).strip(), r));
        lastDialogue = false;
      } else if (lastDialogue) {
        speech.append('\n').append(tt);
        speechEnd = l.end();
      } else {
        speech.setLength(0);
        speech.append(tt);
        speechStart = l.start();
        speechEnd = l.end();
        lastDialogue = true;
        continue;
      }
    }
    if (lastDialogue) {
      out.add(new Dialogue(speech.toString(), new SourceRange(speechStart, speechEnd)));
    }
    return i;
  }

  /** A paragraph that is one note, {@code [[...]]}, possibly over several lines; 0 if it is not. */
  private static int noteParagraph(Lines lines, int i, List<ScreenplayElement> out) {
    StringBuilder b = new StringBuilder();
    int j = i;
    Line first = lines.get(i);
    for (Line l = first; l != null; l = lines.get(++j)) {
      if (l.hidden()) {
        continue;
      }
      if (l.blank()) {
        return 0;
      }
      if (!b.isEmpty()) {
        b.append('\n');
      }
      int searchFrom = Math.max(0, b.length() - 1);
      b.append(l.text().strip());
      int close = b.indexOf("]]", searchFrom);
      if (close >= 0) {
        Line next = lines.nextVisible(j);
        if (close != b.length() - 2 || b.indexOf("[[", 2) >= 0 || (next != null && !next.blank())) {
          return 0;
        }
        out.add(new Note(b.substring(2, b.length() - 2).strip(), new SourceRange(first.start(), l.end())));
        return j - i + 1;
      }
    }
    return 0;
  }
}
