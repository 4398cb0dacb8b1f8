/*
 * gpu_check.c — the CUDA backend on a GPU: what test_cuda.c cannot prove without one.
 * tools/gpu_check.sh builds it here and runs it on the GPU machine; plain C (no Check there).
 *
 *   gpu_check diff      every corpus expression (tests/cuda_corpus.h) on the GPU against the
 *                       interpreter at sizes 37/5×7, 0, 1, 31 and 2^20+3, results equal (integers
 *                       and bools bit for bit, floats within 16 ulp, float sums and products
 *                       within 1e-9 / 1e-3 relative); the same sum twice gives the same bits;
 *                       a bool array of 2^31 + 7 elements
 *                       (also: device-resident arrays; a second context from the disk cache
 *                       alone, a map's 64-bit kernel too; scans and gathers on the device, bit
 *                       for bit; each plan's kernels in one program)
 *   gpu_check small     diff at the small sizes and determinism, without 2^20+3 and 2^31+7:
 *                       what CTest's cuda_fake runs under the fake driver (tests/fakecuda/);
 *                       KILN_GPU_CHECK_STEP=n: every n-th corpus expression; with
 *                       KILN_GPU_CHECK_RESIDENT=0, not the device-resident arrays' check
 *   gpu_check plans     the plans' check alone
 *   gpu_check steps     the scans' and gathers' check alone
 *   gpu_check resident  the device-resident arrays' check alone
 *   gpu_check cache     one expression on the GPU, printing the context's disk-cache stats (the
 *                       script runs it cold, warm, corrupted, and twice at once)
 *   gpu_check first     the time to the first result of a new process: context creation, then
 *                       the first call (CUBIN from the disk cache when warm)
 *   gpu_check ptx_refused
 *                       an older driver's refusal of NVRTC's PTX as one sentence (the fake
 *                       driver only: CTest's cuda_fake_ptx)
 *   gpu_check libs      the backend's line and the NVRTC, cuBLAS and driver libraries it loaded
 *                       (CTest's cuda_fake_ptx: a CUDA 12 driver's NVRTC is tried first)
 *   gpu_check bench     kiln's side of the GPU benchmark: each case's time per call, whole
 *                       (with kiln's per-launch staging) — KILN_LOG=cuda-time splits it;
 *                       "bench maps": the element-wise cases alone, into GPU memory
 * Prints "PASS name" / "FAIL name: why" lines; exits 1 when anything failed.
 */
#include <dlfcn.h>
#include <ctype.h>
#include <link.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "cuda_corpus.h"

static int failures;

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static double ulp_diff(double a, double b, bool f32) {
    if (a == b || (a != a && b != b)) return 0;
    if (a != a || b != b || isinf(a) || isinf(b)) return INFINITY;
    double m = fmax(fabs(a), fabs(b)), u = f32 ? ldexp(1.0, ilogb(fmax(m, 1.1754943508222875e-38)) - 23)
                                                : ldexp(1.0, ilogb(fmax(m, 2.2250738585072014e-308)) - 52);
    return fabs(a - b) / u;
}

/* Whether g (the GPU's) equals c (the interpreter's); why into msg.  loose: sums and products in
 * another order; f32_fed: a float64 result of float32 values (exp(f) on each side within its ulp
 * bounds, then promoted: as precise as float32, and compared so). */
static bool same(const kiln_array *g, const kiln_array *c, bool loose, bool f32_fed, char *msg, size_t cap) {
    kiln_dtype dt = kiln_array_dtype(g);
    int nd = kiln_array_ndim(g);
    if (dt != kiln_array_dtype(c) || nd != kiln_array_ndim(c)) {
        snprintf(msg, cap, "dtype or rank differs");
        return false;
    }
    int64_t n = 1;
    for (int d = 0; d < nd; d++) {
        if (kiln_array_shape(g)[d] != kiln_array_shape(c)[d]) {
            snprintf(msg, cap, "shape differs");
            return false;
        }
        n *= kiln_array_shape(g)[d];
    }
    bool ok = true;
    for (int64_t i = 0; i < n && ok; i++) {
        /* element i in C order, through each array's strides */
        const char *p = kiln_array_data(g), *q = kiln_array_data(c);
        for (int64_t d = nd - 1, rem = i; d >= 0; d--) {
            int64_t ix = rem % kiln_array_shape(g)[d];
            rem /= kiln_array_shape(g)[d];
            p += ix * kiln_array_strides(g)[d];
            q += ix * kiln_array_strides(c)[d];
        }
        double x = 0, y = 0;
        switch (dt) {
        default: ok = !memcmp(p, q, kiln_dtype_size(dt)); break; /* bool and integers: the same bits */
        case KILN_F32:
            x = *(const float *)(const void *)p, y = *(const float *)(const void *)q;
            ok = loose ? (x == y || (x != x && y != y) || fabs(x - y) <= 1e-3 * fmax(1, fmax(fabs(x), fabs(y)))) : ulp_diff(x, y, true) <= 16;
            break;
        case KILN_F64:
        case KILN_DTYPE_COUNT:
            x = *(const double *)(const void *)p, y = *(const double *)(const void *)q;
            ok = loose ? (x == y || (x != x && y != y) || fabs(x - y) <= 1e-9 * fmax(1, fmax(fabs(x), fabs(y)))) : ulp_diff(x, y, f32_fed) <= 16;
            break;
        }
        if (!ok) snprintf(msg, cap, "element %lld differs", (long long)i);
        if (!ok && (dt == KILN_F32 || dt == KILN_F64)) snprintf(msg, cap, "element %lld differs: GPU %.17g, host %.17g", (long long)i, x, y);
    }
    return ok;
}

