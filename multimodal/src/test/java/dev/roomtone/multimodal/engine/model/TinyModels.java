package dev.roomtone.multimodal.engine.model;

import dev.roomtone.multimodal.engine.gguf.GgmlType;
import dev.roomtone.multimodal.engine.gguf.GgufValue;
import dev.roomtone.multimodal.engine.gguf.GgufValueType;
import dev.roomtone.multimodal.engine.gguf.GgufWriter;
import dev.roomtone.multimodal.engine.tensor.SyntheticWeights;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Builds tiny llama/qwen2 GGUF files with random weights. Sizes are the smallest that still use
 * whole 256-element K-quant blocks: dim 256, ffn 512, 4 query heads sharing 2 KV heads.
 */
public final class TinyModels {
  public static final int DIM = 256;
  public static final int FFN = 512;
  public static final int HEADS = 4;
  public static final int KV_HEADS = 2;
  public static final int LAYERS = 2;
  public static final int HEAD_DIM = DIM / HEADS;

  private TinyModels() {}

  /** A model of the given architecture whose 2-D weights all have the given type. */
  public static Path write(Path file, String arch, GgmlType type, long seed, int vocab,
      Consumer<GgufWriter> tokenizer) throws IOException {
    SplittableRandom rnd = new SplittableRandom(seed);
    GgufWriter w = new GgufWriter()
        .put("general.architecture", GgufValue.string(arch))
        .put("general.name", GgufValue.string("tiny-" + arch + "-" + type))
        .put(arch + ".context_length", GgufValue.u32(256))
        .put(arch + ".embedding_length", GgufValue.u32(DIM))
        .put(arch + ".block_count", GgufValue.u32(LAYERS))
        .put(arch + ".feed_forward_length", GgufValue.u32(FFN))
        .put(arch + ".attention.head_count", GgufValue.u32(HEADS))
        .put(arch + ".attention.head_count_kv", GgufValue.u32(KV_HEADS))
        .put(arch + ".attention.layer_norm_rms_epsilon", GgufValue.f32(1e-5f))
        .put(arch + ".rope.freq_base", GgufValue.f32(arch.equals("qwen2") ? 1_000_000f : 500_000f))
        .put(arch + ".rope.dimension_count", GgufValue.u32(HEAD_DIM))
        .put("general.file_type", new GgufValue(GgufValueType.UINT32, (long) fileType(type)));
    tokenizer.accept(w);
    float s = (float) (1 / Math.sqrt(DIM));
    w.tensor("token_embd.weight", type, SyntheticWeights.random(type, vocab, DIM, 1f, rnd), DIM, vocab);
    for (int l = 0; l < LAYERS; l++) {
      String p = "blk." + l + ".";
      w.tensor(p + "attn_norm.weight", GgmlType.F32, norm(DIM, rnd), DIM);
      w.tensor(p + "attn_q.weight", type, SyntheticWeights.random(type, DIM, DIM, s, rnd), DIM, DIM);
      w.tensor(p + "attn_k.weight", type,
          SyntheticWeights.random(type, KV_HEADS * HEAD_DIM, DIM, s, rnd), DIM, KV_HEADS * HEAD_DIM);
      w.tensor(p + "attn_v.weight", type,
          SyntheticWeights.random(type, KV_HEADS * HEAD_DIM, DIM, s, rnd), DIM, KV_HEADS * HEAD_DIM);
      if (arch.equals("qwen2")) {
        w.tensor(p + "attn_q.bias", GgmlType.F32, gaussian(DIM, 0.1f, rnd), DIM);
        w.tensor(p + "attn_k.bias", GgmlType.F32, gaussian(KV_HEADS * HEAD_DIM, 0.1f, rnd),
            KV_HEADS * HEAD_DIM);
        w.tensor(p + "attn_v.bias", GgmlType.F32, gaussian(KV_HEADS * HEAD_DIM, 0.1f, rnd),
            KV_HEADS * HEAD_DIM);
      }
      w.tensor(p + "attn_output.weight", type, SyntheticWeights.random(type, DIM, DIM, s, rnd), DIM, DIM);
      w.tensor(p + "ffn_norm.weight", GgmlType.F32, norm(DIM, rnd), DIM);
      w.tensor(p + "ffn_gate.weight", type, SyntheticWeights.random(type, FFN, DIM, s, rnd), DIM, FFN);
      w.tensor(p + "ffn_up.weight", type, SyntheticWeights.random(type, FFN, DIM, s, rnd), DIM, FFN);
      w.tensor(p + "ffn_down.weight", type,
          SyntheticWeights.random(type, DIM, FFN, (float) (1 / Math.sqrt(FFN)), rnd), FFN, DIM);
    }
    w.tensor("output_norm.weight", GgmlType.F32, norm(DIM, rnd), DIM);
    w.tensor("output.weight", type, SyntheticWeights.random(type, vocab, DIM, s * 4, rnd), DIM, vocab);
    if (arch.equals("llama")) {
      // Llama 3.1-style RoPE scaling: per-pair frequency divisors, as the converter stores them
      float[] f = new float[HEAD_DIM / 2];
      for (int i = 0; i < f.length; i++) {
        f[i] = i < f.length / 2 ? 1f : 1f + i;
      }
      w.tensor("rope_freqs.weight", GgmlType.F32, floats(f), HEAD_DIM / 2);
    }
    w.write(file);
    return file;
  }

  /** ggml's LLAMA_FTYPE for a file whose weights are all of one type. */
  static int fileType(GgmlType t) {
    return switch (t) {
      case F32 -> 0;
      case F16 -> 1;
      case Q4_0 -> 2;
      case Q8_0 -> 7;
      case Q4_K -> 15; // Q4_K_M
      case Q6_K -> 18;
      case BF16 -> 32;
    };
  }

  private static byte[] norm(int n, SplittableRandom rnd) {
    float[] f = new float[n];
    for (int i = 0; i < n; i++) {
      f[i] = 0.8f + 0.4f * rnd.nextFloat();
    }
    return floats(f);
  }

  private static byte[] gaussian(int n, float s, SplittableRandom rnd) {
    float[] f = new float[n];
    for (int i = 0; i < n; i++) {
      f[i] = (float) (rnd.nextGaussian() * s);
    }
    return floats(f);
  }

  static byte[] floats(float[] f) {
    ByteBuffer b = ByteBuffer.allocate(4 * f.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float x : f) {
      b.putFloat(x);
    }
    return b.array();
  }
}
