/*
 * plan.c — partitioning graphs into steps.
 *
 * Pipeline position: after the graph is built, before any kernel is compiled.  A node gets its
 * own step, and so its own array, only when it must: it is a root, a reduction, a matrix
 * product, or an operand of a matrix product that is not already an array.  Everything else is
 * element-wise and fuses into the step that consumes it:
 *
 *     W@X + b, relu'd          sum(a*b)               exp(x - max(x, 1, keepdims))
 *     ┌────────────────┐       ┌──────────────┐       ┌───────────────┐  ┌──────────────────┐
 *     │ MATMUL W, X     │       │ REDUCE sum of │       │ REDUCE max of │─▶│ MAP exp(x - max) │
 *     │  + epilogue MAP │       │ a*b (fused)   │       │ x, axis 1     │  │  (root)          │
 *     └────────────────┘       └──────────────┘       └───────────────┘  └──────────────────┘
 *
 * A root that is element-wise in exactly one matrix product of its own shape becomes that
 * product's epilogue: it runs on each panel of the product while the panel is in cache.
 */
#include <string.h>

#include "exec.h"

void eval_plan_free(kiln_ctx *ctx, eval_plan *p) {
    if (!p) return;
    for (int i = 0; i < p->nsteps; i++) {
        reduce_step_free(ctx, &p->steps[i]);
        ir_fused_free(ctx, &p->steps[i].fk);
        kiln_free(ctx, p->steps[i].memo_layout);
        pthread_mutex_destroy(&p->steps[i].lock);
    }
    kiln_free(ctx, p->steps);
    kiln_free(ctx, p->roots);
    kiln_free(ctx, p->temps);
    kiln_free(ctx, p->views);
    kiln_free(ctx, p);
}

/* Post-order over everything under the roots, each node once. */
static kiln_expr **topo_order(kiln_ctx *ctx, kiln_expr *const *roots, int nroots, uint32_t top, uint32_t *count) {
    kiln_expr **order = kiln_malloc(ctx, (size_t)top * sizeof *order);
    kiln_expr **stk = kiln_malloc(ctx, (size_t)top * sizeof *stk);
    uint8_t *state = kiln_calloc(ctx, top); /* 1 on the stack, 2 emitted */
    *count = 0;
    if (!order || !stk || !state) {
        kiln_free(ctx, order);
        order = NULL;
        goto out;
    }
    for (int r = 0; r < nroots; r++) {
        if (state[roots[r]->id]) continue;
        uint32_t sp = 0;
        stk[sp++] = roots[r];
        state[roots[r]->id] = 1;
        while (sp) {
            kiln_expr *n = stk[sp - 1];
            bool pushed = false;
            for (int i = 0; i < 3 && !pushed; i++) {
                if (n->arg[i] == IR_NONE || state[n->arg[i]]) continue;
                state[n->arg[i]] = 1;
                stk[sp++] = ir_arg(n, i);
                pushed = true;
            }
            if (pushed) continue;
            sp--;
            state[n->id] = 2;
            order[(*count)++] = n;
        }
    }
out:
    kiln_free(ctx, stk);
    kiln_free(ctx, state);
    return order;
}

static int step_of(const eval_plan *p, const kiln_expr *n) {
    for (int i = 0; i < p->nsteps; i++)
        if (p->steps[i].node == n) return i;
    return -1;
}

kiln_array *plan_array(const eval_plan *p, const kiln_expr *n, const run_arrays *ra) {
    if (n->op == KILN_OP_VAR) return n->array;
    /* a view first: a transposed root is copied out of its view by its own step */
    for (int v = 0; v < p->nviews; v++)
        if (p->views[v] == n) return &ra->views[v];
    int k = step_of(p, n);
    if (k >= 0) {
        const step *src = &p->steps[k];
        return src->root >= 0 ? ra->outs[src->root] : ra->temps[src->temp];
    }
    KILN_ASSERT(0 && "a node with no array in this plan");
    return NULL;
}

