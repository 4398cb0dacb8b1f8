/*
 * main.c — the kiln program: an interactive REPL (libedit line editing, history, completion)
 * and a runner for programs given with -c, as a file, or on standard input.
 *
 *     kiln> a = rand(10000000)
 *     kiln> b = sin(a)*sin(a)
 *     kiln> :time sin(a)*sin(a)
 *
 * A program is statements separated by ';' or newlines:  name = expr,  save("f.npy", expr),
 * seed(n),  a bare expr (printed as NumPy prints it), or a :command.  A statement that fails
 * changes nothing bound before it.  Outside the REPL, the first error ends the program: it goes
 * to stderr as a line beginning "error:" with the source line and a caret, and kiln exits 1.
 */
#include <ctype.h>
#include <editline/readline.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "repl.h"

typedef struct session {
    kiln_ctx *ctx;
    kiln_scope *scope;
    bool interactive; /* the REPL: errors shown with a caret, and the session goes on */
    const char *src;  /* the program's name for messages: "-c", a file name, "<stdin>" */
} session;

static session *S; /* for the completion callback */

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ------------------------------------------------------------------ errors */

/* Shows msg about column col of line: the line, a caret under the column, the message. */
static void report(const session *s, int lineno, const char *line, size_t col, const char *msg) {
    size_t len = strcspn(line, "\n");
    char *shown = malloc(len + 1);
    if (!shown) return;
    for (size_t i = 0; i < len; i++) shown[i] = line[i] == '\t' ? ' ' : line[i];
    shown[len] = 0;
    if (col > len) col = len;
    if (s->interactive)
        fprintf(stderr, "  %s\n  %*s^\nerror: %s\n", shown, (int)col, "", msg);
    else
        fprintf(stderr, "error: %s:%d:%zu: %s\n  %s\n  %*s^\n", s->src, lineno, col + 1, msg, shown, (int)col, "");
    free(shown);
}

/* Reports the context's current error at offset off into the line (plus its own offset). */
static void report_kiln(const session *s, int lineno, const char *line, size_t off) {
    int64_t eo = kiln_error_offset(s->ctx);
    report(s, lineno, line, off + (size_t)(eo > 0 ? eo : 0), kiln_errmsg(s->ctx));
}

/* ------------------------------------------------------------------ evaluation */

/* Parses line[off, off+len) and evaluates it; NULL after reporting an error. */
static kiln_array *eval_at(session *s, int lineno, const char *line, size_t off, size_t len) {
    kiln_clear_error(s->ctx);
    kiln_expr *e = kiln_parse_n(s->ctx, s->scope, line + off, len);
    if (!e) {
        report_kiln(s, lineno, line, off);
        return NULL;
    }
    kiln_array *a = kiln_expr_array(e); /* a plain name or constructor: no copy */
    a = a && kiln_expr_op(e) == KILN_OP_VAR ? kiln_array_retain(a) : kiln_eval(s->ctx, e);
    kiln_expr_free(e);
    if (!a) report(s, lineno, line, off, kiln_errmsg(s->ctx));
    return a;
}

static void print_array(const kiln_array *a) {
    kstr b = {0};
    repl_format_array(a, &b);
    if (b.s) printf("%s\n", b.s);
    kstr_free(&b);
    fflush(stdout);
}

static size_t skip_ws(const char *line, size_t i, size_t end) {
    while (i < end && isspace((unsigned char)line[i])) i++;
    return i;
}

/* ------------------------------------------------------------------ commands */

static int cmd_help(void) {
    printf("Statements (separate them with ';' or newlines):\n"
           "  name = expr            evaluate and bind (a failing statement changes nothing)\n"
           "  expr                   evaluate and print, as NumPy prints\n"
           "  save(\"f.npy\", expr)    write a .npy file (atomically)\n"
           "  seed(n)                seed rand() and randn()\n"
           "Expressions: Python operators and precedence; NumPy's function names (sin, exp,\n"
           "  where, maximum, arctan2, ...); casts float32(x) float64 int32 int64 bool; x.T;\n"
           "  zeros ones arange linspace rand randn load(\"f.npy\").\n"
           "Commands:\n"
           "  :vars                  the bound names\n"
           "  :time expr             first-call cost by phase, against a cached call\n"
           "  :timeit expr           the best time of repeated cached calls\n"
           "  :ir expr               the graph after CSE, and the fused kernels\n"
           "  :llvm expr             the optimized LLVM IR     :asm expr   the machine code\n"
           "  :code expr             what the backend makes of each kernel (LLVM IR, a program)\n"
           "  :cuda expr             the CUDA source (needs the CUDA backend)\n"
           "  :backend [name]        show or switch the backend (%s)\n"
           "  :threads [n]           :cache (statistics)     :quit\n",
           kiln_backends());
    return 0;
}

