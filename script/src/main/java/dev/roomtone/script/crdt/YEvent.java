package dev.roomtone.script.crdt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one transaction changed in one shared type. Changes are computed on first access and only
 * while the observers of that transaction run.
 */
public sealed class YEvent permits YTextEvent, YMapEvent, YArrayEvent, YXmlEvent {

  /** How a map key changed: "add", "update" or "delete", with the value it had before. */
  public record KeyChange(String action, Object oldValue) {
  }

  final YType target;
  YType currentTarget;
  final Transaction transaction;
  final Set<String> changedKeys;
  List<Object> path;
  private Map<String, KeyChange> keys;
  private List<Map<String, Object>> delta;

  YEvent(YType target, Transaction transaction, Set<String> changedKeys) {
    this.target = target;
    this.currentTarget = target;
    this.transaction = transaction;
    this.changedKeys = changedKeys;
  }

  /** The type that changed. */
  public YType target() {
    return target;
  }

  /** The type whose observer receives this event (an ancestor, for deep observers). */
  public YType currentTarget() {
    return currentTarget;
  }

  public Transaction transaction() {
    return transaction;
  }

  /** Path from the current target down to the target: map keys and array indices. */
  public List<Object> path() {
    if (path == null) {
      path = pathTo(currentTarget, target);
    }
    return path;
  }

  private static List<Object> pathTo(YType parent, YType child) {
    List<Object> path = new ArrayList<>();
    while (child.item != null && child != parent) {
      pathStep(child).ifPresent(step -> path.add(0, step));
      child = child.item.parent;
    }
    return path;
  }

  /** How {@code child} is reached from its parent: its map key, or its index in the parent's list. */
  static java.util.Optional<Object> pathStep(YType child) {
    if (child.item == null) {
      return java.util.Optional.empty();
    }
    if (child.item.parentSub != null) {
      return java.util.Optional.of(child.item.parentSub);
    }
    int i = 0;
    for (Item c = child.item.parent.start; c != child.item && c != null; c = c.right) {
      if (c.visible()) {
        i += c.length;
      }
    }
    return java.util.Optional.of(i);
  }

  /** Whether this transaction deleted the struct. */
  boolean deletes(Struct s) {
    return transaction.deletes(s);
  }

  /** Whether this transaction created the struct. */
  boolean adds(Struct s) {
    return transaction.adds(s);
  }

  /** Changed map keys (attributes, for text and XML) with what happened to each. */
  public Map<String, KeyChange> keys() {
    if (keys == null) {
      Map<String, KeyChange> out = new LinkedHashMap<>();
      for (String key : changedKeys) {
        if (key == null) {
          continue;
        }
        Item item = target.map.get(key);
        if (adds(item)) {
          Item prev = item.left;
          while (prev != null && adds(prev)) {
            prev = prev.left;
          }
          if (deletes(item)) {
            if (prev != null && deletes(prev)) {
              out.put(key, new KeyChange("delete", last(prev)));
            }
          } else if (prev != null && deletes(prev)) {
            out.put(key, new KeyChange("update", last(prev)));
          } else {
            out.put(key, new KeyChange("add", Undefined.INSTANCE));
          }
        } else if (deletes(item)) {
          out.put(key, new KeyChange("delete", last(item)));
        }
      }
      keys = out;
    }
    return keys;
  }

  private static Object last(Item item) {
    return item.lastValue();
  }

  /** The list change as a delta: {@code {"insert": [values]}}, {@code {"retain": n}}, {@code {"delete": n}}. */
  public List<Map<String, Object>> delta() {
    if (delta == null) {
      delta = computeDelta();
    }
    return delta;
  }

  List<Map<String, Object>> computeDelta() {
    List<Map<String, Object>> out = new ArrayList<>();
    if (!changedKeys.contains(null)) {
      return out;
    }
    Map<String, Object> lastOp = null;
    for (Item item = target.start; item != null; item = item.right) {
      if (item.isDeleted()) {
        if (deletes(item) && !adds(item)) {
          if (lastOp == null || !lastOp.containsKey("delete")) {
            if (lastOp != null) {
              out.add(lastOp);
            }
            lastOp = new LinkedHashMap<>();
            lastOp.put("delete", 0);
          }
          lastOp.put("delete", (int) lastOp.get("delete") + item.length);
        }
      } else if (adds(item)) {
        if (lastOp == null || !lastOp.containsKey("insert")) {
          if (lastOp != null) {
            out.add(lastOp);
          }
          lastOp = new LinkedHashMap<>();
          lastOp.put("insert", new ArrayList<>());
        }
        @SuppressWarnings("unchecked")
        List<Object> ins = (List<Object>) lastOp.get("insert");
        ins.addAll(item.content.values());
      } else {
        if (lastOp == null || !lastOp.containsKey("retain")) {
          if (lastOp != null) {
            out.add(lastOp);
          }
          lastOp = new LinkedHashMap<>();
          lastOp.put("retain", 0);
        }
        lastOp.put("retain", (int) lastOp.get("retain") + item.length);
      }
    }
    if (lastOp != null && !lastOp.containsKey("retain")) {
      out.add(lastOp);
    }
    return out;
  }
}
