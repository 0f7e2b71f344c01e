// Runs the CUDA kernels of matvec.cu on the host: CUDA's qualifiers become nothing, its built-in
// block and thread indices become globals, and main() walks the launch grid the way CudaBackend
// launches it (128 threads a block, one grid row per batch vector). It checks the kernels'
// arithmetic where no GPU is; NVRTC and the driver are not involved.
// usage: matvec-host WEIGHTS X OUT ROWS COLS ROW_BYTES TYPE BATCH
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#define __device__
#define __global__
struct Dim3 { unsigned int x, y, z; };
static Dim3 blockIdx, threadIdx, blockDim;
static inline float __uint_as_float(unsigned int u) { float f; std::memcpy(&f, &u, sizeof f); return f; }

#include "matvec.cu"

static std::vector<unsigned char> slurp(const char* path) {
  std::FILE* f = std::fopen(path, "rb");
  if (!f) { std::perror(path); std::exit(2); }
  std::vector<unsigned char> data;
  unsigned char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) data.insert(data.end(), buf, buf + n);
  std::fclose(f);
  return data;
}

int main(int argc, char** argv) {
  if (argc != 9) { std::fprintf(stderr, "usage: %s WEIGHTS X OUT ROWS COLS ROW_BYTES TYPE BATCH\n", argv[0]); return 2; }
  std::vector<unsigned char> w = slurp(argv[1]);
  std::vector<unsigned char> xb = slurp(argv[2]);
  int rows = std::atoi(argv[4]), cols = std::atoi(argv[5]), rowBytes = std::atoi(argv[6]);
  int type = std::atoi(argv[7]), batch = std::atoi(argv[8]);
  std::vector<float> x(xb.size() / sizeof(float));
  std::memcpy(x.data(), xb.data(), xb.size());
  std::vector<float> out((size_t) rows * batch, -12345.0f);
  blockDim = {128, 1, 1};
  for (unsigned by = 0; by < (unsigned) batch; by++)
    for (unsigned bx = 0; bx < (unsigned) (rows + 127) / 128; bx++)
      for (unsigned t = 0; t < 128; t++) {
        blockIdx = {bx, by, 0};
        threadIdx = {t, 0, 0};
        matvec(w.data(), x.data(), out.data(), rows, cols, rowBytes, type);
      }
  std::FILE* f = std::fopen(argv[3], "wb");
  if (!f) { std::perror(argv[3]); return 2; }
  std::fwrite(out.data(), sizeof(float), out.size(), f);
  std::fclose(f);
  return 0;
}
