package dev.roomtone.multimodal.engine.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * SentencePiece-style tokenizer ("llama" in GGUF): spaces become ▁, then neighbouring pieces are
 * merged greedily by the score of the merged piece; characters outside the vocabulary fall back
 * to their UTF-8 bytes ({@code <0xE2>} …).
 */
public final class SentencePieceTokenizer implements Tokenizer {
  private static final String SPACE = "\u2581";
  private final Vocabulary v;
  private final boolean addSpacePrefix;
  private final boolean addBos;
  private final int[] byteTokens = new int[256];

  SentencePieceTokenizer(Vocabulary v, boolean addSpacePrefix, boolean addBos) {
    this.v = v;
    this.addSpacePrefix = addSpacePrefix;
    this.addBos = addBos;
    for (int b = 0; b < 256; b++) {
      Integer id = v.ids().get(String.format("<0x%02X>", b));
      byteTokens[b] = id == null ? -1 : id;
    }
  }

  @Override
  public Vocabulary vocabulary() {
    return v;
  }

  boolean addSpacePrefix() {
    return addSpacePrefix;
  }

  @Override
  public int[] encode(String text, boolean bos, boolean parseSpecial) {
    List<Integer> out = new ArrayList<>();
    if (bos && addBos && v.bos() >= 0) {
      out.add(v.bos());
    }
    boolean prevSpecial = true;
    for (Object part : Tokenizer.splitSpecial(v, text, parseSpecial)) {
      if (part instanceof Integer id) {
        out.add(id);
        prevSpecial = true;
      } else {
        String s = (String) part;
        if (addSpacePrefix && prevSpecial) {
          s = " " + s;
        }
        encodeRaw(s.replace(" ", SPACE), out);
        prevSpecial = false;
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /** One symbol of the merge list; merged-away symbols have length 0. */
  private static final class Symbol {
    int start;
    int length;
    int prev;
    int next;
  }

  private record Bigram(int left, int right, float score, int length) {}

  private void encodeRaw(String text, List<Integer> out) {
    if (text.isEmpty()) {
      return;
    }
    List<Symbol> symbols = new ArrayList<>();
    for (int i = 0; i < text.length(); ) {
      int len = Character.charCount(text.codePointAt(i));
      Symbol s = new Symbol();
      s.start = i;
      s.length = len;
      s.prev = symbols.size() - 1;
      s.next = i + len < text.length() ? symbols.size() + 1 : -1;
      symbols.add(s);
      i += len;
    }
    // highest score first; on ties the leftmost pair
    PriorityQueue<Bigram> queue = new PriorityQueue<>((a, b) -> a.score != b.score
        ? Float.compare(b.score, a.score) : Integer.compare(a.left, b.left));
    for (int i = 1; i < symbols.size(); i++) {
      tryAdd(text, symbols, i - 1, i, queue);
    }
    while (!queue.isEmpty()) {
      Bigram bg = queue.poll();
      Symbol l = symbols.get(bg.left);
      Symbol r = symbols.get(bg.right);
      if (l.length == 0 || r.length == 0 || l.length + r.length != bg.length) {
        continue; // stale: one side was merged into something else since
      }
      l.length += r.length;
      r.length = 0;
      l.next = r.next;
      if (r.next >= 0) {
        symbols.get(r.next).prev = bg.left;
      }
      if (l.prev >= 0) {
        tryAdd(text, symbols, l.prev, bg.left, queue);
      }
      if (l.next >= 0) {
        tryAdd(text, symbols, bg.left, l.next, queue);
      }
    }
    for (int i = 0; i != -1 && i < symbols.size(); i = symbols.get(i).next) {
      Symbol s = symbols.get(i);
      String piece = text.substring(s.start, s.start + s.length);
      Integer id = v.ids().get(piece);
      if (id != null) {
        out.add(id);
      } else {
        for (byte b : piece.getBytes(StandardCharsets.UTF_8)) {
          int t = byteTokens[b & 0xff];
          if (t >= 0) {
            out.add(t);
          } else if (v.unknown() >= 0) {
            out.add(v.unknown());
          }
        }
      }
    }
  }

  private void tryAdd(String text, List<Symbol> symbols, int left, int right,
      PriorityQueue<Bigram> queue) {
    Symbol l = symbols.get(left);
    Symbol r = symbols.get(right);
    String merged = text.substring(l.start, l.start + l.length + r.length);
    Integer id = v.ids().get(merged);
    if (id != null) {
      queue.add(new Bigram(left, right, v.scores()[id], merged.length()));
    }
  }

  @Override
  public byte[] bytes(int token) {
    if (v.types()[token] == Vocabulary.BYTE) {
      String t = v.tokens()[token]; // <0xAB>
      return new byte[] {(byte) Integer.parseInt(t.substring(3, 5), 16)};
    }
    if (v.types()[token] == Vocabulary.CONTROL || v.types()[token] == Vocabulary.UNKNOWN) {
      return new byte[0];
    }
    return v.tokens()[token].replace(SPACE, " ").getBytes(StandardCharsets.UTF_8);
  }
}
