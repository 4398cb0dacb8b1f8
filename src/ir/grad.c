/*
 * grad.c — reverse-mode automatic differentiation over kiln's graphs.
 *
 * Pipeline position: while the graph is built, beside the builders.  ir_vjp walks the graph
 * under an output backwards (users before their operands) and builds, with the ordinary
 * builders, each node's adjoint: the sum of what every user of the node passes down to it.
 * Gradients are therefore expression graphs like any other: hash-consing shares what the
 * forward graph and the backward graphs have in common (sigmoid(z) is one node for both),
 * fusion puts element-wise adjoints into the kernels around them, and kiln_eval_many evaluates
 * a loss and its gradients in one plan.
 *
 * The rules are JAX's (jax/_src/lax/lax.py's JVP and transpose rules written as VJPs):
 *   - element-wise ops: the derivative times the adjoint, then summed over the axes the operand
 *     was broadcast along (unbroadcast); maximum and minimum split a tie equally;
 *   - piecewise-constant ops (comparisons, floor, ceil, rint, sign, floor_divide, the
 *     predicates) and every integer or bool value have no gradient: nothing flows through them;
 *   - reductions: sum's adjoint is broadcast back; max and min share it among the elements equal
 *     to the result; prod's is the product of the other elements (exact at zeros);
 *   - cumsum: a reversed cumsum; cumprod: a reversed cumsum of g * y, divided by x (not defined
 *     where x has zeros: the one rule here that is not JAX's);
 *   - matmul: g @ b.T and a.T @ g, with the 1-D cases as outer products;
 *   - views: a view that covers its operand one-to-one (a transpose, a flip, new or dropped
 *     axes of length 1) has its inverse view as adjoint; any other is an EMBED (zeros but where
 *     the view read); reshape reshapes back; concatenate slices; take is a SCATTER (add at the
 *     indices), and the adjoints of EMBED and SCATTER are a view and a take again, so gradients
 *     of gradients are gradients too.
 */
#include <math.h>
#include <string.h>

#include "graph.h"

/* The state of one ir_vjp: the adjoints, and every temporary node made on the way (released
 * at the end, so that only what the gradients use stays alive). */
typedef struct grad {
    ir_graph *g;
    kiln_expr **adj;    /* by node id: the adjoint so far (a reference), or NULL */
    uint8_t *needed;    /* by node id: a floating-point node on a path to a wrt node */
    kiln_expr **tmp;
    uint32_t ntmp, captmp;
    bool failed;
} grad;

/* e kept until the end; NULL (and the walk failed) when a builder failed. */
static kiln_expr *keep(grad *s, kiln_expr *e) {
    if (!e) {
        s->failed = true;
        return NULL;
    }
    if (s->ntmp == s->captmp) {
        uint32_t cap = s->captmp ? 2 * s->captmp : 64;
        kiln_expr **t = kiln_realloc(s->g->ctx, s->tmp, cap * sizeof *t);
        if (!t) {
            ir_release(e);
            s->failed = true;
            kiln_fail(s->g->ctx, KILN_ERR_NOMEM, "out of memory");
            return NULL;
        }
        s->tmp = t;
        s->captmp = cap;
    }
    return s->tmp[s->ntmp++] = e;
}

/* ---- builders over kept temporaries (NULL in, NULL out) ---- */

static kiln_expr *op2(grad *s, kiln_op op, kiln_expr *a, kiln_expr *b) {
    return a && b ? keep(s, ir_build(s->g, op, (kiln_expr *[]){a, b}, KILN_F64)) : NULL;
}
static kiln_expr *op1(grad *s, kiln_op op, kiln_expr *a) {
    return a ? keep(s, ir_build(s->g, op, (kiln_expr *[]){a}, KILN_F64)) : NULL;
}
static kiln_expr *where(grad *s, kiln_expr *c, kiln_expr *a, kiln_expr *b) {
    return c && a && b ? keep(s, ir_build(s->g, KILN_OP_WHERE, (kiln_expr *[]){c, a, b}, KILN_F64)) : NULL;
}
static kiln_expr *cast(grad *s, kiln_expr *a, kiln_dtype dt) {
    return !a || a->dtype == dt ? a : keep(s, ir_build(s->g, KILN_OP_CAST, (kiln_expr *[]){a}, dt));
}
/* A Python float: weak, so it takes the other operand's float dtype. */
static kiln_expr *num(grad *s, double v) {
    kscalar k;
    memset(&k, 0, sizeof k);
    k.f64 = v;
    return keep(s, ir_const(s->g, KILN_F64, k, true));
}
static kiln_expr *mul(grad *s, kiln_expr *a, kiln_expr *b) { return op2(s, KILN_OP_MUL, a, b); }
static kiln_expr *dv(grad *s, kiln_expr *a, kiln_expr *b) { return op2(s, KILN_OP_DIV, a, b); }
static kiln_expr *neg(grad *s, kiln_expr *a) { return op1(s, KILN_OP_NEG, a); }
static kiln_expr *sq(grad *s, kiln_expr *a) { return mul(s, a, a); }
static kiln_expr *sum_axes(grad *s, kiln_expr *a, unsigned mask, bool keepdims) {
    return a ? keep(s, ir_reduce_axes(s->g, KILN_OP_SUM, a, mask, keepdims)) : NULL;
}
static kiln_expr *view(grad *s, kiln_expr *a, const ir_viewmap *m) { return a ? keep(s, ir_view(s->g, a, m)) : NULL; }

static void map_init(ir_viewmap *m, int ndim) {
    memset(m, 0, sizeof *m);
    m->ndim = ndim;
    for (int k = 0; k < KILN_MAX_DIMS; k++) m->fix[k] = -1;
}

