/*
 * shared.c — two products that read one large matrix in both orientations, in one pass over it.
 *
 * Pipeline position: a plan step group (plan.c finds it, eval.c runs it).  A gradient step of a
 * linear model reads its data matrix X (k × n, a sample per column) twice:
 *
 *     z  = a @ X              a (1, k): the forward product, one value per column
 *     v  = f(z, ...)          an element-wise middle over the columns (sigmoid(z + b) - y)
 *     dw = X @ v.T            (or v @ X.T, as grad writes it): the backward product
 *
 * and when X does not fit in the caches each product streams it from memory.  Here X goes by
 * panels of columns that do fit (a few hundred KiB): a panel's z, then the middle's kernel on the
 * panel's columns, then the panel's share of dw, while the panel is still in cache.  Columns are
 * cut into fixed chunks of panels (not per thread): each chunk sums its share of dw in panel
 * order, and the chunks' partial sums are added in a fixed pairwise tree, so dw has the same
 * bits for any thread count.  z and v are written whole (other steps may read them).
 *
 * Reductions of the whole row that read only z, v and earlier rows (the loss, sum(dz)) are
 * folded in the same pass: each panel's columns by the backend's own reduction kernel on this
 * thread, panels in order within their chunk, chunks in the same fixed tree.  Their bits do not
 * depend on the threads either, but they are not those of the same reduction run as a step of
 * its own (blocks of kiln_reduce_block): the loss alone and the loss evaluated with dw may
 * differ in the last bits, as may a contiguous X and a strided one.
 */
#include <omp.h>
#include <string.h>

#include "exec.h"

#define SHARED_PANEL_BYTES (512u << 10) /* of X per panel: in L2 */

/* Columns per chunk of n columns: about n/16, so that up to sixteen threads get even shares (a
 * chunk of 4096 left 5000 columns split 4096 / 904 between two threads), a multiple of 64, from
 * 256 to 4096.  A function of n alone: dw's bits do not depend on the threads. */
static int64_t chunk_of(int64_t n) {
    int64_t c = (n / 16 + 63) / 64 * 64;
    return c < 256 ? 256 : c > 4096 ? 4096 : c;
}

bool rt_is_transpose_of(const kiln_expr *v, const kiln_expr *src) {
    if (v->op != KILN_OP_VIEW || src->ndim != 2 || v->ndim != 2) return false;
    if (src->op == KILN_OP_VIEW && ir_arg(v, 0) == ir_arg(src, 0)) { /* views of one array: the maps transposed */
        for (int d = 0; d < 2; d++)
            if (v->shape[d] != src->shape[1 - d] || v->vsrc[d] != src->vsrc[1 - d] || v->vstart[d] != src->vstart[1 - d] ||
                v->vstep[d] != src->vstep[1 - d])
                return false;
        for (int k = 0; k < ir_arg(v, 0)->ndim; k++)
            if (v->vfix[k] != src->vfix[k]) return false;
        return true;
    }
    if (ir_arg(v, 0) != src) return false;
    ir_viewmap m;
    ir_view_of(v, &m);
    for (int d = 0; d < 2; d++) {
        int s = 1 - d;
        if (m.shape[d] != src->shape[s]) return false;
        if (m.shape[d] > 1 && (m.src[d] != s || m.start[d] != 0 || m.step[d] != 1)) return false;
        if (m.shape[d] == 1 && m.src[d] >= 0 && m.start[d] != 0) return false;
    }
    return m.fix[0] <= 0 && m.fix[1] <= 0;
}

/* The panel's z (P columns from c0): z[j] = Σ_i a[i] X[i, c0 + j], i ascending. */
KILN_CLONES static void panel_forward(kiln_dtype dt, int64_t k, const char *a, int64_t as, const char *X, int64_t xs, int64_t c0, int64_t P,
                          char *z, int64_t zs) {
    if (dt == KILN_F64) {
        double acc[512];
        for (int64_t j = 0; j < P; j++) acc[j] = 0;
        for (int64_t i = 0; i < k; i++) {
            double ai = *(const double *)(const void *)(a + i * as);
            const double *row = (const double *)(const void *)(X + i * xs) + c0;
            for (int64_t j = 0; j < P; j++) acc[j] += ai * row[j];
        }
        for (int64_t j = 0; j < P; j++) *(double *)(void *)(z + (c0 + j) * zs) = acc[j];
    } else {
        float acc[512];
        for (int64_t j = 0; j < P; j++) acc[j] = 0;
        for (int64_t i = 0; i < k; i++) {
            float ai = *(const float *)(const void *)(a + i * as);
            const float *row = (const float *)(const void *)(X + i * xs) + c0;
            for (int64_t j = 0; j < P; j++) acc[j] += ai * row[j];
        }
        for (int64_t j = 0; j < P; j++) *(float *)(void *)(z + (c0 + j) * zs) = acc[j];
    }
}

