/*
 * matmul.c — running a matrix-product step.
 *
 * Pipeline position: a plan step (plan.c).  float32 and float64 products of a useful size go to
 * OpenBLAS's cblas_[sd]gemm, loaded at run time with dlopen (its OpenMP build first, so that its
 * threads and kiln's are one pool); small products, integer and bool ones, and machines without
 * OpenBLAS use kiln's own loop.  When the product is the input of an element-wise root
 * (W@X + b, relu(W@X + b), ...) that root's kernel is the product's epilogue: the output is
 * computed in panels of rows that fit the last-level cache, and the epilogue runs over each
 * panel right after the product wrote it, in place.  (Measured: 256 KB panels made OpenBLAS 28%
 * slower on a 1024³ float32 product; 8 MB panels leave it at full speed, and the epilogue then
 * reads each panel from L3.)  Matrix-vector products go to gemv.
 *
 * OpenBLAS reads OPENBLAS_CORETYPE when it is loaded; kiln sets it, for the load only, to the
 * best kernels this CPU runs (SkylakeX with AVX-512, Haswell with AVX2): an environment that
 * forces older kernels halves sgemm's speed.  KILN_OPENBLAS_CORETYPE chooses otherwise, and
 * KILN_NO_BLAS=1 keeps BLAS out entirely.
 */
#include <dlfcn.h>
#include <omp.h>
#include <string.h>

#include "exec.h"

#define SMALL_PRODUCT (32.0 * 32 * 32) /* below m*n*k of this, BLAS's call costs more than it saves */
#define PANEL_BYTES (8u << 20) /* output panel: big enough for GEMM's efficiency, small enough for L3 */

enum { ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112 };
typedef void (*sgemm_fn)(int, int, int, int, int, int, float, const float *, int, const float *, int, float, float *, int);
typedef void (*dgemm_fn)(int, int, int, int, int, int, double, const double *, int, const double *, int, double, double *,
                         int);
typedef void (*sgemv_fn)(int, int, int, int, float, const float *, int, const float *, int, float, float *, int);
typedef void (*dgemv_fn)(int, int, int, int, double, const double *, int, const double *, int, double, double *, int);

static struct {
    sgemm_fn sgemm;
    dgemm_fn dgemm;
    sgemv_fn sgemv;
    dgemv_fn dgemv;
    void (*set_threads)(int);
    char name[128];
} blas;
static pthread_once_t blas_once = PTHREAD_ONCE_INIT;