static int cmd_vars(session *s) {
    for (int i = 0; i < kiln_scope_count(s->scope); i++) {
        const char *n = kiln_scope_name(s->scope, i);
        kiln_array *a = kiln_scope_get(s->scope, n);
        printf("%-12s %-8s (", n, kiln_dtype_name(kiln_array_dtype(a)));
        for (int d = 0; d < kiln_array_ndim(a); d++) printf("%s%lld", d ? ", " : "", (long long)kiln_array_shape(a)[d]);
        printf("%s)\n", kiln_array_ndim(a) == 1 ? "," : "");
    }
    return 0;
}

static int cmd_dump(session *s, int lineno, const char *line, size_t off, size_t len, int what) {
    kiln_clear_error(s->ctx);
    kiln_expr *e = kiln_parse_n(s->ctx, s->scope, line + off, len);
    if (!e) {
        report_kiln(s, lineno, line, off);
        return 1;
    }
    char *d = kiln_dump(s->ctx, e, what);
    kiln_expr_free(e);
    if (!d) {
        report(s, lineno, line, off, kiln_errmsg(s->ctx));
        return 1;
    }
    fputs(d, stdout);
    kiln_string_free(d);
    return 0;
}

static double ms(uint64_t ns) { return (double)ns * 1e-6; }

/* :time expr — what the first call cost, phase by phase, and what a cached call costs. */
static int cmd_time(session *s, int lineno, const char *line, size_t off, size_t len) {
    kiln_stats a, b;
    kiln_clear_error(s->ctx);
    kiln_get_stats(s->ctx, &a);
    double t0 = now();
    kiln_expr *e = kiln_parse_n(s->ctx, s->scope, line + off, len);
    double t_parse = now() - t0;
    if (!e) {
        report_kiln(s, lineno, line, off);
        return 1;
    }
    t0 = now();
    kiln_array *r = kiln_eval(s->ctx, e);
    double t_first = now() - t0;
    kiln_get_stats(s->ctx, &b);
    if (!r) {
        kiln_expr_free(e);
        report(s, lineno, line, off, kiln_errmsg(s->ctx));
        return 1;
    }
    /* kernels that started on the interpreter and earned a compile: wait for it, so that the
     * cached calls show the speed they will settle at */
    kiln_stats c;
    uint64_t tier0 = a.tier_compiled;
    kiln_wait_compiles(s->ctx); /* returns at once when nothing is queued */
    kiln_get_stats(s->ctx, &c);
    double best = 1e30;
    for (int i = 0; i < 7; i++) {
        t0 = now();
        kiln_eval_into(s->ctx, e, r);
        double t = now() - t0;
        if (t < best) best = t;
    }
    kiln_stats d;
    kiln_get_stats(s->ctx, &d);
    uint64_t emit = b.ns_emit - a.ns_emit, opt = b.ns_opt - a.ns_opt, cg = b.ns_codegen - a.ns_codegen,
             fuse = b.ns_fuse - a.ns_fuse, init = b.ns_jit_init - a.ns_jit_init;
    uint64_t disk = b.ns_disk_load - a.ns_disk_load;
    uint64_t sync = (b.kernels_compiled - a.kernels_compiled) - (b.tier_compiled - a.tier_compiled); /* not in the background */
    if (b.disk_hits > a.disk_hits && sync == 0) {
        printf("loaded from the disk cache in %.3f ms (parse+graph %.3f, fuse %.3f)", ms(disk), t_parse * 1e3, ms(fuse));
    } else if (sync > 0) {
        printf("compile %.2f ms (parse+graph %.3f, fuse %.3f, emit %.2f, opt %.2f, codegen %.2f", ms(emit + opt + cg + fuse) + t_parse * 1e3,
               t_parse * 1e3, ms(fuse), ms(emit), ms(opt), ms(cg));
        if (init) printf(", jit start-up %.2f", ms(init));
        printf(")");
    } else if (b.tier_kernels > a.tier_kernels) {
        printf("no compile: interpreted (%llu new kernel%s; parse+graph %.3f, fuse %.3f ms)",
               (unsigned long long)(b.tier_kernels - a.tier_kernels), b.tier_kernels - a.tier_kernels == 1 ? "" : "s", t_parse * 1e3,
               ms(fuse));
    } else {
        printf("no compile (kernel cached; parse+graph %.3f ms)", t_parse * 1e3);
    }
    printf(" · first run %.3f ms", t_first * 1e3);
    if (c.tier_compiled > tier0)
        printf(" · compiled in the background: %llu kernel%s, %.2f ms (emit %.2f, opt %.2f, codegen %.2f)",
               (unsigned long long)(c.tier_compiled - tier0), c.tier_compiled - tier0 == 1 ? "" : "s", ms(c.ns_background - a.ns_background),
               ms(c.ns_emit - a.ns_emit), ms(c.ns_opt - a.ns_opt), ms(c.ns_codegen - a.ns_codegen));
    const char *tier = d.runs_interp > c.runs_interp ? (d.runs_compiled > c.runs_compiled ? "partly interpreted" : "interpreted") : "compiled";
    printf(" · cached %.3f ms (%s, best of 7)\n", best * 1e3, tier);
    kiln_array_free(r);
    kiln_expr_free(e);
    return 0;
}

