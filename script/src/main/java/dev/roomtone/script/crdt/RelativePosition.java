package dev.roomtone.script.crdt;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A position in a shared type that survives concurrent edits: it names the item at the position
 * (or the type's end) instead of an index. Compatible with Yjs's RelativePosition, binary and JSON.
 * {@code assoc} >= 0 sticks to the item on the right, < 0 to the one on the left.
 *
 * @param type  id of the item holding a nested type, when the position is at its end (else null)
 * @param tname name of a root type, when the position is at its end (else null)
 * @param item  id of the item at the position, or null for the end of the type
 * @param assoc association: >= 0 right, < 0 left
 */
public record RelativePosition(ID type, String tname, ID item, int assoc) {

  /** Where a relative position points now: a type and an index in it. */
  public record Absolute(YType type, int index, int assoc) {
  }

  /** The relative position for {@code index} in {@code type}. */
  public static RelativePosition fromIndex(YType type, int index, int assoc) {
    type.requireDoc();
    Item t = type.start;
    if (assoc < 0) {
      if (index == 0) {
        return of(type, null, assoc);
      }
      index--;
    }
    while (t != null) {
      if (t.visible()) {
        if (t.length > index) {
          return of(type, new ID(t.client, t.clock + index), assoc);
        }
        index -= t.length;
      }
      if (t.right == null && assoc < 0) {
        return of(type, t.lastId(), assoc);
      }
      t = t.right;
    }
    return of(type, null, assoc);
  }

  private static RelativePosition of(YType type, ID item, int assoc) {
    if (type.item == null) {
      return new RelativePosition(null, type.rootKey(), item, assoc);
    }
    return new RelativePosition(new ID(type.item.client, type.item.clock), null, item, assoc);
  }

  /** The binary encoding Yjs's encodeRelativePosition produces. */
  public byte[] encode() {
    ByteWriter w = new ByteWriter(16);
    if (item != null) {
      w.writeVarUint(0);
      item.write(w);
    } else if (tname != null) {
      w.writeUint8(1);
      w.writeVarString(tname);
    } else if (type != null) {
      w.writeUint8(2);
      type.write(w);
    } else {
      throw new IllegalStateException("relative position without item, type or type name");
    }
    w.writeVarInt(assoc);
    return w.toByteArray();
  }

  /** Decodes Yjs's binary relative position; malformed input throws {@link MalformedUpdateException}. */
  public static RelativePosition decode(byte[] bytes) {
    ByteReader r = new ByteReader(bytes);
    ID type = null;
    String tname = null;
    ID item = null;
    int start = r.position();
    long kind = r.readVarUint();
    switch ((int) Math.min(kind, 3)) {
      case 0 -> item = ID.read(r);
      case 1 -> tname = r.readVarString();
      case 2 -> type = ID.read(r);
      default -> throw new MalformedUpdateException("unknown relative position kind " + kind, start);
    }
    int assoc = 0;
    if (r.hasContent()) {
      int at = r.position();
      double a = r.readVarIntAsDouble();
      if (a > Integer.MAX_VALUE || a < Integer.MIN_VALUE) {
        throw new MalformedUpdateException("association out of range", at);
      }
      assoc = (int) a;
    }
    if (r.hasContent()) {
      throw r.error("unexpected bytes after the relative position");
    }
    return new RelativePosition(type, tname, item, assoc);
  }

  /** Resolves against {@code doc}; null when the position refers to content the document lacks or collected. */
  public Absolute toAbsolute(YDoc doc) {
    StructStore store = doc.store;
    YType t;
    int index = 0;
    if (item != null) {
      if (store.state(item.client()) <= item.clock()) {
        return null;
      }
      Struct s = store.find(item.client(), item.clock());
      if (!(s instanceof Item right)) {
        return null;
      }
      int diff = item.clock() - right.clock;
      t = right.parent;
      if (t.item == null || !t.item.isDeleted()) {
        index = (right.isDeleted() || !right.countable()) ? 0 : diff + (assoc >= 0 ? 0 : 1);
        for (Item n = right.left; n != null; n = n.left) {
          if (n.visible()) {
            index += n.length;
          }
        }
      }
    } else {
      if (tname != null) {
        t = doc.getRoot(tname);
        if (t == null) {
          t = doc.getUntyped(tname);
        }
      } else if (type != null) {
        if (store.state(type.client()) <= type.clock()) {
          return null;
        }
        Struct s = store.find(type.client(), type.clock());
        if (s instanceof Item i && i.content instanceof ContentType ct) {
          t = ct.type;
        } else {
          return null;
        }
      } else {
        throw new IllegalStateException("relative position without item, type or type name");
      }
      index = assoc >= 0 ? t.length : 0;
    }
    return new Absolute(t, index, assoc);
  }

  /** The JSON form Yjs's relativePositionToJSON produces. */
  public Map<String, Object> toJSON() {
    Map<String, Object> json = new LinkedHashMap<>();
    if (type != null) {
      json.put("type", idJson(type));
    }
    if (tname != null) {
      json.put("tname", tname);
    }
    if (item != null) {
      json.put("item", idJson(item));
    }
    json.put("assoc", (long) assoc);
    return json;
  }

  private static Map<String, Object> idJson(ID id) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("client", id.client());
    m.put("clock", (long) id.clock());
    return m;
  }

  /** Reads the JSON form ({@code type}, {@code tname}, {@code item}, {@code assoc}). */
  public static RelativePosition fromJSON(Map<String, ?> json) {
    return new RelativePosition(idFrom(json.get("type")), json.get("tname") instanceof String s ? s : null,
        idFrom(json.get("item")), json.get("assoc") instanceof Number n ? n.intValue() : 0);
  }

  private static ID idFrom(Object o) {
    if (o instanceof Map<?, ?> m && m.get("client") instanceof Number c && m.get("clock") instanceof Number k) {
      return new ID(c.longValue(), k.intValue());
    }
    return null;
  }
}
