/*
 * draws.c — the random draws: np.random's functions and a Generator's methods, each drawing as
 * NumPy's does for the same seed (rng.c has the generators and the distributions' algorithms).
 *
 * Pipeline position: handlers of builtins.c's table (handlers.h), called by the parser for
 * rand(...), np.random.X(...), default_rng(...) and rng.X(...).  A draw runs now, while its
 * statement is parsed: its numbers are an array, and the statement is volatile (parsed again
 * each time it runs, so it draws again).
 */
#include <float.h>
#include <math.h>
#include <stdint.h>

#include "handlers.h"
#include "scope.h"

/* The generator a call draws from: a Generator's method's own (its self), else np.random's legacy
 * state; NULL after an error.  gen: the Generator's algorithms (ziggurat normals, Lemire's
 * integers, Floyd's samples), else RandomState's. */
static fe_rng *rng_of(parser *p, const fe_fn *f, fe_args *a, size_t off, bool *gen) {
    kiln_scope *s = p->env->scope;
    *gen = has(a, "self");
    if (!s) return fe_err(p, off, KILN_ERR_ARG, "%s(): needs a scope (its generator)", f->name), NULL;
    p->env->volatile_ = true;
    if (!*gen) return &s->rng;
    kval *g = arg(a, "self");
    if (g->kind != KV_GEN || g->rng < 0 || g->rng >= s->ngens) return fe_err(p, off, KILN_ERR_ARG, "%s(): not a Generator", f->name), NULL;
    return &s->gens[g->rng];
}

/* size= (or rand's *shape): the draw's shape; *sized false for None (one Python number). */
static bool draw_shape(parser *p, const fe_fn *f, fe_args *a, int *nd, int64_t *shape, bool *sized) {
    const char *pn = has(a, "size") ? "size" : "shape"; /* (rand's *shape; gamma's shape is a parameter) */
    kval *s = arg(a, pn);
    *nd = 0;
    *sized = s->kind != KV_ABSENT && s->kind != KV_NONE;
    if (*sized && !fe_arg_shape(p, s, f->name, pn, nd, shape)) return false;
    if (pn[1] == 'h') *sized = *nd > 0; /* rand() is a number, rand(3) an array */
    for (int d = 0; d < *nd; d++)
        if (shape[d] < 0) return fe_err(p, s->off, KILN_ERR_SHAPE, "%s(): negative dimensions are not allowed", f->name);
    return true;
}

/* The draws' array (a new one of dtype dt and the shape), or one Python number when not sized. */
static bool draws_result(parser *p, kval *out, kiln_array *r, bool sized, bool py_int, size_t off) {
    if (sized || !r) return array_result(p, out, r, off);
    kiln_expr *e = py_int ? kiln_int(p->ctx, ((int64_t *)r->data)[0])
                 : r->dtype == KILN_F32 ? kiln_scalar(p->ctx, ((float *)r->data)[0]) : kiln_scalar(p->ctx, ((double *)r->data)[0]);
    kiln_array_free(r);
    return fe_set_expr(p, out, e, off);
}

/* A draw's two parameters (pn: their names; absent ones keep v's defaults), each a number (v, iv,
 * dts) or an array whose values, broadcast to the draw's shape and cast to want, are read now into
 * pa[i] (a new array, else NULL); the draw's shape is size's, else the arrays' broadcast shape. */
static bool draw_params(parser *p, const fe_fn *f, fe_args *a, const char *const pn[3], kiln_dtype want, double v[3], int64_t iv[3],
                        kiln_dtype dts[3], kiln_array *pa[3], int *nd, int64_t *shape, bool *sized) {
    tmps t = {0};
    kiln_expr *e[3] = {NULL, NULL, NULL};
    pa[0] = pa[1] = pa[2] = NULL;
    if (!draw_shape(p, f, a, nd, shape, sized)) return false;
    bool arrays = false;
    for (int i = 0; i < 3; i++) {
        if (!pn[i] || !has(a, pn[i]) || !given_not_none(a, pn[i])) continue;
        kval *x = arg(a, pn[i]);
        if (x->kind == KV_LIST || x->kind == KV_TUPLE || (x->kind == KV_ARRAY && x->e->ndim > 0)) {
            if (!(e[i] = keep(&t, expr_of(p, f, a, pn[i])))) return tmps_free(&t), false;
            if (dtype_is_int(want) && !dtype_is_int((kiln_dtype)e[i]->dtype) && e[i]->dtype != KILN_BOOL) {
                tmps_free(&t);
                return fe_err(p, x->off, KILN_ERR_ARG, "%s(): low and high must be integers", f->name);
            }
            dts[i] = (kiln_dtype)e[i]->dtype;
            arrays = true;
        } else if (!fe_arg_number(p, x, f->name, pn[i], &v[i], &iv[i], &dts[i])) {
            return tmps_free(&t), false;
        }
    }
    if (arrays && !*sized) { /* the arrays' broadcast shape */
        *sized = true;
        for (int i = 0; i < 3; i++)
            if (e[i] && !fe_merge_shape(nd, shape, e[i])) {
                tmps_free(&t);
                return fe_err(p, arg(a, pn[i])->off, KILN_ERR_SHAPE, "%s(): shape mismatch: objects cannot be broadcast to a single shape", f->name);
            }
    }
    for (int i = 0; i < 3; i++) {
        kiln_expr *b = e[i] ? fe_broadcast_to(p, &t, keep(&t, kiln_cast(p->ctx, e[i], want)), *nd, shape, f->name, arg(a, pn[i])->off) : NULL;
        if (e[i] && (!b || !(pa[i] = value_now(p, b, arg(a, pn[i])->off)))) {
            kiln_array_free(pa[0]);
            kiln_array_free(pa[1]);
            pa[0] = pa[1] = pa[2] = NULL;
            return tmps_free(&t), false;
        }
    }
    tmps_free(&t);
    return true;
}

/* Parameter i at element k: its array's value there, or the number. */
static double param_at(kiln_array *const pa[3], const double v[3], int i, int64_t k) { return pa[i] ? ((const double *)pa[i]->data)[k] : v[i]; }
static int64_t iparam_at(kiln_array *const pa[3], const int64_t iv[3], int i, int64_t k) { return pa[i] ? ((const int64_t *)pa[i]->data)[k] : iv[i]; }

