package dev.roomtone.multimodal.engine.tensor;

/** Started in a child JVM by {@link KernelsTest}: prints which kernels that JVM chose. */
public final class KernelsProbe {
  private KernelsProbe() {}

  public static void main(String[] args) {
    System.out.println("kernels=" + CpuKernels.best().name() + " (" + CpuKernels.reason() + ")");
  }
}
