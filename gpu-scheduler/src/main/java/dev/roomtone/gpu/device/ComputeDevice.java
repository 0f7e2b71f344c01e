package dev.roomtone.gpu.device;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A device discovery found, with what its backend can tell about it. */
public sealed interface ComputeDevice {

  @JsonProperty("backend")
  Backend backend();

  String name();

  /** Memory the device has in total, in bytes. */
  long memoryBytes();

  /**
   * A CUDA device as the driver API reports it. Free memory is read inside the device's primary
   * context; it is null (and {@code note} says why) when that context could not be opened.
   */
  record Cuda(int ordinal, String name, long memoryBytes, Long freeMemoryBytes, int computeCapabilityMajor,
              int computeCapabilityMinor, String pciBusId, String note) implements ComputeDevice {
    @Override
    public Backend backend() {
      return Backend.CUDA;
    }

    @JsonProperty("computeCapability")
    public String computeCapability() {
      return computeCapabilityMajor + "." + computeCapabilityMinor;
    }
  }

  /** An OpenCL device of a platform. */
  record OpenCl(String platform, String platformVersion, String name, String type, String version,
                long memoryBytes, int computeUnits) implements ComputeDevice {
    @Override
    public Backend backend() {
      return Backend.OPENCL;
    }
  }

  /** The machine's processor, always present. */
  record Cpu(String name, int cores, long memoryBytes) implements ComputeDevice {
    @Override
    public Backend backend() {
      return Backend.CPU;
    }
  }
}
