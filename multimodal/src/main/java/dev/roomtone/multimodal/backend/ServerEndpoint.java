package dev.roomtone.multimodal.backend;

import java.net.URI;
import java.time.Duration;

/**
 * Where a model server is and how long to wait for it. {@code apiKey} may be empty; it is sent as a
 * bearer token and never written to logs or messages.
 */
public record ServerEndpoint(URI base, String apiKey, Duration connectTimeout, Duration responseTimeout,
                             Duration idleTimeout) {

  public ServerEndpoint {
    if (base == null || !("http".equals(base.getScheme()) || "https".equals(base.getScheme()))) {
      throw new IllegalArgumentException("a model server's address must be an http(s) URL, not " + base);
    }
    String s = base.toString();
    base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    apiKey = apiKey == null ? "" : apiKey;
  }

  /** Sensible waits for a server on the studio's network: connect 5 s, first answer 120 s, 60 s without progress. */
  public static ServerEndpoint at(String base) {
    return new ServerEndpoint(URI.create(base), "", Duration.ofSeconds(5), Duration.ofSeconds(120), Duration.ofSeconds(60));
  }

  public ServerEndpoint withTimeouts(Duration connect, Duration response, Duration idle) {
    return new ServerEndpoint(base, apiKey, connect, response, idle);
  }

  public ServerEndpoint withApiKey(String key) {
    return new ServerEndpoint(base, key, connectTimeout, responseTimeout, idleTimeout);
  }

  @Override
  public String toString() {
    // never the key, nor a password written into the URL
    return base.getRawUserInfo() == null ? base.toString() : base.toString().replace(base.getRawUserInfo() + "@", "");
  }
}
