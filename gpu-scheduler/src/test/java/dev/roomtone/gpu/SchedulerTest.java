package dev.roomtone.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The scheduler through real actors, with an executor the test drives by hand. */
class SchedulerTest {

  static final long GIB = 1L << 30;
  static final ActorTestKit kit = ActorTestKit.create();
  static final ModelCatalog MODELS = new ModelCatalog(Map.of("m", 2 * GIB));

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  /** A run the test finishes, fails or watches being cancelled. */
  static final class Handle implements JobExecutor.Run {
    final Dispatcher.Assignment assignment;
    final Consumer<Cost> progress;
    final CompletableFuture<Void> done = new CompletableFuture<>();
    volatile boolean cancelled;

    Handle(Dispatcher.Assignment assignment, Consumer<Cost> progress) {
      this.assignment = assignment;
      this.progress = progress;
    }

    @Override
    public CompletionStage<Void> done() {
      return done;
    }

    @Override
    public void cancel() {
      cancelled = true;
    }
  }

  static final class HandExecutor implements JobExecutor {
    final LinkedBlockingQueue<Handle> started = new LinkedBlockingQueue<>();

    @Override
    public Run start(Dispatcher.Assignment assignment, Consumer<Cost> progress) {
      Handle h = new Handle(assignment, progress);
      started.add(h);
      return h;
    }

    Handle next() throws InterruptedException {
      Handle h = started.poll(10, TimeUnit.SECONDS);
      assertTrue(h != null, "no job started");
      return h;
    }
  }

  final HandExecutor executor = new HandExecutor();

  ActorRef<Scheduler.Command> scheduler(SchedulerSettings settings, Scheduler.Options options, PoolDevice... devices) {
    return kit.spawn(Scheduler.create(settings, MODELS, List.of(devices), executor, SchedulerMetrics.NONE,
        Clock.systemUTC(), options));
  }

  static JobSpec job(String id, String session) {
    return JobSpec.of(id, session, session + "/a", "m", new Cost.Text(100, 20), GIB);
  }

  Dispatcher.Submitted submit(ActorRef<Scheduler.Command> s, JobSpec job, TestProbe<JobEvent> events) {
    TestProbe<Dispatcher.Submitted> reply = kit.createTestProbe();
    s.tell(new Scheduler.Submit(job, events.getRef(), reply.getRef()));
    return reply.receiveMessage();
  }

  @Test
  void aJobIsQueuedStartedProgressesAndFinishes() throws Exception {
    var s = scheduler(SchedulerSettings.defaults(Policy.VTC), Scheduler.Options.DEFAULT, new PoolDevice("g", 8 * GIB, 1));
    TestProbe<JobEvent> first = kit.createTestProbe();
    TestProbe<JobEvent> second = kit.createTestProbe();
    assertInstanceOf(Dispatcher.Submitted.Accepted.class, submit(s, job("a", "s1"), first));
    assertEquals(new JobEvent.Started("a", "g"), first.receiveMessage());
    assertInstanceOf(Dispatcher.Submitted.Accepted.class, submit(s, job("b", "s2"), second));
    assertEquals(new JobEvent.Queued("b", 1), second.receiveMessage());
    Handle h = executor.next();
    h.progress.accept(new Cost.Text(0, 10));
    assertEquals(new JobEvent.Progress("a", new Cost.Text(0, 10)), first.receiveMessage());
    h.done.complete(null);
    assertEquals(new JobEvent.Finished("a"), first.receiveMessage());
    assertEquals(new JobEvent.Started("b", "g"), second.receiveMessage());
    executor.next().done.completeExceptionally(new IllegalArgumentException("the prompt is empty"));
    assertEquals(new JobEvent.Failed("b", "the prompt is empty"), second.receiveMessage());
  }

  @Test
  void refusalsReachTheSubmitterWithTheirReason() {
    var s = scheduler(SchedulerSettings.defaults(Policy.VTC).withLimits(1, 10), Scheduler.Options.DEFAULT,
        new PoolDevice("g", 8 * GIB, 1));
    TestProbe<JobEvent> events = kit.createTestProbe();
    var unknown = assertInstanceOf(Dispatcher.Submitted.Refused.class,
        submit(s, JobSpec.of("x", "s", "s/a", "nope", new Cost.Text(1, 1), 0), events));
    assertEquals(Refusal.Reason.UNKNOWN_MODEL, unknown.refusal().reason());
    var tooBig = assertInstanceOf(Dispatcher.Submitted.Refused.class,
        submit(s, JobSpec.of("y", "s", "s/a", "m", new Cost.Text(1, 1), 7 * GIB), events));
    assertEquals(Refusal.Reason.FITS_NO_DEVICE, tooBig.refusal().reason());
    submit(s, job("a", "s"), events);  // runs
    submit(s, job("b", "s"), events);  // waits
    var full = assertInstanceOf(Dispatcher.Submitted.Refused.class, submit(s, job("c", "s"), events));
    assertEquals(Refusal.Reason.SESSION_QUEUE_FULL, full.refusal().reason());
    assertTrue(full.refusal().message().contains("1 jobs waiting"), full.refusal().message());
  }

