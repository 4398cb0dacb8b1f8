/*
 * frontend.h — the expression language's values and parser, for the kiln program's statements
 * (src/repl) and kiln_parse.
 *
 * An expression in the language is Python's with NumPy's names, and its value is one of:
 *
 *     KV_ARRAY    an expression graph (a Python number is a weak 0-d constant: fe_is_py)
 *     KV_TUPLE    (a, b, ...): shapes, a.shape, several results
 *     KV_LIST     [1, 2, 3]: a nested list of numbers, an array when used as one
 *     KV_STR      "text": file names, print's words, dtype names
 *     KV_DTYPE    float32, a.dtype
 *     KV_SLICE    a:b:s, only inside a subscript;  KV_ELLIPSIS  ...
 *     KV_NONE     None (newaxis inside a subscript)
 *     KV_GEN      default_rng()'s Generator;  KV_INFO  finfo(float32), iinfo(uint8): a dtype's limits
 *
 * The parser builds graphs as it goes (CSE, typing and folding happen in the builders).  With
 * fe_env.params set, every array name of the scope is read through a placeholder (kiln_param),
 * bound to the name's array, and recorded in fe_env.deps: a statement parsed this way can be
 * evaluated again, without parsing or planning, for as long as fe_deps_valid says the scope
 * still has arrays of the same dtypes and shapes, and the same Python numbers, under its names.
 */
#ifndef KILN_FRONTEND_H
#define KILN_FRONTEND_H

#include "../base/base.h"

typedef enum kv_kind { KV_NONE, KV_ARRAY, KV_TUPLE, KV_LIST, KV_STR, KV_DTYPE, KV_SLICE, KV_ELLIPSIS, KV_GEN, KV_INFO, KV_ABSENT } kv_kind;

/* One of NumPy's named tuples (np.linalg's results, unique_*'s): its type's name and fields. */
typedef struct fe_named {
    const char *name;
    const char *fields[5]; /* (NULL after the last) */
} fe_named;

typedef struct kval {
    kv_kind kind;
    size_t off;           /* where it starts in the source (for messages) */
    kiln_expr *e;         /* KV_ARRAY: a reference */
    int n;                /* KV_TUPLE, KV_LIST: items */
    struct kval *items;
    char *s;              /* KV_STR */
    kiln_dtype dt;        /* KV_DTYPE, KV_INFO (finfo of a float dtype, iinfo of an integer one) */
    int rng;              /* KV_GEN: a default_rng() Generator, by its number in the scope */
    int64_t sl[3];        /* KV_SLICE: start, stop, step, present by sl_flags (KILN_IX_HAS_*) */
    int sl_flags;
    /* KV_ARRAY: a name's array or a view of one, which NumPy's value would share memory with;
     * false for what operators and functions compute (a*1, copy(a): new arrays in NumPy) */
    bool alias;
    /* KV_ARRAY: NumPy's value is a read-only view (diagonal, broadcast_to, broadcast_arrays, and
     * views of them): a name bound to it is not written through */
    bool readonly;
    /* KV_TUPLE: NumPy's named tuple it is (eigh(A).eigenvalues; shown as EighResult(...)), or NULL */
    const fe_named *named;
    /* KV_LIST: a generator expression, a call's one argument (sum(x for x in xs) is Python's
     * sum of the items, as NumPy's np.sum of a generator is) */
    bool gen;
    /* KV_ARRAY: an imaginary number of a step of r_'s and mgrid's (5j, n*1j), read as its factor:
     * kept through + - * / and nothing else */
    bool imag;
    /* a value bound by kiln_scope_set_literal, which its caller keys: reading it does not make a
     * statement volatile (a program's own tuples and lists may change between runs) */
    bool fixed;
} kval;

void kval_free(kiln_ctx *ctx, kval *v);
/* Whether v is a Python number: a weak 0-d constant (from a literal or Python arithmetic). */
bool fe_is_py(const kval *v);
/* Why an array of n elements (not 1) has no truth value. */
const char *fe_truth_ambiguous(int64_t n);

