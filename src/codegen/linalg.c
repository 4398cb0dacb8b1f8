/*
 * linalg.c — np.linalg's functions on the host, through LAPACK, as NumPy's own go.
 *
 * Pipeline position: a host routine of the backend contract (kiln_backend_i.linalg), as scans
 * and rows are; the CUDA backend brings its arrays back and calls it too.  Each matrix of the
 * stack is copied into a column-major buffer (whatever its strides: a view, a transpose, a
 * broadcast), handed to the LAPACK routine NumPy calls for the same function (gesv as getrf
 * and getrs, potrf, syevd, gesdd, geqrf with orgqr), and the answer copied out through the output's
 * strides; float32's are computed in float64 and rounded, as NumPy's are (its _commonType).
 * LAPACK is OpenBLAS's (loaded for products already; its LAPACK is the reference one with
 * OpenBLAS's BLAS underneath), else the system's liblapack.so.3.
 *
 * A stack of many small matrices goes a matrix to a thread, each on LAPACK's single thread;
 * otherwise the matrices go one after another, LAPACK using every thread.  kiln_interrupt stops
 * a stack between two matrices (one LAPACK call runs to its end).  The first matrix that
 * fails (singular, not positive definite, no convergence) names itself in the error, and the
 * output is then unspecified, as a failed step's always is.
 */
#include <dlfcn.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <omp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "host.h"

#include "../ir/graph.h"

/* LAPACK's Fortran interface, double precision (float32's are computed in float64, as NumPy's):
 * every argument by address, character arguments' lengths after the rest. */
typedef void (*getrf_fn)(const int *m, const int *n, double *a, const int *lda, int *ipiv, int *info);
typedef void (*getrs_fn)(const char *trans, const int *n, const int *nrhs, const double *a, const int *lda, const int *ipiv,
                         double *b, const int *ldb, int *info, size_t);
typedef void (*potrf_fn)(const char *uplo, const int *n, double *a, const int *lda, int *info, size_t);
typedef void (*syevd_fn)(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w, double *work,
                         const int *lwork, int *iwork, const int *liwork, int *info, size_t, size_t);
typedef void (*gesdd_fn)(const char *jobz, const int *m, const int *n, double *a, const int *lda, double *s, double *u,
                         const int *ldu, double *vt, const int *ldvt, double *work, const int *lwork, int *iwork, int *info, size_t);
typedef void (*geqrf_fn)(const int *m, const int *n, double *a, const int *lda, double *tau, double *work, const int *lwork,
                         int *info);
typedef void (*orgqr_fn)(const int *m, const int *n, const int *k, double *a, const int *lda, const double *tau, double *work,
                         const int *lwork, int *info);

static struct {
    getrf_fn getrf;
    getrs_fn getrs;
    potrf_fn potrf;
    syevd_fn syevd;
    gesdd_fn gesdd;
    geqrf_fn geqrf;
    orgqr_fn orgqr;
    void (*set_threads)(int);
    const char *from; /* where LAPACK came from; NULL: none loaded */
    bool fma; /* OpenBLAS runs its AVX-512 kernels (SkylakeX, Cooperlake, SapphireRapids): its C loops fuse a*b + c */
} la;
static pthread_once_t la_once = PTHREAD_ONCE_INIT;

static bool la_find(void *h) {
#define SYM(f) (la.f = (f##_fn)dlsym(h, "d" #f "_"))
    return SYM(getrf) && SYM(getrs) && SYM(potrf) && SYM(syevd) && SYM(gesdd) && SYM(geqrf) && SYM(orgqr);
#undef SYM
}

