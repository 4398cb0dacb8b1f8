/*
 * cache.c — the in-memory kernel cache (a chained hash table of slots under a mutex).
 *
 * Pipeline position: between fusion and code generation; a hit skips the backend entirely.
 */
#include "cache.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"

kiln_status kcache_init(kiln_ctx *ctx, kcache *c) {
    memset(c, 0, sizeof *c);
    const char *cap = getenv("KILN_KERNEL_CACHE");
    long n = cap && *cap ? strtol(cap, NULL, 10) : 4096;
    c->cap = n >= 1 && n <= 1 << 24 ? (uint32_t)n : 4096;
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

static void entry_free(kiln_ctx *ctx, kentry *e) {
    free_desc(ctx, &e->slot.kd);
    kiln_free(ctx, e->key);
    kiln_free(ctx, e);
}

void kcache_destroy(kiln_ctx *ctx, kcache *c) {
    if (!c->buckets) return;
    /* the backends free every kernel they loaded after this */
    for (uint32_t i = 0; i < c->nbuckets; i++) {
        for (kentry *e = c->buckets[i], *n; e; e = n) {
            n = e->next;
            entry_free(ctx, e);
        }
    }
    for (kentry *e = c->evicted, *n; e; e = n) {
        n = e->next;
        entry_free(ctx, e);
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

/* ---- the LRU list and the table (under c->lock) ---- */

static void lru_unlink(kcache *c, kentry *e) {
    if (e->newer) e->newer->older = e->older;
    else c->newest = e->older;
    if (e->older) e->older->newer = e->newer;
    else c->oldest = e->newer;
    e->newer = e->older = NULL;
}

static void lru_push(kcache *c, kentry *e) {
    e->older = c->newest;
    e->newer = NULL;
    if (c->newest) c->newest->newer = e;
    c->newest = e;
    if (!c->oldest) c->oldest = e;
}

static void table_insert(kcache *c, kentry *e) {
    kentry **b = &c->buckets[e->hash & (c->nbuckets - 1)];
    e->next = *b;
    *b = e;
    c->count++;
    lru_push(c, e);
}

static void table_remove(kcache *c, kentry *e) {
    for (kentry **p = &c->buckets[e->hash & (c->nbuckets - 1)]; *p; p = &(*p)->next)
        if (*p == e) {
            *p = e->next;
            break;
        }
    e->next = NULL;
    c->count--;
    lru_unlink(c, e);
}

/* Moves the oldest slots beyond the cap out of the table: held ones to the evicted list, the
 * others into *dead (to be freed outside the lock). */
static void evict(kcache *c, kentry **dead) {
    while (c->count > c->cap && c->oldest) {
        kentry *e = c->oldest;
        table_remove(c, e);
        c->evictions++;
        if (atomic_fetch_sub(&e->slot.refs, 1) == 1) { /* the table's was the last */
            e->next = *dead;
            *dead = e;
        } else {
            e->evicted = true;
            e->next = c->evicted;
            c->evicted = e;
        }
    }
}

/* Unloads a dead slot's kernels and frees it. */
static void slot_free(kiln_ctx *ctx, kentry *e) {
    const kiln_kernel *k[2] = {atomic_load(&e->slot.best), e->slot.first};
    for (int i = 0; i < 2; i++) {
        if (!k[i] || (i == 1 && k[1] == k[0])) continue;
        int b = rt_backend_index(k[i]->backend);
        void *state = atomic_load(&ctx->be_state[b]);
        if (state && k[i]->backend->unload) k[i]->backend->unload(state, k[i]);
    }
    entry_free(ctx, e);
}

kslot *kcache_find(kiln_ctx *ctx, kcache *c, const uint8_t *key, size_t klen, uint64_t hash) {
    KILN_UNUSED(ctx);
    kslot *s = NULL;
    pthread_mutex_lock(&c->lock);
    for (kentry *e = c->buckets[hash & (c->nbuckets - 1)]; e; e = e->next) {
        if (e->hash == hash && e->klen == klen && memcmp(e->key, key, klen) == 0) {
            lru_unlink(c, e); /* the most recently used now */
            lru_push(c, e);
            s = &e->slot;
            atomic_fetch_add(&s->refs, 1);
            break;
        }
    }
    for (kentry **p = &c->evicted; !s && *p; p = &(*p)->next) { /* evicted but held: back in the table */
        kentry *e = *p;
        if (e->hash == hash && e->klen == klen && memcmp(e->key, key, klen) == 0) {
            *p = e->next;
            e->evicted = false;
            table_insert(c, e);
            s = &e->slot;
            atomic_fetch_add(&s->refs, 2); /* the table's again, and the caller's */
            break;
        }
    }
    kentry *dead = NULL;
    if (s) evict(c, &dead);
    pthread_mutex_unlock(&c->lock);
    for (kentry *e = dead, *n; e; e = n) {
        n = e->next;
        slot_free(ctx, e);
    }
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
    e->slot.first = proto->first;
    atomic_init(&e->slot.refs, 2); /* the table's and the caller's */
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
    table_insert(c, e);
    kentry *dead = NULL;
    evict(c, &dead);
    pthread_mutex_unlock(&c->lock);
    for (kentry *x = dead, *n; x; x = n) {
        n = x->next;
        slot_free(ctx, x);
    }
    return &e->slot;
}

void kcache_retain(kslot *s) { atomic_fetch_add(&s->refs, 1); }

void kcache_release(kiln_ctx *ctx, kcache *c, kslot *s) {
    if (!s) return;
    /* not the last reference: dropped without the lock (only a drop to zero races with a find
     * bringing an evicted slot back) */
    int refs = atomic_load_explicit(&s->refs, memory_order_relaxed);
    while (refs > 1)
        if (atomic_compare_exchange_weak_explicit(&s->refs, &refs, refs - 1, memory_order_release, memory_order_relaxed)) return;
    kentry *e = (kentry *)((char *)s - offsetof(kentry, slot));
    pthread_mutex_lock(&c->lock); /* the last release and a find bringing it back: one at a time */
    bool last = atomic_fetch_sub(&s->refs, 1) == 1;
    if (last) { /* only an evicted slot can reach zero: the table holds the others */
        for (kentry **p = &c->evicted; *p; p = &(*p)->next)
            if (*p == e) {
                *p = e->next;
                break;
            }
    }
    pthread_mutex_unlock(&c->lock);
    if (last) slot_free(ctx, e);
}
