/*
 * sort_avx2.c — sort on CPUs with AVX2 but not AVX-512 (flags in CMakeLists.txt; sort.c calls
 * here only where the CPU has AVX2; the keys, values and quicksort only where sort_avx512.c's
 * quicksort is off: no AVX-512, or KILN_VECTOR_BYTES=32): sort's keys built and turned back
 * into values 8 (4) at a time, the vectorized quicksort of sort_avx512.c in 8 (4) lanes
 * (below them), and its leaf's networks for the radix sort's short buckets (kiln_leaf2_).
 *
 * A float's key is its bits with every bit flipped when negative and the sign bit set when not
 * (so that unsigned order is the values' order), NaN's the largest key, -0.0's +0.0's; an
 * integer's its bits with the sign bit flipped.  Built by scalar code with a branch on the sign,
 * the key of a random-signed float cost a misprediction every other value (argpartition of
 * 10^6 float64: 3.4 ns a key, most of the call); here, compares and blends.  AVX2 has no unsigned
 * compare: the range is kept as the keys with the sign bit flipped again, in signed order.
 */
#include "sort_avx2.h"
#include "sort_vq.h"

#include <immintrin.h>
#include <pthread.h>
#include <string.h>

#define KEYS_DEFINE(sfx, T, L, W, SET, MAXV, INF)                                                                     \
    int64_t kiln_keys_avx2_##sfx(const T *in, T *out, int64_t n, bool fl, uint64_t *lo, uint64_t *hi, bool *sp) {     \
        const __m256i sign = SET((T)1 << (W - 1)), zero = _mm256_setzero_si256();                                     \
        const __m256i inf = SET(INF);                                                                                 \
        __m256i mn = SET(MAXV ^ ((T)1 << (W - 1))), mx = _mm256_xor_si256(mn, SET(MAXV));                             \
        __m256i special = zero;                                                                                       \
        int64_t i = 0;                                                                                                \
        for (; i + L <= n; i += L) {                                                                                  \
            __m256i b = _mm256_loadu_si256((const __m256i *)(in + i)), k;                                             \
            if (fl) {                                                                                                 \
                __m256i nz = _mm256_cmpeq_epi##W(b, sign);                                                            \
                b = _mm256_andnot_si256(nz, b);                                                                       \
                __m256i nan = _mm256_cmpgt_epi##W(_mm256_andnot_si256(sign, b), inf);                                 \
                __m256i neg = _mm256_cmpgt_epi##W(zero, b);                                                           \
                k = _mm256_or_si256(_mm256_xor_si256(b, _mm256_or_si256(neg, sign)), nan);                            \
                special = _mm256_or_si256(special, _mm256_or_si256(nan, nz));                                         \
            } else k = _mm256_xor_si256(b, sign);                                                                     \
            _mm256_storeu_si256((__m256i *)(out + i), k);                                                             \
            __m256i s = _mm256_xor_si256(k, sign); /* (signed order) */                                               \
            mn = _mm256_blendv_epi8(mn, s, _mm256_cmpgt_epi##W(mn, s));                                               \
            mx = _mm256_blendv_epi8(mx, s, _mm256_cmpgt_epi##W(s, mx));                                               \
        }                                                                                                             \
        if (i) {                                                                                                      \
            T a[L], b[L];                                                                                             \
            _mm256_storeu_si256((__m256i *)a, _mm256_xor_si256(mn, sign));                                            \
            _mm256_storeu_si256((__m256i *)b, _mm256_xor_si256(mx, sign));                                            \
            for (int l = 0; l < L; l++) {                                                                             \
                *lo = a[l] < *lo ? a[l] : *lo;                                                                        \
                *hi = b[l] > *hi ? b[l] : *hi;                                                                        \
            }                                                                                                         \
            *sp = *sp || !_mm256_testz_si256(special, special);                                                       \
        }                                                                                                             \
        return i;                                                                                                     \
    }
KEYS_DEFINE(u32, uint32_t, 8, 32, _mm256_set1_epi32, (int)UINT32_MAX, 0x7f800000)
KEYS_DEFINE(u64, uint64_t, 4, 64, _mm256_set1_epi64x, (long long)UINT64_MAX, 0x7ff0000000000000ll)

/* Values from keys (sort.c's sort_value, 8 (4) at a time): a float key with its sign bit set had
 * only that bit flipped, one without had every bit flipped; an integer's, the sign bit. */
#define VALUES_DEFINE(sfx, T, L, SET, NEG)                                                                            \
    int64_t kiln_values_avx2_##sfx(const T *keys, T *out, int64_t n, bool fl) {                                       \
        const __m256i sign = SET((T)1 << (8 * sizeof(T) - 1)), ones = _mm256_set1_epi32(-1);                          \
        int64_t i = 0;                                                                                                \
        for (; i + L <= n; i += L) {                                                                                  \
            __m256i k = _mm256_loadu_si256((const __m256i *)(keys + i));                                              \
            __m256i flip = fl ? _mm256_or_si256(_mm256_xor_si256(NEG(k), ones), sign) : sign; /* (NEG: all ones where negative) */ \
            _mm256_storeu_si256((__m256i *)(out + i), _mm256_xor_si256(k, flip));                                     \
        }                                                                                                             \
        return i;                                                                                                     \
    }
