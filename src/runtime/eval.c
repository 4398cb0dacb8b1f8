/*
 * eval.c — evaluation: the whole pipeline from expressions to their values.
 *
 *     kiln_eval_into(e, out) / kiln_eval_many(es, outs)
 *       plan_get          graph (CSE'd, folded, simplified when built) ─▶ steps   [plan.c, ir/fuse.c]
 *       plan_run          each step in order, temporaries between them:
 *         map_run           geometry_build: broadcast operands to the output, drop size-1 dims,
 *                           order dims by the output's strides, collapse contiguous dims, classify
 *                           each operand's row layout;  kernel_get: memo ─▶ in-memory cache ─▶
 *                           backend compile [codegen/];  launch: rows over OpenMP threads
 *         reduce_run        fixed blocks, partials combined in a fixed tree      [reduce.c]
 *         matmul_run        BLAS or kiln's loop, epilogue on each panel           [matmul.c]
 *
 * KILN_DEBUG=fuse prints each plan's kernels to stderr when the plan is made.
 */
#include <omp.h>
#include <string.h>

#include "../codegen/backend.h"
#include "exec.h"

#define STREAM_BYTES (16u << 20) /* outputs from this size on are written around the caches */

/* The plan for e, made on first use and kept on the node (published with a compare-and-swap
 * so that two threads racing both end up with one). */
static eval_plan *plan_get(kiln_ctx *ctx, kiln_expr *e) {
    eval_plan *p = atomic_load_explicit(&e->plan, memory_order_acquire);
    if (p) return p;
    p = plan_build(ctx, &e, 1);
    if (!p) return NULL;
    eval_plan *expected = NULL;
    if (!atomic_compare_exchange_strong(&e->plan, &expected, p)) {
        eval_plan_free(ctx, p);
        return expected;
    }
    return p;
}

/* ------------------------------------------------------------------ geometry */

void geometry_free(kiln_ctx *ctx, geometry *g) {
    if (!g->heap) return;
    kiln_free(ctx, g->base);
    kiln_free(ctx, g->strides);
    kiln_free(ctx, g->inner);
    kiln_free(ctx, g->layout);
}

