/*
 * test_reduce.c — reductions and matrix products: every reduction, axis, keepdims and dtype
 * against the reference; float sums within an error bound and, on 10^7 elements, at least as
 * accurate as pairwise summation; the same bits for 1, 2 and 4 threads; matrix products of odd
 * shapes, transposed and strided views and every dtype; fused epilogues; kiln_eval_many; and
 * the plan's structure (sum(a*b) is one kernel, W@X+b writes no temporary).
 */
#include "helpers.h"
#include "runtime/exec.h"

static kiln_ctx *ctx;
static void setup(void) { ctx = kiln_ctx_new(NULL); }
static void teardown(void) { kiln_ctx_free(ctx); }

static kiln_array *random_array(kiln_dtype dt, int nd, const int64_t *shape, uint64_t seed, bool specials) {
    kiln_array *a = kiln_array_new(ctx, dt, nd, shape);
    fill_values(kiln_array_data(a), dt, kiln_array_size(a), &seed, specials);
    return a;
}

/* Float sums and products are compared with an error bound (the reference sums in long double,
 * in C order; kiln in blocks and lanes): |got - want| <= tol * (sum of |terms|). */
static int64_t compare_sum(kiln_expr *e, kiln_expr *abs_terms, double tol, char *msg, size_t cap) {
    kiln_array *got = kiln_eval(ctx, e);
    kiln_array *want = kiln_array_new(ctx, kiln_expr_dtype(e), kiln_expr_ndim(e), kiln_expr_shape(e));
    kiln_array *scale = kiln_array_new(ctx, kiln_expr_dtype(abs_terms), kiln_expr_ndim(abs_terms), kiln_expr_shape(abs_terms));
    if (!got) {
        snprintf(msg, cap, "eval failed: %s", kiln_errmsg(ctx));
        return -1;
    }
    rt_ref_eval(ctx, e, want);
    rt_ref_eval(ctx, abs_terms, scale);
    kiln_dtype dt = kiln_expr_dtype(e);
    int64_t bad = 0;
    for (int64_t i = 0; i < kiln_array_size(want); i++) {
        double g = ref_cast(ref_load((char *)kiln_array_data(got) + i * kiln_dtype_size(dt), dt), dt, KILN_F64).f64;
        double w = ref_cast(ref_load((char *)kiln_array_data(want) + i * kiln_dtype_size(dt), dt), dt, KILN_F64).f64;
        double sc = ref_cast(ref_load((char *)kiln_array_data(scale) + i * kiln_dtype_size(dt), dt), dt, KILN_F64).f64;
        bool ok = (isnan(g) && isnan(w)) || g == w || (isfinite(w) && fabs(g - w) <= tol * (sc > 1e-300 ? sc : 1e-300));
        if (!ok && !bad++) snprintf(msg, cap, "element %lld: got %.17g, want %.17g (scale %.3g)", (long long)i, g, w, sc);
    }
    kiln_array_free(got);
    kiln_array_free(want);
    kiln_array_free(scale);
    return bad;
}

static const kiln_op reductions[] = {KILN_OP_SUM, KILN_OP_PROD, KILN_OP_MAX, KILN_OP_MIN,
                                     KILN_OP_ARGMAX, KILN_OP_ARGMIN, KILN_OP_ANY, KILN_OP_ALL};

START_TEST(every_reduction_axis_and_dtype) {
    int64_t shapes[3][3] = {{37, 0, 0}, {9, 53, 0}, {3, 5, 130}};
    int nds[3] = {1, 2, 3}, checked = 0;
    for (int s = 0; s < 3; s++)
        for (int dt = 0; dt < KILN_DTYPE_COUNT; dt++) {
            kiln_array *a = random_array((kiln_dtype)dt, nds[s], shapes[s], 100 + (uint64_t)(s * 7 + dt), dt != KILN_F32 && dt != KILN_F64);
            kiln_array *sp = random_array((kiln_dtype)dt, nds[s], shapes[s], 200 + (uint64_t)dt, true); /* with NaN, inf */
            for (int src = 0; src < 2; src++) {
                kiln_expr *x = kiln_var(ctx, src ? sp : a);
                for (size_t r = 0; r < sizeof reductions / sizeof *reductions; r++)
                    for (int axis = -1; axis < nds[s]; axis++)
                        for (int keep = 0; keep < 2; keep++) {
                            int ax = axis < 0 ? KILN_ALL_AXES : axis;
                            kiln_op op = reductions[r];
                            if (src && (op == KILN_OP_SUM || op == KILN_OP_PROD) && dtype_is_float((kiln_dtype)dt)) continue;
                            kiln_expr *e = kiln_reduce(ctx, op, x, ax, keep);
                            ck_assert_msg(e, "%s: %s", kiln_op_name(op), kiln_errmsg(ctx));
                            char msg[256] = "";
                            int64_t bad;
                            if (dtype_is_float((kiln_dtype)dt) && (op == KILN_OP_SUM || op == KILN_OP_PROD)) {
                                kiln_expr *ab = kiln_abs(ctx, x), *sc = kiln_reduce(ctx, op, ab, ax, keep);
                                double tol = dt == KILN_F32 ? 2e-6 : 4e-15;
                                bad = op == KILN_OP_PROD ? compare_sum(e, sc, 1e3 * tol, msg, sizeof msg) : compare_sum(e, sc, tol, msg, sizeof msg);
                                kiln_expr_free(sc);
                                kiln_expr_free(ab);
                            } else {
                                /* max/min: ±0 may come out either way; 1 ulp is that and nothing else */
                                bad = jit_vs_ref(ctx, e, op == KILN_OP_MAX || op == KILN_OP_MIN ? 1 : 0, msg, sizeof msg);
                            }
                            /* the JIT and the interpreter fold in the same lanes: the same bits */
                            if (bad == 0) bad = backends_agree(ctx, e, 0, msg, sizeof msg);
                            ck_assert_msg(bad == 0, "%s(%s%s, axis %d, keepdims %d): %s", kiln_op_name(op),
                                          kiln_dtype_name((kiln_dtype)dt), src ? " with specials" : "", axis, keep, msg);
                            checked++;
                            kiln_expr_free(e);
                        }
                kiln_expr_free(x);
            }
            kiln_array_free(a);
            kiln_array_free(sp);
        }
    ck_assert_int_gt(checked, 1000);
}
END_TEST

START_TEST(mean_and_fused_producers) {
    int64_t sh[2] = {40, 70};
    kiln_array *a = random_array(KILN_F64, 2, sh, 1, false), *b = random_array(KILN_I32, 2, sh, 2, false);
    kiln_expr *x = kiln_var(ctx, a), *y = kiln_var(ctx, b);
    kiln_expr *m0 = kiln_mean(ctx, y, 0, 0), *m1 = kiln_mean(ctx, kiln_mul(ctx, x, y), 1, 1);
    ck_assert_int_eq(kiln_expr_dtype(m0), KILN_F64); /* integer mean is float64 */
    char msg[256] = "";
    ck_assert_msg(jit_vs_ref(ctx, m0, 0, msg, sizeof msg) == 0, "%s", msg);
    kiln_expr *sc = kiln_mean(ctx, kiln_abs(ctx, kiln_mul(ctx, x, y)), 1, 1);
    ck_assert_msg(compare_sum(m1, sc, 4e-15, msg, sizeof msg) == 0, "%s", msg);
    /* softmax along rows: exp(x - max(x, 1, keepdims)) / sum(..., 1, keepdims) */
    kiln_expr *mx = kiln_max(ctx, x, 1, 1), *ex = kiln_exp(ctx, kiln_sub(ctx, x, mx));
    kiln_expr *sm = kiln_div(ctx, ex, kiln_sum(ctx, ex, 1, 1));
    ck_assert_msg(jit_vs_ref(ctx, sm, 8, msg, sizeof msg) == 0, "softmax: %s", msg);
    kiln_expr *all[] = {x, y, m0, m1, sc, mx, ex, sm};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) kiln_expr_free(all[i]);
    kiln_array_free(a);
    kiln_array_free(b);
}
END_TEST

/* Relative error of a 10^7-element sum of random data against a long double sum.  NumPy's
 * order (pairwise within blocks of 8192, the blocks' sums added one by one) reaches about 1e-16
 * (float64) and 1e-8 to 1e-6 (float32: 5e-7 and 9e-7 for two seeds of NumPy's random floats)
 * on such data; kiln sums in that order (sums_in_numpys_order) and prints what it got. */
START_TEST(big_sums_are_accurate) {
    int64_t n = 10000000;
    for (int dt = KILN_F32; dt <= KILN_F64; dt++) {
        kiln_array *a = kiln_array_new(ctx, (kiln_dtype)dt, 1, &n);
        uint64_t seed = 77;
        long double exact = 0;
        for (int64_t i = 0; i < n; i++) {
            double v = rng_unit(&seed);
            if (dt == KILN_F32) {
                ((float *)kiln_array_data(a))[i] = (float)v;
                exact += (float)v;
            } else {
                ((double *)kiln_array_data(a))[i] = v;
                exact += v;
            }
        }
        kiln_expr *x = kiln_var(ctx, a), *s = kiln_sum(ctx, x, KILN_ALL_AXES, 0);
        kiln_array *r = kiln_eval(ctx, s);
        double got = dt == KILN_F32 ? *(float *)kiln_array_data(r) : *(double *)kiln_array_data(r);
        double rel = fabs((double)((long double)got - exact) / (double)exact);
        fprintf(stderr, "sum of 10^7 uniform %s: relative error %.2e\n", kiln_dtype_name((kiln_dtype)dt), rel);
        ck_assert_msg(rel <= (dt == KILN_F32 ? 3e-6 : 1e-15), "%s: relative error %g", kiln_dtype_name((kiln_dtype)dt), rel);
        kiln_array_free(r);
        kiln_expr_free(s);
        kiln_expr_free(x);
        kiln_array_free(a);
    }
}
END_TEST

START_TEST(same_bits_for_any_thread_count) {
    int64_t sh[2] = {3, 1000003};
    kiln_array *a = random_array(KILN_F64, 2, sh, 5, false), *b = random_array(KILN_F32, 2, sh, 6, false);
    kiln_expr *x = kiln_var(ctx, a), *y = kiln_var(ctx, b);
    kiln_expr *es[] = {kiln_sum(ctx, kiln_mul(ctx, x, y), KILN_ALL_AXES, 0), kiln_sum(ctx, y, 1, 0),
                       kiln_mean(ctx, x, 0, 0), kiln_argmax(ctx, kiln_sin(ctx, x), KILN_ALL_AXES, 0),
                       kiln_prod(ctx, kiln_add(ctx, kiln_mul(ctx, y, kiln_scalar(ctx, 1e-6)), kiln_scalar(ctx, 1.0)), 1, 0)};
    for (size_t k = 0; k < sizeof es / sizeof *es; k++) {
        kiln_array *first = NULL;
        for (int t = 1; t <= 4; t *= 2) {
            kiln_set_num_threads(ctx, t);
            kiln_array *r = kiln_eval(ctx, es[k]);
            ck_assert_ptr_nonnull(r);
            if (!first) first = r;
            else {
                size_t bytes = (size_t)kiln_array_size(r) * kiln_dtype_size(kiln_array_dtype(r));
                ck_assert_msg(memcmp(kiln_array_data(first), kiln_array_data(r), bytes) == 0, "expression %zu differs with %d threads", k, t);
                kiln_array_free(r);
            }
        }
        kiln_array_free(first);
        char msg[256] = "";
        if (k != 3) /* argmax(sin(x)): libmvec's sine and libm's may differ in the last bit */
            ck_assert_msg(backends_agree(ctx, es[k], 0, msg, sizeof msg) == 0, "expression %zu: %s", k, msg);
        kiln_expr_free(es[k]);
    }
    kiln_expr_free(x);
    kiln_expr_free(y);
    kiln_array_free(a);
    kiln_array_free(b);
}
END_TEST

