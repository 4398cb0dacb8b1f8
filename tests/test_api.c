/*
 * test_api.c — the public API's contracts: NULL handles and bad arguments give errors (never
 * crashes), errors propagate through nested builders, outputs are checked, the kernel cache
 * reuses kernels across lengths and constants, scalars and empty arrays work, and two
 * threads can evaluate on one context.
 */
#include <pthread.h>

#include "helpers.h"

static kiln_ctx *ctx;
static void setup(void) { ctx = kiln_ctx_new(NULL); }
static void teardown(void) { kiln_ctx_free(ctx); }

START_TEST(null_and_bad_arguments) {
    int64_t n = 4, neg = -1;
    double d[4] = {0};
    ck_assert_int_eq(kiln_eval_into(NULL, NULL, NULL), KILN_ERR_ARG);
    ck_assert_ptr_null(kiln_var(NULL, NULL));
    kiln_ctx_free(NULL);
    kiln_array_free(NULL);
    kiln_expr_free(NULL);
    ck_assert_ptr_null(kiln_var(ctx, NULL));
    ck_assert_int_eq(kiln_errcode(ctx), KILN_ERR_ARG);
    ck_assert_ptr_null(kiln_wrap(ctx, (kiln_dtype)17, 1, &n, NULL, d));
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(ctx), "dtype"));
    ck_assert_ptr_null(kiln_wrap(ctx, KILN_F64, 9, &n, NULL, d));
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(ctx), "rank"));
    ck_assert_ptr_null(kiln_wrap(ctx, KILN_F64, 1, &neg, NULL, d));
    ck_assert_int_eq(kiln_errcode(ctx), KILN_ERR_SHAPE);
    ck_assert_ptr_null(kiln_wrap(ctx, KILN_F64, 1, &n, NULL, NULL));
    int64_t huge[2] = {INT64_MAX / 2, 4};
    ck_assert_ptr_null(kiln_array_new(ctx, KILN_F64, 2, huge));
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(ctx), "too big"));
    ck_assert_ptr_null(kiln_add(ctx, NULL, NULL)); /* keeps the earlier error... */
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(ctx), "too big"));
    kiln_clear_error(ctx);
    ck_assert_ptr_null(kiln_add(ctx, NULL, NULL)); /* ...and reports NULL when there was none */
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(ctx), "NULL"));
    ck_assert_ptr_null(kiln_cast(ctx, NULL, KILN_F32));
    kiln_array *a = kiln_wrap(ctx, KILN_F64, 1, &n, NULL, d);
    kiln_expr *x = kiln_var(ctx, a);
    ck_assert_ptr_null(kiln_cast(ctx, x, (kiln_dtype)-3));
    ck_assert_ptr_null(kiln_apply(ctx, KILN_OP_VAR, &x));
    ck_assert_ptr_null(kiln_apply(ctx, (kiln_op)999, &x));
    ck_assert_int_eq(kiln_eval_into(ctx, x, NULL), KILN_ERR_ARG);
    ck_assert_int_eq(kiln_set_num_threads(ctx, 0), KILN_ERR_ARG);
    ck_assert_int_eq(kiln_expr_op(NULL), KILN_OP_COUNT);
    ck_assert_int_eq(kiln_array_size(NULL), -1);
    for (int s = 0; s < KILN_STATUS_COUNT; s++) ck_assert_ptr_nonnull(kiln_status_str((kiln_status)s));
    ck_assert_str_eq(kiln_status_str(KILN_STATUS_COUNT), "unknown status");
    ck_assert_str_eq(kiln_dtype_name(KILN_F32), "float32");
    ck_assert_int_eq(kiln_error_offset(ctx), -1);
    kiln_clear_error(ctx);
    ck_assert_str_eq(kiln_errmsg(ctx), "no error");
    kiln_expr_free(x);
    kiln_array_free(a);
}
END_TEST

/* Hostile numbers at the builders: axes masks past the rank, slice steps of +-2^63, typed
 * constants a dtype cannot hold; clip's NULL bound. */
