package dev.roomtone.server.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.roomtone.server.RoomtoneServer;
import dev.roomtone.server.TestServerAccess;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A REST body means one thing or is refused, with a message that says what is wrong in the API's terms. */
class RequestBodyTest {

  private static RoomtoneServer server;
  private static RestApi api;
  private static RestApi.Room room;

  @BeforeAll
  static void start(@TempDir Path dataDir) throws Exception {
    server = RoomtoneServer.start(TestServerAccess.config(dataDir));
    api = new RestApi(server.uri());
    room = api.room("Bodies");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static void refused(String path, String body, String message) {
    RestApi.Response r = api.call("POST", path, room.showrunnerToken(), body);
    assertEquals(400, r.status(), body + " → " + r);
    assertEquals("BAD_FRAME", r.body().get("code").asText(), r.toString());
    String said = r.body().get("message").asText();
    assertEquals(message, said, body);
    assertFalse(said.contains("dev.roomtone") || said.contains("Json$"), said);
  }

  @Test
  void aBodyThatIsNotJsonSaysWhere() {
    refused("/api/rooms", "{\"name\":\"R\"", "The body could not be read: it is not valid JSON (line 1, column 12).");
    refused("/api/rooms", "{\"name\":\"R\",\"name\":\"S\",\"showrunnerName\":\"M\"}",
        "The body could not be read: a field appears twice (line 1, column 19).");
  }

  @Test
  void anythingAfterTheObjectIsRefused() {
    RestApi.Response r = api.call("POST", "/api/rooms", null, "{\"name\":\"R\",\"showrunnerName\":\"M\"} {}");
    assertEquals(400, r.status(), r.toString());
    assertEquals("The body could not be read: there is something after the JSON object.", r.body().get("message").asText());
  }

  @Test
  void anUnknownFieldIsNamedWithTheFieldsThereAre() {
    refused("/api/rooms", "{\"name\":\"R\",\"showrunnerName\":\"M\",\"colour\":\"red\"}",
        "\"colour\" is not a field of this request; its fields are name, showrunnerName.");
  }

  @Test
  void aValueOfTheWrongKindIsNamedNotGuessedAt() {
    String invites = "/api/rooms/" + room.id() + "/invites";
    refused(invites, "{\"role\":\"writer\",\"validForHours\":1.5}", "\"validForHours\" has the wrong type of value.");
    refused(invites, "{\"role\":\"writer\",\"validForHours\":\"3\"}", "\"validForHours\" has the wrong type of value.");
    refused(invites, "{\"role\":7}", "\"role\" has the wrong type of value.");
    refused(invites, "{\"role\":\"writer\",\"validForHours\":99999999999}", "\"validForHours\" is out of range.");
    refused(invites, "[1,2]", "The body must be a JSON object with this request's fields.");
    // and the same request written properly is taken
    assertEquals(201, api.call("POST", invites, room.showrunnerToken(), "{\"role\":\"writer\",\"validForHours\":3}").status());
  }
}