/* c (the shape an op broadcast its operands to) summed back to operand a's shape and dtype. */
static kiln_expr *unbroadcast(grad *s, kiln_expr *c, const kiln_expr *a) {
    if (!c) return NULL;
    int pad = c->ndim - a->ndim;
    KILN_ASSERT(pad >= 0);
    unsigned mask = 0;
    for (int d = 0; d < c->ndim; d++)
        if (c->shape[d] != 1 && (d < pad || a->shape[d - pad] == 1)) mask |= 1u << d;
    if (mask) c = sum_axes(s, c, mask, true);
    if (pad && c) { /* the leading axes, now of length 1, dropped: a view */
        ir_viewmap m;
        map_init(&m, a->ndim);
        for (int d = 0; d < pad && d < KILN_MAX_DIMS; d++) m.fix[d] = 0;
        for (int d = 0; d < a->ndim && d < KILN_MAX_DIMS; d++) {
            m.shape[d] = a->shape[d];
            m.src[d] = (int8_t)(d + pad);
            m.step[d] = 1;
        }
        c = view(s, c, &m);
    }
    return cast(s, c, (kiln_dtype)a->dtype);
}

/* gr (reduction x's shape) read back at the shape of x's operand a: the reduced axes broadcast. */
static kiln_expr *expand(grad *s, kiln_expr *gr, const kiln_expr *x, const kiln_expr *a) {
    if (!gr) return NULL;
    ir_viewmap m;
    map_init(&m, a->ndim);
    for (int d = 0, k = 0; d < a->ndim; d++) {
        m.shape[d] = a->shape[d];
        bool red = ir_reduces(x, d);
        if (red && !x->keepdims) {
            m.src[d] = -1; /* a new axis, read again and again */
            continue;
        }
        m.src[d] = (int8_t)k++;
        m.step[d] = red ? 0 : 1;
    }
    return view(s, gr, &m);
}

/* The reverse of a along axis (a view). */
static kiln_expr *flip(grad *s, kiln_expr *a, int axis) {
    if (!a) return NULL;
    ir_viewmap m;
    map_init(&m, a->ndim);
    for (int d = 0; d < a->ndim; d++) {
        m.shape[d] = a->shape[d];
        m.src[d] = (int8_t)d;
        m.step[d] = d == axis ? -1 : 1;
        m.start[d] = d == axis && a->shape[d] > 0 ? a->shape[d] - 1 : 0;
    }
    return view(s, a, &m);
}

/* a viewed with a new axis of length 1 at position at (a column or row of an outer product). */
static kiln_expr *with_axis(grad *s, kiln_expr *a, int at) {
    return a ? keep(s, ir_expand_dims(s->g, a, at)) : NULL;
}

/* The adjoint of view x of a, given gv (x's shape). */
static kiln_expr *view_adjoint(grad *s, kiln_expr *gv, const kiln_expr *x, const kiln_expr *a) {
    ir_viewmap m;
    ir_view_of(x, &m);
    unsigned mask = 0; /* axes the view read again and again: their contributions add up */
    for (int d = 0; d < m.ndim; d++)
        if (m.shape[d] > 1 && (m.src[d] < 0 || m.step[d] == 0)) mask |= 1u << d;
    if (mask) {
        gv = sum_axes(s, gv, mask, true);
        for (int d = 0; d < m.ndim; d++)
            if (mask >> d & 1) m.shape[d] = 1;
    }
    if (!gv) return NULL;
    /* one-to-one: each operand axis read whole, forwards or backwards, by one output axis (or
     * of length 1 and fixed), and every other output axis of length 1 */
    int by[KILN_MAX_DIMS];
    bool onto = true;
    for (int k = 0; k < a->ndim; k++) by[k] = -1;
    for (int d = 0; d < m.ndim && onto; d++) {
        int k = m.src[d];
        if (k < 0) {
            onto = m.shape[d] == 1;
            continue;
        }
        int64_t n = a->shape[k];
        onto = by[k] < 0 && m.shape[d] == n &&
               (n <= 1 || (m.step[d] == 1 && m.start[d] == 0) || (m.step[d] == -1 && m.start[d] == n - 1));
        by[k] = d;
    }
    for (int k = 0; k < a->ndim && onto; k++) onto = by[k] >= 0 || a->shape[k] == 1;
    if (!onto) return keep(s, ir_embed(s->g, gv, &m, a->ndim, a->shape));
    ir_viewmap inv;
    map_init(&inv, a->ndim);
    for (int k = 0; k < a->ndim; k++) {
        inv.shape[k] = a->shape[k];
        inv.src[k] = (int8_t)by[k];
        if (by[k] >= 0) {
            inv.start[k] = a->shape[k] > 1 ? m.start[by[k]] : 0;
            inv.step[k] = a->shape[k] > 1 ? m.step[by[k]] : 1;
        }
    }
    for (int d = 0; d < m.ndim; d++)
        if (m.src[d] < 0) inv.fix[d] = 0;
    return view(s, gv, &inv);
}

/* ---- the rules ---- */

/* What x (with adjoint g) passes down to its operand i, in x's shape for element-wise ops (the
 * caller unbroadcasts) and in the operand's shape for the others; NULL (not failed) for
 * nothing. */
/* The matrices of stack a transposed (its last two dims swapped). */
static kiln_expr *mT(grad *s, kiln_expr *a) {
    if (!a) return NULL;
    int ax[KILN_MAX_DIMS];
    for (int d = 0; d < a->ndim; d++) ax[d] = d;
    ax[a->ndim - 2] = a->ndim - 1, ax[a->ndim - 1] = a->ndim - 2;
    return keep(s, ir_permute(s->g, a, ax));
}
static kiln_expr *mm(grad *s, kiln_expr *a, kiln_expr *b) { return a && b ? keep(s, ir_matmul(s->g, a, b)) : NULL; }
static kiln_expr *la(grad *s, int fn, kiln_expr *a, kiln_expr *b, unsigned flags) {
    return a ? keep(s, ir_linalg(s->g, fn, a, b, flags)) : NULL;
}

