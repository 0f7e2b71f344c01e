package dev.roomtone.script.crdt;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The document API on its own: text, maps, arrays, nesting, observers, pending updates. */
class SharedTypesTest {

  private static void sync(YDoc a, YDoc b) {
    b.applyUpdate(a.encodeStateAsUpdate(b.encodeStateVector()));
    a.applyUpdate(b.encodeStateAsUpdate(a.encodeStateVector()));
  }

  @Test
  void textInsertDeleteFormatAndIndicesInUtf16() {
    YDoc doc = new YDoc(1);
    YText text = doc.getText("script");
    text.insert(0, "INT. KITCHEN - NIGHT\n");
    text.insert(text.length(), "😀 ANNA enters.");
    assertEquals(21 + 2 + 13, text.length(), "an emoji counts two UTF-16 units");
    text.format(0, 20, Map.of("bold", true));
    text.delete(21, 3);
    assertEquals("INT. KITCHEN - NIGHT\nANNA enters.", text.toString());
    List<Map<String, Object>> delta = text.toDelta();
    assertEquals(2, delta.size());
    assertEquals("INT. KITCHEN - NIGHT", delta.get(0).get("insert"));
    assertEquals(Map.of("bold", true), delta.get(0).get("attributes"));
    assertThrows(IndexOutOfBoundsException.class, () -> text.insert(999, "x"));
    assertThrows(IndexOutOfBoundsException.class, () -> text.delete(30, 10));
    assertEquals("INT. KITCHEN - NIGHT\nANNA enters.", text.toString(), "a refused edit changes nothing");
  }

  @Test
  void concurrentTypingConvergesAndKeepsEachWritersText() {
    YDoc a = new YDoc(1);
    YDoc b = new YDoc(2);
    a.getText("t").insert(0, "Hello");
    sync(a, b);
    a.getText("t").insert(5, " world");
    b.getText("t").insert(0, "Oh, ");
    sync(a, b);
    assertEquals("Oh, Hello world", a.getText("t").toString());
    assertEquals(a.getText("t").toString(), b.getText("t").toString());
  }

  @Test
  void mapsArraysAndNestedTypes() {
    YDoc a = new YDoc(1);
    YMap bible = a.getMap("bible");
    YText logline = new YText("A chef hides a secret.");
    bible.set("logline", logline);
    bible.set("episodes", 10L);
    YArray characters = new YArray(List.of("ANNA", "BEN"));
    bible.set("characters", characters);
    characters.push(List.of(Map.of("name", "CLAIRE", "age", 41L)));
    characters.delete(1, 1);
    YDoc b = new YDoc(2);
    sync(a, b);
    YMap copy = b.getMap("bible");
    assertInstanceOf(YText.class, copy.get("logline"));
    assertEquals("A chef hides a secret.", copy.get("logline").toString());
    assertEquals(10L, copy.get("episodes"));
    assertEquals(List.of("ANNA", Map.of("name", "CLAIRE", "age", 41L)), ((YArray) copy.get("characters")).toJSON());
    copy.delete("episodes");
    sync(a, b);
    assertFalse(bible.has("episodes"));
    assertEquals(a.toJSON(), b.toJSON());
  }

  @Test
  void concurrentMapWritesPickTheSameWinnerEverywhere() {
    YDoc a = new YDoc(1);
    YDoc b = new YDoc(2);
    a.getMap("m").set("title", "Pilot");
    b.getMap("m").set("title", "Episode 1");
    sync(a, b);
    assertEquals(a.getMap("m").get("title"), b.getMap("m").get("title"));
    assertEquals("Episode 1", a.getMap("m").get("title"), "the higher client id wins");
  }

  @Test
  void observersReportDeltasAndKeys() {
    YDoc doc = new YDoc(1);
    YText text = doc.getText("t");
    List<List<Map<String, Object>>> deltas = new ArrayList<>();
    Subscription sub = text.observe(e -> deltas.add(e.delta()));
    text.insert(0, "abc");
    text.delete(1, 1);
    text.format(0, 1, Map.of("italic", true));
    assertEquals(List.of(List.of(Map.of("insert", "abc")),
        List.of(Map.of("retain", 1), Map.of("delete", 1)),
        List.of(Map.of("retain", 1, "attributes", Map.of("italic", true)))), deltas);
    sub.close();
    text.insert(0, "x");
    assertEquals(3, deltas.size(), "a closed subscription hears nothing");

    YMap map = doc.getMap("m");
    List<Map<String, YEvent.KeyChange>> keys = new ArrayList<>();
    map.observe(e -> keys.add(e.keys()));
    map.set("a", 1L);
    map.set("a", 2L);
    map.delete("a");
    assertEquals("add", keys.get(0).get("a").action());
    assertEquals("update", keys.get(1).get("a").action());
    assertEquals(1L, keys.get(1).get("a").oldValue());
    assertEquals("delete", keys.get(2).get("a").action());

    List<List<Object>> paths = new ArrayList<>();
    YMap nested = new YMap();
    map.set("nested", nested);
    map.observeDeep(events -> events.forEach(e -> paths.add(e.path())));
    nested.set("k", "v");
    assertEquals(List.of(List.of("nested")), paths);
  }

