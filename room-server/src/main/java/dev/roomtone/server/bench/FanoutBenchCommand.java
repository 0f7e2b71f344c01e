package dev.roomtone.server.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code roomtone bench fanout}: R rooms × W writers typing through real yjs clients, against
 * Roomtone and against Hocuspocus in the same run; one JSON line per server and workload, then a
 * comparison per workload. See docs/fanout.md.
 */
@Command(
    name = "fanout",
    mixinStandardHelpOptions = true,
    description = {
        "Live fan-out: rooms of yjs writers typing, against Hocuspocus in the same run.",
        "Open R rooms x W writers (real yjs clients in Node) and type one character at a random position",
        "at RATE characters per second per writer (+-50%% jitter) for S seconds; measure the delay from each",
        "edit to every other writer's observation of it, check that nothing was lost and that every room",
        "converged, and read the server's CPU time and peak RSS from /proc.",
        "Without --rooms, runs the four standard workloads: 10x5@5, 50x5@5, 100x10@2, 10x5@50."
    })
public final class FanoutBenchCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Option(names = "--rooms", description = "Rooms (default: the four standard workloads).")
  private Integer rooms;

  @Option(names = "--writers", defaultValue = "5", description = "Writers per room (default: ${DEFAULT-VALUE}).")
  private int writers;

  @Option(names = "--rate", defaultValue = "5", description = "Characters per second per writer (default: ${DEFAULT-VALUE}).")
  private double rate;

  @Option(names = "--seconds", defaultValue = "20", description = "Typing time per run (default: ${DEFAULT-VALUE}).")
  private double seconds;

  @Option(names = "--server", defaultValue = "both",
      description = "roomtone, hocuspocus or both (default: ${DEFAULT-VALUE}).")
  private String server;

  @Option(names = "--workers", defaultValue = "2", description = "Node load processes (default: ${DEFAULT-VALUE}).")
  private int workers;

  @Option(names = "--seed", defaultValue = "20261202", description = "Seed of the typing (default: ${DEFAULT-VALUE}).")
  private long seed;

  @Option(names = "--drain-seconds", defaultValue = "30",
      description = "How long to wait for outstanding deliveries after typing (default: ${DEFAULT-VALUE}).")
  private int drainSeconds;

  @Option(names = "--warmup-seconds", defaultValue = "20",
      description = "Typing on other rooms (up to 10, at the workload's rate) before each measured run, the same for"
          + " both servers, so that the measure is of a running server, not of its start (default: ${DEFAULT-VALUE};"
          + " 0: none).")
  private double warmupSeconds;

  @Option(names = "--idle-seconds", defaultValue = "5",
      description = "How long to read the server's CPU time with its rooms open and no client connected, before"
          + " the clients connect (default: ${DEFAULT-VALUE}; 0: skip).")
  private double idleSeconds;

  @Option(names = "--server-heap", defaultValue = "1g", description = "Roomtone's -Xmx (default: ${DEFAULT-VALUE}).")
  private String heap;

  @Option(names = "--server-jvm-option", paramLabel = "OPTION",
      description = "Extra option for Roomtone's JVM, e.g. -XX:StartFlightRecording=filename=fanout.jfr (repeatable).")
  private List<String> jvmOptions = new ArrayList<>();

  @Option(names = "--node-dir", paramLabel = "DIR",
      description = "Directory with fanout-load.mjs (default: room-server/src/test/node of this checkout).")
  private Path nodeDir;

  static final List<FanoutLoad.Workload> STANDARD = List.of(
      new FanoutLoad.Workload(10, 5, 5, 20),
      new FanoutLoad.Workload(50, 5, 5, 20),
      new FanoutLoad.Workload(100, 10, 2, 20),
      new FanoutLoad.Workload(10, 5, 50, 20));

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter progress = spec.commandLine().getErr();
    List<FanoutLoad.Kind> kinds = switch (server) {
      case "both" -> List.of(FanoutLoad.Kind.ROOMTONE, FanoutLoad.Kind.HOCUSPOCUS);
      case "roomtone" -> List.of(FanoutLoad.Kind.ROOMTONE);
      case "hocuspocus" -> List.of(FanoutLoad.Kind.HOCUSPOCUS);
      default -> throw new ParameterException(spec.commandLine(), "--server must be roomtone, hocuspocus or both, not " + server);
    };
    if (writers < 2 || rate <= 0 || seconds <= 0 || workers < 1 || (rooms != null && rooms < 1)
        || warmupSeconds < 0 || idleSeconds < 0) {
      throw new ParameterException(spec.commandLine(), "need --rooms >= 1, --writers >= 2, --rate > 0,"
          + " --seconds > 0, --workers >= 1, --warmup-seconds >= 0 and --idle-seconds >= 0");
    }
    List<FanoutLoad.Workload> workloads = rooms == null
        ? STANDARD.stream().map(w -> new FanoutLoad.Workload(w.rooms(), w.writers(), w.rate(), seconds)).toList()
        : List.of(new FanoutLoad.Workload(rooms, writers, rate, seconds));
    FanoutLoad load = new FanoutLoad(FanoutLoad.locate(nodeDir), progress);
    load.ensureInstalled();
    boolean allGood = true;
    for (FanoutLoad.Workload w : workloads) {
      Map<FanoutLoad.Kind, ObjectNode> lines = new LinkedHashMap<>();
      for (FanoutLoad.Kind kind : kinds) {
        ObjectNode line = runOne(load, kind, w, progress);
        allGood &= line.path("deliveries_seen").asLong() == line.path("deliveries_expected").asLong()
            && line.path("converged").asBoolean();
        lines.put(kind, line);
        out.println(line);
        out.flush();
      }
      if (lines.size() == 2) {
        out.println(comparison(w, lines.get(FanoutLoad.Kind.ROOMTONE), lines.get(FanoutLoad.Kind.HOCUSPOCUS)));
        out.flush();
      }
    }
    return allGood ? 0 : 1;
  }

  private ObjectNode runOne(FanoutLoad load, FanoutLoad.Kind kind, FanoutLoad.Workload w, PrintWriter progress)
      throws Exception {
    double loadBefore = ProcStats.loadAverage();
    progress.printf("%s: %d rooms x %d writers at %s chars/s for %s s (load average %.2f)%n", kind.wire(), w.rooms(),
        w.writers(), fmt(w.rate()), fmt(w.seconds()), loadBefore);
    progress.flush();
    try (FanoutServer s = kind == FanoutLoad.Kind.ROOMTONE ? new FanoutServer.Roomtone(heap, jvmOptions, progress)
        : new FanoutServer.Hocuspocus(load.nodeDir(), progress)) {
      try {
        return measure(load, kind, w, s, progress, loadBefore);
      } catch (Exception e) {
        s.keepLog();
        throw e;
      }
    }
  }

  /** Warm-up, idle, connected, measured: the phases of one run on a fresh server (docs/fanout.md). */
  private ObjectNode measure(FanoutLoad load, FanoutLoad.Kind kind, FanoutLoad.Workload w, FanoutServer s,
                             PrintWriter progress, double loadBefore) throws Exception {
    if (warmupSeconds > 0) {
      FanoutLoad.Workload warm = new FanoutLoad.Workload(Math.min(w.rooms(), 10), w.writers(), w.rate(), warmupSeconds);
      FanoutLoad.Outcome o = load.run(kind, s.wsUrl(), s.rooms(warm.rooms(), warm.writers()), warm, workers, seed - 1,
          drainSeconds * 1000L, new FanoutLoad.Hooks() { });
      progress.printf("  warm-up: %d edits, %d/%d deliveries, p99 %.1f ms%n", o.editsSent(), o.deliveriesSeen(),
          o.deliveriesExpected(), o.latencyMs(0.99));
      progress.flush();
    }
    JvmAllocation jvm = kind == FanoutLoad.Kind.ROOMTONE ? new JvmAllocation(s.pid()) : null;
    try {
      // memory three times: before the measured rooms exist, with them open and nobody in them,
      // and with every writer connected and synced but not typing yet (heap after a full
      // collection for the JVM; resident memory for both)
      Memory base = Memory.of(s.pid(), jvm);
      List<FanoutLoad.Room> rs = s.rooms(w.rooms(), w.writers());
      Memory rooms = Memory.of(s.pid(), jvm);
      double idleCpu = -1;
      if (idleSeconds > 0) {
        double before = ProcStats.cpuSeconds(s.pid());
        Thread.sleep(Math.round(idleSeconds * 1000));
        idleCpu = (ProcStats.cpuSeconds(s.pid()) - before) / idleSeconds;
      }
      Memory[] connected = new Memory[1];
      double[] cpu = new double[2];
      double[] jit = new double[2];
      long[] allocated = new long[2];
      double rssIdle = ProcStats.peakRssMib(s.pid());
      FanoutLoad.Outcome o = load.run(kind, s.wsUrl(), rs, w, workers, seed, drainSeconds * 1000L, new FanoutLoad.Hooks() {
        @Override
        public void started() {
          connected[0] = Memory.of(s.pid(), jvm);
          cpu[0] = ProcStats.cpuSeconds(s.pid());
          jit[0] = ProcStats.threadCpuSeconds(s.pid(), JIT_THREADS);
          allocated[0] = jvm == null ? 0 : jvm.totalAllocatedBytes();
        }

        @Override
        public void drained() {
          cpu[1] = ProcStats.cpuSeconds(s.pid());
          jit[1] = ProcStats.threadCpuSeconds(s.pid(), JIT_THREADS);
          allocated[1] = jvm == null ? 0 : jvm.totalAllocatedBytes();
        }
      });
      ObjectNode line = line(kind, w, o, cpu[1] - cpu[0], ProcStats.peakRssMib(s.pid()), rssIdle, loadBefore);
      if (jvm != null) {
        // the JIT compilers' threads: still compiling the hot paths is part of the server's CPU
        // time, but a server that has run for days no longer does it
        line.put("server_jit_cpu_s", round(jit[1] - jit[0]));
        line.put("server_cpu_us_per_edit_less_jit", o.editsSent() == 0 ? 0
            : round((cpu[1] - cpu[0] - (jit[1] - jit[0])) * 1e6 / o.editsSent()));
      }
      if (jvm != null && o.editsSent() > 0) {
        // everything the server allocated while the clients typed, over the edits: includes the
        // broadcasts, awareness and the JDBC journal, not only the edit's own objects
        line.put("server_alloc_kib_per_edit", round((allocated[1] - allocated[0]) / 1024.0 / o.editsSent()));
      }
      line.put("server_idle_cpu_ms_per_s", idleCpu < 0 ? -1 : round(idleCpu * 1000));
      memory(line, w, base, rooms, connected[0]);
      return line;
    } finally {
      if (jvm != null) {
        jvm.close();
      }
    }
  }

  /** JVM threads that compile code (Linux keeps 15 characters of a thread's name). */
  private static final String[] JIT_THREADS = {"C1 CompilerThre", "C2 CompilerThre"};

  /** Resident memory, and for a JVM its heap in use after a full collection (-1 otherwise). */
  private record Memory(double rssMib, double heapMib) {
    static Memory of(long pid, JvmAllocation jvm) {
      double heap = jvm == null ? -1 : jvm.heapUsedAfterGcBytes() / (1024.0 * 1024);
      return new Memory(ProcStats.rssMib(pid), heap);
    }
  }

  private static void memory(ObjectNode line, FanoutLoad.Workload w, Memory base, Memory rooms, Memory connected) {
    line.put("server_rss_base_mib", round(base.rssMib()));
    line.put("server_rss_rooms_mib", round(rooms.rssMib()));
    line.put("server_rss_connected_mib", connected == null ? -1 : round(connected.rssMib()));
    int connections = w.rooms() * w.writers();
    line.put("server_rss_kib_per_idle_room", round((rooms.rssMib() - base.rssMib()) * 1024 / w.rooms()));
    if (connected != null) {
      line.put("server_rss_kib_per_connection", round((connected.rssMib() - rooms.rssMib()) * 1024 / connections));
    }
    if (base.heapMib() >= 0) {
      line.put("server_heap_base_mib", round(base.heapMib()));
      line.put("server_heap_kib_per_idle_room", round((rooms.heapMib() - base.heapMib()) * 1024 / w.rooms()));
      if (connected != null) {
        line.put("server_heap_kib_per_connection", round((connected.heapMib() - rooms.heapMib()) * 1024 / connections));
      }
    }
  }

  private ObjectNode line(FanoutLoad.Kind kind, FanoutLoad.Workload w, FanoutLoad.Outcome o, double serverCpu,
                          double peakRss, double rssBeforeClients, double loadBefore) {
    ObjectNode n = JSON.createObjectNode();
    n.put("bench", "fanout");
    n.put("server", kind.wire());
    n.put("rooms", w.rooms());
    n.put("writers", w.writers());
    n.put("rate", w.rate());
    n.put("seconds", w.seconds());
    n.put("warmup_seconds", warmupSeconds);
    n.put("workers", Math.min(workers, w.rooms()));
    n.put("seed", seed);
    n.put("connections", w.rooms() * w.writers());
    long target = Math.round(w.rooms() * w.writers() * w.rate() * w.seconds());
    n.put("edits_target", target);
    n.put("edits_sent", o.editsSent());
    n.put("deliveries_expected", o.deliveriesExpected());
    n.put("deliveries_seen", o.deliveriesSeen());
    n.put("converged", o.converged());
    n.put("latency_p50_ms", round(o.latencyMs(0.50)));
    n.put("latency_p99_ms", round(o.latencyMs(0.99)));
    n.put("latency_p999_ms", round(o.latencyMs(0.999)));
    n.put("latency_max_ms", round(o.latencyMs(1.0)));
    n.put("measured_s", round(o.measuredSeconds()));
    n.put("client_cpu_s", round(o.clientCpuSeconds()));
    n.put("server_cpu_s", round(serverCpu));
    n.put("server_cpu_us_per_edit", o.editsSent() == 0 ? 0 : round(serverCpu * 1e6 / o.editsSent()));
    n.put("server_cpu_us_per_delivery", o.deliveriesSeen() == 0 ? 0 : round(serverCpu * 1e6 / o.deliveriesSeen()));
    n.put("server_peak_rss_mib", round(peakRss));
    n.put("server_rss_before_clients_mib", round(rssBeforeClients));
    double clientCores = o.clientCpuSeconds() / o.measuredSeconds();
    double serverCores = serverCpu / o.measuredSeconds();
    int cores = Runtime.getRuntime().availableProcessors();
    n.put("client_cores", round(clientCores));
    n.put("server_cores", round(serverCores));
    // the clients took a whole core, client and server together saturated the machine, or the
    // clients could not type at the asked rate (their timers ran late: the machine was busy)
    n.put("client_bound", clientCores >= 1.0 || clientCores + serverCores >= 0.9 * cores || o.editsSent() < 0.9 * target);
    n.put("load_average_before", loadBefore);
    // other work on the machine: more runnable processes than cores when the run started
    n.put("machine_busy", loadBefore > cores);
    n.put("cores", cores);
    return n;
  }

  private static ObjectNode comparison(FanoutLoad.Workload w, ObjectNode ours, ObjectNode anchor) {
    ObjectNode n = JSON.createObjectNode();
    n.put("bench", "fanout");
    n.put("server", "comparison");
    n.put("rooms", w.rooms());
    n.put("writers", w.writers());
    n.put("rate", w.rate());
    double cpuRatio = ratio(ours.path("server_cpu_us_per_edit").asDouble(), anchor.path("server_cpu_us_per_edit").asDouble());
    double p99Ratio = ratio(ours.path("latency_p99_ms").asDouble(), anchor.path("latency_p99_ms").asDouble());
    n.put("cpu_per_edit_ratio", cpuRatio);
    n.put("p99_ratio", p99Ratio);
    n.put("roomtone_p99_ms", ours.path("latency_p99_ms").asDouble());
    n.put("hocuspocus_p99_ms", anchor.path("latency_p99_ms").asDouble());
    n.put("roomtone_cpu_us_per_edit", ours.path("server_cpu_us_per_edit").asDouble());
    n.put("hocuspocus_cpu_us_per_edit", anchor.path("server_cpu_us_per_edit").asDouble());
    n.put("cpu_target_met", cpuRatio <= 1.0 / 3);
    // the same without the JVM's JIT compiler threads, against all of Hocuspocus's CPU (V8's
    // compilers included): how the two would compare once Roomtone has compiled its hot paths
    n.put("cpu_per_edit_ratio_less_jit", ratio(ours.path("server_cpu_us_per_edit_less_jit").asDouble(),
        anchor.path("server_cpu_us_per_edit").asDouble()));
    n.put("p99_target_met", p99Ratio <= 1.0);
    n.put("both_complete", ours.path("deliveries_seen").asLong() == ours.path("deliveries_expected").asLong()
        && anchor.path("deliveries_seen").asLong() == anchor.path("deliveries_expected").asLong()
        && ours.path("converged").asBoolean() && anchor.path("converged").asBoolean());
    n.put("client_bound", ours.path("client_bound").asBoolean() || anchor.path("client_bound").asBoolean());
    return n;
  }

  private static double ratio(double a, double b) {
    return b == 0 ? 0 : Math.round(a / b * 1000) / 1000.0;
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
