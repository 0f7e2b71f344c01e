package dev.roomtone.script.crdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every content type survives a round trip through the Java document byte for byte: what a yjs
 * client sends, the server stores and hands to the next client unchanged.
 */
class ContentRoundTripTest {

  private static YjsOracle oracle;

  @BeforeAll
  static void startOracle() {
    oracle = YjsOracle.start();
  }

  @AfterAll
  static void stopOracle() {
    oracle.close();
  }

  private static ArrayNode ops(String json) {
    try {
      return (ArrayNode) YjsOracle.JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Test
  void everyContentTypeFromYjsReencodesIdentically() {
    Replica.Yjs yjs = new Replica.Yjs(oracle, "all-content", 7, false);
    try {
      yjs.apply(ops("""
          [{"k":"insertText","path":["text:t"],"index":0,"text":"INT. DINER 😀","attrs":{"bold":true}},
           {"k":"insertEmbed","path":["text:t"],"index":4,"embed":{"image":"board-1.png"}},
           {"k":"format","path":["text:t"],"index":0,"length":3,"attrs":{"bold":null,"font":"Courier"}},
           {"k":"mapSet","path":["map:m"],"key":"int","value":42},
           {"k":"mapSet","path":["map:m"],"key":"float","value":0.1},
           {"k":"mapSet","path":["map:m"],"key":"big","value":{"$bigint":"-9007199254740993"}},
           {"k":"mapSet","path":["map:m"],"key":"str","value":"Ünïcode 𝄞"},
           {"k":"mapSet","path":["map:m"],"key":"bool","value":false},
           {"k":"mapSet","path":["map:m"],"key":"null","value":null},
           {"k":"mapSet","path":["map:m"],"key":"undef","value":{"$undefined":true}},
           {"k":"mapSet","path":["map:m"],"key":"obj","value":{"b":[1,{"c":"d"}],"2":true}},
           {"k":"mapSet","path":["map:m"],"key":"bin","value":{"$binary":"AAEC/w=="}},
           {"k":"mapSet","path":["map:m"],"key":"text","value":{"$type":"text","init":"nested"}},
           {"k":"mapSet","path":["map:m"],"key":"map","value":{"$type":"map","init":{"k":1}}},
           {"k":"mapSet","path":["map:m"],"key":"arr","value":{"$type":"array","init":[1,"two"]}},
           {"k":"mapSet","path":["map:m"],"key":"sub","value":{"$type":"doc","guid":"scene-12","opts":{"gc":false,"meta":{"v":1}}}},
           {"k":"arrayInsert","path":["array:a"],"index":0,"values":[1,2,{"$binary":"AQ=="},{"$type":"map"}]},
           {"k":"arrayPush","path":["xml:x"],"values":[{"$type":"xmlElement","name":"scene"},{"$type":"xmlText","init":"CUT TO:"}]}]"""));
      yjs.apply(ops("""
          [{"k":"deleteText","path":["text:t"],"index":1,"length":2},
           {"k":"arrayDelete","path":["array:a"],"index":1,"length":1},
           {"k":"mapSet","path":["map:m"],"key":"text","value":"replaced"},
           {"k":"mapDelete","path":["map:m"],"key":"float"}]"""));
      byte[] fromYjs = yjs.encodeState(null);

      YDoc doc = YDoc.builder().clientId(99).gc(false).build();
      doc.applyUpdate(fromYjs);
      assertArrayEquals(fromYjs, doc.encodeStateAsUpdate(), "the Java document must hand on exactly what it received");
      assertTrue(Edits.same(yjs.content(), Edits.content(doc, Replica.ROOTS)));

      YDoc sub = (YDoc) doc.getMap("m").get("sub");
      assertEquals("scene-12", sub.guid());
      assertInstanceOf(byte[].class, doc.getMap("m").get("bin"));
      assertEquals(Undefined.INSTANCE, doc.getMap("m").get("undef"));
      assertEquals(new java.math.BigInteger("-9007199254740993"), doc.getMap("m").get("big"));
    } finally {
      yjs.drop();
    }
  }

  @Test
  void legacyJsonContentAndDeletedRunsRoundTripAsYjsDoes() {
    // Current yjs never writes JSON content (reference 2) but still reads it; old documents have it.
    UpdateEncoder e = new UpdateEncoder();
    e.rest.writeVarUint(1); // one client
    e.rest.writeVarUint(2); // two structs
    e.writeClient(5);
    e.rest.writeVarUint(0);
    e.writeInfo(ContentJson.REF);
    e.writeParentInfo(true);
    e.writeString("legacy");
    new ContentJson(List.of(1L, "x", Map.of("k", List.of(true)), Undefined.INSTANCE)).write(e, 0);
    e.writeInfo(ContentDeleted.REF | 0x80);
    e.writeLeftID(5, 3);
    e.writeLen(2);
    e.rest.writeVarUint(1); // delete set: one client
    e.rest.writeVarUint(5);
    e.rest.writeVarUint(1);
    e.writeDsClock(4);
    e.writeDsLen(2);
    byte[] handmade = e.toByteArray();

    YDoc doc = new YDoc(1);
    doc.applyUpdate(handmade);
    assertEquals(List.of(1L, "x", Map.of("k", List.of(true)), Undefined.INSTANCE), doc.getArray("legacy").toArray());
    Replica.Yjs yjs = new Replica.Yjs(oracle, "legacy", 2, true);
    try {
      yjs.applyUpdate(handmade);
      assertArrayEquals(yjs.encodeState(null), doc.encodeStateAsUpdate());
    } finally {
      yjs.drop();
    }
  }
}
