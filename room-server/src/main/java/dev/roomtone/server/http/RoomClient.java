package dev.roomtone.server.http;

import dev.roomtone.actors.Result;
import dev.roomtone.actors.Rooms;
import dev.roomtone.actors.directory.RoomDirectory;
import dev.roomtone.actors.room.RoomCommand;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/** Asks rooms and the directory on behalf of HTTP requests. */
public final class RoomClient {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final ActorSystem<?> system;
  private final ActorRef<Rooms.Envelope> rooms;
  private final ActorRef<RoomDirectory.Command> directory;

  public RoomClient(ActorSystem<?> system, ActorRef<Rooms.Envelope> rooms, ActorRef<RoomDirectory.Command> directory) {
    this.system = system;
    this.rooms = rooms;
    this.directory = directory;
  }

  public ActorRef<Rooms.Envelope> rooms() {
    return rooms;
  }

  public <T> CompletionStage<Result<T>> ask(String roomId, Function<ActorRef<Result<T>>, RoomCommand> command) {
    return AskPattern.ask(rooms, replyTo -> new Rooms.Envelope(roomId, command.apply(replyTo)), TIMEOUT, system.scheduler());
  }

  public CompletionStage<Result<String>> register(String roomId, String name) {
    return AskPattern.ask(directory, replyTo -> new RoomDirectory.Register(roomId, name, replyTo), TIMEOUT, system.scheduler());
  }

  public CompletionStage<Boolean> exists(String roomId) {
    return AskPattern.ask(directory, replyTo -> new RoomDirectory.Lookup(roomId, replyTo), TIMEOUT, system.scheduler());
  }

  /** The room's name; empty when there is no such room. */
  public CompletionStage<Optional<String>> name(String roomId) {
    return AskPattern.ask(directory, replyTo -> new RoomDirectory.NameOf(roomId, replyTo), TIMEOUT, system.scheduler());
  }

  public CompletionStage<Boolean> renamed(String roomId, String name) {
    return AskPattern.ask(directory, replyTo -> new RoomDirectory.Rename(roomId, name, replyTo), TIMEOUT, system.scheduler());
  }

  public CompletionStage<Integer> count() {
    return AskPattern.ask(directory, RoomDirectory.Count::new, TIMEOUT, system.scheduler());
  }
}
