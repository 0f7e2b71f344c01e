package dev.roomtone.script.crdt;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reading and writing Yjs v1 updates. An update is decoded and validated completely before anything
 * touches the document, so a malformed one is rejected with the document unchanged; integration then
 * follows Yjs step by step, because the order of splits and merges shows in the encoded bytes.
 */
final class UpdateCodec {

  private UpdateCodec() {
  }

  // ---- decoded structs, before integration

  /** A struct as read from an update: not yet placed in any document. */
  abstract static sealed class Ref permits GCRef, SkipRef, ItemRef {
    final long client;
    int clock;
    int length;

    Ref(long client, int clock, int length) {
      this.client = client;
      this.clock = clock;
      this.length = length;
    }

    int end() {
      return clock + length;
    }

    abstract void write(UpdateEncoder encoder, int offset);

    /** Merge used by mergeUpdates: only runs of GC and of Skip combine there, as in Yjs. */
    boolean mergeWith(Ref right) {
      return false;
    }
  }

  static final class GCRef extends Ref {
    GCRef(long client, int clock, int length) {
      super(client, clock, length);
    }

    @Override
    void write(UpdateEncoder encoder, int offset) {
      encoder.writeInfo(GC.REF);
      encoder.writeLen(length - offset);
    }

    @Override
    boolean mergeWith(Ref right) {
      if (!(right instanceof GCRef)) {
        return false;
      }
      length += right.length;
      return true;
    }
  }

  /** Clocks an update does not carry (made by merging updates with gaps). */
  static final class SkipRef extends Ref {
    static final int REF = 10;

    SkipRef(long client, int clock, int length) {
      super(client, clock, length);
    }

    @Override
    void write(UpdateEncoder encoder, int offset) {
      encoder.writeInfo(REF);
      encoder.rest.writeVarUint(length - offset);
    }

    @Override
    boolean mergeWith(Ref right) {
      if (!(right instanceof SkipRef)) {
        return false;
      }
      length += right.length;
      return true;
    }
  }

  static final class ItemRef extends Ref {
    final ID origin;
    final ID rightOrigin;
    final String parentKey;
    final ID parentId;
    final String parentSub;
    Content content;

    // resolved by getMissing
    private Struct left;
    private int resolvedOriginClock;
    private Struct right;
    private YType parent;
    private String resolvedParentSub;

    ItemRef(long client, int clock, ID origin, ID rightOrigin, String parentKey, ID parentId, String parentSub, Content content) {
      super(client, clock, content.length());
      this.origin = origin;
      this.rightOrigin = rightOrigin;
      this.parentKey = parentKey;
      this.parentId = parentId;
      this.parentSub = parentSub;
      this.content = content;
    }

    @Override
    void write(UpdateEncoder encoder, int offset) {
      ID o = offset > 0 ? new ID(client, clock + offset - 1) : origin;
      int info = (content.ref() & 0x1F) | (o != null ? 0x80 : 0) | (rightOrigin != null ? 0x40 : 0)
          | (parentSub != null ? 0x20 : 0);
      encoder.writeInfo(info);
      if (o != null) {
        encoder.writeLeftID(o.client(), o.clock());
      }
      if (rightOrigin != null) {
        encoder.writeRightID(rightOrigin.client(), rightOrigin.clock());
      }
      if (o == null && rightOrigin == null) {
        if (parentKey != null) {
          encoder.writeParentInfo(true);
          encoder.writeString(parentKey);
        } else {
          encoder.writeParentInfo(false);
          encoder.writeLeftID(parentId.client(), parentId.clock());
        }
        if (parentSub != null) {
          encoder.writeString(parentSub);
        }
      }
      content.write(encoder, offset);
    }

    /** The part of this item from {@code diff} on, as mergeUpdates slices it. */
    ItemRef slice(int diff) {
      return new ItemRef(client, clock + diff, new ID(client, clock + diff - 1), rightOrigin, parentKey, parentId,
          parentSub, content.splice(diff));
    }

