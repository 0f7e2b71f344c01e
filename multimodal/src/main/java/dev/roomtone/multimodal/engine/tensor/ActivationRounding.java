package dev.roomtone.multimodal.engine.tensor;

import dev.roomtone.multimodal.engine.gguf.GgmlType;

/**
 * How activations meet the weights in a matrix product. {@link #FLOAT} keeps them in float (the
 * engine's default: most accurate). {@link #LLAMA_CPP} rounds them first the way llama.cpp's CPU
 * kernels do (Q8_0 blocks against Q8_0/Q4_0 weights, Q8_K against K-quants, half precision
 * against F16, bfloat against BF16, and a half-precision KV cache), so greedy runs can be compared
 * with llama.cpp token for token.
 */
public enum ActivationRounding {
  FLOAT,
  LLAMA_CPP;

  /** x rounded as llama.cpp would before a product with a weight of this type (a copy). */
  public float[] round(GgmlType weight, float[] x, int n) {
    if (this == FLOAT) {
      return x;
    }
    float[] y = new float[x.length];
    switch (weight) {
      case F32 -> System.arraycopy(x, 0, y, 0, x.length);
      case F16 -> {
        for (int i = 0; i < n; i++) {
          y[i] = half(x[i]);
        }
      }
      case BF16 -> {
        for (int i = 0; i < n; i++) {
          y[i] = bf16(x[i]);
        }
      }
      case Q8_0, Q4_0 -> {
        // quantize_row_q8_0: d = amax/127, q = round(x/d), the block keeps d in half precision
        for (int b = 0; b < n; b += 32) {
          float amax = 0;
          for (int j = 0; j < 32; j++) {
            amax = Math.max(amax, Math.abs(x[b + j]));
          }
          float d = amax / 127f;
          float id = d != 0 ? 1f / d : 0f;
          float dh = half(d);
          for (int j = 0; j < 32; j++) {
            y[b + j] = dh * Math.round(x[b + j] * id);
          }
        }
      }
      case Q4_K, Q6_K -> {
        // quantize_row_q8_K: scale by the signed extreme value, q = round(−127·x/max), d in float
        for (int b = 0; b < n; b += 256) {
          float max = 0;
          float amax = 0;
          for (int j = 0; j < 256; j++) {
            float ax = Math.abs(x[b + j]);
            if (ax > amax) {
              amax = ax;
              max = x[b + j];
            }
          }
          if (amax == 0) {
            continue;
          }
          float iscale = -127f / max;
          float d = 1f / iscale;
          for (int j = 0; j < 256; j++) {
            y[b + j] = d * Math.min(127, Math.round(iscale * x[b + j]));
          }
        }
      }
    }
    return y;
  }

  /** A value as the KV cache holds it. */
  public float cache(float v) {
    return this == FLOAT ? v : half(v);
  }

  static float half(float v) {
    return Float.float16ToFloat(Float.floatToFloat16(v));
  }

  static float bf16(float v) {
    int bits = Float.floatToRawIntBits(v);
    bits += 0x7fff + ((bits >>> 16) & 1); // round to nearest even
    return Float.intBitsToFloat(bits & 0xffff0000);
  }
}
