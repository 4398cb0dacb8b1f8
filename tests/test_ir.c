/*
 * test_ir.c — the graph: hash-consing (CSE), type rules, broadcasting, folding,
 * simplification, fusion structure, and node lifetimes.
 */
#include "helpers.h"

static kiln_ctx *ctx;
static double buf_a[64], buf_b[64], buf_c[64];
static int32_t buf_i[64];
static float buf_f[64];
static uint8_t buf_bool[64];

static void setup(void) { ctx = kiln_ctx_new(NULL); }
static void teardown(void) { kiln_ctx_free(ctx); }

static kiln_array *arr(kiln_dtype dt, int ndim, const int64_t *shape) {
    void *p = dt == KILN_F64 ? (void *)buf_a : dt == KILN_I32 ? (void *)buf_i : dt == KILN_F32 ? (void *)buf_f
            : dt == KILN_BOOL ? (void *)buf_bool : (void *)buf_b;
    return kiln_wrap(ctx, dt, ndim, shape, NULL, p);
}

/* Counts lines of text containing word. */
static int count_in(const char *text, const char *word) {
    int n = 0;
    for (const char *p = text; (p = strstr(p, word)); p += strlen(word)) n++;
    return n;
}

START_TEST(cse_sin_twice_is_one_node) {
    int64_t n = 8;
    kiln_array *a = arr(KILN_F64, 1, &n);
    kiln_expr *x1 = kiln_var(ctx, a), *x2 = kiln_var(ctx, a);
    ck_assert_ptr_eq(x1, x2);
    kiln_expr *s1 = kiln_sin(ctx, x1), *s2 = kiln_sin(ctx, x2);
    ck_assert_ptr_eq(s1, s2);
    kiln_expr *y = kiln_mul(ctx, s1, s2);
    char *g = kiln_dump(ctx, y, KILN_DUMP_GRAPH);
    ck_assert_int_eq(count_in(g, "= sin"), 1);
    kiln_string_free(g);
    /* one kernel, calling sin once per element: libmvec's in the vector loop and in the tail
     * (the scalar padded to a register: its bits as the vector loop's), never libm's */
    char *k = dump_kernels(ctx, y);
    ck_assert_int_eq(count_in(k, "kernel:"), 1);
    ck_assert_int_eq(count_in(k, "= sin"), 1);
    if (uses_llvm(ctx)) {
        ck_assert_int_eq(count_in(k, "call <8 x double> @_ZGVeN8v_sin") + count_in(k, "call <4 x double> @_ZGVdN4v_sin"), 2);
        ck_assert_int_eq(count_in(k, "call double @sin("), 0);
    }
    kiln_string_free(k);
    kiln_expr *all[] = {y, s1, s2, x1, x2};
    for (int i = 0; i < 5; i++) kiln_expr_free(all[i]);
    kiln_array_free(a);
}
END_TEST

START_TEST(fma_shape_is_one_kernel) {
    int64_t n = 16;
    kiln_array *A = kiln_wrap(ctx, KILN_F64, 1, &n, NULL, buf_a), *B = kiln_wrap(ctx, KILN_F64, 1, &n, NULL, buf_b),
               *C = kiln_wrap(ctx, KILN_F64, 1, &n, NULL, buf_c);
    kiln_expr *a = kiln_var(ctx, A), *b = kiln_var(ctx, B), *c = kiln_var(ctx, C);
    kiln_expr *ab = kiln_mul(ctx, a, b), *y = kiln_add(ctx, ab, c);
    char *k = dump_kernels(ctx, y);
    ck_assert_int_eq(count_in(k, "kernel:"), 1);
    ck_assert_int_eq(count_in(k, "3 inputs"), 1);
    if (uses_llvm(ctx)) {
        ck_assert_int_eq(count_in(k, "fmul <8 x double>") + count_in(k, "fmul <4 x double>"), 1); /* AVX-512 or AVX2 */
        ck_assert_int_eq(count_in(k, "fadd <8 x double>") + count_in(k, "fadd <4 x double>"), 1);
        ck_assert_int_eq(count_in(k, "llvm.fma"), 0); /* NumPy does not contract a*b+c */
    }
    kiln_string_free(k);
    kiln_expr *all[] = {y, ab, a, b, c};
    for (int i = 0; i < 5; i++) kiln_expr_free(all[i]);
    kiln_array_free(A);
    kiln_array_free(B);
    kiln_array_free(C);
}
END_TEST

