package dev.roomtone.script.crdt;

import java.util.List;

/**
 * A formatting mark inside text: from here on attribute {@code key} has {@code value} (null ends it).
 * It takes a clock but no index position.
 */
final class ContentFormat implements Content {

  static final int REF = 6;
  final String key;
  final Object value;

  ContentFormat(String key, Object value) {
    this.key = key;
    this.value = value;
  }

  @Override
  public int length() {
    return 1;
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
    return new ContentFormat(key, value);
  }

  @Override
  public Content splice(int offset) {
    throw new UnsupportedOperationException("format content has length 1");
  }

  @Override
  public boolean mergeWith(Content right) {
    return false;
  }

  @Override
  public void integrate(Transaction txn, Item item) {
    // search markers do not account for formats, so formatted text gives them up for good
    YType p = item.parent;
    p.searchMarkers = null;
    p.hasFormatting = true;
    p.formatsSeen = true;
  }

  @Override
  public void write(UpdateEncoder encoder, int offset) {
    encoder.writeKey(key);
    encoder.writeJSON(value);
  }

  @Override
  public int ref() {
    return REF;
  }
}
