/*
 * reduce.c — running a reduction step: its geometry, and the row or column form.
 *
 * Pipeline position: a plan step (plan.c), after its kernel is fetched (kernels.c).  The
 * operand's dims split into kept dims (one output element per position) and reduced dims,
 * walked in the operand's logical C order, so argmax's flat index is NumPy's; neighbouring dims
 * that every input walks as one are collapsed.  The backend folds the reduced range in fixed
 * blocks and a fixed tree (codegen/backend.h), so the result does not depend on the threads.
 *
 * A reduction over an axis that is not the operands' innermost (sum(x, 0) of a C-ordered x,
 * and w.T@X lowered to sum(w * X, 0)) is better done the other way round, the column form: for
 * each position i of the reduced axis, out[j] = out[j] ⊕ f(x[i, j]) over the contiguous kept dim
 * j, by an element-wise kernel that reads out as an accumulator.  Every out[j] is still folded
 * in one fixed order (i ascending), whatever the threads.
 */
#include <string.h>

#include "exec.h"

/* Input i's byte stride along the operand's dim d (0 where it broadcasts). */
static int64_t rgeom_stride(const kiln_expr *x, kiln_array *const *ins, int i, int d) {
    const kiln_array *a = ins[i];
    int k = d - (x->ndim - a->ndim);
    return (k < 0 || a->shape[k] == 1) ? 0 : a->strides[k];
}

/* Appends the operand's dim d to the n dims in shape and str (each input's strides), or merges
 * it into the last of them when may is set and every input walks the two as one. */
static void rgeom_push(const kiln_expr *x, kiln_array *const *ins, int nin, int d, bool may, int64_t *shape, int64_t (*str)[KILN_MAX_DIMS], int *n) {
    int64_t len = x->shape[d];
    int r = *n;
    bool merge = may && r > 0;
    for (int i = 0; i < nin; i++) {
        int64_t st = rgeom_stride(x, ins, i, d);
        if (merge && str[i][r - 1] != st * len) merge = false;
        str[i][r] = st;
    }
    if (merge) {
        shape[r - 1] *= len;
        for (int i = 0; i < nin; i++) str[i][r - 1] = str[i][r];
    } else {
        shape[(*n)++] = len;
    }
}

/* NumPy's iterator order of the operand's dims of other lengths than 1 (nditer's
 * npyiter_find_best_axis_ordering, over the inputs' strides): perm[0] the innermost.  From C
 * order, each dim moves inside another when every input that walks both (nonzero strides)
 * walks it with the smaller |stride|; inputs that disagree leave C order; inputs that walk
 * neither say nothing, and the dim is compared with the next one out.  Returns the count. */
static int numpy_dim_order(const kiln_expr *x, kiln_array *const *ins, int nin, int *perm) {
    int n = 0;
    for (int d = x->ndim - 1; d >= 0; d--)
        if (x->shape[d] != 1) perm[n++] = d;
    for (int i0 = 1; i0 < n; i0++) {
        int pos = i0, d0 = perm[i0];
        for (int i1 = i0 - 1; i1 >= 0; i1--) {
            bool said = false, inside = false;
            for (int i = 0; i < nin; i++) {
                int64_t s0 = rgeom_stride(x, ins, i, d0), s1 = rgeom_stride(x, ins, i, perm[i1]);
                if (!s0 || !s1) continue;
                bool smaller = (s0 < 0 ? -s0 : s0) < (s1 < 0 ? -s1 : s1);
                inside = smaller && (inside || !said); /* (any input against it: C order) */
                said = true;
            }
            if (!said) continue;
            if (!inside) break;
            pos = i1;
        }
        memmove(perm + pos + 1, perm + pos, (size_t)(i0 - pos) * sizeof *perm);
        perm[pos] = d0;
    }
    return n;
}

/* Splits the operand's dims into collapsed reduced and kept dims for inputs ins.  Kept dims go
 * in C order; reduced dims too, except a float sum's, which go in NumPy's iterator order (so
 * x.T.sum() adds what NumPy adds, in its order). */
