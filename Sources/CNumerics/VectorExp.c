// The exponential of `VectorExp` (Arm's optimized-routines expf as ggml vectorizes it) and SwiGLU on 512-bit
// registers. Swift compiles the lane selects of its version to lane-by-lane code (SiLU took 5 % of a decode step);
// these compute the same operations in the same order, so the results are bit-identical to the Swift reference.
#include "CNumerics.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include <math.h>

#define CN_AVX512 __attribute__((target("avx2,fma,avx512f,avx512dq")))

CN_AVX512 static inline __m512 cn_exp16(__m512 x) {
    const __m512 shifter = _mm512_set1_ps(0x1.8p23f);
    const __m512 z = _mm512_fmadd_ps(x, _mm512_set1_ps(0x1.715476p+0f), shifter);
    const __m512 n = _mm512_sub_ps(z, shifter);
    __m512 b = _mm512_fnmadd_ps(n, _mm512_set1_ps(0x1.62e4p-1f), x);
    b = _mm512_fnmadd_ps(n, _mm512_set1_ps(0x1.7f7d1cp-20f), b);
    const __m512 u = _mm512_mul_ps(b, b);
    const __m512 inner = _mm512_fmadd_ps(_mm512_set1_ps(0x1.0e4020p-7f), b, _mm512_set1_ps(0x1.573e2ep-5f));
    const __m512 outer = _mm512_fmadd_ps(_mm512_set1_ps(0x1.555e66p-3f), b, _mm512_set1_ps(0x1.fffdb6p-2f));
    const __m512 low = _mm512_fmadd_ps(_mm512_set1_ps(0x1.ffffecp-1f), b, _mm512_set1_ps(1.0f));
    const __m512 j = _mm512_fmadd_ps(_mm512_fmadd_ps(inner, u, outer), u, low);
    __m512i e = _mm512_sub_epi32(_mm512_castps_si512(z), _mm512_castps_si512(shifter));
    e = _mm512_min_epi32(_mm512_max_epi32(e, _mm512_set1_epi32(-192)), _mm512_set1_epi32(192));
    const __m512i half = _mm512_srai_epi32(e, 1);
    const __m512i bias = _mm512_set1_epi32(127);
    const __m512 p1 = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(half, bias), 23));
    const __m512 p2 = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(_mm512_sub_epi32(e, half), bias), 23));
    __m512 result = _mm512_mul_ps(_mm512_mul_ps(j, p1), p2);
    // |n| > 192 or NaN: zero below, infinity above; NaN stays NaN.
    const __mmask16 inside = _mm512_cmp_ps_mask(_mm512_abs_ps(n), _mm512_set1_ps(192.0f), _CMP_LE_OQ);
    const __mmask16 nonpositive = _mm512_cmp_ps_mask(n, _mm512_setzero_ps(), _CMP_LE_OQ);
    const __m512 limit = _mm512_mask_blend_ps(nonpositive, _mm512_set1_ps(INFINITY), _mm512_setzero_ps());
    result = _mm512_mask_blend_ps(inside, limit, result);
    const __mmask16 nan = _mm512_cmp_ps_mask(n, n, _CMP_UNORD_Q);
    return _mm512_mask_blend_ps(nan, result, _mm512_set1_ps(NAN));
}

CN_AVX512 void cn_exp_avx512(const float *x, float *y, ptrdiff_t count16) {
    for (ptrdiff_t i = 0; i < 16 * count16; i += 16) _mm512_storeu_ps(y + i, cn_exp16(_mm512_loadu_ps(x + i)));
}

CN_AVX512 void cn_swiglu_avx512(float *gate, const float *up, ptrdiff_t count) {
    const __m512 sign = _mm512_set1_ps(-0.0f), one = _mm512_set1_ps(1.0f);
    ptrdiff_t i = 0;
    for (; i + 16 <= count; i += 16) {
        const __m512 g = _mm512_loadu_ps(gate + i);
        const __m512 silu = _mm512_div_ps(g, _mm512_add_ps(one, cn_exp16(_mm512_xor_ps(g, sign))));
        _mm512_storeu_ps(gate + i, _mm512_mul_ps(silu, _mm512_loadu_ps(up + i)));
    }
    // The tail as the Swift reference computes it: libm's expf.
    for (; i < count; i++) gate[i] = gate[i] / (1.0f + expf(-gate[i])) * up[i];
}
#else
void cn_exp_avx512(const float *x, float *y, ptrdiff_t count16) { __builtin_trap(); }
void cn_swiglu_avx512(float *gate, const float *up, ptrdiff_t count) { __builtin_trap(); }
#endif
