package dev.roomtone.multimodal.engine.gguf;

import dev.roomtone.multimodal.engine.gguf.GgufValue.GgufArray;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes GGUF v3 files: used to build test models and synthetic benchmark models. */
public final class GgufWriter {
  private final Map<String, GgufValue> metadata = new LinkedHashMap<>();
  private final List<GgufTensorInfo> infos = new ArrayList<>();
  private final List<byte[]> data = new ArrayList<>();

  public GgufWriter put(String key, GgufValue value) {
    metadata.put(key, value);
    return this;
  }

  /** Adds a tensor whose raw bytes are already laid out in ggml's block format for its type. */
  public GgufWriter tensor(String name, GgmlType type, byte[] bytes, long... dims) {
    GgufTensorInfo info = new GgufTensorInfo(name, dims.clone(), type, 0);
    if (info.bytes() != bytes.length) {
      throw new IllegalArgumentException(name + ": " + bytes.length + " bytes for " + info);
    }
    infos.add(info);
    data.add(bytes);
    return this;
  }

  public void write(Path path) throws IOException {
    try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(path), 1 << 20)) {
      write(out);
    }
  }

  public byte[] toBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      write(out);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }

  public void write(OutputStream os) throws IOException {
    int alignment = GgufFile.DEFAULT_ALIGNMENT;
    if (metadata.get("general.alignment") instanceof GgufValue v && v.value() instanceof Long a) {
      alignment = (int) (long) a;
    }
    Out out = new Out();
    out.i32(GgufFile.MAGIC);
    out.i32(GgufFile.VERSION);
    out.i64(infos.size());
    out.i64(metadata.size());
    for (Map.Entry<String, GgufValue> e : metadata.entrySet()) {
      out.string(e.getKey());
      out.i32(e.getValue().type().code);
      out.value(e.getValue().type(), e.getValue().value());
    }
    long offset = 0;
    for (GgufTensorInfo t : infos) {
      out.string(t.name());
      out.i32(t.dims().length);
      for (long d : t.dims()) {
        out.i64(d);
      }
      out.i32(t.type().code);
      out.i64(offset);
      offset = GgufFile.align(offset + t.bytes(), alignment);
    }
    out.pad(alignment);
    out.bytes.writeTo(os);
    // tensor data goes straight to the stream: synthetic benchmark models are gigabytes
    long written = out.bytes.size();
    byte[] zeros = new byte[alignment];
    for (byte[] d : data) {
      os.write(d);
      written += d.length;
      int pad = (int) ((alignment - written % alignment) % alignment);
      os.write(zeros, 0, pad);
      written += pad;
    }
  }

  private static final class Out {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

    void i32(int v) {
      bytes.write(scratch.clear().putInt(v).array(), 0, 4);
    }

    void i64(long v) {
      bytes.write(scratch.clear().putLong(v).array(), 0, 8);
    }

    void string(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      i64(b.length);
      bytes.writeBytes(b);
    }

    void pad(int alignment) {
      while (bytes.size() % alignment != 0) {
        bytes.write(0);
      }
    }

    void value(GgufValueType type, Object v) {
      switch (type) {
        case UINT8, INT8 -> bytes.write((int) (long) (Long) v);
        case UINT16, INT16 -> bytes.write(scratch.clear().putShort((short) (long) (Long) v).array(), 0, 2);
        case UINT32, INT32 -> i32((int) (long) (Long) v);
        case UINT64, INT64 -> i64((Long) v);
        case FLOAT32 -> i32(Float.floatToRawIntBits((Float) v));
        case FLOAT64 -> i64(Double.doubleToRawLongBits((Double) v));
        case BOOL -> bytes.write((Boolean) v ? 1 : 0);
        case STRING -> string((String) v);
        case ARRAY -> {
          GgufArray a = (GgufArray) v;
          i32(a.elementType().code);
          i64(a.length());
          for (int i = 0; i < a.length(); i++) {
            value(a.elementType(), element(a, i));
          }
        }
      }
    }

    private static Object element(GgufArray a, int i) {
      return switch (a.elements()) {
        case long[] x -> x[i];
        case float[] x -> x[i];
        case double[] x -> x[i];
        case boolean[] x -> x[i];
        case Object[] x -> x[i];
        default -> throw new IllegalStateException();
      };
    }
  }
}
