// The quantized row kernels, written once and compiled per instruction set: the including file defines
// CN_TARGET (a function attribute), CN_SUFFIX (a name suffix) and CN_GROUPS(u, s), the eight exact Int32 sums of
// four adjacent products of unsigned bytes `u` and signed bytes `s` (what ggml's `mul_sum_us8_pairs` computes).
//
// Every (row, token) pair is summed exactly as ggml's x86 `ggml_vec_dot_q*_q8_*` sums it, whatever the tile it is
// computed in: tiles only interleave independent chains, so results do not depend on the number of tokens.

#include <immintrin.h>
#include <stdint.h>
#include <string.h>
#include "CNumerics.h"
#include "ThreadScratch.h"

#define CN_CAT_(a, b) a##b
#define CN_CAT(a, b) CN_CAT_(a, b)
#define CN_FN(name) CN_CAT(name, CN_SUFFIX)
#define CN_INLINE static inline __attribute__((always_inline)) CN_TARGET

enum { CN_Q8_0, CN_Q4_0, CN_Q4_1 };

/// Rows per cache block in prefill: their weights stay in L1 while every token passes over them.
#ifndef CN_ROW_BLOCK
#define CN_ROW_BLOCK 16
#endif
/// Decode's software prefetch distance (bytes) and the row length (blocks) beyond which it is used.
#define CN_DECODE_AHEAD 8192
#define CN_DECODE_AHEAD_FROM 128
/// The prefill tile of the AVX2 kernels (rows × tokens computed together, each weight block decoded once per row
/// for all its tokens), the best of 1–4 × 4–8 measured on Zen 4 (thread CPU time, 64 tokens): 1 × 8 for Q8_0 (45 vs
/// 39 GB/s·token for 2 × 4) and Q4_0, 2 × 4 for Q4_1 (25 vs 20 for 1 × 8).
#define CN_TILE_R(fmt) ((fmt) == CN_Q4_1 ? 2 : 1)
#define CN_TILE_T(fmt) ((fmt) == CN_Q4_1 ? 4 : 8)
#define CN_MAX_R 2
#define CN_MAX_T 8
/// The VNNI tile: rows × the 8 tokens of a packed panel; 4 rows are the most whose 16 accumulators, weights and
/// products stay in the 32 registers.
#define CN_UTILE_R 4
/// Tokens packed at a time (a multiple of 8): their panels stay in L1/L2 while every row block of a span passes
/// over them (4–32 measured the same on SmolLM2 shapes with 4-token panels; 16 best for rows of 14336).
#define CN_GROUP_T 16
/// Weight bytes per span of rows in VNNI prefill: half of Zen 4's 1 MiB L2, so that the span stays there with the
/// panels while all tokens pass (ns per block × token, 64 tokens: 4096 × 14336 Q8_0 0.55 vs 0.61 with 256 KiB;
/// 131072 × 576 0.57 either way, 0.72 for the 1 × 8 tile).
#define CN_SPAN_BYTES (512 * 1024)

CN_INLINE float CN_FN(cn_f16)(const uint8_t *p) {
    uint16_t h;
    memcpy(&h, p, 2);
    return _cvtsh_ss(h);
}

/// ggml's `hsum_float_8`: (lo + hi), then (0 + 2) + (1 + 3).
CN_INLINE float CN_FN(cn_hsum)(__m256 acc) {
    __m128 r = _mm_add_ps(_mm256_castps256_ps128(acc), _mm256_extractf128_ps(acc, 1));
    __m128 s = _mm_add_ps(r, _mm_movehl_ps(r, r));
    return _mm_cvtss_f32(_mm_add_ss(s, _mm_movehdup_ps(s)));
}

/// The 32 nibbles of 16 bytes in value order (low nibbles first), as bytes.
CN_INLINE __m256i CN_FN(cn_nibbles)(const uint8_t *q) {
    // The 16 bytes in both halves (a load), the upper half shifted by 4: one ALU operation fewer than inserting.
    __m256i b = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)q));
    b = _mm256_srlv_epi32(b, _mm256_setr_epi32(0, 0, 0, 0, 4, 4, 4, 4));
    return _mm256_and_si256(b, _mm256_set1_epi8(0x0F));
}

