package dev.roomtone.script.screenplay.pdf;

import dev.roomtone.script.screenplay.Screenplay;
import dev.roomtone.script.screenplay.TextRun;
import dev.roomtone.script.screenplay.layout.LayoutOptions;
import dev.roomtone.script.screenplay.layout.Page;
import dev.roomtone.script.screenplay.layout.PageGrid;
import dev.roomtone.script.screenplay.layout.Paginator;
import dev.roomtone.script.screenplay.layout.Part;
import dev.roomtone.script.screenplay.layout.Row;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.font.encoding.GlyphList;
import org.apache.pdfbox.pdmodel.font.encoding.WinAnsiEncoding;
import org.apache.pdfbox.util.Matrix;

/**
 * A screenplay as PDF in the industry layout ({@link Paginator}), drawn with Apache PDFBox in the
 * standard Courier fonts (regular, bold, oblique, bold oblique), which every PDF reader has: no
 * font is embedded. Those fonts cover WinAnsi only; any other character prints as {@code ?} and is
 * counted in {@link Result#replacedCharacters()}.
 */
public final class PdfExporter {

  private static final float PT = 72f;

  /** The PDF, its page count (title page included) and how many characters Courier could not show. */
  public record Result(byte[] pdf, int pages, int replacedCharacters) {
  }

  private final LayoutOptions options;

  public PdfExporter(LayoutOptions options) {
    this.options = options;
  }

  public Result export(Screenplay s) {
    return export(s, new Paginator(options).paginate(s));
  }

  public Result export(Screenplay s, List<Page> pages) {
    PageGrid grid = options.grid();
    float w = (float) (grid.widthInches() * PT);
    float h = (float) (grid.heightInches() * PT);
    int[] replaced = {0};
    try (PDDocument doc = new PDDocument()) {
      Fonts fonts = new Fonts();
      s.title("title").ifPresent(t -> doc.getDocumentInformation().setTitle(
          dev.roomtone.script.screenplay.InlineText.plain(String.join(" ", t.values()))));
      doc.getDocumentInformation().setCreator("Roomtone");
      for (Page page : pages) {
        PDPage p = new PDPage(new PDRectangle(w, h));
        doc.addPage(p);
        try (PDPageContentStream cs = new PDPageContentStream(doc, p)) {
          cs.beginText();
          for (Part part : page.header()) {
            draw(cs, fonts, part, h - (float) (0.5 * PT) - 9f, replaced);
          }
          List<Row> rows = page.rows();
          for (int r = 0; r < rows.size(); r++) {
            float y = h - (float) (grid.baselineFromTop(r) * PT);
            for (Part part : rows.get(r).parts()) {
              draw(cs, fonts, part, y, replaced);
            }
          }
          cs.endText();
          for (int r = 0; r < rows.size(); r++) {
            float y = h - (float) (grid.baselineFromTop(r) * PT);
            for (Part part : rows.get(r).parts()) {
              underline(cs, part, y);
            }
          }
        }
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      doc.save(out);
      return new Result(out.toByteArray(), pages.size(), replaced[0]);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the PDF", e);
    }
  }

  private static void draw(PDPageContentStream cs, Fonts fonts, Part part, float y, int[] replaced)
      throws IOException {
    float x = (float) (part.x() * PT);
    for (TextRun run : part.runs()) {
      String text = fonts.printable(run.text(), replaced);
      if (!text.isEmpty()) {
        cs.setFont(fonts.of(run), (float) PageGrid.FONT_SIZE_PT);
        cs.setTextMatrix(Matrix.getTranslateInstance(x, y));
        cs.showText(text);
      }
      x += (float) (run.text().length() * PageGrid.CHAR_WIDTH * PT);
    }
  }

  private static void underline(PDPageContentStream cs, Part part, float y) throws IOException {
    float x = (float) (part.x() * PT);
    for (TextRun run : part.runs()) {
      float len = (float) (run.text().length() * PageGrid.CHAR_WIDTH * PT);
      if (run.underline() && len > 0) {
        cs.setLineWidth(0.6f);
        cs.moveTo(x, y - 1.8f);
        cs.lineTo(x + len, y - 1.8f);
        cs.stroke();
      }
      x += len;
    }
  }

  /** The four Courier faces and the WinAnsi check, cached per document. */
  private static final class Fonts {
    private final PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.COURIER);
    private final PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.COURIER_BOLD);
    private final PDType1Font italic = new PDType1Font(Standard14Fonts.FontName.COURIER_OBLIQUE);
    private final PDType1Font boldItalic = new PDType1Font(Standard14Fonts.FontName.COURIER_BOLD_OBLIQUE);
    private final Map<Character, Boolean> encodable = new HashMap<>();

    PDType1Font of(TextRun r) {
      return r.bold() ? (r.italic() ? boldItalic : bold) : r.italic() ? italic : regular;
    }

    String printable(String s, int[] replaced) {
      StringBuilder b = null;
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        boolean ok = c >= 0x20 && c < 0x7f || c >= 0x80 && encodable.computeIfAbsent(c, Fonts::winAnsi);
        if (!ok) {
          if (b == null) {
            b = new StringBuilder(s.substring(0, i));
          }
          replaced[0]++;
          // a surrogate pair is one character, two units wide in the layout: '?' and a space
          if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            i++;
            b.append("? ");
            continue;
          }
          b.append('?');
        } else if (b != null) {
          b.append(c);
        }
      }
      return b == null ? s : b.toString();
    }

    private static boolean winAnsi(char c) {
      if (Character.isSurrogate(c)) {
        return false;
      }
      String name = GlyphList.getAdobeGlyphList().codePointToName(c);
      return name != null && !name.equals(".notdef") && WinAnsiEncoding.INSTANCE.contains(name);
    }
  }
}
