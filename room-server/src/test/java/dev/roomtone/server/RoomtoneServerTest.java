package dev.roomtone.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts a real server on a loopback ephemeral port and talks HTTP to it. */
class RoomtoneServerTest {

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10))
      .build();

  private static RoomtoneServer server;

  @BeforeAll
  static void startServer(@TempDir Path dataDir) throws Exception {
    server = RoomtoneServer.start(TestServers.config(dataDir));
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void listensOnTheEphemeralPortItWasGiven() {
    assertEquals("127.0.0.1", server.uri().getHost());
    assertNotEquals(0, server.uri().getPort());
  }

  @Test
  void healthReportsOkAndTheBuildVersion() throws Exception {
    HttpResponse<String> response = get("/api/health");

    assertEquals(200, response.statusCode());
    assertEquals("application/json", contentType(response));
    JsonNode body = new ObjectMapper().readTree(response.body());
    assertEquals("ok", body.get("status").asText());
    assertEquals(System.getProperty("roomtone.expectedVersion"), body.get("version").asText());
  }

  @Test
  void devicesListsEveryBackendAsRoomtoneDevicesDoes() throws Exception {
    HttpResponse<String> response = get("/api/devices");

    assertEquals(200, response.statusCode());
    assertEquals("application/json", contentType(response));
    JsonNode body = new ObjectMapper().readTree(response.body());
    JsonNode backends = body.get("backends");
    assertEquals(3, backends.size(), body.toString());
    assertEquals("CUDA", backends.get(0).get("backend").asText());
    // CI installs PoCL: an OpenCL CPU device with its memory
    assertEquals("FOUND", backends.get(1).get("status").asText(), body.toString());
    assertTrue(backends.get(1).get("devices").get(0).get("memoryBytes").asLong() > 0);
    assertEquals("CPU", backends.get(2).get("devices").get(0).get("backend").asText());
  }

  @Test
  void rootServesTheBuiltWebClient() throws Exception {
    HttpResponse<String> response = get("/");

    assertEquals(200, response.statusCode());
    assertEquals("text/html", contentType(response));
    assertEquals(builtIndexHtml(), response.body());
    assertTrue(response.body().contains("<title>Roomtone</title>"), response.body());
  }

  @Test
  void servesTheScriptThatIndexHtmlLoads() throws Exception {
    // Vite names the bundle after its hash, so take the path from the page itself.
    Matcher script = Pattern.compile("src=\"(/assets/[^\"]+\\.js)\"").matcher(builtIndexHtml());
    assertTrue(script.find(), "index.html loads no bundled script");

    HttpResponse<String> response = get(script.group(1));

    assertEquals(200, response.statusCode());
    assertTrue(contentType(response).endsWith("/javascript"), contentType(response));
  }

  @Test
  void unknownPathIsNotFound() throws Exception {
    assertEquals(404, get("/no-such-page").statusCode());
  }

  @Test
  void aTakenPortIsReportedClearly() {
    int taken = server.uri().getPort();

    ListenFailedException failure = assertThrows(ListenFailedException.class,
        () -> RoomtoneServer.start(TestServers.config(server.dataDir().resolve("other")).with(null, taken, null)).close());

    assertTrue(failure.getMessage().contains("127.0.0.1:" + taken), failure.getMessage());
    assertTrue(failure.getMessage().contains("--port"), failure.getMessage());
  }

  private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(server.uri().resolve(URI.create(path)))
        .timeout(Duration.ofSeconds(10))
        .GET()
        .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static String contentType(HttpResponse<?> response) {
    String value = response.headers().firstValue("Content-Type").orElse("");
    return value.split(";")[0].trim();
  }

  private static String builtIndexHtml() throws IOException {
    try (InputStream in = RoomtoneServerTest.class.getResourceAsStream("/web/index.html")) {
      assertTrue(in != null, "web/index.html is not on the classpath: web-client was not built");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void aDataDirectoryInUseIsRefusedInPlainWords(@TempDir Path dataDir) throws Exception {
    RoomtoneServer.start(TestServers.config(dataDir)).close();
    // the lock another server process would hold on the database file
    try (FileChannel file = FileChannel.open(dataDir.resolve("roomtone.mv.db"), StandardOpenOption.WRITE);
         FileLock lock = file.lock()) {
      RoomtoneServer.StartFailedException e = assertThrows(RoomtoneServer.StartFailedException.class,
          () -> RoomtoneServer.start(TestServers.config(dataDir)).close());
      assertTrue(e.getMessage().startsWith("Another Roomtone is already using the database in " + dataDir.toAbsolutePath()),
          e.getMessage());
      assertTrue(e.getMessage().endsWith("with --data-dir."), e.getMessage());
    }
  }
}
