package dev.roomtone.script.crdt;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One run of content in a shared type's list, with the neighbours it was inserted between
 * ({@code origin}, {@code rightOrigin}) — the information the YATA conflict resolution needs.
 * Origins are kept as plain fields rather than ID objects: a document holds many items.
 */
final class Item extends Struct {

  private static final byte KEEP = 1;
  private static final byte COUNTABLE = 2;
  private static final byte DELETED = 4;
  private static final byte MARKER = 8;
  static final int NONE = -1;

  Item left;
  Item right;
  long originClient;
  int originClock = NONE;
  long rightOriginClient;
  int rightOriginClock = NONE;
  YType parent;
  String parentSub;
  Content content;
  private byte info;

  Item(long client, int clock, Item left, ID origin, Item right, ID rightOrigin, YType parent, String parentSub, Content content) {
    super(client, clock, content.length());
    this.left = left;
    this.right = right;
    if (origin != null) {
      originClient = origin.client();
      originClock = origin.clock();
    }
    if (rightOrigin != null) {
      rightOriginClient = rightOrigin.client();
      rightOriginClock = rightOrigin.clock();
    }
    this.parent = parent;
    this.parentSub = parentSub;
    this.content = content;
    this.info = content.countable() ? COUNTABLE : 0;
  }

  /** An item inserted locally between {@code left} and {@code right}. */
  static Item between(long client, int clock, Item left, Item right, YType parent, String parentSub, Content content) {
    Item item = new Item(client, clock, left, null, right, null, parent, parentSub, content);
    if (left != null) {
      item.originClient = left.client;
      item.originClock = left.clock + left.length - 1;
    }
    if (right != null) {
      item.rightOriginClient = right.client;
      item.rightOriginClock = right.clock;
    }
    return item;
  }

  boolean hasOrigin() {
    return originClock != NONE;
  }

  boolean hasRightOrigin() {
    return rightOriginClock != NONE;
  }

  ID origin() {
    return hasOrigin() ? new ID(originClient, originClock) : null;
  }

  ID rightOrigin() {
    return hasRightOrigin() ? new ID(rightOriginClient, rightOriginClock) : null;
  }

  boolean originEquals(long client, int clock) {
    return originClock == clock && originClient == client;
  }

  boolean sameOrigin(Item o) {
    return originClock == o.originClock && (originClock == NONE || originClient == o.originClient);
  }

  boolean sameRightOrigin(Item o) {
    return rightOriginClock == o.rightOriginClock && (rightOriginClock == NONE || rightOriginClient == o.rightOriginClient);
  }

  int lastClock() {
    return clock + length - 1;
  }

  ID lastId() {
    return new ID(client, clock + length - 1);
  }

  boolean keep() {
    return (info & KEEP) != 0;
  }

  void setKeep(boolean keep) {
    info = (byte) (keep ? info | KEEP : info & ~KEEP);
  }

  boolean countable() {
    return (info & COUNTABLE) != 0;
  }

  @Override
  boolean isDeleted() {
    return (info & DELETED) != 0;
  }

  void markDeleted() {
    info |= DELETED;
  }

  boolean marker() {
    return (info & MARKER) != 0;
  }

  void setMarker(boolean marked) {
    info = (byte) (marked ? info | MARKER : info & ~MARKER);
  }

  /** Visible and counted towards index positions. */
  boolean visible() {
    return (info & (DELETED | COUNTABLE)) == COUNTABLE;
  }

  /**
   * The value a map entry held by this item shows: its last unit of content, or undefined for
   * content without values (as Yjs's {@code getContent()[length - 1]}).
   */
  Object lastValue() {
    if (content instanceof ContentString s) {
      return String.valueOf(s.text().charAt(length - 1));
    }
    List<Object> values = content.values();
    return length - 1 < values.size() ? values.get(length - 1) : Undefined.INSTANCE;
  }

  /** The next item to the right that is not deleted. */
  Item next() {
    Item n = right;
    while (n != null && n.isDeleted()) {
      n = n.right;
    }
    return n;
  }

  /** The next item to the left that is not deleted. */
  Item prev() {
    Item n = left;
    while (n != null && n.isDeleted()) {
      n = n.left;
    }
    return n;
  }

  /** Splits this item at {@code diff}: this keeps the first part, the returned item is the rest. */
  static Item split(Transaction txn, Item leftItem, int diff) {
    Item rightItem = new Item(leftItem.client, leftItem.clock + diff, leftItem, null, leftItem.right, null,
        leftItem.parent, leftItem.parentSub, leftItem.content.splice(diff));
    rightItem.originClient = leftItem.client;
    rightItem.originClock = leftItem.clock + diff - 1;
    rightItem.rightOriginClient = leftItem.rightOriginClient;
    rightItem.rightOriginClock = leftItem.rightOriginClock;
    if (leftItem.isDeleted()) {
      rightItem.markDeleted();
    }
    if (leftItem.keep()) {
      rightItem.setKeep(true);
    }
    // the left part keeps its rightOrigin: changing it would confuse peers that sync later
    leftItem.right = rightItem;
    if (rightItem.right != null) {
      rightItem.right.left = rightItem;
    }
    txn.mergeLater(rightItem);
    if (rightItem.parentSub != null && rightItem.right == null) {
      rightItem.parent.map.put(rightItem.parentSub, rightItem);
    }
    leftItem.length = diff;
    return rightItem;
  }

