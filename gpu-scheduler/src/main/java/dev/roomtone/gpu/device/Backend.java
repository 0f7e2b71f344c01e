package dev.roomtone.gpu.device;

/** A way of reaching compute devices. */
public enum Backend {
  CUDA,
  OPENCL,
  CPU
}
