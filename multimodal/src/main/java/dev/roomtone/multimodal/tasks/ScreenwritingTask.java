package dev.roomtone.multimodal.tasks;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What the room can ask its models for. Each task has a prompt template (a resource under
 * {@code tasks/v1/}); the outline → scenes → dialogue chain follows Dramatron's hierarchy, each
 * step a suggestion the showrunner reviews before the next builds on it.
 */
public enum ScreenwritingTask {
  ALTERNATIVES("alternatives", "Alternative lines", 256),
  PUNCH_UP("punch_up", "Punch up dialogue", 512),
  CONTINUE_SCENE("continue_scene", "Continue the scene", 700),
  REWRITE("rewrite", "Rewrite the selection", 700),
  SUMMARISE("summarise", "Summarise", 200),
  LOGLINE("logline", "Logline", 80),
  BEAT_SHEET("beat_sheet", "Beat sheet from an outline", 800),
  OUTLINE("outline", "Outline from a logline", 900),
  SCENES("scenes", "Scenes from an outline", 900),
  DIALOGUE("dialogue", "Write a scene", 1200),
  /** A language model describes the frame; the description then goes to an image model. */
  STORYBOARD_FRAME("storyboard_frame", "Storyboard frame", 120);

  /** The template set; recorded with every suggestion so a studio can tell which prompts wrote what. */
  public static final String TEMPLATE_VERSION = "v1";

  private final String id;
  private final String title;
  private final int maxTokens;

  ScreenwritingTask(String id, String title, int maxTokens) {
    this.id = id;
    this.title = title;
    this.maxTokens = maxTokens;
  }

  /** The name clients use in {@code AiRequest.task}. */
  public String id() {
    return id;
  }

  public String title() {
    return title;
  }

  /** Default length of the answer, in tokens. */
  public int maxTokens() {
    return maxTokens;
  }

  /** Whether the job ends with an image. */
  public boolean makesImage() {
    return this == STORYBOARD_FRAME;
  }

  public static Optional<ScreenwritingTask> byId(String id) {
    String key = id == null ? "" : id.strip().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(t -> t.id.equals(key)).findFirst();
  }
}
