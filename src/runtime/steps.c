/*
 * steps.c — the steps that place values rather than compute them: views, reshapes,
 * concatenations, cumulative sums and products, and gathers.
 *
 *     view         a view array over its operand's array (strides and an offset, no kernel)
 *     reshape      its operand's array reshaped where the layout allows (NumPy's no-copy
 *                  rule), else a C-ordered copy made by its aux map step, then reshaped
 *     concatenate  its aux map steps, a part each (the tree of pairs under it absorbed), each
 *                  writing its part's values where it starts; small arrays copied as they are
 *     scan, take   the backend's scan and gather launches
 */
#include <string.h>

#include "exec.h"

/* view: src's memory with n's shape and the given strides. */
static void reshaped(const kiln_expr *n, const kiln_array *src, const int64_t *strides, kiln_array *view) {
    rt_array_view_struct(view, src);
    view->ndim = (uint8_t)n->ndim;
    memset(view->shape, 0, sizeof view->shape);
    memset(view->strides, 0, sizeof view->strides);
    memcpy(view->shape, n->shape, (size_t)n->ndim * sizeof *n->shape);
    memcpy(view->strides, strides, (size_t)n->ndim * sizeof *strides);
}

void rt_view_make(const kiln_expr *n, const kiln_array *src, kiln_array *view) {
    ir_viewmap m;
    int64_t off, strides[KILN_MAX_DIMS];
    ir_view_of(n, &m);
    ir_view_memory(&m, src->shape, src->strides, &off, strides);
    reshaped(n, src, strides, view);
    view->data = src->data + off;
}

/* Whether into can take the reshape n's copy of src in place: n's dtype and shape, C-ordered, and
 * clear of src's memory. */
static bool reshape_into(const kiln_expr *n, const kiln_array *src, const kiln_array *into) {
    if (!into || into->dtype != n->dtype || into->ndim != n->ndim) return false;
    int64_t es = (int64_t)kiln_dtype_size((kiln_dtype)n->dtype), want = es;
    for (int d = n->ndim - 1; d >= 0; d--) {
        if (into->shape[d] != n->shape[d] || (n->shape[d] != 1 && into->strides[d] != want)) return false;
        want *= n->shape[d];
    }
    int64_t slo, shi, ilo, ihi;
    kiln_extent(src->ndim, src->shape, src->strides, es, &slo, &shi);
    kiln_extent(into->ndim, into->shape, into->strides, es, &ilo, &ihi);
    return into->data + ihi <= src->data + slo || src->data + shi <= into->data + ilo;
}

kiln_status rt_reshape_run(const rt_exec *x, rt_step *s, kiln_array *src, kiln_array *view, kiln_array **copy, kiln_array *into) {
    const kiln_expr *n = s->node;
    int64_t strides[KILN_MAX_DIMS], size = 1;
    for (int d = 0; d < src->ndim; d++) size *= src->shape[d];
    if (size == 0 || ir_reshape_strides(src->ndim, src->shape, src->strides, n->ndim, n->shape, strides)) {
        if (size == 0) memset(strides, 0, sizeof strides);
        reshaped(n, src, strides, view);
        return KILN_OK;
    }
    rt_step *a = &s->aux[0]; /* one input: the reshape node, read as its operand's array */
    KILN_ASSERT(a->fk.kd.n_in == 1 && a->fk.inputs[0] == n);
    if (reshape_into(n, src, into)) { /* a root: the copy straight into its output, which is then the view */
        kiln_array dst;
        rt_array_view_struct(&dst, into);
        dst.ndim = src->ndim;
        memset(dst.shape, 0, sizeof dst.shape);
        memset(dst.strides, 0, sizeof dst.strides);
        int64_t st = (int64_t)kiln_dtype_size((kiln_dtype)n->dtype);
        for (int d = src->ndim - 1; d >= 0; d--) dst.shape[d] = src->shape[d], dst.strides[d] = st, st *= src->shape[d];
        kiln_status rc = rt_map_run(x, a, &src, &dst);
        reshaped(n, into, into->strides, view);
        return rc;
    }
    /* the layout does not allow it: the operand's values, C-ordered, then reshaped */
    kiln_array_free(*copy);
    *copy = kiln_array_new(x->ctx, (kiln_dtype)src->dtype, src->ndim, src->shape);
    if (!*copy) return kiln_errcode(x->ctx);
    kiln_status st = rt_map_run(x, a, &src, *copy);
    if (st != KILN_OK) return st;
    bool ok = ir_reshape_strides((*copy)->ndim, (*copy)->shape, (*copy)->strides, n->ndim, n->shape, strides);
    KILN_ASSERT(ok);
    reshaped(n, *copy, strides, view);
    return KILN_OK;
}

