/*
 * rng.c — NumPy's random streams.
 *
 * Two bit generators and the draws NumPy makes from them, each in NumPy's order, so that
 * np.random.seed(0); randn(3) and default_rng(0).random(3) are NumPy's numbers:
 *   - MT19937, as np.random's legacy RandomState seeds and draws it (Knuth's seeding for an int,
 *     init_by_array for a list; doubles from two 32-bit words; the polar method for normals);
 *   - PCG64 (XSL-RR output of a 128-bit LCG), seeded as SeedSequence hashes the seed's words,
 *     with a 32-bit draw taking half of a 64-bit one and keeping the other half.
 * The ziggurat's tables (a Generator's normals and exponentials) are computed here, in long
 * double, from the ziggurat's defining equations with NumPy's right-hand edges. The float tables
 * come out as NumPy's exactly; the double ones agree to about 1e-14, so a Generator's float64
 * normals match NumPy's to that relative precision (every other draw matches bit for bit).
 * The algorithms are NumPy 2.2's, the version kiln's NumPy checks pin; NumPy 2.5 changed two of
 * a Generator's (binomial's BTPE test and inversion, wald's formula), not RandomState's.
 */
#include "rng.h"

#include <math.h>
#include <omp.h>
#include <pthread.h>
#include <string.h>
#include <sys/random.h>

/* ------------------------------------------------------------------ MT19937 */

enum { MT_M = 397 };

void fe_rng_seed_mt(fe_rng *r, uint32_t seed) {
    uint32_t *key = r->key;
    memset(r, 0, sizeof *r);
    r->key = key;
    for (int i = 0; i < FE_MT_WORDS; i++) {
        r->key[i] = seed;
        seed = 1812433253u * (seed ^ (seed >> 30)) + (uint32_t)i + 1;
    }
    r->pos = FE_MT_WORDS;
}

void fe_rng_seed_mt_words(fe_rng *r, const uint32_t *words, int n) {
    fe_rng_seed_mt(r, 19650218u);
    uint32_t *mt = r->key;
    int i = 1, j = 0;
    for (int k = FE_MT_WORDS > n ? FE_MT_WORDS : n; k; k--) {
        mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1664525u)) + words[j] + (uint32_t)j;
        if (++i >= FE_MT_WORDS) mt[0] = mt[FE_MT_WORDS - 1], i = 1;
        if (++j >= n) j = 0;
    }
    for (int k = FE_MT_WORDS - 1; k; k--) {
        mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1566083941u)) - (uint32_t)i;
        if (++i >= FE_MT_WORDS) mt[0] = mt[FE_MT_WORDS - 1], i = 1;
    }
    mt[0] = 0x80000000u; /* never all zero */
    r->pos = FE_MT_WORDS;
}

static inline uint32_t mt_twist(uint32_t a, uint32_t b, uint32_t far) {
    uint32_t y = (a & 0x80000000u) | (b & 0x7fffffffu);
    return far ^ (y >> 1) ^ (-(y & 1u) & 0x9908b0dfu);
}

static void mt_refill(fe_rng *r) { /* (three runs, no index wrapping inside them) */
    uint32_t *k = r->key;
    int i = 0;
    for (; i < FE_MT_WORDS - MT_M; i++) k[i] = mt_twist(k[i], k[i + 1], k[i + MT_M]);
    for (; i < FE_MT_WORDS - 1; i++) k[i] = mt_twist(k[i], k[i + 1], k[i + MT_M - FE_MT_WORDS]);
    k[i] = mt_twist(k[i], k[0], k[MT_M - 1]);
    r->pos = 0;
}

