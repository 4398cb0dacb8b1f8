/*
 * test_stress.c — threads, proven: 8 threads on one shared context, then 8 threads with a
 * context each, mixing element-wise work, reductions, matrix products and parsing, every result
 * checked against a plain C loop.  Run under ThreadSanitizer by tools/test.sh (build-tsan).
 */
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

#define THREADS 8
#define ITERS 40

typedef struct worker {
    kiln_ctx *ctx; /* shared or its own */
    int id;
    int64_t mismatches, failures;
    char first[256];
} worker;

static void note(worker *w, bool ok, const char *what, int it) {
    if (ok) return;
    if (!w->mismatches++) snprintf(w->first, sizeof w->first, "thread %d iteration %d: %s (%s)", w->id, it, what, kiln_errmsg(w->ctx));
}

static bool close_to(double got, double want, double tol) { return fabs(got - want) <= tol * (1 + fabs(want)); }

static void *work(void *p) {
    worker *w = p;
    kiln_ctx *ctx = w->ctx;
    kiln_scope *scope = kiln_scope_new(ctx);
    for (int it = 0; it < ITERS; it++) {
        int64_t n = it % 8 == 0 ? 150000 + w->id : 1000 + 37 * w->id + it, m = 24 + (w->id + it) % 9; /* some big enough for OpenMP */
        kiln_array *A = kiln_array_new(ctx, KILN_F64, 1, &n), *B = kiln_array_new(ctx, KILN_F64, 1, &n);
        double *a = kiln_array_data(A), *b = kiln_array_data(B);
        for (int64_t i = 0; i < n; i++) {
            a[i] = sin((double)(i + w->id)) * 3;
            b[i] = cos((double)i * 0.5 + it);
        }
        kiln_expr *x = kiln_var(ctx, A), *y = kiln_var(ctx, B);
        /* element-wise: sin(a)*sin(a) + a*b - 2 */
        kiln_expr *s = kiln_sin(ctx, x), *two = kiln_scalar(ctx, 2.0);
        kiln_expr *e = kiln_sub(ctx, kiln_add(ctx, kiln_mul(ctx, s, s), kiln_mul(ctx, x, y)), two);
        kiln_array *r = kiln_eval(ctx, e);
        bool ok = r != NULL;
        for (int64_t i = 0; ok && i < n; i++) ok = close_to(((double *)kiln_array_data(r))[i], sin(a[i]) * sin(a[i]) + a[i] * b[i] - 2, 1e-14);
        note(w, ok, "sin(a)*sin(a) + a*b - 2", it);
        kiln_array_free(r);
        /* a reduction: sum(a*b) */
        kiln_expr *d = kiln_sum(ctx, kiln_mul(ctx, x, y), KILN_ALL_AXES, 0);
        r = kiln_eval(ctx, d);
        double want = 0, scale = 0;
        for (int64_t i = 0; i < n; i++) want += a[i] * b[i], scale += fabs(a[i] * b[i]);
        note(w, r && fabs(*(double *)kiln_array_data(r) - want) <= 1e-13 * scale, "sum(a*b)", it);
        kiln_array_free(r);
        /* a product with an epilogue: relu(M @ N + 1) */
        kiln_array *M = kiln_array_new(ctx, KILN_F64, 2, (int64_t[]){m, m}), *N = kiln_array_new(ctx, KILN_F64, 2, (int64_t[]){m, m});
        double *mm = kiln_array_data(M), *nn = kiln_array_data(N);
        for (int64_t i = 0; i < m * m; i++) {
            mm[i] = (double)((i * 7 + w->id) % 11) - 5;
            nn[i] = (double)((i * 3 + it) % 7) - 3;
        }
        kiln_expr *one = kiln_int(ctx, 1);
        kiln_expr *pr = kiln_relu(ctx, kiln_add(ctx, kiln_matmul(ctx, kiln_var(ctx, M), kiln_var(ctx, N)), one));
        r = kiln_eval(ctx, pr);
        ok = r != NULL;
        for (int64_t i = 0; ok && i < m; i++)
            for (int64_t j = 0; ok && j < m; j++) {
                double t = 1;
                for (int64_t k = 0; k < m; k++) t += mm[i * m + k] * nn[k * m + j];
                ok = ((double *)kiln_array_data(r))[i * m + j] == (t > 0 ? t : 0); /* small integers: exact */
            }
        note(w, ok, "relu(M @ N + 1)", it);
        kiln_array_free(r);
        /* parsing, in this thread's own scope */
        kiln_scope_set(scope, "a", A);
        kiln_expr *q = kiln_parse(ctx, scope, "a[::2] * 2 + a.sum()");
        r = q ? kiln_eval(ctx, q) : NULL;
        double total = 0;
        for (int64_t i = 0; i < n; i++) total += a[i];
        ok = r != NULL;
        for (int64_t i = 0; ok && i < (n + 1) / 2; i++) ok = close_to(((double *)kiln_array_data(r))[i], a[2 * i] * 2 + total, 1e-12);
        note(w, ok, "a[::2] * 2 + a.sum()", it);
        kiln_array_free(r);
        kiln_expr *all[] = {x, y, s, two, e, d, one, pr, q};
        for (size_t k = 0; k < sizeof all / sizeof *all; k++) kiln_expr_free(all[k]);
        kiln_array_free(A);
        kiln_array_free(B);
        kiln_array_free(M);
        kiln_array_free(N);
    }
    kiln_scope_free(scope);
    return NULL;
}

