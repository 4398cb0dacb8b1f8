/*
 * cache.h — the in-memory kernel cache: compiled kernels keyed by their structure.
 *
 * The key is the kernel description's byte string (ir/kernel.h: ops, dtypes, operand
 * layouts; never sizes), so a new array length or new constant values reuse a kernel.
 */
#ifndef KILN_RUNTIME_CACHE_H
#define KILN_RUNTIME_CACHE_H

#include <pthread.h>

#include "../ir/kernel.h"

typedef struct kentry {
    uint64_t hash;
    uint8_t *key;
    size_t klen;
    kiln_kernel_fn fn;
    struct kentry *next;
} kentry;

typedef struct kcache {
    pthread_mutex_t lock;    /* guards the table */
    pthread_mutex_t compile; /* held while compiling: one compile at a time, none twice */
    kentry **buckets;
    uint32_t nbuckets, count;
} kcache;

kiln_status kcache_init(kiln_ctx *ctx, kcache *c);
void kcache_destroy(kiln_ctx *ctx, kcache *c);
/* The kernel stored under key, or NULL. */
kiln_kernel_fn kcache_find(kcache *c, const uint8_t *key, size_t klen, uint64_t hash);
/* Stores fn under a copy of key.  On failure (no memory) the cache is unchanged. */
kiln_status kcache_put(kiln_ctx *ctx, kcache *c, const uint8_t *key, size_t klen, uint64_t hash, kiln_kernel_fn fn);

#endif
