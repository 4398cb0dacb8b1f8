/*
 * eval.c — evaluation: the whole pipeline from an expression to its values.
 *
 *     kiln_eval_into(e, out)
 *       plan_get         graph (CSE'd, folded, simplified when built) ─▶ fused kernel   [ir/fuse.c]
 *       geometry_build   broadcast operands to out, drop size-1 dims, order dims by out's
 *                        strides, collapse contiguous dims, classify each operand's row layout
 *       kernel_get       memo on the plan ─▶ in-memory cache ─▶ backend compile [codegen/]
 *       launch           rows split into chunks over OpenMP threads (one thread when small)
 *
 * KILN_DEBUG=fuse prints each fused kernel to stderr when its plan is made.
 */
#include <omp.h>
#include <string.h>

#include "../codegen/backend.h"
#include "../ir/fuse.h"
#include "ctx.h"

#define GRAIN 32768       /* elements per thread below which more threads do not pay */
#define STREAM_BYTES (16u << 20) /* outputs from this size on are written around the caches */
#define INLINE_OPERANDS 32 /* operands handled without heap allocation */

/* What the runtime keeps on a graph node after its first evaluation. */
struct eval_plan {
    fused_kernel fk;
    pthread_mutex_t lock;  /* guards the memo */
    uint8_t *memo_layout;  /* specialization of the last kernel used: n_in + n_out layouts,
                              then the streaming-store hint */
    kiln_kernel_fn memo_fn;
};

void eval_plan_free(kiln_ctx *ctx, struct eval_plan *p) {
    ir_fused_free(ctx, &p->fk);
    kiln_free(ctx, p->memo_layout);
    pthread_mutex_destroy(&p->lock);
    kiln_free(ctx, p);
}

/* The plan for e, made on first use (and published with a compare-and-swap so that two
 * threads racing both end up with one). */
static struct eval_plan *plan_get(kiln_ctx *ctx, kiln_expr *e) {
    struct eval_plan *p = atomic_load_explicit(&e->plan, memory_order_acquire);
    if (p) return p;
    uint64_t t0 = kiln_now_ns();
    p = kiln_calloc(ctx, sizeof *p);
    if (!p) return NULL;
    p->memo_layout = NULL;
    if (ir_fuse(ctx, e, &p->fk) != KILN_OK) {
        kiln_free(ctx, p);
        return NULL;
    }
    p->memo_layout = kiln_calloc(ctx, p->fk.kd.n_in + p->fk.kd.n_out + 1u);
    if (!p->memo_layout) {
        ir_fused_free(ctx, &p->fk);
        kiln_free(ctx, p);
        return NULL;
    }
    pthread_mutex_init(&p->lock, NULL);
    const char *dbg = getenv("KILN_DEBUG");
    if (dbg && strstr(dbg, "fuse")) {
        kstr b = {0};
        kd_print(&p->fk.kd, &b);
        if (b.s) fprintf(stderr, "kiln: fused %s", b.s);
        kstr_free(&b);
    }
    atomic_fetch_add(&ctx->st.ns_fuse, kiln_now_ns() - t0);
    struct eval_plan *expected = NULL;
    if (!atomic_compare_exchange_strong(&e->plan, &expected, p)) {
        eval_plan_free(ctx, p);
        return expected;
    }
    return p;
}

/* ------------------------------------------------------------------ geometry */

/* Operands (inputs then outputs) broadcast to the output's shape, with dims collapsed. */
typedef struct geometry {
    int nops, ndim;
    int64_t total;                 /* elements */
    int64_t shape[KILN_MAX_DIMS];
    char **base;                   /* nops first elements */
    int64_t (*strides)[KILN_MAX_DIMS]; /* nops × ndim byte strides */
    int64_t *inner;                /* nops innermost strides */
    uint8_t *layout;               /* nops layouts (kd_layout), then the streaming hint */
    /* inline storage for small kernels */
    char *base_s[INLINE_OPERANDS];
    int64_t strides_s[INLINE_OPERANDS][KILN_MAX_DIMS];
    int64_t inner_s[INLINE_OPERANDS];
    uint8_t layout_s[INLINE_OPERANDS + 1];
    bool heap;
} geometry;

static void geometry_free(kiln_ctx *ctx, geometry *g) {
    if (!g->heap) return;
    kiln_free(ctx, g->base);
    kiln_free(ctx, g->strides);
    kiln_free(ctx, g->inner);
    kiln_free(ctx, g->layout);
}

/* Fills g for evaluating plan into an output of shape/strides (out_data may be NULL when only
 * the layouts are wanted).  Returns KILN_OK or KILN_ERR_NOMEM. */
