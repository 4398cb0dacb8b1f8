/*
 * base.c — the ground floor's functions: per-thread errors, allocation through the context's
 * hook, growable strings, dtype and op metadata, the clock and kernel names.
 *
 * Pipeline position: under everything; nothing here knows about graphs, kernels or contexts
 * beyond their kiln_base head.
 */
#include "base.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------------ errors */

/* This thread's last error, tagged with the context it belongs to. */
static _Thread_local kiln_error_kept tl_err;

void kiln_error_keep(kiln_error_kept *k) { *k = tl_err; }
void kiln_error_restore(const kiln_error_kept *k) { tl_err = *k; }

static kiln_status vfail(const kiln_ctx *ctx, kiln_status st, int64_t off, const char *fmt, va_list ap) {
    tl_err.ctx = ctx;
    tl_err.st = st;
    tl_err.offset = off;
    vsnprintf(tl_err.msg, sizeof tl_err.msg, fmt, ap);
    return st;
}

kiln_status kiln_fail(const kiln_ctx *ctx, kiln_status st, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vfail(ctx, st, -1, fmt, ap);
    va_end(ap);
    return st;
}

kiln_status kiln_fail_at(const kiln_ctx *ctx, kiln_status st, int64_t offset, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vfail(ctx, st, offset, fmt, ap);
    va_end(ap);
    return st;
}

kiln_status kiln_errcode(const kiln_ctx *ctx) { return tl_err.ctx == ctx ? tl_err.st : KILN_OK; }
const char *kiln_errmsg(const kiln_ctx *ctx) {
    return tl_err.ctx == ctx && tl_err.st != KILN_OK ? tl_err.msg : "no error";
}
int64_t kiln_error_offset(const kiln_ctx *ctx) {
    return tl_err.ctx == ctx && tl_err.st != KILN_OK ? tl_err.offset : -1;
}
void kiln_clear_error(const kiln_ctx *ctx) {
    if (tl_err.ctx == ctx) tl_err.st = KILN_OK;
}
void kiln_forget_errors(const kiln_ctx *ctx) {
    if (tl_err.ctx == ctx) tl_err.ctx = NULL;
}

const char *linalg_fn_name(int fn) {
    static const char *const names[KILN_LA_COUNT] = {"solve", "inv", "det", "slogdet", "slogdet", "cholesky", "eigvalsh",
                                                     "eigh", "svd", "svd", "svd", "qr", "qr"};
    return fn >= 0 && fn < KILN_LA_COUNT ? names[fn] : "linalg";
}

const char *kiln_status_str(kiln_status st) {
    static const char *const names[KILN_STATUS_COUNT] = {
        [KILN_OK] = "ok",
        [KILN_ERR_NOMEM] = "out of memory",
        [KILN_ERR_ARG] = "invalid argument",
        [KILN_ERR_SHAPE] = "shape mismatch",
        [KILN_ERR_DTYPE] = "unsupported dtype",
        [KILN_ERR_SYNTAX] = "syntax error",
        [KILN_ERR_NAME] = "unknown name",
        [KILN_ERR_COMPILE] = "compilation failed",
        [KILN_ERR_BACKEND] = "backend unavailable",
        [KILN_ERR_IO] = "I/O error",
        [KILN_ERR_INTERRUPTED] = "interrupted",
        [KILN_ERR_INDEX] = "index out of bounds",
        [KILN_ERR_LINALG] = "linear algebra error",
    };
    return (unsigned)st < KILN_STATUS_COUNT ? names[st] : "unknown status";
}

/* ------------------------------------------------------------------ allocation */

void *kiln_default_alloc(void *ud, void *p, size_t n) {
    KILN_UNUSED(ud);
    if (n == 0) {
        free(p);
        return NULL;
    }
    return realloc(p, n);
}

void *kiln_realloc(kiln_ctx *ctx, void *p, size_t n) {
    kiln_base *b = kiln_base_of(ctx);
    void *q = b->alloc(b->alloc_ud, p, n ? n : 1);
    if (!q) kiln_fail(ctx, KILN_ERR_NOMEM, "out of memory (%zu bytes)", n);
    return q;
}
void *kiln_malloc(kiln_ctx *ctx, size_t n) { return kiln_realloc(ctx, NULL, n); }
void *kiln_calloc(kiln_ctx *ctx, size_t n) {
    void *p = kiln_malloc(ctx, n);
    if (p) memset(p, 0, n);
    return p;
}
void kiln_free(kiln_ctx *ctx, void *p) {
    kiln_base *b = kiln_base_of(ctx);
    if (p) b->alloc(b->alloc_ud, p, 0);
}
char *kiln_strdup(kiln_ctx *ctx, const char *s) {
    size_t n = strlen(s) + 1;
    char *d = kiln_malloc(ctx, n);
    if (d) memcpy(d, s, n);
    return d;
}
bool kiln_grow(kiln_ctx *ctx, void **p, uint32_t *cap, uint32_t need, size_t elem) {
    if (need <= *cap) return true;
    uint32_t nc = *cap ? *cap * 2 : 16;
    while (nc < need) nc *= 2;
    void *q = kiln_realloc(ctx, *p, (size_t)nc * elem);
    if (!q) return false;
    *p = q;
    *cap = nc;
    return true;
}

