/*
 * test_views.c — views, reshapes, concatenation, take, scans, placeholders and interrupts,
 * each against the reference evaluator (ir/ref.c, a plain scalar loop over the graph) and on
 * every backend this build has.
 */
#include <float.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "codegen/host.h"
#include "codegen/sort_avx2.h"
#include "codegen/sort_avx512.h"
#include "helpers.h"

static kiln_ctx *ctx;
static void setup(void) { ctx = kiln_ctx_new(NULL); }
static void teardown(void) { kiln_ctx_free(ctx); }

static kiln_array *random_array(kiln_dtype dt, int nd, const int64_t *shape, uint64_t seed) {
    kiln_array *a = kiln_array_new(ctx, dt, nd, shape);
    fill_values(kiln_array_data(a), dt, kiln_array_size(a), &seed, false);
    return a;
}
/* Small integers in float64: products and sums of them are exact in any order. */
static kiln_array *int_valued(int nd, const int64_t *shape, uint64_t seed) {
    kiln_array *a = kiln_array_new(ctx, KILN_F64, nd, shape);
    double *p = kiln_array_data(a);
    for (int64_t k = 0; k < kiln_array_size(a); k++) p[k] = (double)(int)(rng_next(&seed) % 7) - 3.0;
    return a;
}
static kiln_expr *rvar(kiln_dtype dt, int nd, const int64_t *shape, uint64_t seed) {
    kiln_array *a = random_array(dt, nd, shape, seed);
    kiln_expr *e = kiln_var(ctx, a);
    kiln_array_free(a);
    return e;
}

/* e against the reference (exactly, or within ulp), then every backend against the first. */
#define CHECK_REF(e, ulp, what)                                                                    \
    do {                                                                                           \
        char msg_[256] = "";                                                                       \
        kiln_expr *e_ = (e);                                                                       \
        ck_assert_msg(e_ != NULL, "%s: %s", what, kiln_errmsg(ctx));                               \
        ck_assert_msg(jit_vs_ref(ctx, e_, ulp, msg_, sizeof msg_) == 0, "%s: %s", what, msg_);     \
        ck_assert_msg(backends_agree(ctx, e_, ulp, msg_, sizeof msg_) == 0, "%s: %s", what, msg_); \
    } while (0)

static kiln_ix ix_i(int64_t i) { return (kiln_ix){.kind = KILN_IX_INDEX, .index = i}; }
static kiln_ix ix_all(void) { return (kiln_ix){.kind = KILN_IX_SLICE}; }
static kiln_ix ix_s(int64_t a, int64_t b, int64_t s, int flags) {
    return (kiln_ix){.kind = KILN_IX_SLICE, .start = a, .stop = b, .step = s, .flags = flags};
}
#define HAS_ALL (KILN_IX_HAS_START | KILN_IX_HAS_STOP | KILN_IX_HAS_STEP)

START_TEST(slices_of_arrays_and_expressions) {
    int64_t sh[3] = {5, 7, 9};
    kiln_expr *x = rvar(KILN_F64, 3, sh, 1), *y = rvar(KILN_F32, 3, sh, 2);
    kiln_ix a[3] = {ix_s(-1, 0, -2, HAS_ALL), ix_i(-3), ix_s(1, 100, 3, HAS_ALL)};
    CHECK_REF(kiln_index(ctx, x, 3, a), 0, "x[-1:0:-2, -3, 1:100:3]");
    kiln_expr *s = kiln_mul(ctx, kiln_mul(ctx, x, y), kiln_sin(ctx, x));
    CHECK_REF(kiln_index(ctx, s, 3, a), MATH_ULP, "(x*y*sin(x))[...] fused on views (a product: no cancellation to magnify libmvec's ulps)");
    kiln_ix b[3] = {(kiln_ix){.kind = KILN_IX_ELLIPSIS}, (kiln_ix){.kind = KILN_IX_NEWAXIS}, ix_s(0, 0, -1, KILN_IX_HAS_STEP)};
    kiln_expr *v = kiln_index(ctx, s, 3, b);
    ck_assert_int_eq(kiln_expr_ndim(v), 4);
    ck_assert_int_eq(kiln_expr_shape(v)[2], 1);
    CHECK_REF(v, MATH_ULP, "s[..., None, ::-1]");
    /* a view of a computed result: a reduction's array, read through the view */
    kiln_expr *r = kiln_sum(ctx, s, 1, 0);
    kiln_ix c[2] = {ix_s(1, 4, 1, HAS_ALL), ix_s(0, 0, -2, KILN_IX_HAS_STEP)};
    CHECK_REF(kiln_index(ctx, r, 2, c), 8, "sum(s, 1)[1:4, ::-2]");
    CHECK_REF(kiln_add(ctx, kiln_index(ctx, r, 2, c), kiln_index(ctx, r, 2, c)), 8, "a view read twice");
    /* a view of a view, and transposes of both */
    kiln_expr *vv = kiln_index(ctx, kiln_index(ctx, r, 2, c), 1, (kiln_ix[]){ix_i(-1)});
    CHECK_REF(vv, 8, "a view of a view");
    CHECK_REF(kiln_transpose(ctx, kiln_index(ctx, x, 1, (kiln_ix[]){ix_all()})), 0, "x[:].T");
    int perm[3] = {1, 2, 0};
    CHECK_REF(kiln_permute(ctx, s, perm), MATH_ULP, "transpose(s, (1, 2, 0))");
    /* broadcasting survives the push-down: a row vector indexed along the broadcast axis */
    kiln_expr *row = rvar(KILN_F64, 1, (int64_t[]){9}, 3);
    kiln_expr *bx = kiln_add(ctx, x, row);
    CHECK_REF(kiln_index(ctx, bx, 2, (kiln_ix[]){ix_i(2), ix_s(1, 6, 2, HAS_ALL)}), 0, "(x + row)[2, 1:6:2]");
    /* out of range */
    ck_assert_ptr_null(kiln_index(ctx, x, 1, (kiln_ix[]){ix_i(5)}));
    ck_assert_msg(strstr(kiln_errmsg(ctx), "index 5 is out of bounds for axis 0 with size 5"), "%s", kiln_errmsg(ctx));
    ck_assert_ptr_null(kiln_index(ctx, x, 4, (kiln_ix[]){ix_i(0), ix_i(0), ix_i(0), ix_i(0)}));
    ck_assert_msg(strstr(kiln_errmsg(ctx), "too many indices"), "%s", kiln_errmsg(ctx));
    /* empty slices */
    kiln_expr *empty = kiln_index(ctx, s, 1, (kiln_ix[]){ix_s(3, 1, 1, HAS_ALL)});
    ck_assert_int_eq(kiln_expr_shape(empty)[0], 0);
    CHECK_REF(empty, 0, "an empty slice");
}
END_TEST

/* Operands read across their rows (transposes: x.T + x) are walked in tiles of rows by
 * KILN_TILE_COLS columns; rows longer than a tile, groups of rows cut by a thread's or a piece's
 * edge, a tile dim moved next to the inner one, reversed and float32 operands. */
START_TEST(transposed_reads_in_tiles) {
    int64_t sh[2] = {700, 1100}, sq[2] = {600, 600}, s3[3] = {600, 5, 70};
    kiln_expr *x = rvar(KILN_F64, 2, sh, 11), *f = rvar(KILN_F32, 2, sh, 12), *q = rvar(KILN_F64, 2, sq, 13);
    kiln_expr *c = rvar(KILN_F64, 3, s3, 14), *two = kiln_scalar(ctx, 2.0);
    CHECK_REF(kiln_mul(ctx, kiln_transpose(ctx, x), two), 0, "x.T * 2 (1100 rows of 700)");
    CHECK_REF(kiln_transpose(ctx, kiln_mul(ctx, x, two)), 0, "(x * 2).T");
    CHECK_REF(kiln_sub(ctx, kiln_transpose(ctx, f), kiln_scalar(ctx, 0.5)), 0, "f.T - 0.5 (float32)");
    CHECK_REF(kiln_add(ctx, kiln_transpose(ctx, q), kiln_mul(ctx, q, two)), 0, "q.T + q * 2");
    kiln_ix rev[2] = {ix_s(0, 0, -1, KILN_IX_HAS_STEP), ix_s(1, 0, -3, KILN_IX_HAS_START | KILN_IX_HAS_STEP)};
    CHECK_REF(kiln_mul(ctx, kiln_index(ctx, kiln_transpose(ctx, x), 2, rev), two), 0, "x.T[::-1, 1::-3] * 2 (reversed)");
    CHECK_REF(kiln_add(ctx, kiln_permute(ctx, c, (int[]){2, 1, 0}), kiln_scalar(ctx, 1.0)), 0,
              "c.transpose(2, 1, 0) + 1 (the tile dim moves next to the inner one)");
    kiln_expr *col = rvar(KILN_F64, 2, (int64_t[]){1100, 1}, 15);
    CHECK_REF(kiln_mul(ctx, kiln_mul(ctx, kiln_transpose(ctx, x), col), kiln_transpose(ctx, kiln_sin(ctx, x))), MATH_ULP,
              "x.T * col * sin(x).T (a product: no cancellation to magnify libmvec's ulps)");
}
END_TEST

/* Tiles whose strided operands are inputs with their rows one element apart take block calls
 * (kernel.h): KILN_BLOCK_ROWS rows at a time, those operands read a register across rows and
 * transposed in registers.  Every dtype of them (the kernel's lanes set by its widest: int8 and
 * uint16 registers of 8 or 16 lanes; kernels of bytes, bools or int16 alone, which take at most
 * 16 lanes in a block and more in a row), two of them in one kernel, rows and columns left past
 * the blocks (1037 rows; 700 columns: a tile of 512, then 188 of which 176 in blocks), operands
 * broadcast along a row or down a column, a comparison and a select, and a math function; and
 * an operand whose rows are two elements apart, which keeps to row calls. */
