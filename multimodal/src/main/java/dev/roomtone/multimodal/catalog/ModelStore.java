package dev.roomtone.multimodal.catalog;

import dev.roomtone.multimodal.engine.gguf.GgufException;
import dev.roomtone.multimodal.engine.model.LlamaModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/** The models installed in the data directory: {@code <data-dir>/models/NAME.gguf}. */
public final class ModelStore {
  private final Path dir;

  public ModelStore(Path dataDir) {
    this.dir = dataDir.resolve("models");
  }

  public Path directory() {
    return dir;
  }

  public Path path(String name) {
    if (!name.matches("[A-Za-z0-9._-]+") || name.startsWith(".")) {
      throw new IllegalArgumentException("invalid model name: " + name
          + " (letters, digits, '.', '_' and '-' only)");
    }
    return dir.resolve(name + ".gguf");
  }

  public boolean has(String name) {
    return Files.isRegularFile(path(name));
  }

  public List<String> installed() throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".gguf"))
          .map(n -> n.substring(0, n.length() - 5)).sorted().toList();
    }
  }

  /** Copies a GGUF file in after checking that the engine can load it. */
  public Path importFile(Path file, String name) throws IOException {
    try (LlamaModel m = LlamaModel.open(file)) {
      // opening validated header, config and every weight's shape
    } catch (GgufException e) {
      throw new IllegalArgumentException("cannot import " + file + ": " + e.getMessage(), e);
    }
    Path target = path(name);
    Files.createDirectories(dir);
    Path tmp = dir.resolve(name + ".gguf.importing");
    Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return target;
  }

  public boolean remove(String name) throws IOException {
    Files.deleteIfExists(ModelDownloader.partial(path(name)));
    return Files.deleteIfExists(path(name));
  }
}
