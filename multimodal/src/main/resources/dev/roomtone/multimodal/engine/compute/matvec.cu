// Matrix-vector products over ggml's block formats, one thread per (row, batch vector); the CUDA
// twin of matvec.cl, compiled at run time with NVRTC.
// The layouts are the ones documented in docs/engine.md and decoded by BlockCodec on the CPU.

__device__ inline float half_bits(unsigned short h) {
  // IEEE half to float by hand, so the source needs no CUDA headers under NVRTC
  unsigned int sign = (h & 0x8000u) << 16, exp = (h >> 10) & 0x1f, mant = h & 0x3ffu;
  if (exp == 0) {
    float v = mant * 5.9604644775390625e-8f; // 2^-24
    return sign ? -v : v;
  }
  if (exp == 31) return __uint_as_float(sign | 0x7f800000u | (mant << 13));
  return __uint_as_float(sign | ((exp + 112) << 23) | (mant << 13));
}

__device__ inline float half_at(const unsigned char* p) { return half_bits(*(const unsigned short*) p); }

__device__ inline int scale_k4(const unsigned char* sc, int j) {
  return j < 4 ? (sc[j] & 63) : ((sc[j + 4] & 0xf) | ((sc[j - 4] >> 6) << 4));
}

__device__ inline int min_k4(const unsigned char* sc, int j) {
  return j < 4 ? (sc[j + 4] & 63) : ((sc[j + 4] >> 4) | ((sc[j] >> 6) << 4));
}

__device__ float dot_f32(const unsigned char* w, const float* x, int n) {
  const float* f = (const float*) w;
  float s = 0;
  for (int i = 0; i < n; i++) s += f[i] * x[i];
  return s;
}

__device__ float dot_f16(const unsigned char* w, const float* x, int n) {
  float s = 0;
  for (int i = 0; i < n; i++) s += half_bits(((const unsigned short*) w)[i]) * x[i];
  return s;
}

__device__ float dot_bf16(const unsigned char* w, const float* x, int n) {
  const unsigned short* u = (const unsigned short*) w;
  float s = 0;
  for (int i = 0; i < n; i++) s += __uint_as_float(((unsigned int) u[i]) << 16) * x[i];
  return s;
}

__device__ float dot_q8_0(const unsigned char* w, const float* x, int n) {
  float sum = 0;
  for (int b = 0; b < n / 32; b++, w += 34, x += 32) {
    float s = 0;
    for (int j = 0; j < 32; j++) s += (float) ((signed char) w[2 + j]) * x[j];
    sum += half_at(w) * s;
  }
  return sum;
}

__device__ float dot_q4_0(const unsigned char* w, const float* x, int n) {
  float sum = 0;
  for (int b = 0; b < n / 32; b++, w += 18, x += 32) {
    float s = 0;
    for (int j = 0; j < 16; j++) {
      int q = w[2 + j];
      s += (float) ((q & 0xf) - 8) * x[j] + (float) ((q >> 4) - 8) * x[j + 16];
    }
    sum += half_at(w) * s;
  }
  return sum;
}

__device__ float dot_q4_k(const unsigned char* w, const float* x, int n) {
  float sum = 0;
  for (int b = 0; b < n / 256; b++, w += 144, x += 256) {
    float d = half_at(w), dmin = half_at(w + 2);
    const unsigned char* sc = w + 4;
    const unsigned char* qs = w + 16;
    float scaled = 0, mins = 0;
    for (int g = 0; g < 4; g++) {
      float lo = 0, hi = 0, xlo = 0, xhi = 0;
      for (int l = 0; l < 32; l++) {
        int q = qs[32 * g + l];
        float a = x[64 * g + l], c = x[64 * g + 32 + l];
        lo += (float) (q & 0xf) * a;
        hi += (float) (q >> 4) * c;
        xlo += a;
        xhi += c;
      }
      scaled += scale_k4(sc, 2 * g) * lo + scale_k4(sc, 2 * g + 1) * hi;
      mins += min_k4(sc, 2 * g) * xlo + min_k4(sc, 2 * g + 1) * xhi;
    }
    sum += d * scaled - dmin * mins;
  }
  return sum;
}

__device__ float dot_q6_k(const unsigned char* w, const float* x, int n) {
  float sum = 0;
  for (int b = 0; b < n / 256; b++, w += 210, x += 256) {
    float d = half_at(w + 208);
    float s = 0;
    for (int h = 0; h < 2; h++) {
      const unsigned char* ql = w + 64 * h;
      const unsigned char* qh = w + 128 + 32 * h;
      const signed char* sc = (const signed char*) (w + 192 + 8 * h);
      const float* xb = x + 128 * h;
      for (int is = 0; is < 2; is++) {
        float a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        for (int l = 16 * is; l < 16 * is + 16; l++) {
          int lo0 = ql[l], lo1 = ql[l + 32], hi = qh[l];
          a0 += (float) (((lo0 & 0xf) | ((hi & 3) << 4)) - 32) * xb[l];
          a1 += (float) (((lo1 & 0xf) | (((hi >> 2) & 3) << 4)) - 32) * xb[l + 32];
          a2 += (float) (((lo0 >> 4) | (((hi >> 4) & 3) << 4)) - 32) * xb[l + 64];
          a3 += (float) (((lo1 >> 4) | (((hi >> 6) & 3) << 4)) - 32) * xb[l + 96];
        }
        s += sc[is] * a0 + sc[is + 2] * a1 + sc[is + 4] * a2 + sc[is + 6] * a3;
      }
    }
    sum += d * s;
  }
  return sum;
}

// type codes are ggml's: 0 F32, 1 F16, 2 Q4_0, 8 Q8_0, 12 Q4_K, 14 Q6_K, 30 BF16
extern "C" __global__ void matvec(const unsigned char* w, const float* x, float* out,
                   int rows, int cols, int row_bytes, int type) {
  int r = (int) (blockIdx.x * blockDim.x + threadIdx.x);
  int b = (int) blockIdx.y;
  if (r >= rows) return;
  const unsigned char* wr = w + (long long) r * row_bytes;
  const float* xb = x + (long long) b * cols;
  float v;
  switch (type) {
    case 0: v = dot_f32(wr, xb, cols); break;
    case 1: v = dot_f16(wr, xb, cols); break;
    case 2: v = dot_q4_0(wr, xb, cols); break;
    case 8: v = dot_q8_0(wr, xb, cols); break;
    case 12: v = dot_q4_k(wr, xb, cols); break;
    case 14: v = dot_q6_k(wr, xb, cols); break;
    default: v = dot_bf16(wr, xb, cols); break;
  }
  out[(long long) b * rows + r] = v;
}
