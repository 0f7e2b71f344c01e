package dev.roomtone.script.screenplay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ParsedScriptTest {

  private static final List<String> SNIPPETS = List.of("\n", "\n\n", "a", "X", " ", "INT. NEW ROOM - DAY",
      "\n\nEXT. YARD - NIGHT\n\n", "BOB\n", "(beat)\n", "CUT TO:", "\n\n> END <\n\n", "~la", "===", "# Act",
      "= syn", "[[note", "]]", "!", "@", ".", "^", "**", "_", "\\", "  ", "é🎬", "*/", "Title: X\n");

  @Test
  void randomEditsMatchAFullParse() {
    long seed = Long.getLong("roomtone.seed", System.nanoTime());
    System.out.println("ParsedScriptTest seed: " + seed + " (rerun with -Droomtone.seed=" + seed + ")");
    Random r = new Random(seed);
    for (int round = 0; round < 6; round++) {
      String text = SyntheticScript.generate(r.nextLong(), 3);
      ParsedScript script = ParsedScript.parse(text);
      for (int i = 0; i < 400; i++) {
        int len = script.text().length();
        int from = r.nextInt(len + 1);
        int removed = r.nextInt(4) == 0 ? Math.min(len - from, r.nextInt(30)) : 0;
        String inserted = removed > 0 && r.nextBoolean() ? "" : SNIPPETS.get(r.nextInt(SNIPPETS.size()));
        if (r.nextInt(150) == 0) {
          inserted = "/*"; // a boneyard: full parses until the script is replaced
        }
        if (r.nextInt(10) == 0) {
          inserted = "";
          removed = Math.min(len - from, 1);
        }
        String before = script.text();
        script = script.edit(from, removed, inserted);
        String expectedText = before.substring(0, from) + inserted + before.substring(from + removed);
        assertEquals(expectedText, script.text());
        Screenplay full = FountainParser.parse(expectedText);
        int round0 = round;
        int i0 = i;
        assertEquals(full, script.screenplay(), () -> "seed " + seed + " round " + round0 + " edit " + i0);
        if (r.nextInt(50) == 0) {
          script = ParsedScript.parse(SyntheticScript.generate(r.nextLong(), 2));
        }
      }
    }
  }

  @Test
  void anEditInsideOneSceneReusesTheRest() {
    String text = SyntheticScript.generate(7, 20);
    ParsedScript script = ParsedScript.parse(text);
    int at = text.indexOf("\n\n", text.length() / 2) + 2;
    ParsedScript edited = script.edit(at, 0, "Xy");
    List<ScreenplayElement> before = script.screenplay().elements();
    List<ScreenplayElement> after = edited.screenplay().elements();
    // the last element is the same record, shifted: reused, not re-parsed from text
    assertEquals(before.get(before.size() - 1).shifted(2), after.get(after.size() - 1));
    assertEquals(FountainParser.parse(edited.text()), edited.screenplay());
    assertTrue(after.size() >= before.size());
  }
}
