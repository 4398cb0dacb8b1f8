/*
 * run.c — programs: text → logical lines → a tree of statements (run.h's grammar) → run.
 *
 *     split_lines    physical lines joined inside brackets and after a backslash; comments
 *                    and blank lines dropped; each line's indentation measured
 *     parse_suite    statements by indentation (Python's INDENT/DEDENT), compound headers,
 *                    simple statements split at ';'
 *     exec_block     each statement in turn: a value built (or the cached one reused, its
 *                    placeholders bound to the names' arrays), evaluated, bound or printed
 *
 * A statement that fails binds nothing; Ctrl-C (repl_sigint and kiln_interrupt) stops the
 * running kernel at its next piece and the program at the next statement.
 */
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../frontend/lex.h"
#include "../frontend/scope.h"
#include "../ir/graph.h"
#include "../runtime/ctx.h"
#include "run.h"

volatile sig_atomic_t repl_sigint;
volatile sig_atomic_t repl_holding, repl_deferred;

typedef enum stmt_kind {
    S_EXPR,     /* a value, printed (x: the value) */
    S_ASSIGN,   /* names = value (x: the value; names: the targets, flat) */
    S_AUG,      /* names[0] op= value */
    S_SETITEM,  /* names[0][index] = value, or op= value (aug): the target's text at t, tlen */
    S_PRINT,    /* print(...) (x: "(...)") */
    S_SAVE,     /* save(...) */
    S_SEED,     /* seed(...) */
    S_EXIT,     /* exit(...) or quit(...): the session ends (x: "(...)") */
    S_HELP,     /* help() or help(NAME): :help's text (x: "(...)") */
    S_CMD,      /* ":name args" (x: the whole command) */
    S_PASS,
    S_BREAK,
    S_CONTINUE,
    S_FOR,      /* for names[0] in x: body else: orelse (run when no break ended the loop) */
    S_WHILE,    /* while x: body else: orelse (the same) */
    S_IF,       /* if x: body else: orelse (elif: an S_IF alone in orelse) */
    S_DEL,      /* del names */
    S_IMPORT,   /* import numpy as names[0] (from numpy import linalg as names[0]: op 1; from numpy import names: op 2) */
    S_DELITEM,  /* del names[0][index or slice] of a list (its subscript as S_SETITEM's) */
    S_ASSERT,   /* assert x, message (the message's text at oa, olen; none: olen 0) */
    S_METHOD,   /* names[0].method(...) that changes names[0]: a list's append, extend, insert,
                   pop (names[1] = names[0].pop(...) binds the item), remove, clear and
                   reverse, an array's sort and fill (x: "(...)"); random.shuffle(names[0]) too */
} stmt_kind;

#define MAX_TARGETS 8

struct stmt {
    stmt_kind kind;
    size_t start, end;     /* the statement's text */
    size_t x, xlen;        /* its expression (see stmt_kind) */
    char names[MAX_TARGETS][64];
    int nnames;
    /* S_ASSIGN: a target that is a subscript, NAME[...] (its text at item_at, item_len; its
     * names[] entry empty), assigned as x[...] = value is: a, x[0] = ..., x[i], x[j] = x[j], x[i] */
    size_t item_at[MAX_TARGETS], item_len[MAX_TARGETS];
    int chain[MAX_TARGETS]; /* S_ASSIGN: how many names each target list of a = b = ... has */
    int group[MAX_TARGETS]; /* S_ASSIGN: at the first name of a nested "(b, c)": its names */
    bool seq[MAX_TARGETS];  /* each target list: a sequence ("n," "(n,)" "[n]"), even of one name */
    bool star[MAX_TARGETS]; /* S_ASSIGN: a starred target, *rest (at most one a list: the items left over) */
    int nchain;
    kiln_op op;            /* S_AUG, and S_SETITEM when aug; S_IMPORT: 1 for linalg's name, 2 for numpy's names */
    bool aug;
    size_t t, tlen;        /* S_SETITEM: the target, NAME[...] */
    size_t lb, llb;        /* S_SETITEM: its first '[', its last subscript's '[' */
    bool attrs;            /* S_SETITEM: attributes between the name and the first '[' (x.T[0]) */
    char method[16];       /* S_METHOD's (an in-place function's name: fe_in_place's) */
    bool out;              /* a call with out= (S_AUG of op FE_AUG_OUT into a name, S_SETITEM into a subscript) */
    bool show;             /* out: a call alone, which shows out afterwards (the array NumPy's call returns) */
    size_t oa, olen;       /* out: out's text */
    int groups;            /* S_SETITEM: its subscripts, x[0][1:] has two */
    size_t sub_from;       /* S_SETITEM into an array item of a list, xs[0][1:] = v: where the array's subscripts start (else 0) */
    stmt *body, *orelse;
    int nbody, nelse;
    /* what the statement built, kept while its names keep their dtypes and shapes */
    kval value;
    fe_deps deps;
    bool built, cached;
    bool extends;          /* S_AUG of a list: the value is the items to append (fe_env.extends) */
    bool warned;           /* a warning about it was printed (once per statement) */
    kiln_array *spare;     /* a buffer of the value's dtype and shape to evaluate into */
};

/* The most bytes of a kept graph's own arrays an assignment copies to its names, rather than
 * building the statement again at its next run: about where a copy (in cache) costs as much as
 * parsing the statement and filling an array of zeros again (2-3 us here). */
#define KEPT_COPY_BYTES (1 << 18)

typedef struct prog {
    session *s;
    const char *text;
    size_t len;
    uint64_t *src; /* while an assignment binds: what its value was computed from (fe_scope_sources) */
    int nsrc;
    char np_alias[FE_NUMPY_ALIASES][32]; /* import numpy as NAME's names parsed so far (the scope has
                                            them once they run) */
    int n_np_alias;
} prog;

/* ------------------------------------------------------------------ errors */

static void note(const session *s, const char *text, size_t len, size_t off, const char *label, const char *msg);

void run_report(const session *s, const char *text, size_t len, size_t off, const char *msg) { note(s, text, len, off, "error", msg); }

/* The columns a terminal gives the UTF-8 text p[0 .. n): one per character, two for East Asian
 * wide ones (CJK, Hangul, full-width forms, emoji), none for combining marks. */
static int display_width(const char *p, size_t n) {
    int w = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)p[i];
        int len = c < 0x80 ? 1 : c >> 5 == 6 ? 2 : c >> 4 == 14 ? 3 : c >> 3 == 30 ? 4 : 1;
        uint32_t u = len == 1 ? c : c & (0x3f >> (len - 1));
        for (int k = 1; k < len; k++) u = i + (size_t)k < n ? u << 6 | ((unsigned char)p[i + k] & 0x3f) : 0;
        i += (size_t)len;
        if ((u >= 0x300 && u < 0x370) || (u >= 0x200b && u < 0x2010) || (u >= 0xfe00 && u < 0xfe10)) continue;
        bool wide = (u >= 0x1100 && u < 0x1160) || (u >= 0x2e80 && u < 0xa4d0) || (u >= 0xac00 && u < 0xd7a4) ||
                    (u >= 0xf900 && u < 0xfb00) || (u >= 0xfe30 && u < 0xfe50) || (u >= 0xff00 && u < 0xff61) ||
                    (u >= 0xffe0 && u < 0xffe7) || (u >= 0x1f300 && u < 0x1f650) || (u >= 0x1f900 && u < 0x1fa00) ||
                    (u >= 0x20000 && u < 0x3fffe);
        w += wide ? 2 : 1;
    }
    return w;
}

/* A message about text at off, labelled "error" or "warning": the line with a caret under off
 * (under the character there, as a terminal shows the line). */
static void note(const session *s, const char *text, size_t len, size_t off, const char *label, const char *msg) {
    fflush(stdout); /* what the program printed before the error comes first */
    if (off > len) off = len;
    size_t ls = off;
    while (ls > 0 && text[ls - 1] != '\n') ls--;
    size_t le = off;
    while (le < len && text[le] != '\n') le++;
    int lineno = 1;
    for (size_t i = 0; i < ls; i++) lineno += text[i] == '\n';
    size_t col = off - ls, column = 1; /* (the column: characters, not bytes) */
    for (size_t i = ls; i < off; i++) column += ((unsigned char)text[i] & 0xc0) != 0x80;
    /* a long line is shown as a window around the column */
    bool cut_left = false, cut_right = false;
    if (le - ls > 120) {
        size_t a = col > 60 ? off - 60 : ls, b = a + 120 < le ? a + 120 : le;
        while (a < off && ((unsigned char)text[a] & 0xc0) == 0x80) a++; /* (whole characters) */
        while (b < le && ((unsigned char)text[b] & 0xc0) == 0x80) b++;
        cut_left = a > ls;
        cut_right = b < le;
        ls = a;
        le = b;
    }
    col = (size_t)display_width(text + ls, off - ls) + (cut_left ? 3 : 0);
    char *shown = malloc(le - ls + 7);
    if (!shown) return;
    size_t o = 0;
    if (cut_left) memcpy(shown, "...", 3), o = 3;
    for (size_t i = ls; i < le; i++) shown[o++] = text[i] == '\t' || text[i] == '\r' || text[i] == 0 ? ' ' : text[i];
    if (cut_right) memcpy(shown + o, "...", 3), o += 3;
    shown[o] = 0;
    FILE *err = s->err ? s->err : stderr;
    if (s->interactive)
        fprintf(err, "  %s\n  %*s^\n%s: %s\n", shown, (int)col, "", label, msg);
    else
        fprintf(err, "%s: %s:%d:%zu: %s\n  %s\n  %*s^\n", label, s->src, lineno, column, msg, shown, (int)col, "");
    free(shown);
}

static int report(prog *pg, size_t off, const char *msg) {
    run_report(pg->s, pg->text, pg->len, off, msg);
    return RUN_ERROR;
}

/* The context's error, at off plus the error's own offset into the text parsed from off. */
static int report_kiln(prog *pg, size_t off) {
    kiln_ctx *ctx = pg->s->ctx;
    if (kiln_errcode(ctx) == KILN_ERR_INTERRUPTED) return RUN_INTERRUPTED;
    int64_t eo = kiln_error_offset(ctx);
    return report(pg, off + (size_t)(eo > 0 ? eo : 0), kiln_errmsg(ctx));
}

/* ------------------------------------------------------------------ scanning */

/* Skips a string starting at text[i] (a quote); returns the index after it, or NOT_CLOSED when
 * the line or the text ends first. */
#define NOT_CLOSED ((size_t)-1)
static size_t skip_string(const char *t, size_t i, size_t len) {
    char q = t[i];
    if (lex_quote_width(t, i, len) == 3) { /* triple-quoted: newlines in it too */
        for (i += 3; i < len; i++) {
            if (lex_closes(t, i, len, q)) return i + 3;
            if (t[i] == '\\') i++;
        }
        return NOT_CLOSED;
    }
    i++; /* (a backslash ending a line: the string goes on to the next, as Python's) */
    while (i < len && t[i] != q && t[i] != '\n') i += t[i] != '\\' || i + 1 >= len ? 1 : t[i + 1] == '\r' && i + 2 < len && t[i + 2] == '\n' ? 3 : 2;
    return i < len && t[i] == q ? i + 1 : NOT_CLOSED;
}

/* Calls fn for each character of t[a, b) at bracket depth 0, outside strings and comments;
 * returns the index where fn said stop, or b. */
static size_t scan_top(const char *t, size_t a, size_t b, bool (*fn)(const char *t, size_t i, size_t b, void *ud), void *ud) {
    int depth = 0;
    for (size_t i = a; i < b;) {
        char c = t[i];
        if (c == '\'' || c == '"') {
            i = skip_string(t, i, b);
            if (i == NOT_CLOSED) return b;
            continue;
        }
        if (c == '#') {
            while (i < b && t[i] != '\n') i++;
            continue;
        }
        if (c == '(' || c == '[' || c == '{') depth++;
        else if ((c == ')' || c == ']' || c == '}') && depth > 0) depth--;
        else if (depth == 0 && fn(t, i, b, ud)) return i;
        i++;
    }
    return b;
}

static bool is_char(const char *t, size_t i, size_t b, void *ud) {
    KILN_UNUSED(b);
    return t[i] == *(const char *)ud;
}

/* A lone '=' (not ==, <=, >=, !=, nor the '=' of an augmented operator). */
static bool is_assign(const char *t, size_t i, size_t b, void *ud) {
    KILN_UNUSED(ud);
    if (t[i] != '=' || (i + 1 < b && t[i + 1] == '=')) return false;
    if (i > 1 && (t[i - 1] == '<' || t[i - 1] == '>') && t[i - 2] == t[i - 1]) return true; /* <<= >>= */
    return !(i > 0 && strchr("=<>!", t[i - 1]));
}

/* Blanks between tokens: spaces, tabs, line ends, and a backslash joining lines (if x: \
 * then the body on the next line, as Python's). */
static size_t trim_left(const char *t, size_t a, size_t b) {
    for (;;) {
        while (a < b && (t[a] == ' ' || t[a] == '\t' || t[a] == '\r' || t[a] == '\n' || t[a] == '\f')) a++;
        if (a + 1 < b && t[a] == '\\' && (t[a + 1] == '\n' || (t[a + 1] == '\r' && a + 2 < b && t[a + 2] == '\n'))) a += 2;
        else return a;
    }
}
static size_t trim_right(const char *t, size_t a, size_t b) {
    for (size_t end = b;;) {
        while (b > a && (t[b - 1] == ' ' || t[b - 1] == '\t' || t[b - 1] == '\r' || t[b - 1] == '\n' || t[b - 1] == '\f')) b--;
        if (b > a && b < end && t[b - 1] == '\\' && (t[b] == '\n' || t[b] == '\r')) b--;
        else return b;
    }
}
/* The end of t[a, b) without a trailing comment: one on its last physical line (the lexer skips
 * those inside brackets on the lines before, as Python's does; a triple-quoted string's lines
 * are its own). */
static size_t strip_comment(const char *t, size_t a, size_t b) {
    for (size_t i = a; i < b;) {
        if (t[i] == '\'' || t[i] == '"') {
            if ((i = skip_string(t, i, b)) == NOT_CLOSED) return b;
        } else if (t[i] == '#') {
            size_t nl = i;
            while (nl < b && t[nl] != '\n') nl++;
            if (nl == b) return i;
            i = nl + 1;
        } else {
            i++;
        }
    }
    return b;
}

/* Whether t[a, b) is string literals alone ("""a docstring"""). */
static bool only_strings(const char *t, size_t a, size_t b) {
    if (a >= b) return false;
    for (size_t i = a; i < b; i = trim_left(t, i, b)) {
        if (t[i] != '\'' && t[i] != '"') return false;
        if ((i = skip_string(t, i, b)) == NOT_CLOSED) return false;
    }
    return true;
}

static bool word_at(const char *t, size_t a, size_t b, const char *w) {
    size_t n = strlen(w);
    return b - a >= n && !memcmp(t + a, w, n) && (a + n == b || !lex_name_char(t, a + n, b));
}

/* Whether w occurs in t[a, b). */
static bool strstr_in(const char *t, size_t a, size_t b, const char *w) {
    size_t n = strlen(w);
    for (size_t i = a; i + n <= b; i++)
        if (!memcmp(t + i, w, n)) return true;
    return false;
}

static bool is_ident(const char *t, size_t a, size_t b) { return lex_is_name(t, a, b); }

/* The end of the name characters from t[a] (a itself where there are none). */
static size_t name_end(const char *t, size_t a, size_t b) {
    for (size_t k; a < b && (k = lex_name_char(t, a, b));) a += k;
    return a;
}

/* Whether t[a, b) names numpy: np, numpy, or an import numpy as NAME's NAME (parsed before in
 * this program, or run before in the session). */
static bool numpy_name(const prog *pg, const char *t, size_t a, size_t b) {
    char w[32];
    if (b - a >= sizeof w) return false;
    memcpy(w, t + a, b - a);
    w[b - a] = 0;
    for (int i = 0; i < pg->n_np_alias; i++)
        if (!strcmp(pg->np_alias[i], w)) return true;
    return fe_scope_is_numpy(pg->s->scope, w) && !kiln_scope_get(pg->s->scope, w) && !fe_scope_value(pg->s->scope, w);
}

/* Where t[a, b) goes on after a leading "np." (numpy_name's names): past the '.', or a. */
static size_t past_numpy(const prog *pg, const char *t, size_t a, size_t b) {
    size_t ne = a;
    ne = name_end(t, ne, b);
    return ne < b && t[ne] == '.' && ne > a && numpy_name(pg, t, a, ne) ? ne + 1 : a;
}

/* ------------------------------------------------------------------ logical lines */

typedef struct line {
    size_t start, end; /* the content after the indentation, comments left in */
    int indent;
} line;

/* The logical lines of t[0, len): physical lines joined inside brackets and after a trailing
 * backslash.  Returns the count (*out malloc'd) or -1 after reporting an unclosed bracket or
 * string. */
static int split_lines(prog *pg, line **out) {
    const char *t = pg->text;
    size_t len = pg->len;
    int n = 0, cap = 16;
    line *v = malloc((size_t)cap * sizeof *v);
    if (!v) return -1;
    for (size_t i = 0; i < len;) {
        size_t ls = i;
        int indent = 0;
        while (i < len && (t[i] == ' ' || t[i] == '\t' || t[i] == '\f')) indent = t[i++] == '\t' ? (indent / 8 + 1) * 8 : indent + 1;
        size_t cs = i;
        int depth = 0;
        size_t open_at = 0;
        char opened[64]; /* the open brackets' closers, innermost last (the first 64 levels) */
        for (;;) { /* to the end of the logical line */
            if (i >= len) break;
            char c = t[i];
            if (c == '\'' || c == '"') {
                size_t e = skip_string(t, i, len);
                if (e == NOT_CLOSED) {
                    free(v);
                    report(pg, i, "unterminated string");
                    return -1;
                }
                i = e;
                continue;
            }
            if (c == '#') {
                while (i < len && t[i] != '\n') i++;
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                if (depth < (int)sizeof opened) opened[depth] = c == '(' ? ')' : c == '[' ? ']' : '}';
                if (depth++ == 0) open_at = i;
            } else if (c == ')' || c == ']' || c == '}') {
                char msg[80];
                if (depth == 0) snprintf(msg, sizeof msg, "unmatched '%c'", c);
                else if (depth <= (int)sizeof opened && opened[depth - 1] != c)
                    snprintf(msg, sizeof msg, "closing parenthesis '%c' does not match opening parenthesis '%c'", c,
                             opened[depth - 1] == ')' ? '(' : opened[depth - 1] == ']' ? '[' : '{');
                else msg[0] = 0;
                if (msg[0]) {
                    free(v);
                    report(pg, i, msg);
                    return -1;
                }
                depth--;
            } else if (c == '\\' && i + 1 < len && t[i + 1] == '\n') {
                i += 2;
                continue;
            } else if (c == '\n' && depth == 0) {
                break;
            }
            i++;
        }
        if (depth > 0) {
            free(v);
            report(pg, open_at, "this bracket is never closed");
            return -1;
        }
        size_t ce = trim_right(t, cs, strip_comment(t, cs, i));
        KILN_UNUSED(ls);
        if (ce > cs) {
            if (n == cap) {
                line *nv = realloc(v, (size_t)(cap *= 2) * sizeof *nv);
                if (!nv) {
                    free(v);
                    return -1;
                }
                v = nv;
            }
            v[n++] = (line){cs, ce, indent};
        }
        if (i < len) i++; /* the newline */
    }
    *out = v;
    return n;
}

bool run_needs_more(const char *t, size_t len) {
    int depth = 0;
    bool block = false, joined = false; /* joined: the last line's code (its comment aside) ends in a backslash */
    for (size_t i = 0; i < len;) {
        size_t ls = i, content = i;
        bool colon = false; /* a ':' outside brackets: a header's end (if x: print(x) too) */
        for (; i < len && t[i] != '\n';) {
            char c = t[i];
            if (c == '\'' || c == '"') {
                size_t e = skip_string(t, i, len); /* an unclosed triple-quoted string needs more lines; another, an error to report */
                if (e == NOT_CLOSED) { /* a triple-quoted string, or one whose line ends in a backslash, goes on */
                    size_t end = len, slashes = 0; /* (an odd run just before the newline: the last escapes it) */
                    if (end > i && t[end - 1] == '\n') end--;
                    if (end > i && t[end - 1] == '\r') end--;
                    while (end - slashes > i + 1 && t[end - 1 - slashes] == '\\') slashes++;
                    return lex_quote_width(t, i, len) == 3 || slashes % 2 == 1;
                }
                i = e;
                content = i;
                continue;
            }
            if (c == '#') {
                while (i < len && t[i] != '\n') i++;
                break;
            }
            if (c == '(' || c == '[' || c == '{') depth++;
            else if ((c == ')' || c == ']' || c == '}') && depth > 0) depth--;
            colon |= c == ':' && depth == 0 && i > trim_left(t, ls, len);
            i++;
            if (c != ' ' && c != '\t' && c != '\r') content = i;
        }
        /* a block header: a line whose code ends in ':' outside brackets (not a :command), or a
         * compound statement with its body on the line (if x: print(x)), as Python's REPL waits
         * for an else or an empty line after it */
        size_t first = trim_left(t, ls, content);
        if (depth == 0 && content > ls && t[content - 1] == ':' && first < content && t[first] != ':') block = true;
        static const char *const compound[] = {"if", "elif", "else", "for", "while", NULL};
        for (int k = 0; depth == 0 && colon && compound[k]; k++) block |= word_at(t, first, content, compound[k]);
        joined = content > ls && t[content - 1] == '\\'; /* (y = 2 # C:\dir\ is whole: the backslash is the comment's) */
        if (i < len) i++;
    }
    if (depth > 0) return true;
    if (joined) return true;
    if (!block) return false;
    /* a block goes on until an empty line */
    size_t last = len;
    if (last > 0 && t[last - 1] == '\n') last--;
    size_t ls = last;
    while (ls > 0 && t[ls - 1] != '\n') ls--;
    return trim_left(t, ls, last) < last || last == 0 || ls == 0;
}

/* ------------------------------------------------------------------ statements */

static void stmt_clear_cache(session *s, stmt *st) {
    fe_deps_unbind(s->ctx, &st->deps);
    kval_free(s->ctx, &st->value);
    fe_deps_free(s->ctx, &st->deps);
    st->built = st->cached = false;
}

static void stmts_free(session *s, stmt *v, int n) {
    for (int i = 0; i < n; i++) {
        stmt_clear_cache(s, &v[i]);
        kiln_array_free(v[i].spare);
        stmts_free(s, v[i].body, v[i].nbody);
        stmts_free(s, v[i].orelse, v[i].nelse);
    }
    free(v);
}

void run_stmt_free(session *s, stmt *st) { stmts_free(s, st, 1); }

static stmt *push_stmt(stmt **v, int *n) {
    stmt *nv = realloc(*v, (size_t)(*n + 1) * sizeof *nv);
    if (!nv) return NULL;
    *v = nv;
    memset(&nv[*n], 0, sizeof nv[*n]);
    return &nv[(*n)++];
}

/* t[at] is the '.' of an attribute (.T, .reshape(6, 4)): the first non-blank after it and its
 * call's arguments, or 0 when it is not one. */
static size_t skip_attribute(const char *t, size_t at, size_t b) {
    size_t e = trim_left(t, at + 1, b), s0 = e;
    e = name_end(t, e, b);
    if (e == s0 || isdigit((unsigned char)t[s0])) return 0;
    e = trim_left(t, e, b);
    if (e < b && t[e] == '(') { /* its call's arguments, to the matching ')' */
        int depth = 0;
        for (; e < b; e++) {
            if (t[e] == '\'' || t[e] == '"') {
                if ((e = skip_string(t, e, b)) == NOT_CLOSED) return 0;
                e--;
            } else if (strchr("([{", t[e])) {
                depth++;
            } else if (strchr(")]}", t[e]) && --depth == 0) {
                break;
            }
        }
        if (e >= b) return 0;
        e = trim_left(t, e + 1, b);
    }
    return e;
}

/* Whether t[a, b) is a name's subscripts, NAME[...] or NAME[...][...] (to the end, attributes
 * among them: x[1].T[0]): then st becomes an S_SETITEM of NAME with that target. */
static bool subscript_target(prog *pg, stmt *st, size_t a, size_t b) {
    const char *t = pg->text;
    a = trim_left(t, a, b);
    b = trim_right(t, a, b);
    size_t ne = a;
    ne = name_end(t, ne, b);
    size_t lb = trim_left(t, ne, b);
    while (lb < b && t[lb] == '.') /* an attribute chain: x.T[0], x.reshape(6, 4)[m] (a view of x, or refused) */
        if (!(lb = skip_attribute(t, lb, b))) return false;
    bool attrs = lb != trim_left(t, ne, b);
    if (!is_ident(t, a, ne) || ne - a >= sizeof st->names[0] || lb >= b || t[lb] != '[' || t[b - 1] != ']') return false;
    int depth = 0, groups = 0;
    for (size_t i = lb; i < b; i++) { /* subscripts and attributes to the end: x[0], x[0] [1:], x[1].T[0] (not x[0] + y[1]) */
        if (t[i] == '\'' || t[i] == '"') {
            if ((i = skip_string(t, i, b)) == NOT_CLOSED) return false;
            i--;
        } else if (strchr("([{", t[i])) {
            if (depth++ == 0 && (t[i] != '[' || !++groups)) return false;
            if (depth == 1) st->llb = i;
        } else if (strchr(")]}", t[i]) && --depth == 0) {
            size_t nx = trim_left(t, i + 1, b);
            while (nx < b && t[nx] == '.')
                if (!(nx = skip_attribute(t, nx, b))) return false;
            if (nx < b && t[nx] != '[') return false;
            i = nx - 1;
        }
    }
    memcpy(st->names[0], t + a, ne - a);
    st->names[0][ne - a] = 0;
    st->nnames = 1;
    st->kind = S_SETITEM;
    st->t = a;
    st->tlen = b - a;
    st->lb = lb;
    st->attrs = attrs;
    st->groups = groups;
    return true;
}

