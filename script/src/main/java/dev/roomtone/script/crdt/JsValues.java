package dev.roomtone.script.crdt;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How JavaScript values stored in a shared document look in Java, and the few JavaScript semantics
 * that Yjs relies on. {@code undefined} is {@link Undefined#INSTANCE}; {@code null} is null; a
 * boolean a {@link Boolean}; a number a {@link Long} when it is an integer of at most 53 bits (and not
 * -0), else a {@link Double}; a bigint a {@link BigInteger}; a string a {@link String}; a Uint8Array a
 * {@code byte[]}; an array a {@link List}; an object a {@link Map} with string keys.
 */
public final class JsValues {

  /** Deepest nesting accepted when decoding values, so hostile input cannot overflow the stack. */
  static final int MAX_DEPTH = 512;

  private JsValues() {
  }

  /** A JavaScript number in its Java form. */
  public static Object number(double d) {
    if (d == Math.rint(d) && Math.abs(d) <= ByteReader.MAX_SAFE_INTEGER && !(d == 0 && 1 / d < 0)) {
      return (long) d;
    }
    return d;
  }

  static Map<String, Object> newObject() {
    return new LinkedHashMap<>();
  }

  /** {@code obj[key] = value}: a new key goes last, an existing key keeps its place. */
  static void put(Map<String, Object> obj, String key, Object value) {
    obj.put(key, value);
  }

  /**
   * Keys in the order JavaScript enumerates an object's own properties: array indices ascending,
   * then the other keys in insertion order.
   */
  static List<String> propertyOrder(Map<?, ?> map) {
    List<String> indices = null;
    List<String> others = new ArrayList<>(map.size());
    for (Object k : map.keySet()) {
      if (!(k instanceof String key)) {
        throw new IllegalArgumentException("object keys must be strings, got " + k);
      }
      if (isArrayIndex(key)) {
        if (indices == null) {
          indices = new ArrayList<>();
        }
        indices.add(key);
      } else {
        others.add(key);
      }
    }
    if (indices == null) {
      return others;
    }
    indices.sort((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)));
    indices.addAll(others);
    return indices;
  }

  static boolean isArrayIndex(String key) {
    int n = key.length();
    if (n == 0 || n > 10) {
      return false;
    }
    if (key.charAt(0) == '0') {
      return n == 1;
    }
    for (int i = 0; i < n; i++) {
      char c = key.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return Long.parseLong(key) < 0xFFFFFFFFL;
  }

  /** JavaScript's String(value) for the values a document holds. */
  static String toJsString(Object v) {
    return switch (v) {
      case null -> "null";
      case String s -> s;
      case Number n when !(n instanceof BigInteger) -> Double.isNaN(n.doubleValue()) ? "NaN"
          : Double.isInfinite(n.doubleValue()) ? (n.doubleValue() > 0 ? "Infinity" : "-Infinity") : JsJson.numberToString(n);
      case List<?> list -> {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < list.size(); i++) {
          if (i > 0) {
            sb.append(',');
          }
          Object e = list.get(i);
          sb.append(e == null || e == Undefined.INSTANCE ? "" : toJsString(e));
        }
        yield sb.toString();
      }
      case Map<?, ?> m -> "[object Object]";
      default -> v.toString();
    };
  }

  /** JavaScript truthiness: false, 0, NaN, "", null, undefined and 0n are falsy. */
  static boolean truthy(Object v) {
    return switch (v) {
      case null -> false;
      case Boolean b -> b;
      case String s -> !s.isEmpty();
      case BigInteger big -> big.signum() != 0;
      case Number n -> n.doubleValue() != 0 && !Double.isNaN(n.doubleValue());
      case Undefined u -> false;
      default -> true;
    };
  }

  /** JavaScript's {@code ===}: primitives by value, everything else by identity. */
  public static boolean strictEquals(Object a, Object b) {
    if (a == b) {
      return true;
    }
    if (a == null || b == null) {
      return false;
    }
    if (a instanceof Number x && b instanceof Number y && !(a instanceof BigInteger) && !(b instanceof BigInteger)) {
      return x.doubleValue() == y.doubleValue();
    }
    if (a instanceof String || a instanceof Boolean || a instanceof BigInteger) {
      return a.equals(b);
    }
    return false;
  }

  /** Yjs's attribute comparison: {@code ===}, or two objects with the same keys and {@code ===} values. */
  static boolean equalAttrs(Object a, Object b) {
    if (strictEquals(a, b)) {
      return true;
    }
    if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
      if (ma.size() != mb.size()) {
        return false;
      }
      for (Map.Entry<?, ?> e : ma.entrySet()) {
        if (!mb.containsKey(e.getKey()) || !strictEquals(e.getValue(), mb.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof List<?> la && b instanceof List<?> lb) {
      // arrays are objects too: equalFlat compares their indices
      if (la.size() != lb.size()) {
        return false;
      }
      for (int i = 0; i < la.size(); i++) {
        if (!strictEquals(la.get(i), lb.get(i))) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  /** Deep structural equality for tests and comparisons (numbers by value). */
  public static boolean deepEquals(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y && !(a instanceof BigInteger) && !(b instanceof BigInteger)) {
      return Double.compare(x.doubleValue(), y.doubleValue()) == 0 || x.doubleValue() == y.doubleValue();
    }
    if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
      if (ma.size() != mb.size()) {
        return false;
      }
      for (Map.Entry<?, ?> e : ma.entrySet()) {
        if (!mb.containsKey(e.getKey()) || !deepEquals(e.getValue(), mb.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof List<?> la && b instanceof List<?> lb) {
      if (la.size() != lb.size()) {
        return false;
      }
      for (int i = 0; i < la.size(); i++) {
        if (!deepEquals(la.get(i), lb.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof byte[] ba && b instanceof byte[] bb) {
      return java.util.Arrays.equals(ba, bb);
    }
    return Objects.equals(a, b);
  }
}