/* The draws of a failed call's parameters released; false. */
static bool params_free(kiln_array *pa[3]) {
    for (int i = 0; i < 3; i++) kiln_array_free(pa[i]);
    return false;
}

/* rand(*shape), randn(*shape), random_sample(size), standard_normal(size), normal(loc, scale,
 * size), uniform(low, high, size), exponential(scale, size), standard_exponential(size): NumPy's
 * draws in NumPy's order, from np.random's legacy state or a Generator (with dtype float32 where
 * NumPy's Generator has it); parameters numbers or arrays (broadcast, each element's own). */
bool fe_draw_rand(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    int nd;
    int64_t shape[KILN_MAX_DIMS], iv[3] = {0, 0, 0};
    bool sized, gen;
    const char *pn[3] = {f->op == D_NORMAL ? "loc" : f->op == D_UNIFORM ? "low" : "scale", f->op == D_NORMAL ? "scale" : "high", NULL};
    double v[3] = {f->op == D_EXP ? 1.0 : 0.0, 1.0, 0.0};
    kiln_dtype dts[3], dt = KILN_F64;
    kiln_array *pa[3];
    if (has(a, "dtype") && given_not_none(a, "dtype")) {
        if (!fe_arg_dtype(p, arg(a, "dtype"), f->name, &dt)) return false;
        if (dt != KILN_F64 && dt != KILN_F32)
            return fe_err(p, arg(a, "dtype")->off, KILN_ERR_DTYPE, "%s(): Unsupported dtype %s (kiln draws float64 and float32)", f->name,
                          kiln_dtype_name(dt));
    }
    /* (a Generator's standard_exponential: method 'zig', the ziggurat; any other, as NumPy's
     * else branch, -log1p(-u)) */
    bool inv = has(a, "method") && given(a, "method") && (arg(a, "method")->kind != KV_STR || strcmp(arg(a, "method")->s, "zig"));
    if (!draw_params(p, f, a, pn, KILN_F64, v, iv, dts, pa, &nd, shape, &sized)) return false;
    int64_t n = 1;
    for (int d = 0; d < nd; d++) n *= shape[d];
    int si = f->op == D_NORMAL ? 1 : 0; /* (the scale's parameter) */
    for (int64_t k = 0; k < (pa[0] || pa[1] ? n : 1); k++) {
        double lo = param_at(pa, v, 0, k), hi = param_at(pa, v, 1, k), range = hi - lo;
        double scale = param_at(pa, v, si, k); /* (NumPy's test is the sign bit: a scale of -0.0 is refused) */
        const char *bad = (f->op == D_NORMAL || f->op == D_EXP) && !isnan(scale) && signbit(scale) ? "%s(): scale < 0"
                        : f->op == D_UNIFORM && !isfinite(range) ? (has(a, "self") ? "%s(): high - low range exceeds valid bounds" : "%s(): Range exceeds valid bounds")
                        : f->op == D_UNIFORM && has(a, "self") && signbit(range) ? "%s(): high - low < 0" : NULL;
        if (bad) return params_free(pa) || fe_err(p, off, KILN_ERR_ARG, bad, f->name);
    }
    fe_rng *r = rng_of(p, f, a, off, &gen);
    kiln_array *res = r ? kiln_array_new(p->ctx, dt, nd, shape) : NULL;
    if (!res) return params_free(pa) || (r && fe_got(p, NULL, off));
    double *d = (double *)res->data;
    float *s = (float *)res->data;
    bool scalars = !pa[0] && !pa[1], uniform = f->op == D_UNIFORM;
    if (f->op == D_RAND || f->op == D_RANDN || ((uniform || f->op == D_NORMAL) && scalars)) { /* the draws in one loop (or split) */
        double affine[2] = {v[0], uniform ? v[1] - v[0] : v[1]};
        fe_rng_fill(r, f->op == D_RANDN || f->op == D_NORMAL, gen, dt == KILN_F32, n, res->data, kiln_num_threads(p->ctx),
                    f->op == D_RAND || f->op == D_RANDN ? NULL : affine);
        n = 0;
    }
    for (int64_t i = 0; i < n; i++) switch (f->op) {
        case D_RAND:
            if (dt == KILN_F32) s[i] = fe_rng_float(r);
            else d[i] = fe_rng_double(r);
            break;
        case D_RANDN:
            if (dt == KILN_F32) s[i] = fe_rng_normal_f(r);
            else d[i] = fe_rng_std_normal(r, gen);
            break;
        case D_NORMAL: d[i] = param_at(pa, v, 0, i) + param_at(pa, v, 1, i) * fe_rng_std_normal(r, gen); break;
        case D_UNIFORM: {
            double lo = param_at(pa, v, 0, i);
            d[i] = lo + (param_at(pa, v, 1, i) - lo) * fe_rng_double(r);
            break;
        }
        default:
            if (dt == KILN_F32) s[i] = inv ? (float)-log1p(-(double)fe_rng_float(r)) : fe_rng_std_exponential_f(r); /* (as NumPy: in double) */
            else d[i] = param_at(pa, v, 0, i) * (inv ? -log1p(-fe_rng_double(r)) : fe_rng_std_exponential(r, gen));
            break;
        }
    params_free(pa);
    return draws_result(p, out, res, sized, false, off);
}

/* randint(low, high=None, size=None, dtype=int64) and a Generator's integers(..., endpoint=False):
 * RandomState's masked rejection, the Generator's Lemire multiply, as NumPy draws them; low and
 * high numbers or integer arrays (broadcast, each element's own). */