/* How many steps read node n (as a kernel input or a matrix operand). */
static int readers(const eval_plan *p, const kiln_expr *n) {
    int c = 0;
    for (int i = 0; i < p->nsteps; i++) {
        const step *s = &p->steps[i];
        for (int k = 0; k < s->fk.kd.n_in; k++) c += s->fk.inputs[k] == n;
        if (s->kind == STEP_MATMUL) c += (ir_arg(s->node, 0) == n) + (ir_arg(s->node, 1) == n);
    }
    for (int v = 0; v < p->nviews; v++) c += ir_arg(p->views[v], 0) == n;
    return c;
}

/* Makes the one matrix product a root's map reads, when it has the root's shape and dtype and
 * nothing else reads it, compute straight into the root's output with the map as epilogue. */
static void fuse_epilogues(eval_plan *p) {
    for (int i = 0; i < p->nsteps; i++) {
        step *s = &p->steps[i];
        if (s->kind != STEP_MAP || s->root < 0) continue;
        int found = -1, count = 0;
        for (int k = 0; k < s->fk.kd.n_in; k++)
            if (s->fk.inputs[k]->op == KILN_OP_MATMUL) {
                count++;
                found = step_of(p, s->fk.inputs[k]);
            }
        if (count != 1 || found < 0) continue;
        step *m = &p->steps[found];
        const kiln_expr *mn = m->node, *sn = s->node;
        if (m->root >= 0 || mn->ndim != 2 || mn->dtype != sn->dtype || mn->ndim != sn->ndim ||
            memcmp(mn->shape, sn->shape, sizeof(int64_t) * 2) != 0 || readers(p, mn) != 1)
            continue;
        m->epilogue = i;
        m->root = s->root; /* the product is written where the root goes */
        m->temp = -1;
        s->in_epilogue = true;
    }
}