static inline uint32_t mt_next(fe_rng *r) {
    if (r->pos == FE_MT_WORDS) mt_refill(r);
    uint32_t y = r->key[r->pos++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    return y ^ (y >> 18);
}

/* ------------------------------------------------------------------ PCG64 and SeedSequence */

#define PCG_MULT (((unsigned __int128)2549297995355413924ull << 64) | 4865540595714422341ull)

static inline uint64_t pcg_next(fe_rng *r) {
    r->state = r->state * PCG_MULT + r->inc;
    uint64_t x = (uint64_t)(r->state >> 64) ^ (uint64_t)r->state;
    unsigned rot = (unsigned)(r->state >> 122);
    return (x >> rot) | (x << ((64 - rot) & 63));
}

static uint32_t hashmix(uint32_t v, uint32_t *h) {
    v ^= *h;
    *h *= 0x931e8875u;
    v *= *h;
    return v ^ (v >> 16);
}

static uint32_t mix(uint32_t x, uint32_t y) {
    uint32_t m = 0xca01f9ddu * x - 0x4973f715u * y;
    return m ^ (m >> 16);
}

void fe_rng_seed_pcg(fe_rng *r, const uint32_t *entropy, int n) {
    enum { POOL = 4 };
    uint32_t pool[POOL], h = 0x43b0d7e5u; /* SeedSequence's pool, entropy mixed in */
    for (int i = 0; i < POOL; i++) pool[i] = hashmix(i < n ? entropy[i] : 0, &h);
    for (int s = 0; s < POOL; s++)
        for (int d = 0; d < POOL; d++)
            if (s != d) pool[d] = mix(pool[d], hashmix(pool[s], &h));
    for (int s = POOL; s < n; s++)
        for (int d = 0; d < POOL; d++) pool[d] = mix(pool[d], hashmix(entropy[s], &h));
    uint32_t w[8], hb = 0x8b51f9ddu; /* generate_state(4, uint64): eight words from the pool */
    for (int i = 0; i < 8; i++) {
        uint32_t v = pool[i % POOL] ^ hb;
        hb *= 0x58f38dedu;
        v *= hb;
        w[i] = v ^ (v >> 16);
    }
    uint64_t q[4];
    for (int i = 0; i < 4; i++) q[i] = (uint64_t)w[2 * i] | (uint64_t)w[2 * i + 1] << 32;
    memset(r, 0, sizeof *r);
    r->pcg = true;
    unsigned __int128 seed = (unsigned __int128)q[0] << 64 | q[1], seq = (unsigned __int128)q[2] << 64 | q[3];
    r->inc = seq << 1 | 1; /* pcg_setseq_128_srandom_r */
    r->state = r->inc;     /* (0 stepped once) */
    r->state += seed;
    r->state = r->state * PCG_MULT + r->inc;
}

bool fe_rng_os_entropy(uint32_t *w, int n) {
    size_t want = (size_t)n * sizeof *w, got = 0;
    while (got < want) {
        ssize_t k = getrandom((char *)w + got, want - got, 0);
        if (k <= 0) return false;
        got += (size_t)k;
    }
    return true;
}

/* ------------------------------------------------------------------ bits */

uint32_t fe_rng_u32(fe_rng *r) {
    if (!r->pcg) return mt_next(r);
    if (r->has32) {
        r->has32 = false;
        return r->u32;
    }
    uint64_t x = pcg_next(r);
    r->has32 = true;
    r->u32 = (uint32_t)(x >> 32);
    return (uint32_t)x;
}

uint64_t fe_rng_u64(fe_rng *r) {
    if (r->pcg) return pcg_next(r);
    uint64_t hi = mt_next(r);
    return hi << 32 | mt_next(r);
}

static inline double next_double(fe_rng *r) {
    if (r->pcg) return (double)(pcg_next(r) >> 11) * (1.0 / 9007199254740992.0);
    int32_t a = (int32_t)(mt_next(r) >> 5), b = (int32_t)(mt_next(r) >> 6);
    return (a * 67108864.0 + b) / 9007199254740992.0;
}

double fe_rng_double(fe_rng *r) { return next_double(r); }

float fe_rng_float(fe_rng *r) { return (float)(fe_rng_u32(r) >> 8) * (1.0f / 16777216.0f); }

static uint64_t mask_of(uint64_t max) {
    for (int s = 1; s < 64; s *= 2) max |= max >> s;
    return max;
}

uint64_t fe_rng_interval(fe_rng *r, uint64_t max) {
    if (max == 0) return 0;
    uint64_t mask = mask_of(max), v;
    if (max <= 0xffffffffu)
        while ((v = fe_rng_u32(r) & mask) > max) {}
    else
        while ((v = fe_rng_u64(r) & mask) > max) {}
    return v;
}

uint64_t fe_rng_bounded(fe_rng *r, uint64_t range, bool masked) {
    if (range == 0) return 0;
    if (range == 0xffffffffu) return fe_rng_u32(r);
    if (range == UINT64_MAX) return fe_rng_u64(r);
    if (masked) return fe_rng_interval(r, range);
    if (range < 0xffffffffu) { /* Lemire's method on 32 bits */
        uint32_t excl = (uint32_t)range + 1;
        uint64_t m = (uint64_t)fe_rng_u32(r) * excl;
        if ((uint32_t)m < excl) {
            uint32_t threshold = (UINT32_MAX - (uint32_t)range) % excl;
            while ((uint32_t)m < threshold) m = (uint64_t)fe_rng_u32(r) * excl;
        }
        return m >> 32;
    }
    uint64_t excl = range + 1;
    unsigned __int128 m = (unsigned __int128)fe_rng_u64(r) * excl;
    if ((uint64_t)m < excl) {
        uint64_t threshold = (UINT64_MAX - range) % excl;
        while ((uint64_t)m < threshold) m = (unsigned __int128)fe_rng_u64(r) * excl;
    }
    return (uint64_t)(m >> 64);
}

/* The next bits-bit piece of a 32-bit draw, low first (NumPy's buffered_uint8 and _uint16). */
static uint32_t buffered(fe_rng *r, int bits, uint32_t *buf, int *bcnt) {
    if (!*bcnt) {
        *buf = fe_rng_u32(r);
        *bcnt = 32 / bits - 1;
    } else {
        *buf >>= bits;
        --*bcnt;
    }
    return *buf & ((1u << bits) - 1);
}

/* One draw in [0, range] of bits bits (inlined with bits and masked constant by the fill): by
 * masked rejection (mask: mask_of(range)), or by Lemire's multiply, drawn again while the low
 * part is below threshold ((top - range) % excl, which is below excl: NumPy tests that first
 * and computes it only then; the draws are the same). */
static inline __attribute__((always_inline)) uint32_t small_draw(fe_rng *r, uint32_t range, int bits, bool masked, uint32_t mask,
                                                                  uint32_t threshold, uint32_t *buf, int *bcnt) {
    uint32_t top = (1u << bits) - 1, excl = range + 1, v;
    if (range == 0) return 0;
    if (range == top) return buffered(r, bits, buf, bcnt);
    if (masked) {
        while ((v = buffered(r, bits, buf, bcnt) & mask) > range) {}
        return v;
    }
    uint32_t m = buffered(r, bits, buf, bcnt) * excl; /* (below 2^32 for 16 bits) */
    while ((m & top) < threshold) m = buffered(r, bits, buf, bcnt) * excl;
    return m >> bits;
}

static uint32_t small_threshold(uint32_t range, int bits) {
    uint32_t top = (1u << bits) - 1;
    return range && range < top ? (top - range) % (range + 1) : 0;
}

uint32_t fe_rng_bounded_small(fe_rng *r, uint32_t range, int bits, bool masked, uint32_t *buf, int *bcnt) {
    return small_draw(r, range, bits, masked, (uint32_t)mask_of(range), masked ? 0 : small_threshold(range, bits), buf, bcnt);
}

static inline __attribute__((always_inline)) void small_fill_as(fe_rng *r, int64_t low, uint32_t range, int bits, bool masked,
                                                                 int64_t n, void *out) {
    uint32_t mask = (uint32_t)mask_of(range), threshold = small_threshold(range, bits), buf = 0; /* (once) */
    int bcnt = 0;
    for (int64_t i = 0; i < n; i++) {
        uint64_t x = (uint64_t)low + small_draw(r, range, bits, masked, mask, threshold, &buf, &bcnt); /* (in the dtype's range: its low bits) */
        if (bits == 16) ((uint16_t *)out)[i] = (uint16_t)x;
        else ((uint8_t *)out)[i] = (uint8_t)x;
    }
}

void fe_rng_bounded_small_fill(fe_rng *r, int64_t low, uint32_t range, int bits, bool masked, int64_t n, void *out) {
    if (bits == 16) masked ? small_fill_as(r, low, range, 16, true, n, out) : small_fill_as(r, low, range, 16, false, n, out);
    else masked ? small_fill_as(r, low, range, 8, true, n, out) : small_fill_as(r, low, range, 8, false, n, out);
}

static inline double gauss(fe_rng *r) {
    if (r->has_gauss) {
        r->has_gauss = false;
        return r->gauss;
    }
    double x1, x2, r2;
    do {
        x1 = 2.0 * fe_rng_double(r) - 1.0;
        x2 = 2.0 * fe_rng_double(r) - 1.0;
        r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 == 0.0);
    double f = sqrt(-2.0 * log(r2) / r2);
    r->gauss = f * x1;
    r->has_gauss = true;
    return f * x2;
}

/* ------------------------------------------------------------------ the ziggurat */

/* The layers are computed in quadruple precision where the compiler has it (libquadmath): the
 * recurrence from the edge down to the smallest layer multiplies the edge's rounding by about a
 * thousand, and long double's leaves a Generator's float64 exponentials 1-2 ulps from NumPy's in
 * 2.4% of draws (NumPy's exponential tables are the quadruple ones, rounded). */
#ifdef KILN_HAVE_QUADMATH
#include <quadmath.h>
typedef __float128 zreal;
#define ZR(x) x##Q
#define Z_EXP expq
#define Z_LOG logq
#define Z_SQRT sqrtq
#define Z_ACOS acosq
#define Z_ERFC erfcq
#else
typedef long double zreal;
#define ZR(x) x##L
#define Z_EXP expl
#define Z_LOG logl
#define Z_SQRT sqrtl
#define Z_ACOS acosl
#define Z_ERFC erfcl
#endif
static const zreal NOR_R = ZR(3.6541528853610087963519472518), EXP_R = ZR(7.6971174701310497140446280481);

static struct {
    uint64_t ki[256], ke[256];
    double wi[256], fi[256], we[256], fe[256];
    uint32_t kif[256], kef[256];
    float wif[256], fif[256], wef[256], fef[256];
} Z;
static pthread_once_t z_once = PTHREAD_ONCE_INIT;

/* 256 layers of equal area v under f (exp(-x^2/2) or exp(-x)) from edge r down: x[i], and
 * k[i] = x[i-1]/x[i] scaled to the draw's bits, w[i] = x[i] over them, f[i] = f(x[i]). */
static void z_layers(bool normal, zreal bits, zreal *k, zreal *w, zreal *f) {
    zreal x = normal ? NOR_R : EXP_R, prev = x;
    zreal fx = normal ? Z_EXP(-x * x / 2) : Z_EXP(-x);
    zreal v = normal ? x * fx + Z_SQRT(Z_ACOS(-1) / 2) * Z_ERFC(x / Z_SQRT(2)) : (x + 1) * fx;
    zreal q = v / fx;
    k[0] = x / q * bits, k[1] = 0, w[0] = q / bits, w[255] = x / bits, f[0] = 1, f[255] = fx;
    for (int i = 254; i >= 1; i--) {
        x = normal ? Z_SQRT(-2 * Z_LOG(v / x + Z_EXP(-x * x / 2))) : -Z_LOG(v / x + Z_EXP(-x));
        k[i + 1] = x / prev * bits;
        prev = x;
        f[i] = normal ? Z_EXP(-x * x / 2) : Z_EXP(-x);
        w[i] = x / bits;
    }
}

static void z_build(void) {
    zreal k[256], w[256], f[256];
    z_layers(true, ZR(0x1p52), k, w, f);
    for (int i = 0; i < 256; i++) Z.ki[i] = (uint64_t)(k[i] + ZR(0.5)), Z.wi[i] = (double)w[i], Z.fi[i] = (double)f[i];
    z_layers(true, ZR(0x1p23), k, w, f);
    for (int i = 0; i < 256; i++) Z.kif[i] = (uint32_t)(k[i] + ZR(0.5)), Z.wif[i] = (float)w[i], Z.fif[i] = (float)f[i];
    z_layers(false, ZR(0x1p53), k, w, f);
    for (int i = 0; i < 256; i++) Z.ke[i] = (uint64_t)(k[i] + ZR(0.5)), Z.we[i] = (double)w[i], Z.fe[i] = (double)f[i];
    z_layers(false, ZR(0x1p23), k, w, f);
    for (int i = 0; i < 256; i++) Z.kef[i] = (uint32_t)(k[i] + ZR(0.5)), Z.wef[i] = (float)w[i], Z.fef[i] = (float)f[i];
}

static inline double zig_normal(fe_rng *r) {
    pthread_once(&z_once, z_build);
    const double R = (double)NOR_R, INV_R = (double)(1 / NOR_R);
    for (;;) {
        uint64_t b = fe_rng_u64(r);
        int idx = (int)(b & 0xff);
        b >>= 8;
        uint64_t rabs = (b >> 1) & 0x000fffffffffffffull;
        double x = (double)rabs * Z.wi[idx];
        if (b & 1) x = -x;
        if (rabs < Z.ki[idx]) return x;
        if (idx == 0) /* the tail beyond R */
            for (;;) {
                double xx = -INV_R * log1p(-fe_rng_double(r)), yy = -log1p(-fe_rng_double(r));
                if (yy + yy > xx * xx) return (rabs >> 8) & 1 ? -(R + xx) : R + xx;
            }
        if ((Z.fi[idx - 1] - Z.fi[idx]) * fe_rng_double(r) + Z.fi[idx] < exp(-0.5 * x * x)) return x;
    }
}

float fe_rng_normal_f(fe_rng *r) {
    pthread_once(&z_once, z_build);
    const float R = (float)NOR_R, INV_R = (float)(1 / NOR_R);
    for (;;) {
        uint32_t b = fe_rng_u32(r);
        int idx = (int)(b & 0xff);
        uint32_t rabs = (b >> 9) & 0x7fffff;
        float x = (float)rabs * Z.wif[idx];
        if ((b >> 8) & 1) x = -x;
        if (rabs < Z.kif[idx]) return x;
        if (idx == 0)
            for (;;) {
                float xx = -INV_R * log1pf(-fe_rng_float(r)), yy = -log1pf(-fe_rng_float(r));
                if (yy + yy > xx * xx) return (rabs >> 8) & 1 ? -(R + xx) : R + xx;
            }
        if ((Z.fif[idx - 1] - Z.fif[idx]) * fe_rng_float(r) + Z.fif[idx] < exp(-0.5 * x * x)) return x;
    }
}

static double zig_exponential(fe_rng *r) {
    pthread_once(&z_once, z_build);
    for (;;) {
        uint64_t b = fe_rng_u64(r) >> 3;
        int idx = (int)(b & 0xff);
        b >>= 8;
        double x = (double)b * Z.we[idx];
        if (b < Z.ke[idx]) return x;
        if (idx == 0) return (double)EXP_R - log1p(-fe_rng_double(r));
        if ((Z.fe[idx - 1] - Z.fe[idx]) * fe_rng_double(r) + Z.fe[idx] < exp(-x)) return x;
    }
}

float fe_rng_std_exponential_f(fe_rng *r) { /* (zig_exponential on 32-bit draws and the float tables) */
    pthread_once(&z_once, z_build);
    for (;;) {
        uint32_t b = fe_rng_u32(r) >> 1;
        int idx = (int)(b & 0xff);
        b >>= 8;
        float x = (float)b * Z.wef[idx];
        if (b < Z.kef[idx]) return x;
        if (idx == 0) return (float)EXP_R - log1pf(-fe_rng_float(r));
        if ((Z.fef[idx - 1] - Z.fef[idx]) * fe_rng_float(r) + Z.fef[idx] < expf(-x)) return x;
    }
}

/* ------------------------------------------------------------------ other distributions */

/* x as an int64 the way x86's conversion makes it: INT64_MIN for NaN and what is out of range
 * (NumPy's C casts there; kiln's must not be undefined) */
static int64_t to_i64(double x) { return x >= -9.2233720368547758e18 && x < 9.2233720368547758e18 ? (int64_t)x : INT64_MIN; }


double fe_rng_std_exponential(fe_rng *r, bool gen) { return gen ? zig_exponential(r) : -log(1.0 - next_double(r)); } /* (RandomState's: not log1p) */
double fe_rng_std_normal(fe_rng *r, bool gen) { return gen ? zig_normal(r) : gauss(r); }

/* Marsaglia and Tsang's method (shape > 1), Johnk's below 1, as NumPy's standard_gamma. */
static double std_gamma(fe_rng *r, bool gen, double shape) {
    if (shape == 1.0) return fe_rng_std_exponential(r, gen);
    if (shape == 0.0) return 0.0;
    if (shape < 1.0)
        for (;;) {
            double u = fe_rng_double(r), v = fe_rng_std_exponential(r, gen);
            if (u <= 1.0 - shape) {
                double x = pow(u, 1. / shape);
                if (x <= v) return x;
            } else {
                double y = -log((1 - u) / shape), x = pow(1.0 - shape + shape * y, 1. / shape);
                if (x <= v + y) return x;
            }
        }
    double b = shape - 1. / 3., c = 1. / sqrt(9 * b);
    for (;;) {
        double x, v;
        do {
            x = fe_rng_std_normal(r, gen);
            v = 1.0 + c * x;
        } while (v <= 0.0);
        v = v * v * v;
        double u = fe_rng_double(r);
        if (u < 1.0 - 0.0331 * (x * x) * (x * x)) return b * v;
        if (log(u) < 0.5 * x * x + b * (1. - v + log(v))) return b * v;
    }
}

static double beta(fe_rng *r, bool gen, double a, double b) {
    if (!(a <= 1.0 && b <= 1.0)) { /* (NaN too) */
        double ga = std_gamma(r, gen, a), gb = std_gamma(r, gen, b);
        return ga / (ga + gb);
    }
    if (gen && a < 3e-103 && b < 3e-103) return (a + b) * fe_rng_double(r) < a; /* (0 or 1 but for 1e-100) */
    for (;;) { /* Johnk's algorithm */
        double u = fe_rng_double(r), v = fe_rng_double(r), x = pow(u, 1.0 / a), y = pow(v, 1.0 / b), xy = x + y;
        if (xy > 1.0 || (gen && !(u + v > 0.0))) continue;
        if (gen ? x > 0 && y > 0 : xy > 0) return x / xy;
        double lx = log(u) / a, ly = log(v) / b; /* (underflow: in logarithms) */
        if (gen) {
            double delta = lx - ly;
            return delta > 0 ? exp(-log1p(exp(-delta))) : exp(delta - log1p(exp(delta)));
        }
        double m = lx > ly ? lx : ly;
        lx -= m, ly -= m;
        return exp(lx - log(exp(lx) + exp(ly)));
    }
}

/* log(gamma(x)) as NumPy's random_loggam computes it (Stirling's series after a shift to 7) */
static double loggam(double x) {
    static const double a[10] = {8.333333333333333e-02, -2.777777777777778e-03, 7.936507936507937e-04, -5.952380952380952e-04,
                                 8.417508417508418e-04, -1.917526917526918e-03, 6.410256410256410e-03, -2.955065359477124e-02,
                                 1.796443723688307e-01, -1.39243221690590e+00};
    if (x == 1.0 || x == 2.0) return 0.0;
    int64_t n = x < 7.0 ? (int64_t)(7 - x) : 0;
    double x0 = x + (double)n, x2 = (1.0 / x0) * (1.0 / x0), gl0 = a[9];
    for (int k = 8; k >= 0; k--) gl0 = gl0 * x2 + a[k];
    double gl = gl0 / x0 + 0.5 * 1.8378770664093453e+00 + (x0 - 0.5) * log(x0) - x0;
    for (int64_t k = 1; x < 7.0 && k <= n; k++) gl -= log(x0 - 1.0), x0 -= 1.0;
    return gl;
}

/* Poisson: multiplication of uniforms below lam 10, Hoermann's PTRS above (NaN, which only
 * negative_binomial's gamma gives here, takes the first: one draw, 0, as NumPy's) */
static int64_t poisson(fe_rng *r, double lam) {
    if (lam == 0) return 0;
    if (!(lam >= 10)) {
        double enlam = exp(-lam), prod = 1.0;
        for (int64_t x = 0;; x++)
            if (!((prod *= fe_rng_double(r)) > enlam)) return x;
    }
    double slam = sqrt(lam), loglam = log(lam), b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b;
    double invalpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
        double u = fe_rng_double(r) - 0.5, v = fe_rng_double(r), us = 0.5 - fabs(u);
        int64_t k = to_i64(floor((2 * a / us + b) * u + lam + 0.43));
        if (us >= 0.07 && v <= vr) return k;
        if (k < 0 || (us < 0.013 && v > us)) continue;
        if (log(v) + log(invalpha) - log(a / (us * us) + b) <= -lam + (double)k * loglam - loggam((double)k + 1)) return k;
    }
}

