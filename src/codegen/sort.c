/*
 * sort.c — sort and argsort along an axis, on the host (every backend's, CUDA's included).
 *
 * Pipeline position: the scan launch's sorting half (host_scan hands KILN_OP_SORT and
 * KILN_OP_ARGSORT here).
 *
 *   keys       each value becomes an unsigned key whose order is NumPy's order of the values:
 *              NaN last, all NaN equal, -0.0 equal to 0.0.  sort sorts the bare keys (as wide
 *              as the values: a float64 line is sorted in the output's own memory) and turns
 *              them back into values; argsort sorts (key, position) records.  Built without
 *              a branch on the sign, a contiguous line's in vectors, and turned back so:
 *              sort_avx512.c's where its quicksort runs, else sort_avx2.c's where the CPU has AVX2
 *   the sort   sort's keys on a CPU with AVX-512: a vectorized quicksort (sort_avx512.c), since
 *              equal keys are equal values (NaN's and -0.0's bits are put back below) and its
 *              passes are sequential, where a radix pass scatters, which costs more than the
 *              keys' compares on the machines measured; with AVX2 alone, the same quicksort in
 *              8 lanes (4 for 64-bit keys: sort_avx2.c).  Elsewhere, for argsort's records and
 *              as the quicksorts' fallback, a stable MSD radix sort: each pass takes the keys'
 *              range (min to max) and scatters by its top w bits (w ≤ 11, fewer for short
 *              runs), then sorts each bucket the same way, until a bucket is one key or short
 *              enough for an insertion sort (bare keys with AVX2: up to 128 by sort_avx2.c's
 *              networks; when it sorted float64 there, 10^4 of rand in 88-93 µs against 138,
 *              lines of 100 in 0.7 against 1.8).  Taking the range at every level makes skewed
 *              keys (a float's exponent) cost no extra passes, and past the first pass a
 *              bucket fits in cache
 *   threads    many lines: a line to a thread; fewer lines than threads: one line at a time,
 *              its keys built, its first pass counted and scattered, and its buckets sorted
 *              by all the threads
 *   exactness  keys lose -0.0's sign and NaN's payload; where a line has either, the zeros and
 *              the NaNs are written again from the input in its order (they are contiguous in
 *              the result, and a stable sort keeps equal values in their order)
 *   partition  (a sort with select) the vectorized quicksort's passes go on only into the sides
 *              that hold the ranks asked for (AVX2's for 64-bit keys too, in lines under 65536;
 *              in longer ones, and without AVX2, a scalar quickselect's do); a line
 *              with NaN or -0.0 (whose bits come back only from runs) sorts the whole line, one
 *              of the orders a partition allows.  argpartition (argsort with select) partitions bare keys the
 *              same way, then places each position by its key against the ranks' (argsel_line)
 *   runs       (unique's values, host_runs) the first of each run of equal values of a sorted
 *              line: a register compared with itself a lane back and the lanes that differ
 *              packed, by the quicksorts' files where they run
 *
 * Scratch (two key buffers of a line per thread) comes from the runtime's pool of huge-page
 * buffers, since fresh pages cost more than the sort on the machines kiln targets.
 */
#include "host.h"
#include "sort_avx2.h"
#include "sort_avx512.h"

#include <math.h>
#include <omp.h>
#include <string.h>

typedef struct sort_rec {
    uint64_t key;
    int64_t pos;
} sort_rec;

#define SORT_LEAF 32                /* runs this short: insertion sort */
#define SORT_NET_LEAF 128           /* ... or, where sort_avx2.c's networks serve, this short */
#define SORT_NET_MIN 12             /* ... and longer than this (this short: insertion) */
#define SORT_BITS 11                /* widest digit */
#define SORT_TOP_BITS 16            /* the digit of a line sorted by all the threads */
#define SORT_PAR_MIN (1 << 16)      /* a line this long may be sorted by all the threads */
#define SORT_TOP_RUN 4096           /* ... sharing its buckets in runs of about this many keys */
/* counts one recursion uses at most: each level's digit takes its w bits off the keys' range,
 * so Σ w ≤ 64 and Σ (2^w + 1) ≤ 5·2049 + 513 */
#define SORT_COUNTS (6 * ((1 << SORT_BITS) + 1))

static int digit_bits(int64_t n) {
    int w = 64 - __builtin_clzll((uint64_t)n); /* log2(n) + 1: most buckets hold a key or two */
    return w < 4 ? 4 : w > SORT_BITS ? SORT_BITS : w;
}

/* The first pass of a key range [lo, hi] (lo < hi) for n keys: shift and bucket count. */
static void digit_plan(uint64_t lo, uint64_t hi, int w, int *sh, int64_t *nb) {
    int rb = 64 - __builtin_clzll(hi - lo);
    *sh = rb > w ? rb - w : 0;
    *nb = (int64_t)((hi - lo) >> *sh) + 1;
}

/* The sort, for one element type T with key KEY(x): x[0..n) sorted stably, the result in x
 * when in_x, else in y (n more); cnt: SORT_COUNTS of scratch; net: runs of up to SORT_NET_LEAF
 * sorted by NET, not stably (bare keys only, where equal keys are equal bits; the caller
 * checks for AVX2).  sort_par_: the same with the first pass split among nt threads (x's keys
 * span [lo, hi]; hist: nt·65537 + 65537 counts, cnts: nt·SORT_COUNTS), the result in x. */
