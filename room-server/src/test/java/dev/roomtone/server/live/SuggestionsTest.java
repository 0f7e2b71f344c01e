package dev.roomtone.server.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import dev.roomtone.actors.Result;
import dev.roomtone.actors.room.RoomCommand;
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
 * The suggestion ledger through the real server: a proposal (as a finished AI job hands it to the
 * room) is broadcast, only the showrunner decides, approval writes into every editor, a changed
 * selection makes it stale, and the disclosure report and the ledger survive a restart.
 */
class SuggestionsTest {

  private static final String SCENE = "INT. DINER - NIGHT\n\nMAYA\nI never wanted the money.\n";
  private static final String LINE = "I never wanted the money.";

  @TempDir
  Path dataDir;

  private RoomtoneServer start() throws Exception {
    // snapshots every few events, so restarts recover the ledger from a snapshot and the events after it
    return RoomtoneServer.start(TestServerAccess.config(dataDir, Map.of("roomtone.limits.snapshot-every", 3)));
  }

  /** What a finished "alternatives" job hands to the room, anchored to the line as the writer selected it. */
  private static Suggestion draft(YDoc writerDoc, String requesterId, String proposal) {
    YText script = writerDoc.getText("script");
    int from = script.toString().indexOf(LINE);
    return Suggestion.newBuilder().setTask("alternatives").setRequesterMemberId(requesterId)
        .setModel("tiny-llama").setBackend("in-process")
        .setAnchorStart(ByteString.copyFrom(RelativePosition.fromIndex(script, from, 0).encode()))
        .setAnchorEnd(ByteString.copyFrom(RelativePosition.fromIndex(script, from + LINE.length(), -1).encode()))
        .setOriginalText(LINE).setProposedText(proposal).build();
  }

  private static Suggestion propose(RoomtoneServer server, String roomId, Suggestion draft) {
    Result<Suggestion> r = server.rooms().<Suggestion>ask(roomId, replyTo -> new RoomCommand.Propose(draft, replyTo))
        .toCompletableFuture().join();
    return ((Result.Ok<Suggestion>) r).value();
  }

  private static long decide(ProtocolClient c, String suggestionId, boolean approve, String edited) {
    long id = c.nextRequest();
    c.send(ClientMessage.newBuilder().setRequestId(id).setDecision(SuggestionDecision.newBuilder()
        .setSuggestionId(suggestionId).setApprove(approve).setEditedText(edited)));
    return id;
  }

  private static Suggestion awaitStatus(ProtocolClient c, String suggestionId, Suggestion.Status status) {
    return c.expect(m -> m.hasSuggestion() && m.getSuggestion().getSuggestion().getSuggestionId().equals(suggestionId)
        && m.getSuggestion().getSuggestion().getStatus() == status).getSuggestion().getSuggestion();
  }

