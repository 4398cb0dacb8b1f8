/*
 * ref_eval.c — the reference evaluator's walk: whole expressions, one element at a time, through
 * ref.c's scalar ops (base/scalar.h).  The tests compare every backend against ref_eval_into.
 *
 * Pipeline position: beside the backends, not in the pipeline: nothing but the tests calls it.
 * The sanitizer builds compile this file without their checks (CMakeLists.txt): it is the tests'
 * oracle, half of the sanitized unit suite's time when checked, and every scalar op it applies is
 * ref.c's, which stays checked.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"

/* ------------------------------------------------------------------ whole expressions */

static kscalar ref_at(const kiln_expr *n, const int64_t *idx, int nd);
/* The cases of ref_at other than the element-wise ops are kept out of it: its frame is paid at
 * every level of a graph's recursion (a 4500-deep chain's, under a sanitizer's inlining). */
#define REF_APART __attribute__((noinline))

/* A reduction at output index idx: the operand's elements in C order, folded one by one;
 * float sums and products in long double (the reference is more accurate than any kernel). */
REF_APART static kscalar ref_reduce_at(const kiln_expr *n, const int64_t *idx) {
    const kiln_expr *x = ir_arg(n, 0);
    kiln_dtype dt = (kiln_dtype)x->dtype;
    kscalar acc[2];
    ref_reduce_init(n->op, dt, acc);
    int64_t xi[KILN_MAX_DIMS] = {0}, count = 1;
    int o = 0; /* walk n's index over x's kept dims */
    for (int d = 0; d < x->ndim; d++) {
        bool red = ir_reduces(n, d);
        if (red) count *= x->shape[d];
        else xi[d] = idx[o];
        if (!red || n->keepdims) o++;
    }
    bool wide = dtype_is_float(dt) && (n->op == KILN_OP_SUM || n->op == KILN_OP_PROD);
    long double w = n->op == KILN_OP_PROD ? 1.0L : 0.0L;
    for (int64_t k = 0; k < count; k++) {
        int64_t rem = k; /* the k-th reduced position, C order */
        for (int d = x->ndim - 1; d >= 0; d--) {
            if (!ir_reduces(n, d)) continue;
            xi[d] = rem % x->shape[d];
            rem /= x->shape[d];
        }
        kscalar v[2] = {ref_at(x, xi, x->ndim), {.i64 = k}};
        if (wide) {
            long double f = dt == KILN_F32 ? (long double)v[0].f32 : (long double)v[0].f64;
            w = n->op == KILN_OP_SUM ? w + f : w * f;
        } else {
            ref_reduce_combine(n->op, dt, acc, v);
        }
    }
    if (wide) return ref_cast((kscalar){.f64 = (double)w}, KILN_F64, dt);
    return op_is_arg_reduce(n->op) ? acc[1] : acc[0];
}

/* A matrix product at output index idx, summed in long double (floats) or with wrap-around. */
REF_APART static kscalar ref_matmul_at(const kiln_expr *n, const int64_t *idx) {
    const kiln_expr *a = ir_arg(n, 0), *b = ir_arg(n, 1);
    kiln_dtype dt = (kiln_dtype)n->dtype;
    int64_t K = a->shape[a->ndim - 1], i = a->ndim == 2 ? idx[0] : 0, j = b->ndim == 2 ? idx[a->ndim == 2 ? 1 : 0] : 0;
    int nb = n->ndim > 2 ? n->ndim - 2 : 0; /* a stack: operands of n's dims, the batch dims first */
    if (nb) i = idx[nb], j = idx[nb + 1];
    long double w = 0;
    uint64_t u = 0;
    bool any = false;
    for (int64_t k = 0; k < K; k++) {
        int64_t ai[KILN_MAX_DIMS], bi[KILN_MAX_DIMS];
        memcpy(ai, idx, (size_t)nb * sizeof *ai);
        memcpy(bi, idx, (size_t)nb * sizeof *bi);
        ai[nb] = i, ai[nb + 1] = k, bi[nb] = k, bi[nb + 1] = j;
        kscalar x = ref_at(a, a->ndim == 1 ? ai + 1 : ai, a->ndim), y = ref_at(b, bi, b->ndim);
        if (dtype_is_float(dt)) w += (dt == KILN_F32 ? (long double)x.f32 * y.f32 : (long double)x.f64 * y.f64);
        else if (dt == KILN_BOOL) any = any || (x.b && y.b);
        else u += (uint64_t)ref_cast(x, dt, KILN_I64).i64 * (uint64_t)ref_cast(y, dt, KILN_I64).i64;
    }
    if (dtype_is_float(dt)) return ref_cast((kscalar){.f64 = (double)w}, KILN_F64, dt);
    if (dt == KILN_BOOL) return (kscalar){.b = any};
    return ref_cast((kscalar){.i64 = (int64_t)u}, KILN_I64, dt);
}

