package dev.roomtone.gpu.sim;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.roomtone.gpu.Cost;
import dev.roomtone.gpu.Dispatcher;
import dev.roomtone.gpu.JobEvent;
import dev.roomtone.gpu.JobExecutor;
import dev.roomtone.gpu.JobSpec;
import dev.roomtone.gpu.Policy;
import dev.roomtone.gpu.Scheduler;
import dev.roomtone.gpu.SchedulerMetrics;
import dev.roomtone.gpu.SchedulerSettings;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Scheduling overhead through the real actors: jobs that cost nothing on two devices, so the
 * time per job is what submitting, queueing, dispatching, running a worker round trip and
 * publishing events cost. Submissions stay within the default global queue limit.
 */
public final class ActorOverhead {

  private ActorOverhead() {
  }

  /** Result: jobs per second and microseconds per dispatch, over the measured jobs. */
  /**
   * Result over the measured jobs: wall-clock jobs per second and microseconds per dispatch, and
   * the process's CPU time per dispatch (the fairer figure on a machine shared with other work).
   */
  public record Result(Policy policy, int jobs, double seconds, double jobsPerSecond, double microsPerDispatch,
                       double cpuMicrosPerDispatch) {
  }

  private static final class ZeroCost implements JobExecutor {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    @Override
    public Run start(Dispatcher.Assignment assignment, Consumer<Cost> progress) {
      return new Run() {
        @Override
        public CompletionStage<Void> done() {
          return DONE;
        }

        @Override
        public void cancel() {
        }
      };
    }
  }

  public static Result measure(Policy policy, int warmupJobs, int jobs, long seed) throws InterruptedException {
    Config config = ConfigFactory.parseString("pekko.loglevel = WARNING\npekko.stdout-loglevel = WARNING\n"
        + "pekko.log-dead-letters = off\npekko.log-dead-letters-during-shutdown = off")
        .withFallback(ConfigFactory.load());
    SchedulerSettings settings = SchedulerSettings.defaults(policy).withLimits(4096, 4096);
    ActorSystem<Scheduler.Command> system = ActorSystem.create(Scheduler.create(settings, BenchWorkload.models(),
        BenchWorkload.pool().stream().map(Simulation.SimDevice::device).toList(), new ZeroCost(),
        SchedulerMetrics.NONE, Clock.systemUTC(), Scheduler.Options.DEFAULT), "overhead", config);
    try {
      int all = warmupJobs + jobs;
      Semaphore room = new Semaphore(4000);
      CountDownLatch warm = new CountDownLatch(warmupJobs);
      CountDownLatch done = new CountDownLatch(all);
      ActorRef<JobEvent> events = system.systemActorOf(counter(room, warm, done), "events",
          org.apache.pekko.actor.typed.Props.empty());
      ActorRef<Dispatcher.Submitted> replies = system.systemActorOf(Behaviors.<Dispatcher.Submitted>receive((c, m) -> {
        if (m instanceof Dispatcher.Submitted.Refused r) {
          throw new IllegalStateException("refused in the overhead bench: " + r.refusal());
        }
        return Behaviors.same();
      }), "replies", org.apache.pekko.actor.typed.Props.empty());
      var random = java.util.random.RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
      long start = 0;
      long cpuStart = 0;
      for (int i = 0; i < all; i++) {
        if (i == warmupJobs) {
          warm.await();
          start = System.nanoTime();
          cpuStart = cpuNanos();
        }
        room.acquire();
        String r = "room-" + random.nextInt(10);
        JobSpec job = BenchWorkload.randomJob(random, "job-" + i, r, r + "/m");
        system.tell(new Scheduler.Submit(job, events, replies));
      }
      if (!done.await(10, TimeUnit.MINUTES)) {
        throw new IllegalStateException("jobs did not finish: " + done.getCount() + " left");
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double cpuMicros = (cpuNanos() - cpuStart) / 1e3;
      return new Result(policy, jobs, seconds, jobs / seconds, seconds * 1e6 / jobs, cpuMicros / jobs);
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().join();
    }
  }

  private static long cpuNanos() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
  }

  private static Behavior<JobEvent> counter(Semaphore room, CountDownLatch warm, CountDownLatch done) {
    return Behaviors.receive((ctx, e) -> {
      if (e instanceof JobEvent.Started) {
        room.release();
      } else if (e instanceof JobEvent.Finished) {
        warm.countDown();
        done.countDown();
      } else if (e instanceof JobEvent.Failed || e instanceof JobEvent.Cancelled) {
        throw new IllegalStateException("unexpected in the overhead bench: " + e);
      }
      return Behaviors.same();
    });
  }
}
