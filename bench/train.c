/*
 * train.c — the training workloads of the autodiff issue, kiln's side: softmax over rows
 * (100000 × 10 and 256 × 10, float64 and float32), the logistic-regression step over X 1000 ×
 * 100000 written by hand and with kiln_grad, and one epoch of a two-layer MLP trained by
 * mini-batch SGD with kiln_grad (8192 samples of 32 features, 64 hidden units, 10 classes,
 * batches of 64: examples/mlp.c's network).  The data are formulas, the same in
 * bench/train_anchors.py, so NumPy and JAX train the very same network from the same weights
 * and the epoch's mean loss is compared across all three.  Writes JSON (argv[1]) for
 * bench/train_report.py.  Medians of repeated runs after a warm-up.
 */
#include <kiln.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "bench.h"

#define REPS 11

static void check(kiln_ctx *ctx, kiln_status st) {
    if (st != KILN_OK) {
        fprintf(stderr, "kiln_train_bench: %s\n", kiln_errmsg(ctx));
        exit(1);
    }
}

/* The median time (ms) of REPS runs of stmt after one warm-up. */
#define TIME_MS(out, stmt)                      \
    do {                                        \
        double t_[REPS];                        \
        stmt;                                   \
        for (int r_ = 0; r_ < REPS; r_++) {     \
            double t0_ = now();                 \
            stmt;                               \
            t_[r_] = (now() - t0_) * 1e3;       \
        }                                       \
        out = median(t_, REPS);                 \
    } while (0)

/* ---- softmax over rows */

static double time_softmax(kiln_ctx *ctx, int64_t rows, kiln_dtype dt) {
    int64_t sh[2] = {rows, 10};
    kiln_array *z = kiln_array_new(ctx, dt, 2, sh), *o = kiln_array_new(ctx, dt, 2, sh);
    for (int64_t i = 0; i < rows; i++)
        for (int j = 0; j < 10; j++) {
            double v = sin((double)i * 0.37 + j * 1.1) * 3;
            if (dt == KILN_F32) ((float *)kiln_array_data(z))[i * 10 + j] = (float)v;
            else ((double *)kiln_array_data(z))[i * 10 + j] = v;
        }
    kiln_expr *x = kiln_var(ctx, z), *s = kiln_softmax(ctx, x, 1);
    double t;
    if (rows < 10000) { /* small: many calls a sample */
        double ts[REPS];
        check(ctx, kiln_eval_into(ctx, s, o));
        for (int r = 0; r < REPS; r++) {
            double t0 = now();
            for (int k = 0; k < 1000; k++) kiln_eval_into(ctx, s, o);
            ts[r] = (now() - t0) * 1e3 / 1000;
        }
        t = median(ts, REPS);
    } else {
        TIME_MS(t, check(ctx, kiln_eval_into(ctx, s, o)));
    }
    kiln_expr_free(s);
    kiln_expr_free(x);
    kiln_array_free(z);
    kiln_array_free(o);
    return t;
}

/* ---- the MLP: examples/mlp.c's network on formula data */

#define M 8192
#define NIN 32
#define NH 64
#define NCLS 10
#define BS 64

typedef struct mlp {
    kiln_array *X, *Y, *init[4], *w[2][4], *loss;
    kiln_expr *p[4], *xb, *yb, *roots[5];
} mlp;

