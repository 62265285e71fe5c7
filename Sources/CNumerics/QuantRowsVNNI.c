// The quantized row kernels with AVX-512 VNNI on 256-bit registers: one `vpdpbusd` gives ggml's eight groups.
#define CN_TARGET __attribute__((target("avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni")))
#define CN_SUFFIX vnni
#define CN_VNNI 1
#define CN_GROUPS(u, s) _mm256_dpbusd_epi32(_mm256_setzero_si256(), (u), (s))
#if defined(__x86_64__)
#include "QuantRowsTemplate.h"
#endif
