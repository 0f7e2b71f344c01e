package dev.roomtone.server.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Calls the REST API like any HTTP client would. */
final class RestApi {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  record Response(int status, JsonNode body) {
  }

  private final URI server;

  RestApi(URI server) {
    this.server = server;
  }

  Response call(String method, String path, String token, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.resolve(path)).timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body().isEmpty() ? null : JSON.readTree(r.body()));
    } catch (Exception e) {
      throw new AssertionError(method + " " + path + " failed", e);
    }
  }

  /** The body of a GET answered with 200, as text. */
  String text(String path) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(server.resolve(path)).timeout(Duration.ofSeconds(20)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + r.body());
      }
      return r.body();
    } catch (java.io.IOException | InterruptedException e) {
      throw new AssertionError("GET " + path + " failed", e);
    }
  }

  /** A room with a showrunner, a writer and a viewer: their member ids and tokens. */
  record Room(String id, String showrunnerToken, String writerToken, String viewerToken, String writerId, String viewerId) {
  }

  Room room(String name) {
    Response created = call("POST", "/api/rooms", null, "{\"name\":\"" + name + "\",\"showrunnerName\":\"Maya\"}");
    if (created.status() != 201) {
      throw new AssertionError("room creation failed: " + created);
    }
    String id = created.body().get("roomId").asText();
    String sr = created.body().get("token").asText();
    JsonNode writer = join(invite(id, sr, "writer"), "Ben");
    JsonNode viewer = join(invite(id, sr, "viewer"), "Exec");
    return new Room(id, sr, writer.get("token").asText(), viewer.get("token").asText(),
        writer.get("member").get("memberId").asText(), viewer.get("member").get("memberId").asText());
  }

  String invite(String roomId, String token, String role) {
    Response r = call("POST", "/api/rooms/" + roomId + "/invites", token, "{\"role\":\"" + role + "\"}");
    if (r.status() != 201) {
      throw new AssertionError("invite failed: " + r);
    }
    return r.body().get("code").asText();
  }

  JsonNode join(String code, String name) {
    Response r = call("POST", "/api/join", null, "{\"code\":\"" + code + "\",\"displayName\":\"" + name + "\"}");
    if (r.status() != 200) {
      throw new AssertionError("join failed: " + r);
    }
    return r.body();
  }
}