  /**
   * Places this item into its parent's list (YATA): among concurrent insertions at the same place,
   * the order is decided by origins and client ids, the same on every replica.
   */
  void integrate(Transaction txn) {
    StructStore store = txn.doc.store;
    if ((left == null && (right == null || right.left != null)) || (left != null && left.right != right)) {
      Item newLeft = left;
      Item o;
      if (newLeft != null) {
        o = newLeft.right;
      } else if (parentSub != null) {
        o = parent.map.get(parentSub);
        while (o != null && o.left != null) {
          o = o.left;
        }
      } else {
        o = parent.start;
      }
      Set<Item> conflictingItems = new HashSet<>();
      Set<Item> itemsBeforeOrigin = new HashSet<>();
      // items between origin and o: those before o.origin may be skipped, conflicts resolved by client id
      while (o != null && o != right) {
        itemsBeforeOrigin.add(o);
        conflictingItems.add(o);
        if (sameOrigin(o)) {
          if (o.client < client) {
            newLeft = o;
            conflictingItems.clear();
          } else if (sameRightOrigin(o)) {
            break;
          }
        } else if (o.hasOrigin() && itemsBeforeOrigin.contains(store.find(o.originClient, o.originClock))) {
          if (!conflictingItems.contains(store.find(o.originClient, o.originClock))) {
            newLeft = o;
            conflictingItems.clear();
          }
        } else {
          break;
        }
        o = o.right;
      }
      left = newLeft;
    }
    if (left != null) {
      right = left.right;
      left.right = this;
    } else {
      Item r;
      if (parentSub != null) {
        r = parent.map.get(parentSub);
        while (r != null && r.left != null) {
          r = r.left;
        }
      } else {
        r = parent.start;
        parent.start = this;
      }
      right = r;
    }
    if (right != null) {
      right.left = this;
    } else if (parentSub != null) {
      // the newest entry of a map key is its value; the one it replaces is deleted
      parent.map.put(parentSub, this);
      if (left != null) {
        left.delete(txn);
      }
    }
    if (parentSub == null && countable() && !isDeleted()) {
      parent.length += length;
    }
    store.add(txn, this);
    content.integrate(txn, this);
    txn.addChangedType(parent, parentSub);
    if ((parent.item != null && parent.item.isDeleted()) || (parentSub != null && right != null)) {
      delete(txn);
    }
  }

  /** Appends {@code r} when it continues this item in every respect; updates search markers. */
  @Override
  boolean mergeWith(Struct r) {
    if (!(r instanceof Item other)) {
      return false;
    }
    if (other.originEquals(client, clock + length - 1)
        && right == other
        && sameRightOrigin(other)
        && client == other.client
        && clock + length == other.clock
        && isDeleted() == other.isDeleted()
        && content.getClass() == other.content.getClass()
        && content.mergeWith(other.content)) {
      if (parent.searchMarkers != null) {
        parent.searchMarkers.replaceMerged(other, this);
      }
      if (other.keep()) {
        setKeep(true);
      }
      right = other.right;
      if (right != null) {
        right.left = this;
      }
      length += other.length;
      return true;
    }
    return false;
  }

  void delete(Transaction txn) {
    if (!isDeleted()) {
      if (countable() && parentSub == null) {
        parent.length -= length;
      }
      markDeleted();
      txn.deleteSet.add(client, clock, length);
      txn.addChangedType(parent, parentSub);
      content.delete(txn);
    }
  }

  /** Drops the content of a deleted item; when its parent is gone too, the item becomes a GC run. */
  void gc(StructStore store, boolean parentGCd) {
    if (!isDeleted()) {
      throw new IllegalStateException("only deleted items can be collected");
    }
    content.gc(store);
    if (parentGCd) {
      store.replace(this, new GC(client, clock, length));
    } else {
      content = new ContentDeleted(length);
    }
  }

  @Override
  void write(UpdateEncoder encoder, int offset) {
    boolean hasOrigin = offset > 0 || hasOrigin();
    long oClient = offset > 0 ? client : originClient;
    int oClock = offset > 0 ? clock + offset - 1 : originClock;
    int info = (content.ref() & 0x1F)
        | (hasOrigin ? 0x80 : 0)
        | (hasRightOrigin() ? 0x40 : 0)
        | (parentSub != null ? 0x20 : 0);
    encoder.writeInfo(info);
    if (hasOrigin) {
      encoder.writeLeftID(oClient, oClock);
    }
    if (hasRightOrigin()) {
      encoder.writeRightID(rightOriginClient, rightOriginClock);
    }
    if (!hasOrigin && !hasRightOrigin()) {
      if (parent.item == null) {
        encoder.writeParentInfo(true);
        encoder.writeString(parent.rootKey());
      } else {
        encoder.writeParentInfo(false);
        encoder.writeLeftID(parent.item.client, parent.item.clock);
      }
      if (parentSub != null) {
        encoder.writeString(parentSub);
      }
    }
    content.write(encoder, offset);
  }

  @Override
  public String toString() {
    return "Item(" + client + ":" + clock + "+" + length + (isDeleted() ? ", deleted" : "") + ")";
  }
}
