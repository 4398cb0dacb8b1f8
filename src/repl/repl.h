/*
 * repl.h — the kiln program's own pieces (src/repl/): statements, commands and printing on top
 * of libkiln's public API.
 */
#ifndef KILN_REPL_H
#define KILN_REPL_H

#include "../common.h"

/* Appends a's NumPy-style repr to b. */
void repl_format_array(const kiln_array *a, kstr *b);

#endif
