/*
 * test_linalg.c — np.linalg's functions (kiln_linalg) against the reference evaluator's
 * textbook algorithms in long double (ir/ref.c): every function, float64 and float32 and an
 * integer operand, single matrices and stacks, empty ones, transposed and broadcast operands,
 * solve's two forms of b; eigenvectors and singular vectors up to each vector's sign, with
 * their orthonormality; the errors (singular, not positive definite, shapes), each naming its
 * matrix of a stack; and every backend against the first.
 */
#include <math.h>

#include "helpers.h"

static kiln_ctx *ctx;
static void setup(void) { ctx = kiln_ctx_new(NULL); }
static void teardown(void) { kiln_ctx_free(ctx); }

static kiln_expr *rvar(kiln_dtype dt, int nd, const int64_t *shape, uint64_t seed) {
    kiln_array *a = kiln_array_new(ctx, dt, nd, shape);
    fill_values(kiln_array_data(a), dt, kiln_array_size(a), &seed, false);
    kiln_expr *e = kiln_var(ctx, a);
    kiln_array_free(a);
    return e;
}

/* x + k·I over x's last two dims (its matrices made well conditioned), in x's dtype. */
static kiln_expr *plus_eye(kiln_expr *x, double k) {
    int nd = kiln_expr_ndim(x);
    int64_t n = kiln_expr_shape(x)[nd - 1];
    kiln_array *e = kiln_eye(ctx, kiln_expr_dtype(x), n, n, 0);
    kiln_expr *ev = kiln_var(ctx, e), *kv = kiln_scalar(ctx, k), *ke = kiln_mul(ctx, ev, kv), *r = kiln_add(ctx, x, ke);
    kiln_array_free(e);
    kiln_expr_free(ev);
    kiln_expr_free(kv);
    kiln_expr_free(ke);
    return r;
}

static double at(const kiln_array *a, int64_t flat) {
    int64_t idx[KILN_MAX_DIMS];
    const char *p = kiln_array_data(a);
    for (int d = a->ndim - 1; d >= 0; d--) {
        idx[d] = flat % a->shape[d];
        flat /= a->shape[d];
    }
    for (int d = 0; d < a->ndim; d++) p += idx[d] * a->strides[d];
    return a->dtype == KILN_F32 ? *(const float *)p : *(const double *)p;
}

/* e against the reference: |got - want| <= tol · max|want| (1 for an empty or zero want); with
 * signs, each vector (a column, or a row with rows) may have either sign as a whole. */
static void check(kiln_expr *e, double tol, int signs, const char *what) {
    ck_assert_msg(e != NULL, "%s: %s", what, kiln_errmsg(ctx));
    kiln_array *got = kiln_eval(ctx, e);
    if (!got && !lapack_here() && kiln_errcode(ctx) == KILN_ERR_BACKEND && strstr(kiln_errmsg(ctx), "needs LAPACK, which KILN_NO_BLAS=1")) {
        kiln_expr_free(e); /* refused as it should be without LAPACK */
        return;
    }
    ck_assert_msg(got != NULL, "%s: eval: %s", what, kiln_errmsg(ctx));
    kiln_array *want = kiln_array_new(ctx, kiln_expr_dtype(e), kiln_expr_ndim(e), kiln_expr_shape(e));
    ck_assert_int_eq(rt_ref_eval(ctx, e, want), KILN_OK);
    int64_t n = kiln_array_size(want);
    int nd = want->ndim;
    double scale = 0;
    for (int64_t k = 0; k < n; k++) scale = fmax(scale, fabs(at(want, k)));
    if (scale == 0) scale = 1;
    for (int64_t k = 0; k < n; k++) {
        double g = at(got, k), w = at(want, k);
        if (isnan(w)) continue; /* (the reference leaves a full u's completion undefined) */
        if (signs) { /* the vector's sign: its largest reference component's, compared */
            int64_t rows = want->shape[nd - 2], cols = want->shape[nd - 1], base = k - k % (rows * cols);
            int64_t i = (k % (rows * cols)) / cols, j = k % cols, best = -1;
            double big = -1;
            for (int64_t t = 0; t < (signs == 1 ? rows : cols); t++) {
                int64_t at_t = base + (signs == 1 ? t * cols + j : i * cols + t);
                if (fabs(at(want, at_t)) > big) big = fabs(at(want, at_t)), best = at_t;
            }
            if (best >= 0 && at(got, best) * at(want, best) < 0) g = -g;
        }
        ck_assert_msg(fabs(g - w) <= tol * scale || (isinf(g) && g == w), "%s: element %lld: got %.17g, want %.17g", what,
                      (long long)k, g, w);
    }
    char msg[256] = "";
    ck_assert_msg(backends_agree(ctx, e, 0, msg, sizeof msg) == 0, "%s: %s", what, msg);
    kiln_array_free(got);
    kiln_array_free(want);
    kiln_expr_free(e);
}

