package dev.roomtone.multimodal.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ComfyUI, AUTOMATIC1111 and OpenAI-compatible image servers, each played by a loopback server. */
class ImageBackendsTest {

  /** A text-to-image workflow in ComfyUI's API format, as "Save (API Format)" writes it. */
  static final String WORKFLOW = """
      {
        "3": {"class_type": "KSampler", "inputs": {"seed": 1, "steps": 20, "cfg": 8, "sampler_name": "euler",
              "scheduler": "normal", "denoise": 1, "model": ["4", 0], "positive": ["6", 0], "negative": ["7", 0],
              "latent_image": ["5", 0]}},
        "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "sd_xl_base_1.0.safetensors"}},
        "5": {"class_type": "EmptyLatentImage", "inputs": {"width": 512, "height": 512, "batch_size": 1}},
        "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "PLACEHOLDER", "clip": ["4", 1]}},
        "7": {"class_type": "CLIPTextEncode", "inputs": {"text": "", "clip": ["4", 1]}},
        "8": {"class_type": "VAEDecode", "inputs": {"samples": ["3", 0], "vae": ["4", 2]}},
        "9": {"class_type": "SaveImage", "inputs": {"filename_prefix": "roomtone", "images": ["8", 0]}}
      }""";

  private static final ImageBackend.Request FRAME = new ImageBackend.Request(
      "storyboard frame, a diner at night, rain on the window, wide shot", "text, watermark", 768, 432, 12, 6.5, 7L);

  private StandInServer server;

  @BeforeEach
  void start() throws Exception {
    server = new StandInServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private ServerEndpoint endpoint() {
    return ServerEndpoint.at(server.base()).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(3));
  }

  private static JsonNode workflow() throws Exception {
    return Http.JSON.readTree(WORKFLOW);
  }

  @Test
  void comfyUiRunsTheWorkflowWithThePromptPutIn() throws Exception {
    AtomicInteger polls = new AtomicInteger();
    server.on("/prompt", (e, body) -> StandInServer.json(e, 200, "{\"prompt_id\":\"p-1\",\"number\":3,\"node_errors\":{}}"))
        .on("/history/p-1", (e, body) -> StandInServer.json(e, 200, polls.incrementAndGet() < 3 ? "{}" : """
            {"p-1": {"outputs": {"9": {"images": [{"filename": "roomtone_00001_.png", "subfolder": "", "type": "output"}]}},
                     "status": {"status_str": "success", "completed": true, "messages": []}}}"""))
        .on("/view", (e, body) -> StandInServer.bytes(e, 200, "image/png", StandInServer.PNG));

    ImageBackend.Image image = new ComfyUiBackend(endpoint().withApiKey("sk-comfy-1"), workflow())
        .generate(FRAME, p -> { }, new Cancellation());
    assertArrayEquals(StandInServer.PNG, image.bytes());
    assertEquals("image/png", image.mediaType());
    assertTrue(polls.get() >= 3);
    // the key goes with every request, the GETs that poll and fetch the image as well as the POST
    assertEquals(java.util.Set.of("POST Bearer sk-comfy-1", "GET Bearer sk-comfy-1"), server.received.stream()
        .map(r -> r.method() + " " + r.authorization()).collect(java.util.stream.Collectors.toSet()));
    assertEquals("/view?filename=roomtone_00001_.png&subfolder=&type=output", server.last("/view").pathAndQuery());

    JsonNode sent = Http.JSON.readTree(server.last("/prompt").body()).get("prompt");
    assertEquals(FRAME.prompt(), sent.get("6").get("inputs").get("text").asText());
    assertEquals("text, watermark", sent.get("7").get("inputs").get("text").asText());
    assertEquals(7, sent.get("3").get("inputs").get("seed").asLong());
    assertEquals(12, sent.get("3").get("inputs").get("steps").asInt());
    assertEquals(768, sent.get("5").get("inputs").get("width").asInt());
    assertEquals(432, sent.get("5").get("inputs").get("height").asInt());
    assertEquals("sd_xl_base_1.0.safetensors", sent.get("4").get("inputs").get("ckpt_name").asText(), "the rest is untouched");
  }