#define NEG32(k) _mm256_srai_epi32(k, 31)
#define NEG64(k) _mm256_cmpgt_epi64(_mm256_setzero_si256(), k)
VALUES_DEFINE(u32, uint32_t, 8, _mm256_set1_epi32, NEG32)
VALUES_DEFINE(u64, uint64_t, 4, _mm256_set1_epi64x, NEG64)

/* ------------------------------------------------------------------ the quicksort
 *
 * sort_avx512.c's vectorized quicksort (its comment says how) in AVX2's 8 (4) lanes, for CPUs
 * without AVX-512.  What AVX2 lacks is made up so:
 *   order      no unsigned compare or 64-bit min and max: the keys' sign bits are flipped on the
 *              way in and out (one pass each), and the sort is of signed integers; 64-bit min
 *              and max are a compare and a blend
 *   compress   a partition's register is put in order by a permutation from a table (the lanes
 *              below the pivot first, then the rest, each in order: a byte a lane, 256 entries
 *              for 8 lanes, 16 for 4) and stored whole on both sides, the registers held to the
 *              end too (part_ says how); no masked loads or stores, which are microcode on AMD
 *   leaves     a last register of c < L keys loaded as the L keys ending the range, the L - c
 *              before them the largest key, and stored as the last L keys of the sorted range
 *              (through a buffer where the range is shorter than a register)
 */

#define VSORT2_LEAF_MAX 32   /* registers of keys a leaf may sort (kiln_vsort_how.leaf) */
#define VSORT2_UNROLL 4      /* registers a partition reads at a time */

/* the permutations: entry m lists the lanes set in m, then the others, a byte each (4 lanes of
 * 64 bits as 8 of 32; kiln_perm8 is sort_avx512.c's for 8 lanes of 64 bits too) */
uint64_t kiln_perm8[256];
static uint64_t perm4[16];

/* (made at the first sort, not at load: compiled for AVX2, this could use its instructions on a
 * CPU without them) */
static pthread_once_t perms_once = PTHREAD_ONCE_INIT;

static void perms_init(void) {
    for (unsigned m = 0; m < 256; m++) {
        uint64_t p = 0;
        int k = 0;
        for (int pass = 0; pass < 2; pass++)
            for (unsigned i = 0; i < 8; i++)
                if (((m >> i) & 1) == (pass == 0)) p |= (uint64_t)i << (8 * k++);
        kiln_perm8[m] = p;
        if (m < 16) { /* (m's first 4 lanes come first, in the same order: its bits 4..7 are 0) */
            uint64_t q = 0;
            for (int lane = 0; lane < 4; lane++) {
                uint64_t src = (p >> (8 * lane)) & 7;
                q |= (2 * src) << (16 * lane) | (2 * src + 1) << (16 * lane + 8);
            }
            perm4[m] = q;
        }
    }
}

