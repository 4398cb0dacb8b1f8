/*
 * mlp.c — a two-layer neural network trained by mini-batch SGD, its gradients derived by kiln.
 *
 *     hidden = relu(X @ W1 + b1)            logits = hidden @ W2 + b2
 *     loss   = -mean(sum(Y * log_softmax(logits, 1), 1))          (softmax cross-entropy)
 *
 * The step is built once, on placeholders for the mini-batch (X, Y) and the weights: kiln_grad
 * gives the four gradients as graphs, and one kiln_eval_many computes the loss and the four
 * updated weights, W - lr * dW, together (one plan: what the forward and backward passes share
 * is computed once).  The weights live in two buffers each: a step reads one and writes the
 * other, and the placeholders are bound to the fresh ones for the next step.  Each mini-batch is
 * a view of the data (no copy).  Nothing is rebuilt or recompiled after the first step.
 *
 *     example_mlp [epochs] [samples]       (default 10 epochs of 8192 samples; 32 features,
 *                                           64 hidden units, 10 classes, batches of 64)
 */
#include <kiln.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t rng = 88172645463325252ull;
static double uniform(void) { /* xorshift64 */
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) / 9007199254740992.0;
}
static double gauss(void) { return sqrt(-2 * log(uniform() + 1e-300)) * cos(6.283185307179586 * uniform()); }

static void fail(kiln_ctx *ctx, const char *what) {
    fprintf(stderr, "example_mlp: %s: %s\n", what, kiln_errmsg(ctx));
    exit(1);
}

