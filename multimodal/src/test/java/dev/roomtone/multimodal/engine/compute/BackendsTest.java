package dev.roomtone.multimodal.engine.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BackendsTest {
  @Test
  void theDefaultChoiceIsTheCpuAndOpenClNeverTheUntestedCuda() {
    List<String> names = Backends.available();
    assertEquals("cpu", names.get(0));
    assertTrue(names.subList(1, names.size()).stream().allMatch(n -> n.matches("opencl:\\d+")), names.toString());
    try (Backend cpu = Backends.open("cpu", 1)) {
      assertEquals("cpu", cpu.name());
    }
  }

  @Test
  void unknownNamesAndMissingDevicesAreRefusedWithTheChoices() {
    var e = assertThrows(IllegalArgumentException.class, () -> Backends.open("tpu", 1));
    assertEquals("unknown backend tpu (cpu, opencl, opencl:N, cuda, cuda:N)", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Backends.open("opencl:99", 1));
    assertTrue(e.getMessage().startsWith("no OpenCL device opencl:99 (found "), e.getMessage());
    if (!CudaBackend.available()) {
      e = assertThrows(IllegalArgumentException.class, () -> Backends.open("cuda", 1));
      assertTrue(e.getMessage().startsWith("no CUDA here: it needs the driver's libcuda.so.1 and NVRTC"),
          e.getMessage());
    } else {
      e = assertThrows(IllegalArgumentException.class, () -> Backends.open("cuda:99", 1));
      assertTrue(e.getMessage().startsWith("no CUDA device cuda:99 (found "), e.getMessage());
    }
    assertFalse(Backends.available().contains("cuda"));
  }
}
