package dev.roomtone.script.crdt;

import com.fasterxml.jackson.databind.node.ArrayNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Same edit history, same client ids: the Java document and yjs must write identical bytes. Each
 * simulated writer exists twice (Java and yjs); both receive the same edits and the same updates in
 * the same order, and every update and full encoding is compared byte for byte.
 */
class YjsMirrorTest {

  private static YjsOracle oracle;

  @BeforeAll
  static void startOracle() {
    oracle = YjsOracle.start();
  }

  @AfterAll
  static void stopOracle() {
    oracle.close();
  }

  private record Writer(Replica.Java java, Replica.Yjs yjs, Deque<byte[]> inbox) {
  }

  @Test
  void randomHistoriesEncodeIdenticallyToYjs() {
    long base = Seeds.base("randomHistoriesEncodeIdenticallyToYjs");
    int cases = 120;
    int comparisons = 0;
    for (int c = 0; c < cases; c++) {
      long seed = base + c;
      comparisons += runCase(seed, c % 2 == 0);
    }
    assertTrue(comparisons > cases * 10, "too few byte comparisons: " + comparisons);
  }

  private int runCase(long seed, boolean gc) {
    SplittableRandom random = new SplittableRandom(seed);
    RandomEdits edits = new RandomEdits(random);
    int writers = 1 + random.nextInt(3);
    List<Writer> ws = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      long clientId = 1 + random.nextLong(1L << 32);
      String name = "mirror-" + seed + "-" + i;
      ws.add(new Writer(new Replica.Java(name, clientId, gc), new Replica.Yjs(oracle, name, clientId, gc), new ArrayDeque<>()));
    }
    String where = "seed " + seed + " (gc " + gc + ")";
    int comparisons = 0;
    try {
      int steps = 10 + random.nextInt(30);
      for (int step = 0; step < steps; step++) {
        Writer w = ws.get(random.nextInt(ws.size()));
        if (!w.inbox.isEmpty() && random.nextInt(3) == 0) {
          // deliver the oldest pending update from another writer to both copies
          byte[] u = w.inbox.poll();
          w.java.applyUpdate(u);
          w.yjs.applyUpdate(u);
          continue;
        }
        ArrayNode ops = edits.transaction(w.java);
        byte[] fromJava = w.java.apply(ops);
        byte[] fromYjs = w.yjs.apply(ops);
        assertArrayEquals(fromYjs, fromJava, () -> where + ": update of " + ops + " differs: java "
            + hex(fromJava) + " yjs " + hex(fromYjs));
        comparisons++;
        if (fromJava != null) {
          for (Writer other : ws) {
            if (other != w) {
              other.inbox.add(fromJava);
            }
          }
        }
      }
      for (Writer w : ws) {
        while (!w.inbox.isEmpty()) {
          byte[] u = w.inbox.poll();
          w.java.applyUpdate(u);
          w.yjs.applyUpdate(u);
        }
      }
      for (Writer w : ws) {
        byte[] java = w.java.encodeState(null);
        byte[] yjs = w.yjs.encodeState(null);
        assertArrayEquals(yjs, java, () -> where + ": full encoding differs for " + w.java.name());
        assertArrayEquals(w.yjs.stateVector(), w.java.stateVector(), where + ": state vectors differ");
        byte[] sv = ws.get(0).java.stateVector();
        assertArrayEquals(w.yjs.encodeState(sv), w.java.encodeState(sv), where + ": diff encoding differs");
        assertTrue(Edits.same(w.yjs.content(), w.java.content()), () -> where + ": content differs\njava "
            + w.java.content() + "\nyjs  " + w.yjs.content());
        comparisons += 3;
      }
      assertEquals(ws.get(0).java.content().toString(), ws.get(ws.size() - 1).java.content().toString(), where);
    } finally {
      ws.forEach(w -> w.yjs.drop());
    }
    return comparisons;
  }

  private static String hex(byte[] b) {
    return b == null ? "null" : HexFormat.of().formatHex(b) + " (" + b.length + " bytes)";
  }
}
