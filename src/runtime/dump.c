/*
 * dump.c — kiln_dump: what kiln did with an expression, as text.
 *
 * Pipeline position: beside the pipeline.  The graph comes from the IR's printer; the kernels
 * are the plan's, specialized to the layouts a C-ordered run would have; their code is what the
 * context's backend renders for them (LLVM IR and assembly, or the interpreter's program).
 */
#include <string.h>

#include "exec.h"

#define CODE (KILN_DUMP_LLVM | KILN_DUMP_ASM | KILN_DUMP_SOURCE | KILN_DUMP_CUDA)

/* Appends the kernel of step s (a map or a reduction, or a step's aux map) to b: its description
 * for a contiguous run, and with CODE bits its code. */
static bool dump_kernel(kiln_ctx *ctx, const rt_exec *x, rt_step *s, int what, kstr *b) {
    /* the layouts of a contiguous run: the node's own C-ordered output */
    kiln_expr *shape_of = s->kind == RT_STEP_REDUCE ? ir_arg(s->node, 0) : s->node;
    int64_t cstr[KILN_MAX_DIMS], sz = (int64_t)kiln_dtype_size((kiln_dtype)shape_of->dtype);
    for (int d = shape_of->ndim - 1; d >= 0; d--) {
        cstr[d] = sz;
        sz *= shape_of->shape[d];
    }
    int nin = s->fk.kd.n_in;
    kiln_array **ins = kiln_malloc(ctx, (size_t)(nin + 1) * sizeof *ins);
    kiln_array *stand = kiln_calloc(ctx, (size_t)(nin + 1) * sizeof *stand);
    bool ok = ins && stand;
    for (int k = 0; ok && k < nin; k++) { /* results of other steps: C-ordered stand-ins */
        kiln_expr *n = s->fk.inputs[k];
        if (n->op == KILN_OP_VAR) {
            ins[k] = n->leaf;
            continue;
        }
        rt_array_standin(&stand[k], n);
        ins[k] = &stand[k];
    }
    rt_geom g;
    ok = ok && rt_geom_build(ctx, &s->fk, ins, shape_of->ndim, shape_of->shape, cstr, NULL, &g) == KILN_OK;
    if (ok) {
        kernel_desc kd = rt_specialize(s, g.layout);
        if (what & KILN_DUMP_KERNELS) kd_print(&kd, b);
        if ((what & CODE) && rt_kernel_render(x, s, g.layout, what, b) != KILN_OK) ok = false;
        rt_geom_free(ctx, &g);
    }
    kiln_free(ctx, ins);
    kiln_free(ctx, stand);
    return ok;
}

char *kiln_dump(kiln_ctx *ctx, kiln_expr *e, int what) {
    if (!ctx) return NULL;
    if (!e) {
        if (kiln_errcode(ctx) == KILN_OK) kiln_fail(ctx, KILN_ERR_ARG, "kiln_dump: expression is NULL");
        return NULL;
    }
    if (e->g != &ctx->graph) {
        kiln_fail(ctx, KILN_ERR_ARG, "kiln_dump: expression belongs to another context");
        return NULL;
    }
    kstr b = {0};
    if (what & KILN_DUMP_GRAPH) ir_print(e, &b);
    rt_plan *p = what & (KILN_DUMP_KERNELS | CODE) ? rt_plan_get(ctx, e) : NULL;
    if ((what & (KILN_DUMP_KERNELS | CODE)) && !p) {
        kstr_free(&b);
        return NULL;
    }
    rt_exec x;
    if (p && !rt_exec_for(ctx, p, &x)) {
        kstr_free(&b);
        kiln_fail(ctx, KILN_ERR_BACKEND, "the plan's backend is not running");
        return NULL;
    }
    for (int i = 0; p && i < p->nsteps; i++) {
        rt_step *s = &p->steps[i];
        if (s->kind == RT_STEP_MATMUL) {
            const char *gemm = x.be->gemm(x.state, (kiln_dtype)s->node->dtype);
            if (what & KILN_DUMP_KERNELS)
                kstr_printf(&b, "matmul %s @ %s -> %s[%lld%s%s] via %s%s%s\n", kiln_dtype_name((kiln_dtype)ir_arg(s->node, 0)->dtype),
                            kiln_dtype_name((kiln_dtype)ir_arg(s->node, 1)->dtype), kiln_dtype_name((kiln_dtype)s->node->dtype),
                            s->node->ndim ? (long long)s->node->shape[0] : 1LL, s->node->ndim > 1 ? "," : "",
                            s->node->ndim > 1 ? "..." : "", s->share_map >= 0 || s->in_share ? "one pass over the shared matrix"
                                                             : gemm ? gemm : "kiln's own loop",
                            s->epilogue >= 0 ? ", with the next kernel as its epilogue on each panel" : "",
                            s->share_map >= 0 ? " (the forward product, the middle kernel and the product back, panel by panel)" : "");
            continue;
        }
        static const char *const moves[] = {[RT_STEP_SCAN] = "scan", [RT_STEP_TAKE] = "take", [RT_STEP_VIEW] = "view",
                                            [RT_STEP_RESHAPE] = "reshape", [RT_STEP_SCATTER] = "scatter_add",
                                            [RT_STEP_CONCAT] = "concatenate", [RT_STEP_EMBED] = "embed",
                                            [RT_STEP_ROWS] = "softmax rows",
                                            [RT_STEP_LINALG] = "linalg"};
        int naux = s->aux ? s->naux : 0; /* (a reduction's, made on demand, has none) */
        if (s->kind != RT_STEP_MAP && s->kind != RT_STEP_REDUCE && (what & KILN_DUMP_KERNELS))
            kstr_printf(&b, "%s -> %s[%d dims]%s\n", moves[s->kind], kiln_dtype_name((kiln_dtype)s->node->dtype), s->node->ndim,
                        naux ? ", writing with:" : "");
        bool ok = true;
        if (s->kind == RT_STEP_MAP || s->kind == RT_STEP_REDUCE) ok = dump_kernel(ctx, &x, s, what, &b);
        for (int h = 0; h < naux && ok; h++) ok = dump_kernel(ctx, &x, &s->aux[h], what, &b);
        if (!ok) {
            kstr_free(&b);
            return NULL;
        }
    }
    if (b.oom || !b.s) {
        kstr_free(&b);
        if (!b.oom) return calloc(1, 1);
        kiln_fail(ctx, KILN_ERR_NOMEM, "out of memory");
        return NULL;
    }
    return b.s;
}
