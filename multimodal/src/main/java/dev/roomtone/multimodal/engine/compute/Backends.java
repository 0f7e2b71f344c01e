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

  /**
   * The backends to try by default: "cpu" and "opencl:N" for each OpenCL device. {@link #open}
   * also takes "opencl" (the first), and "cuda" / "cuda:N", which has not yet run on a GPU and is
   * therefore only used when asked for by name.
   */
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
    if (name.equals("cuda") || name.startsWith("cuda:")) {
      // asked for by name only (bench, generate): not in available() until it has run on a GPU
      if (!CudaBackend.available()) {
        throw new IllegalArgumentException("no CUDA here: it needs the driver's libcuda.so.1 and NVRTC"
            + " (libnvrtc.so under /usr/local/cuda*/lib64 or $CUDA_TOOLKIT_PATH)");
      }
      List<CudaBackend.Device> cuda = CudaBackend.devices();
      int i = name.equals("cuda") ? 0 : Integer.parseInt(name.substring("cuda:".length()));
      if (i < 0 || i >= cuda.size()) {
        throw new IllegalArgumentException("no CUDA device " + name + " (found " + cuda.size() + ")");
      }
      return new CudaBackend(cuda.get(i));
    }
    throw new IllegalArgumentException("unknown backend " + name + " (cpu, opencl, opencl:N, cuda, cuda:N)");
  }
}
