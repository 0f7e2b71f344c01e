package dev.roomtone.multimodal.catalog;

import java.net.URI;

/**
 * A recommended model: where to get it and what it must be. {@code sha256} is null when the
 * checksum has not been pinned yet; such an entry is only pulled with an explicit checksum.
 */
public record CatalogEntry(String name, String description, URI url, long sizeBytes,
    String sha256, String licence) {}