/* ---- np.linalg's functions, by their textbook algorithms in long double (row-major n×n) */

typedef long double ldbl;

/* LU with partial pivoting (the largest |a_ik| below, the first of equals) of n×n A in place:
 * the sign of the permutation, or 0 when a column has no nonzero pivot. */
static int ref_lu(ldbl *A, int64_t n, int64_t *perm) {
    int sign = 1;
    for (int64_t i = 0; i < n; i++) perm[i] = i;
    for (int64_t k = 0; k < n; k++) {
        int64_t p = k;
        for (int64_t i = k + 1; i < n; i++)
            if (fabsl(A[i * n + k]) > fabsl(A[p * n + k])) p = i;
        if (A[p * n + k] == 0) return 0;
        if (p != k) {
            for (int64_t j = 0; j < n; j++) {
                ldbl t = A[k * n + j];
                A[k * n + j] = A[p * n + j], A[p * n + j] = t;
            }
            int64_t t = perm[k];
            perm[k] = perm[p], perm[p] = t;
            sign = -sign;
        }
        for (int64_t i = k + 1; i < n; i++) {
            ldbl f = A[i * n + k] /= A[k * n + k];
            for (int64_t j = k + 1; j < n; j++) A[i * n + j] -= f * A[k * n + j];
        }
    }
    return sign;
}

/* Cyclic Jacobi rotations of symmetric n×n A until its off-diagonal vanishes: the eigenvalues
 * on A's diagonal, the eigenvectors in V's columns. */
static void ref_jacobi(ldbl *A, ldbl *V, int64_t n) {
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < n; j++) V[i * n + j] = i == j;
    for (int sweep = 0; sweep < 100; sweep++) {
        ldbl off = 0;
        for (int64_t i = 0; i < n; i++)
            for (int64_t j = i + 1; j < n; j++) off += A[i * n + j] * A[i * n + j];
        if (off == 0) break;
        for (int64_t p = 0; p < n; p++)
            for (int64_t q = p + 1; q < n; q++) {
                ldbl apq = A[p * n + q];
                if (apq == 0) continue;
                ldbl theta = (A[q * n + q] - A[p * n + p]) / (2 * apq);
                ldbl t = (theta >= 0 ? 1 : -1) / (fabsl(theta) + sqrtl(theta * theta + 1)), c = 1 / sqrtl(t * t + 1), sn = t * c;
                for (int64_t k = 0; k < n; k++) { /* A = J^T A J */
                    ldbl akp = A[k * n + p], akq = A[k * n + q];
                    A[k * n + p] = c * akp - sn * akq, A[k * n + q] = sn * akp + c * akq;
                }
                for (int64_t k = 0; k < n; k++) {
                    ldbl apk = A[p * n + k], aqk = A[q * n + k];
                    A[p * n + k] = c * apk - sn * aqk, A[q * n + k] = sn * apk + c * aqk;
                }
                for (int64_t k = 0; k < n; k++) {
                    ldbl vkp = V[k * n + p], vkq = V[k * n + q];
                    V[k * n + p] = c * vkp - sn * vkq, V[k * n + q] = sn * vkp + c * vkq;
                }
            }
    }
}

/* The order that sorts n values w (ascending, or descending with desc). */
static void ref_order(const ldbl *w, int64_t n, int64_t *ord, bool desc) {
    for (int64_t i = 0; i < n; i++) ord[i] = i;
    for (int64_t i = 1; i < n; i++)
        for (int64_t j = i; j > 0 && (desc ? w[ord[j]] > w[ord[j - 1]] : w[ord[j]] < w[ord[j - 1]]); j--) {
            int64_t t = ord[j];
            ord[j] = ord[j - 1], ord[j - 1] = t;
        }
}

/* Column c of n×n V (of len rows, stride n) turned so that its largest component is positive:
 * the sign the reference gives vectors (LAPACK's are either; the tests compare up to it). */
