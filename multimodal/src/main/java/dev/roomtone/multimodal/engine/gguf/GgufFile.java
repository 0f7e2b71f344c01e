package dev.roomtone.multimodal.engine.gguf;

import dev.roomtone.multimodal.engine.gguf.GgufValue.GgufArray;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A GGUF v3 model file, memory-mapped read-only. The whole header is parsed and checked when the
 * file is opened; tensor bytes stay on disk until a kernel touches them.
 */
public final class GgufFile implements AutoCloseable {
  public static final int MAGIC = 0x46554747; // "GGUF" read little-endian
  public static final int VERSION = 3;
  public static final int DEFAULT_ALIGNMENT = 32;

  private final Path path;
  private final FileChannel channel;
  private final long fileSize;
  private final Map<String, GgufValue> metadata;
  private final Map<String, GgufTensorInfo> tensors;
  private final long dataStart;
  private final int alignment;

  private GgufFile(Path path, FileChannel channel, long fileSize, Map<String, GgufValue> metadata,
      Map<String, GgufTensorInfo> tensors, long dataStart, int alignment) {
    this.path = path;
    this.channel = channel;
    this.fileSize = fileSize;
    this.metadata = metadata;
    this.tensors = tensors;
    this.dataStart = dataStart;
    this.alignment = alignment;
  }

