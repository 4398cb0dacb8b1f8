/*
 * cuda_corpus.h — the expressions the CUDA tests compile (test_cuda.c, without a GPU) and run
 * against the host (gpu_check.c, on one): every op × dtype, casts, strided, reversed, broadcast
 * and transposed operands, every reduction over every axis, and seeded random trees, over the
 * variables b i j f d u c h w k (1-D: bool, int32, int64, float32, float64, uint8, int8, int16,
 * uint16, uint32) and B I J F D U C H W K (5 × 7).
 */
#ifndef KILN_TEST_CUDA_CORPUS_H
#define KILN_TEST_CUDA_CORPUS_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiln.h"

/* random_expr nests snprintf into fixed buffers: a deep tree is cut short, which is harmless */
#pragma GCC diagnostic ignored "-Wformat-truncation"

static kiln_array *filled(kiln_ctx *ctx, kiln_dtype dt, int ndim, const int64_t *shape, int salt) {
    kiln_array *a = kiln_array_new(ctx, dt, ndim, shape);
    int64_t n = 1;
    for (int d = 0; d < ndim; d++) n *= shape[d];
    char *p = kiln_array_data(a);
    for (int64_t i = 0; i < n; i++) {
        int64_t v = (i * 7 + salt) % 11 - 5;
        if (dt == KILN_BOOL) p[i] = (char)(v > 0);
        else if (dt == KILN_U8) ((uint8_t *)p)[i] = (uint8_t)((v + 5) * 25);
        else if (dt == KILN_U16) ((uint16_t *)(void *)p)[i] = (uint16_t)((v + 5) * 6553);
        else if (dt == KILN_U32) ((uint32_t *)(void *)p)[i] = (uint32_t)((v + 5) * 429496729);
        else if (dt == KILN_I8) ((int8_t *)p)[i] = (int8_t)(v * 25);
        else if (dt == KILN_I16) ((int16_t *)(void *)p)[i] = (int16_t)v;
        else if (dt == KILN_I32) ((int32_t *)(void *)p)[i] = (int32_t)v;
        else if (dt == KILN_I64) ((int64_t *)(void *)p)[i] = v;
        else if (dt == KILN_F32) ((float *)(void *)p)[i] = (float)v * 0.25f;
        else ((double *)(void *)p)[i] = (double)v * 0.25;
    }
    return a;
}

/* b i j f d u c h w k: 1-D arrays of n bool, int32, int64, float32, float64, uint8, int8, int16,
 * uint16, uint32 (kiln_dtype's order); B I J F D U C H W K: rows × cols of the same.  (The corpus slices them as if n >= 37, rows >= 5 and cols >= 7: smaller sizes give
 * shorter or empty slices, which is what size tests want.) */
static kiln_scope *corpus_scope_sized(kiln_ctx *ctx, int64_t n, int64_t rows, int64_t cols) {
    kiln_scope *s = kiln_scope_new(ctx);
    static const char *const small[KILN_DTYPE_COUNT] = {"b", "i", "j", "f", "d", "u", "c", "h", "w", "k"};
    static const char *const big[KILN_DTYPE_COUNT] = {"B", "I", "J", "F", "D", "U", "C", "H", "W", "K"};
    int64_t m[2] = {rows, cols};
    for (int t = 0; t < KILN_DTYPE_COUNT; t++) {
        kiln_array *a = filled(ctx, (kiln_dtype)t, 1, &n, t), *A = filled(ctx, (kiln_dtype)t, 2, m, t + 3);
        kiln_scope_set(s, small[t], a);
        kiln_scope_set(s, big[t], A);
        kiln_array_free(a);
        kiln_array_free(A);
    }
    return s;
}
static kiln_scope *corpus_scope(kiln_ctx *ctx) { return corpus_scope_sized(ctx, 37, 5, 7); }

typedef struct corpus {
    char **v;
    int n, cap;
} corpus;

static void corpus_add(corpus *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void corpus_add(corpus *c, const char *fmt, ...) {
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 256;
        c->v = realloc(c->v, (size_t)c->cap * sizeof *c->v);
    }
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    c->v[c->n++] = strdup(buf);
}

