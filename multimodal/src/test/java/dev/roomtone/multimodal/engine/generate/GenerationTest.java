package dev.roomtone.multimodal.engine.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roomtone.multimodal.engine.compute.CpuBackend;
import dev.roomtone.multimodal.engine.gguf.GgmlType;
import dev.roomtone.multimodal.engine.model.InferenceSession;
import dev.roomtone.multimodal.engine.model.LlamaModel;
import dev.roomtone.multimodal.engine.model.TinyModels;
import dev.roomtone.multimodal.engine.tokenizer.TinyVocab;
import dev.roomtone.multimodal.engine.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerationTest {
  private static final long SEED = 6_060;
  @TempDir Path dir;

  @Test
  void greedyIsArgmaxAndThePenaltyDemotesRepeats() {
    float[] logits = {1f, 3f, 2f, -1f};
    assertEquals(1, new Sampler(SamplingParams.greedy(1)).sample(logits, new int[0], 0));
    SamplingParams penalised = new SamplingParams(0, 0, 1, 0, 2f, 64, 0, 1, List.of());
    // token 1 was just said: 3/2 = 1.5 < 2, so token 2 wins
    assertEquals(2, new Sampler(penalised).sample(logits, new int[] {1}, 1));
    // a negative logit is pushed further down, not up
    assertEquals(0, new Sampler(penalised).sample(new float[] {-1f, -0.6f}, new int[] {1}, 1));
  }

  @Test
  void filtersLeaveOnlyWhatTheyShould() {
    System.out.println("seed " + SEED);
    float[] logits = {5f, 4.9f, 0f, -2f, 1f};
    for (int i = 0; i < 200; i++) {
      SamplingParams topK1 = new SamplingParams(1.5f, 1, 1, 0, 1, 64, SEED + i, 1, List.of());
      assertEquals(0, new Sampler(topK1).sample(logits, new int[0], 0));
      SamplingParams minP = new SamplingParams(1f, 0, 1, 0.5f, 1, 64, SEED + i, 1, List.of());
      int t = new Sampler(minP).sample(logits, new int[0], 0);
      assertTrue(t == 0 || t == 1, "min-p 0.5 keeps tokens within half the top probability");
      SamplingParams topP = new SamplingParams(1f, 0, 0.4f, 0, 1, 64, SEED + i, 1, List.of());
      assertEquals(0, new Sampler(topP).sample(logits, new int[0], 0), "top-p 0.4 keeps one");
    }
  }

  @Test
  void samplingFollowsTheSoftmaxAndTheSeed() {
    System.out.println("seed " + SEED);
    float[] logits = {0f, (float) Math.log(3)}; // p = 1/4, 3/4
    int ones = 0;
    for (int i = 0; i < 4000; i++) {
      ones += new Sampler(new SamplingParams(1f, 0, 1, 0, 1, 64, SEED + i, 1, List.of()))
          .sample(logits, new int[0], 0);
    }
    assertTrue(Math.abs(ones / 4000.0 - 0.75) < 0.03, "observed " + ones / 4000.0);
    SamplingParams p = SamplingParams.creative(SEED, 1);
    float[] many = new float[50];
    for (int i = 0; i < many.length; i++) {
      many[i] = (float) Math.sin(i);
    }
    assertEquals(new Sampler(p).sample(many, new int[0], 0), new Sampler(p).sample(many, new int[0], 0));
    assertThrows(IllegalArgumentException.class,
        () -> new SamplingParams(-1f, 0, 1, 0, 1, 64, 0, 1, List.of()));
  }

  @Test
  void stopStringsNeverReachTheListenerEvenWhenSplit() {
    List<String> seen = new ArrayList<>();
    Generator.StopScanner s = new Generator.StopScanner(List.of("CUT TO:"), seen::add);
    assertFalse(s.accept("She leaves. CU"));
    assertFalse(s.accept("T T"));
    assertTrue(s.accept("O: the hallway"));
    assertEquals("She leaves. ", String.join("", seen));
    assertEquals("She leaves. ", s.text());
    List<String> all = new ArrayList<>();
    Generator.StopScanner t = new Generator.StopScanner(List.of("CUT TO:"), all::add);
    assertFalse(t.accept("CUT AWAY"));
    t.finish();
    assertEquals("CUT AWAY", String.join("", all), "a false start is released");
  }

  private Path model() throws IOException {
    return TinyModels.write(dir.resolve("m.gguf"), "llama", GgmlType.Q8_0, SEED,
        TinyVocab.spmSize(), TinyVocab.spm());
  }

  @Test
  void generatesStreamsAndStops() throws IOException {
    try (LlamaModel m = LlamaModel.open(model()); CpuBackend cpu = new CpuBackend(2)) {
      Tokenizer tok = Tokenizer.of(m.file());
      int[] prompt = tok.encode("INT. ROOM", true, false);
      // the plain loop, by hand
      InferenceSession manual = new InferenceSession(m, cpu, 64);
      float[] l = manual.forward(prompt);
      int[] want = new int[10];
      for (int i = 0; i < want.length; i++) {
        want[i] = Sampler.argmax(l);
        l = manual.forward(want[i]);
      }
      StringBuilder streamed = new StringBuilder();
      Completion c = new Generator(new InferenceSession(m, cpu, 64), tok)
          .generate(prompt, SamplingParams.greedy(10), streamed::append, () -> false);
      assertArrayEquals(want, c.tokens());
      assertEquals(Completion.Finish.MAX_TOKENS, c.finish());
      assertEquals(tok.decode(want), c.text());
      assertEquals(c.text(), streamed.toString());

      AtomicInteger polls = new AtomicInteger();
      Completion cancelled = new Generator(new InferenceSession(m, cpu, 64), tok)
          .generate(prompt, SamplingParams.greedy(10), x -> {}, () -> polls.incrementAndGet() > 3);
      assertEquals(Completion.Finish.CANCELLED, cancelled.finish());
      assertEquals(3, cancelled.tokens().length);

      String stop = c.text().substring(c.text().length() / 2, c.text().length() / 2 + 2);
      StringBuilder s2 = new StringBuilder();
      Completion stopped = new Generator(new InferenceSession(m, cpu, 64), tok)
          .generate(prompt, SamplingParams.greedy(10).withStop(List.of(stop)), s2::append, () -> false);
      assertEquals(Completion.Finish.STOP_STRING, stopped.finish());
      assertEquals(c.text().substring(0, c.text().indexOf(stop)), stopped.text());
      assertEquals(stopped.text(), s2.toString());

      Completion sampled = new Generator(new InferenceSession(m, cpu, 64), tok)
          .generate(prompt, SamplingParams.creative(SEED, 10), x -> {}, () -> false);
      Completion again = new Generator(new InferenceSession(m, cpu, 64), tok)
          .generate(prompt, SamplingParams.creative(SEED, 10), x -> {}, () -> false);
      assertArrayEquals(sampled.tokens(), again.tokens(), "same seed, same tokens");
      assertNotEquals(0, sampled.tokens().length);
      assertThrows(IllegalArgumentException.class, () -> new Generator(
          new InferenceSession(m, cpu, 4), tok).generate(new int[5], SamplingParams.greedy(1),
          x -> {}, () -> false));
    }
  }

  @Test
  void rendersChatTemplates() {
    ChatTemplate chatml = new ChatTemplate(TinyVocab.CHAT_TEMPLATE_CHATML, "<s>", "</s>");
    assertEquals("<|im_start|>system\nYou are a script doctor.<|im_end|>\n"
            + "<|im_start|>user\nPunch up this line.<|im_end|>\n<|im_start|>assistant\n",
        chatml.render(List.of(new ChatTemplate.Message("system", "You are a script doctor."),
            new ChatTemplate.Message("user", "Punch up this line.")), true));
    // the shape of Llama 3's template: bos, whitespace control, filters
    String llama3 = "{{- bos_token }}{%- for message in messages %}"
        + "{{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'"
        + " + message['content'] | trim + '<|eot_id|>' }}{%- endfor %}"
        + "{%- if add_generation_prompt %}{{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}"
        + "{%- endif %}";
    assertEquals("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\n",
        new ChatTemplate(llama3, "<|begin_of_text|>", "<|eot_id|>")
            .render(List.of(new ChatTemplate.Message("user", "  Hi ")), true));
  }
}
