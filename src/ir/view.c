/*
 * view.c — views: indexing and slicing, transposes, new and dropped axes, reshapes; and the two
 * structural ops that place values rather than compute them, concatenation and take.
 *
 * Pipeline position: while the graph is built.  A view is a map from the output's index to the
 * operand's (struct kiln_expr's VIEW fields): per output dim an operand dim with a start and a
 * step, or a new axis; per operand dim not mapped, a fixed index.  Where it goes:
 *
 *     view of an array (VAR) or a           ─▶ a VIEW node over the leaf: the runtime reads the
 *         placeholder (PARAM)                   leaf's memory through new strides (no copy), and
 *                                               gradients find the array the view is of
 *     view of an element-wise expression    ─▶ the expression rebuilt on views of its arrays:
 *         of arrays and placeholders            (a + b)[1:] is a[1:] + b[1:], which fuses
 *     view of a view                        ─▶ one VIEW, the maps composed
 *     a broadcast (a dim read again and     ─▶ a VIEW node, never pushed down: the operand is
 *         again, ir_broadcast_to)               computed once, then read
 *     view of anything else                 ─▶ a VIEW node: the operand is computed, then read
 *
 * Broadcasting is respected on the way down: an array of length 1 along a dim of the expression
 * stays of length 1 in its view (or 0 where the view is empty).
 */
#include <string.h>

#include "graph.h"

static void shape_text(const int64_t *shape, int nd, char *buf, size_t cap) {
    size_t o = (size_t)snprintf(buf, cap, "(");
    for (int d = 0; d < nd && o < cap; d++) o += (size_t)snprintf(buf + o, cap - o, "%s%lld", d ? ", " : "", (long long)shape[d]);
    if (o < cap) snprintf(buf + o, cap - o, nd == 1 ? ",)" : ")");
}

/* ------------------------------------------------------------------ maps */

/* The map a VIEW or EMBED node n holds, reading an array of rank in_nd to give out (its shape). */
static void node_map(const kiln_expr *n, const kiln_expr *out, int in_nd, ir_viewmap *m) {
    m->ndim = out->ndim;
    for (int d = 0; d < KILN_MAX_DIMS; d++) {
        m->shape[d] = d < out->ndim ? out->shape[d] : 0;
        m->src[d] = d < out->ndim ? n->vsrc[d] : -1;
        m->start[d] = d < out->ndim ? n->vstart[d] : 0;
        m->step[d] = d < out->ndim ? n->vstep[d] : 0;
        m->fix[d] = d < in_nd ? n->vfix[d] : -1;
    }
}

void ir_view_of(const kiln_expr *n, ir_viewmap *m) { node_map(n, n, ir_arg(n, 0)->ndim, m); }
void ir_embed_of(const kiln_expr *n, ir_viewmap *m) { node_map(n, ir_arg(n, 0), n->ndim, m); }

void ir_view_memory(const ir_viewmap *m, const int64_t *shape, const int64_t *strides, int64_t *offset, int64_t *vstrides) {
    KILN_UNUSED(shape);
    int64_t off = 0;
    for (int k = 0; k < KILN_MAX_DIMS; k++)
        if (m->fix[k] > 0) off += m->fix[k] * strides[k];
    for (int d = 0; d < m->ndim; d++) {
        if (m->src[d] < 0 || m->shape[d] == 0) {
            vstrides[d] = 0;
            continue;
        }
        off += m->start[d] * strides[m->src[d]];
        vstrides[d] = m->step[d] * strides[m->src[d]];
    }
    *offset = off;
}

static void map_identity(ir_viewmap *m, const kiln_expr *x) {
    memset(m, 0, sizeof *m);
    m->ndim = x->ndim;
    for (int d = 0; d < KILN_MAX_DIMS; d++) {
        m->src[d] = (int8_t)(d < x->ndim ? d : -1);
        m->step[d] = 1;
        m->fix[d] = -1;
        if (d < x->ndim) m->shape[d] = x->shape[d];
    }
}

static bool map_is_identity(const ir_viewmap *m, const kiln_expr *x) {
    if (m->ndim != x->ndim) return false;
    for (int d = 0; d < x->ndim; d++)
        if (m->src[d] != d || m->start[d] != 0 || (m->step[d] != 1 && x->shape[d] > 1) || m->shape[d] != x->shape[d] ||
            m->fix[d] >= 0)
            return false;
    return true;
}

