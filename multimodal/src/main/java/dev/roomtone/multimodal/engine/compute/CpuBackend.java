package dev.roomtone.multimodal.engine.compute;

import dev.roomtone.multimodal.engine.tensor.CpuKernels;
import dev.roomtone.multimodal.engine.tensor.Kernels;
import dev.roomtone.multimodal.engine.tensor.WeightMatrix;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * Matrix products on the CPU: rows are split across a fixed pool, each task reads its rows once
 * for the whole batch (which is what makes batched prefill cheaper than one token at a time).
 * The loops themselves are {@link Kernels}: the Vector API ones when the JVM has
 * {@code jdk.incubator.vector}, plain Java otherwise ({@link CpuKernels#best()}).
 */
public final class CpuBackend implements Backend {
  private static final int MIN_ROWS_PER_TASK = 16;
  private final ForkJoinPool pool;
  private final int threads;
  private final Kernels kernels;

  public CpuBackend(int threads) {
    this(threads, CpuKernels.best());
  }

  public CpuBackend(int threads, Kernels kernels) {
    this.threads = Math.max(1, threads);
    this.kernels = kernels;
    this.pool = new ForkJoinPool(this.threads);
  }

  public static CpuBackend withAllCores() {
    return new CpuBackend(Runtime.getRuntime().availableProcessors());
  }

  @Override
  public String name() {
    return "cpu";
  }

  public int threads() {
    return threads;
  }

  public Kernels kernels() {
    return kernels;
  }

  @Override
  public void matmul(WeightMatrix w, float[][] x, float[][] out, int batch) {
    int rows = w.rows();
    if (threads == 1 || rows < 2 * MIN_ROWS_PER_TASK) {
      kernels.rows(w, x, out, batch, 0, rows);
      return;
    }
    int chunk = Math.max(MIN_ROWS_PER_TASK, rows / (threads * 4));
    pool.invoke(new Rows(w, x, out, batch, 0, rows, chunk));
  }

  private final class Rows extends RecursiveAction {
    private final WeightMatrix w;
    private final float[][] x;
    private final float[][] out;
    private final int batch;
    private final int from;
    private final int to;
    private final int chunk;

    Rows(WeightMatrix w, float[][] x, float[][] out, int batch, int from, int to, int chunk) {
      this.w = w;
      this.x = x;
      this.out = out;
      this.batch = batch;
      this.from = from;
      this.to = to;
      this.chunk = chunk;
    }

    @Override
    protected void compute() {
      if (to - from <= chunk) {
        kernels.rows(w, x, out, batch, from, to);
        return;
      }
      int mid = (from + to) >>> 1;
      invokeAll(new Rows(w, x, out, batch, from, mid, chunk),
          new Rows(w, x, out, batch, mid, to, chunk));
    }
  }

  @Override
  public void close() {
    pool.shutdown();
  }
}
