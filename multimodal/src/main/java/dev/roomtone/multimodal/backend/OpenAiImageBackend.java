package dev.roomtone.multimodal.backend;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleConsumer;

/** An OpenAI-compatible image server: {@code POST /v1/images/generations} with base64 answers. */
public final class OpenAiImageBackend implements ImageBackend {

  private final ServerEndpoint endpoint;
  private final String model;
  private final Http http;

  public OpenAiImageBackend(ServerEndpoint endpoint, String model) {
    this.endpoint = endpoint;
    this.model = model;
    this.http = new Http(endpoint, "The image server");
  }

  @Override
  public String describe() {
    return "openai-compatible images " + endpoint + " (" + model + ")";
  }

  @Override
  public Image generate(Request request, DoubleConsumer onProgress, Cancellation cancellation) throws BackendException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("model", model);
    body.put("prompt", request.prompt());
    body.put("n", 1);
    body.put("size", request.width() + "x" + request.height());
    body.put("response_format", "b64_json");
    JsonNode answer = http.postJson("/v1/images/generations", body, cancellation);
    JsonNode first = answer.path("data").path(0);
    if (!first.isObject()) {
      throw new BackendException(BackendException.Kind.MALFORMED, http.name() + " answered without image data; " + Http.SEE_LOG,
          http.where() + " answered without image data: "
          + http.redact(Http.preview(answer.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    }
    Image image = Images.fromBase64(first.path("b64_json").asText(null), http.name());
    onProgress.accept(1.0);
    return image;
  }
}