static ldbl ref_vec_sign(const ldbl *V, int64_t rows, int64_t stride, int64_t c) {
    int64_t b = 0;
    for (int64_t i = 1; i < rows; i++)
        if (fabsl(V[i * stride + c]) > fabsl(V[b * stride + c])) b = i;
    return rows && V[b * stride + c] < 0 ? -1 : 1;
}

/* A LINALG node at idx: its matrix of the stack read whole, fn computed, the element picked.
 * Sign-free where the function is (eigenvectors and singular vectors: largest component
 * positive; qr: Householder reflections as LAPACK's, r_kk = -sign(a_kk)·norm). */
REF_APART static kscalar ref_linalg_at(const kiln_expr *n, const int64_t *idx) {
    const kiln_expr *a = ir_arg(n, 0), *b = n->arg[1] != IR_NONE ? ir_arg(n, 1) : NULL;
    kiln_dtype dt = (kiln_dtype)n->dtype;
    int nd = a->ndim, nb = nd - 2, fn = n->keepdims;
    int64_t m = a->shape[nd - 2], c = a->shape[nd - 1], k = m < c ? m : c, r = b ? b->shape[nd - 1] : 0, big = m > c ? m : c;
    int64_t i = fn == KILN_LA_DET || fn == KILN_LA_SIGNDET || fn == KILN_LA_LOGDET ? 0 : idx[nb];
    int64_t j = n->ndim > nb + 1 ? idx[nb + 1] : 0;
    ldbl *A = malloc((size_t)(big * big + 1) * sizeof *A), *W = malloc((size_t)(big * big + big * (r + 1) + 1) * sizeof *W);
    int64_t *perm = malloc((size_t)(big + 1) * sizeof *perm), ai[KILN_MAX_DIMS];
    ldbl v = NAN, *V2 = NULL;
    if (!A || !W || !perm) goto out;
    memcpy(ai, idx, (size_t)nb * sizeof *ai);
    for (int64_t p = 0; p < m; p++)
        for (int64_t q = 0; q < c; q++) {
            ai[nb] = p, ai[nb + 1] = q;
            A[p * c + q] = ref_cast(ref_at(a, ai, nd), dt, KILN_F64).f64;
        }
    bool upper = n->axes & KILN_LA_UPPER;
    switch (fn) {
    case KILN_LA_SOLVE:
    case KILN_LA_INV: { /* x[:, j] = A^-1 b[:, j] by the LU factors */
        int64_t *inv = perm + 0;
        if (!ref_lu(A, m, inv)) goto out;
        ldbl *y = W;
        for (int64_t p = 0; p < m; p++) {
            ai[nb] = inv[p], ai[nb + 1] = j;
            y[p] = fn == KILN_LA_INV ? (ldbl)(inv[p] == j) : (ldbl)ref_cast(ref_at(b, ai, nd), dt, KILN_F64).f64;
        }
        for (int64_t p = 0; p < m; p++)
            for (int64_t q = 0; q < p; q++) y[p] -= A[p * m + q] * y[q];
        for (int64_t p = m - 1; p >= 0; p--) {
            for (int64_t q = p + 1; q < m; q++) y[p] -= A[p * m + q] * y[q];
            y[p] /= A[p * m + p];
        }
        v = y[i];
        break;
    }
    case KILN_LA_DET:
    case KILN_LA_SIGNDET:
    case KILN_LA_LOGDET: {
        int s = ref_lu(A, m, perm);
        ldbl det = s, logdet = 0;
        for (int64_t p = 0; p < m && s; p++) det *= A[p * m + p], logdet += logl(fabsl(A[p * m + p]));
        v = fn == KILN_LA_DET ? det : fn == KILN_LA_SIGNDET ? (det > 0) - (det < 0) : s ? logdet : -INFINITY;
        break;
    }
    case KILN_LA_CHOLESKY: { /* L of the symmetric matrix the lower (upper) triangle gives; U = L^T */
        if (upper ? i > j : j > i) {
            v = 0;
            break;
        }
        ldbl *L = W;
        for (int64_t p = 0; p < m; p++)
            for (int64_t q = 0; q <= p; q++) {
                ldbl s = upper ? A[q * m + p] : A[p * m + q];
                for (int64_t t = 0; t < q; t++) s -= L[p * m + t] * L[q * m + t];
                if (p == q) {
                    if (s <= 0) goto out;
                    L[p * m + p] = sqrtl(s);
                } else L[p * m + q] = s / L[q * m + q];
            }
        v = upper ? L[j * m + i] : L[i * m + j];
        break;
    }
    case KILN_LA_EIGVALSH:
    case KILN_LA_EIGVECSH: {
        for (int64_t p = 0; p < m; p++)
            for (int64_t q = 0; q < m; q++)
                if (upper ? q < p : q > p) A[p * m + q] = A[q * m + p];
        ref_jacobi(A, W, m);
        ldbl *w = W + m * m;
        for (int64_t p = 0; p < m; p++) w[p] = A[p * m + p];
        ref_order(w, m, perm, false);
        v = fn == KILN_LA_EIGVALSH ? w[perm[i]] : W[i * m + perm[j]] * ref_vec_sign(W, m, m, perm[j]);
        break;
    }
    case KILN_LA_SVALS:
    case KILN_LA_SVD_U:
    case KILN_LA_SVD_VH: { /* the eigenvectors of A^T A (or A A^T, the smaller) and A's images */
        bool tall = m >= c;
        int64_t s = tall ? c : m;
        ldbl *G = W;
        for (int64_t p = 0; p < s; p++)
            for (int64_t q = 0; q < s; q++) {
                ldbl g = 0;
                for (int64_t t = 0; t < (tall ? m : c); t++) g += tall ? A[t * c + p] * A[t * c + q] : A[p * c + t] * A[q * c + t];
                G[p * s + q] = g;
            }
        if (!(V2 = malloc((size_t)(s * s + 1) * sizeof *V2))) goto out;
        ref_jacobi(G, V2, s);
        ldbl *w = W + s * s;
        for (int64_t p = 0; p < s; p++) w[p] = G[p * s + p] > 0 ? sqrtl(G[p * s + p]) : 0;
        ref_order(w, s, perm, true);
        if (fn == KILN_LA_SVALS) v = w[perm[i]];
        else {
            /* the small side's vectors (V2's columns), the big side's by A's images / σ; only the
             * first k of a full u or vh: the rest is any orthonormal completion */
            bool small_side = (fn == KILN_LA_SVD_VH) == tall;
            int64_t col = fn == KILN_LA_SVD_U ? j : i, row = fn == KILN_LA_SVD_U ? i : j;
            if (col >= k) goto out;
            int64_t e = perm[col];
            ldbl sg = ref_vec_sign(V2, s, s, e);
            if (small_side) v = V2[row * s + e] * sg;
            else {
                ldbl x = 0;
                for (int64_t t = 0; t < s; t++) x += (tall ? A[row * c + t] : A[t * c + row]) * V2[t * s + e];
                v = w[e] > 0 ? x / w[e] * sg : NAN;
            }
        }
        break;
    }
    case KILN_LA_QR_Q:
    case KILN_LA_QR_R: { /* Householder as LAPACK's dlarfg: beta = -sign(alpha)·‖x‖, none when x below is 0 */
        ldbl *Q = W;
        for (int64_t p = 0; p < m; p++)
            for (int64_t q = 0; q < m; q++) Q[p * m + q] = p == q;
        ldbl *u = W + m * m;
        for (int64_t t = 0; t < k; t++) {
            ldbl below = 0, alpha = A[t * c + t];
            for (int64_t p = t + 1; p < m; p++) below += A[p * c + t] * A[p * c + t];
            if (below == 0) continue;
            ldbl norm = sqrtl(alpha * alpha + below), beta = alpha >= 0 ? -norm : norm;
            for (int64_t p = 0; p < m; p++) u[p] = p < t ? 0 : p == t ? alpha - beta : A[p * c + t];
            ldbl uu = 0;
            for (int64_t p = t; p < m; p++) uu += u[p] * u[p];
            for (int64_t q = 0; q < c; q++) { /* A = H A, H = I - 2 u u^T / u^T u */
                ldbl d = 0;
                for (int64_t p = t; p < m; p++) d += u[p] * A[p * c + q];
                for (int64_t p = t; p < m; p++) A[p * c + q] -= 2 * u[p] * d / uu;
            }
            for (int64_t p = 0; p < m; p++) { /* Q = Q H */
                ldbl d = 0;
                for (int64_t q = t; q < m; q++) d += Q[p * m + q] * u[q];
                for (int64_t q = t; q < m; q++) Q[p * m + q] -= 2 * d * u[q] / uu;
            }
        }
        v = fn == KILN_LA_QR_R ? (j < i ? 0 : A[i * c + j]) : Q[i * m + j];
        break;
    }
    default: break;
    }
out:
    free(A), free(W), free(perm), free(V2);
    return ref_cast((kscalar){.f64 = (double)v}, KILN_F64, dt);
}

