package dev.roomtone.script.crdt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A unit of change to a {@link YDoc}: everything done inside one {@code transact} call. Observers and
 * the update event see one transaction at a time; afterwards deleted content is collected and
 * adjacent runs are merged.
 */
public final class Transaction {

  final YDoc doc;
  private static final Set<String> LIST_ONLY = Collections.singleton(null);

  final DeleteSet deleteSet = new DeleteSet();
  /**
   * Clients that got new structs in this transaction, with their clock before it and (from the
   * start of the cleanup) after it. A document never loses structs, so every other client's
   * state is unchanged and needs no snapshot: a transaction costs nothing per known client.
   */
  private long[] grownClients;
  private int[] grownBefore;
  private int[] grownAfter;
  private int grownCount;
  private int lastGrown = -1;
  /**
   * Changed types, each with the map keys that changed (null: the list part changed). Most
   * transactions change one type, kept in two fields; further types go to a map made on demand.
   */
  private YType firstChanged;
  private Set<String> firstChangedKeys;
  private Map<YType, Set<String>> moreChanged;
  /** Events by ancestor type, for deep observers; allocated on first use. */
  Map<YType, List<YEvent>> changedParentTypes;
  /** Items split in this transaction, to be merged again if possible; allocated on first use. */
  private List<Item> mergeStructs;
  final Object origin;
  boolean local;
  Set<YDoc> subdocsAdded;
  Set<YDoc> subdocsRemoved;
  Set<YDoc> subdocsLoaded;
  boolean needFormattingCleanup;
  private Map<String, Object> meta;

  Transaction(YDoc doc, Object origin, boolean local) {
    this.doc = doc;
    this.origin = origin;
    this.local = local;
  }

  /** The document this transaction changes. */
  public YDoc doc() {
    return doc;
  }

  /** What the caller passed as origin (e.g. the connection an update came from), or null. */
  public Object origin() {
    return origin;
  }

  /** True when the change was made through this document's API, false when it came from an update. */
  public boolean local() {
    return local;
  }

  /** Scratch space for observers of this transaction. */
  public Map<String, Object> meta() {
    if (meta == null) {
      meta = new HashMap<>();
    }
    return meta;
  }

  /** The types whose content this transaction changed (types created in it are not listed). */
  public Set<YType> changedTypes() {
    Set<YType> out = new LinkedHashSet<>();
    forEachChanged((type, keys) -> out.add(type));
    return Collections.unmodifiableSet(out);
  }

  /** Calls {@code f} for each changed type with its changed keys, in the order they first changed. */
  void forEachChanged(java.util.function.BiConsumer<YType, Set<String>> f) {
    if (firstChanged != null) {
      f.accept(firstChanged, firstChangedKeys);
    }
    if (moreChanged != null) {
      for (Map.Entry<YType, Set<String>> e : List.copyOf(moreChanged.entrySet())) {
        f.accept(e.getKey(), e.getValue());
      }
    }
  }

  private Set<String> changedKeys(YType type) {
    if (type == firstChanged) {
      return firstChangedKeys;
    }
    return moreChanged == null ? null : moreChanged.get(type);
  }

  private void putChangedKeys(YType type, Set<String> keys) {
    if (firstChanged == null && moreChanged == null) {
      firstChanged = type;
      firstChangedKeys = keys;
    } else if (type == firstChanged) {
      firstChangedKeys = keys;
    } else {
      if (moreChanged == null) {
        moreChanged = new LinkedHashMap<>();
      }
      moreChanged.put(type, keys);
    }
  }

  void recordEvent(YType type, YEvent event) {
    if (changedParentTypes == null) {
      changedParentTypes = new LinkedHashMap<>();
    }
    changedParentTypes.computeIfAbsent(type, t -> new ArrayList<>()).add(event);
  }

  void subdocAdded(YDoc sub) {
    if (subdocsAdded == null) {
      subdocsAdded = new LinkedHashSet<>();
    }
    subdocsAdded.add(sub);
  }

  void subdocLoaded(YDoc sub) {
    if (subdocsLoaded == null) {
      subdocsLoaded = new LinkedHashSet<>();
    }
    subdocsLoaded.add(sub);
  }

