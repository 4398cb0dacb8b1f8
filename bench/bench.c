/*
 * bench.c — kiln against hand-written C, in one process, same buffers, same threads.
 *
 * Cases: a*b+c (float64, 10^7 with the output reused, and 10^3 per call), sin(a)*sin(a)
 * (float64 and float32, 10^7), the bandwidth of a STREAM triad, and the cost of compiling a new
 * kernel.  Prints a readable summary and writes JSON (argv[1]) for bench/report.py, which puts
 * these figures side by side with NumPy, numexpr and Numba measured in the same run.
 * Timings are medians of repeated runs after a warm-up.
 */
#include <kiln.h>
#include <dlfcn.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "bench.h"

#define N_BIG 10000000L
#define N_SMALL 1000L
#define REPS 21

/* Times two statements REPS times each, alternating so that both see the same machine (this
 * one is shared and noisy), after a warm-up; yields each one's median in ms. */
#define TIME_PAIR(out1, stmt1, out2, stmt2)        \
    do {                                           \
        double t1_[REPS], t2_[REPS], t0_;          \
        stmt1;                                     \
        stmt2;                                     \
        for (int r_ = 0; r_ < REPS; r_++) {        \
            t0_ = now();                           \
            stmt1;                                 \
            t1_[r_] = (now() - t0_) * 1e3;         \
            t0_ = now();                           \
            stmt2;                                 \
            t2_[r_] = (now() - t0_) * 1e3;         \
        }                                          \
        out1 = median(t1_, REPS);                  \
        out2 = median(t2_, REPS);                  \
    } while (0)

/* µs per call of `stmt`, the median of 7 batches of `calls` calls. */
#define TIME_US_PER_CALL(out, calls, stmt)           \
    do {                                             \
        double t_[7];                                \
        for (long c_ = 0; c_ < (calls); c_++) stmt;  \
        for (int r_ = 0; r_ < 7; r_++) {             \
            double t0_ = now();                      \
            for (long c_ = 0; c_ < (calls); c_++) stmt; \
            t_[r_] = (now() - t0_) * 1e6 / (double)(calls); \
        }                                            \
        out = median(t_, 7);                         \
    } while (0)

static void check(kiln_ctx *ctx, kiln_status st) {
    if (st != KILN_OK) {
        fprintf(stderr, "kiln: %s\n", kiln_errmsg(ctx));
        exit(1);
    }
}

/* The median ms of each of the n strings evaluated in scope sc (parsed once, every result
 * evaluated together into the same arrays, after a first call that makes them). */
static void time_strings(kiln_ctx *ctx, kiln_scope *sc, const char *const *cases, int n, double *ms) {
    for (int c = 0; c < n; c++) {
        kiln_expr *vals[4], *params[8];
        int which[8], np, reusable;
        int nv = kiln_parse_params_many(ctx, sc, cases[c], 4, vals, 8, params, which, &np, &reusable);
        check(ctx, nv > 0 ? KILN_OK : kiln_errcode(ctx));
        kiln_array *outs[4] = {NULL, NULL, NULL, NULL};
        double t[REPS];
        check(ctx, kiln_eval_many(ctx, nv, vals, outs)); /* (the first call: outs made, LAPACK loaded) */
        for (int r = 0; r < REPS; r++) {
            double t0 = now();
            check(ctx, kiln_eval_many(ctx, nv, vals, outs));
            t[r] = (now() - t0) * 1e3;
        }
        ms[c] = median(t, REPS);
        for (int i = 0; i < nv; i++) kiln_expr_free(vals[i]), kiln_array_free(outs[i]);
        for (int i = 0; i < np; i++) kiln_expr_free(params[i]);
    }
}

/* Times each case parsed and evaluated, REPS / 3 times: the random draws, made while a case is
 * parsed (NumPy's numbers for the same seed), each into a new array as NumPy's are. */
static void time_parsed(kiln_ctx *ctx, kiln_scope *sc, const char *const *cases, int n, double *ms) {
    enum { R = REPS / 3 };
    for (int c = 0; c < n; c++) {
        double t[R];
        for (int r = 0; r < R; r++) {
            double t0 = now();
            kiln_expr *e = kiln_parse(ctx, sc, cases[c]);
            kiln_array *x = e ? kiln_eval(ctx, e) : NULL;
            check(ctx, x ? KILN_OK : kiln_errcode(ctx));
            t[r] = (now() - t0) * 1e3;
            kiln_expr_free(e);
            kiln_array_free(x);
        }
        ms[c] = median(t, R);
    }
}