bool fe_draw_integers(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    int nd;
    int64_t shape[KILN_MAX_DIMS], iv[3] = {0, 0, 0};
    bool sized, gen, endpoint = false, two = given_not_none(a, "high");
    double v[3];
    kiln_dtype dts[3] = {KILN_I64, KILN_I64, KILN_I64}, dt = KILN_I64;
    kiln_array *pa[3];
    const char *pn[3] = {"low", two ? "high" : NULL, NULL};
    if ((has(a, "endpoint") && given(a, "endpoint") && !fe_arg_bool(p, arg(a, "endpoint"), f->name, "endpoint", &endpoint)) ||
        (given_not_none(a, "dtype") && !fe_arg_dtype(p, arg(a, "dtype"), f->name, &dt)))
        return false;
    if (!dtype_is_int(dt))
        return fe_err(p, arg(a, "dtype")->off, KILN_ERR_DTYPE, "%s(): Unsupported dtype %s for integers", f->name, kiln_dtype_name(dt));
    if (!draw_params(p, f, a, pn, KILN_I64, v, iv, dts, pa, &nd, shape, &sized)) return false;
    if (!dtype_is_int(dts[0]) || !dtype_is_int(dts[1])) {
        params_free(pa);
        return fe_err(p, off, KILN_ERR_ARG, "%s(): low and high must be integers", f->name);
    }
    if (!two) pa[1] = pa[0], pa[0] = NULL, iv[1] = iv[0], iv[0] = 0; /* randint(n): [0, n) */
    int64_t n = 1, bound, least;
    dtype_int_bounds(dt, &least, &bound);
    for (int d = 0; d < nd; d++) n *= shape[d];
    for (int64_t k = 0; k < (pa[0] || pa[1] || !n ? n : 1); k++) { /* (no draws, no check: integers(0, 0, 0) is empty, as NumPy's) */
        int64_t lo = iparam_at(pa, iv, 0, k), hi = iparam_at(pa, iv, 1, k);
        const char *bad = (endpoint ? hi < lo : hi <= lo) ? (!two ? "%s(): high <= 0" : endpoint ? "%s(): low > high" : "%s(): low >= high")
                        : lo < least ? "%s(): low is out of bounds for %s" : (endpoint ? hi : hi - 1) > bound ? "%s(): high is out of bounds for %s" : NULL;
        if (bad) return params_free(pa) || fe_err(p, off, KILN_ERR_ARG, bad, f->name, kiln_dtype_name(dt));
    }
    fe_rng *r = rng_of(p, f, a, off, &gen);
    kiln_array *res = r ? kiln_array_new(p->ctx, dt, nd, shape) : NULL;
    if (!res) return params_free(pa) || (r && fe_got(p, NULL, off));
    if (!pa[0] && !pa[1] && dt == KILN_I64) { /* one range: drawn in one loop */
        fe_rng_bounded_fill(r, iv[0], (uint64_t)(iv[1] - !endpoint) - (uint64_t)iv[0], !gen, n, (int64_t *)res->data);
        n = 0;
    }
    uint32_t buf = 0; /* (1 and 2 bytes: the rest of a 32-bit draw) */
    int bcnt = 0, bits = 8 * (int)kiln_dtype_size(dt);
    if (!pa[0] && !pa[1] && bits <= 16) {
        fe_rng_bounded_small_fill(r, iv[0], (uint32_t)(iv[1] - !endpoint - iv[0]), bits, !gen, n, res->data);
        n = 0;
    }
    for (int64_t i = 0; i < n; i++) {
        int64_t lo = iparam_at(pa, iv, 0, i), top = iparam_at(pa, iv, 1, i) - !endpoint;
        if (bits <= 16) {
            int64_t x = lo + fe_rng_bounded_small(r, (uint32_t)(top - lo), bits, !gen, &buf, &bcnt);
            if (bits == 16) ((uint16_t *)(void *)res->data)[i] = (uint16_t)x; /* (x is in dt's range: its low bits) */
            else ((uint8_t *)res->data)[i] = (uint8_t)x;
            continue;
        }
        int64_t x = (int64_t)((uint64_t)lo + fe_rng_bounded(r, (uint64_t)top - (uint64_t)lo, !gen));
        if (dt == KILN_I32) ((int32_t *)res->data)[i] = (int32_t)x;
        else if (dt == KILN_U32) ((uint32_t *)res->data)[i] = (uint32_t)x;
        else ((int64_t *)res->data)[i] = x;
    }
    params_free(pa);
    /* (without size, RandomState's is a Python int, a Generator's a NumPy integer) */
    return draws_result(p, out, res, sized || (gen && dt == KILN_I64) || dt != KILN_I64, true, off);
}

/* The other distributions (rng.h's fe_dist): their parameters' names, defaults and NumPy's checks
 * ('0': not negative, '+': positive, 'b': in [0, 1], 'g': in (0, 1], 'p': a Poisson rate, 'N':
 * positive, not NaN, '.': none). */
static const struct dist_info {
    const char *pn[3];
    double def[3];
    const char *check;
} dist_infos[] = {
    [FE_GAMMA] = {{"shape", "scale"}, {0, 1}, "00"},          [FE_STD_GAMMA] = {{"shape"}, {0}, "0"},
    [FE_BETA] = {{"a", "b"}, {0, 0}, "++"},                    [FE_CHISQUARE] = {{"df"}, {0}, "+"},
    [FE_F] = {{"dfnum", "dfden"}, {0, 0}, "++"},               [FE_STD_T] = {{"df"}, {0}, "+"},
    [FE_CAUCHY] = {{NULL}, {0}, ""},                           [FE_LOGNORMAL] = {{"mean", "sigma"}, {0, 1}, ".0"},
    [FE_LAPLACE] = {{"loc", "scale"}, {0, 1}, ".0"},           [FE_LOGISTIC] = {{"loc", "scale"}, {0, 1}, ".0"},
    [FE_GUMBEL] = {{"loc", "scale"}, {0, 1}, ".0"},            [FE_PARETO] = {{"a"}, {0}, "+"},
    [FE_WEIBULL] = {{"a"}, {0}, "0"},                          [FE_POWER] = {{"a"}, {0}, "+"},
    [FE_RAYLEIGH] = {{"scale"}, {1}, "0"},                     [FE_WALD] = {{"mean", "scale"}, {0, 0}, "++"},
    [FE_TRIANGULAR] = {{"left", "mode", "right"}, {0, 0, 0}, "..."}, [FE_POISSON] = {{"lam"}, {1}, "p"},
    [FE_BINOMIAL] = {{"n", "p"}, {0, 0}, "0b"},                [FE_NEG_BINOMIAL] = {{"n", "p"}, {0, 0}, "Ng"},
    [FE_GEOMETRIC] = {{"p"}, {0}, "g"},
};

