/*
 * scope.h — the scope's layout, for the parser.
 */
#ifndef KILN_FRONTEND_SCOPE_H
#define KILN_FRONTEND_SCOPE_H

#include "../base/base.h"
#include "../runtime/ctx.h"
#include "frontend.h"
#include "rng.h"

struct kiln_scope {
    rt_owned own;         /* on the context's list: kiln_ctx_free frees a scope left */
    kiln_ctx *ctx;
    char **names;         /* n names, owned */
    kiln_array **arrays;  /* n arrays, one reference each */
    bool *py;             /* n flags: the value is a Python number (a weak 0-d scalar) */
    struct kval **vals;   /* n: a tuple, list, string, dtype or None bound to the name (its
                             arrays[i] is NULL), or NULL where the name has an array */
    struct scope_origin *origin; /* n: where each binding's value came from (fe_scope_derive) */
    uint64_t *live;       /* the bindings' ids, ascending (nlive of them, cap of room): which ids
                             are still bound, by a binary search */
    int nlive;
    uint64_t next_id;
    int n, cap;
    fe_rng rng;           /* np.random's legacy state, behind rand() randn() seed() ... */
    uint32_t mt_key[FE_MT_WORDS]; /* (its MT19937 words: rng.key) */
    fe_rng *gens;         /* each default_rng()'s Generator, by its number (a value's gen) */
    int ngens, gens_cap;
    fe_printopts print;   /* np.set_printoptions's */
    char np_alias[FE_NUMPY_ALIASES][32]; /* import numpy as NAME's names (np and numpy aside) */
    int n_np_alias;
    char la_alias[FE_NUMPY_ALIASES][32]; /* from numpy import linalg as NAME's names */
    int n_la_alias;
    uint32_t np_builtins; /* Python's builtins that from numpy import made NumPy's (bits of fe_py_builtin's table) */
};

/* A binding's identity, and the bindings its value was computed from (their ids). */
struct scope_origin {
    uint64_t id;
    int n;
    uint64_t *from;
};

/* The Generator bound to name, or NULL where name is not one. */
fe_rng *fe_scope_generator(kiln_scope *s, const char *name);
/* A new Generator's number, its state seeded from entropy's n words; -1 when out of memory. */
int scope_new_generator(kiln_scope *s, const uint32_t *entropy, int n);

/* All of a scope's random state, kept to draw the same numbers again (a subscript parsed twice). */
typedef struct scope_rngs {
    fe_rng legacy;
    uint32_t key[FE_MT_WORDS];
    fe_rng *gens;
    int n;
} scope_rngs;
bool scope_rngs_save(kiln_scope *s, scope_rngs *r); /* false when out of memory */
void scope_rngs_load(kiln_scope *s, const scope_rngs *r);
void scope_rngs_free(kiln_scope *s, scope_rngs *r);

#endif