static inline ptrdiff_t cn_block_bytes(int fmt) { return fmt == CN_Q8_0 ? 34 : fmt == CN_Q4_0 ? 18 : 20; }

/// R rows, `row` and every `gap`-th after it, × T tokens from `t0`; each row's weights prefetched `ahead` bytes
/// ahead (every other block), or not at all when `ahead` is 0.
CN_INLINE void CN_FN(cn_tile)(const int fmt, const int R, const int T, const uint8_t *w, ptrdiff_t row_bytes,
                              ptrdiff_t blocks, cn_activations x, ptrdiff_t t0, ptrdiff_t row, ptrdiff_t gap,
                              ptrdiff_t ahead, float *y, ptrdiff_t y_stride) {
    const ptrdiff_t bb = cn_block_bytes(fmt);
    __m256 acc[CN_MAX_R][CN_MAX_T];
    float off[CN_MAX_R][CN_MAX_T];
    const int8_t *xv[CN_MAX_T];
    const float *xd[CN_MAX_T], *xs[CN_MAX_T];
    for (int t = 0; t < T; t++) {
        const uint8_t *p = (const uint8_t *)x.base + (t0 + t) * x.token_stride;
        xv[t] = (const int8_t *)p;
        xd[t] = (const float *)(p + x.scale_offset);
        xs[t] = (const float *)(p + x.sum_offset);
        for (int r = 0; r < R; r++) { acc[r][t] = _mm256_setzero_ps(); off[r][t] = 0.0f; }
    }
    const uint8_t *wr[CN_MAX_R];
    for (int r = 0; r < R; r++) wr[r] = w + (row + r * gap) * row_bytes;
    for (ptrdiff_t b = 0; b < blocks; b++) {
        __m256i yv[CN_MAX_T];
        for (int t = 0; t < T; t++) yv[t] = _mm256_loadu_si256((const __m256i *)(xv[t] + 32 * b));
        for (int r = 0; r < R; r++) {
            const uint8_t *wb = wr[r] + b * bb;
            if (ahead && !(b & 1)) _mm_prefetch((const char *)(wb + ahead), _MM_HINT_T0);
            // d (and m for Q4_1) converted together from one load.
            uint32_t dm_bits;
            memcpy(&dm_bits, wb, 4);
            const __m128 dm = _mm_cvtph_ps(_mm_cvtsi32_si128((int)dm_bits));
            const __m256 d = _mm256_broadcastss_ps(dm);
            const float m = _mm_cvtss_f32(_mm_movehdup_ps(dm));
            __m256i wv, aw;
            if (fmt == CN_Q8_0) {
                wv = _mm256_loadu_si256((const __m256i *)(wb + 2));
                aw = _mm256_sign_epi8(wv, wv);
            } else if (fmt == CN_Q4_0) {
                wv = _mm256_sub_epi8(CN_FN(cn_nibbles)(wb + 2), _mm256_set1_epi8(8));
                aw = _mm256_sign_epi8(wv, wv);
            } else {
                wv = CN_FN(cn_nibbles)(wb + 4);
                aw = wv;
            }
            for (int t = 0; t < T; t++) {
                // Signed weights: |w| × (x with w's sign), as ggml's `mul_sum_i8_pairs_float`.
                const __m256i s = fmt == CN_Q4_1 ? yv[t] : _mm256_sign_epi8(yv[t], wv);
                const __m256 g = _mm256_cvtepi32_ps(CN_GROUPS(aw, s));
                acc[r][t] = _mm256_fmadd_ps(g, _mm256_mul_ps(d, _mm256_broadcast_ss(xd[t] + b)), acc[r][t]);
                if (fmt == CN_Q4_1) off[r][t] = __builtin_fmaf(m, xs[t][b], off[r][t]);
            }
        }
    }
    for (int t = 0; t < T; t++)
        for (int r = 0; r < R; r++)
            y[(t0 + t) * y_stride + row + r * gap] = CN_FN(cn_hsum)(acc[r][t]) + off[r][t];
}