static kiln_expr *la(int fn, kiln_expr *a, kiln_expr *b, unsigned flags) { return kiln_linalg(ctx, (kiln_linalg_fn)fn, a, b, flags); }


START_TEST(every_function_against_the_reference) {
    /* (up to 8 x 8 kiln factors itself: linalg.c's small routines; beyond, LAPACK's) */
    int64_t shapes[][4] = {{4, 4}, {3, 5, 5}, {1, 1}, {0, 0}, {2, 2, 3, 3}, {2, 0, 2, 2}, {12, 12}, {2, 9, 9}};
    int nds[] = {2, 3, 2, 2, 4, 4, 2, 3};
    kiln_dtype dts[] = {KILN_F64, KILN_F32, KILN_I64};
    for (size_t s = 0; s < sizeof nds / sizeof *nds; s++)
        for (size_t d = 0; d < 3; d++) {
            kiln_dtype dt = dts[d];
            double tol = dt == KILN_F32 ? 2e-5 : 1e-12;
            int nd = nds[s];
            int64_t n = shapes[s][nd - 1];
            kiln_expr *raw = rvar(dt == KILN_I64 ? KILN_F64 : dt, nd, shapes[s], 10 + s * 3 + d);
            kiln_expr *x0 = plus_eye(raw, (double)n + 1), *x = dt == KILN_I64 ? kiln_cast(ctx, kiln_mul(ctx, x0, kiln_scalar(ctx, 8)), KILN_I64) : x0;
            /* a symmetric positive definite matrix: x @ x.T + I */
            int ax[KILN_MAX_DIMS];
            for (int k = 0; k < nd; k++) ax[k] = k;
            ax[nd - 2] = nd - 1, ax[nd - 1] = nd - 2;
            kiln_expr *xt = kiln_permute(ctx, x, ax), *spd = plus_eye(kiln_matmul(ctx, x, xt), 1);
            int64_t bshape[KILN_MAX_DIMS];
            memcpy(bshape, shapes[s], sizeof shapes[s]);
            bshape[nd - 1] = 2;
            kiln_expr *b = rvar(dt == KILN_I64 ? KILN_F64 : dt, nd, bshape, 99 + s), *b1 = rvar(dt == KILN_I64 ? KILN_F64 : dt, 1, &n, 98);
            char what[128];
#define CASE(e, sg, name)                                                                                      \
    do {                                                                                                       \
        snprintf(what, sizeof what, "%s of shape %zu, %s", name, s, kiln_dtype_name(dt));                      \
        check((e), tol * (double)(n + 1), sg, what);                                                           \
    } while (0)
            CASE(la(KILN_LA_SOLVE, x, b, 0), 0, "solve");
            CASE(la(KILN_LA_SOLVE, x, b1, 0), 0, "solve with a vector b");
            CASE(la(KILN_LA_SOLVE, xt, b, 0), 0, "solve of a transposed a");
            CASE(la(KILN_LA_INV, x, NULL, 0), 0, "inv");
            /* rows reversed: the pivots move rows (a diagonally dominant matrix keeps them) */
            kiln_ix flip[] = {{.kind = KILN_IX_ELLIPSIS}, {.kind = KILN_IX_SLICE, .step = -1, .flags = KILN_IX_HAS_STEP},
                              {.kind = KILN_IX_SLICE}};
            kiln_expr *xf = kiln_index(ctx, x, 3, flip);
            CASE(la(KILN_LA_SOLVE, xf, b, 0), 0, "solve, pivoting");
            CASE(la(KILN_LA_INV, xf, NULL, 0), 0, "inv, pivoting");
            CASE(la(KILN_LA_DET, xf, NULL, 0), 0, "det, pivoting");
            CASE(la(KILN_LA_SIGNDET, xf, NULL, 0), 0, "slogdet's sign, pivoting");
            CASE(la(KILN_LA_LOGDET, xf, NULL, 0), 0, "slogdet's log, pivoting");
            CASE(la(KILN_LA_QR_R, xf, NULL, 0), 0, "qr's r, pivoting");
            kiln_expr_free(xf);
            CASE(la(KILN_LA_DET, x, NULL, 0), 0, "det");
            CASE(la(KILN_LA_SIGNDET, kiln_neg(ctx, x), NULL, 0), 0, "slogdet's sign");
            CASE(la(KILN_LA_LOGDET, x, NULL, 0), 0, "slogdet's log");
            CASE(la(KILN_LA_CHOLESKY, spd, NULL, 0), 0, "cholesky");
            CASE(la(KILN_LA_CHOLESKY, spd, NULL, KILN_LA_UPPER), 0, "cholesky, upper");
            CASE(la(KILN_LA_EIGVALSH, spd, NULL, 0), 0, "eigvalsh");
            CASE(la(KILN_LA_EIGVALSH, x, NULL, KILN_LA_UPPER), 0, "eigvalsh of the upper triangle");
            CASE(la(KILN_LA_EIGVECSH, spd, NULL, 0), 1, "eigh's vectors");
            CASE(la(KILN_LA_SVALS, x, NULL, 0), 0, "singular values");
            CASE(la(KILN_LA_SVALS, b, NULL, 0), 0, "singular values of a tall matrix");
            CASE(la(KILN_LA_SVALS, kiln_permute(ctx, b, ax), NULL, 0), 0, "singular values of a wide matrix");
            for (unsigned full = 0; full <= KILN_LA_FULL; full += KILN_LA_FULL) {
                CASE(la(KILN_LA_SVD_U, x, NULL, full), 1, "svd's u");
                CASE(la(KILN_LA_SVD_VH, x, NULL, full), 2, "svd's vh");
                CASE(la(KILN_LA_SVD_U, b, NULL, full), 1, "svd's u of a tall matrix");
                CASE(la(KILN_LA_SVD_VH, kiln_permute(ctx, b, ax), NULL, full), 2, "svd's vh of a wide matrix");
                CASE(la(KILN_LA_QR_Q, b, NULL, full), 0, "qr's q of a tall matrix");
                CASE(la(KILN_LA_QR_R, b, NULL, full), 0, "qr's r of a tall matrix");
                CASE(la(KILN_LA_QR_Q, kiln_permute(ctx, b, ax), NULL, full), 0, "qr's q of a wide matrix");
                CASE(la(KILN_LA_QR_R, x, NULL, full), 0, "qr's r");
            }
#undef CASE
            ck_assert_int_eq(kiln_expr_dtype(kiln_linalg(ctx, KILN_LA_DET, x, NULL, 0)), dt == KILN_F32 ? KILN_F32 : KILN_F64);
            kiln_expr *held[] = {raw, x0, xt, spd, b, b1};
            for (size_t k = 0; k < sizeof held / sizeof *held; k++) kiln_expr_free(held[k]);
            if (x != x0) kiln_expr_free(x);
        }
}
END_TEST

