package dev.roomtone.server.http;

import dev.roomtone.actors.Result;
import dev.roomtone.actors.Rooms;
import dev.roomtone.actors.session.Session;
import dev.roomtone.server.auth.Tokens;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.SharedKillSwitch;
import org.apache.pekko.stream.StreamLimitReachedException;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.typed.javadsl.ActorSink;
import org.apache.pekko.util.ByteString;

/**
 * Connects WebSockets to session actors: inbound messages are read into memory up to the frame limit
 * and handed over with backpressure; outbound frames go through a bounded queue the session owns.
 */
public final class Sockets {

  /** Frames beyond the session's limit: room for its final error message. */
  private static final int RESERVE = 8;
  /** How long a closing connection may take to send its last frames before it is cut. */
  private static final java.time.Duration CLOSE_GRACE = java.time.Duration.ofSeconds(5);

  private final ActorSystem<?> system;
  private final ActorRef<Rooms.Envelope> rooms;
  private final Rooms.Running running;
  private final Tokens tokens;
  private final Session.Settings settings;
  private final Clock clock;
  private final ServerMetrics metrics;
  private final AtomicLong sessionCounter = new AtomicLong();

  public Sockets(ActorSystem<?> system, ActorRef<Rooms.Envelope> rooms, Rooms.Running running, Tokens tokens,
          Session.Settings settings, Clock clock, ServerMetrics metrics) {
    this.system = system;
    this.rooms = rooms;
    this.running = running;
    this.tokens = tokens;
    this.settings = settings;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** The flow for one connection to {@code roomId}; {@code memberId} is known beforehand for y-websocket. */
  Flow<Message, Message, NotUsed> connection(String roomId, Session.Protocol protocol, String memberId) {
    int capacity = settings.outboundFrames() + RESERVE;
    LateQueue queue = new LateQueue(capacity);
    long number = sessionCounter.incrementAndGet();
    AtomicBoolean completed = new AtomicBoolean();
    SharedKillSwitch cut = KillSwitches.shared("outbound-" + number);
    AtomicLong sent = new AtomicLong();
    Session.Outbound outbound = new Session.Outbound() {
      @Override
      public boolean offer(byte[] frame) {
        try {
          return !completed.get() && queue.offer(frame);
        } catch (IllegalStateException e) {
          return false; // the connection is gone
        }
      }

      @Override
      public int queued() {
        return queue.size();
      }

      @Override
      public void complete() {
        if (completed.compareAndSet(false, true)) {
          try {
            queue.complete();
          } catch (IllegalStateException e) {
            // the connection closed first: nothing left to finish
          }
          cutIfStalled(cut, sent, sent.get());
        }
      }
    };
    Session.Authenticator authenticator = (token, room) -> switch (tokens.verifyFor(token, room)) {
      case Result.Ok<Tokens.Member> ok -> Result.ok(ok.value().memberId());
      case Result.Refused<Tokens.Member> no -> Result.refused(no.refusal());
    };
    Session.Rooms gateway = (room, command) -> running.tell(rooms, room, command);
    ActorRef<Session.Command> session = system.systemActorOf(
        Session.create(roomId, protocol, memberId, authenticator, gateway, outbound, settings, clock),
        "session-" + number, Props.empty());

    int max = settings.maxFrameBytes();
    String kind = protocol == Session.Protocol.ROOMTONE ? "roomtone" : "y-websocket";
    Sink<Message, NotUsed> inbound = Flow.<Message>create()
        .map(m -> {
          metrics.frameReceived(kind);
          return m;
        })
        .mapAsync(1, m -> read(m, max))
        .to(ActorSink.actorRefWithBackpressure(session, Session.Inbound::new, Session.StreamStarted::new,
            Session.Ack.INSTANCE, Session.StreamEnded.INSTANCE, Session.StreamFailed::new));
    // the queue is part of the connection's own stream, not a stream of its own in front of it:
    // a frame the room puts in is rendered and written by the connection's stream directly,
    // without a hand-over between two streams (an actor message per frame per recipient)
    Source<Message, NotUsed> outboundSource = Source.<byte[]>queue(capacity)
        .mapMaterializedValue(q -> {
          queue.attach(q);
          return NotUsed.getInstance();
        })
        .via(cut.flow())
        .map(bytes -> {
          sent.incrementAndGet();
          metrics.frameSent(kind, bytes.length);
          return bytes;
        })
        .map(bytes -> (Message) BinaryMessage.create(ByteString.fromArrayUnsafe(bytes)));
    metrics.connectionOpened(kind);
    // not coupled: when the session stops reading (after a fatal error), what it queued, the error
    // included, must still go out before the connection closes
    return Flow.fromSinkAndSource(inbound, outboundSource)
        .watchTermination((notUsed, done) -> {
          done.whenComplete((d, e) -> metrics.connectionClosed(kind));
          return NotUsed.getInstance();
        });
  }

  /**
   * Once a connection is closing, a client that takes none of its remaining frames for a grace
   * period is cut off; otherwise it would hold the socket and the queued frames until the idle timeout.
   */
  private void cutIfStalled(SharedKillSwitch cut, AtomicLong sent, long sentBefore) {
    system.scheduler().scheduleOnce(CLOSE_GRACE, () -> {
      long now = sent.get();
      if (now == sentBefore) {
        cut.abort(new IllegalStateException("the client stopped reading while the connection was closing"));
      } else {
        cutIfStalled(cut, sent, now);
      }
    }, system.executionContext());
  }

  /**
   * The connection's outbound queue. It comes into being when Pekko HTTP runs the connection's
   * flow, and the session (the flow's inbound end) exists before that; what the session sends
   * first (a refusal, the close) waits here, in order, until the queue is there.
   */
  private static final class LateQueue {
    private final int capacity;
    private volatile BoundedSourceQueue<byte[]> queue;
    /** Guarded by this; null once the queue is attached. */
    private List<byte[]> early = new ArrayList<>();
    private boolean completeEarly;

    LateQueue(int capacity) {
      this.capacity = capacity;
    }

    /** Throws IllegalStateException when the stream is gone, as the queue does. */
    boolean offer(byte[] frame) {
      BoundedSourceQueue<byte[]> q = queue;
      if (q == null) {
        synchronized (this) {
          if (queue == null) {
            if (completeEarly || early.size() >= capacity) {
              return false;
            }
            early.add(frame);
            return true;
          }
          q = queue;
        }
      }
      return q.offer(frame) == QueueOfferResult.enqueued();
    }

    int size() {
      BoundedSourceQueue<byte[]> q = queue;
      if (q != null) {
        return q.size();
      }
      synchronized (this) {
        return queue != null ? queue.size() : early.size();
      }
    }

    void complete() {
      BoundedSourceQueue<byte[]> q = queue;
      if (q == null) {
        synchronized (this) {
          if (queue == null) {
            completeEarly = true;
            return;
          }
          q = queue;
        }
      }
      q.complete();
    }

    synchronized void attach(BoundedSourceQueue<byte[]> q) {
      for (byte[] frame : early) {
        q.offer(frame);
      }
      if (completeEarly) {
        q.complete();
      }
      early = null;
      queue = q;
    }
  }

  /** Reads a message into memory, or reports it as too large without keeping it. */
  private CompletionStage<Session.Frame> read(Message m, int max) {
    if (m.isText()) {
      // drained, not kept: the session answers that only binary messages are understood; one over
      // the size limit (counted in characters) is refused as a binary one would be
      return m.asTextMessage().getStreamedText()
          .limitWeighted(max, s -> (long) s.length())
          .runWith(Sink.fold(0, (n, s) -> n + s.length()), system)
          .<Session.Frame>thenApply(Session.Frame.Text::new)
          .exceptionally(e -> tooLarge(e, max));
    }
    BinaryMessage b = m.asBinaryMessage();
    if (b.isStrict()) {
      ByteString data = b.getStrictData();
      return CompletableFuture.completedFuture(data.size() > max ? new Session.Frame.TooLarge(data.size())
          : new Session.Frame.Binary(data.toArrayUnsafe()));
    }
    Sink<ByteString, CompletionStage<ByteString>> collect = Sink.fold(ByteString.emptyByteString(), ByteString::concat);
    return b.getStreamedData()
        .limitWeighted(max, s -> (long) s.size())
        .runWith(collect, system)
        .<Session.Frame>thenApply(data -> new Session.Frame.Binary(data.toArrayUnsafe()))
        .exceptionally(e -> tooLarge(e, max));
  }

  private static Session.Frame tooLarge(Throwable e, int max) {
    if (e instanceof StreamLimitReachedException || e.getCause() instanceof StreamLimitReachedException) {
      return new Session.Frame.TooLarge(max + 1L);
    }
    throw e instanceof java.util.concurrent.CompletionException c ? c : new java.util.concurrent.CompletionException(e);
  }
}
