package dev.roomtone.script.crdt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Base of all shared types. A type owns a list of items (text, array elements, XML children) and a
 * map of items by key (map entries, attributes); each kind exposes the part it uses.
 */
public abstract sealed class YType permits YText, YMap, YArray, YXmlFragment, YUntyped {

  /** The item holding this type inside its parent, or null for a root type. */
  Item item;
  Map<String, Item> map = new LinkedHashMap<>();
  Item start;
  YDoc doc;
  int length;
  SearchMarkers searchMarkers;
  /** Yjs's formatting flag: set when a format arrives, but not kept when an untyped root is adopted. */
  boolean hasFormatting;
  /** Whether any format was ever placed in this type's list (kept on adoption); only skips needless work. */
  boolean formatsSeen;
  final List<Consumer<YEvent>> observers = new ArrayList<>();
  final List<Consumer<List<YEvent>>> deepObservers = new ArrayList<>();

  YType() {
  }

  void enableSearchMarkers() {
    searchMarkers = new SearchMarkers(this);
  }

  /** Binds the type to its document (and item, unless it is a root); applies preliminary content. */
  void integrate(YDoc doc, Item item) {
    this.doc = doc;
    this.item = item;
  }

  /** A new empty type of the same kind (Yjs's {@code _copy}). */
  abstract YType copyEmpty();

  /** The type reference number written for this kind of type. */
  abstract void writeTypeRef(UpdateEncoder encoder);

  /** Calls the observers of this type for one transaction. */
  abstract void callObserver(Transaction txn, java.util.Set<String> parentSubs);

  /** JSON-like value of this type's content. */
  public abstract Object toJSON();

  /** The document this type belongs to, or null while it is not yet inserted anywhere. */
  public YDoc doc() {
    return doc;
  }

  /** The type containing this one, or null for a root type. */
  public YType parent() {
    return item == null ? null : item.parent;
  }

  /** Observes changes made to this type's own content; returns a handle to stop observing. */
  Subscription addObserver(Consumer<YEvent> f) {
    observers.add(f);
    return () -> observers.remove(f);
  }

  /** Observes changes to this type and everything nested in it, one list of events per transaction. */
  public Subscription observeDeep(Consumer<List<YEvent>> f) {
    deepObservers.add(f);
    return () -> deepObservers.remove(f);
  }

  static YType read(UpdateDecoder decoder) {
    int ref = decoder.readTypeRef();
    return switch (ref) {
      case YArray.TYPE_REF -> new YArray();
      case YMap.TYPE_REF -> new YMap();
      case YText.TYPE_REF -> new YText();
      case YXmlElement.TYPE_REF -> new YXmlElement(decoder.readKey());
      case YXmlFragment.TYPE_REF -> new YXmlFragment();
      case YXmlHook.TYPE_REF -> new YXmlHook(decoder.readKey());
      case YXmlText.TYPE_REF -> new YXmlText();
      default -> throw decoder.error("unknown shared type " + ref);
    };
  }

  /** Name of this root type in its document. */
  String rootKey() {
    for (Map.Entry<String, YType> e : doc.share.entrySet()) {
      if (e.getValue() == this) {
        return e.getKey();
      }
    }
    throw new IllegalStateException("type is not a root of its document");
  }

  void requireDoc() {
    if (doc == null) {
      throw new IllegalStateException("add this type to a document before reading it");
    }
  }

