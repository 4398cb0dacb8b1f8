/*
 * perceptron.c — a perceptron's net input and prediction for a batch of samples,
 * with a C loop and with kiln.
 *
 *     z = w0*x0 + w1*x1 + w2*x2 + b        (one value per sample)
 *     prediction = where(z >= 0, 1, -1)
 *
 * Each feature is a column array of n samples; kiln fuses the whole thing (three multiplies,
 * three adds, a comparison and a select) into one kernel and one pass over memory.
 *
 *     example_perceptron [n]        (default 10,000,000)
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

int main(int argc, char **argv) {
    int64_t n = argc > 1 ? atoll(argv[1]) : 10000000;
    const double w[3] = {0.4, -1.3, 0.7}, bias = 0.1;
    double *x[3], *z_loop = malloc((size_t)n * sizeof(double));
    int64_t *pred_loop = malloc((size_t)n * sizeof(int64_t)), *pred = malloc((size_t)n * sizeof(int64_t));
    for (int f = 0; f < 3; f++) {
        x[f] = malloc((size_t)n * sizeof(double));
        for (int64_t i = 0; i < n; i++) x[f][i] = sin((double)(i * (f + 1)) * 0.37);
    }

    double t0 = now();
    for (int64_t i = 0; i < n; i++) {
        z_loop[i] = w[0] * x[0][i] + w[1] * x[1][i] + w[2] * x[2][i] + bias;
        pred_loop[i] = z_loop[i] >= 0 ? 1 : -1;
    }
    double t_loop = now() - t0;

    kiln_ctx *ctx = kiln_ctx_new(NULL);
    kiln_expr *z = kiln_scalar(ctx, bias);
    kiln_array *cols[3];
    for (int f = 2; f >= 0; f--) { /* z = w0*x0 + (w1*x1 + (w2*x2 + b)) ... built as the loop adds */
        cols[f] = kiln_wrap(ctx, KILN_F64, 1, &n, NULL, x[f]);
        kiln_expr *v = kiln_var(ctx, cols[f]), *wf = kiln_scalar(ctx, w[f]), *t = kiln_mul(ctx, wf, v);
        kiln_expr *nz = kiln_add(ctx, t, z);
        kiln_expr_free(v);
        kiln_expr_free(wf);
        kiln_expr_free(t);
        kiln_expr_free(z);
        z = nz;
    }
    kiln_expr *zero = kiln_scalar(ctx, 0.0), *one = kiln_int(ctx, 1), *mone = kiln_int(ctx, -1);
    kiln_expr *ge = kiln_ge(ctx, z, zero);
    kiln_expr *p = kiln_where(ctx, ge, one, mone);                /* int64, like NumPy */
    kiln_array *P = kiln_wrap(ctx, KILN_I64, 1, &n, NULL, pred);

    t0 = now();
    kiln_status st = kiln_eval_into(ctx, p, P);
    double t_first = now() - t0;
    t0 = now();
    if (st == KILN_OK) st = kiln_eval_into(ctx, p, P);
    double t_cached = now() - t0;
    if (st != KILN_OK) {
        fprintf(stderr, "kiln: %s\n", kiln_errmsg(ctx));
        return 1;
    }
    int64_t differ = 0, positive = 0;
    for (int64_t i = 0; i < n; i++) {
        /* the loop adds left to right, kiln as built (w2*x2 + b first): z may differ in the
         * last bit, which can flip a prediction only where z is within rounding of 0 */
        if (pred[i] != pred_loop[i] && fabs(z_loop[i]) > 1e-12) differ++;
        positive += pred[i] > 0;
    }
    printf("perceptron net input and prediction, n = %lld, %d threads\n", (long long)n, kiln_num_threads(ctx));
    printf("  C loop (one thread)         %9.3f ms\n", t_loop * 1e3);
    printf("  kiln first call (+compile)  %9.3f ms\n", t_first * 1e3);
    printf("  kiln cached call            %9.3f ms\n", t_cached * 1e3);
    printf("  %lld of %lld predicted +1; max error (predictions that differ) %lld\n", (long long)positive, (long long)n,
           (long long)differ);

    kiln_expr *all[] = {z, zero, one, mone, ge, p};
    for (int i = 0; i < 6; i++) kiln_expr_free(all[i]);
    for (int f = 0; f < 3; f++) kiln_array_free(cols[f]);
    kiln_array_free(P);
    kiln_ctx_free(ctx);
    for (int f = 0; f < 3; f++) free(x[f]);
    free(z_loop);
    free(pred_loop);
    free(pred);
    return differ == 0 ? 0 : 1;
}
