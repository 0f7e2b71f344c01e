package dev.roomtone.multimodal.engine.tensor;

import dev.roomtone.multimodal.engine.gguf.GgmlType;
import dev.roomtone.multimodal.engine.gguf.GgufException;
import dev.roomtone.multimodal.engine.gguf.GgufFile;
import dev.roomtone.multimodal.engine.gguf.GgufTensorInfo;
import java.nio.ByteBuffer;

/**
 * A weight tensor seen as {@code rows} rows of {@code cols} elements in one of ggml's block
 * formats, straight from the mapped file. Row r starts at byte r · rowBytes.
 */
public record WeightMatrix(String name, GgmlType type, ByteBuffer data, int rows, int cols) {

  public static WeightMatrix of(GgufFile file, GgufTensorInfo t) {
    long rows = t.rows();
    if (rows > Integer.MAX_VALUE || t.rowLength() > Integer.MAX_VALUE) {
      throw new GgufException(file.path().getFileName() + ": tensor " + t.name() + " too large");
    }
    return new WeightMatrix(t.name(), t.type(), file.tensorData(t), (int) rows, (int) t.rowLength());
  }

  public int rowBytes() {
    return cols / type.blockSize * type.blockBytes;
  }

  /** Decodes row r into out[off .. off+cols). */
  public void dequantizeRow(int r, float[] out, int off) {
    BlockCodec.dequantize(type, data, r * rowBytes(), cols, out, off);
  }

  public float[] dequantizeRow(int r) {
    float[] out = new float[cols];
    dequantizeRow(r, out, 0);
    return out;
  }

  /** The dot product of row r with x[xOff .. xOff+cols). */
  public float dot(int r, float[] x, int xOff) {
    return BlockCodec.dot(type, data, r * rowBytes(), cols, x, xOff);
  }

  public long bytes() {
    return (long) rows * rowBytes();
  }
}
