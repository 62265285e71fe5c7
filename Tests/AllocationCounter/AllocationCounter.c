// Test-only: replaces the C allocator's entry points in the test binary (the executable's symbols
// take precedence over libc's for every library) and counts calls while counting is on, so a test
// can assert that a loop allocates nothing. The memory itself comes from glibc's own functions.
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include "AllocationCounter.h"

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);
extern void __libc_free(void *pointer);

static atomic_int counting;
static atomic_long allocations;
static pthread_t counted;

// Only the thread that started counting: other threads of a test process (servers of earlier
// tests winding down, the runtime's own) allocate at any time and would make counts flaky.
static inline void count(void) {
    if (atomic_load_explicit(&counting, memory_order_acquire) && pthread_equal(pthread_self(), counted)) {
        atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed);
    }
}

void allocation_counter_start(void) {
    counted = pthread_self();
    atomic_store(&allocations, 0);
    atomic_store_explicit(&counting, 1, memory_order_release);
}

long allocation_counter_stop(void) {
    atomic_store(&counting, 0);
    return atomic_load(&allocations);
}

void *malloc(size_t size) { count(); return __libc_malloc(size); }
void *calloc(size_t count_, size_t size) { count(); return __libc_calloc(count_, size); }
void *realloc(void *pointer, size_t size) { count(); return __libc_realloc(pointer, size); }
void free(void *pointer) { __libc_free(pointer); }
void *memalign(size_t alignment, size_t size) { count(); return __libc_memalign(alignment, size); }
void *aligned_alloc(size_t alignment, size_t size) { count(); return __libc_memalign(alignment, size); }
int posix_memalign(void **result, size_t alignment, size_t size) {
    count();
    void *pointer = __libc_memalign(alignment, size);
    if (pointer == NULL) return 12; // ENOMEM
    *result = pointer;
    return 0;
}
