/*
 * cache.h — the in-memory kernel cache: a slot per kernel, keyed by its structure.
 *
 * The key is the backend's name and target, then the kernel description's byte string
 * (ir/kernel.h: ops, dtypes, operand layouts; never sizes), so a new array length or new
 * constant values reuse a kernel (runtime/kernels.c makes the keys).  A slot holds what calls
 * run: the compiled kernel, or, while the backend compiles it in the background, the
 * interpreter's (runtime/tier.c); it is upgraded in place, so every plan that found it runs the
 * compiled kernel the moment it is ready.
 *
 * The cache keeps at most KILN_KERNEL_CACHE slots (default 4096): past that the least recently
 * used leave the table.  Slots are reference-counted (the table, each step that remembers one,
 * each launch running it, a queued compile): one that has left the table lives on while anyone
 * holds it (found again under its key if it is needed, so that its kernel is never loaded
 * twice), and when the last reference goes its kernels are unloaded from their backend.
 */
#ifndef KILN_RUNTIME_CACHE_H
#define KILN_RUNTIME_CACHE_H

#include <pthread.h>
#include <stdatomic.h>

#include "../codegen/backend.h"
#include "diskcache.h"

typedef enum kslot_state {
    KSLOT_FINAL,  /* best is the backend's own kernel (or the interpreter, by choice) */
    KSLOT_INTERP, /* best is the interpreter's; no compile queued yet */
    KSLOT_QUEUED, /* a background compile is queued or running */
    KSLOT_FAILED, /* the background compile failed: the interpreter runs it for good */
} kslot_state;

typedef struct kslot {
    _Atomic(const kiln_kernel *) best; /* what calls run now */
    const kiln_kernel *first;          /* the interpreter's kernel it started with, or NULL */
    atomic_int refs;                   /* the table's, steps', launches', a queued compile's */
    atomic_int state;                  /* kslot_state */
    atomic_uint_fast64_t ns;           /* time spent running it on the interpreter */
    int backend;                       /* the backend the kernel is for (table index) */
    kernel_desc kd;                    /* not FINAL: the description to compile (owned copy) */
    dc_result disk;                    /* what the disk cache said when the slot was made */
    const uint8_t *key;                /* the entry's copy of the key */
    size_t klen;
} kslot;

typedef struct kentry {
    uint64_t hash;
    uint8_t *key;
    size_t klen;
    kslot slot;
    struct kentry *next;               /* the hash chain, or the list of evicted slots */
    struct kentry *newer, *older;      /* the LRU list (in the table) */
    bool evicted;                      /* out of the table, still held */
} kentry;

typedef struct kcache {
    pthread_mutex_t lock;    /* guards the table, the LRU list and the evicted list */
    pthread_mutex_t compile; /* held while making a kernel: one at a time, none twice */
    kentry **buckets;
    uint32_t nbuckets, count;
    uint32_t cap;            /* most slots in the table (KILN_KERNEL_CACHE) */
    kentry *newest, *oldest; /* the LRU list */
    kentry *evicted;         /* out of the table, still held */
    uint64_t evictions;
} kcache;

kiln_status kcache_init(kiln_ctx *ctx, kcache *c);
void kcache_destroy(kiln_ctx *ctx, kcache *c);
/* The slot stored under key (a new reference: kcache_release it), or NULL.  An evicted slot
 * still held is put back in the table. */
kslot *kcache_find(kiln_ctx *ctx, kcache *c, const uint8_t *key, size_t klen, uint64_t hash);
/* Stores a slot made from proto (its description's arrays and kernels now owned by the cache)
 * under a copy of key and returns it (a new reference), or NULL when out of memory (the cache
 * is then unchanged and proto's arrays still the caller's).  The least recently used slots
 * beyond the cap leave the table. */
kslot *kcache_put(kiln_ctx *ctx, kcache *c, const uint8_t *key, size_t klen, uint64_t hash, const kslot *proto);
/* One more reference to s; dropping one (the last unloads its kernels and frees it). */
void kcache_retain(kslot *s);
void kcache_release(kiln_ctx *ctx, kcache *c, kslot *s);
/* Copies kd (its arrays with the context's allocator) into *dst; false when out of memory. */
bool kcache_copy_desc(kiln_ctx *ctx, kernel_desc *dst, const kernel_desc *kd);

#endif
