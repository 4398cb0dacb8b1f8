/*
 * ctx.c — contexts: making and freeing them, threads, statistics, and the hooks the graph
 * calls for the runtime objects it holds.
 *
 * Pipeline position: around everything; the context owns the graph, the caches, the arrays
 * and the started backends, and frees them in dependency order.
 */
#include <omp.h>
#include <string.h>

#include "exec.h"

/* ------------------------------------------------------------------ the graph's hooks */

static void leaf_retain(void *leaf) { kiln_array_retain(leaf); }
static void leaf_release(void *leaf) { kiln_array_free(leaf); }
static void *leaf_view(void *ud, void *leaf, int ndim, const int64_t *shape, const int64_t *strides, int64_t offset) {
    KILN_UNUSED(ud);
    kiln_array *a = leaf;
    return kiln_array_view(a->ctx, a, ndim, shape, strides, offset);
}
static void memo_free(void *ud, void *memo) { rt_plan_free(ud, memo); }
static void leaf_memory(const void *leaf, char **data, const int64_t **strides) {
    const kiln_array *a = leaf;
    *data = a->data;
    *strides = a->strides;
}

/* ------------------------------------------------------------------ contexts */

atomic_bool rt_forked, rt_threads_used;
static pthread_once_t fork_once = PTHREAD_ONCE_INIT;

/* In the child of a fork() whose parent may have started OpenMP's threads: one thread from now
 * on (rt_forked).  (Only a store here: LLVM's OpenMP runtime resets its locks in its own child
 * handler, which may run after this one.) */
static void after_fork_child(void) {
    if (atomic_load(&rt_threads_used)) atomic_store(&rt_forked, true); /* (no pool to lose: the child starts its own) */
}

int rt_forked_threads(void) {
    static atomic_bool icv_set;
    if (!atomic_exchange(&icv_set, true)) omp_set_num_threads(1); /* OpenBLAS's OpenMP build reads this ICV */
    return 1;
}
static void watch_forks(void) { pthread_atfork(NULL, NULL, after_fork_child); }

/* A team of n threads: libgomp exits the process when it cannot make a thread ("Thread
 * creation failed"), so under an address-space limit (ulimit -v) every team is as big as the room
 * left takes, each thread a stack (OMP_STACKSIZE, else the default thread stack) and a megabyte
 * besides, 16 MB kept for the rest.  Measured at each team, not once: libgomp lets a pool's
 * threads go when a smaller team follows (their room is then anyone's), and each calling thread
 * has a pool of its own.  Without a limit the first team's measure stands (rt_threads_room: the
 * fast path); a limit set after that is not seen. */
atomic_int rt_threads_room = 1;

static double stack_mb(void) {
    const char *v = getenv("OMP_STACKSIZE");
    if (!v || !*v) v = getenv("GOMP_STACKSIZE");
    if (v && *v) {
        char *end;
        double x = strtod(v, &end);
        while (*end == ' ') end++;
        int unit = *end == 'B' || *end == 'b' ? 0 : *end == 'M' || *end == 'm' ? 20 : *end == 'G' || *end == 'g' ? 30 : 10;
        if (x > 0) return x * (double)(1ull << unit) / 1048576.0;
    }
    pthread_attr_t a;
    size_t size = 8u << 20;
    if (pthread_getattr_default_np(&a) == 0) {
        pthread_attr_getstacksize(&a, &size);
        pthread_attr_destroy(&a);
    }
    return (double)size / 1048576.0;
}

int rt_threads_grow(int n) {
    if (!atomic_load(&rt_threads_used)) atomic_store(&rt_threads_used, true); /* (n > 1 here) */
    double room = kiln_room_mb();
    if (room >= 1e17) { /* no limit */
        int had = atomic_load(&rt_threads_room);
        while (n > had && !atomic_compare_exchange_weak(&rt_threads_room, &had, n)) {
        }
        return n;
    }
    double more = (room - 16) / (stack_mb() + 1); /* (the threads there now are in the measure: fewer may be asked for than fit) */
    if (more >= n - 1) return n;
    int fit = more >= 1 ? 1 + (int)more : 1;
    static atomic_bool told;
    if (rt_log_env() && !atomic_exchange(&told, true))
        fprintf(stderr, "kiln: the address-space limit (ulimit -v) leaves room for %d of %d threads' stacks\n", fit, n);
    return fit;
}

