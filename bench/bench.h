/* bench.h — the hand-written loops the benchmark compares kiln with, and its clock. */
#ifndef KILN_BENCH_H
#define KILN_BENCH_H

#include <stdlib.h>
#include <time.h>

static inline double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static inline int cmp_d(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

void hw_fma(const double *a, const double *b, const double *c, double *o, long n);
void hw_fma_serial(const double *a, const double *b, const double *c, double *o, long n);
void hw_triad(double *a, const double *b, const double *c, double s, long n);
void hw_triad_nt(double *a, const double *b, const double *c, double s, long n);
double hw_dot(const double *a, const double *b, long n);
void hw_touch(double *a, long n);
void hw_sin2(const double *a, double *o, long n);
void hw_sin2f(const float *a, float *o, long n);
#endif