/* An S_SETITEM's value, t[a, b). */
static bool setitem_value(prog *pg, stmt *st, size_t a, size_t b, const char *none) {
    st->x = trim_left(pg->text, a, b);
    st->xlen = b - st->x;
    if (!st->xlen) return report(pg, a, none), false;
    return true;
}

/* One name of a target list, t[a, ne), into st->names (items: or a subscript, NAME[...]); false
 * after reporting. */
static bool target_name(prog *pg, stmt *st, size_t a, size_t ne, bool items) {
    const char *t = pg->text;
    stmt scratch;
    if (items && st->nnames < MAX_TARGETS && !is_ident(t, a, ne) && subscript_target(pg, (memset(&scratch, 0, sizeof scratch), &scratch), a, ne)) {
        st->names[st->nnames][0] = 0;
        st->item_at[st->nnames] = a, st->item_len[st->nnames] = ne - a;
        st->group[st->nnames++] = 0;
        return true;
    }
    if (!is_ident(t, a, ne)) {
        const char *why = "cannot assign to this: only names can be assigned";
        for (size_t i = a; i < ne; i++)
            if (t[i] == '[') why = items ? "cannot assign to this subscript" : "a subscript cannot be a target here: only names";
        for (size_t i = a; i < ne && t[i] != '['; i++)
            if (t[i] == '.') why = "cannot assign to an attribute";
        if (word_at(t, a, ne, "True") || word_at(t, a, ne, "False") || word_at(t, a, ne, "None"))
            why = "cannot assign to a literal";
        report(pg, a, why);
        return false;
    }
    if (ne - a >= sizeof st->names[0] || st->nnames == MAX_TARGETS) {
        report(pg, a, ne - a >= sizeof st->names[0] ? "name is too long" : "too many targets");
        return false;
    }
    memcpy(st->names[st->nnames], t + a, ne - a);
    st->names[st->nnames][ne - a] = 0;
    const char *nm = st->names[st->nnames];
    if (!strcmp(nm, "True") || !strcmp(nm, "False") || !strcmp(nm, "None")) {
        report(pg, a, "cannot assign to a literal");
        return false;
    }
    if (lex_is_keyword(nm, ne - a)) {
        char why[64];
        snprintf(why, sizeof why, "'%s' is a keyword, not a name", nm);
        report(pg, a, why);
        return false;
    }
    st->group[st->nnames++] = 0;
    return true;
}

/* The names of a target list "a" / "a, b" / "(a, b)" / "a, (b, c)" (one level of nesting) into
 * st->names (items: subscripts among them, x[0], y); false after reporting. */
static bool parse_targets(prog *pg, stmt *st, size_t a, size_t b, bool items) {
    const char *t = pg->text;
    char comma = ',';
    a = trim_left(t, a, b);
    b = trim_right(t, a, b);
    bool seq = false; /* "[n]", "n," and "(n,)" unpack a sequence of one value; "(n)" is n */
    while (a < b && (t[a] == '(' || t[a] == '[') && t[b - 1] == (t[a] == '(' ? ')' : ']') && scan_top(t, a, b, is_char, &comma) == b &&
           !seq) { /* (the outer brackets of the whole list: "(a, b)" but not "(a), (b)") */
        seq = t[a] == '[';
        a = trim_left(t, a + 1, b - 1);
        b = trim_right(t, a, b - 1);
    }
    int count = 0, list_at = st->nnames; /* (this list's first name) */
    size_t starred = 0; /* where its starred target is (1 + its offset) */
    while (a < b) {
        size_t e = scan_top(t, a, b, is_char, &comma), ne = trim_right(t, a, e);
        seq |= e < b; /* a comma, perhaps the last thing */
        size_t ia = a, ib = ne;
        bool star = ia < ib && t[ia] == '*', nested = false; /* "(b, c)", "[b]", "(b,)"; "(b)" is b */
        if (star) { /* *rest: the items the other targets leave, a list */
            bool again = false;
            for (int k = list_at; k < st->nnames; k++) again |= st->star[k];
            if (st->kind != S_ASSIGN && st->kind != S_FOR) return report(pg, ia, st->kind == S_DEL ? "cannot delete a starred target" : "a starred target (*name) is only supported in an assignment or a for loop"), false;
            if (again) return report(pg, ia, "multiple starred targets in one target list"), false;
            ia = trim_left(t, ia + 1, ib);
        }
        while (ib - ia >= 2 && (t[ia] == '(' || t[ia] == '[') && t[ib - 1] == (t[ia] == '(' ? ')' : ']') && !nested) {
            nested = t[ia] == '[' || scan_top(t, ia + 1, ib - 1, is_char, &comma) < ib - 1;
            ia = trim_left(t, ia + 1, ib - 1), ib = trim_right(t, ia, ib - 1);
        }
        if (nested && star) {
            return report(pg, ia, "a starred target is one name"), false;
        } else if (nested) {
            int first = st->nnames;
            while (ia < ib) {
                size_t ie = scan_top(t, ia, ib, is_char, &comma);
                if (t[ia] == '*') return report(pg, ia, "a starred target inside a nested target list is not supported: unpack it in a statement of its own"), false;
                if (!target_name(pg, st, ia, trim_right(t, ia, ie), items)) return false;
                ia = ie < ib ? trim_left(t, ie + 1, ib) : ib;
            }
            if (st->nnames == first) {
                report(pg, a, "expected a name to assign to");
                return false;
            }
            st->group[first] = st->nnames - first;
        } else if (!target_name(pg, st, ia, ib, items)) {
            return false;
        } else {
            st->star[st->nnames - 1] = star;
            if (star) starred = a + 1;
        }
        count++;
        a = e < b ? trim_left(t, e + 1, b) : b;
    }
    if (!count) {
        report(pg, a, "expected a name to assign to");
        return false;
    }
    if (starred && !seq) {
        report(pg, starred - 1, "a starred target must be in a list or tuple: *rest, = xs");
        return false;
    }
    if (st->nchain == MAX_TARGETS) {
        report(pg, a, "too many targets");
        return false;
    }
    int names = 0; /* the earlier lists' names: this list has the rest */
    for (int c = 0; c < st->nchain; c++) names += st->chain[c];
    st->seq[st->nchain] = seq;
    st->chain[st->nchain++] = st->nnames - names;
    return true;
}

/* A call statement NAME(...) spanning t[a, b): the span of "(...)" in *x, or false. */
static bool call_stmt(const char *t, size_t a, size_t b, const char *name, size_t *x, size_t *xlen) {
    size_t n = strlen(name);
    if (b - a <= n || memcmp(t + a, name, n)) return false;
    size_t o = trim_left(t, a + n, b);
    if (o >= b || t[o] != '(' || t[b - 1] != ')') return false;
    char dummy = 0;
    KILN_UNUSED(dummy);
    /* the "(" must close at the very end */
    int depth = 0;
    for (size_t i = o; i < b;) {
        if (t[i] == '\'' || t[i] == '"') {
            i = skip_string(t, i, b);
            continue;
        }
        if (t[i] == '(') depth++;
        else if (t[i] == ')' && --depth == 0) {
            if (trim_left(t, i + 1, b) != b) return false;
            break;
        }
        i++;
    }
    *x = o;
    *xlen = b - o;
    return true;
}

/* NAME = LIST.pop(...): the item taken out of the list (names[0]), bound to NAME (names[1]) */
static bool pop_stmt(stmt *st, const char *t, size_t a, size_t b) {
    size_t n = a;
    n = name_end(t, n, b);
    size_t eq = trim_left(t, n, b), r = eq + 1 < b ? trim_left(t, eq + 1, b) : b, rn = r;
    if (!is_ident(t, a, n) || n - a >= sizeof st->names[1] || eq + 1 >= b || t[eq] != '=' || t[eq + 1] == '=') return false;
    rn = name_end(t, rn, b);
    if (!is_ident(t, r, rn) || rn - r >= sizeof st->names[0] || rn >= b || t[rn] != '.' || !call_stmt(t, rn + 1, b, "pop", &st->x, &st->xlen))
        return false;
    memcpy(st->names[0], t + r, rn - r);
    st->names[0][rn - r] = 0;
    memcpy(st->names[1], t + a, n - a);
    st->names[1][n - a] = 0;
    snprintf(st->method, sizeof st->method, "pop");
    return true;
}

/* shuffle(NAME) and rng.shuffle(NAME) (st->x: the parenthesized argument): NAME's rows shuffled in
 * place, as a statement. */
static bool shuffle_stmt(prog *pg, stmt *st, const char *t, size_t b) {
    size_t na = trim_left(t, st->x + 1, b - 1), nb = trim_right(t, na, b - 1);
    if (!is_ident(t, na, nb) || nb - na >= sizeof st->names[0]) {
        bool more = scan_top(t, na, b - 1, is_char, &(char){','}) < b - 1 || memchr(t + na, '=', nb - na);
        return report(pg, na, more ? "kiln's shuffle() takes the name of an array and nothing more (no axis=, no keywords): it shuffles the rows in place"
                                   : "shuffle() takes the name of an array (it shuffles it in place)"), false;
    }
    memcpy(st->names[0], t + na, nb - na);
    st->names[0][nb - na] = 0;
    snprintf(st->method, sizeof st->method, "shuffle");
    return st->kind = S_METHOD, true;
}

/* t[a, b) from its first character that is neither a space nor in a comment */
static size_t skip_blank(const char *t, size_t a, size_t b) {
    for (a = trim_left(t, a, b); a < b && t[a] == '#'; a = trim_left(t, a, b))
        while (a < b && t[a] != '\n') a++;
    return a;
}

/* the first position in t[a, b) of a character of set, or b */
static size_t span_to(const char *t, size_t a, size_t b, const char *set) {
    while (a < b && !strchr(set, t[a])) a++;
    return a;
}

/* The text [*oa, *ob) of the out= argument of the call t[a, b) (np.add(a, b, out=x),
 * x[1:].clip(0, 1, out=x[1:]); a ufunc's positional out after its inputs, np.negative(x, x);
 * out=(x,) and out=(x) give x), or false where t[a, b) is not one call (a chain of names,
 * attributes, subscripts and calls ending in one) with an out= that is not None. */
static bool out_argument(const char *t, size_t a, size_t b, size_t *oa, size_t *ob) {
    if (b <= a || t[b - 1] != ')') return false;
    size_t lp = b, i = a; /* the last group's '(' at the top level: the call's */
    for (int depth = 0; i < b;) {
        char ch = t[i];
        if (ch == '\'' || ch == '"') {
            if ((i = skip_string(t, i, b)) == NOT_CLOSED) return false;
            continue;
        }
        if (strchr("([{", ch) && depth++ == 0) lp = i;
        else if (strchr(")]}", ch)) {
            if (--depth < 0) return false; /* (a close without its open) */
        }
        else if (depth == 0 && !isalnum((unsigned char)ch) && ch != '_' && ch != '.' && (unsigned char)ch < 0x80) return false; /* an operator: more than a call */
        i++;
    }
    if (lp >= b || lp == a || t[lp] != '(') return false;
    char name[96] = ""; /* the function's name, np.add, where the callee is one */
    if (lp - a < sizeof name && is_ident(t, a, span_to(t, a, lp, ".(")) && !memchr(t + a, '[', lp - a) && !memchr(t + a, ')', lp - a)) {
        memcpy(name, t + a, lp - a);
        name[lp - a] = 0;
    }
    int nin = name[0] ? fe_ufunc_inputs(name) : -1, npos = 0;
    size_t pa = 0, pb = 0;
    bool kw = false;
    for (size_t k = lp + 1, end = b - 1; k < end;) {
        size_t c = scan_top(t, k, end, is_char, &(char){','}), s0 = skip_blank(t, k, c), s1 = trim_right(t, s0, c);
        size_t eq = scan_top(t, s0, s1, is_assign, NULL);
        k = c + 1;
        if (s0 == s1) continue;
        if (eq < s1) {
            if (trim_right(t, s0, eq) - s0 == 3 && !memcmp(t + s0, "out", 3)) {
                pa = skip_blank(t, eq + 1, s1), pb = s1, kw = true;
                break;
            }
        } else if (++npos == nin + 1 && nin > 0) {
            pa = s0, pb = s1;
        }
    }
    if (!kw && (nin <= 0 || npos != nin + 1)) return false;
    for (;;) { /* out=(x,), out=(x) */
        size_t ia = pa + 1, ib = pb - 1, last = ib > ia ? trim_right(t, ia, ib) : ia;
        if (pb - pa < 3 || t[pa] != '(' || t[pb - 1] != ')' || scan_top(t, pa + 1, pb - 1, is_char, &(char){')'}) != pb - 1)
            break; /* (the '(' must close at the end: (a) + (b) is not one group) */
        size_t comma = scan_top(t, ia, ib, is_char, &(char){','});
        if (comma < ib && (comma + 1 != last || t[last - 1] != ',')) break; /* (a, b): a tuple of two, refused later */
        pa = trim_left(t, ia, comma < ib ? comma : ib), pb = trim_right(t, pa, comma < ib ? comma : ib);
    }
    if (pb - pa == 4 && !memcmp(t + pa, "None", 4)) return false; /* out=None: NumPy's own value */
    *oa = pa, *ob = pb;
    return true;
}

/* A call with out=, t[a, b), out= at [oa, ob): written into a name as NAME op= is (S_AUG of op
 * FE_AUG_OUT), or into a subscript of one as NAME[...] = is; false after reporting. */
static bool out_stmt(prog *pg, stmt *st, size_t a, size_t b, size_t oa, size_t ob) {
    const char *t = pg->text;
    st->out = true;
    st->oa = oa, st->olen = ob - oa;
    if (is_ident(t, oa, ob) && ob - oa < sizeof st->names[0]) {
        st->kind = S_AUG;
        st->op = FE_AUG_OUT;
        if (!parse_targets(pg, st, oa, ob, false)) return false;
        st->x = a, st->xlen = b - a;
        return true;
    }
    if (subscript_target(pg, st, oa, ob)) return setitem_value(pg, st, a, b, "expected a call");
    return report(pg, oa, "out= takes an array's name, or a subscript of one (out=x, out=x[1:]): kiln writes the value there"), false;
}

/* One simple statement t[a, b) (trimmed) into st; false after reporting. */
static bool parse_simple_at(prog *pg, stmt *st, size_t a, size_t b) {
    const char *t = pg->text;
    st->start = a;
    st->end = b;
    st->x = a;
    st->xlen = b - a;
    if (t[a] == ':') {
        st->kind = S_CMD;
        return true;
    }
    if (word_at(t, a, b, "pass") && trim_left(t, a + 4, b) == b) return st->kind = S_PASS, true;
    if (word_at(t, a, b, "break") && trim_left(t, a + 5, b) == b) return st->kind = S_BREAK, true;
    if (word_at(t, a, b, "continue") && trim_left(t, a + 8, b) == b) return st->kind = S_CONTINUE, true;
    if (word_at(t, a, b, "import") && word_at(t, trim_left(t, a + 6, b), b, "numpy")) { /* import numpy [as NAME] */
        size_t w = trim_left(t, trim_left(t, a + 6, b) + 5, b), n = w < b && word_at(t, w, b, "as") ? trim_left(t, w + 2, b) : b;
        if (w == b) return st->kind = S_PASS, true;
        if (n < b && is_ident(t, n, b) && b - n < 32) {
            st->kind = S_IMPORT;
            memcpy(st->names[0], t + n, b - n);
            st->names[0][b - n] = 0;
            if (pg->n_np_alias < FE_NUMPY_ALIASES) memcpy(pg->np_alias[pg->n_np_alias++], st->names[0], b - n + 1); /* (b - n < 32) */
            return true;
        }
        return report(pg, n < b ? n : w, n < b ? "expected a name (of at most 31 characters) after 'as'" : "expected 'as NAME' after 'import numpy'"), false;
    }
    if (word_at(t, a, b, "from") && strstr_in(t, a, b, "numpy")) { /* from numpy import ...: kiln's names are NumPy's already */
        size_t w = trim_left(t, a + 4, b), e = w; /* from numpy[.linalg] import linalg as LA: LA is numpy's name */
        while (e < b && !strchr(" \t", t[e])) e++;
        size_t imp = trim_left(t, e, b), what = imp + 6 <= b && word_at(t, imp, b, "import") ? trim_left(t, imp + 6, b) : b;
        if (what < b && t[what] == '(' && t[b - 1] == ')') what = trim_left(t, what + 1, b), b = trim_right(t, what, b - 1); /* import (linalg as LA) */
        bool linalg_as = e - w == 5 && !memcmp(t + w, "numpy", 5) && what + 6 <= b && word_at(t, what, b, "linalg"); /* (np.linalg's names are kiln's too) */
        size_t as = what;
        while (as + 4 <= b && !(strchr(" \t", t[as]) && word_at(t, trim_left(t, as, b), b, "as"))) as++;
        if (as + 4 > b && (e - w != 5 || memcmp(t + w, "numpy", 5))) return st->kind = S_PASS, true;
        if (as + 4 > b) { /* from numpy import *, or names (st->x: their text), bound to NumPy's at each run */
            st->kind = S_IMPORT;
            st->op = 2;
            st->x = what, st->xlen = b - what;
            return true;
        }
        size_t n = trim_left(t, trim_left(t, as, b) + 2, b), ne = n;
        while (ne < b && (isalnum((unsigned char)t[ne]) || t[ne] == '_')) ne++;
        if (!linalg_as || ne != b || n == b || ne - n >= 32 || memchr(t + what, ',', b - what))
            return report(pg, n < b ? n : as, "from numpy import NAME as ALIAS binds no ALIAS in kiln (but 'from numpy import linalg as LA'): "
                                              "kiln's names are NumPy's, so call NAME or np.NAME"), false;
        st->kind = S_IMPORT; /* (LA.norm: np.linalg's norm) */
        st->op = 1;
        memcpy(st->names[0], t + n, ne - n);
        st->names[0][ne - n] = 0;
        return true;
    }
    if (word_at(t, a, b, "import") && strstr_in(t, a, b, "numpy"))
        return st->kind = S_PASS, true; /* import numpy.linalg...: kiln's names are NumPy's already */
    if (word_at(t, a, b, "import") && word_at(t, trim_left(t, a + 6, b), b, "math") && trim_left(t, a + 6, b) + 4 == b)
        return st->kind = S_PASS, true; /* import math: math.NAME is NumPy's NAME (floor, ceil, trunc: Python ints) */
    if (word_at(t, a, b, "del") && subscript_target(pg, st, a + 3, b) && st->groups == 1 && !st->attrs)
        return st->kind = S_DELITEM, true; /* del xs[i], del xs[a:b] */
    if (word_at(t, a, b, "del")) {
        st->kind = S_DEL;
        return parse_targets(pg, st, a + 3, b, false);
    }
    if (word_at(t, a, b, "assert")) { /* assert cond[, message] */
        char comma = ',';
        size_t ca = trim_left(t, a + 6, b), cm = scan_top(t, ca, b, is_char, &comma);
        st->kind = S_ASSERT;
        st->x = ca, st->xlen = trim_right(t, ca, cm) - ca;
        st->oa = cm < b ? trim_left(t, cm + 1, b) : b, st->olen = b - st->oa;
        if (!st->xlen) return report(pg, ca, "assert needs a condition: assert cond, message"), false;
        if (cm < b && !st->olen) return report(pg, cm, "expected a message after ','"), false;
        return true;
    }
    static const char *const kw[] = {"def", "class", "import", "from", "return", "lambda", "try", "with", "global", "nonlocal", "raise", "async",
                                     "await", "except", "finally", NULL};
    for (int k = 0; kw[k]; k++)
        if (word_at(t, a, b, kw[k])) return report(pg, a, "this is Python, but not part of kiln's language (:help lists what is)"), false;
    if ((word_at(t, a, b, "match") || word_at(t, a, b, "case")) && b > a && t[b - 1] == ':') /* (soft keywords: match = 5 is a name's) */
        return report(pg, a, "match statements are Python, but not part of kiln's language: write if/elif"), false;
    size_t after = trim_left(t, name_end(t, a, b), b);
    if (after > a && after < b && t[after] == ':' && (after + 1 == b || t[after + 1] != '='))
        return report(pg, after, "annotations (x: int = v) are not part of kiln's language: write x = v"), false;
    if (call_stmt(t, a, b, "print", &st->x, &st->xlen)) return st->kind = S_PRINT, true;
    if (call_stmt(t, a, b, "exit", &st->x, &st->xlen) || call_stmt(t, a, b, "quit", &st->x, &st->xlen)) return st->kind = S_EXIT, true;
    if (call_stmt(t, a, b, "help", &st->x, &st->xlen)) return st->kind = S_HELP, true;
    size_t q = past_numpy(pg, t, a, b); /* (after np. or another name of numpy) */
    for (int k = 0; fe_in_place[k]; k++) { /* np.add.at(NAME, indices, b), np.fill_diagonal(NAME, v)...: NAME changed in place */
        {
            if (!call_stmt(t, q, b, fe_in_place[k], &st->x, &st->xlen)) continue;
            char comma = ',', msg[160];
            size_t na = trim_left(t, st->x + 1, b - 1), nb = trim_right(t, na, scan_top(t, na, b - 1, is_char, &comma));
            snprintf(msg, sizeof msg, "np.%s() takes the name of an array first (it changes it in place)", fe_in_place[k]);
            if (!is_ident(t, na, nb) || nb - na >= sizeof st->names[0]) return report(pg, na, msg), false;
            memcpy(st->names[0], t + na, nb - na);
            st->names[0][nb - na] = 0;
            snprintf(st->method, sizeof st->method, "%s", fe_in_place[k]);
            st->x = a, st->xlen = b - a; /* (the whole call: the frontend gives the array's new value) */
            return st->kind = S_METHOD, true;
        }
    }
    static const char *const in_place[] = {"append", "extend", "insert", "pop", "remove", "clear", "reverse", "sort", "partition", "fill", NULL};
    if (call_stmt(t, q, b, "random.shuffle", &st->x, &st->xlen) || (q == a && call_stmt(t, a, b, "shuffle", &st->x, &st->xlen))) /* its argument, a name */
        return shuffle_stmt(pg, st, t, b);
    size_t ne = a;
    ne = name_end(t, ne, b);
    bool module = q > a || word_at(t, a, ne, "math"); /* np.sort(x) is a value */
    if (!module && is_ident(t, a, ne) && ne - a < sizeof st->names[1] && ne < b && t[ne] == '.' &&
        call_stmt(t, ne + 1, b, "shuffle", &st->x, &st->xlen)) { /* rng.shuffle(NAME): a Generator's (names[1]) */
        memcpy(st->names[1], t + a, ne - a);
        st->names[1][ne - a] = 0;
        return shuffle_stmt(pg, st, t, b);
    }
    for (int k = 0; !module && in_place[k] && is_ident(t, a, ne) && ne - a < sizeof st->names[0] && ne < b && t[ne] == '.'; k++)
        if (call_stmt(t, ne + 1, b, in_place[k], &st->x, &st->xlen)) {
            memcpy(st->names[0], t + a, ne - a);
            st->names[0][ne - a] = 0;
            snprintf(st->method, sizeof st->method, "%s", in_place[k]);
            return st->kind = S_METHOD, true;
        }
    if (call_stmt(t, q, b, "save", &st->x, &st->xlen)) return st->kind = S_SAVE, true;
    if ((q == a && call_stmt(t, a, b, "seed", &st->x, &st->xlen)) || (q > a && call_stmt(t, q, b, "random.seed", &st->x, &st->xlen)))
        return st->kind = S_SEED, true;
    if (pop_stmt(st, t, a, b)) return st->kind = S_METHOD, true;
    /* an assignment: targets '=' ... '=' value, or NAME augop value */
    size_t eq = scan_top(t, a, b, is_assign, NULL), oa, ob;
    if (eq == b && out_argument(t, a, b, &oa, &ob)) return (st->show = true), out_stmt(pg, st, a, b, oa, ob); /* np.add(a, b, out=c) */
    if (eq == b) {
        st->kind = S_EXPR;
        return true;
    }
    size_t va = trim_left(t, eq + 1, b), ta = a, tb = trim_right(t, a, eq);
    if (eq > a && t[eq - 1] != '!' && t[eq - 1] != '<' && t[eq - 1] != '>' && scan_top(t, va, b, is_assign, NULL) == b && out_argument(t, va, b, &oa, &ob)) {
        if (tb - ta == ob - oa && !memcmp(t + ta, t + oa, tb - ta)) return out_stmt(pg, st, va, b, oa, ob); /* c = np.add(a, b, out=c) */
        return report(pg, a, "a call with out= writes into out, which kiln does in a statement of its own: np.add(a, b, out=c), "
                             "or c = np.add(a, b, out=c) (then y = c)"), false;
    }
    static const struct {
        const char *sym;
        kiln_op op;
    } augs[] = {{"**", KILN_OP_POW}, {"//", KILN_OP_FLOORDIV}, {"+", KILN_OP_ADD}, {"-", KILN_OP_SUB}, {"*", KILN_OP_MUL},
                {"/", KILN_OP_DIV},  {"%", KILN_OP_MOD},       {"@", KILN_OP_MATMUL}, {"&", KILN_OP_AND}, {"|", KILN_OP_OR},
                {"^", KILN_OP_XOR},  {"<<", KILN_OP_LSHIFT}, {">>", KILN_OP_RSHIFT}};
    for (size_t k = 0; k < sizeof augs / sizeof *augs; k++) {
        size_t n = strlen(augs[k].sym);
        if (eq - a >= n && !memcmp(t + eq - n, augs[k].sym, n)) {
            size_t te = trim_right(t, a, eq - n);
            if (te > a && (t[te - 1] == '*' || t[te - 1] == '/' || (n == 1 && (t[te - 1] == '<' || t[te - 1] == '>')))) break;
            st->op = augs[k].op;
            if (subscript_target(pg, st, a, eq - n)) {
                st->aug = true;
                return setitem_value(pg, st, eq + 1, b, "expected a value after the operator");
            }
            st->kind = S_AUG;
            if (!parse_targets(pg, st, a, eq - n, false)) return false;
            if (st->nnames != 1 || st->seq[0] || st->group[0]) return report(pg, a, "an augmented assignment has one target"), false;
            st->x = trim_left(t, eq + 1, b);
            st->xlen = b - st->x;
            if (!st->xlen) return report(pg, eq, "expected a value after the operator"), false;
            return true;
        }
    }
    if (scan_top(t, eq + 1, b, is_assign, NULL) == b && subscript_target(pg, st, a, eq))
        return setitem_value(pg, st, eq + 1, b, "expected a value after '='");
    st->kind = S_ASSIGN;
    size_t from = a;
    for (;;) {
        if (!parse_targets(pg, st, from, eq, true)) return false;
        from = eq + 1;
        size_t next = scan_top(t, from, b, is_assign, NULL);
        if (next == b) break;
        eq = next;
    }
    st->x = trim_left(t, from, b);
    st->xlen = b - st->x;
    if (!st->xlen) return report(pg, from, "expected a value after '='"), false;
    return true;
}

