package dev.roomtone.multimodal.engine.tensor;

/** Plain Java loops over the block formats: what runs when the Vector API is not present. */
final class ScalarKernels implements Kernels {
  static final ScalarKernels INSTANCE = new ScalarKernels();

  private ScalarKernels() {}

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public String toString() {
    return name();
  }

  @Override
  public void rows(WeightMatrix w, float[][] x, float[][] out, int batch, int from, int to) {
    for (int r = from; r < to; r++) {
      for (int b = 0; b < batch; b++) {
        out[b][r] = w.dot(r, x[b], 0);
      }
    }
  }
}
