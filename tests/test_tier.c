/*
 * test_tier.c — the tier policy: the interpreter and the JIT give the same bits; a kernel keeps
 * running while its compile is in flight and switches when it lands; freeing a context with
 * compiles in flight leaves no thread and no leak; 10^4 distinct expressions keep memory and
 * the queue bounded; the disk cache still skips both tiers; a child forked mid-compile
 * compiles its own.
 */
#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "runtime/exec.h"

static int threads_now(void) {
    DIR *d = opendir("/proc/self/task");
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (e->d_name[0] != '.') n++;
    if (d) closedir(d);
    return n;
}

static long rss_kb(void) {
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, rss = 0;
    if (f && fscanf(f, "%ld %ld", &pages, &rss) != 2) rss = 0;
    if (f) fclose(f);
    return rss * (sysconf(_SC_PAGESIZE) / 1024);
}

/* A context whose kernels are compiled after their first launch (KILN_JIT_AFTER_MS=0). */
static kiln_ctx *eager_auto(void) {
    setenv("KILN_JIT_AFTER_MS", "0", 1);
    kiln_ctx *ctx = kiln_ctx_new(&(kiln_config){.tier = KILN_TIER_AUTO});
    unsetenv("KILN_JIT_AFTER_MS");
    return ctx;
}

/* eager_auto's, or NULL (with nothing to free) where the build has no second tier to queue for. */
static kiln_ctx *eager_auto_tiered(void) {
    kiln_ctx *ctx = eager_auto();
    if (uses_llvm(ctx)) return ctx;
    kiln_ctx_free(ctx);
    return NULL;
}

/* A float64 vector of n seeded values (specials: fill_values' special values first). */
static kiln_array *filled(kiln_ctx *ctx, int64_t n, uint64_t seed, bool specials) {
    kiln_array *a = kiln_array_new(ctx, KILN_F64, 1, &n);
    fill_values(kiln_array_data(a), KILN_F64, n, &seed, specials);
    return a;
}

/* Expression k of a small corpus over a (f64) and b (f32), both 70×301. */
static kiln_expr *corpus(kiln_ctx *ctx, int k, kiln_expr *a, kiln_expr *b) {
    switch (k) {
    case 0: return kiln_add(ctx, kiln_mul(ctx, kiln_sin(ctx, a), kiln_sin(ctx, a)), b);
    case 1: return kiln_sum(ctx, kiln_exp(ctx, kiln_mul(ctx, b, kiln_scalar(ctx, 0.01))), 1, 0);
    case 2: return kiln_argmax(ctx, kiln_tanh(ctx, a), 0, 1);
    case 3: return kiln_max(ctx, kiln_where(ctx, kiln_gt(ctx, a, b), a, kiln_log1p(ctx, kiln_abs(ctx, a))), KILN_ALL_AXES, 0);
    case 4: return kiln_matmul(ctx, kiln_transpose(ctx, a), kiln_cos(ctx, a));
    case 5: return kiln_sum(ctx, kiln_mul(ctx, a, kiln_cast(ctx, b, KILN_F64)), 0, 0); /* the column form */
    default: return kiln_floordiv(ctx, kiln_cast(ctx, a, KILN_I64), kiln_int(ctx, 7));
    }
}
#define CORPUS 7

/* Each expression on the interpreter alone, compiled alone, and in AUTO before and after its
 * compile lands: the same bits (transcendental functions too: the interpreter calls the JIT's
 * libmvec over the same elements). */
