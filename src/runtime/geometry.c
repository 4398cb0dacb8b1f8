/*
 * geometry.c — where an element-wise step's operands are, as its kernel walks them.
 *
 * Pipeline position: between planning and launch.  Every operand is broadcast to the output's
 * shape, size-1 dims are dropped, the dims are ordered by the output's strides (so a
 * transposed or Fortran-ordered output is still written in memory order) and neighbours that
 * every operand walks as one are collapsed; then each operand's row is classified as
 * contiguous, broadcast or strided (and a host walk over an operand read across its rows is
 * tiled, in blocks of rows where that operand's rows are one element apart).  The layouts
 * choose the kernel (they are part of its cache key); the rest is the kiln_map_geom the backend
 * launches over.
 */
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "exec.h"

/* Block calls for kernels of this cost (kd_cost) or less: their body is unrolled over a
 * group's rows; heavier work gains little from cheaper loads. */
#define BLOCK_COST 32

#define STREAM_BYTES (16u << 20) /* outputs from this size on are written around the caches, */

/* ...unless what the kernel reads and writes fits the last-level cache (a 16 MiB image and its
 * result in a 32 MiB L3: the result stays there for what reads it next).  Its size from sysfs,
 * at most 16 MiB per CPU of this process's affinity: a VM sees its host's whole L3 (480 MiB on
 * a 2-CPU VM here), of which its share is far less (there, a*b+c of 10^7 doubles, 320 MB, took
 * 9.9 ms through the caches against 7.4 ms streamed).  KILN_LLC_BYTES (bytes, or with K or M)
 * says it instead; 0 where unknown. */
static int64_t llc_read(void) {
    const char *env = getenv("KILN_LLC_BYTES");
    if (env && *env) {
        char *end;
        long long v = strtoll(env, &end, 10);
        if (end != env && v >= 0 && v < (1ll << 40) && (*end == 0 || ((*end == 'K' || *end == 'M') && !end[1])))
            return (int64_t)v << (*end == 'K' ? 10 : *end == 'M' ? 20 : 0);
        if (rt_log_env()) fprintf(stderr, "kiln: KILN_LLC_BYTES=%s is not a number of bytes (or of K or M); using the cache's size\n", env);
    }
    int64_t b = 0;
    FILE *lv = fopen("/sys/devices/system/cpu/cpu0/cache/index3/level", "r"), *sz = fopen("/sys/devices/system/cpu/cpu0/cache/index3/size", "r");
    long level = 0, n = 0;
    char unit = 0;
    if (lv && sz && fscanf(lv, "%ld", &level) == 1 && level == 3 && fscanf(sz, "%ld%c", &n, &unit) >= 1 && n > 0)
        b = (int64_t)n << (unit == 'K' ? 10 : unit == 'M' ? 20 : 0);
    if (lv) fclose(lv);
    if (sz) fclose(sz);
    cpu_set_t set;
    long cpus = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : sysconf(_SC_NPROCESSORS_ONLN);
    if (cpus > 0 && b > ((int64_t)cpus << 24)) b = (int64_t)cpus << 24;
    return b;
}

int64_t rt_llc_bytes(void) {
    static _Atomic int64_t known = -1;
    int64_t b = atomic_load_explicit(&known, memory_order_relaxed);
    if (b < 0) atomic_store_explicit(&known, b = llc_read(), memory_order_relaxed);
    return b;
}

/* Rows per tile for an operand whose rows are step bytes apart (step < 64: its elements along
 * dim ndim - 2): a 512-byte run, eight lines, of each column it reads (measured: 64 rows of
 * float64 against 32 and 16, 128 of float32 against 64, a few percent each). */
static int64_t tile_rows(int64_t step) { return 512 / step; }

kd_layout rt_layout_of(int64_t s, kiln_dtype dt) {
    return s == (int64_t)kiln_dtype_size(dt) ? KD_CONTIG : s == 0 ? KD_BCAST : KD_STRIDED;
}

void rt_array_standin(kiln_array *a, const kiln_expr *n) {
    static _Alignas(64) char dummy[64];
    memset(a, 0, sizeof *a);
    a->dtype = n->dtype;
    a->ndim = (uint8_t)n->ndim;
    a->data = dummy;
    int64_t es = (int64_t)kiln_dtype_size((kiln_dtype)n->dtype);
    for (int d = n->ndim - 1; d >= 0; d--) {
        a->shape[d] = n->shape[d];
        a->strides[d] = es;
        es *= n->shape[d];
    }
}

void rt_geom_free(kiln_ctx *ctx, rt_geom *rg) {
    kiln_map_geom *g = &rg->g;
    if (!rg->heap) return;
    kiln_free(ctx, g->base);
    kiln_free(ctx, g->strides);
    kiln_free(ctx, g->inner);
    kiln_free(ctx, rg->layout);
    kiln_free(ctx, rg->pack_es);
}

/* Operand i's dtype: a kernel input's, or (from n_in on) an output's. */
static kiln_dtype operand_dtype(const fused_kernel *fk, int i) {
    const kernel_desc *kd = &fk->kd;
    return i < kd->n_in ? (kiln_dtype)fk->inputs[i]->dtype : kd_out_dtype(kd, i - kd->n_in);
}

