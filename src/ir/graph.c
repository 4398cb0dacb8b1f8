/*
 * graph.c — building the expression graph: type rules (NumPy 2, NEP 50 weak scalars),
 * broadcasting, constant folding, IEEE-safe simplification and hash-consing.
 *
 * Pipeline position: first.  Every public builder ends in ir_build:
 *
 *     check args ─▶ dtype rule ─▶ broadcast ─▶ coerce operands ─▶ fold ─▶ simplify ─▶ intern
 *
 * so a graph is always typed, shaped, folded and free of duplicates.
 */
#include "graph.h"

#include <math.h>
#include <string.h>

#include "../runtime/ctx.h"

const char *blas_name(void); /* runtime/matmul.c */

void eval_plan_free(kiln_ctx *ctx, struct eval_plan *p); /* runtime/eval.c */

/* ------------------------------------------------------------------ op metadata */

const op_kind kiln_op_kind[KILN_OP_COUNT] = {
    [KILN_OP_VAR] = KIND_LEAF, [KILN_OP_CONST] = KIND_LEAF, [KILN_OP_CAST] = KIND_CAST,
#define X(E, b, np, ar, k, sp, cf) [KILN_OP_##E] = KIND_##k,
    KILN_OPS(X)
#undef X
#define X(E, b, np, k) [KILN_OP_##E] = KIND_##k,
    KILN_STRUCT_OPS(X)
#undef X
};
const char *const kiln_op_cfunc[KILN_OP_COUNT] = {
    [KILN_OP_VAR] = "", [KILN_OP_CONST] = "", [KILN_OP_CAST] = "",
#define X(E, b, np, ar, k, sp, cf) [KILN_OP_##E] = cf,
    KILN_OPS(X)
#undef X
#define X(E, b, np, k) [KILN_OP_##E] = "",
    KILN_STRUCT_OPS(X)
#undef X
};
const kiln_op reduce_combine_op[KILN_OP_COUNT] = {
    [KILN_OP_SUM] = KILN_OP_ADD, [KILN_OP_PROD] = KILN_OP_MUL, [KILN_OP_MAX] = KILN_OP_MAXIMUM,
    [KILN_OP_MIN] = KILN_OP_MINIMUM, [KILN_OP_ANY] = KILN_OP_OR, [KILN_OP_ALL] = KILN_OP_AND,
};
static const char *const op_names[KILN_OP_COUNT] = {
    [KILN_OP_VAR] = "var", [KILN_OP_CONST] = "const", [KILN_OP_CAST] = "astype",
#define X(E, b, np, ar, k, sp, cf) [KILN_OP_##E] = np,
    KILN_OPS(X)
#undef X
#define X(E, b, np, k) [KILN_OP_##E] = np,
    KILN_STRUCT_OPS(X)
#undef X
};
static const char *const op_symbols[KILN_OP_COUNT] = {
    [KILN_OP_VAR] = "", [KILN_OP_CONST] = "", [KILN_OP_CAST] = "",
#define X(E, b, np, ar, k, sp, cf) [KILN_OP_##E] = sp,
    KILN_OPS(X)
#undef X
#define X(E, b, np, k) [KILN_OP_##E] = "",
    KILN_STRUCT_OPS(X)
#undef X
};
static const int op_arity[KILN_OP_COUNT] = {
    [KILN_OP_VAR] = 0, [KILN_OP_CONST] = 0, [KILN_OP_CAST] = 1,
#define X(E, b, np, ar, k, sp, cf) [KILN_OP_##E] = ar,
    KILN_OPS(X)
#undef X
#define X(E, b, np, k) [KILN_OP_##E] = (KIND_##k == KIND_MATMUL ? 2 : 1),
    KILN_STRUCT_OPS(X)
#undef X
};

const char *kiln_op_name(kiln_op op) { return (unsigned)op < KILN_OP_COUNT ? op_names[op] : "?"; }
int kiln_op_arity(kiln_op op) { return (unsigned)op < KILN_OP_COUNT ? op_arity[op] : -1; }
const char *kiln_op_symbol(kiln_op op) { return (unsigned)op < KILN_OP_COUNT ? op_symbols[op] : ""; }

/* ------------------------------------------------------------------ arena and hash table */

kiln_status ir_graph_init(ir_graph *g, kiln_ctx *ctx) {
    memset(g, 0, sizeof *g);
    g->ctx = ctx;
    g->free_head = IR_NONE;
    g->nbuckets = 256;
    g->buckets = kiln_malloc(ctx, g->nbuckets * sizeof *g->buckets);
    if (!g->buckets) return KILN_ERR_NOMEM;
    for (uint32_t i = 0; i < g->nbuckets; i++) g->buckets[i] = IR_NONE;
    pthread_mutex_init(&g->lock, NULL);
    return KILN_OK;
}

static void node_drop_payload(ir_graph *g, kiln_expr *n) {
    struct eval_plan *p = atomic_load(&n->plan);
    if (p) eval_plan_free(g->ctx, p);
    atomic_store(&n->plan, NULL);
    if (n->array) kiln_array_free(n->array);
    n->array = NULL;
}

void ir_graph_destroy(ir_graph *g) {
    if (!g->buckets) return;
    for (uint32_t i = 0; i < g->top; i++) {
        kiln_expr *n = ir_node(g, i);
        if (n->refs) node_drop_payload(g, n);
    }
    for (uint32_t b = 0; b < g->nblocks; b++) kiln_free(g->ctx, g->blocks[b]);
    kiln_free(g->ctx, g->blocks);
    kiln_free(g->ctx, g->buckets);
    pthread_mutex_destroy(&g->lock);
    g->buckets = NULL;
}

/* A VAR node stands for the memory it reads, not for the array handle: two views with the
 * same data, dtype, shape and strides are one node (so x.T built twice is one node). */
static uint64_t node_hash(const kiln_expr *n) {
    uint64_t h = KILN_HASH_SEED;
    uint8_t head[6] = {n->op, n->dtype, n->weak, n->ndim, (uint8_t)n->axis, n->keepdims};
    h = kiln_hash_bytes(h, head, sizeof head);
    h = kiln_hash_bytes(h, n->arg, sizeof n->arg);
    h = kiln_hash_bytes(h, &n->val.bits, sizeof n->val.bits);
    if (n->array) {
        h = kiln_hash_bytes(h, &n->array->data, sizeof n->array->data);
        h = kiln_hash_bytes(h, n->array->shape, n->ndim * sizeof *n->array->shape);
        h = kiln_hash_bytes(h, n->array->strides, n->ndim * sizeof *n->array->strides);
    }
    return h ^ (h >> 29);
}