/* NumPy's message where parameter x (named nm) fails check c, else NULL (into buf). */
static const char *dist_check(char c, const char *nm, double x, char *buf, size_t cap) {
    const char *fmt = c == '0' && !isnan(x) && signbit(x) ? "%s < 0"
                    : (c == '+' && x <= 0) || (c == 'N' && x <= 0) ? "%s <= 0"
                    : c == 'N' && isnan(x) ? "%s must not be NaN"
                    : c == 'b' && !(x >= 0 && x <= 1) ? "%s < 0, %s > 1 or %s is NaN"
                    : c == 'g' && !(x > 0 && x <= 1) ? "%s <= 0, %s > 1 or %s contains NaNs"
                    : c == 'p' && !(x >= 0) ? "%s < 0 or %s is NaN"
                    : c == 'p' && !(x <= 9.2233720064847708e18) ? "%s value too large" : NULL;
    if (!fmt) return NULL;
    snprintf(buf, cap, fmt, nm, nm, nm);
    return buf;
}

/* gamma beta chisquare f standard_t standard_cauchy lognormal laplace logistic gumbel pareto
 * weibull power rayleigh wald triangular (float64) and poisson binomial negative_binomial
 * geometric (int64): np.random's and a Generator's, drawn as NumPy draws them (rng.c), their
 * parameters numbers or arrays, each element checked as NumPy checks it. */
bool fe_draw_dist(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    const struct dist_info *di = &dist_infos[f->op];
    int nd;
    int64_t shape[KILN_MAX_DIMS], iv[3] = {0, 0, 0};
    bool sized, gen, count = f->op >= FE_POISSON;
    double v[3] = {di->def[0], di->def[1], di->def[2]};
    kiln_dtype dts[3];
    kiln_array *pa[3];
    if (!draw_params(p, f, a, di->pn, KILN_F64, v, iv, dts, pa, &nd, shape, &sized)) return false;
    if (f->op == FE_BINOMIAL && pa[0] && !dtype_is_int(dts[0]) && dts[0] != KILN_BOOL)
        return params_free(pa) || fe_err(p, arg(a, "n")->off, KILN_ERR_ARG, "Cannot cast array data from dtype('%s') to dtype('int64') according to the rule 'safe'",
                                         kiln_dtype_name(dts[0]));
    int64_t n = 1;
    for (int d = 0; d < nd; d++) n *= shape[d];
    char msg[160];
    for (int64_t k = 0; k < (pa[0] || pa[1] || pa[2] ? n : 1); k++) {
        const char *bad = NULL;
        const char *check = f->op == FE_NEG_BINOMIAL && !has(a, "self") ? "+b" : di->check; /* (RandomState's negative_binomial: p = 0 allowed) */
        for (int i = 0; !bad && check[i]; i++) bad = dist_check(check[i], di->pn[i], param_at(pa, v, i, k), msg, sizeof msg);
        double l = param_at(pa, v, 0, k), m = param_at(pa, v, 1, k), r = param_at(pa, v, 2, k);
        if (!bad && f->op == FE_BINOMIAL && !pa[0] && dtype_is_float(dts[0]) && isnan(v[0])) bad = "cannot convert float NaN to integer";
        if (!bad && f->op == FE_BINOMIAL && (pa[0] ? !(l < 9.2233720368547758e18) : iv[0] < 0)) bad = "n < 0"; /* (inf: NumPy's int64 cast makes it negative) */
        if (!bad && f->op == FE_TRIANGULAR) bad = l > m ? "left > mode" : m > r ? "mode > right" : l == r ? "left == right" : NULL;
        if (!bad && f->op == FE_NEG_BINOMIAL && has(a, "self") && (1 - m) / m * (l + 10 * sqrt(l)) > 9.2233720064847708e18)
            bad = "n too large or p too small, see Generator.negative_binomial Notes";
        if (bad) return params_free(pa) || fe_err(p, off, KILN_ERR_ARG, "%s(): %s", f->name, bad);
    }
    fe_rng *rg = rng_of(p, f, a, off, &gen);
    kiln_array *res = rg ? kiln_array_new(p->ctx, count ? KILN_I64 : KILN_F64, nd, shape) : NULL;
    if (!res) return params_free(pa) || (rg && fe_got(p, NULL, off));
    for (int64_t i = 0; i < n; i++) {
        double prm[3] = {param_at(pa, v, 0, i), param_at(pa, v, 1, i), param_at(pa, v, 2, i)};
        int64_t bn = pa[0] ? (int64_t)prm[0] : iv[0]; /* (binomial's n, exactly) */
        if (count) ((int64_t *)res->data)[i] = fe_rng_count(rg, gen, (fe_dist)f->op, prm, bn);
        else ((double *)res->data)[i] = fe_rng_draw(rg, gen, (fe_dist)f->op, prm);
    }
    params_free(pa);
    return draws_result(p, out, res, sized, count, off);
}

/* multinomial(n, pvals, size=None) (int64 counts) and dirichlet(alpha, size=None) (float64 rows
 * summing to 1): size's shape and then one axis of len(pvals) or len(alpha), each row drawn as
 * NumPy draws it; one n and 1-D pvals. */
bool fe_draw_multi(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    bool dir = f->op == 1, gen = has(a, "self"), sized;
    const char *pn = dir ? "alpha" : "pvals";
    int nd;
    int64_t shape[KILN_MAX_DIMS], n = 0;
    if (!dir && !fe_arg_int(p, arg(a, "n"), f->name, "n", &n)) return false;
    if (!draw_shape(p, f, a, &nd, shape, &sized)) return false;
    kiln_expr *pe = expr_of(p, f, a, pn), *c = pe && pe->ndim == 1 ? kiln_cast(p->ctx, pe, KILN_F64) : NULL;
    if (pe && pe->ndim != 1) fe_err(p, arg(a, pn)->off, KILN_ERR_ARG, dir ? "%s(): alpha must be 1-dimensional" : "%s(): kiln takes 1-D pvals", f->name);
    kiln_array *pv = c ? value_now(p, c, arg(a, pn)->off) : NULL;
    kiln_expr_free(c);
    kiln_expr_free(pe);
    if (!pv) return false;
    const double *pr = (const double *)pv->data;
    int64_t d = kiln_array_size(pv);
    const char *bad = NULL;
    double sum = 0, comp = 0;
    for (int64_t j = 0; j < d && !bad; j++) {
        bad = dir ? (gen ? pr[j] < 0 : pr[j] <= 0) ? (gen ? "alpha < 0" : "alpha <= 0") : NULL
                  : !(pr[j] >= 0 && pr[j] <= 1) ? "pvals < 0, pvals > 1 or pvals is NaN" : NULL;
        if (j < d - 1) { /* (NumPy's kahan_sum of pvals[:-1]) */
            double y = pr[j] - comp, t = sum + y;
            comp = (t - sum) - y, sum = t;
        }
    }
    if (!bad && !dir && d == 0) bad = "pvals must have at least 1 dimension and the last dimension of pvals must be greater than 0.";
    if (!bad && !dir && sum > 1.0 + 1e-12) bad = "sum(pvals[:-1]) > 1.0";
    if (!bad && !dir && n < 0) bad = "n < 0";
    if (!bad && nd == KILN_MAX_DIMS) bad = "too many dimensions";
    if (bad) {
        kiln_array_free(pv);
        return fe_err(p, off, KILN_ERR_ARG, "%s(): %s", f->name, bad);
    }
    shape[nd++] = d;
    fe_rng *r = rng_of(p, f, a, off, &gen);
    kiln_array *res = r ? kiln_array_new(p->ctx, dir ? KILN_F64 : KILN_I64, nd, shape) : NULL;
    if (!res) {
        kiln_array_free(pv);
        return r ? fe_got(p, NULL, off) : false;
    }
    for (int64_t i = 0, rows = d ? kiln_array_size(res) / d : 0; i < rows; i++)
        if (dir) fe_rng_dirichlet(r, gen, pr, d, (double *)res->data + i * d);
        else fe_rng_multinomial(r, n, pr, d, (int64_t *)res->data + i * d);
    kiln_array_free(pv);
    return array_result(p, out, res, off);
}