#ifdef CN_VNNI
/// Prefill and batched decode with AVX-512 VNNI on panels of eight tokens' activations repacked per block
/// (`cn_pack`), without sign operations: Q8_0 weights made unsigned once per (row, block) (w + 128) with each
/// `vpdpbusd` started from −128·Σ(four adjacent x) of its token's block, Q4_0 nibbles taken as they are
/// (n = (n − 8) + 8) with a start of −8·Σ(four x), Q4_1 nibbles from zero; so every lane ends at exactly the integer
/// Σ w·x of ggml's sign trick.
///
/// A 512-bit register holds two tokens' chains of one row, one per half: the row's 32 weights in both halves, two
/// tokens' values side by side as the panel stores them. Zen 5 runs `vpdpbusd`, FMA and multiply on the same two
/// pipes at two 512-bit operations a cycle, as many as 256-bit ones (measured: 2.0 per cycle for either width), so
/// this halves the work on those pipes per (row, token, block); the conversions and shuffles go to the other two.
enum { CN_PT = 8, CN_PANEL_BLOCK = 640 };
/// Offsets in a panel block: values (8 × 32 bytes), starts (8 × 8 Int32), scales spread for `vpermilps` (16 floats),
/// sums (8 floats); 640 keeps every block 64-byte aligned.
enum { CN_PANEL_STARTS = 256, CN_PANEL_SCALES = 512, CN_PANEL_SUMS = 576 };

/// Eight tokens from `t0` (`count` of them real, the rest zero), block by block. The scales of token t = 2k + h go
/// to element k of 128-bit lanes 2h and 2h + 1, so that `vpermilps` with k·0x55 of d_w·scales gives pair k's two
/// products, each across its half.
CN_INLINE void CN_FN(cn_pack)(const int fmt, cn_activations x, ptrdiff_t t0, ptrdiff_t count, ptrdiff_t blocks,
                              uint8_t *panel) {
    const __m256i bias = _mm256_set1_epi8(fmt == CN_Q4_0 ? 8 : (char)0x80), zero = _mm256_setzero_si256();
    if (count < CN_PT) memset(panel, 0, (size_t)(blocks * CN_PANEL_BLOCK));
    for (int t = 0; t < count; t++) {
        const uint8_t *p = (const uint8_t *)x.base + (t0 + t) * x.token_stride;
        const float *d = (const float *)(p + x.scale_offset), *sum = (const float *)(p + x.sum_offset);
        const int k = t / 2, h = t % 2;
        for (ptrdiff_t b = 0; b < blocks; b++) {
            uint8_t *q = panel + b * CN_PANEL_BLOCK;
            const __m256i v = _mm256_loadu_si256((const __m256i *)(p + 32 * b));
            _mm256_store_si256((__m256i *)(q + 32 * t), v);
            if (fmt != CN_Q4_1)
                _mm256_store_si256((__m256i *)(q + CN_PANEL_STARTS + 32 * t),
                                   _mm256_sub_epi32(zero, _mm256_dpbusd_epi32(zero, bias, v)));
            float *scales = (float *)(q + CN_PANEL_SCALES);
            scales[8 * h + k] = scales[8 * h + 4 + k] = d[b];
            ((float *)(q + CN_PANEL_SUMS))[t] = sum[b];
        }
    }
}

/// The upper half of a 512-bit float register.
CN_INLINE __m256 CN_FN(cn_upper)(__m512 v) { return _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1)); }

/// `lo` and `hi` in one register (AVX-512F alone: `vinsertf32x8` would need DQ).
CN_INLINE __m512 CN_FN(cn_join)(__m256 lo, __m256 hi) {
    return _mm512_castpd_ps(_mm512_insertf64x4(_mm512_castps_pd(_mm512_castps256_ps512(lo)), _mm256_castps_pd(hi), 1));
}