static bool same_memory(const kiln_array *a, const kiln_array *b) {
    if (a == b) return true;
    if (!a || !b) return false;
    return a->data == b->data && a->dtype == b->dtype && a->ndim == b->ndim &&
           memcmp(a->shape, b->shape, a->ndim * sizeof *a->shape) == 0 &&
           memcmp(a->strides, b->strides, a->ndim * sizeof *a->strides) == 0;
}

static bool node_same(const kiln_expr *a, const kiln_expr *b) {
    return a->op == b->op && a->dtype == b->dtype && a->weak == b->weak && a->ndim == b->ndim &&
           a->axis == b->axis && a->keepdims == b->keepdims && memcmp(a->arg, b->arg, sizeof a->arg) == 0 &&
           a->val.bits == b->val.bits && same_memory(a->array, b->array);
}

/* Doubles the bucket array; on failure the table keeps working at its old size. */
static void grow_buckets(ir_graph *g) {
    uint32_t nb = g->nbuckets * 2;
    ir_ref *b = kiln_malloc(g->ctx, nb * sizeof *b);
    if (!b) return;
    for (uint32_t i = 0; i < nb; i++) b[i] = IR_NONE;
    for (uint32_t i = 0; i < g->top; i++) {
        kiln_expr *n = ir_node(g, i);
        if (!n->refs) continue;
        uint32_t k = (uint32_t)n->hash & (nb - 1);
        n->chain = b[k];
        b[k] = n->id;
    }
    kiln_free(g->ctx, g->buckets);
    g->buckets = b;
    g->nbuckets = nb;
}

static kiln_expr *slot_alloc(ir_graph *g) {
    if (g->free_head != IR_NONE) {
        kiln_expr *n = ir_node(g, g->free_head);
        g->free_head = n->chain;
        return n;
    }
    uint32_t per = 1u << IR_BLOCK_BITS;
    if (g->top == g->nblocks * per) {
        if (g->top >= IR_NONE - per) {
            kiln_fail(g->ctx, KILN_ERR_NOMEM, "expression graph is full");
            return NULL;
        }
        kiln_expr **bl = kiln_realloc(g->ctx, g->blocks, (g->nblocks + 1) * sizeof *bl);
        if (!bl) return NULL;
        g->blocks = bl;
        kiln_expr *blk = kiln_calloc(g->ctx, per * sizeof *blk);
        if (!blk) return NULL;
        g->blocks[g->nblocks++] = blk;
    }
    kiln_expr *n = ir_node(g, g->top);
    n->id = g->top++;
    return n;
}

/* Finds proto in the table or adds a copy; returns a new reference or NULL.  Takes the lock. */
static kiln_expr *intern(kiln_ctx *ctx, kiln_expr *proto) {
    ir_graph *g = &ctx->graph;
    proto->hash = node_hash(proto);
    pthread_mutex_lock(&g->lock);
    uint32_t k = (uint32_t)proto->hash & (g->nbuckets - 1);
    for (ir_ref r = g->buckets[k]; r != IR_NONE;) {
        kiln_expr *n = ir_node(g, r);
        if (n->hash == proto->hash && node_same(n, proto)) {
            n->refs++;
            pthread_mutex_unlock(&g->lock);
            return n;
        }
        r = n->chain;
    }
    kiln_expr *n = slot_alloc(g);
    if (!n) {
        pthread_mutex_unlock(&g->lock);
        return NULL;
    }
    ir_ref id = n->id;
    *n = *proto;
    n->id = id;
    n->g = g;
    n->refs = 1;
    atomic_init(&n->plan, NULL);
    for (int i = 0; i < 3; i++)
        if (n->arg[i] != IR_NONE) ir_node(g, n->arg[i])->refs++;
    if (n->array) kiln_array_retain(n->array);
    n->chain = g->buckets[k];
    g->buckets[k] = id;
    g->live++;
    if (g->live > g->nbuckets) grow_buckets(g);
    pthread_mutex_unlock(&g->lock);
    return n;
}

void ir_retain(kiln_expr *n) {
    pthread_mutex_lock(&n->g->lock);
    n->refs++;
    pthread_mutex_unlock(&n->g->lock);
}

static void unlink_node(ir_graph *g, kiln_expr *n) {
    ir_ref *p = &g->buckets[(uint32_t)n->hash & (g->nbuckets - 1)];
    while (*p != n->id) p = &ir_node(g, *p)->chain;
    *p = n->chain;
}

/* Drops a reference; a node that reaches zero is unlinked, its operands released in turn
 * (iteratively, through the free list used as a stack), and its slot recycled. */
void ir_release(kiln_expr *n) {
    ir_graph *g = n->g;
    pthread_mutex_lock(&g->lock);
    KILN_ASSERT(n->refs > 0);
    if (--n->refs) {
        pthread_mutex_unlock(&g->lock);
        return;
    }
    ir_ref dead = IR_NONE; /* chain of dead nodes to finish */
    unlink_node(g, n);
    n->chain = dead;
    dead = n->id;
    while (dead != IR_NONE) {
        kiln_expr *d = ir_node(g, dead);
        dead = d->chain;
        for (int i = 0; i < 3; i++) {
            if (d->arg[i] == IR_NONE) continue;
            kiln_expr *c = ir_node(g, d->arg[i]);
            if (--c->refs == 0) {
                unlink_node(g, c);
                c->chain = dead;
                dead = c->id;
            }
        }
        node_drop_payload(g, d);
        g->live--;
        d->chain = g->free_head;
        g->free_head = d->id;
    }
    pthread_mutex_unlock(&g->lock);
}

/* ------------------------------------------------------------------ type rules */

static const uint8_t promote_table[KILN_DTYPE_COUNT][KILN_DTYPE_COUNT] = {
    /*            bool      i32       i64       f32       f64 */
    [KILN_BOOL] = {KILN_BOOL, KILN_I32, KILN_I64, KILN_F32, KILN_F64},
    [KILN_I32] = {KILN_I32, KILN_I32, KILN_I64, KILN_F64, KILN_F64},
    [KILN_I64] = {KILN_I64, KILN_I64, KILN_I64, KILN_F64, KILN_F64},
    [KILN_F32] = {KILN_F32, KILN_F64, KILN_F64, KILN_F32, KILN_F64},
    [KILN_F64] = {KILN_F64, KILN_F64, KILN_F64, KILN_F64, KILN_F64},
};

