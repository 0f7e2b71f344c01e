package dev.roomtone.script.screenplay;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roomtone.script.screenplay.fdx.FdxReader;
import dev.roomtone.script.screenplay.fdx.FdxWriter;
import dev.roomtone.script.screenplay.layout.LayoutOptions;
import dev.roomtone.script.screenplay.layout.Paginator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Every kind of bad input gets a clear error, never a crash, a hang or a leak. */
class MalformedInputTest {

  private static String fdxError(String xml) {
    return assertThrows(ScriptFormatException.class, () -> FdxReader.read(xml.getBytes(StandardCharsets.UTF_8)))
        .getMessage();
  }

  private static void assertMentions(String message, String... parts) {
    for (String p : parts) {
      assertTrue(message.contains(p), "'" + p + "' not in: " + message);
    }
  }

  @Test
  void brokenXml() {
    String m = fdxError("<FinalDraft DocumentType=\"Script\">\n<Content>\n<Paragraph Type=\"Action\"><Text>Hi</Paragraph>");
    assertMentions(m, "broken XML", "line 3");
  }

  @Test
  void truncatedFdx() throws Exception {
    String whole = FdxWriter.write(FountainParser.parse(Samples.sample()));
    String m = fdxError(whole.substring(0, whole.length() / 2));
    assertMentions(m, "broken XML", "line");
  }

  @Test
  void notFinalDraft() {
    assertMentions(fdxError("<html><body/></html>"), "root element is <html>", "<FinalDraft>");
    assertMentions(fdxError("<FinalDraft DocumentType=\"Template\"/>"), "only scripts");
    assertMentions(fdxError(""), "broken XML");
  }

  @Test
  void binaryJunk() {
    Random r = new Random(42);
    byte[] junk = new byte[4096];
    r.nextBytes(junk);
    assertMentions(assertThrows(ScriptFormatException.class, () -> FdxReader.read(junk)).getMessage(), "broken XML");
    String m = assertThrows(ScriptFormatException.class, () -> ScreenplayImporter.read(junk, ScriptFormat.FOUNTAIN))
        .getMessage();
    assertTrue(m.startsWith("not a text file") || m.startsWith("not UTF-8 text"), m);
    // Latin-1 text is not UTF-8: say where
    byte[] latin1 = "INT. CAF\u00c9 - DAY\n".getBytes(StandardCharsets.ISO_8859_1);
    assertMentions(assertThrows(ScriptFormatException.class, () -> ScriptBytes.utf8Text(latin1)).getMessage(),
        "not UTF-8 text", "0xc9", "offset 8");
    assertMentions(assertThrows(ScriptFormatException.class,
        () -> ScreenplayImporter.read("x".getBytes(), ScriptFormat.PDF)).getMessage(), "cannot import pdf");
  }

  @Test
  void billionLaughsIsRefusedNotExpanded() {
    StringBuilder x = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE FinalDraft [\n <!ENTITY lol \"lol\">\n");
    for (int i = 1; i <= 9; i++) {
      x.append(" <!ENTITY lol").append(i).append(" \"");
      for (int k = 0; k < 10; k++) {
        x.append("&lol").append(i == 1 ? "" : Integer.toString(i - 1)).append(';');
      }
      x.append("\">\n");
    }
    x.append("]>\n<FinalDraft DocumentType=\"Script\"><Content><Paragraph Type=\"Action\"><Text>&lol9;</Text>"
        + "</Paragraph></Content></FinalDraft>");
    String m = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> fdxError(x.toString()));
    assertTrue(m.contains("DOCTYPE") || m.contains("entity"), m);
  }

  @Test
  void externalEntityIsNotRead() {
    String xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n"
        + "<FinalDraft DocumentType=\"Script\"><Content><Paragraph Type=\"Action\"><Text>&e;</Text></Paragraph>"
        + "</Content></FinalDraft>";
    String m = fdxError(xxe);
    assertFalse(m.contains("root:"), m);
    // an undeclared entity without a DOCTYPE is refused as well
    String m2 = fdxError("<FinalDraft DocumentType=\"Script\"><Content><Paragraph Type=\"Action\"><Text>&e;</Text>"
        + "</Paragraph></Content></FinalDraft>");
    assertTrue(m2.contains("entity") || m2.contains("broken XML"), m2);
  }

  @Test
  void deepNesting() {
    StringBuilder x = new StringBuilder("<FinalDraft DocumentType=\"Script\"><Content>");
    x.append("<a>".repeat(100_000));
    x.append("</a>".repeat(100_000)).append("</Content></FinalDraft>");
    String m = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> fdxError(x.toString()));
    assertMentions(m, "nested deeper than " + FdxReader.MAX_DEPTH);
  }

  @Test
  void fiftyMegabytesIsRefusedBeforeParsing() {
    byte[] big = new byte[50 * 1024 * 1024];
    java.util.Arrays.fill(big, (byte) 'a');
    for (ScriptFormat f : new ScriptFormat[] {ScriptFormat.FOUNTAIN, ScriptFormat.FDX}) {
      String m = assertThrows(ScriptFormatException.class, () -> ScreenplayImporter.read(big, f)).getMessage();
      assertMentions(m, "52428800 bytes", "16 MiB");
    }
    assertThrows(ScriptFormatException.class, () -> new ScreenplayExporter().export(big, ScriptFormat.PDF));
  }

  /**
   * Text built to make a naive parser go quadratic: each must parse and lay out. The timeout is a
   * guard against a hang, far above the time any of these needs, not a speed check.
   */
  @Test
  void pathologicalTextDoesNotHang() {
    int n = 1_000_000;
    List<Supplier<String>> inputs = List.of(
        () -> "*".repeat(n),
        () -> "a*".repeat(n / 2),
        () -> "_x ".repeat(n / 3),
        () -> "[[".repeat(n / 2),
        () -> "/*a*/".repeat(n / 5),
        () -> "/*".repeat(n / 2),
        () -> "BOB\n" + "line\n".repeat(n / 5),
        () -> "Action line\n".repeat(n / 12),
        () -> "[[\n".repeat(n / 3),
        () -> "x".repeat(n),
        () -> "\n".repeat(n),
        () -> "INT. A - DAY\n\n".repeat(n / 14),
        () -> "\\*".repeat(n / 2));
    for (Supplier<String> in : inputs) {
      String text = in.get();
      assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
        Screenplay s = FountainParser.parse(text);
        new Paginator(LayoutOptions.DEFAULT).paginate(s);
        FountainWriter.write(s);
      }, () -> "hang on input starting " + text.substring(0, Math.min(20, text.length())).replace("\n", "\\n"));
    }
  }
}
