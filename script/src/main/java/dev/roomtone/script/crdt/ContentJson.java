package dev.roomtone.script.crdt;

import java.util.ArrayList;
import java.util.List;

/** Legacy array content stored as JSON strings (Yjs reference 2); read and written for compatibility. */
final class ContentJson implements Content {

  static final int REF = 2;
  private List<Object> values;

  ContentJson(List<Object> values) {
    this.values = values;
  }

  static ContentJson read(UpdateDecoder decoder) {
    int len = decoder.readLen("JSON content length");
    List<Object> values = new ArrayList<>(Math.min(len, 64));
    for (int i = 0; i < len; i++) {
      String s = decoder.readString();
      values.add("undefined".equals(s) ? Undefined.INSTANCE : decoder.parseJson(s));
    }
    return new ContentJson(values);
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
    return new ContentJson(values);
  }

  @Override
  public Content splice(int offset) {
    ContentJson right = new ContentJson(new ArrayList<>(values.subList(offset, values.size())));
    values = new ArrayList<>(values.subList(0, offset));
    return right;
  }

  @Override
  public boolean mergeWith(Content right) {
    List<Object> merged = new ArrayList<>(values.size() + right.length());
    merged.addAll(values);
    merged.addAll(((ContentJson) right).values);
    values = merged;
    return true;
  }

  @Override
  public void write(UpdateEncoder encoder, int offset) {
    encoder.writeLen(values.size() - offset);
    for (int i = offset; i < values.size(); i++) {
      encoder.writeString(JsJson.stringify(values.get(i)));
    }
  }

  @Override
  public int ref() {
    return REF;
  }
}
