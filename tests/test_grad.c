/*
 * test_grad.c — automatic differentiation: every adjoint against central finite differences
 * (float64, random inputs, broadcasting, keepdims, views, gathers), the logistic-regression and
 * MLP gradients against the hand-derived ones, gradients of gradients, seeds, and refusals.
 */
#include "helpers.h"

static kiln_ctx *ctx;
static kiln_scope *scope;

/* name bound to a float64 array of shape with values in [lo, hi). */
static void put(const char *name, int nd, const int64_t *shape, double lo, double hi, uint64_t seed) {
    kiln_array *a = kiln_array_new(ctx, KILN_F64, nd, shape);
    double *p = kiln_array_data(a);
    for (int64_t k = 0; k < kiln_array_size(a); k++) p[k] = lo + (hi - lo) * rng_unit(&seed);
    kiln_scope_set(scope, name, a);
    kiln_array_free(a);
}
static void put_index(const char *name, int nd, const int64_t *shape, int64_t n, uint64_t seed) {
    kiln_array *a = kiln_array_new(ctx, KILN_I64, nd, shape);
    int64_t *p = kiln_array_data(a);
    for (int64_t k = 0; k < kiln_array_size(a); k++) p[k] = (int64_t)(rng_next(&seed) % (uint64_t)(2 * n)) - n; /* negatives too */
    kiln_scope_set(scope, name, a);
    kiln_array_free(a);
}

static void setup(void) {
    ctx = kiln_ctx_new(NULL);
    scope = kiln_scope_new(ctx);
    put("a", 2, (int64_t[]){3, 4}, -1, 1, 1);
    put("b", 1, (int64_t[]){4}, -1, 1, 2);
    put("c", 2, (int64_t[]){3, 1}, -1, 1, 3);
    put("p", 2, (int64_t[]){3, 4}, 0.5, 2, 4);  /* positive: log, sqrt, powers */
    put("u", 2, (int64_t[]){3, 4}, -0.8, 0.8, 5); /* inside (-1, 1): arcsin, arctanh */
    put("q", 1, (int64_t[]){4}, 1.5, 3, 6);      /* above 1: arccosh */
    put("d", 2, (int64_t[]){4, 5}, -1, 1, 7);
    put("e", 1, (int64_t[]){5}, -1, 1, 8);
    put("s", 0, NULL, -1, 1, 9);
    put_index("i", 1, (int64_t[]){6}, 4, 10);       /* repeats: the scatter adds */
    put_index("j", 2, (int64_t[]){3, 2}, 4, 11);
    put_index("k", 1, (int64_t[]){3}, 3, 12);
}
static void teardown(void) {
    kiln_scope_free(scope);
    kiln_ctx_free(ctx);
}

static double eval_scalar(kiln_expr *e) {
    kiln_array *r = kiln_eval(ctx, e);
    ck_assert_msg(r != NULL, "eval: %s", kiln_errmsg(ctx));
    double v = *(double *)kiln_array_data(r);
    kiln_array_free(r);
    return v;
}

/* The float arrays of the scope, as variables. */
static int float_vars(kiln_expr **wrt, kiln_array **arrays) {
    int n = 0;
    for (int k = 0; k < kiln_scope_count(scope); k++) {
        kiln_array *a = kiln_scope_get(scope, kiln_scope_name(scope, k));
        if (kiln_array_dtype(a) != KILN_F64) continue;
        arrays[n] = a;
        wrt[n++] = kiln_var(ctx, a);
    }
    return n;
}

/* loss's gradients (graphs in grads, evaluated) against central differences of loss itself, for
 * every element of every float array of the scope. */
static void check_against_differences(const char *src, kiln_expr *loss, kiln_expr **grads, kiln_expr **wrt, kiln_array **arrays, int n) {
    for (int v = 0; v < n; v++) {
        kiln_array *g = kiln_eval(ctx, grads[v]);
        ck_assert_msg(g != NULL, "%s: d/d%s: %s", src, kiln_scope_name(scope, v), kiln_errmsg(ctx));
        ck_assert_int_eq(kiln_array_ndim(g), kiln_expr_ndim(wrt[v]));
        double *x = kiln_array_data(arrays[v]), *gv = kiln_array_data(g);
        for (int64_t k = 0; k < kiln_array_size(arrays[v]); k++) {
            double x0 = x[k], h = 1e-6 * fmax(1, fabs(x0));
            x[k] = x0 + h;
            double up = eval_scalar(loss);
            x[k] = x0 - h;
            double down = eval_scalar(loss);
            x[k] = x0;
            double fd = (up - down) / (2 * h);
            ck_assert_msg(fabs(gv[k] - fd) <= 1e-6 * (1 + fabs(fd)), "%s: d/d(array %d)[%lld] is %.12g, differences give %.12g", src,
                          v, (long long)k, gv[k], fd);
        }
        kiln_array_free(g);
    }
}

