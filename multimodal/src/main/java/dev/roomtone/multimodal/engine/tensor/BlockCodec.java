package dev.roomtone.multimodal.engine.tensor;

import dev.roomtone.multimodal.engine.gguf.GgmlType;
import java.nio.ByteBuffer;

/**
 * Decoding and dot products for ggml's block formats, reading the raw little-endian bytes. The
 * dot products walk the blocks directly so a row is never materialised as floats.
 */
public final class BlockCodec {
  private BlockCodec() {}

  static float half(ByteBuffer b, int at) {
    return Float.float16ToFloat(b.getShort(at));
  }

  static float bf16(ByteBuffer b, int at) {
    return Float.intBitsToFloat((b.getShort(at) & 0xffff) << 16);
  }

  public static void dequantize(GgmlType type, ByteBuffer b, int at, int n, float[] y, int yo) {
    switch (type) {
      case F32 -> {
        for (int i = 0; i < n; i++) {
          y[yo + i] = b.getFloat(at + 4 * i);
        }
      }
      case F16 -> {
        for (int i = 0; i < n; i++) {
          y[yo + i] = half(b, at + 2 * i);
        }
      }
      case BF16 -> {
        for (int i = 0; i < n; i++) {
          y[yo + i] = bf16(b, at + 2 * i);
        }
      }
      // block_q8_0 { f16 d; int8 qs[32]; }: x = d·q
      case Q8_0 -> {
        for (int blk = 0; blk < n / 32; blk++, at += 34, yo += 32) {
          float d = half(b, at);
          for (int j = 0; j < 32; j++) {
            y[yo + j] = d * b.get(at + 2 + j);
          }
        }
      }
      // block_q4_0 { f16 d; u8 qs[16]; }: element j is the low nibble of qs[j], element j+16
      // the high nibble; x = d·(q − 8)
      case Q4_0 -> {
        for (int blk = 0; blk < n / 32; blk++, at += 18, yo += 32) {
          float d = half(b, at);
          for (int j = 0; j < 16; j++) {
            int q = b.get(at + 2 + j);
            y[yo + j] = d * ((q & 0xf) - 8);
            y[yo + j + 16] = d * (((q >> 4) & 0xf) - 8);
          }
        }
      }
      // block_q4_K { f16 d, dmin; u8 scales[12]; u8 qs[128]; }: 8 sub-blocks of 32 with a 6-bit
      // scale and min each; each 32-byte group of qs holds two sub-blocks (low, then high nibbles)
      case Q4_K -> {
        for (int blk = 0; blk < n / 256; blk++, at += 144, yo += 256) {
          float d = half(b, at);
          float dmin = half(b, at + 2);
          int sc = at + 4;
          int qs = at + 16;
          for (int g = 0; g < 4; g++) {
            float d1 = d * scaleK4(b, sc, 2 * g);
            float m1 = dmin * minK4(b, sc, 2 * g);
            float d2 = d * scaleK4(b, sc, 2 * g + 1);
            float m2 = dmin * minK4(b, sc, 2 * g + 1);
            int base = yo + 64 * g;
            for (int l = 0; l < 32; l++) {
              int q = b.get(qs + 32 * g + l);
              y[base + l] = d1 * (q & 0xf) - m1;
              y[base + 32 + l] = d2 * ((q >> 4) & 0xf) - m2;
            }
          }
        }
      }
      // block_q6_K { u8 ql[128]; u8 qh[64]; i8 scales[16]; f16 d; }: each half of 128 elements
      // takes 64 bytes of ql (low 4 bits) and 32 of qh (2 high bits, four elements per byte)
      case Q6_K -> {
        for (int blk = 0; blk < n / 256; blk++, at += 210, yo += 256) {
          float d = half(b, at + 208);
          for (int h = 0; h < 2; h++) {
            int ql = at + 64 * h;
            int qh = at + 128 + 32 * h;
            int sc = at + 192 + 8 * h;
            int base = yo + 128 * h;
            for (int l = 0; l < 32; l++) {
              int is = l / 16;
              int lo0 = b.get(ql + l) & 0xff;
              int lo1 = b.get(ql + l + 32) & 0xff;
              int hi = b.get(qh + l) & 0xff;
              y[base + l] = d * b.get(sc + is) * (((lo0 & 0xf) | ((hi & 3) << 4)) - 32);
              y[base + l + 32] = d * b.get(sc + is + 2) * (((lo1 & 0xf) | (((hi >> 2) & 3) << 4)) - 32);
              y[base + l + 64] = d * b.get(sc + is + 4) * (((lo0 >> 4) | (((hi >> 4) & 3) << 4)) - 32);
              y[base + l + 96] = d * b.get(sc + is + 6) * (((lo1 >> 4) | (((hi >> 6) & 3) << 4)) - 32);
            }
          }
        }
      }
    }
  }

  /** 6-bit scale j of a Q4_K block (ggml's get_scale_min_k4, scale half). */
  static int scaleK4(ByteBuffer b, int sc, int j) {
    return j < 4
        ? b.get(sc + j) & 63
        : (b.get(sc + j + 4) & 0xf) | (((b.get(sc + j - 4) & 0xff) >> 6) << 4);
  }