static int64_t run(bool shared, char *first, size_t cap) {
    kiln_ctx *one = shared ? kiln_ctx_new(NULL) : NULL;
    worker w[THREADS];
    pthread_t th[THREADS];
    for (int i = 0; i < THREADS; i++) {
        w[i] = (worker){.ctx = shared ? one : kiln_ctx_new(NULL), .id = i};
        pthread_create(&th[i], NULL, work, &w[i]);
    }
    int64_t bad = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        if (w[i].mismatches && !bad) snprintf(first, cap, "%s", w[i].first);
        bad += w[i].mismatches;
        if (!shared) kiln_ctx_free(w[i].ctx);
    }
    kiln_ctx_free(one);
    return bad;
}

START_TEST(threads_on_one_context_and_one_each) {
    char first[256] = "";
    int64_t bad = run(true, first, sizeof first);
    ck_assert_msg(bad == 0, "shared context: %lld mismatches; first: %s", (long long)bad, first);
    bad = run(false, first, sizeof first);
    ck_assert_msg(bad == 0, "a context each: %lld mismatches; first: %s", (long long)bad, first);
    printf("stress: %d threads x %d iterations x 4 kinds of work, on one shared context and on one each: 0 mismatches\n", THREADS, ITERS);
}
END_TEST

/* kiln called from inside a program's own OpenMP team, a context per thread: launches small
 * enough for one thread (softmax rows, the column form of sum(X, 0), a reduction of several
 * blocks) must cover all their work, not the share the outer team's numbers would give them. */