/* Binomial by inversion (n p <= 30) */
static int64_t binomial_inversion(fe_rng *r, int64_t n, double p) {
    /* q^n and the bound depend on (n, p) alone: kept for the next draw, as NumPy's binomial_t
     * keeps them (an array of draws with one n and p takes an exp and a log once) */
    static _Thread_local struct {
        int64_t n, bound;
        double p, q, qn;
    } c = {.n = -1};
    if (n != c.n || p != c.p) {
        double q = 1.0 - p, np = (double)n * p, lim = np + 10.0 * sqrt(np * q + 1);
        c.n = n, c.p = p, c.q = q, c.qn = exp((double)n * log(q));
        c.bound = (double)n < lim ? n : (int64_t)lim;
    }
    double q = c.q, qn = c.qn;
    int64_t bound = c.bound, x = 0;
    double px = qn, u = fe_rng_double(r);
    while (u > px) {
        if (++x > bound) {
            x = 0, px = qn, u = fe_rng_double(r);
        } else {
            u -= px;
            px = ((double)(n - x + 1) * p * px) / ((double)x * q);
        }
    }
    return x;
}

/* Stirling's error terms of the BTPE acceptance test, as NumPy 2.2 has them (13680, all four added;
 * NumPy 2.5's Generator corrects both) */