static void mlp_make(kiln_ctx *ctx, mlp *n) {
    n->X = kiln_array_new(ctx, KILN_F64, 2, (int64_t[]){M, NIN});
    n->Y = kiln_array_new(ctx, KILN_F64, 2, (int64_t[]){M, NCLS});
    double *x = kiln_array_data(n->X), *y = kiln_array_data(n->Y);
    memset(y, 0, sizeof(double) * M * NCLS);
    for (int i = 0; i < M; i++) {
        int lab = (i * 7) % NCLS;
        y[i * NCLS + lab] = 1;
        for (int f = 0; f < NIN; f++) x[i * NIN + f] = cos(lab * 1.1 + f * 0.37) * 2 + sin(i * 0.13 + f * 0.71) * 1.5;
    }
    int64_t shapes[4][2] = {{NIN, NH}, {NH, 0}, {NH, NCLS}, {NCLS, 0}};
    int nds[4] = {2, 1, 2, 1};
    for (int k = 0; k < 4; k++) {
        n->init[k] = kiln_array_new(ctx, KILN_F64, nds[k], shapes[k]);
        for (int b = 0; b < 2; b++) n->w[b][k] = kiln_array_new(ctx, KILN_F64, nds[k], shapes[k]);
        double *d = kiln_array_data(n->init[k]);
        for (int64_t a = 0; a < shapes[k][0]; a++)
            for (int64_t c = 0; c < (nds[k] == 2 ? shapes[k][1] : 1); c++)
                d[a * (nds[k] == 2 ? shapes[k][1] : 1) + c] =
                    nds[k] == 1 ? 0
                    : k == 0    ? sin(a * 0.31 + c * 0.17 + 0.5) * sqrt(2.0 / NIN)
                                : sin(a * 0.23 + c * 0.41 + 1.5) * sqrt(2.0 / NH);
        n->p[k] = kiln_param(ctx, KILN_F64, nds[k], shapes[k]);
    }
    n->xb = kiln_param(ctx, KILN_F64, 2, (int64_t[]){BS, NIN});
    n->yb = kiln_param(ctx, KILN_F64, 2, (int64_t[]){BS, NCLS});
    kiln_expr *h = kiln_relu(ctx, kiln_add(ctx, kiln_matmul(ctx, n->xb, n->p[0]), n->p[1]));
    kiln_expr *logits = kiln_add(ctx, kiln_matmul(ctx, h, n->p[2]), n->p[3]);
    kiln_expr *ce = kiln_sum(ctx, kiln_mul(ctx, n->yb, kiln_log_softmax(ctx, logits, 1)), 1, 0);
    kiln_expr *loss = kiln_neg(ctx, kiln_mean(ctx, ce, KILN_ALL_AXES, 0)), *g[4], *rate = kiln_scalar(ctx, 0.1);
    check(ctx, kiln_grad(ctx, loss, 4, n->p, g));
    n->roots[0] = loss;
    for (int k = 0; k < 4; k++) n->roots[k + 1] = kiln_sub(ctx, n->p[k], kiln_mul(ctx, rate, g[k]));
    n->loss = kiln_array_new(ctx, KILN_F64, 0, NULL);
}

/* One epoch from the initial weights; the mean loss of its steps. */
static double mlp_epoch(kiln_ctx *ctx, mlp *n) {
    for (int k = 0; k < 4; k++)
        memcpy(kiln_array_data(n->w[0][k]), kiln_array_data(n->init[k]), (size_t)kiln_array_size(n->init[k]) * sizeof(double));
    int cur = 0;
    double total = 0;
    for (int i = 0; i < M / BS; i++) {
        kiln_array *xv = kiln_array_view(ctx, n->X, 2, (int64_t[]){BS, NIN}, (int64_t[]){NIN * 8, 8}, (int64_t)i * BS * NIN * 8);
        kiln_array *yv = kiln_array_view(ctx, n->Y, 2, (int64_t[]){BS, NCLS}, (int64_t[]){NCLS * 8, 8}, (int64_t)i * BS * NCLS * 8);
        check(ctx, kiln_bind(ctx, n->xb, xv));
        check(ctx, kiln_bind(ctx, n->yb, yv));
        for (int k = 0; k < 4; k++) check(ctx, kiln_bind(ctx, n->p[k], n->w[cur][k]));
        kiln_array *outs[5] = {n->loss, n->w[1 - cur][0], n->w[1 - cur][1], n->w[1 - cur][2], n->w[1 - cur][3]};
        check(ctx, kiln_eval_many(ctx, 5, n->roots, outs));
        cur = 1 - cur;
        total += *(double *)kiln_array_data(n->loss);
        kiln_array_free(xv);
        kiln_array_free(yv);
    }
    return total / (M / BS);
}