/* From one row of shape (its dims before the last counted in idx) to the next: dp by strides
 * ds, and sp by ss where it is not NULL. */
static void next_row(int nd, const int64_t *shape, int64_t *idx, char **dp, const int64_t *ds, const char **sp, const int64_t *ss) {
    for (int d = nd - 2; d >= 0; d--) {
        *dp += ds[d];
        if (sp) *sp += ss[d];
        if (++idx[d] < shape[d]) return;
        *dp -= ds[d] * shape[d];
        if (sp) *sp -= ss[d] * shape[d];
        idx[d] = 0;
    }
}

/* src's elements into dst (of src's shape, dtype size es), row by row along the last dim. */
static void copy_elements(const kiln_array *src, const kiln_array *dst, size_t es) {
    int nd = dst->ndim, last = nd - 1;
    int64_t n = nd ? dst->shape[last] : 1, ss = nd ? src->strides[last] : 0, ds = nd ? dst->strides[last] : 0, rows = 1;
    for (int d = 0; d < last; d++) rows *= dst->shape[d];
    int64_t idx[KILN_MAX_DIMS] = {0};
    const char *sp = src->data;
    char *dp = dst->data;
    for (int64_t r = 0; r < rows; r++, next_row(nd, dst->shape, idx, &dp, dst->strides, &sp, src->strides)) {
        if (ss == (int64_t)es && ds == (int64_t)es) memmove(dp, sp, (size_t)n * es);
        else
            for (int64_t i = 0; i < n; i++) memmove(dp + i * ds, sp + i * ss, es);
    }
}

/* Whether aux step a only copies its one input, an array of part's dtype and shape, little
 * enough for one thread, on a backend whose arrays are this machine's memory: the runtime then
 * copies it (np.concatenate of many small arrays: a kernel launch each cost ten times the copy). */
static bool copy_here(const rt_exec *x, const rt_step *a, kiln_array *const *ins, const kiln_array *part, int64_t count) {
    const kernel_desc *kd = &a->fk.kd;
    if (x->be->device || kd->n_inst != 1 || kd->inst[0].op != KILN_OP_VAR || ins[0]->dtype != part->dtype || ins[0]->ndim != part->ndim ||
        memcmp(ins[0]->shape, part->shape, (size_t)part->ndim * sizeof *part->shape) != 0)
        return false;
    return rt_threads_for(x->ctx, count, a->fk.cost) == 1;
}

kiln_status rt_concat_run(const rt_exec *x, rt_step *s, int h, kiln_array *const *ins, kiln_array *out) {
    const kiln_expr *n = s->aux[h].node;
    kiln_array part;
    rt_array_view_struct(&part, out);
    int64_t count = 1;
    for (int d = 0; d < out->ndim; d++) {
        part.shape[d] = n->shape[d];
        part.data += s->part_at[h][d] * out->strides[d];
        count *= n->shape[d];
    }
    if (!count) return KILN_OK;
    if (!copy_here(x, &s->aux[h], ins, &part, count)) return rt_map_run(x, &s->aux[h], ins, &part);
    copy_elements(ins[0], &part, kiln_dtype_size((kiln_dtype)part.dtype));
    return KILN_OK;
}

kiln_status rt_scan_run(const rt_exec *x, rt_step *s, kiln_array *in, kiln_array *out) {
    const kiln_expr *n = s->node;
    kiln_scan_args a = {.op = n->op, .dt = (kiln_dtype)in->dtype, .ndim = n->ndim, .axis = n->axis, .in = in->data, .out = out->data,
                        .scratch = rt_buf_alloc, .scratch_free = rt_buf_release};
    a.select = ir_partition_ranks(n, &a.kth_lo, &a.kth_hi);
    memcpy(a.shape, n->shape, sizeof a.shape);
    memcpy(a.in_str, in->strides, sizeof a.in_str);
    memcpy(a.out_str, out->strides, sizeof a.out_str);
    kiln_status st = x->be->scan(x->state, x->ctx, &a, rt_nthreads(x->ctx));
    if (st == KILN_ERR_NOMEM) kiln_fail(x->ctx, st, "out of memory");
    return st;
}

