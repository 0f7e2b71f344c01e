package dev.roomtone.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line as an operator meets it: help texts, exit codes, error messages. */
class MainTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void helpListsTheCommands() {
    assertEquals(0, run("--help"));

    String help = out.toString();
    assertTrue(help.contains("Usage: roomtone"), help);
    assertTrue(help.contains("serve"), help);
    assertTrue(help.contains("bench"), help);
  }

  @Test
  void serveHelpShowsTheOptionsAndTheirDefaults() {
    assertEquals(0, run("serve", "--help"));

    String help = out.toString();
    assertTrue(help.contains("--host") && help.contains("127.0.0.1"), help);
    assertTrue(help.contains("--port") && help.contains("8080"), help);
    assertTrue(help.contains("--data-dir") && help.contains("./data"), help);
  }

  @Test
  void versionIsTheBuildVersion() {
    assertEquals(0, run("--version"));

    assertEquals("roomtone " + System.getProperty("roomtone.expectedVersion"),
        out.toString().strip());
  }

  @Test
  void benchWithoutABenchmarkPrintsItsUsageAndExits2() {
    assertEquals(2, run("bench"));

    String error = err.toString();
    assertTrue(error.contains("Name a benchmark"), error);
    assertTrue(error.contains("Usage: roomtone bench"), error);
  }

  @Test
  void anOutOfRangePortIsAUsageError() {
    assertEquals(2, run("serve", "--port", "70000"));

    assertTrue(err.toString().contains("--port must be between 0 and 65535"), err.toString());
  }

  @Test
  void serveOnATakenPortFailsWithAClearMessage(@TempDir Path tmp) throws IOException {
    Path dataDir = tmp.resolve("data");
    try (ServerSocket occupant = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = occupant.getLocalPort();

      int exitCode = run("serve", "--host", "127.0.0.1", "--port", String.valueOf(port),
          "--data-dir", dataDir.toString());

      assertEquals(1, exitCode);
      assertTrue(err.toString().contains("Cannot listen on 127.0.0.1:" + port), err.toString());
    }
    assertTrue(Files.isDirectory(dataDir), "serve creates a missing data directory");
  }

  @Test
  void aMissingConfigurationFileIsAUsageError(@TempDir Path tmp) {
    assertEquals(2, run("serve", "--config", tmp.resolve("nowhere.conf").toString()));
    assertTrue(err.toString().contains("nowhere.conf does not exist"), err.toString());
  }

  @Test
  void aWrongSettingIsNamedWithItsKey(@TempDir Path tmp) throws IOException {
    Path bad = tmp.resolve("roomtone.conf");
    Files.writeString(bad, "roomtone.database.kind = mysql\n");
    assertEquals(2, run("serve", "--config", bad.toString(), "--data-dir", tmp.resolve("data").toString()));
    assertTrue(err.toString().contains("roomtone.database.kind must be h2 or postgres, not mysql"), err.toString());

    Files.writeString(bad, "roomtone.limits.frame-bytes = lots\n");
    assertEquals(2, run("serve", "--config", bad.toString()));
    assertTrue(err.toString().contains("frame-bytes"), err.toString());

    Files.writeString(bad, "roomtone.security.token-secret = short\n");
    assertEquals(2, run("serve", "--config", bad.toString()));
    assertTrue(err.toString().contains("token-secret must have at least 32 characters"), err.toString());
  }

  @Test
  void anAiSettingThatCannotWorkStopsTheStartWithItsKey(@TempDir Path tmp) throws IOException {
    Path conf = tmp.resolve("roomtone.conf");
    Files.writeString(conf, "roomtone.ai.image-server = dalle\nroomtone.ai.image-url = \"http://127.0.0.1:7860\"\n");
    assertEquals(1, run("serve", "--config", conf.toString(), "--port", "0", "--data-dir", tmp.resolve("data").toString()));
    assertTrue(err.toString().contains("roomtone.ai.image-server must be comfyui, automatic1111 or openai, not dalle"), err.toString());

    Files.writeString(conf, "roomtone.ai.openai-url = \"http://127.0.0.1:8000\"\n");
    assertEquals(1, run("serve", "--config", conf.toString(), "--port", "0", "--data-dir", tmp.resolve("data").toString()));
    assertTrue(err.toString().contains("roomtone.ai.openai-model must name the model"), err.toString());

    Path notGguf = Files.writeString(tmp.resolve("broken.gguf"), "not a model");
    Files.writeString(conf, "roomtone.ai.engine-model = \"" + notGguf + "\"\n");
    assertEquals(1, run("serve", "--config", conf.toString(), "--port", "0", "--data-dir", tmp.resolve("data").toString()));
    assertTrue(err.toString().contains("roomtone.ai.engine-model " + notGguf + " cannot be used"), err.toString());

    Files.writeString(conf, "roomtone.ai.engine-model = \"" + notGguf + "\"\nroomtone.ai.engine-backend = cuda\n");
    assertEquals(1, run("serve", "--config", conf.toString(), "--port", "0", "--data-dir", tmp.resolve("data").toString()));
    assertTrue(err.toString().contains("roomtone.ai.engine-backend must be auto, cpu, opencl or opencl:N, not cuda"),
        err.toString());
  }

  @Test
  void fanOutBenchOptionsThatCannotMakeAWorkloadAreRefusedBeforeAnythingStarts() {
    for (String[] bad : new String[][] {{"--writers", "1"}, {"--warmup-seconds", "-1"}, {"--idle-seconds", "-5"}}) {
      err.getBuffer().setLength(0);
      assertEquals(2, run("bench", "fanout", bad[0], bad[1]), String.join(" ", bad));
      assertTrue(err.toString().contains("need --rooms >= 1, --writers >= 2, --rate > 0, --seconds > 0, --workers >= 1,"
          + " --warmup-seconds >= 0 and --idle-seconds >= 0"), err.toString());
    }
  }
}
