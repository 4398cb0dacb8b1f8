/*
 * graph.c — building the expression graph: type rules (NumPy 2, NEP 50 weak scalars),
 * broadcasting, constant folding, IEEE-safe simplification and hash-consing.
 *
 * Pipeline position: first.  Every builder ends in ir_build (or, for the structural ops, in
 * intern directly):
 *
 *     check args ─▶ dtype rule ─▶ broadcast ─▶ coerce operands ─▶ fold ─▶ simplify ─▶ intern
 *
 * so a graph is always typed, shaped, folded and free of duplicates.
 */
#include "graph.h"

#include <math.h>
#include <string.h>

/* ------------------------------------------------------------------ arena and hash table */

kiln_status ir_graph_init(ir_graph *g, kiln_ctx *ctx, const ir_hooks *hooks) {
    memset(g, 0, sizeof *g);
    g->ctx = ctx;
    g->hooks = hooks;
    g->free_head = IR_NONE;
    g->nbuckets = 256;
    atomic_init(&g->blocks, NULL);
    g->buckets = kiln_malloc(ctx, g->nbuckets * sizeof *g->buckets);
    if (!g->buckets) return KILN_ERR_NOMEM;
    for (uint32_t i = 0; i < g->nbuckets; i++) g->buckets[i] = IR_NONE;
    pthread_mutex_init(&g->lock, NULL);
    return KILN_OK;
}

/* Hands a dead node's leaf and memo back to the runtime (outside the graph lock: freeing a
 * memo may release nodes). */
static void node_drop_payload(ir_graph *g, kiln_expr *n) {
    void *memo = atomic_exchange(&n->memo, NULL);
    if (memo) g->hooks->memo_free(g->hooks->ud, memo);
    if (n->leaf) g->hooks->leaf_release(n->leaf);
    n->leaf = NULL;
}

void ir_graph_destroy(ir_graph *g) {
    if (!g->buckets) return;
    g->dying = true; /* memos freed below may release nodes: nothing to do for them now */
    for (uint32_t i = 0; i < g->top; i++) {
        kiln_expr *n = ir_node(g, i);
        if (n->refs) node_drop_payload(g, n);
    }
    kiln_expr **blocks = atomic_load(&g->blocks);
    for (uint32_t b = 0; b < g->nblocks; b++) kiln_free(g->ctx, blocks[b]);
    kiln_free(g->ctx, blocks);
    for (uint32_t r = 0; r < g->nretired; r++) kiln_free(g->ctx, g->retired[r]);
    kiln_free(g->ctx, g->retired);
    kiln_free(g->ctx, g->buckets);
    pthread_mutex_destroy(&g->lock);
    g->buckets = NULL;
}

uint32_t ir_top(ir_graph *g) {
    pthread_mutex_lock(&g->lock);
    uint32_t top = g->top;
    pthread_mutex_unlock(&g->lock);
    return top;
}

uint32_t ir_live(ir_graph *g) {
    pthread_mutex_lock(&g->lock);
    uint32_t live = g->live;
    pthread_mutex_unlock(&g->lock);
    return live;
}

/* A VAR node stands for the memory it reads, not for the runtime's handle: two views with the
 * same data, dtype, shape and strides are one node (so x.T built twice is one node).  A PARAM
 * stands for itself (its number, in val); a VIEW for its map. */
static uint64_t node_hash(const kiln_expr *n) {
    uint64_t h = KILN_HASH_SEED;
    uint8_t head[7] = {n->op, n->dtype, n->weak, n->ndim, (uint8_t)n->axis, n->keepdims, n->axes};
    h = kiln_hash_mem(h, head, sizeof head);
    h = kiln_hash_mem(h, n->arg, sizeof n->arg);
    h = kiln_hash_mem(h, &n->val.bits, sizeof n->val.bits);
    h = kiln_hash_mem(h, n->shape, n->ndim * sizeof *n->shape);
    if (n->op == KILN_OP_VAR) {
        h = kiln_hash_mem(h, &n->data, sizeof n->data);
        h = kiln_hash_mem(h, n->strides, n->ndim * sizeof *n->strides);
    } else if (n->op == KILN_OP_VIEW || n->op == KILN_OP_EMBED) {
        h = kiln_hash_mem(h, n->vsrc, sizeof n->vsrc);
        h = kiln_hash_mem(h, n->vstart, sizeof n->vstart);
        h = kiln_hash_mem(h, n->vstep, sizeof n->vstep);
        h = kiln_hash_mem(h, n->vfix, sizeof n->vfix);
    }
    return h ^ (h >> 29);
}

static bool node_same(const kiln_expr *a, const kiln_expr *b) {
    if (a->op != b->op || a->dtype != b->dtype || a->weak != b->weak || a->ndim != b->ndim || a->axis != b->axis ||
        a->keepdims != b->keepdims || a->axes != b->axes || memcmp(a->arg, b->arg, sizeof a->arg) != 0 ||
        a->val.bits != b->val.bits || memcmp(a->shape, b->shape, a->ndim * sizeof *a->shape) != 0)
        return false;
    if (a->op == KILN_OP_VAR) return a->data == b->data && memcmp(a->strides, b->strides, a->ndim * sizeof *a->strides) == 0;
    if (a->op == KILN_OP_VIEW || a->op == KILN_OP_EMBED)
        return memcmp(a->vsrc, b->vsrc, sizeof a->vsrc) == 0 && memcmp(a->vstart, b->vstart, sizeof a->vstart) == 0 &&
               memcmp(a->vstep, b->vstep, sizeof a->vstep) == 0 && memcmp(a->vfix, b->vfix, sizeof a->vfix) == 0;
    return true;
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

/* A free slot (under the lock).  The block table grows into a new array; readers walking
 * without the lock may still hold the old one, so it is retired, not freed. */
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
        kiln_expr *blk = kiln_calloc(g->ctx, per * sizeof *blk);
        if (!blk) return NULL;
        kiln_expr **old = atomic_load(&g->blocks);
        if (g->nblocks == g->capblocks) {
            uint32_t cap = g->capblocks ? g->capblocks * 2 : 16;
            kiln_expr **nb = kiln_malloc(g->ctx, cap * sizeof *nb);
            kiln_expr ***ret = old ? kiln_realloc(g->ctx, g->retired, (g->nretired + 1) * sizeof *ret) : g->retired;
            if (!nb || (old && !ret)) {
                kiln_free(g->ctx, nb);
                kiln_free(g->ctx, blk);
                return NULL;
            }
            if (g->nblocks) memcpy(nb, old, g->nblocks * sizeof *nb);
            g->retired = ret;
            if (old) g->retired[g->nretired++] = old;
            g->capblocks = cap;
            old = nb;
        }
        old[g->nblocks++] = blk;
        atomic_store_explicit(&g->blocks, old, memory_order_release);
    }
    kiln_expr *n = ir_node(g, g->top);
    n->id = g->top++;
    return n;
}

