/*
 * format.c — values printed exactly as NumPy 2.2 and Python print them: repr(a) and str(a) of
 * arrays, NumPy scalars (what kiln's 0-d results are), Python floats and ints, dtypes.
 *
 *     digits     Dragon4's decimal digits: the fewest that read back as the value, cut off at
 *                a precision or carried on to a minimum count (numpy/_core/src/multiarray/dragon4.c)
 *     numbers    NumPy's element formats: FloatingFormat (precision 8, floatmode 'maxprec',
 *                positional or scientific, padded to one width), IntegerFormat, BoolFormat
 *     layout     _formatArray: rows wrapped at 75 columns, arrays over 1000 elements summarized
 *                with "..." between 3 items at each edge of every long axis
 *                (those four numbers and suppress are set_printoptions's: fe_printopts)
 *     entry      repr and str of arrays and scalars; the dtype and shape that repr names
 *
 * The language's str(), repr(), print and f-strings use it.  The digits come from the C library:
 * printf's %e is exact and rounds ties to even, strtod/strtof round correctly, and that is
 * all Dragon4's decisions need (see cut_at).
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontend.h"
#include "../ir/graph.h"


/* ------------------------------------------------------------------ digits */

/* A decimal m × 10^e with m < 10^18: the digits Dragon4 printed for a positive value. */
typedef struct decimal {
    uint64_t m;
    int e;
} decimal;

/* floor(log10(v)) for finite v > 0.  Exact: no double other than a power of ten itself comes
 * within 1e-19 of one (relatively), so 41 correctly rounded digits never carry into the next
 * decade. */
static int decade_of(double v) {
    char b[64];
    snprintf(b, sizeof b, "%.40e", v);
    return atoi(strchr(b, 'e') + 1);
}

/* The decimal text s read in v's own precision (float32 through strtof: no double rounding). */
static double read_back(const char *s, bool f32) { return f32 ? (double)strtof(s, NULL) : strtod(s, NULL); }

/* One cut of v's digits: the decimal printed, and whether it is one of the two candidates
 * around v that read back as v. */
typedef struct cut {
    decimal d;
    bool reads_back;
} cut;

/* v (finite, > 0, first digit at 10^x) cut to k significant digits the way Dragon4 ends its
 * digit loop.  Of the two k-digit decimals t <= v < t + 1 unit, it keeps the one that reads
 * back as v when exactly one does, and the nearer one otherwise (ties to the even digit).
 * Reading back is Dragon4's "low"/"high" test: v's rounding interval includes its ends exactly
 * when v's mantissa is even, which is also how strtod breaks ties. */
static cut cut_at(double v, bool f32, int x, int k) {
    char s[64];
    snprintf(s, sizeof s, "%.*e", k - 1, v); /* the nearer candidate, exactly rounded */
    uint64_t m = 0;
    const char *p = s;
    for (; *p != 'e'; p++)
        if (*p >= '0' && *p <= '9') m = m * 10 + (uint64_t)(*p - '0');
    if (atoi(p + 1) > x) m *= 10; /* rounding carried into the next decade: 9.99 -> 1.00e+1 */
    decimal near = {m, x - k + 1};
    double back = read_back(s, f32);
    if (back == v) return (cut){near, true};
    decimal other = {back < v ? m + 1 : m - 1, near.e};
    snprintf(s, sizeof s, "%llue%d", (unsigned long long)other.m, other.e);
    if (read_back(s, f32) == v) return (cut){other, true};
    return (cut){near, false};
}

/* Dragon4's digits of v (finite, > 0, first digit at 10^x) in its 'unique' mode: the fewest
 * significant digits that read back as v, but at least kmin (the digit loop goes on to a
 * minimum position, rounding the last digit of the exact value) and at most kmax (the cut-off
 * of a precision, where the exact value is rounded).  Never more than 17 digits: NumPy asks
 * for more only of positional values of 1e9 and over, which kiln does not print. */
static decimal dragon4(double v, bool f32, int x, int kmin, int kmax) {
    /* reading back holds from some count on (a k-digit decimal is also a (k+1)-digit one), and
     * 17 digits always do (9 for float32): find the fewest by bisection */
    int lo = 1, hi = f32 ? 9 : 17;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (cut_at(v, f32, x, mid).reads_back) hi = mid;
        else lo = mid + 1;
    }
    int k = lo < kmin ? kmin : lo;
    if (k > kmax) k = kmax;
    if (k > 17) k = 17; /* positional arrays stay below 1e8 */
    if (k < 1) k = 1;   /* a cut-off above the first digit: positional arrays stay above 1e-4 */
    return cut_at(v, f32, x, k).d;
}

/* The shortest digits of v (finite, > 0): NumPy's scalars and Python's floats. */
static decimal shortest(double v, bool f32) { return dragon4(v, f32, decade_of(v), 1, 17); }

/* ------------------------------------------------------------------ text of a decimal */

/* d's significant digits into dig (trailing zeros dropped; "0" for zero); returns their count
 * and sets *x to the power of ten of the first. */