START_TEST(builders_refuse_what_does_not_fit) {
    int64_t n = 4;
    double d[4] = {1, 2, 3, 4};
    kiln_array *a = kiln_wrap(ctx, KILN_F64, 1, &n, NULL, d);
    kiln_expr *x = kiln_var(ctx, a);
    kiln_clear_error(ctx);
    ck_assert_ptr_null(kiln_reduce_axes(ctx, KILN_OP_SUM, x, 0x2, 0)); /* axis 1 of a 1-D array */
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(ctx), "axis 1 is out of bounds for array of dimension 1"));
    unsigned bad[] = {0x80, 0x100, 0x3};
    for (int k = 0; k < 3; k++) {
        kiln_clear_error(ctx);
        ck_assert_ptr_null(kiln_logsumexp(ctx, x, bad[k], 0));
        ck_assert_ptr_null(kiln_mean_axes(ctx, x, bad[k], 0));
        ck_assert_ptr_null(kiln_variance(ctx, x, bad[k], 0, 0));
        ck_assert_ptr_null(kiln_softmax_axes(ctx, x, bad[k]));
        ck_assert_int_eq(kiln_errcode(ctx), KILN_ERR_ARG);
    }
    kiln_clear_error(ctx);
    kiln_expr *all[] = {kiln_reduce_axes(ctx, KILN_OP_SUM, x, KILN_EVERY_AXIS, 0), kiln_variance(ctx, x, (unsigned)KILN_ALL_AXES, 0, 0),
                        kiln_mean_axes(ctx, x, 0x1, 0)};
    double want[] = {10, 1.25, 2.5};
    for (int k = 0; k < 3; k++) {
        kiln_array *r = kiln_eval(ctx, all[k]);
        ck_assert_msg(r && *(double *)kiln_array_data(r) == want[k], "mask %d: %s", k, kiln_errmsg(ctx));
        kiln_array_free(r);
        kiln_expr_free(all[k]);
    }
    /* a step past the length takes the first element (or the last, stepping back) */
    int64_t steps[] = {INT64_MAX, INT64_MIN, INT64_MIN + 1, (int64_t)1 << 62};
    double firsts[] = {1, 4, 4, 1};
    for (int k = 0; k < 4; k++) {
        kiln_ix ix = {.kind = KILN_IX_SLICE, .step = steps[k], .flags = KILN_IX_HAS_STEP};
        kiln_expr *v = kiln_index(ctx, x, 1, &ix);
        kiln_array *r = v ? kiln_eval(ctx, v) : NULL;
        ck_assert_msg(r && kiln_array_shape(r)[0] == 1 && *(double *)kiln_array_data(r) == firsts[k], "step %lld: %s", (long long)steps[k], kiln_errmsg(ctx));
        kiln_array_free(r);
        kiln_expr_free(v);
    }
    /* typed constants: what np.int32(v) refuses */
    double nums[] = {1e20, NAN, INFINITY, 2147483648.0, -2147483649.0};
    for (int k = 0; k < 5; k++) {
        kiln_clear_error(ctx);
        ck_assert_ptr_null(kiln_const(ctx, KILN_I32, nums[k]));
        ck_assert_int_eq(kiln_errcode(ctx), KILN_ERR_DTYPE);
    }
    ck_assert_ptr_null(kiln_const(ctx, KILN_I64, 0x1p63));
    ck_assert_ptr_null(kiln_const_i64(ctx, KILN_I32, (int64_t)1 << 40));
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(ctx), "out of bounds for int32"));
    kiln_clear_error(ctx);
    kiln_expr *ok[] = {kiln_const(ctx, KILN_I32, 2147483647.9), kiln_const(ctx, KILN_I32, -2147483648.5), kiln_const(ctx, KILN_I64, -0x1p63),
                       kiln_const_i64(ctx, KILN_I32, INT32_MIN), kiln_const(ctx, KILN_BOOL, 1e300)};
    for (int k = 0; k < 5; k++) {
        ck_assert_msg(ok[k] != NULL, "constant %d: %s", k, kiln_errmsg(ctx));
        kiln_expr_free(ok[k]);
    }
    /* clip: NULL is no bound (clipped above only) */
    kiln_expr *three = kiln_scalar(ctx, 3.0), *c = kiln_clip(ctx, x, NULL, three);
    kiln_array *cr = c ? kiln_eval(ctx, c) : NULL;
    ck_assert(cr && ((double *)kiln_array_data(cr))[0] == 1 && ((double *)kiln_array_data(cr))[3] == 3);
    kiln_array_free(cr);
    kiln_expr_free(c);
    kiln_expr_free(three);
    ck_assert_ptr_null(kiln_reduce_axes(ctx, KILN_OP_SUM, x, (unsigned)KILN_ALL_AXES, 0));
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(ctx), "not KILN_ALL_AXES"));
    kiln_clear_error(ctx);
    kiln_expr_free(x);
    kiln_array_free(a);
}
END_TEST

/* kiln_parse_params: an array under two names is one placeholder, listed once (its gradient
 * counts both uses: grad(sum(p*W), W) with p the same array is 2W, not W). */
