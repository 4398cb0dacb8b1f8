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
 *
 * The passes, in order (rt_plan_build):
 *     lower            a product with a vector side becomes a reduction of an element-wise
 *                      product (sum(a*b, 1) for M@v), which fuses with what computes its
 *                      operands, unless the backend has a tuned product (gemv) for it; on a
 *                      device backend, softmax rows become the reductions and maps they are
 *                      composed of (rows_composed)
 *     materialize      which nodes get arrays: roots, reductions, products, their operands,
 *                      and costly element-wise nodes that a consumer would recompute
 *     absorb_concats   a concatenation only another one reads writes into that one's array
 *     make_steps       one step per materialized node, each fused (ir/fuse.c)
 *     fuse_epilogues   roots of one product's shape run on its panels
 */
#include <string.h>

#include "exec.h"

void rt_plan_free(kiln_ctx *ctx, rt_plan *p) {
    if (!p) return;
    rt_replay_free(ctx, p);
    for (int i = 0; i < p->nsteps; i++) {
        rt_kernel_release(ctx, p->steps[i].memo_slot);
        if (p->steps[i].kind == RT_STEP_REDUCE) rt_reduce_step_free(ctx, &p->steps[i]);
        else rt_aux_steps_free(ctx, &p->steps[i]);
        ir_fused_free(&ctx->graph, &p->steps[i].fk);
        kiln_free(ctx, p->steps[i].memo_layout);
        pthread_mutex_destroy(&p->steps[i].lock);
    }
    for (int r = 0; p->owned && r < p->nroots; r++) kiln_expr_free(p->owned[r]);
    kiln_array **spare = atomic_load(&p->spare);
    if (spare) atomic_fetch_sub(&ctx->spare_bytes, rt_spare_bytes(spare, p->ntemps));
    for (int t = 0; spare && t < p->ntemps; t++) kiln_array_free(spare[t]);
    kiln_free(ctx, spare);
    kiln_free(ctx, p->steps);
    kiln_free(ctx, p->roots);
    kiln_free(ctx, p->owned);
    kiln_free(ctx, p->temps);
    kiln_free(ctx, p->views);
    kiln_free(ctx, p->leaves);
    kiln_free(ctx, p->index);
    kiln_free(ctx, p);
}

bool rt_exec_for(kiln_ctx *ctx, const rt_plan *p, rt_exec *x) {
    x->ctx = ctx;
    x->be = rt_backends[p->backend];
    x->state = atomic_load_explicit(&ctx->be_state[p->backend], memory_order_acquire); /* started by rt_plan_build */
    return x->state != NULL;
}

/* n's slot in p's index (the empty one where it would go). */
static struct rt_plan_slot *slot_of(const rt_plan *p, const kiln_expr *n) {
    uint32_t h = (uint32_t)(((uintptr_t)n >> 4) * 0x9E3779B97F4A7C15ull >> 32) & p->index_mask;
    while (p->index[h].node && p->index[h].node != n) h = (h + 1) & p->index_mask;
    return &p->index[h];
}

/* p's index of its steps' nodes and its views (the first step of a node, the first view). */
static kiln_status index_plan(kiln_ctx *ctx, rt_plan *p) {
    uint32_t cap = 16;
    while (cap < 2u * (uint32_t)(p->nsteps + p->nviews) + 1) cap *= 2;
    if (!(p->index = kiln_calloc(ctx, cap * sizeof *p->index))) return KILN_ERR_NOMEM;
    p->index_mask = cap - 1;
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < (pass ? p->nviews : p->nsteps); i++) {
            const kiln_expr *n = pass ? p->views[i] : p->steps[i].node;
            struct rt_plan_slot *s = slot_of(p, n);
            if (!s->node) *s = (struct rt_plan_slot){n, -1, -1};
            if (pass && s->view < 0) s->view = i;
            if (!pass && s->step < 0) s->step = i;
        }
    return KILN_OK;
}

static int step_of(const rt_plan *p, const kiln_expr *n) {
    const struct rt_plan_slot *s = slot_of(p, n);
    return s->node ? s->step : -1;
}

kiln_array *rt_plan_array(const rt_plan *p, const kiln_expr *n, const rt_run_arrays *ra) {
    if (op_is_array_leaf(n->op)) return n->leaf;
    /* a view first: a transposed root is copied out of its view by its own step */
    const struct rt_plan_slot *at = slot_of(p, n);
    if (at->node && at->view >= 0) return &ra->views[at->view];
    int k = at->node ? at->step : -1;
    if (k >= 0) {
        const rt_step *src = &p->steps[k];
        return src->root >= 0 ? ra->outs[src->root] : ra->temps[src->temp];
    }
    KILN_ASSERT(0 && "a node with no array in this plan");
    return NULL;
}

/* How many steps read node n (as a kernel input or the operand of a structural step). */
static int readers(const rt_plan *p, const kiln_expr *n) {
    int c = 0;
    for (int i = 0; i < p->nsteps; i++) {
        const rt_step *s = &p->steps[i];
        for (int k = 0; k < s->fk.kd.n_in; k++) c += s->fk.inputs[k] == n;
        if (s->kind != RT_STEP_MAP && s->kind != RT_STEP_REDUCE && s->kind != RT_STEP_CONCAT && s->kind != RT_STEP_EMBED)
            for (int a = 0; a < 3; a++) c += s->node->arg[a] != IR_NONE && ir_arg(s->node, a) == n;
        for (int h = 0; (s->kind == RT_STEP_CONCAT || s->kind == RT_STEP_EMBED) && h < s->naux; h++)
            for (int k = 0; k < s->aux[h].fk.kd.n_in; k++) c += s->aux[h].fk.inputs[k] == n;
    }
    return c;
}

