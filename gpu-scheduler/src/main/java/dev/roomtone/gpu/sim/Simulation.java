package dev.roomtone.gpu.sim;

import dev.roomtone.gpu.CancelledBy;
import dev.roomtone.gpu.Cost;
import dev.roomtone.gpu.Dispatcher;
import dev.roomtone.gpu.JobEvent;
import dev.roomtone.gpu.JobSpec;
import dev.roomtone.gpu.ModelCatalog;
import dev.roomtone.gpu.PoolDevice;
import dev.roomtone.gpu.SchedulerSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Runs the real {@link Dispatcher} in simulated time: arrivals, cancellations and worker crashes
 * come from a script; a running job delivers its estimated cost at its device's rate, reported
 * in a few progress steps, then finishes. No threads, no wall clock: the same inputs give the
 * same run.
 */
public final class Simulation {

  /** A device of the simulated pool and how many service units one slot delivers per second. */
  public record SimDevice(PoolDevice device, double unitsPerSecond) {
  }

  /** Something that happens to the scheduler from outside, at a moment of simulated time. */
  public sealed interface Input {
    Instant at();

    record Arrival(Instant at, JobSpec job) implements Input {
    }

    record Cancel(Instant at, String jobId, CancelledBy by) implements Input {
    }

    /** The device's worker crashes: every run on it is lost. */
    record Crash(Instant at, String deviceId) implements Input {
    }

    /** The device leaves the pool. */
    record Remove(Instant at, String deviceId) implements Input {
    }
  }

  /** Called after every event, with the dispatcher in its settled state. */
  @FunctionalInterface
  public interface Observer {
    void after(Instant now, Dispatcher dispatcher);
  }

  /** What happened to one job. */
  public static final class JobRecord {
    public final JobSpec job;
    public final Instant submitted;
    public Instant firstStarted;
    public Instant ended;
    public String device;
    public JobEvent outcome;
    public int starts;

    JobRecord(JobSpec job, Instant submitted) {
      this.job = job;
      this.submitted = submitted;
    }

    /** Time from submission to the first start, or null if it never started. */
    public Duration waited() {
      return firstStarted == null ? null : Duration.between(submitted, firstStarted);
    }
  }

  public record Result(Map<String, JobRecord> jobs, List<Dispatcher.Submitted.Refused> refused,
                       Map<String, Double> service, long dispatches, Instant end, Dispatcher dispatcher) {
  }

  private record Event(Instant at, long seq, Runnable action) {
  }

  private final SchedulerSettings settings;
  private final ModelCatalog catalog;
  private final List<SimDevice> devices;
  private final int progressSteps;

  public Simulation(SchedulerSettings settings, ModelCatalog catalog, List<SimDevice> devices, int progressSteps) {
    if (progressSteps < 1) {
      throw new IllegalArgumentException("progressSteps must be at least 1");
    }
    this.settings = settings;
    this.catalog = catalog;
    this.devices = List.copyOf(devices);
    this.progressSteps = progressSteps;
  }

  public Result run(List<? extends Input> inputs, Observer observer) {
    return run(inputs, observer, Dispatcher.Listener.NONE);
  }

