// The BF16 and FP8 E4M3 row kernels, written once and compiled per instruction set: the including file defines
// CN_TARGET (a function attribute), CN_SUFFIX (a name suffix), CN_WIDE (1: one __m512 holds a group of 16 lanes,
// 0: two __m256 do) and the tiles CN_DECODE_R (rows × 1 token) and CN_PREFILL_R × CN_PREFILL_T.
//
// Every (row, token) pair is summed exactly as the Swift `FloatRows` sums it, whatever the tile it is computed in:
// four groups of 16 float lanes, lane l of group k accumulating fma(w[i], x[i], acc) for i ≡ 16k + l (mod 64)
// over the chunks of 64 columns, then chunks of 16 into group 0; then ((g0 + g1) + (g2 + g3)) summed lane by lane
// from -0 (Swift's `SIMD.sum()`), then the tail added as separately rounded products. Tiles only interleave
// independent chains, so results do not depend on the number of tokens or rows computed together.

#include <immintrin.h>
#include <stdint.h>
#include <string.h>
#include "CNumerics.h"
#include "ThreadScratch.h"

#define CN_CAT_(a, b) a##b
#define CN_CAT(a, b) CN_CAT_(a, b)
#define CN_FN(name) CN_CAT(name, CN_SUFFIX)
#define CN_INLINE static inline __attribute__((always_inline)) CN_TARGET

/// Weight formats, and where FP8's factor 256 goes (see `cn_e4m3_rows` in CNumerics.h).
enum {
    CN_BF16,        // bf16 weights × bf16 activations
    CN_E4M3_XS,     // e4m3 codes as halves (2^8 too small) × (f32 activations × 256); NaN codes only detected
    CN_E4M3_WS,     // (halves × 256: the weights) × f32 activations; NaN codes only detected, per tile
    CN_E4M3_EXACT,  // (halves × 256, NaN codes as NaN) × f32 activations: the Swift kernel's steps
};

#define CN_MAX_R 4
#define CN_MAX_T 4
/// Rows per cache block in prefill: their weights stay in L2 while every group of tokens passes over them.
#define CN_ROW_BLOCK 16
/// Bytes that BF16 and FP8 decode prefetch ahead of their weights, shared among the rows in flight (each row
/// CN_STREAM_AHEAD / R ahead). Measured on Zen 5, 1 thread, 1 GiB from memory, median GB/s: BF16 14336 columns
/// (4 rows, 2 KiB each) 24.9 → 27.2, 4096 (1 row) 19.7 → 29.5; FP8 14336 16.3 → 20.8, 4096 21.6 → 29.2 (each against
/// no prefetch for BF16, 384 bytes for FP8); a quarter or twice the distance measured no better.
#define CN_STREAM_AHEAD 8192