/* ------------------------------------------------------------------ lower */

typedef struct lowering {
    kiln_ctx *ctx;
    const kiln_backend_i *be;
    void *state;
} lowering;

/* Whether product mm is better done as a reduction: a dot product always (it then fuses what
 * computes its operands); another product with a vector side when the backend has no tuned
 * product for its dtype (gemv reads the matrix faster, several rows at a time). */
static bool lower_this(const lowering *lw, const kiln_expr *mm) {
    const kiln_expr *a = ir_arg(mm, 0), *b = ir_arg(mm, 1);
    if (mm->ndim > 2) return false; /* a stack of products */
    bool vector_side = b->ndim == 1 || a->ndim == 1 || b->shape[1] == 1 || a->shape[0] == 1;
    if (!vector_side) return false;
    return (a->ndim == 1 && b->ndim == 1) || !lw->be->gemm(lw->state, (kiln_dtype)mm->dtype);
}

/* Whether node n is lowered for the backend: a product lower_this picks, or softmax rows on a
 * device (which has no row kernel of its own: the composition runs as its reductions and maps;
 * rows of no elements, which a maximum refuses, stay a row step: the host's). */
static bool lowered(const lowering *lw, const kiln_expr *n) {
    if (n->op == KILN_OP_SOFTMAX) return lw->be->device && ir_arg(n, 0)->shape[ir_arg(n, 0)->ndim - 1] > 0;
    return n->op == KILN_OP_MATMUL && lower_this(lw, n);
}

/* Row mode mode (ir_rows) of x, composed of ops as the host's row kernel computes it: W = the
 * last axis's maximum where finite, else 0; e = exp(x - W); s = sum(e); then e * (1/s),
 * (x - W) - log(s) or log(s) + W; in float64 for float32 rows too (as the row kernel), rounded
 * once at the end. */
static kiln_expr *rows_composed(ir_graph *g, kiln_expr *x, int mode) {
    if (x->dtype != KILN_F64) {
        kiln_expr *x64 = ir_build(g, KILN_OP_CAST, &x, KILN_F64), *r = x64 ? rows_composed(g, x64, mode) : NULL;
        kiln_expr *back = r ? ir_build(g, KILN_OP_CAST, &r, (kiln_dtype)x->dtype) : NULL;
        kiln_expr_free(x64);
        kiln_expr_free(r);
        return back;
    }
    kiln_expr *zero = ir_const(g, KILN_F64, (kscalar){.f64 = 0}, true), *one = ir_const(g, KILN_F64, (kscalar){.f64 = 1}, true);
    kiln_expr *m = ir_reduce(g, KILN_OP_MAX, x, -1, true), *fin = ir_build(g, KILN_OP_ISFINITE, &m, KILN_F64);
    kiln_expr *W = fin ? ir_build(g, KILN_OP_WHERE, (kiln_expr *[]){fin, m, zero}, KILN_F64) : NULL;
    kiln_expr *d = W ? ir_build(g, KILN_OP_SUB, (kiln_expr *[]){x, W}, KILN_F64) : NULL;
    kiln_expr *e = d ? ir_build(g, KILN_OP_EXP, &d, KILN_F64) : NULL;
    kiln_expr *sum = e ? ir_reduce(g, KILN_OP_SUM, e, -1, true) : NULL, *r = NULL, *t = NULL;
    if (sum && mode == 0) t = ir_build(g, KILN_OP_DIV, (kiln_expr *[]){one, sum}, KILN_F64), r = t ? ir_build(g, KILN_OP_MUL, (kiln_expr *[]){e, t}, KILN_F64) : NULL;
    if (sum && mode == 1) t = ir_build(g, KILN_OP_LOG, &sum, KILN_F64), r = t ? ir_build(g, KILN_OP_SUB, (kiln_expr *[]){d, t}, KILN_F64) : NULL;
    if (sum && mode == 2) t = ir_build(g, KILN_OP_LOG, &sum, KILN_F64), r = t ? ir_build(g, KILN_OP_ADD, (kiln_expr *[]){t, W}, KILN_F64) : NULL;
    kiln_expr *held[] = {zero, one, m, fin, W, d, e, sum, t};
    for (size_t i = 0; i < sizeof held / sizeof *held; i++) kiln_expr_free(held[i]);
    return r;
}

/* n as the backend will run it (ir_rebuild's substitution): lowered (see lowered) or kept. */
static kiln_status lower_node(void *ud, kiln_expr *n, kiln_expr *const *args, kiln_expr **out) {
    lowering *lw = ud;
    ir_graph *g = &lw->ctx->graph;
    if (!lowered(lw, n)) return KILN_OK;
    if (n->op == KILN_OP_SOFTMAX) {
        *out = rows_composed(g, args[0], n->keepdims);
        return *out ? KILN_OK : kiln_errcode(lw->ctx) != KILN_OK ? kiln_errcode(lw->ctx) : KILN_ERR_NOMEM;
    }
    kiln_expr *mm = args[0] == ir_arg(n, 0) && args[1] == ir_arg(n, 1) ? kiln_expr_retain(n) : ir_matmul(g, args[0], args[1]);
    if (!mm) return kiln_errcode(lw->ctx);
    *out = ir_matmul_as_reduction(g, mm); /* NULL without an error: not one of its shapes */
    kiln_expr_free(mm);
    return *out || kiln_errcode(lw->ctx) == KILN_OK ? KILN_OK : kiln_errcode(lw->ctx);
}

