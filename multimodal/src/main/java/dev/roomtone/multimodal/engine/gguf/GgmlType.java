package dev.roomtone.multimodal.engine.gguf;

/**
 * The tensor element types the engine can compute with, with ggml's type codes and block sizes.
 * Other ggml types are known by code only so a refusal can name them.
 */
public enum GgmlType {
  F32(0, 1, 4),
  F16(1, 1, 2),
  Q4_0(2, 32, 18),
  Q8_0(8, 32, 34),
  Q4_K(12, 256, 144),
  Q6_K(14, 256, 210),
  BF16(30, 1, 2);

  public final int code;
  /** Elements per block. */
  public final int blockSize;
  /** Bytes per block. */
  public final int blockBytes;

  GgmlType(int code, int blockSize, int blockBytes) {
    this.code = code;
    this.blockSize = blockSize;
    this.blockBytes = blockBytes;
  }

  public long bytesFor(long elements) {
    return elements / blockSize * blockBytes;
  }

  static GgmlType ofCode(long code) {
    for (GgmlType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    return null;
  }

  /** ggml's name for a type code, so an unsupported file says which type it uses. */
  static String ggmlName(long code) {
    String[] names = {"F32", "F16", "Q4_0", "Q4_1", "Q4_2", "Q4_3", "Q5_0", "Q5_1", "Q8_0", "Q8_1",
        "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "Q8_K", "IQ2_XXS", "IQ2_XS", "IQ3_XXS", "IQ1_S",
        "IQ4_NL", "IQ3_S", "IQ2_S", "IQ4_XS", "I8", "I16", "I32", "I64", "F64", "IQ1_M", "BF16"};
    return code >= 0 && code < names.length ? names[(int) code] : "unknown";
  }
}
