/*
 * rows.c — softmax, log_softmax and logsumexp along rows, one pass per block of rows.
 *
 * Pipeline position: a host routine of the backend contract (kiln_backend_i.rows), as scans and
 * gathers are.  A SOFTMAX node's rows are short as a rule (a batch × classes array: 10 classes,
 * 100000 rows), where the composition of ops costs a reduction per row twice and an exp per
 * element twice.  Here each thread takes a range of rows and goes through it a block at a time
 * (the block held in L1): each row's maximum, x - W into the block, exp over the whole block at
 * once (vectorized: the rows are contiguous in the block whatever their length), each row's
 * sum in order, then the scaling by 1/sum (or the log) into the output.  The exp is libmvec's where the
 * machine has AVX-512 (what the JIT's vector loops call), else kiln's own, written to vectorize
 * (a polynomial after a reduction by ln 2, within 2 ulps of libm's) and compiled for AVX2 and
 * baseline x86-64 (target_clones, with -ffp-contract=off: the same bits in each).
 *
 * Rows of at most ROWS_SHORT elements (softmax over classes) go another way where libmvec's exp
 * is used: eight rows at once, a row to a vector lane, each column gathered from the eight rows.
 * A block of short rows spends most of its time not in exp but in loops a row long, each step of
 * a row's maximum and sum waiting on the last; across lanes the eight rows' steps go together,
 * and each row still takes its maximum and its sum in its own order, so the bits are the same.
 */
#include <dlfcn.h>
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif
#include <math.h>
#include <omp.h>
#include <pthread.h>
#include <string.h>

#include "host.h"

#define ROWS_BLOCK 4096 /* elements of a block (32 KiB of float64): a few rows, or part of one */
#define ROWS_SHORT 64   /* rows up to this long go eight at a time in vector lanes, with AVX-512 */


/* exp(x) in float64: x = n ln2 + r, |r| <= ln2/2, e^r by its Taylor polynomial to r^13 (the
 * remainder is below 1e-17 relative), times 2^n in two factors (so that results down to the
 * subnormals and up to the overflow to inf come out of one rounding).  No branches: NaN stays
 * NaN through the arithmetic, x beyond the range is clamped to where the result is 0 or inf. */
static inline double kexp(double x) {
    double xc = x < -746.0 ? -746.0 : x > 710.0 ? 710.0 : x;
    double t = xc * 1.4426950408889634 + 0x1.8p52, n = t - 0x1.8p52;
    int64_t ni;
    memcpy(&ni, &t, sizeof ni);
    ni -= 0x4338000000000000LL; /* t's low bits: n as an integer */
    double r = xc - n * 0x1.62e42fee00000p-1;
    r = r - n * 0x1.a39ef35793c76p-33;
    double p = 1.6059043836821613e-10;
    p = p * r + 2.0876756987868099e-09;
    p = p * r + 2.5052108385441720e-08;
    p = p * r + 2.7557319223985893e-07;
    p = p * r + 2.7557319223985888e-06;
    p = p * r + 2.4801587301587302e-05;
    p = p * r + 1.9841269841269841e-04;
    p = p * r + 1.3888888888888889e-03;
    p = p * r + 8.3333333333333332e-03;
    p = p * r + 4.1666666666666664e-02;
    p = p * r + 1.6666666666666666e-01;
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r + 1.0;
    /* (shifted as unsigned: a NaN's ni is any bits, and its result NaN whatever they give) */
    int64_t h = ni >> 1, l = ni - h, bh = (int64_t)((uint64_t)(h + 1023) << 52), bl = (int64_t)((uint64_t)(l + 1023) << 52);
    double sh, sl;
    memcpy(&sh, &bh, sizeof sh);
    memcpy(&sl, &bl, sizeof sl);
    return p * sh * sl;
}

KILN_CLONES static void exp_portable(double *v, int64_t n) {
    for (int64_t i = 0; i < n; i++) v[i] = kexp(v[i]);
}