kiln_dtype ir_promote(kiln_dtype a, kiln_dtype b) { return (kiln_dtype)promote_table[a][b]; }

/* The Python kind of a weak scalar: bool < int < float. */
static int weak_rank(kiln_dtype dt) { return dt == KILN_BOOL ? 0 : dtype_is_int(dt) ? 1 : 2; }

/* NEP 50: a weak scalar takes the other operand's dtype when its kind fits, else the
 * default dtype of its own kind. */
static kiln_dtype promote_weak(const kiln_expr *w, kiln_dtype strong) {
    int k = weak_rank((kiln_dtype)w->dtype);
    if (k == 0) return strong;
    if (k == 1) return strong == KILN_BOOL ? KILN_I64 : strong;
    return dtype_is_float(strong) ? strong : KILN_F64;
}

/* The common dtype of operands a[0..n): strong ones promote as arrays; weak ones join per
 * NEP 50.  *all_weak tells whether every operand was a Python scalar. */
static kiln_dtype common_dtype(kiln_expr *const *a, int n, bool *all_weak) {
    int have_strong = 0, wk = -1;
    kiln_dtype s = KILN_BOOL;
    const kiln_expr *weakest = NULL;
    for (int i = 0; i < n; i++) {
        if (a[i]->weak) {
            if (weak_rank((kiln_dtype)a[i]->dtype) > wk) {
                wk = weak_rank((kiln_dtype)a[i]->dtype);
                weakest = a[i];
            }
        } else {
            s = have_strong ? ir_promote(s, (kiln_dtype)a[i]->dtype) : (kiln_dtype)a[i]->dtype;
            have_strong = 1;
        }
    }
    *all_weak = !have_strong;
    if (!have_strong) return wk == 0 ? KILN_BOOL : wk == 1 ? KILN_I64 : KILN_F64;
    return weakest ? promote_weak(weakest, s) : s;
}

static const char *dt_list(kiln_expr *const *a, int n, char *buf, size_t cap) {
    size_t o = 0;
    buf[0] = 0;
    for (int i = 0; i < n && o < cap; i++)
        o += (size_t)snprintf(buf + o, cap - o, "%s%s", i ? ", " : "", kiln_dtype_name((kiln_dtype)a[i]->dtype));
    return buf;
}

/* Decides the operand dtype *odt and result dtype *out of op on args, or fails. */
static kiln_status type_rule(kiln_ctx *ctx, kiln_op op, kiln_expr *const *args, int n,
                             kiln_dtype *odt, kiln_dtype *out, bool *all_weak) {
    kiln_expr *const *vals = op == KILN_OP_WHERE ? args + 1 : args;
    int nv = op == KILN_OP_WHERE ? 2 : n;
    kiln_dtype t = common_dtype(vals, nv, all_weak);
    char buf[64];
    *odt = *out = t;
    switch (kiln_op_kind[op]) {
    case KIND_LEAF:
    case KIND_CAST:
    case KIND_ANY:
    case KIND_WHERE:
    case KIND_REDUCE: /* built by ir_reduce, kiln_matmul and kiln_transpose */
    case KIND_MATMUL:
    case KIND_VIEW:
        return KILN_OK;
    case KIND_ARITH:
        if (op == KILN_OP_SUB && t == KILN_BOOL)
            return kiln_fail(ctx, KILN_ERR_DTYPE,
                             "numpy boolean subtract, the `-` operator, is not supported; "
                             "use the bitwise_xor, the `^` operator, instead");
        return KILN_OK;
    case KIND_FDIV:
        if (!dtype_is_float(t)) *odt = *out = KILN_F64;
        return KILN_OK;
    case KIND_IDIV:
        if (t == KILN_BOOL)
            return kiln_fail(ctx, KILN_ERR_DTYPE,
                             "'%s' on booleans gives int8 in NumPy, which kiln does not have; "
                             "cast to an integer type first", op_names[op]);
        return KILN_OK;
    case KIND_FMATH:
        if (t == KILN_BOOL) *odt = *out = KILN_F32; /* NumPy gives float16 */
        else if (dtype_is_int(t)) *odt = *out = KILN_F64;
        return KILN_OK;
    case KIND_CMP:
        *out = KILN_BOOL;
        return KILN_OK;
    case KIND_BIT:
        if (dtype_is_float(t))
            return kiln_fail(ctx, KILN_ERR_DTYPE,
                             "ufunc '%s' not supported for the input types (%s); it needs "
                             "booleans or integers", op_names[op], dt_list(args, n, buf, sizeof buf));
        return KILN_OK;
    case KIND_NUM:
        if (t == KILN_BOOL)
            return kiln_fail(ctx, KILN_ERR_DTYPE,
                             "ufunc '%s' not supported for booleans%s", op_names[op],
                             op == KILN_OP_NEG ? "; use the `~` operator instead" : "");
        return KILN_OK;
    }
    return KILN_OK;
}

/* ------------------------------------------------------------------ shapes */

static void shape_str(const kiln_expr *e, char *buf, size_t cap) {
    size_t o = (size_t)snprintf(buf, cap, "(");
    for (int d = 0; d < e->ndim && o < cap; d++)
        o += (size_t)snprintf(buf + o, cap - o, "%s%lld", d ? "," : "", (long long)e->shape[d]);
    if (o < cap) snprintf(buf + o, cap - o, e->ndim == 1 ? ",)" : ")");
}

/* NumPy broadcasting of args' shapes into *res. */
static kiln_status broadcast(kiln_ctx *ctx, kiln_expr *const *args, int n, kiln_expr *res) {
    int nd = 0;
    for (int i = 0; i < n; i++)
        if (args[i]->ndim > nd) nd = args[i]->ndim;
    res->ndim = (uint8_t)nd;
    for (int d = 0; d < nd; d++) {
        int64_t s = 1;
        for (int i = 0; i < n; i++) {
            int k = d - (nd - args[i]->ndim);
            if (k < 0) continue;
            int64_t si = args[i]->shape[k];
            if (si == s || si == 1) continue;
            if (s != 1) {
                char m[256] = "", one[64];
                size_t o = 0;
                for (int j = 0; j < n; j++) {
                    shape_str(args[j], one, sizeof one);
                    o += (size_t)snprintf(m + o, sizeof m - o, " %s", one);
                    if (o >= sizeof m) break;
                }
                return kiln_fail(ctx, KILN_ERR_SHAPE,
                                 "operands could not be broadcast together with shapes%s", m);
            }
            s = si;
        }
        res->shape[d] = s;
    }
    return KILN_OK;
}