static void check_expression(const char *src) {
    if (getenv("GRAD_TRACE")) fprintf(stderr, "%s\n", src);
    kiln_expr *loss = kiln_parse(ctx, scope, src);
    ck_assert_msg(loss != NULL, "%s: %s", src, kiln_errmsg(ctx));
    kiln_expr *wrt[16], *grads[16];
    kiln_array *arrays[16];
    int n = float_vars(wrt, arrays);
    ck_assert_msg(kiln_grad(ctx, loss, n, wrt, grads) == KILN_OK, "%s: grad: %s", src, kiln_errmsg(ctx));
    check_against_differences(src, loss, grads, wrt, arrays, n);
    for (int v = 0; v < n; v++) {
        kiln_expr_free(grads[v]);
        kiln_expr_free(wrt[v]);
    }
    kiln_expr_free(loss);
}

START_TEST(every_adjoint_against_finite_differences) {
    static const char *const cases[] = {
        /* arithmetic, with broadcasting both ways */
        "sum(a + b) + sum(a - c * 2)", "sum(a * b * c)", "sum(a / (p + c))", "sum(b / p)", "sum(p ** b)", "sum(p ** 3 + p ** -0.5)",
        "sum(p ** s)", "sum(a % (p + 1)) + sum(a % 0.3)", "sum(maximum(a, c) * b)", "sum(minimum(a, b) * p)",
        "sum(arctan2(a, c)) + sum(arctan2(b, p))", "sum(-a * abs(b)) + sum(+c)", "s * sum(a) + s ** 2",
        "sum(fmod(a, p + 1)) + sum(fmod(b, -0.3))", "sum(hypot(a, b) * c)", "sum(copysign(a, b) * c + copysign(p, -1))",
        "sum(ldexp(a, 3) * b + ldexp(p, -2)) + sum(nextafter(a, c) * b) + sum(frexp(p)[0] * a) + sum(spacing(a) * b)",
        /* functions */
        "sum(sqrt(p) + exp(a) + expm1(b) + exp2(c))", "sum(log(p) * log1p(p) + log2(p) - log10(p))", "sum(sin(a) * cos(a) * tan(u))",
        "sum(arcsin(u) + arccos(u) * 2 + arctan(a))", "sum(sinh(a) * cosh(b) + tanh(c))", "sum(arcsinh(a) + arccosh(q) + arctanh(u))", "sum(cbrt(a + 3 * sign(a)) * b)",
        "sum(where(a > 0, a * a, b))", "sum(floor(p) * a + sign(a) * b + (a // 0.7) * b)", "sum(sigmoid(a) * relu(a - c))",
        "sum(clip(a, -0.5, 0.5) * p)",
        /* reductions, with axes and keepdims */
        "sum(sum(a, 1) ** 2)", "sum(sum(a, 0, keepdims=True) * a)", "mean(a * b)", "sum(max(a, 1) * c[:, 0])",
        "sum(max(a, axis=0) ** 2)", "sum(min(a, 1, keepdims=True) * a)", "max(a) * min(p)", "prod(p[0]) + sum(prod(p * a, 0))",
        "sum(logsumexp(a, 1))", "sum(softmax(a, 1) * p)", "sum(log_softmax(a, 0) * a)", "var(a) + std(a, 0)[1]",
        "sum(mean(a, (0, 1), keepdims=True) * p)",
        /* scans */
        "sum(cumsum(a, 1) * a)", "sum(cumprod(p, 0) * a)", "sum(cumsum(a) ** 2)",
        /* products */
        "sum((a @ d) ** 2)", "sum(a @ b)", "sum((b @ d) * e)", "b @ b", "sum(sigmoid(a @ d + e))", "sum((d @ e) * b) + sum(a.T @ a)",
        "sum((reshape(a, (3, 2, 2)) @ reshape(p, (3, 2, 2))) ** 2)", "sum((stack([a, u]) @ d) ** 2)", "sum(stack([a, p]) @ b)",
        "sum((b @ stack([d, d * 2])) * e)", "sum(reshape(a, (3, 1, 2, 2)) @ reshape(p, (1, 3, 2, 2)))",
        "sum(einsum('ij,jk->ik', a, d) ** 2)", "einsum('ij,ij,j->', a, p, b)", "sum(einsum('ii->i', a[:, :3]) * c[:, 0])",
        "sum(tensordot(a, d, 1) * 2)", "sum(sort(a, 1) * p)", "sum(sort(a, axis=None)[::2] ** 2)", "median(a) + quantile(p, 0.3)",
        "sum(percentile(a, [20, 70], axis=0) * b)", "norm(a) + sum(norm(d, axis=0)) + norm(b, 3)", "norm(a, 'fro') * norm(p, 1)",
        "sum(swapaxes(a[None], 0, 2) ** 2 * c[None])", "sum(split(a, 2, axis=1)[1] ** 2)",
        "sum(cov(a) ** 2) + sum(corrcoef(p) * a[:, :3])",
        /* np.linalg */
        "sum(solve(a[:, :3] + 3 * eye(3), p) ** 2)", "sum(solve(a[:, 1:] + 3 * eye(3), c[:, 0]) * b[:3])",
        "sum(solve(stack([a[:, :3], u[:, 1:]]) + 3 * eye(3), d[:3, :2]) ** 2)", "sum(inv(p[:, :3] + 2 * eye(3)) * a[:, 1:])",
        "det(a[:, :3] + 2 * eye(3)) + slogdet(p[:, 1:] + eye(3))[1] * slogdet(-p[:, 1:])[0]",
        "sum(matrix_power(a[:, :3], 3) * p[:, :3])", "sum(cholesky(a[:, :3] @ a[:, :3].T + eye(3)) * p[:, :3])",
        "sum(cholesky(stack([u[:, 1:] @ u[:, 1:].T, a[:, 1:] @ a[:, 1:].T]) + 2 * eye(3), upper=True) ** 2 * a[:, :3])",
        /* views */
        "sum(a[1:, ::-2] ** 2)", "sum(a[:, 1] * b[::-1][:3])", "sum(a[None, :, 2:] * a[:, None, 2:])", "sum(reshape(a, (4, 3)) @ a)",
        "sum(a.reshape(12)[::5] ** 3)", "sum(transpose(a) * d[:, :3])", "sum(expand_dims(b, 0) * a)", "sum(squeeze(c) * a[:, 0])",
        "sum(exp(a)[::2] * c[1:3])", "sum(sum(a, 0)[1:] ** 2)",
        /* a 0-d value of a view or a reduction times an array of one element (its sum a reshape that stops there) */
        "sum(ones(1) * a[1, 2]) + sum(ones((1, 1)) * b[3] * sum(p)) + sum(c[1, :] * logsumexp(a))",
        /* concatenation and gathers (repeated and negative indices) */
        "sum(concatenate([a, a * 2, p], 0) ** 2)", "sum(stack([b, q]) * b)", "sum(take(a, i, 1) ** 2)", "sum(take(b, i) * b[0])",
        "sum(take_along_axis(a, j, 1) ** 3)", "sum(a[k, i[:3]] ** 2)", "sum(take(a @ d, k, 0) ** 2)",
        "sum(reshape(a, (3, 2, 2))[k, i[:3] % 2, j[:, :1] % 2] ** 2)", /* three arrays: take_pair, then take_along_axis */
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) check_expression(cases[c]);
    /* np.linalg's through LAPACK (which KILN_NO_BLAS=1, as the ThreadSanitizer run sets, keeps out) */
    static const char *const lapack[] = {
        "sum(eigvalsh(a[:, :3] @ a[:, :3].T + eye(3)) * b[:3])", "sum(svd(a, compute_uv=False) * b[:3])",
        "sum(svd(d.T, compute_uv=False) ** 2) + sum(eigvalsh(a[:, :3] + a[:, 1:].T, UPLO='U'))",
        "sum(solve(outer(d.ravel()[:10], d.ravel()[10:]) + 4 * eye(10), concatenate([e, e])) ** 2)", /* 10 x 10: getrf's */
        "slogdet(outer(d.ravel()[:10], d.ravel()[10:]) + 4 * eye(10))[1] + sum(inv(outer(e, e) + 9 * eye(5))[:, :4] * d.T)",
        "sum(eigh(a[:, :3] @ a[:, :3].T + eye(3))[1] ** 2 * p[:, :3])", /* (squares: each vector's sign is LAPACK's) */
        "sum(eigh(a[:, 1:] + a[:, 1:].T, UPLO='U')[1] ** 4 * u[:, :3]) + sum(eigh(p[:, :3] @ p[:, :3].T)[0] * b[:3])",
        "sum(cholesky(outer(d.ravel()[:10], d.ravel()[:10]) + 4 * eye(10)) * 2)", /* 10 x 10: potrf's */
        /* svd's vectors (squares, or a pair of one vector's u and vh: each vector's sign is LAPACK's), wide and
           tall (the terms past the square part), a square full svd, stacks */
        "sum(svd(a, full_matrices=False)[0] ** 2 * p[:, :3]) + sum(svd(a, full_matrices=False)[2] ** 2 * u)",
        "sum(svd(d.T, full_matrices=False)[0] ** 2 * d.T) + sum(svd(d.T, full_matrices=False)[2] ** 2 * outer(b, q))",
        "sum(svd(d, full_matrices=False)[0][:, :1] * svd(d, full_matrices=False)[2][:1] * d)",
        "sum(svd(a[:, 1:])[0] ** 2 * p[:, :3]) + sum(svd(stack([a.T, p.T]), full_matrices=False)[2] ** 2 * b[:3])",
        /* qr's factors: tall, square (mode 'complete' too), stacks, mode 'r' */
        "sum(qr(d.T)[0] * d.T) + sum(qr(d.T)[1] * outer(b, q))", "sum(qr(a[:, :3], mode='complete')[0] * p[:, 1:])",
        "sum(qr(stack([a.T, p.T]))[0] ** 3) + sum(qr(stack([a.T, u.T]), mode='r') ** 2)",
    };
    for (size_t c = 0; lapack_here() && c < sizeof lapack / sizeof *lapack; c++) check_expression(lapack[c]);
}
END_TEST

