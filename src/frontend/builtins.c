/*
 * builtins.c — the language's functions, methods and attributes: one table, with NumPy's
 * signatures (positional and keyword arguments bound as Python binds them), a handler each,
 * and the one-line documentation :help shows.
 *
 * Pipeline position: called by the parser (parse.c) for NAME(...), x.NAME(...) and x.NAME; each
 * handler builds its result through kiln.h's builders.  Every element-wise op of KILN_OPS is a
 * function by its NumPy name; the rest are below.  A function of Python numbers gives a NumPy
 * scalar (strong, NEP 50): exp(1) * f32 is float64, as np.exp(1) * f32 is.
 */
#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../codegen/host.h"
#include "handlers.h"

/* ------------------------------------------------------------------ binding */

/* Binds pos and kw (taken over) to f's signature, as Python does, into a. */
static bool bind(parser *p, const fe_fn *f, const char *shown, size_t off, kval *pos, int npos, fe_kwarg *kw, int nkw, fe_args *a) {
    char sig[256];
    snprintf(sig, sizeof sig, "%s", f->sig);
    a->n = 0;
    a->by_keyword = 0;
    int kwonly_from = FE_MAX_ARGS, var = -1, npositional = 0;
    bool required[FE_MAX_ARGS] = {false};
    for (char *save = NULL, *t = strtok_r(sig, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
        if (!strcmp(t, "/")) continue;
        if (!strcmp(t, "*")) {
            kwonly_from = a->n;
            continue;
        }
        char *eq = strchr(t, '=');
        if (eq) *eq = 0;
        if (t[0] == '*') {
            var = a->n;
            t++;
        }
        KILN_ASSERT(a->n < FE_MAX_ARGS && strlen(t) < sizeof a->names[0]);
        snprintf(a->names[a->n], sizeof a->names[0], "%s", t);
        required[a->n] = !eq && var != a->n;
        memset(&a->v[a->n], 0, sizeof a->v[0]);
        a->v[a->n].kind = KV_ABSENT;
        a->v[a->n].off = off;
        if (var < 0 && a->n < kwonly_from) npositional++;
        a->n++;
    }
    bool ok = true;
    int i = 0;
    for (; i < npos && ok; i++) {
        if (var >= 0 && i >= var) { /* the rest go to *name, as a tuple */
            kval *t = &a->v[var];
            if (t->kind == KV_ABSENT) {
                t->kind = KV_TUPLE;
                t->off = pos[i].off;
            }
            kval *ni = kiln_realloc(p->ctx, t->items, (size_t)(t->n + 1) * sizeof *ni);
            if (!(ok = fe_got(p, ni, off))) break;
            t->items = ni;
            t->items[t->n++] = pos[i];
            memset(&pos[i], 0, sizeof pos[i]);
            continue;
        }
        if (i >= npositional) {
            ok = fe_err(p, pos[i].off, KILN_ERR_ARG, "%s() takes %s%d positional argument%s but %d were given", shown,
                        npositional < a->n ? "at most " : "", npositional, npositional == 1 ? "" : "s", npos);
            break;
        }
        a->v[i] = pos[i];
        memset(&pos[i], 0, sizeof pos[i]);
    }
    for (int k = 0; k < nkw && ok; k++) {
        int j = -1;
        for (int m = 0; m < a->n; m++)
            if (m != var && !strcmp(a->names[m], kw[k].name)) j = m;
        if (j < 0) {
            ok = fe_err(p, kw[k].off, KILN_ERR_ARG, "%s() got an unexpected keyword argument '%s'", shown, kw[k].name);
        } else if (a->v[j].kind != KV_ABSENT) {
            ok = fe_err(p, kw[k].off, KILN_ERR_ARG, "%s() got multiple values for argument '%s'", shown, kw[k].name);
        } else {
            a->v[j] = kw[k].v;
            a->by_keyword |= 1u << j;
            memset(&kw[k].v, 0, sizeof kw[k].v);
        }
    }
    for (int m = 0; m < a->n && ok; m++)
        if (required[m] && a->v[m].kind == KV_ABSENT)
            ok = fe_err(p, off, KILN_ERR_ARG, "%s() missing required argument '%s'", shown, a->names[m]);
    for (int k = 0; k < npos; k++) kval_free(p->ctx, &pos[k]);
    for (int k = 0; k < nkw; k++) kval_free(p->ctx, &kw[k].v);
    return ok;
}

static void args_free(parser *p, fe_args *a) {
    for (int i = 0; i < a->n; i++) kval_free(p->ctx, &a->v[i]);
}

/* ------------------------------------------------------------------ helpers for handlers */

/* axis as one int or None (KILN_ALL_AXES) */
static bool one_axis(parser *p, const fe_fn *f, fe_args *a, int *axis) {
    kval *v = arg(a, "axis");
    int64_t ax;
    if (v->kind == KV_ABSENT || v->kind == KV_NONE) {
        *axis = KILN_ALL_AXES;
        return true;
    }
    if (!fe_arg_int(p, v, f->name, "axis", &ax)) return false;
    if (ax < -KILN_MAX_DIMS || ax >= KILN_MAX_DIMS)
        return fe_err(p, v->off, KILN_ERR_ARG, "%s(): axis %lld is out of bounds", f->name, (long long)ax);
    *axis = (int)ax;
    return true;
}
/* Whether the Python integers in v (a number, or lists and tuples of them) fit dtype dt: NumPy 2
 * refuses array([2**31], dtype=int32); false after reporting. */
static bool py_ints_fit(parser *p, const kval *v, kiln_dtype dt) {
    if (v->kind == KV_LIST || v->kind == KV_TUPLE) {
        for (int i = 0; i < v->n; i++)
            if (!py_ints_fit(p, &v->items[i], dt)) return false;
        return true;
    }
    if (!dtype_is_int(dt) || !fe_is_py(v)) return true;
    if (v->e->dtype == KILN_F64) { /* int32(1e10): NumPy makes the float a Python int first */
        double x = v->e->val.f64;
        if (isnan(x) || isinf(x)) return fe_err(p, v->off, KILN_ERR_DTYPE, "cannot convert float %s to integer", isnan(x) ? "NaN" : "infinity");
        if (fe_float_fits(x, dt)) return true;
        if (fabs(x) < 0x1p63) /* (NumPy's words: the float made a Python int first) */
            return fe_err(p, v->off, KILN_ERR_DTYPE, "Python integer %.0f out of bounds for %s", trunc(x), kiln_dtype_name(dt));
        return fe_err(p, v->off, KILN_ERR_DTYPE, "Python int too large to convert to C long");
    }
    return ir_weak_fits(&p->ctx->graph, v->e, dt) || fe_got(p, NULL, v->off);
}

/* x cast to dtype= when given (a reference; x itself otherwise). */
static kiln_expr *with_dtype(parser *p, const fe_fn *f, fe_args *a, kiln_expr *x) {
    kiln_dtype dt;
    if (!given_not_none(a, "dtype")) return kiln_expr_retain(x);
    if (!fe_arg_dtype(p, arg(a, "dtype"), f->name, &dt)) return NULL;
    if (has(a, "object") && !py_ints_fit(p, arg(a, "object"), dt)) return NULL;
    kiln_expr *c = kiln_cast(p->ctx, x, dt);
    fe_got(p, c, arg(a, "dtype")->off);
    return c;
}
static bool keepdims_of(parser *p, const fe_fn *f, fe_args *a, bool *keep) {
    *keep = false;
    return !given_not_none(a, "keepdims") || fe_arg_bool(p, arg(a, "keepdims"), f->name, "keepdims", keep);
}

/* ------------------------------------------------------------------ element-wise */

static bool h_ufunc(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kiln_expr *x[3] = {NULL, NULL, NULL};
    int n = a->n;
    for (int i = 0; i < n; i++)
        if (!(x[i] = expr_of(p, f, a, a->names[i]))) return result(p, out, NULL, off, i, x);
    if (f->op == KILN_OP_POSITIVE && x[0]->dtype == KILN_BOOL) { /* (as +x of bools) */
        fe_err(p, off, KILN_ERR_DTYPE, "ufunc 'positive' did not contain a loop with signature matching types (bool)");
        return result(p, out, NULL, off, n, x);
    }
    return result(p, out, kiln_apply(p->ctx, (kiln_op)f->op, x), off, n, x);
}

/* Python's abs: of a Python number a Python number (abs(True) is the int 1; abs(-2**63) is 2**63,
 * past kiln's Python integers: the overflow error), of anything else np.abs (which wraps) */
static bool h_py_abs(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    const kval *v = arg(a, "x");
    if (v->kind != KV_ARRAY || !fe_is_py(v)) return h_ufunc(p, f, a, off, out);
    const kiln_expr *e = v->e;
    if (e->dtype == KILN_I64 && e->val.i64 == INT64_MIN) return fe_err(p, off, KILN_ERR_ARG, "integer overflow: kiln's Python integers are 64-bit");
    return fe_set_expr(p, out, e->dtype == KILN_BOOL ? kiln_int(p->ctx, e->val.b)
                               : e->dtype == KILN_I64 ? kiln_int(p->ctx, e->val.i64 < 0 ? -e->val.i64 : e->val.i64)
                                                      : kiln_scalar(p->ctx, fabs(e->val.f64)), off);
}

enum { C_SIGMOID, C_RELU, C_SQUARE, C_SOFTMAX, C_LOG_SOFTMAX };
static bool h_compose(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kiln_expr *x = expr_of(p, f, a, a->names[0]);
    if (!x) return false;
    if (f->op == C_SQUARE && x->dtype == KILN_BOOL) { /* square of bools: NumPy's loop is int8's */
        kiln_expr *i8 = kiln_cast(p->ctx, x, KILN_I8);
        kiln_expr_free(x);
        if (!(x = i8)) return result(p, out, NULL, off, 0, NULL);
    }
    unsigned mask = 0;
    bool all;
    if ((f->op == C_SOFTMAX || f->op == C_LOG_SOFTMAX) && !fe_arg_axes(p, arg(a, "axis"), x->ndim, f->name, &mask, &all))
        return result(p, out, NULL, off, 1, &x);
    kiln_expr *r = f->op == C_SIGMOID ? kiln_sigmoid(p->ctx, x)
                   : f->op == C_RELU  ? kiln_relu(p->ctx, x)
                   : f->op == C_SQUARE ? kiln_square(p->ctx, x)
                   : f->op == C_SOFTMAX ? kiln_softmax_axes(p->ctx, x, mask)
                                        : kiln_log_softmax_axes(p->ctx, x, mask);
    return result(p, out, r, off, 1, &x);
}

static bool h_logsumexp(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kiln_expr *x = expr_of(p, f, a, "a");
    unsigned mask;
    bool all, keep;
    if (!x || !fe_arg_axes(p, arg(a, "axis"), x->ndim, f->name, &mask, &all) || !keepdims_of(p, f, a, &keep))
        return result(p, out, NULL, off, 1, &x);
    return result(p, out, kiln_logsumexp(p->ctx, x, mask, keep), off, 1, &x);
}

static bool h_clip(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    fe_make_strong(p, arg(a, "a")); /* (NumPy's asanyarray: clip(300, u8(0), u8(255)) is int64) */
    kiln_expr *t[3] = {expr_of(p, f, a, "a"), NULL, NULL};
    if (!t[0]) return false;
    bool positional = has(a, "a_min"); /* the function has a_min/a_max and min=/max=; the method min/max */
    const char *lo_name = !positional || given(a, "min") ? "min" : "a_min", *hi_name = !positional || given(a, "max") ? "max" : "a_max";
    if (positional && ((given(a, "min") && given(a, "a_min")) || (given(a, "max") && given(a, "a_max")))) {
        fe_err(p, off, KILN_ERR_ARG, "clip(): give a_min or min, and a_max or max, not both");
        return result(p, out, NULL, off, 1, t);
    }
    if (given_not_none(a, lo_name) && !(t[1] = expr_of(p, f, a, lo_name))) return result(p, out, NULL, off, 1, t);
    if (given_not_none(a, hi_name) && !(t[2] = expr_of(p, f, a, hi_name))) return result(p, out, NULL, off, 2, t);
    /* (a Python int bound past the dtype's end: kiln_clip drops it or refuses it, as NumPy 2) */
    return result(p, out, kiln_clip(p->ctx, t[0], t[1], t[2]), off, 3, t);
}

static bool h_math_int(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out);

/* np.round(a, decimals) of the arguments named a and decimals */
static bool round_of(parser *p, const fe_fn *f, fe_args *a, const char *a_name, const char *dec, size_t off, kval *out) {
    kiln_expr *x = fe_arg_expr(p, arg(a, a_name), "round", a_name);
    int64_t d = 0;
    if (!x || (given(a, dec) && !fe_arg_int(p, arg(a, dec), f->name, dec, &d))) return result(p, out, NULL, off, 1, &x);
    if (d < -300 || d > 300) {
        fe_err(p, off, KILN_ERR_ARG, "round(): %s out of range", dec);
        return result(p, out, NULL, off, 1, &x);
    }
    if (x->dtype == KILN_BOOL) { /* NumPy's: rint's float loop (float16: kiln's float32), and other places refused */
        if (d != 0) {
            fe_err(p, off, KILN_ERR_DTYPE, "Cannot cast ufunc 'multiply' output from dtype('float64') to dtype('bool') with casting rule 'same_kind'");
            return result(p, out, NULL, off, 1, &x);
        }
        kiln_expr *f32 = kiln_cast(p->ctx, x, KILN_F32);
        kiln_expr_free(x);
        return result(p, out, f32, off, 0, NULL);
    }
    return result(p, out, kiln_round(p->ctx, x, (int)d), off, 1, &x);
}
static bool h_round(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) { return round_of(p, f, a, "a", "decimals", off, out); }

/* Python's round(x, ndigits) of a Python number x, as Python's: the exact value rounded to the
 * place, halves to even (round(2.675, 2) is 2.67: the double is below 2.675), of a float a float
 * (far past its digits: itself or a zero), of an int an int (an error past 64 bits). */
static bool py_round_digits(parser *p, const kval *x, const kval *nd, size_t off, kval *out) {
    int64_t d, i;
    double v;
    if (nd->kind == KV_ARRAY && fe_is_py(nd) && nd->e->dtype == KILN_BOOL) d = nd->e->val.b; /* (round(x, True): Python's int) */
    else if (!fe_arg_int(p, nd, "round", "ndigits", &d)) return false;
    kiln_expr_scalar(x->e, &v, &i);
    if (x->e->dtype != KILN_F64) { /* an int (or a bool): itself, or rounded at 10^-d */
        if (x->e->dtype == KILN_BOOL) i = x->e->val.b;
        if (d >= 0) return fe_set_expr(p, out, kiln_int(p->ctx, i), off);
        if (d <= -20) return fe_set_expr(p, out, kiln_int(p->ctx, 0), off); /* (|i| < 2^63 < 10^20 / 2) */
        __int128 m = 1, q, r, n = i;
        for (int64_t k = 0; k < -d; k++) m *= 10;
        q = n / m, r = n % m;
        if (r < 0) q--, r += m; /* (floor) */
        if (2 * r > m || (2 * r == m && (q & 1))) q++;
        __int128 res = q * m;
        if (res > INT64_MAX || res < INT64_MIN) return fe_err(p, off, KILN_ERR_ARG, "integer overflow: kiln's Python integers are 64-bit");
        return fe_set_expr(p, out, kiln_int(p->ctx, (int64_t)res), off);
    }
    char text[720];
    if (!isfinite(v) || d > 340) return fe_set_expr(p, out, kiln_scalar(p->ctx, v), off);
    if (d >= 0) {
        snprintf(text, sizeof text, "%.*f", (int)d, v); /* (exactly rounded, ties to even) */
        return fe_set_expr(p, out, kiln_scalar(p->ctx, strtod(text, NULL)), off);
    }
    if (d < -308) return fe_set_expr(p, out, kiln_scalar(p->ctx, copysign(0.0, v)), off);
    /* the exact digits (a double of 1 or more has at most 52 after the point), rounded at 10^-d */
    int k = (int)-d, n = snprintf(text, sizeof text, "%.60f", fabs(v));
    char *dot = strchr(text, '.');
    int il = (int)(dot - text);
    if (il <= k) { /* below 10^k: 0, or 10^k when above its half (a half: 0, the even one) */
        bool up = il == k && (text[0] > '5' || (text[0] == '5' && strspn(text + 1, "0.") != (size_t)(n - 1)));
        snprintf(text, sizeof text, "%de%d", up ? 1 : 0, k);
    } else {
        char head[400];
        snprintf(head, sizeof head, "%.*s", il - k, text);
        const char *tail = text + il - k;
        bool half = tail[0] == '5', more = strspn(tail + 1, "0.") != strlen(tail + 1);
        bool up = tail[0] > '5' || (half && (more || (head[il - k - 1] - '0') % 2));
        for (int j = il - k - 1; up && j >= 0; j--) { /* (a carry: 95 -> 100) */
            if (head[j] == '9') head[j] = '0';
            else head[j]++, up = false;
        }
        snprintf(text, sizeof text, "%s%se%d", up ? "1" : "", head, k);
    }
    return fe_set_expr(p, out, kiln_scalar(p->ctx, copysign(strtod(text, NULL), v)), off);
}

/* Python's round(number, ndigits=None): of one number without ndigits a Python int (halves to
 * even, computed now), as Python's; else np.round's (an array's elements; a number to ndigits
 * places, of its own type: a Python float stays one) */
static bool h_py_round(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kval *x = arg(a, "number");
    if (given_not_none(a, "decimals")) return round_of(p, f, a, "number", "decimals", off, out); /* (NumPy's name: np.round's) */
    if (given_not_none(a, "ndigits") || x->kind != KV_ARRAY || x->e->ndim) {
        if (fe_is_py(x)) return py_round_digits(p, x, arg(a, "ndigits"), off, out);
        return round_of(p, f, a, "number", "ndigits", off, out);
    }
    if (dtype_is_int((kiln_dtype)x->e->dtype) || x->e->dtype == KILN_BOOL) { /* an integer is itself (True: 1) */
        kval v = *x;
        memset(x, 0, sizeof *x);
        if (!fe_to_py(p, &v, KILN_I64, off)) return kval_free(p->ctx, &v), false;
        *out = v;
        return true;
    }
    return h_math_int(p, f, a, off, out);
}

/* logical_and/or/xor/not: the truth values (nonzero, NaN included) combined, as bool */
static bool h_logical(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kiln_expr *t[4] = {NULL, NULL, NULL, NULL};
    int n = a->n;
    for (int i = 0; i < n; i++) {
        kiln_expr *x = expr_of(p, f, a, a->names[i]);
        if (!x) return result(p, out, NULL, off, 4, t);
        t[i] = kiln_cast(p->ctx, x, KILN_BOOL);
        kiln_expr_free(x);
        if (!t[i]) return result(p, out, NULL, off, 4, t);
    }
    kiln_expr *r = n == 1 ? kiln_invert(p->ctx, t[0]) : kiln_apply(p->ctx, (kiln_op)f->op, t);
    return result(p, out, r, off, 4, t);
}


/* fabs: the absolute value as a float (NumPy's fabs has float loops only); trunc and fix:
 * toward zero */
enum { F_FABS, F_TRUNC };
static bool h_floatfn(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kiln_expr *t[5] = {expr_of(p, f, a, "x")};
    if (!t[0]) return false;
    kiln_dtype dt = (kiln_dtype)t[0]->dtype;
    if (!dtype_is_float(dt)) {
        if (f->op == F_TRUNC) return result(p, out, kiln_expr_retain(t[0]), off, 1, t); /* np.trunc and np.fix keep ints and bools */
        t[1] = kiln_cast(p->ctx, t[0], dtype_float_of(dt));
    } else {
        t[1] = kiln_expr_retain(t[0]);
    }
    if (!t[1]) return result(p, out, NULL, off, 1, t);
    if (f->op == F_FABS) return result(p, out, kiln_abs(p->ctx, t[1]), off, 2, t);
    kiln_expr *zero = kiln_int(p->ctx, 0);
    t[2] = kiln_lt(p->ctx, t[1], zero);
    t[3] = kiln_ceil(p->ctx, t[1]);
    t[4] = kiln_floor(p->ctx, t[1]);
    kiln_expr_free(zero);
    return result(p, out, kiln_where(p->ctx, t[2], t[3], t[4]), off, 5, t);
}

/* ------------------------------------------------------------------ reductions */

enum { R_MEAN = KILN_OP_COUNT, R_VAR, R_STD };

/* NumPy's sum of x in dt over axes (wrapping as dt does), divided by n in float64 and cast back
 * to dt (truncated): the division of an integer mean or variance. */
static kiln_expr *moment_quotient(kiln_ctx *ctx, kiln_expr *x, unsigned axes, bool keep, double n, kiln_dtype dt) {
    kiln_expr *s = kiln_reduce_axes(ctx, KILN_OP_SUM, x, axes, keep), *sd = kiln_cast(ctx, s, dt), *sf = kiln_cast(ctx, sd, KILN_F64);
    kiln_expr *c = kiln_const(ctx, KILN_F64, (double)(n > 0 ? n : 0)), *q = kiln_div(ctx, sf, c), *r = kiln_cast(ctx, q, dt);
    kiln_expr *t[] = {s, sd, sf, c, q};
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) kiln_expr_free(t[i]);
    return r;
}

/* mean, var or std of x (x0 cast to dt) with a dtype= other than x0's, or var and std about a
 * mean= given, as NumPy computes them: the sum in dt, divided in float64 and cast back (an
 * integer's truncated); var's mean is that, kept as an axis, or mean (broadcast to x0's shape),
 * before the deviations of x0 are taken (in x0's and the mean's promoted dtype: float64 for
 * float64 data and dtype=float32), squared, cast to dt (no dtype= given, dt KILN_DTYPE_COUNT:
 * float64 for integers and bool, else the deviations' dtype) and divided the same way by
 * max(n - ddof, 0); std is var's square root in dt, which for an integer dt NumPy allows only
 * for a scalar. */
static kiln_expr *dtype_moment(parser *p, const fe_fn *f, size_t off, kiln_expr *x0, kiln_expr *x, unsigned mask, double ddof, bool keep,
                             kiln_dtype dt, kiln_expr *mean) {
    kiln_ctx *ctx = p->ctx;
    int64_t n = 1;
    for (int d = 0; d < x->ndim; d++)
        if ((mask >> d) & 1) n *= x->shape[d];
    if (f->op == R_MEAN) return moment_quotient(ctx, x, mask, keep, (double)n, dt);
    kiln_expr *mu = mean ? kiln_expr_retain(mean) : moment_quotient(ctx, x, mask, true, (double)n, dt), *d = kiln_sub(ctx, x0, mu);
    if (d && dt == KILN_DTYPE_COUNT) dt = dtype_is_float((kiln_dtype)x0->dtype) ? (kiln_dtype)d->dtype : KILN_F64;
    kiln_expr *sq = kiln_mul(ctx, d, d);
    kiln_expr *sqd = kiln_cast(ctx, sq, dt), *var = moment_quotient(ctx, sqd, mask, keep, (double)n - ddof, dt), *r = NULL;
    if (var && f->op == R_STD && dtype_is_float(dt)) r = kiln_sqrt(ctx, var);
    else if (var && f->op == R_STD && var->ndim > 0)
        fe_err(p, off, KILN_ERR_DTYPE, "Cannot cast ufunc 'sqrt' output from dtype('float64') to dtype('%s') with casting rule 'same_kind'",
               kiln_dtype_name(dt));
    else if (var && f->op == R_STD) {
        kiln_expr *vf = kiln_cast(ctx, var, KILN_F64), *sr = kiln_sqrt(ctx, vf);
        r = kiln_cast(ctx, sr, dt);
        kiln_expr_free(vf);
        kiln_expr_free(sr);
    } else r = kiln_expr_retain(var);
    kiln_expr *t[] = {mu, d, sq, sqd, var};
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) kiln_expr_free(t[i]);
    return r;
}

static kiln_expr *over_count(kiln_ctx *c, tmps *t, kiln_expr *x, kiln_expr *n);

/* ddof as a Python number: an int where it is whole (the count stays an integer), else a float. */
static kiln_expr *dof_const(kiln_ctx *c, double ddof) {
    return ddof == (double)(int64_t)ddof ? kiln_int(c, (int64_t)ddof) : kiln_scalar(c, ddof);
}

/* A reduction with where=m (broadcast to x's shape) as NumPy's: any and all of the picked
 * elements (False and True where none is); mean, var and std of them, in float64 for integers:
 * the picked sum over the picked count, var's squared deviations from that mean summed where
 * picked over max(count - ddof, 0) (0/0 a NaN, as NumPy's with its warning). A new reference. */
static kiln_expr *masked_reduce(parser *p, const fe_fn *f, kiln_expr *x, kiln_expr *m, unsigned mask, double ddof, kiln_expr *mean,
                                bool keepdims, size_t at) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    int op = f->op;
    kiln_expr *pick = keep(&t, kiln_cast(c, m, KILN_BOOL)), *r = NULL;
    if (pick) pick = fe_broadcast_to(p, &t, pick, x->ndim, x->shape, f->name, at);
    if (pick && (op == KILN_OP_ANY || op == KILN_OP_ALL)) {
        kiln_expr *b = keep(&t, kiln_cast(c, x, KILN_BOOL)), *v = keep(&t, kiln_where(c, pick, b, keep(&t, kiln_bool(c, op == KILN_OP_ALL))));
        r = kiln_reduce_axes(c, (kiln_op)op, v, mask, keepdims);
    } else if (pick) {
        if (!dtype_is_float((kiln_dtype)x->dtype)) x = keep(&t, kiln_cast(c, x, KILN_F64));
        kiln_expr *zero = keep(&t, kiln_int(c, 0)), *given_mean = mean;
        bool mean = op == R_MEAN;
        kiln_expr *cnt = keep(&t, kiln_reduce_axes(c, KILN_OP_SUM, pick, mask, mean ? keepdims : 1));
        kiln_expr *avg = given_mean ? given_mean
                                    : over_count(c, &t, keep(&t, kiln_reduce_axes(c, KILN_OP_SUM, keep(&t, kiln_where(c, pick, x, zero)), mask, mean ? keepdims : 1)), cnt);
        if (mean) {
            r = kiln_expr_retain(avg);
        } else {
            kiln_expr *dev = keep(&t, kiln_where(c, pick, keep(&t, kiln_sub(c, x, avg)), zero));
            kiln_expr *ss = keep(&t, kiln_reduce_axes(c, KILN_OP_SUM, keep(&t, kiln_mul(c, dev, dev)), mask, keepdims));
            if (!keepdims) cnt = keep(&t, kiln_reduce_axes(c, KILN_OP_SUM, cnt, mask, 0)); /* (axes of length 1 now) */
            kiln_expr *dof = keep(&t, kiln_maximum(c, keep(&t, kiln_sub(c, cnt, keep(&t, dof_const(c, ddof)))), zero));
            kiln_expr *var = over_count(c, &t, ss, dof);
            r = var ? (op == R_STD ? kiln_sqrt(c, var) : kiln_expr_retain(var)) : NULL;
        }
    }
    tmps_free(&t);
    if (!r && kiln_errcode(c) == KILN_OK) fe_got(p, NULL, at);
    return r;
}

/* var's, std's, nanvar's and nanstd's ddof=, or NumPy 2's correction= (its other name): any
 * number (True is 1, 0.5 a half), as NumPy's max(n - ddof, 0) takes; both given is NumPy's error,
 * unless ddof is 0. */
static bool ddof_of(parser *p, const fe_fn *f, fe_args *a, double *ddof) {
    int64_t i;
    *ddof = 0;
    if (given(a, "ddof") && !fe_arg_number(p, arg(a, "ddof"), f->name, "ddof", ddof, &i, NULL)) return false;
    if (!has(a, "correction") || !given_not_none(a, "correction")) return true;
    if (*ddof != 0) return fe_err(p, arg(a, "correction")->off, KILN_ERR_ARG, "ddof and correction can't be provided simultaneously.");
    return fe_arg_number(p, arg(a, "correction"), f->name, "correction", ddof, &i, NULL);
}

/* var's and std's mean= (NumPy 2: the mean, as keepdims=True gives it), broadcast to x's shape;
 * NULL, with no error, where none is given. A reference kept in t. */
static kiln_expr *mean_of(parser *p, const fe_fn *f, fe_args *a, tmps *t, kiln_expr *x, bool *ok) {
    if (!has(a, "mean") || !given_not_none(a, "mean")) return NULL;
    kiln_expr *m = keep(t, fe_arg_expr(p, arg(a, "mean"), f->name, "mean"));
    if (m) m = fe_broadcast_to(p, t, m, x->ndim, x->shape, f->name, arg(a, "mean")->off);
    *ok = m != NULL;
    return m;
}

static bool h_reduce(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out);

/* NumPy's ufunc reductions (and nansum, nanmax..., ptp, count_nonzero) take axis 0 or -1 of a
 * 0-d value, as if None: np.max(np.float64(3), 0) is 3.0.  The axis argument of a's made None
 * so (an empty tuple with none_as_empty: count_nonzero's value of an axis is NumPy's int64). */
static void legacy_axis_0d(parser *p, fe_args *a, const kiln_expr *x, bool none_as_empty) {
    kval *av = arg(a, "axis");
    double fa;
    int64_t ia;
    if (x->ndim == 0 && av->kind == KV_ARRAY && av->e->ndim == 0 && dtype_is_int((kiln_dtype)av->e->dtype) && kiln_expr_scalar(av->e, &fa, &ia) &&
        (ia == 0 || ia == -1)) {
        size_t at = av->off;
        kval_free(p->ctx, av);
        *av = (kval){.kind = none_as_empty ? KV_TUPLE : KV_NONE, .off = at};
    }
}

/* Python's sum(iterable, start=0) (the bare name): of a list or a tuple its items added in turn
 * (sum(rows) of arrays is element-wise, as Python's; np.sum's would be the total), of an array
 * (or a generator) as h_reduce's sum */
static bool h_py_sum(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kval *g = arg(a, "a"), *start = arg(a, "start");
    bool seq = g->kind == KV_TUPLE || g->kind == KV_LIST; /* (a generator's items too: a list) */
    if (!seq && given(a, "start")) return fe_err(p, start->off, KILN_ERR_ARG, "sum() of an array is NumPy's, which takes no 'start' (Python's sum of a list does)");
    if (!seq) return h_reduce(p, f, a, off, out);
    static const char *const numpy_only[] = {"axis", "dtype", "out", "keepdims", "initial", "where", NULL};
    for (int k = 0; numpy_only[k]; k++)
        if (given(a, numpy_only[k]) && (k || by_keyword(a, "axis"))) /* (a second argument is Python's start) */
            return fe_err(p, arg(a, numpy_only[k])->off, KILN_ERR_ARG, "'%s' is an invalid keyword argument for sum() of a list (Python's sum; np.sum(...) is NumPy's)",
                          numpy_only[k]);
    if (given(a, "start")) { /* sum(xs, start=v): Python's start, where h_reduce's generator sum reads it */
        if (given(a, "axis")) return fe_err(p, start->off, KILN_ERR_ARG, "sum() got multiple values for argument 'start'");
        kval_free(p->ctx, arg(a, "axis"));
        *arg(a, "axis") = *start;
        memset(start, 0, sizeof *start);
        start->kind = KV_ABSENT;
    }
    g->kind = KV_LIST, g->gen = true; /* (h_reduce's Python sum of a generator: items added in turn from start) */
    return h_reduce(p, f, a, off, out);
}

static bool h_reduce(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kval *g = arg(a, "a");
    if (f->op == KILN_OP_SUM && g->kind == KV_LIST && g->gen) { /* Python's sum(items, start=0): element-wise */
        kval acc = {.kind = KV_ARRAY, .e = kiln_int(p->ctx, 0), .off = off};
        bool ok = fe_got(p, acc.e, off);
        if (ok && given(a, "axis")) { /* (the second argument is Python's start) */
            kval_free(p->ctx, &acc);
            ok = fe_kval_copy(p->ctx, &acc, arg(a, "axis")) || fe_got(p, NULL, off);
        }
        for (int i = 0; ok && i < g->n; i++) {
            kval item = {0}, next = {0};
            if (!fe_kval_copy(p->ctx, &item, &g->items[i])) {
                kval_free(p->ctx, &acc);
                return fe_got(p, NULL, off);
            }
            if ((ok = fe_binary(p, KILN_OP_ADD, &acc, &item, g->items[i].off, &next))) acc = next; /* (acc and item taken) */
        }
        if (ok) *out = acc;
        return ok;
    }
    kiln_expr *x0 = expr_of(p, f, a, "a"), *x = NULL;
    bool keep = false, all = false;
    unsigned mask = 0;
    int axis = KILN_ALL_AXES;
    kiln_op op = (kiln_op)f->op;
    if (!x0) return false;
    bool scan = op == KILN_OP_CUMSUM || op == KILN_OP_CUMPROD || op == KILN_OP_CUMMAX || op == KILN_OP_CUMMIN;
    bool one = op == KILN_OP_ARGMAX || op == KILN_OP_ARGMIN || scan;
    if (op == KILN_OP_SUM || op == KILN_OP_PROD || op == KILN_OP_MAX || op == KILN_OP_MIN || op == KILN_OP_ANY || op == KILN_OP_ALL ||
        op == KILN_OP_ARGMAX || op == KILN_OP_ARGMIN) /* (not scans: np.add.accumulate(5.) is NumPy's error; nor mean, var, std) */
        legacy_axis_0d(p, a, x0, false);
    bool ok = (one ? one_axis(p, f, a, &axis) : fe_arg_axes(p, arg(a, "axis"), x0->ndim, f->name, &mask, &all));
    if (ok && !scan) ok = keepdims_of(p, f, a, &keep);
    double ddof = 0;
    tmps mt = {0};
    kiln_expr *mean = NULL;
    if (ok && (f->op == R_VAR || f->op == R_STD)) ok = ddof_of(p, f, a, &ddof);
    if (ok && (f->op == R_VAR || f->op == R_STD)) mean = mean_of(p, f, a, &mt, x0, &ok);
    if (ok) x = has(a, "dtype") ? with_dtype(p, f, a, x0) : kiln_expr_retain(x0);
    kiln_expr *r = NULL, *init = NULL;
    /* initial= and where= of sum, prod, max and min: the elements where is false read as the op's
     * identity (max and min: initial, which they need then, as NumPy's), initial joins the
     * result (an empty max is initial), cast to its dtype */
    bool extreme = op == KILN_OP_MAX || op == KILN_OP_MIN, joins = extreme || op == KILN_OP_SUM || op == KILN_OP_PROD;
    bool have_init = x && joins && has(a, "initial") && given_not_none(a, "initial");
    kval *wv = x && joins && has(a, "where") && given(a, "where") ? arg(a, "where") : NULL;
    if (wv && fe_is_py(wv) && wv->e->dtype == KILN_BOOL && wv->e->val.b) wv = NULL; /* (where=True: everything) */
    if (wv && extreme && !have_init) {
        kiln_expr_free(x), x = NULL;
        fe_err(p, wv->off, KILN_ERR_ARG, "reduction operation '%s' does not have an identity, so to use a where mask one has to specify 'initial'",
               op == KILN_OP_MAX ? "maximum" : "minimum");
    }
    if (have_init && x) { /* in the accumulator's dtype: max's and min's is x's, a sum's or a product's int64 for
                           * integers and bool (NumPy's sum(bools, initial=5) adds 5, not True) unless dtype= says */
        kiln_dtype idt = extreme || given_not_none(a, "dtype") || dtype_is_float((kiln_dtype)x->dtype) ? (kiln_dtype)x->dtype : KILN_I64;
        kval *iv0 = arg(a, "initial");
        bool unsigned_in = !extreme && !given_not_none(a, "dtype") && (x->dtype == KILN_U8 || x->dtype == KILN_U16 || x->dtype == KILN_U32);
        if (unsigned_in && iv0->kind == KV_ARRAY && fe_is_py(iv0) && iv0->e->dtype == KILN_I64 && iv0->e->val.i64 < 0) { /* (NumPy's accumulator: uint64) */
            fe_err(p, iv0->off, KILN_ERR_DTYPE, "Python integer %lld out of bounds for uint64", (long long)iv0->e->val.i64);
            idt = KILN_DTYPE_COUNT;
        }
        kiln_expr *iv = idt != KILN_DTYPE_COUNT && py_ints_fit(p, iv0, idt) ? fe_arg_expr(p, iv0, f->name, "initial") : NULL;
        init = iv ? kiln_cast(p->ctx, iv, idt) : NULL;
        kiln_expr_free(iv);
        if (!init) kiln_expr_free(x), x = NULL;
    }
    if (wv && x) {
        kiln_expr *m = fe_arg_expr(p, wv, f->name, "where"), *mb = m ? kiln_cast(p->ctx, m, KILN_BOOL) : NULL;
        kiln_expr *fill = extreme ? kiln_expr_retain(init) : kiln_int(p->ctx, op == KILN_OP_PROD);
        kiln_expr *w = mb && fill ? kiln_where(p->ctx, mb, x, fill) : NULL;
        kiln_expr *tmp[] = {m, mb, fill, x};
        for (int i = 0; i < 4; i++) kiln_expr_free(tmp[i]);
        x = w;
    }
    if (have_init && extreme && x) { /* an empty reduction: initial, as a length-1 axis there */
        int64_t shape[KILN_MAX_DIMS];
        bool empty = false;
        for (int d = 0; d < x->ndim; d++) {
            bool reduced = all || (mask >> d & 1);
            empty |= reduced && x->shape[d] == 0;
            shape[d] = reduced && x->shape[d] == 0 ? 1 : x->shape[d];
        }
        if (empty) {
            kiln_expr *full = ir_broadcast_to(&p->ctx->graph, init, x->ndim, shape);
            kiln_expr_free(x);
            x = full;
        }
    }
    bool moment = f->op == R_MEAN || f->op == R_VAR || f->op == R_STD;
    kval *pick = x && !joins && has(a, "where") && given(a, "where") ? arg(a, "where") : NULL;
    if (pick && fe_is_py(pick) && pick->e->dtype == KILN_BOOL && pick->e->val.b) pick = NULL; /* (where=True: everything) */
    if (pick && moment && given_not_none(a, "dtype") && !dtype_is_float((kiln_dtype)x->dtype)) {
        fe_err(p, pick->off, KILN_ERR_ARG, "%s(): where= with an integer dtype= is not supported (a float dtype is)", f->name);
        kiln_expr_free(x), x = NULL;
    } else if (pick && (moment || op == KILN_OP_ANY || op == KILN_OP_ALL)) {
        kiln_expr *m = fe_arg_expr(p, pick, f->name, "where");
        r = m ? masked_reduce(p, f, x, m, mask, ddof, mean, keep, pick->off) : NULL;
        kiln_expr_free(m);
        if (!r) kiln_expr_free(x), x = NULL;
    } else if (x && moment && (mean || (given_not_none(a, "dtype") && (!dtype_is_float((kiln_dtype)x->dtype) || x->dtype != x0->dtype)))) {
        kiln_dtype dt = given_not_none(a, "dtype") ? (kiln_dtype)x->dtype : KILN_DTYPE_COUNT;
        if (!(r = dtype_moment(p, f, off, x0, x, mask, ddof, keep, dt, mean))) {
            kiln_expr_free(x);
            x = NULL;
        }
    } else if (x) {
        switch (f->op) {
        case R_MEAN: r = kiln_mean_axes(p->ctx, x, mask, keep); break;
        case R_VAR: r = rt_variance(p->ctx, x, mask, ddof, keep); break;
        case R_STD: r = rt_std(p->ctx, x, mask, ddof, keep); break;
        case KILN_OP_CUMSUM: r = kiln_cumsum(p->ctx, x, axis); break;
        case KILN_OP_CUMPROD: r = kiln_cumprod(p->ctx, x, axis); break;
        case KILN_OP_CUMMAX: r = kiln_cummax(p->ctx, x, axis); break;
        case KILN_OP_CUMMIN: r = kiln_cummin(p->ctx, x, axis); break;
        case KILN_OP_ARGMAX:
        case KILN_OP_ARGMIN: r = kiln_reduce(p->ctx, op, x, axis, keep); break;
        default: r = kiln_reduce_axes(p->ctx, op, x, mask, keep); break;
        }
    }
    if (r && init) { /* initial joins the result, in its dtype */
        kiln_expr *ic = kiln_cast(p->ctx, init, (kiln_dtype)r->dtype);
        kiln_expr *j = !ic ? NULL : op == KILN_OP_SUM ? kiln_add(p->ctx, ic, r) : op == KILN_OP_PROD ? kiln_mul(p->ctx, ic, r)
                                  : op == KILN_OP_MAX ? kiln_maximum(p->ctx, ic, r) : kiln_minimum(p->ctx, ic, r);
        kiln_expr_free(ic);
        kiln_expr_free(r);
        r = j;
    }
    kiln_expr_free(init);
    tmps_free(&mt);
    if (!x) return result(p, out, NULL, off, 1, &x0);
    kiln_dtype want;
    if (r && has(a, "dtype") && given_not_none(a, "dtype") && fe_arg_dtype(p, arg(a, "dtype"), f->name, &want) && r->dtype != want &&
        f->op != R_MEAN && f->op != R_VAR && f->op != R_STD) { /* sum(int32, dtype=int32) is int32 (wrapped as NumPy's) */
        kiln_expr *c = kiln_cast(p->ctx, r, want);
        kiln_expr_free(r);
        r = c;
    }
    return result(p, out, r, off, 2, (kiln_expr *[]){x0, x});
}

/* ------------------------------------------------------------------ shapes */

/* e's byte strides when it is a chain of views and reshapes over a name's array (a VAR, or a
 * placeholder bound to it) that reads that memory in place, each reshape one its layout allows;
 * false otherwise. */
static bool view_strides(const kiln_expr *e, int64_t *strides) {
    if (e->op == KILN_OP_VAR || (e->op == KILN_OP_PARAM && e->leaf)) {
        memcpy(strides, e->op == KILN_OP_VAR ? e->strides : kiln_array_strides(e->leaf), (size_t)e->ndim * sizeof *strides);
        return true;
    }
    int64_t s[KILN_MAX_DIMS];
    if ((e->op != KILN_OP_VIEW && e->op != KILN_OP_RESHAPE) || !view_strides(ir_arg(e, 0), s)) return false;
    const kiln_expr *x = ir_arg(e, 0);
    if (e->op == KILN_OP_RESHAPE) return ir_reshape_strides(x->ndim, x->shape, s, e->ndim, e->shape, strides);
    ir_viewmap m;
    int64_t off;
    ir_view_of(e, &m);
    ir_view_memory(&m, x->shape, s, &off, strides);
    return true;
}

/* Whether e reads a name's array in place as one block in C order (or Fortran order): NumPy's
 * C_CONTIGUOUS (F_CONTIGUOUS) flag, length-1 axes ignored. */
static bool contiguous(const kiln_expr *e, bool fortran) {
    int64_t st[KILN_MAX_DIMS], want = (int64_t)kiln_dtype_size((kiln_dtype)e->dtype);
    if (!view_strides(e, st)) return false;
    for (int k = 0; k < e->ndim; k++) {
        int d = fortran ? k : e->ndim - 1 - k;
        if (e->shape[d] == 0) return true;
        if (e->shape[d] == 1) continue;
        if (st[d] != want) return false;
        want *= e->shape[d];
    }
    return true;
}

/* A view function's result (reshape, ravel, transpose, expand_dims, squeeze): a view of a name's
 * array is one too (flatten copies, and so does a reshape or ravel its layout does not allow:
 * x.T.ravel(), whose reshape back, x.T.ravel().reshape(2, 3), is no view of x either). */
static bool as_view(const fe_fn *f, fe_args *a, kval *out, bool ok) {
    if (!ok) return ok;
    const kval *x = arg(a, "a");
    out->alias = x->alias && strcmp(f->name, "flatten") != 0;
    if (out->alias && !strcmp(f->name, "reshape")) {
        int64_t st[KILN_MAX_DIMS], ns[KILN_MAX_DIMS];
        out->alias = view_strides(x->e, st) && ir_reshape_strides(x->e->ndim, x->e->shape, st, out->e->ndim, out->e->shape, ns);
    }
    if (out->alias && !strcmp(f->name, "ravel")) out->alias = contiguous(x->e, false); /* (NumPy's ravel copies what is not one block) */
    if (strcmp(f->name, "flatten")) fe_view_readonly(out, x);
    return ok;
}

/* order= of reshape, ravel and flatten for x: *fortran for 'F', and for 'A' and 'K' when x is a
 * view reading its memory in Fortran order and not in C order (x.T of a name's array) */
static bool order_of(parser *p, const fe_fn *f, fe_args *a, const kiln_expr *x, bool *fortran) {
    *fortran = false;
    kval *o = arg(a, "order");
    if (o->kind == KV_ABSENT || o->kind == KV_NONE) return true;
    if (o->kind != KV_STR || strlen(o->s) != 1 || !strchr("CFAK", o->s[0]))
        return fe_err(p, o->off, KILN_ERR_ARG, "%s(): order must be one of 'C', 'F', 'A', or 'K'", f->name);
    if (o->s[0] == 'K' && !strcmp(f->name, "reshape")) return fe_err(p, o->off, KILN_ERR_ARG, "order 'K' is not permitted for reshaping");
    *fortran = o->s[0] == 'F' || (o->s[0] != 'C' && arg(a, "a")->alias && !contiguous(x, false) && contiguous(x, true));
    return true;
}

/* x with its axes reversed (Fortran order read as C order) */
static kiln_expr *reversed_axes(kiln_ctx *c, kiln_expr *x) {
    int perm[KILN_MAX_DIMS];
    for (int d = 0; d < x->ndim; d++) perm[d] = x->ndim - 1 - d;
    return kiln_permute(c, x, perm);
}

/* reshape, ravel and flatten in Fortran order: x's axes reversed, reshaped to shape reversed,
 * the axes reversed back; a view of a name's array when its memory reads that way in place */
static bool fortran_reshape(parser *p, const fe_fn *f, fe_args *a, kiln_expr *x, int nd, const int64_t *shape, size_t off, kval *out) {
    tmps t = {0};
    int64_t rs[KILN_MAX_DIMS];
    for (int d = 0; d < nd; d++) rs[d] = shape[nd - 1 - d];
    kiln_expr *r = keep(&t, reversed_axes(p->ctx, x));
    r = r ? keep(&t, kiln_reshape(p->ctx, r, nd, rs)) : NULL;
    r = r ? reversed_axes(p->ctx, r) : NULL;
    tmps_free(&t);
    kiln_expr_free(x);
    const kval *xa = arg(a, "a");
    bool alias = xa->alias && strcmp(f->name, "flatten") != 0 && (strcmp(f->name, "ravel") || contiguous(xa->e, true)); /* (ravel: one block) */
    if (!fe_set_expr(p, out, r, off)) return false;
    int64_t st[KILN_MAX_DIMS];
    out->alias = alias && view_strides(out->e, st);
    if (strcmp(f->name, "flatten")) fe_view_readonly(out, xa);
    return true;
}

static bool h_reshape(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kiln_expr *x = expr_of(p, f, a, "a");
    int nd;
    int64_t shape[KILN_MAX_DIMS];
    bool fortran;
    if (!x || !fe_arg_shape(p, arg(a, "shape"), f->name, "shape", &nd, shape) || !order_of(p, f, a, x, &fortran))
        return as_view(f, a, out, result(p, out, NULL, off, 1, &x));
    if (fortran) {
        int64_t n = 1, known = 1; /* (-1 resolved here: the reversal must see the whole shape) */
        int hole = -1;
        for (int d = 0; d < x->ndim; d++) n *= x->shape[d];
        for (int d = 0; d < nd; d++)
            if (shape[d] == -1 && hole < 0) hole = d;
            else known *= shape[d];
        if (hole >= 0 && known > 0 && n % known == 0) shape[hole] = n / known;
        else if (hole < 0 && known != n) { /* (the message's shape as written, not reversed) */
            char text[256];
            int o = snprintf(text, sizeof text, "(");
            for (int d = 0; d < nd && o < (int)sizeof text; d++) o += snprintf(text + o, sizeof text - (size_t)o, "%s%lld", d ? ", " : "", (long long)shape[d]);
            kiln_expr_free(x);
            return fe_err(p, off, KILN_ERR_SHAPE, "cannot reshape array of size %lld into shape %s)", (long long)n, text);
        }
        return fortran_reshape(p, f, a, x, nd, shape, off, out);
    }
    return as_view(f, a, out, result(p, out, kiln_reshape(p->ctx, x, nd, shape), off, 1, &x));
}

static bool h_ravel(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kiln_expr *x = expr_of(p, f, a, "a");
    bool fortran;
    if (x && !order_of(p, f, a, x, &fortran)) return result(p, out, NULL, off, 1, &x);
    kval *o = arg(a, "order");
    int64_t st[KILN_MAX_DIMS];
    if (x && o->kind == KV_STR && o->s[0] == 'K' && !fortran && arg(a, "a")->alias && view_strides(x, st)) {
        /* 'K': the axes by their strides, largest first (the memory's order), then in C order */
        int perm[KILN_MAX_DIMS];
        for (int d = 0; d < x->ndim; d++) perm[d] = d;
        for (int i = 1; i < x->ndim; i++) /* (stable: equal strides keep their order) */
            for (int j = i; j > 0 && llabs(st[perm[j]]) > llabs(st[perm[j - 1]]); j--) {
                int t = perm[j];
                perm[j] = perm[j - 1], perm[j - 1] = t;
            }
        kiln_expr *y = kiln_permute(p->ctx, x, perm);
        kiln_expr_free(x);
        x = y;
    }
    if (x && fortran) {
        int64_t n = ir_size(x);
        return fortran_reshape(p, f, a, x, 1, &n, off, out);
    }
    return as_view(f, a, out, result(p, out, x ? kiln_ravel(p->ctx, x) : NULL, off, 1, &x));
}

static bool h_transpose(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kiln_expr *x = expr_of(p, f, a, "a");
    if (!x) return false;
    kval *ax = arg(a, "axes");
    if (ax->kind == KV_ABSENT || ax->kind == KV_NONE || (ax->kind == KV_TUPLE && ax->n == 0) ||
        (ax->kind == KV_TUPLE && ax->n == 1 && ax->items[0].kind == KV_NONE))
        return as_view(f, a, out, result(p, out, kiln_transpose(p->ctx, x), off, 1, &x));
    int nd;
    int64_t v[KILN_MAX_DIMS];
    int perm[KILN_MAX_DIMS];
    if (!fe_arg_shape(p, ax, f->name, "axes", &nd, v)) return as_view(f, a, out, result(p, out, NULL, off, 1, &x));
    if (nd != x->ndim) {
        kiln_expr_free(x);
        return fe_err(p, ax->off, KILN_ERR_ARG, "%s(): axes don't match array", f->name);
    }
    for (int d = 0; d < nd; d++) perm[d] = (int)(v[d] < 0 ? v[d] + nd : v[d]);
    return as_view(f, a, out, result(p, out, kiln_permute(p->ctx, x, perm), off, 1, &x));
}

/* expand_dims / squeeze with an int or a tuple of axes */
static bool h_dims(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kiln_expr *x = expr_of(p, f, a, "a");
    if (!x) return false;
    bool expand = f->op;
    kval *ax = arg(a, "axis");
    if (expand && ax->kind == KV_LIST) ax->kind = KV_TUPLE; /* (NumPy's normalize_axis_tuple takes a list) */
    if (!expand && (ax->kind == KV_ABSENT || ax->kind == KV_NONE))
        return as_view(f, a, out, result(p, out, kiln_squeeze(p->ctx, x, KILN_ALL_AXES), off, 1, &x));
    int n = ax->kind == KV_TUPLE ? ax->n : 1, rank = expand ? x->ndim + n : x->ndim;
    unsigned mask;
    bool all;
    if (rank > KILN_MAX_DIMS || !fe_arg_axes(p, ax, rank, f->name, &mask, &all)) {
        if (rank > KILN_MAX_DIMS) fe_err(p, ax->off, KILN_ERR_SHAPE, "%s(): more than %d dimensions", f->name, KILN_MAX_DIMS);
        return as_view(f, a, out, result(p, out, NULL, off, 1, &x));
    }
    kiln_expr *r = kiln_expr_retain(x);
    if (expand) {
        for (int d = 0; d < rank && r; d++)
            if ((mask >> d) & 1) {
                kiln_expr *t = kiln_expand_dims(p->ctx, r, d);
                kiln_expr_free(r);
                r = t;
            }
    } else {
        for (int d = rank - 1; d >= 0 && r; d--)
            if ((mask >> d) & 1) {
                kiln_expr *t = kiln_squeeze(p->ctx, r, d);
                kiln_expr_free(r);
                r = t;
            }
    }
    return as_view(f, a, out, result(p, out, r, off, 1, &x));
}

/* The arrays of a tuple or list argument (references), n of them, in an array of the context's
 * (kiln_free it); NULL after an error. */
static kiln_expr **seq_of(parser *p, const fe_fn *f, kval *v, int *n) {
    bool rows = v->kind == KV_ARRAY && !fe_is_py(v) && v->e->ndim > 0; /* an array: its rows, as NumPy iterates it */
    if (!rows && v->kind != KV_TUPLE && v->kind != KV_LIST)
        return fe_err(p, v->off, KILN_ERR_ARG, "%s(): expected a tuple or list of arrays", f->name), NULL;
    int64_t count = rows ? v->e->shape[0] : v->n;
    if (count == 0) return fe_err(p, v->off, KILN_ERR_ARG, "%s(): need at least one array", f->name), NULL;
    if (count > FE_MAX_JOIN) return fe_err(p, v->off, KILN_ERR_ARG, "%s(): at most %d arrays", f->name, FE_MAX_JOIN), NULL;
    kiln_expr **xs = kiln_calloc(p->ctx, (size_t)count * sizeof *xs);
    if (!fe_got(p, xs, v->off)) return NULL;
    for (*n = 0; *n < count; (*n)++) {
        kiln_ix ix = {.kind = KILN_IX_INDEX, .index = *n};
        if (!(xs[*n] = rows ? kiln_index(p->ctx, v->e, 1, &ix) : fe_arg_expr(p, &v->items[*n], f->name, "arrays"))) {
            if (rows) fe_got(p, NULL, v->off);
            for (int i = 0; i < *n; i++) kiln_expr_free(xs[i]);
            kiln_free(p->ctx, xs);
            return NULL;
        }
    }
    return xs;
}

/* result() of the n arrays xs from seq_of, which it frees. */
static bool joined(parser *p, kval *out, kiln_expr *r, size_t off, int n, kiln_expr **xs) {
    bool ok = result(p, out, r, off, n, xs);
    kiln_free(p->ctx, xs);
    return ok;
}

enum { J_CONCAT, J_STACK, J_VSTACK, J_HSTACK };
static bool cast_allowed(kiln_dtype from, kiln_dtype to, const char *casting);
static bool casting_valid(const char *s);
static bool h_join(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    int n = 0;
    kiln_expr **xs = seq_of(p, f, arg(a, f->op == J_VSTACK || f->op == J_HSTACK ? "tup" : "arrays"), &n);
    if (!xs) return false;
    int64_t axis = 0;
    bool flat = false;
    if ((f->op == J_CONCAT || f->op == J_STACK) && given(a, "axis")) {
        if (arg(a, "axis")->kind == KV_NONE && f->op == J_CONCAT) flat = true;
        else if (!fe_arg_int(p, arg(a, "axis"), f->name, "axis", &axis)) return joined(p, out, NULL, off, n, xs);
    }
    for (int i = 0; i < n; i++) {
        kiln_expr *t = NULL;
        if (flat) t = kiln_ravel(p->ctx, xs[i]);
        else if (f->op == J_VSTACK && xs[i]->ndim < 2) t = kiln_reshape(p->ctx, xs[i], 2, (int64_t[]){1, -1});
        else if (f->op == J_HSTACK && xs[i]->ndim == 0) t = kiln_reshape(p->ctx, xs[i], 1, (int64_t[]){1});
        else continue;
        kiln_expr_free(xs[i]);
        if (!(xs[i] = t)) return joined(p, out, NULL, off, n, xs); /* frees the others (NULL-safe) */
    }
    if (f->op == J_HSTACK) axis = xs[0]->ndim == 1 ? 0 : 1;
    if (axis < -KILN_MAX_DIMS - 1 || axis > KILN_MAX_DIMS) {
        fe_err(p, off, KILN_ERR_ARG, "%s(): axis out of bounds", f->name);
        return joined(p, out, NULL, off, n, xs);
    }
    if (f->op == J_CONCAT && n && (xs[0]->ndim == 0 || axis < -xs[0]->ndim || axis >= xs[0]->ndim)) { /* (one array too) */
        if (xs[0]->ndim == 0) fe_err(p, off, KILN_ERR_ARG, "zero-dimensional arrays cannot be concatenated");
        else fe_err(p, off, KILN_ERR_ARG, "axis %lld is out of bounds for array of dimension %d", (long long)axis, xs[0]->ndim);
        return joined(p, out, NULL, off, n, xs);
    }
    /* dtype= and casting= (keyword-only, NumPy's): each array cast to dtype, or to the arrays'
     * common dtype, where the casting rule allows it */
    kiln_dtype to = n ? (kiln_dtype)xs[0]->dtype : KILN_F64;
    bool cast = given_not_none(a, "dtype");
    const kval *cv = given(a, "casting") ? arg(a, "casting") : NULL;
    if (cv && (cv->kind != KV_STR || !casting_valid(cv->s))) {
        fe_err(p, cv->off, KILN_ERR_ARG, "casting must be one of 'no', 'equiv', 'safe', 'same_kind', or 'unsafe'%s%s%s", cv->kind == KV_STR ? " (got '" : "",
               cv->kind == KV_STR ? cv->s : "", cv->kind == KV_STR ? "')" : "");
        return joined(p, out, NULL, off, n, xs);
    }
    if (cast && !fe_arg_dtype(p, arg(a, "dtype"), f->name, &to)) return joined(p, out, NULL, off, n, xs);
    for (int i = 1; !cast && i < n; i++) to = dtype_promote(to, (kiln_dtype)xs[i]->dtype);
    const char *rule = cv ? cv->s : "same_kind";
    for (int i = 0; (cast || cv) && i < n; i++) {
        if (!cast_allowed((kiln_dtype)xs[i]->dtype, to, rule)) {
            fe_err(p, cv ? cv->off : arg(a, "dtype")->off, KILN_ERR_DTYPE, "Cannot cast array data from dtype('%s') to dtype('%s') according to the rule '%s'",
                   kiln_dtype_name((kiln_dtype)xs[i]->dtype), kiln_dtype_name(to), rule);
            return joined(p, out, NULL, off, n, xs);
        }
        if (cast && xs[i]->dtype != to) {
            kiln_expr *c = kiln_cast(p->ctx, xs[i], to);
            kiln_expr_free(xs[i]);
            if (!(xs[i] = c)) return joined(p, out, NULL, off, n, xs);
        }
    }
    kiln_expr *r = f->op == J_STACK ? kiln_stack(p->ctx, n, xs, (int)axis) : kiln_concatenate(p->ctx, n, xs, (int)axis);
    return joined(p, out, r, off, n, xs);
}

static bool h_take(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    bool along = f->op;
    kiln_expr *t[2] = {expr_of(p, f, a, along ? "arr" : "a"), NULL};
    if (!t[0] || !(t[1] = along ? expr_of(p, f, a, "indices") : fe_index_expr(p, arg(a, "indices"), f->name, "indices"))) return result(p, out, NULL, off, 2, t);
    int axis = KILN_ALL_AXES;
    if (!one_axis(p, f, a, &axis)) return result(p, out, NULL, off, 2, t);
    if (along && axis == KILN_ALL_AXES && t[0]->ndim != 1) {
        fe_err(p, off, KILN_ERR_ARG, "take_along_axis(): with axis=None the array must be 1-D");
        return result(p, out, NULL, off, 2, t);
    }
    if (along && axis == KILN_ALL_AXES) axis = 0;
    kiln_expr *idx = t[1], *fixed = NULL;
    if (!along && given_not_none(a, "mode")) { /* 'wrap': the indices mod n; 'clip': into [0, n - 1] (no negative ones) */
        kval *m = arg(a, "mode");
        if (m->kind != KV_STR || (strcmp(m->s, "raise") && strcmp(m->s, "wrap") && strcmp(m->s, "clip"))) {
            fe_err(p, m->off, KILN_ERR_ARG, "take(): mode must be 'raise', 'wrap' or 'clip'");
            return result(p, out, NULL, off, 2, t);
        }
        int64_t n = 1;
        if (axis == KILN_ALL_AXES)
            for (int d = 0; d < t[0]->ndim; d++) n *= t[0]->shape[d];
        else if (axis >= -t[0]->ndim && axis < t[0]->ndim)
            n = t[0]->shape[axis < 0 ? axis + t[0]->ndim : axis];
        if (n > 0 && dtype_is_int((kiln_dtype)idx->dtype) && strcmp(m->s, "raise")) {
            kiln_expr *k = kiln_int(p->ctx, !strcmp(m->s, "wrap") ? n : n - 1), *z = kiln_int(p->ctx, 0), *lo = NULL;
            if (!strcmp(m->s, "wrap")) fixed = kiln_mod(p->ctx, idx, k);
            else fixed = (lo = kiln_maximum(p->ctx, idx, z)) ? kiln_minimum(p->ctx, lo, k) : NULL;
            kiln_expr_free(k);
            kiln_expr_free(z);
            kiln_expr_free(lo);
            if (!(idx = fixed)) return result(p, out, NULL, off, 2, t);
        }
    }
    kiln_expr *r = along ? kiln_take_along_axis(p->ctx, t[0], idx, axis) : kiln_take(p->ctx, t[0], idx, axis);
    kiln_expr_free(fixed);
    return result(p, out, r, off, 2, t);
}

static bool h_one_hot(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kiln_expr *x = expr_of(p, f, a, "labels");
    int64_t k;
    kiln_dtype dt = KILN_F64;
    if (!x || !fe_arg_int(p, arg(a, "k"), f->name, "k", &k) ||
        (given_not_none(a, "dtype") && !fe_arg_dtype(p, arg(a, "dtype"), f->name, &dt)))
        return result(p, out, NULL, off, 1, &x);
    size_t at = !dtype_is_int((kiln_dtype)x->dtype) ? arg(a, "labels")->off : k < 0 || k > (1 << 24) ? arg(a, "k")->off : off;
    kiln_expr *r = kiln_one_hot(p->ctx, x, k, dt);
    kiln_expr_free(x);
    if (!r) return fe_got(p, NULL, at);
    return fe_set_expr(p, out, r, off);
}

/* ------------------------------------------------------------------ products */

enum { M_MATMUL, M_DOT, M_OUTER, M_LA_OUTER };
static kiln_expr *dot_nd(parser *p, kiln_expr *a, kiln_expr *b, size_t off);
/* x as NumPy's asarray makes a Python number: an array of its default dtype (a new reference;
 * np.dot(u8, 3) is int64, not uint8 as u8 * 3 is). */
static kiln_expr *strong_ref(parser *p, kiln_expr *x) {
    return x->weak ? kiln_cast(p->ctx, x, (kiln_dtype)x->dtype) : kiln_expr_retain(x);
}

/* np.dot and np.inner with a scalar: the products.  Where NumPy takes BLAS's axpy (a float
 * result, the array side of at most 2 dimensions and more than one element) each is summed from
 * +0.0 (-0.0 * 2.5 is +0.0 there; np.multiply's, and dot(-0.0, 2.5)'s, is -0.0). */
static kiln_expr *scalar_dot(parser *p, kiln_expr *x, kiln_expr *y) {
    kiln_expr *m = kiln_mul(p->ctx, x, y), *arr = x->ndim ? x : y;
    int64_t n = 1;
    for (int d = 0; d < arr->ndim; d++) n *= arr->shape[d];
    if (!m || !dtype_is_float((kiln_dtype)m->dtype) || arr->ndim == 0 || arr->ndim > 2 || n <= 1) return m;
    kiln_expr *zero = kiln_scalar(p->ctx, 0.0), *r = zero ? kiln_add(p->ctx, m, zero) : NULL;
    kiln_expr_free(zero);
    kiln_expr_free(m);
    return r;
}

static bool h_product(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kiln_expr *t[4] = {expr_of(p, f, a, a->names[0]), NULL, NULL, NULL};
    if (!t[0] || !(t[1] = expr_of(p, f, a, a->names[1]))) return result(p, out, NULL, off, 2, t);
    for (int i = 0; i < 2; i++) {
        kiln_expr *s = strong_ref(p, t[i]);
        kiln_expr_free(t[i]);
        if (!(t[i] = s)) return result(p, out, NULL, off, 2, t);
    }
    if (f->op == M_DOT && (t[0]->ndim == 0 || t[1]->ndim == 0)) /* np.dot with a scalar multiplies */
        return result(p, out, scalar_dot(p, t[0], t[1]), off, 2, t);
    if (f->op == M_LA_OUTER && (t[0]->ndim != 1 || t[1]->ndim != 1)) {
        fe_err(p, off, KILN_ERR_SHAPE, "Input arrays must be one-dimensional, but they are x1.ndim=%d and x2.ndim=%d.", t[0]->ndim, t[1]->ndim);
        return result(p, out, NULL, off, 2, t);
    }
    if (f->op == M_OUTER || f->op == M_LA_OUTER) {
        kiln_expr *u = kiln_reshape(p->ctx, t[0], 2, (int64_t[]){-1, 1}), *v = kiln_reshape(p->ctx, t[1], 2, (int64_t[]){1, -1});
        t[2] = u;
        t[3] = v;
        return result(p, out, u && v ? kiln_mul(p->ctx, u, v) : NULL, off, 4, t);
    }
    if (t[0]->ndim == 0 || t[1]->ndim == 0) {
        fe_err(p, off, KILN_ERR_ARG, "%s(): input operand does not have enough dimensions (use * for scalars)", f->name);
        return result(p, out, NULL, off, 2, t);
    }
    if (f->op == M_DOT && (t[0]->ndim > 2 || t[1]->ndim > 2)) return result(p, out, dot_nd(p, t[0], t[1], off), off, 2, t);
    kiln_expr *m = f->op == M_DOT ? ir_matmul_flags(&p->ctx->graph, t[0], t[1], IR_MATMUL_COPIES) : kiln_matmul(p->ctx, t[0], t[1]);
    return result(p, out, m, off, 2, t);
}

/* ------------------------------------------------------------------ constructors */

/* grad(expr, wrt, seed=None) and value_and_grad(expr, wrt, seed=None): expr is the graph the
 * arguments built, so its gradients with respect to the arrays named by wrt (a name, or a tuple
 * of names) are graphs too; a tuple of names gives a tuple of gradients, as JAX's argnums. */
/* grad()'s trap: names hold arrays, not graphs, so a name in expr that an earlier statement
 * computed from a wrt name is a constant here, and the gradient through it is zero.  That is
 * sometimes meant (a target held fixed), so it is a warning, not an error. */
/* The array a leaf of a gradient's graph holds (a variable's, a bound placeholder's), or NULL. */
static const void *grad_array(const kiln_expr *l) {
    return l->op == KILN_OP_VAR ? (const void *)kiln_expr_array(l) : l->op == KILN_OP_PARAM ? l->leaf : NULL;
}

/* (order: the count nodes of the loss, h_grad's walk of it) */
static void warn_derived(parser *p, kiln_expr *const *order, uint32_t count, int n, kiln_expr *const *wrt, size_t off) {
    if (p->env->warning[0] || !p->env->scope) return;
    for (uint32_t k = 0; k < count && !p->env->warning[0]; k++) {
        const kiln_expr *l = order[k]; /* (integer and bool arrays carry no gradient: no warning) */
        const char *name = op_is_array_leaf(l->op) && dtype_is_float((kiln_dtype)l->dtype) ? fe_leaf_name(p->env->scope, &p->env->deps, l) : NULL;
        for (int i = 0; name && i < n; i++) /* a variable itself (or its array under another name): the gradient flows to it, wherever its value came from */
            if (l == wrt[i] || (grad_array(l) && grad_array(l) == grad_array(wrt[i]))) name = NULL;
        for (int i = 0; name && i < n && !p->env->warning[0]; i++) {
            const char *w = fe_leaf_name(p->env->scope, &p->env->deps, wrt[i]);
            if (!w || !fe_scope_derived(p->env->scope, name, w)) continue;
            snprintf(p->env->warning, sizeof p->env->warning,
                     "grad(): '%s' was computed from '%s' by an earlier statement, so here it is a constant and no gradient "
                     "flows through it; write its expression inside grad() to differentiate it", name, w);
            p->env->warning_off = off;
        }
    }
}

static bool h_grad(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kval *wv = arg(a, "wrt");
    bool many = wv->kind == KV_TUPLE || wv->kind == KV_LIST;
    int n = many ? wv->n : 1;
    if (n < 1 || n > FE_MAX_ARGS) return fe_err(p, wv->off, KILN_ERR_ARG, "%s(): 'wrt' must name 1 to %d arrays", f->name, FE_MAX_ARGS);
    kiln_expr *wrt[FE_MAX_ARGS], *grads[FE_MAX_ARGS];
    for (int i = 0; i < n; i++) {
        const kval *v = many ? &wv->items[i] : wv;
        if (v->kind == KV_ARRAY && fe_is_py(v))
            return fe_err(p, v->off, KILN_ERR_ARG, "%s(): 'wrt' must name arrays, not a Python number (x = array(0.5) makes one)",
                          f->name);
        if (v->kind != KV_ARRAY || (v->e->op != KILN_OP_VAR && v->e->op != KILN_OP_PARAM))
            return fe_err(p, v->off, KILN_ERR_ARG, "%s(): 'wrt' must be names of arrays (the variables), not %s", f->name,
                          v->kind != KV_ARRAY ? "this value" : "an expression");
        if (!dtype_is_float((kiln_dtype)v->e->dtype)) /* (at the name, not at grad) */
            return fe_err(p, v->off, KILN_ERR_DTYPE, "%s(): this variable is %s: integer and bool arrays have no gradient (astype(float64) makes one that has)",
                          f->name, kiln_dtype_name((kiln_dtype)v->e->dtype));
        wrt[i] = v->e;
    }
    kiln_expr *e = expr_of(p, f, a, "expr"), *seed = NULL;
    if (!e) return false;
    if (given_not_none(a, "seed") && !(seed = expr_of(p, f, a, "seed"))) return result(p, out, NULL, off, 1, &e);
    if (seed && !ir_broadcasts_to(seed, e->ndim, e->shape)) { /* kiln_vjp's check, at the seed */
        rt_shape_text ss = rt_shape_str(seed->ndim, seed->shape), es = rt_shape_str(e->ndim, e->shape);
        kiln_expr_free(seed);
        kiln_expr_free(e);
        return fe_err(p, arg(a, "seed")->off, KILN_ERR_SHAPE, "%s(): seed has shape %s, which is not the expression's %s (nor broadcasts to it)",
                      f->name, ss.s, es.s);
    }
    /* a leaf of e holding a wrt's array under another node (p = W; grad(f(W), p); a list's item
     * beside a loop's name) is that variable too: every wrt naming an array gets what flows to
     * all the nodes holding it */
    kiln_expr **order = NULL, *all[FE_MAX_ARGS], *part[FE_MAX_ARGS];
    int m = 0;
    uint32_t count = 0;
    for (int i = 0; i < n; i++) { /* the wrt nodes, each once */
        bool listed = false;
        for (int j = 0; j < m; j++) listed |= all[j] == wrt[i];
        if (!listed) all[m++] = wrt[i];
    }
    bool fits = true;
    if (ir_walk(&p->ctx->graph, &e, 1, NULL, NULL, &order, &count) != KILN_OK) {
        kiln_expr_free(seed);
        return result(p, out, NULL, off, 1, &e);
    }
    for (uint32_t k = 0; k < count && fits; k++) {
        kiln_expr *l = order[k];
        const void *arr = grad_array(l);
        bool listed = !arr, same = false;
        for (int j = 0; j < m && !listed; j++) listed = all[j] == l;
        for (int i = 0; i < n && !listed && !same; i++) same = grad_array(wrt[i]) == arr;
        if (!listed && same) {
            if (m == FE_MAX_ARGS) fits = false;
            else all[m++] = l;
        }
    }
    if (!fits) {
        kiln_free(p->ctx, order);
        kiln_expr_free(seed);
        kiln_expr_free(e);
        return fe_err(p, wv->off, KILN_ERR_ARG, "%s(): the variables and the other names of their arrays in the expression are more than %d", f->name, FE_MAX_ARGS);
    }
    kiln_status st = kiln_vjp(p->ctx, e, seed, m, all, part);
    kiln_expr_free(seed);
    if (st != KILN_OK) return kiln_free(p->ctx, order), result(p, out, NULL, off, 1, &e);
    bool summed = true;
    for (int i = 0; i < n; i++) { /* wrt i: the sum over the nodes holding its array */
        grads[i] = NULL;
        for (int j = 0; j < m && summed; j++) {
            if (all[j] != wrt[i] && !(grad_array(wrt[i]) && grad_array(all[j]) == grad_array(wrt[i]))) continue;
            kiln_expr *sum = grads[i] ? kiln_add(p->ctx, grads[i], part[j]) : kiln_expr_retain(part[j]);
            kiln_expr_free(grads[i]);
            grads[i] = sum;
            summed = sum != NULL;
        }
    }
    for (int j = 0; j < m; j++) kiln_expr_free(part[j]);
    if (!summed) {
        for (int i = 0; i < n; i++) kiln_expr_free(grads[i]);
        kiln_free(p->ctx, order);
        return result(p, out, NULL, off, 1, &e);
    }
    warn_derived(p, order, count, n, wrt, off);
    kiln_free(p->ctx, order);
    kval g = {0};
    bool ok = true;
    if (!many) ok = fe_set_expr(p, &g, grads[0], off);
    else {
        g.kind = KV_TUPLE;
        g.off = off;
        ok = fe_got(p, g.items = kiln_calloc(p->ctx, (size_t)n * sizeof *g.items), off);
        for (int i = 0; i < n; i++) {
            if (ok) ok = fe_set_expr(p, &g.items[g.n++], grads[i], off);
            else kiln_expr_free(grads[i]);
        }
    }
    if (!ok || !f->op) {
        kiln_expr_free(e);
        if (ok) *out = g;
        else kval_free(p->ctx, &g);
        return ok;
    }
    /* value_and_grad: (value, gradients) */
    kval *items = kiln_calloc(p->ctx, 2 * sizeof *items);
    if (!fe_got(p, items, off)) {
        kiln_expr_free(e);
        kval_free(p->ctx, &g);
        return false;
    }
    fe_set_expr(p, &items[0], e, off);
    items[1] = g;
    memset(out, 0, sizeof *out);
    out->kind = KV_TUPLE;
    out->off = off;
    out->n = 2;
    out->items = items;
    return true;
}

/* zeros ones empty full (shape first) and the *_like ones (an array first) */
enum { K_ZEROS, K_ONES, K_FULL, K_ZEROS_LIKE, K_ONES_LIKE, K_FULL_LIKE };
static bool h_fill(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    int nd;
    int64_t shape[KILN_MAX_DIMS];
    kiln_dtype dt = KILN_F64, vdt = KILN_F64;
    double v = f->op == K_ONES || f->op == K_ONES_LIKE ? 1 : 0;
    int64_t iv = (int64_t)v;
    bool like = f->op >= K_ZEROS_LIKE;
    if (like) {
        kiln_expr *x = expr_of(p, f, a, "a");
        if (!x) return false;
        nd = x->ndim;
        memcpy(shape, x->shape, sizeof shape);
        dt = (kiln_dtype)x->dtype;
        kiln_expr_free(x);
    } else if (!fe_arg_shape(p, arg(a, "shape"), f->name, "shape", &nd, shape)) {
        return false;
    }
    kval *fv = f->op == K_FULL || f->op == K_FULL_LIKE ? arg(a, "fill_value") : NULL;
    double fd;
    int64_t fi;
    if (fv && !(fv->kind == KV_ARRAY && fv->e->ndim == 0 && kiln_expr_scalar(fv->e, &fd, &fi))) {
        /* an array-like fill value: broadcast to the shape, as np.full does (computed now: the
         * statement is rebuilt at each run, so a name's new value is read) */
        kiln_expr *x = expr_of(p, f, a, "fill_value");
        if (!x) return false;
        p->env->volatile_ = true;
        if (f->op == K_FULL && !given_not_none(a, "dtype")) dt = (kiln_dtype)x->dtype;
        if ((given_not_none(a, "dtype") && !fe_arg_dtype(p, arg(a, "dtype"), f->name, &dt)) || !py_ints_fit(p, fv, dt))
            return result(p, out, NULL, off, 1, &x);
        kiln_array *z = kiln_full(p->ctx, dt, nd, shape, 0);
        kiln_expr *t[3] = {x, z ? kiln_var(p->ctx, z) : NULL, NULL};
        kiln_array_free(z);
        if (t[1]) t[2] = kiln_cast(p->ctx, x, dt);
        kiln_expr *sum = t[2] ? kiln_add(p->ctx, t[1], t[2]) : NULL;
        kiln_array *r = sum ? kiln_eval(p->ctx, sum) : NULL;
        kiln_expr_free(sum);
        for (int i = 0; i < 3; i++) kiln_expr_free(t[i]);
        return array_result(p, out, r, off);
    }
    if (fv && !fe_arg_number(p, fv, f->name, "fill_value", &v, &iv, &vdt)) return false;
    if (f->op == K_FULL && !given_not_none(a, "dtype")) dt = vdt == KILN_I32 ? KILN_I64 : vdt; /* np.full(s, 3) is int64 */
    /* a Python int must fit an integer dtype; a float is cast as astype casts (NumPy's copyto,
     * casting='unsafe': full(3, 300.0, dtype=uint8) is 44s, full(2, nan, dtype=int32) INT32_MIN) */
    bool float_fill = fv && fe_is_py(fv) && fv->e->dtype == KILN_F64;
    if ((given_not_none(a, "dtype") && !fe_arg_dtype(p, arg(a, "dtype"), f->name, &dt)) || (fv && !float_fill && !py_ints_fit(p, fv, dt))) return false;
    for (int d = 0; d < nd; d++)
        if (shape[d] < 0) return fe_err(p, arg(a, like ? "a" : "shape")->off, KILN_ERR_SHAPE, "%s(): negative dimensions are not allowed", f->name);
    kiln_array *r = kiln_full(p->ctx, dt, nd, shape, v);
    if (r && (dt == KILN_I64 || dt == KILN_I32) && (vdt == KILN_I64 || vdt == KILN_I32) && (iv > (1ll << 53) || iv < -(1ll << 53))) /* exact beyond 2^53 */
        for (int64_t i = 0; i < kiln_array_size(r); i++) ref_store(r->data + i * (int64_t)kiln_dtype_size(dt), dt, ref_cast((kscalar){.i64 = iv}, KILN_I64, dt));
    return array_result(p, out, r, off);
}

static bool h_eye(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    int64_t n, m, k = 0;
    kiln_dtype dt = KILN_F64;
    bool identity = f->op;
    if (!fe_arg_int(p, arg(a, identity ? "n" : "N"), f->name, identity ? "n" : "N", &n)) return false;
    m = n;
    if (!identity && given_not_none(a, "M") && !fe_arg_int(p, arg(a, "M"), f->name, "M", &m)) return false;
    if (!identity && given(a, "k") && !fe_arg_int(p, arg(a, "k"), f->name, "k", &k)) return false;
    if (given_not_none(a, "dtype") && !fe_arg_dtype(p, arg(a, "dtype"), f->name, &dt)) return false;
    if (n < 0 || m < 0) return fe_err(p, off, KILN_ERR_SHAPE, "%s(): negative dimensions are not allowed", f->name);
    return array_result(p, out, kiln_eye(p->ctx, dt, n, m, k), off);
}

/* out = the new array r (taken over) cast to dt as astype casts (by the engine), or r itself. */
static bool cast_result(parser *p, kval *out, kiln_array *r, kiln_dtype dt, size_t off) {
    if ((kiln_dtype)r->dtype == dt) return array_result(p, out, r, off);
    kiln_expr *e = kiln_var(p->ctx, r), *c = e ? kiln_cast(p->ctx, e, dt) : NULL;
    kiln_array_free(r);
    kiln_expr_free(e);
    kiln_array *cr = c ? kiln_eval(p->ctx, c) : NULL;
    kiln_expr_free(c);
    return array_result(p, out, cr, off);
}

/* Element i of an integer array of es-byte elements at data set to x's low bytes (an integer
 * dtype's value of x, wrapped). */
static inline void put_low(void *data, int64_t i, size_t es, uint64_t x) {
    if (es == 8) ((uint64_t *)data)[i] = x;
    else if (es == 4) ((uint32_t *)data)[i] = (uint32_t)x;
    else if (es == 2) ((uint16_t *)data)[i] = (uint16_t)x;
    else ((uint8_t *)data)[i] = (uint8_t)x;
}

/* arange(stop) | arange(start, stop[, step]): int64 when all are integers, else float64; the
 * float values as NumPy fills them: start, start + step, then start + i*delta with delta the
 * difference of those two */
static bool h_arange(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    double v[3] = {0, 0, 1};
    int64_t iv[3] = {0, 0, 1};
    kiln_dtype dts[3] = {KILN_I64, KILN_I64, KILN_I64}, dt;
    const char *names[3] = {"start", "stop", "step"};
    bool have[3];
    for (int i = 0; i < 3; i++) have[i] = given_not_none(a, names[i]);
    if (!have[0] && !have[1]) return fe_err(p, off, KILN_ERR_ARG, "arange() requires stop to be specified");
    for (int i = 0; i < 3; i++) {
        int k = i < 2 && !have[1] ? 1 : i; /* arange(n): n is the stop */
        if (!have[i]) continue;
        if (!fe_arg_number(p, arg(a, names[i]), f->name, names[i], &v[k], &iv[k], &dts[k])) return false;
    }
    bool all_int = true;
    for (int i = 0; i < 3; i++) all_int &= dts[i] != KILN_F32 && dts[i] != KILN_F64;
    dt = all_int ? KILN_I64 : KILN_F64;
    if (given_not_none(a, "dtype") && !fe_arg_dtype(p, arg(a, "dtype"), f->name, &dt)) return false;
    if (v[2] == 0) return fe_err(p, off, KILN_ERR_ARG, "arange(): step must not be zero");
    __int128 span = (__int128)iv[1] - iv[0]; /* (integers: the count exactly, however far apart start and stop are) */
    double count = all_int ? (double)((span + iv[2] + (iv[2] > 0 ? -1 : 1)) / iv[2]) : ceil((v[1] - v[0]) / v[2]);
    if (isnan(count)) return fe_err(p, off, KILN_ERR_ARG, "arange: cannot compute length");
    if (!(count > 0)) count = 0;
    /* the start, and the second value where there is one, must fit (NumPy's OverflowError; the rest wraps) */
    for (int k = 0; k < (count >= 2 ? 2 : 1) && have[0] && have[1] && dtype_is_narrow_int(dt); k++) {
        bool fl = !all_int;
        double s = fl ? trunc(v[0] + k * v[2]) : (double)iv[0] + (double)(k * iv[2]);
        int64_t lo, hi;
        dtype_int_bounds(dt, &lo, &hi);
        if (s < (double)lo || s > (double)hi)
            return fe_err(p, arg(a, k && given(a, "step") ? "step" : "start")->off, KILN_ERR_DTYPE, "Python integer %.0f out of bounds for %s", s, kiln_dtype_name(dt));
    }
    if (count > 1e11) return fe_err(p, off, KILN_ERR_SHAPE, "arange(): %.0f elements is too many", count);
    int64_t len = (int64_t)count;
    if (dt == KILN_BOOL && len > 2) return fe_err(p, off, KILN_ERR_DTYPE, "arange() is only supported for booleans when the result has at most length 2.");
    double second = v[0] + v[2], delta = second - v[0];
    /* float bounds into an integer dtype: NumPy's fill, from the first two values in that dtype
     * (arange(0, 5, 0.5, dtype=int32) is all zeros) */
    bool int_fill = !all_int && dtype_is_int(dt) && len > 0, ints = all_int || int_fill;
    int64_t a0 = int_fill ? ref_cast((kscalar){.f64 = v[0]}, KILN_F64, KILN_I64).i64 : 0;
    int64_t d0 = int_fill && len > 1 ? ref_cast((kscalar){.f64 = second}, KILN_F64, KILN_I64).i64 - a0 : 0;
    /* the values in int64 (ints), float32 or float64, then cast to dt by the engine as astype
     * casts; float32's as NumPy's FLOAT_fill computes them, in float32 from the first two */
    kiln_dtype rd = dt == KILN_F32 || (dtype_is_int(dt) && ints) ? dt : ints ? KILN_I64 : KILN_F64;
    kiln_array *r = kiln_array_new(p->ctx, rd, 1, &len);
    if (!fe_got(p, r, off)) return false;
    uint64_t s0 = (uint64_t)(all_int ? iv[0] : a0), st = (uint64_t)(all_int ? iv[2] : d0);
    /* start + i * step: integers wrapping in rd itself (as int64's then the cast would), floats
     * from the first two values, float32's in float32 (NumPy's FLOAT_fill); those two written
     * as they are (0 * an infinite step is NaN) */
    kscalar start, step, first, second_v;
    if (dtype_is_int(rd)) {
        start.i64 = (int64_t)s0, step.i64 = (int64_t)st;
    } else if (rd == KILN_F32) {
        first.f32 = all_int ? (float)iv[0] : (float)v[0];
        second_v.f32 = all_int ? (float)(int64_t)((uint64_t)iv[0] + (uint64_t)iv[2]) : (float)second;
        start = first, step.f32 = second_v.f32 - first.f32;
    } else {
        start = first = (kscalar){.f64 = v[0]}, step.f64 = delta, second_v.f64 = second;
    }
    rt_ramp(p->ctx, r->data, len, rd, start, step);
    if (!dtype_is_int(rd) && len > 1) ref_store(r->data + kiln_dtype_size(rd), rd, second_v);
    if (!dtype_is_int(rd) && len > 0) ref_store(r->data, rd, first);
    return cast_result(p, out, r, dt, off);
}

/* base ** the float64 array r, by the engine's pow (in vectors, where the host's pow is one value
 * at a time), r freed; NULL with the context's error. */
static kiln_array *pow_of(kiln_ctx *c, double base, kiln_array *r) {
    kiln_expr *e = kiln_var(c, r), *b = kiln_const(c, KILN_F64, base), *w = e && b ? kiln_pow(c, b, e) : NULL;
    kiln_array_free(r);
    kiln_array *y = w ? kiln_eval(c, w) : NULL;
    kiln_expr_free(e), kiln_expr_free(b), kiln_expr_free(w);
    return y;
}

/* linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None): float64, as NumPy
 * computes it (with retstep, the pair of it and the step, a float64) */
static bool linspace_of(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out);
static kiln_expr *index_expr(parser *p, tmps *t, int64_t n, int64_t div, int64_t mod);
static bool tuple_result(parser *p, tmps *t, kval *out, kiln_expr *const *items, int n, size_t off);

/* linspace (f->op 0) and logspace (1) of a start or a stop that is an array: NumPy's steps as an
 * expression, the samples along a new axis 0 then moved to axis; with retstep, (samples, step). */
static bool linspace_arrays(parser *p, const fe_fn *f, fe_args *a, bool retstep, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    int64_t num = 50, axis = 0, iv;
    bool endpoint = true;
    double base = 10;
    kiln_dtype dt = KILN_F64, want;
    kiln_expr *s = keep(&t, expr_of(p, f, a, "start")), *e = s ? keep(&t, expr_of(p, f, a, "stop")) : NULL;
    if (!e || (given(a, "num") && !fe_arg_int(p, arg(a, "num"), f->name, "num", &num)) ||
        (given(a, "endpoint") && !fe_arg_bool(p, arg(a, "endpoint"), f->name, "endpoint", &endpoint)) ||
        (f->op && given(a, "base") && !fe_arg_number(p, arg(a, "base"), f->name, "base", &base, &iv, NULL)) ||
        (given(a, "axis") && !fe_arg_int(p, arg(a, "axis"), f->name, "axis", &axis)))
        return done(p, &t, out, NULL, off);
    if (num < 0) return tmps_free(&t), fe_err(p, off, KILN_ERR_ARG, "%s(): number of samples, %lld, must be non-negative", f->name, (long long)num);
    dt = s->weak && e->weak ? KILN_F64 : s->weak ? (kiln_dtype)e->dtype : e->weak ? (kiln_dtype)s->dtype : dtype_promote((kiln_dtype)s->dtype, (kiln_dtype)e->dtype);
    if (!dtype_is_float(dt)) dt = KILN_F64; /* (NumPy's result_type, a Python number weak, made inexact) */
    want = dt;
    if (given_not_none(a, "dtype") && !fe_arg_dtype(p, arg(a, "dtype"), f->name, &want)) return done(p, &t, out, NULL, off);
    int nd = 0;
    int64_t shape[KILN_MAX_DIMS + 1];
    if (!fe_merge_shape(&nd, shape, s) || !fe_merge_shape(&nd, shape, e))
        return tmps_free(&t), fe_err(p, off, KILN_ERR_SHAPE, "%s(): start and stop could not be broadcast together", f->name);
    if (nd + 1 > KILN_MAX_DIMS) return tmps_free(&t), fe_err(p, off, KILN_ERR_SHAPE, "%s(): more than %d dimensions", f->name, KILN_MAX_DIMS);
    if (axis < -(nd + 1) || axis > nd)
        return tmps_free(&t), fe_err(p, arg(a, "axis")->off, KILN_ERR_ARG, "axis %lld is out of bounds for array of dimension %d", (long long)axis, nd + 1);
    s = keep(&t, kiln_cast(c, s, dt)), e = s ? keep(&t, kiln_cast(c, e, dt)) : NULL;
    int64_t col[KILN_MAX_DIMS + 1] = {num}; /* idx: 0 .. num-1 along axis 0, length 1 along the rest */
    for (int d = 0; d < nd; d++) col[d + 1] = 1;
    kiln_expr *idx = keep(&t, kiln_cast(c, keep(&t, kiln_reshape(c, index_expr(p, &t, num, 1, 0), nd + 1, col)), dt));
    double div = endpoint ? (double)(num - 1) : (double)num;
    kiln_expr *delta = e ? keep(&t, kiln_sub(c, e, s)) : NULL, *y = NULL, *step = NULL, *dv = keep(&t, kiln_const(c, dt, div));
    if (delta && div > 0) { /* y = idx * step, or (idx / div) * delta where a step is 0 (it underflowed) */
        step = keep(&t, kiln_div(c, delta, dv));
        kiln_expr *zero = step ? keep(&t, kiln_reduce(c, KILN_OP_ANY, keep(&t, kiln_eq(c, step, keep(&t, kiln_const(c, dt, 0)))), KILN_ALL_AXES, 0)) : NULL;
        kiln_expr *scaled = zero ? keep(&t, kiln_mul(c, keep(&t, kiln_div(c, idx, dv)), delta)) : NULL;
        y = scaled ? keep(&t, kiln_where(c, zero, scaled, keep(&t, kiln_mul(c, idx, step)))) : NULL;
    } else if (delta) { /* no step: NaN (a Python float), and idx * delta */
        step = keep(&t, kiln_scalar(c, NAN));
        y = keep(&t, kiln_mul(c, idx, delta));
    }
    y = y ? keep(&t, kiln_add(c, y, s)) : NULL;
    if (y && endpoint && num > 1) y = keep(&t, kiln_where(c, keep(&t, kiln_eq(c, idx, keep(&t, kiln_const(c, dt, (double)(num - 1))))), e, y));
    if (y && f->op) y = keep(&t, kiln_pow(c, keep(&t, kiln_const(c, dt, base)), y)); /* logspace: base ** y */
    if (y && !f->op && dtype_is_int(want)) y = keep(&t, kiln_floor(c, y)); /* (NumPy 2 rounds toward -inf for integer dtypes) */
    if (y && want != dt) y = keep(&t, kiln_cast(c, y, want));
    if (y && axis != 0 && axis != -(nd + 1)) { /* the new axis moved */
        int perm[KILN_MAX_DIMS], to = axis < 0 ? (int)axis + nd + 1 : (int)axis, k = 1;
        for (int d = 0; d < nd + 1; d++) perm[d] = d == to ? 0 : k++;
        y = keep(&t, kiln_permute(c, y, perm));
    }
    if (!retstep) return done(p, &t, out, y, off);
    return y && step ? tuple_result(p, &t, out, (kiln_expr *[]){y, step}, 2, off) : done(p, &t, out, NULL, off);
}

static bool h_linspace(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    bool retstep = false;
    if (!f->op && given(a, "retstep") && !fe_arg_bool(p, arg(a, "retstep"), f->name, "retstep", &retstep)) return false;
    for (int k = 0; k < 2; k++) {
        const kval *v = arg(a, k ? "stop" : "start");
        if (v->kind == KV_LIST || v->kind == KV_TUPLE || (v->kind == KV_ARRAY && !fe_is_py(v)) || (given(a, "axis") && !k)) /* (NumPy's dtype of an array start, float32 0-d too) */
            return linspace_arrays(p, f, a, retstep, off, out);
    }
    double v[2];
    int64_t iv, num = 50;
    bool endpoint = true;
    if (retstep && (!fe_arg_number(p, arg(a, "start"), f->name, "start", &v[0], &iv, NULL) ||
                    !fe_arg_number(p, arg(a, "stop"), f->name, "stop", &v[1], &iv, NULL) ||
                    (given(a, "num") && !fe_arg_int(p, arg(a, "num"), f->name, "num", &num)) ||
                    (given(a, "endpoint") && !fe_arg_bool(p, arg(a, "endpoint"), f->name, "endpoint", &endpoint))))
        return false;
    kval samples = {0};
    if (!linspace_of(p, f, a, off, retstep ? &samples : out)) return false;
    if (!retstep) return true;
    double div = endpoint ? (double)(num - 1) : (double)num;
    kval *items = kiln_calloc(p->ctx, 2 * sizeof *items);
    if (!fe_got(p, items, off)) return kval_free(p->ctx, &samples), false;
    items[0] = samples;
    if (!fe_set_expr(p, &items[1], div > 0 ? kiln_const(p->ctx, KILN_F64, (v[1] - v[0]) / div) : kiln_scalar(p->ctx, NAN), off)) { /* (NaN: Python's float) */
        kval_free(p->ctx, &items[0]);
        kiln_free(p->ctx, items);
        return false;
    }
    memset(out, 0, sizeof *out);
    out->kind = KV_TUPLE;
    out->off = off;
    out->n = 2;
    out->items = items;
    return true;
}
static bool linspace_of(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    double v[2], base = 10;
    int64_t iv, num = 50;
    bool endpoint = true;
    kiln_dtype dt = KILN_F64;
    if (!fe_arg_number(p, arg(a, "start"), f->name, "start", &v[0], &iv, NULL) ||
        !fe_arg_number(p, arg(a, "stop"), f->name, "stop", &v[1], &iv, NULL) ||
        (given(a, "num") && !fe_arg_int(p, arg(a, "num"), f->name, "num", &num)) ||
        (given(a, "endpoint") && !fe_arg_bool(p, arg(a, "endpoint"), f->name, "endpoint", &endpoint)) ||
        (f->op && given(a, "base") && !fe_arg_number(p, arg(a, "base"), f->name, "base", &base, &iv, NULL)) ||
        (given_not_none(a, "dtype") && !fe_arg_dtype(p, arg(a, "dtype"), f->name, &dt)))
        return false;
    if (num < 0) return fe_err(p, off, KILN_ERR_ARG, "%s(): number of samples, %lld, must be non-negative", f->name, (long long)num);
    kiln_array *r = kiln_array_new(p->ctx, KILN_F64, 1, &num);
    if (!fe_got(p, r, off)) return false;
    double *d = (double *)r->data, div = endpoint ? (double)(num - 1) : (double)num, step = div > 0 ? (v[1] - v[0]) / div : 0;
    rt_ramp(p->ctx, r->data, num, KILN_F64, (kscalar){.f64 = v[0]}, (kscalar){.f64 = step}); /* i * step + start */
    if (endpoint && num > 1) d[num - 1] = v[1];
    if (f->op) r = pow_of(p->ctx, base, r); /* logspace: base ** linspace, in float64, then astype(dtype) */
    else if (dtype_is_int(dt))
        for (int64_t i = 0; i < num; i++) d[i] = floor(d[i]); /* NumPy 2 rounds toward -inf for integer dtypes */
    return fe_got(p, r, off) && cast_result(p, out, r, dt, off);
}

static bool h_load(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kval *v = arg(a, "file"), *mm = arg(a, "mmap_mode");
    if (v->kind != KV_STR) return fe_err(p, v->off, KILN_ERR_ARG, "%s(): takes a file name in quotes", f->name);
    bool mapped = given_not_none(a, "mmap_mode") && !(mm->kind == KV_STR && !mm->s[0]); /* ('' is None to NumPy) */
    if (mapped && (mm->kind != KV_STR || !strchr("rc", mm->s[0]) || mm->s[1])) /* (r+ and w+ write into the file: not kiln's) */
        return fe_err(p, mm->off, KILN_ERR_ARG, "%s(): mmap_mode None, 'r' or 'c' (not 'r+' or 'w+', which write into the file)", f->name);
    p->env->volatile_ = true;
    kiln_array *r = mapped ? kiln_map_npy(p->ctx, v->s) : kiln_load_npy(p->ctx, v->s); /* (NumPy's memmap: the file's pages) */
    if (!r) return fe_got(p, r, v->off);
    bool ro = mapped && mm->s[0] == 'r'; /* (NumPy's memmap of mode 'r' cannot be written) */
    if (!array_result(p, out, r, off)) return false;
    if (ro) out->readonly = true;
    return true;
}

/* A text file's bytes (NUL-terminated, kiln_malloc'd), or NULL after an error naming fn. */
static char *file_text(parser *p, const char *fn, const kval *name, size_t *len) {
    FILE *fp = fopen(name->s, "rb");
    if (!fp) return fe_err(p, name->off, KILN_ERR_ARG, "%s(): %s: %s", fn, name->s, strerror(errno)), NULL;
    size_t used = 0, cap = 65536, n;
    char *text = kiln_malloc(p->ctx, cap + 1);
    while (text && (n = fread(text + used, 1, cap - used, fp)) > 0)
        if ((used += n) == cap) { /* (grown by half) */
            char *more = kiln_realloc(p->ctx, text, cap + cap / 2 + 1);
            if (!more) kiln_free(p->ctx, text);
            text = more, cap += cap / 2;
        }
    bool bad = ferror(fp);
    fclose(fp);
    if (!text) return fe_got(p, NULL, name->off), NULL;
    if (bad) return kiln_free(p->ctx, text), fe_err(p, name->off, KILN_ERR_ARG, "%s(): %s: cannot read it", fn, name->s), NULL;
    text[used] = 0;
    *len = used;
    return text;
}

/* One field of a text file as dt: an integer dtype takes an integer or a float truncated (as
 * NumPy's loadtxt); false when it is not a number. */
static bool field_value(const char *s, size_t n, kiln_dtype dt, char *out) {
    char buf[512], *end;
    while (n && strchr(" \t\r\v\f", *s)) s++, n--;
    while (n && strchr(" \t\r\v\f", s[n - 1])) n--;
    if (!n || n >= sizeof buf || memchr(s, 'x', n) || memchr(s, 'X', n)) return false; /* (strtod's hex floats: not NumPy's) */
    memcpy(buf, s, n);
    buf[n] = 0;
    if (dtype_is_int(dt)) {
        errno = 0;
        long long i = strtoll(buf, &end, 10);
        if (*end || errno) {
            double d = strtod(buf, &end);
            if (*end || !fe_float_fits(d, dt)) return false;
            i = (long long)d;
        }
        int64_t lo, hi;
        dtype_int_bounds(dt, &lo, &hi);
        if (i < lo || i > hi) return false;
        ref_store(out, dt, ref_cast((kscalar){.i64 = i}, KILN_I64, dt));
        return true;
    }
    double d = strtod(buf, &end);
    if (*end) return false;
    if (dt == KILN_F32) *(float *)(void *)out = (float)d;
    else *(double *)(void *)out = d;
    return true;
}

/* loadtxt(fname, dtype=float, comments='#', delimiter=None, skiprows=0, usecols=None,
 * unpack=False, ndmin=0, max_rows=None): the numbers of a text file, a row per line, as NumPy's
 * (read now): comments cut, blank lines skipped, fields split at whitespace or the delimiter;
 * the result squeezed, then at least ndmin dims; unpack transposes. */
static bool h_loadtxt(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kval *fv = arg(a, "fname"), *cv = arg(a, "comments"), *dv = arg(a, "delimiter"), *uv = arg(a, "usecols");
    kiln_dtype dt = KILN_F64;
    int64_t skip = 0, maxrows = -1, ndmin = 0;
    bool unpack = false;
    if (fv->kind != KV_STR) return fe_err(p, fv->off, KILN_ERR_ARG, "loadtxt(): takes a file name in quotes");
    if (given_not_none(a, "dtype") && !fe_arg_dtype(p, arg(a, "dtype"), f->name, &dt)) return false;
    if (dt == KILN_BOOL) return fe_err(p, arg(a, "dtype")->off, KILN_ERR_DTYPE, "loadtxt(): kiln reads floats and integers, not bool");
    if (cv->kind != KV_ABSENT && cv->kind != KV_NONE && (cv->kind != KV_STR || !cv->s[0])) return fe_err(p, cv->off, KILN_ERR_ARG, "loadtxt(): comments must be a string or None");
    if (dv->kind != KV_ABSENT && dv->kind != KV_NONE && (dv->kind != KV_STR || strlen(dv->s) != 1 || strchr("\r\n", dv->s[0])))
        return fe_err(p, dv->off, KILN_ERR_ARG, "loadtxt(): the delimiter must be one character (not a newline) or None");
    if ((given(a, "skiprows") && !fe_arg_int(p, arg(a, "skiprows"), f->name, "skiprows", &skip)) ||
        (given_not_none(a, "max_rows") && !fe_arg_int(p, arg(a, "max_rows"), f->name, "max_rows", &maxrows)) ||
        (given(a, "ndmin") && !fe_arg_int(p, arg(a, "ndmin"), f->name, "ndmin", &ndmin)) ||
        (given(a, "unpack") && !fe_arg_bool(p, arg(a, "unpack"), f->name, "unpack", &unpack)))
        return false;
    if (skip < 0 || ndmin < 0 || ndmin > 2 || (given_not_none(a, "max_rows") && maxrows < 0))
        return fe_err(p, off, KILN_ERR_ARG, ndmin < 0 || ndmin > 2 ? "Illegal value of ndmin keyword: %lld" : "loadtxt(): skiprows and max_rows must not be negative", (long long)ndmin);
    int64_t cols_of[64];
    int nuse = -1; /* usecols: which fields, in order (-1: all) */
    if (given_not_none(a, "usecols")) {
        bool many = uv->kind == KV_LIST || uv->kind == KV_TUPLE;
        nuse = many ? uv->n : 1;
        if (nuse > 64) return fe_err(p, uv->off, KILN_ERR_ARG, "loadtxt(): at most 64 usecols");
        for (int k = 0; k < nuse; k++)
            if (!fe_arg_int(p, many ? &uv->items[k] : uv, f->name, "usecols", &cols_of[k])) return false;
    }
    const char *com = cv->kind == KV_ABSENT ? "#" : cv->kind == KV_STR ? cv->s : NULL, *delim = dv->kind == KV_STR ? dv->s : NULL;
    if (given_not_none(a, "converters")) /* (kiln reads numbers: they would be taken silently otherwise) */
        return fe_err(p, arg(a, "converters")->off, KILN_ERR_ARG, "loadtxt(): kiln has no converters= (it reads numbers: convert the array afterwards)");
    if (com && com[0] && !com[1] && (delim ? com[0] == delim[0] : strchr(" \t", com[0]) != NULL)) /* (NumPy's parser's words) */
        return fe_err(p, cv->off, KILN_ERR_ARG, delim ? "The values for control characters 'comment' and 'delimiter' are incompatible"
                                                      : "The values for control characters 'delimiter' and 'comment' are incompatible");
    p->env->volatile_ = true;
    size_t len;
    char *text = file_text(p, f->name, fv, &len);
    if (!text) return false;
    size_t es = kiln_dtype_size(dt);
    char *vals = NULL; /* the values, row after row: used bytes of cap */
    size_t used = 0, cap = 0;
    int64_t rows = 0, cols = -1, line = 0;
    bool ok = true;
    const char *blank = " \t\r\v\f";
    size_t clen = com ? strlen(com) : 0;
    const char **fs = NULL, **fe = NULL; /* a line's fields: [start, stop) pairs, room for fcap */
    int fcap = 0;
    bool packed = len > 2 && ((text[0] == '\x1f' && text[1] == '\x8b') || !memcmp(text, "BZh", 3) || !memcmp(text, "\xfd" "7zXZ", 5)); /* gzip, bzip2, xz */
    if (packed) ok = fe_err(p, fv->off, KILN_ERR_ARG, "loadtxt(): %s is compressed (NumPy decompresses .gz, .bz2, .xz and .lzma): kiln reads plain text", fv->s);
    else if (memchr(text, 0, len)) ok = fe_err(p, fv->off, KILN_ERR_ARG, "loadtxt(): %s holds a NUL byte: not a text file of numbers", fv->s);
    for (char *at = text; ok && *at && (maxrows < 0 || rows < maxrows); line++) {
        /* a line ends at \n, \r or \r\n (Python's universal newlines) */
        char *end = at + strcspn(at, "\r\n"), *next = *end == '\r' && end[1] == '\n' ? end + 2 : *end ? end + 1 : end;
        if (line < skip) {
            at = next;
            continue;
        }
        for (char *c = at; clen && c + clen <= end; c++) /* the comment cut off (searched within the line) */
            if (!memcmp(c, com, clen)) {
                end = c;
                break;
            }
        char *q = at;
        while (q < end && strchr(blank, *q)) q++;
        if (q == end) {
            at = next;
            continue;
        }
        int nf = 0;
        for (const char *s = delim ? at : q; s <= end && ok;) {
            if (nf == fcap) { /* (grown by doubling) */
                int nc = fcap ? 2 * fcap : 64;
                const char **ns = kiln_realloc(p->ctx, fs, (size_t)nc * sizeof *fs), **ne = ns ? kiln_realloc(p->ctx, fe, (size_t)nc * sizeof *fe) : NULL;
                if (ns) fs = ns;
                if (ne) fe = ne, fcap = nc;
                if (!ne) ok = fe_got(p, NULL, off);
                if (!ok) break;
            }
            if (!delim) {
                while (s < end && strchr(blank, *s)) s++;
                if (s >= end) break;
                const char *e = s;
                while (e < end && !strchr(blank, *e)) e++;
                fs[nf] = s, fe[nf++] = e, s = e;
            } else {
                const char *e = s;
                while (e < end && *e != delim[0]) e++;
                fs[nf] = s, fe[nf++] = e;
                s = e + 1;
                if (e == end) break;
            }
        }
        int want = nuse < 0 ? nf : nuse;
        if (!ok) break;
        if (rows == 0) cols = want;
        else if (want != cols) {
            ok = fe_err(p, fv->off, KILN_ERR_SHAPE, "the number of columns changed from %lld to %d at row %lld; use `usecols` to select a subset and avoid this error", (long long)cols, want, (long long)rows + 1);
            break;
        }
        for (int k = 0; k < want && ok; k++) {
            int64_t c = nuse < 0 ? k : cols_of[k] < 0 ? cols_of[k] + nf : cols_of[k];
            char v[8];
            if (c < 0 || c >= nf) ok = fe_err(p, fv->off, KILN_ERR_INDEX, "invalid column index %lld at row %lld with %d columns", (long long)cols_of[k], (long long)rows + 1, nf);
            else if (!field_value(fs[c], (size_t)(fe[c] - fs[c]), dt, v))
                ok = fe_err(p, fv->off, KILN_ERR_ARG, "could not convert string '%.*s' to %s at row %lld, column %lld.", (int)(fe[c] - fs[c] > 40 ? 40 : fe[c] - fs[c]), fs[c], kiln_dtype_name(dt), (long long)rows, (long long)c + 1);
            else if (used + es > cap) { /* (grown by half) */
                size_t nc = cap ? cap + cap / 2 + es : 4096;
                char *nv = kiln_realloc(p->ctx, vals, nc);
                ok = nv != NULL || fe_got(p, NULL, off);
                if (nv) vals = nv, cap = nc;
            }
            if (ok) memcpy(vals + used, v, es), used += es;
        }
        rows++;
        at = next;
    }
    kiln_free(p->ctx, text);
    kiln_free(p->ctx, fs), kiln_free(p->ctx, fe);
    int64_t shape[2] = {rows, cols < 0 ? 0 : cols};
    if (!rows && nuse > 0) shape[1] = nuse; /* (nothing read: (0,), or (0, len(usecols))) */
    kiln_array *r = ok ? kiln_array_new(p->ctx, dt, rows || nuse > 0 ? 2 : 1, rows || nuse > 0 ? shape : (int64_t[]){0}) : NULL;
    if (r && used) memcpy(kiln_array_data(r), vals, used);
    kiln_free(p->ctx, vals);
    if (!ok) return false;
    if (!r) return fe_got(p, NULL, off);
    /* NumPy's _ensure_ndmin_ndarray: squeezed past ndmin, then ndmin dims (a row becomes a column) */
    int nd = kiln_array_ndim(r);
    int64_t s[2], n = 0;
    for (int d = 0; d < nd; d++)
        if (nd <= ndmin || kiln_array_shape(r)[d] != 1) s[n++] = kiln_array_shape(r)[d];
    if (n < ndmin) { /* (atleast_1d, or atleast_2d then transposed: a column) */
        int64_t m = n ? s[0] : 1;
        n = ndmin;
        s[0] = m, s[1] = 1;
    }
    kiln_expr *e = kiln_var(p->ctx, r), *sq = e ? kiln_reshape(p->ctx, e, (int)n, s) : NULL;
    kiln_array_free(r);
    kiln_expr_free(e);
    if (sq && unpack) {
        kiln_expr *tr = kiln_transpose(p->ctx, sq);
        kiln_expr_free(sq);
        sq = tr;
    }
    return fe_set_expr(p, out, sq, off);
}

/* One value by fmt (checked: one %-conversion of d i e E f F g G, text around it) into b, as
 * Python's %: %d of a float truncated (an error for NaN and the infinities), NaN unsigned. */
static bool text_of_value(parser *p, kscalar v, kiln_dtype dt, const char *fmt, kstr *b, size_t off) {
    const char *conv = strchr(fmt, '%'), *t = conv + strcspn(conv + 1, "dieEfFgG") + 1;
    char spec[40];
    kstr_printf(b, "%.*s", (int)(conv - fmt), fmt);
    double d = dtype_is_float(dt) ? ref_cast(v, dt, KILN_F64).f64 : 0;
    if (*t == 'd' || *t == 'i') {
        if (dtype_is_float(dt) && !isfinite(d)) return fe_err(p, off, KILN_ERR_ARG, "savetxt(): cannot convert float %s to integer", isnan(d) ? "NaN" : "infinity");
        if (dtype_is_float(dt) && fabs(d) >= 9e18) { /* (beyond 64 bits: the double's exact integer) */
            snprintf(spec, sizeof spec, "%.*s.0f", (int)(t - conv), conv);
            kstr_printf(b, spec, trunc(d));
        } else {
            snprintf(spec, sizeof spec, "%.*sll%c", (int)(t - conv), conv, *t);
            kstr_printf(b, spec, dtype_is_float(dt) ? (long long)d : (long long)ref_cast(v, dt, KILN_I64).i64);
        }
    } else {
        snprintf(spec, sizeof spec, "%.*s", (int)(t - conv + 1), conv);
        double x = dtype_is_float(dt) ? d : ref_cast(v, dt, KILN_F64).f64;
        kstr_printf(b, spec, isnan(x) ? fabs(x) : x); /* (a NaN's sign: Python prints nan) */
    }
    kstr_puts(b, t + 1);
    return true;
}

/* savetxt(fname, X, fmt='%.18e', delimiter=' ', newline='\n', header='', footer='',
 * comments='# '): X (1-D: a value per line; 2-D: a row per line) written as text, each value by
 * fmt (one %-conversion of d i e E f F g G, or a list of them, one per column), as NumPy's; None. */
static bool h_savetxt(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kval *fv = arg(a, "fname"), *mv = arg(a, "fmt");
    if (fv->kind != KV_STR) return fe_err(p, fv->off, KILN_ERR_ARG, "savetxt(): takes a file name in quotes");
    size_t fl = strlen(fv->s); /* (NumPy compresses these: a plain file under the name would not load there) */
    if ((fl > 3 && !strcmp(fv->s + fl - 3, ".gz")) || (fl > 4 && !strcmp(fv->s + fl - 4, ".bz2")) || (fl > 3 && !strcmp(fv->s + fl - 3, ".xz")) ||
        (fl > 5 && !strcmp(fv->s + fl - 5, ".lzma")))
        return fe_err(p, fv->off, KILN_ERR_ARG, "savetxt(): kiln writes plain text, and NumPy would compress a file named %s: name it without the ending", fv->s);
    static const char *const strs[] = {"delimiter", "newline", "header", "footer", "comments"};
    const char *sv[5] = {" ", "\n", "", "", "# "};
    for (int k = 0; k < 5; k++) {
        kval *v = arg(a, strs[k]);
        if (v->kind == KV_ABSENT || v->kind == KV_NONE) continue;
        if (v->kind != KV_STR) return fe_err(p, v->off, KILN_ERR_ARG, "savetxt(): %s must be a string", strs[k]);
        sv[k] = v->s;
    }
    kiln_expr *x = expr_of(p, f, a, "X");
    if (!x) return false;
    if (x->ndim == 0 || x->ndim > 2) {
        kiln_expr_free(x);
        return fe_err(p, arg(a, "X")->off, KILN_ERR_SHAPE, "Expected 1D or 2D array, got %dD array instead", x->ndim);
    }
    int64_t nr = x->shape[0], nc = x->ndim == 2 ? x->shape[1] : 1;
    /* the formats: one for every column, or one each; checked to be one %-conversion of a number */
    int nfmt = mv->kind == KV_LIST || mv->kind == KV_TUPLE ? mv->n : 1;
    bool ok = nfmt == 1 || nfmt == nc || fe_err(p, mv->off, KILN_ERR_ARG, "fmt has wrong number of %% formats:  %d", nfmt);
    const char *fmts[64];
    if (ok && nfmt > 64) ok = fe_err(p, mv->off, KILN_ERR_ARG, "savetxt(): at most 64 formats");
    for (int k = 0; ok && k < nfmt; k++) {
        const kval *m = mv->kind == KV_ABSENT ? NULL : nfmt > 1 || mv->kind == KV_LIST || mv->kind == KV_TUPLE ? &mv->items[k] : mv;
        fmts[k] = m ? m->s : "%.18e";
        if (m && m->kind != KV_STR) {
            ok = fe_err(p, m->off, KILN_ERR_ARG, "savetxt(): fmt must be a string of one %%-format, as '%%.6f'");
            break;
        }
        const char *c = strchr(fmts[k], '%'), *t = c ? c + 1 : NULL;
        while (t && *t && strchr("-+ 0#", *t)) t++;
        while (t && *t >= '0' && *t <= '9') t++;
        if (t && *t == '.') t++;
        while (t && *t >= '0' && *t <= '9') t++;
        if (!t || !*t || !strchr("dieEfFgG", *t) || strchr(t + 1, '%') || t - c > 12)
            ok = fe_err(p, m ? m->off : off, KILN_ERR_ARG, "savetxt(): fmt '%s' is not one %%-format of a number (d i e E f F g G)", fmts[k]);
    }
    kiln_array *r = ok ? value_now(p, x, arg(a, "X")->off) : NULL;
    kiln_expr_free(x);
    if (!r) return false;
    kstr b = {0};
    bool ok2 = true;
    for (int k = 2; k <= 3 && ok2; k++) { /* the header (k 2), the rows, the footer (3): comments first, and after each \n */
        if (k == 3) {
            kiln_dtype rd = kiln_array_dtype(r);
            for (int64_t i = 0; ok2 && i < nr; i++) {
                for (int64_t j = 0; ok2 && j < nc; j++) {
                    const char *q = (const char *)kiln_array_data(r) + i * kiln_array_strides(r)[0] + (r->ndim == 2 ? j * kiln_array_strides(r)[1] : 0);
                    if (j) kstr_puts(&b, sv[0]);
                    ok2 = text_of_value(p, ref_load(q, rd), rd, fmts[nfmt == 1 ? 0 : j], &b, off);
                }
                kstr_puts(&b, sv[1]);
            }
        }
        if (!sv[k][0] || !ok2) continue;
        kstr_puts(&b, sv[4]);
        for (const char *h = sv[k]; *h; h++) {
            if (*h == '\n') kstr_printf(&b, "\n%s", sv[4]);
            else kstr_printf(&b, "%c", *h);
        }
        kstr_puts(&b, sv[1]);
    }
    if (!ok2) {
        kstr_free(&b);
        kiln_array_free(r);
        return false;
    }
    kiln_array_free(r);
    if (b.oom) { /* (as save writes it: whole or not at all) */
        kstr_free(&b);
        return fe_err(p, fv->off, KILN_ERR_NOMEM, "savetxt(): out of memory");
    }
    fflush(stdout); /* (what was printed comes first, where the file is /dev/stdout) */
    ok = rt_write_file(p->ctx, fv->s, true, "", 0, b.s ? b.s : "", b.len) == KILN_OK;
    kstr_free(&b);
    if (!ok) return fe_got(p, NULL, fv->off);
    p->env->volatile_ = true;
    *out = (kval){.kind = KV_NONE, .off = off};
    return true;
}

/* np.array(object, dtype=None, *, copy=True, order='K', subok=False, ndmin=0, like=None) (f->op
 * 0) and np.asarray(object, dtype=None, order=None, *, device=None, copy=None, like=None) (1):
 * lists become arrays, arrays stay (cast by dtype=).  copy=None gives a name's array itself (its
 * memory kept) where no copy must be made, copy=False never copies (an error where it must);
 * order= gives the same values (kiln's results are C-ordered; 'F' of a 2-D array is a copy),
 * ndmin= puts axes of length 1 in front (a new array) */
static bool h_array(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kiln_expr *x = expr_of(p, f, a, "object");
    if (!x) return false;
    kiln_dtype dt;
    int copy = f->op == 1 ? -1 : 1; /* 1: always, -1: where it must, 0: never */
    bool b, ok = true;
    if (given_not_none(a, "copy")) ok = fe_arg_bool(p, arg(a, "copy"), f->name, "copy", &b), copy = b;
    else if (given(a, "copy")) copy = -1;
    kval *ov = arg(a, "order");
    char order = 'K';
    if (ok && given_not_none(a, "order")) {
        if (ov->kind != KV_STR) ok = fe_err(p, ov->off, KILN_ERR_DTYPE, "order must be str: 'C', 'F', 'A' or 'K'");
        else if (!ov->s[0] || ov->s[1] || !strchr("KACFkacf", ov->s[0])) ok = fe_err(p, ov->off, KILN_ERR_ARG, "order must be one of 'C', 'F', 'A', or 'K' (got '%s')", ov->s);
        else order = (char)toupper((unsigned char)ov->s[0]);
    }
    kval *dv = has(a, "device") ? arg(a, "device") : NULL;
    if (ok && dv && given_not_none(a, "device") && (dv->kind != KV_STR || strcmp(dv->s, "cpu")))
        ok = fe_err(p, dv->off, KILN_ERR_ARG, "Device not understood. Only \"cpu\" is allowed");
    int64_t ndmin = 0;
    if (ok && has(a, "ndmin") && given_not_none(a, "ndmin") && fe_arg_int(p, arg(a, "ndmin"), f->name, "ndmin", &ndmin) && ndmin > KILN_MAX_DIMS)
        ok = fe_err(p, arg(a, "ndmin")->off, KILN_ERR_ARG, "ndmin bigger than allowable number of dimensions NPY_MAXDIMS (=%d)", KILN_MAX_DIMS);
    ok = ok && !p->failed;
    const kval *ob = arg(a, "object"); /* (a list, a tuple or a number must be copied into an array; an array computed here need not) */
    bool alias = ob->alias, is_array = alias || (ob->kind == KV_ARRAY && !fe_is_py(ob) && ob->e->op != KILN_OP_CONST);
    int big = 0; /* order='F' of an array with two axes longer than 1: a copy (kiln's arrays are C-ordered) */
    for (int d = 0; d < x->ndim; d++) big += x->shape[d] > 1;
    bool can = ok && is_array && !(order == 'F' && big > 1) &&
               (!given_not_none(a, "dtype") || (fe_arg_dtype(p, arg(a, "dtype"), f->name, &dt) && dt == (kiln_dtype)x->dtype));
    if (ok && !p->failed && copy == 0 && !can)
        ok = fe_err(p, arg(a, "copy")->off, KILN_ERR_ARG, "Unable to avoid copy while creating an array as requested.");
    bool same = ok && copy != 1 && can && alias;
    kiln_expr *c = !ok || p->failed ? NULL : same ? kiln_expr_retain(x) : with_dtype(p, f, a, x);
    kiln_expr_free(x);
    if (!c) return false;
    if (ndmin > c->ndim && copy == 0) {
        kiln_expr_free(c);
        return fe_err(p, arg(a, "ndmin")->off, KILN_ERR_ARG, "kiln's ndmin= makes a new array (NumPy's, with copy=False, is a view): copy=False cannot be kept");
    }
    if (ndmin > c->ndim) { /* (a reshaped array: a new value, not the array itself) */
        int64_t shape[KILN_MAX_DIMS];
        int lead = (int)ndmin - c->ndim;
        for (int d = 0; d < ndmin; d++) shape[d] = d < lead ? 1 : c->shape[d - lead];
        kiln_expr *r = kiln_reshape(p->ctx, c, (int)ndmin, shape);
        kiln_expr_free(c);
        if (!(c = r)) return fe_got(p, NULL, off);
        same = false;
    }
    kval v = {.kind = KV_ARRAY, .e = c, .off = off, .alias = same};
    fe_make_strong(p, &v); /* np.array(3) is an array */
    *out = v;
    return true;
}

static bool h_cast(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kiln_expr *x = expr_of(p, f, a, a->names[0]);
    kiln_dtype dt = (kiln_dtype)f->op;
    if (x && has(a, "dtype") && given(a, "dtype") && !fe_arg_dtype(p, arg(a, "dtype"), f->name, &dt)) return result(p, out, NULL, off, 1, &x);
    if (x && !py_ints_fit(p, arg(a, a->names[0]), dt)) return result(p, out, NULL, off, 1, &x); /* int32([2**31]), int32(1e10) */
    return result(p, out, x ? kiln_cast(p->ctx, x, dt) : NULL, off, 1, &x);
}

/* float(x) int(x) bool(x): Python numbers, computed now; int(s, base) of a string */
static bool h_pyconv(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kval *v = arg(a, "x");
    if (has(a, "base") && given(a, "base")) {
        int64_t base;
        if (!fe_arg_int(p, arg(a, "base"), "int", "base", &base)) return false;
        if (base != 0 && (base < 2 || base > 36)) return fe_err(p, arg(a, "base")->off, KILN_ERR_ARG, "int() base must be >= 2 and <= 36, or 0");
        if (v->kind != KV_STR) return fe_err(p, v->kind == KV_ABSENT ? off : v->off, KILN_ERR_ARG, "int() can't convert non-string with explicit base");
        kval x = *v;
        memset(v, 0, sizeof *v);
        if (!fe_int_of_string(p, &x, (int)base)) return kval_free(p->ctx, &x), false;
        return *out = x, true;
    }
    if (v->kind == KV_ABSENT) return fe_set_expr(p, out, f->op == KILN_F64 ? kiln_scalar(p->ctx, 0) : f->op == KILN_I64 ? kiln_int(p->ctx, 0) : kiln_bool(p->ctx, 0), off);
    if (f->op == KILN_BOOL) {
        bool t;
        if (!fe_truth(p, v, &t)) return false;
        return fe_set_expr(p, out, kiln_bool(p->ctx, t), off);
    }
    kval x = *v;
    memset(v, 0, sizeof *v);
    if (!fe_to_py(p, &x, (kiln_dtype)f->op, off)) {
        kval_free(p->ctx, &x);
        return false;
    }
    *out = x;
    return true;
}

/* math.floor, math.ceil, math.trunc (f->op 0, 1, 2) of one number, and Python's round(x) (3,
 * halves to even): a Python int, as Python's */
static bool h_math_int(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kval *arg0 = &a->v[0], x = *arg0;
    memset(arg0, 0, sizeof x);
    if (!fe_to_py(p, &x, KILN_F64, off)) return kval_free(p->ctx, &x), false;
    double v, g;
    int64_t i;
    kiln_expr_scalar(x.e, &v, &i);
    kval_free(p->ctx, &x);
    g = f->op == 0 ? floor(v) : f->op == 1 ? ceil(v) : f->op == 2 ? trunc(v) : nearbyint(v);
    if (!fe_float_fits(g, KILN_I64))
        return fe_err(p, off, KILN_ERR_ARG, isnan(v) ? "cannot convert float NaN to integer" : isinf(v) ? "cannot convert float infinity to integer" : "%s(): too large for kiln's 64-bit integers", strchr(f->name, '.') ? strchr(f->name, '.') + 1 : f->name);
    return fe_set_expr(p, out, kiln_int(p->ctx, (int64_t)g), off);
}


/* The elements of arr from byte offset at along dims d.. as nested lists of Python numbers */
static bool list_of(parser *p, const kiln_array *arr, int d, int64_t at, size_t off, kval *out) {
    int nd = kiln_array_ndim(arr);
    const int64_t *shape = kiln_array_shape(arr), *strides = kiln_array_strides(arr);
    kiln_dtype dt = kiln_array_dtype(arr);
    if (d == nd) {
        const char *q = (const char *)kiln_array_data(arr) + at;
        kiln_expr *e = dt == KILN_F64 ? kiln_scalar(p->ctx, *(const double *)(const void *)q)
                       : dt == KILN_F32 ? kiln_scalar(p->ctx, *(const float *)(const void *)q)
                       : dt != KILN_BOOL ? kiln_int(p->ctx, kscalar_int(dt, ref_load(q, dt)))
                                         : kiln_bool(p->ctx, *(const uint8_t *)q != 0);
        return fe_set_expr(p, out, e, off);
    }
    if (shape[d] > INT_MAX) return fe_err(p, off, KILN_ERR_ARG, "tolist(): a dimension of %lld is too long for a list", (long long)shape[d]);
    kval *items = shape[d] ? kiln_calloc(p->ctx, (size_t)shape[d] * sizeof *items) : NULL;
    if (shape[d] && !fe_got(p, items, off)) return false;
    *out = (kval){.kind = KV_LIST, .off = off, .n = 0, .items = items};
    for (int64_t i = 0; i < shape[d]; i++, out->n++)
        if (!list_of(p, arr, d + 1, at + i * strides[d], off, &items[i])) {
            kval_free(p->ctx, out);
            return false;
        }
    return true;
}

/* x.tolist(): the values computed now, as Python lists of Python numbers */
static bool h_tolist(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kiln_expr *x = expr_of(p, f, a, "a");
    kiln_array *v = x ? value_now(p, x, off) : NULL;
    kiln_expr_free(x);
    bool ok = v && list_of(p, v, 0, 0, off, out);
    kiln_array_free(v);
    return ok;
}

/* x.item(), x.item(i) (of the flattened x), x.item(i, j, ...): one element as a Python number */
static bool h_item(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kval *at = arg(a, "args");
    int n = at->kind == KV_TUPLE ? at->n : 0;
    if (n == 1 && (at->items[0].kind == KV_TUPLE || at->items[0].kind == KV_LIST)) at = &at->items[0], n = at->n; /* x.item((i, j)) */
    if (n && arg(a, "a")->kind == KV_ARRAY) { /* the element first: x.ravel()[i] or x[i, j, ...] */
        kiln_expr *x = arg(a, "a")->e;
        if (n != 1 && n != x->ndim) return fe_err(p, off, KILN_ERR_ARG, "item(): incorrect number of indices for array");
        kiln_ix ix[KILN_MAX_DIMS];
        for (int k = 0; k < n; k++) {
            ix[k] = (kiln_ix){.kind = KILN_IX_INDEX};
            if (!fe_arg_int(p, &at->items[k], f->name, "args", &ix[k].index)) return false;
        }
        kiln_expr *flat = n == 1 && x->ndim != 1 ? kiln_ravel(p->ctx, x) : kiln_expr_retain(x);
        kiln_expr *e = flat ? kiln_index(p->ctx, flat, n, ix) : NULL;
        kiln_expr_free(flat);
        if (!fe_got(p, e, at->items[0].off)) return false;
        kval_free(p->ctx, arg(a, "a"));
        if (!fe_set_expr(p, arg(a, "a"), e, off)) return false;
    }
    kval x = *arg(a, "a");
    memset(arg(a, "a"), 0, sizeof x);
    kiln_dtype dt = x.kind == KV_ARRAY ? (kiln_dtype)x.e->dtype : KILN_F64;
    dt = dt == KILN_F32 ? KILN_F64 : dtype_is_int(dt) ? KILN_I64 : dt;
    if (!fe_to_py(p, &x, dt, off)) {
        kval_free(p->ctx, &x);
        return false;
    }
    *out = x;
    return true;
}

/* shape(a) ndim(a) size(a) len(a) */
enum { Q_SHAPE, Q_NDIM, Q_SIZE, Q_LEN };
static bool h_query(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kval *v = arg(a, "a");
    if (f->op == Q_LEN && (v->kind == KV_TUPLE || v->kind == KV_LIST)) return fe_set_expr(p, out, kiln_int(p->ctx, v->n), off);
    if (f->op == Q_LEN && v->kind == KV_STR) return fe_set_expr(p, out, kiln_int(p->ctx, fe_text_chars(v->s)), off); /* characters */
    kiln_expr *x = expr_of(p, f, a, "a");
    if (!x) return false;
    static const char *const attrs[] = {"shape", "ndim", "size"};
    if (f->op == Q_LEN) {
        int64_t n = x->ndim ? x->shape[0] : 0;
        bool ok = x->ndim ? fe_set_expr(p, out, kiln_int(p->ctx, n), off) : fe_err(p, off, KILN_ERR_ARG, "len() of unsized object");
        kiln_expr_free(x);
        return ok;
    }
    kval xv = {.kind = KV_ARRAY, .e = x, .off = off};
    bool ok = fe_attribute(p, &xv, attrs[f->op], off, out);
    kiln_expr_free(x);
    return ok;
}

/* set_printoptions(precision, threshold, edgeitems, linewidth, suppress): the session's print
 * options, as NumPy's (the others refused by name); None.  Run again each time. */
static bool h_set_printoptions(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    static const char *const other[] = {"nanstr", "infstr", "formatter", "sign", "floatmode", "legacy", "override_repr", NULL};
    for (int k = 0; other[k]; k++)
        if (given_not_none(a, other[k]) && !(!strcmp(other[k], "legacy") && arg(a, "legacy")->kind == KV_ARRAY && fe_is_py(arg(a, "legacy")) &&
                                             arg(a, "legacy")->e->dtype == KILN_BOOL && !arg(a, "legacy")->e->val.b)) /* (legacy=False: NumPy's default) */
            return fe_err(p, arg(a, other[k])->off, KILN_ERR_ARG, "set_printoptions(): kiln has precision, threshold, edgeitems, linewidth and suppress (not %s)", other[k]);
    if (!p->env->scope) return fe_err(p, off, KILN_ERR_ARG, "set_printoptions() needs a session (a scope) to set");
    fe_printopts po = *fe_scope_printopts(p->env->scope);
    int64_t v;
    double d;
    kiln_dtype dt;
    static const struct {
        const char *name;
        int64_t lo, hi;
    } ints[] = {{"precision", 0, FE_MAX_PRECISION}, {"edgeitems", 1, INT_MAX / 4}, {"linewidth", 1, INT_MAX / 4}};
    for (size_t k = 0; k < sizeof ints / sizeof *ints; k++) {
        if (!given_not_none(a, ints[k].name)) continue;
        kval *x = arg(a, ints[k].name);
        if (!fe_arg_int(p, x, f->name, ints[k].name, &v)) return false;
        if (v < ints[k].lo || v > ints[k].hi)
            return fe_err(p, x->off, KILN_ERR_ARG, "set_printoptions(): %s must be from %lld to %lld", ints[k].name, (long long)ints[k].lo, (long long)ints[k].hi);
        *(k == 0 ? &po.precision : k == 1 ? &po.edgeitems : &po.linewidth) = (int)v;
    }
    if (given_not_none(a, "threshold")) { /* a number; inf: never summarized */
        kval *x = arg(a, "threshold");
        if (!fe_arg_number(p, x, f->name, "threshold", &d, &v, &dt)) return false;
        if (dtype_is_float(dt) && isnan(d)) return fe_err(p, x->off, KILN_ERR_ARG, "threshold must be non-NAN, try sys.maxsize for untruncated representation");
        po.threshold = !dtype_is_float(dt) ? v : d >= 9.2e18 ? INT64_MAX : d <= -9.2e18 ? INT64_MIN : (int64_t)floor(d);
    }
    if (given_not_none(a, "suppress") && !fe_arg_bool(p, arg(a, "suppress"), f->name, "suppress", &po.suppress)) return false;
    fe_scope_set_printopts(p->env->scope, &po);
    p->env->volatile_ = true;
    *out = (kval){.kind = KV_NONE, .off = off};
    return true;
}

/* str(x) repr(x): the text print and the REPL show */
static bool h_text(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kstr b = {0};
    if (arg(a, "object")->kind != KV_ABSENT && !fe_text(p->ctx, fe_scope_printopts(p->env->scope), arg(a, "object"), f->op, &b)) {
        kstr_free(&b);
        return fe_got(p, NULL, off);
    }
    p->env->volatile_ = true;
    memset(out, 0, sizeof *out);
    out->kind = KV_STR;
    out->off = off;
    out->s = kiln_strdup(p->ctx, b.s ? b.s : "");
    kstr_free(&b);
    return fe_got(p, out->s, off);
}

/* A Python str result (text copied). */
static bool str_result(parser *p, const char *text, size_t off, kval *out) {
    memset(out, 0, sizeof *out);
    out->kind = KV_STR;
    out->off = off;
    out->s = kiln_strdup(p->ctx, text);
    return fe_got(p, out->s, off);
}

/* Python's chr, hex, oct and bin of an integer (f->op: 0, 16, 8, 2): chr's one character (as
 * UTF-8), the others' digits after a sign and 0x, 0o or 0b. */
static bool h_int_text(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    int64_t i;
    if (!fe_arg_int(p, &a->v[0], f->name, "i", &i)) return false;
    char b[80], *q = b + sizeof b;
    *--q = 0;
    if (f->op == 0) {
        if (i < 0 || i > 0x10FFFF) return fe_err(p, a->v[0].off, KILN_ERR_ARG, "chr() arg not in range(0x110000)");
        if (i == 0 || (i >= 0xD800 && i <= 0xDFFF)) /* (kiln's strings are UTF-8 without NUL) */
            return fe_err(p, a->v[0].off, KILN_ERR_ARG, "chr(%lld): kiln's strings hold no %s", (long long)i, i ? "surrogates" : "NUL character");
        uint32_t c = (uint32_t)i;
        char *w = b;
        if (c < 0x80) *w++ = (char)c;
        else if (c < 0x800) *w++ = (char)(0xC0 | c >> 6), *w++ = (char)(0x80 | (c & 63));
        else if (c < 0x10000) *w++ = (char)(0xE0 | c >> 12), *w++ = (char)(0x80 | (c >> 6 & 63)), *w++ = (char)(0x80 | (c & 63));
        else *w++ = (char)(0xF0 | c >> 18), *w++ = (char)(0x80 | (c >> 12 & 63)), *w++ = (char)(0x80 | (c >> 6 & 63)), *w++ = (char)(0x80 | (c & 63));
        *w = 0;
        return str_result(p, b, off, out);
    }
    uint64_t m = i < 0 ? 0 - (uint64_t)i : (uint64_t)i; /* (INT64_MIN's magnitude too) */
    do {
        *--q = "0123456789abcdef"[m % (uint64_t)f->op];
        m /= (uint64_t)f->op;
    } while (m);
    *--q = f->op == 16 ? 'x' : f->op == 8 ? 'o' : 'b';
    *--q = '0';
    if (i < 0) *--q = '-';
    return str_result(p, q, off, out);
}

/* Python's ord: the code point of a one-character str (UTF-8). */
static bool h_ord(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    KILN_UNUSED(f);
    const kval *c = &a->v[0];
    if (c->kind != KV_STR) return fe_err(p, c->off, KILN_ERR_ARG, "ord() expected a string of length 1");
    const unsigned char *s = (const unsigned char *)c->s;
    int64_t chars = 0, cp = 0;
    for (size_t k = 0; s[k]; k++)
        if ((s[k] & 0xC0) != 0x80) chars++;
    if (chars != 1) return fe_err(p, c->off, KILN_ERR_ARG, "ord() expected a character, but string of length %lld found", (long long)chars);
    int more = s[0] < 0x80 ? 0 : s[0] < 0xE0 ? 1 : s[0] < 0xF0 ? 2 : 3;
    cp = more == 0 ? s[0] : s[0] & (0x3F >> more);
    for (int k = 1; k <= more && s[k]; k++) cp = cp << 6 | (s[k] & 63);
    return fe_set_expr(p, out, kiln_int(p->ctx, cp), off);
}

/* math.log(x, base=None): NumPy's log (element-wise, as kiln's math functions are), and with a
 * base log(x) / log(base), Python's quotient */
static bool h_math_log(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    bool based = given_not_none(a, "base");
    kiln_expr *x[2] = {expr_of(p, f, a, "x"), NULL};
    if (!x[0] || (based && !(x[1] = expr_of(p, f, a, "base")))) return result(p, out, NULL, off, 2, x);
    kiln_expr *l[3] = {kiln_apply(p->ctx, KILN_OP_LOG, (kiln_expr *[]){x[0], NULL}), based ? kiln_apply(p->ctx, KILN_OP_LOG, (kiln_expr *[]){x[1], NULL}) : NULL, NULL};
    kiln_expr *r = !based ? kiln_expr_retain(l[0]) : l[0] && l[1] ? kiln_apply(p->ctx, KILN_OP_DIV, l) : NULL;
    kiln_expr_free(l[0]);
    kiln_expr_free(l[1]);
    return result(p, out, r, off, 2, x);
}

/* Python's pow(base, exp, mod) of three Python ints (pos, taken over): (base ** exp) % mod, taken
 * step by step (a negative exp: the inverse of base modulo mod), a Python int. */
static bool py_pow_mod(parser *p, kval *pos, size_t off, kval *out) {
    int64_t v[3];
    bool ok = true;
    for (int k = 0; ok && k < 3; k++)
        if (!fe_is_py(&pos[k]) || pos[k].e->dtype == KILN_F64)
            ok = fe_err(p, pos[k].off, KILN_ERR_ARG, "pow() 3rd argument not allowed unless all arguments are integers (np.pow's out= is a keyword here)");
        else v[k] = pos[k].e->dtype == KILN_BOOL ? pos[k].e->val.b : pos[k].e->val.i64;
    size_t at[3] = {pos[0].off, pos[1].off, pos[2].off};
    for (int k = 0; k < 3; k++) kval_free(p->ctx, &pos[k]);
    if (!ok) return false;
    if (v[2] == 0) return fe_err(p, at[2], KILN_ERR_ARG, "pow() 3rd argument cannot be 0");
    __int128 n = v[2] < 0 ? -(__int128)v[2] : v[2], b = ((__int128)v[0] % n + n) % n, r = 1 % n;
    if (v[1] < 0) { /* b's inverse modulo n (extended Euclid), where gcd(b, n) is 1 */
        __int128 g0 = n, g1 = b, s0 = 0, s1 = 1;
        while (g1) {
            __int128 q = g0 / g1, t = g0 - q * g1, u = s0 - q * s1;
            g0 = g1, g1 = t, s0 = s1, s1 = u;
        }
        if (g0 != 1) return fe_err(p, at[0], KILN_ERR_ARG, "base is not invertible for the given modulus");
        b = (s0 % n + n) % n;
    }
    for (unsigned __int128 e = v[1] < 0 ? -(__int128)v[1] : v[1]; e; e >>= 1, b = b * b % n)
        if (e & 1) r = r * b % n;
    if (v[2] < 0 && r) r -= n; /* (the result takes mod's sign, as Python's %) */
    return fe_set_expr(p, out, kiln_int(p->ctx, (int64_t)r), off);
}

/* math.factorial, math.gcd, math.lcm, math.comb, math.perm, math.isqrt (f->op 0..5) of Python
 * ints, as Python's, within kiln's 64-bit integers (a larger result is an error, not a wrap). */
static bool h_math_intfn(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    const char *fn = strchr(f->name, '.') + 1;
    int64_t x, y = f->op == 2; /* (gcd(a) is |a|, and so is lcm(a)) */
    bool has_b = f->op >= 1 && f->op <= 4 && a->v[1].kind != KV_ABSENT && a->v[1].kind != KV_NONE;
    if (!fe_arg_int(p, &a->v[0], fn, "a", &x) || (has_b && !fe_arg_int(p, &a->v[1], fn, "b", &y))) return false;
    if (f->op == 4 && !has_b) y = x; /* math.perm(n): n! */
    if ((f->op == 0 || f->op >= 3) && x < 0)
        return fe_err(p, a->v[0].off, KILN_ERR_ARG, f->op == 0 ? "factorial() not defined for negative values" : f->op == 5 ? "isqrt() argument must be nonnegative" : "%s() n must be a non-negative integer", fn);
    if ((f->op == 3 || f->op == 4) && y < 0) return fe_err(p, a->v[1].off, KILN_ERR_ARG, "%s() k must be a non-negative integer", fn);
    __int128 r = 1;
    bool big = false;
    if (f->op == 0) {
        for (int64_t k = 2; k <= x && !big; k++) big = (r *= k) > INT64_MAX;
    } else if (f->op == 1 || f->op == 2) { /* gcd, lcm: of magnitudes */
        __int128 u = x < 0 ? -(__int128)x : x, v = y < 0 ? -(__int128)y : y, g0 = u, g1 = v;
        while (g1) {
            __int128 t = g0 % g1;
            g0 = g1, g1 = t;
        }
        r = f->op == 1 ? g0 : g0 ? u / g0 * v : 0;
        big = r > INT64_MAX;
    } else if (f->op == 3 || f->op == 4) { /* comb(n, k), perm(n, k): 0 for k > n */
        if (y > x) r = 0;
        else if (f->op == 3) {
            int64_t k = y < x - y ? y : x - y;
            for (int64_t j = 1; j <= k && !big; j++) { /* r = C(x - k + j, j), exact at each step */
                r = r * (x - k + j) / j;
                big = r > INT64_MAX;
            }
        } else {
            for (int64_t j = 0; j < y && !big; j++) big = (r *= x - j) > INT64_MAX;
        }
    } else { /* isqrt */
        uint64_t q = (uint64_t)sqrt((double)x);
        while ((__int128)q * q > x) q--;
        while ((__int128)(q + 1) * (q + 1) <= x) q++;
        r = q;
    }
    if (big) return fe_err(p, off, KILN_ERR_ARG, "%s(): the result is too large for kiln's 64-bit integers", fn);
    return fe_set_expr(p, out, kiln_int(p->ctx, (int64_t)r), off);
}

static bool h_copy(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kiln_expr *x = expr_of(p, f, a, "a"); /* the array itself: a name bound to it gets a copy (run.c) */
    return result(p, out, x ? kiln_expr_retain(x) : NULL, off, 1, &x);
}

/* x.view(dtype=None): x itself, a view of its memory (a name bound to it writes through); another
 * dtype, a reinterpretation of its bytes, kiln does not have */
static bool h_view(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kval *x = arg(a, "a"), *dv = arg(a, "dtype");
    kiln_dtype dt;
    if (x->kind != KV_ARRAY) return fe_err(p, x->off, KILN_ERR_ARG, "%s(): of an array", f->name);
    if (given_not_none(a, "dtype") && (!fe_arg_dtype(p, dv, f->name, &dt) ||
                                       (dt != (kiln_dtype)x->e->dtype &&
                                        !fe_err(p, dv->off, KILN_ERR_DTYPE, "view(): kiln's views keep the dtype (%s); for the values as %s, astype", kiln_dtype_name((kiln_dtype)x->e->dtype), kiln_dtype_name(dt)))))
        return false;
    if (given_not_none(a, "type")) return fe_err(p, arg(a, "type")->off, KILN_ERR_ARG, "view(): kiln's arrays have one type (no type=)");
    return fe_kval_copy(p->ctx, out, x) || fe_got(p, NULL, off);
}

static bool h_statement(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    KILN_UNUSED(a);
    KILN_UNUSED(out);
    return fe_err(p, off, KILN_ERR_SYNTAX, "%s(...) is a statement; it cannot be part of an expression", f->name);
}

/* A new sequence (kind KV_LIST or KV_TUPLE) taking over n items */
static void seq_result(kval *out, kv_kind kind, kval *items, int n, size_t off) {
    *out = (kval){.kind = kind, .off = off, .n = n, .items = items};
}

/* range(stop), range(start, stop[, step]) in an expression: its numbers as a list (a for loop
 * goes over a range without making one) */
static bool h_range(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kval *args = arg(a, "args");
    int n = args->kind == KV_TUPLE ? args->n : 0;
    int64_t v[3] = {0, 0, 1};
    if (n < 1 || n > 3) return fe_err(p, off, KILN_ERR_ARG, "range expected 1 to 3 integer arguments, got %d", n);
    for (int i = 0; i < n; i++)
        if (!fe_arg_int(p, &args->items[i], f->name, n == 1 || i == 1 ? "stop" : i ? "step" : "start", &v[i])) return false;
    int64_t r0 = n == 1 ? 0 : v[0], r1 = n == 1 ? v[0] : v[1], step = n == 3 ? v[2] : 1;
    if (step == 0) return fe_err(p, args->items[2].off, KILN_ERR_ARG, "range() arg 3 must not be zero");
    /* how many, in exact integers (as a for loop's): the span over the step, rounded up */
    __int128 span = step > 0 ? (__int128)r1 - r0 : (__int128)r0 - r1, st = step > 0 ? step : -(__int128)step;
    __int128 count = span > 0 ? (span + st - 1) / st : 0;
    if (count > FE_MAX_ITEMS) return fe_err(p, off, KILN_ERR_ARG, "range(): more than %d numbers in a list (a for loop takes any range)", FE_MAX_ITEMS);
    int m = (int)count;
    kval *items = m ? kiln_calloc(p->ctx, (size_t)m * sizeof *items) : NULL;
    if (m && !fe_got(p, items, off)) return false;
    for (int i = 0; i < m; i++)
        if (!fe_set_expr(p, &items[i], kiln_int(p->ctx, (int64_t)((__int128)r0 + (__int128)i * step)), off)) {
            for (int k = 0; k < i; k++) kval_free(p->ctx, &items[k]);
            kiln_free(p->ctx, items);
            return false;
        }
    seq_result(out, KV_LIST, items, m, off);
    return true;
}

/* list(iterable), tuple(iterable): the items, as Python iterates them (an array's rows) */
static bool h_sequence(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kval *items = NULL;
    int n = 0;
    if (given(a, "iterable") && !fe_items(p, arg(a, "iterable"), &items, &n)) return false;
    seq_result(out, f->op ? KV_TUPLE : KV_LIST, items, n, off);
    return true;
}

/* sorted(iterable, reverse=False): a list of the items in Python's order (a stable merge sort
 * by <; reverse keeps equal items in their order too); reversed(seq): a list of the items last
 * first (Python's iterator, as list() or a for loop reads it) */
static bool h_sorted(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kval *items = NULL, *tmp = NULL;
    int n = 0;
    bool reverse = false, ok = true;
    if (f->op == 0 && given_not_none(a, "key"))
        return fe_err(p, arg(a, "key")->off, KILN_ERR_ARG, "sorted(): key= is not supported (sort the keys, or use argsort)");
    if ((f->op == 0 && given(a, "reverse") && !fe_arg_bool(p, arg(a, "reverse"), f->name, "reverse", &reverse)) ||
        !fe_items(p, arg(a, f->op ? "seq" : "iterable"), &items, &n))
        return false;
    if (f->op) { /* reversed */
        for (int i = 0; i < n / 2; i++) {
            kval t = items[i];
            items[i] = items[n - 1 - i], items[n - 1 - i] = t;
        }
    } else if (n > 1) {
        ok = fe_got(p, tmp = kiln_calloc(p->ctx, (size_t)n * sizeof *tmp), off);
        for (int w = 1; ok && w < n; w *= 2) /* bottom-up: runs of w merged into tmp, then back */
            for (int lo = 0; ok && lo < n; lo += 2 * w) {
                int mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n, i = lo, j = mid, k = lo;
                while (ok && i < mid && j < hi) {
                    bool take_right;
                    ok = fe_item_compare(p, KILN_OP_LT, reverse ? &items[i] : &items[j], reverse ? &items[j] : &items[i], off, &take_right);
                    tmp[k++] = ok && take_right ? items[j++] : items[i++];
                }
                while (i < mid) tmp[k++] = items[i++];
                while (j < hi) tmp[k++] = items[j++];
                memcpy(items + lo, tmp + lo, (size_t)(hi - lo) * sizeof *items);
            }
        kiln_free(p->ctx, tmp);
    }
    if (!ok) {
        for (int i = 0; i < n; i++) kval_free(p->ctx, &items[i]);
        kiln_free(p->ctx, items);
        return false;
    }
    seq_result(out, KV_LIST, items, n, off);
    return true;
}

/* xs.index(value) and xs.count(value) of a list or tuple: the first position of an item equal to
 * value (Python's ValueError if none), the number of them (== as Python compares items) */
/* The first item of sequence s equal to v (*first, or -1) and, with all, how many are */
static bool seq_find(parser *p, const kval *s, const kval *v, bool all, size_t off, int64_t *first, int64_t *count) {
    *first = -1, *count = 0;
    for (int i = 0; i < s->n && (all || *first < 0); i++) {
        bool eq = fe_same_object(&s->items[i], v); /* (identity first, as Python's) */
        if (!eq && !fe_item_compare(p, KILN_OP_EQ, &s->items[i], v, off, &eq)) return false;
        if (eq && *first < 0) *first = i;
        *count += eq;
    }
    return true;
}

bool fe_list_find(kiln_ctx *ctx, fe_env *env, const kval *xs, const kval *v, int64_t *pos) {
    parser p = {.ctx = ctx, .env = env};
    int64_t count;
    return seq_find(&p, xs, v, false, 0, pos, &count) && !p.failed;
}

static bool h_seq_find(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    const kval *s = arg(a, "a"), *v = arg(a, "value");
    if (s->kind != KV_LIST && s->kind != KV_TUPLE)
        return fe_err(p, off, KILN_ERR_NAME, "%s has no method '%s'", s->kind == KV_ARRAY ? "an array" : "this value", f->name);
    int64_t count, first, lo = 0, hi = s->n;
    if (!f->op && given(a, "start") && !fe_arg_int(p, arg(a, "start"), "index", "start", &lo)) return false;
    if (!f->op && given_not_none(a, "stop") && !fe_arg_int(p, arg(a, "stop"), "index", "stop", &hi)) return false;
    lo = lo < 0 ? (lo + s->n < 0 ? 0 : lo + s->n) : lo > s->n ? s->n : lo; /* (Python's clamped slice bounds) */
    hi = hi < 0 ? (hi + s->n < 0 ? 0 : hi + s->n) : hi > s->n ? s->n : hi;
    kval part = *s; /* xs[lo:hi], not owned */
    part.items += lo, part.n = hi > lo ? (int)(hi - lo) : 0;
    if (!seq_find(p, &part, v, f->op, off, &first, &count)) return false;
    if (!f->op && first < 0) return fe_err(p, off, KILN_ERR_ARG, "%s.index(x): x not in %s", s->kind == KV_LIST ? "list" : "tuple", s->kind == KV_LIST ? "list" : "tuple");
    return fe_set_expr(p, out, kiln_int(p->ctx, f->op ? count : first + lo), off);
}

/* zip(*iterables): a list of tuples, as long as the shortest; enumerate(iterable, start=0): a
 * list of (count, item) */
static bool h_zip(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    bool en = f->op;
    int64_t start = 0;
    kval *src = en ? arg(a, "iterable") : arg(a, "iterables");
    int k = en ? 1 : src->kind == KV_TUPLE ? src->n : 0, m = INT32_MAX;
    if (en && given(a, "start") && !fe_arg_int(p, arg(a, "start"), f->name, "start", &start)) return false;
    if (k > 16) return fe_err(p, off, KILN_ERR_ARG, "zip(): at most 16 iterables");
    kval *parts[16] = {0};
    int len[16] = {0};
    bool ok = true;
    bool strict = false;
    if (!en && given(a, "strict") && !fe_arg_bool(p, arg(a, "strict"), f->name, "strict", &strict)) return false;
    for (int i = 0; ok && i < k; i++) {
        ok = fe_items(p, en ? src : &src->items[i], &parts[i], &len[i]);
        if (ok && len[i] < m) m = len[i];
    }
    int first = 0, other = 0; /* strict: Python's lockstep, m items in: the first argument out of items, or one left over */
    while (ok && strict && first < k && len[first] != m) first++;
    if (ok && strict && first == 0)
        for (other = 1; other < k && len[other] == m; other++) {}
    if (ok && strict && (first > 0 || other < k)) {
        int j = first > 0 ? first : other; /* (0-based: Python counts from 1) */
        char others[32];
        snprintf(others, sizeof others, j == 1 ? "argument 1" : "arguments 1-%d", j);
        ok = fe_err(p, src->items[j].off, KILN_ERR_ARG, "zip() argument %d is %s than %s", j + 1, first > 0 ? "shorter" : "longer", others);
    }
    if (!k) m = 0;
    kval *rows = ok && m ? kiln_calloc(p->ctx, (size_t)m * sizeof *rows) : NULL;
    ok = ok && (!m || fe_got(p, rows, off));
    int w = k + en, made = 0;
    for (; ok && made < m; made++) {
        kval *t = kiln_calloc(p->ctx, (size_t)w * sizeof *t);
        if (!(ok = fe_got(p, t, off))) break;
        if (en && !(ok = fe_set_expr(p, &t[0], kiln_int(p->ctx, start + made), off))) {
            kiln_free(p->ctx, t);
            break;
        }
        for (int i = 0; i < k; i++) t[en + i] = parts[i][made], memset(&parts[i][made], 0, sizeof parts[i][made]);
        seq_result(&rows[made], KV_TUPLE, t, w, off);
    }
    for (int i = 0; i < k; i++) {
        for (int j = 0; j < len[i]; j++) kval_free(p->ctx, &parts[i][j]);
        kiln_free(p->ctx, parts[i]);
    }
    if (!ok) {
        for (int j = 0; j < made; j++) kval_free(p->ctx, &rows[j]);
        kiln_free(p->ctx, rows);
        return false;
    }
    seq_result(out, KV_LIST, rows, m, off);
    return true;
}

/* Python's slice(stop), slice(start, stop[, step]): a slice value (x[slice(1, None)] is x[1:]) */
static bool h_slice(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kval *args = arg(a, "args");
    int n = args->kind == KV_TUPLE ? args->n : 0;
    if (n < 1 || n > 3) return fe_err(p, off, KILN_ERR_ARG, "slice expected %s argument%s, got %d", n < 1 ? "at least 1" : "at most 3", n < 1 ? "" : "s", n);
    kval part[3];
    memset(part, 0, sizeof part);
    for (int k = 0; k < 3; k++) part[k].kind = KV_ABSENT;
    for (int k = 0; k < n; k++) part[n == 1 ? 1 : k] = args->items[k], memset(&args->items[k], 0, sizeof args->items[k]);
    KILN_UNUSED(f);
    return fe_slice_of(p, part, 3, off, out);
}

/* ndindex(*shape): every index tuple of shape in C order; ndenumerate(arr): (index, item) pairs
 * of arr's elements (NumPy scalars, read now), as lists for a for loop */
static bool h_ndindex(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    int nd = 0;
    int64_t shape[KILN_MAX_DIMS], total = 1;
    kval flat = {0}, *vals = NULL;
    int nvals = 0;
    if (f->op == 0) {
        kval *sv = arg(a, "shape");
        if (sv->kind == KV_TUPLE && sv->n > 0 && !fe_arg_shape(p, sv, f->name, "shape", &nd, shape)) return false;
    } else {
        kiln_expr *x = expr_of(p, f, a, "arr");
        if (!x) return false;
        nd = x->ndim;
        memcpy(shape, x->shape, (size_t)nd * sizeof *shape);
        bool ok = fe_set_expr(p, &flat, kiln_ravel(p->ctx, x), off);
        kiln_expr_free(x);
        if (!ok || !fe_items(p, &flat, &vals, &nvals)) return kval_free(p->ctx, &flat), false;
        kval_free(p->ctx, &flat);
    }
    for (int d = 0; d < nd; d++) {
        if (shape[d] < 0) return fe_err(p, off, KILN_ERR_ARG, "negative dimensions are not allowed");
        total = shape[d] && total > FE_MAX_ITEMS / shape[d] ? FE_MAX_ITEMS + 1 : total * shape[d];
    }
    bool ok = total <= FE_MAX_ITEMS || fe_err(p, off, KILN_ERR_ARG, "%s(): more than %d indices", f->name, FE_MAX_ITEMS);
    kval *rows = ok && total ? kiln_calloc(p->ctx, (size_t)total * sizeof *rows) : NULL;
    ok = ok && (!total || fe_got(p, rows, off));
    int64_t made = 0, at[KILN_MAX_DIMS] = {0};
    for (; ok && made < total; made++) {
        kval *ix = nd ? kiln_calloc(p->ctx, (size_t)nd * sizeof *ix) : NULL;
        ok = !nd || fe_got(p, ix, off);
        for (int d = 0; ok && d < nd; d++) ok = fe_set_expr(p, &ix[d], kiln_int(p->ctx, at[d]), off);
        if (!ok) {
            for (int d = 0; ix && d < nd; d++) kval_free(p->ctx, &ix[d]);
            kiln_free(p->ctx, ix);
            break;
        }
        kval idx;
        seq_result(&idx, KV_TUPLE, ix, nd, off);
        if (f->op == 0) {
            rows[made] = idx;
        } else {
            kval *pair = kiln_calloc(p->ctx, 2 * sizeof *pair);
            if (!(ok = fe_got(p, pair, off))) {
                kval_free(p->ctx, &idx);
                break;
            }
            pair[0] = idx, pair[1] = vals[made], memset(&vals[made], 0, sizeof vals[made]);
            seq_result(&rows[made], KV_TUPLE, pair, 2, off);
        }
        for (int d = nd - 1; d >= 0 && ++at[d] == shape[d]; d--) at[d] = 0;
    }
    for (int i = 0; i < nvals; i++) kval_free(p->ctx, &vals[i]);
    kiln_free(p->ctx, vals);
    if (!ok) {
        for (int64_t j = 0; j < made; j++) kval_free(p->ctx, &rows[j]);
        kiln_free(p->ctx, rows);
        return false;
    }
    seq_result(out, KV_LIST, rows, (int)total, off);
    return true;
}

/* ------------------------------------------------------------------ NumPy's compositions */

/* np.dot with an operand of 3 dims or more: a sum over the last axis of a and the second-to-last
 * of b (b's only one when it is 1-D); the result's dims are a's others, then b's others.  As
 * one product: a's other dims flattened into rows, b's into columns. */
static kiln_expr *dot_nd(parser *p, kiln_expr *a, kiln_expr *b, size_t off) {
    int kb = b->ndim >= 2 ? b->ndim - 2 : 0, nd = 0;
    int64_t K = a->shape[a->ndim - 1], rows = 1, cols = 1, shape[2 * KILN_MAX_DIMS];
    if (K != b->shape[kb]) {
        rt_shape_text sa = rt_shape_str(a->ndim, a->shape), sb = rt_shape_str(b->ndim, b->shape);
        fe_err(p, off, KILN_ERR_SHAPE, "shapes %s and %s not aligned: %lld (dim %d) != %lld (dim %d)", sa.s, sb.s, (long long)K,
               a->ndim - 1, (long long)b->shape[kb], kb);
        return NULL;
    }
    for (int d = 0; d < a->ndim - 1; d++) rows *= shape[nd++] = a->shape[d];
    int ax[KILN_MAX_DIMS] = {kb};
    for (int d = 0, j = 1; d < b->ndim; d++)
        if (d != kb) cols *= shape[nd++] = b->shape[d], ax[j++] = d;
    if (nd > KILN_MAX_DIMS) {
        fe_err(p, off, KILN_ERR_SHAPE, "dot(): the result would have %d dims; kiln's arrays have at most %d", nd, KILN_MAX_DIMS);
        return NULL;
    }
    tmps t = {0};
    kiln_expr *a2 = keep(&t, kiln_reshape(p->ctx, a, 2, (int64_t[]){rows, K}));
    kiln_expr *bt = keep(&t, kiln_permute(p->ctx, b, ax));
    kiln_expr *b2 = keep(&t, kiln_reshape(p->ctx, bt, 2, (int64_t[]){K, cols}));
    kiln_expr *r = keep(&t, ir_matmul_flags(&p->ctx->graph, a2, b2, IR_MATMUL_COPIES));
    r = kiln_reshape(p->ctx, r, nd, shape);
    tmps_free(&t);
    return r;
}

/* A new int64 array [(i / div) % mod for i < n] (mod <= 0: no modulo) as an expression (kept in
 * t): the index of a take that repeats, tiles or broadcasts. */
static kiln_expr *index_expr(parser *p, tmps *t, int64_t n, int64_t div, int64_t mod) {
    kiln_array *r = kiln_array_new(p->ctx, KILN_I64, 1, &n);
    if (!r) return NULL;
    int64_t *d = (int64_t *)r->data;
    for (int64_t i = 0; i < n; i++) d[i] = mod > 0 ? i / div % mod : i / div;
    kiln_expr *e = kiln_var(p->ctx, r);
    kiln_array_free(r);
    return keep(t, e);
}
/* x taken along axis at index_expr(n, div, mod). */
static kiln_expr *take_index(parser *p, tmps *t, kiln_expr *x, int axis, int64_t n, int64_t div, int64_t mod) {
    return keep(t, kiln_take(p->ctx, x, index_expr(p, t, n, div, mod), axis));
}
/* x with leading dims of length 1 up to nd dims (a view). */
static kiln_expr *lift(parser *p, tmps *t, kiln_expr *x, int nd) {
    if (!x || x->ndim >= nd) return x;
    int64_t shape[KILN_MAX_DIMS];
    int lead = nd - x->ndim;
    for (int d = 0; d < nd; d++) shape[d] = d < lead ? 1 : x->shape[d - lead];
    return keep(t, kiln_reshape(p->ctx, x, nd, shape));
}
/* (nd, shape) and x's shape broadcast together, NumPy's rule, into (nd, shape); false (nothing
 * changed) where they do not broadcast. */
bool fe_merge_shape(int *nd, int64_t *shape, const kiln_expr *x) {
    int n = x->ndim > *nd ? x->ndim : *nd, pu = n - *nd, pw = n - x->ndim;
    int64_t merged[KILN_MAX_DIMS];
    for (int d = 0; d < n; d++) {
        int64_t u = d >= pu ? shape[d - pu] : 1, w = d >= pw ? x->shape[d - pw] : 1;
        if (u != w && u != 1 && w != 1) return false;
        merged[d] = u == 1 ? w : u;
    }
    memcpy(shape, merged, (size_t)n * sizeof *merged);
    *nd = n;
    return true;
}
/* x broadcast to shape (nd dims), each stretched dim a take of index 0: the values exactly;
 * NULL with an error at off when it cannot be. */
kiln_expr *fe_broadcast_to(parser *p, tmps *t, kiln_expr *x, int nd, const int64_t *shape, const char *fn, size_t off) {
    if (!x) return NULL;
    if (x->ndim > nd) {
        fe_err(p, off, KILN_ERR_SHAPE, "%s(): cannot broadcast a %d-d array to %d dimensions", fn, x->ndim, nd);
        return NULL;
    }
    int lead = nd - x->ndim;
    for (int d = lead; d < nd; d++)
        if (x->shape[d - lead] != shape[d] && x->shape[d - lead] != 1) {
            fe_err(p, off, KILN_ERR_SHAPE, "%s(): cannot broadcast dimension %d of length %lld to %lld", fn, d,
                   (long long)x->shape[d - lead], (long long)shape[d]);
            return NULL;
        }
    /* a view with stride 0 where x has length 1 (a gather by an index array of the new length
     * was as big as that length: broadcast_to(ones(1), (10**9, 10**9)) ran out of memory) */
    return keep(t, ir_broadcast_to(&p->ctx->graph, x, nd, shape));
}

/* diff's a with prepend= and append= joined along axis ax, as NumPy's (a scalar of them
 * broadcast to length 1 along it, a Python number in its default dtype, as np.asanyarray);
 * takes x. */
static kiln_expr *diff_joined(parser *p, const fe_fn *f, fe_args *a, kiln_expr *x, int ax, size_t off) {
    tmps t = {0};
    kiln_expr *parts[3];
    int n = 0;
    keep(&t, x);
    for (int w = 0; w < 3; w++) {
        const char *name = w == 0 ? "prepend" : w == 2 ? "append" : NULL;
        if (name && !given_not_none(a, name)) continue;
        kiln_expr *e = name ? keep(&t, fe_arg_expr(p, arg(a, name), f->name, name)) : x;
        if (e && e->ndim == 0) {
            int64_t shape[KILN_MAX_DIMS];
            memcpy(shape, x->shape, (size_t)x->ndim * sizeof *shape);
            shape[ax] = 1;
            if (e->op == KILN_OP_CONST && e->weak) e = keep(&t, ir_const(&p->ctx->graph, (kiln_dtype)e->dtype, e->val, false));
            e = fe_broadcast_to(p, &t, e, x->ndim, shape, f->name, off);
        }
        if (!e) {
            tmps_free(&t);
            return NULL;
        }
        parts[n++] = e;
    }
    kiln_expr *r = kiln_concatenate(p->ctx, n, parts, ax);
    if (!r) fe_got(p, NULL, off);
    tmps_free(&t);
    return r;
}

/* diff(a, n=1, axis=-1): a[..., 1:] - a[..., :-1] along axis, n times (prepend and append joined first) */
static bool h_diff(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kiln_expr *x = expr_of(p, f, a, "a");
    int64_t n = 1, axis = -1;
    if (!x || (given(a, "n") && !fe_arg_int(p, arg(a, "n"), f->name, "n", &n)) ||
        (given(a, "axis") && !fe_arg_int(p, arg(a, "axis"), f->name, "axis", &axis)))
        return result(p, out, NULL, off, 1, &x);
    if (n != 0 && (x->ndim == 0 || axis < -x->ndim || axis >= x->ndim || n < 0)) { /* NumPy's words (n=0: a itself, before any check of a) */
        int nd = x->ndim;
        kiln_expr_free(x);
        if (nd == 0) return fe_err(p, off, KILN_ERR_ARG, "diff requires input that is at least one dimensional");
        if (n < 0) return fe_err(p, arg(a, "n")->off, KILN_ERR_ARG, "order must be non-negative but got %lld", (long long)n);
        return fe_err(p, arg(a, "axis")->off, KILN_ERR_ARG, "axis %lld is out of bounds for array of dimension %d", (long long)axis, nd);
    }
    int ax = n == 0 ? 0 : (int)(axis < 0 ? axis + x->ndim : axis);
    if (n > 0 && (given_not_none(a, "prepend") || given_not_none(a, "append")) && !(x = diff_joined(p, f, a, x, ax, off))) return false;
    for (int64_t k = 0; k < n && x; k++) {
        kiln_ix hi[KILN_MAX_DIMS], lo[KILN_MAX_DIMS];
        for (int d = 0; d < x->ndim; d++) hi[d] = lo[d] = (kiln_ix){.kind = KILN_IX_SLICE};
        hi[ax] = (kiln_ix){.kind = KILN_IX_SLICE, .start = 1, .flags = KILN_IX_HAS_START};
        lo[ax] = (kiln_ix){.kind = KILN_IX_SLICE, .stop = -1, .flags = KILN_IX_HAS_STOP};
        kiln_expr *u = kiln_index(p->ctx, x, x->ndim, hi), *v = kiln_index(p->ctx, x, x->ndim, lo);
        kiln_expr *d = u && v ? (x->dtype == KILN_BOOL ? kiln_ne(p->ctx, u, v) : kiln_sub(p->ctx, u, v)) : NULL;
        kiln_expr_free(u);
        kiln_expr_free(v);
        kiln_expr_free(x);
        x = d;
    }
    kval av = *arg(a, "a");
    bool ok = fe_set_expr(p, out, x, off);
    if (ok && n == 0) out->alias = av.alias, fe_view_readonly(out, &av); /* (n=0: a itself, as NumPy's) */
    return ok;
}
/* x[lo:hi] along axis (a view). */
static kiln_expr *slice_along(parser *p, tmps *t, kiln_expr *x, int axis, int64_t lo, int64_t hi, int64_t step) {
    kiln_ix ix[KILN_MAX_DIMS];
    for (int d = 0; d < x->ndim; d++) ix[d] = (kiln_ix){.kind = KILN_IX_SLICE};
    ix[axis] = (kiln_ix){.kind = KILN_IX_SLICE, .start = lo, .stop = hi, .step = step,
                         .flags = (step > 0 ? KILN_IX_HAS_START | KILN_IX_HAS_STOP : 0) | KILN_IX_HAS_STEP};
    return keep(t, kiln_index(p->ctx, x, x->ndim, ix));
}
/* The value of a Python number argument, as a weak float (a Python int becomes a float, as
 * isclose's y does). */
static kiln_expr *as_float(parser *p, tmps *t, kiln_expr *x) {
    double f;
    int64_t i;
    if (!x || x->ndim || x->op != KILN_OP_CONST || !x->weak) return x;
    kiln_expr_scalar(x, &f, &i);
    return keep(t, kiln_scalar(p->ctx, f));
}

/* isnan(x) & isnan(y) */
static kiln_expr *both_nan(parser *p, tmps *t, kiln_expr *x, kiln_expr *y) {
    return keep(t, kiln_and(p->ctx, keep(t, kiln_isnan(p->ctx, x)), keep(t, kiln_isnan(p->ctx, y))));
}
/* 0 in dtype dt (a strong constant: it never changes where's dtype) */
static kiln_expr *zero_of(parser *p, tmps *t, kiln_dtype dt) {
    return keep(t, kiln_cast(p->ctx, keep(t, kiln_int(p->ctx, 0)), dt));
}
/* bool(op(e)) over every axis, op ALL or ANY, computed now */
static bool truth_now(parser *p, tmps *t, kiln_op op, kiln_expr *e, size_t off, bool *out) {
    kval v = {.kind = KV_ARRAY, .e = keep(t, kiln_reduce(p->ctx, op, e, KILN_ALL_AXES, 0)), .off = off};
    return v.e && fe_truth(p, &v, out);
}

/* isclose(a, b, rtol, atol, equal_nan) as NumPy 2 computes it:
 *   (|a - b| <= atol + rtol * |b|) & isfinite(b) | (a == b)   [| isnan(a) & isnan(b)]
 * with b in float (float32 stays); allclose: bool(all(isclose(...))), computed now. */
static bool h_isclose(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    bool equal_nan = false;
    kiln_expr *x = keep(&t, expr_of(p, f, a, "a")), *y = x ? keep(&t, expr_of(p, f, a, "b")) : NULL;
    kiln_expr *rtol = y ? keep(&t, given(a, "rtol") ? expr_of(p, f, a, "rtol") : kiln_scalar(c, 1e-5)) : NULL;
    kiln_expr *atol = rtol ? keep(&t, given(a, "atol") ? expr_of(p, f, a, "atol") : kiln_scalar(c, 1e-8)) : NULL;
    if (!atol || (given(a, "equal_nan") && !fe_arg_bool(p, arg(a, "equal_nan"), f->name, "equal_nan", &equal_nan))) {
        tmps_free(&t);
        return false;
    }
    if (y->op == KILN_OP_CONST && y->weak) y = as_float(p, &t, y);
    else if (y->dtype != KILN_F32 && y->dtype != KILN_F64) y = keep(&t, kiln_cast(c, y, KILN_F64));
    kiln_expr *close = keep(&t, kiln_le(c, keep(&t, kiln_abs(c, keep(&t, kiln_sub(c, x, y)))),
                                        keep(&t, kiln_add(c, atol, keep(&t, kiln_mul(c, rtol, keep(&t, kiln_abs(c, y))))))));
    kiln_expr *r = keep(&t, kiln_or(c, keep(&t, kiln_and(c, close, keep(&t, kiln_isfinite(c, y)))), keep(&t, kiln_eq(c, x, y))));
    if (equal_nan) r = keep(&t, kiln_or(c, r, both_nan(p, &t, x, y)));
    if (!f->op || !r) return done(p, &t, out, r, off);
    bool truth;
    if (!truth_now(p, &t, KILN_OP_ALL, r, off, &truth)) return done(p, &t, out, NULL, off);
    tmps_free(&t);
    return fe_set_expr(p, out, kiln_bool(c, truth), off);
}

/* array_equal(a1, a2, equal_nan=False): False when the shapes differ, else bool(all(a1 == a2))
 * (NaN against NaN equal with equal_nan), computed now */
static bool h_array_equal(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    bool equal_nan = false, truth = false;
    kiln_expr *x = keep(&t, expr_of(p, f, a, "a1")), *y = x ? keep(&t, expr_of(p, f, a, "a2")) : NULL;
    if (!y || (has(a, "equal_nan") && given(a, "equal_nan") && !fe_arg_bool(p, arg(a, "equal_nan"), f->name, "equal_nan", &equal_nan))) {
        tmps_free(&t);
        return false;
    }
    bool fits = ir_same_shape(x, y);
    if (f->op) { /* array_equiv: shapes that broadcast */
        fits = true;
        for (int d = 1; d <= x->ndim && d <= y->ndim; d++)
            fits &= x->shape[x->ndim - d] == y->shape[y->ndim - d] || x->shape[x->ndim - d] == 1 || y->shape[y->ndim - d] == 1;
    }
    if (fits) {
        kiln_expr *eq = keep(&t, kiln_eq(c, x, y));
        if (equal_nan && dtype_is_float((kiln_dtype)x->dtype) && dtype_is_float((kiln_dtype)y->dtype))
            eq = keep(&t, kiln_or(c, eq, both_nan(p, &t, x, y)));
        if (!truth_now(p, &t, KILN_OP_ALL, eq, off, &truth)) return done(p, &t, out, NULL, off);
    }
    tmps_free(&t);
    return fe_set_expr(p, out, kiln_bool(c, truth), off);
}

static bool ints_of(parser *p, const fe_fn *f, const kval *v, const char *param, int64_t *vals, int *n, int cap);
static kiln_expr *pick_along(parser *p, tmps *t, kiln_expr *x, int axis, int64_t *pick, int64_t len);
static bool axis_in(parser *p, const kval *v, const char *fn, const char *param, int nd, int *axis);

/* NAME(xs[0], ..., xs[n - 1]) as a call written in the program makes it (new references to the
 * arrays; kw, nkw: its keywords, taken over): its value into out, false after an error. */
static bool call_exprs(parser *p, const char *name, int n, kiln_expr *const *xs, fe_kwarg *kw, int nkw, size_t off, kval *out) {
    kval pos[4] = {{0}};
    KILN_ASSERT(n <= 4);
    bool ok = true;
    for (int k = 0; k < n && ok; k++) ok = fe_set_expr(p, &pos[k], kiln_expr_retain(xs[k]), off);
    if (ok) return fe_call(p, name, off, NULL, pos, n, kw, nkw, out);
    for (int k = 0; k < n; k++) kval_free(p->ctx, &pos[k]);
    for (int k = 0; k < nkw; k++) kval_free(p->ctx, &kw[k].v);
    return false;
}
/* NAME(x)'s array, kept in t; NULL after an error. */
static kiln_expr *call_expr(parser *p, tmps *t, const char *name, kiln_expr *x, size_t off) {
    kval r = {0};
    if (!x || !call_exprs(p, name, 1, &x, NULL, 0, off, &r)) return NULL;
    kiln_expr *e = r.kind == KV_ARRAY ? keep(t, kiln_expr_retain(r.e)) : NULL;
    kval_free(p->ctx, &r);
    return e;
}

/* vdot(a, b): dot of a and b ravelled */
static bool h_vdot(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_expr *x = keep(&t, expr_of(p, f, a, "a")), *y = x ? keep(&t, expr_of(p, f, a, "b")) : NULL;
    x = y ? keep(&t, kiln_ravel(p->ctx, x)) : NULL, y = x ? keep(&t, kiln_ravel(p->ctx, y)) : NULL;
    if (x && y && x->shape[0] != y->shape[0]) /* (NumPy's words: it reshapes b to a's length) */
        return tmps_free(&t), fe_err(p, off, KILN_ERR_SHAPE, "cannot reshape array of size %lld into shape (%lld,)", (long long)y->shape[0], (long long)x->shape[0]);
    bool ok = y && call_exprs(p, "dot", 2, (kiln_expr *[]){x, y}, NULL, 0, off, out);
    tmps_free(&t);
    return ok || fe_got(p, NULL, off);
}

/* float_power(x1, x2): x1 ** x2 with both at least float64 */
static bool h_float_power(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_expr *x = keep(&t, expr_of(p, f, a, "x1")), *y = x ? keep(&t, expr_of(p, f, a, "x2")) : NULL;
    x = y ? keep(&t, kiln_cast(p->ctx, x, KILN_F64)) : NULL, y = x ? keep(&t, kiln_cast(p->ctx, y, KILN_F64)) : NULL;
    return done(p, &t, out, y ? keep(&t, kiln_pow(p->ctx, x, y)) : NULL, off);
}

/* resize(a, new_shape): a ravelled, repeated in order to new_shape's size (zeros when a is empty) */
static bool h_resize(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kiln_expr *x = keep(&t, kiln_ravel(c, keep(&t, expr_of(p, f, a, "a"))));
    int64_t shape[KILN_MAX_DIMS], size = 1;
    int nd = 0;
    if (!x || !ints_of(p, f, arg(a, "new_shape"), "new_shape", shape, &nd, KILN_MAX_DIMS)) return done(p, &t, out, NULL, off);
    for (int d = 0; d < nd; d++) {
        if (shape[d] < 0) return tmps_free(&t), fe_err(p, arg(a, "new_shape")->off, KILN_ERR_ARG, "all elements of `new_shape` must be non-negative");
        size *= shape[d];
    }
    int64_t n = x->shape[0];
    if (n == 0 || size == 0) {
        kiln_array *z = kiln_array_new(c, (kiln_dtype)x->dtype, nd, shape);
        if (z) memset(kiln_array_data(z), 0, (size_t)size * kiln_dtype_size((kiln_dtype)x->dtype));
        tmps_free(&t);
        return z ? array_result(p, out, z, off) : fe_got(p, NULL, off);
    }
    int64_t *pick = kiln_malloc(c, (size_t)size * sizeof *pick);
    for (int64_t i = 0; pick && i < size; i++) pick[i] = i % n;
    kiln_expr *r = pick ? pick_along(p, &t, x, 0, pick, size) : NULL;
    kiln_free(c, pick);
    return done(p, &t, out, r ? keep(&t, kiln_reshape(c, r, nd, shape)) : NULL, off);
}

/* The tuple (x0, x1) into *out (the temporaries freed); false where either is NULL (failed). */
static bool pair_of(parser *p, tmps *t, kiln_expr *x0, kiln_expr *x1, size_t off, kval *out) {
    kiln_ctx *c = p->ctx;
    kval *items = x0 && x1 ? kiln_calloc(c, 2 * sizeof *items) : NULL;
    bool ok = items && fe_set_expr(p, &items[0], kiln_expr_retain(x0), off) && fe_set_expr(p, &items[1], kiln_expr_retain(x1), off);
    tmps_free(t);
    if (!ok) {
        if (items) kval_free(c, &items[0]), kval_free(c, &items[1]), kiln_free(c, items);
        return !p->failed && fe_got(p, NULL, off);
    }
    *out = (kval){.kind = KV_TUPLE, .off = off, .n = 2, .items = items};
    return true;
}

/* x cast to its float dtype (NumPy's loop for it: float64 for int32 and int64, float32 for the
 * smaller integers and bool, where NumPy's is float16) */
static kiln_expr *in_float(tmps *t, kiln_ctx *c, kiln_expr *x) {
    return x && !dtype_is_float((kiln_dtype)x->dtype) ? keep(t, kiln_cast(c, x, dtype_float_of((kiln_dtype)x->dtype))) : x;
}

/* modf(x): (x - trunc(x), trunc(x)), the fraction with x's sign (0 with it for the infinities):
 * x - trunc(x) where x's sign bit is clear, -(trunc(x) - x) where it is set (-0.0 for -2.0 and
 * -0.0), so that the fraction's gradient is 1 everywhere, as that of x - trunc(x) */
static bool h_modf(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kiln_expr *x = in_float(&t, c, keep(&t, expr_of(p, f, a, "x")));
    kiln_expr *neg = x ? keep(&t, kiln_lt(c, keep(&t, kiln_copysign(c, keep(&t, kiln_int(c, 1)), x)), keep(&t, kiln_int(c, 0)))) : NULL; /* (signbit) */
    kiln_expr *i = neg ? keep(&t, kiln_where(c, neg, keep(&t, kiln_ceil(c, x)), keep(&t, kiln_floor(c, x)))) : NULL; /* (toward zero) */
    kiln_expr *fr = i ? keep(&t, kiln_where(c, neg, keep(&t, kiln_neg(c, keep(&t, kiln_sub(c, i, x)))), keep(&t, kiln_sub(c, x, i)))) : NULL;
    kiln_expr *zero = x ? keep(&t, kiln_copysign(c, keep(&t, kiln_int(c, 0)), x)) : NULL;
    fr = fr && zero ? keep(&t, kiln_where(c, keep(&t, kiln_isinf(c, x)), zero, fr)) : NULL;
    fr = fr ? keep(&t, kiln_where(c, keep(&t, kiln_isnan(c, x)), x, fr)) : NULL; /* (NaN itself: -nan's sign kept) */
    return pair_of(p, &t, fr, i, off, out);
}

/* frexp(x): (m, e) with x = m * 2**e, 0.5 <= |m| < 1, e int32; (x, 0) for 0, ±inf and NaN */
static bool h_frexp(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kiln_expr *x = in_float(&t, c, keep(&t, expr_of(p, f, a, "x")));
    kiln_expr *e = x ? keep(&t, kiln_frexp_exponent(c, x)) : NULL;
    kiln_expr *m = e ? keep(&t, kiln_ldexp(c, x, keep(&t, kiln_neg(c, e)))) : NULL; /* (exact: a power of two) */
    return pair_of(p, &t, m, e ? keep(&t, kiln_cast(c, e, KILN_I32)) : NULL, off, out);
}

/* ldexp(x1, x2): x1 * 2**x2, exactly, in x1's float dtype; x2 must be integers (as NumPy's loops) */
static bool h_ldexp(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kiln_expr *x = keep(&t, expr_of(p, f, a, "x1")), *e = x ? keep(&t, expr_of(p, f, a, "x2")) : NULL;
    bool x_weak = x && x->weak, py_x = x && x->op == KILN_OP_CONST && x->weak && !dtype_is_float((kiln_dtype)x->dtype);
    if (py_x && e && !e->weak) /* a Python int and an array: NumPy's loop is float16's, kiln's float32 */
        x = keep(&t, kiln_cast(c, x, KILN_F32));
    x = in_float(&t, c, x);
    if (e && dtype_is_float((kiln_dtype)e->dtype)) {
        tmps_free(&t);
        return fe_err(p, arg(a, "x2")->off, KILN_ERR_DTYPE, "ufunc 'ldexp' not supported for the input types (x2 is %s); x2 must be integers",
                      kiln_dtype_name((kiln_dtype)e->dtype));
    }
    double ef;
    int64_t ei;
    if (x && !x_weak && e && e->op == KILN_OP_CONST && e->weak && e->dtype != KILN_BOOL && kiln_expr_scalar(e, &ef, &ei) &&
        (ei < INT32_MIN || ei > INT32_MAX)) {
        tmps_free(&t); /* (NumPy's loop for a Python int and an array takes an int32) */
        return fe_err(p, arg(a, "x2")->off, KILN_ERR_DTYPE, "Python integer %lld out of bounds for int32", (long long)ei);
    }
    /* x2 held in x1's float dtype: exact up to 2**24 even in float32, and beyond it every result is 0 or ±inf alike */
    kiln_expr *r = e ? keep(&t, kiln_ldexp(c, x, keep(&t, kiln_cast(c, e, (kiln_dtype)x->dtype)))) : NULL;
    return done(p, &t, out, r, off);
}

/* spacing(x): the distance from x to the next float away from zero (negative for negative x;
 * the smallest subnormal for -0.0 too; NaN for ±inf and NaN), as NumPy's */
static bool h_spacing(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kiln_expr *x = in_float(&t, c, keep(&t, expr_of(p, f, a, "x")));
    kiln_expr *inf = keep(&t, kiln_scalar(c, INFINITY)), *neg = x ? keep(&t, kiln_lt(c, x, keep(&t, kiln_int(c, 0)))) : NULL;
    kiln_expr *away = neg ? keep(&t, kiln_cast(c, keep(&t, kiln_where(c, neg, keep(&t, kiln_neg(c, inf)), inf)), (kiln_dtype)x->dtype)) : NULL;
    kiln_expr *r = away ? keep(&t, kiln_sub(c, keep(&t, kiln_nextafter(c, x, away)), x)) : NULL;
    return done(p, &t, out, r, off);
}

/* unwrap(p, discont=None, axis=-1, *, period=2 pi): NumPy's: each difference along axis brought
 * into [-period/2, period/2) (+period/2 for a positive one at the edge), corrections under discont
 * dropped, their running sum added from the second element on */
static bool h_unwrap(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kiln_expr *x = keep(&t, expr_of(p, f, a, "p")), *per = NULL, *disc = NULL;
    int ax = 0;
    if (!x) return false;
    if (x->ndim == 0 || !axis_in(p, given(a, "axis") ? arg(a, "axis") : &(kval){.kind = KV_ARRAY, .e = keep(&t, kiln_int(c, -1))}, f->name, "axis", x->ndim ? x->ndim : 1, &ax))
        return tmps_free(&t), x->ndim ? false : fe_err(p, off, KILN_ERR_ARG, "unwrap(): diff requires input that is at least one dimensional");
    per = given(a, "period") ? keep(&t, expr_of(p, f, a, "period")) : keep(&t, kiln_scalar(c, 6.283185307179586));
    if (!per) return done(p, &t, out, NULL, off);
    if (!dtype_is_float((kiln_dtype)x->dtype) && !dtype_is_float((kiln_dtype)per->dtype))
        return tmps_free(&t), fe_err(p, off, KILN_ERR_DTYPE, "unwrap(): kiln takes a float p or period");
    int64_t n = x->shape[ax];
    kiln_expr *half = keep(&t, kiln_div(c, per, keep(&t, kiln_int(c, 2)))), *low = keep(&t, kiln_neg(c, half));
    disc = given_not_none(a, "discont") ? keep(&t, expr_of(p, f, a, "discont")) : half;
    if (n < 2 || !disc) return done(p, &t, out, disc ? x : NULL, off);
    kiln_expr *dd = keep(&t, kiln_sub(c, slice_along(p, &t, x, ax, 1, n, 1), slice_along(p, &t, x, ax, 0, n - 1, 1)));
    kiln_expr *ddmod = keep(&t, kiln_add(c, keep(&t, kiln_mod(c, keep(&t, kiln_sub(c, dd, low)), per)), low));
    kiln_expr *edge = keep(&t, kiln_and(c, keep(&t, kiln_eq(c, ddmod, low)), keep(&t, kiln_gt(c, dd, keep(&t, kiln_int(c, 0))))));
    ddmod = keep(&t, kiln_where(c, edge, half, ddmod));
    kiln_expr *ph = keep(&t, kiln_sub(c, ddmod, dd));
    ph = keep(&t, kiln_where(c, keep(&t, kiln_lt(c, keep(&t, kiln_abs(c, dd)), disc)), keep(&t, kiln_int(c, 0)), ph));
    kiln_expr *rest = keep(&t, kiln_add(c, slice_along(p, &t, x, ax, 1, n, 1), keep(&t, kiln_cumsum(c, ph, ax))));
    kiln_expr *r = rest ? keep(&t, kiln_concatenate(c, 2, (kiln_expr *[]){keep(&t, kiln_cast(c, slice_along(p, &t, x, ax, 0, 1, 1), (kiln_dtype)rest->dtype)), rest}, ax)) : NULL;
    return done(p, &t, out, r, off);
}

/* trim_zeros(filt, trim='fb'): the 1-D filt without its leading and trailing zeros (a view) */
static bool h_trim_zeros(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_expr *x = keep(&t, expr_of(p, f, a, "filt"));
    kval *tv = arg(a, "trim");
    const char *how = tv->kind == KV_STR ? tv->s : "fb";
    if (tv->kind != KV_ABSENT && tv->kind != KV_STR) return tmps_free(&t), fe_err(p, tv->off, KILN_ERR_ARG, "trim_zeros(): trim must be a string of 'f' and 'b'");
    if (!x) return false;
    if (x->ndim != 1) return tmps_free(&t), fe_err(p, arg(a, "filt")->off, KILN_ERR_ARG, "trim_zeros(): kiln takes a 1-D filt");
    kiln_array *nz = value_now(p, keep(&t, kiln_cast(p->ctx, keep(&t, kiln_ne(p->ctx, x, keep(&t, kiln_int(p->ctx, 0)))), KILN_BOOL)), off);
    if (!nz) return tmps_free(&t), false;
    int64_t n = x->shape[0], lo = 0, hi = n;
    const uint8_t *m = kiln_array_data(nz);
    if (strchr(how, 'f') || strchr(how, 'F'))
        while (lo < n && !m[lo]) lo++;
    if (strchr(how, 'b') || strchr(how, 'B'))
        while (hi > lo && !m[hi - 1]) hi--;
    kiln_array_free(nz);
    kval filt = *arg(a, "filt");
    bool ok = done(p, &t, out, slice_along(p, &t, x, 0, lo, hi, 1), off);
    out->alias = ok && filt.alias;
    fe_view_readonly(out, &filt);
    return ok;
}

/* divmod(x1, x2): (x1 // x2, x1 % x2), NumPy's ufunc */
static bool h_divmod(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    if (f->op) { /* Python's: x1 // x2 and x1 % x2, as the operators do them (by zero: an error; of bools: ints) */
        kval l1 = {0}, r1 = {0}, l2 = {0}, r2 = {0}, q = {0}, r = {0};
        kval *x1 = arg(a, "x1"), *x2 = arg(a, "x2");
        bool ok = fe_kval_copy(p->ctx, &l1, x1) && fe_kval_copy(p->ctx, &r1, x2) && fe_kval_copy(p->ctx, &l2, x1) && fe_kval_copy(p->ctx, &r2, x2);
        if (!ok) {
            kval_free(p->ctx, &l1), kval_free(p->ctx, &r1), kval_free(p->ctx, &l2), kval_free(p->ctx, &r2);
            return fe_got(p, NULL, off);
        }
        ok = fe_binary(p, KILN_OP_FLOORDIV, &l1, &r1, off, &q);
        ok = ok ? fe_binary(p, KILN_OP_MOD, &l2, &r2, off, &r) : (kval_free(p->ctx, &l2), kval_free(p->ctx, &r2), false);
        kval *items = ok ? kiln_calloc(p->ctx, 2 * sizeof *items) : NULL;
        if (!items) {
            kval_free(p->ctx, &q), kval_free(p->ctx, &r);
            return ok ? fe_got(p, NULL, off) : false;
        }
        items[0] = q, items[1] = r;
        *out = (kval){.kind = KV_TUPLE, .off = off, .n = 2, .items = items};
        return true;
    }
    tmps t = {0};
    kiln_expr *x = keep(&t, expr_of(p, f, a, "x1")), *y = x ? keep(&t, expr_of(p, f, a, "x2")) : NULL;
    kiln_expr *q = y ? kiln_floordiv(p->ctx, x, y) : NULL, *r = q ? kiln_mod(p->ctx, x, y) : NULL;
    kval *items = r ? kiln_calloc(p->ctx, 2 * sizeof *items) : NULL;
    tmps_free(&t);
    if (!items) {
        kiln_expr_free(q);
        kiln_expr_free(r);
        return fe_got(p, NULL, off);
    }
    fe_set_expr(p, &items[0], q, off);
    fe_set_expr(p, &items[1], r, off);
    fe_make_strong(p, &items[0]); /* of Python numbers: NumPy scalars, as np.divmod's */
    fe_make_strong(p, &items[1]);
    memset(out, 0, sizeof *out);
    *out = (kval){.kind = KV_TUPLE, .off = off, .n = 2, .items = items};
    return true;
}

/* count_nonzero(a, axis=None, *, keepdims=False): sum(a != 0) as int64; a Python int (computed
 * now) over every axis */
static bool h_count_nonzero(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    unsigned mask;
    bool all, keep_;
    kiln_expr *x = keep(&t, expr_of(p, f, a, "a"));
    if (x) legacy_axis_0d(p, a, x, true);
    if (!x || !fe_arg_axes(p, arg(a, "axis"), x->ndim, f->name, &mask, &all) || !keepdims_of(p, f, a, &keep_)) {
        tmps_free(&t);
        return false;
    }
    kiln_expr *nz = keep(&t, kiln_ne(p->ctx, x, keep(&t, kiln_int(p->ctx, 0))));
    kiln_expr *r = keep(&t, kiln_reduce_axes(p->ctx, KILN_OP_SUM, nz, mask, keep_));
    if (!done(p, &t, out, r, off)) return false;
    return all && !keep_ ? fe_to_py(p, out, KILN_I64, off) : true;
}

/* The diagonal of x at offset k over axes a1 and a2 (NumPy's diagonal(x, k, a1, a2)): the other
 * axes in order, then the diagonal, x[..., i, i + k] with a1 and a2 moved last and flattened into
 * one, whose elements start, start + m + 1, ... (NumPy's diagonal is a read-only view) */
static kiln_expr *diagonal_of(parser *p, tmps *t, kiln_expr *x, int64_t k, int64_t a1, int64_t a2, const char *fn, size_t off) {
    if (!x) return NULL;
    int nd = x->ndim;
    if (nd < 2) {
        fe_err(p, off, KILN_ERR_ARG, "%s(): diag requires an array of at least two dimensions", fn);
        return NULL;
    }
    int64_t ax[2] = {a1, a2};
    for (int i = 0; i < 2; i++) {
        if (ax[i] < -nd || ax[i] >= nd) {
            fe_err(p, off, KILN_ERR_ARG, "%s(): axis%d: axis %lld is out of bounds for array of dimension %d", fn, i + 1, (long long)ax[i], nd);
            return NULL;
        }
        if (ax[i] < 0) ax[i] += nd;
    }
    if (ax[0] == ax[1]) {
        fe_err(p, off, KILN_ERR_ARG, "%s(): axis1 and axis2 cannot be the same", fn);
        return NULL;
    }
    int perm[KILN_MAX_DIMS], m_ = 0;
    int64_t shape[KILN_MAX_DIMS];
    for (int d = 0; d < nd; d++)
        if (d != ax[0] && d != ax[1]) shape[m_] = x->shape[d], perm[m_++] = d;
    perm[nd - 2] = (int)ax[0];
    perm[nd - 1] = (int)ax[1];
    int64_t n = x->shape[ax[0]], m = x->shape[ax[1]], len = k >= 0 ? (n < m - k ? n : m - k) : (n + k < m ? n + k : m);
    if (len < 0) len = 0;
    int64_t start = len ? (k >= 0 ? k : -k * m) : 0;
    shape[nd - 2] = n * m;
    kiln_expr *moved = ax[0] == nd - 2 && ax[1] == nd - 1 ? x : keep(t, kiln_permute(p->ctx, x, perm));
    kiln_expr *flat = moved ? keep(t, kiln_reshape(p->ctx, moved, nd - 1, shape)) : NULL;
    return flat ? slice_along(p, t, flat, nd - 2, start, start + (len ? (len - 1) * (m + 1) + 1 : 0), m + 1) : NULL;
}

/* ------------------------------------------------------------------ sorts and quantiles */

/* sort(a, axis=-1, kind=None, order=None), argsort(...): along axis (the flattened array when
 * None); every kind is the stable one (equal values keep their order: NumPy's kind='stable';
 * its default quicksort may order equal values otherwise). */
static bool h_sort(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kiln_expr *x = expr_of(p, f, a, "a");
    if (!x) return false;
    int axis = -1;
    bool ok = !given(a, "axis") || one_axis(p, f, a, &axis);
    kval *kv = arg(a, "kind");
    if (ok && kv->kind != KV_ABSENT && kv->kind != KV_NONE &&
        (kv->kind != KV_STR || (strcmp(kv->s, "quicksort") && strcmp(kv->s, "mergesort") && strcmp(kv->s, "heapsort") && strcmp(kv->s, "stable"))))
        ok = fe_err(p, kv->off, KILN_ERR_ARG, "%s(): kind must be one of 'quicksort', 'mergesort', 'heapsort', 'stable'", f->name);
    if (ok && given_not_none(a, "order")) ok = fe_err(p, arg(a, "order")->off, KILN_ERR_ARG, "%s(): order= is for structured arrays", f->name);
    if (ok && f->op == KILN_OP_ARGSORT && x->ndim == 0 && (axis == 0 || axis == -1)) axis = KILN_ALL_AXES; /* NumPy's argsort of a 0-d: [0] */
    bool stable;
    if (ok && given_not_none(a, "stable")) ok = fe_arg_bool(p, arg(a, "stable"), f->name, "stable", &stable); /* (kiln's sort is) */
    if (ok && given_not_none(a, "stable") && kv->kind != KV_ABSENT && kv->kind != KV_NONE)
        ok = fe_err(p, arg(a, "stable")->off, KILN_ERR_ARG, "`kind` and `stable` parameters can't be provided at the same time. Use only one of them.");
    kiln_expr *r = !ok ? NULL : f->op == KILN_OP_SORT ? kiln_sort(p->ctx, x, axis) : kiln_argsort(p->ctx, x, axis);
    return result(p, out, r, off, 1, &x);
}

/* partition(a, kth, axis=-1): kiln_partition of the ranks from the first kth to the last;
 * argpartition: kiln_argpartition's positions; kth checked as NumPy checks it. */
static bool h_partition(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kiln_expr *x = expr_of(p, f, a, "a");
    if (!x) return false;
    int axis = -1;
    bool ok = !given(a, "axis") || arg(a, "axis")->kind == KV_NONE || one_axis(p, f, a, &axis);
    bool flat = given(a, "axis") && arg(a, "axis")->kind == KV_NONE;
    if (ok && (flat || (x->ndim == 0 && f->op == KILN_OP_ARGSORT))) { /* axis=None, or argpartition of a 0-d: of the flattened a */
        int64_t n = 1;
        for (int d = 0; d < x->ndim; d++) n *= x->shape[d];
        kiln_expr *r = kiln_reshape(p->ctx, x, 1, &n);
        kiln_expr_free(x);
        ok = fe_got(p, x = r, off);
        axis = 0;
    }
    if (ok && (axis < -x->ndim || axis >= x->ndim)) ok = fe_err(p, off, KILN_ERR_ARG, "axis %d is out of bounds for array of dimension %d", axis, x->ndim);
    int64_t len = ok ? x->shape[axis < 0 ? axis + x->ndim : axis] : 0;
    kval *kv = arg(a, "kth");
    kiln_array *ka = NULL; /* kth: a number, a sequence or an integer array, each in range (an empty a: none checked) */
    if (ok && kv->kind == KV_ARRAY && kv->e->ndim <= 1 && (dtype_is_int((kiln_dtype)kv->e->dtype) || kv->e->dtype == KILN_BOOL)) {
        kiln_expr *ke = kiln_cast(p->ctx, kv->e, KILN_I64);
        ka = ke ? value_now(p, ke, kv->off) : NULL;
        kiln_expr_free(ke);
        ok = ka != NULL;
    } else if (ok && (kv->kind == KV_LIST || kv->kind == KV_TUPLE) && kv->n > 0) {
        kiln_expr *ke = fe_arg_expr(p, kv, f->name, "kth"), *ki = ke && (dtype_is_int((kiln_dtype)ke->dtype) || ke->dtype == KILN_BOOL) ? kiln_cast(p->ctx, ke, KILN_I64) : NULL;
        ka = ki ? value_now(p, ki, kv->off) : NULL;
        ok = ka || (ke && fe_err(p, kv->off, KILN_ERR_ARG, "Partition index must be integer"));
        kiln_expr_free(ke), kiln_expr_free(ki);
    } else if (ok) {
        ok = fe_err(p, kv->off, KILN_ERR_ARG, kv->kind == KV_LIST || kv->kind == KV_TUPLE ? "%s(): kth must not be empty" : "Partition index must be integer", f->name);
    }
    int64_t lo = INT64_MAX, hi = -1; /* the ranks asked for, from the first to the last */
    for (int64_t i = 0; ok && len && i < kiln_array_size(ka); i++) {
        int64_t k = ((const int64_t *)ka->data)[i];
        if (k < -len || k >= len) ok = fe_err(p, kv->off, KILN_ERR_ARG, "kth(=%lld) out of bounds (%lld)", (long long)k, (long long)len);
        k += k < 0 ? len : 0;
        lo = k < lo ? k : lo;
        hi = k > hi ? k : hi;
    }
    kiln_array_free(ka);
    kval *kd = arg(a, "kind");
    if (ok && kd->kind != KV_ABSENT && (kd->kind != KV_STR || strcmp(kd->s, "introselect")))
        ok = fe_err(p, kd->off, KILN_ERR_ARG, "%s(): kind must be 'introselect'", f->name);
    if (ok && given_not_none(a, "order")) ok = fe_err(p, arg(a, "order")->off, KILN_ERR_ARG, "%s(): order= is for structured arrays", f->name);
    kiln_expr *r = !ok                                    ? NULL
                   : hi < 0                               ? (f->op == KILN_OP_ARGSORT ? kiln_argsort(p->ctx, x, axis) : kiln_sort(p->ctx, x, axis))
                   : f->op == KILN_OP_ARGSORT             ? kiln_argpartition(p->ctx, x, lo, hi, axis)
                                                          : kiln_partition(p->ctx, x, lo, hi, axis);
    return result(p, out, r, off, 1, &x);
}

/* gcd(x1, x2) and lcm(x1, x2) of integers (a bool with an integer), as NumPy's: of the absolute
 * values in the unsigned type of the result's width (lcm wraps as NumPy's does), computed now. */
static uint64_t gcd_u64(uint64_t a, uint64_t b) { /* (Stein's binary gcd: shifts, where Euclid's divides) */
    if (!a || !b) return a | b;
    int k = __builtin_ctzll(a | b);
    a >>= __builtin_ctzll(a);
    do {
        b >>= __builtin_ctzll(b);
        uint64_t lo = a < b ? a : b, hi = a < b ? b : a;
        a = lo, b = hi - lo;
    } while (b);
    return a << k;
}
static bool h_gcd(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kiln_expr *x = keep(&t, expr_of(p, f, a, "x1")), *y = x ? keep(&t, expr_of(p, f, a, "x2")) : NULL;
    kiln_expr *both = y ? keep(&t, kiln_add(c, x, y)) : NULL; /* (the result's dtype and shape, NumPy's promotion) */
    if (!both) return done(p, &t, out, NULL, off);
    kiln_dtype dt = (kiln_dtype)both->dtype;
    if (!dtype_is_int(dt)) {
        tmps_free(&t);
        return fe_err(p, off, KILN_ERR_DTYPE, "ufunc '%s' did not contain a loop with signature matching types (%s, %s)", f->name,
                      kiln_dtype_name((kiln_dtype)x->dtype), kiln_dtype_name((kiln_dtype)y->dtype));
    }
    kiln_expr *bx = fe_broadcast_to(p, &t, keep(&t, kiln_cast(c, x, KILN_I64)), both->ndim, both->shape, f->name, off);
    kiln_expr *by = bx ? fe_broadcast_to(p, &t, keep(&t, kiln_cast(c, y, KILN_I64)), both->ndim, both->shape, f->name, off) : NULL;
    kiln_array *X = by ? value_now(p, bx, off) : NULL, *Y = X ? value_now(p, by, off) : NULL;
    kiln_array *r = Y ? kiln_array_new(c, dt, both->ndim, both->shape) : NULL;
    if (Y && fe_got(p, r, off)) {
        size_t bits = 8 * kiln_dtype_size(dt);
        uint64_t mask = bits == 64 ? UINT64_MAX : ((uint64_t)1 << bits) - 1;
        int64_t n = kiln_array_size(r);
        int nt = n >= 16384 ? kiln_num_threads(c) : 1; /* (a gcd is tens of dependent steps: worth threads) */
#pragma omp parallel for num_threads(nt) schedule(static) if (nt > 1)
        for (int64_t i = 0; i < n; i++) {
            int64_t u = ((const int64_t *)X->data)[i], v = ((const int64_t *)Y->data)[i];
            uint64_t au = (u < 0 ? 0 - (uint64_t)u : (uint64_t)u) & mask, av = (v < 0 ? 0 - (uint64_t)v : (uint64_t)v) & mask, g = gcd_u64(au, av);
            uint64_t z = f->op ? (g ? au / g * av : 0) & mask : g; /* (its low bits are the dtype's value) */
            put_low(r->data, i, bits / 8, z);
        }
    }
    kiln_array_free(X);
    kiln_array_free(Y);
    tmps_free(&t);
    return r ? array_result(p, out, r, off) : false;
}

/* The quantiles qs[0..nq) (a leading dim when many) of x along axis (KILN_ALL_AXES: all of
 * them), as NumPy's default 'linear' method computes them from the sorted values v:
 * i = (n - 1) q, g = i - floor(i), a = v[floor(i)], b = v[floor(i) + 1], and a + (b - a) g
 * (b - (b - a)(1 - g) from g = 0.5 on); median: the middle element, or the mean of the two.
 * A line holding NaN gives NaN.  float32 stays float32 unless q is an array. */
/* The line a quantile is taken along: axis in [0, ndim), or x flattened for every axis. */
static kiln_expr *quantile_line(parser *p, tmps *t, kiln_expr *x, int *axis, size_t off) {
    if (*axis == KILN_ALL_AXES) {
        int64_t n = 1;
        for (int d = 0; d < x->ndim; d++) n *= x->shape[d];
        *axis = 0;
        return keep(t, kiln_reshape(p->ctx, x, 1, &n));
    }
    if (*axis < -x->ndim || *axis >= x->ndim) {
        fe_err(p, off, KILN_ERR_ARG, "axis %d is out of bounds for array of dimension %d", *axis, x->ndim);
        return NULL;
    }
    if (*axis < 0) *axis += x->ndim;
    return x;
}

/* The quantiles' parts as the result: stacked along a new first axis when q is a sequence,
 * the reduced axis back with length 1 for keepdims (every axis of the nd0 dims of the array
 * given, when its line was it flattened), in dtype rdt. */
static kiln_expr *quantile_result(tmps *t, kiln_ctx *ctx, kiln_expr **parts, int nq, bool many, bool keepdims, int nd0,
                                  const kiln_expr *x, int axis, kiln_dtype rdt) {
    kiln_expr *r = many ? keep(t, kiln_stack(ctx, nq, parts, 0)) : parts[0];
    if (r && keepdims) {
        int64_t shape[KILN_MAX_DIMS + 1];
        int m = 0;
        if (many) shape[m++] = nq;
        for (int d = 0; d < nd0; d++) shape[m++] = nd0 == x->ndim && d != axis ? x->shape[d] : 1;
        r = keep(t, kiln_reshape(ctx, r, m, shape));
    }
    if (r && r->dtype != rdt) r = keep(t, kiln_cast(ctx, r, rdt));
    return r;
}

/* A line of length 0: NaN in the reduced shape (NumPy's median of nothing, with a warning) */
static kiln_expr *nan_of_empty(tmps *t, kiln_ctx *ctx, kiln_expr *v, int axis) {
    kiln_expr *s = keep(t, kiln_reduce(ctx, KILN_OP_SUM, v, axis, 0));
    return s ? keep(t, kiln_mul(ctx, s, keep(t, kiln_scalar(ctx, NAN)))) : NULL;
}

/* NumPy's quantile methods (H&F's nine and four others), by name */
enum { QM_LINEAR, QM_INVERTED_CDF, QM_AVERAGED_INVERTED_CDF, QM_CLOSEST_OBSERVATION, QM_INTERPOLATED_INVERTED_CDF, QM_HAZEN,
       QM_WEIBULL, QM_MEDIAN_UNBIASED, QM_NORMAL_UNBIASED, QM_LOWER, QM_HIGHER, QM_MIDPOINT, QM_NEAREST };
static const char *const quantile_methods[] = {"linear", "inverted_cdf", "averaged_inverted_cdf", "closest_observation",
                                               "interpolated_inverted_cdf", "hazen", "weibull", "median_unbiased",
                                               "normal_unbiased", "lower", "higher", "midpoint", "nearest", NULL};
/* The methods that pick an element (no interpolation): the result keeps the array's dtype */
static bool quantile_discrete(int m) {
    return m == QM_INVERTED_CDF || m == QM_CLOSEST_OBSERVATION || m == QM_LOWER || m == QM_HIGHER || m == QM_NEAREST;
}

/* Where quantile q of n sorted values is for method m, as NumPy's _quantile computes it, in
 * float32 arithmetic when f32 (each step rounded as NumPy's float32 scalars are): the element i0
 * (discrete methods), or a + (b - a) g between elements i0 and i1 */
typedef struct qpos {
    int64_t i0, i1;
    double g;
} qpos;
static qpos quantile_position(int m, int64_t n, double q, bool f32) {
#define R(v) (f32 ? (double)(float)(v) : (double)(v))
    double N = R(n), Q = R(q), v;
    switch (m) {
    case QM_INVERTED_CDF:
    case QM_AVERAGED_INVERTED_CDF: v = R(R(N * Q) - 1); break;
    case QM_CLOSEST_OBSERVATION: v = R(R(R(N * Q) - 1) - 0.5); break;
    case QM_INTERPOLATED_INVERTED_CDF:
    case QM_HAZEN:
    case QM_WEIBULL:
    case QM_MEDIAN_UNBIASED:
    case QM_NORMAL_UNBIASED: { /* n q + (alpha + q (1 - alpha - beta)) - 1 */
        double ab = m == QM_INTERPOLATED_INVERTED_CDF ? 0 : m == QM_HAZEN ? 0.5 : m == QM_WEIBULL ? 0 : m == QM_MEDIAN_UNBIASED ? 1 / 3.0 : 3 / 8.0;
        double al = m == QM_INTERPOLATED_INVERTED_CDF ? 0 : ab, be = m == QM_INTERPOLATED_INVERTED_CDF ? 1 : ab;
        v = R(R(R(N * Q) + R(R(al) + R(Q * R(1 - al - be)))) - 1);
        break;
    }
    default: v = R(R(n - 1) * Q); break; /* linear, lower, higher, midpoint, nearest: (n - 1) q */
    }
    qpos r = {0, 0, 0};
    if (m == QM_LOWER || m == QM_HIGHER || m == QM_NEAREST) {
        r.i0 = (int64_t)(m == QM_LOWER ? floor(v) : m == QM_HIGHER ? ceil(v) : nearbyint(v));
    } else if (m == QM_INVERTED_CDF || m == QM_CLOSEST_OBSERVATION) { /* the previous or the next element, at least 0 */
        double prev = floor(v), g = v - prev;
        bool take_prev = m == QM_INVERTED_CDF ? g == 0 : g == 0 && fmod(fmod(prev, 2) + 2, 2) == 1;
        r.i0 = (int64_t)(take_prev ? prev : prev + 1);
        if (r.i0 < 0) r.i0 = 0;
    } else {
        if (m == QM_MIDPOINT) v = R(0.5 * R(floor(v) + ceil(v)));
        double prev = floor(v);
        r.i0 = (int64_t)prev, r.i1 = r.i0 + 1;
        if (v >= (double)(n - 1)) r.i0 = r.i1 = n - 1, prev = -1; /* (NumPy's index -1: its gamma from it) */
        if (v < 0) r.i0 = r.i1 = 0, prev = 0;
        r.g = R(v - prev);
        if (m == QM_AVERAGED_INVERTED_CDF) r.g = r.g == 0 ? 0.5 : 1;
        if (m == QM_MIDPOINT) r.g = fmod(v, 1) == 0 ? 0 : 0.5;
    }
    if (quantile_discrete(m)) r.i1 = r.i0;
    return r;
#undef R
}

/* NumPy's dtype of a median of x: float32 stays float32, anything else is float64 */
static kiln_dtype median_dtype(const kiln_expr *x) {
    return x->dtype == KILN_F32 ? KILN_F32 : KILN_F64;
}

/* A median, r + 0.0: NumPy's is the mean of the middle one or two, a sum from 0.0 (-0.0's is 0.0). */
static kiln_expr *plus_zero(tmps *t, kiln_ctx *ctx, kiln_expr *r) { return r ? keep(t, kiln_add(ctx, r, keep(t, kiln_scalar(ctx, 0.0)))) : NULL; }

/* The most values of q one call takes (each a composition of its own over the sorted lines). */
#define Q_MAX 1024

/* The quantiles qs[0..nq) (fractions; the median when median) of x along axis, as NumPy's
 * _quantile: the positions and each g (and 1 - g) in q's dtype, float32 when qf32, the values
 * between which g interpolates in rdt (NumPy's result_type of the array's and q's dtypes), and
 * what the discrete methods pick in x's dtype.  NULL after an error. */
static kiln_expr *quantiles_of(parser *p, tmps *t, kiln_expr *x, int axis, const double *qs, int nq, bool many, bool median,
                               bool keepdims, int method, kiln_dtype rdt, bool qf32, size_t off) {
    kiln_ctx *ctx = p->ctx;
    int nd0 = x->ndim;
    if (!(x = quantile_line(p, t, x, &axis, off))) return NULL;
    int64_t n = x->shape[axis];
    if (n == 0 && !median) {
        fe_err(p, off, KILN_ERR_INDEX, "cannot do a non-empty take from an empty axes.");
        return NULL;
    }
    if (x->dtype == KILN_BOOL && !median && !quantile_discrete(method)) { /* (lower, nearest...: an element, no subtraction) */
        fe_err(p, off, KILN_ERR_ARG, "numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, the `^` operator, or the logical_xor function instead.");
        return NULL;
    }
    /* one or two quantiles: a partition each, by the ranks they read (a pass or two over the
     * line, where a sort is log n of them); more share one sort */
    bool part = nq <= 2 && n > 0;
    kiln_expr *whole = part ? NULL : keep(t, kiln_sort(ctx, x, axis)), *sorted = whole, *v = NULL; /* v: sorted in the result's dtype */
    if (!part && !(v = whole && whole->dtype != rdt ? keep(t, kiln_cast(ctx, whole, rdt)) : whole)) return NULL;
    kiln_expr *parts[Q_MAX], *nan = NULL;
    if (dtype_is_float((kiln_dtype)x->dtype) && n) /* (NaN sorts last) */
        nan = part ? keep(t, kiln_any(ctx, keep(t, kiln_isnan(ctx, x)), axis, 0))
                   : keep(t, kiln_isnan(ctx, keep(t, kiln_squeeze(ctx, slice_along(p, t, v, axis, n - 1, n, 1), axis))));
    for (int k = 0; k < nq; k++) {
        kiln_expr *r;
        if (part) {
            qpos at = median ? (qpos){(n - 1) / 2, n / 2, 0} : quantile_position(method, n, qs[k], qf32);
            int64_t b = median || !quantile_discrete(method) ? at.i1 : at.i0;
            sorted = keep(t, kiln_partition(ctx, x, at.i0 < b ? at.i0 : b, at.i0 < b ? b : at.i0, axis));
            if (!(v = sorted && sorted->dtype != rdt ? keep(t, kiln_cast(ctx, sorted, rdt)) : sorted)) return NULL;
        }
        if (n == 0) {
            r = nan_of_empty(t, ctx, v, axis);
        } else if (median) {
            kiln_expr *a = keep(t, kiln_squeeze(ctx, slice_along(p, t, v, axis, (n - 1) / 2, (n - 1) / 2 + 1, 1), axis));
            kiln_expr *b = n % 2 ? a : keep(t, kiln_squeeze(ctx, slice_along(p, t, v, axis, n / 2, n / 2 + 1, 1), axis));
            r = n % 2 ? a : keep(t, kiln_div(ctx, keep(t, kiln_add(ctx, a, b)), keep(t, kiln_scalar(ctx, 2.0))));
            r = plus_zero(t, ctx, r);
        } else if (quantile_discrete(method)) { /* the element itself, in the array's dtype */
            qpos at = quantile_position(method, n, qs[k], qf32);
            r = keep(t, kiln_squeeze(ctx, slice_along(p, t, sorted, axis, at.i0, at.i0 + 1, 1), axis));
        } else {
            /* g and 1 - g in q's dtype, the rest in the result's (NumPy's lerp) */
            qpos at = quantile_position(method, n, qs[k], qf32);
            double g = at.g, h = qf32 ? (double)(1.0f - (float)g) : 1 - g;
            int64_t i0 = at.i0, i1 = at.i1;
            kiln_expr *a = keep(t, kiln_squeeze(ctx, slice_along(p, t, v, axis, i0, i0 + 1, 1), axis));
            kiln_expr *b = keep(t, kiln_squeeze(ctx, slice_along(p, t, v, axis, i1, i1 + 1, 1), axis));
            /* b - a in the array's own dtype, as NumPy's subtract (then the result's) */
            kiln_expr *a0 = keep(t, kiln_squeeze(ctx, slice_along(p, t, sorted, axis, i0, i0 + 1, 1), axis));
            kiln_expr *b0 = keep(t, kiln_squeeze(ctx, slice_along(p, t, sorted, axis, i1, i1 + 1, 1), axis));
            kiln_expr *d = a0 && b0 ? keep(t, kiln_sub(ctx, b0, a0)) : NULL;
            if (d && d->dtype != rdt) d = keep(t, kiln_cast(ctx, d, rdt));
            r = g >= 0.5 ? keep(t, kiln_sub(ctx, b, keep(t, kiln_mul(ctx, d, keep(t, kiln_scalar(ctx, h))))))
                         : keep(t, kiln_add(ctx, a, keep(t, kiln_mul(ctx, d, keep(t, kiln_scalar(ctx, g))))));
        }
        if (r && nan) r = keep(t, kiln_where(ctx, nan, keep(t, kiln_scalar(ctx, NAN)), r));
        if (!r) return NULL;
        parts[k] = r;
    }
    return quantile_result(t, ctx, parts, nq, many, keepdims, nd0, x, axis, quantile_discrete(method) && !median ? (kiln_dtype)x->dtype : rdt);
}

/* (src's elements at the indices i along axis: a gather of each line's) */
#define AT(src, i) keep(t, kiln_take_along_axis(ctx, src, i, axis))
/* A nan quantile of each line between its sorted elements i0 and i1 (indices along axis, the
 * axis kept), as quantiles_of computes it: v's a + (b - a) g, or b - (b - a) h (h = 1 - g) from
 * g = 0.5 on, b - a in the array's dtype (sorted's) and then the result's, rdt. */
static kiln_expr *nan_between(tmps *t, kiln_ctx *ctx, kiln_expr *sorted, kiln_expr *v, kiln_expr *i0, kiln_expr *i1, kiln_expr *g,
                              kiln_expr *h, int axis, kiln_dtype rdt) {
    kiln_expr *a = AT(v, i0), *b = AT(v, i1);
    kiln_expr *d = keep(t, kiln_sub(ctx, AT(sorted, i1), AT(sorted, i0)));
    if (d && d->dtype != rdt) d = keep(t, kiln_cast(ctx, d, rdt));
    kiln_expr *up = keep(t, kiln_sub(ctx, b, keep(t, kiln_mul(ctx, d, h)))), *down = keep(t, kiln_add(ctx, a, keep(t, kiln_mul(ctx, d, g))));
    return keep(t, kiln_where(ctx, keep(t, kiln_ge(ctx, g, keep(t, kiln_scalar(ctx, 0.5)))), up, down));
}

/* nan_quantiles_of's quantile q by a method other than linear (the axis kept): each line's count
 * (cnt, its shape with the axis kept) computed now, and the line's i0, i1 and g from
 * quantile_position as arrays: sorted[i0] for the methods that pick an element, else
 * nan_between. */
static kiln_expr *nan_quantile_by_lines(parser *p, tmps *t, kiln_expr *sorted, kiln_expr *v, kiln_expr *cnt, int axis, double q,
                                        int method, kiln_dtype rdt, bool qf32, size_t off) {
    kiln_ctx *ctx = p->ctx;
    kiln_array *ca = value_now(p, cnt, off), *at[4] = {NULL, NULL, NULL, NULL}; /* i0, i1, g, h = 1 - g */
    kiln_expr *e[4] = {NULL, NULL, NULL, NULL};
    if (!ca) return NULL;
    bool ok = true;
    for (int k = 0; k < 4 && ok; k++) ok = (at[k] = kiln_array_new(ctx, k < 2 ? KILN_I64 : KILN_F64, ca->ndim, ca->shape)) != NULL;
    int64_t lines = ok ? kiln_array_size(ca) : 0;
    const int64_t *c = ok ? (const int64_t *)kiln_array_data(ca) : NULL;
    for (int64_t l = 0; l < lines; l++) {
        qpos ps = c[l] ? quantile_position(method, c[l], q, qf32) : (qpos){0, 0, 0};
        ((int64_t *)kiln_array_data(at[0]))[l] = ps.i0;
        ((int64_t *)kiln_array_data(at[1]))[l] = ps.i1;
        ((double *)kiln_array_data(at[2]))[l] = ps.g; /* (g and 1 - g in q's dtype, exact in float64) */
        ((double *)kiln_array_data(at[3]))[l] = qf32 ? (double)(1.0f - (float)ps.g) : 1 - ps.g;
    }
    for (int k = 0; k < 4; k++) {
        e[k] = ok ? keep(t, kiln_var(ctx, at[k])) : NULL;
        if (e[k] && k >= 2 && rdt != KILN_F64) e[k] = keep(t, kiln_cast(ctx, e[k], rdt));
        kiln_array_free(at[k]);
    }
    kiln_array_free(ca);
    if (!ok) return fe_got(p, NULL, off), NULL;
    return quantile_discrete(method) ? AT(sorted, e[0]) : nan_between(t, ctx, sorted, v, e[0], e[1], e[2], e[3], axis, rdt);
}

/* nanmedian, nanquantile, nanpercentile of floats: quantiles_of over each line's values that are
 * not NaN.  Sorting puts NaN last, so they are the first cnt of the sorted line; the positions
 * depend on cnt, so the two values are gathers (take_along_axis) at indices computed as
 * quantiles_of computes its constants: i = (cnt - 1) q in the result's dtype, and a + (b - a) g
 * (b - (b - a)(1 - g) from g = 0.5 on); the median the middle one, or the mean of the two.  The
 * other methods: the counts computed now, and each line's positions from quantile_position, as
 * index arrays.  A line of NaN alone gives NaN. */
static kiln_expr *nan_quantiles_of(parser *p, tmps *t, kiln_expr *x, int axis, const double *qs, int nq, bool many,
                                   bool median, bool keepdims, int method, kiln_dtype rdt, bool qf32, size_t off) {
    kiln_ctx *ctx = p->ctx;
    int nd0 = x->ndim;
    if (!(x = quantile_line(p, t, x, &axis, off))) return NULL;
    kiln_dtype qdt = qf32 ? KILN_F32 : KILN_F64; /* (the positions' dtype) */
    kiln_expr *sorted = keep(t, kiln_sort(ctx, x, axis)), *v = sorted;
    if (v && v->dtype != rdt) v = keep(t, kiln_cast(ctx, v, rdt));
    kiln_expr *isnan_ = keep(t, kiln_isnan(ctx, x));
    kiln_expr *cnt = keep(t, kiln_reduce(ctx, KILN_OP_SUM, keep(t, kiln_invert(ctx, isnan_)), axis, 1)); /* int64, keepdims */
    kiln_expr *one = keep(t, kiln_int(ctx, 1)), *two = keep(t, kiln_int(ctx, 2));
    kiln_expr *last = keep(t, kiln_maximum(ctx, keep(t, kiln_sub(ctx, cnt, one)), keep(t, kiln_int(ctx, 0))));
    kiln_expr *none = keep(t, kiln_eq(ctx, cnt, keep(t, kiln_int(ctx, 0))));
    if (!v || !none) return NULL;
    kiln_expr *parts[Q_MAX];
    for (int k = 0; k < nq; k++) {
        kiln_expr *r;
        if (x->shape[axis] == 0) {
            r = nan_of_empty(t, ctx, v, axis);
            parts[k] = r;
            if (!r) return NULL;
            continue;
        }
        if (!median && method != QM_LINEAR) r = nan_quantile_by_lines(p, t, sorted, v, cnt, axis, qs[k], method, rdt, qf32, off);
        else if (median) { /* v[(cnt - 1) // 2], and the mean with v[cnt // 2] for an even cnt */
            kiln_expr *lo = keep(t, kiln_floordiv(ctx, last, two)), *hi = keep(t, kiln_floordiv(ctx, cnt, two));
            kiln_expr *a = AT(v, lo), *b = AT(v, keep(t, kiln_minimum(ctx, hi, last)));
            kiln_expr *mean = keep(t, kiln_div(ctx, keep(t, kiln_add(ctx, a, b)), keep(t, kiln_scalar(ctx, 2.0))));
            r = plus_zero(t, ctx, keep(t, kiln_where(ctx, keep(t, kiln_eq(ctx, lo, hi)), a, mean)));
        } else {
            kiln_expr *vi = keep(t, kiln_mul(ctx, keep(t, kiln_cast(ctx, last, qdt)), keep(t, kiln_const(ctx, qdt, qs[k]))));
            kiln_expr *lo = keep(t, kiln_floor(ctx, vi)), *g = keep(t, kiln_sub(ctx, vi, lo));
            kiln_expr *i0 = keep(t, kiln_cast(ctx, lo, KILN_I64));
            kiln_expr *i1 = keep(t, kiln_minimum(ctx, keep(t, kiln_add(ctx, i0, one)), last));
            kiln_expr *h = keep(t, kiln_sub(ctx, keep(t, kiln_const(ctx, qdt, 1)), g));
            if (g && qdt != rdt) g = keep(t, kiln_cast(ctx, g, rdt)), h = keep(t, kiln_cast(ctx, h, rdt));
            r = nan_between(t, ctx, sorted, v, i0, i1, g, h, axis, rdt);
        }
        r = keep(t, kiln_where(ctx, none, keep(t, kiln_scalar(ctx, NAN)), r));
        r = keep(t, kiln_squeeze(ctx, r, axis));
        if (!r) return NULL;
        parts[k] = r;
    }
#undef AT
    return quantile_result(t, ctx, parts, nq, many, keepdims, nd0, x, axis, quantile_discrete(method) && !median ? (kiln_dtype)x->dtype : rdt);
}

/* e's values now, in C order, as a list of numbers (*list: KV_LIST, off for messages); false
 * after an error. */
static bool values_as_list(parser *p, kiln_expr *e, size_t off, kval *list) {
    kiln_array *r = value_now(p, e, off);
    if (!r) return false;
    int64_t n = kiln_array_size(r);
    kiln_dtype dt = kiln_array_dtype(r);
    if (n > INT_MAX) {
        kiln_array_free(r);
        return fe_err(p, off, KILN_ERR_ARG, "%lld values: too many for a list", (long long)n);
    }
    kval *items = n ? kiln_calloc(p->ctx, (size_t)n * sizeof *items) : NULL;
    bool ok = !n || fe_got(p, items, off);
    for (int64_t k = 0; ok && k < n; k++) { /* (a fresh array: C-ordered) */
        kscalar s = ref_load((const char *)kiln_array_data(r) + k * (int64_t)kiln_dtype_size(dt), dt);
        ok = fe_set_expr(p, &items[k], ir_const(&p->ctx->graph, dt, s, false), off);
    }
    kiln_array_free(r);
    if (!ok) {
        for (int64_t k = 0; items && k < n; k++) kval_free(p->ctx, &items[k]);
        kiln_free(p->ctx, items);
        return false;
    }
    *list = (kval){.kind = KV_LIST, .off = off, .n = (int)n, .items = items};
    return true;
}

/* q of two dims or more (a nested list, or an array): its numbers in C order as a list of their
 * own (*flat, kval_free'd by the caller) and its shape (*qnd dims); *qnd 0 and nothing made
 * for other q.  False after an error (a ragged list: NumPy's inhomogeneous shape). */
static bool q_flat(parser *p, const kval *qv, kval *flat, int64_t *qshape, int *qnd) {
    *qnd = 0;
    bool seq = qv->kind == KV_LIST || qv->kind == KV_TUPLE;
    if (qv->kind == KV_ARRAY && qv->e->ndim >= 2) {
        if (!values_as_list(p, qv->e, qv->off, flat)) return false;
        *qnd = qv->e->ndim;
        memcpy(qshape, qv->e->shape, (size_t)*qnd * sizeof *qshape);
        return true;
    }
    if (!seq || !qv->n || (qv->items[0].kind != KV_LIST && qv->items[0].kind != KV_TUPLE)) return true;
    const kval *v = qv; /* the shape: down the first items */
    int64_t total = 1;
    while (v->kind == KV_LIST || v->kind == KV_TUPLE) {
        if (*qnd == KILN_MAX_DIMS - 1) return fe_err(p, qv->off, KILN_ERR_SHAPE, "q has too many dimensions");
        qshape[(*qnd)++] = v->n, total *= v->n;
        if (!v->n) break;
        v = &v->items[0];
    }
    kval *items = total ? kiln_calloc(p->ctx, (size_t)total * sizeof *items) : NULL;
    if (total && !fe_got(p, items, qv->off)) return false;
    *flat = (kval){.kind = KV_LIST, .off = qv->off, .n = 0, .items = items};
    const kval *stack[KILN_MAX_DIMS];
    int64_t at[KILN_MAX_DIMS] = {0};
    int d = 0;
    stack[0] = qv;
    while (d >= 0) { /* (depth first, checking every list's length against the shape) */
        const kval *l = stack[d];
        if (at[d] == 0 && ((l->kind != KV_LIST && l->kind != KV_TUPLE) || l->n != qshape[d]))
            return fe_err(p, l->off, KILN_ERR_SHAPE, "setting an array element with a sequence. The requested array has an inhomogeneous shape after %d dimensions.", d);
        if (at[d] == l->n) {
            d--;
            if (d >= 0) at[d]++;
            continue;
        }
        const kval *e = &l->items[at[d]];
        if (d + 1 < *qnd) {
            stack[++d] = e, at[d] = 0;
            continue;
        }
        if (e->kind == KV_LIST || e->kind == KV_TUPLE)
            return fe_err(p, e->off, KILN_ERR_SHAPE, "setting an array element with a sequence. The requested array has an inhomogeneous shape after %d dimensions.", d + 1);
        if (!fe_kval_copy(p->ctx, &items[flat->n], e)) return false;
        flat->n++, at[d]++;
    }
    return true;
}

/* median(a, axis=None, keepdims=False), quantile(a, q, axis=None, keepdims=False, method='linear'),
 * percentile(a, q, ...) (q in percent) */
enum { Q_MEDIAN, Q_QUANTILE, Q_PERCENTILE, Q_NANMEDIAN, Q_NANQUANTILE, Q_NANPERCENTILE };
/* r's leading dim (q's values) in q's own shape: none of them where q is empty (r made for one
 * q), q's qnd dims where it had them; r itself otherwise */
static kiln_expr *q_shaped(parser *p, tmps *t, kiln_expr *r, bool empty, const int64_t *qshape, int qnd, size_t off) {
    if (r && empty) r = slice_along(p, t, r, 0, 0, 0, 1);
    if (!r || qnd == 0) return r;
    int64_t s[KILN_MAX_DIMS];
    if (qnd + r->ndim - 1 > KILN_MAX_DIMS) {
        fe_err(p, off, KILN_ERR_SHAPE, "quantile(): the result would have more than %d dimensions", KILN_MAX_DIMS);
        return NULL;
    }
    memcpy(s, qshape, (size_t)qnd * sizeof *s);
    memcpy(s + qnd, r->shape + 1, (size_t)(r->ndim - 1) * sizeof *s);
    return keep(t, kiln_reshape(p->ctx, r, qnd + r->ndim - 1, s));
}

/* keepdims of quantiles over a tuple of axes (on): r reshaped to shape (nd dims, 1 at each axis
 * taken), after the nq values of q where nq is not 0; r itself when not on. */
static kiln_expr *kept_axes(parser *p, tmps *t, bool on, kiln_expr *r, int nq, int nd, const int64_t *shape) {
    if (!on) return r;
    int64_t s[KILN_MAX_DIMS + 1] = {nq};
    memcpy(s + (nq > 0), shape, (size_t)nd * sizeof *s);
    return r ? keep(t, kiln_reshape(p->ctx, r, nd + (nq > 0), s)) : NULL;
}

/* quantile's weights= for x (NumPy's checks and words): of x's shape, or of the shape of x's axes
 * in av's order (one axis, or a tuple), broadcast to x's shape here; not negative (read now);
 * nanquantile's 0 at x's NaN.  NULL after an error. */
static kiln_expr *quantile_weights(parser *p, tmps *t, const fe_fn *f, fe_args *a, kiln_expr *x, const kval *av) {
    kiln_ctx *c = p->ctx;
    kval *wv = arg(a, "weights");
    kiln_expr *w = keep(t, expr_of(p, f, a, "weights"));
    if (!w) return NULL;
    bool same = w->ndim == x->ndim;
    for (int d = 0; same && d < x->ndim; d++) same = w->shape[d] == x->shape[d];
    if (!same) {
        if (av->kind == KV_ABSENT || av->kind == KV_NONE) {
            fe_err(p, wv->off, KILN_ERR_ARG, "Axis must be specified when shapes of a and weights differ.");
            return NULL;
        }
        int axl[KILN_MAX_DIMS], k = av->kind == KV_TUPLE ? av->n : 1; /* (checked by the caller: in range, not repeated) */
        for (int i = 0; i < k; i++) {
            int64_t v;
            if (!fe_arg_int(p, av->kind == KV_TUPLE ? &av->items[i] : av, f->name, "axis", &v)) return NULL;
            axl[i] = (int)(v < 0 ? v + x->ndim : v);
        }
        bool fits = w->ndim == k;
        for (int i = 0; fits && i < k; i++) fits = w->shape[i] == x->shape[axl[i]];
        if (!fits) {
            fe_err(p, wv->off, KILN_ERR_ARG, "Shape of weights must be consistent with shape of a along specified axis.");
            return NULL;
        }
        int perm[KILN_MAX_DIMS], np_ = 0; /* w's axes in x's order, then length 1 at x's others */
        for (int d = 0; d < x->ndim; d++)
            for (int i = 0; i < k; i++)
                if (axl[i] == d) perm[np_++] = i;
        int64_t shape[KILN_MAX_DIMS];
        for (int d = 0; d < x->ndim; d++) {
            shape[d] = 1;
            for (int i = 0; i < k; i++)
                if (axl[i] == d) shape[d] = x->shape[d];
        }
        if (!(w = keep(t, kiln_permute(c, w, perm))) || !(w = keep(t, kiln_reshape(c, w, x->ndim, shape))) ||
            !(w = fe_broadcast_to(p, t, w, x->ndim, x->shape, f->name, wv->off))) {
            fe_got(p, NULL, wv->off);
            return NULL;
        }
    }
    kiln_array *neg = value_now(p, keep(t, kiln_reduce(c, KILN_OP_ANY, keep(t, kiln_lt(c, w, keep(t, kiln_int(c, 0)))), KILN_ALL_AXES, 0)), wv->off);
    bool bad = neg && *(bool *)kiln_array_data(neg);
    kiln_array_free(neg);
    if (!neg) return NULL;
    if (bad) {
        fe_err(p, wv->off, KILN_ERR_ARG, "Weights must be non-negative.");
        return NULL;
    }
    if ((f->op == Q_NANQUANTILE || f->op == Q_NANPERCENTILE) && dtype_is_float((kiln_dtype)x->dtype)) /* (a NaN weighs nothing) */
        w = keep(t, kiln_where(c, keep(t, kiln_isnan(c, x)), keep(t, kiln_int(c, 0)), w));
    return w;
}

/* The quantiles qs[0..nq) of x along axis weighted by w (x's shape), NumPy's 'inverted_cdf' with
 * weights: the values sorted along the line (stably) with their weights, the weights' running
 * sum over their total (leading zeros -1, so that q = 0 passes weightless values), and for each q
 * the first value whose running sum reaches q (the last at most); NaN for a line holding NaN
 * where nan_line.  In x's dtype.  NULL after an error. */
static kiln_expr *weighted_quantiles_of(parser *p, tmps *t, kiln_expr *x, kiln_expr *w, int axis, const double *qs, int nq, bool many,
                                        bool keepdims, bool qf32, bool nan_line, size_t off) {
    kiln_ctx *c = p->ctx;
    int nd0 = x->ndim, ax = axis;
    if (!(x = quantile_line(p, t, x, &ax, off)) || !(w = quantile_line(p, t, w, &axis, off))) return NULL;
    int64_t n = x->shape[ax];
    if (n == 0) {
        fe_err(p, off, KILN_ERR_INDEX, "index -1 is out of bounds for axis %d with size 0", ax);
        return NULL;
    }
    kiln_expr *order = keep(t, kiln_argsort(c, x, ax));
    kiln_expr *sx = order ? keep(t, kiln_take_along_axis(c, x, order, ax)) : NULL;
    kiln_expr *sw = order ? keep(t, kiln_take_along_axis(c, keep(t, kiln_cast(c, w, KILN_F64)), order, ax)) : NULL;
    kiln_expr *cum = sw ? keep(t, kiln_cumsum(c, sw, ax)) : NULL;
    kiln_expr *cdf = cum ? keep(t, kiln_div(c, cum, slice_along(p, t, cum, ax, n - 1, n, 1))) : NULL;
    if (cdf && qf32) cdf = keep(t, kiln_cast(c, cdf, KILN_F32)); /* (NumPy's: in q's float dtype) */
    cdf = cdf ? keep(t, kiln_where(c, keep(t, kiln_eq(c, cdf, keep(t, kiln_int(c, 0)))), keep(t, kiln_int(c, -1)), cdf)) : NULL;
    if (!cdf) return NULL;
    kiln_expr *parts[Q_MAX];
    for (int k = 0; k < nq; k++) { /* searchsorted(cdf, q, 'left'): how many are below q */
        kiln_expr *q = keep(t, kiln_const(c, qf32 ? KILN_F32 : KILN_F64, qs[k]));
        kiln_expr *below = keep(t, kiln_reduce(c, KILN_OP_SUM, keep(t, kiln_lt(c, cdf, q)), ax, 1));
        kiln_expr *at = below ? keep(t, kiln_minimum(c, keep(t, kiln_cast(c, below, KILN_I64)), keep(t, kiln_int(c, n - 1)))) : NULL;
        kiln_expr *v = at ? keep(t, kiln_take_along_axis(c, sx, at, ax)) : NULL;
        if (v && nan_line) /* quantile's (not nanquantile's): NaN for a line holding NaN (sorted last) */
            v = keep(t, kiln_where(c, keep(t, kiln_isnan(c, slice_along(p, t, sx, ax, n - 1, n, 1))), keep(t, kiln_scalar(c, NAN)), v));
        if (!v || !(parts[k] = keep(t, kiln_squeeze(c, v, ax)))) return NULL;
    }
    return quantile_result(t, c, parts, nq, many, keepdims, nd0, x, ax, (kiln_dtype)x->dtype);
}

static bool h_quantile(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_expr *x = keep(&t, expr_of(p, f, a, "a"));
    int axis = KILN_ALL_AXES;
    bool keepdims = false, many = false, empty = false;
    double qs[Q_MAX] = {0.5};
    int nq = 1, method = QM_LINEAR;
    kval *av = arg(a, "axis");
    if (av->kind == KV_LIST) av->kind = KV_TUPLE; /* (NumPy's normalize_axis_tuple takes a list too) */
    unsigned mask = 0; /* a tuple of axes: NumPy's, the axes moved last and made one */
    bool all = false, axes = av->kind == KV_TUPLE;
    if (!x || (axes ? !fe_arg_axes(p, av, x->ndim, f->name, &mask, &all) : !one_axis(p, f, a, &axis)) ||
        (given(a, "keepdims") && !fe_arg_bool(p, arg(a, "keepdims"), f->name, "keepdims", &keepdims)))
        return done(p, &t, out, NULL, off);
    kiln_expr *w = NULL; /* weights=: of x's shape from here on */
    if (has(a, "weights") && given_not_none(a, "weights") && !(w = quantile_weights(p, &t, f, a, x, av)))
        return done(p, &t, out, NULL, off);
    int64_t kept_shape[KILN_MAX_DIMS]; /* keepdims of a tuple: the shape, 1 at each axis */
    int nd = x->ndim, nr = 0;
    if (axes && !all) { /* (axis=(): a length-1 axis of each element, as NumPy's) */
        int perm[KILN_MAX_DIMS], np_ = 0;
        int64_t shape[KILN_MAX_DIMS], merged = 1;
        for (int d = 0; d < nd; d++) {
            kept_shape[d] = mask >> d & 1 ? 1 : x->shape[d];
            if (!(mask >> d & 1)) shape[np_] = x->shape[d], perm[np_++] = d;
        }
        for (int d = 0; d < nd; d++)
            if (mask >> d & 1) perm[np_ + nr++] = d, merged *= x->shape[d];
        shape[np_] = merged;
        if (!(x = keep(&t, kiln_permute(p->ctx, x, perm))) || !(x = keep(&t, kiln_reshape(p->ctx, x, np_ + 1, shape))))
            return done(p, &t, out, NULL, off);
        if (w && (!(w = keep(&t, kiln_permute(p->ctx, w, perm))) || !(w = keep(&t, kiln_reshape(p->ctx, w, np_ + 1, shape)))))
            return done(p, &t, out, NULL, off);
        axis = np_;
    } else if (axes) {
        axes = false, axis = KILN_ALL_AXES; /* (every axis) */
    }
    bool tuple_keep = axes && keepdims;
    if (tuple_keep) keepdims = false;
    bool median = f->op == Q_MEDIAN || f->op == Q_NANMEDIAN, qf32 = false;
    kiln_dtype xdt = (kiln_dtype)x->dtype, rdt = median_dtype(x);
    kval qflat = {.kind = KV_ABSENT}; /* q of two dims or more, flattened */
    int64_t qshape[KILN_MAX_DIMS];
    int qnd = 0;
    if (!median) {
        kval *qv = arg(a, "q");
        bool flat_ok = q_flat(p, qv, &qflat, qshape, &qnd);
        if (qflat.kind != KV_ABSENT) { /* (the arguments' own from now on: freed with them) */
            kval_free(p->ctx, qv);
            *qv = qflat;
        }
        if (!flat_ok) return done(p, &t, out, NULL, off);
        if (qnd >= 2 && !qv->n) { /* (NumPy checks such a q's range with its min) */
            tmps_free(&t);
            return fe_err(p, qv->off, KILN_ERR_ARG, "zero-size array to reduction operation minimum which has no identity");
        }
        kval *m = arg(a, "method");
        if (m->kind != KV_ABSENT) {
            for (method = 0; m->kind == KV_STR && quantile_methods[method] && strcmp(m->s, quantile_methods[method]); method++) {}
            if (m->kind != KV_STR || !quantile_methods[method]) {
                tmps_free(&t);
                return fe_err(p, m->off, KILN_ERR_ARG, "%s(): method must be one of NumPy's: 'linear', 'lower', 'higher', 'midpoint', 'nearest', "
                              "'inverted_cdf', 'averaged_inverted_cdf', 'closest_observation', 'interpolated_inverted_cdf', 'hazen', "
                              "'weibull', 'median_unbiased', 'normal_unbiased'", f->name);
            }
        }
        if (w && method != QM_INVERTED_CDF) {
            tmps_free(&t);
            return fe_err(p, m->off, KILN_ERR_ARG, "Only method 'inverted_cdf' supports weights. Got: %s.", quantile_methods[method]);
        }
        many = qv->kind == KV_LIST || qv->kind == KV_TUPLE;
        nq = many ? qv->n : 1;
        empty = many && !nq; /* (q = []: the quantiles of one float64 q, none of them taken) */
        if (empty) nq = 1;
        if (nq > Q_MAX) {
            tmps_free(&t);
            return fe_err(p, qv->off, KILN_ERR_ARG, "%s(): at most %d values of q", f->name, Q_MAX);
        }
        double scale = f->op == Q_PERCENTILE || f->op == Q_NANPERCENTILE ? 100 : 1;
        kiln_dtype qdt = KILN_BOOL; /* q's dtype: a number's, or np.array's of the list (Python numbers no weaker there) */
        bool qweak = !many, xf = dtype_is_float(xdt);
        for (int k = 0; k < nq; k++) {
            int64_t iq;
            kiln_dtype qd;
            if (empty) {
                qs[k] = scale / 2, qdt = KILN_F64;
                continue;
            }
            const kval *e = many ? &qv->items[k] : qv;
            if (!fe_arg_number(p, e, f->name, "q", &qs[k], &iq, &qd)) return done(p, &t, out, NULL, off);
            qdt = k ? dtype_promote(qdt, qd) : qd;
            qweak = qweak && fe_is_py(e);
            if (!(qs[k] >= 0 && qs[k] <= scale)) {
                tmps_free(&t);
                return fe_err(p, e->off, KILN_ERR_ARG, scale == 100 ? "Percentiles must be in the range [0, 100]"
                                                                             : "Quantiles must be in the range [0, 1]");
            }
        }
        if (scale == 100) { /* NumPy's percentile: q / 100, that 100 of a float array's dtype (a Python int's otherwise) */
            qdt = fe_result_dtype(2, (kiln_dtype[]){qdt, xf ? xdt : KILN_I64}, (bool[]){qweak, !xf});
            if (!dtype_is_float(qdt)) qdt = KILN_F64; /* (true_divide of integers) */
        } else if ((qweak || (!many && qdt == KILN_F64)) && xf) {
            qdt = xdt; /* NumPy's quantile: a Python number (or a float64 scalar, a Python float; 0-d arrays are such scalars here) is of a float array's dtype */
        }
        qf32 = qdt == KILN_F32;
        for (int k = 0; k < nq; k++) qs[k] = qf32 ? (double)((float)qs[k] / (float)scale) : qs[k] / scale; /* (the division in q's dtype) */
        bool int_q = !dtype_is_float(qdt); /* (quantile's only) */
        rdt = int_q ? KILN_F64 : dtype_promote(xdt == KILN_BOOL ? KILN_I64 : xdt, qdt); /* (NumPy's lerp; the discrete methods keep xdt) */
        int64_t n = 1;
        for (int d = 0; d < x->ndim; d++) n *= x->shape[d];
        if (w) { /* NumPy's weighted inverted_cdf: an element, in x's dtype */
            kiln_expr *r = weighted_quantiles_of(p, &t, x, w, axis, qs, nq, many, keepdims, qf32 && !int_q,
                                                 f->op != Q_NANQUANTILE && f->op != Q_NANPERCENTILE && xf, off);
            r = kept_axes(p, &t, tuple_keep, r, many ? nq : 0, nd, kept_shape);
            return done(p, &t, out, q_shaped(p, &t, r, empty, qshape, qnd, off), off);
        }
        if (int_q && (method == QM_LINEAR || quantile_discrete(method)) && (!xf || n > 0)) {
            /* NumPy's: integer (or bool) q takes the element, in the array's dtype: q 0 the min, 1 the max (NaN for a line
             * holding NaN; nanquantile's of the others) */
            kiln_expr *rs[Q_MAX], *nan = xf ? keep(&t, kiln_isnan(p->ctx, x)) : NULL, *y = x;
            if (nan && f->op == Q_NANQUANTILE) y = NULL;
            for (int k = 0; k < nq; k++) {
                kiln_op op = qs[k] == 0 ? KILN_OP_MIN : KILN_OP_MAX;
                if (!y) { /* nanmin / nanmax: NaN as +inf (-inf) for the min (max), NaN where the line is all NaN */
                    kiln_expr *far = keep(&t, kiln_scalar(p->ctx, op == KILN_OP_MIN ? INFINITY : -INFINITY));
                    kiln_expr *m = keep(&t, kiln_reduce(p->ctx, op, keep(&t, kiln_where(p->ctx, nan, far, x)), axis, keepdims));
                    kiln_expr *none = keep(&t, kiln_reduce(p->ctx, KILN_OP_ALL, nan, axis, keepdims));
                    rs[k] = keep(&t, kiln_where(p->ctx, none, keep(&t, kiln_scalar(p->ctx, NAN)), m));
                } else {
                    rs[k] = keep(&t, kiln_reduce(p->ctx, op, y, axis, keepdims));
                }
                if (!rs[k]) return done(p, &t, out, NULL, off);
            }
            kiln_expr *r = many ? keep(&t, kiln_stack(p->ctx, nq, rs, 0)) : rs[0];
            r = kept_axes(p, &t, tuple_keep, r, many ? nq : 0, nd, kept_shape);
            return done(p, &t, out, q_shaped(p, &t, r, empty, qshape, qnd, off), off);
        }
    }
    int64_t size = 1;
    for (int d = 0; d < x->ndim; d++) size *= x->shape[d];
    if (f->op >= Q_NANMEDIAN && size == 0) { /* NumPy's: nanmean(a, axis) of an empty a, whatever q */
        if (axis != KILN_ALL_AXES && (axis < -x->ndim || axis >= x->ndim)) {
            tmps_free(&t);
            return fe_err(p, off, KILN_ERR_ARG, "axis %d is out of bounds for array of dimension %d", axis, x->ndim);
        }
        unsigned mask = axis == KILN_ALL_AXES ? KILN_EVERY_AXIS : 1u << (axis < 0 ? axis + x->ndim : axis);
        kiln_expr *r = keep(&t, kiln_mean_axes(p->ctx, x, mask, keepdims));
        return done(p, &t, out, kept_axes(p, &t, tuple_keep, r, 0, nd, kept_shape), off);
    }
    kiln_expr *r = f->op >= Q_NANMEDIAN && dtype_is_float((kiln_dtype)x->dtype)
                       ? nan_quantiles_of(p, &t, x, axis, qs, nq, many, median, keepdims, method, rdt, qf32, off)
                       : quantiles_of(p, &t, x, axis, qs, nq, many, median, keepdims, method, rdt, qf32, off);
    r = kept_axes(p, &t, tuple_keep, r, many ? nq : 0, nd, kept_shape);
    return done(p, &t, out, q_shaped(p, &t, r, empty, qshape, qnd, off), off);
}

/* ------------------------------------------------------------------ axes, norms, splits */

/* an axis argument in [-nd, nd): into [0, nd), or an error naming fn */
static bool axis_in(parser *p, const kval *v, const char *fn, const char *param, int nd, int *axis) {
    int64_t ax;
    if (!fe_arg_int(p, v, fn, param, &ax)) return false;
    if (ax < -nd || ax >= nd)
        return fe_err(p, v->off, KILN_ERR_ARG, "%s(): %s: axis %lld is out of bounds for array of dimension %d", fn, param, (long long)ax, nd);
    *axis = (int)(ax < 0 ? ax + nd : ax);
    return true;
}

/* swapaxes(a, axis1, axis2), moveaxis(a, source, destination): views */
static bool h_axes(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kiln_expr *x = expr_of(p, f, a, "a");
    if (!x) return false;
    int nd = x->ndim, perm[KILN_MAX_DIMS], src[KILN_MAX_DIMS] = {0}, dst[KILN_MAX_DIMS] = {0}, n = 0;
    bool ok = true;
    if (!f->op) {
        ok = axis_in(p, arg(a, "axis1"), f->name, "axis1", nd, &src[0]) && axis_in(p, arg(a, "axis2"), f->name, "axis2", nd, &dst[0]);
        for (int d = 0; ok && d < nd; d++) perm[d] = d == src[0] ? dst[0] : d == dst[0] ? src[0] : d;
    } else { /* source and destination: an axis each, or sequences of the same length */
        kval *sv = arg(a, "source"), *dv = arg(a, "destination");
        bool seq = sv->kind == KV_LIST || sv->kind == KV_TUPLE;
        n = seq ? sv->n : 1;
        int dn = dv->kind == KV_LIST || dv->kind == KV_TUPLE ? dv->n : 1;
        if (n != dn || n > nd)
            ok = fe_err(p, off, KILN_ERR_ARG, "moveaxis(): `source` and `destination` arguments must have the same number of elements");
        bool used_s[KILN_MAX_DIMS] = {false}, used_d[KILN_MAX_DIMS] = {false};
        for (int i = 0; ok && i < n; i++) {
            ok = axis_in(p, seq ? &sv->items[i] : sv, f->name, "source", nd, &src[i]) &&
                 axis_in(p, dv->kind == KV_LIST || dv->kind == KV_TUPLE ? &dv->items[i] : dv, f->name, "destination", nd, &dst[i]);
            if (ok && (used_s[src[i]] || used_d[dst[i]]))
                ok = fe_err(p, off, KILN_ERR_ARG, "moveaxis(): repeated axis in `%s` argument", used_s[src[i]] ? "source" : "destination");
            if (ok) used_s[src[i]] = used_d[dst[i]] = true;
        }
        if (ok) { /* the others in order fill the places the moved ones do not take */
            int rest[KILN_MAX_DIMS], nr = 0;
            for (int d = 0; d < nd; d++)
                if (!used_s[d]) rest[nr++] = d;
            for (int d = 0; d < nd; d++) perm[d] = -1;
            for (int i = 0; i < n; i++) perm[dst[i]] = src[i];
            for (int d = 0, j = 0; d < nd; d++)
                if (perm[d] < 0) perm[d] = rest[j++];
        }
    }
    return as_view(f, a, out, result(p, out, ok ? kiln_permute(p->ctx, x, perm) : NULL, off, 1, &x));
}

/* norm(x, ord=None, axis=None, keepdims=False) (np.linalg.norm): vector norms along one axis
 * (2, 1, inf, -inf, 0, any p), matrix norms over two ('fro', 1, -1, inf, -inf); over all
 * elements the 2-norm.  Float results (float32 stays). */
enum { N_NORM, N_VECTOR, N_MATRIX };
static bool h_norm(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kiln_expr *x = keep(&t, expr_of(p, f, a, "x"));
    if (!x) return false;
    bool keepdims = false, all = false, fro = false, nuc = false;
    unsigned mask = 0;
    double ord = 2;
    kval *ov = arg(a, "ord"), *av = has(a, "axis") ? arg(a, "axis") : NULL;
    if (given(a, "keepdims") && !fe_arg_bool(p, arg(a, "keepdims"), f->name, "keepdims", &keepdims)) return done(p, &t, out, NULL, off);
    if (f->op == N_MATRIX) { /* matrix_norm: over the last two axes, 'fro' unless told */
        if (x->ndim < 2) {
            tmps_free(&t);
            return fe_err(p, off, KILN_ERR_SHAPE, "matrix_norm(): %d-dimensional array given. Array must be at least two-dimensional",
                          x->ndim);
        }
        mask = 3u << (x->ndim - 2);
        if (!given_not_none(a, "ord")) fro = true;
    } else if (!given_not_none(a, "axis")) mask = x->ndim ? (1u << x->ndim) - 1 : 0, all = true;
    else if (!fe_arg_axes(p, av, x->ndim, f->name, &mask, &all)) return done(p, &t, out, NULL, off);
    int naxes = __builtin_popcount(mask);
    bool given_ord = given_not_none(a, "ord") || f->op == N_MATRIX, vec = f->op == N_VECTOR; /* vec: over any axes */
    if (vec && ov->kind == KV_STR) {
        tmps_free(&t);
        return fe_err(p, ov->off, KILN_ERR_ARG, "vector_norm(): ord must be a number");
    }
    if (f->op == N_VECTOR && given_not_none(a, "ord")) {
        int64_t i;
        if (!fe_arg_number(p, ov, f->name, "ord", &ord, &i, NULL)) return done(p, &t, out, NULL, off);
    }
    if (given_not_none(a, "ord") && f->op != N_VECTOR && ov->kind == KV_STR) {
        if (strcmp(ov->s, "fro") && strcmp(ov->s, "f") && strcmp(ov->s, "nuc")) {
            tmps_free(&t);
            return fe_err(p, ov->off, KILN_ERR_ARG, "Invalid norm order '%s' for matrices", ov->s);
        }
        fro = strcmp(ov->s, "nuc") != 0, nuc = !fro;
    } else if (given_not_none(a, "ord") && !vec) {
        int64_t i;
        if (!fe_arg_number(p, ov, f->name, "ord", &ord, &i, NULL)) return done(p, &t, out, NULL, off);
    }
    if (!vec && all && given_ord && (x->ndim > 2 || x->ndim == 0)) { /* (NumPy's takes a vector's or a matrix's order) */
        tmps_free(&t);
        return fe_err(p, off, KILN_ERR_ARG, "Improper number of dimensions to norm.");
    }
    bool matrix = !vec && naxes == 2 && (given_ord || !all);
    if ((!vec && naxes > 2 && !(all && !given_ord)) || ((fro || nuc) && !matrix)) {
        tmps_free(&t);
        return fe_err(p, off, KILN_ERR_ARG, fro || nuc ? "norm(): '%s' is a norm of matrices (two axes)" : "Improper number of dimensions to norm.",
                      fro ? "fro" : "nuc");
    }
    kiln_dtype dt = x->dtype == KILN_F32 ? KILN_F32 : KILN_F64;
    if (x->dtype != dt) x = keep(&t, kiln_cast(c, x, dt));
    kiln_expr *ax = x ? keep(&t, kiln_abs(c, x)) : NULL, *r = NULL;
    if (!ax) return done(p, &t, out, NULL, off);
    if (matrix && !fro && (nuc || (given_ord && fabs(ord) == 2))) { /* the singular values' sum, largest, smallest */
        int a0 = __builtin_ctz(mask), a1 = 31 - __builtin_clz(mask), perm[KILN_MAX_DIMS], k = 0;
        int64_t kept[KILN_MAX_DIMS];
        for (int d = 0; d < x->ndim; d++) {
            kept[d] = (mask >> d) & 1 ? 1 : x->shape[d];
            if (d != a0 && d != a1) perm[k++] = d;
        }
        perm[k] = a0, perm[k + 1] = a1;
        kiln_expr *sv = keep(&t, kiln_linalg(c, KILN_LA_SVALS, keep(&t, kiln_permute(c, x, perm)), NULL, 0));
        r = sv ? keep(&t, kiln_reduce(c, nuc ? KILN_OP_SUM : ord > 0 ? KILN_OP_MAX : KILN_OP_MIN, sv, -1, 0)) : NULL;
        if (r && keepdims) r = keep(&t, kiln_reshape(c, r, x->ndim, kept));
    } else if (!given_ord || fro || (!matrix && ord == 2)) { /* sqrt(sum(x²)) */
        r = keep(&t, kiln_sqrt(c, keep(&t, kiln_reduce_axes(c, KILN_OP_SUM, keep(&t, kiln_mul(c, x, x)), mask, keepdims))));
    } else if (matrix) { /* ord 1 / -1: the columns' sums' max / min; inf / -inf: the rows' */
        int a0 = __builtin_ctz(mask), a1 = 31 - __builtin_clz(mask); /* (the rows' axis, the columns', in axis's order) */
        if (av && (av->kind == KV_TUPLE || av->kind == KV_LIST) && av->n == 2) {
            int64_t first;
            if (!fe_arg_int(p, &av->items[0], f->name, "axis", &first)) return done(p, &t, out, NULL, off);
            if ((first < 0 ? first + x->ndim : first) == a1) a1 = a0, a0 = (int)(first < 0 ? first + x->ndim : first);
        }
        if (!isinf(ord) && fabs(ord) != 1) {
            tmps_free(&t);
            return fe_err(p, ov->off, KILN_ERR_ARG, "Invalid norm order for matrices.");
        }
        int sum_axis = isinf(ord) ? a1 : a0, pick_axis = isinf(ord) ? a0 : a1;
        kiln_expr *s1 = keep(&t, kiln_reduce(c, KILN_OP_SUM, ax, sum_axis, 1));
        r = s1 ? keep(&t, kiln_reduce(c, ord > 0 ? KILN_OP_MAX : KILN_OP_MIN, s1, pick_axis, 1)) : NULL;
        if (r && !keepdims) r = keep(&t, kiln_reduce_axes(c, KILN_OP_SUM, r, mask, 0)); /* (the two kept axes of length 1 dropped) */
    } else if (isinf(ord)) {
        r = keep(&t, kiln_reduce_axes(c, ord > 0 ? KILN_OP_MAX : KILN_OP_MIN, ax, mask, keepdims));
    } else if (ord == 0) {
        kiln_expr *nz = keep(&t, kiln_cast(c, keep(&t, kiln_ne(c, x, zero_of(p, &t, dt))), dt));
        r = nz ? keep(&t, kiln_reduce_axes(c, KILN_OP_SUM, nz, mask, keepdims)) : NULL;
    } else if (ord == 1) {
        r = keep(&t, kiln_reduce_axes(c, KILN_OP_SUM, ax, mask, keepdims));
    } else { /* sum(|x|^p)^(1/p) */
        kiln_expr *pw = keep(&t, kiln_pow(c, ax, keep(&t, kiln_scalar(c, ord))));
        kiln_expr *s1 = pw ? keep(&t, kiln_reduce_axes(c, KILN_OP_SUM, pw, mask, keepdims)) : NULL;
        r = s1 ? keep(&t, kiln_pow(c, s1, keep(&t, kiln_scalar(c, 1.0 / ord)))) : NULL;
    }
    return done(p, &t, out, r, off);
}

/* ------------------------------------------------------------------ np.linalg */

enum { L_SLOGDET = KILN_LA_COUNT, L_EIGH, L_SVD, L_SVDVALS, L_QR, L_PINV, L_RANK, L_POWER, L_COND, L_MULTI_DOT, L_LSTSQ };

/* NumPy's named tuples */
static const fe_named slogdet_result = {"SlogdetResult", {"sign", "logabsdet"}}, eigh_result = {"EighResult", {"eigenvalues", "eigenvectors"}},
                      svd_result = {"SVDResult", {"U", "S", "Vh"}}, qr_result = {"QRResult", {"Q", "R"}},
                      unique_results[4] = {{NULL, {NULL}}, {"UniqueCountsResult", {"values", "counts"}}, {"UniqueInverseResult", {"values", "inverse_indices"}},
                                           {"UniqueAllResult", {"values", "indices", "inverse_indices", "counts"}}};

/* out, a tuple just made, becomes NumPy's named tuple nt; ok passed through. */
static bool named(kval *out, const fe_named *nt, bool ok) {
    if (ok && out->kind == KV_TUPLE) out->named = nt;
    return ok;
}

/* out = the tuple items[0..n) (new references taken), then the temporaries go. */
static bool tuple_result(parser *p, tmps *t, kval *out, kiln_expr *const *items, int n, size_t off) {
    bool ok = true;
    for (int i = 0; i < n; i++) ok = ok && items[i];
    kval *v = ok ? kiln_calloc(p->ctx, (size_t)n * sizeof *v) : NULL;
    ok = fe_got(p, v, off);
    int made = 0;
    for (; ok && made < n; made++) ok = fe_set_expr(p, &v[made], kiln_expr_retain(items[made]), off);
    tmps_free(t);
    if (!ok) {
        for (int i = 0; i < made - 1; i++) kval_free(p->ctx, &v[i]);
        kiln_free(p->ctx, v);
        return false;
    }
    *out = (kval){.kind = KV_TUPLE, .off = off, .n = n, .items = v};
    return true;
}

/* x's matrices transposed (its last two dims swapped) */
static kiln_expr *mat_t(parser *p, tmps *t, kiln_expr *x) {
    if (!x) return NULL;
    int ax[KILN_MAX_DIMS];
    for (int d = 0; d < x->ndim; d++) ax[d] = d;
    ax[x->ndim - 2] = x->ndim - 1, ax[x->ndim - 1] = x->ndim - 2;
    return keep(t, kiln_permute(p->ctx, x, ax));
}
static kiln_expr *la_of(parser *p, tmps *t, int fn, kiln_expr *a, kiln_expr *b, unsigned flags) {
    return a ? keep(t, kiln_linalg(p->ctx, (kiln_linalg_fn)fn, a, b, flags)) : NULL;
}

/* cond's norm of x's matrices (its last two axes): 'fro' or 'nuc' (s), else ord 1, -1, inf or
 * -inf (pv): the largest or smallest of the columns' (1) or rows' (inf) sums of |x| */
static kiln_expr *cond_norm(parser *p, tmps *t, kiln_expr *x, const char *s, double pv) {
    kiln_ctx *c = p->ctx;
    int nd = x->ndim;
    if (s && !strcmp(s, "nuc")) {
        kiln_expr *sv = la_of(p, t, KILN_LA_SVALS, x, NULL, 0);
        return sv ? keep(t, kiln_reduce(c, KILN_OP_SUM, sv, -1, 0)) : NULL;
    }
    if (s) return keep(t, kiln_sqrt(c, keep(t, kiln_reduce_axes(c, KILN_OP_SUM, keep(t, kiln_mul(c, x, x)), 3u << (nd - 2), 0))));
    kiln_expr *s1 = keep(t, kiln_reduce(c, KILN_OP_SUM, keep(t, kiln_abs(c, x)), isinf(pv) ? nd - 1 : nd - 2, 0));
    return s1 ? keep(t, kiln_reduce(c, pv > 0 ? KILN_OP_MAX : KILN_OP_MIN, s1, nd - 2, 0)) : NULL;
}
/* a float value in x's linalg dtype (float32 stays, else float64), a weak scalar otherwise */
static kiln_dtype la_dtype(const kiln_expr *x) { return x->dtype == KILN_F32 ? KILN_F32 : KILN_F64; }

/* tensorsolve(a, b, axes=None) and tensorinv(a, ind=2), as NumPy's: a reshaped to a square
 * matrix, then solve (b ravelled) or inv, reshaped back */
static bool h_tensor(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    bool inv = f->op == 1;
    kiln_expr *x = keep(&t, expr_of(p, f, a, "a")), *b = inv || !x ? NULL : keep(&t, expr_of(p, f, a, "b"));
    if (!x || (!inv && !b)) return done(p, &t, out, NULL, off);
    int nd = x->ndim;
    int64_t ind = 2;
    if (inv && given(a, "ind") && !fe_arg_int(p, arg(a, "ind"), f->name, "ind", &ind)) return done(p, &t, out, NULL, off);
    if (inv && ind <= 0) {
        tmps_free(&t);
        return fe_err(p, arg(a, "ind")->off, KILN_ERR_ARG, "Invalid ind argument.");
    }
    if (!inv && given_not_none(a, "axes")) { /* those axes of a moved to the end, in order */
        unsigned mask = 0;
        bool all;
        kval *av = arg(a, "axes");
        if (!fe_arg_axes(p, av, nd, f->name, &mask, &all)) return done(p, &t, out, NULL, off);
        int perm[KILN_MAX_DIMS], j = 0, n = av->kind == KV_LIST || av->kind == KV_TUPLE ? av->n : 1;
        for (int d = 0; d < nd; d++)
            if (!(mask >> d & 1)) perm[j++] = d;
        for (int i = 0; i < n; i++) {
            int64_t ax;
            if (!fe_arg_int(p, av->kind == KV_LIST || av->kind == KV_TUPLE ? &av->items[i] : av, f->name, "axes", &ax))
                return done(p, &t, out, NULL, off);
            perm[j++] = (int)(ax < 0 ? ax + nd : ax);
        }
        x = keep(&t, kiln_permute(c, x, perm));
        if (!x) return done(p, &t, out, NULL, off);
    }
    int split = inv ? (int)(ind < nd ? ind : nd) : b->ndim; /* the dims of the result's "rows" */
    if (!inv && split > nd) {
        tmps_free(&t);
        return fe_err(p, off, KILN_ERR_SHAPE, "tensorsolve(): b has more dimensions than a");
    }
    int64_t rows = 1, cols = 1, shape[KILN_MAX_DIMS];
    for (int d = 0; d < nd; d++) {
        if (d < split) rows *= x->shape[d];
        else cols *= x->shape[d];
    }
    if (rows != cols) {
        tmps_free(&t);
        if (inv) return fe_err(p, off, KILN_ERR_LINALG, "Last 2 dimensions of the array must be square");
        return fe_err(p, off, KILN_ERR_LINALG, "Input arrays must satisfy the requirement prod(a.shape[b.ndim:]) == prod(a.shape[:b.ndim])");
    }
    kiln_expr *m = keep(&t, kiln_reshape(c, x, 2, (int64_t[]){rows, cols})), *r = NULL;
    int rn = 0;
    if (inv) {
        r = la_of(p, &t, KILN_LA_INV, m, NULL, 0);
        for (int d = split; d < nd; d++) shape[rn++] = x->shape[d]; /* a.shape[ind:] + a.shape[:ind] */
        for (int d = 0; d < split; d++) shape[rn++] = x->shape[d];
    } else {
        int64_t nb = 1;
        for (int d = 0; d < b->ndim; d++) nb *= b->shape[d];
        if (nb != rows) {
            tmps_free(&t);
            return fe_err(p, off, KILN_ERR_SHAPE, "tensorsolve(): b's shape does not match a's first dimensions");
        }
        kiln_expr *bv = keep(&t, kiln_reshape(c, b, 1, &nb));
        r = m && bv ? la_of(p, &t, KILN_LA_SOLVE, m, bv, 0) : NULL;
        for (int d = split; d < nd; d++) shape[rn++] = x->shape[d];
    }
    return done(p, &t, out, r ? keep(&t, kiln_reshape(c, r, rn, shape)) : NULL, off);
}

/* lstsq(a, b, rcond=None): NumPy's (x, residuals, rank, s) of the least-squares problem a @ x ≈ b,
 * by the SVD as LAPACK's gelsd: x = vh.T @ (u.T @ b / s) over the singular values above
 * rcond · max(s) (rcond: eps · max(m, n) by default), the minimal-norm solution; residuals the
 * squared norms of b - a @ x's columns when the rank is full and m > n, else empty (the rank is
 * computed now: it decides residuals' shape); rank an int32. */
static bool lstsq(parser *p, const fe_fn *f, fe_args *a, tmps *t, kiln_expr *x, size_t off, kval *out) {
    kiln_ctx *c = p->ctx;
    kiln_expr *b = keep(t, expr_of(p, f, a, "b"));
    if (!b) return done(p, t, out, NULL, off);
    if (x->ndim != 2 || b->ndim < 1 || b->ndim > 2) {
        tmps_free(t);
        return fe_err(p, off, KILN_ERR_SHAPE, "lstsq(): %d-dimensional array given. Array must be two-dimensional",
                      x->ndim != 2 ? x->ndim : b->ndim);
    }
    int64_t m = x->shape[0], n = x->shape[1], kb = b->ndim == 2 ? b->shape[1] : 1, k = m < n ? m : n;
    if (b->shape[0] != m) {
        tmps_free(t);
        return fe_err(p, off, KILN_ERR_SHAPE, "lstsq(): Incompatible dimensions");
    }
    kiln_dtype dt = la_dtype(x) == KILN_F32 && la_dtype(b) == KILN_F32 ? KILN_F32 : KILN_F64;
    double rc = (dt == KILN_F32 ? 0x1p-23 : 0x1p-52) * (double)(m > n ? m : n);
    int64_t ignored;
    if (given_not_none(a, "rcond") && !fe_arg_number(p, arg(a, "rcond"), f->name, "rcond", &rc, &ignored, NULL)) return done(p, t, out, NULL, off);
    kiln_expr *xa = keep(t, kiln_cast(c, x, dt)), *b2 = keep(t, kiln_cast(c, b->ndim == 1 ? keep(t, kiln_expand_dims(c, b, 1)) : b, dt));
    kiln_expr *sv = la_of(p, t, KILN_LA_SVALS, xa, NULL, 0), *sol = NULL, *big = NULL, *u = NULL, *vh = NULL;
    int64_t rank = 0;
    if (sv && k > 0) {
        u = la_of(p, t, KILN_LA_SVD_U, xa, NULL, 0), vh = la_of(p, t, KILN_LA_SVD_VH, xa, NULL, 0);
        if (!u || !vh) return done(p, t, out, NULL, off);
    }
    if (sv && k > 0 && !p->env->in_grad) { /* the SVD now, one factorization (the rank decides residuals' shape); inside
                                             grad() the graph stays, for the gradients, and the rank's values are
                                             factorized once more */
        kiln_array *fac[3] = {NULL, NULL, NULL};
        p->env->volatile_ = true;
        if (kiln_eval_many(c, 3, (kiln_expr *[]){u, sv, vh}, fac) != KILN_OK) {
            fe_got(p, NULL, off);
            return done(p, t, out, NULL, off);
        }
        u = keep(t, kiln_var(c, fac[0])), sv = keep(t, kiln_var(c, fac[1])), vh = keep(t, kiln_var(c, fac[2]));
        for (int i = 0; i < 3; i++) kiln_array_free(fac[i]);
        if (!u || !sv || !vh) return done(p, t, out, NULL, off);
    }
    if (sv && k > 0) { /* the singular values above the cutoff, their count now */
        kiln_expr *cut = keep(t, kiln_mul(c, keep(t, kiln_reduce(c, KILN_OP_MAX, sv, -1, 1)), keep(t, kiln_scalar(c, rc))));
        big = cut ? keep(t, kiln_gt(c, sv, cut)) : NULL;
        kiln_array *r = big ? value_now(p, keep(t, kiln_reduce(c, KILN_OP_SUM, big, KILN_ALL_AXES, 0)), off) : NULL;
        if (!r) return done(p, t, out, NULL, off);
        rank = *(const int64_t *)kiln_array_data(r);
        kiln_array_free(r);
        kiln_expr *inv = keep(t, kiln_where(c, big, keep(t, kiln_div(c, keep(t, kiln_scalar(c, 1)), sv)), zero_of(p, t, dt)));
        kiln_expr *ub = u ? keep(t, kiln_matmul(c, mat_t(p, t, u), b2)) : NULL;
        kiln_expr *sub = inv && ub ? keep(t, kiln_mul(c, keep(t, kiln_expand_dims(c, inv, 1)), ub)) : NULL;
        sol = sub && vh ? keep(t, kiln_matmul(c, mat_t(p, t, vh), sub)) : NULL;
    } else if (sv) { /* an empty a: x is zeros */
        sol = fe_broadcast_to(p, t, zero_of(p, t, dt), 2, (int64_t[]){n, kb}, f->name, off);
    }
    if (!sol) return done(p, t, out, NULL, off);
    kiln_expr *res; /* the residuals: sum((b - a @ x)², axis=0) with a full rank and m > n, else nothing */
    if (rank == n && m > n) res = keep(t, kiln_sum(c, keep(t, kiln_square(c, keep(t, kiln_sub(c, b2, keep(t, kiln_matmul(c, xa, sol)))))), 0, 0));
    else res = fe_broadcast_to(p, t, zero_of(p, t, dt), 1, (int64_t[]){0}, f->name, off);
    kiln_expr *xs = b->ndim == 1 ? keep(t, kiln_squeeze(c, sol, 1)) : sol;
    kiln_expr *rk = keep(t, kiln_const(c, KILN_I32, (double)rank));
    return tuple_result(p, t, out, (kiln_expr *[]){xs, res, rk, sv}, 4, off);
}

/* The product of xs[i .. j] in the order split gives (multi_dot's: split[i * n + j] the last
 * product's left end). */
static kiln_expr *chain_product(tmps *t, kiln_ctx *c, kiln_expr *const *xs, const int *split, int n, int i, int j) {
    if (i == j) return xs[i];
    int k = split[i * n + j];
    kiln_expr *l = chain_product(t, c, xs, split, n, i, k), *r = l ? chain_product(t, c, xs, split, n, k + 1, j) : NULL;
    return r ? keep(t, kiln_matmul(c, l, r)) : NULL;
}

/* np.linalg's solve, inv, det, slogdet, cholesky, eigh, eigvalsh, svd, qr (kiln_linalg), and
 * compositions of them as NumPy composes them: pinv (svd, small values dropped), matrix_rank
 * (the singular values above the tolerance), matrix_power (squarings; inv for n < 0), cond (the
 * singular values' ratio), multi_dot (NumPy's cheapest order of the products). */
static bool h_linalg(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    int fn = f->op;
    if (fn == L_MULTI_DOT) {
        kval *lv = arg(a, "arrays");
        if ((lv->kind != KV_LIST && lv->kind != KV_TUPLE) || lv->n < 2)
            return fe_err(p, lv->off, KILN_ERR_ARG, "multi_dot(): Expecting at least two arrays.");
        int n = lv->n;
        /* (the arrays, their dims, and the program's costs and splits, n x n each) */
        size_t nn = (size_t)n * (size_t)n;
        char *mem = kiln_malloc(c, (size_t)n * sizeof(kiln_expr *) + (size_t)(n + 1) * sizeof(double) + nn * (sizeof(double) + sizeof(int)));
        if (!mem) return fe_got(p, NULL, off);
        kiln_expr **xs = (kiln_expr **)mem;
        double *dims = (double *)(mem + (size_t)n * sizeof *xs), *cost = dims + n + 1;
        int *split = (int *)(cost + nn);
        for (int i = 0; i < n; i++) {
            kiln_expr *x = xs[i] = keep(&t, fe_arg_expr(p, &lv->items[i], f->name, "arrays"));
            if (!x) return kiln_free(c, mem), done(p, &t, out, NULL, off);
            if (x->ndim < 1 || x->ndim > 2 || ((i > 0 && i < n - 1) && x->ndim != 2)) {
                tmps_free(&t);
                kiln_free(c, mem);
                return fe_err(p, lv->items[i].off, KILN_ERR_ARG, "multi_dot(): %d-dimensional array given. Array must be two-dimensional",
                              x->ndim);
            }
        }
        /* NumPy's order: the cheapest parenthesization by the matrix-chain dynamic program (three
         * arrays by its two costs, the same answer), a 1-D first a row and a 1-D last a column:
         * A @ (B @ v) of square A, B is two matrix-vector products, not a matrix product */
        for (int i = 0; i < n; i++) dims[i] = i == 0 && xs[0]->ndim == 1 ? 1 : (double)xs[i]->shape[0];
        dims[n] = xs[n - 1]->ndim == 1 ? 1 : (double)xs[n - 1]->shape[1];
        for (int len = 1; len < n; len++)
            for (int i = 0; i + len < n; i++) {
                int j = i + len;
                cost[i * n + j] = INFINITY;
                for (int k = i; k < j; k++) { /* (the first cheapest k, as NumPy's loop keeps) */
                    double q = (k > i ? cost[i * n + k] : 0) + (k + 1 < j ? cost[(k + 1) * n + j] : 0) + dims[i] * dims[k + 1] * dims[j + 1];
                    if (q < cost[i * n + j]) cost[i * n + j] = q, split[i * n + j] = k;
                }
            }
        kiln_expr *r = chain_product(&t, c, xs, split, n, 0, n - 1);
        kiln_free(c, mem);
        return done(p, &t, out, r, off);
    }
    kiln_expr *x = keep(&t, expr_of(p, f, a, fn == L_RANK ? "A" : fn == L_COND || fn == L_SVDVALS ? "x" : "a"));
    if (!x) return false;
    if ((fn == KILN_LA_EIGVALSH || fn == L_EIGH) && x->ndim < 2) /* (eigh's and eigvalsh's words: not the kernel's name) */
        return tmps_free(&t), fe_err(p, off, KILN_ERR_LINALG, "%d-dimensional array given. Array must be at least two-dimensional", x->ndim);
    if ((fn == KILN_LA_EIGVALSH || fn == L_EIGH) && x->shape[x->ndim - 1] != x->shape[x->ndim - 2])
        return tmps_free(&t), fe_err(p, off, KILN_ERR_LINALG, "Last 2 dimensions of the array must be square");
    if (fn == L_LSTSQ) return lstsq(p, f, a, &t, x, off, out);
    if (fn == L_RANK && x->ndim < 2) /* int(not all(A == 0)) */
        return done(p, &t, out, keep(&t, kiln_cast(c, keep(&t, kiln_reduce(c, KILN_OP_ANY, x, KILN_ALL_AXES, 0)), KILN_I64)), off);
    if (x->ndim < 2) {
        tmps_free(&t);
        return fe_err(p, off, KILN_ERR_SHAPE, "%s(): %d-dimensional array given. Array must be at least two-dimensional", f->name,
                      x->ndim);
    }
    int nd = x->ndim;
    int64_t m = x->shape[nd - 2], n = x->shape[nd - 1];
    unsigned flags = 0;
    bool b1 = false;
    switch (fn) {
    case KILN_LA_SOLVE:
        return done(p, &t, out, la_of(p, &t, fn, x, keep(&t, expr_of(p, f, a, "b")), 0), off);
    case KILN_LA_INV:
    case KILN_LA_DET: return done(p, &t, out, la_of(p, &t, fn, x, NULL, 0), off);
    case L_SLOGDET:
        return named(out, &slogdet_result, tuple_result(p, &t, out, (kiln_expr *[]){la_of(p, &t, KILN_LA_SIGNDET, x, NULL, 0), la_of(p, &t, KILN_LA_LOGDET, x, NULL, 0)},
                                                        2, off));
    case KILN_LA_CHOLESKY:
        if (given(a, "upper") && !fe_arg_bool(p, arg(a, "upper"), f->name, "upper", &b1)) return done(p, &t, out, NULL, off);
        return done(p, &t, out, la_of(p, &t, fn, x, NULL, b1 ? KILN_LA_UPPER : 0), off);
    case KILN_LA_EIGVALSH:
    case L_EIGH: {
        kval *u = arg(a, "UPLO"); /* (NumPy upper-cases it) */
        if (u->kind != KV_ABSENT && (u->kind != KV_STR || (strcasecmp(u->s, "L") && strcasecmp(u->s, "U")))) {
            tmps_free(&t);
            return fe_err(p, u->off, KILN_ERR_ARG, "UPLO argument must be 'L' or 'U'");
        }
        flags = u->kind == KV_STR && !strcasecmp(u->s, "U") ? KILN_LA_UPPER : 0;
        if (fn == KILN_LA_EIGVALSH) return done(p, &t, out, la_of(p, &t, fn, x, NULL, flags), off);
        flags |= IR_LA_VECTORS; /* (eigh(a)[0] alone: NumPy's values, computed with the vectors) */
        kiln_expr *w = keep(&t, ir_linalg(&c->graph, KILN_LA_EIGVALSH, x, NULL, flags));
        kiln_expr *v = w ? keep(&t, ir_linalg(&c->graph, KILN_LA_EIGVECSH, x, NULL, flags)) : NULL;
        return named(out, &eigh_result, tuple_result(p, &t, out, (kiln_expr *[]){w, v}, 2, off));
    }
    case L_SVDVALS: return done(p, &t, out, la_of(p, &t, KILN_LA_SVALS, x, NULL, 0), off);
    case L_SVD: {
        bool full = true, uv = true, herm = false;
        if ((given(a, "full_matrices") && !fe_arg_bool(p, arg(a, "full_matrices"), f->name, "full_matrices", &full)) ||
            (given(a, "compute_uv") && !fe_arg_bool(p, arg(a, "compute_uv"), f->name, "compute_uv", &uv)) ||
            (given(a, "hermitian") && !fe_arg_bool(p, arg(a, "hermitian"), f->name, "hermitian", &herm)))
            return done(p, &t, out, NULL, off);
        kiln_expr *sv = la_of(p, &t, KILN_LA_SVALS, x, NULL, 0);
        if (!uv) return done(p, &t, out, sv, off);
        flags = full ? KILN_LA_FULL : 0;
        return named(out, &svd_result, tuple_result(p, &t, out, (kiln_expr *[]){la_of(p, &t, KILN_LA_SVD_U, x, NULL, flags), sv, la_of(p, &t, KILN_LA_SVD_VH, x, NULL, flags)},
                                                    3, off));
    }
    case L_QR: {
        kval *mv = arg(a, "mode");
        const char *mode = mv->kind == KV_STR ? mv->s : "reduced";
        if ((mv->kind != KV_ABSENT && mv->kind != KV_STR) || (strcmp(mode, "reduced") && strcmp(mode, "complete") && strcmp(mode, "r"))) {
            tmps_free(&t);
            return fe_err(p, mv->off, KILN_ERR_ARG,
                          "qr(): mode must be 'reduced', 'complete' or 'r' (kiln has neither 'raw' nor the deprecated 'full' and 'economic')");
        }
        flags = !strcmp(mode, "complete") ? KILN_LA_FULL : 0;
        kiln_expr *r = la_of(p, &t, KILN_LA_QR_R, x, NULL, flags);
        if (!strcmp(mode, "r")) return done(p, &t, out, r, off);
        return named(out, &qr_result, tuple_result(p, &t, out, (kiln_expr *[]){la_of(p, &t, KILN_LA_QR_Q, x, NULL, flags), r}, 2, off));
    }
    case L_PINV:
    case L_RANK:
    case L_COND: {
        kiln_dtype dt = la_dtype(x);
        double eps = dt == KILN_F32 ? 0x1p-23 : 0x1p-52, rc = fn == L_PINV ? 1e-15 : (double)(m > n ? m : n) * eps;
        int64_t ignored;
        if (fn == L_PINV && given_not_none(a, "rcond") && given(a, "rtol")) {
            tmps_free(&t);
            return fe_err(p, arg(a, "rtol")->off, KILN_ERR_ARG, "`rtol` and `rcond` can't be both set.");
        }
        if (fn == L_PINV && given(a, "rtol") && !given_not_none(a, "rtol")) rc = (double)(m > n ? m : n) * eps; /* rtol=None */
        const char *rn = fn == L_PINV && !given(a, "rtol") ? "rcond" : "rtol";
        if (fn != L_COND && given_not_none(a, rn) && !fe_arg_number(p, arg(a, rn), f->name, rn, &rc, &ignored, NULL))
            return done(p, &t, out, NULL, off);
        if (fn == L_RANK && given_not_none(a, "tol") && given_not_none(a, "rtol")) {
            tmps_free(&t);
            return fe_err(p, arg(a, "rtol")->off, KILN_ERR_ARG, "`tol` and `rtol` can't be both set.");
        }
        if (fn == L_COND) { /* p None, 2, -2: the singular values' ratio; else norm(x, p) * norm(inv(x), p), inv quiet */
            const kval *pa = arg(a, "p");
            const char *ps = given_not_none(a, "p") && pa->kind == KV_STR ? pa->s : NULL;
            double pv = 2;
            if (ps && strcmp(ps, "fro") && strcmp(ps, "f") && strcmp(ps, "nuc")) {
                tmps_free(&t);
                return fe_err(p, pa->off, KILN_ERR_ARG, "Invalid norm order '%s' for matrices", ps);
            }
            if (!ps && given_not_none(a, "p")) {
                if (!fe_arg_number(p, pa, f->name, "p", &pv, &ignored, NULL)) return done(p, &t, out, NULL, off);
                if (fabs(pv) != 2 && fabs(pv) != 1 && !isinf(pv)) {
                    tmps_free(&t);
                    return fe_err(p, pa->off, KILN_ERR_ARG, "Invalid norm order for matrices.");
                }
            }
            b1 = pv == -2;
            if (m == 0 || n == 0) {
                tmps_free(&t);
                return fe_err(p, off, KILN_ERR_LINALG, "cond is not defined on empty arrays");
            }
            kiln_expr *r = NULL;
            if (!ps && fabs(pv) == 2) {
                kiln_expr *sv = la_of(p, &t, KILN_LA_SVALS, x, NULL, 0);
                kiln_expr *hi = sv ? keep(&t, kiln_reduce(c, KILN_OP_MAX, sv, -1, 0)) : NULL;
                kiln_expr *lo = sv ? keep(&t, kiln_reduce(c, KILN_OP_MIN, sv, -1, 0)) : NULL;
                r = hi && lo ? keep(&t, b1 ? kiln_div(c, lo, hi) : kiln_div(c, hi, lo)) : NULL;
            } else if (m != n) {
                tmps_free(&t);
                return fe_err(p, off, KILN_ERR_LINALG, "Last 2 dimensions of the array must be square");
            } else {
                /* (NumPy's: x's norm in its dtype times the float64 inverse's, rounded to x's) */
                kiln_expr *x64 = keep(&t, kiln_cast(c, x, KILN_F64));
                kiln_expr *inv = x64 ? keep(&t, ir_linalg(&c->graph, KILN_LA_INV, x64, NULL, IR_LA_QUIET)) : NULL;
                kiln_expr *xf = keep(&t, kiln_cast(c, x, la_dtype(x))); /* (integers: norm's sums in floats, as NumPy's, not wrapping) */
                kiln_expr *n1 = xf ? cond_norm(p, &t, xf, ps, pv) : NULL, *n2 = inv ? cond_norm(p, &t, inv, ps, pv) : NULL;
                r = n1 && n2 ? keep(&t, kiln_mul(c, n1, n2)) : NULL;
                if (r && la_dtype(x) == KILN_F32) r = keep(&t, kiln_cast(c, r, KILN_F32));
            }
            /* NaN (0/0) becomes inf unless x holds a NaN */
            kiln_expr *xn = r ? keep(&t, kiln_reduce_axes(c, KILN_OP_ANY, keep(&t, kiln_isnan(c, x)), 3u << (nd - 2), 0)) : NULL;
            kiln_expr *fix = xn ? keep(&t, kiln_and(c, keep(&t, kiln_isnan(c, r)), keep(&t, kiln_invert(c, xn)))) : NULL;
            return done(p, &t, out, fix ? keep(&t, kiln_where(c, fix, keep(&t, kiln_scalar(c, INFINITY)), r)) : NULL, off);
        }
        if (fn == L_RANK && given_not_none(a, "tol")) {
            kiln_expr *sv = la_of(p, &t, KILN_LA_SVALS, x, NULL, 0), *tol = keep(&t, expr_of(p, f, a, "tol"));
            kiln_expr *tl = tol ? keep(&t, kiln_expand_dims(c, tol, tol->ndim)) : NULL;
            kiln_expr *big = sv && tl ? keep(&t, kiln_gt(c, sv, tl)) : NULL;
            return done(p, &t, out, big ? keep(&t, kiln_reduce(c, KILN_OP_SUM, big, -1, 0)) : NULL, off);
        }
        if (fn == L_PINV && (m == 0 || n == 0)) { /* (n, m) of nothing */
            int64_t shape[KILN_MAX_DIMS];
            memcpy(shape, x->shape, sizeof shape);
            shape[nd - 2] = n, shape[nd - 1] = m;
            kiln_expr *z = zero_of(p, &t, dt);
            return done(p, &t, out, fe_broadcast_to(p, &t, z, nd, shape, f->name, off), off);
        }
        kiln_expr *sv = la_of(p, &t, KILN_LA_SVALS, x, NULL, 0);
        kiln_expr *cut = sv ? keep(&t, kiln_mul(c, keep(&t, kiln_reduce(c, KILN_OP_MAX, sv, -1, 1)), keep(&t, kiln_scalar(c, rc)))) : NULL;
        kiln_expr *big = cut ? keep(&t, kiln_gt(c, sv, cut)) : NULL;
        if (fn == L_RANK) return done(p, &t, out, big ? keep(&t, kiln_reduce(c, KILN_OP_SUM, big, -1, 0)) : NULL, off);
        /* vh.T @ (1/s where large, else 0)[..., None] * u.T */
        kiln_expr *inv = big ? keep(&t, kiln_where(c, big, keep(&t, kiln_div(c, keep(&t, kiln_scalar(c, 1)), sv)), zero_of(p, &t, dt))) : NULL;
        kiln_expr *u = la_of(p, &t, KILN_LA_SVD_U, x, NULL, 0), *vh = la_of(p, &t, KILN_LA_SVD_VH, x, NULL, 0);
        kiln_expr *su = inv && u ? keep(&t, kiln_mul(c, keep(&t, kiln_expand_dims(c, inv, nd - 1)), mat_t(p, &t, u))) : NULL;
        return done(p, &t, out, su && vh ? keep(&t, kiln_matmul(c, mat_t(p, &t, vh), su)) : NULL, off);
    }
    case L_POWER: {
        int64_t k;
        if (!fe_arg_int(p, arg(a, "n"), f->name, "n", &k)) return done(p, &t, out, NULL, off);
        if (m != n) {
            tmps_free(&t);
            return fe_err(p, off, KILN_ERR_SHAPE, "matrix_power(): Last 2 dimensions of the array must be square");
        }
        if (k == 0) { /* identities of x's dtype, in x's shape */
            kiln_array *e = kiln_eye(c, (kiln_dtype)x->dtype, n, n, 0);
            kiln_expr *ev = e ? keep(&t, kiln_var(c, e)) : NULL;
            kiln_array_free(e);
            return done(p, &t, out, fe_broadcast_to(p, &t, ev, nd, x->shape, f->name, off), off);
        }
        kiln_expr *z = k < 0 ? la_of(p, &t, KILN_LA_INV, x, NULL, 0) : x, *r = NULL;
        uint64_t e = k < 0 ? (uint64_t)0 - (uint64_t)k : (uint64_t)k;
        if (e <= 3) { /* NumPy's: a, a @ a, (a @ a) @ a */
            r = z;
            for (uint64_t i = 1; i < e && r; i++) r = keep(&t, kiln_matmul(c, r, z));
        } else /* the squares z, z @ z, ..., each bit's into the product, from the smallest */
            for (bool first = true; e && z; e >>= 1, first = false) {
                if (!first) z = keep(&t, kiln_matmul(c, z, z));
                if (z && (e & 1)) r = r ? keep(&t, kiln_matmul(c, r, z)) : z;
            }
        return done(p, &t, out, r, off);
    }
    default: break;
    }
    tmps_free(&t);
    return fe_err(p, off, KILN_ERR_ARG, "%s(): internal: no such function", f->name);
}

/* split(ary, indices_or_sections, axis=0), array_split(...): a list of views along axis, at the
 * given indices or in N sections (split: equal ones; array_split: the first len % N one longer) */
static bool h_split(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_expr *x = keep(&t, expr_of(p, f, a, "ary"));
    int axis = 0;
    if (!x) return false;
    if (x->ndim == 0 || (given(a, "axis") && !axis_in(p, arg(a, "axis"), f->name, "axis", x->ndim, &axis))) {
        tmps_free(&t);
        return x->ndim == 0 ? fe_err(p, off, KILN_ERR_ARG, "%s(): a 0-d array cannot be split", f->name) : false;
    }
    kval *iv = arg(a, "indices_or_sections");
    int64_t len = x->shape[axis], cuts[1025];
    int n = 0; /* pieces: [cuts[k], cuts[k + 1]) */
    if (iv->kind == KV_LIST || iv->kind == KV_TUPLE) {
        if (iv->n > 1023) {
            tmps_free(&t);
            return fe_err(p, iv->off, KILN_ERR_ARG, "%s(): at most 1023 indices", f->name);
        }
        cuts[n++] = 0;
        for (int k = 0; k < iv->n; k++) {
            int64_t c;
            if (!fe_arg_int(p, &iv->items[k], f->name, "indices_or_sections", &c)) return done(p, &t, out, NULL, off);
            c = c < 0 ? (c + len < 0 ? 0 : c + len) : (c > len ? len : c);
            cuts[n++] = c;
        }
        cuts[n++] = len;
    } else {
        int64_t N;
        if (!fe_arg_int(p, iv, f->name, "indices_or_sections", &N)) return done(p, &t, out, NULL, off);
        if (N <= 0 || N > 1024) {
            tmps_free(&t);
            return fe_err(p, iv->off, KILN_ERR_ARG, N <= 0 ? "number sections must be larger than 0." : "%s(): at most 1024 sections", f->name);
        }
        if (!f->op && len % N) {
            tmps_free(&t);
            return fe_err(p, iv->off, KILN_ERR_ARG, "array split does not result in an equal division");
        }
        cuts[n++] = 0;
        for (int64_t k = 0, at = 0; k < N; k++) cuts[n++] = at += len / N + (k < len % N);
    }
    kval *items = kiln_calloc(p->ctx, (size_t)(n - 1) * sizeof *items + 1);
    bool ok = fe_got(p, items, off);
    int m = 0;
    for (int k = 0; ok && k + 1 < n; k++) {
        int64_t lo = cuts[k], hi = cuts[k + 1] < lo ? lo : cuts[k + 1];
        kiln_expr *v = slice_along(p, &t, x, axis, lo, hi, 1);
        ok = fe_set_expr(p, &items[m], v ? kiln_expr_retain(v) : NULL, off);
        if (ok) items[m].alias = arg(a, "ary")->alias, fe_view_readonly(&items[m++], arg(a, "ary")); /* views of a name's array are views too */
    }
    tmps_free(&t);
    *out = (kval){.kind = KV_LIST, .off = off, .n = m, .items = items};
    if (!ok) kval_free(p->ctx, out);
    return ok;
}

/* cov's fweights or aweights (name): float64, one per observation (n), checked now as NumPy
 * checks them; NULL after an error. */
static kiln_expr *cov_weights(parser *p, const fe_fn *f, fe_args *a, tmps *t, const char *name, int64_t n) {
    kiln_ctx *c = p->ctx;
    kval *v = arg(a, name);
    kiln_expr *w = keep(t, expr_of(p, f, a, name));
    if (w && w->dtype != KILN_F64) w = keep(t, kiln_cast(c, w, KILN_F64));
    if (!w) return NULL;
    if (w->ndim > 1) return fe_err(p, v->off, KILN_ERR_ARG, "cannot handle multidimensional %s", name), NULL;
    if (w->ndim == 0 || w->shape[0] != n) return fe_err(p, v->off, KILN_ERR_ARG, "incompatible numbers of samples and %s", name), NULL;
    bool bad;
    if (name[0] == 'f') {
        if (!truth_now(p, t, KILN_OP_ANY, keep(t, kiln_ne(c, w, keep(t, kiln_rint(c, w)))), v->off, &bad)) return NULL;
        if (bad) return fe_err(p, v->off, KILN_ERR_DTYPE, "fweights must be integer"), NULL;
    }
    if (!truth_now(p, t, KILN_OP_ANY, keep(t, kiln_lt(c, w, keep(t, kiln_scalar(c, 0.0)))), v->off, &bad)) return NULL;
    if (bad) return fe_err(p, v->off, KILN_ERR_ARG, "%s cannot be negative", name), NULL;
    return w;
}

/* cov(m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None, dtype=None)
 * and corrcoef(x, y=None, rowvar=True, dtype=None) as NumPy computes them: in float64 (or
 * dtype); each variable (a row, or a column with rowvar=False) less its mean (average's with the
 * weights w = fweights * aweights), X @ (X * w).T times 1 / fact, squeezed, fact N - ddof, or
 * with weights their sum less ddof (times sum(w * aweights) / sum(w) with aweights);
 * rowvar=False transposes a 2-D m even of one row, and y unless it is one row; corrcoef divides
 * by the standard deviations on both sides and clips to [-1, 1], or for one variable is c / c. */
static bool h_cov(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    const char *mname = f->op ? "x" : "m";
    bool rowvar = true, bias = false;
    int64_t ddof = 1;
    kiln_dtype dt = KILN_F64;
    kiln_expr *xs[2] = {keep(&t, expr_of(p, f, a, mname)), NULL};
    if (!xs[0] || (given(a, "rowvar") && !fe_arg_bool(p, arg(a, "rowvar"), f->name, "rowvar", &rowvar))) return done(p, &t, out, NULL, off);
    if (given_not_none(a, "dtype") && !fe_arg_dtype(p, arg(a, "dtype"), f->name, &dt)) return done(p, &t, out, NULL, off);
    if (!dtype_is_float(dt)) { /* (NumPy's own dot of integers would follow; kiln computes in floats) */
        tmps_free(&t);
        return fe_err(p, arg(a, "dtype")->off, KILN_ERR_DTYPE, "%s(): kiln computes in float32 or float64 (dtype=)", f->name);
    }
    if (!f->op && given(a, "bias") && !fe_arg_bool(p, arg(a, "bias"), f->name, "bias", &bias)) return done(p, &t, out, NULL, off);
    if (bias) ddof = 0;
    if (!f->op && given_not_none(a, "ddof") && !fe_arg_int(p, arg(a, "ddof"), f->name, "ddof", &ddof)) return done(p, &t, out, NULL, off);
    if (given_not_none(a, "y") && !(xs[1] = keep(&t, expr_of(p, f, a, "y")))) return done(p, &t, out, NULL, off);
    for (int k = 0; k < 2; k++) { /* each as (variables, observations), float64 */
        kiln_expr *x = xs[k];
        if (!x) continue;
        if (x->ndim > 2) {
            tmps_free(&t);
            return fe_err(p, off, KILN_ERR_ARG, "%s(): %s has more than 2 dimensions", f->name, k ? "y" : mname);
        }
        if (x->dtype != dt) x = keep(&t, kiln_cast(c, x, dt));
        if (x && x->ndim < 2) x = keep(&t, kiln_reshape(c, x, 2, (int64_t[]){1, x->ndim ? x->shape[0] : 1}));
        bool vec = x && (k ? x->shape[0] == 1 : xs[k]->ndim == 1); /* (NumPy's tests: m's ndim, y's rows after ndmin=2) */
        if (x && !rowvar && !vec) x = keep(&t, kiln_transpose(c, x));
        if (!(xs[k] = x)) return done(p, &t, out, NULL, off);
    }
    kiln_expr *X = xs[1] ? keep(&t, kiln_concatenate(c, 2, xs, 0)) : xs[0];
    if (!X) return done(p, &t, out, NULL, off);
    kiln_expr *fw = NULL, *aw = NULL, *w = NULL;
    if (!f->op && given_not_none(a, "fweights") && !(w = fw = cov_weights(p, f, a, &t, "fweights", X->shape[1]))) return done(p, &t, out, NULL, off);
    if (!f->op && given_not_none(a, "aweights") && !(aw = cov_weights(p, f, a, &t, "aweights", X->shape[1]))) return done(p, &t, out, NULL, off);
    if (aw) w = fw ? keep(&t, kiln_mul(c, fw, aw)) : aw;
    double fact = (double)(X->shape[1] - ddof);
    kiln_expr *avg;
    if (w) { /* average(X, axis=1, weights=w): float64, its sum of weights the normalization's */
        kiln_expr *wsum = keep(&t, kiln_sum(c, w, 0, 0));
        kiln_array *ws = wsum ? value_now(p, wsum, off) : NULL;
        if (!ws) return done(p, &t, out, NULL, off);
        double sw = *(const double *)kiln_array_data(ws);
        kiln_array_free(ws);
        if (sw == 0) {
            tmps_free(&t);
            return fe_err(p, off, KILN_ERR_ARG, "Weights sum to zero, can't be normalized");
        }
        fact = sw - (ddof == 0 ? 0 : !aw ? (double)ddof : 0);
        if (aw && ddof != 0) {
            kiln_expr *wa = keep(&t, kiln_sum(c, keep(&t, kiln_mul(c, w, aw)), 0, 0));
            kiln_array *wv = wa ? value_now(p, wa, off) : NULL;
            if (!wv) return done(p, &t, out, NULL, off);
            fact = sw - (double)ddof * *(const double *)kiln_array_data(wv) / sw;
            kiln_array_free(wv);
        }
        kiln_expr *num = keep(&t, kiln_sum(c, keep(&t, kiln_mul(c, keep(&t, kiln_cast(c, X, KILN_F64)), w)), 1, 1));
        avg = num ? keep(&t, kiln_div(c, num, keep(&t, kiln_const(c, KILN_F64, sw)))) : NULL;
    } else {
        avg = keep(&t, kiln_mean(c, X, 1, 1));
    }
    if (fact <= 0) fact = 0; /* (NumPy warns and divides by zero) */
    kiln_expr *centered = avg ? keep(&t, kiln_sub(c, X, avg)) : NULL; /* (X -= avg: X's dtype) */
    if (centered && centered->dtype != dt) centered = keep(&t, kiln_cast(c, centered, dt));
    kiln_expr *xw = centered && w ? keep(&t, kiln_mul(c, centered, w)) : centered;
    kiln_expr *prod = xw ? keep(&t, ir_matmul_flags(&c->graph, centered, keep(&t, kiln_transpose(c, xw)), IR_MATMUL_COPIES)) : NULL;
    /* (c *= true_divide(1, fact): a float64 scalar, not a Python float: float32's product in float64, rounded) */
    kiln_expr *p64 = prod && prod->dtype != KILN_F64 ? keep(&t, kiln_cast(c, prod, KILN_F64)) : prod;
    kiln_expr *cv = p64 ? keep(&t, kiln_mul(c, p64, keep(&t, kiln_const(c, KILN_F64, 1.0 / fact)))) : NULL;
    if (cv && prod->dtype != KILN_F64) cv = keep(&t, kiln_cast(c, cv, (kiln_dtype)prod->dtype));
    if (cv && f->op && cv->shape[0] == 1) { /* corrcoef of one variable: NumPy's c / c (1, or NaN for NaN, inf or 0) */
        cv = keep(&t, kiln_div(c, cv, cv));
    } else if (cv && f->op) { /* corrcoef */
        int64_t nv = cv->shape[0];
        kiln_expr *flat = keep(&t, kiln_reshape(c, cv, 1, (int64_t[]){nv * nv}));
        kiln_expr *d = flat ? slice_along(p, &t, flat, 0, 0, nv * nv, nv + 1) : NULL;
        kiln_expr *sd = d ? keep(&t, kiln_sqrt(c, d)) : NULL;
        kiln_expr *rows = sd ? keep(&t, kiln_div(c, cv, keep(&t, kiln_expand_dims(c, sd, 1)))) : NULL;
        kiln_expr *both = rows ? keep(&t, kiln_div(c, rows, keep(&t, kiln_expand_dims(c, sd, 0)))) : NULL;
        cv = both ? keep(&t, kiln_clip(c, both, keep(&t, kiln_scalar(c, -1.0)), keep(&t, kiln_scalar(c, 1.0)))) : NULL;
    }
    return done(p, &t, out, cv ? keep(&t, kiln_squeeze(c, cv, KILN_ALL_AXES)) : NULL, off);
}

/* vecdot(x1, x2, axis=-1): the dot products along axis, the other dims broadcast (as a stack of
 * 1 x n by n x 1 products: NumPy's dtype, int32 stays int32); matrix_transpose(x): the last two
 * axes swapped (a view). */
static bool h_vecdot(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kiln_expr *x = keep(&t, expr_of(p, f, a, f->op ? "x" : "x1"));
    if (!x) return false;
    if (f->op) { /* matrix_transpose */
        if (x->ndim < 2) {
            tmps_free(&t);
            return fe_err(p, off, KILN_ERR_SHAPE, "matrix_transpose(): the array must be at least 2-dimensional");
        }
        kval xv = *arg(a, "x");
        bool ok = done(p, &t, out, mat_t(p, &t, x), off);
        if (ok) out->alias = xv.alias, fe_view_readonly(out, &xv); /* a view of a name's array is one too */
        return ok;
    }
    kiln_expr *y = keep(&t, expr_of(p, f, a, "x2"));
    int64_t axis = -1;
    if (!y || (given(a, "axis") && !fe_arg_int(p, arg(a, "axis"), f->name, "axis", &axis))) return done(p, &t, out, NULL, off);
    kiln_expr *v[2] = {x, y};
    int64_t core[2] = {0, 0};
    for (int i = 0; i < 2; i++) {
        int nd = v[i]->ndim, ax = (int)(axis < 0 ? axis + nd : axis);
        core[i] = nd > 0 && ax >= 0 && ax < nd ? v[i]->shape[ax] : 0;
        if (nd == 0 || ax < 0 || ax >= nd) {
            tmps_free(&t);
            return fe_err(p, off, KILN_ERR_ARG, "vecdot(): axis %lld is out of bounds for an array of dimension %d", (long long)axis, nd);
        }
        if (ax != nd - 1) { /* the axis last */
            int perm[KILN_MAX_DIMS], k = 0;
            for (int d = 0; d < nd; d++)
                if (d != ax) perm[k++] = d;
            perm[k] = ax;
            v[i] = keep(&t, kiln_permute(c, v[i], perm));
        }
        if (v[i]) v[i] = keep(&t, kiln_expand_dims(c, v[i], i == 0 ? nd - 1 : nd));
        if (!v[i]) return done(p, &t, out, NULL, off);
    }
    if (core[0] != core[1]) /* (NumPy's words, not matmul's) */
        return tmps_free(&t), fe_err(p, off, KILN_ERR_SHAPE, "vecdot: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (n),(n)->() (size %lld is different from %lld)",
                                     (long long)core[1], (long long)core[0]);
    kiln_expr *r = keep(&t, kiln_matmul(c, v[0], v[1])); /* (..., 1, n) @ (..., n, 1) */
    kiln_expr *r1 = r ? keep(&t, kiln_squeeze(c, r, r->ndim - 1)) : NULL;
    return done(p, &t, out, r1 ? keep(&t, kiln_squeeze(c, r1, r1->ndim - 1)) : NULL, off);
}

/* ------------------------------------------------------------------ computed now: nonzero, unique */

/* e's value now (the statement is rebuilt at each run, as for a mask's); NULL after an error. */
/* nonzero(a): a tuple of int64 arrays, the coordinates of a's nonzero elements in C order;
 * argwhere(a): them as the columns of one (count, ndim) array; flatnonzero(a): their positions
 * in the flattened a.  Computed now. */
enum { Z_NONZERO, Z_ARGWHERE, Z_FLAT, Z_WHERE };
static bool h_nonzero(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out);

/* where(condition, x, y), and where(condition) as nonzero(condition) */
static bool h_where(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    bool hx = given_not_none(a, "x"), hy = given_not_none(a, "y");
    if (hx != hy) return fe_err(p, off, KILN_ERR_ARG, "where(): either both or neither of x and y should be given");
    fe_fn g = *f;
    if (!hx) {
        g.op = Z_WHERE;
        return h_nonzero(p, &g, a, off, out);
    }
    g.op = KILN_OP_WHERE;
    return h_ufunc(p, &g, a, off, out);
}

static bool h_nonzero(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kiln_ctx *c = p->ctx;
    kiln_expr *x = expr_of(p, f, a, f->op == Z_WHERE ? "condition" : "a");
    if (!x) return false;
    if (x->ndim == 0 && (f->op == Z_NONZERO || f->op == Z_WHERE)) {
        kiln_expr_free(x);
        return fe_err(p, off, KILN_ERR_ARG, "Calling nonzero on 0d arrays is not allowed. Use np.atleast_1d(scalar).nonzero() instead.");
    }
    int nd = x->ndim;
    int64_t shape[KILN_MAX_DIMS];
    memcpy(shape, x->shape, (size_t)nd * sizeof *shape);
    kiln_array *flat = fe_nonzero_now(p, x, off);
    kiln_expr_free(x);
    if (!flat) return false;
    int64_t count = kiln_array_size(flat);
    kval coord[KILN_MAX_DIMS];
    bool ok = f->op == Z_FLAT || fe_coordinates(p, flat, nd, shape, off, coord);
    kiln_expr *fe = f->op == Z_FLAT ? kiln_var(c, flat) : NULL;
    kiln_array_free(flat);
    if (f->op == Z_FLAT) return fe_set_expr(p, out, fe, off);
    if (!ok) return false;
    if (f->op == Z_ARGWHERE) { /* the coordinates as columns (of a 0-d array: (count, 0), none) */
        kiln_expr *cols[KILN_MAX_DIMS], *r = NULL;
        for (int d = 0; d < nd; d++) cols[d] = coord[d].e;
        if (nd) {
            r = kiln_stack(c, nd, cols, 1);
        } else {
            kiln_array *z = kiln_array_new(c, KILN_I64, 2, (int64_t[]){count, 0});
            r = z ? kiln_var(c, z) : NULL;
            kiln_array_free(z);
        }
        for (int d = 0; d < nd; d++) kval_free(c, &coord[d]);
        return fe_set_expr(p, out, r, off);
    }
    kval *items = kiln_calloc(c, (size_t)nd * sizeof *items);
    if (!fe_got(p, items, off)) {
        for (int d = 0; d < nd; d++) kval_free(c, &coord[d]);
        return false;
    }
    memcpy(items, coord, (size_t)nd * sizeof *items);
    *out = (kval){.kind = KV_TUPLE, .off = off, .n = nd, .items = items};
    return true;
}

/* How many of sorted 1-D (vd of dt, n elements vs bytes apart) come before its NaNs (last). */
static int64_t before_nans(kiln_dtype dt, const char *vd, int64_t vs, int64_t n) {
    int64_t m = n;
    if (dt == KILN_F64)
        while (m > 0 && isnan(*(const double *)(const void *)(vd + (m - 1) * vs))) m--;
    if (dt == KILN_F32)
        while (m > 0 && isnan(*(const float *)(const void *)(vd + (m - 1) * vs))) m--;
    return m;
}

/* Marks in st where each run of equal values of sorted 1-D (vd, n elements vs bytes apart; m of
 * them before the NaNs) starts (NaN equal to NaN when nan_equal, as unique's equal_nan); how
 * many runs there are.  vs is whole elements (a sort's result).  The values before the NaNs
 * compare by == alone, with no branch (a loop testing each pair for NaNs, then summing st, took
 * 8 us of unique(10^4 float64)'s 38). */
#define RUN_STARTS(T)                                                                                   \
    {                                                                                                   \
        const T *x = (const T *)(const void *)vd;                                                       \
        int64_t e = vs / (int64_t)sizeof(T);                                                            \
        if (m > 0) runs = st[0] = 1;                                                                    \
        for (int64_t k = 1; k < m; k++) runs += st[k] = x[k * e] != x[(k - 1) * e];                     \
        for (int64_t k = m; k < n; k++) runs += st[k] = k == m || !nan_equal; /* the NaNs */           \
    }
static int64_t run_starts(kiln_dtype dt, const char *vd, int64_t vs, int64_t n, bool nan_equal, uint8_t *st) {
    int64_t runs = 0, m = before_nans(dt, vd, vs, n);
    if (dt == KILN_F64) RUN_STARTS(double)
    else if (dt == KILN_F32) RUN_STARTS(float)
    else if (kiln_dtype_size(dt) == 8) RUN_STARTS(uint64_t)
    else if (kiln_dtype_size(dt) == 4) RUN_STARTS(uint32_t)
    else if (kiln_dtype_size(dt) == 2) RUN_STARTS(uint16_t)
    else RUN_STARTS(uint8_t)
    return runs;
}

/* The values of sorted 1-D (vd, n elements of es bytes, vs bytes apart: whole elements, as in
 * run_starts) where st marks a run's start, packed into out (groups of them): each value stored
 * at its run's place, from the last to the first, so that a run's first value is the one left
 * there; no branch on st (typed copies: a memcpy of run-time size for each took a quarter of
 * unique(10^4 float64)). */
#define GATHER_STARTS(T)                                                                                \
    {                                                                                                   \
        const T *x = (const T *)(const void *)vd;                                                       \
        int64_t e = vs / (int64_t)sizeof(T);                                                            \
        for (int64_t k = n - 1, g = groups - 1; k >= 0; k--) {                                          \
            ((T *)(void *)out)[g] = x[k * e];                                                           \
            g -= st[k];                                                                                 \
        }                                                                                               \
    }
static void gather_starts(char *out, int64_t groups, const char *vd, int64_t vs, int64_t n, size_t es, const uint8_t *st) {
    if (es == 8) GATHER_STARTS(uint64_t)
    else if (es == 4) GATHER_STARTS(uint32_t)
    else if (es == 2) GATHER_STARTS(uint16_t)
    else GATHER_STARTS(uint8_t)
}

/* unique's rows along an axis: v's rows (n of r elements, strides rs and cs) compared as NumPy
 * compares them (element by element, NaN after every number, -0.0 equal to 0.0). */
typedef struct row_order {
    kiln_dtype dt;
    const char *v;
    int64_t r, rs, cs;
} row_order;

static int row_cmp(const row_order *o, int64_t i, int64_t j);
/* whether rows i and j differ (a NaN equals nothing) */
static bool row_distinct(const row_order *o, int64_t i, int64_t j) {
    if (row_cmp(o, i, j)) return true;
    for (int64_t k = 0; (o->dt == KILN_F64 || o->dt == KILN_F32) && k < o->r; k++) {
        const char *x = o->v + i * o->rs + k * o->cs;
        if (o->dt == KILN_F64 ? isnan(*(const double *)(const void *)x) : isnan(*(const float *)(const void *)x)) return true;
    }
    return false;
}

static int row_cmp(const row_order *o, int64_t i, int64_t j) {
    for (int64_t k = 0; k < o->r; k++) {
        const char *x = o->v + i * o->rs + k * o->cs, *y = o->v + j * o->rs + k * o->cs;
        int c;
        if (o->dt == KILN_F64 || o->dt == KILN_F32) {
            double u = o->dt == KILN_F64 ? *(const double *)(const void *)x : *(const float *)(const void *)x;
            double w = o->dt == KILN_F64 ? *(const double *)(const void *)y : *(const float *)(const void *)y;
            c = u != u || w != w ? (u != u) - (w != w) : (u > w) - (u < w);
        } else { /* bools and integers, by value */
            int64_t u = kscalar_int(o->dt, ref_load(x, o->dt)), w = kscalar_int(o->dt, ref_load(y, o->dt));
            c = (u > w) - (u < w);
        }
        if (c) return c;
    }
    return 0;
}

/* idx[0..n) sorted stably by row_cmp (a merge sort; tmp: n more). */
static void rows_sort(const row_order *o, int64_t *idx, int64_t *tmp, int64_t n) {
    if (n < 2) return;
    int64_t h = n / 2;
    rows_sort(o, idx, tmp, h);
    rows_sort(o, idx + h, tmp, n - h);
    int64_t i = 0, j = h, k = 0;
    while (i < h && j < n) tmp[k++] = row_cmp(o, idx[j], idx[i]) < 0 ? idx[j++] : idx[i++];
    while (i < h) tmp[k++] = idx[i++];
    while (j < n) tmp[k++] = idx[j++];
    memcpy(idx, tmp, (size_t)n * sizeof *idx);
}

/* unique(x, axis=...): res[0] the distinct rows along axis, sorted, in the moved shape (axis
 * first: perm), res[1..3] as want asks (first positions, each row's group, counts).  NaN rows are
 * all distinct, as NumPy's (equal_nan is for axis=None). */
static bool unique_rows(parser *p, kiln_expr *x, int axis, const bool *want, kiln_array **res, int *perm, size_t off) {
    kiln_ctx *c = p->ctx;
    int nd = x->ndim, k = 0;
    int64_t moved[KILN_MAX_DIMS], n = x->shape[axis], r = 1;
    perm[k++] = axis;
    for (int d = 0; d < nd; d++)
        if (d != axis) perm[k++] = d, r *= x->shape[d];
    for (int d = 0; d < nd; d++) moved[d] = x->shape[perm[d]];
    kiln_expr *mx = kiln_permute(c, x, perm), *rows = mx ? kiln_reshape(c, mx, 2, (int64_t[]){n, r}) : NULL;
    kiln_array *v = rows ? value_now(p, rows, off) : NULL;
    kiln_expr_free(mx);
    kiln_expr_free(rows);
    if (!v) return false;
    row_order o = {(kiln_dtype)x->dtype, kiln_array_data(v), r, kiln_array_strides(v)[0], kiln_array_strides(v)[1]};
    int64_t *idx = kiln_malloc(c, (size_t)(2 * n + 1) * sizeof *idx), groups = 0;
    bool ok = fe_got(p, idx, off);
    if (ok) {
        for (int64_t i = 0; i < n; i++) idx[i] = i;
        rows_sort(&o, idx, idx + n, n);
        for (int64_t i = 0; i < n; i++) groups += i == 0 || row_distinct(&o, idx[i], idx[i - 1]);
        moved[0] = groups;
        res[0] = kiln_array_new(c, o.dt, nd, moved);
        if (want[0]) res[1] = kiln_array_new(c, KILN_I64, 1, &groups);
        if (want[1]) res[2] = kiln_array_new(c, KILN_I64, 1, &n);
        if (want[2]) res[3] = kiln_array_new(c, KILN_I64, 1, &groups);
        ok = fe_got(p, res[0] && (!want[0] || res[1]) && (!want[1] || res[2]) && (!want[2] || res[3]) ? res : NULL, off);
    }
    size_t es = kiln_dtype_size(o.dt);
    for (int64_t i = 0, g = -1; ok && i < n; i++) {
        if (i == 0 || row_distinct(&o, idx[i], idx[i - 1])) {
            g++;
            char *dst = (char *)kiln_array_data(res[0]) + g * r * (int64_t)es;
            for (int64_t e = 0; e < r; e++) memcpy(dst + e * (int64_t)es, o.v + idx[i] * o.rs + e * o.cs, es);
            if (res[1]) ((int64_t *)kiln_array_data(res[1]))[g] = idx[i];
            if (res[3]) ((int64_t *)kiln_array_data(res[3]))[g] = 0;
        }
        if (res[2]) ((int64_t *)kiln_array_data(res[2]))[idx[i]] = g;
        if (res[3]) ((int64_t *)kiln_array_data(res[3]))[g]++;
    }
    kiln_free(c, idx);
    kiln_array_free(v);
    return ok;
}

static bool unique_result(parser *p, kiln_array **res, kiln_expr *values, bool ok, int axis, const int *perm, size_t off, kval *out);

/* unique(ar, return_index=False, return_inverse=False, return_counts=False, axis=None,
 * equal_nan=True): the sorted distinct values of the flattened ar, and as asked the position of
 * each one's first occurrence, each element's place among them (in ar's shape), and how many
 * there are of each.  Computed now. */
/* unique of integers (or bool) whose values span at most UNIQUE_COUNTED_SPAN, or as many as
 * there are values: one pass marks each value's slot (its count, and the first position it is
 * at), another numbers the slots used, in order, which gives the values, and the inverse is each
 * value's slot's number; no sort.  1: done, into res as h_unique's; 0: failed (the error set);
 * -1: the span is too wide (nothing made), so the sort it is. */
#define UNIQUE_COUNTED_MIN 1024
#define UNIQUE_COUNTED_SPAN ((int64_t)1 << 16)
static int unique_counted(parser *p, kiln_expr *flat, kiln_dtype dt, const bool want[3], int ndim, const int64_t *shape, kiln_array *res[4],
                          size_t off) {
    kiln_ctx *c = p->ctx;
    kiln_expr *wide = kiln_cast(c, flat, KILN_I64);
    kiln_array *xa = wide ? value_now(p, wide, off) : NULL;
    kiln_expr_free(wide);
    if (!xa) return 0;
    const int64_t *xv = kiln_array_data(xa);
    int64_t n = kiln_array_size(xa), lo = xv[0], hi = xv[0];
    for (int64_t i = 1; i < n; i++) lo = xv[i] < lo ? xv[i] : lo, hi = xv[i] > hi ? xv[i] : hi;
    uint64_t span = (uint64_t)hi - (uint64_t)lo; /* (then + 1: from INT64_MIN to INT64_MAX it would wrap to 0) */
    if (span++ >= (uint64_t)(n > UNIQUE_COUNTED_SPAN ? n : UNIQUE_COUNTED_SPAN)) {
        kiln_array_free(xa);
        return -1;
    }
    int64_t *cnt = kiln_calloc(c, (size_t)span * sizeof *cnt), *first = want[0] ? kiln_malloc(c, (size_t)span * sizeof *first) : NULL;
    bool ok = cnt && (!want[0] || first);
    for (int64_t i = 0; ok && i < n; i++) {
        uint64_t s = (uint64_t)xv[i] - (uint64_t)lo;
        if (first && !cnt[s]) first[s] = i;
        cnt[s]++;
    }
    int64_t groups = 0;
    for (uint64_t s = 0; ok && s < span; s++) groups += cnt[s] != 0;
    res[0] = ok ? kiln_array_new(c, dt, 1, &groups) : NULL;
    if (want[0]) res[1] = ok ? kiln_array_new(c, KILN_I64, 1, &groups) : NULL;
    if (want[1]) res[2] = ok ? kiln_array_new(c, KILN_I64, ndim, shape) : NULL;
    if (want[2]) res[3] = ok ? kiln_array_new(c, KILN_I64, 1, &groups) : NULL;
    ok = ok && res[0] && (!want[0] || res[1]) && (!want[1] || res[2]) && (!want[2] || res[3]);
    size_t es = kiln_dtype_size(dt);
    for (uint64_t s = 0, g = 0; ok && s < span; s++) {
        if (!cnt[s]) continue;
        uint64_t v = (uint64_t)lo + s; /* (its low bits are dt's value) */
        put_low(kiln_array_data(res[0]), (int64_t)g, es, v);
        if (want[0]) ((int64_t *)kiln_array_data(res[1]))[g] = first[s];
        if (want[2]) ((int64_t *)kiln_array_data(res[3]))[g] = cnt[s];
        cnt[s] = (int64_t)g++; /* (now the slot's number, for the inverse) */
    }
    for (int64_t i = 0; ok && want[1] && i < n; i++) ((int64_t *)kiln_array_data(res[2]))[i] = cnt[(uint64_t)xv[i] - (uint64_t)lo];
    kiln_free(c, cnt);
    kiln_free(c, first);
    kiln_array_free(xa);
    if (!ok) fe_got(p, NULL, off);
    return ok;
}

static bool h_unique(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    bool want[3] = {false, false, false}, nan_equal = true;
    static const char *const names[3] = {"return_index", "return_inverse", "return_counts"};
    for (int k = 0; k < 3; k++)
        if (given(a, names[k]) && !fe_arg_bool(p, arg(a, names[k]), f->name, names[k], &want[k])) return false;
    if (given(a, "equal_nan") && !fe_arg_bool(p, arg(a, "equal_nan"), f->name, "equal_nan", &nan_equal)) return false;
    kiln_expr *x = keep(&t, expr_of(p, f, a, "ar"));
    if (!x) return false;
    kiln_dtype dt = (kiln_dtype)x->dtype;
    kiln_array *res[4] = {NULL, NULL, NULL, NULL};
    /* inside grad(), float values are a gather of ar at each one's first place (return_index's),
     * found now: the gradient of each value goes back there */
    bool diff = p->env->in_grad && dtype_is_float(dt) && !given_not_none(a, "axis"), own_index = diff && !want[0];
    want[0] = want[0] || diff;
    bool ok;
    int perm[KILN_MAX_DIMS], axis = -1; /* axis given: the rows along it, their dims moved back at the end */
    if (given_not_none(a, "axis")) {
        if (!axis_in(p, arg(a, "axis"), f->name, "axis", x->ndim, &axis)) return done(p, &t, out, NULL, off);
        ok = unique_rows(p, x, axis, want, res, perm, off);
        tmps_free(&t);
        return unique_result(p, res, NULL, ok, axis, perm, off, out);
    }
    int64_t n = 1;
    for (int d = 0; d < x->ndim; d++) n *= x->shape[d];
    kiln_expr *flat = keep(&t, kiln_reshape(c, x, 1, &n));
    if (flat && (dtype_is_int(dt) || dt == KILN_BOOL) && n >= UNIQUE_COUNTED_MIN) { /* integers over a short range: counted */
        int r = unique_counted(p, flat, dt, want, x->ndim, x->shape, res, off);
        if (r >= 0) {
            tmps_free(&t);
            return unique_result(p, res, NULL, r, -1, perm, off, out);
        }
    }
    /* the values sorted (and, for index or inverse, the stable order that sorts them) */
    bool by_order = want[0] || want[1];
    kiln_expr *order = flat && by_order ? keep(&t, kiln_argsort(c, flat, 0)) : NULL;
    kiln_expr *sorted = !flat || (by_order && !order) ? NULL : keep(&t, by_order ? kiln_take(c, flat, order, 0) : kiln_sort(c, flat, 0));
    kiln_array *v = NULL, *o = NULL;
    if (sorted && by_order) { /* both in one plan: one argsort */
        kiln_expr *both[2] = {sorted, order};
        kiln_array *got[2] = {NULL, NULL};
        p->env->volatile_ = true;
        if (kiln_eval_many(c, 2, both, got) == KILN_OK) v = got[0], o = got[1];
        else fe_got(p, NULL, off);
    } else if (sorted) {
        v = value_now(p, sorted, off);
    }
    size_t es = kiln_dtype_size(dt);
    ok = v && (!by_order || o);
    int64_t groups = 0;
    if (ok && !want[0] && !want[1] && !want[2] && kiln_array_strides(v)[0] == (int64_t)es) { /* the values alone */
        const char *vd = kiln_array_data(v);
        int64_t m = before_nans(dt, vd, (int64_t)es, n); /* (the NaNs: the first kept, or all without equal_nan) */
        int64_t runs = host_runs(dt, vd, m, NULL, 0);
        groups = runs + (m == n ? 0 : nan_equal ? 1 : n - m);
        ok = (res[0] = kiln_array_new(c, dt, 1, &groups)) != NULL;
        if (ok) {
            char *values = kiln_array_data(res[0]);
            host_runs(dt, vd, m, values, runs);
            memcpy(values + (size_t)runs * es, vd + (size_t)m * es, (size_t)(groups - runs) * es);
        } else {
            fe_got(p, NULL, off);
        }
    } else if (ok) { /* the groups of equal values along the sorted order */
        const char *vd = kiln_array_data(v);
        const int64_t *od = o ? kiln_array_data(o) : NULL;
        int64_t vs = kiln_array_strides(v)[0];
        uint8_t *st = kiln_malloc(c, (size_t)(n ? n : 1));
        groups = st ? run_starts(dt, vd, vs, n, nan_equal, st) : 0;
        res[0] = kiln_array_new(c, dt, 1, &groups);
        if (want[0]) res[1] = kiln_array_new(c, KILN_I64, 1, &groups);
        if (want[1]) res[2] = kiln_array_new(c, KILN_I64, x->ndim, x->shape);
        if (want[2]) res[3] = kiln_array_new(c, KILN_I64, 1, &groups);
        ok = st && res[0] && (!want[0] || res[1]) && (!want[1] || res[2]) && (!want[2] || res[3]);
        char *values = ok ? kiln_array_data(res[0]) : NULL;
        int64_t *first = ok && res[1] ? kiln_array_data(res[1]) : NULL, *inverse = ok && res[2] ? kiln_array_data(res[2]) : NULL;
        int64_t *counts = ok && res[3] ? kiln_array_data(res[3]) : NULL;
        if (ok) gather_starts(values, groups, vd, vs, n, es, st);
        for (int64_t k = 0, g = -1; ok && (first || inverse || counts) && k < n; k++) {
            if (st[k]) {
                g++;
                if (first) first[g] = od[k]; /* (the sort is stable: the first) */
                if (counts) counts[g] = 0;
            }
            if (inverse) inverse[od[k]] = g;
            if (counts) counts[g]++;
        }
        kiln_free(c, st);
        if (!ok) fe_got(p, NULL, off);
    }
    kiln_array_free(v);
    kiln_array_free(o);
    kiln_expr *ix = ok && diff ? kiln_var(c, res[1]) : NULL, *gathered = ix ? kiln_take(c, flat, ix, 0) : NULL;
    kiln_expr_free(ix);
    if (ok && diff && !gathered) ok = fe_got(p, NULL, off);
    if (own_index) kiln_array_free(res[1]), res[1] = NULL;
    tmps_free(&t);
    return unique_result(p, res, gathered, ok, -1, perm, off, out);
}

/* unique's results res (the values, and those asked of index, inverse, counts) as its value: the
 * one array, or a tuple; with an axis, the values' dims moved back (perm moved axis first).  A
 * values expression (taken over) stands for res[0]. */
static bool unique_result(parser *p, kiln_array **res, kiln_expr *values, bool ok, int axis, const int *perm, size_t off, kval *out) {
    kiln_ctx *c = p->ctx;
    int nres = 0;
    kval items[4];
    for (int k = 0; k < 4; k++) {
        if (ok && res[k]) {
            kiln_expr *e = k == 0 && values ? values : kiln_var(c, res[k]);
            if (k == 0) values = NULL;
            if (e && k == 0 && axis >= 0) {
                int back[KILN_MAX_DIMS];
                for (int d = 0; d < res[k]->ndim; d++) back[perm[d]] = d;
                kiln_expr *moved = kiln_permute(c, e, back);
                kiln_expr_free(e);
                e = moved;
            }
            ok = fe_set_expr(p, &items[nres], e, off);
            nres += ok;
        }
        kiln_array_free(res[k]);
    }
    kiln_expr_free(values);
    if (!ok || nres == 1) {
        if (ok) *out = items[0];
        else
            for (int k = 0; k < nres; k++) kval_free(c, &items[k]);
        return ok;
    }
    kval *tuple = kiln_calloc(c, (size_t)nres * sizeof *tuple);
    if (!fe_got(p, tuple, off)) {
        for (int k = 0; k < nres; k++) kval_free(c, &items[k]);
        return false;
    }
    memcpy(tuple, items, (size_t)nres * sizeof *tuple);
    *out = (kval){.kind = KV_TUPLE, .off = off, .n = nres, .items = tuple};
    return true;
}

/* ------------------------------------------------------------------ einsum, tensordot */

/* A contraction's operand: an expression and a label for each of its dims (0-51: the letters
 * a-z A-Z; 52 on: the dims an ellipsis stands for, right-aligned across operands). */
#define EIN_LABELS (52 + KILN_MAX_DIMS)
typedef struct ein_term {
    kiln_expr *x;
    int n;
    int8_t lab[KILN_MAX_DIMS];
} ein_term;

static bool ein_has(const ein_term *t, int l) {
    for (int d = 0; d < t->n; d++)
        if (t->lab[d] == l) return true;
    return false;
}

/* t's dims in the order of labels ls[0..n) (each one of t's), merged into shape (groups of
 * sizes g[0..ng) dims each); NULL after an error. */
static kiln_expr *ein_arrange(parser *p, tmps *tm, const ein_term *t, const int8_t *ls, int n, const int *g, int ng) {
    int perm[KILN_MAX_DIMS];
    bool same = true;
    for (int i = 0; i < n; i++) {
        for (int d = 0; d < t->n; d++)
            if (t->lab[d] == ls[i]) perm[i] = d;
        same = same && perm[i] == i;
    }
    kiln_expr *x = same ? t->x : keep(tm, kiln_permute(p->ctx, t->x, perm));
    int64_t shape[KILN_MAX_DIMS];
    for (int k = 0, i = 0; k < ng && x; k++) {
        shape[k] = 1;
        for (int j = 0; j < g[k]; j++, i++) shape[k] *= x->shape[i];
    }
    bool as_is = x && ng == x->ndim;
    for (int k = 0; as_is && k < ng; k++) as_is = shape[k] == x->shape[k];
    return !x || as_is ? x : keep(tm, kiln_reshape(p->ctx, x, ng, shape));
}

/* a and b contracted into one term over the labels in neither out nor `later` (a bit per label):
 * labels of both kept are batch dims, labels of both not kept are summed by the product,
 * the others are a's rows and b's columns; a (batched) matrix product does it.  Labels of one
 * side only that nothing needs are summed first. */
/* dst = the labels g0[0..n0) g1[0..n1) g2[0..n2), one after another. */
static void ein_join(int8_t *dst, const int8_t *g0, int n0, const int8_t *g1, int n1, const int8_t *g2, int n2) {
    const int8_t *g[3] = {g0, g1, g2};
    int n[3] = {n0, n1, n2}, k = 0;
    for (int j = 0; j < 3; j++)
        for (int i = 0; i < n[j]; i++) dst[k++] = g[j][i];
}

static bool ein_pair(parser *p, tmps *tm, ein_term *a, ein_term *b, uint64_t need, ein_term *r) {
    int8_t bat[KILN_MAX_DIMS], con[KILN_MAX_DIMS], lef[KILN_MAX_DIMS], rig[KILN_MAX_DIMS];
    int nb = 0, nc = 0, nl = 0, nr = 0;
    for (int side = 0; side < 2; side++) { /* a label on one side only that nothing needs: summed */
        ein_term *t = side ? b : a, *o = side ? a : b;
        unsigned mask = 0;
        int n = 0;
        int8_t kept[KILN_MAX_DIMS];
        for (int d = 0; d < t->n; d++) {
            if (!ein_has(o, t->lab[d]) && !((need >> t->lab[d]) & 1)) mask |= 1u << d;
            else kept[n++] = t->lab[d];
        }
        if (!mask) continue;
        if (!(t->x = keep(tm, kiln_reduce_axes(p->ctx, KILN_OP_SUM, t->x, mask, 0)))) return false;
        memcpy(t->lab, kept, (size_t)n);
        t->n = n;
    }
    for (int d = 0; d < a->n; d++) {
        int l = a->lab[d];
        if (!ein_has(b, l)) lef[nl++] = (int8_t)l;
        else if ((need >> l) & 1) bat[nb++] = (int8_t)l;
        else con[nc++] = (int8_t)l;
    }
    for (int d = 0; d < b->n; d++)
        if (!ein_has(a, b->lab[d])) rig[nr++] = b->lab[d];
    if (nb + nl + nr > KILN_MAX_DIMS) return fe_err(p, 0, KILN_ERR_SHAPE, "einsum(): a result of more than %d dims", KILN_MAX_DIMS);
    int8_t la[KILN_MAX_DIMS], lb[KILN_MAX_DIMS];
    kiln_expr *m;
    if ((nc == 0 || (nb > 0 && (nl == 0 || nr == 0))) && nb + nl + nr + nc <= KILN_MAX_DIMS) {
        /* nothing summed, or a matrix-vector product for each batch element: an element-wise
         * product over (batch, left, right, summed) dims, the summed ones reduced (one fused
         * kernel, where a stack of matrix products would be a call for each) */
        int ones[KILN_MAX_DIMS];
        for (int i = 0; i < KILN_MAX_DIMS; i++) ones[i] = 1;
        ein_join(la, bat, nb, lef, nl, con, nc);
        ein_join(lb, bat, nb, rig, nr, con, nc);
        kiln_expr *x = ein_arrange(p, tm, a, la, a->n, ones, a->n), *y = x ? ein_arrange(p, tm, b, lb, b->n, ones, b->n) : NULL;
        for (int i = 0; i < nr && x; i++) x = keep(tm, kiln_expand_dims(p->ctx, x, nb + nl));
        for (int i = 0; i < nl && y; i++) y = keep(tm, kiln_expand_dims(p->ctx, y, nb));
        m = y ? keep(tm, kiln_mul(p->ctx, x, y)) : NULL;
        unsigned mask = 0;
        for (int i = 0; i < nc; i++) mask |= 1u << (nb + nl + nr + i);
        if (m && mask) m = keep(tm, kiln_reduce_axes(p->ctx, KILN_OP_SUM, m, mask, 0));
    } else { /* a (stack of) matrix product(s): a's dims as (batch,) rows, summed; b's as (batch,) summed, columns */
        ein_join(la, bat, nb, lef, nl, con, nc);
        ein_join(lb, bat, nb, con, nc, rig, nr);
        int ga[3] = {nb, nl, nc}, gb[3] = {nb, nc, nr}, skip = nb ? 0 : 1; /* no batch dims: a plain product */
        /* (no rows, or no columns, and no batch: a vector there, as NumPy's dot of vectors, not a
         * product of 1 x K and K x 1 matrices) */
        int sa = skip + (!nb && !nl), nga = 3 - sa, ngb = 3 - skip - (!nb && !nr);
        kiln_expr *x = ein_arrange(p, tm, a, la, a->n, ga + sa, nga);
        kiln_expr *y = x ? ein_arrange(p, tm, b, lb, b->n, gb + skip, ngb) : NULL;
        m = y ? keep(tm, kiln_matmul(p->ctx, x, y)) : NULL;
    }
    if (!m) return false;
    int64_t shape[KILN_MAX_DIMS];
    int n = 0;
    const ein_term *src[3] = {a, a, b};
    const int8_t *grp[3] = {bat, lef, rig};
    int cnt[3] = {nb, nl, nr};
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < cnt[k]; i++) {
            const ein_term *t = src[k];
            for (int d = 0; d < t->n; d++)
                if (t->lab[d] == grp[k][i]) shape[n] = t->x->shape[d];
            r->lab[n++] = grp[k][i];
        }
    r->n = n;
    r->x = keep(tm, kiln_reshape(p->ctx, m, n, shape));
    return r->x != NULL;
}

/* The contraction of terms t[0..n) into the labels out[0..nout) (each in some term, no repeats
 * within a term): pairwise, the cheapest pair first (opt_einsum's greedy order: a chain
 * 'ij,jk,k' takes jk,k first), then out's order; the result's dtype is the operands'
 * (sums of integers are int64 on the way).  NULL after an error. */
static kiln_expr *ein_contract(parser *p, tmps *tm, ein_term *t, int n, const int8_t *out, int nout) {
    uint64_t want = 0;
    for (int i = 0; i < nout; i++) want |= 1ull << out[i];
    kiln_dtype dt = (kiln_dtype)t[0].x->dtype;
    for (int k = 1; k < n; k++) dt = dtype_promote(dt, (kiln_dtype)t[k].x->dtype);
    for (int k = 0; k < n; k++) /* every operand in the result's dtype first, as NumPy (no bool pair's OR, no int32 pair's wrap) */
        if (t[k].x->dtype != dt && !(t[k].x = keep(tm, kiln_cast(p->ctx, t[k].x, dt)))) return NULL;
    double size[EIN_LABELS] = {0};
    for (int k = 0; k < n; k++)
        for (int d = 0; d < t[k].n; d++) size[t[k].lab[d]] = (double)t[k].x->shape[d];
    while (n > 1) { /* the pair whose product costs least (the product of its labels' sizes), leftmost among equals */
        int bi = 0, bj = 1;
        double best = INFINITY;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++) {
                uint64_t u = 0;
                for (int d = 0; d < t[i].n; d++) u |= 1ull << t[i].lab[d];
                for (int d = 0; d < t[j].n; d++) u |= 1ull << t[j].lab[d];
                double cost = 1;
                for (int l = 0; l < EIN_LABELS; l++)
                    if ((u >> l) & 1) cost *= size[l];
                if (cost < best) best = cost, bi = i, bj = j;
            }
        uint64_t need = want;
        for (int k = 0; k < n; k++)
            for (int d = 0; k != bi && k != bj && d < t[k].n; d++) need |= 1ull << t[k].lab[d];
        ein_term next;
        if (!ein_pair(p, tm, &t[bi], &t[bj], need, &next)) return NULL;
        t[bi] = next;
        memmove(&t[bj], &t[bj + 1], (size_t)(n - bj - 1) * sizeof *t);
        n--;
    }
    ein_term cur = t[0];
    unsigned mask = 0; /* (one operand: what the output does not name is summed) */
    int8_t kept[KILN_MAX_DIMS];
    int nk = 0;
    for (int d = 0; d < cur.n; d++) {
        if (!((want >> cur.lab[d]) & 1)) mask |= 1u << d;
        else kept[nk++] = cur.lab[d];
    }
    if (mask) {
        if (!(cur.x = keep(tm, kiln_reduce_axes(p->ctx, KILN_OP_SUM, cur.x, mask, 0)))) return NULL;
        memcpy(cur.lab, kept, (size_t)nk);
        cur.n = nk;
    }
    int g[KILN_MAX_DIMS];
    for (int i = 0; i < nout; i++) g[i] = 1;
    kiln_expr *r = ein_arrange(p, tm, &cur, out, nout, g, nout);
    return r && r->dtype != dt ? keep(tm, kiln_cast(p->ctx, r, dt)) : r;
}

/* One operand's term: repeated labels become their diagonal (ii: the diagonal's elements), a
 * dim of length 1 where the label is longer is broadcast. */
static bool ein_prepare(parser *p, tmps *tm, ein_term *t, const int64_t *size, int k, size_t off) {
    for (int d1 = 0; d1 < t->n; d1++)
        for (int d2 = d1 + 1; d2 < t->n; d2++) {
            if (t->lab[d1] != t->lab[d2]) continue;
            int l = t->lab[d1];
            if (t->x->shape[d1] != t->x->shape[d2])
                return fe_err(p, off, KILN_ERR_SHAPE, "einsum(): dimensions in operand %d for collapsing index '%c' don't match (%lld != %lld)",
                              k, l < 26 ? 'a' + l : 'A' + l - 26, (long long)t->x->shape[d1], (long long)t->x->shape[d2]);
            if (!(t->x = diagonal_of(p, tm, t->x, 0, d1, d2, "einsum", off))) return false;
            int n = 0; /* the others in order, then the diagonal */
            for (int d = 0; d < t->n; d++)
                if (d != d1 && d != d2) t->lab[n++] = t->lab[d];
            t->lab[n++] = (int8_t)l;
            t->n = n;
            d1 = -1;
            break;
        }
    int64_t shape[KILN_MAX_DIMS];
    bool bc = false;
    for (int d = 0; d < t->n; d++) {
        shape[d] = size[t->lab[d]];
        bc = bc || shape[d] != t->x->shape[d];
    }
    return !bc || (t->x = fe_broadcast_to(p, tm, t->x, t->n, shape, "einsum", off)) != NULL;
}

/* einsum(subscripts, *operands, optimize=False): NumPy's Einstein summation.  Each operand's
 * repeated labels take its diagonal, labels no one else needs are summed, then the operands are
 * contracted pairwise from the left, each pair as one (batched) matrix product; optimize is
 * accepted and ignored (the order is the left-to-right one). */
/* The bytes of the UTF-8 character s starts with (its continuation bytes after it). */
static int utf8_char_len(const char *s) {
    int n = 1;
    while (n < 4 && ((unsigned char)s[n] & 0xC0) == 0x80) n++;
    return n;
}

static bool h_einsum(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kval *sv = arg(a, "subscripts"), *ov = arg(a, "operands");
    if (sv->kind != KV_STR) return fe_err(p, sv->off, KILN_ERR_ARG, "einsum(): the subscripts must be a string, 'ij,jk->ik'");
    int nops = ov->kind == KV_TUPLE ? ov->n : 0;
    if (nops < 1 || nops > FE_MAX_ARGS) return fe_err(p, off, KILN_ERR_ARG, "einsum(): 1 to %d operands", FE_MAX_ARGS);
    char spec[256];
    size_t n = 0;
    for (const char *c = sv->s; *c && n + 1 < sizeof spec; c++)
        if (*c != ' ') spec[n++] = *c;
    spec[n] = 0;
    const char *arrow = strstr(spec, "->");
    size_t lhs = arrow ? (size_t)(arrow - spec) : n;
    tmps t = {0};
    ein_term terms[FE_MAX_ARGS];
    int counts[EIN_LABELS] = {0}, ell = 0, nterms = 0;
    int64_t size[EIN_LABELS] = {0};
    int seen_in[EIN_LABELS];
    for (size_t i = 0, k = 0; i <= lhs; k++) { /* the operands' terms */
        size_t j = i;
        while (j < lhs && spec[j] != ',') j++;
        if ((int)k >= nops) {
            tmps_free(&t);
            return fe_err(p, sv->off, KILN_ERR_ARG, "einsum(): the subscripts name more operands than the %d given", nops);
        }
        ein_term *tk = &terms[nterms++];
        if (!(tk->x = keep(&t, fe_arg_expr(p, &ov->items[k], f->name, "operands")))) return done(p, &t, out, NULL, off);
        int8_t lab[KILN_MAX_DIMS + 1];
        int nl = 0, el = -1;
        for (size_t c = i; c < j; c++) {
            char ch = spec[c];
            if (ch == '.' && c + 2 < j + 1 && spec[c + 1] == '.' && spec[c + 2] == '.' && el < 0) {
                el = nl;
                c += 2;
            } else if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')) {
                if (nl >= KILN_MAX_DIMS) nl = KILN_MAX_DIMS + 1; /* (too many: reported below) */
                else lab[nl++] = (int8_t)(ch >= 'a' ? ch - 'a' : ch - 'A' + 26);
            } else {
                tmps_free(&t);
                return fe_err(p, sv->off, KILN_ERR_ARG,
                              "einsum(): invalid subscript '%.*s' in einstein sum subscripts string, subscripts must be letters", utf8_char_len(spec + c), spec + c);
            }
        }
        int nd = tk->x->ndim, extra = nd - nl;
        if (extra < 0 || (el < 0 && extra > 0)) {
            tmps_free(&t);
            return fe_err(p, sv->off, KILN_ERR_ARG,
                          extra < 0 ? "einsum(): the subscripts name more dims than operand %d has (%d)"
                                    : "einsum(): operand %d has %d dims, more than its subscripts name, and no '...' for the others",
                          (int)k, nd);
        }
        if (extra > ell) ell = extra;
        tk->n = nd;
        for (int d = 0, q = 0; d < nd; d++) { /* the ellipsis' dims get labels 52 + (from the right) */
            if (el >= 0 && d >= el && d < el + extra) tk->lab[d] = (int8_t)(52 + KILN_MAX_DIMS - extra + (d - el));
            else tk->lab[d] = lab[q++];
        }
        i = j + 1;
        if (j >= lhs) break;
    }
    if (nterms != nops) {
        tmps_free(&t);
        return fe_err(p, sv->off, KILN_ERR_ARG, "einsum(): the subscripts name %d operands, %d given", nterms, nops);
    }
    for (int k = 0; k < nterms; k++) /* label sizes (1 broadcasts), and how often each is named */
        for (int d = 0; d < terms[k].n; d++) {
            int l = terms[k].lab[d];
            int64_t sz = terms[k].x->shape[d];
            counts[l]++;
            if (size[l] == 0 && counts[l] == 1) size[l] = sz, seen_in[l] = k;
            else if (sz != size[l] && sz != 1 && size[l] != 1) {
                tmps_free(&t);
                if (l >= 52) return fe_err(p, off, KILN_ERR_SHAPE, "einsum(): the dims '...' stands for do not broadcast together");
                return fe_err(p, off, KILN_ERR_SHAPE, "einsum(): label '%c' has length %lld in operand %d and %lld in operand %d",
                              l < 26 ? 'a' + l : 'A' + l - 26, (long long)size[l], seen_in[l], (long long)sz, k);
            } else if (size[l] == 1) size[l] = sz;
        }
    int8_t outl[KILN_MAX_DIMS];
    int nout = 0;
    bool too_many = false;
    if (arrow) {
        bool el_out = false;
        for (const char *c = arrow + 2; *c; c++) {
            int l;
            if (!strncmp(c, "...", 3) && !el_out) {
                el_out = true;
                c += 2;
                for (int e = ell; e > 0; e--) {
                    if (nout == KILN_MAX_DIMS) too_many = true;
                    else outl[nout++] = (int8_t)(52 + KILN_MAX_DIMS - e);
                }
                continue;
            }
            if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z')) l = *c >= 'a' ? *c - 'a' : *c - 'A' + 26;
            else {
                tmps_free(&t);
                return fe_err(p, sv->off, KILN_ERR_ARG,
                              "einsum(): invalid subscript '%.*s' in einstein sum subscripts string, subscripts must be letters", utf8_char_len(c), c);
            }
            const char *why = !counts[l] ? "einsum(): output subscript '%c' does not appear in an input"
                                         : memchr(outl, l, (size_t)nout) ? "einsum(): output subscript '%c' appears more than once"
                                                                          : NULL;
            if (why) {
                tmps_free(&t);
                return fe_err(p, sv->off, KILN_ERR_ARG, why, *c);
            }
            if (nout == KILN_MAX_DIMS) too_many = true;
            else outl[nout++] = (int8_t)l;
        }
        if (ell > 0 && !el_out) {
            tmps_free(&t);
            return fe_err(p, sv->off, KILN_ERR_ARG, "einsum(): the inputs have '...' dims and the output has no '...' for them");
        }
    } else { /* NumPy's implicit output: the ellipsis' dims, then the labels named once, in order */
        for (int e = ell; e > 0; e--) outl[nout++] = (int8_t)(52 + KILN_MAX_DIMS - e);
        for (int c = 'A'; c <= 'z'; c++) {
            if (c > 'Z' && c < 'a') continue;
            int l = c >= 'a' ? c - 'a' : c - 'A' + 26;
            if (counts[l] != 1) continue;
            if (nout == KILN_MAX_DIMS) too_many = true;
            else outl[nout++] = (int8_t)l;
        }
    }
    if (too_many) {
        tmps_free(&t);
        return fe_err(p, off, KILN_ERR_SHAPE, "einsum(): a result of more than %d dims", KILN_MAX_DIMS);
    }
    for (int k = 0; k < nterms; k++)
        if (!ein_prepare(p, &t, &terms[k], size, k, off)) return done(p, &t, out, NULL, off);
    kiln_expr *r = ein_contract(p, &t, terms, nterms, outl, nout);
    int labels = 0;
    for (int l = 0; l < EIN_LABELS; l++) labels += counts[l] > 0;
    if (r && dtype_is_float((kiln_dtype)r->dtype) && (nterms > 1 || labels > nout))
        r = plus_zero(&t, p->ctx, r); /* (NumPy's sums of products start from zeros: -0.0 products come out 0.0; one operand's view keeps them) */
    return done(p, &t, out, r, off);
}

/* tensordot(a, b, axes=2): the sum over a's last axes (or those named) against b's first (or
 * those named), as an einsum of generated labels. */
static bool h_tensordot(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    ein_term tm[2];
    tm[0].x = keep(&t, expr_of(p, f, a, "a"));
    tm[1].x = tm[0].x ? keep(&t, expr_of(p, f, a, "b")) : NULL;
    if (!tm[1].x) return done(p, &t, out, NULL, off);
    int64_t ax[2][KILN_MAX_DIMS];
    int na = 0;
    kval *av = given(a, "axes") ? arg(a, "axes") : NULL;
    if (!av || (av->kind == KV_ARRAY && av->e->ndim == 0)) { /* N: a's last N against b's first N */
        int64_t N = 2;
        if (av && !fe_arg_int(p, av, f->name, "axes", &N)) return done(p, &t, out, NULL, off);
        if (N < 0 || N > tm[0].x->ndim || N > tm[1].x->ndim) {
            tmps_free(&t);
            return fe_err(p, av ? av->off : off, KILN_ERR_ARG, "tensordot(): axes=%lld: the operands have %d and %d dims", (long long)N,
                          tm[0].x->ndim, tm[1].x->ndim);
        }
        na = (int)N;
        for (int i = 0; i < na; i++) ax[0][i] = tm[0].x->ndim - na + i, ax[1][i] = i;
    } else if ((av->kind == KV_TUPLE || av->kind == KV_LIST) && av->n == 2) { /* ((a's axes), (b's axes)) */
        for (int s = 0; s < 2; s++) {
            kval *v = &av->items[s];
            int n = v->kind == KV_TUPLE || v->kind == KV_LIST ? v->n : 1;
            if (s == 1 && n != na) {
                tmps_free(&t);
                return fe_err(p, av->off, KILN_ERR_SHAPE, "tensordot(): shape-mismatch for sum (%d axes against %d)", na, n);
            }
            if (n > KILN_MAX_DIMS) {
                tmps_free(&t);
                return fe_err(p, av->off, KILN_ERR_ARG, "tensordot(): too many axes");
            }
            for (int i = 0; i < n; i++) {
                kval *iv = v->kind == KV_TUPLE || v->kind == KV_LIST ? &v->items[i] : v;
                int nd = tm[s].x->ndim;
                if (!fe_arg_int(p, iv, f->name, "axes", &ax[s][i])) return done(p, &t, out, NULL, off);
                if (ax[s][i] < -nd || ax[s][i] >= nd) {
                    tmps_free(&t);
                    return fe_err(p, iv->off, KILN_ERR_ARG, "tensordot(): axis %lld is out of bounds for array of dimension %d",
                                  (long long)ax[s][i], nd);
                }
                if (ax[s][i] < 0) ax[s][i] += nd;
            }
            na = n;
        }
    } else {
        tmps_free(&t);
        return fe_err(p, av->off, KILN_ERR_ARG, "tensordot(): axes must be an integer or a pair of sequences of axes");
    }
    /* labels: a's dims 0.., b's free dims after them, its summed ones a's */
    int8_t outl[2 * KILN_MAX_DIMS];
    int nout = 0, next = tm[0].x->ndim;
    tm[0].n = tm[0].x->ndim, tm[1].n = tm[1].x->ndim;
    for (int d = 0; d < tm[0].n; d++) tm[0].lab[d] = (int8_t)d;
    for (int d = 0; d < tm[1].n; d++) tm[1].lab[d] = -1;
    for (int i = 0; i < na; i++) {
        int d0 = (int)ax[0][i], d1 = (int)ax[1][i];
        if (tm[1].lab[d1] >= 0 || tm[0].lab[d0] < 0) {
            tmps_free(&t);
            return fe_err(p, av->off, KILN_ERR_ARG, "tensordot(): repeated axes");
        }
        if (tm[0].x->shape[d0] != tm[1].x->shape[d1]) {
            tmps_free(&t);
            return fe_err(p, off, KILN_ERR_SHAPE, "tensordot(): shape-mismatch for sum (%lld against %lld)",
                          (long long)tm[0].x->shape[d0], (long long)tm[1].x->shape[d1]);
        }
        tm[1].lab[d1] = (int8_t)d0;
        tm[0].lab[d0] = (int8_t)(-1 - d0); /* (marked summed; put back below) */
    }
    for (int d = 0; d < tm[0].n; d++) {
        if (tm[0].lab[d] < 0) tm[0].lab[d] = (int8_t)(-1 - tm[0].lab[d]);
        else outl[nout++] = tm[0].lab[d];
    }
    for (int d = 0; d < tm[1].n; d++)
        if (tm[1].lab[d] < 0) tm[1].lab[d] = (int8_t)next++, outl[nout++] = tm[1].lab[d];
    if (nout > KILN_MAX_DIMS) {
        tmps_free(&t);
        return fe_err(p, off, KILN_ERR_SHAPE, "tensordot(): a result of more than %d dims", KILN_MAX_DIMS);
    }
    return done(p, &t, out, ein_contract(p, &t, tm, 2, outl, nout), off);
}

/* diagonal(a, offset=0, axis1=0, axis2=1), trace(a, offset=0, axis1=0, axis2=1, dtype=None),
 * diag(v, k=0) */
enum { G_DIAGONAL, G_TRACE, G_DIAG, G_LA_DIAGONAL, G_LA_TRACE }; /* (G_LA_: np.linalg's, over the last two axes) */
static bool h_diagonal(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    const char *kname = f->op == G_DIAG ? "k" : "offset";
    bool la = f->op == G_LA_DIAGONAL || f->op == G_LA_TRACE;
    int64_t k = 0, a1 = la ? -2 : 0, a2 = la ? -1 : 1;
    kiln_expr *x = keep(&t, expr_of(p, f, a, f->op == G_DIAG ? "v" : la ? "x" : "a"));
    if (!x || (given(a, kname) && !fe_arg_int(p, arg(a, kname), f->name, kname, &k)) ||
        (f->op != G_DIAG && !la && given(a, "axis1") && !fe_arg_int(p, arg(a, "axis1"), f->name, "axis1", &a1)) ||
        (f->op != G_DIAG && !la && given(a, "axis2") && !fe_arg_int(p, arg(a, "axis2"), f->name, "axis2", &a2)))
        return done(p, &t, out, NULL, off);
    if (f->op == G_TRACE || f->op == G_LA_TRACE) { /* the diagonal's sum: over its last axis, the others kept */
        kiln_expr *d = diagonal_of(p, &t, x, k, a1, a2, f->name, off);
        if (d && given_not_none(a, "dtype")) d = keep(&t, with_dtype(p, f, a, d)); /* (summed in it, as NumPy's) */
        kiln_expr *s = d ? keep(&t, kiln_reduce(p->ctx, KILN_OP_SUM, d, d->ndim - 1, 0)) : NULL;
        return done(p, &t, out, s ? keep(&t, with_dtype(p, f, a, s)) : NULL, off);
    }
    if (f->op == G_DIAGONAL || la || x->ndim == 2) { /* NumPy's: a read-only view (one of a name's memory where its strides allow) */
        bool alias = arg(a, f->op == G_DIAG ? "v" : la ? "x" : "a")->alias, ok = done(p, &t, out, diagonal_of(p, &t, x, k, a1, a2, f->name, off), off);
        int64_t st[KILN_MAX_DIMS];
        out->alias = ok && alias && view_strides(out->e, st);
        out->readonly = ok;
        return ok;
    }
    if (x->ndim != 1) {
        tmps_free(&t);
        return fe_err(p, off, KILN_ERR_ARG, "diag(): input must be 1- or 2-d");
    }
    /* a 1-d v on the k-th diagonal of an N x N array: where(eye(N, k=k), w, 0), w holding v at
     * the columns the diagonal crosses */
    int64_t n = x->shape[0], ak = k < 0 ? -k : k, N = n + ak;
    kiln_array *z = kiln_array_new(p->ctx, (kiln_dtype)x->dtype, 1, &ak), *e = z ? kiln_eye(p->ctx, KILN_BOOL, N, N, k) : NULL;
    if (z) memset(z->data, 0, (size_t)ak * kiln_dtype_size((kiln_dtype)x->dtype));
    kiln_expr *ze = z ? keep(&t, kiln_var(p->ctx, z)) : NULL, *ee = e ? keep(&t, kiln_var(p->ctx, e)) : NULL;
    kiln_array_free(z);
    kiln_array_free(e);
    kiln_expr *parts[2] = {k >= 0 ? ze : x, k >= 0 ? x : ze};
    kiln_expr *w = ee ? keep(&t, kiln_concatenate(p->ctx, 2, parts, 0)) : NULL;
    return done(p, &t, out, w ? keep(&t, kiln_where(p->ctx, ee, w, zero_of(p, &t, (kiln_dtype)x->dtype))) : NULL, off);
}

/* tri(N, M=None, k=0, dtype=float): ones at and below the k-th diagonal; tril / triu(m, k=0):
 * m with the elements above (below) the k-th diagonal of its last two dims zero */
enum { T_TRI, T_TRIL, T_TRIU };
static bool h_tri(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    int64_t n, m, k = 0;
    kiln_dtype dt = KILN_F64;
    kiln_expr *x = NULL;
    if (f->op == T_TRI) {
        if (!fe_arg_int(p, arg(a, "N"), f->name, "N", &n)) return false;
        m = n;
        if ((given_not_none(a, "M") && !fe_arg_int(p, arg(a, "M"), f->name, "M", &m)) ||
            (given_not_none(a, "dtype") && !fe_arg_dtype(p, arg(a, "dtype"), f->name, &dt)))
            return false;
        n = n < 0 ? 0 : n, m = m < 0 ? 0 : m; /* (NumPy's tri(-1) is empty) */
    } else {
        if (!(x = keep(&t, expr_of(p, f, a, "m")))) return false;
        if (x->ndim == 0) {
            tmps_free(&t);
            return fe_err(p, off, KILN_ERR_ARG, "%s(): the array must be at least 1-d", f->name);
        }
        n = x->ndim == 1 ? x->shape[0] : x->shape[x->ndim - 2], m = x->shape[x->ndim - 1];
    }
    if (given(a, "k") && !fe_arg_int(p, arg(a, "k"), f->name, "k", &k)) return done(p, &t, out, NULL, off);
    /* the mask: zeros, then each row's run of ones (j <= i + k; triu: j >= i + k) copied from a row of them */
    kiln_dtype md = f->op == T_TRI ? dt : KILN_BOOL;
    size_t es = kiln_dtype_size(md);
    kiln_array *mask = kiln_full(p->ctx, md, 2, (int64_t[]){n, m}, 0.0);
    char *ones = mask ? kiln_malloc(p->ctx, (size_t)m * es + 1) : NULL;
    if (!ones) {
        kiln_array_free(mask);
        fe_got(p, NULL, off);
        return done(p, &t, out, NULL, off);
    }
    for (int64_t j = 0; j < m; j++) ref_store(ones + (size_t)j * es, md, ref_cast((kscalar){.i64 = 1}, KILN_I64, md));
    k = k > m ? m + 1 : k < -n - 1 ? -n - 1 : k; /* (the same mask: no i + k wraps around) */
    for (int64_t i = 0; m > 0 && i < n; i++) {
        int64_t edge = f->op == T_TRIU ? i + k : i + k + 1, lo = f->op == T_TRIU ? edge : 0, hi = f->op == T_TRIU ? m : edge;
        lo = lo < 0 ? 0 : lo > m ? m : lo, hi = hi < 0 ? 0 : hi > m ? m : hi;
        if (hi > lo) memcpy(mask->data + ((size_t)i * (size_t)m + (size_t)lo) * es, ones, (size_t)(hi - lo) * es);
    }
    kiln_free(p->ctx, ones);
    if (f->op == T_TRI) {
        tmps_free(&t);
        return array_result(p, out, mask, off);
    }
    kiln_expr *me = keep(&t, kiln_var(p->ctx, mask));
    kiln_array_free(mask);
    return done(p, &t, out, keep(&t, kiln_where(p->ctx, me, x, zero_of(p, &t, (kiln_dtype)x->dtype))), off);
}

/* flip(m, axis=None), fliplr(m), flipud(m): views with the axes reversed */
enum { FL_FLIP, FL_LR, FL_UD };
static bool h_flip(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_expr *x = keep(&t, expr_of(p, f, a, "m"));
    if (!x) return false;
    unsigned mask = f->op == FL_LR ? 2u : 1u;
    bool all;
    if (f->op == FL_FLIP && arg(a, "axis")->kind == KV_LIST) arg(a, "axis")->kind = KV_TUPLE; /* (NumPy's normalize_axis_tuple takes a list) */
    if (f->op == FL_FLIP && !fe_arg_axes(p, arg(a, "axis"), x->ndim, f->name, &mask, &all)) return done(p, &t, out, NULL, off);
    if (f->op != FL_FLIP && x->ndim < (f->op == FL_LR ? 2 : 1)) {
        tmps_free(&t);
        return fe_err(p, off, KILN_ERR_ARG, "%s(): input must be >= %d-d", f->name, f->op == FL_LR ? 2 : 1);
    }
    kiln_ix ix[KILN_MAX_DIMS];
    for (int d = 0; d < x->ndim; d++)
        ix[d] = (kiln_ix){.kind = KILN_IX_SLICE, .step = (mask >> d) & 1 ? -1 : 1, .flags = KILN_IX_HAS_STEP};
    kval mv = *arg(a, "m");
    bool ok = done(p, &t, out, keep(&t, kiln_index(p->ctx, x, x->ndim, ix)), off);
    out->alias = ok && mv.alias; /* a view of a name's array is one too */
    fe_view_readonly(out, &mv);
    return ok;
}

static bool ints_of(parser *p, const fe_fn *f, const kval *v, const char *param, int64_t *vals, int *n, int cap);
static kiln_expr *pick_along(parser *p, tmps *t, kiln_expr *x, int axis, int64_t *pick, int64_t len);

/* rot90(m, k=1, axes=(0, 1)): m turned k quarter turns from axes[0] toward axes[1], as NumPy's
 * flips and transposes (a view) */
static bool h_rot90(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_expr *x = keep(&t, expr_of(p, f, a, "m"));
    int64_t k = 1, ax[2] = {0, 1};
    int n = 2;
    if (!x || (given(a, "k") && !fe_arg_int(p, arg(a, "k"), f->name, "k", &k)) ||
        (given_not_none(a, "axes") && !ints_of(p, f, arg(a, "axes"), "axes", ax, &n, 2)))
        return done(p, &t, out, NULL, off);
    if (n != 2) return tmps_free(&t), fe_err(p, arg(a, "axes")->off, KILN_ERR_ARG, "len(axes) must be 2.");
    if (x->ndim < 2) return tmps_free(&t), fe_err(p, off, KILN_ERR_ARG, "rot90(): the array must have at least 2 dimensions");
    for (int i = 0; i < 2; i++)
        if (ax[i] < -x->ndim || ax[i] >= x->ndim) return tmps_free(&t), fe_err(p, arg(a, "axes")->off, KILN_ERR_ARG, "Axes=(%lld, %lld) out of range for array of ndim=%d.", (long long)ax[0], (long long)ax[1], x->ndim);
        else if (ax[i] < 0) ax[i] += x->ndim;
    if (ax[0] == ax[1]) return tmps_free(&t), fe_err(p, arg(a, "axes")->off, KILN_ERR_ARG, "Axes must be different.");
    k = ((k % 4) + 4) % 4;
    int perm[KILN_MAX_DIMS];
    for (int d = 0; d < x->ndim; d++) perm[d] = d;
    perm[ax[0]] = (int)ax[1], perm[ax[1]] = (int)ax[0];
    kiln_expr *r = x;
    if (k == 2) r = slice_along(p, &t, slice_along(p, &t, x, (int)ax[0], 0, 0, -1), (int)ax[1], 0, 0, -1);
    else if (k == 1) r = keep(&t, kiln_permute(p->ctx, slice_along(p, &t, x, (int)ax[1], 0, 0, -1), perm));
    else if (k == 3) r = slice_along(p, &t, keep(&t, kiln_permute(p->ctx, x, perm)), (int)ax[1], 0, 0, -1);
    kval mv = *arg(a, "m");
    bool ok = done(p, &t, out, r, off);
    out->alias = ok && mv.alias; /* (a view) */
    fe_view_readonly(out, &mv);
    return ok;
}

/* hsplit, vsplit, dsplit (f->op: the axis, 1 for hsplit but of a 1-D array 0): split along it */
static bool h_split_axis(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kval *v = arg(a, "ary");
    int nd = v->kind == KV_ARRAY ? v->e->ndim : v->kind == KV_LIST ? 1 + (v->n && v->items[0].kind == KV_LIST) : 0;
    int need = f->op == 0 ? 2 : f->op == 1 ? 1 : 3, axis = f->op == 1 && nd == 1 ? 0 : (int)f->op;
    if (nd < need) return fe_err(p, v->off, KILN_ERR_ARG, "%s only works on arrays of %d or more dimensions", f->name, need);
    kval pos[3] = {*v, *arg(a, "indices_or_sections"), {0}};
    memset(v, 0, sizeof *v), memset(arg(a, "indices_or_sections"), 0, sizeof *v);
    if (!fe_set_expr(p, &pos[2], kiln_int(p->ctx, axis), off)) return kval_free(p->ctx, &pos[0]), kval_free(p->ctx, &pos[1]), false;
    return fe_call(p, "split", off, NULL, pos, 3, NULL, 0, out);
}

/* x's elements where mask (x's shape, computed now) holds, in order: x[mask] */
static kiln_expr *masked(parser *p, tmps *t, kiln_expr *x, kiln_expr *mask, size_t off) {
    int64_t n = 1;
    for (int d = 0; d < x->ndim; d++) n *= x->shape[d];
    kiln_expr *flat = keep(t, kiln_reshape(p->ctx, x, 1, &n));
    kiln_array *at = flat ? fe_nonzero_now(p, mask, off) : NULL; /* (x[mask]'s positions, as nonzero finds them) */
    kiln_expr *idx = at ? keep(t, kiln_var(p->ctx, at)) : NULL;
    kiln_array_free(at);
    return idx ? keep(t, kiln_take(p->ctx, flat, idx, 0)) : NULL;
}

/* intersect1d(ar1, ar2) with assume_unique or return_indices, NumPy's steps: the distinct values
 * of each (unique's, with their first positions; ravelled as they are where assume_unique), both
 * sorted together (argsorted, stably, for the indices) and each value equal to the next one
 * taken; the indices are the sort's positions of those pairs, into ar1 and ar2. */
static bool intersect_steps(parser *p, tmps *t, kiln_expr *x, kiln_expr *y, bool assume, bool indices, size_t off, kval *out) {
    kiln_ctx *c = p->ctx;
    kiln_expr *first[2] = {NULL, NULL}, *xs[2] = {x, y};
    for (int k = 0; k < 2 && !assume; k++) {
        fe_kwarg kw[1] = {{.name = "return_index", .off = off}};
        kval r = {0};
        if (!fe_set_expr(p, &kw[0].v, kiln_bool(c, indices), off) || !call_exprs(p, "unique", 1, &xs[k], kw, 1, off, &r)) return done(p, t, out, NULL, off);
        bool pair = r.kind == KV_TUPLE && r.n == 2;
        xs[k] = keep(t, kiln_expr_retain(pair ? r.items[0].e : r.e));
        if (pair) first[k] = keep(t, kiln_expr_retain(r.items[1].e));
        kval_free(c, &r);
    }
    kiln_expr *aux = keep(t, kiln_concatenate(c, 2, xs, 0)), *order = NULL;
    if (aux && indices) order = call_expr(p, t, "argsort", aux, off), aux = order ? keep(t, kiln_take(c, aux, order, 0)) : NULL;
    else aux = call_expr(p, t, "sort", aux, off);
    if (!aux) return done(p, t, out, NULL, off);
    int64_t n = aux->shape[0], m = n > 0 ? n - 1 : 0;
    kiln_expr *same = keep(t, kiln_eq(c, slice_along(p, t, aux, 0, 1, 1 + m, 1), slice_along(p, t, aux, 0, 0, m, 1)));
    kiln_expr *r = same ? masked(p, t, slice_along(p, t, aux, 0, 0, m, 1), same, off) : NULL;
    if (!indices) return done(p, t, out, r, off);
    kiln_expr *i1 = r ? masked(p, t, slice_along(p, t, order, 0, 0, m, 1), same, off) : NULL;
    kiln_expr *i2 = i1 ? masked(p, t, slice_along(p, t, order, 0, 1, 1 + m, 1), same, off) : NULL;
    if (i2) i2 = keep(t, kiln_sub(c, i2, keep(t, kiln_int(c, xs[0]->shape[0]))));
    if (i2 && !assume) i1 = keep(t, kiln_take(c, first[0], i1, 0)), i2 = keep(t, kiln_take(c, first[1], i2, 0));
    return tuple_result(p, t, out, (kiln_expr *[]){r, i1, i2}, 3, off);
}

/* union1d, intersect1d, setdiff1d, setxor1d (f->op 0..3) of ar1 and ar2: sorted distinct values,
 * as NumPy's (unique and isin, computed now); in1d(ar1, ar2, invert=False): isin of ar1 ravelled.
 * assume_unique skips unique as NumPy's does: setdiff1d is then ar1's values, ravelled in their
 * order, not in ar2; setxor1d's and intersect1d's steps see repeated values as they are. */
enum { SET_UNION, SET_INTERSECT, SET_DIFF, SET_XOR, SET_IN1D };
static bool h_set1d(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    bool assume = false, indices = false;
    if ((f->op != SET_UNION && given(a, "assume_unique") && !fe_arg_bool(p, arg(a, "assume_unique"), f->name, "assume_unique", &assume)) ||
        (f->op == SET_INTERSECT && given(a, "return_indices") && !fe_arg_bool(p, arg(a, "return_indices"), f->name, "return_indices", &indices)))
        return false;
    if (f->op != SET_UNION) { /* (NumPy's asarray: a Python number is int64 or float64; union1d concatenates them as they are) */
        fe_make_strong(p, arg(a, "ar1"));
        fe_make_strong(p, arg(a, "ar2"));
    }
    kiln_expr *x = keep(&t, expr_of(p, f, a, "ar1")), *y = x ? keep(&t, expr_of(p, f, a, "ar2")) : NULL;
    if (!y) return done(p, &t, out, NULL, off);
    if (f->op == SET_UNION && x->weak != y->weak) { /* a Python number joins the array's dtype as NEP 50 says (an add's) */
        kiln_expr *num = x->weak ? x : y, *sum = keep(&t, kiln_add(c, num, keep(&t, kiln_const(c, (kiln_dtype)(x->weak ? y : x)->dtype, 0))));
        if (!(num = sum ? keep(&t, kiln_cast(c, num, (kiln_dtype)sum->dtype)) : NULL)) return done(p, &t, out, NULL, off);
        if (x->weak) x = num;
        else y = num;
    }
    x = keep(&t, kiln_ravel(c, x)), y = keep(&t, kiln_ravel(c, y));
    if (x && y && f->op == SET_INTERSECT) /* (NumPy's: of the two concatenated, in their promoted dtype) */
        x = keep(&t, kiln_cast(c, x, dtype_promote((kiln_dtype)x->dtype, (kiln_dtype)y->dtype)));
    if (f->op == SET_IN1D) {
        bool inv = false;
        if (given(a, "invert") && !fe_arg_bool(p, arg(a, "invert"), f->name, "invert", &inv)) return tmps_free(&t), false;
        fe_kwarg kw[2] = {{.name = "invert", .off = off}, {.name = "kind", .off = off}};
        kval *kind = arg(a, "kind");
        int nkw = 1 + (kind->kind != KV_ABSENT);
        if (nkw == 2) kw[1].v = *kind, *kind = (kval){.kind = KV_ABSENT}; /* (taken over) */
        bool ok = fe_set_expr(p, &kw[0].v, kiln_bool(c, inv), off) && call_exprs(p, "isin", 2, (kiln_expr *[]){x, y}, kw, nkw, off, out);
        tmps_free(&t);
        return ok;
    }
    if (f->op == SET_INTERSECT && (assume || indices)) return intersect_steps(p, &t, x, y, assume, indices, off, out);
    if (f->op == SET_DIFF && assume) { /* ar1[isin(ar1, ar2, invert=True)] */
        kval r = {0};
        fe_kwarg kw[1] = {{.name = "invert", .off = off}};
        if (!fe_set_expr(p, &kw[0].v, kiln_bool(c, true), off) || !call_exprs(p, "isin", 2, (kiln_expr *[]){x, y}, kw, 1, off, &r))
            return done(p, &t, out, NULL, off);
        kiln_expr *keep_ = keep(&t, kiln_expr_retain(r.e));
        kval_free(c, &r);
        return done(p, &t, out, masked(p, &t, x, keep_, off), off);
    }
    /* the distinct values of each (of both, for a union), through unique */
    kiln_expr *u[2] = {NULL, NULL};
    for (int k = 0; k < (f->op == SET_UNION ? 1 : 2); k++)
        if (assume) u[k] = k ? y : x;
        else if (!(u[k] = call_expr(p, &t, "unique", f->op == SET_UNION ? keep(&t, kiln_concatenate(c, 2, (kiln_expr *[]){x, y}, 0)) : k ? y : x, off)))
            return done(p, &t, out, NULL, off);
    if (f->op == SET_UNION) return done(p, &t, out, u[0], off);
    if (!u[0] || !u[1]) return done(p, &t, out, NULL, off);
    kiln_expr *r = NULL;
    if (f->op != SET_XOR) { /* u[0]'s values found in u[1] (sorted), or not */
        kiln_expr *hit = keep(&t, ir_search(&c->graph, u[1], u[0], IR_SEARCH_FOUND));
        if (hit && f->op == SET_DIFF) hit = keep(&t, kiln_invert(c, hit));
        r = hit ? masked(p, &t, u[0], hit, off) : NULL;
    } else { /* in exactly one: the union's values not in both */
        kiln_expr *s = call_expr(p, &t, "sort", keep(&t, kiln_concatenate(c, 2, (kiln_expr *[]){u[0], u[1]}, 0)), off);
        if (!s) return done(p, &t, out, NULL, off);
        int64_t m = s->shape[0];
        if (m == 0) return done(p, &t, out, s, off);
        /* a value is in one of them when it differs from both neighbours (sorted, each once per array) */
        kiln_expr *t1 = keep(&t, kiln_bool(c, true));
        kiln_expr *nb = m > 1 ? keep(&t, kiln_ne(c, slice_along(p, &t, s, 0, 1, m, 1), slice_along(p, &t, s, 0, 0, m - 1, 1))) : NULL;
        kiln_expr *one = keep(&t, kiln_reshape(c, t1, 1, (int64_t[]){1}));
        kiln_expr *left = m > 1 ? keep(&t, kiln_concatenate(c, 2, (kiln_expr *[]){one, nb}, 0)) : one;
        kiln_expr *right = m > 1 ? keep(&t, kiln_concatenate(c, 2, (kiln_expr *[]){nb, one}, 0)) : one;
        kiln_expr *hit = left && right ? keep(&t, kiln_and(c, left, right)) : NULL;
        r = hit ? masked(p, &t, s, hit, off) : NULL;
    }
    return done(p, &t, out, r, off);
}

/* An int or a tuple of ints, as a list of up to cap values. */
static bool ints_of(parser *p, const fe_fn *f, const kval *v, const char *param, int64_t *vals, int *n, int cap) {
    if (v->kind != KV_TUPLE && v->kind != KV_LIST) {
        *n = 1;
        return fe_arg_int(p, v, f->name, param, vals);
    }
    if (v->n > cap) return fe_err(p, v->off, KILN_ERR_ARG, "%s(): at most %d values for %s", f->name, cap, param);
    for (*n = 0; *n < v->n; (*n)++)
        if (!fe_arg_int(p, &v->items[*n], f->name, param, &vals[*n])) return false;
    return true;
}

/* sliding_window_view(x, window_shape, axis=None, *, subok=False, writeable=False) (NumPy's
 * np.lib.stride_tricks): every window of window_shape over axis (all of x's axes when None) as
 * trailing dims, the windowed axes shortened to the windows' count.  NumPy's is a read-only view
 * through overlapping strides; kiln's view maps do not overlap, so each axis is a gather
 * (take of the (count, w) starts plus offsets, its window dim moved last): read-only too, a copy. */
static bool h_sliding_window_view(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_expr *x = keep(&t, expr_of(p, f, a, "x"));
    int64_t w[KILN_MAX_DIMS], ax[KILN_MAX_DIMS];
    int nw = 0, na = 0;
    bool writeable = false;
    if (!x || !ints_of(p, f, arg(a, "window_shape"), "window_shape", w, &nw, KILN_MAX_DIMS) ||
        (given(a, "writeable") && !fe_arg_bool(p, arg(a, "writeable"), f->name, "writeable", &writeable)))
        return done(p, &t, out, NULL, off);
    if (writeable)
        return tmps_free(&t), fe_err(p, arg(a, "writeable")->off, KILN_ERR_ARG,
                                     "sliding_window_view(writeable=True): kiln's windows are a copy, which writes would not reach x through");
    for (int k = 0; k < nw; k++)
        if (w[k] < 0) return tmps_free(&t), fe_err(p, arg(a, "window_shape")->off, KILN_ERR_ARG, "`window_shape` cannot contain negative values");
    if (!given_not_none(a, "axis")) {
        if (nw != x->ndim)
            return tmps_free(&t), fe_err(p, arg(a, "window_shape")->off, KILN_ERR_ARG,
                                         "Since axis is `None`, must provide window_shape for all dimensions of `x`; got %d window_shape elements and `x.ndim` is %d.",
                                         nw, x->ndim);
        for (na = 0; na < nw; na++) ax[na] = na;
    } else if (!ints_of(p, f, arg(a, "axis"), "axis", ax, &na, KILN_MAX_DIMS)) {
        return done(p, &t, out, NULL, off);
    } else if (na != nw) {
        return tmps_free(&t), fe_err(p, arg(a, "axis")->off, KILN_ERR_ARG,
                                     "Must provide matching length window_shape and axis; got %d window_shape elements and %d axes elements.", nw, na);
    }
    int nd0 = x->ndim;
    for (int k = 0; k < na; k++) {
        if (ax[k] < -nd0 || ax[k] >= nd0)
            return tmps_free(&t), fe_err(p, arg(a, "axis")->off, KILN_ERR_ARG, "axis %lld is out of bounds for array of dimension %d", (long long)ax[k], nd0);
        ax[k] += ax[k] < 0 ? nd0 : 0;
    }
    if (nd0 + nw > KILN_MAX_DIMS)
        return tmps_free(&t), fe_err(p, off, KILN_ERR_SHAPE, "sliding_window_view(): the result would have %d dims; kiln's arrays have at most %d", nd0 + nw,
                                     KILN_MAX_DIMS);
    int64_t len[KILN_MAX_DIMS];
    for (int d = 0; d < nd0; d++) len[d] = x->shape[d];
    for (int k = 0; k < nw; k++) {
        if (len[ax[k]] < w[k]) return tmps_free(&t), fe_err(p, arg(a, "window_shape")->off, KILN_ERR_ARG, "window shape cannot be larger than input array shape");
        len[ax[k]] -= w[k] - 1;
    }
    for (int k = 0; k < nw && x; k++) {
        int64_t n = x->shape[ax[k]] - w[k] + 1, shape[2] = {n, w[k]};
        kiln_array *idx = kiln_array_new(p->ctx, KILN_I64, 2, shape);
        if (!idx) return done(p, &t, out, NULL, off);
        for (int64_t i = 0; i < n; i++)
            for (int64_t j = 0; j < w[k]; j++) ((int64_t *)idx->data)[i * w[k] + j] = i + j;
        kiln_expr *ie = keep(&t, kiln_var(p->ctx, idx));
        kiln_array_free(idx);
        x = ie ? keep(&t, kiln_take(p->ctx, x, ie, (int)ax[k])) : NULL;
        int perm[KILN_MAX_DIMS], m = 0; /* (the window dim, at ax + 1, to the end) */
        for (int d = 0; x && d < x->ndim; d++)
            if (d != ax[k] + 1) perm[m++] = d;
        perm[m] = (int)ax[k] + 1;
        if (x) x = keep(&t, kiln_permute(p->ctx, x, perm));
    }
    bool ok = done(p, &t, out, x, off);
    if (ok) out->readonly = true; /* (NumPy's writeable=False) */
    return ok;
}

/* roll(a, shift, axis=None): the elements shifted along the axes, those leaving at one end
 * coming back at the other (of the flattened array when axis is None) */
static bool h_roll(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_expr *x = keep(&t, expr_of(p, f, a, "a")), *x0 = x;
    int64_t shifts[KILN_MAX_DIMS], axes[KILN_MAX_DIMS];
    int ns, na = 1;
    if (!x || !ints_of(p, f, arg(a, "shift"), "shift", shifts, &ns, KILN_MAX_DIMS)) return done(p, &t, out, NULL, off);
    bool flat = !given_not_none(a, "axis");
    if (flat) { /* (shifts of a tuple add up, as NumPy's) */
        x = keep(&t, kiln_ravel(p->ctx, x));
        axes[0] = 0;
    } else if (!ints_of(p, f, arg(a, "axis"), "axis", axes, &na, KILN_MAX_DIMS)) {
        return done(p, &t, out, NULL, off);
    }
    if (ns != na && ns != 1 && na != 1) {
        tmps_free(&t);
        return fe_err(p, off, KILN_ERR_ARG, "roll(): shape mismatch between shift and axis");
    }
    int64_t by[KILN_MAX_DIMS] = {0};
    for (int i = 0; i < (ns && na ? (ns > na ? ns : na) : 0) && x; i++) { /* () of either: nothing moves */
        int64_t ax = axes[na == 1 ? 0 : i];
        if (ax < -x->ndim || ax >= x->ndim) {
            tmps_free(&t);
            return fe_err(p, off, KILN_ERR_ARG, "roll(): axis %lld is out of bounds for array of dimension %d", (long long)ax, x->ndim);
        }
        int d = (int)(ax < 0 ? ax + x->ndim : ax);
        int64_t n = x->shape[d];
        if (n) by[d] = (by[d] + shifts[ns == 1 ? 0 : i] % n) % n; /* (each shift taken modulo n first: their sum cannot wrap) */
    }
    for (int d = 0; x && d < x->ndim; d++) {
        int64_t n = x->shape[d], s = n ? ((by[d] % n) + n) % n : 0;
        if (!s) continue;
        kiln_expr *parts[2] = {slice_along(p, &t, x, d, n - s, n, 1), slice_along(p, &t, x, d, 0, n - s, 1)};
        x = keep(&t, kiln_concatenate(p->ctx, 2, parts, d));
    }
    if (flat && x) x = keep(&t, kiln_reshape(p->ctx, x, x0->ndim, x0->shape));
    return done(p, &t, out, x, off);
}

/* repeat(a, repeats, axis=None): each element `repeats` times along axis (of the flattened a
 * when None); repeats an int, or a list of one count per element; a take */
static bool h_repeat(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    int axis = KILN_ALL_AXES;
    kiln_expr *x = keep(&t, expr_of(p, f, a, "a"));
    if (!x || !one_axis(p, f, a, &axis)) return done(p, &t, out, NULL, off);
    if (axis == KILN_ALL_AXES) {
        x = keep(&t, kiln_ravel(p->ctx, x));
        axis = 0;
    }
    if (!x) return done(p, &t, out, NULL, off);
    if (axis < -x->ndim || axis >= x->ndim) {
        tmps_free(&t);
        return fe_err(p, off, KILN_ERR_ARG, "repeat(): axis %d is out of bounds for array of dimension %d", axis, x->ndim);
    }
    if (axis < 0) axis += x->ndim;
    int64_t n = x->shape[axis];
    const kval *rv = arg(a, "repeats");
    if (rv->kind != KV_TUPLE && rv->kind != KV_LIST) {
        int64_t r;
        if (!fe_arg_int(p, rv, f->name, "repeats", &r)) return done(p, &t, out, NULL, off);
        if (r < 0) {
            tmps_free(&t);
            return fe_err(p, rv->off, KILN_ERR_ARG, "repeat(): negative dimensions are not allowed");
        }
        int64_t total;
        if (__builtin_mul_overflow(n, r, &total)) {
            tmps_free(&t);
            return fe_err(p, rv->off, KILN_ERR_ARG, "repeat(): array is too big");
        }
        return done(p, &t, out, r == 1 ? x : take_index(p, &t, x, axis, total, r, 0), off);
    }
    if (rv->n != n && rv->n != 1) {
        tmps_free(&t);
        return fe_err(p, rv->off, KILN_ERR_ARG, "repeat(): operands could not be broadcast together with shape (%lld,) (%d,)", (long long)n, rv->n);
    }
    int64_t total = 0, r;
    for (int i = 0; i < (rv->n == 1 ? 1 : rv->n); i++) {
        if (!fe_arg_int(p, &rv->items[i], f->name, "repeats", &r)) return done(p, &t, out, NULL, off);
        if (r < 0) {
            tmps_free(&t);
            return fe_err(p, rv->items[i].off, KILN_ERR_ARG, "repeat(): negative dimensions are not allowed");
        }
        int64_t add = r;
        if ((rv->n == 1 && __builtin_mul_overflow(r, n, &add)) || __builtin_add_overflow(total, add, &total)) {
            tmps_free(&t);
            return fe_err(p, rv->off, KILN_ERR_ARG, "repeat(): array is too big");
        }
    }
    kiln_array *idx = kiln_array_new(p->ctx, KILN_I64, 1, &total);
    if (!idx) return done(p, &t, out, NULL, off);
    int64_t *d = (int64_t *)idx->data, o = 0;
    for (int64_t i = 0; i < n; i++) {
        fe_arg_int(p, &rv->items[rv->n == 1 ? 0 : i], f->name, "repeats", &r);
        for (int64_t j = 0; j < r; j++) d[o++] = i;
    }
    kiln_expr *ie = keep(&t, kiln_var(p->ctx, idx));
    kiln_array_free(idx);
    return done(p, &t, out, keep(&t, kiln_take(p->ctx, x, ie, axis)), off);
}

/* tile(A, reps): A repeated reps times along each axis (reps and A's dims aligned on the
 * right, the shorter padded with ones): a broadcast view reshaped, which copies; a take per
 * repeated axis where that reshape would be a view (every repeated axis of length 1: NumPy's
 * tile is new memory) or would need more than 8 dims */
static bool h_tile(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    int64_t reps[KILN_MAX_DIMS];
    int nr;
    kiln_expr *x = keep(&t, expr_of(p, f, a, "A"));
    if (!x || !ints_of(p, f, arg(a, "reps"), "reps", reps, &nr, KILN_MAX_DIMS)) return done(p, &t, out, NULL, off);
    int nd = nr > x->ndim ? nr : x->ndim;
    for (int i = 0; i < nr; i++)
        if (reps[i] < 0) {
            tmps_free(&t);
            return fe_err(p, off, KILN_ERR_ARG, "tile(): negative dimensions are not allowed");
        }
    x = lift(p, &t, x, nd);
    /* x with a new axis before each repeated one, broadcast along it to the repeats, reshaped:
     * one copy writes the result (a take per axis read and wrote all of it per axis); with too
     * many dims for that, the takes */
    int64_t split[2 * KILN_MAX_DIMS], wide[2 * KILN_MAX_DIMS], whole[KILN_MAX_DIMS];
    int ns = 0;
    bool copies = false; /* (the reshape cannot be a view: a repeated axis longer than 1) */
    for (int d = 0; x && d < nd; d++) {
        int64_t r = d < nd - nr ? 1 : reps[d - (nd - nr)], n = x->shape[d];
        if (__builtin_mul_overflow(n, r, &whole[d])) {
            tmps_free(&t);
            return fe_err(p, off, KILN_ERR_ARG, "tile(): array is too big");
        }
        if (r != 1) split[ns] = 1, wide[ns++] = r, copies = copies || n > 1;
        split[ns] = wide[ns] = n, ns++;
    }
    if (x && copies && ns <= KILN_MAX_DIMS) {
        x = fe_broadcast_to(p, &t, keep(&t, kiln_reshape(p->ctx, x, ns, split)), ns, wide, f->name, off);
        return done(p, &t, out, x ? keep(&t, kiln_reshape(p->ctx, x, nd, whole)) : NULL, off);
    }
    for (int d = 0; x && d < nd; d++)
        if (whole[d] != x->shape[d]) x = take_index(p, &t, x, d, whole[d], 1, x->shape[d]);
    return done(p, &t, out, x, off);
}

/* broadcast_to(array, shape) */
static bool h_broadcast_to(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    int nd;
    int64_t shape[KILN_MAX_DIMS];
    kiln_expr *x = keep(&t, expr_of(p, f, a, "array"));
    if (!x || !fe_arg_shape(p, arg(a, "shape"), f->name, "shape", &nd, shape)) return done(p, &t, out, NULL, off);
    bool alias = arg(a, "array")->alias;
    kiln_expr *r = fe_broadcast_to(p, &t, x, nd, shape, f->name, off); /* (of a name's array, a view of its memory) */
    bool ok = done(p, &t, out, r, off);
    out->alias = ok && alias, out->readonly = ok; /* (NumPy's: a read-only view) */
    return ok;
}

/* meshgrid(*xi, indexing='xy', sparse=False): coordinate arrays, a tuple; with 'xy' the first
 * two axes are swapped (x varies along columns) */
static bool h_meshgrid(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kval *xi = arg(a, "xi");
    int n = xi->kind == KV_TUPLE ? xi->n : 0;
    bool sparse = false, xy = true;
    if (given(a, "indexing")) {
        kval *iv = arg(a, "indexing");
        if (iv->kind != KV_STR || (strcmp(iv->s, "xy") && strcmp(iv->s, "ij")))
            return fe_err(p, iv->off, KILN_ERR_ARG, "meshgrid(): indexing must be 'xy' or 'ij'");
        xy = !strcmp(iv->s, "xy");
    }
    if ((given(a, "sparse") && !fe_arg_bool(p, arg(a, "sparse"), f->name, "sparse", &sparse))) return false;
    if (n > KILN_MAX_DIMS) return fe_err(p, off, KILN_ERR_ARG, "meshgrid(): at most %d arrays", KILN_MAX_DIMS);
    kiln_expr *xs[KILN_MAX_DIMS];
    int64_t shape[KILN_MAX_DIMS];
    int pos[KILN_MAX_DIMS];
    for (int k = 0; k < n; k++) {
        xs[k] = keep(&t, kiln_ravel(p->ctx, keep(&t, fe_arg_expr(p, &xi->items[k], f->name, "xi"))));
        if (!xs[k]) return done(p, &t, out, NULL, off);
        pos[k] = xy && n >= 2 && k < 2 ? 1 - k : k;
        shape[pos[k]] = xs[k]->shape[0];
    }
    kval *items = n ? kiln_calloc(p->ctx, (size_t)n * sizeof *items) : NULL;
    if (n && !items) return done(p, &t, out, NULL, off);
    bool ok = true;
    for (int k = 0; k < n && ok; k++) {
        int64_t s[KILN_MAX_DIMS];
        for (int d = 0; d < n; d++) s[d] = d == pos[k] ? shape[d] : 1;
        kiln_expr *r = keep(&t, kiln_reshape(p->ctx, xs[k], n, s));
        if (!sparse) r = fe_broadcast_to(p, &t, r, n, shape, f->name, off);
        ok = fe_set_expr(p, &items[k], r ? kiln_expr_retain(r) : NULL, off);
    }
    tmps_free(&t);
    memset(out, 0, sizeof *out);
    *out = (kval){.kind = KV_TUPLE, .off = off, .n = n, .items = items};
    if (!ok) kval_free(p->ctx, out);
    return ok;
}

/* nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None): NaN, +inf and -inf replaced
 * (the infinities by the dtype's largest finite values unless given); integers as they are */
static bool h_nan_to_num(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kiln_expr *x = keep(&t, expr_of(p, f, a, "x"));
    if (!x) return false;
    bool copy = true;
    if (given(a, "copy") && !fe_arg_bool(p, arg(a, "copy"), f->name, "copy", &copy)) return done(p, &t, out, NULL, off);
    if (!copy) {
        tmps_free(&t);
        return fe_err(p, arg(a, "copy")->off, KILN_ERR_ARG, "nan_to_num(): copy=False (changing x in place) is not supported: write x = nan_to_num(x)");
    }
    kiln_dtype dt = (kiln_dtype)x->dtype;
    if (!dtype_is_float(dt)) return done(p, &t, out, x, off);
    double big = dt == KILN_F32 ? 3.4028234663852886e38 : 1.7976931348623157e308;
    kiln_expr *nan = keep(&t, given_not_none(a, "nan") ? expr_of(p, f, a, "nan") : kiln_scalar(c, 0.0));
    kiln_expr *pos = keep(&t, given_not_none(a, "posinf") ? expr_of(p, f, a, "posinf") : kiln_const(c, dt, big));
    kiln_expr *neg = keep(&t, given_not_none(a, "neginf") ? expr_of(p, f, a, "neginf") : kiln_const(c, dt, -big));
    kiln_expr *inf = keep(&t, kiln_scalar(c, INFINITY)), *minf = keep(&t, kiln_scalar(c, -INFINITY));
    kiln_expr *r = keep(&t, kiln_where(c, keep(&t, kiln_eq(c, x, minf)), neg, x));
    r = keep(&t, kiln_where(c, keep(&t, kiln_eq(c, x, inf)), pos, r));
    r = keep(&t, kiln_where(c, keep(&t, kiln_isnan(c, x)), nan, r));
    /* the replacements take x's dtype (NumPy writes them into x's copy) */
    if (r && r->dtype != dt) r = keep(&t, kiln_cast(c, r, dt));
    return done(p, &t, out, r, off);
}

/* average(a, axis=None, weights=None, returned=False, *, keepdims=False): the mean, or
 * sum(a * w) / sum(w) along axis (w 1-d along axis, or a's shape), in float64 for integers;
 * weights summing to zero are NumPy's error (their sums computed now) */
/* out = the tuple (x, y) (new references), then the temporaries go. */
static bool pair_result(parser *p, tmps *t, kval *out, kiln_expr *x, kiln_expr *y, size_t off) {
    return tuple_result(p, t, out, (kiln_expr *[]){x, y}, 2, off);
}

static bool h_average(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    unsigned mask;
    bool all, keep_, returned = false;
    kiln_expr *x = keep(&t, expr_of(p, f, a, "a"));
    if (!x || !fe_arg_axes(p, arg(a, "axis"), x->ndim, f->name, &mask, &all) || !keepdims_of(p, f, a, &keep_) ||
        (given(a, "returned") && !fe_arg_bool(p, arg(a, "returned"), f->name, "returned", &returned)))
        return done(p, &t, out, NULL, off);
    if (!given_not_none(a, "weights")) {
        kiln_expr *m = keep(&t, kiln_mean_axes(c, x, mask, keep_));
        if (!returned || !m) return done(p, &t, out, m, off);
        int64_t n = 1; /* with returned=True: (the mean, the count as its dtype, in its shape) */
        for (int d = 0; d < x->ndim; d++)
            if ((mask >> d) & 1) n *= x->shape[d];
        kiln_expr *cnt = keep(&t, kiln_cast(c, keep(&t, kiln_scalar(c, (double)n)), (kiln_dtype)m->dtype));
        return pair_result(p, &t, out, m, fe_broadcast_to(p, &t, cnt, m->ndim, m->shape, f->name, off), off);
    }
    kiln_expr *w = keep(&t, expr_of(p, f, a, "weights"));
    if (!w) return done(p, &t, out, NULL, off);
    if (!ir_same_shape(w, x)) { /* weights of a's shape along the axes, in their order (NumPy's) */
        const kval *av = arg(a, "axis");
        int axes[KILN_MAX_DIMS], na = 0;
        bool seq = av->kind == KV_TUPLE || av->kind == KV_LIST, fits = !all;
        for (int i = 0; fits && i < (seq ? av->n : 1) && na < KILN_MAX_DIMS; i++) {
            int64_t ax;
            if (!fe_arg_int(p, seq ? &av->items[i] : av, f->name, "axis", &ax)) return done(p, &t, out, NULL, off);
            axes[na++] = (int)(ax < 0 ? ax + x->ndim : ax); /* (in bounds: fe_arg_axes checked) */
        }
        fits = fits && w->ndim == na;
        for (int i = 0; fits && i < na; i++) fits = w->shape[i] == x->shape[axes[i]];
        if (!fits) {
            tmps_free(&t);
            return fe_err(p, arg(a, "weights")->off, KILN_ERR_ARG,
                          all ? "average(): axis must be specified when shapes of a and weights differ"
                              : "average(): Shape of weights must be consistent with shape of a along specified axis.");
        }
        int perm[KILN_MAX_DIMS], k = 0; /* w's dims in the axes' ascending order */
        int64_t s[KILN_MAX_DIMS];
        for (int d = 0; d < x->ndim; d++) {
            s[d] = (mask >> d) & 1 ? x->shape[d] : 1;
            for (int i = 0; i < na; i++)
                if (axes[i] == d) perm[k++] = i;
        }
        if (na > 1) w = keep(&t, kiln_permute(c, w, perm));
        w = w ? keep(&t, kiln_reshape(c, w, x->ndim, s)) : NULL;
    }
    if (!w) return done(p, &t, out, NULL, off);
    kiln_dtype xd = (kiln_dtype)x->dtype, wd = (kiln_dtype)w->dtype;
    kiln_dtype rd = dtype_is_float(xd) ? dtype_promote(xd, wd) : KILN_F64; /* (NumPy's result_type(a, w), with 'f8' for integers) */
    if (!dtype_is_float(rd)) rd = KILN_F64;
    kiln_expr *xr = keep(&t, kiln_cast(c, x, rd)), *wr = keep(&t, kiln_cast(c, w, rd));
    kiln_expr *wb = fe_broadcast_to(p, &t, wr, x->ndim, x->shape, f->name, off);
    kiln_expr *scl = keep(&t, kiln_reduce_axes(c, KILN_OP_SUM, wb, mask, keep_));
    if (scl && !p->env->in_grad) { /* computed once: checked now, and divided by (inside grad(), a graph) */
        kiln_array *sa = value_now(p, scl, off);
        scl = sa ? keep(&t, kiln_var(c, sa)) : NULL;
        kiln_array_free(sa);
    }
    kiln_expr *num = scl ? keep(&t, kiln_reduce_axes(c, KILN_OP_SUM, keep(&t, kiln_mul(c, xr, wr)), mask, keep_)) : NULL;
    bool z;
    if (!num || !truth_now(p, &t, KILN_OP_ANY, keep(&t, kiln_eq(c, scl, keep(&t, kiln_int(c, 0)))), off, &z))
        return done(p, &t, out, NULL, off);
    if (z) {
        tmps_free(&t);
        return fe_err(p, arg(a, "weights")->off, KILN_ERR_ARG, "average(): weights sum to zero, can't be normalized");
    }
    kiln_expr *avg = keep(&t, kiln_div(c, num, scl));
    return returned && avg ? pair_result(p, &t, out, avg, scl, off) : done(p, &t, out, avg, off);
}

/* fmax / fmin (NumPy's ufuncs): the larger (smaller) of x1 and x2, NaN only where both are:
 * where(x1 > x2 | isnan(x2), x1, x2), the order NumPy's loops take for ±0 too */
static bool h_fminmax(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kiln_expr *x = keep(&t, expr_of(p, f, a, "x1")), *y = x ? keep(&t, expr_of(p, f, a, "x2")) : NULL;
    if (!y) return done(p, &t, out, NULL, off);
    if (!ir_weak_fits(&c->graph, x, x->weak ? (kiln_dtype)y->dtype : (kiln_dtype)x->dtype) ||
        !ir_weak_fits(&c->graph, y, y->weak ? (kiln_dtype)x->dtype : (kiln_dtype)y->dtype)) /* (fmax(u8, -1): NumPy 2's OverflowError) */
        return fe_got(p, NULL, off), done(p, &t, out, NULL, off);
    kiln_expr *better = keep(&t, f->op ? kiln_lt(c, x, y) : kiln_gt(c, x, y));
    if (dtype_is_float((kiln_dtype)y->dtype) || dtype_is_float((kiln_dtype)x->dtype))
        better = keep(&t, kiln_or(c, better, keep(&t, kiln_isnan(c, y))));
    return done(p, &t, out, keep(&t, kiln_where(c, better, x, y)), off);
}

/* degrees / rad2deg and radians / deg2rad: x times 180/pi (pi/180), the constant as NumPy's
 * loops compute it (in float32 for float32); integers as float64 */
static bool h_angle(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_expr *x = keep(&t, expr_of(p, f, a, "x"));
    if (!x) return false;
    kiln_dtype dt = dtype_float_of((kiln_dtype)x->dtype);
    if (dt != x->dtype) x = keep(&t, kiln_cast(p->ctx, x, dt));
    double k = dt == KILN_F32 ? (double)(f->op ? 3.14159265358979323846f / 180.0f : 180.0f / 3.14159265358979323846f)
                              : f->op ? 3.14159265358979323846 / 180.0 : 180.0 / 3.14159265358979323846;
    kiln_expr *kc = keep(&t, x && x->op == KILN_OP_CONST && x->weak ? kiln_scalar(p->ctx, k) : kiln_const(p->ctx, dt, k));
    return done(p, &t, out, keep(&t, kiln_mul(p->ctx, x, kc)), off);
}

/* isposinf / isneginf: x == +inf (-inf); never for integers */
static bool h_isposinf(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_expr *x = keep(&t, expr_of(p, f, a, "x"));
    if (!x) return false;
    kiln_expr *inf = keep(&t, kiln_scalar(p->ctx, f->op ? -INFINITY : INFINITY));
    if (!dtype_is_float((kiln_dtype)x->dtype)) x = keep(&t, kiln_cast(p->ctx, x, KILN_F64)); /* (never equal) */
    return done(p, &t, out, keep(&t, kiln_eq(p->ctx, x, inf)), off);
}

/* signbit: whether x's sign bit is set (-0.0 and -NaN too: copysign(1, x) < 0); x < 0 for integers */
static bool h_signbit(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kiln_expr *x = keep(&t, expr_of(p, f, a, "x"));
    if (!x) return false;
    kiln_expr *zero = keep(&t, kiln_int(c, 0));
    if (dtype_is_float((kiln_dtype)x->dtype)) x = keep(&t, kiln_copysign(c, keep(&t, kiln_int(c, 1)), x));
    return done(p, &t, out, keep(&t, kiln_lt(c, x, zero)), off);
}

/* reciprocal: 1 / x in x's dtype; for integers C's 1 / x (0 but for ±1), and NumPy's result for
 * 1 / 0, the dtype's smallest value */
static bool h_reciprocal(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kiln_expr *x = keep(&t, expr_of(p, f, a, "x"));
    if (!x) return false;
    kiln_dtype dt = (kiln_dtype)x->dtype;
    if (dt == KILN_BOOL) /* NumPy's loop for bools is int8's */
        x = keep(&t, kiln_cast(c, x, dt = KILN_I8));
    if (!x) return done(p, &t, out, NULL, off);
    if (dtype_is_float(dt)) return done(p, &t, out, keep(&t, kiln_div(c, keep(&t, kiln_const(c, dt, 1)), x)), off);
    kiln_expr *one = keep(&t, kiln_int(c, 1)), *zero = keep(&t, kiln_int(c, 0));
    kiln_expr *unit = keep(&t, kiln_eq(c, keep(&t, kiln_abs(c, x)), one));
    /* 1 / 0: infinity cast as C's (int32 and int64: their least value; narrower ones the low bytes of int32's, 0) */
    kiln_expr *lowest = keep(&t, kiln_const_i64(c, dt, kscalar_int(dt, ref_cast((kscalar){.f64 = INFINITY}, KILN_F64, dt))));
    kiln_expr *r = keep(&t, kiln_where(c, keep(&t, kiln_eq(c, x, zero)), lowest, keep(&t, kiln_const(c, dt, 0))));
    return done(p, &t, out, keep(&t, kiln_where(c, unit, x, r)), off);
}

/* x / n for a float x and an int64 count n, as NumPy's true_divide(x, n, out=x): in float64, then
 * x's dtype */
static kiln_expr *over_count(kiln_ctx *c, tmps *t, kiln_expr *x, kiln_expr *n) {
    kiln_expr *q = keep(t, kiln_div(c, keep(t, kiln_cast(c, x, KILN_F64)), keep(t, kiln_cast(c, n, KILN_F64))));
    return keep(t, kiln_cast(c, q, (kiln_dtype)x->dtype));
}

/* nanvar / nanstd of floats, NumPy's steps: the mean of the values that are not NaN (their sum
 * over their count; or mean=, the deviations then in x's dtype), the squared deviations with NaN's as 0, their sum over count - ddof, and
 * NaN where that is 0 or less */
static kiln_expr *nan_variance(kiln_ctx *c, tmps *t, kiln_expr *x, kiln_expr *nan, unsigned mask, double ddof, kiln_expr *mean,
                               bool keepdims, bool root) {
    kiln_expr *zero = keep(t, kiln_int(c, 0));
    kiln_expr *cnt = keep(t, kiln_reduce_axes(c, KILN_OP_SUM, keep(t, kiln_invert(c, nan)), mask, 1));
    kiln_expr *avg = mean ? mean : over_count(c, t, keep(t, kiln_reduce_axes(c, KILN_OP_SUM, keep(t, kiln_where(c, nan, zero, x)), mask, 1)), cnt);
    kiln_expr *dev = keep(t, kiln_where(c, nan, zero, keep(t, kiln_cast(c, keep(t, kiln_sub(c, x, avg)), (kiln_dtype)x->dtype))));
    kiln_expr *ss = keep(t, kiln_reduce_axes(c, KILN_OP_SUM, keep(t, kiln_mul(c, dev, dev)), mask, keepdims));
    if (!keepdims) cnt = keep(t, kiln_reduce_axes(c, KILN_OP_SUM, cnt, mask, 0)); /* (axes of length 1 now) */
    kiln_expr *dof = keep(t, kiln_sub(c, cnt, keep(t, dof_const(c, ddof))));
    kiln_expr *var = over_count(c, t, ss, dof);
    var = keep(t, kiln_where(c, keep(t, kiln_le(c, dof, zero)), keep(t, kiln_scalar(c, NAN)), var));
    return root ? keep(t, kiln_sqrt(c, var)) : var;
}

/* nanargmax / nanargmin: argmax (argmin) with NaN as -inf (+inf), NumPy's; a slice of NaN alone
 * is NumPy's error, which needs the values: checked now, as NumPy checks first */
static bool h_nanarg(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    int axis;
    bool keep_, bad = false;
    kiln_expr *x = keep(&t, expr_of(p, f, a, "a"));
    if (x) legacy_axis_0d(p, a, x, false);
    if (!x || !one_axis(p, f, a, &axis) || !keepdims_of(p, f, a, &keep_)) return done(p, &t, out, NULL, off);
    if (dtype_is_float((kiln_dtype)x->dtype)) {
        kiln_expr *nan = keep(&t, kiln_isnan(c, x));
        int64_t size = 1;
        for (int d = 0; d < x->ndim; d++) size *= x->shape[d];
        kiln_expr *all = size ? keep(&t, kiln_reduce(c, KILN_OP_ALL, nan, axis, 0)) : NULL;
        if (size && (!all || !truth_now(p, &t, KILN_OP_ANY, all, off, &bad))) return done(p, &t, out, NULL, off);
        if (bad) {
            tmps_free(&t);
            return fe_err(p, off, KILN_ERR_ARG, "%s(): All-NaN slice encountered", f->name);
        }
        x = keep(&t, kiln_where(c, nan, keep(&t, kiln_scalar(c, f->op == KILN_OP_ARGMAX ? -INFINITY : INFINITY)), x));
    }
    return done(p, &t, out, keep(&t, kiln_reduce(c, (kiln_op)f->op, x, axis, keep_)), off);
}

/* nansum, nanprod, nanmax, nanmin, nanmean, nanvar, nanstd: the reduction with NaN left out,
 * NumPy's steps: for data that cannot hold NaN, the plain reduction (h_reduce, with the same
 * dtype=); for floats, NaN replaced by the identity for sums and products before dtype= casts
 * (nansum([1.5, nan], dtype=int64) adds 1 and 0), a slice of NaN alone gives NaN for max and min,
 * and the mean's count is the values that are not NaN; the moments of floats take only an
 * inexact dtype=, as NumPy's */
static bool h_nanreduce(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    unsigned mask;
    bool all, keep_;
    kiln_expr *x = keep(&t, expr_of(p, f, a, "a"));
    if (x && (dtype_is_float((kiln_dtype)x->dtype) || f->op < KILN_OP_COUNT)) legacy_axis_0d(p, a, x, false); /* (nanmean of an integer is np.mean's: no) */
    if (!x || !fe_arg_axes(p, arg(a, "axis"), x->ndim, f->name, &mask, &all) || !keepdims_of(p, f, a, &keep_))
        return done(p, &t, out, NULL, off);
    if (!dtype_is_float((kiln_dtype)x->dtype)) { /* nothing to leave out */
        tmps_free(&t);
        return h_reduce(p, f, a, off, out);
    }
    int op = f->op;
    bool moment = op == R_MEAN || op == R_VAR || op == R_STD, typed = has(a, "dtype") && given_not_none(a, "dtype");
    kiln_dtype want = KILN_DTYPE_COUNT;
    if (typed && !fe_arg_dtype(p, arg(a, "dtype"), f->name, &want)) return done(p, &t, out, NULL, off);
    if (moment && typed && !dtype_is_float(want)) {
        tmps_free(&t);
        return fe_err(p, arg(a, "dtype")->off, KILN_ERR_DTYPE, "If a is inexact, then dtype must be inexact");
    }
    double ddof = 0;
    bool ok = true;
    kiln_expr *mean = NULL;
    if ((op == R_VAR || op == R_STD) && (!ddof_of(p, f, a, &ddof) || ((mean = mean_of(p, f, a, &t, x, &ok)), !ok)))
        return done(p, &t, out, NULL, off);
    if (op == KILN_OP_SUM || op == KILN_OP_PROD) { /* NaN as the identity, then NumPy's sum or prod with dtype= */
        kiln_expr *clean = keep(&t, kiln_where(c, keep(&t, kiln_isnan(c, x)), keep(&t, kiln_int(c, op == KILN_OP_PROD)), x));
        if (typed) clean = keep(&t, with_dtype(p, f, a, clean));
        kiln_expr *r = keep(&t, kiln_reduce_axes(c, (kiln_op)op, clean, mask, keep_));
        if (r && typed && r->dtype != want) r = keep(&t, kiln_cast(c, r, want)); /* (a narrower integer: wrapped as NumPy's) */
        return done(p, &t, out, r, off);
    }
    if (typed) x = keep(&t, with_dtype(p, f, a, x));
    if (!x) return done(p, &t, out, NULL, off);
    kiln_expr *nan = keep(&t, kiln_isnan(c, x));
    if (op == R_VAR || op == R_STD) return done(p, &t, out, nan_variance(c, &t, x, nan, mask, ddof, mean, keep_, op == R_STD), off);
    double fill = op == KILN_OP_MAX ? -INFINITY : op == KILN_OP_MIN ? INFINITY : 0;
    kiln_expr *clean = keep(&t, kiln_where(c, nan, keep(&t, kiln_scalar(c, fill)), x));
    kiln_expr *r = keep(&t, kiln_reduce_axes(c, op == R_MEAN ? KILN_OP_SUM : (kiln_op)op, clean, mask, keep_));
    if (op == R_MEAN) { /* sum / count in float64, then x's dtype (NumPy's true_divide into the sum) */
        kiln_expr *n = keep(&t, kiln_reduce_axes(c, KILN_OP_SUM, keep(&t, kiln_invert(c, nan)), mask, keep_));
        kiln_expr *q = keep(&t, kiln_div(c, keep(&t, kiln_cast(c, r, KILN_F64)), keep(&t, kiln_cast(c, n, KILN_F64))));
        r = keep(&t, kiln_cast(c, q, (kiln_dtype)x->dtype));
    } else if (op == KILN_OP_MAX || op == KILN_OP_MIN) {
        kiln_expr *none = keep(&t, kiln_reduce_axes(c, KILN_OP_ALL, nan, mask, keep_));
        r = keep(&t, kiln_where(c, none, keep(&t, kiln_scalar(c, NAN)), r));
    }
    return done(p, &t, out, r, off);
}

/* logaddexp(x1, x2): log(exp(x1) + exp(x2)) as NumPy's npy_logaddexp computes it: x1 + log(2)
 * where equal, else the larger plus log1p(exp(-|x1 - x2|)), else (a NaN) x1 - x2.  NumPy's
 * two branches (x1 + log1p(exp(-d)) for d = x1 - x2 > 0, else x2 + log1p(exp(d)) for d <= 0)
 * are one here, with the same operations on the same values: one exp and one log1p an
 * element, not two. */
static bool h_logaddexp(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kiln_expr *x = keep(&t, expr_of(p, f, a, "x1")), *y = x ? keep(&t, expr_of(p, f, a, "x2")) : NULL;
    if (!y) return done(p, &t, out, NULL, off);
    kiln_dtype dt = ir_float_loop_dtype((kiln_expr *[]){x, y}, 2); /* both in NumPy's loop's dtype (int8 with float32: float32) */
    if (x->dtype != dt) x = keep(&t, kiln_cast(c, x, dt));
    if (x && y->dtype != dt) y = keep(&t, kiln_cast(c, y, dt));
    if (!x || !y) return done(p, &t, out, NULL, off);
    kiln_expr *d = keep(&t, kiln_sub(c, x, y)), *zero = keep(&t, kiln_int(c, 0)), *tie = keep(&t, kiln_eq(c, x, y));
    kiln_expr *ds = keep(&t, kiln_where(c, tie, zero, d)); /* (0 at a tie, taken by the tie's branch: inf - inf makes no NaN gradient there) */
    bool two = f->op == 2; /* logaddexp2: exp2, and log1p times log2(e) (npy_log2_1p) */
    kiln_expr *nd = keep(&t, kiln_neg(c, keep(&t, kiln_abs(c, ds))));
    kiln_expr *e = keep(&t, two ? kiln_pow(c, keep(&t, kiln_scalar(c, 2.0)), nd) : kiln_exp(c, nd));
    kiln_expr *l = keep(&t, kiln_log1p(c, e));
    if (two) l = keep(&t, kiln_mul(c, keep(&t, kiln_scalar(c, 1.442695040888963407359924681001892137)), l));
    kiln_expr *r = keep(&t, kiln_add(c, keep(&t, kiln_where(c, keep(&t, kiln_gt(c, d, zero)), x, y)), l));
    r = keep(&t, kiln_where(c, keep(&t, kiln_eq(c, d, d)), r, d)); /* a NaN difference is the result, as NumPy's (its sign too) */
    kiln_expr *half = keep(&t, kiln_scalar(c, 0.5)), *mid = keep(&t, kiln_add(c, keep(&t, kiln_mul(c, x, half)), keep(&t, kiln_mul(c, y, half))));
    r = keep(&t, kiln_where(c, tie, keep(&t, kiln_add(c, mid, keep(&t, kiln_scalar(c, two ? 1.0 : 0.69314718055994530942)))), r)); /* (equal: x/2 + y/2, which is x, and a gradient shared equally, as JAX's) */
    return done(p, &t, out, r, off);
}

/* sinc(x): sin(pi y) / (pi y), y being x but 1e-20 for 0 (so 1 there), as NumPy's */
static bool h_sinc(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kiln_expr *x = keep(&t, expr_of(p, f, a, "x"));
    kiln_expr *z = x ? keep(&t, kiln_eq(c, x, keep(&t, kiln_int(c, 0)))) : NULL;
    kiln_expr *y = z ? keep(&t, kiln_mul(c, keep(&t, kiln_scalar(c, 3.141592653589793)), keep(&t, kiln_where(c, z, keep(&t, kiln_scalar(c, 1e-20)), x)))) : NULL;
    return done(p, &t, out, y ? keep(&t, kiln_div(c, keep(&t, kiln_sin(c, y)), y)) : NULL, off);
}

/* heaviside(x1, x2): 0 below zero, x2 at zero, 1 above, NaN for NaN; in the float of x1's and
 * x2's promoted dtype (integers: float64; bools and uint8: float32, where NumPy's is float16) */
static bool h_heaviside(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kiln_expr *x = keep(&t, expr_of(p, f, a, "x1")), *h = x ? keep(&t, expr_of(p, f, a, "x2")) : NULL;
    if (!h) return done(p, &t, out, NULL, off);
    kiln_dtype dt = ir_float_loop_dtype((kiln_expr *[]){x, h}, 2); /* NumPy's loop (int16 with uint16: float32) */
    if (!dtype_is_float((kiln_dtype)x->dtype)) x = keep(&t, kiln_cast(c, x, dt));
    kiln_expr *zero = keep(&t, kiln_int(c, 0)), *r = keep(&t, kiln_where(c, keep(&t, kiln_gt(c, x, zero)), keep(&t, kiln_int(c, 1)), h));
    r = keep(&t, kiln_where(c, keep(&t, kiln_lt(c, x, zero)), zero, r));
    r = keep(&t, kiln_where(c, keep(&t, kiln_isnan(c, x)), x, r));
    return done(p, &t, out, r ? keep(&t, kiln_cast(c, r, dt)) : NULL, off);
}

/* nancumsum, nancumprod (f->op): cumsum and cumprod with NaN taken as 0 (1) */
static bool h_nancum(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kval *v = arg(a, "a");
    kiln_expr *x = fe_arg_expr(p, v, f->name, "a");
    if (!x) return false;
    if (dtype_is_float((kiln_dtype)x->dtype)) {
        kiln_expr *nan = kiln_isnan(p->ctx, x), *fill = kiln_int(p->ctx, f->op == KILN_OP_CUMPROD);
        kiln_expr *clean = nan && fill ? kiln_where(p->ctx, nan, fill, x) : NULL;
        kiln_expr_free(nan), kiln_expr_free(fill), kiln_expr_free(x);
        x = clean;
    }
    kval_free(p->ctx, v);
    if (!fe_set_expr(p, v, x, off)) return false;
    kval pos[2] = {*v, *arg(a, "axis")}, *dt = arg(a, "dtype");
    memset(v, 0, sizeof *v), memset(arg(a, "axis"), 0, sizeof *v);
    fe_kwarg kw[1] = {{.name = "dtype", .off = off, .v = *dt}};
    memset(dt, 0, sizeof *dt);
    int nkw = kw[0].v.kind != KV_ABSENT && kw[0].v.kind != KV_NONE ? 1 : (kval_free(p->ctx, &kw[0].v), 0);
    int npos = pos[1].kind != KV_ABSENT && pos[1].kind != KV_NONE ? 2 : (kval_free(p->ctx, &pos[1]), 1);
    return fe_call(p, f->op == KILN_OP_CUMPROD ? "cumprod" : "cumsum", off, NULL, pos, npos, kw, nkw, out);
}

/* ediff1d(ary, to_end=None, to_begin=None): the differences of ary ravelled, to_begin before and
 * to_end after (ravelled, in ary's dtype) */
/* A dtype's kind in NumPy's same_kind order: bool 0, unsigned 1, signed 2, float 3 (a cast is
 * same_kind where the rank does not fall). */
static int kind_rank(kiln_dtype dt) {
    return dt == KILN_BOOL ? 0 : dtype_is_unsigned(dt) ? 1 : dtype_is_int(dt) ? 2 : 3;
}

static bool h_ediff1d(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kiln_expr *x = keep(&t, kiln_ravel(c, keep(&t, expr_of(p, f, a, "ary")))), *parts[3];
    if (!x) return done(p, &t, out, NULL, off);
    int64_t n = x->shape[0];
    int np_ = 0;
    const char *ends[2] = {"to_begin", "to_end"};
    kiln_expr *d = n ? keep(&t, kiln_sub(c, slice_along(p, &t, x, 0, 1, n, 1), slice_along(p, &t, x, 0, 0, n - 1, 1))) : x;
    for (int k = 0; k < 2; k++) {
        if (k == 1) parts[np_++] = d;
        if (!given_not_none(a, ends[k])) continue;
        kiln_expr *e = keep(&t, kiln_ravel(c, keep(&t, expr_of(p, f, a, ends[k]))));
        if (!e) return done(p, &t, out, NULL, off);
        if (kind_rank((kiln_dtype)e->dtype) > kind_rank((kiln_dtype)x->dtype)) /* (NumPy's can_cast, same_kind: a Python number is its int64 or float64) */
            return tmps_free(&t), fe_err(p, arg(a, ends[k])->off, KILN_ERR_DTYPE, "dtype of `%s` must be compatible with input `ary` under the `same_kind` rule.", ends[k]);
        parts[np_++] = keep(&t, kiln_cast(c, e, (kiln_dtype)x->dtype));
    }
    if (np_ == 1) return done(p, &t, out, d, off);
    return done(p, &t, out, keep(&t, kiln_concatenate(c, np_, parts, 0)), off);
}

/* lexsort(keys, axis=-1): the positions that sort by the last key, then the one before, ...:
 * stable argsorts from the first key to the last, each of the order so far */
static bool h_lexsort(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kval *kv = arg(a, "keys");
    int64_t axis = -1;
    if (given(a, "axis") && !fe_arg_int(p, arg(a, "axis"), f->name, "axis", &axis)) return false;
    kiln_expr *k2 = NULL;
    int nk = kv->kind == KV_TUPLE || kv->kind == KV_LIST ? kv->n : 0;
    if (!nk) { /* an array: its rows are the keys */
        if (!(k2 = keep(&t, fe_arg_expr(p, kv, f->name, "keys")))) return false;
        if (k2->ndim == 0) return tmps_free(&t), fe_err(p, kv->off, KILN_ERR_ARG, "need sequence of keys with len > 0 in lexsort");
        nk = (int)k2->shape[0];
    }
    kiln_expr *order = NULL;
    for (int k = 0; k < nk; k++) {
        kiln_ix ix = {.kind = KILN_IX_INDEX, .index = k};
        kiln_expr *key = k2 ? keep(&t, kiln_index(c, k2, 1, &ix)) : keep(&t, fe_arg_expr(p, &kv->items[k], f->name, "keys"));
        if (!key) return done(p, &t, out, NULL, off);
        if (key->ndim == 0) return tmps_free(&t), fe_err(p, kv->off, KILN_ERR_ARG, "lexsort(): the keys must be arrays of at least one dimension");
        if (axis < -key->ndim || axis >= key->ndim) return tmps_free(&t), fe_err(p, off, KILN_ERR_ARG, "axis %lld is out of bounds for array of dimension %d", (long long)axis, key->ndim);
        int ax = (int)(axis < 0 ? axis + key->ndim : axis);
        if (order && memcmp(order->shape, key->shape, sizeof key->shape[0] * (size_t)key->ndim)) return tmps_free(&t), fe_err(p, kv->off, KILN_ERR_SHAPE, "all keys need to be the same shape");
        kiln_expr *now = order ? keep(&t, kiln_take_along_axis(c, key, order, ax)) : key;
        kiln_expr *by = now ? keep(&t, kiln_argsort(c, now, ax)) : NULL;
        order = !by ? NULL : order ? keep(&t, kiln_take_along_axis(c, order, by, ax)) : by;
        if (!order) return done(p, &t, out, NULL, off);
    }
    if (!order) return tmps_free(&t), fe_err(p, kv->off, KILN_ERR_ARG, "need sequence of keys with len > 0 in lexsort");
    return done(p, &t, out, order, off);
}

/* ------------------------------------------------------------------ the table */

#define UF1(np, E, doc) {np, "x", h_ufunc, KILN_OP_##E, doc, false}
#define UF2(np, E, doc) {np, "x1, x2", h_ufunc, KILN_OP_##E, doc, false}
#define RED(np, E, sig, doc) {np, sig, h_reduce, E, doc, false}
/* The parameters that take a sequence of numbers (a shape, quantile's q, repeat's counts...): a
 * 1-D array there is read now as the list of its values, as NumPy takes any array-like. */
static bool arrays_as_lists(parser *p, fe_args *a) {
    static const char *const seqs[] = {"shape", "q", "repeats", "reps", "shift", "indices_or_sections", "newshape", "pad_width",
                                       "constant_values", "stat_length", "axes", "axis", "source", "destination", "size", "new_shape",
                                       "dims", NULL}; /* (axes too: transpose(x, argsort(order)), roll's, flip's, moveaxis') */
    for (int i = 0; i < a->n; i++) {
        kval *v = &a->v[i];
        if (v->kind == KV_TUPLE && v->n == 1) v = &v->items[0]; /* x.reshape(*shape) given one array */
        bool named = false;
        for (int k = 0; seqs[k] && !named; k++) named = !strcmp(a->names[i], seqs[k]);
        if (!named || v->kind != KV_ARRAY || v->e->ndim != 1) continue;
        kval list;
        if (!values_as_list(p, v->e, v->off, &list)) return false;
        kval_free(p->ctx, v);
        *v = list;
    }
    return true;
}

/* ------------------------------------------------------------------ compositions of NumPy's */

static kiln_expr *op2(tmps *t, kiln_ctx *c, kiln_op op, kiln_expr *x, kiln_expr *y) {
    return x && y ? keep(t, kiln_apply(c, op, (kiln_expr *[]){x, y, NULL})) : NULL;
}

/* ptp(a, axis=None, keepdims=False): max - min */
static bool h_ptp(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_expr *x = keep(&t, expr_of(p, f, a, "a"));
    unsigned mask;
    bool all, kd;
    if (x) legacy_axis_0d(p, a, x, false);
    if (!x || !fe_arg_axes(p, arg(a, "axis"), x->ndim, f->name, &mask, &all) || !keepdims_of(p, f, a, &kd)) return done(p, &t, out, NULL, off);
    kiln_expr *hi = keep(&t, kiln_reduce_axes(p->ctx, KILN_OP_MAX, x, mask, kd)), *lo = keep(&t, kiln_reduce_axes(p->ctx, KILN_OP_MIN, x, mask, kd));
    return done(p, &t, out, op2(&t, p->ctx, KILN_OP_SUB, hi, lo), off);
}

/* append(arr, values, axis=None): both ravelled and joined, or joined along axis */
static bool h_append(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_expr *x = keep(&t, expr_of(p, f, a, "arr")), *v = x ? keep(&t, expr_of(p, f, a, "values")) : NULL;
    int64_t axis = 0;
    if (!v || (given_not_none(a, "axis") && !fe_arg_int(p, arg(a, "axis"), f->name, "axis", &axis))) return done(p, &t, out, NULL, off);
    if (!given_not_none(a, "axis")) x = keep(&t, kiln_ravel(p->ctx, x)), v = keep(&t, kiln_ravel(p->ctx, v));
    return done(p, &t, out, x && v ? keep(&t, kiln_concatenate(p->ctx, 2, (kiln_expr *[]){x, v}, (int)axis)) : NULL, off);
}

/* insert's and delete's operand and axis: arr, ravelled when axis is None (*axis 0) */
static kiln_expr *edit_operand(parser *p, tmps *t, const fe_fn *f, fe_args *a, int *axis) {
    kiln_expr *x = keep(t, expr_of(p, f, a, "arr"));
    *axis = 0;
    if (x && !given_not_none(a, "axis")) return keep(t, kiln_ravel(p->ctx, x));
    if (x && x->ndim == 0) {
        fe_err(p, arg(a, "arr")->off, KILN_ERR_ARG, "%s(): axis %s is out of bounds for array of dimension 0", f->name, "given");
        return NULL;
    }
    return x && axis_in(p, arg(a, "axis"), f->name, "axis", x->ndim, axis) ? x : NULL;
}

/* An index argument's values now, as int64 (a 1-D bool mask: its True positions'; delete's,
 * mask_ok: of length n, its indices flattened); *scalar when one number.  A new array, or NULL
 * after an error. */
static int64_t *edit_indices(parser *p, tmps *t, const fe_fn *f, const kval *v, int64_t n, bool mask_ok, int64_t *count, bool *scalar) {
    kiln_expr *e = keep(t, fe_arg_expr(p, v, f->name, "obj"));
    if (!e) return NULL;
    bool empty = v->kind == KV_LIST && v->n == 0;
    if (e->ndim > 1 && mask_ok && e->dtype != KILN_BOOL) e = keep(t, kiln_ravel(p->ctx, e)); /* (delete's indices: flattened) */
    if (!e) return NULL;
    if (!dtype_is_int((kiln_dtype)e->dtype) && e->dtype != KILN_BOOL && !empty) {
        fe_err(p, v->off, KILN_ERR_INDEX, "arrays used as indices must be of integer (or boolean) type");
        return NULL;
    }
    if (e->ndim > 1) {
        fe_err(p, v->off, KILN_ERR_INDEX, "index array argument obj to %s must be one dimensional or scalar", f->name);
        return NULL;
    }
    if (e->dtype == KILN_BOOL && e->shape[0] != n && mask_ok) {
        fe_err(p, v->off, KILN_ERR_INDEX, "boolean array argument obj to %s must be one dimensional and match the axis length of %lld", f->name, (long long)n);
        return NULL;
    }
    kiln_expr *i64 = keep(t, kiln_cast(p->ctx, e, KILN_I64));
    kiln_array *r = i64 ? value_now(p, i64, v->off) : NULL;
    if (!r) return NULL;
    int64_t len = e->ndim ? e->shape[0] : 1, *out = kiln_malloc(p->ctx, (size_t)(len ? len : 1) * sizeof *out), k = 0;
    const int64_t *d = (const int64_t *)kiln_array_data(r);
    for (int64_t i = 0; out && i < len; i++)
        if (e->dtype != KILN_BOOL) out[k++] = d[i];
        else if (d[i]) out[k++] = i;
    kiln_array_free(r);
    if (!out) fe_got(p, NULL, v->off);
    *count = k;
    *scalar = e->ndim == 0;
    return out;
}

/* x gathered along axis at the len positions of pick (an int64 array made here) */
static kiln_expr *pick_along(parser *p, tmps *t, kiln_expr *x, int axis, int64_t *pick, int64_t len) {
    kiln_array *ix = kiln_array_new(p->ctx, KILN_I64, 1, &len);
    if (ix) memcpy(kiln_array_data(ix), pick, (size_t)len * sizeof *pick);
    kiln_expr *e = ix ? keep(t, kiln_var(p->ctx, ix)) : NULL;
    kiln_array_free(ix);
    return e ? keep(t, kiln_take(p->ctx, x, e, axis)) : NULL;
}

/* delete(arr, obj, axis=None): arr without the entries obj names along axis (indices, negative
 * from the end, repeats allowed; or a bool mask), a new array; computed now for the indices. */
static bool h_delete(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    int axis;
    kiln_expr *x = edit_operand(p, &t, f, a, &axis);
    int64_t n = x ? x->shape[axis] : 0, count = 0;
    bool scalar;
    int64_t *obj = x ? edit_indices(p, &t, f, arg(a, "obj"), n, true, &count, &scalar) : NULL;
    uint8_t *gone = obj ? kiln_calloc(p->ctx, (size_t)(n ? n : 1)) : NULL;
    int64_t *keep_ = gone ? kiln_malloc(p->ctx, (size_t)(n ? n : 1) * sizeof *keep_) : NULL, kept = 0;
    bool ok = keep_ != NULL || (obj && fe_got(p, NULL, off));
    for (int64_t k = 0; ok && k < count; k++) {
        int64_t i = obj[k] < 0 ? obj[k] + n : obj[k];
        if (i < 0 || i >= n) ok = fe_err(p, arg(a, "obj")->off, KILN_ERR_INDEX, "index %lld is out of bounds for axis %d with size %lld", (long long)obj[k], axis, (long long)n);
        else gone[i] = 1;
    }
    for (int64_t i = 0; ok && i < n; i++)
        if (!gone[i]) keep_[kept++] = i;
    kiln_expr *r = ok ? pick_along(p, &t, x, axis, keep_, kept) : NULL;
    kiln_free(p->ctx, obj), kiln_free(p->ctx, gone), kiln_free(p->ctx, keep_);
    if (!r) tmps_free(&t);
    return r ? done(p, &t, out, r, off) : !p->failed && fe_got(p, NULL, off);
}

/* qsort's order of (index, position) pairs */
static int pair_order(const void *a, const void *b) {
    const int64_t *x = a, *y = b;
    return x[0] != y[0] ? (x[0] < y[0] ? -1 : 1) : (x[1] > y[1]) - (x[1] < y[1]);
}

/* insert(arr, obj, values, axis=None): values put before the entries obj names along axis, as
 * NumPy's: one index takes values as whole slices along axis (values' first axis moved there,
 * at least arr's dims), indices take one slice each (in their order, values broadcast to them);
 * values cast to arr's dtype.  One gather from arr and values joined. */
static bool h_insert(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    int axis;
    kiln_expr *x = edit_operand(p, &t, f, a, &axis);
    if (x && !py_ints_fit(p, arg(a, "values"), (kiln_dtype)x->dtype)) return tmps_free(&t), false; /* (insert(int32s, 0, 2**40): NumPy's OverflowError) */
    kiln_expr *v = x ? keep(&t, expr_of(p, f, a, "values")) : NULL;
    int64_t n = x ? x->shape[axis] : 0, count = 0;
    bool scalar = false;
    int64_t *obj = v ? edit_indices(p, &t, f, arg(a, "obj"), n, false, &count, &scalar) : NULL;
    bool ok = obj != NULL;
    for (int64_t k = 0; ok && k < count; k++) {
        if (obj[k] < -n || obj[k] > n)
            ok = fe_err(p, arg(a, "obj")->off, KILN_ERR_INDEX, "index %lld is out of bounds for axis %d with size %lld", (long long)obj[k], axis, (long long)n);
        else if (obj[k] < 0) obj[k] += n;
    }
    if (ok && v->ndim > x->ndim) ok = fe_err(p, arg(a, "values")->off, KILN_ERR_SHAPE, "insert(): values have more dimensions than arr");
    /* values at least arr's dims; one index: their first axis moved to axis */
    int64_t vs[KILN_MAX_DIMS], shape[KILN_MAX_DIMS], numnew = count;
    if (ok) {
        int pad = x->ndim - v->ndim;
        for (int d = 0; d < x->ndim; d++) vs[d] = d < pad ? 1 : v->shape[d - pad];
        v = keep(&t, kiln_reshape(p->ctx, v, x->ndim, vs));
        if (v && scalar && axis) { /* (np.moveaxis(values, 0, axis)) */
            int perm[KILN_MAX_DIMS];
            for (int d = 0; d < x->ndim; d++) perm[d] = d < axis ? d + 1 : d == axis ? 0 : d;
            v = keep(&t, kiln_permute(p->ctx, v, perm));
        }
        if (v && (scalar || count == 1)) numnew = v->shape[axis];
        ok = v != NULL || fe_got(p, NULL, off);
    }
    kiln_expr *r = NULL;
    if (ok) {
        memcpy(shape, x->shape, sizeof shape);
        shape[axis] = numnew;
        kiln_expr *vb = keep(&t, ir_broadcast_to(&p->ctx->graph, v, x->ndim, shape));
        vb = vb ? keep(&t, kiln_cast(p->ctx, vb, (kiln_dtype)x->dtype)) : NULL;
        kiln_expr *both = vb ? keep(&t, kiln_concatenate(p->ctx, 2, (kiln_expr *[]){x, vb}, axis)) : NULL;
        /* where each new slice goes: one index, numnew in a row; several, each after those before it */
        int64_t total = n + numnew, *pick = both ? kiln_malloc(p->ctx, (size_t)(total ? total : 1) * sizeof *pick) : NULL;
        uint8_t *fresh = pick ? kiln_calloc(p->ctx, (size_t)(total ? total : 1)) : NULL;
        if (fresh) {
            if (count == 1) {
                for (int64_t j = 0; j < numnew; j++) pick[obj[0] + j] = n + j, fresh[obj[0] + j] = 1;
            } else { /* a stable sort of the indices (index, then position): the j-th smallest moves up by j */
                int64_t (*order)[2] = kiln_malloc(p->ctx, (size_t)(count ? count : 1) * sizeof *order);
                for (int64_t k = 0; order && k < count; k++) order[k][0] = obj[k], order[k][1] = k;
                if (order) qsort(order, (size_t)count, sizeof *order, pair_order);
                for (int64_t j = 0; order && j < count; j++) pick[order[j][0] + j] = n + order[j][1], fresh[order[j][0] + j] = 1;
                if (!order) kiln_free(p->ctx, fresh), fresh = NULL;
                kiln_free(p->ctx, order);
            }
        }
        for (int64_t i = 0, k = 0; fresh && i < total; i++)
            if (!fresh[i]) pick[i] = k++;
        r = fresh ? pick_along(p, &t, both, axis, pick, total) : NULL;
        kiln_free(p->ctx, pick), kiln_free(p->ctx, fresh);
    }
    kiln_free(p->ctx, obj);
    if (!r) tmps_free(&t);
    return r ? done(p, &t, out, r, off) : !p->failed && fe_got(p, NULL, off);
}

/* a * f[lo0:] + b * f[lo1:] + c * f[lo2:] along axis, each slice len long (gradient's three-point
 * formulas; a, b, c numbers or arrays shaped along axis) */
static kiln_expr *three_point(parser *p, tmps *t, kiln_expr *x, int axis, int64_t len, const int64_t lo[3], kiln_expr *const k[3]) {
    kiln_expr *sum = NULL;
    for (int i = 0; i < 3; i++) {
        kiln_expr *term = k[i] ? keep(t, kiln_mul(p->ctx, k[i], slice_along(p, t, x, axis, lo[i], lo[i] + len, 1))) : NULL;
        sum = i == 0 ? term : sum && term ? keep(t, kiln_add(p->ctx, sum, term)) : NULL;
    }
    return sum;
}

/* gradient(f, *varargs, axis=None, edge_order=1): NumPy's, formula for formula: central
 * differences inside, one-sided ones (edge_order 1 or 2) at the ends, along each axis asked (one:
 * an array; several: a tuple); the spacing one number (for every axis, or one per axis) or an
 * axis's coordinates (a 1-D array of its length; evenly spaced ones, found now, as one number).
 * Integers become float64. */
static bool h_gradient(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kiln_expr *x = keep(&t, expr_of(p, f, a, "f"));
    if (!x) return done(p, &t, out, NULL, off);
    if (x->dtype == KILN_BOOL) return tmps_free(&t), fe_err(p, arg(a, "f")->off, KILN_ERR_DTYPE, "numpy boolean subtract, the `-` operator, is not supported");
    if (!dtype_is_float((kiln_dtype)x->dtype)) x = keep(&t, kiln_cast(c, x, KILN_F64));
    int axes[KILN_MAX_DIMS], na = 0;
    kval *av = arg(a, "axis"), *vv = arg(a, "varargs");
    if (!given_not_none(a, "axis")) {
        for (int d = 0; d < x->ndim; d++) axes[na++] = d;
    } else {
        int n = av->kind == KV_TUPLE || av->kind == KV_LIST ? av->n : 1;
        for (int k = 0; k < n; k++) {
            if (k == KILN_MAX_DIMS || !axis_in(p, av->kind == KV_TUPLE || av->kind == KV_LIST ? &av->items[k] : av, f->name, "axis", x->ndim, &axes[na]))
                return tmps_free(&t), k == KILN_MAX_DIMS ? fe_err(p, av->off, KILN_ERR_ARG, "gradient(): repeated axis") : false;
            for (int j = 0; j < na; j++)
                if (axes[j] == axes[na]) return tmps_free(&t), fe_err(p, av->off, KILN_ERR_ARG, "repeated axis");
            na++;
        }
    }
    int64_t order = 1;
    double eo = 1;
    if (given(a, "edge_order") && !fe_arg_number(p, arg(a, "edge_order"), f->name, "edge_order", &eo, &order, NULL)) return tmps_free(&t), false;
    if (eo > 2) return tmps_free(&t), fe_err(p, arg(a, "edge_order")->off, KILN_ERR_ARG, "'edge_order' greater than 2 not supported");
    order = eo == 1 ? 1 : 2; /* (NumPy's test: 1.0 and True are 1; anything else not over 2 is second order) */
    int nv = vv->kind == KV_TUPLE ? vv->n : 0;
    bool one = nv == 1 && vv->items[0].kind == KV_ARRAY && vv->items[0].e->ndim == 0;
    if (nv && !one && nv != na) return tmps_free(&t), fe_err(p, vv->off, KILN_ERR_ARG, "gradient(): invalid number of arguments");
    if (na == 0) { /* a 0-d f: no axes, an empty tuple */
        tmps_free(&t);
        *out = (kval){.kind = KV_TUPLE, .off = off};
        return true;
    }
    kval *items = na > 1 ? kiln_calloc(c, (size_t)na * sizeof *items) : NULL;
    if (na > 1 && !items) return done(p, &t, out, NULL, off);
    kiln_expr *r = NULL;
    bool ok = true;
    for (int k = 0; k < na && ok; k++) {
        int ax = axes[k];
        int64_t n = x->shape[ax];
        /* the spacing: dx a number, or diffs the coordinates' differences (n - 1 of them) */
        kiln_expr *dx = NULL, *diffs = NULL;
        const kval *sv = nv == 0 ? NULL : &vv->items[one ? 0 : k];
        if (!sv) dx = keep(&t, kiln_scalar(c, 1.0));
        else if (!(dx = keep(&t, fe_arg_expr(p, sv, f->name, "varargs")))) ok = false;
        if (ok && dx->ndim == 1) { /* coordinates */
            if (dx->shape[0] != n) {
                ok = fe_err(p, sv->off, KILN_ERR_SHAPE, "when 1d, distances must match the length of the corresponding dimension");
                break;
            }
            if (!dtype_is_float((kiln_dtype)dx->dtype)) dx = keep(&t, kiln_cast(c, dx, KILN_F64));
            diffs = dx ? keep(&t, kiln_sub(c, slice_along(p, &t, dx, 0, 1, n, 1), slice_along(p, &t, dx, 0, 0, n - 1, 1))) : NULL;
            kiln_array *dv = diffs && n > 1 ? value_now(p, diffs, sv->off) : NULL; /* evenly spaced: diffs[0], one number */
            bool even = dv != NULL;
            for (int64_t i = 1; dv && i < n - 1 && even; i++) {
                kscalar u = ref_load((const char *)kiln_array_data(dv), (kiln_dtype)dv->dtype), w = ref_load((const char *)kiln_array_data(dv) + i * dv->strides[0], (kiln_dtype)dv->dtype);
                even = dv->dtype == KILN_F32 ? u.f32 == w.f32 : u.f64 == w.f64;
            }
            kiln_array_free(dv);
            kiln_ix first = {.kind = KILN_IX_INDEX, .index = 0};
            if (even) dx = keep(&t, kiln_index(c, diffs, 1, &first)), diffs = NULL;
            ok = diffs || dx || fe_got(p, NULL, sv->off);
        } else if (ok && dx->ndim > 1) {
            ok = fe_err(p, sv->off, KILN_ERR_SHAPE, "distances must be either scalars or 1d");
        }
        if (ok && n < order + 1) ok = fe_err(p, off, KILN_ERR_SHAPE, "Shape of array too small to calculate a numerical gradient, at least (edge_order + 1) elements are required.");
        if (!ok) break;
        kiln_expr *mid, *lo, *hi, *two = keep(&t, kiln_scalar(c, 2.0));
        if (!diffs) {
            mid = keep(&t, kiln_div(c, keep(&t, kiln_sub(c, slice_along(p, &t, x, ax, 2, n, 1), slice_along(p, &t, x, ax, 0, n - 2, 1))), keep(&t, kiln_mul(c, two, dx))));
        } else { /* a, b, c along the axis */
            int64_t sh[KILN_MAX_DIMS];
            for (int d = 0; d < x->ndim; d++) sh[d] = d == ax ? n - 2 : 1;
            kiln_expr *d1 = slice_along(p, &t, diffs, 0, 0, n - 2, 1), *d2 = slice_along(p, &t, diffs, 0, 1, n - 1, 1);
            kiln_expr *s12 = keep(&t, kiln_add(c, d1, d2));
            kiln_expr *kk[3] = {keep(&t, kiln_div(c, keep(&t, kiln_neg(c, d2)), keep(&t, kiln_mul(c, d1, s12)))),
                                keep(&t, kiln_div(c, keep(&t, kiln_sub(c, d2, d1)), keep(&t, kiln_mul(c, d1, d2)))),
                                keep(&t, kiln_div(c, d1, keep(&t, kiln_mul(c, d2, s12))))};
            for (int i = 0; i < 3; i++) kk[i] = kk[i] ? keep(&t, kiln_reshape(c, kk[i], x->ndim, sh)) : NULL;
            mid = three_point(p, &t, x, ax, n - 2, (int64_t[]){0, 1, 2}, kk);
        }
        /* the ends: the spacing's first and last (and second and second-to-last) */
        kiln_ix ix[4] = {{.kind = KILN_IX_INDEX, .index = 0}, {.kind = KILN_IX_INDEX, .index = 1}, {.kind = KILN_IX_INDEX, .index = -2}, {.kind = KILN_IX_INDEX, .index = -1}};
        kiln_expr *e[4];
        for (int i = 0; i < 4; i++) e[i] = diffs ? keep(&t, kiln_index(c, diffs, 1, &ix[i])) : dx;
        if (order == 1) {
            lo = keep(&t, kiln_div(c, keep(&t, kiln_sub(c, slice_along(p, &t, x, ax, 1, 2, 1), slice_along(p, &t, x, ax, 0, 1, 1))), e[0]));
            hi = keep(&t, kiln_div(c, keep(&t, kiln_sub(c, slice_along(p, &t, x, ax, n - 1, n, 1), slice_along(p, &t, x, ax, n - 2, n - 1, 1))), e[3]));
        } else if (!diffs) {
            kiln_expr *kl[3] = {keep(&t, kiln_div(c, keep(&t, kiln_scalar(c, -1.5)), dx)), keep(&t, kiln_div(c, two, dx)), keep(&t, kiln_div(c, keep(&t, kiln_scalar(c, -0.5)), dx))};
            kiln_expr *kh[3] = {keep(&t, kiln_div(c, keep(&t, kiln_scalar(c, 0.5)), dx)), keep(&t, kiln_div(c, keep(&t, kiln_scalar(c, -2.0)), dx)), keep(&t, kiln_div(c, keep(&t, kiln_scalar(c, 1.5)), dx))};
            lo = three_point(p, &t, x, ax, 1, (int64_t[]){0, 1, 2}, kl);
            hi = three_point(p, &t, x, ax, 1, (int64_t[]){n - 3, n - 2, n - 1}, kh);
        } else {
            kiln_expr *d1 = e[0], *d2 = e[1], *s12 = keep(&t, kiln_add(c, d1, d2)); /* -(2 dx1 + dx2) / (dx1 (dx1 + dx2)) ... */
            kiln_expr *kl[3] = {keep(&t, kiln_div(c, keep(&t, kiln_neg(c, keep(&t, kiln_add(c, keep(&t, kiln_mul(c, two, d1)), d2)))), keep(&t, kiln_mul(c, d1, s12)))),
                                keep(&t, kiln_div(c, s12, keep(&t, kiln_mul(c, d1, d2)))),
                                keep(&t, kiln_div(c, keep(&t, kiln_neg(c, d1)), keep(&t, kiln_mul(c, d2, s12))))};
            d1 = e[2], d2 = e[3];
            kiln_expr *t12 = keep(&t, kiln_add(c, d1, d2)), *t21 = keep(&t, kiln_add(c, d2, d1));
            kiln_expr *kh[3] = {keep(&t, kiln_div(c, d2, keep(&t, kiln_mul(c, d1, t12)))),
                                keep(&t, kiln_div(c, keep(&t, kiln_neg(c, t21)), keep(&t, kiln_mul(c, d1, d2)))),
                                keep(&t, kiln_div(c, keep(&t, kiln_add(c, keep(&t, kiln_mul(c, two, d2)), d1)), keep(&t, kiln_mul(c, d2, t12))))};
            lo = three_point(p, &t, x, ax, 1, (int64_t[]){0, 1, 2}, kl);
            hi = three_point(p, &t, x, ax, 1, (int64_t[]){n - 3, n - 2, n - 1}, kh);
        }
        r = mid && lo && hi ? keep(&t, kiln_concatenate(c, 3, (kiln_expr *[]){lo, mid, hi}, ax)) : NULL;
        r = r ? keep(&t, kiln_cast(c, r, (kiln_dtype)x->dtype)) : NULL;
        ok = r && (!items || fe_set_expr(p, &items[k], kiln_expr_retain(r), off));
        if (!r) fe_got(p, NULL, off);
    }
    if (!ok || !items) {
        if (items) {
            for (int k = 0; k < na; k++) kval_free(c, &items[k]);
            kiln_free(c, items);
        }
        if (!ok) tmps_free(&t);
        return ok ? done(p, &t, out, r, off) : false;
    }
    tmps_free(&t);
    *out = (kval){.kind = KV_TUPLE, .off = off, .n = na, .items = items};
    return true;
}

/* atleast_1d(a), atleast_2d(a), atleast_3d(a) (f->op dims): views with axes of length 1 added as
 * NumPy's (a 1-D array is a row; in 3-D, (1, n, 1); a 2-D one (m, n, 1)) */
static kiln_expr *at_least(kiln_ctx *c, kiln_expr *x, int want) {
    int64_t s[3] = {1, 1, 1};
    if (x->ndim >= want) return kiln_expr_retain(x);
    if (x->ndim == 1) s[want == 3 ? 1 : want - 1] = x->shape[0];
    if (x->ndim == 2) s[0] = x->shape[0], s[1] = x->shape[1];
    return kiln_reshape(c, x, want, s);
}
static bool h_atleast(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kval *xs = arg(a, "arys"); /* (a tuple of the arguments) */
    int n = xs->kind == KV_TUPLE ? xs->n : 0;
    kval *items = n ? kiln_calloc(p->ctx, (size_t)n * sizeof *items) : NULL;
    if (n && !fe_got(p, items, off)) return false;
    bool ok = true;
    for (int i = 0; ok && i < n; i++) { /* each a view of its argument where that is one */
        kiln_expr *x = fe_arg_expr(p, &xs->items[i], f->name, "arys");
        ok = x && fe_set_expr(p, &items[i], at_least(p->ctx, x, (int)f->op), xs->items[i].off);
        kiln_expr_free(x);
        if (ok) items[i].alias = xs->items[i].alias, fe_view_readonly(&items[i], &xs->items[i]);
    }
    if (!ok) {
        for (int i = 0; i < n; i++) kval_free(p->ctx, &items[i]);
        kiln_free(p->ctx, items);
        return false;
    }
    if (n == 1) { /* one array: itself, as NumPy's; several: a tuple of them */
        *out = items[0];
        kiln_free(p->ctx, items);
        return true;
    }
    seq_result(out, KV_TUPLE, items, n, off);
    return true;
}

/* column_stack(tup): 1-D arrays (and 0-d) as columns, joined along axis 1 */
static bool h_column_stack(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    int n = 0;
    kiln_expr **xs = seq_of(p, f, arg(a, "tup"), &n);
    if (!xs) return false;
    for (int i = 0; i < n; i++) {
        if (xs[i]->ndim >= 2) continue;
        kiln_expr *col = kiln_reshape(p->ctx, xs[i], 2, (int64_t[]){xs[i]->ndim ? xs[i]->shape[0] : 1, 1});
        kiln_expr_free(xs[i]);
        if (!(xs[i] = col)) return joined(p, out, NULL, off, n, xs);
    }
    return joined(p, out, kiln_concatenate(p->ctx, n, xs, 1), off, n, xs);
}

/* inner(a, b): the sum over the last axes of both; its dims are a's others, then b's */
/* One number of pad's pad_width (kind 1: an integer, not negative), stat_length (kind 2:
 * rounded to an integer, not negative) or constant_values (kind 0) */
static bool pad_number(parser *p, const kval *v, const char *param, int kind, double *out) {
    int64_t iv;
    kiln_dtype dt;
    if (!fe_arg_number(p, v, "pad", param, out, &iv, &dt)) return false;
    if (kind == 1 && !dtype_is_int(dt) && dt != KILN_BOOL) return fe_err(p, v->off, KILN_ERR_DTYPE, "`pad_width` must be of integral type.");
    if (kind == 2) *out = nearbyint(*out);
    if (kind && *out < 0) return fe_err(p, v->off, KILN_ERR_ARG, "index can't contain negative values");
    return true;
}

/* pad's pad_width, stat_length or constant_values (kind as pad_number's): a number, (before,
 * after), ((before, after),) or one pair per axis (one number per axis: both sides), as
 * NumPy's broadcast_to(v, (nd, 2)); every number is checked, for a 0-d array too */
static bool pad_pairs(parser *p, const kval *v, const char *param, int kind, int nd, double out[][2]) {
    const kval *rows = v->kind == KV_LIST || v->kind == KV_TUPLE ? v : NULL;
    int nr = rows ? rows->n : 0;
    if (rows && nr == 0) return fe_err(p, v->off, KILN_ERR_SHAPE, "pad(): %s: an empty sequence", param);
    bool nested = nr > 0 && (rows->items[0].kind == KV_LIST || rows->items[0].kind == KV_TUPLE);
    if (!rows || (!nested && nr <= 2)) { /* a number, (n,) or (before, after): every axis alike */
        double pair[2];
        for (int k = 0; k < 2; k++)
            if (!pad_number(p, rows ? &rows->items[nr == 2 ? k : 0] : v, param, kind, &pair[k])) return false;
        for (int d = 0; d < nd; d++) out[d][0] = pair[0], out[d][1] = pair[1];
        return true;
    }
    if (!nested || (nr != 1 && nr != nd))
        return fe_err(p, v->off, KILN_ERR_SHAPE, "pad(): %s: could not broadcast from shape (%d,) to (%d, 2)", param, nr, nd);
    for (int d = 0; d < nr; d++) {
        const kval *r = &rows->items[d];
        if ((r->kind != KV_LIST && r->kind != KV_TUPLE) || r->n < 1 || r->n > 2)
            return fe_err(p, r->off, KILN_ERR_SHAPE, "pad(): %s: each axis takes (before, after) or one number", param);
        for (int k = 0; k < 2; k++) {
            double x;
            if (!pad_number(p, &r->items[r->n == 2 ? k : 0], param, kind, &x)) return false;
            for (int e = nr == 1 ? 0 : d; e < (nr == 1 ? nd : d + 1); e++) out[e][k] = x;
        }
    }
    return true;
}

/* x padded with its edge values along dims d and after (widths w): its middle (padded along the
 * dims after d), and before and after it the end slices, padded the same way, stretched to the
 * widths.  The middles of each level join the next level's concatenation, so that one step
 * writes the result once (where a gather per axis read and wrote all of it per axis); the end
 * slices, padded, are small arrays of their own first. */
static kiln_expr *edge_blocks(parser *p, tmps *t, kiln_expr *x, int d, double (*w)[2], const char *fn, size_t off) {
    while (x && d < x->ndim && !w[d][0] && !w[d][1]) d++;
    if (!x || d == x->ndim) return x;
    kiln_expr *parts[3];
    int np_ = 0, nd = x->ndim;
    int64_t n = x->shape[d];
    for (int k = 0; k < 3; k++) {
        int64_t len = (int64_t)w[d][k / 2];
        if (k == 1) {
            if (!(parts[np_++] = edge_blocks(p, t, x, d + 1, w, fn, off))) return NULL;
            continue;
        }
        if (!len) continue;
        kiln_expr *end = edge_blocks(p, t, slice_along(p, t, x, d, k ? n - 1 : 0, k ? n : 1, 1), d + 1, w, fn, off);
        if (!end) return NULL;
        int64_t shape[KILN_MAX_DIMS];
        memcpy(shape, end->shape, (size_t)nd * sizeof *shape);
        shape[d] = len;
        if (!(parts[np_++] = fe_broadcast_to(p, t, end, nd, shape, fn, off))) return NULL;
    }
    return keep(t, kiln_concatenate(p->ctx, np_, parts, d));
}

/* pad(array, pad_width, mode='constant', constant_values=0, stat_length=None): each axis in
 * turn (so the last axis's values fill the corners, as NumPy's); 'constant' joins blocks of the
 * value, 'maximum' 'minimum' 'mean' 'median' blocks of that statistic of the stat_length values
 * at the line's end (rounded for integers); 'edge' joins blocks of its end slices (up to 4 dims,
 * edge_blocks); 'reflect', 'symmetric' and 'wrap' (and 'edge' of more dims) are a gather at
 * positions computed here (any width: the reflections repeat, as NumPy's do) */
static bool h_pad(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kiln_expr *x = keep(&t, expr_of(p, f, a, "array"));
    if (!x) return false;
    int nd = x->ndim;
    double w[KILN_MAX_DIMS][2], cv[KILN_MAX_DIMS][2] = {{0}};
    static const char *const modes[] = {"constant", "edge", "reflect", "symmetric", "wrap", "maximum", "minimum", "mean", "median", NULL};
    enum { P_CONSTANT, P_EDGE, P_REFLECT, P_SYMMETRIC, P_WRAP, P_MAX, P_MIN, P_MEAN, P_MEDIAN };
    int mode = 0;
    kval *mv = arg(a, "mode");
    if (given(a, "mode")) {
        for (mode = 0; modes[mode] && !(mv->kind == KV_STR && !strcmp(mv->s, modes[mode])); mode++) {}
        if (!modes[mode]) {
            tmps_free(&t);
            return fe_err(p, mv->off, KILN_ERR_ARG, "pad(): mode must be 'constant', 'edge', 'reflect', 'symmetric', 'wrap', 'maximum', 'minimum', 'mean' or 'median'");
        }
    }
    double sl[KILN_MAX_DIMS][2];
    bool stat = mode >= P_MAX, has_sl = given_not_none(a, "stat_length");
    if (!pad_pairs(p, arg(a, "pad_width"), "pad_width", 1, nd, w) ||
        (given_not_none(a, "constant_values") && !pad_pairs(p, arg(a, "constant_values"), "constant_values", 0, nd, cv)) ||
        (has_sl && !pad_pairs(p, arg(a, "stat_length"), "stat_length", 2, nd, sl)))
        return done(p, &t, out, NULL, off);
    /* the constants must fit a signed dtype (NumPy casts them into an unsigned one as astype does) */
    for (int d = 0; d < nd && dtype_is_int((kiln_dtype)x->dtype) && !dtype_is_unsigned((kiln_dtype)x->dtype) && mode == P_CONSTANT; d++)
        for (int k = 0; k < 2; k++) {
            double v = cv[d][k];
            if (!fe_float_fits(v, (kiln_dtype)x->dtype)) {
                tmps_free(&t);
                return fe_err(p, arg(a, "constant_values")->off, KILN_ERR_DTYPE, isnan(v) ? "cannot convert float NaN to integer" : "pad(): constant_values %g out of bounds for %s", v, kiln_dtype_name((kiln_dtype)x->dtype));
            }
        }
    const char *stray = mode != P_CONSTANT && given(a, "constant_values") ? "constant_values" : !stat && given(a, "stat_length") ? "stat_length" : NULL;
    if (stray) {
        tmps_free(&t);
        return fe_err(p, arg(a, stray)->off, KILN_ERR_ARG, "pad(): unsupported keyword arguments for mode '%s': %s", modes[mode], stray);
    }
    for (int d = 0; d < nd; d++)
        for (int k = 0; k < 2; k++)
            if (w[d][k] > (double)INT32_MAX) {
                tmps_free(&t);
                return fe_err(p, arg(a, "pad_width")->off, KILN_ERR_ARG, "pad(): a pad_width of %g is too large", w[d][k]);
            }
    bool zeros = mode == P_CONSTANT && nd > 0; /* zeros around x: x written into an array of them, in one pass */
    for (int d = 0; d < nd; d++)
        for (int k = 0; k < 2; k++) zeros = zeros && cv[d][k] == 0 && !signbit(cv[d][k]);
    if (zeros) {
        ir_viewmap m = {.ndim = nd};
        int64_t shape[KILN_MAX_DIMS];
        for (int d = 0; d < nd; d++) {
            m.shape[d] = x->shape[d], m.src[d] = (int8_t)d, m.start[d] = (int64_t)w[d][0], m.step[d] = 1, m.fix[d] = -1;
            shape[d] = x->shape[d] + (int64_t)w[d][0] + (int64_t)w[d][1];
        }
        x = keep(&t, ir_embed(&c->graph, x, &m, nd, shape));
        return done(p, &t, out, x, off);
    }
    bool blocks = mode == P_EDGE && nd <= 4; /* (3^nd blocks at most) */
    for (int d = 0; d < nd && blocks; d++) blocks = x->shape[d] > 0 || (!w[d][0] && !w[d][1]);
    if (blocks) return done(p, &t, out, edge_blocks(p, &t, x, 0, w, f->name, off), off);
    for (int d = 0; d < nd && x; d++) {
        int64_t b = (int64_t)w[d][0], e = (int64_t)w[d][1], n = x->shape[d];
        if (!b && !e) continue;
        if (n == 0 && mode != P_CONSTANT) {
            tmps_free(&t);
            return fe_err(p, off, KILN_ERR_ARG, "can't extend empty axis %d using modes other than 'constant' or 'empty'", d);
        }
        if (mode == P_CONSTANT || stat) { /* blocks of one value per line: the constant, or a statistic of the line's end */
            kiln_expr *parts[3];
            int np_ = 0;
            for (int k = 0; k < 3; k++) {
                if (k == 1) {
                    parts[np_++] = x;
                    continue;
                }
                int64_t len = k ? e : b, shape[KILN_MAX_DIMS];
                if (!len) continue;
                memcpy(shape, x->shape, (size_t)nd * sizeof *shape);
                shape[d] = len;
                kiln_expr *v;
                if (stat) {
                    int64_t sn = has_sl ? (int64_t)sl[d][k ? 1 : 0] : n;
                    if (sn > n) sn = n;
                    if (sn == 0) {
                        tmps_free(&t);
                        return fe_err(p, arg(a, "stat_length")->off, KILN_ERR_ARG, "stat_length of 0 yields no value for padding");
                    }
                    kiln_expr *end = slice_along(p, &t, x, d, k ? n - sn : 0, k ? n : sn, 1);
                    double half = 0.5;
                    v = !end                 ? NULL
                        : mode == P_MAX      ? keep(&t, kiln_reduce(c, KILN_OP_MAX, end, d, 1))
                        : mode == P_MIN      ? keep(&t, kiln_reduce(c, KILN_OP_MIN, end, d, 1))
                        : mode == P_MEAN     ? keep(&t, kiln_mean_axes(c, end, 1u << d, 1))
                                             : quantiles_of(p, &t, end, d, &half, 1, false, true, true, QM_LINEAR, median_dtype(end), false, off);
                    if (v && (mode == P_MEAN || mode == P_MEDIAN) && dtype_is_int((kiln_dtype)x->dtype)) /* NumPy rounds for integers */
                        v = keep(&t, kiln_rint(c, v));
                } else {
                    v = keep(&t, kiln_const(c, KILN_F64, cv[d][k ? 1 : 0]));
                }
                if (v && v->dtype != x->dtype) v = keep(&t, kiln_cast(c, v, (kiln_dtype)x->dtype));
                if (!(parts[np_++] = fe_broadcast_to(p, &t, v, nd, shape, f->name, off))) return done(p, &t, out, NULL, off);
            }
            x = keep(&t, kiln_concatenate(c, np_, parts, d));
            continue;
        }
        int64_t m = n + b + e;
        kiln_array *ix = kiln_array_new(c, KILN_I64, 1, &m);
        if (!fe_got(p, ix, off)) return done(p, &t, out, NULL, off);
        int64_t *q = (int64_t *)kiln_array_data(ix);
        for (int64_t j = 0; j < m; j++) {
            int64_t i = j - b, P = mode == P_REFLECT ? 2 * (n - 1) : mode == P_SYMMETRIC ? 2 * n : n, r;
            if (mode == P_EDGE || (mode == P_REFLECT && n == 1)) r = i < 0 ? 0 : i >= n ? n - 1 : i; /* edge (reflect of one element too) */
            else {
                r = ((i % P) + P) % P;
                if (mode == P_REFLECT && r >= n) r = P - r;
                if (mode == P_SYMMETRIC && r >= n) r = P - 1 - r;
            }
            q[j] = r;
        }
        kiln_expr *iv = keep(&t, kiln_var(c, ix));
        kiln_array_free(ix);
        x = iv ? keep(&t, kiln_take(c, x, iv, d)) : NULL;
    }
    return done(p, &t, out, x, off);
}

static kiln_expr *sorted_position(tmps *t, kiln_ctx *c, kiln_expr *s, kiln_expr *v, bool right);

/* histogram's edges for bins equal bins over [lo, hi], as np.linspace(lo, hi, bins + 1) computes
 * them: in float32 when the ends are float32 (a float32 array's own min and max: step = (hi -
 * lo) / bins, each i * step + lo, every step rounded), else in float64, then bt; the last one hi */
static kiln_array *equal_edges(kiln_ctx *c, int64_t bins, double lo, double hi, kiln_dtype bt, bool f32) {
#define R(v) (f32 ? (double)(float)(v) : (double)(v))
    int64_t m = bins + 1;
    kiln_array *r = kiln_array_new(c, bt, 1, &m);
    if (!r) return NULL;
    double delta = R(hi - lo), step = R(delta / (double)bins);
    for (int64_t i = 0; i < m; i++) {
        double e = i == bins ? hi : step == 0 ? R(R(R((double)i / (double)bins) * delta) + lo) : R(R((double)i * step) + lo);
        if (bt == KILN_F32) ((float *)kiln_array_data(r))[i] = (float)e;
        else ((double *)kiln_array_data(r))[i] = e;
    }
    return r;
#undef R
}

static int cmp_double(const void *x, const void *y) {
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

/* The linear percentile q (in [0, 1]) of the n sorted values v, as NumPy's */
static double sorted_quantile(const double *v, int64_t n, double q) {
    double i = (double)(n - 1) * q, lo = floor(i), g = i - lo;
    int64_t i0 = (int64_t)lo, i1 = i0 + 1 < n ? i0 + 1 : n - 1;
    double d = v[i1] - v[i0];
    return g >= 0.5 ? v[i1] - d * (1 - g) : v[i0] + d * g;
}

/* histogram's bins by NumPy's estimator name ('auto', 'fd', 'doane', 'scott', 'rice', 'sturges',
 * 'sqrt'): a bin width from the values in [lo, hi] (computed now, here in float64), and
 * ceil((hi - lo) / width) bins (1 for a width of 0; width at least 1 for integers) */
static bool estimated_bins(parser *p, tmps *t, kiln_expr *x, const kval *bv, double lo, double hi, bool ints, int64_t *nb) {
    static const char *const names[] = {"auto", "fd", "doane", "scott", "rice", "sturges", "sqrt", NULL};
    int k = 0;
    while (names[k] && strcmp(names[k], bv->s)) k++;
    if (!names[k]) {
        if (!strcmp(bv->s, "stone")) return fe_err(p, bv->off, KILN_ERR_ARG, "histogram(): the 'stone' estimator is not supported");
        return fe_err(p, bv->off, KILN_ERR_ARG, "'%s' is not a valid estimator for `bins`", bv->s);
    }
    kiln_array *all = value_now(p, keep(t, kiln_cast(p->ctx, x, KILN_F64)), bv->off);
    if (!all) return false;
    int64_t n = 0, size = kiln_array_size(all);
    double *v = (double *)kiln_array_data(all);
    for (int64_t i = 0; i < size; i++) /* the values in range, sorted */
        if (v[i] >= lo && v[i] <= hi) v[n++] = v[i];
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    double width = 0, N = (double)n;
    if (n > 0) {
        double ptp = v[n - 1] - v[0], mean = 0, var = 0, skew = 0;
        for (int64_t i = 0; i < n; i++) mean += v[i];
        mean /= N;
        for (int64_t i = 0; i < n; i++) var += (v[i] - mean) * (v[i] - mean);
        double sigma = sqrt(var / N);
        double sturges = ptp / (log2(N) + 1.0), fd = 2.0 * (sorted_quantile(v, n, 0.75) - sorted_quantile(v, n, 0.25)) * pow(N, -1.0 / 3.0);
        switch (k) {
        case 0: width = fd ? fmin(fd, sturges) : sturges; break;
        case 1: width = fd; break;
        case 2:
            if (n > 2 && sigma > 0) {
                for (int64_t i = 0; i < n; i++) skew += pow((v[i] - mean) / sigma, 3);
                double sg1 = sqrt(6.0 * (N - 2) / ((N + 1.0) * (N + 3))), g1 = skew / N;
                width = ptp / (1.0 + log2(N) + log2(1.0 + fabs(g1) / sg1));
            }
            break;
        case 3: width = pow(24.0 * sqrt(M_PI) / N, 1.0 / 3.0) * sigma; break;
        case 4: width = ptp / (2.0 * pow(N, 1.0 / 3)); break;
        case 5: width = sturges; break;
        default: width = ptp / sqrt(N); break;
        }
    }
    kiln_array_free(all);
    if (width && ints && width < 1) width = 1;
    *nb = width ? (int64_t)ceil((hi - lo) / width) : 1;
    return true;
}

/* histogram(a, bins=10, range=None, density=None, weights=None): (counts, edges) as NumPy's.
 * bins an int: equal bins over range (a's min and max, computed now, when None; 0.5 either side
 * when they are equal), each value's bin computed as NumPy's (x - lo) / (hi - lo) * bins, then
 * moved by one where that lands across an edge, in a's float dtype; bins a sequence: the edges,
 * which must increase (read now), and each value's bin by a fused count of the edges at or below
 * it.  Values outside [first edge, last edge] and NaN are not counted; the last bin holds its
 * right edge.  The counts are a scatter-add (bincount's). */
/* NumPy's error for a data range with an inf or NaN end: the ends as Python prints them */
static bool range_not_finite(parser *p, size_t off, double lo, double hi) {
    kstr b = {0}, c = {0};
    fe_format_pyfloat(lo, &b);
    fe_format_pyfloat(hi, &c);
    bool r = fe_err(p, off, KILN_ERR_ARG, "autodetected range of [%s, %s] is not finite", b.s ? b.s : "?", c.s ? c.s : "?");
    kstr_free(&b), kstr_free(&c);
    return r;
}

static bool h_histogram(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kiln_expr *x = keep(&t, expr_of(p, f, a, "a")), *w = NULL;
    bool density = false;
    if (!x || (given_not_none(a, "density") && !fe_arg_bool(p, arg(a, "density"), f->name, "density", &density)))
        return done(p, &t, out, NULL, off);
    if (x->dtype == KILN_BOOL) x = keep(&t, kiln_cast(c, x, KILN_I64)); /* NumPy's: as uint8 */
    bool same_shape = true;
    if (x && given_not_none(a, "weights")) {
        w = keep(&t, expr_of(p, f, a, "weights"));
        same_shape = w && w->ndim == x->ndim;
        for (int d = 0; same_shape && d < w->ndim; d++) same_shape = w->shape[d] == x->shape[d];
    }
    x = x ? keep(&t, kiln_ravel(c, x)) : NULL;
    if (x && given_not_none(a, "weights")) {
        if (w && !same_shape) {
            tmps_free(&t);
            return fe_err(p, arg(a, "weights")->off, KILN_ERR_SHAPE, "weights should have the same shape as a.");
        }
        if (w) w = keep(&t, kiln_ravel(c, w));
    }
    if (!x || (given_not_none(a, "weights") && !w)) return done(p, &t, out, NULL, off);
    kval *bv = arg(a, "bins");
    kiln_dtype bt = x->dtype == KILN_F32 ? KILN_F32 : KILN_F64;
    kiln_expr *edges, *idx, *keep_;
    int64_t nb;
    bool edges_given = !(bv->kind == KV_ABSENT || bv->kind == KV_STR || (bv->kind == KV_ARRAY && bv->e->ndim == 0));
    if (bv->kind == KV_STR && w) {
        tmps_free(&t);
        return fe_err(p, bv->off, KILN_ERR_ARG, "Automated estimation of the number of bins is not supported for weighted data");
    }
    if (edges_given && w && w->dtype == KILN_BOOL && ir_size(x) > 0) { /* (NumPy's edges sum the weights' cumsum, int64, back into bool) */
        tmps_free(&t);
        return fe_err(p, arg(a, "weights")->off, KILN_ERR_DTYPE, "Cannot cast ufunc 'add' output from dtype('int64') to dtype('bool') with casting rule 'same_kind'");
    }
    if (!edges_given) { /* equal bins */
        double r[2] = {0, 1};
        bool ints = false;
        nb = 10;
        if (bv->kind == KV_ARRAY && !fe_arg_int(p, bv, f->name, "bins", &nb)) return done(p, &t, out, NULL, off);
        if (nb < 1) {
            tmps_free(&t);
            return fe_err(p, bv->off, KILN_ERR_ARG, "`bins` must be positive, when an integer");
        }
        if (given_not_none(a, "range")) {
            kval *rv = arg(a, "range");
            int64_t iv[2];
            kiln_dtype rd[2];
            if ((rv->kind != KV_LIST && rv->kind != KV_TUPLE) || rv->n != 2) {
                tmps_free(&t);
                return fe_err(p, rv->off, KILN_ERR_ARG, "histogram(): range must be (min, max)");
            }
            for (int k = 0; k < 2; k++)
                if (!fe_arg_number(p, &rv->items[k], f->name, "range", &r[k], &iv[k], &rd[k])) return done(p, &t, out, NULL, off);
            ints = dtype_is_int(rd[0]) && dtype_is_int(rd[1]);
            if (r[0] > r[1]) {
                tmps_free(&t);
                return fe_err(p, rv->off, KILN_ERR_ARG, "max must be larger than min in range parameter.");
            }
            if (!isfinite(r[0]) || !isfinite(r[1])) {
                tmps_free(&t);
                return fe_err(p, rv->off, KILN_ERR_ARG, "supplied range of [%g, %g] is not finite", r[0], r[1]);
            }
        } else if (x->shape[0] > 0) { /* a's min and max, now */
            kiln_expr *lo = keep(&t, kiln_reduce(c, KILN_OP_MIN, x, 0, 0)), *hi = keep(&t, kiln_reduce(c, KILN_OP_MAX, x, 0, 0));
            kiln_expr *both = lo && hi ? keep(&t, kiln_stack(c, 2, (kiln_expr *[]){lo, hi}, 0)) : NULL;
            both = both ? keep(&t, kiln_cast(c, both, KILN_F64)) : NULL;
            kiln_array *mm = both ? value_now(p, both, off) : NULL;
            if (!mm) return done(p, &t, out, NULL, off);
            r[0] = ((double *)kiln_array_data(mm))[0], r[1] = ((double *)kiln_array_data(mm))[1];
            kiln_array_free(mm);
            ints = !dtype_is_float((kiln_dtype)x->dtype);
            if (!isfinite(r[0]) || !isfinite(r[1])) {
                tmps_free(&t);
                return range_not_finite(p, arg(a, "a")->off, r[0], r[1]);
            }
        }
        if (r[0] == r[1]) { /* NumPy's: 0.5 either side (in a's float32 for float32) */
            r[0] = bt == KILN_F32 && !ints ? (double)((float)r[0] - 0.5f) : r[0] - 0.5;
            r[1] = bt == KILN_F32 && !ints ? (double)((float)r[1] + 0.5f) : r[1] + 0.5;
            ints = false;
        }
        if (bv->kind == KV_STR && !estimated_bins(p, &t, x, bv, r[0], r[1], !dtype_is_float((kiln_dtype)x->dtype), &nb))
            return done(p, &t, out, NULL, off);
        /* float32 arithmetic when the ends are a float32 array's own (NumPy's float32 scalars) */
        kiln_array *ea = equal_edges(c, nb, r[0], r[1], bt, bt == KILN_F32 && !given_not_none(a, "range"));
        bool finite_bins = true;
        for (int64_t i = 0; ea && i < nb; i++)
            finite_bins = finite_bins && !(bt == KILN_F32 ? ((float *)kiln_array_data(ea))[i] >= ((float *)kiln_array_data(ea))[i + 1]
                                                          : ((double *)kiln_array_data(ea))[i] >= ((double *)kiln_array_data(ea))[i + 1]);
        edges = ea ? keep(&t, kiln_var(c, ea)) : NULL;
        kiln_array_free(ea);
        if (!edges) return done(p, &t, out, NULL, off);
        if (!finite_bins) {
            tmps_free(&t);
            return fe_err(p, off, KILN_ERR_ARG, "Too many bins for data range. Cannot create %lld finite-sized bins.", (long long)nb);
        }
        /* (x - lo) / (hi - lo) * bins in bt, hi - lo exact for integer ends (NumPy's unsigned subtract) */
        double denom = ints ? r[1] - r[0] : bt == KILN_F32 ? (double)((float)r[1] - (float)r[0]) : r[1] - r[0];
        kiln_expr *xc = keep(&t, kiln_cast(c, x, bt));
        keep_ = keep(&t, kiln_and(c, keep(&t, kiln_ge(c, xc, keep(&t, kiln_const(c, bt, r[0])))), keep(&t, kiln_le(c, xc, keep(&t, kiln_const(c, bt, r[1]))))));
        kiln_expr *fi = keep(&t, kiln_mul(c, keep(&t, kiln_div(c, keep(&t, kiln_sub(c, xc, keep(&t, kiln_const(c, bt, r[0])))), keep(&t, kiln_const(c, bt, denom)))),
                                      keep(&t, kiln_int(c, nb))));
        kiln_expr *zero = keep(&t, kiln_int(c, 0)), *one = keep(&t, kiln_int(c, 1)), *lastb = keep(&t, kiln_int(c, nb - 1));
        idx = keep(&t, kiln_where(c, keep_, keep(&t, kiln_cast(c, fi, KILN_I64)), zero));
        idx = keep(&t, kiln_minimum(c, idx, lastb));
        kiln_expr *dec = keep(&t, kiln_lt(c, xc, keep(&t, kiln_take(c, edges, idx, 0))));
        idx = keep(&t, kiln_sub(c, idx, keep(&t, kiln_cast(c, dec, KILN_I64))));
        kiln_expr *inc = keep(&t, kiln_and(c, keep(&t, kiln_ge(c, xc, keep(&t, kiln_take(c, edges, keep(&t, kiln_add(c, idx, one)), 0)))),
                                          keep(&t, kiln_ne(c, idx, lastb))));
        idx = keep(&t, kiln_add(c, idx, keep(&t, kiln_cast(c, inc, KILN_I64))));
    } else { /* the edges given */
        edges = keep(&t, fe_arg_expr(p, bv, f->name, "bins"));
        if (!edges) return done(p, &t, out, NULL, off);
        if (edges->ndim != 1) {
            tmps_free(&t);
            return fe_err(p, bv->off, KILN_ERR_ARG, "`bins` must be 1d, when an array");
        }
        nb = edges->shape[0] - 1;
        if (nb < 1) { /* no bins: no counts */
            int64_t zero = 0;
            kiln_array *none = kiln_array_new(c, w ? (kiln_dtype)w->dtype : KILN_I64, 1, &zero);
            kiln_expr *ne = none ? keep(&t, kiln_var(c, none)) : NULL;
            kiln_array_free(none);
            return pair_result(p, &t, out, ne, edges, off);
        }
        kiln_array *ev = value_now(p, keep(&t, kiln_cast(c, edges, KILN_F64)), bv->off);
        if (!ev) return done(p, &t, out, NULL, off);
        bool up = true;
        for (int64_t i = 0; i < nb; i++) up = up && !(((double *)kiln_array_data(ev))[i] > ((double *)kiln_array_data(ev))[i + 1]);
        kiln_array_free(ev);
        if (!up) {
            tmps_free(&t);
            return fe_err(p, bv->off, KILN_ERR_ARG, "`bins` must increase monotonically, when an array");
        }
        kiln_expr *first = slice_along(p, &t, edges, 0, 0, 1, 1), *last = slice_along(p, &t, edges, 0, nb, nb + 1, 1);
        if (!first || !last) return done(p, &t, out, NULL, off);
        keep_ = keep(&t, kiln_and(c, keep(&t, kiln_ge(c, x, keep(&t, kiln_reshape(c, first, 0, NULL)))), keep(&t, kiln_le(c, x, keep(&t, kiln_reshape(c, last, 0, NULL))))));
        kiln_expr *below = sorted_position(&t, c, edges, x, true); /* the edges at or below each value */
        kiln_expr *lastb = keep(&t, kiln_int(c, nb - 1));
        idx = below ? keep(&t, kiln_minimum(c, keep(&t, kiln_sub(c, below, keep(&t, kiln_int(c, 1)))), lastb)) : NULL;
        idx = idx ? keep(&t, kiln_where(c, keep_, idx, keep(&t, kiln_int(c, 0)))) : NULL;
    }
    if (!idx || !keep_) return done(p, &t, out, NULL, off);
    kiln_dtype ct = w ? (kiln_dtype)w->dtype : KILN_I64;
    kiln_expr *n;
    if (w && edges_given) { /* NumPy's: the weights in a's sorted order, their running sum, its differences at the edges */
        kiln_expr *order = keep(&t, kiln_argsort(c, x, 0));
        kiln_expr *sa = order ? keep(&t, kiln_take(c, x, order, 0)) : NULL, *sw = order ? keep(&t, kiln_take(c, w, order, 0)) : NULL;
        kiln_expr *cw = sw ? keep(&t, kiln_cumsum(c, sw, 0)) : NULL;
        int64_t one_ = 1;
        kiln_array *z = cw ? kiln_array_new(c, (kiln_dtype)cw->dtype, 1, &one_) : NULL;
        if (z) memset(kiln_array_data(z), 0, kiln_dtype_size((kiln_dtype)cw->dtype));
        kiln_expr *ze = z ? keep(&t, kiln_var(c, z)) : NULL;
        kiln_array_free(z);
        kiln_expr *cwz = ze ? keep(&t, kiln_concatenate(c, 2, (kiln_expr *[]){ze, cw}, 0)) : NULL;
        kiln_expr *lo = sa ? sorted_position(&t, c, sa, slice_along(p, &t, edges, 0, 0, nb, 1), false) : NULL;
        kiln_expr *hi = sa ? sorted_position(&t, c, sa, slice_along(p, &t, edges, 0, nb, nb + 1, 1), true) : NULL;
        kiln_expr *pos = lo && hi ? keep(&t, kiln_concatenate(c, 2, (kiln_expr *[]){lo, hi}, 0)) : NULL;
        kiln_expr *cum = pos && cwz ? keep(&t, kiln_take(c, cwz, pos, 0)) : NULL;
        n = cum ? keep(&t, kiln_sub(c, slice_along(p, &t, cum, 0, 1, nb + 1, 1), slice_along(p, &t, cum, 0, 0, nb, 1))) : NULL;
    } else {
        kiln_expr *one = w ? w : keep(&t, kiln_const(c, KILN_I64, 1));
        kiln_expr *val = keep(&t, kiln_where(c, keep_, keep(&t, kiln_cast(c, one, w ? KILN_F64 : KILN_I64)), keep(&t, kiln_int(c, 0))));
        if (val && val->ndim == 0) val = fe_broadcast_to(p, &t, val, 1, x->shape, f->name, off);
        n = val ? keep(&t, ir_scatter(&c->graph, val, idx, NULL, 0, 0, 1, &nb)) : NULL;
    }
    if (n && n->dtype != ct) n = keep(&t, kiln_cast(c, n, ct)); /* (the weights' dtype: int8's wrap, as NumPy's counts do) */
    if (n && density) { /* n / diff(edges) / n.sum(), in float64 */
        kiln_expr *ef = keep(&t, kiln_cast(c, edges, KILN_F64));
        kiln_expr *db = ef ? keep(&t, kiln_sub(c, slice_along(p, &t, ef, 0, 1, nb + 1, 1), slice_along(p, &t, ef, 0, 0, nb, 1))) : NULL;
        kiln_expr *nf = keep(&t, kiln_cast(c, n, KILN_F64));
        n = db && nf ? keep(&t, kiln_div(c, keep(&t, kiln_div(c, nf, db)), keep(&t, kiln_reduce(c, KILN_OP_SUM, n, KILN_ALL_AXES, 0)))) : NULL;
    }
    return pair_result(p, &t, out, n, edges, off);
}

/* dstack: the arrays as atleast_3d, joined along axis 2 */
static bool h_dstack(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    int n = 0;
    kiln_expr **xs = seq_of(p, f, arg(a, "tup"), &n);
    if (!xs) return false;
    for (int i = 0; i < n; i++) {
        kiln_expr *e = at_least(p->ctx, xs[i], 3);
        kiln_expr_free(xs[i]);
        if (!(xs[i] = e)) return joined(p, out, NULL, off, n, xs);
    }
    return joined(p, out, kiln_concatenate(p->ctx, n, xs, 2), off, n, xs);
}

/* ix_: each 1-D sequence shaped to broadcast along its own axis of n (a bool one: its nonzero
 * positions, computed now; an empty one int64), for x[ix_(rows, cols)] */
static bool h_ix(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kval *args = arg(a, "args");
    int n = args->kind == KV_TUPLE ? args->n : 0;
    if (n > KILN_MAX_DIMS) return fe_err(p, off, KILN_ERR_ARG, "ix_(): at most %d sequences", KILN_MAX_DIMS);
    kiln_expr *items[KILN_MAX_DIMS];
    for (int k = 0; k < n; k++) {
        kiln_expr *e = keep(&t, fe_arg_expr(p, &args->items[k], f->name, "args"));
        if (!e) return done(p, &t, out, NULL, off);
        if (e->ndim != 1) {
            tmps_free(&t);
            return fe_err(p, args->items[k].off, KILN_ERR_SHAPE, "Cross index must be 1 dimensional");
        }
        if (e->dtype == KILN_BOOL) {
            kiln_array *pos = fe_nonzero_now(p, e, args->items[k].off);
            e = pos ? keep(&t, kiln_var(p->ctx, pos)) : NULL;
            kiln_array_free(pos);
        } else if (e->shape[0] == 0 || !dtype_is_int((kiln_dtype)e->dtype)) {
            if (e->shape[0] == 0) e = keep(&t, kiln_cast(p->ctx, e, KILN_I64));
        }
        if (!e) return done(p, &t, out, NULL, off);
        int64_t s[KILN_MAX_DIMS];
        for (int d = 0; d < n; d++) s[d] = d == k ? e->shape[0] : 1;
        if (!(items[k] = keep(&t, kiln_reshape(p->ctx, e, n, s)))) return done(p, &t, out, NULL, off);
    }
    return tuple_result(p, &t, out, items, n, off);
}

/* unravel_index(indices, shape): each flat C-order index as a tuple of coordinates, (i //
 * stride) % dim per dim; the indices are checked now against the size */
static bool h_unravel_index(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    int nd = 0;
    int64_t shape[KILN_MAX_DIMS], size = 1;
    kiln_expr *i = keep(&t, expr_of(p, f, a, "indices"));
    if (!i || !fe_arg_shape(p, arg(a, "shape"), f->name, "shape", &nd, shape)) return done(p, &t, out, NULL, off);
    if (given_not_none(a, "order") && (arg(a, "order")->kind != KV_STR || strcmp(arg(a, "order")->s, "C"))) {
        tmps_free(&t);
        return fe_err(p, arg(a, "order")->off, KILN_ERR_ARG, "unravel_index(): order='C' only");
    }
    if (!dtype_is_int((kiln_dtype)i->dtype)) {
        tmps_free(&t);
        return fe_err(p, arg(a, "indices")->off, KILN_ERR_DTYPE, "only int indices permitted");
    }
    for (int d = 0; d < nd; d++) size *= shape[d];
    int64_t n = 1;
    for (int d = 0; d < i->ndim; d++) n *= i->shape[d];
    if (n > 0) { /* NumPy's check: every index in [0, size) */
        kiln_expr *ends = keep(&t, kiln_stack(c, 2, (kiln_expr *[]){keep(&t, kiln_reduce(c, KILN_OP_MIN, i, KILN_ALL_AXES, 0)),
                                                                    keep(&t, kiln_reduce(c, KILN_OP_MAX, i, KILN_ALL_AXES, 0))}, 0));
        kiln_array *e = ends ? value_now(p, keep(&t, kiln_cast(c, ends, KILN_I64)), off) : NULL;
        if (!e) return done(p, &t, out, NULL, off);
        int64_t lo = ((const int64_t *)kiln_array_data(e))[0], hi = ((const int64_t *)kiln_array_data(e))[1];
        kiln_array_free(e);
        if (lo < 0 || hi >= size) {
            tmps_free(&t);
            return fe_err(p, arg(a, "indices")->off, KILN_ERR_ARG, "index %lld is out of bounds for array with size %lld", (long long)(lo < 0 ? lo : hi),
                          (long long)size);
        }
    }
    kiln_expr *items[KILN_MAX_DIMS], *ii = keep(&t, kiln_cast(c, i, KILN_I64));
    int64_t stride = size;
    for (int d = 0; d < nd; d++) {
        stride = shape[d] ? stride / shape[d] : 0;
        kiln_expr *q = stride > 1 ? op2(&t, c, KILN_OP_FLOORDIV, ii, keep(&t, kiln_int(c, stride))) : ii;
        items[d] = d > 0 ? op2(&t, c, KILN_OP_MOD, q, keep(&t, kiln_int(c, shape[d]))) : q;
    }
    return tuple_result(p, &t, out, items, nd, off);
}

/* The 1-D argument name as float64 (kept in t), or NULL after an error. */
static kiln_expr *f64_line(parser *p, tmps *t, const fe_fn *f, fe_args *a, const char *name) {
    kiln_expr *x = keep(t, expr_of(p, f, a, name));
    if (x && x->ndim != 1) return fe_err(p, arg(a, name)->off, KILN_ERR_SHAPE, "%s(): %s must be 1-D", f->name, name), NULL;
    return x ? keep(t, kiln_cast(p->ctx, x, KILN_F64)) : NULL;
}

/* element k of the 1-D x (a 0-d view, kept in t) */
static kiln_expr *at1(tmps *t, kiln_ctx *c, kiln_expr *x, int64_t k) {
    kiln_ix ix = {.kind = KILN_IX_INDEX, .index = k};
    return x ? keep(t, kiln_index(c, x, 1, &ix)) : NULL;
}

/* interp(x, xp, fp, left=None, right=None): NumPy's piecewise-linear interpolation, in float64:
 * each x's interval j found by a search (xp[j] <= x < xp[j + 1]), slope (fp[j+1] - fp[j]) /
 * (xp[j+1] - xp[j]) times x - xp[j] plus fp[j] (from the other end where that is NaN; fp[j] at
 * xp[j] itself), left and right outside (fp[0] and fp[-1] by default) */
static bool h_interp(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kiln_expr *x = keep(&t, expr_of(p, f, a, "x")), *xp = x ? f64_line(p, &t, f, a, "xp") : NULL, *fp = xp ? f64_line(p, &t, f, a, "fp") : NULL;
    if (!fp) return done(p, &t, out, NULL, off);
    bool periodic = given_not_none(a, "period");
    if (periodic) { /* NumPy's: x and xp taken modulo period, xp sorted, one point more at each end; no left, right */
        double per;
        int64_t iv;
        if (!fe_arg_number(p, arg(a, "period"), f->name, "period", &per, &iv, NULL)) return done(p, &t, out, NULL, off);
        if (per == 0) return tmps_free(&t), fe_err(p, arg(a, "period")->off, KILN_ERR_ARG, "period must be a non-zero value");
        if (fp->shape[0] != xp->shape[0]) return tmps_free(&t), fe_err(p, off, KILN_ERR_ARG, "fp and xp are not of the same length");
        int64_t m = xp->shape[0];
        kiln_expr *P = keep(&t, kiln_const(c, KILN_F64, fabs(per)));
        x = op2(&t, c, KILN_OP_MOD, keep(&t, kiln_cast(c, x, KILN_F64)), P);
        xp = op2(&t, c, KILN_OP_MOD, xp, P);
        kiln_expr *o = xp ? keep(&t, kiln_argsort(c, xp, 0)) : NULL;
        xp = o ? keep(&t, kiln_take(c, xp, o, 0)) : NULL, fp = o ? keep(&t, kiln_take(c, fp, o, 0)) : NULL;
        if (!fp || !x) return done(p, &t, out, NULL, off);
        if (m) {
            kiln_expr *xs[3] = {op2(&t, c, KILN_OP_SUB, slice_along(p, &t, xp, 0, m - 1, m, 1), P), xp, op2(&t, c, KILN_OP_ADD, slice_along(p, &t, xp, 0, 0, 1, 1), P)};
            kiln_expr *fs[3] = {slice_along(p, &t, fp, 0, m - 1, m, 1), fp, slice_along(p, &t, fp, 0, 0, 1, 1)};
            xp = xs[0] && xs[2] ? keep(&t, kiln_concatenate(c, 3, xs, 0)) : NULL, fp = fs[0] && fs[2] ? keep(&t, kiln_concatenate(c, 3, fs, 0)) : NULL;
            if (!xp || !fp) return done(p, &t, out, NULL, off);
        }
    }
    int64_t n = xp->shape[0];
    if (fp->shape[0] != n || n == 0) {
        tmps_free(&t);
        return fe_err(p, off, KILN_ERR_ARG, n ? "fp and xp are not of the same length." : "array of sample points is empty");
    }
    x = keep(&t, kiln_cast(c, x, KILN_F64));
    kiln_expr *first = at1(&t, c, fp, 0), *last = at1(&t, c, fp, n - 1);
    kiln_expr *lo = !periodic && given_not_none(a, "left") ? keep(&t, kiln_cast(c, keep(&t, expr_of(p, f, a, "left")), KILN_F64)) : first;
    kiln_expr *hi = !periodic && given_not_none(a, "right") ? keep(&t, kiln_cast(c, keep(&t, expr_of(p, f, a, "right")), KILN_F64)) : last;
    kiln_expr *r = first;
    if (n > 1) {
        kiln_expr *j = op2(&t, c, KILN_OP_SUB, sorted_position(&t, c, xp, x, true), keep(&t, kiln_int(c, 1)));
        j = op2(&t, c, KILN_OP_MINIMUM, op2(&t, c, KILN_OP_MAXIMUM, j, keep(&t, kiln_int(c, 0))), keep(&t, kiln_int(c, n - 2)));
        kiln_expr *j1 = op2(&t, c, KILN_OP_ADD, j, keep(&t, kiln_int(c, 1)));
        kiln_expr *x0 = j ? keep(&t, kiln_take(c, xp, j, 0)) : NULL, *x1 = j1 ? keep(&t, kiln_take(c, xp, j1, 0)) : NULL;
        kiln_expr *y0 = j ? keep(&t, kiln_take(c, fp, j, 0)) : NULL, *y1 = j1 ? keep(&t, kiln_take(c, fp, j1, 0)) : NULL;
        kiln_expr *slope = op2(&t, c, KILN_OP_DIV, op2(&t, c, KILN_OP_SUB, y1, y0), op2(&t, c, KILN_OP_SUB, x1, x0));
        r = op2(&t, c, KILN_OP_ADD, op2(&t, c, KILN_OP_MUL, slope, op2(&t, c, KILN_OP_SUB, x, x0)), y0);
        kiln_expr *other = op2(&t, c, KILN_OP_ADD, op2(&t, c, KILN_OP_MUL, slope, op2(&t, c, KILN_OP_SUB, x, x1)), y1);
        kiln_expr *nan = r ? keep(&t, kiln_isnan(c, r)) : NULL;
        r = nan && other ? keep(&t, kiln_where(c, nan, other, r)) : NULL;
        nan = r ? keep(&t, kiln_isnan(c, r)) : NULL;
        kiln_expr *flat = op2(&t, c, KILN_OP_AND, nan, op2(&t, c, KILN_OP_EQ, y0, y1));
        r = flat ? keep(&t, kiln_where(c, flat, y0, r)) : NULL;
        kiln_expr *exact = op2(&t, c, KILN_OP_EQ, x, x0);
        r = exact ? keep(&t, kiln_where(c, exact, y0, r)) : NULL;
        kiln_expr *xl = at1(&t, c, xp, n - 1), *at_end = op2(&t, c, KILN_OP_EQ, x, xl);
        r = at_end ? keep(&t, kiln_where(c, at_end, last, r)) : NULL;
    }
    kiln_expr *below = op2(&t, c, KILN_OP_LT, x, at1(&t, c, xp, 0)), *above = op2(&t, c, KILN_OP_GT, x, at1(&t, c, xp, n - 1));
    r = below && lo && r ? keep(&t, kiln_where(c, below, lo, r)) : NULL;
    r = above && hi && r ? keep(&t, kiln_where(c, above, hi, r)) : NULL;
    if (r && n > 1) r = keep(&t, kiln_where(c, keep(&t, kiln_isnan(c, x)), x, r)); /* a NaN x is NaN, as NumPy's first check (of one point: fp's, as its loop's) */
    return done(p, &t, out, r, off);
}

/* polyval(p, x): Horner's rule from zeros of x's dtype, as NumPy's (y = y * x + p[k]) */
static bool h_polyval(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    fe_make_strong(p, arg(a, "x")); /* NumPy's asanyarray(x) */
    kiln_expr *cf = keep(&t, expr_of(p, f, a, "p")), *x = cf ? keep(&t, expr_of(p, f, a, "x")) : NULL;
    if (!x) return done(p, &t, out, NULL, off);
    if (cf->ndim != 1) {
        tmps_free(&t);
        return fe_err(p, arg(a, "p")->off, KILN_ERR_SHAPE, "polyval(): p must be 1-D");
    }
    kiln_expr *y = op2(&t, c, KILN_OP_MUL, keep(&t, kiln_cast(c, keep(&t, kiln_int(c, 0)), (kiln_dtype)x->dtype)), x); /* zeros_like(x) * x */
    for (int64_t k = 0; y && k < cf->shape[0]; k++) y = op2(&t, c, KILN_OP_ADD, k ? op2(&t, c, KILN_OP_MUL, y, x) : y, at1(&t, c, cf, k));
    return done(p, &t, out, y, off);
}

/* select(condlist, choicelist, default=0): the first choice whose condition holds, else the
 * default, as nested wheres from the last pair to the first */
static bool h_select(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kval *cl = arg(a, "condlist"), *ch = arg(a, "choicelist");
    if ((cl->kind != KV_LIST && cl->kind != KV_TUPLE) || (ch->kind != KV_LIST && ch->kind != KV_TUPLE))
        return fe_err(p, off, KILN_ERR_ARG, "select(): condlist and choicelist must be lists");
    if (cl->n != ch->n) return fe_err(p, off, KILN_ERR_ARG, "list of cases must be same length as list of conditions");
    if (cl->n == 0) return fe_err(p, off, KILN_ERR_ARG, "select with an empty condition list is not possible");
    kval *dv = arg(a, "default"); /* (a Python number weak, as NumPy's result_type takes it) */
    kiln_expr *r = dv->kind == KV_ABSENT ? keep(&t, kiln_int(c, 0)) : keep(&t, fe_arg_expr(p, dv, f->name, "default"));
    for (int k = cl->n - 1; r && k >= 0; k--) {
        kiln_expr *cond = keep(&t, fe_arg_expr(p, &cl->items[k], f->name, "condlist"));
        kiln_expr *v = cond ? keep(&t, fe_arg_expr(p, &ch->items[k], f->name, "choicelist")) : NULL;
        if (cond && cond->dtype != KILN_BOOL) {
            tmps_free(&t);
            return fe_err(p, cl->items[k].off, KILN_ERR_DTYPE, "invalid entry %d in condlist: should be boolean ndarray", k);
        }
        r = v ? keep(&t, kiln_where(c, cond, v, r)) : NULL;
    }
    return done(p, &t, out, r, off);
}

/* trapezoid(y, x=None, dx=1.0, axis=-1): the sum of d * (y[1:] + y[:-1]) / 2 along axis, d the
 * spacing (diff(x), or dx), as NumPy's */
static bool h_trapezoid(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kiln_expr *y = keep(&t, expr_of(p, f, a, "y"));
    int64_t axis = -1;
    if (!y || (given(a, "axis") && !fe_arg_int(p, arg(a, "axis"), f->name, "axis", &axis))) return done(p, &t, out, NULL, off);
    if (y->ndim == 0 || axis < -y->ndim || axis >= y->ndim) {
        tmps_free(&t);
        return fe_err(p, off, KILN_ERR_ARG, "axis %lld is out of bounds for array of dimension %d", (long long)axis, y->ndim);
    }
    int ax = (int)(axis < 0 ? axis + y->ndim : axis);
    int64_t n = y->shape[ax];
    kiln_expr *d;
    if (given_not_none(a, "x")) {
        kiln_expr *x = keep(&t, expr_of(p, f, a, "x"));
        kiln_op sub = x && x->dtype == KILN_BOOL ? KILN_OP_NE : KILN_OP_SUB; /* (np.diff of bools: where they differ) */
        if (x && x->ndim == 1) { /* np.diff(x) shaped to lie along y's axis (broadcasting there, as NumPy's: two values of x are one width for all) */
            int64_t s[KILN_MAX_DIMS], m = x->shape[0];
            for (int k = 0; k < y->ndim; k++) s[k] = k == ax ? (m > 1 ? m - 1 : 0) : 1;
            d = op2(&t, c, sub, slice_along(p, &t, x, 0, 1, m, 1), slice_along(p, &t, x, 0, 0, m - 1 > 0 ? m - 1 : 0, 1));
            d = d ? keep(&t, kiln_reshape(c, d, y->ndim, s)) : NULL;
        } else if (x) { /* np.diff(x, axis=axis): the axis as x's own */
            if (x->ndim == 0 || axis < -x->ndim || axis >= x->ndim) {
                tmps_free(&t);
                return fe_err(p, arg(a, "x")->off, KILN_ERR_ARG, x->ndim ? "axis %lld is out of bounds for array of dimension %d" : "diff requires input that is at least one dimensional", (long long)axis, x->ndim);
            }
            int xa = (int)(axis < 0 ? axis + x->ndim : axis);
            int64_t m = x->shape[xa];
            d = op2(&t, c, sub, slice_along(p, &t, x, xa, 1, m, 1), slice_along(p, &t, x, xa, 0, m - 1 > 0 ? m - 1 : 0, 1));
        } else {
            d = NULL;
        }
    } else {
        d = given(a, "dx") ? keep(&t, expr_of(p, f, a, "dx")) : keep(&t, kiln_scalar(c, 1.0));
    }
    kiln_expr *s = op2(&t, c, KILN_OP_ADD, slice_along(p, &t, y, ax, 1, n, 1), slice_along(p, &t, y, ax, 0, n - 1 > 0 ? n - 1 : 0, 1));
    kiln_expr *v = op2(&t, c, KILN_OP_DIV, op2(&t, c, KILN_OP_MUL, d, s), keep(&t, kiln_scalar(c, 2.0)));
    if (v && (axis < -v->ndim || axis >= v->ndim)) { /* (summed along axis of the product, which x may have widened: NumPy's .sum(axis)) */
        tmps_free(&t);
        return fe_err(p, off, KILN_ERR_ARG, "axis %lld is out of bounds for array of dimension %d", (long long)axis, v->ndim);
    }
    return done(p, &t, out, v ? keep(&t, kiln_reduce(c, KILN_OP_SUM, v, (int)(axis < 0 ? axis + v->ndim : axis), 0)) : NULL, off);
}

/* triu_indices(n, k=0, m=None) and tril_indices (f->op 0 and 1): the rows and columns of the
 * upper (lower) triangle of an n x m matrix from diagonal k on, in C order (computed now) */
static bool h_tri_indices(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    int64_t n, k = 0, m;
    if (!fe_arg_int(p, arg(a, "n"), f->name, "n", &n) || (given(a, "k") && !fe_arg_int(p, arg(a, "k"), f->name, "k", &k))) return false;
    m = n;
    if (given_not_none(a, "m") && !fe_arg_int(p, arg(a, "m"), f->name, "m", &m)) return false;
    if (n < 0 || m < 0 || (double)n * (double)m > (double)FE_MAX_ITEMS * 64)
        return fe_err(p, off, KILN_ERR_ARG, "%s(): n and m must be non-negative (and the matrix not too large)", f->name);
    int64_t count = 0;
    k = k > m ? m + 1 : k < -n - 1 ? -n - 1 : k; /* (the same triangle: no i + k wraps around) */
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < m; j++) count += f->op ? j <= i + k : j >= i + k;
    kiln_array *ra = kiln_array_new(p->ctx, KILN_I64, 1, &count), *ca = ra ? kiln_array_new(p->ctx, KILN_I64, 1, &count) : NULL;
    if (!ca) {
        kiln_array_free(ra);
        return fe_got(p, NULL, off);
    }
    int64_t *rd = (int64_t *)kiln_array_data(ra), *cd = (int64_t *)kiln_array_data(ca), q = 0;
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < m; j++)
            if (f->op ? j <= i + k : j >= i + k) rd[q] = i, cd[q++] = j;
    tmps t = {0};
    kiln_expr *items[2] = {keep(&t, kiln_var(p->ctx, ra)), keep(&t, kiln_var(p->ctx, ca))};
    kiln_array_free(ra);
    kiln_array_free(ca);
    return tuple_result(p, &t, out, items, 2, off);
}

/* convolve's and correlate's mode as NumPy's converter reads it: a string by its first letter,
 * any case ('valid', 'same', 'full'; NumPy warns of all but those three), or an integer, 0 'valid',
 * 1 'same', 2 'full'; md is kiln's: 0 full, 1 same, 2 valid. False with NumPy's error. */
static bool correlate_mode(parser *p, const kval *v, int *md) {
    if (v->kind == KV_STR) {
        char c0 = (char)tolower((unsigned char)v->s[0]);
        *md = c0 == 'f' ? 0 : c0 == 's' ? 1 : c0 == 'v' ? 2 : -1;
        if (*md < 0) return fe_err(p, v->off, KILN_ERR_ARG, "mode must be one of 'valid', 'same', or 'full' (got '%s')", v->s);
        return true;
    }
    double d;
    int64_t i;
    kiln_dtype dt;
    if (v->kind != KV_ARRAY || v->e->ndim != 0) return fe_err(p, v->off, KILN_ERR_ARG, "convolve/correlate mode not understood");
    if (!fe_arg_number(p, v, "convolve", "mode", &d, &i, &dt)) return false;
    if (!dtype_is_int(dt)) return fe_err(p, v->off, KILN_ERR_ARG, "convolve/correlate mode not understood");
    if (i < 0 || i > 2) return fe_err(p, v->off, KILN_ERR_ARG, "integer convolve/correlate mode must be 0, 1, or 2");
    *md = 2 - (int)i;
    return true;
}

/* convolve(a, v, mode='full'): sum_j a[k - j] v[j], the longer array first (as NumPy swaps
 * them): the shorter's taps times shifted views of the longer, zero-padded (mode 'full':
 * n + m - 1 values, 'same': max(n, m) centred, 'valid': n - m + 1) */
static kiln_expr *index_ramp(kiln_ctx *c, int64_t n, int64_t div, int64_t mod);

/* convolve's outputs k0 .. k1 - 1 over xp, x with m - 1 zeros each side (n of x's own): out[k]
 * (padded index k + start + m - 1 - j) gets x[k + start - j] v[j] for each tap j in order, a
 * tap that reaches the padding there masked out where it does */
static kiln_expr *conv_outputs(parser *p, tmps *t, kiln_expr *xp, kiln_expr *v, int64_t start, int64_t n, int64_t k0, int64_t k1) {
    kiln_ctx *c = p->ctx;
    int64_t m = v->shape[0];
    kiln_expr *r = NULL, *kidx = NULL; /* (kidx: the outputs' positions, once a tap needs them) */
    for (int64_t j = 0; j < m; j++) {
        int64_t lo = start + (m - 1) - j + k0, first = j - start, past = n + j - start; /* (out[first .. past) read x itself) */
        kiln_expr *term = op2(t, c, KILN_OP_MUL, slice_along(p, t, xp, 0, lo, lo + k1 - k0, 1), at1(t, c, v, j));
        if (term && (first > k0 || past < k1)) {
            if (!kidx) kidx = keep(t, kiln_add(c, keep(t, index_ramp(c, k1 - k0, 1, k1 - k0)), keep(t, kiln_int(c, k0))));
            kiln_expr *in = op2(t, c, KILN_OP_AND, op2(t, c, KILN_OP_GE, kidx, keep(t, kiln_int(c, first))), op2(t, c, KILN_OP_LT, kidx, keep(t, kiln_int(c, past))));
            term = in ? keep(t, kiln_where(c, in, term, keep(t, kiln_const(c, (kiln_dtype)term->dtype, 0)))) : NULL;
        }
        if (!term) return NULL;
        r = r ? op2(t, c, KILN_OP_ADD, r, term) : term;
        if (!r) return NULL;
    }
    return r;
}

static bool h_convolve(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kiln_expr *x = keep(&t, expr_of(p, f, a, "a")), *v = x ? keep(&t, expr_of(p, f, a, "v")) : NULL;
    if (!v) return done(p, &t, out, NULL, off);
    if (x->ndim == 0) x = keep(&t, kiln_reshape(c, x, 1, (int64_t[]){1}));
    if (v->ndim == 0) v = keep(&t, kiln_reshape(c, v, 1, (int64_t[]){1}));
    int md = 0;
    if (given(a, "mode") && !correlate_mode(p, arg(a, "mode"), &md)) return done(p, &t, out, NULL, off);
    if (!x || !v || x->ndim != 1 || v->ndim != 1) {
        tmps_free(&t);
        return fe_err(p, off, KILN_ERR_ARG, "convolve(): object too deep for desired array");
    }
    if (x->shape[0] < v->shape[0]) {
        kiln_expr *s = x;
        x = v, v = s;
    }
    int64_t n = x->shape[0], m = v->shape[0];
    if (m == 0) {
        tmps_free(&t);
        return fe_err(p, off, KILN_ERR_ARG, "%s cannot be empty", arg(a, "v")->e && arg(a, "v")->e->ndim == 1 && arg(a, "v")->e->shape[0] == 0 ? "v" : "a");
    }
    if (m > 1024) {
        tmps_free(&t);
        return fe_err(p, off, KILN_ERR_ARG, "convolve(): the shorter array has %lld values: kiln's convolve takes at most 1024", (long long)m);
    }
    int64_t len = md == 0 ? n + m - 1 : md == 1 ? n : n - m + 1, start = md == 0 ? 0 : md == 1 ? (m - 1) / 2 : m - 1;
    kiln_dtype dt = dtype_promote((kiln_dtype)x->dtype, (kiln_dtype)v->dtype);
    kiln_expr *xp = x;
    if (m > 1) { /* m - 1 zeros each side */
        int64_t nz = m - 1;
        kiln_array *za = kiln_array_new(c, (kiln_dtype)x->dtype, 1, &nz);
        if (za) memset(kiln_array_data(za), 0, (size_t)nz * kiln_dtype_size((kiln_dtype)x->dtype));
        kiln_expr *z = za ? keep(&t, kiln_var(c, za)) : NULL;
        kiln_array_free(za);
        xp = z ? keep(&t, kiln_concatenate(c, 3, (kiln_expr *[]){z, x, z}, 0)) : NULL;
    }
    /* the outputs every tap reads x itself for, [mid0, mid1), and the edges either side, whose
     * taps on the padding are left out (0 * v[j] is NaN where v[j] is inf or NaN) */
    int64_t mid0 = m - 1 - start < 0 ? 0 : m - 1 - start > len ? len : m - 1 - start, mid1 = n - start < mid0 ? mid0 : n - start > len ? len : n - start;
    int64_t edge[4] = {0, mid0, mid1, len};
    kiln_expr *part[3];
    int np_ = 0;
    for (int e = 0; xp && e < 3; e++)
        if (edge[e + 1] > edge[e] && !(part[np_++] = conv_outputs(p, &t, xp, v, start, n, edge[e], edge[e + 1]))) xp = NULL;
    kiln_expr *r = !xp ? NULL : np_ == 1 ? part[0] : keep(&t, kiln_concatenate(c, np_, part, 0));
    if (r && (kiln_dtype)r->dtype != dt) r = keep(&t, kiln_cast(c, r, dt));
    if (r && dtype_is_float(dt)) r = op2(&t, c, KILN_OP_ADD, r, keep(&t, kiln_scalar(c, 0.0))); /* (NumPy's dot sums from +0.0: no -0.0) */
    return done(p, &t, out, r, off);
}

/* polyfit(x, y, deg): least squares in NumPy's steps: the Vandermonde matrix (powers by repeated
 * products, highest first), its columns scaled to unit norm, lstsq with rcond len(x)·eps, the
 * coefficients scaled back */
static bool h_polyfit(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    int64_t deg;
    kiln_expr *x = f64_line(p, &t, f, a, "x"), *y = x ? keep(&t, expr_of(p, f, a, "y")) : NULL;
    if (!y || !fe_arg_int(p, arg(a, "deg"), f->name, "deg", &deg)) return done(p, &t, out, NULL, off);
    int64_t n = x->shape[0];
    const char *bad = deg < 0 ? "expected deg >= 0" : n == 0 ? "expected non-empty vector for x"
                      : y->ndim < 1 || y->ndim > 2 ? "expected 1D or 2D array for y" : y->shape[0] != n ? "expected x and y to have same length"
                      : deg > 63 ? "polyfit(): deg at most 63" : NULL;
    if (bad) {
        tmps_free(&t);
        return fe_err(p, off, KILN_ERR_ARG, "%s", bad);
    }
    y = keep(&t, kiln_cast(c, y, KILN_F64));
    bool flag = false;
    for (int k = 0; k < 3; k++) { /* (rcond, full and cov are not kiln's) */
        const char *nm = k == 0 ? "rcond" : k == 1 ? "full" : "cov";
        if (given_not_none(a, nm) && (k == 0 || !fe_arg_bool(p, arg(a, nm), f->name, nm, &flag) || flag))
            return tmps_free(&t), p->failed ? false : fe_err(p, arg(a, nm)->off, KILN_ERR_ARG, "polyfit(): %s= is not supported (kiln gives the coefficients alone, with NumPy's rcond)", nm);
    }
    int order = (int)deg + 1;
    kiln_expr *cols[64];
    cols[order - 1] = keep(&t, kiln_add(c, keep(&t, kiln_mul(c, x, keep(&t, kiln_scalar(c, 0.0)))), keep(&t, kiln_scalar(c, 1.0))));
    for (int k = order - 2; k >= 0; k--) cols[k] = k == order - 2 ? x : op2(&t, c, KILN_OP_MUL, cols[k + 1], x);
    kiln_expr *lhs = keep(&t, kiln_stack(c, order, cols, 1));
    if (lhs && given_not_none(a, "w")) { /* weights: the rows of lhs and y scaled by them, as NumPy's */
        kiln_expr *w = keep(&t, expr_of(p, f, a, "w"));
        if (w && (w->ndim != 1 || w->shape[0] != n))
            return tmps_free(&t), fe_err(p, arg(a, "w")->off, KILN_ERR_ARG, w->ndim != 1 ? "expected a 1-d array for weights" : "expected w and y to have the same length");
        kiln_expr *wc = w ? keep(&t, kiln_reshape(c, keep(&t, kiln_cast(c, w, KILN_F64)), 2, (int64_t[]){n, 1})) : NULL;
        lhs = op2(&t, c, KILN_OP_MUL, lhs, wc);
        y = op2(&t, c, KILN_OP_MUL, y, y && y->ndim == 2 ? wc : keep(&t, kiln_cast(c, w, KILN_F64)));
        if (!y) return done(p, &t, out, NULL, off);
    }
    kiln_expr *scale = lhs ? keep(&t, kiln_sqrt(c, keep(&t, kiln_reduce(c, KILN_OP_SUM, keep(&t, kiln_mul(c, lhs, lhs)), 0, 0)))) : NULL;
    lhs = op2(&t, c, KILN_OP_DIV, lhs, scale);
    if (!lhs) return done(p, &t, out, NULL, off);
    kval pos[3] = {{.kind = KV_ARRAY, .off = off, .e = kiln_expr_retain(lhs)}, {.kind = KV_ARRAY, .off = off, .e = kiln_expr_retain(y)},
                   {.kind = KV_ARRAY, .off = off, .e = kiln_scalar(c, (double)n * 2.220446049250313e-16)}};
    kval fit = {0};
    if (!fe_call(p, "lstsq", off, NULL, pos, 3, NULL, 0, &fit)) return done(p, &t, out, NULL, off);
    kiln_expr *coef = fit.kind == KV_TUPLE && fit.n == 4 && fit.items[0].kind == KV_ARRAY ? keep(&t, kiln_expr_retain(fit.items[0].e)) : NULL;
    kval_free(c, &fit);
    if (coef && coef->ndim == 2) scale = keep(&t, kiln_reshape(c, scale, 2, (int64_t[]){order, 1}));
    return done(p, &t, out, op2(&t, c, KILN_OP_DIV, coef, scale), off);
}

/* NumPy's histogramdd of the D columns cols (1-D, n points each): each column's edges (*edges,
 * kept in t) the given ones or equal bins over its range (the given one, or the column's min and
 * max, now), from bv (bins: an integer or edges; one of those for each column where per_axis) and
 * rv (range: absent, None, or one (min, max) or None for each column); a point's bin
 * searchsorted(edges, v, 'right') - 1 with the last edge in the last bin; *H float64 counts (or
 * weights' sums) of D dims, density over the bins' volumes.  xoff: the points' position. */
static bool histogram_nd(parser *p, tmps *t, const fe_fn *f, int D, kiln_expr *const *cols, kval *bv, bool per_axis, kval *rv,
                         kiln_expr *w, bool density, size_t xoff, size_t off, kiln_expr **edges, kiln_expr **Hout) {
    kiln_ctx *c = p->ctx;
    int64_t n = cols[0]->shape[0];
    kiln_dtype st = (kiln_dtype)cols[0]->dtype; /* the points as NumPy's sample: in the columns' promoted dtype */
    for (int i = 1; i < D; i++) st = dtype_promote(st, (kiln_dtype)cols[i]->dtype);
    if (st == KILN_BOOL) st = KILN_I64;
    kiln_array *ev[KILN_MAX_DIMS] = {0}, *sv[KILN_MAX_DIMS] = {0}, *wv = NULL;
    kiln_dtype edt[KILN_MAX_DIMS];
    bool ok = true;
    if (rv->kind != KV_ABSENT && rv->kind != KV_NONE && ((rv->kind != KV_LIST && rv->kind != KV_TUPLE) || rv->n != D))
        ok = fe_err(p, rv->off, KILN_ERR_ARG, "%s(): range must be one (min, max) or None for each of the %d dimensions", f->name, D);
    for (int i = 0; ok && i < D; i++) {
        kval *b = per_axis ? &bv->items[i] : bv;
        kiln_expr *xs = keep(t, kiln_cast(c, cols[i], st == KILN_F32 ? KILN_F32 : KILN_F64));
        ok = xs && (sv[i] = value_now(p, keep(t, kiln_cast(c, xs, KILN_F64)), off));
        if (ok && (b->kind == KV_ABSENT || (b->kind == KV_ARRAY && b->e->ndim == 0))) { /* equal bins */
            int64_t nb = 10;
            if (b->kind == KV_ARRAY && !fe_arg_int(p, b, f->name, "bins", &nb)) ok = false;
            else if (nb < 1) ok = fe_err(p, b->off, KILN_ERR_ARG, "`bins[%d]` must be positive, when an integer", i);
            double r[2] = {0, 0};
            kval *ri = rv->kind == KV_LIST || rv->kind == KV_TUPLE ? &rv->items[i] : NULL;
            bool given_range = ri && ri->kind != KV_NONE;
            if (ok && given_range) { /* this column's (min, max) */
                int64_t iv;
                if ((ri->kind != KV_LIST && ri->kind != KV_TUPLE) || ri->n != 2) ok = fe_err(p, ri->off, KILN_ERR_ARG, "%s(): each range is (min, max)", f->name);
                for (int k = 0; ok && k < 2; k++) ok = fe_arg_number(p, &ri->items[k], f->name, "range", &r[k], &iv, NULL);
                if (ok && r[0] > r[1]) ok = fe_err(p, ri->off, KILN_ERR_ARG, "max must be larger than min in range parameter.");
                if (ok && (!isfinite(r[0]) || !isfinite(r[1]))) ok = fe_err(p, ri->off, KILN_ERR_ARG, "supplied range of [%g, %g] is not finite", r[0], r[1]);
            }
            if (ok && !given_range && n == 0) r[1] = 1; /* (no points: NumPy's 0 to 1) */
            if (ok && !given_range && n > 0) { /* the column's min and max */
                const double *d = (const double *)sv[i]->data;
                r[0] = r[1] = d[0];
                for (int64_t k = 0; k < n; k++) {
                    if (isnan(d[k])) r[0] = r[1] = NAN;
                    if (!isnan(r[0])) r[0] = d[k] < r[0] ? d[k] : r[0], r[1] = d[k] > r[1] ? d[k] : r[1];
                }
                if (!isfinite(r[0]) || !isfinite(r[1])) ok = range_not_finite(p, xoff, r[0], r[1]);
            }
            bool f32 = st == KILN_F32 && !given_range;
            if (ok && r[0] == r[1]) { /* 0.5 either side (in float32 for float32 points) */
                r[0] = f32 ? (double)((float)r[0] - 0.5f) : r[0] - 0.5;
                r[1] = f32 ? (double)((float)r[1] + 0.5f) : r[1] + 0.5;
            }
            ev[i] = ok ? equal_edges(c, nb, r[0], r[1], f32 ? KILN_F32 : KILN_F64, f32) : NULL;
            ok = ok && fe_got(p, ev[i], off);
        } else if (ok) { /* the edges given */
            kiln_expr *e = keep(t, fe_arg_expr(p, b, f->name, "bins"));
            if (e && e->ndim != 1) ok = fe_err(p, b->off, KILN_ERR_ARG, "`bins[%d]` must be a scalar or 1d array", i);
            ev[i] = ok && e ? value_now(p, e, b->off) : NULL;
            ok = ok && ev[i];
        }
        kiln_array *e64 = NULL;
        if (ok && kiln_array_size(ev[i]) == 0) ok = fe_err(p, b->off, KILN_ERR_INDEX, "index -1 is out of bounds for axis 0 with size 0");
        if (ok) { /* the edges as float64, checked increasing */
            kiln_expr *ee = keep(t, kiln_var(c, ev[i]));
            edges[i] = ee;
            edt[i] = kiln_array_dtype(ev[i]);
            e64 = value_now(p, keep(t, kiln_cast(c, ee, KILN_F64)), off);
            ok = e64 != NULL;
            for (int64_t k = 1; ok && k < kiln_array_size(e64); k++)
                if (((double *)e64->data)[k - 1] > ((double *)e64->data)[k])
                    ok = fe_err(p, b->off, KILN_ERR_ARG, "`bins[%d]` must be monotonically increasing, when an array", i);
        }
        kiln_array_free(ev[i]);
        ev[i] = e64;
    }
    if (ok && w) ok = (wv = value_now(p, keep(t, kiln_cast(c, w, KILN_F64)), off)) != NULL;
    kiln_array *H = NULL;
    int64_t ne[KILN_MAX_DIMS], hs[KILN_MAX_DIMS], cells = 1;
    for (int i = 0; ok && i < D; i++) {
        ne[i] = kiln_array_size(ev[i]), hs[i] = ne[i] > 1 ? ne[i] - 1 : 0;
        if (hs[i] && cells > INT64_MAX / 8 / hs[i]) ok = fe_err(p, off, KILN_ERR_NOMEM, "%s(): too many bins", f->name);
        cells *= hs[i];
    }
    if (ok) ok = fe_got(p, H = kiln_array_new(c, KILN_F64, D, hs), off);
    if (ok) {
        double *h = (double *)H->data, total = 0;
        for (int64_t k = 0; k < cells; k++) h[k] = 0;
        for (int64_t k = 0; k < n; k++) {
            int64_t at = 0;
            bool in = true;
            for (int i = 0; in && i < D; i++) {
                const double *e = (const double *)ev[i]->data;
                double v = ((const double *)sv[i]->data)[k];
                int64_t j = search_right(e, ne[i], v) - (ne[i] && v == e[ne[i] - 1]); /* (the last edge: in the last bin) */
                in = j >= 1 && j <= hs[i];
                at = at * hs[i] + j - 1;
            }
            if (in) h[at] += wv ? ((double *)wv->data)[k] : 1;
        }
        if (density) { /* / each bin's width along each axis in turn (np.diff of the edges, in their dtype), then / the total */
            for (int64_t k = 0; k < cells; k++) total += h[k];
            for (int64_t k = 0; k < cells; k++) {
                int64_t idx[KILN_MAX_DIMS], rest = k;
                for (int i = D - 1; i >= 0; i--) idx[i] = rest % hs[i], rest /= hs[i];
                for (int i = 0; i < D; i++) {
                    const double *e = (const double *)ev[i]->data;
                    double lo = e[idx[i]], hi = e[idx[i] + 1];
                    h[k] /= edt[i] == KILN_F32 ? (double)((float)hi - (float)lo) : hi - lo;
                }
                h[k] /= total;
            }
        }
    }
    for (int i = 0; i < D; i++) kiln_array_free(ev[i]), kiln_array_free(sv[i]);
    kiln_array_free(wv);
    *Hout = H ? keep(t, kiln_var(c, H)) : NULL;
    kiln_array_free(H);
    return ok && *Hout;
}

/* bool density=None and weights=None (1-D, one for each of n points) of a histogram's arguments */
static bool histogram_weights(parser *p, const fe_fn *f, fe_args *a, tmps *t, int64_t n, bool *density, kiln_expr **w) {
    *w = NULL;
    if (given_not_none(a, "density") && !fe_arg_bool(p, arg(a, "density"), f->name, "density", density)) return false;
    if (!given_not_none(a, "weights")) return true;
    if (!(*w = keep(t, expr_of(p, f, a, "weights")))) return false;
    if ((*w)->ndim != 1 || (*w)->shape[0] != n) return fe_err(p, arg(a, "weights")->off, KILN_ERR_SHAPE, "%s(): weights must be 1-D, one for each point", f->name);
    return true;
}

/* bins given as an array of one dim or more: its items as a list in its place, as NumPy's
 * len(bins) and bins[i] see it (a 1-D array's numbers, a 2-D one's rows of edges). */
static bool bins_items(parser *p, kval *bv) {
    if (bv->kind != KV_ARRAY || bv->e->ndim == 0) return true;
    kval list = {.kind = KV_LIST, .off = bv->off};
    if (!fe_items(p, bv, &list.items, &list.n)) return false;
    for (int i = 0; i < list.n; i++) list.items[i].off = bv->off;
    kval_free(p->ctx, bv);
    *bv = list;
    return true;
}

/* histogram2d(x, y, bins=10, range=None, density=None, weights=None): (H, xedges, yedges), NumPy's
 * histogramdd of the points (x, y); bins of two items (a list, a tuple, an array's two numbers or
 * rows) is one for each axis, of one item an error, of more the edges of both (NumPy's rule) */
static bool h_histogram2d(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_expr *xy[2] = {keep(&t, expr_of(p, f, a, "x")), NULL}, *w = NULL, *edges[2] = {NULL, NULL}, *H = NULL;
    xy[1] = xy[0] ? keep(&t, expr_of(p, f, a, "y")) : NULL;
    if (!xy[1]) return done(p, &t, out, NULL, off);
    if (xy[0]->ndim != 1 || xy[1]->ndim != 1 || xy[0]->shape[0] != xy[1]->shape[0]) {
        tmps_free(&t);
        return fe_err(p, off, KILN_ERR_SHAPE, "histogram2d(): x and y must be 1-D and of the same length");
    }
    bool density = false;
    kval *bv = arg(a, "bins");
    int64_t nb = bv->kind == KV_LIST || bv->kind == KV_TUPLE ? bv->n : bv->kind == KV_ARRAY && bv->e->ndim ? bv->e->shape[0] : -1;
    if (nb == 1) return tmps_free(&t), fe_err(p, bv->off, KILN_ERR_ARG, "The dimension of bins must be equal to the dimension of the sample x.");
    if (nb == 2 && !bins_items(p, bv)) return done(p, &t, out, NULL, off);
    bool per_axis = nb == 2; /* [bx, by] */
    if (!histogram_weights(p, f, a, &t, xy[0]->shape[0], &density, &w) ||
        !histogram_nd(p, &t, f, 2, xy, bv, per_axis, arg(a, "range"), w, density, arg(a, "x")->off, off, edges, &H))
        return done(p, &t, out, NULL, off);
    return tuple_result(p, &t, out, (kiln_expr *[]){H, edges[0], edges[1]}, 3, off);
}

/* histogramdd(sample, bins=10, range=None, density=None, weights=None): (H, [edges of each
 * dimension]), NumPy's: sample an (N, D) array of N points (a 1-D one: N points of one
 * dimension), or a list of D columns; bins an integer, or one (an integer or edges) for each
 * dimension */
static bool h_histogramdd(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kval *sa = arg(a, "sample");
    bool columns = sa->kind == KV_LIST || sa->kind == KV_TUPLE; /* (NumPy's atleast_2d(sample).T) */
    kiln_expr *s = keep(&t, expr_of(p, f, a, "sample")), *cols[KILN_MAX_DIMS], *w = NULL, *edges[KILN_MAX_DIMS] = {0}, *H = NULL;
    if (!s) return done(p, &t, out, NULL, off);
    if (s->ndim > 2) return tmps_free(&t), fe_err(p, sa->off, KILN_ERR_SHAPE, "%s(): sample must be an (N, D) array of N points or a list of D columns", f->name);
    if (s->ndim < 2) s = keep(&t, kiln_reshape(c, s, 2, (int64_t[]){1, ir_size(s)}));
    else if (!columns) s = keep(&t, kiln_transpose(c, s));
    if (!s) return done(p, &t, out, NULL, off);
    int D = (int)s->shape[0];
    if (D < 1 || D > KILN_MAX_DIMS) return tmps_free(&t), fe_err(p, sa->off, KILN_ERR_SHAPE, "%s(): kiln counts points of 1 to %d dimensions, not %d", f->name, KILN_MAX_DIMS, D);
    for (int i = 0; i < D; i++)
        if (!(cols[i] = keep(&t, kiln_index(c, s, 1, &(kiln_ix){.kind = KILN_IX_INDEX, .index = i})))) return done(p, &t, out, NULL, off);
    bool density = false;
    kval *bv = arg(a, "bins");
    if (!bins_items(p, bv)) return done(p, &t, out, NULL, off); /* an array: an integer or a row of edges for each dimension */
    bool per_axis = bv->kind == KV_LIST || bv->kind == KV_TUPLE;
    if (per_axis && bv->n != D) return tmps_free(&t), fe_err(p, bv->off, KILN_ERR_ARG, "The dimension of bins must be equal to the dimension of the sample x.");
    if (!histogram_weights(p, f, a, &t, s->shape[1], &density, &w) ||
        !histogram_nd(p, &t, f, D, cols, bv, per_axis, arg(a, "range"), w, density, sa->off, off, edges, &H))
        return done(p, &t, out, NULL, off);
    kval *ev = kiln_calloc(c, (size_t)D * sizeof *ev), *items = kiln_calloc(c, 2 * sizeof *items);
    bool ok = fe_got(p, ev, off) && fe_got(p, items, off) && fe_set_expr(p, &items[0], kiln_expr_retain(H), off);
    for (int i = 0; ok && i < D; i++) ok = fe_set_expr(p, &ev[i], kiln_expr_retain(edges[i]), off);
    tmps_free(&t);
    if (ok) {
        items[1] = (kval){.kind = KV_LIST, .off = off, .n = D, .items = ev};
        *out = (kval){.kind = KV_TUPLE, .off = off, .n = 2, .items = items};
        return true;
    }
    for (int i = 0; ev && i < D; i++) kval_free(c, &ev[i]);
    if (items) kval_free(c, &items[0]);
    kiln_free(c, ev), kiln_free(c, items);
    return false;
}

/* ------------------------------------------------------------------ more of NumPy's API, mostly as compositions */

/* NAME called with a's arguments (taken over), as spec lists them: "x" positional, "k=y" a's y as
 * keyword k; one not given is left out (a positional one only at the end). */
static bool recall(parser *p, const char *name, fe_args *a, const char *const *spec, size_t off, kval *out) {
    kval pos[FE_MAX_ARGS];
    fe_kwarg kw[FE_MAX_ARGS];
    int np = 0, nk = 0;
    for (int i = 0; spec[i]; i++) {
        const char *eq = strchr(spec[i], '='), *from = eq ? eq + 1 : spec[i];
        kval *v = arg(a, from);
        if (v->kind == KV_ABSENT) continue;
        if (eq) {
            kw[nk] = (fe_kwarg){.off = v->off};
            snprintf(kw[nk].name, sizeof kw[nk].name, "%.*s", (int)(eq - spec[i]), spec[i]);
            kw[nk++].v = *v;
        } else {
            pos[np++] = *v;
        }
        *v = (kval){.kind = KV_ABSENT, .off = v->off};
    }
    return fe_call(p, name, off, NULL, pos, np, kw, nk, out);
}

/* One name for another's handler under NumPy's other name (f->op: which), its arguments as they came. */
static bool h_alias(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    static const struct {
        const char *to;
        const char *spec[4];
    } to[] = {{"asarray", {"a", "dtype=dtype"}}, {"str", {"a"}}, {"repr", {"arr"}}, {"copy", {"x"}}, {"asarray", {"val"}},
              {"diag", {"v", "k=k"}}, {"transpose", {"a", "axes=axes"}}, {"vstack", {"tup"}}, {"concatenate", {"arrays", "axis=axis"}},
              {"asarray", {"a", "dtype=dtype"}}, {"asarray", {"a", "dtype=dtype"}}};
    KILN_ASSERT(f->op >= 0 && (size_t)f->op < sizeof to / sizeof *to);
    if (f->op == 5) { /* diagflat: of v ravelled */
        kiln_expr *v = expr_of(p, f, a, "v"), *r = v ? kiln_ravel(p->ctx, v) : NULL;
        kiln_expr_free(v);
        kval_free(p->ctx, arg(a, "v"));
        if (!fe_set_expr(p, arg(a, "v"), r, off)) return false;
    }
    if (!recall(p, to[f->op].to, a, to[f->op].spec, off, out)) return false;
    if (f->op == 3 && out->kind == KV_ARRAY && out->e->dtype == KILN_BOOL) { /* conj of bools: NumPy's loop is int8's */
        kiln_expr *r = kiln_cast(p->ctx, out->e, KILN_I8);
        kval_free(p->ctx, out);
        return fe_set_expr(p, out, r, off);
    }
    if (f->op >= 9 && out->kind == KV_ARRAY && out->alias && !contiguous(out->e, f->op == 10)) out->alias = false; /* (a copy of what is not one block in that order) */
    if (f->op >= 9 && out->kind == KV_ARRAY && out->e->ndim == 0) { /* ascontiguousarray, asfortranarray: at least 1-D */
        kiln_expr *r = kiln_reshape(p->ctx, out->e, 1, (int64_t[]){1});
        bool alias = out->alias; /* (a view of the 0-d array's memory, as NumPy's) */
        kval_free(p->ctx, out);
        if (!fe_set_expr(p, out, r, off)) return false;
        out->alias = alias;
        return true;
    }
    return true;
}

/* imag(val): zeros of val's shape and dtype (kiln's numbers are real); angle(z, deg=False):
 * arctan2(0, z) (pi where z is negative, -0.0 too), in degrees when deg; isreal, iscomplex: all
 * true, all false, of val's shape; isrealobj, iscomplexobj, isscalar: Python's bools */
enum { R_IMAG, R_ANGLE, R_ISREAL, R_ISCOMPLEX, R_ISREALOBJ, R_ISCOMPLEXOBJ, R_ISSCALAR };
static bool h_real(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kiln_ctx *c = p->ctx;
    kval *v = &a->v[0];
    if (f->op >= R_ISREALOBJ)
        return fe_set_expr(p, out, kiln_bool(c, f->op == R_ISREALOBJ || (f->op == R_ISSCALAR && (v->kind == KV_STR || (v->kind == KV_ARRAY && v->e->ndim == 0)))), off);
    tmps t = {0};
    kiln_expr *x = keep(&t, fe_arg_expr(p, v, f->name, a->names[0])), *r = NULL;
    if (x && f->op == R_ANGLE) {
        bool deg = false;
        if (given(a, "deg") && !fe_arg_bool(p, arg(a, "deg"), f->name, "deg", &deg)) return done(p, &t, out, NULL, off);
        r = keep(&t, kiln_arctan2(c, keep(&t, kiln_int(c, 0)), x));
        if (r && deg) r = keep(&t, kiln_mul(c, r, keep(&t, kiln_scalar(c, 180.0 / 3.141592653589793))));
    } else if (x) {
        kiln_expr *zero = keep(&t, f->op == R_IMAG ? kiln_const(c, (kiln_dtype)x->dtype, 0) : kiln_bool(c, f->op == R_ISREAL));
        r = zero ? keep(&t, ir_broadcast_to(&c->graph, zero, x->ndim, x->shape)) : NULL;
    }
    return done(p, &t, out, r, off);
}

/* geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0): NumPy's: a logspace between
 * the logs of |start| and |stop| (their sign start's), the ends exactly start and stop */
static bool h_geomspace(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    double v[2];
    int64_t iv[2], num = 50, axis = 0;
    bool endpoint = true;
    kiln_dtype dt = KILN_F64;
    for (int k = 0; k < 2; k++)
        if (!fe_arg_number(p, arg(a, k ? "stop" : "start"), f->name, k ? "stop" : "start", &v[k], &iv[k], NULL)) return false;
    if ((given(a, "num") && !fe_arg_int(p, arg(a, "num"), f->name, "num", &num)) ||
        (given(a, "endpoint") && !fe_arg_bool(p, arg(a, "endpoint"), f->name, "endpoint", &endpoint)) ||
        (given_not_none(a, "dtype") && !fe_arg_dtype(p, arg(a, "dtype"), f->name, &dt)) ||
        (given(a, "axis") && !fe_arg_int(p, arg(a, "axis"), f->name, "axis", &axis)))
        return false;
    if (v[0] == 0 || v[1] == 0) return fe_err(p, off, KILN_ERR_ARG, "Geometric sequence cannot include zero");
    if (num < 0) return fe_err(p, arg(a, "num")->off, KILN_ERR_ARG, "Number of samples, %lld, must be non-negative.", (long long)num);
    if (axis != 0 && axis != -1) return fe_err(p, arg(a, "axis")->off, KILN_ERR_ARG, "%s(): axis %lld is out of bounds for array of dimension 1", f->name, (long long)axis);
    kiln_array *r = kiln_array_new(p->ctx, KILN_F64, 1, &num);
    if (!fe_got(p, r, off)) return false;
    double sign = v[0] < 0 ? -1.0 : 1.0, lo = log10(v[0] / sign), hi = log10(v[1] / sign), *d = (double *)r->data;
    double div = endpoint ? (double)(num - 1) : (double)num, step = div > 0 ? (hi - lo) / div : 0;
    for (int64_t i = 0; i < num; i++) d[i] = (double)i * step + lo;
    if (endpoint && num > 1) d[num - 1] = hi;
    if (!fe_got(p, r = pow_of(p->ctx, 10.0, r), off)) return false;
    d = (double *)r->data;
    if (num > 0) d[0] = v[0] / sign;
    if (num > 1 && endpoint) d[num - 1] = v[1] / sign;
    for (int64_t i = 0; i < num; i++) d[i] *= sign;
    if (dt == KILN_F64) return array_result(p, out, r, off);
    kiln_expr *e = kiln_var(p->ctx, r), *ce = e ? kiln_cast(p->ctx, e, dt) : NULL;
    kiln_array_free(r);
    kiln_expr_free(e);
    return fe_set_expr(p, out, ce, off);
}

/* vander(x, N=None, increasing=False): the powers of x as columns, each the one before times x
 * (NumPy's multiply.accumulate), highest first unless increasing */
static bool h_vander(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kiln_expr *x = keep(&t, expr_of(p, f, a, "x"));
    int64_t n = 0;
    bool inc = false;
    if (!x || (given(a, "increasing") && !fe_arg_bool(p, arg(a, "increasing"), f->name, "increasing", &inc))) return done(p, &t, out, NULL, off);
    if (x->ndim != 1) {
        tmps_free(&t);
        return fe_err(p, arg(a, "x")->off, KILN_ERR_ARG, "x must be a one-dimensional array or sequence.");
    }
    n = x->shape[0];
    if (given_not_none(a, "N") && !fe_arg_int(p, arg(a, "N"), f->name, "N", &n)) return done(p, &t, out, NULL, off);
    if (n < 0) {
        tmps_free(&t);
        return fe_err(p, arg(a, "N")->off, KILN_ERR_ARG, "negative dimensions are not allowed");
    }
    kiln_dtype dt = dtype_promote((kiln_dtype)x->dtype, KILN_I64); /* (NumPy's promote_types(x.dtype, int)) */
    int64_t shape[2] = {x->shape[0], n};
    kiln_expr *col = keep(&t, kiln_reshape(c, keep(&t, kiln_cast(c, x, dt)), 2, (int64_t[]){x->shape[0], 1}));
    kiln_expr *cols = n > 1 ? keep(&t, ir_broadcast_to(&c->graph, col, 2, (int64_t[]){x->shape[0], n - 1})) : NULL;
    kiln_expr *ones = keep(&t, ir_broadcast_to(&c->graph, keep(&t, kiln_const(c, dt, 1)), 2, (int64_t[]){x->shape[0], n ? 1 : 0}));
    kiln_expr *all = n > 1 ? keep(&t, kiln_concatenate(c, 2, (kiln_expr *[]){ones, cols}, 1)) : ones;
    kiln_expr *pw = all ? keep(&t, kiln_cumprod(c, all, 1)) : NULL;
    if (pw && !inc && n > 1) pw = slice_along(p, &t, pw, 1, n - 1, -1, -1);
    if (pw && (pw->shape[0] != shape[0] || pw->shape[1] != shape[1])) pw = NULL;
    return done(p, &t, out, pw, off);
}

/* indices(dimensions, dtype=int, sparse=False): each axis's index over the grid, stacked (or, sparse,
 * a tuple of each along its own axis) */
static bool h_indices(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    int nd;
    int64_t dims[KILN_MAX_DIMS];
    kiln_dtype dt = KILN_I64;
    bool sparse = false;
    if (!fe_arg_shape(p, arg(a, "dimensions"), f->name, "dimensions", &nd, dims) ||
        (given_not_none(a, "dtype") && !fe_arg_dtype(p, arg(a, "dtype"), f->name, &dt)) ||
        (given(a, "sparse") && !fe_arg_bool(p, arg(a, "sparse"), f->name, "sparse", &sparse)))
        return false;
    if (nd >= KILN_MAX_DIMS) return fe_err(p, off, KILN_ERR_SHAPE, "%s(): more than %d dimensions", f->name, KILN_MAX_DIMS - 1);
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kiln_expr *parts[KILN_MAX_DIMS];
    for (int k = 0; k < nd; k++) {
        if (dims[k] < 0) {
            tmps_free(&t);
            return fe_err(p, off, KILN_ERR_SHAPE, "negative dimensions are not allowed");
        }
        int64_t shape[KILN_MAX_DIMS];
        for (int d = 0; d < nd; d++) shape[d] = d == k ? dims[k] : 1;
        kiln_array *r = kiln_array_new(c, dt, 1, &dims[k]);
        for (int64_t i = 0; r && i < dims[k]; i++) ref_store((char *)r->data + i * (int64_t)kiln_dtype_size(dt), dt, ref_cast((kscalar){.i64 = i}, KILN_I64, dt));
        kiln_expr *e = r ? keep(&t, kiln_var(c, r)) : NULL;
        kiln_array_free(r);
        e = e ? keep(&t, kiln_reshape(c, e, nd, shape)) : NULL;
        parts[k] = e && !sparse ? keep(&t, ir_broadcast_to(&c->graph, e, nd, dims)) : e;
        if (!parts[k]) return done(p, &t, out, NULL, off);
    }
    if (sparse) return tuple_result(p, &t, out, parts, nd, off);
    if (nd == 0) {
        int64_t zero = 0;
        kiln_array *r = kiln_array_new(c, dt, 1, &zero);
        tmps_free(&t);
        return array_result(p, out, r, off);
    }
    return done(p, &t, out, keep(&t, kiln_stack(c, nd, parts, 0)), off);
}

/* diag_indices(n, ndim=2) and diag_indices_from(arr): ndim times arange(n) */
static bool h_diag_indices(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    int64_t n, nd = 2;
    if (f->op) { /* from arr: its dims, all equal, at least 2 */
        kiln_expr *x = expr_of(p, f, a, "arr");
        if (!x) return false;
        bool ok = x->ndim >= 2;
        for (int d = 1; ok && d < x->ndim; d++) ok = x->shape[d] == x->shape[0];
        n = x->ndim ? x->shape[0] : 0, nd = x->ndim;
        kiln_expr_free(x);
        if (!ok) return fe_err(p, arg(a, "arr")->off, KILN_ERR_ARG, nd < 2 ? "input array must be at least 2-d" : "All dimensions of input must be of equal length");
    } else if (!fe_arg_int(p, arg(a, "n"), f->name, "n", &n) || (given(a, "ndim") && !fe_arg_int(p, arg(a, "ndim"), f->name, "ndim", &nd))) {
        return false;
    }
    if (n < 0) n = 0; /* (arange(-2): empty) */
    if (nd < 0 || nd > 64) return fe_err(p, off, KILN_ERR_ARG, "%s(): ndim must be from 0 to 64", f->name);
    kiln_array *r = kiln_array_new(p->ctx, KILN_I64, 1, &n);
    if (!fe_got(p, r, off)) return false;
    for (int64_t i = 0; i < n; i++) ((int64_t *)r->data)[i] = i;
    tmps t = {0};
    kiln_expr *e = keep(&t, kiln_var(p->ctx, r)), *parts[64];
    kiln_array_free(r);
    for (int k = 0; k < nd; k++) parts[k] = e;
    return e ? tuple_result(p, &t, out, parts, (int)nd, off) : done(p, &t, out, NULL, off);
}

/* tril_indices_from(arr, k=0), triu_indices_from(arr, k=0): of a 2-d arr's shape */
static bool h_tri_indices_from(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kiln_expr *x = expr_of(p, f, a, "arr");
    if (!x) return false;
    int64_t n = x->ndim == 2 ? x->shape[0] : 0, m = x->ndim == 2 ? x->shape[1] : 0;
    bool two = x->ndim == 2;
    kiln_expr_free(x);
    if (!two) return fe_err(p, arg(a, "arr")->off, KILN_ERR_ARG, "input array must be 2-d");
    fe_kwarg kw[3] = {{.name = "n", .off = off}, {.name = "m", .off = off}, {.name = "k", .off = off}};
    int nk = 2;
    if (!fe_set_expr(p, &kw[0].v, kiln_int(p->ctx, n), off)) return false;
    if (!fe_set_expr(p, &kw[1].v, kiln_int(p->ctx, m), off)) return kval_free(p->ctx, &kw[0].v), false;
    if (given(a, "k")) kw[nk++].v = *arg(a, "k"), *arg(a, "k") = (kval){.kind = KV_ABSENT};
    return fe_call(p, f->op ? "tril_indices" : "triu_indices", off, NULL, NULL, 0, kw, nk, out);
}


/* ravel_multi_index(multi_index, dims, mode='raise', order='C'): the flat positions of the
 * coordinates (one array per dim, broadcast together) in an array of shape dims, computed now;
 * mode 'raise', 'wrap' or 'clip' (one, or one per dim) for coordinates outside */
static bool h_ravel_multi_index(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    int nd;
    int64_t dims[KILN_MAX_DIMS];
    kval *mi = arg(a, "multi_index"), *mv = arg(a, "mode"), *ov = arg(a, "order");
    if (!fe_arg_shape(p, arg(a, "dims"), f->name, "dims", &nd, dims)) return false;
    if ((mi->kind != KV_TUPLE && mi->kind != KV_LIST) || mi->n != nd)
        return fe_err(p, mi->off, KILN_ERR_ARG, "parameter multi_index must be a sequence of length %d", nd);
    char mode[KILN_MAX_DIMS] = {0};
    for (int d = 0; d < nd; d++) {
        const kval *m = mv->kind == KV_TUPLE || mv->kind == KV_LIST ? (d < mv->n ? &mv->items[d] : NULL) : mv;
        const char *s = !m || m->kind == KV_ABSENT ? "raise" : m->kind == KV_STR ? m->s : NULL;
        if (!s || (strcmp(s, "raise") && strcmp(s, "wrap") && strcmp(s, "clip")))
            return fe_err(p, mv->off, KILN_ERR_ARG, "clipmode must be one of 'clip', 'raise', or 'wrap'");
        mode[d] = s[0];
    }
    double cells = 1;
    for (int d = 0; d < nd; d++) cells *= (double)(dims[d] > 0 ? dims[d] : 1);
    for (int d = 0; d < nd; d++)
        if (dims[d] < 0 || cells > 9.2e18) return fe_err(p, arg(a, "dims")->off, KILN_ERR_ARG, dims[d] < 0 ? "dimensions must be non-negative" : "invalid dims: array size defined by dims is larger than the maximum possible size.");
    bool fortran = ov->kind == KV_STR && !strcmp(ov->s, "F");
    if (ov->kind != KV_ABSENT && (ov->kind != KV_STR || (strcmp(ov->s, "C") && strcmp(ov->s, "F"))))
        return fe_err(p, ov->off, KILN_ERR_ARG, "only 'C' or 'F' order is permitted");
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kiln_expr *ix[KILN_MAX_DIMS];
    int bn = 0;
    int64_t bshape[KILN_MAX_DIMS];
    for (int d = 0; d < nd; d++) {
        if (!(ix[d] = keep(&t, fe_arg_expr(p, &mi->items[d], f->name, "multi_index")))) return done(p, &t, out, NULL, off);
        if (!dtype_is_int((kiln_dtype)ix[d]->dtype) && ix[d]->dtype != KILN_BOOL) {
            tmps_free(&t);
            return fe_err(p, mi->items[d].off, KILN_ERR_ARG, "only int indices permitted");
        }
        if (!fe_merge_shape(&bn, bshape, ix[d])) {
            tmps_free(&t);
            return fe_err(p, mi->off, KILN_ERR_SHAPE, "shape mismatch: objects cannot be broadcast to a single shape");
        }
    }
    kiln_array *v[KILN_MAX_DIMS] = {NULL};
    bool ok = true;
    for (int d = 0; d < nd && ok; d++) {
        kiln_expr *b = fe_broadcast_to(p, &t, keep(&t, kiln_cast(c, ix[d], KILN_I64)), bn, bshape, f->name, off);
        ok = b && (v[d] = value_now(p, b, off));
    }
    kiln_array *r = ok ? kiln_array_new(c, KILN_I64, bn, bshape) : NULL;
    ok = ok && fe_got(p, r, off);
    for (int64_t i = 0, n = ok ? kiln_array_size(r) : 0; i < n && ok; i++) {
        int64_t flat = 0;
        for (int k = 0; k < nd && ok; k++) {
            int d = fortran ? nd - 1 - k : k;
            int64_t x = ((const int64_t *)v[d]->data)[i], len = dims[d];
            if (x < 0 || x >= len) {
                if (mode[d] == 'r') ok = fe_err(p, mi->items[d].off, KILN_ERR_INDEX, "invalid entry in coordinates array");
                else if (mode[d] == 'w') x = len ? ((x % len) + len) % len : 0;
                else x = x < 0 ? 0 : len - 1;
            }
            flat = flat * len + x;
        }
        if (ok) ((int64_t *)r->data)[i] = flat;
    }
    for (int d = 0; d < nd; d++) kiln_array_free(v[d]);
    tmps_free(&t);
    if (!ok) return kiln_array_free(r), false;
    return array_result(p, out, r, off);
}

/* broadcast_shapes(*args): the shapes (tuples or ints) broadcast together, as a tuple */
static bool h_broadcast_shapes(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kval *sv = arg(a, "args");
    int nd = 0;
    int64_t shape[KILN_MAX_DIMS];
    for (int k = 0; sv->kind == KV_TUPLE && k < sv->n; k++) {
        int n;
        int64_t s[KILN_MAX_DIMS];
        if (!fe_arg_shape(p, &sv->items[k], f->name, "shape", &n, s)) return false;
        kiln_expr shaped = {.ndim = n};
        memcpy(shaped.shape, s, (size_t)n * sizeof *s);
        if (!fe_merge_shape(&nd, shape, &shaped)) return fe_err(p, sv->items[k].off, KILN_ERR_SHAPE, "shape mismatch: objects cannot be broadcast to a single shape");
    }
    kval *items = nd ? kiln_calloc(p->ctx, (size_t)nd * sizeof *items) : NULL;
    if (nd && !fe_got(p, items, off)) return false;
    for (int d = 0; d < nd; d++)
        if (!fe_set_expr(p, &items[d], kiln_int(p->ctx, shape[d]), off)) {
            for (int k = 0; k < d; k++) kval_free(p->ctx, &items[k]);
            kiln_free(p->ctx, items);
            return false;
        }
    *out = (kval){.kind = KV_TUPLE, .off = off, .n = nd, .items = items};
    return true;
}

/* broadcast_arrays(*args): each array broadcast to their common shape (a tuple of views) */
static bool h_broadcast_arrays(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kval *xv = arg(a, "args");
    int n = xv->kind == KV_TUPLE ? xv->n : 0, nd = 0;
    int64_t shape[KILN_MAX_DIMS];
    tmps t = {0};
    kiln_expr *xs[FE_MAX_ARGS] = {0};
    if (n > FE_MAX_ARGS) return fe_err(p, off, KILN_ERR_ARG, "%s(): too many arrays", f->name);
    for (int k = 0; k < n; k++) {
        if (!(xs[k] = keep(&t, fe_arg_expr(p, &xv->items[k], f->name, "args")))) return done(p, &t, out, NULL, off);
        if (!fe_merge_shape(&nd, shape, xs[k])) {
            tmps_free(&t);
            return fe_err(p, xv->items[k].off, KILN_ERR_SHAPE, "shape mismatch: objects cannot be broadcast to a single shape");
        }
    }
    bool alias[FE_MAX_ARGS], same = true; /* (all of the shape already: NumPy's returns the arrays themselves) */
    for (int k = 0; k < n; k++) same &= xs[k]->ndim == nd && !memcmp(xs[k]->shape, shape, (size_t)nd * sizeof *shape);
    for (int k = 0; k < n; k++) {
        alias[k] = xv->items[k].alias;
        kiln_expr *r = fe_broadcast_to(p, &t, xs[k], nd, shape, f->name, off); /* (as broadcast_to's) */
        if (!(xs[k] = r && alias[k] ? keep(&t, ir_broadcast_to(&p->ctx->graph, xs[k], nd, shape)) : r)) return done(p, &t, out, NULL, off);
    }
    if (!tuple_result(p, &t, out, xs, n, off)) return false;
    for (int k = 0; k < n; k++) out->items[k].alias = alias[k], out->items[k].readonly = !same; /* (views NumPy warns against writing through: kiln refuses) */
    return true;
}

/* finfo(dtype) (f->op 0), iinfo(int_type) (1): the dtype's limits, of a dtype, its name or a
 * scalar (np.finfo(1.0) is float64's) */
static bool h_info(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kval *v = arg(a, f->op ? "int_type" : "dtype");
    kiln_dtype dt;
    if (v->kind == KV_ARRAY && v->e->ndim)
        return fe_err(p, v->off, KILN_ERR_DTYPE, "%s(): takes a dtype or a scalar, not a %d-dimensional array (pass its .dtype)", f->name, v->e->ndim);
    if (v->kind == KV_ARRAY) dt = (kiln_dtype)v->e->dtype;
    else if (!fe_arg_dtype(p, v, f->name, &dt)) return false;
    if (f->op ? !dtype_is_int(dt) : !dtype_is_float(dt))
        return fe_err(p, v->off, KILN_ERR_DTYPE, f->op ? "iinfo(): invalid integer data type %s (iinfo takes int8, uint8, int16, uint16, int32, uint32 or int64)"
                                                       : "finfo(): data type %s not inexact (finfo takes float32 or float64)",
                      kiln_dtype_name(dt));
    *out = (kval){.kind = KV_INFO, .off = off, .dt = dt};
    return true;
}

/* An attribute of finfo(dt) or iinfo(dt), as NumPy's: limits of a float dtype are its scalars
 * (finfo(float32).eps is a float32), counts and an integer dtype's limits Python ints. */
static bool info_attribute(parser *p, kiln_dtype dt, const char *name, size_t off, kval *out) {
    memset(out, 0, sizeof *out);
    out->off = off;
    if (!strcmp(name, "dtype")) {
        *out = (kval){.kind = KV_DTYPE, .off = off, .dt = dt};
        return true;
    }
    if (!strcmp(name, "bits")) return fe_set_expr(p, out, kiln_int(p->ctx, 8 * (int64_t)kiln_dtype_size(dt)), off);
    const fe_finfo *f = fe_finfo_of(dt);
    if (!f) {
        int64_t lo, hi;
        dtype_int_bounds(dt, &lo, &hi);
        if (!strcmp(name, "min") || !strcmp(name, "max")) return fe_set_expr(p, out, kiln_int(p->ctx, name[1] == 'i' ? lo : hi), off);
        if (!strcmp(name, "kind")) {
            out->kind = KV_STR;
            out->s = kiln_strdup(p->ctx, dtype_is_unsigned(dt) ? "u" : "i");
            return fe_got(p, out->s, off);
        }
        return fe_err(p, off, KILN_ERR_NAME, "an iinfo has no attribute '%s' (it has bits dtype kind min max)", name);
    }
    static const char *const counts[] = {"machep", "negep", "maxexp", "minexp", "nexp", "nmant", "precision", "iexp"};
    const int count[] = {f->machep, f->negep, f->maxexp, f->minexp, f->nexp, f->nmant, f->precision, f->nexp};
    for (size_t i = 0; i < sizeof counts / sizeof *counts; i++)
        if (!strcmp(name, counts[i])) return fe_set_expr(p, out, kiln_int(p->ctx, count[i]), off);
    static const char *const limits[] = {"eps", "epsneg", "max", "min", "resolution", "tiny", "smallest_normal", "smallest_subnormal"};
    const double limit[] = {f->eps, f->epsneg, f->max, -f->max, f->resolution, f->tiny, f->tiny, f->subnormal};
    for (size_t i = 0; i < sizeof limits / sizeof *limits; i++)
        if (!strcmp(name, limits[i])) {
            kiln_expr *w = kiln_scalar(p->ctx, limit[i]), *x = w ? kiln_cast(p->ctx, w, dt) : NULL;
            kiln_expr_free(w);
            return fe_set_expr(p, out, x, off);
        }
    return fe_err(p, off, KILN_ERR_NAME,
                  "a finfo has no attribute '%s' (it has bits dtype eps epsneg machep negep max min maxexp minexp nexp nmant iexp "
                  "precision resolution tiny smallest_normal smallest_subnormal)", name);
}

/* Whether NumPy's casting rule (no, equiv, safe, same_kind, unsafe) lets dtype from be cast to to. */
static bool cast_allowed(kiln_dtype from, kiln_dtype to, const char *casting) {
    return casting[0] == 'u'                      ? true /* unsafe */
         : casting[0] == 'n' || casting[0] == 'e' ? from == to
         : !strcmp(casting, "safe")               ? from == to || dtype_promote(from, to) == to
                                                  : dtype_kind_order(from) <= dtype_kind_order(to); /* same_kind */
}

static bool casting_valid(const char *s) {
    return !strcmp(s, "no") || !strcmp(s, "equiv") || !strcmp(s, "safe") || !strcmp(s, "same_kind") || !strcmp(s, "unsafe");
}

/* result_type(*arrays_and_dtypes), promote_types(type1, type2): NumPy's promotion (a Python
 * number weak); can_cast(from_, to, casting='safe'): whether NumPy's casting rule allows it */
enum { T_RESULT, T_PROMOTE, T_CAN_CAST, T_DTYPE };
static bool dtype_of_kval(parser *p, const fe_fn *f, const kval *v, kiln_dtype *dt, bool *weak) {
    *weak = v->kind == KV_ARRAY && fe_is_py(v);
    if (v->kind == KV_ARRAY) return (*dt = (kiln_dtype)v->e->dtype), true;
    return fe_arg_dtype(p, v, f->name, dt);
}
static bool h_types(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kiln_dtype dts[FE_MAX_ARGS];
    bool weak[FE_MAX_ARGS];
    int n = 0;
    if (f->op == T_DTYPE) { /* np.dtype('f8') */
        kval *v = arg(a, "dtype");
        if (v->kind == KV_ARRAY)
            return fe_err(p, v->off, KILN_ERR_DTYPE, "dtype(): cannot interpret %s as a data type", fe_is_py(v) ? "a number" : "an array");
        *out = (kval){.kind = KV_DTYPE, .off = off};
        return fe_arg_dtype(p, v, f->name, &out->dt);
    }
    if (f->op == T_RESULT) {
        kval *v = arg(a, "arrays_and_dtypes");
        if (v->kind != KV_TUPLE || v->n == 0) return fe_err(p, off, KILN_ERR_ARG, "at least one array or dtype is required");
        for (; n < v->n && n < FE_MAX_ARGS; n++)
            if (!dtype_of_kval(p, f, &v->items[n], &dts[n], &weak[n])) return false;
    } else {
        const char *pn[2] = {f->op == T_PROMOTE ? "type1" : "from_", f->op == T_PROMOTE ? "type2" : "to"};
        for (; n < 2; n++) {
            kval *v = arg(a, pn[n]);
            if (v->kind == KV_ARRAY && (f->op == T_PROMOTE || n == 1 || fe_is_py(v)))
                return fe_err(p, v->off, KILN_ERR_ARG, f->op == T_PROMOTE ? "%s(): takes dtypes" : n == 1 ? "%s(): 'to' is a dtype"
                                                                            : "%s() does not support Python ints, floats, and complex because the result used to depend on the value", f->name);
            if (!dtype_of_kval(p, f, v, &dts[n], &weak[n])) return false;
        }
    }
    if (f->op != T_CAN_CAST) {
        *out = (kval){.kind = KV_DTYPE, .off = off, .dt = f->op == T_PROMOTE ? dtype_promote(dts[0], dts[1]) : fe_result_dtype(n, dts, weak)};
        return true;
    }
    kval *cv = arg(a, "casting");
    const char *casting = cv->kind == KV_STR ? cv->s : "safe";
    if (cv->kind != KV_ABSENT && (cv->kind != KV_STR || !casting_valid(casting)))
        return fe_err(p, cv->off, KILN_ERR_ARG, "casting must be one of 'no', 'equiv', 'safe', 'same_kind', or 'unsafe'");
    return fe_set_expr(p, out, kiln_bool(p->ctx, cast_allowed(dts[0], dts[1], casting)), off);
}

/* block(arrays): nested lists of arrays joined, the innermost along the last axis, each level out
 * along the axis before; every array first given the result's ndim (ones in front) */
static kiln_expr *block_rec(parser *p, tmps *t, const kval *v, int level, int depth, int ndim, const char *fn) {
    if (level == depth) {
        if (v->kind == KV_LIST) return fe_err(p, v->off, KILN_ERR_ARG, "List depths are mismatched"), NULL;
        if (v->kind == KV_TUPLE) return fe_err(p, v->off, KILN_ERR_ARG, "arrays is a tuple. Only lists can be used to arrange blocks, and np.block does not allow implicit conversion from tuple to ndarray."), NULL;
        kiln_expr *x = keep(t, fe_arg_expr(p, v, fn, "arrays"));
        if (!x || x->ndim >= ndim) return x;
        int64_t shape[KILN_MAX_DIMS];
        for (int d = 0; d < ndim; d++) shape[d] = d < ndim - x->ndim ? 1 : x->shape[d - (ndim - x->ndim)];
        return keep(t, kiln_reshape(p->ctx, x, ndim, shape));
    }
    if (v->kind != KV_LIST) return fe_err(p, v->off, KILN_ERR_ARG, v->kind == KV_TUPLE ? "arrays is a tuple. Only lists can be used to arrange blocks, and np.block does not allow implicit conversion from tuple to ndarray." : "List depths are mismatched"), NULL;
    if (v->n == 0) return fe_err(p, v->off, KILN_ERR_ARG, "List at arrays cannot be empty"), NULL;
    if (v->n > 64) return fe_err(p, v->off, KILN_ERR_ARG, "%s(): kiln joins at most 64 blocks at one level", fn), NULL;
    kiln_expr *parts[64];
    for (int k = 0; k < v->n; k++)
        if (!(parts[k] = block_rec(p, t, &v->items[k], level + 1, depth, ndim, fn))) return NULL;
    return keep(t, kiln_concatenate(p->ctx, v->n, parts, ndim - (depth - level)));
}
static int block_depth(const kval *v, int *ndim) {
    if (v->kind != KV_LIST) {
        int nd = v->kind == KV_ARRAY ? v->e->ndim : 0;
        if (nd > *ndim) *ndim = nd;
        return 0;
    }
    int d = v->n ? block_depth(&v->items[0], ndim) : 0;
    for (int k = 1; k < v->n; k++) block_depth(&v->items[k], ndim);
    return d + 1;
}
static bool h_block(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kval *v = arg(a, "arrays");
    int ndim = 0, depth = block_depth(v, &ndim);
    if (ndim < depth) ndim = depth;
    if (ndim > KILN_MAX_DIMS) return fe_err(p, v->off, KILN_ERR_SHAPE, "%s(): more than %d dimensions", f->name, KILN_MAX_DIMS);
    return done(p, &t, out, block_rec(p, &t, v, 0, depth, ndim, f->name), off);
}

/* unique_values(x), unique_counts(x), unique_inverse(x), unique_all(x): NumPy 2's (unique with
 * equal_nan=False; the inverse in x's shape), tuples for the last three */
static bool h_unique_api(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    static const char *const flags[4][3] = {{NULL}, {"return_counts"}, {"return_inverse"}, {"return_index", "return_inverse", "return_counts"}};
    fe_kwarg kw[4];
    int nk = 0;
    for (int k = 0; k < 3 && flags[f->op][k]; k++) {
        kw[nk] = (fe_kwarg){.off = off};
        snprintf(kw[nk].name, sizeof kw[nk].name, "%s", flags[f->op][k]);
        if (!fe_set_expr(p, &kw[nk++].v, kiln_bool(p->ctx, true), off)) return false;
    }
    kw[nk] = (fe_kwarg){.off = off};
    snprintf(kw[nk].name, sizeof kw[nk].name, "equal_nan");
    if (!fe_set_expr(p, &kw[nk++].v, kiln_bool(p->ctx, false), off)) return false;
    kval x = *arg(a, "x");
    *arg(a, "x") = (kval){.kind = KV_ABSENT};
    kiln_expr *xe = x.kind == KV_ARRAY ? kiln_expr_retain(x.e) : NULL;
    if (!fe_call(p, "unique", off, NULL, &x, 1, kw, nk, out)) return kiln_expr_free(xe), false;
    if (f->op >= 2 && out->kind == KV_TUPLE && xe) { /* the inverse in x's shape */
        kval *inv = &out->items[f->op == 2 ? 1 : 2];
        kiln_expr *r = kiln_reshape(p->ctx, inv->e, xe->ndim, xe->shape);
        kval_free(p->ctx, inv);
        if (!fe_set_expr(p, inv, r, off)) return kiln_expr_free(xe), kval_free(p->ctx, out), false;
    }
    kiln_expr_free(xe);
    return named(out, &unique_results[f->op], true); /* (unique_values: an array, not named) */
}

/* histogram_bin_edges(a, bins=10, range=None, weights=None): histogram's edges */
static bool h_histogram_bin_edges(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    KILN_UNUSED(f);
    kval r = {0};
    if (!recall(p, "histogram", a, (const char *const[]){"a", "bins=bins", "range=range", "weights=weights", NULL}, off, &r)) return false;
    if (r.kind != KV_TUPLE || r.n != 2) return kval_free(p->ctx, &r), fe_got(p, NULL, off);
    *out = r.items[1];
    memset(&r.items[1], 0, sizeof r.items[1]);
    kval_free(p->ctx, &r);
    return true;
}

/* bartlett(M), blackman(M), hamming(M), hanning(M): NumPy's windows, n = arange(1 - M, M, 2) */
enum { W_BARTLETT, W_BLACKMAN, W_HAMMING, W_HANNING };
static bool h_window(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    double m;
    int64_t mi;
    if (!fe_arg_number(p, arg(a, "M"), f->name, "M", &m, &mi, NULL)) return false;
    if (!(m < 1e9)) return fe_err(p, arg(a, "M")->off, KILN_ERR_ARG, "%s(): M is too large", f->name);
    int64_t n = m < 1 ? 0 : m == 1 ? 1 : (int64_t)ceil((2 * m - 1) / 2); /* (arange(1 - M, M, 2)'s length) */
    kiln_array *r = kiln_array_new(p->ctx, KILN_F64, 1, &n);
    if (!fe_got(p, r, off)) return false;
    double *d = (double *)r->data, pi = 3.141592653589793;
    for (int64_t i = 0; i < n; i++) {
        double x = 1 - m + 2 * (double)i, q = m - 1;
        d[i] = m == 1 ? 1.0
             : f->op == W_BARTLETT ? (x <= 0 ? 1 + x / q : 1 - x / q)
             : f->op == W_BLACKMAN ? 0.42 + 0.5 * cos(pi * x / q) + 0.08 * cos(2.0 * pi * x / q)
             : f->op == W_HAMMING ? 0.54 + 0.46 * cos(pi * x / q)
                                  : 0.5 + 0.5 * cos(pi * x / q);
    }
    return array_result(p, out, r, off);
}

/* polyadd(a1, a2), polysub(a1, a2): the shorter padded with leading zeros; polymul: convolve */
enum { P_ADD, P_SUB, P_MUL, P_DER, P_INT };
static bool h_polyarith(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kiln_expr *x = keep(&t, expr_of(p, f, a, "a1")), *y = x ? keep(&t, expr_of(p, f, a, "a2")) : NULL;
    if (!y) return done(p, &t, out, NULL, off);
    for (int k = 0; k < 2; k++) { /* (atleast_1d) */
        kiln_expr **z = k ? &y : &x;
        if ((*z)->ndim == 0) *z = keep(&t, kiln_reshape(c, *z, 1, (int64_t[]){1}));
        if (!*z) return done(p, &t, out, NULL, off);
        if ((*z)->ndim != 1) {
            tmps_free(&t);
            return fe_err(p, off, KILN_ERR_ARG, "%s(): kiln's polynomials are 1-D coefficient arrays", f->name);
        }
    }
    if (f->op == P_MUL) {
        bool ok = call_exprs(p, "convolve", 2, (kiln_expr *[]){x, y}, NULL, 0, off, out);
        tmps_free(&t);
        return ok;
    }
    int64_t diff = y->shape[0] - x->shape[0];
    kiln_expr **shorter = diff > 0 ? &x : &y;
    if (diff) {
        int64_t nz = diff > 0 ? diff : -diff;
        kiln_expr *zr = keep(&t, ir_broadcast_to(&c->graph, keep(&t, kiln_const(c, (kiln_dtype)(*shorter)->dtype, 0)), 1, &nz));
        *shorter = zr ? keep(&t, kiln_concatenate(c, 2, (kiln_expr *[]){zr, *shorter}, 0)) : NULL;
        if (!*shorter) return done(p, &t, out, NULL, off);
    }
    return done(p, &t, out, keep(&t, f->op == P_ADD ? kiln_add(c, x, y) : kiln_sub(c, x, y)), off);
}

/* polyder(p, m=1): p[:-1] * arange(n, 0, -1), m times; polyint(p, m=1, k=None): concatenate(
 * (p / arange(len(p), 0, -1), [k[0]])), m times, k a number or one per integration */
static bool h_polycalc(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    int64_t m = 1;
    kiln_expr *x = keep(&t, expr_of(p, f, a, "p"));
    if (!x || (given(a, "m") && !fe_arg_int(p, arg(a, "m"), f->name, "m", &m))) return done(p, &t, out, NULL, off);
    if (m < 0) {
        tmps_free(&t);
        return fe_err(p, arg(a, "m")->off, KILN_ERR_ARG, f->op == P_DER ? "Order of derivative must be positive (see polyint)" : "Order of integral must be positive (see polyder)");
    }
    if (x->ndim != 1) {
        tmps_free(&t);
        return fe_err(p, arg(a, "p")->off, KILN_ERR_ARG, "%s(): kiln's polynomials are 1-D coefficient arrays", f->name);
    }
    kiln_array *kv = NULL; /* polyint's constants, float64 */
    if (f->op == P_INT) {
        kiln_expr *ke = given_not_none(a, "k") ? keep(&t, expr_of(p, f, a, "k")) : keep(&t, ir_broadcast_to(&c->graph, keep(&t, kiln_scalar(c, 0)), 1, &m));
        if (ke && ke->ndim == 0) ke = keep(&t, ir_broadcast_to(&c->graph, ke, 1, (int64_t[]){m > 1 ? m : 1}));
        if (ke && ke->ndim == 1 && ke->shape[0] == 1 && m > 1) ke = keep(&t, ir_broadcast_to(&c->graph, keep(&t, kiln_reshape(c, ke, 0, NULL)), 1, &m));
        if (ke && (ke->ndim != 1 || ke->shape[0] < m)) {
            tmps_free(&t);
            return fe_err(p, arg(a, "k")->off, KILN_ERR_ARG, "k must be a scalar or a rank-1 array of length 1 or >m.");
        }
        if (!ke || !(kv = value_now(p, keep(&t, kiln_cast(c, ke, KILN_F64)), off))) return done(p, &t, out, NULL, off);
    }
    for (int64_t i = 0; i < m && x; i++) {
        int64_t n = x->shape[0];
        if (f->op == P_DER && n <= 1) { /* a constant's derivative: nothing */
            x = slice_along(p, &t, x, 0, 0, 0, 1);
            continue;
        }
        kiln_array *ar = kiln_array_new(c, KILN_I64, 1, (int64_t[]){f->op == P_DER ? n - 1 : n});
        for (int64_t j = 0; ar && j < kiln_array_size(ar); j++) ((int64_t *)ar->data)[j] = (f->op == P_DER ? n - 1 : n) - j;
        kiln_expr *w = ar ? keep(&t, kiln_var(c, ar)) : NULL;
        kiln_array_free(ar);
        if (f->op == P_DER) {
            x = w ? keep(&t, kiln_mul(c, slice_along(p, &t, x, 0, 0, n - 1, 1), w)) : NULL;
        } else {
            kiln_expr *q = w ? keep(&t, kiln_div(c, x, w)) : NULL;
            kiln_expr *k0 = keep(&t, kiln_const(c, KILN_F64, ((const double *)kv->data)[i]));
            x = q && k0 ? keep(&t, kiln_concatenate(c, 2, (kiln_expr *[]){q, keep(&t, kiln_reshape(c, k0, 1, (int64_t[]){1}))}, 0)) : NULL;
        }
    }
    kiln_array_free(kv);
    return done(p, &t, out, x, off);
}

/* polydiv(u, v): (quotient, remainder) by NumPy's long division in float64, the remainder's
 * leading terms within 1e-8 of zero dropped; poly(seq_of_zeros): the monic polynomial with those
 * roots, (x - r0)(x - r1)..., computed now */
static bool h_polydiv(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kiln_array *uv[2] = {NULL, NULL};
    bool f32_in[2] = {false, false};
    for (int k = 0; k < (f->op ? 1 : 2); k++) {
        kiln_expr *e = keep(&t, expr_of(p, f, a, f->op ? "seq_of_zeros" : k ? "v" : "u"));
        f32_in[k] = e && e->dtype == KILN_F32; /* (a Python number is atleast_1d's int64 or float64 array) */
        if (e && e->ndim == 0) e = keep(&t, kiln_reshape(c, e, 1, (int64_t[]){1}));
        if (e && e->ndim != 1) {
            kiln_array_free(uv[0]);
            tmps_free(&t);
            return fe_err(p, off, KILN_ERR_ARG, f->op ? "%s(): kiln takes 1-D roots (not a matrix)" : "%s(): kiln's polynomials are 1-D coefficient arrays", f->name);
        }
        kiln_dtype dt = f->op && e && e->dtype == KILN_F32 ? KILN_F32 : KILN_F64; /* (poly: float32 roots stay float32) */
        if (!e || !(uv[k] = value_now(p, keep(&t, kiln_cast(c, e, dt)), off))) return kiln_array_free(uv[0]), done(p, &t, out, NULL, off);
    }
    if (f->op) { /* poly */
        int64_t n = kiln_array_size(uv[0]), len = n + 1;
        kiln_dtype dt = (kiln_dtype)uv[0]->dtype;
        if (n == 0) {
            kiln_array_free(uv[0]);
            tmps_free(&t);
            return fe_set_expr(p, out, kiln_scalar(c, 1.0), off);
        }
        kiln_array *r = kiln_array_new(c, dt, 1, &len);
        for (int64_t i = 0; r && i < len; i++) {
            if (dt == KILN_F32) ((float *)r->data)[i] = i == 0;
            else ((double *)r->data)[i] = i == 0;
        }
        for (int64_t z = 0; r && z < n; z++) /* convolve with [1, -root]: from the end, in place */
            for (int64_t i = z + 1; i >= 1; i--) {
                if (dt == KILN_F32) {
                    float *d = (float *)r->data, root = ((const float *)uv[0]->data)[z];
                    d[i] = d[i] + d[i - 1] * -root;
                } else {
                    double *d = (double *)r->data, root = ((const double *)uv[0]->data)[z];
                    d[i] = d[i] + d[i - 1] * -root;
                }
            }
        kiln_array_free(uv[0]);
        tmps_free(&t);
        return array_result(p, out, r, off);
    }
    const double *u = (const double *)uv[0]->data, *v = (const double *)uv[1]->data;
    int64_t m = kiln_array_size(uv[0]) - 1, n = kiln_array_size(uv[1]) - 1, nq = m - n + 1 > 1 ? m - n + 1 : 1;
    bool f32 = f32_in[0] && f32_in[1]; /* (u + 0.0 and v + 0.0 as NumPy types them: float32 stays) */
#define R(x) (f32 ? (double)(float)(x) : (x))
    kiln_array *q = kiln_array_new(c, KILN_F64, 1, &nq), *r = q ? kiln_array_new(c, KILN_F64, 1, (int64_t[]){m + 1}) : NULL;
    if (r && (m < 0 || n < 0)) {
        kiln_array_free(uv[0]), kiln_array_free(uv[1]), kiln_array_free(q), kiln_array_free(r);
        tmps_free(&t);
        return fe_err(p, off, KILN_ERR_ARG, "%s(): empty polynomials", f->name);
    }
    double *qd = q ? (double *)q->data : NULL, *rd = r ? (double *)r->data : NULL, scale = r ? R(1. / v[0]) : 0;
    for (int64_t i = 0; rd && i < nq; i++) qd[i] = 0;
    for (int64_t i = 0; rd && i <= m; i++) rd[i] = u[i];
    for (int64_t k = 0; rd && k < m - n + 1; k++) {
        double d = R(scale * rd[k]);
        qd[k] = d;
        for (int64_t j = 0; j <= n; j++) rd[k + j] = R(rd[k + j] - R(d * v[j]));
    }
#undef R
    int64_t first = 0;
    while (rd && m + 1 - first > 1 && fabs(rd[first]) <= 1e-8) first++;
    kiln_array_free(uv[0]), kiln_array_free(uv[1]);
    kiln_expr *qe = q ? keep(&t, kiln_var(c, q)) : NULL, *re = r ? keep(&t, kiln_var(c, r)) : NULL;
    kiln_array_free(q), kiln_array_free(r);
    if (f32) qe = qe ? keep(&t, kiln_cast(c, qe, KILN_F32)) : NULL, re = re ? keep(&t, kiln_cast(c, re, KILN_F32)) : NULL;
    if (re && first) re = slice_along(p, &t, re, 0, first, m + 1, 1);
    return qe && re ? tuple_result(p, &t, out, (kiln_expr *[]){qe, re}, 2, off) : done(p, &t, out, NULL, off);
}

/* matvec(x1, x2): the stacked matrices x1 (..., m, n) times the vectors x2 (..., n); vecmat(x1,
 * x2): the vectors x1 (..., n) times the matrices x2 (..., n, m) (kiln's numbers are real) */
static bool h_matvec(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kiln_expr *x = keep(&t, expr_of(p, f, a, "x1")), *y = x ? keep(&t, expr_of(p, f, a, "x2")) : NULL;
    if (!y) return done(p, &t, out, NULL, off);
    kiln_expr *v = f->op ? x : y, *m = f->op ? y : x;
    if (v->ndim < 1 || m->ndim < 2 || v->ndim >= KILN_MAX_DIMS) {
        tmps_free(&t);
        return fe_err(p, off, KILN_ERR_SHAPE, "%s: %s must have at least one dimension and %s two", f->name, f->op ? "x1" : "x2", f->op ? "x2" : "x1");
    }
    int64_t vn = v->shape[v->ndim - 1], mn = m->shape[m->ndim - (f->op ? 2 : 1)]; /* the core n of each */
    if (vn != mn)
        return tmps_free(&t), fe_err(p, off, KILN_ERR_SHAPE, "%s: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature %s (size %lld is different from %lld)",
                                     f->name, f->op ? "(n),(n,m)->(m)" : "(m,n),(n)->(m)", (long long)(f->op ? mn : vn), (long long)(f->op ? vn : mn));
    int64_t s[KILN_MAX_DIMS];
    memcpy(s, v->shape, (size_t)v->ndim * sizeof *s);
    s[v->ndim] = 1;
    if (f->op) s[v->ndim - 1] = 1, s[v->ndim] = v->shape[v->ndim - 1]; /* (..., 1, n) */
    kiln_expr *v2 = keep(&t, kiln_reshape(c, v, v->ndim + 1, s));
    kiln_expr *r = v2 ? keep(&t, f->op ? kiln_matmul(c, v2, m) : kiln_matmul(c, m, v2)) : NULL;
    if (r) { /* drop the length-1 axis */
        int64_t rs[KILN_MAX_DIMS];
        int nd = 0;
        for (int d = 0; d < r->ndim; d++)
            if (d != (f->op ? r->ndim - 2 : r->ndim - 1)) rs[nd++] = r->shape[d];
        r = keep(&t, kiln_reshape(c, r, nd, rs));
    }
    return done(p, &t, out, r, off);
}

/* unstack(x, axis=0): x's slices along axis, as a tuple of views */
static bool h_unstack(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_expr *x = keep(&t, expr_of(p, f, a, "x"));
    int axis = 0;
    if (!x || (given(a, "axis") && !axis_in(p, arg(a, "axis"), f->name, "axis", x->ndim, &axis))) return done(p, &t, out, NULL, off);
    if (x->ndim == 0) {
        tmps_free(&t);
        return fe_err(p, arg(a, "x")->off, KILN_ERR_ARG, "Input array must be at least 1-d.");
    }
    int64_t n = x->shape[axis];
    kval *items = n ? kiln_calloc(p->ctx, (size_t)n * sizeof *items) : NULL;
    if (n && !fe_got(p, items, off)) return done(p, &t, out, NULL, off);
    for (int64_t i = 0; i < n; i++) {
        kiln_ix ix[KILN_MAX_DIMS];
        for (int d = 0; d < x->ndim; d++) ix[d] = (kiln_ix){.kind = KILN_IX_SLICE};
        ix[axis] = (kiln_ix){.kind = KILN_IX_INDEX, .index = i};
        if (!fe_set_expr(p, &items[i], kiln_index(p->ctx, x, x->ndim, ix), off)) {
            for (int64_t k = 0; k < i; k++) kval_free(p->ctx, &items[k]);
            kiln_free(p->ctx, items);
            return done(p, &t, out, NULL, off);
        }
        items[i].alias = arg(a, "x")->alias;
        fe_view_readonly(&items[i], arg(a, "x"));
    }
    tmps_free(&t);
    *out = (kval){.kind = KV_TUPLE, .off = off, .n = (int)n, .items = items};
    return true;
}

/* rollaxis(a, axis, start=0): NumPy's: axis moved to before start (a view) */
static bool h_rollaxis(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_expr *x = keep(&t, expr_of(p, f, a, "a"));
    int axis = 0;
    int64_t start = 0;
    if (!x || !axis_in(p, arg(a, "axis"), f->name, "axis", x->ndim, &axis) ||
        (given(a, "start") && !fe_arg_int(p, arg(a, "start"), f->name, "start", &start)))
        return done(p, &t, out, NULL, off);
    int n = x->ndim;
    if (start < 0) start += n;
    if (!(start >= 0 && start < n + 1)) {
        tmps_free(&t);
        return fe_err(p, arg(a, "start")->off, KILN_ERR_ARG, "'start' arg requires %d <= start < %d, but %lld was passed in", -n, n + 1, (long long)(start < 0 ? start - n : start));
    }
    if (axis < start) start--;
    int axes[KILN_MAX_DIMS], k = 0;
    for (int d = 0; d < n; d++) {
        if (k == start) axes[k++] = axis;
        if (d != axis) axes[k++] = d;
    }
    if (k == start) axes[k++] = axis;
    kval av = *arg(a, "a");
    bool ok = done(p, &t, out, keep(&t, kiln_permute(p->ctx, x, axes)), off);
    out->alias = ok && av.alias;
    fe_view_readonly(out, &av);
    return ok;
}

/* asarray_chkfinite(a, dtype=None): asarray, refused where a holds an inf or a NaN (read now) */
static bool h_chkfinite(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    if (!recall(p, "asarray", a, (const char *const[]){"a", "dtype=dtype", NULL}, off, out)) return false;
    if (out->kind != KV_ARRAY || !dtype_is_float((kiln_dtype)out->e->dtype)) return true;
    tmps t = {0};
    kiln_expr *bad = keep(&t, kiln_reduce(p->ctx, KILN_OP_ANY, keep(&t, kiln_invert(p->ctx, keep(&t, kiln_isfinite(p->ctx, out->e)))), KILN_ALL_AXES, 0));
    kiln_array *b = bad ? value_now(p, bad, off) : NULL;
    bool any = b && *(const uint8_t *)b->data;
    kiln_array_free(b);
    tmps_free(&t);
    if (b && !any) return true;
    kval_free(p->ctx, out);
    return b ? fe_err(p, off, KILN_ERR_ARG, "%s(): array must not contain infs or NaNs", f->name) : false;
}

/* correlate(a, v, mode='valid'): convolve(a, v[::-1], mode) (kiln's numbers are real) */
static bool h_correlate(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_expr *x = keep(&t, expr_of(p, f, a, "a")), *v = x ? keep(&t, expr_of(p, f, a, "v")) : NULL;
    if (!v) return done(p, &t, out, NULL, off);
    if (x->ndim != 1 || v->ndim != 1) {
        tmps_free(&t);
        return fe_err(p, off, KILN_ERR_ARG, x->ndim > 1 || v->ndim > 1 ? "object too deep for desired array" : "object of too small depth for desired array");
    }
    bool swap = x->shape[0] < v->shape[0]; /* (NumPy's: the longer first, the result reversed) */
    kiln_expr *l = swap ? v : x, *s = swap ? x : v;
    s = slice_along(p, &t, s, 0, s->shape[0] - 1, -1, -1);
    fe_kwarg kw = {.name = "mode", .off = off};
    kval *mv = arg(a, "mode");
    if (mv->kind == KV_ABSENT) kw.v = (kval){.kind = KV_STR, .off = off, .s = kiln_strdup(p->ctx, "valid")}; /* (NumPy's default here) */
    else kw.v = *mv, *mv = (kval){.kind = KV_ABSENT};
    kval r = {0};
    if ((mv->kind == KV_ABSENT && !kw.v.s && kw.v.kind == KV_STR) || !s || !call_exprs(p, "convolve", 2, (kiln_expr *[]){l, s}, &kw, 1, off, &r))
        return done(p, &t, out, NULL, off);
    kiln_expr *e = keep(&t, kiln_expr_retain(r.e));
    kval_free(p->ctx, &r);
    if (e && swap) e = slice_along(p, &t, e, 0, e->shape[0] - 1, -1, -1);
    return done(p, &t, out, e, off);
}

/* cumulative_sum(x, axis=None, dtype=None, include_initial=False) and cumulative_prod: cumsum and
 * cumprod along axis (needed past one dimension), with 0 (1) first when include_initial */
static bool h_cumulative(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kiln_expr *x = keep(&t, expr_of(p, f, a, "x"));
    bool initial = false;
    int axis = 0;
    if (!x || (given(a, "include_initial") && !fe_arg_bool(p, arg(a, "include_initial"), f->name, "include_initial", &initial))) return done(p, &t, out, NULL, off);
    if (x->ndim == 0) x = keep(&t, kiln_reshape(c, x, 1, (int64_t[]){1}));
    if (x && !given_not_none(a, "axis") && x->ndim > 1) {
        tmps_free(&t);
        return fe_err(p, off, KILN_ERR_ARG, "For arrays which have more than one dimension ``axis`` argument is required.");
    }
    if (!x || (given_not_none(a, "axis") && !axis_in(p, arg(a, "axis"), f->name, "axis", x->ndim, &axis))) return done(p, &t, out, NULL, off);
    fe_kwarg kw[2] = {{.name = "axis", .off = off}};
    int nk = 1;
    if (!fe_set_expr(p, &kw[0].v, kiln_int(c, axis), off)) return done(p, &t, out, NULL, off);
    if (given_not_none(a, "dtype")) {
        kw[1] = (fe_kwarg){.name = "dtype", .off = off, .v = *arg(a, "dtype")};
        *arg(a, "dtype") = (kval){.kind = KV_ABSENT};
        nk = 2;
    }
    kval r = {0};
    if (!call_exprs(p, f->op ? "cumprod" : "cumsum", 1, &x, kw, nk, off, &r)) return done(p, &t, out, NULL, off);
    kiln_expr *e = keep(&t, kiln_expr_retain(r.e));
    kval_free(c, &r);
    if (e && initial) { /* the empty sum (product) first along axis */
        int64_t s[KILN_MAX_DIMS];
        memcpy(s, e->shape, (size_t)e->ndim * sizeof *s);
        s[axis] = 1;
        kiln_expr *first = keep(&t, ir_broadcast_to(&c->graph, keep(&t, kiln_const(c, (kiln_dtype)e->dtype, f->op ? 1 : 0)), e->ndim, s));
        e = first ? keep(&t, kiln_concatenate(c, 2, (kiln_expr *[]){first, e}, axis)) : NULL;
    }
    return done(p, &t, out, e, off);
}

/* extract(condition, arr): arr's flattened elements where the flattened condition is nonzero;
 * compress(condition, a, axis=None): a's slices along axis (flattened a when None) where the 1-D
 * condition holds (computed now) */
static bool h_extract(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kiln_expr *cond = keep(&t, expr_of(p, f, a, "condition")), *x = cond ? keep(&t, expr_of(p, f, a, f->op ? "a" : "arr")) : NULL;
    int axis = 0;
    if (!x) return done(p, &t, out, NULL, off);
    bool flat = !f->op || !given_not_none(a, "axis");
    if (!flat && !axis_in(p, arg(a, "axis"), f->name, "axis", x->ndim, &axis)) return done(p, &t, out, NULL, off);
    if (f->op && cond->ndim != 1) {
        tmps_free(&t);
        return fe_err(p, arg(a, "condition")->off, KILN_ERR_ARG, "condition must be a 1-d array");
    }
    if (flat) x = keep(&t, kiln_ravel(c, x));
    kiln_array *at = x ? fe_nonzero_now(p, cond, off) : NULL;
    if (!at) return done(p, &t, out, NULL, off);
    int64_t n = kiln_array_size(at), len = x->shape[axis];
    if (n && ((const int64_t *)at->data)[n - 1] >= len) {
        int64_t bad = ((const int64_t *)at->data)[n - 1];
        kiln_array_free(at);
        tmps_free(&t);
        return fe_err(p, arg(a, "condition")->off, KILN_ERR_INDEX, "index %lld is out of bounds for axis %d with size %lld", (long long)bad, axis, (long long)len);
    }
    kiln_expr *idx = keep(&t, kiln_var(c, at));
    kiln_array_free(at);
    return done(p, &t, out, idx ? keep(&t, kiln_take(c, x, idx, axis)) : NULL, off);
}

/* choose(a, choices, mode='raise'): choices[a[i]][i], the choices and a broadcast together;
 * mode 'wrap' or 'clip' for indices outside (read now) */
static bool h_choose(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kiln_expr *ix = keep(&t, expr_of(p, f, a, "a")), *ch = NULL;
    kval *cv = arg(a, "choices");
    if (ix && (cv->kind == KV_LIST || cv->kind == KV_TUPLE) && cv->n > 0) { /* each choice an array, their dtypes promoted, shapes broadcast */
        int nc = cv->n, cn = 0;
        int64_t cs[KILN_MAX_DIMS];
        kiln_expr **xs = nc <= 64 ? kiln_calloc(c, (size_t)nc * sizeof *xs) : NULL;
        kiln_dtype dts[64];
        bool weak[64];
        bool ok = xs != NULL || (nc > 64 && fe_err(p, cv->off, KILN_ERR_ARG, "%s(): kiln takes at most 64 choices", f->name));
        for (int k = 0; ok && xs && k < nc; k++) {
            ok = (xs[k] = keep(&t, fe_arg_expr(p, &cv->items[k], f->name, "choices"))) != NULL;
            if (ok) dts[k] = (kiln_dtype)xs[k]->dtype, weak[k] = fe_is_py(&cv->items[k]);
            if (ok && !fe_merge_shape(&cn, cs, xs[k])) ok = fe_err(p, cv->items[k].off, KILN_ERR_SHAPE, "shape mismatch: objects cannot be broadcast to a single shape");
        }
        kiln_dtype dt = ok ? fe_result_dtype(nc, dts, weak) : KILN_BOOL;
        for (int k = 0; ok && k < nc; k++) ok = (xs[k] = fe_broadcast_to(p, &t, keep(&t, kiln_cast(c, xs[k], dt)), cn, cs, f->name, off)) != NULL;
        ch = ok ? keep(&t, kiln_stack(c, nc, xs, 0)) : NULL;
        kiln_free(c, xs);
    } else if (ix) {
        ch = keep(&t, expr_of(p, f, a, "choices"));
    }
    kval *mv = arg(a, "mode");
    const char *mode = mv->kind == KV_STR ? mv->s : "raise";
    if (!ch) return done(p, &t, out, NULL, off);
    if (mv->kind != KV_ABSENT && (mv->kind != KV_STR || (strcmp(mode, "raise") && strcmp(mode, "wrap") && strcmp(mode, "clip")))) {
        tmps_free(&t);
        return fe_err(p, mv->off, KILN_ERR_ARG, "clipmode must be one of 'clip', 'raise', or 'wrap'");
    }
    if (!dtype_is_int((kiln_dtype)ix->dtype) && ix->dtype != KILN_BOOL) {
        tmps_free(&t);
        return fe_err(p, arg(a, "a")->off, KILN_ERR_ARG, "Cannot cast array data from dtype('%s') to dtype('int64') according to the rule 'safe'", kiln_dtype_name((kiln_dtype)ix->dtype));
    }
    if (ch->ndim == 0 || ch->ndim > KILN_MAX_DIMS - 1 || ch->shape[0] == 0) {
        tmps_free(&t);
        return fe_err(p, arg(a, "choices")->off, KILN_ERR_ARG, ch->ndim && !ch->shape[0] ? "0-length sequence." : "%s(): choices must be a sequence of arrays", f->name);
    }
    int64_t k = ch->shape[0], shape[KILN_MAX_DIMS];
    int nd = 0;
    kiln_expr *one = slice_along(p, &t, ch, 0, 0, 1, 1); /* (one choice's shape: ch[0]) */
    one = one ? keep(&t, kiln_reshape(c, one, ch->ndim - 1, ch->shape + 1)) : NULL;
    if (!one || !fe_merge_shape(&nd, shape, one) || !fe_merge_shape(&nd, shape, ix)) {
        bool ok = one ? fe_err(p, off, KILN_ERR_SHAPE, "shape mismatch: objects cannot be broadcast to a single shape") : fe_got(p, NULL, off);
        tmps_free(&t);
        return ok;
    }
    kiln_expr *bi = fe_broadcast_to(p, &t, keep(&t, kiln_cast(c, ix, KILN_I64)), nd, shape, f->name, off);
    kiln_array *iv = bi ? value_now(p, bi, off) : NULL;
    if (!iv) return done(p, &t, out, NULL, off);
    int64_t *d = (int64_t *)iv->data;
    for (int64_t i = 0; i < kiln_array_size(iv); i++)
        if (d[i] < 0 || d[i] >= k) {
            if (mode[0] == 'r') {
                kiln_array_free(iv);
                tmps_free(&t);
                return fe_err(p, arg(a, "a")->off, KILN_ERR_INDEX, "invalid entry in choice array");
            }
            d[i] = mode[0] == 'w' ? (k ? ((d[i] % k) + k) % k : 0) : d[i] < 0 ? 0 : k - 1;
        }
    int64_t cs[KILN_MAX_DIMS + 1], is[KILN_MAX_DIMS + 1];
    cs[0] = k, is[0] = 1;
    for (int dd = 0; dd < nd; dd++) cs[dd + 1] = is[dd + 1] = shape[dd];
    kiln_expr *ie = keep(&t, kiln_var(c, iv));
    kiln_array_free(iv);
    /* choices broadcast to (k, *shape) (a leading 1 where a choice has fewer dims), then taken along 0 */
    int64_t lift[KILN_MAX_DIMS + 1];
    int pad = nd - (ch->ndim - 1);
    lift[0] = k;
    for (int dd = 0; dd < nd; dd++) lift[dd + 1] = dd < pad ? 1 : ch->shape[1 + dd - pad];
    kiln_expr *chl = keep(&t, kiln_reshape(c, ch, nd + 1, lift));
    chl = chl ? fe_broadcast_to(p, &t, chl, nd + 1, cs, f->name, off) : NULL;
    ie = ie ? keep(&t, kiln_reshape(c, ie, nd + 1, is)) : NULL;
    kiln_expr *r = chl && ie ? keep(&t, kiln_take_along_axis(c, chl, ie, 0)) : NULL;
    r = r ? keep(&t, kiln_reshape(c, r, nd, shape)) : NULL;
    return done(p, &t, out, r, off);
}

/* binary_repr(num, width=None) and base_repr(number, base=2, padding=0): NumPy's strings */
static bool h_repr_int(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    int64_t num, width = -1, base = 2, padding = 0;
    char buf[160], *e = buf + sizeof buf - 1;
    *e = 0;
    if (!fe_arg_int(p, arg(a, f->op ? "number" : "num"), f->name, f->op ? "number" : "num", &num) ||
        (!f->op && given_not_none(a, "width") && !fe_arg_int(p, arg(a, "width"), f->name, "width", &width)) ||
        (f->op && given(a, "base") && !fe_arg_int(p, arg(a, "base"), f->name, "base", &base)) ||
        (f->op && given(a, "padding") && !fe_arg_int(p, arg(a, "padding"), f->name, "padding", &padding)))
        return false;
    if (base > 36) return fe_err(p, arg(a, "base")->off, KILN_ERR_ARG, "Bases greater than 36 not handled in base_repr.");
    if (base < 2) return fe_err(p, arg(a, "base")->off, KILN_ERR_ARG, "Bases less than 2 not handled in base_repr.");
    bool has_width = !f->op && given_not_none(a, "width");
    if (padding < 0) padding = 0; /* ('0' * -2 is '') */
    if (padding > 64 || width > 128) return fe_err(p, off, KILN_ERR_ARG, "%s(): kiln pads to at most 64 (width 128)", f->name);
    uint64_t mag = num < 0 ? 0 - (uint64_t)num : (uint64_t)num;
    char *s = e;
    if (!f->op && num < 0 && has_width) { /* two's complement in width bits (at least the number's own) */
        int pw = 0;
        for (uint64_t v = mag; v; v >>= 1) pw++;
        if (pw && mag == (uint64_t)1 << (pw - 1)) pw--;
        unsigned __int128 tc = ((unsigned __int128)1 << (pw + 1)) - mag;
        for (; tc; tc >>= 1) *--s = (char)('0' + (int)(tc & 1));
        int64_t bw = e - s;
        if (width < bw) return fe_err(p, arg(a, "width")->off, KILN_ERR_ARG, "Insufficient bit width=%lld provided for binwidth=%lld", (long long)width, (long long)bw);
        while (e - s < width) *--s = '1';
    } else {
        do *--s = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[mag % (uint64_t)base];
        while ((mag /= (uint64_t)base));
        if (f->op && num == 0 && padding > 0) s = e; /* (NumPy's: the padding alone) */
        for (int64_t i = 0; f->op && i < padding; i++) *--s = '0';
        int64_t bw = e - s;
        if (!f->op && num != 0 && has_width && width < bw)
            return fe_err(p, arg(a, "width")->off, KILN_ERR_ARG, "Insufficient bit width=%lld provided for binwidth=%lld", (long long)width, (long long)bw);
        while (!f->op && num >= 0 && e - s < width) *--s = '0';
        if (num < 0) *--s = '-';
    }
    *out = (kval){.kind = KV_STR, .off = off, .s = kiln_strdup(p->ctx, s)};
    return fe_got(p, out->s, off);
}

/* digitize: the bin of each x, searchsorted(bins, x, side) for increasing bins, len(bins) -
 * searchsorted(bins[::-1], x, side) for decreasing ones (side 'right' unless right=True), as
 * NumPy's; which of the two bins are is read from their values now */
static bool h_digitize(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    bool right = false;
    kiln_expr *x = keep(&t, expr_of(p, f, a, "x")), *b = x ? keep(&t, expr_of(p, f, a, "bins")) : NULL;
    if (!b || (given(a, "right") && !fe_arg_bool(p, arg(a, "right"), f->name, "right", &right))) return done(p, &t, out, NULL, off);
    if (b->ndim != 1) {
        tmps_free(&t);
        return fe_err(p, arg(a, "bins")->off, KILN_ERR_SHAPE, "digitize(): bins must be 1-dimensional");
    }
    kiln_array *bv = value_now(p, keep(&t, kiln_cast(c, b, KILN_F64)), arg(a, "bins")->off);
    if (!bv) return done(p, &t, out, NULL, off);
    const double *d = (const double *)kiln_array_data(bv);
    int64_t n = b->shape[0];
    int mono = 1; /* NumPy's check_array_monotonic: from the first value unlike the first one (NaN breaks nothing) */
    int64_t i = 1;
    while (i < n && d[i] == d[0]) i++;
    if (i < n) {
        mono = d[i - 1] < d[i] ? 1 : -1;
        for (i++; mono && i < n; i++)
            if (mono == 1 ? d[i - 1] > d[i] : d[i - 1] < d[i]) mono = 0;
    }
    kiln_array_free(bv);
    if (!mono) {
        tmps_free(&t);
        return fe_err(p, arg(a, "bins")->off, KILN_ERR_ARG, "bins must be monotonically increasing or decreasing");
    }
    if (mono == 1) return done(p, &t, out, sorted_position(&t, c, b, x, !right), off);
    kiln_ix rev = {.kind = KILN_IX_SLICE, .step = -1, .flags = KILN_IX_HAS_STEP};
    kiln_expr *pos = sorted_position(&t, c, keep(&t, kiln_index(c, b, 1, &rev)), x, !right);
    return done(p, &t, out, pos ? keep(&t, kiln_sub(c, keep(&t, kiln_int(c, n)), pos)) : NULL, off);
}

static bool h_inner(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kiln_expr *x = keep(&t, expr_of(p, f, a, "a")), *y = x ? keep(&t, expr_of(p, f, a, "b")) : NULL;
    if (y) x = keep(&t, strong_ref(p, x)), y = x ? keep(&t, strong_ref(p, y)) : NULL;
    if (!y) return done(p, &t, out, NULL, off);
    if (x->ndim == 0 || y->ndim == 0) return done(p, &t, out, keep(&t, scalar_dot(p, x, y)), off);
    int64_t k = x->shape[x->ndim - 1], shape[KILN_MAX_DIMS];
    int nd = 0;
    if (y->shape[y->ndim - 1] != k) {
        tmps_free(&t);
        return fe_err(p, off, KILN_ERR_SHAPE, "inner(): shapes (last dims %lld and %lld) not aligned", (long long)k, (long long)y->shape[y->ndim - 1]);
    }
    if (x->ndim + y->ndim - 2 > KILN_MAX_DIMS) {
        tmps_free(&t);
        return fe_err(p, off, KILN_ERR_SHAPE, "inner(): the result would have more than %d dimensions", KILN_MAX_DIMS);
    }
    int64_t rx = 1, ry = 1; /* (not -1: k may be 0) */
    for (int d = 0; d < x->ndim - 1; d++) shape[nd++] = x->shape[d], rx *= x->shape[d];
    for (int d = 0; d < y->ndim - 1; d++) shape[nd++] = y->shape[d], ry *= y->shape[d];
    kiln_expr *x2 = keep(&t, kiln_reshape(c, x, 2, (int64_t[]){rx, k})), *y2 = keep(&t, kiln_reshape(c, y, 2, (int64_t[]){ry, k}));
    kiln_expr *yt = y2 ? keep(&t, kiln_transpose(c, y2)) : NULL;
    kiln_expr *m = x2 && yt ? keep(&t, ir_matmul_flags(&c->graph, x2, yt, IR_MATMUL_COPIES)) : NULL;
    return done(p, &t, out, m ? keep(&t, kiln_reshape(c, m, nd, shape)) : NULL, off);
}

/* kron(a, b): a's elements times b, in blocks: a's and b's dims interleaved (a's padded with ones
 * at the front to b's count, or b's to a's), multiplied, and each pair merged */
static bool h_kron(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kiln_expr *x = keep(&t, expr_of(p, f, a, "a")), *y = x ? keep(&t, expr_of(p, f, a, "b")) : NULL;
    if (!y) return done(p, &t, out, NULL, off);
    int nd = x->ndim > y->ndim ? x->ndim : y->ndim;
    if (2 * nd > KILN_MAX_DIMS) {
        tmps_free(&t);
        return fe_err(p, off, KILN_ERR_SHAPE, "kron(): arrays of at most %d dimensions", KILN_MAX_DIMS / 2);
    }
    int64_t xs[KILN_MAX_DIMS], ys[KILN_MAX_DIMS], rs[KILN_MAX_DIMS];
    for (int d = 0; d < nd; d++) {
        int64_t xd = d < nd - x->ndim ? 1 : x->shape[d - (nd - x->ndim)], yd = d < nd - y->ndim ? 1 : y->shape[d - (nd - y->ndim)];
        xs[2 * d] = xd, xs[2 * d + 1] = 1;
        ys[2 * d] = 1, ys[2 * d + 1] = yd;
        rs[d] = xd * yd;
    }
    kiln_expr *m = op2(&t, c, KILN_OP_MUL, keep(&t, kiln_reshape(c, x, 2 * nd, xs)), keep(&t, kiln_reshape(c, y, 2 * nd, ys)));
    return done(p, &t, out, m ? keep(&t, kiln_reshape(c, m, nd, rs)) : NULL, off);
}

/* An int64 index array over vals (n of them), as an expression kept in t. */
static kiln_expr *index_consts(tmps *t, kiln_ctx *c, int n, const int64_t *vals) {
    int64_t len = n;
    kiln_array *ar = kiln_array_new(c, KILN_I64, 1, &len);
    if (!ar) return NULL;
    memcpy(kiln_array_data(ar), vals, (size_t)n * sizeof *vals);
    kiln_expr *e = keep(t, kiln_var(c, ar));
    kiln_array_free(ar);
    return e;
}

/* x with its axis ax moved to the end (last: true), or its last axis moved to ax (kept in t) */
static kiln_expr *move_axis(tmps *t, kiln_ctx *c, kiln_expr *x, int ax, bool last) {
    int perm[KILN_MAX_DIMS], j = 0, nd = x ? x->ndim : 0;
    if (!x) return NULL;
    for (int d = 0; d < nd; d++) {
        if (last && d != ax) perm[j++] = d;
        if (!last) perm[j++] = d == ax ? nd - 1 : d - (d > ax);
    }
    if (last) perm[j] = ax;
    return keep(t, kiln_permute(c, x, perm));
}

/* cross(a, b, axis=None): the cross product of 3-vectors along the last axes (broadcast), or
 * along axis of both and of the result */
static bool h_cross(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kiln_expr *x = keep(&t, expr_of(p, f, a, f->op ? "x1" : "a")), *y = x ? keep(&t, expr_of(p, f, a, f->op ? "x2" : "b")) : NULL;
    if (!y) return done(p, &t, out, NULL, off);
    int64_t axis = -1;
    bool moved = given_not_none(a, "axis");
    if (f->op) { /* (np.linalg's: 3-vectors only, in its words) */
        int64_t ax = -1;
        if (moved && !fe_arg_int(p, arg(a, "axis"), f->name, "axis", &ax)) return done(p, &t, out, NULL, off);
        int64_t n1 = ax >= -x->ndim && ax < x->ndim ? x->shape[ax < 0 ? ax + x->ndim : ax] : 0, n2 = ax >= -y->ndim && ax < y->ndim ? y->shape[ax < 0 ? ax + y->ndim : ax] : 0;
        if ((n1 != 3 || n2 != 3) && n1 && n2)
            return tmps_free(&t), fe_err(p, off, KILN_ERR_SHAPE, "Both input arrays must be (arrays of) 3-dimensional vectors, but they are %lld and %lld dimensional instead.", (long long)n1, (long long)n2);
    }
    if (moved) {
        if (!fe_arg_int(p, arg(a, "axis"), f->name, "axis", &axis)) return done(p, &t, out, NULL, off);
        if (axis < -x->ndim || axis >= x->ndim || axis < -y->ndim || axis >= y->ndim) {
            tmps_free(&t);
            return fe_err(p, arg(a, "axis")->off, KILN_ERR_ARG, "cross(): axis %lld is out of bounds", (long long)axis);
        }
        x = move_axis(&t, c, x, (int)(axis < 0 ? axis + x->ndim : axis), true);
        y = move_axis(&t, c, y, (int)(axis < 0 ? axis + y->ndim : axis), true);
        if (!x || !y) return done(p, &t, out, NULL, off);
    }
    if (x->ndim == 0 || y->ndim == 0 || x->shape[x->ndim - 1] != 3 || y->shape[y->ndim - 1] != 3) {
        tmps_free(&t);
        return fe_err(p, off, KILN_ERR_SHAPE, "cross(): the vectors (the last axes) must have 3 elements");
    }
    kiln_expr *i1 = index_consts(&t, c, 3, (int64_t[]){1, 2, 0}), *i2 = index_consts(&t, c, 3, (int64_t[]){2, 0, 1});
    if (!i1 || !i2) return done(p, &t, out, NULL, off);
    kiln_expr *x1 = keep(&t, kiln_take(c, x, i1, x->ndim - 1)), *x2 = keep(&t, kiln_take(c, x, i2, x->ndim - 1));
    kiln_expr *y1 = keep(&t, kiln_take(c, y, i1, y->ndim - 1)), *y2 = keep(&t, kiln_take(c, y, i2, y->ndim - 1));
    kiln_expr *r = op2(&t, c, KILN_OP_SUB, op2(&t, c, KILN_OP_MUL, x1, y2), op2(&t, c, KILN_OP_MUL, x2, y1));
    if (r && moved) {
        if (axis < -r->ndim || axis >= r->ndim) {
            tmps_free(&t);
            return fe_err(p, arg(a, "axis")->off, KILN_ERR_ARG, "cross(): axis %lld is out of bounds for the result", (long long)axis);
        }
        r = move_axis(&t, c, r, (int)(axis < 0 ? axis + r->ndim : axis), false);
    }
    return done(p, &t, out, r, off);
}

/* ------------------------------------------------------------------ bits */

/* bitorder='big' (false) or 'little' (true); false after reporting */
static bool bit_order(parser *p, const fe_fn *f, fe_args *a, bool *little) {
    kval *v = arg(a, "bitorder");
    *little = false;
    if (v->kind == KV_ABSENT || v->kind == KV_NONE) return true;
    if (v->kind == KV_STR && (!strcmp(v->s, "big") || !strcmp(v->s, "little"))) return (*little = v->s[0] == 'l'), true;
    return fe_err(p, v->off, KILN_ERR_ARG, "%s(): 'bitorder' must be either 'little' or 'big'", f->name);
}

/* The axis packbits and unpackbits work along (moved last, of x ravelled for None), into *ax;
 * x as it is there, kept in t, NULL after reporting */
static kiln_expr *bit_axis(parser *p, tmps *t, const fe_fn *f, fe_args *a, kiln_expr *x, int *ax) {
    int axis;
    if (!one_axis(p, f, a, &axis)) return NULL;
    if (axis == KILN_ALL_AXES || x->ndim == 0) {
        *ax = 0;
        return keep(t, kiln_reshape(p->ctx, x, 1, (int64_t[]){-1}));
    }
    if (axis < -x->ndim || axis >= x->ndim)
        return fe_err(p, arg(a, "axis")->off, KILN_ERR_ARG, "%s(): axis %d is out of bounds for array of dimension %d", f->name, axis, x->ndim), NULL;
    *ax = axis < 0 ? axis + x->ndim : axis;
    return move_axis(t, p->ctx, x, *ax, true);
}

/* The 8 weights of a byte's bits, first to last: 128 64 ... 1 (big), or 1 2 ... 128 (little) */
static kiln_expr *bit_weights(tmps *t, kiln_ctx *c, bool little, bool shifts) {
    int64_t w[8];
    for (int k = 0; k < 8; k++) w[k] = shifts ? (little ? k : 7 - k) : (int64_t)1 << (little ? k : 7 - k);
    kiln_expr *e = index_consts(t, c, 8, w);
    return e ? keep(t, kiln_cast(c, e, KILN_U8)) : NULL;
}

/* packbits(a, axis=None, bitorder='big'): each run of 8 truth values along axis (the last run
 * padded with False) as the bits of a uint8 */
static bool h_packbits(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kiln_expr *x = keep(&t, expr_of(p, f, a, "a"));
    bool little;
    int ax;
    if (!x || !bit_order(p, f, a, &little)) return done(p, &t, out, NULL, off);
    if (dtype_is_float((kiln_dtype)x->dtype)) {
        tmps_free(&t);
        return fe_err(p, arg(a, "a")->off, KILN_ERR_DTYPE, "Expected an input array of integer or boolean data type");
    }
    if (!(x = bit_axis(p, &t, f, a, x, &ax))) return done(p, &t, out, NULL, off);
    int nd = x->ndim;
    int64_t n = x->shape[nd - 1], m = (n + 7) / 8, shape[KILN_MAX_DIMS + 1];
    kiln_expr *bits = keep(&t, kiln_cast(c, keep(&t, kiln_ne(c, x, keep(&t, kiln_int(c, 0)))), KILN_U8));
    memcpy(shape, x->shape, (size_t)nd * sizeof *shape);
    if (bits && n % 8) { /* the last byte's bits after the values: 0 */
        shape[nd - 1] = 8 * m - n;
        kiln_expr *zero = keep(&t, kiln_cast(c, keep(&t, kiln_int(c, 0)), KILN_U8));
        kiln_expr *pad = zero ? fe_broadcast_to(p, &t, zero, nd, shape, f->name, off) : NULL;
        bits = pad ? keep(&t, kiln_concatenate(c, 2, (kiln_expr *[]){bits, pad}, nd - 1)) : NULL;
    }
    shape[nd - 1] = m, shape[nd] = 8;
    kiln_expr *bytes = bits ? keep(&t, kiln_reshape(c, bits, nd + 1, shape)) : NULL;
    kiln_expr *r = op2(&t, c, KILN_OP_MUL, bytes, bit_weights(&t, c, little, false));
    r = r ? keep(&t, kiln_cast(c, keep(&t, kiln_reduce(c, KILN_OP_SUM, r, nd, 0)), KILN_U8)) : NULL;
    return done(p, &t, out, nd > 1 && r ? move_axis(&t, c, r, ax, false) : r, off);
}

/* unpackbits(a, axis=None, count=None, bitorder='big'): each uint8 along axis as its 8 bits
 * (0 or 1), the first count of them (count < 0: all but the last -count; more: zeros after) */
static bool h_unpackbits(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kiln_expr *x = keep(&t, expr_of(p, f, a, "a"));
    bool little;
    int ax;
    int64_t count = -1;
    bool counted = given_not_none(a, "count");
    if (!x || !bit_order(p, f, a, &little) || (counted && !fe_arg_int(p, arg(a, "count"), f->name, "count", &count)))
        return done(p, &t, out, NULL, off);
    if (x->dtype != KILN_U8) {
        tmps_free(&t);
        return fe_err(p, arg(a, "a")->off, KILN_ERR_DTYPE, "Expected an input array of unsigned byte data type");
    }
    if (!(x = bit_axis(p, &t, f, a, x, &ax))) return done(p, &t, out, NULL, off);
    int nd = x->ndim;
    int64_t n = x->shape[nd - 1], shape[KILN_MAX_DIMS + 1];
    memcpy(shape, x->shape, (size_t)nd * sizeof *shape);
    shape[nd] = 1;
    if (counted && count < 0 && (count += 8 * n) < 0) {
        tmps_free(&t);
        return fe_err(p, arg(a, "count")->off, KILN_ERR_ARG, "-count larger than number of elements");
    }
    kiln_expr *col = keep(&t, kiln_reshape(c, x, nd + 1, shape));
    kiln_expr *r = op2(&t, c, KILN_OP_AND, op2(&t, c, KILN_OP_RSHIFT, col, bit_weights(&t, c, little, true)), keep(&t, kiln_int(c, 1)));
    shape[nd - 1] = 8 * n;
    r = r ? keep(&t, kiln_reshape(c, r, nd, shape)) : NULL;
    if (r && counted && count < 8 * n) {
        r = slice_along(p, &t, r, nd - 1, 0, count, 1);
    } else if (r && counted && count > 8 * n) {
        shape[nd - 1] = count - 8 * n;
        kiln_expr *zero = keep(&t, kiln_cast(c, keep(&t, kiln_int(c, 0)), KILN_U8));
        kiln_expr *pad = zero ? fe_broadcast_to(p, &t, zero, nd, shape, f->name, off) : NULL;
        r = pad ? keep(&t, kiln_concatenate(c, 2, (kiln_expr *[]){r, pad}, nd - 1)) : NULL;
    }
    return done(p, &t, out, nd > 1 && r ? move_axis(&t, c, r, ax, false) : r, off);
}

/* bitwise_count(x): the 1 bits of |x| (a uint8), summed in the halves, nibbles and bytes of an
 * int64 and the bytes added by one multiply; |INT64_MIN| is itself, one bit */
static bool h_bitwise_count(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kiln_expr *x = keep(&t, expr_of(p, f, a, "x"));
    if (!x) return done(p, &t, out, NULL, off);
    if (dtype_is_float((kiln_dtype)x->dtype)) {
        tmps_free(&t);
        return fe_err(p, arg(a, "x")->off, KILN_ERR_DTYPE, "ufunc 'bitwise_count' not supported for the input types (%s)", kiln_dtype_name((kiln_dtype)x->dtype));
    }
    kiln_expr *v = keep(&t, kiln_abs(c, keep(&t, kiln_cast(c, x, KILN_I64))));
#define K(n) keep(&t, kiln_int(c, (int64_t)(n)))
    v = op2(&t, c, KILN_OP_SUB, v, op2(&t, c, KILN_OP_AND, op2(&t, c, KILN_OP_RSHIFT, v, K(1)), K(0x5555555555555555)));
    v = op2(&t, c, KILN_OP_ADD, op2(&t, c, KILN_OP_AND, v, K(0x3333333333333333)),
            op2(&t, c, KILN_OP_AND, op2(&t, c, KILN_OP_RSHIFT, v, K(2)), K(0x3333333333333333)));
    v = op2(&t, c, KILN_OP_AND, op2(&t, c, KILN_OP_ADD, v, op2(&t, c, KILN_OP_RSHIFT, v, K(4))), K(0x0f0f0f0f0f0f0f0f));
    v = op2(&t, c, KILN_OP_RSHIFT, op2(&t, c, KILN_OP_MUL, v, K(0x0101010101010101)), K(56));
    if (v && x->dtype == KILN_I64) v = keep(&t, kiln_where(c, op2(&t, c, KILN_OP_EQ, x, K(INT64_MIN)), K(1), v));
#undef K
    return done(p, &t, out, v ? keep(&t, kiln_cast(c, v, KILN_U8)) : NULL, off);
}

/* v with a last axis of length 1 added (kept in t) */
static kiln_expr *with_last_axis(tmps *t, kiln_ctx *c, kiln_expr *v) {
    int64_t s[KILN_MAX_DIMS];
    if (!v || v->ndim == KILN_MAX_DIMS) return v ? (kiln_fail(c, KILN_ERR_SHAPE, "too many dimensions"), NULL) : NULL;
    memcpy(s, v->shape, (size_t)v->ndim * sizeof *s);
    s[v->ndim] = 1;
    return keep(t, kiln_reshape(c, v, v->ndim + 1, s));
}

/* Test elements at most this many are compared with each element in one fused comparison and
 * reduction; more are sorted once and searched. */
#define ISIN_BY_COMPARE 32

/* isin(element, test_elements, invert=False): whether each element equals one of the test
 * elements (NaN equals none, -0.0 equals 0.0): a fused comparison with each, or the sorted
 * test elements searched for each element (a SEARCH found: whether the first of them not
 * below it is it) */
static bool h_isin(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    fe_make_strong(p, arg(a, "element")); /* NumPy's asarray: a Python number is compared as float64 or int64 */
    fe_make_strong(p, arg(a, "test_elements"));
    kiln_expr *x = keep(&t, expr_of(p, f, a, "element")), *y = x ? keep(&t, expr_of(p, f, a, "test_elements")) : NULL;
    bool inv = false;
    if (!y || (given(a, "invert") && !fe_arg_bool(p, arg(a, "invert"), f->name, "invert", &inv))) return done(p, &t, out, NULL, off);
    kval *kind = arg(a, "kind"); /* (None, 'sort' and 'table' give one answer; 'table' is NumPy's for integers and bools only) */
    bool table = kind->kind == KV_STR && !strcmp(kind->s, "table");
    if (kind->kind != KV_ABSENT && kind->kind != KV_NONE && !table && (kind->kind != KV_STR || strcmp(kind->s, "sort"))) {
        tmps_free(&t);
        return fe_err(p, kind->off, KILN_ERR_ARG, "Invalid kind: '%s'. Please use None, 'sort' or 'table'.", kind->kind == KV_STR ? kind->s : "?");
    }
    if (table && (dtype_is_float((kiln_dtype)x->dtype) || dtype_is_float((kiln_dtype)y->dtype))) {
        tmps_free(&t);
        return fe_err(p, kind->off, KILN_ERR_ARG, "The 'table' method is only supported for boolean or integer arrays. Please select 'sort' or None for kind.");
    }
    int64_t m = 1;
    for (int d = 0; d < y->ndim; d++) m *= y->shape[d];
    kiln_op cmp = inv ? KILN_OP_NE : KILN_OP_EQ;
    if (m <= ISIN_BY_COMPARE) {
        kiln_expr *eq = op2(&t, c, cmp, with_last_axis(&t, c, x), keep(&t, kiln_ravel(c, y)));
        return done(p, &t, out, eq ? keep(&t, kiln_reduce(c, inv ? KILN_OP_ALL : KILN_OP_ANY, eq, x->ndim, 0)) : NULL, off);
    }
    kiln_expr *ts = keep(&t, kiln_sort(c, keep(&t, kiln_ravel(c, y)), 0));
    kiln_expr *in = ts ? keep(&t, ir_search(&c->graph, ts, x, IR_SEARCH_FOUND)) : NULL;
    return done(p, &t, out, in && inv ? keep(&t, kiln_invert(c, in)) : in, off);
}

/* searchsorted(a, v, side='left'): for a sorted 1-D a, how many of a's elements come before each
 * v (side 'right': before or equal), in NumPy's order (NaN last): a fused count */
static bool h_searchsorted(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kiln_expr *s = keep(&t, expr_of(p, f, a, "a")), *v = s ? keep(&t, expr_of(p, f, a, "v")) : NULL;
    if (!v) return done(p, &t, out, NULL, off);
    bool right = false;
    if (given_not_none(a, "side")) {
        kval *sv = arg(a, "side");
        if (sv->kind != KV_STR || (strcmp(sv->s, "left") && strcmp(sv->s, "right"))) {
            tmps_free(&t);
            return sv->kind == KV_STR ? fe_err(p, sv->off, KILN_ERR_ARG, "search side must be 'left' or 'right' (got '%s')", sv->s)
                                      : fe_err(p, sv->off, KILN_ERR_ARG, "searchsorted(): side must be 'left' or 'right'");
        }
        right = !strcmp(sv->s, "right");
    }
    if (s->ndim != 1) {
        tmps_free(&t);
        return fe_err(p, off, KILN_ERR_SHAPE, "searchsorted(): a must be 1-D");
    }
    if (given_not_none(a, "sorter")) { /* a's order: the search in a[sorter] */
        kval *sv = arg(a, "sorter");
        kiln_expr *o = keep(&t, fe_index_expr(p, sv, f->name, "sorter"));
        if (!o) return done(p, &t, out, NULL, off);
        if (!dtype_is_int((kiln_dtype)o->dtype)) return tmps_free(&t), fe_err(p, sv->off, KILN_ERR_DTYPE, "searchsorted(): sorter must be integers, not %s", kiln_dtype_name((kiln_dtype)o->dtype));
        if (o->ndim != 1 || o->shape[0] != s->shape[0]) return tmps_free(&t), fe_err(p, sv->off, KILN_ERR_ARG, "sorter.size must equal a.size");
        kiln_array *ov = value_now(p, keep(&t, kiln_cast(c, o, KILN_I64)), sv->off); /* (its range checked now: no index wraps) */
        if (!ov) return tmps_free(&t), false;
        bool in = true;
        for (int64_t i = 0; in && i < o->shape[0]; i++) in = ((const int64_t *)kiln_array_data(ov))[i] >= 0 && ((const int64_t *)kiln_array_data(ov))[i] < o->shape[0];
        o = keep(&t, kiln_var(c, ov));
        kiln_array_free(ov);
        if (!in) return tmps_free(&t), fe_err(p, sv->off, KILN_ERR_ARG, "Sorter index out of range.");
        s = o ? keep(&t, kiln_take(c, s, o, 0)) : NULL;
    }
    return done(p, &t, out, sorted_position(&t, c, s, v, right), off);
}

/* where each of v goes in the sorted 1-D s (after its equals when right): how many of s come
 * before it, in NumPy's order (NaN last), as int64 */
static kiln_expr *sorted_position(tmps *t, kiln_ctx *c, kiln_expr *s, kiln_expr *v, bool right) {
    return s && v ? keep(t, kiln_searchsorted(c, s, v, right)) : NULL;
}

/* bincount(x, weights=None, minlength=0): how many times each value 0, 1, ... occurs in x (1-D,
 * non-negative integers; computed now for the length), or the sums of the weights there */
/* A new int64 array of n elements, element k being k / div % mod (div, mod > 0). */
static kiln_expr *index_ramp(kiln_ctx *c, int64_t n, int64_t div, int64_t mod) {
    kiln_array *r = kiln_array_new(c, KILN_I64, 1, &n);
    int64_t *d = r ? (int64_t *)kiln_array_data(r) : NULL;
    for (int64_t k = 0; d && k < n; k++) d[k] = k / div % mod;
    kiln_expr *e = r ? kiln_var(c, r) : NULL;
    kiln_array_free(r);
    return e;
}

const char *const fe_in_place[] = {"add.at", "subtract.at", "multiply.at", "divide.at", "true_divide.at", "floor_divide.at", "remainder.at",
                                   "mod.at", "power.at", "maximum.at", "minimum.at", "arctan2.at", "fmod.at", "hypot.at", "copysign.at",
                                   "bitwise_and.at", "bitwise_or.at", "bitwise_xor.at", "left_shift.at", "right_shift.at", "fill_diagonal",
                                   "put", "put_along_axis", "putmask", "place", "copyto", NULL};

bool fe_is_in_place(const char *name) {
    for (int k = 0; fe_in_place[k]; k++)
        if (!strcmp(name, fe_in_place[k])) return true;
    return false;
}

/* Whether f is called as the in-place statement it is (its one call, not a value elsewhere). */
static bool in_place_call(parser *p, const fe_fn *f, size_t off) {
    if (!p->env->in_place)
        return fe_err(p, off, KILN_ERR_ARG, "np.%s(...) is a statement of its own: it changes its first argument in place (and gives None)", f->name);
    p->env->in_place = false;
    return true;
}

/* a with the elements at flat positions pos[k] (k < n; the last one wins) replaced by v's flat
 * elements vi[k], cast to a's dtype: one gather from a and v joined (a's shape and dtype) */
static kiln_expr *put_flat(parser *p, tmps *t, kiln_expr *a, const int64_t *pos, int64_t n, kiln_expr *v, const int64_t *vi, size_t off) {
    kiln_ctx *c = p->ctx;
    int64_t size = 1;
    for (int d = 0; d < a->ndim; d++) size *= a->shape[d];
    kiln_expr *flat = keep(t, kiln_ravel(c, a)), *vf = keep(t, kiln_cast(c, keep(t, kiln_ravel(c, v)), (kiln_dtype)a->dtype));
    kiln_expr *both = flat && vf ? keep(t, kiln_concatenate(c, 2, (kiln_expr *[]){flat, vf}, 0)) : NULL;
    int64_t *src = both ? kiln_malloc(c, (size_t)(size ? size : 1) * sizeof *src) : NULL;
    if (!src) return both ? (fe_got(p, NULL, off), NULL) : NULL;
    for (int64_t i = 0; i < size; i++) src[i] = i;
    for (int64_t k = 0; k < n; k++) {
        KILN_ASSERT(pos[k] >= 0 && pos[k] < size);
        src[pos[k]] = size + vi[k];
    }
    kiln_expr *r = pick_along(p, t, both, 0, src, size);
    kiln_free(c, src);
    return r ? keep(t, kiln_reshape(c, r, a->ndim, a->shape)) : NULL;
}

/* fill_diagonal(a, val, wrap=False), put(a, ind, v, mode='raise'), putmask(a, mask, values),
 * place(arr, mask, vals): a's new value, as NumPy's write it (values repeated as needed: put's
 * and place's in order, putmask's by position) */
enum { IP_FILL_DIAGONAL, IP_PUT, IP_PUTMASK, IP_PLACE };
static bool h_put(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    if (!in_place_call(p, f, off)) return false;
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    static const char *const names[][3] = {{"a", "val", NULL}, {"a", "v", "ind"}, {"a", "values", "mask"}, {"arr", "vals", "mask"}};
    const char *const *nm = names[f->op];
    kiln_expr *x = keep(&t, expr_of(p, f, a, nm[0])), *v = x ? keep(&t, expr_of(p, f, a, nm[1])) : NULL, *w = NULL;
    if (!v) return done(p, &t, out, NULL, off);
    if (!py_ints_fit(p, arg(a, nm[1]), (kiln_dtype)x->dtype)) return tmps_free(&t), false;
    if ((f->op == IP_PUTMASK || f->op == IP_PLACE) && arg(a, nm[1])->kind == KV_ARRAY && !fe_is_py(arg(a, nm[1])) &&
        !cast_allowed((kiln_dtype)v->dtype, (kiln_dtype)x->dtype, "safe")) /* (an array by the safe rule; numbers and lists cast) */
        return tmps_free(&t), fe_err(p, arg(a, nm[1])->off, KILN_ERR_DTYPE, "Cannot cast array data from dtype('%s') to dtype('%s') according to the rule 'safe'",
                                     kiln_dtype_name((kiln_dtype)v->dtype), kiln_dtype_name((kiln_dtype)x->dtype));
    char mode = 'r'; /* put's mode: 'raise', 'wrap' or 'clip' */
    if (f->op == IP_PUT && given(a, "mode")) {
        kval *mv = arg(a, "mode");
        if (mv->kind != KV_STR || (strcmp(mv->s, "raise") && strcmp(mv->s, "wrap") && strcmp(mv->s, "clip")))
            return tmps_free(&t), fe_err(p, mv->off, KILN_ERR_ARG, "put(): mode must be 'raise', 'wrap' or 'clip'");
        mode = mv->s[0];
    }
    int64_t size = 1, nv = 1, n = 0, *pos = NULL;
    for (int d = 0; d < x->ndim; d++) size *= x->shape[d];
    for (int d = 0; d < v->ndim; d++) nv *= v->shape[d];
    bool ok = true;
    if (nv == 0 && (f->op == IP_PUT || f->op == IP_PUTMASK)) { /* no values: NumPy's put and putmask change nothing (place refuses), past their first checks */
        kiln_expr *w0 = keep(&t, expr_of(p, f, a, nm[2]));
        if (!w0) return done(p, &t, out, NULL, off);
        if (f->op == IP_PUTMASK && !ir_same_shape(w0, x)) return tmps_free(&t), fe_err(p, arg(a, nm[2])->off, KILN_ERR_SHAPE, "%s(): mask and data must be the same size", f->name);
        int64_t ni = 1;
        for (int d = 0; d < w0->ndim; d++) ni *= w0->shape[d];
        if (f->op == IP_PUT && size == 0 && ni) return tmps_free(&t), fe_err(p, off, KILN_ERR_INDEX, "cannot replace elements of an empty array");
        return done(p, &t, out, kiln_expr_retain(x), off);
    }
    if (f->op == IP_FILL_DIAGONAL) { /* the positions of a's diagonal (2-D: up to a square's unless wrap) */
        bool wrap = false;
        if (given(a, "wrap") && !fe_arg_bool(p, arg(a, "wrap"), f->name, "wrap", &wrap)) return tmps_free(&t), false;
        if (x->ndim < 2) return tmps_free(&t), fe_err(p, off, KILN_ERR_ARG, "array must be at least 2-d");
        int64_t step = 1, prod = 1, end = size;
        for (int d = 0; d < x->ndim; d++)
            if (x->ndim > 2 && x->shape[d] != x->shape[0]) return tmps_free(&t), fe_err(p, off, KILN_ERR_ARG, "All dimensions of input must be of equal length");
        if (x->ndim == 2) {
            step = x->shape[1] + 1;
            if (!wrap && x->shape[1] * x->shape[1] < end) end = x->shape[1] * x->shape[1];
        } else {
            for (int d = 0; d < x->ndim - 1; d++) step += (prod *= x->shape[d]);
        }
        pos = kiln_malloc(c, (size_t)(end / step + 2) * sizeof *pos);
        for (int64_t i = 0; pos && i < end; i += step) pos[n++] = i;
    } else { /* the positions: indices, or a mask's (computed now) */
        w = keep(&t, expr_of(p, f, a, nm[2]));
        if (!w) return done(p, &t, out, NULL, off);
        bool mask = f->op != IP_PUT;
        if (mask && !ir_same_shape(w, x)) return tmps_free(&t), fe_err(p, arg(a, nm[2])->off, KILN_ERR_SHAPE, "%s(): mask and data must be the same size", f->name);
        if (!mask && !dtype_is_int((kiln_dtype)w->dtype) && !(arg(a, nm[2])->kind == KV_LIST && arg(a, nm[2])->n == 0))
            return tmps_free(&t), fe_err(p, arg(a, nm[2])->off, KILN_ERR_ARG, "Cannot cast array data from dtype('%s') to dtype('int64') according to the rule 'safe'", kiln_dtype_name((kiln_dtype)w->dtype));
        int64_t m = 1;
        for (int d = 0; d < w->ndim; d++) m *= w->shape[d];
        kiln_array *wv = value_now(p, keep(&t, kiln_cast(c, keep(&t, kiln_ravel(c, w)), mask ? KILN_BOOL : KILN_I64)), arg(a, nm[2])->off);
        if (!wv) return tmps_free(&t), false;
        pos = kiln_malloc(c, (size_t)(m ? m : 1) * sizeof *pos);
        for (int64_t i = 0; pos && i < m; i++) {
            if (mask) {
                if (((const uint8_t *)kiln_array_data(wv))[i]) pos[n++] = i;
                continue;
            }
            int64_t j = ((const int64_t *)kiln_array_data(wv))[i];
            if (mode == 'w' && size) j = (j % size + size) % size;
            if (mode == 'c' && size) j = j < 0 ? 0 : j >= size ? size - 1 : j;
            if (j < -size || j >= size) {
                ok = fe_err(p, arg(a, nm[2])->off, KILN_ERR_INDEX, "index %lld is out of bounds for axis 0 with size %lld", (long long)j, (long long)size);
                break;
            }
            pos[n++] = j < 0 ? j + size : j;
        }
        kiln_array_free(wv);
    }
    if (ok && !pos) ok = fe_got(p, NULL, off);
    if (ok && n && nv == 0) ok = fe_err(p, arg(a, nm[1])->off, KILN_ERR_ARG, "Cannot insert from an empty array!");
    int64_t *vi = ok ? kiln_malloc(c, (size_t)(n ? n : 1) * sizeof *vi) : NULL; /* which of v's values each takes */
    for (int64_t k = 0; vi && k < n; k++) vi[k] = (f->op == IP_PUTMASK ? pos[k] : k) % nv;
    if (ok && !vi) ok = fe_got(p, NULL, off);
    kiln_expr *r = ok ? put_flat(p, &t, x, pos, n, v, vi, off) : NULL;
    kiln_free(c, pos), kiln_free(c, vi);
    if (!ok) return tmps_free(&t), false;
    return done(p, &t, out, r, off);
}

/* put_along_axis(arr, indices, values, axis): arr's new value, arr[..., indices, ...] = values with
 * indices along axis and the other axes' positions broadcast against them (axis=None: arr taken
 * flat), as NumPy's fancy assignment (a repeated position takes the last value) */
static bool h_put_along_axis(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    if (!in_place_call(p, f, off)) return false;
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kiln_expr *x = keep(&t, expr_of(p, f, a, "arr")), *ix = x ? keep(&t, expr_of(p, f, a, "indices")) : NULL;
    kiln_expr *v = ix ? keep(&t, expr_of(p, f, a, "values")) : NULL;
    int axis;
    if (!v || !one_axis(p, f, a, &axis)) return done(p, &t, out, NULL, off);
    if (!py_ints_fit(p, arg(a, "values"), (kiln_dtype)x->dtype)) return tmps_free(&t), false;
    int nd = x->ndim;
    int64_t shape[KILN_MAX_DIMS], size = 1; /* arr's shape as indexed: flat for axis=None */
    for (int d = 0; d < nd; d++) shape[d] = x->shape[d], size *= x->shape[d];
    if (axis == KILN_ALL_AXES) nd = 1, shape[0] = size, axis = 0;
    else if (axis < -nd || axis >= nd) return tmps_free(&t), fe_err(p, arg(a, "axis")->off, KILN_ERR_ARG, "axis %d is out of bounds for array of dimension %d", axis, nd);
    if (axis < 0) axis += nd;
    if (!dtype_is_int((kiln_dtype)ix->dtype)) return tmps_free(&t), fe_err(p, arg(a, "indices")->off, KILN_ERR_INDEX, "`indices` must be an integer array");
    if (ix->ndim != nd) return tmps_free(&t), fe_err(p, arg(a, "indices")->off, KILN_ERR_ARG, "`indices` and `arr` must have the same number of dimensions");
    int64_t bshape[KILN_MAX_DIMS], n = 1; /* the positions' shape: indices' against arr's other axes */
    for (int d = 0; d < nd; d++) {
        int64_t u = d == axis ? ix->shape[d] : shape[d], w = ix->shape[d];
        if (u != w && u != 1 && w != 1)
            return tmps_free(&t), fe_err(p, arg(a, "indices")->off, KILN_ERR_SHAPE, "shape mismatch: indexing arrays could not be broadcast together");
        bshape[d] = u == 1 ? w : u;
        n *= bshape[d];
    }
    int lead = 0; /* values' leading axes of length 1 beyond the positions' (NumPy's assignment drops them) */
    while (v->ndim - lead > nd && v->shape[lead] == 1) lead++;
    if (lead) v = keep(&t, kiln_reshape(c, v, v->ndim - lead, v->shape + lead));
    kiln_expr *ib = v ? fe_broadcast_to(p, &t, keep(&t, kiln_cast(c, ix, KILN_I64)), nd, bshape, f->name, arg(a, "indices")->off) : NULL;
    kiln_expr *vb = ib ? fe_broadcast_to(p, &t, v, nd, bshape, f->name, arg(a, "values")->off) : NULL;
    kiln_array *iv = vb ? value_now(p, ib, arg(a, "indices")->off) : NULL;
    if (!iv) return tmps_free(&t), false;
    int64_t *pos = kiln_malloc(c, (size_t)(n ? n : 1) * sizeof *pos), *vi = kiln_malloc(c, (size_t)(n ? n : 1) * sizeof *vi);
    const int64_t *iw = kiln_array_data(iv);
    bool ok = pos && vi ? true : fe_got(p, NULL, off);
    int64_t m[KILN_MAX_DIMS] = {0};
    for (int64_t k = 0; ok && k < n; k++) {
        int64_t j = iw[k], at = 0; /* k's position in arr (C order), m its index in bshape */
        if (j < -shape[axis] || j >= shape[axis])
            ok = fe_err(p, arg(a, "indices")->off, KILN_ERR_INDEX, "index %lld is out of bounds for axis %d with size %lld", (long long)j, axis, (long long)shape[axis]);
        for (int d = 0; d < nd; d++) at = at * shape[d] + (d == axis ? (j < 0 ? j + shape[d] : j) : shape[d] == 1 ? 0 : m[d]);
        pos[k] = at, vi[k] = k;
        for (int d = nd - 1; d >= 0 && ++m[d] == bshape[d]; d--) m[d] = 0;
    }
    kiln_array_free(iv);
    kiln_expr *r = ok ? put_flat(p, &t, x, pos, n, vb, vi, off) : NULL;
    kiln_free(c, pos), kiln_free(c, vi);
    if (!ok) return tmps_free(&t), false;
    return done(p, &t, out, r, off);
}

/* copyto(dst, src, casting='same_kind', where=True): dst's new value, src broadcast to it where
 * where holds (src cast by the rule: a float into an integer dst is refused) */
static bool h_copyto(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    if (!in_place_call(p, f, off)) return false;
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kiln_expr *x = keep(&t, expr_of(p, f, a, "dst")), *v = x ? keep(&t, expr_of(p, f, a, "src")) : NULL;
    if (!v) return done(p, &t, out, NULL, off);
    kval *cv = arg(a, "casting");
    const char *rule = cv->kind == KV_STR ? cv->s : "same_kind";
    if (cv->kind != KV_ABSENT && (cv->kind != KV_STR || !casting_valid(rule)))
        return tmps_free(&t), fe_err(p, cv->off, KILN_ERR_ARG, "casting must be one of 'no', 'equiv', 'safe', 'same_kind', or 'unsafe'");
    bool py = fe_is_py(arg(a, "src")); /* (a Python number: by its kind alone, as NumPy 2's weak scalars) */
    if (py ? strcmp(rule, "unsafe") && !(dtype_is_int((kiln_dtype)v->dtype) && dtype_is_int((kiln_dtype)x->dtype)) &&
                 !cast_allowed((kiln_dtype)v->dtype, (kiln_dtype)x->dtype, "same_kind")
           : !cast_allowed((kiln_dtype)v->dtype, (kiln_dtype)x->dtype, rule))
        return tmps_free(&t), fe_err(p, arg(a, "src")->off, KILN_ERR_DTYPE, "Cannot cast %s from dtype('%s') to dtype('%s') according to the rule '%s'",
                                     py || v->ndim == 0 ? "scalar" : "array data", kiln_dtype_name((kiln_dtype)v->dtype),
                                     kiln_dtype_name((kiln_dtype)x->dtype), rule);
    if (py && !py_ints_fit(p, arg(a, "src"), (kiln_dtype)x->dtype)) return tmps_free(&t), false;
    kiln_expr *b = keep(&t, ir_broadcast_to(&c->graph, v, x->ndim, x->shape));
    b = b ? keep(&t, kiln_cast(c, b, (kiln_dtype)x->dtype)) : NULL;
    if (b && given_not_none(a, "where")) {
        kiln_expr *w = keep(&t, expr_of(p, f, a, "where"));
        w = w ? keep(&t, ir_broadcast_to(&c->graph, keep(&t, kiln_cast(c, w, KILN_BOOL)), x->ndim, x->shape)) : NULL;
        b = w ? keep(&t, kiln_where(c, w, b, x)) : NULL;
    }
    return done(p, &t, out, b, off);
}

/* np.add.at(a, indices, b), np.subtract.at and the others of fe_in_place (f->op): a's new value,
 * b's values added (taken away, multiplied in, ...) at the indices one at a time, in order, as
 * NumPy's unbuffered in-place ufunc (a repeated index adds each time, where a[i] += b adds
 * once).  indices: an index array (list, number) into a's first axis, or a tuple of one or two
 * (a pair into the first two).  One scatter (ir_scatter_at), in order, of a's own elements and
 * then b's, each step in the op's dtype and cast back to a's, so the sums are NumPy's: a + b1 +
 * b2.  A statement of its own (env->in_place: run.c writes the value into a's memory). */
static bool h_ufunc_at(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    kiln_ctx *c = p->ctx;
    const char *name = f->name;
    if (!in_place_call(p, f, off)) return false;
    tmps t = {0};
    kiln_expr *x = keep(&t, expr_of(p, f, a, "a")), *ix[2] = {NULL, NULL};
    kval *iv = arg(a, "indices"), picked = {.kind = KV_TUPLE, .off = iv->off};
    int nix = iv->kind == KV_TUPLE ? iv->n : 1;
    if (!x) return done(p, &t, out, NULL, off);
    if (iv->kind == KV_ARRAY && iv->e->dtype == KILN_BOOL && iv->e->ndim > 0 && iv->e->ndim <= x->ndim) { /* a mask: the places it picks, as x[mask]'s */
        const kiln_expr *m = iv->e;
        for (int d = 0; d < m->ndim; d++)
            if (m->shape[d] != x->shape[d])
                return tmps_free(&t), fe_err(p, iv->off, KILN_ERR_INDEX, "boolean index did not match indexed array along axis %d; size of axis is %lld but "
                                                                        "size of corresponding boolean axis is %lld", d, (long long)x->shape[d], (long long)m->shape[d]);
        kiln_array *flat = fe_nonzero_now(p, iv->e, iv->off);
        picked.items = flat ? kiln_calloc(c, (size_t)m->ndim * sizeof *picked.items) : NULL;
        bool ok = picked.items && fe_coordinates(p, flat, m->ndim, m->shape, iv->off, picked.items);
        kiln_array_free(flat);
        if (!ok) { /* (fe_nonzero_now and fe_coordinates report their own failures) */
            bool oom = flat && !picked.items;
            kiln_free(c, picked.items);
            tmps_free(&t);
            return oom && fe_got(p, NULL, iv->off);
        }
        picked.n = m->ndim;
        kval_free(c, iv);
        *iv = picked;
        nix = picked.n;
    }
    if (nix < 1 || nix > 2 || nix > x->ndim) {
        tmps_free(&t);
        return fe_err(p, iv->off, KILN_ERR_INDEX, x->ndim == 0 ? "np.%s(): a must have at least one dimension"
                                                               : "np.%s(): indices are an index array or a tuple of one or two (one for each of a's first axes)", name);
    }
    int nd = 0; /* the index arrays, broadcast together: nd dims of shape */
    int64_t shape[KILN_MAX_DIMS];
    for (int k = 0; k < nix; k++) {
        kval *v = iv->kind == KV_TUPLE ? &iv->items[k] : iv;
        if (!(ix[k] = keep(&t, fe_arg_expr(p, v, name, "indices")))) return done(p, &t, out, NULL, off);
        bool empty = v->kind == KV_LIST && v->n == 0; /* ([]: no index, whatever its dtype) */
        if (!dtype_is_int((kiln_dtype)ix[k]->dtype) && !empty) {
            tmps_free(&t);
            return fe_err(p, v->off, KILN_ERR_INDEX, "arrays used as indices must be of integer type");
        }
        if (!(ix[k] = keep(&t, kiln_cast(c, ix[k], KILN_I64)))) return done(p, &t, out, NULL, off);
        if (!fe_merge_shape(&nd, shape, ix[k])) {
            tmps_free(&t);
            return fe_err(p, v->off, KILN_ERR_SHAPE, "shape mismatch: indexing arrays could not be broadcast together");
        }
    }
    /* b at each indexed place: the index arrays' shape, then a's dims after the indexed ones */
    int64_t picks = 1, own = 1, rest[KILN_MAX_DIMS], vshape[KILN_MAX_DIMS + 1];
    int nrest = x->ndim - nix;
    for (int d = 0; d < nd; d++) picks *= shape[d];
    for (int d = 0; d < nix; d++) own *= x->shape[d];
    if (nd + nrest > KILN_MAX_DIMS) {
        tmps_free(&t);
        return fe_err(p, iv->off, KILN_ERR_SHAPE, "np.%s(): more than %d dimensions", name, KILN_MAX_DIMS);
    }
    for (int d = 0; d < nrest; d++) rest[d] = x->shape[nix + d];
    memcpy(shape + nd, rest, (size_t)nrest * sizeof *rest);
    if (arg(a, "b")->kind == KV_ARRAY) fe_make_strong(p, arg(a, "b")); /* (NumPy takes b as an array: a Python float is float64) */
    kiln_expr *b = keep(&t, expr_of(p, f, a, "b"));
    if (b && b->ndim > nd + nrest) {
        tmps_free(&t);
        return fe_err(p, arg(a, "b")->off, KILN_ERR_SHAPE, "np.%s(): b has more dimensions than a[indices]", name);
    }
    /* each step in the dtype the op gives for a's and b's promoted one (a float32 a, a float64 b:
     * float64; integers divided: float64; the op's refusals, bool subtract's), then cast to a's
     * (unsafe, as NumPy's) */
    kiln_dtype pd = b ? dtype_promote((kiln_dtype)x->dtype, (kiln_dtype)b->dtype) : KILN_F64;
    kiln_expr *one = b ? keep(&t, kiln_const(c, pd, 1)) : NULL, *probe = one ? keep(&t, kiln_apply(c, (kiln_op)f->op, (kiln_expr *[]){one, one})) : NULL;
    if (!probe) return done(p, &t, out, NULL, off);
    pd = (kiln_dtype)probe->dtype;
    if (f->op == KILN_OP_POW && dtype_is_int(pd) && b->op == KILN_OP_CONST && ref_cast(b->val, (kiln_dtype)b->dtype, KILN_I64).i64 < 0)
        return tmps_free(&t), fe_err(p, arg(a, "b")->off, KILN_ERR_DTYPE, "Integers to negative integer powers are not allowed."); /* (a constant's, as x ** -1's) */
    b = keep(&t, ir_broadcast_to(&c->graph, b, nd + nrest, shape));
    b = b ? keep(&t, kiln_cast(c, b, pd)) : NULL;
    /* a's elements (every place once, in order), then b's, as rows along one new first axis */
    vshape[0] = own;
    memcpy(vshape + 1, rest, (size_t)nrest * sizeof *rest);
    kiln_expr *xs = keep(&t, kiln_reshape(c, keep(&t, kiln_cast(c, x, pd)), 1 + nrest, vshape));
    vshape[0] = picks;
    kiln_expr *bs = b ? keep(&t, kiln_reshape(c, b, 1 + nrest, vshape)) : NULL;
    kiln_expr *vals = xs && bs ? keep(&t, kiln_concatenate(c, 2, (kiln_expr *[]){xs, bs}, 0)) : NULL, *at[2] = {NULL, NULL};
    for (int k = 0; k < nix && vals; k++) {
        int64_t n1 = nix == 2 ? x->shape[1] : 1;
        kiln_expr *mine = keep(&t, index_ramp(c, own, k == 0 ? n1 : 1, k == 0 ? x->shape[0] : n1));
        kiln_expr *theirs = keep(&t, ir_broadcast_to(&c->graph, ix[k], nd, shape));
        theirs = theirs ? keep(&t, kiln_reshape(c, theirs, 1, &picks)) : NULL;
        at[k] = mine && theirs ? keep(&t, kiln_concatenate(c, 2, (kiln_expr *[]){mine, theirs}, 0)) : NULL;
        if (!at[k]) vals = NULL;
    }
    int mode = nix == 2 ? 2 : 0;
    kiln_expr *r = vals ? keep(&t, ir_scatter_at(&c->graph, vals, at[0], at[1], mode, x->ndim, x->shape, (kiln_op)f->op, (kiln_dtype)x->dtype)) : NULL;
    if (r && x->dtype == KILN_I64 && dtype_is_float(pd)) { /* (an int64 past 2^53 rounds in float64: where b never goes, a's own, as NumPy's) */
        kiln_expr *none = keep(&t, ir_broadcast_to(&c->graph, keep(&t, kiln_int(c, 0)), 1 + nrest, (vshape[0] = own, vshape)));
        kiln_expr *each = keep(&t, ir_broadcast_to(&c->graph, keep(&t, kiln_int(c, 1)), 1 + nrest, (vshape[0] = picks, vshape)));
        kiln_expr *ones = none && each ? keep(&t, kiln_concatenate(c, 2, (kiln_expr *[]){none, each}, 0)) : NULL;
        kiln_expr *hits = ones ? keep(&t, ir_scatter_at(&c->graph, ones, at[0], at[1], mode, x->ndim, x->shape, KILN_OP_ADD, KILN_I64)) : NULL;
        r = hits ? keep(&t, kiln_where(c, keep(&t, kiln_gt(c, hits, keep(&t, kiln_int(c, 0)))), r, x)) : NULL;
    }
    return done(p, &t, out, r, off);
}

static bool h_bincount(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out) {
    tmps t = {0};
    kiln_ctx *c = p->ctx;
    kiln_expr *x = keep(&t, expr_of(p, f, a, "x")), *w = NULL;
    int64_t minlength = 0;
    if (!x || (given_not_none(a, "minlength") && !fe_arg_int(p, arg(a, "minlength"), f->name, "minlength", &minlength)))
        return done(p, &t, out, NULL, off);
    kval *xv = arg(a, "x");
    bool seq = xv->kind == KV_LIST || xv->kind == KV_TUPLE;
    if (x->ndim == 1 && x->shape[0] == 0 && dtype_is_float((kiln_dtype)x->dtype) && seq) x = keep(&t, kiln_cast(c, x, KILN_I64)); /* bincount([]) */
    if (x && x->ndim == 1 && dtype_is_float((kiln_dtype)x->dtype)) { /* (an empty float array too, as NumPy's) */
        kiln_dtype dt = (kiln_dtype)x->dtype;
        tmps_free(&t);
        return fe_err(p, xv->off, KILN_ERR_DTYPE, "Cannot cast array data from dtype('%s') to dtype('int64') according to the rule 'safe'", kiln_dtype_name(dt));
    }
    if (x && (x->ndim != 1 || !(dtype_is_int((kiln_dtype)x->dtype) || x->dtype == KILN_BOOL))) {
        tmps_free(&t);
        return fe_err(p, arg(a, "x")->off, KILN_ERR_ARG, "bincount(): x must be a 1-D array of non-negative integers");
    }
    if (minlength < 0) {
        tmps_free(&t);
        return fe_err(p, arg(a, "minlength")->off, KILN_ERR_ARG, "bincount(): 'minlength' must not be negative");
    }
    if (x->dtype != KILN_I64) x = keep(&t, kiln_cast(c, x, KILN_I64)); /* (a cast would copy x) */
    if (x && given_not_none(a, "weights")) {
        w = keep(&t, expr_of(p, f, a, "weights"));
        if (w && (w->ndim != 1 || w->shape[0] != x->shape[0])) {
            tmps_free(&t);
            return fe_err(p, arg(a, "weights")->off, KILN_ERR_SHAPE, "bincount(): the weights and x must have the same length");
        }
        if (w && w->dtype != KILN_F64) w = keep(&t, kiln_cast(c, w, KILN_F64));
    } else if (x) { /* ones, broadcast (no array of them) */
        kiln_expr *one = keep(&t, kiln_const(c, KILN_I64, 1));
        w = one ? keep(&t, ir_broadcast_to(&c->graph, one, 1, x->shape)) : NULL;
    }
    if (!w) return done(p, &t, out, NULL, off);
    int64_t len = minlength;
    if (x->shape[0] > 0) { /* the length: the largest value + 1 */
        kiln_expr *lo = keep(&t, kiln_reduce(c, KILN_OP_MIN, x, 0, 0)), *hi = keep(&t, kiln_reduce(c, KILN_OP_MAX, x, 0, 0));
        kiln_expr *both = lo && hi ? keep(&t, kiln_stack(c, 2, (kiln_expr *[]){lo, hi}, 0)) : NULL;
        kiln_array *r = both ? value_now(p, both, off) : NULL;
        if (!r) return done(p, &t, out, NULL, off);
        int64_t mn = ((int64_t *)kiln_array_data(r))[0], mx = ((int64_t *)kiln_array_data(r))[1];
        kiln_array_free(r);
        if (mn < 0 || mx == INT64_MAX) {
            tmps_free(&t);
            return fe_err(p, arg(a, "x")->off, KILN_ERR_ARG, mn < 0 ? "bincount(): x must have no negative elements" : "bincount(): x's largest value is too large");
        }
        if (mx + 1 > len) len = mx + 1;
    }
    return done(p, &t, out, keep(&t, ir_scatter(&c->graph, w, x, NULL, 0, 0, 1, &len)), off);
}

#define SIG_SUM "a, axis=None, dtype=None, out=None, keepdims=False"
#define SIG_MAX "a, axis=None, out=None, keepdims=False"
#define SIG_SUMI "a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=True"
#define SIG_MAXI "a, axis=None, out=None, keepdims=False, initial=None, where=True"
#define SIG_ARG "a, axis=None, out=None, *, keepdims=False"
#define SIG_VAR "a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, mean=None, correction=None"
#define SIG_CUM "a, axis=None, dtype=None, out=None"
#define SIG_MEAN "a, axis=None, dtype=None, out=None, keepdims=False, *, where=True"
#define SIG_VARW "a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True, mean=None, correction=None"
#define SIG_ANY "a, axis=None, out=None, keepdims=False, *, where=True"

static const fe_fn functions[] = {
    /* element-wise, from the op list (the docs say what NumPy's ufunc computes) */
    UF2("add", ADD, "x1 + x2"), UF2("subtract", SUB, "x1 - x2"), UF2("multiply", MUL, "x1 * x2"),
    UF2("divide", DIV, "x1 / x2, true division (float)"), UF2("true_divide", DIV, "x1 / x2"),
    UF2("floor_divide", FLOORDIV, "x1 // x2, rounded toward minus infinity"),
    UF2("mod", MOD, "x1 % x2, with the sign of x2"), UF2("remainder", MOD, "x1 % x2, with the sign of x2"),
    UF2("power", POW, "x1 ** x2"), UF2("pow", POW, "x1 ** x2"), UF2("maximum", MAXIMUM, "element-wise maximum, NaN propagates"),
    UF2("minimum", MINIMUM, "element-wise minimum, NaN propagates"), UF2("arctan2", ARCTAN2, "arctan(x1 / x2) in the right quadrant"),
    UF2("atan2", ARCTAN2, "arctan(x1 / x2) in the right quadrant"), UF2("fmod", FMOD, "C's fmod: the remainder with the sign of x1"),
    UF2("hypot", HYPOT, "sqrt(x1**2 + x2**2), without overflow"), UF2("equal", EQ, "x1 == x2"),
    UF2("not_equal", NE, "x1 != x2"), UF2("less", LT, "x1 < x2"), UF2("less_equal", LE, "x1 <= x2"),
    UF2("greater", GT, "x1 > x2"), UF2("greater_equal", GE, "x1 >= x2"), UF2("bitwise_and", AND, "x1 & x2"),
    UF2("bitwise_or", OR, "x1 | x2"), UF2("bitwise_xor", XOR, "x1 ^ x2"),
    UF2("left_shift", LSHIFT, "x1 << x2 (0 once the bits are shifted out)"), UF2("right_shift", RSHIFT, "x1 >> x2 (arithmetic)"), {"logical_and", "x1, x2", h_logical, KILN_OP_AND, "the truth values of x1 and x2 (nonzero is true) and-ed, as bool", false},
    {"logical_or", "x1, x2", h_logical, KILN_OP_OR, "the truth values of x1 and x2 (nonzero is true) or-ed, as bool", false}, {"logical_xor", "x1, x2", h_logical, KILN_OP_XOR, "the truth values of x1 and x2 (nonzero is true) xor-ed, as bool", false},
    UF1("negative", NEG, "-x"), UF1("positive", POSITIVE, "+x"), UF1("invert", INVERT, "~x, bitwise not"),
    UF1("bitwise_not", INVERT, "~x"), {"logical_not", "x", h_logical, 0, "not x's truth value (nonzero is true), as bool", false}, UF1("absolute", ABS, "|x|"),
    UF1("abs", ABS, "|x|"), {"fabs", "x", h_floatfn, F_FABS, "|x| as a float", false}, {"trunc", "x", h_floatfn, F_TRUNC, "x rounded toward zero (integers and bools as they are)", false},
    {"fix", "x", h_floatfn, F_TRUNC, "x rounded toward zero", false}, UF1("sign", SIGN, "-1, 0 or 1 (NaN for NaN)"),
    UF1("floor", FLOOR, "the largest integer <= x"), UF1("ceil", CEIL, "the smallest integer >= x"),
    UF1("rint", RINT, "the nearest integer, halves to even"), UF1("sqrt", SQRT, "the square root"),
    UF1("exp", EXP, "e ** x"), UF1("expm1", EXPM1, "exp(x) - 1, accurate near 0"), UF1("exp2", EXP2, "2 ** x"), UF1("log", LOG, "the natural logarithm"),
    UF1("log1p", LOG1P, "log(1 + x), accurate near 0"), UF1("log2", LOG2, "the base-2 logarithm"),
    UF1("log10", LOG10, "the base-10 logarithm"), UF1("sin", SIN, "sine"), UF1("cos", COS, "cosine"), UF1("tan", TAN, "tangent"),
    UF1("arcsin", ARCSIN, "inverse sine"), UF1("arccos", ARCCOS, "inverse cosine"), UF1("arctan", ARCTAN, "inverse tangent"),
    UF1("asin", ARCSIN, "inverse sine"), UF1("acos", ARCCOS, "inverse cosine"), UF1("atan", ARCTAN, "inverse tangent"),
    UF1("sinh", SINH, "hyperbolic sine"), UF1("cosh", COSH, "hyperbolic cosine"), UF1("tanh", TANH, "hyperbolic tangent"),
    UF1("arcsinh", ARCSINH, "inverse hyperbolic sine"), UF1("arccosh", ARCCOSH, "inverse hyperbolic cosine"),
    UF1("arctanh", ARCTANH, "inverse hyperbolic tangent"), UF1("asinh", ARCSINH, "inverse hyperbolic sine"),
    UF1("acosh", ARCCOSH, "inverse hyperbolic cosine"), UF1("atanh", ARCTANH, "inverse hyperbolic tangent"),
    UF1("isnan", ISNAN, "whether x is NaN"), UF1("isinf", ISINF, "whether x is +inf or -inf"),
    UF1("isfinite", ISFINITE, "whether x is neither infinite nor NaN"),
    {"where", "condition, x=None, y=None", h_where, 0, "x where condition is true, else y; where(condition) is nonzero(condition)", false},
    {"fmax", "x1, x2", h_fminmax, 0, "the larger of x1 and x2, NaN only where both are", false},
    {"fmin", "x1, x2", h_fminmax, 1, "the smaller of x1 and x2, NaN only where both are", false},
    {"degrees", "x", h_angle, 0, "radians to degrees: x * (180 / pi)", false}, {"rad2deg", "x", h_angle, 0, "np.degrees", false},
    {"radians", "x", h_angle, 1, "degrees to radians: x * (pi / 180)", false}, {"deg2rad", "x", h_angle, 1, "np.radians", false},
    {"isposinf", "x", h_isposinf, 0, "whether x is +inf", false}, {"isneginf", "x", h_isposinf, 1, "whether x is -inf", false},
    {"logaddexp", "x1, x2", h_logaddexp, 0, "log(exp(x1) + exp(x2)), without overflow", false},
    {"logaddexp2", "x1, x2", h_logaddexp, 2, "log2(2**x1 + 2**x2), without overflow", false},
    {"sinc", "x", h_sinc, 0, "sin(pi x) / (pi x), 1 at 0", false},
    {"heaviside", "x1, x2", h_heaviside, 0, "0 below zero, x2 at zero, 1 above", false},
    {"bitwise_count", "x", h_bitwise_count, 0, "the number of 1 bits in |x| (a uint8)", false},
    UF1("bitwise_invert", INVERT, "~x"), UF2("bitwise_left_shift", LSHIFT, "x1 << x2"), UF2("bitwise_right_shift", RSHIFT, "x1 >> x2"),
    {"packbits", "a, axis=None, bitorder='big'", h_packbits, 0, "runs of 8 truth values along axis (None: ravelled) as the bits of uint8s", false},
    {"unpackbits", "a, axis=None, count=None, bitorder='big'", h_unpackbits, 0, "each uint8 along axis (None: ravelled) as its 8 bits", false},
    {"gcd", "x1, x2", h_gcd, 0, "the greatest common divisor of |x1| and |x2| (integers; computed now)", false},
    {"lcm", "x1, x2", h_gcd, 1, "the least common multiple of |x1| and |x2| (integers; computed now)", false},
    {"rot90", "m, k=1, axes=None", h_rot90, 0, "m turned k quarter turns from axes[0] toward axes[1] (default (0, 1); a view)", false},
    {"hsplit", "ary, indices_or_sections", h_split_axis, 1, "split along axis 1 (of a 1-D array: 0)", false},
    {"vsplit", "ary, indices_or_sections", h_split_axis, 0, "split along axis 0 (at least 2-D)", false},
    {"dsplit", "ary, indices_or_sections", h_split_axis, 2, "split along axis 2 (at least 3-D)", false},
    {"union1d", "ar1, ar2", h_set1d, SET_UNION, "the sorted distinct values of both (computed now)", false},
    {"intersect1d", "ar1, ar2, assume_unique=False, return_indices=False", h_set1d, SET_INTERSECT, "the sorted distinct values in both (computed now)", false},
    {"setdiff1d", "ar1, ar2, assume_unique=False", h_set1d, SET_DIFF, "the sorted distinct values of ar1 not in ar2 (computed now)", false},
    {"setxor1d", "ar1, ar2, assume_unique=False", h_set1d, SET_XOR, "the sorted distinct values in exactly one of them (computed now)", false},
    {"in1d", "ar1, ar2, assume_unique=False, invert=False, *, kind=None", h_set1d, SET_IN1D, "isin of ar1 ravelled", false},
    {"nancumsum", SIG_CUM, h_nancum, KILN_OP_CUMSUM, "cumsum with NaN as 0", false},
    {"nancumprod", SIG_CUM, h_nancum, KILN_OP_CUMPROD, "cumprod with NaN as 1", false},
    {"ediff1d", "ary, to_end=None, to_begin=None", h_ediff1d, 0, "the differences of ary ravelled, to_begin before and to_end after", false},
    {"lexsort", "keys, axis=-1", h_lexsort, 0, "positions sorting by the last key, then the ones before it (stable)", false},
    UF1("cbrt", CBRT, "the cube root (negative for negative x)"), UF2("copysign", COPYSIGN, "|x1| with the sign of x2 (a float)"),
    {"signbit", "x", h_signbit, 0, "whether x's sign bit is set (True for -0.0 and -nan)", false},
    {"reciprocal", "x", h_reciprocal, 0, "1 / x in x's dtype (for integers 0 but for 1 and -1)", false},
    /* compositions: built from the ops above, so they fuse */
    {"sigmoid", "x", h_compose, C_SIGMOID, "1 / (1 + exp(-x)) (scipy.special.expit)", false},
    {"expit", "x", h_compose, C_SIGMOID, "1 / (1 + exp(-x))", false},
    {"relu", "x", h_compose, C_RELU, "maximum(x, 0)", false},
    {"square", "x", h_compose, C_SQUARE, "x * x", false},
    {"softmax", "x, axis=None", h_compose, C_SOFTMAX,
     "exp(x) / sum(exp(x)) along axis (every axis when None, as scipy.special.softmax), max subtracted first", false},
    {"log_softmax", "x, axis=None", h_compose, C_LOG_SOFTMAX, "x - logsumexp(x, axis, keepdims=True) (scipy.special.log_softmax)", false},
    {"logsumexp", "a, axis=None, keepdims=False", h_logsumexp, 0, "log(sum(exp(a), axis)), max subtracted first (scipy.special)", false},
    {"clip", "a, a_min=None, a_max=None, out=None, *, min=None, max=None", h_clip, 0, "minimum(maximum(a, a_min), a_max)", false},
    {"round", "a, decimals=0, out=None", h_round, 0, "round to `decimals` places, halves to even (np.round); round(x) of one number is Python's: an int", false},
    {"around", "a, decimals=0, out=None", h_round, 0, "np.round", false},
    /* reductions and scans */
    RED("sum", KILN_OP_SUM, SIG_SUMI, "the sum over axis (an int, a tuple, or None for all; initial added; where= picks the elements)"),
    RED("prod", KILN_OP_PROD, SIG_SUMI, "the product over axis (initial multiplied in; where= picks the elements)"),
    RED("mean", R_MEAN, SIG_MEAN, "the arithmetic mean over axis (float64 for integers)"),
    RED("max", KILN_OP_MAX, SIG_MAXI, "the maximum over axis (NaN propagates; initial counts too, and is the max of nothing; where= picks the elements)"),
    RED("min", KILN_OP_MIN, SIG_MAXI, "the minimum over axis (NaN propagates; initial counts too; where= picks the elements)"),
    RED("amax", KILN_OP_MAX, SIG_MAXI, "np.max"), RED("amin", KILN_OP_MIN, SIG_MAXI, "np.min"),
    RED("argmax", KILN_OP_ARGMAX, SIG_ARG, "the index of the first maximum along axis (of the flattened array when None)"),
    RED("argmin", KILN_OP_ARGMIN, SIG_ARG, "the index of the first minimum along axis"),
    RED("any", KILN_OP_ANY, SIG_ANY, "whether any element along axis is true"),
    RED("all", KILN_OP_ALL, SIG_ANY, "whether every element along axis is true"),
    RED("var", R_VAR, SIG_VARW, "the variance: mean(abs(a - a.mean())**2) * n / (n - ddof)"),
    RED("std", R_STD, SIG_VARW, "the standard deviation: sqrt(var(a, ddof=ddof))"),
    {"nansum", SIG_SUM, h_nanreduce, KILN_OP_SUM, "the sum over axis with NaN left out (0 for none)", false},
    {"nanprod", SIG_SUM, h_nanreduce, KILN_OP_PROD, "the product over axis with NaN left out", false},
    {"nanmax", SIG_MAX, h_nanreduce, KILN_OP_MAX, "the maximum over axis with NaN left out (NaN where all are)", false},
    {"nanmin", SIG_MAX, h_nanreduce, KILN_OP_MIN, "the minimum over axis with NaN left out (NaN where all are)", false},
    {"nanmean", SIG_SUM, h_nanreduce, R_MEAN, "the mean over axis of the values that are not NaN", false},
    {"nanvar", SIG_VAR, h_nanreduce, R_VAR, "the variance over axis of the values that are not NaN (ddof: count - ddof divides)", false},
    {"nanstd", SIG_VAR, h_nanreduce, R_STD, "the standard deviation over axis of the values that are not NaN", false},
    {"nanargmax", SIG_ARG, h_nanarg, KILN_OP_ARGMAX, "argmax with NaN left out (an error for a slice of NaN alone, checked now)", false},
    {"nanargmin", SIG_ARG, h_nanarg, KILN_OP_ARGMIN, "argmin with NaN left out (an error for a slice of NaN alone, checked now)", false},
    RED("cumsum", KILN_OP_CUMSUM, SIG_CUM, "the running sum along axis (of the flattened array when None)"),
    RED("cumprod", KILN_OP_CUMPROD, SIG_CUM, "the running product along axis"),
    RED("ufunc.cummax", KILN_OP_CUMMAX, SIG_CUM, "np.maximum.accumulate"), /* (ufunc_method's) */
    RED("ufunc.cummin", KILN_OP_CUMMIN, SIG_CUM, "np.minimum.accumulate"),
    /* shapes */
    {"reshape", "a, shape, order='C'", h_reshape, 0, "the same values in another shape (one dim may be -1; order='F': read and written in Fortran order); a view when possible", false},
    {"ravel", "a, order='C'", h_ravel, 0, "the values as one dimension, in C order (or order='F')", false},
    {"transpose", "a, axes=None", h_transpose, 0, "the dims permuted (reversed when axes is None); a view", false},
    {"expand_dims", "a, axis", h_dims, 1, "a new axis of length 1 at axis (an int or a tuple)", false},
    {"squeeze", "a, axis=None", h_dims, 0, "axes of length 1 removed (all of them when axis is None)", false},
    {"concatenate", "arrays, axis=0, *, dtype=None, casting='same_kind'", h_join, J_CONCAT, "the arrays joined along an existing axis (flattened when None)", false},
    {"stack", "arrays, axis=0, *, dtype=None, casting='same_kind'", h_join, J_STACK, "the arrays joined along a new axis", false},
    {"vstack", "tup, *, dtype=None, casting='same_kind'", h_join, J_VSTACK, "the arrays stacked as rows (1-D arrays become rows)", false},
    {"hstack", "tup, *, dtype=None, casting='same_kind'", h_join, J_HSTACK, "the arrays joined along columns (along the one axis of 1-D arrays)", false},
    {"take", "a, indices, axis=None, out=None, mode='raise'", h_take, 0, "the elements at integer indices along axis (of the flattened a when None; mode 'wrap' or 'clip' for indices out of range)", false},
    {"take_along_axis", "arr, indices, axis", h_take, 1, "arr[..., indices[...], ...] with indices broadcast along axis", false},
    {"diff", "a, n=1, axis=-1, prepend=None, append=None", h_diff, 0, "a[..., 1:] - a[..., :-1] along axis, n times (prepend and append joined to a first)", false},
    {"one_hot", "labels, k, dtype=float64", h_one_hot, 0, "labels[..., None] == arange(k), as dtype; a label outside [0, k) gives zeros (jax.nn.one_hot's)", false},
    {"repeat", "a, repeats, axis=None", h_repeat, 0, "each element repeats times along axis (flattened when None); repeats an int or one per element", false},
    {"tile", "A, reps", h_tile, 0, "A repeated reps times along each axis (an int or a tuple)", false},
    {"sliding_window_view", "x, window_shape, axis=None, *, subok=False, writeable=False", h_sliding_window_view, 0,
     "every window of window_shape over axis as trailing dims (np.lib.stride_tricks'; a read-only copy here)", false},
    {"roll", "a, shift, axis=None", h_roll, 0, "the elements shifted along axis, wrapping around (flattened when None)", false},
    {"flip", "m, axis=None", h_flip, FL_FLIP, "the elements in reverse order along axis (every axis when None); a view", false},
    {"fliplr", "m", h_flip, FL_LR, "flip(m, axis=1)", false},
    {"flipud", "m", h_flip, FL_UD, "flip(m, axis=0)", false},
    {"broadcast_to", "array, shape", h_broadcast_to, 0, "array's values in shape, by NumPy's broadcasting", false},
    {"meshgrid", "*xi, indexing='xy', sparse=False", h_meshgrid, 0, "coordinate arrays from 1-d arrays, a tuple ('xy': the first two axes swapped)", false},
    {"diagonal", "a, offset=0, axis1=0, axis2=1", h_diagonal, G_DIAGONAL, "the diagonal of a over axis1 and axis2, last (offset: above it, negative below)", false},
    {"diag", "v, k=0", h_diagonal, G_DIAG, "the k-th diagonal of a 2-d v, or a 2-d array with the 1-d v on it", false},
    {"trace", "a, offset=0, axis1=0, axis2=1, dtype=None, out=None", h_diagonal, G_TRACE, "the sum of a's diagonal over axis1 and axis2", false},
    {"linalg.diagonal", "x, offset=0", h_diagonal, G_LA_DIAGONAL, "np.linalg.diagonal: the diagonals of x's last two axes (a view)", false},
    {"linalg.trace", "x, offset=0, dtype=None", h_diagonal, G_LA_TRACE, "np.linalg.trace: the sums of the diagonals of x's last two axes", false},
    {"tensorsolve", "a, b, axes=None", h_tensor, 0, "np.linalg.tensorsolve: x with tensordot(a, x, x.ndim) = b", false},
    {"tensorinv", "a, ind=2", h_tensor, 1, "np.linalg.tensorinv: the inverse of a for tensordot(..., ind)", false},
    {"tri", "N, M=None, k=0, dtype=float", h_tri, T_TRI, "ones at and below the k-th diagonal of an N x M array", false},
    {"tril", "m, k=0", h_tri, T_TRIL, "m with the elements above the k-th diagonal zero", false},
    {"triu", "m, k=0", h_tri, T_TRIU, "m with the elements below the k-th diagonal zero", false},
    {"isclose", "a, b, rtol=1e-05, atol=1e-08, equal_nan=False", h_isclose, 0, "|a - b| <= atol + rtol * |b| (infinities equal to themselves)", false},
    {"allclose", "a, b, rtol=1e-05, atol=1e-08, equal_nan=False", h_isclose, 1, "whether isclose holds everywhere, a Python bool (computed now)", true},
    {"array_equal", "a1, a2, equal_nan=False", h_array_equal, 0, "whether a1 and a2 have one shape and equal elements, a Python bool (computed now)", true},
    {"array_equiv", "a1, a2", h_array_equal, 1, "whether a1 and a2 broadcast together and are equal everywhere, a Python bool (computed now)", true},
    {"vdot", "a, b", h_vdot, 0, "the dot product of a and b ravelled", false},
    {"float_power", "x1, x2", h_float_power, 0, "x1 ** x2 in float64 (at least)", false},
    {"resize", "a, new_shape", h_resize, 0, "a's elements repeated in order to fill new_shape (a new array)", false},
    {"modf", "x", h_modf, 0, "(the fractional part, the integral part), both with x's sign", false},
    {"frexp", "x", h_frexp, 0, "(m, e): x = m * 2**e with 0.5 <= |m| < 1 and e int32; (x, 0) for 0, inf and NaN", false},
    {"ldexp", "x1, x2", h_ldexp, 0, "x1 * 2**x2 (x2 integers), exactly", false},
    UF2("nextafter", NEXTAFTER, "the next float after x1 toward x2"),
    {"spacing", "x", h_spacing, 0, "the distance from x to the next float away from zero", false},
    {"unwrap", "p, discont=None, axis=-1, *, period=6.283185307179586", h_unwrap, 0, "p with its jumps over discont (period/2) taken back by whole periods, along axis", false},
    {"trim_zeros", "filt, trim='fb'", h_trim_zeros, 0, "the 1-D filt without its leading ('f') and trailing ('b') zeros (a view; computed now)", false},
    {"divmod", "x1, x2", h_divmod, 0, "(x1 // x2, x1 % x2) (of Python numbers Python numbers, as Python's divmod)", false},
    {"count_nonzero", "a, axis=None, *, keepdims=False", h_count_nonzero, 0, "how many elements are not zero (a Python int over every axis)", true},
    {"average", "a, axis=None, weights=None, returned=False, *, keepdims=False", h_average, 0, "the mean, or sum(a * weights) / sum(weights), along axis", false},
    {"nan_to_num", "x, copy=True, nan=0.0, posinf=None, neginf=None", h_nan_to_num, 0, "NaN as nan, infinities as posinf and neginf (the dtype's largest finite values by default)", false},
    {"matmul", "x1, x2", h_product, M_MATMUL, "the matrix product x1 @ x2", false},
    {"sort", "a, axis=-1, kind=None, order=None, *, stable=None", h_sort, KILN_OP_SORT, "a's values sorted along axis (NaN last; equal values keep their order)", false},
    {"argsort", "a, axis=-1, kind=None, order=None, *, stable=None", h_sort, KILN_OP_ARGSORT, "the positions that sort a along axis (int64; equal values in order)", false},
    {"partition", "a, kth, axis=-1, kind='introselect', order=None", h_partition, KILN_OP_SORT, "a with each kth value where sorting puts it, none larger before, none smaller after", false},
    {"argpartition", "a, kth, axis=-1, kind='introselect', order=None", h_partition, KILN_OP_ARGSORT, "the positions that partition a", false},
    {"median", "a, axis=None, out=None, overwrite_input=False, keepdims=False", h_quantile, Q_MEDIAN, "the middle value along axis (the mean of the two middle ones)", false},
    {"quantile", "a, q, axis=None, out=None, overwrite_input=False, method='linear', keepdims=False, weights=None", h_quantile, Q_QUANTILE, "the q-th quantiles along axis (linear between the sorted values)", false},
    {"percentile", "a, q, axis=None, out=None, overwrite_input=False, method='linear', keepdims=False, weights=None", h_quantile, Q_PERCENTILE, "the q-th percentiles along axis", false},
    {"nanmedian", "a, axis=None, out=None, overwrite_input=False, keepdims=False", h_quantile, Q_NANMEDIAN, "median of the values that are not NaN (NaN for a line of NaN alone)", false},
    {"nanquantile", "a, q, axis=None, out=None, overwrite_input=False, method='linear', keepdims=False, weights=None", h_quantile, Q_NANQUANTILE, "quantile of the values that are not NaN", false},
    {"nanpercentile", "a, q, axis=None, out=None, overwrite_input=False, method='linear', keepdims=False, weights=None", h_quantile, Q_NANPERCENTILE, "percentile of the values that are not NaN", false},
    {"swapaxes", "a, axis1, axis2", h_axes, 0, "a with two axes swapped (a view)", false},
    {"moveaxis", "a, source, destination", h_axes, 1, "a with axes moved to new places, the others in order (a view)", false},
    {"vector_norm", "x, axis=None, keepdims=False, ord=2", h_norm, N_VECTOR, "np.linalg.vector_norm: a vector norm (2, 1, inf, 0, p) over the axes (all: the flattened x)", false},
    {"matrix_norm", "x, keepdims=False, ord='fro'", h_norm, N_MATRIX, "np.linalg.matrix_norm: a matrix norm ('fro', 'nuc', 1, 2, inf, -1, -2, -inf) over the last two axes", false},
    {"vecdot", "x1, x2, axis=-1", h_vecdot, 0, "the dot products of x1 and x2 along axis (the other dims broadcast)", false},
    {"matrix_transpose", "x", h_vecdot, 1, "x with its last two axes swapped (a view)", false},
    {"norm", "x, ord=None, axis=None, keepdims=False", h_norm, N_NORM, "np.linalg.norm: vector norms (2, 1, inf, 0, p) along an axis, matrix norms ('fro', 1, inf) over two", false},
    {"solve", "a, b", h_linalg, KILN_LA_SOLVE, "np.linalg.solve: x with a @ x = b (b: (..., n, k), or (n,))", false},
    {"inv", "a", h_linalg, KILN_LA_INV, "np.linalg.inv: the inverse of each matrix", false},
    {"det", "a", h_linalg, KILN_LA_DET, "np.linalg.det: the determinant of each matrix (by LU)", false},
    {"slogdet", "a", h_linalg, L_SLOGDET, "np.linalg.slogdet: (sign, log|det|) of each matrix", false},
    {"cholesky", "a, upper=False", h_linalg, KILN_LA_CHOLESKY, "np.linalg.cholesky: L with a = L @ L.T (a symmetric positive definite)", false},
    {"eigh", "a, UPLO='L'", h_linalg, L_EIGH, "np.linalg.eigh: (eigenvalues ascending, eigenvectors as columns) of a symmetric a", false},
    {"eigvalsh", "a, UPLO='L'", h_linalg, KILN_LA_EIGVALSH, "np.linalg.eigvalsh: a symmetric a's eigenvalues, ascending", false},
    {"svd", "a, full_matrices=True, compute_uv=True, hermitian=False", h_linalg, L_SVD, "np.linalg.svd: (u, s, vh) with a = u @ diag(s) @ vh; s alone with compute_uv=False", false},
    {"svdvals", "x", h_linalg, L_SVDVALS, "np.linalg.svdvals: the singular values, descending (svd's s)", false},
    {"qr", "a, mode='reduced'", h_linalg, L_QR, "np.linalg.qr: (q, r) with a = q @ r, q orthonormal, r upper triangular", false},
    {"pinv", "a, rcond=None, hermitian=False, rtol=None", h_linalg, L_PINV, "np.linalg.pinv: the pseudo-inverse (by svd; singular values below rcond * max dropped)", false},
    {"matrix_rank", "A, tol=None, hermitian=False, rtol=None", h_linalg, L_RANK, "np.linalg.matrix_rank: the singular values above the tolerance, counted", false},
    {"matrix_power", "a, n", h_linalg, L_POWER, "np.linalg.matrix_power: a @ a @ ... (n times; inv(a) for n < 0)", false},
    {"cond", "x, p=None", h_linalg, L_COND, "np.linalg.cond: the largest singular value over the smallest (p None, 2, -2), else norm(x, p) * norm(inv(x), p)", false},
    {"multi_dot", "arrays", h_linalg, L_MULTI_DOT, "np.linalg.multi_dot: the product of a list of matrices", false},
    {"lstsq", "a, b, rcond=None", h_linalg, L_LSTSQ, "np.linalg.lstsq: (x, residuals, rank, s), x minimizing |b - a @ x| (by svd; rank computed now)", false},
    {"split", "ary, indices_or_sections, axis=0", h_split, 0, "a list of views: at the indices, or in N equal sections", false},
    {"array_split", "ary, indices_or_sections, axis=0", h_split, 1, "a list of views: at the indices, or in N sections (the first ones one longer)", false},
    {"nonzero", "a", h_nonzero, Z_NONZERO, "a tuple of the nonzero elements' coordinates, one int64 array per dim (computed now)", false},
    {"argwhere", "a", h_nonzero, Z_ARGWHERE, "the nonzero elements' coordinates as rows of one (count, ndim) array (computed now)", false},
    {"flatnonzero", "a", h_nonzero, Z_FLAT, "the nonzero elements' positions in the flattened a (computed now)", false},
    {"cov", "m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None, dtype=None", h_cov, 0, "the covariance matrix of the rows (variables), float64", false},
    {"corrcoef", "x, y=None, rowvar=True, dtype=None", h_cov, 1, "the correlation coefficients of the rows (variables), float64", false},
    {"unique", "ar, return_index=False, return_inverse=False, return_counts=False, axis=None, equal_nan=True", h_unique, 0, "the sorted distinct values (and first positions, inverse, counts as asked; computed now)", false},
    {"einsum", "subscripts, *operands, optimize=False", h_einsum, 0, "Einstein summation: einsum('ij,jk->ik', a, b), 'bij,bjk->bik', 'ii', '...i->...'", false},
    {"tensordot", "a, b, axes=2", h_tensordot, 0, "the sum over a's last axes against b's first (or axes=((a's), (b's)))", false},
    {"dot", "a, b, out=None", h_product, M_DOT, "the dot product (matmul for 1-D and 2-D; a product with a scalar)", false},
    {"outer", "a, b", h_product, M_OUTER, "a.ravel()[:, None] * b.ravel()[None, :]", false},
    {"linalg.outer", "x1, x2", h_product, M_LA_OUTER, "np.linalg.outer: x1[:, None] * x2[None, :] of two vectors", false},
    {"inner", "a, b", h_inner, 0, "the sum over the last axes of a and b (a's other dims, then b's)", false},
    {"kron", "a, b", h_kron, 0, "the Kronecker product: blocks of b, each times an element of a", false},
    {"cross", "a, b, axis=None", h_cross, 0, "the cross product of 3-vectors (the last axes, broadcast)", false},
    {"linalg.cross", "x1, x2, *, axis=-1", h_cross, 1, "np.linalg.cross: the cross product of 3-vectors along axis (broadcast)", false},
    {"ptp", "a, axis=None, out=None, keepdims=False", h_ptp, 0, "max - min along axis (peak to peak)", false},
    {"append", "arr, values, axis=None", h_append, 0, "arr and values joined (both ravelled when axis is None)", false},
    {"gradient", "f, *varargs, axis=None, edge_order=1", h_gradient, 0, "central differences inside, one-sided at the ends, per axis (a tuple for several); spacing numbers or coordinates", false},
    {"insert", "arr, obj, values, axis=None", h_insert, 0, "values put before the entries obj names along axis (arr ravelled when None)", false},
    {"delete", "arr, obj, axis=None", h_delete, 0, "arr without the entries obj names (indices or a mask) along axis (ravelled when None)", false},
    {"atleast_1d", "*arys", h_atleast, 1, "a, with a dim added if it is 0-d (a view)", false},
    {"atleast_2d", "*arys", h_atleast, 2, "a with dims of length 1 in front up to 2 (a view)", false},
    {"atleast_3d", "*arys", h_atleast, 3, "a as NumPy's atleast_3d: (1, n, 1) for 1-D, (m, n, 1) for 2-D (a view)", false},
    {"pad", "array, pad_width, mode='constant', constant_values=0, stat_length=None", h_pad, 0, "array with pad_width values before and after along each axis: 'constant', 'edge', 'reflect', 'symmetric', 'wrap', 'maximum', 'minimum', 'mean', 'median'", false},
    {"histogram", "a, bins=10, range=None, density=None, weights=None", h_histogram, 0, "(counts, edges): equal bins over range (a's min and max, computed now), or the edges given, or bins by an estimator ('auto', 'fd', 'sturges'...)", false},
    {"dstack", "tup", h_dstack, 0, "the arrays joined along a third axis (atleast_3d first)", false},
    {"ix_", "*args", h_ix, 0, "1-D sequences shaped to index the cross product: x[ix_(rows, cols)] (masks: their nonzero positions, computed now)", false},
    {"unravel_index", "indices, shape, order='C'", h_unravel_index, 0, "the coordinates of flat C-order indices in an array of shape (a tuple of arrays; the indices checked now)", false},
    {"interp", "x, xp, fp, left=None, right=None, period=None", h_interp, 0, "piecewise-linear interpolation of (xp, fp) at x (xp increasing), in float64", false},
    {"polyval", "p, x", h_polyval, 0, "the polynomial with coefficients p (highest first) at x, by Horner's rule", false},
    {"polyfit", "x, y, deg, rcond=None, full=False, w=None, cov=False", h_polyfit, 0, "least-squares polynomial coefficients of degree deg, highest first (NumPy's scaled Vandermonde and lstsq)", false},
    {"select", "condlist, choicelist, default=0", h_select, 0, "the choice of the first condition that holds, else default", false},
    {"trapezoid", "y, x=None, dx=1.0, axis=-1", h_trapezoid, 0, "the integral by the trapezoidal rule along axis", false},
    {"trapz", "y, x=None, dx=1.0, axis=-1", h_trapezoid, 0, "trapezoid (NumPy's older name)", false},
    {"triu_indices", "n, k=0, m=None", h_tri_indices, 0, "the rows and columns of the upper triangle from diagonal k (computed now)", false},
    {"tril_indices", "n, k=0, m=None", h_tri_indices, 1, "the rows and columns of the lower triangle to diagonal k (computed now)", false},
    {"convolve", "a, v, mode='full'", h_convolve, 0, "the discrete linear convolution of two 1-D arrays (modes full, same, valid; the shorter at most 1024 long)", false},
    {"choice", "a, size=None, replace=True, p=None", fe_draw_choice, 0, "random samples of a (or of arange(a)), with or without replacement, or by probabilities p (np.random.choice)", true},
    {"asanyarray", "a, dtype=None", h_alias, 0, "np.asarray (kiln has no subclasses)", false},
    {"ascontiguousarray", "a, dtype=None", h_alias, 9, "np.asarray, at least 1-D (kiln's arrays are C-ordered)", false},
    {"asfortranarray", "a, dtype=None", h_alias, 10, "np.asarray, at least 1-D: a's memory where a is one block in Fortran order (a.T of a C-ordered array), else a copy (the values; kiln's arrays are C-ordered)", false},
    {"array_str", "a", h_alias, 1, "str(a)", false},
    {"array_repr", "arr", h_alias, 2, "repr(arr)", false},
    {"conj", "x", h_alias, 3, "x (kiln's numbers are real): a copy", false},
    {"conjugate", "x", h_alias, 3, "x (kiln's numbers are real): a copy", false},
    {"real", "val", h_alias, 4, "val (kiln's numbers are real)", false},
    {"diagflat", "v, k=0", h_alias, 5, "a 2-d array with the flattened v on its k-th diagonal", false},
    {"permute_dims", "a, axes=None", h_alias, 6, "np.transpose (the array API's name)", false},
    {"row_stack", "tup", h_alias, 7, "np.vstack", false},
    {"concat", "arrays, axis=0", h_alias, 8, "np.concatenate (the array API's name)", false},
    {"imag", "val", h_real, R_IMAG, "zeros of val's shape and dtype (kiln's numbers are real)", false},
    {"angle", "z, deg=False", h_real, R_ANGLE, "arctan2(0, z): pi where z < 0 (and z is -0.0), else 0 (in degrees when deg)", false},
    {"isreal", "x", h_real, R_ISREAL, "True for each element (kiln's numbers are real)", false},
    {"iscomplex", "x", h_real, R_ISCOMPLEX, "False for each element (kiln's numbers are real)", false},
    {"isrealobj", "x", h_real, R_ISREALOBJ, "True (kiln's numbers are real)", true},
    {"iscomplexobj", "x", h_real, R_ISCOMPLEXOBJ, "False (kiln's numbers are real)", true},
    {"isscalar", "element", h_real, R_ISSCALAR, "whether element is one number or a string (a 0-d value counts, as a NumPy scalar)", true},
    {"geomspace", "start, stop, num=50, endpoint=True, dtype=None, axis=0", h_geomspace, 0, "num numbers spaced evenly on a log scale from start to stop (the ends exact)", false},
    {"vander", "x, N=None, increasing=False", h_vander, 0, "the Vandermonde matrix of x: its powers as columns, highest first", false},
    {"indices", "dimensions, dtype=None, sparse=False", h_indices, 0, "each axis's index over a grid of the dimensions, stacked (sparse: a tuple)", false},
    {"diag_indices", "n, ndim=2", h_diag_indices, 0, "the indices of the main diagonal of an n x ... x n array (ndim times arange(n))", false},
    {"diag_indices_from", "arr", h_diag_indices, 1, "diag_indices of arr's shape (all its dims equal)", false},
    {"tril_indices_from", "arr, k=0", h_tri_indices_from, 1, "tril_indices of the 2-d arr's shape", false},
    {"triu_indices_from", "arr, k=0", h_tri_indices_from, 0, "triu_indices of the 2-d arr's shape", false},
    {"ravel_multi_index", "multi_index, dims, mode='raise', order='C'", h_ravel_multi_index, 0, "the flat positions of coordinate arrays in an array of shape dims (computed now)", false},
    {"broadcast_shapes", "*args", h_broadcast_shapes, 0, "the shapes broadcast together (a tuple)", false},
    {"broadcast_arrays", "*args", h_broadcast_arrays, 0, "the arrays broadcast to their common shape (a tuple of views)", false},
    {"dtype", "dtype", h_types, T_DTYPE, "the data type a name or NumPy's character code ('f8', '<i4') names", false},
    {"finfo", "dtype", h_info, 0, "a float dtype's limits: .eps .max .min .tiny .resolution .precision ...", false},
    {"iinfo", "int_type", h_info, 1, "an integer dtype's limits: .min .max .bits", false},
    {"result_type", "*arrays_and_dtypes", h_types, T_RESULT, "the dtype NumPy's promotion gives them (a Python number weak)", false},
    {"promote_types", "type1, type2", h_types, T_PROMOTE, "the smallest dtype both cast to safely", false},
    {"can_cast", "from_, to, casting='safe'", h_types, T_CAN_CAST, "whether casting from_ (a dtype or an array) to the dtype to is allowed by the rule", true},
    {"block", "arrays", h_block, 0, "an array assembled from nested lists of blocks (the innermost joined along the last axis)", false},
    {"unique_values", "x", h_unique_api, 0, "the sorted distinct values (np.unique, equal_nan=False)", false},
    {"unique_counts", "x", h_unique_api, 1, "(values, counts) of the distinct values", false},
    {"unique_inverse", "x", h_unique_api, 2, "(values, inverse): the distinct values and where each of x's is among them (x's shape)", false},
    {"unique_all", "x", h_unique_api, 3, "(values, indices, inverse, counts)", false},
    {"histogram_bin_edges", "a, bins=10, range=None, weights=None", h_histogram_bin_edges, 0, "histogram's edges", false},
    {"bartlett", "M", h_window, W_BARTLETT, "the Bartlett (triangular) window of M points", false},
    {"blackman", "M", h_window, W_BLACKMAN, "the Blackman window of M points", false},
    {"hamming", "M", h_window, W_HAMMING, "the Hamming window of M points", false},
    {"hanning", "M", h_window, W_HANNING, "the Hann window of M points", false},
    {"polyadd", "a1, a2", h_polyarith, P_ADD, "the sum of two polynomials (coefficients, highest power first)", false},
    {"polysub", "a1, a2", h_polyarith, P_SUB, "the difference of two polynomials", false},
    {"polymul", "a1, a2", h_polyarith, P_MUL, "the product of two polynomials", false},
    {"polyder", "p, m=1", h_polycalc, P_DER, "the m-th derivative of a polynomial", false},
    {"polyint", "p, m=1, k=None", h_polycalc, P_INT, "the m-th integral of a polynomial (constants k)", false},
    {"polydiv", "u, v", h_polydiv, 0, "(quotient, remainder) of u divided by v (float64; computed now)", false},
    {"poly", "seq_of_zeros", h_polydiv, 1, "the coefficients of the monic polynomial with these roots (computed now)", false},
    {"matvec", "x1, x2", h_matvec, 0, "matrices x1 (..., m, n) times vectors x2 (..., n)", false},
    {"vecmat", "x1, x2", h_matvec, 1, "vectors x1 (..., n) times matrices x2 (..., n, m)", false},
    {"unstack", "x, axis=0", h_unstack, 0, "x's slices along axis, a tuple of views", false},
    {"rollaxis", "a, axis, start=0", h_rollaxis, 0, "a with axis moved to before start (a view)", false},
    {"asarray_chkfinite", "a, dtype=None", h_chkfinite, 0, "asarray, refused where a holds an inf or NaN (read now)", false},
    {"correlate", "a, v, mode='valid'", h_correlate, 0, "the cross-correlation of two 1-D arrays: convolve(a, v[::-1])", false},
    {"cumulative_sum", "x, axis=None, dtype=None, include_initial=False", h_cumulative, 0, "cumsum along axis, with 0 first when include_initial", false},
    {"cumulative_prod", "x, axis=None, dtype=None, include_initial=False", h_cumulative, 1, "cumprod along axis, with 1 first when include_initial", false},
    {"extract", "condition, arr", h_extract, 0, "arr's flattened elements where the flattened condition holds (computed now)", false},
    {"compress", "condition, a, axis=None", h_extract, 1, "a's slices along axis where the 1-D condition holds (computed now)", false},
    {"choose", "a, choices, mode='raise'", h_choose, 0, "choices[a[i]][i] with a and the choices broadcast (computed now)", false},
    {"binary_repr", "num, width=None", h_repr_int, 0, "num in binary, a string (two's complement in width bits when negative)", true},
    {"base_repr", "number, base=2, padding=0", h_repr_int, 1, "number in base 2..36, a string", true},
    {"histogram2d", "x, y, bins=10, range=None, density=None, weights=None", h_histogram2d, 0, "(H, xedges, yedges): the points (x, y) counted in a grid of bins (NumPy's histogram2d; computed now)", false},
    {"histogramdd", "sample, bins=10, range=None, density=None, weights=None", h_histogramdd, 0, "(H, [edges of each dimension]): points of D dimensions counted in a grid of bins (NumPy's histogramdd; computed now)", false},
    {"digitize", "x, bins, right=False", h_digitize, 0, "the index of each x's bin, as NumPy's (bins increasing or decreasing, read now)", false},
    {"column_stack", "tup", h_column_stack, 0, "1-D arrays as the columns of a 2-D array (2-D ones joined along axis 1)", false},
    {"isin", "element, test_elements, assume_unique=False, invert=False, *, kind=None", h_isin, 0, "whether each element is among test_elements (fused compares for up to 32 of them, else sorted and searched)", false},
    {"searchsorted", "a, v, side='left', sorter=None", h_searchsorted, 0, "where v would go in the sorted 1-D a to keep it sorted (a binary search per value)", false},
    {"fill_diagonal", "a, val, wrap=False", h_put, IP_FILL_DIAGONAL, "a statement: a's diagonal set to val (repeated as needed)", false},
    {"put", "a, ind, v, mode='raise'", h_put, IP_PUT, "a statement: a's flat elements at ind set to v (repeated as needed)", false},
    {"put_along_axis", "arr, indices, values, axis", h_put_along_axis, 0, "a statement: arr's elements at indices along axis set to values (broadcast)", false},
    {"putmask", "a, mask, values", h_put, IP_PUTMASK, "a statement: a's elements where mask holds set to values (by position, repeated)", false},
    {"place", "arr, mask, vals", h_put, IP_PLACE, "a statement: arr's elements where mask holds set to vals in order (repeated)", false},
    {"copyto", "dst, src, casting='same_kind', where=True", h_copyto, 0, "a statement: src copied into dst (broadcast; where it holds)", false},
    {"add.at", "a, indices, b", h_ufunc_at, KILN_OP_ADD, "a statement: b's values added to a at the indices, one at a time (a repeated index adds each time)", false},
    {"subtract.at", "a, indices, b", h_ufunc_at, KILN_OP_SUB, "a statement: b's values taken from a at the indices, one at a time", false},
#define UFUNC_AT(NAME, OP, WHAT) {NAME ".at", "a, indices, b", h_ufunc_at, KILN_OP_##OP, "a statement: a at the indices " WHAT " b's values, one at a time", false}
    UFUNC_AT("multiply", MUL, "multiplied by"), UFUNC_AT("divide", DIV, "divided by"), UFUNC_AT("true_divide", DIV, "divided by"),
    UFUNC_AT("floor_divide", FLOORDIV, "floor-divided by"), UFUNC_AT("remainder", MOD, "the remainder (Python's) of its division by"),
    UFUNC_AT("mod", MOD, "the remainder (Python's) of its division by"), UFUNC_AT("power", POW, "raised to"),
    UFUNC_AT("maximum", MAXIMUM, "the larger (NaN wins) of it and"), UFUNC_AT("minimum", MINIMUM, "the smaller (NaN wins) of it and"),
    UFUNC_AT("arctan2", ARCTAN2, "arctan2 of it and"), UFUNC_AT("fmod", FMOD, "the remainder (C's) of its division by"),
    UFUNC_AT("hypot", HYPOT, "the hypotenuse of it and"), UFUNC_AT("copysign", COPYSIGN, "given the signs of"),
    UFUNC_AT("bitwise_and", AND, "and-ed with"), UFUNC_AT("bitwise_or", OR, "or-ed with"), UFUNC_AT("bitwise_xor", XOR, "xor-ed with"),
    UFUNC_AT("left_shift", LSHIFT, "shifted left by"), UFUNC_AT("right_shift", RSHIFT, "shifted right by"),
#undef UFUNC_AT
    {"bincount", "x, weights=None, minlength=0", h_bincount, 0, "the count of each value 0..max(x) in the 1-D x (or its weights' sums; computed now for the length)", false},
    /* constructors */
    /* gradients */
    {"grad", "expr, wrt, seed=None", h_grad, 0, "the gradient of a scalar expr with respect to the arrays named by wrt (a name or a tuple of names); seed: a vector-Jacobian product", false},
    {"value_and_grad", "expr, wrt, seed=None", h_grad, 1, "(expr, grad(expr, wrt)), evaluated together", false},
    {"zeros", "shape, dtype=float", h_fill, K_ZEROS, "a new array of zeros", false},
    {"ones", "shape, dtype=float", h_fill, K_ONES, "a new array of ones", false},
    {"empty", "shape, dtype=float", h_fill, K_ZEROS, "a new array (kiln's are zeros)", false},
    {"full", "shape, fill_value, dtype=None", h_fill, K_FULL, "a new array filled with fill_value", false},
    {"zeros_like", "a, dtype=None", h_fill, K_ZEROS_LIKE, "zeros of a's shape and dtype", false},
    {"ones_like", "a, dtype=None", h_fill, K_ONES_LIKE, "ones of a's shape and dtype", false},
    {"empty_like", "a, dtype=None", h_fill, K_ZEROS_LIKE, "zeros of a's shape and dtype", false},
    {"full_like", "a, fill_value, dtype=None", h_fill, K_FULL_LIKE, "fill_value in a's shape and dtype", false},
    {"eye", "N, M=None, k=0, dtype=float", h_eye, 0, "ones on the k-th diagonal of an N x M array", false},
    {"identity", "n, dtype=float", h_eye, 1, "the n x n identity matrix", false},
    {"arange", "start=None, stop=None, step=None, dtype=None", h_arange, 0, "evenly spaced values in [start, stop) (int64 from integers)", false},
    {"linspace", "start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0", h_linspace, 0, "num evenly spaced values from start to stop (retstep: and the step)", false},
    {"logspace", "start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0", h_linspace, 1, "base ** linspace(start, stop, num, endpoint)", false},
    {"rand", "*shape", fe_draw_rand, D_RAND, "uniform random values in [0, 1), NumPy's for the same seed (np.random.rand; seed(n) seeds np.random)", true},
    {"randn", "*shape", fe_draw_rand, D_RANDN, "standard normal random values, NumPy's for the same seed (np.random.randn)", true},
    {"random", "size=None", fe_draw_rand, D_RAND, "uniform random values in [0, 1) (np.random.random)", true},
    {"random_sample", "size=None", fe_draw_rand, D_RAND, "uniform random values in [0, 1) (np.random.random_sample)", true},
    {"standard_normal", "size=None", fe_draw_rand, D_RANDN, "standard normal random values (np.random.standard_normal)", true},
    {"normal", "loc=0.0, scale=1.0, size=None", fe_draw_rand, D_NORMAL, "normal random values (np.random.normal)", true},
    {"uniform", "low=0.0, high=1.0, size=None", fe_draw_rand, D_UNIFORM, "uniform random values in [low, high) (np.random.uniform)", true},
    {"exponential", "scale=1.0, size=None", fe_draw_rand, D_EXP, "exponential random values (np.random.exponential)", true},
    {"standard_exponential", "size=None", fe_draw_rand, D_EXP, "exponential random values of scale 1 (np.random.standard_exponential)", true},
    {"randint", "low, high=None, size=None, dtype=None", fe_draw_integers, 0, "random integers in [low, high) (np.random.randint)", true},
    {"shuffle", "x", h_statement, 0, "shuffle(x): a statement; shuffles the rows of the array x names, in place, as np.random.shuffle (rng.shuffle(x): a Generator's)", false},
    {"permutation", "x", fe_draw_permutation, 0, "a shuffled arange(x), or x's rows shuffled (np.random.permutation)", false},
    {"gamma", "shape, scale=1.0, size=None", fe_draw_dist, FE_GAMMA, "gamma random values (np.random.gamma)", true},
    {"standard_gamma", "shape, size=None", fe_draw_dist, FE_STD_GAMMA, "gamma random values of scale 1 (np.random.standard_gamma)", true},
    {"beta", "a, b, size=None", fe_draw_dist, FE_BETA, "beta random values (np.random.beta)", true},
    {"chisquare", "df, size=None", fe_draw_dist, FE_CHISQUARE, "chi-square random values (np.random.chisquare)", true},
    {"random.f", "dfnum, dfden, size=None", fe_draw_dist, FE_F, "F-distributed random values (np.random.f)", true},
    {"standard_t", "df, size=None", fe_draw_dist, FE_STD_T, "Student's t random values (np.random.standard_t)", true},
    {"standard_cauchy", "size=None", fe_draw_dist, FE_CAUCHY, "Cauchy random values (np.random.standard_cauchy)", true},
    {"lognormal", "mean=0.0, sigma=1.0, size=None", fe_draw_dist, FE_LOGNORMAL, "log-normal random values (np.random.lognormal)", true},
    {"laplace", "loc=0.0, scale=1.0, size=None", fe_draw_dist, FE_LAPLACE, "Laplace random values (np.random.laplace)", true},
    {"logistic", "loc=0.0, scale=1.0, size=None", fe_draw_dist, FE_LOGISTIC, "logistic random values (np.random.logistic)", true},
    {"gumbel", "loc=0.0, scale=1.0, size=None", fe_draw_dist, FE_GUMBEL, "Gumbel random values (np.random.gumbel)", true},
    {"pareto", "a, size=None", fe_draw_dist, FE_PARETO, "Pareto II (Lomax) random values (np.random.pareto)", true},
    {"weibull", "a, size=None", fe_draw_dist, FE_WEIBULL, "Weibull random values (np.random.weibull)", true},
    {"random.power", "a, size=None", fe_draw_dist, FE_POWER, "power-distributed random values in [0, 1] (np.random.power)", true},
    {"rayleigh", "scale=1.0, size=None", fe_draw_dist, FE_RAYLEIGH, "Rayleigh random values (np.random.rayleigh)", true},
    {"wald", "mean, scale, size=None", fe_draw_dist, FE_WALD, "Wald (inverse Gaussian) random values (np.random.wald)", true},
    {"triangular", "left, mode, right, size=None", fe_draw_dist, FE_TRIANGULAR, "triangular random values (np.random.triangular)", true},
    {"poisson", "lam=1.0, size=None", fe_draw_dist, FE_POISSON, "Poisson counts (int64) (np.random.poisson)", true},
    {"binomial", "n, p, size=None", fe_draw_dist, FE_BINOMIAL, "binomial counts (int64): successes of n trials (np.random.binomial)", true},
    {"negative_binomial", "n, p, size=None", fe_draw_dist, FE_NEG_BINOMIAL, "negative binomial counts (int64) (np.random.negative_binomial)", true},
    {"geometric", "p, size=None", fe_draw_dist, FE_GEOMETRIC, "geometric counts (int64): trials to the first success (np.random.geometric)", true},
    {"multinomial", "n, pvals, size=None", fe_draw_multi, 0, "multinomial counts (int64): n draws spread over len(pvals) outcomes (np.random.multinomial)", false},
    {"multivariate_normal", "mean, cov, size=None, check_valid='warn', tol=1e-8", fe_draw_mvnormal, 0, "normal rows with mean and covariance cov, as NumPy's (through cov's SVD) (np.random.multivariate_normal)", false},
    {"dirichlet", "alpha, size=None", fe_draw_multi, 1, "Dirichlet rows (float64, each summing to 1) (np.random.dirichlet)", false},
    {"default_rng", "seed=None", fe_draw_default_rng, 0, "a Generator (PCG64, seeded as NumPy seeds it: the same numbers as NumPy's for the same seed); "
                                                   "its methods are listed as Generator.NAME", false},
    {"Generator.gamma", "self, shape, scale=1.0, size=None", fe_draw_dist, FE_GAMMA, "rng.gamma(...): gamma random values", true},
    {"Generator.standard_gamma", "self, shape, size=None", fe_draw_dist, FE_STD_GAMMA, "rng.standard_gamma(...): gamma random values of scale 1", true},
    {"Generator.beta", "self, a, b, size=None", fe_draw_dist, FE_BETA, "rng.beta(...): beta random values", true},
    {"Generator.chisquare", "self, df, size=None", fe_draw_dist, FE_CHISQUARE, "rng.chisquare(...): chi-square random values", true},
    {"Generator.f", "self, dfnum, dfden, size=None", fe_draw_dist, FE_F, "rng.f(...): F-distributed random values", true},
    {"Generator.standard_t", "self, df, size=None", fe_draw_dist, FE_STD_T, "rng.standard_t(...): Student's t random values", true},
    {"Generator.standard_cauchy", "self, size=None", fe_draw_dist, FE_CAUCHY, "rng.standard_cauchy(...): Cauchy random values", true},
    {"Generator.lognormal", "self, mean=0.0, sigma=1.0, size=None", fe_draw_dist, FE_LOGNORMAL, "rng.lognormal(...): log-normal random values", true},
    {"Generator.laplace", "self, loc=0.0, scale=1.0, size=None", fe_draw_dist, FE_LAPLACE, "rng.laplace(...): Laplace random values", true},
    {"Generator.logistic", "self, loc=0.0, scale=1.0, size=None", fe_draw_dist, FE_LOGISTIC, "rng.logistic(...): logistic random values", true},
    {"Generator.gumbel", "self, loc=0.0, scale=1.0, size=None", fe_draw_dist, FE_GUMBEL, "rng.gumbel(...): Gumbel random values", true},
    {"Generator.pareto", "self, a, size=None", fe_draw_dist, FE_PARETO, "rng.pareto(...): Pareto II (Lomax) random values", true},
    {"Generator.weibull", "self, a, size=None", fe_draw_dist, FE_WEIBULL, "rng.weibull(...): Weibull random values", true},
    {"Generator.power", "self, a, size=None", fe_draw_dist, FE_POWER, "rng.power(...): power-distributed random values in [0, 1]", true},
    {"Generator.rayleigh", "self, scale=1.0, size=None", fe_draw_dist, FE_RAYLEIGH, "rng.rayleigh(...): Rayleigh random values", true},
    {"Generator.wald", "self, mean, scale, size=None", fe_draw_dist, FE_WALD, "rng.wald(...): Wald (inverse Gaussian) random values", true},
    {"Generator.triangular", "self, left, mode, right, size=None", fe_draw_dist, FE_TRIANGULAR, "rng.triangular(...): triangular random values", true},
    {"Generator.poisson", "self, lam=1.0, size=None", fe_draw_dist, FE_POISSON, "rng.poisson(...): Poisson counts (int64)", true},
    {"Generator.binomial", "self, n, p, size=None", fe_draw_dist, FE_BINOMIAL, "rng.binomial(...): binomial counts (int64): successes of n trials", true},
    {"Generator.negative_binomial", "self, n, p, size=None", fe_draw_dist, FE_NEG_BINOMIAL, "rng.negative_binomial(...): negative binomial counts (int64)", true},
    {"Generator.geometric", "self, p, size=None", fe_draw_dist, FE_GEOMETRIC, "rng.geometric(...): geometric counts (int64): trials to the first success", true},
    {"Generator.multinomial", "self, n, pvals, size=None", fe_draw_multi, 0, "rng.multinomial(n, pvals, size): multinomial counts (int64)", false},
    {"Generator.multivariate_normal", "self, mean, cov, size=None, check_valid='warn', tol=1e-8, *, method='svd'", fe_draw_mvnormal, 0, "rng.multivariate_normal(mean, cov, size): normal rows (method 'svd', 'eigh' or 'cholesky')", false},
    {"Generator.dirichlet", "self, alpha, size=None", fe_draw_multi, 1, "rng.dirichlet(alpha, size): Dirichlet rows (float64)", false},
    {"Generator.random", "self, size=None, dtype=None, out=None", fe_draw_rand, D_RAND, "rng.random(size): uniform in [0, 1) (float64 or float32)", true},
    {"Generator.standard_normal", "self, size=None, dtype=None, out=None", fe_draw_rand, D_RANDN, "rng.standard_normal(size): standard normal (the ziggurat; float64 or float32)", true},
    {"Generator.normal", "self, loc=0.0, scale=1.0, size=None", fe_draw_rand, D_NORMAL, "rng.normal(loc, scale, size)", true},
    {"Generator.uniform", "self, low=0.0, high=1.0, size=None", fe_draw_rand, D_UNIFORM, "rng.uniform(low, high, size): uniform in [low, high)", true},
    {"Generator.exponential", "self, scale=1.0, size=None", fe_draw_rand, D_EXP, "rng.exponential(scale, size)", true},
    {"Generator.standard_exponential", "self, size=None, dtype=None, method='zig', out=None", fe_draw_rand, D_EXP, "rng.standard_exponential(size, dtype, method): the ziggurat, or 'inv': -log1p(-u)", true},
    {"Generator.integers", "self, low, high=None, size=None, dtype=None, endpoint=False", fe_draw_integers, 0, "rng.integers(low, high, size): in [low, high), or [low, high] with endpoint=True", false},
    {"Generator.choice", "self, a, size=None, replace=True, p=None, axis=0, shuffle=True", fe_draw_choice, 0, "rng.choice(a, size): samples of a (or of arange(a)) along axis, with or without replacement, or by probabilities p", true},
    {"Generator.permutation", "self, x, axis=0", fe_draw_permutation, 0, "rng.permutation(x): a shuffled arange(x), or x's slices along axis shuffled", false},
    {"load", "file, mmap_mode=None, allow_pickle=False, fix_imports=True, encoding='ASCII', *, max_header_size=10000", h_load, 0,
     "the array in a .npy file, read (mmap_mode='r' or 'c': the file mapped, read-only or copy-on-write)", false},
    {"loadtxt", "fname, dtype=float64, comments='#', delimiter=None, converters=None, skiprows=0, usecols=None, unpack=False, ndmin=0, encoding=None, max_rows=None",
     h_loadtxt, 0, "the numbers in a text file, a row per line (read now)", false},
    {"savetxt", "fname, X, fmt='%.18e', delimiter=None, newline=None, header='', footer='', comments=None, encoding=None",
     h_savetxt, 0, "X written to a text file, a row per line, each value by fmt (delimiter ' ', newline '\\n', comments '# '); None", true},
    {"array", "object, dtype=None, *, copy=True, order='K', subok=False, ndmin=0, like=None", h_array, 0, "an array from a (nested) list of numbers or arrays (copy=None or False: the array itself where it can be)", false},
    {"asarray", "object, dtype=None, order=None, *, device=None, copy=None, like=None", h_array, 1, "np.array, or an array itself when its dtype is dtype (no copy)", false},
    {"copy", "a, order='K', subok=False", h_copy, 0, "a's values as a new array (an in-place update of one does not reach the other)", false},
    /* dtypes as functions, and Python's builtins */
    {"float32", "x", h_cast, KILN_F32, "x as float32 (np.float32)", false},
    {"float64", "x", h_cast, KILN_F64, "x as float64", false},
    {"int32", "x", h_cast, KILN_I32, "x as int32, truncated toward zero", false},
    {"int64", "x", h_cast, KILN_I64, "x as int64, truncated toward zero", false},
    {"uint8", "x", h_cast, KILN_U8, "x as uint8, truncated toward zero (an array's values modulo 256)", false},
    {"ubyte", "x", h_cast, KILN_U8, "uint8(x)", false},
    {"int8", "x", h_cast, KILN_I8, "x as int8, truncated toward zero (an array's values wrapped into -128..127)", false},
    {"byte", "x", h_cast, KILN_I8, "int8(x)", false},
    {"int16", "x", h_cast, KILN_I16, "x as int16, truncated toward zero (an array's values wrapped)", false},
    {"short", "x", h_cast, KILN_I16, "int16(x)", false},
    {"uint16", "x", h_cast, KILN_U16, "x as uint16, truncated toward zero (an array's values modulo 65536)", false},
    {"ushort", "x", h_cast, KILN_U16, "uint16(x)", false},
    {"uint32", "x", h_cast, KILN_U32, "x as uint32, truncated toward zero (an array's values modulo 2**32)", false},
    {"uintc", "x", h_cast, KILN_U32, "uint32(x)", false},
    {"intc", "x", h_cast, KILN_I32, "int32(x)", false},
    {"int_", "x", h_cast, KILN_I64, "int64(x)", false},
    {"long", "x", h_cast, KILN_I64, "int64(x) (NumPy 2's long, C's long on Linux)", false},
    {"longlong", "x", h_cast, KILN_I64, "int64(x)", false},
    {"bool_", "x", h_cast, KILN_BOOL, "x as bool (nonzero is True)", false},
    {"math.floor", "x", h_math_int, 0, "the largest integer not above x, a Python int", true},
    {"math.ceil", "x", h_math_int, 1, "the smallest integer not below x, a Python int", true},
    {"math.trunc", "x", h_math_int, 2, "x truncated toward zero, a Python int", true},
    {"py.round", "number, ndigits=None, *, decimals=None, out=None", h_py_round, 3, "Python's round: of one number a Python int (halves to even); with ndigits, or of an array, np.round", true},
    {"math.log", "x, base=None", h_math_log, 0, "NumPy's log; with base, log(x) / log(base) as Python's", true},
    {"py.sum", SIG_SUMI ", start=None", h_py_sum, KILN_OP_SUM, "Python's sum: of a list or a tuple its items added in turn (element-wise for arrays; sum(xs, start)); of an array np.sum", false},
    {"py.abs", "x", h_py_abs, KILN_OP_ABS, "Python's abs: np.abs, but of the smallest Python int an overflow error (Python's is 2**63)", true},
    {"py.divmod", "x1, x2", h_divmod, 1, "Python's divmod: (x1 // x2, x1 % x2), of Python numbers Python numbers", true},
    {"float", "x=0", h_pyconv, KILN_F64, "a Python float of a one-element array, computed now", true},
    {"int", "x=0, base=10", h_pyconv, KILN_I64, "a Python int (truncated) of a one-element array, computed now; of a string in base (2 to 36, 0: its prefix's)", true},
    {"bool", "x=False", h_pyconv, KILN_BOOL, "the truth value of a one-element array, computed now", true},
    {"len", "a", h_query, Q_LEN, "the length of the first dimension", true},
    {"set_printoptions", "precision=None, threshold=None, edgeitems=None, linewidth=None, suppress=None, nanstr=None, infstr=None, formatter=None, sign=None, floatmode=None, *, legacy=None, override_repr=None",
     h_set_printoptions, 0, "the session's print options, as NumPy's: digits after the point, elements before summarizing, edge items, line width, no scientific notation for small numbers", true},
    {"str", "object=''", h_text, 1, "the text print shows for object", true},
    {"repr", "object", h_text, 0, "the text the REPL shows for object", true},
    {"chr", "i", h_int_text, 0, "the one-character str of code point i (Python's chr)", true},
    {"ord", "c", h_ord, 0, "the code point of the one-character str c (Python's ord)", true},
    {"hex", "i", h_int_text, 16, "the int i in hexadecimal, '0x...' (Python's hex)", true},
    {"oct", "i", h_int_text, 8, "the int i in octal, '0o...' (Python's oct)", true},
    {"bin", "i", h_int_text, 2, "the int i in binary, '0b...' (Python's bin)", true},
    {"math.factorial", "a", h_math_intfn, 0, "a!, a Python int (an error past 20!: kiln's ints are 64-bit)", true},
    {"math.gcd", "a, b=0", h_math_intfn, 1, "the greatest common divisor of two ints (nonnegative)", true},
    {"math.lcm", "a, b=1", h_math_intfn, 2, "the least common multiple of two ints (nonnegative)", true},
    {"math.comb", "a, b", h_math_intfn, 3, "the number of ways to choose b of a items, a Python int", true},
    {"math.perm", "a, b=None", h_math_intfn, 4, "the number of ordered choices of b of a items (b omitted: a!)", true},
    {"math.isqrt", "a", h_math_intfn, 5, "the integer square root of a nonnegative int", true},
    {"shape", "a", h_query, Q_SHAPE, "a's shape, a tuple", true},
    {"ndim", "a", h_query, Q_NDIM, "a's number of dimensions", true},
    {"size", "a", h_query, Q_SIZE, "a's number of elements", true},
    {"range", "*args", h_range, 0, "range(stop) or range(start, stop, step): for i in range(n): ...; in an expression, a list of its numbers", true},
    {"list", "iterable=None", h_sequence, 0, "a list of the iterable's items (an array's rows)", true},
    {"tuple", "iterable=None", h_sequence, 1, "a tuple of the iterable's items (an array's rows)", true},
    {"zip", "*iterables, strict=False", h_zip, 0, "a list of tuples of the iterables' items, as long as the shortest (strict=True: an error unless all are as long)", true},
    {"sorted", "iterable, *, key=None, reverse=False", h_sorted, 0, "a list of the items in order (Python's stable sort by <; reverse=True: largest first)", true},
    {"reversed", "seq", h_sorted, 1, "a list of the items, last first", true},
    {"enumerate", "iterable, start=0", h_zip, 1, "a list of (count, item) tuples", true},
    {"slice", "*args", h_slice, 0, "Python's slice(stop) or slice(start, stop[, step]): x[slice(1, None)] is x[1:]", true},
    {"ndindex", "*shape", h_ndindex, 0, "a list of every index tuple of shape, in C order (ndindex(3, 4) or ndindex((3, 4)))", false},
    {"ndenumerate", "arr", h_ndindex, 1, "a list of (index tuple, element) pairs of arr's elements, in C order", false},
    {"print", "*args", h_statement, 0, "print(values..., sep=' ', end='\\n'): a statement", true},
    {"save", "*args", h_statement, 0, "save(\"f.npy\", expr): a statement", true},
    {"seed", "*args", h_statement, 0, "seed(n), seed([n0, n1, ...]), seed(None): a statement; seeds np.random's legacy generator as NumPy does (rand randn randint normal ... then draw NumPy's numbers)", true},
};

/* Methods whose signature differs from the function's (self is the first parameter). */
static const fe_fn methods[] = {
    {"index", "a, value, start=0, stop=None", h_seq_find, 0, "xs.index(v, start=0, stop=None) of a list or tuple: the first position of an item equal to v (in xs[start:stop])", true},
    {"count", "a, value", h_seq_find, 1, "xs.count(v) of a list or tuple: how many items equal v", true},
    {"reshape", "a, *shape, order='C'", h_reshape, 0, "x.reshape(3, 4) or x.reshape((3, 4)) (order='F': Fortran order)", false},
    {"transpose", "a, *axes", h_transpose, 0, "x.transpose(1, 0) or x.transpose((1, 0))", false},
    {"astype", "a, dtype, order='K', casting='unsafe', subok=True, copy=True", h_cast, KILN_F64, "x as dtype (casting by NumPy's rule; copy=False: x itself where the dtype is x's)", false},
    {"flatten", "a, order='C'", h_ravel, 0, "the values as one dimension (a copy; order='F': in Fortran order)", false},
    {"compress", "a, condition, axis=None", h_extract, 1, "x.compress(condition, axis=None): compress(condition, x, axis)", false},
    {"view", "a, dtype=None, type=None", h_view, 0, "x.view(): a view of x's memory, x itself (of x's dtype)", false},
    {"clip", "a, min=None, max=None, out=None", h_clip, 0, "minimum(maximum(x, min), max)", false},
    {"item", "a, *args", h_item, 0, "the one element (x.item(i): of the flattened x; x.item(i, j): at [i, j]) as a Python number, computed now", true},
    {"tolist", "a", h_tolist, 0, "the values as nested Python lists of Python numbers (a 0-d array's: one number), computed now", true},
};
/* Functions that are also methods (x.sum(axis=0) is sum(x, axis=0)). */
static const char *const method_names[] = {"sum", "prod", "mean", "max", "min", "argmax", "argmin", "any", "all", "std", "var",
                                           "cumsum", "cumprod", "ravel", "squeeze", "round", "dot", "take", "copy", "repeat",
                                           "diagonal", "trace", "argsort", "argpartition", "swapaxes", "nonzero", "searchsorted",
                                           "conj", "conjugate", "choose", NULL};

/* The functions table's entries sorted by name (of equal names the first in the table first),
 * built once: a call looks its name up by binary search, not a walk through ~900 names. */
_Static_assert(sizeof functions / sizeof *functions < 65536, "fn_order holds 16-bit positions");
static uint16_t fn_order[sizeof functions / sizeof *functions];
static bool fn_ufunc[sizeof functions / sizeof *functions]; /* each function's is_ufunc, found once too */
static pthread_once_t fn_order_once = PTHREAD_ONCE_INIT;
static bool is_ufunc(const char *name);
static int fn_cmp(const void *x, const void *y) {
    uint16_t i = *(const uint16_t *)x, j = *(const uint16_t *)y;
    int c = strcmp(functions[i].name, functions[j].name);
    return c ? c : (i > j) - (i < j);
}
static void fn_order_build(void) {
    for (size_t i = 0; i < sizeof functions / sizeof *functions; i++) fn_order[i] = (uint16_t)i, fn_ufunc[i] = is_ufunc(functions[i].name);
    qsort(fn_order, sizeof functions / sizeof *functions, sizeof *fn_order, fn_cmp);
}

static const fe_fn *find(const fe_fn *t, size_t n, const char *name) {
    if (t != functions) {
        for (size_t i = 0; i < n; i++)
            if (!strcmp(t[i].name, name)) return &t[i];
        return NULL;
    }
    pthread_once(&fn_order_once, fn_order_build);
    size_t lo = 0, hi = n; /* the first entry whose name is not below name */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(functions[fn_order[mid]].name, name) < 0) lo = mid + 1;
        else hi = mid;
    }
    return lo < n && !strcmp(functions[fn_order[lo]].name, name) ? &functions[fn_order[lo]] : NULL;
}

/* Python's builtins that are NumPy's names too, and kiln's function of the Python one */
static const char *const py_builtins[][2] = {{"round", "py.round"}, {"divmod", "py.divmod"}, {"abs", "py.abs"}, {"pow", "py.pow"},
                                             {"sum", "py.sum"},     {"max", "py.max"},       {"min", "py.min"}};

static int py_builtin_at(const char *name) {
    for (size_t k = 0; k < sizeof py_builtins / sizeof *py_builtins; k++)
        if (!strcmp(name, py_builtins[k][0])) return (int)k;
    return -1;
}

bool fe_numpy_shadows(const char *name) { return py_builtin_at(name) >= 0; }
const char *fe_numpy_shadowed(int k) { return k >= 0 && (size_t)k < sizeof py_builtins / sizeof *py_builtins ? py_builtins[k][0] : NULL; }

bool fe_scope_is_numpy_builtin(const kiln_scope *s, const char *name) {
    int k = py_builtin_at(name);
    return s && k >= 0 && (s->np_builtins >> k) & 1u;
}

void fe_scope_unshadow(kiln_scope *s, const char *name) {
    int k = py_builtin_at(name);
    if (s && k >= 0) s->np_builtins &= ~(1u << k);
}

const char *fe_py_builtin(const kiln_scope *s, const char *name) {
    int k = py_builtin_at(name);
    return k < 0 || (s && (s->np_builtins >> k) & 1u) ? name : py_builtins[k][1];
}

void fe_scope_numpy_builtin(kiln_scope *s, const char *name) {
    for (size_t k = 0; k < sizeof py_builtins / sizeof *py_builtins; k++)
        if (!strcmp(name, "*") || !strcmp(name, py_builtins[k][0])) s->np_builtins |= 1u << k;
}

bool fe_is_function(const char *name) { return find(functions, sizeof functions / sizeof *functions, name) != NULL; }

int fe_functions(const fe_fninfo **list) {
    static fe_fninfo info[sizeof functions / sizeof *functions];
    int n = 0;
    for (size_t i = 0; i < sizeof functions / sizeof *functions; i++)
        if (strncmp(functions[i].name, "py.", 3) && strncmp(functions[i].name, "ufunc.", 6)) /* (Python's round and divmod,
                                                                                                 ufunc methods: under NumPy's names) */
            info[n++] = (fe_fninfo){functions[i].name, functions[i].sig, functions[i].doc};
    *list = info;
    return n;
}

/* Whether v is one value, not an array of them: a number, a 0-d array, a string. */
static bool one_value(const kval *v) { return v->kind == KV_STR || (v->kind == KV_ARRAY && v->e->ndim == 0); }

/* Python's max(a, b, ...) and min(a, b, ...) of single values (np.max(3, 5) would take 5 as an
 * axis, which a 0-d array does not have): the first of the largest (smallest), as Python picks
 * it, compared now. */
static bool py_extreme(parser *p, bool max, kval *pos, int npos, kval *out) {
    int best = 0;
    bool ok = true;
    for (int k = 1; ok && k < npos; k++) {
        kval a = {0}, b = {0}, c = {0};
        bool beats = false;
        ok = fe_kval_copy(p->ctx, &a, &pos[k]) && fe_kval_copy(p->ctx, &b, &pos[best]);
        if (!ok) kval_free(p->ctx, &a), fe_got(p, NULL, pos[k].off);
        else ok = fe_binary(p, max ? KILN_OP_GT : KILN_OP_LT, &a, &b, pos[k].off, &c) && fe_truth(p, &c, &beats);
        kval_free(p->ctx, &c);
        if (beats) best = k;
    }
    if (ok) *out = pos[best], memset(&pos[best], 0, sizeof pos[best]);
    for (int i = 0; i < npos; i++) kval_free(p->ctx, &pos[i]);
    return ok;
}

/* The name messages give a function of the table: NumPy's for kiln's own entries (py.round:
 * round, ufunc.cummax: maximum.accumulate). */
static const char *display_name(const char *name) {
    return !strcmp(name, "ufunc.cummax") ? "maximum.accumulate" : !strcmp(name, "ufunc.cummin") ? "minimum.accumulate" : strncmp(name, "py.", 3) ? name : name + 3;
}

/* np.UFUNC.reduce(array, axis=0, ...), .accumulate(array, axis=0, ...) and .outer(A, B), as
 * NumPy's: the reduction (sum, prod, max, min, all, any) or running one (cumsum, cumprod, the
 * running maximum and minimum) along axis 0 unless told; outer: the ufunc of A's elements, each
 * with all of B (A's shape then B's) */
static bool ufunc_method(parser *p, const char *name, size_t off, kval *pos, int npos, fe_kwarg *kw, int nkw, kval *out) {
    const char *dot = strchr(name, '.'), *m = dot + 1;
    char base[32];
    snprintf(base, sizeof base, "%.*s", (int)(dot - name), name);
    bool ok = true;
    if (!strcmp(m, "outer")) {
        const fe_fn *f = find(functions, sizeof functions / sizeof *functions, base);
        if (!f || strcmp(f->sig, "x1, x2") || !strcmp(base, "matmul")) ok = fe_err(p, off, KILN_ERR_NAME, "np.%s.outer: %s is not a ufunc of two arguments", base, base);
        for (int k = 0; ok && k < 2; k++) /* (NumPy takes both as arrays: a Python number is int64 or float64) */
            if (pos[k].kind == KV_ARRAY) fe_make_strong(p, &pos[k]);
        else if (npos != 2 || nkw) ok = fe_err(p, off, KILN_ERR_ARG, "np.%s.outer(A, B) takes two arrays", base);
        kiln_expr *A = ok ? fe_arg_expr(p, &pos[0], name, "A") : NULL, *B = A ? fe_arg_expr(p, &pos[1], name, "B") : NULL;
        if (A && B && A->ndim + B->ndim > KILN_MAX_DIMS) ok = fe_err(p, off, KILN_ERR_SHAPE, "np.%s.outer: more than %d dimensions", base, KILN_MAX_DIMS);
        if (A && B && ok) { /* A's dims, then one of length 1 for each of B's */
            int64_t s[KILN_MAX_DIMS];
            for (int d = 0; d < A->ndim + B->ndim; d++) s[d] = d < A->ndim ? A->shape[d] : 1;
            kval_free(p->ctx, &pos[0]);
            ok = fe_set_expr(p, &pos[0], kiln_reshape(p->ctx, A, A->ndim + B->ndim, s), off);
        }
        kiln_expr_free(A), kiln_expr_free(B);
        if (ok) return fe_call(p, base, off, NULL, pos, npos, kw, nkw, out);
    } else {
        static const char *const map[][3] = {{"add", "sum", "cumsum"}, {"multiply", "prod", "cumprod"}, {"maximum", "max", "ufunc.cummax"},
                                             {"minimum", "min", "ufunc.cummin"}, {"logical_and", "all", NULL}, {"logical_or", "any", NULL}};
        const char *to = NULL;
        bool reduce = !strcmp(m, "reduce");
        for (size_t k = 0; k < sizeof map / sizeof *map; k++)
            if (!strcmp(base, map[k][0])) to = map[k][reduce ? 1 : 2];
        kval *arr = npos ? &pos[0] : NULL, *ax = npos >= 2 ? &pos[1] : NULL;
        for (int i = 0; i < nkw; i++) {
            if (!strcmp(kw[i].name, "array")) snprintf(kw[i].name, sizeof kw[i].name, "a"); /* (NumPy's name for it) */
            if (!strcmp(kw[i].name, "a")) arr = &kw[i].v;
            if (!strcmp(kw[i].name, "axis")) ax = &kw[i].v;
        }
        if (!reduce && ax && ax->kind == KV_TUPLE && ax->n == 1) { /* accumulate's axis=(0,): that axis */
            kval one = ax->items[0];
            memset(&ax->items[0], 0, sizeof one);
            kval_free(p->ctx, ax);
            *ax = one;
        }
        kiln_expr *ae = !reduce && ax && ax->kind == KV_NONE && arr ? fe_arg_expr(p, arr, name, "array") : NULL;
        if (ae && ae->ndim == 1) { /* accumulate's axis=None of a 1-D array: its one axis */
            kval_free(p->ctx, ax);
            ok = fe_set_expr(p, ax, kiln_int(p->ctx, 0), off);
        }
        if (!reduce && ax && ax->kind == KV_NONE && arr && !ae) ok = false;
        kiln_expr_free(ae);
        bool axis = ax || (reduce && arr && arr->kind == KV_ARRAY && arr->e->ndim == 0), all = ax && ax->kind == KV_NONE; /* (a 0-d array reduces to itself) */
        if (!to) ok = fe_err(p, off, KILN_ERR_NAME, reduce ? "np.%s.reduce is not supported: kiln has it for add, multiply, maximum, minimum, logical_and and logical_or"
                                                           : "np.%s.accumulate is not supported: kiln has it for add, multiply, maximum and minimum", base);
        else if (!ok) {
        } else if (all && !reduce) ok = fe_err(p, off, KILN_ERR_ARG, "accumulate does not allow multiple axes (axis=None of a %s array)",
                                                 arr && arr->kind == KV_ARRAY && arr->e->ndim == 0 ? "0-d" : "multi-dimensional");
        else if (!axis && nkw == FE_MAX_ARGS) ok = fe_err(p, off, KILN_ERR_ARG, "%s(): too many arguments", name);
        else if (!axis) { /* (axis=0: NumPy's default for a ufunc's reduce and accumulate) */
            kw[nkw] = (fe_kwarg){.off = off};
            snprintf(kw[nkw].name, sizeof kw[nkw].name, "axis");
            ok = fe_set_expr(p, &kw[nkw++].v, kiln_int(p->ctx, 0), off);
        }
        if (ok) return fe_call(p, to, off, NULL, pos, npos, kw, nkw, out);
    }
    for (int i = 0; i < npos; i++) kval_free(p->ctx, &pos[i]);
    for (int i = 0; i < nkw; i++) kval_free(p->ctx, &kw[i].v);
    return false;
}

/* ------------------------------------------------------------------ out= */

/* NumPy's ufuncs among the functions: out= (also positional, after the inputs), where=, dtype=
 * and casting=, out= broadcast and cast by the casting rule.  (divmod and modf, of two outputs,
 * take no out=.) */
static const char *const ufunc_names[] = {
    "abs", "absolute", "acos", "acosh", "add", "arccos", "arccosh", "arcsin", "arcsinh", "arctan", "arctan2", "arctanh", "asin",
    "asinh", "atan", "atan2", "atanh", "bitwise_and", "bitwise_not", "bitwise_or", "bitwise_xor", "cbrt", "ceil", "conj",
    "conjugate", "copysign", "cos", "cosh", "deg2rad", "degrees", "divide", "equal", "exp", "exp2", "expm1", "fabs",
    "float_power", "floor", "floor_divide", "fmax", "fmin", "fmod", "gcd", "greater", "greater_equal", "heaviside", "hypot",
    "invert", "isfinite", "isinf", "isnan", "lcm", "ldexp", "left_shift", "less", "less_equal", "log", "log10", "log1p", "log2",
    "logaddexp", "logaddexp2", "logical_and", "logical_not", "logical_or", "logical_xor", "matmul", "matvec", "maximum",
    "minimum", "mod", "multiply", "negative", "nextafter", "not_equal", "positive", "pow", "power", "rad2deg", "radians", "reciprocal",
    "remainder", "right_shift", "rint", "sign", "signbit", "sin", "sinh", "spacing", "sqrt", "square", "subtract", "tan", "tanh",
    "true_divide", "trunc", "vecdot", "vecmat", "bitwise_count", "bitwise_invert", "bitwise_left_shift", "bitwise_right_shift", NULL};
static bool is_ufunc(const char *name) {
    for (int k = 0; ufunc_names[k]; k++)
        if (!strcmp(name, ufunc_names[k])) return true;
    return false;
}

/* A call's out= and, of a ufunc, where=, dtype= and casting= (KV_ABSENT where not given). */
typedef struct out_args {
    kval out, where, dtype, casting;
    bool ufunc; /* the casting rule (same_kind unless casting=) and broadcasting into out; else (a
                   reduction's, take's...) unsafe casting into an out of the value's shape */
} out_args;

static void out_args_free(parser *p, out_args *o) {
    kval_free(p->ctx, &o->out), kval_free(p->ctx, &o->where), kval_free(p->ctx, &o->dtype), kval_free(p->ctx, &o->casting);
}

static bool present(const kval *v) { return v->kind != KV_ABSENT && v->kind != KV_NONE; }

static void take_arg(kval *to, kval *from) {
    *to = *from;
    memset(from, 0, sizeof *from);
    from->kind = KV_ABSENT;
}


/* A ufunc's dtype=: its inputs (x, x1, x2) cast to dt first, by the casting rule (a Python
 * number: unless a float for an integer dt) */
static bool ufunc_inputs_to(parser *p, const fe_fn *f, fe_args *a, kiln_dtype dt, const char *casting) {
    for (int i = 0, input = 0; i < a->n; i++) {
        if (strcmp(a->names[i], "x") && strcmp(a->names[i], "x1") && strcmp(a->names[i], "x2")) continue;
        kval *v = &a->v[i];
        kiln_expr *x = fe_arg_expr(p, v, f->name, a->names[i]);
        if (!x) return false;
        kiln_dtype from = (kiln_dtype)x->dtype;
        if (x->weak ? dtype_is_float(from) && !dtype_is_float(dt) : !cast_allowed(from, dt, casting)) {
            kiln_expr_free(x);
            return fe_err(p, v->off, KILN_ERR_DTYPE, "Cannot cast ufunc '%s' input %d from dtype('%s') to dtype('%s') with casting rule '%s'",
                          f->name, input, kiln_dtype_name(from), kiln_dtype_name(dt), casting);
        }
        kiln_expr *c = kiln_cast(p->ctx, x, dt);
        kiln_expr_free(x);
        size_t voff = v->off;
        kval_free(p->ctx, v);
        if (!fe_set_expr(p, v, c, voff)) return false;
        input++;
    }
    return true;
}

/* The value of f's call with out=: the call's value cast to out's dtype (a ufunc's by its casting
 * rule) and broadcast to out's shape (where= picks it, else out's own elements), which the
 * statement writes into out (fe_env.out_ok) */
static bool into_out(parser *p, const fe_fn *f, const out_args *o, size_t off, kval *out) {
    const kval *ov = &o->out;
    if (ov->kind == KV_TUPLE && ov->n == 1) ov = &ov->items[0];
    if (!p->env->out_ok)
        return fe_err(p, ov->off, KILN_ERR_ARG, "%s(): out= writes into an array, which kiln does in a statement of one call: "
                                                "np.%s(..., out=x) on its own, or x = np.%s(..., out=x)", f->name, f->name, f->name);
    if (ov->kind == KV_TUPLE) return fe_err(p, ov->off, KILN_ERR_ARG, "%s(): out= takes one array (or a tuple of one)", f->name);
    if (ov->kind != KV_ARRAY || fe_is_py(ov) || !ov->alias)
        return fe_err(p, ov->off, KILN_ERR_ARG, "%s(): out= takes an array's name, or a subscript of one (out=x, out=x[1:])", f->name);
    if (out->kind != KV_ARRAY) return fe_err(p, ov->off, KILN_ERR_ARG, "%s(): out= is for a function whose value is one array", f->name);
    kiln_expr *T = ov->e, *v = out->e;
    const char *casting = o->casting.kind == KV_STR ? o->casting.s : "same_kind", *nm = f->name;
    kiln_dtype vt = (kiln_dtype)v->dtype, tt = (kiln_dtype)T->dtype;
    bool arg_of = !strcmp(nm, "argmax") || !strcmp(nm, "argmin") || !strcmp(nm, "nanargmax") || !strcmp(nm, "nanargmin");
    const char *inner = !strcmp(nm, "std") || !strcmp(nm, "nanstd") ? "sqrt" : !strcmp(nm, "ptp") ? "subtract" : NULL;
    if (arg_of && !cast_allowed(tt, KILN_I64, "safe")) /* (NumPy's rules for the reductions written by other ufuncs) */
        return fe_err(p, ov->off, KILN_ERR_DTYPE, "Cannot cast array data from dtype('%s') to dtype('int64') according to the rule 'safe'", kiln_dtype_name(tt));
    if (inner && !cast_allowed(vt, tt, "same_kind"))
        return fe_err(p, ov->off, KILN_ERR_DTYPE, "Cannot cast ufunc '%s' output from dtype('%s') to dtype('%s') with casting rule 'same_kind'", inner,
                      kiln_dtype_name(vt), kiln_dtype_name(tt));
    if (!strcmp(nm, "nanmean") && dtype_is_float(vt) && !dtype_is_float(tt)) return fe_err(p, ov->off, KILN_ERR_DTYPE, "If a is inexact, then out must be inexact");
    if (!strcmp(nm, "dot") && (vt != tt || v->ndim != T->ndim || memcmp(v->shape, T->shape, (size_t)v->ndim * sizeof *v->shape) || !contiguous(T, false)))
        return fe_err(p, ov->off, KILN_ERR_ARG, "output array is not acceptable (must have the right datatype, number of dimensions, and be a C-Array)");
    if (o->ufunc && !cast_allowed((kiln_dtype)v->dtype, (kiln_dtype)T->dtype, casting))
        return fe_err(p, ov->off, KILN_ERR_DTYPE, "Cannot cast ufunc '%s' output from dtype('%s') to dtype('%s') with casting rule '%s'",
                      f->name, kiln_dtype_name((kiln_dtype)v->dtype), kiln_dtype_name((kiln_dtype)T->dtype), casting);
    int nd = T->ndim;
    int64_t shape[KILN_MAX_DIMS];
    memcpy(shape, T->shape, (size_t)nd * sizeof *shape);
    bool merged = fe_merge_shape(&nd, shape, v);
    if (o->ufunc ? !merged || nd != T->ndim || memcmp(shape, T->shape, (size_t)nd * sizeof *shape)
                 : v->ndim != T->ndim || memcmp(v->shape, T->shape, (size_t)v->ndim * sizeof *v->shape)) {
        rt_shape_text want = rt_shape_str(T->ndim, T->shape), have = merged ? rt_shape_str(nd, shape) : rt_shape_str(v->ndim, v->shape);
        return o->ufunc ? fe_err(p, ov->off, KILN_ERR_SHAPE, "non-broadcastable output operand with shape %s doesn't match the broadcast shape %s", want.s, have.s)
                 : !strncmp(f->name, "Generator.", 10) ? fe_err(p, ov->off, KILN_ERR_SHAPE, "size must match out.shape when used together")
                                                       : fe_err(p, ov->off, KILN_ERR_SHAPE, "%s(): out= has shape %s, the value shape %s", f->name, want.s,
                                                                rt_shape_str(v->ndim, v->shape).s);
    }
    tmps t = {0};
    kiln_expr *r = keep(&t, kiln_cast(p->ctx, v, (kiln_dtype)T->dtype));
    if (r && present(&o->where)) {
        kiln_expr *m = keep(&t, fe_arg_expr(p, &o->where, f->name, "where"));
        if (m && m->dtype != KILN_BOOL) {
            tmps_free(&t);
            return fe_err(p, o->where.off, KILN_ERR_DTYPE, "%s(): where= must be booleans, not %s", f->name, kiln_dtype_name((kiln_dtype)m->dtype));
        }
        r = m ? keep(&t, kiln_where(p->ctx, m, r, T)) : NULL;
    }
    if (r) r = fe_broadcast_to(p, &t, r, T->ndim, T->shape, f->name, o->where.off);
    kval_free(p->ctx, out);
    p->env->out_done = r != NULL;
    return done(p, &t, out, r, off);
}

int fe_ufunc_inputs(const char *name) {
    name += !strncmp(name, "np.", 3) ? 3 : !strncmp(name, "numpy.", 6) ? 6 : 0;
    const fe_fn *f = is_ufunc(name) ? find(functions, sizeof functions / sizeof *functions, name) : NULL;
    if (!f || strchr(f->sig, '=')) return -1;
    int n = 1;
    for (const char *c = f->sig; *c; c++) n += *c == ',';
    return n;
}

/* A Generator's draws into out= (rng.random(out=x)): of out's dtype exactly, as many as out
 * holds when size is not given (else its shape must be out's); false after reporting. */
static bool generator_out(parser *p, const char *fn, fe_args *a, const out_args *o) {
    const kval *ov = o->out.kind == KV_TUPLE && o->out.n == 1 ? &o->out.items[0] : &o->out;
    if (ov->kind != KV_ARRAY) return true; /* (into_out says why) */
    kiln_dtype dt = KILN_F64, odt = (kiln_dtype)ov->e->dtype;
    if (present(arg(a, "dtype")) && !fe_arg_dtype(p, arg(a, "dtype"), fn, &dt)) return false;
    if (dt != odt)
        return fe_err(p, ov->off, KILN_ERR_DTYPE, "Supplied output array has the wrong type. Expected %s, got %s", kiln_dtype_name(dt), kiln_dtype_name(odt));
    if (ov->alias && !contiguous(ov->e, false) && !contiguous(ov->e, true)) /* (NumPy's check_output: C or Fortran order) */
        return fe_err(p, ov->off, KILN_ERR_ARG, "Supplied output array must be contiguous, writable, aligned, and in machine byte-order.");
    kval *size = arg(a, "size");
    if (present(size)) { /* (checked before a draw) */
        int nd;
        int64_t sh[KILN_MAX_DIMS];
        if (!fe_arg_shape(p, size, fn, "size", &nd, sh)) return false;
        if (nd != ov->e->ndim || memcmp(sh, ov->e->shape, (size_t)nd * sizeof *sh))
            return fe_err(p, ov->off, KILN_ERR_SHAPE, "size must match out.shape when used together");
        return true;
    }
    kval shape = {.kind = KV_TUPLE, .off = ov->off};
    if (ov->e->ndim && !(shape.items = kiln_calloc(p->ctx, (size_t)ov->e->ndim * sizeof *shape.items))) return fe_got(p, NULL, ov->off);
    for (; shape.n < ov->e->ndim; shape.n++)
        if (!fe_set_expr(p, &shape.items[shape.n], kiln_int(p->ctx, ov->e->shape[shape.n]), ov->off)) {
            kval_free(p->ctx, &shape);
            return false;
        }
    kval_free(p->ctx, size);
    *size = shape;
    return true;
}

bool fe_call(parser *p, const char *name, size_t off, kval *self, kval *pos, int npos, fe_kwarg *kw, int nkw, kval *out) {
    const fe_fn *f = NULL;
    char shown[64];
    const char *dot = self ? NULL : strchr(name, '.');
    if (dot && strncmp(name, "linalg.", 7) && (!strcmp(dot, ".reduce") || !strcmp(dot, ".accumulate") || !strcmp(dot, ".outer")))
        return ufunc_method(p, name, off, pos, npos, kw, nkw, out);
    bool py_extremes = !self && (!strcmp(name, "py.max") || !strcmp(name, "py.min")); /* (Python's max and min: the bare names) */
    if (py_extremes) name += 3;
    if (py_extremes && nkw == 1 && !strcmp(kw[0].name, "default") && npos > 1) {
        fe_err(p, kw[0].off, KILN_ERR_ARG, "Cannot specify a default for %s() with multiple positional arguments", name);
        for (int i = 0; i < npos; i++) kval_free(p->ctx, &pos[i]);
        kval_free(p->ctx, &kw[0].v);
        return false;
    }
    if (py_extremes && nkw == 1 && !strcmp(kw[0].name, "default") && npos == 1) {
        kval *items = NULL; /* Python's max(iterable, default=v): v when it is empty, else the largest item, compared as Python compares */
        int n = 0;
        bool ok = fe_items(p, &pos[0], &items, &n);
        if (ok && !n) *out = kw[0].v, memset(&kw[0].v, 0, sizeof kw[0].v);
        else if (ok) ok = py_extreme(p, name[1] == 'a', items, n, out);
        kiln_free(p->ctx, items);
        kval_free(p->ctx, &pos[0]), kval_free(p->ctx, &kw[0].v);
        return ok;
    }
    if (py_extremes && !nkw && npos >= 2 && one_value(&pos[0]) &&
        (npos == 2 || one_value(&pos[1])))
        return py_extreme(p, name[1] == 'a', pos, npos, out);
    if (!self && !strcmp(name, "py.pow")) { /* Python's pow(base, exp, mod); np.pow's out= is a keyword here */
        if (nkw == 1 && npos == 2 && !strcmp(kw[0].name, "mod")) pos[npos++] = kw[0].v, nkw = 0; /* (as the third) */
        if (!nkw && npos == 3 && pos[2].kind == KV_NONE) npos--; /* (mod=None: np.pow's) */
        if (!nkw && npos == 3) return py_pow_mod(p, pos, off, out);
        name = "pow";
    }
    if (self && self->kind == KV_STR) return fe_str_method(p, name, self, pos, npos, kw, nkw, off, out);
    if (self && self->kind == KV_LIST && !strcmp(name, "copy") && !npos && !nkw) { /* xs.copy(): the list (shallow: its arrays shared) */
        *out = *self;
        out->off = off;
        memset(self, 0, sizeof *self);
        return true;
    }
    if (self) {
        bool gen = self->kind == KV_GEN; /* rng.integers(...): "Generator.integers" */
        snprintf(shown, sizeof shown, "%s", name);
        if (gen) {
            char full[48];
            snprintf(full, sizeof full, "Generator.%s", name);
            f = find(functions, sizeof functions / sizeof *functions, full);
        } else {
            f = find(methods, sizeof methods / sizeof *methods, name);
            for (int i = 0; !f && method_names[i]; i++)
                if (!strcmp(method_names[i], name)) f = find(functions, sizeof functions / sizeof *functions, name);
        }
        bool seq_method = f && f->fn == h_seq_find && self->kind == KV_TUPLE; /* (tuples have index and count) */
        if (!f || (!gen && !seq_method && self->kind != KV_ARRAY && self->kind != KV_LIST)) {
            static const char *const in_place[] = {"sort", "partition", "fill", "append", "extend", "insert", "pop", "remove", "clear", "reverse", NULL};
            bool place = false;
            for (int k = 0; in_place[k]; k++) place |= !strcmp(name, in_place[k]);
            bool ok = gen && !strcmp(name, "shuffle")
                          ? fe_err(p, off, KILN_ERR_NAME, "rng.shuffle(x) is a statement of its own on a name (it shuffles x in place)")
                      : gen ? fe_err(p, off, KILN_ERR_NAME, "a Generator has no method '%s' (kiln's: random integers standard_normal normal uniform "
                                                            "exponential standard_exponential choice permutation shuffle)", name)
                      : place ? fe_err(p, off, KILN_ERR_NAME, "x.%s(...) is a statement of its own on a name (x.sort(), x.fill(v), xs.append(v), v = xs.pop()); "
                                                              "for a view, assign: x[0] = v, x[0] = sort(x[0])", name)
                              : fe_err(p, off, KILN_ERR_NAME, "%s has no method '%s'", self->kind == KV_ARRAY ? "an array" : "this value", name);
            kval_free(p->ctx, self);
            for (int i = 0; i < npos; i++) kval_free(p->ctx, &pos[i]);
            for (int i = 0; i < nkw; i++) kval_free(p->ctx, &kw[i].v);
            return ok;
        }
        if (npos == FE_MAX_ARGS) kval_free(p->ctx, &pos[--npos]);
        memmove(pos + 1, pos, (size_t)npos * sizeof *pos);
        pos[0] = *self;
        memset(self, 0, sizeof *self);
        npos++;
    } else {
        snprintf(shown, sizeof shown, "%s", display_name(name)); /* (Python's round: "round") */
        f = find(functions, sizeof functions / sizeof *functions, name);
        if (!f && !strcmp(name, "astype")) f = find(methods, sizeof methods / sizeof *methods, name); /* np.astype(x, dtype) */
        if (!f) {
            for (int i = 0; i < npos; i++) kval_free(p->ctx, &pos[i]);
            for (int i = 0; i < nkw; i++) kval_free(p->ctx, &kw[i].v);
            return fe_err(p, off, KILN_ERR_NAME, "unknown function '%s' (:help lists them)", name);
        }
    }
    fe_args a;
    out_args o = {.out.kind = KV_ABSENT, .where.kind = KV_ABSENT, .dtype.kind = KV_ABSENT, .casting.kind = KV_ABSENT};
    fe_fn uf = *f;
    char usig[256];
    o.ufunc = !self && f >= functions && f < functions + sizeof functions / sizeof *functions && fn_ufunc[f - functions];
    if (o.ufunc) { /* (positional out= after the inputs, where no parameter has a default) */
        snprintf(usig, sizeof usig, "%s%s", f->sig, strchr(f->sig, '=') ? ", *, out=None, where=True, dtype=None, casting='same_kind'"
                                                                        : ", out=None, *, where=True, dtype=None, casting='same_kind'");
        uf.sig = usig;
    }
    if (!bind(p, &uf, shown, off, pos, npos, kw, nkw, &a)) {
        args_free(p, &a);
        return false;
    }
    if (o.ufunc) { /* the four extra parameters, last */
        take_arg(&o.casting, &a.v[--a.n]), take_arg(&o.dtype, &a.v[--a.n]), take_arg(&o.where, &a.v[--a.n]), take_arg(&o.out, &a.v[--a.n]);
    } else if (has(&a, "out")) {
        take_arg(&o.out, arg(&a, "out"));
    }
    o.ufunc |= !strcmp(f->name, "clip") || !strcmp(f->name, "round") || !strcmp(f->name, "around"); /* (NumPy's are ufuncs inside) */
    if (o.where.kind == KV_ARRAY && fe_is_py(&o.where) && o.where.e->dtype == KILN_BOOL && o.where.e->val.b) kval_free(p->ctx, &o.where); /* where=True */
    const char *casting = o.casting.kind == KV_STR ? o.casting.s : "same_kind";
    kiln_dtype udt = KILN_F64;
    bool bad = (o.casting.kind != KV_ABSENT && (o.casting.kind != KV_STR || !casting_valid(casting)) &&
                !fe_err(p, o.casting.off, KILN_ERR_ARG, "casting must be one of 'no', 'equiv', 'safe', 'same_kind', or 'unsafe'")) ||
               (present(&o.where) && !present(&o.out) &&
                !fe_err(p, o.where.off, KILN_ERR_ARG, "%s(): where= without out= leaves the elements it does not pick unset: give out= as well", shown)) ||
               (present(&o.dtype) && (!fe_arg_dtype(p, &o.dtype, shown, &udt) ||
                                      (udt != KILN_BOOL && !ufunc_inputs_to(p, f, &a, udt, casting)))); /* (bool: a comparison's output) */
    if (!bad && present(&o.out) && !strncmp(f->name, "Generator.", 10)) bad = !generator_out(p, shown, &a, &o);
    static const char *const in_out_dtype[] = {"sum", "py.sum", "prod", "mean", "cumsum", "cumprod", "nansum", "nanprod", "nanmean", "nancumsum", "nancumprod", NULL};
    const kval *ov = o.out.kind == KV_TUPLE && o.out.n == 1 ? &o.out.items[0] : &o.out;
    for (int k = 0; !bad && ov->kind == KV_ARRAY && in_out_dtype[k]; k++) /* sum(x, out=o): summed in o's dtype, as NumPy's */
        if (!strcmp(f->name, in_out_dtype[k]) && has(&a, "dtype") && !present(arg(&a, "dtype"))) {
            kval_free(p->ctx, arg(&a, "dtype"));
            *arg(&a, "dtype") = (kval){.kind = KV_DTYPE, .off = ov->off, .dt = (kiln_dtype)ov->e->dtype};
        }
    if (bad || !arrays_as_lists(p, &a)) {
        args_free(p, &a);
        out_args_free(p, &o);
        return false;
    }
    if (f == find(methods, sizeof methods / sizeof *methods, "astype")) { /* the dtype is an argument */
        kiln_dtype dt;
        if (!fe_arg_dtype(p, arg(&a, "dtype"), "astype", &dt)) {
            args_free(p, &a);
            return false;
        }
        kval *cv = arg(&a, "casting"), *ov = arg(&a, "order"), *x = &a.v[0];
        bool copy = true, ok = true;
        if (given_not_none(&a, "copy")) ok = fe_arg_bool(p, arg(&a, "copy"), "astype", "copy", &copy);
        else if (given(&a, "copy")) copy = false; /* (None: a copy only where one is needed) */
        if (ok && ov->kind != KV_ABSENT && ov->kind != KV_NONE && (ov->kind != KV_STR || !strchr("KACFkacf", ov->s[0]) || ov->s[0] == 0 || ov->s[1] != 0))
            ok = fe_err(p, ov->off, KILN_ERR_ARG, "order must be one of 'C', 'F', 'A', or 'K'");
        if (ok && cv->kind != KV_ABSENT && (cv->kind != KV_STR || !casting_valid(cv->s)))
            ok = fe_err(p, cv->off, KILN_ERR_ARG, "casting must be one of 'no', 'equiv', 'safe', 'same_kind', or 'unsafe'");
        if (ok && cv->kind == KV_STR && x->kind == KV_ARRAY && !cast_allowed((kiln_dtype)x->e->dtype, dt, cv->s))
            ok = fe_err(p, cv->off, KILN_ERR_DTYPE, "Cannot cast array data from dtype('%s') to dtype('%s') according to the rule '%s'",
                        kiln_dtype_name((kiln_dtype)x->e->dtype), kiln_dtype_name(dt), cv->s);
        fe_fn cast = *f;
        cast.op = dt;
        kval_free(p->ctx, arg(&a, "dtype"));
        arg(&a, "dtype")->kind = KV_ABSENT;
        /* x itself, as NumPy's copy=False, where its layout is the order asked for (a view of a name's
         * array as it lies; a computed value is C-ordered) */
        char order = ov->kind == KV_STR ? (char)toupper((unsigned char)ov->s[0]) : 'K';
        bool laid = order == 'K' || (!x->alias && order != 'F') ||
                    (x->kind == KV_ARRAY && ((order != 'F' && contiguous(x->e, false)) || (order != 'C' && contiguous(x->e, true))));
        if (ok && !copy && x->kind == KV_ARRAY && x->e->dtype == dt && laid)
            ok = fe_kval_copy(p->ctx, out, x) || fe_got(p, NULL, off);
        else
            ok = ok && cast.fn(p, &cast, &a, off, out);
        args_free(p, &a);
        return ok;
    }
    fe_fn shown_f = *f; /* (its messages name Python's round as "round") */
    shown_f.name = display_name(f->name);
    bool ok = f->fn(p, &shown_f, &a, off, out);
    args_free(p, &a);
    if (ok && !f->py) fe_make_strong(p, out);
    if (ok && present(&o.dtype) && out->kind == KV_ARRAY && out->e->dtype != udt) {
        ok = fe_err(p, o.dtype.off, KILN_ERR_DTYPE, "No loop matching the specified signature and casting was found for ufunc %s", shown);
        kval_free(p->ctx, out);
    }
    if (ok && present(&o.out) && !(ok = into_out(p, &shown_f, &o, off, out))) kval_free(p->ctx, out);
    out_args_free(p, &o);
    return ok;
}

bool fe_attribute(parser *p, kval *self, const char *name, size_t off, kval *out) {
    if (self->kind == KV_INFO) return info_attribute(p, self->dt, name, off, out);
    if (self->kind == KV_DTYPE) { /* a dtype's name, itemsize and kind */
        memset(out, 0, sizeof *out);
        out->off = off;
        kiln_dtype dt = self->dt;
        if (!strcmp(name, "itemsize")) return fe_set_expr(p, out, kiln_int(p->ctx, (int64_t)kiln_dtype_size(dt)), off);
        const char *text = !strcmp(name, "name") ? kiln_dtype_name(dt)
                           : !strcmp(name, "kind") ? (dt == KILN_BOOL ? "b" : dtype_is_unsigned(dt) ? "u" : dtype_is_int(dt) ? "i" : "f")
                                                   : NULL;
        if (!text) return fe_err(p, off, KILN_ERR_NAME, "a dtype has no attribute '%s' (kiln has .name .itemsize .kind)", name);
        out->kind = KV_STR;
        out->s = kiln_strdup(p->ctx, text);
        return fe_got(p, out->s, off);
    }
    if (self->kind == KV_TUPLE && self->named) { /* a named tuple's field: its item */
        const fe_named *nt = self->named;
        for (int k = 0; k < self->n && nt->fields[k]; k++)
            if (!strcmp(nt->fields[k], name)) return fe_kval_copy(p->ctx, out, &self->items[k]) ? (out->off = off, true) : fe_got(p, NULL, off);
        kstr b = {0};
        for (int k = 0; nt->fields[k]; k++) kstr_printf(&b, " .%s", nt->fields[k]);
        bool r = fe_err(p, off, KILN_ERR_NAME, "'%s' object has no attribute '%s' (its fields:%s)", nt->name, name, b.s ? b.s : "");
        kstr_free(&b);
        return r;
    }
    if (self->kind != KV_ARRAY && self->kind != KV_LIST)
        return fe_err(p, off, KILN_ERR_NAME, "%s has no attribute '%s'", self->kind == KV_TUPLE ? "a tuple" : "this value", name);
    if (fe_is_py(self) && (!strcmp(name, "real") || !strcmp(name, "imag"))) { /* a Python number's: Python numbers (True.real is 1) */
        kiln_dtype dt = self->e->dtype == KILN_F64 ? KILN_F64 : KILN_I64;
        kscalar v = name[0] == 'i' ? (kscalar){.bits = 0} : ref_cast(self->e->val, (kiln_dtype)self->e->dtype, dt);
        memset(out, 0, sizeof *out);
        return fe_set_expr(p, out, ir_const(&p->ctx->graph, dt, v, true), off);
    }
    bool alias = self->alias, ro = self->readonly;
    kiln_expr *x = fe_arg_expr(p, self, name, "self");
    if (!x) return false;
    bool ok;
    memset(out, 0, sizeof *out);
    out->off = off;
    if (!strcmp(name, "T")) {
        ok = fe_set_expr(p, out, kiln_transpose(p->ctx, x), off);
        out->alias = ok && alias; /* a view */
        out->readonly = ok && ro;
    } else if (!strcmp(name, "mT")) { /* the last two axes swapped */
        int perm[KILN_MAX_DIMS];
        for (int d = 0; d < x->ndim; d++) perm[d] = d;
        if (x->ndim >= 2) perm[x->ndim - 1] = x->ndim - 2, perm[x->ndim - 2] = x->ndim - 1;
        ok = x->ndim >= 2 ? fe_set_expr(p, out, kiln_permute(p->ctx, x, perm), off)
                          : fe_err(p, off, KILN_ERR_ARG, "matrix transpose with ndim < 2 is undefined");
        out->alias = ok && alias; /* a view */
        out->readonly = ok && ro;
    } else if (!strcmp(name, "real")) { /* (kiln's numbers are real: the array itself, a view) */
        ok = fe_set_expr(p, out, kiln_expr_retain(x), off);
        out->alias = ok && alias;
        out->readonly = ok && ro;
    } else if (!strcmp(name, "imag")) { /* zeros of its shape and dtype, read-only as NumPy's */
        kiln_expr *zero = kiln_const(p->ctx, (kiln_dtype)x->dtype, 0);
        ok = fe_set_expr(p, out, zero ? ir_broadcast_to(&p->ctx->graph, zero, x->ndim, x->shape) : NULL, off);
        kiln_expr_free(zero);
        out->readonly = ok;
    } else if (!strcmp(name, "shape")) {
        out->kind = KV_TUPLE;
        ok = true;
        for (int d = 0; d < x->ndim && ok; d++) {
            kval item = {0};
            ok = fe_set_expr(p, &item, kiln_int(p->ctx, x->shape[d]), off);
            kval *ni = ok ? kiln_realloc(p->ctx, out->items, (size_t)(out->n + 1) * sizeof *ni) : NULL;
            if (!ni) {
                kval_free(p->ctx, &item);
                ok = ok && fe_got(p, NULL, off);
                break;
            }
            out->items = ni;
            out->items[out->n++] = item;
        }
        if (!ok) kval_free(p->ctx, out);
    } else if (!strcmp(name, "ndim")) {
        ok = fe_set_expr(p, out, kiln_int(p->ctx, x->ndim), off);
    } else if (!strcmp(name, "size")) {
        int64_t n = 1;
        for (int d = 0; d < x->ndim; d++) n *= x->shape[d];
        ok = fe_set_expr(p, out, kiln_int(p->ctx, n), off);
    } else if (!strcmp(name, "dtype")) {
        out->kind = KV_DTYPE;
        out->dt = (kiln_dtype)x->dtype;
        ok = true;
    } else if (!strcmp(name, "itemsize") || !strcmp(name, "nbytes")) {
        int64_t n = (int64_t)kiln_dtype_size((kiln_dtype)x->dtype);
        for (int d = 0; d < x->ndim && name[0] == 'n'; d++) n *= x->shape[d];
        ok = fe_set_expr(p, out, kiln_int(p->ctx, n), off);
    } else {
        bool method = find(methods, sizeof methods / sizeof *methods, name) != NULL;
        for (int i = 0; method_names[i]; i++) method |= !strcmp(method_names[i], name);
        ok = fe_err(p, off, KILN_ERR_NAME,
                    method ? "'%s' is a method: call it, as in x.%s()" : "an array has no attribute '%s'%s", name,
                    method ? name : " (kiln has .T .mT .real .imag .shape .ndim .size .dtype .itemsize .nbytes)");
    }
    kiln_expr_free(x);
    return ok;
}
