/*
 * sort_avx2.c — sort's keys built 8 (4) at a time with AVX2 (flags in CMakeLists.txt; sort.c
 * calls here only where the CPU has AVX2 and the vectorized quicksort is off: no AVX-512, or
 * KILN_VECTOR_BYTES=32; else sort_avx512.c builds them).
 *
 * A float's key is its bits with every bit flipped when negative and the sign bit set when not
 * (so that unsigned order is the values' order), NaN's the largest key, -0.0's +0.0's; an
 * integer's its bits with the sign bit flipped.  Built by scalar code with a branch on the sign,
 * the key of a random-signed float cost a misprediction every other value (argpartition of
 * 10^6 float64: 3.4 ns a key, most of the call); here, compares and blends.  AVX2 has no unsigned
 * compare: the range is kept as the keys with the sign bit flipped again, in signed order.
 */
#include "sort_avx2.h"

#include <immintrin.h>

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