/* Reductions with no outputs (a kept dim of 0) or with empty ranges (a reduced dim of 0: the
 * identity), max, min, argmax and argmin only where they have a range to look in (else NumPy's
 * error). */
START_TEST(empty_outputs_and_ranges) {
    int64_t shapes[4][3] = {{0, 7, 0}, {7, 0, 0}, {2, 0, 3}, {300, 0, 0}};
    int nds[4] = {2, 2, 3, 2};
    kiln_dtype dts[3] = {KILN_F64, KILN_I32, KILN_U8};
    for (int s = 0; s < 4; s++)
        for (int d = 0; d < 3; d++) {
            kiln_array *a = random_array(dts[d], nds[s], shapes[s], 7, false);
            kiln_expr *x = kiln_var(ctx, a);
            for (size_t r = 0; r < sizeof reductions / sizeof *reductions; r++)
                for (int axis = 0; axis < nds[s]; axis++) {
                    kiln_op op = reductions[r];
                    int64_t left = 1; /* (the outputs' count: max, min, argmax, argmin need each range non-empty) */
                    for (int k = 0; k < nds[s]; k++) left *= k == axis ? 1 : shapes[s][k];
                    bool ident = op == KILN_OP_SUM || op == KILN_OP_PROD || op == KILN_OP_ANY || op == KILN_OP_ALL;
                    if (!ident && shapes[s][axis] == 0 && left > 0) continue;
                    kiln_expr *e = kiln_reduce(ctx, op, x, axis, 0);
                    ck_assert_msg(e, "%s: %s", kiln_op_name(op), kiln_errmsg(ctx));
                    char msg[256] = "";
                    int64_t bad = jit_vs_ref(ctx, e, 0, msg, sizeof msg);
                    if (bad == 0) bad = backends_agree(ctx, e, 0, msg, sizeof msg);
                    ck_assert_msg(bad == 0, "%s(%s, axis %d) of a %dd array with an empty dim: %s", kiln_op_name(op), kiln_dtype_name(dts[d]), axis,
                                  nds[s], msg);
                    kiln_expr_free(e);
                }
            kiln_expr_free(x);
            kiln_array_free(a);
        }
}
END_TEST

/* Reductions over the middle axis of 3-D arrays: two kept dims that do not merge, so that the
 * outputs' rows are stepped through both (fold_rows), in the array, in a transposed view and in
 * one walked backwards along its first axis, on 1, 2 and 3 threads (3: a thread's outputs start
 * partway through the last kept dim). */
START_TEST(middle_axis_reductions_step_their_outputs) {
    int64_t sh[3] = {64, 300, 9}, tsh[3] = {9, 300, 64};
    kiln_dtype dts[2] = {KILN_F64, KILN_I32};
    int was = kiln_num_threads(ctx);
    for (int d = 0; d < 2; d++) {
        int64_t es = (int64_t)kiln_dtype_size(dts[d]), st[3] = {-300 * 9 * es, 9 * es, es};
        kiln_array *a = random_array(dts[d], 3, sh, 31, false), *t = random_array(dts[d], 3, tsh, 32, false);
        kiln_array *back = kiln_array_view(ctx, a, 3, sh, st, 63 * 300 * 9 * es);
        kiln_expr *tv = kiln_var(ctx, t), *views[3] = {kiln_var(ctx, a), kiln_transpose(ctx, tv), kiln_var(ctx, back)};
        kiln_op ops[5] = {KILN_OP_MAX, KILN_OP_ARGMAX, KILN_OP_ARGMIN, KILN_OP_SUM, KILN_OP_PROD};
        for (int v = 0; v < 3; v++)
            for (int k = 0; k < (dts[d] == KILN_F64 ? 3 : 5); k++) { /* (float sums and products: other tests, with a bound) */
                kiln_expr *e = kiln_reduce(ctx, ops[k], views[v], 1, 0);
                for (int nt = 1; nt <= 3; nt++) {
                    kiln_set_num_threads(ctx, nt);
                    char msg[256] = "";
                    int64_t bad = jit_vs_ref(ctx, e, 0, msg, sizeof msg);
                    if (bad == 0) bad = backends_agree(ctx, e, 0, msg, sizeof msg);
                    ck_assert_msg(bad == 0, "%s(%s, axis 1) of view %d on %d threads: %s", kiln_op_name(ops[k]), kiln_dtype_name(dts[d]), v, nt, msg);
                }
                kiln_expr_free(e);
            }
        for (int v = 0; v < 3; v++) kiln_expr_free(views[v]);
        kiln_expr_free(tv);
        kiln_array_free(back);
        kiln_array_free(t);
        kiln_array_free(a);
    }
    kiln_set_num_threads(ctx, was);
}
END_TEST

/* One value of dtype dt at p: from a double (a float's NaN, an integer's bounds included). */
static void put_value(char *p, kiln_dtype dt, double v) {
    kscalar k = {.f64 = v};
    ref_store(p, dt, ref_cast(k, KILN_F64, dt));
}

/* Rows of length L for argmax (mx) or argmin in dtype dt, into a (R × L, R rows made): a few
 * background values repeated (ties everywhere), then the best planted once, twice (the first
 * wins), as NaN once or twice after a planted best (the first NaN wins), or the identity alone
 * (-inf, the integer's bound, false: index 0).  want[r]: the answer, or -1 where only the
 * reference knows it (the background rows). */
static int64_t planted_rows(kiln_dtype dt, bool mx, int64_t L, char *a, int64_t *want, uint64_t *seed) {
    size_t es = kiln_dtype_size(dt);
    bool fl = dtype_is_float(dt), un = dt == KILN_BOOL || dt == KILN_U8 || dt == KILN_U16 || dt == KILN_U32;
    int64_t lo, hi;
    if (!fl) dtype_int_bounds(dt, &lo, &hi);
    double best = dt == KILN_BOOL ? !!mx : mx ? 100 : un ? 0 : -100;
    kscalar ident = {.f64 = mx ? -INFINITY : INFINITY}; /* (the integers' bounds as int64: 2^63 - 1 is no double) */
    if (!fl) ident = ref_cast((kscalar){.i64 = dt == KILN_BOOL ? !mx : mx ? lo : hi}, KILN_I64, dt);
    else ident = ref_cast(ident, KILN_F64, dt);
    int64_t at[64][2], n = 0, tail = L - L % 32;
    for (int k = 0; k < 3; k++) at[n][0] = -1, at[n++][1] = 0; /* background alone */
    int64_t fixed[] = {0, 1, L - 1, L - 2, L / 2, tail, tail - 1};
    for (size_t k = 0; k < sizeof fixed / sizeof *fixed; k++)
        if (fixed[k] >= 0 && fixed[k] < L) at[n][0] = fixed[k], at[n++][1] = -1;
    for (int k = 0; k < 8; k++) at[n][0] = (int64_t)(rng_next(seed) % (uint64_t)L), at[n++][1] = -1;
    for (int64_t d = 1; d <= 256; d *= 2) /* twice: the second d later (a lane, a register, an iteration apart) */
        if (d < L) {
            at[n][0] = (int64_t)(rng_next(seed) % (uint64_t)(L - d));
            at[n][1] = at[n][0] + d, n++;
        }
    if (L > 200) at[n][0] = L / 8, at[n][1] = L - L / 64, n++; /* (an index that wrapped would put the second first) */
    at[n][0] = -2, at[n++][1] = 0; /* the identity alone */
    int nan_from = (int)n;
    for (int k = 0; fl && k < 6; k++) { /* NaN once (k even) or twice */
        at[n][0] = (int64_t)(rng_next(seed) % (uint64_t)L);
        at[n][1] = k % 2 && at[n][0] + 1 + k < L ? at[n][0] + 1 + k : -1, n++;
    }
    for (int64_t r = 0; r < n; r++) {
        char *row = a + (size_t)(r * L) * es;
        for (int64_t i = 0; i < L; i++) {
            double v = dt == KILN_BOOL ? !mx : fl ? (double)(rng_next(seed) % 5) - 2 : (double)(rng_next(seed) % 5) + (un ? 10 : -2);
            if (at[r][0] == -2) ref_store(row + (size_t)i * es, dt, ident);
            else put_value(row + (size_t)i * es, dt, v);
        }
        want[r] = at[r][0] == -2 ? 0 : at[r][0];
        if (at[r][0] < 0) continue;
        if (r >= nan_from) { /* a best first, then the NaNs */
            if (at[r][0] > 0) put_value(row, dt, best);
            put_value(row + (size_t)at[r][0] * es, dt, NAN);
            if (at[r][1] >= 0) put_value(row + (size_t)at[r][1] * es, dt, NAN);
            continue;
        }
        put_value(row + (size_t)at[r][0] * es, dt, best);
        if (at[r][1] >= 0) put_value(row + (size_t)at[r][1] * es, dt, best);
    }
    return n;
}

/* argmax and argmin along rows and over all, at the lengths around the vector loop's edges, every
 * dtype, every vector width: the planted answers, the reference's, the interpreter's; and rows of
 * bytes past the blocks of their 8-bit iteration counts (int16's are the same code, with blocks
 * of 2^15 - 1 iterations: rows of 4 million, which 256 of would take 2 GB). */