/* NumPy 2 / NEP 50 promotion: (left, right or weak scalar kind, expected). */
START_TEST(type_promotion_table) {
    int64_t n = 4;
    kiln_dtype dts[] = {KILN_BOOL, KILN_I32, KILN_I64, KILN_F32, KILN_F64};
    /* array ⊕ array, NumPy's table for these five dtypes */
    static const kiln_dtype want[5][5] = {
        {KILN_BOOL, KILN_I32, KILN_I64, KILN_F32, KILN_F64},
        {KILN_I32, KILN_I32, KILN_I64, KILN_F64, KILN_F64},
        {KILN_I64, KILN_I64, KILN_I64, KILN_F64, KILN_F64},
        {KILN_F32, KILN_F64, KILN_F64, KILN_F32, KILN_F64},
        {KILN_F64, KILN_F64, KILN_F64, KILN_F64, KILN_F64},
    };
    /* array ⊕ Python bool / int / float */
    static const kiln_dtype want_weak[5][3] = {
        {KILN_BOOL, KILN_I64, KILN_F64}, {KILN_I32, KILN_I32, KILN_F64}, {KILN_I64, KILN_I64, KILN_F64},
        {KILN_F32, KILN_F32, KILN_F32},  {KILN_F64, KILN_F64, KILN_F64},
    };
    for (int i = 0; i < 5; i++) {
        kiln_array *ai = arr(dts[i], 1, &n);
        kiln_expr *x = kiln_var(ctx, ai);
        for (int j = 0; j < 5; j++) {
            int64_t n2 = 4;
            static char other[64];
            kiln_array *aj = kiln_wrap(ctx, dts[j], 1, &n2, NULL, other);
            kiln_expr *y = kiln_var(ctx, aj), *s = kiln_add(ctx, x, y);
            ck_assert_msg(s, "%s + %s: %s", kiln_dtype_name(dts[i]), kiln_dtype_name(dts[j]), kiln_errmsg(ctx));
            ck_assert_int_eq(kiln_expr_dtype(s), want[i][j]);
            kiln_expr_free(s);
            kiln_expr_free(y);
            kiln_array_free(aj);
        }
        kiln_expr *w[3] = {kiln_bool(ctx, 1), kiln_int(ctx, 3), kiln_scalar(ctx, 1.5)};
        for (int k = 0; k < 3; k++) {
            kiln_expr *s = kiln_add(ctx, x, w[k]), *s2 = kiln_add(ctx, w[k], x);
            ck_assert_int_eq(kiln_expr_dtype(s), want_weak[i][k]);
            ck_assert_int_eq(kiln_expr_dtype(s2), want_weak[i][k]);
            kiln_expr_free(s);
            kiln_expr_free(s2);
            kiln_expr_free(w[k]);
        }
        kiln_expr_free(x);
        kiln_array_free(ai);
    }
}
END_TEST

/* dtype_promote against NumPy 2's np.promote_types(a, b), in kiln_dtype's order */
START_TEST(promotion_is_numpys) {
    enum { B = KILN_BOOL, I32 = KILN_I32, I64 = KILN_I64, F32 = KILN_F32, F64 = KILN_F64,
           U8 = KILN_U8, I8 = KILN_I8, I16 = KILN_I16, U16 = KILN_U16, U32 = KILN_U32 };
    static const int want[KILN_DTYPE_COUNT][KILN_DTYPE_COUNT] = {
        {B, I32, I64, F32, F64, U8, I8, I16, U16, U32},
        {I32, I32, I64, F64, F64, I32, I32, I32, I32, I64},
        {I64, I64, I64, F64, F64, I64, I64, I64, I64, I64},
        {F32, F64, F64, F32, F64, F32, F32, F32, F32, F64},
        {F64, F64, F64, F64, F64, F64, F64, F64, F64, F64},
        {U8, I32, I64, F32, F64, U8, I16, I16, U16, U32},
        {I8, I32, I64, F32, F64, I16, I8, I16, I32, I64},
        {I16, I32, I64, F32, F64, I16, I16, I16, I32, I64},
        {U16, I32, I64, F32, F64, U16, I32, I32, U16, U32},
        {U32, I64, I64, F64, F64, U32, I64, I64, U32, U32},
    };
    for (int a = 0; a < KILN_DTYPE_COUNT; a++)
        for (int b = 0; b < KILN_DTYPE_COUNT; b++)
            ck_assert_msg((int)dtype_promote((kiln_dtype)a, (kiln_dtype)b) == want[a][b], "%s and %s give %s", kiln_dtype_name((kiln_dtype)a),
                          kiln_dtype_name((kiln_dtype)b), kiln_dtype_name(dtype_promote((kiln_dtype)a, (kiln_dtype)b)));
    /* float functions: float32 up to 2-byte integers (NumPy: float16 for 1 byte), float64 beyond */
    ck_assert_int_eq(dtype_float_of(KILN_I16), KILN_F32);
    ck_assert_int_eq(dtype_float_of(KILN_U16), KILN_F32);
    ck_assert_int_eq(dtype_float_of(KILN_I8), KILN_F32);
    ck_assert_int_eq(dtype_float_of(KILN_U32), KILN_F64);
}
END_TEST

