/*
 * handwritten.c — the loops a careful C programmer writes by hand, compiled with
 * gcc -O3 -march=native -fopenmp (see CMakeLists.txt): the benchmark's "hand-written C" column.
 */
#include <immintrin.h>
#include <omp.h>
#include <stdint.h>

#include "bench.h"

void hw_fma(const double *a, const double *b, const double *c, double *o, long n) {
#pragma omp parallel for simd schedule(static)
    for (long i = 0; i < n; i++) o[i] = a[i] * b[i] + c[i];
}

void hw_fma_serial(const double *a, const double *b, const double *c, double *o, long n) {
#pragma omp simd
    for (long i = 0; i < n; i++) o[i] = a[i] * b[i] + c[i];
}

/* STREAM's triad, the bandwidth floor: two arrays read, one written. */
void hw_triad(double *a, const double *b, const double *c, double s, long n) {
#pragma omp parallel for simd schedule(static)
    for (long i = 0; i < n; i++) a[i] = b[i] + s * c[i];
}

/* The triad with streaming stores (what STREAM's best builds use): the bandwidth ceiling. */
void hw_triad_nt(double *a, const double *b, const double *c, double s, long n) {
#ifdef __AVX512F__
    if ((uintptr_t)a % 64 == 0 && n % 8 == 0) {
        __m512d vs = _mm512_set1_pd(s);
#pragma omp parallel for schedule(static)
        for (long i = 0; i < n; i += 8)
            _mm512_stream_pd(a + i, _mm512_fmadd_pd(vs, _mm512_loadu_pd(c + i), _mm512_loadu_pd(b + i)));
        _mm_sfence();
        return;
    }
#endif
    hw_triad(a, b, c, s, n);
}

/* sum(a*b): an OpenMP reduction, vectorized (omp simd allows the reassociation). */
double hw_dot(const double *a, const double *b, long n) {
    double s = 0;
#pragma omp parallel for simd reduction(+ : s) schedule(static)
    for (long i = 0; i < n; i++) s += a[i] * b[i];
    return s;
}

/* Pages touched by the threads that will use them, before any timing. */
void hw_touch(double *a, long n) {
#pragma omp parallel for schedule(static)
    for (long i = 0; i < n; i++) a[i] = (double)(i % 1000) * 1e-3;
}

double hw_dot_serial(const double *a, const double *b, long n) {
    double s = 0;
#pragma omp simd reduction(+ : s)
    for (long i = 0; i < n; i++) s += a[i] * b[i];
    return s;
}
