package dev.roomtone.script.crdt;

/** A custom XML node holding a map, identified by a hook name (Yjs's Y.XmlHook). */
public final class YXmlHook extends YMap {

  static final int TYPE_REF = 5;

  private final String hookName;

  public YXmlHook(String hookName) {
    this.hookName = hookName;
  }

  public String hookName() {
    return hookName;
  }

  /** What Yjs prints for a hook inside XML text (it has no textual form). */
  @Override
  public String toString() {
    return "[object Object]";
  }

  @Override
  YType copyEmpty() {
    return new YXmlHook(hookName);
  }

  @Override
  void writeTypeRef(UpdateEncoder encoder) {
    encoder.writeTypeRef(TYPE_REF);
    encoder.writeKey(hookName);
  }
}
