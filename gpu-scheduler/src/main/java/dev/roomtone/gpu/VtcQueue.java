package dev.roomtone.gpu;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * Hierarchical Virtual Token Counter (Sheng et al., "Fairness in Serving Large Language Models",
 * OSDI 2024): every session counts the service it received divided by its weight; the backlogged
 * session with the lowest counter goes next, and inside it the member with the lowest counter.
 *
 * <p>A session (or member) that becomes backlogged is lifted to the lowest counter of those
 * already waiting, or to the counter of the last one that left when none waits: time spent idle
 * cannot be saved up and spent later as a burst.
 */
final class VtcQueue implements FairQueue {

  /** A counter with the order the VTC needs: lowest counter first, then least recently served. */
  private abstract static class Account {
    final String id;
    double counter;
    long lastServed = -1;

    Account(String id) {
      this.id = id;
    }
  }

  private static final Comparator<Account> ORDER = Comparator
      .<Account>comparingDouble(a -> a.counter)
      .thenComparingLong(a -> a.lastServed)
      .thenComparing(a -> a.id);

  private static final class Member extends Account {
    final ArrayDeque<QueuedJob> jobs = new ArrayDeque<>();

    Member(String id) {
      super(id);
    }
  }

  private static final class Session extends Account {
    final double weight;
    final Map<String, Member> members = new HashMap<>();
    final TreeSet<Member> backlogged = new TreeSet<>(ORDER);
    double lastLeft;
    int queued;

    Session(String id, double weight) {
      super(id);
      this.weight = weight;
    }
  }

  private final ToDoubleFunction<String> sessionWeight;
  private final Map<String, Session> sessions = new HashMap<>();
  private final TreeSet<Session> backlogged = new TreeSet<>(ORDER);
  private double lastLeft;
  private long serveSeq;
  private int size;

  VtcQueue(ToDoubleFunction<String> sessionWeight) {
    this.sessionWeight = sessionWeight;
  }

  @Override
  public void add(QueuedJob job) {
    enqueue(job, false);
  }

  @Override
  public void requeue(QueuedJob job) {
    enqueue(job, true);
  }

  private void enqueue(QueuedJob job, boolean front) {
    Session s = sessions.computeIfAbsent(job.spec.session(), id -> new Session(id, sessionWeight.applyAsDouble(id)));
    Member m = s.members.computeIfAbsent(job.spec.member(), Member::new);
    if (s.queued == 0) {
      s.counter = Math.max(s.counter, backlogged.isEmpty() ? lastLeft : backlogged.first().counter);
      backlogged.add(s);
    }
    if (m.jobs.isEmpty()) {
      m.counter = Math.max(m.counter, s.backlogged.isEmpty() ? s.lastLeft : s.backlogged.first().counter);
      s.backlogged.add(m);
    }
    if (front) {
      m.jobs.addFirst(job);
    } else {
      m.jobs.addLast(job);
    }
    s.queued++;
    size++;
  }

  @Override
  public boolean remove(QueuedJob job) {
    Session s = sessions.get(job.spec.session());
    Member m = s == null ? null : s.members.get(job.spec.member());
    if (m == null || !m.jobs.remove(job)) {
      return false;
    }
    size--;
    s.queued--;
    if (m.jobs.isEmpty()) {
      s.backlogged.remove(m);
      s.lastLeft = m.counter;
    }
    if (s.queued == 0) {
      backlogged.remove(s);
      lastLeft = s.counter;
    }
    return true;
  }

  /** Marks the job's session and member as just served, so that ties go to the others. */
  void served(QueuedJob job) {
    Session s = sessions.get(job.spec.session());
    Member m = s.members.get(job.spec.member());
    long seq = ++serveSeq;
    update(s, backlogged, () -> s.lastServed = seq);
    update(m, s.backlogged, () -> m.lastServed = seq);
  }

  private static <A extends Account> void update(A a, TreeSet<A> set, Runnable change) {
    boolean in = set.remove(a);
    change.run();
    if (in) {
      set.add(a);
    }
  }

  @Override
  public QueuedJob head() {
    if (backlogged.isEmpty()) {
      return null;
    }
    return backlogged.first().backlogged.first().jobs.peekFirst();
  }

  @Override
  public QueuedJob find(Predicate<QueuedJob> test) {
    for (Session s : backlogged) {
      for (Member m : s.backlogged) {
        for (QueuedJob j : m.jobs) {
          if (test.test(j)) {
            return j;
          }
        }
      }
    }
    return null;
  }

  @Override
  public void charge(String session, String member, double memberWeight, double units) {
    Session s = sessions.get(session);
    if (s == null || units <= 0) {
      return;
    }
    update(s, backlogged, () -> s.counter += units / s.weight);
    Member m = s.members.get(member);
    if (m != null) {
      update(m, s.backlogged, () -> m.counter += units / memberWeight);
    }
  }

  /** The session's counter (service received / weight, with lifts); for tests and metrics. */
  double counter(String session) {
    Session s = sessions.get(session);
    return s == null ? 0 : s.counter;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public int size(String session) {
    Session s = sessions.get(session);
    return s == null ? 0 : s.queued;
  }

  @Override
  public List<QueuedJob> projectedOrder(CostWeights weights) {
    // Replays the policy on copies of the counters, charging each job its estimate; members
    // within a session take turns by their own counters the same way.
    record Pending(double counter, long tie, Session s, List<Iterator<QueuedJob>> members,
                   PriorityQueue<double[]> memberOrder) {
    }
    List<QueuedJob> out = new ArrayList<>(size);
    PriorityQueue<Pending> order = new PriorityQueue<>(Comparator.comparingDouble(Pending::counter)
        .thenComparingLong(Pending::tie));
    long tie = 0;
    for (Session s : backlogged) {
      List<Iterator<QueuedJob>> its = new ArrayList<>();
      PriorityQueue<double[]> mo = new PriorityQueue<>(Comparator.<double[]>comparingDouble(a -> a[0])
          .thenComparingDouble(a -> a[1]));
      int i = 0;
      for (Member m : s.backlogged) {
        its.add(m.jobs.iterator());
        mo.add(new double[] {m.counter, i++});
      }
      order.add(new Pending(s.counter, tie++, s, its, mo));
    }
    while (!order.isEmpty()) {
      Pending p = order.poll();
      double[] m = p.memberOrder.poll();
      Iterator<QueuedJob> it = p.members.get((int) m[1]);
      QueuedJob j = it.next();
      out.add(j);
      double units = weights.units(j.spec.estimate());
      if (it.hasNext()) {
        p.memberOrder.add(new double[] {m[0] + units / j.spec.weight(), m[1]});
      }
      if (!p.memberOrder.isEmpty()) {
        order.add(new Pending(p.counter + units / p.s.weight, tie++, p.s, p.members, p.memberOrder));
      }
    }
    return out;
  }
}