/* ------------------------------------------------------------------ materialize */

/* Whether node n has an array without a step of its own making one: an array or placeholder,
 * or a view (whose step makes a view array, not a computed one). */
static bool has_array(const kiln_expr *n) { return op_is_array_leaf(n->op) || kiln_op_kind[n->op] == KIND_VIEW; }

/* Marks (bit 1 of mat, by node id) the nodes that get arrays of their own, and (bit 4) the
 * broadcast constants that need no step. */
static void materialize(kiln_expr *const *roots, int nroots, kiln_expr **order, uint32_t n, uint8_t *mat, uint32_t *nviews) {
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
        if (!op_is_elementwise(x->op) && kiln_op_kind[x->op] != KIND_REDUCE) continue;
        for (int i = 0; i < 3; i++) {
            if (x->arg[i] == IR_NONE) continue;
            kiln_expr *c = ir_arg(x, i);
            int64_t big = ir_size(kiln_op_kind[x->op] == KIND_REDUCE ? c : x);
            if ((mat[c->id] & 2) && !op_is_leaf(c->op) && ir_size(c) * 4 <= big) mat[c->id] |= 1;
        }
    }
    for (uint32_t k = 0; k < n; k++) mat[order[k]->id] &= 1; /* from here on: 1 = gets an array */
    /* a constant broadcast by a view is read by kernels as the constant: it needs a view array
     * (and its constant an array) only where a step reads arrays, or as a root (8, for now) */
    for (int r = 0; r < nroots; r++) mat[roots[r]->id] |= 8;
    for (uint32_t k = 0; k < n; k++) {
        kiln_expr *x = order[k];
        int kind = kiln_op_kind[x->op];
        if (op_is_elementwise(x->op) || kind == KIND_REDUCE || kind == KIND_CONCAT || kind == KIND_EMBED) continue;
        for (int i = 0; i < 3; i++)
            if (x->arg[i] != IR_NONE) mat[x->arg[i]] |= 8;
    }
    *nviews = 0;
    for (uint32_t k = 0; k < n; k++) {
        kiln_expr *x = order[k];
        if (op_is_elementwise(x->op)) continue;
        switch (kiln_op_kind[x->op]) {
        case KIND_VIEW: /* a view array of its operand's; a root is copied out of it by a step */
            if (ir_free_broadcast(x) && !(mat[x->id] & 8)) { /* 4: no step, no array */
                mat[x->id] |= 4;
                break;
            }
            (*nviews)++;
            if (!has_array(ir_arg(x, 0))) mat[x->arg[0]] = 1;
            break;
        case KIND_REDUCE: /* folds its operand's region: fused */
        case KIND_CONCAT: /* writes its operands' regions into its halves: fused */
        case KIND_EMBED:  /* writes its operand's region into a view of its zeros: fused */
            mat[x->id] = 1;
            break;
        case KIND_SCAN:
        case KIND_ROWS:
        case KIND_LINALG:
        case KIND_MATMUL:
        case KIND_GATHER: /* reads its operands' arrays */
        case KIND_SCATTER:
            mat[x->id] = 1;
            for (int i = 0; i < 3; i++)
                if (x->arg[i] != IR_NONE && !has_array(ir_arg(x, i))) mat[x->arg[i]] = 1;
            break;
        default: KILN_ASSERT(0 && "a structural op the planner does not know");
        }
    }
    for (uint32_t k = 0; k < n; k++) mat[order[k]->id] &= 1 | 4;
}

/* Takes their arrays from concatenations that only another concatenation (along any axis) of
 * their dtype reads (np.concatenate of many arrays is a balanced tree of pairs; np.block's and
 * pad's blocks nest along several axes): the outermost one's step writes all their parts into
 * its own array (concat_parts), once each, where every level would copy them again. */
static kiln_status absorb_concats(kiln_ctx *ctx, kiln_expr *const *roots, int nroots, kiln_expr **order, uint32_t n, uint8_t *mat) {
    bool nested = false; /* (most plans have none: no count of uses to make) */
    for (uint32_t k = 0; k < n && !nested; k++)
        nested = order[k]->op == KILN_OP_CONCAT && (ir_arg(order[k], 0)->op == KILN_OP_CONCAT || ir_arg(order[k], 1)->op == KILN_OP_CONCAT);
    if (!nested) return KILN_OK;
    uint8_t *uses = kiln_calloc(ctx, ir_top(&ctx->graph)); /* 0, 1, or 2 for more */
    if (!uses) return KILN_ERR_NOMEM;
    for (int r = 0; r < nroots; r++) uses[roots[r]->id] = 2; /* a root keeps its array */
    for (uint32_t k = 0; k < n; k++)
        for (int i = 0; i < 3; i++)
            if (order[k]->arg[i] != IR_NONE && uses[order[k]->arg[i]] < 2) uses[order[k]->arg[i]]++;
    for (uint32_t k = 0; k < n; k++) {
        const kiln_expr *x = order[k];
        for (int i = 0; i < 2 && x->op == KILN_OP_CONCAT; i++) {
            const kiln_expr *c = ir_arg(x, i);
            if (c->op == KILN_OP_CONCAT && c->dtype == x->dtype && uses[c->id] == 1) mat[c->id] = 0;
        }
    }
    kiln_free(ctx, uses);
    return KILN_OK;
}

