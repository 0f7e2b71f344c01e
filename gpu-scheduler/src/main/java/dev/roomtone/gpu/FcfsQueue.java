package dev.roomtone.gpu;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;

/** First come, first served by submission order; a re-queued job keeps its place. */
final class FcfsQueue implements FairQueue {

  private final TreeSet<QueuedJob> jobs = new TreeSet<>(Comparator.comparingLong(j -> j.seq));
  private final Map<String, Integer> perSession = new HashMap<>();

  @Override
  public void add(QueuedJob job) {
    if (jobs.add(job)) {
      perSession.merge(job.spec.session(), 1, Integer::sum);
    }
  }

  @Override
  public void requeue(QueuedJob job) {
    add(job);
  }

  @Override
  public boolean remove(QueuedJob job) {
    if (!jobs.remove(job)) {
      return false;
    }
    perSession.computeIfPresent(job.spec.session(), (k, n) -> n == 1 ? null : n - 1);
    return true;
  }

  @Override
  public QueuedJob head() {
    return jobs.isEmpty() ? null : jobs.first();
  }

  @Override
  public QueuedJob find(Predicate<QueuedJob> test) {
    for (QueuedJob j : jobs) {
      if (test.test(j)) {
        return j;
      }
    }
    return null;
  }

  @Override
  public void charge(String session, String member, double memberWeight, double units) {
    // arrival order needs no accounting
  }

  @Override
  public int size() {
    return jobs.size();
  }

  @Override
  public int size(String session) {
    return perSession.getOrDefault(session, 0);
  }

  @Override
  public List<QueuedJob> projectedOrder(CostWeights weights) {
    return new ArrayList<>(jobs);
  }
}
