// A per-thread buffer for the float row kernels (internal to CNumerics).
#ifndef CN_FLOAT_ROWS_SCRATCH_H
#define CN_FLOAT_ROWS_SCRATCH_H
#include <stddef.h>

/// At least `floats` floats, 64-byte aligned, owned by the calling thread and kept (grown, never shrunk) until it
/// exits; NULL when memory runs out.
float *cn_float_scratch(size_t floats);

#endif
