package dev.roomtone.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FairnessTest {

  @Test
  void maxMinSharesGiveSmallDemandsAllTheyAskAndSplitTheRest() {
    Map<String, Double> shares = Fairness.maxMinShares(Map.of("a", 10.0, "b", 100.0, "c", 100.0), 90);
    assertEquals(10.0, shares.get("a"));
    assertEquals(40.0, shares.get("b"));
    assertEquals(40.0, shares.get("c"));
  }

  @Test
  void jainIsOneWhenEveryoneGetsTheirFairShareAndLowWhenOneTakesAll() {
    Map<String, Double> demand = Map.of("a", 10.0, "b", 100.0, "c", 100.0);
    assertEquals(1.0, Fairness.jain(demand, Map.of("a", 10.0, "b", 40.0, "c", 40.0)), 1e-9);
    // c took what b was due: x = (1, 0, 2) → 9 / (3 · 5) = 0.6
    assertEquals(0.6, Fairness.jain(demand, Map.of("a", 10.0, "b", 0.0, "c", 80.0)), 1e-9);
  }

  @Test
  void theWindowForgetsWhatIsOlderThanItsLength() {
    FairnessWindow w = new FairnessWindow(Duration.ofSeconds(60), 6);
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    w.asked("a", 100, t0);
    w.asked("b", 100, t0);
    w.served("a", 100, t0);
    assertEquals(0.5, w.jain(t0.plusSeconds(1)), 1e-9);
    w.asked("a", 100, t0.plusSeconds(120));
    w.asked("b", 100, t0.plusSeconds(120));
    w.served("a", 50, t0.plusSeconds(120));
    w.served("b", 50, t0.plusSeconds(120));
    assertEquals(1.0, w.jain(t0.plusSeconds(121)), 1e-9);
  }
}