static int sig_digits(decimal d, char dig[24], int *x) {
    if (d.m == 0) {
        strcpy(dig, "0");
        *x = 0;
        return 1;
    }
    while (d.m % 10 == 0) {
        d.m /= 10;
        d.e++;
    }
    int n = snprintf(dig, 24, "%llu", (unsigned long long)d.m);
    *x = d.e + n - 1;
    return n;
}

/* Writes [-]d positionally to out (64 bytes: d is 0 or within [1e-5, 1e17)): the integer
 * digits ("0" when there are none), a point, the fraction's digits padded with zeros to
 * frac_min.  Returns the length of the integer part with its sign. */
static int write_positional(char *out, bool neg, decimal d, int frac_min) {
    char dig[24];
    int x, n = sig_digits(d, dig, &x), o = 0;
    if (neg) out[o++] = '-';
    if (x < 0) out[o++] = '0';
    for (int pos = x; pos >= 0; pos--) out[o++] = x - pos < n ? dig[x - pos] : '0';
    int int_len = o;
    out[o++] = '.';
    int frac = 0;
    for (int pos = -1; x - pos < n || frac < frac_min; pos--, frac++) out[o++] = x - pos >= 0 && x - pos < n ? dig[x - pos] : '0';
    out[o] = 0;
    return int_len;
}

/* Writes [-]d in scientific notation to out (64 bytes): one digit, a point (kept without a
 * fraction only when point says so), the other digits padded with zeros to frac_min, and an
 * exponent of at least exp_digits (and 2) digits. */
static void write_scientific(char *out, bool neg, decimal d, int frac_min, bool point, int exp_digits) {
    char dig[24];
    int x, n = sig_digits(d, dig, &x), o = 0;
    if (neg) out[o++] = '-';
    out[o++] = dig[0];
    if (point || n > 1 || frac_min > 0) out[o++] = '.';
    for (int i = 1; i < n || i <= frac_min; i++) out[o++] = i < n ? dig[i] : '0';
    int ed = exp_digits < 2 ? 2 : exp_digits > 3 ? 3 : exp_digits; /* |x| < 400 */
    snprintf(out + o, 64 - (size_t)o, "e%c%0*d", x < 0 ? '-' : '+', ed, abs(x) % 1000);
}

/* str() of a NumPy float scalar (f32: a float32 one): its shortest digits, positional from
 * 1e-4 up to 1e16 ("0.5", "100.0"), scientific outside ("1e-05", "1.5e+16") — also exactly
 * what Python's repr of a float prints. */
static void float_str(double v, bool f32, kstr *b) {
    if (isnan(v)) {
        kstr_printf(b, "nan");
        return;
    }
    if (isinf(v)) {
        kstr_printf(b, v < 0 ? "-inf" : "inf");
        return;
    }
    char t[64];
    double a = fabs(v);
    decimal d = a == 0 ? (decimal){0, 0} : shortest(a, f32);
    if (a == 0 || (a >= 1e-4 && a < 1e16)) write_positional(t, signbit(v), d, 1);
    else write_scientific(t, signbit(v), d, 0, false, 2);
    kstr_puts(b, t);
}

/* ------------------------------------------------------------------ numbers */

static double load_float(const char *p, kiln_dtype dt) {
    if (dt == KILN_F32) {
        float f;
        memcpy(&f, p, sizeof f);
        return f;
    }
    double d;
    memcpy(&d, p, sizeof d);
    return d;
}

static int64_t load_int(const char *p, kiln_dtype dt) { return kscalar_int(dt, ref_load(p, dt)); }

/* One format for every element of an array, chosen from the elements shown (NumPy's
 * FloatingFormat.fillFormat, IntegerFormat, BoolFormat with their default options). */
typedef struct numfmt {
    kiln_dtype dt;
    int precision;  /* the print options' */
    bool exp;       /* floats: scientific notation */
    int prec;       /* scientific: digits after the point, the same in every element */
    int exp_digits; /* scientific: digits of every exponent (2 or 3) */
    int pad_left;   /* floats: characters left of the point, sign included */
    int pad_right;  /* floats: characters right of it (scientific: fraction, 'e' and exponent) */
    int width;      /* integers: every element's width */
} numfmt;

/* Digits of an element of a positional array: the fewest that read back, cut off precision
 * places after the point, and at least all of its integer digits (NumPy's min_digits=0). */
static decimal positional_digits(double a, bool f32, int precision) {
    if (a == 0) return (decimal){0, 0};
    int x = decade_of(a);
    if (x + 1 + precision < 1) { /* (suppress's small numbers) the cut-off above the first digit: 0 or one unit there */
        char t[64];
        snprintf(t, sizeof t, "%.*f", precision, a); /* (exactly rounded, ties to even) */
        return strchr(t, '1') ? (decimal){1, -precision} : (decimal){0, 0};
    }
    return dragon4(a, f32, x, x + 1, x + 1 + precision);
}

/* Calls fn on each element shown: all of them, or the edge items at each end of each long axis
 * when summarized (edge > 0). */
static void each_shown(const kiln_array *a, int edge, int d, const char *p, void (*fn)(void *, const char *), void *ud) {
    if (d == kiln_array_ndim(a)) {
        fn(ud, p);
        return;
    }
    int64_t n = kiln_array_shape(a)[d], s = kiln_array_strides(a)[d];
    for (int64_t i = 0; i < n; i++) {
        if (edge && n > 2 * edge && i == edge) i = n - edge;
        each_shown(a, edge, d + 1, p + i * s, fn, ud);
    }
}

