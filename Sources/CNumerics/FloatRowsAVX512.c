// The BF16 / FP8 row kernels with AVX-512: a group of 16 lanes is one register, so 4 rows × 1 token (16
// accumulators) stream together in decode and 1 row × 4 tokens share each weight load in prefill.
#define CN_TARGET __attribute__((target("avx2,fma,f16c,avx512f,avx512bw,avx512vl")))
#define CN_SUFFIX avx512
#define CN_WIDE 1
#define CN_DECODE_R 4
#define CN_PREFILL_R 1
#define CN_PREFILL_T 4
#if defined(__x86_64__)
#include "FloatRowsTemplate.h"
#endif
