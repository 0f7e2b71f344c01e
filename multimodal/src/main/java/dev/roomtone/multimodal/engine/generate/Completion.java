package dev.roomtone.multimodal.engine.generate;

/** What a generation produced, why it ended, and how long its two phases took. */
public record Completion(
    String text,
    int[] tokens,
    int promptTokens,
    Finish finish,
    long prefillNanos,
    long decodeNanos) {

  /** Why generation ended. */
  public enum Finish { END_OF_GENERATION, STOP_STRING, MAX_TOKENS, CONTEXT_FULL, CANCELLED }

  public double prefillTokensPerSecond() {
    return promptTokens / (prefillNanos / 1e9);
  }

  /** Tokens per second after the first (which comes out of the prefill). */
  public double decodeTokensPerSecond() {
    return tokens.length <= 1 ? 0 : (tokens.length - 1) / (decodeNanos / 1e9);
  }
}