  void subdocRemoved(YDoc sub) {
    if (subdocsAdded != null && subdocsAdded.remove(sub)) {
      return;
    }
    if (subdocsRemoved == null) {
      subdocsRemoved = new LinkedHashSet<>();
    }
    subdocsRemoved.add(sub);
  }

  void mergeLater(Item item) {
    if (mergeStructs == null) {
      mergeStructs = new ArrayList<>();
    }
    mergeStructs.add(item);
  }

  void forgetChanged(YType type) {
    if (type == firstChanged) {
      // keep the slot taken so that later types still come after the earlier ones
      firstChanged = null;
      firstChangedKeys = null;
      if (moreChanged == null) {
        moreChanged = new LinkedHashMap<>();
      }
    } else if (moreChanged != null) {
      moreChanged.remove(type);
    }
  }

  // ---- the state vector before and after this transaction

  private int grownIndex(long client) {
    if (lastGrown >= 0 && grownClients[lastGrown] == client) {
      return lastGrown;
    }
    for (int i = 0; i < grownCount; i++) {
      if (grownClients[i] == client) {
        lastGrown = i;
        return i;
      }
    }
    return -1;
  }

  /** Called before a struct of {@code client} is added to the store, whose state is then {@code stateBefore}. */
  void noteGrowth(long client, int stateBefore) {
    if (grownIndex(client) >= 0) {
      return;
    }
    if (grownClients == null) {
      grownClients = new long[1];
      grownBefore = new int[1];
    } else if (grownCount == grownClients.length) {
      grownClients = java.util.Arrays.copyOf(grownClients, grownCount * 2);
      grownBefore = java.util.Arrays.copyOf(grownBefore, grownCount * 2);
    }
    grownClients[grownCount] = client;
    grownBefore[grownCount] = stateBefore;
    lastGrown = grownCount++;
  }

  /** The clock {@code client} had when this transaction began. */
  int before(long client) {
    int i = grownIndex(client);
    return i >= 0 ? grownBefore[i] : doc.store.state(client);
  }

  /** Records the state of the grown clients as the transaction's end state. */
  void captureAfterState() {
    grownAfter = new int[grownCount];
    for (int i = 0; i < grownCount; i++) {
      grownAfter[i] = doc.store.state(grownClients[i]);
    }
  }

  int grownCount() {
    return grownCount;
  }

  long grownClient(int i) {
    return grownClients[i];
  }

  int grownBefore(int i) {
    return grownBefore[i];
  }

  int grownAfter(int i) {
    return grownAfter[i];
  }

  /** Whether this transaction created structs of {@code client}. */
  boolean grew(long client) {
    return grownIndex(client) >= 0;
  }

  /** Whether the struct with this id was created in this transaction. */
  boolean adds(Struct s) {
    return s.clock >= before(s.client);
  }

  /** Whether the struct with this id was deleted in this transaction. */
  boolean deletes(Struct s) {
    return deleteSet.contains(s.client, s.clock);
  }

  int nextClock() {
    return doc.store.state(doc.clientId());
  }

  void addChangedType(YType type, String parentSub) {
    Item item = type.item;
    if (item == null || (item.clock < before(item.client) && !item.isDeleted())) {
      Set<String> subs = changedKeys(type);
      if (subs == null) {
        // most transactions change only the list part of a type
        putChangedKeys(type, parentSub == null ? LIST_ONLY : new HashSet<>(Collections.singleton(parentSub)));
      } else if (!subs.contains(parentSub)) {
        if (subs == LIST_ONLY) {
          subs = new HashSet<>(subs);
          putChangedKeys(type, subs);
        }
        subs.add(parentSub);
      }
    }
  }

  /** Whether anything happened that peers need to hear about. */
  boolean hasChanges() {
    return grownCount > 0 || !deleteSet.isEmpty();
  }

