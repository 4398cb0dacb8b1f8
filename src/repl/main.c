/*
 * main.c — the kiln program: an interactive REPL (libedit line editing, history, completion,
 * Ctrl-C) and a runner for programs given with -c, as a file, or on standard input.
 *
 *     kiln> a = rand(10000000)
 *     kiln> b = sin(a)*sin(a)
 *     kiln> for i in range(3):
 *     ...       print(i, b[i])
 *
 * The statements are run.h's; outside the REPL the first error ends the program: it goes to
 * stderr as a line beginning "error:" with the source line and a caret, and kiln exits 1
 * (130 after Ctrl-C).  In the REPL, Ctrl-C at the prompt clears the line, and during a
 * statement stops it at the next kernel boundary (KeyboardInterrupt), its names as they were;
 * every line goes to the history file (~/.kiln_history) as soon as it is entered.
 */
#include <ctype.h>
#include <editline/readline.h>
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "run.h"

static session *S;     /* for the completion callback and the signal handler */
static kiln_ctx *sig_ctx;

static void on_sigint(int sig) {
    KILN_UNUSED(sig);
    repl_sigint = 1;
    if (repl_holding) repl_deferred = 1; /* an array is being written: after it (release_interrupts) */
    else if (sig_ctx) kiln_interrupt(sig_ctx); /* an atomic store: safe here */
}

static void catch_sigint(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: a blocked select() returns at once */
    sigaction(SIGINT, &sa, NULL);
}

/* Runs text; after Ctrl-C says so and clears the interrupt. */
static int run_text(session *s, const char *text, size_t len) {
    repl_sigint = 0;
    kiln_clear_interrupt(s->ctx);
    int rc = run_program(s, text, len);
    if (rc == RUN_INTERRUPTED || repl_sigint) {
        fflush(stdout);
        fprintf(stderr, "KeyboardInterrupt\n");
        rc = RUN_INTERRUPTED;
    }
    repl_sigint = 0;
    kiln_clear_interrupt(s->ctx);
    return rc;
}

/* ------------------------------------------------------------------ the REPL */

static char *completion_gen(const char *text, int state) {
    static int idx;
    if (!state) idx = 0;
    size_t len = strlen(text);
    const char *const *names = run_completions();
    int nscope = kiln_scope_count(S->scope), nnames = 0;
    while (names[nnames]) nnames++;
    while (idx < nscope + nnames) {
        int k = idx++;
        const char *cand = k < nscope ? kiln_scope_name(S->scope, k) : names[k - nscope];
        if (cand && !strncmp(cand, text, len)) return strdup(cand);
    }
    return NULL;
}

static char **complete(const char *text, int start, int end) {
    (void)start;
    (void)end;
    rl_attempted_completion_over = 1;
    if (!text[0]) { /* no word begun (a line's start, a pasted block's tab): indentation, not every name */
        rl_insert_text("    ");
        return NULL;
    }
    rl_completion_append_character = '\0'; /* "sin" completes to "sin", ready for "(" */
    return rl_completion_matches(text, completion_gen);
}

typedef struct repl_state {
    char hist[4096];
    kstr chunk;        /* the lines of a statement not yet complete */
    bool line_ready, eof;
    char *line;
} repl_state;
static repl_state R;

static void on_line(char *line) {
    if (!line) {
        R.eof = true;
        return;
    }
    R.line = line;
    R.line_ready = true;
}

static void prompt(const char *p) {
    rl_callback_handler_install(p, on_line);
}

/* libedit 3.1-20221030's rl_callback_read_char ends each key by writing a NUL at
 * rl_line_buffer[rl_end], a pointer it does not follow when the line's encoded copy is
 * reallocated (past 1 KiB): a long line wrote into freed memory, and from about 5 KB crashed the
 * REPL.  Before each key rl_line_buffer is a buffer of ours, longer than one key can make the line
 * (a character, a history line, a yank: twice the longest line yet, and 64 KiB more). */
static struct {
    char *buf;
    size_t cap, longest;
} sink;