START_TEST(arg_reductions_keep_the_first_best) {
    const char *widths[] = {NULL, "32", "16"};
    int64_t lens[] = {1, 3, 8, 15, 17, 31, 33, 64, 100, 129, 257, 1000, 1031, 20000};
    char msg[256] = "";
    for (int w = 0; w < 3; w++) {
        if (widths[w]) setenv("KILN_VECTOR_BYTES", widths[w], 1);
        kiln_ctx *c = kiln_ctx_new(NULL);
        for (int dt = 0; dt < KILN_DTYPE_COUNT; dt++)
            for (size_t li = 0; li < sizeof lens / sizeof *lens; li++)
                for (int mx = 0; mx < 2; mx++) {
                    int64_t L = lens[li], want[64], sh[2] = {64, L};
                    uint64_t seed = 11 + (uint64_t)(dt * 100 + (int)li * 2 + mx);
                    kiln_array *a = kiln_array_new(c, (kiln_dtype)dt, 2, sh);
                    sh[0] = planted_rows((kiln_dtype)dt, mx, L, kiln_array_data(a), want, &seed);
                    int64_t st[2] = {L * (int64_t)kiln_dtype_size((kiln_dtype)dt), (int64_t)kiln_dtype_size((kiln_dtype)dt)};
                    kiln_array *v = kiln_array_view(c, a, 2, sh, st, 0); /* (the rows made) */
                    kiln_expr *x = kiln_var(c, v);
                    for (int all = 0; all < 2; all++) {
                        kiln_expr *e = kiln_reduce(c, mx ? KILN_OP_ARGMAX : KILN_OP_ARGMIN, x, all ? KILN_ALL_AXES : 1, 0);
                        kiln_array *r = kiln_eval(c, e);
                        ck_assert_msg(r, "%s", kiln_errmsg(c));
                        for (int64_t i = 0; !all && i < sh[0]; i++)
                            ck_assert_msg(want[i] < 0 || ((int64_t *)kiln_array_data(r))[i] == want[i], "%s of %s rows of %lld (width %s): row %lld at %lld, want %lld",
                                          mx ? "argmax" : "argmin", kiln_dtype_name((kiln_dtype)dt), (long long)L, widths[w] ? widths[w] : "widest",
                                          (long long)i, (long long)((int64_t *)kiln_array_data(r))[i], (long long)want[i]);
                        int64_t bad = jit_vs_ref(c, e, 0, msg, sizeof msg);
                        if (bad == 0) bad = backends_agree(c, e, 0, msg, sizeof msg);
                        ck_assert_msg(bad == 0, "%s of %s rows of %lld (width %s, %s): %s", mx ? "argmax" : "argmin", kiln_dtype_name((kiln_dtype)dt),
                                      (long long)L, widths[w] ? widths[w] : "widest", all ? "all axes" : "rows", msg);
                        kiln_array_free(r);
                        kiln_expr_free(e);
                    }
                    kiln_expr_free(x);
                    kiln_array_free(v);
                    kiln_array_free(a);
                }
        kiln_ctx_free(c);
    }
    unsetenv("KILN_VECTOR_BYTES");
    /* 256 rows or more each go to the kernel whole (fewer are cut into blocks): rows of bytes
     * past their blocks of 127 iterations (of four registers of 64 lanes: 32512 elements), and
     * past 256 iterations, where an 8-bit iteration count would have wrapped; the best planted
     * on a background of 0 (argmax) or 1 (argmin) */
    int64_t L = 70000, sh[2] = {256, L}, at[4][2] = {{L / 8, L - L / 64}, {32517, -1}, {40000, 40001}, {-1, -1}};
    for (int w = 0; w < 3; w++) {
        if (widths[w]) setenv("KILN_VECTOR_BYTES", widths[w], 1);
        kiln_ctx *c = kiln_ctx_new(NULL);
        for (int dt = 0; dt < KILN_DTYPE_COUNT; dt++)
            for (int mx = 0; mx < 2 && kiln_dtype_size((kiln_dtype)dt) == 1; mx++) {
                kiln_array *a = kiln_array_new(c, (kiln_dtype)dt, 2, sh);
                char *p = kiln_array_data(a);
                memset(p, !mx, (size_t)(sh[0] * L));
                for (int r = 0; r < 4; r++)
                    for (int k = 0; k < 2; k++)
                        if (at[r][k] >= 0) put_value(p + r * L + at[r][k], (kiln_dtype)dt, mx);
                kiln_expr *x = kiln_var(c, a), *e = kiln_reduce(c, mx ? KILN_OP_ARGMAX : KILN_OP_ARGMIN, x, 1, 0);
                kiln_array *r = kiln_eval(c, e);
                ck_assert_ptr_nonnull(r);
                int64_t *got = kiln_array_data(r);
                for (int i = 0; i < sh[0]; i++) {
                    int64_t want = i < 4 && at[i][0] >= 0 ? at[i][0] : 0;
                    ck_assert_msg(got[i] == want, "%s of %s rows of %lld (width %s): row %d at %lld, want %lld", mx ? "argmax" : "argmin",
                                  kiln_dtype_name((kiln_dtype)dt), (long long)L, widths[w] ? widths[w] : "widest", i, (long long)got[i], (long long)want);
                }
                kiln_array_free(r);
                kiln_expr_free(e);
                kiln_expr_free(x);
                kiln_array_free(a);
            }
        kiln_ctx_free(c);
    }
    unsetenv("KILN_VECTOR_BYTES");
}
END_TEST

/* e against the reference elementwise within tol relative to |want| or floor, the larger (NaN
 * matching NaN, infinities equal): logs near 0 come from log(1 + tiny), relative to 1. */
static int64_t compare_rel(kiln_expr *e, double tol, double floor, char *msg, size_t cap) {
    kiln_array *got = kiln_eval(ctx, e);
    if (!got) {
        snprintf(msg, cap, "eval failed: %s", kiln_errmsg(ctx));
        return -1;
    }
    kiln_array *want = kiln_array_new(ctx, kiln_expr_dtype(e), kiln_expr_ndim(e), kiln_expr_shape(e));
    rt_ref_eval(ctx, e, want);
    kiln_dtype dt = kiln_expr_dtype(e);
    int64_t bad = 0;
    for (int64_t i = 0; i < kiln_array_size(want); i++) {
        double g = ref_cast(ref_load((char *)kiln_array_data(got) + i * kiln_dtype_size(dt), dt), dt, KILN_F64).f64;
        double w = ref_cast(ref_load((char *)kiln_array_data(want) + i * kiln_dtype_size(dt), dt), dt, KILN_F64).f64;
        bool ok = (isnan(g) && isnan(w)) || g == w || (isfinite(w) && fabs(g - w) <= tol * fmax(fabs(w), floor));
        if (!ok && !bad++) snprintf(msg, cap, "element %lld: got %.17g, want %.17g", (long long)i, g, w);
    }
    kiln_array_free(got);
    kiln_array_free(want);
    return bad;
}

/* Short rows (softmax's batch x classes): softmax, log_softmax and logsumexp as one pass per row,
 * reductions along short rows (the column form, lanes over rows, a row-contiguous operand
 * gathered), maps that broadcast a row's value along it (packed into blocks): against the
 * reference, the same bits on every backend and for 1 and 2 threads. */
START_TEST(short_rows_and_softmax) {
    int64_t Rs[] = {1, 2, 3, 7, 10, 31, 32, 33, 100, 600}, Ns[] = {1, 5, 300, 2003};
    int checked = 0;
    for (size_t ri = 0; ri < sizeof Rs / sizeof *Rs; ri++)
        for (size_t ni = 0; ni < sizeof Ns / sizeof *Ns; ni++)
            for (int f32 = 0; f32 < 2; f32++) {
                int64_t R = Rs[ri], N = Ns[ni], sh[2] = {N, R};
                if (N * R > 300000 || (R > 33 && N > 5) || (R > 100 && N > 1)) continue; /* the reference is O(R^2) a row */
                kiln_dtype dt = f32 ? KILN_F32 : KILN_F64;
                double tol = f32 ? 1e-5 : 1e-13 * (R > 100 ? 10 : 1); /* float32: x - max rounds to 2^-24 of |x| */
                kiln_array *a = random_array(dt, 2, sh, 300 + ri * 10 + ni, (ri + ni) % 3 == 0); /* some with NaN, inf */
                kiln_array *row = random_array(dt, 1, &R, 400 + ri, false);
                kiln_expr *x = kiln_var(ctx, a), *b = kiln_var(ctx, row), *xt = kiln_transpose(ctx, kiln_transpose(ctx, x));
                kiln_expr *big = kiln_mul(ctx, x, kiln_scalar(ctx, 30.0)); /* exp's range: large and tiny results */
                kiln_expr *es[] = {kiln_softmax(ctx, x, -1), kiln_log_softmax(ctx, big, 1), kiln_logsumexp(ctx, x, 2, 0),
                                   kiln_logsumexp(ctx, big, 2, 1), kiln_sum(ctx, kiln_exp(ctx, x), 1, 1),
                                   kiln_sub(ctx, x, kiln_max(ctx, x, 1, 1)), kiln_add(ctx, x, b),
                                   kiln_sub(ctx, x, kiln_mean(ctx, xt, 1, 1)), kiln_min(ctx, kiln_mul(ctx, x, b), 1, 0),
                                   kiln_softmax(ctx, kiln_add(ctx, x, b), 1)};
                for (size_t k = 0; k < sizeof es / sizeof *es; k++) {
                    char msg[256] = "";
                    ck_assert_msg(es[k] != NULL, "%s", kiln_errmsg(ctx));
                    bool sums = k == 4 || k == 7, logs = (k >= 1 && k <= 3) || k == 7; /* sums: the reference's long double order; logs and x - mean(x) cancel, relative to 1 */
                    ck_assert_msg(compare_rel(es[k], sums ? tol * 8 : tol, logs ? 1 : 1e-300, msg, sizeof msg) == 0, "%s rows of %lld, expression %zu: %s",
                                  f32 ? "float32" : "float64", (long long)R, k, msg);
                    ck_assert_msg(backends_agree(ctx, es[k], 0, msg, sizeof msg) == 0, "rows of %lld, expression %zu: %s", (long long)R, k,
                                  msg);
                    kiln_set_num_threads(ctx, 1);
                    kiln_array *one = kiln_eval(ctx, es[k]);
                    kiln_set_num_threads(ctx, 2);
                    kiln_array *two = kiln_eval(ctx, es[k]);
                    /* the same bits, but for a NaN's sign: in tiered mode one may come from the interpreter
                     * and the other from the JIT, and LLVM's floating-point ops promise no NaN's sign or payload */
                    ck_assert_msg(one && two && compare_arrays(two, one, 0, msg, sizeof msg) == 0,
                                  "rows of %lld, expression %zu: 1 and 2 threads differ: %s", (long long)R, k, msg);
                    kiln_array_free(one);
                    kiln_array_free(two);
                    kiln_expr_free(es[k]);
                    checked++;
                }
                kiln_expr_free(big);
                kiln_expr_free(xt);
                kiln_expr_free(b);
                kiln_expr_free(x);
                kiln_array_free(row);
                kiln_array_free(a);
            }
    ck_assert_int_gt(checked, 500);
    /* rows longer than a block (4096 elements) go in pieces: against the compositions of ops */
    int64_t sh[2] = {3, 9001};
    kiln_array *a = random_array(KILN_F64, 2, sh, 77, false);
    kiln_expr *x = kiln_var(ctx, a), *x30 = kiln_mul(ctx, x, kiln_scalar(ctx, 30.0));
    kiln_expr *m = kiln_max(ctx, x30, 1, 1), *d = kiln_sub(ctx, x30, m), *e = kiln_exp(ctx, d), *s = kiln_sum(ctx, e, 1, 1);
    kiln_expr *pairs[3][2] = {{kiln_softmax(ctx, x30, 1), kiln_div(ctx, e, s)},
                              {kiln_log_softmax(ctx, x30, 1), kiln_sub(ctx, d, kiln_log(ctx, s))},
                              {kiln_logsumexp(ctx, x30, 2, 1), kiln_add(ctx, kiln_log(ctx, s), m)}};
    for (int k = 0; k < 3; k++) {
        kiln_array *got = kiln_eval(ctx, pairs[k][0]), *want = kiln_eval(ctx, pairs[k][1]);
        ck_assert_ptr_nonnull(got);
        ck_assert_ptr_nonnull(want);
        const double *g = kiln_array_data(got), *w = kiln_array_data(want);
        for (int64_t i = 0; i < kiln_array_size(want); i++)
            ck_assert_msg(fabs(g[i] - w[i]) <= 1e-12 * fmax(fabs(w[i]), k ? 1 : 1e-300), "long rows, mode %d, element %lld: %.17g against %.17g", k,
                          (long long)i, g[i], w[i]);
        kiln_array_free(got);
        kiln_array_free(want);
        kiln_expr_free(pairs[k][0]);
        kiln_expr_free(pairs[k][1]);
    }
    kiln_expr_free(s);
    kiln_expr_free(e);
    kiln_expr_free(d);
    kiln_expr_free(m);
    kiln_expr_free(x30);
    kiln_expr_free(x);
    kiln_array_free(a);
}
END_TEST

/* NumPy 2's float sum, plainly: pairwise_sum (numpy/_core/src/umath/loops_utils.h.src) of each
 * buffer of 8192 elements, the buffers' sums added in order from 0; n values stride st elements
 * apart, in float32 (f32: every sum rounded to float, which double's exact sum of two floats
 * then rounded is) or float64. */
