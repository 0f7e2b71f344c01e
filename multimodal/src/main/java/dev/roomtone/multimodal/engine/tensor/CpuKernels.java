package dev.roomtone.multimodal.engine.tensor;

import java.lang.reflect.Method;

/**
 * Chooses the CPU kernels. The vector ones need Java 22 or newer and the incubator module
 * {@code jdk.incubator.vector} in the boot layer ({@code --add-modules jdk.incubator.vector});
 * without either their class is never loaded and the scalar loops run.
 * {@code -Droomtone.engine.kernels=scalar} forces the scalar ones, {@code =exact} the vector ones
 * with float activations in every product ({@link Kernels#eightBitActivations}).
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
    return Best.CHOICE.kernels();
  }

  /** The fastest kernels this JVM can run that take every product's activations in float. */
  public static Kernels exact() {
    return Best.EXACT.kernels();
  }

  /** Why {@link #best()} chose what it chose, for logs. */
  public static String reason() {
    String asked = System.getProperty(PROPERTY);
    // a misspelt setting is not an error worth refusing to start over, but it must not pass unseen
    return asked == null || asked.equals("scalar") || asked.equals("exact") ? Best.CHOICE.reason()
        : Best.CHOICE.reason() + "; -D" + PROPERTY + "=" + asked + " ignored (scalar or exact)";
  }

  private record Choice(Kernels kernels, String reason) {}

  private static final class Best {
    static final Choice CHOICE = choose("exact".equals(System.getProperty(PROPERTY)));
    static final Choice EXACT = choose(true);

    private static Choice choose(boolean exact) {
      if ("scalar".equals(System.getProperty(PROPERTY))) {
        return new Choice(ScalarKernels.INSTANCE, "-D" + PROPERTY + "=scalar");
      }
      if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
        return new Choice(ScalarKernels.INSTANCE,
            "the JVM was started without --add-modules jdk.incubator.vector");
      }
      if (Runtime.version().feature() < 22) {
        return new Choice(ScalarKernels.INSTANCE,
            "the vector kernels need Java 22 or newer, this is " + Runtime.version().feature());
      }
      try {
        // reflectively, so that this class never links against the incubator module itself
        Method create = Class.forName("dev.roomtone.multimodal.engine.tensor.VectorKernels")
            .getDeclaredMethod("create", boolean.class);
        Kernels k = (Kernels) create.invoke(null, exact);
        return k == null
            ? new Choice(ScalarKernels.INSTANCE,
                "the CPU's preferred float vector has neither 8 nor 16 lanes")
            : new Choice(k, "jdk.incubator.vector is present" + (exact ? " (exact)" : ""));
      } catch (ReflectiveOperationException | LinkageError e) {
        return new Choice(ScalarKernels.INSTANCE, "the vector kernels failed to load: " + e);
      }
    }
  }
}
