package dev.roomtone.script.crdt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Base64;
import java.util.random.RandomGenerator;

/**
 * Random edits in the oracle's edit language, valid for the replica they are generated for: text with
 * non-BMP characters and formatting, embeds, map values of every kind, nested types, arrays, XML.
 */
final class RandomEdits {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final String[] PIECES = {"a", "b", "c", "INT. ", "KITCHEN", " ", "\n", "é", "ß", "中", "😀", "𝄞", "👩‍💻", "e\u0301", "\t", "\""};
  private static final String[] KEYS = {"a", "b", "c", "n1", "n2", "0", "7"};

  private final RandomGenerator random;

  RandomEdits(RandomGenerator random) {
    this.random = random;
  }

  private static ArrayNode path(Object... steps) {
    ArrayNode p = F.arrayNode();
    for (Object s : steps) {
      if (s instanceof Integer i) {
        p.add(i);
      } else {
        p.add((String) s);
      }
    }
    return p;
  }

  String text(int maxPieces) {
    StringBuilder sb = new StringBuilder();
    int n = 1 + random.nextInt(maxPieces);
    for (int i = 0; i < n; i++) {
      sb.append(PIECES[random.nextInt(PIECES.length)]);
    }
    return sb.toString();
  }

  private JsonNode attrs() {
    ObjectNode a = F.objectNode();
    switch (random.nextInt(6)) {
      case 0 -> a.put("bold", true);
      case 1 -> a.putNull("bold");
      case 2 -> a.put("italic", true).put("color", "#c00");
      case 3 -> a.putNull("italic");
      case 4 -> a.set("link", F.objectNode().put("href", "https://example.org/" + random.nextInt(3)));
      default -> a.put("size", random.nextInt(3) + 10);
    }
    return a;
  }

  JsonNode plainValue(int depth) {
    return switch (random.nextInt(depth > 1 ? 8 : 11)) {
      case 0 -> F.numberNode(random.nextInt(2001) - 1000);
      case 1 -> F.numberNode(random.nextDouble() * 1e6 - 5e5);
      case 2 -> F.textNode(text(3));
      case 3 -> F.booleanNode(random.nextBoolean());
      case 4 -> F.nullNode();
      case 5 -> F.numberNode((double) random.nextLong(1L << 52));
      case 6 -> F.objectNode().put("$binary", Base64.getEncoder().encodeToString(new byte[] {1, (byte) random.nextInt(256), 3}));
      case 7 -> depth < 0 ? F.numberNode(7) // yjs refuses a bare BigInt as an array element
          : F.objectNode().put("$bigint", Long.toString(random.nextLong()));
      case 8 -> {
        ObjectNode o = F.objectNode();
        int n = random.nextInt(3);
        for (int i = 0; i < n; i++) {
          o.set(KEYS[random.nextInt(KEYS.length)], plainValue(Math.max(depth, 0) + 1));
        }
        yield o;
      }
      case 9 -> {
        ArrayNode a = F.arrayNode();
        int n = random.nextInt(3);
        for (int i = 0; i < n; i++) {
          a.add(plainValue(Math.max(depth, 0) + 1));
        }
        yield a;
      }
      default -> F.numberNode(random.nextInt(100) + 0.5);
    };
  }

  private JsonNode mapValue() {
    return switch (random.nextInt(8)) {
      case 0 -> F.objectNode().put("$type", "text").put("init", text(2));
      case 1 -> {
        ObjectNode spec = F.objectNode().put("$type", "map");
        spec.set("init", F.objectNode().set("k", plainValue(1)));
        yield spec;
      }
      case 2 -> {
        ObjectNode spec = F.objectNode().put("$type", "array");
        spec.set("init", F.arrayNode().add(plainValue(-1)).add(plainValue(-1)));
        yield spec;
      }
      default -> plainValue(0);
    };
  }

  /**
   * One transaction's worth of edits, valid on {@code replica} as it is now: one edit of any kind,
   * sometimes followed by edits that stay valid whatever the first one did.
   */
  ArrayNode transaction(Replica replica) {
    ArrayNode ops = F.arrayNode();
    ops.add(edit(replica));
    int extra = random.nextInt(4) == 0 ? 1 + random.nextInt(2) : 0;
    for (int i = 0; i < extra; i++) {
      ops.add(switch (random.nextInt(3)) {
        case 0 -> mapEdit(path("map:m"));
        case 1 -> F.objectNode().put("k", "insertText").put("index", 0).put("text", text(2)).set("path", path("text:t"));
        default -> {
          ObjectNode push = F.objectNode().put("k", "arrayPush");
          push.set("path", path("array:a"));
          push.set("values", F.arrayNode().add(plainValue(-1)));
          yield push;
        }
      });
    }
    return ops;
  }

