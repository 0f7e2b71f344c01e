package dev.roomtone.script.crdt;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Shared rich text, compatible with Yjs's Y.Text: indices count UTF-16 code units; formatting is
 * stored as marks inside the text; embeds take one position. Deltas are lists of JSON-like operations
 * ({@code {"insert": ..., "attributes": {...}}}, {@code {"retain": n}}, {@code {"delete": n}}).
 */
public sealed class YText extends YType permits YXmlText {

  static final int TYPE_REF = 2;

  private List<Runnable> pending = new ArrayList<>();

  /** An empty text, to be used as a root or inserted into another type. */
  public YText() {
    enableSearchMarkers();
  }

  /** A text with initial content, to be inserted into another type. */
  public YText(String initial) {
    this();
    pending.add(() -> insert(0, initial));
  }

  @Override
  void integrate(YDoc doc, Item item) {
    super.integrate(doc, item);
    List<Runnable> ops = pending;
    pending = null;
    if (ops != null) {
      for (Runnable op : ops) {
        op.run();
      }
    }
  }

  @Override
  YType copyEmpty() {
    return new YText();
  }

  @Override
  void writeTypeRef(UpdateEncoder encoder) {
    encoder.writeTypeRef(TYPE_REF);
  }

  /** Length in UTF-16 code units. */
  public int length() {
    requireDoc();
    return length;
  }

  // ---- positions

  /** A place between two items while walking the text, with the formatting in effect there. */
  static final class Position {
    Item left;
    Item right;
    int index;
    /** Formatting in effect here; an immutable empty map until the first format is met. */
    Map<String, Object> currentAttributes = java.util.Collections.emptyMap();

    Position(Item left, Item right, int index) {
      this.left = left;
      this.right = right;
      this.index = index;
    }

    Map<String, Object> writableAttributes() {
      if (currentAttributes.isEmpty() && !(currentAttributes instanceof LinkedHashMap)) {
        currentAttributes = new LinkedHashMap<>();
      }
      return currentAttributes;
    }

    void forward() {
      if (right == null) {
        throw new IllegalStateException("cannot move past the end of the text");
      }
      if (right.content instanceof ContentFormat f) {
        if (!right.isDeleted()) {
          updateCurrentAttributes(writableAttributes(), f);
        }
      } else if (!right.isDeleted()) {
        index += right.length;
      }
      left = right;
      right = right.right;
    }
  }

  private static Object getOrUndefined(Map<String, Object> map, String key) {
    Object v = map.get(key);
    return v == null && !map.containsKey(key) ? Undefined.INSTANCE : v;
  }

  /** {@code map.get(key) ?? null} */
  private static Object getOrNull(Map<String, Object> map, String key) {
    Object v = map.get(key);
    return v == Undefined.INSTANCE ? null : v;
  }

  static void updateCurrentAttributes(Map<String, Object> attrs, ContentFormat format) {
    if (format.value == null) {
      attrs.remove(format.key);
    } else {
      attrs.put(format.key, format.value);
    }
  }

  private static Position findNextPosition(Transaction txn, Position pos, int count) {
    while (pos.right != null && count > 0) {
      Item r = pos.right;
      if (r.content instanceof ContentFormat f) {
        if (!r.isDeleted()) {
          updateCurrentAttributes(pos.writableAttributes(), f);
        }
      } else if (!r.isDeleted()) {
        if (count < r.length) {
          txn.doc.store.getCleanStart(txn, r.client, r.clock + count);
        }
        pos.index += r.length;
        count -= r.length;
      }
      pos.left = pos.right;
      pos.right = pos.right.right;
    }
    return pos;
  }

  private Position findPosition(Transaction txn, int index, boolean useSearchMarker) {
    int marker = useSearchMarker && searchMarkers != null ? searchMarkers.find(index) : -1;
    if (marker >= 0) {
      Item p = searchMarkers.item(marker);
      int markerIndex = searchMarkers.index(marker);
      return findNextPosition(txn, new Position(p.left, p, markerIndex), index - markerIndex);
    }
    return findNextPosition(txn, new Position(null, start, 0), index);
  }