/* ------------------------------------------------------------------ leaves and coercion */

static void proto_init(kiln_expr *p, kiln_op op, kiln_dtype dt) {
    memset(p, 0, sizeof *p);
    p->op = (uint8_t)op;
    p->dtype = (uint8_t)dt;
    p->arg[0] = p->arg[1] = p->arg[2] = IR_NONE;
}

kiln_expr *ir_const(kiln_ctx *ctx, kiln_dtype dt, kscalar v, bool weak) {
    kiln_expr p;
    proto_init(&p, KILN_OP_CONST, dt);
    p.weak = weak;
    p.val.bits = 0;
    switch (dt) { /* canonical bytes, so equal values hash equal */
    case KILN_BOOL: p.val.b = v.b; break;
    case KILN_I32: p.val.i32 = v.i32; break;
    case KILN_I64: p.val.i64 = v.i64; break;
    case KILN_F32: p.val.f32 = v.f32; break;
    case KILN_F64: p.val.f64 = v.f64; break;
    case KILN_DTYPE_COUNT: KILN_ASSERT(0);
    }
    return intern(ctx, &p);
}

/* x in dtype dt: x itself (retained), a retyped weak constant, or a CAST node. */
static kiln_expr *coerce(kiln_ctx *ctx, kiln_expr *x, kiln_dtype dt) {
    if (x->dtype == dt) {
        ir_retain(x);
        return x;
    }
    if (x->op == KILN_OP_CONST && x->weak && dtype_is_int(dt) && x->dtype == KILN_I64) {
        int64_t v = x->val.i64;
        if (dt == KILN_I32 && (v < INT32_MIN || v > INT32_MAX)) {
            kiln_fail(ctx, KILN_ERR_DTYPE, "Python integer %lld out of bounds for int32",
                      (long long)v);
            return NULL;
        }
    }
    kiln_expr *a[1] = {x};
    return ir_build(ctx, KILN_OP_CAST, a, dt);
}

/* ------------------------------------------------------------------ simplification */

static bool is_const_val(const kiln_expr *n, double v) {
    if (n->op != KILN_OP_CONST) return false;
    switch ((kiln_dtype)n->dtype) {
    case KILN_BOOL: return false;
    case KILN_I32: return n->val.i32 == v;
    case KILN_I64: return n->val.i64 == v;
    case KILN_F32: return n->val.f32 == v && signbit(n->val.f32) == signbit(v);
    case KILN_F64: return n->val.f64 == v && signbit(n->val.f64) == signbit(v);
    case KILN_DTYPE_COUNT: break;
    }
    return false;
}

/* IEEE-safe rewrites of op(a) (operands already coerced).  Returns a new reference to an
 * equivalent node, or NULL when no rule applies (no error is set then).  *err is set when a
 * rule applied but building its result failed. */
static kiln_expr *simplify(kiln_ctx *ctx, kiln_op op, kiln_expr **a, bool *err) {
    kiln_expr *same = NULL;
    switch (op) {
    case KILN_OP_MUL:
        if (is_const_val(a[1], 1)) same = a[0];
        else if (is_const_val(a[0], 1)) same = a[1];
        break;
    case KILN_OP_DIV:
        if (is_const_val(a[1], 1)) same = a[0];
        break;
    case KILN_OP_SUB:
        if (is_const_val(a[1], 0)) same = a[0]; /* x - (+0) == x, also for -0 */
        break;
    case KILN_OP_ADD:
        if (dtype_is_float((kiln_dtype)a[0]->dtype) ? is_const_val(a[1], -0.0) : is_const_val(a[1], 0))
            same = a[0];
        else if (dtype_is_float((kiln_dtype)a[0]->dtype) ? is_const_val(a[0], -0.0) : is_const_val(a[0], 0))
            same = a[1];
        break;
    case KILN_OP_NEG:
        if (a[0]->op == KILN_OP_NEG) same = ir_arg(a[0], 0);
        break;
    case KILN_OP_AND:
    case KILN_OP_OR:
    case KILN_OP_MAXIMUM:
    case KILN_OP_MINIMUM:
        if (a[0] == a[1]) same = a[0];
        break;
    case KILN_OP_WHERE:
        if (a[1] == a[2]) same = a[1];
        break;
    case KILN_OP_POW: {
        /* NumPy's `**` fast paths for a scalar exponent (fast_scalar_power): x**1 is x,
         * x**2 is x*x, and for floats x**0.5 is sqrt(x) and x**-1 is 1/x. */
        kiln_expr *x = a[0], *r = NULL;
        bool fl = dtype_is_float((kiln_dtype)x->dtype);
        if (is_const_val(a[1], 1)) same = x;
        else if (is_const_val(a[1], 2)) {
            kiln_expr *m[2] = {x, x};
            r = ir_build(ctx, KILN_OP_MUL, m, KILN_BOOL);
        } else if (fl && is_const_val(a[1], 0.5)) {
            r = ir_build(ctx, KILN_OP_SQRT, &x, KILN_BOOL);
        } else if (fl && is_const_val(a[1], -1)) {
            kscalar one = {.bits = 0};
            if (x->dtype == KILN_F32) one.f32 = 1; else one.f64 = 1;
            kiln_expr *c = ir_const(ctx, (kiln_dtype)x->dtype, one, false);
            if (!c) { *err = true; return NULL; }
            kiln_expr *m[2] = {c, x};
            r = ir_build(ctx, KILN_OP_DIV, m, KILN_BOOL);
            ir_release(c);
        } else {
            return NULL;
        }
        if (same) break;
        if (!r) *err = true;
        return r;
    }
    default:
        break;
    }
    if (same) ir_retain(same);
    return same;
}

/* ------------------------------------------------------------------ the builder */

