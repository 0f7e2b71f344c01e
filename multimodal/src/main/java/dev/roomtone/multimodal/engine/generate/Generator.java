package dev.roomtone.multimodal.engine.generate;

import dev.roomtone.multimodal.engine.model.InferenceSession;
import dev.roomtone.multimodal.engine.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs the generate loop on a session: prefill the prompt, then sample token by token, streaming
 * text as it becomes final. Cancellation is checked between tokens.
 */
public final class Generator {
  private final InferenceSession session;
  private final Tokenizer tokenizer;

  public Generator(InferenceSession session, Tokenizer tokenizer) {
    this.session = session;
    this.tokenizer = tokenizer;
  }

  /**
   * Continues the prompt tokens. {@code onText} receives text pieces in order; their
   * concatenation is the completion's text (stop strings excluded).
   */
  public Completion generate(int[] prompt, SamplingParams params, Consumer<String> onText,
      BooleanSupplier cancelled) {
    if (prompt.length == 0) {
      throw new IllegalArgumentException("empty prompt");
    }
    int room = session.contextLength() - session.position();
    if (prompt.length > room) {
      throw new IllegalArgumentException("the prompt has " + prompt.length + " tokens but only "
          + room + " fit in the context");
    }
    Sampler sampler = new Sampler(params);
    int[] history = Arrays.copyOf(prompt, prompt.length + params.maxTokens());
    int length = prompt.length;
    int[] out = new int[params.maxTokens()];
    int n = 0;
    Tokenizer.TextStream stream = new Tokenizer.TextStream(tokenizer);
    StopScanner stops = new StopScanner(params.stop(), onText);
    long t0 = System.nanoTime();
    float[] logits = session.forward(prompt);
    long t1 = System.nanoTime();
    Completion.Finish finish = Completion.Finish.MAX_TOKENS;
    while (true) {
      if (cancelled.getAsBoolean()) {
        finish = Completion.Finish.CANCELLED;
        break;
      }
      int next = sampler.sample(logits, history, length);
      if (tokenizer.vocabulary().isEndOfGeneration(next)) {
        finish = Completion.Finish.END_OF_GENERATION;
        break;
      }
      out[n++] = next;
      history[length++] = next;
      if (stops.accept(stream.push(next))) {
        finish = Completion.Finish.STOP_STRING;
        break;
      }
      if (n == params.maxTokens()) {
        break;
      }
      if (session.position() >= session.contextLength()) {
        finish = Completion.Finish.CONTEXT_FULL;
        break;
      }
      logits = session.forward(next);
    }
    if (finish != Completion.Finish.STOP_STRING) {
      stops.accept(stream.flush());
      stops.finish();
    }
    long t2 = System.nanoTime();
    return new Completion(stops.text(), Arrays.copyOf(out, n), prompt.length, finish, t1 - t0,
        t2 - t1);
  }

  /**
   * Passes text through but holds back any tail that could still become a stop string, so a
   * stop string never reaches the listener.
   */
  static final class StopScanner {
    private final java.util.List<String> stops;
    private final Consumer<String> sink;
    private final StringBuilder all = new StringBuilder();
    private int emitted;
    private int end = -1;

    StopScanner(java.util.List<String> stops, Consumer<String> sink) {
      this.stops = stops;
      this.sink = sink;
    }

    /** Returns true when a stop string has appeared. */
    boolean accept(String piece) {
      all.append(piece);
      for (String s : stops) {
        int at = all.indexOf(s, Math.max(0, emitted - s.length()));
        if (!s.isEmpty() && at >= 0 && (end < 0 || at < end)) {
          end = at;
        }
      }
      if (end >= 0) {
        emit(end);
        return true;
      }
      int hold = 0;
      for (String s : stops) {
        for (int k = Math.min(s.length() - 1, all.length()); k > hold; k--) {
          if (all.substring(all.length() - k).equals(s.substring(0, k))) {
            hold = k;
            break;
          }
        }
      }
      emit(all.length() - hold);
      return false;
    }

    void finish() {
      emit(all.length());
    }

    private void emit(int upTo) {
      if (upTo > emitted) {
        sink.accept(all.substring(emitted, upTo));
        emitted = upTo;
      }
    }

    String text() {
      return all.substring(0, end >= 0 ? end : all.length());
    }
  }
}