/* What fillFormat learns in its passes over the elements shown. */
typedef struct survey {
    numfmt *f;
    bool any_finite, any_nonfinite, neg_inf;
    double max, min; /* of the finite nonzero magnitudes (min starts at +inf) */
    int64_t imax, imin;
} survey;

static void survey_range(void *ud, const char *p) {
    survey *s = ud;
    if (dtype_is_float(s->f->dt)) {
        double v = load_float(p, s->f->dt);
        if (!isfinite(v)) {
            s->any_nonfinite = true;
            s->neg_inf |= v < 0;
            return;
        }
        s->any_finite = true;
        double a = fabs(v);
        if (a != 0 && a > s->max) s->max = a;
        if (a != 0 && a < s->min) s->min = a;
    } else {
        int64_t v = load_int(p, s->f->dt);
        if (v > s->imax) s->imax = v;
        if (v < s->imin) s->imin = v;
    }
}

/* The first printing pass: each finite element as fillFormat prints it to measure it. */
static void survey_widths(void *ud, const char *p) {
    survey *s = ud;
    numfmt *f = s->f;
    bool f32 = f->dt == KILN_F32;
    double v = load_float(p, f->dt);
    if (!isfinite(v)) return;
    char t[64];
    double a = fabs(v);
    if (f->exp) { /* precision 8, trimmed to the point: "1.5e-05", "1.e+10" */
        decimal d = a == 0 ? (decimal){0, 0} : dragon4(a, f32, decade_of(a), 1, f->precision + 1);
        write_scientific(t, signbit(v), d, 0, true, 2);
        const char *dot = strchr(t, '.'), *e = strchr(t, 'e');
        int int_len = (int)(dot - t), frac = (int)(e - dot - 1), ed = (int)strlen(e + 2);
        if (int_len > f->pad_left) f->pad_left = int_len;
        if (frac > f->prec) f->prec = frac;
        if (ed > f->exp_digits) f->exp_digits = ed;
    } else { /* "0.25", "1.", "-0." */
        int int_len = write_positional(t, signbit(v), positional_digits(a, f32, f->precision), 0);
        int frac = (int)strlen(t) - int_len - 1;
        if (int_len > f->pad_left) f->pad_left = int_len;
        if (frac > f->pad_right) f->pad_right = frac;
    }
}

static int int_text_len(int64_t v) {
    char t[32];
    return snprintf(t, sizeof t, "%lld", (long long)v);
}

/* The format of a's elements, from those shown (edge > 0: the edges of long axes). */
static numfmt choose_format(const kiln_array *a, int edge, const fe_printopts *po) {
    numfmt f = {.dt = kiln_array_dtype(a), .precision = po->precision};
    survey s = {.f = &f, .min = INFINITY, .imax = INT64_MIN, .imin = INT64_MAX};
    const char *p = kiln_array_data(a);
    if (f.dt == KILN_BOOL) return f;
    each_shown(a, edge, 0, p, survey_range, &s);
    if (dtype_is_int(f.dt)) {
        int w1 = int_text_len(s.imax), w2 = int_text_len(s.imin);
        f.width = w1 > w2 ? w1 : w2;
        return f;
    }
    /* scientific when the nonzero magnitudes are huge, tiny or far apart — compared in the
     * array's own precision, as NumPy compares a float32 scalar with a Python float */
    if (s.max > 0) {
        if (f.dt == KILN_F32) {
            float mx = (float)s.max, mn = (float)s.min, ratio = mx / mn;
            f.exp = mx >= 1e8f || (!po->suppress && (mn < 1e-4f || ratio > 1000.f));
        } else {
            f.exp = s.max >= 1e8 || (!po->suppress && (s.min < 1e-4 || s.max / s.min > 1000.));
        }
    }
    if (s.any_finite) {
        each_shown(a, edge, 0, p, survey_widths, &s);
        if (f.exp) f.pad_right = f.exp_digits + 2 + f.prec;
    }
    if (s.any_nonfinite) { /* room for "nan", "inf" and "-inf" */
        int offset = f.pad_right + 1;
        if (3 - offset > f.pad_left) f.pad_left = 3 - offset;
        if (3 + s.neg_inf - offset > f.pad_left) f.pad_left = 3 + s.neg_inf - offset;
    }
    return f;
}