  @Test
  void theShowrunnerApprovesAndEveryEditorReceivesTheLine() throws Exception {
    RestApi.Room room;
    String approvedText = "I only ever wanted out.";
    try (RoomtoneServer server = start()) {
      RestApi api = new RestApi(server.uri());
      room = api.room("Diner");
      try (ProtocolClient writer = ProtocolClient.join(server.uri(), room.id(), room.writerToken(), new YDoc(11));
           ProtocolClient showrunner = ProtocolClient.join(server.uri(), room.id(), room.showrunnerToken(), new YDoc(12));
           YjsPeer viewer = YjsPeer.connect(server.uri(), room.id(), room.viewerToken(), 13)) {
        writer.awaitAck(writer.edit(d -> d.getText("script").insert(0, SCENE)));
        LiveRoomTest.awaitText(showrunner, SCENE);

        Suggestion s = propose(server, room.id(), draft(writer.doc, room.writerId(), "I only wanted out."));
        assertEquals(Suggestion.Status.STATUS_PENDING, s.getStatus());
        awaitStatus(writer, s.getSuggestionId(), Suggestion.Status.STATUS_PENDING);
        awaitStatus(showrunner, s.getSuggestionId(), Suggestion.Status.STATUS_PENDING);

        // a writer cannot let it in
        long refused = decide(writer, s.getSuggestionId(), true, "");
        ServerMessage no = writer.expect(m -> m.hasError() && m.getRequestId() == refused);
        assertEquals(ErrorCode.FORBIDDEN, no.getError().getCode());
        assertEquals(SCENE, LiveRoomTest.serverText(server, room.id()));

        // the showrunner edits the proposal and approves it
        long approved = decide(showrunner, s.getSuggestionId(), true, approvedText);
        showrunner.awaitAck(approved);
        Suggestion done = awaitStatus(writer, s.getSuggestionId(), Suggestion.Status.STATUS_APPROVED);
        assertEquals(approvedText, done.getAppliedText());
        String expected = SCENE.replace(LINE, approvedText);
        assertEquals(expected, LiveRoomTest.serverText(server, room.id()));
        LiveRoomTest.awaitText(writer, expected);
        LiveRoomTest.awaitText(showrunner, expected);
        LiveRoomTest.awaitPeerText(viewer, expected);

        // deciding twice is refused
        long again = decide(showrunner, s.getSuggestionId(), false, "");
        assertEquals(ErrorCode.NOT_FOUND, showrunner.expect(m -> m.hasError() && m.getRequestId() == again).getError().getCode());

        JsonNode report = api.call("GET", "/api/rooms/" + room.id() + "/ai-disclosure", room.viewerToken(), null).body();
        assertEquals(1, report.get("passages").size(), report.toString());
        JsonNode passage = report.get("passages").get(0);
        assertEquals(approvedText, passage.get("text").asText());
        assertEquals("Ben", passage.get("requestedBy").asText());
        assertEquals("Maya", passage.get("approvedBy").asText());
        assertEquals("tiny-llama", passage.get("model").asText());
      }
    }

    // after a restart the ledger and the report are still there, also as the CLI exports it
    try (RoomtoneServer server = start()) {
      RestApi api = new RestApi(server.uri());
      JsonNode report = api.call("GET", "/api/rooms/" + room.id() + "/ai-disclosure", room.showrunnerToken(), null).body();
      assertEquals(approvedText, report.get("passages").get(0).get("text").asText(), report.toString());
      java.io.StringWriter csv = new java.io.StringWriter();
      java.io.StringWriter err = new java.io.StringWriter();
      picocli.CommandLine cli = dev.roomtone.server.Main.commandLine();
      cli.setOut(new java.io.PrintWriter(csv, true));
      cli.setErr(new java.io.PrintWriter(err, true));
      assertEquals(0, cli.execute("disclosure", "--server", server.uri().toString(), "--room", room.id(),
          "--token", room.viewerToken()), err.toString());
      java.util.List<String> lines = csv.toString().lines().toList();
      assertEquals("suggestionId,task,requestedBy,model,backend,approvedBy,approvedAt,text", lines.get(0));
      assertTrue(lines.get(1).contains(",alternatives,Ben,tiny-llama,in-process,Maya,") && lines.get(1).endsWith(",\"" + approvedText + "\""),
          lines.toString());
      assertEquals(2, cli.execute("disclosure", "--server", server.uri().toString(), "--room", room.id(),
          "--token", room.viewerToken(), "--format", "pdf"));
      assertTrue(err.toString().contains("--format must be csv or json"), err.toString());
      assertEquals(1, cli.execute("disclosure", "--server", server.uri().toString(), "--room", room.id(), "--token", "forged"));
      assertTrue(err.toString().contains("HTTP 401"), err.toString());
      try (ProtocolClient writer = ProtocolClient.join(server.uri(), room.id(), room.writerToken(), new YDoc(21))) {
        assertEquals(SCENE.replace(LINE, approvedText), writer.doc.getText("script").toString());
        // the ledger comes with the connection
        assertTrue(writer.hasSeen(m -> m.hasSuggestion()
            && m.getSuggestion().getSuggestion().getStatus() == Suggestion.Status.STATUS_APPROVED));
        // a writer reworks the passage: the report shows it as it reads now; deleted, it is gone
        String script = writer.doc.getText("script").toString();
        int at = script.indexOf("out.");
        writer.awaitAck(writer.edit(d -> d.getText("script").insert(at, "far ")));
        report = api.call("GET", "/api/rooms/" + room.id() + "/ai-disclosure", room.writerToken(), null).body();
        assertEquals("I only ever wanted far out.", report.get("passages").get(0).get("text").asText());
        int from = writer.doc.getText("script").toString().indexOf("I only");
        writer.awaitAck(writer.edit(d -> d.getText("script").delete(from, "I only ever wanted far out.".length())));
        report = api.call("GET", "/api/rooms/" + room.id() + "/ai-disclosure", room.writerToken(), null).body();
        assertEquals(0, report.get("passages").size(), report.toString());
      }
    }
  }

