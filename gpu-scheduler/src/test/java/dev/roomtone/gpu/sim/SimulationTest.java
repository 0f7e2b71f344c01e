package dev.roomtone.gpu.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.roomtone.gpu.CancelledBy;
import dev.roomtone.gpu.Cost;
import dev.roomtone.gpu.Dispatcher;
import dev.roomtone.gpu.JobEvent;
import dev.roomtone.gpu.JobSpec;
import dev.roomtone.gpu.Policy;
import dev.roomtone.gpu.PoolDevice;
import dev.roomtone.gpu.SchedulerSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Scheduler invariants in simulated time, on seeded random workloads (replay: -Droomtone.seed=N). */
class SimulationTest {

  static final long GIB = BenchWorkload.GIB;
  static final long SEED = Long.getLong("roomtone.seed", System.nanoTime());

  static {
    System.out.println("SimulationTest seed: " + SEED + " (replay with -Droomtone.seed=" + SEED + ")");
  }

  static RandomGenerator random(long salt) {
    return RandomGeneratorFactory.of("L64X128MixRandom").create(SEED ^ salt);
  }

  static SchedulerSettings settings(Policy p) {
    return SchedulerSettings.defaults(p).withLimits(1_000_000, 1_000_000);
  }

  static Simulation simulation(Policy p) {
    return new Simulation(settings(p), BenchWorkload.models(), BenchWorkload.pool(), 4);
  }

  static Instant at(double seconds) {
    return Instant.EPOCH.plusNanos((long) (seconds * 1e9));
  }

  @ParameterizedTest
  @EnumSource(Policy.class)
  void noDeviceIdlesWhileAJobThatFitsWaits(Policy policy) {
    // the bench workload plus large jobs that need a whole device, so reservations happen
    BenchWorkload w = BenchWorkload.generate(SEED, Duration.ofSeconds(120), 0.4);
    List<Simulation.Input> inputs = new ArrayList<>(w.arrivals());
    RandomGenerator r = random(1);
    for (int i = 0; i < 20; i++) {
      inputs.add(new Simulation.Input.Arrival(at(r.nextDouble() * 120), JobSpec.of("big-" + i, "room-" + r.nextInt(10),
          "m", BenchWorkload.TEXT_MODEL, new Cost.Text(4000, 500), 20 * GIB)));
    }
    inputs.sort(java.util.Comparator.comparing(Simulation.Input::at));
    int[] checks = {0};
    Simulation.Result result = simulation(policy).run(inputs, (now, d) -> {
      String idle = d.idleDeviceWithFittingJob();
      if (idle != null) {
        fail("at " + now + ": " + idle + " (seed " + SEED + ")");
      }
      checks[0]++;
    });
    assertTrue(checks[0] > inputs.size(), "checked after every event");
    assertTrue(result.jobs().values().stream().allMatch(j -> j.outcome instanceof JobEvent.Finished),
        "every job finishes once arrivals stop");
  }

  /** Service difference between every two sessions over any interval both were backlogged throughout. */
  static final class BacklogGap implements Simulation.Observer {
    // per backlogged session: when it became backlogged (event count) and everyone's service then
    final Map<String, Long> since = new HashMap<>();
    final Map<String, Map<String, Double>> baseline = new HashMap<>();
    long events;
    double worst;

    @Override
    public void after(Instant now, Dispatcher d) {
      events++;
      Map<String, Double> service = d.service();
      List<String> backlogged = d.backloggedSessions();
      since.keySet().retainAll(backlogged);
      baseline.keySet().retainAll(backlogged);
      for (String s : backlogged) {
        if (since.putIfAbsent(s, events) == null) {
          baseline.put(s, service);
        }
      }
      for (String f : backlogged) {
        for (String g : backlogged) {
          if (f.compareTo(g) >= 0) {
            continue;
          }
          // the common interval starts when the later of the two became backlogged
          Map<String, Double> base = baseline.get(since.get(f) >= since.get(g) ? f : g);
          double wf = service.getOrDefault(f, 0.0) - base.getOrDefault(f, 0.0);
          double wg = service.getOrDefault(g, 0.0) - base.getOrDefault(g, 0.0);
          worst = Math.max(worst, Math.abs(wf - wg));
        }
      }
    }
  }

