package dev.roomtone.server.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** afterwriting's command line ({@code awc}) in Node: the anchor for Fountain to PDF. */
final class Afterwriting {

  private final Path dir;
  private final PrintWriter progress;

  Afterwriting(Path dir, PrintWriter progress) {
    this.dir = dir;
    this.progress = progress;
  }

  static Path locate(Path override) {
    return NodeDirs.locate(override, "room-server/src/bench/afterwriting", "package.json", "--anchor-dir");
  }

  void ensureInstalled() throws IOException, InterruptedException {
    if (!Files.isRegularFile(dir.resolve("node_modules/afterwriting/awc.js"))) {
      NodeDirs.npmCi(dir, "afterwriting", progress, "--ignore-scripts");
    }
  }

  /** Runs awc once; returns its wall time in milliseconds. */
  double exportPdf(Path fountain, Path pdf) throws IOException, InterruptedException {
    Files.deleteIfExists(pdf);
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder("node", "node_modules/afterwriting/awc.js", "--source", fountain.toString(),
        "--pdf", pdf.toString(), "--overwrite", "--config", "usletter.json")
        .directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = p.waitFor();
    double ms = (System.nanoTime() - t0) / 1e6;
    if (exit != 0 || !Files.isRegularFile(pdf)) {
      throw new IllegalStateException("afterwriting failed (exit " + exit + "):\n" + out);
    }
    return Math.round(ms * 1000) / 1000.0;
  }

  /** Wall time of {@code node -e ""}, the part of each run that is Node starting. */
  double nodeStartupMs() throws IOException, InterruptedException {
    double best = Double.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      long t0 = System.nanoTime();
      Process p = new ProcessBuilder("node", "-e", "").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      p.waitFor();
      best = Math.min(best, (System.nanoTime() - t0) / 1e6);
    }
    return Math.round(best * 1000) / 1000.0;
  }

  String nodeVersion() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
    String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    p.waitFor();
    return v;
  }
}
