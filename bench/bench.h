/* bench.h — the hand-written loops the benchmark compares kiln with, and its clock. */
#ifndef KILN_BENCH_H
#define KILN_BENCH_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
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

void hw_touch(double *a, long n);

/* The median of t[0..n) (sorts t). */
static inline double median(double *t, int n) {
    qsort(t, (size_t)n, sizeof *t, cmp_d);
    return t[n / 2];
}

/* A big buffer with huge pages, first touched by the threads that will use it. */
static inline void *big(size_t bytes) {
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        perror("mmap");
        exit(1);
    }
    madvise(p, bytes, MADV_HUGEPAGE);
    hw_touch(p, (long)(bytes / sizeof(double)));
    return p;
}

void hw_fma(const double *a, const double *b, const double *c, double *o, long n);
void hw_fma_serial(const double *a, const double *b, const double *c, double *o, long n);
void hw_triad(double *a, const double *b, const double *c, double s, long n);
void hw_triad_nt(double *a, const double *b, const double *c, double s, long n);
double hw_dot(const double *a, const double *b, long n);
void hw_sin2(const double *a, double *o, long n);
void hw_sin2f(const float *a, float *o, long n);

/* STREAM's triad over n elements, runs times alternating plain and streaming stores: the best
 * time in ms (STREAM reports the best of its runs: the bandwidth the machine can reach). */
static inline double best_triad_ms(double *a, const double *b, const double *c, long n, int runs) {
    double best = 1e30;
    for (int r = 0; r < runs; r++) {
        double t0 = now();
        if (r % 2) hw_triad(a, b, c, 3.0, n);
        else hw_triad_nt(a, b, c, 3.0, n);
        double t = (now() - t0) * 1e3;
        if (t < best) best = t;
    }
    return best;
}
double hw_dot_serial(const double *a, const double *b, long n);
void hw_sin2_serial(const double *a, double *o, long n);
double hw_logistic(const double *X, const double *Y, double *w, double *b, long nf, long m, double lr, int threads);
#endif