/* Instructions a fused kernel grows to before the planner cuts it: beyond this LLVM's
 * register allocation grows faster than linearly (a sum of 20000 terms took a minute to
 * compile as one kernel), and kernels this big gain nothing from being one. */
#define REGION_CAP 512

/* Gives an array to element-wise nodes where the region fused above them would pass
 * REGION_CAP instructions (counted as a tree: a shared node counts once per use, which only
 * cuts earlier). */
static kiln_status cap_regions(kiln_ctx *ctx, kiln_expr **order, uint32_t n, uint8_t *mat) {
    uint32_t *size = kiln_calloc(ctx, ir_top(&ctx->graph) * sizeof *size);
    if (!size) return KILN_ERR_NOMEM;
    for (uint32_t k = 0; k < n; k++) { /* operands before their users */
        kiln_expr *x = order[k];
        if (!op_is_elementwise(x->op)) continue;
        uint64_t sz = 1;
        for (int i = 0; i < 3; i++) {
            if (x->arg[i] == IR_NONE || (i > 0 && x->arg[i] == x->arg[0]) || (i > 1 && x->arg[i] == x->arg[1])) continue;
            const kiln_expr *c = ir_arg(x, i); /* x*x counts x once */
            if (op_is_elementwise(c->op) && !mat[c->id]) sz += size[c->id];
        }
        if (sz > REGION_CAP && !mat[x->id]) {
            mat[x->id] = 1; /* a kernel of its own; its users read its array */
            sz = 1;
        }
        size[x->id] = (uint32_t)(sz < UINT32_MAX ? sz : UINT32_MAX);
    }
    kiln_free(ctx, size);
    return KILN_OK;
}

/* ------------------------------------------------------------------ make_steps */

/* Fuses the aux step h of s: the element-wise region under root into a map. */
static kiln_status aux_map(kiln_ctx *ctx, rt_step *s, int h, kiln_expr *root, const uint8_t *mat) {
    rt_step *a = &s->aux[h];
    a->kind = RT_STEP_MAP;
    a->node = root;
    a->root = a->temp = a->epilogue = a->view = -1;
    pthread_mutex_init(&a->lock, NULL);
    kiln_status st = ir_fuse(&ctx->graph, root, mat, 0, &a->fk);
    if (st == KILN_OK && !(a->memo_layout = kiln_calloc(ctx, a->fk.kd.n_in + a->fk.kd.n_out + 1u))) st = KILN_ERR_NOMEM;
    return st;
}

/* A part of a concatenation and where it starts in the concatenation's output. */
typedef struct placed {
    kiln_expr *node;
    int64_t at[KILN_MAX_DIMS];
} placed;

/* Room for one more entry in *v (of *cap); false when out of memory. */
static bool placed_room(kiln_ctx *ctx, placed **v, int n, int *cap) {
    if (n < *cap) return true;
    placed *t = kiln_realloc(ctx, *v, (size_t)(*cap *= 2) * sizeof *t);
    if (t) *v = t;
    return t != NULL;
}

/* The aux steps of concatenation s: one a part, where the parts are the operands of s's node
 * and, in their place, of the concatenations absorbed into it (absorb_concats: no array of
 * their own; along s's axis or another, np.block's and pad's blocks), each written where it
 * starts in s's output (s->part_at). */
static kiln_status concat_parts(kiln_ctx *ctx, rt_step *s, const uint8_t *mat) {
    int n = 0, cap = 8, top = 0, scap = 8;
    placed *parts = kiln_malloc(ctx, (size_t)cap * sizeof *parts), *stack = kiln_malloc(ctx, (size_t)scap * sizeof *stack);
    kiln_status st = parts && stack ? KILN_OK : KILN_ERR_NOMEM;
    if (st == KILN_OK) stack[top++] = (placed){.node = s->node};
    while (st == KILN_OK && top) { /* depth first, the first operand first */
        placed c = stack[--top];
        if (c.node == s->node || (c.node->op == KILN_OP_CONCAT && !(mat[c.node->id] & 1))) {
            placed second = c;
            second.node = ir_arg(c.node, 1);
            second.at[c.node->axis] += ir_arg(c.node, 0)->shape[c.node->axis];
            c.node = ir_arg(c.node, 0);
            if (!placed_room(ctx, &stack, top + 1, &scap)) st = KILN_ERR_NOMEM;
            else stack[top++] = second, stack[top++] = c;
        } else if (!placed_room(ctx, &parts, n, &cap)) {
            st = KILN_ERR_NOMEM;
        } else {
            parts[n++] = c;
        }
    }
    if (st == KILN_OK && (!(s->aux = kiln_calloc(ctx, (size_t)n * sizeof *s->aux)) || !(s->part_at = kiln_malloc(ctx, (size_t)n * sizeof *s->part_at))))
        st = KILN_ERR_NOMEM;
    for (int h = 0; st == KILN_OK && h < n; h++) {
        memcpy(s->part_at[h], parts[h].at, sizeof parts[h].at);
        st = aux_map(ctx, s, h, parts[h].node, mat);
        s->naux = h + 1; /* (the ones made: freed with the step) */
    }
    kiln_free(ctx, parts);
    kiln_free(ctx, stack);
    return st;
}

/* np.linalg's functions that one factorization of the same matrix gives: their families. */
static int la_family(int fn) {
    switch (fn) {
    case KILN_LA_DET:
    case KILN_LA_SIGNDET:
    case KILN_LA_LOGDET: return 1;
    case KILN_LA_EIGVALSH:
    case KILN_LA_EIGVECSH: return 2;
    case KILN_LA_SVALS:
    case KILN_LA_SVD_U:
    case KILN_LA_SVD_VH: return 3;
    case KILN_LA_QR_Q:
    case KILN_LA_QR_R: return 4;
    default: return 0;
    }
}

