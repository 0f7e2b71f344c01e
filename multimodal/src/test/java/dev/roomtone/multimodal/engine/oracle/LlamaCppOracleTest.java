package dev.roomtone.multimodal.engine.oracle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.roomtone.multimodal.engine.compute.CpuBackend;
import dev.roomtone.multimodal.engine.gguf.GgmlType;
import dev.roomtone.multimodal.engine.gguf.GgufFile;
import dev.roomtone.multimodal.engine.gguf.GgufWriter;
import dev.roomtone.multimodal.engine.model.InferenceSession;
import dev.roomtone.multimodal.engine.model.LlamaModel;
import dev.roomtone.multimodal.engine.model.TinyModels;
import dev.roomtone.multimodal.engine.tensor.ActivationRounding;
import dev.roomtone.multimodal.engine.tensor.CpuKernels;
import dev.roomtone.multimodal.engine.tensor.Kernels;
import dev.roomtone.multimodal.engine.tokenizer.TinyVocab;
import dev.roomtone.multimodal.engine.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The engine against llama.cpp on the same tiny GGUF files: token ids and greedy continuations. */
class LlamaCppOracleTest {
  private static final long SEED = 6_006;
  private static final int GENERATE = 24;
  static final List<String> TEXTS = List.of(
      "INT. WRITERS' ROOM - NIGHT",
      "MAYA\n(beat)\nWe need the second act to turn.",
      "Café crème, naïve façade — Zoë's déjà vu.",
      "🎬 Scene 42: 🔥 the fire in 1999!!! 👩🏽‍💻",
      "  leading and trailing spaces  ",
      "tabs\tand\r\nCRLF and 中文 and Ελληνικά  \n\n  x",
      "I'm sure they'll say we've DONE it, isn't it?");

  @TempDir static Path dir;
  static LlamaCpp llama;

  @BeforeAll
  static void start() {
    llama = LlamaCpp.start();
  }

  @AfterAll
  static void stop() {
    llama.close();
  }

  static Consumer<GgufWriter> vocab(String kind) {
    return kind.equals("spm") ? TinyVocab.spm() : TinyVocab.bpe(kind);
  }

  static int vocabSize(String kind) {
    return kind.equals("spm") ? TinyVocab.spmSize() : TinyVocab.bpeSize(kind);
  }

  private static Path model(String arch, GgmlType type, String kind) throws IOException {
    return TinyModels.write(dir.resolve(arch + "-" + type + "-" + kind + ".gguf"), arch, type,
        SEED + type.ordinal(), vocabSize(kind), vocab(kind));
  }

  @ParameterizedTest
  @ValueSource(strings = {"spm", "llama-bpe", "qwen2", "smollm"})
  void tokenIdsEqualLlamaCpps(String kind) throws IOException {
    Path p = model(kind.equals("qwen2") ? "qwen2" : "llama", GgmlType.F32, kind);
    try (GgufFile f = GgufFile.open(p)) {
      Tokenizer t = Tokenizer.of(f);
      for (String text : TEXTS) {
        assertArrayEquals(llama.tokenize(p, text, false), t.encode(text, false, false),
            kind + ": " + text);
      }
      String chat = "<|im_start|>user\nWrite the cold open.<|im_end|>\n<|im_start|>assistant\n";
      assertArrayEquals(llama.tokenize(p, chat, true), t.encode(chat, false, true), kind + " chat");
    }
  }

  static Stream<Arguments> everyTypeAndArchitecture() {
    return Stream.of("llama", "qwen2").flatMap(arch ->
        Stream.of(GgmlType.values()).map(t -> Arguments.of(arch, t)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("everyTypeAndArchitecture")
  void greedyTokensAgreeWithLlamaCpp(String arch, GgmlType type) throws IOException {
    System.out.println("seed " + (SEED + type.ordinal()) + " " + arch + " " + type);
    String kind = arch.equals("qwen2") ? "qwen2" : "spm";
    Path p = model(arch, type, kind);
    int[] prompt;
    try (GgufFile f = GgufFile.open(p)) {
      prompt = Tokenizer.of(f).encode("INT. WRITERS' ROOM - NIGHT\nMAYA", true, false);
    }
    int[] theirs = llama.greedy(p, prompt, GENERATE);
    System.out.println("llama.cpp " + Arrays.toString(theirs));
    // both kernel sets: the Vector API ones and the scalar fallback
    for (Kernels kernels : List.of(CpuKernels.best(), CpuKernels.scalar())) {
      String what = arch + " " + type + " (" + kernels.name() + ")";
      int[] ours = greedy(p, kernels, prompt);
      System.out.println("engine    " + Arrays.toString(ours) + " " + kernels.name());
      int split = 0;
      while (split < Math.min(ours.length, theirs.length) && ours[split] == theirs[split]) {
        split++;
      }
      String margin = "";
      if (split < Math.min(ours.length, theirs.length)) {
        // replay llama.cpp's tokens: how close were the two candidates in the engine's logits?
        try (LlamaModel m = LlamaModel.open(p); CpuBackend cpu = new CpuBackend(2, kernels)) {
          int[] forced = Arrays.copyOf(prompt, prompt.length + split);
          System.arraycopy(theirs, 0, forced, prompt.length, split);
          float[] l = new InferenceSession(m, cpu, 128, ActivationRounding.LLAMA_CPP)
              .forward(forced);
          margin = String.format("; at token %d the engine's logits were %.5f (its pick) vs %.5f"
              + " (llama.cpp's)", split, l[ours[split]], l[theirs[split]]);
        }
      }
      System.out.println(what + ": " + split + " tokens agree" + margin);
      boolean exact = type == GgmlType.F32 || type == GgmlType.F16 || type == GgmlType.Q8_0
          || type == GgmlType.BF16;
      if (exact) {
        assertArrayEquals(theirs, ours, what + margin);
      } else {
        // 4-bit types: the first 16 tokens (all of them, if either run ends sooner) must agree
        int n = Math.min(16, Math.max(ours.length, theirs.length));
        assertArrayEquals(Arrays.copyOf(theirs, Math.min(n, theirs.length)),
            Arrays.copyOf(ours, Math.min(n, ours.length)), what + margin);
      }
    }
  }

  /** The engine's greedy continuation, without the end-of-generation token llama.cpp leaves out. */
  private static int[] greedy(Path p, Kernels kernels, int[] prompt) throws IOException {
    try (LlamaModel m = LlamaModel.open(p); CpuBackend cpu = new CpuBackend(2, kernels)) {
      Tokenizer t = Tokenizer.of(m.file());
      InferenceSession s = new InferenceSession(m, cpu, 128, ActivationRounding.LLAMA_CPP);
      int[] ours = new int[GENERATE];
      float[] logits = s.forward(prompt);
      int n = 0;
      while (n < GENERATE) {
        int next = argmax(logits);
        ours[n++] = next;
        if (t.vocabulary().isEndOfGeneration(next)) {
          break;
        }
        logits = s.forward(next);
      }
      // llama.cpp's generator ends at an end-of-generation token without yielding it
      if (n > 0 && t.vocabulary().isEndOfGeneration(ours[n - 1])) {
        n--;
      }
      return Arrays.copyOf(ours, n);
    }
  }

  static int argmax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }
}
