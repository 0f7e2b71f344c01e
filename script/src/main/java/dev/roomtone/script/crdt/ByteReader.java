package dev.roomtone.script.crdt;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Bounds-checked reader of lib0's binary encoding. Every failure is a {@link MalformedUpdateException}
 * naming what was expected and where; declared counts never drive allocation, so a lying length
 * cannot exhaust memory.
 */
final class ByteReader {

  /** Largest integer lib0 reads exactly (Number.MAX_SAFE_INTEGER). */
  static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

  private final byte[] buf;
  private final int end;
  private int pos;

  ByteReader(byte[] buf) {
    this(buf, 0, buf.length);
  }

  ByteReader(byte[] buf, int offset, int length) {
    this.buf = buf;
    this.pos = offset;
    this.end = offset + length;
  }

  int position() {
    return pos;
  }

  boolean hasContent() {
    return pos < end;
  }

  int remaining() {
    return end - pos;
  }

  MalformedUpdateException error(String problem) {
    return new MalformedUpdateException(problem, pos);
  }

  private MalformedUpdateException truncated(String what) {
    return new MalformedUpdateException("truncated input: " + what + " runs past the end", pos);
  }

  int readUint8() {
    if (pos >= end) {
      throw truncated("a byte");
    }
    return buf[pos++] & 0xFF;
  }

  long readVarUint() {
    int start = pos;
    long num = 0;
    int shift = 0;
    while (pos < end) {
      int r = buf[pos++] & 0xFF;
      if (shift >= 56) {
        throw new MalformedUpdateException("integer larger than 2^53", start);
      }
      num |= (long) (r & 0x7F) << shift;
      shift += 7;
      if (r < 0x80) {
        if (num > MAX_SAFE_INTEGER) {
          throw new MalformedUpdateException("integer larger than 2^53", start);
        }
        return num;
      }
    }
    throw truncated("a variable-length integer");
  }

  /** A varuint that must fit a non-negative int, e.g. a clock, length or count. */
  int readVarUintInt(String what) {
    int start = pos;
    long v = readVarUint();
    if (v > Integer.MAX_VALUE) {
      throw new MalformedUpdateException(what + " " + v + " is out of range", start);
    }
    return (int) v;
  }

  /** lib0 signed varint; returns the value as a double so that -0 survives. */
  double readVarIntAsDouble() {
    int start = pos;
    int r = readUint8();
    long num = r & 0x3F;
    boolean negative = (r & 0x40) != 0;
    if ((r & 0x80) != 0) {
      int shift = 6;
      while (true) {
        if (pos >= end) {
          throw truncated("a variable-length integer");
        }
        r = buf[pos++] & 0xFF;
        if (shift >= 55) {
          throw new MalformedUpdateException("integer larger than 2^53", start);
        }
        num |= (long) (r & 0x7F) << shift;
        shift += 7;
        if (r < 0x80) {
          break;
        }
      }
      if (num > MAX_SAFE_INTEGER) {
        throw new MalformedUpdateException("integer larger than 2^53", start);
      }
    }
    return negative ? -(double) num : (double) num;
  }

  long readVarInt() {
    double d = readVarIntAsDouble();
    return (long) d;
  }

  byte[] readBytes(int len) {
    if (len > end - pos) {
      throw truncated("a " + len + "-byte field");
    }
    byte[] out = new byte[len];
    System.arraycopy(buf, pos, out, 0, len);
    pos += len;
    return out;
  }

  byte[] readVarBytes() {
    int len = readVarUintInt("byte length");
    return readBytes(len);
  }

  String readVarString() {
    int len = readVarUintInt("string length");
    if (len > end - pos) {
      throw truncated("a " + len + "-byte string");
    }
    String s = Utf8.decode(buf, pos, len);
    if (s == null) {
      throw error("string is not valid UTF-8");
    }
    pos += len;
    return s;
  }

  float readFloat32() {
    if (end - pos < 4) {
      throw truncated("a float32");
    }
    int bits = ((buf[pos] & 0xFF) << 24) | ((buf[pos + 1] & 0xFF) << 16) | ((buf[pos + 2] & 0xFF) << 8) | (buf[pos + 3] & 0xFF);
    pos += 4;
    return Float.intBitsToFloat(bits);
  }

  long readInt64() {
    if (end - pos < 8) {
      throw truncated("a 64-bit value");
    }
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (buf[pos++] & 0xFF);
    }
    return v;
  }

  /** Reads one lib0 "any" value into the Java representation described in {@link JsValues}. */
  Object readAny() {
    return readAny(0);
  }

  private Object readAny(int depth) {
    if (depth > JsValues.MAX_DEPTH) {
      throw error("value nested deeper than " + JsValues.MAX_DEPTH + " levels");
    }
    int start = pos;
    int tag = readUint8();
    switch (tag) {
      case 127:
        return Undefined.INSTANCE;
      case 126:
        return null;
      case 125:
        return JsValues.number(readVarIntAsDouble());
      case 124:
        return JsValues.number(readFloat32());
      case 123:
        return JsValues.number(Double.longBitsToDouble(readInt64()));
      case 122:
        return BigInteger.valueOf(readInt64());
      case 121:
        return Boolean.FALSE;
      case 120:
        return Boolean.TRUE;
      case 119:
        return readVarString();
      case 118: {
        long count = readVarUint();
        Map<String, Object> obj = JsValues.newObject();
        for (long i = 0; i < count; i++) {
          if (pos >= end) {
            throw truncated("an object");
          }
          String key = readVarString();
          JsValues.put(obj, key, readAny(depth + 1));
        }
        return obj;
      }
      case 117: {
        long count = readVarUint();
        List<Object> arr = new ArrayList<>((int) Math.min(count, 16));
        for (long i = 0; i < count; i++) {
          if (pos >= end) {
            throw truncated("an array");
          }
          arr.add(readAny(depth + 1));
        }
        return arr;
      }
      case 116:
        return readVarBytes();
      default:
        throw new MalformedUpdateException("unknown value type tag " + tag, start);
    }
  }
}
