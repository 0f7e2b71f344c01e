package dev.roomtone.server;

import dev.roomtone.script.screenplay.ScriptBytes;
import dev.roomtone.script.screenplay.ScriptFormat;
import dev.roomtone.script.screenplay.ScriptFormatException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** What {@code export} and {@code import} share: reading input safely, writing output all or nothing. */
final class ScriptFiles {

  private ScriptFiles() {
  }

  /** The format named by an option, or by the file's extension; a usage error otherwise. */
  static ScriptFormat format(CommandSpec spec, String option, Path file, String what) {
    if (option != null) {
      return ScriptFormat.named(option).orElseThrow(() -> new ParameterException(spec.commandLine(),
          "unknown format '" + option + "': use one of " + ScriptFormat.names()));
    }
    return ScriptFormat.ofFileName(file.getFileName().toString()).orElseThrow(() -> new ParameterException(
        spec.commandLine(), "cannot tell the " + what + " format from '" + file.getFileName() + "': pass --format"));
  }

  /** The input's bytes; a missing file is a usage error, one over the size limit is refused unread. */
  static byte[] read(CommandSpec spec, Path in) throws IOException, ScriptFormatException {
    if (!Files.isRegularFile(in)) {
      throw new ParameterException(spec.commandLine(), "no such file: " + in);
    }
    ScriptBytes.checkSize(Files.size(in));
    return Files.readAllBytes(in);
  }

  /** Writes through a temporary file beside {@code out}, so a failure leaves no partial file. */
  static void write(Path out, byte[] bytes) throws IOException {
    Path dir = out.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, ".roomtone-", ".tmp");
    try {
      Files.write(tmp, bytes);
      try {
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Reports a refused input: exit 1 with the reason. */
  static int refuse(CommandLine cli, Path in, ScriptFormatException e) {
    cli.getErr().println("roomtone: cannot read " + in + ": " + e.getMessage());
    cli.getErr().println("Nothing was written.");
    cli.getErr().flush();
    return 1;
  }
}
