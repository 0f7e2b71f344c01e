package dev.roomtone.multimodal.engine.tensor;

import dev.roomtone.multimodal.engine.gguf.GgmlType;
import java.nio.ByteBuffer;

/**
 * Matrix products of quantised weights that reproduce llama.cpp's x86 (AVX2) CPU kernels to the
 * last bit, for the greedy comparisons with llama.cpp ({@link ActivationRounding#LLAMA_CPP}).
 * Rounding the activations the same way is not enough on its own: once activations are 8-bit, a
 * one-ulp difference in a sum can move an activation to the next level a layer later, and a random
 * tiny model amplifies that into a different token. So the integer sums, their grouping into
 * eight SIMD lanes, the fused multiply-adds and the final horizontal sum follow llama.cpp:
 *
 * <ul>
 *   <li>Q8_0 (ggml_vec_dot_q8_0_q8_0): lane l of every 32-block holds the exact sum of elements
 *       4l..4l+3; {@code acc[l] = fma(d_w·d_a, lane, acc[l])}; then {@code hsum_float_8}.
 *   <li>Q4_0: llama.cpp repacks the weights (eight rows interleaved) and sums each whole block
 *       exactly: {@code acc = fma(sum, d_w·d_a, acc)}; a matrix whose rows are not a multiple of
 *       eight is not repacked and takes the lanes of ggml_vec_dot_q4_0_q8_0, as Q8_0 does.
 *   <li>Q4_K, Q6_K against Q8_K: per 256-element super-block, lanes as for Q8_0 within each
 *       32-element group, weighted by the integer sub-block scales; {@code acc[l] = fma(d, lane,
 *       acc[l])} with {@code d = d_a·d_w}. Q4_K's minimums go to a separate four-lane
 *       accumulator, as llama.cpp does.
 * </ul>
 *
 * The product of two half-precision scales is exact in float, so no rounding hides there.
 */
public final class LlamaCppProducts {
  private LlamaCppProducts() {}

  /** Whether this weight type has an exact product here. */
  public static boolean covers(GgmlType type) {
    return type == GgmlType.Q8_0 || type == GgmlType.Q4_0 || type == GgmlType.Q4_K
        || type == GgmlType.Q6_K;
  }

  /** out[b] = w · x[b] for the first n rows of x, as llama.cpp computes it. */
  public static void matmul(WeightMatrix w, float[][] x, float[][] out, int n) {
    GgmlType type = w.type();
    if (!covers(type)) {
      throw new IllegalArgumentException("no exact llama.cpp product for " + type);
    }
    boolean k = type == GgmlType.Q4_K || type == GgmlType.Q6_K;
    ByteBuffer data = w.data();
    for (int b = 0; b < n; b++) {
      byte[] q = new byte[w.cols()];
      float[] d = new float[w.cols() / (k ? 256 : 32)];
      if (k) {
        quantizeQ8K(x[b], q, d);
      } else {
        quantizeQ8_0(x[b], q, d);
      }
      for (int r = 0; r < w.rows(); r++) {
        int at = r * w.rowBytes();
        out[b][r] = switch (type) {
          case Q8_0 -> rowLanes(type, data, at, q, d);
          // llama.cpp repacks a Q4_0 matrix only when its rows come in whole groups of eight
          case Q4_0 -> w.rows() % 8 == 0 ? rowWholeBlocks(type, data, at, q, d) : rowLanes(type, data, at, q, d);
          case Q4_K -> rowQ4K(data, at, q, d);
          default -> rowQ6K(data, at, q, d);
        };
      }
    }
  }

  /** Q8_0, and Q4_0 when not repacked: eight lanes of four elements per block, as vec_dot does. */
  private static float rowLanes(GgmlType type, ByteBuffer data, int at, byte[] q, float[] d) {
    float[] acc = new float[8];
    int[] w = new int[32];
    for (int k = 0; k < d.length; k++) {
      int p = at + k * type.blockBytes;
      decode32(type, data, p, w);
      float dd = Float.float16ToFloat(data.getShort(p)) * d[k];
      for (int l = 0; l < 8; l++) {
        int lane = 0;
        for (int i = 0; i < 4; i++) {
          lane += w[4 * l + i] * q[k * 32 + 4 * l + i];
        }
        acc[l] = Math.fma(dd, (float) lane, acc[l]);
      }
    }
    return hsum8(acc);
  }

  /** Q4_0 repacked: each whole block's exact sum, one fused multiply-add per block. */
  private static float rowWholeBlocks(GgmlType type, ByteBuffer data, int at, byte[] q, float[] d) {
    float acc = 0f;
    int[] w = new int[32];
    for (int k = 0; k < d.length; k++) {
      int p = at + k * type.blockBytes;
      decode32(type, data, p, w);
      float dd = Float.float16ToFloat(data.getShort(p)) * d[k];
      int sum = 0;
      for (int j = 0; j < 32; j++) {
        sum += w[j] * q[k * 32 + j];
      }
      acc = Math.fma((float) sum, dd, acc);
    }
    return acc;
  }

  /** The 32 integer quants of the Q8_0 or Q4_0 block at p (Q4_0: low nibbles first, less 8). */
  private static void decode32(GgmlType type, ByteBuffer data, int p, int[] w) {
    if (type == GgmlType.Q8_0) {
      for (int j = 0; j < 32; j++) {
        w[j] = data.get(p + 2 + j);
      }
      return;
    }
    for (int j = 0; j < 16; j++) {
      int packed = data.get(p + 2 + j) & 0xff;
      w[j] = (packed & 0x0f) - 8;
      w[j + 16] = (packed >>> 4) - 8;
    }
  }