START_TEST(tiers_give_the_same_bits) {
    kiln_ctx *ctxs[3] = {kiln_ctx_new(&(kiln_config){.tier = KILN_TIER_INTERP}),
                         kiln_ctx_new(&(kiln_config){.tier = KILN_TIER_JIT}), eager_auto()};
    kiln_expr *a[3], *b[3];
    kiln_array *arrs[6];
    int64_t sh[2] = {70, 301};
    for (int t = 0; t < 3; t++) {
        arrs[2 * t] = kiln_array_new(ctxs[t], KILN_F64, 2, sh);
        arrs[2 * t + 1] = kiln_array_new(ctxs[t], KILN_F32, 2, sh);
        uint64_t seed = 11;
        fill_values(kiln_array_data(arrs[2 * t]), KILN_F64, 70 * 301, &seed, true);
        fill_values(kiln_array_data(arrs[2 * t + 1]), KILN_F32, 70 * 301, &seed, true);
        a[t] = kiln_var(ctxs[t], arrs[2 * t]);
        b[t] = kiln_var(ctxs[t], arrs[2 * t + 1]);
    }
    for (int k = 0; k < CORPUS; k++) {
        kiln_array *got[4];
        kiln_expr *e[3];
        for (int t = 0; t < 3; t++) {
            e[t] = corpus(ctxs[t], k, a[t], b[t]);
            ck_assert_msg(e[t], "%s", kiln_errmsg(ctxs[t]));
            got[t] = kiln_eval(ctxs[t], e[t]);
            ck_assert_ptr_nonnull(got[t]);
        }
        kiln_wait_compiles(ctxs[2]);
        got[3] = kiln_eval(ctxs[2], e[2]); /* now compiled */
        for (int t = 1; t < 4; t++) {
            char msg[256] = "";
            ck_assert_msg(compare_arrays(got[t], got[0], 0, msg, sizeof msg) == 0, "expression %d, run %d: %s", k, t, msg);
        }
        for (int t = 0; t < 3; t++) kiln_expr_free(e[t]);
        for (int t = 0; t < 4; t++) kiln_array_free(got[t]);
    }
    kiln_stats st[3];
    for (int t = 0; t < 3; t++) kiln_get_stats(ctxs[t], &st[t]);
    ck_assert_uint_eq(st[0].runs_compiled, 0);
    if (uses_llvm(ctxs[1])) {
        ck_assert_uint_eq(st[0].kernels_compiled, 0);
        ck_assert_uint_eq(st[1].runs_interp, 0);
        ck_assert_uint_gt(st[2].tier_compiled, 0);
        ck_assert_uint_gt(st[2].runs_interp, 0);
        ck_assert_uint_gt(st[2].runs_compiled, 0);
    }
    for (int t = 0; t < 3; t++) {
        kiln_expr_free(a[t]);
        kiln_expr_free(b[t]);
        kiln_array_free(arrs[2 * t]);
        kiln_array_free(arrs[2 * t + 1]);
        kiln_ctx_free(ctxs[t]);
    }
}
END_TEST

/* A kernel launched again and again while its compile is in flight: every result right, the
 * first launches interpreted, the last ones compiled; no launch waited for the compile. */
START_TEST(kernel_used_while_its_compile_is_in_flight) {
    kiln_ctx *ctx = eager_auto_tiered();
    if (!ctx) return;
    kiln_array *A = filled(ctx, 100000, 5, true);
    kiln_expr *x = kiln_var(ctx, A), *e = kiln_add(ctx, kiln_mul(ctx, kiln_cos(ctx, x), x), kiln_scalar(ctx, 3));
    kiln_array *want = kiln_eval(ctx, e); /* the interpreter's, on the first launch */
    char msg[256] = "";
    kiln_stats st = {0};
    int runs = 0;
    for (; runs < 100000 && st.tier_compiled == 0; runs++) {
        kiln_array *got = kiln_eval(ctx, e);
        ck_assert_msg(compare_arrays(got, want, 0, msg, sizeof msg) == 0, "run %d: %s", runs, msg);
        kiln_array_free(got);
        kiln_get_stats(ctx, &st);
    }
    ck_assert_uint_eq(st.tier_compiled, 1);
    ck_assert_uint_ge(st.runs_interp, 1);
    uint64_t compiled_before = st.runs_compiled;
    kiln_array *got = kiln_eval(ctx, e);
    kiln_get_stats(ctx, &st);
    ck_assert_uint_eq(st.runs_compiled, compiled_before + 1); /* switched */
    ck_assert_msg(compare_arrays(got, want, 0, msg, sizeof msg) == 0, "%s", msg);
    kiln_expr *c = kiln_cos(ctx, x); /* and the values are right */
    ck_assert_msg(jit_vs_ref(ctx, c, MATH_ULP, msg, sizeof msg) == 0, "%s", msg);
    kiln_expr_free(c);
    kiln_array_free(got);
    kiln_expr_free(e);
    kiln_expr_free(x);
    kiln_array_free(A);
    kiln_array_free(want);
    kiln_ctx_free(ctx);
}
END_TEST

/* Contexts freed with compiles queued and running: no crash, no thread left behind (and, under
 * AddressSanitizer, no leak). */
