/*
 * kernel.h — the fused-kernel description: what the fusion pass produces and every backend
 * consumes.  Backend-neutral: the LLVM backend renders it as IR, a CUDA backend would render
 * the very same description as CUDA C.
 *
 * A kernel computes, for i in [0, n):   out_k[i] = f_k(in_0[i], ..., in_m[i], c_0, ..., c_j)
 * as a straight-line list of instructions in topological order.  Its operands are the inputs
 * (arrays), then the outputs; constants are read from a slot array so that `a*2` and `a*3`
 * share one compiled kernel.  Each operand's layout along the innermost (collapsed) dimension
 * is part of the description, and so of the cache key; sizes never are.
 *
 * Kernel ABI (what a compiled kernel is called with):
 *     void kernel(int64_t n, char *const *ptrs, const int64_t *strides, const kscalar *consts)
 * ptrs[i] is operand i's first element for this row, strides[i] its byte stride (read only
 * for KD_STRIDED operands).
 *
 * Block calls (kd->block, element-wise kernels only): a call with n < 0 computes
 * KILN_BLOCK_ROWS rows of -n elements each (-n a multiple of KILN_BLOCK_ROWS), row r's
 * operands at ptrs[i] + r * strides[nops + i] (nops: inputs and outputs).  The runtime asks
 * for them only where every KD_STRIDED operand is an input whose rows are one element apart
 * (strides[nops + i] its element size: x.T read into a C-ordered result), every output is
 * KD_CONTIG, nops is at most KILN_INLINE_OPERANDS and nothing streams (kd->stream is 0); a
 * backend may then read such an operand a register across rows at a time and transpose in
 * registers.  The values are those of the same rows' row calls, bit for bit (rows without
 * streaming stores: with them, a row's first elements up to the output's alignment are scalar).
 */
#ifndef KILN_IR_KERNEL_H
#define KILN_IR_KERNEL_H

#include "../base/base.h"

typedef enum kd_layout {
    KD_CONTIG,  /* unit stride: element i at ptr + i*size */
    KD_BCAST,   /* stride 0: one element for the whole row */
    KD_STRIDED, /* any other stride, in strides[] */
} kd_layout;

typedef struct kd_inst {
    uint8_t op;      /* kiln_op */
    uint8_t dtype;   /* result dtype; the operand dtype is that of arg[0] (WHERE: arg[1]) */
    uint16_t arg[3]; /* earlier instruction indices */
    uint16_t slot;   /* VAR: input operand index; CONST: constant slot */
} kd_inst;

#define KD_MAX_INST 60000
#define KD_MAX_OPERANDS 1024

typedef struct kernel_desc {
    uint16_t n_inst, n_in, n_const, n_out;
    uint8_t stream;       /* a hint: the output is large; write it around the caches */
    uint8_t block;        /* the kernel also takes block calls (see the ABI above) */
    uint8_t reduce;       /* 0, or a reduction op: the kernel folds out_inst[0]'s values into an
                             accumulator instead of storing them (see the reduction ABI) */
    kd_inst *inst;        /* n_inst, topological */
    uint16_t *out_inst;   /* n_out: which instruction each output stores */
    uint8_t *layout;      /* n_in + n_out: inputs then outputs */
} kernel_desc;

#define KILN_BLOCK_ROWS 16

typedef void (*kiln_kernel_fn)(int64_t n, char *const *ptrs, const int64_t *strides,
                               const kscalar *consts);

/* Reduction ABI (kd->reduce != 0): the same row of n elements, folded into acc:
 *     void kernel(int64_t n, char *const *ptrs, const int64_t *strides, const kscalar *consts,
 *                 kscalar *acc, int64_t base)
 * acc[0] holds the running value in the reduced dtype; argmax/argmin also keep acc[1].i64, the
 * index of the chosen element (-1 while none), elements being numbered base, base+1, ...  The
 * row is folded in a fixed order (vector lanes, then a fixed tree of lanes, then the tail), and
 * then combined after what acc already holds. */