/* Whether element j of a line comes before element k once sorted (NaN last, equal values in
 * their order). */
static bool ref_before(kscalar vj, int64_t j, kscalar vk, int64_t k, kiln_dtype dt) {
    double a = ref_cast(vj, dt, KILN_F64).f64, b = ref_cast(vk, dt, KILN_F64).f64;
    if (dt == KILN_I64) { /* (exact past 2^53) */
        if (vj.i64 != vk.i64) return vj.i64 < vk.i64;
    } else if (!(a == b || (isnan(a) && isnan(b)))) {
        return a < b || (isnan(b) && !isnan(a));
    }
    return j < k;
}

/* sort / argsort at idx: the line's element (or position) with exactly idx[axis] before it. */
REF_APART static kscalar ref_sort_at(const kiln_expr *n, const int64_t *idx) {
    const kiln_expr *x = ir_arg(n, 0);
    kiln_dtype dt = (kiln_dtype)x->dtype;
    int64_t xi[KILN_MAX_DIMS], len = x->shape[n->axis];
    memcpy(xi, idx, sizeof xi);
    for (int64_t k = 0; k < len; k++) {
        xi[n->axis] = k;
        kscalar vk = ref_at(x, xi, x->ndim);
        int64_t before = 0;
        for (int64_t j = 0; j < len; j++) {
            xi[n->axis] = j;
            before += j != k && ref_before(ref_at(x, xi, x->ndim), j, vk, k, dt);
        }
        if (before == idx[n->axis]) return n->op == KILN_OP_ARGSORT ? (kscalar){.i64 = k} : vk;
    }
    return (kscalar){0};
}

