package dev.roomtone.multimodal.engine.tensor;

import dev.roomtone.multimodal.engine.gguf.GgmlType;

/**
 * The inner loop of a matrix product on the CPU: rows {@code from..to} of a weight against every
 * vector of the batch. {@link CpuKernels#best()} chooses the implementation once per JVM. Not
 * sealed: the vector implementation is compiled on its own, for Java 22 (multimodal/pom.xml).
 */
public interface Kernels {
  /** "scalar", "vector-N" or "vector-N-exact" (N float lanes), for logs and benchmark output. */
  String name();

  /**
   * out[b][r] = Σ_c w[r][c] · x[b][c] for r in [from, to) and b in [0, batch), where x is taken
   * in 8 bits per 32-element block when {@link #eightBitActivations} says so.
   */
  void rows(WeightMatrix w, float[][] x, float[][] out, int batch, int from, int to);

  /**
   * Whether products with weights of this type, for a batch of this size, take the activations in
   * Q8_0's 8-bit format (per 32-element block d = max|x| / 127, q = round(x / d), ties to even)
   * rather than in float: llama.cpp's way, faster, with the activations' rounding error added to
   * the weights' own.
   */
  default boolean eightBitActivations(GgmlType type, int batch) {
    return false;
  }
}
