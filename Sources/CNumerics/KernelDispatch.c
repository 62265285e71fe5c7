// Chooses the kernels for this CPU once, at first use.
#include "CNumerics.h"

#define CN_DECLARE(suffix)                                                                                       \
    void cn_q8_0_rows_##suffix(const void *, ptrdiff_t, ptrdiff_t, ptrdiff_t, ptrdiff_t, cn_activations,          \
                               ptrdiff_t, float *, ptrdiff_t);                                                    \
    void cn_q4_0_rows_##suffix(const void *, ptrdiff_t, ptrdiff_t, ptrdiff_t, ptrdiff_t, cn_activations,          \
                               ptrdiff_t, float *, ptrdiff_t);                                                    \
    void cn_q4_1_rows_##suffix(const void *, ptrdiff_t, ptrdiff_t, ptrdiff_t, ptrdiff_t, cn_activations,          \
                               ptrdiff_t, float *, ptrdiff_t);
#if defined(__x86_64__)
CN_DECLARE(avx2)
CN_DECLARE(vnni)
#endif

static int detected = -1;
static int limit = 2;

static int detect(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (!(__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))) return 0;
    if (__builtin_cpu_supports("avx512vnni") && __builtin_cpu_supports("avx512vl") &&
        __builtin_cpu_supports("avx512bw"))
        return 2;
    return 1;
#else
    return 0;
#endif
}

int cn_kernel_level(void) {
    // A benign race: every thread computes the same value.
    int d = __atomic_load_n(&detected, __ATOMIC_RELAXED);
    if (d < 0) {
        d = detect();
        __atomic_store_n(&detected, d, __ATOMIC_RELAXED);
    }
    int l = __atomic_load_n(&limit, __ATOMIC_RELAXED);
    return d < l ? d : l;
}

void cn_limit_kernel_level(int level) { __atomic_store_n(&limit, level < 0 ? 2 : level, __ATOMIC_RELAXED); }

#if defined(__x86_64__)
#define CN_DISPATCH(name)                                                                                        \
    void name(const void *w, ptrdiff_t row_bytes, ptrdiff_t blocks, ptrdiff_t row_begin, ptrdiff_t row_end,      \
              cn_activations x, ptrdiff_t tokens, float *y, ptrdiff_t y_stride) {                                \
        if (cn_kernel_level() >= 2)                                                                              \
            name##_vnni(w, row_bytes, blocks, row_begin, row_end, x, tokens, y, y_stride);                       \
        else                                                                                                     \
            name##_avx2(w, row_bytes, blocks, row_begin, row_end, x, tokens, y, y_stride);                       \
    }
CN_DISPATCH(cn_q8_0_rows)
CN_DISPATCH(cn_q4_0_rows)
CN_DISPATCH(cn_q4_1_rows)
#else
// No kernels on other architectures: cn_kernel_level() is 0 and these are never called.
#define CN_DISPATCH(name)                                                                                        \
    void name(const void *w, ptrdiff_t row_bytes, ptrdiff_t blocks, ptrdiff_t row_begin, ptrdiff_t row_end,      \
              cn_activations x, ptrdiff_t tokens, float *y, ptrdiff_t y_stride) {                                \
        __builtin_trap();                                                                                        \
    }
CN_DISPATCH(cn_q8_0_rows)
CN_DISPATCH(cn_q4_0_rows)
CN_DISPATCH(cn_q4_1_rows)
#endif