static void line_buffer_guard(void) {
    size_t n = sink.longest > (size_t)rl_end ? sink.longest : (size_t)rl_end, need = 2 * n + 65536;
    if (sink.cap < need) {
        char *b = realloc(sink.buf, need);
        if (b) sink.buf = b, sink.cap = need;
    }
    if (sink.buf) rl_line_buffer = sink.buf;
}

/* The terminal's characters as UTF-8 (libedit in the C locale drops every other byte): the
 * user's locale, or C.UTF-8 when that one's characters are not UTF-8 (as Python's coercion). */
static void utf8_terminal(void) {
    const char *l = setlocale(LC_CTYPE, "");
    if (!l || strcmp(nl_langinfo(CODESET), "UTF-8")) setlocale(LC_CTYPE, "C.UTF-8");
}

/* The history file, unless something other than a file is there (a FIFO would block at start). */
static void history_file(void) {
    const char *home = getenv("HOME");
    struct stat st;
    if (!home) return;
    snprintf(R.hist, sizeof R.hist, "%s/.kiln_history", home);
    if (stat(R.hist, &st) != 0) return; /* (none yet) */
    if (!S_ISREG(st.st_mode)) {
        fprintf(stderr, "kiln: %s is not a regular file: this session keeps no history\n", R.hist);
        R.hist[0] = 0;
        return;
    }
    sink.longest = (size_t)st.st_size; /* (no line of it is longer) */
}

/* The REPL's first line, either way it reads. */
static void banner(void) {
    printf("kiln %s — NumPy expressions, JIT-compiled. :help for help, :quit to leave.\n", KILN_VERSION);
    fflush(stdout);
}

static int repl(session *s) {
    utf8_terminal();
    history_file();
    rl_readline_name = "kiln";
    rl_attempted_completion_function = complete;
    using_history();
    stifle_history(1000);
    if (R.hist[0]) read_history(R.hist);
    banner();
    catch_sigint();
    prompt("kiln> ");
    for (;;) {
        if (repl_sigint) { /* Ctrl-C at the prompt (or while a line was read): the line, and a
                              pending block, are dropped */
            repl_sigint = 0;
            kiln_clear_interrupt(s->ctx);
            rl_replace_line("", 0);
            rl_callback_handler_remove();
            printf("\n");
            fflush(stdout);
            kstr_free(&R.chunk);
            prompt("kiln> ");
        }
        fd_set fds;
        FD_ZERO(&fds);
        FD_SET(0, &fds);
        int r = select(1, &fds, NULL, NULL, NULL);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) break;
        line_buffer_guard();
        rl_callback_read_char();
        if (R.eof && R.chunk.s && R.chunk.s[0]) { /* Ctrl-D at "...": the block runs as it stands (an
                                                      open bracket is its error) and the session goes on, as Python's */
            R.eof = false;
            rl_callback_handler_remove();
            printf("\n");
            fflush(stdout);
            int rc = run_text(s, R.chunk.s, strlen(R.chunk.s));
            kstr_free(&R.chunk);
            if (rc == RUN_QUIT) break;
            prompt("kiln> ");
            continue;
        }
        if (R.eof) {
            printf("\n");
            break;
        }
        if (!R.line_ready) continue;
        R.line_ready = false;
        char *line = R.line;
        R.line = NULL;
        if (*line) {
            if (strlen(line) > sink.longest) sink.longest = strlen(line);
            add_history(line);
            if (R.hist[0]) write_history(R.hist); /* now: a killed session keeps its history */
        }
        kstr_printf(&R.chunk, "%s\n", line);
        free(line);
        if (!R.chunk.s) continue;
        if (run_needs_more(R.chunk.s, strlen(R.chunk.s))) {
            rl_callback_handler_remove();
            prompt("... ");
            continue;
        }
        rl_callback_handler_remove();
        int rc = run_text(s, R.chunk.s, strlen(R.chunk.s));
        kstr_free(&R.chunk);
        if (rc == RUN_QUIT) break;
        prompt("kiln> ");
    }
    rl_callback_handler_remove();
    if (R.hist[0]) write_history(R.hist);
    kstr_free(&R.chunk);
    return 0; /* (sink.buf stays: libedit may write through rl_line_buffer until the exit) */
}