/* The gradient of h(x) = sum(grad f(x) * r): a second derivative, against differences of the
 * first. */
START_TEST(gradients_of_gradients) {
    static const char *const cases[] = {
        "sum(a ** 3)", "sum(sin(a) * b)", "sum(exp(a @ d))", "sum(softmax(a, 1) * p)", "sum(a[1:, ::-1] ** 2 * c[1:])",
        "sum(take(b, i) ** 3)", "sum(cumsum(a, 0) * a)", "sum(maximum(a, c) ** 2)", "sum(log(p) * concatenate([a, a], 1)[:, 3:7])",
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        kiln_expr *f = kiln_parse(ctx, scope, cases[c]);
        ck_assert_msg(f != NULL, "%s: %s", cases[c], kiln_errmsg(ctx));
        kiln_expr *wrt[16], *g1[16], *g2[16];
        kiln_array *arrays[16];
        int n = float_vars(wrt, arrays);
        ck_assert_int_eq(kiln_grad(ctx, f, n, wrt, g1), KILN_OK);
        uint64_t seed = 77 + c;
        kiln_expr *h = kiln_scalar(ctx, 0);
        for (int v = 0; v < n; v++) { /* h = Σ sum(g1[v] * r_v) */
            kiln_array *r = kiln_array_new(ctx, KILN_F64, kiln_expr_ndim(wrt[v]), kiln_expr_shape(wrt[v]));
            double *rp = kiln_array_data(r);
            for (int64_t k = 0; k < kiln_array_size(r); k++) rp[k] = rng_unit(&seed) - 0.5;
            kiln_expr *rv = kiln_var(ctx, r), *m = kiln_mul(ctx, g1[v], rv), *sm = kiln_sum(ctx, m, KILN_ALL_AXES, 0);
            kiln_expr *h2 = kiln_add(ctx, h, sm);
            kiln_expr_free(h);
            h = h2;
            kiln_expr_free(sm);
            kiln_expr_free(m);
            kiln_expr_free(rv);
            kiln_array_free(r);
        }
        ck_assert_msg(kiln_grad(ctx, h, n, wrt, g2) == KILN_OK, "%s: second order: %s", cases[c], kiln_errmsg(ctx));
        check_against_differences(cases[c], h, g2, wrt, arrays, n);
        for (int v = 0; v < n; v++) {
            kiln_expr_free(g1[v]);
            kiln_expr_free(g2[v]);
            kiln_expr_free(wrt[v]);
        }
        kiln_expr_free(h);
        kiln_expr_free(f);
    }
}
END_TEST

