package dev.roomtone.script.screenplay.layout;

/**
 * A page in the industry screenplay layout: Courier 12 pt, 10 characters per inch, 6 lines per
 * inch, 1.5" left margin, 1" right margin, 1" top margin and 55 lines of text on US Letter
 * (59 on A4). Positions are in inches from the left page edge; rows count from the first text line.
 */
public record PageGrid(String name, double widthInches, double heightInches) {

  public static final PageGrid LETTER = new PageGrid("Letter", 8.5, 11.0);
  public static final PageGrid A4 = new PageGrid("A4", 210 / 25.4, 297 / 25.4);

  public static final double LEFT = 1.5;
  public static final double TOP = 1.0;
  public static final double BOTTOM = 10.0 / 12.0;
  public static final double CHAR_WIDTH = 0.1;
  public static final double LINE_HEIGHT = 1.0 / 6.0;
  public static final double FONT_SIZE_PT = 12;

  /** The right edge of the text column: 1" from the page edge. */
  public double right() {
    return widthInches - 1.0;
  }

  /** Characters in a full-width line (action, scene heading). */
  public int fullWidthChars() {
    return (int) Math.floor((right() - LEFT) / CHAR_WIDTH + 1e-9);
  }

  public int linesPerPage() {
    return (int) Math.floor((heightInches - TOP - BOTTOM) / LINE_HEIGHT + 1e-9);
  }

  /** Baseline of a row, in inches from the top edge (the text sits in the row's cell). */
  public double baselineFromTop(int row) {
    return TOP + row * LINE_HEIGHT + 0.125;
  }

  // Standard indents (inches from the left page edge) and widths (characters).
  public static final double CHARACTER_X = 3.7;
  public static final double DIALOGUE_X = 2.5;
  public static final int DIALOGUE_CHARS = 35;
  public static final double PARENTHETICAL_X = 3.1;
  public static final int PARENTHETICAL_CHARS = 25;
  public static final double SCENE_NUMBER_LEFT_X = 0.75;

  public double sceneNumberRightX() {
    return right() + 0.3;
  }
}
