package dev.roomtone.server.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roomtone.actors.Result;
import dev.roomtone.actors.room.RoomCommand;
import dev.roomtone.protocol.v1.ErrorCode;
import dev.roomtone.protocol.v1.Role;
import dev.roomtone.protocol.v1.ServerMessage;
import dev.roomtone.script.crdt.YDoc;
import dev.roomtone.server.RoomtoneServer;
import dev.roomtone.server.TestServerAccess;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several clients editing one room through the real server on a loopback port. */
class LiveRoomTest {

  private static RoomtoneServer server;
  private static RestApi api;

  @BeforeAll
  static void start(@TempDir Path dataDir) throws Exception {
    server = RoomtoneServer.start(TestServerAccess.config(dataDir));
    api = new RestApi(server.uri());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String serverText(String roomId) {
    return serverText(server, roomId);
  }

  static String serverText(RoomtoneServer server, String roomId) {
    Result<byte[]> doc = server.rooms().<byte[]>ask(roomId, RoomCommand.GetDocument::new).toCompletableFuture().join();
    YDoc copy = new YDoc(1);
    copy.applyUpdate(((Result.Ok<byte[]>) doc).value());
    return copy.getText("script").toString();
  }

  @Test
  void twoProtocolClientsEditConcurrentlyAndConverge() {
    RestApi.Room room = api.room("Pilot");
    long seed = 20261124L;
    System.out.println("twoProtocolClientsEditConcurrentlyAndConverge: seed=" + seed);
    SplittableRandom random = new SplittableRandom(seed);
    try (ProtocolClient a = ProtocolClient.join(server.uri(), room.id(), room.writerToken(), new YDoc(101));
         ProtocolClient b = ProtocolClient.join(server.uri(), room.id(), room.showrunnerToken(), new YDoc(102))) {
      for (int i = 0; i < 60; i++) {
        ProtocolClient c = random.nextBoolean() ? a : b;
        c.drain();
        String text = c.doc.getText("script").toString();
        int at = random.nextInt(text.length() + 1);
        if (text.length() > 3 && random.nextInt(4) == 0) {
          c.edit(d -> d.getText("script").delete(Math.min(at, text.length() - 1), 1));
        } else {
          c.edit(d -> d.getText("script").insert(at, "ab".substring(random.nextInt(2))));
        }
      }
      a.awaitAcks();
      b.awaitAcks();
      String expected = serverText(room.id());
      awaitText(a, expected);
      awaitText(b, expected);
    }
  }

  static void awaitText(ProtocolClient c, String expected) {
    long deadline = System.currentTimeMillis() + 20_000;
    while (!c.doc.getText("script").toString().equals(expected)) {
      if (System.currentTimeMillis() > deadline) {
        assertEquals(expected, c.doc.getText("script").toString());
      }
      try {
        c.expect(ServerMessage::hasUpdate);
      } catch (AssertionError e) {
        assertEquals(expected, c.doc.getText("script").toString());
      }
    }
  }

  @Test
  void welcomeTellsTheMemberItsRoleAndTheLimits() {
    RestApi.Room room = api.room("Limits");
    try (ProtocolClient viewer = ProtocolClient.join(server.uri(), room.id(), room.viewerToken(), new YDoc(8))) {
      var welcome = viewer.welcome.getWelcome();
      assertEquals(room.id(), welcome.getRoomId());
      assertEquals(Role.ROLE_VIEWER, welcome.getMember().getRole());
      var limits = server.config().limits();
      assertEquals(limits.frameBytes(), welcome.getLimits().getMaxFrameBytes());
      assertEquals(limits.messagesPerSecond(), welcome.getLimits().getMaxMessagesPerSecond());
      assertEquals(limits.awarenessBytes(), welcome.getLimits().getMaxAwarenessBytes());
    }
  }

  @Test
  void metricsCountConnectionsAndFrames() {
    RestApi.Room room = api.room("Metrics");
    try (ProtocolClient writer = ProtocolClient.join(server.uri(), room.id(), room.writerToken(), new YDoc(9))) {
      writer.awaitAck(writer.edit(d -> d.getText("script").insert(0, "FADE IN:")));
      String before = api.text("/metrics");
      // at least this one: connections of earlier tests may still be closing
      assertTrue(metric(before, "roomtone_connections{protocol=\"roomtone\"}") >= 1, before);
      double received = metric(before, "roomtone_frames_received_total{protocol=\"roomtone\"}");
      assertTrue(received >= 4, "hello, sync step 2, sync step 1 and the edit: " + received);
      writer.awaitAck(writer.edit(d -> d.getText("script").insert(0, "x")));
      String after = api.text("/metrics");
      assertEquals(received + 1, metric(after, "roomtone_frames_received_total{protocol=\"roomtone\"}"), after);
      assertTrue(metric(after, "roomtone_rooms_created_total") >= 1);
    }
  }

  /** The value of one sample in Prometheus' text format. */
  private static double metric(String scrape, String sample) {
    return scrape.lines().filter(l -> l.startsWith(sample + " ")).findFirst()
        .map(l -> Double.parseDouble(l.substring(sample.length() + 1).trim()))
        .orElseThrow(() -> new AssertionError(sample + " is not in\n" + scrape));
  }

  @Test
  void viewersCannotEdit() {
    RestApi.Room room = api.room("Viewing");
    try (ProtocolClient viewer = ProtocolClient.join(server.uri(), room.id(), room.viewerToken(), new YDoc(7))) {
      long request = viewer.edit(d -> d.getText("script").insert(0, "hijack"));
      ServerMessage refused = viewer.expect(m -> m.hasError() && m.getRequestId() == request);
      assertEquals(ErrorCode.FORBIDDEN, refused.getError().getCode());
      assertEquals("", serverText(room.id()));
    }
  }

  @Test
  void aTokenForAnotherRoomIsRefused() {
    RestApi.Room one = api.room("One");
    RestApi.Room two = api.room("Two");
    ProtocolClient c = ProtocolClient.open(server.uri(), two.id(), new YDoc(9));
    c.send(dev.roomtone.protocol.v1.ClientMessage.newBuilder().setHello(
        dev.roomtone.protocol.v1.Hello.newBuilder().setToken(one.writerToken())));
    ServerMessage refused = c.expect(ServerMessage::hasError);
    assertEquals(ErrorCode.UNAUTHENTICATED, refused.getError().getCode());
    assertTrue(refused.getError().getFatal());
    c.awaitClose();
  }

  static void awaitPeerText(YjsPeer peer, String expected) {
    long deadline = System.currentTimeMillis() + 20_000;
    while (!peer.text().equals(expected)) {
      if (System.currentTimeMillis() > deadline) {
        assertEquals(expected, peer.text());
      }
      sleepBriefly();
    }
  }

  static void sleepBriefly() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void protobufClientsAndAYjsEditorConverge() {
    RestApi.Room room = api.room("Mixed");
    long seed = 424242L;
    System.out.println("protobufClientsAndAYjsEditorConverge: seed=" + seed);
    SplittableRandom random = new SplittableRandom(seed);
    try (ProtocolClient a = ProtocolClient.join(server.uri(), room.id(), room.writerToken(), new YDoc(201));
         ProtocolClient b = ProtocolClient.join(server.uri(), room.id(), room.showrunnerToken(), new YDoc(202));
         YjsPeer editor = YjsPeer.connect(server.uri(), room.id(), room.writerToken(), 203)) {
      for (int i = 0; i < 90; i++) {
        int who = random.nextInt(3);
        if (who == 2) {
          String text = editor.text();
          editor.insert(random.nextInt(text.length() + 1), "y");
          continue;
        }
        ProtocolClient c = who == 0 ? a : b;
        c.drain();
        String text = c.doc.getText("script").toString();
        int at = random.nextInt(text.length() + 1);
        c.edit(d -> d.getText("script").insert(at, who == 0 ? "a" : "b"));
      }
      a.awaitAcks();
      b.awaitAcks();
      // the editor's updates carry no acknowledgement: wait until the server has all 90 characters
      long deadline = System.currentTimeMillis() + 20_000;
      while (serverText(room.id()).length() < 90 && System.currentTimeMillis() < deadline) {
        sleepBriefly();
      }
      String expected = serverText(room.id());
      assertEquals(90, expected.length());
      awaitText(a, expected);
      awaitText(b, expected);
      awaitPeerText(editor, expected);
    }
  }

  @Test
  void reconnectingClientsReceiveOnlyWhatTheyMissed() {
    RestApi.Room room = api.room("Offline");
    YDoc offlineDoc = new YDoc(301);
    try (ProtocolClient b = ProtocolClient.join(server.uri(), room.id(), room.showrunnerToken(), new YDoc(302));
         YjsPeer editor = YjsPeer.connect(server.uri(), room.id(), room.writerToken(), 303)) {
      ProtocolClient a = ProtocolClient.join(server.uri(), room.id(), room.writerToken(), offlineDoc);
      b.edit(d -> d.getText("script").insert(0, "FADE IN:\n" + "INT. WRITERS' ROOM - DAY\n".repeat(200)));
      b.awaitAcks();
      String before = serverText(room.id());
      awaitText(a, before);
      // the editor must hold the script before it leaves, or on reconnect it rightly needs all of it
      awaitPeerText(editor, before);
      int fullSize = offlineDoc.encodeStateAsUpdate().length;
      a.close();
      editor.disconnect();
      // while they are away: the showrunner types, and the writer types offline
      b.edit(d -> d.getText("script").insert(0, "TITLE: PILOT\n"));
      b.awaitAcks();
      offlineDoc.getText("script").insert(offlineDoc.getText("script").length(), "\nTHE END");
      editor.insert(0, "(draft) ");
      try (ProtocolClient back = ProtocolClient.join(server.uri(), room.id(), room.writerToken(), offlineDoc)) {
        // the server sent only the showrunner's new line, not the 5 kB script
        assertTrue(back.lastStep2Bytes < 100, "step 2 on reconnect had " + back.lastStep2Bytes + " bytes; the whole document has " + fullSize);
        editor.reconnect();
        int received = editor.bytesReceived();
        assertTrue(received < fullSize / 4, "the y-websocket client received " + received + " bytes on reconnect; the document has " + fullSize);
        long deadline = System.currentTimeMillis() + 20_000;
        while (!(serverText(room.id()).startsWith("(draft) TITLE") || serverText(room.id()).startsWith("TITLE: PILOT\n(draft)"))
            && System.currentTimeMillis() < deadline) {
          sleepBriefly();
        }
        String expected = serverText(room.id());
        assertTrue(expected.contains("(draft) ") && expected.contains("TITLE: PILOT") && expected.endsWith("THE END"), expected);
        awaitText(back, expected);
        awaitPeerText(editor, expected);
        awaitText(b, expected);
      }
    }
  }

  @Test
  void presenceTravelsBetweenEditorsAndLeavesWithThem() throws Exception {
    RestApi.Room room = api.room("Presence");
    try (YjsPeer one = YjsPeer.connect(server.uri(), room.id(), room.writerToken(), 401)) {
      YjsPeer two = YjsPeer.connect(server.uri(), room.id(), room.viewerToken(), 402);
      two.setAwareness(new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"user\":{\"name\":\"Exec\",\"color\":\"#f0a\"}}"));
      long deadline = System.currentTimeMillis() + 10_000;
      while (one.peers().isEmpty() && System.currentTimeMillis() < deadline) {
        sleepBriefly();
      }
      assertEquals("Exec", one.peers().get(0).get("state").get("user").get("name").asText());
      two.close();
      deadline = System.currentTimeMillis() + 10_000;
      while (!one.peers().isEmpty() && System.currentTimeMillis() < deadline) {
        sleepBriefly();
      }
      assertTrue(one.peers().isEmpty(), "a closed connection's presence is withdrawn: " + one.peers());
    }
  }

  @Test
  void aViewerUsingAYjsEditorIsToldItCannotEdit() {
    RestApi.Room room = api.room("Read only");
    try (YjsPeer viewer = YjsPeer.connect(server.uri(), room.id(), room.viewerToken(), 501)) {
      viewer.insert(0, "not allowed");
      long deadline = System.currentTimeMillis() + 10_000;
      com.fasterxml.jackson.databind.JsonNode reasons = viewer.deniedReasons();
      while (reasons.isEmpty() && System.currentTimeMillis() < deadline) {
        sleepBriefly();
        reasons = viewer.deniedReasons();
      }
      assertTrue(reasons.size() > 0 && reasons.get(0).asText().contains("Viewers"), reasons.toString());
      assertEquals("", serverText(room.id()));
    }
  }
}