  private void insertNegatedAttributes(Transaction txn, Position currPos, Map<String, Object> negatedAttributes, boolean positionUsedLater) {
    if (negatedAttributes.isEmpty() && !positionUsedLater) {
      // the walk below only moves the position, and nobody looks at it again
      return;
    }
    while (currPos.right != null && (currPos.right.isDeleted()
        || (currPos.right.content instanceof ContentFormat f
            && JsValues.equalAttrs(getOrUndefined(negatedAttributes, f.key), f.value)))) {
      if (!currPos.right.isDeleted()) {
        negatedAttributes.remove(((ContentFormat) currPos.right.content).key);
      }
      currPos.forward();
    }
    long client = txn.doc.clientId();
    for (Map.Entry<String, Object> e : negatedAttributes.entrySet()) {
      Item nextFormat = Item.between(client, txn.nextClock(), currPos.left, currPos.right, this, null,
          new ContentFormat(e.getKey(), e.getValue()));
      nextFormat.integrate(txn);
      currPos.right = nextFormat;
      currPos.forward();
    }
  }

  private static void minimizeAttributeChanges(Position currPos, Map<String, Object> attributes) {
    while (currPos.right != null) {
      Item r = currPos.right;
      if (r.isDeleted() || (r.content instanceof ContentFormat f && JsValues.equalAttrs(getOrNull(attributes, f.key), f.value))) {
        currPos.forward();
      } else {
        break;
      }
    }
  }

  private Map<String, Object> insertAttributes(Transaction txn, Position currPos, Map<String, Object> attributes) {
    if (attributes.isEmpty()) {
      return java.util.Collections.emptyMap(); // nothing can be negated; callers only remove from it
    }
    long client = txn.doc.clientId();
    Map<String, Object> negatedAttributes = new LinkedHashMap<>();
    for (String key : JsValues.propertyOrder(attributes)) {
      Object val = attributes.get(key);
      Object currentVal = getOrNull(currPos.currentAttributes, key);
      if (!JsValues.equalAttrs(currentVal, val)) {
        negatedAttributes.put(key, currentVal);
        currPos.right = Item.between(client, txn.nextClock(), currPos.left, currPos.right, this, null, new ContentFormat(key, val));
        currPos.right.integrate(txn);
        currPos.forward();
      }
    }
    return negatedAttributes;
  }

  private void insertContent(Transaction txn, Position currPos, Content content, Map<String, Object> attributes,
                 boolean positionUsedLater) {
    if (!currPos.currentAttributes.isEmpty()) {
      for (String key : currPos.currentAttributes.keySet()) {
        if (getOrUndefined(attributes, key) == Undefined.INSTANCE) {
          attributes.put(key, null);
        }
      }
    }
    minimizeAttributeChanges(currPos, attributes);
    Map<String, Object> negatedAttributes = insertAttributes(txn, currPos, attributes);
    Item left = currPos.left;
    Item right = currPos.right;
    int index = currPos.index;
    if (searchMarkers != null) {
      searchMarkers.updateChanges(currPos.index, content.length());
    }
    right = Item.between(txn.doc.clientId(), txn.nextClock(), left, right, this, null, content);
    right.integrate(txn);
    currPos.right = right;
    currPos.index = index;
    currPos.forward();
    insertNegatedAttributes(txn, currPos, negatedAttributes, positionUsedLater);
  }

