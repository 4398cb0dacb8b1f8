/*
 * scope.h — the scope's layout, for the parser.
 */
#ifndef KILN_FRONTEND_SCOPE_H
#define KILN_FRONTEND_SCOPE_H

#include "../base/base.h"
#include "frontend.h"

struct kiln_scope {
    kiln_ctx *ctx;
    char **names;         /* n names, owned */
    kiln_array **arrays;  /* n arrays, one reference each */
    bool *py;             /* n flags: the value is a Python number (a weak 0-d scalar) */
    struct kval **vals;   /* n: a tuple, list, string, dtype or None bound to the name (its
                             arrays[i] is NULL), or NULL where the name has an array */
    struct scope_origin *origin; /* n: where each binding's value came from (fe_scope_derive) */
    uint64_t next_id;
    int n, cap;
    uint64_t rng[4];      /* xoshiro256** state for rand() and randn() */
    fe_printopts print;   /* np.set_printoptions's */
};

/* A binding's identity, and the bindings its value was computed from (their ids). */
struct scope_origin {
    uint64_t id;
    int n;
    uint64_t *from;
};

uint64_t scope_rand_u64(kiln_scope *s);
double scope_rand_unit(kiln_scope *s);   /* uniform in [0, 1) */
double scope_rand_normal(kiln_scope *s); /* standard normal */

#endif
