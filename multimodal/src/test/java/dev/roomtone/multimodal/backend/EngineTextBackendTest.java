package dev.roomtone.multimodal.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roomtone.multimodal.engine.compute.Backends;
import dev.roomtone.multimodal.engine.gguf.GgmlType;
import dev.roomtone.multimodal.engine.model.SyntheticModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-process engine behind the same interface as the model servers, on a tiny random model. */
class EngineTextBackendTest {

  private static TextBackend.Request request(int maxTokens) {
    return new TextBackend.Request("tiny", List.of(new TextBackend.ChatMessage("system", "You write dialogue."),
        new TextBackend.ChatMessage("user", "MAYA: We close at midnight.")), maxTokens, 0.0, 1.0, List.of(), 7L);
  }

  @Test
  void streamsWhatItReturnsAndIsRepeatableWhenGreedy(@TempDir Path dir) throws Exception {
    Path file = SyntheticModel.write(dir.resolve("tiny.gguf"), SyntheticModel.Shape.TINY, GgmlType.Q8_0, 11);
    try (EngineTextBackend engine = new EngineTextBackend(file, Backends.open("cpu", 1), 256)) {
      List<String> deltas = new ArrayList<>();
      TextBackend.Result first = engine.generate(request(12), deltas::add, new Cancellation());
      assertEquals(String.join("", deltas), first.text());
      assertTrue(first.completionTokens() > 0 && first.completionTokens() <= 12, first.toString());
      assertTrue(first.promptTokens() > 5, first.toString());
      assertEquals(first.text(), engine.generate(request(12), d -> { }, new Cancellation()).text(), "greedy is repeatable");
      assertTrue(engine.countTokens("We close at midnight.") > 0);
      assertTrue(engine.describe().contains("tiny.gguf"));

      // cancelled between tokens: nothing is returned
      Cancellation cancel = new Cancellation();
      BackendException e = assertThrows(BackendException.class,
          () -> engine.generate(request(12), d -> cancel.cancel("the writer cancelled"), cancel));
      assertEquals(BackendException.Kind.CANCELLED, e.kind());

      BackendException tooLong = assertThrows(BackendException.class, () -> engine.generate(request(250), d -> { }, new Cancellation()));
      assertEquals(BackendException.Kind.REFUSED, tooLong.kind());
      assertTrue(tooLong.getMessage().contains("do not fit in the model's context of 256 tokens"), tooLong.getMessage());
    }
  }
}