/* Whether the identifier name occurs in src (the corpus's float32 operands are f and F). */
static bool has_token(const char *src, const char *name) {
    size_t n = strlen(name);
    for (const char *p = strstr(src, name); p; p = strstr(p + 1, name)) {
        bool before = p > src && (isalnum((unsigned char)p[-1]) || p[-1] == '_' || p[-1] == '.');
        bool after = isalnum((unsigned char)p[n]) || p[n] == '_';
        if (!before && !after) return true;
    }
    return false;
}

/* An expression on the GPU and on the interpreter: the results (NULL where refused) and the
 * GPU's message, kept before the host's call (a thread's error is its last). */
typedef struct pair {
    kiln_expr *ge, *ce;
    kiln_array *gr, *cr;
    char gmsg[300];
} pair;

static void pair_run(pair *p, kiln_ctx *gpu, kiln_scope *gs, kiln_ctx *cpu, kiln_scope *cs, const char *src) {
    p->ge = kiln_parse(gpu, gs, src);
    p->gr = p->ge ? kiln_eval(gpu, p->ge) : NULL;
    snprintf(p->gmsg, sizeof p->gmsg, "%s", kiln_errmsg(gpu));
    p->ce = kiln_parse(cpu, cs, src);
    p->cr = p->ce ? kiln_eval(cpu, p->ce) : NULL;
}

static void pair_free(pair *p, kiln_ctx *gpu, kiln_ctx *cpu) {
    kiln_array_free(p->gr);
    kiln_array_free(p->cr);
    kiln_expr_free(p->ge);
    kiln_expr_free(p->ce);
    kiln_clear_error(gpu);
    kiln_clear_error(cpu);
}

static void diff_at(int64_t n, int64_t rows, int64_t cols) {
    kiln_ctx *gpu = kiln_ctx_new(&(kiln_config){.backend = "cuda"}), *cpu = kiln_ctx_new(&(kiln_config){.backend = "interp"});
    kiln_scope *gs = corpus_scope_sized(gpu, n, rows, cols), *cs = corpus_scope_sized(cpu, n, rows, cols);
    corpus c = make_corpus();
    int ran = 0, bad = 0;
    const char *st = getenv("KILN_GPU_CHECK_STEP"); /* every step-th expression (the fake driver's test) */
    int step = (st && atoi(st) > 0 ? atoi(st) : 1) * (getenv("KILN_CUDA_TEST_QUICK") ? 8 : 1); /* sanitizers: fewer */
    for (int k = 0; k < c.n; k++) {
        if (k % step) {
            free(c.v[k]);
            continue;
        }
        pair p;
        pair_run(&p, gpu, gs, cpu, cs, c.v[k]);
        kiln_array *gr = p.gr, *cr = p.cr;
        char msg[400] = "";
        /* sums fold in another order on the GPU (softmax's too: the host's row kernel sums in order) */
        bool loose = !strncmp(c.v[k], "sum(", 4) || !strncmp(c.v[k], "prod(", 5) || strstr(c.v[k], "@") || strstr(c.v[k], "softmax") ||
                     strstr(c.v[k], "logsumexp");
        if (!cr) {
            /* refused by the language (or the host): the GPU must refuse it too */
            if (gr) snprintf(msg, sizeof msg, "the GPU gave a result the host refused");
        } else if (!gr) {
            snprintf(msg, sizeof msg, "GPU: %s", p.gmsg);
        } else if (!same(gr, cr, loose, has_token(c.v[k], "f") || has_token(c.v[k], "F"), msg, sizeof msg)) {
        } else {
            ran++;
        }
        if (*msg && bad++ < 10) printf("FAIL diff n=%lld %s: %s\n", (long long)n, c.v[k], msg);
        pair_free(&p, gpu, cpu);
        free(c.v[k]);
    }
    free(c.v);
    printf("%s diff n=%lld rows=%lld cols=%lld: %d equal, %d differ\n", bad ? "FAIL" : "PASS", (long long)n, (long long)rows,
           (long long)cols, ran, bad);
    failures += bad != 0;
    kiln_scope_free(gs);
    kiln_scope_free(cs);
    kiln_ctx_free(gpu);
    kiln_ctx_free(cpu);
}

static void determinism(int64_t n, int64_t rows, int64_t cols) {
    kiln_ctx *gpu = kiln_ctx_new(&(kiln_config){.backend = "cuda"});
    kiln_scope *s = corpus_scope_sized(gpu, n, rows, cols);
    const char *ex[] = {"sum(d * d)", "sum(f * f)", "sum(D, 0)", "sum(F, 1)", "argmax(d)", "max(F, 1)"};
    for (size_t k = 0; k < sizeof ex / sizeof *ex; k++) {
        kiln_expr *e = kiln_parse(gpu, s, ex[k]);
        kiln_array *a = kiln_eval(gpu, e), *b = kiln_eval(gpu, e);
        bool ok = a && b && kiln_array_size(a) == kiln_array_size(b) &&
                  !memcmp(kiln_array_data(a), kiln_array_data(b), (size_t)kiln_array_size(a) * kiln_dtype_size(kiln_array_dtype(a)));
        printf("%s determinism %s\n", ok ? "PASS" : "FAIL", ex[k]);
        failures += !ok;
        kiln_array_free(a);
        kiln_array_free(b);
        kiln_expr_free(e);
    }
    kiln_scope_free(s);
    kiln_ctx_free(gpu);
}

/* Scans and gathers as the device runs them (enough lines, enough elements: see cuda_scan and
 * cuda_gather), against the interpreter bit for bit (a scan walks each line in order on both),
 * and a bad index refused in the host's words. */
