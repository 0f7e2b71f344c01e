package dev.roomtone.multimodal.tasks;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.loader.ResourceLocator;
import com.hubspot.jinjava.loader.ResourceNotFoundException;
import dev.roomtone.multimodal.backend.TextBackend;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a task's chat messages from its versioned templates (Jinja, resources under
 * {@code dev/roomtone/multimodal/tasks/v1/}): a system message with the room's rules and story
 * bible, and the task's own request with its context.
 */
public final class TaskPrompts {

  private static final String BASE = "dev/roomtone/multimodal/tasks/" + ScreenwritingTask.TEMPLATE_VERSION + "/";

  private final Jinjava jinja;

  public TaskPrompts() {
    jinja = new Jinjava(JinjavaConfig.newBuilder().withFailOnUnknownTokens(false).build());
    jinja.setResourceLocator(new ResourceLocator() {
      @Override
      public String getString(String name, Charset encoding, JinjavaInterpreter interpreter) throws IOException {
        return template(name);
      }
    });
  }

  private static String template(String name) throws IOException {
    if (!name.matches("[a-z_]+\\.jinja")) {
      throw new ResourceNotFoundException("no template " + name);
    }
    try (InputStream in = TaskPrompts.class.getClassLoader().getResourceAsStream(BASE + name)) {
      if (in == null) {
        throw new ResourceNotFoundException("no template " + name);
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /** The messages to send for {@code task} with {@code context}. */
  public List<TextBackend.ChatMessage> messages(ScreenwritingTask task, TaskContext context) {
    Map<String, Object> vars = new HashMap<>();
    vars.put("medium", "film and television");
    vars.put("title", context.title());
    vars.put("scene_heading", context.sceneHeading());
    vars.put("scene", context.scene());
    vars.put("characters", context.characters());
    vars.put("recent_lines", context.recentLines().stream()
        .map(c -> Map.of("name", c.name(), "lines", c.lines())).toList());
    vars.put("bible", context.bible());
    vars.put("selection", context.selection());
    vars.put("instruction", context.instruction());
    vars.put("variants", Math.max(1, context.variants()));
    return List.of(new TextBackend.ChatMessage("system", render("system.jinja", vars)),
        new TextBackend.ChatMessage("user", render(task.id() + ".jinja", vars)));
  }

  private String render(String name, Map<String, Object> vars) {
    String source;
    try {
      source = template(name);
    } catch (IOException e) {
      throw new IllegalStateException("the prompt template " + name + " is missing from the build", e);
    }
    RenderResult r = jinja.renderForResult(source, vars);
    if (!r.getErrors().isEmpty()) {
      throw new IllegalStateException("the prompt template " + name + " does not render: " + r.getErrors().get(0).getMessage());
    }
    return r.getOutput().strip();
  }
}
