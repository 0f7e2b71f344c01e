package dev.roomtone.server.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What Linux says about a process: CPU time from /proc/PID/stat, peak RSS from /proc/PID/status. */
final class ProcStats {

  /** Clock ticks per second of utime/stime; 100 on every Linux this runs on (USER_HZ). */
  private static final double TICKS_PER_SECOND = 100.0;

  private ProcStats() {
  }

  /** User + system CPU seconds the process has used so far. */
  static double cpuSeconds(long pid) {
    try {
      return ticks(Path.of("/proc/" + pid + "/stat")) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("cannot read the CPU time of process " + pid, e);
    }
  }

  /**
   * User + system CPU seconds of the process's threads whose name starts with one of
   * {@code prefixes} (Linux keeps 15 characters of a thread's name), e.g. the JVM's JIT compilers.
   */
  static double threadCpuSeconds(long pid, String... prefixes) {
    long ticks = 0;
    try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          String comm = Files.readString(task.resolve("comm")).strip();
          boolean wanted = false;
          for (String p : prefixes) {
            wanted |= comm.startsWith(p);
          }
          if (wanted) {
            ticks += ticks(task.resolve("stat"));
          }
        } catch (IOException e) {
          // the thread ended between the listing and the read
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("cannot read the threads of process " + pid, e);
    }
    return ticks / TICKS_PER_SECOND;
  }

  /** utime + stime in clock ticks from a process's or thread's stat file. */
  private static long ticks(Path stat) throws IOException {
    String line = Files.readString(stat);
    // the command name (field 2) may hold spaces and parentheses: count fields after the last ')'
    String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /** Resident set size now (VmRSS) in MiB. */
  static double rssMib(long pid) {
    return statusMib(pid, "VmRSS:");
  }

  /** Peak resident set size (VmHWM) in MiB. */
  static double peakRssMib(long pid) {
    return statusMib(pid, "VmHWM:");
  }

  private static double statusMib(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
      throw new IllegalStateException("no " + field + " for process " + pid);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the memory of process " + pid, e);
    }
  }

  /** The 1-minute load average. */
  static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
