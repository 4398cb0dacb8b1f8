/*
 * common.h — what every module of kiln shares: the scalar type, dtype helpers, the context's
 * error and allocation entry points, assertions and a clock.  Included by all .c files.
 */
#ifndef KILN_COMMON_H
#define KILN_COMMON_H

#define KILN_BUILDING 1
#include "kiln.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Bugs are not errors: a broken invariant aborts with its place. */
#define KILN_ASSERT(c)                                                                  \
    do {                                                                                \
        if (!(c)) {                                                                     \
            fprintf(stderr, "kiln: assertion failed: %s (%s:%d)\n", #c, __FILE__, __LINE__); \
            abort();                                                                    \
        }                                                                               \
    } while (0)

#define KILN_UNUSED(x) ((void)(x))
#define KILN_INTERNAL __attribute__((visibility("hidden")))

/* One element of any dtype, as a constant or a reference-evaluator value. */
typedef union kscalar {
    bool b;
    int32_t i32;
    int64_t i64;
    float f32;
    double f64;
    uint64_t bits; /* all 8 bytes, for hashing and comparison (zero the union first) */
} kscalar;

static inline bool dtype_is_float(kiln_dtype dt) { return dt == KILN_F32 || dt == KILN_F64; }
static inline bool dtype_is_int(kiln_dtype dt) { return dt == KILN_I32 || dt == KILN_I64; }
static inline bool dtype_valid(int dt) { return dt >= 0 && dt < KILN_DTYPE_COUNT; }

/* Kinds of op, from the kind column of KILN_OPS: they decide the type rules. */
typedef enum op_kind {
    KIND_LEAF,  /* VAR, CONST */
    KIND_CAST,
    KIND_ARITH, /* + - * maximum minimum: promoted type; bool allowed except for - */
    KIND_FDIV,  /* /: promoted type, integers and bools give float64 */
    KIND_IDIV,  /* // % **: promoted type, no bool */
    KIND_FMATH, /* sin, sqrt, arctan2...: floats; integers give float64, bool float32 */
    KIND_CMP,   /* comparisons: promoted type in, bool out */
    KIND_BIT,   /* & | ^ ~: bool and integers only */
    KIND_NUM,   /* negative, sign: no bool */
    KIND_ANY,   /* absolute, floor, ceil: any dtype, kept */
    KIND_WHERE,
    KIND_REDUCE, /* sum, max, argmax, any...: over an axis or all */
    KIND_MATMUL,
    KIND_VIEW,   /* transpose: another array's memory read through other strides */
} op_kind;

static inline bool op_is_elementwise(int op) { return op < KILN_OP_SUM; }

extern const op_kind kiln_op_kind[KILN_OP_COUNT];
extern const char *const kiln_op_cfunc[KILN_OP_COUNT]; /* C math name ("sin") or "" */
/* For a value reduction, the element-wise op that combines two partial results (sum: add, max:
 * maximum, any: or...); 0 for the others. */
extern const kiln_op reduce_combine_op[KILN_OP_COUNT];

/* ---- context services (runtime/ctx.c) ---- */

/* Records an error for this thread on ctx; returns st so callers can `return kiln_fail(...)`. */
kiln_status kiln_fail(const kiln_ctx *ctx, kiln_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
kiln_status kiln_fail_at(const kiln_ctx *ctx, kiln_status st, int64_t offset, const char *fmt,
                         ...) __attribute__((format(printf, 4, 5)));

/* The context's allocator.  kiln_malloc records KILN_ERR_NOMEM on failure. */
void *kiln_malloc(kiln_ctx *ctx, size_t n);
void *kiln_calloc(kiln_ctx *ctx, size_t n);
void *kiln_realloc(kiln_ctx *ctx, void *p, size_t n);
void kiln_free(kiln_ctx *ctx, void *p);
char *kiln_strdup(kiln_ctx *ctx, const char *s);

uint64_t kiln_now_ns(void);
void kiln_note_parse(kiln_ctx *ctx, uint64_t ns); /* the frontend's time, for kiln_stats */

/* A growable string (for dumps and for the printer). */
typedef struct kstr {
    char *s;
    size_t len, cap;
    bool oom;
} kstr;
void kstr_printf(kstr *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void kstr_free(kstr *b);

/* FNV-1a over bytes, continued from h. */
static inline uint64_t kiln_hash_bytes(uint64_t h, const void *p, size_t n) {
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++) h = (h ^ c[i]) * 0x100000001b3ull;
    return h;
}
#define KILN_HASH_SEED 0xcbf29ce484222325ull

#endif
