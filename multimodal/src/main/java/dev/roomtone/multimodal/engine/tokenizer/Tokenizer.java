package dev.roomtone.multimodal.engine.tokenizer;

import dev.roomtone.multimodal.engine.gguf.GgufException;
import dev.roomtone.multimodal.engine.gguf.GgufFile;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Text to token ids and back, as the model's own GGUF metadata defines it. */
public sealed interface Tokenizer permits SentencePieceTokenizer, BpeTokenizer {

  static Tokenizer of(GgufFile f) {
    String model = f.string("tokenizer.ggml.model");
    Vocabulary v = Vocabulary.of(f);
    return switch (model) {
      case "llama" -> new SentencePieceTokenizer(v, f.bool("tokenizer.ggml.add_space_prefix", true),
          f.bool("tokenizer.ggml.add_bos_token", true));
      case "gpt2" -> new BpeTokenizer(v, f.strings("tokenizer.ggml.merges"),
          PreTokenizer.forName(f.string("tokenizer.ggml.pre", "default")),
          f.bool("tokenizer.ggml.add_bos_token", false));
      default -> throw new GgufException(f.path().getFileName() + ": tokenizer " + model
          + " is not supported (supported: llama, gpt2)");
    };
  }

  Vocabulary vocabulary();

  /**
   * Token ids for a text. With {@code addBos} the model's begin-of-sequence token is prepended
   * when the model wants one; with {@code parseSpecial} special-token texts such as
   * {@code <|im_start|>} in the text become their ids (for rendered chat templates, never for
   * user text).
   */
  int[] encode(String text, boolean addBos, boolean parseSpecial);

  /** The raw bytes a token stands for (UTF-8, possibly an incomplete sequence). */
  byte[] bytes(int token);

  default String decode(int... tokens) {
    TextStream s = new TextStream(this);
    StringBuilder sb = new StringBuilder();
    for (int t : tokens) {
      sb.append(s.push(t));
    }
    return sb.append(s.flush()).toString();
  }

  /** Splits text at special-token texts; special pieces are returned as Integer ids. */
  static List<Object> splitSpecial(Vocabulary v, String text, boolean parseSpecial) {
    List<Object> parts = new ArrayList<>();
    if (!parseSpecial) {
      parts.add(text);
      return parts;
    }
    List<String> specials = v.specialTexts();
    int start = 0;
    int i = 0;
    outer:
    while (i < text.length()) {
      for (String s : specials) {
        if (text.startsWith(s, i)) {
          if (i > start) {
            parts.add(text.substring(start, i));
          }
          parts.add(v.ids().get(s));
          i += s.length();
          start = i;
          continue outer;
        }
      }
      i++;
    }
    if (start < text.length()) {
      parts.add(text.substring(start));
    }
    return parts;
  }

  /**
   * Turns a stream of tokens into text that is always valid UTF-8: bytes of a character split
   * across tokens are held back until the character is complete.
   */
  final class TextStream {
    private final Tokenizer tokenizer;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private boolean first = true;

    public TextStream(Tokenizer tokenizer) {
      this.tokenizer = tokenizer;
    }

    /** The text that became complete with this token (possibly empty). */
    public String push(int token) {
      byte[] b = tokenizer.bytes(token);
      if (first && b.length > 0 && tokenizer instanceof SentencePieceTokenizer sp
          && sp.addSpacePrefix() && b[0] == ' ' && !tokenizer.vocabulary().isSpecial(token)) {
        // the space the encoder put in front of the text is not part of it
        pending.write(b, 1, b.length - 1);
      } else {
        pending.writeBytes(b);
      }
      if (b.length > 0 && !tokenizer.vocabulary().isSpecial(token)) {
        first = false;
      }
      byte[] all = pending.toByteArray();
      int complete = completePrefix(all);
      pending.reset();
      pending.write(all, complete, all.length - complete);
      return new String(all, 0, complete, StandardCharsets.UTF_8);
    }

    /** Whatever is still held back, with replacement characters for incomplete sequences. */
    public String flush() {
      String s = pending.toString(StandardCharsets.UTF_8);
      pending.reset();
      return s;
    }

    /** Length of the longest prefix that does not end inside a multi-byte character. */
    static int completePrefix(byte[] b) {
      int n = b.length;
      // look back at most 3 bytes for the start of an unfinished sequence
      for (int back = 1; back <= Math.min(3, n); back++) {
        int c = b[n - back] & 0xff;
        if ((c & 0xc0) == 0x80) {
          continue; // continuation byte: keep looking for the lead byte
        }
        int need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
        return need > back ? n - back : n;
      }
      return n;
    }
  }
}
