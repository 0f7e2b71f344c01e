package dev.roomtone.multimodal.engine.tensor;

import java.lang.reflect.Method;

/**
 * Chooses the CPU kernels. The vector ones need the incubator module {@code jdk.incubator.vector}
 * in the boot layer ({@code --add-modules jdk.incubator.vector}); without it their class is never
 * loaded and the scalar loops run. {@code -Droomtone.engine.kernels=scalar} forces the scalar ones.
 */
public final class CpuKernels {
  /** The system property that can force the scalar kernels. */
  public static final String PROPERTY = "roomtone.engine.kernels";

  private CpuKernels() {}

  public static Kernels scalar() {
    return ScalarKernels.INSTANCE;
  }

  /** The fastest kernels this JVM can run. */
  public static Kernels best() {
    return Best.KERNELS;
  }

  /** Why {@link #best()} chose what it chose, for logs. */
  public static String reason() {
    return Best.reason;
  }

  private static final class Best {
    static String reason;
    static final Kernels KERNELS = choose();

    private static Kernels choose() {
      if ("scalar".equals(System.getProperty(PROPERTY))) {
        reason = "-D" + PROPERTY + "=scalar";
        return ScalarKernels.INSTANCE;
      }
      if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
        reason = "the JVM was started without --add-modules jdk.incubator.vector";
        return ScalarKernels.INSTANCE;
      }
      try {
        // reflectively, so that this class never links against the incubator module itself
        Method create = Class.forName("dev.roomtone.multimodal.engine.tensor.VectorKernels")
            .getDeclaredMethod("create");
        Kernels k = (Kernels) create.invoke(null);
        if (k == null) {
          reason = "the CPU's preferred float vector has neither 8 nor 16 lanes";
          return ScalarKernels.INSTANCE;
        }
        reason = "jdk.incubator.vector is present";
        return k;
      } catch (ReflectiveOperationException | LinkageError e) {
        reason = "the vector kernels failed to load: " + e;
        return ScalarKernels.INSTANCE;
      }
    }
  }
}