/* Simple statements separated by ';' in t[a, b), appended to the suite. */
static bool parse_simples(prog *pg, size_t a, size_t b, stmt **v, int *n) {
    const char *t = pg->text;
    while (a < b) {
        char semi = ';';
        size_t e = scan_top(t, a, b, is_char, &semi);
        size_t sa = trim_left(t, a, e), sb = trim_right(t, sa, strip_comment(t, sa, e));
        if (sb > sa) {
            stmt *st = push_stmt(v, n);
            if (!st) return report(pg, sa, "out of memory"), false;
            if (!parse_simple_at(pg, st, sa, sb)) return false;
        } else if (e < b) { /* "x = 1; ; y = 2", "; x": Python's error (a ';' at the end is fine) */
            return report(pg, e, "invalid syntax: a statement is missing before ';'"), false;
        }
        a = e + 1;
    }
    return true;
}

static bool parse_suite(prog *pg, line *ln, int nl, int *li, int indent, stmt **v, int *n, int depth);

/* Blocks nested deeper than this are refused (Python's limit too), not a stack overflow. */
#define MAX_BLOCK_DEPTH 100

/* The ':' ending a compound header in t[a, b), or b. */
static size_t header_colon(const char *t, size_t a, size_t b) {
    char colon = ':';
    return scan_top(t, a, b, is_char, &colon);
}

/* A compound statement on line *li (header keyword kw of length kl), its suite after it. */
static bool parse_compound(prog *pg, line *ln, int nl, int *li, stmt_kind kind, size_t kl, stmt *st, int depth) {
    const char *t = pg->text;
    line L = ln[*li];
    size_t colon = header_colon(t, L.start, L.end);
    st->kind = kind;
    st->start = L.start;
    st->end = L.end;
    if (colon == L.end) return report(pg, L.end, "expected ':' at the end of this line"), false;
    size_t ha = trim_left(t, L.start + kl, colon), hb = trim_right(t, ha, colon);
    if (kind == S_FOR) { /* the target list runs to the first top-level "in" */
        size_t in = ha;
        while (in < hb && !(word_at(t, in, hb, "in") && in > ha && (t[in - 1] == ' ' || t[in - 1] == '\t' || t[in - 1] == ')')))
            in++;
        if (in >= hb) return report(pg, ha, "expected 'in': for i in range(n):"), false;
        if (!parse_targets(pg, st, ha, in, false)) return false;
        bool one = st->seq[0] && st->nnames == 1; /* (a loop's items are flattened, not matched to the targets' shape) */
        for (int k = 0; k < st->nnames; k++) one |= st->group[k] == 1;
        if (one) return report(pg, ha, "a target of one name in brackets or with a comma, as in for (u,) in ..., is not supported in a for loop: write u, = item in its body"), false;
        ha = trim_left(t, in + 2, hb);
        if (ha == hb) return report(pg, in + 2, "expected what to loop over after 'in'"), false;
    } else if (kind != S_PASS && ha == hb) { /* else: has no expression */
        return report(pg, colon, "expected a condition before ':'"), false;
    }
    st->x = ha;
    st->xlen = hb - ha;
    size_t rest = trim_left(t, colon + 1, L.end);
    (*li)++;
    if (rest < L.end) return parse_simples(pg, rest, L.end, &st->body, &st->nbody);
    if (*li >= nl || ln[*li].indent <= L.indent) return report(pg, L.end, "expected an indented block after this line"), false;
    if (depth >= MAX_BLOCK_DEPTH) return report(pg, L.start, "too many nested blocks (more than 100)"), false;
    return parse_suite(pg, ln, nl, li, ln[*li].indent, &st->body, &st->nbody, depth + 1);
}

/* suite: the statements of lines at exactly `indent`, from *li on. */
static bool parse_suite(prog *pg, line *ln, int nl, int *li, int indent, stmt **v, int *n, int depth) {
    const char *t = pg->text;
    stmt *open_if = NULL; /* the if statement or loop an elif or else continues (index kept: v moves) */
    int open_if_at = -1;
    while (*li < nl) {
        line L = ln[*li];
        if (L.indent < indent) return true;
        if (L.indent > indent) return report(pg, L.start, "unexpected indent"), false;
        bool is_elif = word_at(t, L.start, L.end, "elif"), is_else = word_at(t, L.start, L.end, "else");
        if (is_elif || is_else) {
            if (open_if_at < 0) return report(pg, L.start, is_elif ? "'elif' without an 'if'" : "'else' without an 'if' or a loop"), false;
            open_if = &(*v)[open_if_at];
            if (is_elif && open_if->kind != S_IF) return report(pg, L.start, "'elif' after a loop: a loop takes 'else' only"), false;
            while (open_if->kind == S_IF && open_if->nelse == 1 && open_if->orelse[0].kind == S_IF && open_if->orelse[0].start > open_if->start &&
                   open_if->orelse[0].xlen && open_if->orelse[0].body)
                open_if = &open_if->orelse[0]; /* the last elif of the chain */
            if (open_if->nelse && open_if->orelse[0].kind != S_IF) return report(pg, L.start, "'else' after 'else'"), false;
            if (open_if->nelse) open_if = &open_if->orelse[0];
            if (is_elif) {
                stmt *el = push_stmt(&open_if->orelse, &open_if->nelse);
                if (!el || !parse_compound(pg, ln, nl, li, S_IF, 4, el, depth)) return false;
            } else {
                size_t colon = header_colon(t, L.start, L.end);
                if (trim_left(t, L.start + 4, colon) != colon) return report(pg, L.start + 4, "expected ':' after 'else'"), false;
                stmt tmp = {0};
                if (!parse_compound(pg, ln, nl, li, S_PASS, 4, &tmp, depth)) {
                    stmts_free(pg->s, tmp.body, tmp.nbody);
                    return false;
                }
                open_if->orelse = tmp.body;
                open_if->nelse = tmp.nbody;
                open_if_at = -1;
            }
            continue;
        }
        stmt_kind k = S_EXPR;
        size_t kl = 0;
        if (word_at(t, L.start, L.end, "for")) k = S_FOR, kl = 3;
        else if (word_at(t, L.start, L.end, "while")) k = S_WHILE, kl = 5;
        else if (word_at(t, L.start, L.end, "if")) k = S_IF, kl = 2;
        if (kl) {
            stmt *st = push_stmt(v, n);
            if (!st || !parse_compound(pg, ln, nl, li, k, kl, st, depth)) return false;
            open_if_at = *n - 1; /* (an if, a for or a while: each takes an else) */
            continue;
        }
        open_if_at = -1;
        if (!parse_simples(pg, L.start, L.end, v, n)) return false;
        (*li)++;
    }
    return true;
}

/* ------------------------------------------------------------------ values */

/* The warning parsing st's text (from off) recorded in env, printed the first time only. */
static void warn_once(prog *pg, stmt *st, const fe_env *env, size_t off) {
    if (!env->warning[0] || (st && st->warned)) return;
    note(pg->s, pg->text, pg->len, off + env->warning_off, "warning", env->warning);
    if (st) st->warned = true;
}

/* Builds st's value from text (or reuses the one it kept); false after reporting. */
static int build(prog *pg, stmt *st, bool tuple) {
    session *s = pg->s;
    if (st->built && st->cached && fe_deps_valid(s->ctx, &st->deps, s->scope)) return RUN_OK;
    stmt_clear_cache(s, st);
    uint64_t t0 = s->timing ? kiln_now_ns() : 0; /* (only for :time: a loop's statements pay no clock) */
    fe_env env = {.scope = s->scope, .params = true, .out_ok = st->out};
    kiln_clear_error(s->ctx);
    kiln_status rc = st->kind == S_AUG
                         ? fe_parse_augmented(s->ctx, &env, st->names[0], st->op, pg->text + st->x, st->xlen, &st->value)
                         : fe_parse(s->ctx, &env, pg->text + st->x, st->xlen, tuple, &st->value);
    if (s->timing) s->ns_build += kiln_now_ns() - t0;
    st->deps = env.deps;
    st->extends = env.extends;
    if (rc != KILN_OK) {
        fe_deps_unbind(s->ctx, &st->deps);
        fe_deps_free(s->ctx, &st->deps);
        return report_kiln(pg, st->x);
    }
    st->built = true;
    st->cached = !env.volatile_;
    warn_once(pg, st, &env, st->x);
    return RUN_OK;
}

/* An assignment's bindings remember what its value was computed from (grad()'s warning): st's
 * sources (pg->src).  An update, x OP= v or x = f(x, ...) (x read outside grad()), leaves out
 * what only its gradients read: w = w - lr * grad(loss(w, b), w) is w's new value, not made from b. */
static void sources_begin(prog *pg, stmt *st) {
    bool update = st->kind == S_AUG;
    for (int i = 0; st->kind == S_ASSIGN && st->nnames == 1 && !st->item_len[0] && i < st->deps.n; i++)
        update |= st->deps.d[i].outside_grad && !strcmp(st->deps.d[i].name, st->names[0]);
    pg->nsrc = fe_scope_sources(pg->s->scope, &st->deps, &pg->src, update);
}
static void sources_end(prog *pg) {
    kiln_free(pg->s->ctx, pg->src);
    pg->src = NULL;
    pg->nsrc = 0;
}

/* After st ran: its placeholders let go of the arrays; a value that depends on more than its
 * names is not kept. */
static void release(prog *pg, stmt *st) {
    fe_deps_unbind(pg->s->ctx, &st->deps);
    if (!st->cached) stmt_clear_cache(pg->s, st);
}

/* The array under a chain of views and reshapes e (x.reshape(2, 3).T[1]: each node's only
 * argument the next), its nodes from e down into chain[0 .. *depth); NULL when e is not such a
 * chain over a name's or a binding's array. */
#define VIEW_CHAIN 64
static kiln_array *view_chain(const kiln_expr *e, const kiln_expr **chain, int *depth) {
    *depth = 0;
    while ((e->op == KILN_OP_VIEW || e->op == KILN_OP_RESHAPE) && *depth < VIEW_CHAIN) {
        chain[(*depth)++] = e;
        e = ir_arg(e, 0);
    }
    if (*depth == 0 || !op_is_array_leaf(e->op) || !e->leaf) return NULL;
    return e->op == KILN_OP_VAR ? kiln_expr_array(e) : e->leaf;
}

/* An array whose only owner is the caller's handle, owning its buffer: safe to write into (a
 * read-only one is not reused: its flag would come with it). */
static bool exclusive(const kiln_array *a) { return atomic_load(&a->refs) == 1 && a->buf && !a->base && !a->map && !a->readonly; }

/* a, a copy just made of v's values (NumPy's copy of a read-only view is writable, but kiln's
 * stands for the view itself): read-only where v is. */
static void keep_readonly(const kval *v, kiln_array *a) {
    if (a && v->kind == KV_ARRAY && v->readonly && !fe_is_py(v)) a->readonly = true;
}

/* A write refused: its array is a read-only view (NumPy's words, then kiln's). */
static int read_only(prog *pg, size_t at) {
    return report(pg, at, "assignment destination is read-only (a read-only view, as NumPy's diagonal, broadcast_to and broadcast_arrays "
                          "give: its .copy() can be written)");
}

/* The array a value stands for (a new reference; *py when it is a Python number): the array
 * of a name as it is, a number as a 0-d array, anything else evaluated (into st's spare
 * buffer when it has one that fits).  NULL with an error on the context. */
static kiln_array *value_array(prog *pg, stmt *st, const kval *v, bool *py);
static kiln_array *materialize(prog *pg, stmt *st, const kval *v, bool *py) {
    kiln_array *a = value_array(pg, st, v, py);
    if (!a || v->kind != KV_ARRAY || !v->readonly || *py) return a;
    const kiln_expr *e = v->e; /* NumPy's read-only view: an array marked so, never a name's own (a view of all of it) */
    if ((e->op == KILN_OP_VAR && kiln_expr_array(e) == a) || (e->op == KILN_OP_PARAM && e->leaf == a)) {
        kiln_array *w = kiln_array_view(pg->s->ctx, a, a->ndim, a->shape, a->strides, 0);
        kiln_array_free(a);
        if (!(a = w)) return NULL;
    }
    a->readonly = true;
    return a;
}

static kiln_array *value_array(prog *pg, stmt *st, const kval *v, bool *py) {
    kiln_ctx *ctx = pg->s->ctx;
    *py = false;
    if (v->kind == KV_LIST || v->kind == KV_TUPLE) { /* np.array of it */
        kval list = *v;
        list.kind = KV_LIST;
        kiln_expr *e = fe_as_expr(ctx, &list, "the value");
        kval tmp = {.kind = KV_ARRAY, .e = e};
        kiln_array *a = e ? value_array(pg, NULL, &tmp, py) : NULL;
        kiln_expr_free(e);
        return a;
    }
    if (v->kind != KV_ARRAY) {
        kiln_fail(ctx, KILN_ERR_ARG, "this is not an array or a number");
        return NULL;
    }
    kiln_expr *e = v->e;
    if (fe_is_py(v)) {
        *py = true;
        kiln_array *a = kiln_array_new(ctx, (kiln_dtype)e->dtype, 0, NULL);
        if (a) ref_store(a->data, (kiln_dtype)e->dtype, e->val);
        return a;
    }
    if (e->op == KILN_OP_VAR) return kiln_array_retain(kiln_expr_array(e));
    if (e->op == KILN_OP_PARAM && e->leaf) return kiln_array_retain((kiln_array *)e->leaf);
    int depth = 0;
    const kiln_expr *chain[VIEW_CHAIN];
    kiln_array *src = view_chain(e, chain, &depth), *computed = NULL;
    if (!src && depth > 0 && v->readonly && st && st->kind == S_ASSIGN && ir_size(e) > ir_size(ir_arg(chain[depth - 1], 0))) {
        /* a name bound to views that broadcast what an expression computes (y =
         * broadcast_to(ones(1) * 2, (10**6, 10**6))): the expression computed, the views of it,
         * as NumPy's read-only view (not where the value is written into a target: out=, x[...] =) */
        src = computed = kiln_eval(ctx, ir_arg(chain[depth - 1], 0));
        if (!src) return NULL;
    }
    if (src) {
        /* x[::2], x.T, x.reshape(...), x.reshape(2, 3).T[1] of a name or an array: a view of its
         * array, as NumPy's, each step's strides from the one below (a reshape the memory
         * cannot take is a copy, as NumPy's) */
        int nd = src->ndim;
        int64_t off = 0, shape[KILN_MAX_DIMS], strides[KILN_MAX_DIMS], next[KILN_MAX_DIMS];
        memcpy(shape, src->shape, (size_t)nd * sizeof *shape);
        memcpy(strides, src->strides, (size_t)nd * sizeof *strides);
        bool ok = true;
        for (int k = depth - 1; k >= 0 && ok; k--) {
            const kiln_expr *n = chain[k];
            if (n->op == KILN_OP_VIEW) {
                ir_viewmap m;
                int64_t o = 0;
                ir_view_of(n, &m);
                ir_view_memory(&m, shape, strides, &o, next);
                off += o;
            } else {
                ok = ir_reshape_strides(nd, shape, strides, n->ndim, n->shape, next);
            }
            nd = n->ndim;
            memcpy(shape, n->shape, (size_t)nd * sizeof *shape);
            memcpy(strides, next, (size_t)nd * sizeof *strides);
        }
        kiln_array *v = ok ? kiln_array_view(ctx, src, e->ndim, e->shape, strides, off) : NULL;
        kiln_array_free(computed);
        if (ok) return v;
    }
    kiln_array *sp = st ? st->spare : NULL;
    if (sp && exclusive(sp) && sp->dtype == e->dtype && sp->ndim == e->ndim && !memcmp(sp->shape, e->shape, (size_t)e->ndim * sizeof *e->shape)) {
        if (kiln_eval_into(ctx, e, sp) != KILN_OK) return NULL;
        st->spare = NULL;
        return sp;
    }
    return kiln_eval(ctx, e);
}

/* The array node under v's chain of views (v's own node when there is none). */
static const kiln_expr *under_views(const kval *v) {
    const kiln_expr *e = v->e, *chain[VIEW_CHAIN];
    int depth;
    return view_chain(e, chain, &depth) ? ir_arg(chain[depth - 1], 0) : e;
}

/* Whether materialize gives v's value as memory of an array something besides v's graph holds
 * (a name, a binding): v is such an array, or a view of one.  A constructor's new array is
 * held by its graph node alone. */
static bool shares_memory(const kval *v) {
    const kiln_expr *e = under_views(v);
    if (e->op == KILN_OP_VAR) return atomic_load(&kiln_expr_array(e)->refs) > 1;
    return e->op == KILN_OP_PARAM && e->leaf; /* a placeholder: bound to a name's array */
}

/* Whether a, materialize's array for v, is the memory of the array under v's views (itself, or a
 * view of it) rather than a copy (a reshape that memory cannot take, as np.tile's). */
static bool memory_of(const kiln_array *a, const kval *v) {
    const kiln_expr *e = under_views(v);
    const kiln_array *m = e->op == KILN_OP_VAR ? kiln_expr_array(e) : e->leaf;
    while (a->base) a = a->base;
    while (m && m->base) m = m->base;
    return a == m;
}

/* The arrays a graph made itself (its constructors': zeros(3), arange(n)) that binding a value
 * would give names, each once (a list's repeated item, views of one array), and the copy each
 * takes (own_copies). */
#define OWN_MAX 64
typedef struct owned {
    int n;
    const kiln_expr *leaf[OWN_MAX];
    kiln_expr *copy[OWN_MAX];
} owned;

/* The array of v itself (not its items) that is one: v's VAR, or the one under its views; NULL
 * for anything else (a name's array that v aliases, a Python number, an expression). */
static const kiln_expr *own_leaf(const kval *v) {
    if (v->kind != KV_ARRAY || fe_is_py(v) || v->alias) return NULL;
    const kiln_expr *e = under_views(v);
    return e->op == KILN_OP_VAR ? e : NULL;
}
/* Where leaf is among o's, or o->n. */
static int owned_at(const owned *o, const kiln_expr *leaf) {
    int k = 0;
    while (k < o->n && o->leaf[k] != leaf) k++;
    return k;
}

/* Their bytes in v: v's own, or the one under its views, and those of a tuple's or a list's
 * items, each array once; INT64_MAX where one is not in C order (a copy would not keep its
 * layout) or there are more than OWN_MAX of them. */
static int64_t own_bytes_in(const kval *v, owned *o) {
    int64_t n = 0;
    for (int i = 0; (v->kind == KV_LIST || v->kind == KV_TUPLE) && i < v->n; i++) {
        int64_t b = own_bytes_in(&v->items[i], o);
        n = b > INT64_MAX - n ? INT64_MAX : n + b;
    }
    const kiln_expr *e = own_leaf(v);
    if (!e || owned_at(o, e) < o->n) return n; /* (none, or counted) */
    if (o->n == OWN_MAX) return INT64_MAX;
    o->leaf[o->n++] = e;
    const kiln_array *a = kiln_expr_array(e);
    int64_t b = kiln_array_size(a) * (int64_t)kiln_dtype_size(kiln_array_dtype(a));
    return !rt_array_c_contiguous(a) || b > INT64_MAX - n ? INT64_MAX : n + b;
}
static int64_t own_bytes(const kval *v) {
    owned o = {0};
    return own_bytes_in(v, &o);
}

/* Row i of a: a view of it, as NumPy's; of a 1-D array, the element copied (NumPy's scalar: an
 * update of the name does not reach the array, nor the array's the name) */
static kiln_array *row_of(kiln_ctx *ctx, kiln_array *a, int64_t i) {
    if (a->ndim > 1) return kiln_array_view(ctx, a, a->ndim - 1, a->shape + 1, a->strides + 1, i * a->strides[0]);
    kiln_array *r = kiln_array_new(ctx, (kiln_dtype)a->dtype, 0, NULL);
    if (r) memcpy(r->data, (const char *)kiln_array_data(a) + i * a->strides[0], kiln_dtype_size((kiln_dtype)a->dtype));
    return r;
}

/* Binds name to a; the array name had before becomes st's spare buffer when nothing else holds
 * it (the next run evaluates into it: no fresh pages). */
static kiln_status bind_name(prog *pg, stmt *st, const char *name, kiln_array *a, bool py) {
    session *s = pg->s;
    kiln_array *old = kiln_scope_get(s->scope, name);
    if (old) kiln_array_retain(old);
    kiln_status rc = fe_scope_set(s->scope, name, a, py);
    if (rc == KILN_OK) fe_scope_derive(s->scope, name, pg->src, pg->nsrc, false);
    if (old && rc == KILN_OK && st && !py && old != a && exclusive(old) && old->ndim > 0) {
        kiln_array_free(st->spare);
        st->spare = old;
    } else {
        kiln_array_free(old);
    }
    return rc;
}

/* ------------------------------------------------------------------ printing values */

/* Python's repr (or, with str, its str) of v into b; *err set when evaluating failed. */
static void repr_value(session *s, const kval *v, kstr *b, bool str, int *err) {
    if (!fe_text(s->ctx, fe_scope_printopts(s->scope), v, str, b)) *err = 1;
}

static void print_out(const char *text) {
    fputs(text, stdout);
    fflush(stdout);
}

/* ------------------------------------------------------------------ running */

static int exec_block(prog *pg, stmt *v, int n);

/* A call's arguments, parsed now (print, save, seed, range: nothing to keep). */
typedef struct callargs {
    kval pos[FE_MAX_ARGS];
    fe_kwarg kw[FE_MAX_ARGS];
    int npos, nkw;
} callargs;
static int parse_call(prog *pg, stmt *st, size_t x, size_t xlen, callargs *c) {
    fe_env env = {.scope = pg->s->scope};
    kiln_clear_error(pg->s->ctx);
    if (fe_parse_args(pg->s->ctx, &env, pg->text + x, xlen, c->pos, &c->npos, c->kw, &c->nkw) != KILN_OK) return report_kiln(pg, x);
    warn_once(pg, st, &env, x);
    return RUN_OK;
}
static void callargs_free(session *s, callargs *c) {
    for (int i = 0; i < c->npos; i++) kval_free(s->ctx, &c->pos[i]);
    for (int i = 0; i < c->nkw; i++) kval_free(s->ctx, &c->kw[i].v);
}

static int exec_print(prog *pg, stmt *st) {
    callargs c;
    int rc = parse_call(pg, st, st->x, st->xlen, &c);
    if (rc) return rc;
    const char *sep = " ", *end = "\n";
    for (int i = 0; i < c.nkw && rc == RUN_OK; i++) {
        bool is_sep = !strcmp(c.kw[i].name, "sep"), is_end = !strcmp(c.kw[i].name, "end");
        if (!strcmp(c.kw[i].name, "flush")) continue; /* (kiln's output is flushed at each print) */
        if (!is_sep && !is_end) rc = report(pg, st->x + c.kw[i].off, "print() takes sep=, end= and flush= (and values)");
        else if (c.kw[i].v.kind == KV_STR) *(is_sep ? &sep : &end) = c.kw[i].v.s;
        else if (c.kw[i].v.kind != KV_NONE) rc = report(pg, st->x + c.kw[i].v.off, is_sep ? "sep must be None or a string" : "end must be None or a string");
    }
    kstr b = {0};
    int err = 0;
    for (int i = 0; i < c.npos && rc == RUN_OK && !err; i++) {
        if (i) kstr_puts(&b, sep);
        repr_value(pg->s, &c.pos[i], &b, true, &err);
        if (err) rc = report_kiln(pg, st->x + c.pos[i].off);
    }
    if (rc == RUN_OK) {
        kstr_puts(&b, end);
        if (b.s && !pg->s->mute) print_out(b.s);
    }
    kstr_free(&b);
    callargs_free(pg->s, &c);
    return rc;
}

