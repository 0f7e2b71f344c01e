package dev.roomtone.script.screenplay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roomtone.script.crdt.YDoc;
import dev.roomtone.script.crdt.YText;
import dev.roomtone.script.screenplay.fdx.FdxReader;
import dev.roomtone.script.screenplay.fdx.FdxWriter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RoundTripTest {

  private static List<String> scripts() throws Exception {
    List<String> out = new ArrayList<>();
    out.add(Samples.sample());
    out.add(SyntheticScript.generate(3, 15));
    out.add("""
        .forced heading #12#

        !FORCED ACTION IN CAPS
        # not a section

        @McGee (V.O.)
        (softly)
        Line *one*.
          \s
        Line **two** with a\\*star and snake_case.
        ~sung

        BOB ^
        Hi.

        > Fade to black.

        >CENTERED<

        ===

        ## Sequence

        = Synopsis.

        [[A note
        on two lines.]]

        Café “quoted” — 🎬 done.
        """);
    return out;
  }

  @Test
  void fountainToFdxToFountainKeepsEveryElement() throws Exception {
    for (String fountain : scripts()) {
      Screenplay original = FountainParser.parse(fountain);
      byte[] fdx = FdxWriter.write(original).getBytes(StandardCharsets.UTF_8);
      Screenplay fromFdx = FdxReader.read(fdx);
      Screenplay back = FountainParser.parse(FountainWriter.write(fromFdx));
      assertEquals(Canon.of(original), Canon.of(back));
      assertTrue(original.elements().size() > 5);
    }
  }

  @Test
  void fountainToFountainKeepsEveryElement() throws Exception {
    for (String fountain : scripts()) {
      Screenplay original = FountainParser.parse(fountain);
      assertEquals(original.withoutRanges(), FountainParser.parse(FountainWriter.write(original)).withoutRanges());
    }
  }

  @Test
  void fountainThroughTheSharedDocumentToASecondReplica() throws Exception {
    for (String fountain : scripts()) {
      YDoc doc = new YDoc();
      SharedScript.replace(doc, fountain);
      byte[] update = doc.encodeStateAsUpdate();
      YDoc replica = SharedScript.decode(update);
      assertEquals(fountain, SharedScript.fountain(replica));
      String exported = new String(new ScreenplayExporter().export(SharedScript.screenplay(replica), ScriptFormat.FOUNTAIN),
          StandardCharsets.UTF_8);
      assertEquals(FountainParser.parse(fountain).withoutRanges(), FountainParser.parse(exported).withoutRanges());
    }
  }

  @Test
  void liveScreenplayFollowsRemoteEdits() {
    long seed = Long.getLong("roomtone.seed", System.nanoTime());
    System.out.println("RoundTripTest seed: " + seed + " (rerun with -Droomtone.seed=" + seed + ")");
    Random r = new Random(seed);
    YDoc writer = new YDoc(1);
    YDoc room = new YDoc(2);
    writer.onUpdate((update, origin, txn) -> room.applyUpdate(update));
    SharedScript.replace(writer, SyntheticScript.generate(r.nextLong(), 4));
    try (LiveScreenplay live = new LiveScreenplay(room)) {
      YText t = SharedScript.text(writer);
      String[] snippets = {"a", "\n", "\n\nINT. NEW - DAY\n\n", "BOB\nHi.\n", "CUT TO:", " "};
      for (int i = 0; i < 300; i++) {
        int len = t.length();
        int at = r.nextInt(len + 1);
        if (r.nextInt(3) == 0 && at < len) {
          t.delete(at, Math.min(len - at, 1 + r.nextInt(20)));
        } else {
          t.insert(at, snippets[r.nextInt(snippets.length)]);
        }
        assertEquals(FountainParser.parse(SharedScript.fountain(room)), live.screenplay(), "seed " + seed + " edit " + i);
      }
    }
  }
}
