package dev.roomtone.server.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A browser-like peer: the official yjs and y-websocket packages in Node (src/test/node/yws-client.mjs). */
final class YjsPeer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path DIR = Path.of("src/test/node");

  private final Process process;
  private final BufferedWriter in;
  private final BufferedReader out;
  private long nextId;

  private YjsPeer(Process process) {
    this.process = process;
    this.in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /** Starts the peer and connects it to {@code roomId} through the y-websocket endpoint. */
  static YjsPeer connect(URI server, String roomId, String token, long clientId) {
    if (!Files.isDirectory(DIR.resolve("node_modules/y-websocket"))) {
      throw new IllegalStateException("y-websocket is not installed in " + DIR.toAbsolutePath() + ": run the Maven build");
    }
    try {
      Process p = new ProcessBuilder("node", "yws-client.mjs").directory(DIR.toFile())
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      YjsPeer peer = new YjsPeer(p);
      ObjectNode r = req("connect");
      r.put("url", server.toString().replaceFirst("^http", "ws") + "/yjs");
      r.put("room", roomId);
      r.put("token", token);
      r.put("clientId", clientId);
      peer.call(r);
      return peer;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start node", e);
    }
  }

  static ObjectNode req(String op) {
    ObjectNode n = JSON.createObjectNode();
    n.put("op", op);
    return n;
  }

  synchronized JsonNode call(ObjectNode request) {
    request.put("id", nextId++);
    try {
      in.write(request.toString());
      in.write('\n');
      in.flush();
      String line = out.readLine();
      if (line == null) {
        throw new IllegalStateException("the yjs peer exited");
      }
      JsonNode res = JSON.readTree(line);
      if (res.has("error")) {
        throw new AssertionError("yjs peer: " + res.get("error").asText() + " for " + request);
      }
      return res;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void insert(int index, String text) {
    call(req("insert").put("index", index).put("text", text));
  }

  void delete(int index, int length) {
    call(req("delete").put("index", index).put("length", length));
  }

  String text() {
    return call(req("text")).get("text").asText();
  }

  void disconnect() {
    call(req("disconnect"));
  }

  void reconnect() {
    call(req("reconnect"));
  }

  int bytesReceived() {
    return call(req("received")).get("bytes").asInt();
  }

  JsonNode deniedReasons() {
    return call(req("denied")).get("reasons");
  }

  void setAwareness(JsonNode state) {
    ObjectNode r = req("awareness");
    r.set("state", state);
    call(r);
  }

  JsonNode peers() {
    return call(req("peers")).get("states");
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
