package dev.roomtone.script.crdt;

/** Identifies one element of a shared document: the client that created it and that client's clock. */
public record ID(long client, int clock) {

  static boolean equal(ID a, ID b) {
    return a == b || (a != null && b != null && a.client == b.client && a.clock == b.clock);
  }

  void write(ByteWriter w) {
    w.writeVarUint(client);
    w.writeVarUint(clock);
  }

  static ID read(ByteReader r) {
    long client = r.readVarUint();
    int clock = r.readVarUintInt("clock");
    return new ID(client, clock);
  }
}