    /**
     * Returns the client whose missing content blocks this item, or -1 after resolving its
     * neighbours and parent (which may split existing items, exactly as Yjs does).
     */
    long getMissing(Transaction txn, StructStore store) {
      if (origin != null && origin.client() != client && origin.clock() >= store.state(origin.client())) {
        return origin.client();
      }
      if (rightOrigin != null && rightOrigin.client() != client && rightOrigin.clock() >= store.state(rightOrigin.client())) {
        return rightOrigin.client();
      }
      if (parentId != null && parentId.client() != client && parentId.clock() >= store.state(parentId.client())) {
        return parentId.client();
      }
      if (origin != null) {
        left = store.getCleanEnd(txn, origin.client(), origin.clock());
        // Yjs takes the origin from the left neighbour now, before the right one may split it
        resolvedOriginClock = left.clock + left.length - 1;
      }
      if (rightOrigin != null) {
        right = store.getCleanStart(txn, rightOrigin.client(), rightOrigin.clock());
      }
      resolvedParentSub = parentSub;
      if (left instanceof GC || right instanceof GC) {
        parent = null;
      } else if (parentKey == null && parentId == null) {
        if (left instanceof Item l) {
          parent = l.parent;
          resolvedParentSub = l.parentSub;
        } else if (right instanceof Item r) {
          parent = r.parent;
          resolvedParentSub = r.parentSub;
        }
      } else if (parentId != null) {
        Struct parentStruct = store.find(parentId.client(), parentId.clock());
        parent = parentStruct instanceof Item pi && pi.content instanceof ContentType ct ? ct.type : null;
      } else {
        parent = txn.doc.getUntyped(parentKey);
      }
      return -1;
    }

    void integrate(Transaction txn, int offset) {
      StructStore store = txn.doc.store;
      int startClock = clock;
      int len = length;
      Content c = content;
      Struct l = left;
      if (offset > 0) {
        startClock += offset;
        len -= offset;
        l = store.getCleanEnd(txn, client, startClock - 1);
        c = content.splice(offset);
      }
      // The unit before an already-known prefix is this item's own previous unit: same parent,
      // same key. Only a corrupt update or a reused client id disagrees; Yjs would then link the
      // item into a foreign list, so the rest is kept as a GC run instead.
      boolean foreignLeft = offset > 0 && (!(l instanceof Item li) || li.parent != parent
          || !java.util.Objects.equals(li.parentSub, resolvedParentSub));
      if (parent == null || foreignLeft) {
        store.add(txn, new GC(client, startClock, len));
        return;
      }
      Item leftItem = (Item) l;
      Item rightItem = (Item) right;
      if (!neighboursAgree(leftItem, rightItem, offset)) {
        store.add(txn, new GC(client, startClock, len));
        return;
      }
      Item item = new Item(client, startClock, leftItem, null, rightItem, rightOrigin, parent, resolvedParentSub, c);
      if (leftItem != null) {
        item.originClient = leftItem.client;
        item.originClock = offset > 0 ? leftItem.lastClock() : resolvedOriginClock;
      }
      if (rightItem != null) {
        item.rightOriginClient = rightItem.client;
        item.rightOriginClock = rightItem.clock;
      }
      item.integrate(txn);
    }

    /**
     * Whether the neighbours this item names can all be true: its left neighbour ends at its
     * origin, and its right one lies further right in the same list. Every genuine update
     * satisfies this (list order never changes); a corrupt one that does not would place the
     * item differently on every replica, so the caller keeps its clocks as a GC run instead.
     */
    private boolean neighboursAgree(Item leftItem, Item rightItem, int offset) {
      if (leftItem != null && offset == 0 && leftItem.lastClock() != resolvedOriginClock) {
        return false; // the right origin split the left neighbour: it lies before the origin
      }
      if (leftItem == null || rightItem == null) {
        return true;
      }
      if (leftItem.parent != rightItem.parent || !java.util.Objects.equals(leftItem.parentSub, rightItem.parentSub)) {
        return false;
      }
      for (Item n = leftItem.right; n != rightItem; n = n.right) {
        if (n == null) {
          return false;
        }
      }
      return true;
    }
  }

