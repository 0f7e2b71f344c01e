package dev.roomtone.multimodal.engine.compute;

import static org.lwjgl.opencl.CL10.*;
import static org.lwjgl.system.MemoryStack.stackPush;

import dev.roomtone.multimodal.engine.tensor.WeightMatrix;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.lwjgl.BufferUtils;
import org.lwjgl.PointerBuffer;
import org.lwjgl.opencl.CL;
import org.lwjgl.system.Configuration;
import org.lwjgl.system.MemoryStack;

/**
 * Matrix products on an OpenCL device through LWJGL. Weights are copied to the device the first
 * time they are used and stay there; activations go over per product. Runs on PoCL in CI.
 */
public final class OpenClBackend implements Backend {
  /** An OpenCL device found on this machine. */
  public record Device(long platform, long id, String name, String platformName, long memoryBytes) {}

  private static boolean loaded;
  private final Device device;
  private final long context;
  private final long queue;
  private final long program;
  private final long kernel;
  private final Map<WeightMatrix, Long> weights = new IdentityHashMap<>();

  /** Loads the system's OpenCL library once; false when there is none. */
  public static synchronized boolean available() {
    if (loaded) {
      return true;
    }
    // CL loads its library in a static initialiser that cannot be retried: probe the file first
    String lib = null;
    for (String dir : List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/lib")) {
      for (String name : List.of("libOpenCL.so.1", "libOpenCL.so")) {
        if (Files.exists(Path.of(dir, name))) {
          lib = Path.of(dir, name).toString();
          break;
        }
      }
      if (lib != null) {
        break;
      }
    }
    if (lib == null) {
      return false;
    }
    try {
      Configuration.OPENCL_LIBRARY_NAME.set(lib);
      // CL's static initialiser loads the library named above
      loaded = CL.getFunctionProvider() != null;
    } catch (Throwable e) {
      System.getLogger(OpenClBackend.class.getName()).log(System.Logger.Level.WARNING,
          "OpenCL library " + lib + " cannot be loaded", e);
      return false;
    }
    return loaded;
  }