/* A name a statement read, and what it was when the statement was built. */
typedef struct fe_dep {
    char *name;
    int what;             /* FE_DEP_ARRAY, FE_DEP_PY (a Python number), FE_DEP_FREE (a builtin) */
    kiln_expr *param;     /* FE_DEP_ARRAY: its placeholder (a reference) */
    kiln_dtype dt;
    int ndim;
    int64_t shape[KILN_MAX_DIMS];
    uint64_t bits;        /* FE_DEP_PY: the value; FE_DEP_FREE: whether from numpy import made it NumPy's */
    int slot;             /* where the scope had the name when last looked up (fe_scope_get_at) */
    int same_as;          /* FE_DEP_ARRAY: the earlier dep bound to the same array then, or -1 (p = W:
                             grad(f(W), p) sums what flows to both; another pattern rebuilds it) */
    bool outside_grad;    /* read outside the arguments of grad() too (w -= lr * grad(f(w, b), w)
                             updates w: not made from b, as z = x @ w is made from w) */
} fe_dep;
enum { FE_DEP_ARRAY, FE_DEP_PY, FE_DEP_FREE };

typedef struct fe_deps {
    int n, cap;
    fe_dep *d;
} fe_deps;

typedef struct fe_env {
    kiln_scope *scope;
    bool params;          /* read array names through placeholders, recorded in deps */
    bool values_only;     /* the parse's values are computed into new arrays (kiln_parse_params'): a view
                             of a name's array is never seen as one, so none is made at a cost */
    fe_deps deps;
    bool volatile_;       /* the value depends on more than deps: rand(), load(), float(x) */
    char warning[320];    /* the first thing worth a warning, with its offset (NUL: none) */
    size_t warning_off;
    int depth;            /* nesting, against FE_MAX_DEPTH */
    bool in_place;        /* an in-place statement, np.add.at(a, i, b) (fe_in_place): its call gives a's new value */
    bool out_ok;          /* a statement of one call with out= (np.add(a, b, out=c)): its call gives the value written into out */
    bool out_done;        /* out_ok: the call took its out= (a function that writes arrays) */
    bool extends;         /* xs += items of a list xs: the value is the items, appended in place (fe_parse_augmented) */
    int in_grad;          /* the arguments of grad() or value_and_grad() being read: what a function
                             computes now, as an array, must stay a graph there (gradients flow through) */
} fe_env;

/* The functions that change their first argument in place, statements of their own (np.add.at,
 * np.fill_diagonal, np.put, np.putmask, np.place, np.copyto): the REPL writes the value their call
 * gives (with fe_env.in_place) into the named array's memory.  NULL-terminated. */
extern const char *const fe_in_place[];
/* How many inputs ufunc name (np.add, numpy.exp, sin) takes: its out= may follow them; -1 for another name. */
int fe_ufunc_inputs(const char *name);
bool fe_is_in_place(const char *name);

/* Deeper nesting than this is refused (a message, not a stack overflow). */
#define FE_MAX_DEPTH 200
/* Values whose tuples and lists hold more items than this (all levels) are refused: kiln copies
 * them where Python shares them (s = s, s in a loop doubles each time). */
#define FE_MAX_ITEMS (1 << 20)
/* Arrays at most this many are joined into one (array(list), stack, concatenate...): a
 * balanced tree of concatenations, which one step writes (each value copied once). */
#define FE_MAX_JOIN (1 << 16)
/* Longer strings than this are refused (s * n, s + t: a message, not an allocation of gigabytes). */
#define FE_MAX_STRING (16 << 20)

/* Parses src[0..len) as one value (with `tuple`, a bare "a, b" is a tuple) into *out.  KILN_OK,
 * or an error on ctx whose kiln_error_offset is the byte offset in src. */
kiln_status fe_parse(kiln_ctx *ctx, fe_env *env, const char *src, size_t len, bool tuple, kval *out);
/* A call's arguments: "(" args ")" spanning src[0..len) exactly (print(...), save(...), a
 * range(...)), into positional values pos (up to FE_MAX_ARGS) and keyword arguments kw. */
#define FE_MAX_ARGS 32
typedef struct fe_kwarg {
    char name[32];
    size_t off;
    kval v;
} fe_kwarg;
kiln_status fe_parse_args(kiln_ctx *ctx, fe_env *env, const char *src, size_t len, kval *pos, int *npos, fe_kwarg *kw, int *nkw);
/* The function `name` of kiln's table (np.sort, not a name of the program's) called with the
 * values pos and kw (taken over) into *out; an error on ctx otherwise. */
