/*
 * graph.h — kiln's expression graph: a hash-consed DAG of immutable nodes.
 *
 * Pipeline position: the first stage.  The public builders (and the string frontend, which only
 * calls them) come here; type rules, broadcasting, constant folding and IEEE-safe
 * simplification all happen while a node is built, and hash-consing makes building the same
 * node twice return the first one — common-subexpression elimination at construction.
 *
 * Every op node's operands already have the op's operand dtype: the builders insert CAST nodes
 * (or retype weak constants) so that neither the reference evaluator nor any backend ever
 * converts implicitly.  The operand dtype is that of arg[0], except for WHERE (arg[1]; arg[0]
 * is bool) — see ir_operand_dtype.
 */
#ifndef KILN_IR_GRAPH_H
#define KILN_IR_GRAPH_H

#include <pthread.h>
#include <stdatomic.h>

#include "../common.h"

typedef uint32_t ir_ref;
#define IR_NONE UINT32_MAX

struct eval_plan; /* runtime's memo for evaluating a node (runtime/eval.c) */

/* A graph node.  Public kiln_expr handles point at these. */
struct kiln_expr {
    uint8_t op;     /* kiln_op */
    uint8_t dtype;  /* result dtype */
    uint8_t ndim;   /* result rank */
    uint8_t weak;   /* CONST only: 1 for a Python scalar (weak in promotion, NEP 50) */
    int8_t axis;    /* reductions: the reduced axis of the operand, or KILN_ALL_AXES */
    uint8_t keepdims; /* reductions: reduced axes kept as size 1 */
    ir_ref id;      /* index in the graph's arena */
    uint32_t refs;  /* caller handles + uses by other nodes; changed under the graph lock */
    ir_ref arg[3];  /* operands by id; IR_NONE where the op has fewer */
    int64_t shape[KILN_MAX_DIMS]; /* result shape, ndim entries */
    kscalar val;      /* CONST: the value in dtype (all 8 bytes defined) */
    kiln_array *array;    /* VAR: the array read; the node holds a reference */
    uint64_t hash;        /* structural hash (op, dtype, weak, args, val, array) */
    ir_ref chain;         /* next node in the same hash bucket, or next free slot */
    struct ir_graph *g;   /* owning graph */
    _Atomic(struct eval_plan *) plan; /* runtime memo; freed with the node */
};

#define IR_BLOCK_BITS 8 /* nodes live in blocks of 256 that never move */

typedef struct ir_graph {
    kiln_ctx *ctx;
    pthread_mutex_t lock;
    kiln_expr **blocks; /* blocks of 1<<IR_BLOCK_BITS nodes */
    uint32_t nblocks;
    uint32_t top;       /* slots ever handed out */
    uint32_t live;      /* nodes alive */
    ir_ref free_head;   /* freed slots, linked through chain */
    ir_ref *buckets;    /* hash buckets, heads of chains */
    uint32_t nbuckets;  /* a power of two */
} ir_graph;

/* Sets up g inside ctx.  Returns KILN_OK or KILN_ERR_NOMEM (g then needs no free). */
kiln_status ir_graph_init(ir_graph *g, kiln_ctx *ctx);
/* Frees every node, alive or not, and the arrays they hold. */
void ir_graph_destroy(ir_graph *g);

static inline kiln_expr *ir_node(const ir_graph *g, ir_ref id) {
    return &g->blocks[id >> IR_BLOCK_BITS][id & ((1u << IR_BLOCK_BITS) - 1)];
}
static inline kiln_expr *ir_arg(const kiln_expr *n, int i) { return ir_node(n->g, n->arg[i]); }

/* The dtype the op computes in (all operands but WHERE's condition have it). */
static inline kiln_dtype ir_operand_dtype(const kiln_expr *n) {
    return (kiln_dtype)ir_arg(n, n->op == KILN_OP_WHERE ? 1 : 0)->dtype;
}
static inline int64_t ir_size(const kiln_expr *n) {
    int64_t s = 1;
    for (int d = 0; d < n->ndim; d++) s *= n->shape[d];
    return s;
}

/* Builds (or finds) the node op(args) with all of NumPy's rules.  args are borrowed; returns a
 * new reference or NULL with an error on ctx. */
kiln_expr *ir_build(kiln_ctx *ctx, kiln_op op, kiln_expr *const *args, kiln_dtype cast_to);
kiln_expr *ir_const(kiln_ctx *ctx, kiln_dtype dt, kscalar v, bool weak);
/* A reduction of x (axis already checked against x's rank, or KILN_ALL_AXES). */
kiln_expr *ir_reduce(kiln_ctx *ctx, kiln_op op, kiln_expr *x, int axis, bool keepdims);

/* Reference counting under the graph lock. */
void ir_retain(kiln_expr *n);
void ir_release(kiln_expr *n);

/* Type rules, for the builders and for tests. */
kiln_dtype ir_promote(kiln_dtype a, kiln_dtype b);

/* Appends a readable listing of the graph under root (one node per line, in topological
 * order, shared nodes once) to b. */
void ir_print(const kiln_expr *root, kstr *b);

/* ---- reference evaluator (ir/ref.c): plain scalar C, the definition of each op ---- */

/* Applies op to operands a[] (in the op's operand dtype odt; WHERE's a[0] is bool) giving a
 * value of dtype out.  CAST converts a[0] from odt to out. */
kscalar ref_apply(kiln_op op, kiln_dtype odt, kiln_dtype out, const kscalar *a);
kscalar ref_cast(kscalar v, kiln_dtype from, kiln_dtype to);
/* Integer power with wrap-around (compiled kernels call this one too: kiln_rt_ipow). */
int64_t ref_ipow(int64_t a, int64_t e);
kscalar ref_load(const void *p, kiln_dtype dt);
/* Reductions: the starting accumulator (acc[0] value, acc[1].i64 index for argmax/argmin) and
 * the fold acc ⊕ v that kernels and the runtime's block combining both perform. */
void ref_reduce_init(int op, kiln_dtype dt, kscalar *acc);
void ref_reduce_combine(int op, kiln_dtype dt, kscalar *acc, const kscalar *v);
void ref_store(void *p, kiln_dtype dt, kscalar v);
/* Evaluates e element by element, recursively, into out (e's shape and dtype). */
kiln_status ref_eval(kiln_ctx *ctx, kiln_expr *e, kiln_array *out);

#endif
