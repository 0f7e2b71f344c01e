package dev.roomtone.server.bench;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roomtone.gpu.Policy;
import dev.roomtone.gpu.sim.ActorOverhead;
import dev.roomtone.gpu.sim.BenchWorkload;
import dev.roomtone.gpu.sim.FloodBench;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code roomtone bench scheduler}: one room floods two devices with ten times the requests of
 * each of nine others; the same seeded arrivals run under VTC and under FCFS (the anchor) in
 * simulated time, and the scheduling overhead is measured through the real actors.
 */
@Command(
    name = "scheduler",
    mixinStandardHelpOptions = true,
    description = {
        "The GPU scheduler's fairness and overhead: VTC against FCFS on the same workload.",
        "Run the fair scheduler on a seeded workload in simulated time: room-0 sends ten times the",
        "requests of each of nine other rooms (text and image jobs, two devices), under VTC and under",
        "FCFS. Then measure the dispatch overhead through the real actors with zero-cost jobs.",
        "Prints one JSON line per policy and one comparing them with the targets."
    })
public final class SchedulerBenchCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Option(names = "--seed", defaultValue = "20261202", description = "Seed of the workload (default: ${DEFAULT-VALUE}).")
  private long seed;

  @Option(names = "--minutes", defaultValue = "10", description = "Simulated minutes of arrivals (default: ${DEFAULT-VALUE}).")
  private int minutes;

  @Option(names = "--light-rate", defaultValue = "0.46",
      description = "Jobs per second of each light room; the flood sends ten times that (default: ${DEFAULT-VALUE}).")
  private double lightRate;

  @Option(names = "--overhead-jobs", defaultValue = "200000",
      description = "Zero-cost jobs through the actors per policy, after as many again / 4 for warm-up (default: ${DEFAULT-VALUE}).")
  private int overheadJobs;

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public Integer call() throws Exception {
    if (minutes < 1 || overheadJobs < 1 || !(lightRate > 0)) {
      throw new ParameterException(spec.commandLine(), "--minutes, --overhead-jobs and --light-rate must be positive");
    }
    // Pekko's INFO lines would go to stdout among the JSON lines
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.apache.pekko")).setLevel(Level.WARN);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter progress = spec.commandLine().getErr();
    Duration length = Duration.ofMinutes(minutes);
    BenchWorkload w = BenchWorkload.generate(seed, length, lightRate);
    progress.printf("Workload: %,d jobs over %d simulated minutes, seed %d%n", w.arrivals().size(), minutes, seed);
    progress.flush();
    Map<Policy, FloodBench.Outcome> outcomes = new EnumMap<>(Policy.class);
    Map<Policy, ActorOverhead.Result> overheads = new EnumMap<>(Policy.class);
    for (Policy p : Policy.values()) {
      outcomes.put(p, FloodBench.run(p, w, length));
      progress.printf("%s: simulated; measuring overhead through the actors (%,d jobs)...%n", p, overheadJobs);
      progress.flush();
      overheads.put(p, ActorOverhead.measure(p, Math.max(1, overheadJobs / 4), overheadJobs, seed));
      out.println(line(outcomes.get(p), overheads.get(p)));
      out.flush();
    }
    FloodBench.Outcome vtc = outcomes.get(Policy.VTC);
    FloodBench.Outcome fcfs = outcomes.get(Policy.FCFS);
    ObjectNode c = JSON.createObjectNode();
    c.put("bench", "scheduler");
    c.put("policy", "comparison");
    c.put("seed", seed);
    c.put("jain_vtc", vtc.jain());
    c.put("jain_fcfs", fcfs.jain());
    c.put("light_p99_wait_s_vtc", vtc.lightWaitP99());
    c.put("light_p99_wait_s_fcfs", fcfs.lightWaitP99());
    double ratio = vtc.lightWaitP99() == 0 ? Double.POSITIVE_INFINITY : fcfs.lightWaitP99() / vtc.lightWaitP99();
    c.put("light_p99_fcfs_over_vtc", Math.round(ratio * 10) / 10.0);
    double overhead = overheads.get(Policy.VTC).microsPerDispatch();
    c.put("overhead_us_per_dispatch_vtc", Math.round(overhead * 100) / 100.0);
    c.put("overhead_us_per_dispatch_fcfs", Math.round(overheads.get(Policy.FCFS).microsPerDispatch() * 100) / 100.0);
    c.put("target_jain_vtc_ge_0_99", vtc.jain() >= 0.99);
    c.put("target_light_p99_10x_lower", ratio >= 10);
    c.put("target_overhead_under_20us", overhead < 20);
    out.println(c);
    out.flush();
    return 0;
  }

  private static ObjectNode line(FloodBench.Outcome o, ActorOverhead.Result a) {
    ObjectNode n = JSON.createObjectNode();
    n.put("bench", "scheduler");
    n.put("policy", o.policy().name());
    n.put("jobs", o.jobs());
    n.put("rooms", o.share().size());
    n.put("devices", 2);
    ObjectNode share = n.putObject("share");
    o.share().forEach(share::put);
    n.put("jain", o.jain());
    n.put("light_wait_p50_s", o.lightWaitP50());
    n.put("light_wait_p99_s", o.lightWaitP99());
    n.put("flood_wait_p50_s", o.floodWaitP50());
    n.put("flood_wait_p99_s", o.floodWaitP99());
    n.put("simulated_s", o.simulatedSeconds());
    n.put("overhead_jobs", a.jobs());
    n.put("dispatches_per_s", Math.round(a.jobsPerSecond()));
    n.put("overhead_us_per_dispatch", Math.round(a.microsPerDispatch() * 100) / 100.0);
    n.put("overhead_cpu_us_per_dispatch", Math.round(a.cpuMicrosPerDispatch() * 100) / 100.0);
    return n;
  }
}
