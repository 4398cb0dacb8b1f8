/*
 * host.c — running kernels on this machine's cores: the iteration every host backend shares.
 *
 * Pipeline position: the launch step of the LLVM backend and of the interpreter, after the
 * runtime has worked out the geometry (runtime/geometry.c) and fetched the kernel.
 *
 *   maps         the flat iteration space cut into one contiguous chunk per thread (edges on
 *                multiples of 64 elements, so threads share no cache line), walked row by row
 *   reductions   every output's reduced range cut into blocks (kiln_reduce_block); a work
 *                unit folds one block into its own partial, and the partials of an
 *                output are combined in a fixed pairwise tree: the same bits for any thread
 *                count.  A float sum goes NumPy's order instead (sum_order, kd_pairwise):
 *                chunks of 8192 summed pairwise and added in order, or element by element
 *   columns      a reduction over an outer axis as out[j] ⊕= f(x[i, j]), i ascending; threads
 *                split j
 *   products     OpenBLAS's cblas_[sd]gemm/gemv, loaded with dlopen (its OpenMP build first,
 *                so that its threads and kiln's are one pool), or kiln's own loop for small,
 *                integer and bool products; the result is made in panels of rows that fit
 *                the last-level cache and the epilogue runs on each right after (measured:
 *                256 KB panels made OpenBLAS 28% slower on a 1024³ float32 product; 8 MB
 *                panels leave it at full speed, and the epilogue then reads each panel from L3)
 *
 * OpenBLAS reads OPENBLAS_CORETYPE when it is loaded; kiln sets it, for the load only, to the
 * best kernels this CPU runs (SkylakeX with AVX-512, Haswell with AVX2): an environment that
 * forces older kernels halves sgemm's speed.  KILN_OPENBLAS_CORETYPE chooses otherwise, and
 * KILN_NO_BLAS=1 keeps BLAS out entirely.
 */
#include "host.h"

#include "../base/scalar.h"

#include <dlfcn.h>
#include <stdio.h>
#include <unistd.h>
#include <omp.h>
#include <pthread.h>
#include <string.h>

#include "../ir/graph.h"

/* ------------------------------------------------------------------ vector width */

int host_vector_bytes(void) {
    int v = __builtin_cpu_supports("avx512f") ? 64 : __builtin_cpu_supports("avx2") ? 32 : 16;
    const char *env = getenv("KILN_VECTOR_BYTES");
    if (env) {
        int w = atoi(env);
        if (w == 16 || w == 32 || (w == 64 && v == 64)) v = w;
    }
    return v;
}

/* A register of the widest dtype of kd, counting it as at least least bytes wide. */
static int lanes_of(const kernel_desc *kd, int vec_bytes, size_t least) {
    size_t widest = least;
    for (int i = 0; i < kd->n_inst; i++) {
        size_t s = kiln_dtype_size((kiln_dtype)kd->inst[i].dtype);
        if (s > widest) widest = s;
    }
    int L = vec_bytes / (int)widest;
    return L < 4 ? 4 : L;
}

/* A kernel of bytes alone (uint8, bool) takes a register of bytes: 32 on AVX2, 64 on AVX-512
 * (a reduction's four bytes, but argmax's and argmin's, whose answer no order changes). */
int host_vector_lanes(const kernel_desc *kd, int vec_bytes) {
    return lanes_of(kd, vec_bytes, kd->reduce && !op_is_arg_reduce(kd->reduce) ? 4 : 1);
}

int host_reduce_lanes(const kernel_desc *kd, int vec_bytes) {
    if (kd_pairwise(kd)) return 8; /* NumPy's 8 (see kd_pairwise) */
    /* four AVX-512 registers' lanes whatever the CPU (eight AVX2 ones): the same bits on all;
     * argmax and argmin, whose answer no order changes, four registers of this CPU's (four
     * chains of compares to hide their latency) */
    return op_is_arg_reduce(kd->reduce) ? host_vector_lanes(kd, vec_bytes) * 4 : lanes_of(kd, 64, 4) * 4;
}

int64_t host_map_start(const kernel_desc *kd, int vec_bytes, int64_t n, const char *out) {
    for (int i = kd->n_in; i < kd->n_in + kd->n_out; i++)
        if (kd->layout[i] == KD_STRIDED) return 0;
    int W = host_vector_lanes(kd, vec_bytes);
    int64_t es = (int64_t)kiln_dtype_size(kd_out_dtype(kd, 0));
    if (!kd->stream || kd->n_out != 1 || kd->layout[kd->n_in] != KD_CONTIG || es * W != vec_bytes) return 0;
    int64_t peel = ((64 - (int64_t)((uintptr_t)out & 63)) & 63) / es;
    return peel < n ? peel : n;
}

/* ------------------------------------------------------------------ libmvec */

static void *mvec_handle;
static pthread_once_t mvec_once = PTHREAD_ONCE_INIT;
static void mvec_open(void) { mvec_handle = dlopen("libmvec.so.1", RTLD_NOW | RTLD_GLOBAL); }

bool host_mvec_loaded(void) {
    pthread_once(&mvec_once, mvec_open);
    return mvec_handle != NULL;
}

int host_mvec_variant(kiln_op op, kiln_dtype dt, int lanes, int vec_bytes, char *name, size_t cap) {
    int esz = (int)kiln_dtype_size(dt), chunk = vec_bytes / esz < lanes ? vec_bytes / esz : lanes, bytes = chunk * esz;
    char isa = bytes == 64 ? 'e' : bytes == 32 ? 'd' : 'b';
    snprintf(name, cap, "_ZGV%cN%d%s_%s%s", isa, chunk, kiln_op_arity(op) == 2 ? "vv" : "v", kiln_op_cfunc[op],
             dt == KILN_F32 ? "f" : "");
    return chunk;
}

/* ------------------------------------------------------------------ maps */

/* Copies flat elements [p, p + n) of operand i of a packed geometry (rows of R elements) into
 * dst, contiguous. */
static void pack_operand(const kiln_map_geom *g, int i, int64_t p, int64_t n, char *dst) {
    int64_t R = g->pack, r = p / R, c = p % R, s0 = g->strides[i][0], s1 = g->strides[i][1];
    const char *row = g->base[i] + r * s0;
    int es = g->pack_es[i];
    for (int64_t f = 0; f < n;) {
        int64_t m = R - c < n - f ? R - c : n - f; /* the rest of this row */
        const char *src = row + c * s1;
        if (es == 8)
            for (int64_t j = 0; j < m; j++) memcpy(dst + (f + j) * 8, src + j * s1, 8);
        else if (es == 4)
            for (int64_t j = 0; j < m; j++) memcpy(dst + (f + j) * 4, src + j * s1, 4);
        else if (es == 2)
            for (int64_t j = 0; j < m; j++) memcpy(dst + (f + j) * 2, src + j * s1, 2);
        else
            for (int64_t j = 0; j < m; j++) dst[f + j] = src[j * s1];
        f += m;
        c = 0;
        row += s0;
    }
}

#define PACK_BLOCK 2048 /* elements per packed call: every operand's block stays in L1 */

/* map_range for a packed geometry: blocks of PACK_BLOCK flat elements, each one row call. */
static void pack_range(host_row_fn row, const kiln_kernel *k, const kiln_map_geom *g, const kscalar *consts, int64_t start,
                       int64_t end, char **ptrs, char *buf) {
    int64_t R = g->pack;
    for (int64_t p = start; p < end; p += PACK_BLOCK) {
        int64_t n = end - p < PACK_BLOCK ? end - p : PACK_BLOCK;
        for (int i = 0; i < g->nops; i++) {
            if (g->pack_es[i]) {
                ptrs[i] = buf + (size_t)i * PACK_BLOCK * 8;
                pack_operand(g, i, p, n, ptrs[i]);
            } else {
                ptrs[i] = g->base[i] + (p / R) * g->strides[i][0] + (p % R) * g->strides[i][1];
            }
        }
        row(k, n, ptrs, g->inner, consts);
    }
}

/* Moves row pointers ptrs by r rows (dim ndim - 2) and c columns, or back when sign is -1. */
static void tile_move(const kiln_map_geom *g, char **ptrs, int64_t r, int64_t c, int sign) {
    int nd = g->ndim;
    for (int i = 0; i < g->nops; i++) ptrs[i] += sign * (r * g->strides[i][nd - 2] + c * g->strides[i][nd - 1]);
}

/* Rows [0, rows) of dim ndim - 2 from row pointers ptrs (restored on return), KILN_TILE_COLS
 * columns of each row in turn (see kiln_map_geom's tile); with g->block, a group of that many
 * rows takes one block call over its columns' multiple of it, and a row call each for the rest. */
static void tile_walk(host_row_fn row, const kiln_kernel *k, const kiln_map_geom *g, const kscalar *consts, int64_t rows,
                      char **ptrs) {
    int64_t inner = g->shape[g->ndim - 1], B = g->block;
    for (int64_t c = 0; c < inner; c += KILN_TILE_COLS) {
        int64_t n = inner - c < KILN_TILE_COLS ? inner - c : KILN_TILE_COLS, nb = B ? n / B * B : 0;
        for (int64_t r = 0; r < rows;) {
            bool block = nb > 0 && rows - r >= B;
            tile_move(g, ptrs, r, c, 1);
            if (block) {
                row(k, -nb, ptrs, g->inner, consts);
                for (int64_t j = 0; j < B && nb < n; j++) { /* the columns past the block's */
                    tile_move(g, ptrs, j, nb, 1);
                    row(k, n - nb, ptrs, g->inner, consts);
                    tile_move(g, ptrs, j, nb, -1);
                }
            } else {
                row(k, n, ptrs, g->inner, consts);
            }
            tile_move(g, ptrs, r, c, -1);
            r += block ? B : 1;
        }
    }
}

/* map_range for a geometry walked down its columns (kiln_map_geom's cols): the elements of a
 * partly covered row one call each, full rows in blocks of g->cols, a call per column. */
static void cols_range(host_row_fn row, const kiln_kernel *k, const kiln_map_geom *g, const kscalar *consts, int64_t start,
                       int64_t end, char **ptrs) {
    int64_t R = g->shape[1], nops = g->nops;
    for (int64_t p = start; p < end;) {
        int64_t r = p / R, c = p % R, n = 1, cn = 1;
        if (c == 0 && end - p >= R) { /* full rows: a block of them */
            n = (end - p) / R;
            if (n > g->cols) n = g->cols;
            cn = R;
        }
        for (int64_t j = 0; j < cn; j++) {
            for (int i = 0; i < nops; i++) ptrs[i] = g->base[i] + r * g->strides[i][0] + (c + j) * g->strides[i][1];
            row(k, n, ptrs, g->inner, consts);
        }
        p += n * cn;
    }
}

/* Runs row over flat output elements [start, end), one row call at a time. */
static void map_range(host_row_fn row, const kiln_kernel *k, const kiln_map_geom *g, const kscalar *consts, int64_t start,
                      int64_t end, char **ptrs) {
    if (g->pack) { /* the packing buffers follow the pointers */
        pack_range(row, k, g, consts, start, end, ptrs, (char *)(ptrs + g->nops));
        return;
    }
    if (g->cols) {
        cols_range(row, k, g, consts, start, end, ptrs);
        return;
    }
    int nd = g->ndim, nops = g->nops;
    if (nd == 1) { /* one row: no index to carry */
        for (int i = 0; i < nops; i++) ptrs[i] = g->base[i] + start * g->strides[i][0];
        row(k, end - start, ptrs, g->inner, consts);
        return;
    }
    int64_t inner = g->shape[nd - 1];
    int64_t idx[KILN_MAX_DIMS];
    int64_t r = start / inner, col = start % inner;
    for (int d = nd - 2; d >= 0; d--) {
        idx[d] = r % g->shape[d];
        r /= g->shape[d];
    }
    for (int64_t pos = start; pos < end;) {
        int64_t count = inner - col < end - pos ? inner - col : end - pos, rows = 1;
        for (int i = 0; i < nops; i++) {
            char *p = g->base[i] + col * g->strides[i][nd - 1];
            for (int d = 0; d < nd - 1; d++) p += idx[d] * g->strides[i][d];
            ptrs[i] = p;
        }
        if (g->tile && col == 0 && count == inner) { /* full rows: a group of them, tile by tile */
            rows = (end - pos) / inner;
            if (rows > g->shape[nd - 2] - idx[nd - 2]) rows = g->shape[nd - 2] - idx[nd - 2];
            if (rows > g->tile) rows = g->tile;
            tile_walk(row, k, g, consts, rows, ptrs);
        } else {
            row(k, count, ptrs, g->inner, consts);
        }
        pos += rows * count;
        col = 0;
        for (int d = nd - 2; d >= 0; d--) {
            if ((idx[d] += d == nd - 2 ? rows : 1) < g->shape[d]) break;
            idx[d] = 0;
        }
    }
}

/* map_range in pieces of HOST_PIECE elements, looking for kiln_interrupt between them (a
 * piece is well under a millisecond); true when it stopped early. */
#define HOST_PIECE ((int64_t)1 << 20)
static bool map_pieces(kiln_ctx *ctx, host_row_fn row, const kiln_kernel *k, const kiln_map_geom *g, const kscalar *consts,
                       int64_t start, int64_t end, char **ptrs) {
    for (int64_t s = start; s < end; s += HOST_PIECE) {
        if (kiln_interrupted(ctx)) return true;
        map_range(row, k, g, consts, s, end - s > HOST_PIECE ? s + HOST_PIECE : end, ptrs);
    }
    return false;
}

