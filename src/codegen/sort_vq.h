/*
 * sort_vq.h — the vectorized quicksort's driver, shared by its two instruction sets
 * (sort_avx512.c, sort_avx2.c): each defines, for its key type T of L lanes, pivot_<sfx>,
 * leaf_<sfx>, a partition PART(x, n, p, how, &lo, &hi) and a fallback FALLBACK(x, y, n, how),
 * then VQ_DRIVER(sfx, T, L, PART, FALLBACK) makes pass_<sfx>, qs_<sfx> and qsel_<sfx>
 * (sort_avx512.c's comment says what each does); VQ_NETWORKS makes their leaves' networks.
 */
#ifndef KILN_SORT_VQ_H
#define KILN_SORT_VQ_H

#include "sort_avx512.h" /* (kiln_vsort_how) */

#define VQ_TASK (1 << 16) /* a range this long is sorted as a task of its own */

/* The loop after it unrolled up to n times (the leaves' loops, whose registers then stay in
 * registers); nothing where KILN_NO_UNROLL is defined (the sanitizers' builds: GCC under UBSan
 * cannot unroll them and warns at every loop, clang under ASan and UBSan takes minutes; correct
 * there, only slower). */
#define VQ_PRAGMA(x) _Pragma(#x)
#ifdef KILN_NO_UNROLL
#define VQ_UNROLL(n)
#else
#define VQ_UNROLL(n) VQ_PRAGMA(GCC unroll n)
#endif

/* F(args.., r) for the n keys of a leaf: r the fewest registers of L lanes (1, 2, 4, .., 32) that
 * hold them, a constant in each call (the leaves' copies inlined with their register count). */
#define VQ_BY_REGS(n, L, F, ...)                                                                              \
    do {                                                                                                      \
        if ((n) <= (L)) F(__VA_ARGS__, 1);                                                                    \
        else if ((n) <= 2 * (L)) F(__VA_ARGS__, 2);                                                           \
        else if ((n) <= 4 * (L)) F(__VA_ARGS__, 4);                                                           \
        else if ((n) <= 8 * (L)) F(__VA_ARGS__, 8);                                                           \
        else if ((n) <= 16 * (L)) F(__VA_ARGS__, 16);                                                         \
        else F(__VA_ARGS__, 32);                                                                              \
    } while (0)

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

/* A leaf's networks for registers of type V with L lanes, as x86-simd-sort (Intel's, NumPy's)
 * sorts n registers' keys: first each lane's column across the registers, by Batcher's odd-even
 * merge network (compare-exchanges of whole registers: no shuffles); then, for blocks of s = 2,
 * 4, .., L lanes, the two sorted halves of every block merged into one run ordered register by
 * register: a bitonic merge across the registers (the upper registers' blocks reversed, mirror
 * compare-exchanges, halved down to pairs), then within each register (a reversal and lane
 * swaps).  MINMAX(a, b, &mn, &mx) is a compare-exchange; REVS(v, s) reverses v's lanes within
 * blocks of s; SWAP(v, h) moves lane i to i ^ h; KEEP(v, p, h) keeps the smaller of v and p in
 * the lower halves of blocks of 2h lanes, the larger in the upper.  Inlined with n constant,
 * every loop unrolls and the keys stay in registers.  Makes regs_<sfx>(r, n): r[0..n) sorted,
 * the keys ordered register by register. */
#define VQ_NETWORKS(sfx, V, L, MINMAX, REVS, SWAP, KEEP)                                                      \
    static inline __attribute__((always_inline)) void columns_##sfx(V *r, const int n) {                      \
        VQ_UNROLL(8) for (int lp = 0; (1 << lp) < n; lp++)                                                    \
            VQ_UNROLL(8) for (int lk = lp; lk >= 0; lk--)                                                     \
                VQ_UNROLL(32) for (int a = 0; a < n; a++) {                                                   \
                    int k = 1 << lk, j0 = lk == lp ? 0 : k, b = a + k;                                         \
                    if (b < n && a >= j0 && !((a - j0) & k) && (a >> (lp + 1)) == (b >> (lp + 1)))            \
                        MINMAX(r[a], r[b], &r[a], &r[b]);                                                      \
                }                                                                                             \
    }                                                                                                         \
    static inline __attribute__((always_inline)) void blocks_##sfx(V *r, const int n, const int ls) {         \
        const int s = 1 << ls;                                                                                \
        VQ_UNROLL(8) for (int lm = 0; (n >> lm) >= 2; lm++) /* groups of n >> lm registers */                \
            VQ_UNROLL(32) for (int i = 0; i < n; i++) {                                                       \
                int m = n >> lm, g = i & ~(m - 1), o = i - g;                                                  \
                if (o < m / 2) MINMAX(r[i], REVS(r[g + m - 1 - o], s), &r[i], &r[g + m - 1 - o]);             \
            }                                                                                                 \
        VQ_UNROLL(32) for (int i = 0; i < n; i++) {                                                           \
            r[i] = KEEP(r[i], REVS(r[i], s), s / 2);                                                          \
            VQ_UNROLL(4) for (int lh = ls - 2; lh >= 0; lh--)                                                 \
                r[i] = KEEP(r[i], SWAP(r[i], 1 << lh), 1 << lh);                                              \
        }                                                                                                     \
    }                                                                                                         \
    static inline __attribute__((always_inline)) void regs_##sfx(V *r, const int n) {                         \
        columns_##sfx(r, n);                                                                                  \
        VQ_UNROLL(4) for (int ls = 1; (1 << ls) <= L; ls++) blocks_##sfx(r, n, ls);                           \
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