static kiln_status geometry_build(kiln_ctx *ctx, const struct eval_plan *p, int ondim, const int64_t *oshape,
                                  const int64_t *ostrides, char *out_data, geometry *g) {
    const kernel_desc *kd = &p->fk.kd;
    int nops = kd->n_in + kd->n_out;
    g->nops = nops;
    g->heap = nops > INLINE_OPERANDS;
    if (g->heap) {
        g->base = kiln_calloc(ctx, (size_t)nops * sizeof *g->base);
        g->strides = kiln_calloc(ctx, (size_t)nops * sizeof *g->strides);
        g->inner = kiln_calloc(ctx, (size_t)nops * sizeof *g->inner);
        g->layout = kiln_calloc(ctx, (size_t)nops + 1);
        if (!g->base || !g->strides || !g->inner || !g->layout) {
            geometry_free(ctx, g);
            return KILN_ERR_NOMEM;
        }
    } else {
        g->base = g->base_s;
        g->strides = g->strides_s;
        g->inner = g->inner_s;
        g->layout = g->layout_s;
    }
    /* 1. every operand's strides over the output's dims (0 where broadcast) */
    for (int i = 0; i < nops; i++) {
        const kiln_array *a = NULL;
        if (i < kd->n_in) a = p->fk.inputs[i]->array;
        int and_ = a ? a->ndim : ondim;
        for (int d = 0; d < ondim; d++) {
            int k = d - (ondim - and_);
            int64_t s;
            if (!a) s = ostrides[d];
            else s = (k < 0 || a->shape[k] == 1) ? 0 : a->strides[k];
            g->strides[i][d] = s;
        }
        g->base[i] = a ? a->data : out_data;
    }
    /* 2. drop size-1 dims; 3. order dims by the output's stride, largest first (stable) */
    int nd = 0, order[KILN_MAX_DIMS];
    g->total = 1;
    for (int d = 0; d < ondim; d++) {
        g->total *= oshape[d];
        if (oshape[d] != 1) order[nd++] = d;
    }
    int outop = nops - 1;
    for (int a = 1; a < nd; a++) {
        int d = order[a], b = a;
        int64_t sd = g->strides[outop][d] < 0 ? -g->strides[outop][d] : g->strides[outop][d];
        while (b > 0) {
            int64_t sp = g->strides[outop][order[b - 1]];
            if (sp < 0) sp = -sp;
            if (sp >= sd) break;
            order[b] = order[b - 1];
            b--;
        }
        order[b] = d;
    }
    /* 4. permute every operand's strides into that order, then collapse neighbours that
     *    every operand walks as one */
    int64_t shape[KILN_MAX_DIMS];
    for (int a = 0; a < nd; a++) shape[a] = oshape[order[a]];
    for (int i = 0; i < nops; i++) {
        int64_t tmp[KILN_MAX_DIMS];
        for (int a = 0; a < nd; a++) tmp[a] = g->strides[i][order[a]];
        memcpy(g->strides[i], tmp, (size_t)nd * sizeof *tmp);
    }
    int m = nd;
    /* merge pass over the reordered dims */
    int w = 0;
    for (int a = 0; a < m; a++) {
        if (w > 0) {
            bool merge = true;
            for (int i = 0; i < nops && merge; i++) merge = g->strides[i][w - 1] == g->strides[i][a] * shape[a];
            if (merge) {
                shape[w - 1] *= shape[a];
                for (int i = 0; i < nops; i++) g->strides[i][w - 1] = g->strides[i][a];
                continue;
            }
        }
        shape[w] = shape[a];
        for (int i = 0; i < nops; i++) g->strides[i][w] = g->strides[i][a];
        w++;
    }
    if (w == 0) { /* a scalar, or all dims of size 1 */
        shape[0] = 1;
        for (int i = 0; i < nops; i++) g->strides[i][0] = 0;
        w = 1;
    }
    g->ndim = w;
    memcpy(g->shape, shape, sizeof shape);
    /* 5. the row layout of each operand */
    for (int i = 0; i < nops; i++) {
        kiln_dtype dt = i < kd->n_in ? (kiln_dtype)p->fk.inputs[i]->dtype : kd_out_dtype(kd, i - kd->n_in);
        int64_t s = g->strides[i][w - 1];
        g->inner[i] = s;
        g->layout[i] = s == (int64_t)kiln_dtype_size(dt) ? KD_CONTIG : s == 0 ? KD_BCAST : KD_STRIDED;
        if (g->shape[w - 1] == 1 && s == 0 && i >= kd->n_in) g->layout[i] = KD_CONTIG;
    }
    /* 6. big contiguous outputs with element-aligned rows may be written with streaming stores */
    int64_t es = (int64_t)kiln_dtype_size(kd_out_dtype(kd, 0));
    bool aligned = ((uintptr_t)g->base[outop] % (uintptr_t)es) == 0;
    for (int d = 0; d < w; d++) aligned = aligned && g->strides[outop][d] % es == 0;
    g->layout[nops] = kd->n_out == 1 && g->layout[outop] == KD_CONTIG && aligned && g->total * es >= (int64_t)STREAM_BYTES;
    return KILN_OK;
}