kiln_status host_launch_map(void *state, kiln_ctx *ctx, const kiln_kernel *k, const kiln_map_geom *g, const kscalar *consts,
                            int nthreads) {
    KILN_UNUSED(state);
    host_row_fn row = ((const host_kernel *)k)->row;
    int64_t total = g->total;
    if (total == 0) return KILN_OK;
    int nt = nthreads;
    if (total / KILN_HOST_SPLIT < nt) nt = (int)(total / KILN_HOST_SPLIT);
    int64_t f = g->first;
    /* per thread: the row pointers, then (short rows) a packing buffer per operand, 8-aligned */
    size_t per = (size_t)g->nops * sizeof(char *) + (g->pack ? (size_t)g->nops * PACK_BLOCK * 8 : 0);
    if (nt <= 1) {
        char *ptrs_s[KILN_INLINE_OPERANDS], **ptrs = ptrs_s;
        if ((g->nops > KILN_INLINE_OPERANDS || g->pack) && !(ptrs = kiln_malloc(ctx, per))) return KILN_ERR_NOMEM;
        bool stopped = map_pieces(ctx, row, k, g, consts, f, f + total, ptrs);
        if (ptrs != ptrs_s) kiln_free(ctx, ptrs);
        return stopped ? kiln_fail(ctx, KILN_ERR_INTERRUPTED, "interrupted") : KILN_OK;
    }
    char *mem = kiln_malloc(ctx, (size_t)nt * per);
    if (!mem) return KILN_ERR_NOMEM;
    atomic_bool stopped = false;
#pragma omp parallel num_threads(nt)
    {
        int t = omp_get_thread_num(), n = omp_get_num_threads();
        /* chunk edges on multiples of 64 elements, so threads do not share cache lines */
        int64_t s = total * t / n / 64 * 64, e = t == n - 1 ? total : total * (t + 1) / n / 64 * 64;
        if (e > s && map_pieces(ctx, row, k, g, consts, f + s, f + e, (char **)(void *)(mem + (size_t)t * per)))
            atomic_store(&stopped, true);
    }
    kiln_free(ctx, mem);
    return atomic_load(&stopped) ? kiln_fail(ctx, KILN_ERR_INTERRUPTED, "interrupted") : KILN_OK;
}

/* ------------------------------------------------------------------ reductions */

/* Folds reduced elements [start, end) of output o into acc, one row call at a time (in_order:
 * a float sum's KILN_FOLD_IN_ORDER calls). */
static void fold_range(host_fold_fn fold, const kiln_kernel *k, const kiln_reduce_geom *g, const kscalar *consts, int64_t o,
                       int64_t start, int64_t end, kscalar *acc, char **ptrs, bool in_order) {
    int64_t rem = o, kidx[KILN_MAX_DIMS];
    for (int d = g->nk - 1; d >= 0; d--) {
        kidx[d] = rem % g->kshape[d];
        rem /= g->kshape[d];
    }
    int nr = g->nr;
    int64_t inner = g->rshape[nr - 1], idx[KILN_MAX_DIMS], row = start / inner, col = start % inner;
    for (int d = nr - 2; d >= 0; d--) {
        idx[d] = row % g->rshape[d];
        row /= g->rshape[d];
    }
    for (int64_t pos = start; pos < end;) {
        int64_t count = inner - col < end - pos ? inner - col : end - pos;
        for (int i = 0; i < g->nin; i++) {
            char *p = g->base[i] + col * g->rstr[i][nr - 1];
            for (int d = 0; d < g->nk; d++) p += kidx[d] * g->kstr[i][d];
            for (int d = 0; d < nr - 1; d++) p += idx[d] * g->rstr[i][d];
            ptrs[i] = p;
        }
        fold(k, count, ptrs, g->inner, consts, acc, in_order ? KILN_FOLD_IN_ORDER : pos);
        pos += count;
        col = 0;
        for (int d = nr - 2; d >= 0; d--) {
            if (++idx[d] < g->rshape[d]) break;
            idx[d] = 0;
        }
    }
}

/* row[i]: operand i's first element of row r of output o's reduced elements (a row: a run of
 * the last nb reduced dims; rows in order of the others). */
static void reduced_row(const kiln_reduce_geom *g, int nb, int64_t o, int64_t r, char **row) {
    for (int i = 0; i < g->nin; i++) row[i] = g->base[i];
    for (int d = g->nk - 1; d >= 0; d--) {
        for (int i = 0; i < g->nin; i++) row[i] += (o % g->kshape[d]) * g->kstr[i][d];
        o /= g->kshape[d];
    }
    for (int d = g->nr - 1 - nb; d >= 0; d--) {
        for (int i = 0; i < g->nin; i++) row[i] += (r % g->rshape[d]) * g->rstr[i][d];
        r /= g->rshape[d];
    }
}

/* Whether n elements are 2^k leaves, k >= 2: one KILN_FOLD_SERIES call (four leaves side by
 * side) and a balanced tree, which NumPy's halving of n gives. */
static bool leaves_whole(int64_t n) { return n % (4 * KILN_PAIRWISE_LEAF) == 0 && (n & (n - 1)) == 0; }

/* The sum of 2^k leaves (leaves_whole(n)) of n elements from position lo of one row (operand i
 * at row[i], stride inner[i]): one KILN_FOLD_SERIES call (ptrs: room for two pointer sets) and
 * the balanced tree NumPy's halving gives. */
static kscalar leaves_sum(host_fold_fn fold, const kiln_kernel *k, const kiln_reduce_geom *g, const kscalar *consts,
                          char *const *row, const int64_t *inner, int64_t lo, int64_t n, char **ptrs) {
    kscalar leaf[KILN_REDUCE_BLOCK / KILN_PAIRWISE_LEAF];
    int64_t nl = n / KILN_PAIRWISE_LEAF;
    for (int i = 0; i < g->nin; i++) {
        ptrs[i] = row[i] + lo * inner[i];
        ptrs[g->nin + i] = ptrs[i] + KILN_PAIRWISE_LEAF * inner[i]; /* the next leaf's */
    }
    leaf[0].i64 = KILN_PAIRWISE_LEAF;
    fold(k, nl, ptrs, inner, consts, leaf, KILN_FOLD_SERIES);
    for (int64_t w = 1; w < nl; w *= 2)
        for (int64_t b = 0; b + w < nl; b += 2 * w)
            if (g->dt == KILN_F64) leaf[b].f64 += leaf[b + w].f64;
            else leaf[b].f32 += leaf[b + w].f32;
    return leaf[0];
}

/* NumPy's pairwise sum (kd_pairwise) of m rows at once (1 to KILN_FOLD_ROWS_N; rows[u * nin +
 * i]: row u's operand i, stride inner[i]), the same n elements from position lo of each,
 * into sum[0..m): NumPy's split at n/2 rounded down to a multiple of 8, the same tree for every
 * row; a leaf of at most 128 elements one row call (one row) or a KILN_FOLD_ROWS call (the rows
 * past m given row 0's pointers again); 2^k leaves (k >= 2) leaves_sum, row by row.  ptrs: room
 * for KILN_FOLD_ROWS_N rows' pointers. */
static void pairwise_rows(host_fold_fn fold, const kiln_kernel *k, const kiln_reduce_geom *g, const kscalar *consts,
                          char *const *rows, const int64_t *inner, int m, int64_t lo, int64_t n, char **ptrs, kscalar *sum) {
    int nin = g->nin;
    if (n > KILN_PAIRWISE_LEAF && leaves_whole(n)) {
        for (int u = 0; u < m; u++) sum[u] = leaves_sum(fold, k, g, consts, rows + (size_t)u * (size_t)nin, inner, lo, n, ptrs);
        return;
    }
    if (n <= KILN_PAIRWISE_LEAF) {
        kscalar acc[KILN_FOLD_ROWS_N];
        int R = m == 1 ? 1 : KILN_FOLD_ROWS_N;
        for (int u = 0; u < R; u++)
            for (int i = 0; i < nin; i++) ptrs[u * nin + i] = rows[(u < m ? u : 0) * nin + i] + lo * inner[i];
        ref_reduce_init(KILN_OP_SUM, g->dt, acc); /* (a row call adds after acc[0]) */
        fold(k, n, ptrs, inner, consts, acc, m == 1 ? 0 : KILN_FOLD_ROWS);
        for (int u = 0; u < m; u++) sum[u] = acc[u];
        return;
    }
    int64_t n2 = n / 2 - (n / 2) % 8;
    kscalar b[KILN_FOLD_ROWS_N];
    pairwise_rows(fold, k, g, consts, rows, inner, m, lo, n2, ptrs, sum);
    pairwise_rows(fold, k, g, consts, rows, inner, m, lo + n2, n - n2, ptrs, b);
    for (int u = 0; u < m; u++) ref_reduce_combine(KILN_OP_SUM, g->dt, &sum[u], &b[u]);
}

/* How a float sum goes in NumPy's order: PAIRWISE (a reduced dim innermost in NumPy's order),
 * each run of the last g->nblock reduced dims cut into chunks of KILN_REDUCE_BLOCK elements,
 * each chunk summed as NumPy sums a buffer of its reduction (pairwise_rows), the chunks of all
 * runs added in order; IN_ORDER (else), one element at a time in the geometry's order.  Other
 * reductions: ANY_ORDER, blocks of kiln_reduce_block and a tree. */
enum { ANY_ORDER, PAIRWISE, IN_ORDER };
static int sum_order(const kiln_reduce_geom *g) {
    if (g->op != KILN_OP_SUM || !dtype_is_float(g->dt)) return ANY_ORDER;
    return g->reduced_inner ? PAIRWISE : IN_ORDER;
}
/* A float sum's chunks' sums are kept (to be added in order) this many at a time: a wave of
 * work units, then the next. */
#define PAIRWISE_PARTIALS ((int64_t)1 << 16)

static void store_result(const kiln_reduce_geom *g, int64_t o, const kscalar *acc) {
    int64_t rem = o;
    char *p = g->out;
    for (int d = g->nk - 1; d >= 0; d--) {
        p += (rem % g->kshape[d]) * g->ostr[d];
        rem /= g->kshape[d];
    }
    if (op_is_arg_reduce(g->op)) ref_store(p, KILN_I64, acc[1]);
    else ref_store(p, g->out_dt, acc[0]);
}

/* Copies elements [lo, lo + n) of input i's block (g's last nblock reduced dims flattened in C
 * order, from p) into dst, contiguous: NumPy's buffer of its reduction's inner loop. */
static void block_gather(const kiln_reduce_geom *g, int i, const char *p, int64_t lo, int64_t n, char *dst) {
    int es = g->gather_es[i], nr = g->nr, b0 = nr - g->nblock;
    int64_t idx[KILN_MAX_DIMS], rem = lo, L = g->rshape[nr - 1], st = g->rstr[i][nr - 1], off = 0; /* (bytes from p: no pointer outside the array) */
    for (int d = nr - 1; d >= b0; d--) {
        idx[d] = rem % g->rshape[d];
        rem /= g->rshape[d];
        off += idx[d] * g->rstr[i][d];
    }
    for (;;) {
        int64_t cnt = L - idx[nr - 1] < n ? L - idx[nr - 1] : n;
        const char *q = p + off;
        if (st == es) memcpy(dst, q, (size_t)(cnt * es));
        else if (es == 8)
            for (int64_t j = 0; j < cnt; j++) memcpy(dst + j * 8, q + j * st, 8);
        else if (es == 4)
            for (int64_t j = 0; j < cnt; j++) memcpy(dst + j * 4, q + j * st, 4);
        else
            for (int64_t j = 0; j < cnt; j++) memcpy(dst + j * es, q + j * st, (size_t)es);
        if ((n -= cnt) == 0) return;
        dst += cnt * es;
        off += cnt * st;
        idx[nr - 1] += cnt;
        for (int d = nr - 1; d > b0 && idx[d] == g->rshape[d]; d--) { /* carry into the next dim out */
            off += g->rstr[i][d - 1] - g->rshape[d] * g->rstr[i][d];
            idx[d] = 0;
            idx[d - 1]++;
        }
    }
}

/* A thread's room for gathered chunks (block_gather) of nin inputs: their data, then their
 * strides and row pointers. */
#define GATHER_BYTES(nin) ((size_t)(nin) * (KILN_REDUCE_BLOCK * 8 + sizeof(int64_t) + sizeof(char *)))

/* A chunk's sum s of pair p, after 0 (NumPy's running value starts there), into part[slot],
 * or without part (one chunk an output) into the pair's output. */
static void chunk_put(const kiln_reduce_geom *g, int64_t p, const kscalar *s, kscalar *part, int64_t slot) {
    kscalar acc[2];
    ref_reduce_init(KILN_OP_SUM, g->dt, acc);
    ref_reduce_combine(KILN_OP_SUM, g->dt, acc, s);
    if (part) memcpy(&part[2 * slot], acc, sizeof acc);
    else store_result(g, p, acc);
}

/* One unit of a float sum in NumPy's order (sum_order's PAIRWISE): chunk c of the runs of the
 * pairs (output, run) p0 .. p0 + m - 1 side by side (a run: g's last nblock reduced dims, rows
 * of them in order of the others); each sum, after 0, into part[(p - pbase) * cpr + c] (the
 * pair's chunk), or without part (one chunk an output) into its output.  A run of several dims
 * (NumPy buffers them) is gathered a chunk and a pair at a time into gbuf. */
static void pairwise_unit(host_fold_fn fold, const kiln_kernel *k, const kiln_reduce_geom *g, const kscalar *consts, int64_t p0, int m,
                          int64_t c, int64_t run, int64_t rows, int64_t cpr, kscalar *part, int64_t pbase, char **scratch, char *gbuf) {
    int nin = g->nin, nb = g->nblock > 1 ? g->nblock : 1;
    int64_t lo = c * KILN_REDUCE_BLOCK, n = run - lo < KILN_REDUCE_BLOCK ? run - lo : KILN_REDUCE_BLOCK;
    char **rowp = scratch, **ptrs = scratch + (size_t)KILN_FOLD_ROWS_N * (size_t)nin;
    kscalar sums[KILN_FOLD_ROWS_N];
    for (int u = 0; u < m; u++) reduced_row(g, nb, (p0 + u) / rows, (p0 + u) % rows, rowp + (size_t)u * (size_t)nin);
    if (nb == 1) {
        pairwise_rows(fold, k, g, consts, rowp, g->inner, m, lo, n, ptrs, sums);
    } else {
        int64_t *ginner = (int64_t *)(void *)(gbuf + (size_t)nin * KILN_REDUCE_BLOCK * 8);
        char **grow = (char **)(ginner + nin);
        for (int u = 0; u < m; u++) {
            for (int i = 0; i < nin; i++) {
                char *row = rowp[(size_t)u * (size_t)nin + (size_t)i];
                ginner[i] = g->gather_es[i];
                grow[i] = ginner[i] ? gbuf + (size_t)i * KILN_REDUCE_BLOCK * 8 : row;
                if (ginner[i]) block_gather(g, i, row, lo, n, grow[i]);
            }
            pairwise_rows(fold, k, g, consts, grow, ginner, 1, 0, n, ptrs, &sums[u]);
        }
    }
    for (int u = 0; u < m; u++) chunk_put(g, p0 + u, &sums[u], part, (p0 + u - pbase) * cpr + c);
}

