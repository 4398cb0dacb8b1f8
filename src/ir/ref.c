/*
 * ref.c — the reference evaluator: plain scalar C that defines what every op means.
 *
 * Pipeline position: beside the backends, not in the pipeline.  Constant folding calls
 * ref_apply, and the tests compare every JIT-compiled kernel against ref_eval.  Everything
 * here follows NumPy 2 on x86-64: integers wrap, // and % take Python's signs and give 0 for a
 * zero divisor, float-to-int casts of NaN or out-of-range values give the most negative
 * integer (what cvttsd2si produces), floats are IEEE and never trap.
 */
#include <math.h>
#include <string.h>

#include "../runtime/ctx.h"
#include "graph.h"

/* ------------------------------------------------------------------ floats */

/* One definition for float and double: T is the type, F(name) the libm function. */
#define FLOAT_REF(NAME, T, F)                                                               \
    static T NAME##_divmod(T a, T b, T *modp) {                                             \
        T mod = F(fmod)(a, b);                                                              \
        if (b == 0) { *modp = mod; return a / b; }                                          \
        T div = (a - mod) / b;                                                              \
        if (mod != 0) {                                                                     \
            if ((b < 0) != (mod < 0)) { mod += b; div -= 1; }                               \
        } else {                                                                            \
            mod = F(copysign)(0, b);                                                        \
        }                                                                                   \
        T fl;                                                                               \
        if (div != 0) {                                                                     \
            fl = F(floor)(div);                                                             \
            if (div - fl > (T)0.5) fl += 1;                                                 \
        } else {                                                                            \
            fl = F(copysign)(0, a / b);                                                     \
        }                                                                                   \
        *modp = mod;                                                                        \
        return fl;                                                                          \
    }                                                                                       \
    static T NAME(kiln_op op, T x, T y) {                                                   \
        T m;                                                                                \
        switch (op) {                                                                       \
        case KILN_OP_ADD: return x + y;                                                     \
        case KILN_OP_SUB: return x - y;                                                     \
        case KILN_OP_MUL: return x * y;                                                     \
        case KILN_OP_DIV: return x / y;                                                     \
        case KILN_OP_FLOORDIV: return NAME##_divmod(x, y, &m);                              \
        case KILN_OP_MOD: NAME##_divmod(x, y, &m); return m;                                \
        case KILN_OP_POW: return F(pow)(x, y);                                              \
        case KILN_OP_MAXIMUM: return (x > y || x != x) ? x : y;                             \
        case KILN_OP_MINIMUM: return (x < y || x != x) ? x : y;                             \
        case KILN_OP_ARCTAN2: return F(atan2)(x, y);                                        \
        case KILN_OP_NEG: return -x;                                                        \
        case KILN_OP_ABS: return F(fabs)(x);                                                \
        case KILN_OP_SIGN: return x > 0 ? 1 : x < 0 ? -1 : x == 0 ? 0 : x;                  \
        case KILN_OP_FLOOR: return F(floor)(x);                                             \
        case KILN_OP_CEIL: return F(ceil)(x);                                               \
        case KILN_OP_SQRT: return F(sqrt)(x);                                               \
        case KILN_OP_EXP: return F(exp)(x);                                                 \
        case KILN_OP_EXPM1: return F(expm1)(x);                                             \
        case KILN_OP_LOG: return F(log)(x);                                                 \
        case KILN_OP_LOG1P: return F(log1p)(x);                                             \
        case KILN_OP_LOG2: return F(log2)(x);                                               \
        case KILN_OP_LOG10: return F(log10)(x);                                             \
        case KILN_OP_SIN: return F(sin)(x);                                                 \
        case KILN_OP_COS: return F(cos)(x);                                                 \
        case KILN_OP_TAN: return F(tan)(x);                                                 \
        case KILN_OP_ARCSIN: return F(asin)(x);                                             \
        case KILN_OP_ARCCOS: return F(acos)(x);                                             \
        case KILN_OP_ARCTAN: return F(atan)(x);                                             \
        case KILN_OP_SINH: return F(sinh)(x);                                               \
        case KILN_OP_COSH: return F(cosh)(x);                                               \
        case KILN_OP_TANH: return F(tanh)(x);                                               \
        case KILN_OP_ARCSINH: return F(asinh)(x);                                           \
        case KILN_OP_ARCCOSH: return F(acosh)(x);                                           \
        case KILN_OP_ARCTANH: return F(atanh)(x);                                           \
        default: KILN_ASSERT(0 && "not a float op"); return 0;                              \
        }                                                                                   \
    }
