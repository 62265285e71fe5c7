// Kernels repack or widen a call's activations into a buffer kept per thread, so that calls after the first
// allocate nothing; the buffer is freed when the thread exits (pools come and go, in tests and benchmarks).
#include "ThreadScratch.h"
#include <pthread.h>
#include <stdlib.h>

typedef struct {
    void *data;
    size_t capacity;
} cn_scratch;

static pthread_key_t key;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void release(void *p) {
    cn_scratch *s = p;
    free(s->data);
    free(s);
}

static void make_key(void) { pthread_key_create(&key, release); }

void *cn_thread_scratch(size_t bytes) {
    pthread_once(&once, make_key);
    cn_scratch *s = pthread_getspecific(key);
    if (!s) {
        s = calloc(1, sizeof *s);
        if (!s || pthread_setspecific(key, s) != 0) {
            free(s);
            return NULL;
        }
    }
    if (s->capacity < bytes) {
        // Grown by half again, so that slowly rising sizes reallocate rarely.
        size_t capacity = bytes + bytes / 2;
        void *p = NULL;
        if (posix_memalign(&p, 64, capacity) != 0) return NULL;
        free(s->data);
        s->data = p;
        s->capacity = capacity;
    }
    return s->data;
}