START_TEST(one_array_under_two_names_is_one_placeholder) {
    kiln_ctx *ctx = kiln_ctx_new(NULL);
    kiln_scope *sc = kiln_scope_new(ctx);
    int64_t n = 3;
    kiln_array *W = kiln_array_new(ctx, KILN_F64, 1, &n);
    for (int i = 0; i < 3; i++) ((double *)kiln_array_data(W))[i] = i + 1;
    ck_assert_int_eq(kiln_scope_set(sc, "p", W), KILN_OK);
    ck_assert_int_eq(kiln_scope_set(sc, "W", W), KILN_OK);
    kiln_expr *params[4];
    int which[4], np_ = 0, re = 0;
    kiln_expr *g = kiln_parse_params(ctx, sc, "grad(sum(p * W), W)", 4, params, which, &np_, &re);
    ck_assert_msg(g, "%s", kiln_errmsg(ctx));
    ck_assert_int_eq(np_, 1);
    ck_assert_str_eq(kiln_scope_name(sc, which[0]), "p");
    kiln_array *r = kiln_eval(ctx, g);
    ck_assert_ptr_nonnull(r);
    for (int i = 0; i < 3; i++) ck_assert(((double *)kiln_array_data(r))[i] == 2.0 * (i + 1));
    kiln_array_free(r);
    kiln_expr_free(params[0]);
    kiln_expr_free(g);
    kiln_array_free(W);
    kiln_scope_free(sc);
    kiln_ctx_free(ctx);
}
END_TEST

START_TEST(first_error_survives_nesting) {
    int64_t n3 = 3, n4 = 4;
    double d[4] = {0};
    kiln_array *a = kiln_wrap(ctx, KILN_F64, 1, &n3, NULL, d), *b = kiln_wrap(ctx, KILN_F64, 1, &n4, NULL, d);
    kiln_expr *x = kiln_var(ctx, a), *y = kiln_var(ctx, b);
    kiln_expr *e = kiln_sin(ctx, kiln_mul(ctx, kiln_add(ctx, x, y), x));
    ck_assert_ptr_null(e);
    ck_assert_int_eq(kiln_errcode(ctx), KILN_ERR_SHAPE);
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(ctx), "(3,) (4,)"));
    ck_assert_int_eq(kiln_eval_into(ctx, e, a), KILN_ERR_SHAPE); /* the builder's error, again */
    kiln_expr_free(x);
    kiln_expr_free(y);
    kiln_array_free(a);
    kiln_array_free(b);
}
END_TEST

START_TEST(output_checks_and_contexts) {
    int64_t n = 4, m = 5;
    double d[5] = {1, 2, 3, 4, 5}, o[5];
    float of[4];
    kiln_array *a = kiln_wrap(ctx, KILN_F64, 1, &n, NULL, d), *o5 = kiln_wrap(ctx, KILN_F64, 1, &m, NULL, o),
               *o4f = kiln_wrap(ctx, KILN_F32, 1, &n, NULL, of);
    kiln_expr *x = kiln_var(ctx, a);
    ck_assert_int_eq(kiln_eval_into(ctx, x, o5), KILN_ERR_SHAPE);
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(ctx), "output has shape (5,)"));
    ck_assert_int_eq(kiln_eval_into(ctx, x, o4f), KILN_ERR_DTYPE);
    kiln_ctx *other = kiln_ctx_new(NULL);
    kiln_array *b = kiln_wrap(other, KILN_F64, 1, &n, NULL, d);
    ck_assert_ptr_null(kiln_var(ctx, b));
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(ctx), "another context"));
    kiln_expr *y = kiln_var(other, b);
    ck_assert_ptr_null(kiln_add(ctx, x, y));
    ck_assert_int_eq(kiln_errcode(ctx), KILN_ERR_ARG);
    /* the other context's expression or array refused where they were taken (an embedder's
     * hunt: kiln_eval_many with a NULL output overran the heap, kiln_dump crashed in LLVM, a view
     * of the other's array outlived it) */
    kiln_clear_error(ctx);
    kiln_array *outs[1] = {NULL};
    ck_assert_int_eq(kiln_eval_many(ctx, 1, &y, outs), KILN_ERR_ARG);
    ck_assert_ptr_null(outs[0]);
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(ctx), "another context"));
    kiln_clear_error(ctx);
    ck_assert_ptr_null(kiln_dump(ctx, y, KILN_DUMP_KERNELS));
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(ctx), "another context"));
    kiln_clear_error(ctx);
    int64_t st8 = 8;
    ck_assert_ptr_null(kiln_array_view(ctx, b, 1, &n, &st8, 0));
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(ctx), "another context"));
    kiln_clear_error(ctx);
    /* a negative room for parameters, one array concatenated along no axis it has */
    kiln_scope *sc = kiln_scope_new(ctx);
    int np_ = 0, re = 0;
    ck_assert_ptr_null(kiln_parse_params(ctx, sc, "1 * 2", -1, NULL, NULL, &np_, &re));
    ck_assert_int_eq(kiln_errcode(ctx), KILN_ERR_ARG);
    kiln_scope_free(sc);
    kiln_clear_error(ctx);
    ck_assert_ptr_null(kiln_concatenate(ctx, 1, &x, 3));
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(ctx), "out of bounds"));
    kiln_clear_error(ctx);
    kiln_expr *zero_d = kiln_scalar(ctx, 1.0);
    ck_assert_ptr_null(kiln_concatenate(ctx, 1, &zero_d, 0));
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(ctx), "zero-dimensional"));
    kiln_expr_free(zero_d);
    kiln_clear_error(ctx);
    kiln_expr_free(y);
    kiln_array_free(b);
    kiln_ctx_free(other);
    kiln_expr_free(x);
    kiln_array_free(a);
    kiln_array_free(o5);
    kiln_array_free(o4f);
}
END_TEST

