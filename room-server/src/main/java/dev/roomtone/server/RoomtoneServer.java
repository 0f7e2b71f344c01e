package dev.roomtone.server;

import com.typesafe.config.Config;
import dev.roomtone.actors.Ids;
import dev.roomtone.actors.Result;
import dev.roomtone.actors.Rooms;
import dev.roomtone.actors.ai.AiAssistant;
import dev.roomtone.gpu.PrometheusSchedulerMetrics;
import dev.roomtone.multimodal.backend.ImageBackend;
import dev.roomtone.multimodal.engine.tensor.CpuKernels;
import dev.roomtone.server.ai.AiModels;
import dev.roomtone.server.ai.AssetStore;
import dev.roomtone.server.ai.ServerAssistant;
import dev.roomtone.actors.directory.RoomDirectory;
import dev.roomtone.actors.room.RoomCommand;
import dev.roomtone.gpu.device.DeviceDiscovery;
import dev.roomtone.gpu.device.Discovery;
import dev.roomtone.server.auth.TokenKey;
import dev.roomtone.server.auth.Tokens;
import dev.roomtone.server.config.ServerConfig;
import dev.roomtone.server.http.Json;
import dev.roomtone.server.http.RoomApi;
import dev.roomtone.server.http.RoomClient;
import dev.roomtone.server.http.ServerMetrics;
import dev.roomtone.server.http.Sockets;
import dev.roomtone.server.persistence.Database;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.ServerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Roomtone server: its database, its actor system (rooms and their directory) and its
 * HTTP binding, started and stopped together.
 */
