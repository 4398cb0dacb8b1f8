/*
 * test_cuda.c — the CUDA backend on a machine without a GPU (CTest: cuda_compile).
 *
 * Every kernel of the corpus (op × dtype, casts, strided, broadcast and transposed operands,
 * every reduction over every axis, random expression trees) is rendered, compiled by the real
 * NVRTC for sm_90 and sm_80 (KILN_CUDA_ARCH: the backend's compile-only mode; every third
 * expression's maps' 64-bit kernels too, KILN_CUDA_WIDE), loaded, and its PTX assembled by
 * ptxas; each kernel's registers, stack and spills are written to
 * cuda_kernels_<arch>.txt.  A launch in compile-only mode must fail with the compile-only
 * sentence, so any other message (an NVRTC error, an unsupported op) fails the test.  Also: the
 * sentences for a missing driver, the toolkit's stub driver and a missing NVRTC; NVRTC's
 * errors as messages; the disk cache keeping CUBINs; a plan's kernels in one NVRTC program; :cuda's
 * source without a GPU.
 *
 * Each test runs in its own process (Check's fork mode): the libraries are loaded once per
 * process.  Without NVRTC the program says why and exits 77 (CTest's skip).
 */
#include <check.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "codegen/cuda/cuda.h"
#include "cuda_corpus.h"
#include "kiln.h"
#include "runtime/ctx.h"

static char tmp[256];

/* The whole corpus compiled by NVRTC to PTX for compute_<sm> into tmp/arch, and each kernel's PTX
 * assembled by ptxas for sm_<sm> (what NVRTC does inside for a CUBIN, but one step at a time:
 * half the time, and ptxas's own report). */
