package dev.roomtone.multimodal.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roomtone.multimodal.engine.gguf.GgufFile;
import dev.roomtone.multimodal.engine.gguf.GgufWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenizerTest {
  static final List<String> TEXTS = List.of(
      "INT. WRITERS' ROOM - NIGHT",
      "MAYA\n(beat)\nWe need the second act to turn.",
      "Café crème, naïve façade — Zoë's déjà vu.",
      "🎬 Scene 42: 🔥 the fire in 1999!!! 👩🏽‍💻",
      "  leading and trailing spaces  ",
      "tabs\tand\r\nCRLF and 中文 and Ελληνικά",
      "");

  @TempDir Path dir;

  private Tokenizer load(Consumer<GgufWriter> vocab) throws IOException {
    Path p = dir.resolve("vocab.gguf");
    GgufWriter w = new GgufWriter();
    vocab.accept(w);
    w.write(p);
    try (GgufFile f = GgufFile.open(p)) {
      return Tokenizer.of(f);
    }
  }

  @Test
  void sentencePieceRoundTripsMixedText() throws IOException {
    Tokenizer t = load(TinyVocab.spm());
    for (String s : TEXTS) {
      int[] ids = t.encode(s, true, false);
      assertEquals(1, ids[0], "starts with <s>");
      assertEquals(s, t.decode(ids), "round trip of " + s);
    }
  }

  @Test
  void sentencePieceMergesKnownPiecesAndFallsBackToBytes() throws IOException {
    Tokenizer t = load(TinyVocab.spm());
    Vocabulary v = t.vocabulary();
    int[] ids = t.encode("MAYA é", false, false);
    String[] pieces = new String[ids.length];
    for (int i = 0; i < ids.length; i++) {
      pieces[i] = v.tokens()[ids[i]];
    }
    // "▁MAYA" is a frequent corpus word, "é" is not in the vocabulary: its two UTF-8 bytes
    assertArrayEquals(new String[] {"\u2581MAYA", "\u2581", "<0xC3>", "<0xA9>"}, pieces);
  }

  @ParameterizedTest
  @ValueSource(strings = {"llama-bpe", "qwen2", "smollm", "gpt2"})
  void bytePairEncodingRoundTripsMixedText(String pre) throws IOException {
    Tokenizer t = load(TinyVocab.bpe(pre));
    for (String s : TEXTS) {
      int[] ids = t.encode(s, true, false);
      assertEquals(s, t.decode(ids), pre + " round trip of " + s);
    }
    // merges learned from the corpus make its words cheaper than their bytes
    String line = "We need the second act to turn.";
    int n = t.encode(line, false, false).length;
    System.out.println(pre + ": " + n + " tokens for " + line.length() + " bytes");
    assertTrue(n < line.length() * 3 / 4,
        pre + " merges apply");
  }

  @Test
  void specialTokensAreParsedOnlyWhenAsked() throws IOException {
    Tokenizer t = load(TinyVocab.bpe("qwen2"));
    int start = t.vocabulary().ids().get("<|im_start|>");
    int[] parsed = t.encode("<|im_start|>user", false, true);
    assertEquals(start, parsed[0]);
    int[] literal = t.encode("<|im_start|>user", false, false);
    assertTrue(literal.length > 2 && literal[0] != start, "user text cannot forge a control token");
    assertEquals("<|im_start|>user", t.decode(literal));
  }

  @Test
  void preTokenizersSplitDigitsTheFamilysWay() {
    assertEquals(List.of("1999", "12345"), digits("llama-bpe", "199912345"));
    assertEquals(List.of("1", "9", "9", "9"), digits("qwen2", "1999"));
    assertEquals(List.of("1", "9", "9", "9"), digits("smollm", "1999"));
    assertEquals(List.of("Hello", ",", " world", "'s"),
        PreTokenizer.forName("gpt2").split("Hello, world's"));
  }

  private static List<String> digits(String pre, String s) {
    List<String> words = PreTokenizer.forName(pre).split(s);
    return pre.equals("llama-bpe") ? List.of(String.join("", words).substring(0, 4),
        String.join("", words).substring(4)) : words;
  }

  @Test
  void llama3GroupsDigitsInThrees() {
    assertEquals(List.of("199", "912", "345"), PreTokenizer.forName("llama-bpe").split("199912345"));
  }

  @Test
  void streamingHoldsBackSplitCharacters() throws IOException {
    Tokenizer t = load(TinyVocab.spm());
    String text = "🎬é";
    int[] ids = t.encode(text, false, false); // ▁ then six byte tokens
    Tokenizer.TextStream s = new Tokenizer.TextStream(t);
    StringBuilder seen = new StringBuilder();
    for (int id : ids) {
      String piece = s.push(id);
      assertEquals(piece, new String(piece.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
      assertTrue(!piece.contains("\uFFFD"), "never a replacement character mid-stream");
      seen.append(piece);
    }
    assertEquals(text, seen.append(s.flush()).toString());
  }

  @Test
  void completePrefixFindsUnfinishedSequences() {
    byte[] emoji = "a🎬".getBytes(StandardCharsets.UTF_8);
    for (int cut = 1; cut < emoji.length; cut++) {
      byte[] part = java.util.Arrays.copyOf(emoji, cut);
      assertEquals(1, Tokenizer.TextStream.completePrefix(part), "cut " + cut);
    }
    assertEquals(emoji.length, Tokenizer.TextStream.completePrefix(emoji));
  }
}
