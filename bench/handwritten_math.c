/*
 * handwritten_math.c — sin(a)*sin(a) by hand, vectorized with glibc's libmvec: gcc only
 * calls the vector sin under -ffast-math (glibc declares the SIMD variants then), so this file
 * alone is compiled with gcc -O3 -march=native -fopenmp -ffast-math.
 */
#include <math.h>

#include "bench.h"

void hw_sin2(const double *a, double *o, long n) {
#pragma omp parallel for simd schedule(static)
    for (long i = 0; i < n; i++) o[i] = sin(a[i]) * sin(a[i]);
}

void hw_sin2f(const float *a, float *o, long n) {
#pragma omp parallel for simd schedule(static)
    for (long i = 0; i < n; i++) o[i] = sinf(a[i]) * sinf(a[i]);
}
