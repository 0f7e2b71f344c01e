package dev.roomtone.server;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.roomtone.server.config.ServerConfig;
import java.nio.file.Path;

/** Server settings for tests: loopback, a free port, the given data directory, embedded H2. */
final class TestServers {

  private TestServers() {
  }

  static ServerConfig config(Path dataDir) {
    return config(dataDir, java.util.Map.of());
  }

  /** The same, with some settings overridden, e.g. {@code "roomtone.limits.frame-bytes" -> "64KiB"}. */
  static ServerConfig config(Path dataDir, java.util.Map<String, Object> overrides) {
    com.typesafe.config.Config c = ConfigFactory.load()
        .withValue("roomtone.port", ConfigValueFactory.fromAnyRef(0))
        .withValue("roomtone.host", ConfigValueFactory.fromAnyRef("127.0.0.1"))
        .withValue("roomtone.data-dir", ConfigValueFactory.fromAnyRef(dataDir.toString()));
    for (var e : overrides.entrySet()) {
      c = c.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(e.getValue()));
    }
    return ServerConfig.from(c);
  }
}