static void rgeom_build(const kiln_expr *red, kiln_array *const *ins, kiln_array *out, kiln_reduce_geom *g) {
    const kiln_expr *x = ir_arg(red, 0);
    int xnd = x->ndim, o = 0, last_kept = -2;
    g->nr = g->nk = 0;
    for (int d = 0; d < xnd; d++) {
        int64_t n = x->shape[d];
        if (ir_reduces(red, d)) {
            if (red->keepdims) o++;
            continue;
        }
        int64_t os = out->strides[o++];
        if (n == 1) continue;
        /* merge with the previous kept dim when it was x's previous dim and everyone agrees */
        bool may = last_kept == d - 1 && g->nk > 0 && g->ostr[g->nk - 1] == os * n;
        rgeom_push(x, ins, g->nin, d, may, g->kshape, g->kstr, &g->nk);
        g->ostr[g->nk - 1] = os;
        last_kept = d;
    }
    int perm[KILN_MAX_DIMS], np_dims = numpy_dim_order(x, ins, g->nin, perm), order[KILN_MAX_DIMS], rdim[KILN_MAX_DIMS] = {0}, nred = 0, nbx = 0;
    bool apart[KILN_MAX_DIMS] = {false}; /* a kept dim between order[j - 1] and order[j] in NumPy's order */
    while (nbx < np_dims && ir_reduces(red, perm[nbx])) nbx++; /* NumPy's inner loop: reduced dims inside every kept one */
    g->reduced_inner = np_dims == 0 || nbx > 0;
    bool numpy = g->op == KILN_OP_SUM && dtype_is_float(g->dt), kept = false;
    if (numpy) {
        for (int j = np_dims - 1; j >= 0; j--) {
            if (!ir_reduces(red, perm[j])) {
                kept = true;
                continue;
            }
            apart[nred] = kept;
            kept = false;
            order[nred++] = perm[j];
        }
    } else {
        for (int d = 0; d < xnd; d++)
            if (ir_reduces(red, d) && x->shape[d] != 1) order[nred++] = d;
    }
    /* (neighbours in this order merge when every input walks them as one: in C order the flat
     * index over the reduced dims stays the C-order one argmax gives; a float sum's reduced dims
     * merge only where no kept dim comes between them in NumPy's order, whose inner loop stops
     * at a kept dim whatever the strides) */
    for (int j = 0; j < nred; j++) {
        rgeom_push(x, ins, g->nin, order[j], !apart[j], g->rshape, g->rstr, &g->nr);
        rdim[j] = g->nr - 1;
    }
    /* (order's last nbx dims, a float sum's, are NumPy's inner loop) */
    g->nblock = numpy && nbx > 0 ? g->nr - rdim[nred - nbx] : 1;
    if (g->nr == 0) { /* nothing left to reduce but size-1 dims: one element per output */
        g->rshape[0] = 1;
        for (int i = 0; i < g->nin; i++) g->rstr[i][0] = 0;
        g->nr = 1;
        g->nblock = 1;
    }
    g->R = g->O = 1;
    for (int d = 0; d < g->nr; d++) g->R *= g->rshape[d];
    for (int d = 0; d < g->nk; d++) g->O *= g->kshape[d];
    for (int i = 0; i < g->nin; i++) {
        g->inner[i] = g->rstr[i][g->nr - 1];
        g->base[i] = ins[i]->data;
    }
    g->out = out->data;
}

/* ------------------------------------------------------------------ the column form */

static rt_step *column_step_make(kiln_ctx *ctx, rt_step *s);

/* The accumulate kernel's step (made once per reduction step): the producer's instructions,
 * a load of the accumulator (input n_in), the combine, a store. */
static rt_step *column_step(kiln_ctx *ctx, rt_step *s) {
    pthread_mutex_lock(&s->lock); /* two threads may run the same plan */
    rt_step *made = s->aux ? s->aux : column_step_make(ctx, s);
    pthread_mutex_unlock(&s->lock);
    return made;
}

