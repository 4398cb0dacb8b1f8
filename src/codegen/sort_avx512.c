/*
 * sort_avx512.c — sort's keys by a vectorized quicksort, for CPUs with AVX-512 (flags in
 * CMakeLists.txt; sort.c calls here only where the CPU has them).
 *
 * Pipeline position: sort.c builds the keys of a line (unsigned integers whose order is NumPy's
 * order of the values), sorts them here or by its radix sort, and turns them back into values.
 * Only sort's keys come here: equal keys are equal values, so the order need not be stable
 * (argsort's records keep the stable radix sort).
 *
 *   partition  in place, a pass over the keys with 16 (8) lanes at a time: a lane compare
 *              against the pivot, the lows stored to the left and the highs to the right (by
 *              compressing stores on Intel; on AMD, 64-bit keys permuted once by a table of the
 *              compare's masks, 32-bit ones compressed; part_ says why no store overwrites a key
 *              not yet read)
 *   pivot      the median of 16 keys sampled across the range, sorted by a leaf; the pass also
 *              takes the range's smallest and largest key: a range of equal keys is done, and a
 *              pivot that was the smallest splits again at pivot + 1
 *   leaves     up to kiln_vsort_how.leaf registers of keys (a power of two of them), sorted in
 *              registers as x86-simd-sort sorts them (sort_vq.h's VQ_NETWORKS): masked loads
 *              padded with the largest key, masked stores
 *   bounds     past 2 log2(n) levels, a range goes to the caller's sort (sort.c's radix sort),
 *              so no input makes the sort quadratic
 *   threads    ranges longer than VQ_TASK (sort_vq.h) become OpenMP tasks
 *   select     partition's: the same passes, each going on only into the sides that hold the
 *              ranks asked for (expected 2n to 3n keys read, not n log n)
 */
#include "sort_avx512.h"
#include "sort_avx2.h"
#include "sort_vq.h"

#include <immintrin.h>
#include <omp.h>
#include <string.h>

#define VSORT_LEAF_MAX 32   /* registers of keys a leaf may sort (kiln_vsort_how.leaf) */
#define VSORT_UNROLL 4      /* registers a partition reads at a time */

/* the permutation that puts the lanes in m (of 8) first, then the others (sort_avx2.c's table) */
static inline __m512i vsort_order_of(unsigned m) { return _mm512_cvtepu8_epi64(_mm_cvtsi64_si128((long long)kiln_perm8[m])); }

/* The mask of the lanes i (of 16) where i & h != 0: the upper lanes of blocks of 2h.  (A constant
 * expression where h is: a mask computed in a loop stayed a loop in every step.) */
#define MB(i, h) ((unsigned)(((i) & (h)) != 0) << (i))
#define UPPER(h)                                                                                              \
    (MB(0, h) | MB(1, h) | MB(2, h) | MB(3, h) | MB(4, h) | MB(5, h) | MB(6, h) | MB(7, h) | MB(8, h) |       \
     MB(9, h) | MB(10, h) | MB(11, h) | MB(12, h) | MB(13, h) | MB(14, h) | MB(15, h))

/* The sort for one key width: T the key, L the lanes, S the intrinsics' suffix (epi32, epi64),
 * U the unsigned compares' (epu32, epu64), M the mask type, IOTA the lane numbers, MAXV the
 * largest key, INF the bits of the float of T's width that is +inf.  A leaf of n registers sorts
 * their keys by VQ_NETWORKS (sort_vq.h), inlined with n constant. */
