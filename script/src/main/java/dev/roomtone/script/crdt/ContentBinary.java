package dev.roomtone.script.crdt;

import java.util.List;

/** One binary blob (a Uint8Array in JavaScript). */
final class ContentBinary implements Content {

  static final int REF = 3;
  final byte[] bytes;

  ContentBinary(byte[] bytes) {
    this.bytes = bytes;
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
    return List.of(bytes);
  }

  @Override
  public Content copy() {
    return new ContentBinary(bytes);
  }

  @Override
  public Content splice(int offset) {
    throw new UnsupportedOperationException("binary content has length 1");
  }

  @Override
  public boolean mergeWith(Content right) {
    return false;
  }

  @Override
  public void write(UpdateEncoder encoder, int offset) {
    encoder.writeBuf(bytes);
  }

  @Override
  public int ref() {
    return REF;
  }
}
