package dev.roomtone.actors.room;

import com.google.protobuf.ByteString;
import dev.roomtone.actors.Ids;
import dev.roomtone.actors.Result;
import dev.roomtone.protocol.v1.ErrorCode;
import dev.roomtone.protocol.v1.Member;
import dev.roomtone.protocol.v1.Presence;
import dev.roomtone.protocol.v1.Role;
import dev.roomtone.protocol.v1.Roster;
import dev.roomtone.protocol.v1.Welcome;
import dev.roomtone.protocol.v1.events.DocumentUpdated;
import dev.roomtone.protocol.v1.events.InviteCreated;
import dev.roomtone.protocol.v1.events.MemberJoined;
import dev.roomtone.protocol.v1.events.MemberRemoved;
import dev.roomtone.protocol.v1.events.MemberRoleChanged;
import dev.roomtone.protocol.v1.events.RoomCreated;
import dev.roomtone.protocol.v1.events.RoomEvent;
import dev.roomtone.protocol.v1.events.RoomSnapshot;
import dev.roomtone.protocol.v1.events.StoredInvite;
import dev.roomtone.protocol.v1.events.StoredMember;
import dev.roomtone.script.crdt.AwarenessStates;
import dev.roomtone.script.crdt.MalformedUpdateException;
import dev.roomtone.script.crdt.StateTooLargeException;
import dev.roomtone.script.crdt.YDoc;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * The authority for one room: its script, members, invites, connections and presence. Every change
 * is an event persisted before it takes effect; a document update is acknowledged and broadcast only
 * after its event is stored.
 */
public final class RoomEntity extends EventSourcedBehavior<RoomCommand, RoomEvent, RoomState> {

  /** Transaction origin of updates replayed from the journal. */
  static final Object JOURNAL = "journal";

  private static final int MEMBER_ID_LENGTH = 12;
  private static final int INVITE_ID_LENGTH = 8;
  private static final int MAX_NAME_LENGTH = 80;

  private final String roomId;
  private final RoomSettings settings;
  private final Clock clock;
  private final Ids ids;
  private final SecureRandom secrets;
  private final RandomGenerator docClientIds;
  private final TimerScheduler<RoomCommand> timers;
  /** Open connections: runtime only, never persisted. */
  private final Map<ActorRef<SessionOut>, Connection> connections = new LinkedHashMap<>();
  private final AwarenessStates<ActorRef<SessionOut>> awareness;

  private record Connection(ActorRef<SessionOut> ref, String memberId, SessionCodec codec) {
    void send(byte[] frame) {
      if (frame != null) {
        ref.tell(new SessionOut.Deliver(frame));
      }
    }
  }

  public static PersistenceId persistenceId(String roomId) {
    return PersistenceId.of("room", roomId, "|");
  }