/// The 32 sums of a full 4-row tile, each added exactly as `cn_hsum` adds its half (lo + hi, then (0 + 2) and
/// (1 + 3), then their sum) but by whole-register steps that each pair two registers' lanes: 42 shuffles and adds
/// instead of some 250 scalar operations. On SmolLM2's rows of 576 values the scalar sums took about a sixth of the
/// time of 16 sequences decoding together (measured by leaving them out). `y` points at token 0's first row; each
/// token's four rows (plus Q4_1's offsets) are stored together.
CN_INLINE void CN_FN(cn_utile_store)(const int with_offsets, __m512 (*acc)[CN_PT / 2], const __m256 *off, float *y,
                                     ptrdiff_t y_stride) {
    // Lanes of `acc[r][k]`: 128-bit lanes 0/1 the low/high halves of token 2k's chain, 2/3 token 2k + 1's.
    // u[kk][i]: rows i and i + 2 of pair k = 2h + kk, one output's four lo + hi per 128-bit lane: (i, 2k),
    // (i, 2k + 1), (i + 2, 2k), (i + 2, 2k + 1).
    __m512 f[2];
    for (int h = 0; h < 2; h++) {
        __m512 u[2][2];
        for (int kk = 0; kk < 2; kk++)
            for (int i = 0; i < 2; i++) {
                const __m512 a = acc[i][2 * h + kk], b = acc[i + 2][2 * h + kk];
                u[kk][i] = _mm512_add_ps(_mm512_shuffle_f32x4(a, b, 0x88), _mm512_shuffle_f32x4(a, b, 0xDD));
            }
        // v[kk]: per 128-bit lane (0 + 2, 1 + 3) of u[kk][0]'s output, then of u[kk][1]'s.
        __m512 v[2];
        for (int kk = 0; kk < 2; kk++)
            v[kk] = _mm512_add_ps(_mm512_shuffle_ps(u[kk][0], u[kk][1], 0x44), _mm512_shuffle_ps(u[kk][0], u[kk][1], 0xEE));
        // 128-bit lane j: the sums of lane j of u[0][0], u[0][1], u[1][0], u[1][1].
        f[h] = _mm512_add_ps(_mm512_shuffle_ps(v[0], v[1], 0x88), _mm512_shuffle_ps(v[0], v[1], 0xDD));
    }
    // Lane 4t + r: row r of token t (of the four in f[h]).
    const __m512i order = _mm512_setr_epi32(0, 1, 8, 9, 4, 5, 12, 13, 2, 3, 10, 11, 6, 7, 14, 15);
    const __m512i spread = _mm512_setr_epi32(0, 8, 16, 24, 1, 9, 17, 25, 2, 10, 18, 26, 3, 11, 19, 27);
    const __m512 off01 = CN_FN(cn_join)(off[0], off[1]), off23 = CN_FN(cn_join)(off[2], off[3]);
    for (int h = 0; h < 2; h++) {
        __m512 g = _mm512_permutexvar_ps(order, f[h]);
        if (with_offsets) {
            const __m512i index = _mm512_add_epi32(spread, _mm512_set1_epi32(4 * h));
            g = _mm512_add_ps(g, _mm512_permutex2var_ps(off01, index, off23));
        }
        float *yt = y + 4 * h * y_stride;
        _mm_storeu_ps(yt, _mm512_castps512_ps128(g));
        _mm_storeu_ps(yt + y_stride, _mm512_extractf32x4_ps(g, 1));
        _mm_storeu_ps(yt + 2 * y_stride, _mm512_extractf32x4_ps(g, 2));
        _mm_storeu_ps(yt + 3 * y_stride, _mm512_extractf32x4_ps(g, 3));
    }
}

