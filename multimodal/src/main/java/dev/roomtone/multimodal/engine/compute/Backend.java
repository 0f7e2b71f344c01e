package dev.roomtone.multimodal.engine.compute;

import dev.roomtone.multimodal.engine.tensor.WeightMatrix;

/**
 * Where the matrix products of a forward pass run. The element-wise parts of the pass (norms,
 * RoPE, attention over the cache) stay on the CPU; the products are where the bytes are.
 */
public interface Backend extends AutoCloseable {
  /** A short name for logs and benchmark output: "cpu", "opencl:NAME", "cuda:NAME". */
  String name();

  /** out[b][r] = Σ_c w[r][c] · x[b][c] for every row r and every vector b of the batch. */
  void matmul(WeightMatrix w, float[][] x, float[][] out, int batch);

  @Override
  default void close() {}
}
