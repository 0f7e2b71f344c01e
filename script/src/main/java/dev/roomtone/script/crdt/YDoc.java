package dev.roomtone.script.crdt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * A shared document compatible with Yjs: named root types (text, maps, arrays, XML) edited in
 * transactions, exchanged with peers as Yjs v1 updates. Not thread-safe: one owner (e.g. the room's
 * actor) uses it at a time.
 */
public final class YDoc {

  /** Receives the encoded v1 update of every transaction that changed something. */
  @FunctionalInterface
  public interface UpdateListener {
    void onUpdate(byte[] update, Object origin, Transaction transaction);
  }

  final StructStore store = new StructStore();
  final Map<String, YType> share = new LinkedHashMap<>();
  private final boolean gc;
  private final String guid;
  private final RandomGenerator random;
  private long clientId;
  private Transaction transaction;
  private final List<Transaction> cleanups = new ArrayList<>();
  private final List<UpdateListener> updateListeners = new ArrayList<>();
  private final List<Consumer<Transaction>> afterTransactionListeners = new ArrayList<>();
  private final Set<YDoc> subdocs = new LinkedHashSet<>();
  /** Counter for search-marker ages; only their order within one type matters. */
  long markerClock;

  // sub-document state, as Yjs keeps it
  Item item;
  boolean shouldLoad = true;
  boolean autoLoad;
  Object meta;

  /** A document with a random client id and garbage collection on. */
  public YDoc() {
    this(builder());
  }

  /** A document with the given client id and garbage collection on. */
  public YDoc(long clientId) {
    this(builder().clientId(clientId));
  }

  private YDoc(Builder b) {
    this.gc = b.gc;
    this.random = b.random != null ? b.random : RandomGenerator.getDefault();
    this.guid = b.guid != null ? b.guid : UUID.randomUUID().toString();
    this.clientId = b.clientId != null ? checkClientId(b.clientId) : newClientId();
  }

  /** Options for a new document. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builder of {@link YDoc}: client id, garbage collection, guid and the random source for new client ids. */
  public static final class Builder {
    private Long clientId;
    private boolean gc = true;
    private String guid;
    private RandomGenerator random;

    private Builder() {
    }

    public Builder clientId(long clientId) {
      this.clientId = clientId;
      return this;
    }

    /** With gc off, deleted content is kept (needed for snapshots and undo across sessions). */
    public Builder gc(boolean gc) {
      this.gc = gc;
      return this;
    }

