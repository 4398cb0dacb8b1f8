/*
 * lex.c — the tokenizer: numbers as Python writes them, names, strings, operators.
 */
#include "lex.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void lex_init(lexer *lx, const char *src, size_t len) {
    lx->src = src;
    lx->len = len;
    lx->pos = 0;
    lx->err = NULL;
}

static token err_tok(lexer *lx, size_t off, const char *msg) {
    lx->err = msg;
    return (token){.kind = TK_ERROR, .off = off, .len = 1};
}

/* Appends c to buf unless it is full (the caller then refuses the number as too long). */
static void put(char *buf, size_t *n, size_t cap, char c) {
    if (*n + 1 < cap) buf[*n] = c;
    (*n)++;
}

/* Digits with Python's optional single underscores between them; returns the count. */
static size_t digits(lexer *lx, char *buf, size_t *n, size_t cap) {
    size_t count = 0;
    while (lx->pos < lx->len) {
        char c = lx->src[lx->pos];
        if (isdigit((unsigned char)c)) {
            put(buf, n, cap, c);
            lx->pos++;
            count++;
        } else if (c == '_' && count && lx->pos + 1 < lx->len && isdigit((unsigned char)lx->src[lx->pos + 1])) {
            lx->pos++;
        } else {
            break;
        }
    }
    return count;
}

/* 0x1f, 0o17, 0b101 (underscores between digits, as Python's) */
static token lex_radix(lexer *lx, size_t start) {
    char r = (char)tolower((unsigned char)lx->src[start + 1]);
    int base = r == 'x' ? 16 : r == 'o' ? 8 : 2;
    uint64_t v = 0;
    bool any = false, over = false;
    for (lx->pos = start + 2; lx->pos < lx->len; lx->pos++) {
        char c = lx->src[lx->pos];
        if (c == '_' && lx->pos + 1 < lx->len && isxdigit((unsigned char)lx->src[lx->pos + 1])) continue;
        int d = isdigit((unsigned char)c) ? c - '0' : isxdigit((unsigned char)c) ? tolower((unsigned char)c) - 'a' + 10 : 99;
        if (d >= base) break;
        over |= v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base;
        v = v * (uint64_t)base + (uint64_t)d;
        any = true;
    }
    if (!any || (lx->pos < lx->len && lex_name_char(lx->src, lx->pos, lx->len)))
        return err_tok(lx, any ? lx->pos : start,
                       base == 16 ? "invalid digit in a hexadecimal literal" : base == 8 ? "invalid digit in an octal literal" : "invalid digit in a binary literal");
    if (over || v > (uint64_t)INT64_MAX) return err_tok(lx, start, "integer literal is too large for int64");
    return (token){.kind = TK_INT, .off = start, .len = lx->pos - start, .ival = (int64_t)v};
}

static bool name_start(const char *s, size_t i, size_t len);

