package dev.roomtone.multimodal.backend;

/** An image model: a storyboard frame from a prompt. */
public interface ImageBackend {

  /** What to draw. {@code seed} null = random. */
  record Request(String prompt, String negativePrompt, int width, int height, int steps, double cfgScale, Long seed) {
  }

  /** The image's bytes and media type (checked to be PNG, JPEG or WebP). */
  record Image(byte[] bytes, String mediaType) {
  }

  String describe();

  /** Generates one image; {@code onProgress} gets a fraction in [0, 1] when the server reports it. */
  Image generate(Request request, java.util.function.DoubleConsumer onProgress, Cancellation cancellation)
      throws BackendException;
}