static double stirling(double v, double v2) { return (13680. - (462. - (132. - (99. - 140. / v2) / v2) / v2) / v2) / v / 166320.; }

/* Binomial by Kachitvichyanukul and Schmeiser's BTPE (n p > 30), p <= 0.5 */
static int64_t binomial_btpe(fe_rng *r, int64_t n, double p) {
    double rr = p < 1.0 - p ? p : 1.0 - p, q = 1.0 - rr, fm = (double)n * rr + rr;
    int64_t m = (int64_t)floor(fm), y;
    double p1 = floor(2.195 * sqrt((double)n * rr * q) - 4.6 * q) + 0.5, xm = (double)m + 0.5, xl = xm - p1, xr = xm + p1;
    double c = 0.134 + 20.5 / (15.3 + (double)m), a = (fm - xl) / (fm - xl * rr), laml = a * (1.0 + a / 2.0);
    a = (xr - fm) / (xr * q);
    double lamr = a * (1.0 + a / 2.0), p2 = p1 * (1.0 + 2.0 * c), p3 = p2 + c / laml, p4 = p3 + c / lamr;
    double nrq = (double)n * rr * q;
    for (;;) {
        double u = fe_rng_double(r) * p4, v = fe_rng_double(r);
        if (u <= p1) { /* the triangle: accepted at once */
            y = to_i64(floor(xm - p1 * v + u));
            break;
        }
        if (u <= p2) { /* the parallelograms */
            double x = xl + (u - p1) / c;
            v = v * c + 1.0 - fabs((double)m - x + 0.5) / p1;
            if (v > 1.0) continue;
            y = to_i64(floor(x));
        } else if (u <= p3) { /* the exponential tails */
            y = to_i64(floor(xl + log(v) / laml));
            if (y < 0 || v == 0.0) continue;
            v = v * (u - p2) * laml;
        } else {
            y = to_i64(floor(xr - log(v) / lamr));
            if (y > n || v == 0.0) continue;
            v = v * (u - p3) * lamr;
        }
        int64_t k = y > m ? y - m : m - y;
        if (!(k > 20 && (double)k < nrq / 2.0 - 1)) { /* the density's ratio, by recursion */
            double s = rr / q, aa = s * (double)(n + 1), f = 1.0;
            if (m < y)
                for (int64_t i = m + 1; i <= y; i++) f *= aa / (double)i - s;
            else if (m > y)
                for (int64_t i = y + 1; i <= m; i++) f /= aa / (double)i - s;
            if (v > f) continue;
            break;
        }
        double kd = (double)k, rho = (kd / nrq) * ((kd * (kd / 3.0 + 0.625) + 0.16666666666666666) / nrq + 0.5), t = -(k < 3037000499 ? (double)(k * k) : kd * kd) / (2 * nrq); /* (NumPy's k * k is an int64's) */
        double A = log(v);
        if (A < t - rho) break;
        if (A > t + rho) continue;
        double x1 = (double)y + 1, f1 = (double)m + 1, z = (double)n + 1 - (double)m, w = (double)n - (double)y + 1;
        if (A > xm * log(f1 / x1) + ((double)(n - m) + 0.5) * log(z / w) + (double)(y - m) * log(w * rr / (x1 * q)) +
                    stirling(f1, f1 * f1) + stirling(z, z * z) + stirling(x1, x1 * x1) + stirling(w, w * w))
            continue;
        break;
    }
    return p > 0.5 ? n - y : y;
}

