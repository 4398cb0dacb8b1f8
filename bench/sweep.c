/*
 * sweep.c — kiln against the C loop at every size from 10^2 to 10^7 elements, in one process:
 * a*b+c, sin(a)*sin(a), sum(a*b) (float64) and the logistic-regression step over X (20 × n/20)
 * as examples/logistic_regression.c writes it (dw, db and the cost in one kiln_eval_many, then
 * w and b updated), plus that example's own epoch (20000 × 20).  The C loop is the faster of
 * a serial loop and an OpenMP one at each size (what a careful programmer would pick).  Each
 * figure is µs per call, the median of 7 batches long enough to time (kiln's and C's batches
 * alternate); writes JSON (argv[1]) for bench/sweep_report.py, which puts NumPy, numexpr and
 * Numba (bench/sweep_anchors.py, same sizes, same run) beside them.
 */
#include <kiln.h>
#include <math.h>
#include <omp.h>
#include <stdbool.h>
#include <string.h>

#include "bench.h"

#define NSIZES 6
static const long sizes[NSIZES] = {100, 1000, 10000, 100000, 1000000, 10000000};
#define NF 20 /* the logistic step's features */
#define LR 0.1

enum { FMA, SIN2, DOT, LOGREG, NCASES };
static const char *const case_names[NCASES] = {"fma", "sin2", "dot", "logistic"};

/* One thing to time: kiln's evaluation of a case, or the C loop (serial or OpenMP). */
typedef struct {
    int what, engine; /* engine: 0 kiln, 1 C serial, 2 C OpenMP */
    long n;
    kiln_ctx *ctx;
    kiln_expr *e, *roots[3], *w_next, *b_next;
    kiln_array *out, *outs[3], *w, *b;
    double *a, *bb, *c, *o, *X, *Y, *cw, cb;
} job;

static volatile double sink;

static void check(kiln_ctx *ctx, kiln_status st) {
    if (st != KILN_OK) {
        fprintf(stderr, "kiln_sweep_bench: %s\n", kiln_errmsg(ctx));
        exit(1);
    }
}

static void run(job *j) {
    if (j->engine == 0) {
        if (j->what != LOGREG) {
            check(j->ctx, kiln_eval_into(j->ctx, j->e, j->out));
            return;
        }
        check(j->ctx, kiln_eval_many(j->ctx, 3, j->roots, j->outs));
        check(j->ctx, kiln_eval_into(j->ctx, j->w_next, j->w));
        check(j->ctx, kiln_eval_into(j->ctx, j->b_next, j->b));
        return;
    }
    bool par = j->engine == 2;
    switch (j->what) {
    case FMA: (par ? hw_fma : hw_fma_serial)(j->a, j->bb, j->c, j->o, j->n); break;
    case SIN2: (par ? hw_sin2 : hw_sin2_serial)(j->a, j->o, j->n); break;
    case DOT: sink = (par ? hw_dot : hw_dot_serial)(j->a, j->bb, j->n); break;
    case LOGREG: sink = hw_logistic(j->X, j->Y, j->cw, &j->cb, NF, j->n / NF, LR, par ? omp_get_max_threads() : 1); break;
    }
}

/* Calls per batch: doubled from 1 until a batch takes 2 ms. */
static long batch_of(job *j) {
    run(j);
    long calls = 1;
    for (;;) {
        double t0 = now();
        for (long c = 0; c < calls; c++) run(j);
        if (now() - t0 >= 2e-3 || calls >= (1L << 24)) return calls;
        calls *= 2;
    }
}

/* µs per call of each job, batches alternating. */
static void time_jobs(job *js, int n, double *us) {
    long calls[3];
    double t[3][7];
    for (int k = 0; k < n; k++) calls[k] = batch_of(&js[k]);
    for (int r = 0; r < 7; r++)
        for (int k = 0; k < n; k++) {
            double t0 = now();
            for (long c = 0; c < calls[k]; c++) run(&js[k]);
            t[k][r] = (now() - t0) * 1e6 / (double)calls[k];
        }
    for (int k = 0; k < n; k++) us[k] = median(t[k], 7);
}