/* The map of leaf L (rank <= x's, broadcast to x's shape) that m makes of it. */
static void leaf_map(const ir_viewmap *m, const kiln_expr *x, const kiln_expr *L, ir_viewmap *o) {
    int pad = x->ndim - L->ndim;
    memset(o, 0, sizeof *o);
    o->ndim = m->ndim;
    for (int k = 0; k < KILN_MAX_DIMS; k++) o->fix[k] = -1;
    for (int d = 0; d < m->ndim; d++) {
        int j = m->src[d];
        o->shape[d] = m->shape[d];
        o->src[d] = -1;
        if (j < 0 || j < pad) { /* a new axis, or one the leaf is broadcast along */
            o->shape[d] = m->shape[d] == 0 ? 0 : 1;
            continue;
        }
        if (L->shape[j - pad] == 1) { /* broadcast: index 0, whatever the view picks */
            o->src[d] = (int8_t)(j - pad);
            o->shape[d] = m->shape[d] == 0 ? 0 : 1;
            continue;
        }
        o->src[d] = (int8_t)(j - pad);
        o->start[d] = m->start[d];
        o->step[d] = m->step[d];
    }
    for (int j = pad; j < x->ndim; j++)
        if (m->fix[j] >= 0) o->fix[j - pad] = L->shape[j - pad] == 1 ? 0 : m->fix[j];
}

/* A VIEW node reading x through m. */
static kiln_expr *view_node(ir_graph *g, kiln_expr *x, const ir_viewmap *m) {
    kiln_expr p;
    ir_proto(&p, KILN_OP_VIEW, (kiln_dtype)x->dtype);
    p.ndim = (uint8_t)m->ndim;
    for (int d = 0; d < KILN_MAX_DIMS; d++) {
        p.vsrc[d] = -1;
        p.vfix[d] = -1;
    }
    for (int d = 0; d < m->ndim; d++) {
        p.shape[d] = m->shape[d];
        p.vsrc[d] = m->src[d];
        if (m->src[d] >= 0 && m->shape[d] > 0) {
            p.vstart[d] = m->start[d];
            p.vstep[d] = m->shape[d] > 1 ? m->step[d] : 0;
        }
    }
    for (int k = 0; k < x->ndim; k++) p.vfix[k] = m->fix[k];
    p.arg[0] = x->id;
    return ir_intern(g, &p);
}

typedef struct push {
    ir_graph *g;
    const ir_viewmap *m;
    const kiln_expr *x; /* the expression the view is of */
} push;

/* One leaf of the expression, viewed. */
static kiln_status push_leaf(void *ud, kiln_expr *n, kiln_expr *const *args, kiln_expr **out) {
    KILN_UNUSED(args);
    push *p = ud;
    ir_graph *g = p->g;
    if (!op_is_array_leaf(n->op)) return KILN_OK; /* constants are 0-d: the same everywhere */
    ir_viewmap o;
    leaf_map(p->m, p->x, n, &o);
    /* a VIEW node over the leaf (no copy: the runtime reads the leaf's memory through it), so
     * that the view stays a view of that array, which gradients follow back */
    *out = map_is_identity(&o, n) ? (ir_retain(n), n) : view_node(g, n, &o);
    return *out ? KILN_OK : kiln_errcode(g->ctx);
}

static bool stop_at_structure(void *ud, const kiln_expr *n) {
    bool *found = ud;
    if (!op_is_elementwise(n->op)) *found = true;
    return !op_is_elementwise(n->op);
}

kiln_expr *ir_view(ir_graph *g, kiln_expr *x, const ir_viewmap *m) {
    if (!x) return NULL;
    if (map_is_identity(m, x)) {
        ir_retain(x);
        return x;
    }
    bool broadcast = false; /* a dim read again and again (ir_broadcast_to): x is computed once */
    for (int d = 0; d < m->ndim; d++) broadcast |= m->shape[d] > 1 && (m->src[d] < 0 || m->step[d] == 0);
    if (x->op == KILN_OP_VIEW) { /* compose: one view of x's operand */
        ir_viewmap in, o;
        ir_view_of(x, &in);
        kiln_expr *y = ir_arg(x, 0);
        memset(&o, 0, sizeof o);
        o.ndim = m->ndim;
        for (int k = 0; k < KILN_MAX_DIMS; k++) o.fix[k] = k < y->ndim ? in.fix[k] : -1;
        for (int d = 0; d < m->ndim; d++) {
            int e = m->src[d];
            o.shape[d] = m->shape[d];
            o.src[d] = -1;
            if (e < 0 || in.src[e] < 0) continue;
            o.src[d] = in.src[e];
            o.start[d] = in.start[e] + in.step[e] * m->start[d];
            o.step[d] = in.step[e] * m->step[d];
        }
        for (int e = 0; e < x->ndim; e++)
            if (m->fix[e] >= 0 && in.src[e] >= 0) o.fix[in.src[e]] = in.start[e] + in.step[e] * m->fix[e];
        return ir_view(g, y, &o);
    }
    if (broadcast || op_is_leaf(x->op)) return view_node(g, x, m);
    kiln_expr **order;
    uint32_t count;
    bool structural = false;
    if (ir_walk(g, &x, 1, stop_at_structure, &structural, &order, &count) != KILN_OK) {
        kiln_fail(g->ctx, KILN_ERR_NOMEM, "out of memory");
        return NULL;
    }
    kiln_free(g->ctx, order);
    if (structural) return view_node(g, x, m);
    push p = {g, m, x};
    kiln_expr *r = NULL;
    if (ir_rebuild(g, &x, 1, push_leaf, &p, &r) != KILN_OK) return NULL;
    KILN_ASSERT(r->ndim == m->ndim && memcmp(r->shape, m->shape, (size_t)m->ndim * sizeof *m->shape) == 0);
    return r;
}

