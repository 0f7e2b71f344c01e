package dev.roomtone.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.roomtone.gpu.device.DeviceDiscovery;
import dev.roomtone.gpu.device.Discovery;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code roomtone devices}: the compute devices this machine offers, as JSON. */
@Command(
    name = "devices",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionProvider.class,
    description = {
        "List the compute devices Roomtone can use (CUDA, OpenCL, CPU) as JSON.",
        "For each backend: FOUND, NOT_FOUND (with the reason) or FAILED (with the error)."
    })
final class DevicesCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Option(names = "--compact", description = "One line of JSON instead of indented output.")
  private boolean compact;

  @Override
  public Integer call() throws Exception {
    Discovery discovery = new DeviceDiscovery().discover();
    ObjectMapper json = new ObjectMapper();
    if (!compact) {
      json.enable(SerializationFeature.INDENT_OUTPUT);
    }
    spec.commandLine().getOut().println(json.writeValueAsString(discovery));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
