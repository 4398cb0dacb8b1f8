/*
 * kernels.c — the kernel service: a step's kernel from its memo, the context's cache, the disk
 * cache, or a fresh compile, in that order.
 *
 * Pipeline position: between geometry and launch.  A kernel is keyed by its backend's name
 * and target, then by the kernel description specialized to the operands' layouts (ops,
 * dtypes, layouts; never sizes or constant values), so a new length or a new constant reuses
 * it and a changed CPU, backend or version never does.
 *
 *     step memo ──miss──▶ in-memory cache ──miss──▶ disk cache ──miss──▶ backend compile
 *         ▲                    ▲                        │ hit                  │ bytes
 *         └────────────────────┴──── backend load ◀─────┴──────────────────────┘ (stored)
 *
 * Compiles are serialized per context (kcache.compile): a kernel two threads need is made once
 * and the other waits for it.
 */
#include <string.h>

#include "exec.h"

/* Why a kernel had to be compiled, for KILN_LOG=compile. */
static const char *miss_reason(dc_result r) {
    switch (r) {
    case DC_OFF: return "new kernel; no disk cache";
    case DC_MISS: return "new kernel; not in the disk cache";
    case DC_CORRUPT: return "new kernel; its disk entry was corrupt, replaced";
    case DC_FOREIGN: return "new kernel; another kernel's disk entry under its name, replaced";
    case DC_REFUSED: return "new kernel; its disk entry is not trusted (owner or permissions), replaced";
    case DC_HIT: break;
    }
    return "new kernel";
}

bool rt_log_compiles(void) {
    static int on = -1;
    if (on < 0) on = getenv("KILN_LOG") && strstr(getenv("KILN_LOG"), "compile");
    return on;
}

/* The full key of kd: "<backend>\0<target>\0" then kd's bytes, into buf (cap bytes) or a new
 * allocation; NULL when out of memory. */
static uint8_t *kernel_key(const rt_exec *x, const kernel_desc *kd, uint8_t *buf, size_t cap, size_t *len) {
    const char *name = x->be->name, *target = x->be->target(x->state);
    size_t nlen = strlen(name) + 1, tlen = strlen(target) + 1, need = nlen + tlen + kd_key_size(kd);
    uint8_t *key = need <= cap ? buf : kiln_malloc(x->ctx, need);
    if (!key) return NULL;
    memcpy(key, name, nlen);
    memcpy(key + nlen, target, tlen);
    *len = nlen + tlen + kd_key(kd, key + nlen + tlen);
    return key;
}

/* Loads the kernel for key from the disk cache, or compiles, loads and stores it there. */
static const kiln_kernel *make_kernel(const rt_exec *x, const kernel_desc *kd, const uint8_t *key, size_t klen) {
    kiln_ctx *ctx = x->ctx;
    const kiln_backend_i *be = x->be;
    char name[48];
    kiln_hash_name(name, sizeof name, "kiln_", key, klen);
    kiln_kernel *k = NULL;
    void *bytes = NULL;
    size_t len = 0;
    dc_result r = DC_OFF;
    if (be->disk_cache) {
        if (!ctx->disk_open) {
            dc_open(&ctx->disk);
            ctx->disk_open = true;
        }
        uint64_t t0 = kiln_now_ns();
        r = dc_load(&ctx->disk, key, klen, &bytes, &len);
        if (r == DC_HIT && be->load(x->state, ctx, bytes, len, name, &k) != KILN_OK) {
            k = NULL;
            r = DC_CORRUPT; /* checked out, yet would not load: compile and replace it */
        } else if (r == DC_HIT) {
            uint64_t ns = kiln_now_ns() - t0;
            atomic_fetch_add(&ctx->st.disk_hits, 1);
            atomic_fetch_add(&ctx->st.ns_disk_load, ns);
            if (rt_log_compiles()) fprintf(stderr, "kiln: loaded %s from the disk cache in %.3f ms\n", name, (double)ns * 1e-6);
        }
        free(bytes);
        bytes = NULL;
        if (!k && (r == DC_CORRUPT || r == DC_FOREIGN || r == DC_REFUSED)) atomic_fetch_add(&ctx->st.disk_corrupt, 1);
        else if (!k) atomic_fetch_add(&ctx->st.disk_misses, 1);
    }
    if (k) return k;
    if (!be->supports(x->state, kd)) {
        kiln_fail(ctx, KILN_ERR_BACKEND, "the %s backend cannot compile this kernel", be->name);
        return NULL;
    }
    kiln_compile_times t = {0};
    uint64_t t0 = kiln_now_ns();
    if (be->compile(x->state, ctx, kd, name, &bytes, &len, &t) != KILN_OK) return NULL;
    atomic_fetch_add(&ctx->st.compiled, 1);
    uint64_t tl = kiln_now_ns();
    kiln_status st = be->load(x->state, ctx, bytes, len, name, &k);
    t.codegen += kiln_now_ns() - tl; /* linking is part of making machine code */
    atomic_fetch_add(&ctx->st.ns_emit, t.emit);
    atomic_fetch_add(&ctx->st.ns_opt, t.opt);
    atomic_fetch_add(&ctx->st.ns_codegen, t.codegen);
    /* REFUSED entries are not ours to replace: rename would drop someone else's file */
    bool stored = st == KILN_OK && be->disk_cache && r != DC_REFUSED && dc_store(&ctx->disk, key, klen, bytes, len);
    if (stored) atomic_fetch_add(&ctx->st.disk_stores, 1);
    if (st == KILN_OK && rt_log_compiles())
        fprintf(stderr, "kiln: compiled %s (%s, %s backend): emit %.3f ms, opt %.3f ms, codegen %.3f ms%s (%.3f ms in all)\n", name,
                miss_reason(r), be->name, (double)t.emit * 1e-6, (double)t.opt * 1e-6, (double)t.codegen * 1e-6,
                stored ? ", stored on disk" : "", (double)(kiln_now_ns() - t0) * 1e-6);
    free(bytes);
    return st == KILN_OK ? k : NULL;
}