/* Short runs (one leaf each): next to each other along the innermost dim of the pairs (output,
 * run), pairs are equally spaced, so up to SERIES_SEG of them go to the kernel in one
 * KILN_FOLD_SERIES call instead of one KILN_FOLD_ROWS call a four (10^6 rows of 65 float64
 * summed: the host's work per call was the most of it).  The pair dim: the innermost outer
 * reduced dim when an output has several runs (their sums are then added in order, at most
 * PAIRWISE_PARTIALS of them kept at a time), else the innermost kept dim. */
#define SERIES_SEG 256
static int64_t series_pairs(const kiln_reduce_geom *g, int64_t run, int64_t rows) {
    if (g->nblock > 1 || run > KILN_PAIRWISE_LEAF) return 0;
    int64_t lp = rows > 1 ? (g->nr >= 2 && g->rshape[g->nr - 2] <= PAIRWISE_PARTIALS ? g->rshape[g->nr - 2] : 0) : g->nk >= 1 ? g->kshape[g->nk - 1] : 0;
    return lp >= 2 * KILN_FOLD_ROWS_N ? lp : 0; /* (fewer: fours of pairs across outputs waste less) */
}

/* Pairs p0 .. p0 + m - 1 (m <= SERIES_SEG, along one run of the pair dim) of a short-run float
 * sum: each run's sum, after 0, into part[p - pbase] (or its output, without part). */
static void series_unit(host_fold_fn fold, const kiln_kernel *k, const kiln_reduce_geom *g, const kscalar *consts, int64_t p0, int64_t m,
                        int64_t run, int64_t rows, kscalar *part, int64_t pbase, char **scratch) {
    int nin = g->nin, N = KILN_FOLD_ROWS_N;
    char **rowp = scratch, **ptrs = scratch + (size_t)N * (size_t)nin;
    kscalar sums[SERIES_SEG];
    int64_t m4 = m & -(int64_t)N;
    reduced_row(g, 1, p0 / rows, p0 % rows, rowp);
#define SPACING(i) (rows > 1 ? g->rstr[i][g->nr - 2] : g->kstr[i][g->nk - 1])
    if (m4) {
        for (int i = 0; i < nin; i++) {
            ptrs[i] = rowp[i];
            ptrs[nin + i] = rowp[i] + SPACING(i);
        }
        sums[0].i64 = run;
        fold(k, m4, ptrs, g->inner, consts, sums, KILN_FOLD_SERIES);
    }
    if (m > m4) { /* the last pairs, their rows' pointer sets in place of the first's (that one last) */
        for (int64_t j = m - m4 - 1; j >= 0; j--)
            for (int i = 0; i < nin; i++) rowp[j * nin + i] = rowp[i] + (m4 + j) * SPACING(i);
        pairwise_rows(fold, k, g, consts, rowp, g->inner, (int)(m - m4), 0, run, ptrs, sums + m4);
    }
#undef SPACING
    for (int64_t j = 0; j < m; j++) chunk_put(g, p0 + j, &sums[j], part, p0 + j - pbase);
}

/* A float sum in NumPy's order, in groups of pairs (output, run): KILN_FOLD_ROWS_N pairs,
 * each unit of work chunk c of them; or for short runs (series_pairs) a run of the pair dim,
 * each unit a segment of up to SERIES_SEG pairs.  In waves of at most PAIRWISE_PARTIALS
 * chunks' sums, each wave's added in order into its outputs' running sums (where an output
 * has more than one chunk). */
static kiln_status pairwise_launch(kiln_ctx *ctx, host_fold_fn fold, const kiln_kernel *k, const kiln_reduce_geom *g,
                                   const kscalar *consts, int nthreads) {
    int N = KILN_FOLD_ROWS_N, nin = g->nin;
    int64_t run = 1;
    for (int d = g->nr - (g->nblock > 1 ? g->nblock : 1); d < g->nr; d++) run *= g->rshape[d];
    int64_t rows = g->R / run, cpr = (run + KILN_REDUCE_BLOCK - 1) / KILN_REDUCE_BLOCK, lp = series_pairs(g, run, rows);
    int64_t ppg = lp ? lp : N, upg = lp ? (lp + SERIES_SEG - 1) / SERIES_SEG : cpr; /* pairs, units a group */
    int64_t pairs = g->O * rows, groups = (pairs + ppg - 1) / ppg, nb = rows * cpr;
    int64_t wave = nb > 1 ? (PAIRWISE_PARTIALS / (ppg * cpr) > 0 ? PAIRWISE_PARTIALS / (ppg * cpr) : 1) : groups; /* groups a wave */
    if (wave > groups) wave = groups;
    if (groups == 0) return KILN_OK; /* (no outputs) */
    int nt = nthreads;
    if (g->R * g->O < 2 * KILN_HOST_SPLIT || groups * upg < 2) nt = 1;
    if (nt > groups * upg) nt = (int)(groups * upg);
    if (nt < 1) nt = 1;
    size_t per = (size_t)(2 * N * nin + 1), gper = g->nblock > 1 ? GATHER_BYTES(nin) : 0;
    char **ptrs = kiln_malloc(ctx, (size_t)nt * per * sizeof *ptrs);
    char *gbuf = gper ? kiln_malloc(ctx, (size_t)nt * gper) : NULL;
    kscalar *part = nb > 1 ? kiln_malloc(ctx, (size_t)(wave * ppg * cpr) * 2 * sizeof *part) : NULL;
    kscalar *sums = nb > 1 ? kiln_malloc(ctx, (size_t)g->O * 2 * sizeof *sums) : NULL;
    if (!ptrs || (gper && !gbuf) || (nb > 1 && (!part || !sums))) {
        kiln_free(ctx, ptrs), kiln_free(ctx, gbuf), kiln_free(ctx, part), kiln_free(ctx, sums);
        return KILN_ERR_NOMEM;
    }
    for (int64_t o = 0; sums && o < g->O; o++) ref_reduce_init(KILN_OP_SUM, g->dt, &sums[2 * o]);
    atomic_bool stopped = false;
    for (int64_t g0 = 0; g0 < groups && !atomic_load(&stopped); g0 += wave) {
        int64_t g1 = groups - g0 < wave ? groups : g0 + wave, u0 = g0 * upg, u1 = g1 * upg;
        int ntw = nt > u1 - u0 ? (int)(u1 - u0) : nt;
        KILN_OMP_IF(ntw, "omp parallel for num_threads(ntw) schedule(static)",
        for (int64_t u = u0; u < u1; u++) {
            if (kiln_interrupted(ctx)) {
                atomic_store(&stopped, true);
                continue;
            }
            int tid = KILN_OMP_TID(ntw);
            if (lp) {
                int64_t s0 = u % upg * SERIES_SEG;
                series_unit(fold, k, g, consts, u / upg * lp + s0, lp - s0 < SERIES_SEG ? lp - s0 : SERIES_SEG, run, rows, part, g0 * ppg,
                            ptrs + (size_t)tid * per);
            } else {
                int64_t p0 = u / cpr * N;
                pairwise_unit(fold, k, g, consts, p0, pairs - p0 < N ? (int)(pairs - p0) : N, u % cpr, run, rows, cpr, part, g0 * N,
                              ptrs + (size_t)tid * per, gbuf ? gbuf + (size_t)tid * gper : NULL);
            }
        });
        for (int64_t p = g0 * ppg; part && p < g1 * ppg && p < pairs; p++) /* the wave's chunks, in order */
            for (int64_t c = 0; c < cpr; c++) ref_reduce_combine(KILN_OP_SUM, g->dt, &sums[2 * (p / rows)], &part[2 * ((p - g0 * ppg) * cpr + c)]);
    }
    for (int64_t o = 0; sums && !atomic_load(&stopped) && o < g->O; o++) store_result(g, o, &sums[2 * o]);
    kiln_free(ctx, ptrs), kiln_free(ctx, gbuf), kiln_free(ctx, part), kiln_free(ctx, sums);
    return atomic_load(&stopped) ? kiln_fail(ctx, KILN_ERR_INTERRUPTED, "interrupted") : KILN_OK;
}

/* Outputs [o0, o1) whose reduced elements are one row each (nr == 1, one block), a fold call
 * each: the kept index, the operands' rows and the output stepped from one output to the next
 * (fold_range's and store_result's divisions and loops took short rows a fifth of their time:
 * argmax of 20000 rows of 100 float64).  False, stopped, where interrupted. */
static bool fold_rows(kiln_ctx *ctx, host_fold_fn fold, const kiln_kernel *k, const kiln_reduce_geom *g, const kscalar *consts,
                      int64_t o0, int64_t o1, char **ptrs, int64_t mode) {
    if (o0 >= o1) return true; /* (none: a kept dim may be empty) */
    int64_t kidx[KILN_MAX_DIMS], rem = o0;
    char *out = g->out;
    for (int i = 0; i < g->nin; i++) ptrs[i] = g->base[i];
    for (int d = g->nk - 1; d >= 0; d--) {
        kidx[d] = rem % g->kshape[d];
        rem /= g->kshape[d];
        out += kidx[d] * g->ostr[d];
        for (int i = 0; i < g->nin; i++) ptrs[i] += kidx[d] * g->kstr[i][d];
    }
    bool arg = op_is_arg_reduce(g->op);
    for (int64_t o = o0; o < o1; o++) {
        if (kiln_interrupted(ctx)) return false;
        kscalar acc[2];
        ref_reduce_init(g->op, g->dt, acc);
        fold(k, g->R, ptrs, g->inner, consts, acc, mode);
        if (arg) memcpy(out, &acc[1].i64, sizeof acc[1].i64);
        else ref_store(out, g->out_dt, acc[0]);
        for (int d = g->nk - 1; d >= 0; d--) {
            int64_t step = ++kidx[d] < g->kshape[d] ? 1 : 1 - g->kshape[d];
            out += step * g->ostr[d];
            for (int i = 0; i < g->nin; i++) ptrs[i] += step * g->kstr[i][d];
            if (step == 1) break;
            kidx[d] = 0;
        }
    }
    return true;
}

kiln_status host_launch_reduce(void *state, kiln_ctx *ctx, const kiln_kernel *k, const kiln_reduce_geom *g,
                               const kscalar *consts, int nthreads) {
    KILN_UNUSED(state);
    host_fold_fn fold = k ? ((const host_kernel *)k)->fold : NULL; /* no kernel for an empty range */
    int op = g->op, nin = g->nin, order = sum_order(g);
    if (order == PAIRWISE && g->R > 0) return pairwise_launch(ctx, fold, k, g, consts, nthreads);
    int64_t blk = order == IN_ORDER ? (g->R > 0 ? g->R : 1) : kiln_reduce_block(g->R, g->O, !dtype_is_float(g->dt) || op_is_arg_reduce(op));
    int64_t nb = g->R == 0 ? 0 : (g->R + blk - 1) / blk, units = g->O * (nb ? nb : 1); /* partials an output, work units */
    int nt = nthreads;
    if (g->R * g->O < 2 * KILN_HOST_SPLIT || units < 2) nt = 1;
    if (nt > units) nt = (int)units;
    if (nt < 1) nt = 1;
    char *ptrs_s[2 * KILN_INLINE_OPERANDS], **ptrs = ptrs_s; /* the threads' row pointers */
    if ((size_t)nt * (size_t)(nin + 1) > sizeof ptrs_s / sizeof *ptrs_s) ptrs = kiln_malloc(ctx, (size_t)nt * (size_t)(nin + 1) * sizeof *ptrs);
    kscalar part_s[16], *part = nb <= 1 ? NULL : units <= 8 ? part_s : kiln_malloc(ctx, (size_t)units * 2 * sizeof *part);
    if (!ptrs || (nb > 1 && !part)) {
        if (ptrs != ptrs_s) kiln_free(ctx, ptrs);
        if (part != part_s) kiln_free(ctx, part);
        return KILN_ERR_NOMEM;
    }
    int64_t nbu = nb ? nb : 1;
    atomic_bool stopped = false;
    if (nb == 1 && g->nr == 1) { /* a row an output: fold_rows, a range of outputs a thread */
        KILN_OMP_IF(nt, "omp parallel num_threads(nt)", {
            int t = KILN_OMP_TID(nt), n = KILN_OMP_NTH(nt);
            if (!fold_rows(ctx, fold, k, g, consts, g->O * t / n, g->O * (t + 1) / n, ptrs + (size_t)t * (size_t)(nin + 1),
                           order == IN_ORDER ? KILN_FOLD_IN_ORDER : 0))
                atomic_store(&stopped, true);
        });
        nb = units = 0; /* (done: the loop below has nothing left) */
    }
    if (units > 0) KILN_OMP_IF(nt, "omp parallel for num_threads(nt) schedule(static)",
    for (int64_t u = 0; u < units; u++) {
        int64_t o = u / nbu, b = u % nbu;
        kscalar acc[2];
        ref_reduce_init(op, g->dt, acc);
        if (nb && kiln_interrupted(ctx)) {
            atomic_store(&stopped, true);
        } else if (nb) {
            int64_t start = b * blk, end = start + blk < g->R ? start + blk : g->R;
            fold_range(fold, k, g, consts, o, start, end, acc, ptrs + (size_t)KILN_OMP_TID(nt) * (size_t)(nin + 1), order == IN_ORDER);
        }
        if (nb > 1) memcpy(&part[2 * u], acc, sizeof acc);
        else store_result(g, o, acc);
    });
    if (nb > 1) { /* each output's partials, in a fixed pairwise tree */
        for (int64_t o = 0; o < g->O; o++) {
            kscalar *p = &part[2 * o * nb];
            for (int64_t w = 1; w < nb; w *= 2)
                for (int64_t b = 0; b + w < nb; b += 2 * w) ref_reduce_combine(op, g->dt, &p[2 * b], &p[2 * (b + w)]);
            store_result(g, o, p);
        }
    }
    if (part != part_s) kiln_free(ctx, part);
    if (ptrs != ptrs_s) kiln_free(ctx, ptrs);
    return atomic_load(&stopped) ? kiln_fail(ctx, KILN_ERR_INTERRUPTED, "interrupted") : KILN_OK;
}