START_TEST(result_dtypes_of_op_kinds) {
    int64_t n = 4;
    kiln_array *I = arr(KILN_I32, 1, &n), *F = arr(KILN_F32, 1, &n), *Bo = arr(KILN_BOOL, 1, &n);
    kiln_expr *i = kiln_var(ctx, I), *f = kiln_var(ctx, F), *b = kiln_var(ctx, Bo);
    struct { kiln_expr *e; kiln_dtype want; } cases[] = {
        {kiln_div(ctx, i, i), KILN_F64},     {kiln_div(ctx, f, f), KILN_F32},
        {kiln_sin(ctx, i), KILN_F64},        {kiln_sin(ctx, f), KILN_F32},
        {kiln_sqrt(ctx, b), KILN_F32},       {kiln_lt(ctx, i, f), KILN_BOOL},
        {kiln_floor(ctx, i), KILN_I32},      {kiln_abs(ctx, b), KILN_BOOL},
        {kiln_floordiv(ctx, i, i), KILN_I32}, {kiln_where(ctx, b, i, f), KILN_F64},
        {kiln_and(ctx, b, b), KILN_BOOL},    {kiln_cast(ctx, f, KILN_I64), KILN_I64},
        {kiln_floordiv(ctx, b, b), KILN_I8}, {kiln_left_shift(ctx, b, b), KILN_I8}, /* (NumPy's loops for bools are int8's) */
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        ck_assert_msg(cases[k].e, "case %zu: %s", k, kiln_errmsg(ctx));
        ck_assert_int_eq(kiln_expr_dtype(cases[k].e), cases[k].want);
        kiln_expr_free(cases[k].e);
    }
    kiln_expr_free(i);
    kiln_expr_free(f);
    kiln_expr_free(b);
    kiln_array_free(I);
    kiln_array_free(F);
    kiln_array_free(Bo);
}
END_TEST

/* Dtype errors, as a table: the builder, the words the message must contain. */
START_TEST(dtype_errors) {
    int64_t n = 4;
    kiln_array *I = arr(KILN_I32, 1, &n), *F = arr(KILN_F64, 1, &n), *Bo = arr(KILN_BOOL, 1, &n);
    kiln_expr *i = kiln_var(ctx, I), *f = kiln_var(ctx, F), *b = kiln_var(ctx, Bo);
    kiln_expr *big = kiln_int(ctx, (int64_t)1 << 40), *neg = kiln_int(ctx, -2);
    struct { kiln_expr *e; const char *words; } cases[] = {
        {kiln_and(ctx, f, f), "bitwise_and"},
        {kiln_invert(ctx, f), "invert"},
        {kiln_sub(ctx, b, b), "boolean subtract"},
        {kiln_neg(ctx, b), "negative"},
        {kiln_add(ctx, i, big), "out of bounds for int32"},
        {kiln_pow(ctx, i, neg), "negative integer powers"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        ck_assert_msg(cases[k].e == NULL, "case %zu should fail", k);
        /* each builder call replaced the error, so only the last is checked by message */
    }
    kiln_expr *e = kiln_add(ctx, i, big);
    ck_assert_ptr_null(e);
    ck_assert_int_eq(kiln_errcode(ctx), KILN_ERR_DTYPE);
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(ctx), cases[4].words));
    e = kiln_and(ctx, f, f);
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(ctx), "bitwise_and"));
    e = kiln_sub(ctx, b, b);
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(ctx), "boolean subtract"));
    kiln_expr *all[] = {i, f, b, big, neg};
    for (int k = 0; k < 5; k++) kiln_expr_free(all[k]);
    kiln_array_free(I);
    kiln_array_free(F);
    kiln_array_free(Bo);
}
END_TEST