kiln_expr *ir_build(kiln_ctx *ctx, kiln_op op, kiln_expr *const *args, kiln_dtype cast_to) {
    int n = op_arity[op];
    for (int i = 0; i < n; i++) {
        if (!args[i]) {
            if (kiln_errcode(ctx) == KILN_OK)
                kiln_fail(ctx, KILN_ERR_ARG, "%s: operand %d is NULL", op_names[op], i + 1);
            return NULL;
        }
        if (args[i]->g != &ctx->graph) {
            kiln_fail(ctx, KILN_ERR_ARG, "%s: operand %d belongs to another context",
                      op_names[op], i + 1);
            return NULL;
        }
    }
    kiln_expr proto;
    kiln_dtype odt, out;
    bool all_weak = false;
    if (op == KILN_OP_CAST) {
        if (!dtype_valid(cast_to)) {
            kiln_fail(ctx, KILN_ERR_ARG, "astype: invalid dtype %d", (int)cast_to);
            return NULL;
        }
        odt = (kiln_dtype)args[0]->dtype;
        out = cast_to;
    } else if (type_rule(ctx, op, args, n, &odt, &out, &all_weak) != KILN_OK) {
        return NULL;
    }
    /* Python's int ** negative int is a float: 2**-1 is 0.5 */
    if (op == KILN_OP_POW && all_weak && dtype_is_int(odt) && args[1]->op == KILN_OP_CONST && args[1]->val.i64 < 0)
        odt = out = KILN_F64;
    proto_init(&proto, op, out);
    if (broadcast(ctx, args, n, &proto) != KILN_OK) return NULL;

    /* Operands in the op's operand dtype (WHERE's condition in bool). */
    kiln_expr *c[3] = {NULL, NULL, NULL};
    kiln_expr *res = NULL;
    bool folded = true;
    for (int i = 0; i < n; i++) {
        kiln_dtype want = op == KILN_OP_CAST ? odt : (op == KILN_OP_WHERE && i == 0) ? KILN_BOOL : odt;
        c[i] = coerce(ctx, args[i], want);
        if (!c[i]) goto done;
        if (c[i]->op != KILN_OP_CONST) folded = false;
    }
    if (op == KILN_OP_POW && dtype_is_int(odt) && c[1]->op == KILN_OP_CONST &&
        (odt == KILN_I32 ? c[1]->val.i32 : c[1]->val.i64) < 0) {
        kiln_fail(ctx, KILN_ERR_DTYPE, "Integers to negative integer powers are not allowed");
        goto done;
    }
    if (folded) {
        kscalar v[3];
        for (int i = 0; i < n; i++) v[i] = c[i]->val;
        /* Python operators on Python scalars stay Python scalars; functions do not. */
        bool weak = all_weak && op != KILN_OP_CAST && op_symbols[op][0];
        res = ir_const(ctx, out, ref_apply(op, odt, out, v), weak);
        goto done;
    }
    bool err = false;
    res = simplify(ctx, op, c, &err);
    if (err) goto done;
    if (res && (res->dtype != out || res->ndim != proto.ndim ||
                memcmp(res->shape, proto.shape, proto.ndim * sizeof *proto.shape) != 0)) {
        ir_release(res); /* the rewrite would change the result's type or shape */
        res = NULL;
    }
    if (!res) {
        for (int i = 0; i < n; i++) proto.arg[i] = c[i]->id;
        res = intern(ctx, &proto);
    }
done:
    for (int i = 0; i < n; i++)
        if (c[i]) ir_release(c[i]);
    return res;
}

/* ------------------------------------------------------------------ public builders */

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
    kiln_expr p;
    proto_init(&p, KILN_OP_VAR, (kiln_dtype)a->dtype);
    p.ndim = a->ndim;
    memcpy(p.shape, a->shape, sizeof p.shape);
    p.array = a;
    return intern(ctx, &p);
}

kiln_expr *kiln_scalar(kiln_ctx *ctx, double v) {
    ARGCHK(ctx);
    return ir_const(ctx, KILN_F64, (kscalar){.f64 = v}, true);
}
kiln_expr *kiln_int(kiln_ctx *ctx, int64_t v) {
    ARGCHK(ctx);
    return ir_const(ctx, KILN_I64, (kscalar){.i64 = v}, true);
}
kiln_expr *kiln_bool(kiln_ctx *ctx, int v) {
    ARGCHK(ctx);
    return ir_const(ctx, KILN_BOOL, (kscalar){.b = v != 0}, true);
}
kiln_expr *kiln_const(kiln_ctx *ctx, kiln_dtype dt, double v) {
    ARGCHK(ctx);
    if (!dtype_valid(dt)) {
        kiln_fail(ctx, KILN_ERR_ARG, "kiln_const: invalid dtype %d", (int)dt);
        return NULL;
    }
    return ir_const(ctx, dt, ref_cast((kscalar){.f64 = v}, KILN_F64, dt), false);
}
kiln_expr *kiln_const_i64(kiln_ctx *ctx, kiln_dtype dt, int64_t v) {
    ARGCHK(ctx);
    if (!dtype_valid(dt)) {
        kiln_fail(ctx, KILN_ERR_ARG, "kiln_const_i64: invalid dtype %d", (int)dt);
        return NULL;
    }
    return ir_const(ctx, dt, ref_cast((kscalar){.i64 = v}, KILN_I64, dt), false);
}
kiln_expr *kiln_cast(kiln_ctx *ctx, kiln_expr *x, kiln_dtype dt) {
    ARGCHK(ctx);
    return ir_build(ctx, KILN_OP_CAST, &x, dt);
}

kiln_expr *kiln_apply(kiln_ctx *ctx, kiln_op op, kiln_expr *const *args) {
    ARGCHK(ctx);
    if (op == KILN_OP_MATMUL && args) return kiln_matmul(ctx, args[0], args[1]);
    if ((unsigned)op >= KILN_OP_COUNT || op <= KILN_OP_CAST || !op_is_elementwise(op) || !args) {
        kiln_fail(ctx, KILN_ERR_ARG, "kiln_apply: op %d is not an element-wise op", (int)op);
        return NULL;
    }
    return ir_build(ctx, op, args, KILN_BOOL);
}

#define X1(b, E) \
    kiln_expr *kiln_##b(kiln_ctx *ctx, kiln_expr *x) { ARGCHK(ctx); kiln_expr *a[1] = {x}; return ir_build(ctx, KILN_OP_##E, a, KILN_BOOL); }
