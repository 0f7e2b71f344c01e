package dev.roomtone.script.crdt;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.roomtone.script.crdt.UpdateCodec.GCRef;
import dev.roomtone.script.crdt.UpdateCodec.ItemRef;
import dev.roomtone.script.crdt.UpdateCodec.Ref;
import dev.roomtone.script.crdt.UpdateCodec.SkipRef;

/**
 * Operations on encoded Yjs v1 updates that need no document: merging, diffing against a state
 * vector, reading the state vector an update brings. Output is byte-identical to Yjs's.
 */
public final class Updates {

  private Updates() {
  }

  /** Sequential reader over an update's structs, optionally hiding skips. */
  private static final class Reader {
    private final List<Ref> structs;
    private final boolean filterSkips;
    private int pos;
    Ref curr;

    Reader(List<Ref> structs, boolean filterSkips) {
      this.structs = structs;
      this.filterSkips = filterSkips;
      next();
    }

    Ref next() {
      do {
        curr = pos < structs.size() ? structs.get(pos++) : null;
      } while (filterSkips && curr instanceof SkipRef);
      return curr;
    }
  }

  /** Writes structs grouped per client run, as Yjs's lazy struct writer does. */
  private static final class Writer {
    final UpdateEncoder encoder = new UpdateEncoder();
    private ByteWriter chunk = new ByteWriter();
    private long currClient;
    private int written;
    private final List<Object[]> clientStructs = new ArrayList<>();

    void write(Ref struct, int offset) {
      if (written > 0 && currClient != struct.client) {
        flush();
      }
      UpdateEncoder chunkEncoder = new UpdateEncoder(chunk);
      if (written == 0) {
        currClient = struct.client;
        chunkEncoder.writeClient(struct.client);
        chunk.writeVarUint((long) struct.clock + offset);
      }
      struct.write(chunkEncoder, offset);
      written++;
    }

    private void flush() {
      if (written > 0) {
        clientStructs.add(new Object[] {written, chunk.toByteArray()});
        chunk = new ByteWriter();
        written = 0;
      }
    }

    void finish() {
      flush();
      encoder.rest.writeVarUint(clientStructs.size());
      for (Object[] part : clientStructs) {
        encoder.rest.writeVarUint((int) part[0]);
        encoder.rest.writeBytes((byte[]) part[1]);
      }
    }
  }

  private static Ref slice(Ref left, int diff) {
    return switch (left) {
      case GCRef gc -> new GCRef(gc.client, gc.clock + diff, gc.length - diff);
      case SkipRef skip -> new SkipRef(skip.client, skip.clock + diff, skip.length - diff);
      case ItemRef item -> item.slice(diff);
    };
  }

  /** Combines several updates into one with the same effect; validates each input. */
  public static byte[] merge(List<byte[]> updates) {
    if (updates.isEmpty()) {
      throw new IllegalArgumentException("nothing to merge");
    }
    if (updates.size() == 1) {
      return updates.get(0);
    }
    List<UpdateCodec.DecodedUpdate> decoded = new ArrayList<>(updates.size());
    List<Reader> readers = new ArrayList<>(updates.size());
    for (byte[] u : updates) {
      UpdateCodec.DecodedUpdate d = UpdateCodec.decode(u);
      decoded.add(d);
      readers.add(new Reader(d.structs(), true));
    }
    Writer writer = new Writer();
    Ref currWrite = null;
    int currOffset = 0;
    while (true) {
      readers.removeIf(r -> r.curr == null);
      readers.sort((a, b) -> {
        if (a.curr.client == b.curr.client) {
          int clockDiff = Integer.compare(a.curr.clock, b.curr.clock);
          if (clockDiff == 0) {
            return a.curr.getClass() == b.curr.getClass() ? 0 : a.curr instanceof SkipRef ? 1 : -1;
          }
          return clockDiff;
        }
        return Long.compare(b.curr.client, a.curr.client);
      });
      if (readers.isEmpty()) {
        break;
      }
      Reader currDecoder = readers.get(0);
      long firstClient = currDecoder.curr.client;
      if (currWrite != null) {
        Ref curr = currDecoder.curr;
        boolean iterated = false;
        // skip what is already written; higher client ids come first
        while (curr != null && curr.end() <= currWrite.end() && curr.client >= currWrite.client) {
          curr = currDecoder.next();
          iterated = true;
        }
        if (curr == null || curr.client != firstClient || (iterated && curr.clock > currWrite.end())) {
          continue;
        }
        if (firstClient != currWrite.client) {
          writer.write(currWrite, currOffset);
          currWrite = curr;
          currOffset = 0;
          currDecoder.next();
        } else if (currWrite.end() < curr.clock) {
          if (currWrite instanceof SkipRef) {
            currWrite.length = curr.end() - currWrite.clock;
          } else {
            writer.write(currWrite, currOffset);
            int diff = curr.clock - currWrite.end();
            currWrite = new SkipRef(firstClient, currWrite.end(), diff);
            currOffset = 0;
          }
        } else {
          int diff = currWrite.end() - curr.clock;
          if (diff > 0) {
            if (currWrite instanceof SkipRef) {
              // prefer cutting the skip: the other struct carries content
              currWrite.length -= diff;
            } else {
              curr = slice(curr, diff);
            }
          }
          if (!currWrite.mergeWith(curr)) {
            writer.write(currWrite, currOffset);
            currWrite = curr;
            currOffset = 0;
            currDecoder.next();
          }
        }
      } else {
        currWrite = currDecoder.curr;
        currOffset = 0;
        currDecoder.next();
      }
      for (Ref next = currDecoder.curr; next != null && next.client == firstClient && next.clock == currWrite.end()
          && !(next instanceof SkipRef); next = currDecoder.next()) {
        writer.write(currWrite, currOffset);
        currWrite = next;
        currOffset = 0;
      }
    }
    if (currWrite != null) {
      writer.write(currWrite, currOffset);
    }
    writer.finish();
    List<DeleteSet> dss = new ArrayList<>(decoded.size());
    for (UpdateCodec.DecodedUpdate d : decoded) {
      dss.add(d.deleteSet());
    }
    DeleteSet.merge(dss).write(writer.encoder);
    return writer.encoder.toByteArray();
  }

