#ifndef CNUMERICS_H
#define CNUMERICS_H

#include <stddef.h>
#include <stdint.h>

/// The instruction set the quantized kernels use on this CPU: 0 none (use the Swift kernels), 1 AVX2 + FMA + F16C,
/// 2 AVX-512 VNNI (with VL and BW) as well.
int cn_kernel_level(void);

/// Limits the level used to `min(level, what the CPU has)`, so that tests can run every path; -1 restores it.
void cn_limit_kernel_level(int level);

/// One token's quantized activations as `ActivationLayout` places them: `columns` int8 values at the start, a
/// float scale per 32 values at `scale_offset`, a float per 32 at `sum_offset` (ggml's `s` for q8_1).
typedef struct {
    const void *base;
    ptrdiff_t token_stride;
    ptrdiff_t scale_offset;
    ptrdiff_t sum_offset;
} cn_activations;

/// Weight rows `row_begin..<row_end` of 32-value blocks at `w` (`row_bytes` apart, `blocks` per row) against `tokens`
/// tokens of activations, into `y[t * y_stride + r]`, in ggml's order: per (row, token) eight float lanes, lane k the
/// exact integer sum of elements 4k…4k+3 of each block, added as fma(lane, d_w·d_x, acc) block after block, then
/// summed (0+4, 1+5, 2+6, 3+7) → (a+c, b+d) → one, plus the offsets m_w·s_x chained by fma (Q4_1).
/// Q8_0 and Q4_0 take q8_0 activations, Q4_1 takes q8_1. Call only when `cn_kernel_level() > 0`.
void cn_q8_0_rows(const void *w, ptrdiff_t row_bytes, ptrdiff_t blocks, ptrdiff_t row_begin, ptrdiff_t row_end,
                  cn_activations x, ptrdiff_t tokens, float *y, ptrdiff_t y_stride);
void cn_q4_0_rows(const void *w, ptrdiff_t row_bytes, ptrdiff_t blocks, ptrdiff_t row_begin, ptrdiff_t row_end,
                  cn_activations x, ptrdiff_t tokens, float *y, ptrdiff_t y_stride);
void cn_q4_1_rows(const void *w, ptrdiff_t row_bytes, ptrdiff_t blocks, ptrdiff_t row_begin, ptrdiff_t row_end,
                  cn_activations x, ptrdiff_t tokens, float *y, ptrdiff_t y_stride);

/// ggml's x86 `quantize_row_q8_0` / `quantize_row_q8_1` for `blocks` blocks of 32 floats at `x`: int8 values to `q`
/// (contiguous), d rounded to f16 to `scales[b]`, and to `sums[b]` f16(d·Σq) when `scaled_sum`, else Σq.
/// Call only when `cn_kernel_level() > 0`.
void cn_quantize_q8(const float *x, ptrdiff_t blocks, int8_t *q, float *scales, float *sums, int scaled_sum);


// ---- BF16 and FP8 E4M3 weights (FloatRows*.c) ----

/// Weight rows `row_begin..<row_end` of `columns` bf16 values at `w` (`row_bytes` apart) against `tokens` tokens of
/// bf16 activations (`x_stride` bytes apart), into `y[t * y_stride + r]`, bit for bit as the Swift `FloatRows`
/// computes them with `BF16Weights`: per (row, token) four groups of 16 lanes accumulated by fma over chunks of 64
/// columns, then chunks of 16 into the first, ((g0 + g1) + (g2 + g3)) summed lane by lane, then the tail.
/// Call only when `cn_kernel_level() > 0`.
void cn_bf16_rows(const void *w, ptrdiff_t row_bytes, ptrdiff_t columns, ptrdiff_t row_begin, ptrdiff_t row_end,
                  const void *x, ptrdiff_t x_stride, ptrdiff_t tokens, float *y, ptrdiff_t y_stride);

/// As `cn_bf16_rows` for FP8 E4M3 weights (unscaled: the tensor's scales are the caller's) against f32 activations,
/// as `FloatRows` computes them with `E4M3Weights`: each product is fma(h · 256, x, acc) with h the code read as a
/// half 2^8 too small, or, where that saves work, fma(h, x · 256, acc) or fma(w, x, acc) with w from a table —
/// the same exact product, so the same result unless |x| > 2^120 overflows in the second form.
void cn_e4m3_rows(const void *w, ptrdiff_t row_bytes, ptrdiff_t columns, ptrdiff_t row_begin, ptrdiff_t row_end,
                  const void *x, ptrdiff_t x_stride, ptrdiff_t tokens, float *y, ptrdiff_t y_stride);

