package dev.roomtone.gpu.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * Discovery on this machine, for real: OpenCL through PoCL (CI installs it; its absence is a
 * failure here, not a skip), CUDA wherever the driver happens to be, the CPU always.
 */
class DeviceDiscoveryTest {

  final Discovery discovery = new DeviceDiscovery().discover();

  @Test
  void findsAnOpenClDeviceWithItsMemory() {
    BackendReport cl = discovery.report(Backend.OPENCL);
    System.out.println("OpenCL: " + cl);
    assertEquals(BackendReport.Status.FOUND, cl.status(),
        "no OpenCL device: install pocl-opencl-icd and ocl-icd-libopencl1 (.ci/run does) — " + cl.detail());
    ComputeDevice.OpenCl device = (ComputeDevice.OpenCl) cl.devices().get(0);
    assertTrue(device.memoryBytes() > 0, device.toString());
    assertTrue(device.computeUnits() > 0, device.toString());
    assertFalse(device.platform().isBlank());
    assertFalse(device.name().isBlank());
  }

  @Test
  void cudaIsReportedNeverThrownAndTheCpuIsAlwaysThere() {
    BackendReport cuda = discovery.report(Backend.CUDA);
    System.out.println("CUDA: " + cuda);
    // without a driver this is NOT_FOUND with the loader's reason; with one, FOUND
    assertNotEquals(BackendReport.Status.FAILED, cuda.status(), cuda.detail());
    assertFalse(cuda.detail().isBlank());
    if (cuda.status() == BackendReport.Status.NOT_FOUND) {
      assertTrue(cuda.detail().contains("libcuda"), cuda.detail());
    }
    BackendReport cpu = discovery.report(Backend.CPU);
    assertEquals(BackendReport.Status.FOUND, cpu.status());
    ComputeDevice.Cpu c = (ComputeDevice.Cpu) cpu.devices().get(0);
    assertTrue(c.cores() >= 1 && c.memoryBytes() > 0, c.toString());
    assertEquals(Backend.CPU, discovery.devices().get(discovery.devices().size() - 1).backend());
  }

  @Test
  void discoveryAsJsonNamesEveryBackendAndDevice() throws Exception {
    JsonNode json = new ObjectMapper().valueToTree(discovery);
    assertEquals(3, json.path("backends").size());
    assertEquals("CUDA", json.path("backends").get(0).path("backend").asText());
    JsonNode cl = json.path("backends").get(1);
    assertEquals("OPENCL", cl.path("devices").get(0).path("backend").asText());
    assertTrue(cl.path("devices").get(0).path("memoryBytes").asLong() > 0);
  }
}
