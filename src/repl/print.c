/*
 * print.c — arrays printed the way NumPy's repr prints them: array([1. , 2.5]), one format
 * width for all elements, rows wrapped at 75 columns, arrays over 1000 elements summarized with
 * "..." (3 items at each edge), and the dtype named where NumPy names it.
 *
 * Part of the kiln program (the REPL), not of libkiln.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repl.h"

#define LINE_WIDTH 75
#define THRESHOLD 1000
#define EDGE 3
#define PRECISION 8

typedef struct fmt {
    kiln_dtype dt;
    bool exp;      /* floats: scientific notation */
    int prec;      /* floats: digits after the point (the most any element needs) */
    int width;     /* every element's printed width */
    bool summary;  /* show EDGE items at each edge of long axes */
} fmt;

static double load_f(const char *p, kiln_dtype dt) { return dt == KILN_F32 ? *(const float *)p : *(const double *)p; }
static long long load_i(const char *p, kiln_dtype dt) {
    return dt == KILN_I32 ? *(const int32_t *)p : dt == KILN_I64 ? *(const int64_t *)p : *(const uint8_t *)p != 0;
}

/* Fewest digits (at most PRECISION) that give v back, in %f or %e. */
static int digits_needed(double v, bool exp, kiln_dtype dt) {
    char b[64];
    for (int p = 0; p < PRECISION; p++) {
        snprintf(b, sizeof b, exp ? "%.*e" : "%.*f", p, v);
        double back = strtod(b, NULL);
        if (dt == KILN_F32 ? (float)back == (float)v : back == v) return p;
    }
    return PRECISION;
}

/* One element as text, unpadded. */
static void elem_str(const fmt *f, const char *p, int prec, char *b, size_t cap) {
    if (f->dt == KILN_BOOL) {
        snprintf(b, cap, "%s", *(const uint8_t *)p ? "True" : "False");
    } else if (f->dt == KILN_I32 || f->dt == KILN_I64) {
        snprintf(b, cap, "%lld", load_i(p, f->dt));
    } else {
        double v = load_f(p, f->dt);
        if (isnan(v)) snprintf(b, cap, "nan");
        else if (isinf(v)) snprintf(b, cap, v > 0 ? "inf" : "-inf");
        else if (f->exp) {
            char t[64];
            snprintf(t, sizeof t, "%.*e", prec, v);
            char *e = strchr(t, 'e');
            if (prec == 0 && e) /* NumPy writes 1.e+10 */
                snprintf(b, cap, "%.*s.%s", (int)(e - t), t, e);
            else
                snprintf(b, cap, "%s", t);
        } else {
            snprintf(b, cap, "%.*f%s", prec, v, prec == 0 ? "." : "");
        }
    }
}

/* Calls fn on every element that will be shown (all, or the edges of each long axis). */
static void walk(const kiln_array *a, const fmt *f, int d, const char *p, void (*fn)(void *, const char *), void *ud) {
    int nd = kiln_array_ndim(a);
    if (d == nd) {
        fn(ud, p);
        return;
    }
    int64_t n = kiln_array_shape(a)[d], s = kiln_array_strides(a)[d];
    for (int64_t i = 0; i < n; i++) {
        if (f->summary && n > 2 * EDGE && i == EDGE) i = n - EDGE;
        walk(a, f, d + 1, p + i * s, fn, ud);
    }
}

typedef struct scan {
    const fmt *f;
    double maxabs, minabs;
    bool any_finite;
    int prec, width;
} scan;

static void scan_range(void *ud, const char *p) {
    scan *s = ud;
    double v = fabs(load_f(p, s->f->dt));
    if (!isfinite(v)) return;
    s->any_finite = true;
    if (v > s->maxabs) s->maxabs = v;
    if (v != 0 && v < s->minabs) s->minabs = v;
}
static void scan_prec(void *ud, const char *p) {
    scan *s = ud;
    double v = load_f(p, s->f->dt);
    if (!isfinite(v)) return;
    int d = digits_needed(v, s->f->exp, s->f->dt);
    if (d > s->prec) s->prec = d;
}
static void scan_width(void *ud, const char *p) {
    scan *s = ud;
    char b[64];
    elem_str(s->f, p, s->f->prec, b, sizeof b);
    int w = (int)strlen(b);
    if (w > s->width) s->width = w;
}

static fmt choose_format(const kiln_array *a) {
    fmt f = {.dt = kiln_array_dtype(a), .summary = kiln_array_size(a) > THRESHOLD};
    scan s = {.f = &f, .minabs = INFINITY};
    const char *p = kiln_array_data(a);
    if (f.dt == KILN_F32 || f.dt == KILN_F64) {
        walk(a, &f, 0, p, scan_range, &s);
        /* NumPy's rule: scientific when values are huge, tiny, or spread over many decades */
        f.exp = s.any_finite && (s.maxabs >= 1e8 || (s.minabs < 1e-4 && s.minabs != INFINITY) ||
                                 (s.minabs != INFINITY && s.maxabs / s.minabs > 1e3));
        walk(a, &f, 0, p, scan_prec, &s);
        f.prec = s.prec;
    }
    walk(a, &f, 0, p, scan_width, &s);
    f.width = s.width;
    return f;
}