  /** Encodes what this transaction changed as a v1 update, or null when nothing changed. */
  byte[] encodeUpdate() {
    if (!hasChanges()) {
      return null;
    }
    deleteSet.sortAndMerge();
    UpdateEncoder encoder = new UpdateEncoder();
    // the structs this transaction created: per grown client, from its clock before it, highest id first
    encoder.rest.writeVarUint(grownCount);
    Integer[] order = new Integer[grownCount];
    for (int i = 0; i < grownCount; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Long.compare(grownClients[b], grownClients[a]));
    for (int i : order) {
      UpdateCodec.writeStructs(encoder, doc.store.list(grownClients[i]), grownClients[i], grownBefore[i]);
    }
    deleteSet.write(encoder);
    return encoder.toByteArray();
  }

  // ---- cleanup: collect deleted content and merge adjacent runs, as Yjs does after each transaction

  private static int tryToMergeWithLefts(StructList structs, int pos) {
    Struct right = structs.get(pos);
    int i = pos;
    for (; i > 0; i--) {
      Struct left = structs.get(i - 1);
      if (left.isDeleted() == right.isDeleted() && left.getClass() == right.getClass() && left.mergeWith(right)) {
        if (right instanceof Item r && r.parentSub != null && r.parent.map.get(r.parentSub) == r) {
          r.parent.map.put(r.parentSub, (Item) left);
        }
        right = left;
        continue;
      }
      break;
    }
    int merged = pos - i;
    if (merged > 0) {
      structs.remove(pos + 1 - merged, merged);
    }
    return merged;
  }

  void tryGcDeleteSet(StructStore store) {
    for (int c = 0; c < deleteSet.clients.size(); c++) {
      StructList structs = store.list(deleteSet.clients.keyAt(c));
      DeleteSet.Ranges ranges = deleteSet.clients.valueAt(c);
      for (int di = ranges.size - 1; di >= 0; di--) {
        int dsClock = ranges.clocks[di];
        long endClock = (long) dsClock + ranges.lens[di];
        for (int si = structs.findIndex(dsClock); si < structs.size(); si++) {
          Struct struct = structs.get(si);
          if (struct.clock >= endClock) {
            break;
          }
          if (struct instanceof Item item && item.isDeleted() && !item.keep()) {
            item.gc(store, false);
          }
        }
      }
    }
  }

  void tryMergeDeleteSet(StructStore store) {
    // right to left, so merging never skips a candidate
    for (int c = 0; c < deleteSet.clients.size(); c++) {
      StructList structs = store.list(deleteSet.clients.keyAt(c));
      DeleteSet.Ranges ranges = deleteSet.clients.valueAt(c);
      for (int di = ranges.size - 1; di >= 0; di--) {
        int dsClock = ranges.clocks[di];
        int lastClock = dsClock + ranges.lens[di] - 1;
        int si = Math.min(structs.size() - 1, 1 + structs.findIndex(lastClock));
        while (si > 0 && structs.get(si).clock >= dsClock) {
          si -= 1 + tryToMergeWithLefts(structs, si);
        }
      }
    }
  }

  /** Runs after the observers: collect, merge, notify. */
  void cleanup() {
    StructStore store = doc.store;
    if (grownAfter == null) {
      captureAfterState();
    }
    if (doc.gc()) {
      tryGcDeleteSet(store);
    }
    tryMergeDeleteSet(store);
    for (int i = 0; i < grownCount; i++) {
      long client = grownClients[i];
      int clock = grownAfter[i];
      int beforeClock = grownBefore[i];
      if (beforeClock != clock) {
        StructList structs = store.list(client);
        int firstChangePos = Math.max(structs.findIndex(beforeClock), 1);
        for (int j = structs.size() - 1; j >= firstChangePos; ) {
          j -= 1 + tryToMergeWithLefts(structs, j);
        }
      }
    }
    for (int i = mergeStructs == null ? -1 : mergeStructs.size() - 1; i >= 0; i--) {
      Item s = mergeStructs.get(i);
      StructList structs = store.list(s.client);
      int replacedStructPos = structs.findIndex(s.clock);
      if (replacedStructPos + 1 < structs.size()) {
        if (tryToMergeWithLefts(structs, replacedStructPos + 1) > 1) {
          continue;
        }
      }
      if (replacedStructPos > 0) {
        tryToMergeWithLefts(structs, replacedStructPos);
      }
    }
  }
}
