package dev.roomtone.script.crdt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The official yjs package, running in Node, driven over line-delimited JSON (see
 * src/test/node/yjs-oracle.mjs). Every compatibility claim of the Java CRDT is checked against it.
 */
final class YjsOracle implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final Path NODE_DIR = Path.of("src/test/node");

  private final Process process;
  private final BufferedWriter in;
  private final BufferedReader out;
  private long nextId;

  private YjsOracle(Process process) {
    this.process = process;
    this.in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  static YjsOracle start() {
    Path script = NODE_DIR.resolve("yjs-oracle.mjs");
    if (!Files.exists(NODE_DIR.resolve("node_modules/yjs"))) {
      throw new IllegalStateException("yjs is not installed in " + NODE_DIR.toAbsolutePath()
          + ": run the Maven build (it runs npm ci there)");
    }
    try {
      Process p = new ProcessBuilder("node", script.getFileName().toString())
          .directory(NODE_DIR.toFile())
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
      YjsOracle oracle = new YjsOracle(p);
      String version = oracle.call(oracle.req("ping")).path("yjs").asText();
      if (!version.startsWith("13.6.")) {
        throw new IllegalStateException("expected yjs 13.6.x as the oracle, found " + version);
      }
      return oracle;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start node for the yjs oracle", e);
    }
  }

  ObjectNode req(String op) {
    ObjectNode n = JSON.createObjectNode();
    n.put("op", op);
    return n;
  }

  /** Sends one request and returns its response; an oracle-side error fails with its message. */
  JsonNode call(ObjectNode request) {
    JsonNode res = send(request);
    if (res.has("error")) {
      throw new OracleError(res.get("error").asText() + " for " + request);
    }
    return res;
  }

  private JsonNode send(ObjectNode request) {
    request.put("id", nextId++);
    try {
      in.write(JSON.writeValueAsString(request));
      in.write('\n');
      in.flush();
      String line = out.readLine();
      if (line == null) {
        throw new IllegalStateException("yjs oracle exited");
      }
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs requests in one round trip; each result may carry its own error. */
  List<JsonNode> batch(List<ObjectNode> requests) {
    ObjectNode b = req("batch");
    ArrayNode arr = b.putArray("requests");
    requests.forEach(arr::add);
    JsonNode res = call(b);
    List<JsonNode> out = new ArrayList<>();
    res.get("results").forEach(out::add);
    return out;
  }

  /** An error reported by the oracle (the request was invalid for yjs). */
  static final class OracleError extends RuntimeException {
    OracleError(String message) {
      super(message);
    }
  }

  // ---- typed helpers

  static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  static byte[] unb64(JsonNode n) {
    return n == null || n.isNull() ? null : Base64.getDecoder().decode(n.asText());
  }

  void newDoc(String name, long clientId, boolean gc) {
    ObjectNode r = req("new");
    r.put("doc", name);
    r.put("clientId", clientId);
    r.put("gc", gc);
    call(r);
  }

  void drop(String name) {
    ObjectNode r = req("drop");
    r.put("doc", name);
    call(r);
  }

  /** Applies edits in one transaction; returns the update it emitted (null if none). */
  byte[] apply(String name, ArrayNode ops) {
    ObjectNode r = req("apply");
    r.put("doc", name);
    r.set("ops", ops);
    return unb64(call(r).get("update"));
  }

  byte[] encodeState(String name, byte[] sv) {
    ObjectNode r = req("encodeState");
    r.put("doc", name);
    if (sv != null) {
      r.put("sv", b64(sv));
    }
    return unb64(call(r).get("update"));
  }

  byte[] stateVector(String name) {
    ObjectNode r = req("stateVector");
    r.put("doc", name);
    return unb64(call(r).get("sv"));
  }

  void applyUpdate(String name, byte[] update) {
    ObjectNode r = req("applyUpdate");
    r.put("doc", name);
    r.put("update", b64(update));
    call(r);
  }

  JsonNode content(String name, List<String> roots) {
    ObjectNode r = req("content");
    r.put("doc", name);
    ArrayNode a = r.putArray("roots");
    roots.forEach(a::add);
    return call(r).get("content");
  }

  byte[] mergeUpdates(List<byte[]> updates) {
    ObjectNode r = req("mergeUpdates");
    ArrayNode a = r.putArray("updates");
    updates.forEach(u -> a.add(b64(u)));
    return unb64(call(r).get("update"));
  }

  byte[] diffUpdate(byte[] update, byte[] sv) {
    ObjectNode r = req("diffUpdate");
    r.put("update", b64(update));
    r.put("sv", b64(sv));
    return unb64(call(r).get("update"));
  }

  byte[] svFromUpdate(byte[] update) {
    ObjectNode r = req("svFromUpdate");
    r.put("update", b64(update));
    return unb64(call(r).get("sv"));
  }

  byte[] relPos(String name, ArrayNode path, int index, int assoc) {
    ObjectNode r = req("relPos");
    r.put("doc", name);
    r.set("path", path);
    r.put("index", index);
    r.put("assoc", assoc);
    return unb64(call(r).get("rpos"));
  }

  /** The index a relative position resolves to, or null. */
  Integer resolveRelPos(String name, byte[] rpos) {
    ObjectNode r = req("resolveRelPos");
    r.put("doc", name);
    r.put("rpos", b64(rpos));
    JsonNode idx = call(r).get("index");
    return idx == null || idx.isNull() ? null : idx.asInt();
  }

  @Override
  public void close() {
    try {
      in.close();
      process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (IOException | InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      process.destroyForcibly();
    }
  }
}
