package dev.roomtone.script.crdt;

import java.util.List;

/** Content that was deleted and garbage-collected; only its length remains. */
final class ContentDeleted implements Content {

  static final int REF = 1;
  int len;

  ContentDeleted(int len) {
    this.len = len;
  }

  @Override
  public int length() {
    return len;
  }

  @Override
  public boolean countable() {
    return false;
  }

  @Override
  public List<Object> values() {
    return List.of();
  }

  @Override
  public Content copy() {
    return new ContentDeleted(len);
  }

  @Override
  public Content splice(int offset) {
    ContentDeleted right = new ContentDeleted(len - offset);
    len = offset;
    return right;
  }

  @Override
  public boolean mergeWith(Content right) {
    len += ((ContentDeleted) right).len;
    return true;
  }

  @Override
  public void integrate(Transaction txn, Item item) {
    txn.deleteSet.add(item.client, item.clock, len);
    item.markDeleted();
  }

  @Override
  public void write(UpdateEncoder encoder, int offset) {
    encoder.writeLen(len - offset);
  }

  @Override
  public int ref() {
    return REF;
  }
}
