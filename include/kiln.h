/*
 * kiln.h — the whole public surface of libkiln, a JIT-compiling array expression engine.
 *
 * A caller wraps its buffers as arrays (no copy), builds a lazy expression graph from them,
 * and evaluates it.  kiln removes common subexpressions while the graph is built, fuses every
 * element-wise region into one kernel, compiles that kernel once with LLVM (vectorized to the
 * machine's full width, run over all cores with OpenMP) and caches it by its structure.
 *
 *     kiln_ctx   *ctx = kiln_ctx_new(NULL);
 *     kiln_array *a   = kiln_wrap(ctx, KILN_F64, 1, (int64_t[]){n}, NULL, data_a);
 *     kiln_expr  *x   = kiln_var(ctx, a);
 *     kiln_expr  *y   = kiln_mul(ctx, kiln_sin(ctx, x), kiln_sin(ctx, x));  // one SIN node
 *     kiln_status st  = kiln_eval_into(ctx, y, out);
 *
 * Conventions
 * - Every function that can fail returns a kiln_status or NULL and leaves a message on the
 *   context (kiln_errmsg).  Errors are kept per thread, so two threads sharing a context see
 *   their own.  The library never prints, exits or aborts on bad input.
 * - Builders accept NULL arguments and then return NULL without replacing the error that
 *   produced the NULL, so nested calls report the first failure.
 * - Ownership: every returned handle is a new reference owned by the caller, who releases it
 *   with the matching *_free call.  Arguments are borrowed.  The context owns everything it
 *   made and frees what is left when it is freed, so release handles before the context.
 * - Semantics follow NumPy 2: broadcasting, type promotion with weak Python scalars (NEP 50),
 *   integer // and % with Python's signs, integer division by zero gives 0, floats are IEEE.
 */
#ifndef KILN_H
#define KILN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(KILN_BUILDING)
#define KILN_API __attribute__((visibility("default")))
#else
#define KILN_API
#endif

#define KILN_VERSION "0.1.0"
#define KILN_MAX_DIMS 8 /* most dimensions an array or expression may have */

/* ---------------------------------------------------------------- status and errors */

typedef enum kiln_status {
    KILN_OK = 0,
    KILN_ERR_NOMEM,    /* an allocation failed */
    KILN_ERR_ARG,      /* a NULL handle, a bad enum value, a bad rank or stride */
    KILN_ERR_SHAPE,    /* shapes that do not broadcast, or an output of the wrong shape */
    KILN_ERR_DTYPE,    /* an op that has no loop for these dtypes, a scalar out of range */
    KILN_ERR_SYNTAX,   /* an expression string that does not parse (with an offset) */
    KILN_ERR_NAME,     /* an unknown name in an expression string (with an offset) */
    KILN_ERR_COMPILE,  /* the backend failed to compile a kernel */
    KILN_ERR_BACKEND,  /* a backend is unavailable on this machine */
    KILN_ERR_IO,       /* a file could not be read or written */
    KILN_ERR_INTERRUPTED, /* kiln_interrupt stopped the evaluation */
    KILN_ERR_INDEX,    /* an index out of bounds (a gather's index array, a subscript) */
    KILN_ERR_LINALG,   /* NumPy's LinAlgError: a singular matrix, one not positive definite, no convergence */
    KILN_STATUS_COUNT
} kiln_status;

/* A short English name for a status ("out of memory", "shape mismatch", ...). Static. */
KILN_API const char *kiln_status_str(kiln_status st);

/* ---------------------------------------------------------------- dtypes */

typedef enum kiln_dtype {
    KILN_BOOL, /* 1 byte, 0 or 1 */
    KILN_I32,
    KILN_I64,
    KILN_F32,
    KILN_F64,
    KILN_U8, /* 1 byte, unsigned (after the others, so that their values stay as they were) */
    KILN_I8,
    KILN_I16,
    KILN_U16,
    KILN_U32,
    KILN_DTYPE_COUNT
} kiln_dtype;

KILN_API const char *kiln_dtype_name(kiln_dtype dt); /* NumPy's name: "float64"...; static */
/* "kiln 0.1.0 (LLVM 19.1.7, znver5)": kiln's version, LLVM's, and the CPU kernels target (or
 * that kiln was built without LLVM). */
KILN_API const char *kiln_build_info(void);
KILN_API size_t kiln_dtype_size(kiln_dtype dt);      /* bytes per element; 0 if invalid */

/* ---------------------------------------------------------------- the op list
 * Defined once here; the enum, the builders below, the graph, the reference evaluator, the
 * printer and every backend are generated from or checked against it.
 *   X(ENUM, builder, numpy name, arity, kind, operator spelling, C math function)          */