/* ------------------------------------------------------------------ strings */

/* Room in b for n more characters and the terminator; false (b marked) when memory ran out. */
static bool kstr_room(kstr *b, size_t n) {
    if (b->oom) return false;
    if (b->len + n + 1 <= b->cap) return true;
    size_t nc = b->cap ? b->cap : 256;
    while (nc < b->len + n + 1) nc *= 2;
    char *s = realloc(b->s, nc);
    if (!s) {
        b->oom = true;
        return false;
    }
    b->s = s;
    b->cap = nc;
    return true;
}
void kstr_putn(kstr *b, const char *s, size_t n) {
    bool inside = b->s && s >= b->s && s < b->s + b->len; /* (b's own characters: where they are after growing) */
    size_t at = inside ? (size_t)(s - b->s) : 0;
    if (!kstr_room(b, n)) return;
    if (inside) s = b->s + at;
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = 0;
}
void kstr_puts(kstr *b, const char *s) { kstr_putn(b, s, strlen(s)); }
void kstr_printf(kstr *b, const char *fmt, ...) {
    if (b->oom) return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !kstr_room(b, (size_t)n)) return;
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}
void kstr_free(kstr *b) {
    free(b->s);
    memset(b, 0, sizeof *b);
}
void kiln_string_free(char *s) { free(s); }

/* ------------------------------------------------------------------ dtypes */

const char *kiln_dtype_name(kiln_dtype dt) {
    static const char *const n[KILN_DTYPE_COUNT] = {"bool", "int32", "int64", "float32", "float64", "uint8", "int8", "int16", "uint16", "uint32"};
    return dtype_valid(dt) ? n[dt] : "invalid";
}
size_t kiln_dtype_size(kiln_dtype dt) { return dtype_bytes(dt); }

/* NumPy's rules: bool gives way to anything; integers of one signedness take the wider; a signed
 * and an unsigned integer take the signed one if it is wider, else the signed integer twice the
 * unsigned one's width (uint32 and int32: int64); an integer of 1 or 2 bytes keeps float32, wider
 * ones make float64. */
kiln_dtype dtype_promote(kiln_dtype a, kiln_dtype b) {
    if (a == b || b == KILN_BOOL) return a;
    if (a == KILN_BOOL) return b;
    size_t sa = kiln_dtype_size(a), sb = kiln_dtype_size(b);
    if (dtype_is_float(a) || dtype_is_float(b)) {
        if (a == KILN_F64 || b == KILN_F64) return KILN_F64;
        size_t si = dtype_is_float(a) ? sb : sa; /* the integer's width, the other being float32 */
        return dtype_is_float(a) && dtype_is_float(b) ? KILN_F32 : si <= 2 ? KILN_F32 : KILN_F64;
    }
    if (dtype_is_unsigned(a) == dtype_is_unsigned(b)) return sa >= sb ? a : b;
    kiln_dtype s = dtype_is_unsigned(a) ? b : a, u = dtype_is_unsigned(a) ? a : b;
    if (kiln_dtype_size(s) > kiln_dtype_size(u)) return s;
    return u == KILN_U8 ? KILN_I16 : u == KILN_U16 ? KILN_I32 : KILN_I64;
}

/* ------------------------------------------------------------------ op metadata */

