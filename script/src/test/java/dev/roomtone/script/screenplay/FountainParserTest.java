package dev.roomtone.script.screenplay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.Test;

class FountainParserTest {

  private static List<ScreenplayElement> els(String text) {
    return FountainParser.parse(text).withoutRanges().elements();
  }

  private static ScreenplayElement only(String text) {
    List<ScreenplayElement> e = els(text);
    assertEquals(1, e.size(), () -> "elements of " + text + ": " + e);
    return e.get(0);
  }

  private static final SourceRange N = SourceRange.NONE;

  @Test
  void titlePageKeysInlineAndIndentedValues() {
    Screenplay s = FountainParser.parse("""
        Title:
            _**BRICK & STEEL**_
            _**FULL RETIRED**_
        Credit: Written by
        Author: Stu Maschwitz
        Draft date: 1/20/2012
        Contact:
        \tNext Level Productions
        \t1588 Mission Dr.

        EXT. BRICK'S PATIO - DAY

        A gorgeous day.
        """);
    assertEquals(List.of("_**BRICK & STEEL**_", "_**FULL RETIRED**_"), s.title("title").orElseThrow().values());
    assertEquals(List.of("Written by"), s.title("Credit").orElseThrow().values());
    assertEquals(List.of("1/20/2012"), s.title("draft date").orElseThrow().values());
    assertEquals(List.of("Next Level Productions", "1588 Mission Dr."), s.title("contact").orElseThrow().values());
    assertEquals(5, s.titlePage().size());
    assertEquals(List.of(new SceneHeading("EXT. BRICK'S PATIO - DAY", null, N), new Action("A gorgeous day.", N)),
        s.withoutRanges().elements());
  }

  @Test
  void noTitlePageWhenTheFirstLineIsNoKey() {
    Screenplay s = FountainParser.parse("INT. HOUSE - DAY\n\nA room: empty.\n");
    assertTrue(s.titlePage().isEmpty());
    assertEquals(2, s.elements().size());
  }

  @Test
  void sceneHeadingsAllPrefixesAndNumbers() {
    for (String h : List.of("INT. HOUSE - DAY", "EXT. ROAD - NIGHT", "EST. CITY", "INT./EXT. CAR", "INT/EXT CAR",
        "I/E TRAIN", "int. lowercase kitchen")) {
      assertEquals(new SceneHeading(h, null, N), only("\n" + h + "\n\n"), h);
    }
    assertEquals(new SceneHeading("INT. HOUSE - DAY", "1A", N), only("INT. HOUSE - DAY #1A#\n"));
    assertEquals(new SceneHeading("EXT. ROAD", "I-1-A", N), only("EXT. ROAD #I-1-A#"));
    assertEquals(new SceneHeading("SNIPER SCOPE POV", null, N), only(".SNIPER SCOPE POV\n"));
    assertEquals(new SceneHeading("flashback", "3", N), only(". flashback #3#"));
    // "INTERIOR" and "..." are not headings
    assertInstanceOf(Action.class, only("INTERIOR DESIGN\n"));
    assertInstanceOf(Action.class, only("...and then.\n"));
  }

  @Test
  void sceneHeadingWithoutBlankLineAfterIsAction() {
    List<ScreenplayElement> e = els("INT. HOUSE - DAY\nBob walks in.\n");
    assertEquals(List.of(new Action("INT. HOUSE - DAY\nBob walks in.", N)), e);
    // and without a blank line before, too
    assertEquals(List.of(new Action("He stops.\nINT. HOUSE - DAY", N)), els("He stops.\nINT. HOUSE - DAY\n\n"));
  }

  @Test
  void actionKeepsLinesAndForcedAction() {
    assertEquals(new Action("They run.\n  Indented, kept.", N), only("They run.\n  Indented, kept.\n"));
    assertEquals(new Action("SCANNING THE AISLES...", N), only("!SCANNING THE AISLES...\n"));
    List<ScreenplayElement> e = els("!SCANNING THE AISLES...\nWhere is it?\n");
    assertEquals(List.of(new Action("SCANNING THE AISLES...\nWhere is it?", N)), e);
  }

  @Test
  void capsLineFollowedByBlankIsNotACharacter() {
    assertEquals(List.of(new Action("BOOM!", N), new Action("The wall falls.", N)), els("BOOM!\n\nThe wall falls.\n"));
  }

  @Test
  void capsLineWithoutBlankBeforeIsNotACharacter() {
    assertEquals(List.of(new Action("The sign says\nEXIT\nin red.", N)), els("The sign says\nEXIT\nin red.\n"));
  }