#define KILN_OPS(X)                                                        \
    X(ADD,      add,      "add",           2, ARITH,  "+",  "")            \
    X(SUB,      sub,      "subtract",      2, ARITH,  "-",  "")            \
    X(MUL,      mul,      "multiply",      2, ARITH,  "*",  "")            \
    X(DIV,      div,      "divide",        2, FDIV,   "/",  "")            \
    X(FLOORDIV, floordiv, "floor_divide",  2, IDIV,   "//", "")            \
    X(MOD,      mod,      "remainder",     2, IDIV,   "%",  "")            \
    X(POW,      pow,      "power",         2, IDIV,   "**", "pow")         \
    X(MAXIMUM,  maximum,  "maximum",       2, ARITH,  "",   "")            \
    X(MINIMUM,  minimum,  "minimum",       2, ARITH,  "",   "")            \
    X(ARCTAN2,  arctan2,  "arctan2",       2, FMATH,  "",   "atan2")       \
    X(FMOD,     fmod,     "fmod",          2, IDIV,   "",   "fmod")        \
    X(HYPOT,    hypot,    "hypot",         2, FMATH,  "",   "hypot")       \
    X(COPYSIGN, copysign, "copysign",      2, FMATH,  "",   "copysign")    \
    X(LDEXP,    ldexp,    "ldexp",         2, FMATH,  "",   "ldexp")       \
    X(NEXTAFTER, nextafter, "nextafter",   2, FMATH,  "",   "nextafter")   \
    X(EQ,       eq,       "equal",         2, CMP,    "==", "")            \
    X(NE,       ne,       "not_equal",     2, CMP,    "!=", "")            \
    X(LT,       lt,       "less",          2, CMP,    "<",  "")            \
    X(LE,       le,       "less_equal",    2, CMP,    "<=", "")            \
    X(GT,       gt,       "greater",       2, CMP,    ">",  "")            \
    X(GE,       ge,       "greater_equal", 2, CMP,    ">=", "")            \
    X(AND,      and,      "bitwise_and",   2, BIT,    "&",  "")            \
    X(OR,       or,       "bitwise_or",    2, BIT,    "|",  "")            \
    X(XOR,      xor,      "bitwise_xor",   2, BIT,    "^",  "")            \
    X(LSHIFT,   left_shift, "left_shift",  2, BIT,    "<<", "")            \
    X(RSHIFT,   right_shift, "right_shift", 2, BIT,   ">>", "")            \
    X(NEG,      neg,      "negative",      1, NUM,    "-",  "")            \
    X(INVERT,   invert,   "invert",        1, BIT,    "~",  "")            \
    X(ABS,      abs,      "absolute",      1, ANY,    "",   "")            \
    X(SIGN,     sign,     "sign",          1, NUM,    "",   "")            \
    X(FLOOR,    floor,    "floor",         1, ANY,    "",   "floor")       \
    X(CEIL,     ceil,     "ceil",          1, ANY,    "",   "ceil")        \
    X(SQRT,     sqrt,     "sqrt",          1, FMATH,  "",   "sqrt")        \
    X(EXP,      exp,      "exp",           1, FMATH,  "",   "exp")         \
    X(EXPM1,    expm1,    "expm1",         1, FMATH,  "",   "expm1")       \
    X(EXP2,     exp2,     "exp2",          1, FMATH,  "",   "exp2")        \
    X(LOG,      log,      "log",           1, FMATH,  "",   "log")         \
    X(LOG1P,    log1p,    "log1p",         1, FMATH,  "",   "log1p")       \
    X(LOG2,     log2,     "log2",          1, FMATH,  "",   "log2")        \
    X(LOG10,    log10,    "log10",         1, FMATH,  "",   "log10")       \
    X(SIN,      sin,      "sin",           1, FMATH,  "",   "sin")         \
    X(COS,      cos,      "cos",           1, FMATH,  "",   "cos")         \
    X(TAN,      tan,      "tan",           1, FMATH,  "",   "tan")         \
    X(ARCSIN,   arcsin,   "arcsin",        1, FMATH,  "",   "asin")        \
    X(ARCCOS,   arccos,   "arccos",        1, FMATH,  "",   "acos")        \
    X(ARCTAN,   arctan,   "arctan",        1, FMATH,  "",   "atan")        \
    X(SINH,     sinh,     "sinh",          1, FMATH,  "",   "sinh")        \
    X(COSH,     cosh,     "cosh",          1, FMATH,  "",   "cosh")        \
    X(TANH,     tanh,     "tanh",          1, FMATH,  "",   "tanh")        \
    X(ARCSINH,  arcsinh,  "arcsinh",       1, FMATH,  "",   "asinh")       \
    X(ARCCOSH,  arccosh,  "arccosh",       1, FMATH,  "",   "acosh")       \
    X(ARCTANH,  arctanh,  "arctanh",       1, FMATH,  "",   "atanh")       \
    X(CBRT,     cbrt,     "cbrt",          1, FMATH,  "",   "cbrt")        \
    X(FREXP,    frexp_exponent, "frexp",   1, FMATH,  "",   "frexp")       \
    X(RINT,     rint,     "rint",          1, ANY,    "",   "rint")        \
    X(POSITIVE, positive, "positive",      1, ANY,    "",   "")            \
    X(ISNAN,    isnan,    "isnan",         1, PRED,   "",   "")            \
    X(ISINF,    isinf,    "isinf",         1, PRED,   "",   "")            \
    X(ISFINITE, isfinite, "isfinite",      1, PRED,   "",   "")            \
    X(WHERE,    where,    "where",         3, WHERE,  "",   "")

/* The ops that are not element-wise: reductions, scans, the matrix product, views of computed
 * results, concatenation and gathers, what gradients need of the last two (a view's values
 * placed back where they came from in zeros, embed; a gather's added back, scatter_add), and
 * softmax, log_softmax and logsumexp along the last axis, each one pass over a row (softmax's
 * three modes).  Fusion ends at them (an element-wise view of arrays is pushed down to the
 * arrays instead, and fuses).   X(ENUM, builder, numpy name, kind)                           */
#define KILN_STRUCT_OPS(X)                            \
    X(SUM,     sum,     "sum",     REDUCE)            \
    X(PROD,    prod,    "prod",    REDUCE)            \
    X(MAX,     max,     "max",     REDUCE)            \
    X(MIN,     min,     "min",     REDUCE)            \
    X(ARGMAX,  argmax,  "argmax",  REDUCE)            \
    X(ARGMIN,  argmin,  "argmin",  REDUCE)            \
    X(ANY,     any,     "any",     REDUCE)            \
    X(ALL,     all,     "all",     REDUCE)            \
    X(CUMSUM,  cumsum,  "cumsum",  SCAN)              \
    X(CUMPROD, cumprod, "cumprod", SCAN)              \
    X(MATMUL,  matmul,  "matmul",  MATMUL)            \
    X(VIEW,    view,    "view",    VIEW)              \
    X(RESHAPE, reshape, "reshape", VIEW)              \
    X(CONCAT,  concat,  "concatenate", CONCAT)        \
    X(TAKE,    take,    "take",    GATHER)            \
    X(EMBED,   embed,   "embed",   EMBED)             \
    X(SCATTER, scatter, "scatter_add", SCATTER)       \
    X(SOFTMAX, softmax_rows, "softmax", ROWS)        \
    X(SORT,    sort,    "sort",    SCAN)              \
    X(ARGSORT, argsort, "argsort", SCAN)              \
    X(LINALG,  linalg_op, "linalg", LINALG)          \
    X(SEARCH,  search,  "searchsorted", GATHER)       \
    X(CUMMAX,  cummax,  "maximum.accumulate", SCAN)   \
    X(CUMMIN,  cummin,  "minimum.accumulate", SCAN)

/* Ops: three leaf/structural ops first, then one per line of KILN_OPS, then KILN_STRUCT_OPS. */
typedef enum kiln_op {
    KILN_OP_VAR,   /* an array leaf (kiln_var) */
    KILN_OP_CONST, /* a scalar leaf (kiln_scalar and friends) */
    KILN_OP_PARAM, /* a placeholder leaf, bound to an array later (kiln_param) */
    KILN_OP_CAST,  /* a dtype conversion (kiln_cast) */
#define KILN_X_ENUM(E, b, np, ar, k, sp, cf) KILN_OP_##E,
    KILN_OPS(KILN_X_ENUM)
#undef KILN_X_ENUM
#define KILN_X_ENUM(E, b, np, k) KILN_OP_##E,
    KILN_STRUCT_OPS(KILN_X_ENUM)
#undef KILN_X_ENUM
    KILN_OP_COUNT
} kiln_op;

#define KILN_ALL_AXES (-128) /* a reduction's axis: reduce over every axis */

/* ---------------------------------------------------------------- context */

typedef struct kiln_ctx kiln_ctx;
typedef struct kiln_array kiln_array;
typedef struct kiln_expr kiln_expr;

/* Allocator hook, as Lua's lua_Alloc: size 0 frees ptr and returns NULL; otherwise it behaves
 * as realloc.  All of kiln's own bookkeeping goes through it (not LLVM's, not array data).  kiln
 * calls it from its own threads too (the background compiler of the default tier): it must be
 * safe to call from several threads at once. */
typedef void *(*kiln_alloc_fn)(void *ud, void *ptr, size_t size);

/* Tiers: how a new kernel gets run.  With AUTO (the default) its first calls run on the
 * interpreter, at once, while the backend compiles it on a background thread once the
 * interpreter has spent KILN_JIT_AFTER_MS (default 10) milliseconds on it; later calls run the
 * compiled kernel the moment it is ready, and no call waits for a compile.  A kernel found in
 * the disk cache skips the interpreter.  JIT compiles every new kernel before its first call;
 * INTERP never compiles.  Tiers apply to backends that compile (the LLVM JIT); the interpreter
 * backend is always INTERP.  Results are the same bits in every tier. */
