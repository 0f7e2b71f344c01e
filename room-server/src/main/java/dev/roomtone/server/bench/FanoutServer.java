package dev.roomtone.server.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.module.ModuleFinder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A server under test in its own process, so that its CPU time and memory are its own. */
sealed interface FanoutServer extends AutoCloseable {

  long pid();

  /** The base URL the load workers' providers connect to. */
  String wsUrl();

  /** Creates {@code count} rooms of {@code writers} writers each. */
  List<FanoutLoad.Room> rooms(int count, int writers) throws Exception;

  /** The run failed: keep what the server logged, for whoever looks into it (a no-op where it logs nowhere). */
  default void keepLog() {
  }

  @Override
  void close();

  /** Drains a child's output on a daemon thread, so that a full pipe never stalls it; keeps the first lines. */
  static CompletableFuture<String> watch(Process p, java.util.function.Predicate<String> wanted, Path log) {
    CompletableFuture<String> found = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
           var w = Files.newBufferedWriter(log)) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          w.write(line);
          w.newLine();
          w.flush();
          if (!found.isDone() && wanted.test(line)) {
            found.complete(line);
          }
        }
      } catch (IOException e) {
        // the process is gone
      }
      found.completeExceptionally(new IllegalStateException("the server exited before it was ready"));
    }, "server-output");
    t.setDaemon(true);
    t.start();
    return found;
  }

  /** Roomtone: {@code roomtone serve} in a child JVM with a fresh data directory (H2 persisting every edit). */
  final class Roomtone implements FanoutServer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final Path dataDir;
    private final URI uri;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final PrintWriter progress;
    private volatile boolean keepLog;

    Roomtone(String heap, List<String> jvmOptions, PrintWriter progress) throws Exception {
      this.progress = progress;
      dataDir = Files.createTempDirectory("roomtone-fanout-");
      Path conf = dataDir.resolve("bench.conf");
      // the bench opens more rooms and connections than a studio would (up to 10,000 connections:
      // Pekko HTTP accepts 1,024 by default); everything else keeps its default
      Files.writeString(conf, """
          roomtone.limits.rooms = 100000
          pekko.http.server.max-connections = 100000
          pekko.http.server.backlog = 4096
          """);
      String java = ProcessHandle.current().info().command().orElse("java");
      List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + heap));
      // the JVM options ./roomtone starts the server with: the engine's Vector API module where the
      // runtime has it, and what the jar's manifest grants only to java -jar
      if (ModuleFinder.ofSystem().find("jdk.incubator.vector").isPresent()) {
        cmd.addAll(List.of("--add-modules", "jdk.incubator.vector"));
      }
      cmd.add("--enable-native-access=ALL-UNNAMED");
      if (Runtime.version().feature() >= 24) {
        cmd.add("--sun-misc-unsafe-memory-access=allow");
      }
      cmd.addAll(jvmOptions);
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
          "dev.roomtone.server.Main", "serve", "--port", "0", "--data-dir", dataDir.resolve("data").toString(),
          "--config", conf.toString()));
      process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String line;
      try {
        line = watch(process, l -> l.contains("Roomtone is running at "), dataDir.resolve("server.log"))
            .get(120, TimeUnit.SECONDS);
      } catch (Exception e) {
        keepLog = true; // close() removes the data directory, log and all
        close();
        throw new IllegalStateException("Roomtone did not start; its output is in the log named above", e);
      }
      uri = URI.create(line.substring(line.indexOf("Roomtone is running at ") + 23).strip());
      progress.println("Roomtone (pid " + process.pid() + ") at " + uri);
      progress.flush();
    }

    @Override
    public long pid() {
      return process.pid();
    }

    @Override
    public void keepLog() {
      keepLog = true;
    }

    @Override
    public String wsUrl() {
      return uri.toString().replaceFirst("^http", "ws") + "/yjs";
    }

    private JsonNode post(String path, String token, String body, int status) throws IOException, InterruptedException {
      HttpRequest.Builder b = HttpRequest.newBuilder(uri.resolve(path)).timeout(Duration.ofSeconds(60))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
      if (token != null) {
        b.header("Authorization", "Bearer " + token);
      }
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != status) {
        throw new IllegalStateException("POST " + path + " answered " + r.statusCode() + ": " + r.body());
      }
      return JSON.readTree(r.body());
    }

    private FanoutLoad.Room room(int i, int writers) throws IOException, InterruptedException {
      JsonNode created = post("/api/rooms", null, "{\"name\":\"Fan-out " + i + "\",\"showrunnerName\":\"Showrunner\"}", 201);
      String id = created.get("roomId").asText();
      String code = post("/api/rooms/" + id + "/invites", created.get("token").asText(),
          "{\"role\":\"writer\",\"maxUses\":" + writers + "}", 201).get("code").asText();
      List<String> tokens = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        tokens.add(post("/api/join", null, "{\"code\":\"" + code + "\",\"displayName\":\"Writer " + w + "\"}", 200)
            .get("token").asText());
      }
      return new FanoutLoad.Room(id, tokens);
    }

    @Override
    public List<FanoutLoad.Room> rooms(int count, int writers) throws Exception {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<FanoutLoad.Room>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          int n = i;
          futures.add(pool.submit(() -> room(n, writers)));
        }
        List<FanoutLoad.Room> rooms = new ArrayList<>();
        for (Future<FanoutLoad.Room> f : futures) {
          rooms.add(f.get());
        }
        return rooms;
      } finally {
        pool.shutdownNow();
      }
    }

    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (keepLog) {
        try {
          Path kept = Files.createTempFile("roomtone-fanout-server-", ".log");
          Files.copy(dataDir.resolve("server.log"), kept, StandardCopyOption.REPLACE_EXISTING);
          progress.println("The server's log is kept in " + kept);
          progress.flush();
        } catch (IOException e) {
          progress.println("The server's log could not be kept: " + e.getMessage());
        }
      }
      try (Stream<Path> files = Files.walk(dataDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // a temp directory left behind is harmless
      }
    }
  }

  /** Hocuspocus: {@code hocuspocus-server.mjs}, in memory, no extensions, on a loopback port. */
  final class Hocuspocus implements FanoutServer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final int port;
    private final Path log;
    private final PrintWriter progress;
    private int nextRoom;

    Hocuspocus(Path nodeDir, PrintWriter progress) throws Exception {
      this.progress = progress;
      process = new ProcessBuilder("node", "hocuspocus-server.mjs").directory(nodeDir.toFile())
          .redirectErrorStream(true).start();
      log = Files.createTempFile("hocuspocus-", ".log");
      String line;
      try {
        line = watch(process, l -> l.startsWith("{\"port\""), log).get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        close();
        throw new IllegalStateException("Hocuspocus did not start; its output is in " + log, e);
      }
      port = JSON.readTree(line).get("port").asInt();
      progress.println("Hocuspocus (pid " + process.pid() + ") at ws://127.0.0.1:" + port);
      progress.flush();
    }

    @Override
    public long pid() {
      return process.pid();
    }

    @Override
    public void keepLog() {
      progress.println("Hocuspocus's log is in " + log);
      progress.flush();
    }

    @Override
    public String wsUrl() {
      return "ws://127.0.0.1:" + port;
    }

    @Override
    public List<FanoutLoad.Room> rooms(int count, int writers) {
      // documents exist as soon as a client names them; there are no accounts
      List<FanoutLoad.Room> rooms = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        rooms.add(new FanoutLoad.Room("fanout-" + nextRoom++, List.of("none")));
      }
      return rooms;
    }

    @Override
    public void close() {
      try {
        process.getOutputStream().close();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (IOException | InterruptedException e) {
        process.destroyForcibly();
      }
    }
  }
}
