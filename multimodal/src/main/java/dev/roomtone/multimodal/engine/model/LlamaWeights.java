package dev.roomtone.multimodal.engine.model;

import dev.roomtone.multimodal.engine.gguf.GgmlType;
import dev.roomtone.multimodal.engine.gguf.GgufException;
import dev.roomtone.multimodal.engine.gguf.GgufFile;
import dev.roomtone.multimodal.engine.gguf.GgufTensorInfo;
import dev.roomtone.multimodal.engine.tensor.WeightMatrix;
import java.util.Arrays;

/** The weights of a llama/qwen2 model, shape-checked against its config when loaded. */
public record LlamaWeights(
    WeightMatrix tokenEmbedding,
    Layer[] layers,
    float[] outputNorm,
    WeightMatrix output,
    float[] ropeFreqFactors) {

  /** One transformer block; biases are null where the architecture has none. */
  public record Layer(
      float[] attnNorm, WeightMatrix wq, WeightMatrix wk, WeightMatrix wv, WeightMatrix wo,
      float[] bq, float[] bk, float[] bv,
      float[] ffnNorm, WeightMatrix gate, WeightMatrix up, WeightMatrix down) {}

  public static LlamaWeights load(GgufFile f, ModelConfig c) {
    WeightMatrix emb = matrix(f, "token_embd.weight", c.dim(), -1);
    int vocab = emb.rows();
    Layer[] layers = new Layer[c.layers()];
    for (int i = 0; i < c.layers(); i++) {
      String p = "blk." + i + ".";
      boolean bias = c.architecture().equals("qwen2");
      layers[i] = new Layer(
          vector(f, p + "attn_norm.weight", c.dim()),
          matrix(f, p + "attn_q.weight", c.dim(), c.qDim()),
          matrix(f, p + "attn_k.weight", c.dim(), c.kvDim()),
          matrix(f, p + "attn_v.weight", c.dim(), c.kvDim()),
          matrix(f, p + "attn_output.weight", c.qDim(), c.dim()),
          bias ? vector(f, p + "attn_q.bias", c.qDim()) : null,
          bias ? vector(f, p + "attn_k.bias", c.kvDim()) : null,
          bias ? vector(f, p + "attn_v.bias", c.kvDim()) : null,
          vector(f, p + "ffn_norm.weight", c.dim()),
          matrix(f, p + "ffn_gate.weight", c.dim(), c.ffnDim()),
          matrix(f, p + "ffn_up.weight", c.dim(), c.ffnDim()),
          matrix(f, p + "ffn_down.weight", c.ffnDim(), c.dim()));
    }
    float[] outNorm = vector(f, "output_norm.weight", c.dim());
    WeightMatrix out = f.tensors().containsKey("output.weight")
        ? matrix(f, "output.weight", c.dim(), vocab)
        : emb; // tied embeddings
    float[] freqs = f.tensors().containsKey("rope_freqs.weight")
        ? vector(f, "rope_freqs.weight", c.ropeDims() / 2)
        : null;
    return new LlamaWeights(emb, layers, outNorm, out, freqs);
  }

  private static String shape(GgufTensorInfo t) {
    return Arrays.toString(t.dims());
  }

  private static WeightMatrix matrix(GgufFile f, String name, int cols, int rows) {
    GgufTensorInfo t = f.tensor(name);
    if (t.dims().length != 2 || t.dims()[0] != cols || (rows >= 0 && t.dims()[1] != rows)) {
      throw new GgufException(f.path().getFileName() + ": tensor " + name + " has shape "
          + shape(t) + " but the model's metadata needs [" + cols + ", "
          + (rows >= 0 ? rows : "n_vocab") + "]");
    }
    return WeightMatrix.of(f, t);
  }

  private static float[] vector(GgufFile f, String name, int n) {
    GgufTensorInfo t = f.tensor(name);
    if (t.elements() != n || t.dims()[0] != n) {
      throw new GgufException(f.path().getFileName() + ": tensor " + name + " has shape "
          + shape(t) + " but the model's metadata needs [" + n + "]");
    }
    if (t.type() != GgmlType.F32 && t.type() != GgmlType.F16 && t.type() != GgmlType.BF16) {
      throw new GgufException(f.path().getFileName() + ": tensor " + name + " is " + t.type()
          + "; norms and biases must be F32, F16 or BF16");
    }
    return WeightMatrix.of(f, t).dequantizeRow(0);
  }

  public int vocabSize() {
    return tokenEmbedding.rows();
  }

  /** Bytes of all weights, for memory estimates. */
  public long bytes() {
    long n = tokenEmbedding.bytes() + (output != tokenEmbedding ? output.bytes() : 0);
    for (Layer l : layers) {
      n += l.wq().bytes() + l.wk().bytes() + l.wv().bytes() + l.wo().bytes() + l.gate().bytes()
          + l.up().bytes() + l.down().bytes();
    }
    return n;
  }
}
