package dev.roomtone.multimodal.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roomtone.multimodal.engine.compute.CpuBackend;
import dev.roomtone.multimodal.engine.gguf.GgmlType;
import dev.roomtone.multimodal.engine.gguf.GgufException;
import dev.roomtone.multimodal.engine.gguf.GgufValue;
import dev.roomtone.multimodal.engine.tensor.CpuKernels;
import dev.roomtone.multimodal.engine.tensor.Kernels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ForwardPassTest {
  private static final long SEED = 6_001;
  private static final int VOCAB = 96;
  /**
   * Logits may differ from the double-precision reference by float rounding only: at most 1e-4
   * absolute on logits of magnitude ~10 (observed: below 1e-5).
   */
  private static final double TOLERANCE = 1e-4;
  /**
   * Where the kernels take a decode product's activations in 8 bits (Q8_0 weights, the default
   * vector kernels; KernelsTest holds that arithmetic to float rounding against the rounded
   * activations), the logits carry that rounding: within 3% of the largest logit (observed: up to
   * 1.7% over the six positions of either architecture — llama.cpp's own kind of difference).
   */
  private static final double EIGHT_BIT_TOLERANCE = 0.03;

  @TempDir Path dir;

  /**
   * Every kernel set: the Vector API ones (surefire adds the module) by default and with float
   * activations throughout, and the scalar fallback.
   */
  static Stream<Arguments> everyTypeArchitectureAndKernels() {
    return Stream.of("llama", "qwen2").flatMap(arch -> Stream.of(GgmlType.values()).flatMap(t ->
        Stream.of(CpuKernels.best(), CpuKernels.exact(), CpuKernels.scalar())
            .map(k -> Arguments.of(arch, t, k))));
  }

  private Path model(String arch, GgmlType type) throws IOException {
    return TinyModels.write(dir.resolve(arch + "-" + type + ".gguf"), arch, type,
        SEED + type.ordinal(), VOCAB, w -> {});
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("everyTypeArchitectureAndKernels")
  void logitsMatchTheReferenceTokenByTokenAndInABatch(String arch, GgmlType type, Kernels kernels)
      throws IOException {
    System.out.println("seed " + (SEED + type.ordinal()) + " " + arch + " " + type + " "
        + kernels.name());
    // six tokens: a prefill tile of four and a remainder of two
    int[] prompt = {1, 17, 42, 5, 88, 3};
    try (LlamaModel m = LlamaModel.open(model(arch, type));
        CpuBackend cpu = new CpuBackend(2, kernels)) {
      ReferenceTransformer ref = new ReferenceTransformer(m.file());
      InferenceSession single = new InferenceSession(m, cpu, 32);
      double[] want = null;
      boolean eightBit = kernels.eightBitActivations(type, 1);
      for (int t : prompt) {
        want = ref.next(t);
        float[] got = single.forward(t);
        assertClose(want, got, arch + " " + type + " at position " + (single.position() - 1),
            eightBit);
      }
      // the batch's products take float activations, but the logits come from the last position
      // alone: a product of one, 8-bit where the kernels round (the exact set checks the rest)
      InferenceSession batched = new InferenceSession(m, cpu, 32);
      assertClose(want, batched.forward(prompt), arch + " " + type + " batched prefill", eightBit);
      assertEquals(prompt.length, batched.position());
    }
  }

  private static void assertClose(double[] want, float[] got, String what, boolean eightBit) {
    assertEquals(want.length, got.length);
    double worst = 0;
    double scale = 0;
    for (int i = 0; i < want.length; i++) {
      worst = Math.max(worst, Math.abs(want[i] - got[i]));
      scale = Math.max(scale, Math.abs(want[i]));
    }
    System.out.printf("%s: max |Δlogit| %.2e, max |logit| %.2f%n", what, worst, scale);
    assertTrue(scale > 0.1, what + ": logits are degenerate (max " + scale + ")");
    double tolerance = eightBit ? EIGHT_BIT_TOLERANCE * scale : TOLERANCE;
    assertTrue(worst <= tolerance, what + ": max |Δlogit| " + worst + " (logits up to " + scale
        + ", tolerance " + tolerance + ")");
  }

  @Test
  void oneThreadAndManyThreadsAgreeExactly() throws IOException {
    try (LlamaModel m = LlamaModel.open(model("llama", GgmlType.Q4_K));
        CpuBackend one = new CpuBackend(1);
        CpuBackend many = new CpuBackend(4)) {
      float[] a = new InferenceSession(m, one, 16).forward(1, 2, 3);
      float[] b = new InferenceSession(m, many, 16).forward(1, 2, 3);
      assertArrayEquals(a, b);
    }
  }

  @Test
  void refusesAWeightOfTheWrongShape() throws IOException {
    Path p = TinyModels.write(dir.resolve("bad.gguf"), "llama", GgmlType.F32, SEED, VOCAB,
        w -> w.put("llama.feed_forward_length", GgufValue.u32(384)));
    GgufException e = assertThrows(GgufException.class, () -> LlamaModel.open(p));
    assertTrue(e.getMessage().contains("tensor blk.0.ffn_gate.weight has shape [256, 512] but the"
        + " model's metadata needs [256, 384]"), e.getMessage());
  }

  @Test
  void refusesAnUnknownArchitectureAndAMissingKey() throws IOException {
    Path p = TinyModels.write(dir.resolve("arch.gguf"), "llama", GgmlType.F32, SEED, VOCAB,
        w -> w.put("general.architecture", GgufValue.string("mamba")));
    assertTrue(assertThrows(GgufException.class, () -> LlamaModel.open(p)).getMessage()
        .contains("architecture mamba is not supported"));
  }

  @Test
  void refusesTokensOutsideTheVocabularyAndAFullContext() throws IOException {
    try (LlamaModel m = LlamaModel.open(model("llama", GgmlType.F32));
        CpuBackend cpu = new CpuBackend(1)) {
      InferenceSession s = new InferenceSession(m, cpu, 4);
      assertThrows(IllegalArgumentException.class, () -> s.forward(VOCAB));
      s.forward(1, 2, 3);
      assertThrows(IllegalStateException.class, () -> s.forward(4, 5));
      assertEquals(3, s.position());
    }
  }
}
