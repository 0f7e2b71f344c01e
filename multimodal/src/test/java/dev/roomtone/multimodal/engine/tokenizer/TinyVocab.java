package dev.roomtone.multimodal.engine.tokenizer;

import dev.roomtone.multimodal.engine.gguf.GgufValue;
import dev.roomtone.multimodal.engine.gguf.GgufValueType;
import dev.roomtone.multimodal.engine.gguf.GgufWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Small but real vocabularies for test models, learned from a screenplay snippet: a
 * SentencePiece-style one with byte fallback and a byte-level BPE one with trained merges.
 * Accented letters and emoji are deliberately left out so byte fallback is exercised.
 */
public final class TinyVocab {
  public static final String CORPUS = """
      INT. WRITERS' ROOM - NIGHT

      The room is a mess of index cards and cold coffee. MAYA (40s), the showrunner, paces.

      MAYA
      We need the second act to turn. What does she want, and what is she afraid of?

      THEO
      (not looking up)
      She wants the money. She's afraid of her brother.

      MAYA
      Then put him in the room. Cut to the hallway. 1999, the night of the fire.

      CUT TO:
      """;

  public static final String CHAT_TEMPLATE_CHATML = "{% for message in messages %}"
      + "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
      + "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

  private TinyVocab() {}

  /** Number of tokens {@link #spm} writes. */
  public static int spmSize() {
    return spmTokens().size();
  }

  private static Map<String, Float> spmTokens() {
    Map<String, Float> pieces = new LinkedHashMap<>();
    pieces.put("<unk>", 0f);
    pieces.put("<s>", 0f);
    pieces.put("</s>", 0f);
    for (int b = 0; b < 256; b++) {
      pieces.put(String.format("<0x%02X>", b), 0f);
    }
    pieces.put("<|im_start|>", 0f);
    pieces.put("<|im_end|>", 0f);
    Map<String, Integer> freq = new HashMap<>();
    String text = "\u2581" + CORPUS.replace(" ", "\u2581").replace("\n", "\u2581");
    for (String word : text.split("(?=\u2581)")) {
      for (int len = 1; len <= Math.min(6, word.length()); len++) {
        for (int i = 0; i + len <= word.length(); i++) {
          freq.merge(word.substring(i, i + len), 1, Integer::sum);
        }
      }
    }
    List<Map.Entry<String, Integer>> sorted = new ArrayList<>(freq.entrySet());
    // frequent and long first; ties broken by text so the vocabulary is deterministic
    sorted.sort((a, b) -> a.getValue() * a.getKey().length() != b.getValue() * b.getKey().length()
        ? b.getValue() * b.getKey().length() - a.getValue() * a.getKey().length()
        : a.getKey().compareTo(b.getKey()));
    int rank = 0;
    for (Map.Entry<String, Integer> e : sorted) {
      if (e.getKey().length() == 1 || (e.getValue() > 1 && rank < 300)) {
        pieces.putIfAbsent(e.getKey(), -1f - rank * 0.01f);
        rank++;
      }
    }
    return pieces;
  }

  public static Consumer<GgufWriter> spm() {
    return w -> {
      Map<String, Float> pieces = spmTokens();
      String[] tokens = pieces.keySet().toArray(String[]::new);
      float[] scores = new float[tokens.length];
      long[] types = new long[tokens.length];
      for (int i = 0; i < tokens.length; i++) {
        scores[i] = pieces.get(tokens[i]);
        types[i] = i == 0 ? 2 : i < 3 ? 3 : i < 259 ? 6 : i < 261 ? 3 : 1;
      }
      w.put("tokenizer.ggml.model", GgufValue.string("llama"))
          .put("tokenizer.ggml.tokens", GgufValue.strings(tokens))
          .put("tokenizer.ggml.scores", GgufValue.floats(scores))
          .put("tokenizer.ggml.token_type", GgufValue.ints(GgufValueType.INT32, types))
          .put("tokenizer.ggml.bos_token_id", GgufValue.u32(1))
          .put("tokenizer.ggml.eos_token_id", GgufValue.u32(2))
          .put("tokenizer.ggml.unknown_token_id", GgufValue.u32(0))
          .put("tokenizer.ggml.add_bos_token", GgufValue.bool(true))
          .put("tokenizer.chat_template", GgufValue.string(CHAT_TEMPLATE_CHATML));
    };
  }

