package dev.roomtone.server;

/** Body of {@code GET /api/health}: whether the server is up, and which build is answering. */
public record Health(String status, String version) {

  /** The report of a server that is up and serving requests. */
  public static Health ok(String version) {
    return new Health("ok", version);
  }
}
