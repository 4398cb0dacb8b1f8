/*
 * test_jit.c — every op and dtype through the LLVM JIT against the scalar C reference, on
 * inputs that pair every awkward value (±0, ±1, NaN, ±inf, extremes) with every other; every
 * cast; strided, reversed, broadcast and transposed operands; in-place and overlapping
 * outputs; the multi-threaded path.
 */
#include "helpers.h"
#include "runtime/exec.h"

static kiln_ctx *ctx;
static void setup(void) { ctx = kiln_ctx_new(NULL); }
static void teardown(void) { kiln_ctx_free(ctx); }

/* Largest error allowed against libm for functions computed by glibc's libmvec, in ulps.
 * The bound is 4 ulp; these are what the tests enforce. */


static const double fspecial[] = {0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -7.0, 7.0, 3.5, -3.5,
                                  NAN, INFINITY, -INFINITY, 1e300, -1e300, 1e-310, 3e9, -3e9, 1e19};
static const int64_t ispecial[] = {0, 1, -1, 2, -2, 7, -7, 3, INT32_MAX, INT32_MIN, INT64_MAX,
                                   INT64_MIN, 100, -100, 31, 62};
#define NF ((int)(sizeof fspecial / sizeof *fspecial))
#define NI ((int)(sizeof ispecial / sizeof *ispecial))
#define EXTRA 45 /* random elements after the pairs: exercises the vector loop and its tail */

/* An array of dt whose first ns*ns elements pair special value i/ns (role 0) or i%ns (role 1)
 * with the other role's, then random values. */
static kiln_array *make_operand(kiln_dtype dt, int role, uint64_t seed, int64_t *len) {
    int ns = dtype_is_float(dt) ? NF : NI;
    int64_t n = (int64_t)NF * NF + EXTRA; /* one length for every dtype, so operands broadcast */
    *len = n;
    kiln_array *a = kiln_array_new(ctx, dt, 1, &n);
    fill_values(a->data, dt, n, &seed, false);
    for (int64_t i = 0; i < (int64_t)ns * ns; i++) {
        int k = role == 0 ? (int)(i / ns) : (int)(i % ns);
        kscalar v = dtype_is_float(dt) ? ref_cast((kscalar){.f64 = fspecial[k]}, KILN_F64, dt)
                                       : ref_cast((kscalar){.i64 = ispecial[k]}, KILN_I64, dt);
        if (dt == KILN_BOOL) v.b = (i >> role) & 1;
        ref_store(a->data + i * (int64_t)kiln_dtype_size(dt), dt, v);
    }
    return a;
}

static const kiln_op all_ops[] = {
#define X(E, b, np, ar, k, sp, cf) KILN_OP_##E,
    KILN_OPS(X)
#undef X
};

START_TEST(every_op_every_dtype) {
    int built = 0;
    for (size_t o = 0; o < sizeof all_ops / sizeof *all_ops; o++) {
        kiln_op op = all_ops[o];
        for (int dt = 0; dt < KILN_DTYPE_COUNT; dt++) {
            int ar = kiln_op_arity(op);
            kiln_array *arrs[3] = {NULL, NULL, NULL};
            kiln_expr *vars[3] = {NULL, NULL, NULL};
            int64_t len;
            for (int i = 0; i < ar; i++) {
                kiln_dtype adt = (op == KILN_OP_WHERE && i == 0) ? KILN_BOOL : (kiln_dtype)dt;
                arrs[i] = make_operand(adt, i == 0 ? 0 : 1, 1234 + (uint64_t)i, &len);
                vars[i] = kiln_var(ctx, arrs[i]);
            }
            kiln_expr *e = kiln_apply(ctx, op, vars);
            if (e) {
                built++;
                char msg[256] = "";
                bool exact = op == KILN_OP_SQRT || op == KILN_OP_FLOOR || op == KILN_OP_CEIL || op == KILN_OP_LDEXP ||
                             op == KILN_OP_NEXTAFTER || op == KILN_OP_FREXP;
                bool inexact = kiln_op_cfunc[op][0] && !exact && dtype_is_float(kiln_expr_dtype(e));
                int64_t bad = jit_vs_ref(ctx, e, inexact ? MATH_ULP : 0, msg, sizeof msg);
                /* every backend, transcendental functions included: the same libmvec calls */
                if (bad == 0) bad = backends_agree(ctx, e, 0, msg, sizeof msg);
                ck_assert_msg(bad == 0, "%s(%s): %lld mismatches; %s", kiln_op_name(op), kiln_dtype_name((kiln_dtype)dt),
                              (long long)bad, msg);
                kiln_expr_free(e);
            } else {
                ck_assert_int_eq(kiln_errcode(ctx), KILN_ERR_DTYPE); /* no loop for this dtype */
            }
            for (int i = 0; i < ar; i++) {
                kiln_expr_free(vars[i]);
                kiln_array_free(arrs[i]);
            }
        }
    }
    ck_assert_int_ge(built, 190); /* all but the combinations NumPy refuses */
}
END_TEST

