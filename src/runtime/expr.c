/*
 * expr.c — the public expression builders: kiln.h's API bound to the context's graph.
 *
 * Pipeline position: the door to the first stage.  Each builder checks its context, then hands
 * its operands to the IR (ir/graph.c), which applies NumPy's rules and hash-conses the node;
 * arrays become VAR leaves whose lifetime the graph manages through the context's hooks.
 */
#include <math.h>
#include <string.h>

#include "ctx.h"

#define G (&ctx->graph)
#define ARGCHK(ctx) \
    if (!(ctx)) return NULL

kiln_expr *kiln_var(kiln_ctx *ctx, kiln_array *a) {
    ARGCHK(ctx);
    if (!a) {
        if (kiln_errcode(ctx) == KILN_OK) kiln_fail(ctx, KILN_ERR_ARG, "kiln_var: array is NULL");
        return NULL;
    }
    if (a->ctx != ctx) {
        kiln_fail(ctx, KILN_ERR_ARG, "kiln_var: array belongs to another context");
        return NULL;
    }
    return ir_var(G, a, (kiln_dtype)a->dtype, a->ndim, a->shape, a->strides, a->data);
}

kiln_array *kiln_expr_array(const kiln_expr *e) { return e && op_is_array_leaf(e->op) ? e->leaf : NULL; }

/* ------------------------------------------------------------------ placeholders */

kiln_expr *kiln_param(kiln_ctx *ctx, kiln_dtype dt, int ndim, const int64_t *shape) {
    ARGCHK(ctx);
    if (!dtype_valid(dt)) {
        kiln_fail(ctx, KILN_ERR_ARG, "kiln_param: invalid dtype %d", (int)dt);
        return NULL;
    }
    if (ndim < 0 || ndim > KILN_MAX_DIMS || (ndim && !shape)) {
        kiln_fail(ctx, KILN_ERR_ARG, "kiln_param: rank %d (0..%d) with a shape", ndim, KILN_MAX_DIMS);
        return NULL;
    }
    int64_t count;
    if (rt_shape_check(ctx, "kiln_param", dt, ndim, shape, &count) != KILN_OK) return NULL;
    return ir_param(G, dt, ndim, shape);
}

kiln_status kiln_bind(kiln_ctx *ctx, kiln_expr *param, kiln_array *a) {
    if (!ctx) return KILN_ERR_ARG;
    if (!param) return kiln_fail(ctx, KILN_ERR_ARG, "kiln_bind: the placeholder is NULL");
    if (param->op != KILN_OP_PARAM || param->g != G) return kiln_fail(ctx, KILN_ERR_ARG, "kiln_bind: not a placeholder of this context");
    if (a && a->ctx != ctx) return kiln_fail(ctx, KILN_ERR_ARG, "kiln_bind: the array belongs to another context");
    if (a && (a->dtype != param->dtype || a->ndim != param->ndim || memcmp(a->shape, param->shape, (size_t)a->ndim * sizeof *a->shape)))
        return kiln_fail(ctx, a->dtype != param->dtype ? KILN_ERR_DTYPE : KILN_ERR_SHAPE, "kiln_bind: the placeholder is %s%s, the array %s%s",
                         kiln_dtype_name((kiln_dtype)param->dtype), rt_shape_str(param->ndim, param->shape).s,
                         kiln_dtype_name((kiln_dtype)a->dtype), rt_shape_str(a->ndim, a->shape).s);
    if (a) kiln_array_retain(a);
    pthread_mutex_lock(&G->lock);
    kiln_array *old = param->leaf;
    param->leaf = a;
    pthread_mutex_unlock(&G->lock);
    kiln_array_free(old);
    return KILN_OK;
}

