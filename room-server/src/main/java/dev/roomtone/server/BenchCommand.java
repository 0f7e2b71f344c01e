package dev.roomtone.server;

import dev.roomtone.server.bench.FanoutBenchCommand;
import dev.roomtone.server.bench.FormatsBenchCommand;
import dev.roomtone.server.bench.JournalBenchCommand;
import dev.roomtone.server.bench.SchedulerBenchCommand;
import dev.roomtone.server.bench.TraceBenchCommand;
import dev.roomtone.server.llm.LlmBenchCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code roomtone bench}: the parent of the benchmark commands, each a subcommand of it. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionProvider.class,
    description = "Run a benchmark. Each benchmark prints one JSON line per result.",
    subcommands = {TraceBenchCommand.class, FanoutBenchCommand.class, FormatsBenchCommand.class, LlmBenchCommand.class,
        SchedulerBenchCommand.class, JournalBenchCommand.class})
final class BenchCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  // Picocli answers a ParameterException with the message, the usage (which lists the
  // benchmarks) and exit code 2, the same as any other mistyped command line.
  @Override
  public Integer call() {
    String message = spec.subcommands().isEmpty()
        ? "Name a benchmark to run; this version has none yet."
        : "Name a benchmark to run: one of the commands listed below.";
    throw new ParameterException(spec.commandLine(), message);
  }
}
