package dev.roomtone.multimodal.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.HashSet;
import org.junit.jupiter.api.Test;

class ModelCatalogTest {
  @Test
  void everyBuiltInModelIsPinnedToACommitWithItsSizeAndChecksum() {
    var names = new HashSet<String>();
    for (CatalogEntry e : ModelCatalog.builtIn().entries()) {
      assertTrue(names.add(e.name()), "unique name " + e.name());
      assertTrue(e.url().toString().matches("https://huggingface\\.co/[^/]+/[^/]+/resolve/"
          + "[0-9a-f]{40}/[^/]+\\.gguf"), "a URL at a fixed commit: " + e.url());
      assertTrue(e.sizeBytes() > 100_000_000L, e.name() + " has a real size");
    }
    assertEquals(3, names.size());
  }

  @Test
  void anEntryWithoutAProperChecksumOrSizeIsRefused() {
    URI url = URI.create("https://example.org/m.gguf");
    String sum = "0".repeat(64);
    assertThrows(IllegalArgumentException.class,
        () -> new CatalogEntry("m", "", url, 1, null, "MIT"));
    assertThrows(IllegalArgumentException.class,
        () -> new CatalogEntry("m", "", url, 1, "ABC", "MIT"));
    assertThrows(IllegalArgumentException.class,
        () -> new CatalogEntry("m", "", url, 0, sum, "MIT"));
    assertEquals(sum, new CatalogEntry("m", "", url, 1, sum, "MIT").sha256());
  }
}
