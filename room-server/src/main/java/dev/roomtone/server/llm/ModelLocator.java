package dev.roomtone.server.llm;

import dev.roomtone.multimodal.catalog.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resolves {@code --model}: a GGUF file path, or the name of an installed model. */
public final class ModelLocator {
  private ModelLocator() {}

  public static Path dataDir(Path option) {
    if (option != null) {
      return option;
    }
    String env = System.getenv("ROOMTONE_DATA_DIR");
    return Path.of(env != null && !env.isBlank() ? env : "./data");
  }

  public static Path resolve(String model, Path dataDir) {
    Path file = Path.of(model);
    if (Files.isRegularFile(file)) {
      return file;
    }
    ModelStore store = new ModelStore(dataDir);
    if (!model.contains("/") && store.has(model)) {
      return store.path(model);
    }
    throw new IllegalArgumentException("no model file or installed model named " + model
        + " (see 'roomtone models list'; add one with 'roomtone models pull NAME' or"
        + " 'roomtone models import FILE')");
  }
}
