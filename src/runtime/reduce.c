/*
 * reduce.c — running a reduction step.
 *
 * Pipeline position: a plan step (plan.c), after its kernel is compiled (the reduction ABI in
 * ir/kernel.h).  The operand's dims split into kept dims (one output element per position) and
 * reduced dims, walked in the operand's logical C order, so argmax's flat index is NumPy's.
 * The reduced range of every output element is cut into blocks of BLOCK elements; a work unit
 * folds one block with the JIT kernel (row by row) into its own partial, and the partials of an
 * output are combined in a fixed pairwise tree.  Blocks and tree do not depend on the thread
 * count, so neither does the result; and a float sum is pairwise above the block, as NumPy's is.
 */
#include <omp.h>
#include <string.h>

#include "exec.h"

#define BLOCK 8192 /* elements of the reduced range per partial */

typedef struct rgeom {
    int nin;
    int nr, nk;                         /* reduced and kept dims after collapsing */
    int64_t rshape[KILN_MAX_DIMS], kshape[KILN_MAX_DIMS];
    int64_t (*rstr)[KILN_MAX_DIMS];     /* nin × nr byte strides */
    int64_t (*kstr)[KILN_MAX_DIMS];     /* nin × nk */
    int64_t ostr[KILN_MAX_DIMS];        /* the output's stride for each kept dim */
    int64_t R, O;                       /* reduced elements per output, outputs */
    int64_t *inner;                     /* nin innermost reduced strides */
    char **base;                        /* nin */
} rgeom;

/* Folds reduced elements [start, end) of output o into acc, one row call at a time. */
static void fold_range(kiln_reduce_fn fn, const rgeom *g, const kscalar *consts, int64_t o, int64_t start, int64_t end,
                       kscalar *acc, char **ptrs) {
    int64_t rem = o, kidx[KILN_MAX_DIMS];
    for (int d = g->nk - 1; d >= 0; d--) {
        kidx[d] = rem % g->kshape[d];
        rem /= g->kshape[d];
    }
    int nr = g->nr;
    int64_t inner = g->rshape[nr - 1], idx[KILN_MAX_DIMS], row = start / inner, col = start % inner;
    for (int d = nr - 2; d >= 0; d--) {
        idx[d] = row % g->rshape[d];
        row /= g->rshape[d];
    }
    for (int64_t pos = start; pos < end;) {
        int64_t count = inner - col < end - pos ? inner - col : end - pos;
        for (int i = 0; i < g->nin; i++) {
            char *p = g->base[i] + col * g->rstr[i][nr - 1];
            for (int d = 0; d < g->nk; d++) p += kidx[d] * g->kstr[i][d];
            for (int d = 0; d < nr - 1; d++) p += idx[d] * g->rstr[i][d];
            ptrs[i] = p;
        }
        fn(count, ptrs, g->inner, consts, acc, pos);
        pos += count;
        col = 0;
        for (int d = nr - 2; d >= 0; d--) {
            if (++idx[d] < g->rshape[d]) break;
            idx[d] = 0;
        }
    }
}

static void store_result(const rgeom *g, int op, kiln_dtype dt, kiln_array *out, int64_t o, const kscalar *acc) {
    int64_t rem = o;
    char *p = out->data;
    for (int d = g->nk - 1; d >= 0; d--) {
        p += (rem % g->kshape[d]) * g->ostr[d];
        rem /= g->kshape[d];
    }
    if (op == KILN_OP_ARGMAX || op == KILN_OP_ARGMIN) ref_store(p, KILN_I64, acc[1]);
    else ref_store(p, dt, acc[0]);
}

