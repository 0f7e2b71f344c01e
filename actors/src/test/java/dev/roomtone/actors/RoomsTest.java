package dev.roomtone.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.roomtone.actors.ai.AiAssistant;
import dev.roomtone.actors.room.ProtobufCodec;
import dev.roomtone.actors.room.RoomCommand;
import dev.roomtone.actors.room.RoomSettings;
import dev.roomtone.actors.room.SessionOut;
import dev.roomtone.protocol.v1.Limits;
import dev.roomtone.script.crdt.YDoc;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The router and the list of running rooms that lets frequent senders skip it. */
class RoomsTest {

  private static final Config CONFIG = PersistenceTestKitPlugin.getInstance().config()
      .withFallback(PersistenceTestKitSnapshotPlugin.config())
      .withFallback(ConfigFactory.parseString("pekko.actor.serialize-messages = off"))
      .withFallback(ConfigFactory.load());
  private static final ActorTestKit KIT = ActorTestKit.create(CONFIG);

  @AfterAll
  static void shutdown() {
    KIT.shutdownTestKit();
  }

  @Test
  void aSessionsCommandsReachItsRoomInOrderOnceTheRoomRunsAndSkipTheRouter() {
    Rooms.Running running = new Rooms.Running();
    ActorRef<Rooms.Envelope> router = KIT.spawn(Rooms.create(
        new RoomSettings(3, 10, 1024, 5, Duration.ofDays(7), Duration.ofSeconds(5)), Clock.systemUTC(),
        new SplittableRandom(7), new SecureRandom(), AiAssistant.unavailable(), running));
    assertFalse(running.runs("pilot"), "no room runs before a command names it");
    TestProbe<Result<RoomCommand.MemberView>> probe = KIT.createTestProbe();
    // as a session does: the first command starts the room through the router, and nothing more
    // is sent until it is answered
    running.tell(router, "pilot", new RoomCommand.Create("Pilot", "Maya", probe.getRef()));
    Result<RoomCommand.MemberView> created = probe.receiveMessage(Duration.ofSeconds(10));
    String showrunner = ((Result.Ok<RoomCommand.MemberView>) assertInstanceOf(Result.Ok.class, created)).value().memberId();
    assertTrue(running.runs("pilot"), "a started room is listed, so its connections skip the router");
    // the answers come back in the order the room handled the commands: a member and a stranger
    // in a fixed pattern, so any command that overtook another would break it
    int checks = 2_000;
    for (int i = 0; i < checks; i++) {
      running.tell(router, "pilot", new RoomCommand.CheckMember(i % 3 == 0 ? showrunner : "stranger", probe.getRef()));
    }
    for (int i = 0; i < checks; i++) {
      Result<RoomCommand.MemberView> answer = probe.receiveMessage(Duration.ofSeconds(10));
      Class<?> expected = i % 3 == 0 ? Result.Ok.class : Result.Refused.class;
      assertInstanceOf(expected, answer, "answer " + i);
    }
    // another room is started by the first command that names it, whoever sends it
    TestProbe<Result<RoomCommand.MemberView>> other = KIT.createTestProbe();
    running.tell(router, "finale", new RoomCommand.Create("Finale", "Ana", other.getRef()));
    assertEquals("Ana", ((Result.Ok<RoomCommand.MemberView>) assertInstanceOf(Result.Ok.class,
        other.receiveMessage(Duration.ofSeconds(10)))).value().displayName());
    assertTrue(running.runs("finale"));
  }

  /**
   * A room stops when its journal fails a write. Its connections are told to reconnect at once
   * (a reader would otherwise wait on a room that is gone), and the next command starts it again.
   */
  @Test
  void aRoomThatStoppedHasItsConnectionsToldToReconnect() throws Exception {
    Rooms.Running running = new Rooms.Running();
    ActorRef<Rooms.Envelope> router = KIT.spawn(Rooms.create(
        new RoomSettings(3, 10, 1024, 5, Duration.ofDays(7), Duration.ofSeconds(5)), Clock.systemUTC(),
        new SplittableRandom(8), new SecureRandom(), AiAssistant.unavailable(), running));
    TestProbe<Result<RoomCommand.MemberView>> probe = KIT.createTestProbe();
    running.tell(router, "outage", new RoomCommand.Create("Outage", "Maya", probe.getRef()));
    String showrunner = ((Result.Ok<RoomCommand.MemberView>) assertInstanceOf(Result.Ok.class,
        probe.receiveMessage(Duration.ofSeconds(10)))).value().memberId();
    TestProbe<SessionOut> editor = KIT.createTestProbe();
    TestProbe<SessionOut> reader = KIT.createTestProbe();
    for (TestProbe<SessionOut> session : List.of(editor, reader)) {
      running.tell(router, "outage", new RoomCommand.Connect(showrunner, session.getRef(), ProtobufCodec.INSTANCE,
          Limits.getDefaultInstance(), probe.getRef()));
      assertInstanceOf(Result.Ok.class, probe.receiveMessage(Duration.ofSeconds(10)));
    }
    PersistenceTestKit.create(KIT.system()).failNextPersisted();
    YDoc doc = new YDoc(3);
    doc.getText("script").insert(0, "FADE IN:");
    running.tell(router, "outage", new RoomCommand.Edit(editor.getRef(), doc.encodeStateAsUpdate(), 1));
    for (TestProbe<SessionOut> session : List.of(editor, reader)) {
      SessionOut rejoin = session.fishForMessage(Duration.ofSeconds(10), m -> m instanceof SessionOut.Rejoin
          ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore()).get(0);
      assertTrue(((SessionOut.Rejoin) rejoin).reason().startsWith("The room restarted"), rejoin.toString());
    }
    // started again by the next command, from its journal
    running.tell(router, "outage", new RoomCommand.CheckMember(showrunner, probe.getRef()));
    assertInstanceOf(Result.Ok.class, probe.receiveMessage(Duration.ofSeconds(10)));
  }
}
