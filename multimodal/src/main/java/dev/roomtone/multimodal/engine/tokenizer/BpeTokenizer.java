package dev.roomtone.multimodal.engine.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * GPT-2-style byte-level BPE ("gpt2" in GGUF): words from the family's pre-tokenizer, bytes
 * mapped to printable characters, then the lowest-ranked merge applied until none applies.
 */
public final class BpeTokenizer implements Tokenizer {
  private final Vocabulary v;
  private final Map<String, Integer> ranks = new HashMap<>();
  private final PreTokenizer pre;
  private final boolean addBos;
  private static final char[] BYTE_TO_CHAR = new char[256];
  private static final Map<Character, Integer> CHAR_TO_BYTE = new HashMap<>();

  static {
    // GPT-2's table: printable Latin-1 bytes stand for themselves, the rest map to U+0100…
    int n = 0;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xa1 && b <= 0xac) || (b >= 0xae);
      BYTE_TO_CHAR[b] = printable ? (char) b : (char) (256 + n++);
      CHAR_TO_BYTE.put(BYTE_TO_CHAR[b], b);
    }
  }

  BpeTokenizer(Vocabulary v, String[] merges, PreTokenizer pre, boolean addBos) {
    this.v = v;
    this.pre = pre;
    this.addBos = addBos;
    for (int i = 0; i < merges.length; i++) {
      ranks.putIfAbsent(merges[i], i);
    }
  }

  @Override
  public Vocabulary vocabulary() {
    return v;
  }

  public PreTokenizer preTokenizer() {
    return pre;
  }

  static char charForByte(int b) {
    return BYTE_TO_CHAR[b];
  }

  static String byteEncode(String word) {
    StringBuilder sb = new StringBuilder();
    for (byte b : word.getBytes(StandardCharsets.UTF_8)) {
      sb.append(BYTE_TO_CHAR[b & 0xff]);
    }
    return sb.toString();
  }

  @Override
  public int[] encode(String text, boolean bos, boolean parseSpecial) {
    List<Integer> out = new ArrayList<>();
    if (bos && addBos && v.bos() >= 0) {
      out.add(v.bos());
    }
    for (Object part : Tokenizer.splitSpecial(v, text, parseSpecial)) {
      if (part instanceof Integer id) {
        out.add(id);
        continue;
      }
      for (String word : pre.split((String) part)) {
        encodeWord(byteEncode(word), out);
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  private void encodeWord(String word, List<Integer> out) {
    Integer whole = v.ids().get(word);
    if (pre.ignoreMerges() && whole != null) {
      out.add(whole);
      return;
    }
    List<String> symbols = new ArrayList<>();
    for (int i = 0; i < word.length(); i++) {
      symbols.add(String.valueOf(word.charAt(i)));
    }
    while (symbols.size() > 1) {
      int best = -1;
      int bestRank = Integer.MAX_VALUE;
      for (int i = 0; i + 1 < symbols.size(); i++) {
        Integer r = ranks.get(symbols.get(i) + " " + symbols.get(i + 1));
        if (r != null && r < bestRank) {
          bestRank = r;
          best = i;
        }
      }
      if (best < 0) {
        break;
      }
      symbols.set(best, symbols.get(best) + symbols.remove(best + 1));
    }
    for (String s : symbols) {
      Integer id = v.ids().get(s);
      if (id != null) {
        out.add(id);
      } else {
        for (int i = 0; i < s.length(); i++) {
          Integer b = v.ids().get(String.valueOf(s.charAt(i)));
          if (b != null) {
            out.add(b);
          } else if (v.unknown() >= 0) {
            out.add(v.unknown());
          }
        }
      }
    }
  }

  @Override
  public byte[] bytes(int token) {
    String t = v.tokens()[token];
    if (v.isSpecial(token)) {
      return v.types()[token] == Vocabulary.CONTROL && v.isEndOfGeneration(token)
          ? new byte[0] : t.getBytes(StandardCharsets.UTF_8);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < t.length(); i++) {
      Integer b = CHAR_TO_BYTE.get(t.charAt(i));
      if (b != null) {
        out.write(b);
      } else {
        out.writeBytes(String.valueOf(t.charAt(i)).getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toByteArray();
  }
}
