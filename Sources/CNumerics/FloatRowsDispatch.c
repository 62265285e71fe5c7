// Chooses the BF16 / FP8 row kernels for this CPU by `cn_kernel_level()`: AVX-512 at level 2 (its CPUs have
// AVX-512 F/BW/VL), AVX2 at level 1.
#include "CNumerics.h"

#define CN_FLOAT_ROWS(name)                                                                                      \
    void name(const void *w, ptrdiff_t row_bytes, ptrdiff_t columns, ptrdiff_t row_begin, ptrdiff_t row_end,     \
              const void *x, ptrdiff_t x_stride, ptrdiff_t tokens, float *y, ptrdiff_t y_stride)

#if defined(__x86_64__)
CN_FLOAT_ROWS(cn_bf16_rows_avx512);
CN_FLOAT_ROWS(cn_bf16_rows_avx2);
CN_FLOAT_ROWS(cn_e4m3_rows_avx512);
CN_FLOAT_ROWS(cn_e4m3_rows_avx2);

CN_FLOAT_ROWS(cn_bf16_rows) {
    if (cn_kernel_level() >= 2)
        cn_bf16_rows_avx512(w, row_bytes, columns, row_begin, row_end, x, x_stride, tokens, y, y_stride);
    else
        cn_bf16_rows_avx2(w, row_bytes, columns, row_begin, row_end, x, x_stride, tokens, y, y_stride);
}

CN_FLOAT_ROWS(cn_e4m3_rows) {
    if (cn_kernel_level() >= 2)
        cn_e4m3_rows_avx512(w, row_bytes, columns, row_begin, row_end, x, x_stride, tokens, y, y_stride);
    else
        cn_e4m3_rows_avx2(w, row_bytes, columns, row_begin, row_end, x, x_stride, tokens, y, y_stride);
}
#else
// No kernels on other architectures: cn_kernel_level() is 0 and these are never called.
CN_FLOAT_ROWS(cn_bf16_rows) { __builtin_trap(); }
CN_FLOAT_ROWS(cn_e4m3_rows) { __builtin_trap(); }
#endif
