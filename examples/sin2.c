/*
 * sin2.c — sin(a)*sin(a) with kiln, next to the plain C loop it replaces.
 *
 * Shows the three steps of every kiln program: wrap your buffers (no copy), build the lazy
 * expression, evaluate it.  Building sin(a) twice yields one node, so the sine is computed
 * once per element, in one vectorized, multi-threaded pass.
 *
 *     example_sin2 [n]        (default 10,000,000)
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
    double *a = malloc((size_t)n * sizeof *a), *loop = malloc((size_t)n * sizeof *loop), *out = malloc((size_t)n * sizeof *out);
    if (!a || !loop || !out) return 1;
    for (int64_t i = 0; i < n; i++) a[i] = (double)i * 1e-3;

    double t0 = now();
    for (int64_t i = 0; i < n; i++) loop[i] = sin(a[i]) * sin(a[i]);
    double t_loop = now() - t0;

    kiln_ctx *ctx = kiln_ctx_new(NULL);
    kiln_array *A = kiln_wrap(ctx, KILN_F64, 1, &n, NULL, a);   /* zero-copy views of a and out */
    kiln_array *OUT = kiln_wrap(ctx, KILN_F64, 1, &n, NULL, out);
    kiln_expr *x = kiln_var(ctx, A);
    kiln_expr *s1 = kiln_sin(ctx, x), *s2 = kiln_sin(ctx, x);   /* the same node twice */
    kiln_expr *y = kiln_mul(ctx, s1, s2);

    t0 = now();
    kiln_status st = kiln_eval_into(ctx, y, OUT);                /* compiles, then runs */
    double t_first = now() - t0;
    t0 = now();
    if (st == KILN_OK) st = kiln_eval_into(ctx, y, OUT);         /* cached kernel */
    double t_cached = now() - t0;
    if (st != KILN_OK) {
        fprintf(stderr, "kiln: %s\n", kiln_errmsg(ctx));
        return 1;
    }
    double maxerr = 0, sum = 0;
    for (int64_t i = 0; i < n; i++) {
        double e = fabs(out[i] - loop[i]);
        if (e > maxerr) maxerr = e;
        sum += out[i];
    }
    printf("sin(a)*sin(a), n = %lld, %d threads\n", (long long)n, kiln_num_threads(ctx));
    printf("  C loop (libm, one thread)   %9.3f ms\n", t_loop * 1e3);
    printf("  kiln first call (+compile)  %9.3f ms\n", t_first * 1e3);
    printf("  kiln cached call            %9.3f ms\n", t_cached * 1e3);
    printf("  sum %.6f, max error vs the loop %.3g\n", sum, maxerr);

    kiln_expr_free(y);
    kiln_expr_free(s2);
    kiln_expr_free(s1);
    kiln_expr_free(x);
    kiln_array_free(OUT);
    kiln_array_free(A);
    kiln_ctx_free(ctx);
    free(a);
    free(loop);
    free(out);
    return maxerr < 1e-12 ? 0 : 1;
}
