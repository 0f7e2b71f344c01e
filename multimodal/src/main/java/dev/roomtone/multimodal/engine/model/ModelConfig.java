package dev.roomtone.multimodal.engine.model;

import dev.roomtone.multimodal.engine.gguf.GgufException;
import dev.roomtone.multimodal.engine.gguf.GgufFile;

/** The hyper-parameters of a Llama-family model, read from its GGUF metadata. */
public record ModelConfig(
    String architecture,
    int dim,
    int layers,
    int heads,
    int kvHeads,
    int headDim,
    int ffnDim,
    int contextLength,
    float rmsEps,
    float ropeBase,
    int ropeDims,
    float ropeLinearScale,
    boolean ropeNeox) {

  public static ModelConfig of(GgufFile f) {
    String arch = f.string("general.architecture");
    if (!arch.equals("llama") && !arch.equals("qwen2")) {
      throw new GgufException(f.path().getFileName() + ": architecture " + arch
          + " is not supported (supported: llama, qwen2)");
    }
    int dim = positive(f, arch + ".embedding_length");
    int layers = positive(f, arch + ".block_count");
    int heads = positive(f, arch + ".attention.head_count");
    int kvHeads = (int) f.integer(arch + ".attention.head_count_kv", heads);
    int headDim = (int) f.integer(arch + ".attention.key_length", dim / heads);
    if (kvHeads <= 0 || heads % kvHeads != 0) {
      throw new GgufException(f.path().getFileName() + ": " + heads + " attention heads cannot"
          + " share " + kvHeads + " key/value heads");
    }
    if (headDim % 2 != 0) {
      throw new GgufException(f.path().getFileName() + ": head size " + headDim + " is odd");
    }
    int ffn = positive(f, arch + ".feed_forward_length");
    int ctx = positive(f, arch + ".context_length");
    float eps = (float) f.number(arch + ".attention.layer_norm_rms_epsilon");
    float base = (float) f.number(arch + ".rope.freq_base", 10000.0);
    int ropeDims = (int) f.integer(arch + ".rope.dimension_count", headDim);
    float linear = 1f;
    String scaling = f.string(arch + ".rope.scaling.type", "none");
    if (scaling.equals("linear")) {
      linear = (float) f.number(arch + ".rope.scaling.factor", 1.0);
    } else if (!scaling.equals("none") && !scaling.equals("llama3")) {
      // llama3 scaling travels as the rope_freqs.weight tensor, read with the weights
      throw new GgufException(f.path().getFileName() + ": RoPE scaling " + scaling
          + " is not supported");
    }
    return new ModelConfig(arch, dim, layers, heads, kvHeads, headDim, ffn, ctx, eps, base,
        ropeDims, linear, arch.equals("qwen2"));
  }

  private static int positive(GgufFile f, String key) {
    long v = f.integer(key);
    if (v <= 0 || v > Integer.MAX_VALUE) {
      throw new GgufException(f.path().getFileName() + ": key " + key + " = " + v
          + " is out of range");
    }
    return (int) v;
  }

  public int qDim() {
    return heads * headDim;
  }

  public int kvDim() {
    return kvHeads * headDim;
  }
}