#define SORT_DEFINE(sfx, T, KEY, NET)                                                                    \
    static void sort_ins_##sfx(T *x, int64_t n) {                                                         \
        for (int64_t i = 1; i < n; i++) {                                                                 \
            T v = x[i];                                                                                   \
            int64_t j = i;                                                                                \
            for (; j > 0 && KEY(x[j - 1]) > KEY(v); j--) x[j] = x[j - 1];                                 \
            x[j] = v;                                                                                     \
        }                                                                                                 \
    }                                                                                                     \
    static inline void sort_leaf_##sfx(T *x, int64_t n, bool net) {                                       \
        if (net && n > SORT_NET_MIN) NET(x, n);                                                          \
        else sort_ins_##sfx(x, n);                                                                        \
    }                                                                                                     \
    static void sort_msd_##sfx(T *x, T *y, int64_t n, bool in_x, int64_t *cnt, bool net) {                \
        uint64_t lo = UINT64_MAX, hi = 0;                                                                 \
        int64_t leaf = net ? SORT_NET_LEAF : SORT_LEAF;                                                   \
        if (n > leaf)                                                                                     \
            for (int64_t i = 0; i < n; i++) {                                                             \
                uint64_t k = KEY(x[i]);                                                                   \
                lo = k < lo ? k : lo;                                                                     \
                hi = k > hi ? k : hi;                                                                     \
            }                                                                                             \
        if (n <= leaf || lo == hi) {                                                                      \
            if (n <= leaf) sort_leaf_##sfx(x, n, net);                                                    \
            if (!in_x) memcpy(y, x, (size_t)n * sizeof *x);                                               \
            return;                                                                                       \
        }                                                                                                 \
        int sh;                                                                                           \
        int64_t nb;                                                                                       \
        digit_plan(lo, hi, digit_bits(n), &sh, &nb);                                                     \
        memset(cnt, 0, (size_t)(nb + 1) * sizeof *cnt);                                                   \
        for (int64_t i = 0; i < n; i++) cnt[((KEY(x[i]) - lo) >> sh) + 1]++;                              \
        for (int64_t d = 1; d < nb; d++) cnt[d] += cnt[d - 1];                                            \
        for (int64_t i = 0; i < n; i++) y[cnt[(KEY(x[i]) - lo) >> sh]++] = x[i];                          \
        if (sh == 0) { /* each bucket is one key */                                                       \
            if (in_x) memcpy(x, y, (size_t)n * sizeof *x);                                                \
            return;                                                                                       \
        }                                                                                                 \
        for (int64_t d = 0, b0 = 0; d < nb; b0 = cnt[d++]) { /* bucket d: [b0, cnt[d]) */                 \
            int64_t len = cnt[d] - b0;                                                                    \
            if (len > leaf) sort_msd_##sfx(y + b0, x + b0, len, !in_x, cnt + nb + 1, net);                \
            else {                                                                                        \
                if (len > 1) sort_leaf_##sfx(y + b0, len, net);                                           \
                if (in_x)                                                                                 \
                    for (int64_t i = b0; i < b0 + len; i++) x[i] = y[i];                                  \
            }                                                                                             \
        }                                                                                                 \
    }                                                                                                     \
    static void sort_par_##sfx(T *x, T *y, int64_t n, uint64_t lo, uint64_t hi, int nt, int64_t *hist,   \
                               int64_t *cnts, bool net) {                                                 \
        if (lo == hi) return;                                                                             \
        int sh;                                                                                           \
        int64_t nb;                                                                                       \
        digit_plan(lo, hi, SORT_TOP_BITS, &sh, &nb);                                                     \
        int64_t *start = hist + (int64_t)nt * nb;                                                         \
        /* the buckets shared in runs of about SORT_TOP_RUN keys: one at a time, 65536 buckets            \
         * of one or two keys (10^5 int64 of a wide range) took 2 threads 3 to 9.5 ms, one 1.6 */         \
        int64_t chunk = nb * SORT_TOP_RUN / n + 1;                                                        \
        _Pragma("omp parallel num_threads(nt)") {                                                         \
            int t = omp_get_thread_num(), m = omp_get_num_threads();                                      \
            int64_t i0 = n * t / m, i1 = n * (t + 1) / m, *h = hist + (int64_t)t * nb;                    \
            memset(h, 0, (size_t)nb * sizeof *h);                                                         \
            for (int64_t i = i0; i < i1; i++) h[(KEY(x[i]) - lo) >> sh]++;                                \
            _Pragma("omp barrier") _Pragma("omp single") {                                                \
                int64_t at = 0;                                                                           \
                for (int64_t d = 0; d < nb; d++) {                                                        \
                    start[d] = at;                                                                        \
                    for (int u = 0; u < m; u++) {                                                         \
                        int64_t k = hist[(int64_t)u * nb + d];                                            \
                        hist[(int64_t)u * nb + d] = at;                                                   \
                        at += k;                                                                          \
                    }                                                                                     \
                }                                                                                         \
                start[nb] = n;                                                                            \
            }                                                                                             \
            for (int64_t i = i0; i < i1; i++) y[h[(KEY(x[i]) - lo) >> sh]++] = x[i];                      \
            _Pragma("omp barrier") if (sh == 0) memcpy(x + i0, y + i0, (size_t)(i1 - i0) * sizeof *x);    \
            else {                                                                                        \
                int64_t *cnt = cnts + (int64_t)t * SORT_COUNTS;                                           \
                _Pragma("omp for schedule(dynamic, chunk)") for (int64_t d = 0; d < nb; d++) {            \
                    int64_t b0 = start[d], len = start[d + 1] - b0;                                       \
                    if (len) sort_msd_##sfx(y + b0, x + b0, len, false, cnt, net);                        \
                }                                                                                         \
            }                                                                                             \
        }                                                                                                 \
    }

#define KEY_BARE(v) ((uint64_t)(v))
#define KEY_REC(v) ((v).key)
SORT_DEFINE(k32, uint32_t, KEY_BARE, kiln_leaf2_u32)
SORT_DEFINE(k64, uint64_t, KEY_BARE, kiln_leaf2_u64)
SORT_DEFINE(rec, sort_rec, KEY_REC, sort_ins_rec)

/* Bare keys x[lo, hi) partitioned in place so that ranks [a, b] (lo <= a <= b < hi) hold the
 * keys sorting puts there, none larger before them, none smaller after (what kiln_vselect_ does,
 * for a CPU without AVX2, and for AVX2's 64-bit keys in long lines: vsort says why): a
 * quickselect going on only into the sides that hold ranks asked for.  Its pivot is the median
 * of three keys, or in a range of SELECT_SAMPLED keys or more, a key of a sample picked to fall
 * just past the ranks, on the side nearer the range's end
 * (select_pivot): most of the range is left behind in one pass (argpartition(v, 500) of 10^6
 * keys: one pass and a few short ones, where halving took about two passes' work).  Each pass is
 * Lomuto's without branches (every key swapped, the boundary moved by the compare: a random key's
 * side costs no misprediction), into keys below the pivot and the rest, and the rest, where ranks
 * lie there and more than one key equals the pivot (or none is below it), into keys equal to it
 * and above (so that equal keys end the search).  A range of SORT_LEAF keys or fewer is sorted
 * by insertion, and one still long after `budget` passes (keys laid out against the pivots) by
 * the radix sort (y: scratch as long as x, cnt: SORT_COUNTS). */
#define SELECT_SAMPLED (1 << 16)
#define SELECT_SAMPLE 128
#define SELECT_DEFINE(sfx, T)                                                                                      \
    static T select_pivot_##sfx(const T *x, int64_t lo, int64_t hi, int64_t a, int64_t b) {                       \
        T s[SELECT_SAMPLE];                                                                                         \
        int64_t n = hi - lo;                                                                                        \
        for (int k = 0; k < SELECT_SAMPLE; k++) s[k] = x[lo + (2 * k + 1) * n / (2 * SELECT_SAMPLE)];              \
        sort_ins_##sfx(s, SELECT_SAMPLE);                                                                           \
        return s[select_sample_at(n, a - lo, b - lo)];                                                              \
    }                                                                                                               \
    static void select_##sfx(T *x, T *y, int64_t lo, int64_t hi, int64_t a, int64_t b, int budget, int64_t *cnt, bool net) { \
        while (hi - lo > SORT_LEAF) {                                                                               \
            if (budget-- == 0) {                                                                                    \
                sort_msd_##sfx(x + lo, y + lo, hi - lo, true, cnt, net);                                            \
                return;                                                                                             \
            }                                                                                                       \
            T p0 = x[lo], p1 = x[lo + (hi - lo) / 2], p2 = x[hi - 1];                                               \
            T p = hi - lo >= SELECT_SAMPLED ? select_pivot_##sfx(x, lo, hi, a, b)                                   \
                                            : p0 < p1 ? (p1 < p2 ? p1 : p0 < p2 ? p2 : p0) : (p0 < p2 ? p0 : p1 < p2 ? p2 : p1); \
            int64_t i = lo, e, eqs = 0;                                                                             \
            for (int64_t j = lo; j < hi; j++) { /* [lo, i) < p <= [i, j) */                                         \
                T v = x[j];                                                                                         \
                x[j] = x[i];                                                                                        \
                x[i] = v;                                                                                           \
                i += v < p;                                                                                         \
                eqs += v == p;                                                                                      \
            }                                                                                                       \
            if (a < i) {                                                                                            \
                if (b < i) {                                                                                        \
                    hi = i;                                                                                         \
                    continue;                                                                                       \
                }                                                                                                   \
                select_##sfx(x, y, lo, i, a, i - 1, budget, cnt, net); /* (ranks on both sides: the left's) */      \
                a = i;                                                                                              \
            }                                                                                                       \
            if (eqs == 1 && i > lo) { /* (the pivot alone: no pass to set it apart) */                             \
                lo = i;                                                                                             \
                continue;                                                                                           \
            }                                                                                                       \
            e = i;                                                                                                  \
            for (int64_t j = i; j < hi; j++) { /* [i, e) == p < [e, j) */                                           \
                T v = x[j];                                                                                         \
                x[j] = x[e];                                                                                        \
                x[e] = v;                                                                                           \
                e += v == p;                                                                                        \
            }                                                                                                       \
            if (b < e) return; /* (p is among them: e > i) */                                                       \
            a = a > e ? a : e;                                                                                      \
            lo = e;                                                                                                 \
        }                                                                                                           \
        sort_ins_##sfx(x + lo, hi - lo);                                                                            \
    }
/* Which key of a sorted sample of SELECT_SAMPLE, spread evenly over n keys, to make the pivot
 * for ranks [a, b] (of the n): where the ranks lie in the lower half, one that about 2.5
 * standard deviations of the sample's count make sure is above rank b (so the pass keeps the
 * keys below it, few where b is small); else one as surely below rank a. */
