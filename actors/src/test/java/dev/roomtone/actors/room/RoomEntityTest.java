package dev.roomtone.actors.room;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.roomtone.actors.Result;
import dev.roomtone.actors.ai.AiAssistant;
import dev.roomtone.protocol.v1.ErrorCode;
import dev.roomtone.protocol.v1.Limits;
import dev.roomtone.protocol.v1.Role;
import dev.roomtone.protocol.v1.ServerMessage;
import dev.roomtone.script.crdt.YDoc;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The room actor on its own, with in-memory persistence that still serializes every event and snapshot. */
class RoomEntityTest {

  private static final Config CONFIG = PersistenceTestKitPlugin.getInstance().config()
      .withFallback(PersistenceTestKitSnapshotPlugin.config())
      .withFallback(ConfigFactory.parseString("pekko.actor.serialize-messages = off"))
      .withFallback(ConfigFactory.load());
  private static final ActorTestKit KIT = ActorTestKit.create(CONFIG);
  private static int rooms;

  @AfterAll
  static void shutdown() {
    KIT.shutdownTestKit();
  }

  private static RoomSettings settings() {
    return new RoomSettings(3, 10, 1024, 5, Duration.ofDays(7), Duration.ofSeconds(5));
  }

  private static ActorRef<RoomCommand> spawnRoom(String id) {
    return spawnRoom(id, AiAssistant.unavailable());
  }

  private static ActorRef<RoomCommand> spawnRoom(String id, AiAssistant assistant) {
    return KIT.spawn(RoomEntity.create(id, settings(), Clock.systemUTC(), new SplittableRandom(42), new SecureRandom(), assistant));
  }

  private static <T> T ok(Result<T> r) {
    return ((Result.Ok<T>) assertInstanceOf(Result.Ok.class, r)).value();
  }

  private static <T> T ask(ActorRef<RoomCommand> room, java.util.function.Function<ActorRef<Result<T>>, RoomCommand> cmd) {
    TestProbe<Result<T>> probe = KIT.createTestProbe();
    room.tell(cmd.apply(probe.getRef()));
    return ok(probe.receiveMessage());
  }

  private static ErrorCode refused(ActorRef<RoomCommand> room, java.util.function.Function<ActorRef<Result<Object>>, RoomCommand> cmd) {
    TestProbe<Result<Object>> probe = KIT.createTestProbe();
    room.tell(cmd.apply(probe.getRef()));
    Result<Object> r = probe.receiveMessage();
    return ((Result.Refused<Object>) assertInstanceOf(Result.Refused.class, r)).refusal().code();
  }

  private static ServerMessage next(TestProbe<SessionOut> session) throws Exception {
    SessionOut out = session.receiveMessage();
    byte[] frame = out instanceof SessionOut.Deliver d ? d.frame() : ((SessionOut.Close) out).finalFrame();
    return ServerMessage.parseFrom(frame);
  }

  private record Setup(String roomId, ActorRef<RoomCommand> room, String showrunner, String writer, String viewer) {
  }

  private static Setup room() {
    return room(AiAssistant.unavailable());
  }

  private static Setup room(AiAssistant assistant) {
    String id = "room" + (++rooms);
    return setUp(id, spawnRoom(id, assistant));
  }

  /** Creates the room {@code room} runs, with a showrunner, a writer and a viewer. */
  private static Setup setUp(String id, ActorRef<RoomCommand> room) {
    RoomCommand.MemberView sr = ask(room, r -> new RoomCommand.Create("Pilot", "Maya", r));
    RoomCommand.InviteIssued wi = ask(room, r -> new RoomCommand.CreateInvite(sr.memberId(), Role.ROLE_WRITER, Duration.ofDays(1), 0, r));
    RoomCommand.MemberView w = ask(room, r -> new RoomCommand.Join(wi.inviteId(), wi.secret(), "Ben", r));
    RoomCommand.InviteIssued vi = ask(room, r -> new RoomCommand.CreateInvite(sr.memberId(), Role.ROLE_VIEWER, Duration.ofDays(1), 1, r));
    RoomCommand.MemberView v = ask(room, r -> new RoomCommand.Join(vi.inviteId(), vi.secret(), "Studio exec", r));
    return new Setup(id, room, sr.memberId(), w.memberId(), v.memberId());
  }

  private static TestProbe<SessionOut> connect(ActorRef<RoomCommand> room, String memberId) throws Exception {
    TestProbe<SessionOut> session = KIT.createTestProbe();
    RoomEntityTest.<RoomCommand.MemberView>ask(room, r -> new RoomCommand.Connect(memberId, session.getRef(), ProtobufCodec.INSTANCE, Limits.getDefaultInstance(), r));
    assertTrue(next(session).hasWelcome());
    assertTrue(next(session).hasSyncStep1());
    return session;
  }

  /** The room's script as it stands, read back through a fresh replica of its document. */
  private static String scriptOf(ActorRef<RoomCommand> room) {
    YDoc copy = new YDoc(1);
    copy.applyUpdate(RoomEntityTest.<byte[]>ask(room, RoomCommand.GetDocument::new));
    return copy.getText("script").toString();
  }

  private static byte[] edit(String text, long clientId) {
    YDoc d = new YDoc(clientId);
    d.getText("script").insert(0, text);
    return d.encodeStateAsUpdate();
  }

