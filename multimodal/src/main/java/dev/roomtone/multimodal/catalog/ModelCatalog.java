package dev.roomtone.multimodal.catalog;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/** The built-in list of recommended instruct models for writers' rooms. */
public final class ModelCatalog {
  // Sizes and SHA-256 checksums are the publishers' (their Git LFS pointers), and each URL names
  // the repository commit they belong to, so a later re-upload cannot change what is fetched.
  private static final List<CatalogEntry> BUILT_IN = List.of(
      new CatalogEntry("llama-3.2-1b-instruct-q4_k_m",
          "Meta Llama 3.2 1B Instruct, Q4_K_M: small and quick on a laptop CPU",
          URI.create("https://huggingface.co/bartowski/Llama-3.2-1B-Instruct-GGUF/resolve/"
              + "067b946cf014b7c697f3654f621d577a3e3afd1c/Llama-3.2-1B-Instruct-Q4_K_M.gguf"),
          807_694_464L, "6f85a640a97cf2bf5b8e764087b1e83da0fdb51d7c9fab7d0fece9385611df83",
          "Llama 3.2 Community License"),
      new CatalogEntry("qwen2.5-1.5b-instruct-q4_k_m",
          "Qwen2.5 1.5B Instruct, Q4_K_M: strong instruction following for its size",
          URI.create("https://huggingface.co/Qwen/Qwen2.5-1.5B-Instruct-GGUF/resolve/"
              + "91cad51170dc346986eccefdc2dd33a9da36ead9/qwen2.5-1.5b-instruct-q4_k_m.gguf"),
          1_117_320_736L, "6a1a2eb6d15622bf3c96857206351ba97e1af16c30d7a74ee38970e434e9407e",
          "Apache-2.0"),
      new CatalogEntry("smollm2-1.7b-instruct-q4_k_m",
          "SmolLM2 1.7B Instruct, Q4_K_M: fully open weights and data",
          URI.create("https://huggingface.co/bartowski/SmolLM2-1.7B-Instruct-GGUF/resolve/"
              + "1f03464768bfcc0319fc50da8ff5fb20b6417ba2/SmolLM2-1.7B-Instruct-Q4_K_M.gguf"),
          1_055_609_824L, "77665ea4815999596525c636fbeb56ba8b080b46ae85efef4f0d986a139834d7",
          "Apache-2.0"));

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
