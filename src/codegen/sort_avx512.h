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
} kiln_vsort_how;

/* x[0..n) sorted ascending in place, y n keys of scratch, by up to nt threads. */
void kiln_vsort_u32(uint32_t *x, uint32_t *y, int64_t n, int nt, const kiln_vsort_how *how);
void kiln_vsort_u64(uint64_t *x, uint64_t *y, int64_t n, int nt, const kiln_vsort_how *how);

#endif
