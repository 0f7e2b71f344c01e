package dev.roomtone.server.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import dev.roomtone.multimodal.engine.gguf.GgmlType;
import dev.roomtone.multimodal.engine.model.SyntheticModel;
import dev.roomtone.protocol.v1.AiJobEvent;
import dev.roomtone.protocol.v1.AiRequest;
import dev.roomtone.protocol.v1.ClientMessage;
import dev.roomtone.protocol.v1.ErrorCode;
import dev.roomtone.protocol.v1.ServerMessage;
import dev.roomtone.protocol.v1.Suggestion;
import dev.roomtone.protocol.v1.SuggestionDecision;
import dev.roomtone.script.crdt.RelativePosition;
import dev.roomtone.script.crdt.YDoc;
import dev.roomtone.script.crdt.YText;
import dev.roomtone.server.RoomtoneServer;
import dev.roomtone.server.TestServerAccess;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AI assistance end to end through the real server: a writer asks for alternative lines, the job
 * is queued on the GPU scheduler, runs on the in-process engine with a tiny generated model,
 * streams its tokens to every member and becomes a pending suggestion; only the showrunner can let
 * it in, and the disclosure report then lists it.
 */
class AiAssistTest {

  private static final String SCENE = "INT. HARBOUR DINER - NIGHT\n\nMAYA\nWe close at midnight.\n\nSTRANGER\nI saw the light.\n";
  private static final String LINE = "We close at midnight.";

