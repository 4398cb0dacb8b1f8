/*
 * parse.c — the recursive-descent parser: an expression string → a value (an array expression
 * built through the public builders, a tuple, a string, a dtype ...; see frontend.h).
 *
 * Pipeline position: first, before the graph (which does CSE, typing and folding as the
 * builders are called).  Precedence and associativity are Python's, lowest first:
 *
 *     or  <  and  <  not  <  comparison  <  |  <  ^  <  &  <  + -  <  * / // % @
 *         <  unary + - ~  <  **  <  calls, subscripts, attributes
 *
 * so an expression pasted from NumPy code means the same here (a leading "np." is accepted and
 * ignored).  The first error is kept, with the byte offset of the token it is about; every
 * function returns false or a value it owns, and releases what it holds on the way out.
 * Functions and methods are in builtins.c.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"

/* ------------------------------------------------------------------ values */

void kval_free(kiln_ctx *ctx, kval *v) {
    if (!v) return;
    kiln_expr_free(v->e);
    for (int i = 0; i < v->n && v->items; i++) kval_free(ctx, &v->items[i]);
    kiln_free(ctx, v->items);
    kiln_free(ctx, v->s);
    memset(v, 0, sizeof *v);
}

/* Items in v, tuples and lists counted through, stopping past cap. */
static int64_t items_in(const kval *v, int64_t cap) {
    int64_t n = v->n;
    for (int i = 0; i < v->n && n <= cap; i++) n += items_in(&v->items[i], cap - n);
    return n;
}

static bool copy_rec(kiln_ctx *ctx, kval *dst, const kval *src);

/* The cap on a copied value's items: FE_MAX_ITEMS, or KILN_MAX_ITEMS (the fuzzer's, lower). */
static int64_t max_items = FE_MAX_ITEMS;
static pthread_once_t max_items_once = PTHREAD_ONCE_INIT;
static void max_items_read(void) {
    const char *m = getenv("KILN_MAX_ITEMS");
    long long v = m ? atoll(m) : 0;
    if (v > 0) max_items = v;
}

bool fe_kval_copy(kiln_ctx *ctx, kval *dst, const kval *src) {
    pthread_once(&max_items_once, max_items_read);
    if (src->n && items_in(src, max_items) > max_items) { /* s = s, s forty times: 2^40 copies */
        memset(dst, 0, sizeof *dst);
        kiln_fail(ctx, KILN_ERR_ARG, "the value has more than %lld items in its tuples and lists: kiln copies them",
                  (long long)max_items);
        return false;
    }
    return copy_rec(ctx, dst, src);
}

static bool copy_rec(kiln_ctx *ctx, kval *dst, const kval *src) {
    *dst = *src;
    dst->items = NULL;
    dst->s = NULL;
    dst->n = 0;
    if (src->e) kiln_expr_retain(src->e);
    if (src->s && !(dst->s = kiln_strdup(ctx, src->s))) {
        kval_free(ctx, dst);
        return false;
    }
    if (src->n) {
        if (!(dst->items = kiln_calloc(ctx, (size_t)src->n * sizeof *dst->items))) {
            kval_free(ctx, dst);
            return false;
        }
        for (int i = 0; i < src->n; i++, dst->n++)
            if (!copy_rec(ctx, &dst->items[i], &src->items[i])) {
                kval_free(ctx, dst);
                return false;
            }
    }
    return true;
}

bool fe_is_py(const kval *v) {
    return v->kind == KV_ARRAY && v->e && v->e->op == KILN_OP_CONST && v->e->weak && v->e->ndim == 0;
}

static const char *kind_name(const kval *v) {
    switch (v->kind) {
    case KV_NONE: return "None";
    case KV_ARRAY: return fe_is_py(v) ? "a number" : "an array";
    case KV_TUPLE: return "a tuple";
    case KV_LIST: return "a list";
    case KV_STR: return "a string";
    case KV_DTYPE: return "a dtype";
    case KV_SLICE: return "a slice";
    case KV_ELLIPSIS: return "an ellipsis";
    case KV_GEN: return "a Generator";
    case KV_INFO: return v->dt == KILN_F32 || v->dt == KILN_F64 ? "a finfo" : "an iinfo";
    case KV_ABSENT: return "nothing";
    }
    return "?";
}

/* ------------------------------------------------------------------ errors and tokens */

bool fe_err(parser *p, size_t off, kiln_status st, const char *fmt, ...) {
    if (p->failed) return false;
    p->failed = true;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    kiln_fail_at(p->ctx, st, (int64_t)off, "%s", msg);
    return false;
}

bool fe_got(parser *p, const void *r, size_t off) {
    if (!r && !p->failed) {
        char msg[512];
        kiln_status st = kiln_errcode(p->ctx);
        snprintf(msg, sizeof msg, "%s", kiln_errmsg(p->ctx));
        fe_err(p, off, st == KILN_OK ? KILN_ERR_ARG : st, "%s", msg);
    }
    return r != NULL;
}

bool fe_set_expr(parser *p, kval *v, kiln_expr *e, size_t off) {
    if (!fe_got(p, e, off)) return false;
    memset(v, 0, sizeof *v);
    v->kind = KV_ARRAY;
    v->e = e;
    v->off = off;
    return true;
}

static void advance(parser *p) {
    p->tok = lex_next(&p->lx);
    if (p->tok.kind == TK_ERROR) fe_err(p, p->tok.off, KILN_ERR_SYNTAX, "%s", p->lx.err);
}

static bool is_op(const parser *p, const char *s) { return p->tok.kind == TK_OP && !strcmp(p->tok.text, s); }
static bool is_name(const parser *p, const char *s) {
    return p->tok.kind == TK_NAME && p->tok.len == strlen(s) && !memcmp(p->lx.src + p->tok.off, s, p->tok.len);
}

/* A short quotation of the current token for messages. */
static const char *tok_str(const parser *p, char *buf, size_t cap) {
    if (p->tok.kind == TK_END) return "end of input";
    size_t n = p->tok.len < cap - 3 ? p->tok.len : cap - 3;
    buf[0] = '\'';
    memcpy(buf + 1, p->lx.src + p->tok.off, n);
    buf[n + 1] = '\'';
    buf[n + 2] = 0;
    return buf;
}

static bool expect(parser *p, const char *op, const char *what) {
    if (p->failed) return false;
    if (is_op(p, op)) {
        advance(p);
        return !p->failed;
    }
    char b[48];
    return fe_err(p, p->tok.off, KILN_ERR_SYNTAX, "expected '%s' %s, found %s", op, what, tok_str(p, b, sizeof b));
}

/* Nesting: every rule that recurses goes through here. */
static bool enter(parser *p) {
    if (++p->env->depth > FE_MAX_DEPTH)
        return fe_err(p, p->tok.off, KILN_ERR_SYNTAX, "expression nested too deeply (more than %d levels: each bracket takes two, each unary operator one)", FE_MAX_DEPTH);
    return true;
}
static void leave(parser *p) { p->env->depth--; }

/* ------------------------------------------------------------------ dependencies */

static fe_dep *dep_add(parser *p, const char *name, int what) {
    fe_deps *d = &p->env->deps;
    if (d->n == d->cap) {
        int nc = d->cap ? d->cap * 2 : 8;
        fe_dep *nd = kiln_realloc(p->ctx, d->d, (size_t)nc * sizeof *nd);
        if (!nd) return NULL;
        d->d = nd;
        d->cap = nc;
    }
    fe_dep *x = &d->d[d->n];
    memset(x, 0, sizeof *x);
    if (!(x->name = kiln_strdup(p->ctx, name))) return NULL;
    x->what = what;
    d->n++;
    return x;
}

static fe_dep *dep_find(parser *p, const char *name) {
    for (int i = 0; i < p->env->deps.n; i++)
        if (!strcmp(p->env->deps.d[i].name, name)) return &p->env->deps.d[i];
    return NULL;
}

void fe_note_free(parser *p, const char *name) {
    fe_dep *d = p->env->params && !dep_find(p, name) ? dep_add(p, name, FE_DEP_FREE) : NULL;
    if (d) d->bits = fe_scope_is_numpy_builtin(p->env->scope, name); /* (sum is Python's or NumPy's: from numpy import) */
}

bool fe_deps_valid(kiln_ctx *ctx, fe_deps *deps, kiln_scope *scope) {
    for (int i = 0; i < deps->n; i++) {
        fe_dep *d = &deps->d[i];
        bool py;
        kiln_array *a = scope ? fe_scope_get_at(scope, d->name, &d->slot, &py) : NULL;
        if (d->what == FE_DEP_FREE) {
            if (a || fe_scope_is_numpy_builtin(scope, d->name) != (d->bits != 0)) return false;
            continue;
        }
        if (!a || py != (d->what == FE_DEP_PY) || a->dtype != d->dt || a->ndim != d->ndim ||
            memcmp(a->shape, d->shape, (size_t)a->ndim * sizeof *a->shape))
            return false;
        if (d->what == FE_DEP_PY) {
            uint64_t bits = 0;
            memcpy(&bits, a->data, kiln_dtype_size(a->dtype));
            if (bits != d->bits) return false;
        }
        int same = -1; /* (which names share an array is part of what the statement was built for) */
        for (int j = 0; d->what == FE_DEP_ARRAY && j < i && same < 0; j++)
            if (deps->d[j].what == FE_DEP_ARRAY && fe_scope_get_at(scope, deps->d[j].name, &deps->d[j].slot, NULL) == a) same = j;
        if (d->what == FE_DEP_ARRAY && same != d->same_as) return false;
    }
    for (int i = 0; i < deps->n; i++)
        if (deps->d[i].what == FE_DEP_ARRAY && kiln_bind(ctx, deps->d[i].param, fe_scope_get_at(scope, deps->d[i].name, &deps->d[i].slot, NULL)) != KILN_OK)
            return false;
    return true;
}

void fe_deps_unbind(kiln_ctx *ctx, fe_deps *deps) {
    for (int i = 0; i < deps->n; i++)
        if (deps->d[i].what == FE_DEP_ARRAY) kiln_bind(ctx, deps->d[i].param, NULL);
}

void fe_deps_free(kiln_ctx *ctx, fe_deps *deps) {
    for (int i = 0; i < deps->n; i++) {
        kiln_free(ctx, deps->d[i].name);
        kiln_expr_free(deps->d[i].param);
    }
    kiln_free(ctx, deps->d);
    memset(deps, 0, sizeof *deps);
}

/* ------------------------------------------------------------------ names */

/* A Python number bound in the scope, as a weak constant. */
static kiln_expr *py_const(kiln_ctx *ctx, const kiln_array *a) {
    switch (a->dtype) {
    case KILN_BOOL: return kiln_bool(ctx, *(const uint8_t *)a->data != 0);
    case KILN_I64: {
        int64_t v;
        memcpy(&v, a->data, sizeof v);
        return kiln_int(ctx, v);
    }
    default: {
        double v;
        memcpy(&v, a->data, sizeof v);
        return kiln_scalar(ctx, v);
    }
    }
}

/* The value of a name bound in the scope: an array (a placeholder in params mode) or a
 * Python number. */
static bool scope_value(parser *p, const char *name, kiln_array *a, size_t off, kval *out) {
    bool py = fe_scope_py(p->env->scope, name);
    if (py) {
        fe_dep *d = p->env->params ? dep_find(p, name) : NULL;
        if (p->env->params && !d) {
            if (!(d = dep_add(p, name, FE_DEP_PY))) return fe_got(p, NULL, off);
            d->dt = (kiln_dtype)a->dtype;
            memcpy(&d->bits, a->data, kiln_dtype_size(a->dtype));
        }
        if (d && !p->env->in_grad) d->outside_grad = true;
        return fe_set_expr(p, out, py_const(p->ctx, a), off);
    }
    if (!p->env->params) return fe_set_expr(p, out, kiln_var(p->ctx, a), off) && (out->alias = true);
    fe_dep *d = dep_find(p, name);
    if (!d) {
        if (!(d = dep_add(p, name, FE_DEP_ARRAY))) return fe_got(p, NULL, off);
        d->dt = (kiln_dtype)a->dtype;
        d->ndim = a->ndim;
        memcpy(d->shape, a->shape, sizeof d->shape);
        d->same_as = -1;
        for (int j = 0; j < (int)(d - p->env->deps.d) && d->same_as < 0; j++)
            if (p->env->deps.d[j].what == FE_DEP_ARRAY && p->env->deps.d[j].param->leaf == a) d->same_as = j;
        /* an array under two names is one variable (grad's), as kiln_var's one node for it */
        d->param = d->same_as >= 0 ? kiln_expr_retain(p->env->deps.d[d->same_as].param) : kiln_param(p->ctx, d->dt, d->ndim, d->shape);
        if (!d->param || (d->same_as < 0 && kiln_bind(p->ctx, d->param, a) != KILN_OK)) return fe_got(p, NULL, off);
    }
    if (!p->env->in_grad) d->outside_grad = true;
    return fe_set_expr(p, out, kiln_expr_retain(d->param), off) && (out->alias = true);
}

static const struct {
    const char *name;
    kiln_dtype dt;
} dtype_names[] = {{"float64", KILN_F64}, {"float32", KILN_F32}, {"int64", KILN_I64}, {"int32", KILN_I32}, {"bool", KILN_BOOL},
                   {"float", KILN_F64},   {"int", KILN_I64},     {"bool_", KILN_BOOL}, {"double", KILN_F64}, {"single", KILN_F32},
                   {"intp", KILN_I64},    {"uint8", KILN_U8},    {"ubyte", KILN_U8},   {"int8", KILN_I8},     {"byte", KILN_I8},
                   {"int16", KILN_I16},   {"short", KILN_I16},   {"uint16", KILN_U16}, {"ushort", KILN_U16},  {"uint32", KILN_U32},
                   {"uintc", KILN_U32},   {"intc", KILN_I32},    {"int_", KILN_I64},   {"long", KILN_I64},    {"longlong", KILN_I64}};

bool fe_builtin_value(parser *p, const char *name, size_t off, kval *out) {
    static const struct {
        const char *name;
        double v;
    } consts[] = {{"nan", NAN}, {"inf", INFINITY}, {"pi", 3.141592653589793}, {"e", 2.718281828459045}};
    for (size_t i = 0; i < sizeof consts / sizeof *consts; i++)
        if (!strcmp(name, consts[i].name)) {
            fe_note_free(p, name);
            return fe_set_expr(p, out, kiln_scalar(p->ctx, consts[i].v), off);
        }
    if (!strcmp(name, "True_") || !strcmp(name, "False_")) { /* NumPy's bool scalars, np.True_ */
        fe_note_free(p, name);
        if (!fe_set_expr(p, out, kiln_bool(p->ctx, name[0] == 'T'), off)) return false;
        fe_make_strong(p, out);
        return true;
    }
    if (!strcmp(name, "newaxis")) {
        fe_note_free(p, name);
        memset(out, 0, sizeof *out);
        out->kind = KV_NONE;
        out->off = off;
        return true;
    }
    for (size_t i = 0; i < sizeof dtype_names / sizeof *dtype_names; i++)
        if (!strcmp(name, dtype_names[i].name)) {
            fe_note_free(p, name);
            memset(out, 0, sizeof *out);
            out->kind = KV_DTYPE;
            out->dt = dtype_names[i].dt;
            out->off = off;
            return true;
        }
    return false;
}

const char *const *fe_builtin_names(void) {
    static const char *const names[] = {"nan", "inf", "pi", "e", "newaxis", "float64", "float32", "int64", "int32",
                                        "bool", "True", "False", "None", NULL};
    return names;
}

/* ------------------------------------------------------------------ argument values */

kiln_expr *fe_as_expr(kiln_ctx *ctx, const kval *v, const char *what);

static kiln_expr *list_expr(kiln_ctx *ctx, const kval *v, const char *what);

/* A list or a tuple: array-likes, as NumPy's (np.array((1, 2)), zeros(3) + (1, 2, 3)). */
static bool is_seq(const kval *v) { return v->kind == KV_LIST || v->kind == KV_TUPLE; }

kiln_expr *fe_as_expr(kiln_ctx *ctx, const kval *v, const char *what) {
    if (v->kind == KV_ARRAY) return kiln_expr_retain(v->e);
    if (is_seq(v)) return list_expr(ctx, v, what);
    kiln_fail(ctx, KILN_ERR_ARG, "%s must be an array or a number, not %s", what, kind_name(v));
    return NULL;
}

/* The shape a nested list claims (along its first items); -1 when too deep. */
static int list_rank(const kval *v, int64_t *shape) {
    int nd = 0;
    while (is_seq(v)) {
        if (nd == KILN_MAX_DIMS) return -1;
        shape[nd++] = v->n;
        if (v->n == 0) break;
        v = &v->items[0];
    }
    return nd;
}

/* Whether every part of the list has that shape, with values (not lists) at depth nd; whether
 * they are all constants, and their promoted dtype. */
static bool list_check(const kval *v, int depth, int nd, const int64_t *shape, bool *all_const, kiln_dtype *dt, bool *any) {
    if (depth == nd) {
        if (v->kind != KV_ARRAY) return false;
        double f;
        int64_t i;
        if (v->e->ndim != 0 || !kiln_expr_scalar(v->e, &f, &i)) *all_const = false;
        *dt = *any ? dtype_promote(*dt, (kiln_dtype)v->e->dtype) : (kiln_dtype)v->e->dtype;
        *any = true;
        return true;
    }
    if (!is_seq(v) || v->n != shape[depth]) return false;
    for (int k = 0; k < v->n; k++)
        if (!list_check(&v->items[k], depth + 1, nd, shape, all_const, dt, any)) return false;
    return true;
}

static void list_fill(const kval *v, kiln_dtype dt, char **p) {
    if (is_seq(v)) {
        for (int k = 0; k < v->n; k++) list_fill(&v->items[k], dt, p);
        return;
    }
    ref_store(*p, dt, ref_cast(v->e->val, (kiln_dtype)v->e->dtype, dt));
    *p += kiln_dtype_size(dt);
}

/* np.array(list): numbers become an array of their promoted dtype (Python ints int64, floats
 * float64, bools bool); arrays of one shape are stacked along a new first axis. */
static kiln_expr *list_expr(kiln_ctx *ctx, const kval *v, const char *what) {
    int64_t shape[KILN_MAX_DIMS] = {0};
    int nd = list_rank(v, shape);
    bool all_const = true, any = false;
    kiln_dtype dt = KILN_F64;
    if (nd < 0 || !list_check(v, 0, nd, shape, &all_const, &dt, &any)) {
        /* maybe a list of arrays: stacked below, which checks their shapes */
        all_const = false;
    }
    if (all_const) {
        if (!any) dt = KILN_F64; /* np.array([]) is float64 */
        kiln_array *a = kiln_array_new(ctx, dt, nd, shape);
        if (!a) return NULL;
        char *p = a->data;
        list_fill(v, dt, &p);
        kiln_expr *e = kiln_var(ctx, a);
        kiln_array_free(a);
        return e;
    }
    /* a long list of arrays of one shape (a loss history): filled now, each item's values copied
     * (a computed one evaluated into its place), not a graph of v->n stacked pieces */
    bool flat = v->n > 64;
    for (int k = 0; flat && k < v->n; k++)
        flat = v->items[k].kind == KV_ARRAY && ir_same_shape(v->items[k].e, v->items[0].e);
    if (flat) {
        const kiln_expr *e0 = v->items[0].e;
        int64_t shape[KILN_MAX_DIMS];
        if (e0->ndim == KILN_MAX_DIMS) return kiln_fail(ctx, KILN_ERR_SHAPE, "%s: too many dimensions", what), NULL;
        shape[0] = v->n;
        memcpy(shape + 1, e0->shape, (size_t)e0->ndim * sizeof *shape);
        dt = (kiln_dtype)e0->dtype;
        for (int k = 1; k < v->n; k++) dt = dtype_promote(dt, (kiln_dtype)v->items[k].e->dtype);
        kiln_array *a = kiln_array_new(ctx, dt, e0->ndim + 1, shape);
        bool ok = a != NULL;
        size_t es = kiln_dtype_size(dt);
        int64_t per = 1;
        for (int d = 0; d < e0->ndim; d++) per *= e0->shape[d];
        for (int k = 0; ok && k < v->n; k++) {
            kiln_expr *e = v->items[k].e;
            kiln_array *src = e->op == KILN_OP_VAR ? kiln_expr_array(e) : e->op == KILN_OP_PARAM && e->leaf ? (kiln_array *)e->leaf : NULL;
            char *to = (char *)kiln_array_data(a) + (size_t)(k * per) * es;
            if (src || e->op == KILN_OP_CONST) { /* its values, cast */
                const char *from = src ? kiln_array_data(src) : NULL;
                for (int64_t i = 0; i < per; i++)
                    ref_store(to + (size_t)i * es, dt, ref_cast(src ? ref_load(from + kiln_elem_offset(i, src->ndim, src->shape, src->strides), (kiln_dtype)src->dtype) : e->val,
                                                                 (kiln_dtype)e->dtype, dt));
            } else { /* evaluated into its place */
                kiln_array *slot = kiln_array_view(ctx, a, e0->ndim, e0->shape, kiln_array_strides(a) + 1, k * kiln_array_strides(a)[0]);
                kiln_expr *c = slot ? (e->dtype == dt ? kiln_expr_retain(e) : kiln_cast(ctx, e, dt)) : NULL;
                ok = c && kiln_eval_into(ctx, c, slot) == KILN_OK;
                kiln_expr_free(c);
                kiln_array_free(slot);
            }
        }
        kiln_expr *r = ok ? kiln_var(ctx, a) : NULL;
        kiln_array_free(a);
        return r;
    }
    /* a list of arrays (or of lists of them): stacked */
    if (v->n == 0 || v->n > FE_MAX_JOIN) {
        kiln_fail(ctx, KILN_ERR_ARG, "%s: a list of arrays must have 1 to %d items", what, FE_MAX_JOIN);
        return NULL;
    }
    kiln_expr **parts = kiln_calloc(ctx, (size_t)v->n * sizeof *parts), *r = NULL;
    int made = 0;
    if (!parts) return NULL;
    for (; made < v->n; made++)
        if (!(parts[made] = fe_as_expr(ctx, &v->items[made], what))) goto out;
    r = kiln_stack(ctx, v->n, parts, 0);
    if (!r && kiln_errcode(ctx) == KILN_ERR_ARG && parts[0]->ndim >= KILN_MAX_DIMS) /* (stack's words, in the list's) */
        kiln_fail(ctx, KILN_ERR_ARG, "%s: the array would have more than %d dimensions", what, KILN_MAX_DIMS);
    if (!r && kiln_errcode(ctx) == KILN_ERR_SHAPE)
        kiln_fail(ctx, KILN_ERR_SHAPE, "%s: the list's items have different shapes (a ragged list is not an array)", what);
out:
    for (int i = 0; i < made; i++) kiln_expr_free(parts[i]);
    kiln_free(ctx, parts);
    return r;
}

kiln_expr *fe_arg_expr(parser *p, const kval *v, const char *fn, const char *param) {
    if (v->kind == KV_ARRAY) { /* (an array as it is: the message's text is made only for what is not one) */
        kiln_expr *e = kiln_expr_retain(v->e);
        fe_got(p, e, v->off);
        return e;
    }
    char what[96];
    snprintf(what, sizeof what, "%s(): '%s'", fn, param);
    kiln_expr *e = fe_as_expr(p->ctx, v, what);
    fe_got(p, e, v->off);
    return e;
}

/* An argument of indices: fe_arg_expr's, but a list holding no numbers ([], [[], []]) is an empty
 * array of integers, as NumPy takes it (np.array([]) is float64). */
kiln_expr *fe_index_expr(parser *p, const kval *v, const char *fn, const char *param) {
    kiln_expr *e = fe_arg_expr(p, v, fn, param);
    if (!e || !is_seq(v) || e->dtype != KILN_F64) return e;
    int64_t n = 1;
    for (int d = 0; d < e->ndim; d++) n *= e->shape[d];
    if (n) return e;
    kiln_array *none = kiln_array_new(p->ctx, KILN_I64, e->ndim, e->shape);
    kiln_expr_free(e);
    e = none ? kiln_var(p->ctx, none) : NULL;
    kiln_array_free(none);
    fe_got(p, e, v->off);
    return e;
}

static bool eval_one(parser *p, const kval *v, kscalar *out, kiln_dtype *dt);

/* A number argument: a constant, or a computed 0-d array, evaluated now (as NumPy's scalars
 * stand for numbers: x[:n] with n = sum(m); the statement is rebuilt at each run). */
bool fe_arg_number(parser *p, const kval *v, const char *fn, const char *param, double *f, int64_t *i, kiln_dtype *dt) {
    kscalar s;
    kiln_dtype sdt;
    *f = 0; /* (and 0 on failure) */
    *i = 0;
    if (v->kind == KV_ARRAY && v->e->ndim == 0) { /* (a constant is not evaluated) */
        if (!eval_one(p, v, &s, &sdt)) return false;
        if (dt) *dt = sdt;
        *f = ref_cast(s, sdt, KILN_F64).f64;
        *i = ref_cast(s, sdt, KILN_I64).i64; /* floats truncate, as kiln_expr_scalar's */
        return true;
    }
    if (v->kind == KV_ARRAY)
        return fe_err(p, v->off, KILN_ERR_ARG, "%s(): '%s' must be a number, not a %d-dimensional array", fn, param, v->e->ndim);
    return fe_err(p, v->off, KILN_ERR_ARG, "%s(): '%s' must be a number, not %s", fn, param, kind_name(v));
}

bool fe_arg_int(parser *p, const kval *v, const char *fn, const char *param, int64_t *out) {
    double f;
    kiln_dtype dt = KILN_F64;
    if (!fe_arg_number(p, v, fn, param, &f, out, &dt)) return false;
    if (!dtype_is_int(dt)) /* (Python's words, then where) */
        return fe_err(p, v->off, KILN_ERR_ARG, "'%s%s' object cannot be interpreted as an integer (%s()'s '%s')", fe_is_py(v) ? "" : "numpy.",
                      fe_is_py(v) ? "float" : kiln_dtype_name(dt), fn, param);
    return true;
}

bool fe_arg_bool(parser *p, const kval *v, const char *fn, const char *param, bool *out) {
    double f;
    int64_t i;
    if (!fe_arg_number(p, v, fn, param, &f, &i, NULL)) return false;
    *out = f != 0;
    return true;
}

bool fe_arg_shape(parser *p, const kval *v, const char *fn, const char *param, int *nd, int64_t *shape) {
    if (v->kind == KV_TUPLE && v->n == 1 && (v->items[0].kind == KV_TUPLE || v->items[0].kind == KV_LIST))
        v = &v->items[0]; /* *shape given one tuple: zeros((3, 4)) and reshape((3, 4)) alike */
    *nd = 0;
    if (v->kind == KV_TUPLE || v->kind == KV_LIST) {
        if (v->n > KILN_MAX_DIMS) return fe_err(p, v->off, KILN_ERR_SHAPE, "%s(): more than %d dimensions", fn, KILN_MAX_DIMS);
        for (int k = 0; k < v->n; k++)
            if (!fe_arg_int(p, &v->items[k], fn, param, &shape[(*nd)++])) return false;
        return true;
    }
    *nd = 1;
    return fe_arg_int(p, v, fn, param, &shape[0]);
}

bool fe_arg_axes(parser *p, const kval *v, int nd, const char *fn, unsigned *mask, bool *all) {
    *all = false;
    if (v->kind == KV_ABSENT || v->kind == KV_NONE) {
        *mask = KILN_EVERY_AXIS;
        *all = true;
        return true;
    }
    const kval *items = v->kind == KV_TUPLE ? v->items : v;
    int n = v->kind == KV_TUPLE ? v->n : 1;
    *mask = 0;
    for (int k = 0; k < n; k++) {
        int64_t a;
        if (!fe_arg_int(p, &items[k], fn, "axis", &a)) return false;
        if (a < -nd || a >= nd)
            return fe_err(p, items[k].off, KILN_ERR_ARG, "%s(): axis %lld is out of bounds for array of dimension %d", fn, (long long)a, nd);
        unsigned bit = 1u << (a < 0 ? a + nd : a);
        if (*mask & bit) return fe_err(p, items[k].off, KILN_ERR_ARG, "%s(): duplicate value in 'axis'", fn);
        *mask |= bit;
    }
    return true;
}

bool fe_arg_dtype(parser *p, const kval *v, const char *fn, kiln_dtype *dt) {
    if (v->kind == KV_DTYPE) {
        *dt = v->dt;
        return true;
    }
    if (v->kind == KV_STR) {
        for (size_t i = 0; i < sizeof dtype_names / sizeof *dtype_names; i++)
            if (!strcmp(v->s, dtype_names[i].name)) {
                *dt = dtype_names[i].dt;
                return true;
            }
        /* NumPy's character codes, with a byte order that is this machine's: 'f8', '<i4', '=d', '?' */
        static const struct {
            const char *code;
            kiln_dtype dt;
        } codes[] = {{"f8", KILN_F64}, {"d", KILN_F64}, {"f4", KILN_F32}, {"f", KILN_F32}, {"i8", KILN_I64}, {"q", KILN_I64},
                     {"l", KILN_I64},  {"p", KILN_I64}, {"i4", KILN_I32}, {"i", KILN_I32}, {"b1", KILN_BOOL}, {"?", KILN_BOOL},
                     {"long", KILN_I64}, {"longlong", KILN_I64}, {"int_", KILN_I64}, {"intc", KILN_I32},
                     {"u1", KILN_U8}, {"B", KILN_U8}, {"i1", KILN_I8}, {"b", KILN_I8}, {"i2", KILN_I16}, {"h", KILN_I16},
                     {"u2", KILN_U16}, {"H", KILN_U16}, {"u4", KILN_U32}, {"I", KILN_U32}};
        const char *c = v->s + (v->s[0] && strchr("<=|>", v->s[0]));
        for (size_t i = 0; i < sizeof codes / sizeof *codes; i++)
            if (!strcmp(c, codes[i].code)) {
                if (v->s[0] == '>' && kiln_dtype_size(codes[i].dt) > 1) /* (a byte has no order: '>?' is bool) */
                    return fe_err(p, v->off, KILN_ERR_DTYPE, "%s(): data type '%s' is big-endian; kiln's arrays are in this machine's order ('<')",
                                  fn, v->s);
                *dt = codes[i].dt;
                return true;
            }
        return fe_err(p, v->off, KILN_ERR_DTYPE, "%s(): data type '%s' not understood (kiln has bool, int8, int16, int32, int64, uint8, uint16, uint32, float32, float64)", fn, v->s);
    }
    return fe_err(p, v->off, KILN_ERR_DTYPE, "%s(): cannot interpret %s as a data type (kiln has bool, int8, int16, int32, int64, uint8, uint16, uint32, float32, float64)", fn,
                  kind_name(v));
}

/* ------------------------------------------------------------------ values known now */

/* Evaluates v (an array of one element) now: the statement's value then depends on more than
 * its names' dtypes and shapes. */
bool fe_scalar_now(kiln_ctx *ctx, kiln_expr *e, kscalar *out, kiln_dtype *dt) {
    if (e->op == KILN_OP_CONST) {
        *dt = (kiln_dtype)e->dtype;
        *out = e->val;
        return true;
    }
    kiln_array *a = kiln_eval(ctx, e);
    if (!a) return false;
    *dt = (kiln_dtype)a->dtype;
    *out = ref_load(a->data, *dt);
    kiln_array_free(a);
    return true;
}

const char *fe_truth_ambiguous(int64_t n) {
    return n ? "The truth value of an array with more than one element is ambiguous. Use a.any() or a.all()" /* (NumPy's words) */
             : "The truth value of an empty array is ambiguous. Use `array.size > 0` to check that an array is not empty.";
}

static bool eval_one(parser *p, const kval *v, kscalar *out, kiln_dtype *dt) {
    kiln_expr *e = v->e;
    if (e->op != KILN_OP_CONST) {
        int64_t n = 1;
        for (int d = 0; d < e->ndim; d++) n *= e->shape[d];
        if (n != 1)
            return fe_err(p, v->off, KILN_ERR_ARG, "%s", fe_truth_ambiguous(n));
        p->env->volatile_ = true; /* computed now: the statement is rebuilt at each run */
    }
    if (fe_scalar_now(p->ctx, e, out, dt)) return true;
    fe_got(p, NULL, v->off); /* the error, at v */
    return false;
}

