package dev.roomtone.multimodal.backend;

import java.util.List;
import java.util.function.Consumer;

/** A language model that writes text: the in-process engine or a model server. */
public interface TextBackend {

  /** One message of a chat: {@code role} is system, user or assistant. */
  record ChatMessage(String role, String content) {
  }

  /** What to generate. {@code seed} null = the backend's choice; {@code stop} may be empty. */
  record Request(String model, List<ChatMessage> messages, int maxTokens, double temperature, double topP,
                 List<String> stop, Long seed) {
    public Request {
      messages = List.copyOf(messages);
      stop = List.copyOf(stop);
    }
  }

  /** The finished text with the token counts the scheduler charges. */
  record Result(String text, int promptTokens, int completionTokens, String finishReason) {
  }

  /** A name for logs and provenance, e.g. "openai-compatible http://gpu-box:8000". */
  String describe();

  /**
   * Generates, calling {@code onDelta} with each piece of text as it arrives.
   *
   * @throws BackendException with a readable message; nothing partial is returned
   */
  Result generate(Request request, Consumer<String> onDelta, Cancellation cancellation) throws BackendException;
}