/* :timeit expr — cached calls, timed in batches long enough to measure; the best batch. */
static int cmd_timeit(session *s, int lineno, const char *line, size_t off, size_t len) {
    kiln_clear_error(s->ctx);
    kiln_expr *e = kiln_parse_n(s->ctx, s->scope, line + off, len);
    if (!e) {
        report_kiln(s, lineno, line, off);
        return 1;
    }
    kiln_array *r = kiln_eval(s->ctx, e);
    if (!r) {
        kiln_expr_free(e);
        report(s, lineno, line, off, kiln_errmsg(s->ctx));
        return 1;
    }
    long loops = 1;
    double t;
    for (;;) {
        double t0 = now();
        for (long i = 0; i < loops; i++) kiln_eval_into(s->ctx, e, r);
        t = now() - t0;
        if (t >= 0.2 || loops >= 1L << 30) break;
        loops *= t > 0.02 ? 2 : 10;
    }
    double best = t / (double)loops;
    for (int rep = 0; rep < 4; rep++) {
        double t0 = now();
        for (long i = 0; i < loops; i++) kiln_eval_into(s->ctx, e, r);
        double per = (now() - t0) / (double)loops;
        if (per < best) best = per;
    }
    if (best < 1e-3) printf("%ld loops, best of 5: %.3f us per loop\n", loops, best * 1e6);
    else printf("%ld loops, best of 5: %.3f ms per loop\n", loops, best * 1e3);
    kiln_array_free(r);
    kiln_expr_free(e);
    return 0;
}

static int cmd_cache(session *s) {
    kiln_stats st;
    kiln_get_stats(s->ctx, &st);
    kiln_cache_stats cs;
    kiln_cache_info(&cs);
    static const char *const tiers[] = {"auto", "auto", "interp", "jit"};
    printf("this session: kernels compiled %llu · loaded from disk %llu · memory-cache hits %llu · evaluations %llu\n"
           "tier %s: kernels interpreted first %llu, compiles queued %llu, finished in the background %llu (%.2f ms), "
           "dropped %llu; launches interpreted %llu, compiled %llu\n"
           "time: parse+graph %.3f ms, jit start-up %.2f, fuse %.2f, emit %.2f, opt %.2f, codegen %.2f, "
           "disk loads %.3f, first runs %.3f\n",
           (unsigned long long)st.kernels_compiled, (unsigned long long)st.disk_hits, (unsigned long long)st.cache_hits,
           (unsigned long long)st.evals, tiers[kiln_get_tier(s->ctx)], (unsigned long long)st.tier_kernels,
           (unsigned long long)st.tier_queued, (unsigned long long)st.tier_compiled, ms(st.ns_background),
           (unsigned long long)st.tier_dropped, (unsigned long long)st.runs_interp, (unsigned long long)st.runs_compiled,
           ms(st.ns_parse), ms(st.ns_jit_init), ms(st.ns_fuse), ms(st.ns_emit), ms(st.ns_opt), ms(st.ns_codegen),
           ms(st.ns_disk_load), ms(st.ns_first_run));
    if (cs.enabled)
        printf("disk cache: %s, %llu entries, %llu bytes; this session %llu misses, %llu corrupt, %llu stored\n", cs.dir,
               (unsigned long long)cs.entries, (unsigned long long)cs.bytes, (unsigned long long)st.disk_misses,
               (unsigned long long)st.disk_corrupt, (unsigned long long)st.disk_stores);
    else
        printf("disk cache: off (%s)\n", cs.why_disabled);
    return 0;
}

