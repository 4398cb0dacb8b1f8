/*
 * graph.h — kiln's expression graph: a hash-consed DAG of immutable nodes.
 *
 * Pipeline position: the first stage.  The runtime's public builders (runtime/expr.c), and the
 * string frontend through them, come here; type rules, broadcasting, constant folding and
 * IEEE-safe simplification all happen while a node is built, and hash-consing makes building
 * the same node twice return the first one — common-subexpression elimination at construction.
 *
 * Every op node's operands already have the op's operand dtype: the builders insert CAST nodes
 * (or retype weak constants) so that neither the reference evaluator nor any backend ever
 * converts implicitly.  The operand dtype is that of arg[0], except for WHERE (arg[1]; arg[0]
 * is bool) — see ir_operand_dtype.
 *
 * The graph is the same on every machine: nothing here asks what the machine or a backend
 * can do.  It knows nothing of the runtime either: a VAR node keeps a copy of the memory it
 * reads (data, shape, strides) and an opaque leaf token the runtime gave it (a kiln_array),
 * which it retains and releases through hooks; the runtime's per-node memo (a plan) is freed
 * through a hook too.  The IR never frees a runtime object itself.
 */
#ifndef KILN_IR_GRAPH_H
#define KILN_IR_GRAPH_H

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "../base/base.h"

typedef uint32_t ir_ref;
#define IR_NONE UINT32_MAX

/* A graph node.  Public kiln_expr handles point at these. */
struct kiln_expr {
    uint8_t op;       /* kiln_op */
    uint8_t dtype;    /* result dtype */
    uint8_t ndim;     /* result rank */
    uint8_t weak;     /* CONST only: 1 for a Python scalar (weak in promotion, NEP 50) */
    int8_t axis;      /* SCAN, CONCAT, TAKE: the operand's axis */
    uint8_t keepdims; /* reductions: reduced axes kept as size 1; TAKE: 1 for take_along_axis, 2
                         for a pair of indices (arg[1] and arg[2] at axis and axis + 1) */
    uint8_t axes;     /* reductions: bit d set when the operand's axis d is reduced; SCATTER: its
                         op (ir_scatter_combine), with IR_SCATTER_AT; a partition (SORT): its
                         ranks' span (ir_partition) */
    ir_ref id;        /* index in the graph's arena */
    uint32_t refs;    /* caller handles + uses by other nodes; changed under the graph lock */
    ir_ref arg[3];    /* operands by id; IR_NONE where the op has fewer */
    int64_t shape[KILN_MAX_DIMS]; /* result shape, ndim entries */
    kscalar val;      /* CONST: the value in dtype (all 8 bytes defined); PARAM: its number;
                         SORT: its first rank + 1 where it is a partition (ir_partition) */
    void *leaf;       /* VAR: the runtime's token for the memory read; PARAM: the array bound
                         now, or NULL (both held through the hooks) */
    union {
        struct {      /* VAR */
            char *data;                     /* first element */
            int64_t strides[KILN_MAX_DIMS]; /* byte strides, ndim entries */
        };
        struct {      /* VIEW: out[i] = operand[j] where, per output dim d, j[vsrc[d]] =
                         vstart[d] + i[d] * vstep[d] (vsrc[d] < 0: a new axis of length 1),
                         and j[k] = vfix[k] for each operand dim k no output dim maps (vfix[k]
                         < 0 where one does) */
            int8_t vsrc[KILN_MAX_DIMS];
            int64_t vstart[KILN_MAX_DIMS], vstep[KILN_MAX_DIMS], vfix[KILN_MAX_DIMS];
        };
    };
    uint64_t hash;    /* structural hash (op, dtype, weak, args, val, memory) */
    uint64_t serial;  /* which node this is, over the graph's life: a slot reused gets a new one */
    ir_ref chain;     /* next node in the same hash bucket, next free slot, or next dead node */
    struct ir_graph *g;     /* owning graph */
    _Atomic(void *) memo;   /* the runtime's memo (its plan); freed through the hooks */
};