static double np_add(double a, double b, bool f32) { return f32 ? (double)(float)(a + b) : a + b; }
static double np_at(const char *p, int64_t i, int64_t st, bool f32) {
    return f32 ? ((const float *)(const void *)p)[i * st] : ((const double *)(const void *)p)[i * st];
}
static double np_pairwise(const char *p, int64_t n, int64_t st, bool f32) {
    if (n < 8) {
        double r = -0.0;
        for (int64_t i = 0; i < n; i++) r = np_add(r, np_at(p, i, st, f32), f32);
        return r;
    }
    if (n <= 128) {
        double r[8], s;
        int64_t i;
        for (int j = 0; j < 8; j++) r[j] = np_at(p, j, st, f32);
        for (i = 8; i < n - n % 8; i += 8)
            for (int j = 0; j < 8; j++) r[j] = np_add(r[j], np_at(p, i + j, st, f32), f32);
        s = np_add(np_add(np_add(r[0], r[1], f32), np_add(r[2], r[3], f32), f32), np_add(np_add(r[4], r[5], f32), np_add(r[6], r[7], f32), f32), f32);
        for (; i < n; i++) s = np_add(s, np_at(p, i, st, f32), f32);
        return s;
    }
    int64_t n2 = n / 2 - (n / 2) % 8;
    return np_add(np_pairwise(p, n2, st, f32), np_pairwise(p + n2 * st * (f32 ? 4 : 8), n - n2, st, f32), f32);
}
/* s, then the chunks' sums added in order (a reduction's running value, from 0: np_sum). */
static double np_sum_after(double s, const char *p, int64_t n, int64_t st, bool f32) {
    for (int64_t b = 0; b < n; b += 8192) s = np_add(s, np_pairwise(p + b * st * (f32 ? 4 : 8), n - b < 8192 ? n - b : 8192, st, f32), f32);
    return s;
}
static double np_sum(const char *p, int64_t n, int64_t st, bool f32) { return np_sum_after(0, p, n, st, f32); }

/* Float sums give NumPy's bits: along the innermost dim NumPy's pairwise order (1-D, strided,
 * rows long and short, a fused product), along an outer dim rows added one after another. */
START_TEST(sums_in_numpys_order) {
    int64_t ns[] = {1, 7, 8, 9, 100, 128, 129, 1000, 4096, 8192, 8193, 30011, 100000};
    int64_t Rs[] = {5, 8, 10, 20, 33, 129, 9000};
    int checked = 0;
    for (int f32 = 0; f32 < 2; f32++) {
        kiln_dtype dt = f32 ? KILN_F32 : KILN_F64;
        int64_t es = f32 ? 4 : 8;
        for (size_t i = 0; i < sizeof ns / sizeof *ns; i++) {
            int64_t n = ns[i], n3 = 3 * n;
            kiln_array *a = random_array(dt, 1, &n3, 40 + i, false), *b = random_array(dt, 1, &n, 60 + i, false);
            kiln_array *views[2] = {kiln_wrap(ctx, dt, 1, &n, NULL, kiln_array_data(a)), kiln_wrap(ctx, dt, 1, &n, (int64_t[]){3 * es}, kiln_array_data(a))};
            char *prod = malloc((size_t)(n * es)); /* a*b, rounded to dt */
            for (int64_t j = 0; j < n; j++) {
                double x = np_at(kiln_array_data(a), j, 1, f32) * np_at(kiln_array_data(b), j, 1, f32);
                if (f32) ((float *)(void *)prod)[j] = (float)x;
                else ((double *)(void *)prod)[j] = x;
            }
            for (int v = 0; v < 3; v++) {
                kiln_expr *x = kiln_var(ctx, views[v == 2 ? 0 : v]), *y = v == 2 ? kiln_var(ctx, b) : NULL;
                kiln_expr *s = kiln_sum(ctx, v == 2 ? kiln_mul(ctx, x, y) : x, KILN_ALL_AXES, 0);
                kiln_array *r = kiln_eval(ctx, s);
                ck_assert_msg(r != NULL, "%s", kiln_errmsg(ctx));
                double got = np_at(kiln_array_data(r), 0, 1, f32);
                double want = v == 2 ? np_sum(prod, n, 1, f32) : np_sum(kiln_array_data(a), n, v == 1 ? 3 : 1, f32);
                ck_assert_msg(got == want, "%s sum of %lld (%s): %.17g, NumPy's %.17g", f32 ? "float32" : "float64", (long long)n,
                              v == 0 ? "contiguous" : v == 1 ? "stride 3" : "a*b", got, want);
                kiln_array_free(r);
                kiln_expr_free(s);
                kiln_expr_free(x);
                if (y) kiln_expr_free(y);
                checked++;
            }
            free(prod);
            kiln_array_free(views[0]);
            kiln_array_free(views[1]);
            kiln_array_free(a);
            kiln_array_free(b);
        }
        for (size_t i = 0; i < sizeof Rs / sizeof *Rs; i++) {
            int64_t R = Rs[i], N = R > 1000 ? 3 : R == 33 ? 1031 : 100, sh[2] = {N, R}; /* (1031 rows: series of 256 and a rest) */
            kiln_array *a = random_array(dt, 2, sh, 80 + i, false);
            const char *p = kiln_array_data(a);
            kiln_expr *x = kiln_var(ctx, a);
            for (int axis = 1; axis >= 0; axis--) { /* rows: pairwise; columns: in order */
                kiln_expr *s = kiln_sum(ctx, x, axis, 0);
                kiln_array *r = kiln_eval(ctx, s);
                ck_assert_msg(r != NULL, "%s", kiln_errmsg(ctx));
                for (int64_t o = 0; o < (axis ? N : R); o++) {
                    double want = 0;
                    if (axis) want = np_sum(p + o * R * es, R, 1, f32);
                    else
                        for (int64_t k = 0; k < N; k++) want = np_add(want, np_at(p, k * R + o, 1, f32), f32);
                    double got = np_at(kiln_array_data(r), o, 1, f32);
                    ck_assert_msg(got == want, "%s sum over axis %d of %lldx%lld, output %lld: %.17g, NumPy's %.17g", f32 ? "float32" : "float64",
                                  axis, (long long)N, (long long)R, (long long)o, got, want);
                }
                kiln_array_free(r);
                kiln_expr_free(s);
                checked++;
            }
            /* rows times a value of their own (a broadcast operand, one per row of four side
             * by side and the same for a row's leaves): x * c[:, None] summed along the rows */
            kiln_array *c = random_array(dt, 2, (int64_t[]){N, 1}, 90 + i, false);
            kiln_expr *cv = kiln_var(ctx, c), *s = kiln_sum(ctx, kiln_mul(ctx, x, cv), 1, 0);
            kiln_array *r = kiln_eval(ctx, s);
            ck_assert_msg(r != NULL, "%s", kiln_errmsg(ctx));
            char *row = malloc((size_t)(R * es));
            for (int64_t o = 0; o < N; o++) {
                for (int64_t k = 0; k < R; k++) {
                    double v = np_at(p, o * R + k, 1, f32) * np_at(kiln_array_data(c), o, 1, f32);
                    if (f32) ((float *)(void *)row)[k] = (float)v;
                    else ((double *)(void *)row)[k] = v;
                }
                double want = np_sum(row, R, 1, f32), got = np_at(kiln_array_data(r), o, 1, f32);
                ck_assert_msg(got == want, "%s sum of %lldx%lld times a column, output %lld: %.17g, NumPy's %.17g", f32 ? "float32" : "float64",
                              (long long)N, (long long)R, (long long)o, got, want);
            }
            free(row);
            kiln_array_free(r);
            kiln_expr_free(s);
            kiln_expr_free(cv);
            kiln_array_free(c);
            checked++;
            kiln_expr_free(x);
            kiln_array_free(a);
        }
    }
    ck_assert_int_eq(checked, 2 * (13 * 3 + 7 * 3));
}
END_TEST

/* Sums over several dims in NumPy's order: a run of the innermost reduced dim at a time (its
 * chunks pairwise), in C order of the others, added in order (batch norm's mean over N, H, W);
 * a broadcast column times a matrix summed over rows, rows added in order. */
START_TEST(multi_axis_sums_in_numpys_order) {
    int64_t shapes[][4] = {{4, 3, 50, 1}, {4, 3, 10000, 1}, {5, 3, 7, 7}, {9, 3, 7, 7}, {64, 8, 14, 14}, {3, 2, 1, 9000}};
    for (int f32 = 0; f32 < 2; f32++) {
        kiln_dtype dt = f32 ? KILN_F32 : KILN_F64;
        int64_t es = f32 ? 4 : 8;
        for (size_t si = 0; si < sizeof shapes / sizeof *shapes; si++) {
            int64_t *sh = shapes[si], C = sh[1], run = sh[2] * sh[3]; /* kept: dim 1; reduced: 0, 2, 3 */
            kiln_array *a = random_array(dt, 4, sh, 300 + si, false);
            kiln_expr *x = kiln_var(ctx, a), *s = kiln_reduce_axes(ctx, KILN_OP_SUM, x, 1u | 4u | 8u, 0);
            kiln_array *r = kiln_eval(ctx, s);
            ck_assert_msg(r != NULL, "%s", kiln_errmsg(ctx));
            for (int64_t c = 0; c < C; c++) {
                double want = 0;
                for (int64_t n = 0; n < sh[0]; n++) want = np_sum_after(want, (const char *)kiln_array_data(a) + (n * C + c) * run * es, run, 1, f32);
                double got = np_at(kiln_array_data(r), c, 1, f32);
                ck_assert_msg(got == want, "%s sum over (0, 2, 3) of %lldx%lldx%lldx%lld, channel %lld: %.17g, NumPy's %.17g", f32 ? "float32" : "float64",
                              (long long)sh[0], (long long)sh[1], (long long)sh[2], (long long)sh[3], (long long)c, got, want);
            }
            kiln_array_free(r);
            kiln_expr_free(s);
            kiln_expr_free(x);
            kiln_array_free(a);
        }
        /* transposed operands: NumPy walks the reduced dims in memory order (its iterator's),
         * so x.T.sum() is x.sum(), pairwise in chunks over the memory; and a permuted
         * (P, Q, S) array summed over P and Q adds its rows in memory order */
        int64_t tsh[2] = {120, 300}, psh[3] = {6, 5, 400};
        kiln_array *ta = random_array(dt, 2, tsh, 9, false), *pa = random_array(dt, 3, psh, 10, false);
        kiln_expr *te = kiln_var(ctx, ta), *tt = kiln_transpose(ctx, te), *ts = kiln_sum(ctx, tt, KILN_ALL_AXES, 0);
        kiln_expr *pe = kiln_var(ctx, pa), *pp = kiln_permute(ctx, pe, (int[]){1, 2, 0}), *ps = kiln_reduce_axes(ctx, KILN_OP_SUM, pp, 1u | 4u, 0);
        kiln_array *tr = kiln_eval(ctx, ts), *pr = kiln_eval(ctx, ps);
        ck_assert_msg(tr && pr, "%s", kiln_errmsg(ctx));
        double twant = np_sum(kiln_array_data(ta), tsh[0] * tsh[1], 1, f32);
        ck_assert_msg(np_at(kiln_array_data(tr), 0, 1, f32) == twant, "%s x.T.sum(): %.17g, NumPy's %.17g", f32 ? "float32" : "float64",
                      np_at(kiln_array_data(tr), 0, 1, f32), twant);
        for (int64_t k = 0; k < psh[2]; k++) {
            double want = 0;
            for (int64_t i = 0; i < psh[0] * psh[1]; i++) want = np_add(want, np_at(kiln_array_data(pa), i * psh[2] + k, 1, f32), f32);
            ck_assert_msg(np_at(kiln_array_data(pr), k, 1, f32) == want, "%s sum over (0, 2) of x.transpose(1, 2, 0), output %lld: %.17g, NumPy's %.17g",
                          f32 ? "float32" : "float64", (long long)k, np_at(kiln_array_data(pr), k, 1, f32), want);
        }
        kiln_array_free(tr), kiln_array_free(pr);
        kiln_expr_free(ts), kiln_expr_free(tt), kiln_expr_free(te), kiln_expr_free(ps), kiln_expr_free(pp), kiln_expr_free(pe);
        kiln_array_free(ta), kiln_array_free(pa);
        /* sum(w * X, 0): w of shape (R, 1) walks only the rows; X's columns decide */
        int64_t R = 300, K = 100, wsh[2] = {R, 1}, xsh[2] = {R, K};
        kiln_array *w = random_array(dt, 2, wsh, 7, false), *X = random_array(dt, 2, xsh, 8, false);
        kiln_expr *we = kiln_var(ctx, w), *xe = kiln_var(ctx, X), *s = kiln_sum(ctx, kiln_mul(ctx, we, xe), 0, 0);
        kiln_array *r = kiln_eval(ctx, s);
        ck_assert_msg(r != NULL, "%s", kiln_errmsg(ctx));
        for (int64_t k = 0; k < K; k++) {
            double want = 0;
            for (int64_t i = 0; i < R; i++) {
                double v = np_at(kiln_array_data(w), i, 1, f32) * np_at(kiln_array_data(X), i * K + k, 1, f32);
                want = np_add(want, f32 ? (double)(float)v : v, f32);
            }
            ck_assert_msg(np_at(kiln_array_data(r), k, 1, f32) == want, "%s sum(w * X, 0), column %lld", f32 ? "float32" : "float64", (long long)k);
        }
        kiln_array_free(r);
        kiln_expr_free(s);
        kiln_expr_free(we);
        kiln_expr_free(xe);
        kiln_array_free(w);
        kiln_array_free(X);
    }
}
END_TEST

