package dev.roomtone.script.screenplay.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roomtone.script.screenplay.FountainParser;
import dev.roomtone.script.screenplay.Screenplay;
import dev.roomtone.script.screenplay.SyntheticScript;
import java.util.List;
import org.junit.jupiter.api.Test;

class PaginatorTest {

  private static Part first(Row r) {
    return r.parts().get(0);
  }

  @Test
  void gridsHaveTheIndustryMeasures() {
    assertEquals(55, PageGrid.LETTER.linesPerPage());
    assertEquals(60, PageGrid.LETTER.fullWidthChars());
    assertEquals(59, PageGrid.A4.linesPerPage());
    assertEquals(57, PageGrid.A4.fullWidthChars());
  }

  @Test
  void aFeatureLengthScriptFollowsTheRulesOnEveryPage() {
    for (PageGrid grid : List.of(PageGrid.LETTER, PageGrid.A4)) {
      Screenplay s = FountainParser.parse(SyntheticScript.generate(5, 120));
      List<Page> pages = new Paginator(new LayoutOptions(grid, true, true)).paginate(s);
      assertEquals(0, pages.get(0).number(), "title page first");
      int body = pages.size() - 1;
      if (grid == PageGrid.LETTER) {
        assertTrue(body >= 105 && body <= 140, "about 120 pages: " + body);
      }
      int more = 0;
      for (int p = 1; p < pages.size(); p++) {
        Page page = pages.get(p);
        List<Row> rows = page.rows();
        assertTrue(rows.size() <= grid.linesPerPage(), "page " + p + " has " + rows.size() + " rows");
        assertFalse(rows.get(0).blank(), "page " + p + " starts with a blank line");
        Row last = rows.get(rows.size() - 1);
        assertFalse(last.parts().stream().anyMatch(x -> x.kind() == Part.Kind.SCENE_HEADING), "heading ends page " + p);
        assertFalse(first(last).kind() == Part.Kind.CHARACTER, "cue ends page " + p);
        assertFalse(first(last).kind() == Part.Kind.PARENTHETICAL, "parenthetical ends page " + p);
        assertEquals(p >= 2, !page.header().isEmpty(), "number on page " + p);
        if (first(last).kind() == Part.Kind.MORE) {
          more++;
          Row next = pages.get(p + 1).rows().get(0);
          assertTrue(first(next).text().endsWith("(CONT'D)"), "page " + (p + 1) + " starts " + first(next).text());
        }
      }
      assertTrue(more > 0, "the script has speeches split over pages");
    }
  }

  @Test
  void plainTextSeparatesPagesAndKeepsIndents() {
    Screenplay s = FountainParser.parse(SyntheticScript.generate(9, 5));
    List<Page> pages = new Paginator(LayoutOptions.DEFAULT).paginate(s);
    String txt = PlainTextExporter.write(pages);
    assertEquals(pages.size() - 1, txt.chars().filter(c -> c == '\f').count());
    assertTrue(txt.contains("\n                          THE LONG NIGHT SHIFT\n") || txt.contains("THE LONG NIGHT SHIFT"));
    // a cue sits 22 columns right of action (3.7" - 1.5")
    String[] lines = txt.split("\n");
    boolean cue = false;
    for (String l : lines) {
      if (l.matches(" {27}MARA")) {
        cue = true;
      }
    }
    assertTrue(cue, "a cue at column 27 (0.5\" margin + 2.2\")");
  }
}
