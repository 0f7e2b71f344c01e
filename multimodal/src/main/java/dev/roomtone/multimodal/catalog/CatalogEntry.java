package dev.roomtone.multimodal.catalog;

import java.net.URI;
import java.util.Objects;

/** A recommended model: where to get it and what it must be (its exact size and SHA-256). */
public record CatalogEntry(String name, String description, URI url, long sizeBytes,
    String sha256, String licence) {

  public CatalogEntry {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(url, "url");
    if (sizeBytes <= 0) {
      throw new IllegalArgumentException(name + ": size must be positive");
    }
    if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(name + ": SHA-256 must be 64 lower-case hex digits");
    }
  }
}
