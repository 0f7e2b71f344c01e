package dev.roomtone.script.crdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Observers see the same changes as yjs observers: text and array deltas, map key changes, and deep
 * events with their paths, for local edits and for updates from peers.
 */
class EventsCompatibilityTest {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static YjsOracle oracle;

  @BeforeAll
  static void startOracle() {
    oracle = YjsOracle.start();
  }

  @AfterAll
  static void stopOracle() {
    oracle.close();
  }

  /** Records events in the oracle's rendering, computing deltas while the observer runs, as yjs must. */
  private static final class Recorder {
    final List<JsonNode> events = new ArrayList<>();

    void attach(YDoc doc) {
      doc.getText("t").observe(e -> events.add(render(e, false)));
      doc.getArray("a").observe(e -> events.add(render(e, false)));
      doc.getMap("m").observe(e -> events.add(render(e, false)));
      doc.getMap("m").observeDeep(es -> es.forEach(e -> events.add(render(e, true))));
    }

    private static JsonNode render(YEvent e, boolean deep) {
      ObjectNode rec = F.objectNode();
      rec.set("path", pathOf(e.target()));
      if (deep) {
        rec.put("deep", true);
      }
      boolean isMap = e.target() instanceof YMap;
      if (!isMap) {
        rec.set("delta", Edits.renderDelta(e.delta()));
      }
      Map<String, YEvent.KeyChange> keys = e.keys();
      if (isMap || !keys.isEmpty()) {
        ObjectNode k = F.objectNode();
        for (String key : new TreeSet<>(keys.keySet())) {
          YEvent.KeyChange c = keys.get(key);
          ObjectNode change = k.putObject(key).put("action", c.action());
          if (!c.action().equals("add")) {
            change.set("oldValue", Edits.render(c.oldValue()));
          }
        }
        rec.set("keys", k);
      }
      return rec;
    }

    private static ArrayNode pathOf(YType type) {
      List<Object> steps = new ArrayList<>();
      YType t = type;
      while (t.parent() != null) {
        YEvent.pathStep(t).ifPresent(s -> steps.add(0, s));
        t = t.parent();
      }
      ArrayNode p = F.arrayNode();
      String kind = switch (t) {
        case YText x -> "text";
        case YMap x -> "map";
        case YArray x -> "array";
        default -> "xml";
      };
      YType root = t;
      String name = root.doc().rootNames().stream().filter(n -> root.doc().getRoot(n) == root).findFirst().orElseThrow();
      p.add(kind + ":" + name);
      for (Object s : steps) {
        if (s instanceof Integer i) {
          p.add(i);
        } else {
          p.add((String) s);
        }
      }
      return p;
    }
  }

  private static JsonNode yjsEvents(String name) {
    ObjectNode r = oracle.req("events");
    r.put("doc", name);
    return oracle.call(r).get("events");
  }

  private static void observeInYjs(String name) {
    for (String[] spec : new String[][] {{"observe", "text:t"}, {"observe", "array:a"}, {"observe", "map:m"}, {"observeDeep", "map:m"}}) {
      ObjectNode r = oracle.req(spec[0]);
      r.put("doc", name);
      r.set("path", F.arrayNode().add(spec[1]));
      oracle.call(r);
    }
  }

  @Test
  void observersSeeWhatYjsObserversSee() {
    long base = Seeds.base("observersSeeWhatYjsObserversSee");
    int compared = 0;
    for (int c = 0; c < 60; c++) {
      long seed = base + c;
      SplittableRandom random = new SplittableRandom(seed);
      RandomEdits edits = new RandomEdits(random);
      List<Replica.Java> javas = new ArrayList<>();
      List<Replica.Yjs> yjss = new ArrayList<>();
      List<Recorder> recorders = new ArrayList<>();
      for (int w = 0; w < 2; w++) {
        String name = "events-" + seed + "-" + w;
        Replica.Java j = new Replica.Java(name, 10 + w, true);
        Recorder rec = new Recorder();
        rec.attach(j.doc);
        javas.add(j);
        recorders.add(rec);
        yjss.add(new Replica.Yjs(oracle, name, 10 + w, true));
        observeInYjs(name);
      }
      try {
        for (int step = 0; step < 20; step++) {
          int w = random.nextInt(2);
          ArrayNode ops = edits.transaction(javas.get(w));
          byte[] update = javas.get(w).apply(ops);
          assertArrayEquals(yjss.get(w).apply(ops), update);
          if (update != null && random.nextBoolean()) {
            javas.get(1 - w).applyUpdate(update);
            yjss.get(1 - w).applyUpdate(update);
          }
          for (int k = 0; k < 2; k++) {
            JsonNode expected = yjsEvents(yjss.get(k).name().substring(4));
            List<JsonNode> actual = recorders.get(k).events;
            String where = "seed " + seed + " step " + step + " writer " + k + " after " + ops;
            assertEquals(expected.size(), actual.size(), () -> where + ": yjs " + expected + " java " + actual);
            for (int i = 0; i < actual.size(); i++) {
              JsonNode a = actual.get(i);
              JsonNode e = expected.get(i);
              assertTrue(Edits.same(e, a), () -> where + ":\nyjs  " + e + "\njava " + a);
              compared++;
            }
            actual.clear();
          }
        }
      } finally {
        yjss.forEach(Replica.Yjs::drop);
      }
    }
    assertTrue(compared > 300, "events compared: " + compared);
  }
}
