// The prefill kernels widen a call's activations to floats once; the buffer is kept per thread so that calls after
// the first allocate nothing (decode allocates nothing at all).
#include "F16RowsScratch.h"
#include <pthread.h>
#include <stdlib.h>

typedef struct {
    float *data;
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

float *cn_float_scratch(size_t floats) {
    pthread_once(&once, make_key);
    cn_scratch *s = pthread_getspecific(key);
    if (!s) {
        s = calloc(1, sizeof *s);
        if (!s || pthread_setspecific(key, s) != 0) {
            free(s);
            return NULL;
        }
    }
    if (s->capacity < floats) {
        // Grown by half again, so that slowly rising token counts reallocate rarely.
        size_t capacity = floats + floats / 2;
        void *p = NULL;
        if (posix_memalign(&p, 64, capacity * sizeof(float)) != 0) return NULL;
        free(s->data);
        s->data = p;
        s->capacity = capacity;
    }
    return s->data;
}