/* Splits the operand's dims into collapsed reduced and kept dims for inputs ins. */
static void rgeom_build(const kiln_expr *red, kiln_array *const *ins, kiln_array *out, rgeom *g) {
    const kiln_expr *x = ir_arg(red, 0);
    int xnd = x->ndim, o = 0, last_kept = -2;
    g->nr = g->nk = 0;
    for (int d = 0; d < xnd; d++) {
        bool reduced = red->axis == KILN_ALL_AXES || red->axis == d;
        int64_t n = x->shape[d];
        if (reduced) {
            if (red->keepdims) o++;
            if (n == 1) continue;
            int r = g->nr;
            bool merge = r > 0;
            for (int i = 0; i < g->nin; i++) {
                const kiln_array *a = ins[i];
                int k = d - (xnd - a->ndim);
                int64_t s = (k < 0 || a->shape[k] == 1) ? 0 : a->strides[k];
                if (merge && g->rstr[i][r - 1] != s * n) merge = false;
                g->rstr[i][r] = s;
            }
            /* only dims next to each other in x merge, so flat indices stay C-order ones */
            if (merge) {
                g->rshape[r - 1] *= n;
                for (int i = 0; i < g->nin; i++) g->rstr[i][r - 1] = g->rstr[i][r];
            } else {
                g->rshape[g->nr++] = n;
            }
        } else {
            int64_t os = out->strides[o++];
            if (n == 1) continue;
            int k2 = g->nk;
            /* merge with the previous kept dim when it was x's previous dim and everyone agrees */
            bool merge = k2 > 0 && last_kept == d - 1 && g->ostr[k2 - 1] == os * n;
            for (int i = 0; i < g->nin; i++) {
                const kiln_array *a = ins[i];
                int k = d - (xnd - a->ndim);
                int64_t st = (k < 0 || a->shape[k] == 1) ? 0 : a->strides[k];
                if (merge && g->kstr[i][k2 - 1] != st * n) merge = false;
                g->kstr[i][k2] = st;
            }
            if (merge) {
                g->kshape[k2 - 1] *= n;
                g->ostr[k2 - 1] = os;
                for (int i = 0; i < g->nin; i++) g->kstr[i][k2 - 1] = g->kstr[i][k2];
            } else {
                g->kshape[k2] = n;
                g->ostr[k2] = os;
                g->nk++;
            }
            last_kept = d;
        }
    }
    if (g->nr == 0) { /* nothing left to reduce but size-1 dims: one element per output */
        g->rshape[0] = 1;
        for (int i = 0; i < g->nin; i++) g->rstr[i][0] = 0;
        g->nr = 1;
    }
    g->R = g->O = 1;
    for (int d = 0; d < g->nr; d++) g->R *= g->rshape[d];
    for (int d = 0; d < g->nk; d++) g->O *= g->kshape[d];
    for (int i = 0; i < g->nin; i++) {
        g->inner[i] = g->rstr[i][g->nr - 1];
        g->base[i] = ins[i]->data;
    }
}

/* ------------------------------------------------------------------ the column path */

/* A reduction over an axis that is not the operands' innermost (sum(x, 0) of a C-ordered x,
 * and w.T@X rewritten as sum(w * X, 0)) is better done the other way round: for each position
 * i of the reduced axis, out[j] = out[j] ⊕ f(x[i, j]) over the contiguous kept dim j, by an
 * element-wise kernel that reads out as an accumulator.  Every out[j] is still folded in one
 * fixed order (i ascending), whatever the threads; threads split j. */
static step *column_step_make(kiln_ctx *ctx, step *s);

/* The accumulate kernel's step (made once per reduction step): the producer's instructions,
 * a load of the accumulator (input n_in), the combine, a store. */
static step *column_step(kiln_ctx *ctx, step *s) {
    pthread_mutex_lock(&s->lock); /* two threads may run the same plan */
    step *made = s->aux ? s->aux : column_step_make(ctx, s);
    pthread_mutex_unlock(&s->lock);
    return made;
}