/* Element (i, j) of a 2-D float64 array. */
static double at2(const kiln_array *m, int64_t i, int64_t j) {
    const int64_t *st = kiln_array_strides(m);
    return *(const double *)(const void *)((const char *)kiln_array_data(m) + i * st[0] + j * st[1]);
}

/* out (m x n, C order) = a (m x k) @ b (k x n), each element a chain of fused multiply-adds in k's
 * order from 0: np.dot's bits where OpenBLAS's dgemm kernels use FMA (every AVX2 and AVX-512 one) */
static void fma_product(const kiln_array *a, const kiln_array *b, double *out) {
    int64_t m = a->shape[0], k = a->shape[1], n = b->shape[1];
    for (int64_t i = 0; i < m; i++)
        for (int64_t j = 0; j < n; j++) {
            double acc = 0;
            for (int64_t q = 0; q < k; q++) acc = fma(at2(a, i, q), at2(b, q, j), acc);
            out[i * n + j] = acc;
        }
}

/* Whether (vh.T * s) @ vh is NumPy's allclose to cov (rtol = atol = tol; NaN never close),
 * computed now; false after an error. */
static bool svd_close_now(parser *p, kiln_expr *vhts, kiln_expr *vh, kiln_expr *cov, double tol, size_t off, bool *close) {
    kiln_array *x = value_now(p, vhts, off), *v = x ? value_now(p, vh, off) : NULL, *y = v ? value_now(p, cov, off) : NULL;
    int64_t d = y ? y->shape[0] : 0;
    double *back = y ? kiln_malloc(p->ctx, (size_t)(d * d + 1) * sizeof *back) : NULL;
    if (back) fma_product(x, v, back);
    *close = true;
    for (int64_t k = 0; back && k < d * d && *close; k++) {
        double u = back[k], w = at2(y, k / d, k % d);
        *close = (fabs(u - w) <= tol + tol * fabs(w) && isfinite(w)) || u == w;
    }
    bool ok = back != NULL || (y && fe_got(p, NULL, off));
    kiln_free(p->ctx, back);
    kiln_array_free(x);
    kiln_array_free(v);
    kiln_array_free(y);
    return ok && back;
}

/* multivariate_normal(mean, cov, size): standard normals of shape size + (d,), as rows, times a
 * factor A of cov (A.T @ A = cov), plus mean, as NumPy's: RandomState's A is sqrt(s)[:, None] * vh
 * of cov's SVD; a Generator's is (u * sqrt(s)).T (method 'svd'), (u * sqrt(|s|)).T of its eigh
 * ('eigh') or L.T of its Cholesky factor ('cholesky').  check_valid: 'raise' refuses a cov that
 * is not positive semi-definite (the SVD's vh.T * s @ vh not close to cov, or an eigenvalue below
 * -tol); 'warn' goes on as NumPy does, without its warning (kiln has none); 'ignore'. */
