package dev.roomtone.multimodal.tasks;

import dev.roomtone.script.screenplay.FountainParser;
import dev.roomtone.script.screenplay.Screenplay;
import dev.roomtone.script.screenplay.ScreenplayElement;
import dev.roomtone.script.screenplay.TitleField;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToIntFunction;

/**
 * Gathers what a model needs to know about the script around a selection — the scene it is in,
 * who speaks there and how they sound, the story bible — and trims it to the tokens the model has
 * room for, counted by the model's own tokenizer. The selection itself is never cut.
 */
public final class ContextAssembler {

  /** Lines of each character kept as their "voice". */
  private static final int LINES_PER_CHARACTER = 3;

  private final ToIntFunction<String> tokens;

  /** @param tokens how many tokens the model's tokenizer makes of a text */
  public ContextAssembler(ToIntFunction<String> tokens) {
    this.tokens = tokens;
  }

  /** The selection's context is too big even with everything else cut. */
  public static final class TooLongException extends IllegalArgumentException {
    TooLongException(String message) {
      super(message);
    }
  }

  /**
   * The tokens left for the script around the selection once a model's window of
   * {@code contextTokens} holds the task's answer and the template's own words.
   *
   * @throws TooLongException when nothing is left: the model's context is too small for the task
   */
  public static int budget(ScreenwritingTask task, int contextTokens, int templateTokens) {
    int needs = task.maxTokens() + templateTokens;
    if (contextTokens <= needs) {
      throw new TooLongException("This model's context is too small for \"" + task.title() + "\": it holds "
          + contextTokens + " tokens, and the task needs more than " + needs + " (" + templateTokens
          + " for its instructions, " + task.maxTokens() + " for the answer) before any of the script."
          + " Ask for a model with a longer context.");
    }
    return contextTokens - needs;
  }

  /**
   * @param script         the whole script, as Fountain
   * @param selectionStart where the selection starts in {@code script} (UTF-16 index)
   * @param budget         tokens the context may use (the model's window minus prompt and answer)
   */
  public TaskContext assemble(String script, int selectionStart, String selection, Map<String, String> bible,
                              String instruction, int variants, int budget) {
    int selectionEnd = Math.min(script.length(), selectionStart + selection.length());
    int needed = tokens.applyAsInt(selection) + tokens.applyAsInt(instruction);
    if (budget <= 0) {
      throw new TooLongException("This model's context has no room for the script with this task."
          + " Ask for a model with a longer context.");
    }
    if (needed > budget) {
      throw new TooLongException("The selection is " + needed + " tokens long; with this task the model has room for "
          + budget + ". Select less, or ask for a model with a longer context.");
    }
    Screenplay play = FountainParser.parse(script);
    String title = play.title("Title").map(t -> String.join(" ", t.values())).orElse("");

    // the scene: from the last heading at or before the selection to the end of the selection
    int sceneStart = 0;
    String heading = "";
    for (ScreenplayElement e : play.elements()) {
      if (e instanceof ScreenplayElement.SceneHeading h && h.range().start() <= selectionStart) {
        sceneStart = h.range().start();
        heading = h.text();
      }
    }
    String scene = script.substring(sceneStart, Math.max(sceneStart, selectionEnd));

    // who speaks in the scene before the selection, and their last lines
    Map<String, List<String>> voices = new LinkedHashMap<>();
    String speaker = null;
    for (ScreenplayElement e : play.elements()) {
      int at = e.range().start();
      if (at < sceneStart) {
        continue;
      }
      if (at >= selectionStart && !(e instanceof ScreenplayElement.Character)) {
        if (at >= selectionEnd) {
          break;
        }
        continue;
      }
      switch (e) {
        case ScreenplayElement.Character c -> {
          speaker = c.name();
          voices.computeIfAbsent(speaker, k -> new ArrayList<>());
        }
        case ScreenplayElement.Dialogue d -> {
          if (speaker != null && at < selectionStart) {
            List<String> lines = voices.get(speaker);
            lines.add(d.text().strip());
            if (lines.size() > LINES_PER_CHARACTER) {
              lines.remove(0);
            }
          }
        }
        case ScreenplayElement.SceneHeading h -> speaker = null;
        default -> {
          // action, transitions and the rest carry no voice
        }
      }
    }

    Map<String, String> keptBible = new TreeMap<>(bible);
    List<TaskContext.CharacterLines> recent = new ArrayList<>();
    voices.forEach((name, lines) -> {
      if (!lines.isEmpty()) {
        recent.add(new TaskContext.CharacterLines(name, List.copyOf(lines)));
      }
    });
    // trim, least useful first: the scene's far beginning, then old lines, then the bible
    int left = budget - needed - tokens.applyAsInt(heading) - tokens.applyAsInt(title);
    while (cost(scene, recent, keptBible) > left) {
      // the scene ends with the selection: whole paragraphs before it can go
      int cut = scene.indexOf("\n\n");
      if (cut >= 0 && cut + 2 <= scene.length() - selection.length()) {
        scene = scene.substring(cut + 2);
      } else if (!recent.isEmpty()) {
        recent.remove(0);
      } else if (!keptBible.isEmpty()) {
        keptBible.remove(((TreeMap<String, String>) keptBible).lastKey());
      } else {
        scene = selection; // nothing else left to cut
        break;
      }
    }
    return new TaskContext(title, heading, scene, List.copyOf(voices.keySet()), recent, keptBible, selection,
        instruction, variants);
  }

  private int cost(String scene, List<TaskContext.CharacterLines> recent, Map<String, String> bible) {
    int n = tokens.applyAsInt(scene);
    for (TaskContext.CharacterLines c : recent) {
      for (String line : c.lines()) {
        n += tokens.applyAsInt(line) + 4;
      }
    }
    for (Map.Entry<String, String> e : bible.entrySet()) {
      n += tokens.applyAsInt(e.getKey()) + tokens.applyAsInt(e.getValue()) + 2;
    }
    return n;
  }
}