/* Orthonormal columns: q.T @ q is the identity (within tol). */
static void orthonormal(kiln_expr *q, bool rows, double tol, const char *what) {
    int nd = kiln_expr_ndim(q), ax[KILN_MAX_DIMS];
    for (int k = 0; k < nd; k++) ax[k] = k;
    ax[nd - 2] = nd - 1, ax[nd - 1] = nd - 2;
    kiln_expr *qt = kiln_permute(ctx, q, ax), *g = rows ? kiln_matmul(ctx, q, qt) : kiln_matmul(ctx, qt, q);
    kiln_array *r = kiln_eval(ctx, g);
    ck_assert_msg(r != NULL, "%s: %s", what, kiln_errmsg(ctx));
    int64_t n = r->shape[r->ndim - 1];
    for (int64_t k = 0; k < kiln_array_size(r); k++) {
        double want = (k % (n * n)) / n == k % n;
        ck_assert_msg(fabs(at(r, k) - want) <= tol, "%s: (q.T q)[%lld] = %.17g", what, (long long)k, at(r, k));
    }
    kiln_array_free(r);
    kiln_expr_free(qt);
    kiln_expr_free(g);
}

START_TEST(factors_are_orthonormal_and_rebuild_the_matrix) {
    if (!lapack_here()) return; /* svd and qr need LAPACK */
    int64_t tall[] = {3, 7, 4};
    kiln_expr *b = rvar(KILN_F64, 3, tall, 5);
    for (unsigned full = 0; full <= KILN_LA_FULL; full += KILN_LA_FULL) {
        kiln_expr *u = la(KILN_LA_SVD_U, b, NULL, full), *vh = la(KILN_LA_SVD_VH, b, NULL, full), *q = la(KILN_LA_QR_Q, b, NULL, full);
        orthonormal(u, false, 1e-13, "svd's u");
        orthonormal(vh, true, 1e-13, "svd's vh");
        orthonormal(q, false, 1e-13, "qr's q");
        kiln_expr_free(u), kiln_expr_free(vh), kiln_expr_free(q);
    }
    /* u @ (s[..., None] * vh) and q @ r are b again */
    kiln_expr *u = la(KILN_LA_SVD_U, b, NULL, 0), *s = la(KILN_LA_SVALS, b, NULL, 0), *vh = la(KILN_LA_SVD_VH, b, NULL, 0);
    kiln_expr *s1 = kiln_expand_dims(ctx, s, 2), *sv = kiln_mul(ctx, s1, vh), *usv = kiln_matmul(ctx, u, sv);
    kiln_expr *q = la(KILN_LA_QR_Q, b, NULL, 0), *r = la(KILN_LA_QR_R, b, NULL, 0), *qr = kiln_matmul(ctx, q, r);
    kiln_array *ba = kiln_eval(ctx, b), *m1 = kiln_eval(ctx, usv), *m2 = kiln_eval(ctx, qr);
    ck_assert(ba && m1 && m2);
    for (int64_t k = 0; k < kiln_array_size(ba); k++) {
        ck_assert_msg(fabs(at(m1, k) - at(ba, k)) < 1e-14 * 8, "u s vh [%lld]: %.17g vs %.17g", (long long)k, at(m1, k), at(ba, k));
        ck_assert_msg(fabs(at(m2, k) - at(ba, k)) < 1e-14 * 8, "q r [%lld]: %.17g vs %.17g", (long long)k, at(m2, k), at(ba, k));
    }
    kiln_array_free(ba), kiln_array_free(m1), kiln_array_free(m2);
    kiln_expr *held[] = {b, u, s, vh, s1, sv, usv, q, r, qr};
    for (size_t k = 0; k < sizeof held / sizeof *held; k++) kiln_expr_free(held[k]);
}
END_TEST