kiln_expr *kiln_scalar(kiln_ctx *ctx, double v) {
    ARGCHK(ctx);
    return ir_const(G, KILN_F64, (kscalar){.f64 = v}, true);
}
kiln_expr *kiln_int(kiln_ctx *ctx, int64_t v) {
    ARGCHK(ctx);
    return ir_const(G, KILN_I64, (kscalar){.i64 = v}, true);
}
kiln_expr *kiln_bool(kiln_ctx *ctx, int v) {
    ARGCHK(ctx);
    return ir_const(G, KILN_BOOL, (kscalar){.b = v != 0}, true);
}
/* A typed (strong) constant of dtype dt: v, of dtype from, converted as astype would. */
static kiln_expr *typed_const(kiln_ctx *ctx, const char *fn, kiln_dtype dt, kscalar v, kiln_dtype from) {
    ARGCHK(ctx);
    if (!dtype_valid(dt)) {
        kiln_fail(ctx, KILN_ERR_ARG, "%s: invalid dtype %d", fn, (int)dt);
        return NULL;
    }
    /* an integer dtype takes a number it holds (truncated), as np.int32(v): NaN, inf and numbers
     * past its range are NumPy's errors, not a wrapped value */
    int64_t ilo, ihi;
    dtype_int_bounds(dt, &ilo, &ihi);
    double lo = dt == KILN_I64 ? -0x1p63 : (double)ilo, hi = dt == KILN_I64 ? 0x1p63 : (double)ihi;
    bool out = dtype_is_int(dt)
                   ? (from == KILN_F64 ? !(trunc(v.f64) >= lo && (dt != KILN_I64 ? trunc(v.f64) <= hi : trunc(v.f64) < hi))
                                       : dt != KILN_I64 && (v.i64 < lo || v.i64 > hi))
                   : false;
    if (out) {
        if (from == KILN_F64) kiln_fail(ctx, KILN_ERR_DTYPE, "%s: %.17g is out of bounds for %s", fn, v.f64, kiln_dtype_name(dt));
        else kiln_fail(ctx, KILN_ERR_DTYPE, "%s: %lld is out of bounds for %s", fn, (long long)v.i64, kiln_dtype_name(dt));
        return NULL;
    }
    return ir_const(G, dt, ref_cast(v, from, dt), false);
}
kiln_expr *kiln_const(kiln_ctx *ctx, kiln_dtype dt, double v) {
    return typed_const(ctx, "kiln_const", dt, (kscalar){.f64 = v}, KILN_F64);
}
kiln_expr *kiln_const_i64(kiln_ctx *ctx, kiln_dtype dt, int64_t v) {
    return typed_const(ctx, "kiln_const_i64", dt, (kscalar){.i64 = v}, KILN_I64);
}
kiln_expr *kiln_cast(kiln_ctx *ctx, kiln_expr *x, kiln_dtype dt) {
    ARGCHK(ctx);
    return ir_build(G, KILN_OP_CAST, &x, dt);
}

kiln_expr *kiln_apply(kiln_ctx *ctx, kiln_op op, kiln_expr *const *args) {
    ARGCHK(ctx);
    if (op == KILN_OP_MATMUL && args) return ir_matmul(G, args[0], args[1]);
    if (!args) {
        kiln_fail(ctx, KILN_ERR_ARG, "kiln_apply: args is NULL");
        return NULL;
    }
    if ((unsigned)op >= KILN_OP_COUNT || op <= KILN_OP_CAST || !op_is_elementwise(op)) {
        kiln_fail(ctx, KILN_ERR_ARG, "kiln_apply: op %d is not an element-wise op", (int)op);
        return NULL;
    }
    return ir_build(G, op, args, KILN_BOOL);
}

#define X1(b, E)                                                           \
    kiln_expr *kiln_##b(kiln_ctx *ctx, kiln_expr *x) {                     \
        ARGCHK(ctx);                                                       \
        return ir_build(G, KILN_OP_##E, (kiln_expr *[]){x}, KILN_BOOL);    \
    }
#define X2(b, E)                                                           \
    kiln_expr *kiln_##b(kiln_ctx *ctx, kiln_expr *x, kiln_expr *y) {       \
        ARGCHK(ctx);                                                       \
        return ir_build(G, KILN_OP_##E, (kiln_expr *[]){x, y}, KILN_BOOL); \
    }
#define X3(b, E)                                                                 \
    kiln_expr *kiln_##b(kiln_ctx *ctx, kiln_expr *x, kiln_expr *y, kiln_expr *z) { \
        ARGCHK(ctx);                                                             \
        return ir_build(G, KILN_OP_##E, (kiln_expr *[]){x, y, z}, KILN_BOOL);    \
    }
#define X(E, b, np, ar, k, sp, cf) X##ar(b, E)
KILN_OPS(X)
#undef X

#define X(E, b, np, k) X_##k(b, E)
#define X_REDUCE(b, E)                                                                   \
    kiln_expr *kiln_##b(kiln_ctx *ctx, kiln_expr *x, int axis, int keepdims) {           \
        ARGCHK(ctx);                                                                     \
        return ir_reduce(G, KILN_OP_##E, x, axis, keepdims != 0);                        \
    }
#define X_SCAN(b, E)                                                  \
    kiln_expr *kiln_##b(kiln_ctx *ctx, kiln_expr *x, int axis) {      \
        ARGCHK(ctx);                                                  \
        return ir_scan(G, KILN_OP_##E, x, axis);                      \
    }
