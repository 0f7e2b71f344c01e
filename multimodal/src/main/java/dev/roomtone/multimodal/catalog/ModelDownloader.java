package dev.roomtone.multimodal.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Downloads a model into {@code target} through {@code target.part}: an interrupted download is
 * resumed with an HTTP range request, the finished file is checked against its SHA-256 before it
 * takes its final name, and a file that does not match is deleted.
 */
public final class ModelDownloader {
  /** Progress of a download: bytes on disk so far, and the total (-1 when unknown). */
  public interface Progress {
    void update(long bytes, long total);
  }

  private final HttpClient http;

  public ModelDownloader(HttpClient http) {
    this.http = http;
  }

  public static ModelDownloader standard() {
    return new ModelDownloader(HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NORMAL)
        .connectTimeout(Duration.ofSeconds(30)).build());
  }

  public static Path partial(Path target) {
    return target.resolveSibling(target.getFileName() + ".part");
  }

  public void download(URI url, Path target, String sha256, Progress progress)
      throws IOException, InterruptedException {
    if (sha256 == null || !sha256.matches("[0-9a-fA-F]{64}")) {
      throw new IllegalArgumentException("a SHA-256 checksum (64 hex digits) is needed to"
          + " download " + url);
    }
    Path part = partial(target);
    Files.createDirectories(target.toAbsolutePath().getParent());
    long have = Files.exists(part) ? Files.size(part) : 0;
    HttpRequest.Builder req = HttpRequest.newBuilder(url).GET();
    if (have > 0) {
      req.header("Range", "bytes=" + have + "-");
    }
    HttpResponse<InputStream> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
    int status = resp.statusCode();
    boolean append;
    long total;
    if (status == 206 && have > 0) {
      append = true;
      total = resp.headers().firstValue("Content-Range")
          .map(v -> v.substring(v.lastIndexOf('/') + 1))
          .filter(v -> v.matches("\\d+")).map(Long::parseLong).orElse(-1L);
    } else if (status == 200) {
      append = false; // the server ignored the range: start over
      have = 0;
      total = resp.headers().firstValueAsLong("Content-Length").orElse(-1L);
    } else if (status == 416 && have > 0) {
      append = true; // already complete
      total = have;
      resp.body().close();
    } else {
      resp.body().close();
      throw new IOException("download of " + url + " failed: HTTP " + status);
    }
    if (status != 416) {
      try (InputStream in = resp.body();
          OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE,
              append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        byte[] buf = new byte[1 << 16];
        long done = have;
        progress.update(done, total);
        for (int n; (n = in.read(buf)) > 0; ) {
          out.write(buf, 0, n);
          done += n;
          progress.update(done, total);
        }
      }
    }
    String actual = sha256(part);
    if (!actual.equalsIgnoreCase(sha256)) {
      Files.deleteIfExists(part);
      throw new IOException("checksum mismatch for " + url + ": expected " + sha256.toLowerCase()
          + ", got " + actual + "; the download was deleted");
    }
    Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  public static String sha256(Path file) throws IOException {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      try (InputStream in = Files.newInputStream(file)) {
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
          md.update(buf, 0, n);
        }
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
