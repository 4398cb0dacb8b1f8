/*
 * main.c — a program that embeds kiln, built against an installed copy (find_package(kiln) or
 * pkg-config kiln): relu(W @ x + b) for a small layer, checked against a loop.
 */
#include <kiln.h>
#include <math.h>
#include <stdio.h>

int main(void) {
    enum { M = 64, K = 48 };
    static double w[M * K], x[K], b[M], out[M];
    for (int i = 0; i < M * K; i++) w[i] = sin(i * 0.37);
    for (int k = 0; k < K; k++) x[k] = cos(k * 0.11);
    for (int i = 0; i < M; i++) b[i] = 0.01 * i - 0.2;
    kiln_ctx *ctx = kiln_ctx_new(NULL);
    kiln_array *W = kiln_wrap(ctx, KILN_F64, 2, (int64_t[]){M, K}, NULL, w);
    kiln_array *X = kiln_wrap(ctx, KILN_F64, 1, (int64_t[]){K}, NULL, x);
    kiln_array *B = kiln_wrap(ctx, KILN_F64, 1, (int64_t[]){M}, NULL, b);
    kiln_array *OUT = kiln_wrap(ctx, KILN_F64, 1, (int64_t[]){M}, NULL, out);
    kiln_expr *z = kiln_add(ctx, kiln_matmul(ctx, kiln_var(ctx, W), kiln_var(ctx, X)), kiln_var(ctx, B));
    if (kiln_eval_into(ctx, kiln_relu(ctx, z), OUT) != KILN_OK) {
        fprintf(stderr, "kiln: %s\n", kiln_errmsg(ctx));
        return 1;
    }
    double worst = 0;
    for (int i = 0; i < M; i++) {
        double s = b[i];
        for (int k = 0; k < K; k++) s += w[i * K + k] * x[k];
        s = s > 0 ? s : 0;
        worst = fmax(worst, fabs(s - out[i]));
    }
    printf("%s: relu(W @ x + b) max error %.3g\n", kiln_build_info(), worst);
    kiln_ctx_free(ctx);
    return worst < 1e-12 ? 0 : 1;
}
