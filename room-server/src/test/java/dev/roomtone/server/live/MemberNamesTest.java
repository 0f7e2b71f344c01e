package dev.roomtone.server.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomtone.server.RoomtoneServer;
import dev.roomtone.server.TestServerAccess;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names after the fact: members change their own display name (the first showrunner starts as
 * "Showrunner"), the showrunner anyone's and the room's.
 */
class MemberNamesTest {

  @TempDir
  Path dataDir;

  private static String nameOf(RestApi api, RestApi.Room room, String memberId) {
    for (JsonNode m : api.call("GET", "/api/rooms/" + room.id() + "/members", room.showrunnerToken(), null).body().get("members")) {
      if (m.get("memberId").asText().equals(memberId)) {
        return m.get("displayName").asText();
      }
    }
    throw new AssertionError("no member " + memberId);
  }

  @Test
  void aMemberRenamesThemselvesAndOnlyTheShowrunnerRenamesOthers() throws Exception {
    RestApi.Room room;
    try (RoomtoneServer server = RoomtoneServer.start(TestServerAccess.config(dataDir))) {
      RestApi api = new RestApi(server.uri());
      room = api.room("Names");
      String path = "/api/rooms/" + room.id() + "/members/";
      RestApi.Response own = api.call("PUT", path + room.writerId() + "/name", room.writerToken(), "{\"displayName\":\"  Ben Ruiz \"}");
      assertEquals(200, own.status(), own.toString());
      assertEquals("Ben Ruiz", own.body().get("displayName").asText());

      RestApi.Response other = api.call("PUT", path + room.viewerId() + "/name", room.writerToken(), "{\"displayName\":\"Nobody\"}");
      assertEquals(403, other.status(), other.toString());
      assertEquals("Only showrunners can rename other members.", other.body().get("message").asText());
      RestApi.Response invisible = api.call("PUT", path + room.writerId() + "/name", room.writerToken(),
          "{\"displayName\":\"\\u200b\"}");
      assertEquals(400, invisible.status(), invisible.toString());
      assertTrue(invisible.body().get("message").asText().startsWith("A display name must be 1 to 80"), invisible.toString());
      assertEquals(404, api.call("PUT", path + "nosuchmember/name", room.showrunnerToken(), "{\"displayName\":\"X\"}").status());

      assertEquals(200, api.call("PUT", path + room.viewerId() + "/name", room.showrunnerToken(),
          "{\"displayName\":\"The Network\"}").status());
      assertEquals("Ben Ruiz", nameOf(api, room, room.writerId()));
      assertEquals("The Network", nameOf(api, room, room.viewerId()));
    }
    try (RoomtoneServer server = RoomtoneServer.start(TestServerAccess.config(dataDir))) {
      RestApi api = new RestApi(server.uri());
      assertEquals("Ben Ruiz", nameOf(api, room, room.writerId()), "kept across a restart");
      assertEquals("The Network", nameOf(api, room, room.viewerId()));
    }
  }

  @Test
  void theShowrunnerRenamesTheRoomAndEveryoneInItSeesTheNewName() throws Exception {
    RestApi.Room room;
    try (RoomtoneServer server = RoomtoneServer.start(TestServerAccess.config(dataDir))) {
      RestApi api = new RestApi(server.uri());
      room = api.room("First room");
      String path = "/api/rooms/" + room.id();
      try (ProtocolClient writer = ProtocolClient.join(server.uri(), room.id(), room.writerToken(), new dev.roomtone.script.crdt.YDoc(7))) {
        RestApi.Response refused = api.call("PUT", path, room.writerToken(), "{\"name\":\"Mine now\"}");
        assertEquals(403, refused.status(), refused.toString());
        assertEquals("Only showrunners can rename the room.", refused.body().get("message").asText());
        RestApi.Response invisible = api.call("PUT", path, room.showrunnerToken(), "{\"name\":\"\\u202e\"}");
        assertEquals(400, invisible.status(), invisible.toString());

        RestApi.Response renamed = api.call("PUT", path, room.showrunnerToken(), "{\"name\":\" Harbour Lights \"}");
        assertEquals(200, renamed.status(), renamed.toString());
        assertEquals("Harbour Lights", renamed.body().get("name").asText());
        // the connected writer's roster carries the new name
        writer.expect(m -> m.hasRoster() && m.getRoster().getRoomName().equals("Harbour Lights"));
      }
      // exports are named after it
      java.net.http.HttpResponse<Void> pdf = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(server.uri().resolve(path + "/export?format=fountain"))
              .header("Authorization", "Bearer " + room.viewerToken()).build(),
          java.net.http.HttpResponse.BodyHandlers.discarding());
      assertTrue(pdf.headers().firstValue("Content-Disposition").orElse("").contains("filename=\"Harbour Lights.fountain\""),
          pdf.headers().toString());
    }
    try (RoomtoneServer server = RoomtoneServer.start(TestServerAccess.config(dataDir));
         ProtocolClient viewer = ProtocolClient.join(server.uri(), room.id(), room.viewerToken(), new dev.roomtone.script.crdt.YDoc(8))) {
      assertEquals("Harbour Lights", viewer.welcome.getWelcome().getRoomName(), "kept across a restart");
    }
  }
}
