package dev.roomtone.script.crdt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** Shared map with string keys, compatible with Yjs's Y.Map; on concurrent writes to a key one value wins everywhere. */
public sealed class YMap extends YType permits YXmlHook {

  static final int TYPE_REF = 1;

  private Map<String, Object> prelim = new LinkedHashMap<>();

  /** An empty map, to be used as a root or inserted into another type. */
  public YMap() {
  }

  /** A map with initial entries, to be inserted into another type. */
  public YMap(Map<String, ?> entries) {
    prelim.putAll(entries);
  }

  @Override
  void integrate(YDoc doc, Item item) {
    super.integrate(doc, item);
    Map<String, Object> entries = prelim;
    prelim = null;
    entries.forEach(this::set);
  }

  @Override
  YType copyEmpty() {
    return new YMap();
  }

  @Override
  void writeTypeRef(UpdateEncoder encoder) {
    encoder.writeTypeRef(TYPE_REF);
  }

  public void set(String key, Object value) {
    if (doc == null) {
      prelim.put(key, value);
      return;
    }
    doc.transact(txn -> mapSet(txn, key, value));
  }

  /** The value for {@code key} (a nested type is returned as the type), or null. */
  public Object get(String key) {
    if (doc == null) {
      return prelim.get(key);
    }
    return mapGet(key);
  }

  public boolean has(String key) {
    return doc == null ? prelim.containsKey(key) : mapHas(key);
  }

  public void delete(String key) {
    if (doc == null) {
      prelim.remove(key);
      return;
    }
    doc.transact(txn -> mapDelete(txn, key));
  }

  public void clear() {
    if (doc == null) {
      prelim.clear();
      return;
    }
    doc.transact(txn -> {
      for (String key : new ArrayList<>(mapGetAll().keySet())) {
        mapDelete(txn, key);
      }
    });
  }

  public int size() {
    return mapGetAll().size();
  }

  public Set<String> keys() {
    return mapGetAll().keySet();
  }

  /** Current entries; nested types are returned as types. */
  public Map<String, Object> entries() {
    return mapGetAll();
  }

  @Override
  public Map<String, Object> toJSON() {
    requireDoc();
    Map<String, Object> out = new LinkedHashMap<>();
    map.forEach((key, item) -> {
      if (!item.isDeleted()) {
        out.put(key, toJsonValue(item.lastValue()));
      }
    });
    return out;
  }

  /** Observes changes to this map; each event lists the changed keys. */
  public Subscription observe(Consumer<YMapEvent> f) {
    return addObserver(e -> f.accept((YMapEvent) e));
  }

  @Override
  void callObserver(Transaction txn, Set<String> parentSubs) {
    if (isObserved()) {
      callTypeObservers(txn, new YMapEvent(this, txn, parentSubs));
    }
  }
}
