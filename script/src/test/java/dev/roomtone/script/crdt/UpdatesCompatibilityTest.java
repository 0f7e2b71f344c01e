package dev.roomtone.script.crdt;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** mergeUpdates, diffUpdate and encodeStateVectorFromUpdate without a document, byte for byte as yjs. */
class UpdatesCompatibilityTest {

  private static YjsOracle oracle;

  @BeforeAll
  static void startOracle() {
    oracle = YjsOracle.start();
  }

  @AfterAll
  static void stopOracle() {
    oracle.close();
  }

  /** Updates from three writers who partly saw each other's work. */
  private static List<byte[]> history(SplittableRandom random) {
    RandomEdits edits = new RandomEdits(random);
    List<Replica.Java> writers = List.of(new Replica.Java("a", 100, true), new Replica.Java("b", 200, true),
        new Replica.Java("c", 300, false));
    List<byte[]> updates = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      Replica.Java w = writers.get(random.nextInt(writers.size()));
      byte[] u = w.apply(edits.transaction(w));
      if (u != null) {
        updates.add(u);
        Replica.Java other = writers.get(random.nextInt(writers.size()));
        if (other != w) {
          other.applyUpdate(u);
        }
      }
    }
    for (Replica.Java w : writers) {
      updates.add(w.encodeState(null));
    }
    return updates;
  }

  @Test
  void mergeDiffAndStateVectorsMatchYjs() {
    long base = Seeds.base("mergeDiffAndStateVectorsMatchYjs");
    int checks = 0;
    for (int c = 0; c < 150; c++) {
      SplittableRandom random = new SplittableRandom(base + c);
      List<byte[]> updates = history(random);
      String where = "seed " + (base + c);
      List<byte[]> subset = new ArrayList<>(updates);
      Collections.shuffle(subset, new java.util.Random(random.nextLong()));
      subset = subset.subList(0, 1 + random.nextInt(subset.size()));
      byte[] merged = Updates.merge(subset);
      assertArrayEquals(oracle.mergeUpdates(subset), merged, where + ": merge differs");
      for (byte[] u : subset) {
        assertArrayEquals(oracle.svFromUpdate(u), Updates.encodeStateVectorFromUpdate(u), where + ": state vector differs");
      }
      assertArrayEquals(oracle.svFromUpdate(merged), Updates.encodeStateVectorFromUpdate(merged), where);
      byte[] sv = Updates.encodeStateVectorFromUpdate(updates.get(random.nextInt(updates.size())));
      assertArrayEquals(oracle.diffUpdate(merged, sv), Updates.diff(merged, sv), where + ": diff differs");
      checks += subset.size() + 3;
    }
    assertTrue(checks > 600, "checks " + checks);
  }
}
