/*
 * test_frontend.c — expression strings: Python's precedence (every expression against its
 * fully parenthesized form: hash-consing makes equal structure the same node), literals,
 * functions and constructors, .T, and a table of errors with their offsets and words.
 */
#include "helpers.h"

static kiln_ctx *ctx;
static kiln_scope *scope;
static int64_t ibuf[4][12];
static double fbuf[4][12];

static void setup(void) {
    ctx = kiln_ctx_new(NULL);
    scope = kiln_scope_new(ctx);
    int64_t n = 12, s3 = 3, s4 = 4, m[2] = {3, 4};
    const char *inames[] = {"a", "b", "c", "d"}, *fnames[] = {"x", "y", "z", "w"};
    for (int i = 0; i < 4; i++) {
        for (int k = 0; k < 12; k++) {
            ibuf[i][k] = k * (i + 1) - 5;
            fbuf[i][k] = (k - 6) * 0.25 * (i + 1);
        }
        kiln_array *ai = kiln_wrap(ctx, KILN_I64, 1, &n, NULL, ibuf[i]), *af = kiln_wrap(ctx, KILN_F64, 1, &n, NULL, fbuf[i]);
        kiln_scope_set(scope, inames[i], ai);
        kiln_scope_set(scope, fnames[i], af);
        kiln_array_free(ai);
        kiln_array_free(af);
    }
    kiln_array *v3 = kiln_wrap(ctx, KILN_F64, 1, &s3, NULL, fbuf[0]), *v4 = kiln_wrap(ctx, KILN_F64, 1, &s4, NULL, fbuf[1]);
    kiln_array *M = kiln_wrap(ctx, KILN_F64, 2, m, NULL, fbuf[2]);
    kiln_scope_set(scope, "s3", v3);
    kiln_scope_set(scope, "s4", v4);
    kiln_scope_set(scope, "M", M);
    kiln_array_free(v3);
    kiln_array_free(v4);
    kiln_array_free(M);
}
static void teardown(void) {
    kiln_scope_free(scope);
    kiln_ctx_free(ctx);
}

/* Each expression and its fully parenthesized meaning under Python's rules. */
static const char *const precedence[][2] = {
    {"a+b*c", "a+(b*c)"},           {"a*b+c", "(a*b)+c"},           {"a-b-c", "(a-b)-c"},
    {"a-b+c", "(a-b)+c"},           {"x/y/z", "(x/y)/z"},           {"a//b//c", "(a//b)//c"},
    {"a%b*c", "(a%b)*c"},           {"a//b%c", "(a//b)%c"},         {"x**y**z", "x**(y**z)"},
    {"-x**2", "-(x**2)"},           {"-x*y", "(-x)*y"},             {"x*-y", "x*(-y)"},
    {"x**-y", "x**(-y)"},           {"-x**-y", "-(x**(-y))"},       {"~a&b", "(~a)&b"},
    {"a&b|c", "(a&b)|c"},           {"a|b&c", "a|(b&c)"},           {"a^b&c", "a^(b&c)"},
    {"a|b^c", "a|(b^c)"},           {"a|b^c&d", "a|(b^(c&d))"},     {"a&b==c", "(a&b)==c"},
    {"a==b|c", "a==(b|c)"},         {"a+b<c*d", "(a+b)<(c*d)"},     {"a<b+c", "a<(b+c)"},
    {"a&b+c", "a&(b+c)"},           {"a+b&c+d", "(a+b)&(c+d)"},     {"x>=y-z", "x>=(y-z)"},
    {"sin(x)**2", "(sin(x))**2"},   {"-sin(x)", "-(sin(x))"},       {"x*y**2", "x*(y**2)"},
    {"M.T*2", "(M.T)*2"},           {"-M.T", "-(M.T)"},             {"x+y*z-w", "(x+(y*z))-w"},
    {"2*x+1", "((2*x)+1)"},         {"x/2/y", "((x/2)/y)"},         {"a%3==0", "(a%3)==0"},
    {"~a|~b", "(~a)|(~b)"},         {"-(-x)", "x"},                 {"+x", "x"},
    {"x**2**-1", "x**(2**(-1))"},   {"where(x>0,x,-x)", "where((x>0),x,(-x))"},
    {"maximum(x,y)*2", "(maximum(x,y))*2"}, {"a!=b&c", "a!=(b&c)"},
    {"M@s4+1", "(M@s4)+1"},         {"2*M@s4", "(2*M)@s4"},         {"M@s4*2", "(M@s4)*2"},
    {"-M@s4", "(-M)@s4"},           {"M.T@M", "(M.T)@M"},           {"sum(x)*2", "(sum(x))*2"},
    {"x-max(x,0)", "x-(max(x,0))"}, {"sum(x,axis=0,keepdims=False)", "sum(x,0)"},
};

