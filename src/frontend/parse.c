/*
 * parse.c — the recursive-descent parser: one expression string → a graph, through the public
 * builders only.
 *
 * Pipeline position: first, before the graph (which does CSE, typing and folding as the
 * builders are called).  Precedence and associativity are Python's, lowest first:
 *
 *     comparison  <  |  <  ^  <  &  <  + -  <  * / // % @  <  unary + - ~  <  **  <  .T, calls
 *
 * so an expression pasted from NumPy code means the same here.  The first error is kept, with
 * the byte offset of the token it is about; every function returns a new reference or NULL,
 * and releases what it holds on the way out.
 */
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "../runtime/ctx.h"
#include "lex.h"
#include "scope.h"

#define MAX_ARGS 8

typedef struct parser {
    kiln_ctx *ctx;
    kiln_scope *scope;
    lexer lx;
    token tok;   /* the current token */
    bool failed; /* an error is recorded; unwind */
} parser;

/* Records the first error, at byte offset off. */
static void perr(parser *p, size_t off, kiln_status st, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void perr(parser *p, size_t off, kiln_status st, const char *fmt, ...) {
    if (p->failed) return;
    p->failed = true;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    kiln_fail_at(p->ctx, st, (int64_t)off, "%s", msg);
}

static void advance(parser *p) {
    p->tok = lex_next(&p->lx);
    if (p->tok.kind == TK_ERROR) perr(p, p->tok.off, KILN_ERR_SYNTAX, "%s", p->lx.err);
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
    perr(p, p->tok.off, KILN_ERR_SYNTAX, "expected '%s' %s, found %s", op, what, tok_str(p, b, sizeof b));
    return false;
}

/* Whether a library call gave a result; if not, its error is recorded again with the offset
 * of the token it is about. */
static bool got(parser *p, const void *r, size_t off) {
    if (!r && !p->failed) {
        char msg[512];
        kiln_status st = kiln_errcode(p->ctx);
        snprintf(msg, sizeof msg, "%s", kiln_errmsg(p->ctx));
        perr(p, off, st == KILN_OK ? KILN_ERR_ARG : st, "%s", msg);
    }
    return r != NULL;
}
static kiln_expr *checked(parser *p, kiln_expr *r, size_t off) {
    got(p, r, off);
    return r;
}

static void release(kiln_expr **a, int n) {
    for (int i = 0; i < n; i++) {
        kiln_expr_free(a[i]);
        a[i] = NULL;
    }
}

static kiln_expr *p_expr(parser *p);
static kiln_expr *p_factor(parser *p);

/* ------------------------------------------------------------------ constants and arrays */

/* The value of a constant integer expression (the shape arguments of zeros and friends). */
static bool const_int(parser *p, kiln_expr *e, size_t off, const char *fn, int64_t *v) {
    double f;
    int64_t i;
    if (!kiln_expr_scalar(e, &f, &i) || (kiln_expr_dtype(e) != KILN_I64 && kiln_expr_dtype(e) != KILN_I32)) {
        perr(p, off, KILN_ERR_ARG, "%s: expected an integer constant", fn);
        return false;
    }
    *v = i;
    return true;
}

/* A new array of shape from the scope's generator or a constant, as a VAR node. */
static kiln_expr *make_array(parser *p, size_t off, kiln_dtype dt, int nd, const int64_t *shape,
                             double (*gen)(kiln_scope *), double fill) {
    kiln_array *a = kiln_array_new(p->ctx, dt, nd, shape);
    if (!got(p, a, off)) return NULL;
    int64_t n = kiln_array_size(a);
    double *d = kiln_array_data(a);
    for (int64_t i = 0; i < n; i++) d[i] = gen ? gen(p->scope) : fill;
    kiln_expr *v = checked(p, kiln_var(p->ctx, a), off);
    kiln_array_free(a);
    return v;
}

/* shape = INT ("," INT)* | "(" [INT ("," INT)* [","]] ")"  — for zeros, ones, rand, randn */
static bool p_shape(parser *p, const char *fn, int *nd, int64_t *shape) {
    bool tuple = is_op(p, "(");
    if (tuple) advance(p);
    *nd = 0;
    while (!p->failed && !(tuple ? is_op(p, ")") : is_op(p, ")"))) {
        size_t off = p->tok.off;
        kiln_expr *e = p_expr(p);
        int64_t v;
        bool ok = e && const_int(p, e, off, fn, &v);
        kiln_expr_free(e);
        if (!ok) return false;
        if (v < 0) {
            perr(p, off, KILN_ERR_SHAPE, "%s: negative dimensions are not allowed", fn);
            return false;
        }
        if (*nd == KILN_MAX_DIMS) {
            perr(p, off, KILN_ERR_SHAPE, "%s: more than %d dimensions", fn, KILN_MAX_DIMS);
            return false;
        }
        shape[(*nd)++] = v;
        if (!is_op(p, ",")) break;
        advance(p);
    }
    if (tuple && !expect(p, ")", "to close the shape")) return false;
    return !p->failed;
}

/* arange(stop) | arange(start, stop[, step]): int64 when all are integers, else float64 */
static kiln_expr *p_arange(parser *p, kiln_expr **args, int n, size_t off) {
    double v[3] = {0, 0, 1};
    int64_t iv[3] = {0, 0, 1};
    bool all_int = true;
    if (n < 1 || n > 3) {
        perr(p, off, KILN_ERR_ARG, "arange() takes 1 to 3 arguments (%d given)", n);
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        int k = n == 1 ? 1 : i;
        if (!kiln_expr_scalar(args[i], &v[k], &iv[k])) {
            perr(p, off, KILN_ERR_ARG, "arange: arguments must be constants");
            return NULL;
        }
        if (kiln_expr_dtype(args[i]) != KILN_I64 && kiln_expr_dtype(args[i]) != KILN_I32) all_int = false;
    }
    if (v[2] == 0) {
        perr(p, off, KILN_ERR_ARG, "arange: step must not be zero");
        return NULL;
    }
    double count = ceil((v[1] - v[0]) / v[2]);
    if (!(count > 0)) count = 0;
    if (count > 1e10) {
        perr(p, off, KILN_ERR_SHAPE, "arange: %.0f elements is too many", count);
        return NULL;
    }
    int64_t len = (int64_t)count;
    kiln_array *a = kiln_array_new(p->ctx, all_int ? KILN_I64 : KILN_F64, 1, &len);
    if (!got(p, a, off)) return NULL;
    for (int64_t i = 0; i < len; i++) {
        if (all_int) ((int64_t *)kiln_array_data(a))[i] = iv[0] + i * iv[2];
        else ((double *)kiln_array_data(a))[i] = v[0] + (double)i * v[2];
    }
    kiln_expr *e = checked(p, kiln_var(p->ctx, a), off);
    kiln_array_free(a);
    return e;
}

/* linspace(start, stop[, num=50]): float64, the last element exactly stop */
static kiln_expr *p_linspace(parser *p, kiln_expr **args, int n, size_t off) {
    double v[3] = {0, 0, 50};
    int64_t iv[3] = {0, 0, 50};
    if (n < 2 || n > 3) {
        perr(p, off, KILN_ERR_ARG, "linspace() takes 2 or 3 arguments (%d given)", n);
        return NULL;
    }
    for (int i = 0; i < n; i++)
        if (!kiln_expr_scalar(args[i], &v[i], &iv[i])) {
            perr(p, off, KILN_ERR_ARG, "linspace: arguments must be constants");
            return NULL;
        }
    if (n == 3 && (kiln_expr_dtype(args[2]) != KILN_I64 || iv[2] < 0)) {
        perr(p, off, KILN_ERR_ARG, "linspace: num must be a non-negative integer");
        return NULL;
    }
    int64_t num = n == 3 ? iv[2] : 50;
    kiln_array *a = kiln_array_new(p->ctx, KILN_F64, 1, &num);
    if (!got(p, a, off)) return NULL;
    double *d = kiln_array_data(a), step = num > 1 ? (v[1] - v[0]) / (double)(num - 1) : 0;
    for (int64_t i = 0; i < num; i++) d[i] = v[0] + (double)i * step;
    if (num > 1) d[num - 1] = v[1];
    kiln_expr *e = checked(p, kiln_var(p->ctx, a), off);
    kiln_array_free(a);
    return e;
}

/* ------------------------------------------------------------------ calls */

/* Op builders by NumPy name (from KILN_OPS), and NumPy 2's short aliases. */
static const struct {
    const char *name;
    kiln_op op;
} fn_names[] = {
#define X(E, b, np, ar, k, sp, cf) {np, KILN_OP_##E},
    KILN_OPS(X)
#undef X
    {"abs", KILN_OP_ABS}, {"true_divide", KILN_OP_DIV}, {"mod", KILN_OP_MOD}, {"pow", KILN_OP_POW},
    {"asin", KILN_OP_ARCSIN}, {"acos", KILN_OP_ARCCOS}, {"atan", KILN_OP_ARCTAN}, {"atan2", KILN_OP_ARCTAN2},
    {"asinh", KILN_OP_ARCSINH}, {"acosh", KILN_OP_ARCCOSH}, {"atanh", KILN_OP_ARCTANH},
    {"bitwise_not", KILN_OP_INVERT}, {"bitwise_invert", KILN_OP_INVERT},
};

static const struct {
    const char *name;
    kiln_dtype dt;
} casts[] = {{"float32", KILN_F32}, {"float64", KILN_F64}, {"int32", KILN_I32}, {"int64", KILN_I64}, {"bool", KILN_BOOL}};

/* Reductions by NumPy name (mean is sum / count); NumPy's amax and amin too. */
static const struct {
    const char *name;
    kiln_op op;
} reductions[] = {
#define X(E, b, np, k) {np, KILN_OP_##E},
    KILN_STRUCT_OPS(X)
#undef X
    {"amax", KILN_OP_MAX}, {"amin", KILN_OP_MIN}, {"mean", KILN_OP_COUNT},
};

/* reduction = NAME "(" expr ["," (INT | "None")] ["," "keepdims" "=" BOOL] ")"  with axis= and
 * keepdims= also accepted as keywords (the "(" is consumed) */
static kiln_expr *p_reduction(parser *p, const char *name, kiln_op op, size_t name_off) {
    kiln_expr *x = p_expr(p);
    int axis = KILN_ALL_AXES, pos = 1, keepdims = 0;
    while (x && !p->failed && is_op(p, ",")) {
        advance(p);
        char kw[16] = "";
        size_t off = p->tok.off;
        if (p->tok.kind == TK_NAME) { /* a keyword? */
            lexer save = p->lx;
            token t = p->tok;
            advance(p);
            if (is_op(p, "=")) {
                lex_text(&p->lx, &t, kw, sizeof kw);
                advance(p);
                off = p->tok.off;
            } else {
                p->lx = save;
                p->tok = t;
            }
        }
        bool is_axis = kw[0] ? !strcmp(kw, "axis") : pos == 1;
        bool is_keep = kw[0] ? !strcmp(kw, "keepdims") : pos == 2;
        pos++;
        if (is_axis && is_name(p, "None")) {
            advance(p);
            continue;
        }
        kiln_expr *v = p_expr(p);
        double f;
        int64_t iv;
        if (!v) break;
        bool konst = kiln_expr_scalar(v, &f, &iv);
        kiln_dtype vdt = kiln_expr_dtype(v);
        kiln_expr_free(v);
        if (is_axis && konst && (vdt == KILN_I64 || vdt == KILN_I32) && iv >= -KILN_MAX_DIMS && iv < KILN_MAX_DIMS) {
            axis = (int)iv;
        } else if (is_keep && konst && vdt == KILN_BOOL) {
            keepdims = iv != 0;
        } else {
            perr(p, off, KILN_ERR_ARG, "%s(): %s", name,
                 is_axis ? "axis must be an integer constant or None" : is_keep ? "keepdims must be True or False"
                                                                       : "takes an array, an axis and keepdims=");
            break;
        }
    }
    if (p->failed || !x || !expect(p, ")", "to close the call")) {
        kiln_expr_free(x);
        return NULL;
    }
    kiln_expr *r = op == KILN_OP_COUNT ? kiln_mean(p->ctx, x, axis, keepdims) : kiln_reduce(p->ctx, op, x, axis, keepdims);
    kiln_expr_free(x);
    return checked(p, r, name_off);
}

/* args = [expr ("," expr)* [","]] ")"   (the "(" is consumed) */
static int p_args(parser *p, kiln_expr **args, const char *fn) {
    int n = 0;
    while (!p->failed && !is_op(p, ")")) {
        if (p->tok.kind == TK_NAME) { /* a keyword argument? */
            lexer save = p->lx;
            token t = p->tok;
            advance(p);
            bool kw = is_op(p, "=");
            p->lx = save;
            p->tok = t;
            if (kw) {
                perr(p, t.off, KILN_ERR_SYNTAX, "%s(): keyword arguments are not supported", fn);
                break;
            }
        }
        if (n == MAX_ARGS) {
            perr(p, p->tok.off, KILN_ERR_ARG, "%s(): too many arguments", fn);
            break;
        }
        args[n] = p_expr(p);
        if (!args[n]) break;
        n++;
        if (!is_op(p, ",")) break;
        advance(p);
    }
    if (!p->failed) expect(p, ")", "to close the call");
    if (p->failed) {
        release(args, n);
        return -1;
    }
    return n;
}

/* call = NAME "(" args ")"   (NAME at name_off, "(" current) */
static kiln_expr *p_call(parser *p, const char *name, size_t name_off) {
    advance(p); /* "(" */
    for (size_t i = 0; i < sizeof reductions / sizeof *reductions; i++)
        if (!strcmp(name, reductions[i].name)) {
            if (reductions[i].op == KILN_OP_MATMUL) break;
            return p_reduction(p, name, reductions[i].op, name_off);
        }
    bool shaped = !strcmp(name, "zeros") || !strcmp(name, "ones") || !strcmp(name, "rand") || !strcmp(name, "randn");
    if (shaped) {
        int nd;
        int64_t shape[KILN_MAX_DIMS];
        if (!p_shape(p, name, &nd, shape) || !expect(p, ")", "to close the call")) return NULL;
        if (name[0] == 'z' || name[0] == 'o') return make_array(p, name_off, KILN_F64, nd, shape, NULL, name[0] == 'o');
        return make_array(p, name_off, KILN_F64, nd, shape, name[4] ? scope_rand_normal : scope_rand_unit, 0);
    }
    if (!strcmp(name, "load")) {
        char path[4096];
        token t = p->tok;
        if (t.kind != TK_STRING || !lex_text(&p->lx, &t, path, sizeof path)) {
            perr(p, t.off, KILN_ERR_ARG, "load() takes a file name in quotes");
            return NULL;
        }
        advance(p);
        if (!expect(p, ")", "to close the call")) return NULL;
        kiln_array *a = kiln_load_npy(p->ctx, path);
        if (!got(p, a, t.off)) return NULL;
        kiln_expr *e = checked(p, kiln_var(p->ctx, a), name_off);
        kiln_array_free(a);
        return e;
    }
    kiln_expr *args[MAX_ARGS] = {NULL};
    int n = p_args(p, args, name);
    if (n < 0) return NULL;
    kiln_expr *r = NULL;
    if (!strcmp(name, "arange")) r = p_arange(p, args, n, name_off);
    else if (!strcmp(name, "linspace")) r = p_linspace(p, args, n, name_off);
    else if (!strcmp(name, "matmul") || !strcmp(name, "dot")) {
        if (n != 2) perr(p, name_off, KILN_ERR_ARG, "%s() takes 2 arguments (%d given)", name, n);
        else if (!strcmp(name, "dot") && (kiln_expr_ndim(args[0]) == 0 || kiln_expr_ndim(args[1]) == 0))
            r = checked(p, kiln_mul(p->ctx, args[0], args[1]), name_off); /* np.dot with a scalar multiplies */
        else r = checked(p, kiln_matmul(p->ctx, args[0], args[1]), name_off);
    } else if (!strcmp(name, "transpose")) {
        if (n != 1) perr(p, name_off, KILN_ERR_ARG, "transpose() takes 1 argument (%d given)", n);
        else r = checked(p, kiln_transpose(p->ctx, args[0]), name_off);
    } else {
        bool found = false;
        for (size_t i = 0; i < sizeof casts / sizeof *casts && !found; i++) {
            if (strcmp(name, casts[i].name)) continue;
            found = true;
            if (n != 1) perr(p, name_off, KILN_ERR_ARG, "%s() takes 1 argument (%d given)", name, n);
            else r = checked(p, kiln_cast(p->ctx, args[0], casts[i].dt), name_off);
        }
        for (size_t i = 0; i < sizeof fn_names / sizeof *fn_names && !found; i++) {
            if (strcmp(name, fn_names[i].name)) continue;
            found = true;
            int ar = kiln_op_arity(fn_names[i].op);
            if (n != ar) perr(p, name_off, KILN_ERR_ARG, "%s() takes %d argument%s (%d given)", name, ar, ar == 1 ? "" : "s", n);
            else r = checked(p, kiln_apply(p->ctx, fn_names[i].op, args), name_off);
        }
        if (!found) perr(p, name_off, KILN_ERR_NAME, "unknown function '%s'", name);
    }
    release(args, n);
    return r;
}

/* ------------------------------------------------------------------ the grammar */

/* primary = INT | FLOAT | "True" | "False" | NAME | call | "(" expr ")" */
static kiln_expr *p_primary(parser *p) {
    token t = p->tok;
    char b[64];
    if (p->failed) return NULL;
    switch (t.kind) {
    case TK_INT:
        advance(p);
        return checked(p, kiln_int(p->ctx, t.ival), t.off);
    case TK_FLOAT:
        advance(p);
        return checked(p, kiln_scalar(p->ctx, t.fval), t.off);
    case TK_NAME: {
        char name[128];
        if (!lex_text(&p->lx, &t, name, sizeof name)) {
            perr(p, t.off, KILN_ERR_NAME, "name is too long");
            return NULL;
        }
        advance(p);
        if (!strcmp(name, "True") || !strcmp(name, "False")) return checked(p, kiln_bool(p->ctx, name[0] == 'T'), t.off);
        if (!strcmp(name, "not") || !strcmp(name, "and") || !strcmp(name, "or")) {
            perr(p, t.off, KILN_ERR_SYNTAX, "'%s' needs one truth value, which an array does not have; use ~, & and | instead", name);
            return NULL;
        }
        if (is_op(p, "(")) return p_call(p, name, t.off);
        kiln_array *a = kiln_scope_get(p->scope, name);
        if (!a) {
            perr(p, t.off, KILN_ERR_NAME, "name '%s' is not defined", name);
            return NULL;
        }
        return checked(p, kiln_var(p->ctx, a), t.off);
    }
    case TK_OP:
        if (is_op(p, "(")) {
            advance(p);
            kiln_expr *e = p_expr(p);
            if (e && is_op(p, ",")) {
                perr(p, p->tok.off, KILN_ERR_SYNTAX, "tuples are allowed only as shapes, as in zeros((3, 4))");
                kiln_expr_free(e);
                return NULL;
            }
            if (e && !expect(p, ")", "to close the parenthesis")) {
                kiln_expr_free(e);
                return NULL;
            }
            return e;
        }
        break;
    case TK_STRING:
        perr(p, t.off, KILN_ERR_SYNTAX, "a string is allowed only as a file name, as in load(\"a.npy\")");
        return NULL;
    case TK_END:
    case TK_ERROR:
        break;
    }
    perr(p, t.off, KILN_ERR_SYNTAX, "expected an expression, found %s", tok_str(p, b, sizeof b));
    return NULL;
}

/* postfix = primary ("." "T")*   (subscripts are not supported) */
static kiln_expr *p_postfix(parser *p) {
    kiln_expr *e = p_primary(p);
    while (e && !p->failed) {
        if (is_op(p, "[")) {
            perr(p, p->tok.off, KILN_ERR_SYNTAX, "indexing and slicing are not supported");
            break;
        }
        if (!is_op(p, ".")) return e;
        size_t off = p->tok.off;
        advance(p);
        if (!is_name(p, "T")) {
            char b[48];
            perr(p, p->tok.off, KILN_ERR_NAME, "unknown attribute %s (only .T is supported)", tok_str(p, b, sizeof b));
            break;
        }
        advance(p);
        kiln_expr *t = checked(p, kiln_transpose(p->ctx, e), off);
        kiln_expr_free(e);
        e = t;
    }
    kiln_expr_free(e);
    return NULL;
}

/* power = postfix ["**" factor]   (right-associative; -a**2 is -(a**2)) */
static kiln_expr *p_power(parser *p) {
    kiln_expr *base = p_postfix(p);
    if (!base || !is_op(p, "**")) return base;
    size_t off = p->tok.off;
    advance(p);
    kiln_expr *ex = p_factor(p);
    kiln_expr *r = ex ? checked(p, kiln_pow(p->ctx, base, ex), off) : NULL;
    kiln_expr_free(base);
    kiln_expr_free(ex);
    return r;
}

/* factor = ("+" | "-" | "~") factor | power */
static kiln_expr *p_factor(parser *p) {
    if (is_op(p, "-") || is_op(p, "+") || is_op(p, "~")) {
        char op = p->tok.text[0];
        size_t off = p->tok.off;
        advance(p);
        kiln_expr *x = p_factor(p);
        if (!x || op == '+') return x;
        kiln_expr *r = checked(p, op == '-' ? kiln_neg(p->ctx, x) : kiln_invert(p->ctx, x), off);
        kiln_expr_free(x);
        return r;
    }
    return p_power(p);
}

typedef struct binop {
    const char *sym;
    kiln_op op;
} binop;

/* One level of binary operators: left-associative, or (chain false) at most one of them. */
static kiln_expr *p_left(parser *p, kiln_expr *(*sub)(parser *), const binop *ops, int nops, bool chain) {
    kiln_expr *l = sub(p);
    for (int count = 0; l && !p->failed; count++) {
        int k = -1;
        for (int i = 0; i < nops; i++)
            if (is_op(p, ops[i].sym)) k = i;
        if (k < 0) return l;
        if (count && !chain) {
            perr(p, p->tok.off, KILN_ERR_SYNTAX, "chained comparisons need the truth value of an array; write (a < b) & (b < c)");
            break;
        }
        size_t off = p->tok.off;
        advance(p);
        kiln_expr *r = sub(p), *args[2] = {l, r};
        kiln_expr *e = r ? checked(p, kiln_apply(p->ctx, ops[k].op, args), off) : NULL;
        kiln_expr_free(l);
        kiln_expr_free(r);
        l = e;
    }
    kiln_expr_free(l);
    return NULL;
}

/* term = factor (("*" | "/" | "//" | "%" | "@") factor)* */
static kiln_expr *p_term(parser *p) {
    static const binop ops[] = {{"*", KILN_OP_MUL}, {"/", KILN_OP_DIV}, {"//", KILN_OP_FLOORDIV},
                                {"%", KILN_OP_MOD}, {"@", KILN_OP_MATMUL}};
    return p_left(p, p_factor, ops, 5, true);
}
/* sum = term (("+" | "-") term)* */
static kiln_expr *p_sum(parser *p) {
    static const binop ops[] = {{"+", KILN_OP_ADD}, {"-", KILN_OP_SUB}};
    return p_left(p, p_term, ops, 2, true);
}
/* band = sum ("&" sum)* */
static kiln_expr *p_band(parser *p) {
    static const binop ops[] = {{"&", KILN_OP_AND}};
    return p_left(p, p_sum, ops, 1, true);
}
/* bxor = band ("^" band)* */
static kiln_expr *p_bxor(parser *p) {
    static const binop ops[] = {{"^", KILN_OP_XOR}};
    return p_left(p, p_band, ops, 1, true);
}
/* bor = bxor ("|" bxor)* */
static kiln_expr *p_bor(parser *p) {
    static const binop ops[] = {{"|", KILN_OP_OR}};
    return p_left(p, p_bxor, ops, 1, true);
}

/* expr = bor [("<" | "<=" | ">" | ">=" | "==" | "!=") bor]   (chains like a < b < c are refused:
 * Python would need the truth value of an array) */
static kiln_expr *p_expr(parser *p) {
    static const binop cmps[] = {{"<", KILN_OP_LT}, {"<=", KILN_OP_LE}, {">", KILN_OP_GT},
                                 {">=", KILN_OP_GE}, {"==", KILN_OP_EQ}, {"!=", KILN_OP_NE}};
    return p_left(p, p_bor, cmps, 6, false);
}

kiln_expr *kiln_parse_n(kiln_ctx *ctx, kiln_scope *scope, const char *src, size_t len) {
    if (!ctx) return NULL;
    if (!src) {
        kiln_fail(ctx, KILN_ERR_ARG, "kiln_parse: source is NULL");
        return NULL;
    }
    uint64_t t0 = kiln_now_ns();
    parser p = {.ctx = ctx, .scope = scope};
    lex_init(&p.lx, src, len);
    advance(&p);
    kiln_expr *e = p_expr(&p);
    if (e && !p.failed && p.tok.kind != TK_END) {
        char b[48];
        if (is_name(&p, "and") || is_name(&p, "or"))
            perr(&p, p.tok.off, KILN_ERR_SYNTAX, "'%.*s' needs one truth value, which an array does not have; use & and | instead",
                 (int)p.tok.len, src + p.tok.off);
        else if (is_op(&p, "="))
            perr(&p, p.tok.off, KILN_ERR_SYNTAX, "unexpected '=' (assignments are statements, and == compares)");
        else
            perr(&p, p.tok.off, KILN_ERR_SYNTAX, "unexpected %s", tok_str(&p, b, sizeof b));
    }
    kiln_note_parse(ctx, kiln_now_ns() - t0);
    if (p.failed) {
        kiln_expr_free(e);
        return NULL;
    }
    return e;
}

kiln_expr *kiln_parse(kiln_ctx *ctx, kiln_scope *scope, const char *src) {
    return kiln_parse_n(ctx, scope, src, src ? strlen(src) : 0);
}
