package dev.roomtone.script.crdt;

import java.util.Arrays;

/**
 * Map from client id to a value, in insertion order, without boxing: documents look clients up on
 * every operation. Small maps (most transactions touch one client) are searched linearly and cost
 * two tiny arrays; a hash index appears beyond {@link #LINEAR}. Entries are never removed.
 */
final class LongMap<V> {

  private static final int LINEAR = 8;
  private static final long[] NO_KEYS = new long[0];
  private static final Object[] NO_VALUES = new Object[0];

  private long[] keys = NO_KEYS;
  private Object[] values = NO_VALUES;
  private int[] table; // slot -> index+1, 0 = empty; null while small
  private int size;
  private int lastIndex = -1; // most lookups repeat the previous client

  private static int hash(long k) {
    long h = k * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  long keyAt(int i) {
    return keys[i];
  }

  @SuppressWarnings("unchecked")
  V valueAt(int i) {
    return (V) values[i];
  }

  /** Insertion index of {@code key}, or -1. */
  int indexOf(long key) {
    int li = lastIndex;
    if (li >= 0 && keys[li] == key) {
      return li;
    }
    if (table == null) {
      for (int i = 0; i < size; i++) {
        if (keys[i] == key) {
          lastIndex = i;
          return i;
        }
      }
      return -1;
    }
    int mask = table.length - 1;
    int slot = hash(key) & mask;
    while (true) {
      int idx = table[slot];
      if (idx == 0) {
        return -1;
      }
      if (keys[idx - 1] == key) {
        lastIndex = idx - 1;
        return idx - 1;
      }
      slot = (slot + 1) & mask;
    }
  }

  @SuppressWarnings("unchecked")
  V get(long key) {
    int i = indexOf(key);
    return i < 0 ? null : (V) values[i];
  }

  boolean containsKey(long key) {
    return indexOf(key) >= 0;
  }

  void put(long key, V value) {
    int i = indexOf(key);
    if (i >= 0) {
      values[i] = value;
      return;
    }
    if (size == keys.length) {
      int cap = Math.max(1, size * 2);
      keys = Arrays.copyOf(keys, cap);
      values = Arrays.copyOf(values, cap);
    }
    keys[size] = key;
    values[size] = value;
    size++;
    if (size > LINEAR) {
      if (table == null || size * 2 > table.length) {
        table = new int[Integer.highestOneBit(size) * 4];
        for (int k = 0; k < size; k++) {
          insertSlot(k);
        }
      } else {
        insertSlot(size - 1);
      }
    }
  }

  private void insertSlot(int index) {
    int mask = table.length - 1;
    int slot = hash(keys[index]) & mask;
    while (table[slot] != 0) {
      slot = (slot + 1) & mask;
    }
    table[slot] = index + 1;
  }
}
