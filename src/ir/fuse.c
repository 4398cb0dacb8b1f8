/*
 * fuse.c — partitioning a graph into fused kernels.
 *
 * Pipeline position: after the graph is built (CSE, folding and simplification happen there),
 * before code generation.  Every element-wise op fuses with its operands, so a maximal
 * element-wise region becomes one kernel; leaves (arrays, constants) become the kernel's inputs
 * and constant slots.  A node used by several consumers inside the region is one instruction,
 * computed once per element.
 *
 *        a   b   c                    kernel k0(in0=a, in1=b, in2=c):
 *         \ /    |                      %0 = load in0     %3 = mul %0, %1
 *          *     |          ──▶         %1 = load in1     %4 = add %3, %2
 *           \   /                       %2 = load in2     store out0 <- %4
 *             +
 *
 * Non-element-wise ops (reductions, matrix products) will end regions: their results become
 * inputs of the kernels that consume them.
 */
#include "fuse.h"

#include <string.h>

#include "../runtime/ctx.h"

typedef struct fuser {
    kiln_ctx *ctx;
    fused_kernel *fk;
    kiln_expr *root;
    const uint8_t *mat; /* by node id: computed by an earlier step (NULL: none) */
    uint32_t *map; /* node id -> instruction index, IR_NONE if not yet emitted */
    uint32_t cap_inst, cap_in, cap_const;
} fuser;

static bool grow(kiln_ctx *ctx, void **p, uint32_t *cap, uint32_t need, size_t elem) {
    if (need <= *cap) return true;
    uint32_t nc = *cap ? *cap * 2 : 16;
    while (nc < need) nc *= 2;
    void *q = kiln_realloc(ctx, *p, nc * elem);
    if (!q) return false;
    *p = q;
    *cap = nc;
    return true;
}

/* A post-order walk frame: the node and the next operand to visit. */
typedef struct frame {
    kiln_expr *n;
    int next;
} frame;

/* Adds root and its element-wise operands (post-order, iteratively); returns its
 * instruction index, or -1 with an error set. */
static int add_node(fuser *f, kiln_expr *root) {
    fused_kernel *fk = f->fk;
    kernel_desc *kd = &fk->kd;
    uint32_t cap = 0, sp = 0;
    frame *stk = NULL;
    int result = -1;
    if (!grow(f->ctx, (void **)&stk, &cap, 1, sizeof *stk)) return -1;
    stk[sp++] = (frame){root, 0};
    while (sp) {
        frame *fr = &stk[sp - 1];
        kiln_expr *n = fr->n;
        if (f->map[n->id] != IR_NONE) { sp--; continue; } /* already emitted */
        /* leaves: arrays, and results of other steps (every non-element-wise node is one) */
        bool leaf = n->op == KILN_OP_VAR || !op_is_elementwise(n->op) || (n != f->root && f->mat && f->mat[n->id]);
        if (!leaf && fr->next < 3 && n->arg[fr->next] != IR_NONE) {
            kiln_expr *c = ir_arg(n, fr->next++);
            if (!grow(f->ctx, (void **)&stk, &cap, sp + 1, sizeof *stk)) goto out;
            stk[sp++] = (frame){c, 0};
            continue;
        }
        sp--;
        if (kd->n_inst >= KD_MAX_INST) {
            kiln_fail(f->ctx, KILN_ERR_ARG, "expression has more than %d nodes", KD_MAX_INST);
            goto out;
        }
        if (!grow(f->ctx, (void **)&kd->inst, &f->cap_inst, kd->n_inst + 1u, sizeof *kd->inst))
            goto out;
        kd_inst *in = &kd->inst[kd->n_inst];
        memset(in, 0, sizeof *in);
        in->op = leaf ? KILN_OP_VAR : n->op;
        in->dtype = n->dtype;
        for (int i = 0; i < 3 && !leaf; i++)
            in->arg[i] = n->arg[i] == IR_NONE ? 0 : (uint16_t)f->map[n->arg[i]];
        if (leaf) {
            if (kd->n_in >= KD_MAX_OPERANDS - 1) {
                kiln_fail(f->ctx, KILN_ERR_ARG, "expression reads more than %d arrays",
                          KD_MAX_OPERANDS - 2);
                goto out;
            }
            if (!grow(f->ctx, (void **)&fk->inputs, &f->cap_in, kd->n_in + 1u, sizeof *fk->inputs))
                goto out;
            fk->inputs[kd->n_in] = n;
            in->slot = kd->n_in++;
        } else if (n->op == KILN_OP_CONST) {
            if (!grow(f->ctx, (void **)&fk->consts, &f->cap_const, kd->n_const + 1u,
                      sizeof *fk->consts))
                goto out;
            fk->consts[kd->n_const] = n->val;
            in->slot = kd->n_const++;
        }
        f->map[n->id] = kd->n_inst++;
    }
    result = (int)f->map[root->id];
out:
    kiln_free(f->ctx, stk);
    return result;
}

