package dev.roomtone.multimodal.engine.compute;

import dev.roomtone.multimodal.engine.tensor.CpuKernels;
import dev.roomtone.multimodal.engine.tensor.Kernels;
import dev.roomtone.multimodal.engine.tensor.WeightMatrix;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Matrix products on the CPU: rows are dealt in chunks to the calling thread and {@code threads −
 * 1} pool threads, each chunk read once for the whole batch (which is what makes batched prefill
 * cheaper than one token at a time). The loops themselves are {@link Kernels}: the Vector API ones
 * when the JVM has {@code jdk.incubator.vector}, plain Java otherwise ({@link CpuKernels#best()}).
 *
 * <p>The calling thread works rather than waits: a decoded token is about a hundred products of a
 * millisecond or less each, and a pool thread woken for every one of them is a wake-up per product
 * that the caller, already running, does not need. Chunks are claimed from a shared counter, so a
 * thread that another process slows down takes fewer of them, and a pool thread that wakes after
 * the last chunk is gone finds nothing to do and is not waited for.
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
    this.pool = this.threads > 1 ? new ForkJoinPool(this.threads - 1) : null;
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
    Product p = new Product(w, x, out, batch, chunk);
    for (int i = 1; i < threads; i++) {
      pool.execute(p::work);
    }
    p.work();
    p.awaitChunks();
  }

  /** One product's rows in chunks, taken by whichever thread asks next. */
  private final class Product {
    private final WeightMatrix w;
    private final float[][] x;
    private final float[][] out;
    private final int batch;
    private final int chunk;
    private final int chunks;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();
    private volatile Throwable failure;

    Product(WeightMatrix w, float[][] x, float[][] out, int batch, int chunk) {
      this.w = w;
      this.x = x;
      this.out = out;
      this.batch = batch;
      this.chunk = chunk;
      this.chunks = (w.rows() + chunk - 1) / chunk;
    }

    void work() {
      for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
        try {
          int from = c * chunk;
          kernels.rows(w, x, out, batch, from, Math.min(w.rows(), from + chunk));
        } catch (Throwable t) {
          failure = t;
        }
        if (finished.incrementAndGet() == chunks) {
          synchronized (this) {
            notifyAll();
          }
        }
      }
    }

    /** Returns once every chunk is written (by any thread), or throws what a chunk threw. */
    void awaitChunks() {
      if (finished.get() < chunks) {
        synchronized (this) {
          boolean interrupted = false;
          while (finished.get() < chunks) {
            try {
              wait();
            } catch (InterruptedException e) {
              // the other threads still write into out: finish waiting, then pass it on
              interrupted = true;
            }
          }
          if (interrupted) {
            Thread.currentThread().interrupt();
          }
        }
      }
      Throwable t = failure;
      if (t instanceof RuntimeException e) {
        throw e;
      }
      if (t instanceof Error e) {
        throw e;
      }
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdown();
    }
  }
}
