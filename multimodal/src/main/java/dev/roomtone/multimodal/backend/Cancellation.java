package dev.roomtone.multimodal.backend;

import java.util.ArrayList;
import java.util.List;

/** Lets whoever owns a job stop it; backends check it between steps and close their connections. */
public final class Cancellation {

  private final List<Runnable> listeners = new ArrayList<>();
  private volatile String reason;

  /** Cancels, once; later calls are ignored. */
  public void cancel(String why) {
    List<Runnable> toRun;
    synchronized (this) {
      if (reason != null) {
        return;
      }
      reason = why;
      toRun = List.copyOf(listeners);
    }
    toRun.forEach(Runnable::run);
  }

  public boolean isCancelled() {
    return reason != null;
  }

  /** Runs {@code action} on cancellation, or now if already cancelled. */
  public void onCancel(Runnable action) {
    synchronized (this) {
      if (reason == null) {
        listeners.add(action);
        return;
      }
    }
    action.run();
  }

  /** Throws if cancelled. */
  public void check() throws BackendException {
    String r = reason;
    if (r != null) {
      throw new BackendException(BackendException.Kind.CANCELLED, "Cancelled: " + r);
    }
  }
}