/// Whether `cn_e4m3_rows` uses its AVX-512 VBMI variant (the CPU has it, level 2, and tests have not disallowed it).
int cn_float_rows_vbmi(void);

/// Allows (1, the default) or disallows (0) the VBMI variant, so that tests can run the plain AVX-512 one too.
void cn_float_rows_allow_vbmi(int allowed);

// ---- F16 / F32 weights (F16Rows*.c) ----

/// Weight rows `row_begin..<row_end` of `columns` halves (`cn_f16_rows`, activations halves too) or floats
/// (`cn_f32_rows`, activations floats) at `w`, `row_bytes` apart, against `tokens` tokens of activations `x_stride`
/// bytes apart, into `y[t * y_stride + r]`, summed exactly as `FloatRows` sums them (see F16RowsTemplate.h): the
/// same bits for any number of tokens and rows. Call only when `cn_kernel_level() > 0` (level 2 runs the AVX-512F
/// variant, level 1 the AVX2 one). F16 prefill (more than two tokens; AVX2: more than one) widens a chunk of
/// activations at a time into a buffer kept per thread (grown once, at most 256 KB and a row); decode allocates nothing.
void cn_f16_rows(const void *w, ptrdiff_t row_bytes, ptrdiff_t columns, ptrdiff_t row_begin, ptrdiff_t row_end,
                 const void *x, ptrdiff_t x_stride, ptrdiff_t tokens, float *y, ptrdiff_t y_stride);
void cn_f32_rows(const void *w, ptrdiff_t row_bytes, ptrdiff_t columns, ptrdiff_t row_begin, ptrdiff_t row_end,
                 const void *x, ptrdiff_t x_stride, ptrdiff_t tokens, float *y, ptrdiff_t y_stride);

/// BF16 prefill: `cn_bf16_rows`'s results (bf16 weights × bf16 activations, the same bits) for many tokens, as the
/// F16 prefill computes them: a chunk of activations widened to floats once, then 4 rows × 6 tokens register tiles
/// (AVX2: 2 × 2). Returns 0, having done nothing, when the per-thread buffer cannot be had.
int cn_bf16_gemm(const void *w, ptrdiff_t row_bytes, ptrdiff_t columns, ptrdiff_t row_begin, ptrdiff_t row_end,
                 const void *x, ptrdiff_t x_stride, ptrdiff_t tokens, float *y, ptrdiff_t y_stride);

// MARK: Attention (AttentionScoresAVX512.c)

/// `scores[i * score_stride + p] = scale · dot(queries[i], keys[p])` for four f32 query rows (`query_stride` apart) and
/// the f16 key rows `p < key_count` (`key_stride` values apart), each dot product summed in `HalfDotOrder` `.tiled`
/// (`tiled` ≠ 0) or `.vector`: bit-identical to `AttentionScores.rows`. Score rows need room for `key_count` rounded up
/// to 4. Call only when `cn_kernel_level() >= 2` (AVX-512).
void cn_attention_scores(const float *queries, ptrdiff_t query_stride, const void *keys, ptrdiff_t key_stride,
                         ptrdiff_t key_count, ptrdiff_t width, int tiled, float scale, float *scores,
                         ptrdiff_t score_stride);

/// `output[i * output_stride + d] = Σ_{p < counts[i]} weights[i][p] · values_t[d][p]` for four weight rows
/// (`weight_stride` apart, room for the widest count rounded up to 16) and the f16 rows of the transposed values
/// (`values_t_stride` apart, as long), summed in `HalfDotOrder` `.tiled` over positions (position p in lane p mod 16):
/// bit-identical to `AttentionSoftmax.weightedSum`. Call only when `cn_kernel_level() >= 2` (AVX-512).
void cn_attention_weighted_sums(const float *weights, ptrdiff_t weight_stride, const ptrdiff_t counts[4],
                                const void *values_t, ptrdiff_t values_t_stride, ptrdiff_t width, float *output,
                                ptrdiff_t output_stride);

#endif
