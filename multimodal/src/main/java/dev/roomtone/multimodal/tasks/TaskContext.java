package dev.roomtone.multimodal.tasks;

import java.util.List;
import java.util.Map;

/**
 * What a task's prompt is made of: the selection and what surrounds it in the script, trimmed to
 * fit the model's context.
 *
 * @param sceneHeading the heading of the scene the selection is in ("" before the first heading)
 * @param scene        the scene's text up to the end of the selection, trimmed from its start
 * @param characters   the characters who speak in the scene, in order of appearance
 * @param recentLines  each of those characters' last lines before the selection, most recent last
 * @param bible        the room's story bible (shared map in the document), key → text
 */
public record TaskContext(String title, String sceneHeading, String scene, List<String> characters,
                          List<CharacterLines> recentLines, Map<String, String> bible, String selection,
                          String instruction, int variants) {

  public record CharacterLines(String name, List<String> lines) {
  }

  public TaskContext {
    characters = List.copyOf(characters);
    recentLines = List.copyOf(recentLines);
    bible = Map.copyOf(bible);
  }
}
