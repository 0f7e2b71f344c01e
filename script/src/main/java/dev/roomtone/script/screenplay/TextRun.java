package dev.roomtone.script.screenplay;

/** A stretch of text in one style. */
public record TextRun(String text, boolean bold, boolean italic, boolean underline) {

  public static TextRun plain(String text) {
    return new TextRun(text, false, false, false);
  }

  public boolean sameStyle(TextRun o) {
    return bold == o.bold && italic == o.italic && underline == o.underline;
  }
}