START_TEST(every_cast) {
    for (int from = 0; from < KILN_DTYPE_COUNT; from++) {
        int64_t len;
        kiln_array *a = make_operand((kiln_dtype)from, 0, 99, &len);
        kiln_expr *x = kiln_var(ctx, a);
        for (int to = 0; to < KILN_DTYPE_COUNT; to++) {
            kiln_expr *e = kiln_cast(ctx, x, (kiln_dtype)to);
            char msg[256] = "";
            int64_t bad = jit_vs_ref(ctx, e, 0, msg, sizeof msg);
            if (bad == 0) bad = backends_agree(ctx, e, 0, msg, sizeof msg);
            ck_assert_msg(bad == 0, "cast %s -> %s: %s", kiln_dtype_name((kiln_dtype)from), kiln_dtype_name((kiln_dtype)to), msg);
            kiln_expr_free(e);
        }
        kiln_expr_free(x);
        kiln_array_free(a);
    }
}
END_TEST

/* Known values where NumPy's answer is easy to state. */
START_TEST(numpy_semantics_spot_checks) {
    int64_t n = 4;
    int64_t a[4] = {-7, 7, -7, 7}, b[4] = {2, -2, 0, -1}, fd[4], md[4];
    double x[4] = {-7, 7, -7, 0}, y[4] = {2, -2, 0, 0}, xf[4], xm[4];
    kiln_array *A = kiln_wrap(ctx, KILN_I64, 1, &n, NULL, a), *B = kiln_wrap(ctx, KILN_I64, 1, &n, NULL, b);
    kiln_array *FD = kiln_wrap(ctx, KILN_I64, 1, &n, NULL, fd), *MD = kiln_wrap(ctx, KILN_I64, 1, &n, NULL, md);
    kiln_expr *va = kiln_var(ctx, A), *vb = kiln_var(ctx, B);
    kiln_expr *q = kiln_floordiv(ctx, va, vb), *r = kiln_mod(ctx, va, vb);
    ck_assert_int_eq(kiln_eval_into(ctx, q, FD), KILN_OK);
    ck_assert_int_eq(kiln_eval_into(ctx, r, MD), KILN_OK);
    int64_t wq[4] = {-4, -4, 0, -7}, wr[4] = {1, -1, 0, 0}; /* numpy 2.2 */
    for (int i = 0; i < 4; i++) {
        ck_assert_int_eq(fd[i], wq[i]);
        ck_assert_int_eq(md[i], wr[i]);
    }
    kiln_array *X = kiln_wrap(ctx, KILN_F64, 1, &n, NULL, x), *Y = kiln_wrap(ctx, KILN_F64, 1, &n, NULL, y);
    kiln_array *XF = kiln_wrap(ctx, KILN_F64, 1, &n, NULL, xf), *XM = kiln_wrap(ctx, KILN_F64, 1, &n, NULL, xm);
    kiln_expr *vx = kiln_var(ctx, X), *vy = kiln_var(ctx, Y);
    kiln_expr *qf = kiln_floordiv(ctx, vx, vy), *rf = kiln_mod(ctx, vx, vy);
    ck_assert_int_eq(kiln_eval_into(ctx, qf, XF), KILN_OK);
    ck_assert_int_eq(kiln_eval_into(ctx, rf, XM), KILN_OK);
    ck_assert_double_eq(xf[0], -4);
    ck_assert_double_eq(xf[1], -4);
    ck_assert(isinf(xf[2]) && xf[2] < 0);
    ck_assert(isnan(xf[3]));
    ck_assert_double_eq(xm[0], 1);
    ck_assert_double_eq(xm[1], -1);
    ck_assert(isnan(xm[2]) && isnan(xm[3]));
    /* float -> int32 of NaN and out-of-range values: INT32_MIN, as NumPy on x86-64 */
    double c[4] = {3.5, NAN, 1e20, -2.5};
    int32_t ci[4];
    kiln_array *C = kiln_wrap(ctx, KILN_F64, 1, &n, NULL, c), *CI = kiln_wrap(ctx, KILN_I32, 1, &n, NULL, ci);
    kiln_expr *vc = kiln_var(ctx, C), *cc = kiln_cast(ctx, vc, KILN_I32);
    ck_assert_int_eq(kiln_eval_into(ctx, cc, CI), KILN_OK);
    ck_assert_int_eq(ci[0], 3);
    ck_assert_int_eq(ci[1], INT32_MIN);
    ck_assert_int_eq(ci[2], INT32_MIN);
    ck_assert_int_eq(ci[3], -2);
    /* maximum propagates NaN and, like NumPy, returns the second of two equal zeros */
    double m1[4] = {NAN, 1, -0.0, 0.0}, m2[4] = {1, NAN, 0.0, -0.0}, mo[4];
    kiln_array *M1 = kiln_wrap(ctx, KILN_F64, 1, &n, NULL, m1), *M2 = kiln_wrap(ctx, KILN_F64, 1, &n, NULL, m2),
               *MO = kiln_wrap(ctx, KILN_F64, 1, &n, NULL, mo);
    kiln_expr *v1 = kiln_var(ctx, M1), *v2 = kiln_var(ctx, M2), *mx = kiln_maximum(ctx, v1, v2);
    ck_assert_int_eq(kiln_eval_into(ctx, mx, MO), KILN_OK);
    ck_assert(isnan(mo[0]) && isnan(mo[1]));
    ck_assert(mo[2] == 0 && !signbit(mo[2]));
    ck_assert(mo[3] == 0 && signbit(mo[3]));
    kiln_expr *es[] = {va, vb, q, r, vx, vy, qf, rf, vc, cc, v1, v2, mx};
    for (size_t i = 0; i < sizeof es / sizeof *es; i++) kiln_expr_free(es[i]);
    kiln_array *as[] = {A, B, FD, MD, X, Y, XF, XM, C, CI, M1, M2, MO};
    for (size_t i = 0; i < sizeof as / sizeof *as; i++) kiln_array_free(as[i]);
}
END_TEST

