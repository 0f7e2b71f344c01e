package dev.roomtone.server.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import dev.roomtone.actors.room.RoomSettings;
import dev.roomtone.actors.session.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** The server's settings: the {@code roomtone} section of its configuration (reference.conf documents each key). */
public record ServerConfig(String host, int port, Path dataDir, String publicUrl, Database database, Security security,
                           Limits limits, Tls tls, Config raw) {

  public enum DatabaseKind { H2, POSTGRES }

  public record Database(DatabaseKind kind, String url, String user, String password, int maxConnections) {
  }

  public record Security(String tokenSecret, Duration tokenValidity, List<String> allowedOrigins) {
  }

  public record Limits(int rooms, int membersPerRoom, int connectionsPerRoom, int frameBytes, int messagesPerSecond,
                       int messageBurst, int awarenessBytes, int outboundMessages, Duration helloTimeout, int requestBytes,
                       Duration inviteMaxValidity, int snapshotEvery) {

    public RoomSettings roomSettings() {
      return new RoomSettings(membersPerRoom, connectionsPerRoom, awarenessBytes, snapshotEvery, inviteMaxValidity,
          Duration.ofSeconds(5));
    }

    public Session.Settings sessionSettings() {
      return new Session.Settings(frameBytes, messagesPerSecond, messageBurst, outboundMessages, helloTimeout);
    }
  }

  public record Tls(boolean enabled, Path keystore, String keystorePassword) {
  }

  /** Reads the configuration: {@code file} (if given) over the environment variables over the defaults. */
  public static ServerConfig load(Path file) {
    Config base = ConfigFactory.load();
    Config config = base;
    if (file != null) {
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("configuration file " + file + " does not exist");
      }
      config = ConfigFactory.parseFile(file.toFile()).withFallback(base).resolve();
    }
    return from(config);
  }

  /** Builds the settings from a full configuration; a wrong value fails with a message naming the key. */
  public static ServerConfig from(Config config) {
    Config c = config.getConfig("roomtone");
    try {
      int port = c.getInt("port");
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("roomtone.port must be between 0 and 65535, not " + port);
      }
      Config db = c.getConfig("database");
      DatabaseKind kind;
      try {
        kind = DatabaseKind.valueOf(db.getString("kind").toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("roomtone.database.kind must be h2 or postgres, not " + db.getString("kind"));
      }
      if (kind == DatabaseKind.POSTGRES && db.getString("url").isBlank()) {
        throw new IllegalArgumentException("roomtone.database.url is needed for postgres (e.g. jdbc:postgresql://host:5432/roomtone)");
      }
      Config sec = c.getConfig("security");
      String secret = sec.getString("token-secret");
      if (!secret.isEmpty() && secret.length() < 32) {
        throw new IllegalArgumentException("roomtone.security.token-secret must have at least 32 characters");
      }
      Config l = c.getConfig("limits");
      Limits limits = new Limits(l.getInt("rooms"), l.getInt("members-per-room"), l.getInt("connections-per-room"),
          (int) l.getBytes("frame-bytes").longValue(), l.getInt("messages-per-second"), l.getInt("message-burst"),
          (int) l.getBytes("awareness-bytes").longValue(), l.getInt("outbound-messages"), l.getDuration("hello-timeout"),
          (int) l.getBytes("request-bytes").longValue(), l.getDuration("invite-max-validity"), l.getInt("snapshot-every"));
      Config t = c.getConfig("tls");
      Tls tls = new Tls(t.getBoolean("enabled"), t.getString("keystore").isEmpty() ? null : Path.of(t.getString("keystore")),
          t.getString("keystore-password"));
      if (tls.enabled() && (tls.keystore() == null || !Files.isRegularFile(tls.keystore()))) {
        throw new IllegalArgumentException("roomtone.tls.keystore must name a PKCS#12 file when TLS is enabled");
      }
      return new ServerConfig(c.getString("host"), port, Path.of(c.getString("data-dir")), c.getString("public-url"),
          new Database(kind, db.getString("url"), db.getString("user"), db.getString("password"), db.getInt("max-connections")),
          new Security(secret, sec.getDuration("token-validity"), sec.getStringList("allowed-origins")),
          limits, tls, config);
    } catch (ConfigException e) {
      throw new IllegalArgumentException("configuration error: " + e.getMessage(), e);
    }
  }

  /** A copy with another listening address and data directory (command-line options win over files). */
  public ServerConfig with(String host, Integer port, Path dataDir) {
    return new ServerConfig(host != null ? host : this.host, port != null ? port : this.port,
        dataDir != null ? dataDir : this.dataDir, publicUrl, database, security, limits, tls, raw);
  }

  /** A copy using another database. */
  public ServerConfig withDatabase(Database database) {
    return new ServerConfig(host, port, dataDir, publicUrl, database, security, limits, tls, raw);
  }
}