#define X2(b, E) \
    kiln_expr *kiln_##b(kiln_ctx *ctx, kiln_expr *x, kiln_expr *y) { ARGCHK(ctx); kiln_expr *a[2] = {x, y}; return ir_build(ctx, KILN_OP_##E, a, KILN_BOOL); }
#define X3(b, E) \
    kiln_expr *kiln_##b(kiln_ctx *ctx, kiln_expr *x, kiln_expr *y, kiln_expr *z) { ARGCHK(ctx); kiln_expr *a[3] = {x, y, z}; return ir_build(ctx, KILN_OP_##E, a, KILN_BOOL); }
#define X(E, b, np, ar, k, sp, cf) X##ar(b, E)
KILN_OPS(X)
#undef X

kiln_expr *kiln_expr_retain(kiln_expr *e) {
    if (e) ir_retain(e);
    return e;
}
void kiln_expr_free(kiln_expr *e) {
    if (e) ir_release(e);
}
kiln_op kiln_expr_op(const kiln_expr *e) { return e ? (kiln_op)e->op : KILN_OP_COUNT; }
kiln_dtype kiln_expr_dtype(const kiln_expr *e) { return e ? (kiln_dtype)e->dtype : KILN_DTYPE_COUNT; }
int kiln_expr_ndim(const kiln_expr *e) { return e ? e->ndim : -1; }
const int64_t *kiln_expr_shape(const kiln_expr *e) { return e ? e->shape : NULL; }
kiln_array *kiln_expr_array(const kiln_expr *e) { return e && e->op == KILN_OP_VAR ? e->array : NULL; }
int kiln_expr_scalar(const kiln_expr *e, double *f, int64_t *i) {
    if (!e || e->op != KILN_OP_CONST) return 0;
    kscalar v = e->val;
    kiln_dtype dt = (kiln_dtype)e->dtype;
    if (f) *f = ref_cast(v, dt, KILN_F64).f64;
    if (i) *i = ref_cast(v, dt, KILN_I64).i64; /* floats truncate; NaN and out-of-range give INT64_MIN */
    return 1;
}

/* ------------------------------------------------------------------ reductions and matmul */

static bool check_operand(kiln_ctx *ctx, kiln_expr *x, const char *fn, int i) {
    if (!x) {
        if (kiln_errcode(ctx) == KILN_OK) kiln_fail(ctx, KILN_ERR_ARG, "%s: operand %d is NULL", fn, i);
        return false;
    }
    if (x->g != &ctx->graph) {
        kiln_fail(ctx, KILN_ERR_ARG, "%s: operand %d belongs to another context", fn, i);
        return false;
    }
    return true;
}

/* The number of elements a reduction of x over axis combines. */
static int64_t reduced_count(const kiln_expr *x, int axis) {
    return axis == KILN_ALL_AXES ? ir_size(x) : x->shape[axis];
}

kiln_expr *ir_reduce(kiln_ctx *ctx, kiln_op op, kiln_expr *x, int axis, bool keepdims) {
    const char *fn = op_names[op];
    if (!check_operand(ctx, x, fn, 1)) return NULL;
    if (axis != KILN_ALL_AXES) {
        if (axis < -(int)x->ndim || axis >= (int)x->ndim) {
            kiln_fail(ctx, KILN_ERR_ARG, "%s: axis %d is out of bounds for array of dimension %d", fn, axis, x->ndim);
            return NULL;
        }
        if (axis < 0) axis += x->ndim;
    }
    kiln_dtype in = (kiln_dtype)x->dtype, want = in, out = in;
    switch (op) {
    case KILN_OP_SUM:
    case KILN_OP_PROD: want = out = dtype_is_float(in) ? in : KILN_I64; break;
    case KILN_OP_ARGMAX:
    case KILN_OP_ARGMIN: out = KILN_I64; break;
    case KILN_OP_ANY:
    case KILN_OP_ALL: want = out = KILN_BOOL; break;
    default: break;
    }
    if (x->weak && want == in) want = out = in == KILN_BOOL ? KILN_BOOL : in; /* a Python scalar: its default dtype */
    if (reduced_count(x, axis) == 0 && op != KILN_OP_SUM && op != KILN_OP_PROD && op != KILN_OP_ANY && op != KILN_OP_ALL) {
        kiln_fail(ctx, KILN_ERR_SHAPE, op == KILN_OP_ARGMAX || op == KILN_OP_ARGMIN
                                           ? "attempt to get %s of an empty sequence"
                                           : "zero-size array to reduction operation %s which has no identity",
                  fn);
        return NULL;
    }
    kiln_expr p;
    proto_init(&p, op, out);
    p.axis = (int8_t)axis;
    p.keepdims = keepdims;
    for (int d = 0; d < x->ndim; d++) {
        bool reduced = axis == KILN_ALL_AXES || axis == d;
        if (reduced && !keepdims) continue;
        p.shape[p.ndim++] = reduced ? 1 : x->shape[d];
    }
    kiln_expr *c = coerce(ctx, x, want);
    if (!c) return NULL;
    p.arg[0] = c->id;
    kiln_expr *r = intern(ctx, &p);
    ir_release(c);
    return r;
}

#define X(E, b, np, k) X_##k(b, E)
#define X_REDUCE(b, E) \
    kiln_expr *kiln_##b(kiln_ctx *ctx, kiln_expr *x, int axis, int keepdims) { ARGCHK(ctx); return ir_reduce(ctx, KILN_OP_##E, x, axis, keepdims != 0); }
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
    return ir_reduce(ctx, op, x, axis, keepdims != 0);
}

kiln_expr *kiln_mean(kiln_ctx *ctx, kiln_expr *x, int axis, int keepdims) {
    ARGCHK(ctx);
    if (!check_operand(ctx, x, "mean", 1)) return NULL;
    if (axis != KILN_ALL_AXES && (axis < -(int)x->ndim || axis >= (int)x->ndim)) {
        kiln_fail(ctx, KILN_ERR_ARG, "mean: axis %d is out of bounds for array of dimension %d", axis, x->ndim);
        return NULL;
    }
    int64_t count = reduced_count(x, axis == KILN_ALL_AXES || axis >= 0 ? axis : axis + x->ndim);
    kiln_expr *f = dtype_is_float((kiln_dtype)x->dtype) && !x->weak ? (ir_retain(x), x) : kiln_cast(ctx, x, KILN_F64);
    kiln_expr *s = f ? ir_reduce(ctx, KILN_OP_SUM, f, axis, keepdims) : NULL;
    kiln_expr *n = s ? kiln_const(ctx, (kiln_dtype)s->dtype, (double)count) : NULL;
    kiln_expr *r = n ? kiln_div(ctx, s, n) : NULL;
    kiln_expr_free(n);
    kiln_expr_free(s);
    kiln_expr_free(f);
    return r;
}

