package dev.roomtone.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Guards the CRDT tests' oracle: Node must be able to load the pinned yjs from src/test/node.
 */
class YjsOracleAvailableTest {

  private static final Path ORACLE_DIR =
      Path.of(System.getProperty("basedir", "."), "src", "test", "node");

  // Reading the version from yjs/package.json proves which copy was resolved; the round trip
  // proves the library actually runs, not merely that its files exist.
  private static final String SCRIPT = """
      import * as Y from 'yjs';
      import { createRequire } from 'node:module';
      const { version } = createRequire(process.cwd() + '/')('yjs/package.json');
      const doc = new Y.Doc();
      doc.getText('script').insert(0, 'INT. WRITERS ROOM - DAY');
      const copy = new Y.Doc();
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
      console.log(JSON.stringify({ version, text: copy.getText('script').toString() }));
      """;

  @Test
  void nodeLoadsYjs13_6FromTheOracleDirectory() throws IOException, InterruptedException {
    assertTrue(Files.isDirectory(ORACLE_DIR.resolve("node_modules/yjs")),
        "yjs is not installed in " + ORACLE_DIR.toAbsolutePath()
            + ": the build runs 'npm ci' there in generate-test-resources (./mvnw verify)");

    Process node = new ProcessBuilder("node", "--input-type=module", "-e", SCRIPT)
        .directory(ORACLE_DIR.toFile())
        .redirectErrorStream(true)
        .start();
    String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(node.waitFor(60, TimeUnit.SECONDS), "node did not finish within 60 s");
    assertEquals(0, node.exitValue(), "node failed:\n" + output);

    JsonNode report = new ObjectMapper().readTree(output);
    String version = report.get("version").asText();
    assertTrue(version.startsWith("13.6."),
        "the Java CRDT targets the yjs 13.6 line (v1 update format), but Node loaded " + version);
    assertEquals("INT. WRITERS ROOM - DAY", report.get("text").asText());
  }
}
