package dev.roomtone.gpu;

/** Why a submission was refused, as a code to branch on and a sentence for the person who asked. */
public record Refusal(Reason reason, String message) {

  public enum Reason {
    SESSION_QUEUE_FULL,
    QUEUE_FULL,
    UNKNOWN_MODEL,
    FITS_NO_DEVICE,
    DEADLINE_PASSED,
    DUPLICATE_ID
  }
}