/* The panel's share of dw: part[i] += Σ_j X[i, c0 + j] v[c0 + j], each row in 8 lanes folded in
 * a fixed tree (v contiguous in vbuf).  Four rows go side by side, so that four rows' sums, not
 * one chain of adds waiting on each other, are in flight: a panel is 64 columns wide when X has
 * a thousand rows, too short for more lanes in one row to pay for folding them. */
typedef double pb_v8d __attribute__((vector_size(64)));
typedef float pb_v8f __attribute__((vector_size(32)));
#define PB_ROWS(LT, VT, CVT)                                                                                           \
    do {                                                                                                               \
        const LT *r0 = (const void *)row[0], *r1 = (const void *)row[1], *r2 = (const void *)row[2];                  \
        const LT *r3 = (const void *)row[3], *v = vbuf;                                                                \
        for (; j + 8 <= P; j += 8) {                                                                                   \
            VT a, b;                                                                                                   \
            memcpy(&b, v + j, sizeof b);                                                                               \
            memcpy(&a, r0 + j, sizeof a);                                                                              \
            l[0] += CVT(a * b);                                                                                        \
            memcpy(&a, r1 + j, sizeof a);                                                                              \
            l[1] += CVT(a * b);                                                                                        \
            memcpy(&a, r2 + j, sizeof a);                                                                              \
            l[2] += CVT(a * b);                                                                                        \
            memcpy(&a, r3 + j, sizeof a);                                                                              \
            l[3] += CVT(a * b);                                                                                        \
        }                                                                                                              \
        for (; j < P; j++) {                                                                                           \
            l[0][j & 7] += (double)(r0[j] * v[j]);                                                                     \
            l[1][j & 7] += (double)(r1[j] * v[j]);                                                                     \
            l[2][j & 7] += (double)(r2[j] * v[j]);                                                                     \
            l[3][j & 7] += (double)(r3[j] * v[j]);                                                                     \
        }                                                                                                              \
    } while (0)
#define PB_F32(x) __builtin_convertvector(x, pb_v8d)
#define PB_F64(x) (x)
KILN_CLONES static void panel_backward(kiln_dtype dt, int64_t k, const char *X, int64_t xs, int64_t c0, int64_t P, const void *vbuf, double *part) {
    int64_t es = dt == KILN_F64 ? 8 : 4;
    for (int64_t i = 0; i < k; i += 4) {
        pb_v8d l[4] = {{0}, {0}, {0}, {0}};
        const char *row[4];
        for (int r = 0; r < 4; r++) row[r] = X + (i + r < k ? i + r : i) * xs + c0 * es; /* past k: row i again, unused */
        int64_t j = 0;
        if (dt == KILN_F64) PB_ROWS(double, pb_v8d, PB_F64);
        else PB_ROWS(float, pb_v8f, PB_F32);
        for (int r = 0; r < 4 && i + r < k; r++)
            part[i + r] += ((l[r][0] + l[r][1]) + (l[r][2] + l[r][3])) + ((l[r][4] + l[r][5]) + (l[r][6] + l[r][7]));
    }
}

/* A reduction folded in the pass: its geometry over the whole row, its kernel, and each chunk's
 * partial (two kscalars, as the backends' folds keep them). */
typedef struct shared_red {
    rt_step *s;
    kiln_array *out;
    rt_rgeom r;
    kslot *slot;
    const kiln_kernel *k;
    void *state;
    uint64_t t0;
    kscalar *part;
} shared_red;

/* Sets up reduction step rs of the group over n columns; false (nothing held) when its operands
 * do not suit (it then runs as a step of its own) or out of memory. */
static bool red_begin(const rt_exec *x, rt_plan *p, rt_step *rs, rt_run_arrays *ra, int64_t n, int64_t nchunks, shared_red *sr) {
    kiln_ctx *ctx = x->ctx;
    int nin = rs->fk.kd.n_in;
    kiln_array *ins[KILN_INLINE_OPERANDS];
    if (nin > KILN_INLINE_OPERANDS) return false;
    for (int i = 0; i < nin; i++) ins[i] = rt_plan_array(p, rs->fk.inputs[i], ra);
    *sr = (shared_red){.s = rs, .out = rs->root >= 0 ? ra->outs[rs->root] : ra->temps[rs->temp]};
    if (!rt_rgeom_make(ctx, x->be, rs, ins, sr->out, &sr->r)) return false;
    if (sr->r.g.nr != 1 || sr->r.g.nk != 0 || sr->r.g.R != n || !(sr->part = kiln_calloc(ctx, (size_t)nchunks * 2 * sizeof *sr->part))) {
        rt_rgeom_free(ctx, &sr->r);
        return false;
    }
    rt_reduce_row_layout(rs, &sr->r.g, sr->r.layout);
    if (!(sr->slot = rt_kernel_get(x, rs, sr->r.layout))) {
        kiln_free(ctx, sr->part);
        rt_rgeom_free(ctx, &sr->r);
        return false;
    }
    sr->k = rt_kernel_begin(x, sr->slot, n, &sr->state, &sr->t0);
    return true;
}

