/*
 * test_random.c — differential testing: thousands of random expression trees (mixed dtypes,
 * weak and typed scalars, broadcasting, strided, reversed and transposed views) through the
 * JIT and through the reference evaluator, compared bit for bit.
 *
 * The ops used are those IEEE defines exactly (arithmetic, division, sqrt, comparisons, casts,
 * floor division and remainder, integer powers...), so any difference is a bug.  Functions
 * computed by libmvec differ from libm by a few ulps by design; test_jit.c bounds them one
 * at a time.  KILN_RANDOM_TREES sets the number of trees (default 2000), KILN_RANDOM_SEED the
 * seed; a failure prints both and the tree.
 */
#include "helpers.h"

static const kiln_op exact_ops[] = {
    KILN_OP_ADD, KILN_OP_SUB, KILN_OP_MUL, KILN_OP_DIV, KILN_OP_FLOORDIV, KILN_OP_MOD, KILN_OP_POW,
    KILN_OP_MAXIMUM, KILN_OP_MINIMUM, KILN_OP_EQ, KILN_OP_NE, KILN_OP_LT, KILN_OP_LE, KILN_OP_GT,
    KILN_OP_GE, KILN_OP_AND, KILN_OP_OR, KILN_OP_XOR, KILN_OP_NEG, KILN_OP_INVERT, KILN_OP_ABS,
    KILN_OP_SIGN, KILN_OP_FLOOR, KILN_OP_CEIL, KILN_OP_SQRT, KILN_OP_WHERE, KILN_OP_CAST, KILN_OP_LDEXP,
    KILN_OP_NEXTAFTER, KILN_OP_FREXP,
};
#define N_EXACT ((int)(sizeof exact_ops / sizeof *exact_ops))

typedef struct gen {
    kiln_ctx *ctx;
    uint64_t seed;
    int ndim;
    int64_t shape[3];
    kiln_array *arrays[64];
    void *bufs[64];
    int narrays;
} gen;

static int pick(gen *g, int n) { return (int)(rng_next(&g->seed) % (uint64_t)n); }

/* An array leaf broadcastable to g's shape, in a random layout. */
static kiln_expr *leaf_array(gen *g) {
    if (g->narrays == 64) return NULL;
    kiln_dtype dt = (kiln_dtype)pick(g, KILN_DTYPE_COUNT);
    int nd = pick(g, g->ndim + 1); /* a suffix of the output's dims */
    int64_t shape[3];
    for (int d = 0; d < nd; d++) shape[d] = pick(g, 4) == 0 ? 1 : g->shape[g->ndim - nd + d];
    int64_t n = 1;
    for (int d = 0; d < nd; d++) n *= shape[d];
    size_t es = kiln_dtype_size(dt);
    int layout = pick(g, 4); /* 0 C order, 1 every other element, 2 reversed last dim, 3 transposed */
    int64_t step = layout == 1 ? 2 : 1;
    char *buf = calloc((size_t)(n * step + 1), es);
    fill_values(buf, dt, n * step, &g->seed, pick(g, 2));
    int64_t strides[3], s = (int64_t)es * step;
    for (int d = nd - 1; d >= 0; d--) {
        strides[d] = s;
        s *= shape[d];
    }
    char *data = buf;
    if (layout == 2 && nd > 0) {
        data = buf + (shape[nd - 1] - 1) * strides[nd - 1];
        strides[nd - 1] = -strides[nd - 1];
    } else if (layout == 3 && nd == 2) { /* the same elements read as the transpose's transpose */
        strides[0] = (int64_t)es;
        strides[1] = (int64_t)es * shape[0];
    }
    kiln_array *a = kiln_wrap(g->ctx, dt, nd, shape, strides, data);
    g->arrays[g->narrays] = a;
    g->bufs[g->narrays++] = buf;
    return kiln_var(g->ctx, a);
}

static kiln_expr *leaf(gen *g) {
    switch (pick(g, 8)) {
    case 0: return kiln_int(g->ctx, pick(g, 7) - 3);
    case 1: return kiln_scalar(g->ctx, (pick(g, 9) - 4) * 0.75);
    case 2: return kiln_bool(g->ctx, pick(g, 2));
    case 3: return kiln_const(g->ctx, (kiln_dtype)pick(g, KILN_DTYPE_COUNT), pick(g, 5) - 2);
    default: return leaf_array(g);
    }
}

