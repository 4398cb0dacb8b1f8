/*
 * tier.c — the tiers measured: what the first call of a never-seen expression costs, how fast
 * the interpreter runs once warm, and a workload of many distinct expressions.
 *
 *   first calls   a new expression in a running process (its context warmed up with another
 *                 one; no disk cache), at 10^3, 10^5 and 10^7 float64 elements, for kiln's
 *                 tiers auto, jit and interp: medians over 9 distinct expressions
 *   steady state  the core cases on the interpreter and on the JIT, same buffers, alternated
 *   workload      200 distinct expressions, each evaluated 5 times, at 10^5 elements (and at
 *                 10^3): total wall time per tier; then in auto for thresholds of 0 to 100 ms
 *                 interpreted before a compile (KILN_JIT_AFTER_MS)
 * The expressions are random trees of + - * / and sin cos exp tanh sqrt(abs()) over a, b, c,
 * written to argv[2] one per line so that bench/tier_anchors.py times numexpr (and Numba) on
 * the very same strings.  JSON to argv[1].
 */
#include <kiln.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#define NEXPR 200
#define FIRST 9

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static int has_var; /* gen wrote a variable */
static unsigned rnd(unsigned n) {
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return (unsigned)((rng * 2685821657736338717ull) >> 33) % n;
}

/* A random expression of depth at most d into buf. */
static void gen(char *buf, size_t cap, int d) {
    static const char *const leaves[] = {"a", "b", "c", "1.5", "a", "b"};
    static const char *const fns[] = {"sin", "cos", "exp", "tanh"};
    size_t l = strlen(buf);
    if (d == 0 || rnd(5) == 0) {
        unsigned k = rnd(6);
        has_var |= k != 3;
        snprintf(buf + l, cap - l, "%s", leaves[k]);
        return;
    }
    unsigned k = rnd(9);
    if (k < 5) {
        snprintf(buf + l, cap - l, "(");
        gen(buf, cap, d - 1);
        l = strlen(buf);
        snprintf(buf + l, cap - l, " %c ", "+-*/*"[k]);
        gen(buf, cap, d - 1);
        l = strlen(buf);
        snprintf(buf + l, cap - l, ")");
    } else if (k < 8) {
        snprintf(buf + l, cap - l, "%s(", fns[rnd(4)]);
        gen(buf, cap, d - 1);
        l = strlen(buf);
        snprintf(buf + l, cap - l, ")");
    } else {
        snprintf(buf + l, cap - l, "sqrt(abs(");
        gen(buf, cap, d - 1);
        l = strlen(buf);
        snprintf(buf + l, cap - l, "))");
    }
}

typedef struct env {
    kiln_ctx *ctx;
    kiln_scope *scope;
    kiln_array *out;
} env;

static env env_new_of(kiln_tier tier, int64_t n, kiln_dtype dt) {
    env e;
    e.ctx = kiln_ctx_new(&(kiln_config){.tier = tier});
    e.scope = kiln_scope_new(e.ctx);
    const char *names[3] = {"a", "b", "c"};
    for (int v = 0; v < 3; v++) {
        kiln_array *x = kiln_array_new(e.ctx, dt, 1, &n);
        for (int64_t i = 0; i < n; i++) {
            double y = (double)((i * (v + 3)) % 1000) * 1e-3 + 0.1;
            if (dt == KILN_F32) ((float *)kiln_array_data(x))[i] = (float)y;
            else ((double *)kiln_array_data(x))[i] = y;
        }
        kiln_scope_set(e.scope, names[v], x);
        kiln_array_free(x);
    }
    e.out = kiln_array_new(e.ctx, dt, 1, &n);
    return e;
}
static env env_new(kiln_tier tier, int64_t n) { return env_new_of(tier, n, KILN_F64); }
static void env_free(env *e) {
    kiln_array_free(e->out);
    kiln_scope_free(e->scope);
    kiln_ctx_free(e->ctx);
}

/* Parses and evaluates src into e's output; ms. */
static double run(env *e, const char *src) {
    double t0 = now();
    kiln_expr *x = kiln_parse(e->ctx, e->scope, src);
    if (!x || kiln_eval_into(e->ctx, x, e->out) != KILN_OK) {
        fprintf(stderr, "tier bench: %s: %s\n", src, kiln_errmsg(e->ctx));
        exit(1);
    }
    kiln_expr_free(x);
    return (now() - t0) * 1e3;
}

/* nexpr distinct expressions of exprs, each evaluated reps times, in a fresh context of tier over n
 * elements (KILN_JIT_AFTER_MS=after, unless NULL); ms in all, and what the tiers did. */
