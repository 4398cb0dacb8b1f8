/*
 * scalar.h — NumPy's scalar semantics, once: one static inline function per op and dtype.
 *
 * Every backend computes exactly this.  The reference evaluator (ir/ref.c) calls it; the
 * interpreter (codegen/interp/) instantiates it over blocks; the CUDA backend pastes this very
 * text into every program it hands NVRTC.  The LLVM backend lowers ops by hand for speed and is
 * proven equal to these functions by the differential tests (tests/test_jit.c, test_random.c).
 *
 * Written in the subset of C that gcc, clang and NVRTC (CUDA C++) all accept: fixed-width
 * integers, <math.h>-style functions, no long double, no other library.  Names are
 * ks_<op>_<dtype> with dtypes b (bool), u8, i32, i64, f32, f64; casts are ks_cast_<from>_<to>.
 * A bool is a ks_bool, a byte holding 0 or 1 (as in memory; compilers vectorize loops over
 * bytes, not over _Bool), and every function here returns 0 or 1 for one.
 *
 * What NumPy 2 does on x86-64, and so what these do:
 * - integers wrap (two's complement; unsigned ones modulo 2^bits); // and % take Python's signs; x // 0
 *   and x % 0 give 0;
 *   MIN // -1 wraps to MIN;  x ** negative gives 1 for 1, ±1 for -1, else 0 (NumPy refuses it
 *   for arrays; a weak scalar exponent is refused when the graph is built);
 * - floats are IEEE and never trap; // and % of floats follow npy_divmod; maximum and minimum
 *   propagate NaN from either side; sign(NaN) is NaN and sign(±0) is +0;
 * - float-to-int casts of NaN or of values out of range give the most negative integer (what
 *   cvttsd2si produces); to int8, uint8, int16 and uint16 through int32 as C's cast does (the
 *   low bytes of that, so 300.0 gives 44 as uint8 and -1.0 gives 255), to uint32 through int64
 *   (x86-64's cast); int64 to float32 rounds once;
 * - on bools, add is or, multiply is and, maximum is or, minimum is and.
 */
#ifndef KILN_SCALAR_H
#define KILN_SCALAR_H

#if defined(__CUDACC_RTC__) || defined(__CUDACC__)
#define KS_FN static __device__ __forceinline__
#ifdef __CUDACC_RTC__
typedef signed char int8_t;
typedef unsigned char uint8_t;
typedef short int16_t;
typedef unsigned short uint16_t;
typedef int int32_t;
typedef unsigned int uint32_t;
typedef long long int64_t;
typedef unsigned long long uint64_t;
#endif
#define KS_INF_F32 __int_as_float(0x7f800000)
#define KS_INF_F64 __longlong_as_double(0x7ff0000000000000LL)
#else
#include <math.h>
#include <stdint.h>
#define KS_FN static inline
#define KS_INF_F32 ((float)INFINITY)
#define KS_INF_F64 ((double)INFINITY)
#endif

/* y, a cube root of x within a few ulps (libm's, libmvec's, CUDA's), made the nearest double to it:
 * y³ - x from an exact square (fma) and one Newton step, whose last rounding gives the nearest
 * (glibc's cbrt(27.0) is 3.0000000000000004 and libmvec's cbrt(2197.0) 12.999999999999998, where
 * NumPy's are 3.0 and 13.0), the same bits in every tier and on the GPU; a tiny x scaled by 2^300
 * for the step.  0, inf and NaN keep y. */
KS_FN double ks_cbrt_step(double x, double y) {
    double t = y * y, e1 = fma(y, y, -t);
    double r = fma(t, y, -x) + e1 * y;
    return y - r / (3.0 * t);
}
KS_FN double ks_cbrt_refine(double x, double y) {
    double ax = fabs(x);
    if (!(ax > 0 && ax < KS_INF_F64)) return y;
    if (ax < 0x1p-900) return ks_cbrt_step(x * 0x1p300, y * 0x1p100) * 0x1p-100; /* (scaled, exactly: no subnormal steps) */
    return ks_cbrt_step(x, y);
}
KS_FN double ks_cbrt_near(double x) { return ks_cbrt_refine(x, cbrt(x)); }
KS_FN float ks_cbrt_nearf(float x) { return cbrtf(x); } /* (float32's: libm's, as the kernels' libmvec and NumPy's agree on them) */