static void corpus_for(int sm, const char *style) {
    char dir[400], report[512], cmd[2048], arch[32], virt[32], tag[64];
    snprintf(arch, sizeof arch, "sm_%d", sm);
    snprintf(virt, sizeof virt, "compute_%d", sm);
    snprintf(tag, sizeof tag, "%s%s%s", arch, style ? "_" : "", style ? style : "");
    snprintf(dir, sizeof dir, "%s/%s", tmp, tag);
    setenv("KILN_CUDA_ARCH", virt, 1);
    if (style) setenv("KILN_CUDA_MAP", style, 1);
    setenv("KILN_CUDA_DUMP", dir, 1);
    setenv("KILN_DISABLE_CACHE", "1", 1);
    /* every third expression in a context of its own with KILN_CUDA_WIDE=1 (set while it runs:
     * the backend starts at a context's first kernel), which compiles its maps' 64-bit kernels
     * too (their bodies are the 32-bit kernels': a third of them is plenty) */
    kiln_ctx *nctx = kiln_ctx_new(&(kiln_config){.backend = "cuda"}), *wctx = kiln_ctx_new(&(kiln_config){.backend = "cuda"});
    ck_assert_ptr_nonnull(nctx);
    ck_assert_ptr_nonnull(wctx);
    kiln_scope *ns = corpus_scope(nctx), *ws = corpus_scope(wctx);
    corpus c = make_corpus();
    /* KILN_CUDA_TEST_QUICK=1 (the sanitizer build): every tenth expression (NVRTC's allocations
     * under ASan's allocator are most of that build's time); the release build compiles every
     * one for sm_90, the H200's target, and every ninth for sm_80 (the same CUDA C for an older
     * target: NVRTC and ptxas take 0.4 s of a CPU a kernel, 6 minutes for the whole corpus on a
     * 2.2 GHz machine); in KILN_CUDA_MAP's other styles, every tenth (every hundredth) */
    int step = (getenv("KILN_CUDA_TEST_QUICK") ? 10 : sm == 90 ? 1 : 9) * (style ? 10 : 1);
    int compiled = 0, refused = 0, bad = 0, in_ctx[2] = {0, 0}; /* (expressions compiled in each context) */
    char first_bad[600] = "";
    for (int k = 0; k < c.n; k++) {
        if (k % step) {
            free(c.v[k]);
            continue;
        }
        bool wide = k / step % 3 == 0;
        kiln_ctx *ctx = wide ? wctx : nctx;
        kiln_scope *s = wide ? ws : ns;
        kiln_clear_error(ctx);
        kiln_expr *e = kiln_parse(ctx, s, c.v[k]);
        if (!e) { /* not an expression NumPy allows for this dtype (& of floats...) */
            refused++;
            free(c.v[k]);
            continue;
        }
        kiln_stats before, after;
        kiln_get_stats(ctx, &before);
        if (wide) setenv("KILN_CUDA_WIDE", "1", 1);
        kiln_array *r = kiln_eval(ctx, e);
        unsetenv("KILN_CUDA_WIDE");
        kiln_get_stats(ctx, &after);
        const char *msg = kiln_errmsg(ctx);
        if (r) { /* no kernel at all (a view): nothing to launch */
            kiln_array_free(r);
        } else if (!strstr(msg, "compile-only")) {
            if (!bad++) snprintf(first_bad, sizeof first_bad, "%s: %s", c.v[k], msg);
        } else { /* compiled now, or earlier for an expression with the same kernel */
            compiled += after.kernels_compiled > before.kernels_compiled;
            in_ctx[wide] += after.kernels_compiled > before.kernels_compiled;
        }
        kiln_expr_free(e);
        free(c.v[k]);
    }
    free(c.v);
    kiln_scope_free(ns);
    kiln_scope_free(ws);
    kiln_ctx_free(nctx);
    kiln_ctx_free(wctx);
    int made, uses;
    kc_pch_counts(&made, &uses);
    printf("cuda %s: %d expressions compiled, %d refused by the language, %d failed (%d compiles through the precompiled preamble)\n",
           tag, compiled, refused, bad, uses);
    ck_assert_msg(bad == 0, "%d expressions failed for %s; the first: %s", bad, tag, first_bad);
    ck_assert_int_gt(compiled, 250 / step);

    /* ptxas over every kernel's PTX: exit status, registers, stack and spills recorded */
    const char *ptxas = getenv("KILN_PTXAS") ? getenv("KILN_PTXAS") : "/usr/local/cuda/bin/ptxas";
    if (access(ptxas, X_OK) != 0) {
        printf("cuda %s: no ptxas at %s: PTX not assembled\n", tag, ptxas);
        return;
    }
    snprintf(report, sizeof report, "cuda_kernels_%s.txt", tag);
    /* one line per kernel: "<name>.ptx <ptxas's exit status> <registers, stack, spills>" */
    snprintf(cmd, sizeof cmd,
             "cd '%s' && ls *.ptx | xargs -P %ld -I{} sh -c 'out=$(\"$0\" -arch=%s -v {} -o /dev/null 2>&1); rc=$?; "
             "printf \"%%s %%s %%s\\n\" {} $rc \"$(printf %%s \"$out\" | grep -E \"Used|stack frame|rror\" | tr -s \" \\n\" \" \")\" > {}.rep' '%s' "
             "&& cat *.rep > '%s' && echo $(ls *.ptx | wc -l) $(awk '$2 != 0' *.rep | wc -l) > ptxas_counts",
             dir, sysconf(_SC_NPROCESSORS_ONLN), arch, ptxas, report);
    ck_assert_int_eq(system(cmd), 0);
    char path[600];
    snprintf(path, sizeof path, "%s/ptxas_counts", dir);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    int n = 0, fail = 0;
    ck_assert_int_eq(fscanf(f, "%d %d", &n, &fail), 2);
    fclose(f);
    /* keep the record beside the test binary (CI's log shows where) */
    snprintf(cmd, sizeof cmd, "awk '$2 != 0' '%s/%s' | head -3", dir, report);
    if (fail && system(cmd) != 0) printf("could not show the failures\n");
    snprintf(cmd, sizeof cmd, "cp '%s/%s' .", dir, report);
    if (system(cmd) != 0) printf("could not copy %s\n", report);
    printf("cuda %s: ptxas assembled %d kernels, %d failed; registers and stack in %s\n", tag, n - fail, fail, report);
    ck_assert_int_eq(fail, 0);
    /* (a program both contexts compile is one file: each context's compiles are distinct programs) */
    ck_assert_int_ge(n, in_ctx[0] > in_ctx[1] ? in_ctx[0] : in_ctx[1]);
}