static int exec_save(prog *pg, stmt *st) {
    callargs c;
    int rc = parse_call(pg, st, st->x, st->xlen, &c);
    if (rc) return rc;
    const kval *file = c.npos > 0 ? &c.pos[0] : NULL, *arr = c.npos > 1 ? &c.pos[1] : NULL; /* np.save(file, arr, allow_pickle=True, fix_imports=True) */
    bool usage = c.npos > 4;
    for (int i = 0; i < c.nkw; i++) {
        const char *k = c.kw[i].name;
        if (!strcmp(k, "file") && !file) file = &c.kw[i].v;
        else if (!strcmp(k, "arr") && !arr) arr = &c.kw[i].v;
        else if (strcmp(k, "allow_pickle") && strcmp(k, "fix_imports")) usage = true; /* (kiln's arrays hold no objects to pickle) */
    }
    if (usage || !file || !arr || file->kind != KV_STR) {
        rc = report(pg, st->x, "usage: save(\"file.npy\", expression)");
    } else {
        bool py;
        size_t n = strlen(file->s); /* NumPy's: a name without .npy gets it */
        char *path = malloc(n + 5);
        if (path) snprintf(path, n + 5, "%s%s", file->s, n >= 4 && !strcmp(file->s + n - 4, ".npy") ? "" : ".npy");
        kiln_array *a = path ? materialize(pg, NULL, arr, &py) : NULL;
        if (!path) rc = report(pg, st->x, "out of memory");
        else if (!a) rc = report_kiln(pg, st->x + arr->off);
        else if (kiln_save_npy(pg->s->ctx, path, a) != KILN_OK) rc = report(pg, st->x + file->off, kiln_errmsg(pg->s->ctx));
        kiln_array_free(a);
        free(path);
    }
    callargs_free(pg->s, &c);
    return rc;
}

/* seed(n), seed([n0, n1, ...]) (a list, a tuple or a 1-D array: init_by_array), seed() and
 * seed(None) (the operating system's entropy): np.random.seed's, with its range. */
static int exec_seed(prog *pg, stmt *st) {
    callargs c;
    int rc = parse_call(pg, st, st->x, st->xlen, &c);
    if (rc) return rc;
    uint32_t few[FE_MT_WORDS], *words = few; /* (more: malloc'd; init_by_array takes any number) */
    int n = 0, cap = FE_MT_WORDS;
    bool by_name = c.npos == 0 && c.nkw == 1 && !strcmp(c.kw[0].name, "seed"); /* seed(seed=5) */
    const kval *v = by_name ? &c.kw[0].v : c.npos <= 1 && !c.nkw ? (c.npos ? &c.pos[0] : &(const kval){.kind = KV_NONE}) : NULL;
    const char *bad = !v ? "usage: seed(n), seed([n0, n1, ...]) or seed(None)" : NULL;
    bool list = v && (v->kind == KV_LIST || v->kind == KV_TUPLE || (v->kind == KV_ARRAY && v->e->ndim == 1));
    if (v && v->kind == KV_NONE) { /* fresh entropy, as NumPy's */
        if (!fe_rng_os_entropy(words, FE_MT_WORDS)) bad = "seed(None): the operating system gave no entropy";
        else fe_rng_seed_mt_words(&pg->s->scope->rng, words, FE_MT_WORDS);
    } else if (v) {
        int count = v->kind == KV_ARRAY ? 1 : list ? v->n : 1;
        for (int i = 0; !bad && i < count; i++) {
            const kval *w = v->kind != KV_ARRAY && list ? &v->items[i] : v;
            kiln_expr *ce = w->kind == KV_ARRAY && w->e->ndim <= 1 && (dtype_is_int((kiln_dtype)w->e->dtype) || w->e->dtype == KILN_BOOL)
                                ? kiln_cast(pg->s->ctx, w->e, KILN_I64) : NULL;
            kiln_array *I = ce ? kiln_eval(pg->s->ctx, ce) : NULL; /* (its value now: a number computed, an array) */
            kiln_expr_free(ce);
            if (!I) bad = "seed(): the seed must be an integer, a list of integers or a 1-D integer array";
            for (int64_t k = 0; I && !bad && k < kiln_array_size(I); k++) {
                int64_t x = ((const int64_t *)kiln_array_data(I))[k];
                if (x < 0 || x > 0xffffffffll) bad = "Seed must be between 0 and 2**32 - 1";
                else if (n == cap) {
                    cap *= 2;
                    uint32_t *more = malloc((size_t)cap * sizeof *more);
                    if (!more) bad = "seed(): out of memory";
                    else memcpy(more, words, (size_t)n * sizeof *more);
                    if (words != few) free(words);
                    words = more;
                }
                if (!bad) words[n++] = (uint32_t)x;
            }
            kiln_array_free(I);
        }
        if (!bad && !n) bad = "Seed must be non-empty";
        if (!bad && list) fe_rng_seed_mt_words(&pg->s->scope->rng, words, n);
        else if (!bad) fe_rng_seed_mt(&pg->s->scope->rng, words[0]);
    }
    if (bad) rc = report(pg, v && (c.npos || by_name) ? st->x + v->off : st->x, bad);
    if (words != few) free(words);
    callargs_free(pg->s, &c);
    return rc;
}

/* The integer v stands for: a constant, or a computed 0-d integer array evaluated now (range(n)
 * with n = sum(m), as NumPy's integers are indices); with bools, True and False too (a list's
 * insert and pop take them, as Python's do). */
static bool int_now(kiln_ctx *ctx, const kval *v, int64_t *out, bool bools) {
    kscalar s;
    kiln_dtype dt;
    if (v->kind != KV_ARRAY || v->e->ndim != 0 || !(dtype_is_int((kiln_dtype)v->e->dtype) || (bools && v->e->dtype == KILN_BOOL)) ||
        !fe_scalar_now(ctx, v->e, &s, &dt))
        return false;
    *out = ref_cast(s, dt, KILN_I64).i64;
    return true;
}

/* exit(), exit(n), exit(None), exit("message"), quit(...): Python's sys.exit, the session's status
 * n (a message is printed on stderr, status 1). */
static int exec_exit(prog *pg, stmt *st) {
    callargs c;
    int rc = parse_call(pg, st, st->x, st->xlen, &c);
    if (rc) return rc;
    const kval *v = c.npos == 1 && !c.nkw ? &c.pos[0] : NULL;
    int64_t n = 0;
    if (c.nkw || c.npos > 1) rc = report(pg, st->x, "usage: exit(), exit(n) or exit(\"message\")");
    else if (v && v->kind == KV_STR) {
        fflush(stdout);
        fprintf(stderr, "%s\n", v->s);
        pg->s->exit_status = 1;
    } else if (v && v->kind != KV_NONE) {
        if (!int_now(pg->s->ctx, v, &n, true)) rc = report(pg, st->x + v->off, "exit(): the status must be an integer, None or a message");
        else pg->s->exit_status = (int)(n & 255); /* (what the system keeps of it) */
    } else {
        pg->s->exit_status = 0;
    }
    callargs_free(pg->s, &c);
    return rc ? rc : RUN_QUIT;
}

/* help() and help(NAME) (help(np.sin), help("sin")): :help's text for it. */
static int exec_help(prog *pg, stmt *st) {
    size_t a = trim_left(pg->text, st->x + 1, st->x + st->xlen - 1), b = trim_right(pg->text, a, st->x + st->xlen - 1);
    if (b > a && pg->text[b - 1] == ',') b = trim_right(pg->text, a, b - 1); /* (help(np.sin,)) */
    if (b > a + 1 && (pg->text[a] == '"' || pg->text[a] == '\'') && pg->text[b - 1] == pg->text[a]) a++, b--;
    kstr cmd = {0};
    kstr_printf(&cmd, ":help %.*s", (int)(b - a), pg->text + a);
    int rc = cmd.s ? run_command(pg->s, cmd.s, strlen(cmd.s), 0, strlen(cmd.s)) : report(pg, st->start, "out of memory");
    kstr_free(&cmd);
    return rc;
}

/* The array values in tuple or list v (at any depth) that need computing, up to cap of them. */
static int pending(kval *v, kval **found, int n, int cap) {
    for (int i = 0; i < v->n && n < cap; i++) {
        kval *it = &v->items[i];
        if (it->kind == KV_TUPLE || it->kind == KV_LIST) n = pending(it, found, n, cap);
        else if (it->kind == KV_ARRAY && it->e && !fe_is_py(it) && !op_is_leaf(it->e->op) && kiln_op_kind[it->e->op] != KIND_VIEW)
            found[n++] = it;
    }
    return n;
}

/* The arrays in tuple v computed together, in one plan (a loss and its gradients share their
 * work), each replaced by a leaf of its result; false with an error on the context. */
static bool evaluate_together(prog *pg, kval *v) {
    kiln_ctx *ctx = pg->s->ctx;
    kval *found[64];
    int n = pending(v, found, 0, 64);
    if (n < 2) return true;
    kiln_expr *es[64];
    kiln_array *outs[64];
    int made = 0;
    for (; made < n; made++) {
        kiln_expr *e = found[made]->e;
        es[made] = e;
        if (!(outs[made] = kiln_array_new(ctx, (kiln_dtype)e->dtype, e->ndim, e->shape))) break;
    }
    bool ok = made == n && kiln_eval_many(ctx, n, es, outs) == KILN_OK;
    for (int i = 0; i < made; i++) {
        if (ok) {
            outs[i]->readonly = found[i]->readonly; /* (a new array, NumPy's read-only view's values) */
            kiln_expr *leaf = kiln_var(ctx, outs[i]);
            if (leaf) {
                kiln_expr_free(found[i]->e);
                found[i]->e = leaf;
            } else {
                ok = false;
            }
        }
        kiln_array_free(outs[i]);
    }
    return ok;
}

/* A new array of a's values (NumPy's copy), a's reference given up: st's spare buffer where it
 * has one that fits (st may be NULL); NULL after an error.  A small C-ordered a is copied by
 * memcpy, the rest by the engine (in parallel, any strides). */
static kiln_array *copied(kiln_ctx *ctx, stmt *st, kiln_array *a) {
    kiln_array *c, *sp = st ? st->spare : NULL;
    if (sp && exclusive(sp) && sp->dtype == a->dtype && sp->ndim == a->ndim && !memcmp(sp->shape, a->shape, (size_t)a->ndim * sizeof *a->shape))
        c = sp, st->spare = NULL;
    else if (!(c = kiln_array_new(ctx, (kiln_dtype)a->dtype, a->ndim, a->shape)))
        return kiln_array_free(a), NULL;
    size_t bytes = (size_t)kiln_array_size(a) * kiln_dtype_size((kiln_dtype)a->dtype);
    if (bytes <= KEPT_COPY_BYTES && rt_array_c_contiguous(a)) {
        memcpy(kiln_array_data(c), kiln_array_data(a), bytes);
        kiln_array_free(a);
        return c;
    }
    kiln_expr *ve = kiln_var(ctx, a);
    kiln_status cs = ve ? kiln_eval_into(ctx, ve, c) : KILN_ERR_NOMEM;
    kiln_expr_free(ve);
    kiln_array_free(a);
    if (cs == KILN_OK) return c;
    kiln_array_free(c);
    return NULL;
}

/* For ir_rebuild: the node from (the graph's VAR of an array it made) becomes to. */
typedef struct leaf_swap {
    const kiln_expr *from;
    kiln_expr *to;
} leaf_swap;
static kiln_status swap_leaf(void *ud, kiln_expr *node, kiln_expr *const *args, kiln_expr **out) {
    (void)args;
    const leaf_swap *w = ud;
    if (node == w->from) ir_retain(*out = w->to);
    return KILN_OK;
}

/* v (a kval of its own, changed in place) with every array own_bytes counts replaced by a new
 * copy of it, one copy an array (o: those made, their VARs held until the caller frees them),
 * views of it by the same views of the copy: what the names may take while a kept graph holds
 * the arrays themselves.  False with an error on the context. */
static bool own_copies(prog *pg, stmt *st, kval *v, owned *o) {
    kiln_ctx *ctx = pg->s->ctx;
    for (int i = 0; (v->kind == KV_LIST || v->kind == KV_TUPLE) && i < v->n; i++)
        if (!own_copies(pg, st, &v->items[i], o)) return false;
    const kiln_expr *leaf = own_leaf(v);
    if (!leaf) return true;
    int k = owned_at(o, leaf);
    if (k == o->n) { /* (own_bytes counted at most OWN_MAX) */
        kiln_array *c = copied(ctx, leaf == v->e ? st : NULL, kiln_array_retain(kiln_expr_array(leaf)));
        o->leaf[k] = leaf;
        o->copy[k] = c ? kiln_var(ctx, c) : NULL;
        kiln_array_free(c);
        if (!o->copy[k]) return false;
        o->n++;
    }
    kiln_expr *to = o->copy[k], *e = to;
    if (leaf != v->e) {
        leaf_swap w = {leaf, to};
        if (ir_rebuild(&ctx->graph, &v->e, 1, swap_leaf, &w, &e) != KILN_OK) return false;
    } else {
        kiln_expr_retain(e);
    }
    kiln_expr_free(v->e);
    v->e = e;
    return true;
}

/* Every array in v (a copy: changed in place) evaluated into a VAR of its array: a view of a
 * name's array where NumPy's value is one (alias), else an array of its own (x[0] of a 1-D x is
 * NumPy's scalar). */
static bool freeze_items(prog *pg, kval *out) {
    bool shared = out->kind == KV_ARRAY && !fe_is_py(out) && !out->alias && shares_memory(out); /* (x.copy() and x*1 are x in kiln's graph) */
    if (out->kind == KV_ARRAY && !fe_is_py(out) && (out->e->op != KILN_OP_VAR || shared || out->readonly)) { /* (read-only: materialize's view) */
        bool py;
        kiln_array *a = materialize(pg, NULL, out, &py);
        if (a && (a->base || shared) && !out->alias) a = copied(pg->s->ctx, NULL, a);
        keep_readonly(out, a);
        kiln_expr_free(out->e);
        out->e = a ? kiln_var(pg->s->ctx, a) : NULL;
        kiln_array_free(a);
        if (!out->e) {
            out->kind = KV_NONE;
            return false;
        }
    }
    for (int i = 0; i < out->n; i++)
        if (!freeze_items(pg, &out->items[i])) return false;
    return true;
}

/* v with every array in it evaluated (a VAR of its array), so that it can be kept in the scope
 * after the statement's placeholders are unbound; false with an error on the context.  One
 * copy, then the arrays in place (the first 64 in one plan). */
static bool freeze(prog *pg, const kval *v, kval *out) {
    if (!fe_kval_copy(pg->s->ctx, out, v)) return false;
    if ((out->kind == KV_TUPLE || out->kind == KV_LIST) && !evaluate_together(pg, out)) return false;
    return freeze_items(pg, out);
}

/* One name bound to value v: an array or a Python number evaluated and bound (into st's spare
 * buffer when it has one), anything else (a tuple, a string...) kept as it is. */
static int assign_one(prog *pg, stmt *st, const char *name, const kval *v, size_t off) {
    session *s = pg->s;
    if (v->kind != KV_ARRAY) {
        kval fz = {0};
        bool ok = freeze(pg, v, &fz);
        if (ok && repl_sigint) { /* Ctrl-C while a tuple's values were computed: not bound (as an array's) */
            kval_free(s->ctx, &fz);
            return RUN_INTERRUPTED;
        }
        kiln_status rc = ok ? fe_scope_take_value(s->scope, name, &fz) : kiln_errcode(s->ctx);
        if (rc == KILN_OK) fe_scope_derive(s->scope, name, pg->src, pg->nsrc, false);
        kval_free(s->ctx, &fz);
        if (!ok) return report_kiln(pg, off);
        return rc == KILN_OK ? RUN_OK : report(pg, st->start, "out of memory");
    }
    bool py, shared = !fe_is_py(v) && !v->alias && shares_memory(v); /* (before materialize's reference) */
    kiln_array *a = materialize(pg, st, v, &py);
    if (a && shared && memory_of(a, v)) /* a*1 or copy(a) is a's own array in kiln's graph, and a new one in NumPy:
                                           an in-place update of either name (a += 1) must not reach the other */
        a = copied(s->ctx, st, a);
    if (!a) return report_kiln(pg, off);
    keep_readonly(v, a);
    if (repl_sigint) { /* Ctrl-C while a host routine (a sort, LAPACK) ran to its end: not bound, as Python's */
        kiln_array_free(a);
        return RUN_INTERRUPTED;
    }
    int rc = bind_name(pg, st, name, a, py) == KILN_OK ? RUN_OK : report(pg, st->start, kiln_errmsg(s->ctx));
    kiln_array_free(a);
    return rc;
}

static int set_item(prog *pg, stmt *st, const kval *given);

/* xs += items: st's value (the items) frozen and appended to the list in place. */
static int extend_list(prog *pg, stmt *st) {
    session *s = pg->s;
    kval fz = {0};
    if (!freeze(pg, &st->value, &fz)) return report_kiln(pg, st->x);
    kiln_status rc = fe_scope_extend(s->scope, st->names[0], &fz);
    kval_free(s->ctx, &fz);
    if (rc != KILN_OK) return report(pg, st->start, rc == KILN_ERR_NOMEM ? "out of memory" : "this name holds no list now");
    fe_scope_renew(s->scope, st->names[0]);
    fe_scope_derive(s->scope, st->names[0], pg->src, pg->nsrc, false);
    return RUN_OK;
}

/* Target k of st, a subscript (st->item_len[k]), assigned v: as x[...] = v, v computed already. */
static int store_item(prog *pg, stmt *st, int k, const kval *v) {
    stmt item;
    memset(&item, 0, sizeof item);
    bool ok = subscript_target(pg, &item, st->item_at[k], st->item_at[k] + st->item_len[k]); /* (as when parsed) */
    KILN_ASSERT(ok);
    item.start = st->item_at[k], item.end = st->end;
    item.x = st->x, item.xlen = st->xlen; /* (where the value's messages point) */
    return set_item(pg, &item, v);
}

/* Target k of st bound to v: a name (spare: the statement whose buffer it may take) or a
 * subscript. */
static int bind_one(prog *pg, stmt *spare, stmt *st, int k, const kval *v, size_t off) {
    return st->item_len[k] ? store_item(pg, st, k, v) : assign_one(pg, spare, st->names[k], v, off);
}

/* The items of v (a list or a tuple: copies; a string: its characters; an array: its rows, views
 * as NumPy's, a 1-D array's elements copied) as a list into *out; else reported at off. */
static int items_of(prog *pg, const kval *v, size_t off, const char *what, kval *out) {
    kiln_ctx *ctx = pg->s->ctx;
    *out = (kval){.kind = KV_LIST};
    if (v->kind == KV_LIST || v->kind == KV_TUPLE) {
        kval seq = *v;
        seq.kind = KV_LIST;
        return fe_kval_copy(ctx, out, &seq) ? RUN_OK : report(pg, off, "out of memory");
    }
    if (v->kind == KV_STR) return fe_str_chars(ctx, v->s, out) ? RUN_OK : (kval_free(ctx, out), report(pg, off, "out of memory"));
    if (v->kind != KV_ARRAY || fe_is_py(v) || v->e->ndim == 0) return report(pg, off, what);
    bool py;
    kiln_array *A = materialize(pg, NULL, v, &py);
    int64_t nr = A ? A->shape[0] : 0;
    if (nr > FE_MAX_ITEMS) nr = -1;
    out->items = nr > 0 ? kiln_calloc(ctx, (size_t)nr * sizeof *out->items) : NULL;
    int rc = !A || (nr > 0 && !out->items) ? report_kiln(pg, off) : nr < 0 ? report(pg, off, "more items than a list holds") : RUN_OK;
    for (int64_t i = 0; rc == RUN_OK && i < nr; i++, out->n++) {
        kiln_array *r = row_of(ctx, A, i);
        out->items[i] = (kval){.kind = KV_ARRAY, .e = r ? kiln_var(ctx, r) : NULL, .alias = A->ndim > 1};
        kiln_array_free(r);
        if (!out->items[i].e) rc = report_kiln(pg, off);
    }
    kiln_array_free(A);
    if (rc != RUN_OK) kval_free(ctx, out);
    return rc;
}

static int assign_items(prog *pg, stmt *st, int first, int nnames, bool seq, const kval *v);

/* name = value, or the names of a target list (seq: a sequence, "n," too) = a sequence's items
 * or an array's rows; a nested "(b, c)" takes an item that is a sequence of that many values; a
 * starred target, *rest, the items the others leave, as a list. */
static int assign(prog *pg, stmt *st, int first, int nnames, bool seq, const kval *v) {
    session *s = pg->s;
    int count = 0, star = -1; /* the targets; the starred one's place among them */
    for (int k = first; k < first + nnames; k += st->group[k] ? st->group[k] : 1, count++)
        if (st->star[k]) star = count;
    if (star < 0) return assign_items(pg, st, first, nnames, seq, v);
    kval all = {0};
    char msg[128];
    int rc = items_of(pg, v, st->x, "cannot unpack this value into a starred target list", &all); /* (v's offset: where it was written, perhaps elsewhere) */
    if (rc == RUN_OK && all.n < count - 1) {
        snprintf(msg, sizeof msg, "not enough values to unpack (expected at least %d, got %d)", count - 1, all.n);
        rc = report(pg, st->x, msg);
    }
    if (rc != RUN_OK) return kval_free(s->ctx, &all), rc;
    /* count items: those before the star, the list it takes, those after it */
    int rest = all.n - (count - 1);
    kval parts[MAX_TARGETS], mid = {.kind = KV_LIST, .n = rest, .items = all.items + star};
    for (int i = 0; i < count; i++) parts[i] = i < star ? all.items[i] : i == star ? mid : all.items[i - 1 + rest];
    kval tuple = {.kind = KV_TUPLE, .n = count, .items = parts};
    rc = assign_items(pg, st, first, nnames, true, &tuple);
    kval_free(s->ctx, &all);
    return rc;
}

static int assign_items(prog *pg, stmt *st, int first, int nnames, bool seq, const kval *v) {
    session *s = pg->s;
    int count = 0, at[MAX_TARGETS]; /* the targets, each at its first name */
    for (int k = first; k < first + nnames; k += st->group[k] ? st->group[k] : 1) at[count++] = k;
    if (count == 1 && !st->group[first] && !seq) return bind_one(pg, st, st, first, v, st->x + v->off);
    kval chars = {0}; /* a string unpacks into its characters */
    if (v->kind == KV_STR) {
        if (!fe_str_chars(s->ctx, v->s, &chars)) {
            kval_free(s->ctx, &chars);
            return report(pg, st->x, "out of memory");
        }
        int rc = assign_items(pg, st, first, nnames, seq, &chars);
        kval_free(s->ctx, &chars);
        return rc;
    }
    kval rows = {0}; /* an array unpacks into its rows */
    kval row_items[MAX_TARGETS];
    int nrows = 0;
    if (v->kind == KV_ARRAY && !fe_is_py(v) && v->e->ndim > 0) {
        bool py;
        kiln_array *a = materialize(pg, NULL, v, &py);
        if (!a) return report_kiln(pg, st->x);
        for (; a->shape[0] == count && nrows < count; nrows++) {
            kiln_array *r = row_of(s->ctx, a, nrows);
            row_items[nrows] = (kval){.kind = KV_ARRAY, .e = r ? kiln_var(s->ctx, r) : NULL};
            kiln_array_free(r);
            if (!row_items[nrows].e) {
                nrows++;
                break;
            }
        }
        rows = (kval){.kind = KV_TUPLE, .n = (int)(a->shape[0] < INT_MAX ? a->shape[0] : INT_MAX), .items = row_items}; /* (its n rows, for the message where n is not count: no items made) */
        kiln_array_free(a);
        v = &rows;
    }
    int rc = RUN_OK;
    kval together = {0}; /* a tuple's arrays computed in one plan (a loss and its gradients) */
    uint64_t *isrc[MAX_TARGETS] = {NULL}; /* each item's own sources (a nested tuple: the statement's) */
    int insrc[MAX_TARGETS] = {0};
    bool own_src[MAX_TARGETS] = {false}; /* (an array's rows: each the statement's) */
    for (int i = 0; (v->kind == KV_TUPLE || v->kind == KV_LIST) && v->n == count && v != &rows && i < count; i++)
        if (v->items[i].kind == KV_ARRAY && v->items[i].e)
            insrc[i] = fe_scope_sources_of(s->scope, &st->deps, v->items[i].e, &isrc[i]), own_src[i] = true;
    if ((v->kind == KV_TUPLE || v->kind == KV_LIST) && v->n == count && v != &rows) {
        if (!fe_kval_copy(s->ctx, &together, v)) return report(pg, st->x, "out of memory");
        if (!evaluate_together(pg, &together)) rc = report_kiln(pg, st->x);
        else if (repl_sigint) rc = RUN_INTERRUPTED; /* (none of the targets bound) */
        v = &together;
    }
    char msg[128];
    if (rc == RUN_OK && ((v->kind != KV_TUPLE && v->kind != KV_LIST) || v->n != count)) {
        if (v->kind == KV_TUPLE || v->kind == KV_LIST)
            snprintf(msg, sizeof msg, v->n > count ? "too many values to unpack (expected %d)" : "not enough values to unpack (expected %d, got %d)", count, v->n);
        else
            snprintf(msg, sizeof msg, "cannot unpack this value into %d names", count);
        rc = report(pg, st->x, msg);
    }
    for (int i = 0; i < count && rc == RUN_OK; i++) {
        const kval *it = &v->items[i];
        int g = st->group[at[i]];
        bool rows_of = g && it->kind == KV_ARRAY && !fe_is_py(it) && it->e && it->e->ndim > 0 && it->e->shape[0] == g; /* an array's rows */
        if (g && !rows_of && it->kind != KV_STR && ((it->kind != KV_TUPLE && it->kind != KV_LIST) || it->n != g)) {
            snprintf(msg, sizeof msg, "cannot unpack item %d into %d names: it is not a sequence of %d values", i + 1, g, g);
            rc = report(pg, st->x + it->off, msg);
        }
    }
    /* every value first, then the bindings: a failing statement binds nothing */
    kval fz[MAX_TARGETS];
    memset(fz, 0, sizeof fz);
    for (int i = 0; i < count && rc == RUN_OK; i++)
        if ((v->items[i].kind == KV_ARRAY && !v->items[i].e) || !freeze(pg, &v->items[i], &fz[i]))
            rc = report_kiln(pg, st->x + v->items[i].off);
    uint64_t *all = pg->src;
    int nall = pg->nsrc;
    for (int i = 0; i < count && rc == RUN_OK; i++) {
        int g = st->group[at[i]];
        pg->src = own_src[i] ? isrc[i] : all, pg->nsrc = own_src[i] ? insrc[i] : nall;
        if (!g) rc = bind_one(pg, NULL, st, at[i], &fz[i], st->x);
        if (g && fz[i].kind == KV_STR) { /* a nested string: its characters */
            kval ch = {0};
            if (!fe_str_chars(s->ctx, fz[i].s, &ch) || ch.n != g) rc = report(pg, st->x, ch.n != g ? "cannot unpack a string into that many names" : "out of memory");
            for (int j = 0; j < g && rc == RUN_OK; j++) rc = bind_one(pg, NULL, st, at[i] + j, &ch.items[j], st->x);
            kval_free(s->ctx, &ch);
            continue;
        }
        for (int j = 0; j < g && rc == RUN_OK; j++) {
            if (fz[i].kind != KV_ARRAY) {
                rc = bind_one(pg, NULL, st, at[i] + j, &fz[i].items[j], st->x);
                continue;
            }
            kiln_ix ix = {.kind = KILN_IX_INDEX, .index = j}; /* row j of an array, a view (an element: a copy) */
            kval row = {.kind = KV_ARRAY, .e = kiln_index(s->ctx, fz[i].e, 1, &ix), .alias = fz[i].e->ndim > 1};
            rc = row.e ? bind_one(pg, NULL, st, at[i] + j, &row, st->x) : report_kiln(pg, st->x);
            kval_free(s->ctx, &row);
        }
    }
    pg->src = all, pg->nsrc = nall;
    for (int i = 0; i < count; i++) kval_free(s->ctx, &fz[i]), kiln_free(s->ctx, isrc[i]);
    for (int i = 0; i < nrows; i++) kiln_expr_free(row_items[i].e);
    kval_free(s->ctx, &together);
    return rc;
}