static token lex_number(lexer *lx) {
    size_t start = lx->pos, n = 0;
    char buf[128];
    bool is_float = false;
    if (lx->src[start] == '0' && start + 2 < lx->len && lx->src[start + 1] && strchr("xXoObB", lx->src[start + 1])) return lex_radix(lx, start);
    digits(lx, buf, &n, sizeof buf);
    if (lx->pos < lx->len && lx->src[lx->pos] == '.') {
        is_float = true;
        put(buf, &n, sizeof buf, '.');
        lx->pos++;
        digits(lx, buf, &n, sizeof buf);
    }
    if (lx->pos < lx->len && (lx->src[lx->pos] == 'e' || lx->src[lx->pos] == 'E')) {
        size_t save = lx->pos;
        put(buf, &n, sizeof buf, 'e');
        lx->pos++;
        if (lx->pos < lx->len && (lx->src[lx->pos] == '+' || lx->src[lx->pos] == '-')) put(buf, &n, sizeof buf, lx->src[lx->pos++]);
        if (digits(lx, buf, &n, sizeof buf) == 0) return err_tok(lx, save, "malformed exponent in a number");
        is_float = true;
    }
    if (n >= sizeof buf - 1) return err_tok(lx, start, "number is too long");
    buf[n] = 0;
    if (lx->pos < lx->len && (lx->src[lx->pos] == 'j' || lx->src[lx->pos] == 'J') &&
        !(lx->pos + 1 < lx->len && lex_name_char(lx->src, lx->pos + 1, lx->len))) {
        lx->pos++; /* 5j */
        return (token){.kind = TK_IMAG, .off = start, .len = lx->pos - start, .fval = strtod(buf, NULL)};
    }
    if (lx->pos < lx->len && lex_name_char(lx->src, lx->pos, lx->len))
        return err_tok(lx, lx->pos, lx->src[lx->pos] == 'j' || lx->src[lx->pos] == 'J' ? "complex numbers are not supported"
                                                                                       : "invalid character in a number");
    token t = {.kind = is_float ? TK_FLOAT : TK_INT, .off = start, .len = lx->pos - start};
    errno = 0;
    if (is_float) {
        t.fval = strtod(buf, NULL);
    } else {
        if (n > 1 && buf[0] == '0' && strspn(buf, "0") != n) return err_tok(lx, start, "leading zeros in a decimal integer are not allowed");
        unsigned long long v = strtoull(buf, NULL, 10);
        if (errno == ERANGE || v > (unsigned long long)INT64_MAX + 1) return err_tok(lx, start, "integer literal is too large for int64");
        t.ival = (int64_t)v; /* (2**63 is INT64_MIN: the parser takes it after a unary minus only) */
    }
    return t;
}

