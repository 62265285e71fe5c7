// Activation quantization to q8_0 / q8_1 with AVX2, as ggml's x86 `quantize_row_q8_0/1`: the same numbers as
// `ActivationQuantizer.q8Block` (the Swift reference), eight lanes at a time.
#include "CNumerics.h"

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx2,fma,f16c"))) static inline float round_f16(float v) {
    return _cvtsh_ss(_cvtss_sh(v, _MM_FROUND_TO_NEAREST_INT));
}

__attribute__((target("avx2,fma,f16c")))
void cn_quantize_q8(const float *x, ptrdiff_t blocks, int8_t *q, float *scales, float *sums, int scaled_sum) {
    const __m256 sign = _mm256_set1_ps(-0.0f);
    const __m256i low = _mm256_set1_epi32(-128), high = _mm256_set1_epi32(127);
    for (ptrdiff_t b = 0; b < blocks; b++) {
        const float *xb = x + 32 * b;
        __m256 v0 = _mm256_loadu_ps(xb), v1 = _mm256_loadu_ps(xb + 8);
        __m256 v2 = _mm256_loadu_ps(xb + 16), v3 = _mm256_loadu_ps(xb + 24);
        __m256 m = _mm256_max_ps(_mm256_max_ps(_mm256_andnot_ps(sign, v0), _mm256_andnot_ps(sign, v1)),
                                 _mm256_max_ps(_mm256_andnot_ps(sign, v2), _mm256_andnot_ps(sign, v3)));
        __m128 h = _mm_max_ps(_mm256_castps256_ps128(m), _mm256_extractf128_ps(m, 1));
        h = _mm_max_ps(h, _mm_movehl_ps(h, h));
        h = _mm_max_ss(h, _mm_movehdup_ps(h));
        const float amax = _mm_cvtss_f32(h);
        const float d = amax / 127.0f;
        const float id = amax != 0.0f ? 127.0f / amax : 0.0f;
        const __m256 mul = _mm256_set1_ps(id);
        // Round half to even, then convert: NaN and overflow give INT_MIN, which saturates to -128 below.
        __m256i i0 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v0, mul), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
        __m256i i1 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v1, mul), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
        __m256i i2 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v2, mul), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
        __m256i i3 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v3, mul), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
        // Σq over the saturated values (exact in any order).
        __m256i s = _mm256_add_epi32(
            _mm256_add_epi32(_mm256_max_epi32(low, _mm256_min_epi32(high, i0)), _mm256_max_epi32(low, _mm256_min_epi32(high, i1))),
            _mm256_add_epi32(_mm256_max_epi32(low, _mm256_min_epi32(high, i2)), _mm256_max_epi32(low, _mm256_min_epi32(high, i3))));
        __m128i s4 = _mm_add_epi32(_mm256_castsi256_si128(s), _mm256_extracti128_si256(s, 1));
        s4 = _mm_add_epi32(s4, _mm_unpackhi_epi64(s4, s4));
        s4 = _mm_add_epi32(s4, _mm_shuffle_epi32(s4, 1));
        const int total = _mm_cvtsi128_si32(s4);
        // Saturating packs interleave 128-bit lanes; the permutation restores element order (as ggml does).
        __m256i p = _mm256_packs_epi16(_mm256_packs_epi32(i0, i1), _mm256_packs_epi32(i2, i3));
        p = _mm256_permutevar8x32_epi32(p, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
        _mm256_storeu_si256((__m256i *)(q + 32 * b), p);
        scales[b] = round_f16(d);
        sums[b] = scaled_sum ? round_f16(d * (float)total) : (float)total;
    }
}
#else
void cn_quantize_q8(const float *x, ptrdiff_t blocks, int8_t *q, float *scales, float *sums, int scaled_sum) {
    __builtin_trap();
}
#endif