typedef void (*kiln_reduce_fn)(int64_t n, char *const *ptrs, const int64_t *strides,
                               const kscalar *consts, kscalar *acc, int64_t base);

/* A float sum's kernel (kd_pairwise) folds as NumPy's pairwise summation does (NumPy 2's
 * pairwise_sum, loops_utils.h.src), so that sum(a) gives NumPy's bits:
 *   - a row of n elements is one of NumPy's leaves: elements i < n - n % 8 go to 8 lanes
 *     (lane i % 8), the lanes are added ((0+1)+(2+3))+((4+5)+(6+7)), then the rest one by
 *     one; the result is added after what acc holds;
 *   - with base == KILN_FOLD_SERIES, n items (n a multiple of KILN_FOLD_ROWS_N) of len
 *     elements each (len: acc[0].i64 on entry) are each summed as a row is, item l into acc[l]
 *     (its dtype's member): ptrs holds item 0's operand pointers, then item 1's, and item l's
 *     are item 0's plus l times the distance between those (the many leaves of a block, 128
 *     elements apart; or many short rows one after another), several items at a time;
 *   - with base == KILN_FOLD_IN_ORDER, the row's elements one at a time after what acc holds
 *     (NumPy's order when the reduced dim is not the innermost: it adds whole rows);
 *   - with base == KILN_FOLD_ROWS, KILN_FOLD_ROWS_N rows of n elements side by side, each a
 *     leaf as a row is: ptrs holds their operands' pointers, the first row's n_in, then the
 *     next row's...; row u's sum into acc[u] (its dtype's member), acc's old values not read
 *     (short rows, or the odd leaves of longer ones, several at a time).
 * The host (codegen/host.c) splits each block of NumPy's 8192 elements as NumPy does and adds
 * the blocks in order. */
#define KILN_FOLD_SERIES (-1)
#define KILN_FOLD_IN_ORDER (-2)
#define KILN_FOLD_ROWS (-3)
#define KILN_FOLD_ROWS_N 4
#define KILN_PAIRWISE_LEAF 128
static inline bool kd_pairwise(const kernel_desc *kd) {
    return kd->reduce == KILN_OP_SUM && dtype_is_float((kiln_dtype)kd->inst[kd->out_inst[0]].dtype);
}

static inline kiln_dtype kd_operand_dtype(const kernel_desc *kd, const kd_inst *in) {
    return (kiln_dtype)kd->inst[in->arg[in->op == KILN_OP_WHERE ? 1 : 0]].dtype;
}
static inline kiln_dtype kd_out_dtype(const kernel_desc *kd, int k) {
    return (kiln_dtype)kd->inst[kd->out_inst[k]].dtype;
}
/* Operand k's dtype: an input's (the first VAR reading it; float64 for one none reads), or from
 * n_in on an output's. */
static inline kiln_dtype kd_slot_dtype(const kernel_desc *kd, int k) {
    if (k >= kd->n_in) return kd_out_dtype(kd, k - kd->n_in);
    for (int i = 0; i < kd->n_inst; i++)
        if (kd->inst[i].op == KILN_OP_VAR && kd->inst[i].slot == k) return (kiln_dtype)kd->inst[i].dtype;
    return KILN_F64;
}

/* The cache key: a byte string that is equal exactly when two descriptions are.  Writes at
 * most kd_key_size(kd) bytes to buf and returns the length. */
size_t kd_key_size(const kernel_desc *kd);
/* The work of one element of kd in rough units of a vector add: loads, stores and cheap ops 1,
 * divisions and square roots 4, other math functions (exp, log, sin...) 24.  The runtime
 * weighs a launch's elements by it to decide how many threads can pay for themselves. */
uint32_t kd_cost(const kernel_desc *kd);
size_t kd_key(const kernel_desc *kd, uint8_t *buf);

/* A readable listing of the kernel (for KILN_DEBUG=fuse and kiln_dump). */
void kd_print(const kernel_desc *kd, kstr *b);

#endif
