/*
 * walk.c — the one topological walk, and the passes built on it: rebuilding a graph with some
 * nodes substituted (the planner's lowering of products, views pushed down to arrays), and
 * the printer.
 *
 * Pipeline position: under every pass that visits a graph — fusion (ir/fuse.c), planning
 * (runtime/plan.c), printing — so that "operands before users, each node once, no recursion"
 * is written once.
 */
#include <string.h>

#include "graph.h"

/* ------------------------------------------------------------------ the walk */

kiln_status ir_walk(ir_graph *g, kiln_expr *const *roots, int n, bool (*stop)(void *ud, const kiln_expr *node),
                    void *ud, kiln_expr ***order_out, uint32_t *count) {
    uint32_t top = ir_top(g); /* every node reachable from a held root has a smaller id */
    *order_out = NULL;
    *count = 0;
    /* one block: the order (returned), the stack, each node's state (1 pushed, 2 listed) */
    kiln_expr **order = kiln_malloc(g->ctx, (size_t)top * (2 * sizeof *order + 1));
    if (!order) return KILN_ERR_NOMEM;
    kiln_expr **stk = order + top;
    uint8_t *state = (uint8_t *)(stk + top);
    memset(state, 0, top);
    uint32_t c = 0;
    for (int r = 0; r < n; r++) {
        if (state[roots[r]->id]) continue;
        uint32_t sp = 0;
        stk[sp++] = roots[r];
        state[roots[r]->id] = 1;
        while (sp) {
            kiln_expr *x = stk[sp - 1];
            bool pushed = false;
            if (!stop || !stop(ud, x)) {
                for (int i = 0; i < 3 && !pushed; i++) {
                    if (x->arg[i] == IR_NONE || state[x->arg[i]]) continue;
                    state[x->arg[i]] = 1;
                    stk[sp++] = ir_arg(x, i); /* each node is pushed once: sp stays below top */
                    pushed = true;
                }
            }
            if (pushed) continue;
            sp--;
            state[x->id] = 2;
            order[c++] = x;
        }
    }
    *order_out = order;
    *count = c;
    return KILN_OK;
}

/* ------------------------------------------------------------------ rebuilding */

/* n rebuilt from operands args (new nodes, in n's slots): the same op with the same
 * parameters; n itself when the operands are n's own. */
static kiln_expr *rebuild_one(ir_graph *g, kiln_expr *n, kiln_expr *const *args) {
    bool same = true;
    for (int i = 0; i < 3; i++)
        if (n->arg[i] != IR_NONE && args[i] != ir_arg(n, i)) same = false;
    if (same) {
        ir_retain(n);
        return n;
    }
    if (op_is_elementwise(n->op)) return ir_build(g, (kiln_op)n->op, args, (kiln_dtype)n->dtype);
    ir_viewmap m;
    switch (kiln_op_kind[n->op]) {
    case KIND_REDUCE: return ir_reduce_axes(g, (kiln_op)n->op, args[0], n->axes, n->keepdims);
    case KIND_SCAN: {
        int64_t lo, hi;
        return ir_partition_ranks(n, &lo, &hi) ? ir_partition(g, (kiln_op)n->op, args[0], n->axis, lo, hi) : ir_scan(g, (kiln_op)n->op, args[0], n->axis);
    }
    case KIND_MATMUL: return ir_matmul(g, args[0], args[1]);
    case KIND_VIEW:
        if (n->op == KILN_OP_RESHAPE) return ir_reshape(g, args[0], n->ndim, n->shape);
        ir_view_of(n, &m);
        return ir_view(g, args[0], &m);
    case KIND_CONCAT: return ir_concat(g, args[0], args[1], n->axis);
    case KIND_GATHER:
        if (n->op == KILN_OP_SEARCH) return ir_search(g, args[0], args[1], n->keepdims);
        return n->keepdims == 2 ? ir_take_pair(g, args[0], args[1], args[2], n->axis, n->val.i64)
                                : ir_take(g, args[0], args[1], n->axis, n->keepdims, n->val.i64);
    case KIND_EMBED: ir_embed_of(n, &m); return ir_embed(g, args[0], &m, n->ndim, n->shape);
    case KIND_SCATTER:
        return n->axes & IR_SCATTER_AT ? ir_scatter_at(g, args[0], args[1], args[2], n->keepdims, n->ndim, n->shape, ir_scatter_combine(n->axes), (kiln_dtype)n->dtype)
                                       : ir_scatter(g, args[0], args[1], args[2], n->axis, n->keepdims, n->ndim, n->shape);
    case KIND_ROWS: return ir_rows(g, args[0], n->keepdims);
    case KIND_LINALG: return ir_linalg(g, n->keepdims, args[0], n->arg[1] != IR_NONE ? args[1] : NULL, n->axes);
    default: break;
    }
    KILN_ASSERT(0 && "a structural op rebuild_one does not know");
    return NULL;
}

