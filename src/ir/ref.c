/*
 * ref.c — the reference evaluator's scalars: base/scalar.h applied one element at a time.
 *
 * Pipeline position: beside the backends, not in the pipeline.  Constant folding calls
 * ref_apply, reductions everywhere start and combine their accumulators with ref_reduce_init
 * and ref_reduce_combine, and ref_eval.c's walk over whole expressions (the tests compare every
 * backend against it) applies each op through ref_apply.  What each op means is written once, in
 * scalar.h; this file only dispatches to it (through scalar_table.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/scalar_table.h"
#include "graph.h"

/* ------------------------------------------------------------------ dispatch */

#define KS_ARGS1(S) (a[0].S)
#define KS_ARGS2(S) (a[0].S, a[1].S)
#define KS_ARGS3(S) (a[0].b, a[1].S, a[2].S)

kscalar ref_apply(kiln_op op, kiln_dtype odt, kiln_dtype out, const kscalar *a) {
    kscalar r = {.bits = 0};
    if (op == KILN_OP_CAST) return ref_cast(a[0], odt, out);
    switch ((int)op * KILN_DTYPE_COUNT + (int)odt) {
#define X(OP, fn, ar, DT, S, T, R)                                         \
    case KILN_OP_##OP * KILN_DTYPE_COUNT + DT:                             \
        r.KS_RM_##R(S) = ks_##fn##_##S KS_ARGS##ar(S);                     \
        break;
        KS_OP_TABLE(X)
#undef X
    default: KILN_ASSERT(0 && "no scalar function for this op and dtype");
    }
    return r;
}

double ref_cbrt_refine(double x, double y) { return ks_cbrt_refine(x, y); }

bool ref_has(kiln_op op, kiln_dtype dt) {
    switch ((int)op * KILN_DTYPE_COUNT + (int)dt) {
#define X(OP, fn, ar, DT, S, T, R) case KILN_OP_##OP * KILN_DTYPE_COUNT + DT:
        KS_OP_TABLE(X)
#undef X
        return true;
    default: return op == KILN_OP_CAST && dtype_valid(dt);
    }
}

kscalar ref_cast(kscalar v, kiln_dtype from, kiln_dtype to) {
    kscalar r = {.bits = 0};
    switch ((int)from * KILN_DTYPE_COUNT + (int)to) {
#define X(DF, SF, TF, DT, ST, TT)                 \
    case DF * KILN_DTYPE_COUNT + DT:              \
        r.ST = ks_cast_##SF##_##ST(v.SF);         \
        break;
        KS_CAST_TABLE(X)
#undef X
    default: KILN_ASSERT(0 && "invalid dtype");
    }
    return r;
}

/* ------------------------------------------------------------------ reductions */

void ref_reduce_init(int op, kiln_dtype dt, kscalar *acc) {
    bool hi = op == KILN_OP_MIN || op == KILN_OP_ARGMIN || op == KILN_OP_ALL;
    acc[0].bits = acc[1].bits = 0;
    if (op == KILN_OP_SUM) return;
    if (op == KILN_OP_PROD) acc[0] = ref_cast((kscalar){.i64 = 1}, KILN_I64, dt);
    else if (dt == KILN_F32) acc[0].f32 = hi ? KS_INF_F32 : -KS_INF_F32;
    else if (dt == KILN_F64) acc[0].f64 = hi ? KS_INF_F64 : -KS_INF_F64;
    else if (dt == KILN_BOOL) acc[0].b = hi;
    else {
        int64_t lo, top;
        dtype_int_bounds(dt, &lo, &top);
        acc[0] = ref_cast((kscalar){.i64 = hi ? top : lo}, KILN_I64, dt);
    }
    if (op_is_arg_reduce(op)) acc[1].i64 = -1;
}

/* acc ⊕ v, the fold every reduction kernel performs (value reductions: acc[0] and v[0];
 * argmax/argmin: the pairs (acc[0], acc[1].i64) and (v[0], v[1].i64)). */
void ref_reduce_combine(int op, kiln_dtype dt, kscalar *acc, const kscalar *v) {
    if (!op_is_arg_reduce(op)) {
        kscalar a[2] = {acc[0], v[0]};
        acc[0] = ref_apply(reduce_combine_op[op], dt, dt, a);
        return;
    }
    if (v[1].i64 < 0) return;
    /* NaN beats every number (the first NaN is both the argmax and the argmin) */
    kscalar p[2] = {v[0], acc[0]};
    bool better, equal;
    if (dtype_is_float(dt)) {
        bool xn = ref_apply(KILN_OP_NE, dt, KILN_BOOL, (kscalar[]){v[0], v[0]}).b;
        bool yn = ref_apply(KILN_OP_NE, dt, KILN_BOOL, (kscalar[]){acc[0], acc[0]}).b;
        better = (xn && !yn) || (!xn && !yn && ref_apply(op == KILN_OP_ARGMAX ? KILN_OP_GT : KILN_OP_LT, dt, KILN_BOOL, p).b);
        equal = (xn && yn) || (!xn && !yn && ref_apply(KILN_OP_EQ, dt, KILN_BOOL, p).b);
    } else {
        better = ref_apply(op == KILN_OP_ARGMAX ? KILN_OP_GT : KILN_OP_LT, dt, KILN_BOOL, p).b;
        equal = ref_apply(KILN_OP_EQ, dt, KILN_BOOL, p).b;
    }
    if (acc[1].i64 < 0 || better || (equal && v[1].i64 < acc[1].i64)) {
        acc[0] = v[0];
        acc[1] = v[1];
    }
}
