/*
 * ctx.c — contexts, per-thread errors, the allocator hook, statistics, small shared helpers.
 *
 * Pipeline position: around everything; every other module reports errors and allocates
 * through here.
 */
#include "ctx.h"

#include <omp.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>

#include "../codegen/backend.h"

/* ------------------------------------------------------------------ errors */

/* This thread's last error, tagged with the context it belongs to. */
static _Thread_local struct {
    const kiln_ctx *ctx;
    kiln_status st;
    int64_t offset;
    char msg[512];
} tl_err;

static kiln_status vfail(const kiln_ctx *ctx, kiln_status st, int64_t off, const char *fmt, va_list ap) {
    tl_err.ctx = ctx;
    tl_err.st = st;
    tl_err.offset = off;
    vsnprintf(tl_err.msg, sizeof tl_err.msg, fmt, ap);
    return st;
}

kiln_status kiln_fail(const kiln_ctx *ctx, kiln_status st, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vfail(ctx, st, -1, fmt, ap);
    va_end(ap);
    return st;
}

kiln_status kiln_fail_at(const kiln_ctx *ctx, kiln_status st, int64_t offset, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vfail(ctx, st, offset, fmt, ap);
    va_end(ap);
    return st;
}

kiln_status kiln_errcode(const kiln_ctx *ctx) { return tl_err.ctx == ctx ? tl_err.st : KILN_OK; }
const char *kiln_errmsg(const kiln_ctx *ctx) {
    return tl_err.ctx == ctx && tl_err.st != KILN_OK ? tl_err.msg : "no error";
}
int64_t kiln_error_offset(const kiln_ctx *ctx) {
    return tl_err.ctx == ctx && tl_err.st != KILN_OK ? tl_err.offset : -1;
}
void kiln_clear_error(const kiln_ctx *ctx) {
    if (tl_err.ctx == ctx) tl_err.st = KILN_OK;
}

const char *kiln_status_str(kiln_status st) {
    static const char *const names[KILN_STATUS_COUNT] = {
        [KILN_OK] = "ok",
        [KILN_ERR_NOMEM] = "out of memory",
        [KILN_ERR_ARG] = "invalid argument",
        [KILN_ERR_SHAPE] = "shape mismatch",
        [KILN_ERR_DTYPE] = "unsupported dtype",
        [KILN_ERR_SYNTAX] = "syntax error",
        [KILN_ERR_NAME] = "unknown name",
        [KILN_ERR_COMPILE] = "compilation failed",
        [KILN_ERR_BACKEND] = "backend unavailable",
        [KILN_ERR_IO] = "I/O error",
    };
    return (unsigned)st < KILN_STATUS_COUNT ? names[st] : "unknown status";
}

/* ------------------------------------------------------------------ dtypes */

const char *kiln_dtype_name(kiln_dtype dt) {
    static const char *const n[KILN_DTYPE_COUNT] = {"bool", "int32", "int64", "float32", "float64"};
    return dtype_valid(dt) ? n[dt] : "invalid";
}
size_t kiln_dtype_size(kiln_dtype dt) {
    static const size_t s[KILN_DTYPE_COUNT] = {1, 4, 8, 4, 8};
    return dtype_valid(dt) ? s[dt] : 0;
}

/* ------------------------------------------------------------------ allocation */

static void *default_alloc(void *ud, void *p, size_t n) {
    KILN_UNUSED(ud);
    if (n == 0) {
        free(p);
        return NULL;
    }
    return realloc(p, n);
}

void *kiln_realloc(kiln_ctx *ctx, void *p, size_t n) {
    void *q = ctx->alloc(ctx->alloc_ud, p, n ? n : 1);
    if (!q) kiln_fail(ctx, KILN_ERR_NOMEM, "out of memory (%zu bytes)", n);
    return q;
}
void *kiln_malloc(kiln_ctx *ctx, size_t n) { return kiln_realloc(ctx, NULL, n); }
void *kiln_calloc(kiln_ctx *ctx, size_t n) {
    void *p = kiln_malloc(ctx, n);
    if (p) memset(p, 0, n);
    return p;
}
void kiln_free(kiln_ctx *ctx, void *p) {
    if (p) ctx->alloc(ctx->alloc_ud, p, 0);
}
char *kiln_strdup(kiln_ctx *ctx, const char *s) {
    size_t n = strlen(s) + 1;
    char *d = kiln_malloc(ctx, n);
    if (d) memcpy(d, s, n);
    return d;
}

void kiln_note_parse(kiln_ctx *ctx, uint64_t ns) { atomic_fetch_add(&ctx->st.ns_parse, ns); }

uint64_t kiln_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* kstr uses the C library directly: dumps are handed to callers who free them with
 * kiln_string_free, which must not need the context. */