/* kiln_eval_many's outputs may be its inputs: every value is of the inputs as they were (a
 * tuple assignment's), the outputs written after: swapped, in place beside another value of the
 * same input, and a reduction's input centred in place. */
START_TEST(eval_many_outputs_that_are_inputs) {
    int64_t n = 1000;
    double *a = malloc(8 * n), *b = malloc(8 * n), *c = malloc(8 * n);
    for (int64_t i = 0; i < n; i++) a[i] = (double)i, b[i] = 10.0 * (double)(i % 7), c[i] = 1.0;
    kiln_array *A = kiln_wrap(ctx, KILN_F64, 1, &n, NULL, a), *B = kiln_wrap(ctx, KILN_F64, 1, &n, NULL, b);
    kiln_array *C = kiln_wrap(ctx, KILN_F64, 1, &n, NULL, c);
    kiln_expr *x = kiln_var(ctx, A), *y = kiln_var(ctx, B), *two = kiln_scalar(ctx, 2), *one = kiln_scalar(ctx, 1);
    kiln_expr *es[2] = {kiln_add(ctx, y, one), kiln_mul(ctx, x, two)}; /* A <- y + 1, B <- x * 2: swapped */
    kiln_array *outs[2] = {A, B};
    ck_assert_int_eq(kiln_eval_many(ctx, 2, es, outs), KILN_OK);
    for (int64_t i = 0; i < n; i++) {
        ck_assert_double_eq(a[i], 10.0 * (double)(i % 7) + 1);
        ck_assert_double_eq(b[i], 2.0 * (double)i);
    }
    kiln_expr *mean = kiln_mean(ctx, x, KILN_ALL_AXES, false), *cen = kiln_sub(ctx, x, mean), *sq = kiln_mul(ctx, x, x);
    double m = 0;
    for (int64_t i = 0; i < n; i++) m += a[i];
    m /= (double)n;
    double a0 = a[0], a5 = a[5];
    kiln_expr *es2[2] = {cen, sq}; /* A <- x - mean(x), C <- x * x */
    kiln_array *outs2[2] = {A, C};
    ck_assert_int_eq(kiln_eval_many(ctx, 2, es2, outs2), KILN_OK);
    ck_assert_double_eq_tol(a[0], a0 - m, 1e-9);
    ck_assert_double_eq_tol(a[5], a5 - m, 1e-9);
    ck_assert_double_eq(c[5], a5 * a5);
    kiln_expr *all[] = {x, y, two, one, es[0], es[1], mean, cen, sq};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) kiln_expr_free(all[i]);
    kiln_array_free(A);
    kiln_array_free(B);
    kiln_array_free(C);
    free(a), free(b), free(c);
}
END_TEST

/* Edges an embedder meets: a view whose bytes reach past int64 offsets, a scope name no program
 * can write, a config's thread count past kiln_set_num_threads' bound. */
