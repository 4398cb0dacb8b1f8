/*
 * repl.h — the kiln program's own pieces (src/repl/): statements, commands and printing.
 *
 * The program stands on libkiln's public API (kiln.h) for everything it computes, and on the
 * ground floor (base/base.h) for its growable strings; it sees no other internals.
 */
#ifndef KILN_REPL_H
#define KILN_REPL_H

#include "../base/base.h"

/* Appends a's NumPy-style repr to b. */
void repl_format_array(const kiln_array *a, kstr *b);

#endif
