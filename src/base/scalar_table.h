/*
 * scalar_table.h — which function of base/scalar.h computes each op for each operand dtype.
 *
 * One X-macro table, for the C side only (NVRTC never sees it): the reference evaluator's
 * dispatch and the interpreter's block loops are generated from it, so that a function added
 * to scalar.h and listed here reaches both at once.
 *
 *   KS_OP_TABLE(X):   X(OP, fn, arity, DT, S, T, R)   OP: the kiln_op suffix (ADD), fn: the
 *                     function's name part (add), DT: the operand kiln_dtype, S: the dtype's
 *                     suffix (also kscalar's member name), T: its C type, R: SAME or BOOL (the
 *                     result type: T, or bool for comparisons)
 *   KS_CAST_TABLE(X): X(DF, SF, TF, DT, ST, TT)   from DF (suffix SF, type TF) to DT (ST, TT)
 */
#ifndef KILN_SCALAR_TABLE_H
#define KILN_SCALAR_TABLE_H

#include "scalar.h"

#define KS_T_b ks_bool
#define KS_T_u8 uint8_t
#define KS_T_i8 int8_t
#define KS_T_i16 int16_t
#define KS_T_u16 uint16_t
#define KS_T_u32 uint32_t
#define KS_T_i32 int32_t
#define KS_T_i64 int64_t
#define KS_T_f32 float
#define KS_T_f64 double
#define KS_DT_b KILN_BOOL
#define KS_DT_u8 KILN_U8
#define KS_DT_i8 KILN_I8
#define KS_DT_i16 KILN_I16
#define KS_DT_u16 KILN_U16
#define KS_DT_u32 KILN_U32
#define KS_DT_i32 KILN_I32
#define KS_DT_i64 KILN_I64
#define KS_DT_f32 KILN_F32
#define KS_DT_f64 KILN_F64

/* Every dtype's suffix, in one list: X(S) */
#define KS_DTYPES(X) X(b) X(i8) X(u8) X(i16) X(u16) X(i32) X(u32) X(i64) X(f32) X(f64)
#define KS_NUMERIC(X) X(i8) X(u8) X(i16) X(u16) X(i32) X(u32) X(i64) X(f32) X(f64)

#define KS_ONE(X, OP, fn, ar, S, R) X(OP, fn, ar, KS_DT_##S, S, KS_T_##S, R)
#define KS_INTEGERS(X, OP, fn, ar, R)                                                                    \
    KS_ONE(X, OP, fn, ar, i8, R) KS_ONE(X, OP, fn, ar, u8, R) KS_ONE(X, OP, fn, ar, i16, R)                \
    KS_ONE(X, OP, fn, ar, u16, R) KS_ONE(X, OP, fn, ar, i32, R) KS_ONE(X, OP, fn, ar, u32, R)              \
    KS_ONE(X, OP, fn, ar, i64, R)
#define KS_ALL(X, OP, fn, ar, R) KS_ONE(X, OP, fn, ar, b, R) KS_INTEGERS(X, OP, fn, ar, R) KS_FLT(X, OP, fn, ar, R)
#define KS_NUM(X, OP, fn, ar, R) KS_INTEGERS(X, OP, fn, ar, R) KS_FLT(X, OP, fn, ar, R)
#define KS_INTS(X, OP, fn, ar, R) KS_INTEGERS(X, OP, fn, ar, R)
#define KS_BITS(X, OP, fn, ar, R) KS_ONE(X, OP, fn, ar, b, R) KS_INTEGERS(X, OP, fn, ar, R)
#define KS_FLT(X, OP, fn, ar, R) KS_ONE(X, OP, fn, ar, f32, R) KS_ONE(X, OP, fn, ar, f64, R)

