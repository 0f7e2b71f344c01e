package dev.roomtone.server;

import dev.roomtone.server.config.ServerConfig;
import java.nio.file.Path;

/** Test settings for tests in other packages. */
public final class TestServerAccess {

  private TestServerAccess() {
  }

  public static ServerConfig config(Path dataDir) {
    return TestServers.config(dataDir);
  }

  public static ServerConfig config(Path dataDir, java.util.Map<String, Object> overrides) {
    return TestServers.config(dataDir, overrides);
  }
}
