package dev.roomtone.gpu;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Runs the jobs the scheduler assigns to one device, as many at once as the device has slots,
 * and reports their progress and end. A device fault crashes the worker; before its state goes,
 * it tells the scheduler which runs were lost.
 */
public final class DeviceWorker extends AbstractBehavior<DeviceWorker.Command> {

  public sealed interface Command {
  }

  public record Run(Dispatcher.Assignment assignment) implements Command {
  }

  public record Stop(String jobId) implements Command {
  }

  private record Delivered(String jobId, int attempt, Cost work) implements Command {
  }

  private record Ended(String jobId, int attempt, Throwable failure) implements Command {
  }

  /** A run lost with a crashed worker. */
  public record LostRun(String jobId, int attempt) {
  }

  private record Active(int attempt, JobExecutor.Run run) {
  }

  private final String deviceId;
  private final JobExecutor executor;
  private final ActorRef<Scheduler.Command> scheduler;
  private final Map<String, Active> active = new HashMap<>();
  private String fault;

  public static Behavior<Command> create(String deviceId, JobExecutor executor, ActorRef<Scheduler.Command> scheduler) {
    return Behaviors.setup(ctx -> new DeviceWorker(ctx, deviceId, executor, scheduler));
  }

  private DeviceWorker(ActorContext<Command> ctx, String deviceId, JobExecutor executor,
                       ActorRef<Scheduler.Command> scheduler) {
    super(ctx);
    this.deviceId = deviceId;
    this.executor = executor;
    this.scheduler = scheduler;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Run.class, this::run)
        .onMessage(Stop.class, this::stop)
        .onMessage(Delivered.class, this::delivered)
        .onMessage(Ended.class, this::ended)
        .onSignal(PreRestart.class, s -> lose("device fault on " + deviceId + ": " + fault, false))
        // stopped for good (restarts used up): the device leaves the pool before its runs are re-queued
        .onSignal(PostStop.class, s -> lose(fault != null ? "device fault on " + deviceId + ": " + fault
            : "the worker of " + deviceId + " stopped", true))
        .build();
  }

  private Behavior<Command> run(Run r) {
    Dispatcher.Assignment a = r.assignment();
    String id = a.job().id();
    ActorRef<Command> self = getContext().getSelf();
    JobExecutor.Run run;
    try {
      run = executor.start(a, work -> self.tell(new Delivered(id, a.attempt(), work)));
    } catch (DeviceFault e) {
      active.put(id, new Active(a.attempt(), null));
      fault = describe(e);
      throw e;
    } catch (RuntimeException e) {
      scheduler.tell(new Scheduler.WorkerFailed(deviceId, id, a.attempt(), describe(e)));
      return this;
    }
    active.put(id, new Active(a.attempt(), run));
    run.done().whenComplete((ok, failure) -> self.tell(new Ended(id, a.attempt(), failure)));
    return this;
  }

  private Behavior<Command> stop(Stop s) {
    Active a = active.remove(s.jobId());
    if (a != null && a.run() != null) {
      a.run().cancel();
    }
    return this;
  }

  private Behavior<Command> delivered(Delivered d) {
    if (isActive(d.jobId(), d.attempt())) {
      scheduler.tell(new Scheduler.WorkerProgress(deviceId, d.jobId(), d.attempt(), d.work()));
    }
    return this;
  }

  private Behavior<Command> ended(Ended e) {
    if (!isActive(e.jobId(), e.attempt())) {
      return this; // stopped, or a run from before a restart
    }
    Throwable failure = e.failure() instanceof CompletionException c && c.getCause() != null ? c.getCause() : e.failure();
    if (failure instanceof DeviceFault f) {
      fault = describe(f);
      throw f; // supervision restarts the worker; PreRestart reports the lost runs
    }
    active.remove(e.jobId());
    if (failure == null) {
      scheduler.tell(new Scheduler.WorkerFinished(deviceId, e.jobId(), e.attempt()));
    } else {
      scheduler.tell(new Scheduler.WorkerFailed(deviceId, e.jobId(), e.attempt(), describe(failure)));
    }
    return this;
  }

  private boolean isActive(String jobId, int attempt) {
    Active a = active.get(jobId);
    return a != null && a.attempt() == attempt;
  }

  private Behavior<Command> lose(String reason, boolean leaving) {
    if (leaving) {
      scheduler.tell(new Scheduler.WorkerLeft(deviceId, reason));
    }
    if (!active.isEmpty()) {
      List<LostRun> lost = active.entrySet().stream().map(e -> new LostRun(e.getKey(), e.getValue().attempt())).toList();
      for (Active a : active.values()) {
        if (a.run() != null) {
          a.run().cancel();
        }
      }
      active.clear();
      scheduler.tell(new Scheduler.WorkerLost(deviceId, lost, reason));
    }
    return this;
  }

  private static String describe(Throwable t) {
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
