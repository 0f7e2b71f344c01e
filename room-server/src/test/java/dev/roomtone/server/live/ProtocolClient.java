package dev.roomtone.server.live;

import com.google.protobuf.ByteString;
import dev.roomtone.protocol.v1.ClientMessage;
import dev.roomtone.protocol.v1.DocumentUpdate;
import dev.roomtone.protocol.v1.Hello;
import dev.roomtone.protocol.v1.ServerMessage;
import dev.roomtone.protocol.v1.SyncStep1;
import dev.roomtone.protocol.v1.SyncStep2;
import dev.roomtone.script.crdt.YDoc;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A client of the room WebSocket for tests, written against the protocol only (JDK WebSocket and
 * the generated Protobuf classes): it keeps its own copy of the document, as a browser would.
 */
final class ProtocolClient implements AutoCloseable {

  private static final Duration WAIT = Duration.ofSeconds(20);

  final YDoc doc;
  private final WebSocket socket;
  private final BlockingQueue<ServerMessage> inbox = new LinkedBlockingQueue<>();
  private final List<ServerMessage> seen = new ArrayList<>();
  private final CompletableFuture<String> closed = new CompletableFuture<>();
  private final AtomicLong requests = new AtomicLong();
  private final List<Long> unacked = new ArrayList<>();
  final List<Integer> frameSizes = java.util.Collections.synchronizedList(new ArrayList<>());

  private ProtocolClient(WebSocket socket, YDoc doc) {
    this.socket = socket;
    this.doc = doc;
  }

  /** Opens a connection (no Hello yet). */
  static ProtocolClient open(URI server, String roomId, YDoc doc) {
    URI ws = URI.create(server.toString().replaceFirst("^http", "ws") + "/api/rooms/" + roomId + "/ws");
    CompletableFuture<ProtocolClient> client = new CompletableFuture<>();
    Listener listener = new Listener(client);
    WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(WAIT)
        .buildAsync(ws, listener).join();
    ProtocolClient c = new ProtocolClient(socket, doc);
    listener.client = c;
    client.complete(c);
    return c;
  }

  /** Opens a connection, says Hello and completes the initial sync (both directions). */
  static ProtocolClient join(URI server, String roomId, String token, YDoc doc) {
    ProtocolClient c = open(server, roomId, doc);
    c.send(ClientMessage.newBuilder().setHello(Hello.newBuilder().setToken(token).setClient("test").setProtocolVersion(1)));
    ServerMessage welcome = c.expect(ServerMessage::hasWelcome);
    ServerMessage serverStep1 = c.expect(ServerMessage::hasSyncStep1);
    c.welcome = welcome;
    // answer the server's step 1 with what it lacks, and ask for what we lack
    byte[] mine = doc.encodeStateAsUpdate(serverStep1.getSyncStep1().getStateVector().toByteArray());
    long step2 = c.nextRequest();
    c.send(ClientMessage.newBuilder().setRequestId(step2).setSyncStep2(SyncStep2.newBuilder().setUpdate(ByteString.copyFrom(mine))));
    long step1 = c.nextRequest();
    c.send(ClientMessage.newBuilder().setRequestId(step1).setSyncStep1(SyncStep1.newBuilder()
        .setStateVector(ByteString.copyFrom(doc.encodeStateVector()))));
    ServerMessage answer = c.expect(m -> m.hasSyncStep2() && m.getRequestId() == step1);
    c.lastStep2Bytes = answer.getSyncStep2().getUpdate().size();
    c.lastStep2 = answer.getSyncStep2().getUpdate().toByteArray();
    doc.applyUpdate(c.lastStep2, "server");
    c.awaitAck(step2);
    return c;
  }

  ServerMessage welcome;
  int lastStep2Bytes;
  byte[] lastStep2;

  long nextRequest() {
    return requests.incrementAndGet();
  }

  void send(ClientMessage.Builder message) {
    sendRaw(message.build().toByteArray());
  }

  synchronized void sendRaw(byte[] bytes) {
    socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
  }

  synchronized void sendText(String text) {
    socket.sendText(text, true).join();
  }

  /** Edits the local document and sends the update; the server acknowledges it later. */
  long edit(java.util.function.Consumer<YDoc> change) {
    List<byte[]> updates = new ArrayList<>();
    var sub = doc.onUpdate((u, origin, t) -> {
      if (!"server".equals(origin)) {
        updates.add(u);
      }
    });
    change.accept(doc);
    sub.close();
    long last = 0;
    for (byte[] u : updates) {
      last = nextRequest();
      synchronized (unacked) {
        unacked.add(last);
      }
      send(ClientMessage.newBuilder().setRequestId(last).setUpdate(DocumentUpdate.newBuilder().setUpdate(ByteString.copyFrom(u))));
    }
    return last;
  }