/* The row and column numbers (from 1) of an n x n matrix, in dt: cumsums of ones. */
static void rows_cols(grad *s, int64_t n, kiln_dtype dt, kiln_expr **r, kiln_expr **c) {
    kiln_expr *one = keep(s, ir_const(s->g, dt, ref_cast((kscalar){.f64 = 1}, KILN_F64, dt), false));
    kiln_expr *ones = one ? keep(s, ir_broadcast_to(s->g, one, 2, (int64_t[]){n, n})) : NULL;
    *r = ones ? keep(s, ir_scan(s->g, KILN_OP_CUMSUM, ones, 0)) : NULL;
    *c = ones ? keep(s, ir_scan(s->g, KILN_OP_CUMSUM, ones, 1)) : NULL;
}
/* (a + a.T) / 2 over a stack's matrices */
static kiln_expr *sym(grad *s, kiln_expr *a) { return mul(s, op2(s, KILN_OP_ADD, a, mT(s, a)), num(s, 0.5)); }

/* np.linalg's adjoints, as JAX's: solve's and inv's through the inverse, det's and slogdet's
 * through inv(a).T, eigh's and cholesky's of the matrix symmetrized (as JAX reads it), the
 * singular values' through the vectors. */
/* grad's failure through x: why, after what it is. */
static kiln_expr *no_gradient(grad *s, const kiln_expr *x, const char *why) {
    s->failed = true;
    bool qr = x->keepdims == KILN_LA_QR_Q || x->keepdims == KILN_LA_QR_R;
    kiln_fail(s->g->ctx, KILN_ERR_ARG, "grad: kiln has no gradient through %s's %s %s", linalg_fn_name(x->keepdims),
              qr ? "factors" : x->keepdims == KILN_LA_SVD_U || x->keepdims == KILN_LA_SVD_VH ? "singular vectors" : "result", why);
    return NULL;
}

static kiln_expr *linalg_rule(grad *s, kiln_expr *x, int i, kiln_expr *g) {
    kiln_expr *a = ir_arg(x, 0), *y = x;
    int nb = a->ndim - 2;
    int64_t n = a->shape[a->ndim - 1];
    switch (x->keepdims) {
    case KILN_LA_SOLVE: { /* gb = solve(a.T, g), ga = -gb @ y.T */
        kiln_expr *gb = la(s, KILN_LA_SOLVE, mT(s, a), g, 0);
        return i == 1 ? gb : neg(s, mm(s, gb, mT(s, y)));
    }
    case KILN_LA_INV: { /* -y.T @ g @ y.T */
        kiln_expr *yt = mT(s, y);
        return neg(s, mm(s, mm(s, yt, g), yt));
    }
    case KILN_LA_DET:
    case KILN_LA_LOGDET: { /* g · det · inv(a).T, g · inv(a).T */
        kiln_expr *w = x->keepdims == KILN_LA_DET ? mul(s, g, y) : g;
        return mul(s, with_axis(s, with_axis(s, w, nb), nb + 1), mT(s, la(s, KILN_LA_INV, a, NULL, IR_LA_FOR_GRAD)));
    }
    case KILN_LA_SIGNDET: return NULL; /* piecewise constant */
    case KILN_LA_EIGVALSH: { /* v @ diag(g) @ v.T */
        kiln_expr *v = la(s, KILN_LA_EIGVECSH, a, NULL, x->axes);
        return mm(s, mul(s, v, with_axis(s, g, nb)), mT(s, v));
    }
    case KILN_LA_EIGVECSH: { /* v @ (F * (v.T @ g)) @ v.T symmetrized, F_ij = 1 / (w_j - w_i) (0 where equal) */
        kiln_expr *w = la(s, KILN_LA_EIGVALSH, a, NULL, x->axes);
        kiln_expr *d = op2(s, KILN_OP_SUB, with_axis(s, w, nb), with_axis(s, w, nb + 1)); /* d_ij = w_j - w_i */
        kiln_expr *f = where(s, op2(s, KILN_OP_EQ, d, num(s, 0)), num(s, 0), dv(s, num(s, 1), d));
        return sym(s, mm(s, mm(s, y, mul(s, f, mm(s, mT(s, y), g))), mT(s, y)));
    }
    case KILN_LA_CHOLESKY: { /* L^-T phi(L^T g) L^-1 symmetrized, phi: the lower triangle, its diagonal halved */
        bool up = x->axes & KILN_LA_UPPER;
        kiln_expr *L = up ? mT(s, y) : y, *gl = up ? mT(s, g) : g, *r = NULL, *c = NULL;
        rows_cols(s, n, (kiln_dtype)x->dtype, &r, &c);
        kiln_expr *m = mm(s, mT(s, L), gl);
        kiln_expr *phi = where(s, op2(s, KILN_OP_LT, c, r), m, where(s, op2(s, KILN_OP_EQ, c, r), mul(s, m, num(s, 0.5)), num(s, 0)));
        kiln_expr *li = la(s, KILN_LA_INV, L, NULL, 0);
        return sym(s, mm(s, mm(s, mT(s, li), phi), li));
    }
    case KILN_LA_SVALS: { /* u @ diag(g) @ vh, the reduced u and vh */
        kiln_expr *u = la(s, KILN_LA_SVD_U, a, NULL, 0), *vh = la(s, KILN_LA_SVD_VH, a, NULL, 0);
        return mm(s, mul(s, u, with_axis(s, g, nb)), vh);
    }
    case KILN_LA_SVD_U:
    case KILN_LA_SVD_VH: { /* the reduced svd: u (F ∘ skew(u.T gu)) S vh + (gu - u u.T gu) S^-1 vh where m > n;
                              u S (F ∘ skew(vh gvh.T)) vh + u S^-1 (gvh - gvh vh.T vh) where n > m;
                              F_ij = 1 / (s_j² - s_i²), 0 where equal (JAX's rule, transposed) */
        int64_t m = a->shape[a->ndim - 2];
        if ((x->axes & KILN_LA_FULL) && m != n) return no_gradient(s, x, "of a full u or vh (full_matrices=True) of a matrix that "
                                                                         "is not square: their extra columns are not unique");
        bool isu = x->keepdims == KILN_LA_SVD_U;
        kiln_expr *u = isu ? y : la(s, KILN_LA_SVD_U, a, NULL, x->axes), *vh = isu ? la(s, KILN_LA_SVD_VH, a, NULL, x->axes) : y;
        kiln_expr *sv = la(s, KILN_LA_SVALS, a, NULL, 0), *s2 = mul(s, sv, sv);
        kiln_expr *d = op2(s, KILN_OP_SUB, with_axis(s, s2, nb), with_axis(s, s2, nb + 1)); /* d_ij = s_j² - s_i² */
        kiln_expr *f = where(s, op2(s, KILN_OP_EQ, d, num(s, 0)), num(s, 0), dv(s, num(s, 1), d));
        kiln_expr *row = with_axis(s, sv, nb), *col = with_axis(s, sv, nb + 1); /* X * row: X S; col * X: S X */
        kiln_expr *k = mm(s, isu ? mT(s, u) : vh, isu ? g : mT(s, g));           /* u.T gu, or vh gvh.T */
        kiln_expr *w = mul(s, f, op2(s, KILN_OP_SUB, k, mT(s, k)));
        kiln_expr *r = mm(s, mm(s, u, isu ? mul(s, w, row) : mul(s, col, w)), vh);
        if (isu && m > n) r = op2(s, KILN_OP_ADD, r, mm(s, dv(s, op2(s, KILN_OP_SUB, g, mm(s, u, k)), row), vh));
        if (!isu && n > m) r = op2(s, KILN_OP_ADD, r, mm(s, u, dv(s, op2(s, KILN_OP_SUB, g, mm(s, mT(s, k), vh)), col)));
        return r;
    }
    case KILN_LA_QR_Q:
    case KILN_LA_QR_R: { /* (gq + q N) r^-T, N = M's upper triangle copied to the lower, M = gr r.T - q.T gq (the
                            transpose of JAX's rule; m >= n) */
        int64_t m = a->shape[a->ndim - 2];
        if (m < n) return no_gradient(s, x, "of a matrix with fewer rows than columns");
        if ((x->axes & KILN_LA_FULL) && m != n) return no_gradient(s, x, "in mode 'complete' of a matrix that is not square: q's "
                                                                         "extra columns are not unique");
        bool isq = x->keepdims == KILN_LA_QR_Q;
        kiln_expr *q = isq ? y : la(s, KILN_LA_QR_Q, a, NULL, x->axes), *r = isq ? la(s, KILN_LA_QR_R, a, NULL, x->axes) : y;
        kiln_expr *mx = isq ? neg(s, mm(s, mT(s, q), g)) : mm(s, g, mT(s, r)), *rw = NULL, *cl = NULL;
        rows_cols(s, n, (kiln_dtype)x->dtype, &rw, &cl);
        kiln_expr *nn = where(s, op2(s, KILN_OP_LE, rw, cl), mx, mT(s, mx));
        kiln_expr *t = mm(s, q, nn);
        if (isq) t = op2(s, KILN_OP_ADD, g, t);
        return mT(s, la(s, KILN_LA_SOLVE, r, mT(s, t), IR_LA_FOR_GRAD));
    }
    default: return no_gradient(s, x, "yet");
    }
}