static int select_sample_at(int64_t n, int64_t a, int64_t b) {
    double fa = (double)a / (double)n, fb = (double)(b + 1) / (double)n, m = SELECT_SAMPLE;
    double q = fa + fb < 1 ? fb * m + 2.5 * sqrt(fb * m * (1 - fb)) + 1 : fa * m - 2.5 * sqrt(fa * m * (1 - fa)) - 1;
    return q < 0 ? 0 : q > m - 1 ? SELECT_SAMPLE - 1 : (int)q;
}
SELECT_DEFINE(k32, uint32_t)
SELECT_DEFINE(k64, uint64_t)

/* The vectorized quicksort's way out, where its ranges do not shrink: the radix sort. */
static void vsort_fallback32(void *x, void *y, int64_t n) {
    int64_t cnt[SORT_COUNTS];
    sort_msd_k32(x, y, n, true, cnt, true);
}

static void vsort_fallback64(void *x, void *y, int64_t n) {
    int64_t cnt[SORT_COUNTS];
    sort_msd_k64(x, y, n, true, cnt, true);
}

/* Whether sort's keys go to a vectorized quicksort, and which: sort_avx512.c's where this CPU has
 * AVX-512F and KILN_VECTOR_BYTES leaves it, else sort_avx2.c's where it has AVX2 and 32-byte
 * vectors are left (64-bit selects only in short lines: vsort says why) (asked once per sort,
 * not per line). */
typedef enum vsort_isa { VS_NONE, VS_AVX2, VS_AVX512 } vsort_isa;
static vsort_isa vsort_here(void) {
    if (__builtin_cpu_supports("avx512f") && host_vector_bytes() == 64) return VS_AVX512;
    return __builtin_cpu_supports("avx2") && host_vector_bytes() >= 32 ? VS_AVX2 : VS_NONE;
}

/* Sorts keys x[0..n) (y: n more) by the vectorized quicksort with nt threads where use (from
 * vsort_here) says so; false, and nothing done, where not.  With sel, only partitions them so
 * that ranks [a, b] are in place (one thread): by the vectorized quicksort's select where use
 * says so, else by the scalar one (cnt: SORT_COUNTS of scratch for its radix sort). */
static bool vsort(vsort_isa use, bool k64, void *x, void *y, int64_t n, int nt, bool sel, int64_t a, int64_t b, int64_t *cnt) {
    /* AVX2 and 64-bit keys: sorted by the quicksort since its leaves sort in registers (Zen 5
     * with KILN_VECTOR_BYTES=32, one thread: 10^4 float64 in 47-49 us, 10^5 in 0.61 ms, 10^6 in
     * 8.1-8.6 and rows of 1000 in 4.9-5.3, the radix sort in 49-52, 0.80, 10.3-10.8 and 9.7-10.2;
     * the old leaves lost to it: 10^5 in 1.8 ms against 1.2-1.4 on an AVX2 Zen); selected by the
     * quicksort's only in lines shorter than SELECT_SAMPLED: in longer ones the scalar select's
     * first pass, around a sample's key just past the ranks, leaves most keys behind (partition
     * of 10^6 float64 at rank 500 in 1.9 ms, AVX2's 2.8; at 10^5, 250000 and 500000 2.3-2.8
     * against 2.8-3.0), where float32's 8 lanes win at any rank (10^6 at rank 500 in 1.35 ms
     * against 1.75, at 500000 1.4 against 2.9) */
    bool avx2_no = use == VS_AVX2 && k64 && sel && n >= SELECT_SAMPLED;
    if (use == VS_NONE || n < 16 || avx2_no) { /* (a few keys: the radix sort's leaf sorts them) */
        if (!sel) return false;
        int budget = 2 * (64 - __builtin_clzll((uint64_t)n | 1)); /* (the quickselect in scalar code) */
        if (k64) select_k64(x, y, 0, n, a, b, budget, cnt, use != VS_NONE);
        else select_k32(x, y, 0, n, a, b, budget, cnt, use != VS_NONE);
        return true;
    }
    /* (AMD: registers, not the compressing stores, which are microcode on Zen 4; leaves of 32
     * registers, 1.2× as fast as 8 on Zen 5, where Intel's Emerald Rapids was the faster with 8) */
    bool amd = __builtin_cpu_is("amd");
    kiln_vsort_how how = {.compress_store = !amd, .fallback = k64 ? vsort_fallback64 : vsort_fallback32, .leaf = amd || n <= (k64 ? 128 : 256) ? 32 : 8};
    if (use == VS_AVX2) { /* (leaves of 16 registers: sort_avx2.c's default) */
        how.leaf = 0;
        if (sel && k64) kiln_vselect2_u64(x, y, n, a, b, &how);
        else if (sel) kiln_vselect2_u32(x, y, n, a, b, &how);
        else if (k64) kiln_vsort2_u64(x, y, n, nt, &how);
        else kiln_vsort2_u32(x, y, n, nt, &how);
        return true;
    }
    if (sel && k64) kiln_vselect_u64(x, y, n, a, b, &how);
    else if (sel) kiln_vselect_u32(x, y, n, a, b, &how);
    else if (k64) kiln_vsort_u64(x, y, n, nt, &how);
    else kiln_vsort_u32(x, y, n, nt, &how);
    return true;
}

/* ------------------------------------------------------------------ keys */

#define F64_NAN_KEY UINT64_MAX
#define F64_ZERO_KEY (1ull << 63)
#define F32_NAN_KEY UINT32_MAX
#define F32_ZERO_KEY (1u << 31)

/* The key of the value at v; *special set where it is NaN or -0.0. */
static inline uint64_t sort_key(const char *v, kiln_dtype dt, bool *special) {
    switch (dt) {
    case KILN_F64: { /* (no branches: a random sign would mispredict one in two; negatives' bits
                        all flipped, by the mask their sign spreads, others' sign bit) */
        uint64_t b;
        memcpy(&b, v, sizeof b);
        bool nan = (b & ~(1ull << 63)) > 0x7ff0000000000000ull, nz = b == 1ull << 63;
        *special |= nan | nz;
        b = nz ? 0 : b;
        return nan ? F64_NAN_KEY : b ^ ((uint64_t)((int64_t)b >> 63) | (1ull << 63));
    }
    case KILN_F32: {
        uint32_t b;
        memcpy(&b, v, sizeof b);
        bool nan = (b & ~(1u << 31)) > 0x7f800000u, nz = b == 1u << 31;
        *special |= nan | nz;
        b = nz ? 0 : b;
        return nan ? F32_NAN_KEY : b ^ ((uint32_t)((int32_t)b >> 31) | (1u << 31));
    }
    case KILN_I64: {
        uint64_t x;
        memcpy(&x, v, sizeof x);
        return x ^ (1ull << 63);
    }
    case KILN_I32: {
        uint32_t x;
        memcpy(&x, v, sizeof x);
        return x ^ (1u << 31);
    }
    case KILN_U32: {
        uint32_t x;
        memcpy(&x, v, sizeof x);
        return x;
    }
    case KILN_I16:
    case KILN_U16: {
        uint16_t x;
        memcpy(&x, v, sizeof x);
        return dt == KILN_I16 ? x ^ (1u << 15) : x;
    }
    case KILN_I8: return (uint8_t)*v ^ (1u << 7);
    default: return (uint8_t)*v;
    }
}

/* The value of key k written at v (NaN's key and zero's give some NaN and +0.0). */
static inline void sort_value(char *v, kiln_dtype dt, uint64_t k) {
    switch (dt) {
    case KILN_F64: {
        uint64_t b = k ^ ((uint64_t)((int64_t)~k >> 63) | (1ull << 63)); /* (sort_key's flips, undone) */
        memcpy(v, &b, sizeof b);
        break;
    }
    case KILN_F32: {
        uint32_t b = (uint32_t)k ^ ((uint32_t)((int32_t)~(uint32_t)k >> 31) | (1u << 31));
        memcpy(v, &b, sizeof b);
        break;
    }
    case KILN_I64: {
        uint64_t b = k ^ (1ull << 63);
        memcpy(v, &b, sizeof b);
        break;
    }
    case KILN_I32: {
        uint32_t b = (uint32_t)k ^ (1u << 31);
        memcpy(v, &b, sizeof b);
        break;
    }
    case KILN_U32: {
        uint32_t b = (uint32_t)k;
        memcpy(v, &b, sizeof b);
        break;
    }
    case KILN_I16:
    case KILN_U16: {
        uint16_t b = (uint16_t)(dt == KILN_I16 ? k ^ (1u << 15) : k);
        memcpy(v, &b, sizeof b);
        break;
    }
    case KILN_I8: *v = (char)(k ^ (1u << 7)); break;
    default: *v = (char)k;
    }
}