kiln_status fe_call_values(kiln_ctx *ctx, fe_env *env, const char *name, kval *pos, int npos, fe_kwarg *kw, int nkw, kval *out);
/* name OP= src[0..len) as NumPy does it in place: name's array combined with the value by op
 * (KILN_OP_ADD for +=, ...), cast back to its dtype where NumPy's same_kind rule allows and
 * required to keep its shape; for a name bound to a Python number, name OP value. */
kiln_status fe_parse_augmented(kiln_ctx *ctx, fe_env *env, const char *name, kiln_op op, const char *src, size_t len, kval *out);
/* fe_parse_augmented's op for a call with out=name (env->out_ok): the call's value, which it writes into name, as it is */
#define FE_AUG_OUT KILN_OP_COUNT
/* x[i] op= value's new value: target (x[i]'s, not consumed) op the value parsed from src, of
 * target's shape and of a dtype that casts to dt by NumPy's same_kind rule, unless target is one
 * element picked by integers (NumPy updates it through a scalar; any other subscript in place). */
kiln_status fe_parse_item_update(kiln_ctx *ctx, fe_env *env, const kval *target, kiln_dtype dt, bool element, kiln_op op,
                                 const char *src, size_t len, kval *out);

/* v as an array expression (a list is converted; a new reference), or NULL with an error
 * naming what it is instead. */
kiln_expr *fe_as_expr(kiln_ctx *ctx, const kval *v, const char *what);

/* Whether the scope still matches what deps recorded; if so, binds every placeholder to its
 * name's array. */
bool fe_deps_valid(kiln_ctx *ctx, fe_deps *deps, kiln_scope *scope);
/* Unbinds every placeholder (so that no array stays alive through them). */
void fe_deps_unbind(kiln_ctx *ctx, fe_deps *deps);
void fe_deps_free(kiln_ctx *ctx, fe_deps *deps);

/* Names bound to Python numbers: a 0-d array of int64, float64 or bool marked as Python's.
 * fe_scope_set binds a value (py: a Python number); fe_scope_py says whether a name's value
 * is a Python number. */
kiln_status fe_scope_set(kiln_scope *s, const char *name, kiln_array *a, bool py);
bool fe_scope_py(const kiln_scope *s, const char *name);
/* kiln_scope_get and fe_scope_py (into py, unless NULL) at once, looking at *slot first (where the
 * name was last time; updated when it has moved). */
kiln_array *fe_scope_get_at(const kiln_scope *s, const char *name, int *slot, bool *py);
kiln_status fe_scope_del(kiln_scope *s, const char *name);
/* Names bound to other values (a tuple of numbers, a string, a dtype, None): v is copied (its
 * arrays must be arrays, not expressions of placeholders); fe_scope_value gives it back, or
 * NULL where the name is unbound or has an array. */
kiln_status fe_scope_set_value(kiln_scope *s, const char *name, const kval *v);
bool fe_scope_name_ok(const char *name); /* a name a program can write (not a keyword, True, False, None) */
kiln_status fe_scope_take_value(kiln_scope *s, const char *name, kval *v); /* (v taken over, zeroed; left where it fails) */
const kval *fe_scope_value(const kiln_scope *s, const char *name);
/* item (taken over) appended to the list name holds, in place: xs.append(v) without a copy of
 * the list; KILN_ERR_ARG when name holds no list. */
kiln_status fe_scope_append(kiln_scope *s, const char *name, kval *item);
/* name's list gains the items of the list *items, taken over (*items zeroed; left as it was when
 * memory ran out, KILN_ERR_NOMEM, or name holds no list, KILN_ERR_ARG). */
kiln_status fe_scope_extend(kiln_scope *s, const char *name, kval *items);
/* The list name holds, edited in place by xs.insert(), xs.pop()...: its items are the scope's,
 * freed and allocated with the scope's context; NULL when name holds no list. */
kval *fe_scope_list(kiln_scope *s, const char *name);
kval *fe_scope_seq(kiln_scope *s, const char *name); /* (a list or a tuple, to change a list inside it) */
void fe_scope_renew(kiln_scope *s, const char *name); /* (its value changed in place: a new origin, as a new value's) */
/* The position of the first item of list xs equal to v (Python's ==: the same array, equal
 * sequences, or NumPy's comparison true), or -1; false with the context's error when comparing
 * fails. */