/* Links LINALG steps of one operand whose functions one factorization gives (svd's u, s and vh
 * asked for together): the first computes all of them, the others are marked done.  Their flags
 * must agree (svd's s, which has none, goes with any). */
static void link_linalg(rt_plan *p) {
    for (int i = 0; i < p->nsteps; i++) {
        rt_step *s = &p->steps[i];
        if (s->kind != RT_STEP_LINALG || s->la_done || !la_family(s->node->keepdims)) continue;
        unsigned flags = s->node->keepdims == KILN_LA_SVALS ? ~0u : s->node->axes; /* ~0: none yet */
        bool have[KILN_LA_COUNT] = {false};
        have[s->node->keepdims] = true;
        for (int j = i + 1; j < p->nsteps && s->nla_also < 3; j++) {
            rt_step *o = &p->steps[j];
            const kiln_expr *on = o->node;
            if (o->kind != RT_STEP_LINALG || o->la_done || on->arg[0] != s->node->arg[0] || on->dtype != s->node->dtype ||
                la_family(on->keepdims) != la_family(s->node->keepdims) || have[on->keepdims])
                continue;
            bool any = on->keepdims == KILN_LA_SVALS;
            if (!any && flags != ~0u && on->axes != flags) continue;
            if (!any) flags = on->axes;
            have[on->keepdims] = true;
            o->la_done = true;
            s->la_also[s->nla_also++] = j;
        }
    }
}

static kiln_status make_steps(kiln_ctx *ctx, rt_plan *p, kiln_expr **order, uint32_t n, const uint8_t *mat, uint32_t nviews) {
    uint32_t nsteps = nviews;
    for (uint32_t k = 0; k < n; k++) nsteps += mat[order[k]->id] & 1;
    p->steps = kiln_calloc(ctx, nsteps * sizeof *p->steps);
    p->temps = kiln_malloc(ctx, (nsteps + 1) * sizeof *p->temps);
    p->views = kiln_malloc(ctx, (nviews + 1) * sizeof *p->views);
    if (!p->steps || !p->temps || !p->views) return KILN_ERR_NOMEM;
    for (uint32_t k = 0; k < n; k++) {
        kiln_expr *x = order[k];
        bool view = kiln_op_kind[x->op] == KIND_VIEW;
        for (int pass = 0; pass < 2; pass++) { /* a view's own step, then a copy step if it gets an array */
            if (pass == 0 && (!view || (mat[x->id] & 4))) continue;
            if (pass == 1 && !(mat[x->id] & 1)) continue;
            rt_step *s = &p->steps[p->nsteps];
            s->node = x;
            s->root = s->temp = s->epilogue = s->view = s->share_map = s->share_with = -1;
            pthread_mutex_init(&s->lock, NULL);
            p->nsteps++;
            kiln_status st = KILN_OK;
            if (pass == 0) {
                s->kind = x->op == KILN_OP_RESHAPE ? RT_STEP_RESHAPE : RT_STEP_VIEW;
                s->view = p->nviews;
                p->views[p->nviews++] = x;
                if (x->op == KILN_OP_RESHAPE) { /* the copy a non-contiguous operand needs: a map
                                                   reading the reshape's operand array (given
                                                   for x, its one input) */
                    if (!(s->aux = kiln_calloc(ctx, sizeof *s->aux))) return KILN_ERR_NOMEM;
                    s->naux = 1;
                    st = aux_map(ctx, s, 0, x, mat);
                }
                if (st != KILN_OK) return st;
                continue;
            }
            for (int r = 0; r < p->nroots && s->root < 0; r++)
                if (p->roots[r] == x) s->root = r;
            if (s->root < 0) {
                s->temp = p->ntemps;
                p->temps[p->ntemps++] = x;
            }
            switch (view ? KIND_ANY : kiln_op_kind[x->op]) {
            case KIND_REDUCE:
                s->kind = RT_STEP_REDUCE;
                st = ir_fuse(&ctx->graph, ir_arg(x, 0), mat, x->op, &s->fk);
                break;
            case KIND_MATMUL: s->kind = RT_STEP_MATMUL; break;
            case KIND_SCAN: s->kind = RT_STEP_SCAN; break;
            case KIND_ROWS: s->kind = RT_STEP_ROWS; break;
            case KIND_LINALG: s->kind = RT_STEP_LINALG; break;
            case KIND_GATHER: s->kind = RT_STEP_TAKE; break;
            case KIND_SCATTER: s->kind = RT_STEP_SCATTER; break;
            case KIND_EMBED:
                s->kind = RT_STEP_EMBED;
                if (!(s->aux = kiln_calloc(ctx, sizeof *s->aux))) return KILN_ERR_NOMEM;
                s->naux = 1;
                st = aux_map(ctx, s, 0, ir_arg(x, 0), mat);
                break;
            case KIND_CONCAT:
                s->kind = RT_STEP_CONCAT;
                st = concat_parts(ctx, s, mat);
                break;
            default:
                s->kind = RT_STEP_MAP;
                st = ir_fuse(&ctx->graph, x, mat, 0, &s->fk);
                break;
            }
            if (st != KILN_OK) return st;
            s->memo_layout = kiln_calloc(ctx, s->fk.kd.n_in + s->fk.kd.n_out + 1u);
            if (!s->memo_layout) return KILN_ERR_NOMEM;
        }
    }
    link_linalg(p);
    return KILN_OK;
}