START_TEST(transposed_reads_in_blocks) {
    int64_t sh[2] = {700, 1037};
    kiln_dtype dts[7] = {KILN_F64, KILN_F32, KILN_I64, KILN_I32, KILN_U32, KILN_I8, KILN_U16};
    kiln_expr *x = rvar(KILN_F64, 2, sh, 21), *xt = kiln_transpose(ctx, x), *three = kiln_scalar(ctx, 3.0);
    kiln_expr *col = rvar(KILN_F64, 2, (int64_t[]){1037, 1}, 22), *row = rvar(KILN_F32, 1, (int64_t[]){700}, 23);
    for (int k = 0; k < 7; k++) {
        char what[96];
        kiln_expr *t = kiln_transpose(ctx, rvar(dts[k], 2, sh, 30 + (uint64_t)k));
        kiln_expr *wide = kiln_cast(ctx, t, dts[k] == KILN_I8 ? KILN_F64 : dts[k] == KILN_U16 ? KILN_F32 : dts[k]);
        snprintf(what, sizeof what, "astype(y.T) * 3 (%s)", kiln_dtype_name(dts[k]));
        CHECK_REF(kiln_mul(ctx, wide, kiln_cast(ctx, three, kiln_expr_dtype(wide))), 0, what);
    }
    kiln_dtype small[4] = {KILN_U8, KILN_I8, KILN_I16, KILN_U16}; /* kernels of bytes or int16: 16 of their lanes a block */
    for (int k = 0; k < 4; k++) {
        char what[96];
        kiln_expr *t = kiln_transpose(ctx, rvar(small[k], 2, sh, 40 + (uint64_t)k)), *c = kiln_cast(ctx, three, small[k]);
        snprintf(what, sizeof what, "y.T * y.T + y.T // 3 (%s)", kiln_dtype_name(small[k]));
        CHECK_REF(kiln_add(ctx, kiln_mul(ctx, t, t), kiln_floordiv(ctx, t, c)), 0, what);
    }
    kiln_expr *bt = kiln_transpose(ctx, rvar(KILN_BOOL, 2, sh, 26)), *bc = rvar(KILN_BOOL, 2, (int64_t[]){1037, 700}, 27);
    CHECK_REF(kiln_and(ctx, bt, bc), 0, "b.T & c (bools alone)");
    kiln_expr *f = kiln_transpose(ctx, rvar(KILN_F32, 2, sh, 24));
    CHECK_REF(kiln_add(ctx, kiln_mul(ctx, xt, col), kiln_mul(ctx, f, row)), 0, "x.T * col + f.T * row (two transposed)");
    CHECK_REF(kiln_where(ctx, kiln_gt(ctx, xt, col), xt, kiln_cast(ctx, f, KILN_F64)), 0, "where(x.T > col, x.T, f.T)");
    CHECK_REF(kiln_where(ctx, bt, f, row), 0, "where(b.T, f.T, row) (a bool operand)");
    CHECK_REF(kiln_mul(ctx, kiln_sin(ctx, xt), col), MATH_ULP, "sin(x.T) * col");
    kiln_expr *sq = rvar(KILN_F64, 2, (int64_t[]){600, 600}, 25);
    CHECK_REF(kiln_sub(ctx, kiln_transpose(ctx, sq), sq), 0, "q.T - q");
    kiln_ix back[2] = {ix_all(), ix_s(0, 0, -1, KILN_IX_HAS_STEP)};
    CHECK_REF(kiln_add(ctx, kiln_index(ctx, xt, 2, back), col), 0, "x.T[:, ::-1] + col (columns walked backwards)");
    kiln_ix every2[2] = {ix_all(), ix_s(0, 0, 2, KILN_IX_HAS_STEP)};
    CHECK_REF(kiln_mul(ctx, kiln_transpose(ctx, kiln_index(ctx, x, 2, every2)), three), 0,
              "x[:, ::2].T * 3 (rows two elements apart: row calls)");
}
END_TEST

START_TEST(reshapes) {
    int64_t sh[2] = {6, 8};
    kiln_expr *x = rvar(KILN_F64, 2, sh, 4);
    int64_t to[3] = {4, -1, 3};
    kiln_expr *r = kiln_reshape(ctx, x, 3, to);
    ck_assert_int_eq(kiln_expr_shape(r)[1], 4);
    CHECK_REF(r, 0, "reshape of a C-ordered array (a view)");
    CHECK_REF(kiln_reshape(ctx, kiln_transpose(ctx, x), 3, to), 0, "reshape of a transposed array (a copy)");
    kiln_expr *e = kiln_exp(ctx, kiln_transpose(ctx, x));
    CHECK_REF(kiln_reshape(ctx, e, 3, to), MATH_ULP, "reshape of an expression");
    CHECK_REF(kiln_ravel(ctx, kiln_transpose(ctx, kiln_sum(ctx, kiln_reshape(ctx, e, 3, to), 2, 1))), 8,
              "ravel of a transposed reduction");
    CHECK_REF(kiln_mul(ctx, kiln_reshape(ctx, kiln_transpose(ctx, x), 3, to), kiln_reshape(ctx, x, 3, to)), 0,
              "a product of a copy and a view");
    CHECK_REF(kiln_squeeze(ctx, kiln_expand_dims(ctx, x, -1), KILN_ALL_AXES), 0, "squeeze(expand_dims(x, -1))");
    /* a reshape of an element-wise expression of arrays of its shape is the expression of the
     * arrays reshaped (it fuses with what reads it); with a broadcast operand it stays a reshape */
    kiln_expr *y = rvar(KILN_F64, 2, sh, 5), *row = rvar(KILN_F64, 1, (int64_t[]){8}, 6);
    kiln_expr *pushed = kiln_reshape(ctx, kiln_mul(ctx, kiln_add(ctx, x, kiln_const(ctx, KILN_F64, 2.0)), kiln_sin(ctx, y)), 3, to);
    ck_assert_int_eq(pushed->op, KILN_OP_MUL);
    CHECK_REF(kiln_mul(ctx, pushed, kiln_reshape(ctx, y, 3, to)), MATH_ULP, "((x + 2) * sin(y)).reshape(...) * y.reshape(...)");
    kiln_expr *kept = kiln_reshape(ctx, kiln_add(ctx, x, row), 3, to);
    ck_assert_int_eq(kept->op, KILN_OP_RESHAPE);
    CHECK_REF(kept, 0, "(x + row).reshape(...)");
    CHECK_REF(kiln_reshape(ctx, kiln_mul(ctx, kiln_transpose(ctx, x), kiln_transpose(ctx, y)), 3, to), 0, "(x.T * y.T).reshape(...)");
    /* a reshape that copies, the root: its copy goes straight into the output, except where that is
     * its operand's own memory (evaluated into its operand) */
    kiln_array *m = kiln_array_new(ctx, KILN_F64, 2, (int64_t[]){4, 6});
    double *md = kiln_array_data(m);
    for (int k = 0; k < 24; k++) md[k] = k;
    kiln_expr *mv = kiln_var(ctx, m), *mt = kiln_reshape(ctx, kiln_transpose(ctx, mv), 2, (int64_t[]){4, 6});
    ck_assert_int_eq(mt->op, KILN_OP_RESHAPE);
    CHECK_REF(mt, 0, "x.T.reshape(...) as the root");
    ck_assert_int_eq(kiln_eval_into(ctx, mt, m), KILN_OK);
    for (int k = 0; k < 24; k++) ck_assert_msg(md[k] == (double)(k % 4 * 6 + k / 4), "into its operand: element %d is %g", k, md[k]);
    kiln_array_free(m);
    ck_assert_ptr_null(kiln_reshape(ctx, x, 2, (int64_t[]){5, -1}));
    ck_assert_msg(strstr(kiln_errmsg(ctx), "cannot reshape array of size 48 into shape (5, -1)"), "%s", kiln_errmsg(ctx));
    ck_assert_ptr_null(kiln_reshape(ctx, x, 2, (int64_t[]){-1, -1}));
}
END_TEST

START_TEST(concatenate_and_stack) {
    kiln_expr *a = rvar(KILN_F64, 2, (int64_t[]){3, 4}, 5), *b = rvar(KILN_I32, 2, (int64_t[]){2, 4}, 6);
    kiln_expr *ab = kiln_concatenate(ctx, 2, (kiln_expr *[]){a, b}, 0);
    ck_assert_int_eq(kiln_expr_dtype(ab), KILN_F64);
    ck_assert_int_eq(kiln_expr_shape(ab)[0], 5);
    CHECK_REF(ab, 0, "concatenate((a, b))");
    kiln_expr *c = rvar(KILN_F32, 2, (int64_t[]){3, 2}, 7);
    kiln_expr *three = kiln_concatenate(ctx, 3, (kiln_expr *[]){kiln_exp(ctx, a), c, kiln_transpose(ctx, a)}, -1);
    ck_assert_ptr_null(three); /* (3,4), (3,2), (4,3): the last does not fit */
    three = kiln_concatenate(ctx, 3, (kiln_expr *[]){kiln_exp(ctx, a), c, kiln_mul(ctx, c, c)}, -1);
    CHECK_REF(three, MATH_ULP, "concatenate of expressions along the last axis");
    CHECK_REF(kiln_sum(ctx, three, 1, 0), 8, "a reduction over a concatenation");
    kiln_expr *st = kiln_stack(ctx, 2, (kiln_expr *[]){a, kiln_neg(ctx, a)}, 1);
    ck_assert_int_eq(kiln_expr_ndim(st), 3);
    ck_assert_int_eq(kiln_expr_shape(st)[1], 2);
    CHECK_REF(st, 0, "stack((a, -a), axis=1)");
}
END_TEST

/* Many parts: the tree of pairs under one concatenation is one step writing every part where it
 * goes (plan.c's absorb_concats), in any dtypes, computed or not, of any lengths (none too); a
 * concatenation that something else reads too (a root, both operands of another, two of a
 * concatenation along another axis) keeps its own array. */
START_TEST(concatenate_many_parts) {
    enum { N = 37 };
    kiln_expr *xs[N];
    kiln_dtype dts[] = {KILN_F64, KILN_I32, KILN_F32, KILN_U8};
    for (int i = 0; i < N; i++) {
        int64_t sh[2] = {3, i % 5 == 4 ? 0 : 1 + i % 7};
        kiln_expr *v = rvar(dts[i % 3 == 1 ? 1 : i % 4], 2, sh, 100 + (uint64_t)i);
        xs[i] = i % 3 == 2 ? kiln_mul(ctx, v, v) : kiln_expr_retain(v);
        kiln_expr_free(v);
    }
    kiln_expr *all = kiln_concatenate(ctx, N, xs, 1), *same = kiln_concatenate(ctx, 9, xs + 1, -1);
    ck_assert_int_eq(kiln_expr_dtype(all), KILN_F64);
    CHECK_REF(all, 0, "concatenate of 37 parts along axis 1");
    CHECK_REF(same, 0, "concatenate of 9 parts of int32, float32 and uint8");
    CHECK_REF(kiln_exp(ctx, all), MATH_ULP, "exp of a concatenation of 37 parts");
    char *d = kiln_dump(ctx, all, KILN_DUMP_KERNELS);
    ck_assert_ptr_nonnull(d);
    const char *at = strstr(d, "concatenate ->");
    ck_assert_msg(at && !strstr(at + 1, "concatenate ->"), "one concatenation step: %.200s", at ? at : d);
    kiln_string_free(d);
    /* shared: both operands, a root beside its user, another axis */
    kiln_expr *two = kiln_concatenate(ctx, 2, (kiln_expr *[]){xs[0], xs[3]}, 1);
    kiln_expr *twice = kiln_concatenate(ctx, 3, (kiln_expr *[]){two, two, xs[5]}, 1);
    CHECK_REF(twice, 0, "concatenate((t, t, c)) of a concatenation t");
    kiln_expr *rows = kiln_concatenate(ctx, 3, (kiln_expr *[]){two, kiln_concatenate(ctx, 2, (kiln_expr *[]){xs[0], xs[3]}, 1), two}, 0);
    CHECK_REF(rows, 0, "concatenations along axis 1 joined along axis 0");
    kiln_expr *roots[2] = {two, twice};
    kiln_array *outs[2] = {NULL, NULL};
    ck_assert_int_eq(kiln_eval_many(ctx, 2, roots, outs), KILN_OK);
    kiln_array *alone = kiln_eval(ctx, two);
    ck_assert_int_eq(memcmp(kiln_array_data(outs[0]), kiln_array_data(alone), (size_t)kiln_array_size(alone) * 8), 0);
    double *tw = kiln_array_data(outs[1]), *t = kiln_array_data(alone);
    int64_t w = kiln_expr_shape(two)[1], tww = kiln_expr_shape(twice)[1];
    for (int64_t r = 0; r < 3; r++)
        for (int64_t c = 0; c < 2 * w; c++) ck_assert_msg(tw[r * tww + c] == t[r * w + c % w], "twice[%lld, %lld]", (long long)r, (long long)c);
    for (int k = 0; k < 2; k++) kiln_array_free(outs[k]);
    kiln_array_free(alone);
    for (int i = 0; i < N; i++) kiln_expr_free(xs[i]);
    kiln_expr *held[] = {all, same, two, twice, rows};
    for (size_t i = 0; i < sizeof held / sizeof *held; i++) kiln_expr_free(held[i]);
}
END_TEST

