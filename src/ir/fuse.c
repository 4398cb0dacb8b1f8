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
 * Non-element-wise ops (reductions, matrix products, transposed views) end regions: their
 * results become inputs of the kernels that consume them, as do nodes the planner marks as
 * materialized (computed into arrays of their own by earlier steps); a reduction of such a node
 * reads its array.
 */
#include "fuse.h"

#include <string.h>

typedef struct region {
    const kiln_expr *root;
    const uint8_t *mat; /* by node id: computed by an earlier step (NULL: none) */
} region;

/* Leaves of the region: arrays, and results of other steps (every non-element-wise node is
 * one).  Constants are instructions of their own. */
static bool is_input(const region *r, const kiln_expr *n) {
    if (ir_free_broadcast(n)) return false; /* read as its constant */
    return op_is_array_leaf(n->op) || !op_is_elementwise(n->op) || (n != r->root && r->mat && r->mat[n->id]);
}
static bool stop_at_input(void *ud, const kiln_expr *n) { return is_input(ud, n) || ir_free_broadcast(n); }

kiln_status ir_fused_alloc(kiln_ctx *ctx, fused_kernel *fk, uint32_t n_inst, uint32_t n_in, uint32_t n_const) {
    /* one block: the constants, the inputs, the instructions, the output, the layouts */
    size_t consts = (n_const + 1u) * sizeof *fk->consts, inputs = (n_in + 1u) * sizeof *fk->inputs;
    size_t inst = (n_inst + 1u) * sizeof *fk->kd.inst, out = 2 * sizeof *fk->kd.out_inst;
    char *b = kiln_calloc(ctx, consts + inputs + inst + out + n_in + 2u);
    if (!b) return KILN_ERR_NOMEM;
    fk->block = b;
    fk->consts = (kscalar *)b;
    fk->inputs = (kiln_expr **)(b + consts);
    fk->kd.inst = (kd_inst *)(b + consts + inputs);
    fk->kd.out_inst = (uint16_t *)(b + consts + inputs + inst);
    fk->kd.layout = (uint8_t *)(b + consts + inputs + inst + out);
    return KILN_OK;
}

kiln_status ir_fuse(ir_graph *g, kiln_expr *root, const uint8_t *mat, int reduce, fused_kernel *fk) {
    kiln_ctx *ctx = g->ctx;
    memset(fk, 0, sizeof *fk);
    kernel_desc *kd = &fk->kd;
    kd->reduce = (uint8_t)reduce;
    /* a reduction whose operand gets an array of its own (an earlier step computes it for
     * another reader) reads that array instead of computing its region again */
    region rg = {reduce && mat && mat[root->id] && op_is_elementwise(root->op) ? NULL : root, mat};
    kiln_expr *alone = root, **order = &alone; /* a region of one input (a copy) needs no walk */
    uint32_t count = 1, *map = NULL;
    if (!stop_at_input(&rg, root) && ir_walk(g, &root, 1, stop_at_input, &rg, &order, &count) != KILN_OK) goto fail;
    if (count > KD_MAX_INST) {
        kiln_fail(ctx, KILN_ERR_ARG, "expression has more than %d nodes", KD_MAX_INST);
        goto fail;
    }
    uint32_t nin = 0, ncon = 0;
    for (uint32_t k = 0; k < count; k++) {
        nin += is_input(&rg, order[k]);
        ncon += order[k]->op == KILN_OP_CONST || ir_free_broadcast(order[k]);
    }
    if (nin > KD_MAX_OPERANDS - 2) {
        kiln_fail(ctx, KILN_ERR_ARG, "expression reads more than %d arrays", KD_MAX_OPERANDS - 2);
        goto fail;
    }
    if (count > 1 && !(map = kiln_malloc(ctx, (size_t)ir_top(g) * sizeof *map))) goto fail; /* node id -> instruction */
    if (ir_fused_alloc(ctx, fk, count, nin, ncon) != KILN_OK) goto fail;
    for (uint32_t k = 0; k < count; k++) {
        kiln_expr *n = order[k];
        kd_inst *in = &kd->inst[k];
        bool leaf = is_input(&rg, n), bcast = ir_free_broadcast(n);
        in->op = leaf ? KILN_OP_VAR : bcast ? KILN_OP_CONST : n->op;
        in->dtype = n->dtype;
        for (int i = 0; i < 3 && !leaf && !bcast; i++) in->arg[i] = n->arg[i] == IR_NONE ? 0 : (uint16_t)map[n->arg[i]];
        if (bcast) {
            fk->consts[kd->n_const] = ir_arg(n, 0)->val;
            in->slot = kd->n_const++;
        } else if (leaf) {
            fk->inputs[kd->n_in] = n;
            in->slot = kd->n_in++;
        } else if (n->op == KILN_OP_CONST) {
            fk->consts[kd->n_const] = n->val;
            in->slot = kd->n_const++;
        }
        if (map) map[n->id] = k;
    }
    kd->n_inst = (uint16_t)count;
    kd->n_out = 1;
    kd->out_inst[0] = (uint16_t)(map ? map[root->id] : 0);
    fk->cost = kd_cost(kd);
    kiln_free(ctx, map);
    if (order != &alone) kiln_free(ctx, order);
    return KILN_OK;
fail:
    kiln_free(ctx, map);
    if (order != &alone) kiln_free(ctx, order);
    ir_fused_free(g, fk);
    return kiln_errcode(ctx) != KILN_OK ? kiln_errcode(ctx) : kiln_fail(ctx, KILN_ERR_NOMEM, "out of memory");
}

void ir_fused_free(ir_graph *g, fused_kernel *fk) {
    kiln_free(g->ctx, fk->block);
    memset(fk, 0, sizeof *fk);
}

/* ------------------------------------------------------------------ keys and printing */

uint32_t kd_cost(const kernel_desc *kd) {
    uint32_t c = kd->n_out;
    for (int i = 0; i < kd->n_inst; i++) {
        int op = kd->inst[i].op;
        if (op == KILN_OP_CONST) continue;
        int kind = kiln_op_kind[op];
        c += op == KILN_OP_SQRT || kind == KIND_FDIV || kind == KIND_IDIV ? 4 : kind == KIND_FMATH ? 24 : 1;
    }
    return c;
}

size_t kd_key_size(const kernel_desc *kd) {
    return 10 + (size_t)kd->n_inst * 10 + (size_t)(kd->n_in + kd->n_out) + (size_t)kd->n_out * 2;
}

size_t kd_key(const kernel_desc *kd, uint8_t *buf) {
    uint8_t *p = buf;
    uint16_t head[4] = {kd->n_inst, kd->n_in, kd->n_const, kd->n_out};
    memcpy(p, head, 8);
    p += 8;
    *p++ = (uint8_t)(kd->stream | kd->block << 1);
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
        kstr_printf(b, "kernel: %u inputs, %u constants, %u outputs, %u instructions%s%s\n", kd->n_in, kd->n_const,
                    kd->n_out, kd->n_inst, kd->stream ? ", streaming stores" : "", kd->block ? ", blocks of rows" : "");
    for (int i = 0; i < kd->n_inst; i++) {
        const kd_inst *in = &kd->inst[i];
        kstr_printf(b, "  %%%d = ", i);
        if (in->op == KILN_OP_VAR)
            kstr_printf(b, "load in%u (%s)", in->slot, layout_name(kd->layout[in->slot]));
        else if (in->op == KILN_OP_CONST)
            kstr_printf(b, "const c%u", in->slot);
        else {
            kstr_puts(b, kiln_op_name((kiln_op)in->op));
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