void kiln_perms_ready(void) { pthread_once(&perms_once, perms_init); }

static inline __m256i perm_at(const uint64_t *p) { return _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)p)); }

/* 32-bit keys, 8 lanes */
static inline __m256i gt_32(__m256i a, __m256i b) { return _mm256_cmpgt_epi32(a, b); }
static inline __m256i min_32(__m256i a, __m256i b) { return _mm256_min_epi32(a, b); }
static inline __m256i max_32(__m256i a, __m256i b) { return _mm256_max_epi32(a, b); }
static inline void minmax_32(__m256i a, __m256i b, __m256i *mn, __m256i *mx) {
    *mn = min_32(a, b);
    *mx = max_32(a, b);
}
static inline __m256i set_32(int64_t v) { return _mm256_set1_epi32((int)v); }
static inline unsigned bits_32(__m256i m) { return (unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(m)); }
static inline __m256i iota_32(void) { return _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7); }
static inline __m256i rev_32(__m256i v) { return _mm256_permute2x128_si256(_mm256_shuffle_epi32(v, 0x1B), _mm256_shuffle_epi32(v, 0x1B), 1); }
static inline __m256i first_32(__m256i v, unsigned m) { return _mm256_permutevar8x32_epi32(v, perm_at(&kiln_perm8[m])); }
static inline __m256i rot_32(__m256i v, int64_t c) { /* lane k from lane (k + c) mod 8 (vpermd reads 3 bits) */
    return _mm256_permutevar8x32_epi32(v, _mm256_add_epi32(iota_32(), _mm256_set1_epi32((int)c)));
}
static inline __m256i samples_32(const int32_t *x, int64_t n, int k, int s) { /* x at (2j + 1)n / 2s, j = k..k+7 */
#define AT(j) x[(n * (2 * (k + j) + 1)) / (2 * s)]
    return _mm256_setr_epi32(AT(0), AT(1), AT(2), AT(3), AT(4), AT(5), AT(6), AT(7));
}

/* 64-bit keys, 4 lanes */
static inline __m256i gt_64(__m256i a, __m256i b) { return _mm256_cmpgt_epi64(a, b); }
static inline __m256i min_64(__m256i a, __m256i b) { return _mm256_blendv_epi8(a, b, _mm256_cmpgt_epi64(a, b)); }
static inline __m256i max_64(__m256i a, __m256i b) { return _mm256_blendv_epi8(b, a, _mm256_cmpgt_epi64(a, b)); }
/* both at once: the larger as a ^ b ^ the smaller (one blend, which takes a port a cycle, not two) */
static inline void minmax_64(__m256i a, __m256i b, __m256i *mn, __m256i *mx) {
    *mn = min_64(a, b);
    *mx = _mm256_xor_si256(_mm256_xor_si256(a, b), *mn);
}
static inline __m256i set_64(int64_t v) { return _mm256_set1_epi64x((long long)v); }
static inline unsigned bits_64(__m256i m) { return (unsigned)_mm256_movemask_pd(_mm256_castsi256_pd(m)); }
static inline __m256i iota_64(void) { return _mm256_setr_epi64x(0, 1, 2, 3); }
static inline __m256i rev_64(__m256i v) { return _mm256_permute2x128_si256(_mm256_shuffle_epi32(v, 0x4E), _mm256_shuffle_epi32(v, 0x4E), 1); }
static inline __m256i first_64(__m256i v, unsigned m) { return _mm256_permutevar8x32_epi32(v, perm_at(&perm4[m])); }
static inline __m256i rot_64(__m256i v, int64_t c) {
    __m256i j = _mm256_and_si256(_mm256_add_epi32(_mm256_srli_epi32(iota_32(), 1), _mm256_set1_epi32((int)c)), _mm256_set1_epi32(3));
    return _mm256_permutevar8x32_epi32(v, _mm256_add_epi32(_mm256_add_epi32(j, j), _mm256_and_si256(iota_32(), _mm256_set1_epi32(1))));
}
static inline __m256i samples_64(const int64_t *x, int64_t n, int k, int s) {
    return _mm256_setr_epi64x(AT(0), AT(1), AT(2), AT(3));
#undef AT
}