START_TEST(freeing_a_context_with_compiles_in_flight) {
    int before = threads_now();
    for (int round = 0; round < 5; round++) {
        kiln_ctx *ctx = eager_auto();
        int64_t n = 64;
        kiln_array *A = kiln_array_new(ctx, KILN_F64, 1, &n);
        uint64_t seed = 1;
        fill_values(kiln_array_data(A), KILN_F64, n, &seed, false);
        kiln_expr *x = kiln_var(ctx, A);
        for (int k = 0; k < 40; k++) { /* distinct kernels, each queued at its first launch */
            kiln_expr *e = kiln_add(ctx, kiln_sin(ctx, x), kiln_scalar(ctx, k));
            for (int j = 0; j < k % 5; j++) {
                kiln_expr *f = kiln_mul(ctx, e, x);
                kiln_expr_free(e);
                e = f;
            }
            if (k % 2) {
                kiln_expr *f = kiln_cos(ctx, e);
                kiln_expr_free(e);
                e = f;
            }
            kiln_array *r = kiln_eval(ctx, e);
            ck_assert_ptr_nonnull(r);
            kiln_array_free(r);
            kiln_expr_free(e);
        }
        kiln_expr_free(x);
        kiln_array_free(A);
        kiln_ctx_free(ctx); /* compiles still queued */
    }
    ck_assert_int_eq(threads_now(), before);
}
END_TEST

/* A chain of n element-wise steps over x whose shape depends on n (each n a distinct kernel,
 * the longer the slower to compile). */
static kiln_expr *chain(kiln_ctx *ctx, kiln_expr *x, int n) {
    kiln_expr *e = kiln_expr_retain(x);
    for (int j = 0; j < n; j++) {
        kiln_expr *f = j % 3 == 0 ? kiln_sin(ctx, e) : j % 3 == 1 ? kiln_mul(ctx, e, x) : kiln_add(ctx, e, kiln_scalar(ctx, j));
        kiln_expr_free(e);
        e = f;
    }
    return e;
}

/* fork() while the background compiler runs (Python's multiprocessing, a server's workers): the
 * child inherited the locks that compile held, with no thread to release them, and its first
 * compile of its own hung.  fork() now waits for the compile; the child compiles a kernel of its
 * own, and the parent's (queued or done there) runs in the child too, with the parent's bits. */
START_TEST(forking_while_a_compile_runs) {
    if (KILN_TEST_TSAN) return; /* threads after fork(): ThreadSanitizer does not follow them */
    kiln_ctx *ctx = eager_auto_tiered();
    if (!ctx) return;
    int64_t n = 64;
    kiln_array *A = filled(ctx, n, 3, false);
    kiln_expr *x = kiln_var(ctx, A);
    for (int round = 0; round < 6; round++) {
        kiln_expr *e = chain(ctx, x, 40 + round); /* about 20 ms of compiling, queued at its first launch */
        kiln_array *want = kiln_eval(ctx, e);
        ck_assert_ptr_nonnull(want);
        fflush(NULL);
        pid_t pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
            kiln_expr *own = chain(ctx, x, 100 + round);
            kiln_set_tier(ctx, KILN_TIER_JIT);
            kiln_array *mine = kiln_eval(ctx, own);
            kiln_set_tier(ctx, KILN_TIER_AUTO);
            kiln_array *got = kiln_eval(ctx, e);
            kiln_wait_compiles(ctx);
            kiln_array *again = kiln_eval(ctx, e);
            char msg[256];
            bool ok = mine && got && again && compare_arrays(got, want, 0, msg, sizeof msg) == 0 &&
                      compare_arrays(again, want, 0, msg, sizeof msg) == 0;
            _exit(ok ? 0 : 3);
        }
        int st = child_wait(pid, 60);
        ck_assert_msg(st != -1, "round %d: the child forked mid-compile hung (killed after 60 s)", round);
        ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "round %d: the child ended with status %d", round, st);
        kiln_array_free(want);
        kiln_expr_free(e);
    }
    kiln_expr_free(x);
    kiln_array_free(A);
    kiln_ctx_free(ctx);
}
END_TEST

/* 10^4 distinct expressions on small arrays, one launch each: none earns a compile, the queue
 * stays empty, and memory grows by what the interpreter's small kernels take.  (A full queue is
 * a_full_queue_drops_and_offers_again's.) */