static void la_load(void) {
    if (host_blas_off()) return;
    void *h = host_openblas();
    if (h && la_find(h)) {
        la.from = "OpenBLAS";
        la.set_threads = (void (*)(int))dlsym(h, "openblas_set_num_threads");
        char *(*core)(void) = (char *(*)(void))dlsym(h, "openblas_get_corename");
        const char *name = core ? core() : NULL;
        la.fma = name && (!strcasecmp(name, "SkylakeX") || !strcasecmp(name, "Cooperlake") || !strcasecmp(name, "SapphireRapids"));
        return;
    }
    static const char *const paths[] = {"liblapack.so.3", "liblapack.so"};
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++)
        if ((h = dlopen(paths[i], RTLD_NOW | RTLD_LOCAL)) && la_find(h)) {
            la.from = paths[i];
            return;
        }
}

/* ------------------------------------------------------------------ small matrices */

/* OpenBLAS's getrf takes a buffer from its pool, under a lock, at every call: more than the
 * factorization of a 3 x 3 matrix costs.  Matrices of SMALL_LU rows or fewer are factored here
 * instead, with OpenBLAS's bits (its singular matrices too): its getf2 is Crout's, column by
 * column (each u_ij a dot product, then the column below the diagonal less a matrix-vector
 * product, its pivot the first largest |x|, the column scaled by the pivot's reciprocal), and
 * those sums are its kernels' plain C loops up to 5 rows, fused multiply-adds where OpenBLAS
 * runs its AVX-512 kernels (la.fma); beyond, vector kernels sum in orders of their own, so
 * getrf factors from 6 rows on.  inv and solve then call getrs (gesv's second half: triangular
 * solves multiplying by the pivots' reciprocals in its GEMM kernels' orders), and cholesky is
 * potrf's: NumPy's bits, and NumPy's inv of [[1, 2, 3], [4, 5, 6], [7, 8, 9]] raises, as kiln's
 * does.  Without LAPACK, kiln's own routines (getrs's and potf2's sums, in plain order) answer
 * up to SMALL_N rows. */
#define SMALL_N 8
#define SMALL_LU 5
#define SFMIN DBL_MIN /* LAPACK's sfmin: the smallest number whose reciprocal does not overflow */

/* acc + a b, rounded as OpenBLAS's kernels round it */
static inline double mac(double acc, double a, double b) { return la.fma ? fma(a, b, acc) : acc + a * b; }

/* The row swaps of ipiv's first n pivots (1-based, getrf's) applied to the vector x in order, as
 * laswp. */
static void swap_rows(double *x, const int *ipiv, int n) {
    for (int i = 0; i < n; i++)
        if (ipiv[i] - 1 != i) {
            double t = x[i];
            x[i] = x[ipiv[i] - 1], x[ipiv[i] - 1] = t;
        }
}

/* LU of n x n column-major a (leading dim lda) in place; ipiv 1-based, as getrf's; info > 0:
 * a zero pivot (the first one's column, 1-based) */
static int lu(double *a, int n, int lda, int *ipiv) {
    int info = 0;
    for (int j = 0; j < n; j++) {
        double *b = a + j * lda;
        swap_rows(b, ipiv, j);
        for (int i = 0; i < n; i++) { /* u_ij (i < j), then the column below, less the sums */
            double d = 0;
            for (int k = 0; k < (i < j ? i : j); k++) d = mac(d, a[i + k * lda], b[k]);
            b[i] -= d;
        }
        int p = j;
        for (int i = j + 1; i < n; i++)
            if (fabs(b[i]) > fabs(b[p])) p = i;
        ipiv[j] = p + 1;
        if (b[p] == 0) {
            if (!info) info = j + 1;
            continue;
        }
        if (p != j)
            for (int k = 0; k <= j; k++) {
                double t = a[j + k * lda];
                a[j + k * lda] = a[p + k * lda], a[p + k * lda] = t;
            }
        double piv = b[j], r = 1 / piv; /* 1/pivot, unless it overflows (a subnormal pivot) */
        if (fabs(piv) >= SFMIN)
            for (int i = j + 1; i < n; i++) b[i] *= r;
        else
            for (int i = j + 1; i < n; i++) b[i] /= piv;
    }
    return info;
}

