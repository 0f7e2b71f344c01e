package dev.roomtone.script.crdt;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Relative positions made on one side resolve to the same index on the other, also after concurrent
 * edits, and are encoded identically.
 */
class RelativePositionCompatibilityTest {

  private static YjsOracle oracle;

  @BeforeAll
  static void startOracle() {
    oracle = YjsOracle.start();
  }

  @AfterAll
  static void stopOracle() {
    oracle.close();
  }

  private static void sync(Replica a, Replica b) {
    b.applyUpdate(a.encodeState(b.stateVector()));
    a.applyUpdate(b.encodeState(a.stateVector()));
  }

  @Test
  void positionsSurviveConcurrentEditsOnBothImplementations() {
    long base = Seeds.base("positionsSurviveConcurrentEditsOnBothImplementations");
    ArrayNode textPath = JsonNodeFactory.instance.arrayNode().add("text:t");
    for (int c = 0; c < 150; c++) {
      long seed = base + c;
      SplittableRandom random = new SplittableRandom(seed);
      RandomEdits edits = new RandomEdits(random);
      String name = "rpos-" + seed;
      Replica.Java java = new Replica.Java(name, 11, true);
      Replica.Yjs yjs = new Replica.Yjs(oracle, name, 22, true);
      try {
        for (int i = 0; i < 6; i++) {
          Replica writer = random.nextBoolean() ? java : yjs;
          writer.apply(edits.transaction(writer));
          sync(java, yjs);
        }
        int len = java.lengthAt(textPath);
        int index = random.nextInt(len + 1);
        int assoc = random.nextBoolean() ? 0 : -1;
        byte[] fromJava = RelativePosition.fromIndex(java.doc.getText("t"), index, assoc).encode();
        byte[] fromYjs = oracle.relPos(name, textPath, index, assoc);
        String where = "seed " + seed + " index " + index + " assoc " + assoc;
        assertArrayEquals(fromYjs, fromJava, where + ": encodings differ");
        // concurrent edits on both sides, then exchange
        for (int i = 0; i < 4; i++) {
          java.apply(edits.transaction(java));
          yjs.apply(edits.transaction(yjs));
        }
        sync(java, yjs);
        Integer yjsIndex = oracle.resolveRelPos(name, fromJava);
        RelativePosition.Absolute abs = RelativePosition.decode(fromYjs).toAbsolute(java.doc);
        assertNotNull(yjsIndex, where);
        assertNotNull(abs, where);
        assertEquals(yjsIndex, abs.index(), where + ": resolved differently");
      } finally {
        yjs.drop();
      }
    }
  }
}