/* The sum of a view whose reduced dims do not collapse into one run (rows apart, a row's
 * slice, rows reversed, a broadcast column times a matrix): NumPy buffers its inner loop, the
 * reduced dims inside every kept one, flattened, and sums chunks of 8192 of that pairwise,
 * chunks crossing rows. */
START_TEST(buffered_sums_in_numpys_order) {
    for (int f32 = 0; f32 < 2; f32++) {
        kiln_dtype dt = f32 ? KILN_F32 : KILN_F64;
        int64_t es = f32 ? 4 : 8, ash[2] = {200, 90}, bsh[3] = {3, 130, 70}, csh[2] = {200, 1};
        kiln_array *A = random_array(dt, 2, ash, 11, false), *Bb = random_array(dt, 3, bsh, 12, false), *c = random_array(dt, 2, csh, 13, false);
        char *a = kiln_array_data(A), *bd = kiln_array_data(Bb);
        kiln_array *views[4] = {
            kiln_wrap(ctx, dt, 2, (int64_t[]){100, 90}, (int64_t[]){2 * 90 * es, es}, a),                   /* A[::2] */
            kiln_wrap(ctx, dt, 2, (int64_t[]){200, 89}, (int64_t[]){90 * es, es}, a + es),                  /* A[:, 1:] */
            kiln_wrap(ctx, dt, 2, (int64_t[]){200, 90}, (int64_t[]){-90 * es, es}, a + 199 * 90 * es),      /* A[::-1] */
            kiln_wrap(ctx, dt, 3, (int64_t[]){3, 130, 69}, (int64_t[]){130 * 70 * es, 70 * es, es}, bd + es), /* B[:, :, 1:] */
        };
        char *flat = malloc((size_t)(200 * 90 * es));
        for (int v = 0; v < 5; v++) { /* the four views, then c * A */
            kiln_array *V = v < 4 ? views[v] : A;
            kiln_expr *x = kiln_var(ctx, V), *cv = kiln_var(ctx, c);
            kiln_expr *s = v == 3 ? kiln_reduce_axes(ctx, KILN_OP_SUM, x, 2u | 4u, 0) : kiln_sum(ctx, v == 4 ? kiln_mul(ctx, cv, x) : x, KILN_ALL_AXES, 0);
            kiln_array *r = kiln_eval(ctx, s);
            ck_assert_msg(r != NULL, "%s", kiln_errmsg(ctx));
            int64_t outs = v == 3 ? 3 : 1, per = v == 3 ? 130 * 69 : kiln_array_size(V);
            for (int64_t o = 0; o < outs; o++) {
                for (int64_t j = 0; j < per; j++) { /* the block, flattened in C order */
                    double e;
                    if (v == 0) e = np_at(a, (j / 90) * 180 + j % 90, 1, f32);
                    else if (v == 1) e = np_at(a, (j / 89) * 90 + 1 + j % 89, 1, f32);
                    else if (v == 2) e = np_at(a, (199 - j / 90) * 90 + j % 90, 1, f32);
                    else if (v == 3) e = np_at(bd, o * 130 * 70 + (j / 69) * 70 + 1 + j % 69, 1, f32);
                    else e = np_at(kiln_array_data(c), j / 90, 1, f32) * np_at(a, j, 1, f32);
                    if (f32) ((float *)(void *)flat)[j] = (float)e;
                    else ((double *)(void *)flat)[j] = e;
                }
                double want = np_sum(flat, per, 1, f32), got = np_at(kiln_array_data(r), o, 1, f32);
                ck_assert_msg(got == want, "%s case %d, output %lld: %.17g, NumPy's %.17g", f32 ? "float32" : "float64", v, (long long)o, got, want);
            }
            kiln_array_free(r);
            kiln_expr_free(s), kiln_expr_free(x), kiln_expr_free(cv);
        }
        free(flat);
        for (int v = 0; v < 4; v++) kiln_array_free(views[v]);
        kiln_array_free(A), kiln_array_free(Bb), kiln_array_free(c);
    }
}
END_TEST

/* Whether two float64 or float32 arrays hold the same values bit for bit (NaN matching any NaN);
 * the first difference into msg. */
static bool same_bits(const kiln_array *got, const kiln_array *want, char *msg, size_t cap) {
    kiln_dtype dt = kiln_array_dtype(want);
    for (int64_t i = 0; i < kiln_array_size(want); i++) {
        double g = dt == KILN_F32 ? ((const float *)kiln_array_data(got))[i] : ((const double *)kiln_array_data(got))[i];
        double w = dt == KILN_F32 ? ((const float *)kiln_array_data(want))[i] : ((const double *)kiln_array_data(want))[i];
        if ((isnan(g) && isnan(w)) || (g == w && signbit(g) == signbit(w))) continue;
        snprintf(msg, cap, "element %lld: %.17g against %.17g", (long long)i, g, w);
        return false;
    }
    return true;
}

/* Short rows go eight at a time in vector lanes (with AVX-512 and libmvec), longer rows a block
 * at a time: both must give the same bits.  A short row padded with -inf to a long one keeps its
 * maximum and its exps, and its sum gains only exp(-inf) = 0, so softmax, log_softmax and
 * logsumexp of the padded rows, cut back to the short ones, are the short rows' bit for bit —
 * for contiguous short rows, rows read through the padded array's strides, and columns. */
START_TEST(short_rows_same_bits_as_long) {
    enum { RP = 80 }; /* longer than ROWS_SHORT */
    int64_t Rs[] = {1, 2, 3, 10, 31, 64}, Ns[] = {1, 7, 8, 9, 2003};
    int checked = 0;
    for (int f32 = 0; f32 < 2; f32++)
        for (size_t ri = 0; ri < sizeof Rs / sizeof *Rs; ri++)
            for (size_t ni = 0; ni < sizeof Ns / sizeof *Ns; ni++) {
                kiln_dtype dt = f32 ? KILN_F32 : KILN_F64;
                int64_t R = Rs[ri], N = Ns[ni], es = f32 ? 4 : 8, sh[2] = {N, R}, psh[2] = {N, RP};
                kiln_array *src = random_array(dt, 2, sh, 900 + ri * 10 + ni, (ri + ni) % 2 == 0); /* some with NaN, inf */
                char *pad = malloc((size_t)(N * RP * es)), *cols = malloc((size_t)(N * R * es));
                for (int64_t i = 0; i < N; i++)
                    for (int64_t j = 0; j < RP; j++) {
                        char *at = pad + (i * RP + j) * es;
                        if (j < R) {
                            memcpy(at, (char *)kiln_array_data(src) + (i * R + j) * es, (size_t)es);
                            memcpy(cols + (j * N + i) * es, at, (size_t)es);
                        } else if (f32) {
                            *(float *)(void *)at = -INFINITY;
                        } else {
                            *(double *)(void *)at = -INFINITY;
                        }
                    }
                kiln_array *padded = kiln_wrap(ctx, dt, 2, psh, NULL, pad);
                kiln_array *shorts[3] = {src, kiln_wrap(ctx, dt, 2, sh, (int64_t[]){RP * es, es}, pad),
                                         kiln_wrap(ctx, dt, 2, sh, (int64_t[]){es, N * es}, cols)};
                kiln_expr *pv = kiln_var(ctx, padded);
                for (int mode = 0; mode < 3; mode++) {
                    kiln_expr *le = mode == 0 ? kiln_softmax(ctx, pv, 1) : mode == 1 ? kiln_log_softmax(ctx, pv, 1) : kiln_logsumexp(ctx, pv, 2, 0);
                    kiln_array *whole = kiln_eval(ctx, le);
                    ck_assert_msg(whole != NULL, "%s", kiln_errmsg(ctx));
                    kiln_array *want = kiln_array_new(ctx, dt, mode == 2 ? 1 : 2, sh);
                    for (int64_t i = 0; i < N; i++) /* the padded result cut back to R columns */
                        memcpy((char *)kiln_array_data(want) + i * (mode == 2 ? 1 : R) * es,
                               (char *)kiln_array_data(whole) + i * (mode == 2 ? 1 : RP) * es, (size_t)((mode == 2 ? 1 : R) * es));
                    for (int v = 0; v < 3; v++) {
                        kiln_expr *x = kiln_var(ctx, shorts[v]);
                        kiln_expr *e = mode == 0 ? kiln_softmax(ctx, x, 1) : mode == 1 ? kiln_log_softmax(ctx, x, 1) : kiln_logsumexp(ctx, x, 2, 0);
                        kiln_array *got = kiln_eval(ctx, e);
                        char msg[160] = "";
                        ck_assert_msg(got != NULL, "%s", kiln_errmsg(ctx));
                        ck_assert_msg(same_bits(got, want, msg, sizeof msg), "%s, %lld rows of %lld, mode %d, layout %d: %s",
                                      f32 ? "float32" : "float64", (long long)N, (long long)R, mode, v, msg);
                        kiln_array_free(got);
                        kiln_expr_free(e);
                        kiln_expr_free(x);
                        checked++;
                    }
                    kiln_array_free(want);
                    kiln_array_free(whole);
                    kiln_expr_free(le);
                }
                kiln_expr_free(pv);
                for (int v = 0; v < 3; v++) kiln_array_free(shorts[v]);
                kiln_array_free(padded);
                free(pad);
                free(cols);
            }
    ck_assert_int_eq(checked, 2 * 6 * 5 * 3 * 3);
}
END_TEST

/* Matrix products against the long double reference, relative to the largest |a||b| sum. */
static void check_matmul(kiln_expr *a, kiln_expr *b, double tol, const char *what) {
    char msg[256] = "";
    kiln_expr *e = kiln_matmul(ctx, a, b);
    ck_assert_msg(e, "%s: %s", what, kiln_errmsg(ctx));
    kiln_expr *sc = kiln_matmul(ctx, kiln_abs(ctx, a), kiln_abs(ctx, b));
    int64_t bad = dtype_is_float(kiln_expr_dtype(e)) ? compare_sum(e, sc, tol, msg, sizeof msg) : jit_vs_ref(ctx, e, 0, msg, sizeof msg);
    ck_assert_msg(bad == 0, "%s: %s", what, msg);
    kiln_expr_free(sc);
    kiln_expr_free(e);
}

