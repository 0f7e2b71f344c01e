package dev.roomtone.multimodal.engine.oracle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * llama.cpp, run through node-llama-cpp's prebuilt CPU binaries, driven over line-delimited JSON
 * (see src/test/node/llama-oracle.mjs). The engine's token-level claims are checked against it.
 */
public final class LlamaCpp implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path NODE_DIR = Path.of("src/test/node");
  private final Process process;
  private final BufferedWriter in;
  private final BufferedReader out;

  private LlamaCpp(Process p) {
    process = p;
    in = new BufferedWriter(new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8));
    out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
  }

  public static LlamaCpp start() {
    if (!Files.isDirectory(NODE_DIR.resolve("node_modules/node-llama-cpp"))) {
      throw new IllegalStateException("node-llama-cpp is not installed in "
          + NODE_DIR.toAbsolutePath() + ": run the Maven build (it runs npm ci there)");
    }
    try {
      Process p = new ProcessBuilder("node", "llama-oracle.mjs").directory(NODE_DIR.toFile())
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      LlamaCpp oracle = new LlamaCpp(p);
      oracle.call(JSON.createObjectNode().put("op", "ping"));
      return oracle;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start node for the llama.cpp oracle", e);
    }
  }

  private synchronized JsonNode call(ObjectNode req) {
    try {
      in.write(JSON.writeValueAsString(req));
      in.newLine();
      in.flush();
      String line = out.readLine();
      if (line == null) {
        throw new IllegalStateException("the llama.cpp oracle exited");
      }
      JsonNode reply = JSON.readTree(line);
      if (reply.has("error")) {
        throw new IllegalStateException("llama.cpp: " + reply.get("error").asText());
      }
      return reply;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int[] ints(JsonNode a) {
    int[] r = new int[a.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = a.get(i).asInt();
    }
    return r;
  }

  public int[] tokenize(Path model, String text, boolean special) {
    ObjectNode req = JSON.createObjectNode().put("op", "tokenize")
        .put("model", model.toAbsolutePath().toString()).put("text", text).put("special", special);
    return ints(call(req).get("tokens"));
  }

  /** Greedy continuation of the prompt tokens, stopping after n tokens or an end-of-generation. */
  public int[] greedy(Path model, int[] prompt, int n) {
    ObjectNode req = JSON.createObjectNode().put("op", "greedy")
        .put("model", model.toAbsolutePath().toString()).put("n", n);
    var arr = req.putArray("tokens");
    for (int t : prompt) {
      arr.add(t);
    }
    return ints(call(req).get("tokens"));
  }

  /** Prefill and decode tokens per second of llama.cpp on this file. */
  public double[] bench(Path model, int prompt, int decode, int threads) {
    JsonNode r = call(JSON.createObjectNode().put("op", "bench")
        .put("model", model.toAbsolutePath().toString()).put("prompt", prompt)
        .put("decode", decode).put("threads", threads));
    return new double[] {r.get("prefill_tps").asDouble(), r.get("decode_tps").asDouble()};
  }

  @Override
  public void close() {
    try {
      in.close();
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException | InterruptedException e) {
      process.destroyForcibly();
    }
  }
}