/* ------------------------------------------------------------------ kernels */

static kiln_status backend_ready(kiln_ctx *ctx) {
    if (ctx->cpu) return KILN_OK;
    kiln_status st = KILN_OK;
    pthread_mutex_lock(&ctx->lock);
    if (!ctx->cpu) {
        uint64_t t0 = kiln_now_ns();
        void *s = NULL;
        st = kiln_cpu_backend.init(ctx, &s);
        ctx->cpu = s;
        atomic_fetch_add(&ctx->st.ns_jit_init, kiln_now_ns() - t0);
    }
    pthread_mutex_unlock(&ctx->lock);
    return st;
}

/* The compiled kernel for plan with layouts: the plan's memo, else the context's cache, else
 * a compile (one at a time; a kernel another thread just compiled is found, not redone). */
static kiln_kernel_fn kernel_get(kiln_ctx *ctx, struct eval_plan *p, const uint8_t *layout, kstr *dump, int what) {
    int nops = p->fk.kd.n_in + p->fk.kd.n_out + 1; /* layouts and the streaming hint */
    kiln_kernel_fn fn = NULL;
    if (!dump) {
        pthread_mutex_lock(&p->lock);
        if (p->memo_fn && memcmp(p->memo_layout, layout, (size_t)nops) == 0) fn = p->memo_fn;
        pthread_mutex_unlock(&p->lock);
        if (fn) {
            atomic_fetch_add(&ctx->st.hits, 1);
            return fn;
        }
    }
    kernel_desc kd = p->fk.kd;
    kd.layout = (uint8_t *)layout;
    kd.stream = layout[nops - 1];
    size_t cap = kd_key_size(&kd);
    uint8_t kbuf[512], *key = cap <= sizeof kbuf ? kbuf : kiln_malloc(ctx, cap);
    if (!key) return NULL;
    size_t klen = kd_key(&kd, key);
    uint64_t h = kiln_hash_bytes(KILN_HASH_SEED, key, klen);
    fn = dump ? NULL : kcache_find(&ctx->cache, key, klen, h);
    if (fn) {
        atomic_fetch_add(&ctx->st.hits, 1);
    } else if (backend_ready(ctx) == KILN_OK) {
        pthread_mutex_lock(&ctx->cache.compile);
        fn = dump ? NULL : kcache_find(&ctx->cache, key, klen, h);
        if (fn) {
            atomic_fetch_add(&ctx->st.hits, 1);
        } else {
            atomic_fetch_add(&ctx->st.misses, 1);
            if (!kiln_cpu_backend.supports(ctx->cpu, &kd)) {
                kiln_fail(ctx, KILN_ERR_BACKEND, "the %s backend cannot compile this kernel", kiln_cpu_backend.name);
            } else if (kiln_cpu_backend.compile(ctx->cpu, ctx, &kd, &fn, dump, what) == KILN_OK) {
                atomic_fetch_add(&ctx->st.compiled, 1);
                /* without memory for the cache entry the kernel still runs; it is compiled again
                 * next time */
                if (!dump) (void)kcache_put(ctx, &ctx->cache, key, klen, h, fn);
            } else {
                fn = NULL;
            }
        }
        pthread_mutex_unlock(&ctx->cache.compile);
    }
    if (key != kbuf) kiln_free(ctx, key);
    if (fn && !dump) {
        pthread_mutex_lock(&p->lock);
        memcpy(p->memo_layout, layout, (size_t)nops);
        p->memo_fn = fn;
        pthread_mutex_unlock(&p->lock);
    }
    return fn;
}

/* ------------------------------------------------------------------ launch */