  static List<Simulation.Input> twoHeavyAndOneModest(RandomGenerator r) {
    // "flood" sends ten jobs for every one of "steady" and "modest", all far beyond capacity
    List<Simulation.Input> in = new ArrayList<>();
    int n = 0;
    for (int i = 0; i < 300; i++) {
      double t = i * 0.1;
      for (int k = 0; k < 10; k++) {
        in.add(new Simulation.Input.Arrival(at(t), BenchWorkload.randomJob(r, "f" + n++, "flood", "flood/" + k % 3)));
      }
      in.add(new Simulation.Input.Arrival(at(t), BenchWorkload.randomJob(r, "s" + n++, "steady", "steady/a")));
      in.add(new Simulation.Input.Arrival(at(t), BenchWorkload.randomJob(r, "m" + n++, "modest", "modest/a")));
    }
    return in;
  }

  @Test
  void backloggedSessionsStayWithinTheVtcBoundAndFcfsBreaksIt() {
    // S slots, U the largest charge one job can bring: the bound on the service difference of
    // two sessions backlogged over the same interval is 2·S·U
    int slots = BenchWorkload.pool().stream().mapToInt(d -> d.device().slots()).sum();
    List<Simulation.Input> inputs = twoHeavyAndOneModest(random(2));
    double u = inputs.stream().mapToDouble(i -> settings(Policy.VTC).costWeights()
        .units(((Simulation.Input.Arrival) i).job().estimate())).max().orElseThrow();
    double bound = 2 * slots * u;

    BacklogGap vtc = new BacklogGap();
    simulation(Policy.VTC).run(inputs, vtc);
    BacklogGap fcfs = new BacklogGap();
    simulation(Policy.FCFS).run(inputs, fcfs);
    System.out.printf("VTC bound 2·S·U = %.0f units; worst gap VTC %.0f, FCFS %.0f%n", bound, vtc.worst, fcfs.worst);
    assertTrue(vtc.worst <= bound, "VTC gap " + vtc.worst + " exceeds " + bound + " (seed " + SEED + ")");
    assertTrue(fcfs.worst > bound, "the check must be able to fail: FCFS gap " + fcfs.worst);
  }