  @Test
  void comfyUiRefusalsAndFailuresAreReadable() throws Exception {
    server.on("/prompt", (e, body) -> StandInServer.json(e, 400, """
        {"error": {"type": "prompt_outputs_failed_validation", "message": "Prompt outputs failed validation",
                   "details": "Value not in list: ckpt_name", "extra_info": {}}, "node_errors": {}}"""));
    BackendException refused = assertThrows(BackendException.class,
        () -> new ComfyUiBackend(endpoint(), workflow()).generate(FRAME, p -> { }, new Cancellation()));
    assertEquals(BackendException.Kind.REFUSED, refused.kind());
    assertTrue(refused.detail().contains("Prompt outputs failed validation (Value not in list: ckpt_name)"), refused.detail());
    assertTrue(!refused.getMessage().contains("ckpt_name") && refused.getMessage().contains("HTTP 400"), refused.getMessage());
  }

  @Test
  void comfyUiExecutionErrorsAndEmptyOutputsFailTheJob() throws Exception {
    server.on("/prompt", (e, body) -> StandInServer.json(e, 200, "{\"prompt_id\":\"p-2\",\"number\":1,\"node_errors\":{}}"))
        .on("/history/p-2", (e, body) -> StandInServer.json(e, 200, """
            {"p-2": {"outputs": {}, "status": {"status_str": "error", "completed": false, "messages": [
              ["execution_start", {"prompt_id": "p-2"}],
              ["execution_error", {"prompt_id": "p-2", "node_type": "KSampler", "exception_message": "CUDA out of memory\\n"}]]}}}"""));
    BackendException e = assertThrows(BackendException.class,
        () -> new ComfyUiBackend(endpoint(), workflow()).generate(FRAME, p -> { }, new Cancellation()));
    assertEquals(BackendException.Kind.REFUSED, e.kind());
    assertTrue(e.detail().contains("CUDA out of memory (in KSampler)"), e.detail());
    assertTrue(e.getMessage().contains("failed to run the workflow") && !e.getMessage().contains("CUDA"), e.getMessage());
  }

  @Test
  void comfyUiThatNeverFinishesTimesOutAndIsTakenOffTheQueue() throws Exception {
    server.on("/prompt", (e, body) -> StandInServer.json(e, 200, "{\"prompt_id\":\"p-3\",\"number\":1,\"node_errors\":{}}"))
        .on("/history/p-3", (e, body) -> StandInServer.json(e, 200, "{}"))
        .on("/queue", (e, body) -> StandInServer.json(e, 200, "{}"))
        .on("/interrupt", (e, body) -> StandInServer.json(e, 200, "{}"));
    BackendException e = assertThrows(BackendException.class,
        () -> new ComfyUiBackend(endpoint(), workflow()).generate(FRAME, p -> { }, new Cancellation()));
    assertEquals(BackendException.Kind.TIMEOUT, e.kind());
    assertTrue(server.last("/queue").body().contains("p-3"), "the prompt was deleted from the queue");
  }

  @Test
  void comfyUiViewThatIsNotAnImageIsRefused() throws Exception {
    server.on("/prompt", (e, body) -> StandInServer.json(e, 200, "{\"prompt_id\":\"p-4\"}"))
        .on("/history/p-4", (e, body) -> StandInServer.json(e, 200, """
            {"p-4": {"outputs": {"9": {"images": [{"filename": "x.png", "subfolder": "", "type": "output"}]}},
                     "status": {"status_str": "success", "completed": true, "messages": []}}}"""))
        .on("/view", (e, body) -> StandInServer.bytes(e, 200, "text/html", "<html>login</html>".getBytes()));
    BackendException e = assertThrows(BackendException.class,
        () -> new ComfyUiBackend(endpoint(), workflow()).generate(FRAME, p -> { }, new Cancellation()));
    assertEquals(BackendException.Kind.MALFORMED, e.kind());
    assertTrue(e.getMessage().contains("not a PNG, JPEG or WebP"), e.getMessage());
  }