typedef uint8_t ks_bool;

#define KS_I32_MIN (-2147483647 - 1)
#define KS_I32_MAX 2147483647
#define KS_I64_MIN (-9223372036854775807LL - 1)
#define KS_I64_MAX 9223372036854775807LL

/* ---------------------------------------------------------------- every dtype */

/* + - * maximum minimum, comparisons and where, for integers and floats alike */
#define KS_ARITH(S, T)                                                              \
    KS_FN T ks_maximum_##S(T x, T y) { return (x > y || x != x) ? x : y; }          \
    KS_FN T ks_minimum_##S(T x, T y) { return (x < y || x != x) ? x : y; }          \
    KS_FN ks_bool ks_eq_##S(T x, T y) { return x == y; }                               \
    KS_FN ks_bool ks_ne_##S(T x, T y) { return x != y; }                               \
    KS_FN ks_bool ks_lt_##S(T x, T y) { return x < y; }                                \
    KS_FN ks_bool ks_le_##S(T x, T y) { return x <= y; }                               \
    KS_FN ks_bool ks_gt_##S(T x, T y) { return x > y; }                                \
    KS_FN ks_bool ks_ge_##S(T x, T y) { return x >= y; }                               \
    KS_FN T ks_where_##S(ks_bool c, T x, T y) { return c ? x : y; }
KS_ARITH(i8, int8_t)
KS_ARITH(u8, uint8_t)
KS_ARITH(i16, int16_t)
KS_ARITH(u16, uint16_t)
KS_ARITH(i32, int32_t)
KS_ARITH(u32, uint32_t)
KS_ARITH(i64, int64_t)
KS_ARITH(f32, float)
KS_ARITH(f64, double)
#undef KS_ARITH

/* ---------------------------------------------------------------- bool */

KS_FN ks_bool ks_add_b(ks_bool x, ks_bool y) { return x | y; }
KS_FN ks_bool ks_mul_b(ks_bool x, ks_bool y) { return x & y; }
KS_FN ks_bool ks_maximum_b(ks_bool x, ks_bool y) { return x | y; }
KS_FN ks_bool ks_minimum_b(ks_bool x, ks_bool y) { return x & y; }
KS_FN ks_bool ks_and_b(ks_bool x, ks_bool y) { return x & y; }
KS_FN ks_bool ks_or_b(ks_bool x, ks_bool y) { return x | y; }
KS_FN ks_bool ks_xor_b(ks_bool x, ks_bool y) { return x ^ y; }
KS_FN ks_bool ks_invert_b(ks_bool x) { return !x; }
KS_FN ks_bool ks_abs_b(ks_bool x) { return x; }
KS_FN ks_bool ks_floor_b(ks_bool x) { return x; }
KS_FN ks_bool ks_ceil_b(ks_bool x) { return x; }
KS_FN ks_bool ks_rint_b(ks_bool x) { return x; }
KS_FN ks_bool ks_positive_b(ks_bool x) { return x; }
KS_FN ks_bool ks_isnan_b(ks_bool x) { return (ks_bool)((void)x, 0); }
KS_FN ks_bool ks_isinf_b(ks_bool x) { return (ks_bool)((void)x, 0); }
KS_FN ks_bool ks_isfinite_b(ks_bool x) { return (ks_bool)((void)x, 1); }
KS_FN ks_bool ks_eq_b(ks_bool x, ks_bool y) { return x == y; }
KS_FN ks_bool ks_ne_b(ks_bool x, ks_bool y) { return x != y; }
KS_FN ks_bool ks_lt_b(ks_bool x, ks_bool y) { return !x && y; }
KS_FN ks_bool ks_le_b(ks_bool x, ks_bool y) { return !x || y; }
KS_FN ks_bool ks_gt_b(ks_bool x, ks_bool y) { return x && !y; }
KS_FN ks_bool ks_ge_b(ks_bool x, ks_bool y) { return x || !y; }
KS_FN ks_bool ks_where_b(ks_bool c, ks_bool x, ks_bool y) { return c ? x : y; }