/* max |x - y| / max |y| over two arrays of one shape. */
static double rel_diff(kiln_array *x, kiln_array *y) {
    ck_assert_int_eq(kiln_array_size(x), kiln_array_size(y));
    const double *p = kiln_array_data(x), *q = kiln_array_data(y);
    double num = 0, den = 0;
    for (int64_t k = 0; k < kiln_array_size(x); k++) {
        num = fmax(num, fabs(p[k] - q[k]));
        den = fmax(den, fabs(q[k]));
    }
    return den > 0 ? num / den : num;
}

/* The gradients of loss (src) with respect to the names in vars, evaluated with the loss in one
 * plan, against the hand-written ones (hand[], same order). */
static void check_hand_written(const char *src, int n, const char *const *vars, const char *const *hand) {
    kiln_expr *loss = kiln_parse(ctx, scope, src), *wrt[8], *grads[8], *all[9];
    ck_assert_msg(loss != NULL, "%s", kiln_errmsg(ctx));
    for (int v = 0; v < n; v++) wrt[v] = kiln_var(ctx, kiln_scope_get(scope, vars[v]));
    ck_assert_msg(kiln_grad(ctx, loss, n, wrt, grads) == KILN_OK, "%s", kiln_errmsg(ctx));
    all[0] = loss;
    for (int v = 0; v < n; v++) all[v + 1] = grads[v];
    kiln_array *outs[9];
    for (int v = 0; v <= n; v++) outs[v] = kiln_array_new(ctx, kiln_expr_dtype(all[v]), kiln_expr_ndim(all[v]), kiln_expr_shape(all[v]));
    ck_assert_msg(kiln_eval_many(ctx, n + 1, all, outs) == KILN_OK, "%s", kiln_errmsg(ctx));
    for (int v = 0; v < n; v++) {
        kiln_expr *h = kiln_parse(ctx, scope, hand[v]);
        ck_assert_msg(h != NULL, "%s: %s", hand[v], kiln_errmsg(ctx));
        kiln_array *want = kiln_eval(ctx, h);
        ck_assert_msg(want != NULL, "%s", kiln_errmsg(ctx));
        double r = rel_diff(outs[v + 1], want);
        ck_assert_msg(r <= 1e-12, "d/d%s: %g relative from the hand-written %s", vars[v], r, hand[v]);
        kiln_array_free(want);
        kiln_expr_free(h);
    }
    for (int v = 0; v <= n; v++) kiln_array_free(outs[v]);
    for (int v = 0; v < n; v++) {
        kiln_expr_free(grads[v]);
        kiln_expr_free(wrt[v]);
    }
    kiln_expr_free(loss);
}