/* sin(a)*sin(a) in float64 and float32 stays within the 4 ulp of libm. */
START_TEST(sin_squared_accuracy) {
    for (int dt = KILN_F32; dt <= KILN_F64; dt++) {
        int64_t n = 100003;
        kiln_array *a = kiln_array_new(ctx, (kiln_dtype)dt, 1, &n);
        uint64_t seed = 7;
        for (int64_t i = 0; i < n; i++) {
            double v = (rng_unit(&seed) - 0.5) * 200;
            ref_store(a->data + i * (int64_t)kiln_dtype_size((kiln_dtype)dt), (kiln_dtype)dt,
                      ref_cast((kscalar){.f64 = v}, KILN_F64, (kiln_dtype)dt));
        }
        kiln_expr *x = kiln_var(ctx, a), *s = kiln_sin(ctx, x), *y = kiln_mul(ctx, s, s);
        char msg[256] = "";
        ck_assert_msg(jit_vs_ref(ctx, s, MATH_ULP, msg, sizeof msg) == 0, "sin %s: %s", kiln_dtype_name((kiln_dtype)dt), msg);
        /* squaring doubles the relative error of sin and rounds once more */
        ck_assert_msg(jit_vs_ref(ctx, y, 2 * MATH_ULP + 1, msg, sizeof msg) == 0, "%s: %s", kiln_dtype_name((kiln_dtype)dt), msg);
        ck_assert_msg(backends_agree(ctx, y, 0, msg, sizeof msg) == 0, "%s: %s", kiln_dtype_name((kiln_dtype)dt), msg);
        kiln_expr_free(y);
        kiln_expr_free(s);
        kiln_expr_free(x);
        kiln_array_free(a);
    }
}
END_TEST

