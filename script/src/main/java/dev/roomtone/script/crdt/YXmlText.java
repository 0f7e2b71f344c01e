package dev.roomtone.script.crdt;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Formatted text inside XML, compatible with Yjs's Y.XmlText. */
public final class YXmlText extends YText {

  static final int TYPE_REF = 6;

  public YXmlText() {
  }

  public YXmlText(String initial) {
    super(initial);
  }

  @Override
  YType copyEmpty() {
    return new YXmlText();
  }

  @Override
  void writeTypeRef(UpdateEncoder encoder) {
    encoder.writeTypeRef(TYPE_REF);
  }

  /** The text with formatting rendered as nested tags, as Yjs renders it. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Map<String, Object> op : toDelta()) {
      List<String> nodes = new ArrayList<>();
      Object attributes = op.get("attributes");
      if (attributes instanceof Map<?, ?> attrs) {
        for (Object node : attrs.keySet()) {
          nodes.add((String) node);
        }
      }
      nodes.sort(null);
      for (String node : nodes) {
        sb.append('<').append(node);
        if (((Map<?, ?>) attributes).get(node) instanceof Map<?, ?> nodeAttrs) {
          List<String> keys = new ArrayList<>();
          for (Object k : nodeAttrs.keySet()) {
            keys.add((String) k);
          }
          keys.sort(null);
          for (String k : keys) {
            sb.append(' ').append(k).append("=\"").append(JsValues.toJsString(nodeAttrs.get(k))).append('"');
          }
        }
        sb.append('>');
      }
      sb.append(JsValues.toJsString(op.get("insert")));
      for (int i = nodes.size() - 1; i >= 0; i--) {
        sb.append("</").append(nodes.get(i)).append('>');
      }
    }
    return sb.toString();
  }

  @Override
  public Object toJSON() {
    return toString();
  }
}