  private void formatText(Transaction txn, Position currPos, int len, Map<String, Object> attributes, boolean positionUsedLater) {
    minimizeAttributeChanges(currPos, attributes);
    Map<String, Object> negatedAttributes = insertAttributes(txn, currPos, attributes);
    // walk over the range; formats it already has for these keys are removed
    iteration:
    while (currPos.right != null && (len > 0 || (!negatedAttributes.isEmpty()
        && (currPos.right.isDeleted() || currPos.right.content instanceof ContentFormat)))) {
      Item r = currPos.right;
      if (!r.isDeleted()) {
        if (r.content instanceof ContentFormat f) {
          Object attr = getOrUndefined(attributes, f.key);
          if (attr != Undefined.INSTANCE) {
            if (JsValues.equalAttrs(attr, f.value)) {
              negatedAttributes.remove(f.key);
            } else {
              if (len == 0) {
                break iteration;
              }
              negatedAttributes.put(f.key, f.value);
            }
            r.delete(txn);
          } else {
            currPos.writableAttributes().put(f.key, f.value);
          }
        } else {
          if (len < r.length) {
            txn.doc.store.getCleanStart(txn, r.client, r.clock + len);
          }
          len -= r.length;
        }
      }
      currPos.forward();
    }
    // Quill expects a trailing newline: formatting past the end inserts newlines, as in Yjs
    if (len > 0) {
      Item nl = Item.between(txn.doc.clientId(), txn.nextClock(), currPos.left, currPos.right, this, null,
          new ContentString("\n".repeat(len)));
      currPos.right = nl;
      nl.integrate(txn);
      currPos.forward();
    }
    insertNegatedAttributes(txn, currPos, negatedAttributes, positionUsedLater);
  }

  /** Removes formats made redundant between {@code start} and the next content; returns how many. */
  private static int cleanupFormattingGap(Transaction txn, Item start, Item curr, Map<String, Object> startAttributes,
                      Map<String, Object> currAttributes) {
    Item end = start;
    Map<String, ContentFormat> endFormats = new HashMap<>();
    while (end != null && (!end.countable() || end.isDeleted())) {
      if (!end.isDeleted() && end.content instanceof ContentFormat cf) {
        endFormats.put(cf.key, cf);
      }
      end = end.right;
    }
    int cleanups = 0;
    boolean reachedCurr = false;
    while (start != end) {
      if (curr == start) {
        reachedCurr = true;
      }
      if (!start.isDeleted() && start.content instanceof ContentFormat cf) {
        String key = cf.key;
        Object value = cf.value;
        Object startAttrValue = getOrNull(startAttributes, key);
        if (endFormats.get(key) != cf || JsValues.strictEquals(startAttrValue, value)) {
          // overwritten later in the gap, or it repeats what was already in effect
          start.delete(txn);
          cleanups++;
          if (!reachedCurr && JsValues.strictEquals(getOrNull(currAttributes, key), value)
              && !JsValues.strictEquals(startAttrValue, value)) {
            if (startAttrValue == null) {
              currAttributes.remove(key);
            } else {
              currAttributes.put(key, startAttrValue);
            }
          }
        }
        if (!reachedCurr && !start.isDeleted()) {
          updateCurrentAttributes(currAttributes, cf);
        }
      }
      start = start.right;
    }
    return cleanups;
  }

  private static void cleanupContextlessFormattingGap(Transaction txn, Item item) {
    while (item != null && item.right != null && (item.right.isDeleted() || !item.right.countable())) {
      item = item.right;
    }
    Set<String> attrs = new HashSet<>();
    while (item != null && (item.isDeleted() || !item.countable())) {
      if (!item.isDeleted() && item.content instanceof ContentFormat cf) {
        if (attrs.contains(cf.key)) {
          item.delete(txn);
        } else {
          attrs.add(cf.key);
        }
      }
      item = item.left;
    }
  }

  /** Removes every redundant format in this text; returns how many were removed. */
  int cleanupFormatting() {
    int[] res = {0};
    doc.transact(txn -> {
      Item start = this.start;
      Item end = this.start;
      Map<String, Object> startAttributes = new LinkedHashMap<>();
      Map<String, Object> currentAttributes = new LinkedHashMap<>(startAttributes);
      while (end != null) {
        if (!end.isDeleted()) {
          if (end.content instanceof ContentFormat f) {
            updateCurrentAttributes(currentAttributes, f);
          } else {
            res[0] += cleanupFormattingGap(txn, start, end, startAttributes, currentAttributes);
            startAttributes = new LinkedHashMap<>(currentAttributes);
            start = end;
          }
        }
        end = end.right;
      }
    });
    return res[0];
  }