  private static float rowQ4K(ByteBuffer data, int at, byte[] q, float[] d) {
    float[] acc = new float[8];
    float[] accMin = new float[4];
    int[] quant = new int[256];
    for (int s = 0; s < d.length; s++) {
      int p = at + s * 144;
      int sc = p + 4;
      for (int g = 0; g < 4; g++) {
        for (int l = 0; l < 32; l++) {
          int packed = data.get(p + 16 + 32 * g + l) & 0xff;
          quant[64 * g + l] = packed & 0x0f;
          quant[64 * g + 32 + l] = packed >>> 4;
        }
      }
      int[] lanes = new int[8];
      int[] groupSums = new int[8];
      for (int j = 0; j < 8; j++) {
        int scale = BlockCodec.scaleK4(data, sc, j);
        for (int l = 0; l < 8; l++) {
          int lane = 0;
          for (int i = 0; i < 4; i++) {
            int e = 32 * j + 4 * l + i;
            lane += quant[e] * q[s * 256 + e];
            groupSums[j] += q[s * 256 + e];
          }
          lanes[l] += scale * lane;
        }
      }
      float dd = d[s] * Float.float16ToFloat(data.getShort(p));
      float dmin = -d[s] * Float.float16ToFloat(data.getShort(p + 2));
      for (int m = 0; m < 4; m++) {
        int prod = BlockCodec.minK4(data, sc, 2 * m) * groupSums[2 * m]
            + BlockCodec.minK4(data, sc, 2 * m + 1) * groupSums[2 * m + 1];
        accMin[m] = Math.fma(dmin, (float) prod, accMin[m]);
      }
      for (int l = 0; l < 8; l++) {
        acc[l] = Math.fma(dd, (float) lanes[l], acc[l]);
      }
    }
    return hsum8(acc) + ((accMin[0] + accMin[2]) + (accMin[1] + accMin[3]));
  }

  private static float rowQ6K(ByteBuffer data, int at, byte[] q, float[] d) {
    float[] acc = new float[8];
    int[] quant = new int[256];
    int[] scale = new int[256];
    for (int s = 0; s < d.length; s++) {
      int p = at + s * 210;
      for (int h = 0; h < 2; h++) {
        int ql = p + 64 * h;
        int qh = p + 128 + 32 * h;
        int sc = p + 192 + 8 * h;
        int base = 128 * h;
        for (int l = 0; l < 32; l++) {
          int lo0 = data.get(ql + l) & 0xff;
          int lo1 = data.get(ql + l + 32) & 0xff;
          int hi = data.get(qh + l) & 0xff;
          quant[base + l] = ((lo0 & 0xf) | ((hi & 3) << 4)) - 32;
          quant[base + l + 32] = ((lo1 & 0xf) | (((hi >> 2) & 3) << 4)) - 32;
          quant[base + l + 64] = ((lo0 >> 4) | (((hi >> 4) & 3) << 4)) - 32;
          quant[base + l + 96] = ((lo1 >> 4) | (((hi >> 6) & 3) << 4)) - 32;
          int is = l / 16;
          scale[base + l] = data.get(sc + is);
          scale[base + l + 32] = data.get(sc + is + 2);
          scale[base + l + 64] = data.get(sc + is + 4);
          scale[base + l + 96] = data.get(sc + is + 6);
        }
      }
      int[] lanes = new int[8];
      for (int e = 0; e < 256; e++) {
        lanes[(e % 32) / 4] += scale[e] * quant[e] * q[s * 256 + e];
      }
      float dd = d[s] * Float.float16ToFloat(data.getShort(p + 208));
      for (int l = 0; l < 8; l++) {
        acc[l] = Math.fma(dd, (float) lanes[l], acc[l]);
      }
    }
    return hsum8(acc);
  }

  /** hsum_float_8: the two 128-bit halves added, then pairs, then the last two. */
  private static float hsum8(float[] a) {
    return ((a[4] + a[0]) + (a[6] + a[2])) + ((a[5] + a[1]) + (a[7] + a[3]));
  }

  /** quantize_row_q8_0 on x86: q = round-half-even(x · 127/amax), d = amax/127 in half. */
  static void quantizeQ8_0(float[] x, byte[] q, float[] d) {
    for (int k = 0; k < d.length; k++) {
      float amax = 0;
      for (int j = 0; j < 32; j++) {
        amax = Math.max(amax, Math.abs(x[k * 32 + j]));
      }
      float id = amax != 0 ? 127f / amax : 0f;
      d[k] = ActivationRounding.half(amax / 127f);
      for (int j = 0; j < 32; j++) {
        q[k * 32 + j] = (byte) Math.rint(x[k * 32 + j] * id);
      }
    }
  }

  /** quantize_row_q8_K: scale by the signed extreme, q = min(127, round-half-even(−127·x/max)). */
  static void quantizeQ8K(float[] x, byte[] q, float[] d) {
    for (int k = 0; k < d.length; k++) {
      float max = 0;
      float amax = 0;
      for (int j = 0; j < 256; j++) {
        float ax = Math.abs(x[k * 256 + j]);
        if (ax > amax) {
          amax = ax;
          max = x[k * 256 + j];
        }
      }
      if (amax == 0) {
        d[k] = 0;
        continue;
      }
      float iscale = -127f / max;
      d[k] = 1f / iscale;
      for (int j = 0; j < 256; j++) {
        q[k * 256 + j] = (byte) Math.min(127, (int) Math.rint(iscale * x[k * 256 + j]));
      }
    }
  }
}
