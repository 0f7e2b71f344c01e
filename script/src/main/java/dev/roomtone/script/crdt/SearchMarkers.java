package dev.roomtone.script.crdt;

/**
 * Remembered (item, index) positions in a list type, so that index lookups near a recent edit do
 * not walk the list from its start. Yjs's insert position can depend on which marker a lookup
 * started from (before or after deleted items), so this follows Yjs's marker rules exactly: same
 * limit, same choice of marker, same ageing. Markers live in parallel arrays because every edit
 * scans all of them.
 */
final class SearchMarkers {

  private static final int MAX = 80;

  private final Item[] items = new Item[MAX];
  private final int[] indices = new int[MAX];
  private final long[] timestamps = new long[MAX];
  private int size;
  private final YType owner;

  SearchMarkers(YType owner) {
    this.owner = owner;
  }

  int size() {
    return size;
  }

  /** Item of marker {@code m}. */
  Item item(int m) {
    return items[m];
  }

  /** Index of marker {@code m}. */
  int index(int m) {
    return indices[m];
  }

  private long tick() {
    return owner.doc.markerClock++;
  }

  /** Forgets all markers; like Yjs, the items keep their marker flag. */
  void clear() {
    java.util.Arrays.fill(items, 0, size, null);
    size = 0;
  }

  private void overwrite(int m, Item p, int index) {
    items[m].setMarker(false);
    items[m] = p;
    p.setMarker(true);
    indices[m] = index;
    timestamps[m] = tick();
  }

  private int mark(Item p, int index) {
    if (size >= MAX) {
      int oldest = 0;
      for (int m = 1; m < size; m++) {
        if (timestamps[m] < timestamps[oldest]) {
          oldest = m;
        }
      }
      overwrite(oldest, p, index);
      return oldest;
    }
    p.setMarker(true);
    items[size] = p;
    indices[size] = index;
    timestamps[size] = tick();
    return size++;
  }

  private void remove(int m) {
    System.arraycopy(items, m + 1, items, m, size - m - 1);
    System.arraycopy(indices, m + 1, indices, m, size - m - 1);
    System.arraycopy(timestamps, m + 1, timestamps, m, size - m - 1);
    size--;
    items[size] = null;
  }

  /** A marker at or near {@code index} (its number), or -1 when walking from the start is as good. */
  int find(int index) {
    if (owner.start == null || index == 0) {
      return -1;
    }
    int marker = -1;
    if (size > 0) {
      marker = 0;
      int best = Math.abs(index - indices[0]);
      for (int m = 1; m < size; m++) {
        int d = Math.abs(index - indices[m]);
        // ties go to the later marker, as JavaScript's reduce does here
        if (d <= best) {
          marker = m;
          best = d;
        }
      }
    }
    Item p = owner.start;
    int pindex = 0;
    if (marker >= 0) {
      p = items[marker];
      pindex = indices[marker];
      timestamps[marker] = tick();
    }
    while (p.right != null && pindex < index) {
      if (p.visible()) {
        if (index < pindex + p.length) {
          break;
        }
        pindex += p.length;
      }
      p = p.right;
    }
    while (p.left != null && pindex > index) {
      p = p.left;
      if (p.visible()) {
        pindex -= p.length;
      }
    }
    // never point at an item that could still merge with its left neighbour
    while (p.left != null && p.left.client == p.client && p.left.clock + p.left.length == p.clock) {
      p = p.left;
      if (p.visible()) {
        pindex -= p.length;
      }
    }
    if (marker >= 0 && Math.abs(indices[marker] - pindex) < (double) p.parent.length / MAX) {
      overwrite(marker, p, pindex);
      return marker;
    }
    return mark(p, pindex);
  }

  /** Shifts markers after an insertion ({@code len > 0}) or deletion ({@code len < 0}) at {@code index}. */
  void updateChanges(int index, int len) {
    for (int m = size - 1; m >= 0; m--) {
      if (len > 0) {
        Item p = items[m];
        if (p.visible()) {
          // Yjs clears and re-sets the flag here; the marker stays where it is
          if (!p.marker()) {
            p.setMarker(true);
          }
        } else {
          p.setMarker(false);
          // move to the previous visible item so the index comparison below is meaningful
          while (p != null && (p.isDeleted() || !p.countable())) {
            p = p.left;
            if (p != null && p.visible()) {
              indices[m] -= p.length;
            }
          }
          if (p == null || p.marker()) {
            remove(m);
            continue;
          }
          items[m] = p;
          p.setMarker(true);
        }
      }
      int mi = indices[m];
      if (index < mi || (len > 0 && index == mi)) {
        indices[m] = Math.max(index, mi + len);
      }
    }
  }

  /** {@code right} was merged into {@code left}: markers on it move to {@code left}. */
  void replaceMerged(Item right, Item left) {
    for (int m = 0; m < size; m++) {
      if (items[m] == right) {
        items[m] = left;
        if (!left.isDeleted() && left.countable()) {
          indices[m] -= left.length;
        }
      }
    }
  }

  /** The marker with the highest index, or -1. */
  int highest() {
    int best = -1;
    int bestIndex = 0;
    for (int m = 0; m < size; m++) {
      if (indices[m] > bestIndex) {
        bestIndex = indices[m];
        best = m;
      }
    }
    return best;
  }
}
