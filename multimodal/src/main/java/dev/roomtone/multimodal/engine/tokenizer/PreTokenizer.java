package dev.roomtone.multimodal.engine.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits text into words before BPE, with the model family's expressions (applied in turn; text
 * between matches is kept as words of its own, as llama.cpp does).
 */
public record PreTokenizer(String name, List<Pattern> patterns, boolean ignoreMerges) {
  private static final String CONTRACTIONS = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])";
  private static final String GPT2 =
      "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)";
  private static final String LLAMA3 = CONTRACTIONS
      + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+"
      + "|\\s+(?!\\S)|\\s+";
  private static final String QWEN2 = CONTRACTIONS
      + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+"
      + "|\\s+(?!\\S)|\\s+";

  private static Pattern p(String regex) {
    return Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS);
  }

  /** The pre-tokenizer named by {@code tokenizer.ggml.pre}; unknown names use GPT-2's. */
  public static PreTokenizer forName(String name) {
    return switch (name) {
      case "llama3", "llama-bpe" -> new PreTokenizer(name, List.of(p(LLAMA3)), true);
      case "qwen2" -> new PreTokenizer(name, List.of(p(QWEN2)), false);
      case "smollm", "starcoder", "refact", "command-r" ->
          new PreTokenizer(name, List.of(p("\\p{N}"), p(GPT2)), false);
      default -> new PreTokenizer(name, List.of(p(GPT2)), false);
    };
  }

  public List<String> split(String text) {
    List<String> words = List.of(text);
    for (Pattern pattern : patterns) {
      List<String> next = new ArrayList<>();
      for (String w : words) {
        Matcher m = pattern.matcher(w);
        int last = 0;
        while (m.find()) {
          if (m.start() > last) {
            next.add(w.substring(last, m.start()));
          }
          if (m.end() > m.start()) {
            next.add(m.group());
          }
          last = m.end();
        }
        if (last < w.length()) {
          next.add(w.substring(last));
        }
      }
      words = next;
    }
    return words;
  }
}