typedef struct out {
    kstr *b;
    const fmt *f;
    int col; /* current column, for wrapping */
} out;

/* Drops trailing spaces (the separator before a line break). */
static void rstrip(kstr *b) {
    while (b->len && b->s[b->len - 1] == ' ') b->s[--b->len] = 0;
}

/* Adds a word, first breaking the line when it would pass the width (NumPy's rule: the last
 * word of a row leaves room for its ']'). */
static void put_word(out *o, const char *w, int indent, bool last) {
    int len = (int)strlen(w);
    if (o->col + len > LINE_WIDTH - (last ? 1 : 0) && o->col > indent) {
        rstrip(o->b);
        kstr_printf(o->b, "\n%*s", indent, "");
        o->col = indent;
    }
    kstr_printf(o->b, "%s", w);
    o->col += len;
}

/* Positional floats pad their fraction with spaces on the right (1. , 2.5), the rest align right. */
static void put_elem(out *o, const char *p, int indent, bool last_in_row) {
    char b[64], cell[96];
    const fmt *f = o->f;
    int prec = f->prec;
    bool fixed_float = (f->dt == KILN_F32 || f->dt == KILN_F64) && !f->exp;
    if (fixed_float && isfinite(load_f(p, f->dt))) prec = digits_needed(load_f(p, f->dt), false, f->dt);
    elem_str(f, p, prec, b, sizeof b);
    int pad_right = fixed_float && isfinite(load_f(p, f->dt)) ? f->prec - prec : 0;
    snprintf(cell, sizeof cell, "%*s%*s", f->width - pad_right, b, pad_right, "");
    put_word(o, cell, indent, last_in_row);
}

static void put(out *o, const char *s) {
    kstr_printf(o->b, "%s", s);
    const char *nl = strrchr(s, '\n');
    o->col = nl ? (int)strlen(nl + 1) : o->col + (int)strlen(s);
}

static void print_rec(out *o, const kiln_array *a, int d, const char *p, int indent) {
    int nd = kiln_array_ndim(a);
    int64_t n = kiln_array_shape(a)[d], s = kiln_array_strides(a)[d];
    put(o, "[");
    for (int64_t i = 0; i < n; i++) {
        if (o->f->summary && n > 2 * EDGE && i == EDGE) {
            if (d == nd - 1) {
                put_word(o, "...", indent + 1, false);
                put(o, ", ");
            }
            else {
                put(o, "...,");
                for (int k = 0; k < nd - 1 - d; k++) put(o, "\n");
                kstr_printf(o->b, "%*s", indent + 1, "");
                o->col = indent + 1;
            }
            i = n - EDGE;
        }
        if (d == nd - 1) {
            put_elem(o, p + i * s, indent + 1, i == n - 1);
            if (i < n - 1) put(o, ", ");
        } else {
            print_rec(o, a, d + 1, p + i * s, indent + 1);
            if (i < n - 1) {
                put(o, ",");
                for (int k = 0; k < nd - 1 - d; k++) put(o, "\n");
                kstr_printf(o->b, "%*s", indent + 1, "");
                o->col = indent + 1;
            }
        }
    }
    put(o, "]");
}

void repl_format_array(const kiln_array *a, kstr *b) {
    fmt f = choose_format(a);
    out o = {.b = b, .f = &f};
    kiln_dtype dt = kiln_array_dtype(a);
    bool named = dt == KILN_I32 || dt == KILN_F32 || kiln_array_size(a) == 0;
    put(&o, "array(");
    if (kiln_array_ndim(a) == 0) {
        char e[64];
        elem_str(&f, kiln_array_data(a), f.prec, e, sizeof e);
        put(&o, e);
    } else {
        print_rec(&o, a, 0, kiln_array_data(a), 6);
    }
    /* NumPy 2.2 names the shape of summarized arrays, and the dtype unless it is a default */
    char tail[160] = "";
    int n = 0;
    if (f.summary) {
        n += snprintf(tail + n, sizeof tail - (size_t)n, ", shape=(");
        for (int d = 0; d < kiln_array_ndim(a); d++)
            n += snprintf(tail + n, sizeof tail - (size_t)n, "%s%lld", d ? ", " : "", (long long)kiln_array_shape(a)[d]);
        n += snprintf(tail + n, sizeof tail - (size_t)n, "%s)", kiln_array_ndim(a) == 1 ? "," : "");
    }
    if (named) n += snprintf(tail + n, sizeof tail - (size_t)n, ", dtype=%s", kiln_dtype_name(dt));
    if (n && o.col + n + 1 > LINE_WIDTH) /* on a line of its own, under the first element */
        kstr_printf(b, ",\n      %s)", tail + 2);
    else
        kstr_printf(b, "%s)", tail);
}