/* cumsum / cumprod / cummax / cummin at idx: the operand's elements along the axis up to idx,
 * in order (the running maximum and minimum from the first element, by np.maximum's rule). */
REF_APART static kscalar ref_scan_at(const kiln_expr *n, const int64_t *idx) {
    const kiln_expr *x = ir_arg(n, 0);
    kiln_dtype dt = (kiln_dtype)n->dtype;
    if (n->op == KILN_OP_SORT || n->op == KILN_OP_ARGSORT) return ref_sort_at(n, idx);
    static const kiln_op step[][2] = {{KILN_OP_CUMSUM, KILN_OP_ADD}, {KILN_OP_CUMPROD, KILN_OP_MUL}, {KILN_OP_CUMMAX, KILN_OP_MAXIMUM}, {KILN_OP_CUMMIN, KILN_OP_MINIMUM}};
    kiln_op f = KILN_OP_ADD;
    for (size_t k = 0; k < sizeof step / sizeof *step; k++)
        if (step[k][0] == n->op) f = step[k][1];
    int64_t xi[KILN_MAX_DIMS];
    memcpy(xi, idx, sizeof xi);
    kscalar acc[2];
    ref_reduce_init(n->op == KILN_OP_CUMPROD ? KILN_OP_PROD : KILN_OP_SUM, dt, acc);
    for (int64_t k = 0; k <= idx[n->axis]; k++) {
        xi[n->axis] = k;
        kscalar v[2] = {acc[0], ref_at(x, xi, x->ndim)};
        acc[0] = k == 0 && f != KILN_OP_ADD && f != KILN_OP_MUL ? v[1] : ref_apply(f, dt, dt, v);
    }
    return acc[0];
}

/* A SOFTMAX node at idx: its row's maximum W (0 where not finite), e = exp(x - W) and s, the
 * sum of the row's e (in long double), then e / s, (x - W) - log(s) or log(s) + W. */
REF_APART static kscalar ref_rows_at(const kiln_expr *n, const int64_t *idx) {
    const kiln_expr *x = ir_arg(n, 0);
    kiln_dtype dt = (kiln_dtype)n->dtype;
    int ax = n->axis;
    int64_t xi[KILN_MAX_DIMS], R = x->shape[ax];
    memcpy(xi, idx, sizeof xi);
    double m = -INFINITY;
    for (int64_t j = 0; j < R; j++) {
        xi[ax] = j;
        double v = ref_cast(ref_at(x, xi, x->ndim), dt, KILN_F64).f64;
        if (v > m || v != v) m = m != m ? m : v;
    }
    double W = isfinite(m) ? m : 0;
    long double s = 0;
    for (int64_t j = 0; j < R; j++) {
        xi[ax] = j;
        s += expl((long double)(ref_cast(ref_at(x, xi, x->ndim), dt, KILN_F64).f64 - W));
    }
    double r;
    if (n->keepdims == 2) {
        r = (double)logl(s) + W;
    } else {
        xi[ax] = idx[ax];
        double d = ref_cast(ref_at(x, xi, x->ndim), dt, KILN_F64).f64 - W;
        r = n->keepdims == 0 ? (double)(expl((long double)d) / s) : d - (double)logl(s);
    }
    return ref_cast((kscalar){.f64 = r}, KILN_F64, dt);
}

