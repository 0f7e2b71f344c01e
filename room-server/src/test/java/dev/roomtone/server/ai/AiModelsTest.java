package dev.roomtone.server.ai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.roomtone.gpu.device.Backend;
import dev.roomtone.gpu.device.BackendReport;
import dev.roomtone.gpu.device.ComputeDevice;
import dev.roomtone.gpu.device.Discovery;
import dev.roomtone.multimodal.backend.EngineTextBackend;
import dev.roomtone.multimodal.engine.compute.OpenClBackend;
import dev.roomtone.multimodal.engine.gguf.GgmlType;
import dev.roomtone.multimodal.engine.model.SyntheticModel;
import dev.roomtone.server.ai.AiModels.EngineDevice;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AiModelsTest {
  private static final long GIB = 1L << 30;
  private static final List<OpenClBackend.Device> ENGINE_CL = List.of(
      new OpenClBackend.Device(1, 2, "cpu-haswell", "Portable Computing Language", 20 * GIB),
      new OpenClBackend.Device(3, 4, "Radeon Pro", "AMD Accelerated Parallel Processing", 16 * GIB));

  private static Discovery found(ComputeDevice... openCl) {
    return new Discovery(List.of(
        new BackendReport(Backend.CUDA, BackendReport.Status.NOT_FOUND, "no libcuda", List.of()),
        new BackendReport(Backend.OPENCL, BackendReport.Status.FOUND, "loader", List.of(openCl)),
        new BackendReport(Backend.CPU, BackendReport.Status.FOUND, "",
            List.of(new ComputeDevice.Cpu("test CPU", 2, 24 * GIB)))));
  }

  private static ComputeDevice.OpenCl cl(String name, String type, long memory) {
    return new ComputeDevice.OpenCl("platform", "OpenCL 3.0", name, type, "OpenCL 3.0", memory, 8);
  }

  @Test
  void autoTakesAnOpenClGpuAndOtherwiseTheCpu() {
    Discovery withGpu = found(cl("cpu-haswell", "CPU", 20 * GIB), cl("Radeon Pro", "GPU", 16 * GIB));
    assertEquals(new EngineDevice("opencl:1", 16 * GIB), EngineDevice.choose("auto", withGpu, ENGINE_CL));
    Discovery cpuOnly = found(cl("cpu-haswell", "CPU", 20 * GIB));
    assertEquals(new EngineDevice("cpu", 24 * GIB), EngineDevice.choose("auto", cpuOnly, ENGINE_CL.subList(0, 1)));
    assertEquals(new EngineDevice("cpu", 24 * GIB), EngineDevice.choose("cpu", withGpu, ENGINE_CL));
    assertEquals(new EngineDevice("opencl:0", 20 * GIB), EngineDevice.choose("opencl", withGpu, ENGINE_CL));
  }

  @Test
  void aDeviceThatIsNotThereIsRefusedWithTheChoices() {
    Discovery cpuOnly = found();
    var e = assertThrows(IllegalArgumentException.class,
        () -> EngineDevice.choose("opencl:2", cpuOnly, ENGINE_CL));
    assertEquals("roomtone.ai.engine-backend opencl:2: this machine has 2 OpenCL device(s), opencl:0 to opencl:1",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> EngineDevice.choose("gpu", cpuOnly, ENGINE_CL));
    assertEquals("roomtone.ai.engine-backend must be auto, cpu, opencl or opencl:N, not gpu", e.getMessage());
  }

  @Test
  void aModelTooBigForItsDeviceIsRefusedAtStartAndOneThatFitsIsAdmittedByTheDevicesMemory(@TempDir Path dir)
      throws Exception {
    Path model = SyntheticModel.write(dir.resolve("tiny.gguf"), SyntheticModel.Shape.TINY, GgmlType.Q8_0, 3);
    Config roomtone = ConfigFactory.parseMap(Map.of("roomtone.ai.engine-model", model.toString(),
        "roomtone.ai.engine-backend", "cpu", "roomtone.ai.engine-threads", 1))
        .withFallback(ConfigFactory.defaultReference()).resolve().getConfig("roomtone");
    Discovery tinyMachine = new Discovery(List.of(new BackendReport(Backend.CPU, BackendReport.Status.FOUND, "",
        List.of(new ComputeDevice.Cpu("test CPU", 2, 1024)))));
    var e = assertThrows(IllegalArgumentException.class, () -> AiModels.open(roomtone, dir, () -> tinyMachine));
    assertTrue(e.getMessage().startsWith("roomtone.ai.engine-model " + model + " cannot be used: it needs "), e.getMessage());
    assertTrue(e.getMessage().endsWith("but cpu has 0 MiB"), e.getMessage());

    List<ServerAssistant.TextModel> models = AiModels.open(roomtone, dir, () -> found());
    assertEquals(1, models.size());
    assertEquals("cpu", models.get(0).deviceId());
    assertEquals(24 * GIB, models.get(0).deviceMemoryBytes());
    assertTrue(models.get(0).memoryBytes() > 0 && models.get(0).memoryBytes() < 24 * GIB);
    ((EngineTextBackend) models.get(0).backend()).close();
  }
}