/* One element as the format prints it, padded to the common width; out holds 128 bytes. */
static void format_elem(const numfmt *f, const char *p, char *out) {
    char t[64];
    if (f->dt == KILN_BOOL) {
        snprintf(out, 128, "%s", *(const uint8_t *)p ? " True" : "False");
        return;
    }
    if (dtype_is_int(f->dt)) {
        snprintf(out, 128, "%*lld", f->width, (long long)load_int(p, f->dt));
        return;
    }
    bool f32 = f->dt == KILN_F32;
    double v = load_float(p, f->dt), a = fabs(v);
    if (!isfinite(v)) {
        snprintf(out, 128, "%*s", f->pad_left + f->pad_right + 1, isnan(v) ? "nan" : v < 0 ? "-inf" : "inf");
        return;
    }
    if (f->exp) {
        decimal d = a == 0 ? (decimal){0, 0} : dragon4(a, f32, decade_of(a), f->prec + 1, f->prec + 1);
        write_scientific(t, signbit(v), d, f->prec, true, f->exp_digits);
        snprintf(out, 128, "%*s%s", f->pad_left - (int)(strchr(t, '.') - t), "", t);
    } else {
        int il = write_positional(t, signbit(v), positional_digits(a, f32, f->precision), 0);
        int frac = (int)strlen(t) - il - 1;
        snprintf(out, 128, "%*s%s%*s", f->pad_left - il, "", t, f->pad_right - frac, "");
    }
}

/* ------------------------------------------------------------------ layout */

/* How an array is laid out: its elements' format, the separator, whether it is summarized. */
typedef struct layout {
    const kiln_array *a;
    const numfmt *f;
    const char *sep; /* between elements: ", " (repr) or " " (str) */
    int edge;        /* summarized (over the threshold's elements): items at each end of long axes; else 0 */
} layout;

static void spaces(kstr *b, int n) {
    if (n > 0) kstr_printf(b, "%*s", n, "");
}

/* NumPy's _extendLine: adds word to line, first moving the line (without trailing spaces) to s
 * and starting a new one at the indent when the word would pass width — unless the line holds
 * no more than the indent, where a break would not help. */
static void extend_line(kstr *s, kstr *line, const char *word, int width, int indent) {
    long wl = (long)strlen(word);
    if ((long)line->len + wl > (long)width && (long)line->len > (long)indent) { /* (width may be below 0: a tiny linewidth) */
        while (line->len && line->s[line->len - 1] == ' ') line->len--;
        kstr_printf(s, "%.*s\n", (int)line->len, line->s);
        line->len = 0;
        if (line->s) line->s[0] = 0;
        spaces(line, indent);
    }
    kstr_puts(line, word);
}

/* Axis d of the sub-array at p as _formatArray's recurser writes it, '[' to ']', appended to
 * out.  indent is the hanging indent (the column of the first element), width the columns
 * left to it (each level gives up one to its ']'). */
static void format_axis(const layout *L, int d, const char *p, int indent, int width, kstr *out) {
    int left = kiln_array_ndim(L->a) - d; /* axes left, this one included */
    int64_t n = kiln_array_shape(L->a)[d], st = kiln_array_strides(L->a)[d];
    int edge = L->edge;
    bool summary = edge && n > 2 * edge;
    kstr s = {0};
    if (left == 1) {
        int ew = width - 1; /* room for the separator's ',' or the ']' after an element */
        kstr line = {0};
        spaces(&line, indent);
        for (int64_t i = 0; i < n; i++) {
            if (summary && i == edge) {
                extend_line(&s, &line, "...", ew, indent);
                kstr_puts(&line, L->sep);
                i = n - edge;
            }
            char w[128];
            format_elem(L->f, p + i * st, w);
            extend_line(&s, &line, w, ew, indent);
            if (i < n - 1) kstr_puts(&line, L->sep);
        }
        if (line.s) kstr_puts(&s, line.s);
        kstr_free(&line);
    } else {
        char line_sep[16]; /* the separator without trailing spaces, then a newline per axis left below */
        int o = snprintf(line_sep, sizeof line_sep, "%s", L->sep);
        while (o && line_sep[o - 1] == ' ') o--;
        for (int k = 0; k < left - 1 && o < (int)sizeof line_sep - 1; k++) line_sep[o++] = '\n';
        line_sep[o] = 0;
        for (int64_t i = 0; i < n; i++) {
            if (summary && i == edge) {
                spaces(&s, indent);
                kstr_printf(&s, "...%s", line_sep);
                i = n - edge;
            }
            spaces(&s, indent);
            format_axis(L, d + 1, p + i * st, indent + 1, width - 1, &s);
            if (i < n - 1) kstr_puts(&s, line_sep);
        }
    }
    /* the hanging indent of the first line is where the '[' goes */
    kstr_printf(out, "[%s]", s.s && s.len >= (size_t)indent ? s.s + indent : "");
    kstr_free(&s);
}

/* array2string of a non-empty array with ndim >= 1: prefix is what stands before the '['
 * ("array(" or nothing), suffix_len the width of what follows the last ']'. */
static void format_body(const kiln_array *a, const fe_printopts *po, const char *sep, int prefix_len, int suffix_len, kstr *b) {
    int edge = kiln_array_size(a) > po->threshold ? po->edgeitems : 0;
    numfmt f = choose_format(a, edge, po);
    layout L = {.a = a, .f = &f, .sep = sep, .edge = edge};
    format_axis(&L, 0, kiln_array_data(a), 1 + prefix_len, po->linewidth - suffix_len, b);
}

/* ------------------------------------------------------------------ entry points */

static const fe_printopts default_options = FE_PRINTOPTS_INIT;

