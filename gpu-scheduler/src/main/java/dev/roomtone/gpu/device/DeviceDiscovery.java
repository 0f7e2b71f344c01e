package dev.roomtone.gpu.device;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.lwjgl.PointerBuffer;
import org.lwjgl.cuda.CU;
import org.lwjgl.opencl.CL10;
import org.lwjgl.system.Configuration;
import org.lwjgl.system.MemoryStack;

/**
 * Finds the machine's compute devices: CUDA through the driver API, OpenCL through the ICD
 * loader, both through LWJGL, and the CPU. A missing library, driver or device is a normal
 * answer ("not found", with the reason), never an exception.
 */
public final class DeviceDiscovery {

  // CUresult values discovery explains by name (cuda.h)
  private static final Map<Integer, String> CUDA_ERRORS = Map.ofEntries(
      Map.entry(1, "CUDA_ERROR_INVALID_VALUE"),
      Map.entry(2, "CUDA_ERROR_OUT_OF_MEMORY"),
      Map.entry(3, "CUDA_ERROR_NOT_INITIALIZED"),
      Map.entry(34, "CUDA_ERROR_STUB_LIBRARY"),
      Map.entry(35, "CUDA_ERROR_INSUFFICIENT_DRIVER"),
      Map.entry(46, "CUDA_ERROR_DEVICES_UNAVAILABLE"),
      Map.entry(100, "CUDA_ERROR_NO_DEVICE"),
      Map.entry(101, "CUDA_ERROR_INVALID_DEVICE"),
      Map.entry(201, "CUDA_ERROR_INVALID_CONTEXT"),
      Map.entry(304, "CUDA_ERROR_OPERATING_SYSTEM"),
      Map.entry(999, "CUDA_ERROR_UNKNOWN"));
  private static final int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75;
  private static final int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76;
  private static final int CL_PLATFORM_NOT_FOUND_KHR = -1001;

  /** Runs every backend's discovery; each reports on its own, so one failing hides nothing. */
  public Discovery discover() {
    return new Discovery(List.of(guard(Backend.CUDA, this::cuda), guard(Backend.OPENCL, this::openCl),
        guard(Backend.CPU, this::cpu)));
  }

  private interface Probe {
    BackendReport run() throws Exception;
  }

  private static BackendReport guard(Backend backend, Probe probe) {
    try {
      return probe.run();
    } catch (Throwable e) {
      return BackendReport.failed(backend, e.getClass().getSimpleName() + ": " + NativeProbe.firstLine(e));
    }
  }

  static String cudaError(int code) {
    return CUDA_ERRORS.getOrDefault(code, "CUresult " + code);
  }

  /** CUDA devices through the driver API (libcuda). */
  public BackendReport cuda() {
    NativeProbe.Result lib = NativeProbe.probe("org.lwjgl.cuda", Configuration.CUDA_LIBRARY_NAME,
        List.of("libcuda.so.1", "libcuda.so"));
    if (!lib.found()) {
      return BackendReport.notFound(Backend.CUDA, "no CUDA driver library: " + lib.failure());
    }
    return guard(Backend.CUDA, () -> cudaDevices(lib.library()));
  }

  private static BackendReport cudaDevices(String library) {
    try (MemoryStack stack = MemoryStack.stackPush()) {
      int rc = CU.cuInit(0);
      if (rc == 100) {
        return BackendReport.notFound(Backend.CUDA, "driver " + library + " loaded, but cuInit reports "
            + cudaError(rc) + ": no CUDA-capable device");
      }
      if (rc != 0) {
        return BackendReport.failed(Backend.CUDA, "cuInit failed with " + cudaError(rc) + " (driver " + library + ")");
      }
      IntBuffer count = stack.mallocInt(1);
      rc = CU.cuDeviceGetCount(count);
      if (rc != 0) {
        return BackendReport.failed(Backend.CUDA, "cuDeviceGetCount failed with " + cudaError(rc));
      }
      if (count.get(0) == 0) {
        return BackendReport.notFound(Backend.CUDA, "driver " + library + " reports no devices");
      }
      List<ComputeDevice> devices = new ArrayList<>();
      for (int i = 0; i < count.get(0); i++) {
        devices.add(cudaDevice(stack, i));
      }
      return new BackendReport(Backend.CUDA, BackendReport.Status.FOUND, "driver " + library, devices);
    }
  }

