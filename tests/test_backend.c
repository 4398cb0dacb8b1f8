/*
 * test_backend.c — backends as peers: choosing one per context (kiln_config, KILN_BACKEND,
 * kiln_set_backend) and the clear error for one this build lacks; the graph is the same on
 * every machine while the plan decides how a product runs; the scalar-semantics table covers
 * every op and dtype the type rules let through; and each backend's render, compile and load
 * on their own, including damaged bytes.
 */
#include "helpers.h"
#include "runtime/exec.h"

static bool has_backend(const char *name) {
    char list[128];
    snprintf(list, sizeof list, ",%s,", kiln_backends());
    for (char *p = list; *p; p++)
        if (*p == ' ') memmove(p, p + 1, strlen(p));
    char want[32];
    snprintf(want, sizeof want, ",%s,", name);
    return strstr(list, want) != NULL;
}

START_TEST(choosing_a_backend) {
    ck_assert(has_backend("interp"));
    kiln_ctx *ctx = kiln_ctx_new(NULL);
    ck_assert_ptr_nonnull(kiln_backend_name(ctx));
    ck_assert_ptr_nonnull(kiln_backend_info(ctx));
    /* by configuration */
    kiln_ctx *c2 = kiln_ctx_new(&(kiln_config){.backend = "interp"});
    ck_assert_str_eq(kiln_backend_name(c2), "interp");
    ck_assert_ptr_nonnull(strstr(kiln_backend_info(c2), "interpreter"));
    int64_t n = 100;
    kiln_array *a = kiln_array_new(c2, KILN_F64, 1, &n);
    for (int i = 0; i < n; i++) ((double *)kiln_array_data(a))[i] = i;
    kiln_expr *x = kiln_var(c2, a), *e = kiln_add(c2, kiln_mul(c2, x, x), kiln_scalar(c2, 1));
    char msg[256] = "";
    ck_assert_msg(jit_vs_ref(c2, e, 0, msg, sizeof msg) == 0, "%s", msg);
    kiln_expr_free(e);
    kiln_expr_free(x);
    kiln_array_free(a);
    kiln_ctx_free(c2);
    /* a backend this build does not have: one sentence, at the first evaluation */
    kiln_ctx *c3 = kiln_ctx_new(&(kiln_config){.backend = "metal"});
    ck_assert_ptr_null(kiln_backend_name(c3));
    a = kiln_array_new(c3, KILN_F64, 1, &n);
    x = kiln_var(c3, a);
    ck_assert_ptr_null(kiln_eval(c3, x));
    ck_assert_int_eq(kiln_errcode(c3), KILN_ERR_BACKEND);
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(c3), "no backend 'metal'"));
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(c3), kiln_backends()));
    kiln_expr_free(x);
    kiln_array_free(a);
    kiln_ctx_free(c3);
    /* and by name at run time: unknown names change nothing */
    const char *before = kiln_backend_name(ctx);
    ck_assert_int_eq(kiln_set_backend(ctx, "nope"), KILN_ERR_BACKEND);
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(ctx), "no backend 'nope'"));
    ck_assert_str_eq(kiln_backend_name(ctx), before);
    ck_assert_int_eq(kiln_set_backend(ctx, NULL), KILN_ERR_ARG);
    ck_assert_int_eq(kiln_set_backend(ctx, "interp"), KILN_OK);
    ck_assert_str_eq(kiln_backend_name(ctx), "interp");
    kiln_ctx_free(ctx);
    /* the environment */
    setenv("KILN_BACKEND", "interp", 1);
    ctx = kiln_ctx_new(NULL);
    ck_assert_str_eq(kiln_backend_name(ctx), "interp");
    kiln_ctx_free(ctx);
    unsetenv("KILN_BACKEND");
}
END_TEST

/* A plan made on one backend is remade after a switch: the same expression runs on each, with
 * each backend's own kernels (the cache keys start with the backend's name). */