#define F64(name) name
#define F32(name) name##f
FLOAT_REF(ref_f64, double, F64)
FLOAT_REF(ref_f32, float, F32)

/* ------------------------------------------------------------------ integers */

/* Python-style floor division and remainder; a zero divisor gives 0 as in NumPy, and
 * MIN // -1 wraps to MIN as NumPy's loops do. */
static int64_t ifloordiv(int64_t a, int64_t b) {
    if (b == 0) return 0;
    if (b == -1) return (int64_t)(0 - (uint64_t)a);
    int64_t q = a / b, r = a % b;
    return (r != 0 && ((r ^ b) < 0)) ? q - 1 : q;
}
static int64_t imod(int64_t a, int64_t b) {
    if (b == 0 || b == -1) return 0;
    int64_t r = a % b;
    return (r != 0 && ((r ^ b) < 0)) ? r + b : r;
}
/* Integer power with wrap-around.  A negative exponent (NumPy refuses it) gives the
 * truncated result: 1 for a base of 1, ±1 for -1, else 0. */
int64_t ref_ipow(int64_t a, int64_t e) {
    if (e < 0) return a == 1 ? 1 : a == -1 ? ((e & 1) ? -1 : 1) : 0;
    uint64_t r = 1, b = (uint64_t)a;
    while (e) {
        if (e & 1) r *= b;
        b *= b;
        e >>= 1;
    }
    return (int64_t)r;
}

/* The op in 64-bit wrap-around arithmetic; int32 results are the low 32 bits, which for
 * every op here equal what 32-bit arithmetic gives. */
static int64_t ref_int(kiln_op op, int64_t x, int64_t y) {
    uint64_t ux = (uint64_t)x, uy = (uint64_t)y;
    switch (op) {
    case KILN_OP_ADD: return (int64_t)(ux + uy);
    case KILN_OP_SUB: return (int64_t)(ux - uy);
    case KILN_OP_MUL: return (int64_t)(ux * uy);
    case KILN_OP_FLOORDIV: return ifloordiv(x, y);
    case KILN_OP_MOD: return imod(x, y);
    case KILN_OP_POW: return ref_ipow(x, y);
    case KILN_OP_MAXIMUM: return x > y ? x : y;
    case KILN_OP_MINIMUM: return x < y ? x : y;
    case KILN_OP_AND: return x & y;
    case KILN_OP_OR: return x | y;
    case KILN_OP_XOR: return x ^ y;
    case KILN_OP_NEG: return (int64_t)(0 - ux);
    case KILN_OP_INVERT: return ~x;
    case KILN_OP_ABS: return x < 0 ? (int64_t)(0 - ux) : x;
    case KILN_OP_SIGN: return (x > 0) - (x < 0);
    case KILN_OP_FLOOR:
    case KILN_OP_CEIL: return x;
    default: KILN_ASSERT(0 && "not an integer op"); return 0;
    }
}

static bool ref_bool(kiln_op op, bool x, bool y) {
    switch (op) {
    case KILN_OP_ADD:
    case KILN_OP_OR:
    case KILN_OP_MAXIMUM: return x | y;
    case KILN_OP_MUL:
    case KILN_OP_AND:
    case KILN_OP_MINIMUM: return x & y;
    case KILN_OP_XOR: return x ^ y;
    case KILN_OP_INVERT: return !x;
    case KILN_OP_ABS:
    case KILN_OP_FLOOR:
    case KILN_OP_CEIL: return x;
    default: KILN_ASSERT(0 && "not a bool op"); return 0;
    }
}

/* ------------------------------------------------------------------ casts and comparisons */

static int64_t as_i64(kscalar v, kiln_dtype dt) {
    return dt == KILN_BOOL ? v.b : dt == KILN_I32 ? v.i32 : v.i64;
}
static double as_f64(kscalar v, kiln_dtype dt) {
    switch (dt) {
    case KILN_BOOL: return v.b;
    case KILN_I32: return v.i32;
    case KILN_I64: return (double)v.i64;
    case KILN_F32: return v.f32;
    case KILN_F64: return v.f64;
    case KILN_DTYPE_COUNT: break;
    }
    return 0;
}

