package dev.roomtone.gpu;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Jain's fairness index of the service sessions received, each measured against its max-min
 * fair share of what was delivered given what it asked for: a session that asked for little
 * and got all of it counts as fully served, not as under-served.
 */
public final class Fairness {

  private Fairness() {
  }

  /** Max-min fair shares (water-filling) of {@code total} among these demands. */
  public static Map<String, Double> maxMinShares(Map<String, Double> demand, double total) {
    List<Map.Entry<String, Double>> byDemand = new ArrayList<>(demand.entrySet());
    byDemand.sort(Comparator.comparingDouble(Map.Entry::getValue));
    Map<String, Double> shares = new HashMap<>();
    double left = total;
    int n = byDemand.size();
    for (int i = 0; i < byDemand.size(); i++) {
      double equal = left / (n - i);
      double give = Math.min(byDemand.get(i).getValue(), equal);
      shares.put(byDemand.get(i).getKey(), give);
      left -= give;
    }
    return shares;
  }

  /**
   * Jain's index (Σx)² / (n·Σx²) over x = service / fair share, for sessions that asked for
   * anything; 1.0 is perfectly fair, 1/n is one session taking everything.
   */
  public static double jain(Map<String, Double> demand, Map<String, Double> service) {
    double total = service.values().stream().mapToDouble(Double::doubleValue).sum();
    Map<String, Double> shares = maxMinShares(demand, total);
    double sum = 0;
    double squares = 0;
    int n = 0;
    for (var e : shares.entrySet()) {
      if (e.getValue() <= 0) {
        continue;
      }
      // not capped at 1: a session served beyond its fair share is unfairness too
      double x = service.getOrDefault(e.getKey(), 0.0) / e.getValue();
      sum += x;
      squares += x * x;
      n++;
    }
    return n == 0 || squares == 0 ? 1.0 : sum * sum / (n * squares);
  }
}
