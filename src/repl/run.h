/*
 * run.h — the kiln program's statements: a program's text → a tree of statements (run.c), run
 * against one session's names; the :commands (commands.c).
 *
 *     program    = { statement NEWLINE }
 *     statement  = simple { ";" simple } | compound
 *     simple     = target { "," target } "=" tuple     (and chains: a = b = expr)
 *                | NAME augop expr                     (+= -= *= /= //= %= **= @= &= |= ^=)
 *                | print(...) | save("f.npy", expr) | seed(n) | pass | break | continue
 *                | ":" command | tuple                 (a value: printed as NumPy's repr)
 *     compound   = "for" NAME "in" expr ":" suite | "while" expr ":" suite
 *                | "if" expr ":" suite { "elif" expr ":" suite } [ "else" ":" suite ]
 *     suite      = simple-statements on the header's line | NEWLINE INDENT { statement } DEDENT
 *
 * Python's syntax and no more.  Each assignment and expression statement keeps what it built
 * (its graph, read through placeholders): a loop body is parsed and planned once, and runs
 * again with new bindings for as long as its names keep their dtypes and shapes.
 */
#ifndef KILN_REPL_RUN_H
#define KILN_REPL_RUN_H

#include <signal.h>
#include <stdio.h>

#include "../frontend/frontend.h"
#include "../base/base.h"

typedef struct session {
    kiln_ctx *ctx;
    kiln_scope *scope;
    bool interactive;      /* the REPL: errors shown with a caret, and the session goes on */
    const char *src;       /* the program's name for messages: "-c", a file name, "<stdin>" */
    bool quiet;            /* :time and :timeit: expression statements print nothing */
    FILE *err;             /* where errors go (NULL: stderr) */
    uint64_t budget;       /* statements it may still run (0: no limit; for the fuzzer) */
    uint64_t ns_build;     /* time spent parsing and building graphs, while timing (for :time) */
    bool timing;           /* :time is running a statement: build() reads the clock */
    bool mute;             /* :time's cached runs: print() writes nothing (the first run's output stands) */
    int exit_status;       /* exit(n)'s n, the process's status once the session ends */
    const void *underscore; /* what the REPL last bound to _ (its array or value), as Python's last value */
} session;

/* Whether _ is unbound or still what the REPL bound it to (a name _ of the user's own stays). */
bool run_underscore_ours(const session *s);

/* Set by SIGINT (the handler also calls kiln_interrupt): statements stop at the next boundary. */
extern volatile sig_atomic_t repl_sigint;
/* While an array is written (hold_interrupts): Ctrl-C is only noted (repl_deferred), whichever
 * thread the signal lands on, and passed on when the write is done. */
extern volatile sig_atomic_t repl_holding, repl_deferred;

/* What running statements ended with. */
enum { RUN_OK, RUN_ERROR, RUN_QUIT, RUN_INTERRUPTED, RUN_BREAK, RUN_CONTINUE };

/* Runs text (a whole program, or one chunk the REPL read) as statements; the first error ends
 * it (reported on stderr).  Names bound by statements that finished stay bound. */
int run_program(session *s, const char *text, size_t len);
/* Whether the REPL should read another line before running text: an open bracket or string, a
 * trailing backslash, or a block (a line ending in ':') not yet closed by an empty line. */
bool run_needs_more(const char *text, size_t len);

/* ---- for commands.c: one simple statement, run or timed ---- */
typedef struct stmt stmt;
/* Parses text[off, off+len) as one simple statement (into a new stmt), or NULL after reporting. */
stmt *run_parse_simple(session *s, const char *text, size_t len, size_t off, size_t slen);
int run_simple(session *s, const char *text, size_t len, stmt *st);
void run_stmt_free(session *s, stmt *st);
/* What the names st binds are bound to now (arrays, Python numbers, other values, nothing), to
 * put back after runs that must not bind (:timeit) or were interrupted (:time). */
typedef struct run_saved run_saved;
/* Whether st is an augmented assignment (it writes into its target's array: not to be repeated). */
/* The random state of the session's np.random and Generators, to put back after timing runs
 * (:time's cached runs, :timeit's), as if they had not drawn; NULL when out of memory. */
void *run_rng_save(session *s);
void run_rng_restore(session *s, void *saved); /* and frees it */
bool run_stmt_augmented(const stmt *st);
run_saved *run_save_targets(session *s, const stmt *st);
void run_restore_targets(session *s, run_saved *saved, bool put_back); /* frees saved (NULL: nothing) */
/* Reports msg at byte offset off of text (its line, a caret under the column). */
void run_report(const session *s, const char *text, size_t len, size_t off, const char *msg);

/* ---- commands (commands.c) ---- */
/* Runs ":name args" at text[off, off+len); RUN_OK, RUN_ERROR or RUN_QUIT. */
int run_command(session *s, const char *text, size_t tlen, size_t off, size_t len);
/* The names completion offers: functions, builtins, commands (NULL-terminated; static). */
const char *const *run_completions(void);

#endif
