package dev.roomtone.script.crdt;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code JSON.stringify} and {@code JSON.parse} with JavaScript's exact output, because Yjs stores
 * embeds, format values and legacy JSON content as JSON text and peers must produce identical bytes.
 */
public final class JsJson {

  private JsJson() {
  }

  /** {@code JSON.stringify(value)}; returns {@code "undefined"} for undefined, as Yjs writes it. */
  public static String stringify(Object value) {
    if (value == Undefined.INSTANCE) {
      return "undefined";
    }
    StringBuilder sb = new StringBuilder();
    write(sb, value, 0);
    return sb.toString();
  }

  private static void write(StringBuilder sb, Object value, int depth) {
    if (depth > JsValues.MAX_DEPTH) {
      throw new IllegalArgumentException("value nested deeper than " + JsValues.MAX_DEPTH + " levels");
    }
    switch (value) {
      case null -> sb.append("null");
      case String s -> quote(sb, s);
      case Boolean b -> sb.append(b);
      case BigInteger big -> throw new IllegalArgumentException("JSON cannot hold a BigInt: " + big);
      case Number n -> sb.append(Double.isFinite(n.doubleValue()) ? numberToString(n) : "null");
      case List<?> list -> {
        sb.append('[');
        for (int i = 0; i < list.size(); i++) {
          if (i > 0) {
            sb.append(',');
          }
          Object v = list.get(i);
          write(sb, v == Undefined.INSTANCE ? null : v, depth + 1);
        }
        sb.append(']');
      }
      case byte[] bytes -> {
        // JSON.stringify(Uint8Array) gives an object keyed by index
        sb.append('{');
        for (int i = 0; i < bytes.length; i++) {
          if (i > 0) {
            sb.append(',');
          }
          sb.append('"').append(i).append("\":").append(bytes[i] & 0xFF);
        }
        sb.append('}');
      }
      case Map<?, ?> map -> {
        sb.append('{');
        boolean first = true;
        for (String key : JsValues.propertyOrder(map)) {
          Object v = map.get(key);
          if (v == Undefined.INSTANCE) {
            continue;
          }
          if (!first) {
            sb.append(',');
          }
          first = false;
          quote(sb, key);
          sb.append(':');
          write(sb, v, depth + 1);
        }
        sb.append('}');
      }
      case Undefined u -> sb.append("null");
      default -> throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " as JSON");
    }
  }

  private static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          boolean loneSurrogate = Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1)));
          if (Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1))) {
            loneSurrogate = false;
          }
          if (c < 0x20 || loneSurrogate) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  /** ECMAScript Number::toString for a finite number. */
  static String numberToString(Number n) {
    if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
      long l = n.longValue();
      if (Math.abs(l) < 1_000_000_000_000_000_000L) {
        return Long.toString(l);
      }
    }
    double d = n.doubleValue();
    if (d == 0) {
      return "0";
    }
    String sign = d < 0 ? "-" : "";
    double abs = Math.abs(d);
    BigDecimal bd = new BigDecimal(Double.toString(abs)).stripTrailingZeros();
    String digits = bd.unscaledValue().toString();
    int exp = digits.length() - bd.scale(); // value = 0.digits * 10^exp
    if (digits.length() == 2) {
      // Java may print two digits where one suffices; JavaScript wants the shortest
      String shorter = shortestOneDigit(abs, digits, exp);
      if (shorter != null) {
        digits = shorter.substring(0, 1);
        exp = exp + (shorter.length() - 1);
      }
    }
    int k = digits.length();
    StringBuilder sb = new StringBuilder(sign);
    if (k <= exp && exp <= 21) {
      sb.append(digits);
      sb.append("0".repeat(exp - k));
    } else if (0 < exp && exp <= 21) {
      sb.append(digits, 0, exp).append('.').append(digits, exp, k);
    } else if (-6 < exp && exp <= 0) {
      sb.append("0.").append("0".repeat(-exp)).append(digits);
    } else {
      sb.append(digits.charAt(0));
      if (k > 1) {
        sb.append('.').append(digits, 1, k);
      }
      int e = exp - 1;
      sb.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
    }
    return sb.toString();
  }

  /** Returns a one-digit significand (plus marker length for a carry) that reads back as {@code abs}, or null. */
  private static String shortestOneDigit(double abs, String digits, int exp) {
    int first = digits.charAt(0) - '0';
    String best = null;
    BigDecimal bestDist = null;
    BigDecimal exact = new BigDecimal(abs);
    for (int cand = first; cand <= first + 1; cand++) {
      String candDigits = cand == 10 ? "10" : Integer.toString(cand);
      BigDecimal value = new BigDecimal(new BigInteger(Integer.toString(cand)), -(exp - 1));
      if (value.doubleValue() == abs) {
        BigDecimal dist = value.subtract(exact).abs();
        if (bestDist == null || dist.compareTo(bestDist) < 0) {
          bestDist = dist;
          best = candDigits;
        }
      }
    }
    return best;
  }

  /** {@code JSON.parse(text)} into the Java forms described in {@link JsValues}. */
  public static Object parse(String text) {
    Parser p = new Parser(text);
    p.skipWs();
    Object v = p.value(0);
    p.skipWs();
    if (p.pos != text.length()) {
      throw p.error("unexpected content after the JSON value");
    }
    return v;
  }

  private static final class Parser {
    private final String s;
    private int pos;

    Parser(String s) {
      this.s = s;
    }

    IllegalArgumentException error(String problem) {
      return new IllegalArgumentException("invalid JSON: " + problem + " at position " + pos);
    }

    void skipWs() {
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
          pos++;
        } else {
          break;
        }
      }
    }

    Object value(int depth) {
      if (depth > JsValues.MAX_DEPTH) {
        throw error("nesting deeper than " + JsValues.MAX_DEPTH + " levels");
      }
      if (pos >= s.length()) {
        throw error("unexpected end");
      }
      char c = s.charAt(pos);
      switch (c) {
        case '{': {
          pos++;
          Map<String, Object> obj = JsValues.newObject();
          skipWs();
          if (peek() == '}') {
            pos++;
            return obj;
          }
          while (true) {
            skipWs();
            if (peek() != '"') {
              throw error("expected a string key");
            }
            String key = string();
            skipWs();
            expect(':');
            skipWs();
            JsValues.put(obj, key, value(depth + 1));
            skipWs();
            char n = next();
            if (n == '}') {
              return obj;
            }
            if (n != ',') {
              pos--;
              throw error("expected ',' or '}'");
            }
          }
        }
        case '[': {
          pos++;
          List<Object> arr = new ArrayList<>();
          skipWs();
          if (peek() == ']') {
            pos++;
            return arr;
          }
          while (true) {
            skipWs();
            arr.add(value(depth + 1));
            skipWs();
            char n = next();
            if (n == ']') {
              return arr;
            }
            if (n != ',') {
              pos--;
              throw error("expected ',' or ']'");
            }
          }
        }
        case '"':
          return string();
        case 't':
          literal("true");
          return Boolean.TRUE;
        case 'f':
          literal("false");
          return Boolean.FALSE;
        case 'n':
          literal("null");
          return null;
        default:
          if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
          }
          throw error("unexpected character '" + c + "'");
      }
    }

    private char peek() {
      if (pos >= s.length()) {
        throw error("unexpected end");
      }
      return s.charAt(pos);
    }

    private char next() {
      char c = peek();
      pos++;
      return c;
    }

    private void expect(char c) {
      if (next() != c) {
        pos--;
        throw error("expected '" + c + "'");
      }
    }

    private void literal(String word) {
      if (!s.startsWith(word, pos)) {
        throw error("unexpected token");
      }
      pos += word.length();
    }

    private Object number() {
      int start = pos;
      if (s.charAt(pos) == '-') {
        pos++;
      }
      if (pos < s.length() && s.charAt(pos) == '0') {
        pos++;
      } else {
        digits();
      }
      if (pos < s.length() && s.charAt(pos) == '.') {
        pos++;
        digits();
      }
      if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
        pos++;
        if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
          pos++;
        }
        digits();
      }
      return JsValues.number(Double.parseDouble(s.substring(start, pos)));
    }

    private void digits() {
      int start = pos;
      while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
        pos++;
      }
      if (pos == start) {
        throw error("expected a digit");
      }
    }

    private String string() {
      pos++; // opening quote
      StringBuilder sb = null;
      int runStart = pos;
      while (true) {
        if (pos >= s.length()) {
          throw error("unterminated string");
        }
        char c = s.charAt(pos);
        if (c == '"') {
          String tail = s.substring(runStart, pos);
          pos++;
          return sb == null ? tail : sb.append(tail).toString();
        }
        if (c < 0x20) {
          throw error("control character in string");
        }
        if (c == '\\') {
          if (sb == null) {
            sb = new StringBuilder();
          }
          sb.append(s, runStart, pos);
          pos++;
          char e = next();
          switch (e) {
            case '"' -> sb.append('"');
            case '\\' -> sb.append('\\');
            case '/' -> sb.append('/');
            case 'b' -> sb.append('\b');
            case 'f' -> sb.append('\f');
            case 'n' -> sb.append('\n');
            case 'r' -> sb.append('\r');
            case 't' -> sb.append('\t');
            case 'u' -> {
              if (pos + 4 > s.length()) {
                throw error("truncated \\u escape");
              }
              int cp = 0;
              for (int i = 0; i < 4; i++) {
                int h = Character.digit(s.charAt(pos + i), 16);
                if (h < 0) {
                  throw error("bad \\u escape");
                }
                cp = cp * 16 + h;
              }
              pos += 4;
              sb.append((char) cp);
            }
            default -> {
              pos--;
              throw error("bad escape '\\" + e + "'");
            }
          }
          runStart = pos;
        } else {
          pos++;
        }
      }
    }
  }
}