/* ------------------------------------------------------------------ indexing */

/* Python's slice.indices(len) and the slice's length. */
static int64_t slice_norm(const kiln_ix *s, int64_t len, int64_t *start, int64_t *step) {
    int64_t st = (s->flags & KILN_IX_HAS_STEP) ? s->step : 1;
    int64_t lower = st > 0 ? 0 : -1, upper = st > 0 ? len : len - 1, a, b;
    if (s->flags & KILN_IX_HAS_START) a = s->start < 0 ? (s->start + len < lower ? lower : s->start + len) : (s->start > upper ? upper : s->start);
    else a = st > 0 ? lower : upper;
    if (s->flags & KILN_IX_HAS_STOP) b = s->stop < 0 ? (s->stop + len < lower ? lower : s->stop + len) : (s->stop > upper ? upper : s->stop);
    else b = st > 0 ? upper : lower;
    /* (in unsigned steps: a step of +-2^63 takes one element, not an overflow) */
    uint64_t ust = st > 0 ? (uint64_t)st : -(uint64_t)st;
    int64_t n = st > 0 ? (b > a ? (int64_t)((uint64_t)(b - a - 1) / ust) + 1 : 0) : (a > b ? (int64_t)((uint64_t)(a - b - 1) / ust) + 1 : 0);
    *start = n ? a : 0;
    *step = n > 1 ? st : 1; /* (then |st| < len: no stride overflows) */
    return n;
}

kiln_expr *ir_index(ir_graph *g, kiln_expr *x, int n, const kiln_ix *ix) {
    if (!ir_check_operand(g, x, "index", 1)) return NULL;
    int real = 0, ellipses = 0;
    for (int i = 0; i < n; i++) {
        if (ix[i].kind == KILN_IX_INDEX || ix[i].kind == KILN_IX_SLICE) real++;
        else if (ix[i].kind == KILN_IX_ELLIPSIS) ellipses++;
        else if (ix[i].kind != KILN_IX_NEWAXIS) {
            kiln_fail(g->ctx, KILN_ERR_ARG, "index: invalid index kind %d", (int)ix[i].kind);
            return NULL;
        }
    }
    if (ellipses > 1) {
        kiln_fail(g->ctx, KILN_ERR_INDEX, "an index can only have a single ellipsis ('...')");
        return NULL;
    }
    if (real > x->ndim) {
        kiln_fail(g->ctx, KILN_ERR_INDEX, "too many indices for array: array is %d-dimensional, but %d were indexed", x->ndim, real);
        return NULL;
    }
    ir_viewmap m;
    memset(&m, 0, sizeof m);
    for (int k = 0; k < KILN_MAX_DIMS; k++) m.fix[k] = -1;
    int j = 0; /* the next operand dim */
    for (int i = 0; i <= n; i++) {
        bool tail = i == n; /* the dims no item named: full slices */
        if (!tail && ix[i].kind == KILN_IX_NEWAXIS) {
            if (m.ndim == KILN_MAX_DIMS) goto too_many;
            m.src[m.ndim] = -1;
            m.shape[m.ndim++] = 1;
            continue;
        }
        int full = tail ? x->ndim - j : 0;
        if (!tail && ix[i].kind == KILN_IX_ELLIPSIS) {
            int after = 0;
            for (int q = i + 1; q < n; q++) after += ix[q].kind == KILN_IX_INDEX || ix[q].kind == KILN_IX_SLICE;
            full = x->ndim - j - after;
        }
        for (int f = 0; f < full; f++, j++) {
            if (m.ndim == KILN_MAX_DIMS) goto too_many;
            m.src[m.ndim] = (int8_t)j;
            m.step[m.ndim] = 1;
            m.shape[m.ndim++] = x->shape[j];
        }
        if (tail || ix[i].kind == KILN_IX_ELLIPSIS) continue;
        int64_t len = x->shape[j];
        if (ix[i].kind == KILN_IX_INDEX) {
            int64_t v = ix[i].index < 0 ? ix[i].index + len : ix[i].index;
            if (v < 0 || v >= len) {
                kiln_fail(g->ctx, KILN_ERR_INDEX, "index %lld is out of bounds for axis %d with size %lld", (long long)ix[i].index, j,
                          (long long)len);
                return NULL;
            }
            m.fix[j++] = v;
            continue;
        }
        if ((ix[i].flags & KILN_IX_HAS_STEP) && ix[i].step == 0) {
            kiln_fail(g->ctx, KILN_ERR_ARG, "slice step cannot be zero");
            return NULL;
        }
        if (m.ndim == KILN_MAX_DIMS) goto too_many;
        m.src[m.ndim] = (int8_t)j++;
        m.shape[m.ndim] = slice_norm(&ix[i], len, &m.start[m.ndim], &m.step[m.ndim]);
        m.ndim++;
    }
    return ir_view(g, x, &m);
too_many:
    kiln_fail(g->ctx, KILN_ERR_SHAPE, "index: the result would have more than %d dimensions", KILN_MAX_DIMS);
    return NULL;
}

