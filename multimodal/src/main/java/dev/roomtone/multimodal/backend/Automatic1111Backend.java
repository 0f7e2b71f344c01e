package dev.roomtone.multimodal.backend;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleConsumer;

/** AUTOMATIC1111's Stable Diffusion web UI, or Forge, through its API: {@code POST /sdapi/v1/txt2img}. */
public final class Automatic1111Backend implements ImageBackend {

  private final ServerEndpoint endpoint;
  private final Http http;

  public Automatic1111Backend(ServerEndpoint endpoint) {
    this.endpoint = endpoint;
    this.http = new Http(endpoint, "The AUTOMATIC1111 server");
  }

  @Override
  public String describe() {
    return "automatic1111 " + endpoint;
  }

  @Override
  public Image generate(Request request, DoubleConsumer onProgress, Cancellation cancellation) throws BackendException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("prompt", request.prompt());
    body.put("negative_prompt", request.negativePrompt() == null ? "" : request.negativePrompt());
    body.put("width", request.width());
    body.put("height", request.height());
    body.put("steps", request.steps());
    body.put("cfg_scale", request.cfgScale());
    body.put("seed", request.seed() == null ? -1 : request.seed());
    body.put("batch_size", 1);
    body.put("n_iter", 1);
    // the server keeps working on an abandoned request unless told to stop
    cancellation.onCancel(() -> interrupt());
    JsonNode answer = http.postJson("/sdapi/v1/txt2img", body, cancellation);
    JsonNode images = answer.path("images");
    if (!images.isArray() || images.isEmpty()) {
      throw new BackendException(BackendException.Kind.MALFORMED, http.name() + " answered txt2img without images; "
          + Http.SEE_LOG, http.where() + " answered txt2img without images: "
          + http.redact(Http.preview(answer.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    }
    Image image = Images.fromBase64(images.get(0).asText(null), http.name());
    onProgress.accept(1.0);
    return image;
  }

  private void interrupt() {
    try {
      http.postJson("/sdapi/v1/interrupt", Map.of(), new Cancellation());
    } catch (BackendException ignored) {
      // best effort: the job is cancelled on our side either way
    }
  }
}