START_TEST(broadcasting_shapes) {
    int64_t s31[2] = {3, 1}, s4[1] = {4}, s3[1] = {3}, s234[3] = {2, 3, 4};
    kiln_array *A = arr(KILN_F64, 2, s31), *B = arr(KILN_F64, 1, s4), *C = arr(KILN_F64, 1, s3), *D = arr(KILN_F64, 3, s234);
    kiln_expr *a = kiln_var(ctx, A), *b = kiln_var(ctx, B), *c = kiln_var(ctx, C), *d = kiln_var(ctx, D);
    kiln_expr *ab = kiln_add(ctx, a, b);
    ck_assert_int_eq(kiln_expr_ndim(ab), 2);
    ck_assert_int_eq(kiln_expr_shape(ab)[0], 3);
    ck_assert_int_eq(kiln_expr_shape(ab)[1], 4);
    kiln_expr *abd = kiln_mul(ctx, ab, d);
    ck_assert_int_eq(kiln_expr_ndim(abd), 3);
    ck_assert_ptr_null(kiln_add(ctx, b, c));
    ck_assert_int_eq(kiln_errcode(ctx), KILN_ERR_SHAPE);
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(ctx), "could not be broadcast together with shapes (4,) (3,)"));
    kiln_expr *all[] = {a, b, c, d, ab, abd};
    for (int k = 0; k < 6; k++) kiln_expr_free(all[k]);
    kiln_array *arrs[] = {A, B, C, D};
    for (int k = 0; k < 4; k++) kiln_array_free(arrs[k]);
}
END_TEST

START_TEST(constant_folding_and_weakness) {
    kiln_expr *two = kiln_int(ctx, 2), *three = kiln_int(ctx, 3), *s = kiln_add(ctx, two, three);
    ck_assert_int_eq(kiln_expr_op(s), KILN_OP_CONST);
    ck_assert_int_eq(s->val.i64, 5);
    ck_assert(s->weak); /* Python int + Python int stays a Python int */
    kiln_expr *sn = kiln_sin(ctx, two);
    ck_assert_int_eq(kiln_expr_op(sn), KILN_OP_CONST);
    ck_assert(!sn->weak); /* np.sin(2) is a float64 scalar, not a Python float */
    ck_assert_double_eq(sn->val.f64, sin(2.0));
    kiln_expr *q = kiln_floordiv(ctx, kiln_int(ctx, -7), two);
    ck_assert_int_eq(q->val.i64, -4);
    kiln_expr_free(q);
    kiln_expr_free(s);
    kiln_expr_free(sn);
    kiln_expr_free(two);
    kiln_expr_free(three);
}
END_TEST

START_TEST(ieee_safe_simplification) {
    int64_t n = 4;
    kiln_array *F = arr(KILN_F64, 1, &n), *I = arr(KILN_I32, 1, &n);
    kiln_expr *x = kiln_var(ctx, F), *i = kiln_var(ctx, I);
    kiln_expr *one = kiln_scalar(ctx, 1.0), *zero = kiln_scalar(ctx, 0.0), *mzero = kiln_scalar(ctx, -0.0);
    kiln_expr *two = kiln_int(ctx, 2), *half = kiln_scalar(ctx, 0.5);
    kiln_expr *e1 = kiln_mul(ctx, x, one);
    ck_assert_ptr_eq(e1, x);                           /* x*1 is x */
    kiln_expr *e2 = kiln_add(ctx, x, zero);
    ck_assert_ptr_ne(e2, x);                           /* x+0 is not x: -0+0 = +0 */
    kiln_expr *e3 = kiln_add(ctx, x, mzero);
    ck_assert_ptr_eq(e3, x);                           /* x+(-0) is x */
    kiln_expr *e4 = kiln_pow(ctx, x, two);
    ck_assert_int_eq(kiln_expr_op(e4), KILN_OP_MUL);   /* NumPy's x**2 is square */
    kiln_expr *e5 = kiln_pow(ctx, x, half);
    ck_assert_int_eq(kiln_expr_op(e5), KILN_OP_WHERE); /* pow(x, 0.5): sqrt, with pow's -0.0 and -inf */
    kiln_expr *e6 = kiln_mul(ctx, i, one);
    ck_assert_int_eq(kiln_expr_dtype(e6), KILN_F64);   /* i32 * 1.0 is float64: not i */
    kiln_expr *e7 = kiln_neg(ctx, kiln_neg(ctx, x));
    ck_assert_ptr_eq(e7, x);
    kiln_expr *all[] = {e1, e2, e3, e4, e5, e6, e7, one, zero, mzero, two, half, x, i};
    for (size_t k = 0; k < sizeof all / sizeof *all; k++) kiln_expr_free(all[k]);
    /* e7's inner negation was never freed by the caller: the context reclaims it */
    kiln_array_free(F);
    kiln_array_free(I);
}
END_TEST