/* Folds columns [c0, c0 + w) of sr's row into acc (its chunk's partial): the backend's fold
 * over them in order on this thread, then combined. */
static kiln_status red_panel(kiln_ctx *ctx, shared_red *sr, int64_t c0, int64_t w, kscalar *acc) {
    kiln_reduce_geom g = sr->r.g;
    char *base[KILN_INLINE_OPERANDS];
    kscalar v[2] = {{0}, {0}}, out = {0};
    for (int i = 0; i < g.nin; i++) base[i] = g.base[i] + c0 * g.rstr[i][0];
    g.base = base;
    g.R = g.rshape[0] = w;
    g.out = (char *)&out;
    kiln_status st = sr->k->backend->launch_reduce(sr->state, ctx, sr->k, &g, sr->s->fk.consts, 1);
    if (st != KILN_OK) return st;
    v[0] = ref_load(&out, g.out_dt);
    ref_reduce_combine(g.op, g.dt, acc, v);
    return KILN_OK;
}

/* The chunks' partials of sr in a fixed pairwise tree, into its output; frees what it held. */
static void red_end(const rt_exec *x, shared_red *sr, int64_t nchunks, bool ok) {
    kscalar *part = sr->part;
    for (int64_t w = 1; ok && w < nchunks; w *= 2)
        for (int64_t c = 0; c + w < nchunks; c += 2 * w) ref_reduce_combine(sr->r.g.op, sr->r.g.dt, &part[2 * c], &part[2 * (c + w)]);
    if (ok) ref_store(sr->out->data, sr->r.g.out_dt, part[0]);
    rt_kernel_end(x, sr->slot, sr->t0);
    rt_kernel_release(x->ctx, sr->slot);
    kiln_free(x->ctx, part);
    rt_rgeom_free(x->ctx, &sr->r);
}