kiln_status geometry_build(kiln_ctx *ctx, const fused_kernel *fk, kiln_array *const *ins, int ondim,
                           const int64_t *oshape, const int64_t *ostrides, char *out_data, geometry *g) {
    const kernel_desc *kd = &fk->kd;
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
        const kiln_array *a = i < kd->n_in ? ins[i] : NULL;
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
        kiln_dtype dt = i < kd->n_in ? (kiln_dtype)fk->inputs[i]->dtype : kd_out_dtype(kd, i - kd->n_in);
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

static bool log_compiles(void) {
    static int on = -1;
    if (on < 0) on = getenv("KILN_LOG") && strstr(getenv("KILN_LOG"), "compile");
    return on;
}

/* The kernel for key from the disk cache, or a fresh compile stored there; under the compile
 * lock, so a kernel two threads need is made once and the other waits for it. */
static kiln_kernel_fn load_or_compile(kiln_ctx *ctx, kernel_desc *kd, const uint8_t *key, size_t klen) {
    void *state = ctx->cpu;
    if (!ctx->disk_open) {
        dc_open(&ctx->disk);
        ctx->disk_open = true;
    }
    const char *target = kiln_cpu_backend.target(state);
    size_t tlen = strlen(target) + 1, flen = tlen + klen;
    uint8_t *full = kiln_malloc(ctx, flen);
    if (!full) return NULL;
    memcpy(full, target, tlen);
    memcpy(full + tlen, key, klen);
    char name[48];
    snprintf(name, sizeof name, "kiln_%016llx%016llx", (unsigned long long)kiln_hash_bytes(KILN_HASH_SEED, full, flen),
             (unsigned long long)kiln_hash_bytes(0x84222325cbf29ce4ull, full, flen));
    kiln_kernel_fn fn = NULL;
    void *obj = NULL;
    size_t olen = 0;
    uint64_t t0 = kiln_now_ns();
    dc_result r = dc_load(&ctx->disk, full, flen, &obj, &olen);
    if (r == DC_HIT) {
        if (kiln_cpu_backend.load(state, ctx, obj, olen, name, &fn) != KILN_OK) {
            fn = NULL;
            r = DC_CORRUPT; /* checked out, yet would not link: compile and replace it */
        } else {
            uint64_t ns = kiln_now_ns() - t0;
            atomic_fetch_add(&ctx->st.disk_hits, 1);
            atomic_fetch_add(&ctx->st.ns_disk_load, ns);
            if (log_compiles()) fprintf(stderr, "kiln: loaded %s from the disk cache in %.3f ms\n", name, (double)ns * 1e-6);
        }
        free(obj);
        obj = NULL;
    }
    if (!fn) {
        if (r == DC_CORRUPT || r == DC_FOREIGN || r == DC_REFUSED) atomic_fetch_add(&ctx->st.disk_corrupt, 1);
        else atomic_fetch_add(&ctx->st.disk_misses, 1);
        kiln_stats a, b;
        if (log_compiles()) kiln_get_stats(ctx, &a);
        if (!kiln_cpu_backend.supports(state, kd)) {
            kiln_fail(ctx, KILN_ERR_BACKEND, "the %s backend cannot compile this kernel", kiln_cpu_backend.name);
        } else if (kiln_cpu_backend.compile(state, ctx, kd, name, &fn, NULL, 0, &obj, &olen) == KILN_OK) {
            atomic_fetch_add(&ctx->st.compiled, 1);
            /* REFUSED entries are not ours to replace: rename would drop someone else's file */
            bool stored = obj && r != DC_REFUSED && dc_store(&ctx->disk, full, flen, obj, olen);
            if (stored) atomic_fetch_add(&ctx->st.disk_stores, 1);
            if (log_compiles()) {
                kiln_get_stats(ctx, &b);
                fprintf(stderr, "kiln: compiled %s (%s): emit %.3f ms, llvm-opt %.3f ms, codegen %.3f ms%s\n", name,
                        miss_reason(r), (double)(b.ns_emit - a.ns_emit) * 1e-6, (double)(b.ns_opt - a.ns_opt) * 1e-6,
                        (double)(b.ns_codegen - a.ns_codegen) * 1e-6, stored ? ", stored on disk" : "");
            }
        } else {
            fn = NULL;
        }
        free(obj);
    }
    kiln_free(ctx, full);
    return fn;
}

/* The memo, else the context's cache, else the disk cache, else a compile. */
void *kernel_get(kiln_ctx *ctx, step *p, const uint8_t *layout, kstr *dump, int what) {
    int nops = p->fk.kd.n_in + p->fk.kd.n_out + 1; /* layouts and the streaming hint */
    kiln_kernel_fn fn = NULL;
    if (!dump) {
        pthread_mutex_lock(&p->lock);
        if (p->memo_fn && memcmp(p->memo_layout, layout, (size_t)nops) == 0) fn = p->memo_fn;
        pthread_mutex_unlock(&p->lock);
        if (fn) {
            atomic_fetch_add(&ctx->st.hits, 1);
            return (void *)fn;
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
            atomic_fetch_add(&ctx->st.hits, 1); /* another thread made it while we waited */
        } else if (dump) {
            if (kiln_cpu_backend.compile(ctx->cpu, ctx, &kd, NULL, &fn, dump, what, NULL, NULL) != KILN_OK) fn = NULL;
        } else {
            atomic_fetch_add(&ctx->st.misses, 1);
            fn = load_or_compile(ctx, &kd, key, klen);
            /* without memory for the cache entry the kernel still runs; it is made again next time */
            if (fn) (void)kcache_put(ctx, &ctx->cache, key, klen, h, fn);
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
    return (void *)fn;
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

kiln_status launch(kiln_ctx *ctx, kiln_kernel_fn fn, const geometry *g, const kscalar *consts) {
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

kiln_status map_run(kiln_ctx *ctx, step *s, kiln_array *const *ins, kiln_array *out) {
    geometry g;
    if (geometry_build(ctx, &s->fk, ins, out->ndim, out->shape, out->strides, out->data, &g) != KILN_OK)
        return kiln_fail(ctx, KILN_ERR_NOMEM, "out of memory");
    kiln_kernel_fn fn = (kiln_kernel_fn)kernel_get(ctx, s, g.layout, NULL, 0);
    kiln_status st = fn ? launch(ctx, fn, &g, s->fk.consts)
                        : (kiln_errcode(ctx) != KILN_OK ? kiln_errcode(ctx) : kiln_fail(ctx, KILN_ERR_COMPILE, "no kernel"));
    if (st == KILN_ERR_NOMEM) kiln_fail(ctx, st, "out of memory");
    geometry_free(ctx, &g);
    return st;
}

/* ------------------------------------------------------------------ running a plan */

/* The arrays step s reads (its kernel inputs), into ins (n_in entries). */
static void resolve(const eval_plan *p, const step *s, const run_arrays *ra, kiln_array **ins) {
    for (int i = 0; i < s->fk.kd.n_in; i++) ins[i] = plan_array(p, s->fk.inputs[i], ra);
}

static kiln_status plan_run_steps(kiln_ctx *ctx, eval_plan *p, kiln_array *const *outs);

/* Runs every step of p, roots into outs (distinct, checked by the callers).  A run that had to
 * make kernels reports its own time, less that making, as a first run. */
static kiln_status plan_run(kiln_ctx *ctx, eval_plan *p, kiln_array *const *outs) {
    uint64_t made0 = atomic_load(&ctx->st.compiled) + atomic_load(&ctx->st.disk_hits);
    uint64_t busy0 = atomic_load(&ctx->st.ns_emit) + atomic_load(&ctx->st.ns_opt) + atomic_load(&ctx->st.ns_codegen) +
                     atomic_load(&ctx->st.ns_disk_load) + atomic_load(&ctx->st.ns_jit_init);
    uint64_t t0 = kiln_now_ns();
    kiln_status st = plan_run_steps(ctx, p, outs);
    if (atomic_load(&ctx->st.compiled) + atomic_load(&ctx->st.disk_hits) != made0) {
        uint64_t busy = atomic_load(&ctx->st.ns_emit) + atomic_load(&ctx->st.ns_opt) + atomic_load(&ctx->st.ns_codegen) +
                        atomic_load(&ctx->st.ns_disk_load) + atomic_load(&ctx->st.ns_jit_init) - busy0;
        uint64_t run = kiln_now_ns() - t0;
        run = run > busy ? run - busy : 0;
        atomic_fetch_add(&ctx->st.ns_first_run, run);
        if (log_compiles()) fprintf(stderr, "kiln: first run %.3f ms\n", (double)run * 1e-6);
    }
    return st;
}

static kiln_status plan_run_steps(kiln_ctx *ctx, eval_plan *p, kiln_array *const *outs) {
    kiln_array *temps_s[8], views_s[4];
    run_arrays ra = {.temps = p->ntemps <= 8 ? temps_s : kiln_calloc(ctx, (size_t)p->ntemps * sizeof *ra.temps),
                     .outs = outs,
                     .views = p->nviews <= 4 ? views_s : kiln_calloc(ctx, (size_t)p->nviews * sizeof *ra.views)};
    kiln_status st = KILN_OK;
    int made = 0;
    if (!ra.temps || !ra.views) st = KILN_ERR_NOMEM;
    for (; made < p->ntemps && st == KILN_OK; made++) {
        kiln_expr *t = p->temps[made];
        ra.temps[made] = kiln_array_new(ctx, (kiln_dtype)t->dtype, t->ndim, t->shape);
        if (!ra.temps[made]) st = kiln_errcode(ctx);
    }
    for (int v = 0; v < p->nviews && st == KILN_OK; v++) { /* transposed views, in graph order */
        const kiln_expr *n = p->views[v];
        const kiln_array *src = plan_array(p, ir_arg(n, 0), &ra);
        kiln_array *view = &ra.views[v];
        *view = *src;
        for (int d = 0; d < src->ndim; d++) {
            view->shape[d] = src->shape[src->ndim - 1 - d];
            view->strides[d] = src->strides[src->ndim - 1 - d];
        }
    }
    static int timing = -1; /* KILN_DEBUG=steps: each step's time on stderr */
    if (timing < 0) timing = getenv("KILN_DEBUG") && strstr(getenv("KILN_DEBUG"), "steps");
    for (int i = 0; i < p->nsteps && st == KILN_OK; i++) {
        step *s = &p->steps[i];
        uint64_t t0 = timing ? kiln_now_ns() : 0;
        kiln_array *out = s->root >= 0 ? outs[s->root] : ra.temps[s->temp];
        kiln_array *ins_s[INLINE_OPERANDS], **ins = ins_s;
        if (s->fk.kd.n_in > INLINE_OPERANDS && !(ins = kiln_malloc(ctx, (size_t)s->fk.kd.n_in * sizeof *ins))) {
            st = KILN_ERR_NOMEM;
            break;
        }
        resolve(p, s, &ra, ins);
        switch (s->kind) {
        case STEP_MAP:
            if (!s->in_epilogue) st = map_run(ctx, s, ins, out);
            break;
        case STEP_REDUCE:
            st = reduce_run(ctx, s, ins, out);
            break;
        case STEP_MATMUL: {
            step *epi = s->epilogue >= 0 ? &p->steps[s->epilogue] : NULL;
            kiln_array *eins_s[INLINE_OPERANDS], **eins = eins_s;
            if (epi && epi->fk.kd.n_in > INLINE_OPERANDS && !(eins = kiln_malloc(ctx, (size_t)epi->fk.kd.n_in * sizeof *eins))) {
                st = KILN_ERR_NOMEM;
                break;
            }
            if (epi) resolve(p, epi, &ra, eins);
            st = matmul_run(ctx, s, plan_array(p, ir_arg(s->node, 0), &ra), plan_array(p, ir_arg(s->node, 1), &ra), out, epi, eins);
            if (eins != eins_s) kiln_free(ctx, eins);
            break;
        }
        }
        if (ins != ins_s) kiln_free(ctx, ins);
        if (timing && !(s->kind == STEP_MAP && s->in_epilogue))
            fprintf(stderr, "kiln: step %d (%s %s) %.3f ms\n", i, s->kind == STEP_MAP ? "map" : s->kind == STEP_REDUCE ? "reduce" : "matmul",
                    kiln_op_name((kiln_op)s->node->op), (double)(kiln_now_ns() - t0) * 1e-6);
    }
    for (int i = 0; i < made; i++) kiln_array_free(ra.temps[i]);
    if (ra.temps != temps_s) kiln_free(ctx, ra.temps);
    if (ra.views != views_s) kiln_free(ctx, ra.views);
    if (st == KILN_ERR_NOMEM && kiln_errcode(ctx) != KILN_ERR_NOMEM) kiln_fail(ctx, st, "out of memory");
    return st;
}

/* ------------------------------------------------------------------ the public entry points */

static bool same_shape(const kiln_expr *e, const kiln_array *a) {
    return e->ndim == a->ndim && memcmp(e->shape, a->shape, e->ndim * sizeof *e->shape) == 0;
}

/* Whether writing out while reading p's arrays could read an element already overwritten:
 * memory overlaps and the array is not walked exactly as out is by one element-wise step. */
static bool needs_temporary(const eval_plan *p, const kiln_array *out) {
    const char *olo, *ohi;
    kiln_array_extent(out, &olo, &ohi);
    for (int k = 0; k < p->nsteps; k++) {
        const step *s = &p->steps[k];
        for (int i = 0; i < s->fk.kd.n_in + (s->kind == STEP_MATMUL ? 2 : 0); i++) {
            const kiln_expr *n = i < s->fk.kd.n_in ? s->fk.inputs[i] : ir_arg(s->node, i - s->fk.kd.n_in);
            if (n->op != KILN_OP_VAR) continue;
            const kiln_array *a = n->array;
            const char *lo, *hi;
            kiln_array_extent(a, &lo, &hi);
            if (hi <= olo || lo >= ohi) continue;
            bool same = s->kind == STEP_MAP && p->nsteps == 1 && a->data == out->data && a->ndim == out->ndim &&
                        a->dtype == out->dtype;
            for (int d = 0; same && d < a->ndim; d++)
                same = a->shape[d] == out->shape[d] && (a->strides[d] == out->strides[d] || a->shape[d] == 1);
            if (!same) return true;
        }
    }
    return false;
}

static kiln_status check_out(kiln_ctx *ctx, const kiln_expr *e, const kiln_array *out) {
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
    return KILN_OK;
}

/* Evaluates into a fresh array, then copies it into out. */
static kiln_status via_temporary(kiln_ctx *ctx, kiln_expr *e, kiln_array *out) {
    kiln_array *tmp = kiln_eval(ctx, e);
    kiln_expr *copy = tmp ? kiln_var(ctx, tmp) : NULL;
    kiln_status st = copy ? kiln_eval_into(ctx, copy, out) : kiln_errcode(ctx);
    kiln_expr_free(copy);
    kiln_array_free(tmp);
    return st;
}

kiln_status kiln_eval_into(kiln_ctx *ctx, kiln_expr *e, kiln_array *out) {
    if (!ctx) return KILN_ERR_ARG;
    if (!e || !out) {
        if (kiln_errcode(ctx) != KILN_OK) return kiln_errcode(ctx); /* what made the NULL */
        return kiln_fail(ctx, KILN_ERR_ARG, "kiln_eval_into: %s is NULL", e ? "output" : "expression");
    }
    kiln_status st = check_out(ctx, e, out);
    if (st != KILN_OK) return st;
    eval_plan *p = plan_get(ctx, e);
    if (!p) return kiln_errcode(ctx);
    if (needs_temporary(p, out)) return via_temporary(ctx, e, out);
    st = plan_run(ctx, p, &out);
    if (st == KILN_OK) atomic_fetch_add(&ctx->st.evals, 1);
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

kiln_status kiln_eval_many(kiln_ctx *ctx, int n, kiln_expr *const *exprs, kiln_array **outs) {
    if (!ctx) return KILN_ERR_ARG;
    if (n < 1 || !exprs || !outs) return kiln_fail(ctx, KILN_ERR_ARG, "kiln_eval_many: nothing to evaluate");
    bool *made = kiln_calloc(ctx, (size_t)n);
    if (!made) return KILN_ERR_NOMEM;
    kiln_status st = KILN_OK;
    for (int i = 0; i < n && st == KILN_OK; i++) {
        if (!exprs[i]) {
            st = kiln_errcode(ctx) != KILN_OK ? kiln_errcode(ctx) : kiln_fail(ctx, KILN_ERR_ARG, "kiln_eval_many: expression %d is NULL", i);
            break;
        }
        for (int j = 0; j < i; j++)
            if (exprs[j] == exprs[i]) st = kiln_fail(ctx, KILN_ERR_ARG, "kiln_eval_many: expressions %d and %d are the same", j, i);
        if (st != KILN_OK) break;
        if (!outs[i]) {
            outs[i] = kiln_array_new(ctx, (kiln_dtype)exprs[i]->dtype, exprs[i]->ndim, exprs[i]->shape);
            made[i] = outs[i] != NULL;
            if (!outs[i]) st = kiln_errcode(ctx);
        } else {
            st = check_out(ctx, exprs[i], outs[i]);
        }
    }
    eval_plan *p = st == KILN_OK ? plan_build(ctx, exprs, n) : NULL;
    if (st == KILN_OK && !p) st = kiln_errcode(ctx);
    for (int i = 0; p && i < n && st == KILN_OK; i++)
        if (needs_temporary(p, outs[i]))
            st = kiln_fail(ctx, KILN_ERR_ARG, "kiln_eval_many: output %d overlaps an input; evaluate it on its own", i);
    if (st == KILN_OK) st = plan_run(ctx, p, outs);
    if (st == KILN_OK) atomic_fetch_add(&ctx->st.evals, 1);
    eval_plan_free(ctx, p);
    for (int i = 0; i < n && st != KILN_OK; i++)
        if (made[i]) {
            kiln_array_free(outs[i]);
            outs[i] = NULL;
        }
    kiln_free(ctx, made);
    return st;
}

char *kiln_dump(kiln_ctx *ctx, kiln_expr *e, int what) {
    if (!ctx) return NULL;
    if (!e) {
        if (kiln_errcode(ctx) == KILN_OK) kiln_fail(ctx, KILN_ERR_ARG, "kiln_dump: expression is NULL");
        return NULL;
    }
    kstr b = {0};
    if (what & KILN_DUMP_GRAPH) ir_print(e, &b);
    eval_plan *p = what & (KILN_DUMP_KERNELS | KILN_DUMP_LLVM | KILN_DUMP_ASM) ? plan_get(ctx, e) : NULL;
    if ((what & (KILN_DUMP_KERNELS | KILN_DUMP_LLVM | KILN_DUMP_ASM)) && !p) {
        kstr_free(&b);
        return NULL;
    }
    for (int i = 0; p && i < p->nsteps; i++) {
        step *s = &p->steps[i];
        if (s->kind == STEP_MATMUL) {
            if (what & KILN_DUMP_KERNELS)
                kstr_printf(&b, "matmul %s @ %s -> %s[%lld%s%s] via %s%s\n", kiln_dtype_name((kiln_dtype)ir_arg(s->node, 0)->dtype),
                            kiln_dtype_name((kiln_dtype)ir_arg(s->node, 1)->dtype), kiln_dtype_name((kiln_dtype)s->node->dtype),
                            s->node->ndim ? (long long)s->node->shape[0] : 1LL, s->node->ndim > 1 ? "," : "",
                            s->node->ndim > 1 ? "..." : "", blas_name() ? blas_name() : "kiln's own loop",
                            s->epilogue >= 0 ? ", with the next kernel as its epilogue on each panel" : "");
            continue;
        }
        /* the layouts of a contiguous run: the node's own C-ordered output */
        kiln_expr *shape_of = s->kind == STEP_REDUCE ? ir_arg(s->node, 0) : s->node;
        int64_t cstr[KILN_MAX_DIMS], sz = (int64_t)kiln_dtype_size((kiln_dtype)shape_of->dtype);
        for (int d = shape_of->ndim - 1; d >= 0; d--) {
            cstr[d] = sz;
            sz *= shape_of->shape[d];
        }
        int nin = s->fk.kd.n_in;
        kiln_array **ins = kiln_malloc(ctx, (size_t)(nin + 1) * sizeof *ins);
        kiln_array *stand = kiln_calloc(ctx, (size_t)(nin + 1) * sizeof *stand);
        bool ok = ins && stand;
        for (int k = 0; ok && k < nin; k++) { /* results of other steps: C-ordered stand-ins */
            kiln_expr *n = s->fk.inputs[k];
            if (n->op == KILN_OP_VAR) {
                ins[k] = n->array;
                continue;
            }
            kiln_array *a = &stand[k];
            a->dtype = n->dtype;
            a->ndim = n->ndim;
            int64_t es = (int64_t)kiln_dtype_size((kiln_dtype)n->dtype);
            for (int d = n->ndim - 1; d >= 0; d--) {
                a->shape[d] = n->shape[d];
                a->strides[d] = es;
                es *= n->shape[d];
            }
            ins[k] = a;
        }
        geometry g;
        ok = ok && geometry_build(ctx, &s->fk, ins, shape_of->ndim, shape_of->shape, cstr, NULL, &g) == KILN_OK;
        if (ok) {
            kernel_desc kd = s->fk.kd;
            kd.layout = g.layout;
            kd.stream = g.layout[g.nops];
            if (what & KILN_DUMP_KERNELS) kd_print(&kd, &b);
            if ((what & (KILN_DUMP_LLVM | KILN_DUMP_ASM)) && !kernel_get(ctx, s, g.layout, &b, what)) ok = false;
            geometry_free(ctx, &g);
        }
        kiln_free(ctx, ins);
        kiln_free(ctx, stand);
        if (!ok) {
            kstr_free(&b);
            return NULL;
        }
    }
    if (b.oom || !b.s) {
        kstr_free(&b);
        if (!b.oom) return calloc(1, 1);
        kiln_fail(ctx, KILN_ERR_NOMEM, "out of memory");
        return NULL;
    }
    return b.s;
}