bool fe_draw_mvnormal(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    bool gen = has(a, "self"), sized;
    int nd;
    int64_t shape[KILN_MAX_DIMS];
    double tol = 1e-8;
    int64_t ti;
    kiln_dtype tdt;
    kval *cv = arg(a, "check_valid"), *mv = gen && given(a, "method") ? arg(a, "method") : NULL;
    const char *check = !given(a, "check_valid") ? "warn" : cv->kind == KV_STR ? cv->s : "", *method = mv && mv->kind == KV_STR ? mv->s : "svd";
    if (mv && (mv->kind != KV_STR || (strcmp(method, "svd") && strcmp(method, "eigh") && strcmp(method, "cholesky"))))
        return fe_err(p, mv->off, KILN_ERR_ARG, "%s(): method must be one of {'eigh', 'svd', 'cholesky'}", f->name);
    if (!draw_shape(p, f, a, &nd, shape, &sized) || (given(a, "tol") && !fe_arg_number(p, arg(a, "tol"), f->name, "tol", &tol, &ti, &tdt)))
        return false;
    tmps t = {0};
    kiln_expr *mean = keep(&t, expr_of(p, f, a, "mean")), *cov0 = mean ? keep(&t, expr_of(p, f, a, "cov")) : NULL;
    if (!cov0) return done(p, &t, out, NULL, off);
    const char *bad = mean->ndim != 1 ? "mean must be 1 dimensional"
                    : cov0->ndim != 2 || cov0->shape[0] != cov0->shape[1] ? "cov must be 2 dimensional and square"
                    : mean->shape[0] != cov0->shape[0] ? "mean and cov must have same length"
                    : mean->shape[0] == 0 ? "mean and cov must not be empty"
                    : nd == KILN_MAX_DIMS ? "too many dimensions" : NULL;
    if (bad) {
        fe_err(p, off, KILN_ERR_ARG, "%s(): %s", f->name, bad);
        return done(p, &t, out, NULL, off);
    }
    int64_t d = mean->shape[0];
    shape[nd++] = d;
    bool chol = !strcmp(method, "cholesky"), eig = !strcmp(method, "eigh");
    if (!chol && strcmp(check, "warn") && strcmp(check, "raise") && strcmp(check, "ignore")) {
        fe_err(p, cv->off, KILN_ERR_ARG, "%s(): check_valid must equal 'warn', 'raise', or 'ignore'", f->name);
        return done(p, &t, out, NULL, off);
    }
    kiln_ctx *c = p->ctx;
    kiln_expr *cov = keep(&t, kiln_cast(c, cov0, KILN_F64)), *fac; /* the factor A, (d, d) */
    if (chol) fac = keep(&t, kiln_transpose(c, keep(&t, kiln_linalg(c, KILN_LA_CHOLESKY, cov, NULL, 0))));
    else {
        kiln_expr *sv = keep(&t, kiln_linalg(c, eig ? KILN_LA_EIGVALSH : KILN_LA_SVALS, cov, NULL, 0));
        kiln_expr *vec = keep(&t, kiln_linalg(c, eig ? KILN_LA_EIGVECSH : gen ? KILN_LA_SVD_U : KILN_LA_SVD_VH, cov, NULL, 0));
        if (!strcmp(check, "raise")) {
            bool psd = true;
            if (eig) {
                kiln_array *sa = sv ? value_now(p, sv, off) : NULL;
                if (!sa) return done(p, &t, out, NULL, off);
                for (int64_t k = 0; k < d; k++) psd = psd && !(((const double *)sa->data)[k] < -tol);
                kiln_array_free(sa);
            } else { /* vh.T * s @ vh against cov */
                kiln_expr *vh = gen ? keep(&t, kiln_linalg(c, KILN_LA_SVD_VH, cov, NULL, 0)) : vec;
                kiln_expr *vhts = keep(&t, kiln_mul(c, keep(&t, kiln_transpose(c, vh)), sv));
                if (!vhts || !svd_close_now(p, vhts, vh, cov, tol, off, &psd)) return done(p, &t, out, NULL, off);
            }
            if (!psd) {
                fe_err(p, arg(a, "cov")->off, KILN_ERR_ARG, "%s(): covariance is not symmetric positive-semidefinite.", f->name);
                return done(p, &t, out, NULL, off);
            }
        }
        kiln_expr *root = keep(&t, kiln_sqrt(c, eig ? keep(&t, kiln_abs(c, sv)) : sv));
        fac = gen ? keep(&t, kiln_transpose(c, keep(&t, kiln_mul(c, vec, root))))
                  : keep(&t, kiln_mul(c, keep(&t, kiln_expand_dims(c, root, 1)), vec));
    }
    /* the factor and mean now (the draws' rows times the factor, as np.dot's fused multiply-adds) */
    kiln_array *fa = fac ? value_now(p, fac, off) : NULL, *ma = fa ? value_now(p, keep(&t, kiln_cast(c, mean, KILN_F64)), off) : NULL;
    fe_rng *r = ma ? rng_of(p, f, a, off, &gen) : NULL;
    int64_t rows = 1;
    for (int k = 0; k < nd - 1; k++) rows *= shape[k];
    kiln_array *z = r ? kiln_array_new(c, KILN_F64, 2, (int64_t[]){rows, d}) : NULL, *res = z ? kiln_array_new(c, KILN_F64, nd, shape) : NULL;
    if (res) {
        double *zd = (double *)z->data, *rd = (double *)res->data;
        for (int64_t k = 0, n = kiln_array_size(z); k < n; k++) zd[k] = fe_rng_std_normal(r, gen);
        fma_product(z, fa, rd);
        const char *md = kiln_array_data(ma);
        int64_t ms = kiln_array_strides(ma)[0];
        for (int64_t i = 0; i < rows; i++)
            for (int64_t j = 0; j < d; j++) rd[i * d + j] += *(const double *)(const void *)(md + j * ms);
    } else fe_got(p, NULL, off); /* (the first error stands) */
    kiln_array_free(fa);
    kiln_array_free(ma);
    kiln_array_free(z);
    tmps_free(&t);
    return res && array_result(p, out, res, off);
}

/* n indices 0..n-1 in the order NumPy's shuffle leaves them (Fisher-Yates from the end, each
 * swap partner by masked rejection), as a new int64 array. */
static kiln_array *shuffled_range(parser *p, fe_rng *r, int64_t n, size_t off) {
    kiln_array *res = kiln_array_new(p->ctx, KILN_I64, 1, &n);
    if (!fe_got(p, res, off)) return NULL;
    int64_t *d = (int64_t *)res->data;
    for (int64_t i = 0; i < n; i++) d[i] = i;
    for (int64_t i = n - 1; i > 0; i--) {
        int64_t j = (int64_t)fe_rng_interval(r, (uint64_t)i), t = d[i];
        d[i] = d[j], d[j] = t;
    }
    return res;
}

/* permutation(x) and a Generator's permutation(x, axis=0): a shuffled arange(x), or x's rows
 * (slices along axis) in a shuffled order. */
bool fe_draw_permutation(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kval *x = arg(a, "x");
    int64_t n, axis = 0;
    kiln_expr *arr = NULL;
    bool gen;
    if (has(a, "axis") && given(a, "axis") && !fe_arg_int(p, arg(a, "axis"), f->name, "axis", &axis)) return false;
    if (x->kind == KV_ARRAY && x->e->ndim == 0 && dtype_is_int((kiln_dtype)x->e->dtype)) { /* (a number computed now too) */
        if (!fe_arg_int(p, x, f->name, "x", &n)) return false;
        if (n < 0) n = 0; /* (arange(-1): empty) */
    } else {
        if (!(arr = expr_of(p, f, a, "x"))) return false;
        if (arr->ndim == 0 || axis < -arr->ndim || axis >= arr->ndim) {
            bool scalar = arr->ndim == 0;
            kiln_expr_free(arr);
            return scalar ? fe_err(p, x->off, KILN_ERR_ARG, "%s(): x must be an integer or at least 1-dimensional", f->name)
                          : fe_err(p, off, KILN_ERR_ARG, "%s(): axis %lld is out of bounds", f->name, (long long)axis);
        }
        if (axis < 0) axis += arr->ndim;
        n = arr->shape[axis];
    }
    fe_rng *r = rng_of(p, f, a, off, &gen);
    kiln_array *perm = r ? shuffled_range(p, r, n, off) : NULL;
    if (!perm || !arr) {
        kiln_expr_free(arr);
        return perm ? array_result(p, out, perm, off) : false;
    }
    kiln_expr *idx = kiln_var(p->ctx, perm);
    kiln_array_free(perm);
    kiln_expr *t[2] = {arr, idx};
    return result(p, out, idx ? kiln_take(p->ctx, arr, idx, (int)axis) : NULL, off, 2, t);
}