/* Ctrl-C held back while an array is written, so that the write is whole or not at all: SIGINT
 * blocked in this thread, noted only (repl_holding) where it lands on another (a worker, the
 * background compile), a pending interrupt taken off the context; release_interrupts passes it
 * on after. */
typedef struct held {
    sigset_t old;
    int interrupted;
} held;

static held hold_interrupts(kiln_ctx *ctx) {
    held h;
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    pthread_sigmask(SIG_BLOCK, &block, &h.old);
    repl_holding = repl_holding + 1; /* (before the exchange: a signal after it is only noted) */
    h.interrupted = atomic_exchange(&kiln_base_of(ctx)->interrupt, 0);
    return h;
}

static void release_interrupts(kiln_ctx *ctx, held *h) {
    repl_holding = repl_holding - 1;
    if (!repl_holding && repl_deferred) {
        repl_deferred = 0;
        h->interrupted = 1;
    }
    if (h->interrupted) kiln_interrupt(ctx);
    pthread_sigmask(SIG_SETMASK, &h->old, NULL);
}

/* Whether e is element-wise over arrays and numbers alone: one fused pass, as quick as a copy. */
static bool one_pass(const kiln_expr *e, int depth) {
    if (op_is_leaf(e->op)) return true;
    if (!op_is_elementwise(e->op) || depth > 64) return false;
    for (int i = 0; i < kiln_op_arity((kiln_op)e->op); i++)
        if (!one_pass(ir_arg(e, i), depth + 1)) return false;
    return true;
}

/* target OP= value where target's memory is shared: the value computed aside, then copied into
 * target with Ctrl-C held back, so that the update is whole or not at all; a value of one pass
 * (w -= lr * g) is written straight into target, Ctrl-C held back for that pass (kiln_eval_into
 * goes through a temporary where the value reads target's memory elsewhere than it writes). */
static int assign_in_place(prog *pg, stmt *st, kiln_array *target) {
    session *s = pg->s;
    if (st->value.kind == KV_ARRAY && !fe_is_py(&st->value) && one_pass(st->value.e, 0)) {
        held h = hold_interrupts(s->ctx);
        kiln_status c = kiln_eval_into(s->ctx, st->value.e, target);
        release_interrupts(s->ctx, &h);
        return c == KILN_OK ? RUN_OK : report(pg, st->start, kiln_errmsg(s->ctx));
    }
    bool py;
    kiln_array *a = materialize(pg, st, &st->value, &py);
    if (!a) return report_kiln(pg, st->x);
    kiln_expr *v = kiln_var(s->ctx, a);
    held h = hold_interrupts(s->ctx);
    kiln_status c = v ? kiln_eval_into(s->ctx, v, target) : kiln_errcode(s->ctx);
    release_interrupts(s->ctx, &h);
    kiln_expr_free(v);
    if (a != target && exclusive(a) && a->ndim > 0) { /* the next run computes into it again */
        kiln_array_free(st->spare);
        st->spare = a;
    } else {
        kiln_array_free(a);
    }
    return c == KILN_OK ? RUN_OK : report(pg, st->start, kiln_errmsg(s->ctx));
}

/* After a call alone with out= (np.add(a, b, out=c)): out, shown as NumPy's call returns it. */
/* _ = v, where the REPL shows v (Python's last value), unless the user's own _ is bound. */
static int bind_underscore(prog *pg, stmt *st, const kval *v, size_t off) {
    session *s = pg->s;
    if (!s->interactive || !run_underscore_ours(s)) return RUN_OK;
    int rc = assign_one(pg, st, "_", v, off);
    kiln_array *a = kiln_scope_get(s->scope, "_");
    s->underscore = a ? (const void *)a : (const void *)fe_scope_value(s->scope, "_");
    return rc;
}

static int show_out(prog *pg, stmt *st) {
    session *s = pg->s;
    if (!st->show || s->quiet) return RUN_OK;
    fe_env env = {.scope = s->scope};
    kval v = {0};
    kstr b = {0};
    int err = 0;
    if (fe_parse(s->ctx, &env, pg->text + st->oa, st->olen, false, &v) != KILN_OK) return report_kiln(pg, st->oa);
    repr_value(s, &v, &b, false, &err);
    int rc = err ? RUN_OK : bind_underscore(pg, st, &v, st->oa);
    kval_free(s->ctx, &v);
    if (!err && b.s) {
        kstr_printf(&b, "\n");
        print_out(b.s);
    }
    kstr_free(&b);
    return err ? report_kiln(pg, st->oa) : rc;
}

/* ------------------------------------------------------------------ item assignment */

static run_saved *run_save_names(session *s, const char *const *names, int n);

static const kiln_array *root_of(const kiln_array *a) {
    while (a->base) a = a->base;
    return a;
}

/* v as the value of an assignment to an array of shape (nd, shape), as NumPy broadcasts it
 * there (leading dims of 1 dropped): a view of v, strides 0 where it repeats; NULL after an
 * error. */
static kiln_array *assigned_view(kiln_ctx *ctx, kiln_array *v, int nd, const int64_t *shape) {
    int64_t st[KILN_MAX_DIMS];
    bool ok = true;
    for (int d = 0; d < v->ndim - nd && ok; d++) ok = v->shape[d] == 1;
    for (int d = 0; d < nd && ok; d++) {
        int vd = d + v->ndim - nd;
        st[d] = vd < 0 || v->shape[vd] == 1 ? 0 : v->strides[vd];
        ok = vd < 0 || v->shape[vd] == 1 || v->shape[vd] == shape[d];
    }
    if (!ok) {
        rt_shape_text have = rt_shape_str(v->ndim, v->shape), want = rt_shape_str(nd, shape);
        kiln_fail(ctx, KILN_ERR_SHAPE, "could not broadcast input array from shape %s into shape %s", have.s, want.s);
        return NULL;
    }
    return kiln_array_view(ctx, v, nd, shape, st, 0);
}

/* Parses src[0, len) again as the item assignment's first parse did: drawing the random numbers
 * it drew from generator state rng0 (rand() in a subscript draws while it is parsed), then the
 * generator as it was. */
static kiln_status parse_again(prog *pg, const char *src, size_t len, const scope_rngs *rng0, fe_env *env, kval *v) {
    scope_rngs now;
    if (!scope_rngs_save(pg->s->scope, &now)) return kiln_fail(pg->s->ctx, KILN_ERR_NOMEM, "out of memory");
    scope_rngs_load(pg->s->scope, rng0);
    kiln_status st = fe_parse(pg->s->ctx, env, src, len, false, v);
    scope_rngs_load(pg->s->scope, &now);
    scope_rngs_free(pg->s->scope, &now);
    return st;
}

/* Whether the target's text up to `end` (x[:, 1] of x[:, 1][mask], x.T of x.T[0]) is T or a
 * view of T's memory (UPTO_VIEW), NumPy's read-only view (a.diagonal() of a.diagonal()[0]), or a
 * copy. */
enum { UPTO_COPY, UPTO_VIEW, UPTO_READONLY };
static int view_upto(prog *pg, const stmt *st, size_t end, kiln_array *T, const scope_rngs *rng0) {
    kiln_ctx *ctx = pg->s->ctx;
    fe_env env = {.scope = pg->s->scope};
    kval v = {0};
    const kiln_expr *chain[VIEW_CHAIN];
    int depth;
    bool py;
    int view = UPTO_COPY;
    if (parse_again(pg, pg->text + st->t, end - st->t, rng0, &env, &v) == KILN_OK && v.kind == KV_ARRAY && v.readonly) {
        view = UPTO_READONLY;
    } else if (v.kind == KV_ARRAY && v.alias) {
        if (v.e->op == KILN_OP_VAR && kiln_expr_array(v.e) == T) view = UPTO_VIEW;
        else if (view_chain(v.e, chain, &depth)) { /* (a reshape the memory cannot take is a copy) */
            kiln_array *V = materialize(pg, NULL, &v, &py);
            view = V && root_of(V) == root_of(T) ? UPTO_VIEW : UPTO_COPY;
            kiln_array_free(V);
        }
    }
    kiln_clear_error(ctx);
    kval_free(ctx, &v);
    fe_deps_free(ctx, &env.deps);
    return view;
}

/* The positions (C order, int64) in T of the elements target (NAME[...] at t, NAME T's name)
 * picks, for a subscript that is no view of T's memory (x[mask], x[[0, 2]], x[i, idx]): the
 * same subscript of an array holding each element's position, under a name of its own (the
 * subscript itself may read NAME).  NULL after reporting. */
#define POSITIONS "__kiln_positions__"
static kiln_array *positions_of(prog *pg, const stmt *st, kiln_array *T, const scope_rngs *rng0, int *rc) {
    kiln_ctx *ctx = pg->s->ctx;
    kiln_scope *sc = pg->s->scope;
    kiln_array *pos = kiln_array_new(ctx, KILN_I64, T->ndim, T->shape), *P = NULL;
    size_t from = st->sub_from ? st->sub_from : st->t + strlen(st->names[0]); /* (the attributes, then the subscripts) */
    size_t sub = st->t + st->tlen - from, len = strlen(POSITIONS) + sub;
    char *src = pos ? malloc(len + 1) : NULL;
    *rc = RUN_OK;
    int upto = st->groups - (st->sub_from != 0) > 1 ? view_upto(pg, st, st->llb, T, rng0) : UPTO_VIEW;
    if (upto == UPTO_READONLY) {
        kiln_array_free(pos);
        free(src);
        *rc = read_only(pg, st->t);
        return NULL;
    }
    if (upto == UPTO_COPY) {
        /* x[idx][0] = v: NumPy assigns into x[idx]'s copy, which changes nothing (x[:, 1][mask] = v,
         * into a view of x, does change x) */
        kiln_array_free(pos);
        free(src);
        *rc = report(pg, st->t, "x[idx][...] = value would write into a copy (x[idx] with an integer array or a mask is one), "
                                "which changes nothing: write one subscript");
        return NULL;
    }
    run_saved *kept = run_save_names(pg->s, (const char *const[]){POSITIONS}, 1); /* a name of the user's own */
    if (!src || !kept || fe_scope_set(sc, POSITIONS, pos, false) != KILN_OK) {
        run_restore_targets(pg->s, kept, true);
        kiln_array_free(pos);
        free(src);
        *rc = report(pg, st->t, "out of memory");
        return NULL;
    }
    for (int64_t i = 0; i < kiln_array_size(pos); i++) ((int64_t *)pos->data)[i] = i;
    snprintf(src, len + 1, "%s%.*s", POSITIONS, (int)sub, pg->text + from);
    fe_env env = {.scope = sc};
    kval v = {0};
    kiln_clear_error(ctx);
    if (parse_again(pg, src, len, rng0, &env, &v) != KILN_OK || v.kind != KV_ARRAY || !(P = kiln_eval(ctx, v.e)))
        *rc = kiln_errcode(ctx) != KILN_OK ? report(pg, st->t, kiln_errmsg(ctx)) : report(pg, st->t, "cannot assign to this subscript");
    kval_free(ctx, &v);
    fe_deps_free(ctx, &env.deps);
    run_restore_targets(pg->s, kept, true);
    kiln_array_free(pos);
    free(src);
    return P;
}

/* positions_of for x[idx] = v with a 1-D x and one subscript that is an array of integers: idx
 * itself (negative entries wrapped, each checked against x's length), without the array of all
 * of x's positions and the gather through it.  NULL where the subscript is anything else (no
 * error: positions_of takes it), or after reporting (*rc). */
static kiln_array *index_positions(prog *pg, const stmt *st, kiln_array *T, const scope_rngs *rng0, int *rc) {
    kiln_ctx *ctx = pg->s->ctx;
    if (T->ndim != 1 || st->groups != 1 || st->attrs || st->sub_from) return NULL;
    fe_env env = {.scope = pg->s->scope};
    kval iv = {0};
    kiln_error_kept kept;
    kiln_error_keep(&kept);
    size_t e = st->t + st->tlen - 1;
    bool ints = parse_again(pg, pg->text + st->lb + 1, e - st->lb - 1, rng0, &env, &iv) == KILN_OK && iv.kind == KV_ARRAY && !fe_is_py(&iv) &&
                iv.e->ndim >= 1 && dtype_is_int((kiln_dtype)iv.e->dtype);
    kiln_array *I = ints ? kiln_eval(ctx, iv.e) : NULL, *P = NULL;
    kval_free(ctx, &iv);
    fe_deps_free(ctx, &env.deps);
    if (!I) {
        if (ints) *rc = report_kiln(pg, st->t);
        else kiln_error_restore(&kept); /* (not an integer array: positions_of's) */
        return NULL;
    }
    int64_t n = T->shape[0], m = kiln_array_size(I);
    bool as_is = I->dtype == KILN_I64 && rt_array_c_contiguous(I);
    const int64_t *src = as_is ? (const int64_t *)kiln_array_data(I) : NULL;
    for (int64_t k = 0; as_is && k < m; k++) as_is = src[k] >= 0 && src[k] < n;
    if (as_is) return I; /* (in range already: idx itself) */
    if (!(P = kiln_array_new(ctx, KILN_I64, I->ndim, I->shape))) *rc = report_kiln(pg, st->t);
    const char *id = kiln_array_data(I);
    int64_t *pd = P ? (int64_t *)kiln_array_data(P) : NULL;
    for (int64_t k = 0; P && k < m; k++) {
        int64_t i = ref_cast(ref_load(id + kiln_elem_offset(k, I->ndim, I->shape, I->strides), (kiln_dtype)I->dtype), (kiln_dtype)I->dtype, KILN_I64).i64;
        if (i < -n || i >= n) {
            char msg[128];
            snprintf(msg, sizeof msg, "index %lld is out of bounds for axis 0 with size %lld", (long long)i, (long long)n);
            *rc = report(pg, st->t, msg);
            kiln_array_free(P);
            P = NULL;
            break;
        }
        pd[k] = i < 0 ? i + n : i;
    }
    kiln_array_free(I);
    return P;
}

/* The dims of the target's one subscript when it is a boolean mask (NAME[mask]), else 0: for
 * NumPy's words when the value does not fit what it picks. */
static int whole_mask(prog *pg, const stmt *st, const scope_rngs *rng0) {
    kiln_ctx *ctx = pg->s->ctx;
    if (st->groups != 1 || st->attrs) return 0;
    fe_env env = {.scope = pg->s->scope};
    kval mv = {0};
    kiln_error_kept kept;
    kiln_error_keep(&kept);
    size_t e = st->t + st->tlen - 1;
    kiln_expr *me = parse_again(pg, pg->text + st->lb + 1, e - st->lb - 1, rng0, &env, &mv) == KILN_OK &&
                            (mv.kind == KV_ARRAY || mv.kind == KV_LIST)
                        ? fe_as_expr(ctx, &mv, "the subscript")
                        : NULL;
    int mask = me && me->dtype == KILN_BOOL ? me->ndim : 0;
    kiln_expr_free(me);
    kiln_error_restore(&kept); /* the error that brought us here */
    kval_free(ctx, &mv);
    fe_deps_free(ctx, &env.deps);
    return mask;
}

/* Why the number c cannot be stored in an integer array of dtype dt, as NumPy refuses a Python
 * number there (NaN, infinities, out of range); NULL when it can. */
static const char *number_fits(const kiln_expr *c, kiln_dtype dt) {
    static char msg[120];
    if (!dtype_is_int(dt) || (dtype_is_unsigned(dt) && !c->weak)) return NULL; /* (NumPy casts its own scalars into unsigned dtypes: int32(300) is uint8's 44) */
    if (c->dtype == KILN_F32 || c->dtype == KILN_F64) {
        double f = ref_cast(c->val, (kiln_dtype)c->dtype, KILN_F64).f64;
        if (isnan(f)) return "cannot convert float NaN to integer";
        if (isinf(f)) return "cannot convert float infinity to integer";
        return fe_float_fits(f, dt) ? NULL : "the value is out of range for the array's integer dtype";
    }
    int64_t i = ref_cast(c->val, (kiln_dtype)c->dtype, KILN_I64).i64;
    int64_t lo, hi;
    dtype_int_bounds(dt, &lo, &hi);
    if (i < lo || i > hi) {
        snprintf(msg, sizeof msg, "Python integer %lld out of bounds for %s", (long long)i, kiln_dtype_name(dt));
        return msg;
    }
    return NULL;
}

/* number_fits for each Python number of a tuple or list (x[:] = (1, 2, 2**31) into int32 is
 * NumPy's OverflowError, not a wrapped value) */
static const char *numbers_fit(const kval *v, kiln_dtype dt) {
    if (v->kind == KV_ARRAY) return fe_is_py(v) ? number_fits(v->e, dt) : NULL;
    for (int i = 0; (v->kind == KV_TUPLE || v->kind == KV_LIST) && i < v->n; i++) {
        const char *bad = numbers_fit(&v->items[i], dt);
        if (bad) return bad;
    }
    return NULL;
}

/* Targets of at most this many elements are written by a loop here, not a kernel (x[i] = v in a
 * loop: no kernel to look up at each step). */
#define SETITEM_HOST 4096

/* NAME[...] = value, NAME[...] op= value: NumPy's __setitem__, writing into the array NAME is
 * bound to (and so into every name and view that shares its memory).  The value is computed
 * first, into an array of its own (x[1:] = x[:-1] reads what it overwrites), cast to the
 * array's dtype and broadcast to what the subscript picks; then a subscript that is a view of
 * the memory (slices, integers, None, ...) is written through that view (by a kernel, past
 * SETITEM_HOST elements), and any other (a mask, integer arrays) element by element at the
 * positions it picks, in order (a repeated index keeps its last value, as NumPy's).  Ctrl-C is
 * held back while it writes. */
/* A list subscript t[a, b) (inside the brackets) against a list of n items: an int index
 * (*step 0, *start the item, negative counted from the end; out of range reported with what,
 * Python's words) or a slice start:stop:step, its bounds clipped as Python's are (*count
 * items, *start then every *step-th). */
static bool list_subscript(prog *pg, size_t a, size_t b, int64_t n, const char *what, int64_t *start, int64_t *step, int64_t *count) {
    session *s = pg->s;
    const char *t = pg->text;
    char colon = ':';
    size_t c1 = scan_top(t, a, b, is_char, &colon), c2 = c1 < b ? scan_top(t, c1 + 1, b, is_char, &colon) : b;
    size_t from[3] = {a, c1 + 1, c2 + 1}, to[3] = {c1, c2, b};
    int parts = c1 == b ? 1 : c2 == b ? 2 : 3;
    int64_t v[3] = {0, 0, 1};
    bool has[3] = {false, false, false};
    for (int k = 0; k < parts; k++) {
        size_t x = trim_left(t, from[k], to[k]), y = trim_right(t, x, to[k]);
        if (x == y) continue; /* an omitted bound */
        fe_env env = {.scope = s->scope};
        kval iv = {0};
        double f;
        bool ok = fe_parse(s->ctx, &env, t + x, y - x, false, &iv) == KILN_OK;
        if (!ok) {
            report_kiln(pg, x);
        } else if (iv.kind == KV_NONE && parts > 1) {
            x = y; /* xs[None:2]: omitted */
        } else if (iv.kind == KV_ARRAY && !fe_is_py(&iv) && iv.e->ndim == 0 && dtype_is_int((kiln_dtype)iv.e->dtype)) {
            kiln_array *A = kiln_eval(s->ctx, iv.e); /* a NumPy integer (h[v] += 1 for v in an array): its value, as its __index__ */
            if (A) v[k] = kscalar_int((kiln_dtype)A->dtype, ref_load(kiln_array_data(A), (kiln_dtype)A->dtype));
            else ok = report_kiln(pg, x) == RUN_OK;
            kiln_array_free(A);
        } else if (iv.kind != KV_ARRAY || !fe_is_py(&iv) || !kiln_expr_scalar(iv.e, &f, &v[k]) || !dtype_is_int((kiln_dtype)iv.e->dtype)) {
            report(pg, x, parts == 1 ? "list indices must be integers or slices" : "slice indices must be integers or None");
            ok = false;
        }
        has[k] = x != y;
        kval_free(s->ctx, &iv);
        fe_deps_free(s->ctx, &env.deps);
        if (!ok) return false;
    }
    if (parts == 1) {
        if (v[0] < -n || v[0] >= n) return report(pg, a, what), false;
        *start = v[0] < 0 ? v[0] + n : v[0], *step = 0, *count = 1;
        return true;
    }
    int64_t st = has[2] ? (v[2] < -INT64_MAX ? -INT64_MAX : v[2]) : 1, lo, hi; /* (CPython's clamp) */
    if (st == 0) return report(pg, from[2], "slice step cannot be zero"), false;
    /* Python's PySlice_AdjustIndices */
    lo = !has[0] ? (st > 0 ? 0 : n - 1) : v[0] < 0 ? (v[0] + n < 0 ? (st > 0 ? 0 : -1) : v[0] + n) : v[0] >= n ? (st > 0 ? n : n - 1) : v[0];
    hi = !has[1] ? (st > 0 ? n : -1) : v[1] < 0 ? (v[1] + n < 0 ? (st > 0 ? 0 : -1) : v[1] + n) : v[1] >= n ? (st > 0 ? n : n - 1) : v[1];
    *start = lo, *step = st;
    *count = st > 0 ? (hi > lo ? (hi - lo - 1) / st + 1 : 0) : (lo > hi ? (lo - hi - 1) / -st + 1 : 0);
    return true;
}

/* Where the subscript that opens at t[i] == '[' closes (its ']'), or end. */
static size_t subscript_close(const char *t, size_t i, size_t end) {
    for (int depth = 0; i < end; i++) {
        if (t[i] == '\'' || t[i] == '"') {
            if ((i = skip_string(t, i, end)) == NOT_CLOSED) return end;
            i--;
        } else if (strchr("([{", t[i])) {
            depth++;
        } else if (strchr(")]}", t[i]) && --depth == 0) {
            return i;
        }
    }
    return end;
}

/* The list st's last subscript writes into: names[0]'s list, or the list its other subscripts
 * pick through lists and tuples (M[1][0] = v), with the last subscript's inside at [*a, *b).
 * NULL after reporting. */