START_TEST(python_precedence) {
    for (size_t i = 0; i < sizeof precedence / sizeof *precedence; i++) {
        kiln_expr *e = kiln_parse(ctx, scope, precedence[i][0]);
        ck_assert_msg(e, "%s: %s", precedence[i][0], kiln_errmsg(ctx));
        kiln_expr *f = kiln_parse(ctx, scope, precedence[i][1]);
        ck_assert_msg(f, "%s: %s", precedence[i][1], kiln_errmsg(ctx));
        ck_assert_msg(e == f, "'%s' does not mean '%s'", precedence[i][0], precedence[i][1]);
        kiln_expr_free(e);
        kiln_expr_free(f);
    }
}
END_TEST

START_TEST(literals_and_constants) {
    struct { const char *src; double v; kiln_dtype dt; } cases[] = {
        {"1.", 1.0, KILN_F64}, {".5", 0.5, KILN_F64}, {"1e-3", 1e-3, KILN_F64}, {"1E+10", 1e10, KILN_F64},
        {"1_000", 1000, KILN_I64}, {"-2**2", -4, KILN_I64}, {"2**-1", 0.5, KILN_F64}, {"7//2", 3, KILN_I64},
        {"-7//2", -4, KILN_I64}, {"-7%3", 2, KILN_I64}, {"True", 1, KILN_BOOL}, {"False|True", 1, KILN_BOOL},
        {"float32(1.5)", 1.5, KILN_F32}, {"int32(7.9)", 7, KILN_I32}, {"sqrt(16)", 4, KILN_F64},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        kiln_expr *e = kiln_parse(ctx, scope, cases[i].src);
        ck_assert_msg(e, "%s: %s", cases[i].src, kiln_errmsg(ctx));
        double v;
        ck_assert_msg(kiln_expr_scalar(e, &v, NULL), "%s is not folded", cases[i].src);
        ck_assert_msg(v == cases[i].v, "%s = %g, want %g", cases[i].src, v, cases[i].v);
        ck_assert_int_eq(kiln_expr_dtype(e), cases[i].dt);
        kiln_expr_free(e);
    }
}
END_TEST

START_TEST(constructors_and_transpose) {
    kiln_expr *e = kiln_parse(ctx, scope, "zeros((2, 3)) + ones((2, 3)) + arange(3)");
    ck_assert_msg(e, "%s", kiln_errmsg(ctx));
    kiln_array *r = kiln_eval(ctx, e);
    ck_assert_int_eq(kiln_array_ndim(r), 2);
    double *d = kiln_array_data(r);
    for (int i = 0; i < 6; i++) ck_assert_double_eq(d[i], 1 + i % 3);
    kiln_array_free(r);
    kiln_expr_free(e);
    e = kiln_parse(ctx, scope, "linspace(0, 1, 5)");
    r = kiln_eval(ctx, e);
    d = kiln_array_data(r);
    ck_assert_double_eq(d[1], 0.25);
    ck_assert_double_eq(d[4], 1.0);
    kiln_array_free(r);
    kiln_expr_free(e);
    e = kiln_parse(ctx, scope, "arange(1, 10, 3)");
    ck_assert_int_eq(kiln_expr_dtype(e), KILN_I64);
    ck_assert_int_eq(kiln_expr_shape(e)[0], 3);
    kiln_expr_free(e);
    /* rand is uniform in [0, 1) and repeats under the same seed */
    kiln_scope_seed(scope, 42);
    kiln_expr *r1 = kiln_parse(ctx, scope, "rand(1000)");
    kiln_scope_seed(scope, 42);
    kiln_expr *r2 = kiln_parse(ctx, scope, "rand(1000)");
    kiln_array *a1 = kiln_eval(ctx, r1), *a2 = kiln_eval(ctx, r2);
    double mean = 0;
    for (int i = 0; i < 1000; i++) {
        double v = ((double *)kiln_array_data(a1))[i];
        ck_assert(v >= 0 && v < 1);
        ck_assert_double_eq(v, ((double *)kiln_array_data(a2))[i]);
        mean += v / 1000;
    }
    ck_assert(mean > 0.45 && mean < 0.55);
    kiln_array_free(a1);
    kiln_array_free(a2);
    kiln_expr_free(r1);
    kiln_expr_free(r2);
    /* (M*2 + s4).T reads M and s4 transposed: element [j][i] of the original */
    e = kiln_parse(ctx, scope, "(M*2 + s4).T");
    ck_assert_msg(e, "%s", kiln_errmsg(ctx));
    ck_assert_int_eq(kiln_expr_shape(e)[0], 4);
    ck_assert_int_eq(kiln_expr_shape(e)[1], 3);
    r = kiln_eval(ctx, e);
    d = kiln_array_data(r);
    for (int j = 0; j < 4; j++)
        for (int i = 0; i < 3; i++) ck_assert_double_eq(d[j * 3 + i], fbuf[2][i * 4 + j] * 2 + fbuf[1][j]);
    kiln_array_free(r);
    kiln_expr_free(e);
}
END_TEST