/* ------------------------------------------------------------------ lines */

typedef enum { SK_K32, SK_K64, SK_REC } sort_kind;

/* One line: in and out at its first element, strides is and os along it, len elements. */
typedef struct sort_line {
    const char *in;
    char *out;
    int64_t is, os, len;
} sort_line;

typedef struct sort_job {
    const kiln_scan_args *a;
    sort_kind kind;
    size_t ksz;   /* bytes of one key or record */
    size_t es;    /* bytes of one input element, and of one output's (argsort's: an int64) */
    size_t oes;
    bool in_out;  /* sort's keys are built in the output itself (contiguous, as wide as a key) */
    bool argsel;  /* argpartition: bare keys (kind K32 or K64), positions out (argsel_line) */
    vsort_isa vsort; /* sort's keys by a vectorized quicksort, and which (vsort_here) */
    bool avx2_keys; /* contiguous lines' keys built by sort_avx2.c (no AVX-512; as wide as the values) */
} sort_job;

/* Builds keys [k0, k1) of line l into x, the line's elements is bytes apart; their range into lo
 * and hi, a NaN or -0.0 into sp.  (build_as is inlined with dt, kind and, for a contiguous line,
 * is constant: the switches leave the loop, and it is vectorized.) */
static inline __attribute__((always_inline)) void build_as(const sort_line *l, int64_t is, void *x, int64_t k0, int64_t k1,
                                                           uint64_t *lo, uint64_t *hi, bool *sp, kiln_dtype dt, sort_kind kind) {
    uint64_t mn = UINT64_MAX, mx = 0;
    bool s = false;
    for (int64_t k = k0; k < k1; k++) {
        uint64_t key = sort_key(l->in + k * is, dt, &s);
        mn = key < mn ? key : mn;
        mx = key > mx ? key : mx;
        switch (kind) {
        case SK_K32: ((uint32_t *)x)[k] = (uint32_t)key; break;
        case SK_K64: ((uint64_t *)x)[k] = key; break;
        case SK_REC: ((sort_rec *)x)[k] = (sort_rec){key, k}; break;
        }
    }
    *lo = mn < *lo ? mn : *lo;
    *hi = mx > *hi ? mx : *hi;
    *sp = *sp || s;
}

#define BUILD_AS(DT, SZ, KIND)                                                                              \
    (l->is == (SZ) ? build_as(l, SZ, x, k0, k1, lo, hi, sp, DT, KIND) : build_as(l, l->is, x, k0, k1, lo, hi, sp, DT, KIND))
#define BUILD_CASE(DT, SZ, KEYS) \
    case DT: rec ? BUILD_AS(DT, SZ, SK_REC) : BUILD_AS(DT, SZ, KEYS); break;

/* Whether a contiguous line's keys are built and written back by sort_avx512.c's loops: sort's
 * keys where its quicksort runs (so the CPU has AVX-512), as wide as the values. */
static bool vector_keys(const sort_job *j, int64_t stride) {
    return j->vsort == VS_AVX512 && j->kind != SK_REC && stride == (int64_t)j->ksz && kiln_dtype_size(j->a->dt) == j->ksz && j->a->dt != KILN_U32; /* (signed and float keys only) */
}

static void build_keys(const sort_job *j, const sort_line *l, void *x, int64_t k0, int64_t k1, uint64_t *lo, uint64_t *hi,
                       bool *sp) {
    bool rec = j->kind == SK_REC, fl = dtype_is_float(j->a->dt);
    if (vector_keys(j, l->is)) {
        if (j->kind == SK_K64) *sp |= kiln_vsort_keys_u64((const uint64_t *)(const void *)l->in + k0, (uint64_t *)x + k0, k1 - k0, fl, lo, hi);
        else {
            uint32_t a = UINT32_MAX, b = 0;
            *sp |= kiln_vsort_keys_u32((const uint32_t *)(const void *)l->in + k0, (uint32_t *)x + k0, k1 - k0, fl, &a, &b);
            *lo = a < *lo ? a : *lo;
            *hi = b > *hi ? b : *hi;
        }
        return;
    }
    if (j->avx2_keys && l->is == (int64_t)j->ksz && !rec) { /* (vector_keys' lines, without AVX-512) */
        int64_t m = j->kind == SK_K64 ? kiln_keys_avx2_u64((const uint64_t *)(const void *)l->in + k0, (uint64_t *)x + k0, k1 - k0, fl, lo, hi, sp)
                                      : kiln_keys_avx2_u32((const uint32_t *)(const void *)l->in + k0, (uint32_t *)x + k0, k1 - k0, fl, lo, hi, sp);
        k0 += m;
    }
    switch (j->a->dt) {
        BUILD_CASE(KILN_F64, 8, SK_K64)
        BUILD_CASE(KILN_I64, 8, SK_K64)
        BUILD_CASE(KILN_F32, 4, SK_K32)
        BUILD_CASE(KILN_I32, 4, SK_K32)
        BUILD_CASE(KILN_U32, 4, SK_K32)
        BUILD_CASE(KILN_I16, 2, SK_K32)
        BUILD_CASE(KILN_U16, 2, SK_K32)
        BUILD_CASE(KILN_I8, 1, SK_K32)
    default: rec ? BUILD_AS(KILN_BOOL, 1, SK_REC) : BUILD_AS(KILN_BOOL, 1, SK_K32); break;
    }
}

/* Writes results [k0, k1) of the sorted x: values (sort) or positions (argsort), os bytes apart
 * (inlined as build_as is). */
static inline __attribute__((always_inline)) void write_as(const sort_line *l, int64_t os, const void *x, int64_t k0, int64_t k1,
                                                           kiln_dtype dt, sort_kind kind) {
    for (int64_t k = k0; k < k1; k++) {
        char *o = l->out + k * os;
        switch (kind) {
        case SK_K32: sort_value(o, dt, ((const uint32_t *)x)[k]); break;
        case SK_K64: sort_value(o, dt, ((const uint64_t *)x)[k]); break;
        case SK_REC: memcpy(o, &((const sort_rec *)x)[k].pos, sizeof(int64_t)); break;
        }
    }
}

#define WRITE_AS(DT, SZ, KIND) \
    (l->os == (SZ) ? write_as(l, SZ, x, k0, k1, DT, KIND) : write_as(l, l->os, x, k0, k1, DT, KIND))

static void write_results(const sort_job *j, const sort_line *l, const void *x, int64_t k0, int64_t k1) {
    if (j->kind == SK_REC) {
        WRITE_AS(KILN_I64, 8, SK_REC);
        return;
    }
    if (vector_keys(j, l->os)) {
        bool fl = dtype_is_float(j->a->dt);
        if (j->kind == SK_K64) kiln_vsort_values_u64((const uint64_t *)x + k0, (uint64_t *)(void *)l->out + k0, k1 - k0, fl);
        else kiln_vsort_values_u32((const uint32_t *)x + k0, (uint32_t *)(void *)l->out + k0, k1 - k0, fl);
        return;
    }
    if (j->avx2_keys && l->os == (int64_t)j->ksz) { /* (build_keys' vector lines: the values 8 or 4 at a time) */
        bool fl = dtype_is_float(j->a->dt);
        k0 += j->kind == SK_K64 ? kiln_values_avx2_u64((const uint64_t *)x + k0, (uint64_t *)(void *)l->out + k0, k1 - k0, fl)
                                : kiln_values_avx2_u32((const uint32_t *)x + k0, (uint32_t *)(void *)l->out + k0, k1 - k0, fl);
    }
    switch (j->a->dt) {
    case KILN_F64: WRITE_AS(KILN_F64, 8, SK_K64); break;
    case KILN_I64: WRITE_AS(KILN_I64, 8, SK_K64); break;
    case KILN_F32: WRITE_AS(KILN_F32, 4, SK_K32); break;
    case KILN_I32: WRITE_AS(KILN_I32, 4, SK_K32); break;
    case KILN_U32: WRITE_AS(KILN_U32, 4, SK_K32); break;
    case KILN_I16: WRITE_AS(KILN_I16, 2, SK_K32); break;
    case KILN_U16: WRITE_AS(KILN_U16, 2, SK_K32); break;
    case KILN_I8: WRITE_AS(KILN_I8, 1, SK_K32); break;
    default: WRITE_AS(KILN_BOOL, 1, SK_K32); break;
    }
}