  @Test
  void aSelectionChangedSinceTheRequestMakesTheSuggestionStale() throws Exception {
    try (RoomtoneServer server = start()) {
      RestApi api = new RestApi(server.uri());
      RestApi.Room room = api.room("Stale");
      try (ProtocolClient writer = ProtocolClient.join(server.uri(), room.id(), room.writerToken(), new YDoc(31));
           ProtocolClient showrunner = ProtocolClient.join(server.uri(), room.id(), room.showrunnerToken(), new YDoc(32))) {
        writer.awaitAck(writer.edit(d -> d.getText("script").insert(0, SCENE)));
        Suggestion s = propose(server, room.id(), draft(writer.doc, room.writerId(), "Money was never the point."));

        // the writer reworks the line before the showrunner decides
        int at = writer.doc.getText("script").toString().indexOf("money");
        writer.awaitAck(writer.edit(d -> d.getText("script").insert(at, "dirty ")));
        String afterWriter = SCENE.replace("the money", "the dirty money");
        LiveRoomTest.awaitText(showrunner, afterWriter);

        // alternatives are a list: approved one at a time, as the edited text, never the whole list
        long whole = decide(showrunner, s.getSuggestionId(), true, "");
        ServerMessage choose = showrunner.expect(m -> m.hasError() && m.getRequestId() == whole);
        assertEquals(ErrorCode.BAD_FRAME, choose.getError().getCode());
        assertTrue(choose.getError().getMessage().startsWith("Choose one of the alternatives"), choose.toString());
        showrunner.awaitAck(decide(showrunner, s.getSuggestionId(), true, "Money was never the point."));
        Suggestion stale = awaitStatus(showrunner, s.getSuggestionId(), Suggestion.Status.STATUS_STALE);
        assertEquals("I never wanted the dirty money.", stale.getCurrentText());
        assertEquals(LINE, stale.getOriginalText());
        assertEquals(afterWriter, LiveRoomTest.serverText(server, room.id()), "the writer's edit is intact");
        assertEquals(0, api.call("GET", "/api/rooms/" + room.id() + "/ai-disclosure", room.showrunnerToken(), null)
            .body().get("passages").size());

        // a rejected suggestion changes nothing either
        Suggestion other = propose(server, room.id(), draft(writer.doc, room.writerId(), "x").toBuilder()
            .setOriginalText("I never wanted the dirty money.").build());
        showrunner.awaitAck(decide(showrunner, other.getSuggestionId(), false, ""));
        awaitStatus(writer, other.getSuggestionId(), Suggestion.Status.STATUS_REJECTED);
        assertEquals(afterWriter, LiveRoomTest.serverText(server, room.id()));
      }
    }
  }

  @Test
  void aProposalWithUnreadableAnchorsIsRefused() throws Exception {
    try (RoomtoneServer server = start()) {
      RestApi.Room room = new RestApi(server.uri()).room("Anchors");
      Suggestion bad = Suggestion.newBuilder().setTask("alternatives").setAnchorStart(ByteString.copyFrom(new byte[] {(byte) 0xff}))
          .setAnchorEnd(ByteString.EMPTY).setProposedText("x").build();
      Result<Suggestion> r = server.rooms().<Suggestion>ask(room.id(), replyTo -> new RoomCommand.Propose(bad, replyTo))
          .toCompletableFuture().join();
      assertTrue(r instanceof Result.Refused<Suggestion> no && no.refusal().message().contains("anchors"), r.toString());
    }
  }

  @Test
  void withoutAModelJobsFailAtOnceSayingWhyAndViewersNeedTheShowrunnersLeave() throws Exception {
    try (RoomtoneServer server = start()) {
      RestApi api = new RestApi(server.uri());
      RestApi.Room room = api.room("No model");
      try (ProtocolClient writer = ProtocolClient.join(server.uri(), room.id(), room.writerToken(), new YDoc(41));
           ProtocolClient viewer = ProtocolClient.join(server.uri(), room.id(), room.viewerToken(), new YDoc(42))) {
        writer.awaitAck(writer.edit(d -> d.getText("script").insert(0, SCENE)));
        LiveRoomTest.awaitText(viewer, SCENE);
        Suggestion anchors = draft(writer.doc, room.writerId(), "");
        AiRequest ask = AiRequest.newBuilder().setTask("alternatives").setAnchorStart(anchors.getAnchorStart())
            .setAnchorEnd(anchors.getAnchorEnd()).build();

        long id = writer.nextRequest();
        writer.send(ClientMessage.newBuilder().setRequestId(id).setAiRequest(ask));
        String jobId = writer.expect(m -> m.hasAck() && m.getRequestId() == id).getAck().getJobId();
        ServerMessage failed = writer.expect(m -> m.hasAiJob() && m.getAiJob().getJobId().equals(jobId));
        assertTrue(failed.getAiJob().getFailed().getReason().contains("not configured"), failed.toString());

        long denied = viewer.nextRequest();
        viewer.send(ClientMessage.newBuilder().setRequestId(denied).setAiRequest(ask));
        assertEquals(ErrorCode.FORBIDDEN, viewer.expect(m -> m.hasError() && m.getRequestId() == denied).getError().getCode());

        String allow = "{\"viewersMayAsk\":true}";
        assertEquals(403, api.call("PUT", "/api/rooms/" + room.id() + "/ai-policy", room.writerToken(), allow).status());
        RestApi.Response unclear = api.call("PUT", "/api/rooms/" + room.id() + "/ai-policy", room.showrunnerToken(), "{}");
        assertEquals(400, unclear.status(), unclear.toString());
        assertTrue(unclear.body().get("message").asText().contains("viewersMayAsk"), unclear.toString());
        RestApi.Response allowed = api.call("PUT", "/api/rooms/" + room.id() + "/ai-policy", room.showrunnerToken(), allow);
        assertEquals(200, allowed.status(), allowed.toString());
        assertTrue(allowed.body().get("viewersMayAsk").asBoolean());
        long nowAllowed = viewer.nextRequest();
        viewer.send(ClientMessage.newBuilder().setRequestId(nowAllowed).setAiRequest(ask));
        assertTrue(!viewer.expect(m -> m.hasAck() && m.getRequestId() == nowAllowed).getAck().getJobId().isEmpty());
      }
    }
  }
}