/* A @ B, and with transposed (each matrix of a stack transposed) views: (B^T @ A^T)^T is A @ B
 * read another way; the arrays are freed. */
static void check_matmul_arrays(kiln_array *A, kiln_array *B, const char *what, bool transposed) {
    kiln_dtype dt = kiln_array_dtype(A);
    kiln_expr *x = kiln_var(ctx, A), *y = kiln_var(ctx, B);
    check_matmul(x, y, dt == KILN_F32 ? 1e-5 : 1e-13, what);
    if (transposed) {
        int nd = kiln_expr_ndim(x), ax[KILN_MAX_DIMS];
        for (int d = 0; d < nd; d++) ax[d] = d;
        ax[nd - 2] = nd - 1, ax[nd - 1] = nd - 2;
        kiln_expr *xt = kiln_permute(ctx, x, ax), *yt = kiln_permute(ctx, y, ax);
        check_matmul(yt, xt, dt == KILN_F32 ? 1e-5 : 1e-13, what);
        kiln_expr_free(xt);
        kiln_expr_free(yt);
    }
    kiln_expr_free(x);
    kiln_expr_free(y);
    kiln_array_free(A);
    kiln_array_free(B);
}

START_TEST(matmul_shapes_views_and_dtypes) {
    static const int64_t dims[][3] = {{1, 1, 1}, {7, 1, 7}, {1, 7, 1}, {7, 33, 5}, {33, 7, 33}, {64, 100, 48},
                                      {1000, 40, 30}, {5, 300, 2}, {130, 1, 70}, {2, 0, 3}};
    for (size_t c = 0; c < sizeof dims / sizeof *dims; c++) {
        for (int dt = 0; dt < KILN_DTYPE_COUNT; dt++) {
            int64_t sa[2] = {dims[c][0], dims[c][1]}, sb[2] = {dims[c][1], dims[c][2]};
            kiln_array *A = random_array((kiln_dtype)dt, 2, sa, 11 + c, false), *B = random_array((kiln_dtype)dt, 2, sb, 12 + c, false);
            char what[96];
            snprintf(what, sizeof what, "%s (%lld,%lld)@(%lld,%lld)", kiln_dtype_name((kiln_dtype)dt), (long long)sa[0],
                     (long long)sa[1], (long long)sb[0], (long long)sb[1]);
            check_matmul_arrays(A, B, what, true);
        }
    }
    /* 1-D operands, Fortran-ordered and strided operands */
    int64_t k = 50, sm[2] = {40, 50}, sw[2] = {50, 60};
    kiln_array *v = random_array(KILN_F64, 1, &k, 3, false), *M = random_array(KILN_F64, 2, sm, 4, false);
    kiln_array *W = random_array(KILN_F64, 2, sw, 5, false);
    kiln_array *MF = kiln_wrap(ctx, KILN_F64, 2, (int64_t[]){50, 40}, (int64_t[]){8, 400}, kiln_array_data(M)); /* M.T */
    kiln_array *WS = kiln_wrap(ctx, KILN_F64, 2, (int64_t[]){50, 30}, (int64_t[]){480, 16}, kiln_array_data(W)); /* W[:, ::2] */
    kiln_expr *vv = kiln_var(ctx, v), *mm = kiln_var(ctx, M), *ww = kiln_var(ctx, W), *mf = kiln_var(ctx, MF), *ws = kiln_var(ctx, WS);
    kiln_expr *wst = kiln_transpose(ctx, ws);
    kiln_expr *cases[][2] = {{vv, vv}, {mm, vv}, {vv, ww}, {mf, mm}, {mm, ws}, {wst, mf}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char what[32];
        snprintf(what, sizeof what, "view case %zu", i);
        check_matmul(cases[i][0], cases[i][1], 1e-13, what);
    }
    kiln_expr_free(wst);
    kiln_expr *dot = kiln_matmul(ctx, vv, vv);
    ck_assert_int_eq(kiln_expr_ndim(dot), 0);
    kiln_expr_free(dot);
    ck_assert_ptr_null(kiln_matmul(ctx, mm, mm));
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(ctx), "not aligned"));
    kiln_expr *all[] = {vv, mm, ww, mf, ws};
    for (int i = 0; i < 5; i++) kiln_expr_free(all[i]);
    kiln_array *arrs[] = {v, M, W, MF, WS};
    for (int i = 0; i < 5; i++) kiln_array_free(arrs[i]);
}
END_TEST

/* Stacks of products (operands of 3 dims or more, NumPy's matmul): batch dims that broadcast,
 * a matrix or a vector on one side, views, empty stacks and empty products, every dtype; small
 * products run side by side on threads, big ones one after another. */
START_TEST(stacked_matmul) {
    static const struct {
        int na, nb;
        int64_t sa[4], sb[4];
    } cases[] = {
        {3, 3, {3, 7, 5}, {3, 5, 4}},           {4, 3, {2, 1, 7, 5}, {3, 5, 4}},    {2, 3, {7, 5}, {4, 5, 6}},
        {3, 2, {4, 7, 5}, {5, 6}},              {1, 3, {5}, {4, 5, 6}},             {3, 1, {4, 7, 5}, {5}},
        {3, 3, {2000, 8, 8}, {2000, 8, 8}},     {3, 3, {2, 150, 100}, {1, 100, 90}}, {3, 3, {0, 3, 4}, {0, 4, 2}},
        {3, 3, {2, 3, 0}, {2, 0, 4}},           {4, 4, {2, 3, 1, 1}, {2, 3, 1, 1}}, {3, 3, {1000, 3, 3}, {1000, 3, 3}},
        {3, 3, {9, 5, 2}, {9, 2, 7}},           {3, 2, {40, 6, 9}, {9, 5}},         {3, 3, {5, 2, 9}, {5, 9, 1}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++)
        for (int dt = 0; dt < KILN_DTYPE_COUNT; dt++) {
            kiln_array *A = random_array((kiln_dtype)dt, cases[c].na, cases[c].sa, 31 + c, false);
            kiln_array *B = random_array((kiln_dtype)dt, cases[c].nb, cases[c].sb, 32 + c, false);
            char what[96];
            snprintf(what, sizeof what, "%s stack case %zu", kiln_dtype_name((kiln_dtype)dt), c);
            check_matmul_arrays(A, B, what, cases[c].na == cases[c].nb);
        }
    /* matrices BLAS cannot read as they are (every other row and column): each copied first */
    kiln_array *W = random_array(KILN_F64, 3, (int64_t[]){600, 32, 32}, 5, false);
    kiln_array *V = kiln_wrap(ctx, KILN_F64, 3, (int64_t[]){600, 16, 16}, (int64_t[]){32 * 32 * 8, 2 * 32 * 8, 2 * 8}, kiln_array_data(W));
    kiln_expr *vv = kiln_var(ctx, V);
    check_matmul(vv, vv, 1e-13, "every other row and column");
    kiln_expr_free(vv);
    kiln_array_free(V);
    V = kiln_wrap(ctx, KILN_F64, 3, (int64_t[]){300, 4, 4}, (int64_t[]){2 * 32 * 32 * 8, 3 * 32 * 8, 5 * 8}, kiln_array_data(W));
    vv = kiln_var(ctx, V);
    check_matmul(vv, vv, 1e-13, "a stack of small products, strided");
    kiln_expr *vt = kiln_permute(ctx, vv, (int[]){0, 2, 1});
    check_matmul(vv, vt, 1e-13, "a stack of small products, one transposed");
    kiln_expr_free(vt);
    kiln_expr_free(vv);
    kiln_array_free(V);
    kiln_array_free(W);
    /* the result's shape, and NumPy's refusals */
    kiln_array *A = random_array(KILN_F64, 3, (int64_t[]){2, 3, 4}, 1, false), *B = random_array(KILN_F64, 3, (int64_t[]){3, 4, 5}, 2, false);
    kiln_array *C = random_array(KILN_F64, 2, (int64_t[]){5, 5}, 3, false);
    kiln_expr *a = kiln_var(ctx, A), *b = kiln_var(ctx, B), *cc = kiln_var(ctx, C);
    kiln_expr *b1 = kiln_expand_dims(ctx, b, 0), *a1 = kiln_expand_dims(ctx, a, 1), *e = kiln_matmul(ctx, a1, b1);
    ck_assert_msg(e != NULL, "%s", kiln_errmsg(ctx));
    ck_assert_int_eq(kiln_expr_ndim(e), 4);
    const int64_t *sh = kiln_expr_shape(e);
    ck_assert(sh[0] == 2 && sh[1] == 3 && sh[2] == 3 && sh[3] == 5);
    ck_assert_ptr_null(kiln_matmul(ctx, a, b));
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(ctx), "cannot be broadcast"));
    ck_assert_ptr_null(kiln_matmul(ctx, a, cc));
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(ctx), "mismatch in its core dimension 0"));
    kiln_expr *all[] = {a, b, cc, a1, b1, e};
    for (int i = 0; i < 6; i++) kiln_expr_free(all[i]);
    kiln_array_free(A);
    kiln_array_free(B);
    kiln_array_free(C);
}
END_TEST

/* W@X + b, relu and tanh of it: the epilogue runs on panels of the product. */
START_TEST(fused_epilogues) {
    int64_t sw[2] = {300, 40}, sx[2] = {40, 1000}, sb[2] = {300, 1}, sr[1] = {1000};
    for (int dt = KILN_F32; dt <= KILN_F64; dt++) {
        kiln_array *W = random_array((kiln_dtype)dt, 2, sw, 1, false), *X = random_array((kiln_dtype)dt, 2, sx, 2, false);
        kiln_array *b = random_array((kiln_dtype)dt, 2, sb, 3, false), *r = random_array((kiln_dtype)dt, 1, sr, 4, false);
        kiln_expr *w = kiln_var(ctx, W), *x = kiln_var(ctx, X), *bb = kiln_var(ctx, b), *rr = kiln_var(ctx, r);
        kiln_expr *z = kiln_add(ctx, kiln_matmul(ctx, w, x), bb);
        kiln_expr *relu = kiln_maximum(ctx, kiln_add(ctx, z, rr), kiln_scalar(ctx, 0.0));
        kiln_expr *th = kiln_tanh(ctx, z);
        kiln_expr *es[] = {z, relu, th};
        for (int i = 0; i < 3; i++) {
            rt_plan *p = rt_plan_build(ctx, &es[i], 1);
            ck_assert_int_eq(p->ntemps, 0); /* the product is written straight into the output */
            int epi = 0;
            for (int k = 0; k < p->nsteps; k++) epi += p->steps[k].kind == RT_STEP_MATMUL && p->steps[k].epilogue >= 0;
            ck_assert_int_eq(epi, 1);
            rt_plan_free(ctx, p);
            char msg[256] = "";
            double tol = dt == KILN_F32 ? 1e-4 : 1e-12;
            kiln_array *got = kiln_eval(ctx, es[i]);
            kiln_array *want = kiln_array_new(ctx, (kiln_dtype)dt, 2, kiln_expr_shape(es[i]));
            rt_ref_eval(ctx, es[i], want);
            int64_t bad = 0;
            for (int64_t k = 0; k < kiln_array_size(want); k++) {
                double g = dt == KILN_F32 ? ((float *)kiln_array_data(got))[k] : ((double *)kiln_array_data(got))[k];
                double wv = dt == KILN_F32 ? ((float *)kiln_array_data(want))[k] : ((double *)kiln_array_data(want))[k];
                if (fabs(g - wv) > tol * (1 + fabs(wv)) && !bad++) snprintf(msg, sizeof msg, "element %lld: %g vs %g", (long long)k, g, wv);
            }
            ck_assert_msg(bad == 0, "epilogue %d (%s): %s", i, kiln_dtype_name((kiln_dtype)dt), msg);
            kiln_array_free(got);
            kiln_array_free(want);
        }
        kiln_expr *all[] = {w, x, bb, rr, z, relu, th};
        for (int i = 0; i < 7; i++) kiln_expr_free(all[i]);
        kiln_array *arrs[] = {W, X, b, r};
        for (int i = 0; i < 4; i++) kiln_array_free(arrs[i]);
    }
}
END_TEST

