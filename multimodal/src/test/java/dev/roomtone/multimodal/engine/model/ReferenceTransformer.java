package dev.roomtone.multimodal.engine.model;

import dev.roomtone.multimodal.engine.gguf.GgufFile;
import dev.roomtone.multimodal.engine.gguf.GgufTensorInfo;
import dev.roomtone.multimodal.engine.tensor.ReferenceDecoder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;

/**
 * A textbook llama/qwen2 forward pass in double precision over weights decoded element by
 * element. No batching, no cache layout tricks: attention recomputes over every stored key. It
 * reads its hyper-parameters from the file itself, independently of the engine's config code.
 */
final class ReferenceTransformer {
  private final GgufFile f;
  private final String arch;
  private final int dim;
  private final int layers;
  private final int heads;
  private final int kvHeads;
  private final int hd;
  private final double eps;
  private final double base;
  private final List<List<double[]>> keys = new ArrayList<>();
  private final List<List<double[]>> vals = new ArrayList<>();
  private final Map<String, double[][]> decoded = new HashMap<>();

  ReferenceTransformer(GgufFile f) {
    this.f = f;
    arch = f.string("general.architecture");
    dim = (int) f.integer(arch + ".embedding_length");
    layers = (int) f.integer(arch + ".block_count");
    heads = (int) f.integer(arch + ".attention.head_count");
    kvHeads = (int) f.integer(arch + ".attention.head_count_kv");
    hd = dim / heads;
    eps = f.number(arch + ".attention.layer_norm_rms_epsilon");
    base = f.number(arch + ".rope.freq_base");
    for (int l = 0; l < layers; l++) {
      keys.add(new ArrayList<>());
      vals.add(new ArrayList<>());
    }
  }

  private byte[] raw(String name) {
    GgufTensorInfo t = f.tensor(name);
    ByteBuffer b = f.tensorData(t);
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  private double[] vec(String name) {
    return decoded(name)[0];
  }

  private double[][] decoded(String name) {
    return decoded.computeIfAbsent(name, n -> {
      GgufTensorInfo t = f.tensor(n);
      byte[] b = raw(n);
      double[][] rows = new double[(int) t.rows()][];
      for (int r = 0; r < rows.length; r++) {
        rows[r] = ReferenceDecoder.row(t.type(), b, r, (int) t.rowLength());
      }
      return rows;
    });
  }

  /** y = W x with W stored as rows of length x.length. */
  private double[] matvec(String name, double[] x) {
    double[][] m = decoded(name);
    double[] y = new double[m.length];
    for (int r = 0; r < m.length; r++) {
      double[] w = m[r];
      for (int c = 0; c < x.length; c++) {
        y[r] += w[c] * x[c];
      }
    }
    return y;
  }

  private double[] rmsNorm(double[] x, double[] w) {
    double ss = 0;
    for (double v : x) {
      ss += v * v;
    }
    double s = 1 / Math.sqrt(ss / x.length + eps);
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = x[i] * s * w[i];
    }
    return y;
  }

  private void rope(double[] v, int nHeads, int pos) {
    double[] factors = f.tensors().containsKey("rope_freqs.weight") ? vec("rope_freqs.weight") : null;
    boolean neox = arch.equals("qwen2");
    for (int h = 0; h < nHeads; h++) {
      for (int i = 0; i < hd / 2; i++) {
        double angle = pos / Math.pow(base, 2.0 * i / hd) / (factors == null ? 1 : factors[i]);
        int a = h * hd + (neox ? i : 2 * i);
        int b = h * hd + (neox ? i + hd / 2 : 2 * i + 1);
        double re = v[a];
        double im = v[b];
        // multiply (re + i·im) by e^{i·angle}
        v[a] = re * Math.cos(angle) - im * Math.sin(angle);
        v[b] = re * Math.sin(angle) + im * Math.cos(angle);
      }
    }
  }

  private static void add(double[] a, double[] b) {
    for (int i = 0; i < a.length; i++) {
      a[i] += b[i];
    }
  }

  double[] next(int token) {
    int pos = keys.get(0).size();
    double[] x = decoded("token_embd.weight")[token].clone();
    for (int l = 0; l < layers; l++) {
      String p = "blk." + l + ".";
      double[] xn = rmsNorm(x, vec(p + "attn_norm.weight"));
      double[] q = matvec(p + "attn_q.weight", xn);
      double[] k = matvec(p + "attn_k.weight", xn);
      double[] v = matvec(p + "attn_v.weight", xn);
      if (arch.equals("qwen2")) {
        add(q, vec(p + "attn_q.bias"));
        add(k, vec(p + "attn_k.bias"));
        add(v, vec(p + "attn_v.bias"));
      }
      rope(q, heads, pos);
      rope(k, kvHeads, pos);
      keys.get(l).add(k);
      vals.get(l).add(v);
      double[] att = new double[dim];
      for (int h = 0; h < heads; h++) {
        int kvh = h * kvHeads / heads;
        double[] w = new double[pos + 1];
        double max = Double.NEGATIVE_INFINITY;
        for (int t = 0; t <= pos; t++) {
          double s = 0;
          for (int i = 0; i < hd; i++) {
            s += q[h * hd + i] * keys.get(l).get(t)[kvh * hd + i];
          }
          w[t] = s / Math.sqrt(hd);
          max = Math.max(max, w[t]);
        }
        double z = 0;
        for (int t = 0; t <= pos; t++) {
          w[t] = Math.exp(w[t] - max);
          z += w[t];
        }
        for (int t = 0; t <= pos; t++) {
          for (int i = 0; i < hd; i++) {
            att[h * hd + i] += w[t] / z * vals.get(l).get(t)[kvh * hd + i];
          }
        }
      }
      add(x, matvec(p + "attn_output.weight", att));
      double[] xf = rmsNorm(x, vec(p + "ffn_norm.weight"));
      double[] g = matvec(p + "ffn_gate.weight", xf);
      double[] u = matvec(p + "ffn_up.weight", xf);
      for (int i = 0; i < g.length; i++) {
        g[i] = g[i] / (1 + Math.exp(-g[i])) * u[i];
      }
      add(x, matvec(p + "ffn_down.weight", g));
    }
    double[] xo = rmsNorm(x, vec("output_norm.weight"));
    return matvec(f.tensors().containsKey("output.weight") ? "output.weight" : "token_embd.weight", xo);
  }
}
