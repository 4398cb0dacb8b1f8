/*
 * cache.c — the in-memory kernel cache (a chained hash table of slots under a mutex).
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

static void free_desc(kiln_ctx *ctx, kernel_desc *kd) {
    kiln_free(ctx, kd->inst);
    kiln_free(ctx, kd->out_inst);
    kiln_free(ctx, kd->layout);
    memset(kd, 0, sizeof *kd);
}

void kcache_destroy(kiln_ctx *ctx, kcache *c) {
    if (!c->buckets) return;
    for (uint32_t i = 0; i < c->nbuckets; i++) {
        for (kentry *e = c->buckets[i], *n; e; e = n) {
            n = e->next;
            free_desc(ctx, &e->slot.kd);
            kiln_free(ctx, e->key);
            kiln_free(ctx, e);
        }
    }
    kiln_free(ctx, c->buckets);
    pthread_mutex_destroy(&c->lock);
    pthread_mutex_destroy(&c->compile);
    c->buckets = NULL;
}

bool kcache_copy_desc(kiln_ctx *ctx, kernel_desc *dst, const kernel_desc *kd) {
    *dst = *kd;
    dst->inst = kiln_malloc(ctx, (size_t)kd->n_inst * sizeof *kd->inst);
    dst->out_inst = kiln_malloc(ctx, (size_t)kd->n_out * sizeof *kd->out_inst);
    dst->layout = kiln_malloc(ctx, (size_t)(kd->n_in + kd->n_out) + 1);
    if (!dst->inst || !dst->out_inst || !dst->layout) {
        free_desc(ctx, dst);
        return false;
    }
    memcpy(dst->inst, kd->inst, (size_t)kd->n_inst * sizeof *kd->inst);
    memcpy(dst->out_inst, kd->out_inst, (size_t)kd->n_out * sizeof *kd->out_inst);
    memcpy(dst->layout, kd->layout, (size_t)(kd->n_in + kd->n_out));
    return true;
}

kslot *kcache_find(kcache *c, const uint8_t *key, size_t klen, uint64_t hash) {
    kslot *s = NULL;
    pthread_mutex_lock(&c->lock);
    for (kentry *e = c->buckets[hash & (c->nbuckets - 1)]; e; e = e->next) {
        if (e->hash == hash && e->klen == klen && memcmp(e->key, key, klen) == 0) {
            s = &e->slot;
            break;
        }
    }
    pthread_mutex_unlock(&c->lock);
    return s;
}

kslot *kcache_put(kiln_ctx *ctx, kcache *c, const uint8_t *key, size_t klen, uint64_t hash, const kslot *proto) {
    kentry *e = kiln_calloc(ctx, sizeof *e);
    uint8_t *kc = kiln_malloc(ctx, klen);
    if (!e || !kc) {
        kiln_free(ctx, e);
        kiln_free(ctx, kc);
        return NULL;
    }
    memcpy(kc, key, klen);
    e->hash = hash;
    e->key = kc;
    e->klen = klen;
    atomic_init(&e->slot.best, atomic_load(&proto->best));
    atomic_init(&e->slot.state, atomic_load(&proto->state));
    atomic_init(&e->slot.ns, 0);
    e->slot.backend = proto->backend;
    e->slot.kd = proto->kd;
    e->slot.disk = proto->disk;
    e->slot.key = kc;
    e->slot.klen = klen;
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
    return &e->slot;
}
