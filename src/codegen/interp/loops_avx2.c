/* loops_avx2.c — the interpreter's block loops built for AVX2 (flags in CMakeLists.txt). */
#define LOOPS_NAME interp_loops_avx2
#define LOOPS_ISA "AVX2"
#include "loops.inc"