/* ---------------------------------------------------------------- integers */

/* Integer power with wrap-around, by squaring. */
KS_FN int64_t ks_ipow(int64_t a, int64_t e) {
    if (e < 0) return a == 1 ? 1 : a == -1 ? ((e & 1) ? -1 : 1) : 0;
    uint64_t r = 1, b = (uint64_t)a;
    while (e) {
        if (e & 1) r *= b;
        b *= b;
        e >>= 1;
    }
    return (int64_t)r;
}

/* What an integer of type T keeps as it is (floor, rint...) and never is (NaN, infinite). */
#define KS_INT_SAME(S, T)                                                                \
    KS_FN T ks_floor_##S(T x) { return x; }                                              \
    KS_FN T ks_ceil_##S(T x) { return x; }                                               \
    KS_FN T ks_rint_##S(T x) { return x; }                                               \
    KS_FN T ks_positive_##S(T x) { return x; }                                           \
    KS_FN ks_bool ks_isnan_##S(T x) { return (ks_bool)((void)x, 0); }                    \
    KS_FN ks_bool ks_isinf_##S(T x) { return (ks_bool)((void)x, 0); }                    \
    KS_FN ks_bool ks_isfinite_##S(T x) { return (ks_bool)((void)x, 1); }

/* S: suffix, T: type, U: an unsigned type at least as wide (int8 and int16 take uint32_t, so
 * that no product is promoted to int).  Arithmetic goes through U, so it wraps. */
#define KS_INT(S, T, U)                                                                  \
    KS_FN T ks_add_##S(T x, T y) { return (T)((U)x + (U)y); }                            \
    KS_FN T ks_sub_##S(T x, T y) { return (T)((U)x - (U)y); }                            \
    KS_FN T ks_mul_##S(T x, T y) { return (T)((U)x * (U)y); }                            \
    KS_FN T ks_floordiv_##S(T x, T y) {                                                  \
        if (y == 0) return 0;                                                            \
        if (y == -1) return (T)((U)0 - (U)x);                                            \
        T q = x / y, r = x % y;                                                          \
        return (r != 0 && ((r ^ y) < 0)) ? q - 1 : q;                                    \
    }                                                                                    \
    KS_FN T ks_mod_##S(T x, T y) {                                                       \
        if (y == 0 || y == -1) return 0;                                                 \
        T r = x % y;                                                                     \
        return (r != 0 && ((r ^ y) < 0)) ? r + y : r;                                    \
    }                                                                                    \
    KS_FN T ks_fmod_##S(T x, T y) { return (y == 0 || y == -1) ? 0 : x % y; }           \
    KS_FN T ks_pow_##S(T x, T y) { return (T)ks_ipow((int64_t)x, (int64_t)y); }       \
    KS_FN T ks_and_##S(T x, T y) { return x & y; }                                       \
    KS_FN T ks_or_##S(T x, T y) { return x | y; }                                        \
    KS_FN T ks_xor_##S(T x, T y) { return x ^ y; }                                       \
    /* NumPy's npy_lshift / npy_rshift: a shift by the width or more (or by a negative      \
     * count) gives 0, or -1 for a negative x shifted right */                              \
    KS_FN T ks_left_shift_##S(T x, T y) { return (uint64_t)y < 8 * sizeof(T) ? (T)((U)x << y) : 0; } \
    KS_FN T ks_right_shift_##S(T x, T y) { return (uint64_t)y < 8 * sizeof(T) ? x >> y : x < 0 ? (T)-1 : 0; } \
    KS_FN T ks_neg_##S(T x) { return (T)((U)0 - (U)x); }                                 \
    KS_FN T ks_invert_##S(T x) { return ~x; }                                            \
    KS_FN T ks_abs_##S(T x) { return x < 0 ? (T)((U)0 - (U)x) : x; }                     \
    KS_FN T ks_sign_##S(T x) { return (T)((x > 0) - (x < 0)); }                          \
    KS_INT_SAME(S, T)
KS_INT(i8, int8_t, uint32_t)
KS_INT(i16, int16_t, uint32_t)
KS_INT(i32, int32_t, uint32_t)
KS_INT(i64, int64_t, uint64_t)
#undef KS_INT