/* Returns 0, 1 (error) or -1 (quit). */
static int run_command(session *s, int lineno, const char *line, size_t start, size_t end) {
    size_t i = start + 1, w = i;
    while (w < end && isalpha((unsigned char)line[w])) w++;
    char name[16];
    size_t nl = w - i < sizeof name - 1 ? w - i : sizeof name - 1;
    memcpy(name, line + i, nl);
    name[nl] = 0;
    size_t arg = skip_ws(line, w, end), alen = end - arg;
    if (!strcmp(name, "quit") || !strcmp(name, "q") || !strcmp(name, "exit")) return -1;
    if (!strcmp(name, "help")) return cmd_help();
    if (!strcmp(name, "vars")) return cmd_vars(s);
    if (!strcmp(name, "cache")) return cmd_cache(s);
    if (!strcmp(name, "threads")) {
        if (alen) {
            int n = atoi(line + arg);
            if (kiln_set_num_threads(s->ctx, n) != KILN_OK) {
                report(s, lineno, line, arg, kiln_errmsg(s->ctx));
                return 1;
            }
        }
        printf("%d threads\n", kiln_num_threads(s->ctx));
        return 0;
    }
    if (!strcmp(name, "backend")) {
        char want[32];
        size_t wl = alen < sizeof want - 1 ? alen : sizeof want - 1;
        memcpy(want, line + arg, wl);
        want[wl] = 0;
        while (wl && isspace((unsigned char)want[wl - 1])) want[--wl] = 0;
        kiln_clear_error(s->ctx);
        if (wl && kiln_set_backend(s->ctx, want) != KILN_OK) {
            report(s, lineno, line, arg, kiln_errmsg(s->ctx));
            return 1;
        }
        const char *info = kiln_backend_info(s->ctx);
        if (!info) {
            report(s, lineno, line, start, kiln_errmsg(s->ctx));
            return 1;
        }
        printf("backend: %s — %s (this build has: %s)\n", kiln_backend_name(s->ctx), info, kiln_backends());
        return 0;
    }
    if (!strcmp(name, "cuda")) {
        report(s, lineno, line, start, "not built with CUDA: this build of kiln has no CUDA backend");
        return 1;
    }
    static const struct {
        const char *name;
        int what;
    } dumps[] = {{"ir", KILN_DUMP_GRAPH | KILN_DUMP_KERNELS}, {"llvm", KILN_DUMP_LLVM}, {"asm", KILN_DUMP_ASM},
                 {"code", KILN_DUMP_SOURCE}};
    enum { NDUMPS = sizeof dumps / sizeof *dumps };
    bool needs_expr = !strcmp(name, "time") || !strcmp(name, "timeit");
    for (size_t k = 0; k < NDUMPS; k++) needs_expr |= !strcmp(name, dumps[k].name);
    if (needs_expr && !alen) {
        report(s, lineno, line, end, "this command needs an expression");
        return 1;
    }
    if (!strcmp(name, "time")) return cmd_time(s, lineno, line, arg, alen);
    if (!strcmp(name, "timeit")) return cmd_timeit(s, lineno, line, arg, alen);
    for (size_t k = 0; k < NDUMPS; k++)
        if (!strcmp(name, dumps[k].name)) return cmd_dump(s, lineno, line, arg, alen, dumps[k].what);
    report(s, lineno, line, start, "unknown command (:help lists them)");
    return 1;
}

/* ------------------------------------------------------------------ statements */