#define X_MATMUL(b, E)
#define X_VIEW(b, E)
#define X_CONCAT(b, E)
#define X_GATHER(b, E)
#define X_EMBED(b, E)
#define X_SCATTER(b, E)
#define X_ROWS(b, E)
#define X_LINALG(b, E)
KILN_STRUCT_OPS(X)
#undef X

kiln_expr *kiln_partition(kiln_ctx *ctx, kiln_expr *x, int64_t lo, int64_t hi, int axis) {
    ARGCHK(ctx);
    return ir_partition(G, KILN_OP_SORT, x, axis, lo, hi);
}

kiln_expr *kiln_argpartition(kiln_ctx *ctx, kiln_expr *x, int64_t lo, int64_t hi, int axis) {
    ARGCHK(ctx);
    return ir_partition(G, KILN_OP_ARGSORT, x, axis, lo, hi);
}

kiln_expr *kiln_linalg(kiln_ctx *ctx, kiln_linalg_fn fn, kiln_expr *a, kiln_expr *b, unsigned flags) {
    ARGCHK(ctx);
    return ir_linalg(G, (int)fn, a, b, flags & (KILN_LA_FULL | KILN_LA_UPPER));
}

/* Whether axes, a mask of the public builders, fits x: KILN_EVERY_AXIS, or bits of x's axes
 * only (NumPy's AxisError for another). */
static bool axes_fit(kiln_ctx *ctx, const char *fn, const kiln_expr *x, unsigned axes) {
    if (!x || axes == KILN_EVERY_AXIS || x->ndim >= 32 || !(axes >> x->ndim)) return true;
    if (axes == (unsigned)KILN_ALL_AXES) {
        kiln_fail(ctx, KILN_ERR_ARG, "%s: axes is a bit mask (bit d for axis d; KILN_EVERY_AXIS for all of them), not KILN_ALL_AXES", fn);
        return false;
    }
    kiln_fail(ctx, KILN_ERR_ARG, "%s: axis %d is out of bounds for array of dimension %d", fn, __builtin_ctz(axes >> x->ndim) + x->ndim, x->ndim);
    return false;
}

kiln_expr *kiln_reduce_axes(kiln_ctx *ctx, kiln_op op, kiln_expr *x, unsigned axes, int keepdims) {
    ARGCHK(ctx);
    if ((unsigned)op >= KILN_OP_COUNT || kiln_op_kind[op] != KIND_REDUCE) {
        kiln_fail(ctx, KILN_ERR_ARG, "kiln_reduce_axes: op %d is not a reduction", (int)op);
        return NULL;
    }
    return axes_fit(ctx, kiln_op_name(op), x, axes) ? ir_reduce_axes(G, op, x, axes, keepdims != 0) : NULL;
}

kiln_expr *kiln_reduce(kiln_ctx *ctx, kiln_op op, kiln_expr *x, int axis, int keepdims) {
    ARGCHK(ctx);
    if ((unsigned)op >= KILN_OP_COUNT || kiln_op_kind[op] != KIND_REDUCE) {
        kiln_fail(ctx, KILN_ERR_ARG, "kiln_reduce: op %d is not a reduction", (int)op);
        return NULL;
    }
    return ir_reduce(G, op, x, axis, keepdims != 0);
}

kiln_expr *kiln_mean(kiln_ctx *ctx, kiln_expr *x, int axis, int keepdims) {
    ARGCHK(ctx);
    unsigned mask;
    if (!ir_check_operand(G, x, "mean", 1) || !ir_axis_mask(G, "mean", axis, x->ndim, &mask)) return NULL;
    return ir_mean(G, x, mask, keepdims != 0);
}

kiln_expr *kiln_mean_axes(kiln_ctx *ctx, kiln_expr *x, unsigned axes, int keepdims) {
    ARGCHK(ctx);
    return axes_fit(ctx, "mean", x, axes) ? ir_mean(G, x, axes, keepdims != 0) : NULL;
}

kiln_expr *kiln_matmul(kiln_ctx *ctx, kiln_expr *x, kiln_expr *y) {
    ARGCHK(ctx);
    return ir_matmul(G, x, y);
}

kiln_expr *kiln_transpose(kiln_ctx *ctx, kiln_expr *x) {
    ARGCHK(ctx);
    return ir_check_operand(G, x, "transpose", 1) ? ir_transpose(G, x) : NULL;
}

/* ------------------------------------------------------------------ views and shapes */