static void core_shape(const kiln_expr *e, char *b, size_t cap) { shape_str(e, b, cap); }

/* A product with a vector side is a reduction over an element-wise product, and can be done as
 * one: the reduction fuses whatever computes its operands, reads the matrix once at memory speed
 * and sums pairwise.  Used for dot products, for integers, and when there is no BLAS (whose
 * gemv, reading several rows at once, is faster still).
 *     (k,)·(k,)   sum(a*b)          (m,k)·(k,)   sum(a*b, 1)
 *     (m,k)·(k,1) sum(a*b.T, 1, keepdims)      (1,k)·(k,n) sum(a.T*b, 0, keepdims)
 * *handled tells whether the shapes were these; then NULL is an error, set on ctx. */
static kiln_expr *matmul_as_reduction(kiln_ctx *ctx, kiln_expr *a, kiln_expr *b, kiln_dtype dt, bool *handled) {
    if (dt != KILN_F32 && dt != KILN_F64 && dt != KILN_I64) return NULL; /* sum's dtype must be the product's */
    /* with BLAS, gemv reads the matrix faster (several rows at a time) unless the vector side is
     * computed: then fusing its producer into the reduction saves a pass */
    if (dtype_is_float(dt) && blas_name() && !(a->ndim == 1 && b->ndim == 1)) return NULL;
    int axis, keep;
    kiln_expr *x = a, *y = b, *tx = NULL, *ty = NULL;
    if (a->ndim == 1 && b->ndim == 1) axis = KILN_ALL_AXES, keep = 0;
    else if (a->ndim == 2 && b->ndim == 1) axis = 1, keep = 0;
    else if (a->ndim == 2 && b->ndim == 2 && b->shape[1] == 1) axis = 1, keep = 1, y = ty = kiln_transpose(ctx, b);
    else if (a->ndim == 2 && b->ndim == 2 && a->shape[0] == 1) axis = 0, keep = 1, x = tx = kiln_transpose(ctx, a);
    else return NULL;
    *handled = true;
    kiln_expr *ca = x ? coerce(ctx, x, dt) : NULL, *cb = y && ca ? coerce(ctx, y, dt) : NULL;
    kiln_expr *prod = cb ? kiln_mul(ctx, ca, cb) : NULL;
    kiln_expr *r = prod ? ir_reduce(ctx, KILN_OP_SUM, prod, axis, keep) : NULL;
    kiln_expr *tmp[] = {tx, ty, ca, cb, prod};
    for (int i = 0; i < 5; i++) kiln_expr_free(tmp[i]);
    if (!r && kiln_errcode(ctx) == KILN_OK) kiln_fail(ctx, KILN_ERR_NOMEM, "out of memory");
    return r;
}

kiln_expr *kiln_matmul(kiln_ctx *ctx, kiln_expr *a, kiln_expr *b) {
    ARGCHK(ctx);
    if (!check_operand(ctx, a, "matmul", 1) || !check_operand(ctx, b, "matmul", 2)) return NULL;
    for (int i = 0; i < 2; i++) {
        const kiln_expr *x = i ? b : a;
        if (x->ndim == 0) {
            kiln_fail(ctx, KILN_ERR_SHAPE, "matmul: Input operand %d does not have enough dimensions", i);
            return NULL;
        }
        if (x->ndim > 2) {
            kiln_fail(ctx, KILN_ERR_SHAPE, "matmul: batched (3-D and more) operands are not supported");
            return NULL;
        }
    }
    int64_t k1 = a->shape[a->ndim - 1], k2 = b->shape[b->ndim == 2 ? 0 : 0];
    if (k1 != k2) {
        char sa[64], sb[64];
        core_shape(a, sa, sizeof sa);
        core_shape(b, sb, sizeof sb);
        kiln_fail(ctx, KILN_ERR_SHAPE, "matmul: shapes %s and %s are not aligned: %lld (dim %d) != %lld (dim 0)", sa, sb,
                  (long long)k1, a->ndim - 1, (long long)k2);
        return NULL;
    }
    kiln_dtype dt = ir_promote((kiln_dtype)a->dtype, (kiln_dtype)b->dtype);
    bool handled = false;
    kiln_expr *r = matmul_as_reduction(ctx, a, b, dt, &handled);
    if (handled) return r;
    kiln_expr p;
    proto_init(&p, KILN_OP_MATMUL, dt);
    if (a->ndim == 2) p.shape[p.ndim++] = a->shape[0];
    if (b->ndim == 2) p.shape[p.ndim++] = b->shape[1];
    kiln_expr *ca = coerce(ctx, a, dt), *cb = ca ? coerce(ctx, b, dt) : NULL;
    if (ca && cb) {
        p.arg[0] = ca->id;
        p.arg[1] = cb->id;
        r = intern(ctx, &p);
    }
    if (ca) ir_release(ca);
    if (cb) ir_release(cb);
    return r;
}

/* ------------------------------------------------------------------ printer */

static void print_scalar(kstr *b, kiln_dtype dt, kscalar v) {
    switch (dt) {
    case KILN_BOOL: kstr_printf(b, "%s", v.b ? "True" : "False"); break;
    case KILN_I32: kstr_printf(b, "%d", v.i32); break;
    case KILN_I64: kstr_printf(b, "%lld", (long long)v.i64); break;
    case KILN_F32: kstr_printf(b, "%.9g", v.f32); break;
    case KILN_F64: kstr_printf(b, "%.17g", v.f64); break;
    case KILN_DTYPE_COUNT: break;
    }
}