static kval *list_target(prog *pg, stmt *st, size_t *a, size_t *b) {
    const char *t = pg->text;
    size_t end = st->t + st->tlen, i = st->lb;
    kval *xs = fe_scope_seq(pg->s->scope, st->names[0]);
    for (int g = 0; xs; g++) {
        size_t close = subscript_close(t, i, end);
        if (close >= end) return report(pg, i, "this subscript is not closed"), NULL;
        if (g == st->groups - 1) {
            if (xs->kind != KV_LIST) return report(pg, st->start, "'tuple' object does not support item assignment"), NULL;
            *a = i + 1, *b = close;
            return xs;
        }
        int64_t k, step, count;
        if (!list_subscript(pg, i + 1, close, xs->n, xs->kind == KV_LIST ? "list index out of range" : "tuple index out of range", &k, &step, &count))
            return NULL;
        if (step) return report(pg, i, "a slice of a list is a new list, and a write into it changes nothing: write the items (xs[i][j] = v)"), NULL;
        kval *item = &xs->items[k];
        if (item->kind != KV_LIST && item->kind != KV_TUPLE) {
            char msg[240];
            if (item->kind == KV_ARRAY && !fe_is_py(item))
                snprintf(msg, sizeof msg, "an array inside lists inside '%s': take it by a name first (a = %s[...]; a[...] = v)", st->names[0], st->names[0]);
            else snprintf(msg, sizeof msg, "'%s' object does not support item assignment", fe_py_type(item));
            return report(pg, st->start, msg), NULL;
        }
        xs = item, i = close + 1;
    }
    return report(pg, st->start, "name is not a list"), NULL;
}

/* xs[i] = value and xs[a:b:c] = items of a list (a list inside one: M[1][0] = v), in place
 * (no other name holds this list; a statement reading it is rebuilt).  A slice of step 1 takes
 * any number of items in its place; another step exactly as many as it picks. */
static int set_list_item(prog *pg, stmt *st, const kval *given) {
    session *s = pg->s;
    fe_env env = {.scope = s->scope};
    kval vv = {0}, fz = {0};
    int rc = RUN_OK;
    size_t a, b;
    kval *xs = list_target(pg, st, &a, &b);
    int64_t i = 0, step = 0, count = 0;
    if (!xs || !list_subscript(pg, a, b, xs->n, "list assignment index out of range", &i, &step, &count)) return RUN_ERROR;
    if (given ? !fe_kval_copy(s->ctx, &vv, given) : fe_parse(s->ctx, &env, pg->text + st->x, st->xlen, false, &vv) != KILN_OK)
        rc = report_kiln(pg, st->x);
    else if (step && vv.kind != KV_LIST && vv.kind != KV_TUPLE)
        rc = report(pg, st->x, "a list's slice takes a list or a tuple of the new items here (xs[a:b] = [...])");
    else if (step != 0 && step != 1 && vv.n != count) {
        char msg[128];
        snprintf(msg, sizeof msg, "attempt to assign sequence of size %d to extended slice of size %lld", vv.n, (long long)count);
        rc = report(pg, st->x, msg);
    } else if (!freeze(pg, &vv, &fz)) {
        rc = report_kiln(pg, st->x);
    } else if (step == 0) {
        kval_free(s->ctx, &xs->items[i]);
        xs->items[i] = fz, fz = (kval){0};
    } else if (step != 1) { /* the picked items, replaced one for one */
        for (int64_t k = 0; k < count; k++) {
            kval_free(s->ctx, &xs->items[i + k * step]);
            xs->items[i + k * step] = fz.items[k], fz.items[k] = (kval){0};
        }
    } else { /* items [i, i + count) give way to fz's */
        int64_t m = xs->n - count + fz.n;
        kval *items = m > FE_MAX_ITEMS ? NULL : kiln_calloc(s->ctx, (size_t)(m ? m : 1) * sizeof *items);
        if (!items) {
            char msg[80];
            snprintf(msg, sizeof msg, m > FE_MAX_ITEMS ? "the list would have more than %d items" : "out of memory", FE_MAX_ITEMS);
            rc = report(pg, st->start, msg);
        } else {
            for (int64_t k = 0; k < xs->n; k++)
                if (k >= i && k < i + count) kval_free(s->ctx, &xs->items[k]);
                else items[k < i ? k : k - count + fz.n] = xs->items[k];
            for (int k = 0; k < fz.n; k++) items[i + k] = fz.items[k], fz.items[k] = (kval){0};
            kiln_free(s->ctx, xs->items);
            xs->items = items, xs->n = (int)m;
        }
    }
    if (rc == RUN_OK) fe_scope_renew(s->scope, st->names[0]);
    kval_free(s->ctx, &vv), kval_free(s->ctx, &fz);
    fe_deps_free(s->ctx, &env.deps);
    return rc;
}

/* del xs[i], del xs[a:b:c] of a list: a new list without those items. */
static int del_list_items(prog *pg, stmt *st) {
    session *s = pg->s;
    const char *name = st->names[0];
    const kval *list = kiln_scope_get(s->scope, name) ? NULL : fe_scope_value(s->scope, name);
    if (!list || list->kind != KV_LIST) {
        char msg[160];
        if (kiln_scope_get(s->scope, name) && !fe_scope_py(s->scope, name)) snprintf(msg, sizeof msg, "cannot delete array elements (np.delete makes an array without them)");
        else if (list || kiln_scope_get(s->scope, name)) snprintf(msg, sizeof msg, "'%s' does not support item deletion: only a list's items are deleted", name);
        else snprintf(msg, sizeof msg, "name '%s' is not defined", name);
        return report(pg, st->t, msg);
    }
    int64_t i, step, count;
    if (!list_subscript(pg, st->lb + 1, st->t + st->tlen - 1, list->n, "list assignment index out of range", &i, &step, &count)) return RUN_ERROR;
    kval nl = {0};
    if (!fe_kval_copy(s->ctx, &nl, list)) return report_kiln(pg, st->start);
    int64_t m = 0;
    for (int64_t k = 0; k < nl.n; k++) { /* keep the items the subscript does not pick */
        int64_t d = step == 0 ? (k == i ? 0 : 1) : step > 0 ? k - i : i - k, sp = step < 0 ? -step : step ? step : 1;
        bool picked = step == 0 ? k == i : d >= 0 && d % sp == 0 && d / sp < count;
        if (picked) kval_free(s->ctx, &nl.items[k]);
        else nl.items[m++] = nl.items[k];
    }
    nl.n = (int)m;
    int rc = fe_scope_take_value(s->scope, name, &nl) != KILN_OK ? report_kiln(pg, st->start) : RUN_OK;
    kval_free(s->ctx, &nl);
    return rc;
}

static kiln_array *list_item_array(prog *pg, stmt *st);
static int set_item_in(prog *pg, stmt *st, const kval *given, kiln_array *T);

/* ns[i] op= v of a number item: ns[i] = ns[i] op (v), computed from the statement's text. */
static int aug_list_item(prog *pg, stmt *st) {
    session *s = pg->s;
    const char *t = pg->text;
    size_t eq = st->x;
    while (eq > st->t + st->tlen && t[eq - 1] != '=') eq--; /* "ns[0] += v": the '=' of "+=" */
    size_t head = eq - 1 - st->t, len = head + st->xlen + 3;
    char *src = malloc(len + 1);
    if (!src) return report(pg, st->start, "out of memory");
    snprintf(src, len + 1, "%.*s(%.*s)", (int)head, t + st->t, (int)st->xlen, t + st->x);
    fe_env env = {.scope = s->scope};
    kval v = {0};
    int rc = fe_parse(s->ctx, &env, src, strlen(src), false, &v) == KILN_OK ? set_list_item(pg, st, &v) : report_kiln(pg, st->start);
    kval_free(s->ctx, &v);
    fe_deps_free(s->ctx, &env.deps);
    free(src);
    return rc;
}

/* st's x[...] = value (given: a value computed already, else st's own text's). */
static int set_item(prog *pg, stmt *st, const kval *given) {
    session *s = pg->s;
    const char *name = st->names[0];
    kiln_array *T = kiln_scope_get(s->scope, name);
    const kval *list = T ? NULL : fe_scope_value(s->scope, name);
    if (list && list->kind == KV_LIST && !st->aug && !st->out && !st->attrs && st->groups == 1) return set_list_item(pg, st, given);
    if (list && (list->kind == KV_LIST || (list->kind == KV_TUPLE && st->groups > 1)) && !st->attrs) {
        /* params[0] -= v, xs[0][2] = v, t[0][2] = v: into the array item's memory */
        kiln_array *I = list_item_array(pg, st);
        int rc = I ? set_item_in(pg, st, given, I) : RUN_OK;
        st->sub_from = 0;
        if (I) {
            kiln_array_free(I);
            return rc;
        }
        if (st->aug && !given && !st->out) return aug_list_item(pg, st); /* (ns[i] += v, M[i][j] += v) */
        if (st->groups > 1 && !st->aug && !st->out) return set_list_item(pg, st, given); /* a list inside: M[1][0] = v */
    }
    if (!T || fe_scope_py(s->scope, name)) {
        char msg[256];
        if (list && list->kind == KV_LIST && st->groups > 1)
            snprintf(msg, sizeof msg, "out= writes into an array, and %s[i] here is not one", name);
        else if (list && list->kind == KV_LIST)
            snprintf(msg, sizeof msg, "a list's item takes xs[i] = value here (not op=, not a slice): write %s[i] = %s[i] + v", name, name);
        else if (T || list)
            snprintf(msg, sizeof msg, "'%s' does not support item assignment: only arrays and lists change in place", name);
        else if (numpy_name(pg, name, 0, strlen(name)))
            snprintf(msg, sizeof msg, "%s.f(...)[...] = value writes into what a function returns, which no name holds: write into a name's array "
                                      "(NumPy's diagonal and broadcast_to give read-only views)", name);
        else
            snprintf(msg, sizeof msg, "name '%s' is not defined", name);
        return report(pg, st->t, msg);
    }
    return set_item_in(pg, st, given, T);
}

/* The array that item i of st's list is, for st's xs[i]... = v (st->sub_from then the end of
 * [i]), or NULL (a number or a NumPy scalar: xs[i] = v replaces it, set_list_item's). */
static kiln_array *list_item_array(prog *pg, stmt *st) {
    const char *t = pg->text;
    size_t end = st->t + st->tlen, i = subscript_close(t, st->lb, end); /* the first subscript's ']' */
    if (i >= end) return NULL;
    fe_env env = {.scope = pg->s->scope};
    kval iv = {0};
    kiln_array *I = NULL;
    if (fe_parse(pg->s->ctx, &env, t + st->t, i + 1 - st->t, false, &iv) == KILN_OK && iv.kind == KV_ARRAY && !fe_is_py(&iv) &&
        iv.e->op == KILN_OP_VAR && iv.e->ndim > 0) /* (a 0-d item is NumPy's immutable scalar: xs[i] op= v replaces it) */
        I = kiln_array_retain(kiln_expr_array(iv.e));
    else
        kiln_clear_error(pg->s->ctx); /* (set_list_item's own messages) */
    kval_free(pg->s->ctx, &iv);
    fe_deps_free(pg->s->ctx, &env.deps);
    st->sub_from = i + 1;
    return I;
}

/* st's subscript target = value, into T's memory (st->names[0]'s array, or a list item's). */
static int set_item_in(prog *pg, stmt *st, const kval *given, kiln_array *T) {
    session *s = pg->s;
    kiln_ctx *ctx = s->ctx;
    const char *name = st->names[0];
    if (T->readonly) return read_only(pg, st->start);
    kiln_array_retain(T);
    fe_env env = {.scope = s->scope};
    kval tv = {0}, vv = {0};
    kiln_array *A = NULL, *V = NULL, *P = NULL, *src = NULL;
    kiln_expr *ve = NULL;
    int rc = RUN_OK;
    bool value_first = !given && !st->aug; /* x[i] = v: v first, as Python evaluates it (x[i] += v: x[i] first) */
    env.out_ok = st->out; /* (np.add(a, b, out=x[1:]): the call's value, for x[1:]) */
    if (value_first && fe_parse(ctx, &env, pg->text + st->x, st->xlen, false, &vv) != KILN_OK) rc = report_kiln(pg, st->x);
    else if (value_first && st->out && !env.out_done) rc = report(pg, st->x, "this call's out= is not an output array's (out= is NumPy's ufuncs' and reductions')");
    else if (value_first) warn_once(pg, st, &env, st->x);
    env.out_ok = false;
    scope_rngs rng0[1]; /* the subscript is parsed more than once: each time it draws the same (rand() in it) */
    if (!scope_rngs_save(s->scope, rng0)) {
        kiln_array_free(T);
        kval_free(ctx, &vv);
        return report(pg, st->t, "out of memory");
    }
    int upto = rc == RUN_OK && st->attrs ? view_upto(pg, st, st->lb, T, rng0) : UPTO_VIEW;
    if (upto == UPTO_VIEW && rc == RUN_OK && st->groups > 1 && st->llb > st->lb &&
        view_upto(pg, st, st->llb, T, rng0) == UPTO_READONLY) /* (a[:2].diagonal()[0] = v: a read-only view before the last subscript) */
        upto = UPTO_READONLY;
    if (upto != UPTO_VIEW) { /* x.attr[...] = v into a copy: NumPy changes nothing; into a read-only view: NumPy's error */
        kiln_array_free(T);
        kval_free(ctx, &vv);
        scope_rngs_free(s->scope, rng0);
        return upto == UPTO_READONLY ? read_only(pg, st->t)
                                     : report(pg, st->t, "x.attr[...] = value would write into a copy (this attribute of x is not a view of its memory), "
                                                         "which changes nothing");
    }
    if (rc != RUN_OK) {
    } else if (fe_parse(ctx, &env, pg->text + st->t, st->tlen, false, &tv) != KILN_OK) rc = report_kiln(pg, st->t);
    else if (tv.kind != KV_ARRAY) rc = report(pg, st->t, "cannot assign to this subscript");
    if (rc == RUN_OK && !value_first) {
        /* NumPy updates one element picked by integers through a Python scalar (no same_kind rule) */
        bool element = tv.e->ndim == 0 && T->ndim > 0 && !strstr_in(pg->text, st->lb, st->t + st->tlen, "...");
        kiln_status ps = given ? (fe_kval_copy(ctx, &vv, given) ? KILN_OK : kiln_fail(ctx, KILN_ERR_NOMEM, "out of memory"))
                         : st->aug ? fe_parse_item_update(ctx, &env, &tv, (kiln_dtype)T->dtype, element, st->op, pg->text + st->x, st->xlen, &vv)
                                   : fe_parse(ctx, &env, pg->text + st->x, st->xlen, false, &vv);
        if (ps != KILN_OK) rc = report_kiln(pg, st->aug ? st->start : st->x);
        else if (!given) warn_once(pg, st, &env, st->x);
    }
    if (rc == RUN_OK && vv.kind == KV_ARRAY && vv.e->op == KILN_OP_CONST) { /* a number: cast here, no kernel */
        const char *bad = number_fits(vv.e, (kiln_dtype)T->dtype);
        if (bad) rc = report(pg, st->x, bad);
        else if ((A = kiln_array_new(ctx, (kiln_dtype)T->dtype, 0, NULL)))
            ref_store(A->data, (kiln_dtype)T->dtype, ref_cast(vv.e->val, (kiln_dtype)vv.e->dtype, (kiln_dtype)T->dtype));
        else
            rc = report_kiln(pg, st->x);
    } else if (rc == RUN_OK) { /* the value, in an array of its own, of the array's dtype */
        if (vv.kind == KV_TUPLE) vv.kind = KV_LIST; /* x[:2] = (7, 8): as a list */
        const char *bad = numbers_fit(&vv, (kiln_dtype)T->dtype);
        kiln_expr *e = bad ? NULL : fe_as_expr(ctx, &vv, "the value");
        ve = e && e->dtype != T->dtype ? kiln_cast(ctx, e, (kiln_dtype)T->dtype) : kiln_expr_retain(e);
        kiln_expr_free(e);
        if (bad) rc = report(pg, st->x, bad);
        else if (!ve) rc = report_kiln(pg, st->x); /* (evaluated once where it goes is known) */
    }
    if (rc == RUN_OK && !P) { /* where it goes: a view of T's memory, or T's elements at positions P */
        const kiln_expr *chain[VIEW_CHAIN];
        int depth;
        bool py;
        kiln_expr *te = tv.e;
        if (te->op == KILN_OP_VAR && kiln_expr_array(te) == T) V = kiln_array_retain(T);
        else if ((src = view_chain(te, chain, &depth)) && root_of(src) == root_of(T)) V = materialize(pg, NULL, &tv, &py);
        if (V && root_of(V) != root_of(T)) { /* a reshape the memory could not take: a copy */
            kiln_array_free(V);
            V = NULL;
        }
        if (!V) P = index_positions(pg, st, T, rng0, &rc);
        if (!V && !P && rc == RUN_OK) P = positions_of(pg, st, T, rng0, &rc);
    }
    bool direct = false; /* params[0] -= lr * g: one pass, written straight into the view, Ctrl-C held back for it */
    if (rc == RUN_OK && ve && V && one_pass(ve, 0) && kiln_array_size(V) > SETITEM_HOST && ve->ndim == V->ndim &&
        !memcmp(ve->shape, V->shape, (size_t)V->ndim * sizeof *V->shape)) {
        held h = hold_interrupts(ctx);
        if (kiln_eval_into(ctx, ve, V) != KILN_OK) rc = report(pg, st->start, kiln_errmsg(ctx));
        release_interrupts(ctx, &h);
        direct = true;
    } else if (rc == RUN_OK && ve && ve->op == KILN_OP_VAR && root_of(kiln_expr_array(ve)) != root_of(T)) {
        A = kiln_array_retain(kiln_expr_array(ve)); /* (a name's array of T's dtype, apart from T: read where it is) */
    } else if (rc == RUN_OK && ve) {
        A = kiln_array_new(ctx, (kiln_dtype)T->dtype, ve->ndim, ve->shape);
        if (!A || kiln_eval_into(ctx, ve, A) != KILN_OK) rc = report_kiln(pg, st->x);
    }
    if (rc == RUN_OK && P && A && A->ndim > 1 && whole_mask(pg, st, rng0) == T->ndim) { /* (NumPy's: a mask of all of T's dims takes no 2-d value) */
        char msg[160];
        snprintf(msg, sizeof msg, "NumPy boolean array indexing assignment requires a 0 or 1-dimensional input, input has %d dimensions", A->ndim);
        rc = report(pg, st->x, msg);
    }
    kiln_array *B = rc == RUN_OK && !direct ? assigned_view(ctx, A, V ? V->ndim : P->ndim, V ? V->shape : P->shape) : NULL;
    if (rc == RUN_OK && !B && P && A->ndim > 0 && whole_mask(pg, st, rng0)) { /* NumPy's words */
        char msg[200];
        snprintf(msg, sizeof msg, "NumPy boolean array indexing assignment cannot assign %lld input values to the %lld output values where the mask is true",
                 (long long)kiln_array_size(A), (long long)P->shape[0]);
        rc = report(pg, st->x, msg);
    } else if (rc == RUN_OK && !B && !direct) {
        rc = report_kiln(pg, st->x);
    }
    if (rc == RUN_OK) {
        held h = hold_interrupts(ctx);
        if (direct) { /* (written already) */
        } else if (V && kiln_array_size(V) > SETITEM_HOST) {
            kiln_expr *b = kiln_var(ctx, B);
            if (!b || kiln_eval_into(ctx, b, V) != KILN_OK) rc = report(pg, st->start, kiln_errmsg(ctx));
            kiln_expr_free(b);
        } else if (P && T->ndim == 1 && P->ndim == 1 && B->ndim == 1 && rt_array_c_contiguous(P)) { /* x[idx] = v of a 1-D x: one loop */
            char *td = kiln_array_data(T);
            const char *bd = kiln_array_data(B);
            const int64_t *pd = kiln_array_data(P);
            int64_t ts = T->strides[0], bs = B->strides[0], m = B->shape[0];
            switch (kiln_dtype_size((kiln_dtype)T->dtype)) {
            case 8: for (int64_t k = 0; k < m; k++) memcpy(td + pd[k] * ts, bd + k * bs, 8); break;
            case 4: for (int64_t k = 0; k < m; k++) memcpy(td + pd[k] * ts, bd + k * bs, 4); break;
            case 2: for (int64_t k = 0; k < m; k++) memcpy(td + pd[k] * ts, bd + k * bs, 2); break;
            default: for (int64_t k = 0; k < m; k++) td[pd[k] * ts] = bd[k * bs]; break;
            }
        } else { /* a few elements through a view (no kernel to look up), or T's at positions P */
            char *td = kiln_array_data(T); /* (the host's bytes, current) */
            const char *bd = kiln_array_data(B), *pd = P ? kiln_array_data(P) : NULL;
            size_t es = kiln_dtype_size((kiln_dtype)T->dtype);
            for (int64_t k = 0; k < kiln_array_size(B); k++) {
                char *to = V ? V->data + kiln_elem_offset(k, V->ndim, V->shape, V->strides)
                             : td + kiln_elem_offset(*(const int64_t *)(const void *)(pd + kiln_elem_offset(k, P->ndim, P->shape, P->strides)), T->ndim,
                                              T->shape, T->strides);
                memcpy(to, bd + kiln_elem_offset(k, B->ndim, B->shape, B->strides), es);
            }
        }
        release_interrupts(ctx, &h);
        if (vv.kind == KV_ARRAY && vv.e) { /* x[i] = v: x comes from what v came from, too */
            uint64_t *ids;
            int n = fe_scope_sources_of(s->scope, NULL, vv.e, &ids);
            fe_scope_derive(s->scope, name, ids, n, true);
            kiln_free(ctx, ids);
        }
    }
    kiln_array_free(B);
    kiln_array_free(P);
    kiln_array_free(V);
    kiln_array_free(A);
    kiln_expr_free(ve);
    kval_free(ctx, &tv);
    kval_free(ctx, &vv);
    fe_deps_free(ctx, &env.deps);
    kiln_array_free(T);
    scope_rngs_free(s->scope, rng0);
    return rc;
}

/* What a for loop goes over: a range, a tuple or list's items, an array's rows (views), or
 * zip/enumerate of those. */
typedef struct iter {
    int64_t n;              /* items */
    int64_t r0, step;       /* range: item i is r0 + i * step */
    bool range;
    kval seq;               /* a tuple or list */
    kiln_array *rows;       /* an array (its rows are items) */
    int nparts;             /* zip: the parts; enumerate: one part after the count */
    struct iter *parts;
    bool enumerate;
    int64_t start;          /* enumerate's start */
    uint64_t *src;          /* what the iterable was computed from (fe_scope_sources_of) */
    int nsrc;
} iter;

static void iter_free(session *s, iter *it) {
    kiln_free(s->ctx, it->src);
    kval_free(s->ctx, &it->seq);
    kiln_array_free(it->rows);
    for (int i = 0; i < it->nparts; i++) iter_free(s, &it->parts[i]);
    free(it->parts);
    memset(it, 0, sizeof *it);
}

/* An iterable value (taken over: *v is left empty). */
static int iter_of_value(prog *pg, kval *v, size_t off, iter *it) {
    memset(it, 0, sizeof *it);
    if (v->kind == KV_TUPLE || v->kind == KV_LIST) { /* its arrays computed now, before the body changes what they read */
        bool ok = freeze(pg, v, &it->seq);
        kval_free(pg->s->ctx, v);
        if (!ok) return report_kiln(pg, off);
        it->n = it->seq.n;
        return RUN_OK;
    }
    if (v->kind == KV_STR) { /* a string's characters */
        bool ok = fe_str_chars(pg->s->ctx, v->s, &it->seq);
        kval_free(pg->s->ctx, v);
        it->n = it->seq.n;
        return ok ? RUN_OK : report(pg, off, "out of memory");
    }
    if (v->kind != KV_ARRAY) return report(pg, off, "for loops go over range(...), arrays, tuples, lists, strings, zip(...) and enumerate(...)");
    bool py;
    kiln_array *a = materialize(pg, NULL, v, &py);
    kval_free(pg->s->ctx, v);
    if (!a) return report_kiln(pg, off);
    if (a->ndim == 0) {
        const char *type = !py ? NULL : a->dtype == KILN_BOOL ? "bool" : dtype_is_float(a->dtype) ? "float" : "int";
        kiln_array_free(a);
        if (!type) return report(pg, off, "iteration over a 0-d array");
        char msg[64];
        snprintf(msg, sizeof msg, "'%s' object is not iterable", type); /* (a Python number's: Python's words) */
        return report(pg, off, msg);
    }
    it->rows = a;
    it->n = a->shape[0];
    return RUN_OK;
}

