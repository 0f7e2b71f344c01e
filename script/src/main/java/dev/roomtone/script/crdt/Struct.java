package dev.roomtone.script.crdt;

/** A run of consecutive clocks of one client inside a document's struct store. */
abstract sealed class Struct permits Item, GC {

  final long client;
  int clock;
  int length;

  Struct(long client, int clock, int length) {
    this.client = client;
    this.clock = clock;
    this.length = length;
  }

  abstract boolean isDeleted();

  /** Appends {@code right} to this struct when both describe one contiguous run; true if merged. */
  abstract boolean mergeWith(Struct right);

  abstract void write(UpdateEncoder encoder, int offset);

  final int endClock() {
    return clock + length;
  }

  final ID id() {
    return new ID(client, clock);
  }
}
