package dev.roomtone.script.crdt;

import java.util.Arrays;

/**
 * Map from client id to a value, in insertion order, without boxing: documents look clients up on
 * every operation. Entries are never removed.
 */
final class LongMap<V> {

    private long[] keys;
    private Object[] values;
    private int[] table; // slot -> index+1, 0 = empty
    private int size;
    private int lastIndex = -1; // most lookups repeat the previous client

    private static final long[] NO_KEYS = new long[0];
    private static final Object[] NO_VALUES = new Object[0];
    private static final int[] NO_TABLE = new int[1];

    LongMap() {
        keys = NO_KEYS;
        values = NO_VALUES;
        table = NO_TABLE;
    }

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
            keys = Arrays.copyOf(keys, Math.max(4, size * 2));
            values = Arrays.copyOf(values, Math.max(4, size * 2));
        }
        keys[size] = key;
        values[size] = value;
        size++;
        if (size * 2 > table.length) {
            table = new int[Math.max(8, table.length * 2)];
            for (int k = 0; k < size; k++) {
                insertSlot(k);
            }
        } else {
            insertSlot(size - 1);
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
