// Chooses the F16/F32 row kernels and BF16 prefill for this CPU (the level of `cn_kernel_level`: AVX-512 where the quantized kernels
// use AVX-512 VNNI, else AVX2).
#include "CNumerics.h"

#define CN_FLOAT_ROWS_ARGS                                                                                       \
    const void *w, ptrdiff_t row_bytes, ptrdiff_t columns, ptrdiff_t row_begin, ptrdiff_t row_end, const void *x, \
        ptrdiff_t x_stride, ptrdiff_t tokens, float *y, ptrdiff_t y_stride

#if defined(__x86_64__)
void cn_f16_rows_avx512(CN_FLOAT_ROWS_ARGS);
void cn_f16_rows_avx2(CN_FLOAT_ROWS_ARGS);
void cn_f32_rows_avx512(CN_FLOAT_ROWS_ARGS);
void cn_f32_rows_avx2(CN_FLOAT_ROWS_ARGS);
int cn_bf16_gemm_avx512(CN_FLOAT_ROWS_ARGS);
int cn_bf16_gemm_avx2(CN_FLOAT_ROWS_ARGS);

void cn_f16_rows(CN_FLOAT_ROWS_ARGS) {
    (cn_kernel_level() >= 2 ? cn_f16_rows_avx512 : cn_f16_rows_avx2)(w, row_bytes, columns, row_begin, row_end, x,
                                                                      x_stride, tokens, y, y_stride);
}

void cn_f32_rows(CN_FLOAT_ROWS_ARGS) {
    (cn_kernel_level() >= 2 ? cn_f32_rows_avx512 : cn_f32_rows_avx2)(w, row_bytes, columns, row_begin, row_end, x,
                                                                      x_stride, tokens, y, y_stride);
}

int cn_bf16_gemm(CN_FLOAT_ROWS_ARGS) {
    return (cn_kernel_level() >= 2 ? cn_bf16_gemm_avx512 : cn_bf16_gemm_avx2)(w, row_bytes, columns, row_begin,
                                                                              row_end, x, x_stride, tokens, y,
                                                                              y_stride);
}
#else
// No kernels on other architectures: cn_kernel_level() is 0 and these are never called.
void cn_f16_rows(CN_FLOAT_ROWS_ARGS) { __builtin_trap(); }
void cn_f32_rows(CN_FLOAT_ROWS_ARGS) { __builtin_trap(); }
int cn_bf16_gemm(CN_FLOAT_ROWS_ARGS) { __builtin_trap(); }
#endif
