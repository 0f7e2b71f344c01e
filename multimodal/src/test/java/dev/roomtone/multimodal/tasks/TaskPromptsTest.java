package dev.roomtone.multimodal.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roomtone.multimodal.backend.TextBackend;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/** Context from the script around a selection, and every task's prompt rendered from its template. */
class TaskPromptsTest {

  private static final String SCRIPT = """
      Title: Harbour Lights
      Author: Maya Okafor

      INT. HARBOUR DINER - NIGHT

      Rain hammers the windows. MAYA wipes the counter.

      MAYA
      We close at midnight.

      STRANGER
      I saw the light was still on.

      MAYA
      (not looking up)
      Lights lie.

      EXT. PIER - CONTINUOUS

      The STRANGER walks into the fog.

      STRANGER
      She knows.
      """;

  /** Words and punctuation as tokens: enough to test trimming; the server passes the model's tokenizer. */
  private static final ToIntFunction<String> WORDS = s -> s.isBlank() ? 0 : s.strip().split("\\s+").length;

  private static TaskContext around(String selected, int budget) {
    return new ContextAssembler(WORDS).assemble(SCRIPT, SCRIPT.indexOf(selected), selected,
        Map.of("Maya", "Owns the diner; never talks about her brother.", "Tone", "Coastal noir, dry humour."),
        "colder", 3, budget);
  }

  @Test
  void theContextIsTheSceneAroundTheSelectionWithItsVoices() {
    TaskContext c = around("Lights lie.", 1_000);
    assertEquals("Harbour Lights", c.title());
    assertEquals("INT. HARBOUR DINER - NIGHT", c.sceneHeading());
    assertTrue(c.scene().startsWith("INT. HARBOUR DINER - NIGHT") && c.scene().endsWith("Lights lie."), c.scene());
    assertFalse(c.scene().contains("PIER"), "the next scene is not part of the context");
    assertEquals(List.of("MAYA", "STRANGER"), c.characters());
    assertEquals(List.of(new TaskContext.CharacterLines("MAYA", List.of("We close at midnight.")),
        new TaskContext.CharacterLines("STRANGER", List.of("I saw the light was still on."))), c.recentLines());
    assertEquals(2, c.bible().size());

    TaskContext pier = around("She knows.", 1_000);
    assertEquals("EXT. PIER - CONTINUOUS", pier.sceneHeading());
    assertEquals(List.of("STRANGER"), pier.characters());
  }

  @Test
  void aTightBudgetCutsTheFarSceneFirstThenVoicesThenTheBibleButNeverTheSelection() {
    TaskContext roomy = around("Lights lie.", 1_000);
    TaskContext tight = around("Lights lie.", 24);
    assertTrue(tight.scene().length() < roomy.scene().length(), tight.scene());
    assertTrue(tight.scene().endsWith("Lights lie."), tight.scene());
    TaskContext tiny = around("Lights lie.", 6);
    assertEquals("Lights lie.", tiny.selection());
    assertTrue(tiny.recentLines().isEmpty() && tiny.bible().isEmpty(), tiny.toString());
    assertThrows(ContextAssembler.TooLongException.class, () -> around("Lights lie.", 2));
  }

  @Test
  void aContextTooSmallForTheTaskIsSaidSoWithItsSizeAndTheTasksNeeds() {
    assertEquals(120, ContextAssembler.budget(ScreenwritingTask.LOGLINE, 500, 300));
    var tooSmall = assertThrows(ContextAssembler.TooLongException.class,
        () -> ContextAssembler.budget(ScreenwritingTask.ALTERNATIVES, 500, 300));
    assertEquals("This model's context is too small for \"Alternative lines\": it holds 500 tokens, and the task needs"
        + " more than 556 (300 for its instructions, 256 for the answer) before any of the script."
        + " Ask for a model with a longer context.", tooSmall.getMessage());
    assertThrows(ContextAssembler.TooLongException.class, () -> ContextAssembler.budget(ScreenwritingTask.ALTERNATIVES, 556, 300));
    assertThrows(ContextAssembler.TooLongException.class, () -> ContextAssembler.budget(ScreenwritingTask.ALTERNATIVES, 0, 300));

    // a selection longer than the room left says how long both are; a budget spent already is no negative number
    var longer = assertThrows(ContextAssembler.TooLongException.class, () -> around("Lights lie.", 2));
    assertTrue(longer.getMessage().matches("The selection is \\d+ tokens long; with this task the model has room for 2\\..*"),
        longer.getMessage());
    var spent = assertThrows(ContextAssembler.TooLongException.class, () -> around("Lights lie.", -556));
    assertFalse(spent.getMessage().matches(".*-\\d.*"), spent.getMessage());
  }

  @Test
  void everyTaskRendersItsOwnRequestWithTheContext() {
    TaskPrompts prompts = new TaskPrompts();
    TaskContext c = around("Lights lie.", 1_000);
    for (ScreenwritingTask task : ScreenwritingTask.values()) {
      List<TextBackend.ChatMessage> m = prompts.messages(task, c);
      assertEquals("system", m.get(0).role());
      assertTrue(m.get(0).content().contains("Coastal noir, dry humour."), task + ": the bible is missing");
      assertEquals("user", m.get(1).role());
      String user = m.get(1).content();
      assertTrue(user.contains("Lights lie."), task + " does not carry the selection:\n" + user);
      assertTrue(user.contains("colder"), task + " does not carry the instruction:\n" + user);
      assertFalse(user.contains("{{") || user.contains("{%"), task + " left template syntax:\n" + user);
    }
    String alternatives = prompts.messages(ScreenwritingTask.ALTERNATIVES, c).get(1).content();
    assertTrue(alternatives.contains("Write 3 alternative versions") && alternatives.contains("numbered 1. to 3."), alternatives);
    assertTrue(alternatives.contains("Recent lines of MAYA:") && alternatives.contains("\"We close at midnight.\""), alternatives);
    assertTrue(alternatives.contains("Current scene: INT. HARBOUR DINER - NIGHT"), alternatives);
  }

  @Test
  void tasksAreNamedAsClientsNameThem() {
    assertEquals(ScreenwritingTask.PUNCH_UP, ScreenwritingTask.byId("punch_up").orElseThrow());
    assertTrue(ScreenwritingTask.byId("write_my_taxes").isEmpty());
    assertTrue(ScreenwritingTask.STORYBOARD_FRAME.makesImage());
  }
}