/* What the runtime lends the graph: leaves' lifetimes and its memo's. */
typedef struct ir_hooks {
    void (*leaf_retain)(void *leaf);
    void (*leaf_release)(void *leaf);
    /* A new token for leaf's memory read from byte_offset with another shape and strides (a
     * view): a new reference, or NULL with an error on the context. */
    void *(*leaf_view)(void *ud, void *leaf, int ndim, const int64_t *shape, const int64_t *strides, int64_t byte_offset);
    void (*memo_free)(void *ud, void *memo);
    /* Where the array a leaf stands for is now (for the reference evaluator). */
    void (*leaf_memory)(const void *leaf, char **data, const int64_t **strides);
    void *ud;
} ir_hooks;

#define IR_BLOCK_BITS 8 /* nodes live in blocks of 256 that never move */

typedef struct ir_graph {
    kiln_ctx *ctx;       /* errors and allocation (only its kiln_base is used) */
    uint64_t nparams;    /* placeholders made: each one's number */
    uint64_t serials;    /* nodes made */
    const ir_hooks *hooks;
    pthread_mutex_t lock;
    _Atomic(kiln_expr **) blocks; /* blocks of 1<<IR_BLOCK_BITS nodes; read without the lock */
    kiln_expr ***retired;         /* earlier, smaller block tables (readers may still hold
                                     them), freed with the graph */
    uint32_t nretired;
    uint32_t nblocks, capblocks;
    uint32_t top;        /* slots ever handed out */
    uint32_t live;       /* nodes alive */
    ir_ref free_head;    /* freed slots, linked through chain */
    ir_ref *buckets;     /* hash buckets, heads of chains */
    uint32_t nbuckets;   /* a power of two */
    bool dying;          /* being destroyed: releases are no-ops */
} ir_graph;

/* Sets up g for ctx with the runtime's hooks (kept by pointer).  KILN_OK or KILN_ERR_NOMEM (g
 * then needs no destroy). */
kiln_status ir_graph_init(ir_graph *g, kiln_ctx *ctx, const ir_hooks *hooks);
/* Frees every node, alive or not, releasing their leaves and memos through the hooks. */
void ir_graph_destroy(ir_graph *g);

static inline kiln_expr *ir_node(const ir_graph *g, ir_ref id) {
    kiln_expr **b = atomic_load_explicit(&((ir_graph *)g)->blocks, memory_order_acquire);
    return &b[id >> IR_BLOCK_BITS][id & ((1u << IR_BLOCK_BITS) - 1)];
}
static inline kiln_expr *ir_arg(const kiln_expr *n, int i) { return ir_node(n->g, n->arg[i]); }
/* One past the highest node id handed out so far: every node alive now has a smaller id. */
uint32_t ir_top(ir_graph *g);
uint32_t ir_live(ir_graph *g);

/* The dtype the op computes in (all operands but WHERE's condition have it). */
static inline kiln_dtype ir_operand_dtype(const kiln_expr *n) {
    return (kiln_dtype)ir_arg(n, n->op == KILN_OP_WHERE ? 1 : 0)->dtype;
}
/* Whether a and b have one shape. */
static inline bool ir_same_shape(const kiln_expr *a, const kiln_expr *b) {
    return a->ndim == b->ndim && memcmp(a->shape, b->shape, (size_t)a->ndim * sizeof *a->shape) == 0;
}
static inline int64_t ir_size(const kiln_expr *n) {
    int64_t s = 1;
    for (int d = 0; d < n->ndim; d++) s *= n->shape[d];
    return s;
}

/* ---- building (ir/graph.c).  Every builder borrows its arguments, returns a new reference or
 * NULL with an error on g's context, and returns NULL without a new error when an argument is
 * NULL (the error that made it is kept). */