START_TEST(inside_a_programs_openmp_team) {
    int bad = 0;
#pragma omp parallel num_threads(4) reduction(+ : bad)
    {
        kiln_ctx *ctx = kiln_ctx_new(NULL);
        int64_t sx[2] = {40, 10}, sc[2] = {30, 64}, nr = 3000;
        kiln_array *X = kiln_array_new(ctx, KILN_F64, 2, sx), *C = kiln_array_new(ctx, KILN_F64, 2, sc), *R = kiln_array_new(ctx, KILN_F64, 1, &nr);
        double *x = kiln_array_data(X), *c = kiln_array_data(C), *r = kiln_array_data(R);
        for (int i = 0; i < 400; i++) x[i] = sin(i * 0.7);
        for (int i = 0; i < 30 * 64; i++) c[i] = (double)(i % 13) - 6;
        for (int i = 0; i < 3000; i++) r[i] = (double)(i % 7);
        kiln_expr *sm = kiln_softmax(ctx, kiln_var(ctx, X), -1), *cs = kiln_sum(ctx, kiln_var(ctx, C), 0, 0);
        kiln_expr *rs = kiln_sum(ctx, kiln_mul(ctx, kiln_var(ctx, R), kiln_scalar(ctx, 2.0)), KILN_ALL_AXES, 0);
        kiln_array *S = kiln_eval(ctx, sm), *CS = kiln_eval(ctx, cs), *RS = kiln_eval(ctx, rs);
        if (!S || !CS || !RS) bad++;
        for (int i = 0; S && i < 40; i++) {
            double m = -INFINITY, z = 0;
            for (int j = 0; j < 10; j++) m = fmax(m, x[i * 10 + j]);
            for (int j = 0; j < 10; j++) z += exp(x[i * 10 + j] - m);
            for (int j = 0; j < 10; j++) bad += !close_to(((double *)kiln_array_data(S))[i * 10 + j], exp(x[i * 10 + j] - m) / z, 1e-13);
        }
        for (int j = 0; CS && j < 64; j++) {
            double want = 0;
            for (int i = 0; i < 30; i++) want += c[i * 64 + j];
            bad += ((double *)kiln_array_data(CS))[j] != want;
        }
        double rwant = 0;
        for (int i = 0; i < 3000; i++) rwant += 2.0 * r[i];
        bad += RS && *(double *)kiln_array_data(RS) != rwant;
        kiln_array *arrs[] = {X, C, R, S, CS, RS};
        for (int i = 0; i < 6; i++) kiln_array_free(arrs[i]);
        kiln_expr *es[] = {sm, cs, rs};
        for (int i = 0; i < 3; i++) kiln_expr_free(es[i]);
        kiln_ctx_free(ctx);
    }
    ck_assert_msg(bad == 0, "%d wrong values inside an OpenMP team", bad);
}
END_TEST

/* A child forked after kiln ran on several threads (Python's multiprocessing does this): libgomp's
 * pool stayed in the parent, and a parallel region in the child used to wait for it forever.
 * The child runs on one thread (kiln_num_threads says 1) and gets the right answers; a child
 * still running after a minute is killed and the test fails. */
START_TEST(forked_child_after_threads) {
    kiln_ctx *c = kiln_ctx_new(NULL);
    ck_assert_int_eq(kiln_set_num_threads(c, 4), KILN_OK);
    ck_assert_int_eq(kiln_set_tier(c, KILN_TIER_JIT), KILN_OK); /* (no compile thread: ThreadSanitizer refuses threads after a fork) */
    int64_t n = 1 << 21;
    kiln_array *A = kiln_array_new(c, KILN_F64, 1, &n);
    double *a = kiln_array_data(A);
    for (int64_t i = 0; i < n; i++) a[i] = (double)(i % 1000);
    kiln_expr *x = kiln_var(c, A), *twice = kiln_mul(c, x, kiln_scalar(c, 2.0)), *s = kiln_sum(c, twice, KILN_ALL_AXES, 0);
    kiln_array *r = kiln_eval(c, s);
    ck_assert_ptr_nonnull(r);
    double want = *(double *)kiln_array_data(r);
    kiln_array_free(r);
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        kiln_array *t = kiln_eval(c, twice), *u = kiln_eval(c, s);
        bool ok = t && u && kiln_num_threads(c) == 1 && *(double *)kiln_array_data(u) == want;
        for (int64_t i = 0; ok && i < n; i++) ok = ((double *)kiln_array_data(t))[i] == 2.0 * a[i];
        _exit(ok ? 0 : 3);
    }
    int st = child_wait(pid, 60); /* (a minute is far past what the child needs) */
    ck_assert_msg(st != -1, "the forked child hung (killed after 60 s)");
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the forked child %s %d", WIFEXITED(st) ? "exited with" : "died of signal",
                  WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
    ck_assert_int_eq(kiln_num_threads(c), 4); /* (the parent keeps its threads) */
    kiln_expr_free(s);
    kiln_expr_free(twice);
    kiln_expr_free(x);
    kiln_array_free(A);
    kiln_ctx_free(c);
}
END_TEST