/* b (n x nrhs, leading dim ldb) = a⁻¹ b by lu's factors, as getrs (dividing by the pivots) */
static void lu_solve(const double *a, int n, int lda, const int *ipiv, double *b, int ldb, int nrhs) {
    for (int c = 0; c < nrhs; c++) {
        double *x = b + c * ldb;
        swap_rows(x, ipiv, n);
        for (int k = 0; k < n; k++)
            for (int i = k + 1; i < n; i++) x[i] -= x[k] * a[i + k * lda];
        for (int k = n - 1; k >= 0; k--) {
            x[k] /= a[k + k * lda];
            for (int i = 0; i < k; i++) x[i] -= x[k] * a[i + k * lda];
        }
    }
}

/* Cholesky of n x n a in place (its lower triangle, or with upper its upper), as potf2; info > 0:
 * not positive definite */
static int chol(double *a, int n, int lda, bool upper) {
    for (int j = 0; j < n; j++) {
        double d = a[j + j * lda];
        for (int k = 0; k < j; k++) {
            double v = upper ? a[k + j * lda] : a[j + k * lda];
            d -= v * v;
        }
        if (d <= 0) return j + 1; /* (NaN goes on, as OpenBLAS's potrf: NumPy's NaNs) */
        d = sqrt(d);
        a[j + j * lda] = d;
        double r = 1 / d;
        for (int i = j + 1; i < n; i++) {
            double s = upper ? a[j + i * lda] : a[i + j * lda];
            for (int k = 0; k < j; k++)
                s -= upper ? a[k + j * lda] * a[k + i * lda] : a[i + k * lda] * a[j + k * lda];
            if (upper) a[j + i * lda] = s * r;
            else a[i + j * lda] = s * r;
        }
    }
    return 0;
}

/* ------------------------------------------------------------------ one matrix */

/* The work of one matrix: its buffers (column-major), reused from matrix to matrix. */
typedef struct la_work {
    double *a, *b, *w, *u, *vt, *work; /* float64, float32's too: NumPy computes them in float64, and rounds */
    int *ipiv, *iwork;
    int lwork, liwork;
} la_work;

static inline double get(const void *p, size_t es, int64_t i) { return es == 4 ? ((const float *)p)[i] : ((const double *)p)[i]; }
static inline void put(void *p, size_t es, int64_t i, double v) {
    if (es == 4) ((float *)p)[i] = (float)v;
    else ((double *)p)[i] = v;
}

/* rows × cols elements at src (byte strides rs, cs; es bytes each) into the float64 dst,
 * column-major with leading dim ld. */
static void copy_in(const char *src, int64_t rows, int64_t cols, int64_t rs, int64_t cs, double *dst, int64_t ld, size_t es) {
    for (int64_t j = 0; j < cols; j++)
        for (int64_t i = 0; i < rows; i++) dst[i + j * ld] = get(src + i * rs + j * cs, es, 0);
}

/* The reverse: column-major float64 src (leading dim ld) into dst's rows × cols through rs, cs,
 * rounded to its dtype; lower (upper) keeps only the lower (upper) triangle, zeros elsewhere. */
static void copy_out(const double *src, int64_t ld, int64_t rows, int64_t cols, char *dst, int64_t rs, int64_t cs, size_t es,
                     int tri) {
    for (int64_t i = 0; i < rows; i++)
        for (int64_t j = 0; j < cols; j++) {
            bool zero = (tri < 0 && j > i) || (tri > 0 && j < i);
            put(dst + i * rs + j * cs, es, 0, zero ? 0.0 : src[i + j * ld]);
        }
}

/* Whether the rows x cols column-major matrix at a holds NaN or inf. */
static bool all_finite(const double *a, int64_t rows, int64_t cols, int64_t ld) {
    bool bad = false;
    for (int64_t j = 0; j < cols; j++)
        for (int64_t i = 0; i < rows; i++) bad |= !isfinite(a[i + j * ld]);
    return !bad;
}

/* Where matrix t of the stack starts in an array of nb leading dims (shape, byte strides). */
static int64_t batch_off(int64_t t, int nb, const int64_t *shape, const int64_t *str) {
    int64_t off = 0;
    for (int d = nb - 1; d >= 0; d--) {
        off += (t % shape[d]) * str[d];
        t /= shape[d];
    }
    return off;
}