  @Test
  void aLightRoomArrivingDuringAFloodGetsTheNextDispatch() {
    RandomGenerator r = random(3);
    List<Simulation.Input> inputs = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      inputs.add(new Simulation.Input.Arrival(at(0), BenchWorkload.randomJob(r, "f" + i, "flood", "flood/" + i % 4)));
    }
    double arrival = 30 + r.nextDouble() * 30;
    JobSpec light = BenchWorkload.randomJob(r, "light", "light-room", "light-room/a");
    inputs.add(new Simulation.Input.Arrival(at(arrival), light));
    Simulation.Result result = simulation(Policy.VTC).run(inputs, (now, d) -> { });
    Simulation.JobRecord rec = result.jobs().get("light");
    assertNotNull(rec.firstStarted);
    // nothing of the flood started between the light job's arrival and its start
    long floodStartsBetween = result.jobs().values().stream().filter(j -> j.job.session().equals("flood"))
        .filter(j -> j.firstStarted != null && j.firstStarted.isAfter(at(arrival)) && j.firstStarted.isBefore(rec.firstStarted))
        .count();
    assertEquals(0, floodStartsBetween, "seed " + SEED);
    // the same arrivals under FCFS: flood jobs do start in between (so the check can fail)
    Simulation.Result fcfs = simulation(Policy.FCFS).run(inputs, (now, d) -> { });
    Instant fcfsStart = fcfs.jobs().get("light").firstStarted;
    assertTrue(fcfs.jobs().values().stream().filter(j -> j.job.session().equals("flood"))
        .anyMatch(j -> j.firstStarted.isAfter(at(arrival)) && j.firstStarted.isBefore(fcfsStart)), "seed " + SEED);
    assertTrue(result.jobs().values().stream().filter(j -> j.job.session().equals("flood"))
        .anyMatch(j -> j.firstStarted.isAfter(rec.firstStarted)), "the flood was still waiting when the light job ran");
  }

  @Test
  void sessionWeightsScaleTheShareOfBackloggedSessions() {
    RandomGenerator r = random(7);
    List<Simulation.Input> inputs = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      inputs.add(new Simulation.Input.Arrival(at(0), BenchWorkload.randomJob(r, "h" + i, "heavy", "heavy/a")));
      inputs.add(new Simulation.Input.Arrival(at(0), BenchWorkload.randomJob(r, "n" + i, "normal", "normal/a")));
    }
    SchedulerSettings weighted = new SchedulerSettings(Policy.VTC, 1_000_000, 1_000_000,
        settings(Policy.VTC).costWeights(), Map.of("heavy", 2.0));
    java.util.concurrent.atomic.AtomicReference<Map<String, Double>> snapshot = new java.util.concurrent.atomic.AtomicReference<>();
    new Simulation(weighted, BenchWorkload.models(), BenchWorkload.pool(), 4).run(inputs, (now, d) -> {
      if (snapshot.get() == null && !now.isBefore(at(120))) {
        snapshot.set(d.service());
      }
    });
    double ratio = snapshot.get().get("heavy") / snapshot.get().get("normal");
    System.out.printf("weight 2 : 1 gives service %.3f : 1 while both are backlogged%n", ratio);
    assertTrue(ratio > 1.9 && ratio < 2.1, "ratio " + ratio + " (seed " + SEED + ")");
  }

  @ParameterizedTest
  @EnumSource(Policy.class)
  void noJobStarvesUnderRandomArrivalsAndBigJobsGetTheirTurn(Policy policy) {
    RandomGenerator r = random(4);
    List<Simulation.Input> inputs = new ArrayList<>();
    int n = 0;
    // 12 sessions with random bursts for 300 s at about 1.3× capacity, and a few jobs that need
    // most of the big device while small jobs keep coming
    for (double t = 0; t < 300; t += -Math.log(1 - r.nextDouble()) / 8) {
      String room = "room-" + r.nextInt(12);
      inputs.add(new Simulation.Input.Arrival(at(t), BenchWorkload.randomJob(r, "j" + n++, room, room + "/" + r.nextInt(3))));
    }
    List<String> big = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      big.add("big-" + i);
      inputs.add(new Simulation.Input.Arrival(at(20 + i * 60), JobSpec.of("big-" + i, "room-" + i, "x",
          BenchWorkload.TEXT_MODEL, new Cost.Text(3000, 300), 30 * GIB)));
    }
    inputs.sort(java.util.Comparator.comparing(Simulation.Input::at));
    Simulation.Result result = simulation(policy).run(inputs, (now, d) -> { });
    for (Simulation.JobRecord j : result.jobs().values()) {
      assertInstanceOf(JobEvent.Finished.class, j.outcome, j.job.id() + " (seed " + SEED + ")");
    }
    for (String b : big) {
      Instant started = result.jobs().get(b).firstStarted;
      assertTrue(started.isBefore(at(300)), b + " started only at " + started + ", after the stream of small jobs (seed " + SEED + ")");
    }
  }

  @Test
  void cancelledAndExpiredJobsNeverRunAgainAndFreeTheirDevice() {
    RandomGenerator r = random(5);
    List<Simulation.Input> inputs = new ArrayList<>();
    List<String> cancelled = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      double t = r.nextDouble() * 10;  // far more than the devices do in that time: a queue builds
      JobSpec j = BenchWorkload.randomJob(r, "j" + i, "room-" + r.nextInt(4), "m");
      if (i % 5 == 0) {
        j = j.withDeadline(at(t + r.nextDouble() * 20));
      }
      inputs.add(new Simulation.Input.Arrival(at(t), j));
      if (i % 7 == 0) {
        cancelled.add(j.id());
        inputs.add(new Simulation.Input.Cancel(at(t + r.nextDouble() * 10), j.id(), CancelledBy.REQUESTER));
      }
    }
    inputs.sort(java.util.Comparator.comparing(Simulation.Input::at));
    Map<String, Instant> endedAt = new HashMap<>();
    Simulation.Result result = simulation(Policy.VTC).run(inputs, (now, d) -> {
      assertNull(d.idleDeviceWithFittingJob());
    }, (job, e) -> {
      if (e instanceof JobEvent.Started && endedAt.containsKey(job.id())) {
        fail(job.id() + " started after it ended (seed " + SEED + ")");
      }
      if (e instanceof JobEvent.Cancelled || e instanceof JobEvent.Finished || e instanceof JobEvent.Failed) {
        if (endedAt.put(job.id(), Instant.EPOCH) != null) {
          fail(job.id() + " ended twice (seed " + SEED + ")");
        }
      }
    });
    int deadlineCancels = 0;
    for (Simulation.JobRecord j : result.jobs().values()) {
      assertNotNull(j.outcome, j.job.id() + " has no end");
      if (j.outcome instanceof JobEvent.Cancelled c && c.by() == CancelledBy.DEADLINE) {
        deadlineCancels++;
        assertEquals(j.job.deadline(), j.ended, j.job.id() + " is cancelled exactly at its deadline");
      }
      if (j.job.deadline() != null && j.outcome instanceof JobEvent.Finished) {
        assertTrue(!j.ended.isAfter(j.job.deadline()), j.job.id() + " finished after its deadline");
      }
    }
    assertTrue(deadlineCancels > 0, "the workload makes some deadlines pass (seed " + SEED + ")");
    assertTrue(cancelled.stream().anyMatch(id -> result.jobs().get(id).outcome instanceof JobEvent.Cancelled c
        && c.by() == CancelledBy.REQUESTER));
    assertEquals(0, result.dispatcher().running() + result.dispatcher().queued());
  }

  @Test
  void runsLostInACrashAreRequeuedOnceThenFailed() {
    RandomGenerator r = random(6);
    List<Simulation.Input> inputs = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      inputs.add(new Simulation.Input.Arrival(at(0), BenchWorkload.randomJob(r, "j" + i, "room-" + i % 3, "m")));
    }
    // the first crash loses the runs on gpu1; a second one, very soon after, loses their re-runs
    inputs.add(new Simulation.Input.Crash(at(0.5), "gpu1"));
    inputs.add(new Simulation.Input.Crash(at(0.6), "gpu1"));
    inputs.add(new Simulation.Input.Crash(at(0.6), "gpu0"));
    Simulation.Result result = simulation(Policy.VTC).run(inputs, (now, d) -> assertNull(d.idleDeviceWithFittingJob()));
    int twice = 0;
    for (Simulation.JobRecord j : result.jobs().values()) {
      assertTrue(j.starts <= 2, j.job.id() + " ran " + j.starts + " times");
      if (j.outcome instanceof JobEvent.Failed f) {
        assertEquals(2, j.starts);
        assertTrue(f.reason().contains("lost twice") && f.reason().contains("simulated crash"), f.reason());
        twice++;
      } else {
        assertInstanceOf(JobEvent.Finished.class, j.outcome);
      }
    }
    assertTrue(twice > 0, "some runs were lost twice");
    assertTrue(result.jobs().values().stream().anyMatch(j -> j.starts == 2 && j.outcome instanceof JobEvent.Finished),
        "some re-queued runs finished");
  }

  @Test
  void aDeviceLeavingThePoolFailsOnlyJobsNoOtherDeviceCanHold() {
    List<Simulation.Input> inputs = new ArrayList<>();
    inputs.add(new Simulation.Input.Arrival(at(0), JobSpec.of("huge", "a", "m", BenchWorkload.TEXT_MODEL,
        new Cost.Text(1000, 100), 36 * GIB)));
    inputs.add(new Simulation.Input.Arrival(at(0), JobSpec.of("wait", "a", "m", BenchWorkload.TEXT_MODEL,
        new Cost.Text(1000, 100), 36 * GIB)));
    inputs.add(new Simulation.Input.Arrival(at(0), JobSpec.of("small", "b", "m", BenchWorkload.TEXT_MODEL,
        new Cost.Text(1000, 100), GIB)));
    inputs.add(new Simulation.Input.Remove(at(0.1), "gpu1"));
    Simulation.Result result = simulation(Policy.VTC).run(inputs, (now, d) -> { });
    assertInstanceOf(JobEvent.Failed.class, result.jobs().get("huge").outcome);
    assertInstanceOf(JobEvent.Failed.class, result.jobs().get("wait").outcome);
    assertInstanceOf(JobEvent.Finished.class, result.jobs().get("small").outcome);
    assertEquals("gpu0", result.jobs().get("small").device);
  }
}