/* Views: every other element, reversed, a broadcast column, a transposed matrix. */
START_TEST(strided_reversed_broadcast_transposed) {
    enum { R = 37, C = 53 };
    static double m[R * C], col[R], row[2 * C];
    uint64_t seed = 3;
    fill_values(m, KILN_F64, R * C, &seed, true);
    fill_values(col, KILN_F64, R, &seed, false);
    fill_values(row, KILN_F64, 2 * C, &seed, false);
    int64_t shp[2] = {R, C}, shc[2] = {R, 1}, shr[1] = {C}, shT[2] = {C, R};
    kiln_array *M = kiln_wrap(ctx, KILN_F64, 2, shp, NULL, m);
    kiln_array *Col = kiln_wrap(ctx, KILN_F64, 2, shc, NULL, col);
    kiln_array *Row2 = kiln_wrap(ctx, KILN_F64, 1, shr, (int64_t[]){16}, row);          /* stride 2 */
    kiln_array *Rev = kiln_wrap(ctx, KILN_F64, 1, shr, (int64_t[]){-8}, row + C - 1);  /* reversed */
    kiln_array *MT = kiln_wrap(ctx, KILN_F64, 2, shT, (int64_t[]){8, C * 8}, m);        /* transpose */
    kiln_expr *vm = kiln_var(ctx, M), *vc = kiln_var(ctx, Col), *vr = kiln_var(ctx, Row2), *vv = kiln_var(ctx, Rev),
              *vt = kiln_var(ctx, MT);
    kiln_expr *e1 = kiln_add(ctx, kiln_mul(ctx, vm, vc), vr);     /* (R,C) */
    kiln_expr *e2 = kiln_sub(ctx, vm, vv);                          /* reversed row broadcast */
    kiln_expr *e3 = kiln_mul(ctx, vt, kiln_scalar(ctx, 3.0));      /* (C,R) from a transpose */
    kiln_expr *tests[] = {e1, e2, e3};
    for (int t = 0; t < 3; t++) {
        char msg[256] = "";
        ck_assert_msg(jit_vs_ref(ctx, tests[t], 0, msg, sizeof msg) == 0, "case %d: %s", t, msg);
    }
    /* a transposed output */
    static double outT[R * C], want[R * C];
    kiln_array *OT = kiln_wrap(ctx, KILN_F64, 2, shp, (int64_t[]){8, R * 8}, outT);
    kiln_array *W = kiln_wrap(ctx, KILN_F64, 2, shp, NULL, want);
    ck_assert_int_eq(kiln_eval_into(ctx, e1, OT), KILN_OK);
    ck_assert_int_eq(rt_ref_eval(ctx, e1, W), KILN_OK);
    char msg[256] = "";
    ck_assert_msg(compare_arrays(OT, W, 0, msg, sizeof msg) == 0, "%s", msg);
    kiln_expr *es[] = {vm, vc, vr, vv, vt, e1, e2, e3};
    for (size_t i = 0; i < sizeof es / sizeof *es; i++) kiln_expr_free(es[i]);
    kiln_array *as[] = {M, Col, Row2, Rev, MT, OT, W};
    for (size_t i = 0; i < sizeof as / sizeof *as; i++) kiln_array_free(as[i]);
}
END_TEST

/* out aliasing an input: in place (same layout) and shifted (NumPy copies first). */
START_TEST(in_place_and_overlapping_outputs) {
    int64_t n = 100, n1 = 99;
    double *buf = kiln_array_data(kiln_array_new(ctx, KILN_F64, 1, &n)); /* leaked handle: freed with ctx */
    for (int i = 0; i < n; i++) buf[i] = i;
    kiln_array *A = kiln_wrap(ctx, KILN_F64, 1, &n, NULL, buf);
    kiln_expr *a = kiln_var(ctx, A), *twice = kiln_mul(ctx, a, kiln_scalar(ctx, 2.0));
    ck_assert_int_eq(kiln_eval_into(ctx, twice, A), KILN_OK);
    for (int i = 0; i < n; i++) ck_assert_double_eq(buf[i], 2.0 * i);
    /* out = buf[1:], in = buf[:-1] reversed-free shift: out[i] = in[i] + 1 must read old values */
    kiln_array *lo = kiln_wrap(ctx, KILN_F64, 1, &n1, NULL, buf), *hi = kiln_wrap(ctx, KILN_F64, 1, &n1, NULL, buf + 1);
    kiln_expr *l = kiln_var(ctx, lo), *inc = kiln_add(ctx, l, kiln_scalar(ctx, 1.0));
    ck_assert_int_eq(kiln_eval_into(ctx, inc, hi), KILN_OK);
    for (int i = 1; i < n; i++) ck_assert_double_eq(buf[i], 2.0 * (i - 1) + 1);
    kiln_expr *es[] = {a, twice, l, inc};
    for (int i = 0; i < 4; i++) kiln_expr_free(es[i]);
    kiln_array_free(A);
    kiln_array_free(lo);
    kiln_array_free(hi);
}
END_TEST

