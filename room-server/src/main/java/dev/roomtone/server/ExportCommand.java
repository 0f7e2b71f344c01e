package dev.roomtone.server;

import dev.roomtone.script.screenplay.Screenplay;
import dev.roomtone.script.screenplay.ScreenplayExporter;
import dev.roomtone.script.screenplay.ScreenplayImporter;
import dev.roomtone.script.screenplay.ScriptFormat;
import dev.roomtone.script.screenplay.ScriptFormatException;
import dev.roomtone.script.screenplay.layout.LayoutOptions;
import dev.roomtone.script.screenplay.layout.PageGrid;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code roomtone export}: a script file (Fountain or FDX) to PDF, FDX, Fountain or plain text. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionProvider.class,
    description = {
        "Export a screenplay (Fountain, or Final Draft .fdx) as pdf, fdx, fountain or txt.",
        "Exit codes: 0 written, 1 the input could not be read as a script (nothing written), 2 usage."
    })
final class ExportCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "Output format: pdf, fdx, fountain or txt (default: from OUT's extension).")
  private String format;

  @Option(names = "--from", paramLabel = "FORMAT",
      description = "Input format: fountain or fdx (default: from IN's extension; fountain if unknown).")
  private String from;

  @Option(names = "--paper", paramLabel = "SIZE", defaultValue = "letter",
      description = "Paper for pdf and txt: letter or a4 (default: ${DEFAULT-VALUE}).")
  private String paper;

  @Option(names = "--scene-numbers", description = "Print scene numbers on both sides of scene headings.")
  private boolean sceneNumbers;

  @Option(names = "--no-title-page", description = "Leave the title page out.")
  private boolean noTitlePage;

  @Parameters(index = "0", paramLabel = "IN", description = "The script to export.")
  private Path in;

  @Parameters(index = "1", paramLabel = "OUT", description = "The file to write.")
  private Path out;

  @Override
  public Integer call() throws Exception {
    ScriptFormat to = ScriptFiles.format(spec, format, out, "output");
    ScriptFormat source = from != null ? ScriptFiles.format(spec, from, in, "input")
        : ScriptFormat.ofFileName(in.getFileName().toString()).filter(ScriptFormat::importable).orElse(ScriptFormat.FOUNTAIN);
    if (!source.importable()) {
      throw new ParameterException(spec.commandLine(), "cannot read " + source.extension() + ": use fountain or fdx");
    }
    PageGrid grid = switch (paper.toLowerCase(java.util.Locale.ROOT)) {
      case "letter" -> PageGrid.LETTER;
      case "a4" -> PageGrid.A4;
      default -> throw new ParameterException(spec.commandLine(), "unknown paper '" + paper + "': use letter or a4");
    };
    try {
      byte[] bytes = ScriptFiles.read(spec, in);
      Screenplay s = ScreenplayImporter.read(bytes, source);
      byte[] result = new ScreenplayExporter(new LayoutOptions(grid, sceneNumbers, !noTitlePage)).export(s, to);
      ScriptFiles.write(out, result);
      spec.commandLine().getErr().printf("Wrote %s (%s, %,d bytes).%n", out, to.extension(), result.length);
      spec.commandLine().getErr().flush();
      return 0;
    } catch (ScriptFormatException e) {
      return ScriptFiles.refuse(spec.commandLine(), in, e);
    }
  }
}