kscalar ref_cast(kscalar v, kiln_dtype from, kiln_dtype to) {
    kscalar r = {.bits = 0};
    if (!dtype_is_float(from)) {
        int64_t i = as_i64(v, from);
        switch (to) {
        case KILN_BOOL: r.b = i != 0; break;
        case KILN_I32: r.i32 = (int32_t)(uint32_t)(uint64_t)i; break;
        case KILN_I64: r.i64 = i; break;
        case KILN_F32: r.f32 = (float)i; break;
        case KILN_F64: r.f64 = (double)i; break;
        case KILN_DTYPE_COUNT: break;
        }
        return r;
    }
    if (from == KILN_F32 && to == KILN_F32) return v;
    double f = as_f64(v, from); /* float -> double is exact */
    switch (to) {
    case KILN_BOOL: r.b = f != 0; break;
    case KILN_I32: r.i32 = (f >= -2147483648.0 && f < 2147483648.0) ? (int32_t)f : INT32_MIN; break;
    case KILN_I64:
        r.i64 = (f >= -9223372036854775808.0 && f < 9223372036854775808.0) ? (int64_t)f : INT64_MIN;
        break;
    case KILN_F32: r.f32 = (float)f; break;
    case KILN_F64: r.f64 = f; break;
    case KILN_DTYPE_COUNT: break;
    }
    return r;
}

static bool ref_cmp(kiln_op op, kscalar a, kscalar b, kiln_dtype dt) {
    if (dtype_is_float(dt)) {
        double x = as_f64(a, dt), y = as_f64(b, dt);
        switch (op) {
        case KILN_OP_EQ: return x == y;
        case KILN_OP_NE: return x != y;
        case KILN_OP_LT: return x < y;
        case KILN_OP_LE: return x <= y;
        case KILN_OP_GT: return x > y;
        case KILN_OP_GE: return x >= y;
        default: break;
        }
    } else {
        int64_t x = as_i64(a, dt), y = as_i64(b, dt);
        switch (op) {
        case KILN_OP_EQ: return x == y;
        case KILN_OP_NE: return x != y;
        case KILN_OP_LT: return x < y;
        case KILN_OP_LE: return x <= y;
        case KILN_OP_GT: return x > y;
        case KILN_OP_GE: return x >= y;
        default: break;
        }
    }
    KILN_ASSERT(0 && "not a comparison");
    return false;
}

kscalar ref_apply(kiln_op op, kiln_dtype odt, kiln_dtype out, const kscalar *a) {
    kscalar r = {.bits = 0};
    kscalar y = kiln_op_arity(op) >= 2 ? a[1] : a[0];
    if (op == KILN_OP_CAST) return ref_cast(a[0], odt, out);
    if (op == KILN_OP_WHERE) return ref_cast(a[0].b ? a[1] : a[2], odt, out);
    if (kiln_op_kind[op] == KIND_CMP) {
        r.b = ref_cmp(op, a[0], y, odt);
        return r;
    }
    switch (odt) {
    case KILN_BOOL: r.b = ref_bool(op, a[0].b, y.b); break;
    case KILN_I32: r.i32 = (int32_t)(uint32_t)(uint64_t)ref_int(op, a[0].i32, y.i32); break;
    case KILN_I64: r.i64 = ref_int(op, a[0].i64, y.i64); break;
    case KILN_F32: r.f32 = ref_f32(op, a[0].f32, y.f32); break;
    case KILN_F64: r.f64 = ref_f64(op, a[0].f64, y.f64); break;
    case KILN_DTYPE_COUNT: break;
    }
    return r;
}

/* ------------------------------------------------------------------ reductions */

static bool is_arg(int op) { return op == KILN_OP_ARGMAX || op == KILN_OP_ARGMIN; }

void ref_reduce_init(int op, kiln_dtype dt, kscalar *acc) {
    bool hi = op == KILN_OP_MIN || op == KILN_OP_ARGMIN || op == KILN_OP_ALL;
    acc[0].bits = acc[1].bits = 0;
    if (op == KILN_OP_SUM) return;
    if (op == KILN_OP_PROD) acc[0] = ref_cast((kscalar){.i64 = 1}, KILN_I64, dt);
    else if (dtype_is_float(dt)) acc[0] = ref_cast((kscalar){.f64 = hi ? INFINITY : -INFINITY}, KILN_F64, dt);
    else if (dt == KILN_BOOL) acc[0].b = hi;
    else if (dt == KILN_I32) acc[0].i32 = hi ? INT32_MAX : INT32_MIN;
    else acc[0].i64 = hi ? INT64_MAX : INT64_MIN;
    if (is_arg(op)) acc[1].i64 = -1;
}