bool fe_list_find(kiln_ctx *ctx, fe_env *env, const kval *xs, const kval *v, int64_t *pos);
/* Where values came from, for grad()'s warning: every binding has an identity, and a binding a
 * statement makes keeps those of the bindings its value read, and theirs (while still bound).
 * fe_scope_sources: those identities for a value that read deps (a new list in *ids that the
 * caller frees with kiln_free; its length returned; update: an x OP= v's, without the names only
 * v's grad() arguments read); fe_scope_derive: name's binding gets them
 * (add: gains them, as x[i] = v does); fe_scope_derived: whether name's value was computed from
 * what `from` is bound to now; fe_scope_name_of: the name bound to a (or to a tuple or list holding it), or NULL. */
int fe_scope_sources(kiln_scope *s, const fe_deps *deps, uint64_t **ids, bool update);
/* ... the same for the value e alone (its leaves: placeholders named by deps, or names' arrays) */
int fe_scope_sources_of(kiln_scope *s, const fe_deps *deps, kiln_expr *e, uint64_t **ids);
/* The name a leaf of a parsed graph stands for: a placeholder's (in deps) or a variable's (the
 * array a name holds); NULL for an array no name holds. */
const char *fe_leaf_name(const kiln_scope *s, const fe_deps *deps, const kiln_expr *leaf);
void fe_scope_derive(kiln_scope *s, const char *name, const uint64_t *ids, int n, bool add);
bool fe_scope_derived(const kiln_scope *s, const char *name, const char *from);
const char *fe_scope_name_of(const kiln_scope *s, const kiln_array *a);
/* The value of e, an expression of one element: a constant's own, else e evaluated now (false
 * with the context's error when that fails). */
bool fe_scalar_now(kiln_ctx *ctx, kiln_expr *e, kscalar *out, kiln_dtype *dt);
/* A deep copy of src (new references to its expressions); false when out of memory. */
bool fe_kval_copy(kiln_ctx *ctx, kval *dst, const kval *src);
/* The characters of UTF-8 string s, a list of one-character strings (a character: its bytes);
 * false when out of memory. */
bool fe_str_chars(kiln_ctx *ctx, const char *s, kval *out);
/* Whether float f truncated toward zero is a value of integer dtype dt (int32 or int64): NaN and
 * the infinities are not. */
bool fe_float_fits(double f, kiln_dtype dt);

/* ---- printing (format.c): each appends to b exactly what NumPy 2.2 or Python prints, with
 * NumPy's print options ---- */

/* np.set_printoptions's options kiln has (a session's: fe_scope_printopts); NULL where one is
 * taken means NumPy's defaults, FE_PRINTOPTS. */
typedef struct fe_printopts {
    int precision;     /* digits after the point (positional), after the first (scientific) */
    int64_t threshold; /* more elements than this are summarized */
    int edgeitems;     /* items shown at each edge of a summarized axis */
    int linewidth;     /* rows wrapped at this many columns */
    bool suppress;     /* positional unless the largest magnitude reaches 1e8 */
} fe_printopts;
#define FE_PRINTOPTS_INIT {.precision = 8, .threshold = 1000, .edgeitems = 3, .linewidth = 75}
#define FE_PRINTOPTS ((fe_printopts)FE_PRINTOPTS_INIT)
#define FE_MAX_PRECISION 40 /* (NumPy's has none; 40 digits after the point pass any float's) */
const fe_printopts *fe_scope_printopts(const kiln_scope *s); /* (NULL: no scope) */
void fe_scope_set_printopts(kiln_scope *s, const fe_printopts *po);

/* import numpy as NAME: NAME.f is NumPy's f, as np.f is (a binding of NAME hides it); false
 * when the name is too long or FE_NUMPY_ALIASES are taken.  fe_scope_is_numpy: np, numpy or
 * such a name. */
#define FE_NUMPY_ALIASES 8
bool fe_scope_alias_numpy(kiln_scope *s, const char *name);
bool fe_scope_is_numpy(const kiln_scope *s, const char *name);
/* from numpy import linalg as NAME: NAME.solve is np.linalg.solve (false when FE_NUMPY_ALIASES are
 * taken); an import of the name as numpy's, or as linalg's, takes it off the other list */
