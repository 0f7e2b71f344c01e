package dev.roomtone.multimodal.engine.compute;

import java.util.ArrayList;
import java.util.List;

/**
 * The engine's own small device choice: the CPU always, plus every OpenCL device found. Stands in
 * until the scheduler's device list is wired in (it should hand the engine a device, and take the
 * model's memory estimate for admission).
 */
public final class Backends {
  private Backends() {}

  /** Names accepted by {@link #open}: "cpu", "opencl" (first device) or "opencl:N". */
  public static List<String> available() {
    List<String> names = new ArrayList<>(List.of("cpu"));
    List<OpenClBackend.Device> cl = OpenClBackend.devices();
    for (int i = 0; i < cl.size(); i++) {
      names.add("opencl:" + i);
    }
    return names;
  }

  public static Backend open(String name, int cpuThreads) {
    if (name.equals("cpu")) {
      return cpuThreads > 0 ? new CpuBackend(cpuThreads) : CpuBackend.withAllCores();
    }
    if (name.equals("opencl") || name.startsWith("opencl:")) {
      List<OpenClBackend.Device> cl = OpenClBackend.devices();
      int i = name.equals("opencl") ? 0 : Integer.parseInt(name.substring("opencl:".length()));
      if (i < 0 || i >= cl.size()) {
        throw new IllegalArgumentException("no OpenCL device " + name + " (found " + cl.size() + ")");
      }
      return new OpenClBackend(cl.get(i));
    }
    throw new IllegalArgumentException("unknown backend " + name + " (cpu, opencl, opencl:N)");
  }
}
