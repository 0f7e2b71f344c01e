package dev.roomtone.multimodal.catalog;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/** The built-in list of recommended instruct models for writers' rooms. */
public final class ModelCatalog {
  // Checksums and exact sizes are pinned from the publisher's file listing; entries without them
  // are pulled only with --sha256 (see docs/engine.md).
  private static final List<CatalogEntry> BUILT_IN = List.of(
      new CatalogEntry("llama-3.2-1b-instruct-q4_k_m",
          "Meta Llama 3.2 1B Instruct, Q4_K_M: small and quick on a laptop CPU",
          URI.create("https://huggingface.co/bartowski/Llama-3.2-1B-Instruct-GGUF/resolve/main/"
              + "Llama-3.2-1B-Instruct-Q4_K_M.gguf"),
          -1, null, "Llama 3.2 Community License"),
      new CatalogEntry("qwen2.5-1.5b-instruct-q4_k_m",
          "Qwen2.5 1.5B Instruct, Q4_K_M: strong instruction following for its size",
          URI.create("https://huggingface.co/Qwen/Qwen2.5-1.5B-Instruct-GGUF/resolve/main/"
              + "qwen2.5-1.5b-instruct-q4_k_m.gguf"),
          -1, null, "Apache-2.0"),
      new CatalogEntry("smollm2-1.7b-instruct-q4_k_m",
          "SmolLM2 1.7B Instruct, Q4_K_M: fully open weights and data",
          URI.create("https://huggingface.co/HuggingFaceTB/SmolLM2-1.7B-Instruct-GGUF/resolve/main/"
              + "smollm2-1.7b-instruct-q4_k_m.gguf"),
          -1, null, "Apache-2.0"));

  private final List<CatalogEntry> entries;

  public ModelCatalog(List<CatalogEntry> entries) {
    this.entries = List.copyOf(entries);
  }

  public static ModelCatalog builtIn() {
    return new ModelCatalog(BUILT_IN);
  }

  public List<CatalogEntry> entries() {
    return entries;
  }

  public Optional<CatalogEntry> find(String name) {
    return entries.stream().filter(e -> e.name().equals(name)).findFirst();
  }
}
