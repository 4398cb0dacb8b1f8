/*
 * test_fault.c — allocation failure: fail the Nth allocation for N = 0, 1, 2, ... until a
 * whole scenario (context, arrays, expressions, compile, evaluate) succeeds.  Every run must
 * end in an error status or success, never a crash, and free everything it took (the hook
 * counts live blocks; the ASan build also checks with LeakSanitizer).  And an address-space
 * limit (ulimit -v) with almost no room left: a compile is an error, not LLVM's abort.
 */
#include <pthread.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

typedef struct faulty {
    long calls;    /* allocations so far */
    long fail_at;  /* the allocation that fails (-1: none) */
    long live;     /* blocks allocated and not freed */
    bool failed;   /* whether the failure was reached */
} faulty;

/* (under a lock: the default tier's background compiler allocates through it too, from its
 * thread, so which allocation is the Nth depends on when that thread runs) */
static pthread_mutex_t faulty_lock = PTHREAD_MUTEX_INITIALIZER;

static void *faulty_alloc(void *ud, void *p, size_t n) {
    faulty *f = ud;
    pthread_mutex_lock(&faulty_lock);
    void *q = NULL;
    if (n == 0) {
        if (p) f->live--;
        free(p);
    } else if (f->calls++ == f->fail_at) {
        f->failed = true;
    } else if ((q = realloc(p, n)) && !p) {
        f->live++;
    }
    pthread_mutex_unlock(&faulty_lock);
    return q;
}

/* The scenario; returns KILN_OK or the first error status. */
static kiln_status scenario(faulty *f) {
    kiln_config cfg = {.alloc = faulty_alloc, .alloc_ud = f, .num_threads = 1};
    kiln_ctx *ctx = kiln_ctx_new(&cfg);
    if (!ctx) return KILN_ERR_NOMEM;
    kiln_status st = KILN_OK;
    int64_t n = 100, m[2] = {10, 10};
    static double a[100], b[100], out[100];
    for (int i = 0; i < 100; i++) a[i] = b[i] = i * 0.1;
    kiln_array *A = kiln_wrap(ctx, KILN_F64, 1, &n, NULL, a);
    kiln_array *B = kiln_wrap(ctx, KILN_F64, 2, m, NULL, b);
    kiln_array *O = kiln_wrap(ctx, KILN_F64, 2, m, NULL, out);
    kiln_expr *x = kiln_var(ctx, A);
    kiln_expr *y = kiln_var(ctx, B);
    kiln_expr *xr = NULL, *e = NULL;
    if (!A || !B || !O || !x || !y) {
        st = kiln_errcode(ctx);
        goto out;
    }
    /* x viewed as 10×10 through a wrap, times y, plus sin(y) */
    kiln_array *X2 = kiln_wrap(ctx, KILN_F64, 2, m, NULL, a);
    xr = X2 ? kiln_var(ctx, X2) : NULL;
    kiln_array_free(X2);
    e = kiln_add(ctx, kiln_mul(ctx, xr, y), kiln_sin(ctx, y));
    if (!e) {
        st = kiln_errcode(ctx);
        goto out;
    }
    st = kiln_eval_into(ctx, e, O);
    if (st == KILN_OK) {
        kiln_array *r = kiln_eval(ctx, e); /* a second evaluation: cached, and a new array */
        if (!r) st = kiln_errcode(ctx);
        kiln_array_free(r);
    }
    if (st == KILN_OK) {
        char *d = kiln_dump(ctx, e, KILN_DUMP_GRAPH | KILN_DUMP_KERNELS);
        if (!d) st = kiln_errcode(ctx);
        kiln_string_free(d);
    }
    if (st == KILN_OK) { /* reductions (row and column paths), a product, a transposed view, two roots */
        kiln_expr *s0 = kiln_sum(ctx, e, 0, 0), *m1 = kiln_max(ctx, e, 1, 1), *mm = kiln_matmul(ctx, y, kiln_transpose(ctx, e));
        kiln_expr *both[2] = {kiln_add(ctx, mm, kiln_scalar(ctx, 1.0)), kiln_transpose(ctx, kiln_mul(ctx, m1, s0))};
        kiln_array *outs[2] = {NULL, NULL};
        if (!both[0] || !both[1]) st = kiln_errcode(ctx);
        else st = kiln_eval_many(ctx, 2, both, outs);
        kiln_array_free(outs[0]);
        kiln_array_free(outs[1]);
        kiln_expr *all[] = {s0, m1, mm, both[0], both[1]};
        for (int i = 0; i < 5; i++) kiln_expr_free(all[i]);
    }
out:
    if (st != KILN_OK && st != KILN_ERR_NOMEM) {
        fprintf(stderr, "fault %ld: unexpected status %s: %s\n", f->fail_at, kiln_status_str(st), kiln_errmsg(ctx));
    }
    kiln_expr_free(e);
    kiln_expr_free(xr);
    kiln_expr_free(x);
    kiln_expr_free(y);
    kiln_array_free(A);
    kiln_array_free(B);
    kiln_array_free(O);
    kiln_ctx_free(ctx);
    return st;
}

