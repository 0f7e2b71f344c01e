package dev.roomtone.multimodal.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** JSON over HTTP to one model server, with its timeouts, size limits and readable failures. */
final class Http {

  static final ObjectMapper JSON = new ObjectMapper();
  /** Largest JSON answer read into memory (image servers answer with base64 images inside JSON). */
  static final long MAX_JSON_BYTES = 64L << 20;

  private final ServerEndpoint endpoint;
  private final String serverName;
  private final HttpClient client;

  Http(ServerEndpoint endpoint, String serverName) {
    this.endpoint = endpoint;
    this.serverName = serverName;
    this.client = HttpClient.newBuilder().connectTimeout(endpoint.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /** The server as the room hears of it: what it is, not where. */
  String name() {
    return serverName;
  }

  /** The server as the operator's log names it: what it is and where. */
  String where() {
    return serverName + " at " + endpoint;
  }

  /** How a message for the room ends when the server's own words went to the log instead. */
  static final String SEE_LOG = "the operator can see the details in the server log.";

  /**
   * Text from the server (or about the request) made fit for the log: the API key and any
   * bearer token or authorization header it echoed are masked.
   */
  String redact(String text) {
    String s = AUTHORIZATION.matcher(text).replaceAll("$1 [redacted]");
    return endpoint.apiKey().isEmpty() ? s : s.replace(endpoint.apiKey(), "[api key]");
  }

  /** A credential in text: an authorization header (with its scheme), a bearer token, an api_key field. */
  private static final java.util.regex.Pattern AUTHORIZATION = java.util.regex.Pattern.compile(
      "(?i)(authorization\"?\\s*[:=]\\s*\"?(?:bearer|basic)?|bearer|api[-_]?key\"?\\s*[:=])\\s*\"?[^\\s\",}]+");

  /** What the server said in an error body, fit for the log. */
  String serverSaid(byte[] body) {
    return redact(serverMessage(body));
  }

  URI uri(String pathAndQuery) {
    return URI.create(endpoint.base() + pathAndQuery);
  }

  private HttpRequest.Builder request(String pathAndQuery) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(endpoint.responseTimeout());
    if (!endpoint.apiKey().isEmpty()) {
      b.header("Authorization", "Bearer " + endpoint.apiKey());
    }
    return b;
  }

  static HttpRequest.BodyPublisher json(Object body) {
    try {
      return HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot write the request as JSON", e);
    }
  }

  JsonNode postJson(String path, Object body, Cancellation cancellation) throws BackendException {
    return parse(path, send(request(path).header("Content-Type", "application/json").POST(json(body)).build(), cancellation));
  }

  JsonNode getJson(String pathAndQuery, Cancellation cancellation) throws BackendException {
    return parse(pathAndQuery, send(request(pathAndQuery).GET().build(), cancellation));
  }

  byte[] getBytes(String pathAndQuery, long maxBytes, Cancellation cancellation) throws BackendException {
    HttpResponse<InputStream> r = send(request(pathAndQuery).GET().build(), cancellation);
    return readLimited(pathAndQuery, r, maxBytes, cancellation);
  }

  /** Opens a streamed response (server-sent events); the caller reads and closes it. */
  HttpResponse<InputStream> postForStream(String path, Object body, Cancellation cancellation) throws BackendException {
    return send(request(path).header("Content-Type", "application/json").header("Accept", "text/event-stream")
        .POST(json(body)).build(), cancellation);
  }

  /** Sends; an HTTP error status becomes a REFUSED failure, the server's own message in its detail. */
  private HttpResponse<InputStream> send(HttpRequest request, Cancellation cancellation) throws BackendException {
    cancellation.check();
    CompletableFuture<HttpResponse<InputStream>> f = client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
    cancellation.onCancel(() -> f.cancel(true));
    HttpResponse<InputStream> r;
    try {
      r = f.get();
    } catch (CancellationException e) {
      cancellation.check();
      throw new BackendException(BackendException.Kind.CANCELLED, "Cancelled while waiting for " + name() + ".",
          "Cancelled while waiting for " + where() + ".");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendException(BackendException.Kind.CANCELLED, "Interrupted while waiting for " + name() + ".",
          "Interrupted while waiting for " + where() + ".");
    } catch (ExecutionException e) {
      throw failure(request.uri().getPath(), e.getCause());
    }
    if (r.statusCode() >= 300) {
      byte[] body = readLimited(request.uri().getPath(), r, 64 << 10, cancellation);
      throw new BackendException(BackendException.Kind.REFUSED, name() + " refused the request (HTTP " + r.statusCode()
          + "); " + SEE_LOG, where() + " refused " + request.uri().getPath() + " (HTTP " + r.statusCode() + "): "
          + serverSaid(body));
    }
    return r;
  }

  BackendException failure(String path, Throwable cause) {
    if (cause instanceof HttpConnectTimeoutException) {
      String what = " did not accept a connection within " + endpoint.connectTimeout().toSeconds() + " s.";
      return new BackendException(BackendException.Kind.UNREACHABLE, name() + what, where() + what, cause);
    }
    if (cause instanceof HttpTimeoutException) {
      return new BackendException(BackendException.Kind.TIMEOUT, name() + " did not answer within "
          + endpoint.responseTimeout().toSeconds() + " s.", where() + " did not answer " + path + " within "
          + endpoint.responseTimeout().toSeconds() + " s.", cause);
    }
    if (cause instanceof ConnectException) {
      String what = " cannot be reached: connection refused.";
      return new BackendException(BackendException.Kind.UNREACHABLE, name() + what, where() + what, cause);
    }
    return new BackendException(BackendException.Kind.UNREACHABLE, name() + " could not be reached; " + SEE_LOG,
        where() + " failed during " + path + ": " + redact(String.valueOf(cause)), cause);
  }

  private byte[] readLimited(String path, HttpResponse<InputStream> r, long maxBytes, Cancellation cancellation)
      throws BackendException {
    try (InputStream in = r.body()) {
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
      if (bytes.length > maxBytes) {
        throw new BackendException(BackendException.Kind.MALFORMED, name() + " sent more than " + maxBytes
            + " bytes; the answer was not read.", where() + " sent more than " + maxBytes + " bytes for " + path
            + "; the answer was not read.");
      }
      return bytes;
    } catch (IOException e) {
      cancellation.check();
      throw failure(path, e);
    }
  }

  private JsonNode parse(String path, HttpResponse<InputStream> r) throws BackendException {
    byte[] body = readLimited(path, r, MAX_JSON_BYTES, new Cancellation());
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new BackendException(BackendException.Kind.MALFORMED, name() + " answered with something that is not JSON; "
          + SEE_LOG, where() + " answered " + path + " with something that is not JSON: " + redact(preview(body)));
    }
  }

  /** The message inside an error body, in the shapes OpenAI-compatible servers, ComfyUI and AUTOMATIC1111 use. */
  static String serverMessage(byte[] body) {
    try {
      JsonNode n = JSON.readTree(body);
      JsonNode error = n.path("error");
      if (error.isObject()) {
        String m = error.path("message").asText("");
        String details = error.path("details").asText("");
        if (!m.isEmpty()) {
          return details.isEmpty() ? m : m + " (" + details + ")";
        }
      } else if (error.isTextual()) {
        return error.asText();
      }
      for (String field : new String[] {"detail", "message"}) {
        if (n.path(field).isTextual()) {
          return n.path(field).asText();
        }
      }
    } catch (IOException | RuntimeException ignored) {
      // not JSON: show the start of the text
    }
    return preview(body);
  }

  static String preview(byte[] body) {
    String s = new String(body, 0, Math.min(body.length, 300), java.nio.charset.StandardCharsets.UTF_8).strip();
    return s.isEmpty() ? "(empty)" : s.replaceAll("\\s+", " ") + (body.length > 300 ? "…" : "");
  }
}
