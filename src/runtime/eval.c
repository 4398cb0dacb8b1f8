/*
 * eval.c — evaluation: the whole pipeline from expressions to their values, top to bottom.
 *
 *     kiln_eval_into(e, out) / kiln_eval_many(es, outs)
 *       rt_plan_get       graph (CSE'd, folded, simplified when built) ─▶ lowered ─▶ steps
 *                                                                       [plan.c, ir/fuse.c]
 *       plan_run          each step in order, temporaries between them:
 *         rt_map_run        geometry: broadcast, drop size-1 dims, order by the output's
 *                           strides, collapse, classify rows                   [geometry.c]
 *                           kernel: memo ─▶ cache ─▶ disk ─▶ backend compile   [kernels.c]
 *                           launch: the backend's own iteration           [codegen/backend.h]
 *         rt_reduce_run     row form (fixed blocks and tree) or column form     [reduce.c]
 *         rt_matmul_run     the backend's product, the epilogue on its panels   [matmul.c]
 *
 * KILN_DEBUG=fuse prints each plan's kernels to stderr when the plan is made, KILN_DEBUG=steps
 * the time of each step, KILN_LOG=compile a line per kernel made.
 */
#include <string.h>

#include "exec.h"

/* ------------------------------------------------------------------ running a plan */

/* The arrays step s reads (its kernel inputs), into ins (n_in entries). */
static void resolve(const rt_plan *p, const rt_step *s, const rt_run_arrays *ra, kiln_array **ins) {
    for (int i = 0; i < s->fk.kd.n_in; i++) ins[i] = rt_plan_array(p, s->fk.inputs[i], ra);
}

static kiln_status plan_run_steps(kiln_ctx *ctx, rt_plan *p, kiln_array *const *outs);

/* Runs every step of p, roots into outs (distinct, checked by the callers).  A run that had to
 * make kernels reports its own time, less that making, as a first run. */
static kiln_status plan_run(kiln_ctx *ctx, rt_plan *p, kiln_array *const *outs) {
    uint64_t made0, ns0, made1, ns1;
    rt_kernel_made(&made0, &ns0);
    uint64_t t0 = kiln_now_ns();
    kiln_status st = plan_run_steps(ctx, p, outs);
    rt_kernel_made(&made1, &ns1);
    if (made1 != made0) {
        uint64_t run = kiln_now_ns() - t0, busy = ns1 - ns0;
        run = run > busy ? run - busy : 0;
        atomic_fetch_add(&ctx->st.ns_first_run, run);
        if (rt_log_compiles()) fprintf(stderr, "kiln: first run %.3f ms\n", (double)run * 1e-6);
    }
    return st;
}

static kiln_status plan_run_steps(kiln_ctx *ctx, rt_plan *p, kiln_array *const *outs) {
    rt_exec x;
    if (!rt_exec_for(ctx, p, &x)) return kiln_fail(ctx, KILN_ERR_BACKEND, "the plan's backend is not running");
    kiln_array *temps_s[8], views_s[4];
    rt_run_arrays ra = {.temps = p->ntemps <= 8 ? temps_s : kiln_calloc(ctx, (size_t)p->ntemps * sizeof *ra.temps),
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
        const kiln_array *src = rt_plan_array(p, ir_arg(n, 0), &ra);
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
        rt_step *s = &p->steps[i];
        uint64_t t0 = timing ? kiln_now_ns() : 0;
        kiln_array *out = s->root >= 0 ? outs[s->root] : ra.temps[s->temp];
        kiln_array *ins_s[KILN_INLINE_OPERANDS], **ins = ins_s;
        if (s->fk.kd.n_in > KILN_INLINE_OPERANDS && !(ins = kiln_malloc(ctx, (size_t)s->fk.kd.n_in * sizeof *ins))) {
            st = KILN_ERR_NOMEM;
            break;
        }
        resolve(p, s, &ra, ins);
        switch (s->kind) {
        case RT_STEP_MAP:
            if (!s->in_epilogue) st = rt_map_run(&x, s, ins, out);
            break;
        case RT_STEP_REDUCE:
            st = rt_reduce_run(&x, s, ins, out);
            break;
        case RT_STEP_MATMUL: {
            rt_step *epi = s->epilogue >= 0 ? &p->steps[s->epilogue] : NULL;
            kiln_array *eins_s[KILN_INLINE_OPERANDS], **eins = eins_s;
            if (epi && epi->fk.kd.n_in > KILN_INLINE_OPERANDS && !(eins = kiln_malloc(ctx, (size_t)epi->fk.kd.n_in * sizeof *eins))) {
                st = KILN_ERR_NOMEM;
                break;
            }
            if (epi) resolve(p, epi, &ra, eins);
            st = rt_matmul_run(&x, s, rt_plan_array(p, ir_arg(s->node, 0), &ra), rt_plan_array(p, ir_arg(s->node, 1), &ra), out, epi, eins);
            if (eins != eins_s) kiln_free(ctx, eins);
            break;
        }
        }
        if (ins != ins_s) kiln_free(ctx, ins);
        if (timing && !(s->kind == RT_STEP_MAP && s->in_epilogue))
            fprintf(stderr, "kiln: step %d (%s %s) %.3f ms\n", i, s->kind == RT_STEP_MAP ? "map" : s->kind == RT_STEP_REDUCE ? "reduce" : "matmul",
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
static bool needs_temporary(const rt_plan *p, const kiln_array *out) {
    const char *olo, *ohi;
    rt_array_extent(out, &olo, &ohi);
    for (int k = 0; k < p->nsteps; k++) {
        const rt_step *s = &p->steps[k];
        for (int i = 0; i < s->fk.kd.n_in + (s->kind == RT_STEP_MATMUL ? 2 : 0); i++) {
            const kiln_expr *n = i < s->fk.kd.n_in ? s->fk.inputs[i] : ir_arg(s->node, i - s->fk.kd.n_in);
            if (n->op != KILN_OP_VAR) continue;
            const kiln_array *a = n->leaf;
            const char *lo, *hi;
            rt_array_extent(a, &lo, &hi);
            if (hi <= olo || lo >= ohi) continue;
            bool same = s->kind == RT_STEP_MAP && p->nsteps == 1 && a->data == out->data && a->ndim == out->ndim &&
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
    rt_plan *p = rt_plan_get(ctx, e);
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
    rt_plan *p = st == KILN_OK ? rt_plan_build(ctx, exprs, n) : NULL;
    if (st == KILN_OK && !p) st = kiln_errcode(ctx);
    for (int i = 0; p && i < n && st == KILN_OK; i++)
        if (needs_temporary(p, outs[i]))
            st = kiln_fail(ctx, KILN_ERR_ARG, "kiln_eval_many: output %d overlaps an input; evaluate it on its own", i);
    if (st == KILN_OK) st = plan_run(ctx, p, outs);
    if (st == KILN_OK) atomic_fetch_add(&ctx->st.evals, 1);
    rt_plan_free(ctx, p);
    for (int i = 0; i < n && st != KILN_OK; i++)
        if (made[i]) {
            kiln_array_free(outs[i]);
            outs[i] = NULL;
        }
    kiln_free(ctx, made);
    return st;
}

