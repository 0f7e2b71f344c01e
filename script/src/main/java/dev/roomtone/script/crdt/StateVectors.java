package dev.roomtone.script.crdt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Encoding of state vectors (client id → next expected clock) as Yjs writes them. */
final class StateVectors {

  private StateVectors() {
  }

  static byte[] encode(LongIntMap sv) {
    ByteWriter w = new ByteWriter(2 + sv.size() * 8);
    w.writeVarUint(sv.size());
    List<Integer> order = new ArrayList<>(sv.size());
    for (int i = 0; i < sv.size(); i++) {
      order.add(i);
    }
    order.sort((a, b) -> Long.compare(sv.keyAt(b), sv.keyAt(a)));
    for (int i : order) {
      w.writeVarUint(sv.keyAt(i));
      w.writeVarUint(sv.valueAt(i));
    }
    return w.toByteArray();
  }

  static byte[] encode(Map<Long, Integer> sv) {
    LongIntMap m = new LongIntMap(sv.size());
    sv.forEach((k, v) -> m.put(k, v));
    return encode(m);
  }

  /** Decodes a state vector; null or empty input means "knows nothing". Trailing bytes are ignored, as in Yjs. */
  static LongIntMap decode(byte[] encoded) {
    LongIntMap sv = new LongIntMap();
    if (encoded == null || encoded.length == 0) {
      return sv;
    }
    ByteReader r = new ByteReader(encoded);
    long n = r.readVarUint();
    for (long i = 0; i < n; i++) {
      if (!r.hasContent()) {
        throw r.error("truncated input: state vector lists more clients than it holds");
      }
      long client = r.readVarUint();
      int clock = r.readVarUintInt("clock");
      sv.put(client, clock);
    }
    return sv;
  }

  static Map<Long, Integer> decodeToMap(byte[] encoded) {
    Map<Long, Integer> out = new LinkedHashMap<>();
    LongIntMap sv = decode(encoded);
    for (int i = 0; i < sv.size(); i++) {
      out.put(sv.keyAt(i), sv.valueAt(i));
    }
    return out;
  }
}
