package dev.roomtone.gpu;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The scheduler actor: owns the {@link Dispatcher}, one supervised {@link DeviceWorker} per
 * device, and the subscribers of each job's lifecycle events.
 */
public final class Scheduler extends AbstractBehavior<Scheduler.Command> {

  public sealed interface Command {
  }

  /** Submits a job; the reply says accepted or refused (with the reason); events follow. */
  public record Submit(JobSpec job, ActorRef<JobEvent> events, ActorRef<Dispatcher.Submitted> replyTo)
      implements Command {
  }

  /** Cancels one job; the reply says whether it was still waiting or running. */
  public record Cancel(String jobId, CancelledBy by, ActorRef<Boolean> replyTo) implements Command {
  }

  /** Cancels every job of a room session (the room closed). */
  public record CancelSession(String session) implements Command {
  }

  /** Answers with counts, for tests and health pages. */
  public record GetStatus(ActorRef<Status> replyTo) implements Command {
  }

  public record Status(int queued, int running, long dispatches, List<String> devices) {
  }

  record WorkerProgress(String deviceId, String jobId, int attempt, Cost work) implements Command {
  }

  record WorkerFinished(String deviceId, String jobId, int attempt) implements Command {
  }

  record WorkerFailed(String deviceId, String jobId, int attempt, String reason) implements Command {
  }

  record WorkerLost(String deviceId, List<DeviceWorker.LostRun> runs, String reason) implements Command {
  }

  record WorkerLeft(String deviceId, String reason) implements Command {
  }

  private record WorkerGone(String deviceId) implements Command {
  }

  private enum Tick implements Command {
    DEADLINE,
    POSITIONS
  }

  /** How workers are supervised and how often queue positions are sent. */
  public record Options(int workerRestarts, Duration restartWindow, Duration positionInterval) {
    public static final Options DEFAULT = new Options(3, Duration.ofMinutes(1), Duration.ofMillis(250));
  }

  private final Dispatcher dispatcher;
  private final Clock clock;
  private final TimerScheduler<Command> timers;
  private final Options options;
  private final Map<String, ActorRef<DeviceWorker.Command>> workers = new HashMap<>();
  private final Map<String, ActorRef<JobEvent>> subscribers = new HashMap<>();
  private Instant deadlineTimer;
  private boolean positionsDirty;

