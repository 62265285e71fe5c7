// The quantized row kernels with AVX2: `pmaddubsw` pairs (exact: |w|·|x| ≤ 128·127, two fit Int16), then `pmaddwd`.
#define CN_TARGET __attribute__((target("avx2,fma,f16c")))
#define CN_SUFFIX avx2
#define CN_GROUPS(u, s) _mm256_madd_epi16(_mm256_maddubs_epi16((u), (s)), _mm256_set1_epi16(1))
#if defined(__x86_64__)
#include "QuantRowsTemplate.h"
#endif