/* Why one matrix failed (0: it did not). */
enum { LA_OK, LA_SINGULAR, LA_NOT_PD, LA_NO_EIG, LA_NO_SVD, LA_NOMEM, LA_STOPPED };

/* LAPACK's workspace query (lwork = -1) answer, as a count. */
static int work_count(double v) {
    return v < 1 ? 1 : v > INT_MAX / 2 ? INT_MAX / 2 : (int)v + 1;
}

static bool grow(la_work *w, int lwork, int liwork) {
    if (lwork > w->lwork) {
        double *p = realloc(w->work, (size_t)lwork * sizeof *p);
        if (!p) return false;
        w->work = p, w->lwork = lwork;
    }
    if (liwork > w->liwork) {
        int *p = realloc(w->iwork, (size_t)liwork * sizeof *p);
        if (!p) return false;
        w->iwork = p, w->liwork = liwork;
    }
    return true;
}

/* Where each function's output goes (base NULL: not wanted): l's own and its siblings'. */
typedef struct la_outs {
    char *base[KILN_LA_COUNT];
    const int64_t *str[KILN_LA_COUNT];
} la_outs;

/* Matrix t's part of output fn, and its strides within that part. */
static char *part(const kiln_linalg_args *l, const la_outs *o, int fn, int64_t t, const int64_t **os) {
    int nb = l->ndim - 2;
    *os = o->str[fn] + nb;
    return o->base[fn] + batch_off(t, nb, l->shape, o->str[fn]);
}

/* LU of matrix t of l (copied into w->a already), as getrf; info > 0: singular.  A pivot below
 * DBL_MIN, whose reciprocal overflows, is factored again by kiln's getf2, which divides by it as
 * NumPy's OpenBLAS does (Debian's, 0.3.21, scales by the reciprocal: NaN). */
static int lu_factor(const kiln_linalg_args *l, la_work *w, int64_t t, int N, int lda) {
    int info = 0;
    if (N <= SMALL_LU || !la.from) return lu(w->a, N, lda, w->ipiv);
    la.getrf(&N, &N, w->a, &lda, w->ipiv, &info);
    bool tiny = false;
    for (int i = 0; i < N && info == 0; i++) tiny |= fabs(w->a[i + i * lda]) < DBL_MIN;
    if (!tiny) return info;
    int nd = l->ndim;
    copy_in(l->a + batch_off(t, nd - 2, l->shape, l->a_str), N, N, l->a_str[nd - 2], l->a_str[nd - 1], w->a, lda,
            kiln_dtype_size(l->dt));
    return lu(w->a, N, lda, w->ipiv);
}

