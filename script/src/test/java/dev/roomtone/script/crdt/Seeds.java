package dev.roomtone.script.crdt;

/**
 * Seeds for randomised tests: fixed by default so failures reproduce, overridable with
 * {@code -Droomtone.seed=N} to explore; every test prints the seed it used.
 */
final class Seeds {

  private Seeds() {
  }

  static long base(String testName) {
    String configured = System.getProperty("roomtone.seed");
    long seed = configured != null ? Long.parseLong(configured) : 0x5EED_2026L;
    System.out.println(testName + ": seed=" + seed + " (rerun with -Droomtone.seed=" + seed + ")");
    return seed;
  }
}
