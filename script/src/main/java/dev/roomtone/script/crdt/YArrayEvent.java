package dev.roomtone.script.crdt;

import java.util.Set;

/** A change to a {@link YArray}: see {@link #delta()}. */
public final class YArrayEvent extends YEvent {

  YArrayEvent(YArray target, Transaction transaction, Set<String> changedKeys) {
    super(target, transaction, changedKeys);
  }
}