/* Finds proto in the table or adds a copy; returns a new reference or NULL.  Takes the lock. */
kiln_expr *ir_intern(ir_graph *g, kiln_expr *proto) {
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
    n->serial = ++g->serials;
    atomic_init(&n->memo, NULL);
    for (int i = 0; i < 3; i++)
        if (n->arg[i] != IR_NONE) ir_node(g, n->arg[i])->refs++;
    if (n->leaf) g->hooks->leaf_retain(n->leaf);
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

/* Drops a reference.  A node that reaches zero is unlinked and its operands released in turn
 * (iteratively: the dead form a queue through `chain`); then, outside the lock, their leaves
 * and memos go back to the runtime, and last their slots are recycled. */
void ir_release(kiln_expr *n) {
    ir_graph *g = n->g;
    if (g->dying) return;
    pthread_mutex_lock(&g->lock);
    KILN_ASSERT(n->refs > 0);
    if (--n->refs) {
        pthread_mutex_unlock(&g->lock);
        return;
    }
    unlink_node(g, n);
    n->chain = IR_NONE;
    ir_ref head = n->id, tail = n->id;
    uint32_t count = 0;
    for (ir_ref cur = head; cur != IR_NONE; cur = ir_node(g, cur)->chain, count++) {
        kiln_expr *d = ir_node(g, cur);
        for (int i = 0; i < 3; i++) {
            if (d->arg[i] == IR_NONE) continue;
            kiln_expr *c = ir_node(g, d->arg[i]);
            if (--c->refs) continue;
            unlink_node(g, c);
            c->chain = IR_NONE;
            ir_node(g, tail)->chain = c->id;
            tail = c->id;
        }
    }
    pthread_mutex_unlock(&g->lock);
    /* nothing reaches a dead node any more: no handle, no live user */
    for (ir_ref r = head; r != IR_NONE; r = ir_node(g, r)->chain) node_drop_payload(g, ir_node(g, r));
    pthread_mutex_lock(&g->lock);
    for (ir_ref r = head; r != IR_NONE;) {
        kiln_expr *d = ir_node(g, r);
        r = d->chain;
        d->chain = g->free_head;
        g->free_head = d->id;
    }
    g->live -= count;
    pthread_mutex_unlock(&g->lock);
}
/* ------------------------------------------------------------------ type rules */

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

kiln_dtype ir_common_dtype(kiln_expr *const *a, int n, bool *all_weak) {
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
            s = have_strong ? dtype_promote(s, (kiln_dtype)a[i]->dtype) : (kiln_dtype)a[i]->dtype;
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

kiln_dtype ir_float_loop_dtype(kiln_expr *const *vals, int n) {
    bool all_weak;
    kiln_dtype t = ir_common_dtype(vals, n, &all_weak);
    if (dtype_is_float(t)) return t;
    kiln_dtype s = KILN_BOOL, f = KILN_F32; /* the smallest float every array casts to safely */
    bool strong = false;
    for (int i = 0; i < n; i++)
        if (!vals[i]->weak) {
            s = strong ? dtype_promote(s, (kiln_dtype)vals[i]->dtype) : (kiln_dtype)vals[i]->dtype, strong = true;
            if (dtype_float_of((kiln_dtype)vals[i]->dtype) == KILN_F64) f = KILN_F64;
        }
    return strong && s == t ? f : dtype_float_of(t); /* (a Python int that widens the dtype: its float) */
}

/* Decides the operand dtype *odt and result dtype *out of op on args, or fails. */
static kiln_status type_rule(ir_graph *g, kiln_op op, kiln_expr *const *args, int n,
                             kiln_dtype *odt, kiln_dtype *out, bool *all_weak) {
    kiln_expr *const *vals = op == KILN_OP_WHERE ? args + 1 : args;
    int nv = op == KILN_OP_WHERE ? 2 : n;
    kiln_dtype t = ir_common_dtype(vals, nv, all_weak);
    char buf[64];
    *odt = *out = t;
    switch (kiln_op_kind[op]) {
    case KIND_ANY:
        if (op == KILN_OP_RINT && !dtype_is_float(t)) *odt = *out = dtype_float_of(t); /* rint has float loops only */
        return KILN_OK;
    case KIND_LEAF:
    case KIND_CAST:
    case KIND_WHERE:
    case KIND_REDUCE: /* the structural ops have builders of their own */
    case KIND_SCAN:
    case KIND_MATMUL:
    case KIND_VIEW:
    case KIND_CONCAT:
    case KIND_GATHER:
    case KIND_EMBED:
    case KIND_SCATTER:
    case KIND_ROWS:
    case KIND_LINALG:
        return KILN_OK;
    case KIND_PRED:
        *out = KILN_BOOL;
        return KILN_OK;
    case KIND_ARITH:
        if (op == KILN_OP_SUB && t == KILN_BOOL)
            return kiln_fail(g->ctx, KILN_ERR_DTYPE,
                             "numpy boolean subtract, the `-` operator, is not supported; "
                             "use the bitwise_xor, the `^` operator, instead");
        return KILN_OK;
    case KIND_FDIV:
        if (!dtype_is_float(t)) *odt = *out = KILN_F64;
        return KILN_OK;
    case KIND_IDIV:
        if (t == KILN_BOOL) *odt = *out = KILN_I8; /* NumPy's loop for bools is int8's */
        return KILN_OK;
    case KIND_FMATH:
        *odt = *out = ir_float_loop_dtype(vals, nv);
        return KILN_OK;
    case KIND_CMP:
        *out = KILN_BOOL;
        return KILN_OK;
    case KIND_BIT:
        if (t == KILN_BOOL && (op == KILN_OP_LSHIFT || op == KILN_OP_RSHIFT)) *odt = *out = KILN_I8; /* (as //) */
        if (dtype_is_float(t))
            return kiln_fail(g->ctx, KILN_ERR_DTYPE,
                             "ufunc '%s' not supported for the input types (%s); it needs "
                             "booleans or integers", kiln_op_name(op), dt_list(args, n, buf, sizeof buf));
        return KILN_OK;
    case KIND_NUM:
        if (t == KILN_BOOL)
            return kiln_fail(g->ctx, KILN_ERR_DTYPE,
                             "ufunc '%s' not supported for booleans%s", kiln_op_name(op),
                             op == KILN_OP_NEG ? "; use the `~` operator instead" : "");
        return KILN_OK;
    }
    return KILN_OK;
}

/* ------------------------------------------------------------------ shapes */

void ir_shape_str(const kiln_expr *e, char *buf, size_t cap) {
    size_t o = (size_t)snprintf(buf, cap, "(");
    for (int d = 0; d < e->ndim && o < cap; d++)
        o += (size_t)snprintf(buf + o, cap - o, "%s%lld", d ? "," : "", (long long)e->shape[d]);
    if (o < cap) snprintf(buf + o, cap - o, e->ndim == 1 ? ",)" : ")");
}

bool ir_broadcasts_to(const kiln_expr *x, int ndim, const int64_t *shape) {
    if (x->ndim > ndim) return false;
    for (int d = 1; d <= x->ndim; d++)
        if (x->shape[x->ndim - d] != shape[ndim - d] && x->shape[x->ndim - d] != 1) return false;
    return true;
}

/* NumPy broadcasting of args' shapes into *res. */
kiln_status ir_broadcast(ir_graph *g, kiln_expr *const *args, int n, kiln_expr *res) {
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
                    ir_shape_str(args[j], one, sizeof one);
                    o += (size_t)snprintf(m + o, sizeof m - o, " %s", one);
                    if (o >= sizeof m) break;
                }
                return kiln_fail(g->ctx, KILN_ERR_SHAPE,
                                 "operands could not be broadcast together with shapes%s", m);
            }
            s = si;
        }
        res->shape[d] = s;
    }
    return KILN_OK;
}

/* ------------------------------------------------------------------ leaves and coercion */

void ir_proto(kiln_expr *p, kiln_op op, kiln_dtype dt) {
    memset(p, 0, sizeof *p);
    p->op = (uint8_t)op;
    p->dtype = (uint8_t)dt;
    p->arg[0] = p->arg[1] = p->arg[2] = IR_NONE;
}