/* sum(a*b) is one reduction kernel reading a and b; nothing is materialized. */
START_TEST(sum_of_product_is_one_kernel) {
    int64_t n = 1000;
    kiln_array *A = random_array(KILN_F64, 1, &n, 1, false), *B = random_array(KILN_F64, 1, &n, 2, false);
    kiln_expr *a = kiln_var(ctx, A), *b = kiln_var(ctx, B), *ab = kiln_mul(ctx, a, b), *s = kiln_sum(ctx, ab, KILN_ALL_AXES, 0);
    char *d = kiln_dump(ctx, s, KILN_DUMP_KERNELS);
    int kernels = 0;
    for (const char *q = d; (q = strstr(q, "kernel:")); q++) kernels++;
    ck_assert_int_eq(kernels, 1);
    ck_assert_ptr_nonnull(strstr(d, "sum-reduction of 2 inputs"));
    kiln_string_free(d);
    rt_plan *p = rt_plan_build(ctx, &s, 1);
    ck_assert_int_eq(p->nsteps, 1);
    ck_assert_int_eq(p->ntemps, 0);
    rt_plan_free(ctx, p);
    kiln_expr *all[] = {a, b, ab, s};
    for (int i = 0; i < 4; i++) kiln_expr_free(all[i]);
    kiln_array_free(A);
    kiln_array_free(B);
}
END_TEST

/* A logistic-regression step with kiln_eval_many: the shared A - Y is computed once. */
START_TEST(eval_many_logistic_step) {
    int64_t sx[2] = {20, 500}, sw[2] = {20, 1}, sy[2] = {1, 500};
    kiln_array *X = random_array(KILN_F64, 2, sx, 1, false), *W = random_array(KILN_F64, 2, sw, 2, false);
    kiln_array *Y = kiln_array_new(ctx, KILN_F64, 2, sy);
    for (int i = 0; i < 500; i++) ((double *)kiln_array_data(Y))[i] = i % 3 == 0;
    kiln_expr *x = kiln_var(ctx, X), *w = kiln_var(ctx, W), *y = kiln_var(ctx, Y), *b = kiln_scalar(ctx, 0.1);
    kiln_expr *z = kiln_add(ctx, kiln_matmul(ctx, kiln_transpose(ctx, w), x), b);
    kiln_expr *one = kiln_scalar(ctx, 1.0);
    kiln_expr *A = kiln_div(ctx, one, kiln_add(ctx, one, kiln_exp(ctx, kiln_neg(ctx, z))));
    kiln_expr *dz = kiln_sub(ctx, A, y), *m = kiln_scalar(ctx, 500.0);
    kiln_expr *dw = kiln_div(ctx, kiln_matmul(ctx, x, kiln_transpose(ctx, dz)), m);
    kiln_expr *db = kiln_div(ctx, kiln_sum(ctx, dz, KILN_ALL_AXES, 0), m);
    kiln_expr *roots[3] = {dw, db, A};
    kiln_array *outs[3] = {NULL, NULL, NULL};
    ck_assert_int_eq(kiln_eval_many(ctx, 3, roots, outs), KILN_OK);
    for (int i = 0; i < 3; i++) {
        kiln_array *want = kiln_array_new(ctx, kiln_expr_dtype(roots[i]), kiln_expr_ndim(roots[i]), kiln_expr_shape(roots[i]));
        rt_ref_eval(ctx, roots[i], want);
        for (int64_t k = 0; k < kiln_array_size(want); k++) {
            double g = ((double *)kiln_array_data(outs[i]))[k], wv = ((double *)kiln_array_data(want))[k];
            ck_assert_msg(fabs(g - wv) <= 1e-12 * (1 + fabs(wv)), "root %d element %lld: %g vs %g", i, (long long)k, g, wv);
        }
        kiln_array_free(want);
        kiln_array_free(outs[i]);
    }
    /* an expression twice (a shape's equal dims): each output its own copy of the value */
    kiln_array *twice[3] = {NULL, NULL, NULL};
    ck_assert_msg(kiln_eval_many(ctx, 3, (kiln_expr *[]){dw, db, dw}, twice) == KILN_OK, "%s", kiln_errmsg(ctx));
    ck_assert_ptr_ne(kiln_array_data(twice[0]), kiln_array_data(twice[2]));
    ck_assert_mem_eq(kiln_array_data(twice[0]), kiln_array_data(twice[2]), 20 * sizeof(double));
    ck_assert_double_ne(((double *)kiln_array_data(twice[2]))[7], 0);
    for (int i = 0; i < 3; i++) kiln_array_free(twice[i]);
    kiln_expr *all[] = {x, w, y, b, z, one, A, dz, m, dw, db};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) kiln_expr_free(all[i]);
    kiln_array_free(X);
    kiln_array_free(W);
    kiln_array_free(Y);
}
END_TEST

/* A logistic-regression step over an X too big for the caches, written by hand and by grad: the
 * forward product, the element-wise middle and the product back go panel by panel over X in one
 * pass (the plan says so); against a plain C loop, the same bits for 1 and 2 threads, and a
 * strided X (which cannot go that way) still right. */
static void check_shared_step(kiln_dtype dt, int64_t k, int64_t n, bool strided) {
    int64_t sx[2] = {k, strided ? 2 * n : n}, sw[2] = {k, 1}, sy[2] = {1, n};
    kiln_array *Xa = kiln_array_new(ctx, dt, 2, sx), *Wa = kiln_array_new(ctx, dt, 2, sw);
    uint64_t seed = 91; /* moderate values: z stays where log(sigmoid(z)) is finite */
    for (int64_t i = 0; i < kiln_array_size(Xa); i++)
        ref_store((char *)kiln_array_data(Xa) + i * kiln_dtype_size(dt), dt, ref_cast((kscalar){.f64 = 2 * rng_unit(&seed) - 1}, KILN_F64, dt));
    for (int64_t i = 0; i < k; i++)
        ref_store((char *)kiln_array_data(Wa) + i * kiln_dtype_size(dt), dt, ref_cast((kscalar){.f64 = 0.1 * rng_unit(&seed) - 0.05}, KILN_F64, dt));
    kiln_array *Ya = kiln_array_new(ctx, dt, 2, sy), *Ba = kiln_array_new(ctx, dt, 0, NULL);
    for (int64_t j = 0; j < n; j++) ref_store((char *)kiln_array_data(Ya) + j * kiln_dtype_size(dt), dt, ref_cast((kscalar){.f64 = j % 3 == 0}, KILN_F64, dt));
    ref_store(kiln_array_data(Ba), dt, ref_cast((kscalar){.f64 = 0.1}, KILN_F64, dt));
    kiln_expr *x0 = kiln_var(ctx, Xa), *w = kiln_var(ctx, Wa), *y = kiln_var(ctx, Ya), *b = kiln_var(ctx, Ba);
    kiln_ix every_other[2] = {{.kind = KILN_IX_SLICE}, {.kind = KILN_IX_SLICE, .step = 2, .flags = KILN_IX_HAS_STEP}};
    kiln_expr *x = strided ? kiln_index(ctx, x0, 2, every_other) : kiln_expr_retain(x0);
    kiln_expr *A = kiln_sigmoid(ctx, kiln_add(ctx, kiln_matmul(ctx, kiln_transpose(ctx, w), x), b));
    kiln_expr *dz = kiln_sub(ctx, A, y), *m = kiln_scalar(ctx, (double)n);
    kiln_expr *dw = kiln_div(ctx, kiln_matmul(ctx, x, kiln_transpose(ctx, dz)), m);
    kiln_expr *one = kiln_scalar(ctx, 1.0);
    kiln_expr *loss = kiln_neg(ctx, kiln_mean(ctx, kiln_add(ctx, kiln_mul(ctx, y, kiln_log(ctx, A)),
                                                           kiln_mul(ctx, kiln_sub(ctx, one, y), kiln_log(ctx, kiln_sub(ctx, one, A)))),
                                             KILN_ALL_AXES, 0));
    kiln_expr *gw;
    ck_assert_int_eq(kiln_grad(ctx, loss, 1, &w, &gw), KILN_OK);
    char *plan = kiln_dump(ctx, dw, KILN_DUMP_KERNELS), *gplan = kiln_dump(ctx, gw, KILN_DUMP_KERNELS);
    /* (a strided X is planned so too, and the run finds it cannot go that way; without a tuned
     * product, KILN_NO_BLAS, vector products are reductions and X is read twice) */
    bool products = strstr(plan, "matmul") != NULL;
    if (!strided && products)
        ck_assert_msg(strstr(plan, "one pass over the shared matrix") && strstr(gplan, "one pass over the shared matrix"), "%s\n%s", plan, gplan);
    free(plan);
    free(gplan);
    /* the plain loop, in double */
    double *want = calloc((size_t)k, sizeof *want), *zz = calloc((size_t)n, sizeof *zz), want_loss = 0, want_db = 0;
    const char *X = kiln_array_data(Xa);
    int64_t es = (int64_t)kiln_dtype_size(dt), rs = sx[1] * es, cs = (strided ? 2 : 1) * es;
#define AT(p) ref_cast(ref_load((p), dt), dt, KILN_F64).f64
    for (int64_t j = 0; j < n; j++) {
        double z = 0.1;
        for (int64_t i = 0; i < k; i++) z += AT((char *)kiln_array_data(Wa) + i * es) * AT(X + i * rs + j * cs);
        double a = 1 / (1 + exp(-z)), yj = j % 3 == 0;
        zz[j] = a - yj;
        want_db += zz[j];
        want_loss -= (yj * log(a) + (1 - yj) * log(1 - a)) / (double)n;
    }
    for (int64_t i = 0; i < k; i++) {
        for (int64_t j = 0; j < n; j++) want[i] += AT(X + i * rs + j * cs) * zz[j];
        want[i] /= (double)n;
    }
    double tol = dt == KILN_F32 ? 1e-3 : 1e-11, scale = 0;
    for (int64_t i = 0; i < k; i++) scale = fmax(scale, fabs(want[i]));
    kiln_array *first = NULL;
    for (int t = 1; t <= 2; t++) {
        kiln_set_num_threads(ctx, t);
        kiln_array *got = kiln_eval(ctx, dw), *got_g = kiln_eval(ctx, gw);
        ck_assert_msg(got && got_g, "%s", kiln_errmsg(ctx));
        for (int64_t i = 0; i < k; i++) {
            double g = AT((char *)kiln_array_data(got) + i * es), gg = AT((char *)kiln_array_data(got_g) + i * es);
            ck_assert_msg(fabs(g - want[i]) <= tol * scale && fabs(gg - want[i]) <= tol * scale, "%s%s dw[%lld]: %.17g, by grad %.17g, want %.17g",
                          kiln_dtype_name(dt), strided ? " strided" : "", (long long)i, g, gg, want[i]);
        }
        if (!first) first = got;
        else {
            ck_assert_msg(!memcmp(kiln_array_data(first), kiln_array_data(got), (size_t)(k * es)), "1 and 2 threads differ");
            kiln_array_free(got);
        }
        kiln_array_free(got_g);
    }
    /* with the loss and sum(dz) (kiln_eval_many: one plan), both folded in the same pass, chunk
     * by chunk; the same bits for 1 and 2 threads */
    kiln_expr *db = kiln_sum(ctx, dz, KILN_ALL_AXES, 0), *roots[3] = {dw, db, loss};
    rt_plan *pm = rt_plan_many(ctx, roots, 3);
    ck_assert_ptr_nonnull(pm);
    int folded = 0;
    for (int i = 0; i < pm->nsteps; i++) folded += pm->steps[i].nshare_reds;
    rt_plan_release(ctx, pm);
    if (products) ck_assert_int_eq(folded, 2);
    kiln_array *prev[3] = {NULL, NULL, NULL};
    for (int t = 1; t <= 2; t++) {
        kiln_set_num_threads(ctx, t);
        kiln_array *outs[3] = {NULL, NULL, NULL};
        uint64_t folds = atomic_load(&ctx->st.shared_folds);
        ck_assert_msg(kiln_eval_many(ctx, 3, roots, outs) == KILN_OK, "%s", kiln_errmsg(ctx));
        if (products && !strided) ck_assert_uint_eq(atomic_load(&ctx->st.shared_folds) - folds, 2); /* folded, not only planned so */
        double gl = AT(kiln_array_data(outs[2])), gdb = AT(kiln_array_data(outs[1]));
        ck_assert_msg(fabs(gl - want_loss) <= tol * fabs(want_loss) && fabs(gdb - want_db) <= tol * (double)n, "%s%s loss %.17g want %.17g, db %.17g want %.17g",
                      kiln_dtype_name(dt), strided ? " strided" : "", gl, want_loss, gdb, want_db);
        for (int r = 0; r < 3 && prev[0]; r++)
            ck_assert_msg(!memcmp(kiln_array_data(prev[r]), kiln_array_data(outs[r]), (size_t)(kiln_array_size(outs[r]) * es)),
                          "root %d: 1 and 2 threads differ", r);
        for (int r = 0; r < 3; r++) kiln_array_free(prev[r]), prev[r] = outs[r];
    }
    for (int r = 0; r < 3; r++) kiln_array_free(prev[r]);
    kiln_expr_free(db);
#undef AT
    kiln_array_free(first);
    free(want);
    free(zz);
    kiln_expr *all[] = {x0, x, w, y, b, A, dz, m, dw, one, loss, gw};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) kiln_expr_free(all[i]);
    kiln_array *arrs[] = {Xa, Wa, Ya, Ba};
    for (size_t i = 0; i < sizeof arrs / sizeof *arrs; i++) kiln_array_free(arrs[i]);
}

