package dev.roomtone.multimodal.engine.model;

import dev.roomtone.multimodal.engine.gguf.GgufFile;
import java.io.IOException;
import java.nio.file.Path;

/** A loaded llama/qwen2 model: config and weights over one mapped GGUF file. */
public final class LlamaModel implements AutoCloseable {
  private final GgufFile file;
  private final ModelConfig config;
  private final LlamaWeights weights;

  public LlamaModel(GgufFile file) {
    this.file = file;
    this.config = ModelConfig.of(file);
    this.weights = LlamaWeights.load(file, config);
  }

  public static LlamaModel open(Path path) throws IOException {
    GgufFile f = GgufFile.open(path);
    try {
      return new LlamaModel(f);
    } catch (RuntimeException e) {
      f.close();
      throw e;
    }
  }

  public GgufFile file() {
    return file;
  }

  public ModelConfig config() {
    return config;
  }

  public LlamaWeights weights() {
    return weights;
  }

  /** Bytes a session with this context length holds in its KV cache (float keys and values). */
  public long kvCacheBytes(int contextLength) {
    return 2L * config.layers() * contextLength * config.kvDim() * Float.BYTES;
  }

  /** Weights plus KV cache: what a device must hold to run one session. */
  public long memoryEstimate(int contextLength) {
    return weights.bytes() + kvCacheBytes(contextLength);
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