bool fe_truth(parser *p, const kval *v, bool *out) {
    if (v->kind == KV_NONE) {
        *out = false;
        return true;
    }
    if (v->kind == KV_TUPLE || v->kind == KV_LIST || v->kind == KV_STR) {
        *out = v->kind == KV_STR ? v->s[0] != 0 : v->n > 0;
        return true;
    }
    if (v->kind != KV_ARRAY) return fe_err(p, v->off, KILN_ERR_ARG, "%s has no truth value", kind_name(v));
    kscalar s;
    kiln_dtype dt;
    if (!eval_one(p, v, &s, &dt)) return false;
    *out = ref_cast(s, dt, KILN_BOOL).b;
    return true;
}

bool fe_float_fits(double f, kiln_dtype dt) {
    if (dt == KILN_I64) return f > -9223372036854777856.0 && f < 9223372036854775808.0;
    int64_t lo, hi;
    dtype_int_bounds(dt, &lo, &hi);
    return f > (double)lo - 1 && f < (double)hi + 1;
}

/* The bytes of the Python whitespace character (str.isspace's: ASCII's, \x1c-\x1f, NEL, NBSP
 * and Unicode's spaces and separators) at s in NUL-terminated UTF-8, or 0; number_space: as int()
 * and float() strip them, without the separators \x1c-\x1f. */
static size_t space_in(const char *s, bool number_space) {
    unsigned char c = (unsigned char)s[0], d = c ? (unsigned char)s[1] : 0, e = d ? (unsigned char)s[2] : 0;
    if (c == ' ' || (c >= '\t' && c <= '\r') || (!number_space && c >= 0x1c && c <= 0x1f)) return 1;
    if (c == 0xC2 && (d == 0x85 || d == 0xA0)) return 2;
    if ((c == 0xE1 && d == 0x9A && e == 0x80) || (c == 0xE3 && d == 0x80 && e == 0x80) || (c == 0xE2 && d == 0x81 && e == 0x9F) ||
        (c == 0xE2 && d == 0x80 && (e <= 0x8A || e == 0xA8 || e == 0xA9 || e == 0xAF)) )
        return e >= 0x80 ? 3 : 0;
    return 0;
}
static size_t space_len(const char *s) { return space_in(s, false); }
/* Where the UTF-8 character that ends at s[end] begins (end > lo: no further back than lo). */
static size_t char_before(const char *s, size_t lo, size_t end) {
    size_t k = end - 1;
    while (k > lo && ((unsigned char)s[k] & 0xC0) == 0x80) k--;
    return k;
}
/* s past its leading whitespace (number_space: space_in's); the length of s[0, n) without its
 * trailing whitespace (s[n] a NUL or a character's first byte). */
static const char *skip_space(const char *s, bool number_space) {
    for (size_t k; (k = space_in(s, number_space));) s += k;
    return s;
}
static size_t trim_space(const char *s, size_t n, bool number_space) {
    while (n > 0) {
        size_t k = char_before(s, 0, n);
        if (space_in(s + k, number_space) != n - k) break;
        n = k;
    }
    return n;
}

/* float(s) of a string, as Python reads it (blanks around it, '_' between digits, inf and nan;
 * int(s) is fe_int_of_string's): v becomes the Python number. */
static bool number_of_string(parser *p, kval *v, kiln_dtype dt) {
    if (dt != KILN_F64) return fe_int_of_string(p, v, 10);
    char buf[128];
    size_t n = 0;
    const char *s = v->s;
    s = skip_space(s, true);
    for (; *s && n + 1 < sizeof buf; s++) {
        if (*s == '_' && n > 0 && isdigit((unsigned char)buf[n - 1]) && isdigit((unsigned char)s[1])) continue; /* (between digits only: 1_e3 is refused) */
        buf[n++] = *s;
    }
    buf[n] = 0;
    n = trim_space(buf, n, true);
    buf[n] = 0;
    char *end = NULL;
    bool word = false; /* strtod's own words beyond Python's (0x1p3, infinity's spellings are Python's too) */
    for (size_t i = 0; i < n; i++) word |= buf[i] == 'x' || buf[i] == 'X' || buf[i] == 'p' || buf[i] == 'P';
    double f = n && !word ? strtod(buf, &end) : 0;
    if (!n || word || *end || *s) return fe_err(p, v->off, KILN_ERR_ARG, "could not convert string to float: '%s'", v->s);
    kval_free(p->ctx, v);
    return fe_set_expr(p, v, kiln_scalar(p->ctx, f), v->off);
}

/* Python's int(s, base) of a string (base 0: the literal's own prefix, 0x 0o 0b; 2 to 36 take
 * their own prefix too): blanks around it, a sign, '_' between digits and after a prefix; v
 * becomes the Python int. */
bool fe_int_of_string(parser *p, kval *v, int base) {
    const char *s = v->s;
    int given = base;
    s = skip_space(s, true);
    bool neg = *s == '-';
    s += *s == '-' || *s == '+';
    char pre = s[0] == '0' ? (char)tolower((unsigned char)s[1]) : 0;
    int of = pre == 'x' ? 16 : pre == 'o' ? 8 : pre == 'b' ? 2 : 0;
    bool prefixed = of && (base == 0 || base == of), lead0 = false, zeros = true, ok = true, any = false;
    if (prefixed) s += 2, base = of;
    else if (base == 0) base = 10, lead0 = s[0] == '0'; /* (base 0 refuses 010, as the literal is refused) */
    uint64_t mag = 0, most = neg ? (uint64_t)1 << 63 : INT64_MAX;
    bool over = false;
    for (bool last_ = prefixed; *s && !space_in(s, true); s++) { /* last_: a '_' may follow */
        if (*s == '_') {
            ok &= last_, last_ = false;
            continue;
        }
        int d = isdigit((unsigned char)*s) ? *s - '0' : isalpha((unsigned char)*s) ? tolower((unsigned char)*s) - 'a' + 10 : 99;
        if (d >= base) ok = false;
        if (!ok) break;
        zeros &= d == 0, any = last_ = true;
        over |= mag > (most - (uint64_t)d) / (uint64_t)base;
        if (!over) mag = mag * (uint64_t)base + (uint64_t)d;
    }
    ok = ok && any && s[-1] != '_' && !(lead0 && !zeros);
    if (ok) s = skip_space(s, true);
    if (!ok || *s) return fe_err(p, v->off, KILN_ERR_ARG, "invalid literal for int() with base %d: '%s'", given, v->s);
    if (over) return fe_err(p, v->off, KILN_ERR_ARG, "int(): '%s' is too large for kiln's 64-bit integers", v->s);
    kval_free(p->ctx, v);
    return fe_set_expr(p, v, kiln_int(p->ctx, neg ? (int64_t)(0 - mag) : (int64_t)mag), v->off);
}

bool fe_to_py(parser *p, kval *v, kiln_dtype dt, size_t off) {
    if (v->kind == KV_STR && (dt == KILN_F64 || dt == KILN_I64)) return number_of_string(p, v, dt);
    if (v->kind != KV_ARRAY) return fe_err(p, v->off, KILN_ERR_ARG, "expected a number, not %s", kind_name(v));
    int64_t n = 1;
    for (int d = 0; d < v->e->ndim; d++) n *= v->e->shape[d];
    if (n != 1) return fe_err(p, v->off, KILN_ERR_ARG, "only arrays of one element can be converted to Python scalars");
    kscalar s;
    kiln_dtype sdt;
    if (!eval_one(p, v, &s, &sdt)) return false;
    if (sdt == KILN_F32 || sdt == KILN_F64) {
        double f = ref_cast(s, sdt, KILN_F64).f64;
        if (dt == KILN_I64 && !isfinite(f))
            return fe_err(p, off, KILN_ERR_ARG, "cannot convert float %s to integer", isnan(f) ? "NaN" : "infinity");
        if (dt == KILN_I64 && !fe_float_fits(f, KILN_I64)) /* (Python's int is unbounded) */
            return fe_err(p, off, KILN_ERR_ARG, "int(): %g is too large for kiln's 64-bit integers", f);
    }
    kscalar r = ref_cast(s, sdt, dt);
    kiln_expr *e = dt == KILN_F64 ? kiln_scalar(p->ctx, r.f64) : dt == KILN_BOOL ? kiln_bool(p->ctx, r.b) : kiln_int(p->ctx, ref_cast(r, dt, KILN_I64).i64);
    kval_free(p->ctx, v);
    return fe_set_expr(p, v, e, off);
}

void fe_make_strong(parser *p, kval *v) {
    if (!fe_is_py(v)) return;
    kiln_expr *e = v->e, *s = ir_const(&p->ctx->graph, (kiln_dtype)e->dtype, e->val, false);
    if (!s) return;
    kiln_expr_free(e);
    v->e = s;
}

/* ------------------------------------------------------------------ values as text */

/* Whether Python's repr writes code point cp as an escape: controls, and the separators,
 * format characters, surrogates and private-use ranges its table of printables leaves out (the
 * common ones: unassigned code points are not known here). */
static bool unprintable(uint32_t cp) {
    static const uint32_t ranges[][2] = {{0, 0x1F}, {0x7F, 0xA0}, {0xAD, 0xAD}, {0x2000, 0x200F}, {0x2028, 0x202F},
                                         {0x205F, 0x206F}, {0x3000, 0x3000}, {0xD800, 0xF8FF}, {0xFEFF, 0xFEFF},
                                         {0xFFF9, 0xFFFB}, {0xE0000, 0xE0FFF}, {0xF0000, 0x10FFFF}};
    for (size_t i = 0; i < sizeof ranges / sizeof *ranges; i++)
        if (cp >= ranges[i][0] && cp <= ranges[i][1]) return true;
    return false;
}

/* Python's repr of string x: quoted, with backslash escapes where Python writes them. */
static void text_string(const char *x, kstr *b) {
    char q = strchr(x, '\'') && !strchr(x, '"') ? '"' : '\'';
    kstr_printf(b, "%c", q);
    for (const unsigned char *c = (const unsigned char *)x; *c;) {
        uint32_t cp = *c;
        int len = 1;
        if (cp >= 0xC0) { /* a UTF-8 sequence (lex_escape wrote it, or the text had it) */
            len = cp >= 0xF0 ? 4 : cp >= 0xE0 ? 3 : 2;
            cp &= 0x3F >> (len - 1);
            for (int k = 1; k < len; k++) {
                if ((c[k] & 0xC0) != 0x80) { /* (not UTF-8: the byte as it is) */
                    len = 1, cp = *c;
                    break;
                }
                cp = cp << 6 | (c[k] & 0x3F);
            }
        }
        if (cp == '\\' || cp == (uint32_t)q) kstr_printf(b, "\\%c", (char)cp);
        else if (cp == '\n' || cp == '\t' || cp == '\r') kstr_printf(b, "\\%c", cp == '\n' ? 'n' : cp == '\t' ? 't' : 'r');
        else if (len == 1 && cp >= 0x80) kstr_printf(b, "%c", (char)cp);
        else if (!unprintable(cp)) kstr_printf(b, "%.*s", len, (const char *)c);
        else kstr_printf(b, cp < 0x100 ? "\\x%02x" : cp < 0x10000 ? "\\u%04x" : "\\U%08x", cp);
        c += len;
    }
    kstr_printf(b, "%c", q);
}

bool fe_text(kiln_ctx *ctx, const fe_printopts *po, const kval *v, bool str, kstr *b) {
    switch (v->kind) {
    case KV_NONE: kstr_printf(b, "None"); return true;
    case KV_STR:
        if (str) kstr_puts(b, v->s);
        else text_string(v->s, b);
        return true;
    case KV_DTYPE:
        if (str) kstr_puts(b, kiln_dtype_name(v->dt));
        else fe_format_dtype(v->dt, b);
        return true;
    case KV_TUPLE:
    case KV_LIST:
        kstr_printf(b, "%s%c", v->kind == KV_TUPLE && v->named ? v->named->name : "", v->kind == KV_TUPLE ? '(' : '[');
        for (int i = 0; i < v->n; i++) {
            if (i) kstr_printf(b, ", ");
            if (v->kind == KV_TUPLE && v->named && v->named->fields[i]) kstr_printf(b, "%s=", v->named->fields[i]); /* (NumPy's named tuple) */
            if (!fe_text(ctx, po, &v->items[i], false, b)) return false;
        }
        kstr_puts(b, v->kind == KV_TUPLE ? (v->n == 1 ? ",)" : ")") : "]");
        return true;
    case KV_ELLIPSIS: kstr_printf(b, "Ellipsis"); return true;
    case KV_GEN: kstr_printf(b, "Generator(PCG64)"); return true;
    case KV_INFO: fe_format_info(v->dt, str, b); return true;
    case KV_SLICE: /* (Python's words: slice(1, None, None)) */
        kstr_puts(b, "slice(");
        for (int k = 0; k < 3; k++) {
            if (v->sl_flags & (1 << k)) fe_format_pyint(v->sl[k], b);
            else kstr_puts(b, "None");
            kstr_puts(b, k < 2 ? ", " : ")");
        }
        return true;
    case KV_ABSENT: kstr_printf(b, "slice(...)"); return true;
    case KV_ARRAY: break;
    }
    if (fe_is_py(v)) {
        kiln_expr *e = v->e;
        if (e->dtype == KILN_BOOL) kstr_puts(b, e->val.b ? "True" : "False");
        else if (e->dtype == KILN_I64) fe_format_pyint(e->val.i64, b);
        else fe_format_pyfloat(e->val.f64, b);
        return true;
    }
    kiln_array *a = v->e->op == KILN_OP_VAR ? kiln_array_retain(kiln_expr_array(v->e))
                    : v->e->op == KILN_OP_PARAM && v->e->leaf ? kiln_array_retain(v->e->leaf)
                                                               : kiln_eval(ctx, v->e);
    if (!a) return false;
    if (str) fe_format_str(a, po, b);
    else fe_format_array(a, po, b);
    kiln_array_free(a);
    return true;
}

/* ------------------------------------------------------------------ the grammar */

static bool p_test(parser *p, kval *out);
static bool p_factor(parser *p, kval *out);

/* A value of the given kind with nothing in it. */
static void simple(kval *v, kv_kind k, size_t off) {
    memset(v, 0, sizeof *v);
    v->kind = k;
    v->off = off;
}

/* A string result (text taken from b) at off. */
static bool str_result(parser *p, kstr *b, size_t off, kval *out) {
    simple(out, KV_STR, off);
    out->s = kiln_strdup(p->ctx, b->s ? b->s : "");
    kstr_free(b);
    return fe_got(p, out->s, off);
}

/* Appends item (taken over) to the tuple or list v. */
static bool push_item(parser *p, kval *v, kval *item) {
    kval *ni = kiln_realloc(p->ctx, v->items, (size_t)(v->n + 1) * sizeof *ni);
    if (!ni) {
        kval_free(p->ctx, item);
        return fe_got(p, NULL, item->off);
    }
    v->items = ni;
    v->items[v->n++] = *item;
    memset(item, 0, sizeof *item);
    return true;
}

static int64_t str_len(const char *s);

/* tuple = test ("," test)* [","]   — a tuple when there is a comma, else the one value
 * (the items end at one of the tokens in `end`) */
/* One item of a tuple or list display into seq: an expression, or *xs, whose items (a list's,
 * a tuple's, a string's characters) go in one by one, as Python's (*a.shape, 1); false with
 * seq freed. */
static bool p_display_item(parser *p, kval *seq) {
    bool star = is_op(p, "*");
    size_t at = p->tok.off;
    if (star) advance(p);
    kval item = {0};
    if (!p_test(p, &item)) {
        kval_free(p->ctx, seq);
        return false;
    }
    if (!star) return push_item(p, seq, &item) || (kval_free(p->ctx, seq), false);
    kval items = {0};
    bool ok = true;
    int64_t count = item.kind == KV_STR ? str_len(item.s) : item.kind == KV_LIST || item.kind == KV_TUPLE ? item.n : 0;
    if (count + seq->n > FE_MAX_ITEMS) /* (before a character's item is made: "ab" * 10**6 unpacked) */
        ok = fe_err(p, at, KILN_ERR_ARG, "*: more than %d items in a tuple or list", FE_MAX_ITEMS);
    else if (item.kind == KV_STR) ok = fe_str_chars(p->ctx, item.s, &items) || fe_got(p, NULL, at);
    else if (item.kind == KV_LIST || item.kind == KV_TUPLE) items = item, memset(&item, 0, sizeof item);
    else ok = fe_err(p, at, KILN_ERR_ARG, "*: a list, a tuple or a string unpacks here, not %s", kind_name(&item));
    kval *grown = ok && items.n ? kiln_realloc(p->ctx, seq->items, (size_t)(seq->n + items.n) * sizeof *grown) : NULL; /* (once, not an item at a time) */
    if (ok && items.n && !(ok = grown != NULL)) fe_got(p, NULL, at);
    if (grown) seq->items = grown;
    for (int i = 0; ok && i < items.n; i++) {
        seq->items[seq->n++] = items.items[i];
        memset(&items.items[i], 0, sizeof items.items[i]);
    }
    kval_free(p->ctx, &item);
    kval_free(p->ctx, &items);
    if (!ok) kval_free(p->ctx, seq);
    return ok;
}

static bool p_tuple_or_test(parser *p, const char *end, kval *out) {
    size_t off = p->tok.off;
    kval first = {0};
    if (is_op(p, "*")) { /* (*xs, 1): a tuple (*xs alone is Python's syntax error) */
        simple(out, KV_TUPLE, off);
        if (!p_display_item(p, out)) return false;
        if (!is_op(p, ",")) {
            kval_free(p->ctx, out);
            return fe_err(p, off, KILN_ERR_SYNTAX, "can't use starred expression here");
        }
    } else {
        if (!p_test(p, &first)) return false;
        if (!is_op(p, ",")) {
            *out = first;
            return true;
        }
        simple(out, KV_TUPLE, off);
        if (!push_item(p, out, &first)) return false;
    }
    while (is_op(p, ",")) {
        advance(p);
        if (p->tok.kind == TK_END || (end && p->tok.kind == TK_OP && strstr(end, p->tok.text))) break;
        if (!p_display_item(p, out)) return false;
    }
    return true;
}

/* The subscript items of x[...]: slices, indices, None, "..." */
static bool p_subscript_item(parser *p, kval *out) {
    size_t off = p->tok.off;
    if (is_op(p, "...")) {
        advance(p);
        simple(out, KV_ELLIPSIS, off);
        return true;
    }
    kval part[3];
    int np = 0;
    bool slice = false;
    memset(part, 0, sizeof part);
    for (;;) {
        if (np == 3) {
            for (int k = 0; k < 3; k++) kval_free(p->ctx, &part[k]);
            return fe_err(p, p->tok.off, KILN_ERR_SYNTAX, "a slice has at most two ':'");
        }
        if (!is_op(p, ":") && !is_op(p, ",") && !is_op(p, "]")) {
            if (!p_test(p, &part[np])) {
                for (int k = 0; k < np; k++) kval_free(p->ctx, &part[k]);
                return false;
            }
        } else {
            simple(&part[np], KV_ABSENT, p->tok.off);
        }
        np++;
        if (!is_op(p, ":")) break;
        slice = true;
        advance(p);
    }
    if (!slice) {
        *out = part[0];
        return true;
    }
    return fe_slice_of(p, part, np, off, out);
}

bool fe_slice_of(parser *p, kval *part, int np, size_t off, kval *out) {
    simple(out, KV_SLICE, off);
    bool ok = true;
    for (int k = 0; k < np && ok; k++) {
        if (part[k].kind == KV_ABSENT || part[k].kind == KV_NONE) continue;
        const char *which = k == 0 ? "start" : k == 1 ? "stop" : "step";
        if (part[k].kind == KV_ARRAY && part[k].e->dtype == KILN_BOOL && part[k].e->ndim == 0) { /* (a bool is an int here, as NumPy's __index__: x[True:3]) */
            double f = 0;
            ok = fe_arg_number(p, &part[k], "slice", which, &f, &out->sl[k], NULL);
            out->sl[k] = f != 0;
        } else {
            ok = fe_arg_int(p, &part[k], "slice", which, &out->sl[k]);
        }
        out->sl_flags |= 1 << k;
    }
    for (int k = 0; k < np; k++) kval_free(p->ctx, &part[k]);
    if (ok && (out->sl_flags & KILN_IX_HAS_STEP) && out->sl[2] == 0)
        return fe_err(p, off, KILN_ERR_ARG, "slice step cannot be zero");
    return ok;
}

/* The arrays in v, a name's tuple or list (its items, nested), are the ones the name holds: what
 * takes one (a = xs[0], a, b = xs, for w in xs, [w for w in xs]) shares it, as Python's objects
 * are shared, and an in-place update through either reaches the other. */
static void held(kval *v) {
    if (v->kind == KV_ARRAY && !fe_is_py(v)) v->alias = true; /* (a Python number is a value) */
    for (int i = 0; (v->kind == KV_LIST || v->kind == KV_TUPLE) && i < v->n; i++) held(&v->items[i]);
}

/* x[items] of a tuple or a list: an index or a slice of it, as Python's.  The items are moved
 * out of x, or copied when x is borrowed (a name's value, read in place). */
static bool index_tuple_of(parser *p, kval *x, bool borrowed, kval *items, int n, kval *out) {
    const char *kind = x->kind == KV_LIST ? "list" : "tuple";
    if (n != 1 || (items[0].kind != KV_ARRAY && items[0].kind != KV_SLICE))
        return fe_err(p, items[0].off, KILN_ERR_ARG, "%s indices must be integers or slices", kind);
    int64_t len = x->n;
    if (items[0].kind == KV_ARRAY) {
        int64_t i;
        kiln_dtype dt = (kiln_dtype)items[0].e->dtype;
        if (items[0].e->ndim || (!dtype_is_int(dt) && dt != KILN_BOOL))
            return fe_err(p, items[0].off, KILN_ERR_ARG, "%s indices must be integers or slices, not %s", kind,
                          items[0].e->ndim ? "an array" : "a float");
        if (dt == KILN_BOOL && fe_is_py(&items[0])) i = items[0].e->val.b; /* (True is 1, as in Python) */
        else if (!fe_arg_int(p, &items[0], x->kind == KV_LIST ? "list index" : "tuple index", "index", &i)) return false;
        if (i < -len || i >= len) return fe_err(p, items[0].off, KILN_ERR_INDEX, "%s index out of range", kind);
        if (borrowed) return fe_kval_copy(p->ctx, out, &x->items[i < 0 ? i + len : i]) || fe_got(p, NULL, items[0].off);
        *out = x->items[i < 0 ? i + len : i];
        memset(&x->items[i < 0 ? i + len : i], 0, sizeof(kval));
        return true;
    }
    /* Python's slice.indices */
    const kval *s = &items[0];
    int64_t step = s->sl_flags & KILN_IX_HAS_STEP ? s->sl[2] : 1, lo = step < 0 ? -1 : 0, hi = step < 0 ? len - 1 : len;
    int64_t start = s->sl_flags & KILN_IX_HAS_START ? s->sl[0] : (step < 0 ? hi : lo);
    int64_t stop = s->sl_flags & KILN_IX_HAS_STOP ? s->sl[1] : (step < 0 ? lo : hi);
    if (s->sl_flags & KILN_IX_HAS_START) start = start < 0 ? (start + len < lo ? lo : start + len) : (start > hi ? hi : start);
    if (s->sl_flags & KILN_IX_HAS_STOP) stop = stop < 0 ? (stop + len < lo ? lo : stop + len) : (stop > hi ? hi : stop);
    simple(out, x->kind, x->off);
    for (int64_t i = start; step > 0 ? i < stop : i > stop; i += step) {
        kval item = x->items[i];
        if (borrowed && !fe_kval_copy(p->ctx, &item, &x->items[i])) return fe_got(p, NULL, s->off);
        if (!borrowed) memset(&x->items[i], 0, sizeof item);
        if (!push_item(p, out, &item)) return false;
    }
    return true;
}
static bool index_tuple(parser *p, kval *x, kval *items, int n, kval *out) { return index_tuple_of(p, x, false, items, n, out); }

/* The true elements of bool array (base, nd, shape, strides) in C order: how many, or (at not
 * NULL, with room for count) their flat positions. */
static int64_t true_positions(const uint8_t *base, int nd, const int64_t *shape, const int64_t *strides, int64_t *at,
                              int64_t count) {
    int64_t n = nd ? shape[nd - 1] : 1, s = nd ? strides[nd - 1] : 0, rows = 1, idx[KILN_MAX_DIMS] = {0}, c = 0;
    for (int d = 0; d + 1 < nd; d++) rows *= shape[d];
    for (int64_t r = 0; r < rows && n > 0; r++) {
        const uint8_t *q = base;
        for (int d = 0; d + 1 < nd; d++) q += idx[d] * strides[d];
        if (!at) {
            int64_t k = 0;
            if (s == 1)
                for (int64_t j = 0; j < n; j++) k += q[j] != 0;
            else
                for (int64_t j = 0; j < n; j++) k += q[j * s] != 0;
            c += k;
        } else { /* branch-free: the next slot takes every position, true ones advance it */
            for (int64_t j = 0, f = r * n; j < n && c < count; j++, f++) {
                at[c] = f;
                c += q[j * s] != 0;
            }
        }
        for (int d = nd - 2; d >= 0; d--) {
            if (++idx[d] < shape[d]) break;
            idx[d] = 0;
        }
    }
    return c;
}

kiln_array *fe_nonzero_now(parser *p, kiln_expr *e, size_t off) {
    kiln_ctx *ctx = p->ctx;
    p->env->volatile_ = true;
    kiln_expr *b = e->dtype == KILN_BOOL ? e : kiln_cast(ctx, e, KILN_BOOL); /* (nonzero: NaN is true) */
    kiln_array *M = b ? kiln_eval(ctx, b) : NULL;
    if (b && b != e) kiln_expr_free(b);
    if (!M) {
        fe_got(p, NULL, off);
        return NULL;
    }
    const uint8_t *base = kiln_array_data(M);
    int nd = kiln_array_ndim(M);
    const int64_t *shape = kiln_array_shape(M), *strides = kiln_array_strides(M);
    int64_t count = true_positions(base, nd, shape, strides, NULL, 0);
    kiln_array *idx = kiln_array_new(ctx, KILN_I64, 1, &count);
    if (idx) true_positions(base, nd, shape, strides, kiln_array_data(idx), count);
    kiln_array_free(M);
    if (!idx) fe_got(p, NULL, off);
    return idx;
}

bool fe_coordinates(parser *p, const kiln_array *flat, int nd, const int64_t *shape, size_t off, kval *coord) {
    int64_t cnt = kiln_array_size(flat), *out[KILN_MAX_DIMS];
    const int64_t *pos = kiln_array_data((kiln_array *)flat);
    kiln_array *a[KILN_MAX_DIMS] = {NULL};
    bool ok = true;
    for (int d = 0; d < nd && ok; d++) /* (of one dim: the positions themselves) */
        ok = (a[d] = nd == 1 ? kiln_array_retain((kiln_array *)flat) : kiln_array_new(p->ctx, KILN_I64, 1, &cnt)) != NULL;
    if (ok && nd > 1) {
        for (int d = 0; d < nd; d++) out[d] = kiln_array_data(a[d]);
        /* the positions ascend: a coordinate is the last one moved along its row, divided out
         * again only where the row changes */
        int64_t idx[KILN_MAX_DIMS] = {0}, at = 0, last = shape[nd - 1];
        for (int64_t i = 0; i < cnt; i++) {
            int64_t f = pos[i];
            if (f - at < last - idx[nd - 1]) idx[nd - 1] += f - at;
            else
                for (int64_t d = nd - 1, r = f; d >= 0; d--) {
                    idx[d] = r % shape[d];
                    r /= shape[d];
                }
            at = f;
            for (int d = 0; d < nd; d++) out[d][i] = idx[d];
        }
    }
    if (!ok) fe_got(p, NULL, off); /* (an array not made: its error) */
    for (int d = 0; d < nd && ok; d++)
        if (!fe_set_expr(p, &coord[d], kiln_var(p->ctx, a[d]), off)) {
            for (int j = 0; j < d; j++) kval_free(p->ctx, &coord[j]);
            ok = false;
        }
    for (int d = 0; d < nd; d++) kiln_array_free(a[d]);
    return ok;
}

/* x[mask], a boolean mask over x's leading dims: the elements (or rows) where it is true, in C
 * order.  How many there are depends on the values, so the mask is computed now and the result
 * is a take of its true positions from x with those dims flattened into one: it fuses and has a
 * gradient like any gather.  NULL after an error. */
static kiln_expr *mask_take(parser *p, kiln_expr *x, const kval *m) {
    kiln_ctx *ctx = p->ctx;
    const kiln_expr *me = m->e;
    int k = me->ndim;
    bool fits = k <= x->ndim;
    for (int d = 0; fits && d < k; d++) fits = me->shape[d] == x->shape[d];
    if (!fits) {
        rt_shape_text ms = rt_shape_str(me->ndim, me->shape), xs = rt_shape_str(x->ndim, x->shape);
        fe_err(p, m->off, KILN_ERR_INDEX, "boolean index of shape %s does not match the indexed array's shape %s", ms.s, xs.s);
        return NULL;
    }
    kiln_array *idx = fe_nonzero_now(p, m->e, m->off);
    int64_t shape[KILN_MAX_DIMS];
    shape[0] = 1;
    for (int d = 0; d < k; d++) shape[0] *= x->shape[d];
    memcpy(shape + 1, x->shape + k, (size_t)(x->ndim - k) * sizeof *shape);
    kiln_expr *flat = idx ? kiln_reshape(ctx, x, 1 + x->ndim - k, shape) : NULL, *iv = flat ? kiln_var(ctx, idx) : NULL;
    kiln_expr *r = iv ? kiln_take(ctx, flat, iv, 0) : NULL;
    kiln_array_free(idx);
    kiln_expr_free(iv);
    kiln_expr_free(flat);
    if (!r) fe_got(p, NULL, m->off);
    return r;
}

/* How many of x's dims subscript item v stands for (a mask: its dims; None, "...": none). */
static int item_dims(const kval *v) {
    if (v->kind == KV_NONE || v->kind == KV_ELLIPSIS) return 0;
    if (v->kind == KV_ARRAY && v->e->dtype == KILN_BOOL && v->e->ndim > 0) return v->e->ndim;
    return 1;
}

/* Boolean masks among other indices (x[m, 1], x[:, m]): as NumPy, a mask of k dims stands for
 * k integer arrays, the coordinates of its true elements in C order (nonzero(m)).  Each mask
 * item of items[0..*n) becomes those arrays, in place (cap items at most); the masks are
 * computed now. */