static int64_t binomial(fe_rng *r, bool gen, int64_t n, double p) {
    if (gen && (n == 0 || p == 0.0)) return 0;
    double q = 1.0 - p;
    if (p <= 0.5) return p * (double)n <= 30.0 ? binomial_inversion(r, n, p) : binomial_btpe(r, n, p);
    return n - (q * (double)n <= 30.0 ? binomial_inversion(r, n, q) : binomial_btpe(r, n, q));
}

static int64_t geometric(fe_rng *r, bool gen, double p) {
    if (p >= 0.333333333333333333333333) { /* search the cumulative probabilities */
        double u = fe_rng_double(r), q = 1.0 - p, prod = p, sum = p;
        int64_t x = 1;
        for (; u > sum; x++) prod *= q, sum += prod;
        return x;
    }
    double z = gen ? ceil(-zig_exponential(r) / log1p(-p)) : ceil(log1p(-fe_rng_double(r)) / log(1 - p));
    return z >= 9.223372036854776e+18 ? INT64_MAX : to_i64(z);
}

double fe_rng_draw(fe_rng *r, bool gen, fe_dist d, const double *prm) {
    double u, x, y;
    switch (d) {
    case FE_GAMMA: return prm[1] * std_gamma(r, gen, prm[0]);
    case FE_STD_GAMMA: return std_gamma(r, gen, prm[0]);
    case FE_BETA: return beta(r, gen, prm[0], prm[1]);
    case FE_CHISQUARE: return 2.0 * std_gamma(r, gen, prm[0] / 2.0);
    case FE_F:
        x = 2.0 * std_gamma(r, gen, prm[0] / 2.0) * prm[1];
        return x / (2.0 * std_gamma(r, gen, prm[1] / 2.0) * prm[0]);
    case FE_STD_T:
        x = fe_rng_std_normal(r, gen);
        return sqrt(prm[0] / 2) * x / sqrt(std_gamma(r, gen, prm[0] / 2));
    case FE_CAUCHY:
        x = fe_rng_std_normal(r, gen);
        return x / fe_rng_std_normal(r, gen);
    case FE_LOGNORMAL: return exp(prm[0] + prm[1] * fe_rng_std_normal(r, gen));
    case FE_LAPLACE:
        while ((u = fe_rng_double(r)) == 0.0) {}
        return u >= 0.5 ? prm[0] - prm[1] * log(2.0 - u - u) : prm[0] + prm[1] * log(u + u);
    case FE_LOGISTIC:
        while ((u = fe_rng_double(r)) == 0.0) {}
        return prm[0] + prm[1] * log(u / (1.0 - u));
    case FE_GUMBEL:
        while ((u = 1.0 - fe_rng_double(r)) == 1.0) {}
        return prm[0] - prm[1] * log(-log(u));
    case FE_PARETO: return gen ? expm1(fe_rng_std_exponential(r, gen) / prm[0]) : exp(fe_rng_std_exponential(r, gen) / prm[0]) - 1;
    case FE_WEIBULL: return prm[0] == 0.0 ? 0.0 : pow(fe_rng_std_exponential(r, gen), 1. / prm[0]);
    case FE_POWER: return gen ? pow(-expm1(-fe_rng_std_exponential(r, gen)), 1. / prm[0]) : pow(1 - exp(-fe_rng_std_exponential(r, gen)), 1. / prm[0]);
    case FE_RAYLEIGH: return gen ? prm[0] * sqrt(2.0 * zig_exponential(r)) : prm[0] * sqrt(-2.0 * log1p(-fe_rng_double(r)));
    case FE_WALD: {
        double mean = prm[0], scale = prm[1];
        y = fe_rng_std_normal(r, gen);
        y = mean * y * y;
        x = mean + mean / (2 * scale) * (y - sqrt(4 * scale * y + y * y)); /* (NumPy 2.2's, both; 2.5's Generator rewrote it) */
        return fe_rng_double(r) <= mean / (mean + x) ? x : mean * mean / x;
    }
    case FE_TRIANGULAR: {
        double left = prm[0], mode = prm[1], right = prm[2], base = right - left, leftbase = mode - left;
        u = fe_rng_double(r);
        return u <= leftbase / base ? left + sqrt(u * (leftbase * base)) : right - sqrt((1.0 - u) * ((right - mode) * base));
    }
    default: return (double)fe_rng_count(r, gen, d, prm, (int64_t)prm[0]);
    }
}