/* x, kept in held[*n] to be freed at the end (one call for each: nested uses are sequenced). */
static kiln_expr *hold(kiln_expr **held, int *n, kiln_expr *x) { return held[(*n)++] = x; }

/* Blocks (np.block's, np.pad's): concatenations along different axes, each read only by the
 * next, are one step writing every block where it starts in the result, nested in any order of
 * axes.  Small parts that are arrays of the result's dtype are copied by the runtime (strided,
 * reversed and broadcast views too); the others by kernels (computed, cast, a large part). */
START_TEST(concatenate_blocks) {
    kiln_expr *a = rvar(KILN_F64, 2, (int64_t[]){4, 5}, 31), *b = rvar(KILN_F64, 2, (int64_t[]){5, 3}, 32);
    kiln_expr *c = rvar(KILN_I32, 2, (int64_t[]){2, 8}, 33), *big = rvar(KILN_F64, 2, (int64_t[]){300, 400}, 34);
    kiln_ix rev[2] = {{.kind = KILN_IX_SLICE, .step = -1, .flags = KILN_IX_HAS_STEP}, {.kind = KILN_IX_SLICE}};
    kiln_ix first[2] = {{.kind = KILN_IX_SLICE, .start = 0, .stop = 1, .flags = KILN_IX_HAS_START | KILN_IX_HAS_STOP}, {.kind = KILN_IX_SLICE}};
    kiln_ix corner[2] = {{.kind = KILN_IX_SLICE, .stop = 2, .flags = KILN_IX_HAS_STOP}, {.kind = KILN_IX_SLICE, .stop = 2, .flags = KILN_IX_HAS_STOP}};
    kiln_expr *held[32];
    int nh = 0;
#define H(x) hold(held, &nh, (x))
    kiln_expr *row = H(kiln_index(ctx, a, 2, first));
    kiln_expr *top = H(kiln_concatenate(ctx, 2, (kiln_expr *[]){H(kiln_index(ctx, a, 2, rev)), H(kiln_exp(ctx, a))}, 1));
    kiln_expr *mid = H(kiln_concatenate(ctx, 2, (kiln_expr *[]){H(kiln_transpose(ctx, b)), H(ir_broadcast_to(&ctx->graph, row, 2, (int64_t[]){3, 5}))}, 1));
    kiln_expr *bottom = H(kiln_concatenate(ctx, 2, (kiln_expr *[]){c, H(kiln_index(ctx, a, 2, corner))}, -1));
    kiln_expr *blk = H(kiln_concatenate(ctx, 3, (kiln_expr *[]){top, mid, bottom}, 0));
    ck_assert_int_eq(kiln_expr_shape(blk)[0], 9);
    ck_assert_int_eq(kiln_expr_shape(blk)[1], 10);
    CHECK_REF(blk, MATH_ULP, "a block of rows of blocks");
    char *d = kiln_dump(ctx, blk, KILN_DUMP_KERNELS);
    ck_assert_ptr_nonnull(d);
    const char *at = strstr(d, "concatenate ->");
    ck_assert_msg(at && !strstr(at + 1, "concatenate ->"), "one concatenation step: %.300s", at ? at : d);
    kiln_string_free(d);
    /* three levels along axes 0, 2, 1, of int16 */
    kiln_expr *p = H(rvar(KILN_I16, 3, (int64_t[]){2, 3, 4}, 35)), *q = H(rvar(KILN_I16, 3, (int64_t[]){1, 3, 4}, 36));
    kiln_expr *r = H(rvar(KILN_I16, 3, (int64_t[]){3, 3, 2}, 37)), *s = H(rvar(KILN_I16, 3, (int64_t[]){3, 2, 6}, 38));
    kiln_expr *pq = H(kiln_concatenate(ctx, 2, (kiln_expr *[]){p, q}, 0));
    kiln_expr *pqr = H(kiln_concatenate(ctx, 2, (kiln_expr *[]){pq, r}, 2));
    CHECK_REF(H(kiln_concatenate(ctx, 2, (kiln_expr *[]){s, pqr}, 1)), 0, "blocks along axes 0, 2 and 1");
    /* a part big enough for threads (a kernel) beside small ones, and the whole padded by rows */
    kiln_ix cols[2] = {{.kind = KILN_IX_SLICE}, {.kind = KILN_IX_SLICE, .stop = 3, .flags = KILN_IX_HAS_STOP}};
    kiln_expr *wide = H(kiln_concatenate(ctx, 2, (kiln_expr *[]){big, H(kiln_index(ctx, big, 2, cols))}, 1));
    kiln_expr *edge = H(ir_broadcast_to(&ctx->graph, H(kiln_index(ctx, wide, 2, first)), 2, (int64_t[]){2, 403}));
    CHECK_REF(H(kiln_concatenate(ctx, 2, (kiln_expr *[]){wide, edge}, 0)), 0, "a large block, its columns and its first row twice");
#undef H
    for (int i = 0; i < nh; i++) kiln_expr_free(held[i]);
    kiln_expr *own[] = {a, b, c, big};
    for (size_t i = 0; i < sizeof own / sizeof *own; i++) kiln_expr_free(own[i]);
}
END_TEST

/* Short rows written across (a concatenation's parts, np.stack's columns: the output is not
 * contiguous along its rows) are walked down their columns, blocks of rows at a time: rows of 1
 * to 9 elements, computed and broadcast operands, narrow dtypes, a row cut by a thread's or a
 * piece's (2^20 elements) edge, 1 and 2 threads, against the reference and every backend. */
START_TEST(short_rows_written_across) {
    int64_t Ns[] = {16, 40001, 350003};
    int widths[][2] = {{1, 1}, {2, 1}, {2, 3}, {3, 5}, {4, 4}, {7, 2}, {8, 1}, {9, 3}};
    kiln_dtype dts[] = {KILN_F64, KILN_F32, KILN_I16, KILN_U8};
    for (size_t ni = 0; ni < sizeof Ns / sizeof *Ns; ni++)
        for (size_t wi = 0; wi < sizeof widths / sizeof *widths; wi++) {
            if (ni == 2 && (wi % 3 || KILN_TEST_SANITIZED)) continue; /* (the reference is slow; 40001 rows are several blocks) */
            kiln_dtype dt = dts[(ni + wi) % 4];
            int64_t N = Ns[ni], w1 = widths[wi][0], w2 = widths[wi][1];
            char what[128];
            kiln_expr *a = rvar(dt, 2, (int64_t[]){N, w1}, 30 + wi), *b = rvar(dt, 2, (int64_t[]){N, w2}, 40 + wi);
            kiln_expr *row = rvar(dt, 1, &w2, 50 + wi), *col = rvar(dt, 2, (int64_t[]){N, 1}, 60 + wi);
            kiln_expr *cols[3] = {kiln_index(ctx, a, 2, (kiln_ix[]){ix_all(), ix_i(0)}), kiln_index(ctx, b, 2, (kiln_ix[]){ix_all(), ix_i(-1)}),
                                  kiln_index(ctx, a, 2, (kiln_ix[]){ix_all(), ix_i(-1)})};
            kiln_expr *es[] = {kiln_concatenate(ctx, 2, (kiln_expr *[]){kiln_add(ctx, kiln_mul(ctx, a, a), kiln_scalar(ctx, 1)), b}, 1),
                               kiln_concatenate(ctx, 3, (kiln_expr *[]){b, kiln_add(ctx, b, row), kiln_mul(ctx, col, row)}, -1),
                               kiln_stack(ctx, 3, cols, 1), kiln_stack(ctx, 2, (kiln_expr *[]){a, kiln_neg(ctx, a)}, 2)};
            for (int t = 1; t <= 2; t++) {
                kiln_set_num_threads(ctx, t);
                for (size_t k = 0; k < sizeof es / sizeof *es; k++) {
                    snprintf(what, sizeof what, "%s, %lld rows, widths %lld and %lld, expression %zu, %d threads", kiln_dtype_name(dt),
                             (long long)N, (long long)w1, (long long)w2, k, t);
                    CHECK_REF(es[k], 0, what);
                }
            }
            for (size_t k = 0; k < sizeof es / sizeof *es; k++) kiln_expr_free(es[k]);
            for (int k = 0; k < 3; k++) kiln_expr_free(cols[k]);
            kiln_expr_free(a), kiln_expr_free(b), kiln_expr_free(row), kiln_expr_free(col);
        }
}
END_TEST

START_TEST(take_and_take_along_axis) {
    kiln_expr *x = rvar(KILN_F32, 2, (int64_t[]){5, 6}, 8);
    int64_t iv[4] = {4, -1, 0, 2};
    kiln_array *ia = kiln_wrap(ctx, KILN_I64, 1, (int64_t[]){4}, NULL, iv);
    kiln_expr *idx = kiln_var(ctx, ia);
    kiln_expr *t0 = kiln_take(ctx, x, idx, 0);
    ck_assert_int_eq(kiln_expr_shape(t0)[0], 4);
    CHECK_REF(t0, 0, "take(x, idx, 0)");
    CHECK_REF(kiln_take(ctx, kiln_exp(ctx, x), idx, 1), MATH_ULP, "take(exp(x), idx, 1)");
    CHECK_REF(kiln_take(ctx, x, idx, KILN_ALL_AXES), 0, "take of the flattened array");
    int64_t jv[5] = {0, 5, 2, 1, 3};
    kiln_array *ja = kiln_wrap(ctx, KILN_I64, 2, (int64_t[]){5, 1}, NULL, jv);
    kiln_expr *j = kiln_var(ctx, ja);
    CHECK_REF(kiln_take_along_axis(ctx, x, j, 1), 0, "take_along_axis(x, j, 1)");
    CHECK_REF(kiln_take_along_axis(ctx, x, kiln_argmax(ctx, x, 1, 1), 1), 0, "x at its argmax");
    /* x[i, j]: one element per row, and a broadcast grid */
    int64_t rows[5] = {0, 1, 2, 3, 4}, cols[5] = {5, 0, -1, 2, 3};
    kiln_array *ra = kiln_wrap(ctx, KILN_I64, 1, (int64_t[]){5}, NULL, rows), *ca = kiln_wrap(ctx, KILN_I64, 1, (int64_t[]){5}, NULL, cols);
    kiln_expr *ri = kiln_var(ctx, ra), *ci = kiln_var(ctx, ca);
    CHECK_REF(kiln_take_pair(ctx, x, ri, ci, 0), 0, "x[rows, cols]");
    CHECK_REF(kiln_take_pair(ctx, kiln_exp(ctx, x), kiln_expand_dims(ctx, ri, 1), ci, 0), MATH_ULP, "exp(x)[rows[:, None], cols]");
    kiln_array_free(ra);
    kiln_array_free(ca);
    /* a bad index fails the evaluation, naming it */
    int64_t bad[2] = {1, 7};
    kiln_array *ba = kiln_wrap(ctx, KILN_I64, 1, (int64_t[]){2}, NULL, bad);
    kiln_expr *t = kiln_take(ctx, x, kiln_var(ctx, ba), 1);
    ck_assert_ptr_nonnull(t);
    kiln_array *out = kiln_eval(ctx, t);
    ck_assert_ptr_null(out);
    ck_assert_int_eq(kiln_errcode(ctx), KILN_ERR_INDEX);
    ck_assert_msg(strstr(kiln_errmsg(ctx), "index 7 is out of bounds for axis 1 with size 6"), "%s", kiln_errmsg(ctx));
    kiln_array_free(ia);
    kiln_array_free(ja);
    kiln_array_free(ba);
}
END_TEST

