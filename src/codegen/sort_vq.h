/*
 * sort_vq.h — the vectorized quicksort's driver, shared by its two instruction sets
 * (sort_avx512.c, sort_avx2.c): each defines, for its key type T of L lanes, pivot_<sfx>,
 * leaf_<sfx>, a partition PART(x, n, p, how, &lo, &hi) and a fallback FALLBACK(x, y, n, how),
 * then VQ_DRIVER(sfx, T, L, PART, FALLBACK) makes pass_<sfx>, qs_<sfx> and qsel_<sfx>
 * (sort_avx512.c's comment says what each does).
 */
#ifndef KILN_SORT_VQ_H
#define KILN_SORT_VQ_H

#include "sort_avx512.h" /* (kiln_vsort_how) */

#define VQ_TASK (1 << 16) /* a range this long is sorted as a task of its own */

/* Levels of partitions before the fallback. */
static inline int vq_depth(int64_t n, const kiln_vsort_how *how) {
    return how->depth > 0 ? how->depth : 2 * (64 - __builtin_clzll((uint64_t)n | 1));
}

/* Where a partition reads its next k keys: from the side with less free space (x[l, rl) left,
 * x[rr, r) right), whose read span [rl, rr) shrinks by them. */
static inline int64_t vq_next(int64_t *rl, int64_t *rr, int64_t l, int64_t r, int64_t k) {
    if (r - *rr < *rl - l) return *rr -= k;
    *rl += k;
    return *rl - k;
}

#define VQ_DRIVER(sfx, T, L, PART, FALLBACK)                                                                  \
    /* one pass over x[0..n) (n > 2L): how many keys go left, below a pivot, with *firsts set where           \
     * the pivot was the smallest key (its copies are then the left side, in place); -1 where x is            \
     * done (all equal, or sorted by the fallback once *depth passes are spent) */                            \
    static int64_t pass_##sfx(T *x, T *y, int64_t n, int *depth, const kiln_vsort_how *how, bool *firsts) {   \
        if ((*depth)-- == 0) {                                                                                \
            FALLBACK(x, y, n, how);                                                                           \
            return -1;                                                                                        \
        }                                                                                                     \
        T lo, hi, p = pivot_##sfx(x, n);                                                                      \
        int64_t nl = PART(x, n, p, how, &lo, &hi);                                                            \
        if (lo == hi) return -1;                                                                              \
        *firsts = nl == 0;                                                                                    \
        return nl ? nl : PART(x, n, (T)(p + 1), how, &lo, &hi);                                               \
    }                                                                                                         \
    /* x[0..n) sorted in place (y: n of scratch for the fallback); par: inside the entry's own parallel       \
     * region (kiln_vsort's, kiln_vsort2's), where long ranges become tasks (elsewhere a task would           \
     * belong to the caller's team, and nothing here would wait for it) */                                    \
    static void qs_##sfx(T *x, T *y, int64_t n, int depth, bool par, const kiln_vsort_how *how) {             \
        while (n > (int64_t)how->leaf * L) {                                                                  \
            bool firsts;                                                                                      \
            int64_t nl = pass_##sfx(x, y, n, &depth, how, &firsts);                                           \
            if (nl < 0) return;                                                                               \
            if (!firsts && par && nl > VQ_TASK) { /* (firsts: the left side is done) */                       \
                T *a = x, *b = y;                                                                             \
                _Pragma("omp task firstprivate(a, b, nl, depth, how)") qs_##sfx(a, b, nl, depth, true, how);  \
            } else if (!firsts) qs_##sfx(x, y, nl, depth, par, how);                                          \
            x += nl, y += nl, n -= nl;                                                                        \
        }                                                                                                     \
        leaf_##sfx(x, n);                                                                                     \
    }                                                                                                         \
    /* x[0..n) partitioned in place: ranks [a, b] (0 <= a <= b < n) hold their sorted keys, no larger key     \
     * before them and no smaller after (quicksort's passes, each going on only where a rank wanted is) */    \
    static void qsel_##sfx(T *x, T *y, int64_t n, int64_t a, int64_t b, int depth, const kiln_vsort_how *how) {\
        while (n > (int64_t)how->leaf * L) {                                                                  \
            bool firsts;                                                                                      \
            int64_t nl = pass_##sfx(x, y, n, &depth, how, &firsts);                                           \
            if (nl < 0 || (firsts && b < nl)) return;                                                         \
            if (firsts) a = a > nl ? a - nl : 0;                                                              \
            else if (b < nl) {                                                                                \
                n = nl;                                                                                       \
                continue;                                                                                     \
            } else if (a < nl) {                                                                              \
                qsel_##sfx(x, y, nl, a, nl - 1, depth, how);                                                  \
                a = 0;                                                                                        \
            } else a -= nl;                                                                                   \
            x += nl, y += nl, n -= nl, b -= nl;                                                               \
        }                                                                                                     \
        leaf_##sfx(x, n);                                                                                     \
    }

#endif
