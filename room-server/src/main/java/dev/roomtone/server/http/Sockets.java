package dev.roomtone.server.http;

import dev.roomtone.actors.Result;
import dev.roomtone.actors.Rooms;
import dev.roomtone.actors.session.Session;
import dev.roomtone.server.auth.Tokens;
import java.time.Clock;
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
import org.apache.pekko.japi.Pair;
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
  private final Tokens tokens;
  private final Session.Settings settings;
  private final Clock clock;
  private final ServerMetrics metrics;
  private final AtomicLong sessionCounter = new AtomicLong();

  public Sockets(ActorSystem<?> system, ActorRef<Rooms.Envelope> rooms, Tokens tokens, Session.Settings settings, Clock clock,
          ServerMetrics metrics) {
    this.system = system;
    this.rooms = rooms;
    this.tokens = tokens;
    this.settings = settings;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** The flow for one connection to {@code roomId}; {@code memberId} is known beforehand for y-websocket. */
  Flow<Message, Message, NotUsed> connection(String roomId, Session.Protocol protocol, String memberId) {
    Pair<BoundedSourceQueue<byte[]>, Source<byte[], NotUsed>> out =
        Source.<byte[]>queue(settings.outboundFrames() + RESERVE).preMaterialize(system);
    BoundedSourceQueue<byte[]> queue = out.first();
    long number = sessionCounter.incrementAndGet();
    AtomicBoolean completed = new AtomicBoolean();
    SharedKillSwitch cut = KillSwitches.shared("outbound-" + number);
    AtomicLong sent = new AtomicLong();
    Session.Outbound outbound = new Session.Outbound() {
      @Override
      public boolean offer(byte[] frame) {
        try {
          return !completed.get() && queue.offer(frame) == QueueOfferResult.enqueued();
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
    Session.Rooms gateway = (room, command) -> rooms.tell(new Rooms.Envelope(room, command));
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
    Source<Message, NotUsed> outboundSource = out.second()
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

  /** Reads a message into memory, or reports it as too large without keeping it. */
  private CompletionStage<Session.Frame> read(Message m, int max) {
    if (m.isText()) {
      // drain it: the session answers that only binary messages are understood
      return m.asTextMessage().getStreamedText().runWith(Sink.fold(0, (n, s) -> n + s.length()), system)
          .thenApply(Session.Frame.Text::new);
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
        .exceptionally(e -> {
          if (e instanceof StreamLimitReachedException || e.getCause() instanceof StreamLimitReachedException) {
            return new Session.Frame.TooLarge(max + 1L);
          }
          throw new java.util.concurrent.CompletionException(e);
        });
  }
}
