package dev.roomtone.script.crdt;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** lib0's binary encoding: variable-length integers, strings, and "any" values. */
class ByteCodecTest {

  private static byte[] bytes(int... b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = (byte) b[i];
    }
    return out;
  }

  @Test
  void varUintRoundTripsAndMatchesKnownBytes() {
    ByteWriter w = new ByteWriter();
    w.writeVarUint(0);
    w.writeVarUint(127);
    w.writeVarUint(128);
    w.writeVarUint(300);
    w.writeVarUint((1L << 53) - 1);
    byte[] b = w.toByteArray();
    assertArrayEquals(bytes(0, 0x7F, 0x80, 0x01, 0xAC, 0x02), java.util.Arrays.copyOf(b, 6));
    ByteReader r = new ByteReader(b);
    assertEquals(0, r.readVarUint());
    assertEquals(127, r.readVarUint());
    assertEquals(128, r.readVarUint());
    assertEquals(300, r.readVarUint());
    assertEquals((1L << 53) - 1, r.readVarUint());
    assertTrue(!r.hasContent());
  }

  @Test
  void varIntKeepsSignAndNegativeZero() {
    ByteWriter w = new ByteWriter();
    w.writeVarInt(-1);
    w.writeVarInt(63);
    w.writeVarInt(64);
    w.writeVarInt(0, true);
    assertArrayEquals(bytes(0x41, 0x3F, 0x80, 0x01, 0x40), w.toByteArray());
    ByteReader r = new ByteReader(w.toByteArray());
    assertEquals(-1, r.readVarInt());
    assertEquals(63, r.readVarInt());
    assertEquals(64, r.readVarInt());
    double negZero = r.readVarIntAsDouble();
    assertEquals(0, Double.compare(-0.0, negZero));
  }

  @Test
  void stringsAreUtf8WithLoneSurrogatesReplaced() {
    ByteWriter w = new ByteWriter();
    w.writeVarString("aé😀\ud800");
    assertArrayEquals(bytes(10, 'a', 0xC3, 0xA9, 0xF0, 0x9F, 0x98, 0x80, 0xEF, 0xBF, 0xBD), w.toByteArray());
    assertEquals("aé😀\ufffd", new ByteReader(w.toByteArray()).readVarString());
    // overlong encoding of '/', and an encoded surrogate: both refused
    assertThrows(MalformedUpdateException.class, () -> new ByteReader(bytes(2, 0xC0, 0xAF)).readVarString());
    assertThrows(MalformedUpdateException.class, () -> new ByteReader(bytes(3, 0xED, 0xA0, 0x80)).readVarString());
  }

  @Test
  void anyValuesUseJavaScriptTypeDecisions() {
    Map<String, Object> obj = new LinkedHashMap<>();
    obj.put("b", 1L);
    obj.put("1", "one");
    Object[] values = {null, Undefined.INSTANCE, true, false, 5L, -5L, 1.5, 0.1, 1e300, 4294967296L, "s",
      new byte[] {1, 2}, List.of(1L, "x"), obj, BigInteger.valueOf(-7)};
    ByteWriter w = new ByteWriter();
    for (Object v : values) {
      w.writeAny(v);
    }
    ByteReader r = new ByteReader(w.toByteArray());
    for (Object v : values) {
      Object back = r.readAny();
      assertTrue(JsValues.deepEquals(v instanceof Number n && !(v instanceof BigInteger) ? JsValues.number(n.doubleValue()) : v, back),
          () -> v + " came back as " + back);
    }
    // 0.1 is not a float32: it must be written as float64 (tag 123); 1.5 is (tag 124); 2^32 too
    ByteWriter tags = new ByteWriter();
    tags.writeAny(1.5);
    tags.writeAny(0.1);
    tags.writeAny(4294967296L);
    byte[] t = tags.toByteArray();
    assertEquals(124, t[0] & 0xFF);
    assertEquals(123, t[5] & 0xFF);
    assertEquals(124, t[14] & 0xFF);
    // JavaScript orders integer-like keys first
    ByteWriter ow = new ByteWriter();
    ow.writeAny(obj);
    Map<?, ?> back = (Map<?, ?>) new ByteReader(ow.toByteArray()).readAny();
    assertEquals(List.of("1", "b"), List.copyOf(back.keySet()));
  }

  @Test
  void hostileCountsAndNestingAreRefusedWithoutAllocating() {
    // an array claiming 2^40 elements, with none present
    assertThrows(MalformedUpdateException.class, () -> new ByteReader(bytes(117, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20)).readAny());
    byte[] deep = new byte[5000];
    java.util.Arrays.fill(deep, 0, 4999, (byte) 117);
    for (int i = 0; i < 4999; i += 2) {
      deep[i] = 117;
      deep[i + 1] = 1;
    }
    MalformedUpdateException e = assertThrows(MalformedUpdateException.class, () -> new ByteReader(deep).readAny());
    assertTrue(e.getMessage().contains("nested deeper"), e.getMessage());
    assertThrows(MalformedUpdateException.class, () -> new ByteReader(bytes(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F)).readVarUint());
  }
}
