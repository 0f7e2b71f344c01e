package dev.roomtone.gpu;

/** What happens to a job, in order, as its submitter hears it. */
public sealed interface JobEvent {

  String jobId();

  /** Waiting; position 1 runs next. Sent again when the position changes. */
  record Queued(String jobId, int position) implements JobEvent {
  }

  record Started(String jobId, String deviceId) implements JobEvent {
  }

  /** Work delivered since the last progress event. */
  record Progress(String jobId, Cost delivered) implements JobEvent {
  }

  record Finished(String jobId) implements JobEvent {
  }

  record Failed(String jobId, String reason) implements JobEvent {
  }

  record Cancelled(String jobId, CancelledBy by) implements JobEvent {
  }
}
