package dev.roomtone.script.screenplay.layout;

import dev.roomtone.script.screenplay.TextRun;
import java.util.List;

/** Text placed on a row: styled runs starting {@code x} inches from the left page edge. */
public record Part(List<TextRun> runs, double x, Kind kind) {

  /** What a part is, for styling and for tests that check where each kind sits. */
  public enum Kind {
    SCENE_HEADING, ACTION, CHARACTER, PARENTHETICAL, DIALOGUE, LYRICS, TRANSITION, CENTERED, MORE, SCENE_NUMBER,
    PAGE_NUMBER, TITLE
  }

  public Part {
    runs = List.copyOf(runs);
  }

  public String text() {
    StringBuilder b = new StringBuilder();
    for (TextRun r : runs) {
      b.append(r.text());
    }
    return b.toString();
  }

  public int length() {
    int n = 0;
    for (TextRun r : runs) {
      n += r.text().length();
    }
    return n;
  }
}