START_TEST(corpus_sm90) { corpus_for(90, NULL); }
END_TEST

START_TEST(corpus_sm80) { corpus_for(80, NULL); }
END_TEST

/* Maps in KILN_CUDA_MAP's other styles compile and assemble too. */
START_TEST(corpus_sm90_styles) { corpus_for(90, "unroll,prefetch,v16,stream"); }
END_TEST

/* Asking for CUDA where there is no driver: one sentence, and everything else keeps working. */
START_TEST(no_driver_sentence) {
    setenv("KILN_CUDA_DRIVER", "/nonexistent/libcuda.so.1", 1);
    unsetenv("KILN_CUDA_ARCH");
    kiln_ctx *ctx = kiln_ctx_new(&(kiln_config){.backend = "cuda"});
    int64_t n = 10;
    kiln_array *a = filled(ctx, KILN_F64, 1, &n, 1);
    kiln_expr *x = kiln_var(ctx, a), *e = kiln_mul(ctx, x, x);
    ck_assert_ptr_null(kiln_eval(ctx, e));
    ck_assert_int_eq(kiln_errcode(ctx), KILN_ERR_BACKEND);
    ck_assert_msg(strstr(kiln_errmsg(ctx), "libcuda.so.1 cannot be loaded") && !strchr(kiln_errmsg(ctx), '\n'), "%s", kiln_errmsg(ctx));
    ck_assert_int_eq(kiln_set_backend(ctx, "interp"), KILN_OK);
    kiln_array *r = kiln_eval(ctx, e);
    ck_assert_ptr_nonnull(r);
    ck_assert(((double *)kiln_array_data(r))[3] == ((double *)kiln_array_data(a))[3] * ((double *)kiln_array_data(a))[3]);
    /* and kiln_set_backend refuses it with the same sentence, changing nothing */
    ck_assert_int_eq(kiln_set_backend(ctx, "cuda"), KILN_ERR_BACKEND);
    ck_assert_str_eq(kiln_backend_name(ctx), "interp");
    kiln_array_free(r);
    kiln_expr_free(e);
    kiln_expr_free(x);
    kiln_array_free(a);
    kiln_ctx_free(ctx);
}
END_TEST

/* kiln_set_backend(ctx, "cuda") refused with a message holding words. */
static void refused_with(const char *words) {
    kiln_ctx *ctx = kiln_ctx_new(NULL);
    ck_assert_int_eq(kiln_set_backend(ctx, "cuda"), KILN_ERR_BACKEND);
    ck_assert_msg(strstr(kiln_errmsg(ctx), words), "%s", kiln_errmsg(ctx));
    kiln_ctx_free(ctx);
}

/* The toolkit's stub libcuda answers every call with CUDA_ERROR_STUB_LIBRARY: a sentence too. */
START_TEST(stub_driver_sentence) {
    const char *stub = "/usr/local/cuda/lib64/stubs/libcuda.so";
    if (access(stub, R_OK) != 0) return;
    setenv("KILN_CUDA_DRIVER", stub, 1);
    unsetenv("KILN_CUDA_ARCH");
    refused_with("cuInit failed with CUDA_ERROR_STUB_LIBRARY");
}
END_TEST

START_TEST(no_nvrtc_sentence) {
    setenv("KILN_NVRTC", "/nonexistent/libnvrtc.so.13", 1);
    refused_with("needs NVRTC");
}
END_TEST