START_TEST(ten_thousand_distinct_expressions) {
    setenv("KILN_JIT_AFTER_MS", "100", 1); /* a launch descheduled for 10 ms must not count as hot */
    kiln_ctx *ctx = kiln_ctx_new(&(kiln_config){.tier = KILN_TIER_AUTO});
    unsetenv("KILN_JIT_AFTER_MS");
    int64_t n = 16;
    kiln_array *A = kiln_array_new(ctx, KILN_F64, 1, &n), *B = kiln_array_new(ctx, KILN_F64, 1, &n);
    uint64_t seed = 2;
    fill_values(kiln_array_data(A), KILN_F64, n, &seed, false);
    fill_values(kiln_array_data(B), KILN_F64, n, &seed, false);
    kiln_expr *x = kiln_var(ctx, A), *y = kiln_var(ctx, B);
    long rss0 = rss_kb();
    int count = 10000;
    for (int k = 0; k < count; k++) {
        kiln_expr *e = kiln_expr_retain(x);
        for (int bit = 0; bit < 14; bit++) { /* the bits of k choose the ops: a new structure each */
            kiln_expr *s = (k >> bit) & 1 ? kiln_add(ctx, e, y) : NULL;
            kiln_expr *f = s ? kiln_sin(ctx, s) : kiln_mul(ctx, e, y);
            kiln_expr_free(s);
            kiln_expr_free(e);
            e = f;
        }
        kiln_array *r = kiln_eval(ctx, e);
        ck_assert_msg(r, "%s", kiln_errmsg(ctx));
        kiln_array_free(r);
        kiln_expr_free(e);
    }
    kiln_stats st;
    kiln_get_stats(ctx, &st);
    long grown = rss_kb() - rss0;
    fprintf(stderr, "tier: %d distinct expressions: %llu kernels interpreted, %llu compiles queued, memory +%ld KiB\n", count,
            (unsigned long long)st.tier_kernels, (unsigned long long)st.tier_queued, grown);
    if (uses_llvm(ctx)) ck_assert_uint_ge(st.tier_kernels, (uint64_t)count);
    ck_assert_uint_eq(st.tier_queued, 0);
#ifndef __SANITIZE_ADDRESS__ /* (AddressSanitizer's redzones and quarantine are another story) */
    if (!KILN_TEST_TSAN) ck_assert_int_lt(grown, 64 * 1024); /* ~1 KiB per kernel here (TSan's shadow aside) */
#endif
    ck_assert_uint_le(st.nodes, 10);    /* the expressions' nodes and plans are gone */
    kiln_expr_free(x);
    kiln_expr_free(y);
    kiln_array_free(A);
    kiln_array_free(B);
    kiln_ctx_free(ctx);
}
END_TEST

/* 256 distinct kernels, each hot at its first launch (KILN_JIT_AFTER_MS=0), launched faster than
 * one thread compiles them: the queue never holds more than RT_TIER_QUEUE, the rest are dropped
 * (counted), and a dropped kernel is offered again at its next launch, so every one is compiled
 * in the end. */
START_TEST(a_full_queue_drops_and_offers_again) {
    kiln_ctx *ctx = eager_auto_tiered();
    if (!ctx) return;
    kiln_array *A = filled(ctx, 64, 3, false);
    kiln_expr *x = kiln_var(ctx, A);
    enum { KERNELS = 256 };
    kiln_expr *es[KERNELS];
    for (int k = 0; k < KERNELS; k++) { /* the bits of k choose the ops: a structure each */
        kiln_expr *e = kiln_expr_retain(x);
        for (int bit = 0; bit < 8; bit++) {
            kiln_expr *f = (k >> bit) & 1 ? kiln_add(ctx, kiln_sin(ctx, e), x) : kiln_mul(ctx, e, x);
            kiln_expr_free(e);
            e = f;
        }
        es[k] = e;
    }
    kiln_stats st;
    int rounds = 0;
    for (; rounds < 50; rounds++) {
        kiln_get_stats(ctx, &st);
        if (st.tier_compiled >= KERNELS) break;
        for (int k = 0; k < KERNELS; k++) {
            kiln_array *r = kiln_eval(ctx, es[k]);
            ck_assert_msg(r, "%s", kiln_errmsg(ctx));
            kiln_array_free(r);
            kiln_get_stats(ctx, &st); /* (compiled is read after queued: it can only be ahead) */
            ck_assert_uint_le(st.tier_queued - st.tier_compiled, RT_TIER_QUEUE + 1); /* waiting, and one compiling */
        }
        if (rounds == 0) ck_assert_uint_gt(st.tier_dropped, 0); /* faster than one thread compiles */
        kiln_wait_compiles(ctx);
    }
    fprintf(stderr, "tier: %d hot kernels: %llu queued, %llu dropped and offered again, all compiled after %d rounds\n",
            KERNELS, (unsigned long long)st.tier_queued, (unsigned long long)st.tier_dropped, rounds);
    ck_assert_uint_eq(st.tier_compiled, KERNELS);
    ck_assert_uint_eq(st.tier_started, KERNELS);
    ck_assert_uint_eq(st.tier_queued, KERNELS);
    for (int k = 0; k < KERNELS; k++) kiln_expr_free(es[k]);
    kiln_expr_free(x);
    kiln_array_free(A);
    kiln_ctx_free(ctx);
}
END_TEST

