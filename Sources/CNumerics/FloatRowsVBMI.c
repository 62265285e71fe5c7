// The BF16 / FP8 row kernels with AVX-512 and VBMI: as FloatRowsAVX512.c, but FP8 decode widens the weights by
// byte-table lookups (`vpermi2b`), which needs far fewer instructions than the half-precision route.
#define CN_TARGET __attribute__((target("avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vbmi")))
#define CN_SUFFIX vbmi
#define CN_WIDE 1
#define CN_VBMI 1
#define CN_DECODE_R 1
#define CN_PREFILL_R 1
#define CN_PREFILL_T 4
#if defined(__x86_64__)
#include "FloatRowsTemplate.h"
#endif