/* The moves and compare-exchanges of the leaves' networks (sort_vq.h's VQ_NETWORKS): lane moves
 * by in-lane shuffles and a swap of halves: on the machine measured (a Zen whose AVX-512 is
 * hidden), vpermd takes 8 cycles and one every 2, vpshufd 1 and two a cycle, vperm2i128 3 and
 * one a cycle. */
#define UB(i, h) ((((i) & (h)) != 0) << (i))
#define UPPER8(h) (UB(0, h) | UB(1, h) | UB(2, h) | UB(3, h) | UB(4, h) | UB(5, h) | UB(6, h) | UB(7, h))
#define WIDEN(m) (((m) & 1 ? 3 : 0) | ((m) & 2 ? 12 : 0) | ((m) & 4 ? 48 : 0) | ((m) & 8 ? 192 : 0))
/* lane i ^ h */
static inline __m256i swap_32(__m256i v, int h) {
    return h == 1 ? _mm256_shuffle_epi32(v, 0xB1) : h == 2 ? _mm256_shuffle_epi32(v, 0x4E) : _mm256_permute2x128_si256(v, v, 1);
}
static inline __m256i swap_64(__m256i v, int h) { return h == 1 ? _mm256_shuffle_epi32(v, 0x4E) : _mm256_permute2x128_si256(v, v, 1); }
/* lanes reversed within blocks of s */
static inline __m256i revs_32(__m256i v, int s) {
    return s == 2 ? _mm256_shuffle_epi32(v, 0xB1) : s == 4 ? _mm256_shuffle_epi32(v, 0x1B) : rev_32(v);
}
static inline __m256i revs_64(__m256i v, int s) { return s == 2 ? _mm256_shuffle_epi32(v, 0x4E) : rev_64(v); }
/* v against p (v's lanes moved within blocks of 2h): the smaller to the blocks' lower halves (the
 * blends' masks immediates in every case) */
static inline __m256i keep_32(__m256i v, __m256i p, int h) {
    __m256i mn = min_32(v, p), mx = max_32(v, p);
    return h == 1 ? _mm256_blend_epi32(mn, mx, UPPER8(1)) : h == 2 ? _mm256_blend_epi32(mn, mx, UPPER8(2)) : _mm256_blend_epi32(mn, mx, UPPER8(4));
}
static inline __m256i keep_64(__m256i v, __m256i p, int h) {
    __m256i mn, mx;
    minmax_64(v, p, &mn, &mx);
    return h == 1 ? _mm256_blend_epi32(mn, mx, WIDEN(UPPER8(1))) : _mm256_blend_epi32(mn, mx, WIDEN(UPPER8(2)));
}

/* The sort for one key width W: T the signed key, L the lanes, MAXV and MINV its largest and
 * smallest.  (sort_avx512.c's VSORT_DEFINE, whose comments say more.) */