  /** After a remote change to formatted text, removes formats that became duplicates. */
  static void cleanupAfterTransaction(Transaction transaction) {
    Set<YType> needFullCleanup = new LinkedHashSet<>();
    YDoc doc = transaction.doc;
    for (int i = 0; i < transaction.grownCount(); i++) {
      long client = transaction.grownClient(i);
      int afterClock = transaction.grownAfter(i);
      int clock = transaction.grownBefore(i);
      if (afterClock == clock) {
        continue;
      }
      // Yjs passes the end clock as the length here; the walk simply runs to the end either way
      StructStore.iterateStructs(transaction, doc.store.list(client), clock, afterClock, s -> {
        if (s instanceof Item item && !item.isDeleted() && item.content instanceof ContentFormat) {
          needFullCleanup.add(item.parent);
        }
      });
    }
    doc.transact(t -> {
      iterateDeletedStructs(transaction, transaction.deleteSet, s -> {
        if (!(s instanceof Item item) || !item.parent.hasFormatting || needFullCleanup.contains(item.parent)) {
          return;
        }
        if (item.content instanceof ContentFormat) {
          needFullCleanup.add(item.parent);
        } else {
          cleanupContextlessFormattingGap(t, item);
        }
      });
      for (YType type : needFullCleanup) {
        if (type instanceof YText text) {
          text.cleanupFormatting();
        }
      }
    });
  }

  private static void iterateDeletedStructs(Transaction txn, DeleteSet ds, Consumer<Struct> f) {
    for (int c = 0; c < ds.clients.size(); c++) {
      StructList structs = txn.doc.store.list(ds.clients.keyAt(c));
      if (structs == null) {
        continue;
      }
      int clockState = structs.state();
      DeleteSet.Ranges r = ds.clients.valueAt(c);
      for (int i = 0; i < r.size && r.clocks[i] < clockState; i++) {
        StructStore.iterateStructs(txn, structs, r.clocks[i], r.lens[i], f);
      }
    }
  }

  private void deleteText(Transaction txn, Position currPos, int len) {
    int startLength = len;
    // without any format in this text, the formatting cleanup below cannot find anything to do
    Map<String, Object> startAttrs = formatsSeen ? new LinkedHashMap<>(currPos.currentAttributes) : null;
    Item start = currPos.right;
    while (len > 0 && currPos.right != null) {
      Item r = currPos.right;
      if (!r.isDeleted() && (r.content instanceof ContentType || r.content instanceof ContentEmbed || r.content instanceof ContentString)) {
        if (len < r.length) {
          txn.doc.store.getCleanStart(txn, r.client, r.clock + len);
        }
        len -= r.length;
        r.delete(txn);
      }
      currPos.forward();
    }
    if (start != null && startAttrs != null) {
      cleanupFormattingGap(txn, start, currPos.right, startAttrs, currPos.writableAttributes());
    }
    YType parent = (currPos.left != null ? currPos.left : currPos.right).parent;
    if (parent.searchMarkers != null) {
      parent.searchMarkers.updateChanges(currPos.index, -startLength + len);
    }
  }

  // ---- public editing API

  private boolean prelim(Runnable op) {
    if (doc == null) {
      pending.add(op);
      return true;
    }
    return false;
  }

  private void checkIndex(int index) {
    if (index < 0 || index > length) {
      throw new IndexOutOfBoundsException("position " + index + " is outside the text (length " + length + ")");
    }
  }

