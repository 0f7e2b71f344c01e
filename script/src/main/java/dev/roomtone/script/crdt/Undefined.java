package dev.roomtone.script.crdt;

/** JavaScript's {@code undefined}, which Yjs can store in arrays and maps; distinct from {@code null}. */
public final class Undefined {

  /** The only instance. */
  public static final Undefined INSTANCE = new Undefined();

  private Undefined() {
  }

  @Override
  public String toString() {
    return "undefined";
  }
}
