package dev.roomtone.script.screenplay;

import dev.roomtone.script.screenplay.ScreenplayElement.Action;
import dev.roomtone.script.screenplay.ScreenplayElement.Centered;
import dev.roomtone.script.screenplay.ScreenplayElement.Character;
import dev.roomtone.script.screenplay.ScreenplayElement.Dialogue;
import dev.roomtone.script.screenplay.ScreenplayElement.Lyrics;
import dev.roomtone.script.screenplay.ScreenplayElement.Parenthetical;
import dev.roomtone.script.screenplay.ScreenplayElement.SceneHeading;
import dev.roomtone.script.screenplay.ScreenplayElement.Transition;
import java.util.List;

/**
 * A screenplay in a form that compares across formats: no source ranges, inline text as the
 * styled runs it stands for (so {@code snake_case} and {@code snake\_case} compare equal).
 */
final class Canon {

  private Canon() {
  }

  static Screenplay of(Screenplay s) {
    SourceRange n = SourceRange.NONE;
    List<ScreenplayElement> els = s.elements().stream().<ScreenplayElement>map(e -> switch (e) {
      case SceneHeading h -> new SceneHeading(t(h.text()), h.sceneNumber(), n);
      case Action a -> new Action(t(a.text()), n);
      case Character c -> new Character(t(c.name()), c.extension(), c.dual(), n);
      case Parenthetical p -> new Parenthetical(t(p.text()), n);
      case Dialogue d -> new Dialogue(t(d.text()), n);
      case Lyrics l -> new Lyrics(t(l.text()), n);
      case Transition tr -> new Transition(t(tr.text()), n);
      case Centered c -> new Centered(t(c.text()), n);
      default -> e.withRange(n);
    }).toList();
    List<TitleField> title = s.titlePage().stream()
        .map(f -> new TitleField(f.key(), f.values().stream().map(Canon::t).toList())).toList();
    return new Screenplay(title, els);
  }

  private static String t(String raw) {
    return InlineText.toFountain(InlineText.runs(raw, true));
  }
}
