package dev.roomtone.script.screenplay;

/**
 * Where an element sits in the Fountain source, in UTF-16 code units: the unit {@code YText}
 * indexes by, so a range maps straight onto the room's shared text. {@code end} is exclusive.
 */
public record SourceRange(int start, int end) {

  /** For elements made by other formats (FDX import), which have no Fountain source. */
  public static final SourceRange NONE = new SourceRange(0, 0);

  public SourceRange {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("bad range " + start + ".." + end);
    }
  }

  public int length() {
    return end - start;
  }

  public SourceRange shift(int delta) {
    return delta == 0 ? this : new SourceRange(start + delta, end + delta);
  }
}
