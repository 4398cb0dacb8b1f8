/*
 * expr.c — the public expression builders: kiln.h's API bound to the context's graph.
 *
 * Pipeline position: the door to the first stage.  Each builder checks its context, then hands
 * its operands to the IR (ir/graph.c), which applies NumPy's rules and hash-conses the node;
 * arrays become VAR leaves whose lifetime the graph manages through the context's hooks.
 */
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

kiln_array *kiln_expr_array(const kiln_expr *e) { return e && e->op == KILN_OP_VAR ? e->leaf : NULL; }

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
    if ((unsigned)op >= KILN_OP_COUNT || op <= KILN_OP_CAST || !op_is_elementwise(op) || !args) {
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
#define X_MATMUL(b, E)
#define X_VIEW(b, E)
KILN_STRUCT_OPS(X)
#undef X

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
    return ir_mean(G, x, axis, keepdims != 0);
}

kiln_expr *kiln_matmul(kiln_ctx *ctx, kiln_expr *x, kiln_expr *y) {
    ARGCHK(ctx);
    return ir_matmul(G, x, y);
}

kiln_expr *kiln_transpose(kiln_ctx *ctx, kiln_expr *x) {
    ARGCHK(ctx);
    if (x && x->g != G) {
        kiln_fail(ctx, KILN_ERR_ARG, "transpose: operand belongs to another context");
        return NULL;
    }
    return ir_transpose(G, x);
}
