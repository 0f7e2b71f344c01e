package dev.roomtone.script.crdt;

import java.util.Arrays;

/** One client's structs ordered by clock, contiguous from clock 0 to the client's state. */
final class StructList {

  private Struct[] structs = new Struct[8];
  private int size;

  int size() {
    return size;
  }

  Struct get(int i) {
    return structs[i];
  }

  Struct last() {
    return structs[size - 1];
  }

  void set(int i, Struct s) {
    structs[i] = s;
  }

  void add(Struct s) {
    if (size == structs.length) {
      structs = Arrays.copyOf(structs, size * 2);
    }
    structs[size++] = s;
  }

  void insert(int index, Struct s) {
    if (size == structs.length) {
      structs = Arrays.copyOf(structs, size * 2);
    }
    System.arraycopy(structs, index, structs, index + 1, size - index);
    structs[index] = s;
    size++;
  }

  /** Removes {@code count} structs starting at {@code from}. */
  void remove(int from, int count) {
    System.arraycopy(structs, from + count, structs, from, size - from - count);
    for (int i = size - count; i < size; i++) {
      structs[i] = null;
    }
    size -= count;
  }

  int state() {
    Struct last = structs[size - 1];
    return last.clock + last.length;
  }

  /**
   * Index of the struct containing {@code clock}. The first probe guesses the position from the
   * clock, which hits at once for evenly sized runs.
   */
  int findIndex(int clock) {
    int left = 0;
    int right = size - 1;
    Struct mid = structs[right];
    int midClock = mid.clock;
    if (midClock == clock) {
      return right;
    }
    long span = (long) midClock + mid.length - 1;
    int midIndex = span <= 0 ? 0 : (int) Math.min(right, ((long) clock * right) / span);
    while (left <= right) {
      if (midIndex < left || midIndex > right) {
        midIndex = (left + right) >>> 1;
      }
      mid = structs[midIndex];
      midClock = mid.clock;
      if (midClock <= clock) {
        if (clock < midClock + mid.length) {
          return midIndex;
        }
        left = midIndex + 1;
      } else {
        right = midIndex - 1;
      }
      midIndex = (left + right) >>> 1;
    }
    throw new IllegalStateException("clock " + clock + " is not in the struct store");
  }
}
