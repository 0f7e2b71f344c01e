package dev.roomtone.gpu.device;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Runs CUDA discovery in a JVM of its own and prints the report as JSON (LWJGL binds libcuda once per JVM). */
public final class CudaProbeMain {

  private CudaProbeMain() {
  }

  public static void main(String[] args) throws Exception {
    System.out.println(new ObjectMapper().writeValueAsString(new DeviceDiscovery().cuda()));
  }
}