  private static ComputeDevice.Cuda cudaDevice(MemoryStack outer, int ordinal) {
    try (MemoryStack stack = outer.push()) {
      IntBuffer handle = stack.mallocInt(1);
      check(CU.cuDeviceGet(handle, ordinal), "cuDeviceGet");
      int dev = handle.get(0);
      ByteBuffer name = stack.calloc(256);
      check(CU.cuDeviceGetName(name, dev), "cuDeviceGetName");
      PointerBuffer total = stack.mallocPointer(1);
      check(CU.cuDeviceTotalMem(total, dev), "cuDeviceTotalMem");
      IntBuffer major = stack.mallocInt(1);
      IntBuffer minor = stack.mallocInt(1);
      check(CU.cuDeviceGetAttribute(major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, dev), "cuDeviceGetAttribute");
      check(CU.cuDeviceGetAttribute(minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, dev), "cuDeviceGetAttribute");
      ByteBuffer bus = stack.calloc(64);
      check(CU.cuDeviceGetPCIBusId(bus, dev), "cuDeviceGetPCIBusId");

      // free memory is only known to a context: borrow the primary one and give it back
      Long free = null;
      String note = null;
      PointerBuffer ctx = stack.mallocPointer(1);
      int rc = CU.cuDevicePrimaryCtxRetain(ctx, dev);
      if (rc != 0) {
        note = "free memory unknown: cuDevicePrimaryCtxRetain failed with " + cudaError(rc);
      } else {
        try {
          // pushed and popped, so whatever context this thread had before is current again after
          rc = CU.cuCtxPushCurrent(ctx.get(0));
          PointerBuffer freeBytes = stack.mallocPointer(1);
          PointerBuffer totalBytes = stack.mallocPointer(1);
          if (rc == 0) {
            rc = CU.cuMemGetInfo(freeBytes, totalBytes);
            CU.cuCtxPopCurrent(stack.mallocPointer(1));
          }
          if (rc == 0) {
            free = freeBytes.get(0);
          } else {
            note = "free memory unknown: " + cudaError(rc) + " in the primary context";
          }
        } finally {
          CU.cuDevicePrimaryCtxRelease(dev);
        }
      }
      return new ComputeDevice.Cuda(ordinal, cString(name), total.get(0), free, major.get(0), minor.get(0),
          cString(bus), note);
    }
  }

  private static void check(int rc, String call) {
    if (rc != 0) {
      throw new IllegalStateException(call + " failed with " + cudaError(rc));
    }
  }

  private static String cString(ByteBuffer b) {
    int end = 0;
    while (end < b.capacity() && b.get(end) != 0) {
      end++;
    }
    byte[] bytes = new byte[end];
    b.get(0, bytes);
    return new String(bytes, StandardCharsets.UTF_8).trim();
  }

  /** OpenCL platforms and their devices through the ICD loader (libOpenCL). */
  public BackendReport openCl() {
    NativeProbe.Result lib = NativeProbe.probe("org.lwjgl.opencl", Configuration.OPENCL_LIBRARY_NAME,
        List.of("libOpenCL.so.1", "libOpenCL.so"));
    if (!lib.found()) {
      return BackendReport.notFound(Backend.OPENCL, "no OpenCL ICD loader: " + lib.failure());
    }
    return guard(Backend.OPENCL, () -> openClDevices(lib.library()));
  }

