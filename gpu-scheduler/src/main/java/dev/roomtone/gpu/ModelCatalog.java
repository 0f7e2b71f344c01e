package dev.roomtone.gpu;

import java.util.Map;
import java.util.Optional;

/** The models jobs may ask for, with the device memory each needs once loaded. */
public record ModelCatalog(Map<String, Long> memoryBytes) {

  public ModelCatalog {
    memoryBytes = Map.copyOf(memoryBytes);
  }

  public Optional<Long> memoryOf(String model) {
    return Optional.ofNullable(memoryBytes.get(model));
  }
}