/// R rows from `row` × the eight tokens of `panel` (from `t0`, `count` of them stored).
CN_INLINE void CN_FN(cn_utile)(const int fmt, const int R, const uint8_t *w, ptrdiff_t row_bytes, ptrdiff_t blocks,
                               const uint8_t *panel, ptrdiff_t t0, ptrdiff_t count, ptrdiff_t row, float *y,
                               ptrdiff_t y_stride) {
    const ptrdiff_t bb = cn_block_bytes(fmt);
    __m512 acc[CN_UTILE_R][CN_PT / 2];
    // Q4_1's offsets m_w·s_x, one lane per token: the same fma chain per (row, token) as ggml's scalar one.
    __m256 off[CN_UTILE_R];
    for (int r = 0; r < R; r++) {
        off[r] = _mm256_setzero_ps();
        for (int k = 0; k < CN_PT / 2; k++) acc[r][k] = _mm512_setzero_ps();
    }
    const uint8_t *w0 = w + row * row_bytes;
    const __m512i bias = _mm512_set1_epi8((char)0x80), low = _mm512_set1_epi8(0x0F);
    // The 16 bytes of nibbles in all four 128-bit lanes, lanes 1 and 3 shifted by 4: low nibbles, high nibbles, twice.
    const __m512i shifts = _mm512_setr_epi32(0, 0, 0, 0, 4, 4, 4, 4, 0, 0, 0, 0, 4, 4, 4, 4);
    for (ptrdiff_t b = 0; b < blocks; b++) {
        const uint8_t *q = panel + b * CN_PANEL_BLOCK;
        const uint8_t *wb0 = w0 + b * bb;
        const __m512 scales = _mm512_load_ps((const float *)(q + CN_PANEL_SCALES));
        const __m256 sx = _mm256_load_ps((const float *)(q + CN_PANEL_SUMS));
        __m512 products[CN_UTILE_R];
        __m512i u[CN_UTILE_R];
        for (int r = 0; r < R; r++) {
            const uint8_t *wb = wb0 + r * row_bytes;
            // The next tile's rows, one tile ahead: with few tokens (batched decode) each weight is used once or
            // twice per call, and rows of a few hundred bytes are too short for the hardware prefetchers to hide
            // memory (16 tokens × 131072 × 576 Q8_0: 0.54 vs 0.76 ns per block × token on Zen 4; no cost in cache).
            _mm_prefetch((const char *)(wb + R * row_bytes), _MM_HINT_T0);
            // d_w·d_x for the row's eight tokens in one multiply; each pair's two then spread by an in-lane shuffle.
            if (fmt == CN_Q4_1) {
                uint32_t dm_bits;
                memcpy(&dm_bits, wb, 4);
                const __m128 dm = _mm_cvtph_ps(_mm_cvtsi32_si128((int)dm_bits));
                products[r] = _mm512_mul_ps(_mm512_broadcastss_ps(dm), scales);
                off[r] = _mm256_fmadd_ps(_mm256_broadcastss_ps(_mm_movehdup_ps(dm)), sx, off[r]);
            } else {
                products[r] = _mm512_mul_ps(_mm512_set1_ps(CN_FN(cn_f16)(wb)), scales);
            }
            if (fmt == CN_Q8_0) {
                u[r] = _mm512_xor_si512(_mm512_broadcast_i64x4(_mm256_loadu_si256((const __m256i *)(wb + 2))), bias);
            } else {
                const __m512i n = _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)(wb + (fmt == CN_Q4_0 ? 2 : 4))));
                u[r] = _mm512_and_si512(_mm512_srlv_epi32(n, shifts), low);
            }
        }
        // Rows inner: each pair's values and starts are loaded once per block for all rows (SmolLM2 shapes, 16
        // tokens, ns per block × token on Zen 5: 0.25–0.29 against 0.26–0.31 with rows outer).
        for (int k = 0; k < CN_PT / 2; k++) {
            const __m512i v = _mm512_load_si512((const void *)(q + 64 * k));
            const __m512i c = fmt == CN_Q4_1 ? _mm512_setzero_si512()
                                             : _mm512_load_si512((const void *)(q + CN_PANEL_STARTS + 64 * k));
            for (int r = 0; r < R; r++) {
                const __m512 g = _mm512_cvtepi32_ps(_mm512_dpbusd_epi32(c, u[r], v));
                const __m512 p = k == 0   ? _mm512_permute_ps(products[r], 0x00)
                                 : k == 1 ? _mm512_permute_ps(products[r], 0x55)
                                 : k == 2 ? _mm512_permute_ps(products[r], 0xAA)
                                          : _mm512_permute_ps(products[r], 0xFF);
                acc[r][k] = _mm512_fmadd_ps(g, p, acc[r][k]);
            }
        }
    }
    // Partial panels and the last rows of a block, one sum at a time.
    if (R == CN_UTILE_R && count == CN_PT) {
        CN_FN(cn_utile_store)(fmt == CN_Q4_1, acc, off, y + t0 * y_stride + row, y_stride);
        return;
    }
    for (int r = 0; r < R; r++) {
        float o[CN_PT];
        _mm256_storeu_ps(o, off[r]);
        for (int t = 0; t < count; t++) {
            const __m512 a = acc[r][t / 2];
            const __m256 half = t % 2 ? CN_FN(cn_upper)(a) : _mm512_castps512_ps256(a);
            y[(t0 + t) * y_stride + row + r] = CN_FN(cn_hsum)(half) + (fmt == CN_Q4_1 ? o[t] : 0.0f);
        }
    }
}
#endif

