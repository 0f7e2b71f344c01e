package dev.roomtone.server.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.roomtone.protocol.v1.AwarenessUpdate;
import dev.roomtone.protocol.v1.ClientMessage;
import dev.roomtone.protocol.v1.ErrorCode;
import dev.roomtone.protocol.v1.Hello;
import dev.roomtone.protocol.v1.Ping;
import dev.roomtone.protocol.v1.ServerMessage;
import dev.roomtone.script.crdt.AwarenessStates;
import dev.roomtone.script.crdt.YDoc;
import dev.roomtone.server.RoomtoneServer;
import dev.roomtone.server.TestServerAccess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every limit on what clients send or hold, reached through the real server; each says why. */
class LimitsTest {

  @TempDir
  Path dataDir;

  private RoomtoneServer start(Map<String, Object> limits) throws Exception {
    Map<String, Object> overrides = new java.util.HashMap<>();
    limits.forEach((k, v) -> overrides.put("roomtone.limits." + k, v));
    return RoomtoneServer.start(TestServerAccess.config(dataDir, overrides));
  }

  @Test
  void theServerHoldsAtMostItsRoomLimit() throws Exception {
    try (RoomtoneServer server = start(Map.of("rooms", 2))) {
      RestApi api = new RestApi(server.uri());
      String body = "{\"name\":\"Room\",\"showrunnerName\":\"Maya\"}";
      assertEquals(201, api.call("POST", "/api/rooms", null, body).status());
      assertEquals(201, api.call("POST", "/api/rooms", null, body).status());
      RestApi.Response third = api.call("POST", "/api/rooms", null, body);
      assertEquals(429, third.status(), third.toString());
      assertEquals("LIMIT_REACHED", third.body().get("code").asText());
      assertTrue(third.body().get("message").asText().contains("limit of 2 rooms"), third.toString());
    }
  }

  @Test
  void aRefusedRoomTakesNoPlaceInTheRoomLimit() throws Exception {
    try (RoomtoneServer server = start(Map.of("rooms", 1))) {
      RestApi api = new RestApi(server.uri());
      for (String bad : new String[] {"{\"name\":\"\",\"showrunnerName\":\"Maya\"}",
          "{\"name\":\"Room\",\"showrunnerName\":\"\\u200b\"}", "{\"name\":\"\\u202eRoom\",\"showrunnerName\":\"Maya\"}"}) {
        RestApi.Response refused = api.call("POST", "/api/rooms", null, bad);
        assertEquals(400, refused.status(), refused.toString());
        assertEquals("BAD_FRAME", refused.body().get("code").asText());
        assertTrue(refused.body().get("message").asText().startsWith("Room and showrunner names must be 1 to 80"), refused.toString());
      }
      RestApi.Response created = api.call("POST", "/api/rooms", null, "{\"name\":\"Room\",\"showrunnerName\":\"Maya\"}");
      assertEquals(201, created.status(), created.toString());
    }
  }

  @Test
  void aRoomHoldsAtMostItsMemberLimit() throws Exception {
    try (RoomtoneServer server = start(Map.of("members-per-room", 3))) {
      RestApi api = new RestApi(server.uri());
      RestApi.Room room = api.room("Full"); // showrunner, writer, viewer
      String code = api.invite(room.id(), room.showrunnerToken(), "writer");
      RestApi.Response fourth = api.call("POST", "/api/join", null,
          "{\"code\":\"" + code + "\",\"displayName\":\"Latecomer\"}");
      assertEquals(429, fourth.status(), fourth.toString());
      assertEquals("LIMIT_REACHED", fourth.body().get("code").asText());
      assertEquals(3, api.call("GET", "/api/rooms/" + room.id() + "/members", room.showrunnerToken(), null)
          .body().get("members").size());
    }
  }

  @Test
  void aRoomHoldsAtMostItsConnectionLimit() throws Exception {
    try (RoomtoneServer server = start(Map.of("connections-per-room", 2))) {
      RestApi.Room room = new RestApi(server.uri()).room("Crowded");
      try (ProtocolClient a = ProtocolClient.join(server.uri(), room.id(), room.writerToken(), new YDoc(1));
           ProtocolClient b = ProtocolClient.join(server.uri(), room.id(), room.viewerToken(), new YDoc(2));
           ProtocolClient c = ProtocolClient.open(server.uri(), room.id(), new YDoc(3))) {
        c.send(ClientMessage.newBuilder().setHello(Hello.newBuilder().setToken(room.showrunnerToken())));
        ServerMessage refused = c.expect(ServerMessage::hasError);
        assertEquals(ErrorCode.LIMIT_REACHED, refused.getError().getCode());
        assertTrue(refused.getError().getFatal());
        c.awaitClose();
        // the two inside keep working
        a.awaitAck(a.edit(d -> d.getText("script").insert(0, "still here")));
        LiveRoomTest.awaitText(b, "still here");
      }
    }
  }