/* A random expression over f, d, i and j of depth up to depth (seeded: the same every run). */
static void random_expr(uint64_t *seed, int depth, char *out, size_t cap) {
    static const char *const leaves[] = {"f", "d", "i", "j", "2", "0.5", "f[::-1]", "d[::-1]"};
    static const char *const un[] = {"sin", "exp", "abs", "sqrt", "tanh", "log1p", "floor", "negative", "sign", "cos"};
    static const char *const bin[] = {"+", "-", "*", "/", "//", "%", "**"};
    static const char *const fn2[] = {"maximum", "minimum", "arctan2"};
    *seed = *seed * 6364136223846793005ull + 1442695040888963407ull;
    unsigned r = (unsigned)(*seed >> 33);
    if (depth == 0 || r % 5 == 0) {
        snprintf(out, cap, "%s", leaves[r / 5 % 6]);
        return;
    }
    char a[180], b[180];
    random_expr(seed, depth - 1, a, sizeof a);
    if (r % 3 == 0) {
        snprintf(out, cap, "%s(%s)", un[r / 3 % 10], a);
        return;
    }
    random_expr(seed, depth - 1, b, sizeof b);
    if (r % 3 == 1) snprintf(out, cap, "(%s %s %s)", a, bin[r / 3 % 7], b);
    else snprintf(out, cap, "%s(%s, %s)", fn2[r / 3 % 3], a, b);
}