  /** Merges two or more updates (convenience for {@link #merge(List)}). */
  public static byte[] merge(byte[]... updates) {
    return merge(List.of(updates));
  }

  /** The part of {@code update} a peer with the given encoded state vector lacks. */
  public static byte[] diff(byte[] update, byte[] encodedStateVector) {
    LongIntMap state = StateVectors.decode(encodedStateVector);
    UpdateCodec.DecodedUpdate decoded = UpdateCodec.decode(update);
    Writer writer = new Writer();
    Reader reader = new Reader(decoded.structs(), false);
    while (reader.curr != null) {
      Ref curr = reader.curr;
      long currClient = curr.client;
      int svClock = state.get(currClient);
      if (curr instanceof SkipRef) {
        reader.next();
        continue;
      }
      if (curr.end() > svClock) {
        writer.write(curr, Math.max(svClock - curr.clock, 0));
        reader.next();
        while (reader.curr != null && reader.curr.client == currClient) {
          writer.write(reader.curr, 0);
          reader.next();
        }
      } else {
        while (reader.curr != null && reader.curr.client == currClient && reader.curr.end() <= svClock) {
          reader.next();
        }
      }
    }
    writer.finish();
    decoded.deleteSet().write(writer.encoder);
    return writer.encoder.toByteArray();
  }

  /** The encoded state vector a document would have after applying only this update. */
  public static byte[] encodeStateVectorFromUpdate(byte[] update) {
    List<Ref> structs = UpdateCodec.decode(update).structs();
    ByteWriter body = new ByteWriter();
    int size = 0;
    if (!structs.isEmpty()) {
      Ref first = structs.get(0);
      long currClient = first.client;
      boolean stopCounting = first.clock != 0;
      int currClock = stopCounting ? 0 : first.end();
      for (Ref curr : structs) {
        if (currClient != curr.client) {
          if (currClock != 0) {
            size++;
            body.writeVarUint(currClient);
            body.writeVarUint(currClock);
          }
          currClient = curr.client;
          currClock = 0;
          stopCounting = curr.clock != 0;
        }
        if (curr instanceof SkipRef) {
          stopCounting = true;
        }
        if (!stopCounting) {
          currClock = curr.end();
        }
      }
      if (currClock != 0) {
        size++;
        body.writeVarUint(currClient);
        body.writeVarUint(currClock);
      }
    }
    ByteWriter out = new ByteWriter(body.length() + 2);
    out.writeVarUint(size);
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  /** Decodes an encoded state vector into client id → next expected clock. */
  public static Map<Long, Integer> decodeStateVector(byte[] encoded) {
    return StateVectors.decodeToMap(encoded);
  }

  /** Encodes a state vector (client id → next expected clock) the way Yjs does. */
  public static byte[] encodeStateVector(Map<Long, Integer> stateVector) {
    return StateVectors.encode(stateVector);
  }

  /** Checks that {@code update} is a well-formed v1 update; throws {@link MalformedUpdateException} if not. */
  public static void validate(byte[] update) {
    UpdateCodec.decode(update);
  }
}