static void print_node(const kiln_expr *n, kstr *b) {
    kstr_printf(b, "%%%u = %s", n->id, op_names[n->op]);
    if (n->op == KILN_OP_CONST) {
        kstr_printf(b, " ");
        print_scalar(b, (kiln_dtype)n->dtype, n->val);
        if (n->weak) kstr_printf(b, " (weak)");
    } else if (n->op == KILN_OP_VAR) {
        kstr_printf(b, " %p", (void *)n->array);
    } else if (kiln_op_kind[n->op] == KIND_REDUCE) {
        if (n->axis == KILN_ALL_AXES) kstr_printf(b, " (all axes%s)", n->keepdims ? ", keepdims" : "");
        else kstr_printf(b, " (axis %d%s)", n->axis, n->keepdims ? ", keepdims" : "");
    }
    for (int i = 0; i < 3; i++)
        if (n->arg[i] != IR_NONE) kstr_printf(b, "%s%%%u", i ? ", " : " ", n->arg[i]);
    kstr_printf(b, " : %s[", kiln_dtype_name((kiln_dtype)n->dtype));
    for (int d = 0; d < n->ndim; d++) kstr_printf(b, "%s%lld", d ? "," : "", (long long)n->shape[d]);
    kstr_printf(b, "]\n");
}

/* Post-order, each node once, with an explicit stack: deep graphs do not recurse. */
void ir_print(const kiln_expr *root, kstr *b) {
    ir_graph *g = root->g;
    pthread_mutex_lock(&g->lock);
    uint32_t top = g->top;
    uint8_t *seen = kiln_calloc(g->ctx, top);                  /* 1 pushed, 2 printed */
    const kiln_expr **stk = kiln_malloc(g->ctx, (size_t)top * sizeof *stk);
    if (seen && stk) {
        uint32_t sp = 0;
        stk[sp++] = root;
        seen[root->id] = 1;
        while (sp) {
            const kiln_expr *n = stk[sp - 1];
            bool pushed = false;
            for (int i = 0; i < 3 && !pushed; i++) {
                if (n->arg[i] == IR_NONE || seen[n->arg[i]]) continue;
                seen[n->arg[i]] = 1;
                stk[sp++] = ir_arg(n, i); /* each node is pushed once: sp stays below top */
                pushed = true;
            }
            if (pushed) continue;
            sp--;
            if (seen[n->id] == 1) print_node(n, b);
            seen[n->id] = 2;
        }
    } else {
        b->oom = true;
    }
    kiln_free(g->ctx, seen);
    kiln_free(g->ctx, stk);
    pthread_mutex_unlock(&g->lock);
}

/* ------------------------------------------------------------------ transpose */

/* The leaf n of an expression of rank nd, read transposed: padded to rank nd with leading
 * size-1 dims (as broadcasting would), then its dims reversed.  A new reference. */
static kiln_expr *transpose_leaf(kiln_ctx *ctx, kiln_expr *n, int nd) {
    if (n->op != KILN_OP_VAR) {
        ir_retain(n); /* a scalar constant reads the same either way */
        return n;
    }
    const kiln_array *a = n->array;
    int64_t shape[KILN_MAX_DIMS], strides[KILN_MAX_DIMS];
    for (int d = 0; d < nd; d++) {
        int k = d - (nd - a->ndim); /* padded dim d is the array's dim k */
        shape[nd - 1 - d] = k < 0 ? 1 : a->shape[k];
        strides[nd - 1 - d] = k < 0 ? 0 : a->strides[k];
    }
    kiln_array *v = kiln_array_view(ctx, n->array, nd, shape, strides, 0);
    kiln_expr *r = v ? kiln_var(ctx, v) : NULL;
    kiln_array_free(v);
    return r;
}

kiln_expr *kiln_transpose(kiln_ctx *ctx, kiln_expr *x) {
    if (!ctx) return NULL;
    if (!x) {
        if (kiln_errcode(ctx) == KILN_OK) kiln_fail(ctx, KILN_ERR_ARG, "transpose: operand is NULL");
        return NULL;
    }
    if (x->ndim < 2) {
        ir_retain(x);
        return x;
    }
    if (x->op == KILN_OP_TRANSPOSE) { /* x.T.T */
        ir_retain(ir_arg(x, 0));
        return ir_arg(x, 0);
    }
    /* rebuild x bottom-up (iteratively, each node once) with every leaf transposed; a
     * reduction or product inside makes it a view of x's result instead */
    pthread_mutex_lock(&ctx->graph.lock);
    uint32_t top = ctx->graph.top;
    pthread_mutex_unlock(&ctx->graph.lock);
    kiln_expr **memo = kiln_calloc(ctx, (size_t)top * sizeof *memo);
    kiln_expr **stk = kiln_malloc(ctx, (size_t)top * sizeof *stk);
    kiln_expr *res = NULL;
    bool failed = !memo || !stk, view = false;
    uint32_t sp = 0;
    if (!failed) stk[sp++] = x;
    while (sp && !failed) {
        kiln_expr *n = stk[sp - 1];
        if (memo[n->id]) {
            sp--;
            continue;
        }
        bool pushed = false;
        for (int i = 0; i < 3 && !pushed; i++) {
            if (n->arg[i] == IR_NONE || memo[n->arg[i]]) continue;
            stk[sp++] = ir_arg(n, i); /* at most one pending child per frame: sp < top */
            pushed = true;
        }
        if (pushed) continue;
        sp--;
        kiln_expr *r;
        if (!op_is_elementwise(n->op)) {
            view = true;
            break;
        }
        if (n->op == KILN_OP_VAR || n->op == KILN_OP_CONST) {
            r = transpose_leaf(ctx, n, x->ndim);
        } else {
            kiln_expr *a[3] = {NULL, NULL, NULL};
            for (int i = 0; i < 3; i++)
                if (n->arg[i] != IR_NONE) a[i] = memo[n->arg[i]];
            r = ir_build(ctx, (kiln_op)n->op, a, (kiln_dtype)n->dtype);
        }
        if (!r) failed = true;
        memo[n->id] = r;
    }
    if (!failed && view) { /* the transposed view of x's result */
        kiln_expr p;
        proto_init(&p, KILN_OP_TRANSPOSE, (kiln_dtype)x->dtype);
        p.ndim = x->ndim;
        for (int d = 0; d < x->ndim; d++) p.shape[d] = x->shape[x->ndim - 1 - d];
        p.arg[0] = x->id;
        res = intern(ctx, &p);
    } else if (!failed) {
        res = memo[x->id];
        ir_retain(res);
    }
    for (uint32_t i = 0; memo && i < top; i++)
        if (memo[i]) ir_release(memo[i]);
    kiln_free(ctx, memo);
    kiln_free(ctx, stk);
    if (!memo || !stk) kiln_fail(ctx, KILN_ERR_NOMEM, "out of memory");
    return res;
}