#define VSORT_DEFINE(sfx, T, L, S, U, M, IOTA, MAXV, INF)                                                     \
    /* v's lanes i ^ h: an in-lane shuffle where h spans 4 or 8 bytes, a shuffle of 128-bit blocks            \
     * where it spans 16 or 32 (cheaper than a permute by an index register) */                               \
    static inline __m512i swap_##sfx(__m512i v, int h) {                                                      \
        switch (h * (int)sizeof(T)) {                                                                         \
        case 4: return _mm512_shuffle_epi32(v, (_MM_PERM_ENUM)0xB1);                                          \
        case 8: return _mm512_shuffle_epi32(v, (_MM_PERM_ENUM)0x4E);                                          \
        case 16: return _mm512_shuffle_i64x2(v, v, 0xB1);                                                     \
        default: return _mm512_shuffle_i64x2(v, v, 0x4E);                                                     \
        }                                                                                                     \
    }                                                                                                         \
    /* v's lanes reversed within blocks of s */                                                               \
    static inline __m512i rev_##sfx(__m512i v, int s) {                                                       \
        switch (s * (int)sizeof(T)) {                                                                         \
        case 8: return _mm512_shuffle_epi32(v, (_MM_PERM_ENUM)0xB1);                                          \
        case 16: return _mm512_shuffle_epi32(v, (_MM_PERM_ENUM)(sizeof(T) == 4 ? 0x1B : 0x4E));               \
        case 32:                                                                                              \
            if (sizeof(T) == 8) return _mm512_permutex_epi64(v, 0x1B);                                        \
            /* fall through */                                                                                \
        default: return _mm512_permutexvar_##S(_mm512_xor_si512(IOTA, _mm512_set1_##S(s - 1)), v);            \
        }                                                                                                     \
    }                                                                                                         \
    /* the lane-wise smaller of a and b to *mn, the larger to *mx */                                          \
    static inline void minmax_##sfx(__m512i a, __m512i b, __m512i *mn, __m512i *mx) {                         \
        *mn = _mm512_min_##U(a, b);                                                                           \
        *mx = _mm512_max_##U(a, b);                                                                           \
    }                                                                                                         \
    /* v against p (v's lanes moved within blocks of 2h): the smaller to the blocks' lower halves */          \
    static inline __m512i keep_##sfx(__m512i v, __m512i p, int h) {                                           \
        return _mm512_mask_blend_##S((M)UPPER(h), _mm512_min_##U(v, p), _mm512_max_##U(v, p));                \
    }                                                                                                         \
    VQ_NETWORKS(sfx, __m512i, L, minmax_##sfx, rev_##sfx, swap_##sfx, keep_##sfx)                             \
    /* the mask of a register's first c lanes (c may be below 0 or above L) */                                \
    static inline M lanes_##sfx(int64_t c) { return c >= L ? (M)~(M)0 : c > 0 ? (M)((1u << c) - 1) : 0; }     \
    /* x[0..c) (n/2·L < c <= n·L, or c <= L where n = 1) sorted in place in n registers (a constant           \
     * where inlined), padded with the largest key */                                                         \
    static inline __attribute__((always_inline)) void leaf_n_##sfx(T *x, int64_t c, const int n) {            \
        __m512i r[VSORT_LEAF_MAX];                                                                            \
        VQ_UNROLL(32) for (int i = 0; i < n; i++)                                                             \
            r[i] = i < n / 2 ? _mm512_loadu_si512(x + i * L)                                                  \
                             : _mm512_mask_loadu_##S(_mm512_set1_##S(MAXV), lanes_##sfx(c - (int64_t)i * L),  \
                                                     x + i * L);                                              \
        regs_##sfx(r, n);                                                                                     \
        VQ_UNROLL(32) for (int i = 0; i < n; i++) {                                                           \
            if (i < n / 2) _mm512_storeu_si512(x + i * L, r[i]);                                              \
            else _mm512_mask_storeu_##S(x + i * L, lanes_##sfx(c - (int64_t)i * L), r[i]);                    \
        }                                                                                                     \
    }                                                                                                         \
    /* up to VSORT_LEAF_MAX registers' keys of x sorted in place, by the leaf of the fewest registers */      \
    static void leaf_##sfx(T *x, int64_t n) { VQ_BY_REGS(n, L, leaf_n_##sfx, x, n); }                         \
    /* v's keys below P to x + *l on, the others to end at x + *r: by compressing stores where cs (one        \
     * instruction each, the fastest on Intel's cores, but microcode on AMD's); else, where whole, v          \
     * permuted (64-bit keys: by kiln_perm8, one permute; 32-bit: compressed, and expanded to the top)        \
     * and stored whole to both sides (the lanes past their keys land on free space: the caller's care);      \
     * else compressed and stored masked */                                                                   \
    static inline void put_##sfx(T *x, __m512i v, __m512i P, M in, bool whole, bool cs, int64_t *l, int64_t *r, \
                                 __m512i *mn, __m512i *mx) {                                                  \
        M lt = _mm512_mask_cmp_##U##_mask(in, v, P, _MM_CMPINT_LT), ge = (M)(in & ~lt);                       \
        int c = __builtin_popcount(lt), h = __builtin_popcount(ge);                                           \
        if (cs) {                                                                                             \
            _mm512_mask_compressstoreu_##S(x + *l, lt, v);                                                    \
            _mm512_mask_compressstoreu_##S(x + *r - h, ge, v);                                                \
        } else if (whole && L == 8) { /* (one permute: the keys below P first, then the others) */            \
            __m512i w = _mm512_permutexvar_epi64(vsort_order_of((unsigned)lt), v);                            \
            _mm512_storeu_si512(x + *l, w);                                                                   \
            _mm512_storeu_si512(x + *r - L, w);                                                               \
        } else if (whole) {                                                                                   \
            _mm512_storeu_si512(x + *l, _mm512_maskz_compress_##S(lt, v));                                    \
            _mm512_storeu_si512(x + *r - L, _mm512_maskz_expand_##S((M)(~0u << (L - h)),                      \
                                                                   _mm512_maskz_compress_##S(ge, v)));        \
        } else {                                                                                              \
            _mm512_mask_storeu_##S(x + *l, lanes_##sfx(c), _mm512_maskz_compress_##S(lt, v));                 \
            _mm512_mask_storeu_##S(x + *r - h, lanes_##sfx(h), _mm512_maskz_compress_##S(ge, v));             \
        }                                                                                                     \
        *l += c;                                                                                              \
        *r -= h;                                                                                              \
        *mn = _mm512_mask_min_##U(*mn, in, *mn, v);                                                           \
        *mx = _mm512_mask_max_##U(*mx, in, *mx, v);                                                           \
    }                                                                                                         \
    /* x[0..n) (n >= 2L) partitioned in place: keys below p first; returns how many, the smallest and         \
     * largest key in *lo and *hi.  The first u and last u registers and the n mod L keys past the last       \
     * whole one are held at the start, so 2uL + n mod L places are free; u registers at a time are read      \
     * from the side with less free space, so both then have uL or more, and each of their whole stores       \
     * lands on free space.  When all are read, the free places are as many as the keys held, which are       \
     * stored exactly.  (u = VSORT_UNROLL where n allows: the side is a coin toss, one branch per u.) */      \
    static int64_t part_##sfx(T *x, int64_t n, T p, bool cs, T *lo, T *hi) {                                  \
        __m512i P = _mm512_set1_##S(p), mn = _mm512_set1_##S(MAXV), mx = _mm512_setzero_si512();              \
        int u = n >= 2 * VSORT_UNROLL * L ? VSORT_UNROLL : 1;                                                 \
        int64_t q = n / L * L, rl = (int64_t)u * L, rr = q - (int64_t)u * L, l = 0, r = n;                    \
        M all = lanes_##sfx(L), tail = lanes_##sfx(n - q);                                                    \
        __m512i held[2 * VSORT_UNROLL + 1];                                                                   \
        for (int i = 0; i < u; i++) {                                                                         \
            held[i] = _mm512_loadu_si512(x + i * L);                                                          \
            held[u + i] = _mm512_loadu_si512(x + rr + i * L);                                                 \
        }                                                                                                     \
        held[2 * u] = _mm512_maskz_loadu_##S(tail, x + q);                                                    \
        while (u > 1 && rr - rl >= (int64_t)u * L) {                                                          \
            __m512i v[VSORT_UNROLL];                                                                          \
            const T *at = x + vq_next(&rl, &rr, l, r, (int64_t)u * L);                                        \
            for (int i = 0; i < VSORT_UNROLL; i++) v[i] = _mm512_loadu_si512(at + i * L);                     \
            for (int i = 0; i < VSORT_UNROLL; i++) put_##sfx(x, v[i], P, all, true, cs, &l, &r, &mn, &mx);    \
        }                                                                                                     \
        while (rl < rr) { /* one register at a time: u = 1, or fewer than u registers left */                 \
            const T *at = x + vq_next(&rl, &rr, l, r, L);                                                     \
            put_##sfx(x, _mm512_loadu_si512(at), P, all, true, cs, &l, &r, &mn, &mx);                         \
        }                                                                                                     \
        for (int i = 0; i <= 2 * u; i++) put_##sfx(x, held[i], P, i < 2 * u ? all : tail, false, cs, &l, &r, &mn, &mx); \
        *lo = (T)_mm512_reduce_min_##U(mn);                                                                   \
        *hi = (T)_mm512_reduce_max_##U(mx);                                                                   \
        return l;                                                                                             \
    }                                                                                                         \
    /* the median of 16 keys sampled across x[0..n) */                                                        \
    static T pivot_##sfx(const T *x, int64_t n) {                                                             \
        T s[16];                                                                                              \
        for (int i = 0; i < 16; i++) s[i] = x[(n * (2 * i + 1)) / 32];                                        \
        leaf_n_##sfx(s, 16, 16 / L);                                                                          \
        return s[8];                                                                                          \
    }                                                                                                         \
    static inline int64_t part_how_##sfx(T *x, int64_t n, T p, const kiln_vsort_how *how, T *lo, T *hi) {     \
        return part_##sfx(x, n, p, how->compress_store, lo, hi);                                              \
    }                                                                                                         \
    static inline void fallback_##sfx(T *x, T *y, int64_t n, const kiln_vsort_how *how) { how->fallback(x, y, n); } \
    VQ_DRIVER(sfx, T, L, part_how_##sfx, fallback_##sfx)                                                      \
    /* one register of keys (the lanes in m) from values b: floats (fl) as sort.c's sort_key, with their      \
     * NaN and -0.0 lanes or-ed into *sp, else integers; their range into *mn and *mx */                      \
    static inline __m512i key_##sfx(__m512i b, M m, bool fl, M *sp, __m512i *mn, __m512i *mx) {               \
        __m512i sign = _mm512_set1_##S((T)1 << (8 * sizeof(T) - 1)), ones = _mm512_set1_##S(MAXV), k;         \
        if (fl) {                                                                                             \
            M nan = _mm512_mask_cmp_##U##_mask(m, _mm512_andnot_si512(sign, b), _mm512_set1_##S(INF), _MM_CMPINT_NLE); \
            M nz = _mm512_mask_cmp_##U##_mask(m, b, sign, _MM_CMPINT_EQ);                                     \
            b = _mm512_mask_mov_##S(b, nz, _mm512_setzero_si512());                                           \
            k = _mm512_mask_blend_##S(_mm512_test_##S##_mask(b, sign), _mm512_or_si512(b, sign),              \
                                      _mm512_xor_si512(b, ones));                                             \
            k = _mm512_mask_mov_##S(k, nan, ones);                                                            \
            *sp = (M)(*sp | nan | nz);                                                                        \
        } else k = _mm512_xor_si512(b, sign);                                                                 \
        *mn = _mm512_mask_min_##U(*mn, m, *mn, k);                                                            \
        *mx = _mm512_mask_max_##U(*mx, m, *mx, k);                                                            \
        return k;                                                                                             \
    }                                                                                                         \
    bool kiln_vsort_keys_##sfx(const T *in, T *out, int64_t n, bool fl, T *lo, T *hi) {                       \
        __m512i mn = _mm512_set1_##S(MAXV), mx = _mm512_setzero_si512();                                      \
        M sp = 0;                                                                                             \
        int64_t i = 0;                                                                                        \
        for (; i + L <= n; i += L)                                                                            \
            _mm512_storeu_si512(out + i, key_##sfx(_mm512_loadu_si512(in + i), (M)~(M)0, fl, &sp, &mn, &mx)); \
        M t = lanes_##sfx(n - i);                                                                             \
        if (t) _mm512_mask_storeu_##S(out + i, t, key_##sfx(_mm512_maskz_loadu_##S(t, in + i), t, fl, &sp, &mn, &mx)); \
        T a = (T)_mm512_reduce_min_##U(mn), b = (T)_mm512_reduce_max_##U(mx);                                 \
        *lo = a < *lo ? a : *lo;                                                                              \
        *hi = b > *hi ? b : *hi;                                                                              \
        return sp != 0;                                                                                       \
    }                                                                                                         \
    /* one register of values from keys k (sort.c's sort_value) */                                            \
    static inline __m512i value_##sfx(__m512i k, bool fl) {                                                   \
        __m512i sign = _mm512_set1_##S((T)1 << (8 * sizeof(T) - 1));                                          \
        if (!fl) return _mm512_xor_si512(k, sign);                                                            \
        return _mm512_mask_blend_##S(_mm512_test_##S##_mask(k, sign), _mm512_xor_si512(k, _mm512_set1_##S(MAXV)), \
                                     _mm512_xor_si512(k, sign));                                              \
    }                                                                                                         \
    void kiln_vsort_values_##sfx(const T *keys, T *out, int64_t n, bool fl) {                                 \
        int64_t i = 0;                                                                                        \
        for (; i + L <= n; i += L) _mm512_storeu_si512(out + i, value_##sfx(_mm512_loadu_si512(keys + i), fl)); \
        M t = lanes_##sfx(n - i);                                                                             \
        if (t) _mm512_mask_storeu_##S(out + i, t, value_##sfx(_mm512_maskz_loadu_##S(t, keys + i), fl));      \
    }                                                                                                         \
    void kiln_vsort_##sfx(T *x, T *y, int64_t n, int nt, const kiln_vsort_how *how) {                         \
        kiln_vsort_how h = *how;                                                                              \
        if (h.leaf < 2 || h.leaf > VSORT_LEAF_MAX) h.leaf = 8; /* (a partition needs 2 registers of keys) */  \
        if (L == 8) kiln_perms_ready();                                                                       \
        if (nt > 1 && n > VQ_TASK) {                                                                          \
            _Pragma("omp parallel num_threads(nt)") _Pragma("omp single") qs_##sfx(x, y, n, vq_depth(n, &h), true, &h); \
        } else qs_##sfx(x, y, n, vq_depth(n, &h), false, &h);                                                 \
    }                                                                                                         \
    void kiln_vselect_##sfx(T *x, T *y, int64_t n, int64_t a, int64_t b, const kiln_vsort_how *how) {         \
        kiln_vsort_how h = *how;                                                                              \
        if (h.leaf < 2 || h.leaf > VSORT_LEAF_MAX) h.leaf = 8;                                                \
        if (L == 8) kiln_perms_ready();                                                                       \
        qsel_##sfx(x, y, n, a, b, vq_depth(n, &h), &h);                                                       \
    }