static void blas_load(void) {
    const char *off = getenv("KILN_NO_BLAS");
    if (off && *off && strcmp(off, "0")) return;
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
    if (!h) return;
    blas.sgemm = (sgemm_fn)dlsym(h, "cblas_sgemm");
    blas.dgemm = (dgemm_fn)dlsym(h, "cblas_dgemm");
    blas.sgemv = (sgemv_fn)dlsym(h, "cblas_sgemv");
    blas.dgemv = (dgemv_fn)dlsym(h, "cblas_dgemv");
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

const char *blas_name(void) {
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

static void own_rows(kiln_dtype dt, int64_t i0, int64_t i1, int64_t n, int64_t K, const char *A, int64_t a_rs, int64_t a_cs,
                     const char *B, int64_t b_rs, int64_t b_cs, char *C, int64_t c_rs, int64_t c_cs) {
    switch (dt) {
    case KILN_F32: OWN_LOOP(float, 0.0f, *cij + aik * bkj) break;
    case KILN_F64: OWN_LOOP(double, 0.0, *cij + aik * bkj) break;
    case KILN_I32: OWN_LOOP(int32_t, 0, (int32_t)((uint32_t)*cij + (uint32_t)aik * (uint32_t)bkj)) break;
    case KILN_I64: OWN_LOOP(int64_t, 0, (int64_t)((uint64_t)*cij + (uint64_t)aik * (uint64_t)bkj)) break;
    case KILN_BOOL: OWN_LOOP(uint8_t, 0, (uint8_t)(*cij | (aik & bkj))) break;
    case KILN_DTYPE_COUNT: break;
    }
}

/* ------------------------------------------------------------------ the step */

/* BLAS's view of a (rows × cols, byte strides rs, cs): 0 with trans/ld set, or -1 when the
 * operand has to be copied first. */
static int blas_layout(int64_t rows, int64_t cols, int64_t rs, int64_t cs, int64_t es, int *trans, int64_t *ld) {
    if ((cols == 1 || cs == es) && (rows == 1 || (rs % es == 0 && rs / es >= cols))) {
        *trans = NO_TRANS;
        *ld = rows == 1 ? (cols > 1 ? cols : 1) : rs / es;
        return 0;
    }
    if ((rows == 1 || rs == es) && (cols == 1 || (cs % es == 0 && cs / es >= rows))) {
        *trans = TRANS;
        *ld = cols == 1 ? (rows > 1 ? rows : 1) : cs / es;
        return 0;
    }
    return -1;
}

/* The epilogue over rows [i0, i0+rows) of out: views of the panel and of the inputs that have
 * those rows (the others broadcast over them). */
static kiln_status epilogue_panel(kiln_ctx *ctx, step *epi, kiln_array *const *ins, kiln_array *out, int64_t i0, int64_t rows) {
    int nin = epi->fk.kd.n_in;
    kiln_array panel = *out;
    /* views of the inputs (as pointers, then their storage) */
    char *mem = kiln_malloc(ctx, (size_t)nin * (sizeof(kiln_array *) + sizeof(kiln_array)) + 1);
    if (!mem) return KILN_ERR_NOMEM;
    kiln_array **views = (kiln_array **)mem, *vs = (kiln_array *)(mem + (size_t)nin * sizeof(kiln_array *));
    panel.shape[0] = rows;
    panel.data = out->data + i0 * out->strides[0];
    for (int k = 0; k < nin; k++) {
        kiln_array *x = ins[k];
        if (x == out) {
            views[k] = &panel;
        } else if (x->ndim == 2 && x->shape[0] == out->shape[0] && out->shape[0] > 1) {
            vs[k] = *x;
            vs[k].shape[0] = rows;
            vs[k].data = x->data + i0 * x->strides[0];
            views[k] = &vs[k];
        } else {
            views[k] = x;
        }
    }
    kiln_status st = map_run(ctx, epi, views, &panel);
    kiln_free(ctx, mem);
    return st;
}

kiln_status matmul_run(kiln_ctx *ctx, step *s, kiln_array *a, kiln_array *b, kiln_array *out, step *epi,
                       kiln_array *const *epi_ins) {
    kiln_dtype dt = (kiln_dtype)s->node->dtype;
    int64_t es = (int64_t)kiln_dtype_size(dt);
    int64_t m = a->ndim == 2 ? a->shape[0] : 1, K = a->shape[a->ndim - 1], n = b->ndim == 2 ? b->shape[1] : 1;
    int64_t a_rs = a->ndim == 2 ? a->strides[0] : 0, a_cs = a->strides[a->ndim - 1];
    int64_t b_rs = b->strides[0], b_cs = b->ndim == 2 ? b->strides[1] : 0;
    /* the output's strides along m and n (a 1-D operand has no such dim in the output) */
    int64_t c_rs = 0, c_cs = 0;
    if (out->ndim == 2) c_rs = out->strides[0], c_cs = out->strides[1];
    else if (out->ndim == 1) {
        if (a->ndim == 2) c_rs = out->strides[0];
        else c_cs = out->strides[0];
    }
    kiln_array *copies[2] = {NULL, NULL};
    kiln_status st = KILN_OK;
    int ta = 0, tb = 0;
    int64_t lda = 0, ldb = 0, ldc = 0;
    bool use_blas = dtype_is_float(dt) && (double)m * (double)n * (double)K >= SMALL_PRODUCT && blas_name() &&
                    m < INT32_MAX && n < INT32_MAX && K < INT32_MAX;
    if (use_blas && ((n != 1 && c_cs != es) || (m != 1 && (c_rs % es || c_rs / es < n)))) use_blas = false;
    if (use_blas) {
        ldc = m == 1 ? (n > 1 ? n : 1) : c_rs / es;
        for (int i = 0; i < 2; i++) { /* operands BLAS cannot read as they are: a C-ordered copy */
            kiln_array *x = i ? b : a;
            int64_t r = i ? K : m, c = i ? n : K, rs = i ? b_rs : a_rs, cs = i ? b_cs : a_cs;
            int *t = i ? &tb : &ta;
            int64_t *ld = i ? &ldb : &lda;
            if (blas_layout(r, c, rs, cs, es, t, ld) == 0) continue;
            kiln_expr *v = kiln_var(ctx, x);
            copies[i] = v ? kiln_eval(ctx, v) : NULL;
            kiln_expr_free(v);
            if (!copies[i]) {
                st = kiln_errcode(ctx);
                goto out;
            }
            if (i) {
                b = copies[1];
                b_rs = b->strides[0], b_cs = b->ndim == 2 ? b->strides[1] : 0;
            } else {
                a = copies[0];
                a_rs = a->ndim == 2 ? a->strides[0] : 0, a_cs = a->strides[a->ndim - 1];
            }
            blas_layout(r, c, i ? b_rs : a_rs, i ? b_cs : a_cs, es, t, ld);
        }
    }
    /* gemv's vector and result strides, in elements (a dim of extent 1 has any stride) */
    int64_t incx = n == 1 ? (K > 1 ? b_rs / es : 1) : (K > 1 ? a_cs / es : 1);
    int64_t incy = n == 1 ? (m > 1 ? c_rs / es : 1) : (n > 1 ? c_cs / es : 1);
    bool gemv_ok = incx > 0 && incy > 0 && (n == 1 ? b_rs : a_cs) % es == 0;
    /* rows per panel: the epilogue runs on each while it is still in cache */
    int64_t rows = m;
    if (epi && out->ndim == 2) {
        rows = (int64_t)PANEL_BYTES / (n * es > 0 ? n * es : 1);
        rows = rows < 64 ? 64 : rows / 16 * 16;
        if (rows > m) rows = m;
    }
    int nt = atomic_load(&ctx->nthreads);
    if (use_blas && blas.set_threads) blas.set_threads(nt);
    for (int64_t i0 = 0; i0 < m && st == KILN_OK; i0 += rows) {
        int64_t r = m - i0 < rows ? m - i0 : rows;
        if (use_blas && (n == 1 || m == 1) && gemv_ok) {
            /* a matrix-vector product: gemv reads the matrix once, several rows at a time.
             * n == 1: y = a·x over a's rows;  m == 1: y = bᵀ·x over b's columns */
            bool col = n == 1;
            int trans;
            int64_t M, N;
            if (col) trans = ta, M = ta == NO_TRANS ? m : K, N = ta == NO_TRANS ? K : m;
            else trans = tb == NO_TRANS ? TRANS : NO_TRANS, M = tb == NO_TRANS ? K : n, N = tb == NO_TRANS ? n : K;
            const char *mat = col ? a->data : b->data, *x = col ? b->data : a->data;
            int ld = (int)(col ? lda : ldb);
            if (dt == KILN_F32)
                blas.sgemv(ROW_MAJOR, trans, (int)M, (int)N, 1.0f, (const float *)mat, ld, (const float *)x, (int)incx, 0.0f,
                           (float *)out->data, (int)incy);
            else
                blas.dgemv(ROW_MAJOR, trans, (int)M, (int)N, 1.0, (const double *)mat, ld, (const double *)x, (int)incx, 0.0,
                           (double *)out->data, (int)incy);
        } else if (use_blas) {
            const char *ap = a->data + (ta == NO_TRANS ? i0 * lda : i0) * es;
            if (dt == KILN_F32)
                blas.sgemm(ROW_MAJOR, ta, tb, (int)r, (int)n, (int)K, 1.0f, (const float *)ap, (int)lda, (const float *)b->data,
                           (int)ldb, 0.0f, (float *)(out->data + i0 * c_rs), (int)ldc);
            else
                blas.dgemm(ROW_MAJOR, ta, tb, (int)r, (int)n, (int)K, 1.0, (const double *)ap, (int)lda, (const double *)b->data,
                           (int)ldb, 0.0, (double *)(out->data + i0 * c_rs), (int)ldc);
        } else {
            int t = (double)r * (double)n * (double)K >= 4.0 * GRAIN && r > 1 ? nt : 1;
            int64_t i1 = i0 + r;
#pragma omp parallel for num_threads(t) schedule(static) if (t > 1)
            for (int64_t i = i0; i < i1; i++)
                own_rows(dt, i, i + 1, n, K, a->data, a_rs, a_cs, b->data, b_rs, b_cs, out->data, c_rs, c_cs);
        }
        if (epi) st = out->ndim == 2 ? epilogue_panel(ctx, epi, epi_ins, out, i0, r) : map_run(ctx, epi, epi_ins, out);
    }
out:
    kiln_array_free(copies[0]);
    kiln_array_free(copies[1]);
    return st;
}