kiln_expr *kiln_index(kiln_ctx *ctx, kiln_expr *x, int n, const kiln_ix *ix) {
    ARGCHK(ctx);
    if (n < 0 || (n && !ix)) {
        kiln_fail(ctx, KILN_ERR_ARG, "kiln_index: %d items and no list", n);
        return NULL;
    }
    return ir_index(G, x, n, ix);
}
kiln_expr *kiln_permute(kiln_ctx *ctx, kiln_expr *x, const int *axes) {
    ARGCHK(ctx);
    return ir_permute(G, x, axes);
}
kiln_expr *kiln_reshape(kiln_ctx *ctx, kiln_expr *x, int ndim, const int64_t *shape) {
    ARGCHK(ctx);
    if (ndim && !shape) {
        kiln_fail(ctx, KILN_ERR_ARG, "kiln_reshape: shape is NULL");
        return NULL;
    }
    return ir_reshape(G, x, ndim, shape);
}
kiln_expr *kiln_ravel(kiln_ctx *ctx, kiln_expr *x) {
    ARGCHK(ctx);
    int64_t n = x ? ir_size(x) : 0;
    return ir_reshape(G, x, 1, &n);
}
kiln_expr *kiln_expand_dims(kiln_ctx *ctx, kiln_expr *x, int axis) {
    ARGCHK(ctx);
    return ir_expand_dims(G, x, axis);
}
kiln_expr *kiln_squeeze(kiln_ctx *ctx, kiln_expr *x, int axis) {
    ARGCHK(ctx);
    return ir_squeeze(G, x, axis);
}
/* xs joined as a balanced tree of pairs (the planner writes a tree of one dtype in one step:
 * plan.c's absorb_concats). */
static kiln_expr *concat_tree(kiln_ctx *ctx, int n, kiln_expr *const *xs, int axis) {
    if (n == 1) return kiln_expr_retain(xs[0]);
    int h = n / 2;
    kiln_expr *a = concat_tree(ctx, h, xs, axis), *b = a ? concat_tree(ctx, n - h, xs + h, axis) : NULL;
    kiln_expr *r = b ? ir_concat(G, a, b, axis) : NULL;
    kiln_expr_free(a);
    kiln_expr_free(b);
    return r;
}
kiln_expr *kiln_concatenate(kiln_ctx *ctx, int n, kiln_expr *const *xs, int axis) {
    ARGCHK(ctx);
    if (n < 1 || !xs) {
        kiln_fail(ctx, KILN_ERR_ARG, "need at least one array to concatenate");
        return NULL;
    }
    for (int i = 0; i < n; i++)
        if (!ir_check_operand(G, xs[i], "concatenate", i + 1)) return NULL;
    if (n == 1) { /* (one array: itself, where two would be joined: the same checks) */
        unsigned mask;
        if (xs[0]->ndim == 0) {
            kiln_fail(ctx, KILN_ERR_SHAPE, "concatenate: zero-dimensional arrays cannot be concatenated");
            return NULL;
        }
        return ir_axis_mask(G, "concatenate", axis, xs[0]->ndim, &mask) ? kiln_expr_retain(xs[0]) : NULL;
    }
    kiln_dtype dt = (kiln_dtype)xs[0]->dtype;
    bool mixed = false;
    for (int i = 1; i < n; i++) mixed |= xs[i]->dtype != dt, dt = dtype_promote(dt, (kiln_dtype)xs[i]->dtype);
    if (!mixed) return concat_tree(ctx, n, xs, axis);
    kiln_expr **cast = kiln_calloc(ctx, (size_t)n * sizeof *cast), *r = NULL; /* each part once, in the result's dtype */
    int i = 0;
    while (cast && i < n && (cast[i] = ir_coerce(G, xs[i], dt))) i++;
    if (i == n) r = concat_tree(ctx, n, cast, axis);
    for (int k = 0; cast && k < n; k++) kiln_expr_free(cast[k]);
    kiln_free(ctx, cast);
    return r;
}
kiln_expr *kiln_stack(kiln_ctx *ctx, int n, kiln_expr *const *xs, int axis) {
    ARGCHK(ctx);
    if (n < 1 || !xs) {
        kiln_fail(ctx, KILN_ERR_ARG, "need at least one array to stack");
        return NULL;
    }
    kiln_expr **ex = kiln_calloc(ctx, (size_t)n * sizeof *ex), *r = NULL;
    if (!ex) return NULL;
    int i = 0;
    for (; i < n; i++) {
        if (!ir_check_operand(G, xs[i], "stack", i + 1)) break;
        if (!ir_same_shape(xs[i], xs[0])) { /* (first, as NumPy's) */
            kiln_fail(ctx, KILN_ERR_SHAPE, "stack: all input arrays must have the same shape");
            break;
        }
    }
    int nd = i == n ? xs[0]->ndim + 1 : 0; /* (the checks expand_dims makes, in stack's words) */
    if (i == n && nd > KILN_MAX_DIMS) {
        kiln_fail(ctx, KILN_ERR_ARG, "stack: the result would have more than %d dimensions", KILN_MAX_DIMS);
        i = -1;
    } else if (i == n && (axis < -nd || axis >= nd)) {
        kiln_fail(ctx, KILN_ERR_ARG, "stack: axis %d is out of bounds for array of dimension %d", axis, nd);
        i = -1;
    }
    if (i == n)
        for (i = 0; i < n; i++)
            if (!(ex[i] = ir_expand_dims(G, xs[i], axis))) break;
    if (i == n) r = kiln_concatenate(ctx, n, ex, axis);
    for (int k = 0; k < n; k++) kiln_expr_free(ex[k]);
    kiln_free(ctx, ex);
    return r;
}
kiln_expr *kiln_take(kiln_ctx *ctx, kiln_expr *x, kiln_expr *idx, int axis) {
    ARGCHK(ctx);
    return ir_take(G, x, idx, axis, false, 0);
}
kiln_expr *kiln_take_along_axis(kiln_ctx *ctx, kiln_expr *x, kiln_expr *idx, int axis) {
    ARGCHK(ctx);
    return ir_take(G, x, idx, axis, true, 0);
}
kiln_expr *kiln_take_pair(kiln_ctx *ctx, kiln_expr *x, kiln_expr *i, kiln_expr *j, int axis) {
    ARGCHK(ctx);
    if (!ir_check_operand(G, x, "take_pair", 1)) return NULL;
    if (axis < 0) axis += x->ndim - 1;
    return ir_take_pair(G, x, i, j, axis, 0);
}
kiln_expr *kiln_searchsorted(kiln_ctx *ctx, kiln_expr *a, kiln_expr *v, int right) {
    ARGCHK(ctx);
    return ir_search(G, a, v, right ? IR_SEARCH_RIGHT : IR_SEARCH_LEFT);
}

