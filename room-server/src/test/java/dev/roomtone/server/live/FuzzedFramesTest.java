package dev.roomtone.server.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.roomtone.protocol.v1.AwarenessUpdate;
import dev.roomtone.protocol.v1.ClientMessage;
import dev.roomtone.protocol.v1.DocumentUpdate;
import dev.roomtone.protocol.v1.ErrorCode;
import dev.roomtone.protocol.v1.ServerMessage;
import dev.roomtone.protocol.v1.SyncStep1;
import dev.roomtone.protocol.v1.SyncStep2;
import dev.roomtone.script.crdt.YDoc;
import dev.roomtone.server.RoomtoneServer;
import dev.roomtone.server.TestServerAccess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of hostile frames against a live room: garbage, truncated Protobuf, valid envelopes with
 * corrupt Yjs payloads, oversized frames. Each gets an answer (an error, or a close with a reason),
 * the document never changes, and the honest members keep editing throughout.
 */
class FuzzedFramesTest {

  private static final int FRAME_LIMIT = 64 * 1024;
  private static RoomtoneServer server;
  private static RestApi api;

  @BeforeAll
  static void start(@TempDir Path dataDir) throws Exception {
    server = RoomtoneServer.start(TestServerAccess.config(dataDir, Map.of(
        "roomtone.limits.frame-bytes", FRAME_LIMIT,
        "roomtone.limits.messages-per-second", 100_000,
        "roomtone.limits.message-burst", 100_000)));
    api = new RestApi(server.uri());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Real updates to mutate, made by someone else's document. */
  private static List<byte[]> realUpdates() {
    YDoc d = new YDoc(777);
    List<byte[]> out = new ArrayList<>();
    d.onUpdate((u, o, t) -> out.add(u));
    for (int i = 0; i < 20; i++) {
      d.getText("script").insert(d.getText("script").length(), "SCENE " + i + " — ANNA enters. ");
      if (i % 3 == 0) {
        d.getText("script").delete(i, 2);
      }
    }
    out.add(d.encodeStateAsUpdate());
    return out;
  }

  private static byte[] mutate(SplittableRandom r, byte[] valid) {
    byte[] u = valid.clone();
    switch (r.nextInt(3)) {
      case 0 -> {
        return Arrays.copyOf(u, r.nextInt(u.length));
      }
      case 1 -> {
        for (int i = 0; i < 1 + r.nextInt(3); i++) {
          u[r.nextInt(u.length)] ^= (byte) (1 << r.nextInt(8));
        }
        return u;
      }
      default -> {
        byte[] g = new byte[1 + r.nextInt(40)];
        r.nextBytes(g);
        return g;
      }
    }
  }

  private static byte[] fuzzFrame(SplittableRandom r, List<byte[]> updates, long requestId) {
    byte[] payload = mutate(r, updates.get(r.nextInt(updates.size())));
    return switch (r.nextInt(6)) {
      case 0 -> {
        byte[] g = new byte[1 + r.nextInt(100)];
        r.nextBytes(g);
        yield g; // garbage
      }
      case 1 -> {
        byte[] valid = ClientMessage.newBuilder().setRequestId(requestId)
            .setUpdate(DocumentUpdate.newBuilder().setUpdate(ByteString.copyFrom(updates.get(0)))).build().toByteArray();
        yield Arrays.copyOf(valid, 1 + r.nextInt(valid.length - 1)); // truncated envelope
      }
      case 2 -> ClientMessage.newBuilder().setRequestId(requestId)
          .setUpdate(DocumentUpdate.newBuilder().setUpdate(ByteString.copyFrom(payload))).build().toByteArray();
      case 3 -> ClientMessage.newBuilder().setRequestId(requestId)
          .setSyncStep2(SyncStep2.newBuilder().setUpdate(ByteString.copyFrom(payload))).build().toByteArray();
      case 4 -> ClientMessage.newBuilder().setRequestId(requestId)
          .setSyncStep1(SyncStep1.newBuilder().setStateVector(ByteString.copyFrom(payload))).build().toByteArray();
      default -> ClientMessage.newBuilder().setRequestId(requestId)
          .setAwareness(AwarenessUpdate.newBuilder().setUpdate(ByteString.copyFrom(payload))).build().toByteArray();
    };
  }

  /** Whether the server may rightly stay silent: a well-formed presence update is relayed, not answered. */
  private static boolean mayBeSilent(byte[] frame) {
    try {
      ClientMessage m = ClientMessage.parseFrom(frame);
      if (!m.hasAwareness()) {
        return false;
      }
      new dev.roomtone.script.crdt.AwarenessStates<String>(16 * 1024).apply(m.getAwareness().getUpdate().toByteArray(), "x", 0);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void hostileFramesAreAnsweredAndChangeNothing() {
    RestApi.Room room = api.room("Fuzz");
    long seed = 0xF0225L;
    System.out.println("hostileFramesAreAnsweredAndChangeNothing: seed=" + seed);
    SplittableRandom r = new SplittableRandom(seed);
    List<byte[]> updates = realUpdates();
    int frames = 0;
    int answered = 0;
    try (ProtocolClient writer = ProtocolClient.join(server.uri(), room.id(), room.writerToken(), new YDoc(11));
         ProtocolClient observer = ProtocolClient.join(server.uri(), room.id(), room.showrunnerToken(), new YDoc(12))) {
      // the attacker is a viewer: every change it might smuggle through must be refused
      ProtocolClient attacker = ProtocolClient.join(server.uri(), room.id(), room.viewerToken(), new YDoc(13));
      for (int round = 0; round < 30; round++) {
        writer.edit(d -> d.getText("script").insert(d.getText("script").length(), "line\n"));
        for (int i = 0; i < 100; i++) {
          long id = attacker.nextRequest();
          byte[] frame = fuzzFrame(r, updates, id);
          attacker.sendRaw(frame);
          frames++;
          // a marker after each frame, answered by the room like the frame itself: everything the
          // server says about the frame comes before the marker's answer
          long marker = attacker.nextRequest();
          attacker.send(ClientMessage.newBuilder().setRequestId(marker)
              .setSyncStep1(SyncStep1.newBuilder().setStateVector(ByteString.copyFrom(new byte[] {0}))));
          boolean[] replied = {false};
          attacker.expect(m -> {
            if (m.hasSyncStep2() && m.getRequestId() == marker) {
              return true;
            }
            if (m.hasError() || m.hasAck() || m.hasSyncStep2() || m.hasPong()) {
              replied[0] = true;
              assertTrue(!m.hasError() || !m.getError().getFatal(), "a non-fatal frame closed the connection: " + m);
            }
            return false;
          });
          if (replied[0]) {
            answered++;
          } else {
            assertTrue(mayBeSilent(frame), "no answer to frame " + java.util.HexFormat.of().formatHex(frame));
          }
        }
        writer.awaitAcks();
      }
      String expected = "line\n".repeat(30);
      assertEquals(expected, LiveRoomTest.serverText(server, room.id()), "only the writer's lines are in the script");
      LiveRoomTest.awaitText(observer, expected);
      assertTrue(answered > frames * 0.9, answered + " of " + frames + " answered");
      attacker.close();
    }
  }

  @Test
  void oversizedFramesAndBadFirstMessagesCloseWithAReason() {
    RestApi.Room room = api.room("Limits");
    try (ProtocolClient writer = ProtocolClient.join(server.uri(), room.id(), room.writerToken(), new YDoc(21))) {
      for (int i = 0; i < 5; i++) {
        ProtocolClient big = ProtocolClient.join(server.uri(), room.id(), room.writerToken(), new YDoc(22 + i));
        big.sendRaw(new byte[FRAME_LIMIT + 1 + i * 1000]);
        ServerMessage bye = big.expect(ServerMessage::hasError);
        assertEquals(ErrorCode.TOO_LARGE, bye.getError().getCode());
        assertTrue(bye.getError().getFatal());
        big.awaitClose();
      }
      ProtocolClient rude = ProtocolClient.open(server.uri(), room.id(), new YDoc(40));
      rude.send(ClientMessage.newBuilder().setUpdate(DocumentUpdate.newBuilder().setUpdate(ByteString.copyFrom(new byte[] {0, 0}))));
      ServerMessage first = rude.expect(ServerMessage::hasError);
      assertEquals(ErrorCode.PROTOCOL, first.getError().getCode());
      rude.awaitClose();
      // before Hello, a frame that is not a protocol message at all, or a text frame, ends it the same way
      ProtocolClient garbled = ProtocolClient.open(server.uri(), room.id(), new YDoc(41));
      garbled.sendRaw(new byte[] {(byte) 0xff, 0x13, 0x37});
      assertEquals(ErrorCode.PROTOCOL, garbled.expect(ServerMessage::hasError).getError().getCode());
      garbled.awaitClose();
      ProtocolClient texter = ProtocolClient.open(server.uri(), room.id(), new YDoc(42));
      texter.sendText("hello?");
      assertEquals(ErrorCode.PROTOCOL, texter.expect(ServerMessage::hasError).getError().getCode());
      texter.awaitClose();
      // after Hello: a text frame is refused and the connection stays; one over the limit ends it
      ProtocolClient chatty = ProtocolClient.join(server.uri(), room.id(), room.writerToken(), new YDoc(43));
      chatty.sendText("hello?");
      ServerMessage refused = chatty.expect(ServerMessage::hasError);
      assertEquals(ErrorCode.BAD_FRAME, refused.getError().getCode());
      assertTrue(!refused.getError().getFatal());
      chatty.sendRaw(new byte[] {(byte) 0xff, 0x13, 0x37});
      ServerMessage undecodable = chatty.expect(ServerMessage::hasError);
      assertEquals("The message is not a Roomtone protocol message (ClientMessage).", undecodable.getError().getMessage());
      chatty.sendText("x".repeat(FRAME_LIMIT + 1));
      ServerMessage tooLarge = chatty.expect(ServerMessage::hasError);
      assertEquals(ErrorCode.TOO_LARGE, tooLarge.getError().getCode());
      assertTrue(tooLarge.getError().getFatal());
      chatty.awaitClose();
      // the room is undisturbed
      writer.edit(d -> d.getText("script").insert(0, "still here"));
      writer.awaitAcks();
      assertEquals("still here", LiveRoomTest.serverText(server, room.id()));
    }
  }
}