/* NVRTC's diagnostics become kiln's message, naming the kernel; an unknown architecture too. */
START_TEST(nvrtc_errors_become_messages) {
    kiln_ctx *ctx = kiln_ctx_new(NULL);
    char *out = NULL;
    size_t len = 0;
    uint64_t ns = 0;
    ck_assert_int_eq(kc_compile_source(ctx, "extern \"C\" __global__ void k_bad(float *p) { p[0] = undefined_thing; }", "k_bad",
                                       "sm_90", false, false, &out, &len, &ns),
                     KILN_ERR_COMPILE);
    ck_assert_msg(strstr(kiln_errmsg(ctx), "k_bad") && strstr(kiln_errmsg(ctx), "undefined_thing"), "%s", kiln_errmsg(ctx));
    ck_assert_ptr_null(out);
    kiln_clear_error(ctx);
    ck_assert_int_eq(kc_compile_source(ctx, "extern \"C\" __global__ void k_ok(float *p) { p[0] = sinf(p[1]); }", "k_ok",
                                       "compute_90", false, true, &out, &len, &ns),
                     KILN_OK);
    ck_assert_ptr_nonnull(strstr(out, ".version"));
    ck_assert_uint_eq(strlen(out) + 1, len);
    free(out);
    setenv("KILN_CUDA_ARCH", "sm_70", 1); /* NVRTC 13 refuses Volta */
    ck_assert_int_eq(kiln_set_backend(ctx, "cuda"), KILN_ERR_BACKEND);
    ck_assert_msg(strstr(kiln_errmsg(ctx), "not an architecture"), "%s", kiln_errmsg(ctx));
    kiln_ctx_free(ctx);
}
END_TEST

/* ex evaluated by a new compile-only context (its launch fails with the compile-only sentence),
 * whose stats go to *st. */
static void compile_only_stats(const char *ex, kiln_stats *st) {
    kiln_ctx *ctx = kiln_ctx_new(&(kiln_config){.backend = "cuda"});
    kiln_scope *s = corpus_scope(ctx);
    kiln_expr *e = kiln_parse(ctx, s, ex);
    ck_assert_ptr_null(kiln_eval(ctx, e));
    ck_assert_msg(strstr(kiln_errmsg(ctx), "compile-only"), "%s", kiln_errmsg(ctx));
    kiln_get_stats(ctx, st);
    kiln_expr_free(e);
    kiln_scope_free(s);
    kiln_ctx_free(ctx);
}

/* Compile-only for sm_90 with the disk cache in tmp/sub (its path into dir). */
static void compile_only_cached(char *dir, size_t cap, const char *sub) {
    snprintf(dir, cap, "%s/%s", tmp, sub);
    setenv("KILN_CACHE_DIR", dir, 1);
    unsetenv("KILN_DISABLE_CACHE");
    setenv("KILN_CUDA_ARCH", "sm_90", 1);
}

/* The disk cache keeps CUBINs: a second context loads them without NVRTC; a damaged entry is
 * refused and compiled again. */
START_TEST(disk_cache_keeps_cubins) {
    char dir[400];
    compile_only_cached(dir, sizeof dir, "cache");
    kiln_stats st[3];
    for (int round = 0; round < 3; round++) {
        if (round == 2) { /* damage every entry's middle byte */
            char cmd[600];
            snprintf(cmd, sizeof cmd,
                     "for f in $(find '%s' -type f -name '*.ko'); do s=$(stat -c %%s $f); "
                     "printf '\\377\\376' | dd of=$f bs=1 seek=$((s/2)) conv=notrunc 2>/dev/null; done",
                     dir);
            ck_assert_int_eq(system(cmd), 0);
        }
        compile_only_stats("sin(d) * 3 + f", &st[round]);
    }
    ck_assert_uint_eq(st[0].disk_stores, 1);
    ck_assert_uint_eq(st[1].disk_hits, 1);
    ck_assert_uint_eq(st[1].kernels_compiled, 0);
    ck_assert_uint_eq(st[2].disk_corrupt, 1);
    ck_assert_uint_eq(st[2].kernels_compiled, 1);
}
END_TEST

/* A plan's kernels in one NVRTC program: three kernels (two reductions and the map over their
 * results) made by one compile before the first launch, each kept on disk under its own key;
 * a second context loads all three from there without NVRTC. */
START_TEST(plan_in_one_program) {
    char dir[400];
    compile_only_cached(dir, sizeof dir, "plan_cache");
    kiln_stats st[2];
    for (int round = 0; round < 2; round++) compile_only_stats("d / sum(exp(d)) + max(d)", &st[round]);
    ck_assert_uint_eq(st[0].kernels_compiled, 3);
    ck_assert_uint_eq(st[0].compiler_runs, 1);
    ck_assert_uint_eq(st[0].disk_stores, 3);
    ck_assert_uint_eq(st[1].kernels_compiled, 0);
    ck_assert_uint_eq(st[1].compiler_runs, 0);
    ck_assert_uint_eq(st[1].disk_hits, 3);
}
END_TEST

