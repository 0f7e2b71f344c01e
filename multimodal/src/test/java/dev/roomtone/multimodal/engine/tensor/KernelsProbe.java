package dev.roomtone.multimodal.engine.tensor;

import dev.roomtone.multimodal.engine.gguf.GgmlType;
import java.util.List;

/**
 * Started in a child JVM by {@link KernelsTest}: prints which kernels that JVM chose, and with
 * {@code check} compares them with dequantise-then-multiply for every type and a few batch sizes
 * (the way to reach the 8-lane loops on a machine whose own vectors are wider).
 */
public final class KernelsProbe {
  private KernelsProbe() {}

  public static void main(String[] args) {
    Kernels k = CpuKernels.best();
    System.out.println("kernels=" + k.name() + " (" + CpuKernels.reason() + ")");
    if (args.length == 0 || !args[0].equals("check")) {
      return;
    }
    long seed = Long.parseLong(args[1]);
    System.out.println("seed " + seed);
    int failures = 0;
    for (Kernels kernels : List.of(k, CpuKernels.exact())) {
      for (GgmlType type : GgmlType.values()) {
        for (int batch : new int[] {1, 4, 7}) {
          KernelCase kc = KernelCase.of(type, batch, seed);
          WeightMatrix m = kc.matrix();
          float[][] x = kc.x();
          int rows = KernelCase.ROWS;
          int cols = kc.cols();
          float[][] out = new float[batch][rows];
          kernels.rows(m, x, out, batch, 0, rows);
          for (int r = 0; r < rows; r++) {
            float[] w = m.dequantizeRow(r);
            for (int b = 0; b < batch; b++) {
              double[] a = kc.activations(kernels, b);
              double want = 0;
              double scale = 0;
              for (int c = 0; c < cols; c++) {
                want += (double) w[c] * a[c];
                scale += Math.abs((double) w[c] * a[c]);
              }
              if (!(Math.abs(want - out[b][r]) <= scale * 1e-5)) {
                failures++;
                System.out.println("mismatch " + kernels.name() + " " + type + " batch " + batch
                    + " row " + r + " token " + b + ": " + out[b][r] + " want " + want);
              }
            }
          }
        }
      }
    }
    System.out.println(failures == 0 ? "checked: all products match" : failures + " mismatches");
  }
}
