package dev.roomtone.server;

/** The server could not open its listening socket; the message says why, for the operator. */
public final class ListenFailedException extends Exception {

  public ListenFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
