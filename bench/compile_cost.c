/*
 * compile_cost.c — what kiln's first call costs, and what every later one does.
 *
 * For sin(a)*sin(a), a*b+c and a logistic-regression step (10^6 elements; X 100×10000), each
 * measured in fresh processes (this program re-runs itself as a child):
 *   cold       a new process, an empty disk cache: the first call, JIT start-up and compile included
 *   cached     the same process, the second call
 *   warm disk  a new process, the kernels on disk: the first call (no LLVM optimizer, no codegen)
 *   new length the same structure at another length in that process: kernels compiled (must be 0)
 * plus each child's whole run (exec to exit) measured by the parent.  Medians of 5 children.
 * Kernels are compiled before their first call here (KILN_TIER_JIT): this is the cost of
 * compiling and of the disk cache; bench/tier.c measures first calls on the interpreter.
 * Prints a table and writes JSON (argv[1]) for bench/compile_report.py.
 */
#include <kiln.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define REPS 5


/* The child: builds expression `which` at length n, evaluates it twice, then at another length.
 * Prints: first_ms cached_ms compiled disk_hits ready_ms opt_ms codegen_ms new_length_compiles */
static int child(const char *which, int64_t n) {
    double t0 = now();
    kiln_ctx *ctx = kiln_ctx_new(&(kiln_config){.tier = KILN_TIER_JIT});
    int nroots = 1;
    kiln_array *outs[2] = {NULL, NULL};
    for (int pass = 0; pass < 2; pass++) {
        int64_t len = pass ? n + 17 : n; /* the second pass: a new length */
        kiln_expr *r[2] = {NULL, NULL};
        if (!strcmp(which, "logreg")) {
            int64_t nf = 100, m = len / 100;
            kiln_array *X = kiln_array_new(ctx, KILN_F64, 2, (int64_t[]){nf, m}), *Y = kiln_array_new(ctx, KILN_F64, 2, (int64_t[]){1, m});
            kiln_array *w = kiln_array_new(ctx, KILN_F64, 2, (int64_t[]){nf, 1});
            for (int64_t i = 0; i < nf * m; i++) ((double *)kiln_array_data(X))[i] = (double)(i % 101) * 1e-2 - 0.5;
            for (int64_t i = 0; i < m; i++) ((double *)kiln_array_data(Y))[i] = i % 3 == 0;
            for (int64_t i = 0; i < nf; i++) ((double *)kiln_array_data(w))[i] = 0.01;
            kiln_expr *x = kiln_var(ctx, X), *y = kiln_var(ctx, Y), *wv = kiln_var(ctx, w), *one = kiln_scalar(ctx, 1.0);
            kiln_expr *z = kiln_add(ctx, kiln_matmul(ctx, kiln_transpose(ctx, wv), x), kiln_scalar(ctx, 0.1));
            kiln_expr *A = kiln_div(ctx, one, kiln_add(ctx, one, kiln_exp(ctx, kiln_neg(ctx, z))));
            kiln_expr *dz = kiln_sub(ctx, A, y), *mm = kiln_scalar(ctx, (double)m);
            r[0] = kiln_div(ctx, kiln_matmul(ctx, x, kiln_transpose(ctx, dz)), mm);
            r[1] = kiln_div(ctx, kiln_sum(ctx, dz, KILN_ALL_AXES, 0), mm);
            nroots = 2;
        } else {
            kiln_array *a = kiln_array_new(ctx, KILN_F64, 1, &len), *b = kiln_array_new(ctx, KILN_F64, 1, &len),
                       *c = kiln_array_new(ctx, KILN_F64, 1, &len);
            for (int64_t i = 0; i < len; i++) {
                ((double *)kiln_array_data(a))[i] = (double)(i % 1000) * 1e-3;
                ((double *)kiln_array_data(b))[i] = (double)(i % 7);
                ((double *)kiln_array_data(c))[i] = 1.0;
            }
            kiln_expr *x = kiln_var(ctx, a);
            if (!strcmp(which, "sin2")) r[0] = kiln_mul(ctx, kiln_sin(ctx, x), kiln_sin(ctx, x));
            else r[0] = kiln_add(ctx, kiln_mul(ctx, x, kiln_var(ctx, b)), kiln_var(ctx, c));
        }
        kiln_stats s0, s1, s2;
        kiln_get_stats(ctx, &s0);
        double t1 = now();
        if (kiln_eval_many(ctx, nroots, r, outs) != KILN_OK) {
            fprintf(stderr, "kiln: %s\n", kiln_errmsg(ctx));
            return 1;
        }
        double first = now() - t1;
        kiln_get_stats(ctx, &s1);
        double best = 1e30;
        for (int k = 0; k < 5; k++) {
            double t2 = now();
            kiln_eval_many(ctx, nroots, r, outs);
            if (now() - t2 < best) best = now() - t2;
        }
        kiln_get_stats(ctx, &s2);
        if (pass == 0) {
            printf("%.4f %.4f %llu %llu %.4f %.4f %.4f %.4f ", first * 1e3, best * 1e3, (unsigned long long)(s1.kernels_compiled - s0.kernels_compiled),
                   (unsigned long long)(s1.disk_hits - s0.disk_hits), (double)(s1.ns_disk_load - s0.ns_disk_load) * 1e-6,
                   (double)(s1.ns_opt - s0.ns_opt) * 1e-6, (double)(s1.ns_codegen - s0.ns_codegen) * 1e-6, (now() - t0) * 1e3);
            for (int k = 0; k < nroots; k++) {
                kiln_array_free(outs[k]);
                outs[k] = NULL;
            }
        } else {
            printf("%llu\n", (unsigned long long)(s1.kernels_compiled - s0.kernels_compiled));
        }
    }
    kiln_ctx_free(ctx);
    return 0;
}