/* With AVX-512 and libmvec (the JIT's vector math), its exp: twice as fast as the polynomial
 * above, and the same function for every element (a short tail is padded into a full vector),
 * so no element's bits depend on where a block starts. */
#if defined(__x86_64__) && defined(__GNUC__)
typedef double v8d __attribute__((vector_size(64)));
static v8d (*mvec_exp8)(v8d);
__attribute__((target("avx512f"))) static void exp_mvec(double *v, int64_t n) {
    int64_t i = 0;
    v8d a;
    for (; i + 8 <= n; i += 8) {
        memcpy(&a, v + i, sizeof a);
        a = mvec_exp8(a);
        memcpy(v + i, &a, sizeof a);
    }
    if (i < n) {
        memset(&a, 0, sizeof a);
        memcpy(&a, v + i, (size_t)(n - i) * sizeof *v);
        a = mvec_exp8(a);
        memcpy(v + i, &a, (size_t)(n - i) * sizeof *v);
    }
}

/* Rows r0 .. r1 of one slice, R <= ROWS_SHORT elements each, float64 or float32 (computed in
 * float64), eight rows at a time: column j of the eight rows is gathered into a vector (strides
 * in bytes, so any layout), the maxima taken lane-wise (MAXPD's v > w ? v : w, the scalar
 * loop's), then x - W, exp and the sums column by column, then the results scattered back.  A
 * last group of fewer than eight rows runs with its missing lanes masked off (they hold 0).
 * d holds the eight rows' columns, 8 * R doubles. */
__attribute__((target("avx512f"))) static void rows_short_mvec(int mode, bool f32, int64_t R, const char *x, int64_t xr,
                                                               int64_t xc, char *out, int64_t orr, int64_t oc,
                                                               int64_t r0, int64_t r1, double *d) {
    const __m512i xi = _mm512_set_epi64(7 * xr, 6 * xr, 5 * xr, 4 * xr, 3 * xr, 2 * xr, xr, 0);
    const __m512i oi = _mm512_set_epi64(7 * orr, 6 * orr, 5 * orr, 4 * orr, 3 * orr, 2 * orr, orr, 0);
    const __m512d zero = _mm512_setzero_pd();
    for (int64_t b0 = r0; b0 < r1; b0 += 8) {
        __mmask8 live = (__mmask8)(r1 - b0 >= 8 ? 0xff : (1u << (r1 - b0)) - 1);
        const char *xb = x + b0 * xr;
        char *ob = out + b0 * orr;
        __m512d w = _mm512_set1_pd(-INFINITY);
        for (int64_t j = 0; j < R; j++) {
            __m512d v = f32 ? _mm512_cvtps_pd(_mm512_mask_i64gather_ps(_mm256_setzero_ps(), live, xi, xb + j * xc, 1))
                            : _mm512_mask_i64gather_pd(zero, live, xi, xb + j * xc, 1);
            _mm512_storeu_pd(d + 8 * j, v);
            w = _mm512_max_pd(v, w);
        }
        /* W: the maximum where it is finite, else 0 */
        w = _mm512_maskz_mov_pd(_mm512_cmp_pd_mask(_mm512_sub_pd(w, w), zero, _CMP_EQ_OQ), w);
        __m512d sum = zero;
        for (int64_t j = 0; j < R; j++) {
            __m512d v = _mm512_sub_pd(_mm512_loadu_pd(d + 8 * j), w), e = (__m512d)mvec_exp8((v8d)v);
            sum = _mm512_add_pd(sum, e);
            _mm512_storeu_pd(d + 8 * j, mode == 1 ? v : e);
        }
        double k[8], s[8];
        _mm512_storeu_pd(s, sum);
        for (int l = 0; l < 8; l++) k[l] = mode == 0 ? 1 / s[l] : log(s[l]); /* libm's log, as the long rows */
        __m512d kv = _mm512_loadu_pd(k);
        if (mode == 2) {
            __m512d r = _mm512_add_pd(kv, w);
            if (f32) _mm512_mask_i64scatter_ps(ob, live, oi, _mm512_cvtpd_ps(r), 1);
            else _mm512_mask_i64scatter_pd(ob, live, oi, r, 1);
            continue;
        }
        for (int64_t j = 0; j < R; j++) {
            __m512d v = _mm512_loadu_pd(d + 8 * j);
            v = mode == 0 ? _mm512_mul_pd(v, kv) : _mm512_sub_pd(v, kv);
            if (f32) _mm512_mask_i64scatter_ps(ob + j * oc, live, oi, _mm512_cvtpd_ps(v), 1);
            else _mm512_mask_i64scatter_pd(ob + j * oc, live, oi, v, 1);
        }
    }
}
#endif