  /** The structs of one client in an update, in clock order. */
  record ClientRefs(long client, List<Ref> refs) {
  }

  /** A fully decoded and validated update. */
  record DecodedUpdate(List<ClientRefs> clients, DeleteSet deleteSet) {

    /** All structs in encoded order. */
    List<Ref> structs() {
      List<Ref> all = new ArrayList<>();
      for (ClientRefs c : clients) {
        all.addAll(c.refs);
      }
      return all;
    }
  }

  /** Decodes and validates a whole v1 update. */
  static DecodedUpdate decode(byte[] update) {
    if (update == null) {
      throw new IllegalArgumentException("update is null");
    }
    UpdateDecoder d = new UpdateDecoder(update);
    ByteReader r = d.reader;
    long numClients = r.readVarUint();
    List<ClientRefs> clients = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    for (long c = 0; c < numClients; c++) {
      if (!r.hasContent()) {
        throw r.error("truncated input: update lists more clients than it holds");
      }
      int sectionStart = r.position();
      long numStructs = r.readVarUint();
      long client = d.readClient();
      if (!seen.add(client)) {
        throw new MalformedUpdateException("client " + client + " appears twice in the update", sectionStart);
      }
      int clock = r.readVarUintInt("clock");
      List<Ref> refs = new ArrayList<>((int) Math.min(numStructs, 256));
      for (long s = 0; s < numStructs; s++) {
        if (!r.hasContent()) {
          throw r.error("truncated input: client " + client + " lists more structs than it holds");
        }
        int structStart = r.position();
        Ref ref = readStruct(d, client, clock);
        if (ref.length <= 0) {
          throw new MalformedUpdateException("struct " + client + ":" + clock + " has length 0", structStart);
        }
        if ((long) clock + ref.length > Integer.MAX_VALUE) {
          throw new MalformedUpdateException("struct " + client + ":" + clock + " exceeds the clock range", structStart);
        }
        refs.add(ref);
        clock += ref.length;
      }
      clients.add(new ClientRefs(client, refs));
    }
    DeleteSet ds = DeleteSet.read(d);
    if (r.hasContent()) {
      throw r.error(r.remaining() + " unexpected bytes after the update");
    }
    return new DecodedUpdate(clients, ds);
  }

  private static Ref readStruct(UpdateDecoder d, long client, int clock) {
    int start = d.reader.position();
    int info = d.readInfo();
    int ref = info & 0x1F;
    if (ref == GC.REF) {
      if (info != GC.REF) {
        throw new MalformedUpdateException("GC struct with item flags " + info, start);
      }
      return new GCRef(client, clock, d.readLen("GC length"));
    }
    if (ref == SkipRef.REF) {
      if (info != SkipRef.REF) {
        throw new MalformedUpdateException("skip struct with item flags " + info, start);
      }
      return new SkipRef(client, clock, d.reader.readVarUintInt("skip length"));
    }
    if (ref > SkipRef.REF) {
      throw new MalformedUpdateException("unknown content type " + ref, start);
    }
    ID origin = (info & 0x80) != 0 ? d.readID() : null;
    ID rightOrigin = (info & 0x40) != 0 ? d.readID() : null;
    boolean cantCopyParentInfo = (info & 0xC0) == 0;
    String parentKey = null;
    ID parentId = null;
    if (cantCopyParentInfo) {
      if (d.readParentInfo()) {
        parentKey = d.readString();
      } else {
        parentId = d.readID();
      }
    }
    String parentSub = cantCopyParentInfo && (info & 0x20) != 0 ? d.readString() : null;
    Content content = Content.read(d, ref);
    // an item can only refer to its own client's earlier clocks; anything else is corrupt
    for (ID dep : new ID[] {origin, rightOrigin, parentId}) {
      if (dep != null && dep.client() == client && dep.clock() >= clock) {
        throw new MalformedUpdateException("struct " + client + ":" + clock + " refers to its own future clock " + dep.clock(), start);
      }
    }
    return new ItemRef(client, clock, origin, rightOrigin, parentKey, parentId, parentSub, content);
  }