typedef enum kiln_tier {
    KILN_TIER_DEFAULT = 0, /* in kiln_config: KILN_TIER (auto|interp|jit), else AUTO */
    KILN_TIER_AUTO,
    KILN_TIER_INTERP,
    KILN_TIER_JIT,
} kiln_tier;

typedef struct kiln_config {
    kiln_alloc_fn alloc; /* NULL: the C library's realloc/free */
    void *alloc_ud;      /* passed to alloc */
    int num_threads;     /* 0: KILN_NUM_THREADS, else OMP_NUM_THREADS, else all cores (at most 4096) */
    const char *backend; /* NULL: KILN_BACKEND, else the build's default (see kiln_backends) */
    kiln_tier tier;      /* KILN_TIER_DEFAULT: KILN_TIER, else AUTO */
} kiln_config;

/* Creates a context.  cfg may be NULL (defaults); it is copied.  Returns NULL only when memory
 * runs out.  The backend is started on the first evaluation, not here: a backend this build
 * does not have, or that cannot run on this machine, makes evaluations fail with
 * KILN_ERR_BACKEND and one sentence saying why (see kiln_set_backend to find out early). */
KILN_API kiln_ctx *kiln_ctx_new(const kiln_config *cfg);
/* Frees the context, its graph, its compiled kernels, its buffer pool, and every array,
 * expression and scope the caller has not freed (those handles become invalid: free them
 * before, or not at all; memory the caller wrapped stays the caller's). NULL is a no-op. */
KILN_API void kiln_ctx_free(kiln_ctx *ctx);

KILN_API kiln_status kiln_errcode(const kiln_ctx *ctx); /* this thread's last error, or KILN_OK */
KILN_API const char *kiln_errmsg(const kiln_ctx *ctx);  /* its message; valid until the next error */
KILN_API int64_t kiln_error_offset(const kiln_ctx *ctx); /* byte offset into a source, or -1 */
KILN_API void kiln_clear_error(const kiln_ctx *ctx);

KILN_API int kiln_num_threads(const kiln_ctx *ctx);

/* Asks the evaluations running on ctx (and the next ones) to stop at the next kernel or block
 * boundary: they fail with KILN_ERR_INTERRUPTED, leaving their outputs partly written.  Safe to
 * call from a signal handler or another thread; kiln_clear_interrupt lets evaluations run
 * again. */
KILN_API void kiln_interrupt(kiln_ctx *ctx);
KILN_API void kiln_clear_interrupt(kiln_ctx *ctx);

/* Backends: where kernels are made and run.  "cpu" is the LLVM JIT (vectorized, OpenMP; the
 * default where kiln was built with LLVM), "interp" the interpreter (no compile at all).
 * The names this build has, comma-separated ("cpu, interp").  Static. */
KILN_API const char *kiln_backends(void);
/* The name of ctx's backend, or NULL when its configuration named none this build has. */
KILN_API const char *kiln_backend_name(const kiln_ctx *ctx);
/* Switches ctx to the backend called name, starting it now: a backend that cannot run here
 * fails here (KILN_ERR_BACKEND, saying why) and ctx keeps the one it had.  Plans made for the
 * old backend are remade on their next use; switch while no evaluation is running. */
KILN_API kiln_status kiln_set_backend(kiln_ctx *ctx, const char *name);
/* The tier policy of ctx (see kiln_tier); setting KILN_TIER_DEFAULT means AUTO. */
KILN_API kiln_status kiln_set_tier(kiln_ctx *ctx, kiln_tier tier);
KILN_API kiln_tier kiln_get_tier(const kiln_ctx *ctx);
/* Waits until every background compile queued so far has finished (for measuring, and for a
 * program that wants compiled speed from here on).  A program never needs to call it: fork()
 * waits for the background compiles running then, and the child compiles on a thread of its own.
 * (A compile the program runs on another of its threads, KILN_TIER_JIT's, holds LLVM's locks as
 * any library's call holds its own: a child forked then is the program's to keep from kiln.) */
KILN_API kiln_status kiln_wait_compiles(kiln_ctx *ctx);
/* One line on ctx's backend as it runs here (versions, target, products), starting it if
 * needed; owned by ctx.  NULL (error set) when it cannot start. */
KILN_API const char *kiln_backend_info(kiln_ctx *ctx);
KILN_API kiln_status kiln_set_num_threads(kiln_ctx *ctx, int n); /* n >= 1 */

/* Counters since the context was made.  Times are nanoseconds of wall clock. */
typedef struct kiln_stats {
    uint64_t evals;            /* kiln_eval / kiln_eval_into calls that ran */
    uint64_t kernels_compiled; /* kernels handed to the backend */
    uint64_t cache_hits;       /* kernel lookups answered by the in-memory cache */
    uint64_t cache_misses;     /* lookups that had to compile */
    uint64_t nodes;            /* graph nodes alive now */
    uint64_t ns_fuse;          /* partitioning graphs into kernels */
    uint64_t ns_emit;          /* building backend IR */
    uint64_t ns_opt;           /* the optimizer (LLVM passes) */
    uint64_t ns_codegen;       /* machine code generation and linking */
    uint64_t ns_jit_init;      /* starting the JIT (once per context) */
    uint64_t disk_hits;        /* kernels loaded from the disk cache instead of compiled */
    uint64_t disk_misses;      /* kernels the disk cache did not have (or was off for) */
    uint64_t disk_corrupt;     /* disk entries refused: damaged, foreign or untrusted; replaced */
    uint64_t disk_stores;      /* kernels written to the disk cache */
    uint64_t ns_disk_load;     /* reading, checking and linking disk entries */
    uint64_t ns_parse;         /* kiln_parse: tokens, syntax and graph building */
    uint64_t ns_first_run;     /* evaluations that had to make a kernel: their running time */
    uint64_t runs_interp;      /* kernel launches on the interpreter (a first tier, or chosen) */
    uint64_t runs_compiled;    /* kernel launches on compiled kernels */
    uint64_t tier_kernels;     /* kernels given to the interpreter while their compile waits */
    uint64_t tier_queued;      /* background compiles queued */
    uint64_t tier_compiled;    /* background compiles finished (their kernels now run) */
    uint64_t tier_dropped;     /* compiles not queued because the queue was full (retried later) */
    uint64_t ns_background;    /* wall time the background thread spent compiling */
    uint64_t kernels_cached;   /* kernels in the in-memory cache now (at most KILN_KERNEL_CACHE,
                                  default 4096; the least recently used leave and are unloaded
                                  once nothing runs or remembers them) */
    uint64_t cache_evictions;  /* kernels that left the in-memory cache */
    uint64_t plans_built;      /* plans made (an expression's is kept on it; kiln_eval_many's, for
                                  the same expressions, in a cache of 16) */
    uint64_t compiler_runs;    /* runs of the backend's compiler: one per kernel compiled, or one
                                  per plan whose kernels the backend compiles together (CUDA:
                                  one NVRTC program for the kernels a plan's first run needs),
                                  and one per fixed routine or 64-bit kernel the CUDA backend
                                  compiled (not loaded from the disk cache); ns_codegen has
                                  their time too */
    uint64_t tier_started;     /* background compiles started (tier_queued - tier_started wait in
                                  the queue; tier_started - tier_compiled are running or failed) */
    uint64_t spare_bytes;      /* temporaries the plans keep for their next runs, now (a plan keeps
                                  up to 16 MiB, the context's plans up to 64 MiB together) */
} kiln_stats;
KILN_API kiln_status kiln_get_stats(const kiln_ctx *ctx, kiln_stats *out);