/* examples/logistic_regression.c's step over X (NF × m) and Y (1 × m), for job j. */
static void logistic_graph(job *j, kiln_array *Xa, kiln_array *Ya, long m) {
    kiln_ctx *ctx = j->ctx;
    j->w = kiln_array_new(ctx, KILN_F64, 2, (int64_t[]){NF, 1});
    j->b = kiln_array_new(ctx, KILN_F64, 0, NULL);
    memset(kiln_array_data(j->w), 0, NF * sizeof(double));
    *(double *)kiln_array_data(j->b) = 0;
    kiln_expr *x = kiln_var(ctx, Xa), *y = kiln_var(ctx, Ya), *wv = kiln_var(ctx, j->w), *bv = kiln_var(ctx, j->b);
    kiln_expr *one = kiln_scalar(ctx, 1.0), *mm = kiln_scalar(ctx, (double)m);
    kiln_expr *z = kiln_add(ctx, kiln_matmul(ctx, kiln_transpose(ctx, wv), x), bv);
    kiln_expr *A = kiln_div(ctx, one, kiln_add(ctx, one, kiln_exp(ctx, kiln_neg(ctx, z))));
    kiln_expr *dz = kiln_sub(ctx, A, y);
    j->roots[0] = kiln_div(ctx, kiln_matmul(ctx, x, kiln_transpose(ctx, dz)), mm);
    j->roots[1] = kiln_div(ctx, kiln_sum(ctx, dz, KILN_ALL_AXES, 0), mm);
    j->roots[2] = kiln_neg(ctx, kiln_mean(ctx, kiln_add(ctx, kiln_mul(ctx, y, kiln_log(ctx, A)),
                                                        kiln_mul(ctx, kiln_sub(ctx, one, y), kiln_log(ctx, kiln_sub(ctx, one, A)))),
                                          KILN_ALL_AXES, 0));
    for (int k = 0; k < 3; k++) j->outs[k] = kiln_array_new(ctx, KILN_F64, k ? 0 : 2, (int64_t[]){NF, 1});
    kiln_expr *lr = kiln_scalar(ctx, LR);
    j->w_next = kiln_sub(ctx, wv, kiln_mul(ctx, lr, kiln_var(ctx, j->outs[0])));
    j->b_next = kiln_sub(ctx, bv, kiln_mul(ctx, lr, kiln_var(ctx, j->outs[1])));
    if (!j->w_next || !j->b_next || !j->roots[2]) check(ctx, kiln_errcode(ctx));
}

