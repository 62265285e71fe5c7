// The F16/F32 row kernels on 256-bit registers (AVX2 + FMA + F16C): an accumulator of `FloatRows` is a pair of
// registers (lanes 0–7, 8–15), so tiles are smaller than with AVX-512: 2 rows × 2 tokens in prefill, one token in
// decode (its four accumulators take eight of the sixteen registers).
#if defined(__x86_64__)
#include <immintrin.h>
#include <stdint.h>
#define CN_TARGET __attribute__((target("avx2,fma,f16c")))
#define CN_SUFFIX avx2
#define CN_GEMM_R 2
#define CN_GEMM_T 2
#define CN_STREAM_T 1
typedef struct {
    __m256 lo, hi;
} cn_v16;
#define CN_V static inline __attribute__((always_inline)) CN_TARGET
CN_V cn_v16 cn_v_zero(void) { return (cn_v16){_mm256_setzero_ps(), _mm256_setzero_ps()}; }
CN_V cn_v16 cn_v_f32(const float *p) { return (cn_v16){_mm256_loadu_ps(p), _mm256_loadu_ps(p + 8)}; }
CN_V cn_v16 cn_v_f16(const uint16_t *p) {
    return (cn_v16){_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)p)),
                    _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(p + 8)))};
}
CN_V cn_v16 cn_v_bf16(const uint16_t *p) {
    const __m256i lo = _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)p));
    const __m256i hi = _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(p + 8)));
    return (cn_v16){_mm256_castsi256_ps(_mm256_slli_epi32(lo, 16)), _mm256_castsi256_ps(_mm256_slli_epi32(hi, 16))};
}
CN_V cn_v16 cn_v_fma(cn_v16 a, cn_v16 b, cn_v16 c) {
    return (cn_v16){_mm256_fmadd_ps(a.lo, b.lo, c.lo), _mm256_fmadd_ps(a.hi, b.hi, c.hi)};
}
CN_V cn_v16 cn_v_add(cn_v16 a, cn_v16 b) { return (cn_v16){_mm256_add_ps(a.lo, b.lo), _mm256_add_ps(a.hi, b.hi)}; }
CN_V void cn_v_store(float *p, cn_v16 v) {
    _mm256_storeu_ps(p, v.lo);
    _mm256_storeu_ps(p + 8, v.hi);
}
/// `sums[o]` = lanes 0, 1, …, 15 of `lanes[o]` added in turn, for `o < count` (scalar: this path is not tuned).
CN_V void cn_v_sum_lanes16(const float (*lanes)[16], int count, float *sums) {
    for (int o = 0; o < count; o++) {
        float s = lanes[o][0];
        for (int k = 1; k < 16; k++) s += lanes[o][k];
        sums[o] = s;
    }
}
#include "F16RowsTemplate.h"
#endif