static double max_rel_err(const double *x, const double *y, long n) {
    double m = 0;
    for (long i = 0; i < n; i++) {
        double e = fabs(x[i] - y[i]) / (fabs(y[i]) + 1e-300);
        if (y[i] != 0 && e > m) m = e;
    }
    return m;
}

int main(int argc, char **argv) {
    const char *json = argc > 1 ? argv[1] : NULL;
    int threads = omp_get_max_threads();
    setenv("KILN_DISABLE_CACHE", "1", 1); /* compile costs here are compiles; compile_cost.c measures the disk */
    /* compiled steady state and compile costs: every kernel compiled before its first call
     * (bench/tier.c measures the tiers) */
    kiln_ctx *ctx = kiln_ctx_new(&(kiln_config){.tier = KILN_TIER_JIT});
    size_t bytes = (size_t)N_BIG * sizeof(double);
    double *a = big(bytes), *b = big(bytes), *c = big(bytes), *o = big(bytes), *ref = big(bytes);
    for (long i = 0; i < N_BIG; i++) {
        a[i] = (double)(i % 1000) * 1e-3 - 0.5;
        b[i] = (double)(i % 777) * 2e-3;
        c[i] = (double)(i % 333);
    }

    /* ---- the bandwidth floor: STREAM triad (reads 2 arrays, writes 1) */
    double t_triad = best_triad_ms(o, b, c, N_BIG, 2 * REPS);
    double triad_gbs = 3.0 * (double)bytes / (t_triad * 1e-3) / 1e9;
    double floor_fma = 4.0 * (double)bytes / (triad_gbs * 1e9) * 1e3; /* a*b+c moves 4 arrays */
    double floor_sin = 2.0 * (double)bytes / (triad_gbs * 1e9) * 1e3;

    /* ---- a*b+c, float64, 10^7, output reused */
    int64_t n = N_BIG, ns = N_SMALL;
    kiln_array *A = kiln_wrap(ctx, KILN_F64, 1, &n, NULL, a), *B = kiln_wrap(ctx, KILN_F64, 1, &n, NULL, b),
               *C = kiln_wrap(ctx, KILN_F64, 1, &n, NULL, c), *O = kiln_wrap(ctx, KILN_F64, 1, &n, NULL, o);
    kiln_expr *va = kiln_var(ctx, A), *vb = kiln_var(ctx, B), *vc = kiln_var(ctx, C);
    kiln_expr *ab = kiln_mul(ctx, va, vb), *fma = kiln_add(ctx, ab, vc);
    double t_kiln_fma, t_c_fma;
    TIME_PAIR(t_c_fma, hw_fma(a, b, c, ref, N_BIG), t_kiln_fma, check(ctx, kiln_eval_into(ctx, fma, O)));
    double err_fma = max_rel_err(o, ref, N_BIG);

    /* ---- a*b+c, float64, 10^3, per call through the C API */
    kiln_array *As = kiln_wrap(ctx, KILN_F64, 1, &ns, NULL, a), *Bs = kiln_wrap(ctx, KILN_F64, 1, &ns, NULL, b),
               *Cs = kiln_wrap(ctx, KILN_F64, 1, &ns, NULL, c), *Os = kiln_wrap(ctx, KILN_F64, 1, &ns, NULL, o);
    kiln_expr *sa = kiln_var(ctx, As), *sb = kiln_var(ctx, Bs), *sc = kiln_var(ctx, Cs);
    kiln_expr *sab = kiln_mul(ctx, sa, sb), *sfma = kiln_add(ctx, sab, sc);
    double us_kiln_small, us_c_small;
    TIME_US_PER_CALL(us_c_small, 200000, hw_fma_serial(a, b, c, ref, N_SMALL));
    TIME_US_PER_CALL(us_kiln_small, 200000, kiln_eval_into(ctx, sfma, Os));

    /* ---- sin(a)*sin(a), float64 and float32, 10^7; the first compile timed on the way */
    kiln_stats s0, s1;
    kiln_get_stats(ctx, &s0);
    double t0 = now();
    kiln_expr *sn = kiln_sin(ctx, va), *sin2 = kiln_mul(ctx, sn, sn);
    check(ctx, kiln_eval_into(ctx, sin2, O));
    double first_sin2 = (now() - t0) * 1e3;
    kiln_get_stats(ctx, &s1);
    double compile_sin2 = (double)(s1.ns_emit + s1.ns_opt + s1.ns_codegen - s0.ns_emit - s0.ns_opt - s0.ns_codegen) * 1e-6;
    double emit_ms = (double)(s1.ns_emit - s0.ns_emit) * 1e-6, opt_ms = (double)(s1.ns_opt - s0.ns_opt) * 1e-6,
           cg_ms = (double)(s1.ns_codegen - s0.ns_codegen) * 1e-6;
    double t_kiln_sin, t_c_sin;
    TIME_PAIR(t_c_sin, hw_sin2(a, ref, N_BIG), t_kiln_sin, check(ctx, kiln_eval_into(ctx, sin2, O)));
    double err_sin = max_rel_err(o, ref, N_BIG);

    float *af = (float *)b, *of = (float *)o, *reff = (float *)ref; /* reuse the buffers */
    for (long i = 0; i < N_BIG; i++) af[i] = (float)a[i];
    kiln_array *AF = kiln_wrap(ctx, KILN_F32, 1, &n, NULL, af), *OF = kiln_wrap(ctx, KILN_F32, 1, &n, NULL, of);
    kiln_expr *vf = kiln_var(ctx, AF), *snf = kiln_sin(ctx, vf), *sin2f = kiln_mul(ctx, snf, snf);
    double t_kiln_sinf, t_c_sinf;
    TIME_PAIR(t_c_sinf, hw_sin2f(af, reff, N_BIG), t_kiln_sinf, check(ctx, kiln_eval_into(ctx, sin2f, OF)));
    double err_sinf = 0;
    for (long i = 0; i < N_BIG; i++) {
        double e = fabs((double)of[i] - (double)reff[i]) / (fabs((double)reff[i]) + 1e-30);
        if (reff[i] != 0 && e > err_sinf) err_sinf = e;
    }

    /* ---- compile cost of a new structure in a running context (median of 7 new kernels):
     *      sin(x)*sin(x) + x + x + ... with k additions is a new kernel for every k */
    double tc[7];
    int64_t n16 = 16;
    kiln_array *S16 = kiln_wrap(ctx, KILN_F64, 1, &n16, NULL, a), *O16 = kiln_wrap(ctx, KILN_F64, 1, &n16, NULL, o);
    kiln_expr *x16 = kiln_var(ctx, S16), *sx = kiln_sin(ctx, x16), *y16 = kiln_mul(ctx, sx, sx);
    for (int k = 0; k < 7; k++) {
        kiln_expr *y = kiln_add(ctx, y16, x16);
        kiln_expr_free(y16);
        y16 = y;
        kiln_get_stats(ctx, &s0);
        double t1 = now();
        check(ctx, kiln_eval_into(ctx, y16, O16));
        tc[k] = (now() - t1) * 1e3;
        kiln_get_stats(ctx, &s1);
        if (s1.kernels_compiled != s0.kernels_compiled + 1) fprintf(stderr, "bench: expected one compile\n");
    }
    double compile_new = median(tc, 7);

    /* ---- sum(a*b), float64, 10^7: one pass, nothing written */
    double dsum = 0, csum = 0;
    int64_t none[1];
    kiln_array *D = kiln_wrap(ctx, KILN_F64, 0, none, NULL, &dsum);
    kiln_expr *dot = kiln_sum(ctx, ab, KILN_ALL_AXES, 0);
    double t_kiln_dot, t_c_dot;
    TIME_PAIR(t_c_dot, csum = hw_dot(a, b, N_BIG), t_kiln_dot, check(ctx, kiln_eval_into(ctx, dot, D)));
    double floor_dot = 2.0 * (double)bytes / (triad_gbs * 1e9) * 1e3;

    /* ---- W@X+b, float32, 1024^3, against OpenBLAS's sgemm alone (the same library kiln loads) */
    int64_t G = 1024;
    float *Wm = big((size_t)(G * G) * 4), *Xm = big((size_t)(G * G) * 4), *Zm = big((size_t)(G * G) * 4), *Zr = big((size_t)(G * G) * 4);
    float *bias = malloc((size_t)G * 4);
    for (int64_t i = 0; i < G * G; i++) {
        Wm[i] = (float)((i * 7 % 1000) * 1e-3 - 0.5);
        Xm[i] = (float)((i * 13 % 997) * 1e-3);
    }
    for (int64_t i = 0; i < G; i++) bias[i] = (float)(i % 10) * 0.1f;
    kiln_array *Wa = kiln_wrap(ctx, KILN_F32, 2, (int64_t[]){G, G}, NULL, Wm), *Xa = kiln_wrap(ctx, KILN_F32, 2, (int64_t[]){G, G}, NULL, Xm);
    kiln_array *Ba = kiln_wrap(ctx, KILN_F32, 2, (int64_t[]){G, 1}, NULL, bias), *Za = kiln_wrap(ctx, KILN_F32, 2, (int64_t[]){G, G}, NULL, Zm);
    kiln_expr *wx = kiln_matmul(ctx, kiln_var(ctx, Wa), kiln_var(ctx, Xa)), *lin = kiln_add(ctx, wx, kiln_var(ctx, Ba));
    check(ctx, kiln_eval_into(ctx, lin, Za)); /* loads OpenBLAS */
    typedef void (*sgemm_fn)(int, int, int, int, int, int, float, const float *, int, const float *, int, float, float *, int);
    void *blas = dlopen("/usr/lib/x86_64-linux-gnu/openblas-openmp/libopenblas.so.0", RTLD_NOW | RTLD_NOLOAD);
    if (!blas) blas = dlopen("libopenblas.so.0", RTLD_NOW | RTLD_NOLOAD);
    sgemm_fn sgemm = blas ? (sgemm_fn)dlsym(blas, "cblas_sgemm") : NULL;
    char *(*corename)(void) = blas ? (char *(*)(void))dlsym(blas, "openblas_get_corename") : NULL;
    double t_kiln_gemm, t_sgemm = 0;
    if (sgemm)
        TIME_PAIR(t_sgemm, sgemm(101, 111, 111, (int)G, (int)G, (int)G, 1.0f, Wm, (int)G, Xm, (int)G, 0.0f, Zr, (int)G), t_kiln_gemm,
                  check(ctx, kiln_eval_into(ctx, lin, Za)));
    else
        TIME_PAIR(t_kiln_gemm, check(ctx, kiln_eval_into(ctx, lin, Za)), t_sgemm, (void)0);
    const char *core = corename ? corename() : "none";

    /* ---- stacks of products: a C loop calling OpenBLAS once per matrix (as NumPy's matmul does) */
    typedef void (*dgemm_fn)(int, int, int, int, int, int, double, const double *, int, const double *, int, double, double *, int);
    dgemm_fn dgemm = blas ? (dgemm_fn)dlsym(blas, "cblas_dgemm") : NULL;
    static const struct { int64_t n, m, k, p; kiln_dtype dt; const char *name; } stacks[] = {
        {1000, 8, 16, 8, KILN_F64, "(1000,8,16)@(1000,16,8) f64"},
        {64, 64, 64, 64, KILN_F32, "(64,64,64)@(64,64,64) f32"},
        {8, 256, 256, 256, KILN_F32, "(8,256,256)@(8,256,256) f32"},
    };
    enum { NSTACKS = sizeof stacks / sizeof *stacks };
    double t_stack_kiln[NSTACKS], t_stack_c[NSTACKS];
    for (int c = 0; c < NSTACKS; c++) {
        int64_t n = stacks[c].n, m = stacks[c].m, k = stacks[c].k, q = stacks[c].p, es = stacks[c].dt == KILN_F32 ? 4 : 8;
        char *sa = malloc((size_t)(n * m * k * es)), *sb = malloc((size_t)(n * k * q * es)), *sc = malloc((size_t)(n * m * q * es));
        for (int64_t i = 0; i < n * m * k; i++)
            if (es == 4) ((float *)sa)[i] = (float)((i * 7 % 1000) * 1e-3 - 0.5);
            else ((double *)sa)[i] = (i * 7 % 1000) * 1e-3 - 0.5;
        for (int64_t i = 0; i < n * k * q; i++)
            if (es == 4) ((float *)sb)[i] = (float)((i * 13 % 997) * 1e-3);
            else ((double *)sb)[i] = (i * 13 % 997) * 1e-3;
        kiln_array *SA = kiln_wrap(ctx, stacks[c].dt, 3, (int64_t[]){n, m, k}, NULL, sa);
        kiln_array *SB = kiln_wrap(ctx, stacks[c].dt, 3, (int64_t[]){n, k, q}, NULL, sb);
        kiln_array *SC = kiln_wrap(ctx, stacks[c].dt, 3, (int64_t[]){n, m, q}, NULL, sc);
        kiln_expr *se = kiln_matmul(ctx, kiln_var(ctx, SA), kiln_var(ctx, SB));
        if (sgemm && dgemm)
            TIME_PAIR(t_stack_c[c],
                      for (int64_t i = 0; i < n; i++) {
                          if (es == 4)
                              sgemm(101, 111, 111, (int)m, (int)q, (int)k, 1.0f, (float *)sa + i * m * k, (int)k,
                                    (float *)sb + i * k * q, (int)q, 0.0f, (float *)sc + i * m * q, (int)q);
                          else
                              dgemm(101, 111, 111, (int)m, (int)q, (int)k, 1.0, (double *)sa + i * m * k, (int)k,
                                    (double *)sb + i * k * q, (int)q, 0.0, (double *)sc + i * m * q, (int)q);
                      },
                      t_stack_kiln[c], check(ctx, kiln_eval_into(ctx, se, SC)));
        else
            TIME_PAIR(t_stack_kiln[c], check(ctx, kiln_eval_into(ctx, se, SC)), t_stack_c[c], (void)0);
        kiln_expr_free(se);
        kiln_array_free(SA);
        kiln_array_free(SB);
        kiln_array_free(SC);
        free(sa);
        free(sb);
        free(sc);
    }

    /* ---- np.linalg (LAPACK through kiln's copy in and out) on the matrices anchors.py gives NumPy */
    static const char *const las[] = {"inv(A)", "solve(B, R)", "slogdet(B)", "svd(A)", "svd(A, compute_uv=False)", "eigh(S)",
                                      "cholesky(S)", "qr(A)", "pinv(A)", "inv(T)", "det(T)", "solve(E, E[:, :, :2])",
                                      "eigvalsh(E + E.transpose(0, 2, 1))"};
    enum { NLAS = sizeof las / sizeof *las };
    double t_la[NLAS];
    {
        kiln_scope *ls = kiln_scope_new(ctx);
        static const struct { const char *name; int nd; int64_t shape[3]; double diag; } mats[] = {
            {"A", 2, {500, 500}, 10}, {"B", 2, {1000, 1000}, 20}, {"R", 2, {1000, 4}, 0}, {"T", 3, {10000, 3, 3}, 3}, {"E", 3, {1000, 8, 8}, 5}};
        for (size_t i = 0; i < sizeof mats / sizeof *mats; i++) { /* x[..., r, c] = (flat·7 % 1000)/1000 - 0.5, + diag on it */
            kiln_array *m = kiln_array_new(ctx, KILN_F64, mats[i].nd, mats[i].shape);
            double *d = kiln_array_data(m);
            int64_t rows = mats[i].shape[mats[i].nd - 2], cols = mats[i].shape[mats[i].nd - 1];
            for (int64_t k = 0; k < kiln_array_size(m); k++)
                d[k] = (double)(k * 7 % 1000) * 1e-3 - 0.5 + ((k % (rows * cols)) / cols == k % cols ? mats[i].diag : 0);
            kiln_scope_set(ls, mats[i].name, m);
            kiln_array_free(m);
        }
        kiln_array *S = kiln_eval(ctx, kiln_parse(ctx, ls, "A @ A.T + eye(500)")); /* symmetric positive definite */
        check(ctx, S ? KILN_OK : kiln_errcode(ctx));
        kiln_scope_set(ls, "S", S);
        kiln_array_free(S);
        time_strings(ctx, ls, las, NLAS, t_la);
        kiln_scope_free(ls);
    }

    /* ---- sort and argsort of 10^7 elements on the arrays anchors.py gives NumPy: v[k] = 8 (u - 0.5)^3
     * with u = (k · 0x9E3779B1 mod 2^32) / 2^32, spread over many exponents as measured data are */
    static const char *const sorts[] = {"sort(v)", "sort(f)", "sort(i)", "argsort(v)", "sort(M)", "sort(M, axis=0)"};
    enum { NSORTS = sizeof sorts / sizeof *sorts };
    double t_sort[NSORTS];
    /* ---- searches of the same 10^7 values: in s, 10^5 of them sorted, and among 1000 of i */
    static const char *const searches[] = {"searchsorted(s, v)", "searchsorted(s, v, side='right')", "isin(i, t)", "digitize(v, s)"};
    enum { NSEARCHES = sizeof searches / sizeof *searches };
    double t_search[NSEARCHES];
    /* ---- scans of the same values: running sums and extremes, central differences */
    static const char *const scans[] = {"cumsum(v)", "maximum.accumulate(v)", "minimum.accumulate(M, axis=1)", "gradient(v)"};
    enum { NSCANS = sizeof scans / sizeof *scans };
    double t_scan[NSCANS];
    /* ---- operands read across their rows (host map tiles): M 10000 x 1000, Q 3000 x 3000 */
    static const char *const trans[] = {"M.T * 2", "Q.T + Q", "ascontiguousarray(M.T)"};
    enum { NTRANS = sizeof trans / sizeof *trans };
    double t_trans[NTRANS];
    /* ---- random draws, 10^7 of them: a Generator's (PCG64) and np.random's (MT19937) */
    static const char *const draws[] = {"default_rng(0).random(10000000)", "default_rng(0).standard_normal(10000000)",
                                        "default_rng(0).integers(0, 100, 10000000)", "rand(10000000)", "randn(10000000)"};
    enum { NDRAWS = sizeof draws / sizeof *draws };
    double t_draw[NDRAWS];
    {
        kiln_scope *ss = kiln_scope_new(ctx);
        int64_t ns = 10000000;
        kiln_array *v = kiln_array_new(ctx, KILN_F64, 1, &ns);
        double *vd = kiln_array_data(v);
        for (int64_t k = 0; k < ns; k++) {
            double u = (double)((uint64_t)k * 0x9E3779B1u % 4294967296u) / 4294967296.0 - 0.5;
            vd[k] = 8 * u * u * u;
        }
        kiln_scope_set(ss, "v", v);
        kiln_array_free(v);
        static const char *const derived[][2] = {{"f", "float32(v)"}, {"i", "int64(v * 1e6)"}, {"M", "reshape(v, (10000, 1000))"},
                                                 {"s", "sort(v[::100])"}, {"t", "i[::10000]"},
                                                 {"Q", "reshape(v[:9000000], (3000, 3000))"}}; /* (s and t: the searches') */
        for (int d = 0; d < 6; d++) {
            kiln_array *x = kiln_eval(ctx, kiln_parse(ctx, ss, derived[d][1]));
            check(ctx, x ? KILN_OK : kiln_errcode(ctx));
            kiln_scope_set(ss, derived[d][0], x);
            kiln_array_free(x);
        }
        time_strings(ctx, ss, sorts, NSORTS, t_sort);
        time_strings(ctx, ss, searches, NSEARCHES, t_search);
        time_strings(ctx, ss, scans, NSCANS, t_scan);
        time_strings(ctx, ss, trans, NTRANS, t_trans);
        time_parsed(ctx, ss, draws, NDRAWS, t_draw);
        kiln_scope_free(ss);
    }

    /* ---- a logistic-regression step: X 1000 x 100000 float64 (800 MB), dw and db together */
    int64_t nf = 1000, ms = 100000;
    double *Xl = big((size_t)(nf * ms) * 8), *Yl = big((size_t)ms * 8), *wl = malloc((size_t)nf * 8);
    for (int64_t i = 0; i < nf * ms; i++) Xl[i] = (double)(i * 7 % 1001) * 1e-3 - 0.5;
    for (int64_t i = 0; i < ms; i++) Yl[i] = (double)(i % 3 == 0);
    for (int64_t i = 0; i < nf; i++) wl[i] = (double)(i % 17) * 1e-3;
    kiln_array *XL = kiln_wrap(ctx, KILN_F64, 2, (int64_t[]){nf, ms}, NULL, Xl), *YL = kiln_wrap(ctx, KILN_F64, 2, (int64_t[]){1, ms}, NULL, Yl);
    kiln_array *WL = kiln_wrap(ctx, KILN_F64, 2, (int64_t[]){nf, 1}, NULL, wl);
    kiln_expr *xv = kiln_var(ctx, XL), *yv = kiln_var(ctx, YL), *wv = kiln_var(ctx, WL), *one = kiln_scalar(ctx, 1.0);
    kiln_expr *zl = kiln_add(ctx, kiln_matmul(ctx, kiln_transpose(ctx, wv), xv), kiln_scalar(ctx, 0.1));
    kiln_expr *al = kiln_div(ctx, one, kiln_add(ctx, one, kiln_exp(ctx, kiln_neg(ctx, zl))));
    kiln_expr *dz = kiln_sub(ctx, al, yv), *mm = kiln_scalar(ctx, (double)ms);
    kiln_expr *dw = kiln_div(ctx, kiln_matmul(ctx, xv, kiln_transpose(ctx, dz)), mm);
    kiln_expr *db = kiln_div(ctx, kiln_sum(ctx, dz, KILN_ALL_AXES, 0), mm);
    kiln_array *outs[2] = {kiln_array_new(ctx, KILN_F64, 2, (int64_t[]){nf, 1}), kiln_array_new(ctx, KILN_F64, 0, none)};
    kiln_expr *roots[2] = {dw, db};
    double t_logreg, t_dummy;
    TIME_PAIR(t_logreg, check(ctx, kiln_eval_many(ctx, 2, roots, outs)), t_dummy, (void)0);
    (void)t_dummy;
    double floor_logreg = 2.0 * (double)(nf * ms * 8) / (triad_gbs * 1e9) * 1e3;

    /* ---- parsing and binding a one-line expression (the REPL's and kiln -c's front end) */
    kiln_scope *scope = kiln_scope_new(ctx);
    kiln_scope_set(scope, "a", A);
    kiln_scope_set(scope, "b", B);
    kiln_scope_set(scope, "c", C);
    double us_parse;
    TIME_US_PER_CALL(us_parse, 100000, kiln_expr_free(kiln_parse(ctx, scope, "sin(a)*sin(a) + b*2.5 - c/3")));
    kiln_scope_free(scope);

    double t_triad2 = best_triad_ms(o, (double *)a, c, N_BIG, 2 * REPS); /* again at the end: the best of both */
    if (t_triad2 < t_triad) {
        t_triad = t_triad2;
        triad_gbs = 3.0 * (double)bytes / (t_triad * 1e-3) / 1e9;
        floor_fma = 4.0 * (double)bytes / (triad_gbs * 1e9) * 1e3;
        floor_sin = 2.0 * (double)bytes / (triad_gbs * 1e9) * 1e3;
    }
    printf("kiln benchmark, %d threads, n = 10^7 unless marked (medians of %d runs, ms)\n", threads, REPS);
    printf("  STREAM triad              %8.3f ms  = %.1f GB/s; floors: a*b+c %.2f ms, sin2 memory %.2f ms\n", t_triad,
           triad_gbs, floor_fma, floor_sin);
    printf("  a*b+c f64        kiln %8.3f   C loop %8.3f   kiln/C %.2f   (max rel err %.1g)\n", t_kiln_fma, t_c_fma,
           t_kiln_fma / t_c_fma, err_fma);
    printf("  a*b+c f64 10^3   kiln %8.3f us C loop %8.3f us per call\n", us_kiln_small, us_c_small);
    printf("  sin2 f64         kiln %8.3f   C loop %8.3f   kiln/C %.2f   (max rel err %.1g)\n", t_kiln_sin, t_c_sin,
           t_kiln_sin / t_c_sin, err_sin);
    printf("  sin2 f32         kiln %8.3f   C loop %8.3f   kiln/C %.2f   (max rel err %.1g)\n", t_kiln_sinf, t_c_sinf,
           t_kiln_sinf / t_c_sinf, err_sinf);
    printf("  first sin2 call (a new kernel; JIT already started) %.2f ms, of which compile %.2f ms "
           "(emit %.2f, opt %.2f, codegen %.2f)\n", first_sin2, compile_sin2, emit_ms, opt_ms, cg_ms);
    printf("  new kernel in a running context, first call: %.2f ms\n", compile_new);
    printf("  parse and bind 'sin(a)*sin(a) + b*2.5 - c/3': %.2f us\n", us_parse);
    printf("  sum(a*b) f64     kiln %8.3f   C loop %8.3f   kiln/C %.2f   (sums %.17g, %.17g; floor %.2f ms)\n", t_kiln_dot,
           t_c_dot, t_kiln_dot / t_c_dot, dsum, csum, floor_dot);
    printf("  W@X+b f32 1024^3 kiln %8.3f   sgemm alone %8.3f (OpenBLAS, %s kernels)   kiln/sgemm %.3f   %.0f GFLOP/s\n",
           t_kiln_gemm, t_sgemm, core, t_kiln_gemm / t_sgemm, 2.0 * 1024 * 1024 * 1024 / (t_kiln_gemm * 1e-3) * 1e-9);
    printf("  logistic-regression step, X 1000x100000 f64: kiln %.3f ms (reading X twice at the triad's rate: %.2f ms)\n",
           t_logreg, floor_logreg);
    for (int c = 0; c < NSTACKS; c++)
        printf("  stack %-28s kiln %8.3f   C loop of gemm calls %8.3f   kiln/C %.2f\n", stacks[c].name, t_stack_kiln[c],
               t_stack_c[c], t_stack_kiln[c] / t_stack_c[c]);
    for (int c = 0; c < NLAS; c++) printf("  linalg %-36s kiln %8.3f ms\n", las[c], t_la[c]);
    for (int c = 0; c < NSORTS; c++) printf("  sort %-38s kiln %8.3f ms\n", sorts[c], t_sort[c]);
    for (int c = 0; c < NSEARCHES; c++) printf("  search %-36s kiln %8.3f ms\n", searches[c], t_search[c]);
    for (int c = 0; c < NSCANS; c++) printf("  scan   %-36s kiln %8.3f ms\n", scans[c], t_scan[c]);
    for (int c = 0; c < NTRANS; c++) printf("  across %-36s kiln %8.3f ms\n", trans[c], t_trans[c]);
    for (int c = 0; c < NDRAWS; c++) printf("  draw   %-36s kiln %8.3f ms\n", draws[c], t_draw[c]);

    if (json) {
        FILE *f = fopen(json, "w");
        if (!f) {
            perror(json);
            return 1;
        }
        fprintf(f, "{\"threads\": %d, \"triad_ms\": %.4f, \"triad_gbs\": %.2f, \"floor_fma_ms\": %.4f, \"floor_sin_ms\": %.4f,\n",
                threads, t_triad, triad_gbs, floor_fma, floor_sin);
        fprintf(f, " \"fma_big\": {\"kiln\": %.4f, \"c\": %.4f},\n", t_kiln_fma, t_c_fma);
        fprintf(f, " \"fma_small_us\": {\"kiln\": %.4f, \"c\": %.4f},\n", us_kiln_small, us_c_small);
        fprintf(f, " \"sin2_f64\": {\"kiln\": %.4f, \"c\": %.4f},\n", t_kiln_sin, t_c_sin);
        fprintf(f, " \"sin2_f32\": {\"kiln\": %.4f, \"c\": %.4f},\n", t_kiln_sinf, t_c_sinf);
        fprintf(f, " \"dot\": {\"kiln\": %.4f, \"c\": %.4f}, \"floor_dot_ms\": %.4f,\n", t_kiln_dot, t_c_dot, floor_dot);
        fprintf(f, " \"gemm\": {\"kiln\": %.4f, \"sgemm\": %.4f, \"core\": \"%s\"},\n", t_kiln_gemm, t_sgemm, core);
        fprintf(f, " \"logreg\": {\"kiln\": %.4f}, \"floor_logreg_ms\": %.4f,\n", t_logreg, floor_logreg);
        fprintf(f, " \"stacks\": [");
        for (int c = 0; c < NSTACKS; c++)
            fprintf(f, "%s{\"case\": \"%s\", \"kiln\": %.4f, \"c\": %.4f}", c ? ", " : "", stacks[c].name, t_stack_kiln[c],
                    t_stack_c[c]);
        fprintf(f, "],\n \"linalg\": [");
        for (int c = 0; c < NLAS; c++) fprintf(f, "%s{\"case\": \"%s\", \"kiln\": %.4f}", c ? ", " : "", las[c], t_la[c]);
        fprintf(f, "],\n \"sorts\": [");
        for (int c = 0; c < NSORTS; c++) fprintf(f, "%s{\"case\": \"%s\", \"kiln\": %.4f}", c ? ", " : "", sorts[c], t_sort[c]);
        fprintf(f, "],\n \"searches\": [");
        for (int c = 0; c < NSEARCHES; c++)
            fprintf(f, "%s{\"case\": \"%s\", \"kiln\": %.4f}", c ? ", " : "", searches[c], t_search[c]);
        fprintf(f, "],\n \"scans\": [");
        for (int c = 0; c < NSCANS; c++) fprintf(f, "%s{\"case\": \"%s\", \"kiln\": %.4f}", c ? ", " : "", scans[c], t_scan[c]);
        fprintf(f, "],\n \"transposes\": [");
        for (int c = 0; c < NTRANS; c++) fprintf(f, "%s{\"case\": \"%s\", \"kiln\": %.4f}", c ? ", " : "", trans[c], t_trans[c]);
        fprintf(f, "],\n \"draws\": [");
        for (int c = 0; c < NDRAWS; c++) fprintf(f, "%s{\"case\": \"%s\", \"kiln\": %.4f}", c ? ", " : "", draws[c], t_draw[c]);
        fprintf(f, "],\n");
        fprintf(f, " \"compile_new_ms\": %.4f, \"compile_sin2_ms\": %.4f, \"first_sin2_ms\": %.4f, \"parse_us\": %.4f}\n",
                compile_new, compile_sin2, first_sin2, us_parse);
        fclose(f);
    }
    kiln_ctx_free(ctx);
    return 0;
}