#define KS_OP_TABLE(X)                                                                     \
    KS_ALL(X, ADD, add, 2, SAME) KS_NUM(X, SUB, sub, 2, SAME) KS_ALL(X, MUL, mul, 2, SAME)   \
    KS_FLT(X, DIV, div, 2, SAME) KS_NUM(X, FLOORDIV, floordiv, 2, SAME)                      \
    KS_NUM(X, MOD, mod, 2, SAME) KS_NUM(X, POW, pow, 2, SAME)                                \
    KS_ALL(X, MAXIMUM, maximum, 2, SAME) KS_ALL(X, MINIMUM, minimum, 2, SAME)                \
    KS_FLT(X, ARCTAN2, arctan2, 2, SAME) KS_NUM(X, FMOD, fmod, 2, SAME)                      \
    KS_FLT(X, HYPOT, hypot, 2, SAME) KS_FLT(X, COPYSIGN, copysign, 2, SAME)                 \
    KS_FLT(X, LDEXP, ldexp, 2, SAME) KS_FLT(X, NEXTAFTER, nextafter, 2, SAME)               \
    KS_ALL(X, EQ, eq, 2, BOOL) KS_ALL(X, NE, ne, 2, BOOL) KS_ALL(X, LT, lt, 2, BOOL)         \
    KS_ALL(X, LE, le, 2, BOOL) KS_ALL(X, GT, gt, 2, BOOL) KS_ALL(X, GE, ge, 2, BOOL)         \
    KS_BITS(X, AND, and, 2, SAME) KS_BITS(X, OR, or, 2, SAME) KS_BITS(X, XOR, xor, 2, SAME)  \
    KS_INTS(X, LSHIFT, left_shift, 2, SAME) KS_INTS(X, RSHIFT, right_shift, 2, SAME)         \
    KS_NUM(X, NEG, neg, 1, SAME) KS_BITS(X, INVERT, invert, 1, SAME)                         \
    KS_ALL(X, ABS, abs, 1, SAME) KS_NUM(X, SIGN, sign, 1, SAME)                              \
    KS_ALL(X, FLOOR, floor, 1, SAME) KS_ALL(X, CEIL, ceil, 1, SAME)                          \
    KS_FLT(X, SQRT, sqrt, 1, SAME) KS_FLT(X, EXP, exp, 1, SAME)                              \
    KS_FLT(X, EXPM1, expm1, 1, SAME) KS_FLT(X, EXP2, exp2, 1, SAME)                          \
    KS_FLT(X, LOG, log, 1, SAME)                                                            \
    KS_FLT(X, LOG1P, log1p, 1, SAME) KS_FLT(X, LOG2, log2, 1, SAME)                          \
    KS_FLT(X, LOG10, log10, 1, SAME) KS_FLT(X, SIN, sin, 1, SAME)                            \
    KS_FLT(X, COS, cos, 1, SAME) KS_FLT(X, TAN, tan, 1, SAME)                                \
    KS_FLT(X, ARCSIN, arcsin, 1, SAME) KS_FLT(X, ARCCOS, arccos, 1, SAME)                    \
    KS_FLT(X, ARCTAN, arctan, 1, SAME) KS_FLT(X, SINH, sinh, 1, SAME)                        \
    KS_FLT(X, COSH, cosh, 1, SAME) KS_FLT(X, TANH, tanh, 1, SAME)                            \
    KS_FLT(X, ARCSINH, arcsinh, 1, SAME) KS_FLT(X, ARCCOSH, arccosh, 1, SAME)                \
    KS_FLT(X, ARCTANH, arctanh, 1, SAME) KS_FLT(X, CBRT, cbrt, 1, SAME)                      \
    KS_FLT(X, FREXP, frexp_exponent, 1, SAME)                                               \
    KS_ALL(X, RINT, rint, 1, SAME)                                                          \
    KS_ALL(X, POSITIVE, positive, 1, SAME) KS_ALL(X, ISNAN, isnan, 1, BOOL)                  \
    KS_ALL(X, ISINF, isinf, 1, BOOL) KS_ALL(X, ISFINITE, isfinite, 1, BOOL)                  \
    KS_ALL(X, WHERE, where, 3, SAME)

#define KS_CAST_ONE(X, SF, ST) X(KS_DT_##SF, SF, KS_T_##SF, KS_DT_##ST, ST, KS_T_##ST)
#define KS_CAST_TO(X, SF)                                                                                  \
    KS_CAST_ONE(X, SF, b) KS_CAST_ONE(X, SF, i8) KS_CAST_ONE(X, SF, u8) KS_CAST_ONE(X, SF, i16)              \
    KS_CAST_ONE(X, SF, u16) KS_CAST_ONE(X, SF, i32) KS_CAST_ONE(X, SF, u32) KS_CAST_ONE(X, SF, i64)          \
    KS_CAST_ONE(X, SF, f32) KS_CAST_ONE(X, SF, f64)
#define KS_CAST_TABLE(X)                                                                                   \
    KS_CAST_TO(X, b) KS_CAST_TO(X, i8) KS_CAST_TO(X, u8) KS_CAST_TO(X, i16) KS_CAST_TO(X, u16)               \
    KS_CAST_TO(X, i32) KS_CAST_TO(X, u32) KS_CAST_TO(X, i64) KS_CAST_TO(X, f32) KS_CAST_TO(X, f64)

/* The C type of a table row's result. */
#define KS_RT_SAME(T) T
#define KS_RT_BOOL(T) ks_bool
/* The kscalar member that holds a row's result. */
#define KS_RM_SAME(S) S
#define KS_RM_BOOL(S) b

#endif
