package dev.roomtone.actors.session;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.roomtone.actors.Result;
import dev.roomtone.actors.room.FrameSink;
import dev.roomtone.actors.room.ProtobufCodec;
import dev.roomtone.actors.room.RoomCommand;
import dev.roomtone.actors.room.SessionCodec;
import dev.roomtone.actors.room.SessionOut;
import dev.roomtone.actors.room.YWebsocketCodec;
import dev.roomtone.protocol.v1.ClientMessage;
import dev.roomtone.protocol.v1.ErrorCode;
import dev.roomtone.protocol.v1.Limits;
import dev.roomtone.script.crdt.MalformedUpdateException;
import dev.roomtone.script.crdt.SyncMessage;
import dev.roomtone.script.crdt.YWebsocketMessage;
import java.time.Clock;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * One client connection: parses its frames, enforces its limits, talks to its room, and owns its
 * bounded outbound buffer, so that a slow or hostile client affects nobody else. Inbound frames
 * arrive with backpressure: the next one comes only after this actor acknowledges the previous.
 */
public final class Session {

  /** Which protocol the connection speaks. */
  public enum Protocol {
    /** Roomtone's Protobuf envelope (docs/protocol.md); authenticates with Hello. */
    ROOMTONE,
    /** The plain y-websocket protocol; authenticated by the token in the URL. */
    Y_WEBSOCKET
  }

  /** Limits of one connection. */
  public record Settings(int maxFrameBytes, int messagesPerSecond, int burst, int outboundFrames, Duration helloTimeout) {

    public static Settings defaults() {
      return new Settings(2 * 1024 * 1024, 200, 400, 1024, Duration.ofSeconds(10));
    }

    /** What the client is told about these limits in Welcome. */
    Limits limits() {
      return Limits.newBuilder().setMaxFrameBytes(maxFrameBytes).setMaxMessagesPerSecond(messagesPerSecond).build();
    }
  }

  /** Where outbound frames go: the connection's bounded buffer. */
  public interface Outbound {
    /** Queues a frame; false when the buffer is full or closed. */
    boolean offer(byte[] frame);

    /** Frames queued and not yet written to the socket. */
    int queued();

    /** Sends what is queued, then closes the connection. */
    void complete();
  }

  /** Checks a member token for a room; the result is the member id. */
  public interface Authenticator {
    Result<String> memberOf(String token, String roomId);
  }

  /** Delivers commands to a room by id. */
  public interface Rooms {
    void tell(String roomId, RoomCommand command);
  }

  /** An inbound WebSocket message, already read into memory (or found too large). */
  public sealed interface Frame {
    record Binary(byte[] bytes) implements Frame {
    }

    record Text(int length) implements Frame {
    }

    record TooLarge(long bytes) implements Frame {
    }
  }

  /** Acknowledgement the stream waits for before it sends the next frame. */
  public enum Ack {
    INSTANCE
  }

  public sealed interface Command {
  }

  public record StreamStarted(ActorRef<Ack> ackTo) implements Command {
  }

  public record Inbound(ActorRef<Ack> ackTo, Frame frame) implements Command {
  }

  public enum StreamEnded implements Command {
    INSTANCE
  }

  public record StreamFailed(Throwable cause) implements Command {
  }

  private record FromRoom(SessionOut message) implements Command {
  }

  private record Joined(Result<RoomCommand.MemberView> result, ActorRef<Ack> ackTo) implements Command {
  }

  private enum HelloTimeout implements Command {
    INSTANCE
  }

