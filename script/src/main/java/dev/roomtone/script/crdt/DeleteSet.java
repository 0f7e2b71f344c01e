package dev.roomtone.script.crdt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Deleted clock ranges by client: what a peer needs to know to delete the same content. */
final class DeleteSet {

  /** The ranges of one client; sorted and non-overlapping after {@link #sortAndMerge()}. */
  static final class Ranges {
    int[] clocks = new int[1];
    int[] lens = new int[1];
    int size;

    void add(int clock, int len) {
      if (size == clocks.length) {
        clocks = Arrays.copyOf(clocks, size * 2);
        lens = Arrays.copyOf(lens, size * 2);
      }
      clocks[size] = clock;
      lens[size] = len;
      size++;
    }

    void sortAndMerge() {
      if (size > 1) {
        boolean sorted = true;
        for (int i = 1; i < size && sorted; i++) {
          sorted = clocks[i - 1] <= clocks[i];
        }
        if (!sorted) {
          long[] packed = new long[size];
          for (int i = 0; i < size; i++) {
            packed[i] = ((long) clocks[i] << 32) | (lens[i] & 0xFFFFFFFFL);
          }
          Arrays.sort(packed);
          for (int i = 0; i < size; i++) {
            clocks[i] = (int) (packed[i] >>> 32);
            lens[i] = (int) packed[i];
          }
        }
      }
      int j = 1;
      for (int i = 1; i < size; i++) {
        int leftClock = clocks[j - 1];
        long leftEnd = (long) leftClock + lens[j - 1];
        if (leftEnd >= clocks[i]) {
          lens[j - 1] = (int) Math.max(lens[j - 1], (long) clocks[i] + lens[i] - leftClock);
        } else {
          clocks[j] = clocks[i];
          lens[j] = lens[i];
          j++;
        }
      }
      if (size > 0) {
        size = j;
      }
    }

    /** Index of the range containing {@code clock}, or -1. */
    int find(int clock) {
      int left = 0;
      int right = size - 1;
      while (left <= right) {
        int mid = (left + right) >>> 1;
        int midClock = clocks[mid];
        if (midClock <= clock) {
          if (clock < (long) midClock + lens[mid]) {
            return mid;
          }
          left = mid + 1;
        } else {
          right = mid - 1;
        }
      }
      return -1;
    }
  }

  final LongMap<Ranges> clients = new LongMap<>();

  boolean isEmpty() {
    return clients.isEmpty();
  }

  void add(long client, int clock, int len) {
    Ranges r = clients.get(client);
    if (r == null) {
      r = new Ranges();
      clients.put(client, r);
    }
    r.add(clock, len);
  }

  boolean contains(long client, int clock) {
    Ranges r = clients.get(client);
    return r != null && r.find(clock) >= 0;
  }

  void sortAndMerge() {
    for (int i = 0; i < clients.size(); i++) {
      clients.valueAt(i).sortAndMerge();
    }
  }

  static DeleteSet merge(List<DeleteSet> sets) {
    DeleteSet merged = new DeleteSet();
    for (DeleteSet ds : sets) {
      for (int c = 0; c < ds.clients.size(); c++) {
        Ranges src = ds.clients.valueAt(c);
        for (int i = 0; i < src.size; i++) {
          merged.add(ds.clients.keyAt(c), src.clocks[i], src.lens[i]);
        }
      }
    }
    merged.sortAndMerge();
    return merged;
  }

  /** The deleted ranges of a document, read off its structs. */
  static DeleteSet fromStore(StructStore store) {
    DeleteSet ds = new DeleteSet();
    for (int c = 0; c < store.clients.size(); c++) {
      StructList structs = store.clients.valueAt(c);
      Ranges ranges = null;
      for (int i = 0; i < structs.size(); i++) {
        Struct struct = structs.get(i);
        if (struct.isDeleted()) {
          int clock = struct.clock;
          long len = struct.length;
          while (i + 1 < structs.size() && structs.get(i + 1).isDeleted()) {
            len += structs.get(++i).length;
          }
          if (ranges == null) {
            ranges = new Ranges();
          }
          ranges.add(clock, (int) len);
        }
      }
      if (ranges != null) {
        ds.clients.put(store.clients.keyAt(c), ranges);
      }
    }
    return ds;
  }

  /** Writes clients in descending id order, as Yjs does for a deterministic encoding. */
  void write(UpdateEncoder encoder) {
    encoder.rest.writeVarUint(clients.size());
    List<Integer> order = new ArrayList<>(clients.size());
    for (int i = 0; i < clients.size(); i++) {
      order.add(i);
    }
    order.sort((a, b) -> Long.compare(clients.keyAt(b), clients.keyAt(a)));
    for (int c : order) {
      long client = clients.keyAt(c);
      Ranges r = clients.valueAt(c);
      encoder.rest.writeVarUint(client);
      encoder.rest.writeVarUint(r.size);
      for (int i = 0; i < r.size; i++) {
        encoder.writeDsClock(r.clocks[i]);
        encoder.writeDsLen(r.lens[i]);
      }
    }
  }

  /** Reads a delete set, validating every range; clients listed without ranges are dropped, as in Yjs. */
  static DeleteSet read(UpdateDecoder decoder) {
    DeleteSet ds = new DeleteSet();
    ByteReader r = decoder.reader;
    long numClients = r.readVarUint();
    for (long i = 0; i < numClients; i++) {
      if (!r.hasContent()) {
        throw r.error("truncated input: delete set lists more clients than it holds");
      }
      long client = r.readVarUint();
      long numDeletes = r.readVarUint();
      for (long d = 0; d < numDeletes; d++) {
        int start = r.position();
        int clock = r.readVarUintInt("deleted clock");
        int len = r.readVarUintInt("deleted length");
        if (len == 0) {
          // Yjs never writes one, and its own encoder refuses to write it back
          throw new MalformedUpdateException("deleted range " + clock + "+0 is empty", start);
        }
        if ((long) clock + len > Integer.MAX_VALUE) {
          throw new MalformedUpdateException("deleted range " + clock + "+" + len + " exceeds the clock range", start);
        }
        ds.add(client, clock, len);
      }
    }
    return ds;
  }
}
