/*
 * lex.h — the tokenizer for kiln's expression language (a subset of Python's).
 *
 * Pipeline position: the very start; parse.c pulls tokens one at a time.  Every token carries
 * its byte offset, which is what error messages point at.
 */
#ifndef KILN_FRONTEND_LEX_H
#define KILN_FRONTEND_LEX_H

#include "../base/base.h"

typedef enum tok_kind {
    TK_END,    /* end of input */
    TK_INT,    /* 42, 1_000 */
    TK_FLOAT,  /* 1., .5, 1e-3 */
    TK_NAME,   /* identifiers, True, False */
    TK_STRING, /* 'x' or "x", with Python's backslash escapes */
    TK_OP,     /* operators and punctuation, spelled in text */
    TK_IMAG,   /* 5j, 0.5j: an imaginary literal, fval its factor (only a step of mgrid's and r_'s
                  slices takes one: a count of points) */
    TK_ERROR,  /* a character that starts no token; lx->err says why */
} tok_kind;

typedef struct token {
    tok_kind kind;
    size_t off, len;  /* where it is in the source */
    char text[4];     /* TK_OP: its spelling ("**", "(", ...) */
    int64_t ival;     /* TK_INT (2**63, the literal of -2**63's magnitude: INT64_MIN) */
    double fval;      /* TK_FLOAT, TK_IMAG */
} token;

typedef struct lexer {
    const char *src;
    size_t len, pos;
    const char *err; /* TK_ERROR: a static message */
} lexer;

void lex_init(lexer *lx, const char *src, size_t len);
/* The bytes of the name character at s[i] (s has len bytes): 1 for an ASCII letter, digit or
 * '_'; 2 to 4 for a letter beyond ASCII (a well-formed UTF-8 sequence outside the spaces,
 * punctuation and symbols: Python's names take them, α = 0.1); 0 for anything else. */
size_t lex_name_char(const char *s, size_t i, size_t len);
/* Whether s[a, b) is a name: name characters, not a digit first. */
bool lex_is_name(const char *s, size_t a, size_t b);
/* The next token (TK_END forever at the end). */
token lex_next(lexer *lx);
/* Whether s[0, len) is one of Python's keywords other than True, False and None (those are
 * literals): no program can assign to or read such a name. */
bool lex_is_keyword(const char *s, size_t len);
/* Copies a TK_NAME or TK_STRING's text (string without quotes, escapes undone) into buf; false
 * if too long. */
bool lex_text(const lexer *lx, const token *t, char *buf, size_t cap);
/* The width of the quotes of the string at src[off] (a quote; the text ends at len): 3 for a
 * triple-quoted one, else 1. */
static inline size_t lex_quote_width(const char *src, size_t off, size_t len) {
    return off + 2 < len && src[off + 1] == src[off] && src[off + 2] == src[off] ? 3 : 1;
}
/* Whether three quotes q close a triple-quoted string at src[i]. */
static inline bool lex_closes(const char *src, size_t i, size_t len, char q) {
    return i + 2 < len && src[i] == q && src[i + 1] == q && src[i + 2] == q;
}
/* The backslash escape at s[i] (s[i] is '\\', i + 1 < end), as Python's: \\ \' \" \a \b \f \n \r
 * \t \v, octal \ooo, \xhh, \uXXXX and \UXXXXXXXX (as UTF-8); any other keeps its backslash.  Its
 * bytes go to out (*n of them) and it returns the characters it spans, or 0 with *why set
 * when it is malformed (a truncated \x, \u or \U, a code point past U+10FFFF, NUL, \N{...}). */
size_t lex_escape(const char *s, size_t i, size_t end, char out[4], int *n, const char **why);
/* s[a, b) with its escapes undone into buf (NUL-terminated); false when it does not fit in cap
 * or an escape is malformed. */
bool lex_unescape(const char *s, size_t a, size_t b, char *buf, size_t cap);

#endif
