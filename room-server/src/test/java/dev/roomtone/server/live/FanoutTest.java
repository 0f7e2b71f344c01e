package dev.roomtone.server.live;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomtone.script.crdt.YWebsocketMessage;
import dev.roomtone.server.RoomtoneServer;
import dev.roomtone.server.TestServerAccess;
import dev.roomtone.server.bench.FanoutLoad;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rooms full of real yjs writers typing at once through the real server, driven by the same load
 * workers as {@code roomtone bench fanout}: nothing is lost, every room converges with the server's
 * document, and a client that stops reading is cut off without holding up the others.
 */
class FanoutTest {

  /** Small, so that a client that stops reading fills its buffer quickly. */
  private static final int OUTBOUND_MESSAGES = 32;

  private static RoomtoneServer server;
  private static RestApi api;
  private static FanoutLoad load;

  @BeforeAll
  static void start(@TempDir Path dataDir) throws Exception {
    server = RoomtoneServer.start(TestServerAccess.config(dataDir,
        Map.of("roomtone.limits.outbound-messages", OUTBOUND_MESSAGES)));
    api = new RestApi(server.uri());
    load = new FanoutLoad(Path.of("src/test/node"), new PrintWriter(System.err, true));
    load.ensureInstalled();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String wsUrl() {
    return server.uri().toString().replaceFirst("^http", "ws") + "/yjs";
  }

  /** A room with {@code writers} writer tokens, and the showrunner's and a viewer's. */
  private record Room(String id, List<String> writers, String showrunnerToken, String viewerToken, String viewerId) {
    FanoutLoad.Room forLoad() {
      return new FanoutLoad.Room(id, writers);
    }
  }

  private static Room room(String name, int writers) {
    RestApi.Room r = api.room(name);
    String code = api.invite(r.id(), r.showrunnerToken(), "writer");
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      tokens.add(api.join(code, "Writer " + i).get("token").asText());
    }
    return new Room(r.id(), tokens, r.showrunnerToken(), r.viewerToken(), r.viewerId());
  }

  private static String sha256(String text) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static void assertComplete(FanoutLoad.Outcome o) {
    assertTrue(o.editsSent() > 0, "nobody typed");
    assertEquals(o.deliveriesExpected(), o.deliveriesSeen(), "deliveries lost");
    assertEquals(o.deliveriesSeen(), o.latenciesUs().length, "every delivery has a latency");
    assertTrue(o.converged(), "replicas differ: " + o.rooms());
  }