/* op(args) with all of NumPy's rules; cast_to is the target of a CAST (ignored otherwise). */
kiln_expr *ir_build(ir_graph *g, kiln_op op, kiln_expr *const *args, kiln_dtype cast_to);
kiln_expr *ir_const(ir_graph *g, kiln_dtype dt, kscalar v, bool weak);
/* A leaf reading memory (data, dtype, shape, byte strides); leaf is the runtime's token for
 * it, retained by the node.  Two leaves reading the same memory the same way are one node. */
kiln_expr *ir_var(ir_graph *g, void *leaf, kiln_dtype dt, int ndim, const int64_t *shape, const int64_t *strides,
                  char *data);
/* A placeholder leaf for an array of dt and shape, distinct from every other. */
kiln_expr *ir_param(ir_graph *g, kiln_dtype dt, int ndim, const int64_t *shape);
/* A reduction of x over axis (negative counts from the end) or KILN_ALL_AXES; ir_reduce_axes
 * over the axes whose bits are set in mask (bits past x's rank are ignored). */
kiln_expr *ir_reduce(ir_graph *g, kiln_op op, kiln_expr *x, int axis, bool keepdims);
kiln_expr *ir_reduce_axes(ir_graph *g, kiln_op op, kiln_expr *x, unsigned mask, bool keepdims);
kiln_expr *ir_mean(ir_graph *g, kiln_expr *x, unsigned mask, bool keepdims);
/* The axes mask of axis (negative counts from the end; KILN_ALL_AXES: every one) for rank nd;
 * false with an error naming fn when it is out of bounds. */
bool ir_axis_mask(ir_graph *g, const char *fn, int axis, int nd, unsigned *mask);
/* Whether reduction n reduces its operand's axis d. */
static inline bool ir_reduces(const kiln_expr *n, int d) { return (n->axes >> d) & 1; }
/* cumsum / cumprod along axis (KILN_ALL_AXES: of the flattened x). */
kiln_expr *ir_scan(ir_graph *g, kiln_op op, kiln_expr *x, int axis);
/* x partitioned along axis (KILN_ALL_AXES: flattened), NumPy's partition (op SORT) or
 * argpartition (op ARGSORT: the positions): ranks lo..hi (0 <= lo <= hi < the axis's length)
 * hold the values sorting puts there, none greater before them and none smaller after.  A
 * SORT (ARGSORT) node whose val.i64 is lo + 1 and axes hi - lo (up to IR_PARTITION_SPAN;
 * farther apart, the sort itself). */
#define IR_PARTITION_SPAN 255
kiln_expr *ir_partition(ir_graph *g, kiln_op op, kiln_expr *x, int axis, int64_t lo, int64_t hi);
/* A partition node's ranks (SORT or ARGSORT with val.i64 > 0): true with *lo and *hi. */
static inline bool ir_partition_ranks(const kiln_expr *n, int64_t *lo, int64_t *hi) {
    if ((n->op != KILN_OP_SORT && n->op != KILN_OP_ARGSORT) || n->val.i64 <= 0) return false;
    *lo = n->val.i64 - 1;
    *hi = *lo + n->axes;
    return true;
}
/* Along x's last axis (mode in the node's keepdims): 0 softmax, 1 log_softmax, 2 logsumexp
 * (keeping the axis, of length 1), each with the row's maximum subtracted first where it is
 * finite, as the compositions of ops do; a SOFTMAX node, x in float64 unless it is float. */
kiln_expr *ir_rows(ir_graph *g, kiln_expr *x, int mode);
/* np.linalg's fn (kiln_linalg_fn) of a (and b for solve) with flags (KILN_LA_*): a LINALG node
 * over the last two dims, a and b cast to the result dtype (float32 stays, all else float64)
 * and, for solve, broadcast to one batch shape (a 1-D b is one vector for every matrix). */
kiln_expr *ir_linalg(ir_graph *g, int fn, kiln_expr *a, kiln_expr *b, unsigned flags);
/* A LINALG flag of kiln's own, beside KILN_LA_FULL and KILN_LA_UPPER: the inverse that det's
 * and slogdet's gradients take, or the solve with r that qr's does (a singular matrix's error
 * then says so). */
