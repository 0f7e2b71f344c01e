package dev.roomtone.server.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomtone.multimodal.engine.gguf.GgmlType;
import dev.roomtone.multimodal.engine.model.SyntheticModel;
import dev.roomtone.server.RoomtoneServer;
import dev.roomtone.server.TestServerAccess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web client in real Chromium against the real server: src/test/node/browser-room.mjs drives
 * three browser contexts (showrunner, writer, viewer) through playwright-core and Debian's
 * Chromium; this test checks that what the editors ended with is what the server stored.
 * Screenshots of every step are in target/browser-room/.
 */
class BrowserRoomTest {

  /** What the showrunner writes over the model's proposal before approving it (browser-room.mjs). */
  private static final String APPROVED_LINE = "We lock up at midnight, sharp.";
  private static final Path NODE_DIR = Path.of("src/test/node");
  private static final Path OUT = Path.of("target/browser-room");
  private static final String CHROMIUM = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");

  @Test
  void twoWritersAndAViewerShareTheScriptInChromium(@TempDir Path dataDir) throws Exception {
    assertTrue(Files.isExecutable(Path.of(CHROMIUM)), CHROMIUM + " is missing: install Debian's chromium (.ci/run does)");
    assertTrue(Files.isDirectory(NODE_DIR.resolve("node_modules/playwright-core")),
        "playwright-core is not installed in " + NODE_DIR.toAbsolutePath() + ": run the Maven build");
    Files.createDirectories(OUT);
    try (var old = Files.list(OUT)) {
      for (Path p : old.toList()) {
        Files.delete(p);
      }
    }
    // the room's assistant runs a tiny generated model on the in-process engine: its words are noise,
    // so the showrunner edits the proposal before approving it
    Path model = SyntheticModel.write(dataDir.resolve("tiny-writer.gguf"), SyntheticModel.Shape.TINY, GgmlType.Q8_0, 3);
    try (RoomtoneServer server = RoomtoneServer.start(TestServerAccess.config(dataDir.resolve("data"),
        Map.of("roomtone.ai.engine-model", model.toString(), "roomtone.ai.engine-threads", 2)))) {
      Path log = OUT.resolve("browser-room.log");
      Process node = new ProcessBuilder("node", "browser-room.mjs", server.uri().toString(), OUT.toAbsolutePath().toString())
          .directory(NODE_DIR.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      boolean done = node.waitFor(5, TimeUnit.MINUTES);
      if (!done) {
        node.destroyForcibly().waitFor();
      }
      String output = Files.readString(log);
      System.out.println(output);
      assertTrue(done, "the browser test did not finish");
      assertEquals(0, node.exitValue(), "the browser test failed:\n" + output);

      JsonNode result = new ObjectMapper().readTree(OUT.resolve("result.json").toFile());
      String roomId = result.get("roomId").asText();
      String browserText = result.get("text").asText();
      assertEquals(browserText, LiveRoomTest.serverText(server, roomId),
          "the editors agree with each other but not with the server's document");
      assertTrue(browserText.contains("Written offline on the train."), browserText);
      // the first line of dialogue, "Kitchen's closed.", was replaced by the approved suggestion, and
      // only the line: the blank line before the next element is still there
      assertTrue(browserText.contains("(not looking up)\n" + APPROVED_LINE + "\n\n") && !browserText.contains("Kitchen's closed."),
          "the approved suggestion did not replace the line: " + browserText);
    }
  }
}