/* ------------------------------------------------------------------ fuse_epilogues */

/* Makes the one matrix product a root's map reads, when it has the root's shape and dtype and
 * nothing else reads it, compute straight into the root's output with the map as epilogue. */
static void fuse_epilogues(rt_plan *p) {
    for (int i = 0; i < p->nsteps; i++) {
        rt_step *s = &p->steps[i];
        if (s->kind != RT_STEP_MAP || s->root < 0) continue;
        int found = -1, count = 0;
        for (int k = 0; k < s->fk.kd.n_in; k++)
            if (s->fk.inputs[k]->op == KILN_OP_MATMUL) {
                count++;
                found = step_of(p, s->fk.inputs[k]);
            }
        if (count != 1 || found < 0) continue;
        bool ready = true; /* the map's other inputs exist when the product runs */
        for (int k = 0; k < s->fk.kd.n_in && ready; k++)
            ready = step_of(p, s->fk.inputs[k]) <= found;
        if (!ready) continue;
        rt_step *m = &p->steps[found];
        const kiln_expr *mn = m->node, *sn = s->node;
        if (m->root >= 0 || mn->ndim != 2 || mn->dtype != sn->dtype || mn->ndim != sn->ndim ||
            memcmp(mn->shape, sn->shape, sizeof(int64_t) * 2) != 0 || readers(p, mn) != 1)
            continue;
        m->epilogue = i;
        m->root = s->root; /* the product is written where the root goes */
        m->temp = -1;
        s->in_epilogue = true;
    }
    p->ntemps = 0; /* renumber: products with an epilogue need none */
    for (int i = 0; i < p->nsteps; i++)
        if (p->steps[i].temp >= 0) {
            p->steps[i].temp = p->ntemps;
            p->temps[p->ntemps++] = p->steps[i].node;
        }
}

/* ------------------------------------------------------------------ fuse_shared */

/* A matrix smaller than this is read as fast the second time (it stays in L1 or L2): the steps
 * one by one are quicker.  Measured on the logistic step over X 20 × m (float64, two threads,
 * three alternating runs each): m = 1000 (160 KB) 10.7–11.4 µs by steps, 13.1 in one pass; m =
 * 2000 (320 KB) about even (20.7–24.0 and 21.0–22.0); m = 5000 (800 KB) 50–53 by steps, 34–43
 * in one pass; m = 50000 (8 MB) 0.46 ms an epoch in one pass against 0.62 by steps. */
#define SHARED_MIN_BYTES (512u << 10)

/* Whether n is X itself (an array, a placeholder, a view of one: read in place). */
static bool is_matrix_leaf(const kiln_expr *n) {
    return op_is_array_leaf(n->op) || (n->op == KILN_OP_VIEW && op_is_array_leaf(ir_arg(n, 0)->op));
}

/* Whether step s's kernel reads, column by column, only z (s1's product), v (the middle's row,
 * when given) and values computed before s1 (step index below i1) that are scalars or rows of
 * n, and reads z or v. */
static bool reads_columns(const rt_plan *p, const rt_step *s, const kiln_expr *z, const kiln_expr *v, int i1) {
    int64_t n = z->shape[1];
    bool reads_z = false;
    for (int k = 0; k < s->fk.kd.n_in; k++) {
        const kiln_expr *in = s->fk.inputs[k];
        if (in == z || (v && in == v)) {
            reads_z = true;
            continue;
        }
        if (step_of(p, in) >= i1) return false;
        int64_t sz = ir_size(in);
        bool row = sz == 1 || (in->ndim >= 1 && in->shape[in->ndim - 1] == n && sz == n);
        if (!row) return false;
    }
    return reads_z;
}

/* Whether map step m computes a (1, n) row from z and earlier values: column by column. */
static bool column_local(const rt_plan *p, const rt_step *m, const kiln_expr *z, int i1) {
    int64_t n = z->shape[1];
    if (m->node->ndim != 2 || m->node->shape[0] != 1 || m->node->shape[1] != n || m->node->dtype != z->dtype) return false;
    return reads_columns(p, m, z, NULL, i1);
}

/* Whether reduce step r folds a whole (1, n) row of z, v and earlier values into one value of
 * the row's dtype (sum, prod, max, min: the loss, sum(dz)). */
static bool row_reduction(const rt_plan *p, const rt_step *r, const kiln_expr *z, const kiln_expr *v, int i1) {
    const kiln_expr *x = ir_arg(r->node, 0);
    int op = r->node->op;
    if (op != KILN_OP_SUM && op != KILN_OP_PROD && op != KILN_OP_MAX && op != KILN_OP_MIN) return false;
    if (x->ndim != 2 || x->shape[0] != 1 || x->shape[1] != z->shape[1] || ir_size(r->node) != 1 || r->node->dtype != x->dtype) return false;
    return reads_columns(p, r, z, v, i1);
}

/* Finds z = a @ X, v = f(z, ...), dw = X @ v.T (or v @ X.T) over a matrix X too big for the
 * caches, and marks them to run in one pass over X (shared.c). */