#define IR_LA_FOR_GRAD 4u
/* ... and one that makes a singular matrix's solve or inverse NaN, not an error (cond's, as
 * NumPy computes it under errstate(all='ignore')). */
#define IR_LA_QUIET 8u
/* ... and eigh's: its values computed with its vectors (syevd's jobz 'V'), as NumPy's eigh always
 * does, even where the vectors are not used (the values of 'N', eigvalsh's, differ in their last
 * bits). */
#define IR_LA_VECTORS 16u
/* x @ y for 1-D and 2-D operands (NumPy's matmul); always a MATMUL node: how a product is
 * computed (BLAS, kiln's loop, or a reduction) is the planner's choice. */
kiln_expr *ir_matmul(ir_graph *g, kiln_expr *x, kiln_expr *y);
/* ... with flags, its node's axes: IR_MATMUL_COPIES, np.dot's and inner's product, which NumPy
 * hands to gemm after copying an operand BLAS cannot read (cblas_matrixproduct), where matmul's
 * own loop reads it as it is (the two round differently). */
#define IR_MATMUL_COPIES 1u
kiln_expr *ir_matmul_flags(ir_graph *g, kiln_expr *x, kiln_expr *y, unsigned flags);
/* A product with a vector side rewritten as a reduction of an element-wise product:
 *     (k,)·(k,)  sum(a*b)        (m,k)·(k,)  sum(a*b, 1)
 *     (m,k)·(k,1)  sum(a*b.T, 1, keepdims)      (1,k)·(k,n)  sum(a.T*b, 0, keepdims)
 * with mm's shape and dtype; NULL without an error when mm's shapes are not these or its dtype
 * has no such reduction (bool, int32). */
kiln_expr *ir_matmul_as_reduction(ir_graph *g, kiln_expr *mm);
/* ---- views (ir/view.c) ---- */

/* A view of an operand, as a VIEW node holds it (see struct kiln_expr). */
typedef struct ir_viewmap {
    int ndim;                           /* output rank */
    int64_t shape[KILN_MAX_DIMS];
    int8_t src[KILN_MAX_DIMS];          /* per output dim: operand dim, or -1 for a new axis */
    int64_t start[KILN_MAX_DIMS], step[KILN_MAX_DIMS];
    int64_t fix[KILN_MAX_DIMS];         /* per operand dim: its fixed index, or -1 */
} ir_viewmap;

/* x viewed through m (m's indices already checked against x's shape).  An element-wise x of
 * arrays is rebuilt reading every array through the view (so it fuses); a view of a view is
 * one view; anything else is a VIEW node, read from x's computed result. */
kiln_expr *ir_view(ir_graph *g, kiln_expr *x, const ir_viewmap *m);
/* NumPy's basic indexing x[ix...], transpose with axes (NULL: reversed), expand_dims, squeeze
 * (KILN_ALL_AXES: every axis of length 1); all views. */
kiln_expr *ir_index(ir_graph *g, kiln_expr *x, int n, const kiln_ix *ix);
kiln_expr *ir_permute(ir_graph *g, kiln_expr *x, const int *axes);
kiln_expr *ir_transpose(ir_graph *g, kiln_expr *x);
kiln_expr *ir_expand_dims(ir_graph *g, kiln_expr *x, int axis);
kiln_expr *ir_squeeze(ir_graph *g, kiln_expr *x, int axis);
/* x.reshape(shape) (one -1 allowed): arrays whose layout allows it are viewed; otherwise a
 * RESHAPE node, which the runtime reads as its operand's values in C order. */
kiln_expr *ir_reshape(ir_graph *g, kiln_expr *x, int ndim, const int64_t *shape);
/* concatenate([a, b], axis) and take / take_along_axis (along: 1).  A take's `said` (its
 * node's val) names the axes an out-of-bounds index's message gives: IR_SAID(i, j), the axes of
 * the array a subscript indexed before the frontend moved or dropped dims; 0: axis (and
 * axis + 1). */