  private static Map<String, Object> copyAttributes(Map<String, ?> attributes) {
    Map<String, Object> copy = new LinkedHashMap<>();
    if (attributes != null) {
      copy.putAll(attributes);
    }
    return copy;
  }

  /** Inserts text at {@code index}, taking the formatting in effect there. */
  public void insert(int index, String text) {
    if (text.isEmpty() || prelim(() -> insert(index, text))) {
      return;
    }
    checkIndex(index);
    Transaction current = doc.currentTransaction();
    if (current != null) {
      insertWithCurrentAttributes(current, index, text);
    } else {
      doc.transact(txn -> insertWithCurrentAttributes(txn, index, text));
    }
  }

  private void insertWithCurrentAttributes(Transaction txn, int index, String text) {
    Position pos = findPosition(txn, index, true);
    Map<String, Object> attributes = pos.currentAttributes.isEmpty() ? java.util.Collections.emptyMap()
        : new LinkedHashMap<>(pos.currentAttributes);
    insertContent(txn, pos, new ContentString(text), attributes, false);
  }

  /** Inserts text at {@code index} with exactly these attributes (a null value means "not set"). */
  public void insert(int index, String text, Map<String, ?> attributes) {
    if (attributes == null) {
      insert(index, text);
      return;
    }
    if (text.isEmpty() || prelim(() -> insert(index, text, attributes))) {
      return;
    }
    checkIndex(index);
    doc.transact(txn -> insertContent(txn, findPosition(txn, index, false), new ContentString(text), copyAttributes(attributes), false));
  }

  /** Inserts an embed (a JSON-like object, or a shared type) that takes one position. */
  public void insertEmbed(int index, Object embed, Map<String, ?> attributes) {
    if (prelim(() -> insertEmbed(index, embed, attributes))) {
      return;
    }
    checkIndex(index);
    Content content;
    if (embed instanceof YType type) {
      if (type.doc != null) {
        throw new IllegalArgumentException("this type is already part of a document");
      }
      content = new ContentType(type);
    } else {
      content = new ContentEmbed(embed);
    }
    doc.transact(txn -> insertContent(txn, findPosition(txn, index, attributes == null), content, copyAttributes(attributes), false));
  }

  /** Deletes {@code len} code units starting at {@code index}. */
  public void delete(int index, int len) {
    if (len == 0 || prelim(() -> delete(index, len))) {
      return;
    }
    if (index < 0 || len < 0 || (long) index + len > length) {
      throw new IndexOutOfBoundsException("cannot delete " + len + " at " + index + " from text of length " + length);
    }
    Transaction current = doc.currentTransaction();
    if (current != null) {
      deleteText(current, findPosition(current, index, true), len);
    } else {
      doc.transact(txn -> deleteText(txn, findPosition(txn, index, true), len));
    }
  }

  /** Sets attributes on a range (a null value removes the attribute). */
  public void format(int index, int len, Map<String, ?> attributes) {
    if (len == 0 || prelim(() -> format(index, len, attributes))) {
      return;
    }
    if (index < 0 || len < 0) {
      throw new IndexOutOfBoundsException("cannot format " + len + " at " + index);
    }
    doc.transact(txn -> {
      Position pos = findPosition(txn, index, false);
      if (pos.right == null) {
        return;
      }
      formatText(txn, pos, len, copyAttributes(attributes), false);
    });
  }

