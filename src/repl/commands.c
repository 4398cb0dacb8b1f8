/*
 * commands.c — the REPL's :commands: help, names, timing, what kiln made of an expression,
 * backends, threads and the kernel cache.
 *
 * :time and :timeit take one simple statement (an expression or an assignment) and run it as
 * the program would, with its value kept between runs: the first run pays for parsing,
 * planning and compiling, the others show what a cached call costs.  Both adapt their
 * repetitions to the time a run takes, and a run over a second shows its progress.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"

static double ms(uint64_t ns) { return (double)ns * 1e-6; }
static double secs_since(uint64_t t0) { return (double)(kiln_now_ns() - t0) * 1e-9; }

/* ------------------------------------------------------------------ help */

static const struct {
    const char *name, *usage, *doc;
} commands[] = {
    {"help", ":help [name]", "this list, or one function's signature and meaning"},
    {"vars", ":vars", "the bound names, their dtypes and shapes"},
    {"time", ":time stmt", "what the first run cost by phase, against cached runs"},
    {"timeit", ":timeit stmt", "the best time of repeated cached runs (as IPython's %timeit)"},
    {"ir", ":ir expr", "the graph after CSE and simplification, and the fused kernels"},
    {"code", ":code expr", "what the backend makes of each kernel (LLVM IR, a program)"},
    {"llvm", ":llvm expr", "the optimized LLVM IR of each kernel"},
    {"asm", ":asm expr", "the machine code of each kernel"},
    {"cuda", ":cuda expr", "the CUDA C of each kernel (any backend; no GPU needed)"},
    {"backend", ":backend [name]", "show or switch the backend"},
    {"threads", ":threads [n]", "show or set the number of threads"},
    {"cache", ":cache", "kernel and disk-cache statistics of this session"},
    {"quit", ":quit", "leave (also :q, :exit, Ctrl-D, exit(), exit(n) for status n)"},
};

/* The names that are values, not functions. */
static const struct {
    const char *name, *doc;
} constants[] = {
    {"nan", "not a number (float64), as numpy.nan: compares unequal to everything, itself included"},
    {"inf", "positive infinity (float64), as numpy.inf; -inf is negative infinity"},
    {"pi", "3.141592653589793 (float64), as numpy.pi"},
    {"e", "Euler's number 2.718281828459045 (float64), as numpy.e"},
    {"newaxis", "None: x[:, newaxis] (or x[:, None]) inserts an axis of length 1, as numpy.newaxis"},
    {"True", "the bool true (a Python bool: weak in NumPy's promotion, as a Python literal)"},
    {"False", "the bool false (a Python bool: weak in NumPy's promotion, as a Python literal)"},
    {"None", "no value: axis=None is every axis, x[None] a new axis"},
    {"exit", "exit(), exit(n), exit(\"message\"): the session ends (status n; a message printed, status 1), as Python's"},
    {"quit", "quit(): the session ends, as exit()"},
    {"help", "help(NAME): what NAME computes (help(np.sin), as :help sin); help() lists them"},
};