/* Errors: source, offset of the token it is about, words the message must contain. */
static const struct {
    const char *src;
    int64_t off;
    kiln_status st;
    const char *words;
} errors[] = {
    {"a +", 3, KILN_ERR_SYNTAX, "expected an expression, found end of input"},
    {"a + * b", 4, KILN_ERR_SYNTAX, "expected an expression, found '*'"},
    {"foo(a)", 0, KILN_ERR_NAME, "unknown function 'foo'"},
    {"q + 1", 0, KILN_ERR_NAME, "name 'q' is not defined"},
    {"x + undefined_name", 4, KILN_ERR_NAME, "'undefined_name' is not defined"},
    {"sin(a, b, a)", 10, KILN_ERR_ARG, "takes at most 2 positional arguments but 3 were given"},
    {"sin(a, b)", 7, KILN_ERR_ARG, "out= writes into an array, which kiln does in a statement of one call"}, /* (b: np.sin's out) */
    {"where(x, y)", 0, KILN_ERR_ARG, "either both or neither of x and y should be given"},
    {"a + (b", 6, KILN_ERR_SYNTAX, "expected ')'"},
    {"a $ b", 2, KILN_ERR_SYNTAX, "invalid character"},
    {"a ! b", 2, KILN_ERR_SYNTAX, "'!' is not an operator"},
    {"x & y", 2, KILN_ERR_DTYPE, "bitwise_and"},
    {"a[0, 0]", 1, KILN_ERR_INDEX, "too many indices"},
    {"a < b < c", 2, KILN_ERR_ARG, "truth value of an array with more than one element is ambiguous"},
    {"a and b", 0, KILN_ERR_ARG, "truth value of an array with more than one element is ambiguous"},
    {"not a", 4, KILN_ERR_ARG, "truth value"},
    {"1.5e", 3, KILN_ERR_SYNTAX, "malformed exponent"},
    {"3j", 1, KILN_ERR_SYNTAX, "complex"},
    {"'abc'", 0, KILN_ERR_ARG, "not a string"},
    {"zeros(-1)", 6, KILN_ERR_SHAPE, "negative"},
    {"zeros(x)", 6, KILN_ERR_SHAPE, "more than 8 dimensions"}, /* (x, read as a shape, has 10 elements) */
    {"stack([M, M], axis=3)", 0, KILN_ERR_ARG, "stack: axis 3 is out of bounds for array of dimension 3"},
    {"stack([zeros((1, 1, 1, 1, 1, 1, 1, 2))] * 2)", 0, KILN_ERR_ARG, "stack: the result would have more than 8 dimensions"},
    {"array([zeros((1, 1, 1, 1, 1, 1, 1, 2))] * 2)", 40, KILN_ERR_ARG, "the array would have more than 8 dimensions"},
    {"load('/nonexistent/a.npy')", 5, KILN_ERR_IO, "No such file"},
    {"s3 + s4", 3, KILN_ERR_SHAPE, "could not be broadcast together with shapes (3,) (4,)"},
    {"12345678901234567890", 0, KILN_ERR_SYNTAX, "too large"},
    {"M @ M", 2, KILN_ERR_SHAPE, "not aligned"},
    {"sum(a, 1)", 7, KILN_ERR_ARG, "axis 1 is out of bounds"},
    {"max(a, axis=0.5)", 12, KILN_ERR_ARG, "cannot be interpreted as an integer (max()'s 'axis')"},
    {"a.foo", 2, KILN_ERR_NAME, "no attribute 'foo'"},
    {"(a, b)", 0, KILN_ERR_ARG, "not a tuple"},
    {"int32(a) + 2**40", 9, KILN_ERR_DTYPE, "out of bounds for int32"},
    {"sin(a, keepdims=True)", 7, KILN_ERR_ARG, "unexpected keyword argument 'keepdims'"},
    {"a = 1", 2, KILN_ERR_SYNTAX, "unexpected '='"},
    {"a b", 2, KILN_ERR_SYNTAX, "unexpected 'b'"},
    {"arange(0, 5, 0)", 0, KILN_ERR_ARG, "step"},
    {"True // False", 5, KILN_ERR_ARG, "integer division or modulo by zero"},
    {"a ** -1", 2, KILN_ERR_DTYPE, "negative integer powers"},
    {"", 0, KILN_ERR_SYNTAX, "found end of input"},
    {"((((", 4, KILN_ERR_SYNTAX, "found end of input"},
    {"\"unterminated", 0, KILN_ERR_SYNTAX, "unterminated string"},
    {"01", 0, KILN_ERR_SYNTAX, "leading zeros"},
    {"1111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111"
     "1111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111.5e-7",
     0, KILN_ERR_SYNTAX, "number is too long"},
};