static inline uint64_t key_at(const sort_job *j, const void *x, int64_t k) {
    return j->kind == SK_K32 ? ((const uint32_t *)x)[k] : ((const uint64_t *)x)[k];
}

/* First position of the sorted keys x[0..n) not below key. */
static int64_t lower_bound(const sort_job *j, const void *x, int64_t n, uint64_t key) {
    int64_t a = 0, b = n;
    while (a < b) {
        int64_t m = a + (b - a) / 2;
        uint64_t k = key_at(j, x, m);
        if (k < key) a = m + 1;
        else b = m;
    }
    return a;
}

/* sort of a float line that had NaN or -0.0: where its zeros' run and its NaNs' run begin in
 * the sorted keys x (before write_results, which may turn them into values in place). */
static void special_runs(const sort_job *j, const void *x, int64_t n, int64_t *z, int64_t *q) {
    bool f64 = j->a->dt == KILN_F64;
    *z = lower_bound(j, x, n, f64 ? F64_ZERO_KEY : F32_ZERO_KEY);
    *q = lower_bound(j, x, n, f64 ? F64_NAN_KEY : F32_NAN_KEY);
}

/* ... and those runs written again with the input's own bits, in its order. */
static void rewrite_specials(const sort_job *j, const sort_line *l, int64_t z, int64_t q) {
    bool f64 = j->a->dt == KILN_F64;
    size_t es = f64 ? 8 : 4;
    for (int64_t k = 0; k < l->len; k++) {
        const char *v = l->in + k * l->is;
        double d;
        if (f64) memcpy(&d, v, sizeof d);
        else {
            float f;
            memcpy(&f, v, sizeof f);
            d = f;
        }
        if (d != d) memcpy(l->out + q++ * l->os, v, es);
        else if (d == 0) memcpy(l->out + z++ * l->os, v, es);
    }
}

/* ------------------------------------------------------------------ argpartition */

#define ARGSEL_BLOCK 512 /* keys built again at a time by the placing pass */
#define ARGSEL_SPAN 256  /* ranks hi - lo at most (the IR's IR_PARTITION_SPAN is 255): fewer keys than that lie
                            strictly between */

/* Where argpartition's positions go as the keys are read again, by their keys against klo and
 * khi, the keys of ranks lo and hi: below klo to the output from the front, above khi from the
 * back; equal to klo to eqs (y) from its front, equal to khi (where it is not klo) from its
 * back; strictly between to mid (fewer than hi - lo of them).  One per thread of a line. */
typedef struct argsel_at {
    uint64_t klo, khi;
    int64_t below, up, eq, eqh, nmid;
    int64_t *eqs;
    sort_rec mid[ARGSEL_SPAN];
} argsel_at;

static inline __attribute__((always_inline)) void argsel_put(const sort_line *l, int64_t os, int64_t at, int64_t pos) {
    memcpy(l->out + at * os, &pos, sizeof pos);
}

/* Places positions p0.. of the n keys at keys (inlined with kind and os constant: most keys go
 * below or above, chosen without a branch); count: only counts them, the class's moves alike. */
static inline __attribute__((always_inline)) void argsel_place_as(argsel_at *w, const sort_line *l, int64_t os, const void *keys,
                                                                   int64_t p0, int64_t n, sort_kind kind, bool count) {
    uint64_t klo = w->klo, khi = w->khi, span = khi - klo;
    int64_t below = w->below, up = w->up, eq = w->eq, eqh = w->eqh, *eqs = w->eqs; /* (in registers: the stores may alias w) */
    for (int64_t k = 0; k < n; k++) {
        uint64_t key = kind == SK_K32 ? ((const uint32_t *)keys)[k] : ((const uint64_t *)keys)[k];
        if (__builtin_expect(key - klo > span, 1)) { /* (outside [klo, khi]: one compare, the side without a branch) */
            bool lt = key < klo;
            if (!count) argsel_put(l, os, lt ? below : up, p0 + k);
            below += lt;
            up -= !lt;
        } else if (key == klo) {
            if (!count) eqs[eq] = p0 + k;
            eq++;
        } else if (key == khi) {
            if (!count) eqs[eqh] = p0 + k;
            eqh--;
        } else if (!count) w->mid[w->nmid++] = (sort_rec){key, p0 + k};
    }
    w->below = below, w->up = up, w->eq = eq, w->eqh = eqh;
}

/* Keys [k0, k1) of line l built again, a block at a time, and placed (or counted) by w. */
static void argsel_place(const sort_job *j, const sort_line *l, argsel_at *w, int64_t k0, int64_t k1, bool count) {
    uint64_t keys[ARGSEL_BLOCK], mn = UINT64_MAX, mx = 0;
    bool sp = false, o8 = l->os == (int64_t)sizeof(int64_t);
    for (; k0 < k1; k0 += ARGSEL_BLOCK) {
        int64_t m = k1 - k0 < ARGSEL_BLOCK ? k1 - k0 : ARGSEL_BLOCK;
        sort_line b = {.in = l->in + k0 * l->is, .is = l->is, .len = m};
        build_keys(j, &b, keys, 0, m, &mn, &mx, &sp);
        if (count) j->kind == SK_K64 ? argsel_place_as(w, l, 8, keys, k0, m, SK_K64, true) : argsel_place_as(w, l, 8, keys, k0, m, SK_K32, true);
        else if (j->kind == SK_K64) o8 ? argsel_place_as(w, l, 8, keys, k0, m, SK_K64, false) : argsel_place_as(w, l, l->os, keys, k0, m, SK_K64, false);
        else o8 ? argsel_place_as(w, l, 8, keys, k0, m, SK_K32, false) : argsel_place_as(w, l, l->os, keys, k0, m, SK_K32, false);
    }
}

/* argpartition's line l (op ARGSORT with select) by nt threads (y: n int64): its keys in x,
 * partitioned by vsort's select (the vectorized quicksort's or the scalar one) so that ranks lo..hi hold
 * the keys sorting puts there; then the keys built again, block by block, and each position
 * placed by its key (argsel_at), each thread a run of the line (counted first where there are
 * more, so that each knows where its own go); the gap left between those below and those above
 * is filled with the positions of keys equal to klo, then the few between sorted by key, then
 * those equal to khi.  Equal keys (so NaNs, and 0.0 with -0.0) come in one of the orders
 * NumPy's partition allows. */