static void steps(void) {
    kiln_ctx *gpu = kiln_ctx_new(&(kiln_config){.backend = "cuda"}), *cpu = kiln_ctx_new(&(kiln_config){.backend = "interp"});
    kiln_scope *gs = corpus_scope_sized(gpu, 3000, 70, 90), *cs = corpus_scope_sized(cpu, 3000, 70, 90);
    static const char *const ex[] = {
        "cumsum(D, 0)", "cumsum(F, 1)", "cumprod(D.T * 0.01 + 1, 1)", "cumsum(J, 0)", "cumprod(I, 1)", "cumsum(B, 0)",
        "cumsum(F[::-1, ::2], 0)", "d[j % len(d)]", "F[j[:100] % F.shape[0]]", "take(B.T, j[:20] % B.shape[0], 1)",
        "D[j % D.shape[0], i % D.shape[1]]", "I[-1 - j[:9] % I.shape[0]]", "cumsum(D[j[:80] % 70], 0)[-1] + 1",
        "d[j + 100000]", "F[:, j[:600] - 100]",
        /* whole rows moved 16 bytes at a time, from the end, and out of range; a scan of lines
         * enough for full blocks, each long enough for its batched loads */
        "reshape(f[:2800], (175, 16))[j % 175]", "reshape(f[:2800], (700, 4))[-1 - j % 700]", "reshape(f[:2800], (175, 16))[j + 175]",
        "cumsum(D[:, :1] * d[None, :2000], 0)",
    };
    for (size_t k = 0; k < sizeof ex / sizeof *ex; k++) {
        pair p;
        pair_run(&p, gpu, gs, cpu, cs, ex[k]);
        kiln_array *gr = p.gr, *cr = p.cr;
        const char *gmsg = p.gmsg;
        char msg[700] = "";
        if (!cr && gr) snprintf(msg, sizeof msg, "the GPU gave a result the host refused (%s)", kiln_errmsg(cpu));
        else if (!cr && strcmp(gmsg, kiln_errmsg(cpu)))
            snprintf(msg, sizeof msg, "refused in other words: GPU '%s', host '%s'", gmsg, kiln_errmsg(cpu));
        else if (cr && !gr) snprintf(msg, sizeof msg, "GPU: %s", gmsg);
        else if (cr && (kiln_array_size(gr) != kiln_array_size(cr) || kiln_array_dtype(gr) != kiln_array_dtype(cr) ||
                        memcmp(kiln_array_data(gr), kiln_array_data(cr), (size_t)kiln_array_size(cr) * kiln_dtype_size(kiln_array_dtype(cr)))))
            snprintf(msg, sizeof msg, "not the same bits");
        printf("%s step %s%s%s\n", *msg ? "FAIL" : "PASS", ex[k], *msg ? ": " : "", msg);
        failures += *msg != 0;
        pair_free(&p, gpu, cpu);
    }
    kiln_scope_free(gs);
    kiln_scope_free(cs);
    kiln_ctx_free(gpu);
    kiln_ctx_free(cpu);
}

static void huge(void) {
    kiln_ctx *gpu = kiln_ctx_new(&(kiln_config){.backend = "cuda"});
    int64_t n = ((int64_t)1 << 31) + 7;
    kiln_array *b = kiln_array_new(gpu, KILN_BOOL, 1, &n);
    if (!b) {
        printf("FAIL huge: %s\n", kiln_errmsg(gpu));
        failures++;
        kiln_ctx_free(gpu);
        return;
    }
    char *p = kiln_array_data(b);
    int64_t want = 0;
    for (int64_t i = 0; i < n; i++) want += (p[i] = (char)(i % 3 == 0 || i == n - 1));
    kiln_scope *s = kiln_scope_new(gpu);
    kiln_scope_set(s, "h", b);
    kiln_expr *e = kiln_parse(gpu, s, "sum(h & ~h[::-1] | h)");
    kiln_array *r = e ? kiln_eval(gpu, e) : NULL;
    bool ok = r && *(int64_t *)kiln_array_data(r) == want;
    printf("%s huge: sum over %lld bools = %lld (want %lld)%s%s\n", ok ? "PASS" : "FAIL", (long long)n,
           r ? (long long)*(int64_t *)kiln_array_data(r) : -1LL, (long long)want, r ? "" : ": ", r ? "" : kiln_errmsg(gpu));
    failures += !ok;
    kiln_array_free(r);
    kiln_expr_free(e);
    kiln_scope_free(s);
    kiln_array_free(b);
    kiln_ctx_free(gpu);
}

static double at(kiln_array *a, int64_t i) { return ((double *)kiln_array_data(a))[i]; }

static void check(bool ok, const char *what) {
    printf("%s resident: %s\n", ok ? "PASS" : "FAIL", what);
    failures += !ok;
}

/* dl_iterate_phdr's: the path of each loaded NVRTC, cuBLAS or driver library */
static int print_cuda_lib(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size, (void)data;
    const char *n = info->dlpi_name, *b = strrchr(n, '/');
    b = b ? b + 1 : n;
    if (!strncmp(b, "libnvrtc.so", 11) || !strncmp(b, "libcublas", 9) || !strncmp(b, "libcuda.so", 10) || strstr(b, "fakecuda"))
        printf("loaded: %s\n", n);
    return 0;
}

/* The backend's line and the CUDA libraries a cuda context loaded, one "loaded: PATH" line each. */
static void libs(void) {
    kiln_ctx *ctx = kiln_ctx_new(&(kiln_config){.backend = "cuda"});
    const char *info = kiln_backend_info(ctx);
    printf("backend: %s\n", info ? info : kiln_errmsg(ctx));
    dl_iterate_phdr(print_cuda_lib, NULL);
    kiln_ctx_free(ctx);
}

/* A driver older than NVRTC refusing its PTX (the fake driver's KILN_FAKECUDA_DRIVER=12080 with
 * KILN_FAKECUDA_CC=130, a device newer than NVRTC knows: no GPU has both): the launch fails
 * with one sentence saying so, and the interpreter still runs the expression. */
