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
}
