/*
 * sort_avx2.h — sort's keys built with AVX2 (sort_avx2.c), where the vectorized quicksort is off
 * (sort_avx512.c builds its keys), its quicksort, and its networks for the radix sort's short
 * buckets (any CPU with AVX2); the caller checks the CPU.
 */
#ifndef KILN_SORT_AVX2_H
#define KILN_SORT_AVX2_H

#include "sort_avx512.h" /* (kiln_vsort_how) */

#include <stdbool.h>
#include <stdint.h>

/* Keys of the first n - n % (32 / width) values at in (fl: floats, else signed integers of the
 * key's width) as sort.c's sort_key builds them, written to out; their range folded into *lo
 * and *hi, a NaN or -0.0 among them into *sp.  Returns how many it built (the rest: sort.c). */
int64_t kiln_keys_avx2_u32(const uint32_t *in, uint32_t *out, int64_t n, bool fl, uint64_t *lo, uint64_t *hi, bool *sp);
int64_t kiln_keys_avx2_u64(const uint64_t *in, uint64_t *out, int64_t n, bool fl, uint64_t *lo, uint64_t *hi, bool *sp);

/* Values from the first n - n % (32 / width) keys (sort.c's sort_value; fl: floats, else signed
 * integers of the key's width), written to out (which may be keys).  Returns how many (the
 * rest: sort.c). */
int64_t kiln_values_avx2_u32(const uint32_t *keys, uint32_t *out, int64_t n, bool fl);
int64_t kiln_values_avx2_u64(const uint64_t *keys, uint64_t *out, int64_t n, bool fl);

/* sort_avx512.c's kiln_vsort_u32 and kiln_vselect_u32 (and u64) in AVX2 (how->compress_store
 * unused; leaves of 16 registers where how->leaf is not 2 to 32).  sort.c selects 64-bit keys
 * so only in lines shorter than SELECT_SAMPLED (its vsort says why). */
void kiln_vsort2_u32(uint32_t *x, uint32_t *y, int64_t n, int nt, const kiln_vsort_how *how);
void kiln_vsort2_u64(uint64_t *x, uint64_t *y, int64_t n, int nt, const kiln_vsort_how *how);
void kiln_vselect2_u32(uint32_t *x, uint32_t *y, int64_t n, int64_t a, int64_t b, const kiln_vsort_how *how);
void kiln_vselect2_u64(uint64_t *x, uint64_t *y, int64_t n, int64_t a, int64_t b, const kiln_vsort_how *how);

/* x[0..n) (unsigned keys, 2 <= n <= 32 registers' worth) sorted by sorting networks. */
void kiln_leaf2_u32(uint32_t *x, int64_t n);
void kiln_leaf2_u64(uint64_t *x, int64_t n);

/* unique's runs, as sort_avx512.h's kiln_vruns_; out, where not NULL, holds runs (the count a
 * call without it returned) and nothing past them. */
int64_t kiln_vruns2_f64(const double *x, int64_t n, double *out, int64_t runs);
int64_t kiln_vruns2_f32(const float *x, int64_t n, float *out, int64_t runs);
int64_t kiln_vruns2_u64(const uint64_t *x, int64_t n, uint64_t *out, int64_t runs);
int64_t kiln_vruns2_u32(const uint32_t *x, int64_t n, uint32_t *out, int64_t runs);

/* For each mask m of 8 lanes, the lanes in m, then the others, a byte each (in order), filled
 * by kiln_perms_ready (once; any CPU with AVX2): the permutations that partition a register by
 * a compare's mask (sort_avx512.c's for 64-bit keys too). */
extern uint64_t kiln_perm8[256];
void kiln_perms_ready(void);

#endif
