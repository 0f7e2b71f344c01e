package dev.roomtone.script.screenplay;

/** Input that is not a script in the expected format; the message says what is wrong and where. */
public final class ScriptFormatException extends Exception {

  public ScriptFormatException(String message) {
    super(message);
  }

  public ScriptFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
