package dev.roomtone.server.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roomtone.protocol.v1.ClientMessage;
import dev.roomtone.protocol.v1.ErrorCode;
import dev.roomtone.protocol.v1.Hello;
import dev.roomtone.protocol.v1.ServerMessage;
import dev.roomtone.script.crdt.YDoc;
import dev.roomtone.server.RoomtoneServer;
import dev.roomtone.server.TestServerAccess;
import dev.roomtone.server.auth.TokenKey;
import dev.roomtone.server.auth.Tokens;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.nio.charset.StandardCharsets;
import org.slf4j.LoggerFactory;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may do what: tokens, rooms, roles, origins — each refusal tested through the real server. */
class SecurityTest {

  private static RoomtoneServer server;
  private static RestApi api;
  private static Path data;

  @BeforeAll
  static void start(@TempDir Path dataDir) throws Exception {
    data = dataDir;
    server = RoomtoneServer.start(TestServerAccess.config(dataDir));
    api = new RestApi(server.uri());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static ServerMessage helloWith(String roomId, String token) {
    ProtocolClient c = ProtocolClient.open(server.uri(), roomId, new YDoc(1));
    c.send(ClientMessage.newBuilder().setHello(Hello.newBuilder().setToken(token)));
    ServerMessage first = c.expect(m -> m.hasError() || m.hasWelcome());
    if (first.hasError()) {
      c.awaitClose();
    }
    c.close();
    return first;
  }

  @Test
  void expiredTamperedAndForeignTokensAreRefused() throws Exception {
    RestApi.Room room = api.room("Tokens");
    byte[] key = TokenKey.load("", data);
    Tokens past = new Tokens(key, Clock.fixed(Instant.now().minus(Duration.ofDays(60)), ZoneOffset.UTC), Duration.ofDays(30));
    String writerId = room.writerId();
    String expired = past.issue(room.id(), writerId);
    ServerMessage e1 = helloWith(room.id(), expired);
    assertEquals(ErrorCode.UNAUTHENTICATED, e1.getError().getCode());
    assertTrue(e1.getError().getMessage().contains("expired"), e1.getError().getMessage());

    String good = room.writerToken();
    String[] parts = good.split("\\.");
    String tampered = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + (parts[1].endsWith("A") ? "BB" : "AA") + "." + parts[2];
    assertEquals(ErrorCode.UNAUTHENTICATED, helloWith(room.id(), tampered).getError().getCode());

    Tokens otherServer = new Tokens(new byte[32], Clock.systemUTC(), Duration.ofDays(1));
    assertEquals(ErrorCode.UNAUTHENTICATED, helloWith(room.id(), otherServer.issue(room.id(), writerId)).getError().getCode());
    assertEquals(ErrorCode.UNAUTHENTICATED, helloWith(room.id(), "not-a-token").getError().getCode());
    // signed with this server's key but without an expiry: not one of its tokens, not an expired one
    com.nimbusds.jwt.SignedJWT noExpiry = new com.nimbusds.jwt.SignedJWT(
        new com.nimbusds.jose.JWSHeader(com.nimbusds.jose.JWSAlgorithm.HS256),
        new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer("roomtone").subject(writerId).claim("room", room.id()).build());
    noExpiry.sign(new com.nimbusds.jose.crypto.MACSigner(key));
    ServerMessage e2 = helloWith(room.id(), noExpiry.serialize());
    assertEquals(ErrorCode.UNAUTHENTICATED, e2.getError().getCode());
    assertEquals("This is not a Roomtone member token.", e2.getError().getMessage());
    assertTrue(helloWith(room.id(), good).hasWelcome(), "the untampered token still works");

    assertEquals(401, api.call("GET", "/api/rooms/" + room.id() + "/members", expired, null).status());
    assertEquals(401, api.call("GET", "/api/rooms/" + room.id() + "/members", null, null).status());
  }

  @Test
  void tokensOnlyOpenTheirOwnRoom() {
    RestApi.Room a = api.room("A");
    RestApi.Room b = api.room("B");
    ServerMessage refused = helloWith(b.id(), a.showrunnerToken());
    assertEquals(ErrorCode.UNAUTHENTICATED, refused.getError().getCode());
    assertEquals(401, api.call("POST", "/api/rooms/" + b.id() + "/invites", a.showrunnerToken(), "{\"role\":\"writer\"}").status());
    assertEquals(401, api.call("GET", "/api/rooms/" + b.id() + "/members", a.writerToken(), null).status());
  }

  @Test
  void onlyTheShowrunnerInvitesAndManagesMembers() {
    RestApi.Room room = api.room("Roles");
    RestApi.Response invite = api.call("POST", "/api/rooms/" + room.id() + "/invites", room.writerToken(), "{\"role\":\"writer\"}");
    assertEquals(403, invite.status());
    assertEquals("FORBIDDEN", invite.body().get("code").asText());
    assertEquals(403, api.call("PUT", "/api/rooms/" + room.id() + "/members/" + room.viewerId() + "/role",
        room.writerToken(), "{\"role\":\"writer\"}").status());
    assertEquals(403, api.call("DELETE", "/api/rooms/" + room.id() + "/members/" + room.writerId(), room.viewerToken(), null).status());
    assertEquals(200, api.call("GET", "/api/rooms/" + room.id() + "/members", room.viewerToken(), null).status(),
        "every member may see who is in the room");
    // the showrunner can, and a removed member's token stops working at once
    assertEquals(204, api.call("DELETE", "/api/rooms/" + room.id() + "/members/" + room.writerId(), room.showrunnerToken(), null).status());
    ServerMessage gone = helloWith(room.id(), room.writerToken());
    assertEquals(ErrorCode.UNAUTHENTICATED, gone.getError().getCode());
    assertTrue(gone.getError().getMessage().contains("removed"), gone.getError().getMessage());
  }

  @Test
  void suggestionDecisionsFromWritersAreNotCarriedOut() {
    RestApi.Room room = api.room("Decisions");
    try (ProtocolClient writer = ProtocolClient.join(server.uri(), room.id(), room.writerToken(), new YDoc(3))) {
      long id = writer.nextRequest();
      writer.send(ClientMessage.newBuilder().setRequestId(id).setDecision(
          dev.roomtone.protocol.v1.SuggestionDecision.newBuilder().setSuggestionId("s1").setApprove(true)));
      ServerMessage refused = writer.expect(m -> m.hasError() && m.getRequestId() == id);
      assertEquals(ErrorCode.FORBIDDEN, refused.getError().getCode(), refused.toString());
    }
  }

  @Test
  void browsersFromOtherOriginsCannotConnect() throws Exception {
    RestApi.Room room = api.room("Origins");
    URI ws = URI.create(server.uri().toString().replaceFirst("^http", "ws") + "/api/rooms/" + room.id() + "/ws");
    try {
      HttpClient.newHttpClient().newWebSocketBuilder().header("Origin", "https://evil.example")
          .buildAsync(ws, new java.net.http.WebSocket.Listener() { }).join();
      throw new AssertionError("a foreign origin was let in");
    } catch (CompletionException e) {
      assertTrue(e.getCause() instanceof WebSocketHandshakeException, e.toString());
      assertEquals(403, ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode());
    }
    // the server's own pages are allowed
    var own = HttpClient.newHttpClient().newWebSocketBuilder()
        .header("Origin", "http://127.0.0.1:" + server.uri().getPort())
        .buildAsync(ws, new java.net.http.WebSocket.Listener() { }).join();
    own.abort();
  }

  @Test
  void theYjsEndpointNeedsAValidToken() throws Exception {
    RestApi.Room room = api.room("Yjs auth");
    URI ws = URI.create(server.uri().toString().replaceFirst("^http", "ws") + "/yjs/" + room.id() + "?token=nope");
    try {
      HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(ws, new java.net.http.WebSocket.Listener() { }).join();
      throw new AssertionError("connected without a valid token");
    } catch (CompletionException e) {
      assertEquals(401, ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode());
    }
  }

  @Test
  void restBodiesAreBoundedAndChecked() throws Exception {
    HttpResponse<String> huge = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.uri().resolve("/api/rooms"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + "x".repeat(200_000) + "\",\"showrunnerName\":\"a\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(413, huge.statusCode(), huge.body());
    assertEquals(400, api.call("POST", "/api/rooms", null, "{not json").status());
    assertEquals(400, api.call("POST", "/api/rooms", null, "{\"name\":\"\",\"showrunnerName\":\"\"}").status());
    assertEquals(404, api.call("POST", "/api/join", null, "{\"code\":\"abcdefghjk.abcdefgh.secret\",\"displayName\":\"X\"}").status());
  }

  @Test
  void aTokenInARequestTheServerCannotParseStaysOutOfTheLog() throws Exception {
    RestApi.Room room = api.room("Logged");
    List<String> logged = new CopyOnWriteArrayList<>();
    CountDownLatch complained = new CountDownLatch(1);
    // Pekko logs through its logging actor, on another thread: the test waits for the complaint
    AppenderBase<ILoggingEvent> log = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent e) {
        logged.add(e.getFormattedMessage());
        if (e.getFormattedMessage().contains("Illegal request-target")) {
          complained.countDown();
        }
      }
    };
    log.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(log);
    try (Socket socket = new Socket(server.uri().getHost(), server.uri().getPort())) {
      // '%zz' is not a valid escape: the request line cannot be parsed, and the parser's complaint
      // used to quote the whole target, token included
      String request = "GET /yjs/" + room.id() + "?token=" + room.writerToken() + "&x=%zz HTTP/1.1\r\n"
          + "Host: " + server.uri().getAuthority() + "\r\nConnection: close\r\n\r\n";
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      assertTrue(response.startsWith("HTTP/1.1 400"), response);
      assertTrue(complained.await(10, TimeUnit.SECONDS), "the refused request is still logged");
    } finally {
      root.detachAppender(log);
    }
    for (String message : logged) {
      assertFalse(message.contains(room.writerToken()), "a token in the log: " + message);
    }
  }
}
