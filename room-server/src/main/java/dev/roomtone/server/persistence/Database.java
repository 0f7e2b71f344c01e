package dev.roomtone.server.persistence;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.roomtone.server.config.ServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database rooms are stored in: the JDBC URL for the embedded H2 file or PostgreSQL, the Pekko
 * Persistence JDBC settings for it, and the creation of its tables on first start.
 */
public final class Database {

  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  private final ServerConfig.Database settings;
  private final String url;

  public Database(ServerConfig.Database settings, Path dataDir) {
    this.settings = settings;
    this.url = switch (settings.kind()) {
      // WRITE_DELAY=0: a commit reaches the file before the room acknowledges the edit it stores
      case H2 -> "jdbc:h2:file:" + dataDir.toAbsolutePath().normalize().resolve("roomtone")
          + ";DATABASE_TO_UPPER=false;WRITE_DELAY=0";
      case POSTGRES -> settings.url();
    };
  }

  public String url() {
    return url;
  }

  /** Which database, for the log: never the password. */
  public String describe() {
    return switch (settings.kind()) {
      case H2 -> "embedded H2 at " + url.substring("jdbc:h2:file:".length(), url.indexOf(';'));
      case POSTGRES -> "PostgreSQL at " + url.replaceAll("password=[^&]*", "password=***");
    };
  }

  /** Creates the journal and snapshot tables unless they exist. */
  public void createSchema() throws SQLException, IOException {
    String script = settings.kind() == ServerConfig.DatabaseKind.H2 ? "schema/h2/h2-create-schema.sql"
        : "schema/postgres/postgres-create-schema.sql";
    String sql;
    try (InputStream in = Database.class.getClassLoader().getResourceAsStream(script)) {
      if (in == null) {
        throw new IOException("the persistence plugin's schema " + script + " is missing from the classpath");
      }
      sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try (Connection c = DriverManager.getConnection(url, settings.user(), settings.password());
         Statement st = c.createStatement()) {
      c.setAutoCommit(true); // Postgres creates indexes CONCURRENTLY, which cannot run in a transaction
      int created = 0;
      for (String statement : sql.split(";")) {
        if (statement.isBlank() || skipped(statement)) {
          continue;
        }
        try {
          st.execute(statement);
          created++;
        } catch (SQLException e) {
          // the scripts are not idempotent for indexes: an object that exists is what we want
          if (!alreadyExists(e)) {
            throw e;
          }
        }
      }
      if (settings.kind() == ServerConfig.DatabaseKind.H2) {
        // databases created before this index was left out still have it
        st.execute("DROP INDEX IF EXISTS " + DUPLICATE_H2_INDEX);
      }
      LOG.debug("schema checked ({} statements run)", created);
    }
  }

  /**
   * The plugin's H2 script indexes the journal's "ordering" column twice: its UNIQUE constraint
   * has an index, and a second unique index repeats it. Every stored edit updated both, and H2
   * writes each changed index page on every commit; the constraint's index serves every query.
   */
  static final String DUPLICATE_H2_INDEX = "\"event_journal_ordering_idx\"";

  private boolean skipped(String statement) {
    return settings.kind() == ServerConfig.DatabaseKind.H2 && statement.contains("INDEX " + DUPLICATE_H2_INDEX);
  }

  private static boolean alreadyExists(SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    // H2: 42S11 index exists, 42S01 table exists; PostgreSQL: 42P07 relation exists
    return state.equals("42S11") || state.equals("42S01") || state.equals("42P07")
        || String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("already exists");
  }

  /** Pekko settings: the JDBC journal and snapshot store on this database. */
  public Config pekkoConfig() {
    String profile = settings.kind() == ServerConfig.DatabaseKind.H2 ? "slick.jdbc.H2Profile$" : "slick.jdbc.PostgresProfile$";
    String driver = settings.kind() == ServerConfig.DatabaseKind.H2 ? "org.h2.Driver" : "org.postgresql.Driver";
    Map<String, Object> db = Map.of(
        "url", url,
        "user", settings.user(),
        "password", settings.password(),
        "driver", driver,
        "numThreads", settings.maxConnections(),
        "maxConnections", settings.maxConnections(),
        "minConnections", 1);
    Config shared = ConfigFactory.empty()
        .withValue("profile", ConfigValueFactory.fromAnyRef(profile))
        .withValue("db", ConfigValueFactory.fromMap(db));
    return ConfigFactory.parseString("""
            pekko.persistence.journal.plugin = "jdbc-journal"
            pekko.persistence.snapshot-store.plugin = "jdbc-snapshot-store"
            jdbc-journal.use-shared-db = "roomtone"
            jdbc-snapshot-store.use-shared-db = "roomtone"
            jdbc-read-journal.use-shared-db = "roomtone"
            # One batch insert at a time: the writes of every room that queue while it runs go
            # into the next one, one transaction for all of them (group commit across rooms, on
            # top of each room's own). Each room still hears back only once its own events are
            # stored, so nothing is acknowledged before it is on disk.
            jdbc-journal.parallelism = 1
            # Every room persisting at the same moment holds a place in this queue until its
            # batch is written, and a full queue fails the write: room for far more rooms than
            # one server holds (the default, 1,000, is below what a big studio runs).
            jdbc-journal.bufferSize = 16384
            """)
        .withValue("pekko-persistence-jdbc.shared-databases.roomtone", shared.root());
  }
}
