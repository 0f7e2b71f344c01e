package dev.roomtone.server.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roomtone.server.config.ServerConfig;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {

  private static Database h2(Path dir) {
    return new Database(new ServerConfig.Database(ServerConfig.DatabaseKind.H2, "", "sa", "", 2), dir);
  }

  private static List<String> journalIndexes(Database db) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.url(), "sa", "");
         Statement st = c.createStatement();
         ResultSet r = st.executeQuery("SELECT INDEX_NAME FROM INFORMATION_SCHEMA.INDEX_COLUMNS"
             + " WHERE TABLE_NAME = 'event_journal' AND COLUMN_NAME = 'ordering'")) {
      List<String> names = new ArrayList<>();
      while (r.next()) {
        names.add(r.getString(1));
      }
      return names;
    }
  }

  private static void insert(Database db, long ordering, long seqNr) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.url(), "sa", "");
         Statement st = c.createStatement()) {
      st.execute("INSERT INTO \"event_journal\" (\"ordering\", \"persistence_id\", \"sequence_number\", \"writer\","
          + " \"write_timestamp\", \"adapter_manifest\", \"event_payload\", \"event_ser_id\", \"event_ser_manifest\")"
          + " VALUES (" + ordering + ", 'room-a', " + seqNr + ", 'w', 0, '', X'00', 1, '')");
    }
  }

  @Test
  void aNewJournalIndexesItsOrderingOnceAndStillKeepsItUnique(@TempDir Path dir) throws Exception {
    Database db = h2(dir);
    db.createSchema();
    assertEquals(1, journalIndexes(db).size(), "indexes on ordering: " + journalIndexes(db));
    insert(db, 1, 1);
    SQLException duplicate = assertThrows(SQLException.class, () -> insert(db, 1, 2));
    assertEquals("23505", duplicate.getSQLState(), duplicate.getMessage());
  }

  @Test
  void aJournalCreatedWithThePluginsScriptLosesOnlyTheRepeatedIndexAndKeepsItsRows(@TempDir Path dir) throws Exception {
    Database db = h2(dir);
    // the layout earlier versions created: the plugin's script as it is
    String sql;
    try (InputStream in = Database.class.getClassLoader().getResourceAsStream("schema/h2/h2-create-schema.sql")) {
      sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try (Connection c = DriverManager.getConnection(db.url(), "sa", "");
         Statement st = c.createStatement()) {
      for (String statement : sql.split(";")) {
        if (!statement.isBlank()) {
          st.execute(statement);
        }
      }
    }
    insert(db, 1, 1);
    assertEquals(2, journalIndexes(db).size(), "the old layout: " + journalIndexes(db));

    db.createSchema();
    db.createSchema(); // and again, as on every start

    List<String> left = journalIndexes(db);
    assertEquals(1, left.size(), "indexes on ordering: " + left);
    assertTrue(!left.contains("event_journal_ordering_idx"), left.toString());
    try (Connection c = DriverManager.getConnection(db.url(), "sa", "");
         Statement st = c.createStatement();
         ResultSet r = st.executeQuery("SELECT COUNT(*) FROM \"event_journal\"")) {
      r.next();
      assertEquals(1, r.getInt(1));
    }
  }
}