static kiln_expr *rule(grad *s, kiln_expr *x, int i, kiln_expr *g) {
    kiln_expr *a = ir_arg(x, 0), *b = x->arg[1] != IR_NONE ? ir_arg(x, 1) : NULL, *y = x;
    kiln_expr *o = ir_arg(x, i);
    switch ((kiln_op)x->op) {
    case KILN_OP_VAR:
    case KILN_OP_CONST:
    case KILN_OP_PARAM: return NULL;
    case KILN_OP_CAST: return cast(s, g, (kiln_dtype)a->dtype);
    case KILN_OP_ADD: return g;
    case KILN_OP_SUB: return i == 0 ? g : neg(s, g);
    case KILN_OP_MUL: return mul(s, g, i == 0 ? b : a);
    case KILN_OP_DIV: {
        kiln_expr *ga = dv(s, g, b);
        return i == 0 ? ga : neg(s, mul(s, ga, y));
    }
    case KILN_OP_MOD: /* a - floor(a / b) * b */
        return i == 0 ? g : neg(s, mul(s, g, op1(s, KILN_OP_FLOOR, dv(s, a, b))));
    case KILN_OP_POW:
        if (i == 0) { /* b * a ** (b - 1), and 0 where b is 0 (as JAX) */
            if (b->op == KILN_OP_CONST) {
                double p = dtype_is_float((kiln_dtype)b->dtype) ? (b->dtype == KILN_F32 ? b->val.f32 : b->val.f64) : (double)b->val.i64;
                if (p == 0) return NULL;
                if (p == 1) return g;
                if (p == 2) return mul(s, g, mul(s, num(s, 2), a));
            }
            kiln_expr *d = mul(s, b, op2(s, KILN_OP_POW, a, op2(s, KILN_OP_SUB, b, num(s, 1))));
            if (b->op != KILN_OP_CONST) d = where(s, op2(s, KILN_OP_EQ, b, num(s, 0)), num(s, 0), d);
            return mul(s, g, d);
        } else { /* y * log(a), 0 where a is 0 (as JAX) */
            kiln_expr *l = where(s, op2(s, KILN_OP_EQ, a, num(s, 0)), num(s, 0), op1(s, KILN_OP_LOG, a));
            return mul(s, g, mul(s, y, l));
        }
    case KILN_OP_MAXIMUM:
    case KILN_OP_MINIMUM: { /* 1 where this operand is the result, 1/2 for a tie (as JAX) */
        kiln_expr *other = i == 0 ? b : a;
        kiln_expr *share = where(s, op2(s, KILN_OP_EQ, other, y), num(s, 0.5), num(s, 1));
        return mul(s, g, where(s, op2(s, KILN_OP_EQ, o, y), share, num(s, 0)));
    }
    case KILN_OP_FMOD: { /* a - trunc(a / b) * b */
        if (i == 0) return g;
        kiln_expr *q = dv(s, a, b);
        kiln_expr *t = where(s, op2(s, KILN_OP_LT, q, num(s, 0)), op1(s, KILN_OP_CEIL, q), op1(s, KILN_OP_FLOOR, q));
        return neg(s, mul(s, g, t));
    }
    case KILN_OP_HYPOT: /* a / hypot, b / hypot; 0 at the origin (as JAX's) */
        return mul(s, g, where(s, op2(s, KILN_OP_EQ, y, num(s, 0)), num(s, 0), dv(s, i == 0 ? a : b, y)));
    case KILN_OP_LDEXP: return i == 0 ? op2(s, KILN_OP_LDEXP, g, b) : NULL; /* g * 2**b; b is an integer */
    case KILN_OP_NEXTAFTER: return i == 0 ? g : NULL;                      /* a moved by one ulp */
    case KILN_OP_COPYSIGN: /* ±g, as the signs of a and b differ or agree, 0 where a is 0 (|a|'s, as JAX's); nothing to b */
        return i == 0 ? mul(s, g, mul(s, op1(s, KILN_OP_SIGN, a), op2(s, KILN_OP_COPYSIGN, num(s, 1), b))) : NULL;
    case KILN_OP_ARCTAN2: { /* atan2(a, b): b / (a² + b²), -a / (a² + b²) */
        kiln_expr *r = op2(s, KILN_OP_ADD, sq(s, a), sq(s, b));
        return i == 0 ? mul(s, g, dv(s, b, r)) : neg(s, mul(s, g, dv(s, a, r)));
    }
    case KILN_OP_NEG: return neg(s, g);
    case KILN_OP_POSITIVE: return g;
    case KILN_OP_ABS: return mul(s, g, op1(s, KILN_OP_SIGN, a));
    case KILN_OP_SQRT: return dv(s, g, mul(s, num(s, 2), y));
    case KILN_OP_EXP: return mul(s, g, y);
    case KILN_OP_EXPM1: return mul(s, g, op2(s, KILN_OP_ADD, y, num(s, 1)));
    case KILN_OP_EXP2: return mul(s, g, mul(s, y, num(s, M_LN2)));
    case KILN_OP_LOG: return dv(s, g, a);
    case KILN_OP_LOG1P: return dv(s, g, op2(s, KILN_OP_ADD, a, num(s, 1)));
    case KILN_OP_LOG2: return dv(s, g, mul(s, a, num(s, M_LN2)));
    case KILN_OP_LOG10: return dv(s, g, mul(s, a, num(s, M_LN10)));
    case KILN_OP_SIN: return mul(s, g, op1(s, KILN_OP_COS, a));
    case KILN_OP_COS: return neg(s, mul(s, g, op1(s, KILN_OP_SIN, a)));
    case KILN_OP_TAN: return mul(s, g, op2(s, KILN_OP_ADD, num(s, 1), sq(s, y)));
    case KILN_OP_ARCSIN: return dv(s, g, op1(s, KILN_OP_SQRT, op2(s, KILN_OP_SUB, num(s, 1), sq(s, a))));
    case KILN_OP_ARCCOS: return neg(s, dv(s, g, op1(s, KILN_OP_SQRT, op2(s, KILN_OP_SUB, num(s, 1), sq(s, a)))));
    case KILN_OP_ARCTAN: return dv(s, g, op2(s, KILN_OP_ADD, num(s, 1), sq(s, a)));
    case KILN_OP_SINH: return mul(s, g, op1(s, KILN_OP_COSH, a));
    case KILN_OP_COSH: return mul(s, g, op1(s, KILN_OP_SINH, a));
    case KILN_OP_TANH: return mul(s, g, op2(s, KILN_OP_SUB, num(s, 1), sq(s, y)));
    case KILN_OP_ARCSINH: return dv(s, g, op1(s, KILN_OP_SQRT, op2(s, KILN_OP_ADD, sq(s, a), num(s, 1))));
    case KILN_OP_ARCCOSH: return dv(s, g, op1(s, KILN_OP_SQRT, op2(s, KILN_OP_SUB, sq(s, a), num(s, 1))));
    case KILN_OP_ARCTANH: return dv(s, g, op2(s, KILN_OP_SUB, num(s, 1), sq(s, a)));
    case KILN_OP_CBRT: return dv(s, g, mul(s, num(s, 3), sq(s, y))); /* 1 / (3 cbrt(a)²) */
    case KILN_OP_WHERE:
        return i == 0 ? NULL : i == 1 ? where(s, a, g, num(s, 0)) : where(s, a, num(s, 0), g);
    /* piecewise constant, or of integers and bools: no gradient */
    case KILN_OP_FLOORDIV:
    case KILN_OP_EQ:
    case KILN_OP_NE:
    case KILN_OP_LT:
    case KILN_OP_LE:
    case KILN_OP_GT:
    case KILN_OP_GE:
    case KILN_OP_AND:
    case KILN_OP_OR:
    case KILN_OP_XOR:
    case KILN_OP_LSHIFT:
    case KILN_OP_RSHIFT:
    case KILN_OP_INVERT:
    case KILN_OP_SIGN:
    case KILN_OP_FREXP:
    case KILN_OP_FLOOR:
    case KILN_OP_CEIL:
    case KILN_OP_RINT:
    case KILN_OP_ISNAN:
    case KILN_OP_ISINF:
    case KILN_OP_ISFINITE:
    case KILN_OP_ARGMAX:
    case KILN_OP_ARGMIN:
    case KILN_OP_ANY:
    case KILN_OP_ALL: return NULL;

    case KILN_OP_SUM: return expand(s, g, x, a);
    case KILN_OP_MAX:
    case KILN_OP_MIN: { /* shared among the elements equal to the result */
        kiln_expr *at = cast(s, op2(s, KILN_OP_EQ, a, expand(s, y, x, a)), (kiln_dtype)a->dtype);
        kiln_expr *count = expand(s, sum_axes(s, at, x->axes, x->keepdims), x, a);
        return dv(s, mul(s, expand(s, g, x, a), at), count);
    }
    case KILN_OP_PROD: { /* the product of the others: p/a without zeros, p' (the product of the
                            nonzero ones) at a lone zero, 0 where there are two or more */
        kiln_expr *zero = op2(s, KILN_OP_EQ, a, num(s, 0));
        kiln_expr *nonzero = where(s, zero, num(s, 1), a);
        kiln_expr *p = expand(s, keep(s, ir_reduce_axes(s->g, KILN_OP_PROD, nonzero, x->axes, x->keepdims)), x, a);
        kiln_expr *nz = expand(s, sum_axes(s, cast(s, zero, KILN_I64), x->axes, x->keepdims), x, a);
        kiln_expr *lone = op2(s, KILN_OP_AND, op2(s, KILN_OP_EQ, nz, num(s, 1)), zero);
        kiln_expr *d = where(s, op2(s, KILN_OP_EQ, nz, num(s, 0)), dv(s, p, a), where(s, lone, p, num(s, 0)));
        return mul(s, expand(s, g, x, a), d);
    }
    case KILN_OP_SORT: { /* take_along_axis(a, argsort(a)): g added back at the positions it came from */
        int64_t lo, hi;
        /* a partition y: y's position argsort(y)[r] holds a's argsort(a)[r] (rank r), so g is
         * first taken in y's sorted order */
        if (ir_partition_ranks(x, &lo, &hi)) g = keep(s, ir_take(s->g, g, keep(s, ir_scan(s->g, KILN_OP_ARGSORT, x, x->axis)), x->axis, true, 0));
        return g ? keep(s, ir_scatter(s->g, g, keep(s, ir_scan(s->g, KILN_OP_ARGSORT, a, x->axis)), NULL, x->axis, 1, a->ndim, a->shape)) : NULL;
    }
    case KILN_OP_ARGSORT: /* positions */
    case KILN_OP_SEARCH: return NULL;
    case KILN_OP_CUMSUM: return flip(s, keep(s, ir_scan(s->g, KILN_OP_CUMSUM, flip(s, g, x->axis), x->axis)), x->axis);
    case KILN_OP_CUMPROD: {
        kiln_expr *r = flip(s, keep(s, ir_scan(s->g, KILN_OP_CUMSUM, flip(s, mul(s, g, y), x->axis), x->axis)), x->axis);
        return dv(s, r, a);
    }
    case KILN_OP_CUMMAX:
    case KILN_OP_CUMMIN: { /* g added back where each running extreme came from (of equal ones, the last):
                              positions kept where a is the extreme so far, their running maximum */
        kiln_expr *one = keep(s, ir_const(s->g, KILN_I64, (kscalar){.i64 = 1}, true)), *zero = keep(s, ir_const(s->g, KILN_I64, (kscalar){.i64 = 0}, true));
        kiln_expr *ones = one ? keep(s, ir_broadcast_to(s->g, one, a->ndim, a->shape)) : NULL;
        kiln_expr *pos = ones ? keep(s, ir_scan(s->g, KILN_OP_CUMSUM, ones, x->axis)) : NULL; /* (from 1) */
        kiln_expr *hit = op2(s, KILN_OP_OR, op2(s, KILN_OP_EQ, a, y), op2(s, KILN_OP_NE, a, a)); /* (a NaN: where y's NaN came from) */
        kiln_expr *at = hit && pos && zero ? keep(s, ir_build(s->g, KILN_OP_WHERE, (kiln_expr *[]){hit, pos, zero}, KILN_I64)) : NULL;
        kiln_expr *from = at ? op2(s, KILN_OP_SUB, keep(s, ir_scan(s->g, KILN_OP_CUMMAX, at, x->axis)), one) : NULL;
        return from ? keep(s, ir_scatter(s->g, g, from, NULL, x->axis, 1, a->ndim, a->shape)) : NULL;
    }
    case KILN_OP_MATMUL: {
        kiln_expr *t = i == 0 ? b : a;
        if (x->ndim > 2) { /* a stack (operands of x's dims): the products of g with the other's matrices transposed */
            int ax[KILN_MAX_DIMS];
            for (int d = 0; d < x->ndim; d++) ax[d] = d;
            ax[x->ndim - 2] = x->ndim - 1, ax[x->ndim - 1] = x->ndim - 2;
            kiln_expr *tt = keep(s, ir_permute(s->g, t, ax));
            return i == 0 ? keep(s, ir_matmul(s->g, g, tt)) : keep(s, ir_matmul(s->g, tt, g));
        }
        if (a->ndim == 1 && b->ndim == 1) return mul(s, g, t); /* a 0-d g */
        if (i == 0 && a->ndim == 1) return keep(s, ir_matmul(s->g, b, g));              /* (k,n)@(n,) */
        if (i == 1 && b->ndim == 1) return keep(s, ir_matmul(s->g, keep(s, ir_transpose(s->g, a)), g));
        if (i == 0 && b->ndim == 1) return mul(s, with_axis(s, g, 1), with_axis(s, b, 0)); /* outer(g, b) */
        if (i == 1 && a->ndim == 1) return mul(s, with_axis(s, a, 1), with_axis(s, g, 0)); /* outer(a, g) */
        return i == 0 ? keep(s, ir_matmul(s->g, g, keep(s, ir_transpose(s->g, b))))
                      : keep(s, ir_matmul(s->g, keep(s, ir_transpose(s->g, a)), g));
    }
    case KILN_OP_VIEW: return view_adjoint(s, g, x, a);
    case KILN_OP_RESHAPE: return keep(s, ir_reshape(s->g, g, a->ndim, a->shape));
    case KILN_OP_CONCAT: {
        ir_viewmap m;
        map_init(&m, x->ndim);
        for (int d = 0; d < x->ndim; d++) {
            m.shape[d] = o->shape[d];
            m.src[d] = (int8_t)d;
            m.step[d] = 1;
        }
        m.start[x->axis] = i == 0 ? 0 : a->shape[x->axis];
        return view(s, g, &m);
    }
    case KILN_OP_TAKE:
        if (i > 0) return NULL; /* indices */
        return keep(s, ir_scatter(s->g, g, ir_arg(x, 1), x->arg[2] != IR_NONE ? ir_arg(x, 2) : NULL, x->axis, x->keepdims,
                                  a->ndim, a->shape));
    case KILN_OP_SOFTMAX: { /* along the last axis */
        unsigned last = 1u << (a->ndim - 1);
        if (x->keepdims == 0) return mul(s, y, op2(s, KILN_OP_SUB, g, sum_axes(s, mul(s, g, y), last, true)));
        if (x->keepdims == 1) return op2(s, KILN_OP_SUB, g, mul(s, op1(s, KILN_OP_EXP, y), sum_axes(s, g, last, true)));
        return mul(s, g, op1(s, KILN_OP_EXP, op2(s, KILN_OP_SUB, a, y))); /* logsumexp, its axis kept */
    }
    case KILN_OP_LINALG: return linalg_rule(s, x, i, g);
    case KILN_OP_EMBED: {
        ir_viewmap m;
        ir_embed_of(x, &m);
        return view(s, g, &m);
    }
    case KILN_OP_SCATTER:
        if (i > 0) return NULL;
        if (x->axes & IR_SCATTER_AT) {
            s->failed = true;
            kiln_fail(s->g->ctx, KILN_ERR_ARG, "grad: kiln has no gradient through np.%s.at", kiln_op_name(ir_scatter_combine(x->axes)));
            return NULL;
        }
        if (x->keepdims == 2) return keep(s, ir_take_pair(s->g, g, ir_arg(x, 1), ir_arg(x, 2), x->axis, 0));
        return keep(s, ir_take(s->g, g, ir_arg(x, 1), x->axis, x->keepdims == 1, 0));
    case KILN_OP_COUNT: break;
    }
    KILN_ASSERT(0 && "an op without a gradient rule");
    return NULL;
}