/* out[j] = 0 + (((p0+p1)+(p2+p3))+((p4+p5)+(p6+p7)))[j] for j < m: NumPy's tree of a leaf's
 * 8 lanes, in dtype dt (float32 or float64). */
static void lanes_tree(kiln_dtype dt, char *const *p, char *out, int64_t m) {
    if (dt == KILN_F64) {
        double *const *q = (double *const *)(void *)p, *o = (double *)(void *)out;
        for (int64_t j = 0; j < m; j++) o[j] = 0.0 + (((q[0][j] + q[1][j]) + (q[2][j] + q[3][j])) + ((q[4][j] + q[5][j]) + (q[6][j] + q[7][j])));
    } else {
        float *const *q = (float *const *)(void *)p, *o = (float *)(void *)out;
        for (int64_t j = 0; j < m; j++) o[j] = 0.0f + (((q[0][j] + q[1][j]) + (q[2][j] + q[3][j])) + ((q[4][j] + q[5][j]) + (q[6][j] + q[7][j])));
    }
}

void host_fill(char *p, int64_t n, size_t es, const char *elem) {
    bool same = true;
    for (size_t b = 1; b < es; b++) same = same && elem[b] == elem[0];
    if (same) {
        memset(p, elem[0], (size_t)n * es);
        return;
    }
#define FILL_AS(T)                                       \
    {                                                    \
        T e;                                             \
        memcpy(&e, elem, sizeof e);                      \
        for (int64_t i = 0; i < n; i++) ((T *)p)[i] = e; \
        return;                                          \
    }
    if (es == 2) FILL_AS(uint16_t)
    if (es == 4) FILL_AS(uint32_t)
    if (es == 8) FILL_AS(uint64_t)
#undef FILL_AS
    for (int64_t i = 0; i < n; i++) memcpy(p + (size_t)i * es, elem, es);
}

/* n elements of dt from p on set to v (a store through ref_store per element cost as much as
 * the column form's short reductions). */
static void fill_identity(char *p, int64_t n, kiln_dtype dt, kscalar v) {
    char e[sizeof v];
    ref_store(e, dt, v);
    host_fill(p, n, kiln_dtype_size(dt), e);
}

/* The column form's outputs [j0, j1) of batch b (the outer kept dim's position; 0 without
 * one): out[j] starts at the identity id and takes row i of the operands for i = 0 .. R-1, a
 * block of outputs at a time; pt: this thread's nin + 2 row pointers and nin more; lane: its 8
 * lanes of a float sum's short rows (lanes8), else unused. */
static void accumulate_range(host_row_fn row, const kiln_kernel *k, const kiln_reduce_geom *g, const kscalar *consts, const int64_t *inner,
                             const kscalar *id, bool lanes8, char **lane, char **pt, int64_t b, int64_t j0, int64_t j1) {
    int nin = g->nin, kin = g->nk - 1;
    int64_t R = g->R, es = (int64_t)kiln_dtype_size(g->dt);
    char *out = g->out + (kin ? b * g->ostr[0] : 0), **bs = pt + nin + 2; /* (the batch's bases: after the pointers) */
    for (int q = 0; q < nin; q++) bs[q] = g->base[q] + (kin ? b * g->kstr[q][0] : 0);
    if (!lanes8) fill_identity(out + j0 * es, j1 - j0, g->dt, id[0]);
    /* short reductions (rows of a few elements: softmax's) go a block of outputs at a time, so
     * that the rows the block reads stay in cache for all R of its passes */
    int64_t block = R <= KILN_SHORT_REDUCTION || lanes8 ? KILN_SHORT_BLOCK : j1 - j0;
    for (int64_t b0 = j0; b0 < j1; b0 += block) {
        int64_t b1 = j1 - b0 < block ? j1 : b0 + block, i = 0;
        if (lanes8) { /* elements i < R - R % 8 to lane i % 8, then the lanes' tree */
            for (int l = 0; l < 8; l++) memset(lane[l], 0, (size_t)((b1 - b0) * es)); /* +0.0 */
            for (; i < R - R % 8; i++) {
                for (int q = 0; q < nin; q++) pt[q] = bs[q] + i * g->rstr[q][0] + b0 * g->kstr[q][kin];
                pt[nin] = pt[nin + 1] = lane[i % 8];
                row(k, b1 - b0, pt, inner, consts);
            }
            lanes_tree(g->dt, lane, out + b0 * es, b1 - b0);
        }
        for (; i < R; i++) {
            for (int q = 0; q < nin; q++) pt[q] = bs[q] + i * g->rstr[q][0] + b0 * g->kstr[q][kin];
            pt[nin] = pt[nin + 1] = out + b0 * es;
            row(k, b1 - b0, pt, inner, consts);
        }
    }
}

kiln_status host_launch_accumulate(void *state, kiln_ctx *ctx, const kiln_kernel *k, const kiln_reduce_geom *g,
                                   const kscalar *consts, int nthreads) {
    KILN_UNUSED(state);
    host_row_fn row = ((const host_kernel *)k)->row;
    int nin = g->nin, nops = nin + 2, kin = g->nk - 1;
    /* the outputs: B batches (the outer kept dim, where there are two) of J, cut among the
     * threads as one run of B·J */
    int64_t J = g->kshape[kin], B = kin ? g->kshape[0] : 1, T = B * J, R = g->R, es = (int64_t)kiln_dtype_size(g->dt);
    int nt = nthreads;
    if (T * R < 2 * KILN_HOST_SPLIT) nt = 1;
    if (nt > T / 64) nt = (int)(T / 64) > 0 ? (int)(T / 64) : 1;
    /* a float sum's rows of 8 to 32 elements along the innermost dim: NumPy's leaf, its lanes
     * in 8 partial sums per output (per thread, a block of outputs' worth) */
    bool lanes8 = g->op == KILN_OP_SUM && dtype_is_float(g->dt) && R >= 8 && R <= KILN_PAIRWISE_LEAF && g->reduced_inner;
    size_t lane_bytes = (size_t)KILN_SHORT_BLOCK * (size_t)es, per = (size_t)nops + (size_t)nin;
    char **ptrs = kiln_malloc(ctx, (size_t)nt * per * sizeof *ptrs);
    int64_t *inner = kiln_malloc(ctx, (size_t)nops * sizeof *inner);
    char *part = lanes8 ? kiln_malloc(ctx, (size_t)nt * 8 * lane_bytes) : NULL;
    if (!ptrs || !inner || (lanes8 && !part)) {
        kiln_free(ctx, ptrs);
        kiln_free(ctx, inner);
        kiln_free(ctx, part);
        return KILN_ERR_NOMEM;
    }
    for (int i = 0; i < nin; i++) inner[i] = g->kstr[i][kin];
    inner[nin] = inner[nin + 1] = es; /* the accumulator in, the output out: the same array */
    kscalar id[2];
    ref_reduce_init(g->op, g->dt, id);
    KILN_OMP_IF(nt, "omp parallel num_threads(nt)",
    {
        int t = KILN_OMP_TID(nt), n = KILN_OMP_NTH(nt);
        int64_t o0 = T * t / n / 64 * 64, o1 = t == n - 1 ? T : T * (t + 1) / n / 64 * 64;
        char *lane[8];
        for (int l = 0; lanes8 && l < 8; l++) lane[l] = part + ((size_t)t * 8 + (size_t)l) * lane_bytes;
        for (int64_t o = o0; o < o1;) { /* a batch's share of the thread's run at a time */
            int64_t b = o / J, j0 = o % J, j1 = J - j0 < o1 - o ? J : j0 + (o1 - o);
            accumulate_range(row, k, g, consts, inner, id, lanes8, lane, ptrs + (size_t)t * per, b, j0, j1);
            o += j1 - j0;
        }
    });
    kiln_free(ctx, ptrs);
    kiln_free(ctx, inner);
    kiln_free(ctx, part);
    return KILN_OK;
}

/* ------------------------------------------------------------------ BLAS */

#define SMALL_PRODUCT 1024.0 /* below m*n*k of this, BLAS's call costs more than it saves */
/* Below m*n*k of this BLAS runs on one thread: waking its threads costs more than they save
 * (measured here: a 20×5000 gemv, 10^5 multiply-adds, takes 10.2 µs on one thread and 7.6 on
 * two; 20×500, 10^4, took 27 µs with two) */
#define SERIAL_PRODUCT 65536.0
#define PANEL_BYTES (8u << 20) /* output panel: big enough for GEMM's efficiency, small enough for L3 */

enum { ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112, UPPER = 121 };
typedef void (*sgemm_fn)(int, int, int, int, int, int, float, const float *, int, const float *, int, float, float *, int);
typedef void (*dgemm_fn)(int, int, int, int, int, int, double, const double *, int, const double *, int, double, double *,
                         int);
typedef void (*sgemv_fn)(int, int, int, int, float, const float *, int, const float *, int, float, float *, int);
typedef void (*dgemv_fn)(int, int, int, int, double, const double *, int, const double *, int, double, double *, int);
typedef void (*ssyrk_fn)(int, int, int, int, int, float, const float *, int, float, float *, int);
typedef void (*dsyrk_fn)(int, int, int, int, int, double, const double *, int, double, double *, int);

static struct {
    sgemm_fn sgemm;
    dgemm_fn dgemm;
    sgemv_fn sgemv;
    dgemv_fn dgemv;
    ssyrk_fn ssyrk; /* (optional: A @ A.T) */
    dsyrk_fn dsyrk;
    void (*set_threads)(int);
    char name[128];
} blas;
static pthread_once_t blas_once = PTHREAD_ONCE_INIT;

/* OpenBLAS maps its buffer pool when it is loaded (about 300 MB, measured with OpenBLAS 0.3.21)
 * and more for each extra thread when it first runs (about 135 MB each), and when mmap fails
 * it retries forever.  Under an address-space limit (ulimit -v) kiln looks at the room first:
 * too little to load it, and kiln does without (blas_limited); too little to run it, and a
 * product fails cleanly. */
#define BLAS_LOAD_MB 320
#define BLAS_THREAD_MB 140
static atomic_bool blas_ran, blas_limited;

static kiln_status blas_limit_error(kiln_ctx *ctx, double need, int nthreads) {
    return kiln_fail(ctx, KILN_ERR_NOMEM,
                     "matmul: OpenBLAS needs about %.0f MB more address space for its buffers with %d thread%s, and the "
                     "address-space limit (ulimit -v) leaves %.0f MB; raise the limit, use fewer threads, or set "
                     "KILN_NO_BLAS=1 for kiln's own (slower) product",
                     need, nthreads, nthreads == 1 ? "" : "s", kiln_room_mb());
}

/* Before a product that OpenBLAS runs, or would run were there room to load it. */
static kiln_status blas_room(kiln_ctx *ctx, int nthreads) {
    if (atomic_load(&blas_limited)) return blas_limit_error(ctx, BLAS_LOAD_MB + (double)BLAS_THREAD_MB * (nthreads - 1), nthreads);
    if (atomic_load(&blas_ran)) return KILN_OK; /* its buffers are there */
    double need = (double)BLAS_THREAD_MB * (nthreads - 1) + 16;
    if (kiln_room_mb() < need) return blas_limit_error(ctx, need, nthreads);
    atomic_store(&blas_ran, true);
    return KILN_OK;
}

static void *openblas_handle;
static bool openblas_no_room;
static pthread_once_t openblas_once = PTHREAD_ONCE_INIT;

/* Loads OpenBLAS (its OpenMP build first) with the best kernels this CPU has, where there is
 * room to map its buffers. */
static void openblas_load(void) {
    if (kiln_room_mb() < BLAS_LOAD_MB) { /* it would hang trying to map its buffers */
        openblas_no_room = true;
        return;
    }
    const char *want = getenv("KILN_OPENBLAS_CORETYPE");
    if (!want) want = __builtin_cpu_supports("avx512f") ? "SkylakeX" : __builtin_cpu_supports("avx2") ? "Haswell" : NULL;
    const char *old = getenv("OPENBLAS_CORETYPE");
    char *saved = old ? strdup(old) : NULL;
    if (want) setenv("OPENBLAS_CORETYPE", want, 1);
    static const char *const paths[] = {"/usr/lib/x86_64-linux-gnu/openblas-openmp/libopenblas.so.0",
                                        "libopenblaso.so.0", "libopenblas.so.0", "libopenblas.so"};
    void *h = NULL;
    for (size_t i = 0; i < sizeof paths / sizeof *paths && !h; i++) h = dlopen(paths[i], RTLD_NOW | RTLD_LOCAL);
    if (saved) setenv("OPENBLAS_CORETYPE", saved, 1); /* the environment as it was */
    else if (want) unsetenv("OPENBLAS_CORETYPE");
    free(saved);
    openblas_handle = h;
}

void *host_openblas(void) {
    pthread_once(&openblas_once, openblas_load);
    return openblas_handle;
}

bool host_blas_off(void) {
    const char *off = getenv("KILN_NO_BLAS");
    return off && *off && strcmp(off, "0");
}

static void blas_load(void) {
    if (host_blas_off()) return;
    void *h = host_openblas();
    if (!h) {
        if (openblas_no_room) atomic_store(&blas_limited, true);
        return;
    }
    blas.sgemm = (sgemm_fn)dlsym(h, "cblas_sgemm");
    blas.dgemm = (dgemm_fn)dlsym(h, "cblas_dgemm");
    blas.sgemv = (sgemv_fn)dlsym(h, "cblas_sgemv");
    blas.dgemv = (dgemv_fn)dlsym(h, "cblas_dgemv");
    blas.ssyrk = (ssyrk_fn)dlsym(h, "cblas_ssyrk");
    blas.dsyrk = (dsyrk_fn)dlsym(h, "cblas_dsyrk");
    blas.set_threads = (void (*)(int))dlsym(h, "openblas_set_num_threads");
    char *(*corename)(void) = (char *(*)(void))dlsym(h, "openblas_get_corename");
    int (*parallel)(void) = (int (*)(void))dlsym(h, "openblas_get_parallel");
    if (!blas.sgemm || !blas.dgemm || !blas.sgemv || !blas.dgemv) {
        blas.sgemm = NULL;
        blas.dgemm = NULL;
        return;
    }
    int par = parallel ? parallel() : -1;
    snprintf(blas.name, sizeof blas.name, "OpenBLAS (%s kernels, %s)", corename ? corename() : "?",
             par == 2 ? "OpenMP" : par == 1 ? "pthreads" : par == 0 ? "serial" : "?");
}

