package dev.roomtone.server.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomtone.server.RoomtoneServer;
import dev.roomtone.server.TestServerAccess;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Members change their own display name (the first showrunner starts as "Showrunner"); the showrunner anyone's. */
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
}