  /** The behavior of room {@code roomId}. */
  public static Behavior<RoomCommand> create(String roomId, RoomSettings settings, Clock clock, RandomGenerator random,
                                             SecureRandom secrets) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new RoomEntity(roomId, ctx, timers, settings, clock, random, secrets)));
  }

  private RoomEntity(String roomId, ActorContext<RoomCommand> context, TimerScheduler<RoomCommand> timers,
                     RoomSettings settings, Clock clock, RandomGenerator random, SecureRandom secrets) {
    super(persistenceId(roomId));
    this.roomId = roomId;
    this.timers = timers;
    this.settings = settings;
    this.clock = clock;
    this.ids = new Ids(random);
    this.secrets = secrets;
    this.docClientIds = random;
    this.awareness = new AwarenessStates<>(settings.maxAwarenessBytes());
  }

  private YDoc newDoc() {
    // the server edits only as the room (approved suggestions); a fresh id per incarnation, as Yjs peers do
    return YDoc.builder().clientId(docClientIds.nextLong(1L << 32)).random(docClientIds).build();
  }

  @Override
  public RoomState emptyState() {
    return new RoomState(newDoc());
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), 2).withDeleteEventsOnSnapshot();
  }

  @Override
  public SnapshotAdapter<RoomState> snapshotAdapter() {
    return new SnapshotAdapter<>() {
      @Override
      public Object toJournal(RoomState state) {
        return state.toSnapshot();
      }

      @Override
      public RoomState fromJournal(Object from) {
        return RoomState.fromSnapshot((RoomSnapshot) from, newDoc());
      }
    };
  }

  @Override
  public SignalHandler<RoomState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), state ->
            timers.startTimerWithFixedDelay(RoomCommand.Tick.INSTANCE, settings.awarenessCheckInterval()))
        .build();
  }

  @Override
  public EventHandler<RoomState, RoomEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(RoomState::apply);
  }

  @Override
  public CommandHandler<RoomCommand, RoomEvent, RoomState> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(RoomCommand.Create.class, this::onCreate)
        .onCommand(RoomCommand.CreateInvite.class, this::onCreateInvite)
        .onCommand(RoomCommand.Join.class, this::onJoin)
        .onCommand(RoomCommand.ListMembers.class, this::onListMembers)
        .onCommand(RoomCommand.ChangeRole.class, this::onChangeRole)
        .onCommand(RoomCommand.RemoveMember.class, this::onRemoveMember)
        .onCommand(RoomCommand.CheckMember.class, this::onCheckMember)
        .onCommand(RoomCommand.GetDocument.class, this::onGetDocument)
        .onCommand(RoomCommand.Connect.class, this::onConnect)
        .onCommand(RoomCommand.Disconnect.class, this::onDisconnect)
        .onCommand(RoomCommand.Sync.class, this::onSync)
        .onCommand(RoomCommand.Edit.class, this::onEdit)
        .onCommand(RoomCommand.Awareness.class, this::onAwareness)
        .onCommand(RoomCommand.QueryAwareness.class, this::onQueryAwareness)
        .onCommand(RoomCommand.Unavailable.class, this::onUnavailable)
        .onCommand(RoomCommand.Tick.class, this::onTick)
        .build();
  }

  // ---- helpers

  private long now() {
    return clock.millis();
  }

  private RoomEvent.Builder event() {
    return RoomEvent.newBuilder().setAt(now());
  }

  private int connectionsOf(String memberId) {
    int n = 0;
    for (Connection c : connections.values()) {
      if (c.memberId.equals(memberId)) {
        n++;
      }
    }
    return n;
  }

  private RoomCommand.MemberView view(StoredMember m) {
    return new RoomCommand.MemberView(m.getMemberId(), m.getDisplayName(), m.getRole(), connectionsOf(m.getMemberId()));
  }

  private static Member proto(StoredMember m) {
    return Member.newBuilder().setMemberId(m.getMemberId()).setDisplayName(m.getDisplayName()).setRole(m.getRole()).build();
  }

  private static String cleanName(String name) {
    String n = name == null ? "" : name.strip();
    if (n.isEmpty() || n.length() > MAX_NAME_LENGTH || n.chars().anyMatch(Character::isISOControl)) {
      return null;
    }
    return n;
  }

  private <T> Effect<RoomEvent, RoomState> refuse(ActorRef<Result<T>> replyTo, ErrorCode code, String message) {
    replyTo.tell(Result.refused(code, message));
    return Effect().none();
  }

  private <T> Effect<RoomEvent, RoomState> requireRoom(RoomState state, ActorRef<Result<T>> replyTo) {
    return state.exists() ? null : refuse(replyTo, ErrorCode.UNKNOWN_ROOM, "There is no room " + roomId + ".");
  }

  /** The acting member, if they are a current member with at least {@code role}; else refuses. */
  private StoredMember actor(RoomState state, String memberId, Role atLeast, ActorRef<? extends Result<?>> replyTo,
                             String action) {
    StoredMember m = state.member(memberId);
    @SuppressWarnings("unchecked")
    ActorRef<Result<Object>> r = (ActorRef<Result<Object>>) replyTo;
    if (m == null) {
      r.tell(Result.refused(ErrorCode.UNAUTHENTICATED, state.wasRemoved(memberId)
          ? "You were removed from this room." : "You are not a member of this room."));
      return null;
    }
    if (m.getRole().getNumber() < atLeast.getNumber()) {
      r.tell(Result.refused(ErrorCode.FORBIDDEN, "Only " + roleName(atLeast) + "s can " + action + "."));
      return null;
    }
    return m;
  }

  static String roleName(Role role) {
    return switch (role) {
      case ROLE_SHOWRUNNER -> "showrunner";
      case ROLE_WRITER -> "writer";
      case ROLE_VIEWER -> "viewer";
      default -> "member";
    };
  }

  static byte[] hash(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  private String newSecret() {
    byte[] b = new byte[16];
    secrets.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  // ---- management

  private Effect<RoomEvent, RoomState> onCreate(RoomState state, RoomCommand.Create cmd) {
    if (state.exists()) {
      return refuse(cmd.replyTo(), ErrorCode.LIMIT_REACHED, "Room " + roomId + " already exists.");
    }
    String roomName = cleanName(cmd.name());
    String showrunner = cleanName(cmd.showrunnerName());
    if (roomName == null || showrunner == null) {
      return refuse(cmd.replyTo(), ErrorCode.BAD_FRAME, "Room and showrunner names must be 1 to " + MAX_NAME_LENGTH
          + " printable characters.");
    }
    StoredMember first = StoredMember.newBuilder().setMemberId(ids.next(MEMBER_ID_LENGTH)).setDisplayName(showrunner)
        .setRole(Role.ROLE_SHOWRUNNER).setJoinedAt(now()).build();
    return Effect().persist(event().setCreated(RoomCreated.newBuilder().setName(roomName).setShowrunner(first)).build())
        .thenRun(s -> cmd.replyTo().tell(Result.ok(view(first))));
  }

  private Effect<RoomEvent, RoomState> onCreateInvite(RoomState state, RoomCommand.CreateInvite cmd) {
    Effect<RoomEvent, RoomState> missing = requireRoom(state, cmd.replyTo());
    if (missing != null) {
      return missing;
    }
    StoredMember by = actor(state, cmd.byMemberId(), Role.ROLE_SHOWRUNNER, cmd.replyTo(), "invite people");
    if (by == null) {
      return Effect().none();
    }
    if (cmd.role() == Role.ROLE_UNSPECIFIED || cmd.role() == Role.UNRECOGNIZED) {
      return refuse(cmd.replyTo(), ErrorCode.BAD_FRAME, "An invite needs a role: viewer, writer or showrunner.");
    }
    if (cmd.validFor().isNegative() || cmd.validFor().isZero() || cmd.validFor().compareTo(settings.maxInviteValidity()) > 0) {
      return refuse(cmd.replyTo(), ErrorCode.BAD_FRAME, "An invite must be valid for more than zero and at most "
          + settings.maxInviteValidity().toDays() + " days.");
    }
    if (cmd.maxUses() < 0) {
      return refuse(cmd.replyTo(), ErrorCode.BAD_FRAME, "maxUses cannot be negative.");
    }
    String inviteId = ids.next(INVITE_ID_LENGTH);
    String secret = newSecret();
    long expiresAt = now() + cmd.validFor().toMillis();
    InviteCreated created = InviteCreated.newBuilder().setInviteId(inviteId).setSecretHash(ByteString.copyFrom(hash(secret)))
        .setRole(cmd.role()).setExpiresAt(expiresAt).setCreatedByMemberId(by.getMemberId()).setMaxUses(cmd.maxUses()).build();
    return Effect().persist(event().setInviteCreated(created).build())
        .thenRun(s -> cmd.replyTo().tell(Result.ok(new RoomCommand.InviteIssued(inviteId, secret, cmd.role(), expiresAt))));
  }

  private Effect<RoomEvent, RoomState> onJoin(RoomState state, RoomCommand.Join cmd) {
    Effect<RoomEvent, RoomState> missing = requireRoom(state, cmd.replyTo());
    if (missing != null) {
      return missing;
    }
    StoredInvite invite = state.invite(cmd.inviteId());
    // the same answer for a wrong id and a wrong secret: it tells nothing about which invites exist
    if (invite == null || cmd.secret() == null || !MessageDigest.isEqual(invite.getSecretHash().toByteArray(), hash(cmd.secret()))) {
      return refuse(cmd.replyTo(), ErrorCode.NOT_FOUND, "This invite code is not valid.");
    }
    if (invite.getExpiresAt() <= now()) {
      return refuse(cmd.replyTo(), ErrorCode.NOT_FOUND, "This invite has expired; ask the showrunner for a new one.");
    }
    if (invite.getMaxUses() > 0 && invite.getUses() >= invite.getMaxUses()) {
      return refuse(cmd.replyTo(), ErrorCode.NOT_FOUND, "This invite has been used up; ask the showrunner for a new one.");
    }
    String name = cleanName(cmd.displayName());
    if (name == null) {
      return refuse(cmd.replyTo(), ErrorCode.BAD_FRAME, "A display name must be 1 to " + MAX_NAME_LENGTH
          + " printable characters.");
    }
    if (state.members().size() >= settings.maxMembers()) {
      return refuse(cmd.replyTo(), ErrorCode.LIMIT_REACHED, "This room already has " + settings.maxMembers() + " members.");
    }
    StoredMember member = StoredMember.newBuilder().setMemberId(ids.next(MEMBER_ID_LENGTH)).setDisplayName(name)
        .setRole(invite.getRole()).setJoinedAt(now()).build();
    return Effect().persist(event().setMemberJoined(MemberJoined.newBuilder().setMember(member).setInviteId(invite.getInviteId())).build())
        .thenRun(s -> cmd.replyTo().tell(Result.ok(view(member))));
  }

  private Effect<RoomEvent, RoomState> onListMembers(RoomState state, RoomCommand.ListMembers cmd) {
    Effect<RoomEvent, RoomState> missing = requireRoom(state, cmd.replyTo());
    if (missing != null) {
      return missing;
    }
    if (actor(state, cmd.byMemberId(), Role.ROLE_VIEWER, cmd.replyTo(), "see the members") != null) {
      cmd.replyTo().tell(Result.ok(state.members().stream().map(this::view).toList()));
    }
    return Effect().none();
  }

  private Effect<RoomEvent, RoomState> onChangeRole(RoomState state, RoomCommand.ChangeRole cmd) {
    Effect<RoomEvent, RoomState> missing = requireRoom(state, cmd.replyTo());
    if (missing != null) {
      return missing;
    }
    StoredMember by = actor(state, cmd.byMemberId(), Role.ROLE_SHOWRUNNER, cmd.replyTo(), "change roles");
    if (by == null) {
      return Effect().none();
    }
    StoredMember target = state.member(cmd.memberId());
    if (target == null) {
      return refuse(cmd.replyTo(), ErrorCode.NOT_FOUND, "There is no member " + cmd.memberId() + " in this room.");
    }
    if (cmd.role() == Role.ROLE_UNSPECIFIED || cmd.role() == Role.UNRECOGNIZED) {
      return refuse(cmd.replyTo(), ErrorCode.BAD_FRAME, "The role must be viewer, writer or showrunner.");
    }
    if (target.getRole() == Role.ROLE_SHOWRUNNER && cmd.role() != Role.ROLE_SHOWRUNNER && state.showrunnerCount() == 1) {
      return refuse(cmd.replyTo(), ErrorCode.FORBIDDEN, "A room needs a showrunner: make someone else showrunner first.");
    }
    return Effect().persist(event().setRoleChanged(MemberRoleChanged.newBuilder().setMemberId(target.getMemberId())
            .setRole(cmd.role()).setByMemberId(by.getMemberId())).build())
        .thenRun(s -> {
          cmd.replyTo().tell(Result.ok(view(s.member(target.getMemberId()))));
          broadcastRoster(s);
        });
  }

  private Effect<RoomEvent, RoomState> onRemoveMember(RoomState state, RoomCommand.RemoveMember cmd) {
    Effect<RoomEvent, RoomState> missing = requireRoom(state, cmd.replyTo());
    if (missing != null) {
      return missing;
    }
    StoredMember by = actor(state, cmd.byMemberId(), Role.ROLE_SHOWRUNNER, cmd.replyTo(), "remove members");
    if (by == null) {
      return Effect().none();
    }
    StoredMember target = state.member(cmd.memberId());
    if (target == null) {
      return refuse(cmd.replyTo(), ErrorCode.NOT_FOUND, "There is no member " + cmd.memberId() + " in this room.");
    }
    if (target.getRole() == Role.ROLE_SHOWRUNNER && state.showrunnerCount() == 1) {
      return refuse(cmd.replyTo(), ErrorCode.FORBIDDEN, "A room needs a showrunner: make someone else showrunner first.");
    }
    return Effect().persist(event().setMemberRemoved(MemberRemoved.newBuilder().setMemberId(target.getMemberId())
            .setByMemberId(by.getMemberId())).build())
        .thenRun(s -> {
          for (Connection c : List.copyOf(connections.values())) {
            if (c.memberId.equals(target.getMemberId())) {
              c.ref.tell(new SessionOut.Close(c.codec.error(ErrorCode.UNAUTHENTICATED,
                  "You were removed from this room.", 0, true)));
              dropConnection(s, c.ref);
            }
          }
          cmd.replyTo().tell(Result.ok(new RoomCommand.MemberView(target.getMemberId(), target.getDisplayName(),
              target.getRole(), 0)));
          broadcastRoster(s);
        });
  }

  private Effect<RoomEvent, RoomState> onCheckMember(RoomState state, RoomCommand.CheckMember cmd) {
    Effect<RoomEvent, RoomState> missing = requireRoom(state, cmd.replyTo());
    if (missing != null) {
      return missing;
    }
    StoredMember m = actor(state, cmd.memberId(), Role.ROLE_VIEWER, cmd.replyTo(), "enter");
    if (m != null) {
      cmd.replyTo().tell(Result.ok(view(m)));
    }
    return Effect().none();
  }

  private Effect<RoomEvent, RoomState> onGetDocument(RoomState state, RoomCommand.GetDocument cmd) {
    Effect<RoomEvent, RoomState> missing = requireRoom(state, cmd.replyTo());
    if (missing != null) {
      return missing;
    }
    cmd.replyTo().tell(Result.ok(state.doc().encodeStateAsUpdate()));
    return Effect().none();
  }

  // ---- connections

  private Roster roster(RoomState state) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Connection c : connections.values()) {
      counts.merge(c.memberId, 1, Integer::sum);
    }
    Roster.Builder r = Roster.newBuilder();
    counts.forEach((memberId, n) -> {
      StoredMember m = state.member(memberId);
      if (m != null) {
        r.addPresent(Presence.newBuilder().setMember(proto(m)).setConnections(n));
      }
    });
    return r.build();
  }

  private void broadcastRoster(RoomState state) {
    Roster roster = roster(state);
    broadcast(null, codec -> codec.roster(roster));
  }

  /** Sends a frame to every connection but {@code except}, encoding it once per codec. */
  private void broadcast(ActorRef<SessionOut> except, java.util.function.Function<SessionCodec, byte[]> frame) {
    Map<SessionCodec, byte[]> encoded = new IdentityHashMap<>(2);
    for (Connection c : connections.values()) {
      if (c.ref.equals(except)) {
        continue;
      }
      c.send(encoded.computeIfAbsent(c.codec, frame));
    }
  }

  private Effect<RoomEvent, RoomState> onConnect(RoomState state, RoomCommand.Connect cmd) {
    Effect<RoomEvent, RoomState> missing = requireRoom(state, cmd.replyTo());
    if (missing != null) {
      return missing;
    }
    StoredMember m = actor(state, cmd.memberId(), Role.ROLE_VIEWER, cmd.replyTo(), "enter");
    if (m == null) {
      return Effect().none();
    }
    if (connections.size() >= settings.maxSessions()) {
      return refuse(cmd.replyTo(), ErrorCode.LIMIT_REACHED, "This room already has " + settings.maxSessions()
          + " open connections.");
    }
    Connection c = new Connection(cmd.session(), m.getMemberId(), cmd.codec());
    boolean firstOfMember = connectionsOf(m.getMemberId()) == 0;
    connections.put(cmd.session(), c);
    cmd.replyTo().tell(Result.ok(view(m)));
    c.send(c.codec.welcome(Welcome.newBuilder().setRoomId(roomId).setRoomName(state.name()).setMember(proto(m))
        .setRoster(roster(state))
        .setLimits(cmd.limits().toBuilder().setMaxAwarenessBytes(settings.maxAwarenessBytes())).build()));
    c.send(c.codec.syncStep1(state.doc().encodeStateVector(), 0));
    List<Long> present = awareness.present();
    if (!present.isEmpty()) {
      c.send(c.codec.awareness(awareness.encode(present)));
    }
    if (firstOfMember) {
      Roster roster = roster(state);
      broadcast(cmd.session(), codec -> codec.roster(roster));
    }
    return Effect().none();
  }

  private void dropConnection(RoomState state, ActorRef<SessionOut> ref) {
    Connection c = connections.remove(ref);
    if (c == null) {
      return;
    }
    List<Long> gone = awareness.removeOwnedBy(ref, now());
    if (!gone.isEmpty()) {
      byte[] update = awareness.encode(gone);
      broadcast(null, codec -> codec.awareness(update));
    }
    if (connectionsOf(c.memberId) == 0) {
      broadcastRoster(state);
    }
  }

  private Effect<RoomEvent, RoomState> onDisconnect(RoomState state, RoomCommand.Disconnect cmd) {
    dropConnection(state, cmd.session());
    return Effect().none();
  }

  private Effect<RoomEvent, RoomState> onSync(RoomState state, RoomCommand.Sync cmd) {
    Connection c = connections.get(cmd.session());
    if (c == null) {
      return Effect().none();
    }
    try {
      c.send(c.codec.syncStep2(state.doc().encodeStateAsUpdate(cmd.stateVector()), cmd.requestId()));
    } catch (MalformedUpdateException e) {
      c.send(c.codec.error(ErrorCode.INVALID_UPDATE, "The state vector could not be read: " + e.getMessage(),
          cmd.requestId(), false));
    }
    return Effect().none();
  }

  private Effect<RoomEvent, RoomState> onEdit(RoomState state, RoomCommand.Edit cmd) {
    Connection c = connections.get(cmd.session());
    if (c == null) {
      return Effect().none();
    }
    StoredMember m = state.member(c.memberId);
    if (m == null) {
      c.ref.tell(new SessionOut.Close(c.codec.error(ErrorCode.UNAUTHENTICATED, "You are no longer a member of this room.",
          cmd.requestId(), true)));
      dropConnection(state, c.ref);
      return Effect().none();
    }
    boolean changes;
    try {
      changes = state.doc().changes(cmd.update());
    } catch (MalformedUpdateException e) {
      c.send(c.codec.error(ErrorCode.INVALID_UPDATE, "The update was refused and the script is unchanged: " + e.getMessage(),
          cmd.requestId(), false));
      return Effect().none();
    }
    if (!changes) {
      // e.g. a client's sync step 2 with nothing new: fine from anyone, viewers included
      c.send(c.codec.ack(cmd.requestId()));
      return Effect().none();
    }
    if (m.getRole() == Role.ROLE_VIEWER) {
      c.send(c.codec.error(ErrorCode.FORBIDDEN, "Viewers can read the script but not change it; the change was not applied.",
          cmd.requestId(), false));
      return Effect().none();
    }
    RoomEvent stored = event().setDocumentUpdated(DocumentUpdated.newBuilder()
        .setUpdate(ByteString.copyFrom(cmd.update())).setMemberId(m.getMemberId())).build();
    return Effect().persist(stored).thenRun(s -> {
      // on disk now: acknowledge, then let the others see it
      c.send(c.codec.ack(cmd.requestId()));
      broadcast(c.ref, codec -> codec.update(cmd.update()));
    });
  }

  private Effect<RoomEvent, RoomState> onAwareness(RoomState state, RoomCommand.Awareness cmd) {
    Connection c = connections.get(cmd.session());
    if (c == null) {
      return Effect().none();
    }
    try {
      List<Long> changed = awareness.apply(cmd.update(), c.ref, now());
      if (!changed.isEmpty()) {
        byte[] update = awareness.encode(changed);
        broadcast(c.ref, codec -> codec.awareness(update));
      }
    } catch (StateTooLargeException e) {
      c.send(c.codec.error(ErrorCode.TOO_LARGE, "The presence update was refused: " + e.getMessage(), 0, false));
    } catch (MalformedUpdateException e) {
      c.send(c.codec.error(ErrorCode.BAD_FRAME, "The presence update was refused: " + e.getMessage(), 0, false));
    }
    return Effect().none();
  }

  private Effect<RoomEvent, RoomState> onQueryAwareness(RoomState state, RoomCommand.QueryAwareness cmd) {
    Connection c = connections.get(cmd.session());
    if (c != null) {
      c.send(c.codec.awareness(awareness.encode(awareness.present())));
    }
    return Effect().none();
  }

  private Effect<RoomEvent, RoomState> onUnavailable(RoomState state, RoomCommand.Unavailable cmd) {
    Connection c = connections.get(cmd.session());
    if (c != null) {
      c.send(c.codec.error(ErrorCode.INTERNAL, cmd.what() + " is not available on this server yet.", cmd.requestId(), false));
    }
    return Effect().none();
  }

  private Effect<RoomEvent, RoomState> onTick(RoomState state, RoomCommand.Tick tick) {
    List<Long> expired = awareness.expire(now());
    if (!expired.isEmpty()) {
      byte[] update = awareness.encode(expired);
      broadcast(null, codec -> codec.awareness(update));
    }
    return Effect().none();
  }
}