  @Test
  void editsArePersistedThenAcknowledgedAndBroadcast() throws Exception {
    Setup s = room();
    TestProbe<SessionOut> writer = connect(s.room, s.writer);
    TestProbe<SessionOut> showrunner = connect(s.room, s.showrunner);
    assertTrue(next(writer).hasRoster(), "the writer hears that the showrunner came in");
    byte[] update = edit("INT. DINER - NIGHT", 7);
    s.room.tell(new RoomCommand.Edit(writer.getRef(), update, 11));
    ServerMessage ack = next(writer);
    assertTrue(ack.hasAck());
    assertEquals(11, ack.getRequestId());
    ServerMessage relayed = next(showrunner);
    assertArrayEquals(update, relayed.getUpdate().getUpdate().toByteArray());

    // a new actor for the same room recovers the document from the journal
    KIT.stop(s.room);
    ActorRef<RoomCommand> again = spawnRoom(s.roomId);
    assertEquals("INT. DINER - NIGHT", scriptOf(again));
  }

  @Test
  void manyEditsSurviveSnapshotsAndRecovery() throws Exception {
    Setup s = room();
    TestProbe<SessionOut> writer = connect(s.room, s.writer);
    YDoc local = new YDoc(99);
    List<byte[]> updates = new java.util.ArrayList<>();
    local.onUpdate((u, o, t) -> updates.add(u));
    for (int i = 0; i < 23; i++) {
      local.getText("script").insert(local.getText("script").length(), "line " + i + "\n");
    }
    for (int i = 0; i < updates.size(); i++) {
      s.room.tell(new RoomCommand.Edit(writer.getRef(), updates.get(i), i + 1));
      assertEquals(i + 1, next(writer).getRequestId());
    }
    KIT.stop(s.room);
    assertEquals(local.getText("script").toString(), scriptOf(spawnRoom(s.roomId)));
  }

  /** Edits of one writer typing fast: each update extends the previous one. */
  private static List<byte[]> typing(int edits, long clientId) {
    YDoc local = new YDoc(clientId);
    List<byte[]> updates = new java.util.ArrayList<>();
    local.onUpdate((u, o, t) -> updates.add(u));
    for (int i = 0; i < edits; i++) {
      local.getText("script").insert(local.getText("script").length(), "beat " + i + "\n");
    }
    return updates;
  }

  @Test
  void aBurstOfEditsIsWrittenTogetherAndAcknowledgedInOrder() throws Exception {
    Setup s = room();
    TestProbe<SessionOut> writer = connect(s.room, s.writer);
    TestProbe<SessionOut> showrunner = connect(s.room, s.showrunner);
    assertTrue(next(writer).hasRoster());
    List<byte[]> updates = typing(40, 77);
    // all in the mailbox at once: the first write carries one edit, the next the ones that queued behind it
    for (int i = 0; i < updates.size(); i++) {
      s.room.tell(new RoomCommand.Edit(writer.getRef(), updates.get(i), i + 1));
    }
    for (int i = 0; i < updates.size(); i++) {
      ServerMessage ack = next(writer);
      assertTrue(ack.hasAck());
      assertEquals(i + 1, ack.getRequestId());
      assertArrayEquals(updates.get(i), next(showrunner).getUpdate().getUpdate().toByteArray(), "broadcast " + i);
    }
    // recovery (snapshots every few events here, so batches straddle them) gives the same document
    KIT.stop(s.room);
    YDoc expected = new YDoc(2);
    updates.forEach(expected::applyUpdate);
    assertEquals(expected.getText("script").toString(), scriptOf(spawnRoom(s.roomId)));
  }