static void fuse_shared(rt_plan *p) {
    for (int i1 = 0; i1 < p->nsteps; i1++) {
        rt_step *s1 = &p->steps[i1];
        if (s1->kind != RT_STEP_MATMUL || s1->epilogue >= 0 || s1->in_share) continue;
        const kiln_expr *z = s1->node, *a = ir_arg(z, 0), *X = ir_arg(z, 1);
        if (a->ndim != 2 || a->shape[0] != 1 || X->ndim != 2 || !is_matrix_leaf(X) || !dtype_is_float((kiln_dtype)z->dtype)) continue;
        if ((uint64_t)ir_size(X) * kiln_dtype_size((kiln_dtype)X->dtype) < SHARED_MIN_BYTES) continue;
        for (int im = i1 + 1; im < p->nsteps && s1->share_map < 0; im++) {
            rt_step *m = &p->steps[im];
            if (m->kind != RT_STEP_MAP || m->in_epilogue || m->in_share || !column_local(p, m, z, i1)) continue;
            for (int i2 = im + 1; i2 < p->nsteps; i2++) {
                rt_step *s2 = &p->steps[i2];
                if (s2->kind != RT_STEP_MATMUL || s2->in_share || s2->node->ndim != 2) continue;
                const kiln_expr *l = ir_arg(s2->node, 0), *r = ir_arg(s2->node, 1);
                bool hand = l == X && rt_is_transpose_of(r, m->node);  /* X @ v.T */
                bool derived = l == m->node && rt_is_transpose_of(r, X); /* v @ X.T, as grad writes it */
                if (!hand && !derived) continue;
                s1->share_map = im;
                s1->share_with = i2;
                m->in_share = s2->in_share = true;
                for (int ir = i1 + 1; ir < p->nsteps && s1->nshare_reds < RT_SHARE_REDS; ir++) {
                    rt_step *r = &p->steps[ir];
                    if (r->kind != RT_STEP_REDUCE || r->in_share || !row_reduction(p, r, z, m->node, i1)) continue;
                    s1->share_reds[s1->nshare_reds++] = ir;
                    r->in_share = true;
                }
                break;
            }
        }
    }
}

/* ------------------------------------------------------------------ the pipeline */

static void debug_print(const rt_plan *p) {
    kstr b = {0};
    for (int i = 0; i < p->nsteps; i++) {
        const rt_step *s = &p->steps[i];
        if (s->kind == RT_STEP_MATMUL) kstr_printf(&b, "matmul%s\n", s->epilogue >= 0 ? " with epilogue:" : "");
        else kd_print(&s->fk.kd, &b);
    }
    if (b.s) fprintf(stderr, "kiln: fused into %d steps:\n%s", p->nsteps, b.s);
    kstr_free(&b);
}

static bool has_to_lower(const lowering *lw, kiln_expr **order, uint32_t n) {
    for (uint32_t k = 0; k < n; k++)
        if (lowered(lw, order[k])) return true;
    return false;
}

rt_plan *rt_plan_build(kiln_ctx *ctx, kiln_expr *const *roots, int nroots) {
    uint64_t t0 = kiln_now_ns();
    ir_graph *g = &ctx->graph;
    lowering lw = {.ctx = ctx};
    unsigned gen = atomic_load(&ctx->generation);
    int backend = ctx->backend;
    if (!(lw.be = rt_backend(ctx, &lw.state))) return NULL;
    rt_plan *p = kiln_calloc(ctx, sizeof *p);
    kiln_expr **order = NULL;
    uint8_t *mat = NULL;
    uint32_t n = 0, nviews = 0;
    kiln_status st = p ? KILN_OK : KILN_ERR_NOMEM;
    if (st == KILN_OK) {
        p->generation = gen;
        p->backend = backend;
        p->nroots = nroots;
        p->roots = kiln_calloc(ctx, (size_t)nroots * sizeof *p->roots);
        p->owned = kiln_calloc(ctx, (size_t)nroots * sizeof *p->owned);
        st = p->roots && p->owned ? ir_walk(g, roots, nroots, NULL, NULL, &order, &n) : KILN_ERR_NOMEM;
    }
    if (st == KILN_OK && has_to_lower(&lw, order, n)) { /* lower */
        kiln_free(ctx, order);
        order = NULL;
        st = ir_rebuild(g, roots, nroots, lower_node, &lw, p->roots);
        for (int r = 0; st == KILN_OK && r < nroots; r++) {
            if (p->roots[r] != roots[r]) p->owned[r] = p->roots[r];
            else kiln_expr_free(p->roots[r]); /* the caller's own: borrowed */
        }
        if (st == KILN_OK) st = ir_walk(g, p->roots, nroots, NULL, NULL, &order, &n);
    } else if (st == KILN_OK) {
        for (int r = 0; r < nroots; r++) p->roots[r] = roots[r];
    }
    if (st == KILN_OK && !(mat = kiln_calloc(ctx, ir_top(g)))) st = KILN_ERR_NOMEM;
    if (st == KILN_OK && !(p->leaves = kiln_malloc(ctx, (n + 1) * sizeof *p->leaves))) st = KILN_ERR_NOMEM;
    for (uint32_t k = 0; st == KILN_OK && k < n; k++)
        if (op_is_array_leaf(order[k]->op)) p->leaves[p->nleaves++] = order[k];
    if (st == KILN_OK) materialize(p->roots, nroots, order, n, mat, &nviews);
    if (st == KILN_OK) st = absorb_concats(ctx, p->roots, nroots, order, n, mat);
    if (st == KILN_OK) st = cap_regions(ctx, order, n, mat);
    if (st == KILN_OK) st = make_steps(ctx, p, order, n, mat, nviews);
    if (st == KILN_OK) st = index_plan(ctx, p);
    if (st == KILN_OK) fuse_epilogues(p);
    if (st == KILN_OK) fuse_shared(p);
    kiln_free(ctx, order);
    kiln_free(ctx, mat);
    if (st != KILN_OK) {
        if (kiln_errcode(ctx) != st) kiln_fail(ctx, st, "out of memory while planning");
        rt_plan_free(ctx, p);
        return NULL;
    }
    if (rt_debug("fuse")) debug_print(p);
    atomic_fetch_add(&ctx->st.ns_fuse, kiln_now_ns() - t0);
    atomic_fetch_add(&ctx->st.plans, 1);
    return p;
}