START_TEST(nodes_are_reclaimed) {
    int64_t n = 4;
    kiln_stats s0, s1;
    kiln_get_stats(ctx, &s0);
    kiln_array *F = arr(KILN_F64, 1, &n);
    kiln_expr *x = kiln_var(ctx, F);
    kiln_expr *e = kiln_tanh(ctx, kiln_add(ctx, kiln_sin(ctx, x), kiln_cos(ctx, x)));
    /* the inner builders' results are owned by their parents plus one leaked handle each;
     * dropping the handles we do hold and evaluating once must still not crash */
    kiln_array *r = kiln_eval(ctx, e);
    ck_assert_ptr_nonnull(r);
    kiln_array_free(r);
    kiln_expr_free(e);
    kiln_expr_free(x);
    kiln_get_stats(ctx, &s1);
    ck_assert_uint_ge(s1.nodes, s0.nodes); /* leaked handles keep sin, cos, add alive */
    kiln_expr *y = kiln_var(ctx, F);
    kiln_expr *z = kiln_exp(ctx, y);
    kiln_expr_free(z);
    kiln_expr_free(y);
    kiln_stats s2;
    kiln_get_stats(ctx, &s2);
    ck_assert_uint_eq(s2.nodes, s1.nodes); /* var and exp came and went */
    kiln_array_free(F);
}
END_TEST

/* A 3000-deep chain: printing, fusing and compiling do not recurse on the C stack. */
START_TEST(deep_chains) {
    int64_t n = 40;
    for (int i = 0; i < 40; i++) buf_a[i] = i;
    kiln_array *F = arr(KILN_F64, 1, &n);
    kiln_expr *x = kiln_var(ctx, F), *y = kiln_expr_retain(x), *c = kiln_scalar(ctx, 0.5);
    for (int i = 0; i < 3000; i++) {
        kiln_expr *t = kiln_add(ctx, (i % 2) ? kiln_mul(ctx, y, c) : y, x);
        if (i % 2) kiln_expr_free(ir_arg(t, 0)); /* the multiply's handle; t keeps it alive */
        kiln_expr_free(y);
        y = t;
    }
    char *g = kiln_dump(ctx, y, KILN_DUMP_GRAPH | KILN_DUMP_KERNELS);
    ck_assert_ptr_nonnull(g);
    ck_assert_int_eq(count_in(g, "= add"), 2 * 3000); /* in the graph and in the kernel */
    kiln_string_free(g);
    char msg[256] = "";
    ck_assert_msg(jit_vs_ref(ctx, y, 0, msg, sizeof msg) == 0, "%s", msg);
    kiln_expr_free(y);
    kiln_expr_free(x);
    kiln_expr_free(c);
    kiln_array_free(F);
}
END_TEST

Suite *suite_ir(void) {
    Suite *s = suite_create("ir");
    TCase *t = tcase_create("graph");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, cse_sin_twice_is_one_node);
    tcase_add_test(t, fma_shape_is_one_kernel);
    tcase_add_test(t, type_promotion_table);
    tcase_add_test(t, result_dtypes_of_op_kinds);
    tcase_add_test(t, promotion_is_numpys);
    tcase_add_test(t, dtype_errors);
    tcase_add_test(t, broadcasting_shapes);
    tcase_add_test(t, constant_folding_and_weakness);
    tcase_add_test(t, ieee_safe_simplification);
    tcase_add_test(t, nodes_are_reclaimed);
    tcase_add_test(t, deep_chains);
    suite_add_tcase(s, t);
    return s;
}
