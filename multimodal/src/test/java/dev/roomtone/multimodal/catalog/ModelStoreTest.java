package dev.roomtone.multimodal.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roomtone.multimodal.engine.gguf.GgmlType;
import dev.roomtone.multimodal.engine.model.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {
  @TempDir Path dir;

  @Test
  void importsListsAndRemovesModels() throws Exception {
    Path file = TinyModels.write(dir.resolve("tiny.gguf"), "llama", GgmlType.Q8_0, 1, 64, w -> {});
    ModelStore store = new ModelStore(dir.resolve("data"));
    assertEquals(List.of(), store.installed());
    store.importFile(file, "tiny");
    assertEquals(List.of("tiny"), store.installed());
    assertTrue(store.has("tiny"));
    assertTrue(store.remove("tiny"));
    assertFalse(store.has("tiny"));
    assertFalse(store.remove("tiny"));
  }

  @Test
  void refusesFilesTheEngineCannotLoadAndBadNames() throws Exception {
    ModelStore store = new ModelStore(dir.resolve("data"));
    Path junk = Files.writeString(dir.resolve("junk.gguf"), "not a model");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> store.importFile(junk, "junk"));
    assertTrue(e.getMessage().contains("bad magic") || e.getMessage().contains("not a GGUF"),
        e.getMessage());
    assertEquals(List.of(), store.installed());
    assertThrows(IllegalArgumentException.class, () -> store.path("../etc/passwd"));
  }

  @Test
  void theCatalogNamesUrlLicenceForEveryEntry() {
    for (CatalogEntry e : ModelCatalog.builtIn().entries()) {
      assertTrue(e.url().getScheme().equals("https"), e.name());
      assertFalse(e.licence().isBlank(), e.name());
      assertTrue(ModelCatalog.builtIn().find(e.name()).isPresent());
    }
  }
}
