package dev.roomtone.script.screenplay;

/**
 * One element of a screenplay, one record per kind. Texts are raw Fountain inline text: they
 * keep emphasis marks, escapes and inline notes ({@link InlineText} reads them), but not the
 * marks that force an element's kind.
 */
public sealed interface ScreenplayElement {

  SourceRange range();

  /** The same element at another place (or {@link SourceRange#NONE}). */
  ScreenplayElement withRange(SourceRange range);

  default ScreenplayElement shifted(int delta) {
    return delta == 0 ? this : withRange(range().shift(delta));
  }

  /**
   * Whether {@code next} starts on the line after {@code prev} ends (no blank line between), as
   * lyrics inside a speech do; elements without a source (imported) count as adjacent.
   */
  static boolean adjacent(ScreenplayElement prev, ScreenplayElement next) {
    if (prev.range().equals(SourceRange.NONE) || next.range().equals(SourceRange.NONE)) {
      return true;
    }
    // one line break between them; "\n\n" (a blank line) and "\r\n" both measure 2, so a
    // Windows-style file reads lyrics after a speech as lyrics of their own
    return next.range().start() - prev.range().end() == 1;
  }

  /** The element's text as the reader sees it, before inline markup is applied. */
  String text();

  /** {@code INT. HOUSE - DAY}, with an optional scene number written {@code #12A#}. */
  record SceneHeading(String text, String sceneNumber, SourceRange range) implements ScreenplayElement {
    public SceneHeading withRange(SourceRange r) {
      return new SceneHeading(text, sceneNumber, r);
    }
  }

  /** A paragraph of action; lines are kept ({@code \n}). */
  record Action(String text, SourceRange range) implements ScreenplayElement {
    public Action withRange(SourceRange r) {
      return new Action(text, r);
    }
  }

  /** A character cue: the name, its extension such as {@code (V.O.)}, and whether it is the right side of dual dialogue. */
  record Character(String name, String extension, boolean dual, SourceRange range) implements ScreenplayElement {
    public Character withRange(SourceRange r) {
      return new Character(name, extension, dual, r);
    }

    public String text() {
      return extension.isEmpty() ? name : name + " " + extension;
    }
  }

  record Parenthetical(String text, SourceRange range) implements ScreenplayElement {
    public Parenthetical withRange(SourceRange r) {
      return new Parenthetical(text, r);
    }
  }

  /** Lines of speech; lines are kept ({@code \n}). */
  record Dialogue(String text, SourceRange range) implements ScreenplayElement {
    public Dialogue withRange(SourceRange r) {
      return new Dialogue(text, r);
    }
  }

  record Lyrics(String text, SourceRange range) implements ScreenplayElement {
    public Lyrics withRange(SourceRange r) {
      return new Lyrics(text, r);
    }
  }

  record Transition(String text, SourceRange range) implements ScreenplayElement {
    public Transition withRange(SourceRange r) {
      return new Transition(text, r);
    }
  }

  record Centered(String text, SourceRange range) implements ScreenplayElement {
    public Centered withRange(SourceRange r) {
      return new Centered(text, r);
    }
  }

  record PageBreak(SourceRange range) implements ScreenplayElement {
    public PageBreak withRange(SourceRange r) {
      return new PageBreak(r);
    }

    public String text() {
      return "";
    }
  }

  /** An outline section ({@code #}, {@code ##}, ...); not printed. */
  record Section(String text, int depth, SourceRange range) implements ScreenplayElement {
    public Section withRange(SourceRange r) {
      return new Section(text, depth, r);
    }
  }

  /** A synopsis ({@code = ...}); not printed. */
  record Synopsis(String text, SourceRange range) implements ScreenplayElement {
    public Synopsis withRange(SourceRange r) {
      return new Synopsis(text, r);
    }
  }

  /** A note that is a paragraph of its own ({@code [[ ... ]]}); not printed. */
  record Note(String text, SourceRange range) implements ScreenplayElement {
    public Note withRange(SourceRange r) {
      return new Note(text, r);
    }
  }
}
