package dev.roomtone.script.screenplay;

import dev.roomtone.script.crdt.YDoc;
import dev.roomtone.script.crdt.YText;

/**
 * The room's script in its shared document: Fountain text in {@code doc.getText("script")}.
 * Every other format is made from that text.
 */
public final class SharedScript {

  /** The name of the shared text that holds the script. */
  public static final String TEXT_NAME = "script";

  private SharedScript() {
  }

  public static YText text(YDoc doc) {
    return doc.getText(TEXT_NAME);
  }

  public static String fountain(YDoc doc) {
    return text(doc).toString();
  }

  public static Screenplay screenplay(YDoc doc) {
    return FountainParser.parse(fountain(doc));
  }

  /** Replaces the whole script in one transaction (an import). */
  public static void replace(YDoc doc, String fountain) {
    YText t = text(doc);
    doc.transact(txn -> {
      if (t.length() > 0) {
        t.delete(0, t.length());
      }
      if (!fountain.isEmpty()) {
        t.insert(0, fountain);
      }
    });
  }

  /** A document decoded from an encoded state (what the room answers), for exporting it. */
  public static YDoc decode(byte[] update) {
    YDoc doc = new YDoc();
    doc.applyUpdate(update);
    return doc;
  }
}