kiln_expr *ir_permute(ir_graph *g, kiln_expr *x, const int *axes) {
    if (!ir_check_operand(g, x, "transpose", 1)) return NULL;
    ir_viewmap m;
    map_identity(&m, x);
    bool seen[KILN_MAX_DIMS] = {false};
    for (int d = 0; d < x->ndim; d++) {
        int a = axes ? axes[d] : x->ndim - 1 - d;
        if (a < 0) a += x->ndim;
        if (a < 0 || a >= x->ndim || seen[a]) {
            kiln_fail(g->ctx, KILN_ERR_ARG, "transpose: axes don't match array (not a permutation of 0..%d)", x->ndim - 1);
            return NULL;
        }
        seen[a] = true;
        m.src[d] = (int8_t)a;
        m.shape[d] = x->shape[a];
    }
    return ir_view(g, x, &m);
}

kiln_expr *ir_transpose(ir_graph *g, kiln_expr *x) {
    if (!x) {
        if (kiln_errcode(g->ctx) == KILN_OK) kiln_fail(g->ctx, KILN_ERR_ARG, "transpose: operand is NULL");
        return NULL;
    }
    return ir_permute(g, x, NULL);
}

kiln_expr *ir_expand_dims(ir_graph *g, kiln_expr *x, int axis) {
    if (!ir_check_operand(g, x, "expand_dims", 1)) return NULL;
    int nd = x->ndim + 1;
    if (nd > KILN_MAX_DIMS) {
        kiln_fail(g->ctx, KILN_ERR_ARG, "expand_dims: the result would have more than %d dimensions", KILN_MAX_DIMS);
        return NULL;
    }
    if (axis < -nd || axis >= nd) {
        kiln_fail(g->ctx, KILN_ERR_ARG, "expand_dims: axis %d is out of bounds for array of dimension %d", axis, nd);
        return NULL;
    }
    if (axis < 0) axis += nd;
    ir_viewmap m;
    map_identity(&m, x);
    m.ndim = nd;
    for (int d = 0, j = 0; d < nd; d++) {
        if (d == axis) {
            m.src[d] = -1;
            m.shape[d] = 1;
            m.step[d] = 0;
            continue;
        }
        m.src[d] = (int8_t)j;
        m.step[d] = 1;
        m.shape[d] = x->shape[j++];
    }
    return ir_view(g, x, &m);
}

kiln_expr *ir_squeeze(ir_graph *g, kiln_expr *x, int axis) {
    if (!ir_check_operand(g, x, "squeeze", 1)) return NULL;
    unsigned mask = 0;
    if (axis == KILN_ALL_AXES) {
        for (int d = 0; d < x->ndim; d++)
            if (x->shape[d] == 1) mask |= 1u << d;
    } else {
        if (!ir_axis_mask(g, "squeeze", axis, x->ndim, &mask)) return NULL;
        if (x->shape[__builtin_ctz(mask)] != 1) {
            kiln_fail(g->ctx, KILN_ERR_ARG, "cannot select an axis to squeeze out which has size not equal to one");
            return NULL;
        }
    }
    ir_viewmap m;
    map_identity(&m, x);
    m.ndim = 0;
    for (int d = 0; d < x->ndim; d++) {
        if ((mask >> d) & 1) {
            m.fix[d] = 0;
            continue;
        }
        m.src[m.ndim] = (int8_t)d;
        m.start[m.ndim] = 0;
        m.step[m.ndim] = 1;
        m.shape[m.ndim++] = x->shape[d];
    }
    for (int d = m.ndim; d < KILN_MAX_DIMS; d++) m.src[d] = -1;
    return ir_view(g, x, &m);
}

/* ------------------------------------------------------------------ reshape */

/* NumPy's _attempt_nocopy_reshape: strides for the new shape over the same memory, when the
 * old layout allows it (every group of old dims merged into new ones is contiguous). */
