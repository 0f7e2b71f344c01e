package dev.roomtone.multimodal.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads from a real HTTP server on loopback that supports ranges and can drop a transfer. */
class ModelDownloaderTest {
  private static final long SEED = 6_0066;
  @TempDir Path dir;
  private HttpServer server;
  private byte[] payload;
  private volatile int cutAfter = -1; // drop the next response after this many bytes
  private final List<String> ranges = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    System.out.println("seed " + SEED);
    payload = new byte[300_000];
    new SplittableRandom(SEED).nextBytes(payload);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/model.gguf", this::serve);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void serve(HttpExchange ex) throws IOException {
    String range = ex.getRequestHeaders().getFirst("Range");
    ranges.add(range == null ? "none" : range);
    int from = 0;
    if (range != null) {
      from = Integer.parseInt(range.substring("bytes=".length(), range.indexOf('-')));
      ex.getResponseHeaders().add("Content-Range",
          "bytes " + from + "-" + (payload.length - 1) + "/" + payload.length);
      ex.sendResponseHeaders(206, payload.length - from);
    } else {
      ex.sendResponseHeaders(200, payload.length);
    }
    OutputStream out = ex.getResponseBody();
    int cut = cutAfter;
    cutAfter = -1;
    if (cut >= 0) {
      out.write(payload, from, cut);
      out.flush();
      ex.getHttpContext().getServer(); // the connection is dropped mid-body:
      ex.close();
      return;
    }
    out.write(payload, from, payload.length - from);
    out.close();
  }

  private URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/model.gguf");
  }

  private String sha() throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload));
  }

  @Test
  void resumesAnInterruptedDownloadAndVerifiesIt() throws Exception {
    Path target = dir.resolve("models/m.gguf");
    ModelDownloader d = ModelDownloader.standard();
    cutAfter = 100_000;
    List<long[]> progress = new ArrayList<>();
    assertThrows(IOException.class, () -> d.download(url(), target, sha(),
        (b, t) -> progress.add(new long[] {b, t})));
    assertFalse(Files.exists(target), "nothing takes the final name before it is verified");
    long kept = Files.size(ModelDownloader.partial(target));
    assertTrue(kept > 0 && kept < payload.length, "the partial file is kept: " + kept);

    progress.clear();
    d.download(url(), target, sha(), (b, t) -> progress.add(new long[] {b, t}));
    assertEquals("bytes=" + kept + "-", ranges.get(ranges.size() - 1), "resumed with a range");
    assertArrayEquals(payload, Files.readAllBytes(target));
    assertFalse(Files.exists(ModelDownloader.partial(target)));
    assertEquals(kept, progress.get(0)[0], "progress starts from what was already there");
    assertEquals(payload.length, progress.get(progress.size() - 1)[0]);
    assertEquals(payload.length, progress.get(progress.size() - 1)[1], "total is known");
  }

  @Test
  void refusesAChecksumMismatchAndDeletesThePartialFile() throws Exception {
    Path target = dir.resolve("m.gguf");
    String wrong = "0".repeat(64);
    IOException e = assertThrows(IOException.class,
        () -> ModelDownloader.standard().download(url(), target, wrong, (b, t) -> {}));
    assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    assertTrue(e.getMessage().contains(sha()), "names the checksum it got");
    assertFalse(Files.exists(target));
    assertFalse(Files.exists(ModelDownloader.partial(target)));
  }

  @Test
  void refusesToDownloadWithoutAChecksum() {
    assertThrows(IllegalArgumentException.class, () -> ModelDownloader.standard()
        .download(url(), dir.resolve("x.gguf"), null, (b, t) -> {}));
    assertTrue(ranges.isEmpty(), "nothing was requested");
  }
}