/* The parts one factorization gives, asked for together (one plan: one factorization writes
 * them all, runtime/plan.c's link_linalg), against each computed alone; svd's u and vh with
 * different full_matrices flags are two factorizations. */
START_TEST(parts_computed_together_agree) {
    if (!lapack_here()) return; /* svd, eigh and qr need LAPACK */
    int64_t sh[] = {2, 5, 4};
    kiln_expr *b = rvar(KILN_F64, 3, sh, 21), *sq = kiln_index(ctx, b, 3, (kiln_ix[]){{.kind = KILN_IX_ELLIPSIS},
                                                                                     {.kind = KILN_IX_SLICE, .stop = 4, .flags = KILN_IX_HAS_STOP}, {.kind = KILN_IX_SLICE}});
    kiln_expr *parts[] = {la(KILN_LA_SVD_VH, b, NULL, KILN_LA_FULL), la(KILN_LA_SVALS, b, NULL, 0), la(KILN_LA_SVD_U, b, NULL, 0),
                          la(KILN_LA_SVD_U, b, NULL, KILN_LA_FULL), la(KILN_LA_DET, sq, NULL, 0), la(KILN_LA_SIGNDET, sq, NULL, 0),
                          la(KILN_LA_LOGDET, sq, NULL, 0), la(KILN_LA_EIGVALSH, sq, NULL, KILN_LA_UPPER), la(KILN_LA_EIGVECSH, sq, NULL, KILN_LA_UPPER),
                          la(KILN_LA_EIGVALSH, sq, NULL, 0), la(KILN_LA_QR_R, b, NULL, 0), la(KILN_LA_QR_Q, b, NULL, 0),
                          la(KILN_LA_QR_Q, b, NULL, KILN_LA_FULL)};
    enum { NP = sizeof parts / sizeof *parts };
    kiln_array *together[NP] = {NULL};
    /* u (reduced) into every other column of a bigger buffer: a part written with the wrong
     * shape (u as full) shows in the columns between */
    static double buf[2][5][10];
    for (int k = 0; k < 100; k++) (&buf[0][0][0])[k] = -7;
    together[2] = kiln_wrap(ctx, KILN_F64, 3, (int64_t[]){2, 5, 4}, (int64_t[]){400, 80, 16}, buf);
    ck_assert_msg(kiln_eval_many(ctx, NP, parts, together) == KILN_OK, "%s", kiln_errmsg(ctx));
    for (int k = 0; k < 100; k++)
        ck_assert_msg((k % 10 < 8 && k % 2 == 0) || (&buf[0][0][0])[k] == -7, "u wrote outside its part (element %d)", k);
    for (int i = 0; i < NP; i++) {
        kiln_array *alone = kiln_eval(ctx, parts[i]);
        ck_assert_msg(alone != NULL, "%s", kiln_errmsg(ctx));
        double scale = 1e-300;
        for (int64_t k = 0; k < kiln_array_size(alone); k++) scale = fmax(scale, fabs(at(alone, k)));
        for (int64_t k = 0; k < kiln_array_size(alone); k++)
            ck_assert_msg(fabs(at(together[i], k) - at(alone, k)) <= 1e-13 * scale, "part %d, element %lld: together %.17g, alone %.17g",
                          i, (long long)k, at(together[i], k), at(alone, k));
        kiln_array_free(alone);
        kiln_array_free(together[i]);
        kiln_expr_free(parts[i]);
    }
    kiln_expr_free(b);
    kiln_expr_free(sq);
}
END_TEST