/* ------------------------------------------------------------------ compositions */

/* Releases the n handles of t (NULLs allowed) and returns r. */
static kiln_expr *drop(kiln_expr *r, int n, kiln_expr **t) {
    for (int i = 0; i < n; i++) kiln_expr_free(t[i]);
    return r;
}

kiln_expr *kiln_sigmoid(kiln_ctx *ctx, kiln_expr *x) {
    ARGCHK(ctx);
    kiln_expr *one = kiln_int(ctx, 1), *n = kiln_neg(ctx, x), *e = kiln_exp(ctx, n), *d = kiln_add(ctx, one, e);
    return drop(kiln_div(ctx, one, d), 4, (kiln_expr *[]){one, n, e, d});
}
kiln_expr *kiln_relu(kiln_ctx *ctx, kiln_expr *x) {
    ARGCHK(ctx);
    kiln_expr *z = kiln_int(ctx, 0);
    return drop(kiln_maximum(ctx, x, z), 1, &z);
}
kiln_expr *kiln_square(kiln_ctx *ctx, kiln_expr *x) {
    ARGCHK(ctx);
    return kiln_mul(ctx, x, x);
}
/* Whether the constant c is a float NaN. */
static bool const_nan(const kiln_expr *c) {
    return (c->dtype == KILN_F64 && isnan(c->val.f64)) || (c->dtype == KILN_F32 && isnan(c->val.f32));
}
kiln_expr *kiln_clip(kiln_ctx *ctx, kiln_expr *x, kiln_expr *lo, kiln_expr *hi) {
    ARGCHK(ctx);
    /* NumPy 2 (its _clip) drops a Python int bound past a narrow integer x's end it cannot reach
     * (clip(u8, 10, 300) is clip(u8, 10, None)); then the clip ufunc's promotion of the three
     * (Python numbers weak) holds each Python int bound or is NumPy's OverflowError: clip(u8, 0,
     * -1) is refused, not cast round to 255, but clip(u8, 300, nan) is float64 */
    for (int k = 0; x && !x->weak && k < 2; k++) {
        kiln_expr **b = k ? &hi : &lo;
        if (!*b || !((*b)->op == KILN_OP_CONST && (*b)->weak && (*b)->dtype == KILN_I64) || !dtype_is_narrow_int((kiln_dtype)x->dtype)) continue;
        int64_t v = (*b)->val.i64, min, max;
        dtype_int_bounds((kiln_dtype)x->dtype, &min, &max);
        if (k ? v > max : v < min) *b = NULL;
    }
    kiln_expr *ops[3];
    int nops = 0;
    bool all_weak;
    if (x) ops[nops++] = x;
    if (lo) ops[nops++] = lo;
    if (hi) ops[nops++] = hi;
    kiln_dtype to = nops ? ir_common_dtype(ops, nops, &all_weak) : KILN_F64; /* (the dtype the three make) */
    for (int k = 0; x && k < 2; k++)
        if ((k ? hi : lo) && !ir_weak_fits(&ctx->graph, k ? hi : lo, to)) return NULL;
    if (x && !x->weak && to != x->dtype) { /* x in that dtype first, as the ufunc casts its inputs (clip(u8, 300, 400.5) is 300.) */
        kiln_expr *xc = kiln_cast(ctx, x, to);
        return drop(xc ? kiln_clip(ctx, xc, lo, hi) : NULL, 1, &xc);
    }
    if (lo && hi && lo->ndim == 0 && hi->ndim == 0 && lo->op == KILN_OP_CONST && hi->op == KILN_OP_CONST && !const_nan(lo) && !const_nan(hi)) {
        /* NumPy's clip with scalar bounds: x < lo ? lo : x > hi ? hi : x (NaN and -0.0 kept; a
         * NaN bound is the ufunc's below: NaN everywhere) */
        kiln_expr *below = kiln_lt(ctx, x, lo), *m = kiln_where(ctx, below, lo, x), *above = kiln_gt(ctx, m, hi);
        return drop(kiln_where(ctx, above, hi, m), 3, (kiln_expr *[]){below, m, above});
    }
    if (lo && hi) { /* the clip ufunc: max = isnan(x) || x > lo ? x : lo, then min likewise */
        kiln_expr *nx = kiln_isnan(ctx, x), *gt = kiln_gt(ctx, x, lo), *keep = kiln_or(ctx, nx, gt), *m = kiln_where(ctx, keep, x, lo);
        kiln_expr *nm = kiln_isnan(ctx, m), *lt = kiln_lt(ctx, m, hi), *keep2 = kiln_or(ctx, nm, lt);
        return drop(kiln_where(ctx, keep2, m, hi), 7, (kiln_expr *[]){nx, gt, keep, m, nm, lt, keep2});
    }
    kiln_expr *m = lo ? kiln_maximum(ctx, x, lo) : kiln_expr_retain(x);
    return drop(hi ? kiln_minimum(ctx, m, hi) : kiln_expr_retain(m), 1, &m);
}
kiln_expr *kiln_round(kiln_ctx *ctx, kiln_expr *x, int decimals) {
    ARGCHK(ctx);
    if (!x) return NULL;
    if (!dtype_is_float((kiln_dtype)x->dtype)) {
        if (decimals >= 0) return kiln_expr_retain(x); /* integers are already round */
        /* NumPy: rint(x / 10**-d) * 10**-d, in float64, cast back */
        double f = 1;
        for (int i = 0; i < -decimals && f < 1e300; i++) f *= 10;
        kiln_expr *c = kiln_scalar(ctx, f), *q = kiln_div(ctx, x, c), *r = kiln_rint(ctx, q), *m = kiln_mul(ctx, r, c);
        return drop(kiln_cast(ctx, m, (kiln_dtype)x->dtype), 4, (kiln_expr *[]){c, q, r, m});
    }
    if (decimals == 0) return kiln_rint(ctx, x);
    /* NumPy: rint(x * 10**d) / 10**d (for d < 0, x / 10**-d * 10**-d) */
    double f = 1;
    for (int i = 0; i < (decimals < 0 ? -decimals : decimals); i++) f *= 10;
    kiln_expr *c = kiln_scalar(ctx, f);
    kiln_expr *y = decimals > 0 ? kiln_mul(ctx, x, c) : kiln_div(ctx, x, c), *r = kiln_rint(ctx, y);
    return drop(decimals > 0 ? kiln_div(ctx, r, c) : kiln_mul(ctx, r, c), 3, (kiln_expr *[]){c, y, r});
}
/* The maximum along axis kept as size 1, with non-finite maxima (an all -inf row) made 0: what
 * stable softmax and logsumexp subtract. */
