package dev.roomtone.server.live;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roomtone.script.crdt.YDoc;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing acknowledged is ever lost: the server runs as a real child process, is restarted cleanly
 * and killed with SIGKILL while edits are in flight, on the embedded H2 database and on PostgreSQL.
 */
class DurabilityTest {

  private static final Pattern RUNNING = Pattern.compile("Roomtone is running at (\\S+)");

  /** A server in its own JVM, as an operator runs it. */
  private static final class ServerProcess implements AutoCloseable {
    final Process process;
    final URI uri;
    final List<String> output = Collections.synchronizedList(new ArrayList<>());

    ServerProcess(Path dataDir, Map<String, String> env) throws Exception {
      String java = ProcessHandle.current().info().command().orElse("java");
      ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          "dev.roomtone.server.Main", "serve", "--port", "0", "--data-dir", dataDir.toString())
          .redirectErrorStream(true);
      pb.environment().putAll(env);
      process = pb.start();
      CompletableFuture<URI> started = new CompletableFuture<>();
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line = r.readLine(); line != null; line = r.readLine()) {
            output.add(line);
            Matcher m = RUNNING.matcher(line);
            if (m.find()) {
              started.complete(URI.create(m.group(1)));
            }
          }
        } catch (IOException ignored) {
          // the process went away
        }
        started.completeExceptionally(new AssertionError("the server exited before it started: " + output));
      });
      reader.setDaemon(true);
      reader.start();
      uri = started.get(90, TimeUnit.SECONDS);
    }

    void kill() throws InterruptedException {
      process.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
      process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy(); // SIGTERM: the server drains and stops
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  private static String textOf(URI server, String roomId, String token) {
    try (ProtocolClient reader = ProtocolClient.join(server, roomId, token, new YDoc(9_000))) {
      return reader.doc.getText("script").toString();
    }
  }

  private static void acknowledgedEditsSurviveRestartsAndKills(Path dataDir, Map<String, String> env) throws Exception {
    String roomId;
    String token;
    Set<Long> acked;
    Map<Long, String> markers = new HashMap<>();
    try (ServerProcess first = new ServerProcess(dataDir, env)) {
      RestApi api = new RestApi(first.uri);
      RestApi.Room room = api.room("Durable");
      roomId = room.id();
      token = room.writerToken();
      try (ProtocolClient writer = ProtocolClient.join(first.uri, roomId, token, new YDoc(4_001))) {
        for (int i = 0; i < 40; i++) {
          String marker = "[a" + i + "]";
          markers.put(writer.edit(d -> d.getText("script").insert(d.getText("script").length(), marker)), marker);
        }
        writer.awaitAcks();
      }
    } // clean stop (SIGTERM)
    try (ServerProcess second = new ServerProcess(dataDir, env)) {
      String text = textOf(second.uri, roomId, token);
      for (String m : markers.values()) {
        assertTrue(text.contains(m), "after a clean restart " + m + " is missing from " + text);
      }
    }
    ServerProcess third = new ServerProcess(dataDir, env);
    try (ProtocolClient writer = ProtocolClient.join(third.uri, roomId, token, new YDoc(4_002))) {
      // keep edits in flight, then pull the plug once some have been acknowledged
      markers.clear();
      for (int i = 0; i < 400; i++) {
        String marker = "[b" + i + "]";
        markers.put(writer.edit(d -> d.getText("script").insert(d.getText("script").length(), marker)), marker);
      }
      try {
        // pull the plug as soon as enough are acknowledged, while the rest are still in flight
        await().alias("150 edits acknowledged before the kill").atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(5)).until(() -> writer.acked().size() >= 150);
      } finally {
        acked = writer.acked();
        third.kill();
      }
    }
    try (ServerProcess fourth = new ServerProcess(dataDir, env)) {
      String text = textOf(fourth.uri, roomId, token);
      for (long id : acked) {
        String m = markers.get(id);
        if (m != null) {
          assertTrue(text.contains(m), "acknowledged edit " + m + " was lost by SIGKILL");
        }
      }
      assertTrue(text.contains("[a39]"), "earlier edits are still there");
    }
  }

  @Test
  void onTheEmbeddedH2Database(@TempDir Path dataDir) throws Exception {
    acknowledgedEditsSurviveRestartsAndKills(dataDir, Map.of());
  }

  @Test
  void onPostgreSql(@TempDir Path dataDir) throws Exception {
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
      Map<String, String> env = Map.of(
          "ROOMTONE_DB_KIND", "postgres",
          "ROOMTONE_DB_URL", pg.getJdbcUrl("postgres", "postgres"),
          "ROOMTONE_DB_USER", "postgres",
          "ROOMTONE_DB_PASSWORD", "postgres");
      acknowledgedEditsSurviveRestartsAndKills(dataDir, env);
    }
  }
}
