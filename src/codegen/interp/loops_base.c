/* loops_base.c — the interpreter's block loops built for SSE2 (flags in CMakeLists.txt). */
#define LOOPS_NAME interp_loops_base
#define LOOPS_ISA "SSE2"
#include "loops.inc"