void rt_plan_release(kiln_ctx *ctx, rt_plan *p) {
    if (p && atomic_fetch_sub(&p->refs, 1) == 1) rt_plan_free(ctx, p);
}


/* Empties cache entry e; its plan is returned to be released outside the context's lock (a plan
 * freed releases nodes, and nodes freed release arrays, which take that lock). */
static rt_plan *many_take(kiln_ctx *ctx, struct rt_many *e) {
    rt_plan *p = e->plan;
    kiln_free(ctx, e->roots);
    kiln_free(ctx, e->serials);
    memset(e, 0, sizeof *e);
    return p;
}

void rt_plan_cache_clear(kiln_ctx *ctx) {
    for (int i = 0; i < RT_MANY_PLANS; i++)
        if (ctx->many[i].plan) rt_plan_release(ctx, many_take(ctx, &ctx->many[i]));
}

rt_plan *rt_plan_many(kiln_ctx *ctx, kiln_expr *const *roots, int n) {
    unsigned gen = atomic_load(&ctx->generation);
    rt_plan *drop[RT_MANY_PLANS + 1];
    int ndrop = 0;
    pthread_mutex_lock(&ctx->lock);
    /* entries whose roots are gone, or made for another backend, go first: a plan must not keep
     * the arrays its lowered graph reads alive after the caller let go of everything */
    pthread_mutex_lock(&ctx->graph.lock);
    for (int i = 0; i < RT_MANY_PLANS; i++) {
        struct rt_many *e = &ctx->many[i];
        bool dead = e->plan && e->plan->generation != gen;
        for (int r = 0; e->plan && !dead && r < e->n; r++) dead = e->roots[r]->serial != e->serials[r] || e->roots[r]->refs == 0;
        if (dead) drop[ndrop++] = many_take(ctx, e);
    }
    pthread_mutex_unlock(&ctx->graph.lock);
    struct rt_many *hit = NULL, *lru = &ctx->many[0];
    for (int i = 0; i < RT_MANY_PLANS && !hit; i++) {
        struct rt_many *e = &ctx->many[i];
        if (!e->plan) {
            lru = e;
            continue;
        }
        bool same = e->n == n;
        for (int r = 0; same && r < n; r++) same = e->roots[r] == roots[r] && e->serials[r] == roots[r]->serial;
        if (same) hit = e;
        else if (lru->plan && e->used < lru->used) lru = e;
    }
    rt_plan *p = NULL;
    if (hit) {
        hit->used = ++ctx->many_tick;
        p = hit->plan;
        atomic_fetch_add(&p->refs, 1);
    }
    pthread_mutex_unlock(&ctx->lock);
    for (int i = 0; i < ndrop; i++) rt_plan_release(ctx, drop[i]);
    ndrop = 0;
    if (p) return p;
    if (!(p = rt_plan_build(ctx, roots, n))) return NULL;
    atomic_store(&p->refs, 1); /* the caller's */
    kiln_expr **rs = kiln_malloc(ctx, (size_t)n * sizeof *rs);
    uint64_t *ss = kiln_malloc(ctx, (size_t)n * sizeof *ss);
    if (!rs || !ss) { /* not kept: the run still goes */
        kiln_free(ctx, rs);
        kiln_free(ctx, ss);
        return p;
    }
    for (int r = 0; r < n; r++) {
        rs[r] = roots[r];
        ss[r] = roots[r]->serial;
    }
    pthread_mutex_lock(&ctx->lock);
    lru = &ctx->many[0]; /* (another thread may have changed the table meanwhile) */
    for (int i = 1; i < RT_MANY_PLANS && lru->plan; i++)
        if (!ctx->many[i].plan || ctx->many[i].used < lru->used) lru = &ctx->many[i];
    if (lru->plan) drop[ndrop++] = many_take(ctx, lru); /* the least recently used (its runs keep theirs) */
    *lru = (struct rt_many){.plan = p, .n = n, .roots = rs, .serials = ss, .used = ++ctx->many_tick};
    atomic_fetch_add(&p->refs, 1); /* the cache's */
    pthread_mutex_unlock(&ctx->lock);
    for (int i = 0; i < ndrop; i++) rt_plan_release(ctx, drop[i]);
    return p;
}

rt_plan *rt_plan_get(kiln_ctx *ctx, kiln_expr *e) {
    rt_plan *p = atomic_load_explicit(&e->memo, memory_order_acquire);
    if (p && p->generation == atomic_load(&ctx->generation)) return p;
    rt_plan *fresh = rt_plan_build(ctx, &e, 1);
    if (!fresh) return NULL;
    void *expected = p;
    if (!atomic_compare_exchange_strong(&e->memo, &expected, fresh)) { /* another thread won */
        rt_plan_free(ctx, fresh);
        return expected;
    }
    rt_plan_free(ctx, p); /* a plan for an earlier backend (switched while nothing ran) */
    return fresh;
}