/* The large-buffer pool keeps the sizes a long session uses now, not only the first sixteen it
 * saw: with every slot full, a release makes room by dropping the buffer released longest ago.
 * Twenty buffers released in turn leave the last sixteen in the pool (the first four were
 * unmapped: under the old rule the last four were), and a request of one of their sizes gets it
 * back. */
START_TEST(buffer_pool_keeps_recent_sizes) {
    kiln_ctx *c = kiln_ctx_new(NULL);
    enum { N = RT_POOL_SLOTS + 4 };
    void *b[N];
    for (int i = 0; i < N; i++) {
        b[i] = rt_buf_alloc(c, (size_t)(8 + 3 * i) << 20);
        ck_assert_ptr_nonnull(b[i]);
    }
    for (int i = 0; i < N; i++) rt_buf_release(c, b[i], (size_t)(8 + 3 * i) << 20);
    for (int i = 0; i < N; i++) {
        bool kept = false;
        for (int k = 0; k < RT_POOL_SLOTS; k++) kept |= c->pool[k].p == b[i];
        ck_assert_msg(kept == (i >= N - RT_POOL_SLOTS), "buffer %d (%d MB) %s the pool", i, 8 + 3 * i, kept ? "is in" : "is not in");
    }
    void *p = rt_buf_alloc(c, (size_t)(8 + 3 * (N - 1)) << 20); /* (the largest: no other size stands in for it) */
    ck_assert_ptr_eq(p, b[N - 1]);
    rt_buf_release(c, p, (size_t)(8 + 3 * (N - 1)) << 20);
    kiln_ctx_free(c);
}
END_TEST

static bool pooled(const kiln_ctx *c, const void *p) {
    for (int k = 0; k < RT_POOL_SLOTS; k++)
        if (c->pool[k].size && c->pool[k].p == p) return true;
    return false;
}

/* Middling buffers (64 KiB to 1 MiB, malloc's heap) are pooled too, so that a call's buffers at
 * the heap's top are not given back and faulted in again at the next: released, each is kept
 * where a slot is free and comes back for a request of its size; only to such requests (never
 * a mapped buffer to them, nor they to a large request); with every slot full they are freed,
 * making no room (the large buffers stay), and a large buffer's release drops one of them before
 * any large one; below 64 KiB, none is kept. */
START_TEST(middling_buffers_pooled_on_the_heap) {
    kiln_ctx *c = kiln_ctx_new(NULL);
    size_t mid[3] = {80000, 100000, 200000};
    void *m[3];
    for (int i = 0; i < 3; i++) m[i] = rt_buf_alloc(c, mid[i]);
    for (int i = 0; i < 3; i++) rt_buf_release(c, m[i], mid[i]);
    for (int i = 0; i < 3; i++) ck_assert_msg(pooled(c, m[i]), "a buffer of %zu bytes is not in the pool", mid[i]);
    void *again = rt_buf_alloc(c, 80000);
    ck_assert_ptr_eq(again, m[0]);
    memset(again, 1, 80000);
    void *large = rt_buf_alloc(c, 8 << 20); /* (mapped, not a heap buffer) */
    ck_assert(large != m[1] && large != m[2]);
    rt_buf_release(c, large, 8 << 20);
    void *small = rt_buf_alloc(c, 4000);
    rt_buf_release(c, small, 4000);
    ck_assert(!pooled(c, small));
    rt_buf_release(c, again, 80000);
    rt_buf_pool_drain(c); /* (heap ones freed, mapped ones unmapped: ASan sees either mistake) */
    void *mapped = rt_buf_alloc(c, 1 << 20);
    rt_buf_release(c, mapped, 1 << 20);
    void *want = rt_buf_alloc(c, 600000); /* (in the 2x window of the mapped one) */
    ck_assert_ptr_ne(want, mapped);
    ck_assert(pooled(c, mapped));
    rt_buf_release(c, want, 600000);
    rt_buf_pool_drain(c);
    void *big[RT_POOL_SLOTS];
    for (int i = 0; i < RT_POOL_SLOTS; i++) big[i] = rt_buf_alloc(c, (size_t)(2 + i) << 20);
    for (int i = 0; i < RT_POOL_SLOTS; i++) rt_buf_release(c, big[i], (size_t)(2 + i) << 20);
    void *late = rt_buf_alloc(c, 90000);
    rt_buf_release(c, late, 90000);
    ck_assert(!pooled(c, late));
    for (int i = 0; i < RT_POOL_SLOTS; i++) ck_assert_msg(pooled(c, big[i]), "large buffer %d left the pool for a middling one", i);
    void *one = rt_buf_alloc(c, (size_t)(2 + RT_POOL_SLOTS - 1) << 20), *mid2 = rt_buf_alloc(c, 90000);
    ck_assert_ptr_eq(one, big[RT_POOL_SLOTS - 1]); /* (a slot free for the middling one) */
    rt_buf_release(c, mid2, 90000);
    ck_assert(pooled(c, mid2));
    rt_buf_release(c, one, (size_t)(2 + RT_POOL_SLOTS - 1) << 20); /* (the pool full: the middling one goes, not big[0]) */
    ck_assert(!pooled(c, mid2) && pooled(c, big[0]) && pooled(c, one));
    kiln_ctx_free(c);
}
END_TEST