/* A take whose index is the same for every row (x[..., [3, -1, 0, 0, 2, 4, 1]], cross's): each
 * index made a byte offset once and whole rows copied by that table (host.c: gather_table),
 * here in every element size over rows the threads' chunks split (3 x 7001 rows of 7: chunks
 * of 65536 elements), through a transposed operand, and by take_along_axis's broadcast index */
START_TEST(take_rows_by_table) {
    int64_t sh[3] = {3, 7001, 5}, iv[7] = {3, -1, 0, 0, 2, 4, 1};
    kiln_array *ia = kiln_wrap(ctx, KILN_I64, 1, (int64_t[]){7}, NULL, iv), *ib = kiln_wrap(ctx, KILN_I64, 3, (int64_t[]){1, 1, 7}, NULL, iv);
    static const kiln_dtype dts[] = {KILN_F64, KILN_F32, KILN_I16, KILN_I8};
    for (int k = 0; k < 4; k++) {
        kiln_expr *x = rvar(dts[k], 3, sh, 40 + (uint64_t)k);
        CHECK_REF(kiln_take(ctx, x, kiln_var(ctx, ia), 2), 0, "take(x, idx, 2)");
        CHECK_REF(kiln_take_along_axis(ctx, x, kiln_var(ctx, ib), 2), 0, "take_along_axis(x, idx[None, None], 2)");
        CHECK_REF(kiln_take(ctx, kiln_permute(ctx, x, (int[]){2, 0, 1}), kiln_var(ctx, ia), 2), 0, "take(x.transpose(2, 0, 1), idx, 2)");
    }
    kiln_array_free(ia);
    kiln_array_free(ib);
}
END_TEST

START_TEST(scans) {
    kiln_expr *x = rvar(KILN_F64, 3, (int64_t[]){4, 300, 5}, 9), *i = rvar(KILN_I32, 2, (int64_t[]){70, 3}, 10);
    for (int ax = -3; ax < 3; ax++) {
        char what[64];
        snprintf(what, sizeof what, "cumsum(x, %d)", ax);
        CHECK_REF(kiln_cumsum(ctx, x, ax), 0, what); /* sequential, as NumPy: exact */
        snprintf(what, sizeof what, "cumprod(x / 2, %d)", ax);
        CHECK_REF(kiln_cumprod(ctx, kiln_div(ctx, x, kiln_const(ctx, KILN_F64, 2.0)), ax), 0, what);
    }
    kiln_expr *ci = kiln_cumsum(ctx, i, 0);
    ck_assert_int_eq(kiln_expr_dtype(ci), KILN_I64);
    CHECK_REF(ci, 0, "cumsum of int32 is int64");
    CHECK_REF(kiln_cumsum(ctx, kiln_transpose(ctx, i), KILN_ALL_AXES), 0, "cumsum of a flattened transpose");
    CHECK_REF(kiln_cumsum(ctx, kiln_index(ctx, x, 1, (kiln_ix[]){ix_s(0, 0, -1, KILN_IX_HAS_STEP)}), 1), 0,
              "cumsum of a reversed view");
}
END_TEST

/* sort and argsort along each axis and over all of them, against the reference's counting
 * definition: ties (equal values keep their order), NaN (last), -0.0 and 0.0 (equal), every
 * dtype, views. */
START_TEST(sorts) {
    kiln_expr *x = rvar(KILN_F64, 3, (int64_t[]){3, 12, 4}, 11); /* (the reference counts: cubic in a line) */
    kiln_expr *four = kiln_const(ctx, KILN_F64, 4.0), *nan = kiln_const(ctx, KILN_F64, NAN);
    kiln_expr *ties = kiln_floor(ctx, kiln_mul(ctx, x, four));                                         /* few values, many equal */
    kiln_expr *gaps = kiln_where(ctx, kiln_gt(ctx, x, kiln_const(ctx, KILN_F64, 0.6)), nan, kiln_neg(ctx, ties)); /* NaN, -0.0 */
    kiln_expr *cases[] = {x, ties, gaps, kiln_cast(ctx, ties, KILN_I32), kiln_cast(ctx, ties, KILN_I64), kiln_cast(ctx, gaps, KILN_F32),
                          kiln_gt(ctx, x, kiln_const(ctx, KILN_F64, 0.0)),
                          kiln_index(ctx, ties, 2, (kiln_ix[]){ix_s(0, 0, -1, KILN_IX_HAS_STEP), ix_s(0, 0, -2, KILN_IX_HAS_STEP)})};
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++)
        for (int ax = -4; ax < 3; ax++) {
            int axis = ax == -4 ? KILN_ALL_AXES : ax;
            char what[64];
            snprintf(what, sizeof what, "sort of case %zu, axis %d", c, axis);
            kiln_expr *so = kiln_sort(ctx, cases[c], axis), *as = kiln_argsort(ctx, cases[c], axis);
            CHECK_REF(so, 0, what);
            ck_assert_int_eq(kiln_expr_dtype(so), kiln_expr_dtype(cases[c]));
            snprintf(what, sizeof what, "argsort of case %zu, axis %d", c, axis);
            CHECK_REF(as, 0, what);
            ck_assert_int_eq(kiln_expr_dtype(as), KILN_I64);
            kiln_expr_free(so);
            kiln_expr_free(as);
        }
    for (size_t c = 3; c < sizeof cases / sizeof *cases; c++) kiln_expr_free(cases[c]); /* (the first three are below) */
    kiln_expr *all[] = {x, four, nan, ties, gaps};
    for (int i = 0; i < 5; i++) kiln_expr_free(all[i]);
}
END_TEST

/* Long lines, against a plain stable sort of (value, position): the radix sort's deep levels,
 * a line sorted by several threads together and lines sorted a thread each, every dtype, keys
 * over the whole range (random bits: NaN of many payloads and both signs, subnormals, inf),
 * ties, both zeros (the result keeps each one's bits, in the input's order), and outputs that
 * are not contiguous along the axis; and partitions and argpartitions of the same lines. */
typedef struct sort_ref {
    const char *v;
    int64_t pos;
    kiln_dtype dt;
} sort_ref;

static double ref_value(const sort_ref *r) {
    switch (r->dt) {
    case KILN_F64: return *(const double *)(const void *)r->v;
    case KILN_F32: return *(const float *)(const void *)r->v;
    case KILN_I32: return *(const int32_t *)(const void *)r->v;
    case KILN_BOOL: return *(const uint8_t *)r->v;
    default: return 0;
    }
}

static int ref_cmp(const void *pa, const void *pb) {
    const sort_ref *a = pa, *b = pb;
    int c = 0;
    if (a->dt == KILN_I64) {
        int64_t x = *(const int64_t *)(const void *)a->v, y = *(const int64_t *)(const void *)b->v;
        c = (x > y) - (x < y);
    } else {
        double x = ref_value(a), y = ref_value(b);
        c = isnan(x) || isnan(y) ? isnan(x) - isnan(y) : (x > y) - (x < y);
    }
    return c ? c : (a->pos > b->pos) - (a->pos < b->pos);
}