  /** Every OpenCL device of every platform (empty without an OpenCL library). */
  public static List<Device> devices() {
    List<Device> out = new ArrayList<>();
    if (!available()) {
      return out;
    }
    try (MemoryStack stack = stackPush()) {
      IntBuffer n = stack.mallocInt(1);
      if (clGetPlatformIDs(null, n) != CL_SUCCESS || n.get(0) == 0) {
        return out;
      }
      PointerBuffer platforms = stack.mallocPointer(n.get(0));
      check(clGetPlatformIDs(platforms, (IntBuffer) null), "clGetPlatformIDs");
      for (int p = 0; p < platforms.capacity(); p++) {
        long platform = platforms.get(p);
        if (clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, null, n) != CL_SUCCESS || n.get(0) == 0) {
          continue;
        }
        PointerBuffer ids = stack.mallocPointer(n.get(0));
        check(clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, ids, (IntBuffer) null), "clGetDeviceIDs");
        for (int d = 0; d < ids.capacity(); d++) {
          long id = ids.get(d);
          out.add(new Device(platform, id, deviceString(id, CL_DEVICE_NAME),
              platformString(platform, CL_PLATFORM_NAME), deviceLong(id, CL_DEVICE_GLOBAL_MEM_SIZE)));
        }
      }
    }
    return out;
  }

  public OpenClBackend(Device device) {
    this.device = device;
    try (MemoryStack stack = stackPush()) {
      IntBuffer err = stack.mallocInt(1);
      PointerBuffer props = stack.mallocPointer(3).put(CL_CONTEXT_PLATFORM).put(device.platform()).put(0).flip();
      context = clCreateContext(props, device.id(), null, 0, err);
      check(err.get(0), "clCreateContext");
      queue = clCreateCommandQueue(context, device.id(), 0, err);
      check(err.get(0), "clCreateCommandQueue");
      program = clCreateProgramWithSource(context, source(), err);
      check(err.get(0), "clCreateProgramWithSource");
      int built = clBuildProgram(program, device.id(), "", null, 0);
      if (built != CL_SUCCESS) {
        throw new IllegalStateException("OpenCL kernels do not build on " + device.name() + ": "
            + buildLog(program, device.id()));
      }
      kernel = clCreateKernel(program, "matvec", err);
      check(err.get(0), "clCreateKernel");
    }
  }

  private static String source() {
    try (InputStream in = OpenClBackend.class.getResourceAsStream("matvec.cl")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String name() {
    return "opencl:" + device.name();
  }

  private long weightBuffer(WeightMatrix w) {
    return weights.computeIfAbsent(w, m -> {
      try (MemoryStack stack = stackPush()) {
        IntBuffer err = stack.mallocInt(1);
        ByteBuffer data = m.data().duplicate().position(0).limit((int) m.bytes());
        long buf = clCreateBuffer(context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, data, err);
        check(err.get(0), "clCreateBuffer for " + m.name());
        return buf;
      }
    });
  }

  @Override
  public synchronized void matmul(WeightMatrix w, float[][] x, float[][] out, int batch) {
    long wb = weightBuffer(w);
    int rows = w.rows();
    int cols = w.cols();
    FloatBuffer xs = BufferUtils.createFloatBuffer(batch * cols);
    for (int b = 0; b < batch; b++) {
      xs.put(x[b], 0, cols);
    }
    xs.flip();
    FloatBuffer result = BufferUtils.createFloatBuffer(batch * rows);
    try (MemoryStack stack = stackPush()) {
      IntBuffer err = stack.mallocInt(1);
      long xb = clCreateBuffer(context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, xs, err);
      check(err.get(0), "clCreateBuffer x");
      long ob = clCreateBuffer(context, CL_MEM_WRITE_ONLY, (long) batch * rows * Float.BYTES, err);
      check(err.get(0), "clCreateBuffer out");
      try {
        clSetKernelArg1p(kernel, 0, wb);
        clSetKernelArg1p(kernel, 1, xb);
        clSetKernelArg1p(kernel, 2, ob);
        clSetKernelArg1i(kernel, 3, rows);
        clSetKernelArg1i(kernel, 4, cols);
        clSetKernelArg1i(kernel, 5, w.rowBytes());
        clSetKernelArg1i(kernel, 6, w.type().code);
        PointerBuffer global = stack.mallocPointer(2).put(rows).put(batch).flip();
        check(clEnqueueNDRangeKernel(queue, kernel, 2, null, global, null, null, null), "clEnqueueNDRangeKernel");
        check(clEnqueueReadBuffer(queue, ob, true, 0, result, null, null), "clEnqueueReadBuffer");
      } finally {
        clReleaseMemObject(xb);
        clReleaseMemObject(ob);
      }
    }
    for (int b = 0; b < batch; b++) {
      result.position(b * rows);
      result.get(out[b], 0, rows);
    }
  }

  @Override
  public synchronized void close() {
    for (long buf : weights.values()) {
      clReleaseMemObject(buf);
    }
    weights.clear();
    clReleaseKernel(kernel);
    clReleaseProgram(program);
    clReleaseCommandQueue(queue);
    clReleaseContext(context);
  }

  private static void check(int code, String what) {
    if (code != CL_SUCCESS) {
      throw new IllegalStateException(what + " failed with OpenCL error " + code);
    }
  }

  private static String buildLog(long program, long device) {
    try (MemoryStack stack = stackPush()) {
      PointerBuffer size = stack.mallocPointer(1);
      clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, (ByteBuffer) null, size);
      ByteBuffer log = BufferUtils.createByteBuffer((int) size.get(0));
      clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, log, null);
      return StandardCharsets.UTF_8.decode(log).toString().trim();
    }
  }

  private static String deviceString(long id, int param) {
    try (MemoryStack stack = stackPush()) {
      PointerBuffer size = stack.mallocPointer(1);
      clGetDeviceInfo(id, param, (ByteBuffer) null, size);
      ByteBuffer b = stack.malloc((int) size.get(0));
      clGetDeviceInfo(id, param, b, null);
      return StandardCharsets.UTF_8.decode(b).toString().replace("\0", "").trim();
    }
  }

  private static String platformString(long id, int param) {
    try (MemoryStack stack = stackPush()) {
      PointerBuffer size = stack.mallocPointer(1);
      clGetPlatformInfo(id, param, (ByteBuffer) null, size);
      ByteBuffer b = stack.malloc((int) size.get(0));
      clGetPlatformInfo(id, param, b, null);
      return StandardCharsets.UTF_8.decode(b).toString().replace("\0", "").trim();
    }
  }

  private static long deviceLong(long id, int param) {
    try (MemoryStack stack = stackPush()) {
      java.nio.LongBuffer v = stack.mallocLong(1);
      clGetDeviceInfo(id, param, v, null);
      return v.get(0);
    }
  }
}
