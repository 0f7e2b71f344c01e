package dev.roomtone.script.crdt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An XML element with a node name, attributes and children, compatible with Yjs's Y.XmlElement. */
public final class YXmlElement extends YXmlFragment {

  static final int TYPE_REF = 3;

  private final String nodeName;
  private Map<String, Object> prelimAttrs = new LinkedHashMap<>();

  public YXmlElement() {
    this("UNDEFINED");
  }

  public YXmlElement(String nodeName) {
    this.nodeName = nodeName;
  }

  public String nodeName() {
    return nodeName;
  }

  @Override
  void integrate(YDoc doc, Item item) {
    super.integrate(doc, item);
    Map<String, Object> attrs = prelimAttrs;
    prelimAttrs = null;
    attrs.forEach(this::setAttribute);
  }

  @Override
  YType copyEmpty() {
    return new YXmlElement(nodeName);
  }

  @Override
  void writeTypeRef(UpdateEncoder encoder) {
    encoder.writeTypeRef(TYPE_REF);
    encoder.writeKey(nodeName);
  }

  public void setAttribute(String name, Object value) {
    if (doc == null) {
      prelimAttrs.put(name, value);
      return;
    }
    doc.transact(txn -> mapSet(txn, name, value));
  }

  public void removeAttribute(String name) {
    if (doc == null) {
      prelimAttrs.remove(name);
      return;
    }
    doc.transact(txn -> mapDelete(txn, name));
  }

  public Object getAttribute(String name) {
    return mapGet(name);
  }

  public Map<String, Object> getAttributes() {
    return mapGetAll();
  }

  @Override
  public String toString() {
    Map<String, Object> attrs = getAttributes();
    List<String> keys = new ArrayList<>(attrs.keySet());
    keys.sort(null);
    StringBuilder sb = new StringBuilder();
    String name = nodeName.toLowerCase(java.util.Locale.ROOT);
    sb.append('<').append(name);
    for (String k : keys) {
      sb.append(' ').append(k).append("=\"").append(JsValues.toJsString(attrs.get(k))).append('"');
    }
    sb.append('>').append(super.toString()).append("</").append(name).append('>');
    return sb.toString();
  }
}
