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
  ALTERNATIVES("alternatives", "Alternative lines", 256, Placement.REPLACE),
  PUNCH_UP("punch_up", "Punch up dialogue", 512, Placement.REPLACE),
  CONTINUE_SCENE("continue_scene", "Continue the scene", 700, Placement.INSERT_AFTER),
  REWRITE("rewrite", "Rewrite the selection", 700, Placement.REPLACE),
  SUMMARISE("summarise", "Summarise", 200, Placement.NOTE),
  LOGLINE("logline", "Logline", 80, Placement.NOTE),
  BEAT_SHEET("beat_sheet", "Beat sheet from an outline", 800, Placement.INSERT_AFTER),
  OUTLINE("outline", "Outline from a logline", 900, Placement.INSERT_AFTER),
  SCENES("scenes", "Scenes from an outline", 900, Placement.INSERT_AFTER),
  DIALOGUE("dialogue", "Write a scene", 1200, Placement.INSERT_AFTER),
  /** A language model describes the frame; the description then goes to an image model. */
  STORYBOARD_FRAME("storyboard_frame", "Storyboard frame", 120, Placement.NOTE);

  /** Where an approved answer goes in the script. */
  public enum Placement {
    /** Over the selection: the answer is a new version of it. */
    REPLACE,
    /** After the selection, as paragraphs of its own set off by blank lines; the selection stays: the answer builds on it. */
    INSERT_AFTER,
    /** Nowhere: the answer is about the script (a summary, a logline, a frame), not part of it. */
    NOTE
  }

  /** The template set; recorded with every suggestion so a studio can tell which prompts wrote what. */
  public static final String TEMPLATE_VERSION = "v1";

  private final String id;
  private final String title;
  private final int maxTokens;
  private final Placement placement;

  ScreenwritingTask(String id, String title, int maxTokens, Placement placement) {
    this.id = id;
    this.title = title;
    this.maxTokens = maxTokens;
    this.placement = placement;
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

  /** What approving the task's suggestion writes into the script. */
  public Placement placement() {
    return placement;
  }

  /**
   * Whether the answer is a list of options to choose from: approving the whole list would put
   * every option into the script, so the showrunner approves one of them, sent as the edited text.
   */
  public boolean offersChoices() {
    return this == ALTERNATIVES;
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