  @Test
  void charactersExtensionsForcedAndDialogue() {
    assertEquals(List.of(new Character("STEEL", "", false, N), new Dialogue("Beer's ready!", N)),
        els("STEEL\nBeer's ready!\n"));
    assertEquals(List.of(new Character("MOM", "(O.S.)", false, N), new Dialogue("Luke! Come down.", N)),
        els("MOM (O.S.)\nLuke! Come down.\n"));
    assertEquals(new Character("HANS", "(on the radio)", false, N), els("HANS (on the radio)\nHello.\n").get(0));
    assertEquals(new Character("BRICK", "(V.O.) (CONT'D)", false, N), els("BRICK (V.O.) (CONT'D)\nHi.\n").get(0));
    assertEquals(new Character("McCLANE", "", false, N), els("@McCLANE\nYippie ki-yay!\n").get(0));
    assertEquals(new Character("R2D2", "", false, N), els("R2D2\nBeep.\n").get(0));
    // numbers alone are not a name
    assertInstanceOf(Action.class, els("23\nskidoo\n").get(0));
  }

  @Test
  void parentheticalsAndMultiLineDialogue() {
    assertEquals(List.of(new Character("STEEL", "", false, N), new Parenthetical("(starting the engine)", N),
        new Dialogue("So much for retirement!\nLet's go.", N), new Parenthetical("(beat)", N), new Dialogue("Now.", N)),
        els("STEEL\n(starting the engine)\nSo much for retirement!\nLet's go.\n(beat)\nNow.\n"));
  }

  @Test
  void twoSpacesKeepDialogueGoing() {
    assertEquals(List.of(new Character("DEALER", "", false, N), new Dialogue("Ten.\n\nFour.", N)),
        els("DEALER\nTen.\n  \nFour.\n"));
  }

  @Test
  void dualDialogue() {
    List<ScreenplayElement> e = els("BRICK\nScrew retirement.\n\nSTEEL ^\nScrew retirement.\n");
    assertEquals(List.of(new Character("BRICK", "", false, N), new Dialogue("Screw retirement.", N),
        new Character("STEEL", "", true, N), new Dialogue("Screw retirement.", N)), e);
  }

  @Test
  void lyricsStandaloneAndInDialogue() {
    assertEquals(List.of(new Lyrics("Willy Wonka! Willy Wonka!", N), new Lyrics("The amazing chocolatier!", N)),
        els("~Willy Wonka! Willy Wonka!\n~The amazing chocolatier!\n"));
    assertEquals(List.of(new Character("ANNA", "", false, N), new Lyrics("La la la", N)), els("ANNA\n~La la la\n"));
    // lyrics after a blank line are not part of the speech before them: the writer keeps the blank line
    String separate = "ANNA\nHi.\n\n~La la la\n";
    Screenplay s = FountainParser.parse(separate);
    assertFalse(ScreenplayElement.adjacent(s.elements().get(1), s.elements().get(2)));
    assertEquals(separate, FountainWriter.write(s));
  }

  @Test
  void transitionsPlainAndForced() {
    assertEquals(new Transition("CUT TO:", N), only("\nCUT TO:\n\n"));
    assertEquals(new Transition("BURN TO WHITE.", N), only("> BURN TO WHITE.\n"));
    // "TO:" at the end but not in caps: action
    assertInstanceOf(Action.class, only("\nHe walks to:\n"));
    // a transition needs a blank line after; with text after it is no cue either
    assertEquals(List.of(new Action("CUT TO:\nthe chase.", N)), els("\nCUT TO:\nthe chase.\n"));
  }

  @Test
  void centered() {
    assertEquals(new Centered("THE END", N), only(">THE END<\n"));
    assertEquals(List.of(new Centered("THE", N), new Centered("END", N)), els("> THE <\n> END <\n"));
  }

  @Test
  void pageBreaksSectionsSynopses() {
    assertEquals(List.of(new Action("One.", N), new PageBreak(N), new Action("Two.", N)), els("One.\n\n===\n\nTwo.\n"));
    assertEquals(new Section("Act One", 1, N), only("# Act One\n"));
    assertEquals(new Section("Sequence", 3, N), only("### Sequence\n"));
    assertEquals(new Synopsis("Set up the characters and the story.", N), only("= Set up the characters and the story.\n"));
  }

  @Test
  void notesStandaloneInlineAndSpanningLines() {
    assertEquals(new Note("This section needs work.", N), only("[[This section needs work.]]\n"));
    assertEquals(new Note("It was supposed to be Vegas.\nCUT THIS.", N), only("[[It was supposed to be Vegas.\nCUT THIS.]]\n"));
    // a note inside action stays in the text; printed text drops it
    Action a = (Action) only("He opens the door [[check the\nSTAGE PLAN]] and waits.\n");
    assertEquals("He opens the door [[check the\nSTAGE PLAN]] and waits.", a.text());
    assertEquals("He opens the door  and waits.", InlineText.plain(a.text()));
    // a note inside dialogue does not end the speech nor make a cue of a caps line
    assertEquals(List.of(new Character("BOB", "", false, N), new Dialogue("Hi [[a note\nALL CAPS]] there.", N)),
        els("BOB\nHi [[a note\nALL CAPS]] there.\n"));
  }