/* default_rng(seed=None): a new Generator (PCG64 seeded through SeedSequence from the seed's
 * 32-bit words: an int's, lowest first, or a list's ints one after another; None: the operating
 * system's entropy), or the Generator given. */
bool fe_draw_default_rng(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kval *sv = arg(a, "seed");
    if (sv->kind == KV_GEN) return fe_kval_copy(p->ctx, out, sv) || fe_got(p, NULL, off);
    uint32_t w[128];
    int n = 0;
    if (sv->kind == KV_ABSENT || sv->kind == KV_NONE) {
        if (!fe_rng_os_entropy(w, 4)) return fe_err(p, off, KILN_ERR_ARG, "%s(): the operating system gave no entropy", f->name);
        n = 4;
    } else {
        bool seq = sv->kind == KV_LIST || sv->kind == KV_TUPLE;
        for (int i = 0; i < (seq ? sv->n : 1); i++) {
            const kval *v = seq ? &sv->items[i] : sv;
            int64_t k;
            if (v->kind != KV_ARRAY || v->e->ndim != 0 || !dtype_is_int((kiln_dtype)v->e->dtype))
                return fe_err(p, v->off, KILN_ERR_ARG, "%s(): the seed must be a non-negative integer or a list of them", f->name);
            if (!fe_arg_int(p, v, f->name, "seed", &k)) return false;
            if (k < 0) return fe_err(p, v->off, KILN_ERR_ARG, "%s(): expected non-negative integer", f->name);
            if (n + 2 > (int)(sizeof w / sizeof *w)) return fe_err(p, v->off, KILN_ERR_ARG, "%s(): kiln takes at most 64 seed integers", f->name);
            w[n++] = (uint32_t)k;
            if (k >> 32) w[n++] = (uint32_t)((uint64_t)k >> 32);
        }
    }
    if (!p->env->scope) return fe_err(p, off, KILN_ERR_ARG, "%s(): needs a scope (its generators)", f->name);
    p->env->volatile_ = true;
    int g = scope_new_generator(p->env->scope, w, n);
    if (g < 0) return fe_got(p, NULL, off);
    *out = (kval){.kind = KV_GEN, .off = off, .rng = g};
    return true;
}

/* The cumulative sums of p, divided by the last (NumPy's cdf /= cdf[-1]). */
static void cdf_of(const double *pr, int64_t n, double *cdf) {
    double sum = 0;
    for (int64_t k = 0; k < n; k++) cdf[k] = sum += pr[k];
    for (int64_t k = 0; k < n; k++) cdf[k] /= sum;
}

/* A Generator's sample of count distinct indices of n (replace=False, no p): a partial shuffle of
 * arange(n)'s tail when the sample is large, else Floyd's algorithm with NumPy's hash set, then
 * (shuffle=True) the sample shuffled; every index drawn by Lemire's method, as NumPy draws them. */
static bool floyd_sample(parser *p, fe_rng *r, int64_t n, int64_t count, bool shuffle, int64_t *d, size_t off) {
    if (n > 10000 && count > n / (shuffle ? 50 : 20)) {
        int64_t *all = kiln_malloc(p->ctx, (size_t)n * sizeof *all);
        if (!all) return fe_got(p, NULL, off);
        for (int64_t i = 0; i < n; i++) all[i] = i;
        for (int64_t i = n - 1, first = n - count > 1 ? n - count : 1; i >= first; i--) {
            int64_t j = (int64_t)fe_rng_bounded(r, (uint64_t)i, false), t = all[i];
            all[i] = all[j], all[j] = t;
        }
        memcpy(d, all + (n - count), (size_t)count * sizeof *d);
        kiln_free(p->ctx, all);
        return true;
    }
    uint64_t mask = (uint64_t)(1.2 * (double)count);
    for (int s = 1; s < 64; s *= 2) mask |= mask >> s;
    uint64_t *set = kiln_malloc(p->ctx, (size_t)(mask + 1) * sizeof *set);
    if (!set) return fe_got(p, NULL, off);
    memset(set, 0xff, (size_t)(mask + 1) * sizeof *set);
    for (int64_t j = n - count; j < n; j++) {
        uint64_t val = fe_rng_bounded(r, (uint64_t)j, false), loc = val & mask;
        while (set[loc] != UINT64_MAX && set[loc] != val) loc = (loc + 1) & mask;
        if (set[loc] == UINT64_MAX) set[loc] = val;
        else { /* val was drawn before: j itself joins */
            for (loc = (uint64_t)j & mask; set[loc] != UINT64_MAX;) loc = (loc + 1) & mask;
            set[loc] = val = (uint64_t)j;
        }
        d[j - n + count] = (int64_t)val;
    }
    kiln_free(p->ctx, set);
    for (int64_t i = count - 1; shuffle && i > 0; i--) {
        int64_t j = (int64_t)fe_rng_bounded(r, (uint64_t)i, false), t = d[i];
        d[i] = d[j], d[j] = t;
    }
    return true;
}

/* choice(a, size=None, replace=True, p=None) of np.random and a Generator's (with axis= and
 * shuffle=): indices drawn as NumPy draws them (integers; by the cumulative p searched; without
 * replacement a shuffle's first, Floyd's sample, or p's rounds without those found), then a's
 * elements (slices along axis) at them. */
