package dev.roomtone.gpu;

import java.time.Instant;

/** What the dispatcher reports as it works; {@link #NONE} when nobody is measuring. */
public interface SchedulerMetrics {

  SchedulerMetrics NONE = new SchedulerMetrics() {
  };

  default void queueLength(String session, int length) {
  }

  /** A job left the queue for a device after waiting this long. */
  default void waited(String session, double seconds) {
  }

  /** A session asked for this much work (its estimate), at submission. */
  default void asked(String session, double units, Instant now) {
  }

  /** Service delivered to a session. */
  default void served(String session, double units, Instant now) {
  }

  default void deviceBusy(String deviceId, double seconds) {
  }

  default void refused(Refusal.Reason reason) {
  }
}