bool ir_reshape_strides(int ond, const int64_t *oshape, const int64_t *ostrides, int nnd, const int64_t *nshape, int64_t *nstrides) {
    int64_t od[KILN_MAX_DIMS], os[KILN_MAX_DIMS];
    int oldnd = 0;
    for (int d = 0; d < ond; d++)
        if (oshape[d] != 1) {
            od[oldnd] = oshape[d];
            os[oldnd++] = ostrides[d];
        }
    int oi = 0, oj = 1, ni = 0, nj = 1;
    while (ni < nnd && oi < oldnd) {
        int64_t np_ = nshape[ni], op_ = od[oi];
        while (np_ != op_) {
            if (np_ < op_) {
                if (nj >= nnd) return false;
                np_ *= nshape[nj++];
            } else {
                if (oj >= oldnd) return false;
                op_ *= od[oj++];
            }
        }
        for (int ok = oi; ok < oj - 1; ok++)
            if (os[ok] != od[ok + 1] * os[ok + 1]) return false;
        nstrides[nj - 1] = os[oj - 1];
        for (int nk = nj - 1; nk > ni; nk--) nstrides[nk - 1] = nstrides[nk] * nshape[nk];
        ni = nj++;
        oi = oj++;
    }
    int64_t last = ni > 0 ? nstrides[ni - 1] : (oldnd ? os[oldnd - 1] : 1);
    for (int nk = ni; nk < nnd; nk++) nstrides[nk] = last;
    return true;
}

static kiln_expr *reshape_node(ir_graph *g, kiln_expr *x, int ndim, const int64_t *shape) {
    if (x->op == KILN_OP_RESHAPE) x = ir_arg(x, 0); /* a reshape of a reshape */
    kiln_expr p; /* (of an array whose layout allows it, the runtime makes it a view: no copy) */
    ir_proto(&p, KILN_OP_RESHAPE, (kiln_dtype)x->dtype);
    p.ndim = (uint8_t)ndim;
    memcpy(p.shape, shape, (size_t)ndim * sizeof *shape);
    p.arg[0] = x->id;
    return ir_intern(g, &p);
}

/* A reshape pushed down an element-wise expression whose arrays all have its shape. */
typedef struct reshape_push {
    ir_graph *g;
    const kiln_expr *x; /* the expression reshaped */
    int ndim;
    const int64_t *shape;
    bool ok; /* element-wise all the way down to arrays of x's shape and 0-d values */
} reshape_push;

static bool reshape_operands(void *ud, const kiln_expr *n) {
    reshape_push *p = ud;
    bool elementwise = !op_is_leaf(n->op) && op_is_elementwise(n->op); /* (leaves count as element-wise) */
    if (!elementwise && n->ndim != 0 && !(op_is_array_leaf(n->op) && ir_same_shape(n, p->x))) p->ok = false;
    return !elementwise;
}

static kiln_status reshape_leaf(void *ud, kiln_expr *n, kiln_expr *const *args, kiln_expr **out) {
    KILN_UNUSED(args);
    reshape_push *p = ud;
    if (!op_is_array_leaf(n->op) || n->ndim == 0) return KILN_OK; /* 0-d values broadcast as they are */
    *out = reshape_node(p->g, n, p->ndim, p->shape);
    return *out ? KILN_OK : kiln_errcode(p->g->ctx);
}

kiln_expr *ir_reshape(ir_graph *g, kiln_expr *x, int ndim, const int64_t *shape_in) {
    if (!ir_check_operand(g, x, "reshape", 1)) return NULL;
    if (ndim < 0 || ndim > KILN_MAX_DIMS) {
        kiln_fail(g->ctx, KILN_ERR_SHAPE, "reshape: rank %d is outside 0..%d", ndim, KILN_MAX_DIMS);
        return NULL;
    }
    int64_t shape[KILN_MAX_DIMS], known = 1, size = ir_size(x);
    int unknown = -1;
    for (int d = 0; d < ndim; d++) {
        shape[d] = shape_in[d];
        if (shape[d] == -1 && unknown < 0) unknown = d;
        else if (shape[d] < 0) {
            kiln_fail(g->ctx, KILN_ERR_SHAPE, shape[d] == -1 ? "reshape: can only specify one unknown dimension" : "reshape: negative dimension");
            return NULL;
        } else if (shape[d] && known > INT64_MAX / shape[d]) {
            kiln_fail(g->ctx, KILN_ERR_SHAPE, "reshape: the shape is too big");
            return NULL;
        } else known *= shape[d];
    }
    if (unknown >= 0) shape[unknown] = known ? size / known : 0;
    if ((unknown >= 0 && (known == 0 || size % known)) || (unknown < 0 && known != size) ||
        (unknown >= 0 && shape[unknown] * known != size)) {
        char want[160];
        shape_text(shape_in, ndim, want, sizeof want);
        kiln_fail(g->ctx, KILN_ERR_SHAPE, "cannot reshape array of size %lld into shape %s", (long long)size, want);
        return NULL;
    }
    if (ndim == x->ndim && memcmp(shape, x->shape, (size_t)ndim * sizeof *shape) == 0) {
        ir_retain(x);
        return x;
    }
    /* an element-wise expression of arrays of its shape (and 0-d values): the expression of the
     * arrays reshaped, (x * 2).reshape(-1) is x.reshape(-1) * 2, which fuses with what reads it */
    reshape_push rp = {g, x, ndim, shape, true};
    kiln_expr **order;
    uint32_t count;
    if (x->ndim > 0 && !op_is_leaf(x->op) && op_is_elementwise(x->op) &&
        ir_walk(g, &x, 1, reshape_operands, &rp, &order, &count) == KILN_OK) {
        kiln_free(g->ctx, order);
        kiln_expr *r = NULL;
        if (rp.ok) { /* (x not 0-d: an array of its shape is under it, so r has the new shape) */
            if (ir_rebuild_until(g, &x, 1, reshape_operands, reshape_leaf, &rp, &r) != KILN_OK) return NULL;
            KILN_ASSERT(r->ndim == ndim && memcmp(r->shape, shape, (size_t)ndim * sizeof *shape) == 0);
            return r;
        }
    }
    return reshape_node(g, x, ndim, shape);
}