static void argsel_line(const sort_job *j, const sort_line *l, void *x, void *y, int nt, argsel_at *w, int64_t *cnt) {
    int64_t n = l->len, lo = j->a->kth_lo, hi = j->a->kth_hi, chunks = (n + KILN_HOST_GRAIN - 1) / KILN_HOST_GRAIN;
    bool k64 = j->kind == SK_K64;
    KILN_OMP_IF(nt, "omp parallel for num_threads(nt) schedule(static)",
    for (int64_t c = 0; c < chunks; c++) {
        int64_t k1 = (c + 1) * KILN_HOST_GRAIN;
        uint64_t mn = UINT64_MAX, mx = 0;
        bool sp = false;
        build_keys(j, l, x, c * KILN_HOST_GRAIN, k1 < n ? k1 : n, &mn, &mx, &sp);
    });
    vsort(j->vsort, k64, x, y, n, 1, true, lo, hi, cnt); /* (a select, vectorized or scalar) */
    uint64_t klo = key_at(j, x, lo), khi = key_at(j, x, hi);
    int team = 1; /* (the threads OpenMP gives, which may be fewer than nt) */
    KILN_OMP_IF(nt, "omp parallel num_threads(nt)",
    {
        int t = KILN_OMP_TID(nt), nth = KILN_OMP_NTH(nt);
        if (t == 0) team = nth;
        int64_t k0 = n * t / nth, k1 = n * (t + 1) / nth;
        argsel_at *me = &w[t];
        *me = (argsel_at){.klo = klo, .khi = khi, .eqs = y};
        if (nth > 1) { /* (counted first: where the threads before this one leave off) */
            argsel_place(j, l, me, k0, k1, true);
            _Pragma("omp barrier")
            int64_t below = 0, up = 0, eq = 0, eqh = 0;
            for (int s = 0; s < t; s++) below += w[s].below, up += w[s].up, eq += w[s].eq, eqh += w[s].eqh;
            _Pragma("omp barrier")
            *me = (argsel_at){.klo = klo, .khi = khi, .below = below, .up = up, .eq = eq, .eqh = eqh, .eqs = y};
        }
        me->up += n - 1, me->eqh += n - 1;
        argsel_place(j, l, me, k0, k1, false);
    });
    /* (each thread's runs of eqs follow the last's: those equal to klo are eqs[0, eq), to khi (eqh, n)) */
    const int64_t *eqs = y;
    int64_t at = w[team - 1].below, nmid = w[0].nmid;
    for (int64_t i = 0; i < w[team - 1].eq; i++) argsel_put(l, l->os, at++, eqs[i]);
    for (int t = 1; t < team; t++)
        for (int64_t i = 0; i < w[t].nmid; i++) w[0].mid[nmid++] = w[t].mid[i];
    sort_ins_rec(w[0].mid, nmid);
    for (int64_t i = 0; i < nmid; i++) argsel_put(l, l->os, at++, w[0].mid[i].pos);
    for (int64_t i = n - 1; i > w[team - 1].eqh; i--) argsel_put(l, l->os, at++, eqs[i]);
}

/* Line l sorted by this thread alone: x and y its two buffers (x unused where in_out). */
static void sort_alone(const sort_job *j, const sort_line *l, void *x, void *y, int64_t *cnt) {
    if (j->argsel) {
        argsel_at w;
        argsel_line(j, l, x, y, 1, &w, cnt);
        return;
    }
    if (j->in_out) x = l->out;
    uint64_t lo = UINT64_MAX, hi = 0;
    bool sp = false;
    int64_t z = 0, q = 0;
    build_keys(j, l, x, 0, l->len, &lo, &hi, &sp);
    if (j->kind == SK_REC || !vsort(j->vsort, j->kind == SK_K64, x, y, l->len, 1, j->a->select && !sp, j->a->kth_lo, j->a->kth_hi, cnt))
        switch (j->kind) {
        case SK_K32: sort_msd_k32(x, y, l->len, true, cnt, j->vsort != VS_NONE); break;
        case SK_K64: sort_msd_k64(x, y, l->len, true, cnt, j->vsort != VS_NONE); break;
        case SK_REC: sort_msd_rec(x, y, l->len, true, cnt, false); break;
        }
    sp = sp && j->kind != SK_REC;
    if (sp) special_runs(j, x, l->len, &z, &q);
    write_results(j, l, x, 0, l->len);
    if (sp) rewrite_specials(j, l, z, q);
}

/* Line l sorted by nt threads together (hist, cnts: sort_par_'s). */
static void sort_together(const sort_job *j, const sort_line *l, void *x, void *y, int nt, int64_t *hist, int64_t *cnts) {
    if (j->argsel) { /* (hist: room for nt argsel_at) */
        argsel_line(j, l, x, y, nt, (argsel_at *)(void *)hist, cnts);
        return;
    }
    if (j->in_out) x = l->out;
    uint64_t lo = UINT64_MAX, hi = 0;
    bool sp = false;
    int64_t n = l->len, z = 0, q = 0, chunks = (n + KILN_HOST_GRAIN - 1) / KILN_HOST_GRAIN;
    _Pragma("omp parallel for num_threads(nt) schedule(static) reduction(min : lo) reduction(max : hi) reduction(|| : sp)")
    for (int64_t c = 0; c < chunks; c++) {
        int64_t k1 = (c + 1) * KILN_HOST_GRAIN;
        build_keys(j, l, x, c * KILN_HOST_GRAIN, k1 < n ? k1 : n, &lo, &hi, &sp);
    }
    if (j->kind == SK_REC || !vsort(j->vsort, j->kind == SK_K64, x, y, n, nt, j->a->select && !sp, j->a->kth_lo, j->a->kth_hi, cnts))
        switch (j->kind) {
        case SK_K32: sort_par_k32(x, y, n, lo, hi, nt, hist, cnts, j->vsort != VS_NONE); break;
        case SK_K64: sort_par_k64(x, y, n, lo, hi, nt, hist, cnts, j->vsort != VS_NONE); break;
        case SK_REC: sort_par_rec(x, y, n, lo, hi, nt, hist, cnts, false); break;
        }
    sp = sp && j->kind != SK_REC;
    if (sp) special_runs(j, x, n, &z, &q);
    _Pragma("omp parallel for num_threads(nt) schedule(static)")
    for (int64_t c = 0; c < chunks; c++) {
        int64_t k1 = (c + 1) * KILN_HOST_GRAIN;
        write_results(j, l, x, c * KILN_HOST_GRAIN, k1 < n ? k1 : n);
    }
    if (sp) rewrite_specials(j, l, z, q);
}

/* Line number l (the dims other than the axis, in C order). */
static sort_line line_at(const kiln_scan_args *a, int64_t l) {
    int ax = a->axis;
    sort_line s = {.in = a->in, .out = a->out, .is = a->in_str[ax], .os = a->out_str[ax], .len = a->shape[ax]};
    for (int d = a->ndim - 1; d >= 0; d--) {
        if (d == ax) continue;
        int64_t i = l % a->shape[d];
        l /= a->shape[d];
        s.in += i * a->in_str[d];
        s.out += i * a->out_str[d];
    }
    return s;
}

static size_t up64(size_t n) { return (n + 63) & ~(size_t)63; }

/* Lines a dim's stride apart (sort(x, axis=0) of a C-ordered x) go SORT_GROUP neighbours at a
 * time when they fit SORT_GROUP_BYTES: each row's SORT_GROUP elements, one cache line, are
 * copied into the group's contiguous lines at once, sorted there, and written back row by row,
 * where each line alone would touch a line and a page per element. */
#define SORT_GROUP 8
#define SORT_GROUP_BYTES (1u << 20)

/* Copies len rows of g elements of es bytes: row k's, contiguous from rows + k·rs, to element k
 * of the g contiguous lines at lines + i·len·es (back: the other way round). */
static inline __attribute__((always_inline)) void group_copy_as(char *lines, char *rows, int64_t rs, int64_t len, int g, size_t es,
                                                                 bool back) {
    for (int64_t k = 0; k < len; k++) {
        char *r = rows + k * rs;
        for (int i = 0; i < g; i++) {
            char *l = lines + ((size_t)i * (size_t)len + (size_t)k) * es;
            if (back) memcpy(r + (size_t)i * es, l, es);
            else memcpy(l, r + (size_t)i * es, es);
        }
    }
}
static void group_copy(char *lines, char *rows, int64_t rs, int64_t len, int g, size_t es, bool back) {
    switch (es) { /* (a constant size: a move, not a call, per element) */
    case 8: group_copy_as(lines, rows, rs, len, g, 8, back); break;
    case 4: group_copy_as(lines, rows, rs, len, g, 4, back); break;
    case 2: group_copy_as(lines, rows, rs, len, g, 2, back); break;
    default: group_copy_as(lines, rows, rs, len, g, 1, back); break;
    }
}

/* Lines [l0, l1) sorted by this thread in groups (sort_grouped's condition holds): mine its
 * counts, then two key buffers, then two groups' worth of values. */
