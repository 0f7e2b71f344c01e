package dev.roomtone.script.screenplay;

import dev.roomtone.script.screenplay.ScreenplayElement.SceneHeading;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fountain text with its parse, updated edit by edit. An edit re-parses from the last scene
 * heading at or before it, and stops at the first scene heading past the edit that the old parse
 * also had: from there text and parser state are the same as before, so the old elements are
 * reused, shifted by the edit's change in length. Immutable.
 */
public final class ParsedScript {

  private final String text;
  private final Screenplay screenplay;
  private final int titleEnd;
  private final boolean boneyard;
  private int[] starts;

  private ParsedScript(String text, Screenplay screenplay, int titleEnd, boolean boneyard) {
    this.text = text;
    this.screenplay = screenplay;
    this.titleEnd = titleEnd;
    this.boneyard = boneyard;
  }

  public static ParsedScript parse(String text) {
    FountainParser.Document d = FountainParser.parseDocument(text);
    return new ParsedScript(text, d.screenplay(), d.titleEnd(), d.boneyard());
  }

  public String text() {
    return text;
  }

  public Screenplay screenplay() {
    return screenplay;
  }

  /**
   * The script after replacing {@code removed} UTF-16 units at {@code from} with {@code inserted}.
   */
  public ParsedScript edit(int from, int removed, String inserted) {
    if (from < 0 || removed < 0 || from + removed > text.length()) {
      throw new IndexOutOfBoundsException("edit " + from + "+" + removed + " outside 0.." + text.length());
    }
    String next = text.substring(0, from) + inserted + text.substring(from + removed);
    // A boneyard can hide any span, and the title page is read before the body: both re-parse fully.
    if (boneyard || opensBoneyard(next, from, inserted.length()) || from <= titleEnd + 1) {
      return parse(next);
    }
    List<ScreenplayElement> old = screenplay.elements();
    int restart = lastHeadingAtOrBefore(from);
    if (restart < 0 || old.get(restart).range().start() == 0) {
      return parse(next);
    }
    int delta = inserted.length() - removed;
    int editEndNew = from + inserted.length();
    int[] oldStarts = starts();
    List<ScreenplayElement> fresh = new ArrayList<>();
    int[] resumeAt = {-1};
    int stop = FountainParser.parseFrom(next, old.get(restart).range().start(), fresh, p -> {
      if (p < editEndNew) {
        return false;
      }
      int k = Arrays.binarySearch(oldStarts, p - delta);
      while (k > 0 && oldStarts[k - 1] == p - delta) {
        k--;
      }
      if (k >= 0 && old.get(k) instanceof SceneHeading) {
        resumeAt[0] = k;
        return true;
      }
      return false;
    });
    List<ScreenplayElement> elements = new ArrayList<>(old.size() + fresh.size());
    elements.addAll(old.subList(0, restart));
    elements.addAll(fresh);
    if (stop >= 0) {
      for (int k = resumeAt[0]; k < old.size(); k++) {
        elements.add(old.get(k).shifted(delta));
      }
    }
    // The title page is untouched (the edit is past it) and keeps its ranges.
    return new ParsedScript(next, new Screenplay(screenplay.titlePage(), elements), titleEnd, false);
  }

  /** Whether the edited span (and a character either side) now holds a {@code /*}. */
  private static boolean opensBoneyard(String next, int from, int length) {
    int lo = Math.max(0, from - 1);
    int hi = Math.min(next.length(), from + length + 1);
    for (int i = lo; i + 1 < hi; i++) {
      if (next.charAt(i) == '/' && next.charAt(i + 1) == '*') {
        return true;
      }
    }
    return false;
  }

  private int lastHeadingAtOrBefore(int from) {
    int[] s = starts();
    int k = Arrays.binarySearch(s, from);
    int i = k >= 0 ? k : -k - 2;
    while (i + 1 < s.length && s[i + 1] <= from) {
      i++;
    }
    List<ScreenplayElement> els = screenplay.elements();
    for (; i >= 0; i--) {
      if (els.get(i) instanceof SceneHeading) {
        return i;
      }
    }
    return -1;
  }

  private int[] starts() {
    if (starts == null) {
      List<ScreenplayElement> els = screenplay.elements();
      int[] s = new int[els.size()];
      for (int i = 0; i < s.length; i++) {
        s[i] = els.get(i).range().start();
      }
      starts = s;
    }
    return starts;
  }
}
