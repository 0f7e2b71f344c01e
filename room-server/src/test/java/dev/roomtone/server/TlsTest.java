package dev.roomtone.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS from a PKCS#12 key store in the configuration, as an operator sets it up. */
class TlsTest {

  private static final String PASSWORD = "roomtone-test";

  @TempDir
  static Path dir;
  private static Path keystore;

  /** A self-signed certificate for 127.0.0.1, made with the JDK's keytool. */
  @BeforeAll
  static void makeKeyStore() throws Exception {
    keystore = dir.resolve("server.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-keyalg", "EC", "-alias", "roomtone",
        "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
        "-keystore", keystore.toString(), "-storepass", PASSWORD).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, output);
  }

  private static Map<String, Object> tls(String password) {
    return Map.of("roomtone.tls.enabled", true, "roomtone.tls.keystore", keystore.toString(),
        "roomtone.tls.keystore-password", password);
  }

  @Test
  void servesHttpsWithTheConfiguredCertificate() throws Exception {
    try (RoomtoneServer server = RoomtoneServer.start(TestServers.config(dir.resolve("data"), tls(PASSWORD)))) {
      assertEquals("https", server.uri().getScheme());
      HttpClient trusting = HttpClient.newBuilder().sslContext(trusting()).connectTimeout(Duration.ofSeconds(10)).build();
      HttpResponse<String> health = trusting.send(HttpRequest.newBuilder(server.uri().resolve("/api/health")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, health.statusCode());
      assertTrue(health.body().contains("\"ok\""), health.body());

      // a client that does not know the certificate refuses the connection
      HttpClient stranger = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      assertThrows(javax.net.ssl.SSLHandshakeException.class, () -> stranger.send(
          HttpRequest.newBuilder(server.uri().resolve("/api/health")).build(), HttpResponse.BodyHandlers.ofString()));
      // plain HTTP on the TLS port gets nothing useful
      URI plain = URI.create(server.uri().toString().replaceFirst("^https", "http") + "/api/health");
      assertThrows(java.io.IOException.class, () -> stranger.send(HttpRequest.newBuilder(plain).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
  }

  @Test
  void aWrongKeyStorePasswordStopsTheStartWithAClearMessage() {
    RoomtoneServer.StartFailedException e = assertThrows(RoomtoneServer.StartFailedException.class,
        () -> RoomtoneServer.start(TestServers.config(dir.resolve("data2"), tls("not-the-password"))).close());
    assertTrue(e.getMessage().contains("Cannot load the TLS key store " + keystore), e.getMessage());
  }

  private static SSLContext trusting() throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, PASSWORD.toCharArray());
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }
}
