package dev.roomtone.multimodal.backend;

/**
 * A model server could not deliver. The message is worded for the writer who asked and the
 * operator who reads the log: which server, what went wrong, what it said.
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

  private final Kind kind;

  public BackendException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public BackendException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
