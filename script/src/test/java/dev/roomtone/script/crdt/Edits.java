package dev.roomtone.script.crdt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The oracle's edit language (paths, edit ops, value markers, content rendering) applied to Java
 * documents, so that one description of an edit runs on both implementations.
 */
final class Edits {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private Edits() {
  }

  // ---- paths

  static YType root(YDoc doc, String spec) {
    int i = spec.indexOf(':');
    String kind = spec.substring(0, i);
    String name = spec.substring(i + 1);
    return switch (kind) {
      case "text" -> doc.getText(name);
      case "map" -> doc.getMap(name);
      case "array" -> doc.getArray(name);
      case "xml" -> doc.getXmlFragment(name);
      default -> throw new IllegalArgumentException("unknown root kind " + kind);
    };
  }

  static YType resolve(YDoc doc, JsonNode path) {
    YType t = root(doc, path.get(0).asText());
    for (int i = 1; i < path.size(); i++) {
      JsonNode step = path.get(i);
      Object next;
      if (step.isTextual()) {
        next = switch (t) {
          case YMap m -> m.get(step.asText());
          case YXmlElement e -> e.getAttribute(step.asText());
          default -> throw new IllegalArgumentException("key on a non-map type");
        };
      } else {
        int idx = step.asInt();
        next = switch (t) {
          case YArray a -> idx < a.length() ? a.get(idx) : null;
          case YXmlFragment f -> idx < f.length() ? f.get(idx) : null;
          case YText text -> embedAt(text, idx);
          default -> throw new IllegalArgumentException("index on a non-list type");
        };
      }
      if (!(next instanceof YType nt)) {
        throw new IllegalArgumentException("path step " + i + " does not reach a shared type");
      }
      t = nt;
    }
    return t;
  }

  private static Object embedAt(YText text, int index) {
    int pos = 0;
    for (Map<String, Object> op : text.toDelta()) {
      Object ins = op.get("insert");
      int len = ins instanceof String s ? s.length() : 1;
      if (index < pos + len) {
        return ins instanceof String ? null : ins;
      }
      pos += len;
    }
    return null;
  }

  // ---- values

  /** A JSON value with markers, as a value for a map, array or embed (shared types allowed). */
  static Object toValue(JsonNode v) {
    if (v.isObject() && v.has("$type")) {
      return newType(v);
    }
    return toAny(v);
  }