kiln_status rt_shared_run(const rt_exec *x, rt_plan *p, rt_step *s1, rt_run_arrays *ra, kiln_array *const *mins, bool *done,
                          uint8_t *ran) {
    kiln_ctx *ctx = x->ctx;
    rt_step *m = &p->steps[s1->share_map], *s2 = &p->steps[s1->share_with];
    *done = false;
    kiln_array *A = rt_plan_array(p, ir_arg(s1->node, 0), ra), *X = rt_plan_array(p, ir_arg(s1->node, 1), ra);
    kiln_array *Z = s1->root >= 0 ? ra->outs[s1->root] : ra->temps[s1->temp];
    kiln_array *V = m->root >= 0 ? ra->outs[m->root] : ra->temps[m->temp];
    kiln_array *D = s2->root >= 0 ? ra->outs[s2->root] : ra->temps[s2->temp];
    kiln_dtype dt = (kiln_dtype)s1->node->dtype;
    int64_t es = (int64_t)kiln_dtype_size(dt), k = X->shape[0], n = X->shape[1];
    /* X walked along its rows contiguously, v contiguous (else the steps run one by one) */
    if (X->strides[1] != es || V->strides[1] != es || V->dtype != dt || k < 1) return KILN_OK;
    int64_t P = (int64_t)SHARED_PANEL_BYTES / (k * es);
    P = P >= 512 ? 512 : P >= 64 ? P / 64 * 64 : P >= 8 ? P / 8 * 8 : 8;
    int64_t chunk = chunk_of(n), nchunks = (n + chunk - 1) / chunk;
    double *part = kiln_calloc(ctx, (size_t)(nchunks * k) * sizeof *part);
    rt_geom g;
    if (!part || rt_geom_build(ctx, &m->fk, mins, V->ndim, V->shape, V->strides, V->data, &g) != KILN_OK) {
        kiln_free(ctx, part);
        return kiln_fail(ctx, KILN_ERR_NOMEM, "out of memory");
    }
    kiln_status st = KILN_OK;
    kslot *slot = g.g.ndim == 1 ? rt_kernel_get(x, m, g.layout) : NULL;
    if (!slot) {
        rt_geom_free(ctx, &g);
        kiln_free(ctx, part);
        return g.g.ndim == 1 ? (kiln_errcode(ctx) != KILN_OK ? kiln_errcode(ctx) : KILN_ERR_COMPILE) : KILN_OK;
    }
    void *state;
    uint64_t t0;
    const kiln_kernel *kern = rt_kernel_begin(x, slot, n, &state, &t0);
    shared_red reds[RT_SHARE_REDS];
    int nreds = 0;
    for (int i = 0; i < s1->nshare_reds; i++) {
        kiln_error_kept kept; /* a reduction that cannot join runs as a step of its own, which says what is wrong */
        kiln_error_keep(&kept);
        if (!red_begin(x, p, &p->steps[s1->share_reds[i]], ra, n, nchunks, &reds[nreds])) {
            kiln_error_restore(&kept);
            continue;
        }
        for (int64_t c = 0; c < nchunks; c++) ref_reduce_init(reds[nreds].r.g.op, reds[nreds].r.g.dt, &reds[nreds].part[2 * c]);
        ran[s1->share_reds[i]] = 1;
        nreds++;
    }
    int nt = rt_nthreads(ctx);
    if (nt > nchunks) nt = (int)nchunks;
    /* errors are per thread: a worker's failure comes back as its status, the first one kept */
    atomic_bool stopped = false, failed = false;
    atomic_int why = KILN_OK;
    KILN_OMP_IF(nt, "omp parallel for num_threads(nt) schedule(dynamic, 1)",
    for (int64_t c = 0; c < nchunks; c++) {
        if (atomic_load(&stopped) || atomic_load(&failed)) continue;
        if (kiln_interrupted(ctx)) {
            atomic_store(&stopped, true);
            continue;
        }
        kiln_map_geom pg = g.g;
        double *pc = part + c * k;
        int64_t end = (c + 1) * chunk < n ? (c + 1) * chunk : n;
        for (int64_t c0 = c * chunk; c0 < end; c0 += P) {
            int64_t w = end - c0 < P ? end - c0 : P;
            panel_forward(dt, k, A->data, A->strides[1], X->data, X->strides[0], c0, w, Z->data, Z->strides[1]);
            pg.first = c0;
            pg.total = w;
            kiln_status ps = kern->backend->launch_map(state, ctx, kern, &pg, m->fk.consts, 1);
            for (int r = 0; r < nreds && ps == KILN_OK; r++) ps = red_panel(ctx, &reds[r], c0, w, &reds[r].part[2 * c]);
            if (ps != KILN_OK) {
                int ok = KILN_OK;
                atomic_compare_exchange_strong(&why, &ok, (int)ps);
                atomic_store(&failed, true);
                break;
            }
            panel_backward(dt, k, X->data, X->strides[0], c0, w, V->data + c0 * es, pc);
        }
    });
    for (int r = 0; r < nreds; r++) red_end(x, &reds[r], nchunks, !atomic_load(&stopped) && !atomic_load(&failed));
    rt_kernel_end(x, slot, t0);
    rt_kernel_release(ctx, slot);
    rt_geom_free(ctx, &g);
    kiln_status ws = (kiln_status)atomic_load(&why);
    if (atomic_load(&stopped) || ws == KILN_ERR_INTERRUPTED) st = kiln_fail(ctx, KILN_ERR_INTERRUPTED, "interrupted");
    else if (ws == KILN_ERR_NOMEM) st = kiln_fail(ctx, KILN_ERR_NOMEM, "out of memory");
    else if (atomic_load(&failed)) st = kiln_fail(ctx, ws, "a kernel of the one pass over a shared matrix failed (%s)", kiln_status_str(ws));
    if (st == KILN_OK) {
        atomic_fetch_add(&ctx->st.shared_folds, (uint64_t)nreds);
        for (int64_t w = 1; w < nchunks; w *= 2) /* the chunks' partial sums, in a fixed tree */
            for (int64_t c = 0; c + w < nchunks; c += 2 * w)
                for (int64_t i = 0; i < k; i++) part[c * k + i] += part[(c + w) * k + i];
        int64_t ds = D->shape[0] == k ? D->strides[0] : D->strides[1]; /* dw is (k, 1) or (1, k) */
        for (int64_t i = 0; i < k; i++) {
            char *q = D->data + i * ds;
            if (dt == KILN_F64) *(double *)(void *)q = part[i];
            else *(float *)(void *)q = (float)part[i];
        }
        *done = true;
    }
    kiln_free(ctx, part);
    return st;
}
