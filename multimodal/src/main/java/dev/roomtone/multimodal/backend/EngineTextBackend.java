package dev.roomtone.multimodal.backend;

import dev.roomtone.multimodal.engine.compute.Backend;
import dev.roomtone.multimodal.engine.generate.ChatTemplate;
import dev.roomtone.multimodal.engine.generate.Completion;
import dev.roomtone.multimodal.engine.generate.Generator;
import dev.roomtone.multimodal.engine.generate.SamplingParams;
import dev.roomtone.multimodal.engine.model.InferenceSession;
import dev.roomtone.multimodal.engine.model.LlamaModel;
import dev.roomtone.multimodal.engine.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The in-process engine as a text backend: a GGUF model loaded once, each job in its own
 * inference session. Chat messages go through the model's own chat template; a model without one
 * gets them as plain "role: text" lines.
 */
public final class EngineTextBackend implements TextBackend, AutoCloseable {

  private final Path file;
  private final LlamaModel model;
  private final Backend compute;
  private final Tokenizer tokenizer;
  private final ChatTemplate template;
  private final int contextLength;

  /**
   * Opens {@code file} on {@code compute}, which it then owns (closing the engine closes it);
   * sessions get at most {@code contextLength} tokens.
   *
   * @throws IOException if the file cannot be read; a corrupt model throws the engine's GgufException
   */
  public EngineTextBackend(Path file, Backend compute, int contextLength) throws IOException {
    this.file = file;
    this.model = LlamaModel.open(file);
    this.compute = compute;
    this.tokenizer = Tokenizer.of(model.file());
    this.template = ChatTemplate.of(model.file(), tokenizer.vocabulary());
    this.contextLength = Math.min(contextLength, model.config().contextLength());
  }

  @Override
  public String describe() {
    return "in-process " + file.getFileName() + " on " + compute.name();
  }

  /** Tokens of a text as this model counts them, for fitting the context. */
  public int countTokens(String text) {
    return text.isEmpty() ? 0 : tokenizer.encode(text, false, false).length;
  }

  public int contextLength() {
    return contextLength;
  }

  @Override
  public Result generate(Request request, Consumer<String> onDelta, Cancellation cancellation) throws BackendException {
    cancellation.check();
    int[] prompt;
    if (template != null) {
      prompt = tokenizer.encode(template.render(request.messages().stream()
          .map(m -> new ChatTemplate.Message(m.role(), m.content())).toList(), true), true, true);
    } else {
      StringBuilder plain = new StringBuilder();
      request.messages().forEach(m -> plain.append(m.role()).append(": ").append(m.content()).append("\n"));
      prompt = tokenizer.encode(plain.append("assistant: ").toString(), true, false);
    }
    if (prompt.length + request.maxTokens() > contextLength) {
      throw new BackendException(BackendException.Kind.REFUSED, "The prompt (" + prompt.length + " tokens) and the answer ("
          + request.maxTokens() + ") do not fit in the model's context of " + contextLength + " tokens.");
    }
    long seed = request.seed() != null ? request.seed() : new java.util.Random().nextLong() & Long.MAX_VALUE;
    SamplingParams params = new SamplingParams((float) request.temperature(), request.temperature() == 0 ? 0 : 40,
        (float) request.topP(), request.temperature() == 0 ? 0f : 0.05f, 1.1f, 64, seed, request.maxTokens(), request.stop());
    InferenceSession session = new InferenceSession(model, compute, contextLength);
    Completion c = new Generator(session, tokenizer).generate(prompt, params, onDelta, cancellation::isCancelled);
    cancellation.check();
    return new Result(c.text(), c.promptTokens(), c.tokens().length, c.finish().name().toLowerCase(java.util.Locale.ROOT));
  }

  @Override
  public void close() throws IOException {
    try {
      model.close();
    } finally {
      compute.close();
    }
  }
}