START_TEST(errors_have_offsets) {
    for (size_t i = 0; i < sizeof errors / sizeof *errors; i++) {
        kiln_clear_error(ctx);
        kiln_expr *e = kiln_parse(ctx, scope, errors[i].src);
        ck_assert_msg(e == NULL, "'%s' should fail", errors[i].src);
        ck_assert_msg(kiln_errcode(ctx) == errors[i].st, "'%s': status %s, want %s (%s)", errors[i].src,
                      kiln_status_str(kiln_errcode(ctx)), kiln_status_str(errors[i].st), kiln_errmsg(ctx));
        ck_assert_msg(kiln_error_offset(ctx) == errors[i].off, "'%s': offset %lld, want %lld (%s)", errors[i].src,
                      (long long)kiln_error_offset(ctx), (long long)errors[i].off, kiln_errmsg(ctx));
        ck_assert_msg(strstr(kiln_errmsg(ctx), errors[i].words), "'%s': message '%s' lacks '%s'", errors[i].src,
                      kiln_errmsg(ctx), errors[i].words);
    }
}
END_TEST

/* int64 // bool promotes the bool: allowed, as in NumPy. */
/* einsum contracts the cheapest pair first: 'ij,jk,k->i' is A @ (B @ v), no n x n product (and
 * the same values as left to right) */
START_TEST(einsum_picks_the_cheap_order) {
    kiln_array *A = kiln_array_new(ctx, KILN_F64, 2, (int64_t[]){40, 40}), *v = kiln_array_new(ctx, KILN_F64, 1, (int64_t[]){40});
    for (int k = 0; k < 1600; k++) ((double *)kiln_array_data(A))[k] = (double)(k % 7) - 3;
    for (int k = 0; k < 40; k++) ((double *)kiln_array_data(v))[k] = (double)(k % 5);
    kiln_scope_set(scope, "A40", A);
    kiln_scope_set(scope, "v40", v);
    kiln_expr *e = kiln_parse(ctx, scope, "einsum('ij,jk,k->i', A40, A40.T, v40)");
    kiln_expr *want = kiln_parse(ctx, scope, "A40 @ (A40.T @ v40)");
    ck_assert_msg(e && want, "%s", kiln_errmsg(ctx));
    kiln_expr **order = NULL;
    uint32_t count = 0;
    ck_assert_int_eq(ir_walk(&ctx->graph, &e, 1, NULL, NULL, &order, &count), KILN_OK);
    for (uint32_t k = 0; k < count; k++)
        ck_assert_msg(order[k]->op != KILN_OP_MATMUL || order[k]->ndim < 2 || order[k]->shape[0] * order[k]->shape[1] < 1600,
                      "an n x n product in the graph: the expensive order");
    kiln_free(ctx, order);
    kiln_array *r = kiln_eval(ctx, e), *w = kiln_eval(ctx, want);
    ck_assert(r && w);
    ck_assert(!memcmp(kiln_array_data(r), kiln_array_data(w), 40 * sizeof(double))); /* (integers: exact) */
    kiln_array_free(r);
    kiln_array_free(w);
    kiln_expr_free(e);
    kiln_expr_free(want);
    kiln_array_free(A);
    kiln_array_free(v);
}
END_TEST