static void ptx_refused(void) {
    kiln_ctx *ctx = kiln_ctx_new(&(kiln_config){.backend = "cuda"});
    int64_t n = 37;
    kiln_array *a = filled(ctx, KILN_F64, 1, &n, 1);
    kiln_expr *x = kiln_var(ctx, a), *e = kiln_mul(ctx, x, x);
    kiln_array *r = kiln_eval(ctx, e);
    const char *m = kiln_errmsg(ctx);
    bool ok = !r && strstr(m, "is older than NVRTC") && strstr(m, "refuses its PTX") && !strchr(m, '\n');
    printf("%s ptx_refused: %s\n", ok ? "PASS" : "FAIL", m);
    failures += !ok;
    kiln_array_free(r);
    r = kiln_set_backend(ctx, "interp") == KILN_OK ? kiln_eval(ctx, e) : NULL;
    ok = r && at(r, 3) == at(a, 3) * at(a, 3);
    printf("%s ptx_refused: after the refusal, the interpreter runs it\n", ok ? "PASS" : "FAIL");
    failures += !ok;
    kiln_array_free(r);
    kiln_expr_free(e);
    kiln_expr_free(x);
    kiln_array_free(a);
    kiln_ctx_free(ctx);
}

/* Arrays that stay on the device: every way the host can see or change their bytes. */
static void resident(void) {
    kiln_ctx *ctx = kiln_ctx_new(&(kiln_config){.backend = "cuda"});
    int64_t n = 10000, m2[2] = {100, 100};
    kiln_array *a = kiln_array_new(ctx, KILN_F64, 1, &n);
    for (int64_t i = 0; i < n; i++) ((double *)kiln_array_data(a))[i] = (double)i;
    kiln_expr *x = kiln_var(ctx, a), *y2 = kiln_mul(ctx, x, kiln_scalar(ctx, 2));
    kiln_array *y = kiln_eval(ctx, y2); /* a result: on the host when the call returns */
    check(y && at(y, 7) == 14, "a result is on the host when its call returns");
    kiln_expr *yv = kiln_var(ctx, y), *z1 = kiln_add(ctx, yv, kiln_scalar(ctx, 1));
    kiln_array *z = kiln_eval(ctx, z1);
    check(z && at(z, 7) == 15, "a result as the next call's input");
    ((double *)kiln_array_data(y))[7] = 100; /* the host writes it: the device's copy is stale */
    kiln_array *z2 = kiln_eval(ctx, z1);
    check(z2 && at(z2, 7) == 101 && at(z2, 8) == 17, "kiln_array_data's writes reach the next call");
    /* in place, three times */
    for (int k = 0; k < 3; k++) kiln_eval_into(ctx, kiln_add(ctx, x, kiln_scalar(ctx, 1)), a);
    check(at(a, 5) == 8 && at(a, n - 1) == (double)(n - 1) + 3, "in place three times");
    /* the caller's memory, changed behind kiln's back between calls */
    double *mine = malloc((size_t)n * sizeof *mine);
    for (int64_t i = 0; i < n; i++) mine[i] = 1;
    kiln_array *w = kiln_wrap(ctx, KILN_F64, 1, &n, NULL, mine);
    kiln_expr *wv = kiln_var(ctx, w), *ws = kiln_reduce(ctx, KILN_OP_SUM, wv, KILN_ALL_AXES, 0);
    kiln_array *s1 = kiln_eval(ctx, ws);
    for (int64_t i = 0; i < n; i++) mine[i] = 2;
    kiln_array *s2 = kiln_eval(ctx, ws);
    check(s1 && s2 && at(s1, 0) == (double)n && at(s2, 0) == 2.0 * (double)n, "wrapped memory read afresh at each call");
    /* a matrix, then its transpose and a slice of it as inputs */
    kiln_array *M = kiln_array_new(ctx, KILN_F64, 2, m2);
    for (int64_t i = 0; i < 10000; i++) ((double *)kiln_array_data(M))[i] = (double)(i % 97);
    kiln_expr *mv = kiln_var(ctx, M);
    kiln_array *M1 = kiln_eval(ctx, kiln_mul(ctx, mv, kiln_scalar(ctx, 1)));
    kiln_scope *sc = kiln_scope_new(ctx);
    kiln_scope_set(sc, "M", M1);
    kiln_expr *t = kiln_parse(ctx, sc, "M.T * 2 + M[::2, :].sum(0)[0]");
    kiln_array *T = t ? kiln_eval(ctx, t) : NULL;
    double want = 2 * (double)((3 * 100 + 4) % 97), add = 0;
    for (int64_t r = 0; r < 100; r += 2) add += (double)((r * 100) % 97);
    check(T && at(T, 4 * 100 + 3) == want + add, "a result read through its transpose and a slice");
    /* a host step (cumsum) over a device temporary, then a kernel over its result */
    kiln_expr *cs = kiln_parse(ctx, sc, "cumsum(M[0] * 2)[-1] + 1");
    kiln_array *C = cs ? kiln_eval(ctx, cs) : NULL;
    double sum0 = 0;
    for (int64_t j = 0; j < 100; j++) sum0 += 2.0 * (double)(j % 97);
    check(C && at(C, 0) == sum0 + 1, "a host step between kernels");
    /* another backend takes over the context's arrays */
    kiln_set_backend(ctx, "interp");
    kiln_array *z3 = kiln_eval(ctx, z1);
    check(z3 && at(z3, 7) == 101 && at(z3, 9) == 19, "switching to a host backend");
    kiln_set_backend(ctx, "cuda");
    kiln_array *z4 = kiln_eval(ctx, z1);
    check(z4 && at(z4, 7) == 101, "and back");
    /* operands that overlap an existing copy only in part (a slice's copy, then two slices
     * reaching past it): the copies merge, nothing aborts */
    kiln_scope_set(sc, "x", a);
    kiln_expr *s100 = kiln_parse(ctx, sc, "x[:100] * 2"), *sx = kiln_parse(ctx, sc, "x[:10] + x[95:105]");
    kiln_array *R1 = s100 ? kiln_eval(ctx, s100) : NULL, *R2 = sx ? kiln_eval(ctx, sx) : NULL;
    check(R1 && R2 && at(R2, 0) == at(a, 0) + at(a, 95) && at(R2, 9) == at(a, 9) + at(a, 104), "operands overlapping a copy in part");
    /* a product on the host (no cuBLAS) in several panels, its epilogue on the device, twice */
    int64_t big[2] = {1200, 1200};
    kiln_array *P = kiln_array_new(ctx, KILN_F64, 2, big);
    for (int64_t i = 0; i < big[0] * big[1]; i++) ((double *)kiln_array_data(P))[i] = (double)(i % 7) - 3;
    kiln_scope_set(sc, "P", P);
    kiln_expr *pe = kiln_parse(ctx, sc, "sum(P @ P + 1)");
    kiln_array *Q1 = pe ? kiln_eval(ctx, pe) : NULL, *Q2 = pe ? kiln_eval(ctx, pe) : NULL;
    kiln_ctx *hc = kiln_ctx_new(&(kiln_config){.backend = "interp"});
    kiln_array *Ph = kiln_array_new(hc, KILN_F64, 2, big);
    memcpy(kiln_array_data(Ph), kiln_array_data(P), (size_t)(big[0] * big[1]) * 8);
    kiln_expr *pv = kiln_var(hc, Ph);
    kiln_array *Qh = kiln_eval(hc, kiln_reduce(hc, KILN_OP_SUM, kiln_add(hc, kiln_matmul(hc, pv, pv), kiln_scalar(hc, 1)), KILN_ALL_AXES, 0));
    check(Q1 && Q2 && Qh && at(Q1, 0) == at(Qh, 0) && at(Q2, 0) == at(Qh, 0), "a host product's panels and its device epilogue, twice");
    /* an output in the caller's memory, written in part, the rest changed by the caller between calls */
    double mem[10] = {0};
    int64_t ten = 10, five = 5, two = 16;
    kiln_array *Wm = kiln_wrap(ctx, KILN_F64, 1, &ten, NULL, mem), *Wv = kiln_array_view(ctx, Wm, 1, &five, &two, 0);
    kiln_expr *fill = kiln_add(ctx, kiln_scalar(ctx, 7), kiln_mul(ctx, kiln_var(ctx, Wv), kiln_scalar(ctx, 0)));
    kiln_eval_into(ctx, fill, Wv);
    mem[1] = 42; /* the caller's own write, between the calls */
    kiln_eval_into(ctx, fill, Wv);
    check(mem[0] == 7 && mem[8] == 7 && mem[1] == 42, "the caller's writes beside an output in its memory survive");
    /* one buffer of the caller's as float32 from byte 4 (every other one) and as float64 from
     * byte 8, in one launch: their copy on the device starts at byte 4 and must keep each as
     * aligned as on the host (a GPU refuses a float64 at an address 4 bytes from its own; the
     * fake driver stops) */
    double *buf = aligned_alloc(64, 64 * 8);
    for (int i = 0; i < 64; i++) buf[i] = 0.25 * i;
    int64_t n40 = 40, eight = 8;
    kiln_array *A32 = kiln_wrap(ctx, KILN_F32, 1, &n40, &eight, (char *)buf + 4), *A64 = kiln_wrap(ctx, KILN_F64, 1, &n40, NULL, buf + 1);
    kiln_array *U = A32 && A64 ? kiln_eval(ctx, kiln_add(ctx, kiln_var(ctx, A32), kiln_var(ctx, A64))) : NULL;
    float f5;
    memcpy(&f5, (char *)buf + 44, 4);
    check(U && at(U, 5) == (double)f5 + buf[6], "one buffer as float32 at byte 4 and float64 at byte 8: each as aligned on the device");
    kiln_array *more[] = {R1, R2, Q1, Q2, Qh, Ph, P, Wv, Wm, U, A32, A64};
    for (size_t i = 0; i < sizeof more / sizeof *more; i++) kiln_array_free(more[i]);
    kiln_ctx_free(hc);
    /* memory someone else put on the GPU (the driver's own cuMemAlloc, as CuPy's or PyTorch's
     * would be): read in place, and a result written into it stays there */
    const char *drv = getenv("KILN_CUDA_DRIVER");
    void *lib = dlopen(drv && *drv ? drv : "libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    int (*alloc)(uint64_t *, size_t) = lib ? (int (*)(uint64_t *, size_t))dlsym(lib, "cuMemAlloc_v2") : NULL;
    int (*up)(uint64_t, const void *, size_t) = lib ? (int (*)(uint64_t, const void *, size_t))dlsym(lib, "cuMemcpyHtoD_v2") : NULL;
    int (*down)(void *, uint64_t, size_t) = lib ? (int (*)(void *, uint64_t, size_t))dlsym(lib, "cuMemcpyDtoH_v2") : NULL;
    int (*dfree)(uint64_t) = lib ? (int (*)(uint64_t))dlsym(lib, "cuMemFree_v2") : NULL;
    uint64_t din = 0, dout = 0;
    double host[64], back[64];
    for (int i = 0; i < 64; i++) host[i] = i * 0.5;
    if (alloc && up && down && dfree && !alloc(&din, sizeof host) && !alloc(&dout, sizeof host) && !up(din, host, sizeof host)) {
        int64_t k = 64;
        kiln_array *DI = kiln_wrap_device(ctx, KILN_F64, 1, &k, NULL, din), *DO = kiln_wrap_device(ctx, KILN_F64, 1, &k, NULL, dout);
        kiln_expr *di = DI ? kiln_var(ctx, DI) : NULL, *e = di ? kiln_add(ctx, kiln_mul(ctx, di, di), kiln_scalar(ctx, 1)) : NULL;
        kiln_status st = e ? kiln_eval_into(ctx, e, DO) : KILN_ERR_ARG;
        bool ok = st == KILN_OK && !down(back, dout, sizeof back);
        for (int i = 0; ok && i < 64; i++) ok = back[i] == host[i] * host[i] + 1;
        check(ok, "kiln_wrap_device: read in place, the result written into the caller's GPU memory");
        kiln_array *S = e ? kiln_eval(ctx, kiln_reduce(ctx, KILN_OP_SUM, kiln_var(ctx, DO), KILN_ALL_AXES, 0)) : NULL;
        double want2 = 0;
        for (int i = 0; i < 64; i++) want2 += host[i] * host[i] + 1;
        check(S && at(S, 0) == want2, "a result that lives on the device as the next call's input");
        check(DO && at(DO, 3) == host[3] * host[3] + 1, "kiln_array_data of a device array brings it to the host");
        kiln_array_free(S);
        kiln_array_free(DI);
        kiln_array_free(DO);
        dfree(din);
        dfree(dout);
    } else {
        check(false, "kiln_wrap_device: could not allocate GPU memory through the driver");
    }
    kiln_ctx *hctx = kiln_ctx_new(&(kiln_config){.backend = "interp"});
    kiln_array *host_only = kiln_wrap_device(hctx, KILN_F64, 1, &n, NULL, 64);
    check(!host_only && strstr(kiln_errmsg(hctx), "not a GPU"), "kiln_wrap_device refused on a host backend");
    kiln_ctx_free(hctx);
    kiln_array *all[] = {y, z, z2, s1, s2, M1, T, C, z3, z4, w, M, a};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) kiln_array_free(all[i]);
    free(mine);
    free(buf);
    kiln_scope_free(sc);
    kiln_ctx_free(ctx);
    /* arrays the caller never freed, with device copies, when the context goes (ASan's case) */
    kiln_ctx *c2 = kiln_ctx_new(&(kiln_config){.backend = "cuda"});
    kiln_array *left = kiln_array_new(c2, KILN_F64, 1, &n);
    memset(kiln_array_data(left), 0, (size_t)n * 8);
    kiln_expr *lv = kiln_var(c2, left);
    kiln_array *r2 = kiln_eval(c2, kiln_add(c2, lv, kiln_scalar(c2, 1)));
    check(r2 && at(r2, 0) == 1, "a context freed with its arrays still on the device");
    kiln_ctx_free(c2);
}

