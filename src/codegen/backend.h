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
    /* Compiles kd into *fn (its symbol called name; NULL: a private name), valid until free.
     * When dump is not NULL, appends the backend's final code to it: KILN_DUMP_LLVM (optimized
     * LLVM IR) and/or KILN_DUMP_ASM (machine assembly), as `what` says.  When obj is not NULL
     * it receives a malloc'd copy of the object code (for the disk cache) and *objlen its
     * length, or NULL.  On failure *fn is untouched. */
    kiln_status (*compile)(void *state, kiln_ctx *ctx, const kernel_desc *kd, const char *name, kiln_kernel_fn *fn,
                           kstr *dump, int what, void **obj, size_t *objlen);
    /* Loads object code made by compile (from the disk cache) and finds its kernel `name`. */
    kiln_status (*load)(void *state, kiln_ctx *ctx, const void *obj, size_t len, const char *name, kiln_kernel_fn *fn);
    /* Everything object code depends on besides the kernel (versions, target, CPU, features):
     * the disk cache's key starts with it.  Owned by the state. */
    const char *(*target)(void *state);
    /* Frees the state and every kernel compiled with it. */
    void (*free)(void *state);
} kiln_backend_i;

extern const kiln_backend_i kiln_cpu_backend;

#endif
