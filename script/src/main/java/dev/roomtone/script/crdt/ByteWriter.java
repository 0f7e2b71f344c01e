package dev.roomtone.script.crdt;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Growable byte buffer writing the lib0 binary encoding that Yjs uses: variable-length integers,
 * length-prefixed UTF-8 strings and the self-describing "any" values.
 */
final class ByteWriter {

  private byte[] buf;
  private int pos;

  ByteWriter() {
    this(64);
  }

  ByteWriter(int capacity) {
    buf = new byte[Math.max(16, capacity)];
  }

  int length() {
    return pos;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, pos);
  }

  private void ensure(int extra) {
    if (pos + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + extra));
    }
  }

  void writeUint8(int b) {
    ensure(1);
    buf[pos++] = (byte) b;
  }

  void writeBytes(byte[] bytes) {
    writeBytes(bytes, 0, bytes.length);
  }

  void writeBytes(byte[] bytes, int offset, int len) {
    ensure(len);
    System.arraycopy(bytes, offset, buf, pos, len);
    pos += len;
  }

  /** Unsigned LEB128, as lib0's writeVarUint (values up to 2^53 in practice). */
  void writeVarUint(long num) {
    ensure(10);
    while (num > 0x7F) {
      buf[pos++] = (byte) (0x80 | (num & 0x7F));
      num >>>= 7;
    }
    buf[pos++] = (byte) num;
  }

  /**
   * lib0's signed varint: the first byte carries a continuation bit, a sign bit and six value
   * bits; the magnitude follows in 7-bit groups. {@code negative} distinguishes -0 from 0.
   */
  void writeVarInt(long magnitude, boolean negative) {
    ensure(11);
    buf[pos++] = (byte) ((magnitude > 0x3F ? 0x80 : 0) | (negative ? 0x40 : 0) | (magnitude & 0x3F));
    magnitude >>>= 6;
    while (magnitude > 0) {
      buf[pos++] = (byte) ((magnitude > 0x7F ? 0x80 : 0) | (magnitude & 0x7F));
      magnitude >>>= 7;
    }
  }

  void writeVarInt(long num) {
    writeVarInt(Math.abs(num), num < 0);
  }

  void writeVarBytes(byte[] bytes) {
    writeVarUint(bytes.length);
    writeBytes(bytes);
  }

  /** Length-prefixed UTF-8; lone surrogates become U+FFFD exactly as TextEncoder does. */
  void writeVarString(CharSequence s) {
    int n = s.length();
    int byteLen = Utf8.encodedLength(s);
    writeVarUint(byteLen);
    ensure(byteLen);
    if (byteLen == n) {
      for (int i = 0; i < n; i++) {
        buf[pos++] = (byte) s.charAt(i);
      }
    } else {
      pos = Utf8.encode(s, buf, pos);
    }
  }

  void writeFloat32(float f) {
    int bits = Float.floatToRawIntBits(f);
    ensure(4);
    buf[pos++] = (byte) (bits >>> 24);
    buf[pos++] = (byte) (bits >>> 16);
    buf[pos++] = (byte) (bits >>> 8);
    buf[pos++] = (byte) bits;
  }

  void writeFloat64(double d) {
    writeInt64(Double.doubleToRawLongBits(d));
  }

  void writeInt64(long bits) {
    ensure(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      buf[pos++] = (byte) (bits >>> shift);
    }
  }

  /**
   * Writes a value in lib0's "any" encoding with the type decisions JavaScript makes: a number is
   * written as a varint when it is an integer within 31 bits, as float32 when that is exact, else as
   * float64; map keys in JavaScript property order.
   */
  void writeAny(Object value) {
    writeAny(value, 0);
  }

  private void writeAny(Object value, int depth) {
    if (depth > JsValues.MAX_DEPTH) {
      throw new IllegalArgumentException("value nested deeper than " + JsValues.MAX_DEPTH + " levels");
    }
    switch (value) {
      case null -> writeUint8(126);
      case String s -> {
        writeUint8(119);
        writeVarString(s);
      }
      case Boolean b -> writeUint8(b ? 120 : 121);
      case BigInteger big -> {
        if (big.bitLength() > 63) {
          throw new IllegalArgumentException("BigInt does not fit in 64 bits: " + big);
        }
        writeUint8(122);
        writeInt64(big.longValue());
      }
      case Number num -> writeNumber(num);
      case byte[] bytes -> {
        writeUint8(116);
        writeVarBytes(bytes);
      }
      case List<?> list -> {
        writeUint8(117);
        writeVarUint(list.size());
        for (Object o : list) {
          writeAny(o, depth + 1);
        }
      }
      case Map<?, ?> map -> {
        writeUint8(118);
        List<String> keys = JsValues.propertyOrder(map);
        writeVarUint(keys.size());
        for (String key : keys) {
          writeVarString(key);
          writeAny(map.get(key), depth + 1);
        }
      }
      case Undefined u -> writeUint8(127);
      default -> throw new IllegalArgumentException("cannot encode a " + value.getClass().getName() + " in a shared document");
    }
  }

  private void writeNumber(Number num) {
    double d = num.doubleValue();
    if (num instanceof Long l && (l > (1L << 53) || l < -(1L << 53))) {
      d = l; // precision loss is what JavaScript would do with this number too
    }
    if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) <= Integer.MAX_VALUE) {
      writeUint8(125);
      boolean negative = d < 0 || (d == 0 && 1 / d < 0);
      writeVarInt((long) Math.abs(d), negative);
    } else if ((double) (float) d == d) { // NaN fails this test, as in JavaScript
      writeUint8(124);
      writeFloat32((float) d);
    } else {
      writeUint8(123);
      writeFloat64(d);
    }
  }
}