/* Unsigned integers: C's unsigned arithmetic in uint32_t (never promoted to int), kept to T's
 * width.  No signs, so // and % are C's; a shift by the width or more gives 0 either way. */
#define KS_UINT(S, T)                                                                     \
    KS_FN T ks_add_##S(T x, T y) { return (T)((uint32_t)x + y); }                        \
    KS_FN T ks_sub_##S(T x, T y) { return (T)((uint32_t)x - y); }                        \
    KS_FN T ks_mul_##S(T x, T y) { return (T)((uint32_t)x * y); }                        \
    KS_FN T ks_floordiv_##S(T x, T y) { return y ? (T)(x / y) : 0; }                      \
    KS_FN T ks_mod_##S(T x, T y) { return y ? (T)(x % y) : 0; }                           \
    KS_FN T ks_fmod_##S(T x, T y) { return y ? (T)(x % y) : 0; }                          \
    KS_FN T ks_pow_##S(T x, T y) { return (T)ks_ipow((int64_t)x, (int64_t)y); }         \
    KS_FN T ks_and_##S(T x, T y) { return x & y; }                                        \
    KS_FN T ks_or_##S(T x, T y) { return x | y; }                                         \
    KS_FN T ks_xor_##S(T x, T y) { return x ^ y; }                                        \
    KS_FN T ks_left_shift_##S(T x, T y) { return y < 8 * sizeof(T) ? (T)((uint32_t)x << y) : 0; } \
    KS_FN T ks_right_shift_##S(T x, T y) { return y < 8 * sizeof(T) ? (T)(x >> y) : 0; } \
    KS_FN T ks_neg_##S(T x) { return (T)(0u - x); }                                       \
    KS_FN T ks_invert_##S(T x) { return (T)~(uint32_t)x; }                               \
    KS_FN T ks_abs_##S(T x) { return x; }                                                 \
    KS_FN T ks_sign_##S(T x) { return x != 0; }                                           \
    KS_INT_SAME(S, T)
KS_UINT(u8, uint8_t)
KS_UINT(u16, uint16_t)
KS_UINT(u32, uint32_t)
#undef KS_UINT
#undef KS_INT_SAME

/* ---------------------------------------------------------------- floats */

/* S: suffix, T: type, F: the C math function's suffix (f for float, nothing for double).
 * Floor division and remainder are NumPy's npy_divmod. */