static bool expand_masks(parser *p, const kiln_expr *x, kval *items, int *n, int cap) {
    int total = 0, ell = -1;
    for (int k = 0; k < *n; k++) {
        total += item_dims(&items[k]);
        if (items[k].kind == KV_ELLIPSIS && ell < 0) ell = k;
    }
    bool scalar_bool = false, mask = false;
    for (int k = 0; k < *n; k++) {
        bool b = items[k].kind == KV_ARRAY && items[k].e->dtype == KILN_BOOL;
        scalar_bool |= b && items[k].e->ndim == 0;
        mask |= b && items[k].e->ndim > 0;
    }
    if (scalar_bool && mask)
        return fe_err(p, items[0].off, KILN_ERR_INDEX, "x[True] or x[False] together with index arrays is not supported");
    for (int k = 0, before = 0; k < *n; k++) {
        kval *m = &items[k];
        int c = item_dims(m);
        if (!(m->kind == KV_ARRAY && m->e->dtype == KILN_BOOL && m->e->ndim > 0)) {
            before += c;
            continue;
        }
        /* the first of x's dims the mask covers: after a "...", counted from the end */
        int after = 0;
        for (int j = k; j < *n; j++) after += item_dims(&items[j]);
        int d0 = ell >= 0 && ell < k ? x->ndim - after : before;
        if (d0 < 0 || d0 + c > x->ndim || total > x->ndim)
            return fe_err(p, m->off, KILN_ERR_INDEX, "too many indices for array: array is %d-dimensional, but %d were indexed",
                          x->ndim, total);
        for (int d = 0; d < c; d++)
            if (m->e->shape[d] != x->shape[d0 + d])
                return fe_err(p, m->off, KILN_ERR_INDEX,
                              "boolean index did not match indexed array along axis %d; size of axis is %lld but size of "
                              "corresponding boolean axis is %lld",
                              d0 + d, (long long)x->shape[d0 + d], (long long)m->e->shape[d]);
        if (*n - 1 + c > cap) return fe_err(p, m->off, KILN_ERR_INDEX, "too many indices");
        kiln_array *flat = fe_nonzero_now(p, m->e, m->off);
        if (!flat) return false;
        kval coord[KILN_MAX_DIMS];
        bool ok = fe_coordinates(p, flat, c, m->e->shape, m->off, coord);
        kiln_array_free(flat);
        if (!ok) return false;
        size_t off = m->off;
        kval_free(p->ctx, m);
        memmove(&items[k + c], &items[k + 1], (size_t)(*n - k - 1) * sizeof *items);
        for (int d = 0; d < c; d++) items[k + d] = coord[d], items[k + d].off = off;
        *n += c - 1;
        k += c - 1;
        before += c;
    }
    return true;
}

/* The dims a "..." of the basic index ix[0..n) stands for in an nd-dim array: those no other
 * item names (None names none).  Item k stands for that many dims of the index's result if it
 * is the "...", none if it is an integer, else one. */
static int ellipsis_dims(const kiln_ix *ix, int n, int nd) {
    int named = 0;
    for (int k = 0; k < n; k++) named += ix[k].kind != KILN_IX_NEWAXIS && ix[k].kind != KILN_IX_ELLIPSIS;
    return nd - named;
}
static int result_dims(const kiln_ix *it, int ell) { return it->kind == KILN_IX_ELLIPSIS ? ell : it->kind != KILN_IX_INDEX; }

/* The dim of the indexed array that item k of ix stands for (what an out-of-bounds index's
 * message names: NumPy counts the array's dims, not the result's). */
static int source_dim(const kiln_ix *ix, int k, int ell) {
    int d = 0;
    for (int j = 0; j < k; j++) d += ix[j].kind == KILN_IX_ELLIPSIS ? ell : ix[j].kind != KILN_IX_NEWAXIS;
    return d;
}

/* Whether the index arrays (items advs[0..q), ascending) and the integers of ix[0..n) are apart:
 * a slice, None or "..." between two of them (NumPy then puts the arrays' dims first). */
static bool arrays_apart(const kiln_ix *ix, int n, const int *advs, int q) {
    int lo = advs[0], hi = advs[q - 1];
    for (int k = 0; k < n; k++)
        if (ix[k].kind == KILN_IX_INDEX) lo = k < lo ? k : lo, hi = k > hi ? k : hi;
    for (int k = lo, m = 0; k <= hi; k++) {
        bool is_adv = m < q && advs[m] == k;
        m += is_adv;
        if (ix[k].kind != KILN_IX_INDEX && !is_adv) return true;
    }
    return false;
}

/* x[ix] with three or more integer arrays (items advs[0..q), placeholders in ix): the basic
 * index first, the arrays' dims moved together where the first one's is, the arrays broadcast
 * together to B, the first two picked with take_pair and each next one with take_along_axis.
 * B's dims stand where the first array's dim was, or first when the arrays (and integers) are
 * apart: NumPy's rule. */
static kiln_expr *take_many(parser *p, kiln_expr *x, const kiln_ix *ix, int n, kval *items, const int *advs, int q, size_t off) {
    kiln_ctx *c = p->ctx;
    kiln_expr *idx[2 * KILN_MAX_DIMS + 2] = {NULL}, *basic = NULL, *y = NULL, *t = NULL;
    int64_t B[KILN_MAX_DIMS];
    int bn = 0, dims[2 * KILN_MAX_DIMS + 2], ell = ellipsis_dims(ix, n, x->ndim);
    bool ok = true, apart = arrays_apart(ix, n, advs, q);
    for (int m = 0; m < q && ok; m++) { /* the arrays, and their broadcast shape (right-aligned) */
        ok = (idx[m] = fe_arg_expr(p, &items[advs[m]], "subscript", "index")) != NULL;
        if (ok && idx[m]->ndim > bn) bn = idx[m]->ndim;
    }
    for (int d = 0; d < bn; d++) B[d] = 1;
    for (int m = 0; m < q && ok; m++)
        for (int d = 0; ok && d < idx[m]->ndim; d++) {
            int at = bn - idx[m]->ndim + d;
            int64_t sz = idx[m]->shape[d];
            if (B[at] == 1) B[at] = sz;
            else if (sz != 1 && sz != B[at])
                ok = fe_err(p, items[advs[m]].off, KILN_ERR_INDEX, "shape mismatch: indexing arrays could not be broadcast together");
        }
    for (int m = 0, k = 0, at = 0; ok && m < q; m++) { /* each array's dim in the basic index's result */
        for (; k < advs[m]; k++) at += result_dims(&ix[k], ell);
        dims[m] = at;
    }
    if (ok && (basic = kiln_index(c, x, n, ix))) {
        int nd = basic->ndim, perm[KILN_MAX_DIMS], j = 0, pos = dims[0];
        if (nd - q + bn > KILN_MAX_DIMS) ok = fe_err(p, off, KILN_ERR_INDEX, "the result would have more than %d dimensions", KILN_MAX_DIMS);
        for (int d = 0; d < pos; d++) perm[j++] = d;
        for (int m = 0; m < q; m++) perm[j++] = dims[m];
        for (int d = pos, m = 0; d < nd; d++) {
            while (m < q && dims[m] < d) m++;
            if (m >= q || dims[m] != d) perm[j++] = d;
        }
        for (int m = 0; ok && m < q; m++) {
            kiln_expr *b = ir_broadcast_to(&c->graph, idx[m], bn, B);
            kiln_expr_free(idx[m]);
            ok = (idx[m] = b) != NULL;
        }
        kiln_expr *pm = ok ? kiln_permute(c, basic, perm) : NULL;
        y = pm ? ir_take_pair(&c->graph, pm, idx[0], idx[1], pos, IR_SAID(source_dim(ix, advs[0], ell), source_dim(ix, advs[1], ell)))
               : NULL;
        kiln_expr_free(pm);
        for (int m = 2; y && m < q; m++) { /* y's dims: before pos, B, the next array's, the rest */
            int64_t shape[KILN_MAX_DIMS];
            int yn = y->ndim, axis = pos + bn;
            for (int d = 0; d < yn; d++) shape[d] = d >= pos && d < pos + bn ? B[d - pos] : 1;
            kiln_expr *ir = kiln_reshape(c, idx[m], yn, shape);
            kiln_expr *z = ir ? ir_take(&c->graph, y, ir, axis, true, IR_SAID(source_dim(ix, advs[m], ell), -1)) : NULL;
            kiln_expr_free(ir);
            kiln_expr_free(y);
            y = z ? kiln_squeeze(c, z, axis) : NULL;
            kiln_expr_free(z);
        }
        if (y && apart && pos > 0) { /* B's dims first */
            int mv[KILN_MAX_DIMS], k = 0;
            for (int d = pos; d < pos + bn; d++) mv[k++] = d;
            for (int d = 0; d < y->ndim; d++)
                if (d < pos || d >= pos + bn) mv[k++] = d;
            t = kiln_permute(c, y, mv);
            kiln_expr_free(y);
            y = t;
        }
    }
    kiln_expr_free(basic);
    for (int m = 0; m < q; m++) kiln_expr_free(idx[m]);
    if (ok && !y && !p->failed) fe_got(p, NULL, off);
    return ok ? y : NULL;
}

/* x[items] of an array: basic indexing as views, one integer array as a take. */
static bool index_array(parser *p, kval *xv, kval *items, int n, size_t off, kval *out) {
    bool alias = xv->alias, readonly = xv->readonly;
    if (n == 1 && items[0].kind == KV_TUPLE && items[0].n == 0) n = 0; /* x[()]: x itself, as a view */
    kiln_expr *x = fe_arg_expr(p, xv, "subscript", "array");
    if (!x) return false;
    kiln_ix ix[2 * KILN_MAX_DIMS + 2];
    if (n > (int)(sizeof ix / sizeof *ix)) {
        kiln_expr_free(x);
        return fe_err(p, off, KILN_ERR_INDEX, "too many indices for array: array is %d-dimensional, but %d were indexed", x->ndim, n);
    }
    int adv = -1, adv2 = -1, nbool = 0, advs[2 * KILN_MAX_DIMS + 2], nadv = 0, bool_at = -1; /* (True or False: its new axis) */
    bool is_false = false;
    for (int k = 0; k < n; k++) {
        kval *it = &items[k];
        memset(&ix[k], 0, sizeof ix[k]);
        double f;
        int64_t i;
        switch (it->kind) {
        case KV_SLICE:
            ix[k].kind = KILN_IX_SLICE;
            ix[k].start = it->sl[0];
            ix[k].stop = it->sl[1];
            ix[k].step = it->sl[2];
            ix[k].flags = it->sl_flags;
            break;
        case KV_ELLIPSIS: ix[k].kind = KILN_IX_ELLIPSIS; break;
        case KV_NONE:
            ix[k].kind = KILN_IX_NEWAXIS;
            break;
        case KV_ARRAY:
            if (it->e->ndim == 0 && kiln_expr_scalar(it->e, &f, &i) && dtype_is_int((kiln_dtype)it->e->dtype)) {
                ix[k].kind = KILN_IX_INDEX;
                ix[k].index = i;
                break;
            }
            if (it->e->ndim == 0 && alias && !p->env->values_only && it->e->dtype != KILN_BOOL && dtype_is_int((kiln_dtype)it->e->dtype)) {
                /* a computed integer (argmax(v)) of a name's array: its value now, a view as NumPy's x[i] is (the
                 * statement is rebuilt at each run); of a computed array a gather, which no name sees into, as
                 * in a parse over placeholders (kiln_parse_params: its values are new arrays, and it is kept) */
                if (!fe_arg_int(p, it, "subscript", "index", &i)) return kiln_expr_free(x), false;
                ix[k].kind = KILN_IX_INDEX;
                ix[k].index = i;
                break;
            }
            if (it->e->dtype == KILN_BOOL && it->e->ndim == 0) { /* x[True]: a new axis; x[False]: one of length 0 */
                bool t;
                if (!kiln_expr_scalar(it->e, &f, &i)) { /* a computed one: its value now (it decides the shape; the statement is rebuilt at each run) */
                    if (!fe_truth(p, it, &t)) return kiln_expr_free(x), false;
                    i = t;
                }
                if (nbool++) {
                    kiln_expr_free(x);
                    return fe_err(p, it->off, KILN_ERR_INDEX, "more than one boolean scalar (True, False) in one subscript is not supported");
                }
                ix[k].kind = KILN_IX_NEWAXIS;
                bool_at = k, is_false = !i;
                break;
            }
            if (it->e->dtype == KILN_BOOL) { /* (a mask among other indices was made integer arrays before) */
                kiln_expr *r = n == 1 && it->e->ndim >= 1 ? mask_take(p, x, it) : NULL;
                kiln_expr_free(x);
                if (n != 1 || it->e->ndim == 0)
                    return fe_err(p, it->off, KILN_ERR_INDEX, "a boolean index must have at least one dimension; where(mask, x, 0) picks");
                return r && fe_set_expr(p, out, r, off);
            }
            if (dtype_is_int((kiln_dtype)it->e->dtype) && it->e->dtype != KILN_I32 && it->e->dtype != KILN_I64) { /* (gathers take int32 and int64 indices) */
                kiln_expr *w = kiln_cast(p->ctx, it->e, KILN_I64);
                if (!w) return kiln_expr_free(x), fe_got(p, NULL, it->off);
                kiln_expr_free(it->e);
                it->e = w;
            }
            if (it->e->dtype != KILN_I64 && it->e->dtype != KILN_I32) {
                kiln_expr_free(x);
                return fe_err(p, it->off, KILN_ERR_INDEX,
                              "only integers, slices (':'), ellipsis ('...'), None and integer arrays are valid indices");
            }
            __attribute__((fallthrough)); /* an integer array */
        case KV_TUPLE: /* x[((0, 1),)]: a tuple inside the subscript is an index array, as a list */
        case KV_LIST:
            advs[nadv++] = k;
            if (adv >= 0 && adv2 < 0) adv2 = k;
            else if (adv < 0) adv = k;
            ix[k].kind = KILN_IX_SLICE; /* a placeholder: the take below */
            break;
        default:
            kiln_expr_free(x);
            return fe_err(p, it->off, KILN_ERR_INDEX, "%s is not a valid index", kind_name(it));
        }
    }
    kiln_expr *r = NULL;
    if (nbool && adv >= 0) { /* (NumPy then takes True as an index array [0], and False as []) */
        kiln_expr_free(x);
        return fe_err(p, off, KILN_ERR_INDEX, "x[True] or x[False] together with index arrays is not supported");
    }
    if (adv < 0) {
        r = kiln_index(p->ctx, x, n, ix);
        if (r && bool_at >= 0) { /* True's or False's new axis: of length 0 for False; first where it and an
                                    integer are apart, as NumPy puts an index array's dims */
            int at = 0, ell = ellipsis_dims(ix, n, x->ndim), perm[KILN_MAX_DIMS];
            for (int k = 0; k < bool_at; k++) at += result_dims(&ix[k], ell);
            if (is_false) {
                kiln_ix cut[KILN_MAX_DIMS];
                for (int d = 0; d <= at; d++) cut[d] = (kiln_ix){.kind = KILN_IX_SLICE};
                cut[at] = (kiln_ix){.kind = KILN_IX_SLICE, .stop = 0, .flags = KILN_IX_HAS_STOP};
                kiln_expr *e = kiln_index(p->ctx, r, at + 1, cut);
                kiln_expr_free(r);
                r = e;
            }
            if (r && at > 0 && arrays_apart(ix, n, &bool_at, 1)) {
                perm[0] = at;
                for (int d = 0, j = 1; d < r->ndim; d++)
                    if (d != at) perm[j++] = d;
                kiln_expr *e = kiln_permute(p->ctx, r, perm);
                kiln_expr_free(r);
                r = e;
            }
        }
    } else if (nadv > 2) {
        r = take_many(p, x, ix, n, items, advs, nadv, off);
    } else {
        /* The integers are applied with the basic index (x[:, i, 1] is x[:, :, 1] taken at i);
         * the index arrays' dims stand where the first of them was, as NumPy's, unless an
         * integer and an index array are apart (a slice, None or "..." between them): then
         * NumPy puts them first. */
        int axis = 0, axis2 = 0, ell = ellipsis_dims(ix, n, x->ndim);
        for (int k = 0; k < (adv2 >= 0 ? adv2 : adv); k++) { /* the dims of the basic index's result before each array */
            int dims = result_dims(&ix[k], ell);
            if (k < adv) axis += dims;
            axis2 += dims;
        }
        bool apart = arrays_apart(ix, n, advs, nadv);
        kiln_expr *basic = kiln_index(p->ctx, x, n, ix), *idx = basic ? fe_arg_expr(p, &items[adv], "subscript", "index") : NULL;
        if (basic && adv2 >= 0 && axis2 != axis + 1 && axis2 < basic->ndim) { /* x[i, :, j]: j's dim moved next to i's */
            int perm[KILN_MAX_DIMS], j = 0;
            for (int d = 0; d < basic->ndim; d++) {
                if (d == axis2) continue;
                perm[j++] = d;
                if (d == axis) perm[j++] = axis2;
            }
            kiln_expr *moved = kiln_permute(p->ctx, basic, perm);
            kiln_expr_free(basic);
            basic = moved;
        }
        kiln_expr *idx2 = idx && adv2 >= 0 ? fe_arg_expr(p, &items[adv2], "subscript", "index") : NULL;
        if (idx && axis + (adv2 >= 0) >= basic->ndim) {
            fe_err(p, items[adv].off, KILN_ERR_INDEX, "too many indices for array: array is %d-dimensional", x->ndim);
        } else if (idx && adv2 >= 0) {
            if (idx2)
                r = ir_take_pair(&p->ctx->graph, basic, idx, idx2, axis, IR_SAID(source_dim(ix, adv, ell), source_dim(ix, adv2, ell)));
        } else if (idx) {
            r = ir_take(&p->ctx->graph, basic, idx, axis, false, IR_SAID(source_dim(ix, adv, ell), -1));
        }
        int q = r ? r->ndim - (basic->ndim - 1 - (adv2 >= 0)) : 0; /* the index arrays' dims */
        if (r && apart && axis > 0) {
            int perm[KILN_MAX_DIMS], j = 0;
            for (int d = axis; d < axis + q; d++) perm[j++] = d;
            for (int d = 0; d < r->ndim; d++)
                if (d < axis || d >= axis + q) perm[j++] = d;
            kiln_expr *moved = kiln_permute(p->ctx, r, perm);
            kiln_expr_free(r);
            r = moved;
        }
        kiln_expr_free(basic);
        kiln_expr_free(idx);
        kiln_expr_free(idx2);
    }
    kiln_expr_free(x);
    /* a basic index is a view, but integers for every dim pick NumPy's scalar, a copy (x[0, ...]
     * is a 0-d view) */
    bool ellipsis = false;
    for (int k = 0; k < n; k++) ellipsis |= ix[k].kind == KILN_IX_ELLIPSIS;
    bool ro = readonly && adv < 0 && (r->ndim > 0 || ellipsis); /* (an element is NumPy's scalar, a value of its own) */
    return fe_set_expr(p, out, r, off) && ((out->alias = alias && adv < 0 && (r->ndim > 0 || ellipsis)) || true) && ((out->readonly = ro && (out->alias || !alias)) || true);
}

/* The character at index i of the UTF-8 text s (Python's s[i]) into out; false (reported at at)
 * out of range. */
static bool str_char_at(parser *p, const char *s, int64_t i, size_t at, kval *out) {
    int64_t want = i < 0 ? i + fe_text_chars(s) : i, k = -1;
    const char *c = s, *start = NULL;
    for (; *c && want >= 0; c++) {
        if (((unsigned char)*c & 0xC0) == 0x80) continue;
        if (++k == want) start = c;
        else if (k == want + 1) break;
    }
    if (!start) return fe_err(p, at, KILN_ERR_INDEX, "string index out of range");
    kstr b = {0};
    kstr_printf(&b, "%.*s", (int)(c - start), start);
    return str_result(p, &b, at, out);
}

/* subscript = "[" item ("," item)* [","] "]"   (the "[" is current); x borrowed: read, not
 * taken apart (a name's list or string, where a copy of the whole would cost its length) */
static bool p_subscript_of(parser *p, kval *x, bool borrowed, kval *out) {
    size_t off = p->tok.off;
    advance(p);
    kval items[2 * KILN_MAX_DIMS + 2];
    int n = 0;
    bool ok = true, comma = false;
    while (ok && !is_op(p, "]")) {
        if (n == (int)(sizeof items / sizeof *items)) {
            ok = fe_err(p, p->tok.off, KILN_ERR_INDEX, "too many indices");
            break;
        }
        ok = p_subscript_item(p, &items[n]);
        if (!ok) break;
        n++;
        if (!is_op(p, ",")) break;
        comma = true;
        advance(p);
    }
    if (ok && n == 0) ok = fe_err(p, p->tok.off, KILN_ERR_SYNTAX, "expected an index inside '[]'");
    if (ok) ok = expect(p, "]", "to close the subscript");
    if (ok) {
        int64_t at;
        if (x->kind == KV_TUPLE || x->kind == KV_LIST) ok = index_tuple_of(p, x, borrowed, items, n, out);
        else if (x->kind == KV_STR && n == 1 && items[0].kind == KV_ARRAY && items[0].e->ndim == 0 && dtype_is_int((kiln_dtype)items[0].e->dtype))
            ok = fe_arg_int(p, &items[0], "string index", "index", &at) && str_char_at(p, x->s, at, items[0].off, out); /* s[i]: one character */
        else if (x->kind == KV_STR) { /* s[a:b:c]: as the list of its characters, joined again */
            kval chars = {0}, r = {0};
            ok = fe_str_chars(p->ctx, x->s, &chars) || fe_got(p, NULL, off);
            chars.off = x->off;
            ok = ok && index_tuple(p, &chars, items, n, &r);
            kval_free(p->ctx, &chars);
            if (ok && r.kind == KV_LIST) {
                kstr b = {0};
                for (int i = 0; i < r.n; i++) kstr_puts(&b, r.items[i].s);
                kval_free(p->ctx, &r);
                ok = str_result(p, &b, off, out);
            } else if (ok) {
                *out = r;
            }
        } else if (x->kind == KV_ARRAY) {
            if (n == 1 && !comma && items[0].kind == KV_TUPLE && items[0].n > 0 && items[0].n <= (int)(sizeof items / sizeof *items)) {
                kval t = items[0]; /* x[(1, 2)] is x[1, 2], as NumPy's (but x[(1, 2),] is x[[1, 2]]) */
                n = t.n;
                memcpy(items, t.items, (size_t)n * sizeof *items);
                kiln_free(p->ctx, t.items);
                kiln_expr_free(t.e);
            }
            bool whole = n == 1 && !comma && items[0].kind == KV_TUPLE; /* x[()]: x itself */
            for (int k = 0; k < n && !whole; k++) /* a tuple among the items: an index array, as a list */
                if (items[k].kind == KV_TUPLE) items[k].kind = KV_LIST;
            for (int k = 0; k < n && ok; k++) /* a list of booleans is a mask, as in NumPy; [] and [[]] pick nothing */
                if (items[k].kind == KV_LIST) {
                    kiln_expr *e = fe_index_expr(p, &items[k], "subscript", "index");
                    size_t at = items[k].off;
                    int64_t count = 1;
                    for (int d = 0; e && d < e->ndim; d++) count *= e->shape[d];
                    if (e && (e->dtype == KILN_BOOL || !count)) { /* (a mask; or no numbers, fe_index_expr's integers) */
                        kval_free(p->ctx, &items[k]);
                        ok = fe_set_expr(p, &items[k], e, at);
                    } else {
                        kiln_expr_free(e);
                        ok = e != NULL;
                    }
                }
            if (ok && n > 1) ok = expand_masks(p, x->e, items, &n, (int)(sizeof items / sizeof *items));
            if (ok) ok = index_array(p, x, items, n, off, out);
        }
        else ok = fe_err(p, off, KILN_ERR_ARG, "%s is not subscriptable", kind_name(x));
    }
    for (int k = 0; k < n; k++) kval_free(p->ctx, &items[k]);
    return ok;
}
static bool p_subscript(parser *p, kval *x, kval *out) { return p_subscript_of(p, x, false, out); }

/* args = [arg ("," arg)* [","]] ")"   arg = NAME "=" test | test   (the "(" is consumed) */
static bool comprehension_ahead(parser *p);
static bool p_comprehension(parser *p, const char *close, bool consume, size_t off, kval *out);
static bool p_args(parser *p, const char *fn, kval *pos, int *npos, fe_kwarg *kw, int *nkw) {
    *npos = *nkw = 0;
    bool ok = true, unit = p->imag_unit;
    p->imag_unit = false; /* (abs(5j) is complex: no function here takes it) */
    while (ok && !is_op(p, ")")) {
        if (*npos + *nkw == FE_MAX_ARGS) {
            ok = fe_err(p, p->tok.off, KILN_ERR_ARG, "%s(): too many arguments", fn);
            break;
        }
        if (p->tok.kind == TK_NAME) { /* a keyword argument? */
            lexer save = p->lx;
            token t = p->tok;
            advance(p);
            if (is_op(p, "=")) {
                fe_kwarg *k = &kw[*nkw];
                if (t.len >= sizeof k->name) {
                    ok = fe_err(p, t.off, KILN_ERR_ARG, "%s(): unknown keyword argument", fn);
                    break;
                }
                lex_text(&p->lx, &t, k->name, sizeof k->name);
                for (int j = 0; j < *nkw; j++)
                    if (!strcmp(kw[j].name, k->name)) ok = fe_err(p, t.off, KILN_ERR_SYNTAX, "keyword argument repeated: %s", k->name);
                if (!ok) break;
                advance(p);
                k->off = t.off;
                if (!(ok = p_test(p, &k->v))) break;
                (*nkw)++;
                if (!is_op(p, ",")) break;
                advance(p);
                continue;
            }
            p->lx = save;
            p->tok = t;
        }
        if (*nkw && !is_op(p, "*")) { /* (f(k=1, *xs) is Python's f(*xs, k=1)) */
            ok = fe_err(p, p->tok.off, KILN_ERR_SYNTAX, "positional argument follows keyword argument");
            break;
        }
        if (is_op(p, "*")) { /* f(*xs): each item of xs an argument */
            size_t at = p->tok.off;
            kval v = {0}, *items = NULL;
            int n = 0;
            advance(p);
            if (!(ok = p_test(p, &v))) break;
            ok = fe_items(p, &v, &items, &n);
            kval_free(p->ctx, &v);
            if (ok && *npos + *nkw + n > FE_MAX_ARGS) ok = fe_err(p, at, KILN_ERR_ARG, "%s(): too many arguments (at most %d)", fn, FE_MAX_ARGS);
            for (int i = 0; i < n; i++) {
                if (ok) pos[(*npos)++] = items[i];
                else kval_free(p->ctx, &items[i]);
            }
            kiln_free(p->ctx, items);
            if (!ok || !is_op(p, ",")) break;
            advance(p);
            continue;
        }
        if (*npos == 0 && comprehension_ahead(p)) { /* f(x for x in xs): a generator expression, here a list */
            if (!(ok = p_comprehension(p, ")", false, p->tok.off, &pos[*npos]))) break;
            pos[(*npos)++].gen = true;
            break;
        }
        if (!(ok = p_test(p, &pos[*npos]))) break;
        (*npos)++;
        if (!is_op(p, ",")) break;
        advance(p);
    }
    if (ok) ok = expect(p, ")", "to close the call");
    if (!ok) {
        for (int i = 0; i < *npos; i++) kval_free(p->ctx, &pos[i]);
        for (int i = 0; i < *nkw; i++) kval_free(p->ctx, &kw[i].v);
        *npos = *nkw = 0;
    }
    p->imag_unit = unit;
    return ok;
}

/* call = "(" args ")" applied to function `name` or to the method `name` of self */
static bool p_call(parser *p, const char *name, size_t off, kval *self, kval *out) {
    kval pos[FE_MAX_ARGS];
    fe_kwarg kw[FE_MAX_ARGS];
    int npos, nkw;
    bool at = !self && fe_is_in_place(name), allowed = at && p->env->in_place, out_ok = p->env->out_ok;
    if (at) p->env->in_place = false; /* (the statement's own call only: not one inside its arguments) */
    p->env->out_ok = false;
    bool grad = !self && (!strcmp(name, "grad") || !strcmp(name, "value_and_grad"));
    advance(p); /* "(" */
    if (!self && !strcmp(name, "len") && p->tok.kind == TK_NAME && !p->frame) { /* len(xs) of a name's list: not a copy of it */
        lexer ahead = p->lx;
        token close = lex_next(&ahead);
        char nm[64];
        const kval *v = close.kind == TK_OP && !strcmp(close.text, ")") && lex_text(&p->lx, &p->tok, nm, sizeof nm) &&
                                !kiln_scope_get(p->env->scope, nm)
                            ? fe_scope_value(p->env->scope, nm)
                            : NULL;
        if (v && (v->kind == KV_LIST || v->kind == KV_TUPLE || v->kind == KV_STR)) {
            p->env->volatile_ = true;
            advance(p), advance(p); /* NAME ")" */
            return fe_set_expr(p, out, kiln_int(p->ctx, v->kind == KV_STR ? fe_text_chars(v->s) : v->n), off);
        }
    }
    p->env->in_grad += grad;
    bool args = p_args(p, name, pos, &npos, kw, &nkw);
    p->env->in_grad -= grad;
    if (!args) {
        if (self) kval_free(p->ctx, self);
        return false;
    }
    if (at) p->env->in_place = allowed;
    p->env->out_ok = out_ok;
    return fe_call(p, name, off, self, pos, npos, kw, nkw, out);
}

/* t's non-ASCII characters escaped as Python's ascii() escapes them (\xe9, \u20ac, \U0001f600). */
static void ascii_of(kstr *t) {
    if (!t->s) return;
    kstr a = {0};
    for (const unsigned char *c = (const unsigned char *)t->s; *c;) {
        int n = *c < 0x80 ? 1 : *c >> 5 == 6 ? 2 : *c >> 4 == 14 ? 3 : 4;
        uint32_t cp = n == 1 ? *c : n == 2 ? *c & 0x1fu : n == 3 ? *c & 0x0fu : *c & 0x07u;
        int k = 1;
        for (; k < n && (c[k] & 0xC0) == 0x80; k++) cp = cp << 6 | (c[k] & 0x3fu);
        if (n == 1) kstr_putn(&a, (const char *)c, 1);
        else kstr_printf(&a, cp < 0x100 ? "\\x%02x" : cp < 0x10000 ? "\\u%04x" : "\\U%08x", (unsigned)cp);
        c += k;
    }
    kstr_free(t);
    *t = a;
}

/* v's text as a replacement field writes it (f-strings, str.format): conversion k ('s', 'r' or
 * 'a', or 0 for none) and format spec, appended to out; errors point at `at` (the spec's at spec_at). */
static bool format_value(parser *p, kval *v, char k, const char *spec, size_t at, size_t spec_at, kstr *out) {
    bool ok = true, conv = k != 0; /* (0: no conversion; format(v, spec) itself) */
    if (!conv) k = 's';
    if (!spec[0] && !conv && v->kind == KV_ARRAY && v->e->ndim == 0 && v->e->dtype == KILN_F32 && !fe_is_py(v)) {
        kscalar x; /* format(np.float32(0.1), '') goes through Python's float: 0.10000000149011612 */
        kiln_dtype dt;
        ok = eval_one(p, v, &x, &dt);
        if (ok) fe_format_pyfloat((double)x.f32, out);
    } else if (!spec[0] || conv) { /* f"{x!s:>6}": the spec formats str(x) */
        kstr t = {0};
        ok = fe_text(p->ctx, fe_scope_printopts(p->env->scope), v, k == 's', &t);
        if (ok && k == 'a') ascii_of(&t);
        if (ok && spec[0]) ok = fe_format_spec_str(t.s ? t.s : "", spec, out) || fe_err(p, spec_at, KILN_ERR_ARG, "invalid format spec '%s' for a string", spec);
        else if (ok) kstr_puts(out, t.s ? t.s : "");
        kstr_free(&t);
    } else if (v->kind == KV_STR) {
        ok = fe_format_spec_str(v->s, spec, out) || fe_err(p, spec_at, KILN_ERR_ARG, "invalid format spec '%s' for a string", spec);
    } else if (v->kind == KV_ARRAY) {
        kscalar x;
        kiln_dtype dt;
        if (v->e->ndim > 0) ok = fe_err(p, at, KILN_ERR_ARG, "unsupported format string passed to numpy.ndarray.__format__");
        else ok = eval_one(p, v, &x, &dt);
        if (ok && dtype_is_int(dt)) x = (kscalar){.i64 = kscalar_int(dt, x)}, dt = KILN_I64;
        if (ok && !fe_format_spec_num(x, dt, spec, out))
            ok = fe_err(p, spec_at, KILN_ERR_ARG, "invalid format spec '%s' for a number", spec);
    } else {
        ok = fe_err(p, at, KILN_ERR_ARG, "%s cannot take a format spec", kind_name(v));
    }
    return ok;
}

/* ------------------------------------------------------------------ string methods */

static const char *py_type(const kval *v);

/* The characters (code points) of UTF-8 s. */
static int64_t str_len(const char *s) {
    int64_t n = 0;
    for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}


