package dev.roomtone.script.screenplay.pdf;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;

/**
 * The text layer of a PDF read back with PDFBox: every run of glyphs on one baseline, cut where
 * the gap is wider than a character, with its page and position in inches from the top left.
 */
final class PdfText {

  record Segment(int page, double x, double y, String text) {
    /** Where the text ends, in inches from the left edge. */
    double endX() {
      return x + text.length() * 0.1;
    }
  }

  private record Glyph(int page, float x, float y, float w, String s) {
  }

  static List<Segment> read(byte[] pdf) throws IOException {
    List<Glyph> glyphs = new ArrayList<>();
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      PDFTextStripper stripper = new PDFTextStripper() {
        @Override
        protected void processTextPosition(TextPosition t) {
          glyphs.add(new Glyph(getCurrentPageNo(), t.getXDirAdj(), t.getYDirAdj(), t.getWidthDirAdj(), t.getUnicode()));
        }
      };
      stripper.getText(doc);
    }
    glyphs.sort(Comparator.comparingInt(Glyph::page).thenComparingDouble(g -> Math.round(g.y() * 10))
        .thenComparingDouble(Glyph::x));
    List<Segment> out = new ArrayList<>();
    StringBuilder b = new StringBuilder();
    Glyph first = null;
    Glyph prev = null;
    for (Glyph g : glyphs) {
      boolean sameLine = prev != null && prev.page() == g.page() && Math.abs(prev.y() - g.y()) < 1;
      if (!sameLine || g.x() - (prev.x() + 7.2f) > 3f) {
        if (first != null) {
          out.add(new Segment(first.page(), first.x() / 72.0, first.y() / 72.0, b.toString().stripTrailing()));
        }
        b.setLength(0);
        first = g;
      }
      b.append(g.s());
      prev = g;
    }
    if (first != null) {
      out.add(new Segment(first.page(), first.x() / 72.0, first.y() / 72.0, b.toString().stripTrailing()));
    }
    return out;
  }

  static List<Segment> onPage(List<Segment> all, int page) {
    return all.stream().filter(s -> s.page() == page).toList();
  }

  static int pages(byte[] pdf) throws IOException {
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      return doc.getNumberOfPages();
    }
  }
}
