package dev.roomtone.multimodal.engine.tensor;

import dev.roomtone.multimodal.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The matrix-product loops with the Vector API. Loaded only by {@link CpuKernels} after it found
 * {@code jdk.incubator.vector} in the boot layer, and compiled for Java 22 (src/main/java22): the
 * vectors are loaded straight from the mapped model file through a {@link MemorySegment}, final
 * only since Java 22. Copying each row into an array first cost as much again as the product
 * once two threads shared the memory bus. Decode (a batch of one) takes a fused dot product over
 * the quants (F32, BF16, Q8_0, Q4_0, Q4_K) or dequantises the row with vectors first (Q6_K);
 * prefill dequantises each row once and multiplies it with several tokens at a time.
 */
final class VectorKernels implements Kernels {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final int L = F.length();
  // as many lanes as F, so that a widening conversion is one instruction, never a shuffle
  private static final VectorSpecies<Byte> B =
      VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8));
  private static final VectorSpecies<Short> S =
      VectorSpecies.of(short.class, VectorShape.forBitSize(L * 16));
  private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
  /** Tokens multiplied with one loaded weight vector during prefill. */
  private static final int TILE = 4;
  private static final ValueLayout.OfShort I16_LE =
      ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfFloat F32_LE =
      ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  // the 8-bit Q8_0 product: 2L bytes widened to 2L shorts, whose pairwise sums are L ints
  private static final VectorSpecies<Byte> B2 =
      VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 16));
  private static final VectorSpecies<Short> S2 =
      VectorSpecies.of(short.class, VectorShape.forBitSize(L * 32));

  private final boolean eightBitActivations;

  private VectorKernels(boolean eightBitActivations) {
    this.eightBitActivations = eightBitActivations;
  }

  /**
   * The kernels, or null where the preferred vector shape is not one they are written for. With
   * {@code exact} every product takes the activations in float; without, a decode product with
   * Q8_0 weights takes them in 8 bits as well ({@link #eightBitActivations}).
   */
  static Kernels create(boolean exact) {
    return L == 8 || L == 16 ? new VectorKernels(!exact) : null;
  }

  @Override
  public String name() {
    return "vector-" + L + (eightBitActivations ? "" : "-exact");
  }

  @Override
  public boolean eightBitActivations(GgmlType type, int batch) {
    return eightBitActivations && type == GgmlType.Q8_0 && batch == 1;
  }

  @Override
  public String toString() {
    return name();
  }

  @Override
  public void rows(WeightMatrix w, float[][] x, float[][] out, int batch, int from, int to) {
    int n = w.cols();
    long rowBytes = w.rowBytes();
    MemorySegment data = MemorySegment.ofBuffer(w.data());
    if (batch >= TILE && L == 16) {
      prefill(w, data, x, out, batch, from, to);
      return;
    }
    if (batch == 1) {
      float[] x0 = x[0];
      float[] y = out[0];
      switch (w.type()) {
        case F32 -> {
          for (int r = from; r < to; r++) {
            y[r] = dotF32(data, r * rowBytes, n, x0);
          }
          return;
        }
        case BF16 -> {
          for (int r = from; r < to; r++) {
            y[r] = dotBf16(data, r * rowBytes, n, x0);
          }
          return;
        }
        case Q8_0 -> {
          if (eightBitActivations) {
            byte[] xq = new byte[n];
            float[] xd = new float[n / 32];
            quantizeQ8_0(x0, n, xq, xd);
            for (int r = from; r < to; r++) {
              y[r] = dotQ8_0Q8_0(data, r * rowBytes, n, xq, xd);
            }
            return;
          }
          for (int r = from; r < to; r++) {
            y[r] = dotQ8_0(data, r * rowBytes, n, x0);
          }
          return;
        }
        case Q4_0 -> {
          for (int r = from; r < to; r++) {
            y[r] = dotQ4_0(data, r * rowBytes, n, x0);
          }
          return;
        }
        case Q4_K -> {
          float[] xsum = subBlockSums(x0, n);
          for (int r = from; r < to; r++) {
            y[r] = dotQ4K(data, r * rowBytes, n, x0, xsum);
          }
          return;
        }
        default -> {
          // Q6_K and F16: dequantise the row, then the vector product below
        }
      }
    }
    float[] row = new float[n];
    for (int r = from; r < to; r++) {
      dequantize(w, data, r, row);
      products(row, n, x, out, batch, r);
    }
  }

  /** Row r of w as floats: the vector decoders, or the scalar one for F16. */
  private static void dequantize(WeightMatrix w, MemorySegment data, int r, float[] row) {
    int n = w.cols();
    long at = (long) r * w.rowBytes();
    switch (w.type()) {
      case F32 -> MemorySegment.copy(data, F32_LE, at, row, 0, n);
      case BF16 -> dequantizeBf16(data, at, n, row);
      case Q8_0 -> dequantizeQ8_0(data, at, n, row);
      case Q4_0 -> dequantizeQ4_0(data, at, n, row);
      case Q4_K -> dequantizeQ4K(data, at, n, row);
      case Q6_K -> dequantizeQ6K(data, at, n, row);
      // half-precision conversion is a scalar intrinsic; the products are vectors all the same
      default -> w.dequantizeRow(r, row, 0);
    }
  }

  /**
   * Prefill with 32 vector registers (AVX-512): four rows are dequantised, then multiplied with
   * four tokens at a time, sixteen accumulators, so each pair of loads feeds more than one FMA and
   * the loop is bound by the FMAs rather than by the loads.
   */
  private static void prefill(WeightMatrix w, MemorySegment data, float[][] x, float[][] out,
      int batch, int from, int to) {
    int n = w.cols();
    float[][] rows = new float[TILE][n];
    for (int r = from; r < to; r += TILE) {
      int count = Math.min(TILE, to - r);
      for (int i = 0; i < count; i++) {
        dequantize(w, data, r + i, rows[i]);
      }
      if (count < TILE) {
        for (int i = 0; i < count; i++) {
          products(rows[i], n, x, out, batch, r + i);
        }
        continue;
      }
      int b = 0;
      for (; b + TILE <= batch; b += TILE) {
        dot4x4(rows, n, x, b, out, r);
      }
      for (; b < batch; b++) {
        for (int i = 0; i < TILE; i++) {
          out[b][r + i] = dot(rows[i], n, x[b]);
        }
      }
    }
  }

  /** Rows r..r+3 (dequantised in w) against tokens b..b+3. */
  private static void dot4x4(float[][] w, int n, float[][] x, int b, float[][] out, int r) {
    float[] w0 = w[0];
    float[] w1 = w[1];
    float[] w2 = w[2];
    float[] w3 = w[3];
    float[] x0 = x[b];
    float[] x1 = x[b + 1];
    float[] x2 = x[b + 2];
    float[] x3 = x[b + 3];
    FloatVector a00 = FloatVector.zero(F), a01 = a00, a02 = a00, a03 = a00;
    FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
    FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
    FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
    int i = 0;
    for (int upper = F.loopBound(n); i < upper; i += L) {
      FloatVector v0 = FloatVector.fromArray(F, x0, i);
      FloatVector v1 = FloatVector.fromArray(F, x1, i);
      FloatVector v2 = FloatVector.fromArray(F, x2, i);
      FloatVector v3 = FloatVector.fromArray(F, x3, i);
      FloatVector u = FloatVector.fromArray(F, w0, i);
      a00 = u.fma(v0, a00);
      a01 = u.fma(v1, a01);
      a02 = u.fma(v2, a02);
      a03 = u.fma(v3, a03);
      u = FloatVector.fromArray(F, w1, i);
      a10 = u.fma(v0, a10);
      a11 = u.fma(v1, a11);
      a12 = u.fma(v2, a12);
      a13 = u.fma(v3, a13);
      u = FloatVector.fromArray(F, w2, i);
      a20 = u.fma(v0, a20);
      a21 = u.fma(v1, a21);
      a22 = u.fma(v2, a22);
      a23 = u.fma(v3, a23);
      u = FloatVector.fromArray(F, w3, i);
      a30 = u.fma(v0, a30);
      a31 = u.fma(v1, a31);
      a32 = u.fma(v2, a32);
      a33 = u.fma(v3, a33);
    }
    if (i < n) {
      // a tail (element types only; block types have a multiple of 32): plain loops
      for (int ri = 0; ri < TILE; ri++) {
        for (int t = 0; t < TILE; t++) {
          float s = 0;
          for (int j = i; j < n; j++) {
            s += w[ri][j] * x[b + t][j];
          }
          out[b + t][r + ri] = s;
        }
      }
    } else {
      for (int t = 0; t < TILE; t++) {
        for (int ri = 0; ri < TILE; ri++) {
          out[b + t][r + ri] = 0;
        }
      }
    }
    add(out, b, r, a00, a01, a02, a03);
    add(out, b, r + 1, a10, a11, a12, a13);
    add(out, b, r + 2, a20, a21, a22, a23);
    add(out, b, r + 3, a30, a31, a32, a33);
  }

  /** out[b + t][r] += the lanes of a_t, for the four tokens of a tile. */
  private static void add(float[][] out, int b, int r, FloatVector a0, FloatVector a1,
      FloatVector a2, FloatVector a3) {
    out[b][r] += sum(a0);
    out[b + 1][r] += sum(a1);
    out[b + 2][r] += sum(a2);
    out[b + 3][r] += sum(a3);
  }

  /** out[b][r] = row · x[b] for every token, four tokens per pass over the row. */
  private static void products(float[] row, int n, float[][] x, float[][] out, int batch, int r) {
    int b = 0;
    for (; b + TILE <= batch; b += TILE) {
      dot4(row, n, x[b], x[b + 1], x[b + 2], x[b + 3], out, b, r);
    }
    for (; b < batch; b++) {
      out[b][r] = dot(row, n, x[b]);
    }
  }

  /**
   * The lanes added in a fixed order, pairwise (a tree of four levels rather than a chain of
   * sixteen dependent adds: it is once per row, and a row of a decode product is only ~200 ns).
   * {@code reduceLanes(ADD)} leaves the order open, and it does differ between the interpreter and
   * compiled code, so the same product could come out one ulp apart before and after the JIT — and
   * a greedy run would not repeat itself. (Folding halves with {@code slice} is fixed too, but
   * measured far slower.)
   */
  private static float sum(FloatVector v) {
    float[] a = new float[L];
    v.intoArray(a, 0);
    float s = ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));
    if (L == 16) {
      s += ((a[8] + a[9]) + (a[10] + a[11])) + ((a[12] + a[13]) + (a[14] + a[15]));
    }
    return s;
  }

  private static float half(MemorySegment q, long at) {
    return Float.float16ToFloat(q.get(I16_LE, at));
  }

  private static byte byteAt(MemorySegment q, long at) {
    return q.get(ValueLayout.JAVA_BYTE, at);
  }

  private static ByteVector bytes(MemorySegment q, long at) {
    return ByteVector.fromMemorySegment(B, q, at, ByteOrder.LITTLE_ENDIAN);
  }

  private static FloatVector bytesToFloats(MemorySegment q, long at) {
    return toFloats(bytes(q, at));
  }

  /** q − 8 of the low (shift 0) or high (shift 4) nibbles of L bytes, as floats. */
  private static FloatVector nibblesToFloats(ByteVector q, int shift) {
    ByteVector v = shift == 0 ? q : q.lanewise(VectorOperators.LSHR, shift);
    return toFloats(v.and((byte) 0xf).sub((byte) 8));
  }

  private static FloatVector bf16ToFloats(MemorySegment q, long at) {
    return ((IntVector) ShortVector.fromMemorySegment(S, q, at, ByteOrder.LITTLE_ENDIAN)
        .convertShape(VectorOperators.S2I, I, 0))
        .lanewise(VectorOperators.LSHL, 16)
        .reinterpretAsFloats();
  }

  private static float bf16(short h) {
    return Float.intBitsToFloat((h & 0xffff) << 16);
  }

  private static float dotF32(MemorySegment q, long at, int n, float[] x) {
    FloatVector acc = FloatVector.zero(F);
    int i = 0;
    for (int upper = F.loopBound(n); i < upper; i += L) {
      acc = FloatVector.fromMemorySegment(F, q, at + 4L * i, ByteOrder.LITTLE_ENDIAN)
          .fma(FloatVector.fromArray(F, x, i), acc);
    }
    float sum = sum(acc);
    for (; i < n; i++) {
      sum += q.get(F32_LE, at + 4L * i) * x[i];
    }
    return sum;
  }

  private static float dotBf16(MemorySegment q, long at, int n, float[] x) {
    FloatVector acc = FloatVector.zero(F);
    int i = 0;
    for (int upper = F.loopBound(n); i < upper; i += L) {
      acc = bf16ToFloats(q, at + 2L * i).fma(FloatVector.fromArray(F, x, i), acc);
    }
    float sum = sum(acc);
    for (; i < n; i++) {
      sum += bf16(q.get(I16_LE, at + 2L * i)) * x[i];
    }
    return sum;
  }

  // Q8_0 and Q4_0: Σ_blocks d · Σ_j q_j·x_j (the grouping of the scalar loop and of llama.cpp).
  // Four blocks per pass, each scaled into its own running vector: with a single one, every
  // block waited for the previous block's FMA (a chain of dependent FMAs, one per block), which
  // measured 25–40% slower. The four are added in a fixed order at the end.
  private static float dotQ8_0(MemorySegment q, long row, int n, float[] x) {
    FloatVector a0 = FloatVector.zero(F);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    int blocks = n / 32;
    int b = 0;
    for (; b + 4 <= blocks; b += 4) {
      long at = row + 34L * b;
      int xo = 32 * b;
      a0 = blockQ8_0(q, at, x, xo).fma(scale(q, at), a0);
      a1 = blockQ8_0(q, at + 34, x, xo + 32).fma(scale(q, at + 34), a1);
      a2 = blockQ8_0(q, at + 68, x, xo + 64).fma(scale(q, at + 68), a2);
      a3 = blockQ8_0(q, at + 102, x, xo + 96).fma(scale(q, at + 102), a3);
    }
    for (; b < blocks; b++) {
      long at = row + 34L * b;
      a0 = blockQ8_0(q, at, x, 32 * b).fma(scale(q, at), a0);
    }
    return sum(a0.add(a1).add(a2.add(a3)));
  }

  /**
   * x in Q8_0's own format: per 32-element block d = max|x| / 127 and q = round(x / d), ties to
   * even (what llama.cpp does to activations before a product with Q8_0 weights).
   */
  private static void quantizeQ8_0(float[] x, int n, byte[] xq, float[] xd) {
    for (int b = 0; b < n / 32; b++) {
      float amax = 0;
      for (int j = 32 * b; j < 32 * b + 32; j++) {
        amax = Math.max(amax, Math.abs(x[j]));
      }
      float d = amax / 127f;
      float id = d == 0 ? 0 : 1f / d;
      xd[b] = d;
      for (int j = 32 * b; j < 32 * b + 32; j++) {
        xq[j] = (byte) Math.rint(x[j] * id);
      }
    }
  }

  /**
   * Σ_blocks d_w·d_x · Σ_j q_j·x_j with both sides 8-bit. The inner sum is exact integer
   * arithmetic in 16-bit lanes (|q_w·q_x| ≤ 128·127 fits a short; neighbouring products are added
   * as ints), one widening per 2L bytes of weights instead of a float conversion per L, and the
   * activations are a quarter of the bytes to load.
   */
  private static float dotQ8_0Q8_0(MemorySegment q, long row, int n, byte[] xq, float[] xd) {
    FloatVector a0 = FloatVector.zero(F);
    FloatVector a1 = a0;
    int blocks = n / 32;
    int b = 0;
    for (; b + 2 <= blocks; b += 2) {
      long at = row + 34L * b;
      a0 = blockQ8_0Q8_0(q, at, xq, 32 * b).fma(FloatVector.broadcast(F, half(q, at) * xd[b]), a0);
      a1 = blockQ8_0Q8_0(q, at + 34, xq, 32 * b + 32)
          .fma(FloatVector.broadcast(F, half(q, at + 34) * xd[b + 1]), a1);
    }
    for (; b < blocks; b++) {
      long at = row + 34L * b;
      a0 = blockQ8_0Q8_0(q, at, xq, 32 * b).fma(FloatVector.broadcast(F, half(q, at) * xd[b]), a0);
    }
    return sum(a0.add(a1));
  }

  /** The 32 integer products of one block, summed pairwise into L int lanes, as floats. */
  private static FloatVector blockQ8_0Q8_0(MemorySegment q, long at, byte[] xq, int xo) {
    IntVector s = products(q, at + 2, xq, xo);
    if (L == 8) {
      s = s.add(products(q, at + 18, xq, xo + 16));
    }
    return (FloatVector) s.convert(VectorOperators.I2F, 0);
  }

  /**
   * The products of the 2L weight bytes at {@code at} and the 2L activation bytes at {@code xo},
   * neighbours added: L int lanes. Exact: |w| ≤ 128 and |xq| ≤ 127, so each product fits the
   * 16-bit lane it is made in. (Written without a loop or a running vector: with one, C2 kept the
   * vectors in memory and the product ran slower than the float one.)
   */
  private static IntVector products(MemorySegment q, long at, byte[] xq, int xo) {
    ShortVector w = (ShortVector) ByteVector.fromMemorySegment(B2, q, at, ByteOrder.LITTLE_ENDIAN)
        .convertShape(VectorOperators.B2S, S2, 0);
    ShortVector a = (ShortVector) ByteVector.fromArray(B2, xq, xo)
        .convertShape(VectorOperators.B2S, S2, 0);
    // int lane i holds the products 2i (low half) and 2i + 1 (high half)
    IntVector p = w.mul(a).reinterpretAsInts();
    return p.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
        .add(p.lanewise(VectorOperators.ASHR, 16));
  }

  /** Σ q_j·x_j of one Q8_0 block, lane by lane. */
  private static FloatVector blockQ8_0(MemorySegment q, long at, float[] x, int xo) {
    FloatVector b = bytesToFloats(q, at + 2).mul(FloatVector.fromArray(F, x, xo));
    for (int j = L; j < 32; j += L) {
      b = bytesToFloats(q, at + 2 + j).fma(FloatVector.fromArray(F, x, xo + j), b);
    }
    return b;
  }

  private static float dotQ4_0(MemorySegment q, long row, int n, float[] x) {
    FloatVector a0 = FloatVector.zero(F);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    int blocks = n / 32;
    int b = 0;
    for (; b + 4 <= blocks; b += 4) {
      long at = row + 18L * b;
      int xo = 32 * b;
      a0 = blockQ4_0(q, at, x, xo).fma(scale(q, at), a0);
      a1 = blockQ4_0(q, at + 18, x, xo + 32).fma(scale(q, at + 18), a1);
      a2 = blockQ4_0(q, at + 36, x, xo + 64).fma(scale(q, at + 36), a2);
      a3 = blockQ4_0(q, at + 54, x, xo + 96).fma(scale(q, at + 54), a3);
    }
    for (; b < blocks; b++) {
      long at = row + 18L * b;
      a0 = blockQ4_0(q, at, x, 32 * b).fma(scale(q, at), a0);
    }
    return sum(a0.add(a1).add(a2.add(a3)));
  }

  /** Σ (q_j − 8)·x_j of one Q4_0 block: low nibbles are elements 0..15, high ones 16..31. */
  private static FloatVector blockQ4_0(MemorySegment q, long at, float[] x, int xo) {
    FloatVector b = FloatVector.zero(F);
    for (int j = 0; j < 16; j += L) {
      ByteVector v = bytes(q, at + 2 + j);
      b = nibblesToFloats(v, 0).fma(FloatVector.fromArray(F, x, xo + j), b);
      b = nibblesToFloats(v, 4).fma(FloatVector.fromArray(F, x, xo + 16 + j), b);
    }
    return b;
  }

  /** The block's half-precision scale d, in every lane. */
  private static FloatVector scale(MemorySegment q, long at) {
    return FloatVector.broadcast(F, half(q, at));
  }

  private static void dequantizeBf16(MemorySegment q, long at, int n, float[] y) {
    int i = 0;
    for (int upper = F.loopBound(n); i < upper; i += L) {
      bf16ToFloats(q, at + 2L * i).intoArray(y, i);
    }
    for (; i < n; i++) {
      y[i] = bf16(q.get(I16_LE, at + 2L * i));
    }
  }

  private static void dequantizeQ8_0(MemorySegment q, long row, int n, float[] y) {
    for (int yo = 0; yo < n; yo += 32) {
      long at = row + yo / 32 * 34L;
      FloatVector d = scale(q, at);
      for (int j = 0; j < 32; j += L) {
        bytesToFloats(q, at + 2 + j).mul(d).intoArray(y, yo + j);
      }
    }
  }

  private static void dequantizeQ4_0(MemorySegment q, long row, int n, float[] y) {
    for (int yo = 0; yo < n; yo += 32) {
      long at = row + yo / 32 * 18L;
      FloatVector d = scale(q, at);
      for (int j = 0; j < 16; j += L) {
        ByteVector v = bytes(q, at + 2 + j);
        nibblesToFloats(v, 0).mul(d).intoArray(y, yo + j);
        nibblesToFloats(v, 4).mul(d).intoArray(y, yo + 16 + j);
      }
    }
  }

  // Q4_K and Q6_K: dequantised with vectors into the row array, the same arithmetic as
  // BlockCodec.dequantize (products and differences rounded one at a time, no fused FMA), so
  // both kernel sets see the same weights.

  /** Σ x over each 32-element sub-block: the part of a Q4_K product that the mins multiply. */
  private static float[] subBlockSums(float[] x, int n) {
    float[] sums = new float[n / 32];
    for (int b = 0; b < sums.length; b++) {
      float s = 0;
      for (int j = 32 * b; j < 32 * b + 32; j++) {
        s += x[j];
      }
      sums[b] = s;
    }
    return sums;
  }

  /**
   * Σ (d·sc·q − dmin·m)·x = Σ d·sc·(Σ q·x) − Σ dmin·m·(Σ x) per sub-block, the grouping of the
   * scalar loop; Σ x per sub-block is computed once per product (xsum), not once per row.
   */
  private static float dotQ4K(MemorySegment q, long row, int n, float[] x, float[] xsum) {
    FloatVector acc0 = FloatVector.zero(F);
    FloatVector acc1 = acc0;
    float mins = 0;
    for (int yo = 0; yo < n; yo += 256) {
      long at = row + yo / 256 * 144L;
      float d = half(q, at);
      float dmin = half(q, at + 2);
      long sc = at + 4;
      int sb = yo / 32;
      float m = 0;
      for (int g = 0; g < 4; g++) {
        long qs = at + 16 + 32 * g;
        int xb = yo + 64 * g;
        FloatVector lo = FloatVector.zero(F);
        FloatVector hi = lo;
        for (int l = 0; l < 32; l += L) {
          ByteVector v = bytes(q, qs + l);
          lo = toFloats(v.and((byte) 0xf)).fma(FloatVector.fromArray(F, x, xb + l), lo);
          hi = toFloats(v.lanewise(VectorOperators.LSHR, 4).and((byte) 0xf))
              .fma(FloatVector.fromArray(F, x, xb + 32 + l), hi);
        }
        acc0 = lo.fma(FloatVector.broadcast(F, d * scaleK4(q, sc, 2 * g)), acc0);
        acc1 = hi.fma(FloatVector.broadcast(F, d * scaleK4(q, sc, 2 * g + 1)), acc1);
        m += minK4(q, sc, 2 * g) * xsum[sb + 2 * g]
            + minK4(q, sc, 2 * g + 1) * xsum[sb + 2 * g + 1];
      }
      mins += dmin * m;
    }
    return sum(acc0.add(acc1)) - mins;
  }

  private static void dequantizeQ4K(MemorySegment q, long row, int n, float[] y) {
    for (int yo = 0; yo < n; yo += 256) {
      long at = row + yo / 256 * 144L;
      float d = half(q, at);
      float dmin = half(q, at + 2);
      long sc = at + 4;
      for (int g = 0; g < 4; g++) {
        FloatVector d1 = FloatVector.broadcast(F, d * scaleK4(q, sc, 2 * g));
        FloatVector m1 = FloatVector.broadcast(F, dmin * minK4(q, sc, 2 * g));
        FloatVector d2 = FloatVector.broadcast(F, d * scaleK4(q, sc, 2 * g + 1));
        FloatVector m2 = FloatVector.broadcast(F, dmin * minK4(q, sc, 2 * g + 1));
        long qs = at + 16 + 32 * g;
        int base = yo + 64 * g;
        for (int l = 0; l < 32; l += L) {
          ByteVector v = bytes(q, qs + l);
          toFloats(v.and((byte) 0xf)).mul(d1).sub(m1).intoArray(y, base + l);
          toFloats(v.lanewise(VectorOperators.LSHR, 4).and((byte) 0xf)).mul(d2).sub(m2)
              .intoArray(y, base + 32 + l);
        }
      }
    }
  }

  /** 6-bit scale j of a Q4_K block (ggml's get_scale_min_k4). */
  private static int scaleK4(MemorySegment q, long sc, int j) {
    return j < 4
        ? byteAt(q, sc + j) & 63
        : (byteAt(q, sc + j + 4) & 0xf) | (((byteAt(q, sc + j - 4) & 0xff) >> 6) << 4);
  }

  /** 6-bit min j of a Q4_K block. */
  private static int minK4(MemorySegment q, long sc, int j) {
    return j < 4
        ? byteAt(q, sc + j + 4) & 63
        : ((byteAt(q, sc + j + 4) & 0xff) >> 4) | (((byteAt(q, sc + j) & 0xff) >> 6) << 4);
  }

  private static void dequantizeQ6K(MemorySegment q, long row, int n, float[] y) {
    for (int yo = 0; yo < n; yo += 256) {
      long at = row + yo / 256 * 210L;
      float d = half(q, at + 208);
      for (int h = 0; h < 2; h++) {
        long ql = at + 64 * h;
        long qh = at + 128 + 32 * h;
        long sc = at + 192 + 8 * h;
        int base = yo + 128 * h;
        for (int l = 0; l < 32; l += L) {
          int is = l / 16;
          ByteVector lo0 = bytes(q, ql + l);
          ByteVector lo1 = bytes(q, ql + l + 32);
          ByteVector hi = bytes(q, qh + l);
          // ql gives the low four bits, qh two more (four elements per byte of qh)
          ByteVector q0 = lo0.and((byte) 0xf).or(highBits(hi, 0));
          ByteVector q1 = lo1.and((byte) 0xf).or(highBits(hi, 2));
          ByteVector q2 = lo0.lanewise(VectorOperators.LSHR, 4).or(highBits(hi, 4));
          ByteVector q3 = lo1.lanewise(VectorOperators.LSHR, 4).or(highBits(hi, 6));
          toFloats(q0.sub((byte) 32)).mul(d * byteAt(q, sc + is)).intoArray(y, base + l);
          toFloats(q1.sub((byte) 32)).mul(d * byteAt(q, sc + is + 2)).intoArray(y, base + l + 32);
          toFloats(q2.sub((byte) 32)).mul(d * byteAt(q, sc + is + 4)).intoArray(y, base + l + 64);
          toFloats(q3.sub((byte) 32)).mul(d * byteAt(q, sc + is + 6)).intoArray(y, base + l + 96);
        }
      }
    }
  }

  /** Bits shift..shift+1 of each byte, moved to bits 4..5. */
  private static ByteVector highBits(ByteVector hi, int shift) {
    ByteVector v = shift == 0 ? hi : hi.lanewise(VectorOperators.LSHR, shift);
    return v.and((byte) 3).lanewise(VectorOperators.LSHL, 4);
  }

  private static FloatVector toFloats(ByteVector v) {
    return (FloatVector) v.convertShape(VectorOperators.B2F, F, 0);
  }

  private static float dot(float[] w, int n, float[] x) {
    FloatVector acc = FloatVector.zero(F);
    int i = 0;
    for (int upper = F.loopBound(n); i < upper; i += L) {
      acc = FloatVector.fromArray(F, w, i).fma(FloatVector.fromArray(F, x, i), acc);
    }
    float sum = sum(acc);
    for (; i < n; i++) {
      sum += w[i] * x[i];
    }
    return sum;
  }

  /** Row w against four tokens: each weight vector is loaded once and feeds four FMAs. */
  private static void dot4(float[] w, int n, float[] x0, float[] x1, float[] x2, float[] x3,
      float[][] out, int b, int r) {
    FloatVector a0 = FloatVector.zero(F);
    FloatVector a1 = FloatVector.zero(F);
    FloatVector a2 = FloatVector.zero(F);
    FloatVector a3 = FloatVector.zero(F);
    int i = 0;
    for (int upper = F.loopBound(n); i < upper; i += L) {
      FloatVector v = FloatVector.fromArray(F, w, i);
      a0 = v.fma(FloatVector.fromArray(F, x0, i), a0);
      a1 = v.fma(FloatVector.fromArray(F, x1, i), a1);
      a2 = v.fma(FloatVector.fromArray(F, x2, i), a2);
      a3 = v.fma(FloatVector.fromArray(F, x3, i), a3);
    }
    float s0 = sum(a0);
    float s1 = sum(a1);
    float s2 = sum(a2);
    float s3 = sum(a3);
    for (; i < n; i++) {
      s0 += w[i] * x0[i];
      s1 += w[i] * x1[i];
      s2 += w[i] * x2[i];
      s3 += w[i] * x3[i];
    }
    out[b][r] = s0;
    out[b + 1][r] = s1;
    out[b + 2][r] = s2;
    out[b + 3][r] = s3;
  }
}