static step *column_step_make(kiln_ctx *ctx, step *s) {
    const kernel_desc *kd = &s->fk.kd;
    step *c = kiln_calloc(ctx, sizeof *c);
    if (!c) return NULL;
    c->kind = STEP_MAP;
    c->node = s->node;
    c->fk.inputs = kiln_malloc(ctx, (kd->n_in + 1u) * sizeof *c->fk.inputs);
    c->fk.consts = kiln_malloc(ctx, (kd->n_const + 1u) * sizeof *c->fk.consts);
    c->fk.kd.inst = kiln_malloc(ctx, (kd->n_inst + 2u) * sizeof *c->fk.kd.inst);
    c->fk.kd.out_inst = kiln_malloc(ctx, sizeof *c->fk.kd.out_inst);
    c->fk.kd.layout = kiln_calloc(ctx, kd->n_in + 2u);
    c->memo_layout = kiln_calloc(ctx, kd->n_in + 3u);
    pthread_mutex_init(&c->lock, NULL);
    if (!c->fk.inputs || !c->fk.consts || !c->fk.kd.inst || !c->fk.kd.out_inst || !c->fk.kd.layout || !c->memo_layout) {
        ir_fused_free(ctx, &c->fk);
        kiln_free(ctx, c->memo_layout);
        pthread_mutex_destroy(&c->lock);
        kiln_free(ctx, c);
        return NULL;
    }
    if (kd->n_in) memcpy(c->fk.inputs, s->fk.inputs, kd->n_in * sizeof *c->fk.inputs);
    c->fk.inputs[kd->n_in] = s->node; /* the accumulator: the reduction's own output */
    if (kd->n_const) memcpy(c->fk.consts, s->fk.consts, kd->n_const * sizeof *c->fk.consts);
    memcpy(c->fk.kd.inst, kd->inst, kd->n_inst * sizeof *kd->inst);
    kiln_dtype dt = (kiln_dtype)kd->inst[kd->out_inst[0]].dtype;
    c->fk.kd.inst[kd->n_inst] = (kd_inst){.op = KILN_OP_VAR, .dtype = (uint8_t)dt, .slot = kd->n_in};
    c->fk.kd.inst[kd->n_inst + 1] = (kd_inst){.op = (uint8_t)reduce_combine_op[s->node->op], .dtype = (uint8_t)dt,
                                              .arg = {kd->n_inst, kd->out_inst[0], 0}};
    c->fk.kd.n_inst = kd->n_inst + 2;
    c->fk.kd.n_in = kd->n_in + 1;
    c->fk.kd.n_const = kd->n_const;
    c->fk.kd.n_out = 1;
    c->fk.kd.out_inst[0] = kd->n_inst + 1;
    s->aux = c;
    return c;
}

void reduce_step_free(kiln_ctx *ctx, step *s) {
    step *c = s->aux;
    if (!c) return;
    ir_fused_free(ctx, &c->fk);
    kiln_free(ctx, c->memo_layout);
    pthread_mutex_destroy(&c->lock);
    kiln_free(ctx, c);
    s->aux = NULL;
}

/* Whether g suits the column path: one reduced dim, one kept dim that every operand and the
 * output walk contiguously (or broadcast), enough of it to split, and a fold that is not arg*. */
static bool column_suits(const step *s, const rgeom *g, kiln_dtype dt) {
    int op = s->node->op;
    if (op == KILN_OP_ARGMAX || op == KILN_OP_ARGMIN || g->nr != 1 || g->nk != 1 || g->kshape[0] < 64 || g->R < 2) return false;
    int64_t es = (int64_t)kiln_dtype_size(dt);
    if (g->ostr[0] != es) return false;
    bool reduced_contig = false;
    for (int i = 0; i < g->nin; i++) {
        int64_t ie = (int64_t)kiln_dtype_size((kiln_dtype)s->fk.inputs[i]->dtype);
        if (g->kstr[i][0] != ie && g->kstr[i][0] != 0) return false;
        if (g->kstr[i][0] != 0 && g->rstr[i][0] == ie) reduced_contig = true; /* the row path reads it better */
    }
    return !reduced_contig;
}

