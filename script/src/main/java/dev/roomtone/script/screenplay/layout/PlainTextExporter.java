package dev.roomtone.script.screenplay.layout;

import java.util.List;

/**
 * The laid-out script as monospaced text: one character per 0.1", the left margin dropped,
 * pages separated by a form feed. What a printer of plain text would show.
 */
public final class PlainTextExporter {

  private PlainTextExporter() {
  }

  public static String write(List<Page> pages) {
    StringBuilder b = new StringBuilder();
    for (int p = 0; p < pages.size(); p++) {
      Page page = pages.get(p);
      if (p > 0) {
        b.append('\f');
      }
      StringBuilder header = new StringBuilder();
      for (Part part : page.header()) {
        place(header, part);
      }
      b.append(header.toString().stripTrailing()).append("\n\n");
      for (Row row : page.rows()) {
        StringBuilder line = new StringBuilder();
        for (Part part : row.parts()) {
          if (part.kind() != Part.Kind.SCENE_NUMBER) {
            place(line, part);
          }
        }
        b.append(line.toString().stripTrailing()).append('\n');
      }
    }
    return b.toString();
  }

  private static void place(StringBuilder line, Part part) {
    int col = Math.max(0, (int) Math.round((part.x() - 1.0) / PageGrid.CHAR_WIDTH));
    while (line.length() < col) {
      line.append(' ');
    }
    if (line.length() > col) {
      line.append(' ');
    }
    line.append(part.text());
  }
}