#define VSORT2_DEFINE(W, T, L, MAXV, MINV)                                                                            \
    /* the sign bits of x[0..n) flipped: unsigned order to signed and back */                                         \
    static void flip_##W(T *x, int64_t n) {                                                                           \
        const __m256i s = set_##W(MINV);                                                                              \
        int64_t i = 0;                                                                                                \
        for (; i + L <= n; i += L) _mm256_storeu_si256((__m256i *)(x + i), _mm256_xor_si256(_mm256_loadu_si256((const __m256i *)(x + i)), s)); \
        for (; i < n; i++) x[i] ^= (T)MINV;                                                                           \
    }                                                                                                                 \
    /* the caller's sort (of unsigned keys) of x[0..n) */                                                             \
    static void fallback_##W(T *x, T *y, int64_t n, const kiln_vsort_how *how) {                                      \
        flip_##W(x, n);                                                                                               \
        how->fallback(x, y, n);                                                                                       \
        flip_##W(x, n);                                                                                               \
    }                                                                                                                 \
    VQ_NETWORKS(W, __m256i, L, minmax_##W, revs_##W, swap_##W, keep_##W)                                              \
    /* the lanes below c (any c) */                                                                                   \
    static inline __m256i lanes_##W(int64_t c) { return gt_##W(set_##W(c < 0 ? 0 : c > L ? L : c), iota_##W()); }     \
    /* a register of x's first c < L keys, the rest the largest key; and its first c keys back (leaves                \
     * shorter than a register) */                                                                                    \
    static inline __m256i part_load_##W(const T *x, int64_t c, T flip) {                                              \
        T b[L];                                                                                                       \
        for (int i = 0; i < L; i++) b[i] = i < c ? x[i] ^ flip : (T)MAXV;                                             \
        return _mm256_loadu_si256((const __m256i *)b);                                                                \
    }                                                                                                                 \
    static inline void part_store_##W(T *x, int64_t c, __m256i v) {                                                   \
        T b[L];                                                                                                       \
        _mm256_storeu_si256((__m256i *)b, v);                                                                         \
        memcpy(x, b, (size_t)c * sizeof *x);                                                                          \
    }                                                                                                                 \
    /* x[0..n) (regs/2·L < n <= regs·L, or n <= L where regs = 1; regs a constant where inlined) sorted in         \
     * registers: a last register of c < L keys is loaded as the L keys ending at x + n, the L - c before             \
     * them the largest key, and stored as the last L keys rotated out of the last two registers (a                   \
     * buffer where n < L); with flip, x's keys unsigned, their sign bits flipped on the way in and out */            \
    static inline __attribute__((always_inline)) void leaf_n_##W(T *x, int64_t n, bool flip, const int regs) {        \
        const __m256i s = set_##W(flip ? MINV : 0);                                                                   \
        __m256i r[VSORT2_LEAF_MAX];                                                                                   \
        VQ_UNROLL(32) for (int i = 0; i < regs; i++) {                                                                \
            int64_t c = n - (int64_t)i * L;                                                                           \
            r[i] = i < regs / 2 || c >= L ? _mm256_xor_si256(_mm256_loadu_si256((const __m256i *)(x + i * L)), s)     \
                   : n < L ? part_load_##W(x, n, flip ? (T)MINV : 0)                                                  \
                   : c > 0 ? _mm256_blendv_epi8(_mm256_xor_si256(_mm256_loadu_si256((const __m256i *)(x + n - L)), s), set_##W(MAXV), lanes_##W(L - c)) \
                           : set_##W(MAXV);                                                                           \
        }                                                                                                             \
        regs_##W(r, regs);                                                                                            \
        VQ_UNROLL(32) for (int i = 0; i < regs; i++) {                                                                \
            int64_t c = n - (int64_t)i * L;                                                                           \
            if (i < regs / 2 || c >= L) _mm256_storeu_si256((__m256i *)(x + i * L), _mm256_xor_si256(r[i], s));       \
            else if (n < L) part_store_##W(x, n, _mm256_xor_si256(r[i], s));                                          \
            else if (c > 0)                                                                                           \
                _mm256_storeu_si256((__m256i *)(x + n - L),                                                           \
                                    _mm256_xor_si256(_mm256_blendv_epi8(rot_##W(r[i - 1], c), rot_##W(r[i], c),        \
                                                                        gt_##W(iota_##W(), set_##W(L - c - 1))), s)); \
        }                                                                                                             \
    }                                                                                                                 \
    /* x[0..n) (n <= VSORT2_LEAF_MAX registers) sorted by the leaf of the fewest registers */                         \
    static inline __attribute__((always_inline)) void leaf_as_##W(T *x, int64_t n, bool flip) {                       \
        VQ_BY_REGS(n, L, leaf_n_##W, x, n, flip);                                                                     \
    }                                                                                                                 \
    static void leaf_##W(T *x, int64_t n) { leaf_as_##W(x, n, false); }                                               \
    /* v's keys (the lanes in in; inv its vector) below P to x + *l on, the others to end at x + *r, both             \
     * sides stored whole (part_ says why each store lands on free space or on the same keys) */                      \
    static inline void put_##W(T *x, __m256i v, __m256i P, unsigned in, __m256i inv, int64_t *l, int64_t *r,          \
                               __m256i *mn, __m256i *mx) {                                                            \
        const unsigned all = (1u << L) - 1;                                                                           \
        unsigned lt = bits_##W(gt_##W(P, v)) & in, ge = in & ~lt;                                                     \
        int c = __builtin_popcount(lt), h = __builtin_popcount(ge);                                                   \
        __m256i s = first_##W(v, lt);                                                                                 \
        _mm256_storeu_si256((__m256i *)(x + *l), s);                                                                  \
        _mm256_storeu_si256((__m256i *)(x + *r - L), in == all ? s : first_##W(v, all & ~ge));                        \
        if (in == all) {                                                                                              \
            *mn = min_##W(*mn, v);                                                                                    \
            *mx = max_##W(*mx, v);                                                                                    \
        } else {                                                                                                      \
            *mn = min_##W(*mn, _mm256_blendv_epi8(set_##W(MAXV), v, inv));                                            \
            *mx = max_##W(*mx, _mm256_blendv_epi8(set_##W(MINV), v, inv));                                            \
        }                                                                                                             \
        *l += c;                                                                                                      \
        *r -= h;                                                                                                      \
    }                                                                                                                 \
    /* the smallest (dir < 0) or largest of v's keys */                                                               \
    static inline T hfold_##W(__m256i v, int dir) {                                                                   \
        T a[L], m;                                                                                                    \
        _mm256_storeu_si256((__m256i *)a, v);                                                                         \
        m = a[0];                                                                                                     \
        for (int i = 1; i < L; i++) m = (dir < 0 ? a[i] < m : a[i] > m) ? a[i] : m;                                   \
        return m;                                                                                                     \
    }                                                                                                                 \
    /* x[0..n) (n >= 2L) partitioned in place, keys below p first; returns how many, the smallest and                 \
     * largest key in *lo and *hi.  sort_avx512.c's part_, but every store whole: the n mod L keys past               \
     * the last whole register are put first of those held (2uL places or more are free then, so                      \
     * its stores on both sides land on free space), and the other registers held each leave kL free                  \
     * places for the k held then: k ≥ 2, on free space; k = 1, both sides the same L places, and the                 \
     * same register stored there twice.  (Masked stores are microcode on AMD's cores.) */                            \
    static int64_t part_##W(T *x, int64_t n, T p, T *lo, T *hi) {                                                     \
        const unsigned all = (1u << L) - 1;                                                                           \
        __m256i P = set_##W(p), mn = set_##W(MAXV), mx = set_##W(MINV), ones = set_##W(-1);                           \
        int u = n >= 2 * VSORT2_UNROLL * L ? VSORT2_UNROLL : 1;                                                       \
        int64_t q = n / L * L, rl = (int64_t)u * L, rr = q - (int64_t)u * L, l = 0, r = n;                            \
        __m256i held[2 * VSORT2_UNROLL], last = _mm256_loadu_si256((const __m256i *)(x + n - L));                     \
        __m256i tail = gt_##W(iota_##W(), set_##W(L - (n - q) - 1)); /* (last's lanes past q) */                      \
        for (int i = 0; i < u; i++) {                                                                                 \
            held[i] = _mm256_loadu_si256((const __m256i *)(x + i * L));                                               \
            held[u + i] = _mm256_loadu_si256((const __m256i *)(x + rr + i * L));                                      \
        }                                                                                                             \
        while (u > 1 && rr - rl >= (int64_t)u * L) {                                                                  \
            __m256i v[VSORT2_UNROLL];                                                                                 \
            const T *at = x + vq_next(&rl, &rr, l, r, (int64_t)u * L);                                                \
            for (int i = 0; i < VSORT2_UNROLL; i++) v[i] = _mm256_loadu_si256((const __m256i *)(at + i * L));         \
            for (int i = 0; i < VSORT2_UNROLL; i++) put_##W(x, v[i], P, all, ones, &l, &r, &mn, &mx);                 \
        }                                                                                                             \
        while (rl < rr) {                                                                                             \
            const T *at = x + vq_next(&rl, &rr, l, r, L);                                                             \
            put_##W(x, _mm256_loadu_si256((const __m256i *)at), P, all, ones, &l, &r, &mn, &mx);                      \
        }                                                                                                             \
        if (n > q) put_##W(x, last, P, bits_##W(tail), tail, &l, &r, &mn, &mx);                                       \
        for (int i = 0; i < 2 * u; i++) put_##W(x, held[i], P, all, ones, &l, &r, &mn, &mx);                          \
        *lo = hfold_##W(mn, -1);                                                                                      \
        *hi = hfold_##W(mx, 1);                                                                                       \
        return l;                                                                                                     \
    }                                                                                                                 \
    /* the median of 8 keys sampled across x[0..n), or of 16 where n > 2048, sorted in registers */                   \
    static T pivot_##W(const T *x, int64_t n) {                                                                       \
        int ns = n > 2048 ? 16 : 8;                                                                                   \
        __m256i r[16 / L];                                                                                            \
        for (int i = 0; i < ns / L; i++) r[i] = samples_##W(x, n, i * L, ns);                                         \
        if (ns == 16) regs_##W(r, 16 / L);                                                                            \
        else regs_##W(r, 8 / L);                                                                                      \
        T s[L];                                                                                                       \
        _mm256_storeu_si256((__m256i *)s, r[ns / 2 / L]);                                                             \
        return s[ns / 2 % L];                                                                                         \
    }                                                                                                                 \
    static inline int64_t part_how_##W(T *x, int64_t n, T p, const kiln_vsort_how *how, T *lo, T *hi) {               \
        (void)how;                                                                                                    \
        return part_##W(x, n, p, lo, hi);                                                                             \
    }                                                                                                                 \
    VQ_DRIVER(W, T, L, part_how_##W, fallback_##W)                                                                    \
    void kiln_vsort2_u##W(uint##W##_t *ux, uint##W##_t *uy, int64_t n, int nt, const kiln_vsort_how *how) {           \
        kiln_vsort_how h = *how;                                                                                      \
        T *x = (T *)ux, *y = (T *)uy;                                                                                 \
        if (h.leaf < 2 || h.leaf > VSORT2_LEAF_MAX) h.leaf = 16;                                                      \
        kiln_perms_ready();                                                                                           \
        flip_##W(x, n);                                                                                               \
        if (nt > 1 && n > VQ_TASK) {                                                                                  \
            _Pragma("omp parallel num_threads(nt)") _Pragma("omp single") qs_##W(x, y, n, vq_depth(n, &h), true, &h); \
        } else qs_##W(x, y, n, vq_depth(n, &h), false, &h);                                                           \
        flip_##W(x, n);                                                                                               \
    }                                                                                                                 \
    void kiln_leaf2_u##W(uint##W##_t *ux, int64_t n) {                                                                \
        leaf_as_##W((T *)ux, n, true);                                                                                \
    }                                                                                                                 \
    void kiln_vselect2_u##W(uint##W##_t *ux, uint##W##_t *uy, int64_t n, int64_t a, int64_t b, const kiln_vsort_how *how) { \
        kiln_vsort_how h = *how;                                                                                      \
        T *x = (T *)ux, *y = (T *)uy;                                                                                 \
        if (h.leaf < 2 || h.leaf > VSORT2_LEAF_MAX) h.leaf = 16;                                                      \
        kiln_perms_ready();                                                                                           \
        flip_##W(x, n);                                                                                               \
        qsel_##W(x, y, n, a, b, vq_depth(n, &h), &h);                                                                 \
        flip_##W(x, n);                                                                                               \
    }