/* l's function (and its siblings') of matrix t of the stack, into their places. */
static int one_matrix(const kiln_linalg_args *l, const la_outs *o, la_work *w, int64_t t) {
    int nd = l->ndim, nb = nd - 2;
    size_t es = kiln_dtype_size(l->dt);
    int64_t m = l->shape[nd - 2], n = l->shape[nd - 1], k = m < n ? m : n;
    int M = (int)m, N = (int)n, K = (int)k, info = 0, lda = M > 1 ? M : 1, q = -1;
    const int64_t *os;
    char *out;
    copy_in(l->a + batch_off(t, nb, l->shape, l->a_str), m, n, l->a_str[nd - 2], l->a_str[nd - 1], w->a, lda, es);
    double query[2];
    switch (l->fn) {
    case KILN_LA_SOLVE:
    case KILN_LA_INV: {
        int64_t r = l->fn == KILN_LA_SOLVE ? l->b_shape[nd - 1] : n;
        int R = (int)r;
        if (l->fn == KILN_LA_SOLVE)
            copy_in(l->b + batch_off(t, nb, l->b_shape, l->b_str), n, r, l->b_str[nd - 2], l->b_str[nd - 1], w->b, lda, es);
        else
            for (int64_t j = 0; j < n; j++)
                for (int64_t i = 0; i < n; i++) w->b[i + j * lda] = i == j;
        /* getrf and getrs: gesv's bits (its triangular solves, in its GEMM kernels' orders) */
        if ((info = lu_factor(l, w, t, N, lda)) == 0) {
            if (la.from) la.getrs("N", &N, &R, w->a, &lda, w->ipiv, w->b, &lda, &info, 1);
            else lu_solve(w->a, N, lda, w->ipiv, w->b, lda, R);
        }
        if (info > 0 && !(l->flags & IR_LA_QUIET)) return LA_SINGULAR;
        for (int64_t j = 0; info > 0 && j < r; j++) /* (quiet: NaN) */
            for (int64_t i = 0; i < n; i++) w->b[i + j * lda] = NAN;
        out = part(l, o, l->fn, t, &os);
        copy_out(w->b, lda, n, r, out, os[0], os[1], es, 0);
        return LA_OK;
    }
    case KILN_LA_DET:
    case KILN_LA_SIGNDET:
    case KILN_LA_LOGDET: {
        lu_factor(l, w, t, N, lda);
        /* NumPy's: the sign of the permutation and of each u_ii, the sum of log|u_ii|,
         * det = sign * exp(logdet) (float32's rounded from these) */
        double sign = 1, logdet = 0;
        for (int64_t i = 0; i < n && sign != 0; i++) {
            double u = w->a[i + i * lda];
            if (w->ipiv[i] != i + 1) sign = -sign;
            if (u == 0) sign = 0;
            else {
                if (u < 0) sign = -sign;
                logdet += log(fabs(u));
            }
        }
        if (sign == 0) logdet = -INFINITY;
        double det = sign * exp(logdet);
        if (o->base[KILN_LA_DET]) put(part(l, o, KILN_LA_DET, t, &os), es, 0, det);
        if (o->base[KILN_LA_SIGNDET]) put(part(l, o, KILN_LA_SIGNDET, t, &os), es, 0, sign);
        if (o->base[KILN_LA_LOGDET]) put(part(l, o, KILN_LA_LOGDET, t, &os), es, 0, logdet);
        return LA_OK;
    }
    case KILN_LA_CHOLESKY: {
        char uplo = l->flags & KILN_LA_UPPER ? 'U' : 'L';
        if (!la.from) info = chol(w->a, N, lda, uplo == 'U');
        else la.potrf(&uplo, &N, w->a, &lda, &info, 1);
        if (info > 0) return LA_NOT_PD;
        out = part(l, o, l->fn, t, &os);
        copy_out(w->a, lda, n, n, out, os[0], os[1], es, uplo == 'L' ? -1 : 1);
        return LA_OK;
    }
    case KILN_LA_EIGVALSH:
    case KILN_LA_EIGVECSH: {
        char jobz = o->base[KILN_LA_EIGVECSH] || (l->flags & IR_LA_VECTORS) ? 'V' : 'N', uplo = l->flags & KILN_LA_UPPER ? 'U' : 'L';
        int qi;
        bool nan = false; /* in the triangle read: the answer is NaN (Debian's syevd gave zeros: eigenvalues 0 and -0 of [[nan, 0], [0, 1]]) */
        for (int64_t j = 0; j < n; j++)
            for (int64_t i = uplo == 'U' ? 0 : j; i < (uplo == 'U' ? j + 1 : n); i++) nan |= isnan(w->a[i + j * lda]);
        if (nan) {
            for (int64_t i = 0; i < n; i++) w->w[i] = NAN;
            for (int64_t j = 0; j < n; j++)
                for (int64_t i = 0; i < n; i++) w->a[i + j * lda] = NAN;
        } else if (n) {
            la.syevd(&jobz, &uplo, &N, w->a, &lda, w->w, query, &q, &qi, &q, &info, 1, 1);
            if (!grow(w, work_count(query[0]), qi)) return LA_NOMEM;
            la.syevd(&jobz, &uplo, &N, w->a, &lda, w->w, w->work, &w->lwork, w->iwork, &w->liwork, &info, 1, 1);
        }
        if (info != 0) return LA_NO_EIG;
        if (o->base[KILN_LA_EIGVALSH]) {
            out = part(l, o, KILN_LA_EIGVALSH, t, &os);
            for (int64_t i = 0; i < n; i++) put(out + i * os[0], es, 0, w->w[i]);
        }
        if (o->base[KILN_LA_EIGVECSH]) {
            out = part(l, o, KILN_LA_EIGVECSH, t, &os);
            copy_out(w->a, lda, n, n, out, os[0], os[1], es, 0);
        }
        return LA_OK;
    }
    case KILN_LA_SVALS:
    case KILN_LA_SVD_U:
    case KILN_LA_SVD_VH: {
        bool full = l->flags & KILN_LA_FULL, vecs = o->base[KILN_LA_SVD_U] || o->base[KILN_LA_SVD_VH];
        char jobz = !vecs ? 'N' : full ? 'A' : 'S';
        int ldu = lda, ucols = full ? M : K, ldvt = full ? (N > 1 ? N : 1) : (K > 1 ? K : 1);
        /* NaN or inf: not converged, as NumPy says (gesdd refuses NaN with info = -4, and on some
         * matrices holding inf its iteration never ends) */
        if (!all_finite(w->a, m, n, lda)) return LA_NO_SVD;
        if (m && n) {
            la.gesdd(&jobz, &M, &N, w->a, &lda, w->w, w->u, &ldu, w->vt, &ldvt, query, &q, w->iwork, &info, 1);
            if (!grow(w, work_count(query[0]), 8 * K)) return LA_NOMEM;
            la.gesdd(&jobz, &M, &N, w->a, &lda, w->w, w->u, &ldu, w->vt, &ldvt, w->work, &w->lwork, w->iwork, &info, 1);
        } else if (vecs) { /* an empty matrix: NumPy's u and vh are identities */
            for (int64_t j = 0; j < ucols; j++)
                for (int64_t i = 0; i < m; i++) w->u[i + j * ldu] = i == j;
            for (int64_t j = 0; j < n; j++)
                for (int64_t i = 0; i < (full ? n : k); i++) w->vt[i + j * ldvt] = i == j;
        }
        if (info != 0) return LA_NO_SVD;
        if (o->base[KILN_LA_SVALS]) {
            out = part(l, o, KILN_LA_SVALS, t, &os);
            for (int64_t i = 0; i < k; i++) put(out + i * os[0], es, 0, w->w[i]);
        }
        if (o->base[KILN_LA_SVD_U]) {
            out = part(l, o, KILN_LA_SVD_U, t, &os);
            copy_out(w->u, ldu, m, ucols, out, os[0], os[1], es, 0);
        }
        if (o->base[KILN_LA_SVD_VH]) {
            out = part(l, o, KILN_LA_SVD_VH, t, &os);
            copy_out(w->vt, ldvt, full ? n : k, n, out, os[0], os[1], es, 0);
        }
        return LA_OK;
    }
    case KILN_LA_QR_Q:
    case KILN_LA_QR_R: {
        if (m && n) {
            la.geqrf(&M, &N, w->a, &lda, w->w, query, &q, &info);
            if (!grow(w, work_count(query[0]), 0)) return LA_NOMEM;
            la.geqrf(&M, &N, w->a, &lda, w->w, w->work, &w->lwork, &info);
        }
        bool full = l->flags & KILN_LA_FULL;
        if (o->base[KILN_LA_QR_R]) { /* (before orgqr overwrites it) */
            out = part(l, o, KILN_LA_QR_R, t, &os);
            copy_out(w->a, lda, full ? m : k, n, out, os[0], os[1], es, 1);
        }
        if (!o->base[KILN_LA_QR_Q]) return LA_OK;
        int Q = full ? M : K; /* q's columns: the reflections applied to the identity's first Q */
        if (m && Q) {
            la.orgqr(&M, &Q, &K, w->a, &lda, w->w, query, &q, &info);
            if (!grow(w, work_count(query[0]), 0)) return LA_NOMEM;
            la.orgqr(&M, &Q, &K, w->a, &lda, w->w, w->work, &w->lwork, &info);
        }
        out = part(l, o, KILN_LA_QR_Q, t, &os);
        copy_out(w->a, lda, m, Q, out, os[0], os[1], es, 0);
        return LA_OK;
    }
    default: return LA_OK;
    }
}

