package dev.roomtone.multimodal.engine.model;

import dev.roomtone.multimodal.engine.gguf.GgmlType;
import dev.roomtone.multimodal.engine.gguf.GgufValue;
import dev.roomtone.multimodal.engine.gguf.GgufValueType;
import dev.roomtone.multimodal.engine.gguf.GgufWriter;
import dev.roomtone.multimodal.engine.tensor.SyntheticWeights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * A llama-architecture model with random weights and a placeholder vocabulary, for speed
 * measurements where only the shape matters (both this engine and llama.cpp load it).
 */
public final class SyntheticModel {
  /** The shape of a model: 1B is Llama-3.2-1B-like (with a 32k vocabulary). */
  public record Shape(int dim, int layers, int heads, int kvHeads, int ffn, int vocab) {
    public static final Shape ONE_B = new Shape(2048, 16, 32, 8, 8192, 32000);
    public static final Shape TINY = new Shape(256, 2, 4, 2, 512, 512);

    public long parameters() {
      long hd = dim / heads;
      long perLayer = 2L * dim * dim + 2L * dim * kvHeads * hd + 3L * dim * ffn;
      return layers * perLayer + 2L * vocab * dim;
    }
  }

  private SyntheticModel() {}

  public static Path write(Path file, Shape s, GgmlType type, long seed) throws IOException {
    SplittableRandom rnd = new SplittableRandom(seed);
    String[] tokens = new String[s.vocab()];
    float[] scores = new float[s.vocab()];
    long[] types = new long[s.vocab()];
    tokens[0] = "<unk>";
    tokens[1] = "<s>";
    tokens[2] = "</s>";
    types[0] = 2;
    types[1] = 3;
    types[2] = 3;
    for (int b = 0; b < 256; b++) {
      tokens[3 + b] = String.format("<0x%02X>", b);
      types[3 + b] = 6;
    }
    for (int i = 259; i < s.vocab(); i++) {
      tokens[i] = "\u2581w" + i;
      scores[i] = -i;
      types[i] = 1;
    }
    int kv = s.kvHeads() * (s.dim() / s.heads());
    GgufWriter w = new GgufWriter()
        .put("general.architecture", GgufValue.string("llama"))
        .put("general.name", GgufValue.string("synthetic-" + type))
        .put("llama.context_length", GgufValue.u32(4096))
        .put("llama.embedding_length", GgufValue.u32(s.dim()))
        .put("llama.block_count", GgufValue.u32(s.layers()))
        .put("llama.feed_forward_length", GgufValue.u32(s.ffn()))
        .put("llama.attention.head_count", GgufValue.u32(s.heads()))
        .put("llama.attention.head_count_kv", GgufValue.u32(s.kvHeads()))
        .put("llama.attention.layer_norm_rms_epsilon", GgufValue.f32(1e-5f))
        .put("llama.rope.freq_base", GgufValue.f32(500000f))
        .put("tokenizer.ggml.model", GgufValue.string("llama"))
        .put("tokenizer.ggml.tokens", GgufValue.strings(tokens))
        .put("tokenizer.ggml.scores", GgufValue.floats(scores))
        .put("tokenizer.ggml.token_type", GgufValue.ints(GgufValueType.INT32, types))
        .put("tokenizer.ggml.bos_token_id", GgufValue.u32(1))
        .put("tokenizer.ggml.eos_token_id", GgufValue.u32(2));
    float sc = (float) (1 / Math.sqrt(s.dim()));
    w.tensor("token_embd.weight", type, SyntheticWeights.random(type, s.vocab(), s.dim(), 1f, rnd),
        s.dim(), s.vocab());
    byte[] ones = new byte[4 * s.dim()];
    for (int i = 0; i < s.dim(); i++) {
      java.nio.ByteBuffer.wrap(ones).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(4 * i, 1f);
    }
    for (int l = 0; l < s.layers(); l++) {
      String p = "blk." + l + ".";
      w.tensor(p + "attn_norm.weight", GgmlType.F32, ones, s.dim());
      w.tensor(p + "attn_q.weight", type, SyntheticWeights.random(type, s.dim(), s.dim(), sc, rnd), s.dim(), s.dim());
      w.tensor(p + "attn_k.weight", type, SyntheticWeights.random(type, kv, s.dim(), sc, rnd), s.dim(), kv);
      w.tensor(p + "attn_v.weight", type, SyntheticWeights.random(type, kv, s.dim(), sc, rnd), s.dim(), kv);
      w.tensor(p + "attn_output.weight", type, SyntheticWeights.random(type, s.dim(), s.dim(), sc, rnd), s.dim(), s.dim());
      w.tensor(p + "ffn_norm.weight", GgmlType.F32, ones, s.dim());
      w.tensor(p + "ffn_gate.weight", type, SyntheticWeights.random(type, s.ffn(), s.dim(), sc, rnd), s.dim(), s.ffn());
      w.tensor(p + "ffn_up.weight", type, SyntheticWeights.random(type, s.ffn(), s.dim(), sc, rnd), s.dim(), s.ffn());
      w.tensor(p + "ffn_down.weight", type, SyntheticWeights.random(type, s.dim(), s.ffn(),
          (float) (1 / Math.sqrt(s.ffn())), rnd), s.ffn(), s.dim());
    }
    w.tensor("output_norm.weight", GgmlType.F32, ones, s.dim());
    w.tensor("output.weight", type, SyntheticWeights.random(type, s.vocab(), s.dim(), sc, rnd), s.dim(), s.vocab());
    w.write(file);
    return file;
  }
}