#define MAX_THREADS 4096 /* (kiln_set_num_threads' bound; a larger config or environment is taken as it) */
static int env_threads(void) {
    const char *v = getenv("KILN_NUM_THREADS");
    int n = v && atoi(v) > 0 ? atoi(v) : omp_get_max_threads(); /* honours OMP_NUM_THREADS */
    return n < MAX_THREADS ? n : MAX_THREADS;
}

kiln_ctx *kiln_ctx_new(const kiln_config *cfg) {
    kiln_alloc_fn alloc = cfg && cfg->alloc ? cfg->alloc : kiln_default_alloc;
    void *ud = cfg ? cfg->alloc_ud : NULL;
    pthread_once(&fork_once, watch_forks);
    kiln_ctx *ctx = alloc(ud, NULL, sizeof *ctx);
    if (!ctx) return NULL;
    memset(ctx, 0, sizeof *ctx);
    ctx->base.alloc = alloc;
    ctx->base.alloc_ud = ud;
    atomic_init(&ctx->base.interrupt, 0);
    ctx->base.blob_load = rt_blob_load;
    ctx->base.blob_store = rt_blob_store;
    ctx->base.blob_compiled = rt_blob_compiled;
    atomic_init(&ctx->nthreads, cfg && cfg->num_threads > 0 ? (cfg->num_threads < MAX_THREADS ? cfg->num_threads : MAX_THREADS) : env_threads());
    atomic_init(&ctx->generation, 0);
    pthread_mutex_init(&ctx->lock, NULL);
    pthread_mutex_init(&ctx->replay_lock, NULL);
    rt_backend_choose(ctx, cfg ? cfg->backend : NULL);
    rt_tier_init(ctx, cfg ? cfg->tier : KILN_TIER_DEFAULT);
    ctx->hooks = (ir_hooks){leaf_retain, leaf_release, leaf_view, memo_free, leaf_memory, ctx};
    if (ir_graph_init(&ctx->graph, ctx, &ctx->hooks) != KILN_OK) goto fail;
    if (kcache_init(ctx, &ctx->cache) != KILN_OK) {
        ir_graph_destroy(&ctx->graph);
        goto fail;
    }
    if (cfg && (cfg->tier < KILN_TIER_DEFAULT || cfg->tier > KILN_TIER_JIT)) /* (the context is made: the error is its first) */
        kiln_fail(ctx, KILN_ERR_ARG, "kiln_ctx_new: tier %d is not a kiln_tier: the default is used", (int)cfg->tier);
    else if (cfg && cfg->num_threads < 0)
        kiln_fail(ctx, KILN_ERR_ARG, "kiln_ctx_new: num_threads %d is negative: the default is used", cfg->num_threads);
    return ctx;
fail:
    rt_tier_shutdown(ctx);
    pthread_mutex_destroy(&ctx->lock);
    pthread_mutex_destroy(&ctx->replay_lock);
    alloc(ud, ctx, 0);
    return NULL;
}

void rt_own(kiln_ctx *ctx, rt_owned *o) {
    pthread_mutex_lock(&ctx->lock);
    o->prev = NULL, o->next = ctx->owned;
    if (ctx->owned) ctx->owned->prev = o;
    ctx->owned = o;
    pthread_mutex_unlock(&ctx->lock);
}

void rt_disown(kiln_ctx *ctx, rt_owned *o) {
    pthread_mutex_lock(&ctx->lock);
    if (o->prev) o->prev->next = o->next;
    else if (ctx->owned == o) ctx->owned = o->next;
    if (o->next) o->next->prev = o->prev;
    o->prev = o->next = NULL;
    pthread_mutex_unlock(&ctx->lock);
}