kiln_status ir_rebuild(ir_graph *g, kiln_expr *const *roots, int n, ir_subst_fn sub, void *ud, kiln_expr **out) {
    return ir_rebuild_until(g, roots, n, NULL, sub, ud, out);
}

kiln_status ir_rebuild_until(ir_graph *g, kiln_expr *const *roots, int n, bool (*stop)(void *ud, const kiln_expr *node), ir_subst_fn sub, void *ud,
                             kiln_expr **out) {
    kiln_expr **order;
    uint32_t count;
    if (ir_walk(g, roots, n, stop, ud, &order, &count) != KILN_OK) return kiln_fail(g->ctx, KILN_ERR_NOMEM, "out of memory");
    uint32_t top = ir_top(g);
    kiln_expr **memo = kiln_calloc(g->ctx, (size_t)top * sizeof *memo);
    kiln_status st = memo ? KILN_OK : KILN_ERR_NOMEM;
    for (uint32_t k = 0; k < count && st == KILN_OK; k++) {
        kiln_expr *x = order[k], *args[3] = {NULL, NULL, NULL}, *r = NULL;
        bool below = !stop || !stop(ud, x); /* (its operands walked and rebuilt) */
        for (int i = 0; below && i < 3; i++)
            if (x->arg[i] != IR_NONE) args[i] = memo[x->arg[i]];
        st = sub ? sub(ud, x, args, &r) : KILN_OK;
        if (st == KILN_OK && !r) r = below ? rebuild_one(g, x, args) : (ir_retain(x), x);
        if (st == KILN_OK && !r) st = kiln_errcode(g->ctx) != KILN_OK ? kiln_errcode(g->ctx) : KILN_ERR_NOMEM;
        memo[x->id] = r; /* ids here are below top: x was alive before the walk */
    }
    for (int r = 0; r < n && st == KILN_OK; r++) {
        out[r] = memo[roots[r]->id];
        ir_retain(out[r]);
    }
    for (uint32_t k = 0; memo && k < count; k++)
        if (memo[order[k]->id]) ir_release(memo[order[k]->id]);
    kiln_free(g->ctx, memo);
    kiln_free(g->ctx, order);
    if (st == KILN_ERR_NOMEM && kiln_errcode(g->ctx) != KILN_ERR_NOMEM) kiln_fail(g->ctx, st, "out of memory");
    return st;
}

/* ------------------------------------------------------------------ printer */

static void print_scalar(kstr *b, kiln_dtype dt, kscalar v) {
    switch (dt) {
    case KILN_BOOL: kstr_puts(b, v.b ? "True" : "False"); break;
    case KILN_F32: kstr_printf(b, "%.9g", v.f32); break;
    case KILN_F64: kstr_printf(b, "%.17g", v.f64); break;
    default: kstr_printf(b, "%lld", (long long)kscalar_int(dt, v)); break;
    }
}

