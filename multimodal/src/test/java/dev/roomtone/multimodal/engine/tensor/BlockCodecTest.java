package dev.roomtone.multimodal.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.roomtone.multimodal.engine.gguf.GgmlType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class BlockCodecTest {
  private static final long SEED = 0x5EED_0006L;

  private static WeightMatrix matrix(GgmlType type, byte[] bytes, int rows, int cols) {
    return new WeightMatrix("w", type, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN),
        rows, cols);
  }

  @Test
  void decodesHandBuiltBlocks() {
    // Q4_0: d = 1.0 (0x3c00); qs[0] = 0x9f → element 0 = 15−8, element 16 = 9−8
    byte[] q40 = new byte[18];
    q40[1] = 0x3c;
    q40[2] = (byte) 0x9f;
    for (int j = 1; j < 16; j++) {
      q40[2 + j] = (byte) 0x88;
    }
    float[] y = matrix(GgmlType.Q4_0, q40, 1, 32).dequantizeRow(0);
    assertEquals(7f, y[0]);
    assertEquals(1f, y[16]);
    assertEquals(0f, y[1]);
    // Q8_0: d = 0.5 (0x3800); q = −4 → −2
    byte[] q80 = new byte[34];
    q80[1] = 0x38;
    q80[2 + 5] = -4;
    assertEquals(-2f, matrix(GgmlType.Q8_0, q80, 1, 32).dequantizeRow(0)[5]);
    // BF16 0x3f80 = 1.0; F16 0xc000 = −2.0
    assertEquals(1f, matrix(GgmlType.BF16, new byte[] {(byte) 0x80, 0x3f}, 1, 1).dequantizeRow(0)[0]);
    assertEquals(-2f, matrix(GgmlType.F16, new byte[] {0, (byte) 0xc0}, 1, 1).dequantizeRow(0)[0]);
  }

  @ParameterizedTest
  @EnumSource(GgmlType.class)
  void dequantisationMatchesTheReferenceDecoder(GgmlType type) {
    System.out.println("seed " + SEED + " type " + type);
    SplittableRandom rnd = new SplittableRandom(SEED + type.ordinal());
    int rows = 3;
    int cols = 512;
    byte[] bytes = SyntheticWeights.random(type, rows, cols, 1f, rnd);
    // scramble the scales too, so every bit pattern of the block headers is exercised
    if (type != GgmlType.F32 && type != GgmlType.F16 && type != GgmlType.BF16) {
      for (int i = 0; i < bytes.length; i++) {
        if (rnd.nextInt(3) == 0) {
          bytes[i] = (byte) rnd.nextInt(256);
        }
      }
      sanitiseHalves(type, bytes);
    }
    WeightMatrix m = matrix(type, bytes, rows, cols);
    for (int r = 0; r < rows; r++) {
      double[] ref = ReferenceDecoder.row(type, bytes, r, cols);
      float[] got = m.dequantizeRow(r);
      for (int c = 0; c < cols; c++) {
        assertEquals(ref[c], got[c], Math.abs(ref[c]) * 1e-6 + 1e-30,
            type + " row " + r + " col " + c);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(GgmlType.class)
  void dotProductsMatchDequantiseThenMultiply(GgmlType type) {
    System.out.println("seed " + SEED + " type " + type);
    SplittableRandom rnd = new SplittableRandom(SEED * 31 + type.ordinal());
    int rows = 4;
    int cols = 768;
    byte[] bytes = SyntheticWeights.random(type, rows, cols, 1f, rnd);
    WeightMatrix m = matrix(type, bytes, rows, cols);
    float[] x = new float[cols + 5];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rnd.nextGaussian();
    }
    for (int r = 0; r < rows; r++) {
      double[] w = ReferenceDecoder.row(type, bytes, r, cols);
      double want = 0;
      double scale = 0;
      for (int c = 0; c < cols; c++) {
        want += w[c] * x[5 + c];
        scale += Math.abs(w[c] * x[5 + c]);
      }
      // float accumulation over 768 terms: relative error well under 1e-5 of Σ|w·x|
      assertEquals(want, m.dot(r, x, 5), scale * 1e-5, type + " row " + r);
    }
  }

  /** Random bytes can make a half-precision scale NaN or infinite; keep them finite. */
  private static void sanitiseHalves(GgmlType type, byte[] b) {
    int[] offsets = switch (type) {
      case Q8_0, Q4_0 -> new int[] {0};
      case Q4_K -> new int[] {0, 2};
      case Q6_K -> new int[] {208};
      default -> new int[0];
    };
    for (int blk = 0; blk < b.length; blk += type.blockBytes) {
      for (int o : offsets) {
        b[blk + o + 1] &= (byte) 0xbb; // clears exponent bits so the value stays finite
      }
    }
  }
}