static bool no_blocks(void) {
    const char *v = getenv("KILN_TEST_BLOCKS");
    return v && !strcmp(v, "0");
}

kiln_status rt_geom_build(kiln_ctx *ctx, const fused_kernel *fk, kiln_array *const *ins, int ondim, const int64_t *oshape,
                          const int64_t *ostrides, char *out_data, rt_geom *rg) {
    kiln_map_geom *g = &rg->g;
    const kernel_desc *kd = &fk->kd;
    int nops = kd->n_in + kd->n_out;
    g->nops = nops;
    rg->heap = nops > KILN_INLINE_OPERANDS;
    if (rg->heap) {
        g->base = kiln_calloc(ctx, (size_t)nops * sizeof *g->base);
        g->strides = kiln_calloc(ctx, (size_t)nops * sizeof *g->strides);
        g->inner = kiln_calloc(ctx, 2 * (size_t)nops * sizeof *g->inner);
        rg->layout = kiln_calloc(ctx, (size_t)nops + 1);
        rg->pack_es = kiln_calloc(ctx, (size_t)nops);
        if (!g->base || !g->strides || !g->inner || !rg->layout || !rg->pack_es) {
            rt_geom_free(ctx, rg);
            return KILN_ERR_NOMEM;
        }
    } else {
        g->base = rg->base_s;
        g->strides = rg->strides_s;
        g->inner = rg->inner_s;
        rg->layout = rg->layout_s;
        rg->pack_es = rg->pack_s;
    }
    g->pack = 0;
    g->pack_es = rg->pack_es;
    memset(rg->pack_es, 0, (size_t)nops);
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
    g->first = 0;
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
        kiln_dtype dt = operand_dtype(fk, i);
        int64_t s = g->strides[i][w - 1];
        g->inner[i] = s;
        rg->layout[i] = rt_layout_of(s, dt);
        /* an output is written, never broadcast: stride 0 (a row of one element, or none at all
         * in an empty array) is read as contiguous, or else walked as strided */
        if (i >= kd->n_in && rg->layout[i] == KD_BCAST) rg->layout[i] = g->shape[w - 1] <= 1 ? KD_CONTIG : KD_STRIDED;
    }
    /* 5b. many short rows with an operand that is not contiguous along them (a row's
     *     maximum, broadcast along it; a row vector broadcast down): such operands are packed
     *     into contiguous blocks at launch, and the kernel runs over long contiguous rows */
    bool device = ctx->backend >= 0 && rt_backends[ctx->backend]->device; /* packing is host code */
    if (w == 2 && g->shape[1] <= KILN_SHORT_ROW && g->shape[0] >= 2 && nops <= 16 && !device) {
        bool flat_outs = true, any = false;
        for (int i = kd->n_in; i < nops; i++) {
            int64_t es = (int64_t)kiln_dtype_size(kd_out_dtype(kd, i - kd->n_in));
            flat_outs = flat_outs && g->strides[i][1] == es && g->strides[i][0] == g->shape[1] * es;
        }
        for (int i = 0; i < kd->n_in && flat_outs; i++) {
            int64_t es = (int64_t)kiln_dtype_size((kiln_dtype)fk->inputs[i]->dtype);
            bool flat = g->strides[i][1] == es && g->strides[i][0] == g->shape[1] * es;
            bool scalar = g->strides[i][1] == 0 && g->strides[i][0] == 0;
            rg->pack_es[i] = flat || scalar ? 0 : (uint8_t)es;
            any = any || rg->pack_es[i];
        }
        if (flat_outs && any) {
            g->pack = g->shape[1];
            for (int i = 0; i < nops; i++) {
                bool scalar = i < kd->n_in && g->strides[i][1] == 0 && g->strides[i][0] == 0;
                kiln_dtype dt = operand_dtype(fk, i);
                g->inner[i] = scalar ? 0 : (int64_t)kiln_dtype_size(dt);
                rg->layout[i] = scalar ? KD_BCAST : KD_CONTIG;
            }
        } else {
            memset(rg->pack_es, 0, (size_t)nops);
        }
    }
    /* 5c. many short rows, an output not contiguous along them (np.stack's columns): down the
     *     columns, a block of rows at a time, where a call per row cost more than its elements */
    g->cols = 0;
    if (!device && !g->pack && w == 2 && g->shape[1] <= KILN_COLS_ROW && g->shape[0] >= 16) {
        g->cols = KILN_COLS_BLOCK;
        for (int i = 0; i < nops; i++) {
            kiln_dtype dt = operand_dtype(fk, i);
            g->inner[i] = g->strides[i][0];
            rg->layout[i] = rt_layout_of(g->inner[i], dt);
        }
    }
    /* 5d. an operand read across its rows (x.T + x): tile, its short-stride dim next to the inner one */
    g->tile = 0;
    if (!device && !g->pack && w >= 2 && g->shape[w - 1] > KILN_TILE_COLS)
        for (int i = 0; i < nops && !g->tile; i++) {
            int64_t si = g->strides[i][w - 1] < 0 ? -g->strides[i][w - 1] : g->strides[i][w - 1], best = 64;
            int d = -1;
            for (int a = 0; a < w - 1 && si >= 64; a++) {
                int64_t sa = g->strides[i][a] < 0 ? -g->strides[i][a] : g->strides[i][a];
                if (sa && sa < best) best = sa, d = a;
            }
            if (d < 0) continue;
            for (int a = d; a < w - 2; a++) { /* d moves to w - 2: the walk's order is free in a map */
                int64_t t = g->shape[a];
                g->shape[a] = g->shape[a + 1], g->shape[a + 1] = t;
                for (int j = 0; j < nops; j++) t = g->strides[j][a], g->strides[j][a] = g->strides[j][a + 1], g->strides[j][a + 1] = t;
            }
            g->tile = tile_rows(best);
        }
    /* 6. big contiguous outputs with element-aligned rows may be written with streaming stores */
    int64_t es = (int64_t)kiln_dtype_size(kd_out_dtype(kd, 0));
    bool aligned = ((uintptr_t)g->base[outop] % (uintptr_t)es) == 0;
    for (int d = 0; d < w; d++) aligned = aligned && g->strides[outop][d] % es == 0;
    int64_t traffic = g->total * es; /* the bytes the kernel moves: its output's and each input's that is walked */
    for (int i = 0; i < kd->n_in; i++) {
        bool walked = false;
        for (int d = 0; d < w; d++) walked = walked || g->strides[i][d] != 0;
        if (walked) traffic += g->total * (int64_t)kiln_dtype_size((kiln_dtype)fk->inputs[i]->dtype);
    }
    rg->layout[nops] = kd->n_out == 1 && rg->layout[outop] == KD_CONTIG && aligned && g->total * es >= (int64_t)STREAM_BYTES && traffic > rt_llc_bytes();
    /* 7. a tiled walk whose strided operands are inputs with their rows one element apart
     *    (x.T * 2, ascontiguousarray(x.T)): block calls (kernel.h), which read those a register
     *    across rows at a time and transpose in registers, where a row call loads lane by lane
     *    (2000x1000 float64, x.T * 2, one thread: 1.03-1.07 ms in rows, 0.69-0.73 in blocks).
     *    They write through the caches, so no streaming stores.  KILN_TEST_BLOCKS=0 keeps to
     *    row calls (to compare) */
    g->block = 0;
    if (g->tile && nops <= KILN_INLINE_OPERANDS && fk->cost <= BLOCK_COST && !no_blocks()) {
        bool any = false, ok = true;
        for (int i = 0; i < nops && ok; i++) {
            if (rg->layout[i] != KD_STRIDED) continue;
            any = true;
            ok = i < kd->n_in && g->strides[i][w - 2] == (int64_t)kiln_dtype_size(operand_dtype(fk, i));
        }
        if (any && ok) {
            g->block = KILN_BLOCK_ROWS;
            rg->layout[nops] = RT_BLOCK;
            for (int i = 0; i < nops; i++) g->inner[nops + i] = g->strides[i][w - 2];
        }
    }
    return KILN_OK;
}