  /** Opens and validates a file; throws {@link GgufException} naming what is wrong. */
  public static GgufFile open(Path path) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
    try {
      long size = ch.size();
      ByteBuffer head = ch.map(FileChannel.MapMode.READ_ONLY, 0, Math.min(size, Integer.MAX_VALUE))
          .order(ByteOrder.LITTLE_ENDIAN);
      return parse(path, ch, size, head);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  private static GgufFile parse(Path path, FileChannel ch, long size, ByteBuffer b) {
    String what = path.getFileName().toString();
    Reader r = new Reader(b, what);
    if (size < 4) {
      throw new GgufException(what + ": not a GGUF file (only " + size + " bytes)");
    }
    int magic = b.getInt();
    if (magic != MAGIC) {
      throw new GgufException(String.format(
          "%s: not a GGUF file (bad magic 0x%08x at offset 0, expected \"GGUF\")", what, magic));
    }
    long version = r.u32("version");
    if (version != VERSION) {
      throw new GgufException(what + ": unsupported GGUF version " + version
          + " (this engine reads version " + VERSION + ")");
    }
    long tensorCount = r.count("tensor count", 8 + 4 + 8 + 8 + 8);
    long kvCount = r.count("metadata count", 8 + 4);
    Map<String, GgufValue> meta = new LinkedHashMap<>();
    for (long i = 0; i < kvCount; i++) {
      String key = r.string("key of metadata entry " + i);
      long typeCode = r.u32("type of metadata " + key);
      GgufValueType type = GgufValueType.ofCode(typeCode);
      if (type == null) {
        throw new GgufException(what + ": metadata " + key + " has unknown value type " + typeCode
            + " at offset " + (b.position() - 4));
      }
      GgufValue value = new GgufValue(type, r.value(type, key, 0));
      if (meta.put(key, value) != null) {
        throw new GgufException(what + ": metadata key " + key + " appears twice");
      }
    }
    int alignment = DEFAULT_ALIGNMENT;
    GgufValue al = meta.get("general.alignment");
    if (al != null) {
      if (al.type() != GgufValueType.UINT32) {
        throw new GgufException(what + ": general.alignment must be UINT32, found " + al.type());
      }
      long a = (Long) al.value();
      if (a <= 0 || a > (1 << 20) || (a & (a - 1)) != 0) {
        throw new GgufException(what + ": general.alignment " + a + " is not a power of two");
      }
      alignment = (int) a;
    }
    Map<String, GgufTensorInfo> tensors = new LinkedHashMap<>();
    for (long i = 0; i < tensorCount; i++) {
      String name = r.string("name of tensor " + i);
      long nDims = r.u32("dimension count of tensor " + name);
      if (nDims < 1 || nDims > 4) {
        throw new GgufException(what + ": tensor " + name + " has " + nDims
            + " dimensions (1 to 4 allowed)");
      }
      long[] dims = new long[(int) nDims];
      long elements = 1;
      for (int d = 0; d < nDims; d++) {
        dims[d] = r.i64("dimension " + d + " of tensor " + name);
        if (dims[d] <= 0 || dims[d] > (1L << 40)) {
          throw new GgufException(what + ": tensor " + name + " has invalid dimension " + d + " = "
              + dims[d]);
        }
        elements = Math.multiplyExact(elements, dims[d]);
      }
      long typeCode = r.u32("type of tensor " + name);
      GgmlType type = GgmlType.ofCode(typeCode);
      if (type == null) {
        throw new GgufException(what + ": tensor " + name + " has tensor type "
            + GgmlType.ggmlName(typeCode) + " (code " + typeCode
            + "), which this engine does not support; supported: F32, F16, BF16, Q8_0, Q4_0,"
            + " Q4_K, Q6_K");
      }
      if (dims[0] % type.blockSize != 0) {
        throw new GgufException(what + ": tensor " + name + " of type " + type + " has row length "
            + dims[0] + ", not a multiple of the block size " + type.blockSize);
      }
      long offset = r.i64("offset of tensor " + name);
      if (offset < 0 || offset % alignment != 0) {
        throw new GgufException(what + ": tensor " + name + " has offset " + offset
            + ", not a multiple of the alignment " + alignment);
      }
      if (tensors.put(name, new GgufTensorInfo(name, dims, type, offset)) != null) {
        throw new GgufException(what + ": tensor " + name + " appears twice");
      }
    }
    long dataStart = align(b.position(), alignment);
    for (GgufTensorInfo t : tensors.values()) {
      long end = dataStart + t.offset() + t.bytes();
      if (end > size) {
        throw new GgufException(what + ": size mismatch: tensor " + t.name() + " (" + t.type()
            + ", " + t.bytes() + " bytes at data offset " + t.offset() + ") ends at byte " + end
            + " but the file has " + size + " bytes (truncated?)");
      }
      if (t.bytes() > Integer.MAX_VALUE) {
        throw new GgufException(what + ": tensor " + t.name() + " is larger than 2 GiB ("
            + t.bytes() + " bytes), which this engine cannot map");
      }
    }
    return new GgufFile(path, ch, size, Collections.unmodifiableMap(meta),
        Collections.unmodifiableMap(tensors), dataStart, alignment);
  }

  static long align(long pos, int alignment) {
    return (pos + alignment - 1) / alignment * alignment;
  }

  public Path path() {
    return path;
  }

  public long fileSize() {
    return fileSize;
  }

  public int alignment() {
    return alignment;
  }

  public long dataStart() {
    return dataStart;
  }

  public Map<String, GgufValue> metadata() {
    return metadata;
  }

  public Map<String, GgufTensorInfo> tensors() {
    return tensors;
  }

  /** The tensor's bytes, mapped read-only, little-endian, position 0. */
  public ByteBuffer tensorData(GgufTensorInfo t) {
    try {
      return channel.map(FileChannel.MapMode.READ_ONLY, dataStart + t.offset(), t.bytes())
          .order(ByteOrder.LITTLE_ENDIAN);
    } catch (IOException e) {
      throw new GgufException(path.getFileName() + ": cannot map tensor " + t.name(), e);
    }
  }

  public GgufTensorInfo tensor(String name) {
    GgufTensorInfo t = tensors.get(name);
    if (t == null) {
      throw new GgufException(path.getFileName() + ": missing tensor " + name);
    }
    return t;
  }

  public boolean has(String key) {
    return metadata.containsKey(key);
  }

  private GgufValue require(String key) {
    GgufValue v = metadata.get(key);
    if (v == null) {
      throw new GgufException(path.getFileName() + ": missing key " + key);
    }
    return v;
  }

  private GgufException mistyped(String key, GgufValue v, String wanted) {
    return new GgufException(path.getFileName() + ": key " + key + " should be " + wanted
        + " but is " + v.type());
  }

  public String string(String key) {
    GgufValue v = require(key);
    if (!(v.value() instanceof String s)) {
      throw mistyped(key, v, "a string");
    }
    return s;
  }

  public String string(String key, String fallback) {
    return has(key) ? string(key) : fallback;
  }

  public long integer(String key) {
    GgufValue v = require(key);
    if (!v.type().isInteger()) {
      throw mistyped(key, v, "an integer");
    }
    return (Long) v.value();
  }

  public long integer(String key, long fallback) {
    return has(key) ? integer(key) : fallback;
  }

  public double number(String key) {
    GgufValue v = require(key);
    return switch (v.value()) {
      case Float f -> f;
      case Double d -> d;
      case Long l -> l;
      default -> throw mistyped(key, v, "a number");
    };
  }

  public double number(String key, double fallback) {
    return has(key) ? number(key) : fallback;
  }

  public boolean bool(String key, boolean fallback) {
    if (!has(key)) {
      return fallback;
    }
    GgufValue v = require(key);
    if (!(v.value() instanceof Boolean b)) {
      throw mistyped(key, v, "a bool");
    }
    return b;
  }

  public GgufArray array(String key) {
    GgufValue v = require(key);
    if (!(v.value() instanceof GgufArray a)) {
      throw mistyped(key, v, "an array");
    }
    return a;
  }

  public String[] strings(String key) {
    GgufArray a = array(key);
    if (!(a.elements() instanceof String[] s)) {
      throw new GgufException(path.getFileName() + ": key " + key
          + " should be an array of strings but holds " + a.elementType());
    }
    return s;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  /** Bounds-checked little-endian reads that turn running off the end into a precise refusal. */
  private static final class Reader {
    private static final int MAX_ARRAY_DEPTH = 8;
    private final ByteBuffer b;
    private final String what;

    Reader(ByteBuffer b, String what) {
      this.b = b;
      this.what = what;
    }

    private void need(long n, String field) {
      if (n > b.remaining()) {
        throw new GgufException(what + ": truncated header: " + field + " at offset "
            + b.position() + " needs " + n + " bytes but only " + b.remaining() + " remain");
      }
    }

    long u32(String field) {
      need(4, field);
      return Integer.toUnsignedLong(b.getInt());
    }

    long i64(String field) {
      need(8, field);
      return b.getLong();
    }

    /** A count whose elements each take at least minBytes, so absurd counts fail fast. */
    long count(String field, int minBytes) {
      long n = i64(field);
      if (n < 0 || n > b.remaining() / Math.max(1, minBytes) + 1) {
        throw new GgufException(what + ": " + field + " " + Long.toUnsignedString(n)
            + " is impossible for a file of this size (truncated or corrupt)");
      }
      return n;
    }

    String string(String field) {
      long len = i64("length of " + field);
      if (len < 0) {
        throw new GgufException(what + ": " + field + " has negative length at offset "
            + (b.position() - 8));
      }
      need(len, field);
      ByteBuffer slice = b.slice(b.position(), (int) len);
      b.position(b.position() + (int) len);
      try {
        return StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(slice).toString();
      } catch (CharacterCodingException e) {
        throw new GgufException(what + ": " + field + " is not valid UTF-8");
      }
    }

    Object value(GgufValueType type, String key, int depth) {
      try {
        return switch (type) {
          case UINT8 -> { need(1, key); yield (long) Byte.toUnsignedInt(b.get()); }
          case INT8 -> { need(1, key); yield (long) b.get(); }
          case UINT16 -> { need(2, key); yield (long) Short.toUnsignedInt(b.getShort()); }
          case INT16 -> { need(2, key); yield (long) b.getShort(); }
          case UINT32 -> u32(key);
          case INT32 -> { need(4, key); yield (long) b.getInt(); }
          case UINT64, INT64 -> i64(key);
          case FLOAT32 -> { need(4, key); yield b.getFloat(); }
          case FLOAT64 -> { need(8, key); yield b.getDouble(); }
          case BOOL -> {
            need(1, key);
            byte v = b.get();
            if (v != 0 && v != 1) {
              throw new GgufException(what + ": metadata " + key + " is a bool with value " + v);
            }
            yield v == 1;
          }
          case STRING -> string("value of " + key);
          case ARRAY -> array(key, depth);
        };
      } catch (BufferUnderflowException e) {
        throw new GgufException(what + ": truncated header in metadata " + key);
      }
    }

    private GgufArray array(String key, int depth) {
      if (depth >= MAX_ARRAY_DEPTH) {
        throw new GgufException(what + ": metadata " + key + " nests arrays too deeply");
      }
      long typeCode = u32("element type of " + key);
      GgufValueType et = GgufValueType.ofCode(typeCode);
      if (et == null) {
        throw new GgufException(what + ": metadata " + key + " is an array of unknown value type "
            + typeCode);
      }
      int minBytes = switch (et) {
        case UINT8, INT8, BOOL -> 1;
        case UINT16, INT16 -> 2;
        case UINT32, INT32, FLOAT32, ARRAY -> 4;
        default -> 8;
      };
      long n = count("element count of " + key, minBytes);
      int len = (int) n;
      switch (et) {
        case FLOAT32 -> {
          float[] a = new float[len];
          for (int i = 0; i < len; i++) {
            a[i] = (Float) value(et, key, depth + 1);
          }
          return new GgufArray(et, a);
        }
        case FLOAT64 -> {
          double[] a = new double[len];
          for (int i = 0; i < len; i++) {
            a[i] = (Double) value(et, key, depth + 1);
          }
          return new GgufArray(et, a);
        }
        case BOOL -> {
          boolean[] a = new boolean[len];
          for (int i = 0; i < len; i++) {
            a[i] = (Boolean) value(et, key, depth + 1);
          }
          return new GgufArray(et, a);
        }
        case STRING -> {
          String[] a = new String[len];
          for (int i = 0; i < len; i++) {
            a[i] = string("element " + i + " of " + key);
          }
          return new GgufArray(et, a);
        }
        case ARRAY -> {
          GgufArray[] a = new GgufArray[len];
          for (int i = 0; i < len; i++) {
            a[i] = array(key, depth + 1);
          }
          return new GgufArray(et, a);
        }
        default -> {
          long[] a = new long[len];
          for (int i = 0; i < len; i++) {
            a[i] = (Long) value(et, key, depth + 1);
          }
          return new GgufArray(et, a);
        }
      }
    }
  }
}