/* Runs the kernel over flat output elements [start, end), one row call at a time. */
static void run_range(kiln_kernel_fn fn, const geometry *g, const kscalar *consts, int64_t start, int64_t end, char **ptrs) {
    int nd = g->ndim, nops = g->nops;
    int64_t inner = g->shape[nd - 1];
    int64_t idx[KILN_MAX_DIMS];
    int64_t row = start / inner, col = start % inner;
    for (int d = nd - 2; d >= 0; d--) {
        idx[d] = row % g->shape[d];
        row /= g->shape[d];
    }
    int64_t pos = start;
    while (pos < end) {
        int64_t count = inner - col < end - pos ? inner - col : end - pos;
        for (int i = 0; i < nops; i++) {
            char *p = g->base[i] + col * g->strides[i][nd - 1];
            for (int d = 0; d < nd - 1; d++) p += idx[d] * g->strides[i][d];
            ptrs[i] = p;
        }
        fn(count, ptrs, g->inner, consts);
        pos += count;
        col = 0;
        for (int d = nd - 2; d >= 0; d--) {
            if (++idx[d] < g->shape[d]) break;
            idx[d] = 0;
        }
    }
}

static kiln_status launch(kiln_ctx *ctx, kiln_kernel_fn fn, const geometry *g, const kscalar *consts) {
    int64_t total = g->total;
    if (total == 0) return KILN_OK;
    int nt = atomic_load(&ctx->nthreads);
    if (total / GRAIN < nt) nt = (int)(total / GRAIN);
    if (nt <= 1) {
        char *ptrs_s[INLINE_OPERANDS], **ptrs = ptrs_s;
        if (g->nops > INLINE_OPERANDS && !(ptrs = kiln_malloc(ctx, (size_t)g->nops * sizeof *ptrs))) return KILN_ERR_NOMEM;
        run_range(fn, g, consts, 0, total, ptrs);
        if (ptrs != ptrs_s) kiln_free(ctx, ptrs);
        return KILN_OK;
    }
    char **ptrs = kiln_malloc(ctx, (size_t)nt * (size_t)g->nops * sizeof *ptrs);
    if (!ptrs) return KILN_ERR_NOMEM;
#pragma omp parallel num_threads(nt)
    {
        int t = omp_get_thread_num(), n = omp_get_num_threads();
        /* chunk edges on multiples of 64 elements, so threads do not share cache lines */
        int64_t s = total * t / n / 64 * 64, e = t == n - 1 ? total : total * (t + 1) / n / 64 * 64;
        if (e > s) run_range(fn, g, consts, s, e, ptrs + (size_t)t * (size_t)g->nops);
    }
    kiln_free(ctx, ptrs);
    return KILN_OK;
}

/* ------------------------------------------------------------------ the public entry points */

static bool same_shape(const kiln_expr *e, const kiln_array *a) {
    return e->ndim == a->ndim && memcmp(e->shape, a->shape, e->ndim * sizeof *e->shape) == 0;
}

/* Whether writing out while reading the plan's inputs could read an element already
 * overwritten: memory overlaps and the input is not walked exactly as out is. */
static bool needs_temporary(const struct eval_plan *p, const kiln_array *out) {
    const char *olo, *ohi;
    kiln_array_extent(out, &olo, &ohi);
    for (int i = 0; i < p->fk.kd.n_in; i++) {
        const kiln_array *a = p->fk.inputs[i]->array;
        const char *lo, *hi;
        kiln_array_extent(a, &lo, &hi);
        if (hi <= olo || lo >= ohi) continue;
        bool same = a->data == out->data && a->ndim == out->ndim && a->dtype == out->dtype;
        for (int d = 0; same && d < a->ndim; d++)
            same = a->shape[d] == out->shape[d] && (a->strides[d] == out->strides[d] || a->shape[d] == 1);
        if (!same) return true;
    }
    return false;
}