    public Builder guid(String guid) {
      this.guid = Objects.requireNonNull(guid);
      return this;
    }

    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random);
      return this;
    }

    public YDoc build() {
      return new YDoc(this);
    }
  }

  static YDoc subdocFromOptions(String guid, Map<?, ?> opts) {
    Object gcOpt = opts.get("gc");
    boolean gc = !opts.containsKey("gc") || gcOpt == Undefined.INSTANCE || JsValues.truthy(gcOpt);
    YDoc doc = builder().guid(guid).gc(gc).build();
    doc.autoLoad = opts.containsKey("autoLoad") && JsValues.truthy(opts.get("autoLoad"));
    Object meta = opts.get("meta");
    doc.meta = meta == Undefined.INSTANCE ? null : meta;
    doc.shouldLoad = JsValues.truthy(opts.get("shouldLoad")) || doc.autoLoad;
    return doc;
  }

  private static long checkClientId(long id) {
    if (id < 0 || id > ByteReader.MAX_SAFE_INTEGER) {
      throw new IllegalArgumentException("client id must be between 0 and 2^53-1, got " + id);
    }
    return id;
  }

  private long newClientId() {
    return random.nextLong(1L << 32);
  }

  /** This replica's client id: the first part of the id of everything it creates. */
  public long clientId() {
    return clientId;
  }

  /** Changes the client id (only safe before this replica creates content, or with a fresh id). */
  public void setClientId(long clientId) {
    this.clientId = checkClientId(clientId);
  }

  public boolean gc() {
    return gc;
  }

  public String guid() {
    return guid;
  }

  /** Sub-documents referenced from this document. */
  public Set<YDoc> subdocs() {
    return java.util.Collections.unmodifiableSet(subdocs);
  }

  // ---- root types

  public YText getText(String name) {
    return get(name, YText.class, YText::new);
  }

  public YMap getMap(String name) {
    return get(name, YMap.class, YMap::new);
  }

  public YArray getArray(String name) {
    return get(name, YArray.class, YArray::new);
  }

  public YXmlFragment getXmlFragment(String name) {
    return get(name, YXmlFragment.class, YXmlFragment::new);
  }

  public YXmlElement getXmlElement(String name) {
    return get(name, YXmlElement.class, YXmlElement::new);
  }

  /** The root type named {@code name} whatever its kind, or null if none is known yet. */
  public YType getRoot(String name) {
    return share.get(name);
  }

  /** Names of the root types known to this document. */
  public Set<String> rootNames() {
    return java.util.Collections.unmodifiableSet(share.keySet());
  }

  /** A root type that an update refers to before local code asked for it with a specific kind. */
  YType getUntyped(String name) {
    YType t = share.get(name);
    if (t == null) {
      t = new YUntyped();
      share.put(name, t);
      t.integrate(this, null);
    }
    return t;
  }

  private <T extends YType> T get(String name, Class<T> kind, Supplier<T> factory) {
    YType type = share.get(name);
    if (type == null) {
      T t = factory.get();
      share.put(name, t);
      t.integrate(this, null);
      return t;
    }
    if (type.getClass() == kind) {
      return kind.cast(type);
    }
    if (type instanceof YUntyped) {
      // adopt the content that arrived before anyone said what kind of type this is
      T t = factory.get();
      t.map = type.map;
      for (Item n : type.map.values()) {
        for (; n != null; n = n.left) {
          n.parent = t;
        }
      }
      t.start = type.start;
      for (Item n = t.start; n != null; n = n.right) {
        n.parent = t;
      }
      t.length = type.length;
      t.formatsSeen = type.formatsSeen;
      share.put(name, t);
      t.integrate(this, null);
      return t;
    }
    throw new IllegalStateException("root type '" + name + "' is already a " + type.getClass().getSimpleName()
        + ", not a " + kind.getSimpleName());
  }

  // ---- transactions

  /** Runs {@code f} as one transaction (nested calls join the outer one). */
  public void transact(Consumer<Transaction> f) {
    transact(f, null);
  }

  /** Runs {@code f} as one transaction whose origin observers and update listeners will see. */
  public void transact(Consumer<Transaction> f, Object origin) {
    transact(f, origin, true);
  }

  void transact(Consumer<Transaction> f, Object origin, boolean local) {
    boolean initialCall = false;
    if (transaction == null) {
      initialCall = true;
      transaction = new Transaction(this, origin, local);
      cleanups.add(transaction);
    }
    try {
      f.accept(transaction);
    } finally {
      if (initialCall) {
        boolean finishCleanup = transaction == cleanups.get(0);
        transaction = null;
        if (finishCleanup) {
          // observers may start new transactions; they are processed one after another
          cleanupTransactions(0);
        }
      }
    }
  }

  /** The transaction in progress, or null. */
  Transaction currentTransaction() {
    return transaction;
  }

  private void cleanupTransactions(int i) {
    if (i >= cleanups.size()) {
      return;
    }
    Transaction txn = cleanups.get(i);
    try {
      txn.deleteSet.sortAndMerge();
      txn.captureAfterState();
      callObservers(txn);
    } finally {
      try {
        txn.cleanup();
        if (!txn.local && txn.grew(clientId)) {
          // someone else created content with our id: pick a new one so our ids stay unique
          clientId = newClientId();
        }
        if (!updateListeners.isEmpty()) {
          byte[] update = txn.encodeUpdate();
          if (update != null) {
            for (UpdateListener l : List.copyOf(updateListeners)) {
              l.onUpdate(update, txn.origin, txn);
            }
          }
        }
        finishSubdocs(txn);
      } finally {
        if (cleanups.size() <= i + 1) {
          cleanups.clear();
        } else {
          cleanupTransactions(i + 1);
        }
      }
    }
  }

  /** Type observers, then deep observers, then after-transaction listeners; one failure does not stop the rest. */
  private void callObservers(Transaction txn) {
    RuntimeException first = null;
    RuntimeException[] failure = {null};
    txn.forEachChanged((type, keys) -> {
      if (type.item == null || !type.item.isDeleted()) {
        try {
          type.callObserver(txn, keys);
        } catch (RuntimeException ex) {
          failure[0] = collect(failure[0], ex);
        }
      }
    });
    first = failure[0];
    try {
      afterObservers(txn);
    } catch (RuntimeException ex) {
      first = collect(first, ex);
    }
    if (first != null) {
      throw first;
    }
  }

  private static RuntimeException collect(RuntimeException first, RuntimeException next) {
    if (first == null) {
      return next;
    }
    first.addSuppressed(next);
    return first;
  }

  private void afterObservers(Transaction txn) {
    if (txn.changedParentTypes != null) {
      for (Map.Entry<YType, List<YEvent>> e : txn.changedParentTypes.entrySet()) {
        YType type = e.getKey();
        if (!type.deepObservers.isEmpty() && (type.item == null || !type.item.isDeleted())) {
          List<YEvent> events = new ArrayList<>();
          for (YEvent ev : e.getValue()) {
            if (ev.target.item == null || !ev.target.item.isDeleted()) {
              ev.currentTarget = type;
              ev.path = null;
              events.add(ev);
            }
          }
          events.sort(java.util.Comparator.comparingInt(ev -> ev.path().size()));
          for (Consumer<List<YEvent>> l : List.copyOf(type.deepObservers)) {
            l.accept(events);
          }
        }
      }
    }
    if (!afterTransactionListeners.isEmpty()) {
      for (Consumer<Transaction> l : List.copyOf(afterTransactionListeners)) {
        l.accept(txn);
      }
    }
    if (txn.needFormattingCleanup) {
      YText.cleanupAfterTransaction(txn);
    }
  }

  private void finishSubdocs(Transaction txn) {
    if (txn.subdocsAdded != null) {
      for (YDoc sub : txn.subdocsAdded) {
        sub.clientId = clientId;
        subdocs.add(sub);
      }
    }
    if (txn.subdocsRemoved != null) {
      subdocs.removeAll(txn.subdocsRemoved);
    }
  }

  // ---- listeners

  /** Calls {@code listener} with the v1 update of every transaction that changed something. */
  public Subscription onUpdate(UpdateListener listener) {
    updateListeners.add(listener);
    return () -> updateListeners.remove(listener);
  }

  /** Calls {@code listener} after the observers of every transaction. */
  public Subscription onAfterTransaction(Consumer<Transaction> listener) {
    afterTransactionListeners.add(listener);
    return () -> afterTransactionListeners.remove(listener);
  }

  // ---- updates

  /**
   * Applies a Yjs v1 update from a peer. Parts whose dependencies are missing wait until they
   * arrive. A malformed update throws {@link MalformedUpdateException} and changes nothing.
   */
  public void applyUpdate(byte[] update) {
    applyUpdate(update, null);
  }

  public void applyUpdate(byte[] update, Object origin) {
    UpdateCodec.DecodedUpdate decoded = UpdateCodec.decode(update);
    transact(txn -> UpdateCodec.apply(txn, decoded), origin, false);
  }

  /**
   * Whether applying {@code update} would change anything here (content, deletions, or parts
   * waiting for their dependencies). Validates the update completely: a malformed one throws
   * {@link MalformedUpdateException}. Lets a server skip storing what it already has.
   */
  public boolean changes(byte[] update) {
    UpdateCodec.DecodedUpdate decoded = UpdateCodec.decode(update);
    for (UpdateCodec.ClientRefs c : decoded.clients()) {
      java.util.List<UpdateCodec.Ref> refs = c.refs();
      if (!refs.isEmpty() && refs.get(refs.size() - 1).end() > store.state(c.client())) {
        return true;
      }
    }
    DeleteSet ds = decoded.deleteSet();
    for (int i = 0; i < ds.clients.size(); i++) {
      long client = ds.clients.keyAt(i);
      DeleteSet.Ranges r = ds.clients.valueAt(i);
      StructList structs = store.list(client);
      int state = store.state(client);
      for (int k = 0; k < r.size; k++) {
        int clock = r.clocks[k];
        long end = (long) clock + r.lens[k];
        if (end > state) {
          return true;
        }
        for (int idx = structs.findIndex(clock); idx < structs.size() && structs.get(idx).clock < end; idx++) {
          if (!structs.get(idx).isDeleted()) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Everything this document holds, as one v1 update. */
  public byte[] encodeStateAsUpdate() {
    return UpdateCodec.encodeStateAsUpdate(this, null);
  }

  /** What a peer with the given encoded state vector lacks, as one v1 update. */
  public byte[] encodeStateAsUpdate(byte[] encodedStateVector) {
    return UpdateCodec.encodeStateAsUpdate(this, encodedStateVector);
  }

  /** This document's encoded state vector: for each client, the next clock it expects. */
  public byte[] encodeStateVector() {
    return StateVectors.encode(store.stateVector());
  }

  /** This document's state vector as a map from client id to next expected clock. */
  public Map<Long, Integer> stateVector() {
    return store.stateVector().toMap();
  }

  /** True while updates received earlier wait for content this document has not seen. */
  public boolean hasPendingUpdates() {
    return store.pendingStructs != null || store.pendingDeletes != null;
  }

  /**
   * Verifies the internal invariants (contiguous clocks, consistent links and lengths in every
   * type); throws {@link IllegalStateException} naming the first violation. For tests and diagnostics.
   */
  void checkIntegrity() {
    for (int c = 0; c < store.clients.size(); c++) {
      StructList structs = store.clients.valueAt(c);
      int expected = 0;
      for (int i = 0; i < structs.size(); i++) {
        Struct s = structs.get(i);
        if (s.clock != expected || s.length <= 0) {
          throw new IllegalStateException("client " + store.clients.keyAt(c) + ": struct at clock " + s.clock
              + " (length " + s.length + ") where clock " + expected + " was expected");
        }
        expected += s.length;
      }
    }
    for (YType root : share.values()) {
      checkType(root);
    }
  }

  private void checkType(YType type) {
    int visible = 0;
    Item prev = null;
    for (Item n = type.start; n != null; n = n.right) {
      if (n.left != prev || n.parent != type || n.parentSub != null) {
        throw new IllegalStateException("broken list link at " + n);
      }
      if (n.visible()) {
        visible += n.length;
      }
      if (n.content instanceof ContentType ct && !n.isDeleted()) {
        checkType(ct.type);
      }
      prev = n;
    }
    if (visible != type.length) {
      throw new IllegalStateException("type length " + type.length + " but " + visible + " visible");
    }
    for (Map.Entry<String, Item> e : type.map.entrySet()) {
      Item n = e.getValue();
      if (n.right != null) {
        throw new IllegalStateException("map entry " + e.getKey() + " is not the newest value");
      }
      for (; n != null; n = n.left) {
        if (n.parent != type || !e.getKey().equals(n.parentSub) || (n.left != null && n.left.right != n)) {
          throw new IllegalStateException("broken map chain at " + n);
        }
        if (n.content instanceof ContentType ct && !n.isDeleted()) {
          checkType(ct.type);
        }
      }
    }
  }

  /** All root types as JSON-like values. */
  public Map<String, Object> toJSON() {
    Map<String, Object> out = new LinkedHashMap<>();
    share.forEach((k, v) -> {
      if (!(v instanceof YUntyped)) {
        out.put(k, v.toJSON());
      }
    });
    return out;
  }

  @Override
  public String toString() {
    return "YDoc(" + guid + ", client " + clientId + ")";
  }
}