/* Text of file path (malloc'd), or NULL. */
static char *slurp(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    char *t = calloc(1, 1 << 20);
    size_t n = t ? fread(t, 1, (1 << 20) - 1, f) : 0;
    fclose(f);
    if (t) t[n] = 0;
    return t;
}

/* a*b+c is a multiply and an add on the GPU as on the CPU (NVRTC contracts into an FMA unless
 * told not to); KILN_CUDA_FAST_MATH, an explicit option, contracts.  Checked in the PTX of
 * kiln's own kernel for d * f + d (float64) and of a hand-written one. */
START_TEST(no_fma_contraction) {
    char dir[400], path[600], cmd[700];
    snprintf(dir, sizeof dir, "%s/fma", tmp);
    setenv("KILN_CUDA_ARCH", "compute_90", 1);
    setenv("KILN_CUDA_DUMP", dir, 1);
    setenv("KILN_DISABLE_CACHE", "1", 1);
    kiln_stats st;
    compile_only_stats("d * d + f", &st);
    ck_assert_uint_eq(st.kernels_compiled, 1);
    snprintf(cmd, sizeof cmd, "cat '%s'/*.ptx > '%s/all.ptx'", dir, dir);
    ck_assert_int_eq(system(cmd), 0);
    snprintf(path, sizeof path, "%s/all.ptx", dir);
    char *ptx = slurp(path);
    ck_assert_ptr_nonnull(ptx);
    ck_assert_msg(strstr(ptx, "mul.rn.f64") && strstr(ptx, "add.rn.f64") && !strstr(ptx, "fma.rn.f64"), "d * d + f contracted");
    free(ptx);
    static const char src[] = "extern \"C\" __global__ void k_fma(const double *a, double *o) { o[0] = a[0] * a[1] + a[2]; }";
    kiln_ctx *ctx = kiln_ctx_new(NULL);
    for (int fast = 0; fast < 2; fast++) {
        char *out = NULL;
        size_t len = 0;
        uint64_t ns = 0;
        ck_assert_int_eq(kc_compile_source(ctx, src, "k_fma", "compute_90", fast, true, &out, &len, &ns), KILN_OK);
        ck_assert_msg(fast ? strstr(out, "fma.rn.f64") != NULL : !strstr(out, "fma.rn.f64"), "fast math %d:\n%s", fast, out);
        free(out);
    }
    kiln_ctx_free(ctx);
}
END_TEST

/* The preamble precompiled (NVRTC 12.8 and later): a process's first program of kiln's compiles
 * whole, its second makes the PCH, later ones use it, from several threads at once, each with the
 * PTX of its whole compile; a program with an error in it says so as when whole (its line
 * counted in the whole program), and the PCH stays in use after it. */
typedef struct {
    const char *src, *name, *want; /* want: the whole compile's PTX */
    int bad;
} pch_job;

static char *pch_program(const char *fn, const char *body) {
    kstr k = {0};
    kc_render_preamble(&k);
    kstr_printf(&k, "extern \"C\" __global__ void %s(double *p) {\n    %s\n}\n", fn, body);
    ck_assert(!k.oom);
    return k.s;
}

static char *pch_compile(const char *src, const char *name, kiln_status want) {
    kiln_ctx *ctx = kiln_ctx_new(NULL);
    char *out = NULL;
    size_t len = 0;
    uint64_t ns = 0;
    kiln_status st = kc_compile_source(ctx, src, name, "compute_90", false, true, &out, &len, &ns);
    ck_assert_msg(st == want, "%s: %s", name, kiln_errmsg(ctx));
    if (st != KILN_OK) {
        out = strdup(kiln_errmsg(ctx));
        ck_assert_ptr_nonnull(out);
    }
    kiln_ctx_free(ctx);
    return out;
}

static void *pch_thread(void *arg) {
    pch_job *j = arg;
    for (int r = 0; r < 2; r++) {
        char *ptx = pch_compile(j->src, j->name, KILN_OK);
        if (strcmp(ptx, j->want)) j->bad++;
        free(ptx);
    }
    return NULL;
}

