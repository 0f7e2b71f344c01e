package dev.roomtone.server.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomtone.server.RoomtoneServer;
import dev.roomtone.server.TestServerAccess;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A showrunner sees the room's open invites and can end one, so that a removed member cannot come back with it. */
class InvitesTest {

  @TempDir
  Path dataDir;

  @Test
  void aRevokedInviteLetsNobodyInAndStaysRevokedAfterARestart() throws Exception {
    String roomId;
    String showrunner;
    String code;
    try (RoomtoneServer server = RoomtoneServer.start(TestServerAccess.config(dataDir))) {
      RestApi api = new RestApi(server.uri());
      RestApi.Room room = api.room("Invites");
      roomId = room.id();
      showrunner = room.showrunnerToken();
      code = api.invite(roomId, showrunner, "writer");
      String inviteId = code.split("\\.")[1];
      // the join page shows where an invite leads before it asks for a name
      RestApi.Response preview = api.call("POST", "/api/join/preview", null, "{\"code\":\"" + code + "\"}");
      assertEquals(200, preview.status(), preview.toString());
      assertEquals("Invites", preview.body().get("roomName").asText());
      assertEquals("writer", preview.body().get("role").asText());
      assertEquals(roomId, preview.body().get("roomId").asText());
      String wrongSecret = code.substring(0, code.lastIndexOf('.') + 1) + "x".repeat(22);
      assertEquals(404, api.call("POST", "/api/join/preview", null, "{\"code\":\"" + wrongSecret + "\"}").status());
      assertEquals(404, api.call("POST", "/api/join/preview", null, "{\"code\":\"nonsense\"}").status());
      JsonNode ben = api.join(code, "Ben Two");
      String benId = ben.get("member").get("memberId").asText();

      JsonNode open = find(api.call("GET", "/api/rooms/" + roomId + "/invites", showrunner, null), inviteId);
      assertEquals("writer", open.get("role").asText());
      assertEquals(1, open.get("uses").asInt());
      assertEquals(benId, open.get("memberIds").get(0).asText(), "who joined with it");
      assertFalse(open.toString().contains(code.split("\\.")[2]), "the secret is never listed");

      // only the showrunner sees or ends invites
      assertEquals(403, api.call("GET", "/api/rooms/" + roomId + "/invites", room.writerToken(), null).status());
      assertEquals(403, api.call("DELETE", "/api/rooms/" + roomId + "/invites/" + inviteId, room.writerToken(), null).status());

      // removing Ben does not end the invite: he could come back with it, until it is revoked
      assertEquals(204, api.call("DELETE", "/api/rooms/" + roomId + "/members/" + benId, showrunner, null).status());
      assertEquals(200, api.call("POST", "/api/join", null, "{\"code\":\"" + code + "\",\"displayName\":\"Ben Again\"}").status());
      assertEquals(204, api.call("DELETE", "/api/rooms/" + roomId + "/invites/" + inviteId, showrunner, null).status());
      RestApi.Response refused = api.call("POST", "/api/join", null, "{\"code\":\"" + code + "\",\"displayName\":\"Ben Thrice\"}");
      assertEquals(404, refused.status(), refused.toString());
      assertEquals("This invite code is not valid.", refused.body().get("message").asText());
      RestApi.Response gone = api.call("POST", "/api/join/preview", null, "{\"code\":\"" + code + "\"}");
      assertEquals(404, gone.status());
      assertEquals("This invite code is not valid.", gone.body().get("message").asText());
      RestApi.Response again = api.call("DELETE", "/api/rooms/" + roomId + "/invites/" + inviteId, showrunner, null);
      assertEquals(404, again.status());
      assertTrue(again.body().get("message").asText().contains("no open invite"), again.toString());
    }
    try (RoomtoneServer server = RoomtoneServer.start(TestServerAccess.config(dataDir))) {
      RestApi api = new RestApi(server.uri());
      assertEquals(404, api.call("POST", "/api/join", null, "{\"code\":\"" + code + "\",\"displayName\":\"Ben\"}").status());
      JsonNode invites = api.call("GET", "/api/rooms/" + roomId + "/invites", showrunner, null).body().get("invites");
      for (JsonNode i : invites) {
        assertFalse(code.contains("." + i.get("inviteId").asText() + "."), "the revoked invite is not listed");
      }
      assertEquals(2, invites.size(), "the writer's and the viewer's invites of the test room stay open");
    }
  }

  private static JsonNode find(RestApi.Response listed, String inviteId) {
    assertEquals(200, listed.status(), listed.toString());
    for (JsonNode i : listed.body().get("invites")) {
      if (i.get("inviteId").asText().equals(inviteId)) {
        return i;
      }
    }
    throw new AssertionError("invite " + inviteId + " not listed: " + listed);
  }
}
