package dev.roomtone.script.crdt;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Garbage, truncated and bit-flipped updates never corrupt a document: each is either applied (and
 * the document stays consistent, as yjs confirms) or rejected with {@link MalformedUpdateException}
 * and the document is exactly as before.
 */
class MalformedUpdateTest {

  private static YjsOracle oracle;

  @BeforeAll
  static void startOracle() {
    oracle = YjsOracle.start();
  }

  @AfterAll
  static void stopOracle() {
    oracle.close();
  }

  /** A document with some history, and updates another replica made on top of a shared state. */
  private record Fixture(byte[] base, List<byte[]> updates) {
  }

  private static Fixture fixture(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    RandomEdits edits = new RandomEdits(random);
    Replica.Java a = new Replica.Java("a", 1, true);
    for (int i = 0; i < 15; i++) {
      a.apply(edits.transaction(a));
    }
    byte[] base = a.encodeState(null);
    Replica.Java b = new Replica.Java("b", 2, true);
    b.applyUpdate(base);
    List<byte[]> updates = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      byte[] u = b.apply(edits.transaction(b));
      if (u != null) {
        updates.add(u);
      }
    }
    updates.add(b.encodeState(null));
    updates.add(b.encodeState(a.stateVector()));
    return new Fixture(base, updates);
  }

  private static byte[] mutate(SplittableRandom random, byte[] valid) {
    byte[] u = valid.clone();
    switch (random.nextInt(6)) {
      case 0 -> { // truncated
        return Arrays.copyOf(u, random.nextInt(u.length));
      }
      case 1, 2 -> { // bit flips
        int flips = 1 + random.nextInt(3);
        for (int i = 0; i < flips; i++) {
          int pos = random.nextInt(u.length);
          u[pos] ^= (byte) (1 << random.nextInt(8));
        }
        return u;
      }
      case 3 -> { // a byte replaced by a random one
        u[random.nextInt(u.length)] = (byte) random.nextInt(256);
        return u;
      }
      case 4 -> { // pure garbage
        byte[] g = new byte[random.nextInt(64)];
        random.nextBytes(g);
        return g;
      }
      default -> { // a byte inserted
        int pos = random.nextInt(u.length + 1);
        byte[] out = new byte[u.length + 1];
        System.arraycopy(u, 0, out, 0, pos);
        out[pos] = (byte) random.nextInt(256);
        System.arraycopy(u, pos, out, pos + 1, u.length - pos);
        return out;
      }
    }
  }

  @Test
  void corruptUpdatesAreAppliedConsistentlyOrRejectedWithoutChange() {
    long base = Seeds.base("corruptUpdatesAreAppliedConsistentlyOrRejectedWithoutChange");
    int rejected = 0;
    int applied = 0;
    int checkedWithYjs = 0;
    for (int f = 0; f < 40; f++) {
      Fixture fx = fixture(base + f);
      SplittableRandom random = new SplittableRandom(base * 31 + f);
      for (int m = 0; m < 150; m++) {
        byte[] valid = fx.updates.get(random.nextInt(fx.updates.size()));
        byte[] bad = mutate(random, valid);
        Replica.Java target = new Replica.Java("t", 3, true);
        target.applyUpdate(fx.base);
        byte[] before = target.encodeState(null);
        JsonNode contentBefore = target.content();
        boolean pendingBefore = target.doc.hasPendingUpdates();
        try {
          target.applyUpdate(bad);
        } catch (MalformedUpdateException e) {
          rejected++;
          assertArrayEquals(before, target.encodeState(null), "rejected update changed the document");
          assertEquals(contentBefore, target.content(), "rejected update changed the content");
          assertEquals(pendingBefore, target.doc.hasPendingUpdates());
          assertTrue(e.getMessage().contains("at byte"), e.getMessage());
          continue;
        } catch (RuntimeException e) {
          fail("a malformed update must fail with MalformedUpdateException, got " + e + " for "
              + java.util.HexFormat.of().formatHex(bad), e);
        }
        applied++;
        // applied: the document keeps its invariants, and its encoding reads the same in Java and in yjs
        try {
          target.doc.checkIntegrity();
        } catch (IllegalStateException e) {
          fail("applying " + java.util.HexFormat.of().formatHex(bad) + " on " + java.util.HexFormat.of().formatHex(fx.base) + " broke the document: " + e.getMessage());
        }
        byte[] after = target.encodeState(null);
        Replica.Java reloaded = new Replica.Java("r", 4, true);
        reloaded.applyUpdate(after);
        reloaded.doc.checkIntegrity();
        if (!target.doc.hasPendingUpdates()) {
          // (with parts still pending, the encoding carries them and a fresh reader may apply them)
          assertEquals(target.content(), reloaded.content(), () -> "document does not survive its own encoding after applying "
              + java.util.HexFormat.of().formatHex(bad) + " on " + java.util.HexFormat.of().formatHex(fx.base));
        }
        if (applied % 5 == 0) {
          Replica.Yjs yjs = new Replica.Yjs(oracle, "fuzz-" + f + "-" + m, 5, true);
          try {
            yjs.applyUpdate(after);
            assertTrue(Edits.same(reloaded.content(), yjs.content()), "yjs reads the document differently");
            checkedWithYjs++;
          } finally {
            yjs.drop();
          }
        }
      }
    }
    System.out.println("fuzzed updates: " + rejected + " rejected, " + applied + " applied, " + checkedWithYjs + " cross-checked with yjs");
    assertTrue(rejected > 1000, "fuzzing should produce many rejections, got " + rejected);
    assertTrue(applied > 100, "fuzzing should also produce applicable updates, got " + applied);
  }

  @Test
  void everyTruncationOfAValidUpdateIsRejected() {
    Fixture fx = fixture(Seeds.base("everyTruncationOfAValidUpdateIsRejected"));
    byte[] full = fx.updates.get(fx.updates.size() - 2);
    for (int len = 0; len < full.length; len++) {
      byte[] cut = Arrays.copyOf(full, len);
      YDoc doc = new YDoc(9);
      doc.applyUpdate(fx.base);
      byte[] before = doc.encodeStateAsUpdate();
      int at = len;
      assertThrows(MalformedUpdateException.class, () -> doc.applyUpdate(cut), () -> "truncated at " + at);
      assertArrayEquals(before, doc.encodeStateAsUpdate());
    }
  }

  @Test
  void errorsNameTheProblem() {
    YDoc doc = new YDoc(1);
    MalformedUpdateException empty = assertThrows(MalformedUpdateException.class, () -> doc.applyUpdate(new byte[0]));
    assertTrue(empty.getMessage().contains("truncated"), empty.getMessage());
    // one client, one struct with content type 31, which does not exist
    MalformedUpdateException unknown = assertThrows(MalformedUpdateException.class,
        () -> doc.applyUpdate(new byte[] {1, 1, 5, 0, 31, 0}));
    assertTrue(unknown.getMessage().contains("unknown content type 31"), unknown.getMessage());
    MalformedUpdateException trailing = assertThrows(MalformedUpdateException.class,
        () -> doc.applyUpdate(new byte[] {0, 0, 7}));
    assertTrue(trailing.getMessage().contains("unexpected bytes"), trailing.getMessage());
    // a string that is not UTF-8: struct with content string (4) of length 1 holding 0xFF
    MalformedUpdateException utf8 = assertThrows(MalformedUpdateException.class,
        () -> doc.applyUpdate(new byte[] {1, 1, 5, 0, 4, 1, 1, 't', 1, (byte) 0xFF, 0}));
    assertTrue(utf8.getMessage().contains("UTF-8"), utf8.getMessage());
    assertEquals(0, doc.getText("t").length());
  }
}