VSORT2_DEFINE(32, int32_t, 8, INT32_MAX, INT32_MIN)
VSORT2_DEFINE(64, int64_t, 4, INT64_MAX, INT64_MIN)

/* ------------------------------------------------------------------ runs */

/* unique's runs (kiln_vruns2_*): as sort_avx512.c's, a register of keys against the same keys a
 * lane back, the lanes that differ put first by the partition's permutation and the register
 * stored whole while one fits in the runs left, then under a mask of its count (a few long runs
 * last left most of a line to the scalar loop, now only its last part register); NEQ: the mask
 * of the lanes that differ; LANES(c): the mask of the first c lanes (the quicksort's); MSTORE: the
 * masked store. */
static inline unsigned neq_f64(__m256i a, __m256i b) {
    return (unsigned)_mm256_movemask_pd(_mm256_cmp_pd(_mm256_castsi256_pd(a), _mm256_castsi256_pd(b), _CMP_NEQ_OQ));
}
static inline unsigned neq_f32(__m256i a, __m256i b) {
    return (unsigned)_mm256_movemask_ps(_mm256_cmp_ps(_mm256_castsi256_ps(a), _mm256_castsi256_ps(b), _CMP_NEQ_OQ));
}
static inline unsigned neq_u64(__m256i a, __m256i b) { return (unsigned)_mm256_movemask_pd(_mm256_castsi256_pd(_mm256_cmpeq_epi64(a, b))) ^ 0xFu; }
static inline unsigned neq_u32(__m256i a, __m256i b) { return (unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpeq_epi32(a, b))) ^ 0xFFu; }

