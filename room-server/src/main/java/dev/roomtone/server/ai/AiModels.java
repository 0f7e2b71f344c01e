package dev.roomtone.server.ai;

import com.typesafe.config.Config;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomtone.multimodal.backend.Automatic1111Backend;
import dev.roomtone.multimodal.backend.ComfyUiBackend;
import dev.roomtone.multimodal.backend.EngineTextBackend;
import dev.roomtone.multimodal.backend.ImageBackend;
import dev.roomtone.multimodal.backend.OpenAiImageBackend;
import dev.roomtone.multimodal.backend.OpenAiChatBackend;
import dev.roomtone.multimodal.backend.ServerEndpoint;
import dev.roomtone.gpu.device.ComputeDevice;
import dev.roomtone.gpu.device.Discovery;
import dev.roomtone.multimodal.engine.compute.Backend;
import dev.roomtone.multimodal.engine.compute.Backends;
import dev.roomtone.multimodal.engine.compute.OpenClBackend;
import dev.roomtone.multimodal.engine.model.LlamaModel;
import dev.roomtone.server.llm.ModelLocator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The language models the configuration names ({@code roomtone.ai}), opened and ready. */
public final class AiModels {

  private AiModels() {
  }

  /**
   * The image server {@code roomtone.ai.image-server} names, or null when none is.
   *
   * @throws IllegalArgumentException with a message for the operator when it cannot be used
   */
  public static ImageBackend imageServer(Config roomtone) {
    Config ai = roomtone.getConfig("ai");
    String kind = ai.getString("image-server").strip();
    if (kind.isEmpty()) {
      return null;
    }
    ServerEndpoint endpoint;
    try {
      endpoint = ServerEndpoint.at(ai.getString("image-url")).withApiKey(ai.getString("image-api-key"))
          .withTimeouts(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(1));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("roomtone.ai.image-url: " + e.getMessage(), e);
    }
    return switch (kind) {
      case "automatic1111" -> new Automatic1111Backend(endpoint);
      case "openai" -> new OpenAiImageBackend(endpoint, ai.getString("image-model"));
      case "comfyui" -> {
        Path workflow = Path.of(ai.getString("comfyui-workflow"));
        try {
          yield new ComfyUiBackend(endpoint, new ObjectMapper().readTree(Files.readString(workflow)));
        } catch (IOException | IllegalArgumentException e) {
          throw new IllegalArgumentException("roomtone.ai.comfyui-workflow " + workflow + ": " + e.getMessage(), e);
        }
      }
      default -> throw new IllegalArgumentException("roomtone.ai.image-server must be comfyui, automatic1111 or openai, not " + kind);
    };
  }

  /**
   * Opens what {@code roomtone.ai} configures; an empty list when nothing is.
   *
   * @throws IllegalArgumentException with a message for the operator when a model cannot be used
   */
  public static List<ServerAssistant.TextModel> open(Config roomtone, Path dataDir, Supplier<Discovery> devices) {
    Config ai = roomtone.getConfig("ai");
    List<ServerAssistant.TextModel> models = new ArrayList<>();
    String engineModel = ai.getString("engine-model").strip();
    if (!engineModel.isEmpty()) {
      Path file = ModelLocator.resolve(engineModel, dataDir);
      EngineDevice device = EngineDevice.choose(ai.getString("engine-backend").strip(), devices.get(),
          OpenClBackend.devices());
      int context = ai.getInt("context-tokens");
      try {
        Backend compute = Backends.open(device.name(), ai.getInt("engine-threads"));
        EngineTextBackend engine;
        try {
          engine = new EngineTextBackend(file, compute, context);
        } catch (IOException | RuntimeException e) {
          compute.close();
          throw e;
        }
        long memory;
        try (LlamaModel m = LlamaModel.open(file)) {
          memory = m.memoryEstimate(engine.contextLength());
        }
        if (memory > device.memoryBytes()) {
          engine.close();
          throw new IllegalArgumentException(String.format("it needs %,d MiB (weights and a %d-token KV cache)"
              + " but %s has %,d MiB", memory >> 20, engine.contextLength(), device.name(), device.memoryBytes() >> 20));
        }
        String name = file.getFileName().toString().replaceFirst("(?i)\\.gguf$", "");
        models.add(new ServerAssistant.TextModel(name, engine, engine::countTokens, engine.contextLength(), memory,
            device.name(), 1, device.memoryBytes()));
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException("roomtone.ai.engine-model " + file + " cannot be used: " + e.getMessage(), e);
      }
    }
    String url = ai.getString("openai-url").strip();
    if (!url.isEmpty()) {
      String name = ai.getString("openai-model").strip();
      if (name.isEmpty()) {
        throw new IllegalArgumentException("roomtone.ai.openai-model must name the model to ask " + url + " for");
      }
      ServerEndpoint endpoint;
      try {
        endpoint = ServerEndpoint.at(url).withApiKey(ai.getString("openai-api-key"));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("roomtone.ai.openai-url: " + e.getMessage(), e);
      }
      // no tokenizer of the remote model here: about four characters a token, as for English text
      models.add(new ServerAssistant.TextModel(name, new OpenAiChatBackend(endpoint), t -> (t.length() + 3) / 4,
          ai.getInt("context-tokens"), 0, "openai-compatible", ai.getInt("openai-concurrent-jobs"), 0));
    }
    return models;
  }

  /** Where the in-process engine runs, and the memory the scheduler may fill there. */
  public record EngineDevice(String name, long memoryBytes) {

    /**
     * The device {@code setting} names ({@code auto}, {@code cpu}, {@code opencl} or
     * {@code opencl:N}), as the server's device discovery found it. {@code auto} takes the first
     * OpenCL GPU and otherwise the CPU: an OpenCL CPU device (such as PoCL) runs on the same cores
     * as the engine's own CPU kernels and gains nothing.
     *
     * @param openCl the engine's own list of OpenCL devices, whose positions {@code opencl:N} counts
     */
    public static EngineDevice choose(String setting, Discovery found, List<OpenClBackend.Device> openCl) {
      long cpuMemory = found.devices().stream().filter(d -> d instanceof ComputeDevice.Cpu)
          .mapToLong(ComputeDevice::memoryBytes).findFirst().orElse(Runtime.getRuntime().maxMemory());
      if (setting.equals("auto")) {
        for (ComputeDevice d : found.devices()) {
          if (d instanceof ComputeDevice.OpenCl cl && cl.type().contains("GPU")) {
            for (int i = 0; i < openCl.size(); i++) {
              if (openCl.get(i).name().equals(cl.name())) {
                return new EngineDevice("opencl:" + i, openCl.get(i).memoryBytes());
              }
            }
          }
        }
        return new EngineDevice("cpu", cpuMemory);
      }
      if (setting.equals("cpu")) {
        return new EngineDevice("cpu", cpuMemory);
      }
      if (setting.equals("opencl") || setting.matches("opencl:\\d+")) {
        int i = setting.equals("opencl") ? 0 : Integer.parseInt(setting.substring("opencl:".length()));
        if (i >= openCl.size()) {
          throw new IllegalArgumentException("roomtone.ai.engine-backend " + setting + ": this machine has "
              + openCl.size() + " OpenCL device(s)" + (openCl.isEmpty() ? "" : ", opencl:0 to opencl:" + (openCl.size() - 1)));
        }
        return new EngineDevice("opencl:" + i, openCl.get(i).memoryBytes());
      }
      throw new IllegalArgumentException("roomtone.ai.engine-backend must be auto, cpu, opencl or opencl:N, not " + setting);
    }
  }
}
