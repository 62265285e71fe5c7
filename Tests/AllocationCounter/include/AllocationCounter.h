#ifndef ALLOCATION_COUNTER_H
#define ALLOCATION_COUNTER_H

/// Starts counting heap allocations (malloc, calloc, realloc, posix_memalign, aligned_alloc,
/// memalign) made by the calling thread.
void allocation_counter_start(void);

/// Stops counting and returns the number of allocations since `allocation_counter_start`.
long allocation_counter_stop(void);

#endif