/* Parses the iterable text[x, x+len) into it. */
static int iter_parse(prog *pg, stmt *st, size_t x, size_t len, iter *it) {
    session *s = pg->s;
    memset(it, 0, sizeof *it);
    size_t call, clen;
    const char *t = pg->text;
    bool is_range = call_stmt(t, x, x + len, "range", &call, &clen), is_zip = call_stmt(t, x, x + len, "zip", &call, &clen),
         is_enum = call_stmt(t, x, x + len, "enumerate", &call, &clen);
    if (!is_range && !is_zip && !is_enum) {
        kval v = {0};
        fe_env env = {.scope = s->scope};
        kiln_clear_error(s->ctx);
        if (fe_parse(s->ctx, &env, t + x, len, true, &v) != KILN_OK) return report_kiln(pg, x);
        warn_once(pg, st, &env, x);
        int nsrc = v.kind == KV_ARRAY ? fe_scope_sources_of(s->scope, NULL, v.e, &it->src) : 0;
        uint64_t *src = it->src;
        int rc = iter_of_value(pg, &v, x, it); /* (which clears it first) */
        if (rc == RUN_OK) it->src = src, it->nsrc = nsrc;
        else kiln_free(s->ctx, src);
        kval_free(s->ctx, &v);
        return rc;
    }
    callargs c;
    int rc = parse_call(pg, st, call, clen, &c);
    if (rc) return rc;
    if (is_range) {
        int64_t v[3] = {0, 0, 1};
        bool ok = c.npos >= 1 && c.npos <= 3 && !c.nkw;
        int bad = -1;
        kiln_clear_error(s->ctx);
        for (int i = 0; i < c.npos && ok; i++) bad = (ok = int_now(s->ctx, &c.pos[i], &v[i], false)) ? -1 : i;
        if (!ok && kiln_errcode(s->ctx) != KILN_OK) rc = report_kiln(pg, call);
        else if (!ok) {
            char msg[96];
            if (c.nkw) snprintf(msg, sizeof msg, "range() takes no keyword arguments");
            else if (bad < 0) snprintf(msg, sizeof msg, "range expected %s, got %d", c.npos ? "at most 3 arguments" : "at least 1 argument", c.npos);
            else if (c.pos[bad].kind == KV_ARRAY && !fe_is_py(&c.pos[bad]) && c.pos[bad].e->ndim == 0) /* (a NumPy scalar: numpy.float64) */
                snprintf(msg, sizeof msg, "'numpy.%s' object cannot be interpreted as an integer", kiln_dtype_name((kiln_dtype)c.pos[bad].e->dtype));
            else snprintf(msg, sizeof msg, "'%s' object cannot be interpreted as an integer", fe_py_type(&c.pos[bad]));
            rc = report(pg, call, msg);
        }
        int64_t r0 = c.npos == 1 ? 0 : v[0], r1 = c.npos == 1 ? v[0] : v[1], step = c.npos == 3 ? v[2] : 1;
        if (rc == RUN_OK && step == 0) rc = report(pg, call, "range() arg 3 must not be zero");
        if (rc == RUN_OK) {
            it->range = true;
            it->r0 = r0;
            it->step = step;
            /* (unsigned: range(-2**63, 2**63 - 1, 2**62) and steps of +-2^63 do not overflow) */
            uint64_t ust = step > 0 ? (uint64_t)step : -(uint64_t)step, span = step > 0 ? (uint64_t)r1 - (uint64_t)r0 : (uint64_t)r0 - (uint64_t)r1;
            uint64_t n = (step > 0 ? r1 > r0 : r0 > r1) ? (span - 1) / ust + 1 : 0;
            it->n = n > INT64_MAX ? INT64_MAX : (int64_t)n;
        }
    } else {
        int want = is_enum ? 1 : c.npos;
        if ((is_enum && (c.npos < 1 || c.npos + c.nkw > 2 || (c.nkw && strcmp(c.kw[0].name, "start")))) || (is_zip && c.nkw))
            rc = report(pg, call, is_enum ? "enumerate() takes an iterable and start=0" : "zip() takes iterables only");
        const kval *sv = c.npos == 2 ? &c.pos[1] : c.nkw ? &c.kw[0].v : NULL; /* enumerate's start */
        if (rc == RUN_OK && is_enum && sv) {
            double f;
            if (!(sv->kind == KV_ARRAY && dtype_is_int((kiln_dtype)sv->e->dtype) && kiln_expr_scalar(sv->e, &f, &it->start)))
                rc = report(pg, call, "enumerate(): start must be an integer");
        }
        it->parts = rc == RUN_OK ? calloc((size_t)(want ? want : 1), sizeof *it->parts) : NULL;
        if (rc == RUN_OK && !it->parts) rc = report(pg, call, "out of memory");
        it->enumerate = is_enum;
        it->n = want ? INT64_MAX : 0; /* zip(): nothing */
        for (int i = 0; i < want && rc == RUN_OK; i++) {
            rc = iter_of_value(pg, &c.pos[i], call + c.pos[i].off, &it->parts[i]);
            it->nparts++;
            if (it->parts[i].n < it->n) it->n = it->parts[i].n;
        }
    }
    callargs_free(s, &c);
    if (rc) iter_free(s, it);
    return rc;
}

/* Item i of a range or an array's rows into arrays out[0 .. *count). */
static kiln_status iter_item(prog *pg, iter *it, int64_t i, kiln_array **out, bool *py, int *count, int cap) {
    kiln_ctx *ctx = pg->s->ctx;
    if (*count >= cap) return kiln_fail(ctx, KILN_ERR_ARG, "too many values to unpack");
    kiln_array *a = NULL;
    py[*count] = it->range;
    if (it->range) {
        int64_t k = (int64_t)((uint64_t)it->r0 + (uint64_t)i * (uint64_t)it->step); /* (within r0..r1) */
        if ((a = kiln_array_new(ctx, KILN_I64, 0, NULL))) memcpy(a->data, &k, sizeof k);
    } else {
        a = row_of(ctx, it->rows, i);
    }
    if (!a) return kiln_errcode(ctx) != KILN_OK ? kiln_errcode(ctx) : KILN_ERR_NOMEM;
    out[(*count)++] = a;
    return KILN_OK;
}

/* Item i of it as a value: a Python int of a range, a row (a view), a sequence's item, or a
 * tuple of zip's items (enumerate's: the count first) */
static bool iter_value(prog *pg, iter *it, int64_t i, kval *out) {
    kiln_ctx *ctx = pg->s->ctx;
    memset(out, 0, sizeof *out);
    if (it->parts) {
        int n = it->nparts + it->enumerate;
        kval *items = calloc((size_t)n, sizeof *items);
        if (!items) return kiln_fail(ctx, KILN_ERR_NOMEM, "out of memory"), false;
        bool ok = true;
        if (it->enumerate) ok = (items[0] = (kval){.kind = KV_ARRAY, .e = kiln_int(ctx, it->start + i)}).e != NULL;
        for (int p = 0; ok && p < it->nparts; p++) ok = iter_value(pg, &it->parts[p], i, &items[it->enumerate + p]);
        kval t = {.kind = KV_TUPLE, .n = n, .items = items};
        ok = ok && fe_kval_copy(ctx, out, &t); /* (kiln's allocator owns what kval_free frees) */
        for (int k = 0; k < n; k++) kval_free(ctx, &items[k]);
        free(items);
        return ok;
    }
    if (it->range) return (*out = (kval){.kind = KV_ARRAY, .e = kiln_int(ctx, (int64_t)((uint64_t)it->r0 + (uint64_t)i * (uint64_t)it->step))}).e != NULL;
    if (it->seq.kind) return fe_kval_copy(ctx, out, &it->seq.items[i]);
    kiln_array *a = row_of(ctx, it->rows, i);
    *out = (kval){.kind = KV_ARRAY, .e = a ? kiln_var(ctx, a) : NULL, .alias = it->rows->ndim > 1}; /* a row: a view, as NumPy's */
    kiln_array_free(a);
    return out->e != NULL;
}

static int exec_for(prog *pg, stmt *st) {
    session *s = pg->s;
    iter it;
    int rc = iter_parse(pg, st, st->x, st->xlen, &it);
    if (rc) return rc;
    /* several names, zip's items or a sequence's: Python's binding and unpacking (assign), nested
     * targets and an array's rows too; one name over a range or an array's rows: bound directly */
    bool unpack = st->nnames > 1 || st->seq[0] || st->group[0] || it.parts || it.seq.kind, broke = false;
    for (int64_t i = 0; i < it.n; i++) {
        if (repl_sigint) {
            rc = RUN_INTERRUPTED;
            break;
        }
        pg->src = it.src, pg->nsrc = it.nsrc; /* (the items: what the iterable came from) */
        if (unpack) {
            kval v;
            if (!iter_value(pg, &it, i, &v)) rc = report_kiln(pg, st->x);
            if (rc == RUN_OK) rc = assign(pg, st, 0, st->nnames, st->seq[0] || st->nnames > 1, &v);
            kval_free(s->ctx, &v);
        } else {
            kiln_array *a = NULL;
            bool py = false;
            int count = 0;
            if (iter_item(pg, &it, i, &a, &py, &count, 1) != KILN_OK) rc = report(pg, st->x, kiln_errmsg(s->ctx));
            else if (bind_name(pg, NULL, st->names[0], a, py) != KILN_OK) rc = report(pg, st->start, kiln_errmsg(s->ctx));
            if (count) kiln_array_free(a);
        }
        pg->src = NULL, pg->nsrc = 0;
        if (rc != RUN_OK) break;
        rc = exec_block(pg, st->body, st->nbody);
        if (rc == RUN_BREAK) {
            broke = true;
            rc = RUN_OK;
            break;
        }
        if (rc == RUN_CONTINUE) rc = RUN_OK;
        if (rc != RUN_OK) break;
    }
    iter_free(s, &it);
    return rc == RUN_OK && !broke ? exec_block(pg, st->orelse, st->nelse) : rc;
}

/* NAME.append(v) and NAME.extend(vs) of a list (a new list bound to NAME), NAME.sort(axis=-1),
 * NAME.fill(v) and random.shuffle(NAME) of an array (written into its memory, as NumPy's; a
 * shuffle moves the rows as NumPy's does, from np.random's state or a Generator's). */
/* np.add.at(NAME, indices, b), np.fill_diagonal(NAME, v) and the other in-place functions
 * (fe_in_place): NAME's new value (the frontend's, with env.in_place) written into its memory,
 * as NumPy's functions write. */
static int exec_in_place(prog *pg, stmt *st) {
    session *s = pg->s;
    kiln_ctx *ctx = s->ctx;
    kiln_array *T = kiln_scope_get(s->scope, st->names[0]);
    char msg[160];
    if (!T || fe_scope_py(s->scope, st->names[0])) {
        if (T || fe_scope_value(s->scope, st->names[0])) snprintf(msg, sizeof msg, "np.%s(): '%s' is not an array", st->method, st->names[0]);
        else snprintf(msg, sizeof msg, "name '%s' is not defined", st->names[0]);
        return report(pg, st->start, msg);
    }
    if (T->readonly) return read_only(pg, st->start);
    fe_env env = {.scope = s->scope, .in_place = true};
    kval v = {0};
    kiln_clear_error(ctx);
    if (fe_parse(ctx, &env, pg->text + st->x, st->xlen, false, &v) != KILN_OK) return report_kiln(pg, st->x);
    warn_once(pg, st, &env, st->x);
    kiln_array *A = kiln_eval(ctx, v.e); /* (into an array of its own: the value reads T) */
    kiln_expr *e = A ? kiln_var(ctx, A) : NULL;
    held h = hold_interrupts(ctx);
    int rc = e && kiln_eval_into(ctx, e, T) == KILN_OK ? RUN_OK : report_kiln(pg, st->x);
    release_interrupts(ctx, &h);
    kiln_expr_free(e);
    kiln_array_free(A);
    kval_free(ctx, &v);
    return rc;
}

/* xs.insert(i, v), xs.pop(i=-1) (NAME = xs.pop(i) binds the item), xs.remove(v), xs.clear()
 * and xs.reverse() of a list, in place, with Python's errors. */
static int exec_list_edit(prog *pg, stmt *st) {
    session *s = pg->s;
    kiln_ctx *ctx = s->ctx;
    const char *name = st->names[0], *m = st->method;
    kval *xs = fe_scope_list(s->scope, name);
    char msg[200];
    if (!xs) {
        if (kiln_scope_get(s->scope, name) && fe_scope_py(s->scope, name)) snprintf(msg, sizeof msg, "'%s' is a number: %s() is a list's", name, m);
        else if (kiln_scope_get(s->scope, name)) snprintf(msg, sizeof msg, "an array has no method '%s'", m);
        else if (fe_scope_value(s->scope, name)) snprintf(msg, sizeof msg, "'%s' is not a list: %s() is a list's", name, m);
        else snprintf(msg, sizeof msg, "name '%s' is not defined", name);
        return report(pg, st->start, msg);
    }
    callargs c = {0};
    int rc = parse_call(pg, st, st->x, st->xlen, &c);
    if (rc) return rc;
    int want = m[0] == 'i' ? 2 : m[0] == 'r' && m[2] == 'm' ? 1 : m[0] == 'p' ? -1 : 0; /* -1: at most 1 */
    int64_t at = -1;
    if (c.nkw) {
        snprintf(msg, sizeof msg, "list.%s() takes no keyword arguments", m);
        rc = report(pg, st->x, msg);
    } else if (want >= 0 ? c.npos != want : c.npos > 1) {
        if (want > 0) snprintf(msg, sizeof msg, "%s expected %d argument%s, got %d", m, want, want > 1 ? "s" : "", c.npos);
        else if (want < 0) snprintf(msg, sizeof msg, "pop expected at most 1 argument, got %d", c.npos);
        else snprintf(msg, sizeof msg, "list.%s() takes no arguments (%d given)", m, c.npos);
        rc = report(pg, st->x, msg);
    } else if ((m[0] == 'i' || m[0] == 'p') && c.npos && !int_now(ctx, &c.pos[0], &at, true)) {
        rc = report(pg, st->x + c.pos[0].off, "list indices must be integers");
    } else if (m[0] == 'i') { /* Python's clamp: before the first, after the last */
        int64_t n = xs->n, i = at < 0 ? (at + n < 0 ? 0 : at + n) : at > n ? n : at;
        kval one = {.kind = KV_LIST, .n = 1, .items = &c.pos[1]}, fz = {0};
        bool frozen = freeze(pg, &one, &fz);
        kval *items = frozen ? kiln_realloc(ctx, xs->items, (size_t)(n + 1) * sizeof *items) : NULL;
        if (!frozen) {
            rc = report_kiln(pg, st->x);
        } else if (!items) {
            rc = report(pg, st->x, "out of memory");
        } else {
            memmove(items + i + 1, items + i, (size_t)(n - i) * sizeof *items);
            items[i] = fz.items[0];
            memset(&fz.items[0], 0, sizeof fz.items[0]);
            xs->items = items;
            xs->n++;
        }
        kval_free(ctx, &fz);
    } else if (m[0] == 'p' || (m[0] == 'r' && m[2] == 'm')) { /* pop, remove: an item taken out */
        int64_t i = at < 0 ? at + xs->n : at;
        if (m[0] == 'r' && !fe_list_find(ctx, &(fe_env){.scope = s->scope}, xs, &c.pos[0], &i)) rc = report_kiln(pg, st->x);
        else if (m[0] == 'r' && i < 0) rc = report(pg, st->x, "list.remove(x): x not in list");
        else if (xs->n == 0) rc = report(pg, st->x, "pop from empty list");
        else if (i < 0 || i >= xs->n) rc = report(pg, st->x, "pop index out of range");
        if (rc == RUN_OK) {
            kval item = xs->items[i];
            memmove(xs->items + i, xs->items + i + 1, (size_t)(xs->n - i - 1) * sizeof *xs->items);
            xs->n--;
            if (st->names[1][0]) {
                rc = assign_one(pg, st, st->names[1], &item, st->start);
            } else if (m[0] == 'p' && !s->quiet) { /* xs.pop() alone shows the item, as an expression's value shows */
                kstr b = {0};
                int err = 0;
                repr_value(s, &item, &b, false, &err);
                if (err) rc = report_kiln(pg, st->x);
                else if (b.s) kstr_printf(&b, "\n"), print_out(b.s), rc = bind_underscore(pg, st, &item, st->x);
                kstr_free(&b);
            }
            kval_free(ctx, &item);
        }
    } else if (m[0] == 'c') {
        for (int i = 0; i < xs->n; i++) kval_free(ctx, &xs->items[i]);
        xs->n = 0;
    } else {
        for (int i = 0, j = xs->n - 1; i < j; i++, j--) {
            kval t = xs->items[i];
            xs->items[i] = xs->items[j], xs->items[j] = t;
        }
    }
    callargs_free(s, &c);
    return rc;
}

/* xs.sort(reverse=False) of a list: xs bound to sorted(xs, ...), Python's stable sort */
static int list_sort(prog *pg, stmt *st) {
    session *s = pg->s;
    const char *t = pg->text;
    size_t a = st->x + 1, b = st->x + st->xlen - 1; /* inside the parentheses */
    a = trim_left(t, a, b), b = trim_right(t, a, b);
    kstr src = {0};
    kstr_printf(&src, "sorted(%s%s%.*s\n)", st->names[0], b > a ? ", " : "", (int)(b - a), t + a); /* (a comment may end the arguments) */
    kval v = {0}, fz = {0};
    fe_env env = {.scope = s->scope};
    kiln_clear_error(s->ctx);
    int rc = RUN_OK;
    if (!src.s || fe_parse(s->ctx, &env, src.s, strlen(src.s), false, &v) != KILN_OK) rc = src.s ? report(pg, st->x, kiln_errmsg(s->ctx)) : report(pg, st->x, "out of memory");
    else if (!freeze(pg, &v, &fz) || fe_scope_take_value(s->scope, st->names[0], &fz) != KILN_OK) rc = report_kiln(pg, st->x);
    kval_free(s->ctx, &v);
    kval_free(s->ctx, &fz);
    kstr_free(&src);
    return rc;
}

/* x.sort(axis=-1, kind=None, order=None, *, stable=None) and x.partition(kth, axis=-1,
 * kind='introselect', order=None) of an array: x's values become np.sort(x, ...)'s
 * (np.partition(x, ...)'s), with that function's checks; axis=None, the ravelled array to the
 * function, is NumPy's error for the method. */
static int array_sort(prog *pg, stmt *st) {
    session *s = pg->s;
    kiln_ctx *ctx = s->ctx;
    const char *name = st->names[0], *m = st->method;
    kiln_array *T = kiln_scope_get(s->scope, name);
    char msg[200];
    if (!T || fe_scope_py(s->scope, name)) {
        if (!T && !fe_scope_value(s->scope, name)) snprintf(msg, sizeof msg, "name '%s' is not defined", name);
        else snprintf(msg, sizeof msg, "'%s' is not an array: %s() takes an array here", name, m);
        return report(pg, st->start, msg);
    }
    if (T->readonly) return read_only(pg, st->start);
    callargs c = {0};
    int rc = parse_call(pg, st, st->x, st->xlen, &c), at = m[0] == 'p'; /* (axis's position: after partition's kth) */
    if (rc) return rc;
    const kval *ax = c.npos > at ? &c.pos[at] : NULL;
    for (int i = 0; i < c.nkw; i++)
        if (!strcmp(c.kw[i].name, "axis")) ax = &c.kw[i].v;
    if (ax && ax->kind == KV_NONE) rc = report(pg, st->x + ax->off, "'NoneType' object cannot be interpreted as an integer");
    if (rc == RUN_OK && c.npos == FE_MAX_ARGS) rc = report(pg, st->x, "too many arguments");
    fe_env env = {.scope = s->scope};
    kval v = {0}, args[FE_MAX_ARGS] = {{.kind = KV_ARRAY, .e = rc == RUN_OK ? kiln_var(ctx, T) : NULL}}; /* x, then the call's own (parsed once) */
    if (rc == RUN_OK && !args[0].e) rc = report_kiln(pg, st->x);
    if (rc == RUN_OK) {
        for (int i = 0; i < c.npos; i++) args[i + 1] = c.pos[i];
        int n = c.npos + 1, nkw = c.nkw;
        c.npos = c.nkw = 0; /* (taken over) */
        kiln_clear_error(ctx);
        if (fe_call_values(ctx, &env, m, args, n, c.kw, nkw, &v) != KILN_OK) rc = report(pg, st->x, kiln_errmsg(ctx)); /* np.sort's, whatever the program calls sort */
    }
    callargs_free(s, &c);
    kiln_array *A = rc == RUN_OK ? kiln_eval(ctx, v.e) : NULL; /* (into an array of its own: a sort reads what it writes) */
    kiln_expr *e = A ? kiln_var(ctx, A) : NULL;
    if (rc == RUN_OK) {
        held h = hold_interrupts(ctx);
        if (!e || kiln_eval_into(ctx, e, T) != KILN_OK) rc = report_kiln(pg, st->x);
        release_interrupts(ctx, &h);
    }
    kiln_expr_free(e);
    kiln_array_free(A);
    kval_free(ctx, &v);
    return rc;
}

static int exec_method(prog *pg, stmt *st) {
    session *s = pg->s;
    for (int k = 0; fe_in_place[k]; k++)
        if (!strcmp(st->method, fe_in_place[k])) return exec_in_place(pg, st);
    if (!strcmp(st->method, "sort") && fe_scope_list(s->scope, st->names[0])) return list_sort(pg, st);
    if (!strcmp(st->method, "sort") || !strcmp(st->method, "partition")) return array_sort(pg, st);
    if (strchr("iprc", st->method[0]) || !strcmp(st->method, "reverse")) return exec_list_edit(pg, st);
    kiln_ctx *ctx = s->ctx;
    const char *name = st->names[0], *m = st->method;
    bool list = m[0] == 'a' || m[0] == 'e';
    kiln_array *T = kiln_scope_get(s->scope, name);
    const kval *bound = fe_scope_value(s->scope, name);
    char msg[200];
    if (list ? !bound || (bound->kind != KV_LIST) : !T || fe_scope_py(s->scope, name)) {
        if (!T && !bound) snprintf(msg, sizeof msg, "name '%s' is not defined", name);
        else if (list && T && fe_scope_py(s->scope, name)) snprintf(msg, sizeof msg, "'%s' object has no attribute '%s' ('%s' is a number)", fe_py_number_type((kiln_dtype)T->dtype), m, name);
        else if (list && T) snprintf(msg, sizeof msg, "an array has no method '%s' (np.append makes a new array: x = append(x, v))", m);
        else snprintf(msg, sizeof msg, list ? "'%s' is not a list: append() and extend() are a list's" : "'%s' is not an array: sort(), fill() and shuffle() take an array here", name);
        return report(pg, st->start, msg);
    }
    if (!list && T->readonly) return read_only(pg, st->start);
    callargs c = {0};
    int rc = m[1] == 'h' ? RUN_OK : parse_call(pg, st, st->x, st->xlen, &c);
    if (rc) return rc;
    if (list) {
        kval v = {0}, items = {0};
        if (c.npos != 1 || c.nkw) rc = report(pg, st->x, m[0] == 'a' ? "append() takes exactly one argument" : "extend() takes exactly one argument");
        else if (m[0] == 'a') items = (kval){.kind = KV_LIST, .n = 1, .items = &c.pos[0]};
        else { /* a list's or a tuple's items, a string's characters, an array's rows */
            kval all = {0};
            rc = items_of(pg, &c.pos[0], st->x + c.pos[0].off, "extend() takes a list, a tuple, a string or an array", &all);
            kval_free(ctx, &c.pos[0]);
            c.pos[0] = all;
            items = all;
        }
        if (rc == RUN_OK && m[0] == 'a') { /* the new item, frozen as an assignment's are, appended in place */
            kval one = {.kind = KV_LIST, .n = 1, .items = &c.pos[0]}, fz = {0};
            if (!freeze(pg, &one, &fz)) rc = report_kiln(pg, st->x);
            else if (fe_scope_append(s->scope, name, &fz.items[0]) != KILN_OK) rc = report(pg, st->x, "out of memory");
            kval_free(ctx, &fz);
        } else if (rc == RUN_OK) { /* the new items, frozen as an assignment's are, appended in place */
            kval more = {.kind = KV_LIST, .n = items.n, .items = items.items};
            if ((int64_t)bound->n + items.n > FE_MAX_ITEMS) {
                char msg[80];
                snprintf(msg, sizeof msg, "the list would have more than %d items", FE_MAX_ITEMS);
                rc = report(pg, st->x, msg);
            } else if (!freeze(pg, &more, &v)) {
                rc = report_kiln(pg, st->x);
            } else if (fe_scope_extend(s->scope, name, &v) != KILN_OK) {
                rc = report(pg, st->x, "out of memory");
            }
            kval_free(ctx, &v);
        }
    } else {
        kiln_expr *x = kiln_var(ctx, T), *e = NULL, *cast = NULL;
        if (m[0] == 'f' && (c.npos != 1 || c.nkw)) rc = report(pg, st->x, "fill() takes exactly one value");
        if (rc == RUN_OK && m[1] == 'h' && T->ndim == 0) rc = report(pg, st->x, "shuffle(): the array must be at least 1-dimensional");
        fe_rng *gen = m[1] == 'h' && st->names[1][0] ? fe_scope_generator(s->scope, st->names[1]) : &s->scope->rng;
        if (rc == RUN_OK && !gen) {
            snprintf(msg, sizeof msg, "'%s' is not a Generator (np.random.default_rng()): it has no shuffle()", st->names[1]);
            rc = report(pg, st->start, msg);
        }
        if (rc == RUN_OK && m[1] == 'h') { /* its rows in an order drawn now: NumPy's Fisher-Yates, from the end */
            int64_t n = T->shape[0];
            kiln_array *perm = kiln_array_new(ctx, KILN_I64, 1, &n);
            int64_t *d = perm ? (int64_t *)kiln_array_data(perm) : NULL;
            for (int64_t i = 0; d && i < n; i++) d[i] = i;
            for (int64_t i = n - 1; d && i > 0; i--) {
                int64_t j = (int64_t)fe_rng_interval(gen, (uint64_t)i), tmp = d[i];
                d[i] = d[j], d[j] = tmp;
            }
            kiln_expr *idx = perm ? kiln_var(ctx, perm) : NULL;
            e = idx ? kiln_take(ctx, x, idx, 0) : NULL;
            kiln_expr_free(idx);
            kiln_array_free(perm);
        }
        if (rc == RUN_OK && m[0] == 'f') { /* the value in x's dtype, broadcast to its shape */
            kiln_expr *v = fe_as_expr(ctx, &c.pos[0], "fill()'s value");
            const char *bad = v && v->ndim > 0 ? "Input object to FillWithScalar is not a scalar"
                            : v && v->op == KILN_OP_CONST ? number_fits(v, (kiln_dtype)T->dtype) : NULL;
            if (bad) rc = report(pg, st->x + c.pos[0].off, bad);
            cast = v && !bad ? kiln_cast(ctx, v, (kiln_dtype)T->dtype) : NULL;
            kiln_expr_free(v);
            e = cast ? kiln_where(ctx, kiln_bool(ctx, true), cast, x) : NULL;
        }
        kiln_array *A = e ? kiln_eval(ctx, e) : NULL; /* (into an array of its own: a sort reads what it writes) */
        kiln_expr *a = A ? kiln_var(ctx, A) : NULL;
        if (rc == RUN_OK) {
            held h = hold_interrupts(ctx);
            if (!a || kiln_eval_into(ctx, a, T) != KILN_OK) rc = report_kiln(pg, st->x);
            release_interrupts(ctx, &h);
        }
        kiln_expr *all[] = {x, e, cast, a};
        for (size_t i = 0; i < sizeof all / sizeof *all; i++) kiln_expr_free(all[i]);
        kiln_array_free(A);
    }
    callargs_free(s, &c);
    return rc;
}

