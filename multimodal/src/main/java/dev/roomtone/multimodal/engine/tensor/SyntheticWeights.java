package dev.roomtone.multimodal.engine.tensor;

import dev.roomtone.multimodal.engine.gguf.GgmlType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.random.RandomGenerator;

/**
 * Random weights laid out directly in a ggml block format: random quants under small random
 * scales. Tests and the synthetic benchmark model use these; the values are roughly ±scale.
 */
public final class SyntheticWeights {
  private SyntheticWeights() {}

  private static short f16(float v) {
    return Float.floatToFloat16(v);
  }

  public static byte[] random(GgmlType type, int rows, int cols, float scale, RandomGenerator rnd) {
    long n = (long) rows * cols;
    ByteBuffer b = ByteBuffer.allocate((int) type.bytesFor(n)).order(ByteOrder.LITTLE_ENDIAN);
    switch (type) {
      case F32 -> {
        for (long i = 0; i < n; i++) {
          b.putFloat((float) (rnd.nextGaussian() * scale));
        }
      }
      case F16 -> {
        for (long i = 0; i < n; i++) {
          b.putShort(f16((float) (rnd.nextGaussian() * scale)));
        }
      }
      case BF16 -> {
        for (long i = 0; i < n; i++) {
          b.putShort((short) (Float.floatToIntBits((float) (rnd.nextGaussian() * scale)) >>> 16));
        }
      }
      case Q8_0 -> {
        for (long blk = 0; blk < n / 32; blk++) {
          b.putShort(f16(scale / 64 * (0.5f + rnd.nextFloat())));
          for (int j = 0; j < 32; j++) {
            b.put((byte) (rnd.nextInt(255) - 127));
          }
        }
      }
      case Q4_0 -> {
        for (long blk = 0; blk < n / 32; blk++) {
          b.putShort(f16(scale / 4 * (0.5f + rnd.nextFloat())));
          for (int j = 0; j < 16; j++) {
            b.put((byte) rnd.nextInt(256));
          }
        }
      }
      case Q4_K -> {
        for (long blk = 0; blk < n / 256; blk++) {
          // 6-bit scales reach 63 and quants 15: keep d·63·15 around 2·scale
          b.putShort(f16(scale / 470 * (0.5f + rnd.nextFloat())));
          b.putShort(f16(scale / 63 * (0.5f + rnd.nextFloat())));
          for (int j = 0; j < 12 + 128; j++) {
            b.put((byte) rnd.nextInt(256));
          }
        }
      }
      case Q6_K -> {
        for (long blk = 0; blk < n / 256; blk++) {
          for (int j = 0; j < 192; j++) {
            b.put((byte) rnd.nextInt(256));
          }
          for (int j = 0; j < 16; j++) {
            b.put((byte) (rnd.nextInt(255) - 127));
          }
          b.putShort(f16(scale / 2000 * (0.5f + rnd.nextFloat())));
        }
      }
    }
    return b.array();
  }
}
