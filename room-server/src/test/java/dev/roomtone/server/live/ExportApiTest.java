package dev.roomtone.server.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomtone.script.crdt.YDoc;
import dev.roomtone.script.screenplay.FountainParser;
import dev.roomtone.script.screenplay.fdx.FdxReader;
import dev.roomtone.server.RoomtoneServer;
import dev.roomtone.server.TestServerAccess;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /api/rooms/{id}/export through the real server, with a script written by a live client. */
class ExportApiTest {

  private static final String SCRIPT = """
      Title: The Pilot
      Author: Maya

      INT. WRITERS' ROOM - NIGHT #1#

      Index cards everywhere.

      MAYA
      (tired)
      From the top.

      CUT TO:
      """;

  private static RoomtoneServer server;
  private static RestApi api;
  private static RestApi.Room room;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @BeforeAll
  static void start(@TempDir Path dataDir) throws Exception {
    server = RoomtoneServer.start(TestServerAccess.config(dataDir));
    api = new RestApi(server.uri());
    room = api.room("Export");
    try (ProtocolClient writer = ProtocolClient.join(server.uri(), room.id(), room.writerToken(), new YDoc(301))) {
      writer.edit(d -> d.getText("script").insert(0, SCRIPT));
      writer.awaitAcks();
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<byte[]> get(String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.uri().resolve(path)).timeout(Duration.ofSeconds(30)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static JsonNode json(HttpResponse<byte[]> r) throws Exception {
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
    return new ObjectMapper().readTree(r.body());
  }

  @Test
  void aViewerExportsEveryFormat() throws Exception {
    HttpResponse<byte[]> fountain = get("/api/rooms/" + room.id() + "/export?format=fountain", room.viewerToken());
    assertEquals(200, fountain.statusCode());
    assertEquals(FountainParser.parse(SCRIPT).withoutRanges(),
        FountainParser.parse(new String(fountain.body(), StandardCharsets.UTF_8)).withoutRanges());
    // saved under the room's name, not its id
    assertEquals("attachment; filename=\"Export.fountain\"", fountain.headers().firstValue("Content-Disposition").orElse(""));

    HttpResponse<byte[]> pdf = get("/api/rooms/" + room.id() + "/export?format=pdf", room.viewerToken());
    assertEquals(200, pdf.statusCode());
    assertEquals("application/pdf", pdf.headers().firstValue("Content-Type").orElse(""));
    try (PDDocument doc = Loader.loadPDF(pdf.body())) {
      assertEquals(2, doc.getNumberOfPages(), "title page and one page");
      String text = new PDFTextStripper().getText(doc);
      assertTrue(text.contains("INT. WRITERS' ROOM - NIGHT") && text.contains("From the top."), text);
    }

    HttpResponse<byte[]> fdx = get("/api/rooms/" + room.id() + "/export?format=fdx", room.writerToken());
    assertEquals(200, fdx.statusCode());
    assertEquals(FountainParser.parse(SCRIPT).withoutRanges().elements(), FdxReader.read(fdx.body()).elements());

    HttpResponse<byte[]> txt = get("/api/rooms/" + room.id() + "/export?format=TXT", room.showrunnerToken());
    assertEquals(200, txt.statusCode());
    assertTrue(new String(txt.body(), StandardCharsets.UTF_8).contains("MAYA"));
  }

  @Test
  void aNonAsciiRoomNameIsTheFileNameWithAnAsciiFallback() throws Exception {
    RestApi.Room named = api.room("Harbour Lights \u2014 101");
    HttpResponse<byte[]> pdf = get("/api/rooms/" + named.id() + "/export?format=pdf", named.writerToken());
    assertEquals(200, pdf.statusCode());
    assertEquals("attachment; filename=\"Harbour Lights - 101.pdf\"; filename*=UTF-8''Harbour%20Lights%20%E2%80%94%20101.pdf",
        pdf.headers().firstValue("Content-Disposition").orElse(""));
  }

  @Test
  void unknownRoomIs404() throws Exception {
    HttpResponse<byte[]> r = get("/api/rooms/zzzzzzzzzz/export?format=pdf", room.viewerToken());
    assertEquals(404, r.statusCode());
    assertEquals("UNKNOWN_ROOM", json(r).get("code").asText());
  }

  @Test
  void anotherRoomsTokenAndNoTokenAre401() throws Exception {
    RestApi.Room other = api.room("Other");
    HttpResponse<byte[]> r = get("/api/rooms/" + room.id() + "/export?format=pdf", other.showrunnerToken());
    assertEquals(401, r.statusCode());
    assertEquals("UNAUTHENTICATED", json(r).get("code").asText());
    assertTrue(json(r).get("message").asText().contains("another room"));
    assertEquals(401, get("/api/rooms/" + room.id() + "/export?format=pdf", null).statusCode());
    assertEquals(401, get("/api/rooms/" + room.id() + "/export?format=pdf", "not-a-token").statusCode());
  }

  @Test
  void aBadFormatIs400WithAClearMessage() throws Exception {
    HttpResponse<byte[]> r = get("/api/rooms/" + room.id() + "/export?format=docx", room.viewerToken());
    assertEquals(400, r.statusCode());
    String message = json(r).get("message").asText();
    assertTrue(message.contains("pdf, fdx, fountain, txt") && message.contains("'docx'"), message);
    HttpResponse<byte[]> none = get("/api/rooms/" + room.id() + "/export", room.viewerToken());
    assertEquals(400, none.statusCode());
    assertTrue(json(none).get("message").asText().contains("none was given"));
  }

  @Test
  void aRemovedMemberIs401() throws Exception {
    RestApi.Room r2 = api.room("Removal");
    RestApi.Response removed = api.call("DELETE", "/api/rooms/" + r2.id() + "/members/" + r2.viewerId(),
        r2.showrunnerToken(), null);
    assertEquals(204, removed.status());
    assertEquals(401, get("/api/rooms/" + r2.id() + "/export?format=fountain", r2.viewerToken()).statusCode());
    assertEquals(200, get("/api/rooms/" + r2.id() + "/export?format=fountain", r2.writerToken()).statusCode());
  }
}
