/*
 * cuda.h — the CUDA backend's parts, between its renderer (render.c) and its driver side
 * (cuda.c): the kernels' argument blocks, which both must lay out alike.
 *
 * Every kernel takes one argument, a struct passed by value (__grid_constant__), so a launch
 * needs no copy of its geometry to the device.  Its layout, for a kernel of N operands and C
 * constant slots (C >= 1), with D = KILN_MAX_DIMS and every field 8 bytes unless said:
 *
 *   map      p[N] (device pointers), st[N][D] (byte strides), shape[D], first, total, c[C]
 *            (constants' bits, as kscalar), ndim (4), flags (4: KC_VEC)
 *   reduce   p[N], rst[N][D], kst[N][D], rshape[D], kshape[D], ost[D], R, O, nch, out, part,
 *            c[C], nr (4), nk (4)
 *
 * A reduction kernel `name` folds chunks of KC_CHUNK reduced elements, one per block of
 * KC_BLOCK threads (thread t takes elements t, t + KC_BLOCK, ..., then a fixed tree of warp
 * shuffles and a fixed fold of the warps); `name_tree` folds an output's chunk partials the
 * same way; `name_rows` gives each output a thread when R <= KC_SHORT.  The order of every
 * fold is a function of R alone, never of the grid: the same bits on any GPU.
 */
#ifndef KILN_CODEGEN_CUDA_H
#define KILN_CODEGEN_CUDA_H

#include "../backend.h"

#define KC_BLOCK 256
#define KC_CHUNK 4096
#define KC_SHORT 32
#define KC_VEC 1    /* map flags: 1-D, every contiguous operand aligned to a vector (kc_map_width elements) */
#define KC_PARAM_MAX 32000 /* bytes of kernel argument a launch may pass (Volta and later) */

/* Byte offsets of the argument blocks' fields (see above). */
static inline size_t kc_map_size(int n, int c) { return (size_t)(72 * n + 88 + 8 * c); }
static inline size_t kc_red_size(int n, int c) { return (size_t)(136 * n + 240 + 8 * c); }

/* The text of base/scalar.h (generated at build time): every program begins with it. */
extern const char kc_scalar_text[];
extern const size_t kc_scalar_len;
/* The text of cuda/routines.cu (scans and gathers), compiled after scalar.h as one program. */
extern const char kc_routines_text[];
extern const size_t kc_routines_len;
/* Lines a scan needs for the device (a thread each, walking its line in order); fewer run on
 * the host, where one core walks a long line faster than one GPU thread. */
#define KC_SCAN_LINES 64

/* How a map's vector path is written (a style: these bits; 0 is kiln's default).  For
 * tools/gpu_check.sh's grid part, which times the others on a GPU (KILN_CUDA_MAP=unroll,prefetch,v16,stream;
 * the cache key holds the style):
 *   KC_MAP_UNROLL    a heavy kernel's vector of elements unrolled too (a copy of its math each)
 *   KC_MAP_PREFETCH  a thread's next vectors loaded before it works on its current ones
 *   KC_MAP_V16       a kernel with an 8-byte operand takes two elements a vector, not four, so
 *                    that each load is one 16-byte load, as float32's four are (an 8-byte
 *                    type's four are two 16-byte loads 32 bytes apart: a warp's each touches
 *                    half of every sector it reads; sm_90 has no 32-byte load)
 *   KC_MAP_STREAM    the contiguous operands' vectors loaded and stored evict-first
 *                    (ld.global.cs / st.global.cs: __ldcs, __stcs), each byte being touched once */
#define KC_MAP_UNROLL 1u
#define KC_MAP_PREFETCH 2u
#define KC_MAP_V16 4u
#define KC_MAP_STREAM 8u
/* The elements of a thread's vector in a map's vector path, whose operands' widest element is
 * es_max bytes: the renderer's and the launch's (the alignment KC_VEC asks, the grid) */
static inline int kc_map_width(unsigned style, int es_max) { return (style & KC_MAP_V16) && es_max >= 8 ? 2 : 4; }

/* Appends the CUDA C of kd's kernels, named name (and name_tree, name_rows for a reduction),
 * after the preamble when with_preamble; a map's vector path in style. */
void kc_render(const kernel_desc *kd, const char *name, bool with_preamble, unsigned style, kstr *out);
/* Its parts: scalar.h and the preamble; kd's text but a map's kernel; a map's kernel, of nops
 * operands and nconst constants, in 32-bit indices (name) or in 64 (wide: name_w), the latter
 * compiled only when a launch needs it, from the body kept with the kernel's bytes. */
void kc_render_preamble(kstr *out);
void kc_render_body(const kernel_desc *kd, const char *name, unsigned style, kstr *out);
void kc_map_entry(const char *name, int nops, int nconst, bool wide, kstr *out);
/* Whether kd has no math functions: such a kernel unrolls its vector path (KC_VEC) and the fold
 * of a full chunk of its reduction. */
bool kc_light(const kernel_desc *kd);
/* Whether kd can be rendered (every op and dtype in scalar.h; argument block within limits). */
bool kc_renderable(const kernel_desc *kd);

/* NVRTC, loaded once: true, or false with *why saying what is missing. */
bool kc_nvrtc_loaded(const char **why);
/* How many precompiled preambles this process made (0 or 1), and how many compiles used one. */
void kc_pch_counts(int *made, int *uses);
/* Compiles a whole program src with NVRTC for arch ("sm_90": a CUBIN; "compute_90": PTX, which
 * ptx must then say) into *out (malloc'd, *len bytes; PTX ends with its NUL); adds the time to
 * *ns.  NVRTC's first error line becomes the error message (KILN_LOG=cuda: all of it). */
kiln_status kc_compile_source(kiln_ctx *ctx, const char *src, const char *name, const char *arch, bool fast_math, bool ptx,
                              char **out, size_t *len, uint64_t *ns);

#endif
