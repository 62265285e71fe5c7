// The F16/F32 row kernels on 512-bit registers (AVX-512F + F16C): one register holds the sixteen lanes of an
// accumulator of `FloatRows`.
#if defined(__x86_64__)
#include <immintrin.h>
#include <stdint.h>
#define CN_TARGET __attribute__((target("avx2,fma,f16c,avx512f")))
#define CN_SUFFIX avx512
/// Prefill tiles of 4 rows × 6 tokens: 24 accumulators, 4 weights and an activation fill the 32 registers, and each
/// weight conversion feeds 6 FMAs (Zen 5, SmolLM2 F16 pp512, t/s at 1 / 2 threads: 613 / 1137 against 543 / 854 for
/// 4 × 4, 492 / 861 for 5 × 5).
#define CN_GEMM_T 6
typedef __m512 cn_v16;
#define CN_V static inline __attribute__((always_inline)) CN_TARGET
CN_V cn_v16 cn_v_zero(void) { return _mm512_setzero_ps(); }
CN_V cn_v16 cn_v_f32(const float *p) { return _mm512_loadu_ps(p); }
CN_V cn_v16 cn_v_f16(const uint16_t *p) { return _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)p)); }
CN_V cn_v16 cn_v_bf16(const uint16_t *p) {
    return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)p)), 16));
}
CN_V cn_v16 cn_v_fma(cn_v16 a, cn_v16 b, cn_v16 c) { return _mm512_fmadd_ps(a, b, c); }
CN_V cn_v16 cn_v_add(cn_v16 a, cn_v16 b) { return _mm512_add_ps(a, b); }
CN_V void cn_v_store(float *p, cn_v16 v) { _mm512_storeu_ps(p, v); }
/// `sums[o]` = lanes 0, 1, …, 15 of `lanes[o]` added in turn, for `o < count` (at most 16): a 16 × 16 transpose
/// (unpacks, then 128-bit shuffles), then fifteen vector additions in lane order.
CN_V void cn_v_sum_lanes16(const float (*lanes)[16], int count, float *sums) {
    __m512 r[16], t[16], u[16], v[16];
    for (int o = 0; o < 16; o++) r[o] = o < count ? _mm512_loadu_ps(lanes[o]) : _mm512_setzero_ps();
    for (int i = 0; i < 8; i++) {
        t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
    }
    // u[4i + m], 128-bit lane q: element 4q + m of rows 4i…4i+3.
    for (int i = 0; i < 4; i++) {
        u[4 * i] = _mm512_castpd_ps(_mm512_unpacklo_pd(_mm512_castps_pd(t[4 * i]), _mm512_castps_pd(t[4 * i + 2])));
        u[4 * i + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(_mm512_castps_pd(t[4 * i]), _mm512_castps_pd(t[4 * i + 2])));
        u[4 * i + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(_mm512_castps_pd(t[4 * i + 1]), _mm512_castps_pd(t[4 * i + 3])));
        u[4 * i + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(_mm512_castps_pd(t[4 * i + 1]), _mm512_castps_pd(t[4 * i + 3])));
    }
    // v[k]: element k of all sixteen rows.
    for (int m = 0; m < 4; m++) {
        const __m512 a = _mm512_shuffle_f32x4(u[m], u[4 + m], _MM_SHUFFLE(1, 0, 1, 0));
        const __m512 b = _mm512_shuffle_f32x4(u[8 + m], u[12 + m], _MM_SHUFFLE(1, 0, 1, 0));
        const __m512 c = _mm512_shuffle_f32x4(u[m], u[4 + m], _MM_SHUFFLE(3, 2, 3, 2));
        const __m512 d = _mm512_shuffle_f32x4(u[8 + m], u[12 + m], _MM_SHUFFLE(3, 2, 3, 2));
        v[m] = _mm512_shuffle_f32x4(a, b, _MM_SHUFFLE(2, 0, 2, 0));
        v[4 + m] = _mm512_shuffle_f32x4(a, b, _MM_SHUFFLE(3, 1, 3, 1));
        v[8 + m] = _mm512_shuffle_f32x4(c, d, _MM_SHUFFLE(2, 0, 2, 0));
        v[12 + m] = _mm512_shuffle_f32x4(c, d, _MM_SHUFFLE(3, 1, 3, 1));
    }
    __m512 s = v[0];
    for (int k = 1; k < 16; k++) s = _mm512_add_ps(s, v[k]);
    if (count >= 16) {
        _mm512_storeu_ps(sums, s);
    } else {
        float all[16];
        _mm512_storeu_ps(all, s);
        for (int o = 0; o < count; o++) sums[o] = all[o];
    }
}
#include "F16RowsTemplate.h"
#endif
