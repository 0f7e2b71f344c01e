package dev.roomtone.gpu;

/** How the next job is chosen. */
public enum Policy {
  /** Hierarchical Virtual Token Counter: sessions by service received, then members. */
  VTC,
  /** First come, first served; kept for comparison. */
  FCFS
}
