/*
 * cache.c — the in-memory kernel cache (a chained hash table under a mutex).
 *
 * Pipeline position: between fusion and code generation; a hit skips the backend entirely.
 */
#include "cache.h"

#include <string.h>

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

const kiln_kernel *kcache_find(kcache *c, const uint8_t *key, size_t klen, uint64_t hash) {
    const kiln_kernel *k = NULL;
    pthread_mutex_lock(&c->lock);
    for (kentry *e = c->buckets[hash & (c->nbuckets - 1)]; e; e = e->next) {
        if (e->hash == hash && e->klen == klen && memcmp(e->key, key, klen) == 0) {
            k = e->k;
            break;
        }
    }
    pthread_mutex_unlock(&c->lock);
    return k;
}

kiln_status kcache_put(kiln_ctx *ctx, kcache *c, const uint8_t *key, size_t klen, uint64_t hash, const kiln_kernel *k) {
    kentry *e = kiln_malloc(ctx, sizeof *e);
    uint8_t *kc = kiln_malloc(ctx, klen);
    if (!e || !kc) {
        kiln_free(ctx, e);
        kiln_free(ctx, kc);
        return KILN_ERR_NOMEM;
    }
    memcpy(kc, key, klen);
    *e = (kentry){.hash = hash, .key = kc, .klen = klen, .k = k};
    pthread_mutex_lock(&c->lock);
    if (c->count >= c->nbuckets * 2) { /* grow; if that fails, chains just get longer */
        uint32_t nb = c->nbuckets * 4;
        kentry **b = kiln_base_of(ctx)->alloc(kiln_base_of(ctx)->alloc_ud, NULL, nb * sizeof *b); /* no error if it fails */
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