/* The index of the ')' closing the '(' at open, skipping strings; end if none. */
static size_t closing_paren(const char *line, size_t open, size_t end) {
    int depth = 0;
    char q = 0;
    for (size_t i = open; i < end; i++) {
        char c = line[i];
        if (q) {
            if (c == '\\') i++;
            else if (c == q) q = 0;
        } else if (c == '\'' || c == '"') q = c;
        else if (c == '(') depth++;
        else if (c == ')' && --depth == 0) return i;
    }
    return end;
}

/* save("f.npy", expr) */
static int stmt_save(session *s, int lineno, const char *line, size_t open, size_t end) {
    size_t close = closing_paren(line, open, end);
    size_t q = skip_ws(line, open + 1, close);
    if (close == end || skip_ws(line, close + 1, end) != end || q >= close || (line[q] != '"' && line[q] != '\'')) {
        report(s, lineno, line, open, "usage: save(\"file.npy\", expression)");
        return 1;
    }
    char quote = line[q], path[4096];
    size_t n = 0, i = q + 1;
    for (; i < close && line[i] != quote; i++) {
        if (line[i] == '\\' && i + 1 < close) i++;
        if (n + 1 < sizeof path) path[n++] = line[i];
    }
    path[n] = 0;
    size_t comma = skip_ws(line, i + 1, close);
    if (i >= close || comma >= close || line[comma] != ',') {
        report(s, lineno, line, i < close ? comma : q, "usage: save(\"file.npy\", expression)");
        return 1;
    }
    kiln_array *a = eval_at(s, lineno, line, comma + 1, close - comma - 1);
    if (!a) return 1;
    kiln_status st = kiln_save_npy(s->ctx, path, a);
    kiln_array_free(a);
    if (st != KILN_OK) {
        report(s, lineno, line, q, kiln_errmsg(s->ctx));
        return 1;
    }
    return 0;
}

/* One statement, line[start, end) (trimmed). */
static int run_statement(session *s, int lineno, const char *line, size_t start, size_t end) {
    if (line[start] == ':') return run_command(s, lineno, line, start, end);
    size_t i = start;
    while (i < end && (isalnum((unsigned char)line[i]) || line[i] == '_')) i++;
    size_t after = skip_ws(line, i, end);
    bool ident = i > start && !isdigit((unsigned char)line[start]);
    if (ident && after < end && line[after] == '=' && (after + 1 >= end || line[after + 1] != '=')) {
        char name[128];
        if (i - start >= sizeof name) {
            report(s, lineno, line, start, "name is too long");
            return 1;
        }
        memcpy(name, line + start, i - start);
        name[i - start] = 0;
        if (!strcmp(name, "True") || !strcmp(name, "False")) {
            report(s, lineno, line, start, "cannot assign to a literal");
            return 1;
        }
        size_t rhs = skip_ws(line, after + 1, end);
        kiln_array *a = eval_at(s, lineno, line, rhs, end - rhs);
        if (!a) return 1;
        kiln_status st = kiln_scope_set(s->scope, name, a);
        kiln_array_free(a);
        if (st != KILN_OK) report(s, lineno, line, start, kiln_errmsg(s->ctx));
        return st != KILN_OK;
    }
    if (ident && after < end && line[after] == '(' && i - start == 4 && !memcmp(line + start, "save", 4))
        return stmt_save(s, lineno, line, after, end);
    if (ident && after < end && line[after] == '(' && i - start == 4 && !memcmp(line + start, "seed", 4)) {
        size_t close = closing_paren(line, after, end);
        char *stop = NULL;
        errno = 0;
        unsigned long long v = strtoull(line + after + 1, &stop, 10);
        if (close == end || errno || skip_ws(line, (size_t)(stop - line), close) != close) {
            report(s, lineno, line, after, "usage: seed(non-negative integer)");
            return 1;
        }
        kiln_scope_seed(s->scope, v);
        return 0;
    }
    kiln_array *a = eval_at(s, lineno, line, start, end - start);
    if (!a) return 1;
    print_array(a);
    kiln_array_free(a);
    return 0;
}

/* Runs one physical line: statements split at ';' outside strings and parentheses, '#' starts
 * a comment.  Returns 0, 1 (an error: the rest of the line is skipped) or -1 (quit). */
