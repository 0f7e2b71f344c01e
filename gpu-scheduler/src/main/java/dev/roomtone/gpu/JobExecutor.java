package dev.roomtone.gpu;

import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Runs a job on a device; the scheduler knows when and where, the executor knows how. The
 * AI-assist work provides the real one (language models, images).
 */
public interface JobExecutor {

  /**
   * Starts the job as assigned (loading or unloading models first, as the assignment says) and
   * reports delivered work through {@code progress}, from any thread. The run completes
   * normally when the job is done; exceptionally with a {@link DeviceFault} when the device
   * itself failed (the worker restarts, the job is tried once more), with anything else when the
   * job failed (not tried again).
   */
  Run start(Dispatcher.Assignment assignment, Consumer<Cost> progress);

  /** A job being run. */
  interface Run {
    CompletionStage<Void> done();

    /** Stops the job early (cancelled, or its deadline passed); done() may still complete later. */
    void cancel();
  }
}