  @Test
  void boneyardIsIgnoredAndKeepsOffsets() {
    String text = "INT. A - DAY\n\n/*\nINT. CUT SCENE - NIGHT\n\nGone.\n*/\n\nKept. /* aside */ More.\n";
    Screenplay s = FountainParser.parse(text);
    assertEquals(List.of(new SceneHeading("INT. A - DAY", null, N), new Action("Kept.  More.", N)),
        s.withoutRanges().elements());
    SourceRange r = s.elements().get(1).range();
    assertEquals("Kept. /* aside */ More.", text.substring(r.start(), r.end()));
    // an unclosed boneyard hides the rest
    assertEquals(List.of(new Action("Kept.", N)), els("Kept.\n\n/* the rest\n\nINT. X - DAY\n"));
  }

  @Test
  void sourceRangesAreUtf16OffsetsOfTheText() {
    String text = "EXT. CAFÉ 🎬 - DAY\n\nANNA\n(quietly)\nÇa va? 🙂\nOui.\n";
    Screenplay s = FountainParser.parse(text);
    List<String> spans = s.elements().stream().map(e -> text.substring(e.range().start(), e.range().end())).toList();
    assertEquals(List.of("EXT. CAFÉ 🎬 - DAY", "ANNA", "(quietly)", "Ça va? 🙂\nOui."), spans);
  }

  @Test
  void windowsLineEnds() {
    assertEquals(List.of(new SceneHeading("INT. A", null, N), new Character("BOB", "", false, N), new Dialogue("Hi.", N)),
        els("INT. A\r\n\r\nBOB\r\nHi.\r\n"));
  }

  @Test
  void inlineEmphasisAndEscapes() {
    assertEquals(List.of(new TextRun("bold", true, false, false)), InlineText.runs("**bold**"));
    assertEquals(List.of(new TextRun("a ", false, false, false), new TextRun("it", false, true, false),
        new TextRun(" b", false, false, false)), InlineText.runs("a *it* b"));
    assertEquals(List.of(new TextRun("both", true, true, false)), InlineText.runs("***both***"));
    assertEquals(List.of(new TextRun("under", false, false, true)), InlineText.runs("_under_"));
    assertEquals(List.of(new TextRun("ub", true, false, true)), InlineText.runs("_**ub**_"));
    assertEquals(List.of(TextRun.plain("5 * 3 = *15")), InlineText.runs("5 * 3 = *15"));
    assertEquals(List.of(TextRun.plain("*not italic*")), InlineText.runs("\\*not italic\\*"));
    assertEquals(List.of(TextRun.plain("snake_case")), InlineText.runs("snake_case"));
    // emphasis does not cross a line
    assertEquals(List.of(TextRun.plain("*open\nclose*")), InlineText.runs("*open\nclose*"));
    String styled = "Plain **bold** *it* _u_ ***bi*** a\\*b";
    assertEquals(InlineText.runs(styled), InlineText.runs(InlineText.toFountain(InlineText.runs(styled))));
    assertFalse(InlineText.toFountain(List.of(TextRun.plain("a*b"))).contains("a*b"));
  }

  @Test
  void writerForcesOnlyWhereNeeded() {
    Screenplay s = new Screenplay(List.of(), List.of(
        new SceneHeading("INT. HOUSE", "1", N),
        new SceneHeading("DREAM SEQUENCE", null, N),
        new Action("BOOM", N),
        new Action("SHOUTS\nfrom the hall.", N),
        new Action("A quiet line.", N),
        new Action("# not a section\n~ nor lyrics", N),
        new Character("BOB", "(V.O.)", false, N),
        new Dialogue("Hi.", N),
        new Character("McGee", "", true, N),
        new Dialogue("Hi.\n\nBye.", N),
        new Transition("CUT TO:", N),
        new Transition("Fade out.", N),
        new Centered("END", N),
        new PageBreak(N),
        new Section("Act", 2, N),
        new Synopsis("syn", N),
        new Note("note", N)));
    String f = FountainWriter.write(s);
    assertTrue(f.startsWith("INT. HOUSE #1#\n"), f);
    assertTrue(f.contains("\n.DREAM SEQUENCE\n"), f);
    assertTrue(f.contains("\nBOOM\n"), f);
    assertTrue(f.contains("\n!SHOUTS\nfrom the hall."), f);
    assertTrue(f.contains("\nA quiet line.\n"), f);
    assertTrue(f.contains("\nBOB (V.O.)\nHi.\n"), f);
    assertTrue(f.contains("\n@McGee ^\n"), f);
    assertTrue(f.contains("\nCUT TO:\n"), f);
    assertTrue(f.contains("\n> Fade out.\n"), f);
    assertEquals(s, FountainParser.parse(f).withoutRanges());
  }
}