kiln_status kiln_eval_into(kiln_ctx *ctx, kiln_expr *e, kiln_array *out) {
    if (!ctx) return KILN_ERR_ARG;
    if (!e || !out) {
        if (kiln_errcode(ctx) != KILN_OK) return kiln_errcode(ctx); /* what made the NULL */
        return kiln_fail(ctx, KILN_ERR_ARG, "kiln_eval_into: %s is NULL", e ? "output" : "expression");
    }
    if (e->g != &ctx->graph || out->ctx != ctx)
        return kiln_fail(ctx, KILN_ERR_ARG, "kiln_eval_into: arguments belong to another context");
    if (!same_shape(e, out)) {
        char es[128] = "", os[128] = "";
        for (int d = 0, o = 0; d < e->ndim; d++) o += snprintf(es + o, sizeof es - (size_t)o, "%s%lld", d ? "," : "", (long long)e->shape[d]);
        for (int d = 0, o = 0; d < out->ndim; d++) o += snprintf(os + o, sizeof os - (size_t)o, "%s%lld", d ? "," : "", (long long)out->shape[d]);
        return kiln_fail(ctx, KILN_ERR_SHAPE, "output has shape (%s) but the expression has shape (%s)", os, es);
    }
    if (e->dtype != out->dtype)
        return kiln_fail(ctx, KILN_ERR_DTYPE, "output has dtype %s but the expression has dtype %s",
                         kiln_dtype_name((kiln_dtype)out->dtype), kiln_dtype_name((kiln_dtype)e->dtype));

    struct eval_plan *p = plan_get(ctx, e);
    if (!p) return kiln_errcode(ctx);
    if (needs_temporary(p, out)) {
        kiln_array *tmp = kiln_array_new(ctx, (kiln_dtype)e->dtype, e->ndim, e->shape);
        kiln_expr *copy = NULL;
        kiln_status st = tmp ? kiln_eval_into(ctx, e, tmp) : kiln_errcode(ctx);
        if (st == KILN_OK) copy = kiln_var(ctx, tmp);
        if (st == KILN_OK) st = copy ? kiln_eval_into(ctx, copy, out) : kiln_errcode(ctx);
        kiln_expr_free(copy);
        kiln_array_free(tmp);
        return st;
    }
    geometry g;
    if (geometry_build(ctx, p, out->ndim, out->shape, out->strides, out->data, &g) != KILN_OK)
        return kiln_fail(ctx, KILN_ERR_NOMEM, "out of memory");
    kiln_status st = KILN_OK;
    kiln_kernel_fn fn = kernel_get(ctx, p, g.layout, NULL, 0);
    if (!fn) st = kiln_errcode(ctx) != KILN_OK ? kiln_errcode(ctx) : kiln_fail(ctx, KILN_ERR_COMPILE, "no kernel");
    else st = launch(ctx, fn, &g, p->fk.consts);
    if (st == KILN_ERR_NOMEM) kiln_fail(ctx, st, "out of memory");
    if (st == KILN_OK) atomic_fetch_add(&ctx->st.evals, 1);
    geometry_free(ctx, &g);
    return st;
}

kiln_array *kiln_eval(kiln_ctx *ctx, kiln_expr *e) {
    if (!ctx) return NULL;
    if (!e) {
        if (kiln_errcode(ctx) == KILN_OK) kiln_fail(ctx, KILN_ERR_ARG, "kiln_eval: expression is NULL");
        return NULL;
    }
    if (e->g != &ctx->graph) {
        kiln_fail(ctx, KILN_ERR_ARG, "kiln_eval: expression belongs to another context");
        return NULL;
    }
    kiln_array *out = kiln_array_new(ctx, (kiln_dtype)e->dtype, e->ndim, e->shape);
    if (out && kiln_eval_into(ctx, e, out) != KILN_OK) {
        kiln_array_free(out);
        return NULL;
    }
    return out;
}

char *kiln_dump(kiln_ctx *ctx, kiln_expr *e, int what) {
    if (!ctx) return NULL;
    if (!e) {
        if (kiln_errcode(ctx) == KILN_OK) kiln_fail(ctx, KILN_ERR_ARG, "kiln_dump: expression is NULL");
        return NULL;
    }
    kstr b = {0};
    if (what & KILN_DUMP_GRAPH) ir_print(e, &b);
    if (what & (KILN_DUMP_KERNELS | KILN_DUMP_LLVM | KILN_DUMP_ASM)) {
        struct eval_plan *p = plan_get(ctx, e);
        if (!p) {
            kstr_free(&b);
            return NULL;
        }
        int64_t cstr[KILN_MAX_DIMS], s = (int64_t)kiln_dtype_size((kiln_dtype)e->dtype);
        for (int d = e->ndim - 1; d >= 0; d--) {
            cstr[d] = s;
            s *= e->shape[d];
        }
        geometry g;
        if (geometry_build(ctx, p, e->ndim, e->shape, cstr, NULL, &g) != KILN_OK) {
            kstr_free(&b);
            kiln_fail(ctx, KILN_ERR_NOMEM, "out of memory");
            return NULL;
        }
        kernel_desc kd = p->fk.kd;
        kd.layout = g.layout;
        kd.stream = g.layout[g.nops];
        if (what & KILN_DUMP_KERNELS) kd_print(&kd, &b);
        if ((what & (KILN_DUMP_LLVM | KILN_DUMP_ASM)) && !kernel_get(ctx, p, g.layout, &b, what)) {
            geometry_free(ctx, &g);
            kstr_free(&b);
            return NULL;
        }
        geometry_free(ctx, &g);
    }
    if (b.oom || !b.s) {
        kstr_free(&b);
        if (!b.oom) return calloc(1, 1);
        kiln_fail(ctx, KILN_ERR_NOMEM, "out of memory");
        return NULL;
    }
    return b.s;
}