/* Positional argument i of a string method, a string (or NULL where it is not given, or is None
 * and none_ok). */
static bool str_arg(parser *p, const char *m, const kval *pos, int npos, int i, bool none_ok, const char **s) {
    *s = NULL;
    if (i >= npos || (none_ok && pos[i].kind == KV_NONE)) return true;
    if (pos[i].kind != KV_STR) return fe_err(p, pos[i].off, KILN_ERR_ARG, "str.%s(): argument %d must be a string, not %s", m, i + 1, py_type(&pos[i]));
    *s = pos[i].s;
    return true;
}

/* The bytes of the UTF-8 character at s (1 at the end or a stray byte). */
static size_t char_len(const char *s) {
    size_t k = 1;
    while (s[0] && ((unsigned char)s[k] & 0xC0) == 0x80) k++;
    return k;
}

/* The characters in the first n bytes of s. */
static int64_t str_len_n(const char *s, size_t n) {
    int64_t k = 0;
    for (size_t i = 0; i < n; i++) k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

/* Python's s[start:end] for a method's optional start and end (positional arguments first and
 * first + 1; None or absent: the ends) as the bytes [*lo, *hi) of s; *none where Python finds
 * nothing there, not even '' (start past the end, or end before start). */
static bool str_span(parser *p, const char *m, const char *s, const kval *pos, int npos, int first, const char **lo, const char **hi, bool *none) {
    int64_t len = str_len(s), at[2] = {0, len};
    for (int k = 0; k < 2; k++) {
        const kval *v = first + k < npos ? &pos[first + k] : NULL;
        if (!v || v->kind == KV_NONE) continue;
        if (fe_is_py(v) && v->e->dtype == KILN_BOOL) at[k] = v->e->val.b; /* (Python's bool is an int) */
        else if (!fe_arg_int(p, v, m, k ? "end" : "start", &at[k])) return false;
        if (at[k] < 0) at[k] = at[k] + len < 0 ? 0 : at[k] + len;
    }
    *none = at[0] > len || at[1] < at[0];
    if (at[1] > len) at[1] = len;
    const char *c = s;
    for (int64_t k = 0; *c && k < at[0]; c += char_len(c)) k++;
    *lo = c;
    for (int64_t k = at[0]; *c && k < at[1]; c += char_len(c)) k++;
    *hi = *none ? *lo : c;
    return true;
}

/* Whether the character at s (k bytes) is one of chars' (None: a blank). */
static bool char_in(const char *s, size_t k, const char *chars) {
    if (!chars) return space_len(s) == k;
    for (const char *c = chars; *c; c += char_len(c))
        if (char_len(c) == k && !memcmp(c, s, k)) return true;
    return false;
}

/* Where the field that opens at t[0] == '{' closes: its '}' (nested fields' braces counted), or NULL. */
static const char *field_close(const char *t) {
    int depth = 0;
    for (const char *c = t + 1; *c; c++)
        if (*c == '{') depth++;
        else if (*c == '}' && !depth--) return c;
    return NULL;
}

/* str.format's fields of t appended to b: "{}", "{0}", "{name}", with "!r" and ":spec" (whose
 * own fields, "{0:.{1}f}", are formatted first, numbered after the field's), "{{" and "}}". */
static bool format_fields(parser *p, const char *t, kval *pos, int npos, fe_kwarg *kw, int nkw, size_t off, int *next, int depth, kstr *b) {
    for (const char *c = t; *c; c++) {
        if ((*c == '{' && c[1] == '{') || (*c == '}' && c[1] == '}')) {
            kstr_printf(b, "%c", *c++);
            continue;
        }
        if (*c == '}') return fe_err(p, off, KILN_ERR_ARG, "Single '}' encountered in format string");
        if (*c != '{') {
            kstr_printf(b, "%c", *c);
            continue;
        }
        if (depth > 1) return fe_err(p, off, KILN_ERR_ARG, "Max string recursion exceeded");
        const char *e = field_close(c);
        if (!e) return fe_err(p, off, KILN_ERR_ARG, depth ? "unmatched '{' in format spec" : "Single '{' encountered in format string");
        char field[160] = "", conv = 0;
        if ((size_t)(e - c - 1) >= sizeof field) return fe_err(p, off, KILN_ERR_ARG, "format(): a replacement field is too long");
        memcpy(field, c + 1, (size_t)(e - c - 1));
        char *colon = strchr(field, ':'), *bang = strchr(field, '!'), *inner = NULL;
        if (bang && colon && bang > colon) bang = NULL;
        if (colon) inner = colon + 1, *colon = 0;
        if (bang) {
            if (!bang[1] || !strchr("rsa", bang[1]) || bang[2]) return fe_err(p, off, KILN_ERR_ARG, "format(): expected 'r', 's' or 'a' after '!'");
            conv = bang[1], *bang = 0;
        }
        if (strpbrk(field, ".[")) return fe_err(p, off, KILN_ERR_ARG, "format(): fields of an attribute or an item ({0.x}, {0[1]}) are not supported");
        kval *v = NULL;
        if (!field[0]) {
            if (*next < 0) return fe_err(p, off, KILN_ERR_ARG, "cannot switch from manual field specification to automatic field numbering");
            if (*next >= npos) return fe_err(p, off, KILN_ERR_ARG, "Replacement index %d out of range for positional args tuple", *next);
            v = &pos[(*next)++];
        } else if (isdigit((unsigned char)field[0])) {
            if (*next > 0) return fe_err(p, off, KILN_ERR_ARG, "cannot switch from automatic field numbering to manual field specification");
            *next = -1;
            char *end;
            long i = strtol(field, &end, 10);
            if (*end) return fe_err(p, off, KILN_ERR_NAME, "format(): no keyword argument '%s'", field);
            if (i >= npos) return fe_err(p, off, KILN_ERR_ARG, "Replacement index %ld out of range for positional args tuple", i);
            v = &pos[i];
        } else {
            for (int k = 0; k < nkw && !v; k++)
                if (!strcmp(kw[k].name, field)) v = &kw[k].v;
            if (!v) return fe_err(p, off, KILN_ERR_NAME, "format(): no keyword argument '%s'", field);
        }
        kstr spec = {0};
        bool ok = !inner || format_fields(p, inner, pos, npos, kw, nkw, off, next, depth + 1, &spec);
        ok = ok && format_value(p, v, conv, spec.s ? spec.s : "", off, off, b);
        kstr_free(&spec);
        if (!ok) return false;
        c = e;
    }
    return true;
}

/* str.format of t with its arguments, appended to b. */
static bool str_format(parser *p, const char *t, kval *pos, int npos, fe_kwarg *kw, int nkw, size_t off, kstr *b) {
    int next = 0;
    return format_fields(p, t, pos, npos, kw, nkw, off, &next, 0, b);
}

/* str.split (right: str.rsplit) of s into the list *out: its pieces between sep, or between runs
 * of whitespace (sep NULL: no empty pieces, none at the ends), at most maxsplit splits (-1: any
 * number), taken from the start (from the end for rsplit). */
static bool split_str(parser *p, const char *s, const char *sep, int64_t maxsplit, bool right, size_t off, kval *out) {
    size_t n = strlen(s), k = sep ? strlen(sep) : 0, i = 0, j = n; /* what is left to split: s[i, j) */
    simple(out, KV_LIST, off);
    for (bool more = true; more;) {
        size_t a, b; /* the next piece, s[a, b) */
        if (!sep) {
            if (right) j = trim_space(s, j, false);
            else i = (size_t)(skip_space(s + i, false) - s);
            if (i >= j) break;
        }
        more = maxsplit != 0;
        if (!more) {
            a = i, b = j;
        } else if (sep && !right) {
            const char *at = strstr(s + i, sep);
            more = at && (size_t)(at - s) + k <= j;
            a = i, b = more ? (size_t)(at - s) : j, i = b + k;
        } else if (sep) { /* the last sep in s[i, j) */
            size_t at = SIZE_MAX;
            for (size_t c = j - i >= k ? j - k + 1 : i; at == SIZE_MAX && c-- > i;)
                if (!memcmp(s + c, sep, k)) at = c;
            more = at != SIZE_MAX;
            a = more ? at + k : i, b = j, j = more ? at : j;
        } else if (!right) {
            size_t e = i;
            while (e < j && !space_len(s + e)) e += char_len(s + e);
            a = i, b = e, i = e, more = e < j;
        } else {
            size_t e = j;
            while (e > i) {
                size_t c = char_before(s, i, e);
                if (space_len(s + c)) break;
                e = c;
            }
            a = e, b = j, j = e, more = e > i;
        }
        kval item = {.kind = KV_STR, .off = off, .s = kiln_calloc(p->ctx, b - a + 1)};
        if (!fe_got(p, item.s, off)) return false;
        memcpy(item.s, s + a, b - a);
        if (!push_item(p, out, &item)) return false;
        if (maxsplit > 0) maxsplit--;
    }
    for (int x = 0, y = out->n - 1; right && x < y; x++, y--) { /* (made from the end) */
        kval t = out->items[x];
        out->items[x] = out->items[y], out->items[y] = t;
    }
    return true;
}

bool fe_str_method(parser *p, const char *m, kval *self, kval *pos, int npos, fe_kwarg *kw, int nkw, size_t off, kval *out) {
    const char *s = self->s, *a = NULL, *b2 = NULL;
    kstr b = {0};
    bool ok = true, done = false;
    int64_t n = 0;
    memset(out, 0, sizeof *out);
    static const struct {
        const char *name;
        int most;
    } arity[] = {{"upper", 0}, {"lower", 0}, {"title", 0}, {"capitalize", 0}, {"isdigit", 0}, {"isalpha", 0}, {"isspace", 0}, {"isupper", 0},
                 {"islower", 0}, {"strip", 1}, {"lstrip", 1}, {"rstrip", 1}, {"split", 2}, {"rsplit", 2}, {"join", 1}, {"replace", 3}, {"startswith", 3},
                 {"endswith", 3}, {"find", 3}, {"rfind", 3}, {"count", 3}, {"index", 3}, {"rindex", 3}, {"zfill", 1}, {"ljust", 2}, {"rjust", 2}, {"center", 2}};
    for (size_t k = 0; ok && k < sizeof arity / sizeof *arity; k++)
        if (!strcmp(m, arity[k].name) && npos > arity[k].most)
            ok = fe_err(p, pos[arity[k].most].off, KILN_ERR_ARG, "str.%s() takes at most %d argument%s (%d given)", m, arity[k].most, arity[k].most == 1 ? "" : "s", npos);
    if (!ok) {
    } else if (nkw && strcmp(m, "format") && strcmp(m, "split") && strcmp(m, "rsplit")) ok = fe_err(p, kw[0].off, KILN_ERR_ARG, "str.%s() takes no keyword arguments here", m);
    else if (!strcmp(m, "format")) {
        p->env->volatile_ = true;
        if ((ok = str_format(p, s, pos, npos, kw, nkw, off, &b))) ok = str_result(p, &b, off, out), done = true;
    } else if (!strcmp(m, "upper") || !strcmp(m, "lower") || !strcmp(m, "title") || !strcmp(m, "capitalize")) {
        bool word = true; /* ASCII letters change case; other characters stay as they are (and are letters of a word) */
        for (const char *c = s; *c; c++) {
            char ch = *c;
            bool up = m[0] == 'u' || (m[0] == 't' && word) || (m[0] == 'c' && c == s);
            if (isalpha((unsigned char)ch) && (unsigned char)ch < 0x80) ch = (char)(up ? toupper((unsigned char)ch) : tolower((unsigned char)ch));
            word = !isalpha((unsigned char)*c) && (unsigned char)*c < 0x80;
            kstr_printf(&b, "%c", ch);
        }
        ok = str_result(p, &b, off, out), done = true;
    } else if (!strcmp(m, "strip") || !strcmp(m, "lstrip") || !strcmp(m, "rstrip")) {
        if ((ok = str_arg(p, m, pos, npos, 0, true, &a))) { /* by characters */
            size_t i = 0, j = strlen(s);
            bool left = m[0] != 'r', right = m[0] != 'l';
            while (left && i < j && char_in(s + i, char_len(s + i), a)) i += char_len(s + i);
            while (right && j > i) {
                size_t k = char_before(s, i, j);
                if (!char_in(s + k, j - k, a)) break;
                j = k;
            }
            kstr_printf(&b, "%.*s", (int)(j - i), s + i);
            ok = str_result(p, &b, off, out), done = true;
        }
    } else if (!strcmp(m, "split") || !strcmp(m, "rsplit")) {
        kval args[2] = {{.kind = KV_NONE}, {.kind = KV_NONE}}; /* sep, maxsplit: positional or keywords (views, not owned) */
        int given = npos;
        for (int i = 0; i < npos; i++) args[i] = pos[i];
        for (int k = 0; ok && k < nkw; k++) {
            int i = !strcmp(kw[k].name, "sep") ? 0 : !strcmp(kw[k].name, "maxsplit") ? 1 : -1;
            if (i < 0 || i < npos) ok = fe_err(p, kw[k].off, KILN_ERR_ARG, i < 0 ? "'%2$s' is an invalid keyword argument for %1$s()" : "argument for %1$s() given by name ('%2$s') and position", m, kw[k].name);
            else args[i] = kw[k].v, given = given > i + 1 ? given : i + 1;
        }
        int64_t maxsplit = -1;
        if (ok && (ok = str_arg(p, m, args, given, 0, true, &a)) && given > 1) ok = fe_arg_int(p, &args[1], m, "maxsplit", &maxsplit);
        if (ok && a && !a[0]) ok = fe_err(p, args[0].off, KILN_ERR_ARG, "empty separator");
        if (ok) ok = split_str(p, s, a, maxsplit, m[0] == 'r', off, out);
        done = ok;
    } else if (!strcmp(m, "join")) {
        kval *items = NULL;
        int k = 0;
        if (npos != 1) ok = fe_err(p, off, KILN_ERR_ARG, "str.join() takes exactly one argument (%d given)", npos);
        else ok = fe_items(p, &pos[0], &items, &k);
        for (int i = 0; ok && i < k; i++) {
            if (items[i].kind != KV_STR) ok = fe_err(p, pos[0].off, KILN_ERR_ARG, "sequence item %d: expected str instance, %s found", i, py_type(&items[i]));
            else kstr_printf(&b, "%s%s", i ? s : "", items[i].s);
        }
        for (int i = 0; i < k; i++) kval_free(p->ctx, &items[i]);
        kiln_free(p->ctx, items);
        if (ok) ok = str_result(p, &b, off, out), done = true;
    } else if (!strcmp(m, "replace")) {
        int64_t count = -1;
        if (npos < 2) ok = fe_err(p, off, KILN_ERR_ARG, "str.replace() takes the old and the new string");
        else if ((ok = str_arg(p, m, pos, npos, 0, false, &a) && str_arg(p, m, pos, npos, 1, false, &b2)) && npos > 2) ok = fe_arg_int(p, &pos[2], "replace", "count", &count);
        if (ok && !a[0]) { /* '' matches before each character and at the end: count insertions */
            for (const char *c = s;; c += char_len(c)) {
                if (count != 0) kstr_puts(&b, b2), count -= count > 0;
                if (!*c) break;
                kstr_printf(&b, "%.*s", (int)char_len(c), c);
            }
            ok = str_result(p, &b, off, out), done = true;
        }
        for (const char *c = s; ok && !done;) {
            const char *e = count != 0 ? strstr(c, a) : NULL;
            if (!e) {
                kstr_puts(&b, c);
                break;
            }
            kstr_printf(&b, "%.*s%s", (int)(e - c), c, b2);
            c = e + strlen(a);
            if (count > 0) count--;
        }
        if (ok && !done) ok = str_result(p, &b, off, out), done = true;
    } else if (!strcmp(m, "startswith") || !strcmp(m, "endswith")) {
        bool tuple = npos > 0 && pos[0].kind == KV_TUPLE; /* (a tuple of prefixes, as Python's; not a list) */
        kval *opts = tuple ? pos[0].items : pos;
        int nopt = tuple ? pos[0].n : 1;
        const char *lo, *hi;
        bool hit = false, none = false;
        if (npos < 1) ok = fe_err(p, off, KILN_ERR_ARG, "str.%s() takes one prefix (or a tuple of them)", m);
        else ok = str_span(p, m, s, pos, npos, 1, &lo, &hi, &none);
        for (int i = 0; ok && i < nopt && !hit; i++) { /* (the first that matches: Python's reads no further) */
            if ((ok = str_arg(p, m, opts, nopt, i, false, &a)) && a && !none) {
                size_t ls = (size_t)(hi - lo), la = strlen(a);
                hit |= la <= ls && !memcmp(m[0] == 's' ? lo : hi - la, a, la);
            }
        }
        if (ok) ok = fe_set_expr(p, out, kiln_bool(p->ctx, hit), off), done = true;
    } else if (!strcmp(m, "find") || !strcmp(m, "rfind") || !strcmp(m, "count") || !strcmp(m, "index") || !strcmp(m, "rindex")) {
        const char *lo, *hi;
        bool none = false, last = m[0] == 'r', counting = m[0] == 'c', raising = m[last] == 'i';
        if (npos < 1) ok = fe_err(p, off, KILN_ERR_ARG, "str.%s() takes one string", m);
        else ok = str_arg(p, m, pos, npos, 0, false, &a) && str_span(p, m, s, pos, npos, 1, &lo, &hi, &none);
        if (ok) { /* in s[lo, hi): Python's s[start:end] */
            size_t la = strlen(a);
            const char *e = NULL;
            for (const char *c = lo; !none && c + la <= hi;) {
                if (!memcmp(c, a, la)) {
                    if (counting && la) { /* matches do not overlap */
                        n++, c += la;
                        continue;
                    }
                    n += counting, e = c;
                    if (!counting && !last) break;
                }
                if (!*c) break;
                c += char_len(c);
            }
            if (!counting && !e && raising) ok = fe_err(p, off, KILN_ERR_ARG, "substring not found");
            else if (!counting) n = e ? str_len_n(s, (size_t)(e - s)) : -1; /* in characters */
            if (ok) ok = fe_set_expr(p, out, kiln_int(p->ctx, n), off), done = true;
        }
    } else if (!strcmp(m, "zfill") || !strcmp(m, "ljust") || !strcmp(m, "rjust") || !strcmp(m, "center")) {
        int64_t width = 0;
        const char *fill = " ";
        if (npos < 1) ok = fe_err(p, off, KILN_ERR_ARG, "str.%s() takes a width", m);
        else if ((ok = fe_arg_int(p, &pos[0], m, "width", &width)) && npos > 1 && (ok = str_arg(p, m, pos, npos, 1, false, &a)) && a) {
            if (str_len(a) != 1) ok = fe_err(p, pos[1].off, KILN_ERR_ARG, "The fill character must be exactly one character long");
            fill = a;
        }
        int64_t len = str_len(s), pad = width > len ? width - len : 0, left = m[0] == 'r' || m[0] == 'z' ? pad : m[0] == 'c' ? pad / 2 + (pad & width & 1) : 0;
        if (ok && pad > FE_MAX_STRING) ok = fe_err(p, off, KILN_ERR_ARG, "the string would be too long");
        if (ok && m[0] == 'z') {
            bool sign = s[0] == '+' || s[0] == '-';
            if (sign) kstr_printf(&b, "%c", s[0]);
            for (int64_t i = 0; i < pad; i++) kstr_printf(&b, "0");
            kstr_puts(&b, s + sign);
        } else if (ok) {
            for (int64_t i = 0; i < left; i++) kstr_puts(&b, fill);
            kstr_puts(&b, s);
            for (int64_t i = left; i < pad; i++) kstr_puts(&b, fill);
        }
        if (ok) ok = str_result(p, &b, off, out), done = true;
    } else if (!strcmp(m, "isdigit") || !strcmp(m, "isalpha") || !strcmp(m, "isspace") || !strcmp(m, "isupper") || !strcmp(m, "islower")) {
        bool all = s[0] != 0, cased = false;
        for (const char *c = s; *c; c++) {
            unsigned char ch = (unsigned char)*c;
            if (m[2] == 'd') all &= isdigit(ch) != 0;
            else if (m[2] == 'a') all &= isalpha(ch) != 0 || ch >= 0x80;
            else if (m[2] == 's') all &= space_len(c) > 0, c += space_len(c) ? space_len(c) - 1 : 0;
            else if (isalpha(ch)) cased = true, all &= m[2] == 'u' ? isupper(ch) != 0 : islower(ch) != 0;
        }
        if (m[2] == 'u' || m[2] == 'l') all = all && cased;
        ok = fe_set_expr(p, out, kiln_bool(p->ctx, all), off), done = true;
    } else {
        ok = fe_err(p, off, KILN_ERR_NAME, "a string has no method '%s' (kiln's: format join split rsplit strip lstrip rstrip replace upper lower title capitalize "
                                           "startswith endswith find rfind index rindex count zfill ljust rjust center isdigit isalpha isspace isupper islower)", m);
    }
    if (!done && ok) ok = fe_err(p, off, KILN_ERR_ARG, "str.%s(): bad arguments", m);
    if (!ok) {
        kstr_free(&b);
        kval_free(p->ctx, out);
    }
    kval_free(p->ctx, self);
    for (int i = 0; i < npos; i++) kval_free(p->ctx, &pos[i]);
    for (int i = 0; i < nkw; i++) kval_free(p->ctx, &kw[i].v);
    return ok;
}

/* Where the f-string field that opens at src[i] == '{' closes (its '}': brackets, nested fields
 * and quoted strings skipped), or b. */
static size_t fstring_close(const char *src, size_t i, size_t b) {
    int depth = 0;
    size_t e = i + 1;
    for (; e < b; e++) {
        char d = src[e];
        if (d == '\'' || d == '"') {
            for (e++; e < b && src[e] != d; e++) {
            }
            continue;
        }
        if (d == '(' || d == '[' || d == '{') depth++;
        else if ((d == ')' || d == ']') && depth) depth--;
        else if (d == '}' && depth) depth--;
        else if (d == '}') break;
    }
    return e;
}

/* One replacement field of an f-string: src[a, b) holds "expr[=][!r|!s][:spec]" (the braces
 * excluded; nest: inside another's spec, whose fields hold no fields); its text appended to out. */
static bool fstring_field(parser *p, size_t a, size_t b, int nest, kstr *out) {
    const char *src = p->lx.src;
    int depth = 0;
    size_t e = a, conv = 0, colon = 0;
    for (; e < b; e++) { /* where the expression ends: a top-level '!', ':' (or the end) */
        char c = src[e];
        if (c == '\'' || c == '"') {
            char q = c;
            for (e++; e < b && src[e] != q; e++) {
            }
            continue;
        }
        if (c == '(' || c == '[' || c == '{') depth++;
        else if ((c == ')' || c == ']' || c == '}') && depth) depth--;
        else if (!depth && c == '!' && e + 1 < b && src[e + 1] != '=') {
            conv = e;
            break;
        } else if (!depth && c == ':') {
            colon = e;
            break;
        }
    }
    size_t xe = e;
    while (xe > a && (src[xe - 1] == ' ' || src[xe - 1] == '\t')) xe--;
    bool debug = xe > a && src[xe - 1] == '=' && !(xe > a + 1 && strchr("=!<>", src[xe - 2])); /* f"{x=}" */
    if (debug) xe--;
    if (conv && conv + 1 < b) {
        char k = src[conv + 1];
        if (k != 'r' && k != 's' && k != 'a') return fe_err(p, conv, KILN_ERR_SYNTAX, "f-string: expected 'r', 's' or 'a' after '!'");
        for (size_t i = conv + 2; i < b; i++)
            if (src[i] == ':') {
                colon = i;
                break;
            } else if (src[i] != ' ') {
                return fe_err(p, i, KILN_ERR_SYNTAX, "f-string: expected ':' or '}' after the conversion");
            }
    }
    /* the expression, parsed in place (offsets stay the source's) */
    parser sub = {.ctx = p->ctx, .env = p->env, .frame = p->frame};
    lex_init(&sub.lx, src, xe);
    sub.lx.pos = a;
    advance(&sub);
    kval v = {0};
    bool ok = !sub.failed && p_tuple_or_test(&sub, NULL, &v);
    if (ok && sub.tok.kind != TK_END) {
        char bb[48];
        ok = fe_err(&sub, sub.tok.off, KILN_ERR_SYNTAX, "f-string: unexpected %s", tok_str(&sub, bb, sizeof bb));
    }
    if (!ok) {
        p->failed = true;
        kval_free(p->ctx, &v);
        return false;
    }
    p->env->volatile_ = true; /* the text depends on the values */
    kstr spec = {0}; /* after the value, as Python: its escapes undone, its own fields (f"{x:>{w}}") formatted */
    for (size_t i = colon + 1, lit = i; ok && colon; i++) {
        if (i < b && src[i] != '{') continue;
        char piece[128];
        if (!lex_unescape(src, lit, i, piece, sizeof piece)) ok = fe_err(p, colon, KILN_ERR_SYNTAX, "f-string: format spec too long");
        else kstr_puts(&spec, piece);
        if (i == b || !ok) break;
        size_t close = fstring_close(src, i, b);
        if (close >= b) ok = fe_err(p, i, KILN_ERR_SYNTAX, "f-string: expecting '}'");
        else if (nest) ok = fe_err(p, i, KILN_ERR_SYNTAX, "f-string: expressions nested too deeply");
        else if (close == i + 1) ok = fe_err(p, i, KILN_ERR_SYNTAX, "f-string: empty expression not allowed");
        else ok = fstring_field(p, i + 1, close, nest + 1, &spec);
        i = close, lit = close + 1;
    }
    if (ok && debug) kstr_printf(out, "%.*s", (int)((conv ? conv : colon ? colon : e) - a), src + a);
    char k = conv ? src[conv + 1] : debug && !colon ? 'r' : 0;
    ok = ok && format_value(p, &v, k, spec.s ? spec.s : "", a, colon, out);
    kstr_free(&spec);
    kval_free(p->ctx, &v);
    return ok;
}

/* f"text {expr!r:spec} text" (t: the string token after the f; raw: rf"...", its backslashes
 * kept): its text, now. */
static bool p_fstring(parser *p, token t, size_t off, bool raw, kval *out);

/* The current token as a string's prefix right before its quote: 'f' (f, F), 'r' (r, R), 'g'
 * (a raw f-string: rf, fr, in any case), 'u' (u, U: a plain string), 'b' (bytes: b, rb, ...), or 0. */
static char string_prefix(const parser *p) {
    const char *w = p->lx.src + p->tok.off;
    if (p->tok.kind != TK_NAME || p->tok.len > 2) return 0;
    lexer ahead = p->lx;
    token q = lex_next(&ahead);
    if (q.kind != TK_STRING || q.off != p->tok.off + p->tok.len) return 0;
    bool f = false, r = false, u = false, b = false;
    for (size_t i = 0; i < p->tok.len; i++) {
        char c = (char)tolower((unsigned char)w[i]);
        bool *seen = c == 'f' ? &f : c == 'r' ? &r : c == 'u' ? &u : c == 'b' ? &b : NULL;
        if (!seen || *seen) return 0;
        *seen = true;
    }
    if (u && p->tok.len > 1) return 0; /* (ur"" is not Python 3's) */
    if ((f && b)) return 0;
    return b ? 'b' : f && r ? 'g' : f ? 'f' : r ? 'r' : 'u';
}

/* Adjacent string literals joined into s, as Python joins them: "a" "b", "a" f"{x}", f"{x}"
 * "b", r"\d" (a raw one: its text as written). */
static bool string_pieces(parser *p, kstr *s) {
    for (;;) {
        char kind = string_prefix(p);
        if (kind == 'b') return fe_err(p, p->tok.off, KILN_ERR_SYNTAX, "bytes literals (b\"...\") are not part of kiln's language: strings are");
        if (kind) advance(p); /* (to the string) */
        else if (p->tok.kind != TK_STRING) return true;
        token str = p->tok;
        advance(p);
        if (kind == 'f' || kind == 'g') {
            kval piece = {0};
            if (!p_fstring(p, str, str.off - 1, kind == 'g', &piece)) return false;
            kstr_puts(s, piece.s);
            kval_free(p->ctx, &piece);
        } else if (kind == 'r') { /* r"...": no escapes */
            size_t q = lex_quote_width(p->lx.src, str.off, str.off + str.len);
            kstr_printf(s, "%.*s", (int)(str.len - 2 * q), p->lx.src + str.off + q);
        } else { /* (its text unescaped is no longer than it) */
            char small[4096], *buf = str.len < sizeof small ? small : kiln_malloc(p->ctx, str.len + 1);
            if (!buf) return fe_got(p, NULL, str.off);
            if (!lex_text(&p->lx, &str, buf, str.len < sizeof small ? sizeof small : str.len + 1)) {
                if (buf != small) kiln_free(p->ctx, buf);
                return fe_err(p, str.off, KILN_ERR_SYNTAX, "string is too long");
            }
            kstr_puts(s, buf);
            if (buf != small) kiln_free(p->ctx, buf);
        }
    }
}

static bool p_fstring(parser *p, token t, size_t off, bool raw, kval *out) {
    const char *src = p->lx.src;
    size_t q = lex_quote_width(src, t.off, t.off + t.len), a = t.off + q, b = t.off + t.len - q;
    kstr text = {0};
    bool ok = true;
    for (size_t i = a; i < b && ok;) {
        char c = src[i];
        if (c == '{' && i + 1 < b && src[i + 1] == '{') {
            kstr_printf(&text, "{");
            i += 2;
        } else if (c == '}' && i + 1 < b && src[i + 1] == '}') {
            kstr_printf(&text, "}");
            i += 2;
        } else if (c == '}') {
            ok = fe_err(p, i, KILN_ERR_SYNTAX, "f-string: single '}' is not allowed");
        } else if (c == '{') {
            size_t e = fstring_close(src, i, b);
            if (e >= b) ok = fe_err(p, i, KILN_ERR_SYNTAX, "f-string: expecting '}'");
            else if (e == i + 1) ok = fe_err(p, i, KILN_ERR_SYNTAX, "f-string: empty expression not allowed");
            else ok = fstring_field(p, i + 1, e, 0, &text);
            i = e + 1;
        } else if (c == '\\' && i + 1 < b && !raw) {
            char e[5] = {0};
            int n;
            const char *why = "";
            size_t used = lex_escape(src, i, b, e, &n, &why); /* (checked when lexed) */
            if (!used) ok = fe_err(p, i, KILN_ERR_SYNTAX, "%s", why);
            kstr_puts(&text, e);
            i += used ? used : 1;
        } else {
            kstr_printf(&text, "%c", c);
            i++;
        }
    }
    if (!ok) {
        kstr_free(&text);
        return false;
    }
    return str_result(p, &text, off, out);
}

/* NumPy's module names kiln has: math.NAME (and what it reads as), np.linalg.NAME, np.random.NAME. */
static const char *const math_names[][2] = {{"pi", "pi"}, {"e", "e"}, {"inf", "inf"}, {"nan", "nan"}, {"sqrt", "sqrt"}, {"exp", "exp"},
                                       {"log", "math.log"}, {"log2", "log2"}, {"log10", "log10"}, {"log1p", "log1p"}, {"expm1", "expm1"},
                                       {"sin", "sin"}, {"cos", "cos"}, {"tan", "tan"}, {"asin", "arcsin"}, {"acos", "arccos"},
                                       {"atan", "arctan"}, {"atan2", "arctan2"}, {"sinh", "sinh"}, {"cosh", "cosh"}, {"tanh", "tanh"},
                                       {"fabs", "fabs"}, {"hypot", "hypot"}, {"isnan", "isnan"}, {"isinf", "isinf"},
                                       {"isfinite", "isfinite"}, {"degrees", "degrees"}, {"radians", "radians"}, {"copysign", "copysign"},
                                       {"fmod", "fmod"}, {"cbrt", "cbrt"}, {"ldexp", "ldexp"}, {"nextafter", "nextafter"}, {"floor", "math.floor"}, {"ceil", "math.ceil"},
                                       {"trunc", "math.trunc"}, {"factorial", "math.factorial"}, {"gcd", "math.gcd"}, {"lcm", "math.lcm"},
                                       {"comb", "math.comb"}, {"perm", "math.perm"}, {"isqrt", "math.isqrt"}};
static const char *const linalg_names[] = {"norm", "solve", "inv", "det", "slogdet", "cholesky", "eigh", "eigvalsh", "svd", "qr",
                                 "pinv", "matrix_rank", "matrix_power", "cond", "multi_dot", "lstsq", "matmul", "outer", "tensordot",
                                 "vector_norm", "matrix_norm", "vecdot", "matrix_transpose", "svdvals", "trace", "diagonal",
                                 "tensorsolve", "tensorinv", "cross", NULL};
static const char *const random_names[] = {"rand", "randn", "random", "random_sample", "standard_normal", "normal", "uniform",
                                  "exponential", "standard_exponential", "randint", "permutation", "choice", "shuffle", "seed",
                                  "default_rng", "gamma", "standard_gamma", "beta", "chisquare", "f", "standard_t", "standard_cauchy",
                                  "lognormal", "laplace", "logistic", "gumbel", "pareto", "weibull", "power", "rayleigh", "wald",
                                  "triangular", "poisson", "binomial", "negative_binomial", "geometric", "multinomial", "dirichlet",
                                  "multivariate_normal", NULL};

int fe_module_names(int module, const char **out, int cap) {
    int n = 0;
    if (module == 0)
        for (size_t k = 0; k < sizeof math_names / sizeof *math_names && n < cap; k++) out[n++] = math_names[k][0];
    for (const char *const *l = module == 1 ? linalg_names : module == 2 ? random_names : NULL; l && *l && n < cap; l++) out[n++] = *l;
    return n;
}

/* fe_module_names' names of module, space-separated (the last after "and " with and_last), into
 * buf: what an error lists. */
static const char *module_text(int module, bool and_last, char *buf, size_t cap) {
    const char *names[64];
    int nn = fe_module_names(module, names, 64);
    size_t n = 0;
    buf[0] = 0;
    for (int k = 0; k < nn && n < cap; k++)
        n += (size_t)snprintf(buf + n, cap - n, "%s%s%s", k ? " " : "", and_last && k == nn - 1 ? "and " : "", names[k]);
    return buf;
}

/* math.NAME: NumPy's function or constant of that name (math.floor, ceil and trunc give Python
 * ints, as Python's) */
static bool read_math_name(parser *p, char *name, size_t cap) {
    advance(p); /* "." */
    char w[32];
    if (p->tok.kind != TK_NAME || !lex_text(&p->lx, &p->tok, w, sizeof w)) return fe_err(p, p->tok.off, KILN_ERR_SYNTAX, "expected a name after 'math.'");
    for (size_t k = 0; k < sizeof math_names / sizeof *math_names; k++)
        if (!strcmp(w, math_names[k][0])) {
            snprintf(name, cap, "%s", math_names[k][1]);
            advance(p);
            return true;
        }
    char all[1024];
    return fe_err(p, p->tok.off, KILN_ERR_NAME, "of math, kiln has %s", module_text(0, false, all, sizeof all));
}

/* NAME.at, NAME.reduce, NAME.accumulate, NAME.outer of a function (np.add.at, np.maximum.
 * accumulate): a ufunc's method, one name "add.at" (fe_call knows them) */
static bool read_ufunc_method(parser *p, char *name, size_t cap) {
    if (!is_op(p, ".") || !fe_is_function(name)) return true;
    lexer lx = p->lx;
    token m = lex_next(&lx);
    char w[16];
    if (m.kind != TK_NAME || !lex_text(&lx, &m, w, sizeof w)) return true;
    static const char *const others[] = {"reduceat", "identity", "nin", "nout", "nargs", "ntypes", "types", "signature", NULL};
    for (int k = 0; others[k]; k++) /* (a ufunc's other methods and attributes: not 'add' called with no arguments) */
        if (!strcmp(w, others[k]))
            return fe_err(p, m.off, KILN_ERR_NAME, "np.%s.%s is not supported: of a ufunc, kiln has .reduce, .accumulate, .outer and .at", name, w);
    if (strcmp(w, "at") && strcmp(w, "reduce") && strcmp(w, "accumulate") && strcmp(w, "outer")) return true;
    if (!strcmp(w, "at")) { /* (fe_in_place names them) */
        char full[40];
        bool known = false;
        snprintf(full, sizeof full, "%s.at", name);
        for (int k = 0; fe_in_place[k]; k++) known |= !strcmp(full, fe_in_place[k]);
        if (!known)
            return fe_err(p, m.off, KILN_ERR_NAME, "np.%s.at is not supported: kiln has the .at of the binary ufuncs of arithmetic "
                                                   "(add ... power, arctan2, fmod, hypot, copysign), maximum, minimum and the bitwise ones", name);
    }
    advance(p), advance(p);
    snprintf(name + strlen(name), cap - strlen(name), ".%s", w);
    return true;
}

/* np.linalg.NAME (the '.' after linalg next): NAME, or linalg.NAME for np.linalg's own trace,
 * diagonal, outer and cross. */
static bool read_linalg_name(parser *p, char *name, size_t cap) {
    advance(p);
    bool known = false;
    if (p->tok.kind == TK_NAME && lex_text(&p->lx, &p->tok, name, cap))
        for (int k = 0; linalg_names[k]; k++) known |= !strcmp(name, linalg_names[k]);
    char all[1024];
    if (!known)
        return fe_err(p, p->tok.off, KILN_ERR_NAME, "of np.linalg, kiln has %s (not eig and eigvals: their results are complex)",
                      module_text(1, false, all, sizeof all));
    advance(p);
    if (!strcmp(name, "trace") || !strcmp(name, "diagonal") || !strcmp(name, "outer") || !strcmp(name, "cross")) { /* np.linalg's: over the last two axes; of vectors */
        char la_name[32];
        snprintf(la_name, sizeof la_name, "linalg.%.16s", name);
        snprintf(name, cap, "%s", la_name);
    }
    return true;
}

/* The name at t: np.NAME and np.random.NAME (rand, randn) stand for NAME. */
static bool read_name(parser *p, token t, char *name, size_t cap, bool *np) {
    *np = false;
    if (!lex_text(&p->lx, &t, name, cap)) return fe_err(p, t.off, KILN_ERR_NAME, "name is too long");
    if (is_op(p, ".") && !kiln_scope_get(p->env->scope, name) && !fe_scope_value(p->env->scope, name) && !read_ufunc_method(p, name, cap))
        return false; /* (only a name before a '.' is looked up here) */
    if (!strcmp(name, "math") && is_op(p, ".") && !kiln_scope_get(p->env->scope, name) && !fe_scope_value(p->env->scope, name))
        return (*np = true) && read_math_name(p, name, cap);
    if ((!strcmp(name, "linalg") || fe_scope_is_linalg(p->env->scope, name)) && is_op(p, ".") && !kiln_scope_get(p->env->scope, name) &&
        !fe_scope_value(p->env->scope, name))
        return (*np = true) && read_linalg_name(p, name, cap); /* (np. is optional: linalg.solve; LA.solve of from numpy import linalg as LA) */
    if (!fe_scope_is_numpy(p->env->scope, name) || !is_op(p, ".") || kiln_scope_get(p->env->scope, name) || fe_scope_value(p->env->scope, name))
        return true;
    *np = true;
    advance(p); /* "." */
    if (p->tok.kind != TK_NAME) return fe_err(p, p->tok.off, KILN_ERR_SYNTAX, "expected a name after 'np.'");
    if (!lex_text(&p->lx, &p->tok, name, cap)) return fe_err(p, p->tok.off, KILN_ERR_NAME, "name is too long");
    advance(p);
    if (!strcmp(name, "bool")) snprintf(name, cap, "bool_"); /* (np.bool is NumPy 2's bool type, np.bool_; bool alone is Python's) */
    if (!read_ufunc_method(p, name, cap)) return false;
    if (!strcmp(name, "linalg") && is_op(p, ".") && !read_linalg_name(p, name, cap)) return false; /* np.linalg.solve */
    if (!strcmp(name, "lib") && is_op(p, ".")) { /* np.lib.stride_tricks.sliding_window_view */
        advance(p);
        char sub[32] = "";
        if (p->tok.kind == TK_NAME) lex_text(&p->lx, &p->tok, sub, sizeof sub);
        size_t at = p->tok.off;
        if (strcmp(sub, "stride_tricks")) return fe_err(p, at, KILN_ERR_NAME, "of np.lib, kiln has stride_tricks.sliding_window_view");
        advance(p);
        if (!is_op(p, ".")) return fe_err(p, p->tok.off, KILN_ERR_SYNTAX, "expected '.' after 'np.lib.stride_tricks'");
        advance(p);
        if (p->tok.kind == TK_NAME) lex_text(&p->lx, &p->tok, name, cap);
        if (p->tok.kind != TK_NAME || strcmp(name, "sliding_window_view"))
            return fe_err(p, p->tok.off, KILN_ERR_NAME, "of np.lib.stride_tricks, kiln has sliding_window_view (as_strided reads memory by raw strides, which kiln's arrays do not allow)");
        advance(p);
    }
    if (!strcmp(name, "random") && is_op(p, ".")) {
        advance(p);
        bool known = false;
        if (p->tok.kind == TK_NAME && lex_text(&p->lx, &p->tok, name, cap))
            for (int k = 0; random_names[k]; k++) known |= !strcmp(name, random_names[k]);
        char all[1024];
        if (!known) return fe_err(p, p->tok.off, KILN_ERR_NAME, "of np.random, kiln has %s", module_text(2, true, all, sizeof all));
        if (!strcmp(name, "power") || !strcmp(name, "f")) { /* (np.power is the ufunc; f a common name) */
            snprintf(name, cap, "random.%s", name[0] == 'f' ? "f" : "power");
        }
        advance(p);
    }
    return true;
}

/* atom = NUMBER | STRING+ | NAME | NAME call | "(" [tuple] ")" | "[" [tuple] "]" | "..." */
/* ------------------------------------------------------------------ comprehensions */

static bool p_logic(parser *p, kval *out, bool is_or);
static const char *py_type(const kval *v);

static bool is_opening(const token *t) { return t->kind == TK_OP && (!strcmp(t->text, "(") || !strcmp(t->text, "[") || !strcmp(t->text, "{")); }
static bool is_closing(const token *t) { return t->kind == TK_OP && (!strcmp(t->text, ")") || !strcmp(t->text, "]") || !strcmp(t->text, "}")); }
static bool tok_is(const parser *p, const token *t, const char *name) {
    return t->kind == TK_NAME && t->len == strlen(name) && !memcmp(p->lx.src + t->off, name, t->len);
}

/* Looks ahead from the current token over what lies at this depth (brackets stepped over) to
 * the first of: the bracket that closes the enclosing one, the end, one of the names or, with
 * ops, a ',', ':' or '='.  The lexer and token there go to *at_lx and *at_tok (when given);
 * returns the index of the name it stopped at, or -1. */
static int scan_to(const parser *p, const char *const *names, bool ops, lexer *at_lx, token *at_tok) {
    lexer lx = p->lx;
    token t = p->tok;
    int found = -1;
    for (int depth = 0; t.kind != TK_END && t.kind != TK_ERROR; t = lex_next(&lx)) {
        if (is_opening(&t)) {
            depth++;
        } else if (is_closing(&t)) {
            if (depth-- == 0) break;
        } else if (depth == 0) {
            if (ops && t.kind == TK_OP && (!strcmp(t.text, ",") || !strcmp(t.text, ":") || !strcmp(t.text, "="))) break;
            for (int k = 0; names[k] && found < 0; k++)
                if (tok_is(p, &t, names[k])) found = k;
            if (found >= 0) break;
        }
    }
    if (at_lx) *at_lx = lx, *at_tok = t;
    return found;
}

/* Moves to where scan_to stops: past an element to its 'for', past an operand that is not
 * evaluated (the right of a decided `and`/`or`, the branch a conditional does not pick) */
static void skip_to(parser *p, const char *const *names, bool ops) {
    scan_to(p, names, ops, &p->lx, &p->tok);
    if (p->tok.kind == TK_ERROR) fe_err(p, p->tok.off, KILN_ERR_SYNTAX, "%s", p->lx.err);
}

static bool is_name_char(char c) { return isalnum((unsigned char)c) || c == '_' || (unsigned char)c >= 0x80; /* (a byte of a UTF-8 letter) */ }

/* 1 + the offset of the last word w (not part of a longer name) in p's source at or after the
 * current token, or 0 (the scan stops there: an f-string's field has a parser of its own) */
static size_t last_word(const parser *p, const char *w) {
    size_t n = strlen(w);
    for (size_t i = p->lx.len; i >= n && i - n >= p->tok.off; i--) {
        const char *at = p->lx.src + i - n;
        if (!memcmp(at, w, n) && (i == p->lx.len || !is_name_char(at[n])) && (i == n || !is_name_char(at[-1]))) return i - n + 1;
    }
    return 0;
}

/* Whether the word 'if' (else 'for') can be ahead of the current token: found once, from the
 * first look ahead's token on (later ones are further on) */
static bool word_may_follow(parser *p, bool is_if) {
    if (!p->words_known) {
        p->last_if = last_word(p, "if");
        p->last_for = last_word(p, "for");
        p->words_known = true;
    }
    return (is_if ? p->last_if : p->last_for) > p->tok.off;
}

/* Whether a 'for' comes before the bracket that closes the one just opened (at its own depth):
 * [x * 2 for x in xs] is a comprehension, [1, 2] is not. */
static bool comprehension_ahead(parser *p) {
    static const char *const to_for[] = {"for", NULL};
    return word_may_follow(p, false) && scan_to(p, to_for, false, NULL, NULL) == 0;
}

/* A comprehension's target: names and (nested) tuples of them, `x`, `i, (a, b)` */
typedef struct ctarget {
    char name[64]; /* a name, or "" for a tuple of kids */
    int kids[8], n;
} ctarget;
#define CT_NODES 16
typedef struct ctargets {
    ctarget t[CT_NODES];
    int count;
} ctargets;

static int p_target_list(parser *p, ctargets *T, bool top);
static int p_target(parser *p, ctargets *T) {
    char b[48];
    if (is_op(p, "(") || is_op(p, "[")) {
        const char *close = is_op(p, "(") ? ")" : "]";
        advance(p);
        int k = p_target_list(p, T, false);
        if (k < 0 || !expect(p, close, "to close the target")) return -1;
        return k;
    }
    if (T->count == CT_NODES) {
        fe_err(p, p->tok.off, KILN_ERR_SYNTAX, "a comprehension's target of more than %d names and tuples", CT_NODES);
        return -1;
    }
    if (p->tok.kind != TK_NAME) {
        fe_err(p, p->tok.off, KILN_ERR_SYNTAX, "expected a name to bind after 'for', found %s", tok_str(p, b, sizeof b));
        return -1;
    }
    ctarget *c = &T->t[T->count];
    if (!lex_text(&p->lx, &p->tok, c->name, sizeof c->name) || !c->name[0]) {
        fe_err(p, p->tok.off, KILN_ERR_SYNTAX, "name too long");
        return -1;
    }
    if (lex_is_keyword(c->name, strlen(c->name))) { /* ([or for or in xs] is Python's syntax error) */
        fe_err(p, p->tok.off, KILN_ERR_SYNTAX, "'%s' is a keyword, not a name", c->name);
        return -1;
    }
    advance(p);
    return T->count++;
}
/* target ("," target)* [","]: one target, or a tuple of them (a 1-tuple with its comma) */
static int p_target_list(parser *p, ctargets *T, bool top) {
    int first = p_target(p, T);
    if (first < 0 || !is_op(p, ",")) return first;
    if (T->count == CT_NODES) return fe_err(p, p->tok.off, KILN_ERR_SYNTAX, "too many names to bind"), -1;
    int k = T->count++;
    ctarget *c = &T->t[k];
    c->name[0] = 0;
    c->kids[c->n++] = first;
    while (is_op(p, ",")) {
        advance(p);
        if ((top && is_name(p, "in")) || is_op(p, ")") || is_op(p, "]")) break;
        if (c->n == 8) return fe_err(p, p->tok.off, KILN_ERR_SYNTAX, "more than 8 names in one tuple to bind"), -1;
        int kid = p_target(p, T);
        if (kid < 0) return -1;
        c->kids[c->n++] = kid;
    }
    return k;
}

/* The frame's names after its first n0 dropped. */
static void frame_pop(parser *p, fe_frame *fr, int n0) {
    while (fr->n > n0) kval_free(p->ctx, &fr->local[--fr->n].v);
}

/* Binds target k of T to v (a copy), unpacking tuples as Python does */
static bool bind_target(parser *p, const ctargets *T, int k, const kval *v, size_t off) {
    const ctarget *c = &T->t[k];
    if (c->name[0]) {
        fe_frame *fr = p->frame;
        if (fr->n == FE_FRAME_NAMES) return fe_err(p, off, KILN_ERR_SYNTAX, "a comprehension binds at most %d names", FE_FRAME_NAMES);
        strcpy(fr->local[fr->n].name, c->name);
        if (!fe_kval_copy(p->ctx, &fr->local[fr->n].v, v)) return fe_got(p, NULL, off);
        fr->n++;
        return true;
    }
    kval *items = NULL;
    int n = 0;
    if (!is_seq(v) && v->kind != KV_STR && !(v->kind == KV_ARRAY && v->e->ndim > 0))
        return fe_err(p, off, KILN_ERR_ARG, "cannot unpack non-iterable %s object", py_type(v));
    if (!fe_items(p, v, &items, &n)) return false;
    bool ok = n == c->n || fe_err(p, off, KILN_ERR_ARG, n > c->n ? "too many values to unpack (expected %d)" : "not enough values to unpack (expected %d, got %d)", c->n, n);
    for (int i = 0; ok && i < n; i++) ok = bind_target(p, T, c->kids[i], &items[i], off);
    for (int i = 0; i < n; i++) kval_free(p->ctx, &items[i]);
    kiln_free(p->ctx, items);
    return ok;
}

/* A comprehension's clause: 'for' target 'in' iterable, or 'if' condition; where its text
 * (the iterable's, the condition's) begins, to be read again for each item of the clauses
 * before it. */
typedef struct cclause {
    bool is_for;
    ctargets T;
    int root;
    size_t off;
    lexer lx;
    token tok;
} cclause;
#define COMP_CLAUSES 8

typedef struct comp {
    parser *p;
    const char *close;
    const cclause *c;
    int n;
    lexer elem_lx;
    token elem_tok;
    kval *out;
} comp;

static bool comp_run(comp *m, int ci);

/* The items of for clause ci bound in turn, the clauses after it run for each. */
static bool comp_loop(comp *m, int ci, const kval *items, int n) {
    parser *p = m->p;
    bool ok = true;
    for (int i = 0; ok && i < n; i++) {
        int n0 = p->frame->n;
        ok = bind_target(p, &m->c[ci].T, m->c[ci].root, &items[i], m->c[ci].off) && comp_run(m, ci + 1);
        frame_pop(p, p->frame, n0);
    }
    return ok;
}

/* Clause ci and those after it, the names of those before bound: a condition or an iterable
 * read again from its text, or (past the last clause) the element, pushed onto the list. */
static bool comp_run(comp *m, int ci) {
    parser *p = m->p;
    char b[48];
    kval v = {0};
    bool ok, take = true;
    if (ci == m->n) {
        p->lx = m->elem_lx, p->tok = m->elem_tok;
        ok = p_test(p, &v);
        if (ok && !is_name(p, "for")) {
            kval_free(p->ctx, &v);
            return fe_err(p, p->tok.off, KILN_ERR_SYNTAX, "expected 'for' after a comprehension's element, found %s", tok_str(p, b, sizeof b));
        }
        return ok && push_item(p, m->out, &v);
    }
    const cclause *c = &m->c[ci];
    p->lx = c->lx, p->tok = c->tok;
    ok = p_logic(p, &v, true);
    if (ok && !is_name(p, "if") && !is_name(p, "for") && !is_op(p, m->close))
        ok = fe_err(p, p->tok.off, KILN_ERR_SYNTAX, "unexpected %s in a comprehension's %s", tok_str(p, b, sizeof b), c->is_for ? "iterable" : "condition");
    if (!c->is_for) {
        ok = ok && fe_truth(p, &v, &take);
        kval_free(p->ctx, &v);
        return ok && (!take || comp_run(m, ci + 1));
    }
    kval *items = NULL;
    int n = 0;
    ok = ok && fe_items(p, &v, &items, &n);
    kval_free(p->ctx, &v);
    ok = ok && comp_loop(m, ci, items, n);
    for (int i = 0; i < n; i++) kval_free(p->ctx, &items[i]);
    kiln_free(p->ctx, items);
    return ok;
}

/* NumPy's result_type of n dtypes, weak[k] where dts[k] is a Python number's (NEP 50): the strong
 * ones promoted, then a Python float makes integers and bools float64, a Python int makes bools
 * int64; of Python numbers alone, the widest kind's default. */
kiln_dtype fe_result_dtype(int n, const kiln_dtype *dts, const bool *weak) {
    kiln_dtype dt = KILN_BOOL;
    bool strong = false;
    for (int k = 0; k < n; k++)
        if (!weak[k]) dt = strong ? dtype_promote(dt, dts[k]) : dts[k], strong = true;
    for (int k = 0; k < n; k++) {
        kiln_dtype w = dts[k];
        if (!weak[k]) continue;
        if (!strong) dt = k == 0 || dtype_promote(dt, w) == w ? w : dt;
        else if ((w == KILN_F64 && (dtype_is_int(dt) || dt == KILN_BOOL)) || (dtype_is_int(w) && dt == KILN_BOOL)) dt = w;
    }
    return dt;
}

/* ------------------------------------------------------------------ r_, c_, mgrid, ogrid */

/* One item of r_[...], c_[...], mgrid[...] or ogrid[...]: a slice whose parts are numbers (a step
 * of Nj: N points, the stop included), or a value. */
typedef struct trick_item {
    size_t off;
    bool slice, imag, flt; /* flt: a part is a float */
    bool has[3];
    double f[3];
    int64_t i[3];
    kval v; /* not a slice: the value */
} trick_item;

static bool trick_part(parser *p, const char *fn, kval *v, trick_item *it, int k) {
    kiln_dtype dt = KILN_I64;
    bool ok = fe_arg_number(p, v, fn, "slice", &it->f[k], &it->i[k], &dt);
    kval_free(p->ctx, v);
    if (!ok) return false;
    it->has[k] = true;
    if (dt == KILN_F64 || dt == KILN_F32) it->flt = true;
    else it->f[k] = (double)it->i[k];
    return true;
}

static bool trick_item_read(parser *p, const char *fn, trick_item *it) {
    memset(it, 0, sizeof *it);
    it->off = p->tok.off;
    for (int k = 0;; k++) {
        if (k == 3) return fe_err(p, p->tok.off, KILN_ERR_SYNTAX, "a slice has at most two ':'");
        if (!is_op(p, ":") && !is_op(p, ",") && !is_op(p, "]")) {
            kval v = {0};
            bool unit = p->imag_unit, saw = p->saw_imag;
            p->imag_unit = k == 2, p->saw_imag = false; /* (the step: 5j, -3j, n*1j count points) */
            bool ok = p_test(p, &v);
            bool imag = v.imag, lost = p->saw_imag && !imag; /* (5j > 4j, (3, 5j)[0], 5j and 3: not arithmetic) */
            p->imag_unit = unit, p->saw_imag = saw;
            v.imag = false;
            if (!ok) return false;
            if (lost) {
                kval_free(p->ctx, &v);
                return fe_err(p, it->off, KILN_ERR_SYNTAX, "complex numbers are not supported (a step such as 5j or n*1j is all imaginary)");
            }
            if (k == 0 && !is_op(p, ":")) { /* a value */
                it->v = v;
                return true;
            }
            if (!trick_part(p, fn, &v, it, k)) return false;
            if (imag) {
                it->imag = true;
                it->f[2] = fabs(it->f[2]);
                if (!(it->f[2] < 1e15)) return fe_err(p, it->off, KILN_ERR_ARG, "%s[...]: %g points is too many", fn, it->f[2]);
            }
        } else if (k == 0 && !is_op(p, ":")) {
            return fe_err(p, p->tok.off, KILN_ERR_SYNTAX, "expected a value or a slice in %s[...]", fn);
        }
        if (!is_op(p, ":")) break;
        it->slice = true;
        advance(p);
    }
    if (it->slice && !it->has[1] && (it->imag || !strcmp(fn, "mgrid") || !strcmp(fn, "ogrid")))
        return fe_err(p, it->off, KILN_ERR_ARG, "%s[...]: this slice needs its stop (0:5)", fn);
    if (it->slice && !it->has[1]) { /* NumPy's arange(start, None, step): start is the stop */
        it->has[1] = true, it->f[1] = it->f[0], it->i[1] = it->i[0];
        it->has[0] = true, it->f[0] = 0, it->i[0] = 0;
    }
    if (it->has[2] && !it->imag && it->f[2] == 0) return fe_err(p, it->off, KILN_ERR_ARG, "%s[...]: slice step cannot be zero", fn);
    return true;
}

/* A number of a slice as a Python number's value. */
static bool trick_number(parser *p, const trick_item *it, int k, kval *out) {
    kiln_expr *e = !it->has[k] ? kiln_int(p->ctx, k == 2) : it->flt ? kiln_scalar(p->ctx, it->f[k]) : kiln_int(p->ctx, it->i[k]);
    return fe_set_expr(p, out, e, it->off);
}

/* A slice of r_ or c_, or mgrid's one slice: arange(start, stop, step), or for a step of Nj
 * linspace(start, stop, N) (mgrid's: start + i * (stop - start) / (N - 1)). */
static bool trick_range(parser *p, const trick_item *it, bool grid, kval *out) {
    kval pos[3] = {{0}};
    if (!trick_number(p, it, 0, &pos[0]) || !trick_number(p, it, 1, &pos[1])) {
        kval_free(p->ctx, &pos[0]);
        return false;
    }
    if (!it->imag) return trick_number(p, it, 2, &pos[2]) ? fe_call(p, "arange", it->off, NULL, pos, 3, NULL, 0, out) : (kval_free(p->ctx, &pos[0]), kval_free(p->ctx, &pos[1]), false);
    int64_t num = (int64_t)it->f[2];
    if (!grid) {
        fe_kwarg kw = {.off = it->off};
        snprintf(kw.name, sizeof kw.name, "num");
        return fe_set_expr(p, &kw.v, kiln_int(p->ctx, num), it->off) ? fe_call(p, "linspace", it->off, NULL, pos, 2, &kw, 1, out)
                                                                      : (kval_free(p->ctx, &pos[0]), kval_free(p->ctx, &pos[1]), false);
    }
    kval_free(p->ctx, &pos[0]);
    kval_free(p->ctx, &pos[1]);
    kiln_array *r = kiln_array_new(p->ctx, KILN_F64, 1, &num);
    if (!fe_got(p, r, it->off)) return false;
    double step = num != 1 ? (it->f[1] - it->f[0]) / (double)(num - 1) : 1;
    for (int64_t k = 0; k < num; k++) ((double *)r->data)[k] = (double)k * step + it->f[0];
    kiln_expr *e = kiln_var(p->ctx, r);
    kiln_array_free(r);
    return fe_set_expr(p, out, e, it->off);
}

/* mgrid[s0, s1, ...] (an array: each slice's coordinates over the grid, stacked) and ogrid[...]
 * (a tuple: each slice's coordinates along its own axis), in int64 when every part is an int. */
static bool trick_grid(parser *p, const char *fn, trick_item *its, int n, size_t off, kval *out) {
    int64_t size[KILN_MAX_DIMS + 1];
    bool flt = false;
    if (n > KILN_MAX_DIMS) return fe_err(p, off, KILN_ERR_SHAPE, "%s[...]: more than %d slices", fn, KILN_MAX_DIMS);
    for (int k = 0; k < n; k++) {
        trick_item *it = &its[k];
        if (!it->slice) return fe_err(p, it->off, KILN_ERR_ARG, "%s[...] takes slices (0:5, 0:1:0.25, 0:1:5j)", fn);
        flt |= it->flt || it->imag;
        double len = it->imag ? floor(it->f[2]) : ceil((it->f[1] - it->f[0]) / (it->has[2] ? it->f[2] : 1));
        if (fn[0] == 'o' && len < 0) len = 0; /* (ogrid's arange(-1): empty; mgrid's indices refuse it) */
        if (!(len >= 0) || len > 1e15) return fe_err(p, it->off, KILN_ERR_ARG, "%s[...]: negative dimensions are not allowed", fn);
        size[k + 1] = (int64_t)len;
    }
    bool sparse = fn[0] == 'o';
    kval *items = sparse ? kiln_calloc(p->ctx, (size_t)n * sizeof *items) : NULL;
    if (sparse && !items) return fe_got(p, NULL, off);
    size[0] = n;
    kiln_array *dense = sparse ? NULL : kiln_array_new(p->ctx, flt ? KILN_F64 : KILN_I64, n + 1, size);
    if (!sparse && !fe_got(p, dense, off)) return false;
    int64_t cells = 1, inner = 1;
    for (int k = 1; k <= n; k++) cells *= size[k];
    for (int k = n - 1; k >= 0; k--) { /* (inner: the cells of the axes after k) */
        trick_item *it = &its[k];
        int64_t start = it->has[0] ? it->i[0] : 0, step = it->has[2] ? it->i[2] : 1, len = size[k + 1];
        double fstep = it->imag ? (len != 1 ? (it->f[1] - it->f[0]) / (double)(len - 1) : 1) : it->has[2] ? it->f[2] : 1;
        int64_t shape[KILN_MAX_DIMS];
        for (int d = 0; d < n; d++) shape[d] = d == k ? len : 1;
        kiln_array *r = sparse ? kiln_array_new(p->ctx, flt ? KILN_F64 : KILN_I64, n, shape) : dense;
        if (!fe_got(p, r, off)) {
            for (int j = k + 1; j < n; j++) kval_free(p->ctx, &items[j]);
            kiln_free(p->ctx, items);
            return false;
        }
        int64_t count = sparse ? len : cells, at = sparse ? 0 : k * cells;
        for (int64_t c = 0; c < count; c++) {
            int64_t idx = sparse ? c : (c / inner) % len;
            if (flt) ((double *)r->data)[at + c] = (double)idx * fstep + it->f[0];
            else ((int64_t *)r->data)[at + c] = idx * step + start;
        }
        inner *= len;
        if (sparse) {
            kiln_expr *e = kiln_var(p->ctx, r);
            kiln_array_free(r);
            if (!fe_set_expr(p, &items[k], e, off)) {
                for (int j = k + 1; j < n; j++) kval_free(p->ctx, &items[j]);
                kiln_free(p->ctx, items);
                return false;
            }
        }
    }
    if (!sparse) {
        kiln_expr *e = kiln_var(p->ctx, dense);
        kiln_array_free(dense);
        return fe_set_expr(p, out, e, off);
    }
    *out = (kval){.kind = KV_TUPLE, .off = off, .n = n, .items = items};
    return true;
}

/* r_[...] and c_[...]: the items (slices as ranges, numbers, arrays) as arrays of at least ndmin
 * dims (c_: a 1-D one as a column), in their result dtype (a Python number weak), joined along
 * axis; a first string '0,2,0' sets axis, ndmin and where a 1-D array's axis goes. */
static bool trick_concat(parser *p, const char *fn, trick_item *its, int n, size_t off, kval *out) {
    bool col = fn[0] == 'c';
    int64_t axis = col ? -1 : 0, ndmin = col ? 2 : 1, trans1d = col ? 0 : -1;
    int first = 0;
    if (n && !its[0].slice && its[0].v.kind == KV_STR) { /* a directive */
        char *s = its[0].v.s, *end = s;
        int64_t w[3];
        int nw = 0;
        while (nw < 3) {
            w[nw++] = strtoll(s, &end, 10);
            if (end == s || (*end && *end != ',')) break;
            if (!*end) break;
            s = end + 1;
        }
        if (end == its[0].v.s || *end || (end > its[0].v.s && end[-1] == ','))
            return fe_err(p, its[0].off, KILN_ERR_ARG, "%s[...]: unknown special directive '%s' (kiln takes 'axis', 'axis,ndmin' and 'axis,ndmin,trans1d')", fn, its[0].v.s);
        axis = w[0];
        if (nw > 1) ndmin = w[1];
        if (nw > 2) trans1d = w[2];
        if (ndmin < 1 || ndmin > KILN_MAX_DIMS) return fe_err(p, its[0].off, KILN_ERR_ARG, "%s[...]: ndmin %lld is out of range", fn, (long long)ndmin);
        first = 1;
    }
    kiln_expr *xs[2 * KILN_MAX_DIMS + 2] = {NULL};
    bool scalar[2 * KILN_MAX_DIMS + 2] = {false}, weak[2 * KILN_MAX_DIMS + 2] = {false}, ok = true;
    int m = 0;
    for (int k = first; k < n && ok; k++, m++) {
        trick_item *it = &its[k];
        kval r = {0};
        if (it->slice) ok = trick_range(p, it, false, &r) && (xs[m] = kiln_expr_retain(r.e));
        else if (it->v.kind == KV_STR) ok = fe_err(p, it->off, KILN_ERR_ARG, "%s[...]: special directives must be the first entry", fn);
        else ok = (xs[m] = fe_arg_expr(p, &it->v, fn, "item")) != NULL;
        kval_free(p->ctx, &r);
        if (!ok) break;
        scalar[m] = !it->slice && xs[m]->ndim == 0;
        weak[m] = scalar[m] && fe_is_py(&it->v);
        if (!it->slice && xs[m]->ndim < ndmin) { /* ndmin dims: ones first, then the item's axes moved to trans1d */
            int nd0 = xs[m]->ndim, k2 = (int)ndmin - nd0, k1 = (int)trans1d, axes[KILN_MAX_DIMS], na = 0;
            int64_t shape[KILN_MAX_DIMS];
            for (int d = 0; d < ndmin; d++) shape[d] = d < k2 ? 1 : xs[m]->shape[d - k2];
            kiln_expr *y = kiln_reshape(p->ctx, xs[m], (int)ndmin, shape);
            kiln_expr_free(xs[m]);
            xs[m] = y;
            if (k1 < 0) k1 += k2 + 1;
            if (y && trans1d != -1 && nd0 > 0 && k1 >= 0 && k1 <= k2) {
                for (int d = 0; d < k1; d++) axes[na++] = d;
                for (int d = k2; d < ndmin; d++) axes[na++] = d;
                for (int d = k1; d < k2; d++) axes[na++] = d;
                xs[m] = kiln_permute(p->ctx, y, axes);
                kiln_expr_free(y);
            }
            ok = fe_got(p, xs[m], it->off);
        } else if (it->slice && ndmin > 1) { /* (1, ..., n), its last axis swapped with trans1d */
            int64_t shape[KILN_MAX_DIMS];
            for (int d = 0; d < ndmin; d++) shape[d] = d < ndmin - 1 ? 1 : xs[m]->shape[0];
            kiln_expr *y = kiln_reshape(p->ctx, xs[m], (int)ndmin, shape);
            kiln_expr_free(xs[m]);
            xs[m] = y;
            int t = (int)(trans1d < 0 ? trans1d + ndmin : trans1d), axes[KILN_MAX_DIMS];
            if (y && t >= 0 && t < ndmin && t != ndmin - 1) {
                for (int d = 0; d < ndmin; d++) axes[d] = d;
                axes[t] = (int)ndmin - 1, axes[ndmin - 1] = t;
                xs[m] = kiln_permute(p->ctx, y, axes);
                kiln_expr_free(y);
            }
            ok = fe_got(p, xs[m], it->off);
        }
    }
    if (ok && m == 0) ok = fe_err(p, off, KILN_ERR_ARG, "%s[...]: need at least one array to concatenate", fn);
    kiln_dtype dts[2 * KILN_MAX_DIMS + 2] = {KILN_BOOL};
    for (int k = 0; ok && k < m; k++) dts[k] = (kiln_dtype)xs[k]->dtype;
    kiln_dtype dt = ok ? fe_result_dtype(m, dts, weak) : KILN_BOOL;
    for (int k = 0; ok && k < m; k++) /* (a Python int must fit the dtype, as NumPy's asarray checks) */
        if (weak[k] && its[first + k].v.kind == KV_ARRAY && !ir_weak_fits(&p->ctx->graph, its[first + k].v.e, dt)) ok = fe_got(p, NULL, its[first + k].off);
    for (int k = 0; ok && k < m; k++)
        if (xs[k]->dtype != dt) {
            kiln_expr *y = kiln_cast(p->ctx, xs[k], dt);
            kiln_expr_free(xs[k]);
            ok = fe_got(p, xs[k] = y, off);
        }
    int nd = ok ? xs[0]->ndim : 0;
    if (ok && (axis < -nd || axis >= nd)) ok = fe_err(p, off, KILN_ERR_ARG, "%s[...]: axis %lld is out of bounds for array of dimension %d", fn, (long long)axis, nd);
    kiln_expr *r = ok ? kiln_concatenate(p->ctx, m, xs, (int)(axis < 0 ? axis + nd : axis)) : NULL;
    for (int k = 0; k < m; k++) kiln_expr_free(xs[k]);
    return ok && fe_set_expr(p, out, r, off);
}

/* NAME[...] of np.r_, np.c_, np.mgrid and np.ogrid: their items read (slices with number parts,
 * an imaginary step a count), then joined or gridded. */
static bool p_index_trick(parser *p, const char *fn, size_t off, kval *out) {
    trick_item its[2 * KILN_MAX_DIMS + 2];
    int n = 0;
    bool ok = true, comma = false;
    advance(p); /* '[' */
    while (ok && !is_op(p, "]")) {
        if (n == (int)(sizeof its / sizeof *its)) {
            ok = fe_err(p, p->tok.off, KILN_ERR_INDEX, "%s[...]: too many items", fn);
            break;
        }
        ok = trick_item_read(p, fn, &its[n]);
        n++;
        if (!ok || !is_op(p, ",")) break;
        comma = true;
        advance(p);
    }
    if (ok && n == 0) ok = fe_err(p, p->tok.off, KILN_ERR_SYNTAX, "expected an item inside '[]'");
    if (ok) ok = expect(p, "]", "to close the subscript");
    if (ok && n == 1 && !comma && !its[0].slice && its[0].v.kind == KV_TUPLE) { /* r_[(1, 2)] is r_[1, 2]; r_[()] has no item */
        kval tup = its[0].v;
        if (tup.n > (int)(sizeof its / sizeof *its)) {
            kval_free(p->ctx, &its[0].v);
            return fe_err(p, off, KILN_ERR_INDEX, "%s[...]: too many items", fn);
        }
        n = tup.n;
        for (int k = 0; k < n; k++) its[k] = (trick_item){.off = tup.items[k].off, .v = tup.items[k]};
        kiln_free(p->ctx, tup.items);
        kiln_expr_free(tup.e);
    }
    if (ok && fn[1] == '_') ok = trick_concat(p, fn, its, n, off, out);
    else if (ok && n == 1 && !comma && its[0].slice) ok = trick_range(p, &its[0], true, out); /* mgrid[0:5]: one range */
    else if (ok) ok = trick_grid(p, fn, its, n, off, out);
    for (int k = 0; k < n; k++) kval_free(p->ctx, &its[k].v);
    return ok;
}

/* [element for target in iterable (for ... | if condition)*] (and in parentheses, a generator
 * expression, here a list), as Python's: the first iterable computed now; the clauses nest
 * left to right, each condition and later iterable read again from its text for each item of
 * the clauses before it, and the element where every condition holds.  The names are the
 * comprehension's own (not the scope's). */
static bool p_comprehension(parser *p, const char *close, bool consume, size_t off, kval *out) {
    static const char *const to_for[] = {"for", NULL}, *const to_clause[] = {"if", "for", NULL};
    comp m = {.p = p, .close = close, .elem_lx = p->lx, .elem_tok = p->tok, .out = out};
    cclause c[COMP_CLAUSES];
    char b[48];
    kval it = {0};
    skip_to(p, to_for, false);
    while (!p->failed && (is_name(p, "for") || is_name(p, "if"))) {
        if (m.n == COMP_CLAUSES) {
            kval_free(p->ctx, &it);
            return fe_err(p, p->tok.off, KILN_ERR_SYNTAX, "more than %d 'for' and 'if' clauses in one comprehension", COMP_CLAUSES);
        }
        cclause *k = &c[m.n++];
        memset(k, 0, sizeof *k);
        k->is_for = is_name(p, "for");
        advance(p);
        if (k->is_for) {
            if ((k->root = p_target_list(p, &k->T, true)) < 0) break;
            if (!is_name(p, "in")) {
                fe_err(p, p->tok.off, KILN_ERR_SYNTAX, "expected 'in' after the names of a comprehension, found %s", tok_str(p, b, sizeof b));
                break;
            }
            advance(p);
        }
        k->off = p->tok.off, k->lx = p->lx, k->tok = p->tok;
        if (m.n == 1 && !p_logic(p, &it, true)) break; /* the first iterable, now */
        if (m.n > 1) skip_to(p, to_clause, false);
    }
    bool ok = !p->failed;
    if (ok && (consume ? !expect(p, close, "to close the comprehension") : !is_op(p, close) && (expect(p, close, "to close the comprehension"), true)))
        ok = false;
    lexer end_lx = p->lx;
    token end_tok = p->tok;
    kval *items = NULL;
    int n = 0;
    ok = ok && fe_items(p, &it, &items, &n);
    kval_free(p->ctx, &it);
    if (!ok) return false;
    p->env->volatile_ = true;
    simple(out, KV_LIST, off);
    fe_frame fr = {.n = 0, .outer = p->frame};
    p->frame = &fr;
    m.c = c;
    ok = comp_loop(&m, 0, items, n);
    frame_pop(p, &fr, 0);
    p->frame = fr.outer;
    for (int i = 0; i < n; i++) kval_free(p->ctx, &items[i]);
    kiln_free(p->ctx, items);
    if (!ok) {
        kval_free(p->ctx, out);
        return false;
    }
    p->lx = end_lx, p->tok = end_tok;
    return true;
}

bool fe_str_chars(kiln_ctx *ctx, const char *s, kval *out) {
    size_t len = strlen(s);
    kval *items = len ? kiln_calloc(ctx, len * sizeof *items) : NULL;
    bool ok = !len || items;
    int n = 0;
    for (size_t i = 0; i < len && ok; n++) {
        size_t k = 1;
        while (((unsigned char)s[i + k] & 0xC0) == 0x80) k++;
        char *ch = kiln_calloc(ctx, k + 1);
        if (!(ok = ch != NULL)) break;
        memcpy(ch, s + i, k);
        items[n] = (kval){.kind = KV_STR, .s = ch};
        i += k;
    }
    *out = (kval){.kind = KV_LIST, .n = n, .items = items};
    return ok;
}

bool fe_items(parser *p, const kval *v, kval **items, int *n) {
    *items = NULL;
    *n = 0;
    int64_t count = is_seq(v) ? v->n : v->kind == KV_STR ? (int64_t)strlen(v->s) : v->kind == KV_ARRAY && v->e->ndim > 0 ? v->e->shape[0] : -1;
    if (count < 0) {
        if (v->kind == KV_ARRAY && !fe_is_py(v)) return fe_err(p, v->off, KILN_ERR_ARG, "iteration over a 0-d array");
        return fe_err(p, v->off, KILN_ERR_ARG, "'%s' object is not iterable", py_type(v));
    }
    if (count > FE_MAX_ITEMS) return fe_err(p, v->off, KILN_ERR_ARG, "more than %d items to iterate over", FE_MAX_ITEMS);
    if (v->kind == KV_STR) {
        kval chars;
        bool ok = fe_str_chars(p->ctx, v->s, &chars);
        for (int i = 0; i < chars.n; i++) chars.items[i].off = v->off;
        if (!ok) kval_free(p->ctx, &chars);
        *items = ok ? chars.items : NULL;
        *n = ok ? chars.n : 0;
        return ok || fe_got(p, NULL, v->off);
    }
    kval *it = count ? kiln_calloc(p->ctx, (size_t)count * sizeof *it) : NULL;
    if (count && !fe_got(p, it, v->off)) return false;
    bool ok = true;
    int k = 0;
    kiln_array *vals = NULL; /* a 1-D array's items are NumPy scalars: copies of its values, read now */
    if (v->kind == KV_ARRAY && v->e->ndim == 1 && count) {
        p->env->volatile_ = true;
        ok = (vals = kiln_eval(p->ctx, v->e)) != NULL || fe_got(p, NULL, v->off);
    }
    for (int64_t i = 0; ok && i < count; i++, k++) {
        if (is_seq(v)) {
            ok = fe_kval_copy(p->ctx, &it[k], &v->items[i]) || fe_got(p, NULL, v->off);
        } else if (vals) {
            kiln_dtype dt = kiln_array_dtype(vals);
            kscalar x = ref_load((const char *)kiln_array_data(vals) + i * kiln_array_strides(vals)[0], dt);
            ok = fe_set_expr(p, &it[k], ir_const(&p->ctx->graph, dt, x, false), v->off);
        } else { /* rows: views, as NumPy's */
            kiln_ix ix = {.kind = KILN_IX_INDEX, .index = i};
            ok = fe_set_expr(p, &it[k], kiln_index(p->ctx, v->e, 1, &ix), v->off);
            it[k].alias = ok && v->alias;
            fe_view_readonly(&it[k], v);
        }
    }
    kiln_array_free(vals);
    if (!ok) {
        for (int i = 0; i < k; i++) kval_free(p->ctx, &it[i]);
        kiln_free(p->ctx, it);
        return false;
    }
    *items = it;
    *n = k;
    return true;
}

static bool p_atom(parser *p, kval *out) {
    token t = p->tok;
    char b[64];
    if (p->failed) return false;
    switch (t.kind) {
    case TK_INT:
        if (t.ival == INT64_MIN) return fe_err(p, t.off, KILN_ERR_SYNTAX, "integer literal is too large for int64"); /* (but -9223372036854775808: p_factor's) */
        advance(p);
        return fe_set_expr(p, out, kiln_int(p->ctx, t.ival), t.off);
    case TK_FLOAT: advance(p); return fe_set_expr(p, out, kiln_scalar(p->ctx, t.fval), t.off);
    case TK_IMAG:
        if (!p->imag_unit) return fe_err(p, t.off + t.len - 1, KILN_ERR_SYNTAX, "complex numbers are not supported");
        p->saw_imag = true;
        advance(p);
        return fe_set_expr(p, out, kiln_scalar(p->ctx, t.fval), t.off) && (out->imag = true);
    case TK_STRING: {
        kstr s = {0};
        return string_pieces(p, &s) ? str_result(p, &s, t.off, out) : (kstr_free(&s), false);
    }
    case TK_NAME: {
        char name[128];
        if (string_prefix(p)) { /* f"...", r"...": a piece of a string, and those beside it */
            kstr s = {0};
            return string_pieces(p, &s) ? str_result(p, &s, t.off, out) : (kstr_free(&s), false);
        }
        advance(p);
        bool np; /* np.NAME is NumPy's NAME, whatever the program calls NAME (mean = x.mean(0); np.mean(y)) */
        if (!read_name(p, t, name, sizeof name, &np) || p->failed) return false;
        if (!strcmp(name, "True") || !strcmp(name, "False")) return fe_set_expr(p, out, kiln_bool(p->ctx, name[0] == 'T'), t.off);
        if (!strcmp(name, "None")) {
            simple(out, KV_NONE, t.off);
            return true;
        }
        if (lex_is_keyword(name, strlen(name))) { /* (lambda x: ..., await f(), yield v; else, in... cannot begin a value) */
            char word[sizeof name + 3]; /* (a keyword: short) */
            snprintf(word, sizeof word, " %s ", name);
            bool python = strstr(" lambda def import yield await async nonlocal global raise class with try return from del assert ", word);
            return fe_err(p, t.off, KILN_ERR_SYNTAX, python ? "'%s' is not part of kiln's language here" : "invalid syntax: '%s' cannot begin a value", name);
        }
        if (is_op(p, ":") && p->tok.off + 1 < p->lx.len && p->lx.src[p->tok.off + 1] == '=')
            return fe_err(p, p->tok.off, KILN_ERR_SYNTAX, "assignment expressions (%s := ...) are not part of kiln's language: assign first, name = ...", name);
        for (const fe_frame *fr = np ? NULL : p->frame; fr; fr = fr->outer)
            for (int i = fr->n - 1; i >= 0; i--)
                if (!strcmp(fr->local[i].name, name)) { /* a comprehension's variable */
                    if (is_op(p, "(")) return fe_err(p, t.off, KILN_ERR_ARG, "'%s' is %s, not a function", name, kind_name(&fr->local[i].v));
                    p->env->volatile_ = true;
                    if (!fe_kval_copy(p->ctx, out, &fr->local[i].v)) return fe_got(p, NULL, t.off);
                    out->off = t.off;
                    return true;
                }
        kiln_array *a = np ? NULL : kiln_scope_get(p->env->scope, name);
        const kval *bound = np ? NULL : fe_scope_value(p->env->scope, name);
        if (is_op(p, "(")) {
            if (a && fe_scope_py(p->env->scope, name))
                return fe_err(p, t.off, KILN_ERR_ARG, "'%s' object is not callable ('%s' is a number here)", fe_py_number_type((kiln_dtype)a->dtype), name);
            if (a || bound) return fe_err(p, t.off, KILN_ERR_ARG, "'%s' is %s, not a function", name, a ? "an array" : kind_name(bound));
            fe_note_free(p, name);
            return p_call(p, np ? name : fe_py_builtin(p->env->scope, name), t.off, NULL, out);
        }
        if (a) return scope_value(p, name, a, t.off, out);
        if (bound) { /* a tuple, list, string...: its value now (a statement reading it is rebuilt each run) */
            if (!bound->fixed) p->env->volatile_ = true;
            if (is_op(p, "[") && (bound->kind == KV_LIST || bound->kind == KV_TUPLE || bound->kind == KV_STR)) {
                kval in_place = *bound; /* xs[i]: the item read where it is, not a copy of the whole list first */
                in_place.off = t.off;
                if (!p_subscript_of(p, &in_place, true, out)) return false;
                held(out);
                return true;
            }
            if (!fe_kval_copy(p->ctx, out, bound)) return fe_got(p, NULL, t.off);
            held(out);
            out->off = t.off;
            out->fixed = false; /* (the binding's, not a copy's) */
            return true;
        }
        if (is_op(p, "[") && (!strcmp(name, "r_") || !strcmp(name, "c_") || !strcmp(name, "mgrid") || !strcmp(name, "ogrid")))
            return p_index_trick(p, name, t.off, out);
        if (fe_builtin_value(p, name, t.off, out)) return true;
        if (fe_is_function(name)) return fe_err(p, t.off, KILN_ERR_NAME, "'%s' is a function: call it, as in %s(x)", name, name);
        return fe_err(p, t.off, KILN_ERR_NAME, "name '%s' is not defined", name);
    }
    case TK_OP:
        if (is_op(p, "...")) {
            advance(p);
            simple(out, KV_ELLIPSIS, t.off);
            return true;
        }
        if (is_op(p, "(")) {
            advance(p);
            if (is_op(p, ")")) { /* () */
                advance(p);
                simple(out, KV_TUPLE, t.off);
                return true;
            }
            if (comprehension_ahead(p)) return p_comprehension(p, ")", true, t.off, out) && (out->gen = true); /* a generator, here a list */
            if (!p_tuple_or_test(p, ")", out)) return false;
            if (!expect(p, ")", "to close the parenthesis")) {
                kval_free(p->ctx, out);
                return false;
            }
            if (out->kind == KV_TUPLE) out->off = t.off;
            return true;
        }
        if (is_op(p, "[")) {
            advance(p);
            if (comprehension_ahead(p)) return p_comprehension(p, "]", true, t.off, out);
            simple(out, KV_LIST, t.off);
            while (!is_op(p, "]")) {
                if (!p_display_item(p, out)) return false;
                if (!is_op(p, ",")) break;
                advance(p);
            }
            if (!expect(p, "]", "to close the list")) {
                kval_free(p->ctx, out);
                return false;
            }
            return true;
        }
        break;
    case TK_END:
    case TK_ERROR: break;
    }
    return fe_err(p, t.off, KILN_ERR_SYNTAX, "expected an expression, found %s", tok_str(p, b, sizeof b));
}

/* postfix = atom (call | subscript | "." NAME)* */
static bool p_postfix(parser *p, kval *out) {
    if (!enter(p)) return false;
    kval v = {0};
    bool ok = p_atom(p, &v);
    while (ok && !p->failed) {
        if (is_op(p, "[")) {
            kval r = {0};
            ok = p_subscript(p, &v, &r);
            kval_free(p->ctx, &v);
            if (ok) v = r;
            continue;
        }
        if (!is_op(p, ".")) break;
        advance(p);
        char name[64];
        size_t off = p->tok.off;
        if (p->tok.kind != TK_NAME || !lex_text(&p->lx, &p->tok, name, sizeof name)) {
            char b[48];
            ok = fe_err(p, p->tok.off, KILN_ERR_SYNTAX, "expected an attribute name after '.', found %s", tok_str(p, b, sizeof b));
            break;
        }
        advance(p);
        kval r = {0};
        if (is_op(p, "(")) {
            ok = p_call(p, name, off, &v, &r); /* takes v over */
            memset(&v, 0, sizeof v);
        } else {
            ok = fe_attribute(p, &v, name, off, &r);
            kval_free(p->ctx, &v);
        }
        if (ok) v = r;
        else kval_free(p->ctx, &r); /* (what a failing call left) */
    }
    leave(p);
    if (!ok || p->failed) {
        kval_free(p->ctx, &v);
        return false;
    }
    *out = v;
    return true;
}

/* Applies a binary op to two values (arrays, numbers or lists); both are released. */
/* "fmt" % args: printf-style formatting, as Python's str % does. */
static bool percent_format(parser *p, const char *fmt, const kval *args, size_t off, kstr *out) {
    const kval *items = args->kind == KV_TUPLE ? args->items : args;
    int n = args->kind == KV_TUPLE ? args->n : 1, used = 0;
    for (const char *c = fmt; *c; c++) {
        if (*c != '%') {
            kstr_printf(out, "%c", *c);
            continue;
        }
        c++;
        if (*c == '%') {
            kstr_printf(out, "%%");
            continue;
        }
        char spec[64] = "", align = 0, sign = 0;
        bool zero = false, alt = false;
        for (; *c && strchr("-+ 0#", *c); c++) {
            if (*c == '-') align = '<';
            else if (*c == '+' || *c == ' ') sign = sign == '+' ? '+' : *c;
            else if (*c == '0') zero = true;
            else alt = true;
        }
        char width[16] = "", prec[16] = "";
        for (int k = 0; *c >= '0' && *c <= '9' && k < 8; c++) width[k++] = *c;
        if (*c == '.') {
            prec[0] = '.';
            c++;
            for (int k = 1; *c >= '0' && *c <= '9' && k < 8; c++) prec[k++] = *c;
        }
        char t = *c;
        if (!t || !strchr("diouxXeEfFgGrsac", t)) return fe_err(p, off, KILN_ERR_ARG, "unsupported format character '%c'", t ? t : '?');
        if (used >= n) return fe_err(p, off, KILN_ERR_ARG, "not enough arguments for format string");
        const kval *v = &items[used++];
        kval ch = {0}; /* %c: chr(v) of an integer, or v, a one-character str, shown as %s shows it */
        if (t == 'c') {
            size_t chars = 0;
            for (const char *q = v->kind == KV_STR ? v->s : ""; *q; q++) chars += ((unsigned char)*q & 0xC0) != 0x80;
            if (v->kind == KV_STR && chars != 1)
                return fe_err(p, v->off, KILN_ERR_ARG, "%%c requires an int or a unicode character, not a string of length %zu", chars);
            if (v->kind != KV_STR && (v->kind != KV_ARRAY || v->e->ndim != 0 || !(dtype_is_int((kiln_dtype)v->e->dtype) || v->e->dtype == KILN_BOOL)))
                return fe_err(p, v->off, KILN_ERR_ARG, "%%c requires an int or a unicode character, not %s",
                              v->kind == KV_ARRAY && v->e->ndim == 0 ? "a float" : kind_name(v));
            kval arg = {0};
            kscalar code;
            kiln_dtype cdt;
            prec[0] = 0; /* (Python's %c takes no precision) */
            if (v->kind == KV_STR) {
                if (!fe_kval_copy(p->ctx, &ch, v)) return fe_got(p, NULL, v->off);
            } else if (!eval_one(p, v, &code, &cdt) ||
                       (cdt != KILN_BOOL && (kscalar_int(cdt, code) < 0 || kscalar_int(cdt, code) > 0x10FFFF) &&
                        !fe_err(p, v->off, KILN_ERR_ARG, "%%c arg not in range(0x110000)")) ||
                       !fe_set_expr(p, &arg, kiln_int(p->ctx, cdt == KILN_BOOL ? code.b : kscalar_int(cdt, code)), v->off) ||
                       !fe_call(p, "chr", v->off, NULL, &arg, 1, NULL, 0, &ch)) { /* (True is 1, as Python's) */
                return false;
            }
            v = &ch;
            t = 's';
        }
        bool text = t == 's' || t == 'r' || t == 'a'; /* (printf's %7s is right-aligned, format()'s {:7} left) */
        snprintf(spec, sizeof spec, "%s%s%s%s%s%s%s", align ? "<" : text ? ">" : "", text ? "" : sign == '+' ? "+" : sign == ' ' ? " " : "", alt && !text ? "#" : "", /* (%s and %r ignore + and #) */
                 zero && !align ? "0" : "", width, prec, t == 'i' || t == 'u' ? "d" : text ? "" : (char[]){t, 0});
        if (text) {
            kstr txt = {0};
            bool ok = fe_text(p->ctx, fe_scope_printopts(p->env->scope), v, t == 's', &txt);
            if (ok && t == 'a') ascii_of(&txt);
            ok = ok && fe_format_spec_str(txt.s ? txt.s : "", spec, out);
            kstr_free(&txt);
            kval_free(p->ctx, &ch);
            if (!ok) return fe_got(p, NULL, off) && false;
            continue;
        }
        kscalar x;
        kiln_dtype dt;
        if (v->kind != KV_ARRAY || v->e->ndim != 0) return fe_err(p, v->off, KILN_ERR_ARG, "%%%c format: a number is required, not %s", t, kind_name(v));
        if (!eval_one(p, v, &x, &dt)) return false;
        if (dtype_is_int(dt)) x = (kscalar){.i64 = kscalar_int(dt, x)}, dt = KILN_I64;
        if (strchr("oxX", t) && (dt == KILN_F32 || dt == KILN_F64)) return fe_err(p, v->off, KILN_ERR_ARG, "%%%c format: an integer is required, not float", t);
        if (strchr("diu", t) && (dt == KILN_F32 || dt == KILN_F64)) { /* %d of a float truncates */
            double f = dt == KILN_F32 ? (double)x.f32 : x.f64;
            if (f != f) return fe_err(p, v->off, KILN_ERR_ARG, "cannot convert float NaN to integer");
            if (f == INFINITY || f == -INFINITY) return fe_err(p, v->off, KILN_ERR_ARG, "cannot convert float infinity to integer");
            if (!fe_float_fits(f, KILN_I64))
                return fe_err(p, v->off, KILN_ERR_ARG, "%%%c format: %g is too large for kiln's 64-bit integers", t, f);
            x = (kscalar){.i64 = (int64_t)f};
            dt = KILN_I64;
        }
        bool digits = prec[0] && strchr("diuoxX", t); /* %5.3d: at least 3 digits, as C's printf */
        if (digits) { /* formatted without width and precision, then zeros after the sign and prefix */
            kstr num = {0};
            char bare[8];
            snprintf(bare, sizeof bare, "%s%s%c", sign == '+' ? "+" : sign == ' ' ? " " : "", alt ? "#" : "", t == 'i' || t == 'u' ? 'd' : t);
            bool ok = fe_format_spec_num(x, dt, bare, &num);
            size_t lead = ok ? strspn(num.s, "+- ") : 0;
            if (ok && alt && (t == 'x' || t == 'X' || t == 'o')) lead += 2;
            int want = atoi(prec + 1), have = ok ? (int)(num.len - lead) : 0;
            if (zero && !align && width[0] && atoi(width) - (int)lead > want) want = atoi(width) - (int)lead; /* %06.3d: zeros to the width */
            kstr body = {0};
            if (ok) kstr_printf(&body, "%.*s", (int)lead, num.s);
            for (int k = have; ok && k < want; k++) kstr_printf(&body, "0");
            if (ok) kstr_puts(&body, num.s + lead);
            snprintf(spec, sizeof spec, "%s%s", align ? "<" : ">", width);
            ok = ok && fe_format_spec_str(body.s ? body.s : "", spec, out);
            kstr_free(&num);
            kstr_free(&body);
            if (!ok) return fe_err(p, off, KILN_ERR_ARG, "bad format '%%%c'", t);
            continue;
        }
        if (!fe_format_spec_num(x, dt, spec, out)) return fe_err(p, off, KILN_ERR_ARG, "bad format '%%%c'", t);
    }
    if (used < n) return fe_err(p, off, KILN_ERR_ARG, "not all arguments converted during string formatting");
    return true;
}

/* *out = the string l + r. */
static bool concat(parser *p, const char *l, const char *r, size_t off, kval *out) {
    size_t ln = strlen(l), rn = strlen(r);
    if (ln + rn > FE_MAX_STRING) {
        memset(out, 0, sizeof *out);
        return fe_err(p, off, KILN_ERR_ARG, "the string would have %zu characters: kiln's strings stop at %d", ln + rn, FE_MAX_STRING);
    }
    simple(out, KV_STR, off);
    if ((out->s = kiln_malloc(p->ctx, ln + rn + 1))) {
        memcpy(out->s, l, ln);
        memcpy(out->s + ln, r, rn + 1);
    }
    return fe_got(p, out->s, off);
}

/* Strings: s + t, s * n, s % args. */
static bool string_binary(parser *p, kiln_op op, kval *l, kval *r, size_t off, kval *out) {
    kstr b = {0};
    bool ok = true;
    if (op == KILN_OP_ADD && l->kind == KV_STR && r->kind == KV_STR) {
        kval v;
        ok = concat(p, l->s, r->s, off, &v);
        kval_free(p->ctx, l);
        kval_free(p->ctx, r);
        *out = v;
        return ok;
    } else if (op == KILN_OP_MUL && (l->kind == KV_STR) != (r->kind == KV_STR)) {
        const kval *s = l->kind == KV_STR ? l : r, *k = l->kind == KV_STR ? r : l;
        int64_t times;
        size_t len = strlen(s->s);
        ok = fe_arg_int(p, k, "*", "repeat count", &times);
        if (ok && times > 0 && len > 0 && (uint64_t)times > FE_MAX_STRING / len)
            ok = fe_err(p, off, KILN_ERR_ARG, "the string would have %llu characters: kiln's strings stop at %d",
                        (unsigned long long)times * (unsigned long long)len, FE_MAX_STRING);
        if (ok && len > 0 && times > 0) { /* (doubling what is there: log(times) copies) */
            kstr_putn(&b, s->s, len);
            while (!b.oom && b.len < (size_t)times * len) kstr_putn(&b, b.s, b.len <= (size_t)times * len - b.len ? b.len : (size_t)times * len - b.len);
        }
    } else if (op == KILN_OP_MOD && l->kind == KV_STR) {
        p->env->volatile_ = true;
        ok = percent_format(p, l->s, r, off, &b);
    } else if ((op == KILN_OP_LT || op == KILN_OP_LE || op == KILN_OP_GT || op == KILN_OP_GE) && l->kind == KV_STR && r->kind == KV_STR) {
        int c = strcmp(l->s, r->s); /* (UTF-8's byte order is the code points', Python's order) */
        bool res = op == KILN_OP_LT ? c < 0 : op == KILN_OP_LE ? c <= 0 : op == KILN_OP_GT ? c > 0 : c >= 0;
        kval_free(p->ctx, l);
        kval_free(p->ctx, r);
        return fe_set_expr(p, out, kiln_bool(p->ctx, res), off);
    } else if (op == KILN_OP_LT || op == KILN_OP_LE || op == KILN_OP_GT || op == KILN_OP_GE) {
        ok = fe_err(p, off, KILN_ERR_ARG, "'%s' not supported between instances of '%s' and '%s'", kiln_op_symbol(op), py_type(l), py_type(r));
    } else {
        ok = fe_err(p, off, KILN_ERR_ARG, "unsupported operand types for %s: %s and %s", kiln_op_symbol(op), kind_name(l), kind_name(r));
    }
    kval_free(p->ctx, l);
    kval_free(p->ctx, r);
    if (ok) return str_result(p, &b, off, out);
    memset(out, 0, sizeof *out);
    kstr_free(&b);
    return false;
}

/* x / y (y not 0) rounded once to the nearest float64, ties to even, as Python divides ints: the
 * quotient scaled to 55 bits or more in 128-bit integers, its remainder kept as a sticky bit. */
static double exact_quotient(int64_t x, int64_t y) {
    bool neg = (x < 0) != (y < 0);
    unsigned __int128 a = x < 0 ? (unsigned __int128)0 - (unsigned __int128)(__int128)x : (unsigned __int128)x;
    unsigned __int128 b = y < 0 ? (unsigned __int128)0 - (unsigned __int128)(__int128)y : (unsigned __int128)y;
    if (!a) return neg ? -0.0 : 0.0;
    int shift = 55 + (64 - __builtin_clzll((uint64_t)b)) - (64 - __builtin_clzll((uint64_t)a)) + 1;
    if (shift < 0) shift = 0;
    unsigned __int128 q = (a << shift) / b, r = (a << shift) % b;
    double d = ldexp((double)(q | (r != 0)), -shift);
    return neg ? -d : d;
}

/* Python's arithmetic on two Python numbers where it differs from NumPy's: True + True is 2,
 * division by zero is an error, integers do not wrap (kiln's are 64-bit: an error instead). */
static bool py_binary(parser *p, kiln_op op, kval *l, kval *r, size_t off) {
    kiln_expr *a = l->e, *b = r->e;
    bool arith = op == KILN_OP_ADD || op == KILN_OP_SUB || op == KILN_OP_MUL || op == KILN_OP_DIV || op == KILN_OP_FLOORDIV ||
                 op == KILN_OP_MOD || op == KILN_OP_POW || op == KILN_OP_LSHIFT || op == KILN_OP_RSHIFT;
    if (!arith) return true;
    for (int k = 0; k < 2; k++) { /* bools are ints in Python's arithmetic */
        kval *v = k ? r : l, ni = {0};
        if (v->e->dtype != KILN_BOOL) continue;
        if (!fe_set_expr(p, &ni, kiln_int(p->ctx, v->e->val.b), v->off)) return false;
        kval_free(p->ctx, v);
        *v = ni;
    }
    a = l->e;
    b = r->e;
    bool zero = b->dtype == KILN_I64 ? b->val.i64 == 0 : b->val.f64 == 0;
    if (zero && (op == KILN_OP_DIV || op == KILN_OP_FLOORDIV || op == KILN_OP_MOD))
        return fe_err(p, off, KILN_ERR_ARG, op == KILN_OP_DIV ? "division by zero" : a->dtype == KILN_I64 && b->dtype == KILN_I64 ? "integer division or modulo by zero" : op == KILN_OP_MOD ? "float modulo" : "float floor division by zero");
    bool base_zero = a->dtype == KILN_I64 ? a->val.i64 == 0 : a->val.f64 == 0;
    if (op == KILN_OP_POW && base_zero && (b->dtype == KILN_I64 ? b->val.i64 < 0 : b->val.f64 < 0 && isfinite(b->val.f64))) /* (0.0 ** -inf is inf) */
        return fe_err(p, off, KILN_ERR_ARG, "zero cannot be raised to a negative power (0.0 ** -1 is an error in Python)");
    if (a->dtype == KILN_I64 && b->dtype == KILN_I64) {
        int64_t x = a->val.i64, y = b->val.i64, z = 0;
        bool over = false;
        if (op == KILN_OP_ADD) over = __builtin_add_overflow(x, y, &z);
        else if (op == KILN_OP_SUB) over = __builtin_sub_overflow(x, y, &z);
        else if (op == KILN_OP_MUL) over = __builtin_mul_overflow(x, y, &z);
        else if (op == KILN_OP_POW && y > 0 && x != 0 && x != 1 && x != -1) { /* by squaring: y may be huge */
            int64_t base = x;
            z = 1;
            for (int64_t e = y; e && !over; e >>= 1) {
                if (e & 1) over = __builtin_mul_overflow(z, base, &z);
                if (e > 1 && !over) over = __builtin_mul_overflow(base, base, &base);
            }
        } else if (op == KILN_OP_POW && y < 0) { /* Python: 2 ** -1 is 0.5 */
            kval f = {0};
            if (!fe_set_expr(p, &f, kiln_scalar(p->ctx, (double)x), l->off)) return false;
            kval_free(p->ctx, l);
            *l = f;
        }
        if (op == KILN_OP_DIV && ((uint64_t)(x < 0 ? -(x + 1) : x) >= (1ull << 53) || (uint64_t)(y < 0 ? -(y + 1) : y) >= (1ull << 53))) {
            kval q = {0}, one = {0}; /* Python's x / y is the exact quotient rounded once; x and y as float64 first is not, past 2**53 */
            if (!fe_set_expr(p, &q, kiln_scalar(p->ctx, exact_quotient(x, y)), l->off) || !fe_set_expr(p, &one, kiln_scalar(p->ctx, 1.0), r->off))
                return kval_free(p->ctx, &q), false;
            kval_free(p->ctx, l), kval_free(p->ctx, r);
            *l = q, *r = one;
        }
        if ((op == KILN_OP_LSHIFT || op == KILN_OP_RSHIFT) && y < 0) return fe_err(p, off, KILN_ERR_ARG, "negative shift count");
        if (op == KILN_OP_LSHIFT && x != 0) over = y >= 64 || (int64_t)((uint64_t)x << y) >> y != x;
        if (op == KILN_OP_FLOORDIV && x == INT64_MIN && y == -1) over = true; /* (-2**63 // -1 is 2**63) */
        if (over) return fe_err(p, off, KILN_ERR_ARG, "integer overflow: kiln's Python integers are 64-bit");
    }
    return true;
}

static bool compare_other(parser *p, kiln_op op, kval *l, kval *r, size_t off, kval *out) {
    bool eq;
    if (l->kind == KV_DTYPE || r->kind == KV_DTYPE) { /* a.dtype == float64, a.dtype == "float32" */
        kiln_dtype x = 0, y = 0;
        bool okx = l->kind == KV_DTYPE ? (x = l->dt, true) : fe_arg_dtype(p, l, "==", &x);
        if (!okx) p->failed = false, kiln_clear_error(p->ctx);
        bool oky = r->kind == KV_DTYPE ? (y = r->dt, true) : fe_arg_dtype(p, r, "==", &y);
        if (!oky) p->failed = false, kiln_clear_error(p->ctx);
        eq = okx && oky && x == y;
    } else if (l->kind == KV_STR && r->kind == KV_STR) {
        eq = !strcmp(l->s, r->s);
    } else if ((l->kind == KV_NONE || r->kind == KV_NONE) && !((l->kind == KV_ARRAY && !fe_is_py(l) && l->e->ndim > 0) ||
                                                                (r->kind == KV_ARRAY && !fe_is_py(r) && r->e->ndim > 0))) {
        eq = l->kind == r->kind;
    } else { /* (an array against None or a string: element-wise below) */
        eq = false;
        const kval *arr = l->kind == KV_ARRAY && !fe_is_py(l) ? l : r->kind == KV_ARRAY && !fe_is_py(r) ? r : NULL;
        if (arr && arr->e->ndim > 0) { /* an array against a string or None: NumPy's element-wise False (True for !=) */
            kiln_expr *b = kiln_cast(p->ctx, arr->e, KILN_BOOL), *f = kiln_bool(p->ctx, op != KILN_OP_EQ);
            kiln_expr *res = b && f ? (op == KILN_OP_EQ ? kiln_and(p->ctx, b, f) : kiln_or(p->ctx, b, f)) : NULL;
            kiln_expr_free(b);
            kiln_expr_free(f);
            kval_free(p->ctx, l);
            kval_free(p->ctx, r);
            return fe_set_expr(p, out, res, off);
        }
    }
    kval_free(p->ctx, l);
    kval_free(p->ctx, r);
    return fe_set_expr(p, out, kiln_bool(p->ctx, op == KILN_OP_EQ ? eq : !eq), off);
}

static const char *py_type(const kval *v) {
    if (is_seq(v)) return v->kind == KV_LIST ? "list" : "tuple";
    if (v->kind == KV_NONE) return "NoneType";
    if (v->kind == KV_STR) return "str";
    if (v->kind == KV_GEN) return "Generator";
    if (v->kind == KV_INFO) return dtype_is_float(v->dt) ? "finfo" : "iinfo";
    if (fe_is_py(v)) return fe_py_number_type((kiln_dtype)v->e->dtype);
    return kind_name(v);
}
const char *fe_py_type(const kval *v) { return py_type(v); }
const char *fe_py_number_type(kiln_dtype dt) { return dt == KILN_F64 ? "float" : dt == KILN_BOOL ? "bool" : "int"; }

/* Python's arithmetic on lists and tuples (no array on either side): a + b of one kind joins
 * them, a * n and n * a repeat a, n a Python int or a NumPy integer scalar; anything else is
 * Python's TypeError.  ([1, 2] * 3 and [1, 2] * int64(3) are [1, 2, 1, 2, 1, 2]; [1, 2] *
 * array([3]) is NumPy's, the list read as an array.) */
static bool seq_binary(parser *p, kiln_op op, kval *l, kval *r, size_t off, kval *out) {
    bool ok = true, join = false;
    int64_t times = 1;
    const kval *s = is_seq(l) ? l : r, *k = is_seq(l) ? r : l;
    if (op == KILN_OP_ADD && is_seq(l) && is_seq(r) && l->kind == r->kind) {
        join = true;
    } else if (op == KILN_OP_MUL && !is_seq(k)) {
        if (dtype_is_float((kiln_dtype)k->e->dtype))
            ok = fe_err(p, off, KILN_ERR_ARG, "can't multiply sequence by non-int of type 'float'");
        else if (fe_is_py(k)) times = ref_cast(k->e->val, (kiln_dtype)k->e->dtype, KILN_I64).i64;
        else ok = fe_arg_int(p, k, "*", "repeat count", &times); /* a NumPy integer (y.max() + 1): its value now */
    } else if (op == KILN_OP_ADD && is_seq(l) && is_seq(r)) {
        ok = fe_err(p, off, KILN_ERR_ARG, "can only concatenate %s (not \"%s\") to %s", py_type(l), py_type(r), py_type(l));
    } else {
        ok = fe_err(p, off, KILN_ERR_ARG, "unsupported operand type(s) for %s: '%s' and '%s'", kiln_op_symbol(op), py_type(l), py_type(r));
    }
    kval res = {0};
    if (ok) {
        if (times < 0) times = 0;
        if (!join && times > max_items) times = max_items + 1; /* (refused below) */
        int64_t n = join ? (int64_t)l->n + r->n : s->n * times;
        int64_t all = join ? items_in(l, max_items) + items_in(r, max_items) : items_in(s, max_items) * times;
        if (n > max_items || all > max_items)
            ok = fe_err(p, off, KILN_ERR_ARG, "the %s would have more than %lld items", py_type(s), (long long)max_items);
        res.kind = s->kind;
        res.off = off;
        if (ok && n && !fe_got(p, res.items = kiln_calloc(p->ctx, (size_t)n * sizeof *res.items), off)) ok = false;
        for (int64_t i = 0; ok && i < n; i++) {
            const kval *src = !join ? &s->items[i % s->n] : i < l->n ? &l->items[i] : &r->items[i - l->n];
            res.n = (int)i + 1;
            if (!copy_rec(p->ctx, &res.items[i], src)) ok = fe_got(p, NULL, off);
        }
    }
    kval_free(p->ctx, l);
    kval_free(p->ctx, r);
    if (!ok) {
        kval_free(p->ctx, &res);
        memset(out, 0, sizeof *out);
        return false;
    }
    *out = res;
    return true;
}

static bool binary(parser *p, kiln_op op, kval *l, kval *r, size_t off, kval *out);
static bool seq_compare(parser *p, kiln_op op, const kval *a, const kval *b, size_t off, bool *res);

bool fe_same_object(const kval *a, const kval *b) {
    return a->kind == KV_ARRAY && b->kind == KV_ARRAY && a->alias && b->alias && a->e == b->e;
}

/* Python's a OP b for two items of sequences: sequences as Python compares them, anything else
 * as the truth of NumPy's comparison (a number, an array of one element). */
bool fe_item_compare(parser *p, kiln_op op, const kval *a, const kval *b, size_t off, bool *res) {
    if (is_seq(a) || is_seq(b)) return seq_compare(p, op, a, b, off, res);
    kval x = {0}, y = {0}, r = {0};
    if (!copy_rec(p->ctx, &x, a) || !copy_rec(p->ctx, &y, b)) {
        kval_free(p->ctx, &x);
        kval_free(p->ctx, &y);
        return fe_got(p, NULL, off);
    }
    bool ok = binary(p, op, &x, &y, off, &r) && fe_truth(p, &r, res);
    kval_free(p->ctx, &r);
    return ok;
}

/* Python's comparison of lists and tuples (no array on either side): == and != item by item
 * (another kind of value is unequal), <, <=, >, >= at the first item that differs, else by
 * length; ordering a sequence against another kind is Python's TypeError. */
static bool seq_compare(parser *p, kiln_op op, const kval *a, const kval *b, size_t off, bool *res) {
    bool eqop = op == KILN_OP_EQ || op == KILN_OP_NE;
    if (!is_seq(a) || !is_seq(b) || a->kind != b->kind) {
        if (!eqop)
            return fe_err(p, off, KILN_ERR_ARG, "'%s' not supported between instances of '%s' and '%s'", kiln_op_symbol(op), py_type(a),
                          py_type(b));
        *res = op == KILN_OP_NE;
        return true;
    }
    int n = a->n < b->n ? a->n : b->n;
    for (int i = 0; i < n; i++) {
        const kval *x = &a->items[i], *y = &b->items[i];
        bool same = fe_same_object(x, y); /* (identity first, as Python's) */
        if (!same && !fe_item_compare(p, KILN_OP_EQ, x, y, off, &same)) return false;
        if (same) continue;
        if (eqop) {
            *res = op == KILN_OP_NE;
            return true;
        }
        return fe_item_compare(p, op, &a->items[i], &b->items[i], off, res);
    }
    kscalar len[2] = {{.i64 = a->n}, {.i64 = b->n}};
    *res = ref_apply(op, KILN_I64, KILN_BOOL, len).b; /* the same up to the shorter one's length: by length */
    return true;
}

bool fe_binary(parser *p, kiln_op op, kval *l, kval *r, size_t off, kval *out) { return binary(p, op, l, r, off, out); }

/* A step's imaginary numbers (kval.imag, 5j read as 5) stay imaginary through sums of imaginary
 * ones and products of one with a real one; anything else would be complex (or real), refused. */
static bool imag_binary(parser *p, kiln_op op, kval *l, kval *r, size_t off, kval *out) {
    bool li = l->imag, ri = r->imag;
    bool ok = op == KILN_OP_MUL || op == KILN_OP_DIV ? !(li && ri) : (op == KILN_OP_ADD || op == KILN_OP_SUB) && li == ri;
    l->imag = r->imag = false;
    if (!ok) {
        kval_free(p->ctx, l);
        kval_free(p->ctx, r);
        return fe_err(p, off, KILN_ERR_SYNTAX, "complex numbers are not supported (a step such as 5j or n*1j is all imaginary)");
    }
    if (!binary(p, op, l, r, off, out)) return false;
    out->imag = true;
    return true;
}

/* A NumPy integer scalar (a 0-d integer array: y.max() + 1, int64(3)): a list times it repeats
 * the list, as Python's does through its __index__ (a 0-d bool does not have one). */
static bool np_int_scalar(const kval *v) {
    return v->kind == KV_ARRAY && !fe_is_py(v) && v->e->ndim == 0 && dtype_is_int((kiln_dtype)v->e->dtype);
}

static bool binary(parser *p, kiln_op op, kval *l, kval *r, size_t off, kval *out) {
    if (l->imag || r->imag) return imag_binary(p, op, l, r, off, out);
    bool str_py = (l->kind == KV_STR && (r->kind == KV_ARRAY || is_seq(r))) || (r->kind == KV_STR && (l->kind == KV_ARRAY || is_seq(l))); /* 1 == 'a': False */
    if ((op == KILN_OP_EQ || op == KILN_OP_NE) && (l->kind == KV_DTYPE || r->kind == KV_DTYPE || l->kind == KV_NONE || r->kind == KV_NONE ||
                                                  (l->kind == KV_STR && r->kind == KV_STR) || str_py))
        return compare_other(p, op, l, r, off, out);
    if (l->kind == KV_STR || r->kind == KV_STR) return string_binary(p, op, l, r, off, out);
    bool cmp = op == KILN_OP_EQ || op == KILN_OP_NE || op == KILN_OP_LT || op == KILN_OP_LE || op == KILN_OP_GT || op == KILN_OP_GE;
    if (!cmp && (is_seq(l) || is_seq(r)) && (is_seq(l) || fe_is_py(l) || (op == KILN_OP_MUL && np_int_scalar(l))) &&
        (is_seq(r) || fe_is_py(r) || (op == KILN_OP_MUL && np_int_scalar(r))))
        return seq_binary(p, op, l, r, off, out);
    if (cmp && (is_seq(l) || is_seq(r)) && (l->kind != KV_ARRAY || fe_is_py(l)) && (r->kind != KV_ARRAY || fe_is_py(r))) {
        bool res, ok = seq_compare(p, op, l, r, off, &res); /* (1, 2) == (1, 2), M.shape < (4, 0) */
        kval_free(p->ctx, l);
        kval_free(p->ctx, r);
        if (!ok) {
            memset(out, 0, sizeof *out);
            return false;
        }
        return fe_set_expr(p, out, kiln_bool(p->ctx, res), off);
    }
    if (cmp && fe_is_py(l) && fe_is_py(r) && ((l->e->dtype == KILN_I64 && r->e->dtype == KILN_F64) || (l->e->dtype == KILN_F64 && r->e->dtype == KILN_I64))) {
        /* a Python int against a float: exactly, as Python compares them (2**53 + 1 > 2.0**53), not in float64 */
        bool int_left = l->e->dtype == KILN_I64;
        int64_t i = int_left ? l->e->val.i64 : r->e->val.i64;
        double f = int_left ? r->e->val.f64 : l->e->val.f64;
        int c = isnan(f) ? 2 : f >= 0x1p63 ? -1 : f < -0x1p63 ? 1 : (__int128)i < (__int128)floor(f) ? -1 : (__int128)i > (__int128)floor(f) ? 1 : f > floor(f) ? -1 : 0;
        if (c != 2 && !int_left) c = -c; /* (c: the sign of left - right) */
        bool res = c == 2 ? op == KILN_OP_NE
                          : op == KILN_OP_EQ ? c == 0 : op == KILN_OP_NE ? c != 0 : op == KILN_OP_LT ? c < 0 : op == KILN_OP_LE ? c <= 0 : op == KILN_OP_GT ? c > 0 : c >= 0;
        kval_free(p->ctx, l);
        kval_free(p->ctx, r);
        return fe_set_expr(p, out, kiln_bool(p->ctx, res), off);
    }
    if (fe_is_py(l) && fe_is_py(r)) {
        if (!py_binary(p, op, l, r, off)) {
            kval_free(p->ctx, l);
            kval_free(p->ctx, r);
            memset(out, 0, sizeof *out);
            return false;
        }
    }
    kiln_expr *a = fe_arg_expr(p, l, kiln_op_symbol(op)[0] ? kiln_op_symbol(op) : kiln_op_name(op), "left operand");
    kiln_expr *b = a ? fe_arg_expr(p, r, kiln_op_symbol(op), "right operand") : NULL;
    bool ok = false;
    if (a && b) {
        kiln_expr *args[2] = {a, b};
        ok = fe_set_expr(p, out, op == KILN_OP_MATMUL ? kiln_matmul(p->ctx, a, b) : kiln_apply(p->ctx, op, args), off);
    }
    kiln_expr_free(a);
    kiln_expr_free(b);
    kval_free(p->ctx, l);
    kval_free(p->ctx, r);
    if (!ok) memset(out, 0, sizeof *out); /* out may have been l's storage */
    return ok;
}

/* x ** 0.5 of a float array is sqrt(x), -0.0 and -inf too, as NumPy's operator (np.power(x, 0.5) is
 * pow's): the base becomes sqrt(x) and the exponent 1. */
static void root(parser *p, kval *base, kval *ex) {
    kiln_expr *r = kiln_sqrt(p->ctx, base->e), *one = r ? kiln_scalar(p->ctx, 1.0) : NULL;
    if (!one) {
        kiln_expr_free(r);
        kiln_clear_error(p->ctx); /* (the usual power then reports it) */
        return;
    }
    kiln_expr_free(base->e), kiln_expr_free(ex->e);
    base->e = r, ex->e = one;
    base->alias = false;
}

/* NumPy's `**` on an array with a scalar exponent (fast_scalar_power): a NumPy scalar or 0-d
 * exponent of 2 (for a float array also 1, -1, 0 and 0.5) is square, positive, reciprocal, ones
 * or sqrt of the array, in the array's dtype (u8 ** int64(2) is uint8, f32 ** float64(0.5)
 * float32), or for an integer array and a float 2.0, the square of the array in float64.  So
 * such an exponent becomes a Python number (weak), whose result dtype is the array's (made
 * float64 first for the float 2.0, except in place: u **= 2.0 squares u).  (np.power and a
 * 0-d base take the usual dtypes.) */
static void fast_power_exponent(parser *p, kval *base, kval *ex, bool inplace) {
    double v;
    int64_t iv;
    if (base->kind != KV_ARRAY || base->e->ndim == 0 || ex->kind != KV_ARRAY || ex->e->ndim != 0) return;
    if (base->e->dtype == KILN_BOOL && ex->e->dtype != KILN_BOOL && !inplace && kiln_expr_scalar(ex->e, &v, &iv) && v == 2) {
        kiln_expr *b = kiln_cast(p->ctx, base->e, KILN_I8), *two = b ? kiln_int(p->ctx, 2) : NULL; /* square of bools: int8 */
        if (!two) {
            kiln_expr_free(b);
            return;
        }
        kiln_expr_free(base->e), kiln_expr_free(ex->e);
        base->e = b, ex->e = two;
        base->alias = false;
        return;
    }
    if (ex->e->weak && dtype_is_float((kiln_dtype)base->e->dtype) && dtype_is_float((kiln_dtype)ex->e->dtype) &&
        kiln_expr_scalar(ex->e, &v, &iv) && v == 0.5)
        return root(p, base, ex);
    if (ex->e->weak) { /* a Python float 2.0: k **= 2.0 squares an integer array in place (k ** 2.0 is float64, as usual) */
        if (inplace && dtype_is_int((kiln_dtype)base->e->dtype) && dtype_is_float((kiln_dtype)ex->e->dtype) &&
            kiln_expr_scalar(ex->e, &v, &iv) && v == 2) {
            kiln_expr *two = kiln_int(p->ctx, 2);
            if (!two) return;
            kiln_expr_free(ex->e);
            ex->e = two;
        }
        return;
    }
    if (ex->e->op == KILN_OP_VAR || ex->e->op == KILN_OP_PARAM) { /* a name's NumPy scalar (e = int64(2); u ** e): its value now */
        kscalar s;
        kiln_dtype sdt;
        if (!fe_scalar_now(p->ctx, ex->e, &s, &sdt)) {
            kiln_clear_error(p->ctx); /* (the usual power then reports it) */
            return;
        }
        p->env->volatile_ = true; /* the statement's dtype depends on the value */
        v = ref_cast(s, sdt, KILN_F64).f64;
    } else if (!kiln_expr_scalar(ex->e, &v, &iv))
        return;
    kiln_dtype bt = (kiln_dtype)base->e->dtype, et = (kiln_dtype)ex->e->dtype;
    if (et == KILN_BOOL || !(dtype_is_float(bt) ? v == 2 || v == 1 || v == -1 || v == 0 || v == 0.5 : dtype_is_int(bt) && v == 2)) return;
    if (dtype_is_float(bt) && v == 0.5) return root(p, base, ex);
    kiln_expr *w = dtype_is_float(bt) ? kiln_scalar(p->ctx, v) : kiln_int(p->ctx, 2);
    bool widen = dtype_is_int(bt) && dtype_is_float(et) && !inplace;
    kiln_expr *b = w && widen ? kiln_cast(p->ctx, base->e, KILN_F64) : NULL;
    if (!w || (widen && !b)) {
        kiln_expr_free(w);
        return;
    }
    kiln_expr_free(ex->e);
    ex->e = w;
    if (b) {
        kiln_expr_free(base->e);
        base->e = b;
        base->alias = false;
    }
}

/* power = postfix ["**" factor]   (right-associative; -a**2 is -(a**2)) */
static bool p_power(parser *p, kval *out) {
    if (!p_postfix(p, out)) return false;
    if (!is_op(p, "**")) return true;
    size_t off = p->tok.off;
    advance(p);
    kval ex = {0};
    if (!enter(p)) { /* 2**2**2...: right-associative, so it nests */
        kval_free(p->ctx, out);
        return false;
    }
    bool got_ex = p_factor(p, &ex);
    leave(p);
    if (!got_ex) {
        kval_free(p->ctx, out);
        return false;
    }
    kval base = *out;
    fast_power_exponent(p, &base, &ex, false);
    return binary(p, KILN_OP_POW, &base, &ex, off, out);
}

/* factor = ("+" | "-" | "~") factor | power */
static bool p_factor(parser *p, kval *out) {
    if (!(is_op(p, "-") || is_op(p, "+") || is_op(p, "~"))) return p_power(p, out);
    char op = p->tok.text[0];
    size_t off = p->tok.off;
    advance(p);
    if (op == '-' && p->tok.kind == TK_INT && p->tok.ival == INT64_MIN) { /* -9223372036854775808, unless a power or a call follows */
        lexer ahead = p->lx;
        token next = lex_next(&ahead);
        if (!(next.kind == TK_OP && (!strcmp(next.text, "**") || !strcmp(next.text, ".") || !strcmp(next.text, "(") || !strcmp(next.text, "[")))) {
            advance(p);
            return fe_set_expr(p, out, kiln_int(p->ctx, INT64_MIN), off);
        }
    }
    if (!enter(p)) return false;
    kval x = {0};
    bool ok = p_factor(p, &x);
    leave(p);
    if (!ok) return false;
    if (fe_is_py(&x) && x.e->dtype == KILN_BOOL) { /* -True is -1, ~True is -2, +True is 1: Python's ints */
        int64_t b = x.e->val.b;
        kval_free(p->ctx, &x);
        return fe_set_expr(p, out, kiln_int(p->ctx, op == '-' ? -b : op == '+' ? b : ~b), off);
    }
    if (fe_is_py(&x) && x.e->dtype == KILN_I64 && op == '-' && x.e->val.i64 == INT64_MIN) {
        kval_free(p->ctx, &x);
        return fe_err(p, off, KILN_ERR_ARG, "integer overflow: kiln's Python integers are 64-bit");
    }
    kiln_expr *e = fe_arg_expr(p, &x, op == '-' ? "-" : op == '+' ? "+" : "~", "operand");
    if (e && op == '+' && e->dtype == KILN_BOOL && !fe_is_py(&x)) {
        kiln_expr_free(e);
        kval_free(p->ctx, &x);
        return fe_err(p, off, KILN_ERR_DTYPE, "ufunc 'positive' did not contain a loop with signature matching types (bool)");
    }
    kiln_expr *r = !e ? NULL : op == '-' ? kiln_neg(p->ctx, e) : op == '+' ? kiln_expr_retain(e) : kiln_invert(p->ctx, e);
    bool imag = x.imag;
    kiln_expr_free(e);
    kval_free(p->ctx, &x);
    if (imag && op == '~') {
        kiln_expr_free(r);
        return fe_err(p, off, KILN_ERR_SYNTAX, "complex numbers are not supported (a step such as 5j or n*1j is all imaginary)");
    }
    return e && fe_set_expr(p, out, r, off) && (out->imag = imag, true);
}

typedef struct binop {
    const char *sym;
    kiln_op op;
} binop;

/* One level of binary operators: left-associative, or (chain false) at most one of them. */
static bool p_left(parser *p, bool (*sub)(parser *, kval *), const binop *ops, int nops, bool chain, kval *out) {
    if (!sub(p, out)) return false;
    for (int count = 0; !p->failed; count++) {
        int k = -1;
        for (int i = 0; i < nops; i++)
            if (is_op(p, ops[i].sym)) k = i;
        if (k < 0) return true;
        if (count && !chain)
            break;
        size_t off = p->tok.off;
        advance(p);
        kval r = {0};
        if (!sub(p, &r)) break;
        kval l = *out;
        if (!binary(p, ops[k].op, &l, &r, off, out)) return false;
    }
    if (!p->failed)
        fe_err(p, p->tok.off, KILN_ERR_SYNTAX, "chained comparisons need the truth value of an array; write (a < b) & (b < c)");
    kval_free(p->ctx, out);
    return false;
}

/* term = factor (("*" | "/" | "//" | "%" | "@") factor)* */
static bool p_term(parser *p, kval *out) {
    static const binop ops[] = {{"*", KILN_OP_MUL}, {"/", KILN_OP_DIV}, {"//", KILN_OP_FLOORDIV}, {"%", KILN_OP_MOD}, {"@", KILN_OP_MATMUL}};
    return p_left(p, p_factor, ops, 5, true, out);
}
/* sum = term (("+" | "-") term)* */
static bool p_sum(parser *p, kval *out) {
    static const binop ops[] = {{"+", KILN_OP_ADD}, {"-", KILN_OP_SUB}};
    return p_left(p, p_term, ops, 2, true, out);
}
/* shift = sum (("<<" | ">>") sum)* */
static bool p_shift(parser *p, kval *out) {
    static const binop ops[] = {{"<<", KILN_OP_LSHIFT}, {">>", KILN_OP_RSHIFT}};
    return p_left(p, p_sum, ops, 2, true, out);
}
/* band = shift ("&" shift)* */
static bool p_band(parser *p, kval *out) {
    static const binop ops[] = {{"&", KILN_OP_AND}};
    return p_left(p, p_shift, ops, 1, true, out);
}
/* bxor = band ("^" band)* */
static bool p_bxor(parser *p, kval *out) {
    static const binop ops[] = {{"^", KILN_OP_XOR}};
    return p_left(p, p_band, ops, 1, true, out);
}
/* bor = bxor ("|" bxor)* */
static bool p_bor(parser *p, kval *out) {
    static const binop ops[] = {{"|", KILN_OP_OR}};
    return p_left(p, p_bxor, ops, 1, true, out);
}
/* comparison = bor [("<" | "<=" | ">" | ">=" | "==" | "!=") bor]   (chains like a < b < c are
 * refused: Python would need the truth value of an array) */
static int cmp_at(const parser *p) {
    static const char *const syms[] = {"<", "<=", ">", ">=", "==", "!="};
    for (int i = 0; i < 6; i++)
        if (is_op(p, syms[i])) return i;
    return -1;
}

/* x in s and x not in s, Python's: an item of a tuple or list equal to x (item by item, as
 * == compares them), a substring of a string, and NumPy's (s == x).any() for an array; x is y and
 * x is not y between None, True and False.  One Python bool, known now. */
static bool p_member(parser *p, kval *out) {
    size_t off = p->tok.off;
    bool is = is_name(p, "is"), neg = is_name(p, "not");
    advance(p);
    if (is && is_name(p, "not")) {
        neg = true;
        advance(p);
    } else if (neg) { /* not in */
        if (!is_name(p, "in")) {
            kval_free(p->ctx, out);
            return fe_err(p, p->tok.off, KILN_ERR_SYNTAX, "expected 'in' after 'not'");
        }
        advance(p);
    }
    kval left = *out, s = {0};
    memset(out, 0, sizeof *out);
    bool ok = p_bor(p, &s), res = false;
    if (ok && is) {
        bool none = left.kind == KV_NONE || s.kind == KV_NONE;
        bool flags = fe_is_py(&left) && fe_is_py(&s) && left.e->dtype == KILN_BOOL && s.e->dtype == KILN_BOOL;
        if (none) res = left.kind == s.kind;
        else if (flags) ok = fe_truth(p, &left, &res) && fe_truth(p, &s, &flags) && ((res = res == flags), true);
        else ok = fe_err(p, off, KILN_ERR_ARG, "'is' compares with None, True or False in kiln (== compares values)");
    } else if (ok && is_seq(&s)) { /* identity first, as Python's (W in [W, V], nan in [nan]), then == */
        for (int i = 0; ok && !res && i < s.n; i++)
            res = left.kind == KV_ARRAY && s.items[i].kind == KV_ARRAY && left.e == s.items[i].e;
        for (int i = 0; ok && !res && i < s.n; i++) ok = fe_item_compare(p, KILN_OP_EQ, &left, &s.items[i], off, &res);
    } else if (ok && s.kind == KV_STR) {
        if (left.kind != KV_STR) ok = fe_err(p, off, KILN_ERR_ARG, "'in <string>' requires string as left operand, not %s", py_type(&left));
        else res = strstr(s.s, left.s) != NULL;
    } else if (ok && s.kind == KV_ARRAY && !fe_is_py(&s)) {
        kval eq = {0}, x = {0}, y = {0};
        ok = fe_kval_copy(p->ctx, &x, &left) && fe_kval_copy(p->ctx, &y, &s);
        if (!ok) {
            kval_free(p->ctx, &x);
            kval_free(p->ctx, &y);
            ok = fe_got(p, NULL, off);
        } else if ((ok = binary(p, KILN_OP_EQ, &x, &y, off, &eq))) {
            kval any = {.kind = KV_ARRAY, .off = off, .e = kiln_reduce(p->ctx, KILN_OP_ANY, eq.e, KILN_ALL_AXES, 0)};
            ok = fe_got(p, any.e, off) && fe_truth(p, &any, &res);
            kval_free(p->ctx, &any);
            kval_free(p->ctx, &eq);
        }
    } else if (ok) {
        ok = fe_err(p, s.off, KILN_ERR_ARG, "argument of type '%s' is not iterable", py_type(&s));
    }
    kval_free(p->ctx, &left);
    kval_free(p->ctx, &s);
    if (ok && (cmp_at(p) >= 0 || is_name(p, "in") || is_name(p, "is")))
        ok = fe_err(p, p->tok.off, KILN_ERR_SYNTAX, "a chain of comparisons with 'in' or 'is': write each with 'and'");
    return ok && fe_set_expr(p, out, kiln_bool(p->ctx, res != neg), off);
}

static bool p_comparison(parser *p, kval *out) {
    static const kiln_op ops[] = {KILN_OP_LT, KILN_OP_LE, KILN_OP_GT, KILN_OP_GE, KILN_OP_EQ, KILN_OP_NE};
    if (!p_bor(p, out)) return false;
    if (is_name(p, "in") || is_name(p, "not") || is_name(p, "is")) return p_member(p, out);
    int k = cmp_at(p);
    if (k < 0) return true;
    size_t off = p->tok.off;
    advance(p);
    kval r = {0}, left = *out;
    memset(out, 0, sizeof *out);
    if (!p_bor(p, &r)) {
        kval_free(p->ctx, &left);
        return false;
    }
    if (cmp_at(p) < 0) return binary(p, ops[k], &left, &r, off, out);
    /* a < b < c is (a < b) and (b < c), as Python's: the value of the first comparison whose truth
     * value is false (a number, or an array of one element: an array of more has none), else the
     * last one's, as it is (an array too) */
    kval result = {0};
    bool decided = false;
    for (;;) {
        kval next = {0}, res = {0};
        bool t = false, last = cmp_at(p) < 0;
        if (!fe_kval_copy(p->ctx, &next, &r)) {
            kval_free(p->ctx, &left);
            kval_free(p->ctx, &r);
            kval_free(p->ctx, &result);
            return fe_got(p, NULL, off);
        }
        if (!binary(p, ops[k], &left, &r, off, &res) || (!decided && !last && !fe_truth(p, &res, &t))) {
            kval_free(p->ctx, &res);
            kval_free(p->ctx, &next);
            kval_free(p->ctx, &result);
            return false;
        }
        if (decided) {
            kval_free(p->ctx, &res);
        } else {
            kval_free(p->ctx, &result);
            result = res;
            decided = !last && !t;
        }
        left = next;
        if ((k = cmp_at(p)) < 0) break;
        off = p->tok.off;
        advance(p);
        if (!p_bor(p, &r)) {
            kval_free(p->ctx, &left);
            return false;
        }
    }
    kval_free(p->ctx, &left);
    *out = result;
    return true;
}

/* not_test = "not" not_test | comparison   (Python's: one truth value, so arrays of one
 * element; use ~ for arrays) */
static bool p_not(parser *p, kval *out) {
    if (!is_name(p, "not")) return p_comparison(p, out);
    size_t off = p->tok.off;
    advance(p);
    if (!enter(p)) return false;
    kval x = {0};
    bool ok = p_not(p, &x), t = false;
    leave(p);
    ok = ok && fe_truth(p, &x, &t);
    kval_free(p->ctx, &x);
    return ok && fe_set_expr(p, out, kiln_bool(p->ctx, !t), off);
}

/* and_test = not_test ("and" not_test)*  /  or_test = and_test ("or" and_test)*: Python's
 * short-circuit, on truth values known now */
static bool p_logic(parser *p, kval *out, bool is_or) {
    if (!(is_or ? p_logic(p, out, false) : p_not(p, out))) return false;
    while (is_name(p, is_or ? "or" : "and")) {
        advance(p);
        bool t = false;
        if (!fe_truth(p, out, &t)) {
            kval_free(p->ctx, out);
            return false;
        }
        if (t == is_or) { /* decided: keep the left, and the right is not evaluated (x is not None and x > 0) */
            static const char *const and_stops[] = {"and", "or", "if", "else", "for", NULL}, *const or_stops[] = {"or", "if", "else", "for", NULL};
            skip_to(p, is_or ? or_stops : and_stops, true);
            if (p->failed) {
                kval_free(p->ctx, out);
                return false;
            }
            continue;
        }
        kval r = {0};
        if (!(is_or ? p_logic(p, &r, false) : p_not(p, &r))) {
            kval_free(p->ctx, out);
            return false;
        }
        kval_free(p->ctx, out);
        *out = r;
    }
    return true;
}

/* Whether a conditional expression's 'if' comes before the end of this one (at its depth) */
static bool conditional_ahead(parser *p) {
    static const char *const to_if[] = {"if", "for", NULL};
    return word_may_follow(p, true) && scan_to(p, to_if, true, NULL, NULL) == 0;
}

/* test = or_test ["if" or_test "else" test]: Python's conditional expression, decided now; as
 * Python's, the condition first, then only the branch it picks (1 / x if x else 0) */
static bool p_test(parser *p, kval *out) {
    if (!enter(p)) return false;
    bool ok;
    if (!conditional_ahead(p)) {
        ok = p_logic(p, out, true);
    } else {
        static const char *const to_if[] = {"if", NULL}, *const test_stops[] = {"for", NULL};
        lexer then_lx = p->lx;
        token then_tok = p->tok;
        skip_to(p, to_if, false);
        advance(p);
        kval c = {0};
        bool t = false;
        ok = !p->failed && p_logic(p, &c, true) && fe_truth(p, &c, &t);
        kval_free(p->ctx, &c);
        if (ok && !is_name(p, "else")) ok = fe_err(p, p->tok.off, KILN_ERR_SYNTAX, "expected 'else' in a conditional expression");
        if (ok) advance(p);
        if (ok && t) { /* the first branch, then past the other */
            lexer else_lx = p->lx;
            token else_tok = p->tok;
            p->lx = then_lx, p->tok = then_tok;
            ok = p_logic(p, out, true);
            if (ok && !is_name(p, "if")) {
                char b[48];
                kval_free(p->ctx, out);
                ok = fe_err(p, p->tok.off, KILN_ERR_SYNTAX, "unexpected %s before 'if'", tok_str(p, b, sizeof b));
            }
            p->lx = else_lx, p->tok = else_tok;
            if (ok) skip_to(p, test_stops, true);
            if (ok && p->failed) kval_free(p->ctx, out), ok = false;
        } else if (ok) {
            ok = p_test(p, out);
        }
    }
    leave(p);
    return ok;
}

kiln_status fe_parse(kiln_ctx *ctx, fe_env *env, const char *src, size_t len, bool tuple, kval *out) {
    memset(out, 0, sizeof *out);
    if (!ctx) return KILN_ERR_ARG;
    if (!src) return kiln_fail(ctx, KILN_ERR_ARG, "kiln_parse: source is NULL");
    uint64_t t0 = kiln_now_ns();
    parser p = {.ctx = ctx, .env = env};
    lex_init(&p.lx, src, len);
    advance(&p);
    bool ok = !p.failed;
    if (ok && p.tok.kind == TK_END) ok = fe_err(&p, p.tok.off, KILN_ERR_SYNTAX, "expected an expression, found end of input");
    if (ok) ok = tuple ? p_tuple_or_test(&p, NULL, out) : p_test(&p, out);
    if (ok && !p.failed && p.tok.kind != TK_END) {
        char b[48];
        if (is_op(&p, "="))
            fe_err(&p, p.tok.off, KILN_ERR_SYNTAX, "unexpected '=' (assignments are statements, and == compares)");
        else if (is_op(&p, ","))
            fe_err(&p, p.tok.off, KILN_ERR_SYNTAX, "unexpected ',' (a tuple is not an array here)");
        else
            fe_err(&p, p.tok.off, KILN_ERR_SYNTAX, "unexpected %s", tok_str(&p, b, sizeof b));
    }
    kiln_note_parse(ctx, kiln_now_ns() - t0);
    if (p.failed) {
        kval_free(ctx, out);
        return kiln_errcode(ctx) != KILN_OK ? kiln_errcode(ctx) : KILN_ERR_SYNTAX;
    }
    return KILN_OK;
}

kiln_status fe_call_values(kiln_ctx *ctx, fe_env *env, const char *name, kval *pos, int npos, fe_kwarg *kw, int nkw, kval *out) {
    parser p = {.ctx = ctx, .env = env};
    memset(out, 0, sizeof *out);
    if (fe_call(&p, name, 0, NULL, pos, npos, kw, nkw, out)) return KILN_OK;
    return kiln_errcode(ctx) != KILN_OK ? kiln_errcode(ctx) : KILN_ERR_ARG;
}

kiln_status fe_parse_args(kiln_ctx *ctx, fe_env *env, const char *src, size_t len, kval *pos, int *npos, fe_kwarg *kw, int *nkw) {
    *npos = *nkw = 0;
    parser p = {.ctx = ctx, .env = env};
    lex_init(&p.lx, src, len);
    advance(&p);
    if (!p.failed && expect(&p, "(", "to open the arguments") && p_args(&p, "call", pos, npos, kw, nkw) && p.tok.kind != TK_END) {
        char b[48];
        fe_err(&p, p.tok.off, KILN_ERR_SYNTAX, "unexpected %s after the call", tok_str(&p, b, sizeof b));
    }
    if (p.failed) {
        for (int i = 0; i < *npos; i++) kval_free(ctx, &pos[i]);
        for (int i = 0; i < *nkw; i++) kval_free(ctx, &kw[i].v);
        *npos = *nkw = 0;
        return kiln_errcode(ctx) != KILN_OK ? kiln_errcode(ctx) : KILN_ERR_SYNTAX;
    }
    return KILN_OK;
}

/* NumPy's same_kind casting: within a kind or to a wider kind (bool < unsigned < signed < float). */
static bool same_kind(kiln_dtype from, kiln_dtype to) { return dtype_kind_order(from) <= dtype_kind_order(to); }

kiln_status fe_parse_augmented(kiln_ctx *ctx, fe_env *env, const char *name, kiln_op op, const char *src, size_t len, kval *out) {
    memset(out, 0, sizeof *out);
    kiln_array *a = kiln_scope_get(env->scope, name);
    const kval *bound = a ? NULL : fe_scope_value(env->scope, name); /* a string, list or tuple: s += 'x' is s = s + 'x' */
    if (!a && !bound) return kiln_fail_at(ctx, KILN_ERR_NAME, 0, "name '%s' is not defined", name);
    kval rhs = {0}, self = {0};
    kiln_status st = fe_parse(ctx, env, src, len, false, &rhs);
    if (st != KILN_OK) return st;
    if (op == FE_AUG_OUT) { /* (cast and shaped as out's already) */
        if (!env->out_done) {
            kval_free(ctx, &rhs);
            return kiln_fail_at(ctx, KILN_ERR_ARG, 0, "this call's out= is not an output array's (out= is NumPy's ufuncs' and reductions')");
        }
        *out = rhs;
        return KILN_OK;
    }
    parser p = {.ctx = ctx, .env = env};
    lex_init(&p.lx, src, len);
    /* a Python number, or a 0-d array (NumPy's immutable scalar: t = k[0]; t += 0.5 makes t a
     * float64): t op= v is t = t op v.  A 0-d view (w = y[1, ...]) is an array: it writes into y */
    bool py = !a || fe_scope_py(env->scope, name) || (a->ndim == 0 && !a->base);
    if (bound) env->volatile_ = true; /* (its value now, as a name's string or list is read) */
    if (bound && bound->kind == KV_LIST && op == KILN_OP_ADD && (rhs.kind == KV_TUPLE || rhs.kind == KV_STR)) {
        kval items = {.kind = KV_LIST}; /* xs += a tuple or a string extends the list by its items, as Python's (xs += an
                                           array is NumPy's add: the array's __radd__ comes first) */
        bool ok = fe_items(&p, &rhs, &items.items, &items.n);
        kval_free(ctx, &rhs);
        rhs = items;
        if (!ok) return kiln_errcode(ctx);
    }
    if (bound && bound->kind == KV_LIST && op == KILN_OP_ADD && rhs.kind == KV_LIST) { /* appended in place: not a new list of copies */
        if ((int64_t)bound->n + rhs.n > max_items || items_in(&rhs, max_items) > max_items) {
            kval_free(ctx, &rhs);
            return kiln_fail_at(ctx, KILN_ERR_ARG, 0, "the list would have more than %lld items", (long long)max_items);
        }
        env->extends = true;
        *out = rhs;
        return KILN_OK;
    }
    if (bound && bound->kind == KV_STR && rhs.kind == KV_STR && op == KILN_OP_ADD) { /* s += 'x': s is not copied first */
        bool ok = concat(&p, bound->s, rhs.s, 0, out);
        kval_free(ctx, &rhs);
        return ok ? KILN_OK : kiln_errcode(ctx);
    }
    bool have = a ? scope_value(&p, name, a, 0, &self) : fe_kval_copy(ctx, &self, bound);
    if (have && op == KILN_OP_POW) fast_power_exponent(&p, &self, &rhs, true);
    if (!have || !binary(&p, op, &self, &rhs, 0, out)) {
        kval_free(ctx, &self);
        kval_free(ctx, &rhs);
        return kiln_errcode(ctx) != KILN_OK ? kiln_errcode(ctx) : KILN_ERR_ARG;
    }
    if (py) return KILN_OK;
    kiln_expr *r = out->e;
    if (r->ndim != a->ndim || memcmp(r->shape, a->shape, (size_t)a->ndim * sizeof *a->shape)) {
        rt_shape_text want = rt_shape_str(a->ndim, a->shape), have = rt_shape_str(r->ndim, r->shape);
        kval_free(ctx, out);
        return kiln_fail_at(ctx, KILN_ERR_SHAPE, 0, "non-broadcastable output operand with shape %s doesn't match the broadcast shape %s",
                            want.s, have.s);
    }
    if (r->dtype != a->dtype) {
        if (!same_kind((kiln_dtype)r->dtype, (kiln_dtype)a->dtype)) {
            kiln_fail_at(ctx, KILN_ERR_DTYPE, 0, "Cannot cast ufunc '%s' output from dtype('%s') to dtype('%s') with casting rule 'same_kind'",
                         kiln_op_name(op), kiln_dtype_name((kiln_dtype)r->dtype), kiln_dtype_name((kiln_dtype)a->dtype));
            kval_free(ctx, out);
            return KILN_ERR_DTYPE;
        }
        kiln_expr *c = kiln_cast(ctx, r, (kiln_dtype)a->dtype);
        kval_free(ctx, out);
        if (!c) return kiln_errcode(ctx);
        out->kind = KV_ARRAY;
        out->e = c;
    }
    return KILN_OK;
}

kiln_status fe_parse_item_update(kiln_ctx *ctx, fe_env *env, const kval *target, kiln_dtype dt, bool element, kiln_op op,
                                 const char *src, size_t len, kval *out) {
    memset(out, 0, sizeof *out);
    kval rhs = {0}, self = {0};
    kiln_status st = fe_parse(ctx, env, src, len, false, &rhs);
    if (st != KILN_OK) return st;
    parser p = {.ctx = ctx, .env = env};
    lex_init(&p.lx, src, len);
    bool have = fe_kval_copy(ctx, &self, target);
    if (have && op == KILN_OP_POW && !element) fast_power_exponent(&p, &self, &rhs, true); /* (k[1:] **= 2.0 squares in place) */
    if (!have || !binary(&p, op, &self, &rhs, 0, out)) {
        kval_free(ctx, &self);
        kval_free(ctx, &rhs);
        return kiln_errcode(ctx) != KILN_OK ? kiln_errcode(ctx) : KILN_ERR_NOMEM;
    }
    const kiln_expr *r = out->kind == KV_ARRAY ? out->e : NULL, *x = target->e;
    if (r && !element && (r->ndim != x->ndim || memcmp(r->shape, x->shape, (size_t)x->ndim * sizeof *x->shape))) {
        rt_shape_text want = rt_shape_str(x->ndim, x->shape), have = rt_shape_str(r->ndim, r->shape);
        kval_free(ctx, out);
        return kiln_fail_at(ctx, KILN_ERR_SHAPE, 0, "non-broadcastable output operand with shape %s doesn't match the broadcast shape %s",
                            want.s, have.s);
    }
    if (r && !element && !same_kind((kiln_dtype)out->e->dtype, dt)) {
        kiln_fail_at(ctx, KILN_ERR_DTYPE, 0, "Cannot cast ufunc '%s' output from dtype('%s') to dtype('%s') with casting rule 'same_kind'",
                     kiln_op_name(op), kiln_dtype_name((kiln_dtype)out->e->dtype), kiln_dtype_name(dt));
        kval_free(ctx, out);
        return KILN_ERR_DTYPE;
    }
    return KILN_OK;
}

kiln_expr *kiln_parse_n(kiln_ctx *ctx, kiln_scope *scope, const char *src, size_t len) {
    if (!ctx) return NULL;
    fe_env env = {.scope = scope, .values_only = true}; /* (kept and evaluated again: a computed index stays a gather, read at each run) */
    kval v = {0};
    if (fe_parse(ctx, &env, src, len, false, &v) != KILN_OK) return NULL;
    kiln_expr *e = v.kind == KV_TUPLE ? NULL : fe_as_expr(ctx, &v, "the expression"); /* (its values: kiln_parse_values) */
    if (v.kind == KV_TUPLE) kiln_fail(ctx, KILN_ERR_ARG, "the expression must be an array or a number, not a tuple");
    if (!e) {
        char msg[512];
        snprintf(msg, sizeof msg, "%s", kiln_errmsg(ctx));
        kiln_fail_at(ctx, kiln_errcode(ctx), (int64_t)v.off, "%s", msg);
    }
    kval_free(ctx, &v);
    return e;
}

int kiln_parse_params_many(kiln_ctx *ctx, kiln_scope *scope, const char *src, int cap_values, kiln_expr **values, int cap,
                           kiln_expr **params, int *which, int *n, int *reusable) {
    int tuple;
    return kiln_parse_params_tuple(ctx, scope, src, cap_values, values, cap, params, which, n, reusable, &tuple);
}

/* Where the values of a parse go: a tuple's items at the top (tuple mode), or every array of the
 * value's nested tuples and lists with its form (form mode). */
typedef struct values_out {
    kiln_expr **values;
    int cap, n;
    char *form; /* form mode: 'v' an array, 'n' None, "(...)" a tuple's items, "[...]" a list's */
    int cap_form, nf;
    int open; /* tuples and lists begun and not yet closed (the room their brackets need) */
} values_out;

/* One value as an array into o: false with an error at the value's position. */
static bool value_put(kiln_ctx *ctx, const kval *v, const char *what, values_out *o) {
    if (o->n == o->cap) {
        kiln_fail_at(ctx, KILN_ERR_ARG, (int64_t)v->off, "more than %d values", o->cap);
        return false;
    }
    if (!(o->values[o->n] = fe_as_expr(ctx, v, what))) {
        char msg[512];
        snprintf(msg, sizeof msg, "%s", kiln_errmsg(ctx));
        kiln_fail_at(ctx, kiln_errcode(ctx), (int64_t)v->off, "%s", msg);
        return false;
    }
    o->n++;
    return true;
}

/* v's arrays into o in order, a tuple's or a list's items (nested too) each in turn, and its form
 * (a named tuple's name and fields after its bracket: "(<EighResult eigenvalues eigenvectors>vv)"). */
static bool value_nested(kiln_ctx *ctx, const kval *v, const char *what, values_out *o) {
    bool seq = v->kind == KV_TUPLE || v->kind == KV_LIST;
    char head[256] = "";
    int len = 0;
    if (v->kind == KV_TUPLE && v->named) { /* NumPy's named tuple: "<SVDResult U S Vh>" */
        len = snprintf(head, sizeof head, "<%s", v->named->name);
        for (int k = 0; k < 5 && v->named->fields[k] && len < (int)sizeof head; k++)
            len += snprintf(head + len, sizeof head - (size_t)len, " %s", v->named->fields[k]);
        if (len < (int)sizeof head) len += snprintf(head + len, sizeof head - (size_t)len, ">");
        if (len >= (int)sizeof head) len = 0; /* (a name past the room: shown as a plain tuple) */
    }
    /* the room for this value, the closing brackets of those still open, and the NUL */
    if (o->nf + (seq ? 2 + len : 1) + o->open + 1 > o->cap_form) {
        kiln_fail_at(ctx, KILN_ERR_ARG, (int64_t)v->off, "the value's tuples and lists hold more than %d items", o->cap_form - 1);
        return false;
    }
    if (!seq) {
        if (v->kind == KV_NONE) {
            o->form[o->nf++] = 'n';
            return true;
        }
        o->form[o->nf++] = 'v';
        return value_put(ctx, v, what, o);
    }
    o->form[o->nf++] = v->kind == KV_TUPLE ? '(' : '[';
    memcpy(o->form + o->nf, head, (size_t)len);
    o->nf += len;
    o->open++;
    for (int i = 0; i < v->n; i++)
        if (!value_nested(ctx, &v->items[i], v->kind == KV_TUPLE ? "a value of the tuple" : "an item of the list", o)) return false;
    o->open--;
    o->form[o->nf++] = v->kind == KV_TUPLE ? ')' : ']';
    return true;
}

/* kiln_parse_params_tuple's and kiln_parse_params_form's parse (o->form set: form mode). */
static int parse_values(kiln_ctx *ctx, kiln_scope *scope, const char *src, values_out *o, int cap, kiln_expr **params, int *which,
                        int *n, int *reusable, int *tuple_out) {
    if (tuple_out) *tuple_out = 0;
    if (!ctx) return -1;
    if (!src || !n || !reusable || o->cap < 1 || !o->values || (cap > 0 && (!params || !which)) ) {
        kiln_fail(ctx, KILN_ERR_ARG, "kiln_parse_params: a NULL argument");
        return -1;
    }
    if (cap < 0) {
        kiln_fail(ctx, KILN_ERR_ARG, "kiln_parse_params: cap is %d (the room in params and which: 0 or more)", cap);
        return -1;
    }
    fe_env env = {.scope = scope, .params = true, .values_only = true};
    kval v = {0};
    bool ok = false;
    if (fe_parse(ctx, &env, src, strlen(src), o->form || o->cap > 1, &v) == KILN_OK) {
        if (o->form) { /* every array of the value, as nested as it is */
            ok = value_nested(ctx, &v, "the expression", o);
            o->form[o->nf] = 0;
        } else { /* one value, or (with room for several) a tuple's items, each an array */
            bool tuple = v.kind == KV_TUPLE && o->cap > 1;
            if (tuple_out) *tuple_out = tuple;
            ok = true;
            for (int i = 0; ok && i < (tuple ? v.n : 1); i++) ok = value_put(ctx, tuple ? &v.items[i] : &v, tuple ? "a value of the tuple" : "the expression", o);
        }
    }
    kval_free(ctx, &v);
    int k = 0;
    for (int i = 0; ok && i < env.deps.n; i++) {
        const fe_dep *d = &env.deps.d[i];
        if (d->what != FE_DEP_ARRAY || d->same_as >= 0) continue; /* (a second name of one array: its placeholder is listed once) */
        if (k == cap) {
            kiln_fail(ctx, KILN_ERR_ARG, "the expression reads more than %d arrays", cap);
            ok = false;
            break;
        }
        int j = 0;
        while (j < kiln_scope_count(scope) && strcmp(kiln_scope_name(scope, j), d->name)) j++;
        params[k] = kiln_expr_retain(d->param);
        which[k++] = j;
    }
    if (!ok) {
        while (k > 0) kiln_expr_free(params[--k]);
        while (o->n > 0) kiln_expr_free(o->values[--o->n]);
    }
    *n = k;
    *reusable = !env.volatile_;
    fe_deps_free(ctx, &env.deps);
    return ok ? o->n : -1;
}

int kiln_parse_params_tuple(kiln_ctx *ctx, kiln_scope *scope, const char *src, int cap_values, kiln_expr **values, int cap,
                            kiln_expr **params, int *which, int *n, int *reusable, int *tuple_out) {
    values_out o = {.values = values, .cap = cap_values};
    return parse_values(ctx, scope, src, &o, cap, params, which, n, reusable, tuple_out);
}

int kiln_parse_params_form(kiln_ctx *ctx, kiln_scope *scope, const char *src, int cap_values, kiln_expr **values, char *form,
                           int cap_form, int cap, kiln_expr **params, int *which, int *n, int *reusable) {
    if (!form || cap_form < 2) {
        if (ctx) kiln_fail(ctx, KILN_ERR_ARG, "kiln_parse_params_form: %s", form ? "cap_form is less than 2" : "a NULL argument");
        return -1;
    }
    form[0] = 0;
    values_out o = {.values = values, .cap = cap_values, .form = form, .cap_form = cap_form};
    return parse_values(ctx, scope, src, &o, cap, params, which, n, reusable, NULL);
}

/* Whether v is a literal's value: Python numbers, strings and None in tuples and lists. */
static bool literal_value(const kval *v) {
    if (v->kind == KV_TUPLE || v->kind == KV_LIST) {
        for (int i = 0; i < v->n; i++)
            if (!literal_value(&v->items[i])) return false;
        return true;
    }
    return v->kind == KV_NONE || v->kind == KV_STR || fe_is_py(v);
}

/* Where text stops being a literal's tokens (numbers, strings, None True False nan inf, brackets,
 * commas, signs): -1 where it is all such, else the offset (nothing in it is run then). */
static int64_t literal_tokens(const char *text) {
    static const char *const words[] = {"None", "True", "False", "nan", "inf", NULL};
    for (const char *c = text; *c;) {
        if (*c == '\'' || *c == '"') { /* a string, its escapes skipped */
            const char *q = c + 1;
            while (*q && *q != *c) q += q[0] == '\\' && q[1] ? 2 : 1;
            if (!*q) return c - text;
            c = q + 1;
        } else if (isdigit((unsigned char)*c) || (*c == '.' && isdigit((unsigned char)c[1]))) { /* 12, 1.5e-3, .5, 0x1f */
            const char *b = c;
            if (c[0] == '0' && c[1] && strchr("xXoObB", c[1])) {
                for (c += 2; isxdigit((unsigned char)*c) || *c == '_';) c++;
            } else {
                while (isdigit((unsigned char)*c) || *c == '_') c++;
                if (*c == '.')
                    for (c++; isdigit((unsigned char)*c) || *c == '_';) c++;
                if ((*c == 'e' || *c == 'E') && (isdigit((unsigned char)c[1]) || ((c[1] == '+' || c[1] == '-') && isdigit((unsigned char)c[2]))))
                    for (c += 2; isdigit((unsigned char)*c);) c++;
            }
            if (isalnum((unsigned char)*c) || *c == '.' || *c == '_') return b - text; /* (1.0.astype(...): a method of a number) */
        } else if (isalpha((unsigned char)*c) || *c == '_') {
            const char *b = c;
            while (isalnum((unsigned char)*c) || *c == '_') c++;
            bool known = false;
            for (int k = 0; words[k] && !known; k++) known = strlen(words[k]) == (size_t)(c - b) && !memcmp(words[k], b, (size_t)(c - b));
            if (!known) return b - text;
        } else if (strchr("()[],+- \t\n\r", *c)) {
            c++;
        } else {
            return c - text;
        }
    }
    return -1;
}

kiln_status kiln_scope_set_literal(kiln_scope *s, const char *name, const char *text) {
    if (!s) return KILN_ERR_ARG;
    kiln_ctx *ctx = s->ctx;
    if (!name || !text) return kiln_fail(ctx, KILN_ERR_ARG, "kiln_scope_set_literal: a NULL argument");
    if (!fe_scope_name_ok(name)) return kiln_fail(ctx, KILN_ERR_ARG, "kiln_scope_set_literal: '%s' is not a name a program can write", name);
    int64_t bad = literal_tokens(text);
    if (bad >= 0) return kiln_fail_at(ctx, KILN_ERR_ARG, bad, "kiln_scope_set_literal: not a literal of numbers, strings and None in tuples and lists");
    kiln_scope *none = kiln_scope_new(ctx); /* (a literal reads no names) */
    if (!none) return kiln_fail(ctx, KILN_ERR_NOMEM, "out of memory");
    fe_env env = {.scope = none};
    kval v = {0};
    kiln_status st = fe_parse(ctx, &env, text, strlen(text), true, &v);
    if (st == KILN_OK && (env.deps.n || !literal_value(&v)))
        st = kiln_fail_at(ctx, KILN_ERR_ARG, (int64_t)v.off, "kiln_scope_set_literal: not a literal of numbers, strings and None in tuples and lists");
    v.fixed = true; /* (its value is the caller's to key: reading it leaves a statement reusable) */
    if (st == KILN_OK) st = fe_scope_set_value(s, name, &v);
    kval_free(ctx, &v);
    fe_deps_free(ctx, &env.deps);
    kiln_scope_free(none);
    return st;
}

kiln_expr *kiln_parse_params(kiln_ctx *ctx, kiln_scope *scope, const char *src, int cap, kiln_expr **params, int *which, int *n,
                             int *reusable) {
    kiln_expr *e = NULL;
    return kiln_parse_params_many(ctx, scope, src, 1, &e, cap, params, which, n, reusable) == 1 ? e : NULL;
}

kiln_expr *kiln_parse(kiln_ctx *ctx, kiln_scope *scope, const char *src) {
    return kiln_parse_n(ctx, scope, src, src ? strlen(src) : 0);
}
