package dev.roomtone.script.crdt;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** Shared list of values and nested types, compatible with Yjs's Y.Array. */
public final class YArray extends YType {

  static final int TYPE_REF = 0;

  private List<Object> prelim = new ArrayList<>();

  /** An empty array, to be used as a root or inserted into another type. */
  public YArray() {
    enableSearchMarkers();
  }

  /** An array with initial values, to be inserted into another type. */
  public YArray(List<?> values) {
    this();
    prelim.addAll(values);
  }

  @Override
  void integrate(YDoc doc, Item item) {
    super.integrate(doc, item);
    List<Object> values = prelim;
    prelim = null;
    insert(0, values);
  }

  @Override
  YType copyEmpty() {
    return new YArray();
  }

  @Override
  void writeTypeRef(UpdateEncoder encoder) {
    encoder.writeTypeRef(TYPE_REF);
  }

  public int length() {
    return doc == null ? prelim.size() : length;
  }

  public void insert(int index, List<?> values) {
    if (doc == null) {
      prelim.addAll(index, values);
      return;
    }
    doc.transact(txn -> listInsert(txn, index, values));
  }

  public void push(List<?> values) {
    if (doc == null) {
      prelim.addAll(values);
      return;
    }
    doc.transact(txn -> listPush(txn, values));
  }

  public void delete(int index, int count) {
    if (doc == null) {
      prelim.subList(index, index + count).clear();
      return;
    }
    doc.transact(txn -> listDelete(txn, index, count));
  }

  /** The value at {@code index} (a nested type is returned as the type). */
  public Object get(int index) {
    return listGet(index);
  }

  public List<Object> toArray() {
    return listToArray();
  }

  public List<Object> slice(int start, int end) {
    return listSlice(start, end);
  }

  @Override
  public List<Object> toJSON() {
    List<Object> out = new ArrayList<>();
    for (Object v : listToArray()) {
      out.add(toJsonValue(v));
    }
    return out;
  }

  /** Observes changes to this array; each event carries its delta. */
  public Subscription observe(Consumer<YArrayEvent> f) {
    return addObserver(e -> f.accept((YArrayEvent) e));
  }

  @Override
  void callObserver(Transaction txn, Set<String> parentSubs) {
    clearMarkersOnRemoteChange(txn);
    if (isObserved()) {
      callTypeObservers(txn, new YArrayEvent(this, txn, parentSubs));
    }
  }
}
