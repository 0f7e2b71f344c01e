package dev.roomtone.server.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The Node packages benchmarks run beside Roomtone as anchors: finding them in the checkout, installing them. */
final class NodeDirs {

  private NodeDirs() {
  }

  /**
   * {@code override} if given, else the checkout's {@code relativeToRepo} (e.g. {@code script/src/test/node})
   * that holds {@code marker}, looked for from the working directory (the checkout or a module of it)
   * and from the checkout the running jar or classes were built in.
   *
   * @param option the command-line option that names the directory instead, for the error message
   */
  static Path locate(Path override, String relativeToRepo, String marker, String option) {
    if (override != null) {
      return override;
    }
    List<Path> candidates = new ArrayList<>(List.of(Path.of(relativeToRepo), Path.of("..").resolve(relativeToRepo)));
    try {
      // room-server/target/roomtone.jar or room-server/target/classes -> the checkout
      Path built = Path.of(NodeDirs.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      candidates.add(built.getParent().getParent().getParent().resolve(relativeToRepo));
    } catch (Exception ignored) {
      // no code source (an unusual class loader): the working directory is the only guess
    }
    for (Path c : candidates) {
      if (Files.isRegularFile(c.resolve(marker))) {
        return c.toAbsolutePath().normalize();
      }
    }
    throw new IllegalStateException("cannot find " + relativeToRepo + "/" + marker + "; run from the Roomtone checkout or pass "
        + option);
  }

  /** Runs {@code npm ci} (exact versions of the lock file) in {@code dir}, saying so on {@code progress}. */
  static void npmCi(Path dir, String what, PrintWriter progress, String... extraArgs) throws IOException, InterruptedException {
    progress.println("Installing " + what + " (npm ci in " + dir + ")...");
    progress.flush();
    List<String> command = new ArrayList<>(List.of("npm", "ci"));
    command.addAll(List.of(extraArgs));
    command.addAll(List.of("--no-audit", "--no-fund"));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("npm ci failed in " + dir + ":\n" + out);
    }
  }
}