#ifdef CN_VNNI
/// Prefill and batched decode on packed panels; returns false (having done nothing) when the panel buffer cannot be
/// allocated.
///
/// Rows are taken in spans whose weights fit in L2 (CN_SPAN_BYTES): each span's weights are read from memory once
/// while every token passes, 16 tokens (two panels) packed at a time; the packing, repeated per span, costs a few
/// percent when a span is only CN_ROW_BLOCK rows long. A last partial panel is padded with zero tokens, computed and
/// not stored: cheaper than taking its tokens one at a time.
CN_INLINE int CN_FN(cn_panel_rows)(const int fmt, const uint8_t *wp, ptrdiff_t row_bytes, ptrdiff_t blocks,
                                   ptrdiff_t row_begin, ptrdiff_t row_end, cn_activations x, ptrdiff_t tokens,
                                   float *y, ptrdiff_t y_stride) {
    // The thread's scratch: no allocation per call once the widest matrix has been seen.
    const ptrdiff_t group_bytes = (ptrdiff_t)(CN_GROUP_T / CN_PT) * blocks * CN_PANEL_BLOCK;
    uint8_t *panels = (uint8_t *)cn_thread_scratch((size_t)group_bytes);
    if (!panels) return 0;
    ptrdiff_t span = CN_SPAN_BYTES / row_bytes / CN_ROW_BLOCK * CN_ROW_BLOCK;
    if (span < CN_ROW_BLOCK) span = CN_ROW_BLOCK;
    for (ptrdiff_t sb = row_begin; sb < row_end; sb += span) {
        const ptrdiff_t se = sb + span < row_end ? sb + span : row_end;
        for (ptrdiff_t t = 0; t < tokens; t += CN_GROUP_T) {
            const ptrdiff_t group = tokens - t < CN_GROUP_T ? tokens - t : CN_GROUP_T;
            const ptrdiff_t n = (group + CN_PT - 1) / CN_PT;
            // Tokens in panel k: CN_PT but for a last partial panel.
            ptrdiff_t counts[CN_GROUP_T / CN_PT];
            for (ptrdiff_t k = 0; k < n; k++) {
                counts[k] = group - CN_PT * k < CN_PT ? group - CN_PT * k : CN_PT;
                CN_FN(cn_pack)(fmt, x, t + CN_PT * k, counts[k], blocks, panels + k * blocks * CN_PANEL_BLOCK);
            }
            for (ptrdiff_t rc = sb; rc < se; rc += CN_ROW_BLOCK) {
                const ptrdiff_t rce = rc + CN_ROW_BLOCK < se ? rc + CN_ROW_BLOCK : se;
                for (ptrdiff_t k = 0; k < n; k++) {
                    const uint8_t *panel = panels + k * blocks * CN_PANEL_BLOCK;
                    ptrdiff_t r = rc;
                    for (; r + CN_UTILE_R <= rce; r += CN_UTILE_R)
                        CN_FN(cn_utile)(fmt, CN_UTILE_R, wp, row_bytes, blocks, panel, t + CN_PT * k, counts[k], r,
                                        y, y_stride);
                    for (; r < rce; r++)
                        CN_FN(cn_utile)(fmt, 1, wp, row_bytes, blocks, panel, t + CN_PT * k, counts[k], r, y, y_stride);
                }
            }
        }
    }
    return 1;
}
#endif