/* The REPL without line editing, for a terminal's input whose output goes elsewhere (kiln >
 * out.txt, kiln | tee log: libedit then never hands a line over): the prompts on stderr, each
 * statement run as it is complete, Ctrl-C drops the pending lines, Ctrl-D runs them and ends. */
static int plain_repl(session *s) {
    kstr chunk = {0};
    char *line = NULL;
    size_t cap = 0;
    banner();
    catch_sigint();
    for (;;) {
        fputs(chunk.s && chunk.s[0] ? "... " : "kiln> ", stderr);
        fflush(stderr);
        errno = 0;
        ssize_t n = getline(&line, &cap, stdin);
        if (repl_sigint) { /* Ctrl-C at the prompt: the pending lines are dropped */
            repl_sigint = 0;
            kiln_clear_interrupt(s->ctx);
            clearerr(stdin);
            kstr_free(&chunk);
            fputs("\nKeyboardInterrupt\n", stderr);
            continue;
        }
        if (n < 0 && errno == EINTR) {
            clearerr(stdin);
            continue;
        }
        if (n < 0) { /* Ctrl-D: what is pending runs, and the session ends */
            fputs("\n", stderr);
            if (chunk.s && chunk.s[0]) run_text(s, chunk.s, strlen(chunk.s));
            break;
        }
        kstr_printf(&chunk, "%s%s", line, n > 0 && line[n - 1] == '\n' ? "" : "\n");
        if (!chunk.s) break;
        if (run_needs_more(chunk.s, strlen(chunk.s))) continue;
        int rc = run_text(s, chunk.s, strlen(chunk.s));
        kstr_free(&chunk);
        fflush(stdout);
        if (rc == RUN_QUIT) break;
    }
    free(line);
    kstr_free(&chunk);
    return 0;
}

/* ------------------------------------------------------------------ main */

/* The whole of f (NUL-terminated; its length in *n, which may count NUL bytes the program
 * then reports), or NULL with errno set. */
static char *read_all(FILE *f, size_t *n) {
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        errno = EISDIR;
        return NULL;
    }
    size_t cap = 4096;
    *n = 0;
    char *b = malloc(cap);
    while (b) {
        size_t r = fread(b + *n, 1, cap - *n - 1, f);
        *n += r;
        if (r == 0) {
            if (ferror(f)) {
                int e = errno;
                free(b);
                errno = e ? e : EIO;
                return NULL;
            }
            break;
        }
        if (*n + 1 == cap) {
            char *nb = realloc(b, cap *= 2);
            if (!nb) {
                free(b);
                return NULL;
            }
            b = nb;
        }
    }
    if (b) b[*n] = 0;
    if (b && *n >= 3 && !memcmp(b, "\xEF\xBB\xBF", 3)) { /* UTF-8's byte order mark, as Python skips it */
        memmove(b, b + 3, *n - 2);
        *n -= 3;
    }
    return b;
}

static int exit_code(const session *s, int rc) { return rc == RUN_ERROR ? 1 : rc == RUN_INTERRUPTED ? 130 : rc == RUN_QUIT ? s->exit_status : 0; }

/* kiln --transcript: standard input typed into the REPL, line by line, printed as a session
 * shows it (prompts, the lines, what they print, errors in the REPL's form), without line
 * editing.  What tests/readme_check.py compares the README's sessions with. */