/* An EMBED at idx: the value of its operand whose view position is idx, or zero. */
REF_APART static kscalar ref_embed_at(const kiln_expr *n, const int64_t *idx) {
    const kiln_expr *v = ir_arg(n, 0);
    kscalar zero = ref_cast((kscalar){.i64 = 0}, KILN_I64, (kiln_dtype)n->dtype);
    for (int k = 0; k < n->ndim; k++)
        if (n->vfix[k] >= 0 && idx[k] != n->vfix[k]) return zero;
    int64_t vi[KILN_MAX_DIMS] = {0};
    bool mapped[KILN_MAX_DIMS] = {false};
    for (int d = 0; d < v->ndim; d++) {
        if (n->vsrc[d] < 0) continue; /* a new axis: position 0 */
        int k = n->vsrc[d];
        int64_t j = idx[k] - n->vstart[d];
        if (n->vstep[d] == 0) {
            if (j != 0) return zero;
        } else {
            if (j % n->vstep[d] != 0 || j / n->vstep[d] < 0 || j / n->vstep[d] >= v->shape[d]) return zero;
            vi[d] = j / n->vstep[d];
        }
        mapped[k] = true;
    }
    for (int k = 0; k < n->ndim; k++)
        if (!mapped[k] && n->vfix[k] < 0 && n->shape[k] > 1) return zero; /* not a place the view read */
    return ref_at(v, vi, v->ndim);
}

static int64_t ref_index_at(const kiln_expr *n, const int64_t *idx);

/* A SCATTER at idx: zero joined, in order, by its operand's elements whose indices point at idx
 * (the sum of them, for scatter_add), each step in the operand's dtype; an .at's first element
 * there taken as it is (ir_scatter_at). */
REF_APART static kscalar ref_scatter_at(const kiln_expr *n, const int64_t *idx) {
    const kiln_expr *v = ir_arg(n, 0), *ix = ir_arg(n, 1), *jx = n->arg[2] != IR_NONE ? ir_arg(n, 2) : NULL;
    kiln_dtype dt = (kiln_dtype)n->dtype;
    kiln_op combine = ir_scatter_combine(n->axes);
    kiln_dtype vt = (kiln_dtype)v->dtype; /* (each step in v's dtype, cast back to dt: the .at's) */
    kscalar acc = ref_cast((kscalar){.i64 = 0}, KILN_I64, dt);
    bool first = n->axes & IR_SCATTER_AT; /* (the .at's first value at idx is its own element: taken) */
    int ax = n->axis;
    int64_t count = 1, vi[KILN_MAX_DIMS] = {0};
    for (int d = 0; d < v->ndim; d++) count *= v->shape[d];
    for (int64_t e = 0; e < count; e++) {
        int64_t rem = e;
        for (int d = v->ndim - 1; d >= 0; d--) {
            vi[d] = rem % v->shape[d];
            rem /= v->shape[d];
        }
        /* where v's element came from in x (the take's index map, as in KIND_GATHER below) */
        int64_t xi[KILN_MAX_DIMS] = {0}, ii[KILN_MAX_DIMS] = {0};
        if (n->keepdims == 2) {
            int nb = v->ndim - (n->ndim - 2);
            int64_t jj[KILN_MAX_DIMS] = {0};
            for (int d = 0; d < ax; d++) xi[d] = vi[d];
            for (int d = 0; d < ix->ndim; d++) ii[d] = ix->shape[d] == 1 ? 0 : vi[ax + nb - ix->ndim + d];
            for (int d = 0; d < jx->ndim; d++) jj[d] = jx->shape[d] == 1 ? 0 : vi[ax + nb - jx->ndim + d];
            for (int d = ax + 2; d < n->ndim; d++) xi[d] = vi[d - 2 + nb];
            int64_t a = ref_index_at(ix, ii), b = ref_index_at(jx, jj);
            xi[ax] = a < 0 ? a + n->shape[ax] : a;
            xi[ax + 1] = b < 0 ? b + n->shape[ax + 1] : b;
        } else if (n->keepdims) {
            for (int d = 0; d < v->ndim; d++) {
                ii[d] = ix->shape[d] == 1 ? 0 : vi[d];
                xi[d] = vi[d];
            }
            int64_t a = ref_index_at(ix, ii);
            xi[ax] = a < 0 ? a + n->shape[ax] : a;
        } else {
            for (int d = 0; d < ax; d++) xi[d] = vi[d];
            for (int d = 0; d < ix->ndim; d++) ii[d] = vi[ax + d];
            for (int d = ax + 1; d < n->ndim; d++) xi[d] = vi[d - 1 + ix->ndim];
            int64_t a = ref_index_at(ix, ii);
            xi[ax] = a < 0 ? a + n->shape[ax] : a;
        }
        bool here = true;
        for (int d = 0; d < n->ndim && here; d++) here = n->shape[d] == 1 || xi[d] == idx[d];
        if (!here) continue;
        kscalar pair[2] = {ref_cast(acc, dt, vt), ref_at(v, vi, v->ndim)};
        acc = ref_cast(first ? pair[1] : ref_apply(combine, vt, vt, pair), vt, dt);
        first = false;
    }
    return acc;
}