/* Whether KILN_CUDA_WIDE launches every map with its 64-bit kernel (a program of its own). */
static bool wide_mode(void) {
    const char *w = getenv("KILN_CUDA_WIDE");
    return w && *w && strcmp(w, "0");
}

/* A plan's kernels made together: the first run of each plan below makes every kernel it
 * launches in one NVRTC program (its layouts foreseen right: nothing compiled on its own after
 * it), and gives the interpreter's values.  The disk cache is off: every kernel is new.  (Under
 * KILN_CUDA_WIDE each map's 64-bit kernel is one more program, counted in compiler_runs too.) */
static void plans(int64_t n, int64_t rows, int64_t cols) {
    static const char *const ex[] = {
        "d / sum(exp(d)) + max(d)",               /* two reductions of a vector, a map over their temporaries */
        "sum(D * 2, 0) + max(D, 0)",              /* reductions over the outer axis */
        "D - sum(D, 1)[:, None] * F",             /* a temporary read through a new axis */
        "sin(D).T * 2 + min(D.T, 0)[None, :]",    /* transposed operands */
        "sum(exp(D).T @ D + 1, 0)",               /* a product, its epilogue, a reduction */
        "argmax(D, 1) + sum(J, 1) + i[:1]",       /* integers */
        "cumsum(d * 2)[-1] + sum(d * d) + d",     /* a host step between kernels */
    };
    setenv("KILN_DISABLE_CACHE", "1", 1);
    for (size_t k = 0; k < sizeof ex / sizeof *ex; k++) {
        kiln_ctx *gpu = kiln_ctx_new(&(kiln_config){.backend = "cuda"}), *cpu = kiln_ctx_new(&(kiln_config){.backend = "interp"});
        kiln_scope *gs = corpus_scope_sized(gpu, n, rows, cols), *cs = corpus_scope_sized(cpu, n, rows, cols);
        kiln_expr *ge = kiln_parse(gpu, gs, ex[k]), *ce = kiln_parse(cpu, cs, ex[k]);
        kiln_array *gr = ge ? kiln_eval(gpu, ge) : NULL, *cr = ce ? kiln_eval(cpu, ce) : NULL;
        kiln_stats st;
        kiln_get_stats(gpu, &st);
        char msg[300] = "";
        if (!gr || !cr) snprintf(msg, sizeof msg, "%s", kiln_errcode(gpu) != KILN_OK ? kiln_errmsg(gpu) : kiln_errmsg(cpu));
        else if (!same(gr, cr, strstr(ex[k], "sum") != NULL, false, msg, sizeof msg)) {
        } else if ((wide_mode() ? st.compiler_runs < 2 : st.compiler_runs != 1) || st.kernels_compiled < 2) {
            snprintf(msg, sizeof msg, "not one program for its kernels");
        }
        printf("%s plan %s: %llu kernels in %llu NVRTC programs%s%s\n", *msg ? "FAIL" : "PASS", ex[k], (unsigned long long)st.kernels_compiled,
               (unsigned long long)st.compiler_runs, *msg ? ": " : "", msg);
        failures += *msg != 0;
        kiln_array_free(gr);
        kiln_array_free(cr);
        kiln_expr_free(ge);
        kiln_expr_free(ce);
        kiln_scope_free(gs);
        kiln_scope_free(cs);
        kiln_ctx_free(gpu);
        kiln_ctx_free(cpu);
    }
    unsetenv("KILN_DISABLE_CACHE");
}

