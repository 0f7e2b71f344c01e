package dev.roomtone.multimodal.engine.compute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.roomtone.multimodal.engine.gguf.GgmlType;
import dev.roomtone.multimodal.engine.tensor.Kernels;
import dev.roomtone.multimodal.engine.tensor.WeightMatrix;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** How the CPU backend deals a product's rows out to its threads (the numbers are in ForwardPassTest). */
class CpuBackendTest {
  private static final int ROWS = 1003;
  private static final WeightMatrix W =
      new WeightMatrix("w", GgmlType.F32, ByteBuffer.allocate(ROWS * 4 * 4), ROWS, 4);

  /** Writes out[b][r] = r + b and counts every time a row is computed. */
  private record CountingKernels(AtomicIntegerArray computed, AtomicInteger failAtRow)
      implements Kernels {
    @Override
    public String name() {
      return "counting";
    }

    @Override
    public void rows(WeightMatrix w, float[][] x, float[][] out, int batch, int from, int to) {
      int fail = failAtRow.get();
      if (from <= fail && fail < to) {
        throw new IllegalStateException("row " + fail + " cannot be computed");
      }
      for (int r = from; r < to; r++) {
        computed.incrementAndGet(r);
        for (int b = 0; b < batch; b++) {
          out[b][r] = r + b;
        }
      }
    }
  }

  @Test
  void everyRowIsComputedExactlyOnceWhateverTheThreadCount() {
    for (int threads : new int[] {1, 2, 3, 8}) {
      for (int repeat = 0; repeat < 50; repeat++) {
        AtomicIntegerArray computed = new AtomicIntegerArray(ROWS);
        float[][] out = new float[2][ROWS];
        try (CpuBackend cpu = new CpuBackend(threads, new CountingKernels(computed, new AtomicInteger(-1)))) {
          cpu.matmul(W, new float[2][4], out, 2);
        }
        for (int r = 0; r < ROWS; r++) {
          assertEquals(1, computed.get(r), threads + " threads: times row " + r + " was computed");
        }
        float[] want = new float[ROWS];
        for (int r = 0; r < ROWS; r++) {
          want[r] = r + 1;
        }
        assertArrayEquals(want, out[1], threads + " threads");
      }
    }
  }

  @Test
  void aChunkThatFailsFailsTheProductAndTheBackendGoesOn() {
    AtomicIntegerArray computed = new AtomicIntegerArray(ROWS);
    AtomicInteger failAt = new AtomicInteger();
    try (CpuBackend cpu = new CpuBackend(3, new CountingKernels(computed, failAt))) {
      for (int row : new int[] {0, ROWS / 2, ROWS - 1}) {
        failAt.set(row);
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> cpu.matmul(W, new float[1][4], new float[1][ROWS], 1));
        assertEquals("row " + row + " cannot be computed", e.getMessage());
      }
      failAt.set(-1);
      float[][] out = new float[1][ROWS];
      cpu.matmul(W, new float[1][4], out, 1);
      assertEquals(ROWS - 1, out[0][ROWS - 1]);
    }
  }
}