#define IOTA32 _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define IOTA64 _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0)
VSORT_DEFINE(u32, uint32_t, 16, epi32, epu32, __mmask16, IOTA32, (int)UINT32_MAX, 0x7f800000)
VSORT_DEFINE(u64, uint64_t, 8, epi64, epu64, __mmask8, IOTA64, (long long)UINT64_MAX, 0x7ff0000000000000ll)

/* ------------------------------------------------------------------ searches
 *
 * searchsorted's sorted keys as a static B+ tree of 8-key nodes, one register each: level 0
 * holds the keys themselves (padded with the largest key to whole nodes), and slot j < 7 of a
 * node above holds the last key under its child j (the largest key where the child is missing;
 * slot 7 is never read).  A search compares the value with a node's slots at once: how many
 * come before it is the child to go down to, and in a leaf, how many keys come before it.  The
 * levels are stored root first; a level has ceil(n / 8) nodes for n below it. */

#define VTREE_LEVELS 24 /* (8^23 nodes: more than any int64 length) */

/* The nodes of each level, leaves first; returns the number of levels. */
static int vtree_shape(int64_t len, int64_t *nodes) {
    int h = 0;
    int64_t n = len;
    do {
        n = (n + 7) / 8;
        nodes[h++] = n;
    } while (n > 1);
    return h;
}