static int run_line(session *s, int lineno, const char *line) {
    size_t len = strcspn(line, "\n"), start = 0;
    int depth = 0;
    char q = 0;
    for (size_t i = 0; i <= len; i++) {
        char c = i < len ? line[i] : ';';
        if (q) {
            if (c == '\\') i++;
            else if (c == q) q = 0;
            continue;
        }
        if (c == '\'' || c == '"') q = c;
        else if (c == '(' || c == '[') depth++;
        else if ((c == ')' || c == ']') && depth > 0) depth--;
        if (c == '#' && depth == 0) {
            len = i; /* a comment: the statement ends here */
            c = ';';
        }
        if (c == ';' && (depth == 0 || i == len)) {
            size_t a = skip_ws(line, start, i), b = i;
            while (b > a && isspace((unsigned char)line[b - 1])) b--;
            if (b > a) {
                int r = run_statement(s, lineno, line, a, b);
                if (r) return r;
            }
            start = i + 1;
            if (i >= len) break;
        }
    }
    return 0;
}

/* Runs a whole program; the first error ends it. */
static int run_program(session *s, const char *text) {
    int lineno = 1;
    for (const char *p = text; *p; lineno++) {
        int r = run_line(s, lineno, p);
        if (r == -1) return 0;
        if (r) return 1;
        const char *nl = strchr(p, '\n');
        if (!nl) break;
        p = nl + 1;
    }
    return 0;
}

/* ------------------------------------------------------------------ the REPL */

static char *completion_gen(const char *text, int state) {
    static int idx;
    static const char *const extra[] = {"float32", "float64", "int32", "int64", "bool", "zeros", "ones", "arange",
                                        "linspace", "rand", "randn", "load", "save", "seed", "where", "transpose",
                                        ":help", ":vars", ":time", ":timeit", ":ir", ":llvm", ":asm", ":code", ":cuda",
                                        ":backend", ":threads", ":cache", ":quit", NULL};
    if (!state) idx = 0;
    size_t len = strlen(text);
    int nscope = kiln_scope_count(S->scope), nops = KILN_OP_COUNT, nextra = 0;
    while (extra[nextra]) nextra++;
    while (idx < nscope + nops + nextra) {
        int k = idx++;
        const char *cand = k < nscope ? kiln_scope_name(S->scope, k)
                           : k < nscope + nops ? (k - nscope > KILN_OP_CAST ? kiln_op_name((kiln_op)(k - nscope)) : NULL)
                                               : extra[k - nscope - nops];
        if (cand && !strncmp(cand, text, len)) return strdup(cand);
    }
    return NULL;
}

static char **complete(const char *text, int start, int end) {
    (void)start;
    (void)end;
    rl_attempted_completion_over = 1;
    rl_completion_append_character = '\0'; /* "sin" completes to "sin", ready for "(" */
    return rl_completion_matches(text, completion_gen);
}

static int repl(session *s) {
    char hist[4096] = "";
    const char *home = getenv("HOME");
    if (home) snprintf(hist, sizeof hist, "%s/.kiln_history", home);
    rl_readline_name = "kiln";
    rl_attempted_completion_function = complete;
    using_history();
    stifle_history(1000);
    if (hist[0]) read_history(hist);
    printf("kiln %s — NumPy expressions, JIT-compiled. :help for help, :quit to leave.\n", KILN_VERSION);
    int lineno = 0;
    for (;;) {
        char *line = readline("kiln> ");
        if (!line) {
            printf("\n");
            break;
        }
        lineno++;
        if (*line) add_history(line);
        int r = run_line(s, lineno, line);
        free(line);
        if (r == -1) break;
    }
    if (hist[0]) write_history(hist);
    return 0;
}

/* ------------------------------------------------------------------ main */

static char *read_all(FILE *f) {
    size_t cap = 4096, n = 0;
    char *b = malloc(cap);
    while (b) {
        size_t r = fread(b + n, 1, cap - n - 1, f);
        n += r;
        if (r == 0) break;
        if (n + 1 == cap) {
            char *nb = realloc(b, cap *= 2);
            if (!nb) {
                free(b);
                return NULL;
            }
            b = nb;
        }
    }
    if (b) b[n] = 0;
    return b;
}

