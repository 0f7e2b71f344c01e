package dev.roomtone.gpu.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roomtone.gpu.Policy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The bench workload's outcomes, which are properties of the policies, not of the machine. */
class FloodBenchTest {

  static final long SEED = Long.getLong("roomtone.seed", System.nanoTime());

  @Test
  void vtcSharesFairlyWhereFcfsLetsTheFloodWin() {
    System.out.println("FloodBenchTest seed: " + SEED + " (replay with -Droomtone.seed=" + SEED + ")");
    Duration length = Duration.ofMinutes(5);
    BenchWorkload w = BenchWorkload.generate(SEED, length, 0.46);
    FloodBench.Outcome vtc = FloodBench.run(Policy.VTC, w, length);
    FloodBench.Outcome fcfs = FloodBench.run(Policy.FCFS, w, length);
    System.out.println(vtc);
    System.out.println(fcfs);
    assertEquals(w.arrivals().size(), vtc.jobs());
    assertTrue(vtc.jain() >= 0.99, "VTC Jain " + vtc.jain() + " (seed " + SEED + ")");
    assertTrue(fcfs.jain() < vtc.jain(), "FCFS Jain " + fcfs.jain());
    assertTrue(fcfs.lightWaitP99() >= 10 * vtc.lightWaitP99(),
        "light p99 VTC " + vtc.lightWaitP99() + " s, FCFS " + fcfs.lightWaitP99() + " s (seed " + SEED + ")");
    assertTrue(vtc.share().get(w.floodRoom()) < fcfs.share().get(w.floodRoom()));
  }

  @Test
  void theActorOverheadRunFinishesEveryJob() throws Exception {
    ActorOverhead.Result r = ActorOverhead.measure(Policy.VTC, 200, 2000, SEED);
    assertEquals(2000, r.jobs());
    assertTrue(r.microsPerDispatch() > 0);
  }
}
