package dev.roomtone.server.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roomtone.multimodal.engine.compute.Backend;
import dev.roomtone.multimodal.engine.compute.Backends;
import dev.roomtone.multimodal.engine.compute.CpuBackend;
import dev.roomtone.multimodal.engine.gguf.GgmlType;
import dev.roomtone.multimodal.engine.model.InferenceSession;
import dev.roomtone.multimodal.engine.model.LlamaModel;
import dev.roomtone.multimodal.engine.model.SyntheticModel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code roomtone bench llm --model FILE}: prefill and decode tokens per second of the engine on
 * each backend, and of llama.cpp on the same file in the same run (the anchor).
 */
@Command(name = "llm", mixinStandardHelpOptions = true,
    description = {"Prefill and decode speed of the language-model engine, against llama.cpp.",
        "Each backend, then llama.cpp (node-llama-cpp) on the same model file as the anchor.",
        "One JSON line per result."})
public final class LlmBenchCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Tokens decoded before the clock starts, by both engines (llama-oracle.mjs has the same). */
  private static final int WARM_UP_DECODE = 8;

  @Spec
  private CommandSpec spec;

  @Option(names = "--model", paramLabel = "FILE", description = "GGUF file to measure.")
  private Path model;

  @Option(names = "--synthetic", paramLabel = "TYPE",
      description = "Instead of --model: write a 1B-parameter-shaped llama model with random"
          + " weights of this type (e.g. Q8_0) to --model's path or a temporary file.")
  private GgmlType synthetic;

  @Option(names = "--prompt", defaultValue = "64", description = "Prompt tokens (default ${DEFAULT-VALUE}).")
  private int promptTokens;

  @Option(names = "--decode", defaultValue = "32", description = "Generated tokens (default ${DEFAULT-VALUE}).")
  private int decodeTokens;

  @Option(names = "--threads", defaultValue = "0", description = "Threads for both engines (0: every core).")
  private int threads;

  @Option(names = "--backends", split = ",", paramLabel = "NAME",
      description = "Backends to measure (default: cpu and every OpenCL device found; cuda or cuda:N by name).")
  private List<String> backends;

  @Option(names = "--no-anchor", description = "Skip llama.cpp.")
  private boolean noAnchor;

  @Option(names = "--anchor-dir", paramLabel = "DIR",
      description = "Directory with llama-oracle.mjs and node-llama-cpp (default: multimodal/src/test/node).")
  private Path anchorDir;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int t = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    Path file = model;
    if (synthetic != null) {
      file = model != null ? model : Files.createTempFile("roomtone-synthetic-", ".gguf");
      err.printf("Writing a %,d-parameter synthetic %s model to %s...%n",
          SyntheticModel.Shape.ONE_B.parameters(), synthetic, file);
      err.flush();
      SyntheticModel.write(file, SyntheticModel.Shape.ONE_B, synthetic, 6);
    } else if (file == null || !Files.isRegularFile(file)) {
      throw new ParameterException(spec.commandLine(), "--model FILE (an existing GGUF file) or --synthetic TYPE is needed");
    }
    int[] prompt = new int[promptTokens];
    for (int i = 0; i < prompt.length; i++) {
      prompt[i] = 1 + (i * 7) % 50; // the same tokens the anchor script uses
    }
    ObjectNode ours = null;
    List<String> names = backends != null ? backends : Backends.available();
    try (LlamaModel m = LlamaModel.open(file)) {
      for (String name : names) {
        try (Backend backend = Backends.open(name, t)) {
          // a warm-up of both paths, so that the JIT has compiled the kernels before the clock
          // starts: a decode product runs other loops than a batch (the 8-bit Q8_0 product), and
          // one decoded token started their compilation but left the next ones to slower tiers
          InferenceSession warm = new InferenceSession(m, backend, 32);
          float[] w = warm.forward(1, 2, 3, 4, 5, 6, 7, 8);
          for (int i = 0; i < WARM_UP_DECODE; i++) {
            w = warm.forward(argmax(w));
          }
          InferenceSession s = new InferenceSession(m, backend, promptTokens + decodeTokens + 1);
          long t0 = System.nanoTime();
          float[] logits = s.forward(prompt);
          long t1 = System.nanoTime();
          for (int i = 0; i < decodeTokens; i++) {
            logits = s.forward(argmax(logits));
          }
          long t2 = System.nanoTime();
          ObjectNode l = line("roomtone", backend.name(), t, file, m.weights().bytes(),
              promptTokens / ((t1 - t0) / 1e9), decodeTokens / ((t2 - t1) / 1e9));
          if (backend instanceof CpuBackend cpu) {
            // "vector-N" or "scalar": the launcher's --add-modules decides (docs/engine.md)
            l.put("kernels", cpu.kernels().name());
          }
          if (name.equals("cpu")) {
            ours = l;
          }
          out.println(l);
          out.flush();
        }
      }
    }
    if (noAnchor) {
      return 0;
    }
    Path dir = anchorDir != null ? anchorDir : Path.of("multimodal/src/test/node");
    if (!Files.isDirectory(dir.resolve("node_modules/node-llama-cpp"))) {
      ObjectNode missing = JSON.createObjectNode().put("bench", "llm").put("engine", "llama.cpp")
          .put("error", "node-llama-cpp not installed in " + dir.toAbsolutePath()
              + " (run the Maven build, or pass --anchor-dir)");
      out.println(missing);
      out.flush();
      return 1;
    }
    Process p = new ProcessBuilder("node", "llama-oracle.mjs").directory(dir.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    ObjectNode req = JSON.createObjectNode().put("op", "bench")
        .put("model", file.toAbsolutePath().toString()).put("prompt", promptTokens)
        .put("decode", decodeTokens).put("threads", t);
    JsonNode reply;
    try (var w = p.outputWriter(StandardCharsets.UTF_8);
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      w.write(req + "\n");
      w.flush();
      reply = JSON.readTree(r.readLine());
    }
    p.waitFor();
    if (reply.has("error")) {
      throw new IllegalStateException("llama.cpp: " + reply.get("error").asText());
    }
    ObjectNode anchor = line("llama.cpp", "cpu", t, file, -1, reply.get("prefill_tps").asDouble(),
        reply.get("decode_tps").asDouble());
    out.println(anchor);
    if (ours == null) {
      return 0; // the comparison is CPU against CPU
    }
    ObjectNode cmp = JSON.createObjectNode().put("bench", "llm").put("compare", "roomtone/llama.cpp")
        .put("prefill_ratio", round(ours.get("prefill_tps").asDouble() / anchor.get("prefill_tps").asDouble()))
        .put("decode_ratio", round(ours.get("decode_tps").asDouble() / anchor.get("decode_tps").asDouble()));
    out.println(cmp);
    out.flush();
    return 0;
  }

  private static ObjectNode line(String engine, String backend, int threads, Path file,
      long weightBytes, double prefill, double decode) {
    ObjectNode n = JSON.createObjectNode().put("bench", "llm").put("engine", engine)
        .put("backend", backend).put("threads", threads)
        .put("model", file.getFileName().toString())
        .put("prefill_tps", round(prefill)).put("decode_tps", round(decode));
    if (weightBytes > 0) {
      // bytes of weights read per decoded token ÷ time: the memory bandwidth the decode reached
      n.put("decode_gb_per_s", round(weightBytes * decode / 1e9));
    }
    return n;
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private static int argmax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }
}
