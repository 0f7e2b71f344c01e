package dev.roomtone.gpu;

import java.util.List;
import java.util.function.Predicate;

/** The waiting jobs, in the order a policy wants them run. */
sealed interface FairQueue permits VtcQueue, FcfsQueue {

  void add(QueuedJob job);

  /** Puts back a job that lost its run, ahead of its member's other jobs. */
  void requeue(QueuedJob job);

  boolean remove(QueuedJob job);

  /** The job the policy wants next, or null. */
  QueuedJob head();

  /** The first job in policy order that passes the test, or null. */
  QueuedJob find(Predicate<QueuedJob> test);

  /** Service delivered to a job of this session and member, in units. */
  void charge(String session, String member, double memberWeight, double units);

  int size();

  int size(String session);

  /** Every waiting job in the order it would run if estimates held; for queue positions. */
  List<QueuedJob> projectedOrder(CostWeights weights);

  static FairQueue of(SchedulerSettings settings) {
    return switch (settings.policy()) {
      case VTC -> new VtcQueue(settings::sessionWeight);
      case FCFS -> new FcfsQueue();
    };
  }
}
