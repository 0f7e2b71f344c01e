package dev.roomtone.multimodal.backend;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * An OpenAI-compatible chat completions server (vLLM, llama.cpp's server, Ollama, …), streamed:
 * {@code POST /v1/chat/completions} with {@code "stream": true}, answered with server-sent events,
 * one {@code data: {chunk}} per delta and {@code data: [DONE]} at the end.
 */
public final class OpenAiChatBackend implements TextBackend {

  private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "model-server-watchdog");
    t.setDaemon(true);
    return t;
  });

  private final ServerEndpoint endpoint;
  private final Http http;

  public OpenAiChatBackend(ServerEndpoint endpoint) {
    this.endpoint = endpoint;
    this.http = new Http(endpoint, "The language model server");
  }

  @Override
  public String describe() {
    return "openai-compatible " + endpoint;
  }

  @Override
  public Result generate(Request request, Consumer<String> onDelta, Cancellation cancellation) throws BackendException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("model", request.model());
    body.put("messages", request.messages().stream().map(m -> Map.of("role", m.role(), "content", m.content())).toList());
    body.put("max_tokens", request.maxTokens());
    body.put("temperature", request.temperature());
    body.put("top_p", request.topP());
    if (!request.stop().isEmpty()) {
      body.put("stop", request.stop());
    }
    if (request.seed() != null) {
      body.put("seed", request.seed());
    }
    body.put("stream", true);
    body.put("stream_options", Map.of("include_usage", true));

    HttpResponse<InputStream> response = http.postForStream("/v1/chat/completions", body, cancellation);
    StringBuilder text = new StringBuilder();
    int promptTokens = 0;
    int completionTokens = 0;
    String finish = null;
    try (InputStream in = response.body();
         BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      cancellation.onCancel(() -> closeQuietly(in));
      StringBuilder data = new StringBuilder();
      while (true) {
        String line = readWithin(lines, in);
        if (line == null) {
          cancellation.check();
          String what = " ended the stream before it was complete (no [DONE]); the partial answer was discarded.";
          throw new BackendException(BackendException.Kind.MALFORMED, http.name() + what, http.where() + what);
        }
        if (line.startsWith(":")) {
          continue; // an SSE comment, e.g. a keep-alive
        }
        if (line.startsWith("data:")) {
          data.append(data.isEmpty() ? "" : "\n").append(line.substring(line.startsWith("data: ") ? 6 : 5));
          continue;
        }
        if (!line.isEmpty() || data.isEmpty()) {
          continue; // other fields (event:, id:, retry:) carry nothing for chat completions
        }
        String payload = data.toString();
        data.setLength(0);
        if (payload.equals("[DONE]")) {
          break;
        }
        JsonNode chunk = chunk(payload);
        if (chunk.has("error")) {
          throw new BackendException(BackendException.Kind.REFUSED, http.name() + " stopped with an error; " + Http.SEE_LOG,
              http.where() + " stopped with an error: " + http.serverSaid(payload.getBytes(StandardCharsets.UTF_8)));
        }
        JsonNode choice = chunk.path("choices").path(0);
        String delta = choice.path("delta").path("content").asText("");
        if (!delta.isEmpty()) {
          text.append(delta);
          onDelta.accept(delta);
        }
        if (choice.hasNonNull("finish_reason")) {
          finish = choice.get("finish_reason").asText();
        }
        JsonNode usage = chunk.path("usage");
        if (usage.isObject()) {
          promptTokens = usage.path("prompt_tokens").asInt(promptTokens);
          completionTokens = usage.path("completion_tokens").asInt(completionTokens);
        }
      }
    } catch (IOException e) {
      cancellation.check();
      throw http.failure("/v1/chat/completions", e);
    }
    cancellation.check();
    return new Result(text.toString(), promptTokens, completionTokens, finish == null ? "stop" : finish);
  }

  private JsonNode chunk(String payload) throws BackendException {
    try {
      JsonNode n = Http.JSON.readTree(payload);
      if (n == null || !n.isObject()) {
        throw new IOException("not an object");
      }
      return n;
    } catch (IOException e) {
      throw new BackendException(BackendException.Kind.MALFORMED, http.name() + " sent a stream event that is not a JSON object; "
          + Http.SEE_LOG, http.where() + " sent a stream event that is not a JSON object: "
          + http.redact(Http.preview(payload.getBytes(StandardCharsets.UTF_8))));
    }
  }

  /** Reads a line, closing the stream if the server sends nothing for the idle timeout. */
  private String readWithin(BufferedReader lines, InputStream in) throws IOException, BackendException {
    AtomicBoolean timedOut = new AtomicBoolean();
    ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> {
      timedOut.set(true);
      closeQuietly(in);
    }, endpoint.idleTimeout().toMillis(), TimeUnit.MILLISECONDS);
    String line;
    try {
      line = lines.readLine();
    } catch (IOException e) {
      if (!timedOut.get()) {
        throw e;
      }
      line = null;
    } finally {
      watchdog.cancel(false);
    }
    if (timedOut.get()) {
      String what = " sent nothing for " + endpoint.idleTimeout().toSeconds()
          + " s in the middle of an answer; the partial answer was discarded.";
      throw new BackendException(BackendException.Kind.TIMEOUT, http.name() + what, http.where() + what);
    }
    return line;
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // closing to interrupt a read: nothing to do if it fails
    }
  }
}
