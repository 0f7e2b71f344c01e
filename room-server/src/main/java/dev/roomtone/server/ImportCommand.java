package dev.roomtone.server;

import dev.roomtone.script.screenplay.ScreenplayImporter;
import dev.roomtone.script.screenplay.ScriptFormat;
import dev.roomtone.script.screenplay.ScriptFormatException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code roomtone import}: a Final Draft or Fountain file to the Fountain a room keeps its script in. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionProvider.class,
    description = {
        "Import a screenplay (Final Draft .fdx or Fountain) as Fountain, the form a room keeps it in.",
        "Exit codes: 0 written, 1 the input could not be read as a script (nothing written), 2 usage."
    })
final class ImportCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Option(names = "--format", paramLabel = "FORMAT", description = "Input format: fdx or fountain (default: from IN's extension).")
  private String format;

  @Parameters(index = "0", paramLabel = "IN", description = "The script to import.")
  private Path in;

  @Parameters(index = "1", paramLabel = "OUT", description = "The Fountain file to write.")
  private Path out;

  @Override
  public Integer call() throws Exception {
    ScriptFormat source = ScriptFiles.format(spec, format, in, "input");
    if (!source.importable()) {
      throw new ParameterException(spec.commandLine(), "cannot import " + source.extension() + ": use fdx or fountain");
    }
    try {
      byte[] bytes = ScriptFiles.read(spec, in);
      String fountain = ScreenplayImporter.toFountain(bytes, source);
      byte[] result = fountain.getBytes(StandardCharsets.UTF_8);
      ScriptFiles.write(out, result);
      spec.commandLine().getErr().printf("Wrote %s (fountain, %,d bytes).%n", out, result.length);
      spec.commandLine().getErr().flush();
      return 0;
    } catch (ScriptFormatException e) {
      return ScriptFiles.refuse(spec.commandLine(), in, e);
    }
  }
}