int64_t fe_rng_count(fe_rng *r, bool gen, fe_dist d, const double *prm, int64_t n) {
    switch (d) {
    case FE_POISSON: return poisson(r, prm[0]);
    case FE_BINOMIAL: return binomial(r, gen, n, prm[1]);
    case FE_NEG_BINOMIAL: return poisson(r, (1 - prm[1]) / prm[1] * std_gamma(r, gen, prm[0]));
    case FE_GEOMETRIC: return geometric(r, gen, prm[0]);
    default: return (int64_t)fe_rng_draw(r, gen, d, prm);
    }
}

void fe_rng_multinomial(fe_rng *r, int64_t n, const double *p, int64_t d, int64_t *out) {
    double remaining = 1.0;
    int64_t left = n;
    for (int64_t j = 0; j < d; j++) out[j] = 0;
    for (int64_t j = 0; j < d - 1; j++) { /* each count a binomial of what is left (random_binomial's, which draws nothing
                                             for n or p zero, in a RandomState's multinomial too) */
        out[j] = binomial(r, true, left, p[j] / remaining);
        if ((left -= out[j]) <= 0) break;
        remaining -= p[j];
    }
    if (left > 0) out[d - 1] = left;
}

void fe_rng_dirichlet(fe_rng *r, bool gen, const double *alpha, int64_t k, double *out) {
    double max = k ? alpha[0] : 0;
    for (int64_t j = 0; j < k; j++) max = isnan(max) || isnan(alpha[j]) ? NAN : alpha[j] > max ? alpha[j] : max;
    if (gen && k > 0 && max < 0.1) { /* small alphas: stick-breaking with betas (no 0/0), as a Generator's */
        double s = 0, acc = 1.;
        for (int64_t j = k - 1; j >= 0; j--) out[j] = s += alpha[j]; /* (out holds the sums of alpha[j:] until used) */
        if (!(s > 0)) {
            for (int64_t j = 0; j < k; j++) out[j] = 0;
            return;
        }
        for (int64_t j = 0; j < k - 1; j++) {
            double after = out[j + 1], v = beta(r, gen, alpha[j], after);
            out[j] = acc * v;
            acc *= 1. - v;
            if (after == 0) break; /* (v is 1: the rest stay 0, as the sums after it are) */
        }
        out[k - 1] = acc;
        return;
    }
    double acc = 0.;
    for (int64_t j = 0; j < k; j++) acc += out[j] = std_gamma(r, gen, alpha[j]);
    double inv = 1. / acc;
    for (int64_t j = 0; j < k; j++) out[j] *= inv;
}