#if CN_WIDE
typedef __m512 cn_v;
typedef __mmask64 cn_nan;
CN_INLINE cn_v CN_FN(v_zero)(void) { return _mm512_setzero_ps(); }
CN_INLINE cn_v CN_FN(v_fma)(cn_v a, cn_v b, cn_v c) { return _mm512_fmadd_ps(a, b, c); }
CN_INLINE cn_v CN_FN(v_add)(cn_v a, cn_v b) { return _mm512_add_ps(a, b); }
CN_INLINE cn_v CN_FN(v_scale)(cn_v a) { return _mm512_mul_ps(a, _mm512_set1_ps(256.0f)); }
CN_INLINE void CN_FN(v_store)(float *p, cn_v v) { _mm512_storeu_ps(p, v); }
CN_INLINE cn_v CN_FN(v_f32)(const uint8_t *p) { return _mm512_loadu_ps((const float *)p); }
CN_INLINE cn_v CN_FN(v_bf16)(const uint8_t *p) {
    __m512i u = _mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)p));
    return _mm512_castsi512_ps(_mm512_slli_epi32(u, 16));
}
/// Sixteen E4M3 bytes as half bits 2^8 times too small: the sign-extended byte shifted left by 7 puts the
/// magnitude in bits 7…13 and the sign in bits 14 and 15; bit 14 is cleared. NaN codes are not special.
CN_INLINE __m256i CN_FN(e4m3_half)(const uint8_t *p) {
    __m256i s = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)p));
    return _mm256_and_si256(_mm256_slli_epi16(s, 7), _mm256_set1_epi16((short)0xBF80));
}
CN_INLINE cn_v CN_FN(v_e4m3)(const uint8_t *p) { return _mm512_cvtph_ps(CN_FN(e4m3_half)(p)); }
/// As `FloatLanes.e4m3x16`: NaN codes (magnitude 0x3F80) become the half NaN 0x7F80 with the sign kept.
CN_INLINE cn_v CN_FN(v_e4m3_nan)(const uint8_t *p) {
    __m256i h = CN_FN(e4m3_half)(p);
    const __m256i m = _mm256_set1_epi16(0x3F80);
    __mmask16 nan = _mm256_cmpeq_epi16_mask(_mm256_and_si256(h, m), m);
    return _mm512_cvtph_ps(_mm256_mask_add_epi16(h, nan, h, _mm256_set1_epi16(0x4000)));
}
CN_INLINE cn_nan CN_FN(nan_none)(void) { return 0; }
/// Marks 64 E4M3 bytes holding a NaN code (0x7F or 0xFF).
CN_INLINE cn_nan CN_FN(nan_check)(cn_nan seen, const uint8_t *p) {
    __m512i b = _mm512_or_si512(_mm512_loadu_si512((const void *)p), _mm512_set1_epi8((char)0x80));
    return seen | _mm512_cmpeq_epi8_mask(b, _mm512_set1_epi8((char)0xFF));
}
CN_INLINE int CN_FN(nan_any)(cn_nan seen) { return seen != 0; }
#else
typedef struct { __m256 lo, hi; } cn_v;
typedef __m256i cn_nan;
CN_INLINE cn_v CN_FN(v_zero)(void) { return (cn_v){_mm256_setzero_ps(), _mm256_setzero_ps()}; }
CN_INLINE cn_v CN_FN(v_fma)(cn_v a, cn_v b, cn_v c) {
    return (cn_v){_mm256_fmadd_ps(a.lo, b.lo, c.lo), _mm256_fmadd_ps(a.hi, b.hi, c.hi)};
}
CN_INLINE cn_v CN_FN(v_add)(cn_v a, cn_v b) { return (cn_v){_mm256_add_ps(a.lo, b.lo), _mm256_add_ps(a.hi, b.hi)}; }
CN_INLINE cn_v CN_FN(v_scale)(cn_v a) {
    const __m256 k = _mm256_set1_ps(256.0f);
    return (cn_v){_mm256_mul_ps(a.lo, k), _mm256_mul_ps(a.hi, k)};
}
CN_INLINE void CN_FN(v_store)(float *p, cn_v v) { _mm256_storeu_ps(p, v.lo); _mm256_storeu_ps(p + 8, v.hi); }
CN_INLINE cn_v CN_FN(v_f32)(const uint8_t *p) {
    return (cn_v){_mm256_loadu_ps((const float *)p), _mm256_loadu_ps((const float *)p + 8)};
}
CN_INLINE __m256 CN_FN(bf16x8)(const uint8_t *p) {
    return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)p)), 16));
}
CN_INLINE cn_v CN_FN(v_bf16)(const uint8_t *p) { return (cn_v){CN_FN(bf16x8)(p), CN_FN(bf16x8)(p + 16)}; }
CN_INLINE __m256i CN_FN(e4m3_half)(const uint8_t *p) {
    __m256i s = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)p));
    return _mm256_and_si256(_mm256_slli_epi16(s, 7), _mm256_set1_epi16((short)0xBF80));
}
CN_INLINE cn_v CN_FN(halves)(__m256i h) {
    return (cn_v){_mm256_cvtph_ps(_mm256_castsi256_si128(h)), _mm256_cvtph_ps(_mm256_extracti128_si256(h, 1))};
}
CN_INLINE cn_v CN_FN(v_e4m3)(const uint8_t *p) { return CN_FN(halves)(CN_FN(e4m3_half)(p)); }
CN_INLINE cn_v CN_FN(v_e4m3_nan)(const uint8_t *p) {
    __m256i h = CN_FN(e4m3_half)(p);
    const __m256i m = _mm256_set1_epi16(0x3F80);
    __m256i nan = _mm256_cmpeq_epi16(_mm256_and_si256(h, m), m);
    return CN_FN(halves)(_mm256_add_epi16(h, _mm256_and_si256(nan, _mm256_set1_epi16(0x4000))));
}
CN_INLINE cn_nan CN_FN(nan_none)(void) { return _mm256_setzero_si256(); }
CN_INLINE cn_nan CN_FN(nan_check)(cn_nan seen, const uint8_t *p) {
    const __m256i top = _mm256_set1_epi8((char)0x80), ones = _mm256_set1_epi8((char)0xFF);
    __m256i a = _mm256_or_si256(_mm256_loadu_si256((const __m256i *)p), top);
    __m256i b = _mm256_or_si256(_mm256_loadu_si256((const __m256i *)(p + 32)), top);
    return _mm256_or_si256(seen, _mm256_or_si256(_mm256_cmpeq_epi8(a, ones), _mm256_cmpeq_epi8(b, ones)));
}
CN_INLINE int CN_FN(nan_any)(cn_nan seen) { return !_mm256_testz_si256(seen, seen); }
#endif