/* ---------------------------------------------------------------- the disk cache
 * Compiled kernels are kept under $KILN_CACHE_DIR (else $XDG_CACHE_HOME/kiln, else
 * ~/.cache/kiln), keyed by kiln's and LLVM's versions, the target, CPU and its features, and the
 * kernel's structure; KILN_DISABLE_CACHE=1 turns it off and KILN_CACHE_MAX_MB caps it (default
 * 256, least recently used out first).  KILN_LOG=compile prints a line per kernel compiled or
 * loaded, with the reason and the time of each phase. */
typedef struct kiln_cache_stats {
    char dir[1024];
    int enabled;
    char why_disabled[1100];
    uint64_t entries, bytes, max_bytes;
    uint64_t hits, misses, corrupt, stores; /* added up by every process that used it */
} kiln_cache_stats;
KILN_API kiln_status kiln_cache_info(kiln_cache_stats *out);
/* Calls fn for each entry, least recently used first. */
KILN_API kiln_status kiln_cache_list(void (*fn)(const char *name, uint64_t bytes, int64_t mtime_s, void *ud), void *ud);
KILN_API kiln_status kiln_cache_clear(uint64_t *removed); /* every entry and the counters */
KILN_API kiln_status kiln_cache_prune(uint64_t *removed); /* down to the size cap; stale temporaries */

/* ---------------------------------------------------------------- arrays */

/* Wraps caller memory without copying.  shape has ndim entries (ndim 0 is a scalar); strides
 * are in bytes (may be 0 or negative), NULL meaning C order; data and strides must be multiples
 * of the element size (as NumPy's aligned arrays).  The caller keeps data alive and
 * unmodified-in-shape for the array's lifetime.  Returns a new reference, or NULL. */
KILN_API kiln_array *kiln_wrap(kiln_ctx *ctx, kiln_dtype dt, int ndim, const int64_t *shape,
                               const int64_t *strides, void *data);
/* Allocates a C-ordered, uninitialized array; large ones get huge pages and come from a pool
 * of recycled buffers.  Returns a new reference, or NULL. */
KILN_API kiln_array *kiln_array_new(kiln_ctx *ctx, kiln_dtype dt, int ndim, const int64_t *shape);
/* Gives the context's pool of freed buffers back to the system now (the pool keeps up to 16
 * freed buffers of 64 KiB or more, 4 GiB in all, so that the next call of the same sizes
 * faults no fresh pages in; a buffer passed over by 3 allocations it could not serve goes back
 * by itself).  Arrays alive are not touched.  Thread-safe. */
KILN_API void kiln_trim(kiln_ctx *ctx);
/* An array over GPU memory someone else allocated (a CUDA device pointer: cudaMalloc's, CuPy's
 * or PyTorch's data pointer), for a context whose backend runs on that GPU (cuda).  Kernels
 * read and write it in place and results evaluated into it stay there; kiln_array_data copies
 * it into host memory the array owns (and the next kernel that uses it copies that back).  The
 * GPU memory stays the caller's.  strides in bytes (NULL: C order), none negative. */
KILN_API kiln_array *kiln_wrap_device(kiln_ctx *ctx, kiln_dtype dt, int ndim, const int64_t *shape, const int64_t *strides,
                                      uint64_t device_ptr);
/* A new C-ordered array filled with v (converted to dt as astype would). */
KILN_API kiln_array *kiln_full(kiln_ctx *ctx, kiln_dtype dt, int ndim, const int64_t *shape, double v);
/* np.eye(n, m, k): ones on the k-th diagonal of an n×m array of dt. */
KILN_API kiln_array *kiln_eye(kiln_ctx *ctx, kiln_dtype dt, int64_t n, int64_t m, int64_t k);
/* np.full_like / zeros_like / ones_like: a new C-ordered array of x's shape and dtype (x is an
 * expression: only its shape and dtype are read, nothing is evaluated). */
KILN_API kiln_array *kiln_full_like(kiln_ctx *ctx, const kiln_expr *x, double v);
KILN_API kiln_array *kiln_zeros_like(kiln_ctx *ctx, const kiln_expr *x);
KILN_API kiln_array *kiln_ones_like(kiln_ctx *ctx, const kiln_expr *x);
/* A view of base's memory with another shape, byte strides and byte offset (a slice or a
 * transpose); the view holds a reference to base.  No bounds are checked beyond overflow. */
KILN_API kiln_array *kiln_array_view(kiln_ctx *ctx, kiln_array *base, int ndim,
                                     const int64_t *shape, const int64_t *strides,
                                     int64_t byte_offset);
KILN_API kiln_array *kiln_array_retain(kiln_array *a);  /* returns a; one more reference */
KILN_API void kiln_array_free(kiln_array *a);           /* drops one reference; NULL is a no-op */

/* a's first element, to read and write.  On a GPU backend (cuda) the array's current bytes are
 * brought to the host first, and the pointer holds them until the next evaluation that uses a:
 * call kiln_array_data again after one (host backends: the pointer never changes meaning). */
KILN_API void *kiln_array_data(const kiln_array *a);
KILN_API kiln_dtype kiln_array_dtype(const kiln_array *a);
KILN_API int kiln_array_ndim(const kiln_array *a);
KILN_API const int64_t *kiln_array_shape(const kiln_array *a);   /* ndim entries; owned by a */
KILN_API const int64_t *kiln_array_strides(const kiln_array *a); /* bytes; owned by a */
KILN_API int64_t kiln_array_size(const kiln_array *a);           /* number of elements */

/* ---------------------------------------------------------------- expressions */

/* A leaf that reads array a (the node holds a reference to a).  Building kiln_var twice on
 * the same array yields the same node. */
KILN_API kiln_expr *kiln_var(kiln_ctx *ctx, kiln_array *a);
/* Python-style scalars: weak in type promotion (NEP 50), as `x * 2.0` in NumPy. */
KILN_API kiln_expr *kiln_scalar(kiln_ctx *ctx, double v); /* a Python float */
KILN_API kiln_expr *kiln_int(kiln_ctx *ctx, int64_t v);   /* a Python int */
KILN_API kiln_expr *kiln_bool(kiln_ctx *ctx, int v);      /* a Python bool */
/* A typed scalar (as np.float32(v)); for KILN_I64 values beyond 2^53 use kiln_const_i64. */
KILN_API kiln_expr *kiln_const(kiln_ctx *ctx, kiln_dtype dt, double v);
KILN_API kiln_expr *kiln_const_i64(kiln_ctx *ctx, kiln_dtype dt, int64_t v);
/* x converted to dt with NumPy's unsafe casting (astype). */
KILN_API kiln_expr *kiln_cast(kiln_ctx *ctx, kiln_expr *x, kiln_dtype dt);