static int transcript(session *s) {
    size_t n = 0;
    char *text = read_all(stdin, &n);
    if (!text) {
        fprintf(stderr, "error: <stdin>: %s\n", strerror(errno));
        return 1;
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    dup2(1, 2); /* errors in order with the rest */
    kstr chunk = {0};
    int rc = RUN_OK;
    for (char *p = text; *p && rc != RUN_QUIT;) {
        char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        printf("%s%.*s\n", chunk.s ? "... " : "kiln> ", (int)len, p);
        kstr_printf(&chunk, "%.*s\n", (int)len, p);
        p += len + (nl != NULL);
        if (chunk.s && run_needs_more(chunk.s, strlen(chunk.s)) && *p) continue;
        if (chunk.s) rc = run_text(s, chunk.s, strlen(chunk.s));
        kstr_free(&chunk);
    }
    kstr_free(&chunk);
    free(text);
    return rc == RUN_QUIT ? s->exit_status : 0;
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
    fprintf(f, "usage: kiln [--backend NAME] [-c PROGRAM | FILE | -]\n"
               "       kiln cache info|list|clear|prune\n"
               "  (no arguments)  the interactive REPL (standard input when it is not a terminal)\n"
               "  -c PROGRAM      run PROGRAM: statements separated by ';' or newlines\n"
               "  FILE            run the statements in FILE ('-' for standard input)\n"
               "  --transcript    type standard input into the REPL, printing the session as it looks\n"
               "  --backend NAME  cpu, interp or cuda (what this build has: kiln_backends); else $KILN_BACKEND\n"
               "  -h, --help      this help;  --version  the version\n"
               "Environment: KILN_NUM_THREADS (else OMP_NUM_THREADS), KILN_CACHE_DIR, KILN_DISABLE_CACHE,\n"
               "KILN_CACHE_MAX_MB, KILN_LOG=compile,cuda, KILN_DEBUG=fuse,steps, KILN_BACKEND, KILN_CUDA_ARCH.\n");
}

int main(int argc, char **argv) {
    const char *prog = NULL, *file = NULL, *backend = NULL;
    bool as_transcript = false;
    setenv("KILN_LOG", "env", 0); /* the library names an environment variable it cannot read only under KILN_LOG */
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
        } else if (!strcmp(argv[i], "--backend") && i + 1 < argc) {
            backend = argv[++i];
        } else if (!strcmp(argv[i], "--transcript")) {
            as_transcript = true;
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
    if (backend && kiln_set_backend(s.ctx, backend) != KILN_OK) {
        fprintf(stderr, "error: %s\n", kiln_errmsg(s.ctx));
        kiln_scope_free(s.scope);
        kiln_ctx_free(s.ctx);
        return 1;
    }
    S = &s;
    sig_ctx = s.ctx;
    int rc;
    if (as_transcript) {
        s.interactive = true;
        s.src = "<stdin>";
        rc = transcript(&s);
    } else if (prog) {
        s.src = "-c";
        catch_sigint();
        rc = exit_code(&s, run_text(&s, prog, strlen(prog)));
    } else if (file || !isatty(0)) {
        const char *why = NULL;
        int fd = !file || !strcmp(file, "-") ? 0 : kiln_open_regular(file, 0, &why); /* a FIFO or a device: refused, not waited on */
        FILE *f = fd == 0 ? stdin : fd > 0 ? fdopen(fd, "r") : NULL;
        s.src = f == stdin ? "<stdin>" : file;
        size_t n = 0;
        char *text = f ? read_all(f, &n) : NULL;
        if (!text) {
            fprintf(stderr, "error: %s: %s\n", file ? file : "<stdin>", why ? why : strerror(errno));
            rc = 1;
        } else {
            catch_sigint();
            rc = exit_code(&s, run_text(&s, text, n));
        }
        free(text);
        if (f && f != stdin) fclose(f);
    } else {
        s.interactive = true;
        s.src = "<stdin>";
        rc = isatty(1) ? repl(&s) : plain_repl(&s);
        if (rc == 0) rc = s.exit_status; /* (exit(n) ended it) */
    }
    kiln_scope_free(s.scope);
    kiln_ctx_free(s.ctx);
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) { /* a full disk, a closed stdout: what was printed is lost, so not 0 */
        fprintf(stderr, "kiln: the output could not be written: %s\n", errno ? strerror(errno) : "a write to standard output failed");
        if (rc == 0) rc = 1;
    }
    return rc;
}