static void (*exp_block)(double *v, int64_t n) = exp_portable;
static bool exp_vector; /* exp_block is exp_mvec (a flag: exp_portable's clones make its address no test) */
static pthread_once_t exp_once = PTHREAD_ONCE_INIT;

static void exp_choose(void) {
#if defined(__x86_64__) && defined(__GNUC__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && host_mvec_loaded()) {
        void *e8 = dlsym(RTLD_DEFAULT, "_ZGVeN8v_exp");
        if (e8) {
            memcpy(&mvec_exp8, &e8, sizeof e8);
            exp_block = exp_mvec;
            exp_vector = true;
        }
    }
#endif
}

/* The rows [r0, r1) of one 2-D slice: row r at x + r*xr (elements XC bytes apart), out likewise
 * (OC); elements of LT, float32 rows computed in float64.  buf holds ROWS_BLOCK doubles twice
 * (x - W; e, for log_softmax).  A row's maximum ignores NaN: a row with a NaN has a NaN sum, and
 * every result of it is NaN whatever W is. */
#define ROWS_BODY(LT, XC, OC)                                                                                          \
    int64_t cols = R < ROWS_BLOCK ? R : ROWS_BLOCK; /* a row longer than a block goes in pieces */                     \
    for (int64_t b0 = r0; b0 < r1;) {                                                                                  \
        int64_t rows = ROWS_BLOCK / (R > 0 ? R : 1);                                                                   \
        if (rows < 1) rows = 1;                                                                                        \
        if (rows > r1 - b0) rows = r1 - b0;                                                                            \
        for (int64_t r = 0; r < rows; r++) { /* the maxima, W */                                                       \
            const char *xp = x + (b0 + r) * xr;                                                                        \
            double m = -INFINITY;                                                                                      \
            for (int64_t j = 0; j < R; j++) {                                                                          \
                double v = *(const LT *)(const void *)(xp + j * XC);                                                   \
                m = v > m ? v : m;                                                                                     \
            }                                                                                                          \
            W[r] = m - m == 0 ? m : 0;                                                                                 \
            S[r] = 0;                                                                                                  \
        }                                                                                                              \
        for (int64_t c0 = 0; c0 < R; c0 += cols) { /* the sums, a piece of each row at a time */                       \
            int64_t cn = R - c0 < cols ? R - c0 : cols;                                                                \
            double *d = (double *)buf, *e = mode == 1 ? d + ROWS_BLOCK : d;                                            \
            for (int64_t r = 0; r < rows; r++) {                                                                       \
                const char *xp = x + (b0 + r) * xr + c0 * XC;                                                          \
                for (int64_t j = 0; j < cn; j++) d[r * cn + j] = *(const LT *)(const void *)(xp + j * XC) - W[r];      \
            }                                                                                                          \
            if (e != d) memcpy(e, d, (size_t)(rows * cn) * sizeof *d);                                                 \
            exp_block(e, rows * cn);                                                                                   \
            for (int64_t r = 0; r < rows; r++) {                                                                       \
                double sum = S[r];                                                                                     \
                for (int64_t j = 0; j < cn; j++) sum += e[r * cn + j];                                                 \
                S[r] = sum;                                                                                            \
            }                                                                                                          \
            if (R > cols || mode == 2) continue;                                                                       \
            for (int64_t r = 0; r < rows; r++) { /* short rows: the results, from the block */                         \
                char *op = out + (b0 + r) * orr;                                                                       \
                double k = mode == 0 ? 1 / S[r] : log(S[r]);                                                           \
                if (mode == 0)                                                                                         \
                    for (int64_t j = 0; j < cn; j++) *(LT *)(void *)(op + j * OC) = (LT)(e[r * cn + j] * k);           \
                else                                                                                                   \
                    for (int64_t j = 0; j < cn; j++) *(LT *)(void *)(op + j * OC) = (LT)(d[r * cn + j] - k);           \
            }                                                                                                          \
        }                                                                                                              \
        for (int64_t r = 0; r < rows && R > cols && mode != 2; r++) { /* long rows: again, now the sum is known */     \
            const char *xp = x + (b0 + r) * xr;                                                                        \
            char *op = out + (b0 + r) * orr;                                                                           \
            double k = mode == 0 ? 1 / S[r] : log(S[r]), *d = (double *)buf;                                           \
            for (int64_t c = 0; c < R; c += cols) {                                                                    \
                int64_t m = R - c < cols ? R - c : cols;                                                               \
                for (int64_t j = 0; j < m; j++) d[j] = *(const LT *)(const void *)(xp + (c + j) * XC) - W[r];          \
                if (mode == 0) exp_block(d, m);                                                                        \
                for (int64_t j = 0; j < m; j++) *(LT *)(void *)(op + (c + j) * OC) = (LT)(mode == 0 ? d[j] * k : d[j] - k); \
            }                                                                                                          \
        }                                                                                                              \
        if (mode == 2)                                                                                                 \
            for (int64_t r = 0; r < rows; r++) *(LT *)(void *)(out + (b0 + r) * orr) = (LT)(log(S[r]) + W[r]);         \
        b0 += rows;                                                                                                    \
    }

