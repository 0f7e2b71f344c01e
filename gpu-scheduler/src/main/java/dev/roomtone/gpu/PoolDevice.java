package dev.roomtone.gpu;

/** A device as the scheduler sees it: its memory and how many jobs it runs at once. */
public record PoolDevice(String id, long memoryBytes, int slots) {
  public PoolDevice {
    if (memoryBytes <= 0 || slots <= 0) {
      throw new IllegalArgumentException("a device needs memory and at least one slot: " + id);
    }
  }
}
