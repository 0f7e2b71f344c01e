package dev.roomtone.script.crdt;

import java.util.HashSet;
import java.util.Set;

/** A change to an XML fragment or element: children (see {@link #delta()}) and attributes. */
public final class YXmlEvent extends YEvent {

  YXmlEvent(YXmlFragment target, Transaction transaction, Set<String> changedKeys) {
    super(target, transaction, changedKeys);
  }

  public boolean childListChanged() {
    return changedKeys.contains(null);
  }

  public Set<String> attributesChanged() {
    Set<String> out = new HashSet<>(changedKeys);
    out.remove(null);
    return out;
  }
}
