package dev.roomtone.actors.room;

/** What a room sends to one of its connections. */
public sealed interface SessionOut {

  /** A frame, already encoded with the connection's codec, to send as it is. */
  record Deliver(byte[] frame) implements SessionOut {
  }

  /** Send {@code finalFrame} (if not null), then close the connection. */
  record Close(byte[] finalFrame) implements SessionOut {
  }

  /**
   * The room does not hold this connection (it restarted, and with it forgot its connections):
   * close with {@code reason}, so that the client reconnects and resyncs rather than typing on
   * into a room that ignores it.
   */
  record Rejoin(String reason) implements SessionOut {
  }
}
