package dev.roomtone.multimodal.engine.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roomtone.multimodal.engine.gguf.GgmlType;
import dev.roomtone.multimodal.engine.tensor.SyntheticWeights;
import dev.roomtone.multimodal.engine.tensor.WeightMatrix;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * No GPU runs in CI, but the CUDA kernels' source can still be checked: g++ compiles matvec.cu with
 * CUDA's built-ins stood in (matvec-host.cpp) and walks the launch grid on the host, and every
 * product must equal the engine's CPU dot product. A typo or a wrong block layout in the kernels
 * fails here rather than on the first GPU machine; NVRTC, the driver and the launch itself are
 * still untested until one is lent.
 */
class CudaKernelSourceTest {
  private static final long SEED = 9_090;
  @TempDir static Path dir;
  static Path harness;

  @BeforeAll
  static void build() throws IOException, InterruptedException {
    copy("matvec.cu");
    copy("matvec-host.cpp");
    harness = dir.resolve("matvec-host");
    Process gpp = new ProcessBuilder("g++", "-std=c++17", "-O1", "-Wall", "-Werror", "-Wno-unused-function",
        "-o", harness.toString(), dir.resolve("matvec-host.cpp").toString())
        .redirectErrorStream(true).start();
    String out = new String(gpp.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(gpp.waitFor(120, TimeUnit.SECONDS) && gpp.exitValue() == 0,
        "matvec.cu does not compile (g++ comes with apt-get install g++): " + out);
  }

  private static void copy(String name) throws IOException {
    try (InputStream in = CudaKernelSourceTest.class.getResourceAsStream(name)) {
      Files.write(dir.resolve(name), in.readAllBytes());
    }
  }

  @ParameterizedTest
  @EnumSource(GgmlType.class)
  void everyKernelComputesWhatTheCpuComputes(GgmlType type) throws IOException, InterruptedException {
    System.out.println("seed " + SEED + " " + type);
    Random rnd = new Random(SEED + type.ordinal());
    int rows = 130; // one full block of 128 threads and a ragged second one
    int cols = 512;
    int batch = 2;
    byte[] weights = SyntheticWeights.random(type, rows, cols, 1f, rnd);
    WeightMatrix w = new WeightMatrix("w", type,
        ByteBuffer.wrap(weights).order(ByteOrder.LITTLE_ENDIAN), rows, cols);
    float[][] x = new float[batch][cols];
    ByteBuffer xs = ByteBuffer.allocate(batch * cols * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (float[] v : x) {
      for (int i = 0; i < cols; i++) {
        v[i] = (float) rnd.nextGaussian();
        xs.putFloat(v[i]);
      }
    }
    Path wf = Files.write(dir.resolve(type + ".w"), weights);
    Path xf = Files.write(dir.resolve(type + ".x"), xs.array());
    Path of = dir.resolve(type + ".out");
    Process run = new ProcessBuilder(harness.toString(), wf.toString(), xf.toString(), of.toString(),
        Integer.toString(rows), Integer.toString(cols), Integer.toString(w.rowBytes()),
        Integer.toString(type.code), Integer.toString(batch)).redirectErrorStream(true).start();
    String log = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(run.waitFor(60, TimeUnit.SECONDS) && run.exitValue() == 0, log);
    ByteBuffer out = ByteBuffer.wrap(Files.readAllBytes(of)).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(rows * batch * Float.BYTES, out.capacity());
    for (int b = 0; b < batch; b++) {
      for (int r = 0; r < rows; r++) {
        float expected = w.dot(r, x[b], 0);
        float got = out.getFloat((b * rows + r) * Float.BYTES);
        double scale = 0;
        float[] wr = w.dequantizeRow(r);
        for (int i = 0; i < cols; i++) {
          scale += Math.abs((double) wr[i] * x[b][i]);
        }
        // the same products summed in another order: float rounding only
        assertEquals(expected, got, 1e-5 * scale + 1e-6, type + " row " + r + " vector " + b);
      }
    }
  }
}
