/*
 * helpers.h — what the test suites share: arrays filled with awkward values, comparisons in
 * ulps, and running an expression through both the JIT and the reference evaluator.
 */
#ifndef KILN_TEST_HELPERS_H
#define KILN_TEST_HELPERS_H

#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ir/graph.h"
#include "kiln.h"
#include "runtime/ctx.h"

/* Check's ck_assert_msg (and every ck_assert_* built on it) records where each passing assertion
 * was with a write() to its log (_mark_point): the suites check element by element, and those
 * system calls were most of their time (16 million in the views suite).  Here a passing
 * assertion records nothing; a failing one reports its file, line and message as Check's does.
 * (A crash is reported at the test's last mark_point() rather than its last passing assertion.) */
#undef ck_assert_msg
#define ck_assert_msg(expr, ...) ((expr) ? (void)0 : _ck_assert_failed(__FILE__, __LINE__, "Assertion '" #expr "' failed", ##__VA_ARGS__))

/* Built with ThreadSanitizer (tools/test.sh's build-tsan): tests that fork threaded processes or
 * measure memory step aside. */
#if defined(__SANITIZE_THREAD__)
#define KILN_TEST_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define KILN_TEST_TSAN 1
#endif
#endif
#ifndef KILN_TEST_TSAN
#define KILN_TEST_TSAN 0
#endif
/* Built with either sanitizer, under which every access costs many times more: a test's largest
 * sizes, which only repeat at length what its smaller ones already check, step aside. */
#if KILN_TEST_TSAN || defined(__SANITIZE_ADDRESS__)
#define KILN_TEST_SANITIZED 1
#else
#define KILN_TEST_SANITIZED 0
#endif

Suite *suite_ir(void);
Suite *suite_jit(void);
Suite *suite_random(void);
Suite *suite_api(void);
Suite *suite_fault(void);
Suite *suite_frontend(void);
Suite *suite_npy(void);
Suite *suite_reduce(void);
Suite *suite_disk(void);
Suite *suite_backend(void);
Suite *suite_tier(void);
Suite *suite_views(void);
Suite *suite_stress(void);
Suite *suite_grad(void);
Suite *suite_linalg(void);

/* Whether ctx's kernels are LLVM's (the "cpu" backend): the tests that read generated LLVM IR
 * check it only then; every other test runs on whatever backend KILN_BACKEND chose. */
/* Whether LAPACK may load (KILN_NO_BLAS=1, as the ThreadSanitizer run sets, keeps it out: kiln's
 * own routines then serve solve, inv, det, slogdet and cholesky up to 8 x 8, and the rest says
 * that it needs LAPACK). */
static inline bool lapack_here(void) {
    const char *off = getenv("KILN_NO_BLAS");
    return !(off && *off && strcmp(off, "0"));
}
static inline bool uses_llvm(const kiln_ctx *ctx) {
    const char *b = kiln_backend_name(ctx);
    return b && !strcmp(b, "cpu");
}
/* The kernels of e, with their LLVM IR where the backend is LLVM's. */
static inline char *dump_kernels(kiln_ctx *ctx, kiln_expr *e) {
    return kiln_dump(ctx, e, KILN_DUMP_KERNELS | (uses_llvm(ctx) ? KILN_DUMP_LLVM : 0));
}

/* The ulps libmvec's transcendental functions may be from the reference's libm (measured: at
 * most 3 for float64, 4 for float32). */
#define MATH_ULP 4

/* A small deterministic generator (xorshift64*), so failures reproduce. */
static inline uint64_t rng_next(uint64_t *s) {
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ull;
}
static inline double rng_unit(uint64_t *s) { return (double)(rng_next(s) >> 11) / 9007199254740992.0; }

/* Fills n elements of dtype dt at p (contiguous): special values first, then random ones. */
void fill_values(void *p, kiln_dtype dt, int64_t n, uint64_t *seed, bool specials);

/* Waits for the forked child pid at most seconds: its wait status, or -1 once a child still
 * running then (hung) has been killed. */
int child_wait(int pid, int seconds);

/* Distance in units of the last place between two floats of dtype dt (0 if both NaN). */
uint64_t ulp_diff(kscalar a, kscalar b, kiln_dtype dt);

/* Compares the JIT's out with the reference: elements must match exactly (any NaN equals any
 * NaN; -0 and +0 are one ulp apart) or, for floats, within max_ulp.  Returns the number of mismatches and
 * describes the first in msg. */
int64_t compare_arrays(const kiln_array *got, const kiln_array *want, uint64_t max_ulp, char *msg, size_t cap);

/* Evaluates e with the JIT into a fresh array and with ref_eval into another, compares them.
 * Returns mismatches (0 is a pass), or -1 if evaluation failed (message in msg). */
int64_t jit_vs_ref(kiln_ctx *ctx, kiln_expr *e, uint64_t max_ulp, char *msg, size_t cap);

/* Evaluates e on ctx's backend and then on every other backend this build has (switching ctx
 * back afterwards), comparing each result with the first within max_ulp.  Returns mismatches,
 * or -1 when an evaluation failed (message in msg). */
int64_t backends_agree(kiln_ctx *ctx, kiln_expr *e, uint64_t max_ulp, char *msg, size_t cap);

/* Whether ctx's backend keeps compiled kernels on disk (the disk suite needs one that does). */
static inline bool caches_on_disk(const kiln_ctx *ctx) {
    return ctx->backend >= 0 && rt_backends[ctx->backend]->disk_cache;
}

#endif
