// A per-thread buffer for the kernels (internal to CNumerics).
#ifndef CN_THREAD_SCRATCH_H
#define CN_THREAD_SCRATCH_H
#include <stddef.h>

/// At least `bytes` bytes, 64-byte aligned, owned by the calling thread and kept (grown, never shrunk) until it
/// exits; NULL when memory runs out. One buffer per thread, shared by every kernel: a kernel uses it only within
/// one call, and a thread runs one kernel call at a time.
void *cn_thread_scratch(size_t bytes);

#endif