static inline void mstore_64(void *p, __m256i m, __m256i v) { _mm256_maskstore_epi64((long long *)p, m, v); }
static inline void mstore_32(void *p, __m256i m, __m256i v) { _mm256_maskstore_epi32((int *)p, m, v); }

#define VRUNS2_DEFINE(sfx, T, L, NEQ, FIRST, LANES, MSTORE)                                                           \
    static inline __attribute__((always_inline)) int64_t vruns2_##sfx(const T *x, int64_t n, T *out, int64_t runs, const bool put) { \
        if (n <= 0) return 0;                                                                                         \
        int64_t g = 1, k = 1;                                                                                         \
        if (put) out[0] = x[0];                                                                                       \
        for (; k + L <= n; k += L) {                                                                                  \
            __m256i cur = _mm256_loadu_si256((const __m256i *)(x + k)), prev = _mm256_loadu_si256((const __m256i *)(x + k - 1)); \
            unsigned d = NEQ(cur, prev);                                                                              \
            int c = __builtin_popcount(d);                                                                            \
            if (put && g + L <= runs) _mm256_storeu_si256((__m256i *)(out + g), FIRST(cur, d));                       \
            else if (put) MSTORE(out + g, LANES(c), FIRST(cur, d));                                                   \
            g += c;                                                                                                   \
        }                                                                                                             \
        for (; k < n; k++) {                                                                                          \
            bool starts = x[k] != x[k - 1];                                                                           \
            if (put && starts) out[g] = x[k];                                                                         \
            g += starts;                                                                                              \
        }                                                                                                             \
        return g;                                                                                                     \
    }                                                                                                                 \
    int64_t kiln_vruns2_##sfx(const T *x, int64_t n, T *out, int64_t runs) {                                          \
        kiln_perms_ready();                                                                                           \
        return out ? vruns2_##sfx(x, n, out, runs, true) : vruns2_##sfx(x, n, NULL, 0, false);                        \
    }

VRUNS2_DEFINE(f64, double, 4, neq_f64, first_64, lanes_64, mstore_64)
VRUNS2_DEFINE(f32, float, 8, neq_f32, first_32, lanes_32, mstore_32)
VRUNS2_DEFINE(u64, uint64_t, 4, neq_u64, first_64, lanes_64, mstore_64)
VRUNS2_DEFINE(u32, uint32_t, 8, neq_u32, first_32, lanes_32, mstore_32)
