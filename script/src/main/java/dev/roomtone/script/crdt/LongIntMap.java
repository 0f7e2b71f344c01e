package dev.roomtone.script.crdt;

import java.util.Arrays;

/**
 * Client id to clock, kept in insertion order with open-addressing lookup; used for state vectors,
 * which every transaction takes twice.
 */
final class LongIntMap {

  private long[] keys;
  private int[] values;
  private int[] table; // slot -> index+1 into keys/values, 0 = empty
  private int size;

  LongIntMap() {
    this(4);
  }

  LongIntMap(int expected) {
    int cap = Math.max(4, expected);
    keys = new long[cap];
    values = new int[cap];
    table = new int[tableSizeFor(cap)];
  }

  private static int tableSizeFor(int n) {
    int t = Integer.highestOneBit(Math.max(8, n * 2 - 1)) << 1;
    return t;
  }

  private static int hash(long k) {
    long h = k * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }

  int size() {
    return size;
  }

  long keyAt(int i) {
    return keys[i];
  }

  int valueAt(int i) {
    return values[i];
  }

  private int slotOf(long key) {
    int mask = table.length - 1;
    int slot = hash(key) & mask;
    while (true) {
      int idx = table[slot];
      if (idx == 0 || keys[idx - 1] == key) {
        return slot;
      }
      slot = (slot + 1) & mask;
    }
  }

  /** The clock for {@code key}, or 0 when absent (a client never seen has state 0). */
  int get(long key) {
    return getOrDefault(key, 0);
  }

  boolean containsKey(long key) {
    return table[slotOf(key)] != 0;
  }

  /** The clock for {@code key}, or {@code missing} when absent. */
  int getOrDefault(long key, int missing) {
    int idx = table[slotOf(key)];
    return idx == 0 ? missing : values[idx - 1];
  }

  void put(long key, int value) {
    int slot = slotOf(key);
    int idx = table[slot];
    if (idx != 0) {
      values[idx - 1] = value;
      return;
    }
    if (size == keys.length) {
      keys = Arrays.copyOf(keys, size * 2);
      values = Arrays.copyOf(values, size * 2);
    }
    keys[size] = key;
    values[size] = value;
    size++;
    table[slot] = size;
    if (size * 2 > table.length) {
      rehash();
    }
  }

  private void rehash() {
    table = new int[table.length * 2];
    int mask = table.length - 1;
    for (int i = 0; i < size; i++) {
      int slot = hash(keys[i]) & mask;
      while (table[slot] != 0) {
        slot = (slot + 1) & mask;
      }
      table[slot] = i + 1;
    }
  }

  java.util.Map<Long, Integer> toMap() {
    java.util.Map<Long, Integer> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < size; i++) {
      m.put(keys[i], values[i]);
    }
    return m;
  }
}