/* repr() of the NumPy scalar at p: np.float64(0.5), np.int32(-2), np.True_. */
static void scalar_repr(kiln_dtype dt, const char *p, kstr *b) {
    if (dt == KILN_BOOL) {
        kstr_printf(b, "np.%s_", load_int(p, dt) ? "True" : "False");
        return;
    }
    kstr_printf(b, "np.%s(", kiln_dtype_name(dt));
    if (dtype_is_float(dt)) float_str(load_float(p, dt), dt == KILN_F32, b);
    else kstr_printf(b, "%lld", (long long)load_int(p, dt));
    kstr_printf(b, ")");
}

/* str() of the NumPy scalar at p: 0.5, -2, True. */
static void scalar_str(kiln_dtype dt, const char *p, kstr *b) {
    if (dt == KILN_BOOL) kstr_puts(b, load_int(p, dt) ? "True" : "False");
    else if (dtype_is_float(dt)) float_str(load_float(p, dt), dt == KILN_F32, b);
    else kstr_printf(b, "%lld", (long long)load_int(p, dt));
}

void fe_format_array(const kiln_array *a, const fe_printopts *po, kstr *b) {
    if (!po) po = &default_options;
    kiln_dtype dt = kiln_array_dtype(a);
    int nd = kiln_array_ndim(a);
    if (nd == 0) {
        scalar_repr(dt, kiln_array_data(a), b);
        return;
    }
    size_t start = b->len;
    kstr_printf(b, "array(");
    int64_t size = kiln_array_size(a);
    if (size == 0) kstr_printf(b, "[]");
    else format_body(a, po, ", ", 6, 1, b);

    /* what the text does not show: the shape of empty (but not (0,)) and summarized arrays,
     * the dtype unless it is a default one (float64, int64, bool) or the array is empty */
    char extra[192];
    int n = 0;
    const int64_t *shape = kiln_array_shape(a);
    if ((size == 0 && !(nd == 1 && shape[0] == 0)) || size > po->threshold) {
        n += snprintf(extra + n, sizeof extra - (size_t)n, "shape=(");
        for (int d = 0; d < nd && n < (int)sizeof extra - 40; d++)
            n += snprintf(extra + n, sizeof extra - (size_t)n, "%s%lld", d ? ", " : "", (long long)shape[d]);
        n += snprintf(extra + n, sizeof extra - (size_t)n, "%s)", nd == 1 ? "," : "");
    }
    if ((dt != KILN_F64 && dt != KILN_I64 && dt != KILN_BOOL) || size == 0)
        n += snprintf(extra + n, sizeof extra - (size_t)n, "%sdtype=%s", n ? ", " : "", kiln_dtype_name(dt));
    if (!n) {
        kstr_printf(b, ")");
        return;
    }
    /* on a line of its own, under the '[', when it would pass the line width */
    kstr_printf(b, ",");
    if (b->oom || !b->s) return;
    const char *nl = strrchr(b->s + start, '\n');
    size_t last = b->len - (nl ? (size_t)(nl + 1 - b->s) : start);
    kstr_printf(b, "%s%s)", last + (size_t)n + 2 > (size_t)po->linewidth ? "\n      " : " ", extra);
}

void fe_format_str(const kiln_array *a, const fe_printopts *po, kstr *b) {
    if (!po) po = &default_options;
    if (kiln_array_ndim(a) == 0) scalar_str(kiln_array_dtype(a), kiln_array_data(a), b);
    else if (kiln_array_size(a) == 0) kstr_printf(b, "[]");
    else format_body(a, po, " ", 0, 0, b);
}

void fe_format_pyfloat(double v, kstr *b) { float_str(v, false, b); }

void fe_format_float(double v, bool f32, kstr *b) { float_str(v, f32, b); }

const fe_finfo *fe_finfo_of(kiln_dtype dt) {
    static const fe_finfo f32 = {32, -23, -24, 128, -126, 8, 23, 6, 0x1p-23, 0x1p-24, FLT_MAX, 1e-6, FLT_MIN, 0x1p-149};
    static const fe_finfo f64 = {64, -52, -53, 1024, -1022, 11, 52, 15, 0x1p-52, 0x1p-53, DBL_MAX, 1e-15, DBL_MIN, 0x1p-1074};
    return dt == KILN_F32 ? &f32 : dt == KILN_F64 ? &f64 : NULL;
}