START_TEST(a_floordiv_bool) {
    kiln_expr *e = kiln_parse(ctx, scope, "a // True");
    ck_assert_msg(e, "%s", kiln_errmsg(ctx));
    ck_assert_int_eq(kiln_expr_dtype(e), KILN_I64);
    kiln_expr_free(e);
}
END_TEST

/* Random byte strings never crash the parser, and every failure has an offset in range. */
/* Deep nesting of every kind is an error naming the limit, not a stack overflow. */
START_TEST(deep_nesting_is_refused) {
    static const char *const opens[] = {"(", "-", "sin(", "[", "2**", "a[", "+"};
    enum { N = 100000 };
    char *src = malloc(N * 5 + 16);
    for (size_t k = 0; k < sizeof opens / sizeof *opens; k++) {
        size_t o = 0, w = strlen(opens[k]);
        for (int i = 0; i < N; i++, o += w) memcpy(src + o, opens[k], w);
        src[o++] = '1';
        src[o] = 0;
        kiln_clear_error(ctx);
        kiln_expr *e = kiln_parse(ctx, scope, src);
        ck_assert_msg(e == NULL, "'%s' x %d parsed", opens[k], N);
        ck_assert_msg(strstr(kiln_errmsg(ctx), "nested too deeply (more than 200 levels: each bracket takes two, each unary operator one)"), "'%s': %s", opens[k], kiln_errmsg(ctx));
        ck_assert_int_eq(kiln_errcode(ctx), KILN_ERR_SYNTAX);
    }
    free(src);
}
END_TEST

START_TEST(random_input_never_crashes) {
    static const char alphabet[] = "ab xy()+-*/%&|^~<>=!.,0123456789eE_'\"Tsinwhere[]@";
    uint64_t seed = 99;
    char src[64];
    for (int t = 0; t < 20000; t++) {
        int n = (int)(rng_next(&seed) % 40);
        for (int i = 0; i < n; i++) src[i] = alphabet[rng_next(&seed) % (sizeof alphabet - 1)];
        src[n] = 0;
        kiln_clear_error(ctx);
        kiln_expr *e = kiln_parse(ctx, scope, src);
        if (e) {
            kiln_expr_free(e);
        } else {
            ck_assert_msg(kiln_error_offset(ctx) >= 0 && kiln_error_offset(ctx) <= n, "'%s': offset %lld", src,
                          (long long)kiln_error_offset(ctx));
        }
    }
}
END_TEST

/* kiln_parse_params: array names become placeholders (rebound to other arrays, evaluated again
 * without parsing), Python numbers their values (weak: x*k stays float64, f*k float32),
 * rand() makes the value unfit for reuse, and errors keep their offsets. */
/* An expression kiln_parse made is evaluated again after the caller's arrays change: an index
 * computed from them (argmax(v)) is read at each evaluation, not fixed at the parse. */
START_TEST(computed_index_read_at_each_eval) {
    double X[3][2] = {{0, 1}, {10, 11}, {20, 21}}, v[3] = {1, 5, 2};
    int64_t shx[2] = {3, 2}, shv = 3;
    kiln_array *xa = kiln_wrap(ctx, KILN_F64, 2, shx, NULL, X), *va = kiln_wrap(ctx, KILN_F64, 1, &shv, NULL, v);
    ck_assert_int_eq(kiln_scope_set(scope, "X", xa), KILN_OK);
    ck_assert_int_eq(kiln_scope_set(scope, "v", va), KILN_OK);
    const char *srcs[] = {"X[argmax(v)]", "X[argmax(v), :]", "X[argmax(v), 1] * 2"};
    for (int k = 0; k < 3; k++) {
        v[1] = 5, v[2] = 2;
        kiln_expr *e = kiln_parse(ctx, scope, srcs[k]);
        ck_assert_msg(e, "%s: %s", srcs[k], kiln_errmsg(ctx));
        for (int run = 0; run < 2; run++) {
            kiln_array *r = kiln_eval(ctx, e);
            ck_assert_msg(r, "%s: %s", srcs[k], kiln_errmsg(ctx));
            const double *d = kiln_array_data(r);
            double want = k < 2 ? (run ? 20 : 10) : (run ? 42 : 22);
            ck_assert_msg(d[0] == want, "%s, run %d: %g, not %g", srcs[k], run, d[0], want);
            kiln_array_free(r);
            v[2] = 99; /* argmax(v) is 2 now */
        }
        kiln_expr_free(e);
    }
    kiln_array_free(xa);
    kiln_array_free(va);
}
END_TEST