/* The replayed call (the same arrays again) serves interpreted kernels too: on the interpreter
 * tier, and in auto while a kernel waits for its compile, whose time still counts towards the
 * compile; once the compile lands, the replays run it. */
START_TEST(interpreted_kernels_are_replayed) {
    for (int round = 0; round < 2; round++) {
        kiln_ctx *ctx = round ? eager_auto_tiered() : kiln_ctx_new(&(kiln_config){.tier = KILN_TIER_INTERP});
        if (!ctx) return;
        kiln_array *A = filled(ctx, 1000, 9, false), *O = filled(ctx, 1000, 10, false);
        kiln_expr *x = kiln_var(ctx, A), *e = kiln_add(ctx, kiln_mul(ctx, x, x), kiln_scalar(ctx, 1.5));
        double *a = kiln_array_data(A);
        const double *o = kiln_array_data(O);
        uint64_t rc0, ri0, rc1, ri1;
        ck_assert_int_eq(kiln_eval_into(ctx, e, O), KILN_OK); /* the full path, which records */
        rt_replay_count(ctx, &rc0, &ri0);
        for (int it = 0; it < 50; it++) {
            a[it] += 1; /* new values in place: the replay reads them */
            ck_assert_int_eq(kiln_eval_into(ctx, e, O), KILN_OK);
            for (int64_t i = 0; i < 1000; i++) ck_assert_double_eq(o[i], a[i] * a[i] + 1.5);
            if (round && it == 20) kiln_wait_compiles(ctx);
        }
        rt_replay_count(ctx, &rc1, &ri1);
        if (round) { /* replayed interpreted while queued (or not: the compile may be quick), then compiled */
            ck_assert_uint_ge(rc1 - rc0, 25);
            ck_assert_uint_ge(rc1 - rc0 + ri1 - ri0, 49);
        } else {
            ck_assert_uint_ge(ri1 - ri0, 49);
            ck_assert_uint_eq(rc1 - rc0, 0);
        }
        kiln_expr_free(e);
        kiln_expr_free(x);
        kiln_array_free(A);
        kiln_array_free(O);
        kiln_ctx_free(ctx);
    }
}
END_TEST

/* Reductions over the caller's arrays are replayed once their kernel is final (compiled, or the
 * interpreter's on its own tier): a full sum, argmax, a row sum; a sum down the columns (the
 * column form) is not; every answer follows the values changed in place. */