/* The buffers one matrix of l needs, and no more: a tall matrix's m x m is hundreds of
 * megabytes, mapped afresh at every call, where the SVD of its thin factors wants a few
 * hundred kilobytes. */
static bool work_init(la_work *w, const kiln_linalg_args *l) {
    int nd = l->ndim;
    int64_t m = l->shape[nd - 2], n = l->shape[nd - 1], mx = m > n ? m : n, k = m < n ? m : n, ld = m > 1 ? m : 1;
    bool full = l->flags & KILN_LA_FULL, svd = l->fn == KILN_LA_SVALS || l->fn == KILN_LA_SVD_U || l->fn == KILN_LA_SVD_VH;
    bool qr = l->fn == KILN_LA_QR_Q || l->fn == KILN_LA_QR_R;
    int64_t acols = qr && full ? mx : n; /* (qr's complete q: m columns) */
    int64_t r = l->fn == KILN_LA_SOLVE ? l->b_shape[nd - 1] : l->fn == KILN_LA_INV ? n : 1;
    int64_t ucols = svd ? (full ? m : k) : 1, vrows = svd ? (full ? n : k) : 1; /* (gesdd's u: ld x ucols; vt: vrows x n) */
    memset(w, 0, sizeof *w);
    w->a = malloc((size_t)(ld * (acols > 1 ? acols : 1)) * sizeof(double));
    w->b = malloc((size_t)(ld * (r > 1 ? r : 1)) * sizeof(double));
    w->w = malloc((size_t)(mx + 1) * sizeof(double));
    w->u = malloc((size_t)(ld * (ucols > 1 ? ucols : 1)) * sizeof(double));
    w->vt = malloc((size_t)((vrows > 1 ? vrows : 1) * (n > 1 ? n : 1)) * sizeof(double));
    w->ipiv = malloc((size_t)(mx + 1) * sizeof *w->ipiv);
    w->iwork = malloc((size_t)(8 * mx + 8) * sizeof *w->iwork);
    w->liwork = (int)(8 * mx + 8);
    return w->a && w->b && w->w && w->u && w->vt && w->ipiv && w->iwork;
}