static void sort_groups(const sort_job *j, int64_t l0, int64_t l1, char *mine, size_t counts, size_t keys, atomic_bool *stopped,
                        kiln_ctx *ctx) {
    const kiln_scan_args *a = j->a;
    int last = a->ndim - 1;
    int64_t len = a->shape[a->axis], row = a->shape[last];
    size_t es = j->es, oes = j->oes;
    char *x = mine + counts, *y = x + keys, *gin = y + keys, *gout = gin + (size_t)SORT_GROUP * (size_t)len * es;
    for (int64_t l = l0; l < l1 && !atomic_load_explicit(stopped, memory_order_relaxed);) {
        if (kiln_interrupted(ctx)) {
            atomic_store(stopped, true);
            break;
        }
        int64_t at = l % row, g = SORT_GROUP; /* (a group stays within its row of the last dim) */
        if (g > row - at) g = row - at;
        if (g > l1 - l) g = l1 - l;
        sort_line first = line_at(a, l);
        group_copy(gin, (char *)first.in, first.is, len, (int)g, es, false);
        for (int i = 0; i < g; i++) {
            sort_line sl = {.in = gin + (size_t)i * (size_t)len * es, .out = gout + (size_t)i * (size_t)len * oes, .is = (int64_t)es,
                            .os = (int64_t)oes, .len = len};
            sort_alone(j, &sl, x, y, (int64_t *)(void *)mine);
        }
        group_copy(gout, first.out, first.os, len, (int)g, oes, true);
        l += g;
    }
}

/* Whether a's lines go in groups (sort_groups): the axis is not the last dim, which both in
 * and out walk contiguously, and a group's values fit SORT_GROUP_BYTES. */
static bool sort_grouped(const sort_job *j) {
    const kiln_scan_args *a = j->a;
    int last = a->ndim - 1;
    return a->axis != last && a->in_str[last] == (int64_t)j->es && a->out_str[last] == (int64_t)j->oes && a->shape[last] > 1 &&
           (size_t)SORT_GROUP * (size_t)a->shape[a->axis] * (j->es + j->oes) <= SORT_GROUP_BYTES;
}

kiln_status host_sort(kiln_ctx *ctx, const kiln_scan_args *a, int nthreads) {
    int ax = a->axis;
    int64_t len = a->shape[ax], lines = 1;
    for (int d = 0; d < a->ndim; d++)
        if (d != ax) lines *= a->shape[d];
    if (lines == 0 || len == 0) return KILN_OK;
    size_t es = kiln_dtype_size(a->dt);
    sort_job j = {.a = a, .vsort = vsort_here(), .es = es, .oes = a->op == KILN_OP_ARGSORT ? sizeof(int64_t) : es,
                  .argsel = a->op == KILN_OP_ARGSORT && a->select && a->kth_hi - a->kth_lo <= ARGSEL_SPAN};
    if (a->op == KILN_OP_ARGSORT && !j.argsel) j.kind = SK_REC, j.ksz = sizeof(sort_rec);
    else if (es == 8) j.kind = SK_K64, j.ksz = 8;
    else j.kind = SK_K32, j.ksz = 4;
    j.avx2_keys = j.vsort != VS_AVX512 && j.kind != SK_REC && j.ksz == es && a->dt != KILN_U32 && host_vector_bytes() >= 32 &&
                  __builtin_cpu_supports("avx2");
    if (a->op == KILN_OP_SORT && j.ksz == es && a->out_str[ax] == (int64_t)es) {
        int64_t ilo, ihi, olo, ohi;
        kiln_extent(a->ndim, a->shape, a->in_str, (int64_t)es, &ilo, &ihi);
        kiln_extent(a->ndim, a->shape, a->out_str, (int64_t)es, &olo, &ohi);
        j.in_out = a->out + ohi <= a->in + ilo || a->in + ihi <= a->out + olo; /* (the specials are read again from in) */
    }
    bool together = nthreads > 1 && lines < nthreads && len >= SORT_PAR_MIN, grouped = !together && sort_grouped(&j);
    if (grouped) j.in_out = false; /* (the keys in the thread's own buffers) */
    double work = (double)lines * (double)len * 8.0;
    int nt = together ? nthreads : work < 2.0 * KILN_HOST_GRAIN || lines < 2 ? 1 : nthreads;
    if (!together && nt > lines) nt = (int)lines;
    /* per thread (alone) or once (together): the counts, then the line's buffers */
    size_t keys = up64((size_t)len * (j.argsel ? sizeof(int64_t) : j.ksz)), counts = up64((size_t)SORT_COUNTS * sizeof(int64_t));
    size_t hist = !together ? 0
                  : j.argsel  ? up64((size_t)nt * sizeof(argsel_at))
                              : up64(((size_t)nt * (1 << SORT_TOP_BITS) + (1 << SORT_TOP_BITS) + 1) * sizeof(int64_t));
    size_t group = grouped ? up64((size_t)SORT_GROUP * (size_t)len * (es + j.oes)) : 0;
    size_t per = (together ? (size_t)nt * counts + hist : counts) + (j.in_out ? 1 : 2) * keys + group;
    size_t total = together ? per : per * (size_t)nt;
    char *buf = a->scratch ? a->scratch(ctx, total) : kiln_malloc(ctx, total);
    if (!buf) return KILN_ERR_NOMEM;
    atomic_bool stopped = false;
    if (together) {
        int64_t *cnts = (int64_t *)(void *)buf, *h = (int64_t *)(void *)(buf + (size_t)nt * counts);
        char *x = buf + (size_t)nt * counts + hist, *y = j.in_out ? x : x + keys;
        for (int64_t l = 0; l < lines && !stopped; l++) {
            if (kiln_interrupted(ctx)) stopped = true;
            else {
                sort_line sl = line_at(a, l);
                sort_together(&j, &sl, x, y, nt, h, cnts);
            }
        }
    } else {
        KILN_OMP_IF(nt, "omp parallel num_threads(nt)",
        {
            char *mine = buf + per * (size_t)KILN_OMP_TID(nt), *x = mine + counts, *y = j.in_out ? x : x + keys;
            if (grouped) { /* (each thread a run of lines, as the static schedule would give it) */
                int t = KILN_OMP_TID(nt), n = KILN_OMP_NTH(nt);
                sort_groups(&j, lines * t / n, lines * (t + 1) / n, mine, counts, keys, &stopped, ctx);
            } else {
                _Pragma("omp for schedule(static)")
                for (int64_t l = 0; l < lines; l++) {
                    if (atomic_load_explicit(&stopped, memory_order_relaxed)) continue;
                    if (kiln_interrupted(ctx)) {
                        atomic_store(&stopped, true);
                        continue;
                    }
                    sort_line sl = line_at(a, l);
                    sort_alone(&j, &sl, x, y, (int64_t *)(void *)mine);
                }
            }
        });
    }
    if (a->scratch_free) a->scratch_free(ctx, buf, total);
    else kiln_free(ctx, buf);
    return atomic_load(&stopped) ? kiln_fail(ctx, KILN_ERR_INTERRUPTED, "interrupted") : KILN_OK;
}

/* ------------------------------------------------------------------ searchsorted */

#define SEARCH_BLOCK 16     /* values searched in step together: their loads overlap */
#define SEARCH_CHUNK 16384  /* values a thread takes at a time */

/* The positions of the values [start, end) (flat over a->shape) in the sorted x, as NumPy's
 * binary_search: base moves past half of what is left while the key at base + half comes
 * before the value's.  The halving lengths depend on len alone, so a block of values takes
 * the same steps together (or, with a tree, they go down it together).  Keys order as NumPy's
 * sort does (NaN last); x's are read from keys when they were made once (else from x, each
 * time).  Found (a->search 3): whether the first of x not before the value equals it. */
