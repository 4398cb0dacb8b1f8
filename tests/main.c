/*
 * main.c — the one test runner: every module's Check suite, run under CTest.
 * Also holds the helpers all suites share (helpers.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <signal.h>
#include <unistd.h>

#include "helpers.h"

/* ------------------------------------------------------------------ helpers */

void fill_values(void *p, kiln_dtype dt, int64_t n, uint64_t *seed, bool specials) {
    static const double fspecial[] = {0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -7.0, 7.0, 3.5, -3.5,
                                      NAN, INFINITY, -INFINITY, 1e300, -1e300, 1e-310, 3e9, -3e9, 1e19};
    static const int64_t ispecial[] = {0, 1, -1, 2, -2, 7, -7, 3, INT32_MAX, INT32_MIN, INT64_MAX,
                                       INT64_MIN, 100, -100, 31, 62};
    int nf = specials ? (int)(sizeof fspecial / sizeof *fspecial) : 0;
    int ni = specials ? (int)(sizeof ispecial / sizeof *ispecial) : 0;
    for (int64_t i = 0; i < n; i++) {
        kscalar v = {.bits = 0};
        switch (dt) {
        case KILN_BOOL: v.b = rng_next(seed) & 1; break;
        case KILN_F32: v.f32 = i < nf ? (float)fspecial[i] : (float)((rng_unit(seed) - 0.5) * 20); break;
        case KILN_F64: v.f64 = i < nf ? fspecial[i] : (rng_unit(seed) - 0.5) * 20; break;
        default: /* integers: the specials wrapped into dt; then any value (unsigned) or -20..20 */
            v = ref_cast((kscalar){.i64 = i < ni                   ? ispecial[i]
                                          : dtype_is_unsigned(dt) ? (int64_t)rng_next(seed)
                                                                  : (int64_t)(rng_next(seed) % 41) - 20},
                         KILN_I64, dt);
            break;
        }
        ref_store((char *)p + i * (int64_t)kiln_dtype_size(dt), dt, v);
    }
}

static int64_t ordered(double x) {
    int64_t i;
    memcpy(&i, &x, 8);
    return i < 0 ? INT64_MIN - i - 1 : i; /* -0 sits one step below +0 */
}
static int32_t ordered_f(float x) {
    int32_t i;
    memcpy(&i, &x, 4);
    return i < 0 ? INT32_MIN - i - 1 : i;
}

uint64_t ulp_diff(kscalar a, kscalar b, kiln_dtype dt) {
    if (dt == KILN_F64) {
        if (isnan(a.f64) || isnan(b.f64)) return isnan(a.f64) && isnan(b.f64) ? 0 : UINT64_MAX;
        int64_t x = ordered(a.f64), y = ordered(b.f64);
        return x > y ? (uint64_t)x - (uint64_t)y : (uint64_t)y - (uint64_t)x;
    }
    if (dt == KILN_F32) {
        if (isnan(a.f32) || isnan(b.f32)) return isnan(a.f32) && isnan(b.f32) ? 0 : UINT64_MAX;
        int64_t x = ordered_f(a.f32), y = ordered_f(b.f32);
        return (uint64_t)(x > y ? x - y : y - x);
    }
    return a.bits == b.bits ? 0 : UINT64_MAX;
}

static void scalar_str(kscalar v, kiln_dtype dt, char *b, size_t cap) {
    switch (dt) {
    case KILN_F32: snprintf(b, cap, "%.9g", v.f32); break;
    case KILN_F64: snprintf(b, cap, "%.17g", v.f64); break;
    case KILN_DTYPE_COUNT: snprintf(b, cap, "?"); break;
    default: snprintf(b, cap, "%lld", (long long)kscalar_int(dt, v)); break;
    }
}