START_TEST(api_edges_are_refused_or_bounded) {
    int64_t n = 4, two = 2, three = 3, eight = 8, back = -8;
    double buf[4] = {0};
    kiln_array *B = kiln_wrap(ctx, KILN_F64, 1, &n, NULL, buf);
    ck_assert_ptr_null(kiln_array_view(ctx, B, 1, &two, &eight, INT64_MAX - 7));
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(ctx), "64-bit byte offsets"));
    kiln_clear_error(ctx);
    ck_assert_ptr_null(kiln_array_view(ctx, B, 1, &three, &back, INT64_MIN + 8));
    kiln_clear_error(ctx);
    kiln_array *v = kiln_array_view(ctx, B, 1, &two, &eight, 16); /* (a fine one) */
    ck_assert_ptr_nonnull(v);
    kiln_array_free(v);
    kiln_scope *sc = kiln_scope_new(ctx);
    ck_assert_int_eq(kiln_scope_set(sc, "", B), KILN_ERR_ARG);
    ck_assert_int_eq(kiln_scope_set(sc, "1abc", B), KILN_ERR_ARG);
    ck_assert_int_eq(kiln_scope_set(sc, "a b", B), KILN_ERR_ARG);
    ck_assert_int_eq(kiln_scope_set(sc, "in", B), KILN_ERR_ARG); /* a keyword: x = in reads nothing */
    ck_assert_int_eq(kiln_scope_set_number(sc, "not", B), KILN_ERR_ARG);
    ck_assert_int_eq(kiln_scope_set(sc, "_w2", B), KILN_OK);
    ck_assert_int_eq(kiln_scope_set(sc, "True", B), KILN_ERR_ARG); /* (a literal: the program never reads the name) */
    ck_assert_int_eq(kiln_scope_set(sc, "None", B), KILN_ERR_ARG);
    ck_assert_int_eq(kiln_scope_set(sc, "\xff\xfe", B), KILN_ERR_ARG); /* not UTF-8 */
    ck_assert_int_eq(kiln_scope_set(sc, "a\xc3", B), KILN_ERR_ARG);
    ck_assert_int_eq(kiln_scope_set(sc, "\xf5\x80\x80", B), KILN_ERR_ARG); /* (no UTF-8 lead byte: 0xF5 and above) */
    ck_assert_int_eq(kiln_scope_set(sc, "\xf8\x88\x80\x80", B), KILN_ERR_ARG);
    ck_assert_int_eq(kiln_scope_set(sc, "\xcc\x81" "a", B), KILN_ERR_ARG); /* a combining mark first */
    ck_assert_int_eq(kiln_scope_set(sc, "x\xc2\xa0", B), KILN_ERR_ARG); /* a no-break space is no letter */
    ck_assert_int_eq(kiln_scope_set(sc, "\xc3\xa9t\xc3\xa9", B), KILN_OK); /* été: a name a program can write and read */
    kiln_expr *e = kiln_parse(ctx, sc, "\xc3\xa9t\xc3\xa9 * 2 + _w2");
    ck_assert_ptr_nonnull(e);
    kiln_expr_free(e);
    kiln_clear_error(ctx);
    kiln_scope_free(sc);
    kiln_config cfg = {.num_threads = 100000};
    kiln_ctx *big = kiln_ctx_new(&cfg);
    ck_assert_int_eq(kiln_num_threads(big), 4096);
    kiln_ctx_free(big);
    kiln_config odd = {.tier = (kiln_tier)99};
    kiln_ctx *c2 = kiln_ctx_new(&odd); /* a tier that is none: the default, and the context says so */
    ck_assert_int_ne(kiln_get_tier(c2), 99);
    ck_assert_int_eq(kiln_errcode(c2), KILN_ERR_ARG);
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(c2), "tier 99"));
    kiln_scope *left = kiln_scope_new(c2); /* a scope left to the context (the sanitizer runs find a leak) */
    ck_assert_int_eq(kiln_scope_set(left, "b", B), KILN_ERR_ARG); /* (B is ctx's: refused, nothing bound) */
    kiln_ctx_free(c2);
    int64_t four = 4, wild = INT64_MAX - 7, wild2[2] = {INT64_MIN / 2, INT64_MIN / 2}, three2[2] = {3, 3};
    ck_assert_ptr_null(kiln_wrap(ctx, KILN_F64, 1, &four, &wild, buf)); /* strides past 64-bit offsets, as kiln_array_view refuses */
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(ctx), "kiln_wrap: the offset and strides reach past 64-bit byte offsets"));
    ck_assert_ptr_null(kiln_wrap(ctx, KILN_F64, 2, three2, wild2, buf));
    kiln_clear_error(ctx);
    ck_assert_ptr_null(kiln_apply(ctx, KILN_OP_ADD, NULL));
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(ctx), "args is NULL"));
    kiln_expr *xs[1] = {kiln_var(ctx, B)};
    ck_assert_int_eq(kiln_eval_many(ctx, 1, xs, NULL), KILN_ERR_ARG);
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(ctx), "outs is NULL"));
    kiln_expr_free(xs[0]);
    ck_assert_int_eq(kiln_get_stats(ctx, NULL), KILN_ERR_ARG);
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(ctx), "out is NULL"));
    kiln_clear_error(ctx);
    kiln_array_free(B);
}
END_TEST

/* A new length, new data and new constant values reuse the compiled kernel. */
START_TEST(cache_reuses_kernels_across_sizes) {
    kiln_stats s0, s1;
    kiln_set_tier(ctx, KILN_TIER_JIT); /* every kernel compiled before its first call */
    int64_t lens[] = {1000, 5000, 7, 100000};
    double cs[] = {2.0, 3.0, -1.5, 2.0};
    for (int k = 0; k < 4; k++) {
        int64_t n = lens[k];
        kiln_array *a = kiln_array_new(ctx, KILN_F64, 1, &n), *b = kiln_array_new(ctx, KILN_F64, 1, &n);
        for (int64_t i = 0; i < n; i++) ((double *)a->data)[i] = (double)i;
        kiln_expr *x = kiln_var(ctx, a), *c = kiln_scalar(ctx, cs[k]), *e = kiln_add(ctx, kiln_mul(ctx, x, c), x);
        ck_assert_int_eq(kiln_eval_into(ctx, e, b), KILN_OK);
        for (int64_t i = 0; i < n; i++) ck_assert_double_eq(((double *)b->data)[i], (double)i * cs[k] + (double)i);
        if (k == 0) kiln_get_stats(ctx, &s0);
        kiln_expr_free(e);
        kiln_expr_free(c);
        kiln_expr_free(x);
        kiln_array_free(a);
        kiln_array_free(b);
    }
    kiln_get_stats(ctx, &s1);
    ck_assert_uint_eq(s0.kernels_compiled, 1);
    ck_assert_uint_eq(s1.kernels_compiled, 1);
    ck_assert_uint_ge(s1.cache_hits, 3);
    ck_assert_uint_eq(s1.evals, 4);
}
END_TEST