eval_plan *plan_build(kiln_ctx *ctx, kiln_expr *const *roots, int nroots) {
    uint64_t t0 = kiln_now_ns();
    pthread_mutex_lock(&ctx->graph.lock);
    uint32_t top = ctx->graph.top;
    pthread_mutex_unlock(&ctx->graph.lock);
    eval_plan *p = kiln_calloc(ctx, sizeof *p);
    uint8_t *mat = kiln_calloc(ctx, top);
    uint32_t n = 0;
    kiln_expr **order = p && mat ? topo_order(ctx, roots, nroots, top, &n) : NULL;
    if (!order) goto fail;
    p->nroots = nroots;
    p->roots = kiln_malloc(ctx, (size_t)nroots * sizeof *p->roots);
    if (!p->roots) goto fail;
    memcpy(p->roots, roots, (size_t)nroots * sizeof *roots);
    /* which nodes get arrays of their own */
    for (int r = 0; r < nroots; r++) mat[roots[r]->id] = 1;
    /* An expensive element-wise node (a transcendental function under it) that its consumer
     * broadcasts at least 4-fold gets an array: fused, it would be recomputed for every copy
     * (sigmoid(Z) - Y inside sum(X * dz, 1) would cost an exp per element of X). */
    for (uint32_t k = 0; k < n; k++) {
        kiln_expr *x = order[k];
        bool costly = kiln_op_kind[x->op] == KIND_FMATH;
        for (int i = 0; i < 3 && !costly; i++)
            if (x->arg[i] != IR_NONE && op_is_elementwise(ir_arg(x, i)->op)) costly = mat[x->arg[i]] & 2;
        if (costly) mat[x->id] |= 2;
        if (!op_is_elementwise(x->op) && x->op != KILN_OP_TRANSPOSE && kiln_op_kind[x->op] != KIND_REDUCE) continue;
        for (int i = 0; i < 3; i++) {
            if (x->arg[i] == IR_NONE) continue;
            kiln_expr *c = ir_arg(x, i);
            int64_t big = x->op == KILN_OP_MATMUL ? 0 : ir_size(kiln_op_kind[x->op] == KIND_REDUCE ? c : x);
            if ((mat[c->id] & 2) && c->op != KILN_OP_VAR && c->op != KILN_OP_CONST && ir_size(c) * 4 <= big) mat[c->id] |= 1;
        }
    }
    for (uint32_t k = 0; k < n; k++) mat[order[k]->id] &= 1; /* from here on: 1 = gets an array */
    uint32_t nviews = 0;
    for (uint32_t k = 0; k < n; k++) {
        kiln_expr *x = order[k];
        if (op_is_elementwise(x->op)) continue;
        if (x->op == KILN_OP_TRANSPOSE) { /* no step: a view of its operand, which gets one */
            nviews++;
            if (ir_arg(x, 0)->op != KILN_OP_VAR) mat[x->arg[0]] = 1;
            continue;
        }
        mat[x->id] = 1;
        if (x->op == KILN_OP_MATMUL)
            for (int i = 0; i < 2; i++)
                if (ir_arg(x, i)->op != KILN_OP_VAR && ir_arg(x, i)->op != KILN_OP_TRANSPOSE) mat[x->arg[i]] = 1;
    }
    uint32_t nsteps = 0;
    for (uint32_t k = 0; k < n; k++) nsteps += mat[order[k]->id];
    p->steps = kiln_calloc(ctx, nsteps * sizeof *p->steps);
    p->temps = kiln_malloc(ctx, (nsteps + 1) * sizeof *p->temps);
    p->views = kiln_malloc(ctx, (nviews + 1) * sizeof *p->views);
    if (!p->steps || !p->temps || !p->views) goto fail;
    for (uint32_t k = 0; k < n; k++)
        if (order[k]->op == KILN_OP_TRANSPOSE) p->views[p->nviews++] = order[k];
    for (uint32_t k = 0; k < n; k++) {
        kiln_expr *x = order[k];
        if (!mat[x->id]) continue;
        step *s = &p->steps[p->nsteps];
        s->node = x;
        s->root = s->temp = s->epilogue = -1;
        for (int r = 0; r < nroots && s->root < 0; r++)
            if (roots[r] == x) s->root = r;
        if (s->root < 0) {
            s->temp = p->ntemps;
            p->temps[p->ntemps++] = x;
        }
        kiln_status st = KILN_OK;
        if (kiln_op_kind[x->op] == KIND_REDUCE) {
            s->kind = STEP_REDUCE;
            st = ir_fuse(ctx, ir_arg(x, 0), mat, x->op, &s->fk);
        } else if (x->op == KILN_OP_MATMUL) {
            s->kind = STEP_MATMUL;
        } else {
            s->kind = STEP_MAP;
            st = ir_fuse(ctx, x, mat, 0, &s->fk);
        }
        pthread_mutex_init(&s->lock, NULL);
        p->nsteps++;
        if (st != KILN_OK) goto fail;
        s->memo_layout = kiln_calloc(ctx, s->fk.kd.n_in + s->fk.kd.n_out + 1u);
        if (!s->memo_layout) goto fail;
    }
    fuse_epilogues(p);
    p->ntemps = 0; /* renumber: products with an epilogue need none */
    for (int i = 0; i < p->nsteps; i++)
        if (p->steps[i].temp >= 0) {
            p->steps[i].temp = p->ntemps;
            p->temps[p->ntemps++] = p->steps[i].node;
        }
    kiln_free(ctx, order);
    kiln_free(ctx, mat);
    const char *dbg = getenv("KILN_DEBUG");
    if (dbg && strstr(dbg, "fuse")) {
        kstr b = {0};
        for (int i = 0; i < p->nsteps; i++) {
            const step *s = &p->steps[i];
            if (s->kind == STEP_MATMUL) kstr_printf(&b, "matmul%s\n", s->epilogue >= 0 ? " with epilogue:" : "");
            else kd_print(&s->fk.kd, &b);
        }
        if (b.s) fprintf(stderr, "kiln: fused into %d steps:\n%s", p->nsteps, b.s);
        kstr_free(&b);
    }
    atomic_fetch_add(&ctx->st.ns_fuse, kiln_now_ns() - t0);
    return p;
fail:
    if (kiln_errcode(ctx) == KILN_OK) kiln_fail(ctx, KILN_ERR_NOMEM, "out of memory while planning");
    kiln_free(ctx, order);
    kiln_free(ctx, mat);
    eval_plan_free(ctx, p);
    return NULL;
}