static inline __attribute__((always_inline)) void search_range(const kiln_gather_args *a, const uint64_t *keys, const uint64_t *tree,
                                                               kiln_dtype dt, bool right, int64_t start, int64_t end) {
    int nd = a->ndim;
    bool found = a->search == 3;
    bool fl = dtype_is_float(dt);
    uint64_t nan_key = dt == KILN_F64 ? F64_NAN_KEY : F32_NAN_KEY;
    int64_t idx[KILN_MAX_DIMS], rem = start, len = a->axis_len, xs = a->axis_str;
    bool sp = false; /* (unread) */
    for (int d = nd - 1; d >= 0; d--) {
        idx[d] = rem % a->shape[d];
        rem /= a->shape[d];
    }
    for (int64_t p0 = start; p0 < end; p0 += SEARCH_BLOCK) {
        int m = end - p0 < SEARCH_BLOCK ? (int)(end - p0) : SEARCH_BLOCK;
        uint64_t key[SEARCH_BLOCK];
        int64_t base[SEARCH_BLOCK];
        char *out[SEARCH_BLOCK];
        if (nd == 1) /* (the common case: no carries) */
            for (int i = 0; i < m; i++) {
                out[i] = a->out + (p0 + i) * a->out_str[0];
                key[i] = sort_key(a->idx + (p0 + i) * a->idx_str[0], dt, &sp);
                base[i] = 0;
            }
        else
            for (int i = 0; i < m; i++) {
                const char *ip = a->idx;
                out[i] = a->out;
                for (int d = 0; d < nd; d++) ip += idx[d] * a->idx_str[d], out[i] += idx[d] * a->out_str[d];
                key[i] = sort_key(ip, dt, &sp);
                base[i] = 0;
                for (int d = nd - 1; d >= 0; d--) {
                    if (++idx[d] < a->shape[d]) break;
                    idx[d] = 0;
                }
            }
        if (tree) kiln_vtree_search(tree, len, key, m, right, base);
        else {
            for (int64_t n = len; n > 1; n -= n / 2) {
                int64_t half = n / 2;
                for (int i = 0; i < m; i++) {
                    uint64_t k = keys ? keys[base[i] + half] : sort_key(a->x + (base[i] + half) * xs, dt, &sp);
                    base[i] += half * (int64_t)(right ? k <= key[i] : k < key[i]); /* (no branch to mispredict) */
                }
            }
            for (int i = 0; i < m && len > 0; i++) {
                uint64_t k = keys ? keys[base[i]] : sort_key(a->x + base[i] * xs, dt, &sp);
                base[i] += right ? k <= key[i] : k < key[i];
            }
        }
        for (int i = 0; i < m; i++) {
            if (found) { /* the first not before it is it (NaN's key: no NaN equals it) */
                int64_t pos = base[i];
                bool hit = pos < len && (keys ? keys[pos] : sort_key(a->x + pos * xs, dt, &sp)) == key[i] && !(fl && key[i] == nan_key);
                memcpy(out[i], &hit, sizeof hit);
            } else memcpy(out[i], &base[i], sizeof base[i]);
        }
    }
}

#define SEARCH_CASE(dt)                                                                                                        \
    case dt:                                                                                                                   \
        if (tree) r ? search_range(a, keys, tree, dt, true, start, end) : search_range(a, keys, tree, dt, false, start, end);  \
        else if (keys) r ? search_range(a, keys, NULL, dt, true, start, end) : search_range(a, keys, NULL, dt, false, start, end); \
        else r ? search_range(a, NULL, NULL, dt, true, start, end) : search_range(a, NULL, NULL, dt, false, start, end);       \
        break;

static void search_chunk(const kiln_gather_args *a, const uint64_t *keys, const uint64_t *tree, int64_t start, int64_t end) {
    bool r = a->search == 2;
    switch (a->dt) {
        SEARCH_CASE(KILN_F64)
        SEARCH_CASE(KILN_F32)
        SEARCH_CASE(KILN_I64)
        SEARCH_CASE(KILN_I32)
        SEARCH_CASE(KILN_BOOL)
        SEARCH_CASE(KILN_U8)
        SEARCH_CASE(KILN_I8)
        SEARCH_CASE(KILN_I16)
        SEARCH_CASE(KILN_U16)
        SEARCH_CASE(KILN_U32)
    default: KILN_ASSERT(0 && "a dtype searchsorted does not know");
    }
}

kiln_status host_search(kiln_ctx *ctx, const kiln_gather_args *a, int nthreads) {
    int64_t total = 1, len = a->axis_len;
    for (int d = 0; d < a->ndim; d++) total *= a->shape[d];
    if (total == 0) return KILN_OK;
    int64_t chunks = (total + SEARCH_CHUNK - 1) / SEARCH_CHUNK;
    double work = (double)total * (2 + (len > 1 ? 63 - __builtin_clzll((uint64_t)len) : 0));
    int nt = work < 2.0 * KILN_HOST_GRAIN || chunks < 2 ? 1 : nthreads;
    if (nt > chunks) nt = (int)chunks;
    /* x's keys made once when the values are many more than x's elements: each is then one load */
    uint64_t *keys = len >= 64 && total >= 4 * len ? kiln_malloc(ctx, (size_t)len * sizeof *keys) : NULL;
    bool sp = false; /* (unread) */
    for (int64_t k = 0; keys && k < len; k++) keys[k] = sort_key(a->x + k * a->axis_str, a->dt, &sp);
    /* and, on CPUs with AVX-512 (the quicksort's), as a tree of 8-key nodes searched a node at a time */
    uint64_t *tree = keys && vsort_here() == VS_AVX512 ? kiln_malloc(ctx, (size_t)kiln_vtree_size(len) * sizeof *tree) : NULL;
    if (tree) kiln_vtree_build(keys, len, tree);
    atomic_bool stopped = false;
    KILN_OMP_IF(nt, "omp parallel for num_threads(nt) schedule(dynamic, 1)",
    for (int64_t c = 0; c < chunks; c++) {
        if (atomic_load_explicit(&stopped, memory_order_relaxed)) continue;
        if (kiln_interrupted(ctx)) {
            atomic_store(&stopped, true);
            continue;
        }
        search_chunk(a, keys, tree, c * SEARCH_CHUNK, c * SEARCH_CHUNK + SEARCH_CHUNK < total ? c * SEARCH_CHUNK + SEARCH_CHUNK : total);
    });
    kiln_free(ctx, tree);
    kiln_free(ctx, keys);
    return atomic_load(&stopped) ? kiln_fail(ctx, KILN_ERR_INTERRUPTED, "interrupted") : KILN_OK;
}

/* ------------------------------------------------------------------ unique's runs */

/* By sort_avx512.c's or sort_avx2.c's vectors where their quicksort runs (10^4 float64 counted
 * and written in about 1 us, the scalar loops took 7); else counted, then written back to front
 * with no branch, each value stored at its run's place so that a run's first is the one left
 * there. */
#define RUNS_AS(T, V512, V2)                                                                            \
    {                                                                                                   \
        const T *v = x;                                                                                 \
        if (use == VS_AVX512) return out ? V512(v, n, out) : V512(v, n, NULL);                          \
        if (use == VS_AVX2) return out ? V2(v, n, out, runs) : V2(v, n, NULL, 0);                       \
        if (!out) {                                                                                     \
            runs = n > 0;                                                                               \
            for (int64_t k = 1; k < n; k++) runs += v[k] != v[k - 1];                                   \
            return runs;                                                                                \
        }                                                                                               \
        T *o = out;                                                                                     \
        int64_t g = runs - 1;                                                                           \
        for (int64_t k = n - 1; k > 0; k--) {                                                           \
            o[g] = v[k];                                                                                \
            g -= v[k] != v[k - 1];                                                                      \
        }                                                                                               \
        if (n > 0) o[0] = v[0];                                                                         \
        return runs;                                                                                    \
    }
#define RUNS_NONE(...) 0
int64_t host_runs(kiln_dtype dt, const void *x, int64_t n, void *out, int64_t runs) {
    size_t es = kiln_dtype_size(dt);
    vsort_isa use = es == 4 || es == 8 ? vsort_here() : VS_NONE;
    if (dt == KILN_F64) RUNS_AS(double, kiln_vruns_f64, kiln_vruns2_f64)
    if (dt == KILN_F32) RUNS_AS(float, kiln_vruns_f32, kiln_vruns2_f32)
    if (es == 8) RUNS_AS(uint64_t, kiln_vruns_u64, kiln_vruns2_u64)
    if (es == 4) RUNS_AS(uint32_t, kiln_vruns_u32, kiln_vruns2_u32)
    if (es == 2) RUNS_AS(uint16_t, RUNS_NONE, RUNS_NONE)
    RUNS_AS(uint8_t, RUNS_NONE, RUNS_NONE)
}