int child_wait(int pid, int seconds) {
    int st = 0;
    for (int waited = 0; waited < 10 * seconds; waited++) {
        pid_t done = waitpid(pid, &st, WNOHANG);
        if (done == pid) return st;
        if (done < 0) return -1;
        usleep(100 * 1000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
    return -1;
}

int64_t compare_arrays(const kiln_array *got, const kiln_array *want, uint64_t max_ulp, char *msg, size_t cap) {
    kiln_dtype dt = (kiln_dtype)want->dtype;
    int64_t n = kiln_array_size(want), bad = 0, idx[KILN_MAX_DIMS] = {0};
    for (int64_t k = 0; k < n; k++) {
        const char *pg = got->data, *pw = want->data;
        for (int d = 0; d < want->ndim; d++) {
            pg += idx[d] * got->strides[d];
            pw += idx[d] * want->strides[d];
        }
        kscalar g = ref_load(pg, dt), w = ref_load(pw, dt);
        uint64_t u = ulp_diff(g, w, dt);
        if (u > max_ulp) {
            if (!bad && msg) {
                char gs[64], ws[64];
                scalar_str(g, dt, gs, sizeof gs);
                scalar_str(w, dt, ws, sizeof ws);
                snprintf(msg, cap, "element %lld: got %s, want %s (%s)", (long long)k, gs, ws, kiln_dtype_name(dt));
            }
            bad++;
        }
        for (int d = want->ndim - 1; d >= 0; d--) {
            if (++idx[d] < want->shape[d]) break;
            idx[d] = 0;
        }
    }
    return bad;
}

int64_t jit_vs_ref(kiln_ctx *ctx, kiln_expr *e, uint64_t max_ulp, char *msg, size_t cap) {
    kiln_array *got = kiln_eval(ctx, e);
    if (!got) {
        snprintf(msg, cap, "eval failed: %s", kiln_errmsg(ctx));
        return -1;
    }
    kiln_array *want = kiln_array_new(ctx, kiln_expr_dtype(e), kiln_expr_ndim(e), kiln_expr_shape(e));
    int64_t bad = -1;
    if (want && rt_ref_eval(ctx, e, want) == KILN_OK) bad = compare_arrays(got, want, max_ulp, msg, cap);
    else snprintf(msg, cap, "reference failed: %s", kiln_errmsg(ctx));
    kiln_array_free(got);
    kiln_array_free(want);
    return bad;
}

int64_t backends_agree(kiln_ctx *ctx, kiln_expr *e, uint64_t max_ulp, char *msg, size_t cap) {
    const char *first = kiln_backend_name(ctx);
    kiln_array *want = kiln_eval(ctx, e);
    if (!want) {
        snprintf(msg, cap, "eval on %s failed: %s", first, kiln_errmsg(ctx));
        return -1;
    }
    int64_t bad = 0;
    char list[128];
    snprintf(list, sizeof list, "%s", kiln_backends());
    for (char *save = NULL, *b = strtok_r(list, ", ", &save); b && bad == 0; b = strtok_r(NULL, ", ", &save)) {
        /* host backends agree bit for bit; a GPU's bounds are tests/gpu_check.c's */
        if (!strcmp(b, first) || rt_backends[rt_backend_find(b)]->device || kiln_set_backend(ctx, b) != KILN_OK) continue;
        kiln_array *got = kiln_eval(ctx, e);
        if (!got) {
            snprintf(msg, cap, "eval on %s failed: %s", b, kiln_errmsg(ctx));
            bad = -1;
        } else {
            bad = compare_arrays(got, want, max_ulp, msg, cap);
            if (bad) {
                size_t l = strlen(msg);
                snprintf(msg + l, cap - l, " (%s against %s)", b, first);
            }
        }
        kiln_array_free(got);
    }
    kiln_set_backend(ctx, first);
    kiln_array_free(want);
    return bad;
}

/* ------------------------------------------------------------------ runner */

/* Whether name is one of the comma-separated list's */
static bool listed(const char *list, const char *name) {
    size_t n = strlen(name);
    for (const char *q = list; q && *q;) {
        size_t l = strcspn(q, ",");
        if (l == n && !strncmp(q, name, n)) return true;
        q += l + (q[l] == ',');
    }
    return false;
}

int main(void) {
    /* the disk cache would carry kernels from test to test: the disk suite turns it on for itself */
    setenv("KILN_DISABLE_CACHE", "1", 1);
    kiln_ctx *probe = kiln_ctx_new(NULL);
    if (!uses_llvm(probe))
        fprintf(stderr, "kiln_tests: the checks of generated LLVM IR are skipped: this run's backend is %s (%s)\n",
                kiln_backend_name(probe) ? kiln_backend_name(probe) : "none", kiln_build_info());
    kiln_ctx_free(probe);
    /* KILN_SKIP_SUITES=reduce,views: all but those (CK_RUN_SUITE runs one): tools/test.sh runs the
     * ThreadSanitizer suite as two processes, one per core */
    static const struct {
        const char *name;
        Suite *(*make)(void);
    } suites[] = {{"ir", suite_ir},           {"jit", suite_jit},       {"random", suite_random}, {"api", suite_api},
                  {"fault", suite_fault},     {"frontend", suite_frontend}, {"npy", suite_npy}, {"reduce", suite_reduce},
                  {"disk", suite_disk},       {"backend", suite_backend}, {"tier", suite_tier},   {"views", suite_views},
                  {"grad", suite_grad},       {"linalg", suite_linalg}, {"stress", suite_stress}};
    const char *skip = getenv("KILN_SKIP_SUITES");
    SRunner *sr = NULL;
    for (size_t k = 0; k < sizeof suites / sizeof *suites; k++) {
        if (listed(skip, suites[k].name)) continue;
        if (!sr) sr = srunner_create(suites[k].make());
        else srunner_add_suite(sr, suites[k].make());
    }
    if (!sr) {
        fprintf(stderr, "kiln_tests: KILN_SKIP_SUITES=%s leaves no suite\n", skip);
        return EXIT_FAILURE;
    }
    /* one process: the JIT and libmvec are loaded once, and sanitizers see everything */
    srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
