package dev.roomtone.script.screenplay;

import java.util.List;
import java.util.Random;

/**
 * A seeded, made-up screenplay in Fountain with every element kind in the proportions of a real
 * feature script, for tests and benchmarks. The same seed and length give the same text.
 */
public final class SyntheticScript {

  private static final List<String> NAMES = List.of("MARA", "DEV", "OKAFOR", "LUCIA", "BEN", "THE CLERK", "NADIA",
      "SAM", "GRANDPA JOE", "OFFICER KIM");
  private static final List<String> PLACES = List.of("KITCHEN", "PARKING GARAGE", "NEWSROOM", "ROOFTOP", "DINER",
      "MARA'S CAR", "POLICE STATION - LOBBY", "HOSPITAL CORRIDOR", "FERRY DECK", "MOTEL ROOM 12");
  private static final List<String> TIMES = List.of("DAY", "NIGHT", "CONTINUOUS", "LATER", "MOMENTS LATER", "DAWN");
  private static final String[] WORDS = ("the a of to and in that it with as for his her they on at by from "
      + "light door window rain coffee phone paper table hand voice street floor silence engine radio city key "
      + "slowly quietly again suddenly never almost still already outside behind across under over "
      + "looks turns waits opens closes listens reaches drops stares smiles runs stops laughs whispers").split(" ");
  private static final List<String> EXTENSIONS = List.of("(V.O.)", "(O.S.)", "(CONT'D)", "(O.C.)");
  private static final List<String> TRANSITIONS = List.of("CUT TO:", "SMASH CUT TO:", "DISSOLVE TO:", "MATCH CUT TO:");

  private SyntheticScript() {
  }

  /** About {@code pages} pages of screenplay (55 lines each once laid out). */
  public static String generate(long seed, int pages) {
    Random r = new Random(seed);
    StringBuilder b = new StringBuilder();
    b.append("Title: ").append("_**THE LONG NIGHT SHIFT**_\n");
    b.append("Credit: Written by\nAuthor: A. Writer\nDraft date: 1 December 2026\n");
    b.append("Contact:\n    Roomtone Pictures\n    writers@roomtone.example\n\n");
    int targetLines = pages * 56;
    int lines = 0;
    int scene = 0;
    while (lines < targetLines) {
      scene++;
      if (scene % 15 == 1) {
        b.append("# Act ").append(scene / 15 + 1).append("\n\n");
        b.append("= ").append(sentence(r, 8)).append("\n\n");
      }
      String ie = r.nextInt(4) == 0 ? "EXT." : r.nextInt(10) == 0 ? "INT./EXT." : "INT.";
      b.append(ie).append(' ').append(pick(r, PLACES)).append(" - ").append(pick(r, TIMES));
      if (r.nextInt(3) == 0) {
        b.append(" #").append(scene).append('#');
      }
      b.append("\n\n");
      lines += 2;
      int beats = 3 + r.nextInt(8);
      for (int k = 0; k < beats && lines < targetLines + 20; k++) {
        int kind = r.nextInt(20);
        if (kind < 7) {
          String p = paragraph(r, 1 + r.nextInt(4));
          b.append(p).append("\n\n");
          lines += p.length() / 60 + 2;
        } else if (kind < 17) {
          lines += speech(r, b, false);
        } else if (kind == 17) {
          lines += speech(r, b, false);
          lines += speech(r, b, true);
        } else if (kind == 18 && r.nextBoolean()) {
          b.append("[[").append(sentence(r, 6)).append("]]\n\n");
        } else {
          b.append("~").append(sentence(r, 5)).append("\n~").append(sentence(r, 5)).append("\n\n");
          lines += 3;
        }
      }
      if (r.nextInt(4) == 0) {
        b.append(pick(r, TRANSITIONS)).append("\n\n");
        lines += 2;
      }
      if (r.nextInt(60) == 0) {
        b.append("===\n\n");
        lines += 20;
      }
    }
    b.append("> THE END <\n");
    return b.toString();
  }

  private static int speech(Random r, StringBuilder b, boolean dual) {
    b.append(pick(r, NAMES));
    if (r.nextInt(6) == 0) {
      b.append(' ').append(pick(r, EXTENSIONS));
    }
    b.append(dual ? " ^\n" : "\n");
    int lines = 2;
    if (r.nextInt(4) == 0) {
      b.append('(').append(sentence(r, 3).replace(".", "")).append(")\n");
      lines++;
    }
    String d = paragraph(r, 1 + r.nextInt(r.nextInt(8) == 0 ? 12 : 3));
    b.append(d).append("\n\n");
    return lines + d.length() / 33 + 1;
  }

  private static String paragraph(Random r, int sentences) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < sentences; i++) {
      if (i > 0) {
        b.append(' ');
      }
      b.append(sentence(r, 4 + r.nextInt(10)));
    }
    return b.toString();
  }

  private static String sentence(Random r, int words) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < words; i++) {
      String w = WORDS[r.nextInt(WORDS.length)];
      if (i == 0) {
        w = Character.toUpperCase(w.charAt(0)) + w.substring(1);
      } else {
        b.append(' ');
      }
      int style = r.nextInt(60);
      b.append(style == 0 ? "*" + w + "*" : style == 1 ? "**" + w + "**" : style == 2 ? "_" + w + "_" : w);
    }
    return b.append(r.nextInt(5) == 0 ? "?" : ".").toString();
  }

  private static String pick(Random r, List<String> from) {
    return from.get(r.nextInt(from.size()));
  }
}