kiln_expr *ir_const(ir_graph *g, kiln_dtype dt, kscalar v, bool weak) {
    kiln_expr p;
    ir_proto(&p, KILN_OP_CONST, dt);
    p.weak = weak;
    KILN_ASSERT(dtype_valid(dt));
    p.val = kscalar_canon(dt, v); /* canonical bytes, so equal values hash equal */
    return ir_intern(g, &p);
}

/* Whether a weak Python int x fits dtype dt (anything else fits). */
static bool ir_weak_fits_quiet(const kiln_expr *x, kiln_dtype dt) {
    if (!(x->op == KILN_OP_CONST && x->weak && x->dtype == KILN_I64 && dtype_is_narrow_int(dt))) return true;
    int64_t lo, hi;
    dtype_int_bounds(dt, &lo, &hi);
    return x->val.i64 >= lo && x->val.i64 <= hi;
}

bool ir_weak_fits(ir_graph *g, const kiln_expr *x, kiln_dtype dt) {
    if (ir_weak_fits_quiet(x, dt)) return true;
    int64_t v = x->val.i64;
    kiln_fail(g->ctx, KILN_ERR_DTYPE, "Python integer %lld out of bounds for %s", (long long)v, kiln_dtype_name(dt));
    return false;
}

/* x in dtype dt: x itself (retained), a retyped weak constant, or a CAST node. */
kiln_expr *ir_coerce(ir_graph *g, kiln_expr *x, kiln_dtype dt) {
    if (x->dtype == dt) {
        ir_retain(x);
        return x;
    }
    if (!ir_weak_fits(g, x, dt)) return NULL;
    kiln_expr *a[1] = {x};
    return ir_build(g, KILN_OP_CAST, a, dt);
}

/* ------------------------------------------------------------------ simplification */

static bool is_const_val(const kiln_expr *n, double v) {
    if (n->op != KILN_OP_CONST) return false;
    switch ((kiln_dtype)n->dtype) {
    case KILN_BOOL: return false;
    case KILN_F32: return n->val.f32 == v && signbit(n->val.f32) == signbit(v);
    case KILN_F64: return n->val.f64 == v && signbit(n->val.f64) == signbit(v);
    default: return (double)kscalar_int((kiln_dtype)n->dtype, n->val) == v;
    }
}

/* pow(x, 0.5) as where(x == -inf, inf, sqrt(x) + 0.0): sqrt's rounding, pow's +0.0 and +inf. */
static kiln_expr *pow_half(ir_graph *g, kiln_expr *x) {
    kiln_dtype dt = (kiln_dtype)x->dtype;
    kscalar ninf = {.bits = 0}, inf = {.bits = 0}, zero = {.bits = 0};
    if (dt == KILN_F32) ninf.f32 = -INFINITY, inf.f32 = INFINITY;
    else ninf.f64 = -INFINITY, inf.f64 = INFINITY;
    kiln_expr *c[3] = {ir_const(g, dt, ninf, false), ir_const(g, dt, inf, false), ir_const(g, dt, zero, false)};
    kiln_expr *s = ir_build(g, KILN_OP_SQRT, &x, KILN_BOOL), *p = NULL, *isinf = NULL, *r = NULL;
    if (c[0] && c[1] && c[2] && s) {
        kiln_expr *add[2] = {s, c[2]}, *eq[2] = {x, c[0]};
        p = ir_build(g, KILN_OP_ADD, add, KILN_BOOL);
        isinf = ir_build(g, KILN_OP_EQ, eq, KILN_BOOL);
        kiln_expr *w[3] = {isinf, c[1], p};
        if (p && isinf) r = ir_build(g, KILN_OP_WHERE, w, KILN_BOOL);
    }
    kiln_expr *made[6] = {c[0], c[1], c[2], s, p, isinf};
    for (int i = 0; i < 6; i++)
        if (made[i]) ir_release(made[i]);
    return r;
}

/* IEEE-safe rewrites of op(a) (operands already coerced).  Returns a new reference to an
 * equivalent node, or NULL when no rule applies (no error is set then).  *err is set when a
 * rule applied but building its result failed. */
