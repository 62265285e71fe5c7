// Chooses the BF16 / FP8 row kernels for this CPU by `cn_kernel_level()`: AVX-512 at level 2 (its CPUs have
// AVX-512 F/BW/VL), with VBMI where the CPU has it and tests allow it, AVX2 at level 1.
#include "CNumerics.h"

#define CN_FLOAT_ROWS(name)                                                                                      \
    void name(const void *w, ptrdiff_t row_bytes, ptrdiff_t columns, ptrdiff_t row_begin, ptrdiff_t row_end,     \
              const void *x, ptrdiff_t x_stride, ptrdiff_t tokens, float *y, ptrdiff_t y_stride)

#if defined(__x86_64__)
CN_FLOAT_ROWS(cn_bf16_rows_avx512);
CN_FLOAT_ROWS(cn_bf16_rows_avx2);
CN_FLOAT_ROWS(cn_e4m3_rows_avx512);
CN_FLOAT_ROWS(cn_e4m3_rows_avx2);
CN_FLOAT_ROWS(cn_bf16_rows_vbmi);
CN_FLOAT_ROWS(cn_e4m3_rows_vbmi);

static int vbmi_allowed = 1;

void cn_float_rows_allow_vbmi(int allowed) { __atomic_store_n(&vbmi_allowed, allowed, __ATOMIC_RELAXED); }

int cn_float_rows_vbmi(void) {
    static int has = -1;
    int h = __atomic_load_n(&has, __ATOMIC_RELAXED);
    if (h < 0) {
        __builtin_cpu_init();
        h = __builtin_cpu_supports("avx512vbmi") && __builtin_cpu_supports("avx512bw");
        __atomic_store_n(&has, h, __ATOMIC_RELAXED);
    }
    return h && __atomic_load_n(&vbmi_allowed, __ATOMIC_RELAXED) && cn_kernel_level() >= 2;
}

CN_FLOAT_ROWS(cn_bf16_rows) {
    if (cn_kernel_level() >= 2)
        cn_bf16_rows_avx512(w, row_bytes, columns, row_begin, row_end, x, x_stride, tokens, y, y_stride);
    else
        cn_bf16_rows_avx2(w, row_bytes, columns, row_begin, row_end, x, x_stride, tokens, y, y_stride);
}

CN_FLOAT_ROWS(cn_e4m3_rows) {
    if (cn_float_rows_vbmi())
        cn_e4m3_rows_vbmi(w, row_bytes, columns, row_begin, row_end, x, x_stride, tokens, y, y_stride);
    else if (cn_kernel_level() >= 2)
        cn_e4m3_rows_avx512(w, row_bytes, columns, row_begin, row_end, x, x_stride, tokens, y, y_stride);
    else
        cn_e4m3_rows_avx2(w, row_bytes, columns, row_begin, row_end, x, x_stride, tokens, y, y_stride);
}
#else
// No kernels on other architectures: cn_kernel_level() is 0 and these are never called.
CN_FLOAT_ROWS(cn_bf16_rows) { __builtin_trap(); }
CN_FLOAT_ROWS(cn_e4m3_rows) { __builtin_trap(); }
void cn_float_rows_allow_vbmi(int allowed) { (void)allowed; }
int cn_float_rows_vbmi(void) { return 0; }
#endif