/* s's kernel description with the layouts of this run. */
static kernel_desc specialize(const rt_step *s, const uint8_t *layout) {
    kernel_desc kd = s->fk.kd;
    kd.layout = (uint8_t *)layout;
    kd.stream = layout[kd.n_in + kd.n_out];
    return kd;
}

const kiln_kernel *rt_kernel_get(const rt_exec *x, rt_step *s, const uint8_t *layout) {
    kiln_ctx *ctx = x->ctx;
    size_t nl = (size_t)s->fk.kd.n_in + s->fk.kd.n_out + 1; /* layouts and the streaming hint */
    const kiln_kernel *k = NULL;
    pthread_mutex_lock(&s->lock);
    if (s->memo_kernel && memcmp(s->memo_layout, layout, nl) == 0) k = s->memo_kernel;
    pthread_mutex_unlock(&s->lock);
    if (k) {
        atomic_fetch_add(&ctx->st.hits, 1);
        return k;
    }
    kernel_desc kd = specialize(s, layout);
    uint8_t kbuf[512];
    size_t klen;
    uint8_t *key = kernel_key(x, &kd, kbuf, sizeof kbuf, &klen);
    if (!key) return NULL;
    uint64_t h = kiln_hash_bytes(KILN_HASH_SEED, key, klen);
    k = kcache_find(&ctx->cache, key, klen, h);
    if (k) {
        atomic_fetch_add(&ctx->st.hits, 1);
    } else {
        pthread_mutex_lock(&ctx->cache.compile);
        k = kcache_find(&ctx->cache, key, klen, h);
        if (k) {
            atomic_fetch_add(&ctx->st.hits, 1); /* another thread made it while we waited */
        } else {
            atomic_fetch_add(&ctx->st.misses, 1);
            k = make_kernel(x, &kd, key, klen);
            /* without memory for the cache entry the kernel still runs; it is made again next time */
            if (k) (void)kcache_put(ctx, &ctx->cache, key, klen, h, k);
        }
        pthread_mutex_unlock(&ctx->cache.compile);
    }
    if (key != kbuf) kiln_free(ctx, key);
    if (k) {
        pthread_mutex_lock(&s->lock);
        memcpy(s->memo_layout, layout, nl);
        s->memo_kernel = k;
        pthread_mutex_unlock(&s->lock);
    }
    return k;
}

kiln_status rt_kernel_render(const rt_exec *x, const rt_step *s, const uint8_t *layout, int what, kstr *out) {
    kernel_desc kd = specialize(s, layout);
    return x->be->render(x->state, x->ctx, &kd, what, out);
}
