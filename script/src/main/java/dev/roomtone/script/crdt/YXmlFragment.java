package dev.roomtone.script.crdt;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** A list of XML nodes (elements, text, hooks), compatible with Yjs's Y.XmlFragment. */
public sealed class YXmlFragment extends YType permits YXmlElement {

  static final int TYPE_REF = 4;

  private List<YType> prelim = new ArrayList<>();

  public YXmlFragment() {
  }

  @Override
  void integrate(YDoc doc, Item item) {
    super.integrate(doc, item);
    List<YType> nodes = prelim;
    prelim = null;
    insert(0, nodes);
  }

  @Override
  YType copyEmpty() {
    return new YXmlFragment();
  }

  @Override
  void writeTypeRef(UpdateEncoder encoder) {
    encoder.writeTypeRef(TYPE_REF);
  }

  public int length() {
    return doc == null ? prelim.size() : length;
  }

  /** Inserts XML nodes (YXmlElement, YXmlText, YXmlHook) at {@code index}. */
  public void insert(int index, List<? extends YType> nodes) {
    for (YType n : nodes) {
      if (!(n instanceof YXmlFragment || n instanceof YXmlText || n instanceof YXmlHook)) {
        throw new IllegalArgumentException("XML children must be XML types, got " + n.getClass().getSimpleName());
      }
    }
    if (doc == null) {
      prelim.addAll(index, nodes);
      return;
    }
    doc.transact(txn -> listInsert(txn, index, nodes));
  }

  public void delete(int index, int count) {
    if (doc == null) {
      prelim.subList(index, index + count).clear();
      return;
    }
    doc.transact(txn -> listDelete(txn, index, count));
  }

  public YType get(int index) {
    return (YType) listGet(index);
  }

  public List<Object> toArray() {
    return listToArray();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Object node : listToArray()) {
      // what JavaScript's toString gives for each child, so that the text matches Yjs's
      sb.append(switch (node) {
        case YXmlFragment x -> x.toString();
        case YText t -> t.toString();
        case YType other -> "[object Object]";
        default -> JsValues.toJsString(node);
      });
    }
    return sb.toString();
  }

  @Override
  public Object toJSON() {
    return toString();
  }

  public Subscription observe(Consumer<YXmlEvent> f) {
    return addObserver(e -> f.accept((YXmlEvent) e));
  }

  @Override
  void callObserver(Transaction txn, Set<String> parentSubs) {
    if (isObserved()) {
      callTypeObservers(txn, new YXmlEvent(this, txn, parentSubs));
    }
  }
}