  /**
   * Applies a delta ({@code insert} with optional {@code attributes}, {@code retain} with optional
   * {@code attributes}, {@code delete}) from the start of the text.
   */
  public void applyDelta(List<Map<String, Object>> delta) {
    if (prelim(() -> applyDelta(delta))) {
      return;
    }
    doc.transact(txn -> {
      Position currPos = new Position(null, start, 0);
      for (Map<String, Object> op : delta) {
        @SuppressWarnings("unchecked")
        Map<String, Object> attrs = op.get("attributes") instanceof Map<?, ?> m ? copyAttributes((Map<String, ?>) m) : new LinkedHashMap<>();
        if (op.containsKey("insert")) {
          Object ins = op.get("insert");
          if (ins instanceof String s) {
            if (!s.isEmpty()) {
              insertContent(txn, currPos, new ContentString(s), attrs, true);
            }
          } else if (ins instanceof YType type) {
            insertContent(txn, currPos, new ContentType(type), attrs, true);
          } else {
            insertContent(txn, currPos, new ContentEmbed(ins), attrs, true);
          }
        } else if (op.containsKey("retain")) {
          formatText(txn, currPos, ((Number) op.get("retain")).intValue(), attrs, true);
        } else if (op.containsKey("delete")) {
          deleteText(txn, currPos, ((Number) op.get("delete")).intValue());
        } else {
          throw new IllegalArgumentException("delta operation needs insert, retain or delete: " + op);
        }
      }
    });
  }

  /** Sets an attribute on the text as a whole (not on a range). */
  public void setAttribute(String name, Object value) {
    if (prelim(() -> setAttribute(name, value))) {
      return;
    }
    doc.transact(txn -> mapSet(txn, name, value));
  }

  public void removeAttribute(String name) {
    if (prelim(() -> removeAttribute(name))) {
      return;
    }
    doc.transact(txn -> mapDelete(txn, name));
  }

  public Object getAttribute(String name) {
    return mapGet(name);
  }

  public Map<String, Object> getAttributes() {
    return mapGetAll();
  }

  // ---- reading

  @Override
  public String toString() {
    requireDoc();
    StringBuilder sb = new StringBuilder(length);
    for (Item n = start; n != null; n = n.right) {
      if (n.visible() && n.content instanceof ContentString s) {
        sb.append(s.text());
      }
    }
    return sb.toString();
  }

  @Override
  public Object toJSON() {
    return toString();
  }

  /** The content as a delta of inserts with their attributes. */
  public List<Map<String, Object>> toDelta() {
    requireDoc();
    List<Map<String, Object>> ops = new ArrayList<>();
    Map<String, Object> currentAttributes = new LinkedHashMap<>();
    StringBuilder str = new StringBuilder();
    for (Item n = start; n != null; n = n.right) {
      if (n.isDeleted()) {
        continue;
      }
      switch (n.content) {
        case ContentString s -> str.append(s.text());
        case ContentType t -> {
          packStr(ops, str, currentAttributes);
          ops.add(insertOp(t.type, currentAttributes));
        }
        case ContentEmbed e -> {
          packStr(ops, str, currentAttributes);
          ops.add(insertOp(e.embed, currentAttributes));
        }
        case ContentFormat f -> {
          packStr(ops, str, currentAttributes);
          updateCurrentAttributes(currentAttributes, f);
        }
        default -> {
        }
      }
    }
    packStr(ops, str, currentAttributes);
    return ops;
  }

  private static Map<String, Object> insertOp(Object insert, Map<String, Object> attributes) {
    Map<String, Object> op = new LinkedHashMap<>();
    op.put("insert", insert);
    if (!attributes.isEmpty()) {
      op.put("attributes", new LinkedHashMap<>(attributes));
    }
    return op;
  }

  private static void packStr(List<Map<String, Object>> ops, StringBuilder str, Map<String, Object> attributes) {
    if (!str.isEmpty()) {
      ops.add(insertOp(str.toString(), attributes));
      str.setLength(0);
    }
  }

  // ---- events

  /** Observes changes to this text; each event carries its delta. */
  public Subscription observe(Consumer<YTextEvent> f) {
    return addObserver(e -> f.accept((YTextEvent) e));
  }

  @Override
  void callObserver(Transaction txn, Set<String> parentSubs) {
    clearMarkersOnRemoteChange(txn);
    if (isObserved()) {
      callTypeObservers(txn, new YTextEvent(this, txn, parentSubs));
    }
    if (!txn.local && hasFormatting) {
      txn.needFormattingCleanup = true;
    }
  }
}
