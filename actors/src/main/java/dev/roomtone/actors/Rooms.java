package dev.roomtone.actors;

import dev.roomtone.actors.ai.AiAssistant;
import dev.roomtone.actors.room.HeldConnections;
import dev.roomtone.actors.room.RoomCommand;
import dev.roomtone.actors.room.RoomEntity;
import dev.roomtone.actors.room.RoomSettings;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Routes commands to the room they name, starting the room's actor on first use. Rooms restart
 * (recovering from their journal) if they fail. This is the piece that becomes Cluster Sharding
 * when rooms spread over several nodes.
 */
public final class Rooms {

  /** A command for one room. */
  public record Envelope(String roomId, RoomCommand command) {
  }

  /**
   * The rooms whose actors run, shared with the senders of frequent commands (a connection's
   * edits and presence): they tell a running room's actor directly instead of through the router,
   * one actor hop less per message, and no single actor that every room's traffic crosses.
   */
  public static final class Running {
    private final Map<String, ActorRef<RoomCommand>> rooms = new ConcurrentHashMap<>();

    /**
     * Tells the room directly when it runs; otherwise through {@code router}, which starts it.
     * One sender's commands keep their order if, after a command of its went through the router,
     * it sends nothing more until the room has answered that command. A session does this: before
     * the room answers its {@code Connect}, it sends the room nothing else.
     */
    public void tell(ActorRef<Envelope> router, String roomId, RoomCommand command) {
      ActorRef<RoomCommand> room = rooms.get(roomId);
      if (room != null) {
        room.tell(command);
      } else {
        router.tell(new Envelope(roomId, command));
      }
    }

    boolean runs(String roomId) {
      return rooms.containsKey(roomId);
    }
  }

  private Rooms() {
  }

  /** The router; the rooms' AI jobs are run by {@code assistant}, and each running room is listed in {@code running}. */
  public static Behavior<Envelope> create(RoomSettings settings, Clock clock, RandomGenerator random, SecureRandom secrets,
                                          AiAssistant assistant, Running running) {
    return Behaviors.setup(ctx -> {
      Map<String, ActorRef<RoomCommand>> rooms = new HashMap<>();
      // per room, for as long as the server runs: outlives the room's restarts and stops
      Map<String, HeldConnections> held = new HashMap<>();
      return Behaviors.receive(Envelope.class)
          .onMessage(Envelope.class, env -> {
            ActorRef<RoomCommand> room = rooms.get(env.roomId());
            if (room == null) {
              HeldConnections connections = held.computeIfAbsent(env.roomId(), id -> new HeldConnections());
              Behavior<RoomCommand> behavior = Behaviors.supervise(
                      RoomEntity.create(env.roomId(), settings, clock, random, secrets, assistant, connections))
                  .onFailure(SupervisorStrategy.restartWithBackoff(java.time.Duration.ofMillis(200),
                      java.time.Duration.ofSeconds(10), 0.2));
              room = ctx.spawn(behavior, "room-" + env.roomId());
              ctx.watch(room);
              rooms.put(env.roomId(), room);
              running.rooms.put(env.roomId(), room);
            }
            room.tell(env.command());
            return Behaviors.same();
          })
          .onSignal(Terminated.class, t -> {
            // unlisted first: whatever its sessions send from here on comes through this router
            running.rooms.values().removeIf(r -> r.equals(t.getRef()));
            // a room stops when its journal fails a write; its connections are told to reconnect
            // (which starts it again) instead of waiting on a room that is gone
            rooms.entrySet().removeIf(e -> {
              boolean stopped = e.getValue().equals(t.getRef());
              if (stopped) {
                held.get(e.getKey()).tellAllToRejoin();
              }
              return stopped;
            });
            return Behaviors.same();
          })
          .build();
    });
  }
}
