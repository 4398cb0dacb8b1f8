/*
 * exec.h — plans and what runs them, shared by the runtime's files:
 *
 *     plan.c    graph roots ─▶ steps (element-wise maps, reductions, matrix products)
 *     eval.c    the pipeline; geometry, kernel lookup and launch of element-wise maps
 *     reduce.c  reduction steps: fixed blocks, deterministic for any thread count
 *     matmul.c  matrix-product steps: OpenBLAS or kiln's loop, element-wise epilogue fused
 */
#ifndef KILN_RUNTIME_EXEC_H
#define KILN_RUNTIME_EXEC_H

#include "../ir/fuse.h"
#include "ctx.h"

#define GRAIN 32768        /* elements per thread below which more threads do not pay */
#define INLINE_OPERANDS 32 /* operands handled without heap allocation */

typedef enum step_kind {
    STEP_MAP,    /* an element-wise kernel writes node's values */
    STEP_REDUCE, /* a reduction kernel folds its operand's region */
    STEP_MATMUL, /* a matrix product, with an optional element-wise epilogue */
} step_kind;

/* One step of a plan: computes `node` into an array (a caller's output or a temporary). */
typedef struct step {
    step_kind kind;
    kiln_expr *node;
    fused_kernel fk;       /* MAP: node's region; REDUCE: the region of node's operand */
    int root;              /* which caller output receives node (-1: a temporary) */
    int temp;              /* which temporary receives node (-1: a caller output) */
    int epilogue;          /* MATMUL: the MAP step run on each panel of its result, or -1 */
    bool in_epilogue;      /* MAP: run by a MATMUL step instead of on its own */
    pthread_mutex_t lock;  /* guards the memo */
    uint8_t *memo_layout;  /* specialization of the last kernel used (n_in + n_out layouts,
                              then the streaming hint) */
    void *memo_fn;
    struct step *aux;      /* REDUCE: the accumulate kernel of the column path, made on demand */
} step;

struct eval_plan {
    int nroots;
    kiln_expr **roots;
    int nsteps;
    step *steps;           /* in dependency order */
    int ntemps;
    kiln_expr **temps;     /* nodes computed into temporaries */
    int nviews;
    kiln_expr **views;     /* TRANSPOSE nodes: read through a view of their operand's array */
};
typedef struct eval_plan eval_plan;

/* Partitions the graphs under roots into steps.  NULL (error on ctx) on failure. */
eval_plan *plan_build(kiln_ctx *ctx, kiln_expr *const *roots, int nroots);
void eval_plan_free(kiln_ctx *ctx, eval_plan *p);
/* The arrays of one run: temporaries, the caller's outputs, and views (structs, not handles). */
typedef struct run_arrays {
    kiln_array **temps;
    kiln_array *const *outs;
    kiln_array *views;
} run_arrays;
/* The array node n stands for in a run: a VAR's array, a step's output, or a view. */
kiln_array *plan_array(const eval_plan *p, const kiln_expr *n, const run_arrays *ra);

/* Operands broadcast to an output's shape, size-1 dims dropped, dims collapsed. */
typedef struct geometry {
    int nops, ndim;
    int64_t total;                     /* elements */
    int64_t shape[KILN_MAX_DIMS];
    char **base;                       /* nops first elements */
    int64_t (*strides)[KILN_MAX_DIMS]; /* nops × ndim byte strides */
    int64_t *inner;                    /* nops innermost strides */
    uint8_t *layout;                   /* nops layouts (kd_layout), then the streaming hint */
    char *base_s[INLINE_OPERANDS];     /* inline storage for small kernels */
    int64_t strides_s[INLINE_OPERANDS][KILN_MAX_DIMS];
    int64_t inner_s[INLINE_OPERANDS];
    uint8_t layout_s[INLINE_OPERANDS + 1];
    bool heap;
} geometry;

/* Geometry of an element-wise step: ins[i] for its kernel inputs, out its output (data may be
 * NULL when only layouts are wanted).  KILN_OK or KILN_ERR_NOMEM. */
kiln_status geometry_build(kiln_ctx *ctx, const fused_kernel *fk, kiln_array *const *ins, int ondim,
                           const int64_t *oshape, const int64_t *ostrides, char *out_data, geometry *g);
void geometry_free(kiln_ctx *ctx, geometry *g);

/* The compiled kernel for step s's kernel with these layouts: memo, cache, or compile.  With
 * dump, compiles afresh and appends the backend's code (what: KILN_DUMP_LLVM/ASM). */
void *kernel_get(kiln_ctx *ctx, step *s, const uint8_t *layout, kstr *dump, int what);
/* Runs an element-wise kernel over g (on OpenMP threads when it is big). */
kiln_status launch(kiln_ctx *ctx, kiln_kernel_fn fn, const geometry *g, const kscalar *consts);
/* Runs an element-wise step into out, reading ins. */
kiln_status map_run(kiln_ctx *ctx, step *s, kiln_array *const *ins, kiln_array *out);

kiln_status reduce_run(kiln_ctx *ctx, step *s, kiln_array *const *ins, kiln_array *out);
void reduce_step_free(kiln_ctx *ctx, step *s);
/* A matrix product a @ b into out; with epi, that step's kernel is applied to each panel of
 * out right after the product wrote it (its inputs epi_ins; the product's own result among
 * them is read back from out). */
kiln_status matmul_run(kiln_ctx *ctx, step *s, kiln_array *a, kiln_array *b, kiln_array *out, step *epi,
                       kiln_array *const *epi_ins);

/* The name of the BLAS matrix products go to ("OpenBLAS 0.3.21 (SkylakeX)") or NULL. */
const char *blas_name(void);

#endif