  /** The behavior of a new connection to {@code roomId}; {@code memberId} is known already for y-websocket. */
  public static Behavior<Command> create(String roomId, Protocol protocol, String memberId, Authenticator authenticator,
                                         Rooms rooms, Outbound outbound, Settings settings, Clock clock) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new Session(ctx, timers, roomId, protocol, memberId, authenticator, rooms, outbound, settings, clock).initial()));
  }

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final String roomId;
  private final Protocol protocol;
  private final SessionCodec codec;
  private final Authenticator authenticator;
  private final Rooms rooms;
  private final Outbound outbound;
  private final Settings settings;
  private final Clock clock;
  private final ActorRef<SessionOut> self;
  private final TokenBucket bucket;
  private String memberId;
  private boolean joined;
  private long nextRateErrorAt = 0; // at most one rate error a second, not one per dropped message

  private Session(ActorContext<Command> ctx, TimerScheduler<Command> timers, String roomId, Protocol protocol,
                  String memberId, Authenticator authenticator, Rooms rooms, Outbound outbound, Settings settings, Clock clock) {
    this.ctx = ctx;
    this.timers = timers;
    this.roomId = roomId;
    this.protocol = protocol;
    this.codec = protocol == Protocol.ROOMTONE ? ProtobufCodec.INSTANCE : YWebsocketCodec.INSTANCE;
    this.memberId = memberId;
    this.authenticator = authenticator;
    this.rooms = rooms;
    this.outbound = outbound;
    this.settings = settings;
    this.clock = clock;
    this.self = ctx.messageAdapter(SessionOut.class, FromRoom::new);
    this.bucket = new TokenBucket(settings.burst(), settings.messagesPerSecond(), clock.millis());
  }

  private Behavior<Command> initial() {
    if (protocol == Protocol.ROOMTONE) {
      timers.startSingleTimer(HelloTimeout.INSTANCE, settings.helloTimeout());
    }
    return behavior();
  }

  private Behavior<Command> behavior() {
    Behavior<Command> receive = Behaviors.receive(Command.class)
        .onMessage(StreamStarted.class, this::onStreamStarted)
        .onMessage(Inbound.class, this::onInbound)
        .onMessage(Joined.class, this::onJoined)
        .onMessage(FromRoom.class, this::onFromRoom)
        .onMessageEquals(HelloTimeout.INSTANCE, this::onHelloTimeout)
        .onMessageEquals(StreamEnded.INSTANCE, Behaviors::stopped)
        .onMessage(StreamFailed.class, f -> Behaviors.stopped())
        .onSignal(PostStop.class, signal -> {
          if (joined) {
            rooms.tell(roomId, new RoomCommand.Disconnect(self));
          }
          outbound.complete();
          return Behaviors.same();
        })
        .build();
    return receive;
  }

  private Behavior<Command> onStreamStarted(StreamStarted s) {
    if (protocol == Protocol.Y_WEBSOCKET) {
      // authenticated by the URL: join at once, and read frames only once the room said yes
      join(s.ackTo());
    } else {
      s.ackTo().tell(Ack.INSTANCE);
    }
    return Behaviors.same();
  }

  private void join(ActorRef<Ack> ackTo) {
    ActorRef<Result<RoomCommand.MemberView>> replyTo = ctx.messageAdapter(
        (Class<Result<RoomCommand.MemberView>>) (Class<?>) Result.class, r -> new Joined(r, ackTo));
    // the room queues frames straight into the buffer while it is under its limit; at the limit
    // it sends them here, where the slow consumer is cut off with its reason (onFromRoom)
    FrameSink direct = frame -> outbound.queued() < settings.outboundFrames() && outbound.offer(frame);
    rooms.tell(roomId, new RoomCommand.Connect(memberId, self, codec, settings.limits(), direct, replyTo));
  }

  private Behavior<Command> onJoined(Joined j) {
    switch (j.result()) {
      case Result.Ok<RoomCommand.MemberView> ok -> {
        joined = true;
        timers.cancel(HelloTimeout.INSTANCE);
        j.ackTo().tell(Ack.INSTANCE);
        return Behaviors.same();
      }
      case Result.Refused<RoomCommand.MemberView> refused -> {
        return closeWith(codec.error(refused.refusal().code(), refused.refusal().message(), 0, true));
      }
    }
  }

  private Behavior<Command> onHelloTimeout() {
    return closeWith(codec.error(ErrorCode.PROTOCOL, "No Hello within " + settings.helloTimeout().toSeconds() + " s.", 0, true));
  }

  private Behavior<Command> closeWith(byte[] finalFrame) {
    if (finalFrame != null) {
      outbound.offer(finalFrame);
    }
    outbound.complete();
    return Behaviors.stopped();
  }

  private Behavior<Command> onFromRoom(FromRoom m) {
    switch (m.message()) {
      case SessionOut.Deliver d -> {
        if (outbound.queued() >= settings.outboundFrames()) {
          // the buffer has room beyond the limit for exactly this last word
          return closeWith(codec.error(ErrorCode.SLOW_CONSUMER,
              "The connection fell behind by " + settings.outboundFrames() + " messages; reconnect to resync.", 0, true));
        }
        if (!outbound.offer(d.frame())) {
          return Behaviors.stopped();
        }
        return Behaviors.same();
      }
      case SessionOut.Close c -> {
        joined = false; // the room already let go of this connection
        return closeWith(c.finalFrame());
      }
      case SessionOut.Rejoin r -> {
        joined = false;
        return closeWith(codec.error(ErrorCode.RESYNC, r.reason(), 0, true));
      }
    }
  }

  private void send(byte[] frame) {
    if (frame != null) {
      outbound.offer(frame);
    }
  }

  private Behavior<Command> onInbound(Inbound in) {
    long now = clock.millis();
    if (!bucket.take(now)) {
      if (now >= nextRateErrorAt) {
        nextRateErrorAt = now + 1000;
        send(codec.error(ErrorCode.RATE_LIMITED, "More than " + settings.messagesPerSecond()
            + " messages per second; a message was dropped. Slow down and resync.", 0, false));
      }
      in.ackTo().tell(Ack.INSTANCE);
      return Behaviors.same();
    }
    switch (in.frame()) {
      case Frame.TooLarge t -> {
        return closeWith(codec.error(ErrorCode.TOO_LARGE, "A message of " + t.bytes() + " bytes exceeds the limit of "
            + settings.maxFrameBytes() + " bytes.", 0, true));
      }
      case Frame.Text t -> {
        if (awaitingHello()) {
          return closeWith(codec.error(ErrorCode.PROTOCOL, "The first message must be Hello.", 0, true));
        }
        send(codec.error(ErrorCode.BAD_FRAME, "Only binary messages are understood here.", 0, false));
        in.ackTo().tell(Ack.INSTANCE);
        return Behaviors.same();
      }
      case Frame.Binary b -> {
        return protocol == Protocol.ROOMTONE ? onRoomtoneFrame(b.bytes(), in.ackTo()) : onYWebsocketFrame(b.bytes(), in.ackTo());
      }
    }
  }

  /** On the Roomtone endpoint, before Hello: anything but a Hello (or a Ping) ends the connection. */
  private boolean awaitingHello() {
    return protocol == Protocol.ROOMTONE && !joined && memberId == null;
  }

  private Behavior<Command> onRoomtoneFrame(byte[] bytes, ActorRef<Ack> ackTo) {
    ClientMessage msg;
    try {
      msg = ClientMessage.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      if (awaitingHello()) {
        return closeWith(codec.error(ErrorCode.PROTOCOL, "The first message must be Hello.", 0, true));
      }
      // protobuf's own message describes its parser's internals, not the client's mistake
      send(codec.error(ErrorCode.BAD_FRAME, "The message is not a Roomtone protocol message (ClientMessage).", 0, false));
      ackTo.tell(Ack.INSTANCE);
      return Behaviors.same();
    }
    long requestId = msg.getRequestId();
    if (!joined && msg.getBodyCase() != ClientMessage.BodyCase.HELLO && msg.getBodyCase() != ClientMessage.BodyCase.PING) {
      return closeWith(codec.error(ErrorCode.PROTOCOL, "The first message must be Hello.", requestId, true));
    }
    switch (msg.getBodyCase()) {
      case HELLO -> {
        if (joined || memberId != null) {
          send(codec.error(ErrorCode.PROTOCOL, "Hello was already sent on this connection.", requestId, false));
          break;
        }
        if (msg.getHello().getProtocolVersion() > 1) {
          return closeWith(codec.error(ErrorCode.PROTOCOL, "This server speaks protocol version 1.", requestId, true));
        }
        switch (authenticator.memberOf(msg.getHello().getToken(), roomId)) {
          case Result.Ok<String> ok -> {
            memberId = ok.value();
            join(ackTo);
            return Behaviors.same(); // acknowledged when the room answers
          }
          case Result.Refused<String> no -> {
            return closeWith(codec.error(no.refusal().code(), no.refusal().message(), requestId, true));
          }
        }
      }
      case SYNC_STEP1 -> rooms.tell(roomId, new RoomCommand.Sync(self, msg.getSyncStep1().getStateVector().toByteArray(), requestId));
      case SYNC_STEP2 -> rooms.tell(roomId, new RoomCommand.Edit(self, msg.getSyncStep2().getUpdate().toByteArray(), requestId));
      case UPDATE -> rooms.tell(roomId, new RoomCommand.Edit(self, msg.getUpdate().getUpdate().toByteArray(), requestId));
      case AWARENESS -> rooms.tell(roomId, new RoomCommand.Awareness(self, msg.getAwareness().getUpdate().toByteArray()));
      case PING -> send(codec.pong(msg.getPing().getNonce()));
      case AI_REQUEST -> rooms.tell(roomId, new RoomCommand.AskAi(self, msg.getAiRequest(), requestId));
      case AI_CANCEL -> rooms.tell(roomId, new RoomCommand.CancelAi(self, msg.getAiCancel().getJobId(), requestId));
      case DECISION -> rooms.tell(roomId, new RoomCommand.Decide(self, msg.getDecision(), requestId));
      case BODY_NOT_SET -> send(codec.error(ErrorCode.BAD_FRAME, "The message has no content the server understands.",
          requestId, false));
    }
    ackTo.tell(Ack.INSTANCE);
    return Behaviors.same();
  }

  private Behavior<Command> onYWebsocketFrame(byte[] bytes, ActorRef<Ack> ackTo) {
    YWebsocketMessage msg;
    try {
      msg = YWebsocketMessage.decode(bytes);
    } catch (MalformedUpdateException e) {
      send(codec.error(ErrorCode.BAD_FRAME, "The message could not be decoded: " + e.getMessage(), 0, false));
      ackTo.tell(Ack.INSTANCE);
      return Behaviors.same();
    }
    switch (msg) {
      case YWebsocketMessage.Sync s -> {
        switch (s.message()) {
          case SyncMessage.Step1 step1 -> rooms.tell(roomId, new RoomCommand.Sync(self, step1.stateVector(), 0));
          case SyncMessage.Step2 step2 -> rooms.tell(roomId, new RoomCommand.Edit(self, step2.update(), 0));
          case SyncMessage.Update u -> rooms.tell(roomId, new RoomCommand.Edit(self, u.update(), 0));
        }
      }
      case YWebsocketMessage.Awareness a -> rooms.tell(roomId, new RoomCommand.Awareness(self, a.update()));
      case YWebsocketMessage.QueryAwareness q -> rooms.tell(roomId, new RoomCommand.QueryAwareness(self));
      case YWebsocketMessage.PermissionDenied p -> {
        // clients do not send this; nothing to do
      }
    }
    ackTo.tell(Ack.INSTANCE);
    return Behaviors.same();
  }
}
