package dev.roomtone.server.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The official yjs package in Node, replaying the same trace in the same run as the anchor for
 * Roomtone's figures. It lives next to the yjs the tests use ({@code script/src/test/node}).
 */
final class YjsAnchor {

  private final Path dir;
  private final PrintWriter progress;

  YjsAnchor(Path dir, PrintWriter progress) {
    this.dir = dir;
    this.progress = progress;
  }

  /** The anchor directory: {@code override} if given, else found from the working directory or the jar. */
  static Path locate(Path override) {
    return NodeDirs.locate(override, "script/src/test/node", "yjs-trace.mjs", "--anchor-dir");
  }

  /** Installs yjs there with npm when it is missing. */
  void ensureInstalled() throws IOException, InterruptedException {
    if (!Files.isDirectory(dir.resolve("node_modules/yjs"))) {
      NodeDirs.npmCi(dir, "the yjs anchor", progress);
    }
  }

  /** Runs the trace {@code runs} times in Node; returns one parsed JSON result per run. */
  List<JsonNode> run(Path traceFile, int runs) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("node", "--expose-gc", "yjs-trace.mjs", traceFile.toAbsolutePath().toString(),
        "--runs", Integer.toString(runs))
        .directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    List<JsonNode> results = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        results.add(json.readTree(line));
      }
    }
    int exit = p.waitFor();
    if (exit != 0) {
      throw new IllegalStateException("the yjs anchor failed (node exited with " + exit + ")");
    }
    return results;
  }
}
