package dev.roomtone.actors.room;

import com.google.protobuf.ByteString;
import dev.roomtone.actors.Ids;
import dev.roomtone.actors.Result;
import dev.roomtone.actors.ai.AiAssistant;
import dev.roomtone.multimodal.tasks.ScreenwritingTask;
import dev.roomtone.protocol.v1.AiJobEvent;
import dev.roomtone.protocol.v1.AiRequest;
import dev.roomtone.protocol.v1.ErrorCode;
import dev.roomtone.protocol.v1.Member;
import dev.roomtone.protocol.v1.Presence;
import dev.roomtone.protocol.v1.Role;
import dev.roomtone.protocol.v1.Roster;
import dev.roomtone.protocol.v1.Suggestion;
import dev.roomtone.protocol.v1.SuggestionDecision;
import dev.roomtone.protocol.v1.SuggestionEvent;
import dev.roomtone.protocol.v1.Welcome;
import dev.roomtone.protocol.v1.events.AiPassage;
import dev.roomtone.protocol.v1.events.AiPolicyChanged;
import dev.roomtone.protocol.v1.events.DocumentUpdated;
import dev.roomtone.protocol.v1.events.InviteCreated;
import dev.roomtone.protocol.v1.events.InviteRevoked;
import dev.roomtone.protocol.v1.events.MemberJoined;
import dev.roomtone.protocol.v1.events.MemberRemoved;
import dev.roomtone.protocol.v1.events.MemberRenamed;
import dev.roomtone.protocol.v1.events.MemberRoleChanged;
import dev.roomtone.protocol.v1.events.RoomCreated;
import dev.roomtone.protocol.v1.events.RoomEvent;
import dev.roomtone.protocol.v1.events.RoomRenamed;
import dev.roomtone.protocol.v1.events.RoomSnapshot;
import dev.roomtone.protocol.v1.events.StoredInvite;
import dev.roomtone.protocol.v1.events.StoredMember;
import dev.roomtone.protocol.v1.events.SuggestionDecided;
import dev.roomtone.protocol.v1.events.SuggestionProposed;
import dev.roomtone.script.crdt.AwarenessStates;
import dev.roomtone.script.crdt.MalformedUpdateException;
import dev.roomtone.script.crdt.RelativePosition;
import dev.roomtone.script.crdt.StateTooLargeException;
import dev.roomtone.script.crdt.Updates;
import dev.roomtone.script.crdt.YDoc;
import dev.roomtone.script.crdt.YText;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
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
  /** The shared text that holds the screenplay (Fountain) in every room's document. */
  public static final String SCRIPT = "script";
  /** The shared map that holds the room's story bible. */
  public static final String BIBLE = "bible";
  private static final int SUGGESTION_ID_LENGTH = 12;

  private static final int MEMBER_ID_LENGTH = 12;
  private static final int INVITE_ID_LENGTH = 8;

  private final String roomId;
  private final ActorRef<RoomCommand> self;
  private final AiAssistant assistant;
  /** AI jobs in flight: kept in memory only; a restarted room forgets them (the assistant cancels them). */
  private final Map<String, RunningJob> jobs = new LinkedHashMap<>();
  private final RoomSettings settings;
  private final Clock clock;
  private final Ids ids;
  private final SecureRandom secrets;
  private final RandomGenerator docClientIds;
  private final TimerScheduler<RoomCommand> timers;
  /** Open connections: runtime only, never persisted. */
  private final Map<ActorRef<SessionOut>, Connection> connections = new LinkedHashMap<>();
  /** The same connections, in a list that outlives this incarnation (see HeldConnections). */
  private final HeldConnections held;
  private final AwarenessStates<ActorRef<SessionOut>> awareness;
  /** Edits checked and waiting for the next write: runtime only, like the connections. */
  private final List<PendingEdit> pending = new ArrayList<>();

  private record PendingEdit(Connection connection, long requestId, byte[] update, RoomEvent event) {
  }

  private static final class Connection {
    private final ActorRef<SessionOut> ref;
    private final String memberId;
    private final SessionCodec codec;
    /** Null once a frame did not fit: from then on everything goes through the session, in order. */
    private FrameSink direct;

    Connection(ActorRef<SessionOut> ref, String memberId, SessionCodec codec, FrameSink direct) {
      this.ref = ref;
      this.memberId = memberId;
      this.codec = codec;
      this.direct = direct;
    }

    void send(byte[] frame) {
      if (frame == null) {
        return;
      }
      if (direct != null) {
        if (direct.tryDeliver(frame)) {
          return;
        }
        direct = null;
      }
      ref.tell(new SessionOut.Deliver(frame));
    }
  }

  public static PersistenceId persistenceId(String roomId) {
    return PersistenceId.of("room", roomId, "|");
  }

  /** The behavior of room {@code roomId}. */
  public static Behavior<RoomCommand> create(String roomId, RoomSettings settings, Clock clock, RandomGenerator random,
                                             SecureRandom secrets) {
    return create(roomId, settings, clock, random, secrets, AiAssistant.unavailable());
  }

  /** The same, with the AI jobs run by {@code assistant}. */
  public static Behavior<RoomCommand> create(String roomId, RoomSettings settings, Clock clock, RandomGenerator random,
                                             SecureRandom secrets, AiAssistant assistant) {
    // made here, not in the setup: a supervisor's restart runs the setup again, and the new
    // incarnation finds the connections of the one before
    return create(roomId, settings, clock, random, secrets, assistant, new HeldConnections());
  }

  /** The same, with the room's connections also listed in {@code held}, which outlives the actor. */
  public static Behavior<RoomCommand> create(String roomId, RoomSettings settings, Clock clock, RandomGenerator random,
                                             SecureRandom secrets, AiAssistant assistant, HeldConnections held) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new RoomEntity(roomId, ctx, timers, settings, clock, random, secrets, assistant, held)));
  }

  private RoomEntity(String roomId, ActorContext<RoomCommand> context, TimerScheduler<RoomCommand> timers,
                     RoomSettings settings, Clock clock, RandomGenerator random, SecureRandom secrets,
                     AiAssistant assistant, HeldConnections held) {
    super(persistenceId(roomId));
    this.roomId = roomId;
    this.held = held;
    this.self = context.getSelf();
    this.assistant = assistant;
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
        // after a restart: the connections of the incarnation before are told to reconnect now,
        // not when they next send something (a reader might never)
        .onSignal(RecoveryCompleted.instance(), state -> held.tellAllToRejoin())
        .onSignal(PostStop.instance(), state ->
            jobs.keySet().forEach(jobId -> assistant.cancel(roomId, jobId, "")))
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
        .onCommand(RoomCommand.ListInvites.class, this::onListInvites)
        .onCommand(RoomCommand.PreviewInvite.class, this::onPreviewInvite)
        .onCommand(RoomCommand.RevokeInvite.class, this::onRevokeInvite)
        .onCommand(RoomCommand.Join.class, this::onJoin)
        .onCommand(RoomCommand.ListMembers.class, this::onListMembers)
        .onCommand(RoomCommand.ChangeRole.class, this::onChangeRole)
        .onCommand(RoomCommand.RemoveMember.class, this::onRemoveMember)
        .onCommand(RoomCommand.RenameMember.class, this::onRenameMember)
        .onCommand(RoomCommand.RenameRoom.class, this::onRenameRoom)
        .onCommand(RoomCommand.CheckMember.class, this::onCheckMember)
        .onCommand(RoomCommand.GetDocument.class, this::onGetDocument)
        .onCommand(RoomCommand.Connect.class, this::onConnect)
        .onCommand(RoomCommand.Disconnect.class, this::onDisconnect)
        .onCommand(RoomCommand.Sync.class, this::onSync)
        .onCommand(RoomCommand.Edit.class, this::onEdit)
        .onCommand(RoomCommand.WriteEdits.class, this::onWriteEdits)
        .onCommand(RoomCommand.Awareness.class, this::onAwareness)
        .onCommand(RoomCommand.QueryAwareness.class, this::onQueryAwareness)
        .onCommand(RoomCommand.Propose.class, this::onPropose)
        .onCommand(RoomCommand.Decide.class, this::onDecide)
        .onCommand(RoomCommand.Disclosure.class, this::onDisclosure)
        .onCommand(RoomCommand.AskAi.class, this::onAskAi)
        .onCommand(RoomCommand.CancelAi.class, this::onCancelAi)
        .onCommand(RoomCommand.JobReport.class, this::onJobReport)
        .onCommand(RoomCommand.SetAiPolicy.class, this::onSetAiPolicy)
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

  private <T> Effect<RoomEvent, RoomState> refuse(ActorRef<Result<T>> replyTo, ErrorCode code, String message) {
    replyTo.tell(Result.refused(code, message));
    return Effect().none();
  }

  private <T> Effect<RoomEvent, RoomState> requireRoom(RoomState state, ActorRef<Result<T>> replyTo) {
    return state.exists() ? null : refuse(replyTo, ErrorCode.UNKNOWN_ROOM, noSuchRoom());
  }

  private String noSuchRoom() {
    return "There is no room " + roomId + ".";
  }

  /** The acting member, if the room exists and they are a current member with at least {@code role}; else refuses. */
  private StoredMember acting(RoomState state, String memberId, Role atLeast, ActorRef<? extends Result<?>> replyTo,
                              String action) {
    if (!state.exists()) {
      @SuppressWarnings("unchecked")
      ActorRef<Result<Object>> r = (ActorRef<Result<Object>>) replyTo;
      r.tell(Result.refused(ErrorCode.UNKNOWN_ROOM, noSuchRoom()));
      return null;
    }
    return actor(state, memberId, atLeast, replyTo, action);
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
    String roomName = RoomNames.clean(cmd.name());
    String showrunner = RoomNames.clean(cmd.showrunnerName());
    if (roomName == null || showrunner == null) {
      return refuse(cmd.replyTo(), ErrorCode.BAD_FRAME, "Room and showrunner names " + RoomNames.RULE);
    }
    StoredMember first = StoredMember.newBuilder().setMemberId(ids.next(MEMBER_ID_LENGTH)).setDisplayName(showrunner)
        .setRole(Role.ROLE_SHOWRUNNER).setJoinedAt(now()).build();
    return Effect().persist(event().setCreated(RoomCreated.newBuilder().setName(roomName).setShowrunner(first)).build())
        .thenRun(s -> cmd.replyTo().tell(Result.ok(view(first))));
  }

  private Effect<RoomEvent, RoomState> onCreateInvite(RoomState state, RoomCommand.CreateInvite cmd) {
    StoredMember by = acting(state, cmd.byMemberId(), Role.ROLE_SHOWRUNNER, cmd.replyTo(), "invite people");
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

  private Effect<RoomEvent, RoomState> onListInvites(RoomState state, RoomCommand.ListInvites cmd) {
    if (acting(state, cmd.byMemberId(), Role.ROLE_SHOWRUNNER, cmd.replyTo(), "see the invites") == null) {
      return Effect().none();
    }
    cmd.replyTo().tell(Result.ok(state.invites().stream().map(i -> inviteView(state, i)).toList()));
    return Effect().none();
  }

  private Effect<RoomEvent, RoomState> onRevokeInvite(RoomState state, RoomCommand.RevokeInvite cmd) {
    if (acting(state, cmd.byMemberId(), Role.ROLE_SHOWRUNNER, cmd.replyTo(), "revoke invites") == null) {
      return Effect().none();
    }
    StoredInvite invite = state.invite(cmd.inviteId());
    if (invite == null) {
      return refuse(cmd.replyTo(), ErrorCode.NOT_FOUND, "There is no open invite " + cmd.inviteId() + " in this room.");
    }
    RoomCommand.InviteView view = inviteView(state, invite);
    return Effect().persist(event().setInviteRevoked(InviteRevoked.newBuilder().setInviteId(invite.getInviteId())).build())
        .thenRun(s -> cmd.replyTo().tell(Result.ok(view)));
  }

  private static RoomCommand.InviteView inviteView(RoomState state, StoredInvite i) {
    List<String> joined = state.members().stream().filter(m -> m.getInviteId().equals(i.getInviteId()))
        .map(StoredMember::getMemberId).toList();
    return new RoomCommand.InviteView(i.getInviteId(), i.getRole(), i.getExpiresAt(), i.getMaxUses(), i.getUses(), joined);
  }

  /** Why an invite cannot be used now, or null if it can. */
  private String inviteRefusal(StoredInvite invite, String secret) {
    // the same answer for a wrong id and a wrong secret: it tells nothing about which invites exist
    if (invite == null || secret == null || !MessageDigest.isEqual(invite.getSecretHash().toByteArray(), hash(secret))) {
      return "This invite code is not valid.";
    }
    if (invite.getExpiresAt() <= now()) {
      return "This invite has expired; ask the showrunner for a new one.";
    }
    if (invite.getMaxUses() > 0 && invite.getUses() >= invite.getMaxUses()) {
      return "This invite has been used up; ask the showrunner for a new one.";
    }
    return null;
  }

  /** The invite, if the room exists and the invite can be used now; otherwise refuses and returns null. */
  private <T> StoredInvite usableInvite(RoomState state, String inviteId, String secret, ActorRef<Result<T>> replyTo) {
    if (requireRoom(state, replyTo) != null) {
      return null;
    }
    StoredInvite invite = state.invite(inviteId);
    String refusal = inviteRefusal(invite, secret);
    if (refusal != null) {
      refuse(replyTo, ErrorCode.NOT_FOUND, refusal);
      return null;
    }
    return invite;
  }

  private Effect<RoomEvent, RoomState> onPreviewInvite(RoomState state, RoomCommand.PreviewInvite cmd) {
    StoredInvite invite = usableInvite(state, cmd.inviteId(), cmd.secret(), cmd.replyTo());
    if (invite == null) {
      return Effect().none();
    }
    cmd.replyTo().tell(Result.ok(new RoomCommand.InvitePreview(state.name(), invite.getRole(), invite.getExpiresAt())));
    return Effect().none();
  }

  private Effect<RoomEvent, RoomState> onJoin(RoomState state, RoomCommand.Join cmd) {
    StoredInvite invite = usableInvite(state, cmd.inviteId(), cmd.secret(), cmd.replyTo());
    if (invite == null) {
      return Effect().none();
    }
    String name = RoomNames.clean(cmd.displayName());
    if (name == null) {
      return refuse(cmd.replyTo(), ErrorCode.BAD_FRAME, "A display name " + RoomNames.RULE);
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
    if (acting(state, cmd.byMemberId(), Role.ROLE_VIEWER, cmd.replyTo(), "see the members") != null) {
      cmd.replyTo().tell(Result.ok(state.members().stream().map(this::view).toList()));
    }
    return Effect().none();
  }

  private Effect<RoomEvent, RoomState> onChangeRole(RoomState state, RoomCommand.ChangeRole cmd) {
    StoredMember by = acting(state, cmd.byMemberId(), Role.ROLE_SHOWRUNNER, cmd.replyTo(), "change roles");
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

  private Effect<RoomEvent, RoomState> onRenameRoom(RoomState state, RoomCommand.RenameRoom cmd) {
    StoredMember by = acting(state, cmd.byMemberId(), Role.ROLE_SHOWRUNNER, cmd.replyTo(), "rename the room");
    if (by == null) {
      return Effect().none();
    }
    String name = RoomNames.clean(cmd.name());
    if (name == null) {
      return refuse(cmd.replyTo(), ErrorCode.BAD_FRAME, "A room's name " + RoomNames.RULE);
    }
    return Effect().persist(event().setRoomRenamed(RoomRenamed.newBuilder().setName(name).setByMemberId(by.getMemberId()))
            .build())
        .thenRun(s -> {
          cmd.replyTo().tell(Result.ok(name));
          broadcastRoster(s); // the roster carries the room's name: headers change at once
        });
  }

  private Effect<RoomEvent, RoomState> onRenameMember(RoomState state, RoomCommand.RenameMember cmd) {
    boolean self = cmd.byMemberId().equals(cmd.memberId());
    StoredMember by = acting(state, cmd.byMemberId(), self ? Role.ROLE_VIEWER : Role.ROLE_SHOWRUNNER, cmd.replyTo(),
        "rename other members");
    if (by == null) {
      return Effect().none();
    }
    StoredMember target = state.member(cmd.memberId());
    if (target == null) {
      return refuse(cmd.replyTo(), ErrorCode.NOT_FOUND, "There is no member " + cmd.memberId() + " in this room.");
    }
    String name = RoomNames.clean(cmd.displayName());
    if (name == null) {
      return refuse(cmd.replyTo(), ErrorCode.BAD_FRAME, "A display name " + RoomNames.RULE);
    }
    return Effect().persist(event().setMemberRenamed(MemberRenamed.newBuilder().setMemberId(target.getMemberId())
            .setDisplayName(name).setByMemberId(by.getMemberId())).build())
        .thenRun(s -> {
          cmd.replyTo().tell(Result.ok(view(s.member(target.getMemberId()))));
          broadcastRoster(s);
        });
  }

  private Effect<RoomEvent, RoomState> onRemoveMember(RoomState state, RoomCommand.RemoveMember cmd) {
    StoredMember by = acting(state, cmd.byMemberId(), Role.ROLE_SHOWRUNNER, cmd.replyTo(), "remove members");
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
    StoredMember m = acting(state, cmd.memberId(), Role.ROLE_VIEWER, cmd.replyTo(), "enter");
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
    Roster.Builder r = Roster.newBuilder().setRoomName(state.name());
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
    StoredMember m = acting(state, cmd.memberId(), Role.ROLE_VIEWER, cmd.replyTo(), "enter");
    if (m == null) {
      return Effect().none();
    }
    if (connections.size() >= settings.maxSessions()) {
      return refuse(cmd.replyTo(), ErrorCode.LIMIT_REACHED, "This room already has " + settings.maxSessions()
          + " open connections.");
    }
    Connection c = new Connection(cmd.session(), m.getMemberId(), cmd.codec(), cmd.sink());
    boolean firstOfMember = connectionsOf(m.getMemberId()) == 0;
    connections.put(cmd.session(), c);
    held.add(cmd.session());
    if (connections.size() == 1) {
      // presence only expires while someone is here to have it: a room nobody is in stays asleep
      timers.startTimerWithFixedDelay(RoomCommand.Tick.INSTANCE, settings.awarenessCheckInterval());
    }
    cmd.replyTo().tell(Result.ok(view(m)));
    c.send(c.codec.welcome(Welcome.newBuilder().setRoomId(roomId).setRoomName(state.name()).setMember(proto(m))
        .setRoster(roster(state)).setAiAvailable(assistant.available())
        .setLimits(cmd.limits().toBuilder().setMaxAwarenessBytes(settings.maxAwarenessBytes())).build()));
    c.send(c.codec.syncStep1(state.doc().encodeStateVector(), 0));
    for (Suggestion known : state.suggestions()) {
      c.send(c.codec.suggestion(SuggestionEvent.newBuilder().setSuggestion(known).build()));
    }
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
    held.remove(ref);
    if (connections.isEmpty()) {
      timers.cancel(RoomCommand.Tick.INSTANCE);
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
      return unknownConnection(cmd.session());
    }
    try {
      c.send(c.codec.syncStep2(state.doc().encodeStateAsUpdate(cmd.stateVector()), cmd.requestId()));
    } catch (MalformedUpdateException e) {
      c.send(c.codec.error(ErrorCode.INVALID_UPDATE, "The state vector could not be read: " + e.getMessage(),
          cmd.requestId(), false));
    }
    return Effect().none();
  }

  /**
   * A message from a connection this room does not hold. After a restart the room has forgotten
   * its connections (they are runtime state), while their sessions still send: an edit taken in
   * silence would be neither stored nor passed on. The session is told to close, the client
   * reconnects, and its resync sends whatever was not stored. (A connection the room let go of
   * itself is already closing; the message then goes nowhere.)
   */
  private Effect<RoomEvent, RoomState> unknownConnection(ActorRef<SessionOut> session) {
    session.tell(new SessionOut.Rejoin(HeldConnections.REJOIN_REASON));
    return Effect().none();
  }

  private Effect<RoomEvent, RoomState> onEdit(RoomState state, RoomCommand.Edit cmd) {
    Connection c = connections.get(cmd.session());
    if (c == null) {
      return unknownConnection(cmd.session());
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
    // group commit: the edits that arrive while a write is in flight are written together by the
    // next one, in order, and each is acknowledged only once its batch is on disk
    pending.add(new PendingEdit(c, cmd.requestId(), cmd.update(), stored));
    if (pending.size() == 1) {
      self.tell(RoomCommand.WriteEdits.INSTANCE);
    }
    return Effect().none();
  }

  private Effect<RoomEvent, RoomState> onWriteEdits(RoomState state, RoomCommand.WriteEdits cmd) {
    List<PendingEdit> batch = new ArrayList<>(pending.size());
    List<RoomEvent> events = new ArrayList<>(pending.size());
    for (PendingEdit p : pending) {
      // the member may have been removed or made a viewer since the edit was checked
      StoredMember m = state.member(p.connection.memberId);
      if (m == null || m.getRole() == Role.ROLE_VIEWER) {
        p.connection.send(p.connection.codec.error(m == null ? ErrorCode.UNAUTHENTICATED : ErrorCode.FORBIDDEN,
            "Your role changed before the edit was stored; the change was not applied.", p.requestId, false));
        continue;
      }
      batch.add(p);
      events.add(p.event);
    }
    pending.clear();
    if (events.isEmpty()) {
      return Effect().none();
    }
    return Effect().persist(events).thenRun(s -> {
      // on disk now: acknowledge, then let the others see it, in the order the edits arrived
      for (PendingEdit p : batch) {
        Connection c = p.connection;
        c.send(c.codec.ack(p.requestId));
        broadcast(c.ref, codec -> codec.update(p.update));
      }
    });
  }

  private Effect<RoomEvent, RoomState> onAwareness(RoomState state, RoomCommand.Awareness cmd) {
    Connection c = connections.get(cmd.session());
    if (c == null) {
      return unknownConnection(cmd.session());
    }
    try {
      // a reconnecting tab keeps its client id while its old connection may not have closed yet:
      // the same member may take a state over, nobody else
      List<Long> changed = awareness.apply(cmd.update(), c.ref, now(), holder -> {
        Connection h = connections.get(holder);
        return h == null || h.memberId.equals(c.memberId);
      });
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

  // ---- suggestions

  private Effect<RoomEvent, RoomState> onPropose(RoomState state, RoomCommand.Propose cmd) {
    Effect<RoomEvent, RoomState> missing = requireRoom(state, cmd.replyTo());
    if (missing != null) {
      return missing;
    }
    Suggestion d = cmd.draft();
    try {
      RelativePosition.decode(d.getAnchorStart().toByteArray());
      RelativePosition.decode(d.getAnchorEnd().toByteArray());
    } catch (MalformedUpdateException e) {
      return refuse(cmd.replyTo(), ErrorCode.BAD_FRAME, "The suggestion's anchors cannot be read: " + e.getMessage());
    }
    return propose(d, proposed -> cmd.replyTo().tell(Result.ok(proposed)));
  }

  /** Stores a new pending suggestion, tells the room, then runs {@code after}. */
  private Effect<RoomEvent, RoomState> propose(Suggestion draft, java.util.function.Consumer<Suggestion> after) {
    Suggestion proposed = draft.toBuilder().setSuggestionId(ids.next(SUGGESTION_ID_LENGTH))
        .setStatus(Suggestion.Status.STATUS_PENDING).setCreatedAt(now()).clearDecidedByMemberId().clearDecidedAt()
        .clearAppliedText().clearCurrentText().build();
    return Effect().persist(event().setSuggestionProposed(SuggestionProposed.newBuilder().setSuggestion(proposed)).build())
        .thenRun(state -> {
          broadcastSuggestion(proposed);
          after.accept(proposed);
        });
  }

  private Effect<RoomEvent, RoomState> onDecide(RoomState state, RoomCommand.Decide cmd) {
    Connection c = connections.get(cmd.session());
    if (c == null) {
      return unknownConnection(cmd.session());
    }
    StoredMember m = state.member(c.memberId);
    if (m == null || m.getRole() != Role.ROLE_SHOWRUNNER) {
      c.send(c.codec.error(ErrorCode.FORBIDDEN, "Only the showrunner decides on suggestions.", cmd.requestId(), false));
      return Effect().none();
    }
    SuggestionDecision decision = cmd.decision();
    Suggestion s = state.suggestion(decision.getSuggestionId());
    if (s == null || s.getStatus() != Suggestion.Status.STATUS_PENDING) {
      c.send(c.codec.error(ErrorCode.NOT_FOUND, s == null ? "There is no suggestion " + decision.getSuggestionId() + "."
          : "That suggestion was already decided (" + statusName(s.getStatus()) + ").", cmd.requestId(), false));
      return Effect().none();
    }
    SuggestionDecided.Builder decided = SuggestionDecided.newBuilder().setSuggestionId(s.getSuggestionId())
        .setByMemberId(m.getMemberId());
    // a task this server does not know (an old suggestion, a newer client) is written over its selection, as before placements
    ScreenwritingTask task = ScreenwritingTask.byId(s.getTask()).orElse(null);
    ScreenwritingTask.Placement placement = task == null ? ScreenwritingTask.Placement.REPLACE : task.placement();
    if (!decision.getApprove()) {
      decided.setStatus(Suggestion.Status.STATUS_REJECTED);
    } else if (task != null && task.offersChoices() && decision.getEditedText().isEmpty()) {
      // nothing is stored: the suggestion stays pending until one option is chosen (or it is rejected)
      c.send(c.codec.error(ErrorCode.BAD_FRAME, "Choose one of the alternatives to approve: send it as the edited text.",
          cmd.requestId(), false));
      return Effect().none();
    } else {
      String text = scriptText(decision.getEditedText().isEmpty() ? s.getProposedText() : decision.getEditedText());
      Approval approval = placement == ScreenwritingTask.Placement.NOTE || !s.getImageAsset().isEmpty()
          || (s.getProposedText().isEmpty() && decision.getEditedText().isEmpty())
          ? Approval.NOTHING_TO_WRITE // a summary, a logline or a frame: approved as a note, the script is not touched
          : approve(state.doc(), s, text, placement);
      if (approval.currentText() != null) {
        decided.setStatus(Suggestion.Status.STATUS_STALE).setCurrentText(approval.currentText());
      } else {
        decided.setStatus(Suggestion.Status.STATUS_APPROVED).setAppliedText(approval.update() == null ? "" : text);
        if (approval.update() != null) {
          decided.setUpdate(ByteString.copyFrom(approval.update()))
              .setPassageStart(ByteString.copyFrom(approval.passageStart()))
              .setPassageEnd(ByteString.copyFrom(approval.passageEnd()));
        }
      }
    }
    SuggestionDecided stored = decided.build();
    return Effect().persist(event().setSuggestionDecided(stored).build()).thenRun(after -> {
      if (!stored.getUpdate().isEmpty()) {
        byte[] update = stored.getUpdate().toByteArray();
        broadcast(null, codec -> codec.update(update));
      }
      c.send(c.codec.ack(cmd.requestId()));
      broadcastSuggestion(after.suggestion(s.getSuggestionId()));
    });
  }

  /** What approving would write: an update, or the text the anchored range holds instead of the original. */
  private record Approval(byte[] update, byte[] passageStart, byte[] passageEnd, String currentText) {
    static final Approval NOTHING_TO_WRITE = new Approval(null, null, null, null);

    static Approval stale(String currentText) {
      return new Approval(null, null, null, currentText);
    }
  }

  /**
   * Writes {@code text} where {@code placement} puts it, relative to the suggestion's range, as the
   * room's own client, on a copy of the document: the command handler must leave the state alone;
   * the stored update changes it. Either way the range must still hold the text the model was shown.
   */
  private static Approval approve(YDoc doc, Suggestion s, String text, ScreenwritingTask.Placement placement) {
    String script = doc.getText(SCRIPT).toString();
    int[] range = resolve(doc, s.getAnchorStart().toByteArray(), s.getAnchorEnd().toByteArray());
    if (range == null) {
      return Approval.stale("");
    }
    String current = script.substring(range[0], range[1]);
    if (!current.equals(s.getOriginalText())) {
      return Approval.stale(current);
    }
    boolean after = placement == ScreenwritingTask.Placement.INSERT_AFTER;
    // inserted after the selection, the text comes as paragraphs of its own: Fountain separates
    // elements by a blank line, so without one a cue it starts with would read as more of the line above
    String before = after && range[1] > 0
        ? "\n".repeat(Math.max(0, 2 - trailingNewlines(script.substring(0, range[1])) - leadingNewlines(text))) : "";
    String following = after && range[1] < script.length()
        ? "\n".repeat(Math.max(0, 2 - trailingNewlines(text) - leadingNewlines(script.substring(range[1])))) : "";
    int at = after ? range[1] : range[0];
    YDoc copy = YDoc.builder().clientId(doc.clientId()).build();
    copy.applyUpdate(doc.encodeStateAsUpdate());
    List<byte[]> updates = new ArrayList<>(1);
    try (var sub = copy.onUpdate((u, origin, tx) -> updates.add(u))) {
      copy.transact(tx -> {
        YText t = copy.getText(SCRIPT);
        if (!after) {
          t.delete(range[0], range[1] - range[0]);
        }
        t.insert(at, before + text + following);
      });
    }
    // the disclosed passage is the model's text alone: not the selection, not the line breaks around it
    YText written = copy.getText(SCRIPT);
    int from = at + before.length();
    return new Approval(updates.size() == 1 ? updates.get(0) : Updates.merge(updates),
        RelativePosition.fromIndex(written, from, 0).encode(),
        RelativePosition.fromIndex(written, from + text.length(), -1).encode(), null);
  }

  /**
   * What may go into the script of a model's text (or an edit of it): line breaks as {@code \n}
   * and no other control characters but tabs. Models emit carriage returns and stray control bytes;
   * an editor counts {@code \r\n} as one line break where the shared text counts two characters,
   * so positions would drift between the two.
   */
  static String scriptText(String text) {
    String lines = text.replace("\r\n", "\n").replace('\r', '\n');
    StringBuilder b = new StringBuilder(lines.length());
    lines.codePoints().filter(c -> c == '\n' || c == '\t' || !Character.isISOControl(c)).forEach(b::appendCodePoint);
    return b.toString();
  }

  private static int leadingNewlines(String s) {
    int n = 0;
    while (n < s.length() && n < 2 && s.charAt(n) == '\n') {
      n++;
    }
    return n;
  }

  private static int trailingNewlines(String s) {
    int n = 0;
    while (n < s.length() && n < 2 && s.charAt(s.length() - 1 - n) == '\n') {
      n++;
    }
    return n;
  }

  /** The [start, end) a pair of anchors spans in the script now, or null if they no longer point into it. */
  private static int[] resolve(YDoc doc, byte[] start, byte[] end) {
    // first: a root nobody asked for by type yet is untyped until getText makes it the YText
    YText script = doc.getText(SCRIPT);
    try {
      RelativePosition.Absolute a = RelativePosition.decode(start).toAbsolute(doc);
      RelativePosition.Absolute b = RelativePosition.decode(end).toAbsolute(doc);
      if (a == null || b == null || a.type() != script || b.type() != script || a.index() > b.index()) {
        return null;
      }
      return new int[] {a.index(), b.index()};
    } catch (MalformedUpdateException e) {
      return null;
    }
  }

  private Effect<RoomEvent, RoomState> onDisclosure(RoomState state, RoomCommand.Disclosure cmd) {
    if (acting(state, cmd.byMemberId(), Role.ROLE_VIEWER, cmd.replyTo(), "read the AI disclosure") == null) {
      return Effect().none();
    }
    String script = state.doc().getText(SCRIPT).toString();
    List<RoomCommand.DisclosedPassage> present = new ArrayList<>();
    for (AiPassage p : state.passages()) {
      int[] range = resolve(state.doc(), p.getStart().toByteArray(), p.getEnd().toByteArray());
      if (range != null && range[1] > range[0]) {
        present.add(new RoomCommand.DisclosedPassage(p.getSuggestionId(), p.getTask(), nameOf(state, p.getRequesterMemberId()),
            p.getModel(), p.getBackend(), nameOf(state, p.getApprovedByMemberId()), p.getApprovedAt(),
            script.substring(range[0], range[1])));
      }
    }
    cmd.replyTo().tell(Result.ok(present));
    return Effect().none();
  }

  // ---- AI jobs

  private static final int MAX_INSTRUCTION_LENGTH = 2_000;
  private static final int MAX_VARIANTS = 8;

  /** What the room remembers of a job until it ends: enough to anchor its suggestion. */
  private record RunningJob(String requesterId, String task, ByteString anchorStart, ByteString anchorEnd,
                            String selection, String model) {
  }

  private Effect<RoomEvent, RoomState> onAskAi(RoomState state, RoomCommand.AskAi cmd) {
    Connection c = connections.get(cmd.session());
    if (c == null) {
      return unknownConnection(cmd.session());
    }
    StoredMember m = state.member(c.memberId);
    AiRequest r = cmd.request();
    String refusal = null;
    ErrorCode code = ErrorCode.BAD_FRAME;
    int[] range = null;
    if (m == null || (m.getRole() == Role.ROLE_VIEWER && !state.viewersMayAskAi())) {
      code = ErrorCode.FORBIDDEN;
      refusal = "Viewers cannot ask the AI in this room; the showrunner can allow it.";
    } else if (r.getTask().isBlank() || r.getTask().length() > 40) {
      refusal = "The request names no task.";
    } else if (ScreenwritingTask.byId(r.getTask()).isEmpty()) {
      refusal = "There is no task \"" + r.getTask() + "\"; the tasks are " + java.util.Arrays.stream(ScreenwritingTask.values())
          .map(ScreenwritingTask::id).collect(java.util.stream.Collectors.joining(", ")) + ".";
    } else if (r.getInstruction().length() > MAX_INSTRUCTION_LENGTH) {
      code = ErrorCode.TOO_LARGE;
      refusal = "The instruction is longer than " + MAX_INSTRUCTION_LENGTH + " characters.";
    } else if (r.getVariants() > MAX_VARIANTS) {
      refusal = "At most " + MAX_VARIANTS + " variants can be asked for at once.";
    } else if ((range = resolve(state.doc(), r.getAnchorStart().toByteArray(), r.getAnchorEnd().toByteArray())) == null) {
      code = ErrorCode.NOT_FOUND;
      refusal = "The selection is not in the script (it may have been deleted); select the text again.";
    }
    if (refusal != null) {
      c.send(c.codec.error(code, refusal, cmd.requestId(), false));
      return Effect().none();
    }
    String script = state.doc().getText(SCRIPT).toString();
    String selection = script.substring(range[0], range[1]);
    String jobId = ids.next(SUGGESTION_ID_LENGTH);
    jobs.put(jobId, new RunningJob(m.getMemberId(), r.getTask(), r.getAnchorStart(), r.getAnchorEnd(), selection, r.getModel()));
    c.send(c.codec.ackJob(cmd.requestId(), jobId));
    assistant.submit(new AiAssistant.Job(roomId, jobId, m.getMemberId(), r.getTask(), r.getInstruction(), r.getModel(),
        Math.max(1, r.getVariants()), script, range[0], selection, bible(state.doc())), reporter(jobId, m.getMemberId(), r.getTask()));
    return Effect().none();
  }

  /** The story bible writers keep in the document's shared map "bible": character, place or rule → text. */
  private static Map<String, String> bible(YDoc doc) {
    Map<String, String> bible = new java.util.TreeMap<>();
    doc.getMap(BIBLE).entries().forEach((k, v) -> {
      if (v != null) {
        bible.put(k, v instanceof YText t ? t.toString() : String.valueOf(v));
      }
    });
    return bible;
  }

  /** Turns the assistant's calls (from any thread) into messages to this room. */
  private AiAssistant.Events reporter(String jobId, String requesterId, String task) {
    AiJobEvent base = AiJobEvent.newBuilder().setJobId(jobId).setRequesterMemberId(requesterId).setTask(task).build();
    return new AiAssistant.Events() {
      private void report(AiJobEvent event, AiAssistant.Proposal proposal) {
        self.tell(new RoomCommand.JobReport(jobId, event, proposal));
      }

      @Override
      public void queued(int position) {
        report(base.toBuilder().setQueued(AiJobEvent.Queued.newBuilder().setPosition(position)).build(), null);
      }

      @Override
      public void started(String device, String model) {
        report(base.toBuilder().setStarted(AiJobEvent.Started.newBuilder().setDevice(device).setModel(model)).build(), null);
      }

      @Override
      public void delta(String text) {
        report(base.toBuilder().setDelta(AiJobEvent.TokenDelta.newBuilder().setText(text)).build(), null);
      }

      @Override
      public void finished(AiAssistant.Proposal proposal) {
        report(base.toBuilder().setFinished(AiJobEvent.Finished.getDefaultInstance()).build(), proposal);
      }

      @Override
      public void failed(String reason) {
        report(base.toBuilder().setFailed(AiJobEvent.Failed.newBuilder().setReason(reason)).build(), null);
      }

      @Override
      public void cancelled(String byMemberId) {
        report(base.toBuilder().setCancelled(AiJobEvent.Cancelled.newBuilder().setByMemberId(byMemberId)).build(), null);
      }
    };
  }

  private Effect<RoomEvent, RoomState> onJobReport(RoomState state, RoomCommand.JobReport cmd) {
    RunningJob job = jobs.get(cmd.jobId());
    if (job == null) {
      return Effect().none(); // already ended (e.g. a late delta after a cancellation)
    }
    AiJobEvent event = cmd.event();
    switch (event.getEventCase()) {
      case FINISHED -> {
        jobs.remove(cmd.jobId());
        AiAssistant.Proposal p = cmd.proposal();
        Suggestion draft = Suggestion.newBuilder().setTask(job.task()).setRequesterMemberId(job.requesterId())
            .setModel(p.model()).setBackend(p.backend()).setAnchorStart(job.anchorStart()).setAnchorEnd(job.anchorEnd())
            .setOriginalText(job.selection()).setProposedText(p.text() == null ? "" : p.text())
            .setImageAsset(p.imageAsset() == null ? "" : p.imageAsset()).build();
        return propose(draft, s -> broadcastJob(event.toBuilder()
            .setFinished(AiJobEvent.Finished.newBuilder().setSuggestionId(s.getSuggestionId())).build()));
      }
      case FAILED, CANCELLED -> jobs.remove(cmd.jobId());
      default -> {
        // queued, started, deltas: passed on as they come
      }
    }
    broadcastJob(event);
    return Effect().none();
  }

  private void broadcastJob(AiJobEvent event) {
    broadcast(null, codec -> codec.aiJob(event));
  }

  private Effect<RoomEvent, RoomState> onCancelAi(RoomState state, RoomCommand.CancelAi cmd) {
    Connection c = connections.get(cmd.session());
    if (c == null) {
      return unknownConnection(cmd.session());
    }
    RunningJob job = jobs.get(cmd.jobId());
    StoredMember m = state.member(c.memberId);
    if (job == null) {
      c.send(c.codec.error(ErrorCode.NOT_FOUND, "There is no running job " + cmd.jobId() + ".", cmd.requestId(), false));
    } else if (m == null || (!m.getMemberId().equals(job.requesterId()) && m.getRole() != Role.ROLE_SHOWRUNNER)) {
      c.send(c.codec.error(ErrorCode.FORBIDDEN, "Only the member who asked, or the showrunner, can cancel this job.",
          cmd.requestId(), false));
    } else {
      assistant.cancel(roomId, cmd.jobId(), m.getMemberId());
      c.send(c.codec.ack(cmd.requestId()));
    }
    return Effect().none();
  }

  private Effect<RoomEvent, RoomState> onSetAiPolicy(RoomState state, RoomCommand.SetAiPolicy cmd) {
    if (acting(state, cmd.byMemberId(), Role.ROLE_SHOWRUNNER, cmd.replyTo(), "decide who may ask the AI") == null) {
      return Effect().none();
    }
    return Effect().persist(event().setAiPolicyChanged(AiPolicyChanged.newBuilder().setViewersMayAsk(cmd.viewersMayAsk())
            .setByMemberId(cmd.byMemberId())).build())
        .thenRun(after -> cmd.replyTo().tell(Result.ok(after.viewersMayAskAi())));
  }

  private static String nameOf(RoomState state, String memberId) {
    StoredMember m = state.member(memberId);
    return m == null ? "former member " + memberId : m.getDisplayName();
  }

  private static String statusName(Suggestion.Status status) {
    return switch (status) {
      case STATUS_APPROVED -> "approved";
      case STATUS_REJECTED -> "rejected";
      case STATUS_STALE -> "stale";
      default -> "pending";
    };
  }

  private void broadcastSuggestion(Suggestion s) {
    SuggestionEvent e = SuggestionEvent.newBuilder().setSuggestion(s).build();
    broadcast(null, codec -> codec.suggestion(e));
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
