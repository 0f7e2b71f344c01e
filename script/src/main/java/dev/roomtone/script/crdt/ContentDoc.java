package dev.roomtone.script.crdt;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A sub-document reference: its guid and the options Yjs keeps for it. */
final class ContentDoc implements Content {

  static final int REF = 9;
  final YDoc doc;
  final Map<String, Object> opts;

  ContentDoc(YDoc doc) {
    this.doc = doc;
    // Yjs rebuilds the options from the document, so only these three survive a round trip
    Map<String, Object> o = new LinkedHashMap<>();
    if (!doc.gc()) {
      o.put("gc", false);
    }
    if (doc.autoLoad) {
      o.put("autoLoad", true);
    }
    if (doc.meta != null) {
      o.put("meta", doc.meta);
    }
    this.opts = o;
  }

  static ContentDoc read(UpdateDecoder decoder) {
    String guid = decoder.readString();
    Object raw = decoder.readAny();
    if (!(raw instanceof Map<?, ?> opts)) {
      throw decoder.error("sub-document options must be an object");
    }
    return new ContentDoc(YDoc.subdocFromOptions(guid, opts));
  }

  @Override
  public int length() {
    return 1;
  }

  @Override
  public boolean countable() {
    return true;
  }

  @Override
  public List<Object> values() {
    return List.of(doc);
  }

  @Override
  public Content copy() {
    return new ContentDoc(YDoc.subdocFromOptions(doc.guid(), opts));
  }

  @Override
  public Content splice(int offset) {
    throw new UnsupportedOperationException("document content has length 1");
  }

  @Override
  public boolean mergeWith(Content right) {
    return false;
  }

  @Override
  public void integrate(Transaction txn, Item item) {
    doc.item = item;
    txn.subdocAdded(doc);
    if (doc.shouldLoad) {
      txn.subdocLoaded(doc);
    }
  }

  @Override
  public void delete(Transaction txn) {
    txn.subdocRemoved(doc);
  }

  @Override
  public void write(UpdateEncoder encoder, int offset) {
    encoder.writeString(doc.guid());
    encoder.writeAny(opts);
  }

  @Override
  public int ref() {
    return REF;
  }
}