/// Swift's `((g0 + g1) + (g2 + g3)).sum()`.
CN_INLINE float CN_FN(cn_total)(cn_v g0, cn_v g1, cn_v g2, cn_v g3) {
    float lanes[16];
    CN_FN(v_store)(lanes, CN_FN(v_add)(CN_FN(v_add)(g0, g1), CN_FN(v_add)(g2, g3)));
    float s = -0.0f;
    for (int l = 0; l < 16; l++) s += lanes[l];
    return s;
}

static inline ptrdiff_t cn_weight_bytes(int fmt) { return fmt == CN_BF16 ? 2 : 1; }

/// Weights i…i+15 of a row, as the format's kernel multiplies them.
CN_INLINE cn_v CN_FN(weights16)(const int fmt, const uint8_t *w, ptrdiff_t i) {
    switch (fmt) {
    case CN_BF16: return CN_FN(v_bf16)(w + 2 * i);
    case CN_E4M3_XS: return CN_FN(v_e4m3)(w + i);
    case CN_E4M3_WS: return CN_FN(v_scale)(CN_FN(v_e4m3)(w + i));
    default: return CN_FN(v_scale)(CN_FN(v_e4m3_nan)(w + i));
    }
}

/// Activations i…i+15 of a token.
CN_INLINE cn_v CN_FN(acts16)(const int fmt, const uint8_t *x, ptrdiff_t i) {
    switch (fmt) {
    case CN_BF16: return CN_FN(v_bf16)(x + 2 * i);
    case CN_E4M3_XS: return CN_FN(v_scale)(CN_FN(v_f32)(x + 4 * i));
    default: return CN_FN(v_f32)(x + 4 * i);
    }
}

/// Weight i of a row as Swift's scalar tail takes it (`ScalarConversion.bf16` / `.e4m3`).
CN_INLINE float CN_FN(weight1)(const int fmt, const uint8_t *w, ptrdiff_t i) {
    if (fmt == CN_BF16) {
        uint16_t b;
        memcpy(&b, w + 2 * i, 2);
        uint32_t u = (uint32_t)b << 16;
        float f;
        memcpy(&f, &u, 4);
        return f;
    }
    uint8_t b = w[i];
    if ((b & 0x7F) == 0x7F) return __builtin_nanf("");
    float magnitude = _cvtsh_ss((unsigned short)((b & 0x7F) << 7)) * 256.0f;
    return (b & 0x80) ? -magnitude : magnitude;
}

CN_INLINE float CN_FN(act1)(const int fmt, const uint8_t *x, ptrdiff_t i) {
    if (fmt == CN_BF16) return CN_FN(weight1)(CN_BF16, x, i);
    float f;
    memcpy(&f, x + 4 * i, 4);
    return f;
}