START_TEST(switching_backends_remakes_plans) {
    kiln_ctx *ctx = kiln_ctx_new(&(kiln_config){.tier = KILN_TIER_JIT});
    int64_t n = 5000;
    kiln_array *a = kiln_array_new(ctx, KILN_F32, 1, &n);
    uint64_t seed = 3;
    fill_values(kiln_array_data(a), KILN_F32, n, &seed, true);
    kiln_expr *x = kiln_var(ctx, a), *e = kiln_where(ctx, kiln_gt(ctx, x, kiln_scalar(ctx, 0)), kiln_sqrt(ctx, x), kiln_neg(ctx, x));
    kiln_expr *s = kiln_sum(ctx, e, KILN_ALL_AXES, 0);
    char msg[256] = "";
    ck_assert_msg(backends_agree(ctx, e, 0, msg, sizeof msg) == 0, "%s", msg);
    ck_assert_msg(backends_agree(ctx, s, 0, msg, sizeof msg) == 0, "%s", msg);
    kiln_stats st;
    kiln_get_stats(ctx, &st);
    /* two kernels (the map and the sum) per backend */
    ck_assert_uint_eq(st.kernels_compiled, 2u * (has_backend("cpu") ? 2u : 1u));
    kiln_expr_free(s);
    kiln_expr_free(e);
    kiln_expr_free(x);
    kiln_array_free(a);
    kiln_ctx_free(ctx);
}
END_TEST

/* The graph of a product is a MATMUL node wherever it is built; the plan lowers a product with
 * a vector side to a reduction when the backend has no tuned product for it (integers here,
 * and a dot product always). */
START_TEST(products_are_lowered_by_the_planner) {
    kiln_ctx *ctx = kiln_ctx_new(NULL);
    int64_t sm[2] = {40, 30}, sv[1] = {30};
    for (int dt = KILN_I64; dt <= KILN_F64; dt++) {
        kiln_array *M = kiln_array_new(ctx, (kiln_dtype)dt, 2, sm), *v = kiln_array_new(ctx, (kiln_dtype)dt, 1, sv);
        uint64_t seed = 9;
        fill_values(kiln_array_data(M), (kiln_dtype)dt, 1200, &seed, false);
        fill_values(kiln_array_data(v), (kiln_dtype)dt, 30, &seed, false);
        kiln_expr *m = kiln_var(ctx, M), *x = kiln_var(ctx, v);
        kiln_expr *mv = kiln_matmul(ctx, m, x), *dot = kiln_matmul(ctx, x, x);
        ck_assert_int_eq(kiln_expr_op(mv), KILN_OP_MATMUL);
        ck_assert_int_eq(kiln_expr_op(dot), KILN_OP_MATMUL);
        rt_plan *p = rt_plan_build(ctx, &mv, 1), *q = rt_plan_build(ctx, &dot, 1);
        ck_assert_ptr_nonnull(p);
        ck_assert_ptr_nonnull(q);
        void *state = atomic_load(&ctx->be_state[p->backend]);
        bool gemm = rt_backends[p->backend]->gemm(state, (kiln_dtype)dt) != NULL;
        ck_assert_int_eq(p->steps[p->nsteps - 1].kind, gemm ? RT_STEP_MATMUL : RT_STEP_REDUCE);
        ck_assert_int_eq(q->nsteps, 1);
        ck_assert_int_eq(q->steps[0].kind, RT_STEP_REDUCE);
        rt_plan_free(ctx, p);
        rt_plan_free(ctx, q);
        char msg[256] = "";
        uint64_t tol = dtype_is_float((kiln_dtype)dt) ? 64 : 0;
        ck_assert_msg(backends_agree(ctx, mv, tol, msg, sizeof msg) == 0, "%s", msg);
        kiln_expr *all[] = {m, x, mv, dot};
        for (int i = 0; i < 4; i++) kiln_expr_free(all[i]);
        kiln_array_free(M);
        kiln_array_free(v);
    }
    kiln_ctx_free(ctx);
}
END_TEST

/* Every op, on operands of every dtype, either is refused by the type rules or lands on a
 * function of base/scalar.h (through base/scalar_table.h). */
