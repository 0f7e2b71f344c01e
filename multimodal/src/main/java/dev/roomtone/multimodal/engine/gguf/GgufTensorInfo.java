package dev.roomtone.multimodal.engine.gguf;

import java.util.Arrays;

/**
 * A tensor's entry in the header. {@code dims[0]} is ggml's ne[0], the contiguous dimension: a
 * weight with dims [n_in, n_out] is n_out rows of n_in values.
 */
public record GgufTensorInfo(String name, long[] dims, GgmlType type, long offset) {
  public long elements() {
    long n = 1;
    for (long d : dims) {
      n *= d;
    }
    return n;
  }

  public long bytes() {
    return type.bytesFor(elements());
  }

  public long rowLength() {
    return dims[0];
  }

  public long rows() {
    return elements() / dims[0];
  }

  @Override
  public String toString() {
    return name + " " + type + " " + Arrays.toString(dims);
  }
}