  @Test
  void framesGoStraightIntoTheConnectionsBufferUntilItIsFullThenThroughTheSessionInOrder() throws Exception {
    Setup s = room();
    TestProbe<SessionOut> session = KIT.createTestProbe();
    List<byte[]> buffered = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicInteger offers = new java.util.concurrent.atomic.AtomicInteger();
    // takes three frames, refuses the fourth, and would take any later one again
    FrameSink buffer = frame -> {
      if (offers.incrementAndGet() == 4) {
        return false;
      }
      buffered.add(frame);
      return true;
    };
    RoomEntityTest.<RoomCommand.MemberView>ask(s.room, r -> new RoomCommand.Connect(s.writer, session.getRef(),
        ProtobufCodec.INSTANCE, Limits.getDefaultInstance(), buffer, r));
    TestProbe<SessionOut> showrunner = connect(s.room, s.showrunner);
    List<byte[]> updates = typing(3, 79);
    for (int i = 0; i < updates.size(); i++) {
      s.room.tell(new RoomCommand.Edit(showrunner.getRef(), updates.get(i), i + 1));
      assertEquals(i + 1, next(showrunner).getRequestId());
    }
    // welcome, sync step 1 and the roster went into the buffer; from the refused frame on, every
    // frame goes through the session, in order, even though the buffer would take them again
    for (int i = 0; i < updates.size(); i++) {
      assertArrayEquals(updates.get(i), next(session).getUpdate().getUpdate().toByteArray(), "update " + i);
    }
    assertEquals(4, offers.get());
    assertEquals(3, buffered.size());
    assertTrue(ServerMessage.parseFrom(buffered.get(0)).hasWelcome());
    assertTrue(ServerMessage.parseFrom(buffered.get(1)).hasSyncStep1());
    assertTrue(ServerMessage.parseFrom(buffered.get(2)).hasRoster());
    session.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void noEditOfAFailedWriteIsAcknowledgedOrBroadcast() throws Exception {
    Setup s = room();
    TestProbe<SessionOut> writer = connect(s.room, s.writer);
    TestProbe<SessionOut> showrunner = connect(s.room, s.showrunner);
    assertTrue(next(writer).hasRoster());
    PersistenceTestKit journal = PersistenceTestKit.create(KIT.system());
    journal.failNextPersisted();
    List<byte[]> updates = typing(10, 78);
    for (int i = 0; i < updates.size(); i++) {
      s.room.tell(new RoomCommand.Edit(writer.getRef(), updates.get(i), i + 1));
    }
    // the journal failed the first write: the room stops, and nothing it had not stored is confirmed
    writer.expectNoMessage(Duration.ofMillis(500));
    showrunner.expectNoMessage(Duration.ofMillis(100));
    assertEquals("", scriptOf(spawnRoom(s.roomId)));
  }

  @Test
  void viewersAndBrokenUpdatesChangeNothing() throws Exception {
    Setup s = room();
    TestProbe<SessionOut> viewer = connect(s.room, s.viewer);
    TestProbe<SessionOut> writer = connect(s.room, s.writer);
    next(viewer); // roster: the writer came in
    s.room.tell(new RoomCommand.Edit(viewer.getRef(), edit("hijack", 5), 3));
    ServerMessage denied = next(viewer);
    assertEquals(ErrorCode.FORBIDDEN, denied.getError().getCode());
    assertEquals(3, denied.getRequestId());
    s.room.tell(new RoomCommand.Edit(writer.getRef(), new byte[] {1, 2, 3}, 4));
    ServerMessage invalid = next(writer);
    assertEquals(ErrorCode.INVALID_UPDATE, invalid.getError().getCode());
    assertTrue(invalid.getError().getMessage().contains("unchanged"));
    assertEquals("", scriptOf(s.room));
    viewer.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void onlyTheShowrunnerManagesMembers() {
    Setup s = room();
    assertEquals(ErrorCode.FORBIDDEN, refused(s.room, r -> new RoomCommand.CreateInvite(s.writer, Role.ROLE_WRITER, Duration.ofDays(1), 0, cast(r))));
    assertEquals(ErrorCode.FORBIDDEN, refused(s.room, r -> new RoomCommand.ChangeRole(s.writer, s.viewer, Role.ROLE_WRITER, cast(r))));
    assertEquals(ErrorCode.FORBIDDEN, refused(s.room, r -> new RoomCommand.RemoveMember(s.viewer, s.writer, cast(r))));
    assertEquals(ErrorCode.FORBIDDEN, refused(s.room, r -> new RoomCommand.RemoveMember(s.showrunner, s.showrunner, cast(r))),
        "the last showrunner cannot leave the room without one");
    RoomCommand.MemberView promoted = ask(s.room, r -> new RoomCommand.ChangeRole(s.showrunner, s.viewer, Role.ROLE_WRITER, r));
    assertEquals(Role.ROLE_WRITER, promoted.role());
    assertEquals(3, this.<List<RoomCommand.MemberView>>askList(s.room, s.writer).size());
    // members limit is 3: a fourth cannot join
    RoomCommand.InviteIssued more = ask(s.room, r -> new RoomCommand.CreateInvite(s.showrunner, Role.ROLE_WRITER, Duration.ofDays(1), 0, r));
    assertEquals(ErrorCode.LIMIT_REACHED, refused(s.room, r -> new RoomCommand.Join(more.inviteId(), more.secret(), "Dana", cast(r))));
  }

  private List<RoomCommand.MemberView> askList(ActorRef<RoomCommand> room, String by) {
    return ask(room, r -> new RoomCommand.ListMembers(by, r));
  }

  @SuppressWarnings("unchecked")
  private static <T> ActorRef<Result<T>> cast(ActorRef<Result<Object>> r) {
    return (ActorRef<Result<T>>) (ActorRef<?>) r;
  }

  @Test
  void invitesAreCheckedAndUsedUp() {
    Setup s = room();
    RoomCommand.InviteIssued once = ask(s.room, r -> new RoomCommand.CreateInvite(s.showrunner, Role.ROLE_VIEWER, Duration.ofDays(1), 1, r));
    assertEquals(ErrorCode.NOT_FOUND, refused(s.room, r -> new RoomCommand.Join(once.inviteId(), "wrong-secret", "X", cast(r))));
    assertEquals(ErrorCode.NOT_FOUND, refused(s.room, r -> new RoomCommand.Join("nosuchid", once.secret(), "X", cast(r))));
    assertEquals(ErrorCode.BAD_FRAME, refused(s.room, r -> new RoomCommand.Join(once.inviteId(), once.secret(), "  ", cast(r))));
    assertEquals(ErrorCode.BAD_FRAME, refused(s.room, r -> new RoomCommand.CreateInvite(s.showrunner, Role.ROLE_WRITER, Duration.ofDays(400), 0, cast(r))));
  }

  @Test
  void removedMembersAreDisconnectedAndLockedOut() throws Exception {
    Setup s = room();
    TestProbe<SessionOut> writer = connect(s.room, s.writer);
    RoomEntityTest.<RoomCommand.MemberView>ask(s.room, r -> new RoomCommand.RemoveMember(s.showrunner, s.writer, r));
    SessionOut out = writer.receiveMessage();
    ServerMessage bye = ServerMessage.parseFrom(((SessionOut.Close) out).finalFrame());
    assertEquals(ErrorCode.UNAUTHENTICATED, bye.getError().getCode());
    assertTrue(bye.getError().getFatal());
    assertEquals(ErrorCode.UNAUTHENTICATED, refused(s.room, r -> new RoomCommand.CheckMember(s.writer, cast(r))));
    TestProbe<Result<RoomCommand.MemberView>> probe = KIT.createTestProbe();
    s.room.tell(new RoomCommand.Connect(s.writer, KIT.<SessionOut>createTestProbe().getRef(), ProtobufCodec.INSTANCE, Limits.getDefaultInstance(), probe.getRef()));
    assertInstanceOf(Result.Refused.class, probe.receiveMessage());
  }

  /** What a restarted room (which forgot its connections) does with its old sessions' messages. */
  @Test
  void aConnectionTheRoomDoesNotHoldIsToldToRejoinAndItsEditIsNotTakenInSilence() throws Exception {
    Setup s = room();
    TestProbe<SessionOut> writer = connect(s.room, s.writer);
    TestProbe<SessionOut> forgotten = KIT.createTestProbe();
    s.room.tell(new RoomCommand.Edit(forgotten.getRef(), edit("lost?", 9), 1));
    s.room.tell(new RoomCommand.Sync(forgotten.getRef(), new byte[] {0}, 2));
    s.room.tell(new RoomCommand.Awareness(forgotten.getRef(), new byte[] {0}));
    for (int i = 0; i < 3; i++) {
      SessionOut.Rejoin r = assertInstanceOf(SessionOut.Rejoin.class, forgotten.receiveMessage());
      assertTrue(r.reason().startsWith("The room restarted and no longer holds this connection; reconnect"),
          r.reason());
    }
    assertEquals("", scriptOf(s.room));
    writer.expectNoMessage(Duration.ofMillis(100));
  }

  /**
   * A room that fails and is restarted by its supervisor has forgotten its connections; it tells
   * each of them to reconnect at once, a reader that never sends anything included.
   */
  @Test
  void aRestartedRoomTellsItsConnectionsToReconnectAtOnce() throws Exception {
    AiAssistant broken = new AiAssistant() {
      @Override
      public void submit(Job job, Events events) {
        throw new IllegalStateException("the assistant broke (on purpose, in a test)");
      }

      @Override
      public void cancel(String roomId, String jobId, String byMemberId) {
      }
    };
    String id = "room" + (++rooms);
    Setup s = setUp(id, KIT.spawn(Behaviors.supervise(RoomEntity.create(id, settings(), Clock.systemUTC(),
        new SplittableRandom(42), new SecureRandom(), broken)).onFailure(SupervisorStrategy.restart())));
    TestProbe<SessionOut> writer = connect(s.room, s.writer);
    TestProbe<SessionOut> reader = connect(s.room, s.viewer);
    String scene = "INT. DINER - NIGHT\n";
    YDoc writerDoc = new YDoc(5);
    writerDoc.getText("script").insert(0, scene);
    s.room.tell(new RoomCommand.Edit(writer.getRef(), writerDoc.encodeStateAsUpdate(), 1));
    nextMatching(writer, ServerMessage::hasAck);
    s.room.tell(new RoomCommand.AskAi(writer.getRef(), askFor(writerDoc, "INT. DINER", "alternatives").build(), 2));
    for (TestProbe<SessionOut> session : List.of(writer, reader)) {
      SessionOut rejoin = session.fishForMessage(Duration.ofSeconds(10), m -> m instanceof SessionOut.Rejoin
          ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore()).get(0);
      assertTrue(((SessionOut.Rejoin) rejoin).reason().startsWith("The room restarted and no longer holds this connection"),
          rejoin.toString());
    }
    // the restarted room kept what it had stored, and takes connections again
    assertEquals(scene, scriptOf(s.room));
    connect(s.room, s.writer);
    reader.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void awarenessIsRelayedAndRemovedWhenTheConnectionCloses() throws Exception {
    Setup s = room();
    TestProbe<SessionOut> a = connect(s.room, s.writer);
    TestProbe<SessionOut> b = connect(s.room, s.showrunner);
    next(a); // roster
    s.room.tell(new RoomCommand.Awareness(a.getRef(), awareness(77, 1, "{\"user\":{\"name\":\"Ben\"}}")));
    assertTrue(next(b).hasAwareness());
    s.room.tell(new RoomCommand.Awareness(a.getRef(), "nonsense".getBytes()));
    assertEquals(ErrorCode.BAD_FRAME, next(a).getError().getCode());
    s.room.tell(new RoomCommand.Disconnect(a.getRef()));
    ServerMessage removal = next(b);
    assertTrue(removal.hasAwareness(), "the state of the closed connection is withdrawn");
    assertTrue(next(b).hasRoster());
  }

  @Test
  void welcomeSaysWhetherTheServerCanRunAiRequests() throws Exception {
    AiAssistant configured = new AiAssistant() {
      @Override
      public void submit(Job job, Events events) {
      }

      @Override
      public void cancel(String roomId, String jobId, String byMemberId) {
      }
    };
    for (boolean available : new boolean[] {false, true}) {
      Setup s = available ? room(configured) : room();
      TestProbe<SessionOut> session = KIT.createTestProbe();
      RoomEntityTest.<RoomCommand.MemberView>ask(s.room(), r -> new RoomCommand.Connect(s.writer(), session.getRef(),
          ProtobufCodec.INSTANCE, Limits.getDefaultInstance(), r));
      assertEquals(available, next(session).getWelcome().getAiAvailable());
    }
  }

  @Test
  void aConnectionCannotChangeOrWithdrawAnotherMembersPresence() throws Exception {
    Setup s = room();
    TestProbe<SessionOut> writer = connect(s.room, s.writer);
    TestProbe<SessionOut> showrunner = connect(s.room, s.showrunner);
    TestProbe<SessionOut> viewer = connect(s.room, s.viewer);
    s.room.tell(new RoomCommand.Awareness(writer.getRef(), awareness(77, 1, "{\"user\":{\"name\":\"Ben\"}}")));
    drain(showrunner);
    drain(viewer);
    // the viewer writes over the writer's client id with a newer clock, then withdraws it
    s.room.tell(new RoomCommand.Awareness(viewer.getRef(), awareness(77, 5, "{\"user\":{\"name\":\"SPOOFED\"}}")));
    s.room.tell(new RoomCommand.Awareness(viewer.getRef(), awareness(77, 6, "null")));
    showrunner.expectNoMessage(Duration.ofMillis(300));
    // still the writer's: its own next clock (below the viewer's) is taken and relayed
    s.room.tell(new RoomCommand.Awareness(writer.getRef(), awareness(77, 2, "{\"user\":{\"name\":\"Ben R.\"}}")));
    assertTrue(next(showrunner).getAwareness().getUpdate().toStringUtf8().contains("Ben R."));
    // the same member's new connection (a reconnecting tab keeps its client id) may take it over
    TestProbe<SessionOut> writerAgain = connect(s.room, s.writer);
    drain(showrunner);
    s.room.tell(new RoomCommand.Awareness(writerAgain.getRef(), awareness(77, 3, "{\"user\":{\"name\":\"Ben again\"}}")));
    assertTrue(next(showrunner).getAwareness().getUpdate().toStringUtf8().contains("Ben again"));
  }

  /** Takes whatever a session has been sent until it has been quiet for a moment. */
  private static void drain(TestProbe<SessionOut> session) {
    while (true) {
      try {
        session.receiveMessage(Duration.ofMillis(200));
      } catch (AssertionError quiet) {
        return;
      }
    }
  }

  private static byte[] awareness(long client, int clock, String json) {
    return dev.roomtone.script.crdt.AwarenessStates.encodeState(client, clock, json);
  }


  // ---- AI jobs

  /** An assistant whose jobs the test drives by hand. */
  private static final class ScriptedAssistant implements AiAssistant {
    final java.util.concurrent.BlockingQueue<Job> submitted = new java.util.concurrent.LinkedBlockingQueue<>();
    final java.util.Map<String, Events> events = new java.util.concurrent.ConcurrentHashMap<>();
    final List<String> cancelled = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void submit(Job job, Events e) {
      events.put(job.jobId(), e);
      submitted.add(job);
    }

    @Override
    public void cancel(String roomId, String jobId, String byMemberId) {
      cancelled.add(jobId + " by " + byMemberId);
      Events e = events.get(jobId);
      if (e != null) {
        e.cancelled(byMemberId);
      }
    }

    Job nextJob() throws InterruptedException {
      Job j = submitted.poll(10, java.util.concurrent.TimeUnit.SECONDS);
      assertTrue(j != null, "no job was submitted");
      return j;
    }
  }

  private static dev.roomtone.protocol.v1.AiRequest.Builder askFor(YDoc doc, String selected, String task) {
    var script = doc.getText("script");
    int from = script.toString().indexOf(selected);
    return dev.roomtone.protocol.v1.AiRequest.newBuilder().setTask(task).setVariants(3)
        .setAnchorStart(com.google.protobuf.ByteString.copyFrom(dev.roomtone.script.crdt.RelativePosition.fromIndex(script, from, 0).encode()))
        .setAnchorEnd(com.google.protobuf.ByteString.copyFrom(
            dev.roomtone.script.crdt.RelativePosition.fromIndex(script, from + selected.length(), -1).encode()));
  }

  private static ServerMessage nextMatching(TestProbe<SessionOut> session, java.util.function.Predicate<ServerMessage> p)
      throws Exception {
    List<String> skipped = new java.util.ArrayList<>();
    for (int i = 0; i < 50; i++) {
      ServerMessage m;
      try {
        m = next(session);
      } catch (AssertionError timeout) {
        throw new AssertionError("no matching message; before it: " + skipped, timeout);
      }
      if (p.test(m)) {
        return m;
      }
      skipped.add(m.getBodyCase() + (m.hasError() ? " " + m.getError().getMessage() : ""));
    }
    throw new AssertionError("no matching message among " + skipped);
  }

  @Test
  void aJobStreamsToTheRoomAndEndsAsAPendingSuggestion() throws Exception {
    ScriptedAssistant ai = new ScriptedAssistant();
    Setup s = room(ai);
    String scene = "INT. DINER - NIGHT\n\nMAYA\nI never wanted the money.\n";
    YDoc writerDoc = new YDoc(5);
    writerDoc.getText("script").insert(0, scene);
    writerDoc.getMap("bible").set("MAYA", "Owns the diner; never talks about her brother.");
    TestProbe<SessionOut> writer = connect(s.room(), s.writer());
    s.room().tell(new RoomCommand.Edit(writer.getRef(), writerDoc.encodeStateAsUpdate(), 1));
    nextMatching(writer, ServerMessage::hasAck);
    TestProbe<SessionOut> showrunner = connect(s.room(), s.showrunner());

    s.room().tell(new RoomCommand.AskAi(writer.getRef(), askFor(writerDoc, "I never wanted the money.", "alternatives")
        .setInstruction("sharper").build(), 7));
    ServerMessage accepted = nextMatching(writer, m -> m.hasAck() && m.getRequestId() == 7);
    String jobId = accepted.getAck().getJobId();
    AiAssistant.Job job = ai.nextJob();
    assertEquals(jobId, job.jobId());
    assertEquals("I never wanted the money.", job.selection());
    assertEquals(scene.indexOf("I never"), job.selectionStart());
    assertEquals(scene, job.script());
    assertEquals(3, job.variants());
    assertEquals("sharper", job.instruction());
    assertEquals(Map.of("MAYA", "Owns the diner; never talks about her brother."), job.bible());

    AiAssistant.Events e = ai.events.get(jobId);
    e.queued(2);
    e.started("cpu", "tiny");
    e.delta("I only");
    e.delta(" wanted out.");
    e.finished(new AiAssistant.Proposal("I only wanted out.", null, "tiny", "in-process"));
    for (TestProbe<SessionOut> member : List.of(writer, showrunner)) {
      var queued = nextMatching(member, ServerMessage::hasAiJob).getAiJob();
      assertEquals(2, queued.getQueued().getPosition());
      // every member's panel can name the job, not only the requester's
      assertEquals("alternatives", queued.getTask());
      assertEquals("cpu", nextMatching(member, ServerMessage::hasAiJob).getAiJob().getStarted().getDevice());
      assertEquals("I only", nextMatching(member, ServerMessage::hasAiJob).getAiJob().getDelta().getText());
      nextMatching(member, ServerMessage::hasAiJob);
      var suggestion = nextMatching(member, ServerMessage::hasSuggestion).getSuggestion().getSuggestion();
      assertEquals("I only wanted out.", suggestion.getProposedText());
      assertEquals("I never wanted the money.", suggestion.getOriginalText());
      assertEquals(s.writer(), suggestion.getRequesterMemberId());
      var finished = nextMatching(member, ServerMessage::hasAiJob).getAiJob();
      assertEquals(suggestion.getSuggestionId(), finished.getFinished().getSuggestionId());
    }
  }

  @Test
  void whoMayAskAndCancelIsChecked() throws Exception {
    ScriptedAssistant ai = new ScriptedAssistant();
    Setup s = room(ai);
    YDoc doc = new YDoc(6);
    doc.getText("script").insert(0, "FADE IN:\n");
    TestProbe<SessionOut> writer = connect(s.room(), s.writer());
    s.room().tell(new RoomCommand.Edit(writer.getRef(), doc.encodeStateAsUpdate(), 1));
    nextMatching(writer, ServerMessage::hasAck);
    TestProbe<SessionOut> viewer = connect(s.room(), s.viewer());
    TestProbe<SessionOut> showrunner = connect(s.room(), s.showrunner());

    // viewers may not ask, until the showrunner allows it
    s.room().tell(new RoomCommand.AskAi(viewer.getRef(), askFor(doc, "FADE IN:", "summarise").build(), 3));
    assertEquals(ErrorCode.FORBIDDEN, nextMatching(viewer, ServerMessage::hasError).getError().getCode());
    assertEquals(ErrorCode.FORBIDDEN, refused(s.room(), r -> new RoomCommand.SetAiPolicy(s.writer(), true,
        (ActorRef<Result<Boolean>>) (ActorRef<?>) r)));
    assertTrue(RoomEntityTest.<Boolean>ask(s.room(), r -> new RoomCommand.SetAiPolicy(s.showrunner(), true, r)));
    s.room().tell(new RoomCommand.AskAi(viewer.getRef(), askFor(doc, "FADE IN:", "summarise").build(), 4));
    String jobId = nextMatching(viewer, m -> m.hasAck() && m.getRequestId() == 4).getAck().getJobId();
    assertEquals(jobId, ai.nextJob().jobId());

    // a selection that is not in the script, and a request without a task, are refused
    s.room().tell(new RoomCommand.AskAi(writer.getRef(), askFor(doc, "FADE IN:", "").build(), 5));
    assertEquals(ErrorCode.BAD_FRAME, nextMatching(writer, m -> m.hasError() && m.getRequestId() == 5).getError().getCode());
    s.room().tell(new RoomCommand.AskAi(writer.getRef(), askFor(doc, "FADE IN:", "../../etc/passwd").build(), 7));
    ServerMessage unknownTask = nextMatching(writer, m -> m.hasError() && m.getRequestId() == 7);
    assertEquals(ErrorCode.BAD_FRAME, unknownTask.getError().getCode());
    assertTrue(unknownTask.getError().getMessage().startsWith("There is no task \"../../etc/passwd\"; the tasks are alternatives, "),
        unknownTask.getError().getMessage());
    s.room().tell(new RoomCommand.AskAi(writer.getRef(), dev.roomtone.protocol.v1.AiRequest.newBuilder().setTask("summarise")
        .setAnchorStart(com.google.protobuf.ByteString.copyFrom(new byte[] {9})).build(), 6));
    assertEquals(ErrorCode.NOT_FOUND, nextMatching(writer, m -> m.hasError() && m.getRequestId() == 6).getError().getCode());

    // only the requester or the showrunner cancels
    s.room().tell(new RoomCommand.CancelAi(writer.getRef(), jobId, 8));
    assertEquals(ErrorCode.FORBIDDEN, nextMatching(writer, m -> m.hasError() && m.getRequestId() == 8).getError().getCode());
    s.room().tell(new RoomCommand.CancelAi(showrunner.getRef(), jobId, 9));
    nextMatching(showrunner, m -> m.hasAck() && m.getRequestId() == 9);
    assertEquals(s.showrunner(), nextMatching(viewer, m -> m.hasAiJob() && m.getAiJob().hasCancelled())
        .getAiJob().getCancelled().getByMemberId());
    assertEquals(List.of(jobId + " by " + s.showrunner()), ai.cancelled);
    // a cancelled job cannot be cancelled again
    s.room().tell(new RoomCommand.CancelAi(showrunner.getRef(), jobId, 10));
    assertEquals(ErrorCode.NOT_FOUND, nextMatching(showrunner, m -> m.hasError() && m.getRequestId() == 10).getError().getCode());
  }

  // ---- approving suggestions

  private static final String DINER = "INT. DINER - NIGHT\n\nMAYA\nI never wanted the money.\n\nBEN\nNobody does.\n";
  private static final String LINE = "I never wanted the money.";

  /** A room whose script is {@link #DINER}, with its showrunner connected. */
  private record Ledger(Setup setup, YDoc writerDoc, TestProbe<SessionOut> showrunner) {

    /** Proposes what a finished {@code task} job would, for {@code selected} as it stands in the script. */
    dev.roomtone.protocol.v1.Suggestion propose(String task, String selected, String proposal) {
      var anchors = askFor(writerDoc, selected, task).build();
      var draft = dev.roomtone.protocol.v1.Suggestion.newBuilder().setTask(task).setRequesterMemberId(setup.writer())
          .setModel("tiny").setBackend("in-process").setAnchorStart(anchors.getAnchorStart())
          .setAnchorEnd(anchors.getAnchorEnd()).setOriginalText(selected).setProposedText(proposal).build();
      return RoomEntityTest.<dev.roomtone.protocol.v1.Suggestion>ask(setup.room(), r -> new RoomCommand.Propose(draft, r));
    }

    /** The showrunner's decision, and the room's answer to it: an ack or an error. */
    ServerMessage decide(dev.roomtone.protocol.v1.Suggestion s, boolean approve, String edited) throws Exception {
      long id = ++decisions;
      setup.room().tell(new RoomCommand.Decide(showrunner.getRef(), dev.roomtone.protocol.v1.SuggestionDecision.newBuilder()
          .setSuggestionId(s.getSuggestionId()).setApprove(approve).setEditedText(edited).build(), id));
      return nextMatching(showrunner, m -> (m.hasAck() || m.hasError()) && m.getRequestId() == id);
    }

    List<String> disclosed() {
      return RoomEntityTest.<List<RoomCommand.DisclosedPassage>>ask(setup.room(),
          r -> new RoomCommand.Disclosure(setup.showrunner(), r)).stream().map(RoomCommand.DisclosedPassage::text).toList();
    }
  }

  private static long decisions;

  private static Ledger ledger() throws Exception {
    Setup s = room();
    YDoc writerDoc = new YDoc(8);
    writerDoc.getText("script").insert(0, DINER);
    TestProbe<SessionOut> writer = connect(s.room(), s.writer());
    s.room().tell(new RoomCommand.Edit(writer.getRef(), writerDoc.encodeStateAsUpdate(), 1));
    nextMatching(writer, ServerMessage::hasAck);
    return new Ledger(s, writerDoc, connect(s.room(), s.showrunner()));
  }

  @Test
  void approvedTextEntersTheScriptWithPlainLineBreaksAndNoControlCharacters() throws Exception {
    Ledger l = ledger();
    var s = l.propose("rewrite", LINE, "Money?\r\nI wanted\u0000 out.\rFor good.\u0007\tTruly.");
    assertTrue(l.decide(s, true, "").hasAck());
    assertEquals(DINER.replace(LINE, "Money?\nI wanted out.\nFor good.\tTruly."), scriptOf(l.setup().room()));
  }

  @Test
  void approvingARewriteReplacesTheSelection() throws Exception {
    for (String task : List.of("punch_up", "rewrite", "an-old-task")) {
      Ledger l = ledger();
      var s = l.propose(task, LINE, "Money? I wanted out.");
      assertTrue(l.decide(s, true, "").hasAck(), task);
      assertEquals(DINER.replace(LINE, "Money? I wanted out."), scriptOf(l.setup().room()), task);
      assertEquals(List.of("Money? I wanted out."), l.disclosed(), task);
    }
  }

  @Test
  void approvingWhatBuildsOnTheSelectionWritesItAfterTheSelectionAsParagraphsOfItsOwn() throws Exception {
    for (String task : List.of("continue_scene", "beat_sheet", "outline", "scenes", "dialogue")) {
      Ledger l = ledger();
      var s = l.propose(task, LINE, "She slides the keys across.");
      assertTrue(l.decide(s, true, "").hasAck(), task);
      assertEquals(DINER.replace(LINE, LINE + "\n\nShe slides the keys across."), scriptOf(l.setup().room()), task);
      assertEquals(List.of("She slides the keys across."), l.disclosed(), task + ": the selection is not the model's");
    }

    // Fountain separates elements by a blank line: one is added where the script or the text lacks it,
    // so the inserted cue reads as a cue; a selection that ends mid-line is not run into either
    Ledger lines = ledger();
    var whole = lines.propose("continue_scene", "MAYA\n" + LINE + "\n", "BEN\nNobody does.");
    assertTrue(lines.decide(whole, true, "BEN\nSays who?\n").hasAck());
    assertEquals(DINER.replace(LINE + "\n", LINE + "\n\nBEN\nSays who?\n"), scriptOf(lines.setup().room()));
    assertEquals(List.of("BEN\nSays who?\n"), lines.disclosed());
    Ledger midLine = ledger();
    var part = midLine.propose("dialogue", "I never wanted", "MAYA\nNot like this.");
    assertTrue(midLine.decide(part, true, "").hasAck());
    assertEquals(DINER.replace(LINE, "I never wanted\n\nMAYA\nNot like this.\n\n the money."), scriptOf(midLine.setup().room()));

    // the selection must still read as the model saw it
    Ledger stale = ledger();
    var late = stale.propose("continue_scene", LINE, "She slides the keys across.");
    TestProbe<SessionOut> writer = connect(stale.setup().room(), stale.setup().writer());
    var script = stale.writerDoc().getText("script");
    List<byte[]> edits = new java.util.ArrayList<>();
    try (var sub = stale.writerDoc().onUpdate((u, o, t) -> edits.add(u))) {
      script.insert(script.toString().indexOf("money"), "dirty ");
    }
    stale.setup().room().tell(new RoomCommand.Edit(writer.getRef(), edits.get(0), 2));
    nextMatching(writer, m -> m.hasAck() && m.getRequestId() == 2);
    assertTrue(stale.decide(late, true, "").hasAck());
    var decided = nextMatching(stale.showrunner(), m -> m.hasSuggestion()
        && m.getSuggestion().getSuggestion().getSuggestionId().equals(late.getSuggestionId())).getSuggestion().getSuggestion();
    assertEquals(dev.roomtone.protocol.v1.Suggestion.Status.STATUS_STALE, decided.getStatus());
    assertEquals(DINER.replace("the money", "the dirty money"), scriptOf(stale.setup().room()));
  }

  @Test
  void approvingASummaryOrLoglineRecordsTheDecisionAndLeavesTheScriptAlone() throws Exception {
    for (String task : List.of("summarise", "logline")) {
      Ledger l = ledger();
      var s = l.propose(task, LINE, "A diner owner turns down the money.");
      assertTrue(l.decide(s, true, "").hasAck(), task);
      var decided = nextMatching(l.showrunner(), m -> m.hasSuggestion()
          && m.getSuggestion().getSuggestion().getSuggestionId().equals(s.getSuggestionId())).getSuggestion().getSuggestion();
      assertEquals(dev.roomtone.protocol.v1.Suggestion.Status.STATUS_APPROVED, decided.getStatus(), task);
      assertEquals(DINER, scriptOf(l.setup().room()), task);
      assertEquals(List.of(), l.disclosed(), task);
    }
  }

  @Test
  void alternativesAreApprovedOneAtATimeNeverAsTheWholeList() throws Exception {
    Ledger l = ledger();
    var s = l.propose("alternatives", LINE, "1. Money? I wanted out.\n2. Keep it.\n3. I wanted a door.");
    ServerMessage refused = l.decide(s, true, "");
    assertEquals(ErrorCode.BAD_FRAME, refused.getError().getCode());
    assertEquals("Choose one of the alternatives to approve: send it as the edited text.", refused.getError().getMessage());
    assertTrue(!refused.getError().getFatal());
    assertEquals(DINER, scriptOf(l.setup().room()));
    // still pending, as a member connecting now is told, and the showrunner can still choose
    TestProbe<SessionOut> late = connect(l.setup().room(), l.setup().viewer());
    var known = nextMatching(late, ServerMessage::hasSuggestion).getSuggestion().getSuggestion();
    assertEquals(s.getSuggestionId(), known.getSuggestionId());
    assertEquals(dev.roomtone.protocol.v1.Suggestion.Status.STATUS_PENDING, known.getStatus());

    assertTrue(l.decide(s, true, "Keep it.").hasAck());
    assertEquals(DINER.replace(LINE, "Keep it."), scriptOf(l.setup().room()));
    assertEquals(List.of("Keep it."), l.disclosed());
  }
}
