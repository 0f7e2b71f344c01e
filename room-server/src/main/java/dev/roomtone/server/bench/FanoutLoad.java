package dev.roomtone.server.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Drives the load workers ({@code fanout-load.mjs}, real yjs clients in Node) for one run: deals
 * the rooms out to the workers, starts them together, collects their deliveries and latencies.
 * See docs/fanout.md.
 */
public final class FanoutLoad {

  /** Which server the clients talk to, and so which provider they use. */
  public enum Kind {
    ROOMTONE, HOCUSPOCUS;

    String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** R rooms × W writers, each typing {@code rate} characters per second for {@code seconds}. */
  public record Workload(int rooms, int writers, double rate, double seconds) {
  }

  /** One room: its id and a member token per writer (any strings for Hocuspocus). */
  public record Room(String id, List<String> tokens) {
  }

  /** Per room: converged, the text's SHA-256 as the writers have it and as a fresh client synced it. */
  public record RoomOutcome(String room, boolean converged, String sha256, String serverSha256) {
  }

  /** What the clients saw; latencies in microseconds, sorted. */
  public record Outcome(long editsSent, long deliveriesExpected, long deliveriesSeen, boolean converged,
                        double measuredSeconds, double clientCpuSeconds, long[] latenciesUs, List<RoomOutcome> rooms) {

    /** The q-quantile (0..1) of the latencies in milliseconds, nearest rank. */
    public double latencyMs(double q) {
      if (latenciesUs.length == 0) {
        return 0;
      }
      int rank = (int) Math.ceil(q * latenciesUs.length) - 1;
      return latenciesUs[Math.max(0, Math.min(latenciesUs.length - 1, rank))] / 1000.0;
    }
  }

  /** Called between the phases, e.g. to sample the server's CPU time. */
  public interface Hooks {
    default void started() {
    }

    /** Every delivery arrived; the workers check convergence once this returns. */
    default void drained() {
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path nodeDir;
  private final PrintWriter progress;

  public FanoutLoad(Path nodeDir, PrintWriter progress) {
    this.nodeDir = nodeDir;
    this.progress = progress;
  }

  /** The directory with fanout-load.mjs: {@code override}, else found from the working directory or the jar. */
  public static Path locate(Path override) {
    return NodeDirs.locate(override, "room-server/src/test/node", "fanout-load.mjs", "--node-dir");
  }

  /** Installs the clients and Hocuspocus there with npm (exact versions of the lock file) when missing. */
  public void ensureInstalled() throws IOException, InterruptedException {
    if (!Files.isDirectory(nodeDir.resolve("node_modules/@hocuspocus/server"))
        || !Files.isDirectory(nodeDir.resolve("node_modules/y-websocket"))) {
      NodeDirs.npmCi(nodeDir, "the load clients", progress);
    }
  }

  public Path nodeDir() {
    return nodeDir;
  }

  private record Worker(Process process, BufferedWriter in, BufferedReader out) {
    JsonNode next(String want) throws IOException {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        JsonNode n = JSON.readTree(line);
        if (want.equals(n.path("event").asText())) {
          return n;
        }
      }
      throw new IllegalStateException("a load worker exited before '" + want + "' (exit code "
          + (process.isAlive() ? "none yet" : process.exitValue()) + ")");
    }

    void send(String line) throws IOException {
      in.write(line);
      in.write('\n');
      in.flush();
    }
  }

  /** Runs the workload with {@code workers} Node processes against {@code wsUrl}. */
  public Outcome run(Kind kind, String wsUrl, List<Room> rooms, Workload w, int workers, long seed, long drainMs,
                     Hooks hooks) throws IOException, InterruptedException {
    int k = Math.max(1, Math.min(workers, rooms.size()));
    List<Worker> started = new ArrayList<>();
    try {
      for (int i = 0; i < k; i++) {
        ObjectNode spec = JSON.createObjectNode();
        spec.put("kind", kind.wire());
        spec.put("url", wsUrl);
        spec.put("writers", w.writers());
        spec.put("rate", w.rate());
        spec.put("seconds", w.seconds());
        spec.put("seed", seed + i);
        spec.put("drainMs", drainMs);
        ArrayNode rs = spec.putArray("rooms");
        for (int r = i; r < rooms.size(); r += k) {
          ObjectNode room = rs.addObject();
          room.put("room", rooms.get(r).id());
          ArrayNode tokens = room.putArray("tokens");
          rooms.get(r).tokens().forEach(tokens::add);
        }
        Process p = new ProcessBuilder("node", "fanout-load.mjs").directory(nodeDir.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Worker worker = new Worker(p, new BufferedWriter(new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)),
            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
        started.add(worker);
        worker.send(spec.toString());
      }
      for (Worker worker : started) {
        worker.next("ready");
      }
      hooks.started();
      for (Worker worker : started) {
        worker.send("start");
      }
      for (Worker worker : started) {
        worker.next("drained");
      }
      hooks.drained();
      for (Worker worker : started) {
        worker.send("check");
      }
      long edits = 0;
      long expected = 0;
      long seen = 0;
      boolean converged = true;
      double measured = 0;
      double cpu = 0;
      List<long[]> lat = new ArrayList<>();
      List<RoomOutcome> roomOutcomes = new ArrayList<>();
      for (Worker worker : started) {
        JsonNode res = worker.next("result");
        edits += res.path("editsSent").asLong();
        expected += res.path("deliveriesExpected").asLong();
        seen += res.path("deliveriesSeen").asLong();
        converged &= res.path("converged").asBoolean();
        measured = Math.max(measured, res.path("measuredMs").asDouble() / 1000);
        cpu += res.path("clientCpuMs").asDouble() / 1000;
        JsonNode l = res.path("latenciesUs");
        long[] a = new long[l.size()];
        for (int i = 0; i < a.length; i++) {
          a[i] = l.get(i).asLong();
        }
        lat.add(a);
        for (JsonNode r : res.path("rooms")) {
          roomOutcomes.add(new RoomOutcome(r.path("room").asText(), r.path("converged").asBoolean(),
              r.path("sha256").asText(), r.path("serverSha256").isNull() ? null : r.path("serverSha256").asText()));
        }
      }
      long[] all = lat.stream().flatMapToLong(Arrays::stream).sorted().toArray();
      return new Outcome(edits, expected, seen, converged, measured, cpu, all, roomOutcomes);
    } finally {
      for (Worker worker : started) {
        try {
          worker.send("bye");
          worker.in().close();
        } catch (IOException ignored) {
          // it is gone already
        }
        if (!worker.process().waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          worker.process().destroyForcibly();
        }
      }
    }
  }
}
