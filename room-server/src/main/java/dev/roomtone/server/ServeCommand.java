package dev.roomtone.server;

import dev.roomtone.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
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
    description = {
        "Start the Roomtone server and run until stopped (Ctrl+C or SIGTERM).",
        "Settings come from --config FILE, then ROOMTONE_* environment variables, then the defaults;",
        "the options below win over all of them."
    })
final class ServeCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "Configuration file (HOCON or JSON).")
  private Path configFile;

  @Option(names = "--host", paramLabel = "ADDRESS",
      description = "Address to listen on; 0.0.0.0 for every interface (default: 127.0.0.1).")
  private String host;

  @Option(names = "--port", paramLabel = "PORT", description = "TCP port to listen on; 0 picks a free one (default: 8080).")
  private Integer port;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the server keeps its data (default: ./data).")
  private Path dataDir;

  @Override
  public Integer call() {
    if (port != null && (port < 0 || port > 65_535)) {
      throw new ParameterException(spec.commandLine(), "--port must be between 0 and 65535, not " + port);
    }
    ServerConfig config;
    try {
      config = ServerConfig.load(configFile).with(host, port, dataDir);
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("roomtone: " + e.getMessage());
      return 2;
    }
    RoomtoneServer server;
    try {
      server = RoomtoneServer.start(config);
    } catch (ListenFailedException | RoomtoneServer.StartFailedException e) {
      spec.commandLine().getErr().println("roomtone: " + e.getMessage());
      return 1;
    }
    var out = spec.commandLine().getOut();
    out.println();
    out.println("  Roomtone is running at " + server.uri());
    if (server.hasNoRooms()) {
      RoomtoneServer.NewRoom room = server.createRoom("First room", "Showrunner");
      out.println("  Your first room is ready. Showrunner link (keep it private, it signs you in):");
      out.println("    " + room.link());
    } else {
      out.println("  Open it to create a room; scripts create them with POST " + server.uri() + "/api/rooms (see README).");
    }
    out.println();
    out.flush();
    server.awaitTermination();
    return 0;
  }
}
