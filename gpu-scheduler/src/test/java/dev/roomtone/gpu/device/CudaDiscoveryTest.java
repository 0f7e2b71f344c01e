package dev.roomtone.gpu.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real CUDA discovery code, through LWJGL, against a stand-in driver library: no GPU can
 * run here, so src/test/c/cuda_standin.c implements the driver-API calls discovery makes with
 * their documented semantics. gcc builds it; each case runs in a JVM of its own because LWJGL
 * binds libcuda once per JVM.
 */
class CudaDiscoveryTest {

  // implemented by cuda_standin.c; every other name LWJGL binds becomes a failing stub
  static final Set<String> IMPLEMENTED = Set.of("cuInit", "cuDeviceGetCount", "cuDeviceGet", "cuDeviceGetName",
      "cuDeviceTotalMem", "cuDeviceTotalMem_v2", "cuDeviceGetAttribute", "cuDeviceGetPCIBusId",
      "cuDevicePrimaryCtxRetain", "cuDevicePrimaryCtxRelease", "cuDevicePrimaryCtxRelease_v2", "cuCtxSetCurrent",
      "cuCtxPushCurrent", "cuCtxPushCurrent_v2", "cuCtxPopCurrent", "cuCtxPopCurrent_v2",
      "cuMemGetInfo", "cuMemGetInfo_v2");

  @TempDir
  static Path dir;
  static Path library;

  @BeforeAll
  static void buildStandIn() throws Exception {
    Set<String> names = new TreeSet<>();
    try (InputStream in = CudaDiscoveryTest.class.getResourceAsStream("/org/lwjgl/cuda/CU$Functions.class")) {
      Matcher m = Pattern.compile("cu[A-Z][A-Za-z0-9_]*").matcher(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
      while (m.find()) {
        names.add(m.group());
      }
    }
    Set<String> symbols = new TreeSet<>();
    for (String name : names) {
      symbols.addAll(List.of(name, name + "_v2", name + "_v3"));
    }
    symbols.removeAll(IMPLEMENTED);
    StringBuilder stubs = new StringBuilder("/* generated: every other symbol LWJGL binds answers CUDA_ERROR_UNKNOWN */\n");
    for (String symbol : symbols) {
      stubs.append("int ").append(symbol).append("(void) { return 999; }\n");
    }
    Path stubFile = dir.resolve("stubs.c");
    Files.writeString(stubFile, stubs);
    library = dir.resolve("libcuda.so.1");
    Process gcc = new ProcessBuilder("gcc", "-shared", "-fPIC", "-O1", "-o", library.toString(),
        Path.of("src/test/c/cuda_standin.c").toAbsolutePath().toString(), stubFile.toString())
        .redirectErrorStream(true).start();
    String out = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(gcc.waitFor(120, TimeUnit.SECONDS) && gcc.exitValue() == 0, "gcc (apt-get install gcc) failed: " + out);
  }

  static JsonNode discover(Map<String, String> env) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
        "-Dorg.lwjgl.cuda.libname=" + library, "-cp", System.getProperty("java.class.path"),
        CudaProbeMain.class.getName()));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe JVM hangs");
    assertEquals(0, p.exitValue(), "probe failed: " + out + err);
    assertTrue(!err.contains("STANDIN:"), err);
    String last = out.strip().lines().reduce((a, b) -> b).orElse("");
    return new ObjectMapper().readTree(last);
  }

  @Test
  void twoDevicesWithNameMemoryCapabilityBusAndFreeMemory() throws Exception {
    JsonNode r = discover(Map.of());
    assertEquals("FOUND", r.path("status").asText(), r.toString());
    assertTrue(r.path("detail").asText().contains("libcuda.so.1"), r.toString());
    JsonNode devices = r.path("devices");
    assertEquals(2, devices.size());
    JsonNode h100 = devices.get(0);
    assertEquals("Stand-in H100 80GB HBM3", h100.path("name").asText());
    assertEquals(85899345920L, h100.path("memoryBytes").asLong());
    assertEquals(84825604096L, h100.path("freeMemoryBytes").asLong(), "free memory read inside the primary context");
    assertEquals("9.0", h100.path("computeCapability").asText());
    assertEquals("0000:17:00.0", h100.path("pciBusId").asText());
    assertEquals("CUDA", h100.path("backend").asText());
    JsonNode l4 = devices.get(1);
    assertEquals(1, l4.path("ordinal").asInt());
    assertEquals("8.9", l4.path("computeCapability").asText());
    assertEquals(21474836480L, l4.path("freeMemoryBytes").asLong());
    assertTrue(l4.path("note").isNull());
  }

  @Test
  void aDeviceWhoseContextCannotBeOpenedIsListedWithoutFreeMemory() throws Exception {
    JsonNode r = discover(Map.of("STANDIN_CUDA_CONTEXT_RESULT", "46"));
    assertEquals("FOUND", r.path("status").asText(), r.toString());
    for (JsonNode d : r.path("devices")) {
      assertTrue(d.path("freeMemoryBytes").isNull(), d.toString());
      assertTrue(d.path("memoryBytes").asLong() > 0);
      assertTrue(d.path("note").asText().contains("CUDA_ERROR_DEVICES_UNAVAILABLE"), d.toString());
    }
  }

  @Test
  void noDevicesIsNotFoundWithTheReason() throws Exception {
    JsonNode noDevice = discover(Map.of("STANDIN_CUDA_INIT_RESULT", "100"));
    assertEquals("NOT_FOUND", noDevice.path("status").asText(), noDevice.toString());
    assertTrue(noDevice.path("detail").asText().contains("CUDA_ERROR_NO_DEVICE"), noDevice.toString());
    JsonNode zero = discover(Map.of("STANDIN_CUDA_DEVICES", "0"));
    assertEquals("NOT_FOUND", zero.path("status").asText(), zero.toString());
    assertTrue(zero.path("detail").asText().contains("no devices"), zero.toString());
  }

  @Test
  void aFailingCuInitIsAFailureWithTheErrorName() throws Exception {
    JsonNode r = discover(Map.of("STANDIN_CUDA_INIT_RESULT", "35"));
    assertEquals("FAILED", r.path("status").asText(), r.toString());
    assertTrue(r.path("detail").asText().contains("cuInit failed with CUDA_ERROR_INSUFFICIENT_DRIVER"), r.toString());
    assertEquals(0, r.path("devices").size());
  }

  @Test
  void aMissingDriverIsNotFoundWithTheLoadersMessage() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
        "-Dorg.lwjgl.cuda.libname=" + dir.resolve("no-such-libcuda.so.1"), "-cp", System.getProperty("java.class.path"),
        CudaProbeMain.class.getName()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
    JsonNode r = new ObjectMapper().readTree(out.strip().lines().reduce((a, b) -> b).orElse(""));
    assertEquals("NOT_FOUND", r.path("status").asText(), r.toString());
    assertTrue(r.path("detail").asText().contains("cannot open shared object file"), r.toString());
  }
}