/* Two contexts in turn evaluate an expression no other check makes: the second compiles nothing
 * and stores nothing, loading every program the first made or loaded (under KILN_CUDA_WIDE, each
 * map's 64-bit kernel too) from the disk cache, and gets the same values. */
static void disk_twice(void) {
    kiln_stats st[2];
    double v[2] = {0, 0};
    for (int round = 0; round < 2; round++) {
        kiln_ctx *gpu = kiln_ctx_new(&(kiln_config){.backend = "cuda"});
        kiln_scope *s = corpus_scope(gpu);
        kiln_expr *e = kiln_parse(gpu, s, "cos(d) * 5 - d");
        kiln_array *r = e ? kiln_eval(gpu, e) : NULL;
        v[round] = r ? ((double *)kiln_array_data(r))[3] : NAN;
        kiln_get_stats(gpu, &st[round]);
        kiln_array_free(r);
        kiln_expr_free(e);
        kiln_scope_free(s);
        kiln_ctx_free(gpu);
    }
    uint64_t programs = wide_mode() ? 2 : 1; /* one map, and its 64-bit kernel when launched */
    bool ok = v[0] == v[0] && v[0] == v[1] && st[1].kernels_compiled == 0 && st[1].compiler_runs == 0 && st[1].disk_stores == 0 &&
              st[1].disk_hits == programs && st[0].disk_stores + st[0].disk_hits == programs; /* (warm: the first loads) */
    printf("%s disk cache: first context stored %llu, the second loaded %llu, compiled %llu (%llu compiler runs), stored %llu\n",
           ok ? "PASS" : "FAIL", (unsigned long long)st[0].disk_stores, (unsigned long long)st[1].disk_hits,
           (unsigned long long)st[1].kernels_compiled, (unsigned long long)st[1].compiler_runs, (unsigned long long)st[1].disk_stores);
    failures += !ok;
}

