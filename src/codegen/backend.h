/*
 * backend.h — the contract every code generator fulfils.
 *
 * A backend turns a kernel_desc (ir/kernel.h) into something the runtime can run.  The CPU
 * backend (codegen/llvm/cpu.c) produces a kiln_kernel_fn that the runtime calls over row
 * chunks from OpenMP threads; a CUDA backend would produce a module and a launch function
 * from the same description.  Backends never see the graph or the frontend.
 */
#ifndef KILN_CODEGEN_BACKEND_H
#define KILN_CODEGEN_BACKEND_H

#include "../ir/kernel.h"

typedef struct kiln_backend_i {
    const char *name;
    /* Starts the backend (for LLVM: target, JIT).  *state is the backend's own; on failure it
     * is left NULL and the error is set on ctx. */
    kiln_status (*init)(kiln_ctx *ctx, void **state);
    /* Whether the backend can compile kd (it then must not fail for lack of an op). */
    bool (*supports)(void *state, const kernel_desc *kd);
    /* Compiles kd into *fn, valid until free.  When dump is not NULL, appends the backend's
     * final code to it: KILN_DUMP_LLVM (optimized LLVM IR) and/or KILN_DUMP_ASM (machine
     * assembly), as `what` says.  On failure *fn is untouched. */
    kiln_status (*compile)(void *state, kiln_ctx *ctx, const kernel_desc *kd, kiln_kernel_fn *fn,
                           kstr *dump, int what);
    /* Frees the state and every kernel compiled with it. */
    void (*free)(void *state);
} kiln_backend_i;

extern const kiln_backend_i kiln_cpu_backend;

#endif