int main(int argc, char **argv) {
    int epochs = argc > 1 ? atoi(argv[1]) : 10;
    int64_t m = argc > 2 ? atoll(argv[2]) : 8192, nin = 32, nh = 64, ncls = 10, bs = 64;
    double lr = 0.1;
    if (epochs < 1 || m < bs) {
        fprintf(stderr, "usage: example_mlp [epochs >= 1] [samples >= %lld]\n", (long long)bs);
        return 2;
    }
    kiln_ctx *ctx = kiln_ctx_new(NULL);
    if (!ctx) return 1;

    /* synthetic data: each class a Gaussian blob around a center of its own */
    kiln_array *X = kiln_array_new(ctx, KILN_F64, 2, (int64_t[]){m, nin}), *Y = kiln_array_new(ctx, KILN_F64, 2, (int64_t[]){m, ncls});
    kiln_array *labels = kiln_array_new(ctx, KILN_I64, 1, (int64_t[]){m});
    if (!X || !Y || !labels) fail(ctx, "arrays");
    double *xp = kiln_array_data(X), *yp = kiln_array_data(Y), center[10][32];
    int64_t *lp = kiln_array_data(labels);
    for (int c = 0; c < ncls; c++)
        for (int f = 0; f < nin; f++) center[c][f] = gauss();
    memset(yp, 0, (size_t)(m * ncls) * sizeof *yp);
    for (int64_t i = 0; i < m; i++) {
        int c = (int)(uniform() * (double)ncls);
        lp[i] = c;
        yp[i * ncls + c] = 1;
        for (int f = 0; f < nin; f++) xp[i * nin + f] = center[c][f] + 1.5 * gauss();
    }

    /* the weights, twice (He initialization), and the step's graph on placeholders */
    int64_t shapes[4][2] = {{nin, nh}, {nh, 0}, {nh, ncls}, {ncls, 0}};
    int nds[4] = {2, 1, 2, 1};
    kiln_array *w[2][4];
    kiln_expr *p[4];
    for (int k = 0; k < 4; k++) {
        for (int b = 0; b < 2; b++)
            if (!(w[b][k] = kiln_array_new(ctx, KILN_F64, nds[k], shapes[k]))) fail(ctx, "weights");
        double *d = kiln_array_data(w[0][k]), scale = nds[k] == 2 ? sqrt(2.0 / (double)shapes[k][0]) : 0;
        for (int64_t i = 0; i < kiln_array_size(w[0][k]); i++) d[i] = scale * gauss();
        if (!(p[k] = kiln_param(ctx, KILN_F64, nds[k], shapes[k]))) fail(ctx, "placeholders");
    }
    kiln_expr *xb = kiln_param(ctx, KILN_F64, 2, (int64_t[]){bs, nin}), *yb = kiln_param(ctx, KILN_F64, 2, (int64_t[]){bs, ncls});
    kiln_expr *z1 = kiln_add(ctx, kiln_matmul(ctx, xb, p[0]), p[1]), *h = kiln_relu(ctx, z1);
    kiln_expr *logits = kiln_add(ctx, kiln_matmul(ctx, h, p[2]), p[3]);
    kiln_expr *ce = kiln_sum(ctx, kiln_mul(ctx, yb, kiln_log_softmax(ctx, logits, 1)), 1, 0);
    kiln_expr *loss = kiln_neg(ctx, kiln_mean(ctx, ce, KILN_ALL_AXES, 0));
    kiln_expr *grads[4], *roots[5] = {loss}, *rate = kiln_scalar(ctx, lr);
    if (!loss || kiln_grad(ctx, loss, 4, p, grads) != KILN_OK) fail(ctx, "grad");
    for (int k = 0; k < 4; k++) roots[k + 1] = kiln_sub(ctx, p[k], kiln_mul(ctx, rate, grads[k]));
    kiln_array *loss_out = kiln_array_new(ctx, KILN_F64, 0, NULL);

    int cur = 0;
    int64_t batches = m / bs;
    double t0 = now(), t_first = 0;
    for (int e = 0; e < epochs; e++) {
        double total = 0;
        for (int64_t i = 0; i < batches; i++) {
            kiln_array *xv = kiln_array_view(ctx, X, 2, (int64_t[]){bs, nin}, (int64_t[]){nin * 8, 8}, i * bs * nin * 8);
            kiln_array *yv = kiln_array_view(ctx, Y, 2, (int64_t[]){bs, ncls}, (int64_t[]){ncls * 8, 8}, i * bs * ncls * 8);
            if (!xv || !yv || kiln_bind(ctx, xb, xv) || kiln_bind(ctx, yb, yv)) fail(ctx, "binding a batch");
            for (int k = 0; k < 4; k++)
                if (kiln_bind(ctx, p[k], w[cur][k])) fail(ctx, "binding the weights");
            kiln_array *outs[5] = {loss_out, w[1 - cur][0], w[1 - cur][1], w[1 - cur][2], w[1 - cur][3]};
            if (kiln_eval_many(ctx, 5, roots, outs) != KILN_OK) fail(ctx, "the step");
            cur = 1 - cur;
            total += *(double *)kiln_array_data(loss_out);
            kiln_array_free(xv);
            kiln_array_free(yv);
            if (e == 0 && i == 0) t_first = now() - t0;
        }
        printf("epoch %d loss %.6f\n", e, total / (double)batches);
    }
    double t_all = now() - t0;

    /* accuracy over the whole data set with the trained weights */
    for (int k = 0; k < 4; k++) kiln_bind(ctx, p[k], w[cur][k]);
    kiln_expr *xa = kiln_var(ctx, X), *lab = kiln_var(ctx, labels);
    kiln_expr *pred = kiln_argmax(ctx, kiln_add(ctx, kiln_matmul(ctx, kiln_relu(ctx, kiln_add(ctx, kiln_matmul(ctx, xa, p[0]), p[1])), p[2]), p[3]), 1, 0);
    kiln_expr *acc = kiln_mean(ctx, kiln_eq(ctx, pred, lab), KILN_ALL_AXES, 0);
    kiln_array *acc_out = kiln_eval(ctx, acc);
    if (!acc_out) fail(ctx, "accuracy");
    printf("%d epochs of %lld samples in batches of %lld: %.1f ms (the first step, with its compiles: %.1f ms); "
           "%.3f ms an epoch after that\n", epochs, (long long)m, (long long)bs, t_all * 1e3, t_first * 1e3,
           epochs > 1 ? (t_all - t_first) * 1e3 / ((double)epochs - (double)1 / (double)batches) : t_all * 1e3);
    printf("final training accuracy %.4f\n", *(double *)kiln_array_data(acc_out));
    kiln_ctx_free(ctx); /* frees every array and expression left */
    return 0;
}