START_TEST(scalars_and_empty_arrays) {
    double v = 0.25, r = 0;
    kiln_array *s = kiln_wrap(ctx, KILN_F64, 0, NULL, NULL, &v), *o = kiln_wrap(ctx, KILN_F64, 0, NULL, NULL, &r);
    kiln_expr *x = kiln_var(ctx, s), *e = kiln_sqrt(ctx, x);
    ck_assert_int_eq(kiln_eval_into(ctx, e, o), KILN_OK);
    ck_assert_double_eq(r, 0.5);
    int64_t z[2] = {0, 3};
    kiln_array *emp = kiln_array_new(ctx, KILN_I32, 2, z);
    kiln_expr *y = kiln_var(ctx, emp), *f = kiln_add(ctx, y, kiln_int(ctx, 1));
    kiln_array *res = kiln_eval(ctx, f);
    ck_assert_ptr_nonnull(res);
    ck_assert_int_eq(kiln_array_size(res), 0);
    ck_assert_int_eq(kiln_array_shape(res)[1], 3);
    kiln_array_free(res);
    kiln_expr *es[] = {x, e, y, f};
    for (int i = 0; i < 4; i++) kiln_expr_free(es[i]);
    kiln_array_free(s);
    kiln_array_free(o);
    kiln_array_free(emp);
}
END_TEST

/* Two threads building and evaluating on one context, the same and different expressions. */
typedef struct job {
    kiln_ctx *ctx;
    int id;
    int failures;
} job;

static void *worker(void *p) {
    job *j = p;
    int64_t n = 20000 + j->id * 77;
    for (int round = 0; round < 40; round++) {
        kiln_array *a = kiln_array_new(j->ctx, KILN_F64, 1, &n);
        for (int64_t i = 0; i < n; i++) ((double *)a->data)[i] = (double)(i % 100) * 0.01;
        kiln_expr *x = kiln_var(j->ctx, a);
        kiln_expr *c = kiln_scalar(j->ctx, (double)(round % 3));
        kiln_expr *e = round % 2 ? kiln_mul(j->ctx, kiln_sin(j->ctx, x), kiln_sin(j->ctx, x))
                                 : kiln_add(j->ctx, kiln_mul(j->ctx, x, c), kiln_int(j->ctx, j->id));
        kiln_array *r = kiln_eval(j->ctx, e);
        if (!r) j->failures++;
        for (int64_t i = 0; r && i < n; i++) {
            double xi = (double)(i % 100) * 0.01;
            double want = round % 2 ? sin(xi) * sin(xi) : xi * (double)(round % 3) + j->id;
            if (fabs(((double *)r->data)[i] - want) > 1e-15) {
                j->failures++;
                break;
            }
        }
        kiln_array_free(r);
        kiln_expr_free(e);
        kiln_expr_free(c);
        kiln_expr_free(x);
        kiln_array_free(a);
    }
    return NULL;
}

/* A call with the arrays of the last one replays its launch (no geometry, no kernel lookup):
 * the answers follow the arrays' current values, and a new output, a rebound placeholder, a
 * strided view and an in-place update each get the right answer; every replay counts as an
 * evaluation, a cache hit and a launch. */