#define IR_SAID(i, j) ((int64_t)((i) + 1) | (int64_t)((j) + 1) << 8)
/* The axis a take's node n says its k-th index (0, 1) is on: from IR_SAID, or axis + k. */
#define IR_SAID_AXIS(n, k) ((n)->val.i64 ? (int)((n)->val.i64 >> (8 * (k)) & 0xff) - 1 : (n)->axis + (k))
kiln_expr *ir_concat(ir_graph *g, kiln_expr *a, kiln_expr *b, int axis);
/* Whether x, if a Python integer, fits dtype dt (NumPy 2 refuses int32(2**31)); false with the
 * error on the context if not. */
bool ir_weak_fits(ir_graph *g, const kiln_expr *x, kiln_dtype dt);
/* The common dtype of operands a[0..n): strong ones promote as arrays; weak ones join per
 * NEP 50.  *all_weak tells whether every operand was a Python scalar. */
kiln_dtype ir_common_dtype(kiln_expr *const *a, int n, bool *all_weak);
kiln_expr *ir_take(ir_graph *g, kiln_expr *x, kiln_expr *idx, int axis, bool along, int64_t said);
/* x[..., i, j, ...] with integer arrays i and j (broadcast together) at axes axis, axis + 1:
 * NumPy's x[i, j] for two adjacent integer-array indices.  A TAKE node with keepdims 2. */
kiln_expr *ir_take_pair(ir_graph *g, kiln_expr *x, kiln_expr *i, kiln_expr *j, int axis, int64_t said);
/* A SEARCH node's modes: how many of the sorted s come before each v (RIGHT: before or equal),
 * as int64; or (FOUND) whether one of them equals it, as bool (NaN equals none, -0.0 equals
 * 0.0: ==). */
enum { IR_SEARCH_LEFT, IR_SEARCH_RIGHT, IR_SEARCH_FOUND };
/* searchsorted(s, v) in mode (IR_SEARCH_*): a SEARCH node (v's shape; keepdims holds the mode)
 * over s and v coerced to their promoted dtype. */
kiln_expr *ir_search(ir_graph *g, kiln_expr *s, kiln_expr *v, int mode);
/* x read as an array of shape (x's dims broadcast to it: a VIEW with strides 0, never pushed
 * down, so x is computed once). */
kiln_expr *ir_broadcast_to(ir_graph *g, kiln_expr *x, int ndim, const int64_t *shape);
/* A view's adjoint: an array of shape, zero except where view map m reads it, which holds v's
 * values (v has m's shape).  An EMBED node carrying m. */
kiln_expr *ir_embed(ir_graph *g, kiln_expr *v, const ir_viewmap *m, int ndim, const int64_t *shape);
/* A take's adjoint: an array of shape, zero but for v's values added at the indices of i (and
 * j: mode 2, a pair; mode 1: along axis; mode 0: take), in order.  A SCATTER node (its axes:
 * KILN_OP_ADD). */
kiln_expr *ir_scatter(ir_graph *g, kiln_expr *v, kiln_expr *i, kiln_expr *j, int axis, int mode, int ndim, const int64_t *shape);
/* np.add.at and the other ufuncs' .at, as a SCATTER (axes: combine | IR_SCATTER_AT) of dtype
 * dt over v's values, a's own elements first (one for each place, in order), then b's: each
 * place takes its own element, cast to dt, and then each of b's joins it as NumPy's unbuffered
 * loop does: the place cast to v's dtype, combined (a binary op whose result has its operands'
 * dtype, v's), cast back to dt. */
#define IR_SCATTER_AT 0x80
kiln_expr *ir_scatter_at(ir_graph *g, kiln_expr *v, kiln_expr *i, kiln_expr *j, int mode, int ndim, const int64_t *shape,
                         kiln_op combine, kiln_dtype dt);
/* A SCATTER's combining op (how: the node's axes). */
kiln_op ir_scatter_combine(unsigned how);
/* ---- gradients (ir/grad.c) ---- */