static int cmd_help(session *s, const char *arg) {
    const fe_fninfo *fns;
    int n = fe_functions(&fns);
    for (size_t i = 0; *arg && i < 4; i++) { /* np.sin, numpy.linalg.svd, np.random.normal: NumPy's names of kiln's */
        static const char *const prefix[] = {"np.", "numpy.", "linalg.", "random."};
        if (!strncmp(arg, prefix[i], strlen(prefix[i]))) arg += strlen(prefix[i]);
    }
    if (*arg) {
        for (size_t i = 0; i < sizeof constants / sizeof *constants; i++)
            if (!strcmp(constants[i].name, arg)) {
                printf("%s\n    %s\n", constants[i].name, constants[i].doc);
                return RUN_OK;
            }
        for (int i = 0; i < n; i++)
            if (!strcmp(fns[i].name, arg)) {
                printf("%s(%s)\n    %s\n", fns[i].name, fns[i].sig, fns[i].doc);
                return RUN_OK;
            }
        for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
            if (!strcmp(commands[i].name, arg + (arg[0] == ':'))) {
                printf("%s\n    %s\n", commands[i].usage, commands[i].doc);
                return RUN_OK;
            }
        fprintf(stderr, "error: no function or command called '%s' (:help lists them)\n", arg);
        return RUN_ERROR;
    }
    printf("Statements, in Python's syntax (separate them with ';' or newlines):\n"
           "  name = expr            bind (a, b = x.shape unpacks; a failing statement binds nothing)\n"
           "  name += expr           also -= *= /= //= %%= **= @= &= |= ^=\n"
           "  expr                   evaluate and print, as NumPy's repr\n"
           "  print(x, ..., sep=' ', end='\\n')   as Python prints\n"
           "  for i in range(n):     an indented block; also while cond:, if/elif/else, break,\n"
           "                         continue, pass (the REPL reads until an empty line)\n"
           "  save(\"f.npy\", expr)    write a .npy file;   seed(n)  seed rand() and randn()\n"
           "  help(NAME)             what NAME computes (help(np.sin), as :help sin)\n"
           "  exit(), exit(n)        end the session (status n), as Python's; also quit()\n"
           "Expressions: Python's operators and precedence; x[i, a:b:s, None, ...] and x[idx];\n"
           "  x.T .shape .ndim .size .dtype; methods x.sum() .mean() .max() .reshape() .astype()\n"
           "  .ravel() .flatten() .squeeze() .clip() .round() .transpose() .item() ...;\n"
           "  names nan inf pi e newaxis, dtypes float32 float64 int8 int16 int32 int64 uint8\n"
           "  uint16 uint32 bool;\n"
           "  np. is optional.\n"
           "Functions (:help NAME for what one computes):\n");
    /* one signature a line, two side by side where both are short */
    char held[256] = "";
    for (int i = 0; i < n; i++) {
        char t[256];
        int w = snprintf(t, sizeof t, "%s(%s)", fns[i].name, fns[i].sig);
        if (w <= 37 && !*held) {
            snprintf(held, sizeof held, "%s", t);
            continue;
        }
        if (*held && w <= 37) printf("  %-38s %s\n", held, t);
        else if (*held) printf("  %s\n  %s\n", held, t);
        else printf("  %s\n", t);
        *held = 0;
    }
    if (*held) printf("  %s\n", held);
    printf("Commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) printf("  %-18s %s\n", commands[i].usage, commands[i].doc);
    printf("Backends in this build: %s.  Ctrl-C stops a running statement.\n", kiln_backends());
    KILN_UNUSED(s);
    return RUN_OK;
}

/* The first VARS_CHARS characters of text on one line (a newline and the blanks after it one
 * space), " ..." after them where there were more. */
#define VARS_CHARS 100
static void one_line(const char *text) {
    int chars = 0;
    for (const char *c = text; *c; chars++) {
        if (chars == VARS_CHARS) {
            fputs(" ...", stdout);
            break;
        }
        if (*c == '\n') {
            while (*c == '\n' || *c == ' ') c++;
            putchar(' ');
            continue;
        }
        int k = 1;
        while (((unsigned char)c[k] & 0xC0) == 0x80) k++; /* (a UTF-8 character whole) */
        fwrite(c, 1, (size_t)k, stdout);
        c += k;
    }
}

static int cmd_vars(session *s) {
    for (int i = 0; i < kiln_scope_count(s->scope); i++) {
        const char *n = kiln_scope_name(s->scope, i);
        if (!strcmp(n, "_") && run_underscore_ours(s)) continue; /* (the last value shown: Python's builtins._) */
        kiln_array *a = kiln_scope_get(s->scope, n);
        if (!a) { /* a tuple, a string...: its kind, and its repr on one line, cut */
            kstr b = {0};
            const kval *v = fe_scope_value(s->scope, n);
            if (v) fe_text(s->ctx, fe_scope_printopts(s->scope), v, false, &b);
            if (v && (v->kind == KV_LIST || v->kind == KV_TUPLE)) printf("%-12s %-8s %d item%s: ", n, v->kind == KV_LIST ? "list" : "tuple", v->n, v->n == 1 ? "" : "s");
            else printf("%-12s %-8s ", n, v && v->kind == KV_STR ? "str" : "");
            one_line(b.s ? b.s : "");
            putchar('\n');
            kstr_free(&b);
            continue;
        }
        if (fe_scope_py(s->scope, n)) {
            printf("%-12s %-8s (a Python number)\n", n, fe_py_number_type(kiln_array_dtype(a)));
            continue;
        }
        printf("%-12s %-8s (", n, kiln_dtype_name(kiln_array_dtype(a)));
        for (int d = 0; d < kiln_array_ndim(a); d++) printf("%s%lld", d ? ", " : "", (long long)kiln_array_shape(a)[d]);
        printf("%s)\n", kiln_array_ndim(a) == 1 ? "," : "");
    }
    return RUN_OK;
}

static int cmd_dump(session *s, const char *text, size_t len, size_t off, size_t n, int what) {
    kiln_clear_error(s->ctx);
    kiln_expr *e = kiln_parse_n(s->ctx, s->scope, text + off, n);
    if (!e) {
        int64_t eo = kiln_error_offset(s->ctx);
        run_report(s, text, len, off + (size_t)(eo > 0 ? eo : 0), kiln_errmsg(s->ctx));
        return RUN_ERROR;
    }
    char *d = kiln_dump(s->ctx, e, what);
    kiln_expr_free(e);
    if (!d) {
        run_report(s, text, len, off, kiln_errmsg(s->ctx));
        return RUN_ERROR;
    }
    fputs(d, stdout);
    kiln_string_free(d);
    return RUN_OK;
}

/* ------------------------------------------------------------------ timing */

/* Runs st once more, quietly; its time in seconds, or a negative value when it failed. */
static double timed_run(session *s, const char *text, size_t len, stmt *st, int *rc) {
    uint64_t t0 = kiln_now_ns();
    s->quiet = true;
    *rc = run_simple(s, text, len, st);
    s->quiet = false;
    return *rc == RUN_OK ? secs_since(t0) : -1;
}

static void show_time(double t) {
    if (t < 1e-3) printf("%.3f us", t * 1e6);
    else if (t < 1) printf("%.3f ms", t * 1e3);
    else printf("%.3f s", t);
}

/* A line of progress, once the command has run for over a second (interactive sessions). */
static void progress(const session *s, uint64_t since, const char *what, int r, int reps, double t) {
    if (!s->interactive || secs_since(since) <= 1.0) return;
    if (reps) printf("  %s %d of %d: ", what, r, reps);
    else printf("  %s: ", what);
    show_time(t);
    printf("\n");
    fflush(stdout);
}

/* Runs of `reps` more (loops each): a line of progress as each finishes, once the command
 * (begun at since) has taken over a second. */
static int timed_reps(session *s, const char *text, size_t len, stmt *st, int reps, long loops, double *best, uint64_t since) {
    int rc = RUN_OK;
    for (int r = 0; r < reps && rc == RUN_OK; r++) {
        double t = 0;
        for (long i = 0; i < loops && rc == RUN_OK; i++) {
            double one = timed_run(s, text, len, st, &rc);
            t += one > 0 ? one : 0;
        }
        if (rc != RUN_OK) break;
        double per = t / (double)loops;
        if (per < *best) *best = per;
        progress(s, since, "run", r + 1, reps, per);
    }
    return rc;
}

/* :time stmt — what the first run cost, phase by phase, and what a cached run costs (up to 7
 * of them, fewer when they are slow: one more when a run takes over a second; none for an
 * augmented assignment, which writes into its target).  The names keep what the first run
 * bound, and print() prints what the first run printed; an interrupted run puts the names
 * back as they were before the command. */
static int cmd_time(session *s, const char *text, size_t len, size_t off, size_t n) {
    stmt *st = run_parse_simple(s, text, len, off, n);
    if (!st) return RUN_ERROR;
    run_saved *before = run_save_targets(s, st); /* put back if a run is interrupted */
    kiln_stats a, b, c, d;
    kiln_clear_error(s->ctx);
    kiln_get_stats(s->ctx, &a);
    uint64_t build0 = s->ns_build, t0 = kiln_now_ns();
    int rc;
    s->quiet = s->timing = true;
    rc = run_simple(s, text, len, st);
    s->quiet = s->timing = false;
    double t_first = secs_since(t0), t_build = (double)(s->ns_build - build0) * 1e-9;
    kiln_get_stats(s->ctx, &b);
    if (rc != RUN_OK) {
        run_restore_targets(s, before, rc == RUN_INTERRUPTED);
        run_stmt_free(s, st);
        return rc;
    }
    progress(s, t0, "first run", 0, 0, t_first);
    /* the names keep what the first run bound (the cached runs bind them again: x = x + 1 once) */
    run_restore_targets(s, before, false);
    before = run_save_targets(s, st);
    kiln_wait_compiles(s->ctx); /* cached runs show the speed the kernels settle at */
    kiln_get_stats(s->ctx, &c);
    /* a statement that changes its target (x += 1, del xs[0], seed(1)) runs once */
    int reps = run_stmt_augmented(st) ? 0 : t_first > 1.0 ? 1 : t_first > 0.3 ? 3 : 7;
    double best = 1e30;
    s->mute = true; /* (print's text once, as IPython's %time runs it once) */
    void *rng = run_rng_save(s); /* (the draws the first run made stand: rand() after :time r = rand(3) is NumPy's next) */
    rc = timed_reps(s, text, len, st, reps, 1, &best, t0);
    run_rng_restore(s, rng);
    s->mute = false;
    run_restore_targets(s, before, true);
    kiln_get_stats(s->ctx, &d);
    if (rc == RUN_OK) {
        uint64_t emit = b.ns_emit - a.ns_emit, opt = b.ns_opt - a.ns_opt, cg = b.ns_codegen - a.ns_codegen, fuse = b.ns_fuse - a.ns_fuse,
                 init = b.ns_jit_init - a.ns_jit_init, disk = b.ns_disk_load - a.ns_disk_load;
        uint64_t sync = (b.kernels_compiled - a.kernels_compiled) - (b.tier_compiled - a.tier_compiled); /* not in the background */
        if (b.disk_hits > a.disk_hits && sync == 0) {
            printf("loaded from the disk cache in %.3f ms (parse+graph %.3f, fuse %.3f)", ms(disk), t_build * 1e3, ms(fuse));
        } else if (sync > 0) {
            printf("compile %.2f ms (parse+graph %.3f, fuse %.3f, emit %.2f, opt %.2f, codegen %.2f", ms(emit + opt + cg + fuse) + t_build * 1e3,
                   t_build * 1e3, ms(fuse), ms(emit), ms(opt), ms(cg));
            if (init) printf(", jit start-up %.2f", ms(init));
            printf(")");
        } else if (b.tier_kernels > a.tier_kernels) {
            printf("no compile: interpreted (%llu new kernel%s; parse+graph %.3f, fuse %.3f ms)",
                   (unsigned long long)(b.tier_kernels - a.tier_kernels), b.tier_kernels - a.tier_kernels == 1 ? "" : "s", t_build * 1e3,
                   ms(fuse));
        } else {
            printf("no compile (kernel cached; parse+graph %.3f ms)", t_build * 1e3);
        }
        printf(" · first run %.3f ms", t_first * 1e3);
        if (c.tier_compiled > b.tier_compiled || c.tier_compiled > a.tier_compiled)
            printf(" · compiled in the background: %llu kernel%s, %.2f ms (emit %.2f, opt %.2f, codegen %.2f)",
                   (unsigned long long)(c.tier_compiled - a.tier_compiled), c.tier_compiled - a.tier_compiled == 1 ? "" : "s",
                   ms(c.ns_background - a.ns_background), ms(c.ns_emit - a.ns_emit), ms(c.ns_opt - a.ns_opt), ms(c.ns_codegen - a.ns_codegen));
        const char *tier = d.runs_interp > c.runs_interp ? (d.runs_compiled > c.runs_compiled ? "partly interpreted" : "interpreted")
                                                         : "compiled";
        if (reps) printf(" · cached %.3f ms (%s, best of %d)\n", best * 1e3, tier, reps);
        else printf(" (a statement that changes its target runs once)\n");
    }
    run_stmt_free(s, st);
    return rc;
}

/* :timeit stmt — as IPython's %timeit: loops per run grown by tens until a run takes 0.2 s,
 * then the best of 7 runs; one run when a run takes over a second.  As there, it binds
 * nothing: the names it assigns are put back as they were. */
static int cmd_timeit(session *s, const char *text, size_t len, size_t off, size_t n) {
    stmt *st = run_parse_simple(s, text, len, off, n);
    if (!st) return RUN_ERROR;
    if (run_stmt_augmented(st)) {
        run_report(s, text, len, off, ":timeit would change the target again at every run: time the expression, or x = x op y");
        run_stmt_free(s, st);
        return RUN_ERROR;
    }
    run_saved *before = run_save_targets(s, st);
    void *rng = run_rng_save(s); /* (it binds nothing, and draws nothing either) */
    int rc;
    uint64_t t0 = kiln_now_ns();
    double first = timed_run(s, text, len, st, &rc); /* builds and compiles */
    if (rc == RUN_OK) {
        progress(s, t0, "first run", 0, 0, first);
        kiln_wait_compiles(s->ctx);
        first = timed_run(s, text, len, st, &rc);
        if (rc == RUN_OK) progress(s, t0, "warm run", 0, 0, first);
    }
    long loops = 1;
    int reps = 7;
    double best = 1e30;
    if (rc == RUN_OK && first > 1.0) {
        reps = 1;
        best = first;
    } else if (rc == RUN_OK) {
        for (;;) {
            double t = 0;
            for (long i = 0; i < loops && rc == RUN_OK; i++) t += timed_run(s, text, len, st, &rc);
            if (rc != RUN_OK || t >= 0.2 || loops >= 100000000L) break;
            loops *= 10;
        }
        if (rc == RUN_OK) rc = timed_reps(s, text, len, st, reps, loops, &best, t0);
    }
    run_restore_targets(s, before, true);
    run_rng_restore(s, rng);
    if (rc == RUN_OK) {
        printf("%ld loop%s, best of %d: ", loops, loops == 1 ? "" : "s", reps);
        show_time(best);
        printf(" per loop\n");
    }
    run_stmt_free(s, st);
    return rc;
}

/* ------------------------------------------------------------------ the rest */

static int cmd_cache(session *s) {
    kiln_stats st;
    kiln_get_stats(s->ctx, &st);
    kiln_cache_stats cs;
    kiln_cache_info(&cs);
    static const char *const tiers[] = {"auto", "auto", "interp", "jit"};
    printf("this session: kernels compiled %llu · loaded from disk %llu · memory-cache hits %llu · evaluations %llu\n"
           "tier %s: kernels interpreted first %llu, compiles queued %llu, started %llu, finished in the background %llu (%.2f ms), "
           "dropped %llu; launches interpreted %llu, compiled %llu\n"
           "time: parse+graph %.3f ms, jit start-up %.2f, fuse %.2f, emit %.2f, opt %.2f, codegen %.2f, "
           "disk loads %.3f, first runs %.3f\n",
           (unsigned long long)st.kernels_compiled, (unsigned long long)st.disk_hits, (unsigned long long)st.cache_hits,
           (unsigned long long)st.evals, tiers[kiln_get_tier(s->ctx)], (unsigned long long)st.tier_kernels,
           (unsigned long long)st.tier_queued, (unsigned long long)st.tier_started, (unsigned long long)st.tier_compiled, ms(st.ns_background),
           (unsigned long long)st.tier_dropped, (unsigned long long)st.runs_interp, (unsigned long long)st.runs_compiled,
           ms(st.ns_parse), ms(st.ns_jit_init), ms(st.ns_fuse), ms(st.ns_emit), ms(st.ns_opt), ms(st.ns_codegen),
           ms(st.ns_disk_load), ms(st.ns_first_run));
    if (cs.enabled)
        printf("disk cache: %s, %llu entries, %llu bytes; this session %llu misses, %llu corrupt, %llu stored\n", cs.dir,
               (unsigned long long)cs.entries, (unsigned long long)cs.bytes, (unsigned long long)st.disk_misses,
               (unsigned long long)st.disk_corrupt, (unsigned long long)st.disk_stores);
    else
        printf("disk cache: off (%s)\n", cs.why_disabled);
    return RUN_OK;
}

static int cmd_threads(session *s, const char *text, size_t len, size_t off, const char *arg) {
    if (*arg) {
        char *end;
        long n = strtol(arg, &end, 10);
        if (*end || n < 1 || n > 4096) {
            run_report(s, text, len, off, "usage: :threads N, with N from 1 to 4096");
            return RUN_ERROR;
        }
        if (kiln_set_num_threads(s->ctx, (int)n) != KILN_OK) {
            run_report(s, text, len, off, kiln_errmsg(s->ctx));
            return RUN_ERROR;
        }
    }
    int n = kiln_num_threads(s->ctx);
    printf("%d thread%s\n", n, n == 1 ? "" : "s");
    return RUN_OK;
}

static int cmd_backend(session *s, const char *text, size_t len, size_t off, const char *arg) {
    kiln_clear_error(s->ctx);
    if (*arg && kiln_set_backend(s->ctx, arg) != KILN_OK) {
        run_report(s, text, len, off, kiln_errmsg(s->ctx));
        return RUN_ERROR;
    }
    const char *info = kiln_backend_info(s->ctx);
    if (!info) {
        run_report(s, text, len, off, kiln_errmsg(s->ctx));
        return RUN_ERROR;
    }
    printf("backend: %s — %s (this build has: %s)\n", kiln_backend_name(s->ctx), info, kiln_backends());
    return RUN_OK;
}

int run_command(session *s, const char *text, size_t tlen, size_t off, size_t len) {
    size_t i = off + 1, w = i, end = off + len;
    while (w < end && isalpha((unsigned char)text[w])) w++;
    char name[16];
    size_t nl = w - i < sizeof name - 1 ? w - i : sizeof name - 1;
    memcpy(name, text + i, nl);
    name[nl] = 0;
    size_t a = w;
    while (a < end && isspace((unsigned char)text[a])) a++;
    size_t alen = end - a;
    char arg[256];
    size_t al = alen < sizeof arg - 1 ? alen : sizeof arg - 1;
    memcpy(arg, text + a, al);
    arg[al] = 0;
    while (al && isspace((unsigned char)arg[al - 1])) arg[--al] = 0;
    if (!strcmp(name, "quit") || !strcmp(name, "q") || !strcmp(name, "exit")) return RUN_QUIT;
    if (!strcmp(name, "help")) return cmd_help(s, arg);
    if (!strcmp(name, "vars")) return cmd_vars(s);
    if (!strcmp(name, "cache")) return cmd_cache(s);
    if (!strcmp(name, "threads")) return cmd_threads(s, text, tlen, a, arg);
    if (!strcmp(name, "backend")) return cmd_backend(s, text, tlen, a, arg);
    if (!strcmp(name, "cuda")) {
        const char *b = kiln_backends();
        if (!strstr(b, "cuda")) {
            run_report(s, text, tlen, off, "not built with CUDA: this build of kiln has no CUDA backend");
            return RUN_ERROR;
        }
    }
    static const struct {
        const char *name;
        int what;
    } dumps[] = {{"ir", KILN_DUMP_GRAPH | KILN_DUMP_KERNELS}, {"llvm", KILN_DUMP_LLVM}, {"asm", KILN_DUMP_ASM},
                 {"code", KILN_DUMP_SOURCE}, {"cuda", KILN_DUMP_CUDA}};
    bool known = !strcmp(name, "time") || !strcmp(name, "timeit");
    for (size_t k = 0; k < sizeof dumps / sizeof *dumps; k++) known |= !strcmp(name, dumps[k].name);
    if (!known) {
        run_report(s, text, tlen, off, "unknown command (:help lists them)");
        return RUN_ERROR;
    }
    if (!alen) {
        run_report(s, text, tlen, end, "this command needs an expression");
        return RUN_ERROR;
    }
    if (!strcmp(name, "time")) return cmd_time(s, text, tlen, a, alen);
    if (!strcmp(name, "timeit")) return cmd_timeit(s, text, tlen, a, alen);
    for (size_t k = 0; k < sizeof dumps / sizeof *dumps; k++)
        if (!strcmp(name, dumps[k].name)) return cmd_dump(s, text, tlen, a, alen, dumps[k].what);
    return RUN_ERROR;
}

/* Adds name to list (n of cap) unless it is there. */
static void completion_add(const char **list, int *n, int cap, const char *name) {
    for (int k = 0; k < *n; k++)
        if (!strcmp(list[k], name)) return;
    if (*n < cap) list[(*n)++] = name;
}

const char *const *run_completions(void) {
    static const char **list; /* (made at the first Tab, kept for the session) */
    if (list) return list;
    const fe_fninfo *fns;
    int nf = fe_functions(&fns), nb = 0, n = 0;
    const char *const *builtins = fe_builtin_names();
    while (builtins[nb]) nb++;
    static const char *const extra[] = {"for", "in", "range", "while", "if", "elif", "else", "break", "continue", "pass", "assert", "print",
                                        ":help", ":vars", ":time", ":timeit", ":ir", ":llvm", ":asm", ":code", ":cuda", ":backend",
                                        ":threads", ":cache", ":quit", NULL};
    /* NumPy's modules' names of kiln's functions, as the parser reads them: np.linalg.svd, np.random.normal, math.floor */
    static const char *const prefix[] = {"math.", "np.linalg.", "np.random."};
    const char *mods[3][64];
    int nm[3], nmod = 0;
    for (int m = 0; m < 3; m++) nmod += nm[m] = fe_module_names(m, mods[m], 64);
    int cap = 2 * nf + nb + nmod + (int)(sizeof extra / sizeof *extra) + 1;
    const char **l = calloc((size_t)cap, sizeof *l);
    char *np = malloc((size_t)(nf + nmod) * 48); /* every function as np.NAME too ("np.linalg.inv"); a dotted one only so */
    if (!l || !np) {
        free(l);
        free(np);
        static const char *none[] = {NULL};
        return none;
    }
    for (int i = 0; i < nf; i++) {
        snprintf(np + (size_t)i * 48, 48, "np.%s", fns[i].name);
        if (!strncmp(fns[i].name, "Generator.", 10)) continue; /* (a Generator's methods: rng.integers) */
        if (!strchr(fns[i].name, '.')) completion_add(l, &n, cap - 1, fns[i].name);
        completion_add(l, &n, cap - 1, np + (size_t)i * 48);
    }
    char *mod = np + (size_t)nf * 48;
    for (int m = 0; m < 3; m++)
        for (int k = 0; k < nm[m]; k++, mod += 48) {
            snprintf(mod, 48, "%s%s", prefix[m], mods[m][k]);
            completion_add(l, &n, cap - 1, mod);
        }
    for (int i = 0; i < nb; i++) completion_add(l, &n, cap - 1, builtins[i]);
    for (int k = 0; extra[k]; k++) completion_add(l, &n, cap - 1, extra[k]);
    l[n] = NULL;
    return list = l;
}