/* The truth value of an if's or while's condition. */
static int condition(prog *pg, stmt *st, bool *t) {
    session *s = pg->s;
    kval v = {0};
    fe_env env = {.scope = s->scope};
    kiln_clear_error(s->ctx);
    if (fe_parse(s->ctx, &env, pg->text + st->x, st->xlen, false, &v) != KILN_OK) return report_kiln(pg, st->x);
    warn_once(pg, st, &env, st->x);
    /* a truth value needs the value: an array of one element is evaluated */
    int rc = RUN_OK;
    if (v.kind == KV_ARRAY && !fe_is_py(&v)) {
        int64_t n = 1;
        for (int d = 0; d < v.e->ndim; d++) n *= v.e->shape[d];
        if (n != 1) {
            rc = report(pg, st->x, fe_truth_ambiguous(n));
        } else {
            bool py;
            kiln_array *a = materialize(pg, NULL, &v, &py);
            if (!a) rc = report_kiln(pg, st->x);
            else *t = ref_cast(ref_load(a->data, (kiln_dtype)a->dtype), (kiln_dtype)a->dtype, KILN_BOOL).b;
            kiln_array_free(a);
        }
    } else if (v.kind == KV_ARRAY) {
        *t = ref_cast(v.e->val, (kiln_dtype)v.e->dtype, KILN_BOOL).b;
    } else {
        *t = v.kind == KV_STR ? v.s[0] != 0 : (v.kind == KV_TUPLE || v.kind == KV_LIST) ? v.n > 0 : false;
    }
    kval_free(s->ctx, &v);
    return rc;
}

/* One statement. */
/* The computed arrays of tuple v (nested ones too), at most TIMED_ITEMS, into es from n on. */
#define TIMED_ITEMS 256
static int timed_items(const kval *v, kiln_expr **es, int n) {
    for (int i = 0; i < v->n && n >= 0; i++) {
        const kval *it = &v->items[i];
        if (it->kind == KV_TUPLE || it->kind == KV_LIST) n = timed_items(it, es, n);
        else if (it->kind == KV_ARRAY && !fe_is_py(it)) n = n < TIMED_ITEMS ? (es[n] = it->e, n + 1) : -1;
    }
    return n;
}

bool run_underscore_ours(const session *s) {
    kiln_array *a = kiln_scope_get(s->scope, "_");
    const void *now = a ? (const void *)a : (const void *)fe_scope_value(s->scope, "_");
    return !now || now == s->underscore;
}

/* from numpy import NAMES (or *), the text at st->x: each name is NumPy's from here on, as Python's
 * import rebinds it: a binding of the program's under it goes (pi = 3 before it is np.pi after),
 * and Python's builtins NumPy shadows (sum, max, min, round, abs, pow, divmod) become NumPy's;
 * '*' does that for the builtins. */
static int import_numpy_names(prog *pg, stmt *st) {
    session *s = pg->s;
    const char *t = pg->text;
    size_t b = st->x + st->xlen;
    for (size_t i = st->x; i < b;) {
        size_t c = i;
        while (c < b && t[c] != ',') c++;
        size_t na = trim_left(t, i, c), nb = trim_right(t, na, c);
        char name[64];
        if (nb > na && nb - na < sizeof name && (t[na] == '*' || is_ident(t, na, nb))) {
            memcpy(name, t + na, nb - na);
            name[nb - na] = 0;
            bool star = name[0] == '*', numpy_name = fe_is_function(name) || fe_numpy_shadows(name);
            for (const char *const *v = fe_builtin_names(); !numpy_name && *v; v++) numpy_name = !strcmp(name, *v); /* (pi, e, nan, newaxis...) */
            if (!star && numpy_name) fe_scope_del(s->scope, name); /* (NumPy's name of kiln's: the program's binding of it goes) */
            for (int k = 0; star && fe_numpy_shadowed(k); k++) fe_scope_del(s->scope, fe_numpy_shadowed(k)); /* (the builtins NumPy's * rebinds) */
            fe_scope_numpy_builtin(s->scope, name);
        }
        i = c + 1;
    }
    return RUN_OK;
}

static int exec_one(prog *pg, stmt *st) {
    session *s = pg->s;
    if (repl_sigint) return RUN_INTERRUPTED;
    if (s->budget && --s->budget == 0) return report(pg, st->start, "the statement budget is spent");
    int rc = RUN_OK;
    switch (st->kind) {
    case S_PASS: return RUN_OK;
    case S_IMPORT:
        if (st->op == 2) return import_numpy_names(pg, st);
        if (!(st->op ? fe_scope_alias_linalg : fe_scope_alias_numpy)(s->scope, st->names[0]))
            return report(pg, st->start, "too many names for numpy (kiln keeps 8)");
        fe_scope_del(s->scope, st->names[0]); /* (the name now means numpy, as Python's import rebinds it) */
        return RUN_OK;
    case S_DELITEM: return del_list_items(pg, st);
    case S_DEL: /* one name after another, as Python's: del x, x deletes x, then finds it gone */
        for (int i = 0; i < st->nnames; i++) {
            if (!kiln_scope_get(s->scope, st->names[i]) && !fe_scope_value(s->scope, st->names[i])) {
                if (fe_scope_is_numpy_builtin(s->scope, st->names[i])) { /* from numpy import sum; del sum: Python's sum again */
                    fe_scope_unshadow(s->scope, st->names[i]);
                    continue;
                }
                char msg[128];
                snprintf(msg, sizeof msg, "name '%s' is not defined", st->names[i]);
                return report(pg, st->start, msg);
            }
            fe_scope_del(s->scope, st->names[i]);
        }
        return RUN_OK;
    case S_BREAK: return RUN_BREAK;
    case S_CONTINUE: return RUN_CONTINUE;
    case S_CMD: return run_command(s, pg->text, pg->len, st->start, st->end - st->start);
    case S_PRINT: return exec_print(pg, st);
    case S_SAVE: return exec_save(pg, st);
    case S_METHOD: return exec_method(pg, st);
    case S_SEED: return exec_seed(pg, st);
    case S_EXIT: return exec_exit(pg, st);
    case S_HELP: return exec_help(pg, st);
    case S_FOR: return exec_for(pg, st);
    case S_WHILE:
        for (;;) {
            bool t = false;
            if (repl_sigint) return RUN_INTERRUPTED;
            if ((rc = condition(pg, st, &t))) return rc;
            if (!t) return exec_block(pg, st->orelse, st->nelse);
            rc = exec_block(pg, st->body, st->nbody);
            if (rc == RUN_BREAK) return RUN_OK;
            if (rc != RUN_OK && rc != RUN_CONTINUE) return rc;
        }
    case S_ASSERT: { /* AssertionError, with the message's str() */
        bool t = false;
        if ((rc = condition(pg, st, &t)) || t) return rc;
        kstr b = {0};
        kstr_printf(&b, "AssertionError");
        if (st->olen) {
            kval v = {0};
            fe_env env = {.scope = s->scope};
            int err = 0;
            kiln_clear_error(s->ctx);
            if (fe_parse(s->ctx, &env, pg->text + st->oa, st->olen, false, &v) != KILN_OK) err = 1;
            kstr m = {0};
            if (!err) repr_value(s, &v, &m, true, &err);
            if (!err && m.s && *m.s) kstr_printf(&b, ": %s", m.s); /* (an empty message: Python's bare AssertionError) */
            kstr_free(&m);
            kval_free(s->ctx, &v);
            if (err) {
                kstr_free(&b);
                return report_kiln(pg, st->oa);
            }
        }
        rc = report(pg, st->start, b.s ? b.s : "AssertionError");
        kstr_free(&b);
        return rc;
    }
    case S_IF: {
        bool t = false;
        if ((rc = condition(pg, st, &t))) return rc;
        return t ? exec_block(pg, st->body, st->nbody) : exec_block(pg, st->orelse, st->nelse);
    }
    case S_EXPR: {
        if (!s->interactive && lex_quote_width(pg->text, st->x, st->x + st->xlen) == 3 && only_strings(pg->text, st->x, st->x + st->xlen))
            return RUN_OK; /* a docstring ("""...""" alone), in a program: not shown */
        if ((rc = build(pg, st, true))) return rc;
        if (!s->quiet && st->value.kind != KV_NONE) {
            kstr b = {0};
            int err = 0;
            kval shown = {0};
            if (s->interactive && run_underscore_ours(s)) { /* _ = the value, shown from there (computed once) */
                fe_env env = {.scope = s->scope};
                if ((rc = bind_underscore(pg, st, &st->value, st->x)) || fe_parse(s->ctx, &env, "_", 1, false, &shown) != KILN_OK) {
                    release(pg, st);
                    return rc ? rc : report_kiln(pg, st->x);
                }
            }
            repr_value(s, shown.kind != KV_NONE ? &shown : &st->value, &b, false, &err);
            kval_free(s->ctx, &shown);
            if (err) rc = report_kiln(pg, st->x);
            else if (b.s) {
                kstr_printf(&b, "\n");
                print_out(b.s);
            }
            kstr_free(&b);
        } else if (s->quiet && st->value.kind == KV_ARRAY && !fe_is_py(&st->value)) {
            bool py; /* timed: evaluate, print nothing */
            kiln_array *a = materialize(pg, st, &st->value, &py);
            if (!a) rc = report_kiln(pg, st->x);
            else if (!py && a->ndim > 0 && exclusive(a)) {
                kiln_array_free(st->spare);
                st->spare = a;
            } else {
                kiln_array_free(a);
            }
        } else if (s->quiet && (st->value.kind == KV_TUPLE || st->value.kind == KV_LIST)) {
            /* timed: a tuple's arrays (svd's u, s, vh), evaluated together as the printing would */
            kiln_expr *es[TIMED_ITEMS];
            kiln_array *outs[TIMED_ITEMS] = {0};
            int n = timed_items(&st->value, es, 0);
            if (n > 0 && kiln_eval_many(s->ctx, n, es, outs) != KILN_OK) rc = report_kiln(pg, st->x);
            for (int i = 0; i < n; i++) kiln_array_free(outs[i]);
        }
        release(pg, st);
        return rc;
    }
    case S_AUG: {
        /* NumPy's x += y writes into x's memory: other names of that array, and views of it or
         * of what it views, see the change.  An array nothing else holds is not observed by
         * anyone: it is replaced instead (evaluated into the spare buffer, no copy back). */
        kiln_array *target = kiln_scope_get(s->scope, st->names[0]);
        if (target && target->readonly && !fe_scope_py(s->scope, st->names[0])) return read_only(pg, st->start);
        bool shared = target && (kiln_array_ndim(target) > 0 || target->base || st->out) && !fe_scope_py(s->scope, st->names[0]) && !exclusive(target);
        if (shared) kiln_array_retain(target);
        if ((rc = build(pg, st, false))) {
            kiln_array_free(shared ? target : NULL);
            return rc;
        }
        sources_begin(pg, st);
        if (st->extends) rc = extend_list(pg, st);
        else rc = shared ? assign_in_place(pg, st, target) : assign(pg, st, 0, 1, false, &st->value);
        if (shared && rc == RUN_OK) fe_scope_derive(s->scope, st->names[0], pg->src, pg->nsrc, true);
        sources_end(pg);
        if (shared) kiln_array_free(target);
        release(pg, st);
        return rc == RUN_OK ? show_out(pg, st) : rc;
    }
    case S_SETITEM:
        return (rc = set_item(pg, st, NULL)) == RUN_OK ? show_out(pg, st) : rc;
    case S_ASSIGN: {
        if ((rc = build(pg, st, true))) return rc;
        /* The names must not hold arrays a kept graph holds (an in-place update would change the
         * graph's value): up to KEPT_COPY_BYTES of them are copied, and the graph is kept (a copy
         * costs less than parsing the statement again); more, and the names take them, and the
         * statement is built again at its next run. */
        int64_t own = st->cached ? own_bytes(&st->value) : 0;
        if (own > KEPT_COPY_BYTES) st->cached = false;
        kval fresh = {0}, *value = &st->value;
        if (own > 0 && st->cached) { /* the names take copies, as they would take a rebuilt graph's arrays */
            owned o = {0};
            bool ok = fe_kval_copy(s->ctx, &fresh, &st->value) && own_copies(pg, st, &fresh, &o);
            for (int k = 0; k < o.n; k++) kiln_expr_free(o.copy[k]);
            if (!ok) {
                kval_free(s->ctx, &fresh);
                release(pg, st);
                return report_kiln(pg, st->x + st->value.off);
            }
            value = &fresh;
        }
        int first = 0;
        sources_begin(pg, st);
        /* a = b = zeros(2): one array, which both names hold (as Python's one object) */
        kval one = *value;
        kiln_array *A = NULL;
        bool py = false;
        if (st->nchain > 1 && one.kind == KV_ARRAY && !fe_is_py(&one) && one.e->ndim > 0) { /* (a 0-d value is NumPy's immutable scalar: a copy each) */
            A = materialize(pg, st, value, &py);
            one = (kval){.kind = KV_ARRAY, .e = A ? kiln_var(s->ctx, A) : NULL, .alias = true, .off = value->off};
            if (!one.e) rc = report_kiln(pg, st->x + value->off);
        }
        for (int c = st->nchain - 1; c >= 0 && rc == RUN_OK; c--) { /* a = b = v binds b, then a */
            first = 0;
            for (int k = 0; k < c; k++) first += st->chain[k];
            rc = assign(pg, st, first, st->nchain ? st->chain[c] : 1, st->nchain && st->seq[c], &one);
        }
        if (A) {
            kiln_expr_free(one.e);
            kiln_array_free(A);
        }
        kval_free(s->ctx, &fresh);
        sources_end(pg);
        release(pg, st);
        return rc;
    }
    }
    return RUN_ERROR;
}

static int exec_block(prog *pg, stmt *v, int n) {
    for (int i = 0; i < n; i++) {
        int rc = exec_one(pg, &v[i]);
        if (rc == RUN_INTERRUPTED || (rc == RUN_ERROR && kiln_errcode(pg->s->ctx) == KILN_ERR_INTERRUPTED)) return RUN_INTERRUPTED;
        if (rc != RUN_OK) return rc;
    }
    return RUN_OK;
}

static int run_text(session *s, const char *text, size_t len);

/* Token-level syntax errors of the logical line t[a, b), found before anything runs, as Python's
 * compiler finds them (statements are parsed in full only when they run): two values side by
 * side (x = 5 5, print "x"), an operator with nothing after it (y = (1 +), x =), a '.' without a
 * name, an empty item (f(1,, 2)).  Conservative: a line the tokenizer cannot read, or one whose
 * oddity this does not know, is left to the parser.  False after reporting. */
static bool tokens_hold(prog *pg, size_t a, size_t b) {
    const char *t = pg->text;
    if (t[a] == ':' || word_at(t, a, b, "import") || word_at(t, a, b, "from")) return true; /* (a :command; from numpy import *) */
    static const char *const binary_ops[] = {"+", "-", "*", "/", "//", "%", "**", "@", "&", "|", "^", "~", "<<", ">>", "<", ">", "<=", ">=", "==", "!=", "=", "."};
    lexer lx;
    lex_init(&lx, t, b);
    lx.pos = a;
    token prev = {.kind = TK_END};
    for (;;) {
        token cur = lex_next(&lx);
        if (cur.kind == TK_ERROR) return true;
        bool pk = prev.kind == TK_NAME && lex_is_keyword(t + prev.off, prev.len), ck = cur.kind == TK_NAME && lex_is_keyword(t + cur.off, cur.len);
        bool ends = (prev.kind == TK_NAME && !pk) || prev.kind == TK_INT || prev.kind == TK_FLOAT || prev.kind == TK_IMAG || prev.kind == TK_STRING ||
                    (prev.kind == TK_OP && strchr(")]}", prev.text[0]) && !prev.text[1]);
        bool begins = (cur.kind == TK_NAME && !ck) || cur.kind == TK_INT || cur.kind == TK_FLOAT || cur.kind == TK_IMAG || cur.kind == TK_STRING;
        bool prefix = cur.kind == TK_NAME && cur.off + cur.len < b && (t[cur.off + cur.len] == '"' || t[cur.off + cur.len] == '\''); /* f"...": a string */
        bool joined = (cur.kind == TK_STRING || prefix) && (prev.kind == TK_STRING || (prev.kind == TK_NAME && prev.off + prev.len == cur.off)); /* "a" f"b" */
        if (ends && begins && !joined)
            return report(pg, cur.off, "invalid syntax: two values side by side (an operator or a comma missing?)"), false;
        bool binary = false;
        for (size_t k = 0; prev.kind == TK_OP && !binary && k < sizeof binary_ops / sizeof *binary_ops; k++) binary = !strcmp(prev.text, binary_ops[k]);
        bool closes = cur.kind == TK_END || (cur.kind == TK_OP && strchr(")],;", cur.text[0]) && !cur.text[1]);
        if (binary && !strcmp(prev.text, ".") && cur.kind != TK_NAME)
            return report(pg, cur.off, "invalid syntax: a name must follow '.'"), false;
        if (binary && closes) {
            char msg[80];
            snprintf(msg, sizeof msg, "expected a value after '%s', found %s%s%s", prev.text, cur.kind == TK_END ? "the end of the line" : "'",
                     cur.kind == TK_END ? "" : cur.text, cur.kind == TK_END ? "" : "'");
            return report(pg, cur.kind == TK_END ? prev.off : cur.off, msg), false;
        }
        size_t next = cur.kind == TK_OP && !strcmp(cur.text, ";") ? trim_left(t, cur.off + 1, b) : b;
        if (next < b && t[next] == ':') return true; /* (then a :command) */
        if (cur.kind == TK_OP && !strcmp(cur.text, ",") && prev.kind == TK_OP && strchr("(,[", prev.text[0]) && !prev.text[1])
            return report(pg, cur.off, "invalid syntax: an empty item before ','"), false;
        if (cur.kind == TK_END) return true;
        prev = cur;
    }
}

/* A break or continue outside any loop among n statements (in_loop: they are a loop's body),
 * reported before anything runs, as Python's compiler refuses it; false then. */
static bool loops_hold(prog *pg, const stmt *v, int n, bool in_loop) {
    for (int i = 0; i < n; i++) {
        const stmt *st = &v[i];
        if ((st->kind == S_BREAK || st->kind == S_CONTINUE) && !in_loop)
            return report(pg, st->start, st->kind == S_BREAK ? "'break' outside loop" : "'continue' not properly in loop"), false;
        bool loop = st->kind == S_FOR || st->kind == S_WHILE; /* (a loop's else: is outside it) */
        if (!loops_hold(pg, st->body, st->nbody, in_loop || loop) || !loops_hold(pg, st->orelse, st->nelse, in_loop)) return false;
    }
    return true;
}

int run_program(session *s, const char *text, size_t len) {
    char *lf = NULL; /* Python's universal newlines: a "\r\n" or a lone "\r" ends a line as "\n" does */
    if (memchr(text, '\r', len)) {
        if (!(lf = malloc(len + 1))) return report(&(prog){s, text, len}, 0, "out of memory");
        size_t n = 0;
        for (size_t i = 0; i < len; i++)
            if (text[i] != '\r') lf[n++] = text[i];
            else if (i + 1 == len || text[i + 1] != '\n') lf[n++] = '\n';
        lf[n] = 0;
        text = lf, len = n;
    }
    int rc = run_text(s, text, len);
    free(lf);
    return rc;
}

static int run_text(session *s, const char *text, size_t len) {
    prog pg = {s, text, len};
    line *ln = NULL;
    int nl = split_lines(&pg, &ln);
    if (nl < 0) return RUN_ERROR;
    stmt *top = NULL;
    int ntop = 0, li = 0, rc = RUN_OK;
    if (nl > 0 && ln[0].indent > 0) rc = report(&pg, ln[0].start, "unexpected indent");
    if (rc == RUN_OK && !parse_suite(&pg, ln, nl, &li, 0, &top, &ntop, 0)) rc = RUN_ERROR;
    if (rc == RUN_OK && li < nl) rc = report(&pg, ln[li].start, "unindent does not match any outer indentation level");
    for (int i = 0; rc == RUN_OK && i < nl; i++)
        if (!tokens_hold(&pg, ln[i].start, ln[i].end)) rc = RUN_ERROR;
    if (rc == RUN_OK && !loops_hold(&pg, top, ntop, false)) rc = RUN_ERROR;
    free(ln);
    if (rc == RUN_OK) rc = exec_block(&pg, top, ntop);
    if (rc == RUN_BREAK || rc == RUN_CONTINUE) rc = report(&pg, 0, "'break' or 'continue' outside a loop"); /* (refused above) */
    stmts_free(s, top, ntop);
    return rc;
}

/* ------------------------------------------------------------------ for commands.c */

stmt *run_parse_simple(session *s, const char *text, size_t len, size_t off, size_t slen) {
    prog pg = {s, text, len};
    stmt *st = calloc(1, sizeof *st);
    if (!st) return NULL;
    size_t a = trim_left(text, off, off + slen), b = trim_right(text, a, off + slen);
    if (a == b) {
        free(st);
        report(&pg, a, "this command needs a statement");
        return NULL;
    }
    char semi = ';';
    if (scan_top(text, a, b, is_char, &semi) != b || word_at(text, a, b, "for") || word_at(text, a, b, "while") || word_at(text, a, b, "if")) {
        free(st);
        report(&pg, a, "this command takes one simple statement (an expression or an assignment)");
        return NULL;
    }
    if (!parse_simple_at(&pg, st, a, b)) {
        stmts_free(s, st, 1);
        return NULL;
    }
    return st;
}

typedef struct saved_name {
    char name[64];
    kiln_array *a; /* a reference of its own, or NULL */
    bool py, has_value;
    kval value;
} saved_name;
struct run_saved {
    int n;
    saved_name names[MAX_TARGETS];
};

bool run_stmt_augmented(const stmt *st) {
    bool items = false;
    for (int k = 0; st->kind == S_ASSIGN && k < st->nnames; k++) items |= st->item_len[k] > 0;
    return st->kind == S_AUG || st->kind == S_SETITEM || st->kind == S_METHOD || st->kind == S_DEL || st->kind == S_DELITEM ||
           st->kind == S_SEED || st->kind == S_EXIT || items;
}

void *run_rng_save(session *s) {
    scope_rngs *r = calloc(1, sizeof *r);
    if (r && !scope_rngs_save(s->scope, r)) {
        free(r);
        r = NULL;
    }
    return r;
}

void run_rng_restore(session *s, void *saved) {
    if (!saved) return;
    scope_rngs_load(s->scope, saved);
    scope_rngs_free(s->scope, saved);
    free(saved);
}

/* What names[0 .. n) are bound to now (n <= MAX_TARGETS), for run_restore_targets. */
static run_saved *run_save_names(session *s, const char *const *names, int n) {
    run_saved *sv = calloc(1, sizeof *sv);
    if (!sv) return NULL;
    for (int i = 0; i < n; i++) {
        saved_name *e = &sv->names[sv->n++];
        snprintf(e->name, sizeof e->name, "%s", names[i]);
        kiln_array *a = kiln_scope_get(s->scope, e->name);
        const kval *v = fe_scope_value(s->scope, e->name);
        e->a = a ? kiln_array_retain(a) : NULL;
        e->py = a && fe_scope_py(s->scope, e->name);
        e->has_value = v && fe_kval_copy(s->ctx, &e->value, v);
    }
    return sv;
}

run_saved *run_save_targets(session *s, const stmt *st) {
    const char *names[MAX_TARGETS];
    int n = st->kind == S_ASSIGN || st->kind == S_AUG ? st->nnames : 0; /* others bind nothing */
    for (int i = 0; i < n; i++) names[i] = st->names[i];
    return run_save_names(s, names, n);
}

void run_restore_targets(session *s, run_saved *sv, bool put_back) {
    if (!sv) return;
    for (int i = 0; i < sv->n; i++) {
        saved_name *e = &sv->names[i];
        if (put_back && e->a) fe_scope_set(s->scope, e->name, e->a, e->py);
        else if (put_back && e->has_value) fe_scope_set_value(s->scope, e->name, &e->value);
        else if (put_back) fe_scope_del(s->scope, e->name);
        kiln_array_free(e->a);
        if (e->has_value) kval_free(s->ctx, &e->value);
    }
    free(sv);
}

int run_simple(session *s, const char *text, size_t len, stmt *st) {
    prog pg = {s, text, len};
    int rc = exec_one(&pg, st);
    if (rc == RUN_ERROR && kiln_errcode(s->ctx) == KILN_ERR_INTERRUPTED) rc = RUN_INTERRUPTED;
    return rc;
}