static kiln_status column_run(kiln_ctx *ctx, step *s, const rgeom *g, kiln_array *out, kiln_dtype dt) {
    step *c = column_step(ctx, s);
    if (!c) return KILN_ERR_NOMEM;
    int nin = g->nin, nops = nin + 2;
    uint8_t layout[INLINE_OPERANDS + 3];
    uint8_t *lay = nops + 1 <= (int)sizeof layout ? layout : kiln_malloc(ctx, (size_t)nops + 1);
    int64_t *inner = kiln_malloc(ctx, (size_t)nops * sizeof *inner);
    if (!lay || !inner) {
        if (lay != layout) kiln_free(ctx, lay);
        kiln_free(ctx, inner);
        return KILN_ERR_NOMEM;
    }
    int64_t es = (int64_t)kiln_dtype_size(dt);
    for (int i = 0; i < nin; i++) {
        lay[i] = g->kstr[i][0] == 0 ? KD_BCAST : KD_CONTIG;
        inner[i] = g->kstr[i][0];
    }
    lay[nin] = lay[nin + 1] = KD_CONTIG; /* the accumulator in, the output out: the same array */
    inner[nin] = inner[nin + 1] = es;
    lay[nops] = 0;
    kiln_kernel_fn fn = (kiln_kernel_fn)kernel_get(ctx, c, lay, NULL, 0);
    kiln_status st = fn ? KILN_OK : (kiln_errcode(ctx) != KILN_OK ? kiln_errcode(ctx) : KILN_ERR_COMPILE);
    int64_t J = g->kshape[0], R = g->R;
    int nt = atomic_load(&ctx->nthreads);
    if (J * R < 2 * GRAIN) nt = 1;
    if (nt > J / 64) nt = (int)(J / 64) > 0 ? (int)(J / 64) : 1;
    char **ptrs = st == KILN_OK ? kiln_malloc(ctx, (size_t)nt * (size_t)nops * sizeof *ptrs) : NULL;
    if (st == KILN_OK && !ptrs) st = KILN_ERR_NOMEM;
    if (st == KILN_OK) {
        kscalar id[2];
        ref_reduce_init(s->node->op, dt, id);
#pragma omp parallel num_threads(nt) if (nt > 1)
        {
            int t = omp_get_thread_num(), n = omp_get_num_threads();
            int64_t j0 = J * t / n / 64 * 64, j1 = t == n - 1 ? J : J * (t + 1) / n / 64 * 64;
            char **pt = ptrs + (size_t)t * (size_t)nops;
            for (int64_t j = j0; j < j1; j++) ref_store(out->data + j * es, dt, id[0]);
            for (int64_t i = 0; i < R && j1 > j0; i++) {
                for (int k = 0; k < nin; k++) pt[k] = g->base[k] + i * g->rstr[k][0] + j0 * g->kstr[k][0];
                pt[nin] = pt[nin + 1] = out->data + j0 * es;
                fn(j1 - j0, pt, inner, s->fk.consts);
            }
        }
    }
    kiln_free(ctx, ptrs);
    kiln_free(ctx, inner);
    if (lay != layout) kiln_free(ctx, lay);
    return st;
}

