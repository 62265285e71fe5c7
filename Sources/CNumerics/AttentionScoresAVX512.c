// Attention scores with AVX-512: the same numbers as `AttentionScores.rows` (the Swift reference, which LLVM
// compiles with the sixteen-score reduction's shuffles merged into slow sequences); see that type for the order.
#include "CNumerics.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define CN_AVX512 __attribute__((target("avx2,fma,f16c,avx512f,avx512bw,avx512vl")))

CN_AVX512 static inline __m512 widen(const uint16_t *p) {
    return _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)p));
}

// The four halving steps of `VectorOps.reduce16` for 2, 4, 8, 16 inputs at once (see `AttentionScores.reduceEach`).
CN_AVX512 static inline __m512 halves(__m512 a, __m512 b) {
    return _mm512_add_ps(_mm512_shuffle_f32x4(a, b, _MM_SHUFFLE(1, 0, 1, 0)), _mm512_shuffle_f32x4(a, b, _MM_SHUFFLE(3, 2, 3, 2)));
}
CN_AVX512 static inline __m512 quarters(__m512 a, __m512 b) {
    return _mm512_add_ps(_mm512_shuffle_f32x4(a, b, _MM_SHUFFLE(2, 0, 2, 0)), _mm512_shuffle_f32x4(a, b, _MM_SHUFFLE(3, 1, 3, 1)));
}
CN_AVX512 static inline __m512 eighths(__m512 a, __m512 b) {
    __m512d x = _mm512_castps_pd(a), y = _mm512_castps_pd(b);
    return _mm512_add_ps(_mm512_castpd_ps(_mm512_unpacklo_pd(x, y)), _mm512_castpd_ps(_mm512_unpackhi_pd(x, y)));
}
CN_AVX512 static inline __m512 pairs(__m512 a, __m512 b) {
    return _mm512_add_ps(_mm512_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0)), _mm512_shuffle_ps(a, b, _MM_SHUFFLE(3, 1, 3, 1)));
}

// Lane i: the halving sum of v[i]. The steps leave input 4j + k in lane 4k + j, so the inputs go in transposed.
CN_AVX512 static inline __m512 reduce_each(const __m512 v[16]) {
    __m512 c0 = halves(v[0], v[4]), c1 = halves(v[8], v[12]), c2 = halves(v[1], v[5]), c3 = halves(v[9], v[13]);
    __m512 c4 = halves(v[2], v[6]), c5 = halves(v[10], v[14]), c6 = halves(v[3], v[7]), c7 = halves(v[11], v[15]);
    __m512 e0 = quarters(c0, c1), e1 = quarters(c2, c3), e2 = quarters(c4, c5), e3 = quarters(c6, c7);
    return pairs(eighths(e0, e1), eighths(e2, e3));
}

// Lane 4i + j: dot(q_i, k_j) in the chosen order, before the scalar tail.
CN_AVX512 static inline __m512 block(const float *q, ptrdiff_t qs, const uint16_t *k[4], ptrdiff_t width, int tiled) {
    __m512 s[16];
    for (int p = 0; p < 16; p++) s[p] = _mm512_setzero_ps();
    if (tiled) {
        for (ptrdiff_t d = 0; d + 16 <= width; d += 16) {
            __m512 x0 = widen(k[0] + d), x1 = widen(k[1] + d), x2 = widen(k[2] + d), x3 = widen(k[3] + d);
            for (int i = 0; i < 4; i++) {
                __m512 y = _mm512_loadu_ps(q + i * qs + d);
                s[4 * i + 0] = _mm512_fmadd_ps(y, x0, s[4 * i + 0]);
                s[4 * i + 1] = _mm512_fmadd_ps(y, x1, s[4 * i + 1]);
                s[4 * i + 2] = _mm512_fmadd_ps(y, x2, s[4 * i + 2]);
                s[4 * i + 3] = _mm512_fmadd_ps(y, x3, s[4 * i + 3]);
            }
        }
    } else {
        // Key by key, so that each converted key serves the four rows; 4 rows × 4 accumulators stay in registers.
        const ptrdiff_t steps = width / 64 * 64;
        for (int j = 0; j < 4; j++) {
            __m512 a[4][4];
            for (int i = 0; i < 4; i++) a[i][0] = a[i][1] = a[i][2] = a[i][3] = _mm512_setzero_ps();
            for (ptrdiff_t d = 0; d < steps; d += 64) {
                __m512 x0 = widen(k[j] + d), x1 = widen(k[j] + d + 16), x2 = widen(k[j] + d + 32), x3 = widen(k[j] + d + 48);
                for (int i = 0; i < 4; i++) {
                    const float *qi = q + i * qs + d;
                    a[i][0] = _mm512_fmadd_ps(_mm512_loadu_ps(qi), x0, a[i][0]);
                    a[i][1] = _mm512_fmadd_ps(_mm512_loadu_ps(qi + 16), x1, a[i][1]);
                    a[i][2] = _mm512_fmadd_ps(_mm512_loadu_ps(qi + 32), x2, a[i][2]);
                    a[i][3] = _mm512_fmadd_ps(_mm512_loadu_ps(qi + 48), x3, a[i][3]);
                }
            }
            for (int i = 0; i < 4; i++)
                s[4 * i + j] = _mm512_add_ps(_mm512_add_ps(a[i][0], a[i][2]), _mm512_add_ps(a[i][1], a[i][3]));
        }
    }
    return reduce_each(s);
}

