package dev.roomtone.script.screenplay.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roomtone.script.screenplay.FountainParser;
import dev.roomtone.script.screenplay.layout.LayoutOptions;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.junit.jupiter.api.Test;

/**
 * Renders the sample script's first pages to PNG, as shown in the README. They go to
 * {@code target/screenplay-samples}; {@code -Droomtone.samples.dir=../docs/screenplay} refreshes
 * the committed ones.
 */
class SamplePagesTest {

  private static final int DPI = 80;

  @Test
  void samplePagesRenderAsScreenplayPages() throws Exception {
    Path dir = Path.of(System.getProperty("roomtone.samples.dir", "target/screenplay-samples"));
    Files.createDirectories(dir);
    byte[] pdf = new PdfExporter(LayoutOptions.DEFAULT.withSceneNumbers(true))
        .export(FountainParser.parse(PdfExporterTest.sample())).pdf();
    Files.write(dir.resolve("sample.pdf"), pdf);
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      assertTrue(doc.getNumberOfPages() >= 3);
      PDFRenderer renderer = new PDFRenderer(doc);
      for (int p = 0; p < 3; p++) {
        BufferedImage img = renderer.renderImageWithDPI(p, DPI);
        assertEquals(Math.round(8.5 * DPI), img.getWidth());
        assertEquals(Math.round(11 * DPI), img.getHeight());
        ImageIO.write(img, "png", dir.resolve("page-" + (p + 1) + ".png").toFile());
        if (p == 1) {
          // ink in the text column, none in the left margin outside the scene number column
          assertTrue(inkBetween(img, 1.5, 7.6), "text column has ink");
          assertFalse(inkBetween(img, 0.05, 0.6), "left edge is blank");
        }
      }
    }
  }

  private static boolean inkBetween(BufferedImage img, double fromInch, double toInch) {
    for (int x = (int) (fromInch * DPI); x < (int) (toInch * DPI); x++) {
      for (int y = DPI; y < img.getHeight() - DPI; y++) {
        if ((img.getRGB(x, y) & 0xff) < 128) {
          return true;
        }
      }
    }
    return false;
  }
}