typedef struct sample {
    double first, cached, ready, opt, codegen, in_process, wall;
    unsigned long long compiled, disk_hits, new_len;
} sample;

/* Runs a child with cache dir `dir`; fills *s. */
static int spawn(const char *self, const char *which, const char *n, const char *dir, sample *s) {
    int fd[2];
    if (pipe(fd)) return -1;
    double t0 = now();
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fd[1], 1);
        close(fd[0]);
        setenv("KILN_CACHE_DIR", dir, 1);
        execl(self, self, "--child", which, n, (char *)NULL);
        _exit(127);
    }
    close(fd[1]);
    char buf[512] = "";
    ssize_t got = read(fd[0], buf, sizeof buf - 1);
    close(fd[0]);
    int status;
    waitpid(pid, &status, 0);
    s->wall = (now() - t0) * 1e3;
    if (got <= 0 || !WIFEXITED(status) || WEXITSTATUS(status)) return -1;
    return sscanf(buf, "%lf %lf %llu %llu %lf %lf %lf %lf %llu", &s->first, &s->cached, &s->compiled, &s->disk_hits, &s->ready,
                  &s->opt, &s->codegen, &s->in_process, &s->new_len) == 9 ? 0 : -1;
}

static double med(double *v) {
    qsort(v, REPS, sizeof *v, cmp_d);
    return v[REPS / 2];
}

int main(int argc, char **argv) {
    if (argc == 4 && !strcmp(argv[1], "--child")) return child(argv[2], atoll(argv[3]));
    const char *json = argc > 1 ? argv[1] : NULL;
    const char *names[3] = {"sin2", "fma", "logreg"}, *labels[3] = {"sin(a)*sin(a)", "a*b+c", "logistic step"};
    FILE *f = json ? fopen(json, "w") : NULL;
    if (f) fprintf(f, "{\n");
    printf("kiln first call vs cached call (fresh processes; medians of %d; ms)\n", REPS);
    printf("%-16s %10s %10s %10s %12s %12s %10s %10s %8s\n", "expression", "cold 1st", "cold wall", "cached", "warm-disk 1st",
           "kernel ready", "warm wall", "compiled", "new len");
    for (int e = 0; e < 3; e++) {
        double cold[REPS], coldw[REPS], cached[REPS], warm[REPS], ready[REPS], warmw[REPS];
        unsigned long long compiled = 0, newlen = 0, warm_compiled = 0;
        for (int r = 0; r < REPS; r++) {
            char dir[] = "/tmp/kiln-cc-XXXXXX";
            if (!mkdtemp(dir)) return 1;
            sample c, w;
            if (spawn(argv[0], names[e], "1000000", dir, &c) || spawn(argv[0], names[e], "1000000", dir, &w)) {
                fprintf(stderr, "compile_cost: a child failed\n");
                return 1;
            }
            cold[r] = c.first, coldw[r] = c.wall, cached[r] = c.cached, warm[r] = w.first, ready[r] = w.ready, warmw[r] = w.wall;
            compiled = c.compiled, newlen += c.new_len + w.new_len, warm_compiled += w.compiled;
            char cmd[64];
            snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
            if (system(cmd)) return 1;
        }
        double k_ready = med(ready) / (double)(compiled ? compiled : 1);
        printf("%-16s %10.3f %10.2f %10.4f %12.3f %12.3f %10.2f %10llu %8llu\n", labels[e], med(cold), med(coldw), med(cached),
               med(warm), k_ready, med(warmw), compiled, newlen);
        if (warm_compiled) printf("  (!) the warm-disk process compiled %llu kernels\n", warm_compiled);
        if (f)
            fprintf(f, " \"%s\": {\"cold_first_ms\": %.4f, \"cold_process_ms\": %.3f, \"cached_ms\": %.5f, \"warm_first_ms\": %.4f, "
                       "\"kernel_ready_ms\": %.4f, \"warm_process_ms\": %.3f, \"kernels\": %llu, \"new_length_compiles\": %llu, "
                       "\"warm_compiles\": %llu}%s\n",
                    names[e], med(cold), med(coldw), med(cached), med(warm), k_ready, med(warmw), compiled, newlen, warm_compiled,
                    e < 2 ? "," : "");
    }
    if (f) {
        fprintf(f, "}\n");
        fclose(f);
    }
    printf("kernel ready = reading, checking and linking one kernel from disk; new len = kernels compiled for a new\n"
           "length of the same structure (both processes, all runs).\n");
    return 0;
}