/* Big enough for several threads; the answer must not depend on the thread count. */
START_TEST(threads_give_the_same_answer) {
    int64_t n = 300001;
    kiln_array *a = kiln_array_new(ctx, KILN_F64, 1, &n), *b = kiln_array_new(ctx, KILN_I32, 1, &n);
    uint64_t seed = 11;
    fill_values(a->data, KILN_F64, n, &seed, true);
    fill_values(b->data, KILN_I32, n, &seed, true);
    kiln_expr *x = kiln_var(ctx, a), *y = kiln_var(ctx, b);
    kiln_expr *e = kiln_where(ctx, kiln_gt(ctx, y, kiln_int(ctx, 0)), kiln_exp(ctx, x), kiln_floordiv(ctx, x, y));
    for (int t = 1; t <= 4; t *= 2) {
        kiln_set_num_threads(ctx, t);
        char msg[256] = "";
        ck_assert_msg(jit_vs_ref(ctx, e, MATH_ULP, msg, sizeof msg) == 0, "%d threads: %s", t, msg);
    }
    kiln_expr_free(e);
    kiln_expr_free(x);
    kiln_expr_free(y);
    kiln_array_free(a);
    kiln_array_free(b);
}
END_TEST

/* Outputs past 16 MiB whose kernel's traffic outgrows the last-level cache are written with
 * aligned streaming stores after a peeled, unaligned start: an output one element off alignment
 * exercises all three loops.  (The size follows the cache: 40 MB of traffic against a 32 MiB L3,
 * more where sysfs reports a bigger one.) */
START_TEST(streaming_stores_for_big_outputs) {
    int64_t n = 2500001, llc_n = rt_llc_bytes() / 16 + 4097; /* an input and an output of float64 */
    if (n < llc_n && llc_n < (1 << 26)) n = llc_n; /* (not past 2 x 512 MB: a huge KILN_LLC_BYTES expects no streaming) */
    bool stream = 16 * n > rt_llc_bytes();
    int64_t n1 = n + 1;
    kiln_array *a = kiln_array_new(ctx, KILN_F64, 1, &n), *big = kiln_array_new(ctx, KILN_F64, 1, &n1);
    uint64_t seed = 17;
    fill_values(a->data, KILN_F64, n, &seed, true);
    kiln_array *out = kiln_wrap(ctx, KILN_F64, 1, &n, NULL, big->data + 8); /* 8 bytes past a page */
    kiln_array *want = kiln_array_new(ctx, KILN_F64, 1, &n);
    kiln_expr *x = kiln_var(ctx, a), *e = kiln_add(ctx, kiln_mul(ctx, x, x), kiln_scalar(ctx, 0.5));
    ck_assert_int_eq(kiln_eval_into(ctx, e, out), KILN_OK);
    ck_assert_int_eq(rt_ref_eval(ctx, e, want), KILN_OK);
    char msg[256] = "";
    ck_assert_msg(compare_arrays(out, want, 0, msg, sizeof msg) == 0, "%s", msg);
    char *d = dump_kernels(ctx, e);
    ck_assert_msg(!strstr(d, "streaming stores") == !stream, "streaming stores %s for %lld bytes of traffic and %lld of cache", stream ? "expected" : "not expected",
                  (long long)(16 * n), (long long)rt_llc_bytes());
    if (uses_llvm(ctx) && stream) ck_assert_ptr_nonnull(strstr(d, "!nontemporal"));
    kiln_string_free(d);
    kiln_expr_free(e);
    kiln_expr_free(x);
    kiln_array *as[] = {a, big, out, want};
    for (int i = 0; i < 4; i++) kiln_array_free(as[i]);
}
END_TEST

/* A float32 and a float64 sum of the same 1000 values (seeded), into sums[0..1], and of
 * x*x, in a new context (whose vector width KILN_VECTOR_BYTES says). */