static uint64_t mix64(uint64_t *s) {
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Element k: random bits, a tie, a zero of either sign, or a value near 1. */
static void sort_fill(char *p, kiln_dtype dt, int64_t n, uint64_t seed) {
    size_t es = kiln_dtype_size(dt);
    for (int64_t k = 0; k < n; k++) {
        uint64_t r = mix64(&seed), b = mix64(&seed);
        char *v = p + k * (int64_t)es;
        int form = (int)(r % 8);
        if (dt == KILN_BOOL) *v = (char)(b & 1);
        else if (dt == KILN_F64) {
            double d = form == 0 ? 0.0 : form == 1 ? -0.0 : form == 2 ? 0.5 : form < 5 ? 1 + (double)(b >> 11) * 0x1p-53 : 0;
            if (form >= 5) memcpy(&d, &b, 8);
            memcpy(v, &d, 8);
        } else if (dt == KILN_F32) {
            float f = form == 0 ? 0.0f : form == 1 ? -0.0f : form == 2 ? 0.5f : form < 5 ? 1 + (float)(b >> 40) * 0x1p-24f : 0;
            uint32_t u = (uint32_t)b;
            if (form >= 5) memcpy(&f, &u, 4);
            memcpy(v, &f, 4);
        } else if (dt == KILN_I64) {
            int64_t x = form < 3 ? (int64_t)(b % 7) - 3 : (int64_t)b;
            memcpy(v, &x, 8);
        } else {
            int32_t x = form < 3 ? (int32_t)(b % 7) - 3 : (int32_t)(uint32_t)b;
            memcpy(v, &x, 4);
        }
    }
}

/* Every line of x (data xd, C order, shape) along axis, sorted by ref_cmp: line l's at
 * [l * shape[axis], (l + 1) * shape[axis]); the caller frees it. */
static sort_ref *sorted_lines(const char *xd, kiln_dtype dt, const int64_t *shape, int axis) {
    size_t es = kiln_dtype_size(dt);
    int other = 1 - axis;
    int64_t len = shape[axis], xs[2] = {shape[1] * (int64_t)es, (int64_t)es};
    sort_ref *ref = malloc((size_t)(shape[0] * shape[1]) * sizeof *ref);
    for (int64_t l = 0; l < shape[other]; l++) {
        sort_ref *line = ref + l * len;
        for (int64_t k = 0; k < len; k++) line[k] = (sort_ref){xd + l * xs[other] + k * xs[axis], k, dt};
        qsort(line, (size_t)len, sizeof *line, ref_cmp);
    }
    return ref;
}

/* Sorts x (C order, shape) along axis with kiln (arg: argsort) and checks every line against
 * the reference's sort; or, where lo >= 0, partitions it by ranks lo..hi (arg: argpartition) and
 * checks that the values at ranks lo..hi (at the positions argpartition gives) order equal to
 * sort's, none before them after sort's at lo, none after them before sort's at hi, and that
 * argpartition's positions are a permutation. */
static void check_long_sort(kiln_expr *x, const char *xd, const sort_ref *sorted, kiln_dtype dt, const int64_t *shape, int axis, bool arg,
                            int64_t lo, int64_t hi, const char *what) {
    kiln_expr *e = lo < 0 ? (arg ? kiln_argsort(ctx, x, axis) : kiln_sort(ctx, x, axis))
                          : (arg ? kiln_argpartition(ctx, x, lo, hi, axis) : kiln_partition(ctx, x, lo, hi, axis));
    kiln_array *r = kiln_eval(ctx, e);
    ck_assert_msg(r != NULL, "%s: %s", what, kiln_errmsg(ctx));
    const char *rd = kiln_array_data(r);
    const int64_t *rs = kiln_array_strides(r);
    size_t es = kiln_dtype_size(dt);
    int other = 1 - axis;
    int64_t len = shape[axis], xs[2] = {shape[1] * (int64_t)es, (int64_t)es};
    bool *seen = malloc((size_t)len);
    sort_ref *vals = malloc((size_t)len * sizeof *vals);
    for (int64_t l = 0; l < shape[other]; l++) {
        const sort_ref *ref = sorted + l * len;
        for (int64_t k = 0; k < len; k++) seen[k] = false;
        for (int64_t k = 0; k < len; k++) {
            const char *got = rd + l * rs[other] + k * rs[axis];
            if (lo < 0) {
                bool ok = arg ? *(const int64_t *)(const void *)got == ref[k].pos : !memcmp(got, ref[k].v, es);
                ck_assert_msg(ok, "%s: line %lld, element %lld differs", what, (long long)l, (long long)k);
                continue;
            }
            sort_ref v = {got, 0, dt};
            if (arg) {
                int64_t pos = *(const int64_t *)(const void *)got;
                ck_assert_msg(pos >= 0 && pos < len && !seen[pos], "%s: line %lld, position %lld at %lld", what, (long long)l, (long long)pos,
                              (long long)k);
                seen[pos] = true;
                v.v = xd + l * xs[other] + pos * xs[axis];
            }
            sort_ref w = {ref[k < lo ? lo : k > hi ? hi : k].v, 0, dt}; /* (values only: positions equal) */
            int c = ref_cmp(&v, &w);
            ck_assert_msg(k < lo ? c <= 0 : k > hi ? c >= 0 : c == 0, "%s: line %lld, rank %lld out of order", what, (long long)l, (long long)k);
            vals[k] = v;
        }
        if (lo < 0 || arg) continue; /* (argpartition's positions are a permutation: checked above) */
        qsort(vals, (size_t)len, sizeof *vals, ref_cmp); /* partition's values: the line's, each as often */
        for (int64_t k = 0; k < len; k++) {
            sort_ref w = {ref[k].v, 0, dt};
            ck_assert_msg(ref_cmp(&vals[k], &w) == 0, "%s: line %lld: the values are not the line's", what, (long long)l);
        }
    }
    free(vals);
    free(seen);
    kiln_array_free(r);
    kiln_expr_free(e);
}

/* (the radix sort: sort's keys take it where the CPU lacks AVX-512, as KILN_VECTOR_BYTES=32 says;
 * on such a CPU the first pass took it already) */
START_TEST(long_sorts) {
    if (_i == 1 && !__builtin_cpu_supports("avx512f")) return;
    kiln_dtype dts[] = {KILN_F64, KILN_F32, KILN_I64, KILN_I32, KILN_BOOL};
    /* (past 65536: a line for all the threads; 4 lines of 140001: a line to a thread, each long enough
     * for the quicksort's tasks) */
    int64_t shapes[][2] = {{1, 70001}, {3, 66001}, {66001, 3}, {4, 140001}};
    if (_i == 1) setenv("KILN_VECTOR_BYTES", "32", 1);
    for (int threads = 1; threads <= 4; threads += 3) {
        kiln_set_num_threads(ctx, threads);
        for (size_t d = 0; d < sizeof dts / sizeof *dts; d++)
            for (size_t s = 0; s < (threads == 1 || d >= 2 ? 1 : sizeof shapes / sizeof *shapes); s++) { /* (one thread, or an
                                                                                                   integer dtype: one long line) */
                kiln_array *a = kiln_array_new(ctx, dts[d], 2, shapes[s]);
                char *ad = kiln_array_data(a);
                sort_fill(ad, dts[d], shapes[s][0] * shapes[s][1], 40 + d * 3 + s);
                kiln_expr *x = kiln_var(ctx, a);
                int axis = shapes[s][0] > shapes[s][1] ? 0 : 1;
                sort_ref *sorted = sorted_lines(ad, dts[d], shapes[s], axis);
                for (int arg = 0; arg < 2; arg++) {
                    char what[128];
                    snprintf(what, sizeof what, "%s of dtype %d, shape (%lld, %lld), %d threads", arg ? "argsort" : "sort", (int)dts[d],
                             (long long)shapes[s][0], (long long)shapes[s][1], threads);
                    check_long_sort(x, ad, sorted, dts[d], shapes[s], axis, arg, -1, -1, what);
                    int64_t len = shapes[s][axis], ranks[][2] = {{len / 2, len / 2}, {3, 200}, {len - 256, len - 1}, {0, 0}};
                    int k = (int)(d + s + (size_t)threads) % 4; /* (one set of ranks a case, in turn) */
                    snprintf(what, sizeof what, "%spartition of dtype %d, shape (%lld, %lld), %d threads, ranks %lld..%lld", arg ? "arg" : "",
                             (int)dts[d], (long long)shapes[s][0], (long long)shapes[s][1], threads, (long long)ranks[k][0], (long long)ranks[k][1]);
                    check_long_sort(x, ad, sorted, dts[d], shapes[s], axis, arg, ranks[k][0], ranks[k][1], what);
                }
                free(sorted);
                kiln_expr_free(x);
                kiln_array_free(a);
            }
    }
    unsetenv("KILN_VECTOR_BYTES");
}
END_TEST

/* sort_avx2.c's keys against the rule written out the long way (a float's bits all flipped when
 * its sign is set, else its sign bit set; NaN the largest key, -0.0 +0.0's; an integer's sign bit
 * flipped): every special value in every lane, lengths that leave a tail for sort.c, the range. */
START_TEST(avx2_keys) {
    if (!__builtin_cpu_supports("avx2")) return;
    static const double f64s[] = {0.0, -0.0, 1.5, -1.5, INFINITY, -INFINITY, NAN, -NAN, 5e-324, -5e-324, 1.7e308, -1.7e308};
    static const int64_t i64s[] = {0, -1, 1, INT64_MIN, INT64_MAX, -7, 7, INT64_MIN + 1};
    enum { N = 64 };
    uint64_t in64[N], out64[N];
    uint32_t in32[N], out32[N];
    for (int form = 0; form < 4; form++) /* float64, float32, int64, int32 */
        for (int n = 0; n <= N; n += n < 12 ? 1 : 13) {
            uint64_t seed = 77 + (uint64_t)(form * 100 + n), lo = UINT64_MAX, hi = 0, wlo = UINT64_MAX, whi = 0;
            bool sp = false, wsp = false;
            for (int k = 0; k < N; k++) {
                uint64_t r = mix64(&seed);
                if (form == 0) memcpy(&in64[k], &f64s[r % 12], 8);
                else if (form == 2) memcpy(&in64[k], &i64s[r % 8], 8);
                else if (form == 1) {
                    float f = (float)f64s[r % 12];
                    memcpy(&in32[k], &f, 4);
                } else in32[k] = (uint32_t)i64s[r % 8];
            }
            bool w64 = form % 2 == 0, fl = form < 2;
            int64_t m = w64 ? kiln_keys_avx2_u64(in64, out64, n, fl, &lo, &hi, &sp) : kiln_keys_avx2_u32(in32, out32, n, fl, &lo, &hi, &sp);
            ck_assert_int_eq(m, n - n % (w64 ? 4 : 8));
            for (int64_t k = 0; k < m; k++) {
                uint64_t b = w64 ? in64[k] : in32[k], top = w64 ? 1ull << 63 : 1ull << 31, all = w64 ? UINT64_MAX : UINT32_MAX, want;
                bool nan = fl && (b & ~top) > (w64 ? 0x7ff0000000000000ull : 0x7f800000ull), nz = fl && b == top;
                if (!fl) want = b ^ top;
                else if (nan) want = all;
                else if (nz) want = top;
                else want = b & top ? ~b & all : b | top;
                wsp = wsp || nan || nz;
                wlo = want < wlo ? want : wlo;
                whi = want > whi ? want : whi;
                uint64_t got = w64 ? out64[k] : out32[k];
                ck_assert_msg(got == want, "form %d, n %d, key %lld: %llx, want %llx", form, n, (long long)k, (unsigned long long)got,
                              (unsigned long long)want);
            }
            ck_assert_uint_eq(lo, wlo);
            ck_assert_uint_eq(hi, whi);
            ck_assert_int_eq(sp, wsp);
        }
}
END_TEST

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static atomic_int fallbacks;

static void qsort_u32(void *x, void *y, int64_t n) {
    (void)y;
    atomic_fetch_add(&fallbacks, 1);
    qsort(x, (size_t)n, 4, cmp_u32);
}

static void qsort_u64(void *x, void *y, int64_t n) {
    (void)y;
    atomic_fetch_add(&fallbacks, 1);
    qsort(x, (size_t)n, 8, cmp_u64);
}

/* One vectorized quicksort's entries: sort_avx512.c's or sort_avx2.c's. */
typedef struct vsort_entries {
    void (*sort32)(uint32_t *, uint32_t *, int64_t, int, const kiln_vsort_how *);
    void (*sort64)(uint64_t *, uint64_t *, int64_t, int, const kiln_vsort_how *);
    void (*select32)(uint32_t *, uint32_t *, int64_t, int64_t, int64_t, const kiln_vsort_how *);
    void (*select64)(uint64_t *, uint64_t *, int64_t, int64_t, int64_t, const kiln_vsort_how *);
} vsort_entries;

/* A vectorized quicksort of sort's keys, each way it can run: compressing stores or registers,
 * one thread or tasks, its fallback forced, leaves of its default, 32 and 3 registers, on
 * lengths around its registers, leaves and tasks and on the inputs that break quicksorts
 * (sorted, reversed, equal, few values, the largest key, the smallest); and its partition
 * (kiln_vselect) by random ranks, the same ways but threads. */
static void vector_sorts_of(const vsort_entries *e) {
    int64_t lens[] = {0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 33, 64, 65, 127, 128, 129, 130, 255, 256, 257, 511, 512, 513, 1000, 4099, 70001};
    enum { NL = sizeof lens / sizeof *lens, FORMS = 8 };
    int64_t most = 70001;
    uint32_t *a = malloc((size_t)most * 4), *b = malloc((size_t)most * 4), *s32 = malloc((size_t)most * 4);
    uint64_t *c = malloc((size_t)most * 8), *d = malloc((size_t)most * 8), *s64 = malloc((size_t)most * 8);
    uint32_t *p32 = malloc((size_t)most * 4);
    uint64_t *p64 = malloc((size_t)most * 8);
    uint64_t seed = 11;
    atomic_store(&fallbacks, 0);
    for (int way = 0; way < 24; way++) { /* (leaves: the default's registers, 32, 3, 2) */
        int leaf = way < 8 ? 0 : way < 16 ? 32 : way < 20 ? 3 : 2;
        kiln_vsort_how h32 = {.compress_store = way & 1, .fallback = qsort_u32, .depth = way & 2 ? 3 : 0, .leaf = leaf};
        kiln_vsort_how h64 = {.compress_store = way & 1, .fallback = qsort_u64, .depth = way & 2 ? 3 : 0, .leaf = leaf};
        int nt = way & 4 ? 4 : 1;
        for (int li = 0; li < NL; li++)
            for (int form = 0; form < FORMS; form++) {
                int64_t n = lens[li];
                for (int64_t i = 0; i < n; i++) {
                    uint64_t r = mix64(&seed);
                    switch (form) {
                    case 1: r %= 3; break;                            /* few values */
                    case 2: r = (uint64_t)i; break;                   /* sorted */
                    case 3: r = (uint64_t)(n - i); break;             /* reversed */
                    case 4: r = 42; break;                            /* all equal */
                    case 5: r = r % 5 ? r % 1000 : UINT64_MAX; break; /* the largest key among small ones */
                    case 6: r = (uint64_t)(i < n / 2 ? i : n - i); break; /* organ pipe */
                    case 7: r = r % 2 ? 0 : r; break;                 /* half the smallest key */
                    default: break;
                    }
                    c[i] = r;
                    a[i] = form == 5 && r == UINT64_MAX ? UINT32_MAX : (uint32_t)(r ^ (r >> 32));
                }
                memcpy(s32, a, (size_t)n * 4);
                memcpy(s64, c, (size_t)n * 8);
                memcpy(p32, a, (size_t)n * 4);
                memcpy(p64, c, (size_t)n * 8);
                qsort(s32, (size_t)n, 4, cmp_u32);
                qsort(s64, (size_t)n, 8, cmp_u64);
                if (n > 0) { /* a partition by ranks [lo, hi]: one rank, or a span */
                    int64_t lo = (int64_t)(mix64(&seed) % (uint64_t)n), hi = lo + (form & 1 ? (int64_t)(mix64(&seed) % (uint64_t)(n - lo)) : 0);
                    e->select32(p32, b, n, lo, hi, &h32);
                    e->select64(p64, d, n, lo, hi, &h64);
                    for (int64_t i = 0; i < n; i++) {
                        bool in = i >= lo && i <= hi;
                        ck_assert_msg(in ? p32[i] == s32[i] : i < lo ? p32[i] <= s32[lo] : p32[i] >= s32[hi],
                                      "32-bit partition: way %d, length %lld, form %d, ranks %lld..%lld, at %lld", way, (long long)n, form,
                                      (long long)lo, (long long)hi, (long long)i);
                        ck_assert_msg(in ? p64[i] == s64[i] : i < lo ? p64[i] <= s64[lo] : p64[i] >= s64[hi],
                                      "64-bit partition: way %d, length %lld, form %d, ranks %lld..%lld, at %lld", way, (long long)n, form,
                                      (long long)lo, (long long)hi, (long long)i);
                    }
                    qsort(p32, (size_t)n, 4, cmp_u32); /* (the same keys) */
                    qsort(p64, (size_t)n, 8, cmp_u64);
                    ck_assert_msg(!memcmp(p32, s32, (size_t)n * 4) && !memcmp(p64, s64, (size_t)n * 8), "partition: way %d, length %lld, form %d: other keys",
                                  way, (long long)n, form);
                }
                e->sort32(a, b, n, nt, &h32);
                e->sort64(c, d, n, nt, &h64);
                ck_assert_msg(!memcmp(a, s32, (size_t)n * 4), "32-bit keys: way %d, length %lld, form %d", way, (long long)n, form);
                ck_assert_msg(!memcmp(c, s64, (size_t)n * 8), "64-bit keys: way %d, length %lld, form %d", way, (long long)n, form);
            }
    }
    ck_assert_int_gt(atomic_load(&fallbacks), 0); /* (the forced depth reached it) */
    /* every length a leaf takes whole (leaves of 32 registers: up to 512 32-bit keys, 256 64-bit),
     * random, few values, and the largest key among small ones (the leaves' padding) */
    kiln_vsort_how l32 = {.fallback = qsort_u32, .leaf = 32}, l64 = {.fallback = qsort_u64, .leaf = 32};
    for (int form = 0; form < 3; form++)
        for (int64_t n = 0; n <= 512; n++) {
            for (int64_t i = 0; i < n; i++) {
                uint64_t r = mix64(&seed);
                r = form == 1 ? r % 3 : form == 2 ? (r % 5 ? r % 1000 : UINT64_MAX) : r;
                c[i] = r;
                a[i] = r == UINT64_MAX ? UINT32_MAX : (uint32_t)(r ^ (r >> 32));
            }
            memcpy(s32, a, (size_t)n * 4);
            memcpy(s64, c, (size_t)n * 8);
            qsort(s32, (size_t)n, 4, cmp_u32);
            qsort(s64, (size_t)n, 8, cmp_u64);
            a[n] = c[n] = 0x5eed; /* (a key past the end, which must stay) */
            e->sort32(a, b, n, 1, &l32);
            ck_assert_msg(!memcmp(a, s32, (size_t)n * 4) && a[n] == 0x5eed, "32-bit leaf: length %lld, form %d", (long long)n, form);
            if (n > 256) continue;
            e->sort64(c, d, n, 1, &l64);
            ck_assert_msg(!memcmp(c, s64, (size_t)n * 8) && c[n] == 0x5eed, "64-bit leaf: length %lld, form %d", (long long)n, form);
        }
    /* one thread's sort inside a team of the caller's (sort.c's line to a thread), long enough for
     * tasks: done when it returns */
    int64_t len = 200000;
    uint64_t *lx = malloc(2 * (size_t)len * 8), *ly = malloc(2 * (size_t)len * 8);
    int bad[2] = {0, 0};
    for (int64_t i = 0; i < 2 * len; i++) lx[i] = mix64(&seed);
    kiln_vsort_how h64 = {.compress_store = true, .fallback = qsort_u64};
#pragma omp parallel for num_threads(2)
    for (int l = 0; l < 2; l++) {
        e->sort64(lx + l * len, ly + l * len, len, 1, &h64);
        for (int64_t i = 1; i < len; i++) bad[l] += lx[l * len + i - 1] > lx[l * len + i]; /* (read at once) */
    }
    ck_assert_msg(!bad[0] && !bad[1], "lines sorted by one thread each of a team: %d and %d descents", bad[0], bad[1]);
    free(lx), free(ly);
    free(a), free(b), free(s32), free(c), free(d), free(s64), free(p32), free(p64);
}

/* sort_avx2.c's networks for the radix sort's short buckets (kiln_leaf2_): every length they take,
 * unsigned keys across the whole range (so that their sign bits must be flipped), a few values,
 * the largest and the smallest key, against qsort. */
static void network_leaves(void) {
    uint32_t a[257], s32[256];
    uint64_t c[129], s64[128], seed = 5;
    for (int form = 0; form < 4; form++)
        for (int64_t n = 2; n <= 256; n++) {
            for (int64_t i = 0; i < n; i++) {
                uint64_t r = mix64(&seed);
                r = form == 1 ? r % 3 : form == 2 ? (r % 4 ? r : UINT64_MAX) : form == 3 ? (r % 4 ? r : 0) : r;
                a[i] = form == 2 && r == UINT64_MAX ? UINT32_MAX : (uint32_t)(r ^ (r >> 32));
                if (i < 128) c[i] = r;
            }
            memcpy(s32, a, (size_t)n * 4);
            qsort(s32, (size_t)n, 4, cmp_u32);
            a[n] = 0x5eed; /* (a key past the end, which must stay) */
            kiln_leaf2_u32(a, n);
            ck_assert_msg(!memcmp(a, s32, (size_t)n * 4) && a[n] == 0x5eed, "32-bit network leaf: length %lld, form %d", (long long)n, form);
            if (n > 128) continue;
            memcpy(s64, c, (size_t)n * 8);
            qsort(s64, (size_t)n, 8, cmp_u64);
            c[n] = 0x5eed;
            kiln_leaf2_u64(c, n);
            ck_assert_msg(!memcmp(c, s64, (size_t)n * 8) && c[n] == 0x5eed, "64-bit network leaf: length %lld, form %d", (long long)n, form);
        }
}

START_TEST(vector_sorts) { /* (each where this CPU runs it: sort.c never calls it elsewhere) */
    static const vsort_entries avx512 = {kiln_vsort_u32, kiln_vsort_u64, kiln_vselect_u32, kiln_vselect_u64},
                               avx2 = {kiln_vsort2_u32, kiln_vsort2_u64, kiln_vselect2_u32, kiln_vselect2_u64};
    if (__builtin_cpu_supports("avx512f")) vector_sorts_of(&avx512);
    if (__builtin_cpu_supports("avx2")) vector_sorts_of(&avx2), network_leaves();
}
END_TEST

static int cmp_f64(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* unique's runs (host_runs; and sort_avx512.c's kiln_vruns_ and sort_avx2.c's kiln_vruns2_ where
 * this CPU has them, which host_runs takes only where KILN_VECTOR_BYTES leaves 64 or 32), against
 * a plain scan: every length up to 70 and a few long ones, each dtype's width, sorted values all
 * distinct, in runs, all equal, and -0.0 among 0.0 (equal: a run's first kept), and nothing
 * written past the runs (integers of whole values, wrapped in 8 and 16 bits, where runs are of
 * equal neighbours all the same). */
#define RUNS_CHECK(T, dt, fl, hv, vec, vec2)                                                                            \
    {                                                                                                                   \
        T *x = malloc((size_t)(n ? n : 1) * sizeof(T));                                                                 \
        int64_t want = 0;                                                                                               \
        for (int64_t i = 0; i < n; i++) x[i] = fl ? (T)v[i] : (T)(int64_t)v[i]; /* (integers wrapped) */                \
        for (int64_t i = 0; i < n; i++) want += i == 0 || x[i] != x[i - 1];                                             \
        T *ref = malloc((size_t)(want ? want : 1) * sizeof(T)), *got = malloc((size_t)(want + 16) * sizeof(T));         \
        for (int64_t i = 0, g = 0; i < n; i++)                                                                          \
            if (i == 0 || x[i] != x[i - 1]) ref[g++] = x[i];                                                            \
        for (int way = 0; way < 3; way++) {                                                                             \
            static const char *const names[3] = {"host_runs", #vec, #vec2};                                             \
            if (way && !(hv && (way == 1 ? __builtin_cpu_supports("avx512f") : __builtin_cpu_supports("avx2")))) continue; \
            int64_t runs = way == 2 ? vec2(x, n, NULL, 0) : way ? vec(x, n, NULL) : host_runs(dt, x, n, NULL, 0);       \
            ck_assert_msg(runs == want, "%s, %s: length %lld, form %d: %lld runs, want %lld", #T, names[way],            \
                          (long long)n, form, (long long)runs, (long long)want);                                        \
            memset(got, 0x5a, (size_t)(want + 16) * sizeof(T));                                                        \
            if (way == 2) vec2(x, n, got, runs);                                                                        \
            else if (way) vec(x, n, got);                                                                               \
            else host_runs(dt, x, n, got, runs);                                                                        \
            ck_assert_msg(!memcmp(got, ref, (size_t)want * sizeof(T)), "%s, %s: length %lld, form %d: other values", #T, \
                          names[way], (long long)n, form);                                                              \
            for (size_t b = (size_t)want * sizeof(T); b < (size_t)(want + 16) * sizeof(T); b++)                         \
                ck_assert_msg(((unsigned char *)got)[b] == 0x5a, "%s, %s: length %lld, form %d: a write past the runs", \
                              #T, names[way], (long long)n, form);                                                      \
        }                                                                                                               \
        free(x), free(ref), free(got);                                                                                  \
    }
static int64_t no_vruns16(const uint16_t *x, int64_t n, uint16_t *out) { return (void)x, (void)out, n; }
static int64_t no_vruns8(const uint8_t *x, int64_t n, uint8_t *out) { return (void)x, (void)out, n; }
static int64_t no_vruns2_16(const uint16_t *x, int64_t n, uint16_t *out, int64_t runs) { return (void)x, (void)out, (void)runs, n; }
static int64_t no_vruns2_8(const uint8_t *x, int64_t n, uint8_t *out, int64_t runs) { return (void)x, (void)out, (void)runs, n; }
START_TEST(unique_runs) {
    int64_t lens[] = {1000, 1001, 4097};
    double *v = malloc(4097 * sizeof *v);
    uint64_t seed = 3;
    for (int t = 0; t < 71 + 3; t++)
        for (int form = 0; form < 4; form++) {
            int64_t n = t < 71 ? t : lens[t - 71];
            for (int64_t i = 0; i < n; i++) {
                uint64_t r = mix64(&seed);
                v[i] = form == 0 ? (double)(r >> 40) : form == 1 ? (double)(r % 5) : form == 2 ? 7.0 : (double)(r % 3) - 1.0;
                if (form == 3 && v[i] == 0.0 && r % 7 < 3) v[i] = -0.0;
            }
            qsort(v, (size_t)n, sizeof *v, cmp_f64);
            RUNS_CHECK(double, KILN_F64, true, true, kiln_vruns_f64, kiln_vruns2_f64)
            RUNS_CHECK(float, KILN_F32, true, true, kiln_vruns_f32, kiln_vruns2_f32)
            RUNS_CHECK(uint64_t, KILN_I64, false, true, kiln_vruns_u64, kiln_vruns2_u64)
            RUNS_CHECK(uint32_t, KILN_U32, false, true, kiln_vruns_u32, kiln_vruns2_u32)
            RUNS_CHECK(uint16_t, KILN_I16, false, false, no_vruns16, no_vruns2_16)
            RUNS_CHECK(uint8_t, KILN_U8, false, false, no_vruns8, no_vruns2_8)
        }
    free(v);
}
END_TEST

/* searchsorted's tree of sorted keys (AVX-512 CPUs), against a plain count: every length up to
 * 600 and a few past 8^4, keys with runs of ties and the largest key (NaN's), values that are
 * keys, between them and past both ends, both sides, in blocks of 16 and shorter. */
START_TEST(vector_searches) {
    if (!__builtin_cpu_supports("avx512f")) return; /* (sort.c never calls it there) */
    uint64_t seed = 5;
    int64_t extra[] = {4095, 4096, 4097, 32769};
    uint64_t *keys = malloc(32769 * 8), v[16];
    for (int t = 0; t < 600 + 4; t++) {
        int64_t len = t < 600 ? t + 1 : extra[t - 600];
        ck_assert_int_le(kiln_vtree_size(len), 8 * (len + len / 7 + 16));
        for (int64_t k = 0; k < len; k++) { /* (sorted: a walk up by 0, 1 or big steps; the last few the largest key) */
            uint64_t r = mix64(&seed), prev = k ? keys[k - 1] : 5;
            keys[k] = len > 3 && k >= len - (int64_t)(r % 3) ? UINT64_MAX : prev + (r % 4 == 0 ? 0 : r % 4 == 1 ? 1 : r >> 40);
            if (keys[k] < prev) keys[k] = UINT64_MAX; /* (past the largest) */
        }
        uint64_t *tree = malloc((size_t)kiln_vtree_size(len) * 8); /* (its own size: ASan sees a read past it) */
        kiln_vtree_build(keys, len, tree);
        for (int rep = 0; rep < 8; rep++) {
            int m = rep % 2 ? 16 : 1 + (int)(mix64(&seed) % 16);
            for (int i = 0; i < m; i++) {
                uint64_t r = mix64(&seed);
                int form = (int)(r % 6);
                v[i] = form == 0 ? keys[r / 6 % (uint64_t)len] : form == 1 ? keys[r / 6 % (uint64_t)len] + 1 : form == 2 ? 0
                     : form == 3 ? UINT64_MAX : form == 4 ? keys[r / 6 % (uint64_t)len] - 1 : r;
            }
            for (int right = 0; right < 2; right++) {
                int64_t pos[16];
                kiln_vtree_search(tree, len, v, m, right, pos);
                for (int i = 0; i < m; i++) {
                    int64_t want = 0;
                    for (int64_t k = 0; k < len; k++) want += right ? keys[k] <= v[i] : keys[k] < v[i];
                    ck_assert_msg(pos[i] == want, "length %lld, value %d of %d, %s: %lld, want %lld", (long long)len, i, m,
                                  right ? "right" : "left", (long long)pos[i], (long long)want);
                }
            }
        }
        free(tree);
    }
    free(keys);
}
END_TEST

/* searchsorted: long sorted arrays of every dtype (random bits: NaN of both signs, zeros of both
 * signs, ties) searched for values of their own kind and for their own elements, both sides, on
 * one thread and several, against a plain count in NumPy's order: the whole array, and every
 * other element of its first 1000 (strided, and short enough against the values that its keys
 * are made once); then small cases (mixed
 * dtypes, views, broadcast values, empty and one-element arrays) against the reference, and
 * the 2-D refusal. */
START_TEST(searches) {
    kiln_dtype dts[] = {KILN_F64, KILN_F32, KILN_I64, KILN_I32, KILN_BOOL};
    int64_t n = 3001, m = 2500;
    for (size_t d = 0; d < sizeof dts / sizeof *dts; d++) {
        size_t es = kiln_dtype_size(dts[d]);
        kiln_array *raw = kiln_array_new(ctx, dts[d], 1, &n), *vals = kiln_array_new(ctx, dts[d], 1, &m);
        sort_fill(kiln_array_data(raw), dts[d], n, 70 + d);
        sort_fill(kiln_array_data(vals), dts[d], m, 80 + d);
        memcpy(kiln_array_data(vals), kiln_array_data(raw), 100 * es); /* values that are elements */
        kiln_expr *rx = kiln_var(ctx, raw), *sx = kiln_sort(ctx, rx, 0), *v = kiln_var(ctx, vals);
        kiln_array *sorted = kiln_eval(ctx, sx);
        ck_assert_msg(sorted != NULL, "%s", kiln_errmsg(ctx));
        kiln_expr *whole = kiln_var(ctx, sorted), *every2 = kiln_index(ctx, whole, 1, (kiln_ix[]){ix_s(0, 1000, 2, HAS_ALL)});
        const char *vd = kiln_array_data(vals);
        for (int run = 0; run < 4; run++) { /* (the whole, then every other one; one thread, then four) */
            int part = run / 2, threads = run % 2 ? 4 : 1;
            kiln_expr *s = part ? every2 : whole;
            int64_t len = part ? 500 : n, step = part ? 2 : 1;
            const char *sd = kiln_array_data(sorted);
            kiln_set_num_threads(ctx, threads);
            for (int right = 0; right < 2; right++) {
                kiln_expr *e = kiln_searchsorted(ctx, s, v, right);
                kiln_array *r = e ? kiln_eval(ctx, e) : NULL;
                ck_assert_msg(r != NULL, "dtype %d: %s", (int)dts[d], kiln_errmsg(ctx));
                ck_assert_int_eq(kiln_array_dtype(r), KILN_I64);
                const int64_t *got = kiln_array_data(r);
                for (int64_t i = 0; i < m; i++) {
                    sort_ref b = {vd + i * (int64_t)es, 0, dts[d]};
                    int64_t want = 0;
                    for (int64_t k = 0; k < len; k++) {
                        sort_ref a = {sd + k * step * (int64_t)es, 0, dts[d]};
                        int c = ref_cmp(&a, &b);
                        want += right ? c <= 0 : c < 0;
                    }
                    ck_assert_msg(got[i] == want, "dtype %d, %s, %lld elements, %d threads, value %lld: %lld, want %lld", (int)dts[d],
                                  right ? "right" : "left", (long long)len, threads, (long long)i, (long long)got[i], (long long)want);
                }
                kiln_array_free(r);
                kiln_expr_free(e);
            }
        }
        kiln_expr *all[] = {rx, sx, v, whole, every2};
        for (int i = 0; i < 5; i++) kiln_expr_free(all[i]);
        kiln_array *arrs[] = {raw, vals, sorted};
        for (int i = 0; i < 3; i++) kiln_array_free(arrs[i]);
    }
    double sv[6] = {-INFINITY, -1, 0, 0, 2.5, NAN};
    int64_t six = 6;
    kiln_array *sa = kiln_wrap(ctx, KILN_F64, 1, &six, NULL, sv);
    kiln_expr *s = kiln_var(ctx, sa), *x = rvar(KILN_F32, 2, (int64_t[]){5, 4}, 31), *k = rvar(KILN_I32, 2, (int64_t[]){4, 3}, 32);
    kiln_expr *s1 = kiln_index(ctx, s, 1, (kiln_ix[]){ix_s(4, 5, 1, HAS_ALL)}), *s0 = kiln_index(ctx, s, 1, (kiln_ix[]){ix_s(0, 0, 1, HAS_ALL)});
    for (int right = 0; right < 2; right++) {
        CHECK_REF(kiln_searchsorted(ctx, s, x, right), 0, "float32 values in float64");
        CHECK_REF(kiln_searchsorted(ctx, s, kiln_transpose(ctx, k), right), 0, "int32 values (a transpose) in float64");
        CHECK_REF(kiln_searchsorted(ctx, kiln_sort(ctx, kiln_ravel(ctx, k), 0), kiln_mul(ctx, x, kiln_const(ctx, KILN_F32, 9)), right), 0,
                  "an expression's values in a sorted int32 expression");
        CHECK_REF(kiln_searchsorted(ctx, s, kiln_const(ctx, KILN_F64, -0.0), right), 0, "-0.0 (0-d)");
        CHECK_REF(kiln_searchsorted(ctx, s, kiln_const(ctx, KILN_F64, NAN), right), 0, "NaN (0-d)");
        CHECK_REF(kiln_searchsorted(ctx, s1, x, right), 0, "one element");
        CHECK_REF(kiln_searchsorted(ctx, s0, x, right), 0, "no elements");
        CHECK_REF(kiln_searchsorted(ctx, s, kiln_index(ctx, x, 1, (kiln_ix[]){ix_s(0, 0, 1, HAS_ALL)}), right), 0, "no values");
    }
    ck_assert_ptr_null(kiln_searchsorted(ctx, x, s, 0));
    ck_assert_msg(strstr(kiln_errmsg(ctx), "must be 1-D"), "%s", kiln_errmsg(ctx));
    kiln_expr *all[] = {s, x, k, s1, s0};
    for (int i = 0; i < 5; i++) kiln_expr_free(all[i]);
    kiln_array_free(sa);
}
END_TEST

START_TEST(compositions_are_stable) {
    int64_t n = 7;
    double big[7] = {1000, 999, -1000, 0, 710, -INFINITY, 3};
    kiln_array *a = kiln_wrap(ctx, KILN_F64, 1, &n, NULL, big);
    kiln_expr *x = kiln_var(ctx, a);
    kiln_array *sm = kiln_eval(ctx, kiln_softmax(ctx, x, 0));
    ck_assert_ptr_nonnull(sm);
    const double *p = kiln_array_data(sm);
    double total = 0;
    for (int k = 0; k < 7; k++) {
        ck_assert(isfinite(p[k]));
        total += p[k];
    }
    ck_assert_double_eq_tol(total, 1.0, 1e-15);
    ck_assert_double_eq_tol(p[0], 1.0 / (1.0 + exp(-1.0)), 1e-15);
    kiln_array *lse = kiln_eval(ctx, kiln_logsumexp(ctx, x, KILN_EVERY_AXIS, 0));
    ck_assert_double_eq_tol(*(double *)kiln_array_data(lse), 1000 + log1p(exp(-1.0)), 1e-12);
    kiln_expr *m = rvar(KILN_F32, 2, (int64_t[]){6, 33}, 11);
    CHECK_REF(kiln_softmax(ctx, m, -1), MATH_ULP + 4, "softmax rows");
    /* x - max - log(sum): a few ulps of the log, absolute, against a small difference */
    kiln_expr *ls = kiln_log_softmax(ctx, m, 0);
    kiln_array *got = kiln_eval(ctx, ls), *want = kiln_array_new(ctx, KILN_F32, 2, (int64_t[]){6, 33});
    rt_ref_eval(ctx, ls, want);
    for (int64_t k = 0; k < 6 * 33; k++) {
        float g = ((float *)kiln_array_data(got))[k], w = ((float *)kiln_array_data(want))[k];
        ck_assert_msg(fabsf(g - w) <= 8 * FLT_EPSILON * (1 + fabsf(w)), "log_softmax columns: element %lld: %.9g vs %.9g", (long long)k, g, w);
    }
    kiln_array_free(got);
    kiln_array_free(want);
    CHECK_REF(kiln_softmax_axes(ctx, m, 3u), MATH_ULP + 4, "softmax over both axes");
    CHECK_REF(kiln_sigmoid(ctx, m), MATH_ULP + 2, "sigmoid");
    CHECK_REF(kiln_clip(ctx, m, kiln_const(ctx, KILN_F64, -0.5), kiln_const(ctx, KILN_F64, 0.25)), 0, "clip");
    CHECK_REF(kiln_round(ctx, kiln_mul(ctx, m, kiln_const(ctx, KILN_F64, 100.0)), 1), 1, "round(x, 1)");
    CHECK_REF(kiln_std(ctx, m, 1u << 1, 1, 1), 16, "std(ddof=1, keepdims)");
    CHECK_REF(kiln_variance(ctx, m, KILN_EVERY_AXIS, 0, 0), 16, "var");
    /* one_hot and the *_like constructors */
    int64_t labels[5] = {0, 2, -1, 3, 1};
    kiln_array *la = kiln_wrap(ctx, KILN_I64, 1, (int64_t[]){5}, NULL, labels);
    kiln_array *oh = kiln_eval(ctx, kiln_one_hot(ctx, kiln_var(ctx, la), 3, KILN_F32));
    ck_assert_msg(oh, "%s", kiln_errmsg(ctx));
    ck_assert(oh->dtype == KILN_F32 && oh->ndim == 2 && oh->shape[0] == 5 && oh->shape[1] == 3);
    for (int r = 0; r < 5; r++)
        for (int c = 0; c < 3; c++) ck_assert(((float *)kiln_array_data(oh))[r * 3 + c] == (labels[r] == c ? 1.0f : 0.0f));
    ck_assert_ptr_null(kiln_one_hot(ctx, m, 3, KILN_F32)); /* labels must be integers */
    ck_assert_int_eq(kiln_errcode(ctx), KILN_ERR_DTYPE);
    kiln_clear_error(ctx);
    kiln_array *like[2] = {kiln_ones_like(ctx, m), kiln_full_like(ctx, m, 2.5)};
    for (int k = 0; k < 2; k++) {
        ck_assert(like[k] && like[k]->dtype == KILN_F32 && like[k]->ndim == 2 && like[k]->shape[0] == 6 && like[k]->shape[1] == 33);
        for (int64_t q = 0; q < 6 * 33; q++) ck_assert(((float *)kiln_array_data(like[k]))[q] == (k ? 2.5f : 1.0f));
        kiln_array_free(like[k]);
    }
    kiln_array *zl = kiln_zeros_like(ctx, kiln_var(ctx, la));
    ck_assert(zl && zl->dtype == KILN_I64 && zl->shape[0] == 5 && ((int64_t *)kiln_array_data(zl))[4] == 0);
    kiln_array_free(zl);
    kiln_array_free(oh);
    kiln_array_free(la);
    kiln_array_free(a);
    kiln_array_free(sm);
    kiln_array_free(lse);
}
END_TEST

START_TEST(placeholders_compile_once) {
    int64_t sh[2] = {3, 50};
    kiln_expr *w = kiln_param(ctx, KILN_F64, 1, (int64_t[]){50}), *X = kiln_param(ctx, KILN_F64, 2, sh);
    kiln_expr *z = kiln_sigmoid(ctx, kiln_matmul(ctx, X, w));
    kiln_array *out = kiln_eval(ctx, z);
    ck_assert_ptr_null(out);
    ck_assert_msg(strstr(kiln_errmsg(ctx), "not bound"), "%s", kiln_errmsg(ctx));
    kiln_stats s0, s1;
    for (int it = 0; it < 20; it++) {
        kiln_array *wa = int_valued(1, (int64_t[]){50}, 100 + (uint64_t)it);
        kiln_array *xa = int_valued(2, sh, 200 + (uint64_t)it);
        ck_assert_int_eq(kiln_bind(ctx, w, wa), KILN_OK);
        ck_assert_int_eq(kiln_bind(ctx, X, xa), KILN_OK);
        if (it == 1) kiln_get_stats(ctx, &s0);
        /* the same values through ordinary leaves, by the reference */
        kiln_expr *direct = kiln_sigmoid(ctx, kiln_matmul(ctx, kiln_var(ctx, xa), kiln_var(ctx, wa)));
        kiln_array *got = kiln_eval(ctx, z), *want = kiln_array_new(ctx, KILN_F64, 1, (int64_t[]){3});
        ck_assert_ptr_nonnull(got);
        rt_ref_eval(ctx, direct, want);
        char msg[256] = "";
        ck_assert_msg(compare_arrays(got, want, MATH_ULP, msg, sizeof msg) == 0, "iteration %d: %s", it, msg);
        kiln_array_free(got);
        kiln_array_free(want);
        kiln_expr_free(direct);
        kiln_array_free(wa);
        kiln_array_free(xa);
    }
    kiln_get_stats(ctx, &s1);
    ck_assert_uint_eq(s1.kernels_compiled + s1.tier_kernels, s0.kernels_compiled + s0.tier_kernels);
    /* wrong shapes and dtypes are refused */
    kiln_array *bad = kiln_array_new(ctx, KILN_F32, 1, (int64_t[]){50});
    ck_assert_int_eq(kiln_bind(ctx, w, bad), KILN_ERR_DTYPE);
    kiln_array_free(bad);
    bad = kiln_array_new(ctx, KILN_F64, 1, (int64_t[]){49});
    ck_assert_int_eq(kiln_bind(ctx, w, bad), KILN_ERR_SHAPE);
    kiln_array_free(bad);
}
END_TEST

/* Interrupts: a flag raised before a run stops it at once; raised from another thread during a
 * long element-wise run, it stops the run within a piece. */
typedef struct {
    kiln_ctx *ctx;
    int ms;
} interrupter;
static void *interrupt_later(void *p) {
    interrupter *it = p;
    struct timespec ts = {0, it->ms * 1000000L};
    nanosleep(&ts, NULL);
    kiln_interrupt(it->ctx);
    return NULL;
}

START_TEST(interrupts) {
    kiln_expr *x = rvar(KILN_F64, 1, (int64_t[]){1000}, 12);
    kiln_interrupt(ctx);
    ck_assert_ptr_null(kiln_eval(ctx, kiln_exp(ctx, x)));
    ck_assert_int_eq(kiln_errcode(ctx), KILN_ERR_INTERRUPTED);
    kiln_clear_interrupt(ctx);
    kiln_array *ok = kiln_eval(ctx, kiln_exp(ctx, x));
    ck_assert_ptr_nonnull(ok);
    kiln_array_free(ok);
    /* about a second of sin() over 2^24 elements, 40 times over, interrupted after 50 ms */
    kiln_array *big = kiln_array_new(ctx, KILN_F64, 1, (int64_t[]){1 << 24});
    memset(kiln_array_data(big), 0, (size_t)8 << 24);
    kiln_expr *e = kiln_var(ctx, big);
    for (int k = 0; k < 40; k++) e = kiln_sin(ctx, kiln_add(ctx, e, kiln_const(ctx, KILN_F64, 1.0)));
    interrupter it = {ctx, 50};
    pthread_t th;
    pthread_create(&th, NULL, interrupt_later, &it);
    kiln_array *r = kiln_eval(ctx, e);
    pthread_join(th, NULL);
    ck_assert_ptr_null(r);
    ck_assert_int_eq(kiln_errcode(ctx), KILN_ERR_INTERRUPTED);
    kiln_clear_interrupt(ctx);
    kiln_array_free(big);
}
END_TEST

Suite *suite_views(void) {
    Suite *s = suite_create("views");
    TCase *t = tcase_create("views");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 120);
    tcase_add_test(t, slices_of_arrays_and_expressions);
    tcase_add_test(t, transposed_reads_in_tiles);
    tcase_add_test(t, transposed_reads_in_blocks);
    tcase_add_test(t, reshapes);
    tcase_add_test(t, concatenate_and_stack);
    tcase_add_test(t, concatenate_many_parts);
    tcase_add_test(t, concatenate_blocks);
    tcase_add_test(t, short_rows_written_across);
    tcase_add_test(t, take_and_take_along_axis);
    tcase_add_test(t, take_rows_by_table);
    tcase_add_test(t, scans);
    tcase_add_test(t, sorts);
    tcase_add_loop_test(t, long_sorts, 0, 2);
    tcase_add_test(t, avx2_keys);
    tcase_add_test(t, vector_sorts);
    tcase_add_test(t, vector_searches);
    tcase_add_test(t, unique_runs);
    tcase_add_test(t, searches);
    tcase_add_test(t, compositions_are_stable);
    tcase_add_test(t, placeholders_compile_once);
    tcase_add_test(t, interrupts);
    suite_add_tcase(s, t);
    return s;
}