  /** Whether an event for this type would reach anyone: its observers or a deep observer above. */
  boolean isObserved() {
    if (!observers.isEmpty()) {
      return true;
    }
    for (YType t = this; t != null; t = t.item == null ? null : t.item.parent) {
      if (!t.deepObservers.isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** Fires this type's observers and records the event for deep observers of its ancestors. */
  void callTypeObservers(Transaction txn, YEvent event) {
    YType type = this;
    while (true) {
      if (!type.deepObservers.isEmpty()) {
        txn.recordEvent(type, event);
      }
      if (type.item == null) {
        break;
      }
      type = type.item.parent;
    }
    for (Consumer<YEvent> f : List.copyOf(observers)) {
      f.accept(event);
    }
  }

  void clearMarkersOnRemoteChange(Transaction txn) {
    if (!txn.local && searchMarkers != null) {
      searchMarkers.clear();
    }
  }

  // ---- list operations (arrays, XML children, and the embeds of text)

  List<Object> listToArray() {
    requireDoc();
    List<Object> out = new ArrayList<>(length);
    for (Item n = start; n != null; n = n.right) {
      if (n.visible()) {
        out.addAll(n.content.values());
      }
    }
    return out;
  }

  List<Object> listSlice(int startIndex, int endIndex) {
    requireDoc();
    if (startIndex < 0) {
      startIndex = length + startIndex;
    }
    if (endIndex < 0) {
      endIndex = length + endIndex;
    }
    int len = endIndex - startIndex;
    List<Object> out = new ArrayList<>(Math.max(0, len));
    for (Item n = start; n != null && len > 0; n = n.right) {
      if (n.visible()) {
        List<Object> c = n.content.values();
        if (c.size() <= startIndex) {
          startIndex -= c.size();
        } else {
          for (int i = startIndex; i < c.size() && len > 0; i++) {
            out.add(c.get(i));
            len--;
          }
          startIndex = 0;
        }
      }
    }
    return out;
  }

  Object listGet(int index) {
    requireDoc();
    if (index < 0 || index >= length) {
      throw new IndexOutOfBoundsException("index " + index + " out of bounds for length " + length);
    }
    int marker = searchMarkers == null ? -1 : searchMarkers.find(index);
    Item n = start;
    if (marker >= 0) {
      n = searchMarkers.item(marker);
      index -= searchMarkers.index(marker);
    }
    for (; n != null; n = n.right) {
      if (n.visible()) {
        if (index < n.length) {
          return n.content.values().get(index);
        }
        index -= n.length;
      }
    }
    throw new IndexOutOfBoundsException("index out of bounds");
  }

  /** Inserts values after {@code referenceItem} (null: at the start), packing plain values into runs. */
  void listInsertAfter(Transaction txn, Item referenceItem, List<?> content) {
    Item left = referenceItem;
    long client = txn.doc.clientId();
    Item right = referenceItem == null ? start : referenceItem.right;
    List<Object> plain = new ArrayList<>();
    for (Object c : content) {
      Content special = specialContent(c);
      if (special == null) {
        plain.add(c);
        continue;
      }
      if (!plain.isEmpty()) {
        left = Item.between(client, txn.nextClock(), left, right, this, null, new ContentAny(plain));
        left.integrate(txn);
        plain = new ArrayList<>();
      }
      left = Item.between(client, txn.nextClock(), left, right, this, null, special);
      left.integrate(txn);
    }
    if (!plain.isEmpty()) {
      Item.between(client, txn.nextClock(), left, right, this, null, new ContentAny(plain)).integrate(txn);
    }
  }

  /** Content for values that are not plain JSON-like values, or null for plain ones. */
  static Content specialContent(Object c) {
    return switch (c) {
      case byte[] bytes -> new ContentBinary(bytes.clone());
      case YDoc sub -> new ContentDoc(sub);
      case YType type -> {
        if (type.doc != null) {
          throw new IllegalArgumentException("this type is already part of a document; insert a new one or a copy");
        }
        yield new ContentType(type);
      }
      case null -> null;
      default -> {
        checkPlainValue(c);
        yield null;
      }
    };
  }

  private static void checkPlainValue(Object c) {
    if (!(c instanceof String || c instanceof Number || c instanceof Boolean || c instanceof Map || c instanceof List
        || c == Undefined.INSTANCE)) {
      throw new IllegalArgumentException("cannot store a " + c.getClass().getName() + " in a shared document");
    }
  }

  void listInsert(Transaction txn, int index, List<?> content) {
    if (index < 0 || index > length) {
      throw new IndexOutOfBoundsException("insert position " + index + " out of bounds for length " + length);
    }
    if (index == 0) {
      if (searchMarkers != null) {
        searchMarkers.updateChanges(index, content.size());
      }
      listInsertAfter(txn, null, content);
      return;
    }
    int startIndex = index;
    int marker = searchMarkers == null ? -1 : searchMarkers.find(index);
    Item n = start;
    if (marker >= 0) {
      n = searchMarkers.item(marker);
      index -= searchMarkers.index(marker);
      if (index == 0) {
        // step to the previous visible item so that the loop below can stop on it
        n = n.prev();
        index += (n != null && n.countable() && !n.isDeleted()) ? n.length : 0;
      }
    }
    for (; n != null; n = n.right) {
      if (n.visible()) {
        if (index <= n.length) {
          if (index < n.length) {
            txn.doc.store.getCleanStart(txn, n.client, n.clock + index);
          }
          break;
        }
        index -= n.length;
      }
    }
    if (searchMarkers != null) {
      searchMarkers.updateChanges(startIndex, content.size());
    }
    listInsertAfter(txn, n, content);
  }

  void listPush(Transaction txn, List<?> content) {
    Item n = start;
    int highest = searchMarkers == null ? -1 : searchMarkers.highest();
    if (highest >= 0) {
      n = searchMarkers.item(highest);
    }
    if (n != null) {
      while (n.right != null) {
        n = n.right;
      }
    }
    listInsertAfter(txn, n, content);
  }

  void listDelete(Transaction txn, int index, int len) {
    if (len == 0) {
      return;
    }
    if (index < 0 || len < 0 || (long) index + len > length) {
      throw new IndexOutOfBoundsException("cannot delete " + len + " at " + index + " from length " + length);
    }
    int startIndex = index;
    int startLength = len;
    int marker = searchMarkers == null ? -1 : searchMarkers.find(index);
    Item n = start;
    if (marker >= 0) {
      n = searchMarkers.item(marker);
      index -= searchMarkers.index(marker);
    }
    for (; n != null && index > 0; n = n.right) {
      if (n.visible()) {
        if (index < n.length) {
          txn.doc.store.getCleanStart(txn, n.client, n.clock + index);
        }
        index -= n.length;
      }
    }
    while (len > 0 && n != null) {
      if (!n.isDeleted()) {
        if (len < n.length) {
          txn.doc.store.getCleanStart(txn, n.client, n.clock + len);
        }
        n.delete(txn);
        len -= n.length;
      }
      n = n.right;
    }
    if (len > 0) {
      throw new IndexOutOfBoundsException("deletion ran past the end");
    }
    if (searchMarkers != null) {
      searchMarkers.updateChanges(startIndex, -startLength + len);
    }
  }

  // ---- map operations (maps, attributes)

  void mapDelete(Transaction txn, String key) {
    Item c = map.get(key);
    if (c != null) {
      c.delete(txn);
    }
  }

  void mapSet(Transaction txn, String key, Object value) {
    Item left = map.get(key);
    Content content = specialContent(value);
    if (content == null) {
      content = new ContentAny(new ArrayList<>(java.util.Collections.singletonList(value)));
    }
    Item item = new Item(txn.doc.clientId(), txn.nextClock(), left, left == null ? null : left.lastId(), null, null, this, key, content);
    item.integrate(txn);
  }

  Object mapGet(String key) {
    requireDoc();
    Item val = map.get(key);
    if (val == null || val.isDeleted()) {
      return null;
    }
    return val.lastValue();
  }

  boolean mapHas(String key) {
    requireDoc();
    Item val = map.get(key);
    return val != null && !val.isDeleted();
  }

  Map<String, Object> mapGetAll() {
    requireDoc();
    Map<String, Object> out = new LinkedHashMap<>();
    map.forEach((key, val) -> {
      if (!val.isDeleted()) {
        out.put(key, val.lastValue());
      }
    });
    return out;
  }

  static Object toJsonValue(Object v) {
    return v instanceof YType t ? t.toJSON() : v;
  }
}
