/*
 * parser.h — what the grammar (parse.c) and the functions (builtins.c) share: the parser, its
 * error rule, and conversions of argument values.
 */
#ifndef KILN_FRONTEND_PARSER_H
#define KILN_FRONTEND_PARSER_H

#include "../ir/graph.h"
#include "../runtime/ctx.h"
#include "frontend.h"
#include "lex.h"
#include "scope.h"

/* A comprehension's variables, bound while its element and conditions are read: one frame on
 * the C stack per comprehension, inner ones linked to outer ones. */
#define FE_FRAME_NAMES 8
typedef struct fe_frame {
    struct {
        char name[64];
        kval v;
    } local[FE_FRAME_NAMES];
    int n;
    struct fe_frame *outer;
} fe_frame;

typedef struct parser {
    kiln_ctx *ctx;
    fe_env *env;
    lexer lx;
    token tok;   /* the current token */
    bool failed; /* an error is recorded; unwind */
    fe_frame *frame; /* the innermost comprehension's variables (found before the scope's names) */
    bool imag_unit;  /* an imaginary literal reads as its factor (a step of mgrid's: 0:1:n*1j) ... */
    bool saw_imag;   /* ... and one was read */
    /* 1 + the offset of the source's last word 'if' and last word 'for' (0: none), found at the
     * first look ahead for one: where none follows, no look ahead runs (each would read to the
     * end of the source, at every level of a deep nesting) */
    size_t last_if, last_for;
    bool words_known;
} parser;

/* Records the first error, at byte offset off; returns false. */
bool fe_err(parser *p, size_t off, kiln_status st, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Whether a library call gave a result; if not, its error again, at off. */
bool fe_got(parser *p, const void *r, size_t off);
/* v becomes the array e (a reference, taken over), or false with the library's error at off. */
bool fe_set_expr(parser *p, kval *v, kiln_expr *e, size_t off);
/* The flat C-order positions of e's nonzero elements (NaN is nonzero), e computed now (the
 * statement is then rebuilt at each run), as a new int64 array; NULL after an error (at off). */
kiln_array *fe_nonzero_now(parser *p, kiln_expr *e, size_t off);
/* coord[0..nd): the coordinates in shape (nd dims) of the flat positions `flat`, one int64 array
 * each; false after an error (none left in coord). */
bool fe_coordinates(parser *p, const kiln_array *flat, int nd, const int64_t *shape, size_t off, kval *coord);

/* ---- arguments (builtins.c reads them; parse.c for subscripts) ----
 * Each is false with an error naming fn and the parameter when v is not what is asked for. */
kiln_expr *fe_arg_expr(parser *p, const kval *v, const char *fn, const char *param);
bool fe_arg_int(parser *p, const kval *v, const char *fn, const char *param, int64_t *out);
bool fe_arg_number(parser *p, const kval *v, const char *fn, const char *param, double *f, int64_t *i, kiln_dtype *dt);
bool fe_arg_bool(parser *p, const kval *v, const char *fn, const char *param, bool *out);
/* int or tuple of ints (or one int per argument, for *shape): shape[] with *nd dims. */
bool fe_arg_shape(parser *p, const kval *v, const char *fn, const char *param, int *nd, int64_t *shape);
/* NumPy's result_type of n dtypes, weak[k] where the k-th is a Python number's (NEP 50). */
kiln_dtype fe_result_dtype(int n, const kiln_dtype *dts, const bool *weak);
/* None (every axis: *mask = KILN_EVERY_AXIS, *all = true), an int or a tuple of ints against
 * rank nd. */
bool fe_arg_axes(parser *p, const kval *v, int nd, const char *fn, unsigned *mask, bool *all);
bool fe_arg_dtype(parser *p, const kval *v, const char *fn, kiln_dtype *dt);

/* The items of an iterable v, as Python iterates it: a tuple's or list's items (copies), an
 * array's rows (views; a 0-d array is refused), a string's characters; *items is new (n of
 * them, to free with kval_free each and kiln_free), false after an error. */
bool fe_items(parser *p, const kval *v, kval **items, int *n);
/* A slice of parts start, stop, step (np of them; KV_ABSENT or None where not given, each an int
 * or a bool), as x[a:b:c] makes it; the parts are freed.  False with an error (a zero step). */
bool fe_slice_of(parser *p, kval *part, int np, size_t off, kval *out);
/* Python's a OP b for two items of sequences (*res: its truth): sequences as Python compares
 * them, strings by their characters, anything else as the truth of NumPy's comparison. */
bool fe_item_compare(parser *p, kiln_op op, const kval *a, const kval *b, size_t off, bool *res);
/* Whether a and b are one Python object: the same name's array (a + 0 is a new one in NumPy,
 * though the same node in kiln's graph) */
bool fe_same_object(const kval *a, const kval *b);

/* The truth value of v (a Python number, or an array of one element, evaluated now). */
bool fe_truth(parser *p, const kval *v, bool *out);
/* Python's string method m of self: format, join, split, strip, replace, upper... (self and the
 * arguments taken, freed either way). */
bool fe_str_method(parser *p, const char *m, kval *self, kval *pos, int npos, fe_kwarg *kw, int nkw, size_t off, kval *out);
/* l op r, Python's and NumPy's binary operator (l and r taken, freed either way). */
bool fe_binary(parser *p, kiln_op op, kval *l, kval *r, size_t off, kval *out);
/* v, evaluated now, as a weak Python number of kind dt (float(x), int(x), x.item()). */
bool fe_to_py(parser *p, kval *v, kiln_dtype dt, size_t off);
bool fe_int_of_string(parser *p, kval *v, int base);
/* out, a view of x by NumPy's rules (out->alias set where x is a name's): read-only where x is
 * one (a view of a diagonal), and where x is a read-only value that is not a name's. */
static inline void fe_view_readonly(kval *out, const kval *x) { out->readonly = x->readonly && (out->alias || !x->alias); }
kiln_expr *fe_index_expr(parser *p, const kval *v, const char *fn, const char *param);
/* A function's result from Python numbers is a NumPy scalar: strong (NEP 50). */
void fe_make_strong(parser *p, kval *v);

/* ---- calls (builtins.c) ---- */


/* Calls the function `name` (or, with self, the method `name` of self) with positional
 * arguments pos and keyword arguments kw (both taken over) into *out. */
bool fe_call(parser *p, const char *name, size_t off, kval *self, kval *pos, int npos, fe_kwarg *kw, int nkw, kval *out);
/* The function a call of name without np. calls: Python's builtin where it differs from NumPy's
 * function of that name (round(2.5) is 2, np.round(2.5) is 2.0: py.round), unless from numpy
 * import made it NumPy's in s; else name. */
const char *fe_py_builtin(const kiln_scope *s, const char *name);
/* Attributes that are not calls: .T .shape .ndim .size .dtype. */
bool fe_attribute(parser *p, kval *self, const char *name, size_t off, kval *out);

/* ---- names (parse.c) ---- */

/* The constant or dtype called name (nan inf pi e newaxis float32 ...), into *out; false when
 * there is none. */
bool fe_builtin_value(parser *p, const char *name, size_t off, kval *out);
/* Records, in params mode, that name was read as a builtin (a later binding of it invalidates). */
void fe_note_free(parser *p, const char *name);

#endif