const char *host_gemm(void *state, kiln_dtype dt) {
    KILN_UNUSED(state);
    if (!dtype_is_float(dt)) return NULL;
    pthread_once(&blas_once, blas_load);
    return blas.sgemm ? blas.name : NULL;
}

/* ------------------------------------------------------------------ kiln's own loop */

/* C[i,:] = Σk A[i,k] B[k,:] for rows [i0, i1), any strides (bytes), in the product's dtype. */
#define OWN_LOOP(T, ZERO, ACC)                                                                          \
    for (int64_t i = i0; i < i1; i++) {                                                                  \
        char *c = C + i * c_rs;                                                                          \
        for (int64_t j = 0; j < n; j++) *(T *)(c + j * c_cs) = ZERO;                                     \
        for (int64_t k = 0; k < K; k++) {                                                                \
            T aik = *(const T *)(A + i * a_rs + k * a_cs);                                               \
            const char *bk = B + k * b_rs;                                                               \
            for (int64_t j = 0; j < n; j++) {                                                            \
                T *cij = (T *)(c + j * c_cs);                                                            \
                T bkj = *(const T *)(bk + j * b_cs);                                                     \
                *cij = ACC;                                                                              \
            }                                                                                            \
        }                                                                                                \
    }

/* Rows [i0, i1) of C, N (a constant) contiguous elements long, each summed in registers along
 * B's contiguous rows: the sums of OWN_FAST's row loop, in its order. */
#define OWN_ROW_N(T, ADD, N)                                                                             \
    for (int64_t i = i0; i < i1; i++) {                                                                  \
        T acc[N];                                                                                        \
        for (int j = 0; j < N; j++) acc[j] = 0;                                                          \
        for (int64_t k = 0; k < K; k++) {                                                                \
            T aik = *(const T *)(A + i * a_rs + k * a_cs);                                               \
            const T *bk = (const T *)(B + k * b_rs);                                                     \
            for (int j = 0; j < N; j++) acc[j] = ADD(acc[j], aik, bk[j]);                                \
        }                                                                                                \
        T *c = (T *)(C + i * c_rs);                                                                      \
        for (int j = 0; j < N; j++) c[j] = acc[j];                                                       \
    }

/* The same sums in the same order, where the operands allow, in registers: C's column
 * (n == 1) as dots of four of A's contiguous rows at a time with B's contiguous column; C's
 * contiguous rows along B's contiguous rows.  ADD(s, a, b) is s + a·b in T. */
#define OWN_FAST(T, ADD)                                                                                 \
    if (n == 1 && a_cs == (int64_t)sizeof(T) && (K == 1 || b_rs == (int64_t)sizeof(T))) {               \
        const T *b = (const T *)B;                                                                       \
        int64_t i = i0;                                                                                  \
        for (; i + 4 <= i1; i += 4) {                                                                    \
            const T *a0 = (const T *)(A + i * a_rs), *a1 = (const T *)(A + (i + 1) * a_rs);              \
            const T *a2 = (const T *)(A + (i + 2) * a_rs), *a3 = (const T *)(A + (i + 3) * a_rs);        \
            T s0 = 0, s1 = 0, s2 = 0, s3 = 0;                                                            \
            for (int64_t k = 0; k < K; k++) {                                                            \
                T bk = b[k];                                                                             \
                s0 = ADD(s0, a0[k], bk), s1 = ADD(s1, a1[k], bk), s2 = ADD(s2, a2[k], bk), s3 = ADD(s3, a3[k], bk); \
            }                                                                                            \
            *(T *)(C + i * c_rs) = s0, *(T *)(C + (i + 1) * c_rs) = s1;                                  \
            *(T *)(C + (i + 2) * c_rs) = s2, *(T *)(C + (i + 3) * c_rs) = s3;                            \
        }                                                                                                \
        for (; i < i1; i++) {                                                                            \
            const T *a0 = (const T *)(A + i * a_rs);                                                     \
            T s0 = 0;                                                                                    \
            for (int64_t k = 0; k < K; k++) s0 = ADD(s0, a0[k], b[k]);                                   \
            *(T *)(C + i * c_rs) = s0;                                                                   \
        }                                                                                                \
        return;                                                                                          \
    }                                                                                                    \
    if (c_cs == (int64_t)sizeof(T) && (K == 0 || b_cs == (int64_t)sizeof(T))) {                         \
        switch (n) { /* a short row of C in registers (a stack of 4×4 products) */                      \
        case 1: OWN_ROW_N(T, ADD, 1) return;                                                             \
        case 2: OWN_ROW_N(T, ADD, 2) return;                                                             \
        case 3: OWN_ROW_N(T, ADD, 3) return;                                                             \
        case 4: OWN_ROW_N(T, ADD, 4) return;                                                             \
        case 5: OWN_ROW_N(T, ADD, 5) return;                                                             \
        case 6: OWN_ROW_N(T, ADD, 6) return;                                                             \
        case 7: OWN_ROW_N(T, ADD, 7) return;                                                             \
        case 8: OWN_ROW_N(T, ADD, 8) return;                                                             \
        default: break;                                                                                  \
        }                                                                                                \
        for (int64_t i = i0; i < i1; i++) {                                                              \
            T *restrict c = (T *)(C + i * c_rs);                                                         \
            for (int64_t j = 0; j < n; j++) c[j] = 0;                                                    \
            for (int64_t k = 0; k < K; k++) {                                                            \
                T aik = *(const T *)(A + i * a_rs + k * a_cs);                                           \
                const T *restrict bk = (const T *)(B + k * b_rs);                                        \
                for (int64_t j = 0; j < n; j++) c[j] = ADD(c[j], aik, bk[j]);                            \
            }                                                                                            \
        }                                                                                                \
        return;                                                                                          \
    }
#define FADD(s, a, b) ((s) + (a) * (b))
#define I32ADD(s, a, b) (int32_t)((uint32_t)(s) + (uint32_t)(a) * (uint32_t)(b))
/* integers narrower than int32 wrap in 32 unsigned bits (never an int's overflow) */
#define NARROW_ADD(T) (T)((uint32_t)*cij + (uint32_t)aik * (uint32_t)bkj)
#define I64ADD(s, a, b) (int64_t)((uint64_t)(s) + (uint64_t)(a) * (uint64_t)(b))
/* the registers' way where it fits, else the general loop, both summing by ADD */
#define OWN_BOTH(T, ZERO, ADD)                                                                           \
    {                                                                                                    \
        OWN_FAST(T, ADD)                                                                                 \
        OWN_LOOP(T, ZERO, ADD(*cij, aik, bkj))                                                           \
    }

/* Floats of a product NumPy hands to gemm, where the CPU fuses multiply-adds: each sum a chain
 * of fma() from 0 in k's order, as gemm's kernels (Haswell's and SkylakeX's alike) sum one
 * element of C, so kiln's small products have NumPy's bits (the products NumPy computes in its
 * own loop, s + a*b, are own_rows' plain ones). */
#if defined(__x86_64__) && defined(__GNUC__)
#define FMA64(s, a, b) __builtin_fma((a), (b), (s))
#define FMA32(s, a, b) __builtin_fmaf((a), (b), (s))
__attribute__((target("fma"))) static void own_rows_fma(kiln_dtype dt, int64_t i0, int64_t i1, int64_t n, int64_t K, const char *A,
                                                         int64_t a_rs, int64_t a_cs, const char *B, int64_t b_rs, int64_t b_cs,
                                                         char *C, int64_t c_rs, int64_t c_cs) {
    if (dt == KILN_F32) OWN_BOTH(float, 0.0f, FMA32)
    else OWN_BOTH(double, 0.0, FMA64)
}
#define HAVE_OWN_FMA 1
#endif

/* Whether NumPy's matmul (umath/matmul.c.src) gives this product to BLAS: gemm where both
 * operands and the result are blasable (rows or columns of unit stride, the other stride a
 * positive multiple of the element at least the row's length), gemv or dot for a vector side
 * (dot for two vectors of positive strides); else its own loop.  Strides in bytes. */
static bool blasable2d(int64_t s1, int64_t s2, int64_t d2, int64_t es) { return s2 == es && s1 % es == 0 && s1 / es >= d2; }
static bool numpy_blas(int64_t m, int64_t n, int64_t K, int64_t a_rs, int64_t a_cs, int64_t b_rs, int64_t b_cs, int64_t c_rs,
                       int64_t c_cs, int64_t es) {
    bool a_ok = blasable2d(a_rs, a_cs, K, es) || blasable2d(a_cs, a_rs, m, es);
    bool b_ok = blasable2d(b_rs, b_cs, n, es) || blasable2d(b_cs, b_rs, K, es);
    if (m == 1 && n == 1) return a_cs > 0 && a_cs % es == 0 && b_rs > 0 && b_rs % es == 0;
    if (m == 1 || n == 1 || K == 1) return (m == 1 && b_ok && blasable2d(a_cs, es, 1, es)) || (n == 1 && a_ok && blasable2d(b_rs, es, 1, es));
    return a_ok && b_ok && blasable2d(c_rs, c_cs, n, es);
}

static void own_rows(kiln_dtype dt, bool fused, int64_t i0, int64_t i1, int64_t n, int64_t K, const char *A, int64_t a_rs,
                     int64_t a_cs, const char *B, int64_t b_rs, int64_t b_cs, char *C, int64_t c_rs, int64_t c_cs) {
#ifdef HAVE_OWN_FMA
    if (fused) {
        own_rows_fma(dt, i0, i1, n, K, A, a_rs, a_cs, B, b_rs, b_cs, C, c_rs, c_cs);
        return;
    }
#else
    KILN_UNUSED(fused);
#endif
    switch (dt) {
    case KILN_F32: OWN_BOTH(float, 0.0f, FADD) break;
    case KILN_F64: OWN_BOTH(double, 0.0, FADD) break;
    case KILN_I32: OWN_BOTH(int32_t, 0, I32ADD) break;
    case KILN_I64: OWN_BOTH(int64_t, 0, I64ADD) break;
    case KILN_BOOL: OWN_LOOP(uint8_t, 0, (uint8_t)(*cij | (aik & bkj))) break;
    case KILN_U8: OWN_LOOP(uint8_t, 0, NARROW_ADD(uint8_t)) break;
    case KILN_I8: OWN_LOOP(int8_t, 0, NARROW_ADD(int8_t)) break;
    case KILN_I16: OWN_LOOP(int16_t, 0, NARROW_ADD(int16_t)) break;
    case KILN_U16: OWN_LOOP(uint16_t, 0, NARROW_ADD(uint16_t)) break;
    case KILN_U32: OWN_LOOP(uint32_t, 0, NARROW_ADD(uint32_t)) break;
    case KILN_DTYPE_COUNT: break;
    }
}

/* ------------------------------------------------------------------ products */

/* x / es and x % es for an element size es of 1, 4 or 8 bytes, without a division instruction
 * (a stack of small products works these out for each of its products). */
static inline int64_t el_div(int64_t x, int64_t es) { return es == 8 ? x / 8 : es == 4 ? x / 4 : x / es; }
static inline int64_t el_rem(int64_t x, int64_t es) { return es == 8 ? x % 8 : es == 4 ? x % 4 : x % es; }

/* BLAS's view of a (rows × cols, byte strides rs, cs): 0 with trans/ld set, or -1 when the
 * operand has to be copied first. */
static int blas_layout(int64_t rows, int64_t cols, int64_t rs, int64_t cs, int64_t es, int *trans, int64_t *ld) {
    if ((cols == 1 || cs == es) && (rows == 1 || (el_rem(rs, es) == 0 && el_div(rs, es) >= cols))) {
        *trans = NO_TRANS;
        *ld = rows == 1 ? (cols > 1 ? cols : 1) : el_div(rs, es);
        return 0;
    }
    if ((rows == 1 || rs == es) && (cols == 1 || (el_rem(cs, es) == 0 && el_div(cs, es) >= rows))) {
        *trans = TRANS;
        *ld = cols == 1 ? (rows > 1 ? rows : 1) : el_div(cs, es);
        return 0;
    }
    return -1;
}

/* A C-ordered copy of rows × cols elements of es bytes at p (byte strides rs, cs). */
static char *dense_copy(kiln_ctx *ctx, const char *p, int64_t rows, int64_t cols, int64_t rs, int64_t cs, int64_t es) {
    char *d = kiln_malloc(ctx, (size_t)(rows * cols * es) + 1);
    if (!d) return NULL;
    for (int64_t i = 0; i < rows; i++)
        for (int64_t j = 0; j < cols; j++) memcpy(d + (i * cols + j) * es, p + i * rs + j * cs, (size_t)es);
    return d;
}

/* Whether kiln's own loop sums mm's floats by fma (as the gemm NumPy would call does). */
static bool own_fused(const kiln_matmul_args *mm) {
#ifdef HAVE_OWN_FMA
    int64_t es = (int64_t)kiln_dtype_size(mm->dt);
    return (mm->dt == KILN_F32 || mm->dt == KILN_F64) && __builtin_cpu_supports("fma") &&
           (mm->copies || numpy_blas(mm->m, mm->n, mm->K, mm->a_rs, mm->a_cs, mm->b_rs, mm->b_cs, mm->c_rs, mm->c_cs, es));
#else
    KILN_UNUSED(mm);
    return false;
#endif
}

/* Multiply-adds in one panel of a long product (about a quarter of a second here). */
#define INTERRUPT_PANEL 1.6e10

/* One product (mm->batch <= 1).  nested: one of a stack's, whose caller checked BLAS's room
 * and set its threads before; a failure is the status alone (the caller reports it: kiln's
 * error is the calling thread's, and this may run on another). */