static rt_step *column_step_make(kiln_ctx *ctx, rt_step *s) {
    const kernel_desc *kd = &s->fk.kd;
    rt_step *c = kiln_calloc(ctx, sizeof *c);
    if (!c) return NULL;
    c->kind = RT_STEP_MAP;
    c->node = s->node;
    kiln_status made = ir_fused_alloc(ctx, &c->fk, kd->n_inst + 1u, kd->n_in + 1u, kd->n_const);
    c->memo_layout = kiln_calloc(ctx, kd->n_in + 3u);
    pthread_mutex_init(&c->lock, NULL);
    if (made != KILN_OK || !c->memo_layout) {
        ir_fused_free(&ctx->graph, &c->fk);
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
    c->fk.cost = s->fk.cost + 2; /* the accumulator's load and store */
    s->aux = c;
    return c;
}

void rt_reduce_step_free(kiln_ctx *ctx, rt_step *s) {
    rt_step *c = s->aux;
    if (!c) return;
    rt_kernel_release(ctx, c->memo_slot);
    ir_fused_free(&ctx->graph, &c->fk);
    kiln_free(ctx, c->memo_layout);
    pthread_mutex_destroy(&c->lock);
    kiln_free(ctx, c);
    s->aux = NULL;
}

/* Whether g suits the column form: one reduced dim, one kept dim the output walks contiguously,
 * enough of it to split (and perhaps a second kept dim outside it, batches of such columns:
 * x.sum(axis=1) of a 3-D x), and a fold that is not arg*; and either short rows (at most
 * KILN_SHORT_REDUCTION elements: the row form would pay a call per output, and vector lanes
 * over outputs beat lanes over so few elements; a float sum along the innermost dim, at most
 * KILN_SHORT_COLUMN_SUM) or operands that walk the kept dim contiguously (or broadcast) and do
 * not walk the reduced one so. */
static bool column_suits(const rt_step *s, const kiln_reduce_geom *g) {
    int kin = g->nk - 1; /* (a second kept dim outside it: batches, each its own columns) */
    if (op_is_arg_reduce(g->op) || g->nr != 1 || g->nk < 1 || g->nk > 2 || g->kshape[kin] < 64 || g->R < 2 || g->out_dt != g->dt) return false;
    if (g->ostr[kin] != (int64_t)kiln_dtype_size(g->dt)) return false;
    /* a float sum along the innermost dim goes NumPy's pairwise order: the shortest rows in the
     * column form's lanes (KILN_SHORT_COLUMN_SUM), longer ones the row form's (many rows of one
     * leaf a call: KILN_FOLD_SERIES) */
    if (g->op == KILN_OP_SUM && dtype_is_float(g->dt) && g->reduced_inner) return g->R <= KILN_SHORT_COLUMN_SUM;
    if (g->R <= KILN_SHORT_REDUCTION) return true;
    bool reduced_contig = false;
    for (int i = 0; i < g->nin; i++) {
        int64_t ie = (int64_t)kiln_dtype_size((kiln_dtype)s->fk.inputs[i]->dtype);
        if (g->kstr[i][kin] != ie && g->kstr[i][kin] != 0) return false;
        if (g->kstr[i][kin] != 0 && g->rstr[i][0] == ie) reduced_contig = true; /* the row form reads it better */
    }
    return !reduced_contig;
}

static kiln_status column_run(const rt_exec *x, rt_step *s, const kiln_reduce_geom *g, uint8_t *layout) {
    kiln_ctx *ctx = x->ctx;
    rt_step *c = column_step(ctx, s);
    if (!c) return kiln_fail(ctx, KILN_ERR_NOMEM, "out of memory");
    int nin = g->nin;
    for (int i = 0; i < nin; i++) layout[i] = rt_layout_of(g->kstr[i][g->nk - 1], (kiln_dtype)s->fk.inputs[i]->dtype);
    layout[nin] = layout[nin + 1] = KD_CONTIG; /* the accumulator in, the output out: the same array */
    layout[nin + 2] = 0;
    kslot *slot = rt_kernel_get(x, c, layout);
    if (!slot) return kiln_errcode(ctx) != KILN_OK ? kiln_errcode(ctx) : KILN_ERR_COMPILE;
    void *state;
    uint64_t t0;
    int64_t work = g->R * g->O;
    const kiln_kernel *k = rt_kernel_begin(x, slot, work, &state, &t0);
    kiln_status st = k->backend->launch_accumulate(state, ctx, k, g, s->fk.consts, rt_threads_for(ctx, work, c->fk.cost));
    rt_kernel_end(x, slot, t0);
    rt_kernel_release(ctx, slot);
    return st == KILN_ERR_NOMEM ? kiln_fail(ctx, st, "out of memory") : st;
}

/* ------------------------------------------------------------------ the step */

bool rt_rgeom_make(kiln_ctx *ctx, const kiln_backend_i *be, const rt_step *s, kiln_array *const *ins, kiln_array *out, rt_rgeom *r) {
    const kiln_expr *red = s->node;
    int nin = s->fk.kd.n_in;
    r->g = (kiln_reduce_geom){.op = red->op, .dt = (kiln_dtype)ir_arg(red, 0)->dtype, .out_dt = (kiln_dtype)red->dtype, .nin = nin};
    size_t per = 2 * sizeof *r->g.rstr + sizeof *r->g.inner + sizeof *r->g.base + 2, need = (size_t)(nin + 1) * per + 3;
    r->mem = need <= sizeof r->mem_s ? r->mem_s : kiln_malloc(ctx, need);
    if (!r->mem) return false;
    memset(r->mem, 0, need);
    r->g.rstr = (void *)r->mem;
    r->g.kstr = (void *)(r->mem + (size_t)(nin + 1) * sizeof *r->g.rstr);
    r->g.inner = (void *)(r->mem + (size_t)(nin + 1) * 2 * sizeof *r->g.rstr);
    r->g.base = (void *)((char *)r->g.inner + (size_t)(nin + 1) * sizeof *r->g.inner);
    r->layout = (uint8_t *)((char *)r->g.base + (size_t)(nin + 1) * sizeof *r->g.base);
    uint8_t *gather_es = r->layout + nin + 3;
    rgeom_build(red, ins, out, &r->g);
    kiln_reduce_geom *g = &r->g;
    if (be->device) g->nblock = 1; /* (a device keeps its own order) */
    if (g->nblock > 1) {
        for (int i = 0; i < nin; i++) {
            bool varies = false;
            for (int d = g->nr - g->nblock; d < g->nr; d++) varies = varies || g->rstr[i][d] != 0;
            gather_es[i] = varies ? (uint8_t)kiln_dtype_size((kiln_dtype)s->fk.inputs[i]->dtype) : 0;
        }
        g->gather_es = gather_es;
    }
    return true;
}

void rt_rgeom_free(kiln_ctx *ctx, rt_rgeom *r) {
    if (r->mem != r->mem_s) kiln_free(ctx, r->mem);
}

/* Whether s runs in the column form over g (host backends only: a device keeps its kernels'
 * iteration to itself). */
bool rt_reduce_in_columns(const kiln_backend_i *be, const rt_step *s, const kiln_reduce_geom *g) { return !be->device && column_suits(s, g); }

void rt_reduce_row_layout(const rt_step *s, const kiln_reduce_geom *g, uint8_t *layout) {
    int nin = g->nin;
    for (int i = 0; i < nin; i++)
        layout[i] = g->nblock > 1 ? (g->gather_es[i] ? KD_CONTIG : KD_BCAST) : rt_layout_of(g->inner[i], (kiln_dtype)s->fk.inputs[i]->dtype);
    layout[nin] = KD_CONTIG; /* the accumulator, not an operand */
    layout[nin + 1] = 0;
}

bool rt_reduce_layout(const rt_exec *x, const rt_step *s, kiln_array *const *ins, kiln_array *out, uint8_t *layout) {
    rt_rgeom r;
    if (!rt_rgeom_make(x->ctx, x->be, s, ins, out, &r)) return false;
    bool row = r.g.R && !rt_reduce_in_columns(x->be, s, &r.g);
    if (row) {
        rt_reduce_row_layout(s, &r.g, r.layout);
        memcpy(layout, r.layout, (size_t)s->fk.kd.n_in + 2);
    }
    rt_rgeom_free(x->ctx, &r);
    return row;
}

kiln_status rt_reduce_run(const rt_exec *x, rt_step *s, kiln_array *const *ins, kiln_array *out) {
    kiln_ctx *ctx = x->ctx;
    rt_rgeom r;
    if (!rt_rgeom_make(ctx, x->be, s, ins, out, &r)) return kiln_fail(ctx, KILN_ERR_NOMEM, "out of memory");
    kiln_reduce_geom *g = &r.g;
    kiln_status st;
    if (rt_reduce_in_columns(x->be, s, g)) {
        st = column_run(x, s, g, r.layout);
    } else {
        rt_reduce_row_layout(s, g, r.layout);
        kslot *slot = g->R ? rt_kernel_get(x, s, r.layout) : NULL;
        bool launched = slot || !g->R;
        if (g->R && !slot) { /* (the compile's error says why) */
            st = kiln_errcode(ctx) != KILN_OK ? kiln_errcode(ctx) : kiln_fail(ctx, KILN_ERR_COMPILE, "no kernel");
        } else if (!slot) { /* nothing to fold: the backend stores identities */
            st = x->be->launch_reduce(x->state, ctx, NULL, g, s->fk.consts, 1);
        } else {
            void *state;
            uint64_t t0;
            const kiln_kernel *k = rt_kernel_begin(x, slot, g->R * g->O, &state, &t0);
            st = k->backend->launch_reduce(state, ctx, k, g, s->fk.consts, rt_threads_for(ctx, g->R * g->O, s->fk.cost));
            rt_kernel_end(x, slot, t0);
            rt_kernel_release(ctx, slot);
        }
        if (st == KILN_ERR_NOMEM && launched) kiln_fail(ctx, st, "out of memory"); /* (a launch's) */
    }
    rt_rgeom_free(ctx, &r);
    return st;
}
