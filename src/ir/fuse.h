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
} fused_kernel;

/* Fuses the element-wise region under root into fk (which the caller frees with
 * ir_fused_free, also after a failure).  The region ends at arrays, at non-element-wise nodes
 * and at nodes marked in mat (by id; NULL marks none), which become the kernel's inputs.  With
 * reduce (a reduction op, else 0) the kernel reduces root's values instead of storing them.
 * Returns KILN_OK or an error set on ctx. */
kiln_status ir_fuse(ir_graph *g, kiln_expr *root, const uint8_t *mat, int reduce, fused_kernel *fk);
void ir_fused_free(ir_graph *g, fused_kernel *fk);

#endif
