package dev.roomtone.server.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** /proc as the bench reads it, checked against what this JVM knows of itself. */
class ProcStatsTest {

  private static final long PID = ProcessHandle.current().pid();

  @Test
  void aThreadsCpuTimeIsReadByItsName() throws Exception {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    CountDownLatch spent = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);
    long[] sink = new long[1];
    Thread busy = new Thread(() -> {
      // CPU time, not wall time: the same on a busy machine, only later
      while (mx.getCurrentThreadCpuTime() < 300_000_000L) {
        sink[0] += System.nanoTime() % 7;
      }
      spent.countDown();
      try {
        done.await(); // stay alive: an ended thread leaves /proc
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "procstats-probe");
    busy.start();
    try {
      assertTrue(spent.await(120, TimeUnit.SECONDS), "the probe thread never got its CPU time");
      double seconds = ProcStats.threadCpuSeconds(PID, "procstats-prob");
      // the kernel counts in 10 ms ticks and may split the time differently from the JVM by a tick or two
      assertTrue(seconds >= 0.25 && seconds <= 0.6, "the probe thread used " + seconds + " s by /proc");
      assertTrue(ProcStats.cpuSeconds(PID) >= seconds, "one thread cannot use more than its process");
      assertEquals(0.0, ProcStats.threadCpuSeconds(PID, "no such thread"));
    } finally {
      done.countDown();
      busy.join();
    }
    double rss = ProcStats.rssMib(PID);
    assertTrue(rss > 0);
    assertTrue(ProcStats.peakRssMib(PID) >= rss, "the high-water mark is at least any earlier reading");
  }
}