/* r with its axes in mask (all of length 1) dropped. */
static kiln_expr *drop_axes(kiln_ctx *ctx, kiln_expr *r, unsigned mask) {
    kiln_ix ix[KILN_MAX_DIMS];
    for (int d = 0; d < r->ndim; d++) ix[d] = (kiln_ix){.kind = (mask >> d) & 1 ? KILN_IX_INDEX : KILN_IX_SLICE};
    return kiln_index(ctx, r, r->ndim, ix);
}
static kiln_expr *stable_max(kiln_ctx *ctx, kiln_expr *x, unsigned axes) {
    kiln_expr *m = kiln_reduce_axes(ctx, KILN_OP_MAX, x, axes, 1), *f = kiln_isfinite(ctx, m), *z = kiln_int(ctx, 0);
    return drop(kiln_where(ctx, f, m, z), 3, (kiln_expr *[]){m, f, z});
}
static unsigned one_axis(kiln_ctx *ctx, kiln_expr *x, int axis, bool *ok) {
    unsigned mask = 0;
    *ok = x && ir_axis_mask(G, "softmax", axis, x->ndim, &mask);
    return mask;
}
/* Whether axes is x's last axis alone: softmax and its kin are then one SOFTMAX node (a pass
 * per row) rather than their composition of ops. */
