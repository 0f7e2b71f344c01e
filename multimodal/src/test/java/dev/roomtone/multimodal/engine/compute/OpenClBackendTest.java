package dev.roomtone.multimodal.engine.compute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roomtone.multimodal.engine.gguf.GgmlType;
import dev.roomtone.multimodal.engine.tensor.CpuKernels;
import dev.roomtone.multimodal.engine.model.InferenceSession;
import dev.roomtone.multimodal.engine.model.LlamaModel;
import dev.roomtone.multimodal.engine.model.TinyModels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The OpenCL backend (PoCL here) against the CPU backend: same logits, same greedy tokens. The CPU
 * runs its exact kernels, whose products take float activations like the OpenCL kernels do (the
 * default CPU kernels round a Q8_0 decode product's activations to 8 bits, see KernelsTest).
 */
class OpenClBackendTest {
  private static final long SEED = 6_0099;
  @TempDir static Path dir;
  static OpenClBackend cl;

  @BeforeAll
  static void open() {
    List<OpenClBackend.Device> devices = OpenClBackend.devices();
    assertFalse(devices.isEmpty(), "an OpenCL device is needed (CI installs PoCL)");
    System.out.println("OpenCL devices: " + devices);
    cl = new OpenClBackend(devices.get(0));
  }

  @AfterAll
  static void close() {
    cl.close();
  }

  static Stream<Arguments> everyTypeAndArchitecture() {
    return Stream.of("llama", "qwen2").flatMap(arch ->
        Stream.of(GgmlType.values()).map(t -> Arguments.of(arch, t)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("everyTypeAndArchitecture")
  void greedyTokensEqualTheCpus(String arch, GgmlType type) throws IOException {
    System.out.println("seed " + SEED + " " + arch + " " + type);
    Path p = TinyModels.write(dir.resolve(arch + type + ".gguf"), arch, type, SEED + type.ordinal(),
        96, w -> {});
    try (LlamaModel m = LlamaModel.open(p); CpuBackend cpu = new CpuBackend(2, CpuKernels.exact())) {
      int[] prompt = {1, 10, 20, 30};
      InferenceSession a = new InferenceSession(m, cpu, 64);
      InferenceSession b = new InferenceSession(m, cl, 64);
      float[] la = a.forward(prompt);
      float[] lb = b.forward(prompt);
      double worst = 0;
      for (int i = 0; i < la.length; i++) {
        worst = Math.max(worst, Math.abs(la[i] - lb[i]));
      }
      assertTrue(worst < 1e-3, arch + " " + type + ": max |Δlogit| " + worst);
      int[] ta = new int[16];
      int[] tb = new int[16];
      for (int i = 0; i < 16; i++) {
        ta[i] = argmax(la);
        tb[i] = argmax(lb);
        la = a.forward(ta[i]);
        lb = b.forward(tb[i]);
      }
      assertArrayEquals(ta, tb, arch + " " + type + " " + Arrays.toString(ta));
      assertEquals(prompt.length + 16, b.position());
    }
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