/* ------------------------------------------------------------------ broadcasts, and the adjoints of views and takes */

kiln_expr *ir_broadcast_to(ir_graph *g, kiln_expr *x, int ndim, const int64_t *shape) {
    if (!ir_check_operand(g, x, "broadcast_to", 1)) return NULL;
    if (x->ndim == ndim && !memcmp(x->shape, shape, (size_t)ndim * sizeof *shape)) {
        ir_retain(x);
        return x;
    }
    ir_viewmap m;
    memset(&m, 0, sizeof m);
    m.ndim = ndim;
    for (int k = 0; k < KILN_MAX_DIMS; k++) m.fix[k] = -1;
    int pad = ndim - x->ndim;
    if (pad < 0) {
        kiln_fail(g->ctx, KILN_ERR_SHAPE, "broadcast_to: cannot broadcast a %d-d value to %d dims", x->ndim, ndim);
        return NULL;
    }
    for (int d = 0; d < ndim; d++) {
        m.shape[d] = shape[d];
        m.src[d] = -1; /* a new axis: stride 0 */
        if (d < pad) continue;
        int64_t n = x->shape[d - pad];
        if (n != shape[d] && n != 1) {
            kiln_fail(g->ctx, KILN_ERR_SHAPE, "broadcast_to: dim %d of length %lld cannot become %lld", d, (long long)n, (long long)shape[d]);
            return NULL;
        }
        m.src[d] = (int8_t)(d - pad);
        m.step[d] = n == 1 ? 0 : 1; /* a length-1 dim is read again and again */
    }
    return view_node(g, x, &m); /* never pushed down: the value is computed once, then read */
}

kiln_expr *ir_embed(ir_graph *g, kiln_expr *v, const ir_viewmap *m, int ndim, const int64_t *shape) {
    if (!ir_check_operand(g, v, "embed", 1)) return NULL;
    if (v->ndim != m->ndim || memcmp(v->shape, m->shape, (size_t)m->ndim * sizeof *m->shape)) {
        kiln_fail(g->ctx, KILN_ERR_SHAPE, "embed: the values do not have the view's shape");
        return NULL;
    }
    kiln_expr p;
    ir_proto(&p, KILN_OP_EMBED, (kiln_dtype)v->dtype);
    p.ndim = (uint8_t)ndim;
    memcpy(p.shape, shape, (size_t)ndim * sizeof *shape);
    for (int d = 0; d < KILN_MAX_DIMS; d++) {
        p.vsrc[d] = d < m->ndim ? m->src[d] : -1;
        p.vstart[d] = d < m->ndim && m->src[d] >= 0 && m->shape[d] > 0 ? m->start[d] : 0;
        p.vstep[d] = d < m->ndim && m->src[d] >= 0 && m->shape[d] > 1 ? m->step[d] : 0;
        p.vfix[d] = d < ndim ? m->fix[d] : -1;
    }
    p.arg[0] = v->id;
    return ir_intern(g, &p);
}

static kiln_expr *scatter(ir_graph *g, kiln_expr *v, kiln_expr *i, kiln_expr *j, int axis, int mode, int ndim, const int64_t *shape,
                          unsigned how, kiln_dtype dt) {
    if (!ir_check_operand(g, v, "scatter_add", 1) || !ir_check_operand(g, i, "scatter_add", 2) ||
        (j && !ir_check_operand(g, j, "scatter_add", 3)))
        return NULL;
    kiln_expr p;
    ir_proto(&p, KILN_OP_SCATTER, dt);
    p.ndim = (uint8_t)ndim;
    memcpy(p.shape, shape, (size_t)ndim * sizeof *shape);
    p.axis = (int8_t)axis;
    p.keepdims = (uint8_t)mode;
    p.axes = (uint8_t)how;
    p.arg[0] = v->id;
    p.arg[1] = i->id;
    if (j) p.arg[2] = j->id;
    return ir_intern(g, &p);
}

kiln_expr *ir_scatter(ir_graph *g, kiln_expr *v, kiln_expr *i, kiln_expr *j, int axis, int mode, int ndim, const int64_t *shape) {
    return v ? scatter(g, v, i, j, axis, mode, ndim, shape, KILN_OP_ADD, (kiln_dtype)v->dtype) : NULL;
}