int main(int argc, char **argv) {
    const char *json = argc > 1 ? argv[1] : NULL;
    kiln_ctx *ctx = kiln_ctx_new(NULL);
    if (!ctx) return 1;
    int threads = kiln_num_threads(ctx);

    /* the triad's rate, for the floors */
    long nt = 10000000;
    double *ta = big((size_t)nt * 8), *tb = big((size_t)nt * 8), *tc = big((size_t)nt * 8);
    double t_triad = best_triad_ms(ta, tb, tc, nt, 2 * REPS);
    double gbs = 3.0 * (double)nt * 8 / (t_triad * 1e-3) / 1e9;
    munmap(ta, (size_t)nt * 8);
    munmap(tb, (size_t)nt * 8);
    munmap(tc, (size_t)nt * 8);

    double sm[2][2]; /* [big, small][f64, f32] */
    for (int f = 0; f < 2; f++) {
        sm[0][f] = time_softmax(ctx, 100000, f ? KILN_F32 : KILN_F64);
        sm[1][f] = time_softmax(ctx, 256, f ? KILN_F32 : KILN_F64);
    }
    double floor_sm = 2.0 * 100000 * 10 * 8 / (gbs * 1e9) * 1e3; /* read and write 8 MB once */

    /* the logistic step, by hand and with grad */
    int64_t nf = 1000, ms = 100000;
    double *Xl = big((size_t)(nf * ms) * 8), *Yl = big((size_t)ms * 8), *wl = malloc((size_t)nf * 8);
    for (int64_t i = 0; i < nf * ms; i++) Xl[i] = (double)(i * 7 % 1001) * 1e-3 - 0.5;
    for (int64_t i = 0; i < ms; i++) Yl[i] = (double)(i % 3 == 0);
    for (int64_t i = 0; i < nf; i++) wl[i] = (double)(i % 17) * 1e-3;
    kiln_array *XL = kiln_wrap(ctx, KILN_F64, 2, (int64_t[]){nf, ms}, NULL, Xl), *YL = kiln_wrap(ctx, KILN_F64, 2, (int64_t[]){1, ms}, NULL, Yl);
    kiln_array *WL = kiln_wrap(ctx, KILN_F64, 2, (int64_t[]){nf, 1}, NULL, wl), *BL = kiln_array_new(ctx, KILN_F64, 0, NULL);
    *(double *)kiln_array_data(BL) = 0.1;
    kiln_expr *xv = kiln_var(ctx, XL), *yv = kiln_var(ctx, YL), *wv = kiln_var(ctx, WL), *bv = kiln_var(ctx, BL), *one = kiln_scalar(ctx, 1.0);
    kiln_expr *al = kiln_sigmoid(ctx, kiln_add(ctx, kiln_matmul(ctx, kiln_transpose(ctx, wv), xv), bv));
    kiln_expr *dz = kiln_sub(ctx, al, yv), *mm = kiln_scalar(ctx, (double)ms);
    kiln_expr *hand[2] = {kiln_div(ctx, kiln_matmul(ctx, xv, kiln_transpose(ctx, dz)), mm), kiln_div(ctx, kiln_sum(ctx, dz, KILN_ALL_AXES, 0), mm)};
    kiln_expr *loss = kiln_neg(ctx, kiln_mean(ctx, kiln_add(ctx, kiln_mul(ctx, yv, kiln_log(ctx, al)),
                                                           kiln_mul(ctx, kiln_sub(ctx, one, yv), kiln_log(ctx, kiln_sub(ctx, one, al)))),
                                             KILN_ALL_AXES, 0));
    kiln_expr *wrt[2] = {wv, bv}, *gr[2];
    check(ctx, kiln_grad(ctx, loss, 2, wrt, gr));
    kiln_expr *by_grad[3] = {loss, gr[0], gr[1]};
    kiln_array *ho[2] = {kiln_array_new(ctx, KILN_F64, 2, (int64_t[]){nf, 1}), kiln_array_new(ctx, KILN_F64, 0, NULL)};
    kiln_array *go[3] = {kiln_array_new(ctx, KILN_F64, 0, NULL), kiln_array_new(ctx, KILN_F64, 2, (int64_t[]){nf, 1}), kiln_array_new(ctx, KILN_F64, 0, NULL)};
    double t_hand, t_grad, t_readx, sink = 0;
    TIME_MS(t_hand, check(ctx, kiln_eval_many(ctx, 2, hand, ho)));
    TIME_MS(t_grad, check(ctx, kiln_eval_many(ctx, 3, by_grad, go)));
    TIME_MS(t_readx, sink += hw_dot(Xl, Xl, nf * ms)); /* X read once, by the C loop */
    double floor_x = (double)(nf * ms * 8) / (gbs * 1e9) * 1e3;
    double dwdiff = 0, dwmax = 0;
    for (int64_t i = 0; i < nf; i++) {
        double a = ((double *)kiln_array_data(ho[0]))[i], b = ((double *)kiln_array_data(go[1]))[i];
        dwdiff = fmax(dwdiff, fabs(a - b));
        dwmax = fmax(dwmax, fabs(a));
    }
    munmap(Xl, (size_t)(nf * ms) * 8);

    /* the MLP epoch */
    mlp net;
    mlp_make(ctx, &net);
    double t_epoch, mean_loss = 0;
    TIME_MS(t_epoch, mean_loss = mlp_epoch(ctx, &net));

    printf("kiln training benchmark, %d threads (triad %.1f GB/s; medians of %d runs)\n", threads, gbs, REPS);
    printf("  softmax 100000x10 f64 %.3f ms, f32 %.3f ms (reading and writing it once at the triad's rate: %.3f ms)\n", sm[0][0], sm[0][1],
           floor_sm);
    printf("  softmax 256x10 f64 %.2f us, f32 %.2f us a call\n", sm[1][0] * 1e3, sm[1][1] * 1e3);
    printf("  logistic step, X 1000x100000 f64: by hand %.2f ms, with grad (and the loss) %.2f ms; X read once: C loop %.2f ms, "
           "at the triad's rate %.2f ms (dw by hand and by grad: %.2g relative)\n",
           t_hand, t_grad, t_readx, floor_x, dwmax > 0 ? dwdiff / dwmax : dwdiff);
    printf("  MLP epoch (8192 samples, batches of 64): %.3f ms, mean loss %.12f%s\n", t_epoch, mean_loss, sink == 1 ? " " : "");
    if (json) {
        FILE *f = fopen(json, "w");
        if (!f) {
            perror(json);
            return 1;
        }
        fprintf(f, "{\"threads\": %d, \"triad_gbs\": %.2f,\n", threads, gbs);
        fprintf(f, " \"softmax_big\": {\"f64\": %.4f, \"f32\": %.4f}, \"softmax_small_ms\": {\"f64\": %.6f, \"f32\": %.6f}, \"floor_softmax_ms\": %.4f,\n",
                sm[0][0], sm[0][1], sm[1][0], sm[1][1], floor_sm);
        fprintf(f, " \"logistic\": {\"hand\": %.3f, \"grad\": %.3f, \"read_x_c\": %.3f, \"floor_x\": %.3f},\n", t_hand, t_grad, t_readx, floor_x);
        fprintf(f, " \"mlp_epoch\": {\"kiln\": %.4f, \"loss\": %.15g}}\n", t_epoch, mean_loss);
        fclose(f);
    }
    kiln_ctx_free(ctx);
    return 0;
}