START_TEST(logistic_regression_and_mlp_match_the_hand_written) {
    /* logistic regression, the vectorization chapter's layout: X (n, m), w (n, 1), b a scalar */
    put("X", 2, (int64_t[]){5, 40}, -2, 2, 21);
    put("w", 2, (int64_t[]){5, 1}, -0.5, 0.5, 22);
    put("bb", 0, NULL, -0.5, 0.5, 23);
    kiln_array *y = kiln_array_new(ctx, KILN_F64, 2, (int64_t[]){1, 40});
    uint64_t seed = 24;
    for (int k = 0; k < 40; k++) ((double *)kiln_array_data(y))[k] = (double)(rng_next(&seed) & 1);
    kiln_scope_set(scope, "Y", y);
    kiln_array_free(y);
    static const char *const lv[] = {"w", "bb"};
    static const char *const lh[] = {"X @ (sigmoid(w.T @ X + bb) - Y).T / 40", "mean(sigmoid(w.T @ X + bb) - Y)"};
    check_hand_written("-mean(Y * log(sigmoid(w.T @ X + bb)) + (1 - Y) * log(1 - sigmoid(w.T @ X + bb)))", 2, lv, lh);

    /* a two-layer MLP: ReLU, then softmax cross-entropy against one-hot labels */
    put("A0", 2, (int64_t[]){32, 6}, -1, 1, 31);
    put("W1", 2, (int64_t[]){6, 16}, -0.5, 0.5, 32);
    put("b1", 1, (int64_t[]){16}, -0.1, 0.1, 33);
    put("W2", 2, (int64_t[]){16, 3}, -0.5, 0.5, 34);
    put("b2", 1, (int64_t[]){3}, -0.1, 0.1, 35);
    kiln_array *oh = kiln_array_new(ctx, KILN_F64, 2, (int64_t[]){32, 3});
    double *o = kiln_array_data(oh);
    memset(o, 0, 32 * 3 * sizeof *o);
    for (int r = 0; r < 32; r++) o[r * 3 + (int)(rng_next(&seed) % 3)] = 1;
    kiln_scope_set(scope, "T", oh);
    kiln_array_free(oh);
    static const char *const mv[] = {"W1", "b1", "W2", "b2"};
    /* dZ2 = (softmax(Z2) - T) / m; dW2 = A1.T dZ2; dZ1 = dZ2 W2.T * (Z1 > 0); dW1 = A0.T dZ1 */
#define Z1 "(A0 @ W1 + b1)"
#define A1 "maximum(" Z1 ", 0)"
#define DZ2 "((softmax(" A1 " @ W2 + b2, 1) - T) / 32)"
#define DZ1 "((" DZ2 " @ W2.T) * (" Z1 " > 0))"
    static const char *const mh[] = {"A0.T @ " DZ1, "sum(" DZ1 ", 0)", A1 ".T @ " DZ2, "sum(" DZ2 ", 0)"};
    check_hand_written("-mean(sum(T * log_softmax(" A1 " @ W2 + b2, 1), 1))", 4, mv, mh);
#undef Z1
#undef A1
#undef DZ2
#undef DZ1
}
END_TEST

/* sigmoid's adjoint goes straight to z (g * y * (1 - y): 0, not NaN, far below zero), unless a
 * variable is a node inside it (exp(-z) then gets its own: -1 / (1 + exp(-z))**2) */
