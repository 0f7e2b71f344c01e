package dev.roomtone.multimodal.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OpenAI-compatible chat backend against a loopback server streaming as vLLM and llama.cpp do. */
class OpenAiChatBackendTest {

  private StandInServer server;

  @BeforeEach
  void start() throws Exception {
    server = new StandInServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private OpenAiChatBackend backend() {
    return new OpenAiChatBackend(ServerEndpoint.at(server.base())
        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofMillis(700)));
  }

  private static TextBackend.Request request() {
    return new TextBackend.Request("qwen2.5-1.5b-instruct",
        List.of(new TextBackend.ChatMessage("system", "You punch up dialogue."), new TextBackend.ChatMessage("user", "MAYA: I never wanted the money.")),
        64, 0.7, 0.95, List.of("\n\n"), 42L);
  }

  private static String chunk(String delta) {
    return "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":"
        + Http.JSON.valueToTree(delta) + "},\"finish_reason\":null}]}";
  }

  @Test
  void streamsTheDeltasInOrderAndReportsTheTokenCounts() throws Exception {
    server.on("/v1/chat/completions", (e, body) -> {
      try (OutputStream out = StandInServer.eventStream(e)) {
        StandInServer.event(out, "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"},\"finish_reason\":null}]}");
        out.write(": keep-alive\n\n".getBytes());
        for (String piece : List.of("I only", " ever wanted", " out — ", "héllo 🎬")) {
          StandInServer.event(out, chunk(piece));
        }
        StandInServer.event(out, "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}");
        StandInServer.event(out, "{\"choices\":[],\"usage\":{\"prompt_tokens\":31,\"completion_tokens\":9,\"total_tokens\":40}}");
        StandInServer.event(out, "[DONE]");
      }
    });
    List<String> deltas = new ArrayList<>();
    TextBackend.Result r = backend().generate(request(), deltas::add, new Cancellation());
    assertEquals(List.of("I only", " ever wanted", " out — ", "héllo 🎬"), deltas);
    assertEquals("I only ever wanted out — héllo 🎬", r.text());
    assertEquals(31, r.promptTokens());
    assertEquals(9, r.completionTokens());
    assertEquals("stop", r.finishReason());

