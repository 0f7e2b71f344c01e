package dev.roomtone.actors.directory;

import dev.roomtone.actors.Result;
import dev.roomtone.protocol.v1.ErrorCode;
import dev.roomtone.protocol.v1.events.DirectoryEvent;
import dev.roomtone.protocol.v1.events.DirectorySnapshot;
import dev.roomtone.protocol.v1.events.RoomRegistered;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/** Which rooms exist on this server: unknown room ids are answered without starting a room. */
public final class RoomDirectory
    extends EventSourcedBehavior<RoomDirectory.Command, DirectoryEvent, RoomDirectory.Rooms> {

  public sealed interface Command {
  }

  /** Records a new room; refused when the server already holds its limit of rooms. */
  public record Register(String roomId, String name, ActorRef<Result<String>> replyTo) implements Command {
  }

  public record Lookup(String roomId, ActorRef<Boolean> replyTo) implements Command {
  }

  /** The room's name as it was registered; empty when there is no such room. */
  public record NameOf(String roomId, ActorRef<Optional<String>> replyTo) implements Command {
  }

  public record Count(ActorRef<Integer> replyTo) implements Command {
  }

  /** The room's new name, as its room actor accepted it. */
  public record Rename(String roomId, String name, ActorRef<Boolean> replyTo) implements Command {
  }

  /** The rooms known, by id, with their names. */
  public static final class Rooms {
    private final Map<String, String> names = new LinkedHashMap<>();

    Rooms apply(DirectoryEvent event) {
      if (event.hasRegistered()) {
        names.put(event.getRegistered().getRoomId(), event.getRegistered().getName());
      } else if (event.hasRenamed()) {
        names.replace(event.getRenamed().getRoomId(), event.getRenamed().getName());
      }
      return this;
    }

    public Map<String, String> names() {
      return Collections.unmodifiableMap(names);
    }
  }

  private final int maxRooms;
  private final Clock clock;

  public static Behavior<Command> create(int maxRooms, Clock clock) {
    return new RoomDirectory(maxRooms, clock);
  }

  private RoomDirectory(int maxRooms, Clock clock) {
    super(PersistenceId.ofUniqueId("room-directory"));
    this.maxRooms = maxRooms;
    this.clock = clock;
  }

  @Override
  public Rooms emptyState() {
    return new Rooms();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(200, 2).withDeleteEventsOnSnapshot();
  }

  @Override
  public SnapshotAdapter<Rooms> snapshotAdapter() {
    return new SnapshotAdapter<>() {
      @Override
      public Object toJournal(Rooms state) {
        DirectorySnapshot.Builder b = DirectorySnapshot.newBuilder();
        state.names.forEach((id, name) -> b.addRooms(RoomRegistered.newBuilder().setRoomId(id).setName(name)));
        return b.build();
      }

      @Override
      public Rooms fromJournal(Object from) {
        Rooms rooms = new Rooms();
        for (RoomRegistered r : ((DirectorySnapshot) from).getRoomsList()) {
          rooms.names.put(r.getRoomId(), r.getName());
        }
        return rooms;
      }
    };
  }

  @Override
  public EventHandler<Rooms, DirectoryEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(Rooms::apply);
  }

  @Override
  public CommandHandler<Command, DirectoryEvent, Rooms> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Register.class, this::onRegister)
        .onCommand(Lookup.class, (state, cmd) -> {
          cmd.replyTo().tell(state.names.containsKey(cmd.roomId()));
          return Effect().none();
        })
        .onCommand(NameOf.class, (state, cmd) -> {
          cmd.replyTo().tell(Optional.ofNullable(state.names.get(cmd.roomId())));
          return Effect().none();
        })
        .onCommand(Rename.class, (state, cmd) -> {
          if (!state.names.containsKey(cmd.roomId())) {
            cmd.replyTo().tell(false);
            return Effect().none();
          }
          return Effect().persist(DirectoryEvent.newBuilder().setAt(clock.millis()).setRenamed(RoomRegistered.newBuilder()
              .setRoomId(cmd.roomId()).setName(cmd.name())).build()).thenRun(s -> cmd.replyTo().tell(true));
        })
        .onCommand(Count.class, (state, cmd) -> {
          cmd.replyTo().tell(state.names.size());
          return Effect().none();
        })
        .build();
  }

  private Effect<DirectoryEvent, Rooms> onRegister(Rooms state, Register cmd) {
    if (state.names.containsKey(cmd.roomId())) {
      cmd.replyTo().tell(Result.refused(ErrorCode.LIMIT_REACHED, "Room " + cmd.roomId() + " already exists."));
      return Effect().none();
    }
    if (state.names.size() >= maxRooms) {
      cmd.replyTo().tell(Result.refused(ErrorCode.LIMIT_REACHED, "This server already holds its limit of " + maxRooms
          + " rooms; ask the operator to raise roomtone.limits.rooms."));
      return Effect().none();
    }
    DirectoryEvent e = DirectoryEvent.newBuilder().setAt(clock.millis())
        .setRegistered(RoomRegistered.newBuilder().setRoomId(cmd.roomId()).setName(cmd.name())).build();
    return Effect().persist(e).thenRun(s -> cmd.replyTo().tell(Result.ok(cmd.roomId())));
  }
}