/* A buffer the pool could not give for RT_POOL_STALE allocations goes back to the system: a
 * program whose sizes grow (n MB for n = 1 .. 40, each freed before the next) keeps the last
 * few, not 16 of them (it kept up to 4 GB resident); buffers taken again at each call stay
 * however many other sizes miss; kiln_trim empties the pool, and the next allocation maps anew. */
START_TEST(stale_buffers_leave_the_pool) {
    kiln_ctx *c = kiln_ctx_new(NULL);
    for (int n = 1; n <= 40; n++) {
        void *b = rt_buf_alloc(c, (size_t)n << 20);
        ck_assert_ptr_nonnull(b);
        rt_buf_release(c, b, (size_t)n << 20);
        int held = 0;
        for (int k = 0; k < RT_POOL_SLOTS; k++) held += c->pool[k].size != 0;
        ck_assert_msg(held <= RT_POOL_STALE + 1, "after %d MB the pool holds %d buffers", n, held);
    }
    kiln_trim(c);
    for (int k = 0; k < RT_POOL_SLOTS; k++) ck_assert_uint_eq(c->pool[k].size, 0);
    void *hot = rt_buf_alloc(c, 8 << 20);
    rt_buf_release(c, hot, 8 << 20);
    for (int n = 0; n < 3 * RT_POOL_STALE; n++) { /* (each round: the hot one again, a new size missing) */
        void *h = rt_buf_alloc(c, 8 << 20), *m = rt_buf_alloc(c, (size_t)(20 + n) << 20);
        ck_assert_ptr_eq(h, hot);
        rt_buf_release(c, m, (size_t)(20 + n) << 20);
        rt_buf_release(c, h, 8 << 20);
    }
    ck_assert(pooled(c, hot));
    kiln_trim(c);
    ck_assert(!pooled(c, hot));
    kiln_trim(NULL);
    kiln_ctx_free(c);
}
END_TEST

Suite *suite_stress(void) {
    Suite *s = suite_create("stress");
    TCase *t = tcase_create("threads");
    tcase_set_timeout(t, 600);
    tcase_add_test(t, threads_on_one_context_and_one_each);
    tcase_add_test(t, inside_a_programs_openmp_team);
    tcase_add_test(t, forked_child_after_threads);
    suite_add_tcase(s, t);
    TCase *pool = tcase_create("pool");
    tcase_add_test(pool, buffer_pool_keeps_recent_sizes);
    tcase_add_test(pool, middling_buffers_pooled_on_the_heap);
    tcase_add_test(pool, stale_buffers_leave_the_pool);
    suite_add_tcase(s, pool);
    return s;
}
