package dev.roomtone.multimodal.engine.generate;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import dev.roomtone.multimodal.engine.gguf.GgufFile;
import dev.roomtone.multimodal.engine.tokenizer.Vocabulary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The model's own chat template ({@code tokenizer.chat_template}), rendered with Jinja. */
public final class ChatTemplate {
  /** One turn of a conversation. */
  public record Message(String role, String content) {}

  private final String template;
  private final String bos;
  private final String eos;
  private final Jinjava jinja = new Jinjava(JinjavaConfig.newBuilder().withFailOnUnknownTokens(false)
      .build());

  public ChatTemplate(String template, String bos, String eos) {
    this.template = template;
    this.bos = bos;
    this.eos = eos;
  }

  /** The template a GGUF file carries, or null when it has none. */
  public static ChatTemplate of(GgufFile f, Vocabulary v) {
    if (!f.has("tokenizer.chat_template")) {
      return null;
    }
    return new ChatTemplate(f.string("tokenizer.chat_template"),
        v.bos() >= 0 ? v.tokens()[v.bos()] : "", v.eos() >= 0 ? v.tokens()[v.eos()] : "");
  }

  public String render(List<Message> messages, boolean addGenerationPrompt) {
    Map<String, Object> ctx = new HashMap<>();
    List<Map<String, Object>> ms = new ArrayList<>();
    for (Message m : messages) {
      ms.add(Map.of("role", m.role(), "content", m.content()));
    }
    ctx.put("messages", ms);
    ctx.put("add_generation_prompt", addGenerationPrompt);
    ctx.put("bos_token", bos);
    ctx.put("eos_token", eos);
    RenderResult r = jinja.renderForResult(template, ctx);
    List<TemplateError> fatal = r.getErrors().stream()
        .filter(e -> e.getSeverity() == TemplateError.ErrorType.FATAL).toList();
    if (!fatal.isEmpty()) {
      throw new IllegalArgumentException("the model's chat template cannot be rendered: "
          + fatal.get(0).getMessage());
    }
    return r.getOutput();
  }
}
