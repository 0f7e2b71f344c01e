package dev.roomtone.script.crdt;

import java.util.Set;

/** A change to a {@link YMap}: see {@link #keys()} and {@link #keysChanged()}. */
public final class YMapEvent extends YEvent {

  YMapEvent(YMap target, Transaction transaction, Set<String> changedKeys) {
    super(target, transaction, changedKeys);
  }

  /** The keys this transaction touched. */
  public Set<String> keysChanged() {
    return java.util.Collections.unmodifiableSet(changedKeys);
  }
}
