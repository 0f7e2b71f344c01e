package dev.roomtone.multimodal.engine.tensor;

import dev.roomtone.multimodal.engine.gguf.GgmlType;

/**
 * Decodes one element at a time, straight from ggml's block struct descriptions, in double
 * precision: slow and obviously correct, the yardstick for the engine's kernels.
 */
public final class ReferenceDecoder {
  private ReferenceDecoder() {}

  static int u8(byte[] b, int i) {
    return b[i] & 0xff;
  }

  static double half(byte[] b, int i) {
    int bits = u8(b, i) | (u8(b, i + 1) << 8);
    int sign = (bits >> 15) == 1 ? -1 : 1;
    int exp = (bits >> 10) & 31;
    int mant = bits & 1023;
    if (exp == 0) {
      return sign * Math.pow(2, -14) * (mant / 1024.0);
    }
    if (exp == 31) {
      return mant == 0 ? sign * Double.POSITIVE_INFINITY : Double.NaN;
    }
    return sign * Math.pow(2, exp - 15) * (1 + mant / 1024.0);
  }

  /** Element i of a tensor whose raw bytes are {@code b}. */
  public static double element(GgmlType type, byte[] b, long i) {
    switch (type) {
      case F32 -> {
        int at = (int) (4 * i);
        return Float.intBitsToFloat(u8(b, at) | u8(b, at + 1) << 8 | u8(b, at + 2) << 16
            | u8(b, at + 3) << 24);
      }
      case F16 -> {
        return half(b, (int) (2 * i));
      }
      case BF16 -> {
        int at = (int) (2 * i);
        return Float.intBitsToFloat((u8(b, at) | u8(b, at + 1) << 8) << 16);
      }
      case Q8_0 -> {
        int blk = (int) (i / 32) * 34;
        int j = (int) (i % 32);
        return half(b, blk) * b[blk + 2 + j];
      }
      case Q4_0 -> {
        int blk = (int) (i / 32) * 18;
        int j = (int) (i % 32);
        int byt = u8(b, blk + 2 + j % 16);
        int q = j < 16 ? byt & 15 : byt >> 4;
        return half(b, blk) * (q - 8);
      }
      case Q4_K -> {
        int blk = (int) (i / 256) * 144;
        int e = (int) (i % 256);
        int sub = e / 32; // which of the 8 sub-blocks
        int l = e % 32;
        int byt = u8(b, blk + 16 + 32 * (sub / 2) + l);
        int q = sub % 2 == 0 ? byt & 15 : byt >> 4;
        int s = blk + 4;
        int scale;
        int min;
        if (sub < 4) {
          scale = u8(b, s + sub) & 63;
          min = u8(b, s + sub + 4) & 63;
        } else {
          scale = (u8(b, s + sub + 4) & 15) | ((u8(b, s + sub - 4) >> 6) << 4);
          min = (u8(b, s + sub + 4) >> 4) | ((u8(b, s + sub) >> 6) << 4);
        }
        return half(b, blk) * scale * q - half(b, blk + 2) * min;
      }
      case Q6_K -> {
        int blk = (int) (i / 256) * 210;
        int e = (int) (i % 256);
        int h = e / 128;
        int k = (e % 128) / 32;
        int l = e % 32;
        int lowByte = u8(b, blk + 64 * h + l + (k % 2 == 1 ? 32 : 0));
        int low = k < 2 ? lowByte & 15 : lowByte >> 4;
        int high = (u8(b, blk + 128 + 32 * h + l) >> (2 * k)) & 3;
        int scale = b[blk + 192 + 8 * h + l / 16 + 2 * k];
        return half(b, blk + 208) * scale * ((low | high << 4) - 32);
      }
    }
    throw new AssertionError(type);
  }

  public static double[] row(GgmlType type, byte[] b, int row, int cols) {
    double[] out = new double[cols];
    for (int c = 0; c < cols; c++) {
      out[c] = element(type, b, (long) row * cols + c);
    }
    return out;
  }
}