/* Adds contribution c to operand a's adjoint. */
static void accumulate(grad *s, kiln_expr *a, kiln_expr *c) {
    if (!c) return;
    kiln_expr **slot = &s->adj[a->id];
    if (!*slot) {
        ir_retain(c);
        *slot = c;
        return;
    }
    kiln_expr *sum = ir_build(s->g, KILN_OP_ADD, (kiln_expr *[]){*slot, c}, KILN_F64);
    if (!sum) {
        s->failed = true;
        return;
    }
    ir_release(*slot);
    *slot = sum;
}

static bool differentiable(const kiln_expr *n) { return dtype_is_float((kiln_dtype)n->dtype); }

/* Whether c is the constant 1. */
static bool const_one(const kiln_expr *c) {
    if (c->op != KILN_OP_CONST || c->ndim != 0) return false;
    double f;
    int64_t i;
    return kiln_expr_scalar(c, &f, &i) && f == 1;
}

/* The z of a sigmoid, 1 / (1 + exp(-z)) (kiln_sigmoid's nodes), whose division is x, when none
 * of its inner nodes is one of the n variables wrt (each of those needs its own adjoint); else
 * NULL.  Its adjoint goes to z at once, as JAX's logistic's, g * y * (1 - y): through exp(-z) it
 * would be 0 * inf = NaN where exp overflows (z below -709, or -88 in float32). */