  // ---- applying

  private static final class Cursor {
    int i;
    List<Ref> refs;

    Cursor(List<Ref> refs) {
      this.refs = refs;
    }
  }

  /** Applies a decoded update inside {@code txn}, keeping what cannot be applied yet as pending. */
  static void apply(Transaction txn, DecodedUpdate update) {
    txn.local = false;
    YDoc doc = txn.doc;
    StructStore store = doc.store;
    boolean retry = false;
    StructStore.PendingStructs rest = integrateStructs(txn, store, update.clients());
    StructStore.PendingStructs pending = store.pendingStructs;
    if (pending != null) {
      for (int i = 0; i < pending.missing.size(); i++) {
        if (pending.missing.valueAt(i) < store.state(pending.missing.keyAt(i))) {
          retry = true;
          break;
        }
      }
      if (rest != null) {
        for (int i = 0; i < rest.missing.size(); i++) {
          long client = rest.missing.keyAt(i);
          int clock = rest.missing.valueAt(i);
          int m = pending.missing.getOrDefault(client, -1);
          if (m == -1 || m > clock) {
            pending.missing.put(client, clock);
          }
        }
        pending.update = Updates.merge(List.of(pending.update, rest.update));
      }
    } else {
      store.pendingStructs = rest;
    }
    byte[] dsRest = applyDeleteSet(update.deleteSet(), txn, store);
    if (store.pendingDeletes != null) {
      DeleteSet pendingDs = decode(store.pendingDeletes).deleteSet();
      byte[] dsRest2 = applyDeleteSet(pendingDs, txn, store);
      if (dsRest != null && dsRest2 != null) {
        store.pendingDeletes = Updates.merge(List.of(dsRest, dsRest2));
      } else {
        store.pendingDeletes = dsRest != null ? dsRest : dsRest2;
      }
    } else {
      store.pendingDeletes = dsRest;
    }
    if (retry) {
      byte[] pendingUpdate = store.pendingStructs.update;
      store.pendingStructs = null;
      apply(txn, decode(pendingUpdate));
    }
  }

