/*
 * matmul.c — running a matrix-product step: the operands for the backend, and the panels of
 * the epilogue.
 *
 * Pipeline position: a plan step (plan.c).  The backend computes the product (OpenBLAS or
 * kiln's own loop on the CPU, codegen/host.c); when the product feeds an element-wise root
 * (W@X + b, relu(W@X + b), ...) that root's kernel is the epilogue, which the backend calls on
 * each panel of rows right after writing it.  Here: the panel's views of the epilogue's inputs.
 */
#include <string.h>

#include "exec.h"

typedef struct epilogue_job {
    const rt_exec *x;
    rt_step *epi;
    kiln_array *const *ins;
    kiln_array *out;
} epilogue_job;

/* The epilogue over rows [i0, i0+rows) of out: views of the panel and of the inputs that have
 * those rows (the others broadcast over them). */
static kiln_status epilogue_panel(void *ud, int64_t i0, int64_t rows) {
    epilogue_job *j = ud;
    kiln_ctx *ctx = j->x->ctx;
    kiln_array *out = j->out;
    if (out->ndim != 2) return rt_map_run(j->x, j->epi, j->ins, out);
    int nin = j->epi->fk.kd.n_in;
    kiln_array panel;
    rt_array_view_struct(&panel, out); /* not a struct copy: out's list links change under the lock */
    /* views of the inputs (as pointers, then their storage) */
    char *mem = kiln_malloc(ctx, (size_t)nin * (sizeof(kiln_array *) + sizeof(kiln_array)) + 1);
    if (!mem) return KILN_ERR_NOMEM;
    kiln_array **views = (kiln_array **)mem, *vs = (kiln_array *)(mem + (size_t)nin * sizeof(kiln_array *));
    panel.shape[0] = rows;
    panel.data = out->data + i0 * out->strides[0];
    for (int k = 0; k < nin; k++) {
        kiln_array *a = j->ins[k];
        if (a == out) {
            views[k] = &panel;
        } else if (a->ndim == 2 && a->shape[0] == out->shape[0] && out->shape[0] > 1) {
            rt_array_view_struct(&vs[k], a);
            vs[k].shape[0] = rows;
            vs[k].data = a->data + i0 * a->strides[0];
            views[k] = &vs[k];
        } else {
            views[k] = a;
        }
    }
    kiln_status st = rt_map_run(j->x, j->epi, views, &panel);
    kiln_free(ctx, mem);
    return st;
}

/* A stack of products (ir_matmul's batched node: a, b and out have the same leading dims):
 * each product's byte offsets in a, b and out, in C order of those dims. */
static kiln_status stack_run(const rt_exec *x, kiln_matmul_args *mm, kiln_array *a, kiln_array *b, kiln_array *out) {
    int nb = out->ndim - 2;
    int64_t batch = 1;
    for (int d = 0; d < nb; d++) batch *= out->shape[d];
    if (batch == 0) return KILN_OK;
    int64_t *off = kiln_malloc(x->ctx, (size_t)(3 * batch) * sizeof *off);
    if (!off) return kiln_fail(x->ctx, KILN_ERR_NOMEM, "out of memory");
    int64_t idx[KILN_MAX_DIMS] = {0}, oa = 0, ob = 0, oc = 0;
    for (int64_t i = 0; i < batch; i++) { /* an odometer over the batch dims */
        off[i] = oa, off[batch + i] = ob, off[2 * batch + i] = oc;
        for (int d = nb - 1; d >= 0; d--) {
            oa += a->strides[d], ob += b->strides[d], oc += out->strides[d];
            if (++idx[d] < out->shape[d]) break;
            oa -= idx[d] * a->strides[d], ob -= idx[d] * b->strides[d], oc -= idx[d] * out->strides[d];
            idx[d] = 0;
        }
    }
    mm->batch = batch;
    mm->a_off = off, mm->b_off = off + batch, mm->c_off = off + 2 * batch;
    kiln_status st = x->be->matmul(x->state, x->ctx, mm, rt_nthreads(x->ctx));
    kiln_free(x->ctx, off);
    return st;
}

kiln_status rt_matmul_run(const rt_exec *x, rt_step *s, kiln_array *a, kiln_array *b, kiln_array *out, rt_step *epi,
                          kiln_array *const *epi_ins) {
    kiln_matmul_args mm = {.dt = (kiln_dtype)s->node->dtype, .copies = s->node->axes & IR_MATMUL_COPIES};
    if (out->ndim > 2) { /* a stack of products (never an epilogue: plan.c fuses only 2-D ones) */
        int nd = out->ndim;
        mm.m = a->shape[nd - 2], mm.K = a->shape[nd - 1], mm.n = b->shape[nd - 1];
        mm.a = a->data, mm.b = b->data, mm.c = out->data;
        mm.a_rs = a->strides[nd - 2], mm.a_cs = a->strides[nd - 1];
        mm.b_rs = b->strides[nd - 2], mm.b_cs = b->strides[nd - 1];
        mm.c_rs = out->strides[nd - 2], mm.c_cs = out->strides[nd - 1];
        kiln_status st = stack_run(x, &mm, a, b, out);
        if (st == KILN_ERR_NOMEM && kiln_errcode(x->ctx) != KILN_ERR_NOMEM) kiln_fail(x->ctx, st, "out of memory");
        return st;
    }
    mm.m = a->ndim == 2 ? a->shape[0] : 1;
    mm.K = a->shape[a->ndim - 1];
    mm.n = b->ndim == 2 ? b->shape[1] : 1;
    mm.a = a->data;
    mm.b = b->data;
    mm.c = out->data;
    mm.a_rs = a->ndim == 2 ? a->strides[0] : 0, mm.a_cs = a->strides[a->ndim - 1];
    mm.b_rs = b->strides[0], mm.b_cs = b->ndim == 2 ? b->strides[1] : 0;
    /* the output's strides along m and n (a 1-D operand has no such dim in the output) */
    if (out->ndim == 2) mm.c_rs = out->strides[0], mm.c_cs = out->strides[1];
    else if (out->ndim == 1 && a->ndim == 2) mm.c_rs = out->strides[0];
    else if (out->ndim == 1) mm.c_cs = out->strides[0];
    epilogue_job job = {x, epi, epi_ins, out};
    if (epi) {
        mm.epilogue = epilogue_panel;
        mm.epilogue_ud = &job;
        mm.panels = out->ndim == 2;
    }
    kiln_status st = x->be->matmul(x->state, x->ctx, &mm, rt_nthreads(x->ctx));
    if (st == KILN_ERR_NOMEM && kiln_errcode(x->ctx) != KILN_ERR_NOMEM) kiln_fail(x->ctx, st, "out of memory");
    return st;
}