static double workload(char (*exprs)[512], int nexpr, int reps, kiln_tier tier, int64_t n, const char *after, kiln_stats *st) {
    if (after) setenv("KILN_JIT_AFTER_MS", after, 1);
    env e = env_new(tier, n);
    unsetenv("KILN_JIT_AFTER_MS");
    run(&e, "a + 1"); /* the backend started: a running process */
    double t0 = now();
    for (int i = 0; i < nexpr; i++)
        for (int r = 0; r < reps; r++) run(&e, exprs[i]);
    double ms = (now() - t0) * 1e3;
    kiln_get_stats(e.ctx, st);
    env_free(&e);
    return ms;
}

int main(int argc, char **argv) {
    setenv("KILN_DISABLE_CACHE", "1", 1); /* first calls here are compiles or interpretations, not disk loads */
    static char exprs[NEXPR + FIRST * 3 + 3][512];
    for (int i = 0; i < NEXPR + FIRST * 3 + 3; i++) {
        exprs[i][0] = 0;
        do {
            exprs[i][0] = 0;
            has_var = 0;
            gen(exprs[i], sizeof exprs[i], 5);
        } while (strlen(exprs[i]) < 12 || !strpbrk(exprs[i], "(") || !has_var);
    }
    FILE *ef = argc > 2 ? fopen(argv[2], "w") : NULL;
    for (int i = 0; ef && i < NEXPR + FIRST * 3 + 3; i++) fprintf(ef, "%s\n", exprs[i]);
    if (ef) fclose(ef);

    static const kiln_tier tiers[3] = {KILN_TIER_AUTO, KILN_TIER_JIT, KILN_TIER_INTERP};
    static const char *const tier_names[3] = {"auto", "jit", "interp"};
    static const int64_t sizes[3] = {1000, 100000, 10000000};
    double first[3][3];
    kiln_ctx *probe = kiln_ctx_new(NULL);
    printf("kiln tiers, %d threads\nfirst call of a new expression in a running process (median of %d, ms):\n", kiln_num_threads(probe),
           FIRST);
    kiln_ctx_free(probe);
    for (int s = 0; s < 3; s++) {
        for (int t = 0; t < 3; t++) {
            env e = env_new(tiers[t], sizes[s]);
            run(&e, exprs[NEXPR + FIRST * 3 + s]); /* warm: the backend started, threads made */
            double ts[FIRST];
            for (int i = 0; i < FIRST; i++) ts[i] = run(&e, exprs[NEXPR + s * FIRST + i]);
            first[s][t] = median(ts, FIRST);
            env_free(&e);
        }
        printf("  n = %-9lld auto %8.3f   jit %8.3f   interp %8.3f\n", (long long)sizes[s], first[s][0], first[s][1], first[s][2]);
    }

    /* steady state: the interpreter against the JIT on the core cases */
    enum { CASES = 5 };
    static const char *const cases[CASES] = {"a*b+c", "sin(a)*sin(a)", "sin(a)*sin(a)", "sum(a*b)", "a*b+c"};
    static const int64_t case_n[CASES] = {10000000, 10000000, 10000000, 10000000, 1000};
    static const kiln_dtype case_dt[CASES] = {KILN_F64, KILN_F64, KILN_F32, KILN_F64, KILN_F64};
    double steady[CASES][2];
    printf("steady state (median of 21 after warm-up; 10^3 per call in us):\n");
    for (int k = 0; k < CASES; k++) {
        env ej = env_new_of(KILN_TIER_JIT, case_n[k], case_dt[k]), ei = env_new_of(KILN_TIER_INTERP, case_n[k], case_dt[k]);
        kiln_expr *xj = kiln_parse(ej.ctx, ej.scope, cases[k]), *xi = kiln_parse(ei.ctx, ei.scope, cases[k]);
        kiln_array *oj = kiln_eval(ej.ctx, xj), *oi = kiln_eval(ei.ctx, xi);
        int reps = case_n[k] < 10000 ? 20000 : 1;
        double tj[21], ti[21];
        for (int r = 0; r < 21; r++) {
            double t0 = now();
            for (int q = 0; q < reps; q++) kiln_eval_into(ej.ctx, xj, oj);
            tj[r] = (now() - t0) * (case_n[k] < 10000 ? 1e6 : 1e3) / reps;
            t0 = now();
            for (int q = 0; q < reps; q++) kiln_eval_into(ei.ctx, xi, oi);
            ti[r] = (now() - t0) * (case_n[k] < 10000 ? 1e6 : 1e3) / reps;
        }
        steady[k][0] = median(tj, 21);
        steady[k][1] = median(ti, 21);
        printf("  %-14s %s n=%-9lld jit %8.3f   interp %8.3f   interp/jit %.2f\n", cases[k], kiln_dtype_name(case_dt[k]), (long long)case_n[k], steady[k][0],
               steady[k][1], steady[k][1] / steady[k][0]);
        kiln_array_free(oj);
        kiln_array_free(oi);
        kiln_expr_free(xj);
        kiln_expr_free(xi);
        env_free(&ej);
        env_free(&ei);
    }

    /* the workload: 200 distinct expressions, 5 evaluations each, in a fresh context */
    static const int64_t wsizes[2] = {100000, 1000};
    double work[2][3];
    printf("workload: %d distinct expressions x 5 evaluations (ms in all):\n", NEXPR);
    for (int s = 0; s < 2; s++) {
        for (int t = 0; t < 3; t++) {
            kiln_stats st;
            work[s][t] = workload(exprs, NEXPR, 5, tiers[t], wsizes[s], NULL, &st);
            if (t == 0)
                printf("  (auto at n=%lld: %llu kernels interpreted first, %llu compiled in the background)\n", (long long)wsizes[s],
                       (unsigned long long)st.tier_kernels, (unsigned long long)st.tier_compiled);
        }
        printf("  n = %-9lld auto %8.1f   jit %8.1f   interp %8.1f\n", (long long)wsizes[s], work[s][0], work[s][1], work[s][2]);
    }

    /* the rule's threshold: workloads in auto with kernels compiled after 0 to 100 ms interpreted
     * (KILN_JIT_AFTER_MS; 10 is the default), and the jit and interp tiers for scale: the
     * workload above at both sizes, and a hot one (20 expressions, 200 calls each, 10^5) */
    enum { THRESHOLDS = 8, LOADS = 3 };
    static const char *const after[THRESHOLDS] = {"0", "1", "3", "10", "30", "100", "jit", "interp"};
    static const int load_n[LOADS] = {100000, 1000, 100000}, load_exprs[LOADS] = {NEXPR, NEXPR, 20}, load_reps[LOADS] = {5, 5, 200};
    double swept[THRESHOLDS][LOADS];
    unsigned long long swept_compiles[THRESHOLDS][LOADS];
    printf("workloads by KILN_JIT_AFTER_MS (ms in all, background compiles): 200x5 at 10^5, 200x5 at 10^3, 20x200 at 10^5\n");
    for (int h = 0; h < THRESHOLDS; h++) {
        bool tier = h >= THRESHOLDS - 2;
        printf("  %-6s%s", after[h], tier ? "   " : " ms");
        for (int w = 0; w < LOADS; w++) {
            kiln_stats st;
            swept[h][w] = workload(exprs, load_exprs[w], load_reps[w], !tier ? KILN_TIER_AUTO : h == THRESHOLDS - 2 ? KILN_TIER_JIT : KILN_TIER_INTERP,
                                   load_n[w], tier ? NULL : after[h], &st);
            swept_compiles[h][w] = (unsigned long long)st.tier_compiled;
            printf(" %9.1f (%3llu)", swept[h][w], swept_compiles[h][w]);
        }
        printf("\n");
    }
    if (argc > 1) {
        FILE *f = fopen(argv[1], "w");
        if (!f) return 1;
        fprintf(f, "{\"first\": {");
        for (int s = 0; s < 3; s++)
            fprintf(f, "%s\"%lld\": {\"auto\": %.4f, \"jit\": %.4f, \"interp\": %.4f}", s ? ", " : "", (long long)sizes[s], first[s][0],
                    first[s][1], first[s][2]);
        fprintf(f, "},\n \"steady\": {");
        static const char *const keys[CASES] = {"fma_big", "sin2_f64", "sin2_f32", "dot", "fma_small_us"};
        for (int k = 0; k < CASES; k++) fprintf(f, "%s\"%s\": {\"jit\": %.4f, \"interp\": %.4f}", k ? ", " : "", keys[k], steady[k][0], steady[k][1]);
        fprintf(f, "},\n \"workload\": {");
        for (int s = 0; s < 2; s++)
            fprintf(f, "%s\"%lld\": {\"auto\": %.2f, \"jit\": %.2f, \"interp\": %.2f}", s ? ", " : "", (long long)wsizes[s], work[s][0],
                    work[s][1], work[s][2]);
        fprintf(f, "},\n \"threshold\": {");
        for (int h = 0; h < THRESHOLDS; h++) {
            fprintf(f, "%s\"%s\": {", h ? ", " : "", after[h]);
            for (int w = 0; w < LOADS; w++)
                fprintf(f, "%s\"%dx%d at %d\": [%.2f, %llu]", w ? ", " : "", load_exprs[w], load_reps[w], load_n[w], swept[h][w],
                        swept_compiles[h][w]);
            fprintf(f, "}");
        }
        fprintf(f, "}, \"tiers\": [\"%s\", \"%s\", \"%s\"]}\n", tier_names[0], tier_names[1], tier_names[2]);
        fclose(f);
    }
    return 0;
}
