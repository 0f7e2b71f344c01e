package dev.roomtone.script.crdt;

/**
 * All structs of a document by client, plus what arrived before its dependencies: pending structs
 * (with the lowest clock each client is missing) and pending deletions, both as encoded updates.
 */
final class StructStore {

  final LongMap<StructList> clients = new LongMap<>();
  PendingStructs pendingStructs;
  byte[] pendingDeletes;

  /** Structs waiting for missing clocks: {@code missing} maps a client to the first clock we lack. */
  static final class PendingStructs {
    final LongIntMap missing;
    byte[] update;

    PendingStructs(LongIntMap missing, byte[] update) {
      this.missing = missing;
      this.update = update;
    }
  }

  StructList list(long client) {
    return clients.get(client);
  }

  int state(long client) {
    StructList structs = clients.get(client);
    return structs == null ? 0 : structs.state();
  }

  LongIntMap stateVector() {
    LongIntMap sv = new LongIntMap(clients.size());
    for (int i = 0; i < clients.size(); i++) {
      sv.put(clients.keyAt(i), clients.valueAt(i).state());
    }
    return sv;
  }

  void add(Transaction txn, Struct struct) {
    StructList structs = clients.get(struct.client);
    txn.noteGrowth(struct.client, structs == null ? 0 : structs.state());
    if (structs == null) {
      structs = new StructList();
      clients.put(struct.client, structs);
    } else if (structs.state() != struct.clock) {
      throw new IllegalStateException("struct " + struct.client + ":" + struct.clock + " does not continue clock " + structs.state());
    }
    structs.add(struct);
  }

  /** The struct containing the given clock, which must exist. */
  Struct find(long client, int clock) {
    StructList structs = clients.get(client);
    return structs.get(structs.findIndex(clock));
  }

  /** The item containing the given clock (a caller that may meet a GC run uses {@link #find}). */
  Item findItem(long client, int clock) {
    return (Item) find(client, clock);
  }

  /** Index of the struct starting exactly at {@code clock}, splitting an item if needed. */
  static int findIndexCleanStart(Transaction txn, StructList structs, int clock) {
    int index = structs.findIndex(clock);
    Struct struct = structs.get(index);
    if (struct.clock < clock && struct instanceof Item item) {
      structs.insert(index + 1, Item.split(txn, item, clock - item.clock));
      return index + 1;
    }
    return index;
  }

  /** The struct starting exactly at the given clock, splitting an item if needed. */
  Struct getCleanStart(Transaction txn, long client, int clock) {
    StructList structs = clients.get(client);
    return structs.get(findIndexCleanStart(txn, structs, clock));
  }

  /** The struct ending exactly at the given clock, splitting an item if needed. */
  Struct getCleanEnd(Transaction txn, long client, int clock) {
    StructList structs = clients.get(client);
    int index = structs.findIndex(clock);
    Struct struct = structs.get(index);
    if (clock != struct.clock + struct.length - 1 && struct instanceof Item item) {
      structs.insert(index + 1, Item.split(txn, item, clock - item.clock + 1));
    }
    return struct;
  }

  void replace(Struct struct, Struct replacement) {
    StructList structs = clients.get(struct.client);
    structs.set(structs.findIndex(struct.clock), replacement);
  }

  /** Calls {@code f} for every struct covering [clockStart, clockStart + len), splitting at both ends. */
  static void iterateStructs(Transaction txn, StructList structs, int clockStart, long len, java.util.function.Consumer<Struct> f) {
    if (len == 0) {
      return;
    }
    long clockEnd = (long) clockStart + len;
    int index = findIndexCleanStart(txn, structs, clockStart);
    Struct struct;
    do {
      struct = structs.get(index++);
      if (clockEnd < (long) struct.clock + struct.length) {
        findIndexCleanStart(txn, structs, (int) clockEnd);
      }
      f.accept(struct);
    } while (index < structs.size() && structs.get(index).clock < clockEnd);
  }
}