int64_t kiln_vtree_size(int64_t len) {
    int64_t nodes[VTREE_LEVELS], total = 0;
    int h = vtree_shape(len, nodes);
    for (int l = 0; l < h; l++) total += nodes[l];
    return 8 * total;
}

void kiln_vtree_build(const uint64_t *keys, int64_t len, uint64_t *tree) {
    int64_t nodes[VTREE_LEVELS], span = 8; /* keys under one node of the level */
    int h = vtree_shape(len, nodes);
    uint64_t *at = tree + kiln_vtree_size(len);
    for (int l = 0; l < h; l++, span *= 8) {
        at -= 8 * nodes[l];
        for (int64_t i = 0; i < 8 * nodes[l]; i++) {
            if (l == 0) {
                at[i] = i < len ? keys[i] : UINT64_MAX;
                continue;
            }
            int64_t last = (i + 1) * (span / 8); /* past the keys under child i (slot i % 8 of node i / 8) */
            at[i] = i % 8 == 7 || i >= nodes[l - 1] ? UINT64_MAX : keys[(last < len ? last : len) - 1];
        }
    }
}

/* m ≤ 16 values' positions: how many keys come before each (right: or equal); inlined with m
 * and right constant for whole blocks, where the positions stay in registers */
static inline __attribute__((always_inline)) void vtree_search(const uint64_t *tree, int64_t len, const uint64_t *v, const int m,
                                                               const bool right, int64_t *pos) {
    int64_t nodes[VTREE_LEVELS], idx[16] = {0};
    int h = vtree_shape(len, nodes);
    const uint64_t *level = tree;
    for (int l = h - 1; l > 0; l--) {
        for (int i = 0; i < m; i++) {
            __m512i node = _mm512_loadu_si512(level + 8 * idx[i]), x = _mm512_set1_epi64((long long)v[i]);
            __mmask8 before = right ? _mm512_mask_cmple_epu64_mask(0x7f, node, x) : _mm512_mask_cmplt_epu64_mask(0x7f, node, x);
            int64_t child = 8 * idx[i] + __builtin_popcount(before);
            idx[i] = child < nodes[l - 1] ? child : nodes[l - 1] - 1;
        }
        level += 8 * nodes[l];
    }
    for (int i = 0; i < m; i++) {
        __m512i node = _mm512_loadu_si512(level + 8 * idx[i]), x = _mm512_set1_epi64((long long)v[i]);
        __mmask8 before = right ? _mm512_cmple_epu64_mask(node, x) : _mm512_cmplt_epu64_mask(node, x);
        int64_t p = 8 * idx[i] + __builtin_popcount(before);
        pos[i] = p < len ? p : len;
    }
}

