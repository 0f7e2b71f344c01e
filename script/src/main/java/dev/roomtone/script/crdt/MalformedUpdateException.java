package dev.roomtone.script.crdt;

/**
 * Thrown when bytes claiming to be a Yjs update, state vector or relative position cannot be
 * decoded. Nothing has been changed when it is thrown; the message names the problem and the byte
 * offset where it was found.
 */
public class MalformedUpdateException extends RuntimeException {

  private final int offset;

  MalformedUpdateException(String problem, int offset) {
    super(problem + " (at byte " + offset + ")");
    this.offset = offset;
  }

  /** Byte offset in the input where decoding failed. */
  public int offset() {
    return offset;
  }
}
