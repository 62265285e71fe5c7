// Quantizes f32 rows with llama.cpp's own ggml_quantize_chunk (no importance matrix: what
// llama-quantize runs), for the golden scripts. Link against llama.cpp's libggml-base.a.
//   ggml-quantize TYPE ROWS COLUMNS bytes      < f32 rows > quantized blocks
//   ggml-quantize TYPE ROWS COLUMNS roundtrip  < f32 rows > f32 rows decoded from the blocks
// TYPE is a ggml_type number (8 = Q8_0, 12 = Q4_K).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ggml.h"

int main(int argc, char **argv) {
    if (argc != 5) return 1;
    enum ggml_type type = (enum ggml_type)atoi(argv[1]);
    long rows = atol(argv[2]), cols = atol(argv[3]);
    float *x = malloc(rows * cols * sizeof(float));
    if (fread(x, sizeof(float), rows * cols, stdin) != (size_t)(rows * cols)) return 2;
    size_t row_size = ggml_row_size(type, cols);
    char *q = malloc(row_size * rows);
    ggml_quantize_chunk(type, x, q, 0, rows, cols, NULL);
    if (strcmp(argv[4], "bytes") == 0) {
        fwrite(q, 1, row_size * rows, stdout);
    } else {
        for (long r = 0; r < rows; ++r) ggml_get_type_traits(type)->to_float(q + r * row_size, x + r * cols, cols);
        fwrite(x, sizeof(float), rows * cols, stdout);
    }
    return 0;
}