const op_kind kiln_op_kind[KILN_OP_COUNT] = {
    [KILN_OP_VAR] = KIND_LEAF, [KILN_OP_CONST] = KIND_LEAF, [KILN_OP_PARAM] = KIND_LEAF, [KILN_OP_CAST] = KIND_CAST,
#define X(E, b, np, ar, k, sp, cf) [KILN_OP_##E] = KIND_##k,
    KILN_OPS(X)
#undef X
#define X(E, b, np, k) [KILN_OP_##E] = KIND_##k,
    KILN_STRUCT_OPS(X)
#undef X
};
const char *const kiln_op_cfunc[KILN_OP_COUNT] = {
    [KILN_OP_VAR] = "", [KILN_OP_CONST] = "", [KILN_OP_PARAM] = "", [KILN_OP_CAST] = "",
#define X(E, b, np, ar, k, sp, cf) [KILN_OP_##E] = cf,
    KILN_OPS(X)
#undef X
#define X(E, b, np, k) [KILN_OP_##E] = "",
    KILN_STRUCT_OPS(X)
#undef X
};
const kiln_op reduce_combine_op[KILN_OP_COUNT] = {
    [KILN_OP_SUM] = KILN_OP_ADD, [KILN_OP_PROD] = KILN_OP_MUL, [KILN_OP_MAX] = KILN_OP_MAXIMUM,
    [KILN_OP_MIN] = KILN_OP_MINIMUM, [KILN_OP_ANY] = KILN_OP_OR, [KILN_OP_ALL] = KILN_OP_AND,
};
static const char *const op_names[KILN_OP_COUNT] = {
    [KILN_OP_VAR] = "var", [KILN_OP_CONST] = "const", [KILN_OP_PARAM] = "param", [KILN_OP_CAST] = "astype",
#define X(E, b, np, ar, k, sp, cf) [KILN_OP_##E] = np,
    KILN_OPS(X)
#undef X
#define X(E, b, np, k) [KILN_OP_##E] = np,
    KILN_STRUCT_OPS(X)
#undef X
};
static const char *const op_symbols[KILN_OP_COUNT] = {
    [KILN_OP_VAR] = "", [KILN_OP_CONST] = "", [KILN_OP_PARAM] = "", [KILN_OP_CAST] = "",
#define X(E, b, np, ar, k, sp, cf) [KILN_OP_##E] = sp,
    KILN_OPS(X)
#undef X
#define X(E, b, np, k) [KILN_OP_##E] = "",
    KILN_STRUCT_OPS(X)
#undef X
};
static const int op_arity[KILN_OP_COUNT] = {
    [KILN_OP_VAR] = 0, [KILN_OP_CONST] = 0, [KILN_OP_PARAM] = 0, [KILN_OP_CAST] = 1,
#define X(E, b, np, ar, k, sp, cf) [KILN_OP_##E] = ar,
    KILN_OPS(X)
#undef X
#define X(E, b, np, k) [KILN_OP_##E] = (KIND_##k == KIND_MATMUL || KIND_##k == KIND_CONCAT || KIND_##k == KIND_GATHER || KIND_##k == KIND_SCATTER ? 2 : 1),
    KILN_STRUCT_OPS(X)
#undef X
};

const char *kiln_op_name(kiln_op op) { return (unsigned)op < KILN_OP_COUNT ? op_names[op] : "?"; }
int kiln_op_arity(kiln_op op) { return (unsigned)op < KILN_OP_COUNT ? op_arity[op] : -1; }
const char *kiln_op_symbol(kiln_op op) { return (unsigned)op < KILN_OP_COUNT ? op_symbols[op] : ""; }

/* ------------------------------------------------------------------ clock and names */

uint64_t kiln_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

double kiln_room_mb(void) {
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY) return 1e18;
    char buf[64]; /* (read without malloc, which is what fails near the limit) */
    int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
    ssize_t got = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
    if (fd >= 0) close(fd);
    if (got <= 0) return 0; /* (no measure: no room) */
    buf[got] = 0;
    double pages = strtod(buf, NULL);
    return ((double)rl.rlim_cur - pages * (double)sysconf(_SC_PAGESIZE)) / 1048576.0;
}

void kiln_hash_name(char *buf, size_t cap, const char *prefix, const void *key, size_t len) {
    snprintf(buf, cap, "%s%016llx%016llx", prefix, (unsigned long long)kiln_hash_bytes(KILN_HASH_SEED, key, len),
             (unsigned long long)kiln_hash_bytes(KILN_HASH_SEED2, key, len));
}

/* ------------------------------------------------------------------ files */

int kiln_open_regular(const char *path, int extra, const char **why) {
    *why = NULL;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | extra);
    if (fd < 0) return -1;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        int e = errno;
        bool dir = S_ISDIR(st.st_mode);
        close(fd);
        *why = dir ? NULL : "not a regular file"; /* strerror(EISDIR) says it for a directory */
        errno = dir ? EISDIR : e ? e : EINVAL;
        if (!dir) errno = EINVAL;
        return -1;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0) fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    return fd;
}
