package dev.roomtone.actors.room;

/** What a room sends to one of its connections. */
public sealed interface SessionOut {

  /** A frame, already encoded with the connection's codec, to send as it is. */
  record Deliver(byte[] frame) implements SessionOut {
  }

  /** Send {@code finalFrame} (if not null), then close the connection. */
  record Close(byte[] finalFrame) implements SessionOut {
  }
}
