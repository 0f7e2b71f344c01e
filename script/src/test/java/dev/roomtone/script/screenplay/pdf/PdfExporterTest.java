package dev.roomtone.script.screenplay.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roomtone.script.screenplay.FountainParser;
import dev.roomtone.script.screenplay.Screenplay;
import dev.roomtone.script.screenplay.SyntheticScript;
import dev.roomtone.script.screenplay.layout.LayoutOptions;
import dev.roomtone.script.screenplay.layout.PageGrid;
import dev.roomtone.script.screenplay.pdf.PdfText.Segment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PdfExporterTest {

  private static final double EPS = 0.02;

  static String sample() throws IOException {
    return dev.roomtone.script.screenplay.Samples.sample();
  }

  private static byte[] pdf(String fountain, LayoutOptions o) {
    return new PdfExporter(o).export(FountainParser.parse(fountain)).pdf();
  }

  private static Segment find(List<Segment> segs, Predicate<String> p) {
    return segs.stream().filter(s -> p.test(s.text())).findFirst()
        .orElseThrow(() -> new AssertionError("not found in " + segs.stream().map(Segment::text).toList()));
  }

  @Test
  void eachElementSitsAtItsIndent() throws IOException {
    String f = """
        INT. KITCHEN - DAY

        Mara pours coffee.

        MARA
        (tired)
        Morning.

        CUT TO:

        > THE END <
        """;
    List<Segment> s = PdfText.read(pdf(f, LayoutOptions.DEFAULT));
    assertEquals(1.5, find(s, t -> t.startsWith("INT. KITCHEN")).x(), EPS);
    assertEquals(1.5, find(s, t -> t.startsWith("Mara pours")).x(), EPS);
    assertEquals(3.7, find(s, t -> t.equals("MARA")).x(), EPS);
    assertEquals(3.1, find(s, t -> t.equals("(tired)")).x(), EPS);
    assertEquals(2.5, find(s, t -> t.equals("Morning.")).x(), EPS);
    assertEquals(7.5, find(s, t -> t.equals("CUT TO:")).endX(), EPS);
    Segment end = find(s, t -> t.equals("THE END"));
    assertEquals(4.5, (end.x() + end.endX()) / 2, 0.06);
    // first line of text one inch down (baseline in the first 1/6" row)
    assertEquals(1.125, find(s, t -> t.startsWith("INT. KITCHEN")).y(), EPS);
  }

  @Test
  void a4KeepsTheLeftMarginAndRightAlignsToItsOwnEdge() throws IOException {
    List<Segment> s = PdfText.read(pdf("\nCUT TO:\n\nMARA\nHi.\n", LayoutOptions.DEFAULT.withGrid(PageGrid.A4)));
    assertEquals(PageGrid.A4.right(), find(s, t -> t.equals("CUT TO:")).endX(), EPS);
    assertEquals(3.7, find(s, t -> t.equals("MARA")).x(), EPS);
  }

  @Test
  void fiftyFiveLinesALetterPageAndNumbersFromPageTwo() throws IOException {
    StringBuilder f = new StringBuilder("INT. HALL - DAY\n\n");
    for (int i = 1; i <= 150; i++) {
      f.append("Line ").append(i).append(".\n");
    }
    byte[] pdf = pdf(f.toString(), LayoutOptions.DEFAULT);
    List<Segment> all = PdfText.read(pdf);
    List<Segment> page1 = PdfText.onPage(all, 1);
    // heading, blank, then 53 action lines: 55 rows
    assertEquals("Line 53.", page1.get(page1.size() - 1).text());
    assertEquals(1.125 + 54 / 6.0, page1.get(page1.size() - 1).y(), EPS);
    assertFalse(page1.stream().anyMatch(s -> s.text().matches("\\d+\\.")), "no number on page 1");
    List<Segment> page2 = PdfText.onPage(all, 2);
    Segment number = page2.get(0);
    assertEquals("2.", number.text());
    assertEquals(7.5, number.endX(), EPS);
    assertEquals(0.5 + 0.125, number.y(), EPS);
    assertEquals("Line 54.", page2.get(1).text());
    assertEquals(55, page2.size() - 1);
    assertEquals(3, PdfText.pages(pdf));
  }

  @Test
  void aSpeechOverAPageBreakGetsMoreAndContd() throws IOException {
    StringBuilder f = new StringBuilder("INT. HALL - DAY\n\n");
    for (int i = 1; i <= 46; i++) {
      f.append("Line ").append(i).append(".\n");
    }
    f.append("\nMARA\n");
    for (int i = 1; i <= 12; i++) {
      f.append("Sentence number ").append(i).append(" of a speech that goes on. ");
    }
    f.append("\n");
    List<Segment> all = PdfText.read(pdf(f.toString(), LayoutOptions.DEFAULT));
    List<Segment> page1 = PdfText.onPage(all, 1);
    Segment more = page1.get(page1.size() - 1);
    assertEquals("(MORE)", more.text());
    assertEquals(3.7, more.x(), EPS);
    Segment beforeMore = page1.get(page1.size() - 2);
    assertTrue(beforeMore.text().endsWith("."), "split after a sentence: " + beforeMore.text());
    List<Segment> page2 = PdfText.onPage(all, 2);
    assertEquals("2.", page2.get(0).text());
    assertEquals("MARA (CONT'D)", page2.get(1).text());
    assertEquals(3.7, page2.get(1).x(), EPS);
    assertEquals(2.5, page2.get(2).x(), EPS);
    assertTrue(page1.size() - 1 <= 55);
  }

  @Test
  void noSceneHeadingEndsAPage() throws IOException {
    StringBuilder f = new StringBuilder();
    for (int i = 1; i <= 53; i++) {
      f.append("Line ").append(i).append(".\n");
    }
    f.append("\nINT. LATE HEADING - NIGHT\n\nWhat follows it.\n");
    List<Segment> all = PdfText.read(pdf(f.toString(), LayoutOptions.DEFAULT));
    List<Segment> page1 = PdfText.onPage(all, 1);
    assertEquals("Line 53.", page1.get(page1.size() - 1).text());
    List<Segment> page2 = PdfText.onPage(all, 2);
    assertEquals("INT. LATE HEADING - NIGHT", page2.get(1).text());
    // and in a long script: no page's last line is a heading
    byte[] big = pdf(SyntheticScript.generate(11, 30), LayoutOptions.DEFAULT);
    List<Segment> segs = PdfText.read(big);
    for (int p = 2; p <= PdfText.pages(big); p++) {
      List<Segment> page = PdfText.onPage(segs, p);
      Segment last = page.get(page.size() - 1);
      assertFalse(last.text().matches("^(INT|EXT)[./].*") && last.x() < 1.6, "heading at the bottom of page " + p);
    }
  }

  @Test
  void sceneNumbersOnBothSides() throws IOException {
    List<Segment> s = PdfText.read(pdf("INT. A - DAY #7A#\n\nX.\n\nEXT. B - DAY\n\nY.\n",
        LayoutOptions.DEFAULT.withSceneNumbers(true)));
    List<Segment> sevens = s.stream().filter(x -> x.text().equals("7A")).toList();
    assertEquals(2, sevens.size());
    assertTrue(sevens.get(0).endX() <= 1.5 && sevens.get(0).x() > 0.4, "left number " + sevens.get(0));
    assertTrue(sevens.get(1).x() >= 7.5, "right number " + sevens.get(1));
    // a heading without a number gets its place in order
    assertEquals(2, s.stream().filter(x -> x.text().equals("2")).count());
    // off by default
    assertFalse(PdfText.read(pdf("INT. A - DAY #7A#\n\nX.\n", LayoutOptions.DEFAULT)).stream()
        .anyMatch(x -> x.text().equals("7A")));
  }

  @Test
  void dualDialogueSideBySide() throws IOException {
    List<Segment> s = PdfText.read(pdf("BRICK\nScrew retirement.\n\nSTEEL ^\nNever.\n", LayoutOptions.DEFAULT));
    Segment brick = find(s, t -> t.equals("BRICK"));
    Segment steel = find(s, t -> t.equals("STEEL"));
    assertEquals(brick.y(), steel.y(), EPS);
    assertTrue(brick.endX() < 4.5 && steel.x() > 4.5, brick + " / " + steel);
    Segment left = find(s, t -> t.equals("Screw retirement."));
    Segment right = find(s, t -> t.equals("Never."));
    assertEquals(left.y(), right.y(), EPS);
    assertTrue(left.endX() <= 4.5 && right.x() >= 4.5);
  }

  @Test
  void titlePageThenScriptPagesNumberedFromTheSecond() throws IOException {
    byte[] pdf = pdf(sample(), LayoutOptions.DEFAULT);
    List<Segment> s = PdfText.read(pdf);
    List<Segment> title = PdfText.onPage(s, 1);
    Segment name = find(title, t -> t.equals("ROOM TONE"));
    assertEquals(4.5, (name.x() + name.endX()) / 2, 0.06);
    find(title, t -> t.equals("Written by"));
    find(title, t -> t.equals("writers@roomtone.example"));
    assertFalse(title.stream().anyMatch(x -> x.text().contains("EXT. STUDIO")));
    List<Segment> first = PdfText.onPage(s, 2);
    assertFalse(first.get(0).text().matches("\\d+\\."), "first script page has no number");
    assertEquals("2.", PdfText.onPage(s, 3).get(0).text());
    // sections, synopses and notes are not printed
    String text = s.stream().map(Segment::text).collect(Collectors.joining("\n"));
    assertFalse(text.contains("Act One") || text.contains("legal about the dog"));
  }

  @Test
  void charactersOutsideCourierAreReplacedNotFatal() {
    PdfExporter.Result r = new PdfExporter(LayoutOptions.DEFAULT)
        .export(FountainParser.parse("Café, naïve, “quotes” — and 🎬 and 日本.\n"));
    assertEquals(3, r.replacedCharacters());
    assertTrue(r.pdf().length > 0);
  }

  @Test
  void boldItalicUnderlineUseTheCourierFaces() throws IOException {
    Screenplay s = FountainParser.parse("Plain **bold** *it* _under_.\n");
    byte[] pdf = new PdfExporter(LayoutOptions.DEFAULT).export(s).pdf();
    java.util.Set<String> faces = new java.util.HashSet<>();
    try (org.apache.pdfbox.pdmodel.PDDocument doc = org.apache.pdfbox.Loader.loadPDF(pdf)) {
      org.apache.pdfbox.pdmodel.PDResources res = doc.getPage(0).getResources();
      for (org.apache.pdfbox.cos.COSName n : res.getFontNames()) {
        faces.add(res.getFont(n).getName());
      }
    }
    assertEquals(java.util.Set.of("Courier", "Courier-Bold", "Courier-Oblique"), faces);
    assertEquals("Plain bold it under.", PdfText.read(pdf).get(0).text());
  }
}