bool fe_draw_choice(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kval *av = arg(a, "a");
    int64_t n, shape[KILN_MAX_DIMS], count = 1, axis = 0;
    int nd = 0;
    kiln_expr *arr = NULL;
    bool replace = true, shuffle = true, sized, gen = has(a, "self");
    if ((has(a, "axis") && given(a, "axis") && !fe_arg_int(p, arg(a, "axis"), f->name, "axis", &axis)) ||
        (has(a, "shuffle") && given(a, "shuffle") && !fe_arg_bool(p, arg(a, "shuffle"), f->name, "shuffle", &shuffle)))
        return false;
    if (av->kind == KV_ARRAY && av->e->ndim == 0 && dtype_is_int((kiln_dtype)av->e->dtype)) { /* (a number computed now too) */
        if (!fe_arg_int(p, av, f->name, "a", &n)) return false;
    } else {
        if (!(arr = keep(&t, expr_of(p, f, a, "a")))) return done(p, &t, out, NULL, off);
        if (arr->ndim == 0 || (!gen && arr->ndim != 1)) {
            tmps_free(&t);
            return fe_err(p, av->off, KILN_ERR_ARG, gen ? "%s(): a must be a sequence or an integer, not a 0-d array" : "%s(): a must be 1-dimensional or an integer", f->name);
        }
        if (axis < -arr->ndim || axis >= arr->ndim) {
            tmps_free(&t);
            return fe_err(p, off, KILN_ERR_ARG, "%s(): axis %lld is out of bounds for array of dimension %d", f->name, (long long)axis, arr->ndim);
        }
        if (axis < 0) axis += arr->ndim;
        n = arr->shape[axis];
    }
    if (!draw_shape(p, f, a, &nd, shape, &sized) || (given(a, "replace") && !fe_arg_bool(p, arg(a, "replace"), f->name, "replace", &replace)))
        return done(p, &t, out, NULL, off);
    for (int d = 0; d < nd; d++) count *= shape[d];
    if (n <= 0 && count > 0) {
        tmps_free(&t);
        return fe_err(p, av->off, KILN_ERR_ARG, arr ? "'a' cannot be empty unless no samples are taken" : "a must be greater than 0 unless no samples are taken");
    }
    if (!replace && count > n) {
        tmps_free(&t);
        return fe_err(p, off, KILN_ERR_ARG, "Cannot take a larger sample than population when replace is False");
    }
    double *pr = NULL, *cdf = NULL;
    if (given_not_none(a, "p")) { /* the probabilities, read now */
        kiln_expr *pe = keep(&t, expr_of(p, f, a, "p"));
        kiln_array *pa = pe && pe->ndim == 1 && pe->shape[0] == n ? value_now(p, keep(&t, kiln_cast(c, pe, KILN_F64)), arg(a, "p")->off) : NULL;
        const char *bad = !pe ? NULL : pe->ndim != 1 || pe->shape[0] != n ? "'a' and 'p' must have same size" : NULL;
        pr = pa && !bad ? kiln_calloc(c, (size_t)(2 * n + 1) * sizeof *pr) : NULL;
        cdf = pr ? pr + n : NULL;
        double sum = 0, comp = 0, tol = sqrt(DBL_EPSILON);
        if (pe && pe->dtype == KILN_F32) tol = sqrt((double)FLT_EPSILON);
        int64_t positive = 0;
        for (int64_t k = 0; pr && k < n && !bad; k++) { /* (summed as NumPy's kahan_sum) */
            double v = pr[k] = ((const double *)kiln_array_data(pa))[k], y = v - comp, s = sum + y;
            comp = (s - sum) - y, sum = s;
            if (isnan(v)) bad = "probabilities contain NaN";
            else if (v < 0) bad = "probabilities are not non-negative";
            positive += v > 0;
        }
        kiln_array_free(pa);
        if (!bad && pr && fabs(sum - 1) > tol) bad = "probabilities do not sum to 1";
        if (!bad && pr && !replace && positive < count) bad = "Fewer non-zero entries in p than size";
        if (bad || !pr) {
            kiln_free(c, pr);
            tmps_free(&t);
            return bad ? fe_err(p, arg(a, "p")->off, KILN_ERR_ARG, "%s", bad) : false;
        }
    }
    fe_rng *r = rng_of(p, f, a, off, &gen);
    kiln_array *ia = r ? kiln_array_new(c, KILN_I64, nd, shape) : NULL;
    if (!ia) {
        kiln_free(c, pr);
        tmps_free(&t);
        return r ? fe_got(p, NULL, off) : false;
    }
    int64_t *d = (int64_t *)kiln_array_data(ia);
    bool ok = true;
    if (replace && pr) { /* the first cumulative probability above each u */
        cdf_of(pr, n, cdf);
        for (int64_t k = 0; k < count; k++) d[k] = search_right(cdf, n, fe_rng_double(r));
    } else if (replace) {
        for (int64_t k = 0; k < count; k++) d[k] = (int64_t)fe_rng_bounded(r, (uint64_t)(n - 1), !gen);
    } else if (pr) { /* rounds of draws, each without what earlier rounds found, its new indices in order */
        double *u = kiln_malloc(c, (size_t)(count ? count : 1) * sizeof *u);
        int64_t *mark = kiln_calloc(c, (size_t)n * sizeof *mark); /* (the round that last found each index, from 1) */
        ok = u && mark;
        for (int64_t found = 0, round = 1; ok && found < count; round++) {
            int64_t want = count - found;
            for (int64_t k = 0; k < want; k++) u[k] = fe_rng_double(r);
            for (int64_t k = 0; k < found; k++) pr[d[k]] = 0;
            cdf_of(pr, n, cdf);
            for (int64_t k = 0; k < want; k++) {
                int64_t i = search_right(cdf, n, u[k]);
                if (mark[i] != round) mark[i] = round, d[found++] = i;
            }
        }
        if (!ok) fe_got(p, NULL, off);
        kiln_free(c, u);
        kiln_free(c, mark);
    } else if (gen) {
        ok = floyd_sample(p, r, n, count, shuffle, d, off);
    } else { /* RandomState: the first count of a permutation of n */
        kiln_array *perm = shuffled_range(p, r, n, off);
        if ((ok = perm != NULL)) memcpy(d, perm->data, (size_t)count * sizeof *d);
        kiln_array_free(perm);
    }
    kiln_free(c, pr);
    if (!ok) {
        kiln_array_free(ia);
        tmps_free(&t);
        return false;
    }
    if (!arr) {
        tmps_free(&t);
        return draws_result(p, out, ia, sized, true, off);
    }
    kiln_expr *idx = keep(&t, kiln_var(c, ia));
    kiln_array_free(ia);
    return done(p, &t, out, idx ? keep(&t, kiln_take(c, arr, idx, (int)axis)) : NULL, off);
}
