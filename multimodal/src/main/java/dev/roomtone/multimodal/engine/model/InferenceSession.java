package dev.roomtone.multimodal.engine.model;

import dev.roomtone.multimodal.engine.compute.Backend;
import dev.roomtone.multimodal.engine.model.LlamaWeights.Layer;
import dev.roomtone.multimodal.engine.tensor.ActivationRounding;
import dev.roomtone.multimodal.engine.tensor.LlamaCppProducts;
import dev.roomtone.multimodal.engine.tensor.WeightMatrix;

/**
 * One conversation's state on a model: its KV cache and position. Feed tokens with
 * {@link #forward}; it returns the logits after the last one. Not thread-safe: one session is
 * driven by one caller, the matrix products inside fan out over the backend's threads.
 */
public final class InferenceSession {
  private final LlamaModel model;
  private final ModelConfig c;
  private final LlamaWeights w;
  private final Backend backend;
  private final int contextLength;
  private final float[][] keys; // [layer][pos · kvDim + i]
  private final float[][] values;
  private final float[] invFreq; // RoPE inverse frequency per rotated pair
  private final ActivationRounding rounding;
  private final float thetaScale; // llama.cpp's per-pair angle step, for LLAMA_CPP rounding
  private final float freqScale;
  private int position;

  public InferenceSession(LlamaModel model, Backend backend, int contextLength) {
    this(model, backend, contextLength, ActivationRounding.FLOAT);
  }

  public InferenceSession(LlamaModel model, Backend backend, int contextLength,
      ActivationRounding rounding) {
    this.rounding = rounding;
    this.model = model;
    this.c = model.config();
    this.w = model.weights();
    this.backend = backend;
    if (contextLength <= 0) {
      throw new IllegalArgumentException("context length must be positive: " + contextLength);
    }
    this.contextLength = contextLength;
    keys = new float[c.layers()][contextLength * c.kvDim()];
    values = new float[c.layers()][contextLength * c.kvDim()];
    invFreq = new float[c.ropeDims() / 2];
    for (int i = 0; i < invFreq.length; i++) {
      double f = Math.pow(c.ropeBase(), -2.0 * i / c.ropeDims()) / c.ropeLinearScale();
      if (w.ropeFreqFactors() != null) {
        f /= w.ropeFreqFactors()[i];
      }
      invFreq[i] = (float) f;
    }
    thetaScale = (float) Math.pow(c.ropeBase(), -2f / c.ropeDims());
    freqScale = 1f / c.ropeLinearScale();
  }

  private float freqFactor(int i) {
    return w.ropeFreqFactors() == null ? 1f : w.ropeFreqFactors()[i];
  }

  public int position() {
    return position;
  }

  public int contextLength() {
    return contextLength;
  }

  public LlamaModel model() {
    return model;
  }

  /** Forgets everything after {@code pos} tokens, e.g. to reuse a shared prompt prefix. */
  public void rewind(int pos) {
    if (pos < 0 || pos > position) {
      throw new IllegalArgumentException("cannot rewind to " + pos + " from " + position);
    }
    position = pos;
  }

  /**
   * Runs the tokens through the model as one batch (prefill) and returns the logits after the
   * last of them.
   */
  public float[] forward(int... tokens) {
    int n = tokens.length;
    if (n == 0) {
      throw new IllegalArgumentException("no tokens");
    }
    if (position + n > contextLength) {
      throw new IllegalStateException("context full: " + position + " + " + n + " tokens > "
          + contextLength);
    }
    int dim = c.dim();
    int kvDim = c.kvDim();
    float[][] x = new float[n][dim];
    float[][] xb = new float[n][dim];
    float[][] q = new float[n][c.qDim()];
    float[][] k = new float[n][kvDim];
    float[][] v = new float[n][kvDim];
    float[][] att = new float[n][c.qDim()];
    float[][] proj = new float[n][dim];
    float[][] gate = new float[n][c.ffnDim()];
    float[][] up = new float[n][c.ffnDim()];
    for (int b = 0; b < n; b++) {
      int t = tokens[b];
      if (t < 0 || t >= w.vocabSize()) {
        throw new IllegalArgumentException("token " + t + " outside the vocabulary of "
            + w.vocabSize());
      }
      w.tokenEmbedding().dequantizeRow(t, x[b], 0);
    }
    for (int l = 0; l < c.layers(); l++) {
      Layer layer = w.layers()[l];
      for (int b = 0; b < n; b++) {
        rmsNorm(x[b], layer.attnNorm(), xb[b]);
      }
      matmul(layer.wq(), xb, q, n);
      matmul(layer.wk(), xb, k, n);
      matmul(layer.wv(), xb, v, n);
      for (int b = 0; b < n; b++) {
        int pos = position + b;
        addBias(q[b], layer.bq());
        addBias(k[b], layer.bk());
        addBias(v[b], layer.bv());
        rope(q[b], c.heads(), pos);
        rope(k[b], c.kvHeads(), pos);
        for (int i = 0; i < kvDim; i++) {
          keys[l][pos * kvDim + i] = rounding.cache(k[b][i]);
          values[l][pos * kvDim + i] = rounding.cache(v[b][i]);
        }
      }
      for (int b = 0; b < n; b++) {
        attend(l, q[b], position + b, att[b]);
      }
      matmul(layer.wo(), att, proj, n);
      for (int b = 0; b < n; b++) {
        for (int i = 0; i < dim; i++) {
          x[b][i] += proj[b][i];
        }
        rmsNorm(x[b], layer.ffnNorm(), xb[b]);
      }
      matmul(layer.gate(), xb, gate, n);
      matmul(layer.up(), xb, up, n);
      for (int b = 0; b < n; b++) {
        // SwiGLU: silu(gate) · up
        for (int i = 0; i < c.ffnDim(); i++) {
          float g = gate[b][i];
          gate[b][i] = g / (1f + (float) Math.exp(-g)) * up[b][i];
        }
      }
      matmul(layer.down(), gate, proj, n);
      for (int b = 0; b < n; b++) {
        for (int i = 0; i < dim; i++) {
          x[b][i] += proj[b][i];
        }
      }
    }
    position += n;
    float[][] last = {new float[dim]};
    rmsNorm(x[n - 1], w.outputNorm(), last[0]);
    float[][] logits = {new float[w.vocabSize()]};
    matmul(w.output(), last, logits, 1);
    return logits[0];
  }

