package dev.roomtone.script.crdt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A change to a {@link YText}: its delta uses string inserts and carries formatting changes. */
public final class YTextEvent extends YEvent {

  YTextEvent(YText target, Transaction transaction, Set<String> changedKeys) {
    super(target, transaction, changedKeys);
  }

  /** Whether the text content changed (as opposed to only its attributes). */
  public boolean childListChanged() {
    return changedKeys.contains(null);
  }

  @Override
  List<Map<String, Object>> computeDelta() {
    List<Map<String, Object>> delta = new ArrayList<>();
    transaction.doc.transact(txn -> new DeltaBuilder(delta, txn).run());
    return delta;
  }

  private final class DeltaBuilder {
    private final List<Map<String, Object>> delta;
    private final Transaction txn;
    private final Map<String, Object> currentAttributes = new LinkedHashMap<>();
    private final Map<String, Object> oldAttributes = new LinkedHashMap<>();
    private final Map<String, Object> attributes = new LinkedHashMap<>();
    private String action;
    private Object insert = "";
    private int retain;
    private int deleteLen;

    DeltaBuilder(List<Map<String, Object>> delta, Transaction txn) {
      this.delta = delta;
      this.txn = txn;
    }

    private void addOp() {
      if (action == null) {
        return;
      }
      Map<String, Object> op = null;
      switch (action) {
        case "delete" -> {
          if (deleteLen > 0) {
            op = new LinkedHashMap<>();
            op.put("delete", deleteLen);
          }
          deleteLen = 0;
        }
        case "insert" -> {
          if (!(insert instanceof String s) || !s.isEmpty()) {
            op = new LinkedHashMap<>();
            op.put("insert", insert);
            if (!currentAttributes.isEmpty()) {
              Map<String, Object> attrs = new LinkedHashMap<>();
              currentAttributes.forEach((k, v) -> {
                if (v != null) {
                  attrs.put(k, v);
                }
              });
              op.put("attributes", attrs);
            }
          }
          insert = "";
        }
        case "retain" -> {
          if (retain > 0) {
            op = new LinkedHashMap<>();
            op.put("retain", retain);
            if (!attributes.isEmpty()) {
              op.put("attributes", new LinkedHashMap<>(attributes));
            }
          }
          retain = 0;
        }
        default -> throw new IllegalStateException(action);
      }
      if (op != null) {
        delta.add(op);
      }
      action = null;
    }

    private Object getOrNull(Map<String, Object> m, String key) {
      return m.get(key);
    }

    void run() {
      for (Item item = target.start; item != null; item = item.right) {
        switch (item.content) {
          case ContentType t -> single(item, t.type);
          case ContentEmbed e -> single(item, e.embed);
          case ContentString s -> {
            if (adds(item)) {
              if (!deletes(item)) {
                if (!"insert".equals(action)) {
                  addOp();
                  action = "insert";
                }
                insert = (String) insert + s.text();
              }
            } else if (deletes(item)) {
              if (!"delete".equals(action)) {
                addOp();
                action = "delete";
              }
              deleteLen += item.length;
            } else if (!item.isDeleted()) {
              if (!"retain".equals(action)) {
                addOp();
                action = "retain";
              }
              retain += item.length;
            }
          }
          case ContentFormat f -> format(item, f);
          default -> {
          }
        }
      }
      addOp();
      while (!delta.isEmpty()) {
        Map<String, Object> lastOp = delta.get(delta.size() - 1);
        if (lastOp.containsKey("retain") && !lastOp.containsKey("attributes")) {
          delta.remove(delta.size() - 1);
        } else {
          break;
        }
      }
    }

    private void single(Item item, Object value) {
      if (adds(item)) {
        if (!deletes(item)) {
          addOp();
          action = "insert";
          insert = value;
          addOp();
        }
      } else if (deletes(item)) {
        if (!"delete".equals(action)) {
          addOp();
          action = "delete";
        }
        deleteLen += 1;
      } else if (!item.isDeleted()) {
        if (!"retain".equals(action)) {
          addOp();
          action = "retain";
        }
        retain += 1;
      }
    }

    private void format(Item item, ContentFormat f) {
      String key = f.key;
      Object value = f.value;
      if (adds(item)) {
        if (!deletes(item)) {
          Object curVal = getOrNull(currentAttributes, key);
          if (!JsValues.equalAttrs(curVal, value)) {
            if ("retain".equals(action)) {
              addOp();
            }
            if (JsValues.equalAttrs(value, getOrNull(oldAttributes, key))) {
              attributes.remove(key);
            } else {
              attributes.put(key, value);
            }
          } else if (value != null) {
            item.delete(txn);
          }
        }
      } else if (deletes(item)) {
        oldAttributes.put(key, value);
        Object curVal = getOrNull(currentAttributes, key);
        if (!JsValues.equalAttrs(curVal, value)) {
          if ("retain".equals(action)) {
            addOp();
          }
          attributes.put(key, curVal);
        }
      } else if (!item.isDeleted()) {
        oldAttributes.put(key, value);
        if (attributes.containsKey(key)) {
          Object attr = attributes.get(key);
          if (!JsValues.equalAttrs(attr, value)) {
            if ("retain".equals(action)) {
              addOp();
            }
            if (value == null) {
              attributes.remove(key);
            } else {
              attributes.put(key, value);
            }
          } else if (attr != null) {
            item.delete(txn);
          }
        }
      }
      if (!item.isDeleted()) {
        if ("insert".equals(action)) {
          addOp();
        }
        YText.updateCurrentAttributes(currentAttributes, f);
      }
    }
  }
}
