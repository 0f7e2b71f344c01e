package dev.roomtone.script.crdt;

/** A garbage-collected run: clocks that were used, but whose content and position are gone. */
final class GC extends Struct {

  static final int REF = 0;

  GC(long client, int clock, int length) {
    super(client, clock, length);
  }

  @Override
  boolean isDeleted() {
    return true;
  }

  @Override
  boolean mergeWith(Struct right) {
    if (!(right instanceof GC)) {
      return false;
    }
    length += right.length;
    return true;
  }

  @Override
  void write(UpdateEncoder encoder, int offset) {
    encoder.writeInfo(REF);
    encoder.writeLen(length - offset);
  }
}
