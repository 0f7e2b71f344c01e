package dev.roomtone.multimodal.engine.compute;

import dev.roomtone.multimodal.engine.tensor.CpuKernels;
import dev.roomtone.multimodal.engine.tensor.Kernels;
import dev.roomtone.multimodal.engine.tensor.WeightMatrix;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Matrix products on the CPU: rows are dealt in chunks to the calling thread and {@code threads −
 * 1} helper threads, each chunk read once for the whole batch (which is what makes batched prefill
 * cheaper than one token at a time). The loops themselves are {@link Kernels}: the Vector API ones
 * when the JVM has {@code jdk.incubator.vector}, plain Java otherwise ({@link CpuKernels#best()}).
 *
 * <p>A decoded token is about a hundred products, some of them a tenth of a millisecond, with a
 * few microseconds of other work between them. So the calling thread computes rather than waits,
 * and a helper that finds no product spins for {@link #SPIN_NANOS} before it parks: one woken for
 * every product spent a good part of each small one waking up. Chunks are claimed from a shared
 * counter, so a thread that another process slows down takes fewer of them, and a helper that
 * arrives after the last chunk is gone is not waited for.
 */
public final class CpuBackend implements Backend {
  private static final int MIN_ROWS_PER_TASK = 16;
  /** How long an idle helper (and a caller waiting for the last chunk) spins before sleeping. */
  private static final long SPIN_NANOS = 200_000;
  private final int threads;
  private final Kernels kernels;
  private final Helper[] helpers;
  /** The latest product; a helper works on each one it sees once. */
  private volatile Product current;
  private volatile boolean closed;

  public CpuBackend(int threads) {
    this(threads, CpuKernels.best());
  }

  public CpuBackend(int threads, Kernels kernels) {
    this.threads = Math.max(1, threads);
    this.kernels = kernels;
    this.helpers = new Helper[this.threads - 1];
    for (int i = 0; i < helpers.length; i++) {
      helpers[i] = new Helper();
      Thread t = Thread.ofPlatform().daemon().name("roomtone-cpu-" + (i + 1)).unstarted(helpers[i]);
      helpers[i].thread = t;
      t.start();
    }
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
    current = p;
    for (Helper h : helpers) {
      // read after writing current: a helper that went to sleep before seeing p is woken here,
      // and one that sets its flag after this read sees p before it parks (both are volatile)
      if (h.sleeping) {
        LockSupport.unpark(h.thread);
      }
    }
    p.work();
    p.awaitChunks();
  }

  /** A helper thread: works on each new product, spins a while when there is none, then sleeps. */
  private final class Helper implements Runnable {
    private Thread thread;
    private volatile boolean sleeping;

    @Override
    public void run() {
      Product done = null;
      while (!closed) {
        Product p = current;
        if (p != done) {
          done = p;
          p.work();
          continue;
        }
        long until = System.nanoTime() + SPIN_NANOS;
        while (current == done && !closed && System.nanoTime() < until) {
          Thread.onSpinWait();
        }
        if (current == done && !closed) {
          sleeping = true;
          if (current == done && !closed) {
            LockSupport.park(this);
          }
          sleeping = false;
        }
      }
    }
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
      long until = System.nanoTime() + SPIN_NANOS;
      while (finished.get() < chunks && System.nanoTime() < until) {
        Thread.onSpinWait();
      }
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
    closed = true;
    for (Helper h : helpers) {
      LockSupport.unpark(h.thread);
    }
  }
}