/* The rows of one slice, for float64 and float32, with contiguous rows (their loops vectorize)
 * or any strides; one clone per ISA. */
#define ROWS_FN(NAME, LT, XC, OC)                                                                                      \
    KILN_CLONES static void NAME(int mode, int64_t R, const char *x, int64_t xr, int64_t xc, char *out, int64_t orr,   \
                                 int64_t oc, int64_t r0, int64_t r1, void *buf, double *W, double *S) {                \
        KILN_UNUSED(xc);                                                                                               \
        KILN_UNUSED(oc);                                                                                               \
        ROWS_BODY(LT, XC, OC)                                                                                          \
    }
ROWS_FN(rows_f64_contig, double, 8, 8)
ROWS_FN(rows_f64, double, xc, oc)
ROWS_FN(rows_f32_contig, float, 4, 4)
ROWS_FN(rows_f32, float, xc, oc)

kiln_status host_rows(void *state, kiln_ctx *ctx, const kiln_rows_args *a, int nthreads) {
    KILN_UNUSED(state);
    pthread_once(&exp_once, exp_choose);
    int nd = a->ndim;
    int64_t R = a->shape[nd - 1], xc = a->in_str[nd - 1], oc = a->out_str[nd - 1];
    /* the other dims: merged where both arrays walk them as one, the last of them split over
     * the threads, any before it walked one by one */
    int64_t shape[KILN_MAX_DIMS], xs[KILN_MAX_DIMS], os[KILN_MAX_DIMS];
    int m = 0;
    for (int d = 0; d < nd - 1; d++) {
        if (a->shape[d] == 1) continue;
        if (m > 0 && xs[m - 1] == a->in_str[d] * a->shape[d] && os[m - 1] == a->out_str[d] * a->shape[d]) {
            shape[m - 1] *= a->shape[d];
            xs[m - 1] = a->in_str[d];
            os[m - 1] = a->out_str[d];
            continue;
        }
        shape[m] = a->shape[d];
        xs[m] = a->in_str[d];
        os[m] = a->out_str[d];
        m++;
    }
    if (m == 0) {
        shape[0] = 1;
        xs[0] = os[0] = 0;
        m = 1;
    }
    int64_t outer = 1, rows = shape[m - 1];
    for (int d = 0; d < m - 1; d++) outer *= shape[d];
    for (int d = 0; d < m; d++)
        if (shape[d] == 0) return KILN_OK;
    int es = a->dt == KILN_F32 ? 4 : 8; /* (the blocks are float64 for both) */
    bool short_rows = exp_vector && R >= 1 && R <= ROWS_SHORT;
    int64_t per_row = R > 0 ? R : 1;
    int nt = nthreads;
    if (rows * per_row < 2 * KILN_HOST_GRAIN) nt = 1;
    if (nt > rows) nt = (int)rows;
    if (nt < 1) nt = 1;
    int64_t block_rows = ROWS_BLOCK / per_row > 0 ? ROWS_BLOCK / per_row : 1;
    /* each thread's block, W and S; eight short rows' columns alone (a few KiB: a block of 64 KiB
     * per thread would be over malloc's mmap threshold, and fresh pages every call) */
    size_t per = short_rows ? (size_t)8 * ROWS_SHORT * sizeof(double)
                            : (size_t)2 * ROWS_BLOCK * sizeof(double) + (size_t)2 * (size_t)block_rows * sizeof(double);
    char *mem = kiln_malloc(ctx, (size_t)nt * per);
    if (!mem) return KILN_ERR_NOMEM;
    atomic_bool stopped = false;
    for (int64_t o = 0; o < outer && !atomic_load(&stopped); o++) {
        int64_t rem = o, xo = 0, oo = 0;
        for (int d = m - 2; d >= 0; d--) {
            xo += (rem % shape[d]) * xs[d];
            oo += (rem % shape[d]) * os[d];
            rem /= shape[d];
        }
        const char *x = a->in + xo;
        char *out = a->out + oo;
        int64_t xr = xs[m - 1], orr = os[m - 1];
        KILN_OMP_IF(nt, "omp parallel num_threads(nt)",
        {
            int t = KILN_OMP_TID(nt), n = KILN_OMP_NTH(nt);
            int64_t r0 = rows * t / n, r1 = rows * (t + 1) / n;
            char *buf = mem + (size_t)t * per;
            double *W = (double *)(void *)(buf + (size_t)2 * ROWS_BLOCK * sizeof(double)), *S = W + block_rows;
            for (int64_t p = r0; p < r1; p += 1 << 14) { /* pieces, for kiln_interrupt */
                if (kiln_interrupted(ctx)) {
                    atomic_store(&stopped, true);
                    break;
                }
                int64_t p1 = r1 - p < (1 << 14) ? r1 : p + (1 << 14);
                bool contig = xc == es && oc == es;
#if defined(__x86_64__) && defined(__GNUC__)
                if (short_rows)
                    rows_short_mvec(a->mode, a->dt == KILN_F32, R, x, xr, xc, out, orr, oc, p, p1, (double *)buf);
                else
#endif
                if (a->dt == KILN_F32)
                    (contig ? rows_f32_contig : rows_f32)(a->mode, R, x, xr, xc, out, orr, oc, p, p1, buf, W, S);
                else
                    (contig ? rows_f64_contig : rows_f64)(a->mode, R, x, xr, xc, out, orr, oc, p, p1, buf, W, S);
            }
        });
    }
    kiln_free(ctx, mem);
    return atomic_load(&stopped) ? kiln_fail(ctx, KILN_ERR_INTERRUPTED, "interrupted") : KILN_OK;
}