void fe_format_info(kiln_dtype dt, bool str, kstr *b) {
    static const char rule[] = "---------------------------------------------------------------\n";
    const char *name = kiln_dtype_name(dt);
    const fe_finfo *f = fe_finfo_of(dt);
    if (!f) { /* iinfo */
        int64_t lo, hi;
        dtype_int_bounds(dt, &lo, &hi);
        if (str) kstr_printf(b, "Machine parameters for %s\n%smin = %lld\nmax = %lld\n%s", name, rule, (long long)lo, (long long)hi, rule);
        else kstr_printf(b, "iinfo(min=%lld, max=%lld, dtype=%s)", (long long)lo, (long long)hi, name);
        return;
    }
    bool f32 = dt == KILN_F32;
    double res = f32 ? (double)(float)f->resolution : f->resolution;
    if (!str) { /* the values as NumPy's str of its scalars */
        kstr_printf(b, "finfo(resolution=");
        float_str(res, f32, b);
        kstr_printf(b, ", min=");
        float_str(-f->max, f32, b);
        kstr_printf(b, ", max=");
        float_str(f->max, f32, b);
        kstr_printf(b, ", dtype=%s)", name);
        return;
    }
    int d = f32 ? 7 : 16; /* (NumPy's MachAr: '%15.7e' and '%24.16e', stripped) */
    kstr_printf(b, "Machine parameters for %s\n%s", name, rule);
    kstr_printf(b, "precision = %3d   resolution = %.*e\n", f->precision, d, res);
    kstr_printf(b, "machep = %6d   eps =        %.*e\n", f->machep, d, f->eps);
    kstr_printf(b, "negep =  %6d   epsneg =     %.*e\n", f->negep, d, f->epsneg);
    kstr_printf(b, "minexp = %6d   tiny =       %.*e\n", f->minexp, d, f->tiny);
    kstr_printf(b, "maxexp = %6d   max =        %.*e\n", f->maxexp, d, f->max);
    kstr_printf(b, "nexp =   %6d   min =        -max\n", f->nexp);
    kstr_printf(b, "smallest_normal = %.*e   smallest_subnormal = %.*e\n%s", d, f->tiny, d, f->subnormal, rule);
}

void fe_format_pyint(int64_t v, kstr *b) { kstr_printf(b, "%lld", (long long)v); }

void fe_format_dtype(kiln_dtype dt, kstr *b) { kstr_printf(b, "dtype('%s')", kiln_dtype_name(dt)); }

/* ------------------------------------------------------------------ format specs */

typedef struct spec {
    char fill[5];       /* one character, UTF-8 */
    char align, sign, type, group;
    bool filled, alt, zero, nozero;
    int width, prec; /* -1: none */
} spec;

/* The bytes of the UTF-8 character at s (1 for a stray byte). */
static size_t char_len(const char *s) {
    unsigned char c = (unsigned char)*s;
    size_t n = c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    for (size_t k = 1; k < n; k++)
        if (((unsigned char)s[k] & 0xC0) != 0x80) return 1;
    return n;
}

/* Python's format-spec mini-language: [[fill]align][sign][z][#][0][width][grouping][.precision][type] */
static bool spec_parse(const char *s, spec *f) {
    memset(f, 0, sizeof *f);
    f->fill[0] = ' ';
    f->width = f->prec = -1;
    size_t n = strlen(s), i = 0, c = n ? char_len(s) : 0;
    if (n > c && strchr("<>^=", s[c]) && s[c]) { /* a fill character, then the alignment */
        memcpy(f->fill, s, c);
        f->fill[c] = 0;
        f->filled = true;
        f->align = s[c];
        i = c + 1;
    } else if (n >= 1 && strchr("<>^=", s[0])) {
        f->align = s[0];
        i = 1;
    }
    if (i < n && strchr("+- ", s[i])) f->sign = s[i++];
    if (i < n && s[i] == 'z') f->nozero = true, i++;
    if (i < n && s[i] == '#') f->alt = true, i++;
    if (i < n && s[i] == '0') {
        f->zero = true;
        i++;
    }
    if (i < n && s[i] >= '0' && s[i] <= '9') {
        f->width = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9' && f->width < 10000) f->width = f->width * 10 + (s[i++] - '0');
    }
    if (i < n && (s[i] == ',' || s[i] == '_')) f->group = s[i++];
    if (i < n && s[i] == '.') {
        i++;
        if (i >= n || s[i] < '0' || s[i] > '9') return false;
        f->prec = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9' && f->prec < 10000) f->prec = f->prec * 10 + (s[i++] - '0');
    }
    if (i < n && strchr("bcdeEfFgGnosxX%", s[i])) f->type = s[i++];
    if (f->zero && !f->filled) { /* '0': zeros fill, and a number's go between its sign and digits */
        f->fill[0] = '0';
        f->fill[1] = 0;
    }
    return i == n;
}