static kiln_expr *sigmoid_of(kiln_expr *x, int n, kiln_expr *const *wrt) {
    if (x->op != KILN_OP_DIV || !const_one(ir_arg(x, 0))) return NULL;
    kiln_expr *d = ir_arg(x, 1);
    if (d->op != KILN_OP_ADD) return NULL;
    kiln_expr *e = const_one(ir_arg(d, 0)) ? ir_arg(d, 1) : const_one(ir_arg(d, 1)) ? ir_arg(d, 0) : NULL;
    if (!e || e->op != KILN_OP_EXP || ir_arg(e, 0)->op != KILN_OP_NEG) return NULL;
    for (int i = 0; i < n; i++)
        if (wrt[i] == d || wrt[i] == e || wrt[i] == ir_arg(e, 0)) return NULL;
    kiln_expr *z = ir_arg(ir_arg(e, 0), 0);
    return ir_same_shape(z, x) ? z : NULL;
}

kiln_status ir_vjp(ir_graph *g, kiln_expr *out, kiln_expr *seed, int n, kiln_expr *const *wrt, kiln_expr **grads) {
    kiln_ctx *ctx = g->ctx;
    for (int i = 0; i < n; i++) grads[i] = NULL;
    if (!ir_check_operand(g, out, "grad", 1) || (seed && !ir_check_operand(g, seed, "grad", 2))) return kiln_errcode(ctx);
    if (!differentiable(out))
        return kiln_fail(ctx, KILN_ERR_DTYPE, "grad: the output is %s; only floating-point values have gradients",
                         kiln_dtype_name((kiln_dtype)out->dtype));
    for (int i = 0; i < n; i++) {
        if (!ir_check_operand(g, wrt[i], "grad", 3 + i)) return kiln_errcode(ctx);
        if (!differentiable(wrt[i]))
            return kiln_fail(ctx, KILN_ERR_DTYPE, "grad: variable %d is %s; integer and bool values have no gradient", i + 1,
                             kiln_dtype_name((kiln_dtype)wrt[i]->dtype));
    }
    if (!seed && out->ndim != 0)
        return kiln_fail(ctx, KILN_ERR_SHAPE, "grad: the output has %d dimension%s, not 0: reduce it to a scalar first, or give "
                                              "a seed (a vector-Jacobian product)", out->ndim, out->ndim == 1 ? "" : "s");
    if (seed && !ir_broadcasts_to(seed, out->ndim, out->shape)) {
        char ss[64], os[64];
        ir_shape_str(seed, ss, sizeof ss);
        ir_shape_str(out, os, sizeof os);
        return kiln_fail(ctx, KILN_ERR_SHAPE, "grad: the seed has shape %s, which is not the output's %s (nor broadcasts to it)", ss, os);
    }

    grad s = {.g = g};
    kiln_expr **order = NULL;
    uint32_t count = 0, top = ir_top(g);
    kiln_status st = ir_walk(g, &out, 1, NULL, NULL, &order, &count);
    if (st != KILN_OK) return st;
    s.adj = kiln_calloc(ctx, top * sizeof *s.adj);
    s.needed = kiln_calloc(ctx, top);
    if (!s.adj || !s.needed) {
        st = kiln_fail(ctx, KILN_ERR_NOMEM, "out of memory");
        goto done;
    }
    /* a node other than a leaf must be one of the loss's: views and reshapes of element-wise
     * expressions are rebuilt on their arrays (ir_view, ir_reshape), so the expression a caller
     * kept may not be in the graph the loss was built as (its gradient is not zero: refused) */
    for (uint32_t k = 0; k < count; k++) s.needed[order[k]->id] = 2;
    for (int i = 0; i < n; i++)
        if (!op_is_leaf(wrt[i]->op) && s.needed[wrt[i]->id] != 2) {
            st = kiln_fail(ctx, KILN_ERR_ARG,
                           "grad: variable %d is an expression that is not a node of the loss's graph (a view or reshape of "
                           "it was rebuilt on its arrays): take the gradient with respect to arrays or placeholders",
                           i + 1);
            goto done;
        }
    memset(s.needed, 0, top);
    for (int i = 0; i < n; i++) s.needed[wrt[i]->id] = 1;
    for (uint32_t k = 0; k < count; k++) { /* operands first: a node is needed when one of them is */
        kiln_expr *x = order[k];
        if (!differentiable(x)) continue;
        for (int i = 0; i < 3; i++)
            if (x->arg[i] != IR_NONE && s.needed[x->arg[i]] && differentiable(ir_arg(x, i))) s.needed[x->id] = 1;
    }
    if (s.needed[out->id]) { /* the seed: 1, or the caller's, in the output's shape and dtype */
        kiln_expr *sd = seed ? cast(&s, seed, (kiln_dtype)out->dtype) : cast(&s, num(&s, 1), (kiln_dtype)out->dtype);
        if (sd && seed) sd = keep(&s, ir_broadcast_to(g, sd, out->ndim, out->shape));
        if (sd) accumulate(&s, out, sd);
    }
    for (uint32_t k = count; k-- > 0 && !s.failed;) { /* users before their operands */
        kiln_expr *x = order[k], *gx = s.adj[x->id];
        if (!gx) continue;
        bool elementwise = x->op > KILN_OP_PARAM && x->op < KILN_OP_SUM;
        kiln_expr *z = sigmoid_of(x, n, wrt);
        if (z && s.needed[z->id]) { /* g * y * (1 - y), straight to z */
            kiln_expr *c = mul(&s, gx, mul(&s, x, op2(&s, KILN_OP_SUB, num(&s, 1), x)));
            if (c) accumulate(&s, z, cast(&s, c, (kiln_dtype)z->dtype));
            continue;
        }
        for (int i = 0; i < 3 && !s.failed; i++) {
            if (x->arg[i] == IR_NONE || !s.needed[x->arg[i]]) continue;
            kiln_expr *a = ir_arg(x, i);
            kiln_expr *c = rule(&s, x, i, gx);
            if (c && elementwise) c = unbroadcast(&s, c, a);
            if (c && !ir_same_shape(c, a)) {
                st = kiln_fail(ctx, KILN_ERR_SHAPE, "grad: internal: %s's adjoint has the wrong shape", kiln_op_name((kiln_op)x->op));
                s.failed = true;
            }
            if (c) accumulate(&s, a, cast(&s, c, (kiln_dtype)a->dtype));
        }
    }
    for (int i = 0; i < n && !s.failed; i++) { /* unreached: zeros */
        kiln_expr *w = wrt[i], *r = s.adj[w->id];
        if (r) ir_retain(r);
        else r = ir_broadcast_to(g, cast(&s, num(&s, 0), (kiln_dtype)w->dtype), w->ndim, w->shape);
        if (!r) s.failed = true;
        grads[i] = r;
    }
    if (s.failed) {
        st = kiln_errcode(ctx) != KILN_OK ? kiln_errcode(ctx) : KILN_ERR_NOMEM;
        for (int i = 0; i < n; i++) {
            if (grads[i]) ir_release(grads[i]);
            grads[i] = NULL;
        }
    }
done:
    if (s.adj)
        for (uint32_t k = 0; k < count; k++)
            if (s.adj[order[k]->id]) ir_release(s.adj[order[k]->id]);
    for (uint32_t k = 0; k < s.ntmp; k++) ir_release(s.tmp[k]);
    kiln_free(ctx, s.tmp);
    kiln_free(ctx, s.adj);
    kiln_free(ctx, s.needed);
    kiln_free(ctx, order);
    return st;
}