/* An index array's element at idx (a VAR or PARAM of int64, or anything else computed). */
static int64_t ref_index_at(const kiln_expr *n, const int64_t *idx) { return ref_at(n, idx, n->ndim).i64; }

/* The value of n at output index idx (of rank nd), recomputing shared nodes: this is the
 * definition, not the fast path. */
/* searchsorted: how many of the sorted s come before the value at idx (right: or equal to
 * it), counted one by one: as sorting orders them, an equal value placed after it (left) or
 * before it (right). */
REF_APART static kscalar ref_search_at(const kiln_expr *n, const int64_t *idx) {
    const kiln_expr *s = ir_arg(n, 0), *v = ir_arg(n, 1);
    kiln_dtype dt = (kiln_dtype)s->dtype;
    kscalar val = ref_at(v, idx, v->ndim), r = {.i64 = 0};
    bool right = n->keepdims == IR_SEARCH_RIGHT;
    for (int64_t k = 0; k < s->shape[0]; k++) {
        kscalar sk = ref_at(s, &k, 1);
        if (n->keepdims == IR_SEARCH_FOUND) r.b |= ref_apply(KILN_OP_EQ, dt, KILN_BOOL, (kscalar[]){sk, val}).b;
        else r.i64 += ref_before(sk, !right, val, right, dt);
    }
    return r;
}

/* x[i] along an axis, x[..., i, j, ...] and take_along_axis */
REF_APART static kscalar ref_gather_at(const kiln_expr *n, const int64_t *idx) {
    const kiln_expr *x = ir_arg(n, 0);
    int64_t xi[KILN_MAX_DIMS] = {0};
    const kiln_expr *ix = ir_arg(n, 1);
    int ax = n->axis;
    int64_t ii[KILN_MAX_DIMS] = {0};
    if (n->keepdims == 2) { /* x[..., i, j, ...]: i and j broadcast together */
        const kiln_expr *jx = ir_arg(n, 2);
        int nb = n->ndim - (x->ndim - 2);
        int64_t jj[KILN_MAX_DIMS] = {0};
        for (int d = 0; d < ax; d++) xi[d] = idx[d];
        for (int d = 0; d < ix->ndim; d++) ii[d] = ix->shape[d] == 1 ? 0 : idx[ax + nb - ix->ndim + d];
        for (int d = 0; d < jx->ndim; d++) jj[d] = jx->shape[d] == 1 ? 0 : idx[ax + nb - jx->ndim + d];
        for (int d = ax + 2; d < x->ndim; d++) xi[d] = idx[d - 2 + nb];
        int64_t a = ref_index_at(ix, ii), b = ref_index_at(jx, jj);
        xi[ax] = a < 0 ? a + x->shape[ax] : a;
        xi[ax + 1] = b < 0 ? b + x->shape[ax + 1] : b;
        return ref_at(x, xi, x->ndim);
    }
    if (n->keepdims) { /* take_along_axis: idx broadcast against x, except along axis */
        for (int d = 0; d < n->ndim; d++) {
            ii[d] = ix->shape[d] == 1 ? 0 : idx[d];
            xi[d] = x->shape[d] == 1 ? 0 : idx[d];
        }
    } else {
        for (int d = 0; d < ax; d++) xi[d] = idx[d];
        for (int d = 0; d < ix->ndim; d++) ii[d] = idx[ax + d];
        for (int d = ax + 1; d < x->ndim; d++) xi[d] = idx[d - 1 + ix->ndim];
    }
    int64_t j = ref_index_at(ix, ii);
    xi[ax] = j < 0 ? j + x->shape[ax] : j;
    return ref_at(x, xi, x->ndim);
}