START_TEST(replayed_calls) {
    kiln_set_tier(ctx, KILN_TIER_JIT);
    int64_t n = 1000, half = 500;
    kiln_array *A = kiln_array_new(ctx, KILN_F64, 1, &n), *B = kiln_array_new(ctx, KILN_F64, 1, &n);
    kiln_array *O1 = kiln_array_new(ctx, KILN_F64, 1, &n), *O2 = kiln_array_new(ctx, KILN_F64, 1, &n);
    kiln_array *H = kiln_array_new(ctx, KILN_F64, 1, &half);
    double *a = kiln_array_data(A), *b = kiln_array_data(B);
    for (int64_t i = 0; i < n; i++) a[i] = (double)i * 0.5, b[i] = 3.0 - (double)i;
    kiln_expr *p = kiln_param(ctx, KILN_F64, 1, &n), *va = kiln_var(ctx, A);
    kiln_expr *e = kiln_add(ctx, kiln_mul(ctx, va, p), kiln_scalar(ctx, 2.0));
    ck_assert_int_eq(kiln_bind(ctx, p, B), KILN_OK);
    kiln_stats s0, s1;
    kiln_get_stats(ctx, &s0);
    for (int it = 0; it < 12; it++) {
        /* every third call: another output; every fourth: the placeholder bound to A */
        kiln_array *out = it % 3 == 2 ? O2 : O1, *bound = it % 4 == 3 ? A : B;
        ck_assert_int_eq(kiln_bind(ctx, p, bound), KILN_OK);
        a[it] += 1; /* new values in place: the replay reads them */
        ck_assert_int_eq(kiln_eval_into(ctx, e, out), KILN_OK);
        const double *o = kiln_array_data(out), *pb = kiln_array_data(bound);
        for (int64_t i = 0; i < n; i++) ck_assert_double_eq(o[i], a[i] * pb[i] + 2.0);
    }
    kiln_get_stats(ctx, &s1);
    ck_assert_uint_eq(s1.evals - s0.evals, 12);
    ck_assert_uint_eq(s1.runs_compiled + s1.runs_interp - s0.runs_compiled - s0.runs_interp, 12);
    ck_assert_uint_eq(s1.cache_hits + s1.cache_misses - s0.cache_hits - s0.cache_misses, 12);
    /* a strided view as the output, then in place: a = a * a + 2 over A itself */
    kiln_array *V = kiln_array_view(ctx, O1, 1, &half, (int64_t[]){16}, 0);
    kiln_expr *ev = kiln_add(ctx, kiln_mul(ctx, kiln_var(ctx, H), kiln_var(ctx, H)), kiln_scalar(ctx, 2.0));
    double *h = kiln_array_data(H);
    for (int r = 0; r < 3; r++) {
        for (int64_t i = 0; i < half; i++) h[i] = (double)(i + r);
        ck_assert_int_eq(kiln_eval_into(ctx, ev, V), KILN_OK);
        const double *o = kiln_array_data(O1);
        for (int64_t i = 0; i < half; i++) ck_assert_double_eq(o[2 * i], (double)(i + r) * (double)(i + r) + 2.0);
    }
    kiln_expr *sq = kiln_add(ctx, kiln_mul(ctx, va, va), kiln_scalar(ctx, 2.0));
    for (int64_t i = 0; i < n; i++) a[i] = (double)(i % 7);
    for (int r = 0; r < 3; r++) ck_assert_int_eq(kiln_eval_into(ctx, sq, A), KILN_OK);
    for (int64_t i = 0; i < n; i++) {
        double x = (double)(i % 7);
        for (int r = 0; r < 3; r++) x = x * x + 2.0;
        ck_assert_double_eq(a[i], x);
    }
    kiln_expr_free(sq), kiln_expr_free(ev), kiln_expr_free(e), kiln_expr_free(p), kiln_expr_free(va);
    kiln_array *all[] = {A, B, O1, O2, H, V};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) kiln_array_free(all[i]);
}
END_TEST

/* A reduction called again with the same arrays replays its launch too (row form, compiled):
 * answers follow the values changed in place, a rebound placeholder and another output take the
 * full path, kept dims and argmax's index come out right, and every call counts. */
START_TEST(replayed_reductions) {
    kiln_set_tier(ctx, KILN_TIER_JIT);
    int64_t n = 1000, shp[2] = {8, 125};
    kiln_array *A = kiln_array_new(ctx, KILN_F64, 1, &n), *B = kiln_array_new(ctx, KILN_F64, 1, &n);
    kiln_array *S1 = kiln_array_new(ctx, KILN_F64, 0, NULL), *S2 = kiln_array_new(ctx, KILN_F64, 0, NULL);
    kiln_array *I = kiln_array_new(ctx, KILN_I64, 0, NULL), *R = kiln_array_new(ctx, KILN_F64, 1, (int64_t[]){8});
    kiln_array *M = kiln_array_view(ctx, A, 2, shp, (int64_t[]){125 * 8, 8}, 0);
    double *a = kiln_array_data(A), *b = kiln_array_data(B);
    for (int64_t i = 0; i < n; i++) a[i] = (double)(i % 13), b[i] = (double)(i % 5) - 2.0; /* exact sums, any order */
    kiln_expr *p = kiln_param(ctx, KILN_F64, 1, &n), *va = kiln_var(ctx, A);
    kiln_expr *dot = kiln_reduce(ctx, KILN_OP_SUM, kiln_mul(ctx, va, p), KILN_ALL_AXES, 0);
    kiln_expr *am = kiln_reduce(ctx, KILN_OP_ARGMAX, va, KILN_ALL_AXES, 0);
    kiln_expr *rows = kiln_reduce(ctx, KILN_OP_SUM, kiln_var(ctx, M), 1, 0);
    kiln_stats s0, s1;
    kiln_get_stats(ctx, &s0);
    for (int it = 0; it < 12; it++) {
        kiln_array *out = it % 3 == 2 ? S2 : S1, *bound = it % 4 == 3 ? A : B;
        ck_assert_int_eq(kiln_bind(ctx, p, bound), KILN_OK);
        a[(it * 37) % n] += 20; /* new values in place: the replay reads them; a new maximum each time */
        ck_assert_int_eq(kiln_eval_into(ctx, dot, out), KILN_OK);
        const double *pb = kiln_array_data(bound);
        double want = 0, best = -1;
        int64_t at = -1;
        for (int64_t i = 0; i < n; i++) {
            want += a[i] * pb[i];
            if (a[i] > best) best = a[i], at = i;
        }
        ck_assert_double_eq(*(double *)kiln_array_data(out), want);
        ck_assert_int_eq(kiln_eval_into(ctx, am, I), KILN_OK);
        ck_assert_int_eq(*(int64_t *)kiln_array_data(I), at);
        ck_assert_msg(kiln_eval_into(ctx, rows, R) == KILN_OK, "%s", kiln_errmsg(ctx));
        for (int r = 0; r < 8; r++) {
            double w = 0;
            for (int c = 0; c < 125; c++) w += a[r * 125 + c];
            ck_assert_double_eq(((double *)kiln_array_data(R))[r], w);
        }
    }
    kiln_get_stats(ctx, &s1);
    ck_assert_uint_eq(s1.evals - s0.evals, 36);
    ck_assert_uint_eq(s1.runs_compiled + s1.runs_interp - s0.runs_compiled - s0.runs_interp, 36);
    ck_assert_uint_eq(s1.cache_hits + s1.cache_misses - s0.cache_hits - s0.cache_misses, 36);
    kiln_expr_free(rows), kiln_expr_free(am), kiln_expr_free(dot), kiln_expr_free(p), kiln_expr_free(va);
    kiln_array *all[] = {A, B, S1, S2, I, R, M};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) kiln_array_free(all[i]);
}
END_TEST

