package dev.roomtone.server.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomtone.server.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code roomtone bench scheduler}, small: its output lines and what they must say. */
class SchedulerBenchCommandTest {

  @Test
  void printsOneLinePerPolicyAndAComparison() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    assertEquals(0, cli.execute("bench", "scheduler", "--minutes", "3", "--overhead-jobs", "2000", "--seed", "7"),
        err.toString());
    String[] lines = out.toString().strip().split("\n");
    assertEquals(3, lines.length, out.toString());
    ObjectMapper json = new ObjectMapper();
    JsonNode vtc = json.readTree(lines[0]);
    JsonNode fcfs = json.readTree(lines[1]);
    JsonNode cmp = json.readTree(lines[2]);
    assertEquals("VTC", vtc.get("policy").asText());
    assertEquals("FCFS", fcfs.get("policy").asText());
    assertEquals("comparison", cmp.get("policy").asText());
    assertEquals(10, vtc.get("share").size());
    double shares = 0;
    for (JsonNode s : vtc.get("share")) {
      shares += s.asDouble();
    }
    assertEquals(1.0, shares, 0.01);
    assertTrue(vtc.get("share").get("room-0").asDouble() < fcfs.get("share").get("room-0").asDouble(),
        "the flooding room gets less under VTC");
    assertTrue(vtc.get("jain").asDouble() > fcfs.get("jain").asDouble());
    assertEquals(2000, vtc.get("overhead_jobs").asInt());
    assertTrue(vtc.get("overhead_us_per_dispatch").asDouble() > 0);
    for (String key : new String[] {"jain_vtc", "jain_fcfs", "light_p99_fcfs_over_vtc", "overhead_us_per_dispatch_vtc",
        "target_jain_vtc_ge_0_99", "target_light_p99_10x_lower", "target_overhead_under_20us"}) {
      assertTrue(cmp.has(key), key + " missing: " + cmp);
    }
    assertTrue(cmp.get("target_jain_vtc_ge_0_99").asBoolean(), cmp.toString());
    assertTrue(cmp.get("target_light_p99_10x_lower").asBoolean(), cmp.toString());
  }

  @Test
  void refusesNonsenseOptions() {
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err, true));
    assertEquals(2, cli.execute("bench", "scheduler", "--minutes", "0"));
    assertTrue(err.toString().contains("must be positive"), err.toString());
  }
}
