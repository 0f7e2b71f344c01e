package dev.roomtone.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Roomtone server: its actor system and its HTTP binding, started and stopped together.
 */
public final class RoomtoneServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RoomtoneServer.class);

  // Requests in flight get this long to finish when the server stops.
  private static final Duration DRAIN_DEADLINE = Duration.ofSeconds(10);
  private static final Duration BIND_TIMEOUT = Duration.ofSeconds(30);

  private final ActorSystem<Void> system;
  private final URI uri;

  private RoomtoneServer(ActorSystem<Void> system, URI uri) {
    this.system = system;
    this.uri = uri;
  }

  /**
   * Starts the server on {@code host:port}; port 0 picks a free port (see {@link #uri()}).
   *
   * @throws ListenFailedException if the address cannot be bound, e.g. the port is taken
   */
  public static RoomtoneServer start(String host, int port) throws ListenFailedException {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "roomtone");
    HttpApi api = new HttpApi(new ObjectMapper(), RoomtoneVersion.current());
    ServerBinding binding;
    try {
      binding = Http.get(system).newServerAt(host, port).bind(api.routes())
          .toCompletableFuture()
          .get(BIND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException | CompletionException | TimeoutException e) {
      stop(system);
      throw new ListenFailedException(explainBindFailure(host, port, e), e);
    } catch (InterruptedException e) {
      stop(system);
      Thread.currentThread().interrupt();
      throw new ListenFailedException("Interrupted while starting to listen", e);
    }

    // On SIGINT/SIGTERM Pekko's JVM shutdown hook runs CoordinatedShutdown: stop accepting
    // connections, let requests in flight finish, then terminate the actor system.
    binding.addToCoordinatedShutdown(DRAIN_DEADLINE, system);
    CoordinatedShutdown.get(system).addTask(
        CoordinatedShutdown.PhaseBeforeServiceUnbind(), "log-stopping", () -> {
          LOG.info("Roomtone stopping");
          return CompletableFuture.completedFuture(Done.getInstance());
        });

    InetSocketAddress bound = binding.localAddress();
    URI uri = URI.create("http://" + hostForUri(host) + ":" + bound.getPort());
    LOG.info("Roomtone listening on {}", uri);
    return new RoomtoneServer(system, uri);
  }

  /** The base URI clients use, with the real port when the server was started on port 0. */
  public URI uri() {
    return uri;
  }

  /** Blocks until the server has stopped, whether by {@link #close()} or by a signal. */
  public void awaitTermination() {
    system.getWhenTerminated().toCompletableFuture().join();
  }

  /** Stops accepting connections, lets requests in flight finish, and stops the actor system. */
  @Override
  public void close() {
    stop(system);
  }

  // Terminating the actor system runs CoordinatedShutdown, the same path a signal takes, so the
  // binding registered there is unbound and drained first.
  private static void stop(ActorSystem<Void> system) {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().join();
  }

  private static String hostForUri(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  private static String explainBindFailure(String host, int port, Exception failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return "Cannot listen on " + host + ":" + port + ": " + t.getMessage()
            + ". Is another Roomtone running? Stop it, or choose another port with --port.";
      }
    }
    Throwable root = failure;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return "Cannot listen on " + host + ":" + port + ": " + root;
  }
}