  private static final List<String> BPE_SPECIALS =
      List.of("<|endoftext|>", "<|im_start|>", "<|im_end|>");

  public static int bpeSize(String pre) {
    return bpeTokens(pre).tokens.size();
  }

  private record Bpe(List<String> tokens, List<String> merges) {}

  private static Bpe bpeTokens(String pre) {
    List<String> tokens = new ArrayList<>();
    for (int b = 0; b < 256; b++) {
      tokens.add(String.valueOf(BpeTokenizer.charForByte(b)));
    }
    // learn merges the textbook way: repeatedly join the most frequent adjacent pair
    List<List<String>> words = new ArrayList<>();
    for (String w : PreTokenizer.forName(pre).split(CORPUS)) {
      List<String> syms = new ArrayList<>();
      for (char c : BpeTokenizer.byteEncode(w).toCharArray()) {
        syms.add(String.valueOf(c));
      }
      words.add(syms);
    }
    List<String> merges = new ArrayList<>();
    for (int round = 0; round < 150; round++) {
      Map<String, Integer> counts = new HashMap<>();
      for (List<String> w : words) {
        for (int i = 0; i + 1 < w.size(); i++) {
          counts.merge(w.get(i) + " " + w.get(i + 1), 1, Integer::sum);
        }
      }
      String best = counts.entrySet().stream()
          .max((a, b) -> a.getValue().equals(b.getValue()) ? b.getKey().compareTo(a.getKey())
              : a.getValue() - b.getValue())
          .map(Map.Entry::getKey).orElse(null);
      if (best == null || counts.get(best) < 2) {
        break;
      }
      merges.add(best);
      String[] lr = best.split(" ");
      if (!tokens.contains(lr[0] + lr[1])) {
        tokens.add(lr[0] + lr[1]);
      }
      for (List<String> w : words) {
        for (int i = 0; i + 1 < w.size(); i++) {
          if (w.get(i).equals(lr[0]) && w.get(i + 1).equals(lr[1])) {
            w.set(i, lr[0] + lr[1]);
            w.remove(i + 1);
          }
        }
      }
    }
    tokens.addAll(BPE_SPECIALS);
    return new Bpe(tokens, merges);
  }

  public static Consumer<GgufWriter> bpe(String pre) {
    return w -> {
      Bpe bpe = bpeTokens(pre);
      String[] tokens = bpe.tokens.toArray(String[]::new);
      long[] types = new long[tokens.length];
      for (int i = 0; i < tokens.length; i++) {
        types[i] = BPE_SPECIALS.contains(tokens[i]) ? 3 : 1;
      }
      int eos = bpe.tokens.indexOf("<|endoftext|>");
      w.put("tokenizer.ggml.model", GgufValue.string("gpt2"))
          .put("tokenizer.ggml.pre", GgufValue.string(pre))
          .put("tokenizer.ggml.tokens", GgufValue.strings(tokens))
          .put("tokenizer.ggml.token_type", GgufValue.ints(GgufValueType.INT32, types))
          .put("tokenizer.ggml.merges", GgufValue.strings(bpe.merges.toArray(String[]::new)))
          .put("tokenizer.ggml.bos_token_id", GgufValue.u32(eos))
          .put("tokenizer.ggml.eos_token_id", GgufValue.u32(eos))
          .put("tokenizer.ggml.add_bos_token", GgufValue.bool(false))
          .put("tokenizer.chat_template", GgufValue.string(CHAT_TEMPLATE_CHATML));
    };
  }
}