/* Reverse mode: grads[i] = the vector-Jacobian product seedᵀ·∂out/∂wrt[i] as graphs (new
 * references, wrt[i]'s shape and dtype; zeros where out does not depend on wrt[i]).  seed NULL
 * is 1 and needs a 0-d out; otherwise it is broadcast to out's shape.  out and the wrt must be
 * floating point.  On failure grads[] are NULL. */
kiln_status ir_vjp(ir_graph *g, kiln_expr *out, kiln_expr *seed, int n, kiln_expr *const *wrt, kiln_expr **grads);

/* The dtype of a ufunc that has float loops only (arctan2, logaddexp, heaviside) on vals: their
 * common float, or NumPy's loop for integers, the smallest float every array casts to safely
 * (int16 with uint16: float32; bool with float32: float32), a Python number weak. */
kiln_dtype ir_float_loop_dtype(kiln_expr *const *vals, int n);
/* Whether x's shape broadcasts to (ndim, shape) without changing it (NumPy's broadcast_to). */
bool ir_broadcasts_to(const kiln_expr *x, int ndim, const int64_t *shape);
/* x's shape as NumPy's broadcasting errors print it, "(2,3)", "(4,)", "()", cut at cap. */
void ir_shape_str(const kiln_expr *x, char *buf, size_t cap);
/* NumPy broadcasting of args' shapes into res's ndim and shape (an error naming them). */
kiln_status ir_broadcast(ir_graph *g, kiln_expr *const *args, int n, kiln_expr *res);
/* The new byte offset and strides of memory (shape, strides) viewed through m: an array leaf
 * or a result read through a VIEW node. */
void ir_view_memory(const ir_viewmap *m, const int64_t *shape, const int64_t *strides, int64_t *offset, int64_t *vstrides);
/* NumPy's no-copy reshape: strides for nshape over memory (oshape, ostrides) when its layout
 * allows, else false. */
bool ir_reshape_strides(int ond, const int64_t *oshape, const int64_t *ostrides, int nnd, const int64_t *nshape,
                        int64_t *nstrides);
/* A VIEW node's map; an EMBED node's (the map of the view it undoes). */
void ir_view_of(const kiln_expr *n, ir_viewmap *m);
void ir_embed_of(const kiln_expr *n, ir_viewmap *m);

/* A constant broadcast to a shape (a VIEW of a CONST: what gradients of sums and means are made
 * of): kernels read it as the constant, and it needs no array unless a step reads one. */
static inline bool ir_free_broadcast(const kiln_expr *n) { return n->op == KILN_OP_VIEW && ir_arg(n, 0)->op == KILN_OP_CONST; }

/* The IR's own helpers (graph.c), for its other files: a zeroed prototype of op with result
 * dtype dt and no operands; the node equal to proto (found or added; a new reference); x in
 * dtype dt (x itself, a retyped weak constant, or a CAST); a check that x is a usable operand
 * of this graph (false with an error naming fn and operand i). */
void ir_proto(kiln_expr *p, kiln_op op, kiln_dtype dt);
kiln_expr *ir_intern(ir_graph *g, kiln_expr *proto);
kiln_expr *ir_coerce(ir_graph *g, kiln_expr *x, kiln_dtype dt);
/* proto (its dtype, shape and attributes set) over a and b, each coerced to its dtype. */
kiln_expr *ir_intern_binary(ir_graph *g, kiln_expr *proto, kiln_expr *a, kiln_expr *b);
bool ir_check_operand(ir_graph *g, kiln_expr *x, const char *fn, int i);

/* Reference counting under the graph lock. */
void ir_retain(kiln_expr *n);
void ir_release(kiln_expr *n);

/* ---- walking and rewriting (ir/walk.c) ---- */

/* The one topological walk: post-order over the nodes under roots[0..n), each once (operands
 * before their users, roots in order).  The walk does not go below a node for which
 * stop(ud, node) is true (stop may be NULL); such a node is listed.  *order is allocated with
 * the context's allocator (free it with kiln_free) and holds *count nodes. */
