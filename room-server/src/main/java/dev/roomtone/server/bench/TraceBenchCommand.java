package dev.roomtone.server.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code roomtone bench trace FILE}: replays a real editing trace with Roomtone's document and
 * with yjs in Node, in the same run, and prints one JSON line per run and a comparison.
 */
@Command(
    name = "trace",
    mixinStandardHelpOptions = true,
    description = {
        "Replay an editing trace (e.g. automerge-paper.json.gz) one local transaction per patch,",
        "encode the result and load it back; the same with yjs in Node as the anchor.",
        "Prints one JSON line per run, then one comparing the warm medians (the last half of the",
        "runs: the JIT compiler needs a few runs on two cores) and the first runs."
    })
public final class TraceBenchCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "Trace in the editing-traces format (.json or .json.gz).")
  private Path file;

  @Option(names = "--runs", defaultValue = "10", description = "Runs per implementation (default: ${DEFAULT-VALUE}).")
  private int runs;

  @Option(names = "--no-anchor", description = "Skip the yjs anchor (Roomtone only).")
  private boolean noAnchor;

  @Option(names = "--anchor-dir", paramLabel = "DIR",
      description = "Directory with yjs-trace.mjs (default: script/src/test/node of this checkout).")
  private Path anchorDir;

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter progress = spec.commandLine().getErr();
    if (runs < 1) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--runs must be at least 1");
    }
    if (!Files.isRegularFile(file)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "no such trace file: " + file);
    }
    EditingTrace trace = EditingTrace.read(file);
    progress.printf("Trace %s: %,d patches%s%n", trace.name(), trace.patchCount(),
        trace.concurrent() ? " by " + trace.agents() + " agents" : "");
    progress.flush();
    TraceReplay replay = new TraceReplay(trace);
    List<JsonNode> ours = new ArrayList<>();
    for (int i = 1; i <= runs; i++) {
      progress.printf("Roomtone run %d/%d...%n", i, runs);
      progress.flush();
      TraceReplay.Result r = replay.run();
      ObjectNode line = result("roomtone", trace, i, r);
      ours.add(line);
      out.println(line);
      out.flush();
    }
    List<JsonNode> anchor = List.of();
    if (!noAnchor) {
      YjsAnchor yjs = new YjsAnchor(YjsAnchor.locate(anchorDir), progress);
      yjs.ensureInstalled();
      progress.printf("yjs (Node) %d runs...%n", runs);
      progress.flush();
      anchor = yjs.run(file, runs);
      int i = 1;
      for (JsonNode n : anchor) {
        ObjectNode line = JSON.createObjectNode();
        line.put("bench", "trace");
        line.put("impl", "yjs");
        line.put("run", i++);
        line.setAll((ObjectNode) n);
        line.remove("impl");
        line.put("impl", "yjs");
        out.println(line);
      }
    }
    out.println(comparison(trace, ours, anchor));
    out.flush();
    boolean allCorrect = ours.stream().allMatch(n -> n.path("correct").asBoolean());
    return allCorrect ? 0 : 1;
  }

  private static ObjectNode result(String impl, EditingTrace trace, int run, TraceReplay.Result r) {
    ObjectNode n = JSON.createObjectNode();
    n.put("bench", "trace");
    n.put("impl", impl);
    n.put("run", run);
    n.put("trace", trace.name());
    if (trace.concurrent()) {
      n.put("agents", trace.agents());
    }
    n.put("patches", trace.patchCount());
    n.put("correct", r.correct());
    n.put("replay_ms", round(r.replayMs()));
    n.put("encode_ms", round(r.encodeMs()));
    n.put("load_ms", round(r.loadMs()));
    n.put("update_bytes", r.updateBytes());
    n.put("loaded_doc_mb", Math.round(r.loadedDocMb() * 100) / 100.0);
    return n;
  }

  private static double round(double ms) {
    return Math.round(ms * 1000) / 1000.0;
  }

  /** Median of the last half of the runs, when both runtimes have compiled the hot code. */
  static double steadyMedian(List<JsonNode> runs, ToDoubleFunction<JsonNode> f) {
    List<JsonNode> steady = runs.subList(runs.size() / 2, runs.size());
    double[] v = steady.stream().mapToDouble(f).toArray();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static ObjectNode comparison(EditingTrace trace, List<JsonNode> ours, List<JsonNode> anchor) {
    ObjectNode n = JSON.createObjectNode();
    n.put("bench", "trace");
    n.put("impl", "comparison");
    n.put("trace", trace.name());
    n.put("runs", ours.size());
    n.put("statistic", "median of runs " + (ours.size() / 2 + 1) + ".." + ours.size());
    for (String key : List.of("replay_ms", "encode_ms", "load_ms", "update_bytes", "loaded_doc_mb")) {
      n.put("roomtone_" + key, round(steadyMedian(ours, x -> x.path(key).asDouble())));
    }
    n.put("roomtone_first_replay_ms", ours.get(0).path("replay_ms").asDouble());
    if (anchor.isEmpty()) {
      return n;
    }
    for (String key : List.of("replay_ms", "encode_ms", "load_ms", "update_bytes", "loaded_doc_mb")) {
      n.put("yjs_" + key, round(steadyMedian(anchor, x -> x.path(key).asDouble())));
    }
    n.put("yjs_first_replay_ms", anchor.get(0).path("replay_ms").asDouble());
    n.put("yjs_correct", anchor.stream().allMatch(x -> x.path("correct").asBoolean()));
    n.put("replay_speedup", ratio(n, "yjs_replay_ms", "roomtone_replay_ms"));
    n.put("load_speedup", ratio(n, "yjs_load_ms", "roomtone_load_ms"));
    n.put("size_ratio", ratio(n, "roomtone_update_bytes", "yjs_update_bytes"));
    n.put("heap_ratio", ratio(n, "roomtone_loaded_doc_mb", "yjs_loaded_doc_mb"));
    return n;
  }

  private static double ratio(ObjectNode n, String num, String den) {
    double d = n.path(den).asDouble();
    return d == 0 ? 0 : Math.round(n.path(num).asDouble() / d * 1000) / 1000.0;
  }
}
