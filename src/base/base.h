/*
 * base.h — kiln's ground floor: what every layer needs and what needs nothing of kiln's own.
 *
 *     errors       kiln_fail / kiln_fail_at: a status and a message for this thread
 *     allocation   kiln_malloc & co., through the context's allocator hook
 *     strings      kstr, a growable buffer for dumps and printing
 *     dtypes       sizes, names, kinds and the promotion table (NumPy 2)
 *     ops          the metadata generated from the op list in kiln.h
 *     clock        kiln_now_ns
 *     hashing      FNV-1a, and the 128-bit names of compiled kernels
 *
 * The IR, the backends, the runtime, the frontend and the REPL all stand on this file and on
 * base/scalar.h (NumPy's scalar semantics); it includes nothing above it.
 *
 * A context is the runtime's (runtime/ctx.h), but allocation needs its allocator: every
 * struct kiln_ctx begins with a kiln_base, so the floors below the runtime hold a kiln_ctx *
 * without knowing the rest of it (the runtime checks the layout with a static assertion).
 */
#ifndef KILN_BASE_H
#define KILN_BASE_H

#define KILN_BUILDING 1
#include "kiln.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bugs are not errors: a broken invariant aborts with its place. */
#define KILN_ASSERT(c)                                                                       \
    do {                                                                                     \
        if (!(c)) {                                                                          \
            fprintf(stderr, "kiln: assertion failed: %s (%s:%d)\n", #c, __FILE__, __LINE__); \
            abort();                                                                         \
        }                                                                                    \
    } while (0)

#define KILN_UNUSED(x) ((void)(x))

/* One element of any dtype, as a constant or a reference-evaluator value. */
typedef union kscalar {
    bool b;
    uint8_t u8;
    int8_t i8;
    int16_t i16;
    uint16_t u16;
    uint32_t u32;
    int32_t i32;
    int64_t i64;
    float f32;
    double f64;
    uint64_t bits; /* all 8 bytes, for hashing and comparison (zero the union first) */
} kscalar;

/* ---------------------------------------------------------------- the context's head */

/* The part of every context the ground floor uses.  Never copied; lives at offset 0. */
typedef struct kiln_base {
    kiln_alloc_fn alloc; /* allocator hook, never NULL */
    void *alloc_ud;
    atomic_int interrupt; /* kiln_interrupt: set, evaluations stop at the next boundary */
    /* The disk cache, for bytes a backend makes besides its kernels (the CUDA backend's fixed
     * routines: scans, gathers), set by the runtime: blob_load gives the bytes stored under key
     * (malloc'd: the caller frees them) or false, and in *replace whether blob_store may put
     * others there (not over an entry someone else owns); blob_store keeps bytes under key;
     * blob_compiled counts a run of the backend's compiler that made such bytes (ns long) in the
     * context's stats, as a kernel's compile is counted. */
    bool (*blob_load)(kiln_ctx *ctx, const void *key, size_t klen, void **bytes, size_t *len, bool *replace);
    void (*blob_store)(kiln_ctx *ctx, const void *key, size_t klen, const void *bytes, size_t len);
    void (*blob_compiled)(kiln_ctx *ctx, uint64_t ns);
} kiln_base;

static inline kiln_base *kiln_base_of(const kiln_ctx *ctx) { return (kiln_base *)(void *)ctx; }
/* Whether kiln_interrupt asked ctx's evaluations to stop (launches look between blocks). */
static inline bool kiln_interrupted(const kiln_ctx *ctx) {
    return atomic_load_explicit(&kiln_base_of(ctx)->interrupt, memory_order_relaxed) != 0;
}
/* The C library's realloc/free as a kiln_alloc_fn (the default hook). */
void *kiln_default_alloc(void *ud, void *ptr, size_t size);

/* ---------------------------------------------------------------- errors */

/* Records an error for this thread on ctx; returns st so callers can `return kiln_fail(...)`.
 * ctx is only an identity here: errors are per thread, tagged with their context. */
kiln_status kiln_fail(const kiln_ctx *ctx, kiln_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
kiln_status kiln_fail_at(const kiln_ctx *ctx, kiln_status st, int64_t offset, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Forgets this thread's error if it belongs to ctx (a context being freed). */
void kiln_forget_errors(const kiln_ctx *ctx);
/* This thread's error, kept around work whose failures are nobody's business (a plan's kernels
 * compiled ahead of its run, which the run makes again if that failed): kiln_error_keep before,
 * kiln_error_restore after puts back what the thread had, whatever failed between. */
typedef struct kiln_error_kept {
    const kiln_ctx *ctx;
    kiln_status st;
    int64_t offset;
    char msg[512];
} kiln_error_kept;
void kiln_error_keep(kiln_error_kept *k);
void kiln_error_restore(const kiln_error_kept *k);

/* ---------------------------------------------------------------- allocation */

/* The context's allocator.  Each records KILN_ERR_NOMEM on failure and returns NULL. */
void *kiln_malloc(kiln_ctx *ctx, size_t n);
void *kiln_calloc(kiln_ctx *ctx, size_t n);
void *kiln_realloc(kiln_ctx *ctx, void *p, size_t n);
void kiln_free(kiln_ctx *ctx, void *p);
char *kiln_strdup(kiln_ctx *ctx, const char *s);
/* Grows *p (elements of elem bytes, capacity *cap) to hold need; false on failure (*p kept). */
bool kiln_grow(kiln_ctx *ctx, void **p, uint32_t *cap, uint32_t need, size_t elem);

/* ---------------------------------------------------------------- strings */

/* A growable string (for dumps and for the printer).  It uses the C library directly: dumps
 * are handed to callers who free them with kiln_string_free, which needs no context. */
typedef struct kstr {
    char *s;
    size_t len, cap;
    bool oom; /* an append failed; s holds what came before */
} kstr;
void kstr_printf(kstr *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void kstr_puts(kstr *b, const char *s); /* (appends s as it is: no format, no vsnprintf) */
void kstr_putn(kstr *b, const char *s, size_t n);
void kstr_free(kstr *b);

/* ---------------------------------------------------------------- dtypes */

/* Hot host loops compiled once per instruction set (AVX-512, AVX2, baseline x86-64) and picked
 * when the library loads (GCC's target_clones); the files that use it are built with
 * -ffp-contract=off, so every clone computes the same bits.  Clang and sanitizer builds take
 * the baseline. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
#define KILN_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define KILN_CLONES
#endif

/* stmt run in an OpenMP parallel region (directive: a string) only when nt > 1, and as plain
 * code otherwise: libgomp builds a team even for a region whose if clause is false (an
 * allocation and a futex wake, a third of a microsecond: more than a small problem's work).
 * Directives inside stmt are written _Pragma("omp ..."); outside a region they bind to one
 * thread. */
#define KILN_OMP_IF(nt, directive, ...) \
    do {                                \
        if ((nt) > 1) {                 \
            _Pragma(directive) __VA_ARGS__ \
        } else {                        \
            __VA_ARGS__                 \
        }                               \
    } while (0)

/* This thread's index and its team's size inside a KILN_OMP_IF body: 0 and 1 when the body ran
 * as plain code (nt <= 1), whatever OpenMP region the caller itself is in (a launch on one thread
 * inside kiln's one pass over a shared matrix, or inside a program's own parallel region, would
 * otherwise take the outer team's numbers).  Where they are used, omp.h is included. */
#define KILN_OMP_TID(nt) ((nt) > 1 ? omp_get_thread_num() : 0)
#define KILN_OMP_NTH(nt) ((nt) > 1 ? omp_get_num_threads() : 1)

static inline bool dtype_is_float(kiln_dtype dt) { return dt == KILN_F32 || dt == KILN_F64; }
static inline bool dtype_is_int(kiln_dtype dt) {
    return dt == KILN_I32 || dt == KILN_I64 || dt == KILN_U8 || dt == KILN_I8 || dt == KILN_I16 || dt == KILN_U16 || dt == KILN_U32;
}
static inline bool dtype_is_unsigned(kiln_dtype dt) { return dt == KILN_U8 || dt == KILN_U16 || dt == KILN_U32; }
/* An integer dtype narrower than int64 (its values fit int64 and its arithmetic wraps in fewer bits). */
static inline bool dtype_is_narrow_int(kiln_dtype dt) { return dtype_is_int(dt) && dt != KILN_I64; }
/* The float dtype NumPy's float functions (sqrt, /, mean) give for dt: dt itself when a float;
 * float32 for bool and integers of 1 or 2 bytes (NumPy: float16 for bool, int8 and uint8, which
 * kiln does not have); float64 for wider integers. */
static inline kiln_dtype dtype_float_of(kiln_dtype dt) {
    if (dt == KILN_F32 || dt == KILN_F64) return dt;
    return dt == KILN_BOOL || dt == KILN_U8 || dt == KILN_I8 || dt == KILN_I16 || dt == KILN_U16 ? KILN_F32 : KILN_F64;
}
/* NumPy's kinds in same_kind casting's order: bool, unsigned, signed, float ('b' 'u' 'i' 'f'). */
static inline int dtype_kind_order(kiln_dtype dt) { return dt == KILN_BOOL ? 0 : dtype_is_unsigned(dt) ? 1 : dtype_is_int(dt) ? 2 : 3; }
static inline bool dtype_valid(int dt) { return dt >= 0 && dt < KILN_DTYPE_COUNT; }
/* kiln_dtype_size, inline (the reference's element loads, ir/graph.h) */
static inline size_t dtype_bytes(kiln_dtype dt) {
    static const unsigned char s[KILN_DTYPE_COUNT] = {1, 4, 8, 4, 8, 1, 1, 2, 2, 4};
    return dtype_valid(dt) ? s[dt] : 0;
}
/* The values integer dtype dt holds, [*lo, *hi] (int64: all of them). */
static inline void dtype_int_bounds(kiln_dtype dt, int64_t *lo, int64_t *hi) {
    *lo = dt == KILN_I8 ? INT8_MIN : dt == KILN_I16 ? INT16_MIN : dt == KILN_I32 ? INT32_MIN : dtype_is_unsigned(dt) ? 0 : INT64_MIN;
    *hi = dt == KILN_I8    ? INT8_MAX
          : dt == KILN_U8  ? UINT8_MAX
          : dt == KILN_I16 ? INT16_MAX
          : dt == KILN_U16 ? UINT16_MAX
          : dt == KILN_I32 ? INT32_MAX
          : dt == KILN_U32 ? (int64_t)UINT32_MAX
                           : INT64_MAX;
}

/* An integer or bool scalar's value. */
static inline int64_t kscalar_int(kiln_dtype dt, kscalar v) {
    return dt == KILN_BOOL ? v.b
           : dt == KILN_I8 ? v.i8
           : dt == KILN_U8 ? v.u8
           : dt == KILN_I16 ? v.i16
           : dt == KILN_U16 ? v.u16
           : dt == KILN_I32 ? v.i32
           : dt == KILN_U32 ? (int64_t)v.u32
                            : v.i64;
}
/* v with only dtype dt's bytes kept (the rest zero), so that equal values hash equal. */
static inline kscalar kscalar_canon(kiln_dtype dt, kscalar v) {
    kscalar r = {.bits = 0};
    if (dt == KILN_BOOL) r.b = v.b;
    else memcpy(&r, &v, kiln_dtype_size(dt));
    return r;
}

/* The byte offset of the i-th element, in C order, of an array of shape (nd, shape) and byte
 * strides st. */
static inline int64_t kiln_elem_offset(int64_t i, int nd, const int64_t *shape, const int64_t *st) {
    int64_t o = 0;
    for (int d = nd - 1; d >= 0; d--) {
        o += i % shape[d] * st[d];
        i /= shape[d];
    }
    return o;
}
/* NumPy's promotion of two array dtypes (no weak scalars: the IR adds NEP 50 on top). */
kiln_dtype dtype_promote(kiln_dtype a, kiln_dtype b);

/* ---------------------------------------------------------------- ops */

/* Kinds of op, from the kind column of KILN_OPS: they decide the type rules. */
typedef enum op_kind {
    KIND_LEAF, /* VAR, CONST */
    KIND_CAST,
    KIND_ARITH,  /* + - * maximum minimum: promoted type; bool allowed except for - */
    KIND_FDIV,   /* /: promoted type, integers and bools give float64 */
    KIND_IDIV,   /* // % **: promoted type, no bool */
    KIND_FMATH,  /* sin, sqrt, arctan2...: floats; integers their float (dtype_float_of; of two arrays the wider) */
    KIND_CMP,    /* comparisons: promoted type in, bool out */
    KIND_BIT,    /* & | ^ ~: bool and integers only */
    KIND_NUM,    /* negative, sign: no bool */
    KIND_ANY,    /* absolute, floor, ceil, rint, positive: any dtype, kept */
    KIND_PRED,   /* isnan, isinf, isfinite: any dtype in, bool out */
    KIND_WHERE,
    KIND_REDUCE, /* sum, max, argmax, any...: over axes or all */
    KIND_SCAN,   /* cumsum, cumprod: along an axis */
    KIND_MATMUL,
    KIND_VIEW,   /* view, reshape: an operand's values read through other strides or shape */
    KIND_CONCAT, /* concatenate: two operands one after the other along an axis */
    KIND_GATHER, /* take: an operand's elements picked by an index array */
    KIND_EMBED,  /* a view's adjoint: the operand's values at the view's places in zeros */
    KIND_SCATTER, /* a take's adjoint: the operand's values added at the indices into zeros */
    KIND_ROWS,   /* softmax, log_softmax, logsumexp along the last axis: a pass per row */
    KIND_LINALG, /* np.linalg's functions over the last two dims (kiln_linalg_fn in keepdims) */
} op_kind;

static inline bool op_is_elementwise(int op) { return op < KILN_OP_SUM; }
static inline bool op_is_arg_reduce(int op) { return op == KILN_OP_ARGMAX || op == KILN_OP_ARGMIN; }
static inline bool op_is_leaf(int op) { return op == KILN_OP_VAR || op == KILN_OP_CONST || op == KILN_OP_PARAM; }
/* A leaf that reads an array: VAR (its memory is known) or PARAM (bound later). */
static inline bool op_is_array_leaf(int op) { return op == KILN_OP_VAR || op == KILN_OP_PARAM; }

extern const op_kind kiln_op_kind[KILN_OP_COUNT];
/* NumPy's name of np.linalg's function fn (kiln_linalg_fn: "solve", "slogdet", "svd"...), for
 * messages; "linalg" for no function. */
const char *linalg_fn_name(int fn);
extern const char *const kiln_op_cfunc[KILN_OP_COUNT]; /* C math name ("sin") or "" */
/* For a value reduction, the element-wise op that combines two partial results (sum: add, max:
 * maximum, any: or...); 0 for the others. */
extern const kiln_op reduce_combine_op[KILN_OP_COUNT];

/* ---------------------------------------------------------------- clock and hashing */

uint64_t kiln_now_ns(void); /* monotonic */

/* ---------------------------------------------------------------- address space */

/* The address space this process has left under its limit (RLIMIT_AS, ulimit -v), in MB; a
 * huge number without a limit.  What does not handle failing to map memory (LLVM's allocations,
 * which abort the process; libgomp's thread stacks, which exit it; OpenBLAS's buffers, which it
 * retries forever) is asked for only where this leaves room. */
double kiln_room_mb(void);

/* ---------------------------------------------------------------- files */

/* Opens path for reading only if it is a regular file, without ever blocking on a FIFO or a
 * device (O_NONBLOCK while it looks; blocking again after).  Returns the descriptor, or -1 with
 * errno set (EINVAL for "not a regular file", which *why then names).  extra: more open()
 * flags (O_NOFOLLOW). */
int kiln_open_regular(const char *path, int extra, const char **why);

/* The bytes [*lo, *hi), relative to the first element, that ndim dims of shape walked with byte
 * strides str touch, for elements of es bytes (empty, lo == hi, when a dim is 0). */
static inline void kiln_extent(int ndim, const int64_t *shape, const int64_t *str, int64_t es, int64_t *lo, int64_t *hi) {
    *lo = 0;
    *hi = es;
    for (int d = 0; d < ndim; d++) {
        if (shape[d] == 0) {
            *hi = *lo = 0;
            return;
        }
        int64_t span = (shape[d] - 1) * str[d];
        if (span < 0) *lo += span;
        else *hi += span;
    }
}

/* FNV-1a over bytes, continued from h. */
static inline uint64_t kiln_hash_bytes(uint64_t h, const void *p, size_t n) {
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++) h = (h ^ c[i]) * 0x100000001b3ull;
    return h;
}
/* A hash for in-memory tables only (never stored: names and files keep FNV-1a's): eight bytes a
 * step, a multiply and a shift each, continued from h.  A kernel's key is hashed at every launch
 * of a statement rebuilt in a loop; byte by byte that was most of such a loop's time. */
static inline uint64_t kiln_hash_mem(uint64_t h, const void *p, size_t n) {
    const unsigned char *c = p;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, c + i, 8);
        h = (h ^ w) * 0x9e3779b97f4a7c15ull;
        h ^= h >> 32;
    }
    uint64_t w = (uint64_t)n << 56;
    if (i < n) {
        uint64_t t = 0;
        memcpy(&t, c + i, n - i);
        w ^= t;
    }
    h = (h ^ w) * 0x9e3779b97f4a7c15ull;
    return h ^ (h >> 29);
}
#define KILN_HASH_SEED 0xcbf29ce484222325ull
#define KILN_HASH_SEED2 0x84222325cbf29ce4ull
/* "<prefix><32 hex digits>": a 128-bit name for key (kernel symbols, disk-cache files).
 * buf holds at least strlen(prefix) + 33 bytes. */
void kiln_hash_name(char *buf, size_t cap, const char *prefix, const void *key, size_t len);

#endif
