package dev.roomtone.multimodal.engine.tensor;

import dev.roomtone.multimodal.engine.gguf.GgmlType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * One kernel check: eight random rows of a type, in lengths that reach every loop's tail, and a
 * batch of random activations. Shared by {@link KernelsTest} and the child JVMs of
 * {@link KernelsProbe}, so both check the same products.
 */
record KernelCase(GgmlType type, byte[] bytes, WeightMatrix matrix, float[][] x) {
  static final int ROWS = 8;

  static KernelCase of(GgmlType type, int batch, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed + 97L * type.ordinal() + batch);
    int cols = switch (type.blockSize) {
      case 1 -> 771; // no multiple of any vector width: the tails
      case 32 -> 800; // 25 blocks: passes of four blocks and one left over
      default -> 768;
    };
    byte[] bytes = SyntheticWeights.random(type, ROWS, cols, 1f, rnd);
    WeightMatrix m = new WeightMatrix("w", type, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN), ROWS, cols);
    float[][] x = new float[batch][cols];
    for (float[] v : x) {
      for (int c = 0; c < cols; c++) {
        v[c] = (float) rnd.nextGaussian();
      }
    }
    return new KernelCase(type, bytes, m, x);
  }

  int cols() {
    return matrix.cols();
  }

  /**
   * Token b's activations as these kernels multiply them: as they are, or in Q8_0's 8-bit format
   * where {@link Kernels#eightBitActivations} says so (per 32 block: d = max|x| / 127, q =
   * round(x / d) ties to even, the value q·d).
   */
  double[] activations(Kernels k, int b) {
    float[] v = x[b];
    double[] a = new double[v.length];
    if (!k.eightBitActivations(type, x.length)) {
      for (int c = 0; c < v.length; c++) {
        a[c] = v[c];
      }
      return a;
    }
    for (int block = 0; block < v.length / 32; block++) {
      float amax = 0;
      for (int c = 32 * block; c < 32 * block + 32; c++) {
        amax = Math.max(amax, Math.abs(v[c]));
      }
      float d = amax / 127f;
      for (int c = 32 * block; c < 32 * block + 32; c++) {
        a[c] = d == 0 ? 0 : Math.rint(v[c] * (1f / d)) * (double) d;
      }
    }
    return a;
  }
}