kiln_status rt_rows_run(const rt_exec *x, rt_step *s, kiln_array *in, kiln_array *out) {
    const kiln_expr *n = s->node;
    kiln_rows_args a = {.mode = n->keepdims, .dt = (kiln_dtype)n->dtype, .ndim = in->ndim, .in = in->data, .out = out->data};
    memcpy(a.shape, in->shape, sizeof a.shape);
    memcpy(a.in_str, in->strides, sizeof a.in_str);
    memcpy(a.out_str, out->strides, sizeof a.out_str);
    kiln_status st = x->be->rows(x->state, x->ctx, &a, rt_nthreads(x->ctx));
    if (st == KILN_ERR_NOMEM) kiln_fail(x->ctx, st, "out of memory");
    return st;
}

kiln_status rt_linalg_run(const rt_exec *x, rt_step *s, kiln_array *a, kiln_array *b, kiln_array *out, const kiln_expr *const *also_nodes,
                          kiln_array *const *also) {
    const kiln_expr *n = s->node;
    kiln_linalg_args l = {.fn = n->keepdims, .flags = n->axes, .dt = (kiln_dtype)n->dtype, .ndim = a->ndim, .a = a->data,
                          .b = b ? b->data : NULL, .out = out->data, .out_ndim = out->ndim, .nalso = s->nla_also};
    for (int i = 0; i < s->nla_also; i++) { /* the siblings' flags agree with n's (plan.c), but svd's s has none of its own */
        const kiln_expr *o = also_nodes[i];
        l.also[i].fn = o->keepdims, l.also[i].ndim = also[i]->ndim, l.also[i].out = also[i]->data;
        l.flags |= o->axes;
        memcpy(l.also[i].shape, also[i]->shape, sizeof l.also[i].shape);
        memcpy(l.also[i].str, also[i]->strides, sizeof l.also[i].str);
    }
    memcpy(l.shape, a->shape, sizeof l.shape);
    memcpy(l.a_str, a->strides, sizeof l.a_str);
    if (b) memcpy(l.b_shape, b->shape, sizeof l.b_shape), memcpy(l.b_str, b->strides, sizeof l.b_str);
    memcpy(l.out_shape, out->shape, sizeof l.out_shape);
    memcpy(l.out_str, out->strides, sizeof l.out_str);
    kiln_status st = x->be->linalg(x->state, x->ctx, &l, rt_nthreads(x->ctx));
    if (st == KILN_ERR_NOMEM && kiln_errcode(x->ctx) == KILN_OK) kiln_fail(x->ctx, st, "out of memory");
    return st;
}

kiln_status rt_take_run(const rt_exec *x, rt_step *s, kiln_array *xa, kiln_array *idx, kiln_array *idx2, kiln_array *out) {
    const kiln_expr *n = s->node;
    int ax = n->axis;
    kiln_gather_args a = {.elsize = (int)kiln_dtype_size((kiln_dtype)n->dtype),
                          .ndim = n->ndim,
                          .x = xa->data,
                          .idx = idx->data,
                          .out = out->data,
                          .axis_len = xa->shape[ax],
                          .axis_str = xa->strides[ax],
                          .axis = IR_SAID_AXIS(n, 0),
                          .axis2_said = IR_SAID_AXIS(n, 1)};
    memcpy(a.shape, n->shape, sizeof a.shape);
    memcpy(a.out_str, out->strides, sizeof a.out_str);
    if (n->op == KILN_OP_SEARCH) { /* the values are idx, over the output's dims */
        a.search = n->keepdims + 1;
        a.dt = (kiln_dtype)xa->dtype;
        memcpy(a.idx_str, idx->strides, sizeof a.idx_str);
    } else if (n->keepdims == 2) { /* x[..., i, j, ...]: i and j broadcast over the result's dims at the axis */
        int nb = n->ndim - (xa->ndim - 2);
        for (int d = 0; d < ax; d++) a.x_str[d] = xa->strides[d];
        for (int d = 0; d < idx->ndim; d++) a.idx_str[ax + nb - idx->ndim + d] = idx->shape[d] == 1 ? 0 : idx->strides[d];
        for (int d = 0; d < idx2->ndim; d++) a.idx2_str[ax + nb - idx2->ndim + d] = idx2->shape[d] == 1 ? 0 : idx2->strides[d];
        for (int d = ax + 2; d < xa->ndim; d++) a.x_str[d - 2 + nb] = xa->strides[d];
        a.idx2 = idx2->data;
        a.axis2_len = xa->shape[ax + 1];
        a.axis2_str = xa->strides[ax + 1];
    } else if (n->keepdims) { /* take_along_axis: idx broadcast against x, except along the axis */
        for (int d = 0; d < n->ndim; d++) {
            a.x_str[d] = d == ax || xa->shape[d] == 1 ? 0 : xa->strides[d];
            a.idx_str[d] = idx->shape[d] == 1 ? 0 : idx->strides[d];
        }
    } else { /* take: x's dims before the axis, the index's dims, x's dims after it */
        int k = 0;
        for (int d = 0; d < ax; d++, k++) a.x_str[k] = xa->strides[d];
        for (int d = 0; d < idx->ndim; d++, k++) a.idx_str[k] = idx->strides[d];
        for (int d = ax + 1; d < xa->ndim; d++, k++) a.x_str[k] = xa->strides[d];
    }
    kiln_status st = x->be->gather(x->state, x->ctx, &a, rt_nthreads(x->ctx));
    if (st == KILN_ERR_NOMEM) kiln_fail(x->ctx, st, "out of memory");
    return st;
}

