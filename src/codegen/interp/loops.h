/*
 * loops.h — the interpreter's block loops: one per op and operand dtype, one per cast, one
 * lane fold per value reduction and dtype, all instantiated from base/scalar.h.
 *
 * loops.inc is compiled once per instruction set (loops_avx512.c, loops_avx2.c, loops_base.c,
 * each with its own -m flags and -ffp-contract=off, so nothing is contracted into an FMA);
 * the interpreter picks the table for the vector width this machine runs at.  The loops are
 * the same C on every ISA, so every table computes the same bits.
 */
#ifndef KILN_INTERP_LOOPS_H
#define KILN_INTERP_LOOPS_H

#include "../../base/base.h"

/* out[0..n) = op(a[i], b[i], c[i]) (as many operands as the op has). */
typedef void (*blk_fn)(int64_t n, void *out, const void *a, const void *b, const void *c);
/* Folds v[0..n) (n a multiple of L) into L lanes: lanes[l] = lanes[l] ⊕ v[i + l], i ascending. */
typedef void (*fold_fn)(int64_t n, int L, void *lanes, const void *v);

/* The same for argmax (0) and argmin (1): lane l holds a value and its index (-1 while empty);
 * element i is numbered base + i.  NaN beats every number; ties keep the first. */
typedef void (*argfold_fn)(int64_t n, int L, void *vals, int64_t *idx, const void *v, int64_t base);

typedef struct interp_loops {
    const char *isa;
    blk_fn op[KILN_OP_COUNT][KILN_DTYPE_COUNT];
    blk_fn cast[KILN_DTYPE_COUNT][KILN_DTYPE_COUNT];
    fold_fn fold[KILN_OP_COUNT][KILN_DTYPE_COUNT]; /* SUM PROD MAX MIN ANY ALL */
    argfold_fn argfold[2][KILN_DTYPE_COUNT];       /* ARGMAX, ARGMIN */
} interp_loops;

extern const interp_loops interp_loops_avx512, interp_loops_avx2, interp_loops_base;

#endif
