/*
 * ramp.c — the values of arange and linspace: element i of a ramp is start + i * step, computed
 * as NumPy's fill computes it (the product rounded, then the sum; integers wrapping in their
 * dtype; float32's in float32).  Each element depends on its index alone, so the runtime fills
 * a ramp by chunks on its threads (rt_ramp), and each chunk here runs in vectors: the loops are
 * cloned per ISA and built without FMA contraction (CMakeLists.txt), which would change the bits.
 */
#include <string.h>

#include "host.h"

/* Float64 element i0 + i is start + (double)(i0 + i) * step.  The index converts in vectors as
 * (double)i0 + (double)(int32)i, exactly the same number while it is below 2^53; a chunk of
 * 2^31 or more (or past 2^53) takes the index whole. */
KILN_CLONES static void ramp_f64(double *d, int64_t i0, int64_t n, double start, double step) {
    if (n > INT32_MAX || i0 + n > (INT64_C(1) << 53)) {
        for (int64_t i = 0; i < n; i++) d[i] = start + (double)(i0 + i) * step;
        return;
    }
    double base = (double)i0;
    for (int32_t i = 0; i < (int32_t)n; i++) d[i] = start + (base + (double)i) * step;
}

/* Float32 element i is start + (float)i * step in float32; its index converts exactly only as
 * itself (a float32 sum of two parts would round twice), in vectors while it fits an int32. */
KILN_CLONES static void ramp_f32(float *d, int64_t i0, int64_t n, float start, float step) {
    int64_t i = 0;
    if (i0 <= INT32_MAX) {
        int64_t m = INT32_MAX - i0 + 1 < n ? INT32_MAX - i0 + 1 : n;
        int32_t b = (int32_t)i0;
        for (int32_t k = 0; k < (int32_t)m; k++) d[k] = start + (float)(b + k) * step;
        i = m;
    }
    for (; i < n; i++) d[i] = start + (float)(i0 + i) * step;
}

#define RAMP_INT(T)                                                                          \
    KILN_CLONES static void ramp_##T(T *d, int64_t i0, int64_t n, uint64_t start, uint64_t step) { \
        T x = (T)(start + (uint64_t)i0 * step), s = (T)step;                                  \
        for (int64_t i = 0; i < n; i++, x = (T)(x + s)) d[i] = x;                             \
    }
RAMP_INT(uint8_t)
RAMP_INT(uint16_t)
RAMP_INT(uint32_t)
RAMP_INT(uint64_t)
#undef RAMP_INT

void host_ramp(char *p, int64_t i0, int64_t n, kiln_dtype dt, kscalar start, kscalar step) {
    size_t es = kiln_dtype_size(dt);
    if (dt == KILN_F64) ramp_f64((double *)(void *)p, i0, n, start.f64, step.f64);
    else if (dt == KILN_F32) ramp_f32((float *)(void *)p, i0, n, start.f32, step.f32);
    else if (es == 8) ramp_uint64_t((uint64_t *)(void *)p, i0, n, (uint64_t)start.i64, (uint64_t)step.i64);
    else if (es == 4) ramp_uint32_t((uint32_t *)(void *)p, i0, n, (uint64_t)start.i64, (uint64_t)step.i64);
    else if (es == 2) ramp_uint16_t((uint16_t *)(void *)p, i0, n, (uint64_t)start.i64, (uint64_t)step.i64);
    else ramp_uint8_t((uint8_t *)(void *)p, i0, n, (uint64_t)start.i64, (uint64_t)step.i64);
}