void kiln_vtree_search(const uint64_t *tree, int64_t len, const uint64_t *v, int m, bool right, int64_t *pos) {
    if (m == 16) right ? vtree_search(tree, len, v, 16, true, pos) : vtree_search(tree, len, v, 16, false, pos);
    else vtree_search(tree, len, v, m, right, pos);
}

/* ------------------------------------------------------------------ runs */

/* unique's runs (kiln_vruns_*): a register of keys against the same keys a lane back (an
 * unaligned load at k - 1), the lanes that differ compressed in the register and stored under a
 * mask of their count (compressing stores are microcode on AMD); the tail by masked loads.
 * out NULL: only counted.  NEQ(m, a, b) the lanes of mask m where a != b; LANES(c) the mask of
 * the first c lanes (the quicksort's). */
#define VRUNS_DEFINE(sfx, T, L, V, M, LANES, LOAD, NEQ, COMPRESS, STORE)                                     \
    static inline __attribute__((always_inline)) int64_t vruns_##sfx(const T *x, int64_t n, T *out, const bool put) { \
        if (n <= 0) return 0;                                                                                \
        int64_t g = 1, k = 1;                                                                                \
        if (put) out[0] = x[0];                                                                              \
        for (; k < n; k += L) {                                                                              \
            M in = LANES(n - k);                                                                             \
            V cur = LOAD(in, x + k), prev = LOAD(in, x + k - 1);                                             \
            M d = NEQ(in, cur, prev);                                                                        \
            int c = __builtin_popcount(d);                                                                   \
            if (put) STORE(out + g, LANES(c), COMPRESS(d, cur));                                             \
            g += c;                                                                                          \
        }                                                                                                    \
        return g;                                                                                            \
    }                                                                                                        \
    int64_t kiln_vruns_##sfx(const T *x, int64_t n, T *out) { return out ? vruns_##sfx(x, n, out, true) : vruns_##sfx(x, n, NULL, false); }

