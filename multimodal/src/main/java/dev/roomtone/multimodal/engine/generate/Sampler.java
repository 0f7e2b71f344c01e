package dev.roomtone.multimodal.engine.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Picks the next token from logits; seeded, so the same inputs give the same choice. */
public final class Sampler {
  private final SamplingParams p;
  private final SplittableRandom random;

  public Sampler(SamplingParams p) {
    this.p = p;
    this.random = new SplittableRandom(p.seed());
  }

  /** history: the tokens so far (prompt and output), for the repetition penalty. */
  public int sample(float[] logits, int[] history, int historyLength) {
    float[] l = logits.clone();
    if (p.repetitionPenalty() != 1f) {
      // llama.cpp's rule: shrink positive logits, push negative ones further down, once per token
      boolean[] seen = new boolean[l.length];
      for (int i = Math.max(0, historyLength - p.repetitionWindow()); i < historyLength; i++) {
        int t = history[i];
        if (t >= 0 && t < l.length && !seen[t]) {
          seen[t] = true;
          l[t] = l[t] > 0 ? l[t] / p.repetitionPenalty() : l[t] * p.repetitionPenalty();
        }
      }
    }
    if (p.temperature() == 0f) {
      return argmax(l);
    }
    Integer[] order = new Integer[l.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Float.compare(l[b], l[a]));
    int n = p.topK() > 0 ? Math.min(p.topK(), l.length) : l.length;
    // probabilities at temperature 1 for top-p and min-p, as llama.cpp applies them before temp
    double[] prob = softmax(l, order, n, 1f);
    if (p.topP() < 1f) {
      double cum = 0;
      for (int i = 0; i < n; i++) {
        cum += prob[i];
        if (cum >= p.topP()) {
          n = i + 1;
          break;
        }
      }
    }
    if (p.minP() > 0f) {
      double floor = prob[0] * p.minP();
      int keep = 1;
      while (keep < n && prob[keep] >= floor) {
        keep++;
      }
      n = keep;
    }
    double[] final_ = softmax(l, order, n, p.temperature());
    double r = random.nextDouble();
    double cum = 0;
    for (int i = 0; i < n; i++) {
      cum += final_[i];
      if (r < cum) {
        return order[i];
      }
    }
    return order[n - 1];
  }

  private static double[] softmax(float[] l, Integer[] order, int n, float temperature) {
    double[] out = new double[n];
    double max = l[order[0]];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      out[i] = Math.exp((l[order[i]] - max) / temperature);
      sum += out[i];
    }
    for (int i = 0; i < n; i++) {
      out[i] /= sum;
    }
    return out;
  }

  static int argmax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }
}