kiln_expr *ir_scatter_at(ir_graph *g, kiln_expr *v, kiln_expr *i, kiln_expr *j, int mode, int ndim, const int64_t *shape,
                         kiln_op combine, kiln_dtype dt) {
    KILN_ASSERT(combine < IR_SCATTER_AT);
    return scatter(g, v, i, j, 0, mode, ndim, shape, combine | IR_SCATTER_AT, dt);
}

kiln_op ir_scatter_combine(unsigned how) { return (kiln_op)(how & ~IR_SCATTER_AT); }

/* ------------------------------------------------------------------ concatenate and take */

kiln_expr *ir_concat(ir_graph *g, kiln_expr *a, kiln_expr *b, int axis) {
    if (!ir_check_operand(g, a, "concatenate", 1) || !ir_check_operand(g, b, "concatenate", 2)) return NULL;
    if (a->ndim == 0 || b->ndim == 0) {
        kiln_fail(g->ctx, KILN_ERR_SHAPE, "concatenate: zero-dimensional arrays cannot be concatenated");
        return NULL;
    }
    if (a->ndim != b->ndim) {
        kiln_fail(g->ctx, KILN_ERR_SHAPE,
                  "concatenate: all the input array dimensions except for the concatenation axis must match exactly, but "
                  "the arrays have %d and %d dimensions",
                  a->ndim, b->ndim);
        return NULL;
    }
    unsigned mask;
    if (!ir_axis_mask(g, "concatenate", axis, a->ndim, &mask)) return NULL;
    int ax = __builtin_ctz(mask);
    for (int d = 0; d < a->ndim; d++)
        if (d != ax && a->shape[d] != b->shape[d]) {
            kiln_fail(g->ctx, KILN_ERR_SHAPE,
                      "concatenate: all the input array dimensions except for the concatenation axis must match exactly, but "
                      "along dimension %d, the arrays have sizes %lld and %lld",
                      d, (long long)a->shape[d], (long long)b->shape[d]);
            return NULL;
        }
    kiln_expr p;
    ir_proto(&p, KILN_OP_CONCAT, dtype_promote((kiln_dtype)a->dtype, (kiln_dtype)b->dtype));
    p.ndim = a->ndim;
    memcpy(p.shape, a->shape, sizeof p.shape);
    p.shape[ax] += b->shape[ax];
    p.axis = (int8_t)ax;
    return ir_intern_binary(g, &p, a, b);
}

kiln_expr *ir_take_pair(ir_graph *g, kiln_expr *x, kiln_expr *i, kiln_expr *j, int axis, int64_t said) {
    if (!ir_check_operand(g, x, "index", 1) || !ir_check_operand(g, i, "index", 2) || !ir_check_operand(g, j, "index", 3)) return NULL;
    if (!dtype_is_int((kiln_dtype)i->dtype) || !dtype_is_int((kiln_dtype)j->dtype)) {
        kiln_fail(g->ctx, KILN_ERR_DTYPE, "arrays used as indices must be of integer type");
        return NULL;
    }
    if (axis < 0 || axis + 2 > x->ndim) {
        kiln_fail(g->ctx, KILN_ERR_INDEX, "too many indices for array: array is %d-dimensional", x->ndim);
        return NULL;
    }
    kiln_expr b, p, *ci = NULL, *cj = NULL, *r = NULL;
    memset(&b, 0, sizeof b);
    if (ir_broadcast(g, (kiln_expr *[]){i, j}, 2, &b) != KILN_OK) {
        char msg[512];
        snprintf(msg, sizeof msg, "shape mismatch: indexing arrays could not be broadcast together (%s)", kiln_errmsg(g->ctx));
        kiln_fail(g->ctx, KILN_ERR_INDEX, "%s", msg);
        return NULL;
    }
    if (x->ndim - 2 + b.ndim > KILN_MAX_DIMS) {
        kiln_fail(g->ctx, KILN_ERR_SHAPE, "index: the result would have more than %d dimensions", KILN_MAX_DIMS);
        return NULL;
    }
    int64_t nb = 1;
    for (int d = 0; d < b.ndim; d++) nb *= b.shape[d];
    if ((x->shape[axis] == 0 || x->shape[axis + 1] == 0) && nb > 0) {
        kiln_fail(g->ctx, KILN_ERR_INDEX, "index: cannot do a non-empty take from an empty axis");
        return NULL;
    }
    ir_proto(&p, KILN_OP_TAKE, (kiln_dtype)x->dtype);
    for (int d = 0; d < axis; d++) p.shape[p.ndim++] = x->shape[d];
    for (int d = 0; d < b.ndim; d++) p.shape[p.ndim++] = b.shape[d];
    for (int d = axis + 2; d < x->ndim; d++) p.shape[p.ndim++] = x->shape[d];
    p.axis = (int8_t)axis;
    p.keepdims = 2;
    p.val.i64 = said;
    if ((ci = ir_coerce(g, i, KILN_I64)) && (cj = ir_coerce(g, j, KILN_I64))) {
        p.arg[0] = x->id;
        p.arg[1] = ci->id;
        p.arg[2] = cj->id;
        r = ir_intern(g, &p);
    }
    if (ci) ir_release(ci);
    if (cj) ir_release(cj);
    return r;
}

