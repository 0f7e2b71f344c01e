package dev.roomtone.multimodal.engine.gguf;

/** The metadata value types of GGUF, with their on-disk codes. */
public enum GgufValueType {
  UINT8(0), INT8(1), UINT16(2), INT16(3), UINT32(4), INT32(5), FLOAT32(6), BOOL(7), STRING(8),
  ARRAY(9), UINT64(10), INT64(11), FLOAT64(12);

  public final int code;

  GgufValueType(int code) {
    this.code = code;
  }

  static GgufValueType ofCode(long code) {
    for (GgufValueType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    return null;
  }

  boolean isInteger() {
    return switch (this) {
      case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> true;
      default -> false;
    };
  }
}