public final class RoomtoneServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RoomtoneServer.class);

  // Requests in flight get this long to finish when the server stops.
  private static final Duration DRAIN_DEADLINE = Duration.ofSeconds(10);
  private static final Duration BIND_TIMEOUT = Duration.ofSeconds(30);

  private final ActorSystem<Void> system;
  private final URI uri;
  private final RoomClient client;
  private final Tokens tokens;
  private final String publicUrl;
  private final ServerConfig config;
  private final AiAssistant assistant;

  private RoomtoneServer(ActorSystem<Void> system, URI uri, RoomClient client, Tokens tokens, String publicUrl,
                         ServerConfig config, AiAssistant assistant) {
    this.assistant = assistant;
    this.system = system;
    this.uri = uri;
    this.client = client;
    this.tokens = tokens;
    this.publicUrl = publicUrl;
    this.config = config;
  }

  /** Where this server keeps its data. */
  public java.nio.file.Path dataDir() {
    return config.dataDir();
  }

  /** What runs the rooms' AI jobs. */
  public AiAssistant assistant() {
    return assistant;
  }

  /** The settings this server runs with. */
  public ServerConfig config() {
    return config;
  }

  /** H2's code for a database file another process holds open (org.h2.api.ErrorCode.DATABASE_ALREADY_OPEN_1). */
  private static final int H2_DATABASE_ALREADY_OPEN = 90020;

  /** The problem that kept the server from starting, worded for the operator. */
  public static final class StartFailedException extends Exception {
    public StartFailedException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private record Refs(ActorRef<Rooms.Envelope> rooms, ActorRef<RoomDirectory.Command> directory, AiAssistant ai) {
  }

  /**
   * Starts the server as configured; port 0 picks a free port (see {@link #uri()}).
   *
   * @throws ListenFailedException if the address cannot be bound, e.g. the port is taken
   * @throws StartFailedException  if the data directory, database or key cannot be prepared
   */
  public static RoomtoneServer start(ServerConfig config) throws ListenFailedException, StartFailedException {
    return start(config, null);
  }

  /**
   * The same, with the rooms' AI jobs run by {@code assistant}; null runs them as {@code roomtone.ai}
   * configures (on the scheduler and the configured models), or refuses them if nothing is.
   */
  public static RoomtoneServer start(ServerConfig config, AiAssistant assistant)
      throws ListenFailedException, StartFailedException {
    Clock clock = Clock.systemUTC();
    List<ServerAssistant.TextModel> models;
    ImageBackend images;
    AssetStore assets = new AssetStore(config.dataDir().resolve("assets"));
    // discovery opens native libraries and may take a second or two: it runs beside the start,
    // and only an in-process engine model waits for it (its device comes from this list)
    CompletableFuture<Discovery> devices = CompletableFuture.supplyAsync(() -> new DeviceDiscovery().discover());
    try {
      models = assistant != null ? List.of()
          : AiModels.open(config.raw().getConfig("roomtone"), config.dataDir(), devices::join);
      images = assistant != null ? null : AiModels.imageServer(config.raw().getConfig("roomtone"));
    } catch (IllegalArgumentException e) {
      throw new StartFailedException(e.getMessage(), e);
    }
    Database database = new Database(config.database(), config.dataDir());
    byte[] key;
    try {
      Files.createDirectories(config.dataDir());
      key = TokenKey.load(config.security().tokenSecret(), config.dataDir());
      database.createSchema();
    } catch (IOException e) {
      throw new StartFailedException("Cannot prepare the data directory " + config.dataDir().toAbsolutePath() + ": " + e.getMessage(), e);
    } catch (SQLException e) {
      if (e.getErrorCode() == H2_DATABASE_ALREADY_OPEN) {
        throw new StartFailedException("Another Roomtone is already using the database in "
            + config.dataDir().toAbsolutePath() + " (" + database.describe() + "). Stop it first, or give this one a "
            + "data directory of its own with --data-dir.", e);
      }
      throw new StartFailedException("Cannot open the database (" + database.describe() + "): " + e.getMessage(), e);
    }
    Tokens tokens = new Tokens(key, clock, config.security().tokenValidity());
    SecureRandom random = new SecureRandom();

    ServerMetrics metrics = new ServerMetrics();
    Config pekkoConfig = database.pekkoConfig().withFallback(config.raw());
    CompletableFuture<Refs> refs = new CompletableFuture<>();
    Rooms.Running running = new Rooms.Running();
    ActorSystem<Void> system = ActorSystem.create(Behaviors.setup(ctx -> {
      ActorRef<RoomDirectory.Command> directory = ctx.spawn(Behaviors.supervise(
              RoomDirectory.create(config.limits().rooms(), clock))
          .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2)), "directory");
      AiAssistant ai = assistant != null ? assistant
          : models.isEmpty() ? AiAssistant.unavailable() : ServerAssistant.start(ctx, models, images, assets, clock,
              new PrometheusSchedulerMetrics(metrics.registry(), clock, Duration.ofMinutes(5)));
      ActorRef<Rooms.Envelope> rooms = ctx.spawn(Rooms.create(config.limits().roomSettings(), clock, random, random, ai, running),
          "rooms");
      refs.complete(new Refs(rooms, directory, ai));
      return Behaviors.<Void>empty();
    }), "roomtone", pekkoConfig);

    Refs r = refs.join();
    RoomClient client = new RoomClient(system, r.rooms(), r.directory());
    String scheme = config.tls().enabled() ? "https" : "http";

    ServerBinding binding;
    try {
      ServerBuilder builder = Http.get(system).newServerAt(config.host(), config.port());
      if (config.tls().enabled()) {
        builder = builder.enableHttps(ConnectionContext.httpsServer(sslContext(config.tls())));
      }
      // the port is known only once bound, and links need it: the routes read the base URL late
      AtomicReference<String> publicBase = new AtomicReference<>(stripSlash(config.publicUrl()));
      RoomApi roomApi = new RoomApi(Json.mapper(), client, tokens,
          new Sockets(system, r.rooms(), running, tokens, config.limits().sessionSettings(), clock, metrics),
          new Ids(random), publicBase::get, config.security().allowedOrigins(), config.limits().requestBytes(), metrics, assets);
      HttpApi api = new HttpApi(Json.mapper(), RoomtoneVersion.current(), roomApi, metrics, devices);
      binding = builder.bind(api.routes())
          .toCompletableFuture()
          .get(BIND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if (publicBase.get().isBlank()) {
        publicBase.set(scheme + "://" + hostForUri(config.host()) + ":" + binding.localAddress().getPort());
      }
    } catch (ExecutionException | CompletionException | TimeoutException e) {
      stop(system);
      throw new ListenFailedException(explainBindFailure(config.host(), config.port(), e), e);
    } catch (InterruptedException e) {
      stop(system);
      Thread.currentThread().interrupt();
      throw new ListenFailedException("Interrupted while starting to listen", e);
    } catch (GeneralSecurityException | IOException e) {
      stop(system);
      throw new StartFailedException("Cannot load the TLS key store " + config.tls().keystore() + ": " + e.getMessage(), e);
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
    URI uri = URI.create(scheme + "://" + hostForUri(config.host()) + ":" + bound.getPort());
    LOG.info("Roomtone listening on {}", uri);
    LOG.info("Data in {}, rooms stored in {}", config.dataDir().toAbsolutePath().normalize(), database.describe());
    for (ServerAssistant.TextModel m : models) {
      // on the CPU, which loops run and why: the plain ones are several times slower
      LOG.info("Language model {} on {}{}", m.name(), m.deviceId(), !m.deviceId().equals("cpu") ? ""
          : " (kernels " + CpuKernels.best().name() + ": " + CpuKernels.reason() + ")");
    }
    String publicUrl = !config.publicUrl().isBlank() ? stripSlash(config.publicUrl()) : uri.toString();
    return new RoomtoneServer(system, uri, client, tokens, publicUrl, config, r.ai());
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static SSLContext sslContext(ServerConfig.Tls tls) throws GeneralSecurityException, IOException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    char[] password = tls.keystorePassword().toCharArray();
    try (InputStream in = Files.newInputStream(tls.keystore())) {
      ks.load(in, password);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, password);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, new SecureRandom());
    return ctx;
  }

  /** The base URI clients use, with the real port when the server was started on port 0. */
  public URI uri() {
    return uri;
  }

  /** Issues member tokens (for the first room's link, and for tests). */
  public Tokens tokens() {
    return tokens;
  }

  /** The rooms of this server, to ask directly. */
  public RoomClient rooms() {
    return client;
  }

  /** Whether the server holds no room yet. */
  public boolean hasNoRooms() {
    return client.count().toCompletableFuture().join() == 0;
  }

  /** A room created with its showrunner; what the showrunner's link needs. */
  public record NewRoom(String roomId, String memberId, String token, String link) {
  }

  /** Creates a room directly (as POST /api/rooms does) and returns the showrunner's link. */
  public NewRoom createRoom(String name, String showrunnerName) {
    String roomId = new Ids(new SecureRandom()).next(10);
    Result<String> registered = client.register(roomId, name).toCompletableFuture().join();
    if (registered instanceof Result.Refused<String> no) {
      throw new IllegalStateException(no.refusal().message());
    }
    Result<RoomCommand.MemberView> created = client.<RoomCommand.MemberView>ask(roomId,
        r -> new RoomCommand.Create(name, showrunnerName, r)).toCompletableFuture().join();
    if (created instanceof Result.Refused<RoomCommand.MemberView> no) {
      throw new IllegalStateException(no.refusal().message());
    }
    String memberId = ((Result.Ok<RoomCommand.MemberView>) created).value().memberId();
    String token = tokens.issue(roomId, memberId);
    return new NewRoom(roomId, memberId, token, publicUrl + "/rooms/" + roomId + "#token=" + token);
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