/* A plan keeps its temporaries for its next run, but the context's plans keep at most 64 MiB of
 * them together (twelve plans of an 8 MB temporary each, as twelve templates of a binding or the
 * statements of a loop, would hold 96 MB); freeing the plans gives the count back. */
START_TEST(spare_temporaries_are_bounded) {
    kiln_scope *sc = kiln_scope_new(ctx);
    int64_t n = 1000000;
    kiln_array *A = kiln_array_new(ctx, KILN_F64, 1, &n);
    double *a = kiln_array_data(A);
    for (int64_t i = 0; i < n; i++) a[i] = (double)(i % 7);
    ck_assert_int_eq(kiln_scope_set(sc, "a", A), KILN_OK);
    kiln_expr *e[12];
    kiln_stats s;
    for (int k = 0; k < 12; k++) {
        char text[32];
        snprintf(text, sizeof text, "cumsum(a) + %d", k); /* the scan's result: a temporary of 8 MB */
        ck_assert_ptr_nonnull(e[k] = kiln_parse(ctx, sc, text));
        kiln_array *r = kiln_eval(ctx, e[k]);
        ck_assert_ptr_nonnull(r);
        ck_assert_double_eq(((double *)kiln_array_data(r))[n - 1], 2999997.0 + k); /* the sum of i % 7 */
        kiln_array_free(r);
        kiln_get_stats(ctx, &s);
        ck_assert_uint_eq(s.spare_bytes, (k < 8 ? k + 1 : 8) * (uint64_t)n * 8);
    }
    for (int k = 0; k < 12; k++) kiln_expr_free(e[k]);
    kiln_get_stats(ctx, &s);
    ck_assert_uint_eq(s.spare_bytes, 0);
    kiln_array_free(A);
    kiln_scope_free(sc);
}
END_TEST

START_TEST(two_threads_one_context) {
    pthread_t th[2];
    job jobs[2] = {{ctx, 0, 0}, {ctx, 1, 0}};
    for (int i = 0; i < 2; i++) pthread_create(&th[i], NULL, worker, &jobs[i]);
    for (int i = 0; i < 2; i++) pthread_join(th[i], NULL);
    ck_assert_int_eq(jobs[0].failures, 0);
    ck_assert_int_eq(jobs[1].failures, 0);
    kiln_stats st;
    kiln_get_stats(ctx, &st);
    ck_assert_uint_le(st.kernels_compiled, 4); /* two structures (the int constant is typed per thread... at most 4) */
}
END_TEST

Suite *suite_api(void) {
    Suite *s = suite_create("api");
    TCase *t = tcase_create("contracts");
    tcase_set_timeout(t, 300);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, null_and_bad_arguments);
    tcase_add_test(t, builders_refuse_what_does_not_fit);
    tcase_add_test(t, first_error_survives_nesting);
    tcase_add_test(t, eval_many_outputs_that_are_inputs);
    tcase_add_test(t, api_edges_are_refused_or_bounded);
    tcase_add_test(t, output_checks_and_contexts);
    tcase_add_test(t, cache_reuses_kernels_across_sizes);
    tcase_add_test(t, scalars_and_empty_arrays);
    tcase_add_test(t, replayed_calls);
    tcase_add_test(t, replayed_reductions);
    tcase_add_test(t, spare_temporaries_are_bounded);
    tcase_add_test(t, two_threads_one_context);
    tcase_add_test(t, one_array_under_two_names_is_one_placeholder);
    suite_add_tcase(s, t);
    return s;
}
