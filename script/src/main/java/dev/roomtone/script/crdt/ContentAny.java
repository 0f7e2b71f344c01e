package dev.roomtone.script.crdt;

import java.util.ArrayList;
import java.util.List;

/** A run of plain values (numbers, strings, objects, arrays...) in an array or a map entry. */
final class ContentAny implements Content {

  static final int REF = 8;
  private List<Object> values;

  ContentAny(List<Object> values) {
    this.values = values;
  }

  static ContentAny read(UpdateDecoder decoder) {
    int len = decoder.readLen("value count");
    List<Object> values = new ArrayList<>(Math.min(len, 64));
    for (int i = 0; i < len; i++) {
      values.add(decoder.readAny());
    }
    return new ContentAny(values);
  }

  @Override
  public int length() {
    return values.size();
  }

  @Override
  public boolean countable() {
    return true;
  }

  @Override
  public List<Object> values() {
    return values;
  }

  @Override
  public Content copy() {
    return new ContentAny(values);
  }

  @Override
  public Content splice(int offset) {
    ContentAny right = new ContentAny(new ArrayList<>(values.subList(offset, values.size())));
    values = new ArrayList<>(values.subList(0, offset));
    return right;
  }

  @Override
  public boolean mergeWith(Content right) {
    List<Object> merged = new ArrayList<>(values.size() + right.length());
    merged.addAll(values);
    merged.addAll(((ContentAny) right).values);
    values = merged;
    return true;
  }

  @Override
  public void write(UpdateEncoder encoder, int offset) {
    encoder.writeLen(values.size() - offset);
    for (int i = offset; i < values.size(); i++) {
      encoder.writeAny(values.get(i));
    }
  }

  @Override
  public int ref() {
    return REF;
  }
}
