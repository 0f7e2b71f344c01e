package dev.roomtone.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DownloadNameTest {

  @Test
  void aPlainNameIsTheFileNameAsIs() {
    DownloadName n = DownloadName.of("Season 2", "k3v9", "pdf");
    assertEquals("Season 2.pdf", n.ascii());
    assertEquals("attachment; filename=\"Season 2.pdf\"", n.contentDisposition());
  }

  @Test
  void aNonAsciiNameGoesInFilenameStarWithAnAsciiFallback() {
    DownloadName n = DownloadName.of("Harbour Lights \u2014 Caf\u00e9 \u201cNoir\u201d", "k3v9", "fdx");
    assertEquals("Harbour Lights - Cafe 'Noir'.fdx", n.ascii());
    assertEquals("Harbour Lights \u2014 Caf\u00e9 \u201cNoir\u201d.fdx", n.unicode());
    String header = n.contentDisposition();
    assertEquals("attachment; filename=\"Harbour Lights - Cafe 'Noir'.fdx\"; filename*=UTF-8''"
        + "Harbour%20Lights%20%E2%80%94%20Caf%C3%A9%20%E2%80%9CNoir%E2%80%9D.fdx", header);
    String encoded = header.substring(header.indexOf("UTF-8''") + 7);
    assertEquals(n.unicode(), URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8));
  }

  @Test
  void charactersNoFileSystemTakesAreRemoved() {
    DownloadName n = DownloadName.of("..Ep. 1/2: \"Who?\" <draft>\t| final...", "k3v9", "fountain");
    assertEquals("Ep. 1 2 Who draft final.fountain", n.unicode());
    assertEquals(n.unicode(), n.ascii());
  }

  @Test
  void aNameWithNoAsciiSpellingFallsBackToTheRoomIdForOldClients() {
    DownloadName n = DownloadName.of("\u591c\u306e\u98df\u5802", "k3v9", "pdf");
    assertEquals("k3v9.pdf", n.ascii());
    assertEquals("\u591c\u306e\u98df\u5802.pdf", n.unicode());
    assertEquals("attachment; filename=\"k3v9.pdf\"; filename*=UTF-8''%E5%A4%9C%E3%81%AE%E9%A3%9F%E5%A0%82.pdf",
        n.contentDisposition());
    assertEquals("k3v9.pdf", DownloadName.of(" ?* ", "k3v9", "pdf").unicode());
  }
}
