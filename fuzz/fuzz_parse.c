/*
 * fuzz_parse.c — libFuzzer target: the expression parser and binder.  Each input is parsed as
 * one expression over a scope of small arrays of every dtype (and as a placeholder-reading
 * statement value, as the program's statements parse it); what parses is evaluated when small.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frontend/frontend.h"
#include "kiln.h"

static kiln_ctx *ctx;
static kiln_scope *scope;

static void bind(const char *name, kiln_dtype dt, int nd, const int64_t *shape) {
    kiln_array *a = kiln_full(ctx, dt, nd, shape, 1.5);
    kiln_scope_set(scope, name, a);
    kiln_array_free(a);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    setenv("KILN_MAX_ARRAY_MB", "64", 1);
    setenv("KILN_DISABLE_CACHE", "1", 1);
    ctx = kiln_ctx_new(NULL);
    scope = kiln_scope_new(ctx);
    bind("a", KILN_F64, 1, (int64_t[]){5});
    bind("b", KILN_F32, 2, (int64_t[]){2, 5});
    bind("i", KILN_I64, 1, (int64_t[]){5});
    bind("k", KILN_I32, 2, (int64_t[]){5, 1});
    bind("m", KILN_BOOL, 1, (int64_t[]){5});
    bind("s", KILN_F64, 0, NULL);
    bind("M", KILN_F64, 2, (int64_t[]){3, 3});
    return 0;
}

static void eval_small(kiln_expr *e) {
    if (!e) return;
    int64_t n = 1;
    for (int d = 0; d < kiln_expr_ndim(e); d++) n *= kiln_expr_shape(e)[d];
    if (n <= 4096) kiln_array_free(kiln_eval(ctx, e));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    kiln_clear_error(ctx);
    kiln_expr *e = kiln_parse_n(ctx, scope, (const char *)data, size);
    eval_small(e);
    kiln_expr_free(e);
    /* as a statement's value: names through placeholders, tuples allowed */
    fe_env env = {.scope = scope, .params = true};
    kval v = {0};
    if (fe_parse(ctx, &env, (const char *)data, size, true, &v) == KILN_OK && v.kind == KV_ARRAY) eval_small(v.e);
    kval_free(ctx, &v);
    fe_deps_unbind(ctx, &env.deps);
    fe_deps_free(ctx, &env.deps);
    return 0;
}