static int hex_digit(char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

size_t lex_escape(const char *s, size_t i, size_t end, char out[4], int *n, const char **why) {
    char e = s[i + 1];
    static const char from[] = "\\'\"abfnrtv", to[] = "\\'\"\a\b\f\n\r\t\v";
    const char *k = e ? strchr(from, e) : NULL;
    *n = 1;
    if (e == '\n' || (e == '\r' && i + 2 < end && s[i + 2] == '\n')) { /* a backslash ending a line of a triple-quoted string: it goes on */
        *n = 0;
        return e == '\n' ? 2 : 3;
    }
    if (k) {
        out[0] = to[k - from];
        return 2;
    }
    uint32_t cp = 0;
    size_t len = 2;
    if (e >= '0' && e <= '7') { /* up to three octal digits */
        for (len = 1; len <= 3 && i + len < end && s[i + len] >= '0' && s[i + len] <= '7'; len++) cp = cp * 8 + (uint32_t)(s[i + len] - '0');
    } else if (e == 'x' || e == 'u' || e == 'U') {
        size_t digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
        for (size_t d = 0; d < digits; d++) {
            int h = i + 2 + d < end ? hex_digit(s[i + 2 + d]) : -1;
            if (h < 0) {
                *why = e == 'x' ? "truncated \\xXX escape" : e == 'u' ? "truncated \\uXXXX escape" : "truncated \\UXXXXXXXX escape";
                return 0;
            }
            cp = cp * 16 + (uint32_t)h;
        }
        len = 2 + digits;
        if (cp > 0x10FFFF) {
            *why = "illegal Unicode character in a \\U escape";
            return 0;
        }
    } else if (e == 'N') {
        *why = "\\N{...} escapes are not supported";
        return 0;
    } else { /* not an escape: the backslash stays */
        out[0] = '\\';
        return 1;
    }
    if (cp == 0) {
        *why = "a NUL character in a string is not supported";
        return 0;
    }
    if (cp < 0x80) out[0] = (char)cp;
    else if (cp < 0x800) out[0] = (char)(0xC0 | cp >> 6), out[1] = (char)(0x80 | (cp & 0x3F)), *n = 2;
    else if (cp < 0x10000) out[0] = (char)(0xE0 | cp >> 12), out[1] = (char)(0x80 | (cp >> 6 & 0x3F)), out[2] = (char)(0x80 | (cp & 0x3F)), *n = 3;
    else
        out[0] = (char)(0xF0 | cp >> 18), out[1] = (char)(0x80 | (cp >> 12 & 0x3F)), out[2] = (char)(0x80 | (cp >> 6 & 0x3F)),
        out[3] = (char)(0x80 | (cp & 0x3F)), *n = 4;
    return len;
}

token lex_next(lexer *lx) {
    /* blanks, newlines (a statement spread over lines inside brackets reaches the parser
     * whole), comments to the end of their line, and backslash-newline continuations */
    while (lx->pos < lx->len) {
        char w = lx->src[lx->pos];
        if (w == ' ' || w == '\t' || w == '\r' || w == '\n' || w == '\f') lx->pos++;
        else if (w == '\\' && lx->pos + 1 < lx->len && lx->src[lx->pos + 1] == '\n') lx->pos += 2;
        else if (w == '#')
            while (lx->pos < lx->len && lx->src[lx->pos] != '\n') lx->pos++;
        else break;
    }
    if (lx->pos >= lx->len) return (token){.kind = TK_END, .off = lx->len};
    size_t start = lx->pos;
    char c = lx->src[start];
    if (isdigit((unsigned char)c) || (c == '.' && start + 1 < lx->len && isdigit((unsigned char)lx->src[start + 1])))
        return lex_number(lx);
    if (name_start(lx->src, start, lx->len)) {
        for (size_t k; lx->pos < lx->len && (k = lex_name_char(lx->src, lx->pos, lx->len));) lx->pos += k;
        return (token){.kind = TK_NAME, .off = start, .len = lx->pos - start};
    }
    if (c == '\'' || c == '"') {
        size_t q = lex_quote_width(lx->src, start, lx->len); /* 3: a triple-quoted string, newlines in it */
        size_t pa = start; /* r"...", rf"...", Rb"...": escapes are text, unchecked (a backslash still keeps a quote) */
        while (pa > 0 && start - pa < 3 && isalpha((unsigned char)lx->src[pa - 1])) pa--;
        unsigned char pp = pa ? (unsigned char)lx->src[pa - 1] : 0; /* (the prefix not the end of a longer name) */
        bool raw = start - pa >= 1 && start - pa <= 2 && !(isdigit(pp) || pp == '_' || pp >= 0x80) &&
                   (memchr(lx->src + pa, 'r', start - pa) || memchr(lx->src + pa, 'R', start - pa));
        lx->pos += q;
        while (lx->pos < lx->len && (q == 1 ? lx->src[lx->pos] != c : !lex_closes(lx->src, lx->pos, lx->len, c))) {
            if (raw && lx->src[lx->pos] == '\\' && lx->pos + 1 < lx->len) {
                lx->pos += 2;
                continue;
            }
            if (lx->src[lx->pos] == '\\' && lx->pos + 1 < lx->len) { /* (a backslash ending a line: the string goes on, as Python's) */
                char b[4];
                int n;
                const char *why = NULL;
                size_t k = lex_escape(lx->src, lx->pos, lx->len, b, &n, &why);
                if (!k) return err_tok(lx, lx->pos, why);
                lx->pos += k;
                continue;
            }
            if (lx->src[lx->pos] == '\n' && q == 1) break;
            if (lx->src[lx->pos] == 0) return err_tok(lx, lx->pos, "a NUL byte in the source"); /* (the string would end there) */
            lx->pos++;
        }
        if (lx->pos >= lx->len || lx->src[lx->pos] != c) return err_tok(lx, start, "unterminated string");
        lx->pos += q;
        return (token){.kind = TK_STRING, .off = start, .len = lx->pos - start};
    }
    if (c == '.' && start + 2 < lx->len && lx->src[start + 1] == '.' && lx->src[start + 2] == '.') {
        lx->pos += 3;
        return (token){.kind = TK_OP, .off = start, .len = 3, .text = "..."};
    }
    static const char *const two[] = {"**", "//", "==", "!=", "<=", ">=", "<<", ">>"};
    token t = {.kind = TK_OP, .off = start, .len = 1};
    for (size_t i = 0; i < sizeof two / sizeof *two; i++) {
        if (start + 1 < lx->len && lx->src[start] == two[i][0] && lx->src[start + 1] == two[i][1]) {
            memcpy(t.text, two[i], 3);
            t.len = 2;
            lx->pos += 2;
            return t;
        }
    }
    if (c != 0 && strchr("+-*/%@&|^~<>(),.=[]:;", c)) {
        t.text[0] = c;
        lx->pos++;
        return t;
    }
    lx->pos++;
    return err_tok(lx, start, c == '!' ? "'!' is not an operator (use ~ for logical not, != to compare)"
                              : c == 0 ? "a NUL byte in the source"
                              : c == '{' || c == '}' ? "dicts and sets ({...}) are not in kiln's language: use lists, tuples and arrays"
                                       : "invalid character");
}

bool lex_unescape(const char *s, size_t a, size_t b, char *buf, size_t cap) {
    size_t n = 0;
    for (size_t i = a; i < b;) {
        char e[4] = {s[i]};
        int k = 1;
        const char *why;
        size_t used = s[i] == '\\' && i + 1 < b ? lex_escape(s, i, b, e, &k, &why) : 1;
        if (s[i] == '\r' && i + 1 < b && s[i + 1] == '\n') k = 0; /* a CRLF file's line end in a string: '\n', as Python reads it */
        if (!used || n + (size_t)k >= cap) return false;
        memcpy(buf + n, e, (size_t)k);
        n += (size_t)k, i += used;
    }
    buf[n] = 0;
    return true;
}

size_t lex_name_char(const char *s, size_t i, size_t len) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) return isalnum(c) || c == '_';
    size_t k = c >= 0xF0 && c < 0xF5 ? 4 : c >= 0xE0 && c < 0xF0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
    if (!k || i + k > len) return 0;
    uint32_t cp = c & (0x7F >> k);
    for (size_t j = 1; j < k; j++) {
        if (((unsigned char)s[i + j] & 0xC0) != 0x80) return 0;
        cp = cp << 6 | ((unsigned char)s[i + j] & 0x3F);
    }
    if ((k == 3 && cp < 0x800) || (k == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp < 0xE000)) return 0; /* (overlong, surrogates) */
    static const uint32_t not_letters[][2] = {{0x80, 0xA9}, {0xAB, 0xB4}, {0xB6, 0xB9}, {0xBB, 0xBF}, {0xD7, 0xD7}, {0xF7, 0xF7},
                                              {0x2000, 0x209F}, {0x20A0, 0x20CF}, {0x2190, 0x2BFF}, {0x3000, 0x303F}, {0xFE00, 0xFE0F},
                                              {0xFEFF, 0xFEFF}, {0xFF00, 0xFF0F}, {0xFF1A, 0xFF20}, {0x1F000, 0x1FAFF}}; /* (the last: emoji) */
    for (size_t r = 0; r < sizeof not_letters / sizeof *not_letters; r++)
        if (cp >= not_letters[r][0] && cp <= not_letters[r][1]) return 0;
    return k;
}

