package dev.roomtone.server;

import dev.roomtone.server.llm.GenerateCommand;
import dev.roomtone.server.llm.ModelsCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Entry point of the {@code roomtone} command; without a subcommand it runs {@code serve}. */
@Command(
    name = "roomtone",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionProvider.class,
    description = {
        "Roomtone: live screenplay co-editing with local AI for writers' rooms.",
        "Without a command, runs 'serve' with its defaults."
    },
    subcommands = {ServeCommand.class, BenchCommand.class, ExportCommand.class, ImportCommand.class, DisclosureCommand.class,
        GenerateCommand.class, ModelsCommand.class, DevicesCommand.class})
public final class Main implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The full command tree, separate from {@link #main} so tests can run it with their streams. */
  public static CommandLine commandLine() {
    return new CommandLine(new Main());
  }

  @Override
  public Integer call() {
    return spec.commandLine().getSubcommands().get("serve").execute();
  }

  /** Answers {@code --version} from the version the build stamped in. */
  static final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"roomtone " + RoomtoneVersion.current()};
    }
  }
}