START_TEST(sigmoid_far_below_zero_and_inside) {
    double zd[4] = {-1000.0, -1.0, 0.5, 2.0};
    kiln_array *za = kiln_wrap(ctx, KILN_F64, 1, (int64_t[]){4}, NULL, zd);
    kiln_expr *z = kiln_var(ctx, za), *s = kiln_sigmoid(ctx, z), *loss = kiln_reduce(ctx, KILN_OP_SUM, s, KILN_ALL_AXES, 0);
    kiln_expr *nz = kiln_neg(ctx, z), *ez = kiln_exp(ctx, nz), *wrt[2] = {ez, z}, *g[2];
    ck_assert_int_eq(kiln_grad(ctx, loss, 1, &z, g), KILN_OK);
    kiln_array *gz = kiln_eval(ctx, g[0]);
    for (int i = 0; i < 4; i++) {
        double y = 1 / (1 + exp(-zd[i]));
        ck_assert_double_eq_tol(((double *)kiln_array_data(gz))[i], y * (1 - y), 1e-15);
    }
    kiln_array_free(gz);
    kiln_expr_free(g[0]);
    ck_assert_int_eq(kiln_grad(ctx, loss, 2, wrt, g), KILN_OK);
    kiln_array *ge = kiln_eval(ctx, g[0]);
    for (int i = 1; i < 4; i++) {
        double d = 1 + exp(-zd[i]);
        ck_assert_double_eq_tol(((double *)kiln_array_data(ge))[i], -1 / (d * d), 1e-15);
    }
    kiln_array_free(ge);
    for (int k = 0; k < 2; k++) kiln_expr_free(g[k]);
    kiln_expr_free(ez);
    kiln_expr_free(nz);
    kiln_expr_free(loss);
    kiln_expr_free(s);
    kiln_expr_free(z);
    kiln_array_free(za);
}
END_TEST

/* At the points where a composition's pieces have corners, its own derivative: modf's fraction
 * has slope 1 at every integer and at -0.0 (its sign fixed with no corner); copysign(x, b) has
 * |x|'s 0 at 0 */
START_TEST(corners_of_modf_and_copysign) {
    static const double xd[7] = {-2, -1, -0.0, 0, 1, 2, 2.5};
    kiln_array *xa = kiln_wrap(ctx, KILN_F64, 1, (int64_t[]){7}, NULL, (void *)xd);
    kiln_scope_set(scope, "x", xa);
    kiln_expr *x = kiln_var(ctx, xa), *g;
    static const char *const src[2] = {"sum(modf(x)[0])", "sum(copysign(x, -1.0))"};
    for (int k = 0; k < 2; k++) {
        kiln_expr *loss = kiln_parse(ctx, scope, src[k]);
        ck_assert_msg(loss && kiln_grad(ctx, loss, 1, &x, &g) == KILN_OK, "%s: %s", src[k], kiln_errmsg(ctx));
        kiln_array *ga = kiln_eval(ctx, g);
        ck_assert_ptr_nonnull(ga);
        for (int i = 0; i < 7; i++) {
            double want = k == 0 ? 1 : xd[i] == 0 ? 0 : -copysign(1, xd[i]);
            ck_assert_msg(((double *)kiln_array_data(ga))[i] == want, "%s at %g: %g, not %g", src[k], xd[i], ((double *)kiln_array_data(ga))[i], want);
        }
        kiln_array_free(ga);
        kiln_expr_free(g);
        kiln_expr_free(loss);
    }
    kiln_expr_free(x);
    kiln_array_free(xa);
}
END_TEST

