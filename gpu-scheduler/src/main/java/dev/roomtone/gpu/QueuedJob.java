package dev.roomtone.gpu;

import java.time.Instant;

/** The dispatcher's record of one job between submission and its end. */
final class QueuedJob {

  final JobSpec spec;
  final long seq;
  final long modelMemory;
  final Instant submittedAt;
  Instant queuedAt;
  int attempts;
  String deviceId;
  boolean loadsModel;
  int lastPosition;

  QueuedJob(JobSpec spec, long seq, long modelMemory, Instant now) {
    this.spec = spec;
    this.seq = seq;
    this.modelMemory = modelMemory;
    this.submittedAt = now;
    this.queuedAt = now;
  }

  boolean running() {
    return deviceId != null;
  }

  @Override
  public String toString() {
    return spec.id();
  }
}