static kiln_status product(void *state, kiln_ctx *ctx, const kiln_matmul_args *mm, int nthreads, bool nested) {
    kiln_dtype dt = mm->dt;
    int64_t es = (int64_t)kiln_dtype_size(dt), m = mm->m, n = mm->n, K = mm->K;
    const char *A = mm->a, *B = mm->b;
    int64_t a_rs = mm->a_rs, a_cs = mm->a_cs, b_rs = mm->b_rs, b_cs = mm->b_cs, c_rs = mm->c_rs, c_cs = mm->c_cs;
    char *copies[2] = {NULL, NULL};
    kiln_status st = KILN_OK;
    int ta = 0, tb = 0;
    int64_t lda = 0, ldb = 0, ldc = 0;
    bool big = (double)m * (double)n * (double)K >= SMALL_PRODUCT && dtype_is_float(dt);
    bool use_blas = big && host_gemm(state, dt) && m < INT32_MAX && n < INT32_MAX && K < INT32_MAX;
    if (use_blas && ((n != 1 && c_cs != es) || (m != 1 && (el_rem(c_rs, es) || el_div(c_rs, es) < n)))) use_blas = false;
    if (!nested && (use_blas || (big && atomic_load(&blas_limited))) && (st = blas_room(ctx, nthreads)) != KILN_OK) return st;
    if (use_blas) {
        ldc = m == 1 ? (n > 1 ? n : 1) : el_div(c_rs, es);
        for (int i = 0; i < 2; i++) { /* operands BLAS cannot read as they are: a C-ordered copy */
            int64_t r = i ? K : m, c = i ? n : K, *rs = i ? &b_rs : &a_rs, *cs = i ? &b_cs : &a_cs;
            int *t = i ? &tb : &ta;
            int64_t *ld = i ? &ldb : &lda;
            if (blas_layout(r, c, *rs, *cs, es, t, ld) == 0) continue;
            copies[i] = dense_copy(ctx, i ? B : A, r, c, *rs, *cs, es);
            if (!copies[i]) {
                st = KILN_ERR_NOMEM;
                goto out;
            }
            if (i) B = copies[1];
            else A = copies[0];
            *rs = c * es;
            *cs = es;
            blas_layout(r, c, *rs, *cs, es, t, ld);
        }
    }
    /* gemv's vector and result strides, in elements (a dim of extent 1 has any stride) */
    int64_t incx = n == 1 ? (K > 1 ? el_div(b_rs, es) : 1) : (K > 1 ? el_div(a_cs, es) : 1);
    int64_t incy = n == 1 ? (m > 1 ? el_div(c_rs, es) : 1) : (n > 1 ? el_div(c_cs, es) : 1);
    bool gemv_ok = incx > 0 && incy > 0 && (n == 1 ? b_rs : a_cs) % es == 0;
    /* A @ A.T (or A.T @ A) of one array, not so long that it must stop for interrupts: syrk,
     * whole (then its epilogue, whole) */
    bool syrk = use_blas && m == n && m > 1 && K > 1 && A == B && a_rs == b_cs && a_cs == b_rs &&
                (dt == KILN_F32 ? blas.ssyrk != NULL : blas.dsyrk != NULL) && (double)m * (double)n * (double)K <= INTERRUPT_PANEL;
    /* rows per panel: the epilogue runs on each while it is still in cache */
    int64_t rows = m;
    if (mm->epilogue && mm->panels && !syrk && !(use_blas && (n == 1 || m == 1) && gemv_ok)) {
        rows = (int64_t)PANEL_BYTES / (n * es > 0 ? n * es : 1);
        rows = rows < 64 ? 64 : rows / 16 * 16;
        if (rows > m) rows = m;
    }
    if (use_blas && rows == m && n > 1 && m > 1 && (double)m * (double)n * (double)K > INTERRUPT_PANEL) {
        /* a long product runs in panels of rows, each a fraction of a second, so kiln_interrupt
         * is seen between them (panels of 256 rows or more cost BLAS little) */
        double r = INTERRUPT_PANEL / ((double)n * (double)K);
        rows = r < 256 ? 256 : (int64_t)r / 16 * 16;
        if (rows > m) rows = m;
    }
    if (rows < 1) rows = 1;
    /* OpenBLAS's OpenMP build sets the caller's OpenMP thread count with its own: put back after */
    int icv = nested ? 0 : omp_get_max_threads();
    /* a row vector times a matrix (w.T@X: gemv over the matrix's columns) splits worse: two threads
     * lost at 10^5 multiply-adds (13.7 µs against 10.7 for 20×5000) and won at 10^6 (194 against
     * 323 µs for 20×50000) */
    double serial = m == 1 && n > 1 ? 4 * SERIAL_PRODUCT : SERIAL_PRODUCT;
    if (use_blas && blas.set_threads && !nested) blas.set_threads((double)m * (double)n * (double)K < serial ? 1 : nthreads);
    for (int64_t i0 = 0; i0 < m && st == KILN_OK; i0 += rows) {
        int64_t r = m - i0 < rows ? m - i0 : rows;
        if (kiln_interrupted(ctx)) { /* between panels: as soon as BLAS returns */
            st = nested ? KILN_ERR_INTERRUPTED : kiln_fail(ctx, KILN_ERR_INTERRUPTED, "interrupted");
            break;
        }
        if (use_blas && (n == 1 || m == 1) && gemv_ok) {
            /* a matrix-vector product: gemv reads the matrix once, several rows at a time.
             * n == 1: y = a·x over a's rows;  m == 1: y = bᵀ·x over b's columns */
            bool col = n == 1;
            int trans;
            int64_t M, N;
            if (col) trans = ta, M = ta == NO_TRANS ? m : K, N = ta == NO_TRANS ? K : m;
            else trans = tb == NO_TRANS ? TRANS : NO_TRANS, M = tb == NO_TRANS ? K : n, N = tb == NO_TRANS ? n : K;
            const char *mat = col ? A : B, *x = col ? B : A;
            int ld = (int)(col ? lda : ldb);
            if (dt == KILN_F32)
                blas.sgemv(ROW_MAJOR, trans, (int)M, (int)N, 1.0f, (const float *)mat, ld, (const float *)x, (int)incx, 0.0f,
                           (float *)mm->c, (int)incy);
            else
                blas.dgemv(ROW_MAJOR, trans, (int)M, (int)N, 1.0, (const double *)mat, ld, (const double *)x, (int)incx, 0.0,
                           (double *)mm->c, (int)incy);
        } else if (syrk) { /* A @ A.T (or A.T @ A): the upper triangle, mirrored, as NumPy's matmul does */
            if (dt == KILN_F32) blas.ssyrk(ROW_MAJOR, UPPER, ta, (int)m, (int)K, 1.0f, (const float *)A, (int)lda, 0.0f, (float *)mm->c, (int)ldc);
            else blas.dsyrk(ROW_MAJOR, UPPER, ta, (int)m, (int)K, 1.0, (const double *)A, (int)lda, 0.0, (double *)mm->c, (int)ldc);
            for (int64_t i = 1; i < m; i++)
                for (int64_t j = 0; j < i; j++) memcpy(mm->c + i * c_rs + j * es, mm->c + j * c_rs + i * es, (size_t)es);
        } else if (use_blas) {
            const char *ap = A + (ta == NO_TRANS ? i0 * lda : i0) * es;
            if (dt == KILN_F32)
                blas.sgemm(ROW_MAJOR, ta, tb, (int)r, (int)n, (int)K, 1.0f, (const float *)ap, (int)lda, (const float *)B,
                           (int)ldb, 0.0f, (float *)(mm->c + i0 * c_rs), (int)ldc);
            else
                blas.dgemm(ROW_MAJOR, ta, tb, (int)r, (int)n, (int)K, 1.0, (const double *)ap, (int)lda, (const double *)B,
                           (int)ldb, 0.0, (double *)(mm->c + i0 * c_rs), (int)ldc);
        } else {
            int t = (double)r * (double)n * (double)K >= 4.0 * KILN_HOST_GRAIN && r > 1 ? nthreads : 1;
            bool fused = own_fused(mm); /* (the strides are mm's: only BLAS's operands are copied) */
            int64_t i1 = i0 + r, nq = (r + 3) / 4; /* quads of rows (own_rows' dots go four rows at a time) */
            KILN_OMP_IF(t, "omp parallel for num_threads(t) schedule(static)",
            for (int64_t q = 0; q < nq; q++) {
                int64_t a = i0 + 4 * q, z = a + 4 < i1 ? a + 4 : i1;
                own_rows(dt, fused, a, z, n, K, A, a_rs, a_cs, B, b_rs, b_cs, mm->c, c_rs, c_cs);
            });
        }
        if (mm->epilogue) st = mm->epilogue(mm->epilogue_ud, i0, r);
    }
    if (!nested && omp_get_max_threads() != icv) omp_set_num_threads(icv);
out:
    kiln_free(ctx, copies[0]);
    kiln_free(ctx, copies[1]);
    return st;
}

/* Above m*n*k of this (a 256³ product, a few milliseconds on one thread) a product of a stack
 * smaller than four per thread runs on all threads, unless the stack splits evenly. */
#define BIG_PRODUCT 16777216.0

kiln_status host_matmul(void *state, kiln_ctx *ctx, const kiln_matmul_args *mm, int nthreads) {
    if (mm->batch <= 1) return product(state, ctx, mm, nthreads, false);
    /* A stack: products side by side, one to a thread, when there are enough of them (measured
     * with two threads: 1000 8×16×8 float64 products 70 µs against 184 one after another,
     * 64 64³ float32 ones 115 against 238 µs, 8 256³ ones 1.00 against 1.21 ms); otherwise one
     * after another, each on all threads.  BLAS's OpenMP build runs a call made inside a
     * parallel region on that thread; its thread count is set once for the whole stack. */
    double work = (double)mm->m * (double)mm->n * (double)mm->K;
    int64_t nb = mm->batch;
    bool side = nthreads > 1 && nb >= nthreads && work * (double)nb >= 4.0 * KILN_HOST_GRAIN &&
                (work < BIG_PRODUCT || nb % nthreads == 0 || nb >= 4 * nthreads);
    if (work < SMALL_PRODUCT && !mm->epilogue) { /* a stack of small products: kiln's own loop for each,
                                                  without product()'s setup (1000 4×4 float64
                                                  products, with OWN_ROW_N's rows: 98 µs → 34) */
        bool fused = own_fused(mm);
        int t = side ? nthreads : 1;
        atomic_bool stop = false;
        KILN_OMP_IF(t, "omp parallel for num_threads(t) schedule(static)",
        for (int64_t i = 0; i < nb; i++) {
            if (i % 1024 == 0 && kiln_interrupted(ctx)) atomic_store_explicit(&stop, true, memory_order_relaxed);
            if (atomic_load_explicit(&stop, memory_order_relaxed)) continue;
            own_rows(mm->dt, fused, 0, mm->m, mm->n, mm->K, mm->a + mm->a_off[i], mm->a_rs, mm->a_cs, mm->b + mm->b_off[i], mm->b_rs,
                     mm->b_cs, mm->c + mm->c_off[i], mm->c_rs, mm->c_cs);
        });
        return atomic_load(&stop) ? kiln_fail(ctx, KILN_ERR_INTERRUPTED, "interrupted") : KILN_OK;
    }
    int icv = omp_get_max_threads();
    bool blas_set = false;
    if (work >= SMALL_PRODUCT && dtype_is_float(mm->dt) && (host_gemm(state, mm->dt) || atomic_load(&blas_limited))) {
        kiln_status st = blas_room(ctx, nthreads);
        if (st != KILN_OK) return st;
        /* operands BLAS cannot read as they are are copied (kiln_malloc: on the calling thread) */
        int64_t es = (int64_t)kiln_dtype_size(mm->dt), ld;
        int tr;
        if (blas_layout(mm->m, mm->K, mm->a_rs, mm->a_cs, es, &tr, &ld) || blas_layout(mm->K, mm->n, mm->b_rs, mm->b_cs, es, &tr, &ld))
            side = false;
        if (blas.set_threads) blas.set_threads(side || work < SERIAL_PRODUCT ? 1 : nthreads), blas_set = true;
    }
    int t = side ? nthreads : 1;
    atomic_int failed = KILN_OK;
    KILN_OMP_IF(t, "omp parallel for num_threads(t) schedule(static)",
    for (int64_t i = 0; i < nb; i++) {
        if (atomic_load_explicit(&failed, memory_order_relaxed) != KILN_OK) continue;
        kiln_matmul_args one = kiln_matmul_nth(mm, i);
        kiln_status st = product(state, ctx, &one, side ? 1 : nthreads, true);
        if (st != KILN_OK) atomic_store(&failed, st);
    });
    if (blas_set && omp_get_max_threads() != icv) omp_set_num_threads(icv);
    kiln_status st = (kiln_status)atomic_load(&failed);
    if (st == KILN_ERR_INTERRUPTED) return kiln_fail(ctx, st, "interrupted");
    if (st != KILN_OK) return kiln_fail(ctx, st, "out of memory");
    return KILN_OK;
}

/* ------------------------------------------------------------------ scans and gathers */

/* Offsets (in, out) of the flat positions [p0, p0 + n) of the dims after the scanned one. */
static void scan_offsets(const kiln_scan_args *a, int64_t p0, int64_t n, int64_t *ioff, int64_t *ooff) {
    int nd = a->ndim, first = a->axis + 1;
    int64_t idx[KILN_MAX_DIMS], rem = p0;
    for (int d = nd - 1; d >= first; d--) {
        idx[d] = rem % a->shape[d];
        rem /= a->shape[d];
    }
    for (int64_t j = 0; j < n; j++) {
        int64_t io = 0, oo = 0;
        for (int d = first; d < nd; d++) {
            io += idx[d] * a->in_str[d];
            oo += idx[d] * a->out_str[d];
        }
        ioff[j] = io;
        ooff[j] = oo;
        for (int d = nd - 1; d >= first; d--) {
            if (++idx[d] < a->shape[d]) break;
            idx[d] = 0;
        }
    }
}

#define SCAN_TILE 512
#define SCAN_ADD(x, y) ((x) + (y))
#define SCAN_MUL(x, y) ((x) * (y))
/* A tile of n lines along the axis, a step of all of them at a time; one line (a scan along the
 * last axis) with its running value kept in a register, where reading it back from the output
 * waited on the store before (cumsum of 10^5 float64, one thread: 290 us, NumPy's time, now 49). */