  private static BackendReport openClDevices(String library) {
    try (MemoryStack stack = MemoryStack.stackPush()) {
      IntBuffer count = stack.mallocInt(1);
      int rc = CL10.clGetPlatformIDs(null, count);
      if (rc == CL_PLATFORM_NOT_FOUND_KHR || (rc == 0 && count.get(0) == 0)) {
        return BackendReport.notFound(Backend.OPENCL, "loader " + library
            + " found no OpenCL platform (no ICD installed under /etc/OpenCL/vendors)");
      }
      if (rc != 0) {
        return BackendReport.failed(Backend.OPENCL, "clGetPlatformIDs failed with " + rc);
      }
      PointerBuffer platforms = stack.mallocPointer(count.get(0));
      checkCl(CL10.clGetPlatformIDs(platforms, (IntBuffer) null), "clGetPlatformIDs");
      List<ComputeDevice> devices = new ArrayList<>();
      List<String> problems = new ArrayList<>();
      for (int p = 0; p < platforms.capacity(); p++) {
        long platform = platforms.get(p);
        String pname = platformInfo(stack, platform, CL10.CL_PLATFORM_NAME);
        String pversion = platformInfo(stack, platform, CL10.CL_PLATFORM_VERSION);
        IntBuffer n = stack.mallocInt(1);
        rc = CL10.clGetDeviceIDs(platform, CL10.CL_DEVICE_TYPE_ALL, null, n);
        if (rc != 0 || n.get(0) == 0) {
          problems.add(pname + ": no devices (" + rc + ")");
          continue;
        }
        PointerBuffer ids = stack.mallocPointer(n.get(0));
        checkCl(CL10.clGetDeviceIDs(platform, CL10.CL_DEVICE_TYPE_ALL, ids, (IntBuffer) null), "clGetDeviceIDs");
        for (int d = 0; d < ids.capacity(); d++) {
          long device = ids.get(d);
          long[] type = new long[1];
          checkCl(CL10.clGetDeviceInfo(device, CL10.CL_DEVICE_TYPE, type, null), "clGetDeviceInfo");
          long[] memory = new long[1];
          checkCl(CL10.clGetDeviceInfo(device, CL10.CL_DEVICE_GLOBAL_MEM_SIZE, memory, null), "clGetDeviceInfo");
          int[] units = new int[1];
          checkCl(CL10.clGetDeviceInfo(device, CL10.CL_DEVICE_MAX_COMPUTE_UNITS, units, null), "clGetDeviceInfo");
          devices.add(new ComputeDevice.OpenCl(pname, pversion, deviceInfo(stack, device, CL10.CL_DEVICE_NAME),
              typeName(type[0]), deviceInfo(stack, device, CL10.CL_DEVICE_VERSION), memory[0], units[0]));
        }
      }
      if (devices.isEmpty()) {
        return BackendReport.notFound(Backend.OPENCL, "platforms without devices: " + String.join("; ", problems));
      }
      return new BackendReport(Backend.OPENCL, BackendReport.Status.FOUND, "loader " + library
          + (problems.isEmpty() ? "" : "; " + String.join("; ", problems)), devices);
    }
  }

  private static String typeName(long type) {
    List<String> names = new ArrayList<>();
    if ((type & CL10.CL_DEVICE_TYPE_GPU) != 0) {
      names.add("GPU");
    }
    if ((type & CL10.CL_DEVICE_TYPE_CPU) != 0) {
      names.add("CPU");
    }
    if ((type & CL10.CL_DEVICE_TYPE_ACCELERATOR) != 0) {
      names.add("ACCELERATOR");
    }
    return names.isEmpty() ? "OTHER" : String.join("+", names);
  }

  private static String platformInfo(MemoryStack outer, long platform, int param) {
    try (MemoryStack stack = outer.push()) {
      PointerBuffer size = stack.mallocPointer(1);
      checkCl(CL10.clGetPlatformInfo(platform, param, (ByteBuffer) null, size), "clGetPlatformInfo");
      ByteBuffer value = stack.calloc((int) size.get(0) + 1);
      checkCl(CL10.clGetPlatformInfo(platform, param, value, null), "clGetPlatformInfo");
      return cString(value);
    }
  }

  private static String deviceInfo(MemoryStack outer, long device, int param) {
    try (MemoryStack stack = outer.push()) {
      PointerBuffer size = stack.mallocPointer(1);
      checkCl(CL10.clGetDeviceInfo(device, param, (ByteBuffer) null, size), "clGetDeviceInfo");
      ByteBuffer value = stack.calloc((int) size.get(0) + 1);
      checkCl(CL10.clGetDeviceInfo(device, param, value, null), "clGetDeviceInfo");
      return cString(value);
    }
  }

  private static void checkCl(int rc, String call) {
    if (rc != 0) {
      throw new IllegalStateException(call + " failed with OpenCL error " + rc);
    }
  }

  /** The CPU: always there. */
  public BackendReport cpu() {
    long memory = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getTotalMemorySize() : Runtime.getRuntime().maxMemory();
    return new BackendReport(Backend.CPU, BackendReport.Status.FOUND, "always available",
        List.of(new ComputeDevice.Cpu(cpuName(), Runtime.getRuntime().availableProcessors(), memory)));
  }

  private static String cpuName() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or /proc hidden: the architecture is still a name
    }
    return System.getProperty("os.arch");
  }
}