START_TEST(reductions_are_replayed) {
    for (int round = 0; round < 2; round++) {
        kiln_ctx *ctx = kiln_ctx_new(&(kiln_config){.tier = round ? KILN_TIER_INTERP : KILN_TIER_JIT});
        if (!ctx) return;
        int64_t n = 1000, shp[2] = {8, 125};
        kiln_array *A = filled(ctx, n, 11, false), *S = kiln_array_new(ctx, KILN_F64, 0, NULL), *I = kiln_array_new(ctx, KILN_I64, 0, NULL);
        kiln_array *R = kiln_array_new(ctx, KILN_F64, 1, (int64_t[]){8}), *C = kiln_array_new(ctx, KILN_F64, 1, (int64_t[]){125});
        kiln_array *M = kiln_array_view(ctx, A, 2, shp, (int64_t[]){125 * 8, 8}, 0);
        double *a = kiln_array_data(A);
        for (int64_t i = 0; i < n; i++) a[i] = (double)((i * 7) % 23); /* exact sums in any order */
        kiln_expr *x = kiln_var(ctx, A), *m = kiln_var(ctx, M);
        kiln_expr *es[4] = {kiln_sum(ctx, kiln_mul(ctx, x, x), KILN_ALL_AXES, 0), kiln_argmax(ctx, x, KILN_ALL_AXES, 0), kiln_sum(ctx, m, 1, 0),
                            kiln_sum(ctx, m, 0, 0)};
        kiln_array *outs[4] = {S, I, R, C};
        for (int k = 0; k < 4; k++) ck_assert_int_eq(kiln_eval_into(ctx, es[k], outs[k]), KILN_OK); /* the full path, which records */
        uint64_t rc0, ri0, rc1, ri1;
        rt_replay_count(ctx, &rc0, &ri0);
        for (int it = 0; it < 10; it++) {
            a[(it * 101) % n] += 30;
            for (int k = 0; k < 4; k++) ck_assert_int_eq(kiln_eval_into(ctx, es[k], outs[k]), KILN_OK);
            double ss = 0, best = -1, rows[8] = {0}, cols[125] = {0};
            int64_t at = 0;
            for (int64_t i = 0; i < n; i++) {
                ss += a[i] * a[i];
                if (a[i] > best) best = a[i], at = i;
                rows[i / 125] += a[i], cols[i % 125] += a[i];
            }
            ck_assert_double_eq(*(double *)kiln_array_data(S), ss);
            ck_assert_int_eq(*(int64_t *)kiln_array_data(I), at);
            for (int r = 0; r < 8; r++) ck_assert_double_eq(((double *)kiln_array_data(R))[r], rows[r]);
            for (int c = 0; c < 125; c++) ck_assert_double_eq(((double *)kiln_array_data(C))[c], cols[c]);
        }
        rt_replay_count(ctx, &rc1, &ri1);
        ck_assert_uint_eq(rc1 - rc0 + ri1 - ri0, 30); /* three of the four, ten times (-DKILN_LLVM=OFF: all interpreted) */
        if (round) ck_assert_uint_eq(rc1 - rc0, 0);
        /* kiln_eval's new outputs are replayed into, each its own: the earlier ones keep their values */
        kiln_array *kept[6];
        double want[6][8];
        for (int it = 0; it < 6; it++) {
            a[it * 3] += 1;
            kept[it] = kiln_eval(ctx, es[it % 2 ? 2 : 0]);
            ck_assert_ptr_nonnull(kept[it]);
            memset(want[it], 0, sizeof want[it]);
            for (int64_t i = 0; i < n; i++) {
                if (it % 2) want[it][i / 125] += a[i];
                else want[it][0] += a[i] * a[i];
            }
        }
        for (int it = 0; it < 6; it++)
            for (int r = 0; r < (it % 2 ? 8 : 1); r++) ck_assert_double_eq(((double *)kiln_array_data(kept[it]))[r], want[it][r]);
        rt_replay_count(ctx, &rc0, &ri0);
        ck_assert_uint_ge(rc0 - rc1 + ri0 - ri1, 4); /* (the first of each recorded anew) */
        for (int it = 0; it < 6; it++) kiln_array_free(kept[it]);
        for (int k = 0; k < 4; k++) kiln_expr_free(es[k]);
        kiln_expr_free(x), kiln_expr_free(m);
        kiln_array *all[] = {A, S, I, R, C, M};
        for (size_t i = 0; i < sizeof all / sizeof *all; i++) kiln_array_free(all[i]);
        kiln_ctx_free(ctx);
    }
}
END_TEST

/* A kernel on disk is never compiled again.  In a context whose JIT has started it is loaded
 * at its first call; in a fresh one (auto tier) the first call runs on the interpreter, which is
 * quicker than starting the JIT, and the tier's thread loads it meanwhile; later calls run it. */
