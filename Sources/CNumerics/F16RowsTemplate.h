// The F16 and F32 row kernels and BF16 prefill, written once and compiled per instruction set: the including file
// defines CN_TARGET (a function attribute), CN_SUFFIX (a name suffix) and the sixteen-float vector `cn_v16` with
// cn_v_zero, cn_v_f32 (load 16 floats), cn_v_f16 (load and widen 16 halves), cn_v_bf16 (load and widen 16 bfloats),
// cn_v_fma(a, b, c) = a·b + c rounded once, cn_v_add and cn_v_store.
//
// Every (row, token) pair is summed exactly as `FloatRows.dot1` (Swift, the reference) sums it: four 16-lane
// accumulators over chunks of 64 values (accumulator j takes values 16j…16j+15 of each chunk, by fused multiply-add),
// then chunks of 16 into the first, then ((a0 + a1) + (a2 + a3)), then its lanes added one after the other from lane 0
// (as `SIMD16<Float>.sum()` does: a left-to-right loop), then the remaining values by separate multiply and add.
// Tiles only interleave independent chains, so results do not depend on the number of tokens.

#include <immintrin.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "CNumerics.h"
#include "ThreadScratch.h"

#define CN_CAT_(a, b) a##b
#define CN_CAT(a, b) CN_CAT_(a, b)
#define CN_FN(name) CN_CAT(name, CN_SUFFIX)
#define CN_INLINE static inline __attribute__((always_inline)) CN_TARGET

/// Element kinds: IEEE half or bfloat16 (stored as bits), or float.
enum { CN_HALF, CN_FLOAT, CN_BRAIN };

/// The prefill tile: rows × tokens of outputs whose accumulators are in registers together (one of the four at a time).
#ifndef CN_GEMM_R
#define CN_GEMM_R 4
#endif
#ifndef CN_GEMM_T
#define CN_GEMM_T 4
#endif
/// Decode: rows streamed together, and the most tokens computed that way rather than as prefill.
#ifndef CN_STREAM_R
#define CN_STREAM_R 1
#endif
#ifndef CN_STREAM_T
#define CN_STREAM_T 2
#endif
/// Outputs of a tile, the larger of both kinds.
#define CN_PART (CN_GEMM_R * CN_GEMM_T > CN_STREAM_R * CN_STREAM_T ? CN_GEMM_R * CN_GEMM_T : CN_STREAM_R * CN_STREAM_T)
/// Bytes ahead of the current weights that decode prefetches (SmolLM2 F16 tg128 on Zen 5, median of five
/// interleaved runs, 1 thread: 103 t/s at 4096, 112 at 8192, 114 at 16384; 2 threads 175 → 183 at 8192).
#ifndef CN_PREFETCH
#define CN_PREFETCH 8192
#endif
/// How far the first pass over a tile's rows prefetches: the next tile when a tile is at most this many bytes, else
/// this much ahead shared among the tile's rows, as decode does. SmolLM2 F16, 16 sequences decoding together, Zen 5,
/// t/s at 1 / 2 threads: 280 / 520 → 380 / 690 (about the same with two tiles); pp512 and Llama-3.1-8B BF16 pp16
/// unchanged.
#define CN_GEMM_AHEAD 8192
/// Weight bytes per cache block of rows in prefill: they stay in L1 while every token passes over them.
/// Activation bytes per chunk of tokens in prefill: they stay in L2 while every block of rows passes over them.
#ifndef CN_CHUNK_BYTES
#define CN_CHUNK_BYTES (256 * 1024)
#endif
#ifndef CN_BLOCK_BYTES
#define CN_BLOCK_BYTES 16384
#endif

CN_INLINE cn_v16 CN_FN(cn_load16)(const int kind, const uint8_t *p, ptrdiff_t i) {
    return kind == CN_HALF    ? cn_v_f16((const uint16_t *)p + i)
           : kind == CN_BRAIN ? cn_v_bf16((const uint16_t *)p + i)
                              : cn_v_f32((const float *)p + i);
}

/// Bytes per element of kind `k`.
CN_INLINE int CN_FN(cn_element_bytes)(const int k) { return k == CN_FLOAT ? 4 : 2; }

