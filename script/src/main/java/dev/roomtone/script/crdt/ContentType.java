package dev.roomtone.script.crdt;

import java.util.List;

/** A nested shared type (text, map, array, XML) living inside another type. */
final class ContentType implements Content {

  static final int REF = 7;
  final YType type;

  ContentType(YType type) {
    this.type = type;
  }

  @Override
  public int length() {
    return 1;
  }

  @Override
  public boolean countable() {
    return true;
  }

  @Override
  public List<Object> values() {
    return List.of(type);
  }

  @Override
  public Content copy() {
    return new ContentType(type.copyEmpty());
  }

  @Override
  public Content splice(int offset) {
    throw new UnsupportedOperationException("type content has length 1");
  }

  @Override
  public boolean mergeWith(Content right) {
    return false;
  }

  @Override
  public void integrate(Transaction txn, Item item) {
    type.integrate(txn.doc, item);
  }

  @Override
  public void delete(Transaction txn) {
    for (Item item = type.start; item != null; item = item.right) {
      if (!item.isDeleted()) {
        item.delete(txn);
      } else if (item.clock < txn.before(item.client)) {
        // already deleted before this transaction: it will be collected, so give it a chance to merge
        txn.mergeLater(item);
      }
    }
    for (Item item : type.map.values()) {
      if (!item.isDeleted()) {
        item.delete(txn);
      } else if (item.clock < txn.before(item.client)) {
        txn.mergeLater(item);
      }
    }
    txn.forgetChanged(type);
  }

  @Override
  public void gc(StructStore store) {
    for (Item item = type.start; item != null; item = item.right) {
      item.gc(store, true);
    }
    type.start = null;
    for (Item item : type.map.values()) {
      for (Item i = item; i != null; i = i.left) {
        i.gc(store, true);
      }
    }
    type.map = new java.util.LinkedHashMap<>();
  }

  @Override
  public void write(UpdateEncoder encoder, int offset) {
    type.writeTypeRef(encoder);
  }

  @Override
  public int ref() {
    return REF;
  }
}