static kscalar ref_at(const kiln_expr *n, const int64_t *idx, int nd) {
    KILN_UNUSED(nd);
    if (n->op == KILN_OP_CONST) return n->val;
    if (op_is_array_leaf(n->op)) {
        const char *p = n->data;
        const int64_t *strides = n->strides;
        if (n->op == KILN_OP_PARAM) {
            char *d;
            n->g->hooks->leaf_memory(n->leaf, &d, &strides);
            p = d;
        }
        for (int d = 0; d < n->ndim; d++) p += (n->shape[d] == 1 ? 0 : idx[d]) * strides[d];
        return ref_load(p, (kiln_dtype)n->dtype);
    }
    const kiln_expr *x = n->arg[0] != IR_NONE ? ir_arg(n, 0) : NULL;
    int64_t xi[KILN_MAX_DIMS] = {0};
    switch (kiln_op_kind[n->op]) {
    case KIND_REDUCE: return ref_reduce_at(n, idx);
    case KIND_SCAN: return ref_scan_at(n, idx);
    case KIND_EMBED: return ref_embed_at(n, idx);
    case KIND_SCATTER: return ref_scatter_at(n, idx);
    case KIND_ROWS: return ref_rows_at(n, idx);
    case KIND_LINALG: return ref_linalg_at(n, idx);
    case KIND_MATMUL: return ref_matmul_at(n, idx);
    case KIND_VIEW:
        if (n->op == KILN_OP_RESHAPE) { /* the same C-order position in x */
            int64_t flat = 0;
            for (int d = 0; d < n->ndim; d++) flat = flat * n->shape[d] + idx[d];
            for (int d = x->ndim - 1; d >= 0; d--) {
                xi[d] = flat % x->shape[d];
                flat /= x->shape[d];
            }
        } else {
            for (int k = 0; k < x->ndim; k++) xi[k] = n->vfix[k] > 0 ? n->vfix[k] : 0;
            for (int d = 0; d < n->ndim; d++)
                if (n->vsrc[d] >= 0) xi[n->vsrc[d]] = n->vstart[d] + idx[d] * n->vstep[d];
        }
        return ref_at(x, xi, x->ndim);
    case KIND_CONCAT: {
        const kiln_expr *a = x, *b = ir_arg(n, 1);
        memcpy(xi, idx, sizeof xi);
        if (idx[n->axis] < a->shape[n->axis]) return ref_at(a, xi, a->ndim);
        xi[n->axis] -= a->shape[n->axis];
        return ref_at(b, xi, b->ndim);
    }
    case KIND_GATHER: return n->op == KILN_OP_SEARCH ? ref_search_at(n, idx) : ref_gather_at(n, idx);
    default: break;
    }
    kscalar v[3];
    for (int i = 0; i < 3 && n->arg[i] != IR_NONE; i++) {
        const kiln_expr *c = ir_arg(n, i);
        /* operands may have lower rank or size-1 dims: index them as broadcasting does */
        int64_t sub[KILN_MAX_DIMS];
        for (int d = 0; d < c->ndim; d++) sub[d] = c->shape[d] == 1 ? 0 : idx[n->ndim - c->ndim + d];
        v[i] = ref_at(c, sub, c->ndim);
    }
    return ref_apply((kiln_op)n->op, ir_operand_dtype(n), (kiln_dtype)n->dtype, v);
}

void ref_eval_into(const kiln_expr *e, char *out, const int64_t *ostr) {
    int64_t idx[KILN_MAX_DIMS] = {0}, n = ir_size(e);
    for (int64_t k = 0; k < n; k++) {
        char *p = out;
        for (int d = 0; d < e->ndim; d++) p += idx[d] * ostr[d];
        ref_store(p, (kiln_dtype)e->dtype, ref_at(e, idx, e->ndim));
        for (int d = e->ndim - 1; d >= 0; d--) {
            if (++idx[d] < e->shape[d]) break;
            idx[d] = 0;
        }
    }
}