  @Test
  void aRequestRunsOnTheEngineStreamsToTheRoomAndTheShowrunnerApprovesIt(@TempDir Path dir) throws Exception {
    Path model = SyntheticModel.write(dir.resolve("tiny-writer.gguf"), SyntheticModel.Shape.TINY, GgmlType.Q8_0, 5);
    try (RoomtoneServer server = RoomtoneServer.start(TestServerAccess.config(dir.resolve("data"),
        Map.of("roomtone.ai.engine-model", model.toString(), "roomtone.ai.engine-threads", 2)))) {
      RestApi api = new RestApi(server.uri());
      RestApi.Room room = api.room("Harbour Lights");
      try (ProtocolClient writer = ProtocolClient.join(server.uri(), room.id(), room.writerToken(), new YDoc(51));
           ProtocolClient showrunner = ProtocolClient.join(server.uri(), room.id(), room.showrunnerToken(), new YDoc(52))) {
        writer.awaitAck(writer.edit(d -> d.getText("script").insert(0, SCENE)));
        LiveRoomTest.awaitText(showrunner, SCENE);

        YText script = writer.doc.getText("script");
        int from = SCENE.indexOf(LINE);
        long ask = writer.nextRequest();
        writer.send(ClientMessage.newBuilder().setRequestId(ask).setAiRequest(AiRequest.newBuilder().setTask("alternatives")
            .setVariants(2).setInstruction("colder")
            .setAnchorStart(ByteString.copyFrom(RelativePosition.fromIndex(script, from, 0).encode()))
            .setAnchorEnd(ByteString.copyFrom(RelativePosition.fromIndex(script, from + LINE.length(), -1).encode()))));
        String jobId = writer.expect(m -> m.hasAck() && m.getRequestId() == ask).getAck().getJobId();

        // every member sees the job queued with its position, started on a device, then its tokens
        AiJobEvent queued = showrunner.expect(m -> m.hasAiJob() && m.getAiJob().getJobId().equals(jobId)).getAiJob();
        assertTrue(queued.hasQueued(), queued.toString());
        AiJobEvent started = showrunner.expect(m -> m.hasAiJob() && m.getAiJob().hasStarted()).getAiJob();
        assertEquals("cpu", started.getStarted().getDevice());
        assertEquals("tiny-writer", started.getStarted().getModel());
        StringBuilder streamed = new StringBuilder();
        AiJobEvent last;
        do { // deltas, and positions while it waited, until the end
          last = showrunner.expect(m -> m.hasAiJob() && m.getAiJob().getJobId().equals(jobId)).getAiJob();
          if (last.hasDelta()) {
            streamed.append(last.getDelta().getText());
          }
        } while (last.hasDelta() || last.hasQueued());
        assertTrue(last.hasFinished(), "the job did not finish: " + last);
        assertFalse(streamed.isEmpty(), "no tokens were streamed");

        String suggestionId = last.getFinished().getSuggestionId();
        ServerMessage proposed = writer.expect(m -> m.hasSuggestion()
            && m.getSuggestion().getSuggestion().getSuggestionId().equals(suggestionId));
        Suggestion pending = proposed.getSuggestion().getSuggestion();
        assertEquals(Suggestion.Status.STATUS_PENDING, pending.getStatus());
        assertEquals(streamed.toString().strip(), pending.getProposedText());
        assertEquals(LINE, pending.getOriginalText());
        assertEquals("tiny-writer", pending.getModel());

        // the writer cannot approve; the showrunner can, and every editor gets the text
        long byWriter = writer.nextRequest();
        writer.send(ClientMessage.newBuilder().setRequestId(byWriter).setDecision(SuggestionDecision.newBuilder()
            .setSuggestionId(pending.getSuggestionId()).setApprove(true)));
        assertEquals(ErrorCode.FORBIDDEN, writer.expect(m -> m.hasError() && m.getRequestId() == byWriter).getError().getCode());
        String approved = "We shut at twelve. Not a minute after.";
        long bySr = showrunner.nextRequest();
        showrunner.send(ClientMessage.newBuilder().setRequestId(bySr).setDecision(SuggestionDecision.newBuilder()
            .setSuggestionId(pending.getSuggestionId()).setApprove(true).setEditedText(approved)));
        showrunner.awaitAck(bySr);
        String expected = SCENE.replace(LINE, approved);
        LiveRoomTest.awaitText(writer, expected);
        LiveRoomTest.awaitText(showrunner, expected);

        JsonNode report = api.call("GET", "/api/rooms/" + room.id() + "/ai-disclosure", room.writerToken(), null).body();
        assertEquals(approved, report.get("passages").get(0).get("text").asText(), report.toString());

        // the scheduler's accounting is in /metrics: the room was served
        String metrics = api.text("/metrics");
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("roomtone_scheduler_service_units_total{session=\"" + room.id() + "\"}")
            && !l.endsWith(" 0.0")), metrics);
        assertEquals("tiny-writer", report.get("passages").get(0).get("model").asText());
      }
    }
  }

  /**
   * Fairness through the whole stack: one room floods the assistant with requests, then a second
   * room asks once. Its job must be the next to start after the one running (VTC), judged on the
   * order the scheduler started the runs, not on wall time.
   */
  @Test
  void aRoomFloodingTheAssistantDoesNotMakeAnotherRoomWait(@TempDir Path dir) throws Exception {
    Path model = SyntheticModel.write(dir.resolve("tiny-writer.gguf"), SyntheticModel.Shape.TINY, GgmlType.Q8_0, 6);
    try (RoomtoneServer server = RoomtoneServer.start(TestServerAccess.config(dir.resolve("data"),
        Map.of("roomtone.ai.engine-model", model.toString(), "roomtone.ai.engine-threads", 1)))) {
      RestApi api = new RestApi(server.uri());
      RestApi.Room busy = api.room("Busy");
      RestApi.Room quiet = api.room("Quiet");
      try (ProtocolClient flooder = ProtocolClient.join(server.uri(), busy.id(), busy.writerToken(), new YDoc(61));
           ProtocolClient other = ProtocolClient.join(server.uri(), quiet.id(), quiet.writerToken(), new YDoc(62))) {
        for (ProtocolClient c : java.util.List.of(flooder, other)) {
          c.awaitAck(c.edit(d -> d.getText("script").insert(0, SCENE)));
        }
        java.util.List<String> floodJobs = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
          floodJobs.add(ask(flooder, "continue_scene"));
        }
        String quietJob = ask(other, "summarise");
        other.expect(m -> m.hasAiJob() && m.getAiJob().getJobId().equals(quietJob) && m.getAiJob().hasFinished());
        java.util.List<String> order = ((dev.roomtone.server.ai.ServerAssistant) server.assistant()).startOrder().stream()
            .map(s -> s.substring(s.indexOf('/') + 1)).toList();
        int quietAt = order.indexOf(quietJob);
        int floodStartedBefore = (int) order.subList(0, quietAt).stream().filter(floodJobs::contains).count();
        // the flooder's first job was running (or done) when the quiet room asked; the quiet job goes next
        assertTrue(floodStartedBefore <= 2, "the quiet room waited behind " + floodStartedBefore + " jobs: " + order);
        for (String j : floodJobs) {
          long cancel = flooder.nextRequest();
          flooder.send(ClientMessage.newBuilder().setRequestId(cancel).setAiCancel(
              dev.roomtone.protocol.v1.AiCancel.newBuilder().setJobId(j)));
        }
      }
    }
  }

  /**
   * A storyboard frame: the engine describes the moment, an AUTOMATIC1111 server (played by a
   * loopback server speaking its txt2img API, since none can run here) draws it, the image is
   * stored by content and served to the room's members only; approving it leaves the script alone.
   */
  @Test
  void aStoryboardFrameIsDrawnStoredAndServedOnlyToTheRoom(@TempDir Path dir) throws Exception {
    Path model = SyntheticModel.write(dir.resolve("tiny-writer.gguf"), SyntheticModel.Shape.TINY, GgmlType.Q8_0, 7);
    byte[] png = java.util.Base64.getDecoder().decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");
    com.sun.net.httpserver.HttpServer a1111 = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    java.util.List<String> prompts = new java.util.concurrent.CopyOnWriteArrayList<>();
    a1111.createContext("/sdapi/v1/txt2img", ex -> {
      prompts.add(new String(ex.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
      byte[] body = ("{\"images\":[\"" + java.util.Base64.getEncoder().encodeToString(png) + "\"],\"parameters\":{},\"info\":\"{}\"}")
          .getBytes(java.nio.charset.StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    a1111.start();
    try (RoomtoneServer server = RoomtoneServer.start(TestServerAccess.config(dir.resolve("data"), Map.of(
        "roomtone.ai.engine-model", model.toString(), "roomtone.ai.engine-threads", 2,
        "roomtone.ai.image-server", "automatic1111",
        "roomtone.ai.image-url", "http://127.0.0.1:" + a1111.getAddress().getPort())))) {
      RestApi api = new RestApi(server.uri());
      RestApi.Room room = api.room("Frames");
      RestApi.Room elsewhere = api.room("Elsewhere");
      try (ProtocolClient writer = ProtocolClient.join(server.uri(), room.id(), room.writerToken(), new YDoc(71));
           ProtocolClient showrunner = ProtocolClient.join(server.uri(), room.id(), room.showrunnerToken(), new YDoc(72))) {
        writer.awaitAck(writer.edit(d -> d.getText("script").insert(0, SCENE)));
        String jobId = ask(writer, "storyboard_frame");
        // the room announces the suggestion, then the job's end naming it
        Suggestion frame = writer.expect(m -> m.hasSuggestion()
            || (m.hasAiJob() && m.getAiJob().hasFailed())).getSuggestion().getSuggestion();
        AiJobEvent end = writer.expect(m -> m.hasAiJob() && m.getAiJob().getJobId().equals(jobId)
            && (m.getAiJob().hasFinished() || m.getAiJob().hasFailed())).getAiJob();
        assertEquals(frame.getSuggestionId(), end.getFinished().getSuggestionId(), end.toString());
        assertTrue(frame.getImageAsset().matches("[0-9a-f]{64}\\.png"), frame.toString());
        assertEquals(1, prompts.size());
        assertTrue(prompts.get(0).contains("storyboard frame"), prompts.get(0));

        String path = "/api/rooms/" + room.id() + "/assets/" + frame.getImageAsset();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        var ok = http.send(java.net.http.HttpRequest.newBuilder(server.uri().resolve(path))
                .header("Authorization", "Bearer " + room.viewerToken()).build(),
            java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, ok.statusCode());
        assertEquals("image/png", ok.headers().firstValue("Content-Type").orElse(""));
        org.junit.jupiter.api.Assertions.assertArrayEquals(png, ok.body());
        assertEquals("private, max-age=31536000, immutable", ok.headers().firstValue("Cache-Control").orElse(""),
            "named by content, so never stale; private, since only the room's members may see it");
        assertEquals(401, http.send(java.net.http.HttpRequest.newBuilder(server.uri().resolve(path)).build(),
            java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode());
        assertEquals(401, http.send(java.net.http.HttpRequest.newBuilder(server.uri().resolve(path))
                .header("Authorization", "Bearer " + elsewhere.writerToken()).build(),
            java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode());
        // a token in the address is not taken: it would end up in logs and browser history
        assertEquals(401, http.send(java.net.http.HttpRequest.newBuilder(server.uri().resolve(path + "?token=" + room.viewerToken())).build(),
            java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode());
        assertEquals(404, http.send(java.net.http.HttpRequest.newBuilder(server.uri().resolve(
                "/api/rooms/" + room.id() + "/assets/..%2F..%2Fsecrets%2Ftoken.key"))
                .header("Authorization", "Bearer " + room.writerToken()).build(),
            java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode());

        long approve = showrunner.nextRequest();
        showrunner.send(ClientMessage.newBuilder().setRequestId(approve).setDecision(SuggestionDecision.newBuilder()
            .setSuggestionId(frame.getSuggestionId()).setApprove(true)));
        showrunner.awaitAck(approve);
        writer.expect(m -> m.hasSuggestion() && m.getSuggestion().getSuggestion().getStatus() == Suggestion.Status.STATUS_APPROVED);
        assertEquals(SCENE, LiveRoomTest.serverText(server, room.id()), "approving a frame does not touch the script");
      }
    } finally {
      a1111.stop(0);
    }
  }

  /**
   * An OpenAI-compatible model server (played by a loopback server) that fails: first with an HTTP
   * error whose body holds internal detail, then with a stream event that is not JSON. Every
   * member, viewers included, hears that it failed and nothing of the server's address or words;
   * the operator finds those in the log, without the API key the server echoed.
   */
  @Test
  void aModelServersFailureReachesTheRoomPlainlyAndTheLogInFull(@TempDir Path dir) throws Exception {
    String apiKey = "sk-room-key-4711";
    java.util.List<String> authorizations = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    com.sun.net.httpserver.HttpServer llm = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    llm.createContext("/v1/", ex -> {
      ex.getRequestBody().readAllBytes();
      String authorization = ex.getRequestHeaders().getFirst("Authorization");
      authorizations.add(ex.getRequestURI().getPath() + " " + authorization);
      byte[] body = calls.incrementAndGet() == 1
          ? ("internal detail: db password hunter2 at /srv/models; you sent Authorization: " + authorization)
              .getBytes(java.nio.charset.StandardCharsets.UTF_8)
          : "data: {not json, hunter2 at /srv/models\n\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", calls.get() == 1 ? "text/plain" : "text/event-stream");
      ex.sendResponseHeaders(calls.get() == 1 ? 500 : 200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    llm.start();
    String address = "127.0.0.1:" + llm.getAddress().getPort();
    ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
        dev.roomtone.server.ai.ServerAssistant.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged = new ch.qos.logback.core.read.ListAppender<>();
    logged.start();
    log.addAppender(logged);
    try (RoomtoneServer server = RoomtoneServer.start(TestServerAccess.config(dir.resolve("data"), Map.of(
        "roomtone.ai.openai-url", "http://" + address, "roomtone.ai.openai-model", "stand-in-7b",
        "roomtone.ai.openai-api-key", apiKey)))) {
      RestApi.Room room = new RestApi(server.uri()).room("Leaks");
      try (ProtocolClient writer = ProtocolClient.join(server.uri(), room.id(), room.writerToken(), new YDoc(81));
           ProtocolClient viewer = ProtocolClient.join(server.uri(), room.id(), room.viewerToken(), new YDoc(82))) {
        writer.awaitAck(writer.edit(d -> d.getText("script").insert(0, SCENE)));
        LiveRoomTest.awaitText(viewer, SCENE);

        String refusedJob = ask(writer, "logline");
        for (ProtocolClient member : java.util.List.of(writer, viewer)) {
          String reason = failure(member, refusedJob);
          assertEquals("The language model server refused the request (HTTP 500); the operator can see the details in the server log.",
              reason);
        }
        String garbledJob = ask(writer, "logline");
        for (ProtocolClient member : java.util.List.of(writer, viewer)) {
          String reason = failure(member, garbledJob);
          assertTrue(reason.contains("not a JSON object"), reason);
          assertFalse(reason.contains("hunter2") || reason.contains("/srv/models") || reason.contains(address), reason);
        }
      }
    } finally {
      log.detachAppender(logged);
      llm.stop(0);
    }
    // the key goes with every request to the model server
    assertEquals(java.util.List.of("/v1/chat/completions Bearer " + apiKey, "/v1/chat/completions Bearer " + apiKey),
        authorizations);
    java.util.List<String> warnings = logged.list.stream().filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
        .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList();
    assertEquals(2, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("at http://" + address + " refused /v1/chat/completions (HTTP 500): internal detail: db password hunter2")
        && warnings.get(0).contains("Authorization: Bearer [redacted]"), warnings.get(0));
    assertTrue(warnings.get(1).contains("not a JSON object: {not json, hunter2"), warnings.get(1));
    assertTrue(warnings.stream().noneMatch(w -> w.contains(apiKey)), warnings.toString());
  }

  /** A model configured with a small context: a task that cannot fit says so, in numbers a person can act on. */
  @Test
  void aModelWhoseContextIsTooSmallForTheTaskIsSaidSo(@TempDir Path dir) throws Exception {
    // never asked: the job fails before it is queued
    try (RoomtoneServer server = RoomtoneServer.start(TestServerAccess.config(dir.resolve("data"), Map.of(
        "roomtone.ai.openai-url", "http://127.0.0.1:9", "roomtone.ai.openai-model", "small-context",
        "roomtone.ai.context-tokens", 500)))) {
      RestApi.Room room = new RestApi(server.uri()).room("Small");
      try (ProtocolClient writer = ProtocolClient.join(server.uri(), room.id(), room.writerToken(), new YDoc(91))) {
        writer.awaitAck(writer.edit(d -> d.getText("script").insert(0, SCENE)));
        String reason = failure(writer, ask(writer, "alternatives"));
        assertEquals("This model's context is too small for \"Alternative lines\": it holds 500 tokens, and the task"
            + " needs more than 556 (300 for its instructions, 256 for the answer) before any of the script."
            + " Ask for a model with a longer context.", reason);
      }
    }
  }

  private static String failure(ProtocolClient member, String jobId) {
    AiJobEvent end = member.expect(m -> m.hasAiJob() && m.getAiJob().getJobId().equals(jobId)
        && (m.getAiJob().hasFailed() || m.getAiJob().hasFinished())).getAiJob();
    assertTrue(end.hasFailed(), end.toString());
    return end.getFailed().getReason();
  }

  private static String ask(ProtocolClient c, String task) {
    YText script = c.doc.getText("script");
    int from = SCENE.indexOf(LINE);
    long id = c.nextRequest();
    c.send(ClientMessage.newBuilder().setRequestId(id).setAiRequest(AiRequest.newBuilder().setTask(task)
        .setAnchorStart(ByteString.copyFrom(RelativePosition.fromIndex(script, from, 0).encode()))
        .setAnchorEnd(ByteString.copyFrom(RelativePosition.fromIndex(script, from + LINE.length(), -1).encode()))));
    return c.expect(m -> m.hasAck() && m.getRequestId() == id).getAck().getJobId();
  }
}
