/*
 * fuzz_program.c — libFuzzer target: whole kiln programs (the statement splitter, blocks,
 * loops, assignments, printing), as the kiln program runs a script.  Output goes to /dev/null;
 * each input may run at most 2000 statements, make arrays of at most 64 MB and values of at most
 * 65536 items in their tuples and lists.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "repl/run.h"

static session s;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    setenv("KILN_MAX_ARRAY_MB", "64", 1);
    setenv("KILN_MAX_ITEMS", "65536", 1); /* tuples and lists copied: 2^16 items, not 2^20 */
    setenv("KILN_DISABLE_CACHE", "1", 1);
    int null = open("/dev/null", O_WRONLY);
    dup2(null, 1); /* what programs print */
    s.err = fdopen(null, "w");
    s.src = "<fuzz>";
    return 0;
}

/* Whether the program would touch the machine beyond its own memory: files written, threads
 * set (4096 of them is allowed), timing loops.  Those inputs are skipped. */
static bool outside(const uint8_t *data, size_t size) {
    static const char *const words[] = {"save", ":thr", ":time", ":cache", NULL};
    for (int w = 0; words[w]; w++)
        if (memmem(data, size, words[w], strlen(words[w]))) return true;
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (outside(data, size)) return 0;
    s.ctx = kiln_ctx_new(NULL);
    s.scope = kiln_scope_new(s.ctx);
    s.budget = 2000;
    run_program(&s, (const char *)data, size);
    kiln_scope_free(s.scope);
    kiln_ctx_free(s.ctx);
    return 0;
}