  @Test
  void aCrashedWorkerRestartsItsLostRunIsRequeuedOnceThenFailed() throws Exception {
    var s = scheduler(SchedulerSettings.defaults(Policy.VTC), new Scheduler.Options(5, Duration.ofMinutes(1), Duration.ofMillis(50)),
        new PoolDevice("g", 8 * GIB, 2));
    TestProbe<JobEvent> events = kit.createTestProbe();
    TestProbe<JobEvent> bystander = kit.createTestProbe();
    submit(s, job("a", "s"), events);
    submit(s, job("b", "t"), bystander);
    assertEquals(new JobEvent.Started("a", "g"), events.receiveMessage());
    Handle a1 = executor.next();
    Handle b1 = executor.next();
    if (!a1.assignment.job().id().equals("a")) {
      Handle t = a1;
      a1 = b1;
      b1 = t;
    }
    a1.done.completeExceptionally(new DeviceFault("context lost"));
    // both runs on the device were lost; each is started again
    assertEquals(new JobEvent.Started("a", "g"), events.receiveMessage());
    assertTrue(b1.cancelled, "the other run on the crashed worker is stopped");
    Handle a2 = executor.next();
    Handle b2 = executor.next();
    if (!a2.assignment.job().id().equals("a")) {
      Handle t = a2;
      a2 = b2;
      b2 = t;
    }
    assertEquals(2, a2.assignment.attempt());
    b1.done.complete(null);  // the lost run's late completion changes nothing
    a2.done.completeExceptionally(new DeviceFault("context lost again"));
    JobEvent failed = events.receiveMessage();
    var f = assertInstanceOf(JobEvent.Failed.class, failed);
    assertTrue(f.reason().contains("lost twice") && f.reason().contains("context lost again"), f.reason());
    // b was lost twice too (its second run shared the device)
    bystander.fishForMessage(Duration.ofSeconds(10), e -> e instanceof JobEvent.Failed
        ? org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.complete()
        : org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore());
  }

  @Test
  void aWorkerThatKeepsCrashingLeavesThePool() throws Exception {
    var s = scheduler(SchedulerSettings.defaults(Policy.VTC), new Scheduler.Options(0, Duration.ofMinutes(1), Duration.ofMillis(50)),
        new PoolDevice("g0", 8 * GIB, 1), new PoolDevice("g1", 8 * GIB, 1));
    TestProbe<JobEvent> events = kit.createTestProbe();
    submit(s, job("a", "s"), events);
    Handle first = executor.next();
    String crashed = first.assignment.deviceId();
    String other = crashed.equals("g0") ? "g1" : "g0";
    events.receiveMessage();
    first.done.completeExceptionally(new DeviceFault("driver reset"));
    assertEquals(new JobEvent.Started("a", other), events.receiveMessage(Duration.ofSeconds(10)));
    TestProbe<Scheduler.Status> status = kit.createTestProbe();
    s.tell(new Scheduler.GetStatus(status.getRef()));
    assertEquals(List.of(other), status.receiveMessage().devices());
    executor.next().done.complete(null);
    assertEquals(new JobEvent.Finished("a"), events.receiveMessage());
  }

  @Test
  void cancellationStopsTheRunAndDeadlinesCancelWaitingJobs() throws Exception {
    var s = scheduler(SchedulerSettings.defaults(Policy.VTC), Scheduler.Options.DEFAULT, new PoolDevice("g", 8 * GIB, 1));
    TestProbe<JobEvent> events = kit.createTestProbe();
    submit(s, job("a", "s"), events);
    events.receiveMessage();
    Handle h = executor.next();
    TestProbe<JobEvent> late = kit.createTestProbe();
    submit(s, job("b", "s").withDeadline(Instant.now().plusMillis(300)), late);
    assertEquals(new JobEvent.Queued("b", 1), late.receiveMessage());
    assertEquals(new JobEvent.Cancelled("b", CancelledBy.DEADLINE), late.receiveMessage(Duration.ofSeconds(10)));
    TestProbe<Boolean> reply = kit.createTestProbe();
    s.tell(new Scheduler.Cancel("a", CancelledBy.REQUESTER, reply.getRef()));
    assertTrue(reply.receiveMessage());
    assertEquals(new JobEvent.Cancelled("a", CancelledBy.REQUESTER), events.receiveMessage());
    reply.awaitAssert(() -> {
      assertTrue(h.cancelled);
      return null;
    });
    s.tell(new Scheduler.Cancel("a", CancelledBy.REQUESTER, reply.getRef()));
    assertEquals(false, reply.receiveMessage());
  }

  @Test
  void metricsAreExportedToTheRegistry() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    var metrics = new PrometheusSchedulerMetrics(registry, Clock.systemUTC(), Duration.ofMinutes(5));
    var s = kit.spawn(Scheduler.create(SchedulerSettings.defaults(Policy.VTC), MODELS,
        List.of(new PoolDevice("g", 8 * GIB, 1)), executor, metrics, Clock.systemUTC(), Scheduler.Options.DEFAULT));
    TestProbe<JobEvent> events = kit.createTestProbe();
    submit(s, job("a", "s"), events);
    submit(s, JobSpec.of("x", "s", "s/a", "nope", new Cost.Text(1, 1), 0), events);
    events.receiveMessage();
    executor.next().done.complete(null);
    events.receiveMessage();
    List<String> names = registry.scrape().stream().map(m -> m.getMetadata().getPrometheusName()).toList();
    for (String n : List.of("roomtone_scheduler_queue_length", "roomtone_scheduler_wait_seconds",
        "roomtone_scheduler_service_units", "roomtone_scheduler_device_busy_seconds", "roomtone_scheduler_refusals",
        "roomtone_scheduler_fairness_jain")) {
      assertTrue(names.contains(n), n + " missing from " + names);
    }
    MetricSnapshot jain = registry.scrape().stream()
        .filter(m -> m.getMetadata().getPrometheusName().equals("roomtone_scheduler_fairness_jain")).findFirst().orElseThrow();
    assertEquals(1, jain.getDataPoints().size());
  }
}
