package dev.roomtone.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code roomtone devices} on this machine: PoCL for OpenCL (CI installs it), no CUDA driver. */
class DevicesCommandTest {

  @Test
  void printsEveryBackendWithItsStatusAndDevicesAsJson() throws Exception {
    StringWriter out = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    assertEquals(0, cli.execute("devices", "--compact"));
    String[] lines = out.toString().strip().split("\n");
    assertEquals(1, lines.length, out.toString());
    JsonNode json = new ObjectMapper().readTree(lines[0]);
    JsonNode backends = json.get("backends");
    assertEquals("CUDA", backends.get(0).get("backend").asText());
    String cuda = backends.get(0).get("status").asText();
    assertTrue(cuda.equals("FOUND") || cuda.equals("NOT_FOUND"), json.toString());
    assertTrue(!backends.get(0).get("detail").asText().isBlank());
    JsonNode cl = backends.get(1);
    assertEquals("FOUND", cl.get("status").asText(), json.toString());
    JsonNode device = cl.get("devices").get(0);
    assertTrue(device.get("memoryBytes").asLong() > 0 && device.get("computeUnits").asInt() > 0, device.toString());
    assertEquals("FOUND", backends.get(2).get("status").asText());
  }
}
