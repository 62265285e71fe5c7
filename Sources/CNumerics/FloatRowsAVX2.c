// The BF16 / FP8 row kernels with AVX2 + FMA + F16C: a group of 16 lanes is two registers, so of the 16 only
// one row's 8 accumulators per token fit beside the operands; prefill shares each weight load over 2 tokens.
#define CN_TARGET __attribute__((target("avx2,fma,f16c")))
#define CN_SUFFIX avx2
#define CN_WIDE 0
#define CN_VBMI 0
#define CN_DECODE_R 1
#define CN_PREFILL_R 1
#define CN_PREFILL_T 2
#if defined(__x86_64__)
#include "FloatRowsTemplate.h"
#endif