#define NEQ_PD(m, a, b) _mm512_mask_cmp_pd_mask(m, a, b, _CMP_NEQ_OQ)
#define NEQ_PS(m, a, b) _mm512_mask_cmp_ps_mask(m, a, b, _CMP_NEQ_OQ)
VRUNS_DEFINE(f64, double, 8, __m512d, __mmask8, lanes_u64, _mm512_maskz_loadu_pd, NEQ_PD, _mm512_maskz_compress_pd, _mm512_mask_storeu_pd)
VRUNS_DEFINE(f32, float, 16, __m512, __mmask16, lanes_u32, _mm512_maskz_loadu_ps, NEQ_PS, _mm512_maskz_compress_ps, _mm512_mask_storeu_ps)
VRUNS_DEFINE(u64, uint64_t, 8, __m512i, __mmask8, lanes_u64, _mm512_maskz_loadu_epi64, _mm512_mask_cmpneq_epu64_mask, _mm512_maskz_compress_epi64,
             _mm512_mask_storeu_epi64)
VRUNS_DEFINE(u32, uint32_t, 16, __m512i, __mmask16, lanes_u32, _mm512_maskz_loadu_epi32, _mm512_mask_cmpneq_epu32_mask, _mm512_maskz_compress_epi32,
             _mm512_mask_storeu_epi32)
