package dev.roomtone.script.screenplay.layout;

import java.util.List;

/**
 * What the paginator places: the rows of one element, or of a whole speech (cue, parentheticals,
 * dialogue), with the blank rows wanted before it when it does not start a page.
 */
public record Block(Type type, int spaceBefore, List<Row> rows, Part cue) {

  public enum Type {
    SCENE_HEADING, ACTION, SPEECH, DUAL_SPEECH, TRANSITION, CENTERED, LYRICS, PAGE_BREAK
  }

  public Block {
    rows = List.copyOf(rows);
  }

  public int height() {
    return rows.size();
  }
}
