package dev.roomtone.multimodal.engine.tensor;

import dev.roomtone.multimodal.engine.gguf.GgmlType;

/**
 * How activations meet the weights. {@link #FLOAT} keeps them in float (the engine's default:
 * most accurate). {@link #LLAMA_CPP} computes the way llama.cpp's CPU kernels do, so greedy runs
 * can be compared with llama.cpp token for token: half precision against F16 weights, bfloat
 * against BF16, 8-bit blocks against quantised weights ({@link LlamaCppProducts}), a
 * half-precision KV cache, half-precision queries and attention weights, and RoPE angles stepped
 * in float.
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
      // their activations become 8-bit integers inside the product itself
      case Q8_0, Q4_0, Q4_K, Q6_K -> throw new IllegalArgumentException(
          "quantised weights take LlamaCppProducts, not a rounded float product");
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