START_TEST(preamble_precompiled) {
    int made, uses;
    kc_pch_counts(&made, &uses);
    ck_assert_int_eq(made + uses, 0);
    const char *bodies[4] = {"p[threadIdx.x] = ks_sin_f64(p[threadIdx.x]);", "p[threadIdx.x] = ks_floordiv_f64(p[0], p[1]);",
                             "p[threadIdx.x] = (double)ks_mod_i64((int64_t)p[0], 7);", "p[threadIdx.x] = ks_pow_f64(p[0], p[1]);"};
    char *src[4], *whole[4], name[4][16];
    for (int i = 0; i < 4; i++) {
        snprintf(name[i], sizeof name[i], "k_pch%d", i);
        src[i] = pch_program(name[i], bodies[i]);
    }
    /* whole: the first of the process's programs (the others', after, are compared through it) */
    whole[0] = pch_compile(src[0], name[0], KILN_OK);
    kc_pch_counts(&made, &uses);
    if (made + uses == 0) { /* the second makes it, where NVRTC can (12.8 and later) */
        whole[1] = pch_compile(src[1], name[1], KILN_OK);
        kc_pch_counts(&made, &uses);
        if (!made) {
            printf("preamble_precompiled: this NVRTC made no precompiled header; programs compile whole\n");
            free(whole[0]), free(whole[1]);
            for (int i = 0; i < 4; i++) free(src[i]);
            return;
        }
    }
    ck_assert_int_eq(made, 1);
    /* the whole compiles of the others, in a process without the PCH, to compare with */
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        setenv("KILN_CUDA_PCH", "0", 1); /* (read at the first compile: this child's is later) */
        for (int i = 1; i < 4; i++) {
            char *w = pch_compile(src[i], name[i], KILN_OK);
            size_t n = strlen(w) + 1;
            if (write(fds[1], &n, sizeof n) != sizeof n || write(fds[1], w, n) != (ssize_t)n) _exit(1);
            free(w);
        }
        _exit(0);
    }
    close(fds[1]);
    for (int i = 1; i < 4; i++) {
        size_t n = 0;
        ck_assert_int_eq(read(fds[0], &n, sizeof n), sizeof n);
        if (i == 1) free(whole[1]);
        whole[i] = malloc(n);
        for (size_t got = 0; got < n;) {
            ssize_t r = read(fds[0], whole[i] + got, n - got);
            ck_assert_int_gt(r, 0);
            got += (size_t)r;
        }
    }
    close(fds[0]);
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    /* through the PCH: the first program again, and the others from four threads at once */
    char *again = pch_compile(src[0], name[0], KILN_OK);
    ck_assert_str_eq(again, whole[0]);
    free(again);
    pch_job jobs[4];
    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        jobs[i] = (pch_job){src[i], name[i], whole[i], 0};
        ck_assert_int_eq(pthread_create(&th[i], NULL, pch_thread, &jobs[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        ck_assert_msg(jobs[i].bad == 0, "%s: PTX through the precompiled preamble differs from the whole compile's", name[i]);
    }
    int uses_before;
    kc_pch_counts(&made, &uses_before);
    ck_assert_int_ge(uses_before, 9);
    /* an error: the message of the whole program (the kernel's line after the preamble's) */
    char *bad = pch_program("k_pch_bad", "p[0] = undefined_thing;");
    char *msg = pch_compile(bad, "k_pch_bad", KILN_ERR_COMPILE);
    kstr pre = {0};
    kc_render_preamble(&pre);
    int line = 2;
    for (size_t i = 0; i < pre.len; i++) line += pre.s[i] == '\n';
    char where[48];
    snprintf(where, sizeof where, "k_pch_bad(%d): error", line);
    ck_assert_msg(strstr(msg, where) && strstr(msg, "undefined_thing"), "wanted %s in: %s", where, msg);
    kstr_free(&pre);
    free(msg);
    free(bad);
    again = pch_compile(src[3], name[3], KILN_OK);
    ck_assert_str_eq(again, whole[3]);
    free(again);
    kc_pch_counts(&made, &uses);
    ck_assert_int_eq(uses, uses_before + 1);
    for (int i = 0; i < 4; i++) free(src[i]), free(whole[i]);
}
END_TEST

/* A fixed routine (cumsum's, of routines.cu) compiles once per context, goes to the disk cache,
 * and comes back from it in a second context without NVRTC; its PTX assembles. */
START_TEST(routines_compile_and_cache) {
    char dir[400], cmd[900];
    compile_only_cached(dir, sizeof dir, "routines_cache");
    char dump[450];
    snprintf(dump, sizeof dump, "%s/dump", dir);
    setenv("KILN_CUDA_ARCH", "compute_90", 1);
    setenv("KILN_CUDA_DUMP", dump, 1);
    kiln_stats st[2];
    for (int round = 0; round < 2; round++) compile_only_stats("cumsum(D, 0)", &st[round]);
    ck_assert_uint_eq(st[0].disk_stores, 1);
    ck_assert_uint_eq(st[0].compiler_runs, 1); /* (NVRTC for the routine, counted as a kernel's compile is) */
    ck_assert_uint_eq(st[1].disk_hits, 1);
    ck_assert_uint_eq(st[1].disk_stores, 0);
    ck_assert_uint_eq(st[1].compiler_runs, 0);
    const char *ptxas = getenv("KILN_PTXAS") ? getenv("KILN_PTXAS") : "/usr/local/cuda/bin/ptxas";
    if (access(ptxas, X_OK) != 0) return;
    snprintf(cmd, sizeof cmd, "'%s' -arch=sm_90 '%s'/kiln_scan_sum_f64.ptx -o /dev/null", ptxas, dump);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* :cuda / KILN_DUMP_CUDA: the CUDA C of each kernel from any backend, with no GPU. */
START_TEST(cuda_source_without_gpu) {
    setenv("KILN_CUDA_DRIVER", "/nonexistent/libcuda.so.1", 1);
    kiln_ctx *ctx = kiln_ctx_new(NULL);
    kiln_scope *s = corpus_scope(ctx);
    kiln_expr *e = kiln_parse(ctx, s, "sum(sin(D) * 2, 1)");
    char *d = kiln_dump(ctx, e, KILN_DUMP_CUDA);
    ck_assert_ptr_nonnull(d);
    ck_assert_msg(strstr(d, "ks_sin_f64") && strstr(d, "__global__") && strstr(d, "kc_block_kernel"), "%s", d);
    kiln_string_free(d);
    kiln_expr_free(e);
    kiln_scope_free(s);
    kiln_ctx_free(ctx);
}
END_TEST

/* KILN_CUDA_MAP writes maps another way (for tools/gpu_check.sh's grid part), under a cache key
 * of its own; a word it does not know is refused with a sentence naming it. */
START_TEST(map_styles) {
    char dir[400];
    unsetenv("KILN_CUDA_MAP");
    compile_only_cached(dir, sizeof dir, "styles_cache");
    kiln_stats st[3];
    compile_only_stats("sin(d) * 3 + f", &st[0]);
    setenv("KILN_CUDA_MAP", "prefetch", 1);
    for (int round = 1; round < 3; round++) compile_only_stats("sin(d) * 3 + f", &st[round]);
    ck_assert_uint_eq(st[0].disk_stores, 1);
    ck_assert_uint_eq(st[1].disk_hits, 0); /* not the default style's bytes */
    ck_assert_uint_eq(st[1].kernels_compiled, 1);
    ck_assert_uint_eq(st[2].disk_hits, 1);
    /* sin(D) * 2 (float64) is heavy: rolled, but unrolled under unroll; its vectors hold two
     * elements under v16, sin(F) * 2's (float32) still four */
    static const struct {
        const char *style;
        bool unrolled, prefetched, v16, stream;
    } styles[] = {{"", 0, 0, 0, 0},         {"unroll", 1, 0, 0, 0},       {"prefetch", 0, 1, 0, 0}, {"unroll,prefetch", 1, 1, 0, 0},
                  {"v16", 0, 0, 1, 0},      {"prefetch,v16", 0, 1, 1, 0}, {"stream", 0, 0, 0, 1},   {"v16,stream", 0, 0, 1, 1}};
    for (int i = 0; i < (int)(sizeof styles / sizeof styles[0]); i++) {
        setenv("KILN_CUDA_MAP", styles[i].style, 1);
        compile_only_stats("sin(D) * 2", &st[0]); /* NVRTC takes it, under a key of the style's own */
        ck_assert_uint_eq(st[0].kernels_compiled, 1);
        ck_assert_uint_eq(st[0].disk_hits, 0);
        kiln_ctx *ctx = kiln_ctx_new(&(kiln_config){.backend = "cuda"});
        kiln_scope *s = corpus_scope(ctx);
        kiln_expr *e = kiln_parse(ctx, s, "sin(D) * 2"), *e32 = kiln_parse(ctx, s, "sin(F) * 2");
        char *d = kiln_dump(ctx, e, KILN_DUMP_CUDA), *d32 = kiln_dump(ctx, e32, KILN_DUMP_CUDA);
        ck_assert_ptr_nonnull(d);
        ck_assert_ptr_nonnull(d32);
        bool unrolled = !strstr(d, "e == 0 ?"), prefetched = strstr(d, "jn < nv") != NULL;
        bool two = strstr(d, "kc_vec<double, 2> X0") && strstr(d, "const I nv = n >> 1;") && (strstr(d, "e == 0 ? X0.v[0] : X0.v[1]") != NULL) == !unrolled;
        bool four = strstr(d, "kc_vec<double, 4> X0") && strstr(d, "const I nv = n >> 2;");
        /* streamed: the inputs' vectors loaded, the output's stored evict-first */
        bool streamed = strstr(d, "x.X0 = kc_lds((const kc_vec<double, ") && strstr(d, "kc_sts((kc_vec<double, ");
        ck_assert_msg(unrolled == styles[i].unrolled && prefetched == styles[i].prefetched && (styles[i].v16 ? two : four) &&
                          streamed == styles[i].stream && (strstr(d, "x.X0 = ((const kc_vec<double, ") != NULL) == !streamed,
                      "%s:\n%s", styles[i].style, d);
        ck_assert_msg(strstr(d32, "kc_vec<float, 4> X0") && strstr(d32, "const I nv = n >> 2;"), "%s:\n%s", styles[i].style, d32);
        kiln_string_free(d);
        kiln_string_free(d32);
        kiln_expr_free(e);
        kiln_expr_free(e32);
        kiln_scope_free(s);
        kiln_ctx_free(ctx);
    }
    setenv("KILN_CUDA_MAP", "unroll,bogus", 1);
    refused_with("KILN_CUDA_MAP=unroll,bogus");
}
END_TEST

int main(void) {
    /* whether NVRTC loads, asked in a child: the tests load the libraries their own ways */
    pid_t pid = fork();
    if (pid == 0) {
        const char *why;
        if (kc_nvrtc_loaded(&why)) _exit(0);
        printf("cuda_compile: skipped: %s\n", why);
        fflush(stdout);
        _exit(77);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return 1;
    if (WEXITSTATUS(status) == 77) return 77;
    snprintf(tmp, sizeof tmp, "/tmp/kiln_cuda_test.XXXXXX");
    if (!mkdtemp(tmp)) return 1;
    Suite *su = suite_create("cuda");
    TCase *t = tcase_create("without_gpu");
    tcase_set_timeout(t, 600);
    tcase_add_test(t, corpus_sm90);
    if (!getenv("KILN_CUDA_TEST_QUICK")) tcase_add_test(t, corpus_sm80);
    tcase_add_test(t, corpus_sm90_styles);
    tcase_add_test(t, map_styles);
    tcase_add_test(t, no_driver_sentence);
    tcase_add_test(t, stub_driver_sentence);
    tcase_add_test(t, no_nvrtc_sentence);
    tcase_add_test(t, nvrtc_errors_become_messages);
    tcase_add_test(t, disk_cache_keeps_cubins);
    tcase_add_test(t, plan_in_one_program);
    tcase_add_test(t, cuda_source_without_gpu);
    tcase_add_test(t, no_fma_contraction);
    tcase_add_test(t, preamble_precompiled);
    tcase_add_test(t, routines_compile_and_cache);
    suite_add_tcase(su, t);
    SRunner *sr = srunner_create(su);
    srunner_set_fork_status(sr, CK_FORK); /* each test loads the libraries its own way */
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmp);
    return failed ? 1 : 0;
}
