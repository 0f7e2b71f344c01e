package dev.roomtone.multimodal.engine.compute;

import static org.lwjgl.cuda.CU.*;
import static org.lwjgl.cuda.NVRTC.*;
import static org.lwjgl.system.MemoryStack.stackPush;
import static org.lwjgl.system.MemoryUtil.memAddress;

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
import java.util.stream.Stream;
import org.lwjgl.BufferUtils;
import org.lwjgl.PointerBuffer;
import org.lwjgl.cuda.CU;
import org.lwjgl.system.Configuration;
import org.lwjgl.system.MemoryStack;

/**
 * Matrix products on an NVIDIA GPU through LWJGL's CUDA driver API, with the kernels (matvec.cu,
 * the twin of matvec.cl) compiled at run time by NVRTC. NOT YET RUN: no GPU was available where it
 * was written, so {@link Backends} opens it only when asked for by name ("cuda", "cuda:N": the
 * llm bench and generate), never by default, until it has passed on a GPU machine.
 */
public final class CudaBackend implements Backend {
  /** A CUDA device. */
  public record Device(int ordinal, String name, long memoryBytes) {}

  private static boolean loaded;
  private final Device device;
  private final long context;
  private final long module;
  private final long function;
  private final Map<WeightMatrix, Long> weights = new IdentityHashMap<>();

  /** Loads libcuda and NVRTC once; false when either is missing. */
  public static synchronized boolean available() {
    if (loaded) {
      return true;
    }
    // CU loads its library in a static initialiser that cannot be retried: probe the files first
    Path cuda = Stream.of("/usr/lib/x86_64-linux-gnu/libcuda.so.1", "/usr/lib64/libcuda.so.1",
        "/usr/local/cuda/compat/libcuda.so.1").map(Path::of).filter(Files::exists).findFirst().orElse(null);
    Path nvrtc = nvrtc();
    if (cuda == null || nvrtc == null) {
      return false;
    }
    try {
      Configuration.CUDA_LIBRARY_NAME.set(cuda.toString());
      Configuration.CUDA_NVRTC_LIBRARY_NAME.set(nvrtc.toString());
      check(cuInit(0), "cuInit");
      loaded = CU.getLibrary() != null;
    } catch (Throwable e) {
      System.getLogger(CudaBackend.class.getName()).log(System.Logger.Level.WARNING,
          "CUDA cannot be loaded from " + cuda + " with NVRTC " + nvrtc, e);
      return false;
    }
    return loaded;
  }

  private static Path nvrtc() {
    List<Path> roots = new ArrayList<>();
    String env = System.getenv("CUDA_TOOLKIT_PATH");
    if (env != null) {
      roots.add(Path.of(env));
    }
    roots.add(Path.of("/usr/local/cuda"));
    try (Stream<Path> s = Files.list(Path.of("/usr/local"))) {
      s.filter(p -> p.getFileName().toString().startsWith("cuda-")).sorted().forEach(roots::add);
    } catch (IOException e) {
      // no /usr/local: nothing to add
    }
    for (Path root : roots) {
      Path lib = root.resolve("lib64");
      if (!Files.isDirectory(lib)) {
        continue;
      }
      try (Stream<Path> s = Files.list(lib)) {
        var found = s.filter(p -> p.getFileName().toString().startsWith("libnvrtc.so")).sorted().findFirst();
        if (found.isPresent()) {
          return found.get();
        }
      } catch (IOException e) {
        // unreadable: try the next root
      }
    }
    return null;
  }

  public static List<Device> devices() {
    List<Device> out = new ArrayList<>();
    if (!available()) {
      return out;
    }
    try (MemoryStack stack = stackPush()) {
      IntBuffer n = stack.mallocInt(1);
      check(cuDeviceGetCount(n), "cuDeviceGetCount");
      for (int i = 0; i < n.get(0); i++) {
        IntBuffer dev = stack.mallocInt(1);
        check(cuDeviceGet(dev, i), "cuDeviceGet");
        ByteBuffer name = stack.malloc(256);
        check(cuDeviceGetName(name, dev.get(0)), "cuDeviceGetName");
        PointerBuffer mem = stack.mallocPointer(1);
        check(cuDeviceTotalMem(mem, dev.get(0)), "cuDeviceTotalMem");
        out.add(new Device(i, StandardCharsets.UTF_8.decode(name).toString().replace("\0", "").trim(),
            mem.get(0)));
      }
    }
    return out;
  }