CN_AVX512
void cn_attention_scores(const float *queries, ptrdiff_t query_stride, const void *keys, ptrdiff_t key_stride,
                         ptrdiff_t key_count, ptrdiff_t width, int tiled, float scale, float *scores,
                         ptrdiff_t score_stride) {
    const uint16_t *base = (const uint16_t *)keys;
    const ptrdiff_t done = tiled ? width / 16 * 16 : width / 64 * 64;
    const __m512 factor = _mm512_set1_ps(scale);
    for (ptrdiff_t p = 0; p < key_count; p += 4) {
        const uint16_t *k[4];
        for (int j = 0; j < 4; j++) k[j] = base + (p + (j < key_count - p ? j : key_count - p - 1)) * key_stride;
        __m512 r = block(queries, query_stride, k, width, tiled);
        if (done < width) {
            // `dot`'s scalar tail; products of f16 values are exact, so contraction could not matter.
            float lanes[16];
            _mm512_storeu_ps(lanes, r);
            for (int i = 0; i < 4; i++)
                for (int j = 0; j < 4; j++)
                    for (ptrdiff_t d = done; d < width; d++)
                        lanes[4 * i + j] += queries[i * query_stride + d] * _cvtsh_ss(k[j][d]);
            r = _mm512_loadu_ps(lanes);
        }
        r = _mm512_mul_ps(r, factor);
        _mm_storeu_ps(scores + p, _mm512_castps512_ps128(r));
        _mm_storeu_ps(scores + score_stride + p, _mm512_extractf32x4_ps(r, 1));
        _mm_storeu_ps(scores + 2 * score_stride + p, _mm512_extractf32x4_ps(r, 2));
        _mm_storeu_ps(scores + 3 * score_stride + p, _mm512_extractf32x4_ps(r, 3));
    }
}

CN_AVX512
void cn_attention_weighted_sums(const float *weights, ptrdiff_t weight_stride, const ptrdiff_t counts[4],
                                const void *values_t, ptrdiff_t values_t_stride, ptrdiff_t width, float *output,
                                ptrdiff_t output_stride) {
    const uint16_t *base = (const uint16_t *)values_t;
    ptrdiff_t widest = 0;
    for (int i = 0; i < 4; i++) widest = counts[i] > widest ? counts[i] : widest;
    for (ptrdiff_t c = 0; c < width; c += 4) {
        const uint16_t *v[4];
        for (int j = 0; j < 4; j++) v[j] = base + (c + j < width ? c + j : width - 1) * values_t_stride;
        __m512 s[16];
        for (int p = 0; p < 16; p++) s[p] = _mm512_setzero_ps();
        for (ptrdiff_t p = 0; p < widest; p += 16) {
            __m512 x0 = widen(v[0] + p), x1 = widen(v[1] + p), x2 = widen(v[2] + p), x3 = widen(v[3] + p);
            for (int i = 0; i < 4; i++) {
                // Positions at or beyond the row's count leave their lanes exactly as they are.
                ptrdiff_t left = counts[i] - p;
                __mmask16 m = left >= 16 ? 0xffff : left <= 0 ? 0 : (__mmask16)((1u << left) - 1);
                __m512 y = _mm512_loadu_ps(weights + i * weight_stride + p);
                s[4 * i + 0] = _mm512_mask3_fmadd_ps(y, x0, s[4 * i + 0], m);
                s[4 * i + 1] = _mm512_mask3_fmadd_ps(y, x1, s[4 * i + 1], m);
                s[4 * i + 2] = _mm512_mask3_fmadd_ps(y, x2, s[4 * i + 2], m);
                s[4 * i + 3] = _mm512_mask3_fmadd_ps(y, x3, s[4 * i + 3], m);
            }
        }
        float lanes[16];
        _mm512_storeu_ps(lanes, reduce_each(s));
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4 && c + j < width; j++) output[i * output_stride + c + j] = lanes[4 * i + j];
    }
}

#else
void cn_attention_weighted_sums(const float *weights, ptrdiff_t weight_stride, const ptrdiff_t counts[4],
                                const void *values_t, ptrdiff_t values_t_stride, ptrdiff_t width, float *output,
                                ptrdiff_t output_stride) {
    __builtin_trap();
}
void cn_attention_scores(const float *queries, ptrdiff_t query_stride, const void *keys, ptrdiff_t key_stride,
                         ptrdiff_t key_count, ptrdiff_t width, int tiled, float scale, float *scores,
                         ptrdiff_t score_stride) {
    __builtin_trap();
}
#endif
