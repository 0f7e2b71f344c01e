package dev.roomtone.server.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomtone.server.Main;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TraceReplayTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Two typists: "ab" is typed, then both insert concurrently (one before, one after), then one deletes. */
  private static final String CONCURRENT = """
      {"kind":"concurrent","endContent":"xa😀b","numAgents":2,"txns":[
        {"parents":[],"agent":0,"numChildren":2,"time":0,"patches":[[0,0,"a"],[1,0,"b"]]},
        {"parents":[0],"agent":0,"numChildren":1,"time":1,"patches":[[0,0,"x"]]},
        {"parents":[0],"agent":1,"numChildren":1,"time":1,"patches":[[1,0,"😀q"]]},
        {"parents":[1,2],"agent":1,"numChildren":0,"time":2,"patches":[[3,1,""]]}
      ]}""";

  private static final String SEQUENTIAL = """
      {"startContent":"","endContent":"Fade in.","txns":[
        {"time":0,"patches":[[0,0,"Fade out"]]},
        {"time":1,"patches":[[5,3,"in"],[7,0,"."]]}
      ]}""";

  @Test
  void sequentialTraceReplaysToItsEndContent() throws Exception {
    EditingTrace trace = EditingTrace.parse("seq", JSON.readTree(SEQUENTIAL));
    assertFalse(trace.concurrent());
    assertEquals(3, trace.patchCount());
    TraceReplay.Result r = new TraceReplay(trace).run();
    assertTrue(r.correct());
    assertTrue(r.updateBytes() > 0);
  }

  @Test
  void concurrentTraceExchangesUpdatesAlongItsParents() throws Exception {
    EditingTrace trace = EditingTrace.parse("conc", JSON.readTree(CONCURRENT));
    assertTrue(trace.concurrent());
    assertTrue(trace.hasNonBmp(), "positions count code points; the emoji makes them differ from UTF-16");
    assertTrue(new TraceReplay(trace).run().correct());
    // a trace that ends elsewhere is reported as incorrect, not as a success
    String wrong = CONCURRENT.replace("\"xa😀b\"", "\"xab\"");
    assertFalse(new TraceReplay(EditingTrace.parse("wrong", JSON.readTree(wrong))).run().correct());
  }

  @Test
  void malformedTracesAreRefusedWithTheReason() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EditingTrace.parse("bad", JSON.readTree("{\"txns\":[]}")));
    assertTrue(e.getMessage().contains("endContent"), e.getMessage());
    String badParent = CONCURRENT.replace("\"parents\":[0],\"agent\":0", "\"parents\":[3],\"agent\":0");
    e = assertThrows(IllegalArgumentException.class, () -> EditingTrace.parse("bad", JSON.readTree(badParent)));
    assertTrue(e.getMessage().contains("parent 3"), e.getMessage());
  }

  @Test
  void benchCommandPrintsOneJsonLinePerRunAndAComparison(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tiny.json.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(SEQUENTIAL.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute("bench", "trace", file.toString(), "--runs", "3", "--no-anchor");
    assertEquals(0, exit, err.toString());
    String[] lines = out.toString().trim().split("\n");
    assertEquals(4, lines.length);
    for (int i = 0; i < 3; i++) {
      JsonNode n = JSON.readTree(lines[i]);
      assertEquals("roomtone", n.get("impl").asText());
      assertEquals("tiny", n.get("trace").asText());
      assertTrue(n.get("correct").asBoolean());
      for (String key : new String[] {"patches", "replay_ms", "encode_ms", "load_ms", "update_bytes", "loaded_doc_mb"}) {
        assertTrue(n.has(key), key);
      }
    }
    assertEquals("comparison", JSON.readTree(lines[3]).get("impl").asText());
    assertTrue(err.toString().contains("3 patches"), err.toString());
  }

  @Test
  void benchCommandExplainsAMissingFile() {
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err));
    assertEquals(2, cli.execute("bench", "trace", "/no/such/trace.json.gz", "--no-anchor"));
    assertTrue(err.toString().contains("no such trace file"), err.toString());
  }
}