void fe_rng_bounded_fill(fe_rng *r, int64_t low, uint64_t range, bool masked, int64_t n, int64_t *out) {
    if (!masked && range < 0xffffffffu && range) { /* (the common case, Lemire on 32 bits, kept in one loop) */
        uint32_t excl = (uint32_t)range + 1, threshold = (UINT32_MAX - (uint32_t)range) % excl;
        for (int64_t i = 0; i < n; i++) {
            uint64_t m = (uint64_t)fe_rng_u32(r) * excl;
            while ((uint32_t)m < threshold) m = (uint64_t)fe_rng_u32(r) * excl;
            out[i] = (int64_t)((uint64_t)low + (m >> 32));
        }
        return;
    }
    for (int64_t i = 0; i < n; i++) out[i] = (int64_t)((uint64_t)low + fe_rng_bounded(r, range, masked));
}


void fe_rng_advance(fe_rng *r, uint64_t delta) { /* (the LCG's jump: (mult, plus) squared per bit) */
    unsigned __int128 mult = 1, plus = 0, cm = PCG_MULT, cp = r->inc;
    for (; delta; delta >>= 1) {
        if (delta & 1) {
            mult *= cm;
            plus = plus * cm + cp;
        }
        cp = (cm + 1) * cp;
        cm *= cm;
    }
    r->state = mult * r->state + plus;
}