int main(int argc, char **argv) {
    const char *json = argc > 1 ? argv[1] : NULL;
    long nmax = sizes[NSIZES - 1];
    double *a = big((size_t)nmax * 8), *b = big((size_t)nmax * 8), *c = big((size_t)nmax * 8), *o = big((size_t)nmax * 8);
    double *Y = big((size_t)nmax * 8), cw[NF];
    for (long i = 0; i < nmax; i++) {
        b[i] = (double)(i % 777) * 2e-3;
        c[i] = (double)(i % 333);
        Y[i] = i % 3 == 0;
    }
    kiln_ctx *ctx = kiln_ctx_new(NULL);
    if (!ctx) return 1;
    double us[NCASES][NSIZES][3]; /* kiln, C serial, C OpenMP */
    for (int s = 0; s < NSIZES; s++) {
        long n = sizes[s], m = n / NF;
        int64_t shp[1] = {n};
        kiln_array *A = kiln_wrap(ctx, KILN_F64, 1, shp, NULL, a), *B = kiln_wrap(ctx, KILN_F64, 1, shp, NULL, b);
        kiln_array *C = kiln_wrap(ctx, KILN_F64, 1, shp, NULL, c), *O = kiln_wrap(ctx, KILN_F64, 1, shp, NULL, o);
        kiln_array *S = kiln_array_new(ctx, KILN_F64, 0, NULL);
        kiln_array *Xa = kiln_wrap(ctx, KILN_F64, 2, (int64_t[]){NF, m}, NULL, a), *Ya = kiln_wrap(ctx, KILN_F64, 2, (int64_t[]){1, m}, NULL, Y);
        kiln_expr *av = kiln_var(ctx, A), *bv = kiln_var(ctx, B), *cv = kiln_var(ctx, C);
        kiln_expr *sa = kiln_sin(ctx, av);
        kiln_expr *es[3] = {kiln_add(ctx, kiln_mul(ctx, av, bv), cv), kiln_mul(ctx, sa, sa), kiln_sum(ctx, kiln_mul(ctx, av, bv), KILN_ALL_AXES, 0)};
        kiln_array *outs[3] = {O, O, S};
        for (int k = 0; k < NCASES; k++) {
            job js[3];
            for (int e = 0; e < 3; e++)
                js[e] = (job){.what = k, .engine = e, .n = n, .ctx = ctx, .a = a, .bb = b, .c = c, .o = o, .X = a, .Y = Y, .cw = cw};
            if (k == LOGREG) {
                logistic_graph(&js[0], Xa, Ya, m);
                memset(cw, 0, sizeof cw);
                js[1].cb = js[2].cb = 0;
            } else {
                js[0].e = es[k];
                js[0].out = outs[k];
            }
            time_jobs(js, 3, us[k][s]);
            if (k == LOGREG) { /* the graph and its arrays go with the size */
                for (int r = 0; r < 3; r++) kiln_expr_free(js[0].roots[r]), kiln_array_free(js[0].outs[r]);
                kiln_expr_free(js[0].w_next), kiln_expr_free(js[0].b_next);
                kiln_array_free(js[0].w), kiln_array_free(js[0].b);
            }
            double cbest = us[k][s][1] < us[k][s][2] ? us[k][s][1] : us[k][s][2];
            printf("%-9s %9ld  kiln %10.3f µs  C %10.3f µs (serial %.3f, OpenMP %.3f)  kiln/C %.2f\n", case_names[k], n, us[k][s][0],
                   cbest, us[k][s][1], us[k][s][2], us[k][s][0] / cbest);
            fflush(stdout);
        }
        for (int k = 0; k < 3; k++) kiln_expr_free(es[k]);
        kiln_expr_free(sa), kiln_expr_free(av), kiln_expr_free(bv), kiln_expr_free(cv);
        kiln_array_free(A), kiln_array_free(B), kiln_array_free(C), kiln_array_free(O), kiln_array_free(S);
        kiln_array_free(Xa), kiln_array_free(Ya);
    }
    /* examples/logistic_regression.c's epoch: 20000 samples × 20 features */
    double ex[3];
    {
        long m = 20000;
        kiln_array *Xa = kiln_wrap(ctx, KILN_F64, 2, (int64_t[]){NF, m}, NULL, a), *Ya = kiln_wrap(ctx, KILN_F64, 2, (int64_t[]){1, m}, NULL, Y);
        job js[3];
        for (int e = 0; e < 3; e++) js[e] = (job){.what = LOGREG, .engine = e, .n = NF * m, .ctx = ctx, .X = a, .Y = Y, .cw = cw};
        logistic_graph(&js[0], Xa, Ya, m);
        memset(cw, 0, sizeof cw);
        time_jobs(js, 3, ex);
        printf("example epoch (20000 x 20)  kiln %.3f µs  C serial %.3f, OpenMP %.3f\n", ex[0], ex[1], ex[2]);
    }
    if (json) {
        FILE *f = fopen(json, "w");
        if (!f) {
            perror(json);
            return 1;
        }
        fprintf(f, "{\"threads\": %d, \"sizes\": [", omp_get_max_threads());
        for (int s = 0; s < NSIZES; s++) fprintf(f, "%s%ld", s ? ", " : "", sizes[s]);
        fprintf(f, "],\n");
        for (int k = 0; k < NCASES; k++) {
            fprintf(f, " \"%s\": {", case_names[k]);
            const char *eng[3] = {"kiln", "c_serial", "c_omp"};
            for (int e = 0; e < 3; e++) {
                fprintf(f, "%s\"%s\": [", e ? ", " : "", eng[e]);
                for (int s = 0; s < NSIZES; s++) fprintf(f, "%s%.4f", s ? ", " : "", us[k][s][e]);
                fprintf(f, "]");
            }
            fprintf(f, "},\n");
        }
        fprintf(f, " \"example_epoch_us\": {\"kiln\": %.3f, \"c_serial\": %.3f, \"c_omp\": %.3f}}\n", ex[0], ex[1], ex[2]);
        fclose(f);
    }
    kiln_ctx_free(ctx);
    return 0;
}