#define SCAN_LOOP(T, F)                                                                                                \
    if (n == 1) {                                                                                                      \
        const char *ip = in + ioff[0];                                                                                 \
        char *op = out + ooff[0];                                                                                      \
        T acc = *(const T *)ip;                                                                                        \
        *(T *)op = acc;                                                                                                \
        for (int64_t k = 1; k < len; k++) {                                                                            \
            acc = F(acc, *(const T *)(ip + k * a->in_str[ax]));                                                        \
            *(T *)(op + k * a->out_str[ax]) = acc;                                                                     \
        }                                                                                                              \
    } else                                                                                                             \
    for (int64_t k = 0; k < len; k++) {                                                                                \
        const char *ip = in + k * a->in_str[ax];                                                                       \
        char *op = out + k * a->out_str[ax];                                                                           \
        if (k == 0)                                                                                                    \
            for (int64_t j = 0; j < n; j++) *(T *)(op + ooff[j]) = *(const T *)(ip + ioff[j]);                         \
        else                                                                                                           \
            for (int64_t j = 0; j < n; j++)                                                                            \
                *(T *)(op + ooff[j]) = F(*(const T *)(op - a->out_str[ax] + ooff[j]), *(const T *)(ip + ioff[j]));    \
    }

/* One tile: outer position o, the dims after the axis at flat positions [p0, p0 + n). */
static void scan_tile(const kiln_scan_args *a, int64_t o, int64_t p0, int64_t n, int64_t *ioff, int64_t *ooff) {
    int ax = a->axis;
    const char *in = a->in;
    char *out = a->out;
    for (int d = ax - 1; d >= 0; d--) {
        int64_t i = o % a->shape[d];
        o /= a->shape[d];
        in += i * a->in_str[d];
        out += i * a->out_str[d];
    }
    scan_offsets(a, p0, n, ioff, ooff);
    int64_t len = a->shape[ax];
    /* (the running maximum and minimum: np.maximum's and np.minimum's rule, NaN kept) */
    switch (a->dt * 4 + (a->op == KILN_OP_CUMSUM ? 0 : a->op == KILN_OP_CUMPROD ? 1 : a->op == KILN_OP_CUMMAX ? 2 : 3)) {
    case KILN_F32 * 4 + 0: SCAN_LOOP(float, SCAN_ADD) break;
    case KILN_F32 * 4 + 1: SCAN_LOOP(float, SCAN_MUL) break;
    case KILN_F32 * 4 + 2: SCAN_LOOP(float, ks_maximum_f32) break;
    case KILN_F32 * 4 + 3: SCAN_LOOP(float, ks_minimum_f32) break;
    case KILN_F64 * 4 + 0: SCAN_LOOP(double, SCAN_ADD) break;
    case KILN_F64 * 4 + 1: SCAN_LOOP(double, SCAN_MUL) break;
    case KILN_F64 * 4 + 2: SCAN_LOOP(double, ks_maximum_f64) break;
    case KILN_F64 * 4 + 3: SCAN_LOOP(double, ks_minimum_f64) break;
    case KILN_I64 * 4 + 0: SCAN_LOOP(uint64_t, SCAN_ADD) break; /* (int64 wraps, as NumPy's) */
    case KILN_I64 * 4 + 1: SCAN_LOOP(uint64_t, SCAN_MUL) break;
    case KILN_I64 * 4 + 2: SCAN_LOOP(int64_t, ks_maximum_i64) break;
    case KILN_I64 * 4 + 3: SCAN_LOOP(int64_t, ks_minimum_i64) break;
    default: break;
    }
}

kiln_status host_scan(void *state, kiln_ctx *ctx, const kiln_scan_args *a, int nthreads) {
    KILN_UNUSED(state);
    if (a->op == KILN_OP_SORT || a->op == KILN_OP_ARGSORT) return host_sort(ctx, a, nthreads);
    int64_t outer = 1, post = 1;
    for (int d = 0; d < a->axis; d++) outer *= a->shape[d];
    for (int d = a->axis + 1; d < a->ndim; d++) post *= a->shape[d];
    if (outer == 0 || post == 0 || a->shape[a->axis] == 0) return KILN_OK;
    int64_t tiles = (post + SCAN_TILE - 1) / SCAN_TILE, units = outer * tiles;
    double work = (double)outer * (double)post * (double)a->shape[a->axis];
    int nt = work < 2.0 * KILN_HOST_GRAIN || units < 2 ? 1 : nthreads;
    if (nt > units) nt = (int)units;
    atomic_bool stopped = false;
    KILN_OMP_IF(nt, "omp parallel num_threads(nt)",
    {
        int64_t ioff[SCAN_TILE], ooff[SCAN_TILE];
        _Pragma("omp for schedule(static)")
        for (int64_t u = 0; u < units; u++) {
            if (atomic_load_explicit(&stopped, memory_order_relaxed)) continue;
            if (kiln_interrupted(ctx)) {
                atomic_store(&stopped, true);
                continue;
            }
            int64_t p0 = (u % tiles) * SCAN_TILE;
            scan_tile(a, u / tiles, p0, post - p0 < SCAN_TILE ? post - p0 : SCAN_TILE, ioff, ooff);
        }
    });
    return atomic_load(&stopped) ? kiln_fail(ctx, KILN_ERR_INTERRUPTED, "interrupted") : KILN_OK;
}

/* Copies n elements of size es, xs and os bytes apart. */
static void copy_strided(char *op, int64_t os, const char *xp, int64_t xs, int64_t n, int es) {
    if (n > 1 && xs == es && os == es) {
        memcpy(op, xp, (size_t)(n * es));
        return;
    }
    for (int64_t k = 0; k < n; k++, op += os, xp += xs) switch (es) {
        case 1: *op = *xp; break;
        case 2: memcpy(op, xp, 2); break;
        case 4: memcpy(op, xp, 4); break;
        case 8: memcpy(op, xp, 8); break;
        default: memcpy(op, xp, (size_t)es); break;
        }
}

/* Index *j along an axis of len elements, negative ones counted from its end (made positive):
 * whether it is in bounds. */
static inline bool wrap_index(int64_t *j, int64_t len) {
    if (*j < 0) *j += len;
    return (uint64_t)*j < (uint64_t)len;
}

/* kiln's error for index value bad of a gather or scatter (which: its first or second index). */
static kiln_status index_error(kiln_ctx *ctx, const kiln_gather_args *a, int64_t bad, int which) {
    return kiln_fail(ctx, KILN_ERR_INDEX, "index %lld is out of bounds for axis %d with size %lld", (long long)bad,
                     which ? a->axis2_said : a->axis, (long long)(which ? a->axis2_len : a->axis_len));
}

/* Index ip along an axis of len elements: false when out of bounds (*bad its value, *which = w). */
static bool index_in(const char *ip, int64_t len, int w, int64_t *j, int64_t *bad, int *which) {
    memcpy(j, ip, sizeof *j);
    if (wrap_index(j, len)) return true;
    memcpy(bad, ip, sizeof *bad);
    *which = w;
    return false;
}

/* Where index ip (and ip2, when a->idx2) points in x, from xp; NULL when one is out of bounds. */
static const char *gather_at(const kiln_gather_args *a, const char *xp, const char *ip, const char *ip2, int64_t *bad, int *which) {
    int64_t j, j2 = 0;
    if (!index_in(ip, a->axis_len, 0, &j, bad, which) || (ip2 && !index_in(ip2, a->axis2_len, 1, &j2, bad, which))) return NULL;
    return xp + j * a->axis_str + j2 * a->axis2_str;
}

/* Whether the first two indices at ip (is bytes apart) follow each other. */
static bool consecutive(const char *ip, int64_t is) {
    int64_t j0, j1;
    memcpy(&j0, ip, sizeof j0);
    memcpy(&j1, ip + is, sizeof j1);
    return j0 >= 0 && j1 == j0 + 1;
}

/* n elements of size 8 or 4, one index each; how many were gathered before a bad index. */
#define GATHER_EACH(T, NAME)                                                                                            \
    static int64_t NAME(const kiln_gather_args *a, const char *xp, int64_t xs, const char *ip, int64_t is, char *op, int64_t os, \
                        int64_t n) {                                                                                     \
        int64_t L = a->axis_len, as = a->axis_str;                                                                      \
        for (int64_t k = 0; k < n; k++) {                                                                               \
            int64_t j;                                                                                                  \
            memcpy(&j, ip + k * is, sizeof j);                                                                          \
            if (!wrap_index(&j, L)) return k;                                                                           \
            memcpy(op + k * os, xp + k * xs + j * as, sizeof(T));                                                       \
        }                                                                                                               \
        return n;                                                                                                       \
    }
GATHER_EACH(uint64_t, gather_each_8)
GATHER_EACH(uint32_t, gather_each_4)

/* A take whose index is the same for every row of the last dim (x[:, [1, 2, 0]], cross's):
 * each index checked and made a byte offset once, into tab, so that a row copies its elements
 * by the table (the walk's branches and checks a row cost 3x NumPy's time on rows of 3); NULL
 * for the general walk: rows longer than GATHER_TAB, runs of consecutive indices (roll's: a
 * copy each), or a bad index (the walk finds and reports the first). */
#define GATHER_TAB 256
static const int64_t *gather_table(const kiln_gather_args *a, int64_t *tab) {
    int last = a->ndim - 1;
    if (a->ndim < 2 || a->idx2 || a->idx_str[last] == 0 || a->shape[last] > GATHER_TAB) return NULL;
    for (int d = 0; d < last; d++)
        if (a->idx_str[d]) return NULL;
    int64_t n = a->shape[last], runs = 0, prev = -2;
    for (int64_t k = 0; k < n; k++) {
        int64_t j;
        memcpy(&j, a->idx + k * a->idx_str[last], sizeof j);
        if (!wrap_index(&j, a->axis_len)) return NULL;
        runs += j != prev + 1;
        prev = j;
        tab[k] = j * a->axis_str;
    }
    return 4 * runs > n ? tab : NULL;
}

/* n elements of size es from xp + k * xs + tab[k] to op + k * os. */
static void copy_by_table(char *op, int64_t os, const char *xp, int64_t xs, const int64_t *tab, int64_t n, int es) {
#define BY_TABLE(ES) for (int64_t k = 0; k < n; k++) memcpy(op + k * os, xp + k * xs + tab[k], ES)
    switch (es) {
    case 8: BY_TABLE(8); break;
    case 4: BY_TABLE(4); break;
    case 2: BY_TABLE(2); break;
    case 1: BY_TABLE(1); break;
    default: BY_TABLE((size_t)es); break;
    }
#undef BY_TABLE
}

/* Gathers flat output elements [start, end) a row of the last dim at a time (a row one index
 * picks, x[idx]'s, is one copy; tab: gather_table's offsets, or NULL); the first bad index
 * position found, or -1. */
static int64_t gather_range(const kiln_gather_args *a, const int64_t *tab, int64_t start, int64_t end, int64_t *bad, int *which) {
    int nd = a->ndim > 0 ? a->ndim : 1, last = nd - 1, es = a->elsize;
    int64_t idx[KILN_MAX_DIMS], rem = start, one = 1;
    const int64_t *shape = a->ndim > 0 ? a->shape : &one;
    for (int d = nd - 1; d >= 0; d--) {
        idx[d] = rem % shape[d];
        rem /= shape[d];
    }
    int64_t xs = a->ndim ? a->x_str[last] : 0, is = a->ndim ? a->idx_str[last] : 0, os = a->ndim ? a->out_str[last] : 0;
    int64_t is2 = a->idx2 && a->ndim ? a->idx2_str[last] : 0;
    for (int64_t pos = start; pos < end;) {
        int64_t n = shape[last] - idx[last] < end - pos ? shape[last] - idx[last] : end - pos;
        const char *xp = a->x, *ip = a->idx, *ip2 = a->idx2;
        char *op = a->out;
        for (int d = 0; d < a->ndim; d++) {
            xp += idx[d] * a->x_str[d];
            ip += idx[d] * a->idx_str[d];
            op += idx[d] * a->out_str[d];
            if (ip2) ip2 += idx[d] * a->idx2_str[d];
        }
        if (is == 0 && is2 == 0) { /* one place for the whole row */
            const char *at = gather_at(a, xp, ip, ip2, bad, which);
            if (!at) return pos;
            copy_strided(op, os, at, xs, n, es);
        } else if (tab) { /* whole rows along dim last - 1 at once, without the walk between */
            int64_t rows = 1, xr = 0, orr = 0;
            if (last > 0 && n == shape[last]) {
                rows = (end - pos) / n < shape[last - 1] - idx[last - 1] ? (end - pos) / n : shape[last - 1] - idx[last - 1];
                xr = a->x_str[last - 1], orr = a->out_str[last - 1];
            }
            for (int64_t r = 0; r < rows; r++) copy_by_table(op + r * orr, os, xp + r * xr, xs, tab + idx[last], n, es);
            pos += (rows - 1) * n; /* (the last row's step is the walk's own, below) */
            if (rows > 1) idx[last - 1] += rows - 1;
        } else if (!ip2 && n > 1 && consecutive(ip, is)) { /* tile's, roll's: a run of consecutive indices is one copy */
            for (int64_t k = 0, m; k < n; k += m, xp += m * xs, ip += m * is, op += m * os) {
                const char *at = gather_at(a, xp, ip, NULL, bad, which);
                if (!at) return pos + k;
                int64_t j0, j;
                memcpy(&j0, ip, sizeof j0);
                for (m = 1; j0 >= 0 && k + m < n; m++) {
                    memcpy(&j, ip + m * is, sizeof j);
                    if (j != j0 + m || j >= a->axis_len) break;
                }
                copy_strided(op, os, at, xs + a->axis_str, m, es);
            }
        } else if (!ip2 && (es == 8 || es == 4)) { /* an index per element (repeat's, a random take's) */
            int64_t k = es == 8 ? gather_each_8(a, xp, xs, ip, is, op, os, n) : gather_each_4(a, xp, xs, ip, is, op, os, n);
            if (k < n) {
                memcpy(bad, ip + k * is, sizeof *bad);
                *which = 0;
                return pos + k;
            }
        } else {
            for (int64_t k = 0; k < n; k++, xp += xs, ip += is, op += os, ip2 = ip2 ? ip2 + is2 : NULL) {
                const char *at = gather_at(a, xp, ip, ip2, bad, which);
                if (!at) return pos + k;
                copy_strided(op, 0, at, 0, 1, es);
            }
        }
        pos += n;
        idx[last] += n;
        for (int d = last; d > 0 && idx[d] >= shape[d]; d--) {
            idx[d] = 0;
            idx[d - 1]++;
        }
    }
    return -1;
}