int fe_text_chars(const char *s) {
    int n = 0;
    for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void fill_n(kstr *b, const char *fill, int n) {
    for (int i = 0; i < n; i++) kstr_puts(b, fill);
}

/* lead (a sign, a prefix such as 0x), then body, padded per f into b: numbers align right and
 * pad between lead and body for '=' (and a bare '0'), text aligns left. */
static void pad_out(const spec *f, const char *lead, const char *body, bool numeric, kstr *b) {
    int len = fe_text_chars(lead) + fe_text_chars(body);
    char align = f->align ? f->align : numeric ? (f->zero ? '=' : '>') : '<';
    int padn = f->width > len ? f->width - len : 0;
    int left = align == '>' ? padn : align == '^' ? padn / 2 : 0, right = align == '<' ? padn : align == '^' ? padn - padn / 2 : 0;
    fill_n(b, f->fill, left);
    kstr_puts(b, lead);
    if (align == '=') fill_n(b, f->fill, padn);
    kstr_puts(b, body);
    fill_n(b, f->fill, right);
}

bool fe_format_spec_str(const char *s, const char *specs, kstr *b) {
    spec f;
    if (!spec_parse(specs, &f) || (f.type && f.type != 's') || f.sign || f.group || f.alt || f.align == '=') return false;
    size_t cut = strlen(s); /* a precision: that many characters */
    for (size_t at = 0, k = 0; f.prec >= 0 && at < cut; at += char_len(s + at), k++)
        if ((int)k == f.prec) cut = at;
    kstr body = {0};
    kstr_printf(&body, "%.*s", (int)cut, s);
    pad_out(&f, "", body.s ? body.s : "", false, b);
    kstr_free(&body);
    return true;
}

/* digits[0, n) grouped into b as Python's formatter groups them: every `every` digits from the
 * right, `sep` between groups, and (zero padding) leading zeros and separators until the whole
 * is min_width characters or more (never a separator first). */
static void grouped(const char *digits, int n, char sep, int every, int min_width, kstr *b) {
    char *out = NULL;
    size_t cap = (size_t)n + (size_t)(min_width > 0 ? min_width : 0) + (size_t)n / (size_t)every + 8, o = cap;
    if (!(out = malloc(cap))) return;
    out[--o] = 0;
    int remaining = n;
    bool sep_next = false;
    for (;;) { /* (CPython's _PyUnicode_InsertThousandsGrouping, right to left) */
        int most = remaining > min_width ? remaining : min_width;
        int l = every < (most > 1 ? most : 1) ? every : (most > 1 ? most : 1);
        int zeros = l - remaining > 0 ? l - remaining : 0, chars = remaining < l ? remaining : l;
        if (sep_next) out[--o] = sep;
        for (int k = 0; k < chars; k++) out[--o] = digits[--remaining];
        for (int k = 0; k < zeros; k++) out[--o] = '0';
        sep_next = true;
        min_width -= l;
        if (remaining <= 0 && min_width <= 0) break;
        min_width -= 1;
    }
    kstr_puts(b, out + o);
    free(out);
}

/* A number's text: lead (sign and prefix), its digits (the integer part), the rest (a fraction,
 * an exponent, '%'), grouped and padded per f. */
static void number_out(const spec *f, const char *lead, const char *digits, const char *rest, kstr *b) {
    int every = f->type && strchr("bxXo", f->type) ? 4 : 3;
    kstr body = {0};
    int n = (int)strlen(digits);
    if (f->group && n > 0) { /* (inf and nan have no digits to group, as CPython's) */
        bool zero_padded = f->fill[0] == '0' && !f->fill[1] && (f->align == '=' || (!f->align && f->zero));
        int min_width = zero_padded && f->width > 0 ? f->width - fe_text_chars(lead) - fe_text_chars(rest) : 0;
        grouped(digits, n, f->group, every, min_width, &body);
    } else {
        kstr_puts(&body, digits);
    }
    kstr_puts(&body, rest);
    pad_out(f, lead, body.s ? body.s : "", true, b);
    kstr_free(&body);
}

/* text (a number's digits, a point, an exponent...) split at the end of its leading digits */
static void number_text_out(const spec *f, const char *lead, const char *text, kstr *b) {
    size_t n = strspn(text, "0123456789");
    char *digits = strndup(text, n);
    if (!digits) return;
    number_out(f, lead, digits, text + n, b);
    free(digits);
}

/* Python's general format of a >= 0 with p significant digits: %g's choice of notation (sci
 * when the exponent is < -4 or >= sci_at), trailing zeros dropped unless alt. */
static void general(double a, int p, int sci_at, bool alt, bool upper, kstr *out) {
    if (p == 0) p = 1;
    kstr e = {0};
    kstr_printf(&e, "%.*e", p - 1, a); /* (the exponent after rounding to p digits) */
    const char *ep = e.s ? strchr(e.s, 'e') : NULL;
    int x = ep ? atoi(ep + 1) : 0;
    kstr_free(&e);
    if (x < -4 || x >= sci_at) kstr_printf(out, alt ? "%#.*e" : "%.*e", p - 1, a);
    else kstr_printf(out, alt ? "%#.*f" : "%.*f", p - 1 - x, a);
    char *s = out->s;
    if (!s) return;
    if (!alt && strchr(s, '.')) { /* drop the fraction's trailing zeros, and a bare point */
        char *ex = strchr(s, 'e'), *end = ex ? ex : s + strlen(s), *z = end;
        while (z[-1] == '0') z--;
        if (z[-1] == '.') z--;
        memmove(z, end, strlen(end) + 1);
        out->len = strlen(s);
    }
    if (upper)
        for (char *c = s; *c; c++) *c = (char)(*c == 'e' ? 'E' : *c == 'n' ? 'N' : *c == 'i' ? 'I' : *c == 'f' ? 'F' : *c == 'a' ? 'A' : *c);
}

bool fe_format_spec_num(kscalar v, kiln_dtype dt, const char *specs, kstr *b) {
    spec f;
    if (!spec_parse(specs, &f) || f.type == 's') return false;
    bool is_int = dt != KILN_F32 && dt != KILN_F64;
    char t = f.type;
    if (f.group == ',' && t && strchr("bcoxX", t)) return false; /* (Python: Cannot specify ',' with 'x'.) */
    if (f.group && t == 'n') return false;                        /* (nor with 'n', the locale's) */
    if (f.nozero && is_int && (!t || strchr("bcdnoxX", t))) return false; /* (z is for floats) */
    if (is_int && (!t || strchr("bcdnoxX", t))) {
        if (f.prec >= 0) return false; /* Python: precision not allowed for integers */
        int64_t x = kscalar_int(dt, v);
        if (dt == KILN_BOOL && !specs[0]) { /* format(True, '') is 'True'; any other spec formats the int */
            kstr_puts(b, v.b ? "True" : "False");
            return true;
        }
        bool neg = x < 0;
        uint64_t u = neg ? (uint64_t)0 - (uint64_t)x : (uint64_t)x;
        char lead[8] = "", digits[80];
        size_t l = 0;
        if (neg) lead[l++] = '-';
        else if (f.sign == '+' || f.sign == ' ') lead[l++] = f.sign;
        if (t == 'c') { /* the character of code point x, in UTF-8 (no sign: Python refuses one) */
            if (neg || u == 0 || u > 0x10FFFF || f.sign || f.group || f.alt) return false; /* (no NUL in kiln's strings) */
            if (u < 0x80) snprintf(digits, sizeof digits, "%c", (int)u);
            else if (u < 0x800) snprintf(digits, sizeof digits, "%c%c", (int)(0xC0 | u >> 6), (int)(0x80 | (u & 0x3F)));
            else if (u < 0x10000) snprintf(digits, sizeof digits, "%c%c%c", (int)(0xE0 | u >> 12), (int)(0x80 | (u >> 6 & 0x3F)), (int)(0x80 | (u & 0x3F)));
            else snprintf(digits, sizeof digits, "%c%c%c%c", (int)(0xF0 | u >> 18), (int)(0x80 | (u >> 12 & 0x3F)), (int)(0x80 | (u >> 6 & 0x3F)), (int)(0x80 | (u & 0x3F)));
            pad_out(&f, "", digits, true, b);
            return true;
        }
        int base = t == 'b' ? 2 : t == 'o' ? 8 : t == 'x' || t == 'X' ? 16 : 10, n = 0;
        char rev[72];
        do {
            int d = (int)(u % (uint64_t)base);
            rev[n++] = (char)(d < 10 ? '0' + d : (t == 'X' ? 'A' : 'a') + d - 10);
            u /= (uint64_t)base;
        } while (u);
        for (int k = 0; k < n; k++) digits[k] = rev[n - 1 - k];
        digits[n] = 0;
        if (f.alt && base != 10) lead[l++] = '0', lead[l++] = t == 'X' ? 'X' : t;
        lead[l] = 0;
        number_out(&f, lead, digits, "", b);
        return true;
    }
    if (t && strchr("bcdoxX", t)) return false; /* integer-only types on a float */
    double x = dt == KILN_F32 || dt == KILN_F64 ? v.f64 : (double)kscalar_int(dt, v);
    if (dt == KILN_F32) x = (double)v.f32;
    bool upper = t == 'E' || t == 'F' || t == 'G';
    kstr body = {0};
    double a = fabs(x);
    if (isnan(a) || isinf(a)) {
        kstr_printf(&body, "%s%s", isnan(a) ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf"), t == '%' ? "%" : "");
    } else if (!t && f.prec < 0) { /* repr (with '#': a point always) */
        float_str(a, dt == KILN_F32, &body);
        if (f.alt && body.s && !strchr(body.s, '.')) {
            char *e = strchr(body.s, 'e');
            kstr alt = {0};
            kstr_printf(&alt, "%.*s.%s", (int)(e ? e - body.s : (ptrdiff_t)strlen(body.s)), body.s, e ? e : "");
            kstr_free(&body);
            body = alt;
        }
    } else {
        int p = f.prec < 0 ? 6 : f.prec;
        switch (t) {
        case 'f':
        case 'F': kstr_printf(&body, f.alt ? "%#.*f" : "%.*f", p, a); break;
        case 'e':
        case 'E': kstr_printf(&body, f.alt ? (upper ? "%#.*E" : "%#.*e") : (upper ? "%.*E" : "%.*e"), p, a); break;
        case '%': kstr_printf(&body, f.alt ? "%#.*f%%" : "%.*f%%", p, a * 100); break;
        case 0: /* a precision, no type: general, switching to sci at p - 1, a digit past a fixed point */
            general(a, p, (p ? p : 1) - 1, f.alt, false, &body);
            if (body.s && !strpbrk(body.s, ".e")) kstr_printf(&body, ".0");
            break;
        default: general(a, p, p ? p : 1, f.alt, upper, &body); break; /* g, G, n */
        }
    }
    if (!body.s) return false;
    bool neg = signbit(x) && !(f.nozero && x == 0) && !isnan(x); /* (Python never signs a NaN) */
    if (f.nozero && !isnan(a) && strspn(body.s, "0.") == strcspn(body.s, "eE%")) neg = false; /* z: -0.00 prints 0.00 */
    char lead[2] = {neg ? '-' : f.sign == '+' || f.sign == ' ' ? f.sign : 0, 0};
    number_text_out(&f, lead, body.s, b);
    kstr_free(&body);
    return true;
}