/* Zeros in the elements of (data, nd, shape, strides), element size es: rt_fill's threads where
 * they are contiguous, else row by row. */
static void zero_region(kiln_ctx *ctx, char *data, int nd, const int64_t *shape, const int64_t *strides, int64_t es) {
    static const char zero[sizeof(kscalar)];
    int64_t n = 1, want = es;
    bool contiguous = true;
    for (int d = nd - 1; d >= 0; d--) {
        contiguous = contiguous && (shape[d] == 1 || strides[d] == want);
        want *= shape[d];
        n *= shape[d];
    }
    if (n == 0) return;
    if (contiguous) {
        rt_fill(ctx, data, n, (size_t)es, zero);
        return;
    }
    int64_t len = shape[nd - 1], step = strides[nd - 1], idx[KILN_MAX_DIMS] = {0};
    for (int64_t r = 0; r < n / len; r++, next_row(nd, shape, idx, &data, strides, NULL, NULL)) {
        if (step == es) memset(data, 0, (size_t)(len * es));
        else
            for (int64_t i = 0; i < len; i++) memset(data + i * step, 0, (size_t)es);
    }
}

/* out's elements set to zero (any strides). */
static void zero_fill(const rt_exec *x, kiln_array *out) {
    rt_device_sync(out->ctx, out, KILN_SYNC_WRITE);
    zero_region(x->ctx, out->data, out->ndim, out->shape, out->strides, (int64_t)kiln_dtype_size((kiln_dtype)out->dtype));
}

/* Where embed map m writes, when it is a box of out (each dim of out one index, or a run of
 * consecutive ones read by one dim of the values): [lo[k], hi[k]) along each dim k.  False
 * for any other pattern (steps, a dim read twice), and for an empty one. */
static bool embed_box(const ir_viewmap *m, const kiln_array *out, int64_t *lo, int64_t *hi) {
    int covered[KILN_MAX_DIMS] = {0};
    for (int k = 0; k < out->ndim; k++)
        if (m->fix[k] >= 0) lo[k] = m->fix[k], hi[k] = m->fix[k] + 1, covered[k]++;
    for (int d = 0; d < m->ndim; d++) {
        int k = m->src[d];
        if (m->shape[d] == 0) return false;
        if (k < 0) {
            if (m->shape[d] != 1) return false;
            continue;
        }
        if (m->shape[d] > 1 && m->step[d] != 1 && m->step[d] != -1) return false;
        int64_t first = m->start[d], last = m->start[d] + (m->shape[d] - 1) * (m->shape[d] > 1 ? m->step[d] : 0);
        lo[k] = first < last ? first : last, hi[k] = (first < last ? last : first) + 1, covered[k]++;
    }
    for (int k = 0; k < out->ndim; k++)
        if (covered[k] != 1) return false;
    return true;
}

/* Zeros in out around box [lo, hi): for each dim k, the slabs before and after the box along k,
 * within it along the dims before k. */
static void zero_around(const rt_exec *x, kiln_array *out, const int64_t *lo, const int64_t *hi) {
    rt_device_sync(out->ctx, out, KILN_SYNC_WRITE);
    int nd = out->ndim;
    int64_t es = (int64_t)kiln_dtype_size((kiln_dtype)out->dtype), shape[KILN_MAX_DIMS];
    char *inside = out->data; /* the box's corner along the dims before k */
    for (int k = 0; k < nd; k++) {
        for (int j = 0; j < nd; j++) shape[j] = j < k ? hi[j] - lo[j] : out->shape[j];
        shape[k] = lo[k];
        zero_region(x->ctx, inside, nd, shape, out->strides, es);
        shape[k] = out->shape[k] - hi[k];
        zero_region(x->ctx, inside + hi[k] * out->strides[k], nd, shape, out->strides, es);
        inside += lo[k] * out->strides[k];
    }
}