/* acc ⊕ v, the fold every reduction kernel performs (value reductions: acc[0] and v[0];
 * argmax/argmin: the pairs (acc[0], acc[1].i64) and (v[0], v[1].i64)). */
void ref_reduce_combine(int op, kiln_dtype dt, kscalar *acc, const kscalar *v) {
    if (is_arg(op)) {
        if (v[1].i64 < 0) return;
        /* NaN beats every number (the first NaN is both the argmax and the argmin) */
        double x = ref_cast(v[0], dt, KILN_F64).f64, y = ref_cast(acc[0], dt, KILN_F64).f64;
        bool xn = x != x, yn = y != y;
        if (!dtype_is_float(dt)) { /* exact for int64 too */
            int64_t xi = as_i64(v[0], dt), yi = as_i64(acc[0], dt);
            x = xi > yi ? 1 : xi < yi ? -1 : 0;
            y = 0;
        }
        bool better = (xn && !yn) || (!xn && !yn && (op == KILN_OP_ARGMAX ? x > y : x < y));
        bool equal = (xn && yn) || (!xn && !yn && x == y);
        bool take = acc[1].i64 < 0 || better || (equal && v[1].i64 < acc[1].i64);
        if (take) {
            acc[0] = v[0];
            acc[1] = v[1];
        }
        return;
    }
    {
        kscalar a[2] = {acc[0], v[0]};
        acc[0] = ref_apply(reduce_combine_op[op], dt, dt, a);
    }
}

/* ------------------------------------------------------------------ whole expressions */

kscalar ref_load(const void *p, kiln_dtype dt) {
    kscalar v = {.bits = 0};
    switch (dt) {
    case KILN_BOOL: v.b = *(const uint8_t *)p != 0; break;
    case KILN_I32: memcpy(&v.i32, p, 4); break;
    case KILN_I64: memcpy(&v.i64, p, 8); break;
    case KILN_F32: memcpy(&v.f32, p, 4); break;
    case KILN_F64: memcpy(&v.f64, p, 8); break;
    case KILN_DTYPE_COUNT: break;
    }
    return v;
}

void ref_store(void *p, kiln_dtype dt, kscalar v) {
    switch (dt) {
    case KILN_BOOL: *(uint8_t *)p = v.b; break;
    case KILN_I32: memcpy(p, &v.i32, 4); break;
    case KILN_I64: memcpy(p, &v.i64, 8); break;
    case KILN_F32: memcpy(p, &v.f32, 4); break;
    case KILN_F64: memcpy(p, &v.f64, 8); break;
    case KILN_DTYPE_COUNT: break;
    }
}

static kscalar ref_at(const kiln_expr *n, const int64_t *idx, int nd);

/* A reduction at output index idx: the operand's elements in C order, folded one by one;
 * float sums and products in long double (the reference is more accurate than any kernel). */
static kscalar ref_reduce_at(const kiln_expr *n, const int64_t *idx) {
    const kiln_expr *x = ir_arg(n, 0);
    kiln_dtype dt = (kiln_dtype)x->dtype;
    kscalar acc[2];
    ref_reduce_init(n->op, dt, acc);
    int64_t xi[KILN_MAX_DIMS] = {0}, count = 1;
    int o = 0; /* walk n's index over x's kept dims */
    for (int d = 0; d < x->ndim; d++) {
        bool red = n->axis == KILN_ALL_AXES || n->axis == d;
        if (red) count *= x->shape[d];
        else xi[d] = idx[o];
        if (!red || n->keepdims) o++;
    }
    bool wide = dtype_is_float(dt) && (n->op == KILN_OP_SUM || n->op == KILN_OP_PROD);
    long double w = n->op == KILN_OP_PROD ? 1.0L : 0.0L;
    for (int64_t k = 0; k < count; k++) {
        int64_t rem = k; /* the k-th reduced position, C order */
        for (int d = x->ndim - 1; d >= 0; d--) {
            if (!(n->axis == KILN_ALL_AXES || n->axis == d)) continue;
            xi[d] = rem % x->shape[d];
            rem /= x->shape[d];
        }
        kscalar v[2] = {ref_at(x, xi, x->ndim), {.i64 = k}};
        if (wide) {
            long double f = dt == KILN_F32 ? (long double)v[0].f32 : (long double)v[0].f64;
            w = n->op == KILN_OP_SUM ? w + f : w * f;
        } else {
            ref_reduce_combine(n->op, dt, acc, v);
        }
    }
    if (wide) return ref_cast((kscalar){.f64 = (double)w}, KILN_F64, dt);
    return is_arg(n->op) ? acc[1] : acc[0];
}