  public CudaBackend(Device device) {
    this.device = device;
    try (MemoryStack stack = stackPush()) {
      IntBuffer dev = stack.mallocInt(1);
      check(cuDeviceGet(dev, device.ordinal()), "cuDeviceGet");
      PointerBuffer ctx = stack.mallocPointer(1);
      check(cuCtxCreate(ctx, 0, dev.get(0)), "cuCtxCreate");
      context = ctx.get(0);
      ByteBuffer ptx = compile(source());
      PointerBuffer mod = stack.mallocPointer(1);
      check(cuModuleLoadData(mod, ptx), "cuModuleLoadData");
      module = mod.get(0);
      PointerBuffer fn = stack.mallocPointer(1);
      check(cuModuleGetFunction(fn, module, "matvec"), "cuModuleGetFunction");
      function = fn.get(0);
    }
  }

  private static String source() {
    try (InputStream in = CudaBackend.class.getResourceAsStream("matvec.cu")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ByteBuffer compile(String src) {
    try (MemoryStack stack = stackPush()) {
      PointerBuffer prog = stack.mallocPointer(1);
      checkNvrtc(nvrtcCreateProgram(prog, src, "matvec.cu", null, null), "nvrtcCreateProgram");
      long p = prog.get(0);
      try {
        int rc = nvrtcCompileProgram(p, null);
        if (rc != NVRTC_SUCCESS) {
          PointerBuffer size = stack.mallocPointer(1);
          nvrtcGetProgramLogSize(p, size);
          ByteBuffer log = BufferUtils.createByteBuffer((int) size.get(0));
          nvrtcGetProgramLog(p, log);
          throw new IllegalStateException("CUDA kernels do not compile: "
              + StandardCharsets.UTF_8.decode(log).toString().trim());
        }
        PointerBuffer size = stack.mallocPointer(1);
        checkNvrtc(nvrtcGetPTXSize(p, size), "nvrtcGetPTXSize");
        ByteBuffer ptx = BufferUtils.createByteBuffer((int) size.get(0));
        checkNvrtc(nvrtcGetPTX(p, ptx), "nvrtcGetPTX");
        return ptx;
      } finally {
        nvrtcDestroyProgram(prog);
      }
    }
  }

  @Override
  public String name() {
    return "cuda:" + device.name();
  }

  private long weightBuffer(WeightMatrix w) {
    return weights.computeIfAbsent(w, m -> {
      try (MemoryStack stack = stackPush()) {
        PointerBuffer ptr = stack.mallocPointer(1);
        check(cuMemAlloc(ptr, m.bytes()), "cuMemAlloc for " + m.name());
        ByteBuffer data = m.data().duplicate().position(0).limit((int) m.bytes());
        check(cuMemcpyHtoD(ptr.get(0), data), "cuMemcpyHtoD for " + m.name());
        return ptr.get(0);
      }
    });
  }

  @Override
  public synchronized void matmul(WeightMatrix w, float[][] x, float[][] out, int batch) {
    check(cuCtxSetCurrent(context), "cuCtxSetCurrent");
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
      PointerBuffer xp = stack.mallocPointer(1);
      PointerBuffer op = stack.mallocPointer(1);
      check(cuMemAlloc(xp, (long) batch * cols * Float.BYTES), "cuMemAlloc x");
      check(cuMemAlloc(op, (long) batch * rows * Float.BYTES), "cuMemAlloc out");
      try {
        check(cuMemcpyHtoD(xp.get(0), xs), "cuMemcpyHtoD x");
        PointerBuffer params = stack.mallocPointer(7);
        params.put(0, memAddress(stack.longs(wb)));
        params.put(1, memAddress(stack.longs(xp.get(0))));
        params.put(2, memAddress(stack.longs(op.get(0))));
        params.put(3, memAddress(stack.ints(rows)));
        params.put(4, memAddress(stack.ints(cols)));
        params.put(5, memAddress(stack.ints(w.rowBytes())));
        params.put(6, memAddress(stack.ints(w.type().code)));
        int threads = 128;
        check(cuLaunchKernel(function, (rows + threads - 1) / threads, batch, 1, threads, 1, 1, 0, 0,
            params, null), "cuLaunchKernel");
        check(cuCtxSynchronize(), "cuCtxSynchronize");
        check(cuMemcpyDtoH(result, op.get(0)), "cuMemcpyDtoH");
      } finally {
        cuMemFree(xp.get(0));
        cuMemFree(op.get(0));
      }
    }
    for (int b = 0; b < batch; b++) {
      result.position(b * rows);
      result.get(out[b], 0, rows);
    }
  }

  @Override
  public synchronized void close() {
    cuCtxSetCurrent(context);
    for (long buf : weights.values()) {
      cuMemFree(buf);
    }
    weights.clear();
    cuModuleUnload(module);
    cuCtxDestroy(context);
  }

  private static void check(int code, String what) {
    if (code != CUDA_SUCCESS) {
      throw new IllegalStateException(what + " failed with CUDA error " + code);
    }
  }

  private static void checkNvrtc(int code, String what) {
    if (code != NVRTC_SUCCESS) {
      throw new IllegalStateException(what + " failed with NVRTC error " + code);
    }
  }
}
