/*
 * repl.h — the kiln program's printing (print.c); its statements and commands are run.h's.
 *
 * The program computes through libkiln's public API (kiln.h) and the language's parser
 * (frontend/frontend.h); it reads arrays' and nodes' fields (ownership, a placeholder's bound
 * array) where the statements reuse buffers, and the ground floor's growable strings.
 */
#ifndef KILN_REPL_H
#define KILN_REPL_H

#include "../base/base.h"

/* Printing (print.c): each function appends to b exactly what NumPy 2.2 or Python prints with
 * their default options; b stays the caller's (b->oom set if an append failed). */

/* repr(a): array([0.5 , 0.25]), rows wrapped at 75 columns, over 1000 elements summarized, the
 * shape and dtype named where NumPy names them.  A 0-d a is a NumPy scalar: np.float64(0.5),
 * np.int32(-2), np.True_. */
void repl_format_array(const kiln_array *a, kstr *b);
/* str(a), what print(a) shows: [0.5  0.25], [[1 2]\n [3 4]], [].  A 0-d a: 0.5, -2, True. */
void repl_format_str(const kiln_array *a, kstr *b);
/* repr (and str) of a Python float: the shortest digits that read back, 0.1, 1e-05, 1e+16, nan. */
void repl_format_pyfloat(double v, kstr *b);
/* repr of a Python int: 3, -12. */
void repl_format_pyint(int64_t v, kstr *b);
/* repr of a dtype: dtype('float64') (its str is kiln_dtype_name's float64). */
void repl_format_dtype(kiln_dtype dt, kstr *b);

#endif