CN_INLINE void CN_FN(cn_rows)(const int fmt, const void *w, ptrdiff_t row_bytes, ptrdiff_t blocks,
                              ptrdiff_t row_begin, ptrdiff_t row_end, cn_activations x, ptrdiff_t tokens, float *y,
                              ptrdiff_t y_stride) {
    const uint8_t *wp = (const uint8_t *)w;
    if (tokens == 1) {
        // Decode: two rows at a time, one from each half of the range. One row's chain of FMAs (4 cycles a block)
        // leaves memory idle; two adjacent rows keep two chains but the prefetchers lose the stream at every row
        // (Q8_0 7–9 GB/s); two halves are two sequential streams. Measured on Zen 4, 1 thread, 1 GiB of weights,
        // GB/s: Q8_0 4096 columns 23–28 → 27–38 (its read probe 32–38), Q4_1 4096 columns 7 (adjacent rows) → 16–26;
        // at 576 columns within noise. Four streams measured no better.
        //
        // Long rows are also prefetched CN_DECODE_AHEAD bytes ahead in each stream, past a row's end into the next
        // (Zen 5, 1 thread, 1 GiB Q8_0, median GB/s: 14336 columns 26.7 → 36.5; 4096 and 576 columns, and Q4_1,
        // no better or worse).
        const ptrdiff_t half = (row_end - row_begin) / 2;
        const ptrdiff_t ahead = blocks > CN_DECODE_AHEAD_FROM ? CN_DECODE_AHEAD : 0;
        for (ptrdiff_t r = row_begin; r < row_begin + half; r++)
            CN_FN(cn_tile)(fmt, 2, 1, wp, row_bytes, blocks, x, 0, r, half, ahead, y, y_stride);
        if ((row_end - row_begin) % 2)
            CN_FN(cn_tile)(fmt, 1, 1, wp, row_bytes, blocks, x, 0, row_end - 1, 1, ahead, y, y_stride);
        return;
    }
#ifdef CN_VNNI
    if (CN_FN(cn_panel_rows)(fmt, wp, row_bytes, blocks, row_begin, row_end, x, tokens, y, y_stride)) return;
#endif
    for (ptrdiff_t rc = row_begin; rc < row_end; rc += CN_ROW_BLOCK) {
        const ptrdiff_t rce = rc + CN_ROW_BLOCK < row_end ? rc + CN_ROW_BLOCK : row_end;
        ptrdiff_t t = 0;
        for (; t + CN_TILE_T(fmt) <= tokens; t += CN_TILE_T(fmt)) {
            ptrdiff_t r = rc;
            for (; r + CN_TILE_R(fmt) <= rce; r += CN_TILE_R(fmt))
                CN_FN(cn_tile)(fmt, CN_TILE_R(fmt), CN_TILE_T(fmt), wp, row_bytes, blocks, x, t, r, 1, 0, y, y_stride);
            for (; r < rce; r++) CN_FN(cn_tile)(fmt, 1, CN_TILE_T(fmt), wp, row_bytes, blocks, x, t, r, 1, 0, y, y_stride);
        }
        // The remaining tokens (fewer than a tile): four, then one at a time.
        if (t + 4 <= tokens && CN_TILE_T(fmt) > 4) {
            for (ptrdiff_t r = rc; r < rce; r++) CN_FN(cn_tile)(fmt, 1, 4, wp, row_bytes, blocks, x, t, r, 1, 0, y, y_stride);
            t += 4;
        }
        for (; t < tokens; t++)
            for (ptrdiff_t r = rc; r < rce; r++) CN_FN(cn_tile)(fmt, 1, 1, wp, row_bytes, blocks, x, t, r, 1, 0, y, y_stride);
    }
}

CN_TARGET void CN_FN(cn_q8_0_rows_)(const void *w, ptrdiff_t row_bytes, ptrdiff_t blocks, ptrdiff_t row_begin,
                                    ptrdiff_t row_end, cn_activations x, ptrdiff_t tokens, float *y,
                                    ptrdiff_t y_stride) {
    CN_FN(cn_rows)(CN_Q8_0, w, row_bytes, blocks, row_begin, row_end, x, tokens, y, y_stride);
}

CN_TARGET void CN_FN(cn_q4_0_rows_)(const void *w, ptrdiff_t row_bytes, ptrdiff_t blocks, ptrdiff_t row_begin,
                                    ptrdiff_t row_end, cn_activations x, ptrdiff_t tokens, float *y,
                                    ptrdiff_t y_stride) {
    CN_FN(cn_rows)(CN_Q4_0, w, row_bytes, blocks, row_begin, row_end, x, tokens, y, y_stride);
}

CN_TARGET void CN_FN(cn_q4_1_rows_)(const void *w, ptrdiff_t row_bytes, ptrdiff_t blocks, ptrdiff_t row_begin,
                                    ptrdiff_t row_end, cn_activations x, ptrdiff_t tokens, float *y,
                                    ptrdiff_t y_stride) {
    CN_FN(cn_rows)(CN_Q4_1, w, row_bytes, blocks, row_begin, row_end, x, tokens, y, y_stride);
}