START_TEST(one_pass_over_a_shared_matrix) {
    check_shared_step(KILN_F64, 96, 25000, false); /* 19 MB */
    check_shared_step(KILN_F32, 96, 50000, false);
    check_shared_step(KILN_F64, 7, 100003, false); /* rows not a multiple of four, panels with tails */
    check_shared_step(KILN_F32, 5, 150001, false);
    check_shared_step(KILN_F64, 96, 25000, true); /* a view walked by steps of 2: the steps one by one */
}
END_TEST

/* kiln_eval_many plans a set of roots once: later calls take the cached plan (and its
 * temporaries); roots freed and their slots reused are never mistaken for the old ones. */
START_TEST(eval_many_plans_once) {
    int64_t sh[2] = {50, 40};
    kiln_array *A = random_array(KILN_F64, 2, sh, 5, false), *B = random_array(KILN_F64, 2, sh, 6, false);
    kiln_expr *a = kiln_var(ctx, A), *b = kiln_var(ctx, B);
    kiln_expr *r0 = kiln_sum(ctx, kiln_mul(ctx, a, b), 1, 0), *r1 = kiln_matmul(ctx, kiln_exp(ctx, a), kiln_transpose(ctx, b));
    kiln_stats s0, s1;
    kiln_get_stats(ctx, &s0);
    for (int it = 0; it < 20; it++) {
        kiln_array *outs[2] = {NULL, NULL};
        ck_assert_int_eq(kiln_eval_many(ctx, 2, (kiln_expr *[]){r0, r1}, outs), KILN_OK);
        char msg[256] = "";
        for (int k = 0; k < 2; k++) {
            kiln_expr *e = k ? r1 : r0;
            kiln_array *want = kiln_array_new(ctx, KILN_F64, kiln_expr_ndim(e), kiln_expr_shape(e));
            rt_ref_eval(ctx, e, want);
            const double *g = kiln_array_data(outs[k]), *w = kiln_array_data(want);
            for (int64_t i = 0; i < kiln_array_size(want); i++) /* sums of products: within 1e-12 of their size */
                ck_assert_msg(fabs(g[i] - w[i]) <= 1e-12 * (1 + fabs(w[i])), "run %d root %d element %lld: %.17g, want %.17g%s", it, k,
                              (long long)i, g[i], w[i], msg);
            kiln_array_free(want);
            kiln_array_free(outs[k]);
        }
        double *pa = kiln_array_data(A); /* new values each run: the temporaries are recomputed */
        pa[it] += 1;
    }
    kiln_get_stats(ctx, &s1);
    ck_assert_uint_eq(s1.plans_built - s0.plans_built, 1);
    /* another root in the second place (maybe in the freed slot): a new plan, the right answer */
    kiln_expr_free(r1);
    kiln_expr *r2 = kiln_max(ctx, kiln_add(ctx, a, b), 0, 0);
    kiln_array *outs[2] = {NULL, NULL};
    ck_assert_int_eq(kiln_eval_many(ctx, 2, (kiln_expr *[]){r0, r2}, outs), KILN_OK);
    ck_assert_int_eq(kiln_array_ndim(outs[1]), 1);
    ck_assert_int_eq(kiln_array_shape(outs[1])[0], 40);
    kiln_get_stats(ctx, &s0);
    ck_assert_uint_eq(s0.plans_built - s1.plans_built, 1);
    kiln_array_free(outs[0]);
    kiln_array_free(outs[1]);
    kiln_expr *all[] = {a, b, r0, r2};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) kiln_expr_free(all[i]);
    kiln_array_free(A);
    kiln_array_free(B);
}
END_TEST

/* Transposes of computed results are views of them: as a root, inside an expression, twice. */
START_TEST(transposed_results) {
    int64_t sx[2] = {5, 7}, sw[2] = {40, 30}, sy[2] = {30, 20};
    kiln_array *X = random_array(KILN_F64, 2, sx, 1, false), *W = random_array(KILN_F64, 2, sw, 2, false);
    kiln_array *Y = random_array(KILN_F64, 2, sy, 3, false);
    kiln_expr *x = kiln_var(ctx, X), *w = kiln_var(ctx, W), *y = kiln_var(ctx, Y);
    kiln_expr *m = kiln_mean(ctx, x, 1, 1), *p = kiln_add(ctx, kiln_matmul(ctx, w, y), kiln_scalar(ctx, 1.0));
    kiln_expr *cases[] = {kiln_transpose(ctx, m), kiln_transpose(ctx, p), kiln_mul(ctx, kiln_transpose(ctx, p), kiln_scalar(ctx, 2.0)),
                          kiln_add(ctx, kiln_transpose(ctx, kiln_sum(ctx, x, 0, 1)), kiln_transpose(ctx, x)),
                          kiln_transpose(ctx, kiln_transpose(ctx, p))};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        ck_assert_msg(cases[i], "case %zu: %s", i, kiln_errmsg(ctx));
        kiln_array *got = kiln_eval(ctx, cases[i]);
        kiln_array *want = kiln_array_new(ctx, KILN_F64, kiln_expr_ndim(cases[i]), kiln_expr_shape(cases[i]));
        rt_ref_eval(ctx, cases[i], want);
        for (int64_t k = 0; k < kiln_array_size(want); k++) {
            double g = ((double *)kiln_array_data(got))[k], v = ((double *)kiln_array_data(want))[k];
            ck_assert_msg(fabs(g - v) <= 1e-12 * (1 + fabs(v)), "case %zu element %lld: %g vs %g", i, (long long)k, g, v);
        }
        kiln_array_free(got);
        kiln_array_free(want);
    }
    /* a transposed root beside its operand, in one plan */
    kiln_expr *pt = kiln_transpose(ctx, p), *roots[2] = {p, pt};
    kiln_array *outs[2] = {NULL, NULL};
    ck_assert_int_eq(kiln_eval_many(ctx, 2, roots, outs), KILN_OK);
    for (int i = 0; i < 40; i++)
        for (int j = 0; j < 20; j++)
            ck_assert_double_eq(((double *)kiln_array_data(outs[0]))[i * 20 + j], ((double *)kiln_array_data(outs[1]))[j * 40 + i]);
    kiln_array_free(outs[0]);
    kiln_array_free(outs[1]);
    kiln_expr_free(pt);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) kiln_expr_free(cases[i]);
    kiln_expr *all[] = {x, w, y, m, p};
    for (int i = 0; i < 5; i++) kiln_expr_free(all[i]);
    kiln_array_free(X);
    kiln_array_free(W);
    kiln_array_free(Y);
}
END_TEST

START_TEST(reduction_errors) {
    int64_t sh[2] = {3, 0};
    kiln_array *E = kiln_array_new(ctx, KILN_F64, 2, sh);
    kiln_expr *e = kiln_var(ctx, E);
    ck_assert_ptr_null(kiln_max(ctx, e, KILN_ALL_AXES, 0));
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(ctx), "zero-size array to reduction operation max"));
    ck_assert_ptr_null(kiln_argmin(ctx, e, 1, 0));
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(ctx), "empty sequence"));
    ck_assert_ptr_null(kiln_sum(ctx, e, 2, 0));
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(ctx), "axis 2 is out of bounds for array of dimension 2"));
    kiln_expr *s = kiln_sum(ctx, e, 1, 0); /* an empty sum is 0, as in NumPy */
    kiln_array *r = kiln_eval(ctx, s);
    for (int i = 0; i < 3; i++) ck_assert_double_eq(((double *)kiln_array_data(r))[i], 0.0);
    kiln_array_free(r);
    kiln_expr_free(s);
    kiln_expr_free(e);
    kiln_array_free(E);
}
END_TEST

Suite *suite_reduce(void) {
    Suite *s = suite_create("reduce");
    TCase *t = tcase_create("reductions and products");
    tcase_set_timeout(t, 600);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, every_reduction_axis_and_dtype);
    tcase_add_test(t, mean_and_fused_producers);
    tcase_add_test(t, big_sums_are_accurate);
    tcase_add_test(t, sums_in_numpys_order);
    tcase_add_test(t, multi_axis_sums_in_numpys_order);
    tcase_add_test(t, buffered_sums_in_numpys_order);
    tcase_add_test(t, same_bits_for_any_thread_count);
    tcase_add_test(t, arg_reductions_keep_the_first_best);
    tcase_add_test(t, empty_outputs_and_ranges);
    tcase_add_test(t, middle_axis_reductions_step_their_outputs);
    tcase_add_test(t, matmul_shapes_views_and_dtypes);
    tcase_add_test(t, stacked_matmul);
    tcase_add_test(t, fused_epilogues);
    tcase_add_test(t, sum_of_product_is_one_kernel);
    tcase_add_test(t, eval_many_logistic_step);
    tcase_add_test(t, eval_many_plans_once);
    tcase_add_test(t, transposed_results);
    tcase_add_test(t, reduction_errors);
    tcase_add_test(t, short_rows_and_softmax);
    tcase_add_test(t, short_rows_same_bits_as_long);
    tcase_add_test(t, one_pass_over_a_shared_matrix);
    suite_add_tcase(s, t);
    return s;
}
