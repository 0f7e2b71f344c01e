package dev.roomtone.script.crdt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Randomised concurrency against yjs: 3 to 5 replicas per case, Java and yjs mixed, editing at the
 * same time; updates arrive in random order, some twice, some merged into one — every replica must
 * end with the same content and state vector.
 */
class ConvergenceTest {

  private static final int CASES = 1000;
  private static YjsOracle oracle;

  @BeforeAll
  static void startOracle() {
    oracle = YjsOracle.start();
  }

  @AfterAll
  static void stopOracle() {
    oracle.close();
  }

  @Test
  void mixedJavaAndYjsReplicasConverge() {
    long base = Seeds.base("mixedJavaAndYjsReplicasConverge");
    int deliveries = 0;
    for (int c = 0; c < CASES; c++) {
      deliveries += runCase(base + c);
    }
    assertTrue(deliveries > CASES * 5, "too few deliveries exercised: " + deliveries);
  }

  private static int runCase(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    RandomEdits edits = new RandomEdits(random);
    int n = 3 + random.nextInt(3);
    boolean gc = random.nextBoolean();
    List<Replica> replicas = new ArrayList<>();
    List<List<byte[]>> inboxes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String name = "conv-" + seed + "-" + i;
      long clientId = 1 + i + random.nextLong(1L << 31) * 8;
      // at least one replica of each implementation
      boolean java = i == 0 || (i != 1 && random.nextBoolean());
      replicas.add(java ? new Replica.Java(name, clientId, gc) : new Replica.Yjs(oracle, name, clientId, gc));
      inboxes.add(new ArrayList<>());
    }
    String where = "seed " + seed;
    int deliveries = 0;
    try {
      int steps = 8 + random.nextInt(20);
      for (int step = 0; step < steps; step++) {
        int r = random.nextInt(n);
        Replica replica = replicas.get(r);
        List<byte[]> inbox = inboxes.get(r);
        if (!inbox.isEmpty() && random.nextInt(3) == 0) {
          deliveries += deliver(random, replica, inbox);
          continue;
        }
        ArrayNode ops = edits.transaction(replica);
        byte[] update = replica.apply(ops);
        if (update != null) {
          for (int o = 0; o < n; o++) {
            if (o != r) {
              inboxes.get(o).add(update);
              if (random.nextInt(10) == 0) {
                inboxes.get(o).add(update); // delivered twice
              }
            }
          }
        }
      }
      for (int r = 0; r < n; r++) {
        while (!inboxes.get(r).isEmpty()) {
          deliveries += deliver(random, replicas.get(r), inboxes.get(r));
        }
      }
      // anti-entropy round: whatever a replica still lacks, by state vector
      for (Replica a : replicas) {
        for (Replica b : replicas) {
          if (a != b) {
            b.applyUpdate(a.encodeState(b.stateVector()));
          }
        }
      }
      JsonNode expected = replicas.get(0).content();
      byte[] expectedSv = replicas.get(0).stateVector();
      for (Replica replica : replicas) {
        JsonNode actual = replica.content();
        assertTrue(Edits.same(expected, actual), () -> where + ": " + replica.name() + " diverged\nexpected "
            + expected + "\nactual   " + actual);
        assertArrayEquals(expectedSv, replica.stateVector(), where + ": state vectors differ");
      }
    } finally {
      for (Replica replica : replicas) {
        if (replica instanceof Replica.Yjs y) {
          y.drop();
        }
      }
    }
    return deliveries;
  }

  /** Delivers pending updates in random order: one at a time, or several merged into one. */
  private static int deliver(SplittableRandom random, Replica replica, List<byte[]> inbox) {
    if (inbox.size() >= 2 && random.nextInt(4) == 0) {
      int k = 2 + random.nextInt(Math.min(3, inbox.size() - 1));
      List<byte[]> picked = new ArrayList<>();
      for (int i = 0; i < k; i++) {
        picked.add(inbox.remove(random.nextInt(inbox.size())));
      }
      // merged by Java for every second bundle, by yjs for the others: both must be understood by both
      byte[] merged = random.nextBoolean() ? Updates.merge(picked) : oracle.mergeUpdates(picked);
      replica.applyUpdate(merged);
      return k;
    }
    replica.applyUpdate(inbox.remove(random.nextInt(inbox.size())));
    return 1;
  }
}
