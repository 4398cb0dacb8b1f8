/*
 * shim.h — what a kiln CUDA program needs of CUDA to compile as host C++ (g++ -std=c++17
 * -include shim.h) and run under the fake driver (fakecuda.c): the qualifiers as nothing or
 * their C++ twins, the thread and block indices as thread-local variables the fake driver sets,
 * __syncthreads and __shfl_down_sync as calls into it, atomicMin, the bit casts, and the vector
 * words and cache-hinted loads of KILN_CUDA_MAP=stream.
 * base/scalar.h is then compiled as the C it also is (the host branch of its #if), so the kernels compute with the
 * host's libm: what is checked is kiln's code around the math (indexing, layouts, argument
 * blocks, staging, fold orders), not CUDA's libdevice.
 */
#ifndef KILN_FAKECUDA_SHIM_H
#define KILN_FAKECUDA_SHIM_H

/* glibc's <math.h> as C declares it (what base/scalar.h calls: sinf, cbrt, fma, by their C
 * names), not libstdc++'s, whose <cmath> (templates and special functions: 21 thousand lines a
 * kernel, of 4 thousand) took two thirds of g++'s time; its guard then set, so that scalar.h's
 * #include <math.h> adds nothing */
#define _GLIBCXX_INCLUDE_NEXT_C_HEADERS 1
#include <math.h>
#undef _GLIBCXX_INCLUDE_NEXT_C_HEADERS
#define _GLIBCXX_MATH_H 1
#include <stdint.h>
#include <string.h>

#define __global__
#define __device__
#define __forceinline__ inline
#define __noinline__ __attribute__((noinline))
#define __launch_bounds__(n)
#define __grid_constant__
#define __shared__ static
#define __align__(n) alignas(n)

struct kc_fake_dim {
    unsigned x, y, z;
};
extern "C" {
extern __thread kc_fake_dim threadIdx, blockIdx;
extern kc_fake_dim blockDim, gridDim;
void kc_fake_syncthreads(void);
uint64_t kc_fake_shfl_down(uint64_t bits, int d);
}

static inline void __syncthreads(void) { kc_fake_syncthreads(); }

template <typename T> static inline T __shfl_down_sync(unsigned mask, T v, int d) {
    (void)mask;
    uint64_t b = 0;
    memcpy(&b, &v, sizeof v);
    b = kc_fake_shfl_down(b, d);
    T r;
    memcpy(&r, &b, sizeof r);
    return r;
}

static inline float __int_as_float(int b) {
    float f;
    memcpy(&f, &b, 4);
    return f;
}
static inline double __longlong_as_double(long long b) {
    double f;
    memcpy(&f, &b, 8);
    return f;
}

static inline unsigned long long atomicMin(unsigned long long *p, unsigned long long v) {
    unsigned long long old = __atomic_load_n(p, __ATOMIC_RELAXED);
    while (v < old && !__atomic_compare_exchange_n(p, &old, v, true, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
    }
    return old;
}

/* CUDA's vector words and its evict-first loads and stores (KILN_CUDA_MAP=stream's), as plain
 * ones: the host has no cache hint to give */
struct alignas(8) int2 {
    int x, y;
};
struct alignas(16) int4 {
    int x, y, z, w;
};
template <typename T> static inline T __ldcs(const T *p) { return *p; }
template <typename T> static inline void __stcs(T *p, T v) { *p = v; }

/* The entry the fake driver calls: kernel f with its argument block at p. */
template <typename A> static inline void kc_fake_call(void (*f)(A), const void *p) { f(*(const A *)p); }

#endif
