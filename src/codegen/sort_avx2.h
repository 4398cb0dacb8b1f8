/*
 * sort_avx2.h — sort's keys built with AVX2 (sort_avx2.c), where the vectorized quicksort is off
 * (sort_avx512.c builds its keys); the caller checks the CPU.
 */
#ifndef KILN_SORT_AVX2_H
#define KILN_SORT_AVX2_H

#include <stdbool.h>
#include <stdint.h>

/* Keys of the first n - n % (32 / width) values at in (fl: floats, else signed integers of the
 * key's width) as sort.c's sort_key builds them, written to out; their range folded into *lo
 * and *hi, a NaN or -0.0 among them into *sp.  Returns how many it built (the rest: sort.c). */
int64_t kiln_keys_avx2_u32(const uint32_t *in, uint32_t *out, int64_t n, bool fl, uint64_t *lo, uint64_t *hi, bool *sp);
int64_t kiln_keys_avx2_u64(const uint64_t *in, uint64_t *out, int64_t n, bool fl, uint64_t *lo, uint64_t *hi, bool *sp);

#endif