  public static Behavior<Command> create(SchedulerSettings settings, ModelCatalog models, List<PoolDevice> devices,
                                         JobExecutor executor, SchedulerMetrics metrics, Clock clock, Options options) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new Scheduler(ctx, timers, settings, models, devices, executor, metrics, clock, options)));
  }

  private Scheduler(ActorContext<Command> ctx, TimerScheduler<Command> timers, SchedulerSettings settings,
                    ModelCatalog models, List<PoolDevice> devices, JobExecutor executor, SchedulerMetrics metrics,
                    Clock clock, Options options) {
    super(ctx);
    this.clock = clock;
    this.timers = timers;
    this.options = options;
    this.dispatcher = new Dispatcher(settings, models, devices, this::publish, metrics);
    for (PoolDevice d : devices) {
      ActorRef<DeviceWorker.Command> worker = ctx.spawn(Behaviors.supervise(DeviceWorker.create(d.id(), executor, ctx.getSelf()))
          .onFailure(DeviceFault.class, SupervisorStrategy.restart().withLimit(options.workerRestarts(), options.restartWindow())),
          "device-" + d.id().replaceAll("[^A-Za-z0-9_-]", "_"));
      ctx.watchWith(worker, new WorkerGone(d.id()));
      workers.put(d.id(), worker);
    }
    timers.startTimerWithFixedDelay(Tick.POSITIONS, options.positionInterval());
  }

  private void publish(JobSpec job, JobEvent event) {
    ActorRef<JobEvent> to = subscribers.get(job.id());
    if (to == null) {
      return;
    }
    to.tell(event);
    if (event instanceof JobEvent.Finished || event instanceof JobEvent.Failed || event instanceof JobEvent.Cancelled) {
      subscribers.remove(job.id());
    }
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Submit.class, this::submit)
        .onMessage(Cancel.class, this::cancel)
        .onMessage(CancelSession.class, this::cancelSession)
        .onMessage(GetStatus.class, this::status)
        .onMessage(WorkerProgress.class, m -> {
          dispatcher.progress(m.jobId(), m.attempt(), m.work(), clock.instant());
          return this;
        })
        .onMessage(WorkerFinished.class, m -> settle(() -> dispatcher.finished(m.jobId(), m.attempt(), clock.instant())))
        .onMessage(WorkerFailed.class, m -> settle(() -> dispatcher.failed(m.jobId(), m.attempt(), m.reason(), clock.instant())))
        .onMessage(WorkerLost.class, m -> settle(() -> {
          for (DeviceWorker.LostRun r : m.runs()) {
            dispatcher.lost(r.jobId(), r.attempt(), m.reason(), clock.instant());
          }
        }))
        .onMessage(WorkerLeft.class, m -> settle(() -> leave(m.deviceId(), m.reason())))
        .onMessage(WorkerGone.class, m -> settle(() -> leave(m.deviceId(), "its worker stopped")))
        .onMessageEquals(Tick.DEADLINE, () -> {
          deadlineTimer = null;
          return settle(() -> stopAll(dispatcher.expire(clock.instant())));
        })
        .onMessageEquals(Tick.POSITIONS, () -> {
          if (positionsDirty) {
            positionsDirty = false;
            dispatcher.publishPositions();
          }
          return this;
        })
        .build();
  }

  private void leave(String deviceId, String reason) {
    if (workers.remove(deviceId) != null) {
      getContext().getLog().warn("Device {} leaves the pool: its worker kept failing ({})", deviceId, reason);
      dispatcher.removeDevice(deviceId, reason, clock.instant());
    }
  }

  private Behavior<Command> submit(Submit s) {
    Dispatcher.Submitted answer = dispatcher.submit(s.job(), clock.instant());
    if (answer instanceof Dispatcher.Submitted.Accepted) {
      subscribers.put(s.job().id(), s.events());
    }
    s.replyTo().tell(answer);
    return settle(() -> { });
  }

  private Behavior<Command> cancel(Cancel c) {
    Dispatcher.StopOrder order = dispatcher.cancel(c.jobId(), c.by(), clock.instant());
    if (c.replyTo() != null) {
      c.replyTo().tell(order != null);
    }
    return settle(() -> stopAll(order == null ? List.of() : List.of(order)));
  }

  private Behavior<Command> cancelSession(CancelSession c) {
    return settle(() -> stopAll(dispatcher.cancelSession(c.session(), CancelledBy.ROOM, clock.instant())));
  }

  private Behavior<Command> status(GetStatus g) {
    g.replyTo().tell(new Status(dispatcher.queued(), dispatcher.running(), dispatcher.dispatches(),
        workers.keySet().stream().sorted().toList()));
    return this;
  }

  private void stopAll(List<Dispatcher.StopOrder> orders) {
    for (Dispatcher.StopOrder o : orders) {
      ActorRef<DeviceWorker.Command> w = o.deviceId() == null ? null : workers.get(o.deviceId());
      if (w != null) {
        w.tell(new DeviceWorker.Stop(o.jobId()));
      }
    }
  }

  // Applies a change, then starts what can start and re-arms the deadline timer.
  private Behavior<Command> settle(Runnable change) {
    change.run();
    Instant now = clock.instant();
    for (Dispatcher.Assignment a : dispatcher.dispatch(now)) {
      workers.get(a.deviceId()).tell(new DeviceWorker.Run(a));
    }
    positionsDirty = true;
    Instant next = dispatcher.nextDeadline();
    if (next != null && !next.equals(deadlineTimer)) {
      deadlineTimer = next;
      timers.startSingleTimer(Tick.DEADLINE, Duration.between(now, next).isNegative() ? Duration.ZERO : Duration.between(now, next));
    }
    return this;
  }
}