static void cache_round(void) {
    kiln_ctx *gpu = kiln_ctx_new(&(kiln_config){.backend = "cuda"});
    kiln_scope *s = corpus_scope(gpu);
    kiln_expr *e = kiln_parse(gpu, s, "sum(sin(D) * 3 + D, 1) + d[:5]");
    kiln_array *r = kiln_eval(gpu, e);
    kiln_stats st;
    kiln_get_stats(gpu, &st);
    printf("cache: %s compiled %llu disk_hits %llu disk_corrupt %llu disk_stores %llu%s%s\n", r ? "ok" : "FAILED",
           (unsigned long long)st.kernels_compiled, (unsigned long long)st.disk_hits, (unsigned long long)st.disk_corrupt,
           (unsigned long long)st.disk_stores, r ? "" : ": ", r ? "" : kiln_errmsg(gpu));
    kiln_array_free(r);
    kiln_expr_free(e);
    kiln_scope_free(s);
    kiln_ctx_free(gpu);
}

static void first_call(void) {
    double t0 = now_ms();
    kiln_ctx *gpu = kiln_ctx_new(&(kiln_config){.backend = "cuda"});
    const char *info = kiln_backend_info(gpu); /* starts the driver and the context */
    double t1 = now_ms();
    int64_t n = 1000;
    kiln_array *a = kiln_array_new(gpu, KILN_F32, 1, &n);
    kiln_expr *x = kiln_var(gpu, a), *e = kiln_add(gpu, kiln_mul(gpu, x, x), kiln_scalar(gpu, 1));
    kiln_array *r = kiln_eval(gpu, e);
    double t2 = now_ms();
    printf("first: %s; CUDA start %.2f ms, first call %.2f ms%s%s\n", info ? info : "?", t1 - t0, t2 - t1, r ? "" : ": ",
           r ? "" : kiln_errmsg(gpu));
    kiln_array_free(r);
    kiln_expr_free(e);
    kiln_expr_free(x);
    kiln_array_free(a);
    kiln_ctx_free(gpu);
}