START_TEST(parse_with_placeholders) {
    kiln_array *k = kiln_array_new(ctx, KILN_F64, 0, NULL);
    *(double *)kiln_array_data(k) = 2.5;
    ck_assert_int_eq(kiln_scope_set_number(scope, "k", k), KILN_OK);
    kiln_expr *params[4];
    int which[4], n = -1, reusable = -1;
    kiln_expr *e = kiln_parse_params(ctx, scope, "x*k + y", 4, params, which, &n, &reusable);
    ck_assert_ptr_nonnull(e);
    ck_assert_int_eq(n, 2);
    ck_assert_int_eq(reusable, 1);
    ck_assert_str_eq(kiln_scope_name(scope, which[0]), "x");
    ck_assert_str_eq(kiln_scope_name(scope, which[1]), "y");
    kiln_array *r = kiln_eval(ctx, e);
    for (int i = 0; i < 12; i++) ck_assert_double_eq(((double *)kiln_array_data(r))[i], fbuf[0][i] * 2.5 + fbuf[1][i]);
    kiln_array_free(r);
    /* the same expression over two other arrays: rebind, evaluate */
    int64_t len = 12;
    kiln_array *z = kiln_scope_get(scope, "z"), *w = kiln_scope_get(scope, "w");
    ck_assert_int_eq(kiln_bind(ctx, params[0], z), KILN_OK);
    ck_assert_int_eq(kiln_bind(ctx, params[1], w), KILN_OK);
    kiln_stats s0, s1;
    kiln_get_stats(ctx, &s0);
    r = kiln_array_new(ctx, KILN_F64, 1, &len);
    ck_assert_int_eq(kiln_eval_into(ctx, e, r), KILN_OK);
    kiln_get_stats(ctx, &s1);
    ck_assert_uint_eq(s1.plans_built, s0.plans_built);
    for (int i = 0; i < 12; i++) ck_assert_double_eq(((double *)kiln_array_data(r))[i], fbuf[2][i] * 2.5 + fbuf[3][i]);
    kiln_array_free(r);
    for (int i = 0; i < n; i++) kiln_expr_free(params[i]);
    kiln_expr_free(e);
    /* a weak number keeps float32 */
    kiln_array *f = kiln_array_new(ctx, KILN_F32, 1, &len);
    ck_assert_int_eq(kiln_scope_set(scope, "f", f), KILN_OK);
    e = kiln_parse_params(ctx, scope, "f * k", 4, params, which, &n, &reusable);
    ck_assert_int_eq(kiln_expr_dtype(e), KILN_F32);
    for (int i = 0; i < n; i++) kiln_expr_free(params[i]);
    kiln_expr_free(e);
    e = kiln_parse_params(ctx, scope, "rand(12) + x", 4, params, which, &n, &reusable);
    ck_assert_ptr_nonnull(e);
    ck_assert_int_eq(reusable, 0);
    for (int i = 0; i < n; i++) kiln_expr_free(params[i]);
    kiln_expr_free(e);
    /* a tuple: its values over one set of placeholders (x read once) */
    kiln_expr *vals[3];
    ck_assert_int_eq(kiln_parse_params_many(ctx, scope, "x*k, sum(x)", 3, vals, 4, params, which, &n, &reusable), 2);
    ck_assert_int_eq(n, 1);
    kiln_array *outs[2] = {NULL, NULL};
    ck_assert_int_eq(kiln_eval_many(ctx, 2, vals, outs), KILN_OK);
    double sx = 0;
    for (int i = 0; i < 12; i++) sx += fbuf[0][i];
    ck_assert_double_eq(*(double *)kiln_array_data(outs[1]), sx);
    ck_assert_double_eq(((double *)kiln_array_data(outs[0]))[3], fbuf[0][3] * 2.5);
    for (int i = 0; i < 2; i++) kiln_expr_free(vals[i]), kiln_array_free(outs[i]);
    kiln_expr_free(params[0]);
    /* a tuple of one value is one value, and says it is a tuple */
    static const char *const ones[] = {"(x * 2,)", "x * 2", "nonzero(x)"};
    for (int c = 0; c < 3; c++) {
        int tuple = -1;
        ck_assert_int_eq(kiln_parse_params_tuple(ctx, scope, ones[c], 3, vals, 4, params, which, &n, &reusable, &tuple), 1);
        ck_assert_msg(tuple == (c != 1), "%s: tuple %d", ones[c], tuple);
        kiln_expr_free(vals[0]);
        for (int i = 0; i < n; i++) kiln_expr_free(params[i]);
    }
    ck_assert_int_eq(kiln_parse_params_many(ctx, scope, "x, y, z", 2, vals, 4, params, which, &n, &reusable), -1);
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(ctx), "more than 2 values"));
    /* a value of any nesting: its arrays in order, and its form (a list is a list, None is None) */
    static const struct {
        const char *src, *form;
        int nv;
    } forms[] = {{"x * 2", "v", 1},          {"(x * 2,)", "(v)", 1},  {"split(x, 3)", "[vvv]", 3}, {"x, [x, (x,)], None", "(v[v(v)]n)", 3},
                 {"[]", "[]", 0},             {"None", "n", 0},       {"[1, 2.5]", "[vv]", 2},     {"(array_split(x, 5), sum(x))", "([vvvvv]v)", 6},
                 {"linalg.qr(x.reshape(3, 4))", "(<QRResult Q R>vv)", 2}};
    for (size_t c = 0; c < sizeof forms / sizeof *forms; c++) {
        kiln_expr *many[8];
        char form[40];
        ck_assert_int_eq(kiln_parse_params_form(ctx, scope, forms[c].src, 8, many, form, sizeof form, 4, params, which, &n, &reusable),
                         forms[c].nv);
        ck_assert_msg(!strcmp(form, forms[c].form), "%s: form %s", forms[c].src, form);
        if (c == 7) { /* the arrays in order: array_split's five pieces (12 = 3+3+2+2+2), then the sum */
            ck_assert_int_eq(kiln_expr_shape(many[1])[0], 3);
            ck_assert_int_eq(kiln_expr_shape(many[4])[0], 2);
            ck_assert_int_eq(kiln_expr_ndim(many[5]), 0);
        }
        for (int i = 0; i < forms[c].nv; i++) kiln_expr_free(many[i]);
        for (int i = 0; i < n; i++) kiln_expr_free(params[i]);
    }
    char small[4];
    ck_assert_int_eq(kiln_parse_params_form(ctx, scope, "split(x, 3)", 3, vals, small, sizeof small, 4, params, which, &n, &reusable), -1);
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(ctx), "more than 3 items"));
    ck_assert_int_eq(kiln_parse_params_form(ctx, scope, "x, (x, 'a')", 3, vals, small, 0, 4, params, which, &n, &reusable), -1);
    char form[16];
    ck_assert_int_eq(kiln_parse_params_form(ctx, scope, "x, (x, 'a')", 3, vals, form, sizeof form, 4, params, which, &n, &reusable), -1);
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(ctx), "a value of the tuple must be an array"));
    ck_assert_int_eq(kiln_error_offset(ctx), 7);
    /* a literal bound to a name is Python's value: a tuple indexes as a tuple, is an axis; a string a dtype */
    kiln_array *sq = kiln_array_new(ctx, KILN_F64, 2, (int64_t[]){3, 4});
    for (int i = 0; i < 12; i++) ((double *)kiln_array_data(sq))[i] = i;
    ck_assert_int_eq(kiln_scope_set(scope, "sq", sq), KILN_OK);
    ck_assert_int_eq(kiln_scope_set_literal(scope, "t", "(1, 2)"), KILN_OK);
    ck_assert_int_eq(kiln_scope_set_literal(scope, "ax", "(0, 1)"), KILN_OK);
    ck_assert_int_eq(kiln_scope_set_literal(scope, "dt", "'float32'"), KILN_OK);
    static const struct {
        const char *src;
        double want;
    } lits[] = {{"sq[t]", 6}, {"sum(sq, axis=ax)", 66}, {"sq[t].astype(dt) * 2", 12}, {"len(t) + t[1]", 4}};
    for (size_t c = 0; c < sizeof lits / sizeof *lits; c++) {
        kiln_expr *e1 = kiln_parse(ctx, scope, lits[c].src);
        ck_assert_msg(e1 != NULL, "%s: %s", lits[c].src, kiln_errmsg(ctx));
        ck_assert_int_eq(kiln_expr_ndim(e1), 0);
        kiln_array *r1 = kiln_eval(ctx, e1);
        double got = kiln_array_dtype(r1) == KILN_F32 ? *(float *)kiln_array_data(r1) : kiln_array_dtype(r1) == KILN_I64 ? (double)*(int64_t *)kiln_array_data(r1) : *(double *)kiln_array_data(r1);
        ck_assert_msg(got == lits[c].want, "%s: %g", lits[c].src, got);
        kiln_array_free(r1);
        kiln_expr_free(e1);
    }
    ck_assert_int_ne(kiln_scope_set_literal(scope, "bad", "(1, sq)"), KILN_OK); /* (a literal reads no names) */
    ck_assert_int_eq(kiln_scope_set_literal(scope, "bad", "(1, zeros(2))"), KILN_ERR_ARG);
    ck_assert_int_eq(kiln_scope_set_literal(scope, "bad", "(1, 2) + "), KILN_ERR_SYNTAX);
    ck_assert_int_eq(kiln_scope_set_literal(scope, "None", "1"), KILN_ERR_ARG);
    /* nothing in a text that is not a literal's tokens runs (a review's find: savetxt wrote its file) */
    ck_assert_int_eq(kiln_scope_set_literal(scope, "bad", "savetxt('/nonexistent-kiln/x.txt', [1.0])"), KILN_ERR_ARG);
    ck_assert_int_eq(kiln_error_offset(ctx), 0);
    ck_assert_int_eq(kiln_scope_set_literal(scope, "ok", "(1.5e-3, -2, 'a\\'b', None, [True, nan, -inf], 0x1f)"), KILN_OK);
    ck_assert_int_eq(kiln_scope_set_literal(scope, "bad", "(1.0.repeat(3), 2)"), KILN_ERR_ARG);
    ck_assert_int_eq(kiln_scope_set_literal(scope, "ok", "(.5, 1_000, 2E+3, 0b101)"), KILN_OK);
    /* a statement reading a literal stays reusable (its caller keys the literal) */
    kiln_expr *lp[4];
    int ln = 0, lre = 0;
    kiln_expr *le = kiln_parse_params(ctx, scope, "sq[t] * 2", 4, lp, which, &ln, &lre);
    ck_assert_ptr_nonnull(le);
    ck_assert_int_eq(lre, 1);
    kiln_expr_free(le);
    for (int i = 0; i < ln; i++) kiln_expr_free(lp[i]);
    /* the form's room holds the brackets still open (a review's find: "[None]" in 3 bytes wrote past them) */
    char tiny[5];
    ck_assert_int_eq(kiln_parse_params_form(ctx, scope, "[None]", 3, vals, tiny, 3, 4, params, which, &n, &reusable), -1);
    ck_assert_int_eq(kiln_parse_params_form(ctx, scope, "((((None,),),),)", 3, vals, tiny, 5, 4, params, which, &n, &reusable), -1);
    ck_assert_int_eq(kiln_parse_params_form(ctx, scope, "[None]", 3, vals, tiny, 4, 4, params, which, &n, &reusable), 0);
    ck_assert_str_eq(tiny, "[n]");
    kiln_array_free(sq);
    /* too many arrays for cap; a syntax error at its token */
    ck_assert_ptr_null(kiln_parse_params(ctx, scope, "x + y + z", 2, params, which, &n, &reusable));
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(ctx), "more than 2 arrays"));
    ck_assert_ptr_null(kiln_parse_params(ctx, scope, "x + * y", 4, params, which, &n, &reusable));
    ck_assert_int_eq(kiln_error_offset(ctx), 4);
    /* a Python number is a 0-d float64, int64 or bool */
    ck_assert_int_eq(kiln_scope_set_number(scope, "bad", f), KILN_ERR_ARG);
    kiln_array_free(f);
    kiln_array_free(k);
}
END_TEST

Suite *suite_frontend(void) {
    Suite *s = suite_create("frontend");
    TCase *t = tcase_create("parse");
    tcase_set_timeout(t, 120);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, python_precedence);
    tcase_add_test(t, literals_and_constants);
    tcase_add_test(t, constructors_and_transpose);
    tcase_add_test(t, errors_have_offsets);
    tcase_add_test(t, a_floordiv_bool);
    tcase_add_test(t, deep_nesting_is_refused);
    tcase_add_test(t, random_input_never_crashes);
    tcase_add_test(t, parse_with_placeholders);
    tcase_add_test(t, computed_index_read_at_each_eval);
    tcase_add_test(t, einsum_picks_the_cheap_order);
    suite_add_tcase(s, t);
    return s;
}