  /** The next message matching {@code p}; messages before it are applied (updates) and kept. */
  ServerMessage expect(Predicate<ServerMessage> p) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      ServerMessage m;
      try {
        m = inbox.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted");
      }
      if (m == null) {
        throw new AssertionError("no matching message within " + WAIT.toSeconds() + " s; closed: "
            + closed.getNow("no") + "; seen: " + seen.stream().map(x -> x.getBodyCase().name()).toList());
      }
      seen.add(m);
      handle(m);
      if (p.test(m)) {
        return m;
      }
    }
  }

  private final Set<Long> acked = new HashSet<>();

  private void handle(ServerMessage m) {
    if (m.hasUpdate()) {
      doc.applyUpdate(m.getUpdate().getUpdate().toByteArray(), "server");
    } else if (m.hasAck()) {
      acked.add(m.getRequestId());
      synchronized (unacked) {
        unacked.remove(m.getRequestId());
      }
    }
  }

  /** Waits up to {@code timeout} for a message matching {@code p} (one already received counts too). */
  boolean awaitSeen(Predicate<ServerMessage> p, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    do {
      if (hasSeen(p)) {
        return true;
      }
      try {
        ServerMessage m = inbox.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (m != null) {
          seen.add(m);
          handle(m);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted");
      }
    } while (System.nanoTime() < deadline);
    return hasSeen(p);
  }

  /** Whether any message received so far (those consumed by earlier waits included) matches. */
  boolean hasSeen(Predicate<ServerMessage> p) {
    drain();
    return seen.stream().anyMatch(p);
  }

  /** The latest roster received so far, if any. */
  java.util.Optional<dev.roomtone.protocol.v1.Roster> latestRoster() {
    drain();
    for (int i = seen.size() - 1; i >= 0; i--) {
      ServerMessage m = seen.get(i);
      if (m.hasRoster()) {
        return java.util.Optional.of(m.getRoster());
      }
      if (m.hasWelcome()) {
        return java.util.Optional.of(m.getWelcome().getRoster());
      }
    }
    return java.util.Optional.empty();
  }

  /** Request ids the server has acknowledged so far. */
  Set<Long> acked() {
    drain();
    return Set.copyOf(acked);
  }

  /** Waits for the acknowledgement of request {@code id} (it may have arrived already). */
  void awaitAck(long id) {
    if (!acked.contains(id)) {
      expect(m -> m.hasAck() && m.getRequestId() == id);
    }
  }

  /** Waits until every edit sent has been acknowledged (stored by the server). */
  void awaitAcks() {
    while (true) {
      synchronized (unacked) {
        if (unacked.isEmpty()) {
          return;
        }
      }
      expect(ServerMessage::hasAck);
    }
  }

  /** Applies whatever has arrived, without waiting. */
  void drain() {
    ServerMessage m;
    while ((m = inbox.poll()) != null) {
      seen.add(m);
      handle(m);
    }
  }

  /** The close reason, once the server closed the connection. */
  String awaitClose() {
    try {
      return closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the server did not close the connection", e);
    }
  }

  boolean isClosed() {
    return closed.isDone();
  }

  private volatile boolean paused;

  /** Stops taking frames from the socket, like a client that hangs: the server's frames pile up. */
  void stopReading() {
    paused = true;
  }

  /** Takes frames again, starting with those that waited. */
  void resumeReading() {
    paused = false;
    socket.request(1);
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
    socket.abort();
  }

  private static final class Listener implements WebSocket.Listener {
    private final CompletableFuture<ProtocolClient> ready;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    ProtocolClient client;

    Listener(CompletableFuture<ProtocolClient> ready) {
      this.ready = ready;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      byte[] chunk = new byte[data.remaining()];
      data.get(chunk);
      partial.writeBytes(chunk);
      if (last) {
        byte[] frame = partial.toByteArray();
        partial.reset();
        ProtocolClient c = ready.join();
        c.frameSizes.add(frame.length);
        try {
          c.inbox.add(ServerMessage.parseFrom(frame));
        } catch (Exception e) {
          c.inbox.add(ServerMessage.getDefaultInstance());
        }
      }
      if (!ready.join().paused) {
        ws.request(1);
      }
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      ready.join().closed.complete(statusCode + " " + reason);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      ready.join().closed.complete("error " + error);
    }
  }
}
