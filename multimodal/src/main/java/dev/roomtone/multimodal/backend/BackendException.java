package dev.roomtone.multimodal.backend;

/**
 * A model server could not deliver. The message is for everyone in the room, viewers included:
 * what went wrong, never the server's address or its own words, which may carry internal detail.
 * {@link #detail()} is for the operator's log: which server, what it was asked and what it said.
 */
public final class BackendException extends Exception {

  /** Why the job failed, for the client and for metrics. */
  public enum Kind {
    /** The server answered with an error (bad request, unknown model, overloaded, …). */
    REFUSED,
    /** The server's answer does not follow its protocol. */
    MALFORMED,
    /** No answer, or no progress, within the configured time. */
    TIMEOUT,
    /** The server could not be reached. */
    UNREACHABLE,
    /** The requester, the room or a deadline cancelled the job. */
    CANCELLED
  }

  /** Longest detail kept: a server's error page can be long, and the log is read by people. */
  static final int MAX_DETAIL = 1_000;

  private final Kind kind;
  private final String detail;

  /** A failure whose message is all the operator needs too (nothing of the server's in it). */
  public BackendException(Kind kind, String message) {
    this(kind, message, message, null);
  }

  public BackendException(Kind kind, String message, Throwable cause) {
    this(kind, message, message, cause);
  }

  /** {@code message} for the room; {@code detail} for the operator's log only. */
  public BackendException(Kind kind, String message, String detail) {
    this(kind, message, detail, null);
  }

  public BackendException(Kind kind, String message, String detail, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.detail = oneLine(detail == null ? message : detail);
  }

  public Kind kind() {
    return kind;
  }

  /**
   * The failure as the operator needs it to find the fault, capped and on one line (a server's
   * text could otherwise forge log lines); never shown to the room.
   */
  public String detail() {
    return detail;
  }

  private static String oneLine(String s) {
    String flat = s.replaceAll("[\\p{Cntrl}\\p{Zl}\\p{Zp}]+", " ").strip();
    if (flat.length() <= MAX_DETAIL) {
      return flat;
    }
    int end = Character.isHighSurrogate(flat.charAt(MAX_DETAIL - 1)) ? MAX_DETAIL - 1 : MAX_DETAIL;
    return flat.substring(0, end) + "…";
  }
}
