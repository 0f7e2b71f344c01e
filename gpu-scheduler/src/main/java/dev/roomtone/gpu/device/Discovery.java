package dev.roomtone.gpu.device;

import java.util.List;

/** The result of device discovery: one report per backend. */
public record Discovery(List<BackendReport> backends) {

  public Discovery {
    backends = List.copyOf(backends);
  }

  /** Every device found, CUDA first, the CPU last. */
  public List<ComputeDevice> devices() {
    return backends.stream().flatMap(b -> b.devices().stream()).toList();
  }

  public BackendReport report(Backend backend) {
    return backends.stream().filter(b -> b.backend() == backend).findFirst().orElseThrow();
  }
}