kiln_status ir_fuse(kiln_ctx *ctx, kiln_expr *root, const uint8_t *mat, int reduce, fused_kernel *fk) {
    memset(fk, 0, sizeof *fk);
    fuser f = {.ctx = ctx, .fk = fk, .root = root, .mat = mat};
    fk->kd.reduce = (uint8_t)reduce;
    pthread_mutex_lock(&ctx->graph.lock);
    uint32_t top = ctx->graph.top; /* every node under root has a smaller id */
    pthread_mutex_unlock(&ctx->graph.lock);
    f.map = kiln_malloc(ctx, top * sizeof *f.map);
    if (!f.map) return KILN_ERR_NOMEM;
    memset(f.map, 0xff, top * sizeof *f.map);
    int r = add_node(&f, root);
    kiln_free(ctx, f.map);
    if (r < 0) goto fail;
    fk->kd.n_out = 1;
    fk->kd.out_inst = kiln_malloc(ctx, sizeof *fk->kd.out_inst);
    fk->kd.layout = kiln_calloc(ctx, fk->kd.n_in + 1u);
    if (!fk->kd.out_inst || !fk->kd.layout) goto fail;
    fk->kd.out_inst[0] = (uint16_t)r;
    return KILN_OK;
fail:
    ir_fused_free(ctx, fk);
    return kiln_errcode(ctx);
}

void ir_fused_free(kiln_ctx *ctx, fused_kernel *fk) {
    kiln_free(ctx, fk->kd.inst);
    kiln_free(ctx, fk->kd.out_inst);
    kiln_free(ctx, fk->kd.layout);
    kiln_free(ctx, fk->inputs);
    kiln_free(ctx, fk->consts);
    memset(fk, 0, sizeof *fk);
}

/* ------------------------------------------------------------------ keys and printing */

size_t kd_key_size(const kernel_desc *kd) {
    return 10 + (size_t)kd->n_inst * 10 + (size_t)(kd->n_in + kd->n_out) + (size_t)kd->n_out * 2;
}

size_t kd_key(const kernel_desc *kd, uint8_t *buf) {
    uint8_t *p = buf;
    uint16_t head[4] = {kd->n_inst, kd->n_in, kd->n_const, kd->n_out};
    memcpy(p, head, 8);
    p += 8;
    *p++ = kd->stream;
    *p++ = kd->reduce;
    for (int i = 0; i < kd->n_inst; i++) {
        const kd_inst *in = &kd->inst[i];
        *p++ = in->op;
        *p++ = in->dtype;
        memcpy(p, in->arg, 6);
        p += 6;
        uint16_t slot = in->op == KILN_OP_VAR || in->op == KILN_OP_CONST ? in->slot : 0;
        memcpy(p, &slot, 2);
        p += 2;
    }
    memcpy(p, kd->layout, kd->n_in + kd->n_out);
    p += kd->n_in + kd->n_out;
    memcpy(p, kd->out_inst, kd->n_out * 2u);
    p += kd->n_out * 2u;
    return (size_t)(p - buf);
}

static const char *layout_name(int l) {
    return l == KD_CONTIG ? "contig" : l == KD_BCAST ? "bcast" : "strided";
}

void kd_print(const kernel_desc *kd, kstr *b) {
    if (kd->reduce)
        kstr_printf(b, "kernel: %s-reduction of %u inputs, %u constants, %u instructions\n",
                    kiln_op_name((kiln_op)kd->reduce), kd->n_in, kd->n_const, kd->n_inst);
    else
        kstr_printf(b, "kernel: %u inputs, %u constants, %u outputs, %u instructions%s\n", kd->n_in,
                    kd->n_const, kd->n_out, kd->n_inst, kd->stream ? ", streaming stores" : "");
    for (int i = 0; i < kd->n_inst; i++) {
        const kd_inst *in = &kd->inst[i];
        kstr_printf(b, "  %%%d = ", i);
        if (in->op == KILN_OP_VAR)
            kstr_printf(b, "load in%u (%s)", in->slot, layout_name(kd->layout[in->slot]));
        else if (in->op == KILN_OP_CONST)
            kstr_printf(b, "const c%u", in->slot);
        else {
            kstr_printf(b, "%s", kiln_op_name((kiln_op)in->op));
            for (int a = 0; a < kiln_op_arity((kiln_op)in->op); a++)
                kstr_printf(b, "%s%%%u", a ? ", " : " ", in->arg[a]);
        }
        kstr_printf(b, " : %s\n", kiln_dtype_name((kiln_dtype)in->dtype));
    }
    for (int k = 0; k < kd->n_out; k++) {
        if (kd->reduce) kstr_printf(b, "  %s-reduce <- %%%u\n", kiln_op_name((kiln_op)kd->reduce), kd->out_inst[k]);
        else kstr_printf(b, "  store out%d (%s) <- %%%u\n", k, layout_name(kd->layout[kd->n_in + k]), kd->out_inst[k]);
    }
}