#define KS_FLOAT(S, T, F)                                                                \
    KS_FN T ks_add_##S(T x, T y) { return x + y; }                                       \
    KS_FN T ks_sub_##S(T x, T y) { return x - y; }                                       \
    KS_FN T ks_mul_##S(T x, T y) { return x * y; }                                       \
    KS_FN T ks_div_##S(T x, T y) { return x / y; }                                       \
    KS_FN T ks_divmod_##S(T a, T b, T *modp) {                                           \
        T mod = fmod##F(a, b);                                                           \
        if (b == 0) {                                                                    \
            *modp = mod;                                                                 \
            return a / b;                                                                \
        }                                                                                \
        T div = (a - mod) / b;                                                           \
        if (mod != 0) {                                                                  \
            if ((b < 0) != (mod < 0)) {                                                  \
                mod += b;                                                                \
                div -= 1;                                                                \
            }                                                                            \
        } else {                                                                         \
            mod = copysign##F((T)0, b);                                                  \
        }                                                                                \
        T fl;                                                                            \
        if (div != 0) {                                                                  \
            fl = floor##F(div);                                                          \
            if (div - fl > (T)0.5) fl += 1;                                              \
        } else {                                                                         \
            fl = copysign##F((T)0, a / b);                                               \
        }                                                                                \
        *modp = mod;                                                                     \
        return fl;                                                                       \
    }                                                                                    \
    KS_FN T ks_floordiv_##S(T x, T y) {                                                  \
        T m;                                                                             \
        return ks_divmod_##S(x, y, &m);                                                  \
    }                                                                                    \
    KS_FN T ks_mod_##S(T x, T y) {                                                       \
        T m;                                                                             \
        ks_divmod_##S(x, y, &m);                                                         \
        return m;                                                                        \
    }                                                                                    \
    KS_FN T ks_pow_##S(T x, T y) { return pow##F(x, y); }                                \
    KS_FN T ks_arctan2_##S(T x, T y) { return atan2##F(x, y); }                          \
    KS_FN T ks_fmod_##S(T x, T y) { return fmod##F(x, y); }                              \
    KS_FN T ks_hypot_##S(T x, T y) { return hypot##F(x, y); }                            \
    KS_FN T ks_copysign_##S(T x, T y) { return copysign##F(x, y); }                      \
    /* x * 2**e exactly (rounded once where it is subnormal); e an integer held as T,        \
     * truncated, and clamped where every result is 0 or ±inf alike (NumPy: to int's range) */ \
    KS_FN T ks_ldexp_##S(T x, T e) {                                                     \
        if (e != e) return e + x;                                                        \
        return ldexp##F(x, e > (T)65536 ? 65536 : e < (T)-65536 ? -65536 : (int)e);      \
    }                                                                                    \
    KS_FN T ks_nextafter_##S(T x, T y) { return nextafter##F(x, y); }                    \
    /* frexp's exponent, as T: x = m * 2**e with 0.5 <= |m| < 1; 0 for 0, ±inf and NaN */   \
    KS_FN T ks_frexp_exponent_##S(T x) {                                                 \
        int e = 0;                                                                       \
        if (x == x && fabs##F(x) < KS_INF_##S) frexp##F(x, &e);                          \
        return (T)e;                                                                     \
    }                                                                                    \
    KS_FN T ks_neg_##S(T x) { return -x; }                                               \
    KS_FN T ks_abs_##S(T x) { return fabs##F(x); }                                       \
    KS_FN T ks_sign_##S(T x) { return x > 0 ? (T)1 : x < 0 ? (T)-1 : x == 0 ? (T)0 : x; } \
    KS_FN T ks_floor_##S(T x) { return floor##F(x); }                                    \
    KS_FN T ks_ceil_##S(T x) { return ceil##F(x); }                                      \
    KS_FN T ks_sqrt_##S(T x) { return sqrt##F(x); }                                      \
    KS_FN T ks_exp_##S(T x) { return exp##F(x); }                                        \
    KS_FN T ks_expm1_##S(T x) { return expm1##F(x); }                                    \
    KS_FN T ks_exp2_##S(T x) { return exp2##F(x); }                                      \
    KS_FN T ks_log_##S(T x) { return log##F(x); }                                        \
    KS_FN T ks_log1p_##S(T x) { return log1p##F(x); }                                    \
    KS_FN T ks_log2_##S(T x) { return log2##F(x); }                                      \
    KS_FN T ks_log10_##S(T x) { return log10##F(x); }                                    \
    KS_FN T ks_sin_##S(T x) { return sin##F(x); }                                        \
    KS_FN T ks_cos_##S(T x) { return cos##F(x); }                                        \
    KS_FN T ks_tan_##S(T x) { return tan##F(x); }                                        \
    KS_FN T ks_arcsin_##S(T x) { return asin##F(x); }                                    \
    KS_FN T ks_arccos_##S(T x) { return acos##F(x); }                                    \
    KS_FN T ks_arctan_##S(T x) { return atan##F(x); }                                    \
    KS_FN T ks_sinh_##S(T x) { return sinh##F(x); }                                      \
    KS_FN T ks_cosh_##S(T x) { return cosh##F(x); }                                      \
    KS_FN T ks_tanh_##S(T x) { return tanh##F(x); }                                      \
    KS_FN T ks_arcsinh_##S(T x) { return asinh##F(x); }                                  \
    KS_FN T ks_arccosh_##S(T x) { return acosh##F(x); }                                  \
    KS_FN T ks_arctanh_##S(T x) { return atanh##F(x); }                                  \
    KS_FN T ks_cbrt_##S(T x) { return ks_cbrt_near##F(x); }                              \
    KS_FN T ks_rint_##S(T x) { return rint##F(x); } /* halves to even, as np.round */    \
    KS_FN T ks_positive_##S(T x) { return x; }                                           \
    KS_FN ks_bool ks_isnan_##S(T x) { return (ks_bool)(x != x); }                        \
    KS_FN ks_bool ks_isinf_##S(T x) { return (ks_bool)(fabs##F(x) == KS_INF_##S); }      \
    KS_FN ks_bool ks_isfinite_##S(T x) { return (ks_bool)(fabs##F(x) < KS_INF_##S); }
