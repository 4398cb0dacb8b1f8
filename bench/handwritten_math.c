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

void hw_sin2_serial(const double *a, double *o, long n) {
#pragma omp simd
    for (long i = 0; i < n; i++) o[i] = sin(a[i]) * sin(a[i]);
}

#define LR_BLOCK 512 /* samples per block: z's block stays in L1 while X's rows pass */

/* One epoch of examples/logistic_regression.c by hand, in one pass over X (nf × m, C order,
 * nf <= 64) in blocks of samples: z = w.T@X + b, A = sigmoid(z), dz = A - Y, the cost, dw =
 * X@dz.T/m and db = sum(dz)/m, then w and b updated by lr.  Returns the cost. */
double hw_logistic(const double *X, const double *Y, double *w, double *b, long nf, long m, double lr, int threads) {
    double dw[64] = {0}, db = 0, cost = 0;
#pragma omp parallel num_threads(threads) if (threads > 1)
    {
        double ldw[64] = {0}, ldb = 0, lcost = 0, z[LR_BLOCK];
#pragma omp for schedule(static)
        for (long j0 = 0; j0 < m; j0 += LR_BLOCK) {
            long n = m - j0 < LR_BLOCK ? m - j0 : LR_BLOCK;
            for (long j = 0; j < n; j++) z[j] = *b;
            for (long f = 0; f < nf; f++)
#pragma omp simd
                for (long j = 0; j < n; j++) z[j] += w[f] * X[f * m + j0 + j];
#pragma omp simd reduction(+ : ldb, lcost)
            for (long j = 0; j < n; j++) {
                double a = 1 / (1 + exp(-z[j])), y = Y[j0 + j];
                lcost += y * log(a) + (1 - y) * log(1 - a);
                z[j] = a - y;
                ldb += z[j];
            }
            for (long f = 0; f < nf; f++) {
                double s = 0;
#pragma omp simd reduction(+ : s)
                for (long j = 0; j < n; j++) s += X[f * m + j0 + j] * z[j];
                ldw[f] += s;
            }
        }
#pragma omp critical
        {
            for (long f = 0; f < nf; f++) dw[f] += ldw[f];
            db += ldb;
            cost += lcost;
        }
    }
    for (long f = 0; f < nf; f++) w[f] -= lr * dw[f] / (double)m;
    *b -= lr * db / (double)m;
    return -cost / (double)m;
}
