package dev.roomtone.script.crdt;

import java.util.Set;

/**
 * A root type that content arrived for before any local code asked for it by kind; asking for it
 * (e.g. {@link YDoc#getText}) turns it into that kind with its content.
 */
public final class YUntyped extends YType {

  YUntyped() {
  }

  @Override
  YType copyEmpty() {
    throw new UnsupportedOperationException("an untyped root cannot be copied");
  }

  @Override
  void writeTypeRef(UpdateEncoder encoder) {
    throw new UnsupportedOperationException("an untyped root is never nested");
  }

  @Override
  void callObserver(Transaction txn, Set<String> parentSubs) {
    clearMarkersOnRemoteChange(txn);
  }

  @Override
  public Object toJSON() {
    return Undefined.INSTANCE;
  }
}
