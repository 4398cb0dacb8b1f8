/*
 * fuse.h — the fusion pass: from a graph node to fused kernels with their bindings.
 */
#ifndef KILN_IR_FUSE_H
#define KILN_IR_FUSE_H

#include "graph.h"
#include "kernel.h"

/* One kernel and what its operands and constant slots are bound to. */
typedef struct fused_kernel {
    kernel_desc kd;      /* layouts are all KD_CONTIG until the runtime specializes them */
    kiln_expr **inputs;  /* n_in leaf nodes: arrays (VAR) or results of earlier steps; kept
                            alive by the root they were fused from */
    kscalar *consts; /* n_const values */
    uint32_t cost;   /* work per element (kd_cost), for the choice of threads */
    void *block;     /* the one allocation the arrays above and kd's live in (ir_fused_alloc) */
} fused_kernel;

/* Fuses the element-wise region under root into fk (which the caller frees with
 * ir_fused_free, also after a failure).  The region ends at arrays, at non-element-wise nodes
 * and at nodes marked in mat (by id; NULL marks none), which become the kernel's inputs.  With
 * reduce (a reduction op, else 0) the kernel reduces root's values instead of storing them.
 * Returns KILN_OK or an error set on ctx. */
kiln_status ir_fuse(ir_graph *g, kiln_expr *root, const uint8_t *mat, int reduce, fused_kernel *fk);
void ir_fused_free(ir_graph *g, fused_kernel *fk);
/* Gives fk zeroed room for n_inst instructions, n_in inputs, n_const constants and one output
 * (each array one longer), in one block that ir_fused_free frees.  KILN_ERR_NOMEM (not set on
 * ctx) when out of memory. */
kiln_status ir_fused_alloc(kiln_ctx *ctx, fused_kernel *fk, uint32_t n_inst, uint32_t n_in, uint32_t n_const);

#endif
