package dev.roomtone.gpu.sim;

import dev.roomtone.gpu.Fairness;
import dev.roomtone.gpu.Policy;
import dev.roomtone.gpu.SchedulerSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One policy on the bench workload in simulated time: how the service was shared while the
 * flood lasted, how fair that was, and how long the light rooms waited.
 */
public final class FloodBench {

  /** What one policy did with the workload. */
  public record Outcome(Policy policy, int jobs, long dispatches, Map<String, Double> share, double jain,
                        double lightWaitP50, double lightWaitP99, double floodWaitP50, double floodWaitP99,
                        double simulatedSeconds) {
  }

  private FloodBench() {
  }

  /**
   * Runs the workload to the end; fairness is measured over the arrival period (while every
   * room asks), from the service each room had received when the last arrival came.
   */
  public static Outcome run(Policy policy, BenchWorkload w, Duration arrivals) {
    SchedulerSettings settings = SchedulerSettings.defaults(policy).withLimits(1_000_000, 1_000_000);
    Simulation sim = new Simulation(settings, w.catalog(), w.devices(), 4);
    Instant horizon = Instant.EPOCH.plus(arrivals);
    AtomicReference<Map<String, Double>> atHorizon = new AtomicReference<>();
    Simulation.Result r = sim.run(w.arrivals(), (now, d) -> {
      if (atHorizon.get() == null && !now.isBefore(horizon)) {
        atHorizon.set(d.service());
      }
    });
    Map<String, Double> service = atHorizon.get() != null ? atHorizon.get() : r.service();
    Map<String, Double> demand = new HashMap<>();
    for (Simulation.Input.Arrival a : w.arrivals()) {
      demand.merge(a.job().session(), settings.costWeights().units(a.job().estimate()), Double::sum);
    }
    double total = service.values().stream().mapToDouble(Double::doubleValue).sum();
    Map<String, Double> share = new TreeMap<>();
    for (String room : demand.keySet()) {
      share.put(room, round(service.getOrDefault(room, 0.0) / total, 4));
    }
    List<Double> light = new ArrayList<>();
    List<Double> flood = new ArrayList<>();
    for (Simulation.JobRecord j : r.jobs().values()) {
      double waited = j.waited().toNanos() / 1e9;
      (j.job.session().equals(w.floodRoom()) ? flood : light).add(waited);
    }
    return new Outcome(policy, r.jobs().size(), r.dispatches(), share, round(Fairness.jain(demand, service), 4),
        percentile(light, 50), percentile(light, 99), percentile(flood, 50), percentile(flood, 99),
        r.end().toEpochMilli() / 1000.0);
  }

  static double percentile(List<Double> values, double p) {
    if (values.isEmpty()) {
      return 0;
    }
    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(v);
    int i = (int) Math.ceil(p / 100 * v.length) - 1;
    return round(v[Math.max(0, Math.min(v.length - 1, i))], 3);
  }

  static double round(double x, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(x * f) / f;
  }
}
