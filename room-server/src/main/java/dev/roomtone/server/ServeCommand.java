package dev.roomtone.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code roomtone serve}: runs the server until it receives SIGINT or SIGTERM. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionProvider.class,
    description = "Start the Roomtone server and run until stopped (Ctrl+C or SIGTERM).")
final class ServeCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

  @Spec
  private CommandSpec spec;

  @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
      description = "Address to listen on; 0.0.0.0 for every interface (default: ${DEFAULT-VALUE}).")
  private String host;

  @Option(names = "--port", defaultValue = "7700", paramLabel = "PORT",
      description = "TCP port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  private int port;

  @Option(names = "--data-dir", defaultValue = "./data", paramLabel = "DIR",
      description = "Where the server keeps its data; created if missing (default: ${DEFAULT-VALUE}).")
  private Path dataDir;

  @Override
  public Integer call() {
    if (port < 0 || port > 65_535) {
      throw new ParameterException(spec.commandLine(),
          "--port must be between 0 and 65535, not " + port);
    }
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      spec.commandLine().getErr().println(
          "roomtone: cannot create the data directory " + dataDir.toAbsolutePath() + ": " + e);
      return 1;
    }

    RoomtoneServer server;
    try {
      server = RoomtoneServer.start(host, port);
    } catch (ListenFailedException e) {
      spec.commandLine().getErr().println("roomtone: " + e.getMessage());
      return 1;
    }
    LOG.info("Data directory: {}", dataDir.toAbsolutePath().normalize());
    server.awaitTermination();
    return 0;
  }
}
