/*
 * linear_layer.c — a dense layer's forward pass, Z = relu(W@X + b), with kiln and with the
 * triple loop it replaces.
 *
 * kiln sends the product to a tuned GEMM (OpenBLAS when installed) and runs the bias add and
 * the relu as the product's epilogue, on each panel of Z while it is still in cache: no second
 * pass over Z, no temporary.
 *
 *     example_linear_layer [batch]      (default 1000: W is 256×784, X is 784×batch, float32)
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
    int64_t m = 256, k = 784, n = argc > 1 ? atoll(argv[1]) : 1000;
    float *W = malloc((size_t)(m * k) * sizeof *W), *X = malloc((size_t)(k * n) * sizeof *X);
    float *b = malloc((size_t)m * sizeof *b), *Zloop = malloc((size_t)(m * n) * sizeof *Zloop), *Z = malloc((size_t)(m * n) * sizeof *Z);
    if (!W || !X || !b || !Zloop || !Z) return 1;
    srand(1);
    for (int64_t i = 0; i < m * k; i++) W[i] = (float)rand() / RAND_MAX - 0.5f;
    for (int64_t i = 0; i < k * n; i++) X[i] = (float)rand() / RAND_MAX;
    for (int64_t i = 0; i < m; i++) b[i] = (float)rand() / RAND_MAX - 0.5f;

    double t0 = now();
    for (int64_t i = 0; i < m; i++)
        for (int64_t j = 0; j < n; j++) {
            float s = 0;
            for (int64_t p = 0; p < k; p++) s += W[i * k + p] * X[p * n + j];
            s += b[i];
            Zloop[i * n + j] = s > 0 ? s : 0;
        }
    double t_loop = now() - t0;

    kiln_ctx *ctx = kiln_ctx_new(NULL);
    kiln_array *Wa = kiln_wrap(ctx, KILN_F32, 2, (int64_t[]){m, k}, NULL, W);
    kiln_array *Xa = kiln_wrap(ctx, KILN_F32, 2, (int64_t[]){k, n}, NULL, X);
    kiln_array *ba = kiln_wrap(ctx, KILN_F32, 2, (int64_t[]){m, 1}, NULL, b); /* a column: broadcasts */
    kiln_array *Za = kiln_wrap(ctx, KILN_F32, 2, (int64_t[]){m, n}, NULL, Z);
    kiln_expr *w = kiln_var(ctx, Wa), *x = kiln_var(ctx, Xa), *bb = kiln_var(ctx, ba);
    kiln_expr *wx = kiln_matmul(ctx, w, x), *pre = kiln_add(ctx, wx, bb), *zero = kiln_scalar(ctx, 0.0);
    kiln_expr *z = kiln_maximum(ctx, pre, zero); /* relu */

    t0 = now();
    kiln_status st = kiln_eval_into(ctx, z, Za);
    double t_first = now() - t0, t_best = 1e30;
    for (int r = 0; r < 5 && st == KILN_OK; r++) {
        t0 = now();
        st = kiln_eval_into(ctx, z, Za);
        if (now() - t0 < t_best) t_best = now() - t0;
    }
    if (st != KILN_OK) {
        fprintf(stderr, "kiln: %s\n", kiln_errmsg(ctx));
        return 1;
    }
    double maxerr = 0;
    for (int64_t i = 0; i < m * n; i++) {
        double e = fabs((double)Z[i] - (double)Zloop[i]) / (1 + fabs((double)Zloop[i]));
        if (e > maxerr) maxerr = e;
    }
    double flops = 2.0 * (double)m * (double)n * (double)k;
    printf("relu(W@X + b), W %lldx%lld, X %lldx%lld, float32, %d threads\n", (long long)m, (long long)k, (long long)k,
           (long long)n, kiln_num_threads(ctx));
    printf("  triple loop (one thread)     %9.3f ms  %6.1f GFLOP/s\n", t_loop * 1e3, flops / t_loop * 1e-9);
    printf("  kiln first call (+compile)   %9.3f ms\n", t_first * 1e3);
    printf("  kiln cached call (best of 5) %9.3f ms  %6.1f GFLOP/s\n", t_best * 1e3, flops / t_best * 1e-9);
    printf("  max error vs the loop %.2g (relative; float32 sums in another order)\n", maxerr);

    kiln_expr *all[] = {w, x, bb, wx, pre, zero, z};
    for (int i = 0; i < 7; i++) kiln_expr_free(all[i]);
    kiln_ctx_free(ctx); /* frees the array handles too; the buffers stay ours */
    free(W);
    free(X);
    free(b);
    free(Zloop);
    free(Z);
    return maxerr < 1e-3 ? 0 : 1;
}
