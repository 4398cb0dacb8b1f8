/*
 * handlers.h — what the language's function handlers share (builtins.c, draws.c): a call's
 * bound arguments, the table's entry, and the helpers every handler builds its result with.
 * Internal to the frontend.
 */
#ifndef KILN_FRONTEND_HANDLERS_H
#define KILN_FRONTEND_HANDLERS_H

#include <stdlib.h>
#include <string.h>

#include "parser.h"

/* The arguments of one call, bound to the parameters of a signature. */
typedef struct fe_args {
    int n;
    char names[FE_MAX_ARGS][24];
    kval v[FE_MAX_ARGS]; /* KV_ABSENT where not given */
    uint32_t by_keyword; /* bit i: v[i] was given as name=value */
} fe_args;

typedef struct fe_fn fe_fn;
typedef bool (*fe_handler)(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out);
struct fe_fn {
    const char *name;
    const char *sig; /* Python's: "a, axis=None, *, keepdims=False"; "*shape" collects the rest */
    fe_handler fn;
    int op;          /* the handler's own argument (an op, a dtype ...) */
    const char *doc;
    bool py;         /* a Python builtin: its result from Python numbers stays a Python number */
};

/* The argument for parameter `name` (KV_ABSENT when not given). */
static inline kval *arg(fe_args *a, const char *name) {
    for (int i = 0; i < a->n; i++)
        if (!strcmp(a->names[i], name)) return &a->v[i];
    KILN_ASSERT(0 && "a handler asked for a parameter its signature does not have");
    return NULL;
}
static inline bool has(const fe_args *a, const char *name) {
    for (int i = 0; i < a->n; i++)
        if (!strcmp(a->names[i], name)) return true;
    return false;
}
static inline bool given(fe_args *a, const char *name) {
    kval *v = arg(a, name);
    return v->kind != KV_ABSENT;
}
/* Whether parameter name was given as name=value (not by its position). */
static inline bool by_keyword(const fe_args *a, const char *name) {
    for (int i = 0; i < a->n; i++)
        if (!strcmp(a->names[i], name)) return (a->by_keyword >> i) & 1u;
    return false;
}
static inline bool given_not_none(fe_args *a, const char *name) {
    kval *v = arg(a, name);
    return v->kind != KV_ABSENT && v->kind != KV_NONE;
}

/* The expression of parameter name (converted from a list or number), or NULL with an error. */
static inline kiln_expr *expr_of(parser *p, const fe_fn *f, fe_args *a, const char *name) {
    return fe_arg_expr(p, arg(a, name), f->name, name);
}
/* out = r (a reference taken over), then releases the n handles of t. */
static inline bool result(parser *p, kval *out, kiln_expr *r, size_t off, int n, kiln_expr **t) {
    bool ok = fe_set_expr(p, out, r, off);
    for (int i = 0; i < n; i++) kiln_expr_free(t[i]);
    return ok;
}
/* out = a new array (taken over) as an expression. */
static inline bool array_result(parser *p, kval *out, kiln_array *a, size_t off) {
    if (!fe_got(p, a, off)) return false;
    kiln_expr *e = kiln_var(p->ctx, a);
    kiln_array_free(a);
    return fe_set_expr(p, out, e, off);
}

/* e's value, computed now: the statement then depends on more than its names' dtypes and shapes. */
static inline kiln_array *value_now(parser *p, kiln_expr *e, size_t off) {
    p->env->volatile_ = true;
    kiln_array *r = kiln_eval(p->ctx, e);
    if (!r) fe_got(p, NULL, off);
    return r;
}

/* Temporaries of a composition: every builder's result is kept here and freed at the end
 * (builders given a NULL operand give NULL, keeping the first error). */
typedef struct tmps {
    kiln_expr *in[32], **v; /* v: in, or a larger block once there are more */
    int n, cap;
} tmps;
static inline kiln_expr *keep(tmps *t, kiln_expr *e) {
    if (!e) return NULL;
    if (!t->v) t->v = t->in, t->cap = 32;
    if (t->n == t->cap) {
        kiln_expr **w = malloc((size_t)t->cap * 2 * sizeof *w);
        if (!w) {
            kiln_fail(e->g->ctx, KILN_ERR_NOMEM, "out of memory");
            kiln_expr_free(e);
            return NULL;
        }
        memcpy(w, t->v, (size_t)t->n * sizeof *w);
        if (t->v != t->in) free(t->v);
        t->v = w;
        t->cap *= 2;
    }
    t->v[t->n++] = e;
    return e;
}
static inline void tmps_free(tmps *t) {
    for (int i = 0; i < t->n; i++) kiln_expr_free(t->v[i]);
    if (t->v != t->in) free(t->v);
    *t = (tmps){0};
}
/* out = r (a new reference to it), then the temporaries go. */
static inline bool done(parser *p, tmps *t, kval *out, kiln_expr *r, size_t off) {
    bool ok = fe_set_expr(p, out, r ? kiln_expr_retain(r) : NULL, off);
    tmps_free(t);
    return ok;
}

/* searchsorted(cdf, u, side='right') of one u in n increasing values */
static inline int64_t search_right(const double *cdf, int64_t n, double u) {
    int64_t lo = 0, hi = n;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (cdf[mid] <= u) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* builtins.c: (nd, shape) and x's shape broadcast together, NumPy's rule, into (nd, shape); false
 * (nothing changed) where they do not broadcast.  x broadcast to shape (nd dims), each stretched
 * dim a take of index 0, kept in t; NULL with an error at off when it cannot be. */
bool fe_merge_shape(int *nd, int64_t *shape, const kiln_expr *x);
kiln_expr *fe_broadcast_to(parser *p, tmps *t, kiln_expr *x, int nd, const int64_t *shape, const char *fn, size_t off);

/* draws.c: the random draws' handlers (np.random's and a Generator's methods); fe_draw_rand's
 * ops (its table entries' op) */
enum { D_RAND, D_RANDN, D_NORMAL, D_UNIFORM, D_EXP };
bool fe_draw_rand(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out);
bool fe_draw_integers(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out);
bool fe_draw_dist(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out);
bool fe_draw_multi(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out);
bool fe_draw_mvnormal(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out);
bool fe_draw_permutation(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out);
bool fe_draw_default_rng(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out);
bool fe_draw_choice(parser *p, const fe_fn *f, fe_args *a, size_t off, kval *out);

#endif
