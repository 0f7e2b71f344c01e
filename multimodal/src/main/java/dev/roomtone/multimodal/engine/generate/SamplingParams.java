package dev.roomtone.multimodal.engine.generate;

import java.util.List;

/**
 * How the next token is chosen and when generation ends. A temperature of 0 is greedy. Filters
 * apply in llama.cpp's order: repetition penalty, top-k, top-p, min-p, temperature.
 */
public record SamplingParams(
    float temperature,
    int topK,
    float topP,
    float minP,
    float repetitionPenalty,
    int repetitionWindow,
    long seed,
    int maxTokens,
    List<String> stop) {

  public SamplingParams {
    if (temperature < 0 || topK < 0 || topP <= 0 || topP > 1 || minP < 0 || minP >= 1
        || repetitionPenalty <= 0 || repetitionWindow < 0 || maxTokens <= 0) {
      throw new IllegalArgumentException("invalid sampling parameters: temperature " + temperature
          + ", top-k " + topK + ", top-p " + topP + ", min-p " + minP + ", repetition penalty "
          + repetitionPenalty + ", max tokens " + maxTokens);
    }
    stop = List.copyOf(stop);
  }

  public static SamplingParams greedy(int maxTokens) {
    return new SamplingParams(0, 0, 1, 0, 1, 64, 0, maxTokens, List.of());
  }

  /** Sensible defaults for creative writing. */
  public static SamplingParams creative(long seed, int maxTokens) {
    return new SamplingParams(0.8f, 40, 0.95f, 0.05f, 1.1f, 64, seed, maxTokens, List.of());
  }

  public SamplingParams withStop(List<String> stops) {
    return new SamplingParams(temperature, topK, topP, minP, repetitionPenalty, repetitionWindow,
        seed, maxTokens, stops);
  }
}