/* A matrix product at output index idx, summed in long double (floats) or with wrap-around. */
static kscalar ref_matmul_at(const kiln_expr *n, const int64_t *idx) {
    const kiln_expr *a = ir_arg(n, 0), *b = ir_arg(n, 1);
    kiln_dtype dt = (kiln_dtype)n->dtype;
    int64_t K = a->shape[a->ndim - 1], i = a->ndim == 2 ? idx[0] : 0, j = b->ndim == 2 ? idx[a->ndim == 2 ? 1 : 0] : 0;
    long double w = 0;
    uint64_t u = 0;
    bool any = false;
    for (int64_t k = 0; k < K; k++) {
        int64_t ai[2] = {i, k}, bi[2] = {k, j};
        kscalar x = ref_at(a, a->ndim == 2 ? ai : ai + 1, a->ndim), y = ref_at(b, bi, b->ndim);
        if (dtype_is_float(dt)) w += (dt == KILN_F32 ? (long double)x.f32 * y.f32 : (long double)x.f64 * y.f64);
        else if (dt == KILN_BOOL) any = any || (x.b && y.b);
        else u += (uint64_t)as_i64(x, dt) * (uint64_t)as_i64(y, dt);
    }
    if (dtype_is_float(dt)) return ref_cast((kscalar){.f64 = (double)w}, KILN_F64, dt);
    if (dt == KILN_BOOL) return (kscalar){.b = any};
    return ref_cast((kscalar){.i64 = (int64_t)u}, KILN_I64, dt);
}

/* The value of n at output index idx (of rank nd), recomputing shared nodes: this is the
 * definition, not the fast path. */
static kscalar ref_at(const kiln_expr *n, const int64_t *idx, int nd) {
    if (n->op == KILN_OP_CONST) return n->val;
    if (n->op == KILN_OP_VAR) {
        const kiln_array *a = n->array;
        const char *p = a->data;
        for (int d = 0; d < a->ndim; d++) {
            int64_t i = a->shape[d] == 1 ? 0 : idx[nd - a->ndim + d];
            p += i * a->strides[d];
        }
        return ref_load(p, (kiln_dtype)a->dtype);
    }
    if (kiln_op_kind[n->op] == KIND_REDUCE) return ref_reduce_at(n, idx);
    if (n->op == KILN_OP_MATMUL) return ref_matmul_at(n, idx);
    if (n->op == KILN_OP_TRANSPOSE) {
        int64_t r[KILN_MAX_DIMS];
        for (int d = 0; d < n->ndim; d++) r[d] = idx[n->ndim - 1 - d];
        return ref_at(ir_arg(n, 0), r, n->ndim);
    }
    kscalar v[3];
    for (int i = 0; i < 3 && n->arg[i] != IR_NONE; i++) {
        const kiln_expr *c = ir_arg(n, i);
        /* operands may have lower rank or size-1 dims: index them as broadcasting does */
        int64_t sub[KILN_MAX_DIMS];
        for (int d = 0; d < c->ndim; d++) sub[d] = c->shape[d] == 1 ? 0 : idx[nd - c->ndim + d];
        v[i] = ref_at(c, sub, c->ndim);
    }
    return ref_apply((kiln_op)n->op, ir_operand_dtype(n), (kiln_dtype)n->dtype, v);
}

kiln_status ref_eval(kiln_ctx *ctx, kiln_expr *e, kiln_array *out) {
    if (!e || !out) return kiln_fail(ctx, KILN_ERR_ARG, "ref_eval: NULL argument");
    if (out->ndim != e->ndim || memcmp(out->shape, e->shape, e->ndim * sizeof(int64_t)) != 0 ||
        out->dtype != e->dtype)
        return kiln_fail(ctx, KILN_ERR_SHAPE, "ref_eval: output does not match the expression");
    int64_t idx[KILN_MAX_DIMS] = {0}, n = ir_size(e);
    for (int64_t k = 0; k < n; k++) {
        char *p = out->data;
        for (int d = 0; d < e->ndim; d++) p += idx[d] * out->strides[d];
        ref_store(p, (kiln_dtype)e->dtype, ref_at(e, idx, e->ndim));
        for (int d = e->ndim - 1; d >= 0; d--) {
            if (++idx[d] < e->shape[d]) break;
            idx[d] = 0;
        }
    }
    return KILN_OK;
}
