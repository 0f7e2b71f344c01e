package dev.roomtone.script.screenplay;

import dev.roomtone.script.screenplay.fdx.FdxReader;

/** Fountain or FDX bytes in, a {@link Screenplay} (or its Fountain) out; other input is refused clearly. */
public final class ScreenplayImporter {

  private ScreenplayImporter() {
  }

  public static Screenplay read(byte[] input, ScriptFormat format) throws ScriptFormatException {
    ScriptBytes.checkSize(input.length);
    return switch (format) {
      case FOUNTAIN -> FountainParser.parse(ScriptBytes.utf8Text(input));
      case FDX -> FdxReader.read(input);
      case PDF, TXT -> throw new ScriptFormatException("cannot import " + format.extension()
          + ": a script comes in as Fountain or Final Draft (.fdx)");
    };
  }

  /** The input as Fountain text, the form a room's script is kept in. */
  public static String toFountain(byte[] input, ScriptFormat format) throws ScriptFormatException {
    if (format == ScriptFormat.FOUNTAIN) {
      // keep the writer's own text (spacing, boneyard, notes) rather than a rewrite
      return ScriptBytes.utf8Text(input);
    }
    return FountainWriter.write(read(input, format));
  }
}