static void three_sums(float *f32, double *f64) {
    kiln_ctx *c2 = kiln_ctx_new(NULL);
    int64_t n = 1000;
    kiln_array *a = kiln_array_new(c2, KILN_F32, 1, &n), *b = kiln_array_new(c2, KILN_F64, 1, &n);
    uint64_t seed = 9;
    fill_values(a->data, KILN_F32, n, &seed, false);
    fill_values(b->data, KILN_F64, n, &seed, false);
    kiln_expr *x = kiln_var(c2, a), *y = kiln_var(c2, b), *xx = kiln_mul(c2, x, x);
    kiln_expr *s[3] = {kiln_sum(c2, x, KILN_ALL_AXES, false), kiln_sum(c2, xx, KILN_ALL_AXES, false), kiln_sum(c2, y, KILN_ALL_AXES, false)};
    for (int k = 0; k < 3; k++) {
        kiln_array *r = kiln_eval(c2, s[k]);
        ck_assert_ptr_nonnull(r);
        if (k < 2) f32[k] = *(float *)kiln_array_data(r);
        else *f64 = *(double *)kiln_array_data(r);
        kiln_array_free(r);
        kiln_expr_free(s[k]);
    }
    kiln_expr *all[] = {xx, x, y};
    for (int k = 0; k < 3; k++) kiln_expr_free(all[k]);
    kiln_array_free(a);
    kiln_array_free(b);
    kiln_ctx_free(c2);
}

/* Machines without AVX-512 take the AVX2 and SSE paths: force them.  Their sums are the
 * widest vectors' bits (the same lanes: more accumulators). */
START_TEST(narrower_vector_isas) {
    const char *widths[] = {"32", "16"};
    float want32[2], got32[2];
    double want64, got64;
    three_sums(want32, &want64);
    for (int w = 0; w < 2; w++) {
        setenv("KILN_VECTOR_BYTES", widths[w], 1);
        three_sums(got32, &got64);
        ck_assert_msg(!memcmp(got32, want32, sizeof got32) && !memcmp(&got64, &want64, sizeof got64), "width %s: sums %.9g %.9g %.17g, widest %.9g %.9g %.17g",
                      widths[w], got32[0], got32[1], got64, want32[0], want32[1], want64);
        kiln_ctx *c2 = kiln_ctx_new(NULL);
        int64_t n = 1000;
        kiln_array *a = kiln_array_new(c2, KILN_F32, 1, &n), *b = kiln_array_new(c2, KILN_F64, 1, &n);
        uint64_t seed = 5;
        fill_values(a->data, KILN_F32, n, &seed, true);
        fill_values(b->data, KILN_F64, n, &seed, true);
        kiln_expr *x = kiln_var(c2, a), *y = kiln_var(c2, b);
        /* each in its own precision: an f32 error is huge in f64 ulps */
        kiln_expr *e = kiln_log(c2, kiln_abs(c2, y));
        char msg[256] = "";
        ck_assert_msg(jit_vs_ref(c2, e, MATH_ULP, msg, sizeof msg) == 0, "width %s: %s", widths[w], msg);
        kiln_expr *f = kiln_sin(c2, x);
        ck_assert_msg(jit_vs_ref(c2, f, MATH_ULP, msg, sizeof msg) == 0, "width %s: %s", widths[w], msg);
        kiln_expr_free(f);
        kiln_expr_free(e);
        kiln_expr_free(x);
        kiln_expr_free(y);
        kiln_array_free(a);
        kiln_array_free(b);
        kiln_ctx_free(c2);
    }
    unsetenv("KILN_VECTOR_BYTES");
}
END_TEST

Suite *suite_jit(void) {
    Suite *s = suite_create("jit");
    TCase *t = tcase_create("ops");
    tcase_set_timeout(t, 600);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, every_op_every_dtype);
    tcase_add_test(t, every_cast);
    tcase_add_test(t, numpy_semantics_spot_checks);
    tcase_add_test(t, sin_squared_accuracy);
    tcase_add_test(t, strided_reversed_broadcast_transposed);
    tcase_add_test(t, in_place_and_overlapping_outputs);
    tcase_add_test(t, threads_give_the_same_answer);
    tcase_add_test(t, narrower_vector_isas);
    tcase_add_test(t, streaming_stores_for_big_outputs);
    suite_add_tcase(s, t);
    return s;
}
