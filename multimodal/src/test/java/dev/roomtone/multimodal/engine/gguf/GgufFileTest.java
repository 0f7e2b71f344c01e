package dev.roomtone.multimodal.engine.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roomtone.multimodal.engine.gguf.GgufValue.GgufArray;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufFileTest {
  @TempDir Path dir;

  private static byte[] floats(float... f) {
    ByteBuffer b = ByteBuffer.allocate(f.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float x : f) {
      b.putFloat(x);
    }
    return b.array();
  }

  private GgufWriter sample() {
    return new GgufWriter()
        .put("general.architecture", GgufValue.string("llama"))
        .put("u8", new GgufValue(GgufValueType.UINT8, 200L))
        .put("i8", new GgufValue(GgufValueType.INT8, -5L))
        .put("u16", new GgufValue(GgufValueType.UINT16, 60000L))
        .put("i16", new GgufValue(GgufValueType.INT16, -300L))
        .put("u32", GgufValue.u32(4_000_000_000L))
        .put("i32", new GgufValue(GgufValueType.INT32, -70000L))
        .put("f32", GgufValue.f32(1.5f))
        .put("bool", GgufValue.bool(true))
        .put("str", GgufValue.string("INT. WRITERS' ROOM – NIGHT ☕"))
        .put("u64", new GgufValue(GgufValueType.UINT64, 1L << 40))
        .put("i64", new GgufValue(GgufValueType.INT64, -(1L << 40)))
        .put("f64", new GgufValue(GgufValueType.FLOAT64, Math.PI))
        .put("arr.str", GgufValue.strings("a", "bé", ""))
        .put("arr.f32", GgufValue.floats(1f, -2f))
        .put("arr.i32", GgufValue.ints(GgufValueType.INT32, 1, -2, 3))
        .put("arr.nested", new GgufValue(GgufValueType.ARRAY, new GgufArray(GgufValueType.ARRAY,
            new GgufArray[] {new GgufArray(GgufValueType.UINT8, new long[] {1, 2})})))
        .tensor("a", GgmlType.F32, floats(1, 2, 3), 3)
        .tensor("b", GgmlType.F32, floats(4, 5, 6, 7, 8, 9), 3, 2);
  }

  private Path write(byte[] bytes) throws IOException {
    Path p = dir.resolve("m.gguf");
    Files.write(p, bytes);
    return p;
  }

  private GgufException refused(byte[] bytes) throws IOException {
    Path p = write(bytes);
    return assertThrows(GgufException.class, () -> GgufFile.open(p).close());
  }

  @Test
  void readsEveryValueTypeAndTheTensorsBackAtAlignedOffsets() throws IOException {
    try (GgufFile f = GgufFile.open(write(sample().toBytes()))) {
      assertEquals("llama", f.string("general.architecture"));
      assertEquals(200, f.integer("u8"));
      assertEquals(-5, f.integer("i8"));
      assertEquals(60000, f.integer("u16"));
      assertEquals(-300, f.integer("i16"));
      assertEquals(4_000_000_000L, f.integer("u32"));
      assertEquals(-70000, f.integer("i32"));
      assertEquals(1.5, f.number("f32"));
      assertTrue(f.bool("bool", false));
      assertEquals("INT. WRITERS' ROOM – NIGHT ☕", f.string("str"));
      assertEquals(1L << 40, f.integer("u64"));
      assertEquals(-(1L << 40), f.integer("i64"));
      assertEquals(Math.PI, f.number("f64"));
      assertArrayEquals(new String[] {"a", "bé", ""}, f.strings("arr.str"));
      assertArrayEquals(new float[] {1f, -2f}, (float[]) f.array("arr.f32").elements());
      assertArrayEquals(new long[] {1, -2, 3}, (long[]) f.array("arr.i32").elements());
      GgufArray nested = ((GgufArray[]) f.array("arr.nested").elements())[0];
      assertArrayEquals(new long[] {1, 2}, (long[]) nested.elements());
      assertEquals(0, f.dataStart() % 32);
      GgufTensorInfo b = f.tensor("b");
      assertEquals(0, b.offset() % 32);
      assertEquals(2, b.rows());
      ByteBuffer data = f.tensorData(b);
      assertEquals(9f, data.getFloat(20));
      assertEquals(3f, f.tensorData(f.tensor("a")).getFloat(8));
    }
  }

  @Test
  void honoursACustomAlignment() throws IOException {
    byte[] bytes = sample().put("general.alignment", GgufValue.u32(64)).toBytes();
    try (GgufFile f = GgufFile.open(write(bytes))) {
      assertEquals(64, f.alignment());
      assertEquals(0, f.dataStart() % 64);
      assertEquals(64, f.tensor("b").offset());
      assertEquals(4f, f.tensorData(f.tensor("b")).getFloat(0));
    }
  }

  @Test
  void refusesABadMagic() throws IOException {
    byte[] bytes = sample().toBytes();
    bytes[0] = 'X';
    assertTrue(refused(bytes).getMessage().contains("bad magic"), "message names the magic");
  }

  @Test
  void refusesAnEmptyFile() throws IOException {
    assertTrue(refused(new byte[0]).getMessage().contains("not a GGUF file"));
  }

  @Test
  void refusesAnotherVersion() throws IOException {
    byte[] bytes = sample().toBytes();
    bytes[4] = 2;
    assertTrue(refused(bytes).getMessage().contains("unsupported GGUF version 2"));
  }

  @Test
  void refusesATruncatedHeaderAtEveryCut() throws IOException {
    byte[] bytes = sample().toBytes();
    int headerEnd = indexOf(bytes, "b".getBytes(StandardCharsets.UTF_8), 300) + 40;
    for (int cut = 4; cut < headerEnd; cut += 7) {
      GgufException e = refused(Arrays.copyOf(bytes, cut));
      assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("impossible"),
          "cut at " + cut + ": " + e.getMessage());
    }
  }

  @Test
  void refusesTensorDataThatRunsPastTheEnd() throws IOException {
    byte[] bytes = sample().toBytes();
    long end;
    try (GgufFile f = GgufFile.open(write(bytes))) {
      end = f.dataStart() + f.tensor("b").offset() + f.tensor("b").bytes();
    }
    GgufException e = refused(Arrays.copyOf(bytes, (int) end - 4));
    assertTrue(e.getMessage().contains("size mismatch: tensor b"), e.getMessage());
  }

  @Test
  void refusesAnUnknownTensorTypeByName() throws IOException {
    byte[] bytes = sample().toBytes();
    int typeAt = tensorTypeOffset(bytes, "b", 2);
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(typeAt, 13); // Q5_K
    GgufException e = refused(bytes);
    assertTrue(e.getMessage().contains("tensor b has tensor type Q5_K"), e.getMessage());
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(typeAt, 999);
    assertTrue(refused(bytes).getMessage().contains("unknown (code 999)"));
  }

  @Test
  void refusesAMisalignedTensorOffset() throws IOException {
    byte[] bytes = sample().toBytes();
    int typeAt = tensorTypeOffset(bytes, "b", 2);
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(typeAt + 4, 33);
    assertTrue(refused(bytes).getMessage().contains("not a multiple of the alignment 32"));
  }

  @Test
  void refusesARowThatIsNotWholeBlocks() throws IOException {
    byte[] bytes = new GgufWriter().tensor("q", GgmlType.F32, new byte[34 * 4], 34).toBytes();
    int typeAt = tensorTypeOffset(bytes, "q", 1);
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(typeAt, GgmlType.Q8_0.code);
    assertTrue(refused(bytes).getMessage().contains("not a multiple of the block size 32"));
  }

  @Test
  void refusesAnUnknownValueType() throws IOException {
    byte[] bytes = new GgufWriter().put("k", GgufValue.u32(1)).toBytes();
    // magic, version, tensor count, kv count, key length, "k", then the type
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(4 + 4 + 8 + 8 + 8 + 1, 77);
    assertTrue(refused(bytes).getMessage().contains("metadata k has unknown value type 77"));
  }

  @Test
  void refusesAnAbsurdCount() throws IOException {
    byte[] bytes = sample().toBytes();
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(16, Long.MAX_VALUE);
    assertTrue(refused(bytes).getMessage().contains("metadata count"));
  }

  @Test
  void namesAMissingOrMistypedKey() throws IOException {
    try (GgufFile f = GgufFile.open(write(sample().toBytes()))) {
      GgufException missing = assertThrows(GgufException.class,
          () -> f.integer("llama.block_count"));
      assertTrue(missing.getMessage().contains("missing key llama.block_count"));
      GgufException mistyped = assertThrows(GgufException.class, () -> f.integer("str"));
      assertTrue(mistyped.getMessage().contains("key str should be an integer but is STRING"));
      assertTrue(assertThrows(GgufException.class, () -> f.tensor("nope")).getMessage()
          .contains("missing tensor nope"));
    }
  }

  static int tensorTypeOffset(byte[] bytes, String name, int dims) {
    byte[] needle = ByteBuffer.allocate(8 + name.length()).order(ByteOrder.LITTLE_ENDIAN)
        .putLong(name.length()).put(name.getBytes(StandardCharsets.UTF_8)).array();
    int at = lastIndexOf(bytes, needle);
    return at + needle.length + 4 + 8 * dims;
  }

  private static int indexOf(byte[] hay, byte[] needle, int from) {
    outer:
    for (int i = from; i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static int lastIndexOf(byte[] hay, byte[] needle) {
    int found = -1;
    for (int i = indexOf(hay, needle, 0); i >= 0; i = indexOf(hay, needle, i + 1)) {
      found = i;
    }
    return found;
  }
}