  @Test
  void aConnectionSendingTooFastIsToldToSlowDownAndKeepsItsConnection() throws Exception {
    try (RoomtoneServer server = start(Map.of("messages-per-second", 5, "message-burst", 5))) {
      RestApi.Room room = new RestApi(server.uri()).room("Hasty");
      try (ProtocolClient c = ProtocolClient.join(server.uri(), room.id(), room.writerToken(), new YDoc(1))) {
        for (int i = 0; i < 30; i++) {
          c.send(ClientMessage.newBuilder().setPing(Ping.newBuilder().setNonce(i)));
        }
        ServerMessage slowDown = c.expect(ServerMessage::hasError);
        assertEquals(ErrorCode.RATE_LIMITED, slowDown.getError().getCode());
        assertFalse(slowDown.getError().getFatal());
        // once the bucket refills (5 a second) pings are answered again, on the same connection
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        long nonce = 1_000;
        while (true) {
          long sent = ++nonce;
          c.send(ClientMessage.newBuilder().setPing(Ping.newBuilder().setNonce(sent)));
          if (c.awaitSeen(m -> m.hasPong() && m.getPong().getNonce() == sent, java.time.Duration.ofMillis(300))) {
            break;
          }
          assertTrue(System.nanoTime() < deadline, "the connection was never answered again after slowing down");
        }
        assertFalse(c.isClosed());
      }
    }
  }

  @Test
  void oversizedPresenceIsRefusedAndNotRelayed() throws Exception {
    try (RoomtoneServer server = start(Map.of("awareness-bytes", 256))) {
      RestApi.Room room = new RestApi(server.uri()).room("Presence");
      try (ProtocolClient a = ProtocolClient.join(server.uri(), room.id(), room.writerToken(), new YDoc(1));
           ProtocolClient b = ProtocolClient.join(server.uri(), room.id(), room.viewerToken(), new YDoc(2))) {
        a.send(awareness(1, 1, "{\"user\":{\"name\":\"" + "x".repeat(1000) + "\"}}"));
        ServerMessage refused = a.expect(ServerMessage::hasError);
        assertEquals(ErrorCode.TOO_LARGE, refused.getError().getCode());
        assertTrue(refused.getError().getMessage().contains("limit of 256"), refused.toString());
        a.send(awareness(1, 2, "{\"user\":{\"name\":\"Ben\"}}"));
        ServerMessage relayed = b.expect(ServerMessage::hasAwareness);
        String state = relayed.getAwareness().getUpdate().toString(StandardCharsets.UTF_8);
        assertTrue(state.contains("Ben") && !state.contains("xxxx"), state);
      }
    }
  }

  @Test
  void aClientThatStopsReadingIsDisconnectedAndResyncsOnReconnect() throws Exception {
    try (RoomtoneServer server = start(Map.of("outbound-messages", 8))) {
      RestApi.Room room = new RestApi(server.uri()).room("Stalled");
      YDoc stalledDoc = new YDoc(1);
      try (ProtocolClient stalled = ProtocolClient.join(server.uri(), room.id(), room.viewerToken(), stalledDoc);
           ProtocolClient writer = ProtocolClient.join(server.uri(), room.id(), room.writerToken(), new YDoc(2))) {
        stalled.stopReading();
        String chunk = "INT. WAREHOUSE - NIGHT\n".repeat(2_800); // about 64 KB per edit
        int edits = 0;
        while (viewerConnected(writer)) {
          assertTrue(edits < 1_000, "the stalled client was never disconnected");
          // acknowledged edits: the room keeps serving the writer, and has handed each one to the stalled session
          writer.awaitAck(writer.edit(d -> d.getText("script").insert(0, chunk)));
          edits++;
        }
        System.out.println("stalled client dropped after " + edits + " edits");

        stalled.resumeReading();
        ServerMessage reason = stalled.expect(ServerMessage::hasError);
        assertEquals(ErrorCode.SLOW_CONSUMER, reason.getError().getCode());
        assertTrue(reason.getError().getFatal());
        stalled.awaitClose();
      }
      // its next connection receives what it missed and converges
      try (ProtocolClient back = ProtocolClient.join(server.uri(), room.id(), room.viewerToken(), stalledDoc)) {
        assertEquals(LiveRoomTest.serverText(server, room.id()), stalledDoc.getText("script").toString());
      }
    }
  }

  private static boolean viewerConnected(ProtocolClient observer) {
    return observer.latestRoster().orElseThrow().getPresentList().stream()
        .anyMatch(p -> p.getMember().getDisplayName().equals("Exec"));
  }

  /** One y-protocols awareness update for a single client. */
  private static ClientMessage.Builder awareness(long client, int clock, String json) {
    return ClientMessage.newBuilder().setAwareness(AwarenessUpdate.newBuilder()
        .setUpdate(ByteString.copyFrom(AwarenessStates.encodeState(client, clock, json))));
  }

}