  /** 6-bit min j of a Q4_K block (ggml's get_scale_min_k4, min half). */
  static int minK4(ByteBuffer b, int sc, int j) {
    return j < 4
        ? b.get(sc + j + 4) & 63
        : ((b.get(sc + j + 4) & 0xff) >> 4) | (((b.get(sc + j) & 0xff) >> 6) << 4);
  }

  public static float dot(GgmlType type, ByteBuffer b, int at, int n, float[] x, int xo) {
    switch (type) {
      case F32 -> {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
          s0 += b.getFloat(at + 4 * i) * x[xo + i];
          s1 += b.getFloat(at + 4 * i + 4) * x[xo + i + 1];
          s2 += b.getFloat(at + 4 * i + 8) * x[xo + i + 2];
          s3 += b.getFloat(at + 4 * i + 12) * x[xo + i + 3];
        }
        for (; i < n; i++) {
          s0 += b.getFloat(at + 4 * i) * x[xo + i];
        }
        return (s0 + s1) + (s2 + s3);
      }
      case F16 -> {
        float s0 = 0, s1 = 0;
        int i = 0;
        for (; i + 1 < n; i += 2) {
          s0 += half(b, at + 2 * i) * x[xo + i];
          s1 += half(b, at + 2 * i + 2) * x[xo + i + 1];
        }
        for (; i < n; i++) {
          s0 += half(b, at + 2 * i) * x[xo + i];
        }
        return s0 + s1;
      }
      case BF16 -> {
        float s = 0;
        for (int i = 0; i < n; i++) {
          s += bf16(b, at + 2 * i) * x[xo + i];
        }
        return s;
      }
      case Q8_0 -> {
        float sum = 0;
        for (int blk = 0; blk < n / 32; blk++, at += 34, xo += 32) {
          float s0 = 0, s1 = 0;
          int q = at + 2;
          for (int j = 0; j < 32; j += 2) {
            s0 += b.get(q + j) * x[xo + j];
            s1 += b.get(q + j + 1) * x[xo + j + 1];
          }
          sum += half(b, at) * (s0 + s1);
        }
        return sum;
      }
      case Q4_0 -> {
        float sum = 0;
        for (int blk = 0; blk < n / 32; blk++, at += 18, xo += 32) {
          float s = 0;
          for (int j = 0; j < 16; j++) {
            int q = b.get(at + 2 + j);
            s += ((q & 0xf) - 8) * x[xo + j] + (((q >> 4) & 0xf) - 8) * x[xo + j + 16];
          }
          sum += half(b, at) * s;
        }
        return sum;
      }
      case Q4_K -> {
        float sum = 0;
        for (int blk = 0; blk < n / 256; blk++, at += 144, xo += 256) {
          float d = half(b, at);
          float dmin = half(b, at + 2);
          int sc = at + 4;
          int qs = at + 16;
          // Σ (d·s·q − dmin·m)·x = d·Σ s·(Σ q·x) − dmin·Σ m·(Σ x) per sub-block
          float scaled = 0;
          float mins = 0;
          for (int g = 0; g < 4; g++) {
            float lo = 0, hi = 0, xlo = 0, xhi = 0;
            int xb = xo + 64 * g;
            for (int l = 0; l < 32; l++) {
              int q = b.get(qs + 32 * g + l);
              float a = x[xb + l];
              float c = x[xb + 32 + l];
              lo += (q & 0xf) * a;
              hi += ((q >> 4) & 0xf) * c;
              xlo += a;
              xhi += c;
            }
            scaled += scaleK4(b, sc, 2 * g) * lo + scaleK4(b, sc, 2 * g + 1) * hi;
            mins += minK4(b, sc, 2 * g) * xlo + minK4(b, sc, 2 * g + 1) * xhi;
          }
          sum += d * scaled - dmin * mins;
        }
        return sum;
      }
      case Q6_K -> {
        float sum = 0;
        for (int blk = 0; blk < n / 256; blk++, at += 210, xo += 256) {
          float d = half(b, at + 208);
          float s = 0;
          for (int h = 0; h < 2; h++) {
            int ql = at + 64 * h;
            int qh = at + 128 + 32 * h;
            int sc = at + 192 + 8 * h;
            int xb = xo + 128 * h;
            for (int is = 0; is < 2; is++) {
              float a0 = 0, a1 = 0, a2 = 0, a3 = 0;
              for (int l = 16 * is; l < 16 * is + 16; l++) {
                int lo0 = b.get(ql + l) & 0xff;
                int lo1 = b.get(ql + l + 32) & 0xff;
                int hi = b.get(qh + l) & 0xff;
                a0 += (((lo0 & 0xf) | ((hi & 3) << 4)) - 32) * x[xb + l];
                a1 += (((lo1 & 0xf) | (((hi >> 2) & 3) << 4)) - 32) * x[xb + l + 32];
                a2 += (((lo0 >> 4) | (((hi >> 4) & 3) << 4)) - 32) * x[xb + l + 64];
                a3 += (((lo1 >> 4) | (((hi >> 6) & 3) << 4)) - 32) * x[xb + l + 96];
              }
              s += b.get(sc + is) * a0 + b.get(sc + is + 2) * a1 + b.get(sc + is + 4) * a2
                  + b.get(sc + is + 6) * a3;
            }
          }
          sum += d * s;
        }
        return sum;
      }
    }
    throw new AssertionError(type);
  }
}
