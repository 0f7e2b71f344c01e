package dev.roomtone.script.screenplay;

import dev.roomtone.script.screenplay.fdx.FdxWriter;
import dev.roomtone.script.screenplay.layout.LayoutOptions;
import dev.roomtone.script.screenplay.layout.Paginator;
import dev.roomtone.script.screenplay.layout.PlainTextExporter;
import dev.roomtone.script.screenplay.pdf.PdfExporter;
import java.nio.charset.StandardCharsets;

/** Fountain in, any {@link ScriptFormat} out, bytes to bytes. */
public final class ScreenplayExporter {

  private final LayoutOptions options;

  public ScreenplayExporter(LayoutOptions options) {
    this.options = options;
  }

  public ScreenplayExporter() {
    this(LayoutOptions.DEFAULT);
  }

  /** Exports Fountain source (UTF-8) as {@code format}. */
  public byte[] export(byte[] fountain, ScriptFormat format) throws ScriptFormatException {
    return export(FountainParser.parse(ScriptBytes.utf8Text(fountain)), format);
  }

  public byte[] export(Screenplay s, ScriptFormat format) {
    return switch (format) {
      case FOUNTAIN -> FountainWriter.write(s).getBytes(StandardCharsets.UTF_8);
      case FDX -> FdxWriter.write(s).getBytes(StandardCharsets.UTF_8);
      case PDF -> new PdfExporter(options).export(s).pdf();
      case TXT -> PlainTextExporter.write(new Paginator(options).paginate(s)).getBytes(StandardCharsets.UTF_8);
    };
  }
}