  static Object toAny(JsonNode v) {
    if (v.isArray()) {
      List<Object> out = new ArrayList<>();
      v.forEach(e -> out.add(toAny(e)));
      return out;
    }
    if (v.isObject()) {
      if (v.has("$json")) {
        return JsJson.parse(v.get("$json").toString());
      }
      if (v.has("$binary")) {
        return Base64.getDecoder().decode(v.get("$binary").asText());
      }
      if (v.has("$undefined")) {
        return Undefined.INSTANCE;
      }
      if (v.has("$bigint")) {
        return new BigInteger(v.get("$bigint").asText());
      }
      Map<String, Object> out = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.put(e.getKey(), toAny(e.getValue()));
      }
      return out;
    }
    if (v.isNull()) {
      return null;
    }
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    if (v.isNumber()) {
      return JsValues.number(v.asDouble());
    }
    return v.asText();
  }

  private static YType newType(JsonNode spec) {
    JsonNode init = spec.get("init");
    return switch (spec.get("$type").asText()) {
      case "text" -> init == null ? new YText() : new YText(init.asText());
      case "map" -> {
        Map<String, Object> entries = new LinkedHashMap<>();
        if (init != null) {
          init.fields().forEachRemaining(e -> entries.put(e.getKey(), toValue(e.getValue())));
        }
        yield new YMap(entries);
      }
      case "array" -> {
        List<Object> values = new ArrayList<>();
        if (init != null) {
          init.forEach(e -> values.add(toValue(e)));
        }
        yield new YArray(values);
      }
      case "xmlText" -> init == null ? new YXmlText() : new YXmlText(init.asText());
      case "xmlElement" -> new YXmlElement(spec.has("name") ? spec.get("name").asText() : "UNDEFINED");
      case "xmlFragment" -> new YXmlFragment();
      default -> throw new IllegalArgumentException("unknown $type " + spec);
    };
  }

  private static Map<String, Object> attrs(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    n.fields().forEachRemaining(e -> out.put(e.getKey(), toAny(e.getValue())));
    return out;
  }

  private static List<Object> values(JsonNode n) {
    List<Object> out = new ArrayList<>();
    n.forEach(e -> out.add(toValue(e)));
    return out;
  }

  // ---- edits

  /** Applies the edits in one transaction, as the oracle's {@code apply} does. */
  static void apply(YDoc doc, ArrayNode ops) {
    doc.transact(txn -> ops.forEach(op -> applyOne(doc, op)));
  }

  static void applyOne(YDoc doc, JsonNode op) {
    YType t = resolve(doc, op.get("path"));
    switch (op.get("k").asText()) {
      case "insertText" -> ((YText) t).insert(op.get("index").asInt(), op.get("text").asText(), attrs(op.get("attrs")));
      case "deleteText" -> ((YText) t).delete(op.get("index").asInt(), op.get("length").asInt());
      case "format" -> ((YText) t).format(op.get("index").asInt(), op.get("length").asInt(), attrs(op.get("attrs")));
      case "insertEmbed" -> ((YText) t).insertEmbed(op.get("index").asInt(), toValue(op.get("embed")), attrs(op.get("attrs")));
      case "setAttribute" -> {
        if (t instanceof YXmlElement e) {
          e.setAttribute(op.get("key").asText(), toValue(op.get("value")));
        } else {
          ((YText) t).setAttribute(op.get("key").asText(), toValue(op.get("value")));
        }
      }
      case "removeAttribute" -> {
        if (t instanceof YXmlElement e) {
          e.removeAttribute(op.get("key").asText());
        } else {
          ((YText) t).removeAttribute(op.get("key").asText());
        }
      }
      case "mapSet" -> ((YMap) t).set(op.get("key").asText(), toValue(op.get("value")));
      case "mapDelete" -> ((YMap) t).delete(op.get("key").asText());
      case "arrayInsert" -> insertList(t, op.get("index").asInt(), values(op.get("values")));
      case "arrayPush" -> {
        if (t instanceof YArray a) {
          a.push(values(op.get("values")));
        } else {
          YXmlFragment f = (YXmlFragment) t;
          insertList(f, f.length(), values(op.get("values")));
        }
      }
      case "arrayDelete" -> {
        if (t instanceof YArray a) {
          a.delete(op.get("index").asInt(), op.get("length").asInt());
        } else {
          ((YXmlFragment) t).delete(op.get("index").asInt(), op.get("length").asInt());
        }
      }
      default -> throw new IllegalArgumentException("unknown edit " + op);
    }
  }

  @SuppressWarnings("unchecked")
  private static void insertList(YType t, int index, List<Object> values) {
    if (t instanceof YArray a) {
      a.insert(index, values);
    } else {
      ((YXmlFragment) t).insert(index, (List<YType>) (List<?>) values);
    }
  }

  // ---- rendering, in the oracle's conventions

  static JsonNode content(YDoc doc, List<String> roots) {
    ObjectNode out = F.objectNode();
    for (String spec : roots) {
      out.set(spec, renderType(root(doc, spec)));
    }
    return out;
  }

  static JsonNode renderType(YType t) {
    if (t instanceof YText text && !(t instanceof YXmlText)) {
      ObjectNode n = F.objectNode();
      n.set("delta", renderDelta(text.toDelta()));
      n.put("text", text.toString());
      return n;
    }
    if (t instanceof YXmlText x) {
      ObjectNode n = F.objectNode();
      n.set("delta", renderDelta(x.toDelta()));
      n.put("text", x.toString());
      return n;
    }
    return render(t);
  }

  static JsonNode renderDelta(List<Map<String, Object>> delta) {
    ArrayNode a = F.arrayNode();
    for (Map<String, Object> op : delta) {
      ObjectNode o = F.objectNode();
      Object ins = op.get("insert");
      if (ins != null) {
        o.set("insert", ins instanceof String s ? F.textNode(s) : render(ins));
      }
      if (op.containsKey("retain")) {
        o.put("retain", ((Number) op.get("retain")).intValue());
      }
      if (op.containsKey("delete")) {
        o.put("delete", ((Number) op.get("delete")).intValue());
      }
      if (op.get("attributes") instanceof Map<?, ?> attrs) {
        o.set("attributes", render(attrs));
      }
      a.add(o);
    }
    return a;
  }

  static JsonNode render(Object v) {
    return switch (v) {
      case null -> F.nullNode();
      case Undefined u -> F.objectNode().put("$undefined", true);
      case String s -> F.textNode(s);
      case Boolean b -> F.booleanNode(b);
      case BigInteger big -> F.objectNode().put("$bigint", big.toString());
      case Number n -> F.numberNode(n.doubleValue());
      case byte[] bytes -> F.objectNode().put("$binary", Base64.getEncoder().encodeToString(bytes));
      case YDoc sub -> F.objectNode().put("$doc", sub.guid());
      case YXmlFragment x -> F.textNode(x.toString());
      case YXmlText x -> F.textNode(x.toString());
      case YText t -> F.textNode(t.toString());
      case YMap m -> {
        ObjectNode o = F.objectNode();
        Map<String, Object> entries = m.entries();
        for (String k : new TreeSet<>(entries.keySet())) {
          o.set(k, render(entries.get(k)));
        }
        yield o;
      }
      case YArray arr -> {
        ArrayNode a = F.arrayNode();
        arr.toArray().forEach(e -> a.add(render(e)));
        yield a;
      }
      case YUntyped u -> F.objectNode().put("$type", "unknown");
      case List<?> list -> {
        ArrayNode a = F.arrayNode();
        list.forEach(e -> a.add(render(e)));
        yield a;
      }
      case Map<?, ?> map -> {
        ObjectNode o = F.objectNode();
        TreeSet<String> keys = new TreeSet<>();
        map.keySet().forEach(k -> keys.add((String) k));
        for (String k : keys) {
          o.set(k, render(map.get(k)));
        }
        yield o;
      }
      default -> F.textNode(v.toString());
    };
  }

  /** Structural equality of rendered content; numbers compare by value. */
  static boolean same(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.asDouble() == b.asDouble() || (Double.isNaN(a.asDouble()) && Double.isNaN(b.asDouble()));
    }
    if (a.isObject() && b.isObject()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!b.has(k) || !same(a.get(k), b.get(k))) {
          return false;
        }
      }
      return true;
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!same(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }
}
