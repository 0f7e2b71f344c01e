package dev.roomtone.server.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomtone.server.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code roomtone bench journal}, small: one line per store and batch, with what it measured. */
class JournalBenchCommandTest {

  @Test
  void printsOneLinePerStoreAndBatch() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    assertEquals(0, cli.execute("bench", "journal", "--edits", "200", "--batches", "1,7"), err.toString());
    String[] lines = out.toString().strip().split("\n");
    assertEquals(5, lines.length, out.toString());
    ObjectMapper json = new ObjectMapper();
    String[] stores = {"h2", "file-append", "h2", "file-append"};
    int[] batches = {1, 1, 7, 7};
    for (int i = 0; i < 4; i++) {
      JsonNode line = json.readTree(lines[i]);
      assertEquals("journal", line.get("bench").asText());
      assertEquals(stores[i], line.get("store").asText(), lines[i]);
      assertEquals(batches[i], line.get("batch").asInt(), lines[i]);
      assertEquals(200, line.get("edits").asInt());
      // 200 edits in commits of 7: 28 full commits and one of 4
      assertEquals(batches[i] == 1 ? 200 : 29, line.get("commits").asInt(), lines[i]);
      assertTrue(line.get("file_growth_bytes_per_commit").asLong() > 0, "every commit wrote something: " + lines[i]);
      assertTrue(line.get("wall_us_per_commit").asDouble() > 0, lines[i]);
    }
    // each appended edit is its event and a 4-byte length, nothing more
    JsonNode append = json.readTree(lines[1]);
    JsonNode h2 = json.readTree(lines[0]);
    assertTrue(h2.get("file_growth_bytes_per_commit").asLong() > append.get("file_growth_bytes_per_commit").asLong(),
        "the database writes more than the bare events: " + h2 + " " + append);
    JsonNode comparison = json.readTree(lines[4]);
    assertEquals("comparison", comparison.get("store").asText());
    for (String batch : new String[] {"1", "7"}) {
      assertTrue(comparison.get("h2_over_file_append_cpu_per_edit").get(batch).asDouble() > 0, comparison.toString());
      assertTrue(comparison.get("h2_cpu_us_per_edit").get(batch).asDouble() > 0, comparison.toString());
    }
  }

  @Test
  void refusesNonsenseOptions() {
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err, true));
    assertEquals(2, cli.execute("bench", "journal", "--batches", "0"));
    assertTrue(err.toString().contains("each batch between 1 and --edits"), err.toString());
  }
}