  private void matmul(WeightMatrix m, float[][] x, float[][] out, int n) {
    if (rounding == ActivationRounding.FLOAT) {
      backend.matmul(m, x, out, n);
      return;
    }
    if (LlamaCppProducts.covers(m.type())) {
      LlamaCppProducts.matmul(m, x, out, n);
      return;
    }
    float[][] r = new float[n][];
    for (int b = 0; b < n; b++) {
      r[b] = rounding.round(m.type(), x[b], m.cols());
    }
    backend.matmul(m, r, out, n);
  }

  private void rmsNorm(float[] x, float[] weight, float[] out) {
    double ss = 0;
    for (float v : x) {
      ss += v * v;
    }
    float scale = (float) (1.0 / Math.sqrt(ss / x.length + c.rmsEps()));
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i] * scale * weight[i];
    }
  }

  private static void addBias(float[] x, float[] bias) {
    if (bias != null) {
      for (int i = 0; i < x.length; i++) {
        x[i] += bias[i];
      }
    }
  }

  /**
   * Rotates each head's first ropeDims values by position-dependent angles. llama GGUFs pair
   * neighbours (2i, 2i+1) — the converter permuted Q/K for that; qwen2 pairs (i, i + d/2).
   */
  private void rope(float[] v, int heads, int pos) {
    int hd = c.headDim();
    int half = c.ropeDims() / 2;
    for (int h = 0; h < heads; h++) {
      int base = h * hd;
      // llama.cpp steps the angle from pair to pair in float (theta *= base^(-2/d)); with
      // LLAMA_CPP rounding the engine does the same, otherwise it computes each angle exactly
      float stepped = pos;
      for (int i = 0; i < half; i++) {
        double theta;
        if (rounding == ActivationRounding.LLAMA_CPP) {
          theta = freqScale * (stepped / freqFactor(i));
          stepped *= thetaScale;
        } else {
          theta = pos * (double) invFreq[i];
        }
        float cos = (float) Math.cos(theta);
        float sin = (float) Math.sin(theta);
        int a = c.ropeNeox() ? base + i : base + 2 * i;
        int b = c.ropeNeox() ? base + i + half : base + 2 * i + 1;
        float x0 = v[a];
        float x1 = v[b];
        v[a] = x0 * cos - x1 * sin;
        v[b] = x0 * sin + x1 * cos;
      }
    }
  }

  /** Causal grouped-query attention of one query position over the cache. */
  private void attend(int layer, float[] q, int pos, float[] out) {
    int hd = c.headDim();
    int kvDim = c.kvDim();
    int group = c.heads() / c.kvHeads();
    float scale = (float) (1.0 / Math.sqrt(hd));
    float[] scores = new float[pos + 1];
    float[] kc = keys[layer];
    float[] vc = values[layer];
    for (int h = 0; h < c.heads(); h++) {
      int qo = h * hd;
      int ko = (h / group) * hd;
      float max = Float.NEGATIVE_INFINITY;
      for (int t = 0; t <= pos; t++) {
        float s = 0;
        int kt = t * kvDim + ko;
        for (int i = 0; i < hd; i++) {
          s += rounding.cache(q[qo + i]) * kc[kt + i];
        }
        s *= scale;
        scores[t] = s;
        max = Math.max(max, s);
      }
      double sum = 0;
      for (int t = 0; t <= pos; t++) {
        scores[t] = (float) Math.exp(scores[t] - max);
        sum += scores[t];
      }
      float inv = (float) (1.0 / sum);
      for (int i = 0; i < hd; i++) {
        out[qo + i] = 0;
      }
      for (int t = 0; t <= pos; t++) {
        float a = rounding.cache(scores[t] * inv);
        int vt = t * kvDim + ko;
        for (int i = 0; i < hd; i++) {
          out[qo + i] += a * vc[vt + i];
        }
      }
    }
  }
}