/* One builder per op of KILN_OPS: kiln_add(ctx, a, b), kiln_sin(ctx, x), kiln_where(ctx, c, x, y)
 * and so on.  Each returns a new reference or NULL (shape, dtype or argument error). */
#define KILN_X_DECL_1(b) KILN_API kiln_expr *kiln_##b(kiln_ctx *ctx, kiln_expr *x);
#define KILN_X_DECL_2(b) KILN_API kiln_expr *kiln_##b(kiln_ctx *ctx, kiln_expr *x, kiln_expr *y);
#define KILN_X_DECL_3(b) \
    KILN_API kiln_expr *kiln_##b(kiln_ctx *ctx, kiln_expr *x, kiln_expr *y, kiln_expr *z);
#define KILN_X_DECL(E, b, np, ar, k, sp, cf) KILN_X_DECL_##ar(b)
KILN_OPS(KILN_X_DECL)
#undef KILN_X_DECL

/* Reductions, as NumPy's: over one axis (negative counts from the end) or KILN_ALL_AXES, with
 * keepdims keeping the reduced axes as size 1.  Result dtypes: sum and prod of bool and
 * integers give int64; max and min keep the dtype; argmax and argmin give int64 (first
 * occurrence; NaN counts as the maximum and the minimum); any and all give bool.  Floating sums
 * are pairwise in fixed blocks: deterministic for any thread count. */
#define KILN_X_DECL_R(E, b, np, k) KILN_X_DECL_R_##k(b)
#define KILN_X_DECL_R_REDUCE(b) KILN_API kiln_expr *kiln_##b(kiln_ctx *ctx, kiln_expr *x, int axis, int keepdims);
#define KILN_X_DECL_R_SCAN(b) KILN_API kiln_expr *kiln_##b(kiln_ctx *ctx, kiln_expr *x, int axis);
#define KILN_X_DECL_R_MATMUL(b)
#define KILN_X_DECL_R_VIEW(b)
#define KILN_X_DECL_R_CONCAT(b)
#define KILN_X_DECL_R_GATHER(b)
#define KILN_X_DECL_R_EMBED(b)
#define KILN_X_DECL_R_SCATTER(b)
#define KILN_X_DECL_R_ROWS(b)
#define KILN_X_DECL_R_LINALG(b)
KILN_STRUCT_OPS(KILN_X_DECL_R)
#undef KILN_X_DECL_R
/* (the scans above: cumsum and cumprod along axis, or over the flattened array with
 * KILN_ALL_AXES; bool and integers give int64, as NumPy's.  sort keeps the dtype and puts NaN
 * last, as NumPy's; argsort gives the int64 positions that sort along the axis, equal values
 * in the order they come (NumPy's kind='stable'); both run on the host; cummax and cummin are
 * np.maximum.accumulate and np.minimum.accumulate: the running maximum (minimum), NaN from the
 * first NaN on, the dtype kept, on the host) */
/* np.partition(x, [lo..hi], axis): each line along axis (KILN_ALL_AXES: of the flattened x) with
 * the values of ranks lo to hi where sort puts them, none greater before them and none smaller
 * after, the rest in any order (a sort is one: ranks more than 255 apart and a line with NaN or
 * -0.0 get it); on the host.  Ranks outside 0 <= lo <=
 * hi < the line's length fail with KILN_ERR_ARG. */
KILN_API kiln_expr *kiln_partition(kiln_ctx *ctx, kiln_expr *x, int64_t lo, int64_t hi, int axis);
/* np.argpartition(x, [lo..hi], axis): the int64 positions that partition x as kiln_partition
 * does (x's values at the positions are a partition; equal values in any order, as NumPy
 * allows; ranks more than 255 apart: argsort's), on the host.  Ranks outside 0 <= lo <= hi <
 * the line's length fail with KILN_ERR_ARG. */
KILN_API kiln_expr *kiln_argpartition(kiln_ctx *ctx, kiln_expr *x, int64_t lo, int64_t hi, int axis);
/* np.linalg's functions, each over the last two dims of a stack of matrices (the leading dims
 * are the stack): kiln_linalg's fn.  They run on the host through LAPACK (OpenBLAS's, else the
 * system's liblapack.so.3), as NumPy's do; float32 stays float32, everything else is float64. */
typedef enum kiln_linalg_fn {
    KILN_LA_SOLVE,    /* solve(a, b): x with a @ x = b; b is (..., n, k), or (n,) for one vector */
    KILN_LA_INV,      /* inv(a) */
    KILN_LA_DET,      /* det(a), as NumPy's: sign * exp(sum(log|u_ii|)) of a's LU factors */
    KILN_LA_SIGNDET,  /* slogdet(a)'s sign: -1, 0 or 1 */
    KILN_LA_LOGDET,   /* slogdet(a)'s log|det(a)| (-inf for a singular a) */
    KILN_LA_CHOLESKY, /* the lower factor L of a = L @ L.T (upper with KILN_LA_UPPER: U, a = U.T @ U) */
    KILN_LA_EIGVALSH, /* eigvalsh(a): a symmetric matrix's eigenvalues, ascending (its lower
                         triangle read; the upper with KILN_LA_UPPER) */
    KILN_LA_EIGVECSH, /* eigh(a)'s eigenvectors, as columns, in the eigenvalues' order */
    KILN_LA_SVALS,    /* svd's singular values, descending: (..., min(m, n)) */
    KILN_LA_SVD_U,    /* svd's u: (..., m, k), (..., m, m) with KILN_LA_FULL */
    KILN_LA_SVD_VH,   /* svd's vh: (..., k, n), (..., n, n) with KILN_LA_FULL */
    KILN_LA_QR_Q,     /* qr's q (mode 'reduced'): (..., m, k) with orthonormal columns; (..., m, m)
                         with KILN_LA_FULL (mode 'complete') */
    KILN_LA_QR_R,     /* qr's r: (..., k, n), upper triangular; (..., m, n) with KILN_LA_FULL */
    KILN_LA_COUNT
} kiln_linalg_fn;
#define KILN_LA_FULL 1u  /* kiln_linalg's flags: svd's full_matrices, qr's mode 'complete' */
#define KILN_LA_UPPER 2u /* cholesky's upper=True, eigh's UPLO='U' */
/* fn of a (and b, for solve; NULL otherwise).  Errors: a not a square stack where fn needs one,
 * solve's b not matching, no LAPACK on this machine (when it runs).  A singular matrix gives
 * inv and solve the error "Singular matrix", a matrix not positive definite gives cholesky's;
 * an SVD or eigensolver that does not converge gives its own. */
KILN_API kiln_expr *kiln_linalg(kiln_ctx *ctx, kiln_linalg_fn fn, kiln_expr *a, kiln_expr *b, unsigned flags);
/* The same, by op number (a reduction op of KILN_STRUCT_OPS). */
KILN_API kiln_expr *kiln_reduce(kiln_ctx *ctx, kiln_op op, kiln_expr *x, int axis, int keepdims);
/* A reduction over several axes at once: bit d of axes set for axis d (NumPy's axis=(0, 2)).
 * Not for argmax/argmin, which take one axis or all, as NumPy's. */
