package dev.roomtone.multimodal.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roomtone.multimodal.engine.gguf.GgmlType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KernelsTest {
  private static final long SEED = 0x5EED_0606L;
  /** The vector kernels are built and loaded from Java 22 on; Java 21 runs the scalar ones. */
  private static final boolean VECTOR = Runtime.version().feature() >= 22;

  @Test
  void theTestsRunTheVectorKernelsWhereJavaCanLoadThem() {
    // surefire adds jdk.incubator.vector (multimodal/pom.xml); without it the comparisons below
    // would compare the scalar loops with themselves
    if (VECTOR) {
      assertTrue(CpuKernels.best().name().startsWith("vector-"),
          CpuKernels.best().name() + ": " + CpuKernels.reason());
    } else {
      assertEquals("scalar", CpuKernels.best().name());
      assertTrue(CpuKernels.reason().startsWith("the vector kernels need Java 22 or newer"),
          CpuKernels.reason());
    }
  }

  @Test
  void onlyTheDefaultVectorKernelsTakeEightBitActivationsAndOnlyForQ8_0Decode() {
    for (GgmlType t : GgmlType.values()) {
      for (int batch : new int[] {1, 2, 4}) {
        assertEquals(VECTOR && t == GgmlType.Q8_0 && batch == 1,
            CpuKernels.best().eightBitActivations(t, batch), t + " batch " + batch);
        assertFalse(CpuKernels.exact().eightBitActivations(t, batch));
        assertFalse(CpuKernels.scalar().eightBitActivations(t, batch));
      }
    }
    assertEquals(VECTOR ? CpuKernels.best().name() + "-exact" : "scalar", CpuKernels.exact().name());
  }

  static Stream<Arguments> everyTypeKernelAndBatch() {
    List<Arguments> all = new ArrayList<>();
    for (GgmlType t : GgmlType.values()) {
      for (Kernels k : List.of(CpuKernels.scalar(), CpuKernels.exact(), CpuKernels.best())) {
        for (int batch : new int[] {1, 4, 7}) {
          all.add(Arguments.of(t, k, batch));
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} {1} batch {2}")
  @MethodSource("everyTypeKernelAndBatch")
  void productsMatchDequantiseThenMultiply(GgmlType type, Kernels kernels, int batch) {
    System.out.println("seed " + SEED + " " + type + " " + kernels.name() + " batch " + batch);
    KernelCase kc = KernelCase.of(type, batch, SEED);
    // rows 1..6 of 8: a prefill tile of four rows and two left over
    int rows = KernelCase.ROWS;
    int cols = kc.cols();
    byte[] bytes = kc.bytes();
    WeightMatrix m = kc.matrix();
    float[][] x = kc.x();
    float[][] out = new float[batch][rows];
    for (int b = 0; b < batch; b++) {
      out[b][0] = Float.NaN;
      out[b][rows - 1] = Float.NaN;
    }
    kernels.rows(m, x, out, batch, 1, rows - 1);
    for (int b = 0; b < batch; b++) {
      assertTrue(Float.isNaN(out[b][0]) && Float.isNaN(out[b][rows - 1]),
          "rows outside [from, to) were written");
      double[] a = kc.activations(kernels, b);
      for (int r = 1; r < rows - 1; r++) {
        double[] w = ReferenceDecoder.row(type, bytes, r, cols);
        double want = 0;
        double scale = 0;
        for (int c = 0; c < cols; c++) {
          want += w[c] * a[c];
          scale += Math.abs(w[c] * a[c]);
        }
        // float accumulation over ~800 terms: relative error well under 1e-5 of Σ|w·x|
        assertEquals(want, out[b][r], scale * 1e-5, type + " row " + r + " token " + b);
      }
    }
  }

  /** The fallback the issue asks for: a JVM without the incubator flag runs the scalar loops. */
  @ParameterizedTest
  @MethodSource("jvmFlags")
  void aChildJvmChoosesItsKernelsFromItsFlags(List<String> flags, String expected)
      throws IOException, InterruptedException {
    String output = child(flags);
    assertTrue(output.contains("kernels=" + expected), flags + ": " + output);
  }

  /**
   * The 8-lane loops (AVX2's width) on this machine: the JVM limited to 256-bit vectors (on Java
   * 21, which cannot load the vector kernels, the child checks its scalar ones all the same).
   */
  @Test
  void theEightLaneKernelsMatchToo() throws IOException, InterruptedException {
    String output = child(List.of("--add-modules", "jdk.incubator.vector",
        "-XX:MaxVectorSize=32"), "check", Long.toString(SEED));
    System.out.println(output);
    assertTrue(output.contains(VECTOR ? "kernels=vector-8" : "kernels=scalar"), output);
    assertTrue(output.contains("checked: all products match"), output);
  }

  private static String child(List<String> flags, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(flags);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
        KernelsProbe.class.getName()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM did not end");
    assertEquals(0, p.exitValue(), output);
    return output;
  }

  static Stream<Arguments> jvmFlags() {
    String vectorLanes = CpuKernels.best().name();
    return Stream.of(
        Arguments.of(List.of(), "scalar (the JVM was started without --add-modules"),
        Arguments.of(List.of("--add-modules", "jdk.incubator.vector",
            "-D" + CpuKernels.PROPERTY + "=scalar"), "scalar (-D" + CpuKernels.PROPERTY),
        Arguments.of(List.of("--add-modules", "jdk.incubator.vector"), vectorLanes),
        // an unknown value changes nothing and is named in the reason
        Arguments.of(List.of("--add-modules", "jdk.incubator.vector",
            "-D" + CpuKernels.PROPERTY + "=fast"), vectorLanes + " (" + CpuKernels.reason()
            + "; -D" + CpuKernels.PROPERTY + "=fast ignored (scalar or exact))"));
  }
}