kiln_status rt_map_run(const rt_exec *x, rt_step *s, kiln_array *const *ins, kiln_array *out) {
    kiln_ctx *ctx = x->ctx;
    rt_geom g;
    if (rt_geom_build(ctx, &s->fk, ins, out->ndim, out->shape, out->strides, out->data, &g) != KILN_OK)
        return kiln_fail(ctx, KILN_ERR_NOMEM, "out of memory");
    kslot *slot = rt_kernel_get(x, s, g.layout);
    kiln_status st = KILN_OK;
    bool launched = slot != NULL;
    if (slot) {
        /* an interpreted launch while its compile is on the way runs in pieces, each with the
         * best kernel there is when it starts: the compiled one takes over mid-launch */
        int64_t total = g.g.total, piece = total, first = 0;
        if (rt_map_in_pieces(slot, total)) piece = (total / RT_PIECES + 63) / 64 * 64;
        while (first < total && st == KILN_OK) {
            int64_t count = atomic_load(&slot->state) == KSLOT_FINAL ? total - first : piece; /* compiled: the rest at once */
            if (count > total - first) count = total - first;
            void *state;
            uint64_t t0;
            const kiln_kernel *k = rt_kernel_begin(x, slot, total - first, &state, &t0);
            g.g.first = first;
            g.g.total = count;
            st = k->backend->launch_map(state, ctx, k, &g.g, s->fk.consts, rt_map_threads(ctx, slot, total, s->fk.cost));
            rt_kernel_end(x, slot, t0);
            first += count;
        }
        rt_kernel_release(ctx, slot);
    } else {
        st = kiln_errcode(ctx) != KILN_OK ? kiln_errcode(ctx) : kiln_fail(ctx, KILN_ERR_COMPILE, "no kernel");
    }
    if (st == KILN_ERR_NOMEM && launched) kiln_fail(ctx, st, "out of memory"); /* (a launch's; a compile's says why) */
    rt_geom_free(ctx, &g);
    return st;
}