  @Test
  void aWorkflowWithoutASamplerIsRefusedWhenConfigured() throws Exception {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ComfyUiBackend(endpoint(), Http.JSON.readTree("{\"1\":{\"class_type\":\"SaveImage\",\"inputs\":{}}}")));
    assertTrue(e.getMessage().contains("no KSampler"), e.getMessage());
  }

  @Test
  void automatic1111Txt2img() throws Exception {
    server.on("/sdapi/v1/txt2img", (e, body) -> StandInServer.json(e, 200,
        "{\"images\":[\"" + Base64.getEncoder().encodeToString(StandInServer.PNG) + "\"],\"parameters\":{},\"info\":\"{}\"}"));
    ImageBackend.Image image = new Automatic1111Backend(endpoint()).generate(FRAME, p -> { }, new Cancellation());
    assertArrayEquals(StandInServer.PNG, image.bytes());
    JsonNode sent = Http.JSON.readTree(server.last("/sdapi/v1/txt2img").body());
    assertEquals(FRAME.prompt(), sent.get("prompt").asText());
    assertEquals("text, watermark", sent.get("negative_prompt").asText());
    assertEquals(768, sent.get("width").asInt());
    assertEquals(6.5, sent.get("cfg_scale").asDouble());
    assertEquals(7, sent.get("seed").asLong());
  }

  @Test
  void automatic1111ErrorsAndBadImagesAreReadable() throws Exception {
    server.on("/sdapi/v1/txt2img", (e, body) -> StandInServer.json(e, 500,
        "{\"error\":\"OutOfMemoryError\",\"detail\":\"\",\"body\":\"\",\"errors\":\"CUDA out of memory.\"}"));
    BackendException refused = assertThrows(BackendException.class,
        () -> new Automatic1111Backend(endpoint()).generate(FRAME, p -> { }, new Cancellation()));
    assertTrue(refused.getMessage().contains("HTTP 500") && refused.detail().contains("OutOfMemoryError"), refused.detail());

    server.on("/bad/sdapi/v1/txt2img", (e, body) -> StandInServer.json(e, 200, "{\"images\":[\"%%%not base64%%%\"]}"));
    BackendException bad = assertThrows(BackendException.class, () -> new Automatic1111Backend(
        ServerEndpoint.at(server.base() + "/bad")).generate(FRAME, p -> { }, new Cancellation()));
    assertEquals(BackendException.Kind.MALFORMED, bad.kind());
    assertTrue(bad.getMessage().contains("not valid base64"), bad.getMessage());

    server.on("/empty/sdapi/v1/txt2img", (e, body) -> StandInServer.json(e, 200, "{\"images\":[]}"));
    BackendException empty = assertThrows(BackendException.class, () -> new Automatic1111Backend(
        ServerEndpoint.at(server.base() + "/empty")).generate(FRAME, p -> { }, new Cancellation()));
    assertTrue(empty.getMessage().contains("without images"), empty.getMessage());
  }

  @Test
  void openAiImagesGenerations() throws Exception {
    server.on("/v1/images/generations", (e, body) -> StandInServer.json(e, 200,
        "{\"created\":1,\"data\":[{\"b64_json\":\"" + Base64.getEncoder().encodeToString(StandInServer.PNG) + "\"}]}"));
    ImageBackend.Image image = new OpenAiImageBackend(endpoint(), "flux-schnell").generate(FRAME, p -> { }, new Cancellation());
    assertArrayEquals(StandInServer.PNG, image.bytes());
    JsonNode sent = Http.JSON.readTree(server.last("/v1/images/generations").body());
    assertEquals("768x432", sent.get("size").asText());
    assertEquals("b64_json", sent.get("response_format").asText());
    assertEquals("flux-schnell", sent.get("model").asText());

    server.on("/html/v1/images/generations", (e, body) -> StandInServer.bytes(e, 200, "text/html", "<h1>502 Bad Gateway</h1>".getBytes()));
    BackendException notJson = assertThrows(BackendException.class, () -> new OpenAiImageBackend(
        ServerEndpoint.at(server.base() + "/html"), "flux-schnell").generate(FRAME, p -> { }, new Cancellation()));
    assertEquals(BackendException.Kind.MALFORMED, notJson.kind());
    assertTrue(notJson.getMessage().contains("not JSON") && notJson.detail().contains("502 Bad Gateway"), notJson.detail());
  }

  @Test
  void aServerThatNeverAnswersTimesOut() {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    server.on("/sdapi/v1/txt2img", (e, body) -> {
      try {
        release.await(20, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException ignored) {
        Thread.currentThread().interrupt();
      }
    });
    try {
      BackendException e = assertThrows(BackendException.class,
          () -> new Automatic1111Backend(endpoint()).generate(FRAME, p -> { }, new Cancellation()));
      assertEquals(BackendException.Kind.TIMEOUT, e.kind());
      assertTrue(e.getMessage().contains("did not answer"), e.getMessage());
    } finally {
      release.countDown();
    }
  }
}
