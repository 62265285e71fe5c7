// The BF16 / FP8 row kernels with AVX-512: a group of 16 lanes is one register; decode streams one row at a time
// (measured on Zen 4, 4096 columns: 27 GB/s from memory against 20 with 4 rows in flight, prefetching ahead
// only slower) and 1 row × 4 tokens share each weight load in prefill.
#define CN_TARGET __attribute__((target("avx2,fma,f16c,avx512f,avx512bw,avx512vl")))
#define CN_SUFFIX avx512
#define CN_WIDE 1
#define CN_VBMI 0
#define CN_DECODE_R 1
#define CN_PREFILL_R 1
#define CN_PREFILL_T 4
#if defined(__x86_64__)
#include "FloatRowsTemplate.h"
#endif