  @Test
  void everyEditReachesEveryOtherWriterAndRoomsConvergeWithTheServer() throws Exception {
    long seed = System.nanoTime();
    System.out.println("everyEditReachesEveryOtherWriterAndRoomsConvergeWithTheServer: seed=" + seed);
    List<Room> rooms = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      rooms.add(room("Fan-out " + i, 4));
    }
    FanoutLoad.Workload w = new FanoutLoad.Workload(rooms.size(), 4, 10, 2);
    FanoutLoad.Outcome o = load.run(FanoutLoad.Kind.ROOMTONE, wsUrl(), rooms.stream().map(Room::forLoad).toList(), w, 2,
        seed, 20_000, new FanoutLoad.Hooks() { });
    assertComplete(o);
    assertEquals(o.editsSent() * 3, o.deliveriesExpected());
    assertEquals(rooms.size(), o.rooms().size());
    for (FanoutLoad.RoomOutcome r : o.rooms()) {
      String text = LiveRoomTest.serverText(server, r.room());
      assertTrue(!text.isEmpty(), "room " + r.room() + " is empty on the server");
      assertEquals(sha256(text), r.sha256(), "room " + r.room() + " differs from the server's document");
    }
  }

  /** A raw y-websocket connection whose reading the test controls. */
  private static final class StalledReader implements WebSocket.Listener {
    final List<byte[]> messages = new CopyOnWriteArrayList<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    @Override
    public void onOpen(WebSocket ws) {
      ws.request(1); // one message (the server's sync step 1), then nothing until the test says so
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      byte[] b = new byte[data.remaining()];
      data.get(b);
      partial.writeBytes(b);
      if (last) {
        messages.add(partial.toByteArray());
        partial.reset();
      }
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
      closed.complete(status);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      closed.completeExceptionally(error);
    }
  }

  private static int connectionsOf(Room room, String memberId) {
    JsonNode members = api.call("GET", "/api/rooms/" + room.id() + "/members", room.showrunnerToken(), null).body();
    for (JsonNode m : members.get("members")) {
      if (m.get("memberId").asText().equals(memberId)) {
        return m.get("connections").asInt();
      }
    }
    throw new AssertionError("no member " + memberId + " in " + members);
  }

  @Test
  void aClientThatStopsReadingIsCutOffWithAReasonWhileTheOthersKeepReceiving() throws Exception {
    long seed = System.nanoTime();
    System.out.println("aClientThatStopsReadingIsCutOffWithAReasonWhileTheOthersKeepReceiving: seed=" + seed);
    Room room = room("Slow reader", 3);
    StalledReader reader = new StalledReader();
    WebSocket slow = HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(URI.create(wsUrl() + "/" + room.id() + "?token=" + room.viewerToken()), reader)
        .get(20, TimeUnit.SECONDS);
    await().alias("the slow reader joins").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
        .until(() -> connectionsOf(room, room.viewerId()) == 1);

    // the room's writers type (and are measured) while a big writer pushes large edits that the
    // stalled connection cannot take
    FanoutLoad.Workload w = new FanoutLoad.Workload(1, 3, 10, 4);
    // the writers' replicas are compared only once the big writer has stopped: on a loaded machine
    // its edits can outlast the typing, and a document still being written to is a moving target
    CompletableFuture<Void> bigWriterDone = new CompletableFuture<>();
    CompletableFuture<FanoutLoad.Outcome> typing = CompletableFuture.supplyAsync(() -> {
      try {
        return load.run(FanoutLoad.Kind.ROOMTONE, wsUrl(), List.of(room.forLoad()), w, 1, seed, 30_000,
            new FanoutLoad.Hooks() {
              @Override
              public void drained() {
                bigWriterDone.orTimeout(120, TimeUnit.SECONDS).exceptionally(e -> null).join();
              }
            });
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    String chunk = "INT. WRITERS' ROOM - NIGHT. ".repeat(64 * 1024 / 28);
    int pushed = 0;
    try (YjsPeer big = YjsPeer.connect(server.uri(), room.id(), room.showrunnerToken(), 4242)) {
      while (connectionsOf(room, room.viewerId()) != 0) {
        assertTrue(pushed < 1000, "the stalled connection was never cut off after " + pushed + " large edits");
        big.insert(0, chunk);
        pushed++;
        // stay under the connection's message rate (200/s): edits beyond it would be dropped, not sent on
        Thread.sleep(8);
      }
      System.out.println("the stalled connection was cut off after " + pushed + " large edits");
      bigWriterDone.complete(null);
      FanoutLoad.Outcome o = typing.get(120, TimeUnit.SECONDS);
      // converged: the writers' replicas and a fresh client synced from the server agree
      assertComplete(o);
    }

    // reading again, the client gets what was queued, then the reason, then the close
    slow.request(Long.MAX_VALUE);
    reader.closed.get(60, TimeUnit.SECONDS);
    byte[] lastMessage = reader.messages.getLast();
    YWebsocketMessage.PermissionDenied denied =
        assertInstanceOf(YWebsocketMessage.PermissionDenied.class, YWebsocketMessage.decode(lastMessage));
    assertNotNull(denied.reason());
    assertTrue(denied.reason().startsWith("slow_consumer: The connection fell behind by " + OUTBOUND_MESSAGES),
        denied.reason());
  }
}
