/*
 * logistic_regression.c — logistic regression trained by gradient descent, the classic
 * vectorized step written once as a lazy graph and evaluated every epoch:
 *
 *     Z = w.T@X + b;  A = 1/(1+exp(-Z));  dz = A - Y;  dw = X@dz.T/m;  db = sum(dz)/m
 *     cost = -mean(Y*log(A) + (1-Y)*log(1-A))
 *
 * w and b are arrays the graph reads; each epoch kiln_eval_many computes dw, db and the cost
 * together (A and dz once, X read twice), then w and b are updated in place by two more tiny
 * expressions.  Nothing is rebuilt or recompiled after the first epoch.
 *
 *     example_logistic_regression [epochs] [samples]      (default 200, 20000; 20 features)
 */
#include <kiln.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double gauss(void) { /* Box-Muller */
    double u = (rand() + 1.0) / (RAND_MAX + 2.0), v = (rand() + 1.0) / (RAND_MAX + 2.0);
    return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

int main(int argc, char **argv) {
    int epochs = argc > 1 ? atoi(argv[1]) : 200;
    int64_t nf = 20, m = argc > 2 ? atoll(argv[2]) : 20000;
    double lr = 0.5;
    /* synthetic data: labels from a hidden weight vector, with noise */
    double *X = malloc((size_t)(nf * m) * sizeof *X), *Y = malloc((size_t)m * sizeof *Y), wtrue[20];
    if (!X || !Y) return 1;
    srand(7);
    for (int f = 0; f < nf; f++) wtrue[f] = gauss();
    for (int64_t j = 0; j < m; j++) {
        double z = 0.3;
        for (int f = 0; f < nf; f++) {
            X[f * m + j] = gauss();
            z += wtrue[f] * X[f * m + j];
        }
        Y[j] = z + 0.5 * gauss() > 0;
    }
    kiln_ctx *ctx = kiln_ctx_new(NULL);
    kiln_array *Xa = kiln_wrap(ctx, KILN_F64, 2, (int64_t[]){nf, m}, NULL, X);
    kiln_array *Ya = kiln_wrap(ctx, KILN_F64, 2, (int64_t[]){1, m}, NULL, Y);
    kiln_array *wa = kiln_array_new(ctx, KILN_F64, 2, (int64_t[]){nf, 1});
    kiln_array *ba = kiln_array_new(ctx, KILN_F64, 0, NULL);
    double *w = kiln_array_data(wa), *b = kiln_array_data(ba);
    for (int f = 0; f < nf; f++) w[f] = 0;
    *b = 0;

    /* the step, built once */
    kiln_expr *x = kiln_var(ctx, Xa), *y = kiln_var(ctx, Ya), *wv = kiln_var(ctx, wa), *bv = kiln_var(ctx, ba);
    kiln_expr *one = kiln_scalar(ctx, 1.0), *mm = kiln_scalar(ctx, (double)m);
    kiln_expr *z = kiln_add(ctx, kiln_matmul(ctx, kiln_transpose(ctx, wv), x), bv);
    kiln_expr *A = kiln_div(ctx, one, kiln_add(ctx, one, kiln_exp(ctx, kiln_neg(ctx, z))));
    kiln_expr *dz = kiln_sub(ctx, A, y);
    kiln_expr *dw = kiln_div(ctx, kiln_matmul(ctx, x, kiln_transpose(ctx, dz)), mm);
    kiln_expr *db = kiln_div(ctx, kiln_sum(ctx, dz, KILN_ALL_AXES, 0), mm);
    kiln_expr *cost = kiln_neg(ctx, kiln_mean(ctx, kiln_add(ctx, kiln_mul(ctx, y, kiln_log(ctx, A)),
                                                          kiln_mul(ctx, kiln_sub(ctx, one, y), kiln_log(ctx, kiln_sub(ctx, one, A)))),
                                         KILN_ALL_AXES, 0));
    kiln_expr *acc = kiln_mean(ctx, kiln_eq(ctx, kiln_gt(ctx, A, kiln_scalar(ctx, 0.5)), kiln_gt(ctx, y, kiln_scalar(ctx, 0.5))),
                               KILN_ALL_AXES, 0);
    kiln_array *dwa = kiln_array_new(ctx, KILN_F64, 2, (int64_t[]){nf, 1}), *dba = kiln_array_new(ctx, KILN_F64, 0, NULL);
    kiln_array *ca = kiln_array_new(ctx, KILN_F64, 0, NULL), *aa = kiln_array_new(ctx, KILN_F64, 0, NULL);
    kiln_expr *lrv = kiln_scalar(ctx, lr), *dwv = kiln_var(ctx, dwa), *dbv = kiln_var(ctx, dba);
    kiln_expr *w_next = kiln_sub(ctx, wv, kiln_mul(ctx, lrv, dwv)), *b_next = kiln_sub(ctx, bv, kiln_mul(ctx, lrv, dbv));
    if (!w_next || !b_next || !cost || !acc) {
        fprintf(stderr, "kiln: %s\n", kiln_errmsg(ctx));
        return 1;
    }
    double t0 = now();
    for (int e = 0; e < epochs; e++) {
        kiln_expr *roots[3] = {dw, db, cost};
        kiln_array *outs[3] = {dwa, dba, ca};
        if (kiln_eval_many(ctx, 3, roots, outs) != KILN_OK || kiln_eval_into(ctx, w_next, wa) != KILN_OK ||
            kiln_eval_into(ctx, b_next, ba) != KILN_OK) {
            fprintf(stderr, "kiln: %s\n", kiln_errmsg(ctx));
            return 1;
        }
        if (e % (epochs / 10 > 0 ? epochs / 10 : 1) == 0 || e == epochs - 1)
            printf("epoch %4d  loss %.6f\n", e, *(double *)kiln_array_data(ca));
    }
    double t = now() - t0;
    kiln_eval_into(ctx, acc, aa);
    kiln_stats st;
    kiln_get_stats(ctx, &st);
    printf("%d epochs on %lld samples x %lld features: %.1f ms (%.3f ms per epoch, %llu kernels compiled)\n", epochs,
           (long long)m, (long long)nf, t * 1e3, t * 1e3 / epochs, (unsigned long long)st.kernels_compiled);
    double accuracy = *(double *)kiln_array_data(aa);
    printf("final training accuracy %.4f\n", accuracy);
    kiln_ctx_free(ctx); /* and with it every expression and array handle above */
    free(X);
    free(Y);
    return accuracy > 0.8 ? 0 : 1;
}
