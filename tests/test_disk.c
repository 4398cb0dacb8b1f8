/*
 * test_disk.c — the persistent kernel cache: hits across contexts and processes, a changed key
 * (another CPU's features, another kiln) is a miss, corrupt / truncated / foreign entries are
 * refused and replaced, several processes and threads filling one cache at once, eviction under
 * the size cap, untrusted directories and entries refused, and single-flight compilation.
 * Every test uses a fresh directory of its own.
 */
#include <dirent.h>
#include <pthread.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

static char dir[64];

static void setup(void) {
    snprintf(dir, sizeof dir, "/tmp/kiln-disk-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    chmod(dir, 0700);
    setenv("KILN_CACHE_DIR", dir, 1);
    unsetenv("KILN_DISABLE_CACHE");
    setenv("KILN_TIER", "jit", 1); /* kernels compiled (and stored) before their first call */
}
static void teardown(void) {
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
    unsetenv("KILN_CACHE_DIR");
    unsetenv("KILN_CACHE_MAX_MB");
    unsetenv("KILN_TIER");
    setenv("KILN_DISABLE_CACHE", "1", 1); /* as the other suites run */
}

/* Evaluates expression number k (a family of distinct structures) in a fresh context; returns
 * its stats and checks the values. */
static kiln_stats run_expr(int k) {
    kiln_ctx *ctx = kiln_ctx_new(NULL);
    int64_t n = 1000;
    kiln_array *a = kiln_array_new(ctx, KILN_F64, 1, &n);
    for (int i = 0; i < n; i++) ((double *)kiln_array_data(a))[i] = i * 0.01;
    kiln_expr *x = kiln_var(ctx, a), *e = kiln_mul(ctx, kiln_sin(ctx, x), kiln_sin(ctx, x));
    for (int i = 0; i < k; i++) e = kiln_add(ctx, e, x); /* sin(x)^2 + x + x + ... : a new kernel per k */
    char msg[256] = "";
    ck_assert_msg(jit_vs_ref(ctx, e, 9, msg, sizeof msg) == 0, "expression %d: %s", k, msg);
    kiln_stats st;
    kiln_get_stats(ctx, &st);
    kiln_ctx_free(ctx);
    return st;
}

static int count_entries(void) {
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *de;
    while (d && (de = readdir(d))) {
        size_t l = strlen(de->d_name);
        n += l > 3 && !strcmp(de->d_name + l - 3, ".ko");
        ck_assert_msg(strncmp(de->d_name, ".tmp.", 5) != 0, "a temporary was left behind: %s", de->d_name);
    }
    if (d) closedir(d);
    return n;
}

/* The path of the one entry in dir (tests that have exactly one). */
static void only_entry(char *path, size_t cap) {
    DIR *d = opendir(dir);
    struct dirent *de;
    path[0] = 0;
    while (d && (de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (l > 3 && !strcmp(de->d_name + l - 3, ".ko")) snprintf(path, cap, "%s/%s", dir, de->d_name);
    }
    if (d) closedir(d);
    ck_assert_msg(path[0], "no entry");
}

START_TEST(hits_across_contexts_and_processes) {
    kiln_stats s1 = run_expr(1);
    ck_assert_uint_eq(s1.kernels_compiled, 1);
    ck_assert_uint_eq(s1.disk_stores, 1);
    ck_assert_uint_eq(s1.disk_misses, 1);
    kiln_stats s2 = run_expr(1);
    ck_assert_uint_eq(s2.kernels_compiled, 0); /* never ran LLVM's optimizer or code generator */
    ck_assert_uint_eq(s2.disk_hits, 1);
    ck_assert_uint_eq(s2.ns_opt + s2.ns_codegen, 0);
    pid_t pid = fork();
    if (pid == 0) {
        kiln_stats s3 = run_expr(1);
        _exit(s3.disk_hits == 1 && s3.kernels_compiled == 0 ? 0 : 1);
    }
    int status;
    waitpid(pid, &status, 0);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    kiln_cache_stats cs;
    kiln_cache_info(&cs);
    ck_assert_uint_eq(cs.entries, 1);
    ck_assert_uint_ge(cs.hits, 2); /* the counters add up across processes */
}
END_TEST

START_TEST(a_changed_key_is_a_miss) {
    run_expr(2);
    setenv("KILN_TEST_CPU_FEATURES", "+sse2,+sse4.2", 1); /* another CPU */
    kiln_stats s = run_expr(2);
    ck_assert_uint_eq(s.kernels_compiled, 1);
    ck_assert_uint_eq(s.disk_hits, 0);
    unsetenv("KILN_TEST_CPU_FEATURES");
    setenv("KILN_TEST_VERSION", "99.0.0", 1); /* another kiln */
    s = run_expr(2);
    ck_assert_uint_eq(s.kernels_compiled, 1);
    unsetenv("KILN_TEST_VERSION");
    s = run_expr(2); /* the original key still hits */
    ck_assert_uint_eq(s.disk_hits, 1);
    ck_assert_int_eq(count_entries(), 3);
}
END_TEST

/* Damages the one entry with `how`, then expects a refusal, a correct result, a replacement. */
static void damage(int how) {
    char path[256];
    only_entry(path, sizeof path);
    FILE *f = fopen(path, "r+b");
    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    if (how == 0) { /* truncated */
        ck_assert_int_eq(ftruncate(fileno(f), size / 2), 0);
    } else if (how == 1) { /* one byte of the object flipped */
        fseek(f, size - 10, SEEK_SET);
        int c = fgetc(f);
        fseek(f, size - 10, SEEK_SET);
        fputc(c ^ 0x5a, f);
    } else if (how == 2) { /* garbage */
        fseek(f, 0, SEEK_SET);
        fputs("not a kiln object at all", f);
    } else { /* a foreign entry: a valid file for another key under this name */
        fseek(f, 40, SEEK_SET); /* inside the key */
        int c = fgetc(f);
        fseek(f, 40, SEEK_SET);
        fputc(c ^ 1, f);
    }
    fclose(f);
    kiln_stats s = run_expr(3);
    ck_assert_msg(s.disk_corrupt == 1 && s.kernels_compiled == 1 && s.disk_stores == 1, "damage %d: corrupt %llu compiled %llu",
                  how, (unsigned long long)s.disk_corrupt, (unsigned long long)s.kernels_compiled);
    s = run_expr(3); /* replaced by a good one */
    ck_assert_uint_eq(s.disk_hits, 1);
}

START_TEST(corrupt_entries_are_replaced) {
    run_expr(3);
    for (int how = 0; how < 4; how++) damage(how);
    ck_assert_int_eq(count_entries(), 1);
}
END_TEST

/* Several processes with two threads each fill an empty cache with the same five kernels. */
typedef struct filler {
    int base;
    int ok;
} filler;

static void *fill(void *p) {
    filler *f = p;
    for (int k = 0; k < 5; k++) {
        kiln_stats s = run_expr(10 + (k + f->base) % 5);
        f->ok += s.kernels_compiled + s.disk_hits == 1;
    }
    return NULL;
}

START_TEST(concurrent_fill) {
    if (KILN_TEST_TSAN) return; /* threads after fork(): ThreadSanitizer does not follow them */
    pid_t pids[4];
    for (int p = 0; p < 4; p++) {
        pids[p] = fork();
        if (pids[p] == 0) {
            pthread_t th[2];
            filler fl[2] = {{p, 0}, {p + 2, 0}};
            for (int t = 0; t < 2; t++) pthread_create(&th[t], NULL, fill, &fl[t]);
            for (int t = 0; t < 2; t++) pthread_join(th[t], NULL);
            _exit(fl[0].ok == 5 && fl[1].ok == 5 ? 0 : 1);
        }
    }
    for (int p = 0; p < 4; p++) {
        int status;
        waitpid(pids[p], &status, 0);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "filler %d failed", p);
    }
    ck_assert_int_eq(count_entries(), 5);
    for (int k = 0; k < 5; k++) ck_assert_uint_eq(run_expr(10 + k).disk_hits, 1);
}
END_TEST

START_TEST(eviction_under_the_size_cap) {
    run_expr(20);
    char path[256];
    only_entry(path, sizeof path);
    struct stat st;
    stat(path, &st);
    /* room for about three entries */
    char cap[32];
    snprintf(cap, sizeof cap, "%.6f", 3.5 * (double)st.st_size / (1 << 20));
    setenv("KILN_CACHE_MAX_MB", cap, 1);
    for (int k = 21; k < 30; k++) {
        run_expr(k);
        if (k == 25) run_expr(21); /* recently used: survives the next evictions longer */
        ck_assert_int_le(count_entries(), 3);
    }
    kiln_cache_stats cs;
    kiln_cache_info(&cs);
    ck_assert_uint_le(cs.bytes, cs.max_bytes);
    ck_assert_uint_eq(run_expr(29).disk_hits, 1); /* the newest is there */
    ck_assert_uint_eq(run_expr(20).disk_hits, 0); /* the oldest is gone */
}
END_TEST

START_TEST(untrusted_directories_and_entries_are_refused) {
    run_expr(40);
    char path[256];
    only_entry(path, sizeof path);
    chmod(path, 0666); /* an entry others could have rewritten */
    kiln_stats s = run_expr(40);
    ck_assert_uint_eq(s.disk_hits, 0);
    ck_assert_uint_eq(s.disk_corrupt, 1);
    ck_assert_uint_eq(s.kernels_compiled, 1);
    chmod(path, 0600);
    chmod(dir, 0777); /* a directory others can write into */
    kiln_cache_stats cs;
    kiln_cache_info(&cs);
    ck_assert(!cs.enabled);
    ck_assert_ptr_nonnull(strstr(cs.why_disabled, "refused"));
    s = run_expr(40);
    ck_assert_uint_eq(s.disk_hits, 0);
    ck_assert_uint_eq(s.kernels_compiled, 1);
    chmod(dir, 0700);
    ck_assert_uint_eq(run_expr(40).disk_hits, 1);
}
END_TEST

/* Two threads needing one uncompiled kernel: one compiles it, the other waits and uses it. */
typedef struct racer {
    kiln_ctx *ctx;
    kiln_expr *e;
    pthread_barrier_t *go;
    kiln_array *r;
} racer;

static void *race(void *p) {
    racer *r = p;
    pthread_barrier_wait(r->go);
    r->r = kiln_eval(r->ctx, r->e);
    return NULL;
}

START_TEST(single_flight_compilation) {
    setenv("KILN_DISABLE_CACHE", "1", 1);
    for (int round = 0; round < 5; round++) {
        kiln_ctx *ctx = kiln_ctx_new(NULL);
        int64_t n = 100;
        kiln_array *a = kiln_array_new(ctx, KILN_F64, 1, &n);
        for (int i = 0; i < n; i++) ((double *)kiln_array_data(a))[i] = i;
        kiln_expr *x = kiln_var(ctx, a), *e = kiln_cosh(ctx, kiln_add(ctx, x, kiln_scalar(ctx, 0.5 + round)));
        pthread_barrier_t go;
        pthread_barrier_init(&go, NULL, 2);
        racer rs[2] = {{ctx, e, &go, NULL}, {ctx, e, &go, NULL}};
        pthread_t th[2];
        for (int t = 0; t < 2; t++) pthread_create(&th[t], NULL, race, &rs[t]);
        for (int t = 0; t < 2; t++) pthread_join(th[t], NULL);
        ck_assert(rs[0].r && rs[1].r);
        kiln_stats st;
        kiln_get_stats(ctx, &st);
        ck_assert_uint_eq(st.kernels_compiled, 1);
        pthread_barrier_destroy(&go);
        kiln_ctx_free(ctx);
    }
}
END_TEST

/* A directory the user keeps other files in: kiln counts, evicts and clears only the files it
 * names itself (32 hex digits and .ko), and a stats file that is not its own is left alone (a
 * driver.ko was evicted and cleared as an entry, a stats file overwritten at every exit). */
START_TEST(files_not_kilns_are_left_alone) {
    char drv[128], stats[128], buf[64] = "";
    snprintf(drv, sizeof drv, "%s/driver.ko", dir);
    snprintf(stats, sizeof stats, "%s/stats", dir);
    FILE *f = fopen(drv, "w");
    ck_assert_ptr_nonnull(f);
    fputs("not kiln's", f);
    fclose(f);
    f = fopen(stats, "w");
    ck_assert_ptr_nonnull(f);
    fputs("my important stats", f);
    fclose(f);
    run_expr(40);
    kiln_cache_stats cs;
    kiln_cache_info(&cs);
    ck_assert_uint_eq(cs.entries, 1); /* (kiln's one, not driver.ko) */
    uint64_t removed = 0;
    ck_assert_int_eq(kiln_cache_clear(&removed), KILN_OK);
    ck_assert_uint_eq(removed, 1);
    ck_assert_int_eq(access(drv, F_OK), 0);
    f = fopen(stats, "r");
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_nonnull(fgets(buf, sizeof buf, f));
    fclose(f);
    ck_assert_str_eq(buf, "my important stats");
}
END_TEST

Suite *suite_disk(void) {
    Suite *s = suite_create("disk");
    kiln_ctx *probe = kiln_ctx_new(NULL);
    bool on_disk = caches_on_disk(probe);
    if (!on_disk) fprintf(stderr, "disk: skipped: the %s backend keeps nothing on disk\n", kiln_backend_name(probe));
    kiln_ctx_free(probe);
    if (!on_disk) return s;
    TCase *t = tcase_create("cache");
    tcase_set_timeout(t, 300);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, hits_across_contexts_and_processes);
    tcase_add_test(t, a_changed_key_is_a_miss);
    tcase_add_test(t, corrupt_entries_are_replaced);
    tcase_add_test(t, concurrent_fill);
    tcase_add_test(t, eviction_under_the_size_cap);
    tcase_add_test(t, untrusted_directories_and_entries_are_refused);
    tcase_add_test(t, single_flight_compilation);
    tcase_add_test(t, files_not_kilns_are_left_alone);
    suite_add_tcase(s, t);
    return s;
}