  @Test
  void updatesArrivingOutOfOrderWaitUntilTheirDependenciesArrive() {
    YDoc a = new YDoc(1);
    List<byte[]> updates = new ArrayList<>();
    a.onUpdate((u, origin, txn) -> updates.add(u));
    YText t = a.getText("t");
    t.insert(0, "one ");
    t.insert(4, "two ");
    t.delete(0, 4);
    t.insert(4, "three");
    YDoc b = new YDoc(2);
    b.applyUpdate(updates.get(3));
    b.applyUpdate(updates.get(2));
    assertTrue(b.hasPendingUpdates());
    assertEquals("", b.getText("t").toString());
    b.applyUpdate(updates.get(1));
    b.applyUpdate(updates.get(0));
    assertFalse(b.hasPendingUpdates());
    assertEquals("two three", b.getText("t").toString());
    assertArrayEquals(a.encodeStateAsUpdate(), b.encodeStateAsUpdate());
  }

  @Test
  void rootsSentBeforeTheyAreDefinedAreAdopted() {
    YDoc a = new YDoc(1);
    a.getText("notes").insert(0, "remember the cat");
    YDoc b = new YDoc(2);
    b.applyUpdate(a.encodeStateAsUpdate());
    assertInstanceOf(YUntyped.class, b.getRoot("notes"));
    assertEquals("remember the cat", b.getText("notes").toString());
    assertThrows(IllegalStateException.class, () -> b.getMap("notes"));
  }

  @Test
  void garbageCollectionDropsDeletedContentButKeepsStructure() {
    YDoc gc = new YDoc(1);
    YDoc keep = YDoc.builder().clientId(1).gc(false).build();
    for (YDoc d : List.of(gc, keep)) {
      YMap m = d.getMap("m");
      YText inner = new YText("a long passage that will be cut");
      m.set("draft", inner);
      m.delete("draft");
    }
    assertTrue(gc.encodeStateAsUpdate().length < keep.encodeStateAsUpdate().length);
    YDoc reloaded = new YDoc(3);
    reloaded.applyUpdate(gc.encodeStateAsUpdate());
    assertNull(reloaded.getMap("m").get("draft"));
  }

  @Test
  void relativePositionsFollowTheirText() {
    YDoc a = new YDoc(1);
    YText t = a.getText("t");
    t.insert(0, "ANNA: Hello.");
    RelativePosition cursor = RelativePosition.fromIndex(t, 6, 0);
    t.insert(0, "(softly) ");
    RelativePosition.Absolute abs = RelativePosition.decode(cursor.encode()).toAbsolute(a);
    assertEquals(15, abs.index());
    assertEquals(t, abs.type());
    assertEquals(cursor, RelativePosition.fromJSON(cursor.toJSON()));
    YDoc empty = new YDoc(2);
    assertNull(cursor.toAbsolute(empty), "content the document lacks does not resolve");
    assertThrows(MalformedUpdateException.class, () -> RelativePosition.decode(new byte[] {9}));
  }

  @Test
  void xmlTypesRoundTrip() {
    YDoc a = new YDoc(1);
    YXmlFragment frag = a.getXmlFragment("x");
    YXmlElement scene = new YXmlElement("scene");
    scene.setAttribute("number", "12A");
    frag.insert(0, List.of(scene, new YXmlText("fade in"), new YXmlHook("storyboard")));
    scene.insert(0, List.of(new YXmlText("INT. HOUSE")));
    YDoc b = new YDoc(2);
    b.applyUpdate(a.encodeStateAsUpdate());
    assertEquals(a.getXmlFragment("x").toString(), b.getXmlFragment("x").toString());
    assertTrue(b.getXmlFragment("x").toString().startsWith("<scene number=\"12A\">INT. HOUSE</scene>fade in"),
        b.getXmlFragment("x").toString());
    assertInstanceOf(YXmlHook.class, b.getXmlFragment("x").get(2));
    assertEquals("storyboard", ((YXmlHook) b.getXmlFragment("x").get(2)).hookName());
    assertArrayEquals(a.encodeStateAsUpdate(), b.encodeStateAsUpdate());
  }
}