KILN_API kiln_expr *kiln_reduce_axes(kiln_ctx *ctx, kiln_op op, kiln_expr *x, unsigned axes, int keepdims);
KILN_API kiln_expr *kiln_mean_axes(kiln_ctx *ctx, kiln_expr *x, unsigned axes, int keepdims);
/* The variance and the standard deviation over axes (KILN_ALL_AXES: every one; else a bit mask
 * as kiln_reduce_axes), with NumPy's ddof (the sum of squares over max(n - ddof, 0));
 * float64 for bool and integers. */
KILN_API kiln_expr *kiln_variance(kiln_ctx *ctx, kiln_expr *x, unsigned axes, int ddof, int keepdims);
KILN_API kiln_expr *kiln_std(kiln_ctx *ctx, kiln_expr *x, unsigned axes, int ddof, int keepdims);
#define KILN_EVERY_AXIS 0xffu /* for the axes masks: all of them */
/* The mean: sum / count, float64 for bool and integers (NumPy's rule). */
KILN_API kiln_expr *kiln_mean(kiln_ctx *ctx, kiln_expr *x, int axis, int keepdims);
/* The matrix product x @ y as NumPy's matmul (1-D·1-D is a 0-D dot product); operands of 3 dims
 * or more are stacks of matrices whose leading dims broadcast.  float32 and float64 go to a tuned
 * GEMM (OpenBLAS when it is installed); element-wise work on a 2-D result fuses into the
 * product's epilogue. */
KILN_API kiln_expr *kiln_matmul(kiln_ctx *ctx, kiln_expr *x, kiln_expr *y);

/* The same, by op number: args holds the op's arity of expressions. */
KILN_API kiln_expr *kiln_apply(kiln_ctx *ctx, kiln_op op, kiln_expr *const *args);

/* ---------------------------------------------------------------- placeholders
 * A graph built on placeholders is built, planned and compiled once and evaluated for whatever
 * arrays they are bound to at the time (a training loop's body).  A placeholder has a fixed
 * dtype and shape; bindings belong to the context, so bind and evaluate from one thread. */

/* A placeholder for an array of dt and shape (unbound).  Returns a new reference, or NULL. */
KILN_API kiln_expr *kiln_param(kiln_ctx *ctx, kiln_dtype dt, int ndim, const int64_t *shape);
/* Binds param to a (retained; the array bound before is released); a NULL a unbinds.  a must
 * have param's dtype and shape; any strides.  Evaluating an expression with an unbound
 * placeholder fails. */
KILN_API kiln_status kiln_bind(kiln_ctx *ctx, kiln_expr *param, kiln_array *a);

/* ---------------------------------------------------------------- views and shapes
 * Views never copy an array: a view of arrays, or of an element-wise expression of arrays, reads
 * them through other strides and fuses like anything else; a view of a computed result (a
 * reduction, a product...) reads that result's array. */

typedef enum kiln_ix_kind {
    KILN_IX_INDEX,    /* x[i]: drops the axis; negative counts from the end */
    KILN_IX_SLICE,    /* x[start:stop:step] with NumPy's rules for missing and negative bounds */
    KILN_IX_NEWAXIS,  /* x[None]: a new axis of length 1 */
    KILN_IX_ELLIPSIS, /* x[...]: as many full slices as the other items leave */
} kiln_ix_kind;
#define KILN_IX_HAS_START 1
#define KILN_IX_HAS_STOP 2
#define KILN_IX_HAS_STEP 4
typedef struct kiln_ix {
    kiln_ix_kind kind;
    int64_t index;             /* KILN_IX_INDEX */
    int64_t start, stop, step; /* KILN_IX_SLICE: those present by flags */
    int flags;
} kiln_ix;

/* Basic indexing and slicing, NumPy's x[ix0, ix1, ...] with n items. */
KILN_API kiln_expr *kiln_index(kiln_ctx *ctx, kiln_expr *x, int n, const kiln_ix *ix);
/* np.transpose(x, axes): axes is a permutation of 0..ndim-1 (NULL: reversed). */
KILN_API kiln_expr *kiln_permute(kiln_ctx *ctx, kiln_expr *x, const int *axes);
/* x.reshape(shape): one entry may be -1; a view when the layout allows, else a copy. */
KILN_API kiln_expr *kiln_reshape(kiln_ctx *ctx, kiln_expr *x, int ndim, const int64_t *shape);
KILN_API kiln_expr *kiln_ravel(kiln_ctx *ctx, kiln_expr *x);
KILN_API kiln_expr *kiln_expand_dims(kiln_ctx *ctx, kiln_expr *x, int axis);
/* Removes axis (which must have length 1), or with KILN_ALL_AXES every axis of length 1. */
KILN_API kiln_expr *kiln_squeeze(kiln_ctx *ctx, kiln_expr *x, int axis);
/* np.concatenate(xs, axis) and np.stack(xs, axis) of n expressions (n >= 1). */
KILN_API kiln_expr *kiln_concatenate(kiln_ctx *ctx, int n, kiln_expr *const *xs, int axis);
KILN_API kiln_expr *kiln_stack(kiln_ctx *ctx, int n, kiln_expr *const *xs, int axis);
/* Integer-array indexing: np.take(x, idx, axis) (KILN_ALL_AXES: of the flattened x; x[idx] is
 * axis 0) and np.take_along_axis(x, idx, axis).  Indices may be negative; an index out of
 * bounds fails the evaluation, naming it. */
KILN_API kiln_expr *kiln_take(kiln_ctx *ctx, kiln_expr *x, kiln_expr *idx, int axis);
KILN_API kiln_expr *kiln_take_along_axis(kiln_ctx *ctx, kiln_expr *x, kiln_expr *idx, int axis);
/* NumPy's x[..., i, j, ...] for two integer arrays i and j (broadcast together) indexing axes
 * axis and axis + 1: p[arange(n), y] picks one element per row. */
KILN_API kiln_expr *kiln_take_pair(kiln_ctx *ctx, kiln_expr *x, kiln_expr *i, kiln_expr *j, int axis);
/* np.searchsorted(a, v, side): for each element of v, how many elements of the sorted 1-D a
 * come before it (right: before it or equal to it), in NumPy's order (NaN last), as int64 of
 * v's shape: a binary search per element.  a and v are compared in their promoted dtype. */
KILN_API kiln_expr *kiln_searchsorted(kiln_ctx *ctx, kiln_expr *a, kiln_expr *v, int right);
/* One-hot rows: labels[..., None] == arange(k), as dt (a new last axis of length k).  Labels
 * outside [0, k) give a row of zeros, as jax.nn.one_hot; labels must be integers. */
KILN_API kiln_expr *kiln_one_hot(kiln_ctx *ctx, kiln_expr *labels, int64_t k, kiln_dtype dt);

