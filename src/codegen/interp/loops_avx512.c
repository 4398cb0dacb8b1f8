/* loops_avx512.c — the interpreter's block loops built for AVX-512 (flags in CMakeLists.txt). */
#define LOOPS_NAME interp_loops_avx512
#define LOOPS_ISA "AVX-512"
#include "loops.inc"