  /** A single edit; applied by the caller. */
  ObjectNode edit(Replica replica) {
    int choice = random.nextInt(100);
    if (choice < 45) {
      return textEdit(replica, path("text:t"));
    }
    if (choice < 60) {
      return mapEdit(path("map:m"));
    }
    if (choice < 72) {
      return arrayEdit(replica, path("array:a"));
    }
    if (choice < 88) {
      // an edit inside a nested type, when this replica has one
      String key = random.nextBoolean() ? "n1" : "n2";
      ArrayNode p = path("map:m", key);
      String kind = replica.kindAt(p);
      if ("text".equals(kind)) {
        return textEdit(replica, p);
      }
      if ("map".equals(kind)) {
        return mapEdit(p);
      }
      if ("array".equals(kind)) {
        return arrayEdit(replica, p);
      }
      return mapEdit(path("map:m"));
    }
    return xmlEdit();
  }

  /**
   * A random index on a code point boundary: editors never place the cursor inside a surrogate pair,
   * and Yjs turns a split pair into U+FFFD on the replica that splits it, which would diverge.
   */
  private int boundary(String text, int index) {
    if (index > 0 && index < text.length() && Character.isLowSurrogate(text.charAt(index))
        && Character.isHighSurrogate(text.charAt(index - 1))) {
      return index - 1;
    }
    return index;
  }

  private ObjectNode textEdit(Replica replica, ArrayNode p) {
    String text = replica.textAt(p);
    int len = text.length();
    ObjectNode op = F.objectNode();
    op.set("path", p);
    int kind = random.nextInt(10);
    if (kind < 5 || len == 0) {
      op.put("k", "insertText").put("index", boundary(text, random.nextInt(len + 1))).put("text", text(4));
      if (random.nextInt(3) == 0) {
        op.set("attrs", attrs());
      }
      return op;
    }
    if (kind == 9) {
      op.put("k", "insertEmbed").put("index", boundary(text, random.nextInt(len + 1)));
      op.set("embed", F.objectNode().put("image", "frame-" + random.nextInt(5) + ".png"));
      return op;
    }
    int index = boundary(text, random.nextInt(len));
    int end = boundary(text, index + 1 + random.nextInt(kind < 8 ? Math.min(4, len - index) : len - index));
    if (end <= index) {
      end = Math.min(len, index + 2);
    }
    op.put("k", kind < 8 ? "deleteText" : "format").put("index", index).put("length", end - index);
    if (kind >= 8) {
      op.set("attrs", attrs());
    }
    return op;
  }

  private ObjectNode mapEdit(ArrayNode p) {
    ObjectNode op = F.objectNode();
    op.set("path", p);
    String key = KEYS[random.nextInt(KEYS.length)];
    if (random.nextInt(5) == 0) {
      op.put("k", "mapDelete").put("key", key);
    } else {
      op.put("k", "mapSet").put("key", key);
      op.set("value", p.size() == 1 && key.startsWith("n") ? mapValue() : plainValue(0));
    }
    return op;
  }

  private ObjectNode arrayEdit(Replica replica, ArrayNode p) {
    int len = replica.lengthAt(p);
    ObjectNode op = F.objectNode();
    op.set("path", p);
    int kind = random.nextInt(10);
    if (kind < 5 || len == 0) {
      ArrayNode values = F.arrayNode();
      int n = 1 + random.nextInt(3);
      for (int i = 0; i < n; i++) {
        values.add(random.nextInt(8) == 0 ? F.objectNode().put("$type", "text").put("init", text(1)) : plainValue(-1));
      }
      op.put("k", random.nextInt(4) == 0 ? "arrayPush" : "arrayInsert");
      if (op.get("k").asText().equals("arrayInsert")) {
        op.put("index", random.nextInt(len + 1));
      }
      op.set("values", values);
    } else {
      int index = random.nextInt(len);
      op.put("k", "arrayDelete").put("index", index).put("length", 1 + random.nextInt(Math.min(3, len - index)));
    }
    return op;
  }

  private ObjectNode xmlEdit() {
    ObjectNode op = F.objectNode();
    op.set("path", path("xml:x"));
    op.put("k", random.nextBoolean() ? "arrayPush" : "arrayInsert");
    if (op.get("k").asText().equals("arrayInsert")) {
      op.put("index", 0);
    }
    ObjectNode node = random.nextBoolean()
        ? F.objectNode().put("$type", "xmlElement").put("name", random.nextBoolean() ? "p" : "scene")
        : F.objectNode().put("$type", "xmlText").put("init", text(2));
    op.set("values", F.arrayNode().add(node));
    return op;
  }
}