static void work_free(la_work *w) {
    free(w->a), free(w->b), free(w->w), free(w->u), free(w->vt), free(w->work), free(w->ipiv), free(w->iwork);
}

static const char *const la_why[] = {[LA_SINGULAR] = "Singular matrix",
                                     [LA_NOT_PD] = "Matrix is not positive definite",
                                     [LA_NO_EIG] = "Eigenvalues did not converge",
                                     [LA_NO_SVD] = "SVD did not converge"};

kiln_status host_linalg(void *state, kiln_ctx *ctx, const kiln_linalg_args *l, int nthreads) {
    KILN_UNUSED(state);
    const char *fn = linalg_fn_name(l->fn);
    if (l->fn == KILN_LA_INV && (l->flags & IR_LA_FOR_GRAD)) fn = "the gradient of det or slogdet (it needs inv)";
    if (l->fn == KILN_LA_SOLVE && (l->flags & IR_LA_FOR_GRAD)) fn = "the gradient of qr (it solves with r)";
    pthread_once(&la_once, la_load);
    int nd = l->ndim;
    int64_t m = l->shape[nd - 2], n = l->shape[nd - 1], batch = 1;
    bool own = n <= SMALL_N && (l->fn == KILN_LA_SOLVE || l->fn == KILN_LA_INV || l->fn == KILN_LA_DET || l->fn == KILN_LA_SIGNDET ||
                                l->fn == KILN_LA_LOGDET || l->fn == KILN_LA_CHOLESKY); /* kiln's own routines: no LAPACK */
    if (!la.from && !own)
        return kiln_fail(ctx, KILN_ERR_BACKEND,
                         host_blas_off() ? "%s needs LAPACK, which KILN_NO_BLAS=1 keeps from being loaded (with OpenBLAS)"
                                  : "%s needs LAPACK, and neither OpenBLAS (libopenblas0-openmp) nor liblapack.so.3 could be loaded here",
                         fn);
    for (int d = 0; d < nd - 2; d++) batch *= l->shape[d];
    int64_t r = l->fn == KILN_LA_SOLVE ? l->b_shape[nd - 1] : 0;
    if (m > INT_MAX / 8 || n > INT_MAX / 8 || r > INT_MAX / 8 || m * n > INT_MAX / 2)
        return kiln_fail(ctx, KILN_ERR_SHAPE, "%s: a %lld x %lld matrix is too large for LAPACK's 32-bit sizes", fn, (long long)m,
                         (long long)n);
    if (batch == 0 || (l->fn == KILN_LA_SOLVE && r == 0)) return KILN_OK; /* (no right-hand sides: nothing solved, no singular matrix found, as NumPy's) */
    la_outs o = {0};
    o.base[l->fn] = l->out, o.str[l->fn] = l->out_str;
    for (int i = 0; i < l->nalso; i++) o.base[l->also[i].fn] = l->also[i].out, o.str[l->also[i].fn] = l->also[i].str;
    /* many small matrices: one to a thread, LAPACK on one; else one after another on all */
    double flops = (double)m * (double)n * (double)(m < n ? m : n);
    bool side = nthreads > 1 && batch >= nthreads && flops < 4e6;
    int64_t first_bad = INT64_MAX;
    int bad = LA_OK;
    if (side) {
        int nt = nthreads;
        _Atomic int64_t first = INT64_MAX; /* the first failure: its matrix * 8 + why (no lock) */
#pragma omp parallel num_threads(nt)
        {
            la_work w;
            bool ok = work_init(&w, l);
#pragma omp for schedule(dynamic, 4)
            for (int64_t t = 0; t < batch; t++) {
                int why = !ok ? LA_NOMEM : kiln_interrupted(ctx) ? LA_STOPPED : one_matrix(l, &o, &w, t);
                int64_t code = t * 8 + why, cur = atomic_load(&first);
                while (why != LA_OK && code < cur && !atomic_compare_exchange_weak(&first, &cur, code)) {}
            }
            work_free(&w);
        }
        int64_t f = atomic_load(&first);
        if (f != INT64_MAX) first_bad = f / 8, bad = (int)(f % 8);
    } else {
        la_work w;
        if (la.set_threads && !own) la.set_threads(flops < 1e6 ? 1 : nthreads);
        bool ok = work_init(&w, l);
        for (int64_t t = 0; t < batch && bad == LA_OK; t++) {
            int why = !ok ? LA_NOMEM : kiln_interrupted(ctx) ? LA_STOPPED : one_matrix(l, &o, &w, t);
            if (why != LA_OK) first_bad = t, bad = why;
        }
        work_free(&w);
    }
    if (bad == LA_OK) return KILN_OK;
    if (bad == LA_NOMEM) return kiln_fail(ctx, KILN_ERR_NOMEM, "%s: out of memory", fn);
    if (bad == LA_STOPPED) return kiln_fail(ctx, KILN_ERR_INTERRUPTED, "interrupted"); /* (between two matrices of a stack) */
    if (batch == 1) return kiln_fail(ctx, KILN_ERR_LINALG, "%s: %s", fn, la_why[bad]);
    return kiln_fail(ctx, KILN_ERR_LINALG, "%s: %s (matrix %lld of the stack of %lld)", fn, la_why[bad], (long long)first_bad,
                     (long long)batch);
}
