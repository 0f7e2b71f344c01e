package dev.roomtone.multimodal.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.roomtone.multimodal.engine.gguf.GgmlType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The llama.cpp-exact products are checked bit for bit against llama.cpp by the oracle test; here
 * they must also stay what they claim to be: the product of the decoded weights with the
 * activations, off only by the 8-bit rounding of the activations.
 */
class LlamaCppProductsTest {
  private static final long SEED = 4_242;

  @ParameterizedTest
  @EnumSource(value = GgmlType.class, names = {"Q8_0", "Q4_0", "Q4_K", "Q6_K"})
  void productsAreTheDecodedWeightsTimesTheActivations(GgmlType type) {
    System.out.println("seed " + SEED + " " + type);
    Random rnd = new Random(SEED);
    // 12 rows: not a multiple of eight, so Q4_0 takes the unrepacked path; 16 rows the other
    for (int rows : new int[] {12, 16}) {
      int cols = 512;
      ByteBuffer data = ByteBuffer.wrap(SyntheticWeights.random(type, rows, cols, 1f, rnd))
          .order(ByteOrder.LITTLE_ENDIAN);
      WeightMatrix w = new WeightMatrix("w", type, data, rows, cols);
      float[][] x = new float[2][cols];
      for (float[] row : x) {
        for (int i = 0; i < cols; i++) {
          row[i] = (float) rnd.nextGaussian();
        }
      }
      float[][] out = new float[2][rows];
      LlamaCppProducts.matmul(w, x, out, 2);
      for (int b = 0; b < 2; b++) {
        for (int r = 0; r < rows; r++) {
          double exact = 0;
          double scale = 0;
          float[] wr = w.dequantizeRow(r);
          for (int i = 0; i < cols; i++) {
            exact += (double) wr[i] * x[b][i];
            scale += Math.abs((double) wr[i] * x[b][i]);
          }
          // each activation moves by at most half a level of 1/127 of its block's largest value
          assertEquals(exact, out[b][r], 0.005 * scale, type + " row " + r + " batch " + b);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16"})
  void floatTypesAreNotCovered(GgmlType type) {
    assertFalse(LlamaCppProducts.covers(type));
    WeightMatrix w = new WeightMatrix("w", type, ByteBuffer.allocate(0), 0, 32);
    assertThrows(IllegalArgumentException.class,
        () -> LlamaCppProducts.matmul(w, new float[1][32], new float[1][0], 1));
  }
}