void kiln_ctx_free(kiln_ctx *ctx) {
    if (!ctx) return;
    while (ctx->owned) ctx->owned->release(ctx->owned); /* (each disowns itself: a scope its caller left) */
    rt_tier_shutdown(ctx); /* first: the background compiler uses the cache and the backends */
    if (ctx->disk_open)
        dc_add_counters(&ctx->disk, atomic_load(&ctx->st.disk_hits), atomic_load(&ctx->st.disk_misses),
                        atomic_load(&ctx->st.disk_corrupt), atomic_load(&ctx->st.disk_stores));
    rt_plan_cache_clear(ctx);
    ir_graph_destroy(&ctx->graph); /* frees plans and releases arrays held by VAR nodes */
    kcache_destroy(ctx, &ctx->cache);
    rt_arrays_free_all(ctx); /* what the caller did not free (a device backend drops its copies) */
    for (int b = 0; b < rt_nbackends; b++) {
        void *s = atomic_exchange(&ctx->be_state[b], NULL);
        if (s) rt_backends[b]->free(s);
    }
    rt_buf_pool_drain(ctx);
    pthread_mutex_destroy(&ctx->lock);
    pthread_mutex_destroy(&ctx->replay_lock);
    kiln_forget_errors(ctx);
    ctx->base.alloc(ctx->base.alloc_ud, ctx, 0);
}

int kiln_num_threads(const kiln_ctx *ctx) { return ctx ? rt_nthreads(ctx) : 0; }

void kiln_interrupt(kiln_ctx *ctx) {
    if (ctx) atomic_store(&ctx->base.interrupt, 1);
}
void kiln_clear_interrupt(kiln_ctx *ctx) {
    if (ctx) atomic_store(&ctx->base.interrupt, 0);
}
kiln_status kiln_set_num_threads(kiln_ctx *ctx, int n) {
    if (!ctx) return KILN_ERR_ARG;
    if (n < 1 || n > MAX_THREADS) return kiln_fail(ctx, KILN_ERR_ARG, "thread count must be in 1..%d, not %d", MAX_THREADS, n);
    atomic_store(&ctx->nthreads, n);
    return KILN_OK;
}

/* ------------------------------------------------------------------ statistics */

void kiln_note_parse(kiln_ctx *ctx, uint64_t ns) { atomic_fetch_add(&ctx->st.ns_parse, ns); }

kiln_status kiln_get_stats(const kiln_ctx *ctx, kiln_stats *out) {
    if (!ctx) return KILN_ERR_ARG;
    if (!out) return kiln_fail((kiln_ctx *)ctx, KILN_ERR_ARG, "kiln_get_stats: out is NULL");
    kiln_ctx *c = (kiln_ctx *)ctx;
    uint64_t rc, ri; /* runs by replay records: evaluations, hits and launches */
    rt_replay_count(c, &rc, &ri);
    out->evals = atomic_load(&c->st.evals) + rc + ri;
    out->kernels_compiled = atomic_load(&c->st.compiled);
    out->compiler_runs = atomic_load(&c->st.compiler_runs);
    out->cache_hits = atomic_load(&c->st.hits) + rc + ri;
    out->cache_misses = atomic_load(&c->st.misses);
    out->ns_fuse = atomic_load(&c->st.ns_fuse);
    out->plans_built = atomic_load(&c->st.plans);
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
    out->runs_interp = atomic_load(&c->st.runs_interp) + ri;
    out->runs_compiled = atomic_load(&c->st.runs_compiled) + rc;
    out->tier_kernels = atomic_load(&c->st.tier_kernels);
    out->tier_queued = atomic_load(&c->st.tier_queued);
    out->tier_started = atomic_load(&c->st.tier_started);
    out->tier_compiled = atomic_load(&c->st.tier_compiled);
    out->tier_dropped = atomic_load(&c->st.tier_dropped);
    out->ns_background = atomic_load(&c->st.ns_background);
    out->spare_bytes = atomic_load(&c->spare_bytes);
    pthread_mutex_lock(&c->cache.lock);
    out->kernels_cached = c->cache.count;
    out->cache_evictions = c->cache.evictions;
    pthread_mutex_unlock(&c->cache.lock);
    out->nodes = ir_live(&c->graph);
    return KILN_OK;
}

/* ------------------------------------------------------------------ the reference path */

kiln_status rt_ref_eval(kiln_ctx *ctx, kiln_expr *e, kiln_array *out) {
    if (!e || !out) return kiln_fail(ctx, KILN_ERR_ARG, "rt_ref_eval: NULL argument");
    if (out->ndim != e->ndim || memcmp(out->shape, e->shape, e->ndim * sizeof(int64_t)) != 0 || out->dtype != e->dtype)
        return kiln_fail(ctx, KILN_ERR_SHAPE, "rt_ref_eval: output does not match the expression");
    ref_eval_into(e, out->data, out->strides);
    return KILN_OK;
}