bool fe_scope_alias_linalg(kiln_scope *s, const char *name);
/* from numpy import name (or *): a Python builtin of that name (sum, max, min, round, abs, pow,
 * divmod) is NumPy's function from now on (any other name: nothing to do). */
void fe_scope_numpy_builtin(kiln_scope *s, const char *name);
/* Whether name is a function of kiln's table (for messages about a name used without a call). */
bool fe_is_function(const char *name);
/* Whether name is such a builtin, and whether it is NumPy's in s now; a binding or a del of the
 * name ends the import's (Python's name is its own again after del). */
bool fe_numpy_shadows(const char *name);
const char *fe_numpy_shadowed(int k); /* the k-th of them, NULL past the last */
bool fe_scope_is_numpy_builtin(const kiln_scope *s, const char *name);
void fe_scope_unshadow(kiln_scope *s, const char *name);
bool fe_scope_is_linalg(const kiln_scope *s, const char *name);

/* repr(a): array([0.5 , 0.25]), rows wrapped at 75 columns, over 1000 elements summarized, the
 * shape and dtype named where NumPy names them.  A 0-d a is a NumPy scalar: np.float64(0.5),
 * np.int32(-2), np.True_ (print options leave scalars alone, as NumPy's do). */
void fe_format_array(const kiln_array *a, const fe_printopts *po, kstr *b);
/* str(a), what print(a) shows: [0.5  0.25], [[1 2]\n [3 4]], [].  A 0-d a: 0.5, -2, True. */
void fe_format_str(const kiln_array *a, const fe_printopts *po, kstr *b);
/* repr (and str) of a Python float: the shortest digits that read back, 0.1, 1e-05, 1e+16, nan. */
void fe_format_pyfloat(double v, kstr *b);
/* np.finfo's figures for a float dtype (NULL for another) */
typedef struct fe_finfo {
    int bits, machep, negep, maxexp, minexp, nexp, nmant, precision;
    double eps, epsneg, max, resolution, tiny, subnormal;
} fe_finfo;
const fe_finfo *fe_finfo_of(kiln_dtype dt);
/* finfo(dt) or iinfo(dt) as NumPy's repr (str: its print, the table "Machine parameters for ...") */
void fe_format_info(kiln_dtype dt, bool str, kstr *b);
/* A float64's (float32's when f32) shortest repr, as NumPy's str of its scalar writes it. */
void fe_format_float(double v, bool f32, kstr *b);
/* repr of a Python int: 3, -12. */
void fe_format_pyint(int64_t v, kstr *b);
/* Python's name of v's type in messages: int, float, str, list, NoneType, ... (float64 for a NumPy float64). */
const char *fe_py_type(const kval *v);
/* The Python type of a Python number held as dt: float, bool or int. */
const char *fe_py_number_type(kiln_dtype dt);
/* repr of a dtype: dtype('float64') (its str is kiln_dtype_name's float64). */
void fe_format_dtype(kiln_dtype dt, kstr *b);

/* str(v) (str) or repr(v) of a value into b with print options po, evaluating an array; false
 * with an error on ctx. */
bool fe_text(kiln_ctx *ctx, const fe_printopts *po, const kval *v, bool str, kstr *b);

/* Python's format(x, spec) (the mini-language: [[fill]align][sign][z][#][0][width][,][.prec]
 * [type]) of a number of dtype dt (bool and ints as Python's int, floats as Python's float) or
 * of a string; false when spec does not apply to it. */
bool fe_format_spec_num(kscalar v, kiln_dtype dt, const char *spec, kstr *b);
bool fe_format_spec_str(const char *s, const char *spec, kstr *b);
/* How many characters s holds (UTF-8: its bytes but the continuation bytes). */
int fe_text_chars(const char *s);

/* The language's functions, for :help and completion: name, signature, what it computes. */
typedef struct fe_fninfo {
    const char *name, *sig, *doc;
} fe_fninfo;
int fe_functions(const fe_fninfo **list);
/* The names kiln reads after math. (module 0), np.linalg. (1) and np.random. (2): at most cap
 * of them into out; their number. */
int fe_module_names(int module, const char **out, int cap);
/* The constants and other names (nan, inf, pi, e, newaxis, the dtypes, True, False, None). */
const char *const *fe_builtin_names(void);

#endif
