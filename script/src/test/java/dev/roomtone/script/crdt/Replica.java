package dev.roomtone.script.crdt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** One copy of a shared document, either the Java implementation or yjs in the oracle. */
interface Replica {

  List<String> ROOTS = List.of("text:t", "map:m", "array:a", "xml:x");

  String name();

  /** Applies edits in one transaction and returns the update it produced (null if none). */
  byte[] apply(ArrayNode ops);

  void applyUpdate(byte[] update);

  byte[] encodeState(byte[] stateVector);

  byte[] stateVector();

  JsonNode content();

  /** Kind of the shared type at {@code path} ("text", "map", "array", "xml..."), or null. */
  String kindAt(JsonNode path);

  /** Length of the text or list at {@code path}. */
  int lengthAt(JsonNode path);

  /** The text at {@code path}, each embed shown as U+FFFC so that indices match. */
  String textAt(JsonNode path);

  static String flatten(JsonNode delta) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode op : delta) {
      JsonNode ins = op.get("insert");
      sb.append(ins.isTextual() ? ins.asText() : "\uFFFC");
    }
    return sb.toString();
  }

  /** The Java implementation. */
  final class Java implements Replica {
    final YDoc doc;
    private final String name;
    private byte[] lastUpdate;

    Java(String name, long clientId, boolean gc) {
      this.name = name;
      this.doc = YDoc.builder().clientId(clientId).gc(gc).build();
      doc.onUpdate((update, origin, txn) -> lastUpdate = update);
    }

    @Override
    public String name() {
      return "java:" + name;
    }

    @Override
    public byte[] apply(ArrayNode ops) {
      lastUpdate = null;
      Edits.apply(doc, ops);
      return lastUpdate;
    }

    @Override
    public void applyUpdate(byte[] update) {
      doc.applyUpdate(update);
    }

    @Override
    public byte[] encodeState(byte[] sv) {
      return doc.encodeStateAsUpdate(sv);
    }

    @Override
    public byte[] stateVector() {
      return doc.encodeStateVector();
    }

    @Override
    public JsonNode content() {
      return Edits.content(doc, ROOTS);
    }

    @Override
    public String kindAt(JsonNode path) {
      try {
        return kindOf(Edits.resolve(doc, path));
      } catch (RuntimeException e) {
        return null;
      }
    }

    static String kindOf(YType t) {
      return switch (t) {
        case YXmlText x -> "xmlText";
        case YXmlElement x -> "xmlElement";
        case YXmlFragment x -> "xmlFragment";
        case YXmlHook x -> "xmlHook";
        case YText x -> "text";
        case YMap x -> "map";
        case YArray x -> "array";
        default -> "type";
      };
    }

    @Override
    public String textAt(JsonNode path) {
      return Replica.flatten(Edits.renderDelta(((YText) Edits.resolve(doc, path)).toDelta()));
    }

    @Override
    public int lengthAt(JsonNode path) {
      return switch (Edits.resolve(doc, path)) {
        case YText t -> t.length();
        case YArray a -> a.length();
        case YXmlFragment f -> f.length();
        case YMap m -> m.size();
        default -> 0;
      };
    }
  }

  /** yjs, in the oracle process. */
  final class Yjs implements Replica {
    private final YjsOracle oracle;
    private final String name;

    Yjs(YjsOracle oracle, String name, long clientId, boolean gc) {
      this.oracle = oracle;
      this.name = name;
      oracle.newDoc(name, clientId, gc);
    }

    @Override
    public String name() {
      return "yjs:" + name;
    }

    @Override
    public byte[] apply(ArrayNode ops) {
      return oracle.apply(name, ops);
    }

    @Override
    public void applyUpdate(byte[] update) {
      oracle.applyUpdate(name, update);
    }

    @Override
    public byte[] encodeState(byte[] sv) {
      return oracle.encodeState(name, sv);
    }

    @Override
    public byte[] stateVector() {
      return oracle.stateVector(name);
    }

    @Override
    public JsonNode content() {
      return oracle.content(name, ROOTS);
    }

    private JsonNode get(JsonNode path) {
      ObjectNode r = oracle.req("get");
      r.put("doc", name);
      r.set("path", path);
      try {
        return oracle.call(r);
      } catch (YjsOracle.OracleError e) {
        return null;
      }
    }

    @Override
    public String kindAt(JsonNode path) {
      JsonNode res = get(path);
      return res == null ? null : res.get("kind").asText();
    }

    @Override
    public String textAt(JsonNode path) {
      return Replica.flatten(get(path).get("value").get("delta"));
    }

    @Override
    public int lengthAt(JsonNode path) {
      JsonNode res = get(path);
      JsonNode v = res.get("value");
      if (v.isObject() && v.has("delta")) {
        int len = 0;
        for (JsonNode op : v.get("delta")) {
          JsonNode ins = op.get("insert");
          len += ins.isTextual() ? ins.asText().length() : 1;
        }
        return len;
      }
      if (v.isArray() || v.isObject()) {
        return v.size();
      }
      throw new IllegalStateException("no length for " + res);
    }

    void drop() {
      oracle.drop(name);
    }
  }
}