/* ---------------------------------------------------------------- compositions
 * NumPy's and the ML world's everyday functions, built from the ops above (so they fuse):
 * sigmoid 1/(1+exp(-x)); relu maximum(x, 0); softmax, log_softmax and logsumexp along an axis,
 * with the maximum subtracted first (stable); clip(x, lo, hi) = minimum(maximum(x, lo), hi)
 * (lo or hi NULL: no bound on that side, so a bound from a builder that can fail is checked
 * before it is passed);
 * square x*x; round to `decimals` places, halves to even (np.round). */
KILN_API kiln_expr *kiln_sigmoid(kiln_ctx *ctx, kiln_expr *x);
KILN_API kiln_expr *kiln_relu(kiln_ctx *ctx, kiln_expr *x);
KILN_API kiln_expr *kiln_softmax(kiln_ctx *ctx, kiln_expr *x, int axis);
KILN_API kiln_expr *kiln_log_softmax(kiln_ctx *ctx, kiln_expr *x, int axis);
KILN_API kiln_expr *kiln_logsumexp(kiln_ctx *ctx, kiln_expr *x, unsigned axes, int keepdims);
/* softmax and log_softmax over several axes at once (bit d of axes for axis d). */
KILN_API kiln_expr *kiln_softmax_axes(kiln_ctx *ctx, kiln_expr *x, unsigned axes);
KILN_API kiln_expr *kiln_log_softmax_axes(kiln_ctx *ctx, kiln_expr *x, unsigned axes);
KILN_API kiln_expr *kiln_clip(kiln_ctx *ctx, kiln_expr *x, kiln_expr *lo, kiln_expr *hi);
KILN_API kiln_expr *kiln_square(kiln_ctx *ctx, kiln_expr *x);
KILN_API kiln_expr *kiln_round(kiln_ctx *ctx, kiln_expr *x, int decimals);

/* ---------------------------------------------------------------- gradients
 * Reverse-mode automatic differentiation.  kiln_grad builds the gradients of a 0-d floating-point
 * loss with respect to wrt[0..n) (leaves — arrays, placeholders — or any node of the loss's graph;
 * an expression that a view or reshape rebuilt on its arrays' views is not one, and is refused)
 * as ordinary expressions: grads[i] has wrt[i]'s shape and dtype, and evaluating the loss and
 * its gradients together (kiln_eval_many) runs one fused plan.  The rules are JAX's: broadcasting
 * is undone by sums, ties of max, min, maximum and minimum share the gradient equally, prod's is
 * exact at zeros; comparisons, floor, ceil, rint, sign, floor_divide, the predicates and every
 * integer or bool value pass no gradient (zero), and integer or bool wrt are refused.  Gradients
 * of gradients work the same way (they are graphs too).  cumprod's gradient divides by x: not
 * defined where x has zeros.  On failure every grads[i] is NULL.
 * kiln_vjp is the same for an output of any shape with a seed (the output's adjoint, broadcast
 * to its shape): grads[i] = seedᵀ·∂out/∂wrt[i]. */
KILN_API kiln_status kiln_grad(kiln_ctx *ctx, kiln_expr *loss, int n, kiln_expr *const *wrt, kiln_expr **grads);
KILN_API kiln_status kiln_vjp(kiln_ctx *ctx, kiln_expr *out, kiln_expr *seed, int n, kiln_expr *const *wrt, kiln_expr **grads);

KILN_API kiln_expr *kiln_expr_retain(kiln_expr *e); /* returns e; one more reference */
KILN_API void kiln_expr_free(kiln_expr *e);         /* drops one reference; NULL is a no-op */

KILN_API kiln_op kiln_expr_op(const kiln_expr *e);
KILN_API kiln_dtype kiln_expr_dtype(const kiln_expr *e);
KILN_API int kiln_expr_ndim(const kiln_expr *e);
KILN_API const int64_t *kiln_expr_shape(const kiln_expr *e); /* ndim entries; owned by e */
/* The array a VAR node reads (borrowed), or NULL for any other node. */
KILN_API kiln_array *kiln_expr_array(const kiln_expr *e);
/* Whether e is a constant scalar; if so its value as a double and as an integer. */
KILN_API int kiln_expr_scalar(const kiln_expr *e, double *f, int64_t *i);

/* Op metadata from KILN_OPS: NumPy name ("multiply"), arity, operator spelling ("*" or ""). */
KILN_API const char *kiln_op_name(kiln_op op);
KILN_API int kiln_op_arity(kiln_op op);
KILN_API const char *kiln_op_symbol(kiln_op op);

/* The transpose (NumPy's .T: dimensions reversed; a 1-D or 0-D expression is itself): a view,
 * as kiln_permute. */
KILN_API kiln_expr *kiln_transpose(kiln_ctx *ctx, kiln_expr *x);

/* ---------------------------------------------------------------- .npy files */

/* Reads a NumPy .npy file (format 1.0-3.0, either byte order, C or Fortran order) into a new
 * array, as np.load.  Returns a new reference, or NULL with KILN_ERR_IO and a message naming
 * the problem. */
KILN_API kiln_array *kiln_load_npy(kiln_ctx *ctx, const char *path);
/* The same, with a file in this machine's byte order mapped copy-on-write rather than read, as
 * np.load's mmap_mode='c': no copy (the pages are read when first used; writes stay in memory),
 * but the array is the file's, and a program rewriting or truncating the file in place changes
 * its values or kills this process with SIGBUS when it reads a page the file lost. */
KILN_API kiln_array *kiln_map_npy(kiln_ctx *ctx, const char *path);
/* Writes a in C order as .npy 1.0, through a temporary file renamed into place: on failure no
 * file is left behind and an existing file at path is untouched. */
KILN_API kiln_status kiln_save_npy(kiln_ctx *ctx, const char *path, kiln_array *a);

/* ---------------------------------------------------------------- expression strings */

/* Names bound to arrays, for kiln_parse.  The scope holds a reference to each bound array. */
typedef struct kiln_scope kiln_scope;
KILN_API kiln_scope *kiln_scope_new(kiln_ctx *ctx);   /* NULL when out of memory */
KILN_API void kiln_scope_free(kiln_scope *s);          /* releases every binding */
/* Binds name to a (retained), replacing and releasing any earlier binding.  name must be one a
 * program can write (a letter, _ or a UTF-8 character first, then those or digits). */
KILN_API kiln_status kiln_scope_set(kiln_scope *s, const char *name, kiln_array *a);
KILN_API kiln_array *kiln_scope_get(const kiln_scope *s, const char *name); /* borrowed, or NULL */
KILN_API int kiln_scope_count(const kiln_scope *s);
KILN_API const char *kiln_scope_name(const kiln_scope *s, int i); /* i-th name in binding order */
/* Binds name to a Python number: a 0-d float64, int64 or bool array (retained), read by
 * expressions as NumPy reads a Python scalar (2.5 * x keeps a float32 x float32). */
KILN_API kiln_status kiln_scope_set_number(kiln_scope *s, const char *name, kiln_array *a);
/* Binds name to the value of a literal: Python numbers, strings and None, in tuples and lists
 * nested as the text has them ("(1, 2)", "('float32', None)", "[[0, 1], 2.5]", "'C'", "None"), as
 * Python's values are read (x[t] of a tuple t indexes as x[1, 2] does; sum(x, axis=t)).  An error
 * with its position for any other text. */
