/*
 * cache.c — the in-memory kernel cache (a chained hash table under a mutex).
 *
 * Pipeline position: between fusion and code generation; a hit skips the backend entirely.
 */
#include "cache.h"

#include <string.h>

#include "ctx.h"

kiln_status kcache_init(kiln_ctx *ctx, kcache *c) {
    memset(c, 0, sizeof *c);
    c->nbuckets = 64;
    c->buckets = kiln_calloc(ctx, c->nbuckets * sizeof *c->buckets);
    if (!c->buckets) return KILN_ERR_NOMEM;
    pthread_mutex_init(&c->lock, NULL);
    pthread_mutex_init(&c->compile, NULL);
    return KILN_OK;
}

void kcache_destroy(kiln_ctx *ctx, kcache *c) {
    if (!c->buckets) return;
    for (uint32_t i = 0; i < c->nbuckets; i++) {
        for (kentry *e = c->buckets[i], *n; e; e = n) {
            n = e->next;
            kiln_free(ctx, e->key);
            kiln_free(ctx, e);
        }
    }
    kiln_free(ctx, c->buckets);
    pthread_mutex_destroy(&c->lock);
    pthread_mutex_destroy(&c->compile);
    c->buckets = NULL;
}

kiln_kernel_fn kcache_find(kcache *c, const uint8_t *key, size_t klen, uint64_t hash) {
    kiln_kernel_fn fn = NULL;
    pthread_mutex_lock(&c->lock);
    for (kentry *e = c->buckets[hash & (c->nbuckets - 1)]; e; e = e->next) {
        if (e->hash == hash && e->klen == klen && memcmp(e->key, key, klen) == 0) {
            fn = e->fn;
            break;
        }
    }
    pthread_mutex_unlock(&c->lock);
    return fn;
}

kiln_status kcache_put(kiln_ctx *ctx, kcache *c, const uint8_t *key, size_t klen, uint64_t hash, kiln_kernel_fn fn) {
    kentry *e = kiln_malloc(ctx, sizeof *e);
    uint8_t *k = kiln_malloc(ctx, klen);
    if (!e || !k) {
        kiln_free(ctx, e);
        kiln_free(ctx, k);
        return KILN_ERR_NOMEM;
    }
    memcpy(k, key, klen);
    *e = (kentry){.hash = hash, .key = k, .klen = klen, .fn = fn};
    pthread_mutex_lock(&c->lock);
    if (c->count >= c->nbuckets * 2) { /* grow; if that fails, chains just get longer */
        uint32_t nb = c->nbuckets * 4;
        kentry **b = ctx->alloc(ctx->alloc_ud, NULL, nb * sizeof *b);
        if (b) {
            memset(b, 0, nb * sizeof *b);
            for (uint32_t i = 0; i < c->nbuckets; i++) {
                for (kentry *x = c->buckets[i], *n; x; x = n) {
                    n = x->next;
                    x->next = b[x->hash & (nb - 1)];
                    b[x->hash & (nb - 1)] = x;
                }
            }
            kiln_free(ctx, c->buckets);
            c->buckets = b;
            c->nbuckets = nb;
        }
    }
    kentry **slot = &c->buckets[hash & (c->nbuckets - 1)];
    e->next = *slot;
    *slot = e;
    c->count++;
    pthread_mutex_unlock(&c->lock);
    return KILN_OK;
}