/* e's evaluation fails with code and a message holding text. */
static void fails(kiln_expr *e, kiln_status code, const char *text, const char *what) {
    kiln_array *r = e ? kiln_eval(ctx, e) : NULL;
    ck_assert_msg(r == NULL, "%s: no error", what);
    ck_assert_msg(kiln_errcode(ctx) == code, "%s: error %d (%s)", what, kiln_errcode(ctx), kiln_errmsg(ctx));
    ck_assert_msg(strstr(kiln_errmsg(ctx), text), "%s: message '%s' lacks '%s'", what, kiln_errmsg(ctx), text);
    kiln_expr_free(e);
}

START_TEST(errors_name_the_matrix) {
    double sing[2][2][2] = {{{1, 2}, {3, 4}}, {{1, 2}, {2, 4}}}; /* the second is singular */
    int64_t sh[] = {2, 2, 2};
    kiln_array *sa = kiln_wrap(ctx, KILN_F64, 3, sh, NULL, sing);
    kiln_expr *s = kiln_var(ctx, sa);
    fails(la(KILN_LA_INV, s, NULL, 0), KILN_ERR_LINALG, "Singular matrix (matrix 1 of the stack of 2)", "inv of a singular one");
    fails(la(KILN_LA_SOLVE, s, s, 0), KILN_ERR_LINALG, "Singular matrix", "solve");
    fails(la(KILN_LA_CHOLESKY, s, NULL, 0), KILN_ERR_LINALG, "Matrix is not positive definite (matrix 0", "cholesky");
    /* a singular matrix's det is 0, its slogdet (0, -inf), as NumPy's */
    kiln_array *d = kiln_eval(ctx, la(KILN_LA_DET, s, NULL, 0)), *lg = kiln_eval(ctx, la(KILN_LA_LOGDET, s, NULL, 0));
    ck_assert(d && lg);
    ck_assert(at(d, 1) == 0 && fabs(at(d, 0) + 2) < 1e-15 && isinf(at(lg, 1)) && at(lg, 1) < 0);
    kiln_array_free(d), kiln_array_free(lg);
    /* NaN or inf: svd does not converge, as NumPy says (LAPACK refuses NaN; some inf never end) */
    double bad[2][3][3] = {{{1, 0, 0}, {0, NAN, 0}, {0, 0, 1}}, {{INFINITY, 1, 0}, {1, 3, 1}, {0, 1, 2}}};
    kiln_array *ba = kiln_wrap(ctx, KILN_F64, 3, (int64_t[]){2, 3, 3}, NULL, bad);
    kiln_expr *bv = kiln_var(ctx, ba), *first = kiln_index(ctx, bv, 1, (kiln_ix[]){{.kind = KILN_IX_INDEX, .index = 1}});
    if (lapack_here()) {
        fails(la(KILN_LA_SVALS, bv, NULL, 0), KILN_ERR_LINALG, "SVD did not converge (matrix 0 of the stack of 2)", "svd of NaN");
        fails(la(KILN_LA_SVD_U, first, NULL, 0), KILN_ERR_LINALG, "svd: SVD did not converge", "svd of inf");
    }
    /* a subnormal pivot (1e-310: its reciprocal overflows) divides, as LAPACK's getf2 does */
    double tiny[2][2] = {{1e-310, 0}, {0, 1}};
    kiln_array *ta = kiln_wrap(ctx, KILN_F64, 2, (int64_t[]){2, 2}, NULL, tiny);
    kiln_expr *tv = kiln_var(ctx, ta);
    kiln_array *td = kiln_eval(ctx, la(KILN_LA_DET, tv, NULL, 0)), *ti = kiln_eval(ctx, la(KILN_LA_INV, tv, NULL, 0));
    ck_assert(td && ti);
    ck_assert_msg(at(td, 0) == 1e-310 && isinf(at(ti, 0)) && at(ti, 3) == 1, "det %g, inv %g %g", at(td, 0), at(ti, 0), at(ti, 3));
    kiln_array_free(td), kiln_array_free(ti), kiln_array_free(ba), kiln_array_free(ta);
    /* det's gradient at a singular matrix needs the inverse: its error says so */
    kiln_expr *g = NULL, *dt = la(KILN_LA_DET, s, NULL, 0), *d1 = kiln_sum(ctx, dt, KILN_ALL_AXES, 0);
    ck_assert_int_eq(kiln_grad(ctx, d1, 1, &s, &g), KILN_OK);
    fails(g, KILN_ERR_LINALG, "the gradient of det or slogdet (it needs inv): Singular matrix (matrix 1", "det's gradient");
    kiln_expr_free(bv), kiln_expr_free(first), kiln_expr_free(tv), kiln_expr_free(dt), kiln_expr_free(d1);
    int64_t rect[] = {3, 2}, one = 3;
    kiln_expr *r = rvar(KILN_F64, 2, rect, 1), *v = rvar(KILN_F64, 1, &one, 2);
    ck_assert_ptr_null(la(KILN_LA_INV, r, NULL, 0));
    ck_assert_msg(kiln_errcode(ctx) == KILN_ERR_SHAPE && strstr(kiln_errmsg(ctx), "must be square"), "%s", kiln_errmsg(ctx));
    ck_assert_ptr_null(la(KILN_LA_DET, v, NULL, 0));
    ck_assert_msg(strstr(kiln_errmsg(ctx), "1-dimensional array given"), "%s", kiln_errmsg(ctx));
    ck_assert_ptr_null(la(KILN_LA_SOLVE, s, v, 0));
    ck_assert_msg(strstr(kiln_errmsg(ctx), "mismatch in its core dimension 0"), "%s", kiln_errmsg(ctx));
    ck_assert_ptr_null(la(KILN_LA_COUNT, s, NULL, 0));
    ck_assert_int_eq(kiln_errcode(ctx), KILN_ERR_ARG);
    kiln_expr_free(s), kiln_expr_free(r), kiln_expr_free(v);
    kiln_array_free(sa);
}
END_TEST

Suite *suite_linalg(void) {
    Suite *s = suite_create("linalg");
    TCase *t = tcase_create("linalg");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 300);
    tcase_add_test(t, every_function_against_the_reference);
    tcase_add_test(t, factors_are_orthonormal_and_rebuild_the_matrix);
    tcase_add_test(t, parts_computed_together_agree);
    tcase_add_test(t, errors_name_the_matrix);
    suite_add_tcase(s, t);
    return s;
}