static void list_one(const char *name, uint64_t bytes, int64_t mtime, void *ud) {
    (void)ud;
    char when[32];
    time_t t = (time_t)mtime;
    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", localtime(&t));
    printf("%s  %8llu bytes  last used %s\n", name, (unsigned long long)bytes, when);
}

/* kiln cache info|list|clear|prune */
static int cache_command(const char *what) {
    kiln_cache_stats cs;
    kiln_cache_info(&cs);
    if (!cs.enabled) {
        fprintf(stderr, "error: the disk cache is off: %s\n", cs.why_disabled);
        return 1;
    }
    uint64_t removed = 0;
    if (!strcmp(what, "info")) {
        printf("location   %s\nentries    %llu\nbytes      %llu (cap %llu, KILN_CACHE_MAX_MB)\n"
               "hits       %llu\nmisses     %llu\ncorrupt    %llu (refused and replaced)\nstores     %llu\n",
               cs.dir, (unsigned long long)cs.entries, (unsigned long long)cs.bytes, (unsigned long long)cs.max_bytes,
               (unsigned long long)cs.hits, (unsigned long long)cs.misses, (unsigned long long)cs.corrupt,
               (unsigned long long)cs.stores);
        return 0;
    }
    if (!strcmp(what, "list")) return kiln_cache_list(list_one, NULL) == KILN_OK ? 0 : 1;
    if (!strcmp(what, "clear") || !strcmp(what, "prune")) {
        kiln_status st = what[0] == 'c' ? kiln_cache_clear(&removed) : kiln_cache_prune(&removed);
        printf("%llu entries removed from %s\n", (unsigned long long)removed, cs.dir);
        return st == KILN_OK ? 0 : 1;
    }
    fprintf(stderr, "error: unknown cache command '%s' (info, list, clear, prune)\n", what);
    return 2;
}

static void usage(FILE *f) {
    fprintf(f, "usage: kiln [-c PROGRAM | FILE | -]\n"
               "       kiln cache info|list|clear|prune\n"
               "  (no arguments)  the interactive REPL (standard input when it is not a terminal)\n"
               "  -c PROGRAM      run PROGRAM: statements separated by ';' or newlines\n"
               "  FILE            run the statements in FILE ('-' for standard input)\n"
               "  -h, --help      this help;  --version  the version\n"
               "Environment: KILN_NUM_THREADS (else OMP_NUM_THREADS), KILN_CACHE_DIR, KILN_DISABLE_CACHE,\n"
               "KILN_CACHE_MAX_MB, KILN_LOG=compile, KILN_DEBUG=fuse,steps.\n");
}

int main(int argc, char **argv) {
    const char *prog = NULL, *file = NULL;
    if (argc >= 2 && !strcmp(argv[1], "cache")) {
        if (argc != 3) {
            usage(stderr);
            return 2;
        }
        return cache_command(argv[2]);
    }
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "--version")) {
            printf("%s\n", kiln_build_info());
            return 0;
        } else if (!strcmp(argv[i], "-c") && i + 1 < argc && !prog && !file) {
            prog = argv[++i];
        } else if (argv[i][0] != '-' || !strcmp(argv[i], "-")) {
            if (prog || file) {
                usage(stderr);
                return 2;
            }
            file = argv[i];
        } else {
            fprintf(stderr, "kiln: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    session s = {.ctx = kiln_ctx_new(NULL)};
    s.scope = kiln_scope_new(s.ctx);
    if (!s.ctx || !s.scope) {
        fprintf(stderr, "error: out of memory\n");
        return 1;
    }
    S = &s;
    int rc;
    if (prog) {
        s.src = "-c";
        rc = run_program(&s, prog);
    } else if (file || !isatty(0)) {
        FILE *f = !file || !strcmp(file, "-") ? stdin : fopen(file, "r");
        s.src = f == stdin ? "<stdin>" : file;
        char *text = f ? read_all(f) : NULL;
        if (!text) {
            fprintf(stderr, "error: %s: %s\n", file ? file : "<stdin>", strerror(errno));
            rc = 1;
        } else {
            rc = run_program(&s, text);
        }
        free(text);
        if (f && f != stdin) fclose(f);
    } else {
        s.interactive = true;
        s.src = "<stdin>";
        rc = repl(&s);
    }
    kiln_scope_free(s.scope);
    kiln_ctx_free(s.ctx);
    return rc;
}
