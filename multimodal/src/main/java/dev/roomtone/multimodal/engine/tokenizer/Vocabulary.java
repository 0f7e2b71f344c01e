package dev.roomtone.multimodal.engine.tokenizer;

import dev.roomtone.multimodal.engine.gguf.GgufException;
import dev.roomtone.multimodal.engine.gguf.GgufFile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The token table of a model as GGUF stores it: texts, scores, types and the special ids. */
public record Vocabulary(
    String[] tokens,
    float[] scores,
    int[] types,
    Map<String, Integer> ids,
    int bos,
    int eos,
    int unknown,
    int[] endOfGeneration) {

  public static final int NORMAL = 1;
  public static final int UNKNOWN = 2;
  public static final int CONTROL = 3;
  public static final int USER_DEFINED = 4;
  public static final int UNUSED = 5;
  public static final int BYTE = 6;

  public static Vocabulary of(GgufFile f) {
    String[] tokens = f.strings("tokenizer.ggml.tokens");
    int n = tokens.length;
    float[] scores = new float[n];
    if (f.has("tokenizer.ggml.scores")) {
      Object s = f.array("tokenizer.ggml.scores").elements();
      if (!(s instanceof float[] fs) || fs.length != n) {
        throw new GgufException(f.path().getFileName()
            + ": tokenizer.ggml.scores must be " + n + " FLOAT32 values");
      }
      scores = fs;
    }
    int[] types = new int[n];
    Arrays.fill(types, NORMAL);
    if (f.has("tokenizer.ggml.token_type")) {
      Object t = f.array("tokenizer.ggml.token_type").elements();
      if (!(t instanceof long[] ls) || ls.length != n) {
        throw new GgufException(f.path().getFileName()
            + ": tokenizer.ggml.token_type must be " + n + " integers");
      }
      for (int i = 0; i < n; i++) {
        types[i] = (int) ls[i];
      }
    }
    Map<String, Integer> ids = new HashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      ids.putIfAbsent(tokens[i], i);
    }
    int bos = id(f, "tokenizer.ggml.bos_token_id", n);
    int eos = id(f, "tokenizer.ggml.eos_token_id", n);
    int unk = id(f, "tokenizer.ggml.unknown_token_id", n);
    List<Integer> eog = new ArrayList<>();
    if (eos >= 0) {
      eog.add(eos);
    }
    int eot = id(f, "tokenizer.ggml.eot_token_id", n);
    if (eot >= 0 && !eog.contains(eot)) {
      eog.add(eot);
    }
    // chat models end a turn with one of these, whatever their eos says
    for (String s : List.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<|endoftext|>", "<end_of_turn>",
        "<|end_of_text|>")) {
      Integer i = ids.get(s);
      if (i != null && types[i] == CONTROL && !eog.contains(i)) {
        eog.add(i);
      }
    }
    return new Vocabulary(tokens, scores, types, ids, bos, eos, unk,
        eog.stream().mapToInt(Integer::intValue).toArray());
  }

  private static int id(GgufFile f, String key, int n) {
    if (!f.has(key)) {
      return -1;
    }
    long v = f.integer(key);
    if (v < 0 || v >= n) {
      throw new GgufException(f.path().getFileName() + ": " + key + " = " + v
          + " is outside the vocabulary of " + n + " tokens");
    }
    return (int) v;
  }

  public int size() {
    return tokens.length;
  }

  public boolean isSpecial(int id) {
    return types[id] == CONTROL || types[id] == USER_DEFINED;
  }

  public boolean isEndOfGeneration(int id) {
    for (int e : endOfGeneration) {
      if (e == id) {
        return true;
      }
    }
    return false;
  }

  /** Special tokens that may appear literally in a prompt, longest first. */
  List<String> specialTexts() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < tokens.length; i++) {
      if (isSpecial(i) && !tokens[i].isEmpty()) {
        out.add(tokens[i]);
      }
    }
    out.sort((a, b) -> b.length() - a.length());
    return out;
  }
}
