/* bench.h — the hand-written loops the benchmark compares kiln with. */
#ifndef KILN_BENCH_H
#define KILN_BENCH_H
void hw_fma(const double *a, const double *b, const double *c, double *o, long n);
void hw_fma_serial(const double *a, const double *b, const double *c, double *o, long n);
void hw_triad(double *a, const double *b, const double *c, double s, long n);
void hw_triad_nt(double *a, const double *b, const double *c, double s, long n);
double hw_dot(const double *a, const double *b, long n);
void hw_touch(double *a, long n);
void hw_sin2(const double *a, double *o, long n);
void hw_sin2f(const float *a, float *o, long n);
#endif