static void print_node(const kiln_expr *n, kstr *b) {
    int64_t lo, hi;
    kstr_printf(b, "%%%u = %s", n->id, kiln_op_name((kiln_op)n->op));
    if (n->op == KILN_OP_CONST) {
        kstr_printf(b, " ");
        print_scalar(b, (kiln_dtype)n->dtype, n->val);
        if (n->weak) kstr_printf(b, " (weak)");
    } else if (n->op == KILN_OP_VAR || n->op == KILN_OP_PARAM) {
        kstr_printf(b, " %p", (void *)n->leaf);
        if (n->op == KILN_OP_PARAM) kstr_printf(b, " #%llu", (unsigned long long)n->val.bits);
    } else if (kiln_op_kind[n->op] == KIND_REDUCE) {
        const kiln_expr *x = ir_arg(n, 0);
        if (n->axes == (x->ndim ? (1u << x->ndim) - 1 : 0)) kstr_printf(b, " (all axes%s)", n->keepdims ? ", keepdims" : "");
        else {
            kstr_printf(b, " (axis");
            for (int d = 0; d < x->ndim; d++)
                if (ir_reduces(n, d)) kstr_printf(b, " %d", d);
            kstr_printf(b, "%s)", n->keepdims ? ", keepdims" : "");
        }
    } else if (n->op == KILN_OP_SEARCH) {
        kstr_printf(b, n->keepdims == IR_SEARCH_FOUND ? " (found)" : n->keepdims ? " (side right)" : " (side left)");
    } else if (ir_partition_ranks(n, &lo, &hi)) {
        kstr_printf(b, " (axis %d, partition by ranks %lld..%lld)", n->axis, (long long)lo, (long long)hi);
    } else if (kiln_op_kind[n->op] == KIND_SCAN || kiln_op_kind[n->op] == KIND_CONCAT || kiln_op_kind[n->op] == KIND_GATHER ||
               kiln_op_kind[n->op] == KIND_SCATTER) {
        kstr_printf(b, " (axis %d%s)", n->axis, n->keepdims == 2 ? ", pair" : n->keepdims ? ", along" : "");
    } else if (n->op == KILN_OP_SOFTMAX) {
        static const char *const mode[] = {"softmax", "log_softmax", "logsumexp"};
        kstr_printf(b, " (%s along axis %d)", mode[n->keepdims], n->axis);
    } else if (n->op == KILN_OP_LINALG) {
        static const char *const part[KILN_LA_COUNT] = {[KILN_LA_SIGNDET] = " sign", [KILN_LA_LOGDET] = " logabsdet",
                                                        [KILN_LA_EIGVALSH] = " values", [KILN_LA_EIGVECSH] = " vectors",
                                                        [KILN_LA_SVALS] = " s", [KILN_LA_SVD_U] = " u", [KILN_LA_SVD_VH] = " vh",
                                                        [KILN_LA_QR_Q] = " q", [KILN_LA_QR_R] = " r"};
        kstr_printf(b, " (%s%s%s%s)", linalg_fn_name(n->keepdims), part[n->keepdims] ? part[n->keepdims] : "",
                    n->axes & KILN_LA_FULL ? ", full" : "", n->axes & KILN_LA_UPPER ? ", upper" : "");
    } else if (n->op == KILN_OP_VIEW || n->op == KILN_OP_EMBED) {
        kstr_printf(b, " [");
        for (int d = 0; d < (n->op == KILN_OP_VIEW ? n->ndim : ir_arg(n, 0)->ndim); d++) {
            if (n->vsrc[d] < 0) kstr_printf(b, "%snew", d ? ", " : "");
            else kstr_printf(b, "%s%d:%lld:%lld", d ? ", " : "", n->vsrc[d], (long long)n->vstart[d], (long long)n->vstep[d]);
        }
        kstr_printf(b, "]");
    }
    for (int i = 0; i < 3; i++)
        if (n->arg[i] != IR_NONE) kstr_printf(b, "%s%%%u", i ? ", " : " ", n->arg[i]);
    kstr_printf(b, " : %s[", kiln_dtype_name((kiln_dtype)n->dtype));
    for (int d = 0; d < n->ndim; d++) kstr_printf(b, "%s%lld", d ? "," : "", (long long)n->shape[d]);
    kstr_printf(b, "]\n");
}

void ir_print(const kiln_expr *root, kstr *b) {
    kiln_expr **order;
    uint32_t count;
    kiln_expr *r = (kiln_expr *)root;
    if (ir_walk(root->g, &r, 1, NULL, NULL, &order, &count) != KILN_OK) {
        b->oom = true;
        return;
    }
    for (uint32_t k = 0; k < count; k++) print_node(order[k], b);
    kiln_free(root->g->ctx, order);
}
