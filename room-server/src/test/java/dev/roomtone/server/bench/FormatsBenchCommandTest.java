package dev.roomtone.server.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomtone.server.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The formats benchmark runs end to end on a short script and prints one JSON line per result. */
class FormatsBenchCommandTest {

  @Test
  void printsOneJsonLinePerResult() throws Exception {
    StringWriter out = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(new StringWriter(), true));
    int exit = cli.execute("bench", "formats", "--pages", "4", "--runs", "2", "--keystrokes", "200", "--no-anchor");
    assertEquals(0, exit, out.toString());
    List<String> whats = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : out.toString().strip().split("\n")) {
      JsonNode n = json.readTree(line);
      assertEquals("formats", n.get("bench").asText());
      whats.add(n.get("what").asText());
      if (n.get("what").asText().equals("keystroke_reparse")) {
        assertTrue(n.get("correct").asBoolean());
        assertTrue(n.get("p99_us").asDouble() >= n.get("p50_us").asDouble());
      }
    }
    assertEquals(List.of("script", "full_parse", "keystroke_reparse", "pdf_export", "fdx_export", "fdx_import",
        "txt_export", "comparison"), whats);
  }
}
