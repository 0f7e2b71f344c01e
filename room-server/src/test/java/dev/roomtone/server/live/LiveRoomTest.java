package dev.roomtone.server.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roomtone.actors.Result;
import dev.roomtone.actors.room.RoomCommand;
import dev.roomtone.protocol.v1.ErrorCode;
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
}
