package dev.roomtone.multimodal.engine.tensor;

/**
 * The inner loop of a matrix product on the CPU: rows {@code from..to} of a weight against every
 * vector of the batch. {@link CpuKernels#best()} chooses the implementation once per JVM. Not
 * sealed: the vector implementation is compiled on its own, for Java 22 (multimodal/pom.xml).
 */
public interface Kernels {
  /** "scalar" or "vector-N" (N float lanes), for logs and benchmark output. */
  String name();

  /** out[b][r] = Σ_c w[r][c] · x[b][c] for r in [from, to) and b in [0, batch). */
  void rows(WeightMatrix w, float[][] x, float[][] out, int batch, int from, int to);
}