#define KS_INF_f32 KS_INF_F32
#define KS_INF_f64 KS_INF_F64
KS_FLOAT(f32, float, f)
KS_FLOAT(f64, double, )
#undef KS_FLOAT

/* ---------------------------------------------------------------- casts */

/* From ks_bool and integers: through int64 (exact), except int64 to float32, which rounds once. */
#define KS_FROM_INT(S, T)                                                                 \
    KS_FN ks_bool ks_cast_##S##_b(T x) { return x != 0; }                                    \
    KS_FN uint8_t ks_cast_##S##_u8(T x) { return (uint8_t)(uint64_t)(int64_t)x; }             \
    KS_FN int8_t ks_cast_##S##_i8(T x) { return (int8_t)(uint8_t)(uint64_t)(int64_t)x; }      \
    KS_FN int16_t ks_cast_##S##_i16(T x) { return (int16_t)(uint16_t)(uint64_t)(int64_t)x; }  \
    KS_FN uint16_t ks_cast_##S##_u16(T x) { return (uint16_t)(uint64_t)(int64_t)x; }          \
    KS_FN uint32_t ks_cast_##S##_u32(T x) { return (uint32_t)(uint64_t)(int64_t)x; }          \
    KS_FN int32_t ks_cast_##S##_i32(T x) { return (int32_t)(uint32_t)(uint64_t)(int64_t)x; } \
    KS_FN int64_t ks_cast_##S##_i64(T x) { return (int64_t)x; }                           \
    KS_FN float ks_cast_##S##_f32(T x) { return (float)x; }                               \
    KS_FN double ks_cast_##S##_f64(T x) { return (double)x; }
KS_FROM_INT(b, ks_bool)
KS_FROM_INT(i8, int8_t)
KS_FROM_INT(u8, uint8_t)
KS_FROM_INT(i16, int16_t)
KS_FROM_INT(u16, uint16_t)
KS_FROM_INT(i32, int32_t)
KS_FROM_INT(u32, uint32_t)
KS_FROM_INT(i64, int64_t)
#undef KS_FROM_INT

/* From floats: through double (exact); NaN and out-of-range values give the most negative
 * integer. */
#define KS_FROM_FLOAT(S, T)                                                               \
    KS_FN ks_bool ks_cast_##S##_b(T x) { return x != 0; }                                    \
    KS_FN int32_t ks_cast_##S##_i32(T x) {                                                \
        double f = (double)x;                                                             \
        return (f >= -2147483648.0 && f < 2147483648.0) ? (int32_t)f : KS_I32_MIN;        \
    }                                                                                     \
    KS_FN int64_t ks_cast_##S##_i64(T x) {                                                \
        double f = (double)x;                                                             \
        return (f >= -9223372036854775808.0 && f < 9223372036854775808.0) ? (int64_t)f   \
                                                                           : KS_I64_MIN;  \
    }                                                                                     \
    KS_FN uint8_t ks_cast_##S##_u8(T x) { return (uint8_t)(uint32_t)ks_cast_##S##_i32(x); } \
    KS_FN int8_t ks_cast_##S##_i8(T x) { return (int8_t)(uint8_t)(uint32_t)ks_cast_##S##_i32(x); } \
    KS_FN int16_t ks_cast_##S##_i16(T x) { return (int16_t)(uint16_t)(uint32_t)ks_cast_##S##_i32(x); } \
    KS_FN uint16_t ks_cast_##S##_u16(T x) { return (uint16_t)(uint32_t)ks_cast_##S##_i32(x); } \
    KS_FN uint32_t ks_cast_##S##_u32(T x) { return (uint32_t)(uint64_t)ks_cast_##S##_i64(x); } \
    KS_FN float ks_cast_##S##_f32(T x) { return (float)x; }                               \
    KS_FN double ks_cast_##S##_f64(T x) { return (double)x; }
KS_FROM_FLOAT(f32, float)
KS_FROM_FLOAT(f64, double)
#undef KS_FROM_FLOAT

#endif
