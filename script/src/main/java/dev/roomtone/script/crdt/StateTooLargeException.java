package dev.roomtone.script.crdt;

/** A well-formed awareness state that is larger than the room allows. */
public final class StateTooLargeException extends MalformedUpdateException {

  StateTooLargeException(String problem, int offset) {
    super(problem, offset);
  }
}
