package dev.roomtone.gpu;

import java.util.Map;

/**
 * Policy, limits and weights of a scheduler. Session weights scale the service a session is
 * entitled to (2.0: twice the share of a session of weight 1); unnamed sessions weigh 1.
 */
public record SchedulerSettings(
    Policy policy,
    int sessionQueueLimit,
    int queueLimit,
    CostWeights costWeights,
    Map<String, Double> sessionWeights) {

  public SchedulerSettings {
    if (sessionQueueLimit <= 0 || queueLimit <= 0) {
      throw new IllegalArgumentException("queue limits must be positive");
    }
    sessionWeights = Map.copyOf(sessionWeights);
    for (var e : sessionWeights.entrySet()) {
      if (!(e.getValue() > 0) || Double.isInfinite(e.getValue())) {
        throw new IllegalArgumentException("session weight of " + e.getKey() + " must be positive");
      }
    }
  }

  public static SchedulerSettings defaults(Policy policy) {
    return new SchedulerSettings(policy, 64, 4096, CostWeights.DEFAULT, Map.of());
  }

  public SchedulerSettings withLimits(int perSession, int overall) {
    return new SchedulerSettings(policy, perSession, overall, costWeights, sessionWeights);
  }

  public SchedulerSettings withPolicy(Policy p) {
    return new SchedulerSettings(p, sessionQueueLimit, queueLimit, costWeights, sessionWeights);
  }

  public double sessionWeight(String session) {
    return sessionWeights.getOrDefault(session, 1.0);
  }
}