static bool last_axis_only(const kiln_expr *x, unsigned axes) {
    return x && x->ndim > 0 && (axes & ((1u << x->ndim) - 1)) == 1u << (x->ndim - 1);
}

kiln_expr *kiln_softmax_axes(kiln_ctx *ctx, kiln_expr *x, unsigned axes) {
    ARGCHK(ctx);
    if (!axes_fit(ctx, "softmax", x, axes)) return NULL;
    if (last_axis_only(x, axes) && ir_check_operand(G, x, "softmax", 1)) return ir_rows(G, x, 0);
    kiln_expr *m = stable_max(ctx, x, axes), *d = kiln_sub(ctx, x, m), *e = kiln_exp(ctx, d);
    kiln_expr *s = kiln_reduce_axes(ctx, KILN_OP_SUM, e, axes, 1);
    return drop(kiln_div(ctx, e, s), 4, (kiln_expr *[]){m, d, e, s});
}
kiln_expr *kiln_softmax(kiln_ctx *ctx, kiln_expr *x, int axis) {
    ARGCHK(ctx);
    bool ok;
    unsigned mask = one_axis(ctx, x, axis, &ok);
    return ok ? kiln_softmax_axes(ctx, x, mask) : NULL;
}
kiln_expr *kiln_logsumexp(kiln_ctx *ctx, kiln_expr *x, unsigned axes, int keepdims) {
    ARGCHK(ctx);
    if (!axes_fit(ctx, "logsumexp", x, axes)) return NULL;
    if (last_axis_only(x, axes) && ir_check_operand(G, x, "logsumexp", 1)) {
        kiln_expr *r = ir_rows(G, x, 2), *out = keepdims || !r ? r : drop_axes(ctx, r, axes);
        if (out != r) kiln_expr_free(r);
        return out;
    }
    kiln_expr *m = stable_max(ctx, x, axes), *d = kiln_sub(ctx, x, m), *e = kiln_exp(ctx, d);
    kiln_expr *s = kiln_reduce_axes(ctx, KILN_OP_SUM, e, axes, 1), *l = kiln_log(ctx, s), *r = kiln_add(ctx, l, m);
    kiln_expr *out = keepdims || !r ? kiln_expr_retain(r) : drop_axes(ctx, r, axes);
    return drop(out, 6, (kiln_expr *[]){m, d, e, s, l, r});
}
kiln_expr *kiln_log_softmax_axes(kiln_ctx *ctx, kiln_expr *x, unsigned axes) {
    ARGCHK(ctx);
    if (!axes_fit(ctx, "log_softmax", x, axes)) return NULL;
    if (last_axis_only(x, axes) && ir_check_operand(G, x, "log_softmax", 1)) return ir_rows(G, x, 1);
    /* (x - max) - log(sum(exp(x - max))): the shifted values once, as SciPy's */
    kiln_expr *m = stable_max(ctx, x, axes), *d = kiln_sub(ctx, x, m), *e = kiln_exp(ctx, d);
    kiln_expr *s = kiln_reduce_axes(ctx, KILN_OP_SUM, e, axes, 1), *l = kiln_log(ctx, s);
    return drop(kiln_sub(ctx, d, l), 5, (kiln_expr *[]){m, d, e, s, l});
}
kiln_expr *kiln_log_softmax(kiln_ctx *ctx, kiln_expr *x, int axis) {
    ARGCHK(ctx);
    bool ok;
    unsigned mask = one_axis(ctx, x, axis, &ok);
    return ok ? kiln_log_softmax_axes(ctx, x, mask) : NULL;
}
kiln_expr *kiln_one_hot(kiln_ctx *ctx, kiln_expr *labels, int64_t k, kiln_dtype dt) {
    ARGCHK(ctx);
    if (!ir_check_operand(G, labels, "one_hot", 1)) return NULL;
    if (!dtype_is_int((kiln_dtype)labels->dtype)) {
        kiln_fail(ctx, KILN_ERR_DTYPE, "one_hot: labels must be integers, not %s", kiln_dtype_name((kiln_dtype)labels->dtype));
        return NULL;
    }
    if (k < 0 || k > (1 << 24)) {
        kiln_fail(ctx, KILN_ERR_ARG, "one_hot: k must be between 0 and 2^24, not %lld", (long long)k);
        return NULL;
    }
    if ((unsigned)dt >= KILN_DTYPE_COUNT) {
        kiln_fail(ctx, KILN_ERR_ARG, "one_hot: invalid dtype %d", (int)dt);
        return NULL;
    }
    kiln_array *r = kiln_array_new(ctx, KILN_I64, 1, &k);
    if (!r) return NULL;
    for (int64_t i = 0; i < k; i++) ((int64_t *)r->data)[i] = i;
    kiln_expr *range = kiln_var(ctx, r), *col = kiln_expand_dims(ctx, labels, -1), *eq = kiln_eq(ctx, col, range);
    kiln_array_free(r);
    return drop(kiln_cast(ctx, eq, dt), 3, (kiln_expr *[]){range, col, eq});
}
kiln_expr *rt_variance(kiln_ctx *ctx, kiln_expr *x, unsigned axes, double ddof, int keepdims) {
    ARGCHK(ctx);
    if (axes == (unsigned)KILN_ALL_AXES) axes = KILN_EVERY_AXIS;
    if (!ir_check_operand(G, x, "var", 1) || !axes_fit(ctx, "var", x, axes)) return NULL;
    axes &= x->ndim ? (1u << x->ndim) - 1 : 0;
    int64_t n = 1;
    for (int d = 0; d < x->ndim; d++)
        if ((axes >> d) & 1) n *= x->shape[d];
    kiln_expr *mu = ir_mean(G, x, axes, true), *d = kiln_sub(ctx, x, mu), *sq = kiln_mul(ctx, d, d);
    kiln_expr *s = sq ? ir_reduce_axes(G, KILN_OP_SUM, sq, axes, keepdims != 0) : NULL;
    /* NumPy divides by max(n - ddof, 0): inf, or NaN where the sum is 0; a count float32 cannot
     * hold exactly (ddof=0.1) divides in float64, as NumPy's float64 count does */
    double dof = (double)n - ddof; /* (NaN stays NaN, as NumPy's maximum keeps it) */
    if (dof < 0) dof = 0;
    bool exact = !s || s->dtype != KILN_F32 || (double)(float)dof == dof;
    kiln_expr *sw = s && !exact ? kiln_cast(ctx, s, KILN_F64) : kiln_expr_retain(s);
    kiln_expr *c = sw ? kiln_const(ctx, (kiln_dtype)sw->dtype, dof) : NULL, *q = c ? kiln_div(ctx, sw, c) : NULL;
    kiln_expr *r = q && !exact ? kiln_cast(ctx, q, KILN_F32) : kiln_expr_retain(q);
    return drop(r, 7, (kiln_expr *[]){mu, d, sq, s, sw, c, q});
}
kiln_expr *rt_std(kiln_ctx *ctx, kiln_expr *x, unsigned axes, double ddof, int keepdims) {
    ARGCHK(ctx);
    kiln_expr *v = rt_variance(ctx, x, axes, ddof, keepdims);
    return drop(kiln_sqrt(ctx, v), 1, &v);
}
kiln_expr *kiln_variance(kiln_ctx *ctx, kiln_expr *x, unsigned axes, int ddof, int keepdims) { return rt_variance(ctx, x, axes, ddof, keepdims); }
kiln_expr *kiln_std(kiln_ctx *ctx, kiln_expr *x, unsigned axes, int ddof, int keepdims) { return rt_std(ctx, x, axes, ddof, keepdims); }

/* ------------------------------------------------------------------ gradients */

kiln_status kiln_vjp(kiln_ctx *ctx, kiln_expr *out, kiln_expr *seed, int n, kiln_expr *const *wrt, kiln_expr **grads) {
    if (!ctx) return KILN_ERR_ARG;
    if (n < 0 || (n && (!wrt || !grads))) return kiln_fail(ctx, KILN_ERR_ARG, "grad: %d variables and no list", n);
    return ir_vjp(G, out, seed, n, wrt, grads);
}

kiln_status kiln_grad(kiln_ctx *ctx, kiln_expr *loss, int n, kiln_expr *const *wrt, kiln_expr **grads) {
    return kiln_vjp(ctx, loss, NULL, n, wrt, grads);
}