  private static StructStore.PendingStructs integrateStructs(Transaction txn, StructStore store, List<ClientRefs> clientsRefs) {
    Map<Long, Cursor> cursors = new HashMap<>();
    List<Long> ids = new ArrayList<>();
    for (ClientRefs c : clientsRefs) {
      cursors.put(c.client(), new Cursor(new ArrayList<>(c.refs())));
      ids.add(c.client());
    }
    if (ids.isEmpty()) {
      return null;
    }
    // higher client ids first: they are less likely to conflict with lower ones
    ids.sort(Long::compare);
    Deque<Ref> stack = new ArrayDeque<>();
    Map<Long, List<Ref>> restStructs = new LinkedHashMap<>();
    LongIntMap missingSV = new LongIntMap();
    LongIntMap state = new LongIntMap();

    Cursor cur = nextTarget(cursors, ids);
    if (cur == null) {
      return null;
    }
    Ref stackHead = cur.refs.get(cur.i++);
    while (true) {
      if (!(stackHead instanceof SkipRef)) {
        long headClient = stackHead.client;
        int localClock = state.getOrDefault(headClient, -1);
        if (localClock == -1) {
          localClock = store.state(headClient);
          state.put(headClient, localClock);
        }
        int offset = localClock - stackHead.clock;
        if (offset < 0) {
          // an earlier update from the same client is missing
          stack.push(stackHead);
          updateMissing(missingSV, headClient, stackHead.clock - 1);
          addStackToRest(stack, cursors, ids, restStructs);
        } else {
          long missing = stackHead instanceof ItemRef item ? item.getMissing(txn, store) : -1;
          if (missing != -1) {
            stack.push(stackHead);
            Cursor structRefs = cursors.get(missing);
            if (structRefs == null || structRefs.refs.size() == structRefs.i) {
              // depends on an update that has not arrived yet
              updateMissing(missingSV, missing, store.state(missing));
              addStackToRest(stack, cursors, ids, restStructs);
            } else {
              stackHead = structRefs.refs.get(structRefs.i++);
              continue;
            }
          } else if (offset == 0 || offset < stackHead.length) {
            int end = stackHead.end();
            switch (stackHead) {
              case ItemRef item -> item.integrate(txn, offset);
              case GCRef gc -> store.add(txn, new GC(gc.client, gc.clock + offset, gc.length - offset));
              case SkipRef skip -> throw new IllegalStateException("skips are never integrated");
            }
            state.put(headClient, end);
          }
        }
      }
      if (!stack.isEmpty()) {
        stackHead = stack.pop();
      } else if (cur != null && cur.i < cur.refs.size()) {
        stackHead = cur.refs.get(cur.i++);
      } else {
        cur = nextTarget(cursors, ids);
        if (cur == null) {
          break;
        }
        stackHead = cur.refs.get(cur.i++);
      }
    }
    if (restStructs.isEmpty()) {
      return null;
    }
    UpdateEncoder encoder = new UpdateEncoder();
    List<Long> restClients = new ArrayList<>(restStructs.keySet());
    restClients.sort((a, b) -> Long.compare(b, a));
    encoder.rest.writeVarUint(restClients.size());
    for (long client : restClients) {
      List<Ref> refs = restStructs.get(client);
      encoder.rest.writeVarUint(refs.size());
      encoder.writeClient(client);
      encoder.rest.writeVarUint(refs.get(0).clock);
      for (Ref ref : refs) {
        ref.write(encoder, 0);
      }
    }
    encoder.rest.writeVarUint(0); // no deletions
    return new StructStore.PendingStructs(missingSV, encoder.toByteArray());
  }

  private static Cursor nextTarget(Map<Long, Cursor> cursors, List<Long> ids) {
    while (!ids.isEmpty()) {
      Cursor c = cursors.get(ids.get(ids.size() - 1));
      if (c.refs.size() != c.i) {
        return c;
      }
      ids.remove(ids.size() - 1);
    }
    return null;
  }

  private static void updateMissing(LongIntMap missingSV, long client, int clock) {
    int m = missingSV.getOrDefault(client, -1);
    if (m == -1 || m > clock) {
      missingSV.put(client, clock);
    }
  }

  private static void addStackToRest(Deque<Ref> stack, Map<Long, Cursor> cursors, List<Long> ids, Map<Long, List<Ref>> rest) {
    // the stack is iterated bottom-up, as Yjs iterates its array
    List<Ref> items = new ArrayList<>(stack);
    java.util.Collections.reverse(items);
    for (Ref item : items) {
      long client = item.client;
      Cursor inapplicable = cursors.get(client);
      if (inapplicable != null) {
        inapplicable.i--;
        rest.put(client, new ArrayList<>(inapplicable.refs.subList(inapplicable.i, inapplicable.refs.size())));
        cursors.remove(client);
        inapplicable.i = 0;
        inapplicable.refs = new ArrayList<>();
      } else {
        rest.put(client, new ArrayList<>(List.of(item)));
      }
      ids.removeIf(c -> c == client);
    }
    stack.clear();
  }