KILN_API kiln_status kiln_scope_set_literal(kiln_scope *s, const char *name, const char *text);
/* Seeds np.random's legacy generator (MT19937) behind rand(), randn() ... in expressions parsed
 * with s, as np.random.seed(seed) does, so they give NumPy's numbers (a seed past 32 bits as
 * np.random.seed([low 32 bits, high 32 bits])).  A new scope's is seeded from the operating
 * system's entropy, as NumPy's is. */
KILN_API void kiln_scope_seed(kiln_scope *s, uint64_t seed);

/* Parses one expression in Python's syntax with NumPy's names: operators with Python's
 * precedence, int/float/True/False literals, names from scope, calls of every op by its NumPy
 * name, casts float32(x) ... bool(x), x.T, and the constructors zeros ones arange linspace rand
 * randn load("f.npy").  Returns a new reference, or NULL with an error whose kiln_error_offset
 * is the byte offset of the offending token in src.  The expression reads the scope's arrays at
 * each evaluation (an index computed from them, x[argmax(v)], too), but what the parse itself
 * must know is read once, at the parse: a shape (x[v[0] > 0], x[:int(n[0])]), a condition
 * (a if c else b), int(x), float(x); evaluated again, the expression keeps those values
 * (kiln_parse_params says so through *reusable). */
KILN_API kiln_expr *kiln_parse(kiln_ctx *ctx, kiln_scope *scope, const char *src);
/* The same for src[0..len): for statements that embed an expression in a longer line. */
KILN_API kiln_expr *kiln_parse_n(kiln_ctx *ctx, kiln_scope *scope, const char *src, size_t len);

/* Parses src as kiln_parse does, reading every array name of scope through a placeholder
 * (kiln_param of the array's dtype and shape, bound to it): the expression can be evaluated
 * again for other arrays of the same dtypes and shapes by rebinding its placeholders
 * (kiln_bind), with neither parsing nor planning.  The placeholders go to params (new
 * references, at most cap) and the scope index of each one's name to which; *n gets their
 * number.  An array the scope holds under two names is one variable (grad's) and one placeholder,
 * listed once under the first name's index: the expression is then for one array under both
 * names.  Python numbers (kiln_scope_set_number) are read as their values.  *reusable is false
 * when the value depends on more than its names (rand(), load()).  Returns a new reference, or
 * NULL with an error as kiln_parse's. */
KILN_API kiln_expr *kiln_parse_params(kiln_ctx *ctx, kiln_scope *scope, const char *src, int cap, kiln_expr **params,
                                      int *which, int *n, int *reusable);
/* The same for a text that may be a tuple of values ("a*b, sum(a*b)"): its values (each an
 * array expression) go to values (new references, at most cap_values), over one set of
 * placeholders, so that kiln_eval_many computes what they share once.  Returns the number of
 * values (1 for a text that is not a tuple), or -1 with an error.  With cap_values 1 the text is
 * read as kiln_parse_params reads it: one value, where a tuple is an array, as np.array's. */
KILN_API int kiln_parse_params_many(kiln_ctx *ctx, kiln_scope *scope, const char *src, int cap_values, kiln_expr **values,
                                    int cap, kiln_expr **params, int *which, int *n, int *reusable);
/* The same, and *tuple is 1 when the value is a tuple, 0 otherwise: a tuple of one value
 * (nonzero(x) of a 1-D x, "(a*b,)") is one value too, but NumPy's caller wants it as a tuple
 * (with cap_values of 2 or more: with 1 there are no tuples, as above). */
KILN_API int kiln_parse_params_tuple(kiln_ctx *ctx, kiln_scope *scope, const char *src, int cap_values, kiln_expr **values,
                                     int cap, kiln_expr **params, int *which, int *n, int *reusable, int *tuple);
/* The same for a value of any nesting, as Python's caller would have it: every array of the
 * value (a tuple's and a list's items, nested ones too, in order) goes to values (at most
 * cap_values), and form (room for cap_form bytes, NUL-terminated) gets the value's form: 'v' for
 * an array, 'n' for None, "(...)" around a tuple's items and "[...]" around a list's.  "v" is one
 * array; "(vv)" a pair (x, x + 1); "(v)" a tuple of one; "[vvv]" np.split(x, 3)'s list;
 * "((vv)[v]n)" ((x, y), [z], None).  A named tuple's bracket is followed by its name and
 * fields: "(<SVDResult U S Vh>vvv)" for svd(M).  Returns the number of values, or -1 with an error. */
KILN_API int kiln_parse_params_form(kiln_ctx *ctx, kiln_scope *scope, const char *src, int cap_values, kiln_expr **values,
                                    char *form, int cap_form, int cap, kiln_expr **params, int *which, int *n, int *reusable);

/* ---------------------------------------------------------------- evaluation */

/* Evaluates e into out, which must have e's shape and dtype (any strides; out may be an input
 * of e: overlapping memory is handled as NumPy does).  Compiles on the first call for this
 * kernel structure; later calls with any sizes reuse the compiled kernel. */
KILN_API kiln_status kiln_eval_into(kiln_ctx *ctx, kiln_expr *e, kiln_array *out);
/* Evaluates e into a new C-ordered array (a new reference), or returns NULL. */
KILN_API kiln_array *kiln_eval(kiln_ctx *ctx, kiln_expr *e);
/* Evaluates n expressions together into outs (as kiln_eval_into each): what they share is
 * computed once (a training step's gradients, say).  outs[i] may be NULL, and then receives a
 * new array that the caller owns (on failure every such outs[i] is left NULL).  An expression
 * given twice is computed once, its value copied into the second output.  An output may be an
 * input of the expressions: every value is computed from the inputs as they were before the
 * call (as a tuple assignment's, x, y = x - x.mean(), x * 2), then written. */
KILN_API kiln_status kiln_eval_many(kiln_ctx *ctx, int n, kiln_expr *const *exprs, kiln_array **outs);

/* What kiln did with e, as text: KILN_DUMP_GRAPH (the graph after CSE and simplification),
 * KILN_DUMP_KERNELS (the fused kernels), KILN_DUMP_LLVM (optimized LLVM IR of each kernel),
 * KILN_DUMP_ASM (its machine code), KILN_DUMP_SOURCE (whatever the context's backend makes of
 * each kernel: LLVM IR, CUDA C, or the interpreter's program), KILN_DUMP_CUDA (the CUDA C of
 * each kernel whatever the context's backend: needs a build with the CUDA backend, not a GPU).
 * LLVM IR and assembly need a backend that has them.  Returns a string the caller frees with
 * kiln_string_free, or NULL. */
enum { KILN_DUMP_GRAPH = 1, KILN_DUMP_KERNELS = 2, KILN_DUMP_LLVM = 4, KILN_DUMP_ASM = 8, KILN_DUMP_SOURCE = 16,
       KILN_DUMP_CUDA = 32 };
KILN_API char *kiln_dump(kiln_ctx *ctx, kiln_expr *e, int what);
KILN_API void kiln_string_free(char *s);

#ifdef __cplusplus
}
#endif
#endif /* KILN_H */
