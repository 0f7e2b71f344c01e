package dev.roomtone.multimodal.engine.gguf;

import java.util.Arrays;

/**
 * One metadata value. Integers of every width are held as {@code Long} (UINT64 keeps its raw
 * bits), floats as {@code Float}/{@code Double}; arrays as {@link GgufArray}.
 */
public record GgufValue(GgufValueType type, Object value) {

  /** An array value: elements are long[], float[], double[], boolean[], String[] or GgufArray[]. */
  public record GgufArray(GgufValueType elementType, Object elements) {
    public int length() {
      return switch (elements) {
        case long[] a -> a.length;
        case float[] a -> a.length;
        case double[] a -> a.length;
        case boolean[] a -> a.length;
        case Object[] a -> a.length;
        default -> throw new IllegalStateException("not an array: " + elements);
      };
    }

    @Override
    public String toString() {
      return "array<" + elementType + ">[" + length() + "]";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof GgufArray other && elementType == other.elementType
          && Arrays.deepEquals(new Object[] {elements}, new Object[] {other.elements});
    }

    @Override
    public int hashCode() {
      return Arrays.deepHashCode(new Object[] {elements}) * 31 + elementType.hashCode();
    }
  }

  public static GgufValue string(String s) {
    return new GgufValue(GgufValueType.STRING, s);
  }

  public static GgufValue u32(long v) {
    return new GgufValue(GgufValueType.UINT32, v);
  }

  public static GgufValue f32(float v) {
    return new GgufValue(GgufValueType.FLOAT32, v);
  }

  public static GgufValue bool(boolean v) {
    return new GgufValue(GgufValueType.BOOL, v);
  }

  public static GgufValue strings(String... s) {
    return new GgufValue(GgufValueType.ARRAY, new GgufArray(GgufValueType.STRING, s));
  }

  public static GgufValue floats(float... f) {
    return new GgufValue(GgufValueType.ARRAY, new GgufArray(GgufValueType.FLOAT32, f));
  }

  public static GgufValue ints(GgufValueType type, long... v) {
    return new GgufValue(GgufValueType.ARRAY, new GgufArray(type, v));
  }
}