kiln_status reduce_run(kiln_ctx *ctx, step *s, kiln_array *const *ins, kiln_array *out) {
    const kiln_expr *red = s->node;
    const kernel_desc *kd = &s->fk.kd;
    int op = red->op, nin = kd->n_in;
    kiln_dtype dt = (kiln_dtype)ir_arg(red, 0)->dtype;
    rgeom g = {.nin = nin};
    /* one allocation for every per-input array */
    size_t per = 2 * sizeof *g.rstr + sizeof *g.inner + sizeof *g.base + 1;
    char *mem = kiln_calloc(ctx, (size_t)(nin + 1) * per + 2); /* + the layout bytes' tail */
    if (!mem) return KILN_ERR_NOMEM;
    g.rstr = (void *)mem;
    g.kstr = (void *)(mem + (size_t)(nin + 1) * sizeof *g.rstr);
    g.inner = (void *)(mem + (size_t)(nin + 1) * 2 * sizeof *g.rstr);
    g.base = (void *)((char *)g.inner + (size_t)(nin + 1) * sizeof *g.inner);
    uint8_t *layout = (uint8_t *)((char *)g.base + (size_t)(nin + 1) * sizeof *g.base);
    rgeom_build(red, ins, out, &g);
    kiln_status st = KILN_OK;
    kscalar *part = NULL;
    char **ptrs = NULL;
    if (column_suits(s, &g, dt) && red->dtype == dt) {
        st = column_run(ctx, s, &g, out, dt);
        goto out;
    }
    int64_t nb = g.R == 0 ? 0 : (g.R + BLOCK - 1) / BLOCK, units = g.O * (nb ? nb : 1);
    kiln_reduce_fn fn = NULL;
    if (nb) {
        for (int i = 0; i < nin; i++) {
            int64_t es = (int64_t)kiln_dtype_size((kiln_dtype)s->fk.inputs[i]->dtype);
            layout[i] = g.inner[i] == es ? KD_CONTIG : g.inner[i] == 0 ? KD_BCAST : KD_STRIDED;
        }
        layout[nin] = KD_CONTIG; /* the accumulator, not an operand */
        layout[nin + 1] = 0;
        fn = (kiln_reduce_fn)kernel_get(ctx, s, layout, NULL, 0);
        if (!fn) {
            st = kiln_errcode(ctx) != KILN_OK ? kiln_errcode(ctx) : kiln_fail(ctx, KILN_ERR_COMPILE, "no kernel");
            goto out;
        }
    }
    int nt = atomic_load(&ctx->nthreads);
    if (g.R * g.O < 2 * GRAIN || units < 2) nt = 1;
    if (nt > units) nt = (int)units;
    ptrs = kiln_malloc(ctx, (size_t)nt * (size_t)(nin + 1) * sizeof *ptrs);
    if (nb > 1) part = kiln_malloc(ctx, (size_t)units * 2 * sizeof *part);
    if (!ptrs || (nb > 1 && !part)) {
        st = KILN_ERR_NOMEM;
        goto out;
    }
    int64_t nbu = nb ? nb : 1;
#pragma omp parallel for num_threads(nt) schedule(static) if (nt > 1)
    for (int64_t u = 0; u < units; u++) {
        int64_t o = u / nbu, b = u % nbu;
        kscalar acc[2];
        ref_reduce_init(op, dt, acc);
        if (nb) {
            int64_t start = b * BLOCK, end = start + BLOCK < g.R ? start + BLOCK : g.R;
            fold_range(fn, &g, s->fk.consts, o, start, end, acc, ptrs + (size_t)omp_get_thread_num() * (size_t)(nin + 1));
        }
        if (nb > 1) memcpy(&part[2 * u], acc, sizeof acc);
        else store_result(&g, op, (kiln_dtype)red->dtype, out, o, acc);
    }
    if (nb > 1) { /* each output's partials, in a fixed pairwise tree */
        for (int64_t o = 0; o < g.O; o++) {
            kscalar *p = &part[2 * o * nb];
            for (int64_t w = 1; w < nb; w *= 2)
                for (int64_t b = 0; b + w < nb; b += 2 * w) ref_reduce_combine(op, dt, &p[2 * b], &p[2 * (b + w)]);
            store_result(&g, op, (kiln_dtype)red->dtype, out, o, p);
        }
    }
out:
    kiln_free(ctx, part);
    kiln_free(ctx, ptrs);
    kiln_free(ctx, mem);
    if (st == KILN_ERR_NOMEM) kiln_fail(ctx, st, "out of memory");
    return st;
}