kiln_status ir_walk(ir_graph *g, kiln_expr *const *roots, int n, bool (*stop)(void *ud, const kiln_expr *node),
                    void *ud, kiln_expr ***order, uint32_t *count);

/* For ir_rebuild: *out = what node becomes (a new reference), given its operands as rebuilt
 * (args, borrowed); leaving *out NULL rebuilds node the usual way. */
typedef kiln_status (*ir_subst_fn)(void *ud, kiln_expr *node, kiln_expr *const *args, kiln_expr **out);
/* The graphs under roots[0..n) rebuilt bottom-up with sub applied to every node: out[i] is
 * roots[i]'s counterpart (a new reference; roots[i] itself when nothing under it changed).
 * On failure nothing is left in out. */
kiln_status ir_rebuild(ir_graph *g, kiln_expr *const *roots, int n, ir_subst_fn sub, void *ud, kiln_expr **out);
/* ... not below a node for which stop(ud, node) is true (ir_walk's): sub is applied to such a node
 * (args all NULL), which is kept as it is where sub leaves *out NULL. */
kiln_status ir_rebuild_until(ir_graph *g, kiln_expr *const *roots, int n, bool (*stop)(void *ud, const kiln_expr *node), ir_subst_fn sub, void *ud,
                             kiln_expr **out);

/* Appends a readable listing of the graph under root (one node per line, in topological
 * order, shared nodes once) to b. */
void ir_print(const kiln_expr *root, kstr *b);

/* ---- reference evaluator (ir/ref.c): base/scalar.h applied element by element ---- */

/* Applies op to operands a[] (in the op's operand dtype odt; WHERE's a[0] is bool) giving a
 * value of dtype out.  CAST converts a[0] from odt to out. */
kscalar ref_apply(kiln_op op, kiln_dtype odt, kiln_dtype out, const kscalar *a);
/* scalar.h's ks_cbrt_refine: y, a float64 cube root of x within a few ulps, made the nearest (the
 * interpreter's step after libmvec's cbrt, as the JIT's) */
double ref_cbrt_refine(double x, double y);
kscalar ref_cast(kscalar v, kiln_dtype from, kiln_dtype to);
/* The element at p as a kscalar, and back.  Inline, so that each caller's copy is compiled with
 * its file's flags: the library's checked by the sanitizer builds, ref_eval.c's walk (a load or
 * store a call, element by element) unchecked and optimized: as calls into ref.c they were a
 * fifth of the sanitized unit suites' time. */
static inline kscalar ref_load(const void *p, kiln_dtype dt) {
    kscalar v = {.bits = 0};
    if (dt == KILN_BOOL) v.b = *(const uint8_t *)p != 0;
    else memcpy(&v, p, dtype_bytes(dt)); /* (every member starts at the union's first byte) */
    return v;
}
static inline void ref_store(void *p, kiln_dtype dt, kscalar v) {
    if (dt == KILN_BOOL) *(uint8_t *)p = v.b;
    else memcpy(p, &v, dtype_bytes(dt));
}
/* Whether scalar.h has op for operand dtype dt (a table the tests check against the type
 * rules). */
bool ref_has(kiln_op op, kiln_dtype dt);
/* Reductions: the starting accumulator (acc[0] value, acc[1].i64 index for argmax/argmin) and
 * the fold acc ⊕ v that kernels and the block tree both perform. */
void ref_reduce_init(int op, kiln_dtype dt, kscalar *acc);
void ref_reduce_combine(int op, kiln_dtype dt, kscalar *acc, const kscalar *v);
/* Evaluates e element by element, recursively, into memory at out with byte strides ostr
 * (e's shape and dtype): the definition of every op, not a fast path.  Float sums and products
 * are accumulated in long double. */
void ref_eval_into(const kiln_expr *e, char *out, const int64_t *ostr);

#endif