START_TEST(seeds_zeros_and_refusals) {
    kiln_expr *a = kiln_parse(ctx, scope, "a"), *b = kiln_parse(ctx, scope, "b"), *y = kiln_sin(ctx, a), *g = NULL;
    /* a non-scalar output needs a seed */
    ck_assert_int_eq(kiln_grad(ctx, y, 1, &a, &g), KILN_ERR_SHAPE);
    ck_assert_ptr_null(g);
    ck_assert_msg(strstr(kiln_errmsg(ctx), "seed") != NULL, "%s", kiln_errmsg(ctx));
    /* vjp: seed * cos(a), the seed broadcast from a row */
    kiln_expr *seed = kiln_parse(ctx, scope, "b * 3");
    ck_assert_int_eq(kiln_vjp(ctx, y, seed, 1, &a, &g), KILN_OK);
    kiln_expr *want = kiln_parse(ctx, scope, "b * 3 * cos(a)");
    kiln_array *gv = kiln_eval(ctx, g), *wv = kiln_eval(ctx, want);
    ck_assert_double_eq(rel_diff(gv, wv), 0);
    kiln_array_free(gv);
    kiln_array_free(wv);
    kiln_expr_free(g);
    kiln_expr_free(want);
    kiln_expr_free(seed);
    /* a seed that does not broadcast to the output: the seed's error, whether or not the output
     * depends on the variable (e's does not: it would have been zeros) */
    kiln_expr *bad = kiln_parse(ctx, scope, "e"), *ey = kiln_parse(ctx, scope, "d * 2");
    ck_assert_int_eq(kiln_vjp(ctx, y, bad, 1, &a, &g), KILN_ERR_SHAPE);
    ck_assert_ptr_null(g);
    ck_assert_msg(strstr(kiln_errmsg(ctx), "seed has shape (5,), which is not the output's (3,4)") != NULL, "%s", kiln_errmsg(ctx));
    ck_assert_int_eq(kiln_vjp(ctx, ey, b, 1, &a, &g), KILN_ERR_SHAPE);
    ck_assert_msg(strstr(kiln_errmsg(ctx), "seed has shape (4,), which is not the output's (4,5)") != NULL, "%s", kiln_errmsg(ctx));
    kiln_expr_free(bad);
    kiln_expr_free(ey);
    /* integer and bool variables and losses are refused, naming them */
    kiln_expr *i = kiln_parse(ctx, scope, "i"), *li = kiln_parse(ctx, scope, "sum(i)"), *ls = kiln_parse(ctx, scope, "sum(a * b)");
    ck_assert_int_eq(kiln_grad(ctx, ls, 1, &i, &g), KILN_ERR_DTYPE);
    ck_assert_msg(strstr(kiln_errmsg(ctx), "int64") != NULL, "%s", kiln_errmsg(ctx));
    ck_assert_int_eq(kiln_grad(ctx, li, 1, &a, &g), KILN_ERR_DTYPE);
    /* a variable the loss does not use: zeros of its shape; a constant loss too */
    kiln_expr *p = kiln_parse(ctx, scope, "p"), *two[2] = {p, b}, *gs[2];
    ck_assert_int_eq(kiln_grad(ctx, ls, 2, two, gs), KILN_OK);
    kiln_array *z = kiln_eval(ctx, gs[0]);
    ck_assert_msg(z != NULL, "%s", kiln_errmsg(ctx));
    ck_assert_int_eq(kiln_array_ndim(z), 2);
    for (int k = 0; k < 12; k++) ck_assert_double_eq(((double *)kiln_array_data(z))[k], 0);
    kiln_array_free(z);
    /* an expression node the loss holds is a variable like a leaf; one a reshape rebuilt on its
     * arrays' views is not in the loss's graph: refused (its gradient is not zero) */
    kiln_expr *h = kiln_mul(ctx, a, a), *hr = kiln_reshape(ctx, h, 1, (int64_t[]){-1});
    kiln_expr *lh = kiln_sum(ctx, kiln_mul(ctx, hr, hr), KILN_ALL_AXES, 0), *gh = NULL;
    ck_assert_int_eq(kiln_grad(ctx, lh, 1, &h, &gh), KILN_ERR_ARG);
    ck_assert_ptr_null(gh);
    ck_assert_msg(strstr(kiln_errmsg(ctx), "not a node of the loss's graph") != NULL, "%s", kiln_errmsg(ctx));
    /* svd's vectors of a full svd of a matrix that is not square, and qr's factors of a wide matrix: refused, saying why */
    static const char *const refused[][2] = {{"sum(svd(a)[0] ** 2)", "not unique"}, {"sum(qr(a)[1])", "fewer rows than columns"},
                                             {"sum(qr(a.T, mode='complete')[0])", "not unique"}};
    for (int k = 0; k < 3 && lapack_here(); k++) {
        kiln_expr *lr = kiln_parse(ctx, scope, refused[k][0]), *gr = NULL;
        ck_assert_msg(lr != NULL, "%s", kiln_errmsg(ctx));
        ck_assert_int_eq(kiln_grad(ctx, lr, 1, &a, &gr), KILN_ERR_ARG);
        ck_assert_msg(strstr(kiln_errmsg(ctx), refused[k][1]) != NULL, "%s: %s", refused[k][0], kiln_errmsg(ctx));
        kiln_expr_free(lr);
    }
    kiln_expr *lk = kiln_sum(ctx, kiln_mul(ctx, h, h), KILN_ALL_AXES, 0);
    ck_assert_int_eq(kiln_grad(ctx, lk, 1, &h, &gh), KILN_OK); /* 2h */
    kiln_expr *twice = kiln_mul(ctx, h, kiln_const(ctx, KILN_F64, 2.0));
    kiln_array *gha = kiln_eval(ctx, gh), *twa = kiln_eval(ctx, twice);
    ck_assert_double_eq(rel_diff(gha, twa), 0);
    kiln_array_free(gha);
    kiln_array_free(twa);
    kiln_expr *drop_h[] = {twice, gh, lk, lh, hr, h};
    for (size_t k = 0; k < sizeof drop_h / sizeof *drop_h; k++) kiln_expr_free(drop_h[k]);
    /* float32: the gradient keeps the variable's dtype */
    kiln_expr *f = kiln_cast(ctx, a, KILN_F32), *lf = kiln_sum(ctx, kiln_mul(ctx, f, f), KILN_ALL_AXES, 0), *gf;
    ck_assert_int_eq(kiln_grad(ctx, lf, 1, &f, &gf), KILN_OK);
    ck_assert_int_eq(kiln_expr_dtype(gf), KILN_F32);
    kiln_expr *ga;
    ck_assert_int_eq(kiln_grad(ctx, lf, 1, &a, &ga), KILN_OK); /* through the cast: float64 */
    ck_assert_int_eq(kiln_expr_dtype(ga), KILN_F64);
    kiln_expr_free(ga);
    kiln_expr_free(gf);
    kiln_expr_free(lf);
    kiln_expr_free(f);
    for (int k = 0; k < 2; k++) kiln_expr_free(gs[k]);
    kiln_expr_free(p);
    kiln_expr_free(ls);
    kiln_expr_free(li);
    kiln_expr_free(i);
    kiln_expr_free(y);
    kiln_expr_free(b);
    kiln_expr_free(a);
}
END_TEST