CN_INLINE float CN_FN(cn_load1)(const int kind, const uint8_t *p, ptrdiff_t i) {
    if (kind == CN_FLOAT) return ((const float *)p)[i];
    uint16_t h;
    memcpy(&h, p + 2 * i, 2);
    if (kind == CN_HALF) return _cvtsh_ss(h);
    const uint32_t bits = (uint32_t)h << 16;
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

/// Writes `y[(t0 + t) * y_stride + row + r]` for the R × T outputs of a tile from their combined accumulators
/// (`lanes[r * T + t]` = (a0 + a1) + (a2 + a3)) and the values `i..<n` past the last chunk of 16.
CN_INLINE void CN_FN(cn_float_finish)(const int wk, const int xk, const int R, const int T,
                                      float (*lanes)[16], const uint8_t *const *wr, const uint8_t *const *xt,
                                      ptrdiff_t i, ptrdiff_t n, float *y, ptrdiff_t y_stride, ptrdiff_t t0,
                                      ptrdiff_t row) {
    float sums[CN_PART];
    // Sixteen outputs at a time, where there are that many: transposed, so that lane k of each output is added in
    // its turn by one vector addition for all of them.
    int o = 0;
    for (; o + 8 < R * T; o += 16) cn_v_sum_lanes16(lanes + o, R * T - o, sums + o);
    for (; o < R * T; o++) {
        float s = lanes[o][0];
        for (int k = 1; k < 16; k++) s += lanes[o][k];
        sums[o] = s;
    }
    for (int r = 0; r < R; r++) {
        for (int t = 0; t < T; t++) {
            float s = sums[r * T + t];
            for (ptrdiff_t k = i; k < n; k++) s += CN_FN(cn_load1)(wk, wr[r], k) * CN_FN(cn_load1)(xk, xt[t], k);
            y[(t0 + t) * y_stride + row + r] = s;
        }
    }
}

/// R rows from `row` × T tokens from `t0` with all four accumulators of each output in registers, chunk after chunk
/// of 64 (`wk`: weight kind, `xk`: activation kind; `x_stride` in bytes): for decode, where the row streams from
/// memory once and in order.
CN_INLINE void CN_FN(cn_stream_tile)(const int wk, const int xk, const int R, const int T, const uint8_t *w,
                                     ptrdiff_t row_bytes, ptrdiff_t row, const uint8_t *x, ptrdiff_t x_stride,
                                     ptrdiff_t t0, ptrdiff_t n, float *y, ptrdiff_t y_stride) {
    cn_v16 a[CN_STREAM_R][CN_STREAM_T][4];
    const uint8_t *wr[CN_STREAM_R], *xt[CN_STREAM_T];
    for (int r = 0; r < R; r++) wr[r] = w + (row + r) * row_bytes;
    for (int t = 0; t < T; t++) xt[t] = x + (t0 + t) * x_stride;
    for (int r = 0; r < R; r++)
        for (int t = 0; t < T; t++)
            for (int j = 0; j < 4; j++) a[r][t][j] = cn_v_zero();
    const int wb = CN_FN(cn_element_bytes)(wk);
    ptrdiff_t i = 0;
    for (; i + 64 <= n; i += 64) {
        // Two lines a chunk, far enough ahead to cover memory latency, without displacing the activations.
        for (int r = 0; r < R; r++)
            for (int l = 0; l < wb; l++) _mm_prefetch((const char *)(wr[r] + wb * i + CN_PREFETCH + 64 * l), _MM_HINT_NTA);
        for (int j = 0; j < 4; j++) {
            cn_v16 xv[CN_STREAM_T];
            for (int t = 0; t < T; t++) xv[t] = CN_FN(cn_load16)(xk, xt[t], i + 16 * j);
            for (int r = 0; r < R; r++) {
                const cn_v16 wv = CN_FN(cn_load16)(wk, wr[r], i + 16 * j);
                for (int t = 0; t < T; t++) a[r][t][j] = cn_v_fma(wv, xv[t], a[r][t][j]);
            }
        }
    }
    for (; i + 16 <= n; i += 16) {
        cn_v16 xv[CN_STREAM_T];
        for (int t = 0; t < T; t++) xv[t] = CN_FN(cn_load16)(xk, xt[t], i);
        for (int r = 0; r < R; r++) {
            const cn_v16 wv = CN_FN(cn_load16)(wk, wr[r], i);
            for (int t = 0; t < T; t++) a[r][t][0] = cn_v_fma(wv, xv[t], a[r][t][0]);
        }
    }
    float lanes[CN_PART][16];
    for (int r = 0; r < R; r++)
        for (int t = 0; t < T; t++)
            cn_v_store(lanes[r * T + t],
                       cn_v_add(cn_v_add(a[r][t][0], a[r][t][1]), cn_v_add(a[r][t][2], a[r][t][3])));
    CN_FN(cn_float_finish)(wk, xk, R, T, lanes, wr, xt, i, n, y, y_stride, t0, row);
}

/// Values `i..<i+16` of R rows × T tokens into the accumulators `a`.
CN_INLINE void CN_FN(cn_gemm_step)(const int wk, const int xk, const int R, const int T, cn_v16 (*a)[CN_GEMM_T],
                                   const uint8_t *const *wr, const uint8_t *const *xt, ptrdiff_t i) {
    cn_v16 xv[CN_GEMM_T];
    for (int t = 0; t < T; t++) xv[t] = CN_FN(cn_load16)(xk, xt[t], i);
    for (int r = 0; r < R; r++) {
        const cn_v16 wv = CN_FN(cn_load16)(wk, wr[r], i);
        for (int t = 0; t < T; t++) a[r][t] = cn_v_fma(wv, xv[t], a[r][t]);
    }
}

/// R rows from `row` × T tokens from `t0` for prefill, one accumulator of each output at a time: accumulator j
/// (values 16j…16j+15 of every chunk of 64, and the chunks of 16 after them for j = 0) of all R × T outputs is in
/// registers over the whole row, so that each weight load feeds T fused multiply-adds and each activation load R.
CN_INLINE void CN_FN(cn_gemm_tile)(const int wk, const int xk, const int R, const int T, const uint8_t *w,
                                   ptrdiff_t row_bytes, ptrdiff_t row, const uint8_t *x, ptrdiff_t x_stride,
                                   ptrdiff_t t0, ptrdiff_t n, float *y, ptrdiff_t y_stride) {
    const uint8_t *wr[CN_GEMM_R], *xt[CN_GEMM_T];
    for (int r = 0; r < R; r++) wr[r] = w + (row + r) * row_bytes;
    for (int t = 0; t < T; t++) xt[t] = x + (t0 + t) * x_stride;
    const ptrdiff_t full = n / 64 * 64;
    const int wb = CN_FN(cn_element_bytes)(wk);
    const ptrdiff_t ahead = R * row_bytes <= CN_GEMM_AHEAD ? R * row_bytes : CN_GEMM_AHEAD / R;
    // Between passes the accumulators wait in memory, combined as soon as their partner is done: (a0 + a1) after
    // the second pass, then (a0 + a1) + (a2 + a3) after the fourth.
    float lanes[CN_PART][16], odd[CN_PART][16];
    for (int j = 0; j < 4; j++) {
        cn_v16 a[CN_GEMM_R][CN_GEMM_T];
        for (int r = 0; r < R; r++)
            for (int t = 0; t < T; t++) a[r][t] = cn_v_zero();
        if (j == 0 && t0 == 0) {
            // The first tokens' pass over rows that come from memory: prefetch every line of the next tile's rows
            // (rows are contiguous), or of the rows' own stream further on when they are long, while the FMAs of
            // this tile run. With few tokens (batched decode) the FMAs alone cannot hide memory.
            for (ptrdiff_t i = 0; i < full; i += 64) {
                for (int r = 0; r < R; r++)
                    for (int l = 0; l < wb; l++) _mm_prefetch((const char *)(wr[r] + wb * i + ahead + 64 * l), _MM_HINT_T0);
                CN_FN(cn_gemm_step)(wk, xk, R, T, a, wr, xt, i);
            }
        } else {
            for (ptrdiff_t i = 16 * j; i < full; i += 64) CN_FN(cn_gemm_step)(wk, xk, R, T, a, wr, xt, i);
        }
        if (j == 0)
            for (ptrdiff_t i = full; i + 16 <= n; i += 16) CN_FN(cn_gemm_step)(wk, xk, R, T, a, wr, xt, i);
        for (int r = 0; r < R; r++) {
            for (int t = 0; t < T; t++) {
                float *l = lanes[r * T + t], *p = odd[r * T + t];
                if (j == 0) cn_v_store(l, a[r][t]);
                else if (j == 1) cn_v_store(l, cn_v_add(cn_v_f32(l), a[r][t]));
                else if (j == 2) cn_v_store(p, a[r][t]);
                else cn_v_store(l, cn_v_add(cn_v_f32(l), cn_v_add(cn_v_f32(p), a[r][t])));
            }
        }
    }
    CN_FN(cn_float_finish)(wk, xk, R, T, lanes, wr, xt, full + (n - full) / 16 * 16, n, y, y_stride, t0, row);
}

/// Rows `r0..<r1` × T tokens from `t`, R rows at a time, then one at a time.
#define CN_PASS(tile, R, T)                                                                                      \
    do {                                                                                                         \
        ptrdiff_t r_ = r0;                                                                                       \
        for (; r_ + (R) <= r1; r_ += (R)) CN_FN(tile)(wk, xk, (R), (T), w, row_bytes, r_, x, x_stride, t, n, y, y_stride); \
        for (; r_ < r1; r_++) CN_FN(tile)(wk, xk, 1, (T), w, row_bytes, r_, x, x_stride, t, n, y, y_stride);       \
    } while (0)

/// Tokens `t..<t + count` (count < CN_GEMM_T) against rows `r0..<r1`.
CN_INLINE void CN_FN(cn_gemm_rest)(const int wk, const int xk, int count, const uint8_t *w, ptrdiff_t row_bytes,
                                   ptrdiff_t r0, ptrdiff_t r1, const uint8_t *x, ptrdiff_t x_stride, ptrdiff_t t,
                                   ptrdiff_t n, float *y, ptrdiff_t y_stride) {
    switch (count) {
#if CN_GEMM_T > 1
    case 1: CN_PASS(cn_gemm_tile, CN_GEMM_R, 1); break;
#endif
#if CN_GEMM_T > 2
    case 2: CN_PASS(cn_gemm_tile, CN_GEMM_R, 2); break;
#endif
#if CN_GEMM_T > 3
    case 3: CN_PASS(cn_gemm_tile, CN_GEMM_R, 3); break;
#endif
#if CN_GEMM_T > 4
    case 4: CN_PASS(cn_gemm_tile, CN_GEMM_R, 4); break;
#endif
#if CN_GEMM_T > 5
    case 5: CN_PASS(cn_gemm_tile, CN_GEMM_R, 5); break;
#endif
#if CN_GEMM_T > 6
    case 6: CN_PASS(cn_gemm_tile, CN_GEMM_R, 6); break;
#endif
#if CN_GEMM_T > 7
    case 7: CN_PASS(cn_gemm_tile, CN_GEMM_R, 7); break;
#endif
    default: break;
    }
}

/// Decode (and tiny batches, at most CN_STREAM_T tokens): the weights stream from memory once, in order.
CN_INLINE void CN_FN(cn_float_stream)(const int wk, const int xk, const uint8_t *w, ptrdiff_t row_bytes, ptrdiff_t n,
                                      ptrdiff_t r0, ptrdiff_t r1, const uint8_t *x, ptrdiff_t x_stride,
                                      ptrdiff_t tokens, float *y, ptrdiff_t y_stride) {
    const ptrdiff_t t = 0;
    if (tokens == 1)
        CN_PASS(cn_stream_tile, CN_STREAM_R, 1);
    else
        CN_PASS(cn_stream_tile, CN_STREAM_R, CN_STREAM_T);
}

/// Prefill of `tokens` tokens (one chunk) against rows `row_begin..<row_end`: blocks of rows stay in L1 while the
/// tokens pass over them, and the tokens' activations (a chunk of CN_CHUNK_BYTES) stay in L2 while every block passes.
CN_INLINE void CN_FN(cn_float_gemm)(const int wk, const int xk, const uint8_t *w, ptrdiff_t row_bytes, ptrdiff_t n,
                                    ptrdiff_t row_begin, ptrdiff_t row_end, const uint8_t *x, ptrdiff_t x_stride,
                                    ptrdiff_t tokens, float *y, ptrdiff_t y_stride) {
    ptrdiff_t block = row_bytes > 0 ? CN_BLOCK_BYTES / row_bytes : row_end - row_begin;
    block = block < CN_GEMM_R ? CN_GEMM_R : block / CN_GEMM_R * CN_GEMM_R;
    for (ptrdiff_t r0 = row_begin; r0 < row_end; r0 += block) {
        const ptrdiff_t r1 = r0 + block < row_end ? r0 + block : row_end;
        ptrdiff_t t = 0;
        for (; t + CN_GEMM_T <= tokens; t += CN_GEMM_T) CN_PASS(cn_gemm_tile, CN_GEMM_R, CN_GEMM_T);
        if (t < tokens) CN_FN(cn_gemm_rest)(wk, xk, (int)(tokens - t), w, row_bytes, r0, r1, x, x_stride, t, n, y, y_stride);
    }
}

/// Tokens per prefill chunk for activations `bytes` long each: a multiple of the tile.
static inline ptrdiff_t CN_FN(cn_chunk_tokens)(ptrdiff_t bytes) {
    const ptrdiff_t chunk = CN_CHUNK_BYTES / (bytes > 0 ? bytes : 1);
    return chunk < CN_GEMM_T ? CN_GEMM_T : chunk / CN_GEMM_T * CN_GEMM_T;
}

/// Prefill of 16-bit weights of kind `k` against as many tokens of 16-bit activations of the same kind: a chunk of
/// activations at a time is widened (exactly) into a buffer, so that the inner loop is loads and FMAs; the buffer is
/// a chunk, whatever the number of tokens. Returns false (having done nothing) when the buffer cannot be had.
CN_INLINE int CN_FN(cn_wide_gemm)(const int k, const uint8_t *wp, ptrdiff_t row_bytes, ptrdiff_t columns,
                                  ptrdiff_t row_begin, ptrdiff_t row_end, const uint8_t *xp, ptrdiff_t x_stride,
                                  ptrdiff_t tokens, float *y, ptrdiff_t y_stride) {
    const ptrdiff_t stride = (columns + 15) / 16 * 16, chunk = CN_FN(cn_chunk_tokens)(4 * stride);
    float *wide = (float *)cn_thread_scratch((size_t)(chunk * stride) * sizeof(float));
    if (!wide) return 0;
    for (ptrdiff_t c0 = 0; c0 < tokens; c0 += chunk) {
        const ptrdiff_t count = tokens - c0 < chunk ? tokens - c0 : chunk;
        for (ptrdiff_t t = 0; t < count; t++) {
            const uint8_t *src = xp + (c0 + t) * x_stride;
            float *dst = wide + t * stride;
            ptrdiff_t i = 0;
            for (; i + 16 <= columns; i += 16) cn_v_store(dst + i, CN_FN(cn_load16)(k, src, i));
            for (; i < columns; i++) dst[i] = CN_FN(cn_load1)(k, src, i);
        }
        CN_FN(cn_float_gemm)(k, CN_FLOAT, wp, row_bytes, columns, row_begin, row_end, (const uint8_t *)wide,
                             4 * stride, count, y + c0 * y_stride, y_stride);
    }
    return 1;
}

CN_TARGET void CN_FN(cn_f16_rows_)(const void *w, ptrdiff_t row_bytes, ptrdiff_t columns, ptrdiff_t row_begin,
                                   ptrdiff_t row_end, const void *x, ptrdiff_t x_stride, ptrdiff_t tokens, float *y,
                                   ptrdiff_t y_stride) {
    const uint8_t *wp = (const uint8_t *)w, *xp = (const uint8_t *)x;
    if (tokens > CN_STREAM_T &&
        CN_FN(cn_wide_gemm)(CN_HALF, wp, row_bytes, columns, row_begin, row_end, xp, x_stride, tokens, y, y_stride))
        return;
    // Decode, or no memory for the buffer: a few tokens at a time.
    for (ptrdiff_t t = 0; t < tokens; t += CN_STREAM_T) {
        const ptrdiff_t count = tokens - t < CN_STREAM_T ? tokens - t : CN_STREAM_T;
        CN_FN(cn_float_stream)(CN_HALF, CN_HALF, wp, row_bytes, columns, row_begin, row_end, xp + t * x_stride,
                               x_stride, count, y + t * y_stride, y_stride);
    }
}

CN_TARGET int CN_FN(cn_bf16_gemm_)(const void *w, ptrdiff_t row_bytes, ptrdiff_t columns, ptrdiff_t row_begin,
                                   ptrdiff_t row_end, const void *x, ptrdiff_t x_stride, ptrdiff_t tokens, float *y,
                                   ptrdiff_t y_stride) {
    return CN_FN(cn_wide_gemm)(CN_BRAIN, (const uint8_t *)w, row_bytes, columns, row_begin, row_end,
                               (const uint8_t *)x, x_stride, tokens, y, y_stride);
}

CN_TARGET void CN_FN(cn_f32_rows_)(const void *w, ptrdiff_t row_bytes, ptrdiff_t columns, ptrdiff_t row_begin,
                                   ptrdiff_t row_end, const void *x, ptrdiff_t x_stride, ptrdiff_t tokens, float *y,
                                   ptrdiff_t y_stride) {
    const uint8_t *wp = (const uint8_t *)w, *xp = (const uint8_t *)x;
    if (tokens <= CN_STREAM_T) {
        CN_FN(cn_float_stream)(CN_FLOAT, CN_FLOAT, wp, row_bytes, columns, row_begin, row_end, xp, x_stride, tokens,
                               y, y_stride);
        return;
    }
    const ptrdiff_t chunk = CN_FN(cn_chunk_tokens)(x_stride);
    for (ptrdiff_t c0 = 0; c0 < tokens; c0 += chunk) {
        const ptrdiff_t count = tokens - c0 < chunk ? tokens - c0 : chunk;
        CN_FN(cn_float_gemm)(CN_FLOAT, CN_FLOAT, wp, row_bytes, columns, row_begin, row_end, xp + c0 * x_stride,
                             x_stride, count, y + c0 * y_stride, y_stride);
    }
}
