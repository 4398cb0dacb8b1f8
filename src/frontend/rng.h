/*
 * rng.h — NumPy's random streams, drawn as NumPy draws them: np.random's legacy state
 * (MT19937, RandomState's algorithms) and np.random.default_rng's Generator (PCG64 seeded
 * through SeedSequence), so a seeded program gives NumPy's numbers.
 */
#ifndef KILN_FRONTEND_RNG_H
#define KILN_FRONTEND_RNG_H

#include <stdbool.h>
#include <stdint.h>

#define FE_MT_WORDS 624

typedef struct fe_rng {
    bool pcg;                 /* PCG64 (a Generator's), else MT19937 (np.random's legacy state) */
    bool has32;               /* PCG64: u32 holds the upper half of the last 64-bit draw */
    bool has_gauss;           /* MT19937: gauss holds the polar method's second value */
    uint32_t u32;
    double gauss;
    int pos;                  /* MT19937: the next word of key */
    uint32_t *key;            /* MT19937: its FE_MT_WORDS words, the owner's (a Generator has none:
                                 each default_rng() costs 64 bytes, not 2.5 KB) */
    unsigned __int128 state, inc; /* PCG64 */
} fe_rng;

/* np.random.seed(n), n < 2^32, and np.random.seed([w0, w1, ...]) (init_by_array); r->key must
 * point at FE_MT_WORDS words. */
void fe_rng_seed_mt(fe_rng *r, uint32_t seed);
void fe_rng_seed_mt_words(fe_rng *r, const uint32_t *words, int n);
/* PCG64(SeedSequence(entropy)): entropy as 32-bit words, lowest first (an int's words, or a
 * list's ints one after another). */
void fe_rng_seed_pcg(fe_rng *r, const uint32_t *entropy, int n);
/* n words from the operating system (seed=None); false when it has none to give. */
bool fe_rng_os_entropy(uint32_t *w, int n);

uint32_t fe_rng_u32(fe_rng *r);
uint64_t fe_rng_u64(fe_rng *r);
double fe_rng_double(fe_rng *r);   /* [0, 1), 53 bits */
float fe_rng_float(fe_rng *r);     /* [0, 1), 24 bits (a Generator's float32) */
/* Uniform in [0, max] by masked rejection (shuffles, permutations, RandomState.randint). */
uint64_t fe_rng_interval(fe_rng *r, uint64_t max);
/* Uniform in [0, range]: masked rejection, or Lemire's multiply (a Generator's integers). */
uint64_t fe_rng_bounded(fe_rng *r, uint64_t range, bool masked);
/* n uniform doubles (floats when f32), or standard normals (a Generator's when gen), into out;
 * a Generator's doubles by up to nt threads (each from the state advanced to its first); with
 * affine {loc, scale} (doubles), each is loc + scale * the draw, as NumPy's uniform and normal */
void fe_rng_fill(fe_rng *r, bool normal, bool gen, bool f32, int64_t n, void *out, int nt, const double *affine);
/* PCG64's state advanced by delta draws (NumPy's advance), in O(log delta) */
void fe_rng_advance(fe_rng *r, uint64_t delta);
/* Uniform in [0, range] for 8- or 16-bit integers (bits), NumPy's way: pieces of a 32-bit draw,
 * low first (*buf and *bcnt carry the rest from one call to the next; start them at 0), by
 * masked rejection or Lemire's multiply on bits bits. */
uint32_t fe_rng_bounded_small(fe_rng *r, uint32_t range, int bits, bool masked, uint32_t *buf, int *bcnt);
/* n such draws (a buffer of its own) plus low, as 8- or 16-bit integers into out: the same values
 * fe_rng_bounded_small gives one at a time */
void fe_rng_bounded_small_fill(fe_rng *r, int64_t low, uint32_t range, int bits, bool masked, int64_t n, void *out);
/* n draws of low + fe_rng_bounded(range, masked) into out */
void fe_rng_bounded_fill(fe_rng *r, int64_t low, uint64_t range, bool masked, int64_t n, int64_t *out);
/* A standard normal and a standard exponential: a Generator's (gen: the ziggurat), else
 * RandomState's (the polar method; -log(1 - u)). */
double fe_rng_std_normal(fe_rng *r, bool gen);
double fe_rng_std_exponential(fe_rng *r, bool gen);
float fe_rng_normal_f(fe_rng *r);
/* A Generator's float32 standard exponential (the ziggurat on 32-bit draws) */
float fe_rng_std_exponential_f(fe_rng *r);

/* The other distributions of np.random and a Generator, each drawn as NumPy draws it; gen: the
 * Generator's algorithm (RandomState's where it differs: the polar normals, -log(1 - u)
 * exponentials, its binomial's Stirling terms, its beta, geometric, pareto, power, rayleigh and
 * wald).  prm: the distribution's parameters in NumPy's order. */
typedef enum fe_dist {
    FE_GAMMA, FE_STD_GAMMA, FE_BETA, FE_CHISQUARE, FE_F, FE_STD_T, FE_CAUCHY, FE_LOGNORMAL, FE_LAPLACE, FE_LOGISTIC,
    FE_GUMBEL, FE_PARETO, FE_WEIBULL, FE_POWER, FE_RAYLEIGH, FE_WALD, FE_TRIANGULAR,
    FE_POISSON, FE_BINOMIAL, FE_NEG_BINOMIAL, FE_GEOMETRIC /* (these four: counts) */
} fe_dist;
double fe_rng_draw(fe_rng *r, bool gen, fe_dist d, const double *prm);
int64_t fe_rng_count(fe_rng *r, bool gen, fe_dist d, const double *prm, int64_t n); /* n: binomial's */

/* multinomial(n, p[0..d)) counts into out[0..d) (a RandomState's and a Generator's alike); dirichlet(alpha[0..k)) into out[0..k). */
void fe_rng_multinomial(fe_rng *r, int64_t n, const double *p, int64_t d, int64_t *out);
void fe_rng_dirichlet(fe_rng *r, bool gen, const double *alpha, int64_t k, double *out);

#endif