/* The driver's cuMemAlloc, for outputs that live on the GPU (as CuPy's and PyTorch's do). */
static uint64_t device_alloc(size_t n) {
    const char *drv = getenv("KILN_CUDA_DRIVER");
    void *lib = dlopen(drv && *drv ? drv : "libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    int (*alloc)(uint64_t *, size_t) = lib ? (int (*)(uint64_t *, size_t))dlsym(lib, "cuMemAlloc_v2") : NULL;
    uint64_t p = 0;
    return alloc && !alloc(&p, n) ? p : 0;
}

/* Best of reps calls of src into a preallocated result, in ms: a host array (the result comes
 * back each call) or, on_gpu, GPU memory wrapped with kiln_wrap_device (it stays there). */
static double time_expr(kiln_ctx *ctx, kiln_scope *s, const char *src, int reps, bool on_gpu) {
    kiln_expr *e = kiln_parse(ctx, s, src);
    kiln_array *out = e ? kiln_eval(ctx, e) : NULL;
    if (out && on_gpu) { /* (the GPU memory is the process's until it ends) */
        size_t bytes = (size_t)kiln_array_size(out) * kiln_dtype_size(kiln_array_dtype(out));
        uint64_t d = device_alloc(bytes ? bytes : 8);
        kiln_array *dev = d ? kiln_wrap_device(ctx, kiln_array_dtype(out), kiln_array_ndim(out), kiln_array_shape(out), NULL, d) : NULL;
        kiln_array_free(out);
        out = dev;
    }
    if (!out) {
        printf("bench %s: %s\n", src, kiln_errmsg(ctx));
        kiln_expr_free(e);
        return -1;
    }
    kiln_eval_into(ctx, e, out); /* warm */
    double best = INFINITY;
    fprintf(stderr, "case: %s%s\n", src, on_gpu ? " (into GPU memory)" : ""); /* for gpu_check.sh's KILN_LOG=cuda-time sums */
    for (int i = 0; i < reps; i++) {
        double t0 = now_ms();
        kiln_eval_into(ctx, e, out);
        double t = now_ms() - t0;
        fprintf(stderr, "call\n");
        if (t < best) best = t;
    }
    kiln_array_free(out);
    kiln_expr_free(e);
    return best;
}

static void bench(bool maps_only) {
    kiln_ctx *gpu = kiln_ctx_new(&(kiln_config){.backend = "cuda"});
    printf("bench backend: %s\n", kiln_backend_info(gpu));
    kiln_scope *s = kiln_scope_new(gpu);
    int64_t n = 100000000, w[2] = {8192, 8192}, b[2] = {8192, 1}, x[2] = {20, 1000000}, v[2] = {1, 20}, y[2] = {1, 1000000};
    struct {
        const char *name;
        kiln_dtype dt;
        int nd;
        int64_t *shape;
    } arrays[] = {{"a", KILN_F32, 1, &n}, {"b", KILN_F32, 1, &n}, {"c", KILN_F32, 1, &n}, {"a64", KILN_F64, 1, &n},
                  {"b64", KILN_F64, 1, &n}, {"c64", KILN_F64, 1, &n}, {"W", KILN_F32, 2, w}, {"X", KILN_F32, 2, w},
                  {"bias", KILN_F32, 2, b}, {"Xl", KILN_F64, 2, x}, {"wl", KILN_F64, 2, v}, {"yl", KILN_F64, 2, y}};
    for (size_t i = 0; i < (maps_only ? 6 : sizeof arrays / sizeof *arrays); i++) { /* (the maps read the first six) */
        kiln_array *a = filled(gpu, arrays[i].dt, arrays[i].nd, arrays[i].shape, (int)i);
        kiln_scope_set(s, arrays[i].name, a);
        kiln_array_free(a);
    }
    int64_t np = 8192; /* a permutation of W's rows, for the gather */
    kiln_array *perm = kiln_array_new(gpu, KILN_I64, 1, &np);
    for (int64_t i = 0; i < np; i++) ((int64_t *)kiln_array_data(perm))[i] = i * 7919 % np;
    kiln_scope_set(s, "perm", perm);
    kiln_array_free(perm);
    static const char *const cases[] = {"a * b + c", "sin(a) * sin(a)", "a64 * b64 + c64", "sin(a64) * sin(a64)", "sum(a * b)",
                                        "sum(a64 * b64)", "W @ X + bias",
                                        "sum((1 / (1 + exp(-(wl @ Xl))) - yl) * Xl, 1)", "cumsum(W, 0)", "W[perm]"};
    for (size_t k = 0; k < (maps_only ? 4 : sizeof cases / sizeof *cases); k++) {
        printf("bench kiln %-50s %10.3f ms per call into GPU memory (kiln_wrap_device)\n", cases[k], time_expr(gpu, s, cases[k], 5, true));
        if (!maps_only)
            printf("bench kiln %-50s %10.3f ms per call into a host array (the result copied back)\n", cases[k],
                   time_expr(gpu, s, cases[k], 3, false));
    }
    kiln_scope_free(s);
    kiln_ctx_free(gpu);
}

int main(int argc, char **argv) {
    const char *what = argc > 1 ? argv[1] : "diff";
    if (!strcmp(what, "diff") || !strcmp(what, "small")) {
        kiln_ctx *probe = kiln_ctx_new(&(kiln_config){.backend = "cuda"});
        if (!kiln_backend_info(probe)) {
            printf("FAIL no GPU here: %s\n", kiln_errmsg(probe));
            return 1;
        }
        printf("backend: %s\n", kiln_backend_info(probe));
        kiln_ctx_free(probe);
        diff_at(37, 5, 7);
        diff_at(0, 0, 3);
        diff_at(1, 1, 1);
        diff_at(31, 3, 31);
        const char *r = getenv("KILN_GPU_CHECK_RESIDENT"); /* 0: not here (the fake's variants: cuda_fake runs it) */
        if (!r || strcmp(r, "0")) resident();
        disk_twice();
        steps();
        plans(31, 3, 31);
        if (!strcmp(what, "small")) {
            diff_at(5000, 9, 4100); /* reductions of more than one chunk, and their second pass */
            determinism(20011, 7, 9001);
        } else {
            diff_at((1 << 20) + 3, 1025, 1027);
            determinism(10000019, 3001, 1001);
            huge();
        }
    } else if (!strcmp(what, "plans")) {
        plans(31, 3, 31);
    } else if (!strcmp(what, "steps")) {
        steps();
    } else if (!strcmp(what, "resident")) {
        resident();
    } else if (!strcmp(what, "cache")) {
        cache_round();
    } else if (!strcmp(what, "first")) {
        first_call();
    } else if (!strcmp(what, "ptx_refused")) {
        ptx_refused();
    } else if (!strcmp(what, "libs")) {
        libs();
    } else if (!strcmp(what, "bench")) {
        bench(argc > 2 && !strcmp(argv[2], "maps"));
    } else {
        fprintf(stderr, "usage: gpu_check diff|small|plans|steps|resident|cache|first|ptx_refused|libs|bench\n");
        return 2;
    }
    return failures ? 1 : 0;
}