/* A partition's gradient: g at each output position goes back to the input the value came from,
 * whatever order the partition left the others in (lines long enough for its passes, and a
 * line with -0.0, which the whole sort serves). */
START_TEST(partition_gradient_follows_the_values) {
    for (int form = 0; form < 2; form++) {
        int64_t n = 3001, kth = 1700;
        put("x", 2, (int64_t[]){2, n}, -1, 1, 21 + (uint64_t)form);
        put("w", 2, (int64_t[]){2, n}, -1, 1, 23);
        if (form) ((double *)kiln_array_data(kiln_scope_get(scope, "x")))[5] = -0.0;
        kiln_expr *x = kiln_parse(ctx, scope, "x"), *w = kiln_parse(ctx, scope, "w");
        kiln_expr *y = kiln_partition(ctx, x, kth, kth + 2, 1), *yw = kiln_mul(ctx, y, w), *loss = kiln_sum(ctx, yw, KILN_ALL_AXES, 0), *g = NULL;
        ck_assert_msg(loss != NULL, "%s", kiln_errmsg(ctx));
        ck_assert_int_eq(kiln_grad(ctx, loss, 1, &x, &g), KILN_OK);
        kiln_array *yv = kiln_eval(ctx, y), *gv = kiln_eval(ctx, g);
        ck_assert_msg(yv && gv, "%s", kiln_errmsg(ctx));
        const double *xs = kiln_array_data(kiln_scope_get(scope, "x")), *ws = kiln_array_data(kiln_scope_get(scope, "w"));
        const double *ys = kiln_array_data(yv), *gs = kiln_array_data(gv);
        int64_t unsorted = 0;
        for (int64_t l = 0; l < 2; l++)
            for (int64_t i = 0; i < n; i++) { /* (the values are distinct) */
                int64_t from = 0;
                while (from < n && xs[l * n + from] != ys[l * n + i]) from++;
                ck_assert_msg(from < n, "line %lld: output %lld is no input", (long long)l, (long long)i);
                ck_assert_msg(gs[l * n + from] == ws[l * n + i], "line %lld: the gradient at %lld is not w at %lld", (long long)l,
                              (long long)from, (long long)i);
                unsorted += i && ys[l * n + i - 1] > ys[l * n + i];
            }
        if (__builtin_cpu_supports("avx512f") && !getenv("KILN_VECTOR_BYTES") && !form) ck_assert_int_gt(unsorted, 0); /* (a partition, not the sort) */
        kiln_array_free(yv), kiln_array_free(gv);
        ck_assert_ptr_null(kiln_partition(ctx, x, kth, kth - 1, 1)); /* (ranks the wrong way round, or past the line) */
        ck_assert_ptr_null(kiln_partition(ctx, x, 0, n, -1));
        ck_assert_msg(strstr(kiln_errmsg(ctx), "out of bounds") != NULL, "%s", kiln_errmsg(ctx));
        kiln_expr_free(g), kiln_expr_free(loss), kiln_expr_free(yw), kiln_expr_free(y), kiln_expr_free(w), kiln_expr_free(x);
    }
}
END_TEST

Suite *suite_grad(void) {
    Suite *s = suite_create("grad");
    TCase *t = tcase_create("grad");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 120);
    tcase_add_test(t, every_adjoint_against_finite_differences);
    tcase_add_test(t, gradients_of_gradients);
    tcase_add_test(t, logistic_regression_and_mlp_match_the_hand_written);
    tcase_add_test(t, seeds_zeros_and_refusals);
    tcase_add_test(t, sigmoid_far_below_zero_and_inside);
    tcase_add_test(t, corners_of_modf_and_copysign);
    tcase_add_test(t, partition_gradient_follows_the_values);
    suite_add_tcase(s, t);
    return s;
}
