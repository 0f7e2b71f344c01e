package dev.roomtone.script.screenplay;

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
import java.util.List;

/**
 * A {@link Screenplay} as Fountain. A forcing mark ({@code . ! @ >}) is written only where the
 * plain form would read back as another kind of element, so scripts stay as writers type them.
 */
public final class FountainWriter {

  private FountainWriter() {
  }

  public static String write(Screenplay s) {
    StringBuilder b = new StringBuilder();
    List<TitleField> title = s.titlePage();
    for (TitleField f : title) {
      b.append(f.key()).append(':');
      if (f.values().size() == 1) {
        b.append(' ').append(f.values().get(0)).append('\n');
      } else {
        b.append('\n');
        for (String v : f.values()) {
          b.append("    ").append(v).append('\n');
        }
      }
    }
    if (!title.isEmpty()) {
      b.append('\n');
    }
    List<ScreenplayElement> els = s.elements();
    for (int i = 0; i < els.size(); i++) {
      ScreenplayElement e = els.get(i);
      boolean inBlock = i > 0 && (e instanceof Parenthetical || e instanceof Dialogue || e instanceof Lyrics)
          && inDialogue(els, i);
      if (i > 0) {
        b.append(inBlock ? "\n" : "\n\n");
      }
      switch (e) {
        case SceneHeading h -> {
          boolean plain = FountainParser.HEADING.matcher(h.text()).find();
          b.append(plain ? "" : ".").append(h.text());
          if (h.sceneNumber() != null) {
            b.append(" #").append(h.sceneNumber()).append('#');
          }
        }
        case Action a -> writeAction(b, a.text(), i == 0 && title.isEmpty());
        case Character c -> {
          String cue = c.text() + (c.dual() ? " ^" : "");
          boolean plain = FountainParser.isCharacterCue(cue) && !startsSpecial(cue);
          b.append(plain ? "" : "@").append(cue);
        }
        case Parenthetical p -> b.append(p.text());
        case Dialogue d -> {
          String[] lines = d.text().split("\n", -1);
          for (int k = 0; k < lines.length; k++) {
            if (k > 0) {
              b.append('\n');
            }
            b.append(lines[k].isEmpty() ? "  " : lines[k]);
          }
        }
        case Lyrics l -> b.append("~").append(l.text());
        case Transition t -> {
          boolean plain = FountainParser.isTransition(t.text()) && !startsSpecial(t.text());
          b.append(plain ? "" : "> ").append(t.text());
        }
        case Centered c -> b.append("> ").append(c.text()).append(" <");
        case PageBreak p -> b.append("===");
        case Section sec -> b.append("#".repeat(sec.depth())).append(' ').append(sec.text());
        case Synopsis syn -> b.append("= ").append(syn.text());
        case Note n -> b.append("[[").append(n.text()).append("]]");
      }
    }
    if (!els.isEmpty()) {
      b.append('\n');
    }
    return b.toString();
  }

  private static boolean inDialogue(List<ScreenplayElement> els, int i) {
    ScreenplayElement prev = els.get(i - 1);
    if (els.get(i) instanceof Lyrics && !ScreenplayElement.adjacent(prev, els.get(i))) {
      return false;
    }
    return prev instanceof Character || prev instanceof Dialogue || prev instanceof Parenthetical
        || prev instanceof Lyrics && i > 1 && inDialogue(els, i - 1);
  }

  /** Starts with a mark that makes any line (even inside a paragraph) another element. */
  private static boolean startsSpecial(String line) {
    String t = line.strip();
    return t.startsWith("#") || t.startsWith("=") || t.startsWith("~") || t.startsWith(">")
        || t.startsWith("!");
  }

  private static void writeAction(StringBuilder b, String text, boolean documentStart) {
    String[] lines = text.split("\n", -1);
    for (int k = 0; k < lines.length; k++) {
      String line = lines[k];
      if (k > 0) {
        b.append('\n');
      }
      boolean force = startsSpecial(line) || line.isBlank();
      if (k == 0 && !force) {
        String t = line.strip();
        boolean nextBlank = lines.length == 1;
        force = t.startsWith(".") || t.startsWith("@") || t.startsWith("[[")
            || nextBlank && FountainParser.HEADING.matcher(t).find()
            || nextBlank && FountainParser.isTransition(t)
            || !nextBlank && FountainParser.isCharacterCue(t)
            || documentStart && t.matches("^[A-Za-z][A-Za-z0-9 _-]*:.*");
      }
      b.append(force ? "!" : "").append(line);
    }
  }
}