  /** Deletes what the delete set covers; returns the part for content not seen yet as an encoded update, or null. */
  static byte[] applyDeleteSet(DeleteSet ds, Transaction txn, StructStore store) {
    DeleteSet unapplied = new DeleteSet();
    for (int c = 0; c < ds.clients.size(); c++) {
      long client = ds.clients.keyAt(c);
      DeleteSet.Ranges ranges = ds.clients.valueAt(c);
      StructList structs = store.list(client);
      int state = store.state(client);
      for (int k = 0; k < ranges.size; k++) {
        int clock = ranges.clocks[k];
        int clockEnd = clock + ranges.lens[k];
        if (clock < state) {
          if (state < clockEnd) {
            unapplied.add(client, state, clockEnd - state);
          }
          int index = structs.findIndex(clock);
          Struct struct = structs.get(index);
          if (!struct.isDeleted() && struct.clock < clock) {
            structs.insert(index + 1, Item.split(txn, (Item) struct, clock - struct.clock));
            index++;
          }
          while (index < structs.size()) {
            struct = structs.get(index++);
            if (struct.clock < clockEnd) {
              if (!struct.isDeleted()) {
                Item item = (Item) struct;
                if (clockEnd < item.clock + item.length) {
                  structs.insert(index, Item.split(txn, item, clockEnd - item.clock));
                }
                item.delete(txn);
              }
            } else {
              break;
            }
          }
        } else {
          unapplied.add(client, clock, clockEnd - clock);
        }
      }
    }
    if (unapplied.isEmpty()) {
      return null;
    }
    UpdateEncoder encoder = new UpdateEncoder();
    encoder.rest.writeVarUint(0); // no structs
    unapplied.write(encoder);
    return encoder.toByteArray();
  }

  // ---- encoding a document

  static void writeClientsStructs(UpdateEncoder encoder, StructStore store, LongIntMap targetSv) {
    LongIntMap sm = new LongIntMap();
    for (int i = 0; i < targetSv.size(); i++) {
      long client = targetSv.keyAt(i);
      int clock = targetSv.valueAt(i);
      if (store.state(client) > clock) {
        sm.put(client, clock);
      }
    }
    for (int c = 0; c < store.clients.size(); c++) {
      long client = store.clients.keyAt(c);
      if (!targetSv.containsKey(client)) {
        sm.put(client, 0);
      }
    }
    encoder.rest.writeVarUint(sm.size());
    List<Integer> order = new ArrayList<>(sm.size());
    for (int i = 0; i < sm.size(); i++) {
      order.add(i);
    }
    order.sort((a, b) -> Long.compare(sm.keyAt(b), sm.keyAt(a)));
    for (int i : order) {
      writeStructs(encoder, store.list(sm.keyAt(i)), sm.keyAt(i), sm.valueAt(i));
    }
  }

  static void writeStructs(UpdateEncoder encoder, StructList structs, long client, int clock) {
    clock = Math.max(clock, structs.get(0).clock);
    int start = structs.findIndex(clock);
    encoder.rest.writeVarUint(structs.size() - start);
    encoder.writeClient(client);
    encoder.rest.writeVarUint(clock);
    Struct first = structs.get(start);
    first.write(encoder, clock - first.clock);
    for (int i = start + 1; i < structs.size(); i++) {
      structs.get(i).write(encoder, 0);
    }
  }

  static byte[] encodeStateAsUpdate(YDoc doc, byte[] encodedTargetSv) {
    LongIntMap target = StateVectors.decode(encodedTargetSv);
    UpdateEncoder encoder = new UpdateEncoder(new ByteWriter(1024));
    writeClientsStructs(encoder, doc.store, target);
    DeleteSet.fromStore(doc.store).write(encoder);
    byte[] update = encoder.toByteArray();
    StructStore store = doc.store;
    if (store.pendingDeletes == null && store.pendingStructs == null) {
      return update;
    }
    List<byte[]> updates = new ArrayList<>(3);
    updates.add(update);
    if (store.pendingDeletes != null) {
      updates.add(store.pendingDeletes);
    }
    if (store.pendingStructs != null) {
      updates.add(Updates.diff(store.pendingStructs.update, encodedTargetSv));
    }
    return Updates.merge(updates);
  }
}