    JsonNode sent = Http.JSON.readTree(server.last("/v1/chat/completions").body());
    assertTrue(sent.get("stream").asBoolean());
    assertEquals("qwen2.5-1.5b-instruct", sent.get("model").asText());
    assertEquals("user", sent.get("messages").get(1).get("role").asText());
    assertEquals(64, sent.get("max_tokens").asInt());
    assertEquals("\n\n", sent.get("stop").get(0).asText());
    assertEquals(42, sent.get("seed").asLong());
  }

  @Test
  void theApiKeyIsSentButNeverShownNorLoggedEvenWhenTheServerEchoesIt() throws Exception {
    // a proxy that echoes the request's headers into its error page
    server.on("/v1/chat/completions", (e, body) -> StandInServer.json(e, 401,
        "{\"error\":{\"message\":\"Invalid API key. You sent Authorization: " + e.getRequestHeaders().getFirst("Authorization")
            + " and api_key=sk-other-999\",\"type\":\"invalid_request_error\"}}"));
    OpenAiChatBackend b = new OpenAiChatBackend(ServerEndpoint.at(server.base()).withApiKey("sk-secret-123"));
    BackendException e = assertThrows(BackendException.class, () -> b.generate(request(), d -> { }, new Cancellation()));
    assertEquals("Bearer sk-secret-123", server.last("/v1/chat/completions").authorization());
    assertFalse(e.getMessage().contains("sk-secret") || b.describe().contains("sk-secret"), e.getMessage());
    assertTrue(e.detail().startsWith("The language model server at " + server.base() + " refused /v1/chat/completions (HTTP 401): "
        + "Invalid API key. You sent Authorization: Bearer [redacted] and api_key= [redacted]"), e.detail());
    assertFalse(e.detail().contains("sk-"), e.detail());
  }

  @Test
  void aPasswordInTheServersUrlIsNotShownWithItsAddress() {
    assertEquals("http://models.studio.lan:8000/v1", ServerEndpoint.at("http://ops:pa55@models.studio.lan:8000/v1/").toString());
    assertEquals("http://models.studio.lan:8000", ServerEndpoint.at("http://models.studio.lan:8000").toString());
  }

  @Test
  void aRefusalTellsTheRoomTheStatusAndTheLogWhatTheServerSaid() {
    server.on("/v1/chat/completions", (e, body) -> StandInServer.json(e, 404,
        "{\"error\":{\"message\":\"The model `llama-9000` does not exist.\",\"type\":\"NotFoundError\",\"code\":404}}"));
    BackendException e = assertThrows(BackendException.class, () -> backend().generate(request(), d -> { }, new Cancellation()));
    assertEquals(BackendException.Kind.REFUSED, e.kind());
    assertEquals("The language model server refused the request (HTTP 404); the operator can see the details in the server log.",
        e.getMessage());
    assertTrue(e.detail().contains(server.base()) && e.detail().contains("The model `llama-9000` does not exist."), e.detail());
  }

  @Test
  void whatTheServerSaysIsLoggedOnOneLineAndCapped() {
    server.on("/v1/chat/completions", (e, body) -> StandInServer.bytes(e, 500, "text/plain",
        ("Traceback (most recent call last):\n" + "  File \"/srv/models/app.py\", line 1\n".repeat(200))
            .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    BackendException e = assertThrows(BackendException.class, () -> backend().generate(request(), d -> { }, new Cancellation()));
    assertFalse(e.getMessage().contains("/srv/models") || e.getMessage().contains(server.base()), e.getMessage());
    assertTrue(e.detail().contains("Traceback") && e.detail().length() <= BackendException.MAX_DETAIL + 1, e.detail());
    assertFalse(e.detail().contains("\n"), e.detail());
  }

  @Test
  void malformedStreamsAreRefusedWithTheReason() {
    server.on("/v1/chat/completions", (e, body) -> {
      try (OutputStream out = StandInServer.eventStream(e)) {
        StandInServer.event(out, chunk("Hello"));
        StandInServer.event(out, "{not json");
      }
    });
    List<String> deltas = new ArrayList<>();
    BackendException e = assertThrows(BackendException.class, () -> backend().generate(request(), deltas::add, new Cancellation()));
    assertEquals(BackendException.Kind.MALFORMED, e.kind());
    assertTrue(e.getMessage().contains("not a JSON object") && !e.getMessage().contains("{not json"), e.getMessage());
    assertTrue(e.detail().contains("{not json"), e.detail());
    assertEquals(List.of("Hello"), deltas, "what streamed before is not taken back, but nothing is returned");
  }

  @Test
  void aStreamThatEndsEarlyIsNotMistakenForAnAnswer() {
    server.on("/v1/chat/completions", (e, body) -> {
      try (OutputStream out = StandInServer.eventStream(e)) {
        StandInServer.event(out, chunk("Half a li"));
      }
    });
    BackendException e = assertThrows(BackendException.class, () -> backend().generate(request(), d -> { }, new Cancellation()));
    assertEquals(BackendException.Kind.MALFORMED, e.kind());
    assertTrue(e.getMessage().contains("before it was complete"), e.getMessage());
  }

  @Test
  void anErrorEventInTheStreamFailsTheJob() {
    server.on("/v1/chat/completions", (e, body) -> {
      try (OutputStream out = StandInServer.eventStream(e)) {
        StandInServer.event(out, chunk("Hi"));
        StandInServer.event(out, "{\"error\":{\"message\":\"CUDA out of memory\"}}");
      }
    });
    BackendException e = assertThrows(BackendException.class, () -> backend().generate(request(), d -> { }, new Cancellation()));
    assertEquals(BackendException.Kind.REFUSED, e.kind());
    assertTrue(e.detail().contains("CUDA out of memory"), e.detail());
    assertFalse(e.getMessage().contains("CUDA"), e.getMessage());
  }

  @Test
  void aServerThatStallsMidAnswerTimesOut() {
    CountDownLatch release = new CountDownLatch(1);
    server.on("/v1/chat/completions", (e, body) -> {
      try (OutputStream out = StandInServer.eventStream(e)) {
        StandInServer.event(out, chunk("Wait for it"));
        release.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException ignored) {
        Thread.currentThread().interrupt();
      }
    });
    try {
      BackendException e = assertThrows(BackendException.class, () -> backend().generate(request(), d -> { }, new Cancellation()));
      assertEquals(BackendException.Kind.TIMEOUT, e.kind());
      assertTrue(e.getMessage().contains("sent nothing for"), e.getMessage());
    } finally {
      release.countDown();
    }
  }

  @Test
  void cancellingMidStreamStopsReadingAndSaysSo() {
    CountDownLatch release = new CountDownLatch(1);
    server.on("/v1/chat/completions", (e, body) -> {
      try (OutputStream out = StandInServer.eventStream(e)) {
        StandInServer.event(out, chunk("First"));
        release.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException ignored) {
        Thread.currentThread().interrupt();
      }
    });
    Cancellation cancel = new Cancellation();
    try {
      BackendException e = assertThrows(BackendException.class, () -> new OpenAiChatBackend(ServerEndpoint.at(server.base()))
          .generate(request(), d -> cancel.cancel("the writer cancelled the request"), cancel));
      assertEquals(BackendException.Kind.CANCELLED, e.kind());
      assertTrue(e.getMessage().contains("the writer cancelled the request"), e.getMessage());
    } finally {
      release.countDown();
    }
  }

  @Test
  void anUnreachableServerIsNamedInTheLog() throws Exception {
    String base = server.base();
    server.close();
    BackendException e = assertThrows(BackendException.class, () -> new OpenAiChatBackend(ServerEndpoint.at(base))
        .generate(request(), d -> { }, new Cancellation()));
    assertEquals(BackendException.Kind.UNREACHABLE, e.kind());
    assertTrue(e.detail().contains(base), "the log names it: " + e.detail());
    assertFalse(e.getMessage().contains(base), "the room does not: " + e.getMessage());
  }
}