void kstr_printf(kstr *b, const char *fmt, ...) {
    if (b->oom) return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if (b->len + (size_t)n + 1 > b->cap) {
        size_t nc = b->cap ? b->cap : 256;
        while (nc < b->len + (size_t)n + 1) nc *= 2;
        char *s = realloc(b->s, nc);
        if (!s) {
            b->oom = true;
            return;
        }
        b->s = s;
        b->cap = nc;
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}
void kstr_free(kstr *b) {
    free(b->s);
    memset(b, 0, sizeof *b);
}
void kiln_string_free(char *s) { free(s); }

/* ------------------------------------------------------------------ contexts */

static int env_threads(void) {
    const char *v = getenv("KILN_NUM_THREADS");
    if (v && atoi(v) > 0) return atoi(v);
    return omp_get_max_threads(); /* honours OMP_NUM_THREADS */
}

kiln_ctx *kiln_ctx_new(const kiln_config *cfg) {
    kiln_alloc_fn alloc = cfg && cfg->alloc ? cfg->alloc : default_alloc;
    void *ud = cfg ? cfg->alloc_ud : NULL;
    kiln_ctx *ctx = alloc(ud, NULL, sizeof *ctx);
    if (!ctx) return NULL;
    memset(ctx, 0, sizeof *ctx);
    ctx->alloc = alloc;
    ctx->alloc_ud = ud;
    atomic_init(&ctx->nthreads, cfg && cfg->num_threads > 0 ? cfg->num_threads : env_threads());
    pthread_mutex_init(&ctx->lock, NULL);
    if (ir_graph_init(&ctx->graph, ctx) != KILN_OK) goto fail;
    if (kcache_init(ctx, &ctx->cache) != KILN_OK) {
        ir_graph_destroy(&ctx->graph);
        goto fail;
    }
    return ctx;
fail:
    pthread_mutex_destroy(&ctx->lock);
    alloc(ud, ctx, 0);
    return NULL;
}

void kiln_ctx_free(kiln_ctx *ctx) {
    if (!ctx) return;
    if (ctx->disk_open)
        dc_add_counters(&ctx->disk, atomic_load(&ctx->st.disk_hits), atomic_load(&ctx->st.disk_misses),
                        atomic_load(&ctx->st.disk_corrupt), atomic_load(&ctx->st.disk_stores));
    ir_graph_destroy(&ctx->graph); /* frees plans and releases arrays held by VAR nodes */
    kcache_destroy(ctx, &ctx->cache);
    if (ctx->cpu) kiln_cpu_backend.free(ctx->cpu);
    kiln_arrays_free_all(ctx);     /* what the caller did not free */
    kiln_buf_pool_drain(ctx);
    pthread_mutex_destroy(&ctx->lock);
    if (tl_err.ctx == ctx) tl_err.ctx = NULL;
    ctx->alloc(ctx->alloc_ud, ctx, 0);
}

int kiln_num_threads(const kiln_ctx *ctx) { return ctx ? atomic_load(&ctx->nthreads) : 0; }
kiln_status kiln_set_num_threads(kiln_ctx *ctx, int n) {
    if (!ctx) return KILN_ERR_ARG;
    if (n < 1 || n > 4096) return kiln_fail(ctx, KILN_ERR_ARG, "thread count must be in 1..4096, not %d", n);
    atomic_store(&ctx->nthreads, n);
    return KILN_OK;
}

kiln_status kiln_get_stats(const kiln_ctx *ctx, kiln_stats *out) {
    if (!ctx || !out) return KILN_ERR_ARG;
    kiln_ctx *c = (kiln_ctx *)ctx;
    out->evals = atomic_load(&c->st.evals);
    out->kernels_compiled = atomic_load(&c->st.compiled);
    out->cache_hits = atomic_load(&c->st.hits);
    out->cache_misses = atomic_load(&c->st.misses);
    out->ns_fuse = atomic_load(&c->st.ns_fuse);
    out->ns_emit = atomic_load(&c->st.ns_emit);
    out->ns_opt = atomic_load(&c->st.ns_opt);
    out->ns_codegen = atomic_load(&c->st.ns_codegen);
    out->ns_jit_init = atomic_load(&c->st.ns_jit_init);
    out->disk_hits = atomic_load(&c->st.disk_hits);
    out->disk_misses = atomic_load(&c->st.disk_misses);
    out->disk_corrupt = atomic_load(&c->st.disk_corrupt);
    out->disk_stores = atomic_load(&c->st.disk_stores);
    out->ns_disk_load = atomic_load(&c->st.ns_disk_load);
    out->ns_parse = atomic_load(&c->st.ns_parse);
    out->ns_first_run = atomic_load(&c->st.ns_first_run);
    pthread_mutex_lock(&c->graph.lock);
    out->nodes = c->graph.live;
    pthread_mutex_unlock(&c->graph.lock);
    return KILN_OK;
}
