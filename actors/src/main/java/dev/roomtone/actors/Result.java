package dev.roomtone.actors;

/** The answer to a request to a room: the value, or why it was refused. */
public sealed interface Result<T> {

  record Ok<T>(T value) implements Result<T> {
  }

  record Refused<T>(Refusal refusal) implements Result<T> {
  }

  static <T> Result<T> ok(T value) {
    return new Ok<>(value);
  }

  static <T> Result<T> refused(Refusal refusal) {
    return new Refused<>(refusal);
  }

  static <T> Result<T> refused(dev.roomtone.protocol.v1.ErrorCode code, String message) {
    return new Refused<>(new Refusal(code, message));
  }
}
