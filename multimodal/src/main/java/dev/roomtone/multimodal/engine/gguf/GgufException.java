package dev.roomtone.multimodal.engine.gguf;

/** A model file that cannot be used; the message names the problem and where it is. */
public final class GgufException extends RuntimeException {
  public GgufException(String message) {
    super(message);
  }

  public GgufException(String message, Throwable cause) {
    super(message, cause);
  }
}