static corpus make_corpus(void) {
    corpus c = {0};
    static const char *const v[KILN_DTYPE_COUNT] = {"b", "i", "j", "f", "d", "u", "c", "h", "w", "k"};
    static const char *const M[KILN_DTYPE_COUNT] = {"B", "I", "J", "F", "D", "U", "C", "H", "W", "K"};
    static const char *const ops[] = {"+", "-", "*", "/", "//", "%", "**", "==", "!=", "<", "<=", ">", ">=", "&", "|", "^", "<<", ">>"};
    static const char *const f2[] = {"maximum", "minimum", "arctan2", "fmod", "hypot", "copysign"};
    static const char *const f1[] = {"negative", "abs", "sign", "floor", "ceil", "sqrt", "exp", "expm1", "exp2", "log", "log1p", "log2",
                                     "log10", "sin", "cos", "tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh",
                                     "arcsinh", "arccosh", "arctanh", "cbrt", "rint", "positive", "isnan", "isinf", "isfinite", "invert"};
    static const char *const red[] = {"sum", "prod", "max", "min", "argmax", "argmin", "any", "all"};
    enum { T = KILN_DTYPE_COUNT };
    for (int t = 0; t < T; t++) {
        /* int8, int16, uint16 and uint32 (after uint8) take fewer of the functions and layouts: a float
         * function of an integer is that of its cast, and the layouts' code is every dtype's */
        bool few = t > KILN_U8;
        if (few) { /* the operators a few to a kernel: every one's code, in fewer compiles */
            const char *x = v[t];
            corpus_add(&c, "(%s + %s) - %s * %s // (%s %% %s) + %s ** %s", x, x, x, x, x, x, x, x);
            corpus_add(&c, "(%s == %s) | (%s != %s) & (%s < %s) ^ (%s <= %s) | (%s > %s) & (%s >= %s)", x, x, x, x, x, x, x, x, x, x, x, x);
            corpus_add(&c, "(%s & %s) | (%s ^ %s) | (%s << %s) | (%s >> %s)", x, x, x, x, x, x, x, x);
            corpus_add(&c, "%s / %s", x, x);
        } else {
            for (size_t o = 0; o < sizeof ops / sizeof *ops; o++) corpus_add(&c, "%s %s %s", v[t], ops[o], v[t]);
        }
        for (size_t o = 0; o < (few ? 2 : sizeof f2 / sizeof *f2); o++) corpus_add(&c, "%s(%s, %s)", f2[o], v[t], v[t]);
        if (few) corpus_add(&c, "fmod(%s, %s)", v[t], v[t]);
        for (size_t o = 0; o < sizeof f1 / sizeof *f1; o++)
            if (!few || o < 5 || o >= sizeof f1 / sizeof *f1 - 2) corpus_add(&c, "%s(%s)", f1[o], v[t]);
        if (!few) /* ldexp, nextafter and frexp's exponent in one kernel */
            corpus_add(&c, "ldexp(%s, j) + nextafter(%s, %s[::-1]) + frexp(%s)[1]", v[t], v[t], v[t], v[t]);
        for (int u = 0; u < T; u++) corpus_add(&c, "%s.astype(%s)", v[t], kiln_dtype_name((kiln_dtype)u));
        corpus_add(&c, "where(b, %s, %s[::-1])", v[t], v[t]);
        /* layouts: strided, reversed, broadcast, transposed, a scalar, mixed dtypes */
        corpus_add(&c, "%s[::2] * %s[::-2]", v[t], v[t]);
        corpus_add(&c, "%s + %s[0]", M[t], M[t]);
        corpus_add(&c, "%s.T * %s.T", M[t], M[t]);
        corpus_add(&c, "%s[:, 2:3] - %s", M[t], M[t]);
        corpus_add(&c, "%s * 3 + %s", v[t], v[(t + 1) % T]);
        /* scans along every axis and layout; gathers by one index and by two, along each axis */
        corpus_add(&c, "cumsum(%s)", v[t]);
        if (few) {
            corpus_add(&c, "%s[j %% len(%s)]", v[t], v[t]);
            for (size_t r = 0; r < sizeof red / sizeof *red; r++) corpus_add(&c, "%s(%s, %d)", red[r], M[t], (int)r % 2);
            continue;
        }
        corpus_add(&c, "cumprod(%s, 0)", M[t]);
        corpus_add(&c, "cumsum(%s.T, 1)", M[t]);
        corpus_add(&c, "cumsum(%s[::-1, ::2], 0)", M[t]);
        corpus_add(&c, "%s[j %% len(%s)]", v[t], v[t]);
        corpus_add(&c, "%s[j[:7] %% %s.shape[0]]", M[t], M[t]);
        corpus_add(&c, "take(%s.T, j[:5] %% %s.shape[0], 1)", M[t], M[t]);
        corpus_add(&c, "%s[j %% %s.shape[0], i %% %s.shape[1]]", M[t], M[t], M[t]);
        for (size_t r = 0; r < sizeof red / sizeof *red; r++) {
            corpus_add(&c, "%s(%s)", red[r], M[t]);
            corpus_add(&c, "%s(%s, 0)", red[r], M[t]);
            corpus_add(&c, "%s(%s, 1)", red[r], M[t]);
            corpus_add(&c, "%s(%s * 2)", red[r], v[t]);
        }
    }
    corpus_add(&c, "d[j + 1000]"); /* an index out of bounds: refused on both */
    corpus_add(&c, "D[:, j[:2] - 7]");
    corpus_add(&c, "sum(d * d)");
    corpus_add(&c, "sum(D.T * 2, 1)");
    corpus_add(&c, "1 / (1 + exp(-(D @ D.T[:, 0]))) - d[:D.shape[0]]");
    /* stacks of products (a batch dim that broadcasts, a 1-D side), with work around them */
    corpus_add(&c, "sort(D * 2, 1) + argsort(F, 0)"); /* host steps of a device backend */
    corpus_add(&c, "median(D, 0) + sort(d)[:D.shape[1]]");
    corpus_add(&c, "svd(D, compute_uv=False) + slogdet(D[:, :5] @ D[:, :5].T + eye(5))[1] + eigvalsh(D @ D.T)"); /* LAPACK on the host */
    corpus_add(&c, "sum(solve(D[:, :5] + 5 * eye(5), D[:, 5:]), 1) + svd(D)[0][0] + qr(D)[1][:, 0]");
    corpus_add(&c, "stack([D, D * 2]) @ D.T + 1");
    corpus_add(&c, "sum(stack([F, F[::-1]]) @ F.T, 0)");
    corpus_add(&c, "d[:D.shape[1]] @ stack([D.T, exp(D.T)])");
    /* softmax rows (on a device: their reductions and maps) */
    corpus_add(&c, "softmax(D, 1)");
    corpus_add(&c, "softmax(F, 1)");
    corpus_add(&c, "softmax(F, 0)");
    corpus_add(&c, "log_softmax(D, 1)");
    corpus_add(&c, "log_softmax(F, 1)");
    corpus_add(&c, "logsumexp(F, 1)");
    corpus_add(&c, "softmax(D[None] * 2, 2)");
    corpus_add(&c, "softmax(D[:, :0], 1)");
    corpus_add(&c, "logsumexp(F[:, :0], 1)");
    corpus_add(&c, "softmax(d)");
    corpus_add(&c, "logsumexp(D)");
    uint64_t seed = 42;
    for (int k = 0; k < 60; k++) {
        char e[400];
        random_expr(&seed, 3, e, sizeof e);
        corpus_add(&c, "%s", e);
    }
    return c;
}

#endif