#define FILL_SPLIT (1 << 17) /* doubles a thread draws at least, where a Generator's are split */

void fe_rng_fill(fe_rng *r, bool normal, bool gen, bool f32, int64_t n, void *out, int nt, const double *affine) {
    double *d = out, loc = affine ? affine[0] : 0, scale = affine ? affine[1] : 1;
    float *f = out;
    if (r->pcg && !normal && !f32 && nt > 1 && n >= 2 * FILL_SPLIT) { /* one draw each: thread t's first is its start */
        if (nt > n / FILL_SPLIT) nt = (int)(n / FILL_SPLIT);
        _Pragma("omp parallel num_threads(nt)") {
            int t = omp_get_thread_num(), m = omp_get_num_threads();
            int64_t s = n * t / m, e = n * (t + 1) / m;
            fe_rng mine = *r;
            fe_rng_advance(&mine, (uint64_t)s);
            if (affine)
                for (int64_t i = s; i < e; i++) d[i] = loc + scale * next_double(&mine);
            else
                for (int64_t i = s; i < e; i++) d[i] = next_double(&mine);
        }
        fe_rng_advance(r, (uint64_t)n);
        return;
    }
    if (f32)
        for (int64_t i = 0; i < n; i++) f[i] = normal ? fe_rng_normal_f(r) : fe_rng_float(r);
    else if (normal && gen)
        for (int64_t i = 0; i < n; i++) d[i] = zig_normal(r);
    else if (normal)
        for (int64_t i = 0; i < n; i++) d[i] = gauss(r);
    else
        for (int64_t i = 0; i < n; i++) d[i] = next_double(r);
    for (int64_t i = 0; i < n && affine; i++) d[i] = loc + scale * d[i];
}
