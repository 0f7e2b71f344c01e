package dev.roomtone.gpu;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Demand and service per session over a sliding window of time, kept in buckets; thread-safe. */
public final class FairnessWindow {

  private final long bucketNanos;
  private final long[] bucketStart;
  private final Map<String, double[]>[] buckets;

  @SuppressWarnings("unchecked")
  public FairnessWindow(Duration window, int bucketCount) {
    if (bucketCount < 1 || window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("a window needs a length and at least one bucket");
    }
    this.bucketNanos = Math.max(1, window.toNanos() / bucketCount);
    this.bucketStart = new long[bucketCount];
    this.buckets = new Map[bucketCount];
    for (int i = 0; i < bucketCount; i++) {
      buckets[i] = new HashMap<>();
      bucketStart[i] = Long.MIN_VALUE;
    }
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  private Map<String, double[]> bucket(Instant now) {
    long slot = Math.floorDiv(nanos(now), bucketNanos);
    int i = (int) Math.floorMod(slot, (long) buckets.length);
    if (bucketStart[i] != slot) {
      bucketStart[i] = slot;
      buckets[i].clear();
    }
    return buckets[i];
  }

  public synchronized void asked(String session, double units, Instant now) {
    bucket(now).computeIfAbsent(session, k -> new double[2])[0] += units;
  }

  public synchronized void served(String session, double units, Instant now) {
    bucket(now).computeIfAbsent(session, k -> new double[2])[1] += units;
  }

  /** Jain's index over the window ending now (see {@link Fairness#jain}). */
  public synchronized double jain(Instant now) {
    long current = Math.floorDiv(nanos(now), bucketNanos);
    Map<String, Double> demand = new HashMap<>();
    Map<String, Double> service = new HashMap<>();
    for (int i = 0; i < buckets.length; i++) {
      if (bucketStart[i] == Long.MIN_VALUE || current - bucketStart[i] >= buckets.length) {
        continue;
      }
      for (var e : buckets[i].entrySet()) {
        demand.merge(e.getKey(), e.getValue()[0], Double::sum);
        service.merge(e.getKey(), e.getValue()[1], Double::sum);
      }
    }
    return Fairness.jain(demand, service);
  }
}
