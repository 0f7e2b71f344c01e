package dev.roomtone.script.screenplay;

import dev.roomtone.script.crdt.Subscription;
import dev.roomtone.script.crdt.YDoc;
import dev.roomtone.script.crdt.YText;
import java.util.List;
import java.util.Map;

/**
 * A parse of a room's script kept current from the shared text's change events, local and
 * remote: each event's delta becomes {@link ParsedScript#edit} calls, so only the edited scenes are
 * parsed again.
 */
public final class LiveScreenplay implements AutoCloseable {

  private final YText text;
  private final Subscription subscription;
  private volatile ParsedScript parsed;

  public LiveScreenplay(YDoc doc) {
    this.text = SharedScript.text(doc);
    this.parsed = ParsedScript.parse(text.toString());
    this.subscription = text.observe(e -> apply(e.delta()));
  }

  public ParsedScript current() {
    return parsed;
  }

  public Screenplay screenplay() {
    return parsed.screenplay();
  }

  private void apply(List<Map<String, Object>> delta) {
    ParsedScript p = parsed;
    int at = 0;
    for (Map<String, Object> op : delta) {
      if (op.get("retain") instanceof Number n) {
        at += n.intValue();
      } else if (op.get("insert") instanceof String s) {
        p = p.edit(at, 0, s);
        at += s.length();
      } else if (op.get("insert") != null) {
        // an embed counts one unit in the text but none in the script: re-read all
        parsed = ParsedScript.parse(text.toString());
        return;
      } else if (op.get("delete") instanceof Number n) {
        p = p.edit(at, n.intValue(), "");
      }
    }
    parsed = p;
  }

  @Override
  public void close() {
    subscription.close();
  }
}
