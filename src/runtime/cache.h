/*
 * cache.h — the in-memory kernel cache: compiled kernels keyed by their structure.
 *
 * The key is the backend's name and target, then the kernel description's byte string
 * (ir/kernel.h: ops, dtypes, operand layouts; never sizes), so a new array length or new
 * constant values reuse a kernel (runtime/kernels.c makes the keys).
 */
#ifndef KILN_RUNTIME_CACHE_H
#define KILN_RUNTIME_CACHE_H

#include <pthread.h>

#include "../codegen/backend.h"

typedef struct kentry {
    uint64_t hash;
    uint8_t *key;
    size_t klen;
    const kiln_kernel *k;
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
const kiln_kernel *kcache_find(kcache *c, const uint8_t *key, size_t klen, uint64_t hash);
/* Stores k under a copy of key.  On failure (no memory) the cache is unchanged. */
kiln_status kcache_put(kiln_ctx *ctx, kcache *c, const uint8_t *key, size_t klen, uint64_t hash, const kiln_kernel *k);

#endif
