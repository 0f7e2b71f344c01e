package dev.roomtone.multimodal.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import java.util.function.DoubleConsumer;

/**
 * A ComfyUI server running the operator's workflow. The workflow is ComfyUI's API format (what
 * "Save (API Format)" writes); the prompt, negative prompt, seed, steps, guidance and size are put
 * into it by following the graph from its {@code KSampler}: the text encoders wired to the
 * sampler's positive and negative inputs, and the latent image wired to its latent input. Then
 * {@code POST /prompt}, poll {@code GET /history/{id}}, fetch the first output with {@code GET /view}.
 */
public final class ComfyUiBackend implements ImageBackend {

  private static final Duration POLL = Duration.ofMillis(250);

  private final ServerEndpoint endpoint;
  private final ObjectNode workflow;
  private final String sampler;
  private final Http http;

  /** @throws IllegalArgumentException if the workflow has no sampler wired to text encoders */
  public ComfyUiBackend(ServerEndpoint endpoint, JsonNode workflow) {
    this.endpoint = endpoint;
    if (!(workflow instanceof ObjectNode w)) {
      throw new IllegalArgumentException("a ComfyUI workflow must be a JSON object in API format");
    }
    this.workflow = w.deepCopy();
    this.sampler = find(w, "KSampler");
    if (sampler == null) {
      throw new IllegalArgumentException("the ComfyUI workflow has no KSampler node; export it with \"Save (API Format)\"");
    }
    for (String input : new String[] {"positive", "negative"}) {
      String encoder = wiredTo(w, sampler, input);
      if (encoder == null || !"CLIPTextEncode".equals(w.path(encoder).path("class_type").asText())) {
        throw new IllegalArgumentException("the ComfyUI workflow's KSampler " + input
            + " input must come from a CLIPTextEncode node");
      }
    }
    this.http = new Http(endpoint, "The ComfyUI server");
  }

  @Override
  public String describe() {
    return "comfyui " + endpoint;
  }

  /** The workflow with this request's values put in; public for tests and for operators checking their workflow. */
  public ObjectNode workflowFor(Request request) {
    ObjectNode w = workflow.deepCopy();
    ObjectNode s = (ObjectNode) w.get(sampler).get("inputs");
    ((ObjectNode) w.get(wiredTo(w, sampler, "positive")).get("inputs")).put("text", request.prompt());
    ((ObjectNode) w.get(wiredTo(w, sampler, "negative")).get("inputs"))
        .put("text", request.negativePrompt() == null ? "" : request.negativePrompt());
    s.put("seed", request.seed() == null ? Math.floorMod(UUID.randomUUID().getMostSignificantBits(), 1L << 48) : request.seed());
    s.put("steps", request.steps());
    s.put("cfg", request.cfgScale());
    String latent = wiredTo(w, sampler, "latent_image");
    if (latent != null && w.path(latent).path("inputs").isObject()) {
      ObjectNode l = (ObjectNode) w.get(latent).get("inputs");
      if (l.has("width")) {
        l.put("width", request.width());
        l.put("height", request.height());
      }
    }
    return w;
  }

  @Override
  public Image generate(Request request, DoubleConsumer onProgress, Cancellation cancellation) throws BackendException {
    String clientId = UUID.randomUUID().toString();
    JsonNode queued = http.postJson("/prompt", Map.of("prompt", workflowFor(request), "client_id", clientId), cancellation);
    String promptId = queued.path("prompt_id").asText("");
    if (promptId.isEmpty()) {
      throw new BackendException(BackendException.Kind.MALFORMED, http.name() + " did not return a prompt_id; " + Http.SEE_LOG,
          http.where() + " did not return a prompt_id: " + http.redact(Http.preview(queued.toString().getBytes(StandardCharsets.UTF_8))));
    }
    cancellation.onCancel(() -> forget(promptId));
    onProgress.accept(0.0);
    long deadline = System.nanoTime() + endpoint.responseTimeout().toNanos();
    JsonNode entry;
    while (true) {
      entry = http.getJson("/history/" + encode(promptId), cancellation).path(promptId);
      JsonNode status = entry.path("status");
      if (entry.isObject() && (status.path("completed").asBoolean(false) || "error".equals(status.path("status_str").asText()))) {
        break;
      }
      if (System.nanoTime() > deadline) {
        forget(promptId);
        String what = " did not finish the image within " + endpoint.responseTimeout().toSeconds()
            + " s; it was taken off the queue.";
        throw new BackendException(BackendException.Kind.TIMEOUT, http.name() + what, http.where() + what);
      }
      sleep(cancellation);
    }
    if ("error".equals(entry.path("status").path("status_str").asText())) {
      throw new BackendException(BackendException.Kind.REFUSED, http.name() + " failed to run the workflow; " + Http.SEE_LOG,
          http.where() + " failed to run the workflow: " + http.redact(executionError(entry.path("status").path("messages"))));
    }
    JsonNode image = firstImage(entry.path("outputs"));
    if (image == null) {
      String what = " finished without an image in its outputs.";
      throw new BackendException(BackendException.Kind.MALFORMED, http.name() + what, http.where() + what);
    }
    String query = "/view?filename=" + encode(image.path("filename").asText()) + "&subfolder="
        + encode(image.path("subfolder").asText("")) + "&type=" + encode(image.path("type").asText("output"));
    Image result = Images.check(http.getBytes(query, Images.MAX_IMAGE_BYTES, cancellation), http.name());
    onProgress.accept(1.0);
    return result;
  }

  private static JsonNode firstImage(JsonNode outputs) {
    for (Iterator<JsonNode> it = outputs.elements(); it.hasNext(); ) {
      JsonNode images = it.next().path("images");
      if (images.isArray() && !images.isEmpty() && images.get(0).hasNonNull("filename")) {
        return images.get(0);
      }
    }
    return null;
  }

  private static String executionError(JsonNode messages) {
    for (JsonNode m : messages) {
      if ("execution_error".equals(m.path(0).asText())) {
        JsonNode d = m.path(1);
        return d.path("exception_message").asText("unknown error").strip() + " (in " + d.path("node_type").asText("a node") + ")";
      }
    }
    return "no reason given";
  }

  /** Takes the prompt off the queue, or interrupts it if it is running. Best effort. */
  private void forget(String promptId) {
    Cancellation none = new Cancellation();
    try {
      http.postJson("/queue", Map.of("delete", java.util.List.of(promptId)), none);
      http.postJson("/interrupt", Map.of(), none);
    } catch (BackendException ignored) {
      // the job ends on our side either way
    }
  }

  private void sleep(Cancellation cancellation) throws BackendException {
    try {
      Thread.sleep(POLL);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendException(BackendException.Kind.CANCELLED, "Interrupted while waiting for " + http.name() + ".");
    }
    cancellation.check();
  }

  private static String find(JsonNode w, String classType) {
    for (Map.Entry<String, JsonNode> e : w.properties()) {
      if (classType.equals(e.getValue().path("class_type").asText())) {
        return e.getKey();
      }
    }
    return null;
  }

  /** The node feeding {@code node}'s {@code input} (links are written [node id, output index]). */
  private static String wiredTo(JsonNode w, String node, String input) {
    JsonNode link = w.path(node).path("inputs").path(input);
    return link.isArray() && link.size() == 2 && w.has(link.get(0).asText()) ? link.get(0).asText() : null;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