/* A random tree of at most depth levels; NULL when the types did not allow one. */
static kiln_expr *tree(gen *g, int depth) {
    if (depth == 0 || pick(g, 5) == 0) return leaf(g);
    for (int attempt = 0; attempt < 4; attempt++) {
        kiln_op op = exact_ops[pick(g, N_EXACT)];
        int ar = op == KILN_OP_CAST ? 1 : kiln_op_arity(op);
        kiln_expr *a[3] = {NULL, NULL, NULL};
        for (int i = 0; i < ar; i++) a[i] = tree(g, depth - 1);
        kiln_expr *e = NULL;
        bool ok = a[0] && (ar < 2 || a[1]) && (ar < 3 || a[2]);
        /* float powers go through libmvec's pow: not exact, so integers only */
        if (ok && op == KILN_OP_POW && (dtype_is_float(kiln_expr_dtype(a[0])) || dtype_is_float(kiln_expr_dtype(a[1])))) ok = false;
        if (ok) e = op == KILN_OP_CAST ? kiln_cast(g->ctx, a[0], (kiln_dtype)pick(g, KILN_DTYPE_COUNT)) : kiln_apply(g->ctx, op, a);
        if (e && op == KILN_OP_POW && dtype_is_float(kiln_expr_dtype(e)) && kiln_expr_op(e) != KILN_OP_MUL) {
            kiln_expr_free(e);
            e = NULL;
        }
        for (int i = 0; i < ar; i++) kiln_expr_free(a[i]);
        if (e) return e;
        kiln_clear_error(g->ctx);
    }
    return NULL;
}

START_TEST(random_trees_match_the_reference) {
    const char *env = getenv("KILN_RANDOM_TREES");
    int trees = env ? atoi(env) : 2000;
    const char *senv = getenv("KILN_RANDOM_SEED");
    uint64_t seed0 = senv ? strtoull(senv, NULL, 0) : 0x5eed;
    kiln_ctx *ctx = kiln_ctx_new(NULL);
    int evaluated = 0;
    gen g = {.ctx = ctx};
    for (int t = 0; t < trees; t++) {
        g.seed = seed0 * 1000003u + (uint64_t)t + 1;
        rng_next(&g.seed);
        g.narrays = 0;
        g.ndim = pick(&g, 4);
        static const int64_t dims[] = {1, 2, 3, 5, 7, 16, 33};
        for (int d = 0; d < g.ndim; d++) g.shape[d] = dims[pick(&g, 7)];
        if (t % 97 == 0) { /* now and then big enough for the parallel path */
            g.ndim = 2;
            g.shape[0] = 300;
            g.shape[1] = 257;
        }
        kiln_set_num_threads(ctx, 1 + pick(&g, 3));
        kiln_expr *e = tree(&g, 1 + pick(&g, 5));
        if (e) {
            char msg[256] = "";
            int64_t bad = jit_vs_ref(ctx, e, 0, msg, sizeof msg);
            if (bad == 0 && t % 4 == 0) bad = backends_agree(ctx, e, 0, msg, sizeof msg); /* the JIT and the interpreter */
            if (bad != 0) {
                char *d = kiln_dump(ctx, e, KILN_DUMP_GRAPH | KILN_DUMP_KERNELS);
                fprintf(stderr, "tree %d (KILN_RANDOM_SEED=%llu) failed:\n%s", t, (unsigned long long)seed0, d ? d : "");
                kiln_string_free(d);
            }
            ck_assert_msg(bad == 0, "tree %d: %lld mismatches: %s", t, (long long)bad, msg);
            evaluated++;
            kiln_expr_free(e);
        }
        kiln_clear_error(ctx);
        for (int i = 0; i < g.narrays; i++) {
            kiln_array_free(g.arrays[i]);
            free(g.bufs[i]);
        }
    }
    kiln_stats st;
    kiln_get_stats(ctx, &st);
    fprintf(stderr, "random: %d of %d trees evaluated, %llu kernels compiled, %llu cache hits\n", evaluated, trees,
            (unsigned long long)st.kernels_compiled, (unsigned long long)st.cache_hits);
    ck_assert_int_ge(evaluated, trees / 2);
    kiln_ctx_free(ctx);
}
END_TEST

Suite *suite_random(void) {
    Suite *s = suite_create("random");
    TCase *t = tcase_create("differential");
    tcase_set_timeout(t, 900);
    tcase_add_test(t, random_trees_match_the_reference);
    suite_add_tcase(s, t);
    return s;
}