/// R rows from `row` × T tokens from `t0` into `y`; for the E4M3 formats other than EXACT, returns whether the
/// rows hold a NaN code (the results are then wrong and the caller recomputes them with EXACT).
CN_INLINE int CN_FN(cn_ftile)(const int fmt, const int R, const int T, const uint8_t *w, ptrdiff_t row_bytes,
                              ptrdiff_t n, const uint8_t *x, ptrdiff_t x_stride, ptrdiff_t row, ptrdiff_t t0,
                              float *y, ptrdiff_t y_stride) {
    const int check = fmt == CN_E4M3_XS || fmt == CN_E4M3_WS;
    const ptrdiff_t wb = cn_weight_bytes(fmt);
    cn_v acc[CN_MAX_R][CN_MAX_T][4];
    const uint8_t *wr[CN_MAX_R], *xt[CN_MAX_T];
    cn_nan seen = CN_FN(nan_none)();
    for (int r = 0; r < R; r++) wr[r] = w + (row + r) * row_bytes;
    for (int t = 0; t < T; t++) xt[t] = x + (t0 + t) * x_stride;
    for (int r = 0; r < R; r++)
        for (int t = 0; t < T; t++)
            for (int k = 0; k < 4; k++) acc[r][t][k] = CN_FN(v_zero)();
    ptrdiff_t i = 0;
    for (; i + 64 <= n; i += 64) {
        for (int r = 0; r < R; r++) {
            if (check) seen = CN_FN(nan_check)(seen, wr[r] + i);
        }
        for (int k = 0; k < 4; k++) {
            cn_v xv[CN_MAX_T];
            for (int t = 0; t < T; t++) xv[t] = CN_FN(acts16)(fmt, xt[t], i + 16 * k);
            for (int r = 0; r < R; r++) {
                cn_v wv = CN_FN(weights16)(fmt, wr[r], i + 16 * k);
                for (int t = 0; t < T; t++) acc[r][t][k] = CN_FN(v_fma)(wv, xv[t], acc[r][t][k]);
            }
        }
    }
    int nan16 = 0;
    for (; i + 16 <= n; i += 16) {
        if (check) {
            for (int r = 0; r < R; r++) {
                __m128i b = _mm_or_si128(_mm_loadu_si128((const __m128i *)(wr[r] + i)), _mm_set1_epi8((char)0x80));
                nan16 |= _mm_movemask_epi8(_mm_cmpeq_epi8(b, _mm_set1_epi8((char)0xFF)));
            }
        }
        cn_v xv[CN_MAX_T];
        for (int t = 0; t < T; t++) xv[t] = CN_FN(acts16)(fmt, xt[t], i);
        for (int r = 0; r < R; r++) {
            cn_v wv = CN_FN(weights16)(fmt, wr[r], i);
            for (int t = 0; t < T; t++) acc[r][t][0] = CN_FN(v_fma)(wv, xv[t], acc[r][t][0]);
        }
    }
    // The tail's bytes (fewer than 16 per row) are checked by its scalar conversion.
    int nan = check && (nan16 || CN_FN(nan_any)(seen));
    for (int r = 0; r < R; r++) {
        for (int t = 0; t < T; t++) {
            float total = CN_FN(cn_total)(acc[r][t][0], acc[r][t][1], acc[r][t][2], acc[r][t][3]);
            for (ptrdiff_t j = i; j < n; j++) {
                float product = CN_FN(weight1)(fmt, wr[r], j) * CN_FN(act1)(fmt, xt[t], j);
                total += product;
            }
            y[(t0 + t) * y_stride + row + r] = total;
        }
    }
    return nan;
}

/// The EXACT kernel for one (row, token): the fallback for rows with NaN codes.
static void CN_FN(cn_e4m3_exact1)(const uint8_t *w, ptrdiff_t row_bytes, ptrdiff_t n, const uint8_t *x,
                                  ptrdiff_t x_stride, ptrdiff_t row, ptrdiff_t t, float *y, ptrdiff_t y_stride)
    __attribute__((noinline)) CN_TARGET;
static void CN_FN(cn_e4m3_exact1)(const uint8_t *w, ptrdiff_t row_bytes, ptrdiff_t n, const uint8_t *x,
                                  ptrdiff_t x_stride, ptrdiff_t row, ptrdiff_t t, float *y, ptrdiff_t y_stride) {
    CN_FN(cn_ftile)(CN_E4M3_EXACT, 1, 1, w, row_bytes, n, x, x_stride, row, t, y, y_stride);
}

/// Rows `row_begin..<row_end` × tokens `t0..<t0+T`, R rows at a time (then one at a time).
CN_INLINE void CN_FN(cn_fband)(const int fmt, const int R, const int T, const uint8_t *w, ptrdiff_t row_bytes,
                               ptrdiff_t n, ptrdiff_t row_begin, ptrdiff_t row_end, const uint8_t *x,
                               ptrdiff_t x_stride, ptrdiff_t t0, float *y, ptrdiff_t y_stride) {
    ptrdiff_t r = row_begin;
    for (; r + R <= row_end; r += R) {
        if (CN_FN(cn_ftile)(fmt, R, T, w, row_bytes, n, x, x_stride, r, t0, y, y_stride)) {
            for (int i = 0; i < R; i++)
                for (int t = 0; t < T; t++)
                    CN_FN(cn_e4m3_exact1)(w, row_bytes, n, x, x_stride, r + i, t0 + t, y, y_stride);
        }
    }
    for (; r < row_end; r++) {
        if (CN_FN(cn_ftile)(fmt, 1, T, w, row_bytes, n, x, x_stride, r, t0, y, y_stride)) {
            for (int t = 0; t < T; t++) CN_FN(cn_e4m3_exact1)(w, row_bytes, n, x, x_stride, r, t0 + t, y, y_stride);
        }
    }
}