/* Whether the name character at s[i] can begin a name: not a digit, nor a combining mark. */
static bool name_start(const char *s, size_t i, size_t len) {
    unsigned char c = (unsigned char)s[i];
    bool combining = c == 0xCC || (c == 0xCD && i + 1 < len && (unsigned char)s[i + 1] < 0xB0); /* (U+0300..U+036F) */
    return !isdigit(c) && !combining && lex_name_char(s, i, len);
}

bool lex_is_name(const char *s, size_t a, size_t b) {
    if (a >= b || !name_start(s, a, b)) return false;
    for (size_t i = a, k; i < b; i += k)
        if (!(k = lex_name_char(s, i, b))) return false;
    return true;
}

bool lex_is_keyword(const char *s, size_t len) {
    static const char *const kw[] = {"and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else",
                                     "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
                                     "not", "or", "pass", "raise", "return", "try", "while", "with", "yield", NULL};
    if (len < 2 || len > 8 || *s < 'a' || *s > 'y') return false; /* (the words' lengths and first letters) */
    for (const char *const *k = kw; *k; k++)
        if (**k == *s && !strncmp(*k, s, len) && !(*k)[len]) return true;
    return false;
}

bool lex_text(const lexer *lx, const token *t, char *buf, size_t cap) {
    size_t off = t->off, len = t->len;
    if (t->kind == TK_STRING) { /* without the quotes */
        size_t q = lex_quote_width(lx->src, off, off + len);
        return lex_unescape(lx->src, off + q, off + len - q, buf, cap);
    }
    if (len + 1 > cap) return false;
    memcpy(buf, lx->src + off, len);
    buf[len] = 0;
    return true;
}