kiln_status host_gather(void *state, kiln_ctx *ctx, const kiln_gather_args *a, int nthreads) {
    KILN_UNUSED(state);
    if (a->search) return host_search(ctx, a, nthreads);
    int64_t total = 1;
    for (int d = 0; d < a->ndim; d++) total *= a->shape[d];
    if (total == 0) return KILN_OK;
    int64_t chunks = (total + HOST_PIECE / 16 - 1) / (HOST_PIECE / 16);
    int nt = total < 2 * KILN_HOST_GRAIN || chunks < 2 ? 1 : nthreads;
    if (nt > chunks) nt = (int)chunks;
    int64_t first_bad = INT64_MAX, bad_value = 0, tabbuf[GATHER_TAB];
    const int64_t *tab = gather_table(a, tabbuf);
    int bad_which = 0;
    atomic_bool stopped = false;
    KILN_OMP_IF(nt, "omp parallel for num_threads(nt) schedule(static)",
    for (int64_t c = 0; c < chunks; c++) {
        if (kiln_interrupted(ctx)) {
            atomic_store(&stopped, true);
            continue;
        }
        int64_t s = c * (HOST_PIECE / 16), e = s + HOST_PIECE / 16 < total ? s + HOST_PIECE / 16 : total, v;
        int w = 0;
        int64_t p = gather_range(a, tab, s, e, &v, &w);
        if (p >= 0) {
            _Pragma("omp critical")
            if (p < first_bad) {
                first_bad = p;
                bad_value = v;
                bad_which = w;
            }
        }
    });
    if (first_bad != INT64_MAX) return index_error(ctx, a, bad_value, bad_which);
    return atomic_load(&stopped) ? kiln_fail(ctx, KILN_ERR_INTERRUPTED, "interrupted") : KILN_OK;
}

/* Integers' additions in any order give the same sums (they wrap alike): from this many values
 * on, each thread adds its share into its own copy of x when x is at most SCATTER_PRIVATE bytes;
 * SCATTER_LANES copies of it where they fit too, so that the adds to one element (a few bins:
 * most of them) do not wait on each other's stores */
#define SCATTER_SPLIT ((int64_t)1 << 16)
#define SCATTER_PRIVATE ((int64_t)1 << 18)
#define SCATTER_LANES 4

/* Adds values [s, e) of a 1-D scatter into x of element type T (acc: x's, or a thread's
 * contiguous copy when xs is its element size), through type U (integers wrap, as NumPy's
 * do); the position of the first bad index, or -1. */
#define SCATTER_ADD(T, U)                                                                               \
    static inline __attribute__((always_inline)) int64_t add_as_##T(const kiln_gather_args *a, int64_t s, int64_t e, char *acc, \
                                                                    int64_t xs, int64_t is, int64_t vs) { \
        const char *ip = a->idx, *vp = a->out;                                                          \
        int64_t n = a->axis_len;                                                                        \
        for (int64_t i = s; i < e; i++) {                                                               \
            int64_t j;                                                                                  \
            T v;                                                                                        \
            memcpy(&j, ip + i * is, sizeof j);                                                          \
            memcpy(&v, vp + i * vs, sizeof v);                                                          \
            if (__builtin_expect((uint64_t)j >= (uint64_t)n, 0) && !wrap_index(&j, n)) return i;        \
            T *xp = (T *)(void *)(acc + j * xs);                                                        \
            *xp = (T)((U)*xp + (U)v);                                                                   \
        }                                                                                               \
        return -1;                                                                                      \
    }                                                                                                   \
    static int64_t scatter_add_##T(const kiln_gather_args *a, int64_t s, int64_t e, char *acc, int64_t xs) { \
        int64_t is = a->idx_str[0], vs = a->out_str[0], es = (int64_t)sizeof(T);                        \
        if (is == (int64_t)sizeof(int64_t) && xs == es && (vs == es || vs == 0)) /* (contiguous: no multiplies) */ \
            return vs ? add_as_##T(a, s, e, acc, es, sizeof(int64_t), es) : add_as_##T(a, s, e, acc, es, sizeof(int64_t), 0); \
        return add_as_##T(a, s, e, acc, xs, is, vs);                                                    \
    }
SCATTER_ADD(int64_t, uint64_t)
SCATTER_ADD(int32_t, uint32_t)
SCATTER_ADD(double, double)
SCATTER_ADD(float, float)
typedef int64_t (*scatter_add_fn)(const kiln_gather_args *a, int64_t s, int64_t e, char *acc, int64_t xs);

/* The same for integers into a thread's SCATTER_LANES contiguous copies ls bytes apart, the
 * indices contiguous: four values at a time, one into each copy (inlined with vs, the values'
 * stride, constant); from an index that is bad or negative on, the rest as above, into the
 * first copy. */
#define SCATTER_ADD_LANES(T, U)                                                                         \
    static inline __attribute__((always_inline)) int64_t lanes_as_##T(const kiln_gather_args *a, int64_t s, int64_t e, char *acc, \
                                                                      int64_t ls, int64_t vs) {        \
        const char *ip = a->idx, *vp = a->out;                                                          \
        uint64_t n = (uint64_t)a->axis_len;                                                             \
        T *c0 = (T *)(void *)acc, *c1 = (T *)(void *)(acc + ls), *c2 = (T *)(void *)(acc + 2 * ls), *c3 = (T *)(void *)(acc + 3 * ls); \
        int64_t i = s;                                                                                  \
        U one;                                                                                          \
        memcpy(&one, vp, sizeof one); /* (vs 0: one value, loaded once) */                              \
        for (; i + 4 <= e; i += 4) {                                                                    \
            const char *q = ip + i * (int64_t)sizeof(int64_t);                                          \
            uint64_t j0, j1, j2, j3;                                                                    \
            memcpy(&j0, q, 8), memcpy(&j1, q + 8, 8), memcpy(&j2, q + 16, 8), memcpy(&j3, q + 24, 8);   \
            if (__builtin_expect((j0 >= n) | (j1 >= n) | (j2 >= n) | (j3 >= n), 0)) break;              \
            T v0, v1, v2, v3;                                                                           \
            if (vs == 0) v0 = v1 = v2 = v3 = (T)one;                                                    \
            else memcpy(&v0, vp + i * vs, sizeof(T)), memcpy(&v1, vp + (i + 1) * vs, sizeof(T)),        \
                 memcpy(&v2, vp + (i + 2) * vs, sizeof(T)), memcpy(&v3, vp + (i + 3) * vs, sizeof(T));  \
            c0[j0] = (T)((U)c0[j0] + (U)v0);                                                            \
            c1[j1] = (T)((U)c1[j1] + (U)v1);                                                            \
            c2[j2] = (T)((U)c2[j2] + (U)v2);                                                            \
            c3[j3] = (T)((U)c3[j3] + (U)v3);                                                            \
        }                                                                                               \
        return i < e ? scatter_add_##T(a, i, e, acc, sizeof(T)) : -1;                                   \
    }                                                                                                   \
    static int64_t scatter_lanes_##T(const kiln_gather_args *a, int64_t s, int64_t e, char *acc, int64_t ls) { \
        int64_t vs = a->out_str[0];                                                                     \
        return vs == 0 ? lanes_as_##T(a, s, e, acc, ls, 0)                                              \
             : vs == (int64_t)sizeof(T) ? lanes_as_##T(a, s, e, acc, ls, sizeof(T)) : lanes_as_##T(a, s, e, acc, ls, vs); \
    }
SCATTER_ADD_LANES(int64_t, uint64_t)
SCATTER_ADD_LANES(int32_t, uint32_t)

/* bincount's and histogram's case: 1-D values and one index, added in x's own dtype, with no
 * stores first (an .at has them).  False when it is not that case. */
static bool scatter_add_1d(kiln_ctx *ctx, const kiln_gather_args *a, kiln_dtype dt, int nthreads, kiln_status *st) {
    scatter_add_fn fn = NULL;
    int64_t (*lanes_fn)(const kiln_gather_args *, int64_t, int64_t, char *, int64_t) = NULL;
    switch (dt) {
    case KILN_I64: fn = scatter_add_int64_t, lanes_fn = scatter_lanes_int64_t; break;
    case KILN_I32: fn = scatter_add_int32_t, lanes_fn = scatter_lanes_int32_t; break;
    case KILN_F64: fn = scatter_add_double; break;
    case KILN_F32: fn = scatter_add_float; break;
    default: break;
    }
    if (!fn || a->ndim != 1 || a->idx2 || a->search || a->stores || a->combine != KILN_OP_ADD || a->dt != dt || a->x_str[0])
        return false;
    int64_t total = a->shape[0], es = a->elsize, len = a->axis_len, bad = -1;
    bool split = dtype_is_int(dt) && total >= SCATTER_SPLIT && len * es <= SCATTER_PRIVATE;
    if (!split) { /* in order, a piece at a time between looks for kiln_interrupt */
        for (int64_t p = 0; p < total && bad < 0; p += HOST_PIECE) {
            if (kiln_interrupted(ctx)) {
                *st = kiln_fail(ctx, KILN_ERR_INTERRUPTED, "interrupted");
                return true;
            }
            bad = fn(a, p, total - p < HOST_PIECE ? total : p + HOST_PIECE, (char *)a->x, a->axis_str);
        }
    } else {
        int nt = (int)(total / (SCATTER_SPLIT / 2) < nthreads ? total / (SCATTER_SPLIT / 2) : nthreads);
        if (nt > 64) nt = 64;
        int lanes = len * es * SCATTER_LANES <= SCATTER_PRIVATE && a->idx_str[0] == (int64_t)sizeof(int64_t) ? SCATTER_LANES : 1;
        /* (a thread's copies on pages of their own: the prefetchers, which fetch lines ahead
         * within a page, would take the next thread's lines from it) */
        int64_t copy = len * es, mine = (lanes * copy + 4095) & ~(int64_t)4095;
        char *mem = kiln_calloc(ctx, (size_t)(nt * mine + 4096));
        if (!mem) {
            *st = KILN_ERR_NOMEM;
            return true;
        }
        char *priv = mem + (-(uintptr_t)mem & 4095);
        int64_t first_bad[64];
        for (int t = 0; t < nt; t++) first_bad[t] = -1; /* (a team may be smaller than asked) */
        atomic_bool stopped = false;
#pragma omp parallel num_threads(nt)
        {
            int t = omp_get_thread_num(), n = omp_get_num_threads();
            int64_t s = total * t / n, e = total * (t + 1) / n;
            char *acc = priv + (size_t)(t * mine);
            for (int64_t p = s; p < e && first_bad[t] < 0 && !atomic_load_explicit(&stopped, memory_order_relaxed); p += HOST_PIECE) {
                if (kiln_interrupted(ctx)) atomic_store(&stopped, true);
                else {
                    int64_t pe = e - p < HOST_PIECE ? e : p + HOST_PIECE;
                    first_bad[t] = lanes > 1 ? lanes_fn(a, p, pe, acc, copy) : fn(a, p, pe, acc, es);
                }
            }
        }
        if (atomic_load(&stopped)) {
            kiln_free(ctx, mem);
            *st = kiln_fail(ctx, KILN_ERR_INTERRUPTED, "interrupted");
            return true;
        }
        for (int t = 0; t < nt && bad < 0; t++) bad = first_bad[t];
        for (int c = 0; c < nt * lanes && bad < 0; c++) /* the copies into x, in thread order */
            for (int64_t j = 0; j < len; j++) {
                char *xp = (char *)a->x + j * a->axis_str;
                const char *pp = priv + (size_t)(c / lanes * mine + c % lanes * copy + j * es);
                if (dt == KILN_I64) *(uint64_t *)(void *)xp += *(const uint64_t *)(const void *)pp;
                else *(uint32_t *)(void *)xp += *(const uint32_t *)(const void *)pp;
            }
        kiln_free(ctx, mem);
    }
    if (bad >= 0) {
        int64_t j;
        memcpy(&j, a->idx + bad * a->idx_str[0], sizeof j);
        *st = index_error(ctx, a, j, 0);
        return true;
    }
    *st = KILN_OK;
    return true;
}

kiln_status host_scatter(void *state, kiln_ctx *ctx, const kiln_gather_args *a, kiln_dtype dt, int nthreads) {
    KILN_UNUSED(state);
    kiln_status fast;
    if (scatter_add_1d(ctx, a, dt, nthreads, &fast)) return fast;
    /* else one thread: the additions in one fixed order */
    int nd = a->ndim;
    int64_t total = 1, idx[KILN_MAX_DIMS] = {0};
    for (int d = 0; d < nd; d++) total *= a->shape[d];
    for (int64_t pos = 0; pos < total; pos++) {
        if ((pos & 0xffff) == 0 && kiln_interrupted(ctx)) return kiln_fail(ctx, KILN_ERR_INTERRUPTED, "interrupted");
        char *xp = (char *)a->x;
        const char *ip = a->idx, *ip2 = a->idx2, *vp = a->out;
        for (int d = 0; d < nd; d++) {
            xp += idx[d] * a->x_str[d];
            ip += idx[d] * a->idx_str[d];
            vp += idx[d] * a->out_str[d];
            if (ip2) ip2 += idx[d] * a->idx2_str[d];
        }
        int64_t bad = 0;
        int which = 0;
        xp = (char *)gather_at(a, xp, ip, ip2, &bad, &which);
        if (!xp) return index_error(ctx, a, bad, which);
        kscalar v = ref_load(vp, a->dt); /* (stored, or joined by the op in the values' dtype; then dt's) */
        if (pos >= a->stores) v = ref_apply(a->combine, a->dt, a->dt, (kscalar[]){ref_cast(ref_load(xp, dt), dt, a->dt), v});
        ref_store(xp, dt, ref_cast(v, a->dt, dt));
        for (int d = nd - 1; d >= 0; d--) {
            if (++idx[d] < a->shape[d]) break;
            idx[d] = 0;
        }
    }
    return KILN_OK;
}