#if CN_WIDE
// Decode rows with a permuted accumulator layout. Swift's four groups of 16 lanes hold the 64 column classes
// (i mod 64); the chain of a class is the same whichever register lane holds it, so the 64-column loop may keep
// the classes in the order the cheapest widening produces — bf16: even and odd columns of a 64-byte load (a shift
// and a mask, no shuffle); E4M3: byte k of each dword (shifts and a mask) — and put them back in Swift's order
// (three permutes per group) before the 16-column chunks and the sums.

/// Swift's group g from planes holding class 2j (`even`) and 2j + 1 (`odd`) of the 32 classes from 32·(g / 2).
CN_INLINE cn_v CN_FN(cn_unpair)(cn_v even, cn_v odd, int upper) {
    const __m512i lo = _mm512_setr_epi32(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    const __m512i hi = _mm512_setr_epi32(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
    return _mm512_permutex2var_ps(even, upper ? hi : lo, odd);
}

/// R bf16 rows from `w` (`row_bytes` apart) against one token into `out[0..<R]`, each as
/// `cn_ftile(CN_BF16, 1, 1, …)` computes it. Rows share the activations' widening.
CN_INLINE void CN_FN(cn_bf16_decode)(const int R, const uint8_t *w, ptrdiff_t row_bytes, ptrdiff_t n,
                                     const uint8_t *x, float *out) {
    const __m512i top = _mm512_set1_epi32((int)0xFFFF0000);
    __m512 acc[CN_MAX_R][4];
    for (int r = 0; r < R; r++)
        for (int k = 0; k < 4; k++) acc[r][k] = _mm512_setzero_ps();
    ptrdiff_t i = 0;
    for (; i + 64 <= n; i += 64) {
        __m512i xa = _mm512_loadu_si512((const void *)(x + 2 * i)), xb = _mm512_loadu_si512((const void *)(x + 2 * i + 64));
        __m512 xe0 = _mm512_castsi512_ps(_mm512_slli_epi32(xa, 16)), xo0 = _mm512_castsi512_ps(_mm512_and_si512(xa, top));
        __m512 xe1 = _mm512_castsi512_ps(_mm512_slli_epi32(xb, 16)), xo1 = _mm512_castsi512_ps(_mm512_and_si512(xb, top));
        for (int r = 0; r < R; r++) {
            const uint8_t *wr = w + r * row_bytes;
            _mm_prefetch((const char *)wr + 2 * i + CN_STREAM_AHEAD / R, _MM_HINT_T0);
            _mm_prefetch((const char *)wr + 2 * i + CN_STREAM_AHEAD / R + 64, _MM_HINT_T0);
            __m512i wa = _mm512_loadu_si512((const void *)(wr + 2 * i));
            __m512i wb = _mm512_loadu_si512((const void *)(wr + 2 * i + 64));
            acc[r][0] = _mm512_fmadd_ps(_mm512_castsi512_ps(_mm512_slli_epi32(wa, 16)), xe0, acc[r][0]);
            acc[r][1] = _mm512_fmadd_ps(_mm512_castsi512_ps(_mm512_and_si512(wa, top)), xo0, acc[r][1]);
            acc[r][2] = _mm512_fmadd_ps(_mm512_castsi512_ps(_mm512_slli_epi32(wb, 16)), xe1, acc[r][2]);
            acc[r][3] = _mm512_fmadd_ps(_mm512_castsi512_ps(_mm512_and_si512(wb, top)), xo1, acc[r][3]);
        }
    }
    for (int r = 0; r < R; r++) {
        const uint8_t *wr = w + r * row_bytes;
        cn_v g0 = CN_FN(cn_unpair)(acc[r][0], acc[r][1], 0), g1 = CN_FN(cn_unpair)(acc[r][0], acc[r][1], 1);
        cn_v g2 = CN_FN(cn_unpair)(acc[r][2], acc[r][3], 0), g3 = CN_FN(cn_unpair)(acc[r][2], acc[r][3], 1);
        ptrdiff_t j = i;
        for (; j + 16 <= n; j += 16) g0 = CN_FN(v_fma)(CN_FN(v_bf16)(wr + 2 * j), CN_FN(v_bf16)(x + 2 * j), g0);
        float total = CN_FN(cn_total)(g0, g1, g2, g3);
        for (; j < n; j++) {
            float product = CN_FN(weight1)(CN_BF16, wr, j) * CN_FN(act1)(CN_BF16, x, j);
            total += product;
        }
        out[r] = total;
    }
}

#if CN_VBMI
/// The bf16 bits of each E4M3 magnitude code's value (all exact in bf16), NaN (0x7F) as the bits of Swift's NaN
/// (the half 0x7F80 widened: 0x7FF0'0000): the high bytes in `cn_e4m3_hi`, the low bytes in `cn_e4m3_lo`.
static uint8_t CN_FN(cn_e4m3_hi)[128] __attribute__((aligned(64)));
static uint8_t CN_FN(cn_e4m3_lo)[128] __attribute__((aligned(64)));
static int CN_FN(cn_e4m3_ready);

static void CN_FN(cn_e4m3_tables)(void) {
    if (__atomic_load_n(&CN_FN(cn_e4m3_ready), __ATOMIC_ACQUIRE)) return;
    // A benign race: every thread writes the same bytes.
    for (int m = 0; m < 128; m++) {
        int e = m >> 3, f = m & 7;
        float v = e ? __builtin_ldexpf(1.0f + f / 8.0f, e - 7) : __builtin_ldexpf(f / 8.0f, -6);
        uint32_t u;
        memcpy(&u, &v, 4);
        if (m == 0x7F) u = 0x7FF00000u;
        CN_FN(cn_e4m3_hi)[m] = (uint8_t)(u >> 24);
        CN_FN(cn_e4m3_lo)[m] = (uint8_t)(u >> 16);
    }
    __atomic_store_n(&CN_FN(cn_e4m3_ready), 1, __ATOMIC_RELEASE);
}

/// The class held by lane d of plane k (`cn_e4m3_decode`'s order): planes 0/1 hold the even/odd bytes 0…7 of
/// each 16-byte lane, planes 2/3 bytes 8…15.
static inline int cn_e4m3_class(int k, int d) { return 16 * (d / 4) + 8 * (k / 2) + 2 * (d % 4) + (k % 2); }

/// Swift's group g from the four planes.
CN_INLINE cn_v CN_FN(cn_unquad)(const cn_v *p, int g) {
    int idx[16];
    for (int l = 0; l < 16; l++) idx[l] = (l & 1) * 16 + 4 * g + (l & 7) / 2;
    __m512i v = _mm512_loadu_si512((const void *)idx);
    return _mm512_mask_blend_ps(0xFF00, _mm512_permutex2var_ps(p[0], v, p[1]), _mm512_permutex2var_ps(p[2], v, p[3]));
}

/// R E4M3 rows from `w` (`row_bytes` apart) against one token whose f32 activations `xq` are in plane order
/// (`cn_e4m3_planes`), into `out[0..<R]`, as `cn_ftile(CN_E4M3_EXACT, 1, 1, …)` computes each from `x`. Each 64
/// bytes become their bf16 values by two 128-entry byte lookups (`vpermi2b`: high and low bytes; the sign ORed in),
/// bytes paired into words within each 16-byte lane, and words widened without shuffles (even: shifted, odd:
/// masked). Rows share the activation loads: f32 activations are four bytes per weight byte, and for long rows
/// they come from L2. Each row is prefetched ahead (`CN_STREAM_AHEAD`).
CN_INLINE void CN_FN(cn_e4m3_decode)(const int R, const uint8_t *w, ptrdiff_t row_bytes, ptrdiff_t n,
                                     const uint8_t *x, const float *xq, float *out) {
    const __m512i hi0 = _mm512_load_si512((const void *)CN_FN(cn_e4m3_hi));
    const __m512i hi1 = _mm512_load_si512((const void *)(CN_FN(cn_e4m3_hi) + 64));
    const __m512i lo0 = _mm512_load_si512((const void *)CN_FN(cn_e4m3_lo));
    const __m512i lo1 = _mm512_load_si512((const void *)(CN_FN(cn_e4m3_lo) + 64));
    const __m512i sign = _mm512_set1_epi8((char)0x80), top = _mm512_set1_epi32((int)0xFFFF0000);
    cn_v p[CN_MAX_R][4];
    for (int r = 0; r < R; r++)
        for (int k = 0; k < 4; k++) p[r][k] = _mm512_setzero_ps();
    ptrdiff_t i = 0;
    for (; i + 64 <= n; i += 64) {
        __m512 x0 = _mm512_loadu_ps(xq + i), x1 = _mm512_loadu_ps(xq + i + 16);
        __m512 x2 = _mm512_loadu_ps(xq + i + 32), x3 = _mm512_loadu_ps(xq + i + 48);
        for (int r = 0; r < R; r++) {
            const uint8_t *wr = w + r * row_bytes;
            _mm_prefetch((const char *)wr + i + CN_STREAM_AHEAD / R, _MM_HINT_T0);
            __m512i b = _mm512_loadu_si512((const void *)(wr + i));
            // (b & 0x80) | hi[b & 0x7F]
            __m512i h = _mm512_ternarylogic_epi32(_mm512_permutex2var_epi8(hi0, b, hi1), b, sign, 0xF8);
            __m512i l = _mm512_permutex2var_epi8(lo0, b, lo1);
            __m512i a = _mm512_unpacklo_epi8(l, h), c = _mm512_unpackhi_epi8(l, h);
            p[r][0] = _mm512_fmadd_ps(_mm512_castsi512_ps(_mm512_slli_epi32(a, 16)), x0, p[r][0]);
            p[r][1] = _mm512_fmadd_ps(_mm512_castsi512_ps(_mm512_and_si512(a, top)), x1, p[r][1]);
            p[r][2] = _mm512_fmadd_ps(_mm512_castsi512_ps(_mm512_slli_epi32(c, 16)), x2, p[r][2]);
            p[r][3] = _mm512_fmadd_ps(_mm512_castsi512_ps(_mm512_and_si512(c, top)), x3, p[r][3]);
        }
    }
    for (int r = 0; r < R; r++) {
        const uint8_t *wr = w + r * row_bytes;
        cn_v g0 = CN_FN(cn_unquad)(p[r], 0), g1 = CN_FN(cn_unquad)(p[r], 1);
        cn_v g2 = CN_FN(cn_unquad)(p[r], 2), g3 = CN_FN(cn_unquad)(p[r], 3);
        ptrdiff_t j = i;
        for (; j + 16 <= n; j += 16)
            g0 = CN_FN(v_fma)(CN_FN(weights16)(CN_E4M3_EXACT, wr, j), CN_FN(acts16)(CN_E4M3_EXACT, x, j), g0);
        float total = CN_FN(cn_total)(g0, g1, g2, g3);
        for (; j < n; j++) {
            float product = CN_FN(weight1)(CN_E4M3_EXACT, wr, j) * CN_FN(act1)(CN_E4M3_EXACT, x, j);
            total += product;
        }
        out[r] = total;
    }
}

/// The 64-column chunks of one token's f32 activations in the plane order of `cn_e4m3_decode`.
CN_INLINE void CN_FN(cn_e4m3_planes)(const uint8_t *x, ptrdiff_t n, float *xq) {
    const float *xf = (const float *)x;
    for (ptrdiff_t c = 0; c + 64 <= n; c += 64)
        for (int k = 0; k < 4; k++)
            for (int d = 0; d < 16; d++) xq[c + 16 * k + d] = xf[c + cn_e4m3_class(k, d)];
}

#endif  // CN_VBMI
#endif  // CN_WIDE

/// Row length (columns) beyond which four bf16 rows share the activations in decode (measured on Zen 4, 14336
/// columns: 23 GB/s against 19 for two rows and 17 for one; 4096 columns: one row is fastest).
#ifndef CN_BF16_SHARE_FROM
#define CN_BF16_SHARE_FROM 4096
#endif

/// Few tokens: each streams the rows on its own, CN_DECODE_R rows in flight. Many tokens: blocks of rows, each
/// passed over by groups of CN_PREFILL_T tokens sharing every weight load (`fmt_x` / `fmt_w`: the E4M3 variant for
/// each tile, scaling whichever side is loaded less often).
CN_INLINE void CN_FN(cn_frows)(const int fmt_decode, const int fmt_prefill, const void *w, ptrdiff_t row_bytes,
                               ptrdiff_t n, ptrdiff_t row_begin, ptrdiff_t row_end, const void *x,
                               ptrdiff_t x_stride, ptrdiff_t tokens, float *y, ptrdiff_t y_stride) {
    const uint8_t *wp = (const uint8_t *)w, *xp = (const uint8_t *)x;
    if (tokens < CN_PREFILL_T) {
#if CN_WIDE
        if (fmt_decode == CN_BF16) {
            for (ptrdiff_t t = 0; t < tokens; t++) {
                const uint8_t *xt = xp + t * x_stride;
                float *yt = y + t * y_stride;
                ptrdiff_t r = row_begin;
                if (n > CN_BF16_SHARE_FROM)
                    for (; r + 4 <= row_end; r += 4) CN_FN(cn_bf16_decode)(4, wp + r * row_bytes, row_bytes, n, xt, yt + r);
                for (; r < row_end; r++) CN_FN(cn_bf16_decode)(1, wp + r * row_bytes, row_bytes, n, xt, yt + r);
            }
            return;
        }
#endif
#if CN_VBMI
        // One token's activations in plane order, in the thread's scratch.
        float *xq = (float *)cn_thread_scratch((size_t)n * sizeof(float));
        if (xq) {
            CN_FN(cn_e4m3_tables)();
            for (ptrdiff_t t = 0; t < tokens; t++) {
                const uint8_t *xt = xp + t * x_stride;
                CN_FN(cn_e4m3_planes)(xt, n, xq);
                float *yt = y + t * y_stride;
                ptrdiff_t r = row_begin;
                // Four rows share the activation loads once they outgrow L1 (measured, 14336 columns: 16 GB/s
                // against 10 for one row); shorter rows stream faster one at a time (4096: 17.6 against 13).
                if (n > 4096)
                    for (; r + 4 <= row_end; r += 4)
                        CN_FN(cn_e4m3_decode)(4, wp + r * row_bytes, row_bytes, n, xt, xq, yt + r);
                for (; r < row_end; r++) CN_FN(cn_e4m3_decode)(1, wp + r * row_bytes, row_bytes, n, xt, xq, yt + r);
            }
            return;
        }
#endif
        for (ptrdiff_t t = 0; t < tokens; t++)
            CN_FN(cn_fband)(fmt_decode, CN_DECODE_R, 1, wp, row_bytes, n, row_begin, row_end, xp, x_stride, t, y,
                            y_stride);
        return;
    }
    for (ptrdiff_t block = row_begin; block < row_end; block += CN_ROW_BLOCK) {
        ptrdiff_t end = block + CN_ROW_BLOCK < row_end ? block + CN_ROW_BLOCK : row_end;
        ptrdiff_t t = 0;
        for (; t + CN_PREFILL_T <= tokens; t += CN_PREFILL_T)
            CN_FN(cn_fband)(fmt_prefill, CN_PREFILL_R, CN_PREFILL_T, wp, row_bytes, n, block, end, xp, x_stride, t,
                            y, y_stride);
        for (; t < tokens; t++)
            CN_FN(cn_fband)(fmt_decode, CN_DECODE_R, 1, wp, row_bytes, n, block, end, xp, x_stride, t, y, y_stride);
    }
}

CN_TARGET void CN_FN(cn_bf16_rows_)(const void *w, ptrdiff_t row_bytes, ptrdiff_t columns, ptrdiff_t row_begin,
                                    ptrdiff_t row_end, const void *x, ptrdiff_t x_stride, ptrdiff_t tokens, float *y,
                                    ptrdiff_t y_stride) {
    CN_FN(cn_frows)(CN_BF16, CN_BF16, w, row_bytes, columns, row_begin, row_end, x, x_stride, tokens, y, y_stride);
}

CN_TARGET void CN_FN(cn_e4m3_rows_)(const void *w, ptrdiff_t row_bytes, ptrdiff_t columns, ptrdiff_t row_begin,
                                    ptrdiff_t row_end, const void *x, ptrdiff_t x_stride, ptrdiff_t tokens, float *y,
                                    ptrdiff_t y_stride) {
    CN_FN(cn_frows)(CN_DECODE_R > 1 ? CN_E4M3_XS : CN_E4M3_WS, CN_PREFILL_R > CN_PREFILL_T ? CN_E4M3_XS : CN_E4M3_WS,
                    w, row_bytes, columns, row_begin, row_end, x, x_stride, tokens, y, y_stride);
}
