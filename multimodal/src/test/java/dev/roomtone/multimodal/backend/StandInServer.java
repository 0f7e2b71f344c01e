package dev.roomtone.multimodal.backend;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A loopback HTTP server for tests that answers like a model server's documented API: each test
 * registers what the routes answer; every request is recorded.
 */
final class StandInServer implements AutoCloseable {

  record Received(String method, String pathAndQuery, String body, String authorization) {
  }

  interface Handler {
    void handle(HttpExchange exchange, String body) throws IOException;
  }

  final List<Received> received = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  StandInServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "stand-in-server");
      t.setDaemon(true);
      return t;
    }));
    server.start();
  }

  /** Answers requests under {@code path}. */
  StandInServer on(String path, Handler handler) {
    server.createContext(path, exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(), body,
          exchange.getRequestHeaders().getFirst("Authorization")));
      try {
        handler.handle(exchange, body);
      } finally {
        exchange.close();
      }
    });
    return this;
  }

  String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  Received last(String pathPrefix) {
    for (int i = received.size() - 1; i >= 0; i--) {
      if (received.get(i).pathAndQuery().startsWith(pathPrefix)) {
        return received.get(i);
      }
    }
    throw new AssertionError("no request to " + pathPrefix + " in " + received);
  }

  static void json(HttpExchange e, int status, String json) throws IOException {
    bytes(e, status, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  static void bytes(HttpExchange e, int status, String type, byte[] body) throws IOException {
    e.getResponseHeaders().set("Content-Type", type);
    e.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = e.getResponseBody()) {
      out.write(body);
    }
  }

  /** Starts a server-sent event stream; the caller writes events and ends it. */
  static OutputStream eventStream(HttpExchange e) throws IOException {
    e.getResponseHeaders().set("Content-Type", "text/event-stream");
    e.sendResponseHeaders(200, 0);
    return e.getResponseBody();
  }

  static void event(OutputStream out, String data) throws IOException {
    out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** The smallest valid PNG: one transparent pixel. */
  static final byte[] PNG = java.util.Base64.getDecoder().decode(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

  @Override
  public void close() {
    server.stop(0);
  }
}
