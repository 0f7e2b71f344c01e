package dev.roomtone.script.crdt;

/** Handle of a registered observer or listener; closing it unregisters. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

  @Override
  void close();
}