kiln_status rt_embed_run(const rt_exec *x, rt_step *s, kiln_array *const *ins, kiln_array *out) {
    const kiln_expr *n = s->node;
    ir_viewmap m;
    int64_t off, strides[KILN_MAX_DIMS], lo[KILN_MAX_DIMS], hi[KILN_MAX_DIMS];
    ir_embed_of(n, &m);
    if (embed_box(&m, out, lo, hi)) zero_around(x, out, lo, hi); /* (np.pad's zeros: only the border) */
    else zero_fill(x, out);
    ir_view_memory(&m, out->shape, out->strides, &off, strides);
    kiln_array view; /* where the view read: the values go there */
    rt_array_view_struct(&view, out);
    view.ndim = (uint8_t)m.ndim;
    memset(view.shape, 0, sizeof view.shape);
    memset(view.strides, 0, sizeof view.strides);
    memcpy(view.shape, m.shape, (size_t)m.ndim * sizeof *m.shape);
    memcpy(view.strides, strides, (size_t)m.ndim * sizeof *strides);
    view.data = out->data + off;
    int64_t count = 1;
    for (int d = 0; d < m.ndim; d++) count *= m.shape[d];
    return count ? rt_map_run(x, &s->aux[0], ins, &view) : KILN_OK;
}

kiln_status rt_scatter_run(const rt_exec *x, rt_step *s, kiln_array *v, kiln_array *idx, kiln_array *idx2, kiln_array *out) {
    const kiln_expr *n = s->node;
    int ax = n->axis;
    bool at = n->axes & IR_SCATTER_AT; /* (an .at's first values are one for each place: no zeros first) */
    if (at) rt_device_sync(out->ctx, out, KILN_SYNC_WRITE); /* (as zero_fill's) */
    else zero_fill(x, out);
    kiln_gather_args a = {.elsize = (int)kiln_dtype_size((kiln_dtype)n->dtype),
                          .combine = ir_scatter_combine(n->axes),
                          .stores = at ? kiln_array_size(out) : 0,
                          .dt = (kiln_dtype)v->dtype,
                          .ndim = v->ndim,
                          .x = out->data,
                          .idx = idx->data,
                          .out = v->data,
                          .axis_len = out->shape[ax],
                          .axis_str = out->strides[ax],
                          .axis = ax,
                          .axis2_said = ax + 1};
    memcpy(a.shape, v->shape, sizeof a.shape);
    memcpy(a.out_str, v->strides, sizeof a.out_str);
    if (n->keepdims == 2) {
        int nb = v->ndim - (out->ndim - 2);
        for (int d = 0; d < ax; d++) a.x_str[d] = out->strides[d];
        for (int d = 0; d < idx->ndim; d++) a.idx_str[ax + nb - idx->ndim + d] = idx->shape[d] == 1 ? 0 : idx->strides[d];
        for (int d = 0; d < idx2->ndim; d++) a.idx2_str[ax + nb - idx2->ndim + d] = idx2->shape[d] == 1 ? 0 : idx2->strides[d];
        for (int d = ax + 2; d < out->ndim; d++) a.x_str[d - 2 + nb] = out->strides[d];
        a.idx2 = idx2->data;
        a.axis2_len = out->shape[ax + 1];
        a.axis2_str = out->strides[ax + 1];
    } else if (n->keepdims) {
        for (int d = 0; d < v->ndim; d++) {
            a.x_str[d] = d == ax || out->shape[d] == 1 ? 0 : out->strides[d];
            a.idx_str[d] = idx->shape[d] == 1 ? 0 : idx->strides[d];
        }
    } else {
        int k = 0;
        for (int d = 0; d < ax; d++, k++) a.x_str[k] = out->strides[d];
        for (int d = 0; d < idx->ndim; d++, k++) a.idx_str[k] = idx->strides[d];
        for (int d = ax + 1; d < out->ndim; d++, k++) a.x_str[k] = out->strides[d];
    }
    kiln_status st = x->be->scatter(x->state, x->ctx, &a, (kiln_dtype)n->dtype, rt_nthreads(x->ctx));
    if (st == KILN_ERR_NOMEM) kiln_fail(x->ctx, st, "out of memory");
    return st;
}

void rt_aux_steps_free(kiln_ctx *ctx, rt_step *s) {
    if (!s->aux) return;
    for (int h = 0; h < s->naux; h++) {
        rt_kernel_release(ctx, s->aux[h].memo_slot);
        ir_fused_free(&ctx->graph, &s->aux[h].fk);
        kiln_free(ctx, s->aux[h].memo_layout);
        pthread_mutex_destroy(&s->aux[h].lock);
    }
    kiln_free(ctx, s->aux);
    kiln_free(ctx, s->part_at);
    s->aux = NULL;
    s->part_at = NULL;
}
