package dev.roomtone.script.screenplay.fdx;

import dev.roomtone.script.screenplay.InlineText;
import dev.roomtone.script.screenplay.Screenplay;
import dev.roomtone.script.screenplay.ScreenplayElement;
import dev.roomtone.script.screenplay.ScreenplayElement.Action;
import dev.roomtone.script.screenplay.ScreenplayElement.Centered;
import dev.roomtone.script.screenplay.ScreenplayElement.Character;
import dev.roomtone.script.screenplay.ScreenplayElement.Dialogue;
import dev.roomtone.script.screenplay.ScreenplayElement.Lyrics;
import dev.roomtone.script.screenplay.ScreenplayElement.Note;
import dev.roomtone.script.screenplay.ScreenplayElement.PageBreak;
import dev.roomtone.script.screenplay.ScreenplayElement.Parenthetical;
import dev.roomtone.script.screenplay.ScreenplayElement.SceneHeading;
import dev.roomtone.script.screenplay.ScreenplayElement.Section;
import dev.roomtone.script.screenplay.ScreenplayElement.Synopsis;
import dev.roomtone.script.screenplay.ScreenplayElement.Transition;
import dev.roomtone.script.screenplay.TextRun;
import dev.roomtone.script.screenplay.TitleField;
import java.util.ArrayList;
import java.util.List;

/**
 * A screenplay as Final Draft XML ({@code .fdx}): {@code <FinalDraft DocumentType="Script">} with
 * one {@code <Paragraph Type=...>} per element, styled {@code <Text>} runs, scene numbers in
 * {@code Number}, dual dialogue in {@code <DualDialogue>}, and the title page. Sections, synopses
 * and notes, which Final Draft has no paragraph type for, become General paragraphs written as in
 * Fountain ({@code # Act One}); {@link FdxReader} reads them back. Title page paragraphs carry the
 * Fountain key in a {@code FountainKey} attribute, which Final Draft ignores.
 */
public final class FdxWriter {

  private FdxWriter() {
  }

  public static String write(Screenplay s) {
    StringBuilder b = new StringBuilder(4096);
    b.append("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\" ?>\n");
    b.append("<FinalDraft DocumentType=\"Script\" Template=\"No\" Version=\"5\">\n\n  <Content>\n");
    List<ScreenplayElement> els = s.elements();
    boolean pageBreak = false;
    for (int i = 0; i < els.size(); i++) {
      ScreenplayElement e = els.get(i);
      if (e instanceof PageBreak) {
        pageBreak = true;
        continue;
      }
      if (e instanceof Character && i + 1 < els.size()) {
        int end = speechEnd(els, i + 1);
        if (end < els.size() && els.get(end) instanceof Character c2 && c2.dual()) {
          int end2 = speechEnd(els, end + 1);
          b.append("    <Paragraph").append(pageBreak ? " StartsNewPage=\"Yes\"" : "").append(">\n");
          b.append("      <DualDialogue>\n");
          for (ScreenplayElement d : els.subList(i, end2)) {
            paragraph(b, d, "        ", false);
          }
          b.append("      </DualDialogue>\n    </Paragraph>\n");
          pageBreak = false;
          i = end2 - 1;
          continue;
        }
      }
      paragraph(b, e, "    ", pageBreak);
      pageBreak = false;
    }
    if (pageBreak) {
      b.append("    <Paragraph StartsNewPage=\"Yes\" Type=\"Action\">\n      <Text></Text>\n    </Paragraph>\n");
    }
    b.append("  </Content>\n");
    if (!s.titlePage().isEmpty()) {
      b.append("\n  <TitlePage>\n    <Content>\n");
      for (TitleField f : s.titlePage()) {
        String align = switch (f.normalizedKey()) {
          case "title", "credit", "author", "authors", "source" -> "Center";
          case "copyright", "notes", "revision" -> "Right";
          default -> "Left";
        };
        List<String> values = f.values().isEmpty() ? List.of("") : f.values();
        for (String v : values) {
          b.append("      <Paragraph Alignment=\"").append(align).append("\" FountainKey=\"").append(xml(f.key()))
              .append("\" Type=\"Text\">\n");
          runs(b, InlineText.runs(v, true), "        ");
          b.append("      </Paragraph>\n");
        }
      }
      b.append("    </Content>\n  </TitlePage>\n");
    }
    b.append("\n</FinalDraft>\n");
    return b.toString();
  }

  static int speechEnd(List<ScreenplayElement> els, int from) {
    int j = from;
    while (j < els.size() && (els.get(j) instanceof Dialogue || els.get(j) instanceof Parenthetical
        || els.get(j) instanceof Lyrics && ScreenplayElement.adjacent(els.get(j - 1), els.get(j)))) {
      j++;
    }
    return j;
  }

  private static void paragraph(StringBuilder b, ScreenplayElement e, String indent, boolean newPage) {
    String type;
    String extra = "";
    String text;
    switch (e) {
      case SceneHeading h -> {
        type = "Scene Heading";
        text = h.text();
        if (h.sceneNumber() != null) {
          extra = " Number=\"" + xml(h.sceneNumber()) + "\"";
        }
      }
      case Action a -> {
        type = "Action";
        text = a.text();
      }
      case Character c -> {
        type = "Character";
        text = c.text();
      }
      case Parenthetical p -> {
        type = "Parenthetical";
        text = p.text();
      }
      case Dialogue d -> {
        type = "Dialogue";
        text = d.text();
      }
      case Lyrics l -> {
        type = "Lyrics";
        text = l.text();
      }
      case Transition t -> {
        type = "Transition";
        text = t.text();
      }
      case Centered c -> {
        type = "Action";
        extra = " Alignment=\"Center\"";
        text = c.text();
      }
      case Section sec -> {
        type = "General";
        text = "#".repeat(sec.depth()) + " " + sec.text();
      }
      case Synopsis syn -> {
        type = "General";
        text = "= " + syn.text();
      }
      case Note n -> {
        type = "General";
        text = "[[" + n.text() + "]]";
      }
      case PageBreak p -> throw new IllegalStateException("page breaks are paragraph attributes");
    }
    b.append(indent).append("<Paragraph").append(extra).append(newPage ? " StartsNewPage=\"Yes\"" : "")
        .append(" Type=\"").append(type).append("\">\n");
    boolean raw = e instanceof Section || e instanceof Synopsis || e instanceof Note;
    runs(b, raw ? List.of(TextRun.plain(text)) : InlineText.runs(text, true), indent + "  ");
    b.append(indent).append("</Paragraph>\n");
  }

  private static void runs(StringBuilder b, List<TextRun> runs, String indent) {
    if (runs.isEmpty()) {
      runs = List.of(TextRun.plain(""));
    }
    for (TextRun r : runs) {
      List<String> style = new ArrayList<>();
      if (r.bold()) {
        style.add("Bold");
      }
      if (r.italic()) {
        style.add("Italic");
      }
      if (r.underline()) {
        style.add("Underline");
      }
      b.append(indent).append("<Text");
      if (!style.isEmpty()) {
        b.append(" Style=\"").append(String.join("+", style)).append('"');
      }
      b.append('>').append(xml(r.text())).append("</Text>\n");
    }
  }

  static String xml(String s) {
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\n' -> b.append("&#10;");
        default -> {
          if (c >= 0x20 || c == '\t') {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }
}