static kiln_expr *simplify(ir_graph *g, kiln_op op, kiln_expr **a, bool *err) {
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
        /* x**1 is x, x**2 is x*x and, for floats, x**-1 is 1/x: the same bits as pow's. x**0.5 is
         * sqrt(x) + 0.0 but for -inf, pow's values for -0.0 and -inf (NumPy's `**` operator is
         * sqrt itself, fast_scalar_power: the frontend builds that). */
        kiln_expr *x = a[0], *r = NULL;
        bool fl = dtype_is_float((kiln_dtype)x->dtype);
        if (is_const_val(a[1], 1)) same = x;
        else if (is_const_val(a[1], 2)) {
            kiln_expr *m[2] = {x, x};
            r = ir_build(g, KILN_OP_MUL, m, KILN_BOOL);
        } else if (fl && is_const_val(a[1], 0.5)) {
            r = pow_half(g, x);
        } else if (fl && is_const_val(a[1], -1)) {
            kscalar one = {.bits = 0};
            if (x->dtype == KILN_F32) one.f32 = 1; else one.f64 = 1;
            kiln_expr *c = ir_const(g, (kiln_dtype)x->dtype, one, false);
            if (!c) { *err = true; return NULL; }
            kiln_expr *m[2] = {c, x};
            r = ir_build(g, KILN_OP_DIV, m, KILN_BOOL);
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

/* NumPy 2 compares an array of an integer narrower than int64 with a Python integer that dtype cannot hold: the
 * answer is the comparison with the dtype's nearest bound (for uint8, x < -1 is x < 0, always
 * false; x != 300 is x <= 255, always true).  *hit tells whether an operand was such an integer. */
static kiln_expr *cmp_past_range(ir_graph *g, kiln_op op, kiln_expr *const *args, bool *hit) {
    for (int i = 0; i < 2; i++) {
        const kiln_expr *w = args[i], *s = args[1 - i];
        if (!(w->op == KILN_OP_CONST && w->weak && w->dtype == KILN_I64 && !s->weak && dtype_is_narrow_int((kiln_dtype)s->dtype)))
            continue;
        int64_t v = w->val.i64, lo, hi;
        if (ir_weak_fits_quiet(w, (kiln_dtype)s->dtype)) return NULL;
        dtype_int_bounds((kiln_dtype)s->dtype, &lo, &hi);
        *hit = true;
        if (i == 0) /* the constant on the left: the mirrored comparison */
            op = op == KILN_OP_LT ? KILN_OP_GT : op == KILN_OP_GT ? KILN_OP_LT : op == KILN_OP_LE ? KILN_OP_GE : op == KILN_OP_GE ? KILN_OP_LE : op;
        bool below = v < lo, small = op == KILN_OP_LT || op == KILN_OP_LE;
        kiln_op to = below ? (small || op == KILN_OP_EQ ? KILN_OP_LT : KILN_OP_GE) : (small || op == KILN_OP_NE ? KILN_OP_LE : KILN_OP_GT);
        kiln_expr *b = ir_const(g, KILN_I64, (kscalar){.i64 = below ? lo : hi}, true);
        kiln_expr *r = b ? ir_build(g, to, (kiln_expr *[]){(kiln_expr *)s, b}, KILN_BOOL) : NULL;
        if (b) ir_release(b);
        return r;
    }
    return NULL;
}

kiln_expr *ir_build(ir_graph *g, kiln_op op, kiln_expr *const *args, kiln_dtype cast_to) {
    int n = kiln_op_arity(op);
    for (int i = 0; i < n; i++) {
        if (!args[i]) {
            if (kiln_errcode(g->ctx) == KILN_OK)
                kiln_fail(g->ctx, KILN_ERR_ARG, "%s: operand %d is NULL", kiln_op_name(op), i + 1);
            return NULL;
        }
        if (args[i]->g != g) {
            kiln_fail(g->ctx, KILN_ERR_ARG, "%s: operand %d belongs to another context",
                      kiln_op_name(op), i + 1);
            return NULL;
        }
    }
    if (kiln_op_kind[op] == KIND_CMP) {
        bool hit = false;
        kiln_expr *r = cmp_past_range(g, op, args, &hit);
        if (hit) return r;
    }
    kiln_expr proto;
    kiln_dtype odt, out;
    bool all_weak = false;
    if (op == KILN_OP_CAST) {
        if (!dtype_valid(cast_to)) {
            kiln_fail(g->ctx, KILN_ERR_ARG, "astype: invalid dtype %d", (int)cast_to);
            return NULL;
        }
        odt = (kiln_dtype)args[0]->dtype;
        out = cast_to;
        if (!ir_weak_fits(g, args[0], cast_to)) return NULL; /* int32(2**31), as NumPy 2 */
    } else if (type_rule(g, op, args, n, &odt, &out, &all_weak) != KILN_OK) {
        return NULL;
    }
    ir_proto(&proto, op, out);
    if (ir_broadcast(g, args, n, &proto) != KILN_OK) return NULL;

    /* Operands in the op's operand dtype (WHERE's condition in bool). */
    kiln_expr *c[3] = {NULL, NULL, NULL};
    kiln_expr *res = NULL;
    bool folded = true;
    for (int i = 0; i < n; i++) {
        kiln_dtype want = op == KILN_OP_CAST ? odt : (op == KILN_OP_WHERE && i == 0) ? KILN_BOOL : odt;
        if (op == KILN_OP_WHERE && args[i]->op == KILN_OP_CONST && args[i]->weak && !ir_weak_fits_quiet(args[i], want))
            c[i] = ir_const(g, want, ref_cast(args[i]->val, (kiln_dtype)args[i]->dtype, want), false); /* NumPy's where casts it: 300 is 44 in uint8 */
        else
            c[i] = ir_coerce(g, args[i], want);
        if (!c[i]) goto done;
        if (c[i]->op != KILN_OP_CONST) folded = false;
    }
    if (op == KILN_OP_POW && dtype_is_int(odt) && c[1]->op == KILN_OP_CONST &&
        ref_cast(c[1]->val, odt, KILN_I64).i64 < 0) {
        kiln_fail(g->ctx, KILN_ERR_DTYPE, "Integers to negative integer powers are not allowed");
        goto done;
    }
    if (folded) {
        kscalar v[3];
        for (int i = 0; i < n; i++) v[i] = c[i]->val;
        /* Python operators on Python scalars stay Python scalars; functions do not. */
        bool weak = all_weak && op != KILN_OP_CAST && kiln_op_symbol(op)[0];
        res = ir_const(g, out, ref_apply(op, odt, out, v), weak);
        goto done;
    }
    bool err = false;
    res = simplify(g, op, c, &err);
    if (err) goto done;
    if (res && (res->dtype != out || res->ndim != proto.ndim ||
                memcmp(res->shape, proto.shape, proto.ndim * sizeof *proto.shape) != 0)) {
        ir_release(res); /* the rewrite would change the result's type or shape */
        res = NULL;
    }
    if (!res) {
        for (int i = 0; i < n; i++) proto.arg[i] = c[i]->id;
        res = ir_intern(g, &proto);
    }
done:
    for (int i = 0; i < n; i++)
        if (c[i]) ir_release(c[i]);
    return res;
}

/* ------------------------------------------------------------------ leaves */

kiln_expr *ir_var(ir_graph *g, void *leaf, kiln_dtype dt, int ndim, const int64_t *shape, const int64_t *strides,
                  char *data) {
    kiln_expr p;
    ir_proto(&p, KILN_OP_VAR, dt);
    p.ndim = (uint8_t)ndim;
    memcpy(p.shape, shape, (size_t)ndim * sizeof *shape);
    memcpy(p.strides, strides, (size_t)ndim * sizeof *strides);
    p.data = data;
    p.leaf = leaf;
    return ir_intern(g, &p);
}

/* ------------------------------------------------------------------ public accessors */

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
int kiln_expr_scalar(const kiln_expr *e, double *f, int64_t *i) {
    if (!e || e->op != KILN_OP_CONST) return 0;
    kscalar v = e->val;
    kiln_dtype dt = (kiln_dtype)e->dtype;
    if (f) *f = ref_cast(v, dt, KILN_F64).f64;
    if (i) *i = ref_cast(v, dt, KILN_I64).i64; /* floats truncate; NaN and out-of-range give INT64_MIN */
    return 1;
}

/* ------------------------------------------------------------------ reductions and matmul */

bool ir_check_operand(ir_graph *g, kiln_expr *x, const char *fn, int i) {
    if (!x) {
        if (kiln_errcode(g->ctx) == KILN_OK) kiln_fail(g->ctx, KILN_ERR_ARG, "%s: operand %d is NULL", fn, i);
        return false;
    }
    if (x->g != g) {
        kiln_fail(g->ctx, KILN_ERR_ARG, "%s: operand %d belongs to another context", fn, i);
        return false;
    }
    return true;
}

bool ir_axis_mask(ir_graph *g, const char *fn, int axis, int nd, unsigned *mask) {
    if (axis == KILN_ALL_AXES) {
        *mask = nd ? (1u << nd) - 1 : 0;
        return true;
    }
    if (axis < -nd || axis >= nd) {
        kiln_fail(g->ctx, KILN_ERR_ARG, "%s: axis %d is out of bounds for array of dimension %d", fn, axis, nd);
        return false;
    }
    *mask = 1u << (axis < 0 ? axis + nd : axis);
    return true;
}

/* The number of elements a reduction of x over the axes in mask combines. */
static int64_t reduced_count(const kiln_expr *x, unsigned mask) {
    int64_t c = 1;
    for (int d = 0; d < x->ndim; d++)
        if ((mask >> d) & 1) c *= x->shape[d];
    return c;
}

kiln_expr *ir_reduce(ir_graph *g, kiln_op op, kiln_expr *x, int axis, bool keepdims) {
    unsigned mask;
    if (!ir_check_operand(g, x, kiln_op_name(op), 1) || !ir_axis_mask(g, kiln_op_name(op), axis, x->ndim, &mask)) return NULL;
    return ir_reduce_axes(g, op, x, mask, keepdims);
}

/* argmax/argmin of x along a short axis (2 to IR_ARG_UNROLL elements), as one element-wise
 * expression over the other dims: the running best and its index, compared with each element
 * in turn (a later one wins only when better: NaN beats every number, and the first NaN stays),
 * so that it is vectorized over the outputs, where a row of a few elements each is not.  (The
 * classifier's argmax(logits, axis=1).)  NULL when out of memory. */
#define IR_ARG_UNROLL 16
static kiln_expr *arg_unrolled(ir_graph *g, kiln_op op, kiln_expr *x, int axis, bool keepdims) {
    kiln_ix ix[KILN_MAX_DIMS];
    for (int d = 0; d < x->ndim; d++) ix[d] = (kiln_ix){.kind = KILN_IX_SLICE};
    bool fl = dtype_is_float((kiln_dtype)x->dtype);
    kiln_op cmp = op == KILN_OP_ARGMAX ? KILN_OP_GT : KILN_OP_LT;
    ix[axis] = (kiln_ix){.kind = KILN_IX_INDEX, .index = 0};
    kiln_expr *best = ir_index(g, x, x->ndim, ix), *idx = ir_const(g, KILN_I64, (kscalar){.i64 = 0}, false);
    for (int64_t r = 1; best && idx && r < x->shape[axis]; r++) {
        ix[axis].index = r;
        kiln_expr *v = ir_index(g, x, x->ndim, ix), *k = ir_const(g, KILN_I64, (kscalar){.i64 = r}, false), *t[6] = {0};
        kiln_expr *take = v && k ? (t[0] = ir_build(g, cmp, (kiln_expr *[]){v, best}, KILN_BOOL)) : NULL;
        if (take && fl) { /* (v != v) & (best == best): v is the first NaN */
            t[1] = ir_build(g, KILN_OP_NE, (kiln_expr *[]){v, v}, KILN_BOOL);
            t[2] = t[1] ? ir_build(g, KILN_OP_EQ, (kiln_expr *[]){best, best}, KILN_BOOL) : NULL;
            t[3] = t[2] ? ir_build(g, KILN_OP_AND, (kiln_expr *[]){t[1], t[2]}, KILN_BOOL) : NULL;
            take = t[3] ? (t[4] = ir_build(g, KILN_OP_OR, (kiln_expr *[]){t[0], t[3]}, KILN_BOOL)) : NULL;
        }
        kiln_expr *nb = take ? ir_build(g, KILN_OP_WHERE, (kiln_expr *[]){take, v, best}, KILN_BOOL) : NULL;
        kiln_expr *ni = nb ? ir_build(g, KILN_OP_WHERE, (kiln_expr *[]){take, k, idx}, KILN_BOOL) : NULL;
        for (int i = 0; i < 5; i++)
            if (t[i]) ir_release(t[i]);
        kiln_expr *old[4] = {v, k, best, idx};
        for (int i = 0; i < 4; i++)
            if (old[i]) ir_release(old[i]);
        best = nb, idx = ni;
        if (!ni && nb) ir_release(nb), best = NULL;
    }
    if (best) ir_release(best);
    if (!best && idx) ir_release(idx), idx = NULL;
    if (idx && keepdims) {
        kiln_expr *e = ir_expand_dims(g, idx, axis);
        ir_release(idx);
        idx = e;
    }
    return idx;
}

/* argmax/argmin of x along an axis before its last: the first position of the extreme m, as
 * min(where((x == m) | (x != x), position, R)) (a NaN, where there is one, is m and comes
 * first).  Two reductions over the kept dims' columns (reduce.c's column form), where an arg
 * reduction folds each output's elements one stride apart (x.argmax(axis=0) of 2000x1000:
 * 5.1 ms -> 0.45 ms).  Fused producers of x are computed twice. */
static kiln_expr *arg_by_extreme(ir_graph *g, kiln_op op, kiln_expr *x, int axis, bool keepdims) {
    int64_t R = x->shape[axis], line[KILN_MAX_DIMS];
    for (int d = 0; d < x->ndim; d++) line[d] = d == axis ? R : 1;
    kiln_expr *t[12] = {NULL}, *r = NULL;
    int k = 0;
#define STEP(e) (t[k] = (e), t[k++])
    /* the positions 0 .. R-1 along axis: a cumsum of ones, less one */
    kiln_expr *one = STEP(ir_const(g, KILN_I64, (kscalar){.i64 = 1}, false));
    kiln_expr *ones = one ? STEP(ir_broadcast_to(g, one, 1, &R)) : NULL;
    kiln_expr *counts = ones ? STEP(ir_scan(g, KILN_OP_CUMSUM, ones, 0)) : NULL;
    kiln_expr *from0 = counts ? STEP(ir_build(g, KILN_OP_SUB, (kiln_expr *[]){counts, one}, KILN_BOOL)) : NULL;
    kiln_expr *pos = from0 ? STEP(ir_reshape(g, from0, x->ndim, line)) : NULL;
    kiln_expr *m = pos ? STEP(ir_reduce_axes(g, op == KILN_OP_ARGMAX ? KILN_OP_MAX : KILN_OP_MIN, x, 1u << axis, true)) : NULL;
    kiln_expr *eq = m ? STEP(ir_build(g, KILN_OP_EQ, (kiln_expr *[]){x, m}, KILN_BOOL)) : NULL;
    if (eq && dtype_is_float((kiln_dtype)x->dtype)) {
        kiln_expr *nan = STEP(ir_build(g, KILN_OP_NE, (kiln_expr *[]){x, x}, KILN_BOOL));
        eq = nan ? STEP(ir_build(g, KILN_OP_OR, (kiln_expr *[]){eq, nan}, KILN_BOOL)) : NULL;
    }
    kiln_expr *past = eq ? STEP(ir_const(g, KILN_I64, (kscalar){.i64 = R}, false)) : NULL;
    kiln_expr *at = past ? STEP(ir_build(g, KILN_OP_WHERE, (kiln_expr *[]){eq, pos, past}, KILN_BOOL)) : NULL;
#undef STEP
    if (at) r = ir_reduce_axes(g, KILN_OP_MIN, at, 1u << axis, keepdims);
    for (int i = 0; i < k; i++)
        if (t[i]) ir_release(t[i]);
    return r;
}

/* A reduction over axes of length 1 (p: its node, shape and dtype set), element-wise: each
 * output folds one element, so it is that element as NumPy's reduction leaves it (a sum adds
 * it to the identity 0: -0.0 becomes 0.0; argmax and argmin are 0).  A call per output in the
 * row form, where this is one kernel. */
static kiln_expr *reduce_of_one(ir_graph *g, kiln_op op, kiln_expr *x, kiln_dtype want, const kiln_expr *p) {
    if (op_is_arg_reduce(op)) {
        kiln_expr *zero = ir_const(g, KILN_I64, (kscalar){.i64 = 0}, false), *r = zero ? ir_broadcast_to(g, zero, p->ndim, p->shape) : NULL;
        if (zero) ir_release(zero);
        return r;
    }
    kiln_expr *v = ir_reshape(g, x, p->ndim, p->shape), *c = v ? ir_coerce(g, v, want) : NULL;
    if (v) ir_release(v);
    if (!c || op != KILN_OP_SUM || !dtype_is_float(want)) return c;
    kiln_expr *zero = ir_const(g, want, (kscalar){0}, false), *r = zero ? ir_build(g, KILN_OP_ADD, (kiln_expr *[]){c, zero}, KILN_BOOL) : NULL;
    if (zero) ir_release(zero);
    ir_release(c);
    return r;
}

/* Whether x reads an array along whose memory its axis runs closer to the inner end than its
 * last dim does (x.T of a C-ordered array, or element-wise work on one): a fold along axis then
 * reads memory in order, faster than the column form's passes (argmax(c.T, axis=0) of a 64 x
 * 2000 c: 35 us, against 77). */
static bool axis_inner_in_memory(const kiln_expr *x, int axis, int depth) {
    int last = x->ndim - 1;
    if (x->op == KILN_OP_VAR) {
        int64_t sa = llabs(x->strides[axis]), sl = llabs(x->strides[last]);
        return sa != 0 && sa < sl;
    }
    if (x->op == KILN_OP_VIEW && op_is_array_leaf(ir_arg(x, 0)->op)) { /* (a name's array: C-ordered, or its own strides) */
        const kiln_expr *a = ir_arg(x, 0);
        int da = x->vsrc[axis], dl = x->vsrc[last];
        if (da < 0 || dl < 0 || x->vstep[axis] == 0) return false;
        if (a->op == KILN_OP_PARAM) return da > dl;
        int64_t sa = llabs(a->strides[da] * x->vstep[axis]), sl = llabs(a->strides[dl] * x->vstep[last]);
        return sa != 0 && sa < sl;
    }
    if (!op_is_elementwise(x->op) || op_is_leaf(x->op) || depth > 4) return false;
    for (int i = 0; i < 3 && x->arg[i] != IR_NONE; i++) {
        const kiln_expr *a = ir_arg(x, i);
        if (a->ndim == x->ndim && a->shape[axis] == x->shape[axis] && axis_inner_in_memory(a, axis, depth + 1)) return true;
    }
    return false;
}

kiln_expr *ir_reduce_axes(ir_graph *g, kiln_op op, kiln_expr *x, unsigned mask, bool keepdims) {
    const char *fn = kiln_op_name(op);
    if (!ir_check_operand(g, x, fn, 1)) return NULL;
    mask &= x->ndim ? (1u << x->ndim) - 1 : 0;
    int count = __builtin_popcount(mask);
    if (op_is_arg_reduce(op) && count > 1 && count < x->ndim) {
        kiln_fail(g->ctx, KILN_ERR_ARG, "%s: takes one axis or all of them, not a tuple", fn);
        return NULL;
    }
    if (op_is_arg_reduce(op) && count == 1 && x->ndim >= 2) {
        int axis = __builtin_ctz(mask);
        int64_t R = x->shape[axis];
        /* unrolled for 256 outputs or more, or a kept last dim of 64 or more; past the unrolled
         * length, the column form's, for such a last dim, however few the outputs (argmax(x,
         * axis=0) of 10 x 100: 1.4 us, of 100 x 100: 5 us, where a strided fold per output took
         * 5.8 and 55) */
        bool wide = axis < x->ndim - 1 && x->shape[x->ndim - 1] >= 64 && !axis_inner_in_memory(x, axis, 0);
        bool unroll = R >= 2 && R <= IR_ARG_UNROLL && (ir_size(x) / R >= 256 || wide), extreme = R > IR_ARG_UNROLL && wide;
        if (unroll || extreme) {
            kiln_expr *r = unroll ? arg_unrolled(g, op, x, axis, keepdims) : arg_by_extreme(g, op, x, axis, keepdims);
            if (!r && kiln_errcode(g->ctx) == KILN_OK) kiln_fail(g->ctx, KILN_ERR_NOMEM, "out of memory");
            return r;
        }
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
    if (reduced_count(x, mask) == 0 && op != KILN_OP_SUM && op != KILN_OP_PROD && op != KILN_OP_ANY && op != KILN_OP_ALL) {
        kiln_fail(g->ctx, KILN_ERR_SHAPE, op_is_arg_reduce(op) ? "attempt to get %s of an empty sequence"
                                                                : "zero-size array to reduction operation %s which has no identity",
                  fn);
        return NULL;
    }
    kiln_expr p;
    ir_proto(&p, op, out);
    p.axes = (uint8_t)mask;
    p.keepdims = keepdims;
    for (int d = 0; d < x->ndim; d++) {
        bool reduced = (mask >> d) & 1;
        if (reduced && !keepdims) continue;
        p.shape[p.ndim++] = reduced ? 1 : x->shape[d];
    }
    if (mask && !x->weak && reduced_count(x, mask) == 1) return reduce_of_one(g, op, x, want, &p);
    kiln_expr *c = ir_coerce(g, x, want);
    if (!c) return NULL;
    p.arg[0] = c->id;
    kiln_expr *r = ir_intern(g, &p);
    ir_release(c);
    return r;
}

kiln_expr *ir_mean(ir_graph *g, kiln_expr *x, unsigned mask, bool keepdims) {
    if (!ir_check_operand(g, x, "mean", 1)) return NULL;
    mask &= x->ndim ? (1u << x->ndim) - 1 : 0;
    int64_t count = reduced_count(x, mask);
    kiln_expr *f = dtype_is_float((kiln_dtype)x->dtype) && !x->weak ? (ir_retain(x), x) : ir_build(g, KILN_OP_CAST, &x, KILN_F64);
    kiln_expr *s = f ? ir_reduce_axes(g, KILN_OP_SUM, f, mask, keepdims) : NULL;
    kiln_expr *n = s ? ir_const(g, (kiln_dtype)s->dtype, ref_cast((kscalar){.f64 = (double)count}, KILN_F64, (kiln_dtype)s->dtype), false) : NULL;
    kiln_expr *r = n ? ir_build(g, KILN_OP_DIV, (kiln_expr *[]){s, n}, KILN_BOOL) : NULL;
    kiln_expr *tmp[] = {n, s, f};
    for (int i = 0; i < 3; i++)
        if (tmp[i]) ir_release(tmp[i]);
    return r;
}

/* ir_scan's node, with a sort's ranks [lo, hi] to partition by (lo < 0: the whole sort). */
static kiln_expr *scan_node(ir_graph *g, kiln_op op, kiln_expr *x, int axis, int64_t lo, int64_t hi) {
    const char *fn = kiln_op_name(op);
    if (!ir_check_operand(g, x, fn, 1)) return NULL;
    kiln_expr *flat = NULL;
    if (axis == KILN_ALL_AXES) { /* NumPy: the flattened array */
        int64_t n = ir_size(x);
        if (!(flat = ir_reshape(g, x, 1, &n))) return NULL;
        x = flat;
        axis = 0;
    }
    unsigned mask;
    kiln_expr *r = NULL;
    if (x->ndim == 0) kiln_fail(g->ctx, KILN_ERR_ARG, "%s: needs an array of at least one dimension", fn);
    else if (ir_axis_mask(g, fn, axis, x->ndim, &mask)) {
        bool sort = op == KILN_OP_SORT || op == KILN_OP_ARGSORT; /* (the operand as it is) */
        kiln_dtype dt = sort || dtype_is_float((kiln_dtype)x->dtype) ? (kiln_dtype)x->dtype : KILN_I64;
        bool keep = op == KILN_OP_CUMMAX || op == KILN_OP_CUMMIN; /* (in int64, then the dtype back: int32 and bool stay) */
        kiln_expr p, *c = ir_coerce(g, x, dt);
        if (c) {
            ir_proto(&p, op, op == KILN_OP_ARGSORT ? KILN_I64 : dt);
            p.ndim = x->ndim;
            memcpy(p.shape, x->shape, sizeof p.shape);
            p.axis = (int8_t)__builtin_ctz(mask);
            p.arg[0] = c->id;
            if (lo >= 0) {
                p.val.i64 = lo + 1;
                p.axes = (uint8_t)(hi - lo);
            }
            r = ir_intern(g, &p);
            ir_release(c);
        }
        if (r && keep && r->dtype != x->dtype) {
            kiln_expr *back = ir_coerce(g, r, (kiln_dtype)x->dtype);
            ir_release(r);
            r = back;
        }
    }
    if (flat) ir_release(flat);
    return r;
}

kiln_expr *ir_scan(ir_graph *g, kiln_op op, kiln_expr *x, int axis) { return scan_node(g, op, x, axis, -1, -1); }

kiln_expr *ir_partition(ir_graph *g, kiln_op op, kiln_expr *x, int axis, int64_t lo, int64_t hi) {
    const char *fn = op == KILN_OP_ARGSORT ? "argpartition" : "partition";
    if (!ir_check_operand(g, x, fn, 1)) return NULL;
    int ax = axis == KILN_ALL_AXES ? 0 : axis < 0 ? axis + x->ndim : axis;
    int64_t len = axis == KILN_ALL_AXES ? ir_size(x) : ax >= 0 && ax < x->ndim ? x->shape[ax] : 0;
    if (len > 0 && (lo < 0 || hi < lo || hi >= len)) {
        kiln_fail(g->ctx, KILN_ERR_ARG, "%s: kth %lld..%lld is out of bounds (%lld)", fn, (long long)lo, (long long)hi, (long long)len);
        return NULL;
    }
    /* (ranks more than IR_PARTITION_SPAN apart, or a line of one: the sort, which partitions too) */
    bool whole = len <= 1 || hi - lo > IR_PARTITION_SPAN;
    return scan_node(g, op == KILN_OP_ARGSORT ? op : KILN_OP_SORT, x, axis, whole ? -1 : lo, whole ? -1 : hi);
}

kiln_expr *ir_rows(ir_graph *g, kiln_expr *x, int mode) {
    static const char *const fn[] = {"softmax", "log_softmax", "logsumexp"};
    if (!ir_check_operand(g, x, fn[mode], 1)) return NULL;
    if (x->ndim == 0) {
        kiln_fail(g->ctx, KILN_ERR_ARG, "%s: needs an array of at least one dimension", fn[mode]);
        return NULL;
    }
    kiln_dtype dt = dtype_is_float((kiln_dtype)x->dtype) ? (kiln_dtype)x->dtype : KILN_F64;
    kiln_expr p, *c = ir_coerce(g, x, dt);
    if (!c) return NULL;
    ir_proto(&p, KILN_OP_SOFTMAX, dt);
    p.ndim = x->ndim;
    memcpy(p.shape, x->shape, sizeof p.shape);
    if (mode == 2) p.shape[x->ndim - 1] = 1;
    p.axis = (int8_t)(x->ndim - 1);
    p.keepdims = (uint8_t)mode;
    p.arg[0] = c->id;
    kiln_expr *r = ir_intern(g, &p);
    ir_release(c);
    return r;
}

kiln_expr *ir_param(ir_graph *g, kiln_dtype dt, int ndim, const int64_t *shape) {
    kiln_expr p;
    ir_proto(&p, KILN_OP_PARAM, dt);
    p.ndim = (uint8_t)ndim;
    memcpy(p.shape, shape, (size_t)ndim * sizeof *shape);
    pthread_mutex_lock(&g->lock);
    p.val.bits = ++g->nparams;
    pthread_mutex_unlock(&g->lock);
    return ir_intern(g, &p);
}

/* Stacks of matrices a1 and b1 as views of one batch shape, *a2 and *b2: their dims but the last
 * two broadcast, each keeping its own last two; false with fn's error naming the shapes of a and
 * b (as the caller got them), *a2 and *b2 then NULL or references the caller releases. */
static bool full_batch(ir_graph *g, const char *fn, kiln_expr *a1, kiln_expr *b1, const kiln_expr *a, const kiln_expr *b,
                       kiln_expr **a2, kiln_expr **b2) {
    kiln_expr lead[2], bs;
    for (int i = 0; i < 2; i++) {
        const kiln_expr *x = i ? b1 : a1;
        lead[i].ndim = (uint8_t)(x->ndim - 2);
        memcpy(lead[i].shape, x->shape, (size_t)(x->ndim - 2) * sizeof *x->shape);
    }
    if (ir_broadcast(g, (kiln_expr *[]){&lead[0], &lead[1]}, 2, &bs) != KILN_OK) {
        char ta[64], tb[64];
        ir_shape_str(a, ta, sizeof ta);
        ir_shape_str(b, tb, sizeof tb);
        kiln_fail(g->ctx, KILN_ERR_SHAPE, "%s: the leading (batch) dims of shapes %s and %s cannot be broadcast together", fn, ta, tb);
        return false;
    }
    int nd = bs.ndim + 2;
    for (int i = 0; i < 2; i++) {
        kiln_expr *x = i ? b1 : a1;
        int64_t shape[KILN_MAX_DIMS];
        memcpy(shape, bs.shape, (size_t)bs.ndim * sizeof *shape);
        shape[nd - 2] = x->shape[x->ndim - 2], shape[nd - 1] = x->shape[x->ndim - 1];
        if (!(*(i ? b2 : a2) = ir_broadcast_to(g, x, nd, shape))) return false;
    }
    return true;
}

/* A stack of matrix products (NumPy's matmul with an operand of 3 dims or more): a 1-D operand
 * becomes a matrix (a row on the left, a column on the right) and its dim is dropped from the
 * result; the leading (batch) dims broadcast, and both operands are made views of the whole
 * batch shape, so the MATMUL node's operands and result have the same dims. */
static kiln_expr *matmul_batched(ir_graph *g, kiln_expr *a, kiln_expr *b) {
    kiln_expr *a1 = a->ndim == 1 ? ir_expand_dims(g, a, 0) : (ir_retain(a), a);
    kiln_expr *b1 = !a1 ? NULL : b->ndim == 1 ? ir_expand_dims(g, b, 1) : (ir_retain(b), b);
    kiln_expr *a2 = NULL, *b2 = NULL, *r = NULL, *s1 = NULL, *s2 = NULL;
    if (!b1) goto out;
    int na = a1->ndim, nb = b1->ndim;
    if (a1->shape[na - 1] != b1->shape[nb - 2]) {
        kiln_fail(g->ctx, KILN_ERR_SHAPE,
                  "matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature "
                  "(n?,k),(k,m?)->(n?,m?) (size %lld is different from %lld)",
                  (long long)b1->shape[nb - 2], (long long)a1->shape[na - 1]);
        goto out;
    }
    if (!full_batch(g, "matmul", a1, b1, a, b, &a2, &b2)) goto out;
    int nd = a2->ndim;
    kiln_expr p;
    ir_proto(&p, KILN_OP_MATMUL, dtype_promote((kiln_dtype)a->dtype, (kiln_dtype)b->dtype));
    p.ndim = (uint8_t)nd;
    memcpy(p.shape, a2->shape, (size_t)nd * sizeof *p.shape);
    p.shape[nd - 1] = b2->shape[nd - 1];
    if (!(r = ir_intern_binary(g, &p, a2, b2))) goto out;
    if (a->ndim == 1) s1 = r, r = ir_squeeze(g, s1, nd - 2), nd--;
    if (r && b->ndim == 1) s2 = r, r = ir_squeeze(g, s2, nd - 1);
out:;
    kiln_expr *tmp[] = {a1, b1, a2, b2, s1, s2};
    for (size_t i = 0; i < sizeof tmp / sizeof *tmp; i++)
        if (tmp[i]) ir_release(tmp[i]);
    return r;
}


/* A LINALG node of fn over a (and b), both already of the result dtype and full-batch shape. */
static kiln_expr *linalg_node(ir_graph *g, int fn, unsigned flags, kiln_dtype dt, kiln_expr *a, kiln_expr *b) {
    int nd = a->ndim;
    int64_t m = a->shape[nd - 2], n = a->shape[nd - 1], k = m < n ? m : n;
    bool full = flags & KILN_LA_FULL;
    kiln_expr p;
    ir_proto(&p, KILN_OP_LINALG, dt);
    p.keepdims = (uint8_t)fn;
    p.axes = (uint8_t)flags;
    p.ndim = (uint8_t)nd;
    memcpy(p.shape, (b ? b : a)->shape, (size_t)nd * sizeof *p.shape);
    switch (fn) {
    case KILN_LA_DET:
    case KILN_LA_SIGNDET:
    case KILN_LA_LOGDET: p.ndim -= 2; break;
    case KILN_LA_EIGVALSH: p.ndim -= 1; break;
    case KILN_LA_SVALS: p.ndim -= 1, p.shape[nd - 2] = k; break;
    case KILN_LA_SVD_U: p.shape[nd - 1] = full ? m : k; break;
    case KILN_LA_SVD_VH: p.shape[nd - 2] = full ? n : k; break;
    case KILN_LA_QR_Q: p.shape[nd - 1] = full ? m : k; break;
    case KILN_LA_QR_R: p.shape[nd - 2] = full ? m : k; break;
    default: break;
    }
    p.arg[0] = a->id;
    if (b) p.arg[1] = b->id;
    return ir_intern(g, &p);
}

kiln_expr *ir_linalg(ir_graph *g, int fn, kiln_expr *a, kiln_expr *b, unsigned flags) {
    if (fn < 0 || fn >= KILN_LA_COUNT) {
        kiln_fail(g->ctx, KILN_ERR_ARG, "kiln_linalg: no function %d", fn);
        return NULL;
    }
    const char *name = linalg_fn_name(fn);
    bool solve = fn == KILN_LA_SOLVE;
    if (!ir_check_operand(g, a, name, 1) || (solve && !ir_check_operand(g, b, name, 2))) return NULL;
    if (a->ndim < 2) {
        kiln_fail(g->ctx, KILN_ERR_SHAPE, "%s: %d-dimensional array given. Array must be at least two-dimensional", name, a->ndim);
        return NULL;
    }
    int na = a->ndim;
    bool square = fn != KILN_LA_SVALS && fn != KILN_LA_SVD_U && fn != KILN_LA_SVD_VH && fn != KILN_LA_QR_Q && fn != KILN_LA_QR_R;
    if (square && a->shape[na - 1] != a->shape[na - 2]) {
        kiln_fail(g->ctx, KILN_ERR_SHAPE, "%s: Last 2 dimensions of the array must be square", name);
        return NULL;
    }
    kiln_dtype dt = a->dtype == KILN_F32 && (!solve || b->dtype == KILN_F32) ? KILN_F32 : KILN_F64;
    kiln_expr *ca = ir_coerce(g, a, dt), *b1 = NULL, *cb = NULL, *a2 = NULL, *b2 = NULL, *r = NULL, *s = NULL;
    if (!ca) return NULL;
    if (!solve) {
        r = linalg_node(g, fn, flags, dt, ca, NULL);
        ir_release(ca);
        return r;
    }
    /* solve: b is (n,) (one vector for every matrix of a) or a stack (..., n, k) */
    int64_t n = a->shape[na - 1];
    if (!(b1 = b->ndim == 1 ? ir_expand_dims(g, b, 1) : (ir_retain(b), b))) goto out;
    int nb = b1->ndim;
    if (nb < 2 || b1->shape[nb - 2] != n) {
        kiln_fail(g->ctx, KILN_ERR_SHAPE,
                  "solve: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (m,m),(m,n)->(m,n) "
                  "(size %lld is different from %lld)",
                  (long long)(nb < 2 ? 0 : b1->shape[nb - 2]), (long long)n);
        goto out;
    }
    if (!(cb = ir_coerce(g, b1, dt)) || !full_batch(g, "solve", ca, cb, a, b, &a2, &b2)) goto out;
    if ((r = linalg_node(g, fn, flags, dt, a2, b2)) && b->ndim == 1) s = r, r = ir_squeeze(g, s, a2->ndim - 1);
out:;
    kiln_expr *tmp[] = {ca, b1, cb, a2, b2, s};
    for (size_t i = 0; i < sizeof tmp / sizeof *tmp; i++)
        if (tmp[i]) ir_release(tmp[i]);
    return r;
}

kiln_expr *ir_matmul(ir_graph *g, kiln_expr *a, kiln_expr *b) { return ir_matmul_flags(g, a, b, 0); }

kiln_expr *ir_matmul_flags(ir_graph *g, kiln_expr *a, kiln_expr *b, unsigned flags) {
    if (!ir_check_operand(g, a, "matmul", 1) || !ir_check_operand(g, b, "matmul", 2)) return NULL;
    for (int i = 0; i < 2; i++) {
        const kiln_expr *x = i ? b : a;
        if (x->ndim == 0) {
            kiln_fail(g->ctx, KILN_ERR_SHAPE, "matmul: Input operand %d does not have enough dimensions", i);
            return NULL;
        }
    }
    if (a->ndim > 2 || b->ndim > 2) return matmul_batched(g, a, b);
    int64_t k1 = a->shape[a->ndim - 1], k2 = b->shape[0];
    if (k1 != k2) {
        char sa[64], sb[64];
        ir_shape_str(a, sa, sizeof sa);
        ir_shape_str(b, sb, sizeof sb);
        kiln_fail(g->ctx, KILN_ERR_SHAPE, "matmul: shapes %s and %s are not aligned: %lld (dim %d) != %lld (dim 0)", sa, sb,
                  (long long)k1, a->ndim - 1, (long long)k2);
        return NULL;
    }
    kiln_dtype dt = dtype_promote((kiln_dtype)a->dtype, (kiln_dtype)b->dtype);
    kiln_expr p;
    ir_proto(&p, KILN_OP_MATMUL, dt);
    p.axes = (uint8_t)flags;
    if (a->ndim == 2) p.shape[p.ndim++] = a->shape[0];
    if (b->ndim == 2) p.shape[p.ndim++] = b->shape[1];
    return ir_intern_binary(g, &p, a, b);
}

kiln_expr *ir_intern_binary(ir_graph *g, kiln_expr *proto, kiln_expr *a, kiln_expr *b) {
    kiln_expr *r = NULL, *ca = ir_coerce(g, a, (kiln_dtype)proto->dtype), *cb = ca ? ir_coerce(g, b, (kiln_dtype)proto->dtype) : NULL;
    if (ca && cb) {
        proto->arg[0] = ca->id;
        proto->arg[1] = cb->id;
        r = ir_intern(g, proto);
    }
    if (ca) ir_release(ca);
    if (cb) ir_release(cb);
    return r;
}

kiln_expr *ir_matmul_as_reduction(ir_graph *g, kiln_expr *mm) {
    kiln_expr *a = ir_arg(mm, 0), *b = ir_arg(mm, 1);
    kiln_dtype dt = (kiln_dtype)mm->dtype;
    if (dt != KILN_F32 && dt != KILN_F64 && dt != KILN_I64) return NULL; /* sum's dtype must be the product's */
    int axis, keep;
    kiln_expr *x = a, *y = b, *tx = NULL, *ty = NULL;
    if (a->ndim == 1 && b->ndim == 1) axis = KILN_ALL_AXES, keep = 0;
    else if (a->ndim == 2 && b->ndim == 1) axis = 1, keep = 0;
    else if (a->ndim == 2 && b->shape[1] == 1) axis = 1, keep = 1, y = ty = ir_transpose(g, b);
    else if (a->ndim == 2 && a->shape[0] == 1) axis = 0, keep = 1, x = tx = ir_transpose(g, a);
    else return NULL;
    kiln_expr *prod = x && y ? ir_build(g, KILN_OP_MUL, (kiln_expr *[]){x, y}, KILN_BOOL) : NULL;
    kiln_expr *r = prod ? ir_reduce(g, KILN_OP_SUM, prod, axis, keep) : NULL;
    kiln_expr *tmp[] = {tx, ty, prod};
    for (int i = 0; i < 3; i++)
        if (tmp[i]) ir_release(tmp[i]);
    if (!r && kiln_errcode(g->ctx) == KILN_OK) kiln_fail(g->ctx, KILN_ERR_NOMEM, "out of memory");
    return r;
}

