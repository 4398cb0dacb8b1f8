/*
 * sort_avx512.h — sort's vectorized quicksort of unsigned keys (sort_avx512.c), for CPUs with
 * AVX-512F; the caller checks the CPU.
 */
#ifndef KILN_SORT_AVX512_H
#define KILN_SORT_AVX512_H

#include <stdbool.h>
#include <stdint.h>

/* How to sort: compress_store, partitions store by compressing stores (the fastest on Intel's
 * cores, microcode on AMD's), else compress in registers; fallback sorts x[0..n) in place (y: n
 * of scratch) where the quicksort goes too deep, from any of its threads at once. */
typedef struct kiln_vsort_how {
    bool compress_store;
    void (*fallback)(void *x, void *y, int64_t n);
    int depth; /* levels of partitions before the fallback; 0: 2·log2(n) (tests force the fallback) */
    int leaf;  /* registers of keys (2 to 32) a range may have and be sorted by networks; else 8 */
} kiln_vsort_how;

/* x[0..n) sorted ascending in place, y n keys of scratch, by up to nt threads. */
void kiln_vsort_u32(uint32_t *x, uint32_t *y, int64_t n, int nt, const kiln_vsort_how *how);
void kiln_vsort_u64(uint64_t *x, uint64_t *y, int64_t n, int nt, const kiln_vsort_how *how);

/* x[0..n) partitioned in place: ranks [a, b] (0 <= a <= b < n) hold the keys sorting puts there,
 * none larger before them, none smaller after; one thread. */
void kiln_vselect_u32(uint32_t *x, uint32_t *y, int64_t n, int64_t a, int64_t b, const kiln_vsort_how *how);
void kiln_vselect_u64(uint64_t *x, uint64_t *y, int64_t n, int64_t a, int64_t b, const kiln_vsort_how *how);

/* Keys of the n values at in (fl: floats, else integers of the key's width) as sort.c builds them,
 * written to out (which may be in); their range folded into *lo and *hi; true where a value was
 * NaN or -0.0.  And values from n keys (out may be keys). */
bool kiln_vsort_keys_u32(const uint32_t *in, uint32_t *out, int64_t n, bool fl, uint32_t *lo, uint32_t *hi);
bool kiln_vsort_keys_u64(const uint64_t *in, uint64_t *out, int64_t n, bool fl, uint64_t *lo, uint64_t *hi);
void kiln_vsort_values_u32(const uint32_t *keys, uint32_t *out, int64_t n, bool fl);
void kiln_vsort_values_u64(const uint64_t *keys, uint64_t *out, int64_t n, bool fl);

/* searchsorted's sorted keys as a tree of 8-key nodes (sort_avx512.c says how): the u64 slots it
 * takes, the tree of len keys written to tree, and the positions of m ≤ 16 values' keys (how
 * many keys come before each; right: before or equal). */
int64_t kiln_vtree_size(int64_t len);
void kiln_vtree_build(const uint64_t *keys, int64_t len, uint64_t *tree);
void kiln_vtree_search(const uint64_t *tree, int64_t len, const uint64_t *v, int m, bool right, int64_t *pos);

/* unique's runs: of sorted x[0..n) (no NaN), the first value of each run of equal values (by
 * ==: floats' -0.0 equals 0.0) written in order to out, where out is not NULL; how many runs. */
int64_t kiln_vruns_f64(const double *x, int64_t n, double *out);
int64_t kiln_vruns_f32(const float *x, int64_t n, float *out);
int64_t kiln_vruns_u64(const uint64_t *x, int64_t n, uint64_t *out);
int64_t kiln_vruns_u32(const uint32_t *x, int64_t n, uint32_t *out);

#endif