kiln_expr *ir_search(ir_graph *g, kiln_expr *s, kiln_expr *v, int mode) {
    if (!ir_check_operand(g, s, "searchsorted", 1) || !ir_check_operand(g, v, "searchsorted", 2)) return NULL;
    if (s->ndim != 1) {
        kiln_fail(g->ctx, KILN_ERR_SHAPE, "searchsorted: a must be 1-D, not %d-D", s->ndim);
        return NULL;
    }
    kiln_dtype dt = dtype_promote((kiln_dtype)s->dtype, (kiln_dtype)v->dtype);
    kiln_expr p, *cs = ir_coerce(g, s, dt), *cv = cs ? ir_coerce(g, v, dt) : NULL, *r = NULL;
    if (cv) {
        ir_proto(&p, KILN_OP_SEARCH, mode == IR_SEARCH_FOUND ? KILN_BOOL : KILN_I64);
        p.ndim = v->ndim;
        memcpy(p.shape, v->shape, sizeof p.shape);
        p.keepdims = (uint8_t)mode;
        p.arg[0] = cs->id;
        p.arg[1] = cv->id;
        r = ir_intern(g, &p);
    }
    if (cs) ir_release(cs);
    if (cv) ir_release(cv);
    return r;
}

kiln_expr *ir_take(ir_graph *g, kiln_expr *x, kiln_expr *idx, int axis, bool along, int64_t said) {
    const char *fn = along ? "take_along_axis" : "take";
    if (!ir_check_operand(g, x, fn, 1) || !ir_check_operand(g, idx, fn, 2)) return NULL;
    if (!dtype_is_int((kiln_dtype)idx->dtype)) {
        kiln_fail(g->ctx, KILN_ERR_DTYPE, "%s: arrays used as indices must be of integer type, not %s", fn,
                  kiln_dtype_name((kiln_dtype)idx->dtype));
        return NULL;
    }
    kiln_expr *flat = NULL, *r = NULL, *ci = NULL;
    if (axis == KILN_ALL_AXES) {
        int64_t n = ir_size(x);
        if (!(flat = ir_reshape(g, x, 1, &n))) return NULL;
        x = flat;
        axis = 0;
    }
    unsigned mask;
    kiln_expr p;
    if (!ir_axis_mask(g, fn, axis, x->ndim, &mask)) goto out;
    int ax = __builtin_ctz(mask);
    ir_proto(&p, KILN_OP_TAKE, (kiln_dtype)x->dtype);
    if (along) {
        if (idx->ndim != x->ndim) {
            kiln_fail(g->ctx, KILN_ERR_SHAPE, "take_along_axis: indices and arr must have the same number of dimensions");
            goto out;
        }
        p.ndim = x->ndim;
        for (int d = 0; d < x->ndim; d++) {
            int64_t a = x->shape[d], b = idx->shape[d];
            if (d == ax) p.shape[d] = b;
            else if (a == b || b == 1) p.shape[d] = a;
            else if (a == 1) p.shape[d] = b;
            else {
                kiln_fail(g->ctx, KILN_ERR_SHAPE, "take_along_axis: shape mismatch: dimension %d has %lld and %lld", d, (long long)a,
                          (long long)b);
                goto out;
            }
        }
    } else {
        if (x->ndim - 1 + idx->ndim > KILN_MAX_DIMS) {
            kiln_fail(g->ctx, KILN_ERR_SHAPE, "take: the result would have more than %d dimensions", KILN_MAX_DIMS);
            goto out;
        }
        for (int d = 0; d < ax; d++) p.shape[p.ndim++] = x->shape[d];
        for (int d = 0; d < idx->ndim; d++) p.shape[p.ndim++] = idx->shape[d];
        for (int d = ax + 1; d < x->ndim; d++) p.shape[p.ndim++] = x->shape[d];
    }
    if (x->shape[ax] == 0 && ir_size(idx) > 0) {
        kiln_fail(g->ctx, KILN_ERR_INDEX, "%s: cannot do a non-empty take from an empty axis", fn);
        goto out;
    }
    p.axis = (int8_t)ax;
    p.keepdims = along;
    p.val.i64 = said;
    if (!(ci = ir_coerce(g, idx, KILN_I64))) goto out;
    p.arg[0] = x->id;
    p.arg[1] = ci->id;
    r = ir_intern(g, &p);
out:
    if (ci) ir_release(ci);
    if (flat) ir_release(flat);
    return r;
}