  public Result run(List<? extends Input> inputs, Observer observer, Dispatcher.Listener extra) {
    Map<String, JobRecord> records = new LinkedHashMap<>();
    List<Dispatcher.Submitted.Refused> refused = new ArrayList<>();
    Map<String, Double> rates = new HashMap<>();
    for (SimDevice d : devices) {
      rates.put(d.device().id(), d.unitsPerSecond());
    }
    Dispatcher.Listener recorder = (job, event) -> {
      JobRecord r = records.get(job.id());
      switch (event) {
        case JobEvent.Started s -> {
          if (r.firstStarted == null) {
            r.firstStarted = now[0];
          }
          r.device = s.deviceId();
          r.starts++;
        }
        case JobEvent.Finished f -> end(r, f);
        case JobEvent.Failed f -> end(r, f);
        case JobEvent.Cancelled c -> end(r, c);
        case JobEvent.Queued q -> { }
        case JobEvent.Progress p -> { }
      }
      extra.on(job, event);
    };
    Dispatcher dispatcher = new Dispatcher(settings, catalog, devices.stream().map(SimDevice::device).toList(),
        recorder, dev.roomtone.gpu.SchedulerMetrics.NONE);
    PriorityQueue<Event> events = new PriorityQueue<>(Comparator.comparing(Event::at).thenComparingLong(Event::seq));
    long[] seq = {0};
    for (Input in : inputs) {
      events.add(new Event(in.at(), seq[0]++, () -> apply(in, dispatcher, records, refused, now[0])));
    }
    while (!events.isEmpty()) {
      Event e = events.poll();
      now[0] = e.at();
      e.action().run();
      for (Dispatcher.Assignment a : dispatcher.dispatch(now[0])) {
        schedule(a, rates.get(a.deviceId()), dispatcher, events, seq);
      }
      observer.after(now[0], dispatcher);
      Instant deadline = dispatcher.nextDeadline();
      if (deadline != null && (events.isEmpty() || deadline.isBefore(events.peek().at()))) {
        events.add(new Event(deadline.isBefore(now[0]) ? now[0] : deadline, seq[0]++, () -> dispatcher.expire(now[0])));
      }
    }
    return new Result(records, refused, dispatcher.service(), dispatcher.dispatches(), now[0], dispatcher);
  }

  // the current simulated time, shared by the event actions and the listener
  private final Instant[] now = {Instant.EPOCH};

  private void end(JobRecord r, JobEvent outcome) {
    r.outcome = outcome;
    r.ended = now[0];
  }

  private void apply(Input in, Dispatcher d, Map<String, JobRecord> records,
                     List<Dispatcher.Submitted.Refused> refused, Instant t) {
    switch (in) {
      case Input.Arrival a -> {
        switch (d.submit(a.job(), t)) {
          case Dispatcher.Submitted.Accepted ok -> records.put(a.job().id(), new JobRecord(a.job(), t));
          case Dispatcher.Submitted.Refused no -> refused.add(no);
        }
      }
      case Input.Cancel c -> d.cancel(c.jobId(), c.by(), t);
      case Input.Crash c -> {
        for (JobRecord r : records.values()) {
          if (r.outcome == null && c.deviceId().equals(d.deviceOf(r.job.id()))) {
            d.lost(r.job.id(), d.attemptOf(r.job.id()), "simulated crash of " + c.deviceId(), t);
          }
        }
      }
      case Input.Remove r -> d.removeDevice(r.deviceId(), "simulated removal", t);
    }
    for (Dispatcher.StopOrder ignored : d.expire(t)) {
      // a stopped run's remaining steps find the job gone and are ignored
    }
  }

  private void schedule(Dispatcher.Assignment a, double rate, Dispatcher d, PriorityQueue<Event> events, long[] seq) {
    Instant start = now[0];
    double units = settings.costWeights().units(a.job().estimate());
    double seconds = units / rate;
    for (int k = 1; k <= progressSteps; k++) {
      Cost part = part(a.job().estimate(), k);
      boolean last = k == progressSteps;
      Instant at = start.plusNanos((long) (seconds * 1e9 * k / progressSteps));
      events.add(new Event(at, seq[0]++, () -> {
        d.progress(a.job().id(), a.attempt(), part, now[0]);
        if (last) {
          d.finished(a.job().id(), a.attempt(), now[0]);
        }
        d.expire(now[0]);
      }));
    }
  }

  // The k-th of progressSteps equal parts of what is delivered after the start (the prompt is
  // charged at start); integer parts that add up to the whole.
  private Cost part(Cost estimate, int k) {
    return switch (estimate) {
      case Cost.Text t -> new Cost.Text(0, share(t.outputTokens(), k));
      case Cost.Image i -> new Cost.Image(share(i.steps(), k), i.megapixels());
    };
  }

  private long share(long total, int k) {
    return total * k / progressSteps - total * (k - 1) / progressSteps;
  }
}