START_TEST(the_disk_cache_at_first_calls) {
    char dir[64];
    snprintf(dir, sizeof dir, "/tmp/kiln-tier-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    chmod(dir, 0700);
    setenv("KILN_CACHE_DIR", dir, 1);
    unsetenv("KILN_DISABLE_CACHE");
    for (int round = 0; round < 3; round++) {
        kiln_ctx *ctx = kiln_ctx_new(&(kiln_config){.tier = round ? KILN_TIER_AUTO : KILN_TIER_JIT});
        if (!caches_on_disk(ctx)) {
            kiln_ctx_free(ctx);
            break;
        }
        int64_t n = 1000;
        kiln_array *A = kiln_array_new(ctx, KILN_F64, 1, &n), *O = kiln_array_new(ctx, KILN_F64, 1, &n);
        uint64_t seed = 3;
        fill_values(kiln_array_data(A), KILN_F64, n, &seed, false);
        kiln_expr *x = kiln_var(ctx, A), *e = kiln_mul(ctx, kiln_tanh(ctx, x), kiln_scalar(ctx, 3));
        if (round == 2) { /* the JIT started by another kernel's compile first */
            kiln_set_tier(ctx, KILN_TIER_JIT);
            kiln_expr *other = kiln_add(ctx, kiln_exp(ctx, x), kiln_scalar(ctx, 1));
            ck_assert_int_eq(kiln_eval_into(ctx, other, O), KILN_OK);
            kiln_expr_free(other);
            kiln_set_tier(ctx, KILN_TIER_AUTO);
        }
        kiln_stats s0, st;
        kiln_get_stats(ctx, &s0);
        char msg[256] = "";
        ck_assert_msg(jit_vs_ref(ctx, e, MATH_ULP, msg, sizeof msg) == 0, "%s", msg);
        kiln_wait_compiles(ctx);
        kiln_get_stats(ctx, &st);
        if (round == 0) {
            ck_assert_uint_eq(st.disk_stores, 1); /* (the big reduction's below: a second) */
        } else {
            ck_assert_uint_eq(st.disk_hits - s0.disk_hits, 1);
            ck_assert_uint_eq(st.kernels_compiled - s0.kernels_compiled, 0);
            ck_assert_uint_eq(st.tier_kernels - s0.tier_kernels, round == 1); /* the interpreter's, in a fresh context */
            ck_assert_uint_eq(st.runs_compiled + st.runs_interp - s0.runs_compiled - s0.runs_interp, 1);
            if (round == 2) ck_assert_uint_eq(st.runs_compiled - s0.runs_compiled, 1); /* (round 1's may have been loaded by then) */
            uint64_t rc = st.runs_compiled;
            ck_assert_int_eq(kiln_eval_into(ctx, e, O), KILN_OK); /* later calls: the loaded kernel */
            kiln_get_stats(ctx, &st);
            ck_assert_uint_eq(st.runs_compiled - rc, 1);
            ck_assert_uint_eq(st.kernels_compiled - s0.kernels_compiled, 0);
        }
        /* a big reduction's first call in a fresh context waits for its kernel from disk
         * rather than interpreting 2^21 elements (round 0 stores it; round 1's JIT has started) */
        if (round < 2) {
            kiln_ctx *c2 = round ? kiln_ctx_new(&(kiln_config){.tier = KILN_TIER_AUTO}) : ctx;
            int64_t nb = RT_LOAD_WAIT;
            kiln_array *Bg = kiln_array_new(c2, KILN_F64, 1, &nb), *S = kiln_array_new(c2, KILN_F64, 0, NULL);
            for (int64_t i = 0; i < nb; i++) ((double *)kiln_array_data(Bg))[i] = (double)(i % 9);
            kiln_expr *bx = kiln_var(c2, Bg), *big = kiln_sum(c2, kiln_mul(c2, bx, kiln_scalar(c2, 2)), KILN_ALL_AXES, 0);
            kiln_stats b0, b1;
            kiln_get_stats(c2, &b0);
            ck_assert_int_eq(kiln_eval_into(c2, big, S), KILN_OK);
            kiln_get_stats(c2, &b1);
            double want = 0;
            for (int64_t i = 0; i < nb; i++) want += 2.0 * (double)(i % 9); /* (exact: integers below 2^53) */
            ck_assert_double_eq(*(double *)kiln_array_data(S), want);
            ck_assert_uint_eq(b1.runs_compiled - b0.runs_compiled, 1);
            ck_assert_uint_eq(b1.runs_interp - b0.runs_interp, 0);
            if (round) ck_assert_uint_eq(b1.kernels_compiled - b0.kernels_compiled, 0);
            kiln_expr_free(big), kiln_expr_free(bx), kiln_array_free(Bg), kiln_array_free(S);
            if (round) kiln_ctx_free(c2);
        }
        kiln_expr_free(e);
        kiln_expr_free(x);
        kiln_array_free(A);
        kiln_array_free(O);
        kiln_ctx_free(ctx);
    }
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
    unsetenv("KILN_CACHE_DIR");
    setenv("KILN_DISABLE_CACHE", "1", 1);
}
END_TEST

/* The knobs: kiln_config.tier, KILN_TIER, kiln_set_tier; INTERP never compiles, however hot. */
START_TEST(tier_knobs) {
    setenv("KILN_TIER", "interp", 1);
    setenv("KILN_JIT_AFTER_MS", "0", 1);
    kiln_ctx *ctx = kiln_ctx_new(NULL);
    unsetenv("KILN_TIER");
    unsetenv("KILN_JIT_AFTER_MS");
    ck_assert_int_eq(kiln_get_tier(ctx), KILN_TIER_INTERP);
    int64_t n = 50000;
    kiln_array *A = kiln_array_new(ctx, KILN_F32, 1, &n);
    uint64_t seed = 4;
    fill_values(kiln_array_data(A), KILN_F32, n, &seed, true);
    kiln_expr *x = kiln_var(ctx, A), *e = kiln_exp(ctx, x);
    for (int i = 0; i < 20; i++) {
        kiln_array *r = kiln_eval(ctx, e);
        kiln_array_free(r);
    }
    kiln_wait_compiles(ctx);
    kiln_stats st;
    kiln_get_stats(ctx, &st);
    if (uses_llvm(ctx)) ck_assert_uint_eq(st.kernels_compiled, 0); /* (the interpreter backend "compiles" programs) */
    ck_assert_uint_eq(st.tier_queued, 0);
    ck_assert_uint_eq(st.runs_interp, 20);
    ck_assert_int_eq(kiln_set_tier(ctx, KILN_TIER_JIT), KILN_OK);
    ck_assert_int_eq(kiln_get_tier(ctx), KILN_TIER_JIT);
    ck_assert_int_eq(kiln_set_tier(ctx, (kiln_tier)9), KILN_ERR_ARG);
    ck_assert_int_eq(kiln_set_tier(ctx, KILN_TIER_DEFAULT), KILN_OK);
    ck_assert_int_eq(kiln_get_tier(ctx), KILN_TIER_AUTO);
    kiln_expr_free(e);
    kiln_expr_free(x);
    kiln_array_free(A);
    kiln_ctx_free(ctx);
}
END_TEST

/* The kernel cache's cap: least recently used kernels leave and are unloaded (with LLVM, their
 * code and symbols leave the JIT), a kernel a plan still remembers lives on and is found again,
 * and one made again after it was unloaded loads cleanly (its symbol is free again). */
START_TEST(the_kernel_cache_keeps_its_cap) {
    setenv("KILN_KERNEL_CACHE", "8", 1);
    kiln_config cfg = {.tier = KILN_TIER_JIT};
    kiln_ctx *c = kiln_ctx_new(&cfg);
    unsetenv("KILN_KERNEL_CACHE");
    int64_t n = 64;
    kiln_array *a = kiln_array_new(c, KILN_F64, 1, &n);
    for (int64_t i = 0; i < n; i++) ((double *)kiln_array_data(a))[i] = (double)i * 0.25;
    kiln_expr *x = kiln_var(c, a);
    /* one expression kept (its plan remembers its kernel), then 40 others */
    kiln_expr *keep = kiln_sin(c, kiln_add(c, x, kiln_scalar(c, 0.5)));
    kiln_array *r0 = kiln_eval(c, keep);
    ck_assert_ptr_nonnull(r0);
    for (int round = 0; round < 2; round++) /* the second round makes kernels unloaded in the first */
        for (int k = 0; k < 40; k++) {
            kiln_expr *e = kiln_mul(c, x, kiln_scalar(c, 1.0));
            for (int j = 0; j <= k; j++) { /* k + 1 operations: a kernel of its own structure */
                kiln_expr *t = j % 2 ? kiln_add(c, e, x) : kiln_mul(c, e, x);
                kiln_expr_free(e);
                e = t;
            }
            kiln_array *r = kiln_eval(c, e);
            ck_assert_msg(r != NULL, "round %d, kernel %d: %s", round, k, kiln_errmsg(c));
            kiln_array_free(r);
            kiln_expr_free(e);
        }
    kiln_stats st;
    kiln_get_stats(c, &st);
    ck_assert_uint_le(st.kernels_cached, 8);
    ck_assert_uint_ge(st.cache_evictions, 70);
    /* the kept one: evicted long ago, still held by its plan, runs and gives the same values */
    kiln_array *r1 = kiln_eval(c, keep);
    ck_assert_ptr_nonnull(r1);
    ck_assert_int_eq(memcmp(kiln_array_data(r0), kiln_array_data(r1), (size_t)n * 8), 0);
    for (int64_t i = 0; i < n; i++) ck_assert_double_eq_tol(((double *)kiln_array_data(r1))[i], sin((double)i * 0.25 + 0.5), 1e-15);
    kiln_array_free(r0);
    kiln_array_free(r1);
    kiln_expr_free(keep);
    kiln_expr_free(x);
    kiln_array_free(a);
    kiln_ctx_free(c);
}
END_TEST

Suite *suite_tier(void) {
    Suite *s = suite_create("tier");
    TCase *t = tcase_create("policy");
    tcase_set_timeout(t, 300);
    tcase_add_test(t, tiers_give_the_same_bits);
    tcase_add_test(t, kernel_used_while_its_compile_is_in_flight);
    tcase_add_test(t, freeing_a_context_with_compiles_in_flight);
    tcase_add_test(t, forking_while_a_compile_runs);
    tcase_add_test(t, ten_thousand_distinct_expressions);
    tcase_add_test(t, a_full_queue_drops_and_offers_again);
    tcase_add_test(t, interpreted_kernels_are_replayed);
    tcase_add_test(t, reductions_are_replayed);
    tcase_add_test(t, the_disk_cache_at_first_calls);
    tcase_add_test(t, tier_knobs);
    tcase_add_test(t, the_kernel_cache_keeps_its_cap);
    suite_add_tcase(s, t);
    return s;
}