START_TEST(scalar_table_covers_the_type_rules) {
    kiln_ctx *ctx = kiln_ctx_new(NULL);
    int64_t n = 4;
    int covered = 0;
    for (int dt = 0; dt < KILN_DTYPE_COUNT; dt++) {
        kiln_array *a = kiln_array_new(ctx, (kiln_dtype)dt, 1, &n), *c = kiln_array_new(ctx, KILN_BOOL, 1, &n);
        kiln_expr *x = kiln_var(ctx, a), *b = kiln_var(ctx, c);
        for (int op = KILN_OP_CAST + 1; op < KILN_OP_SUM; op++) {
            kiln_expr *args[3] = {x, x, x};
            if (op == KILN_OP_WHERE) args[0] = b;
            kiln_expr *e = kiln_apply(ctx, (kiln_op)op, args);
            if (!e) {
                kiln_clear_error(ctx);
                continue;
            }
            if ((int)kiln_expr_op(e) == op) { /* not simplified into another op */
                kiln_dtype odt = (kiln_dtype)(op == KILN_OP_WHERE ? ir_arg(e, 1) : ir_arg(e, 0))->dtype;
                ck_assert_msg(ref_has((kiln_op)op, odt), "%s on %s has no scalar function", kiln_op_name((kiln_op)op),
                              kiln_dtype_name(odt));
                covered++;
            }
            kiln_expr_free(e);
        }
        kiln_expr_free(x);
        kiln_expr_free(b);
        kiln_array_free(a);
        kiln_array_free(c);
    }
    ck_assert_int_gt(covered, 150);
    kiln_ctx_free(ctx);
}
END_TEST

/* Each backend on its own: render has text, compile gives bytes that load, and damaged or
 * truncated bytes are refused with an error rather than run. */
START_TEST(render_compile_load_and_damaged_bytes) {
    kiln_ctx *ctx = kiln_ctx_new(NULL);
    int64_t n = 64;
    kiln_array *a = kiln_array_new(ctx, KILN_F64, 1, &n);
    kiln_expr *x = kiln_var(ctx, a), *e = kiln_add(ctx, kiln_mul(ctx, x, x), kiln_scalar(ctx, 2));
    rt_plan *p = rt_plan_build(ctx, &e, 1);
    ck_assert_ptr_nonnull(p);
    kernel_desc kd = p->steps[0].fk.kd;
    uint8_t layout[3] = {KD_CONTIG, KD_CONTIG, 0};
    kd.layout = layout;
    for (int b = 0; b < rt_nbackends; b++) {
        const kiln_backend_i *be = rt_backends[b];
        void *state = NULL;
        if (be->device) setenv("KILN_CUDA_ARCH", "sm_90", 0); /* compile-only without a GPU */
        kiln_status st = be->init(ctx, &state);
        if (be->device) unsetenv("KILN_CUDA_ARCH");
        if (be->device && st != KILN_OK) { /* no NVRTC here: the cuda test says so */
            kiln_clear_error(ctx);
            continue;
        }
        ck_assert_int_eq(st, KILN_OK);
        kstr text = {0};
        ck_assert_int_eq(be->render(state, ctx, &kd, KILN_DUMP_SOURCE, &text), KILN_OK);
        ck_assert_msg(text.s && strstr(text.s, "add"), "%s renders nothing useful", be->name);
        kstr_free(&text);
        void *bytes = NULL;
        size_t len = 0;
        kiln_compile_times t = {0};
        ck_assert_int_eq(be->compile(state, ctx, &kd, "kiln_test_kernel", &bytes, &len, &t), KILN_OK);
        ck_assert_uint_gt(len, 0);
        kiln_kernel *k = NULL;
        ck_assert_int_eq(be->load(state, ctx, bytes, len, "kiln_test_kernel", &k), KILN_OK);
        ck_assert_ptr_eq(k->backend, be);
        kiln_kernel *k2 = NULL;
        ck_assert_int_ne(be->load(state, ctx, bytes, len / 3, "kiln_test_kernel2", &k2), KILN_OK); /* truncated */
        ck_assert_ptr_null(k2);
        free(bytes);
        be->free(state);
    }
    rt_plan_free(ctx, p);
    kiln_expr_free(e);
    kiln_expr_free(x);
    kiln_array_free(a);
    kiln_ctx_free(ctx);
}
END_TEST

Suite *suite_backend(void) {
    Suite *s = suite_create("backend");
    TCase *t = tcase_create("contract");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, choosing_a_backend);
    tcase_add_test(t, switching_backends_remakes_plans);
    tcase_add_test(t, products_are_lowered_by_the_planner);
    tcase_add_test(t, scalar_table_covers_the_type_rules);
    tcase_add_test(t, render_compile_load_and_damaged_bytes);
    suite_add_tcase(s, t);
    return s;
}