START_TEST(every_allocation_failure_is_an_error) {
    long n;
    for (n = 0; n < 2000; n++) {
        faulty f = {.fail_at = n};
        kiln_status st = scenario(&f);
        pthread_mutex_lock(&faulty_lock);
        long live = f.live;
        bool failed = f.failed;
        pthread_mutex_unlock(&faulty_lock);
        ck_assert_msg(live == 0, "failing allocation %ld leaked %ld blocks", n, live);
        if (!failed) {
            ck_assert_int_eq(st, KILN_OK);
            break;
        }
        ck_assert_msg(st == KILN_ERR_NOMEM || st == KILN_OK, "failing allocation %ld gave %s", n, kiln_status_str(st));
    }
    ck_assert_int_gt(n, 20); /* the scenario does allocate through the hook */
    ck_assert_int_lt(n, 2000);
}
END_TEST

/* The process's address space now, in bytes. */
static uint64_t vm_bytes(void) {
    long pages = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f || fscanf(f, "%ld", &pages) != 1) pages = 0;
    if (f) fclose(f);
    return (uint64_t)pages * (uint64_t)sysconf(_SC_PAGESIZE);
}

/* A compile under an address-space limit that leaves a megabyte: LLVM's failed allocation used
 * to abort the process (std::bad_alloc); now the evaluation fails with KILN_ERR_NOMEM saying so,
 * and once the limit is raised the same expression compiles and runs.  In a child process, the
 * limit its own (not under a sanitizer, whose shadow memory is address space). */
START_TEST(a_compile_with_no_room_is_an_error) {
#if defined(__SANITIZE_ADDRESS__) || KILN_TEST_TSAN
    return;
#endif
    kiln_ctx *ctx = kiln_ctx_new(&(kiln_config){.tier = KILN_TIER_JIT});
    bool llvm = uses_llvm(ctx);
    kiln_ctx_free(ctx);
    if (!llvm) return; /* (the interpreter allocates nothing unbounded) */
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        kiln_ctx *c = kiln_ctx_new(&(kiln_config){.tier = KILN_TIER_JIT, .num_threads = 1});
        int64_t n = 64;
        kiln_array *A = kiln_array_new(c, KILN_F64, 1, &n), *O = kiln_array_new(c, KILN_F64, 1, &n);
        for (int64_t i = 0; i < n; i++) ((double *)kiln_array_data(A))[i] = (double)i;
        kiln_expr *x = kiln_var(c, A), *e = kiln_add(c, kiln_mul(c, kiln_sin(c, x), kiln_cos(c, x)), kiln_tanh(c, x));
        struct rlimit old, tight;
        getrlimit(RLIMIT_AS, &old);
        tight = (struct rlimit){vm_bytes() + (1u << 20), old.rlim_max};
        if (setrlimit(RLIMIT_AS, &tight) != 0) _exit(10);
        kiln_status st = kiln_eval_into(c, e, O);
        bool said = strstr(kiln_errmsg(c), "ulimit -v") != NULL;
        setrlimit(RLIMIT_AS, &old);
        if (st != KILN_ERR_NOMEM) _exit(st == KILN_OK ? 11 : 12);
        if (!said) _exit(13);
        if (kiln_eval_into(c, e, O) != KILN_OK) _exit(14);
        double *o = kiln_array_data(O);
        for (int64_t i = 0; i < n; i++)
            if (fabs(o[i] - (sin((double)i) * cos((double)i) + tanh((double)i))) > 1e-12) _exit(15); /* (vector math: ulps apart) */
        _exit(0);
    }
    int st = child_wait(pid, 120);
    ck_assert_msg(st != -1, "the child hung");
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the child %s %d (10: no limit; 11: the compile had room; 12: another "
                  "error; 13: no word of the limit; 14: no compile once the limit was raised; 15: wrong values)",
                  WIFEXITED(st) ? "exited with" : "died of signal", WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
}
END_TEST

Suite *suite_fault(void) {
    Suite *s = suite_create("fault");
    TCase *t = tcase_create("alloc");
    tcase_set_timeout(t, 600);
    tcase_add_test(t, every_allocation_failure_is_an_error);
    tcase_add_test(t, a_compile_with_no_room_is_an_error);
    suite_add_tcase(s, t);
    return s;
}
