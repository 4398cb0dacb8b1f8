/*
 * render.c — the CUDA backend's renderer: a kernel description → CUDA C for NVRTC.
 *
 * Pipeline position: the render step of the CUDA backend (cuda.c compiles what this writes).
 * A program is base/scalar.h (NumPy's scalar semantics, the very functions the reference
 * evaluator and the interpreter run), then a short preamble (argument blocks, vector types,
 * warp shuffles), then per kernel:
 *
 *   kc_f_NAME     the instructions, one ks_* call each, over one element's loaded inputs
 *   map           NAME: a grid-stride loop over the flat elements; 1-D launches read
 *                 contiguous operands a vector of 4 elements at a time when aligned (KC_VEC,
 *                 with 32-bit indices; 2 of an 8-byte type under KC_MAP_V16) with a scalar
 *                 tail; others walk the collapsed dims; in 32-bit indices (NAME), or in 64
 *                 (NAME_w, its own program, compiled when a launch needs it: kc_map_entry).
 *                 Kernels with math functions take their vector's elements in a loop, not
 *                 unrolled (four inlined copies of sin took NVRTC 151
 *                 ms for sin(x)*sin(x), against 68 without the vector path); without the
 *                 vector loads a thread had 4 bytes in flight (sin(a)*sin(a) over 10^8
 *                 float32 on an H200: 0.36 ms, the copy's rate 0.21).  KILN_CUDA_MAP's
 *                 styles (cuda.h: KC_MAP_UNROLL, KC_MAP_PREFETCH, KC_MAP_V16, KC_MAP_STREAM) write the
 *                 vector path other ways, for tools/gpu_check.sh to time
 *   reduction     NAME (chunks of KC_CHUNK per block, warp shuffles, then the warps in order;
 *                 a light kernel's full chunk over one collapsed dim, kc_e1, unrolled),
 *                 NAME_tree (an output's chunk partials, the same way) and NAME_rows (a thread
 *                 per output for short rows): see cuda.h for the orders, which depend on R only
 *
 * Transcendentals are CUDA's own accurate functions (scalar.h calls sin, expf...); fast math is
 * an option of the compile (KILN_CUDA_FAST_MATH), never of the source.
 */
#include <string.h>

#include "../../ir/graph.h"
#include "cuda.h"

static const char *const ctype[KILN_DTYPE_COUNT] = {"ks_bool", "int32_t", "int64_t", "float", "double", "uint8_t", "int8_t", "int16_t", "uint16_t", "uint32_t"};
static const char *const sfx[KILN_DTYPE_COUNT] = {"b", "i32", "i64", "f32", "f64", "u8", "i8", "i16", "u16", "u32"};
static const char *const fname[KILN_OP_COUNT] = {
#define X(E, b, np, ar, k, sp, cf) [KILN_OP_##E] = #b,
    KILN_OPS(X)
#undef X
};

/* The preamble after scalar.h: what every kernel of a program shares. */
static const char preamble[] =
    "\n/* ---- kiln's CUDA preamble ---- */\n"
    "#define KC_D 8\n"
    "template <int N, int C> struct kc_map {\n"
    "    char *p[N]; long long st[N][KC_D]; long long shape[KC_D]; long long first, total; long long c[C];\n"
    "    int ndim, flags;\n"
    "};\n"
    "template <int N, int C> struct kc_red {\n"
    "    char *p[N]; long long rst[N][KC_D]; long long kst[N][KC_D]; long long rshape[KC_D], kshape[KC_D], ost[KC_D];\n"
    "    long long R, O, nch; char *out; char *part; long long c[C]; int nr, nk;\n"
    "};\n"
    "template <typename T> struct kc_acc { T v; long long i; };\n"
    "template <typename T, int W> struct alignas(sizeof(T) * W) kc_vec { T v[W]; };\n"
    /* a vector loaded or stored evict-first (KC_MAP_STREAM), as 16, 8, 4 or 2-byte words */
    "template <typename V> static __device__ __forceinline__ V kc_lds(const V *p) {\n"
    "    V v;\n"
    "    if constexpr (sizeof(V) % 16 == 0) {\n"
    "        for (int i = 0; i < (int)(sizeof(V) / 16); i++) ((int4 *)&v)[i] = __ldcs((const int4 *)p + i);\n"
    "    } else if constexpr (sizeof(V) == 8) *(int2 *)&v = __ldcs((const int2 *)p);\n"
    "    else if constexpr (sizeof(V) == 4) *(int *)&v = __ldcs((const int *)p);\n"
    "    else if constexpr (sizeof(V) == 2) *(short *)&v = __ldcs((const short *)p);\n"
    "    else v = *p;\n"
    "    return v;\n"
    "}\n"
    "template <typename V> static __device__ __forceinline__ void kc_sts(V *p, const V &v) {\n"
    "    if constexpr (sizeof(V) % 16 == 0) {\n"
    "        for (int i = 0; i < (int)(sizeof(V) / 16); i++) __stcs((int4 *)p + i, ((const int4 *)&v)[i]);\n"
    "    } else if constexpr (sizeof(V) == 8) __stcs((int2 *)p, *(const int2 *)&v);\n"
    "    else if constexpr (sizeof(V) == 4) __stcs((int *)p, *(const int *)&v);\n"
    "    else if constexpr (sizeof(V) == 2) __stcs((short *)p, *(const short *)&v);\n"
    "    else *p = v;\n"
    "}\n"
    "static __device__ __forceinline__ ks_bool kc_c_b(long long b) { return (ks_bool)(b & 0xff); }\n"
    "static __device__ __forceinline__ uint8_t kc_c_u8(long long b) { return (uint8_t)(b & 0xff); }\n"
    "static __device__ __forceinline__ int8_t kc_c_i8(long long b) { return (int8_t)(uint8_t)(b & 0xff); }\n"
    "static __device__ __forceinline__ int16_t kc_c_i16(long long b) { return (int16_t)(uint16_t)(b & 0xffff); }\n"
    "static __device__ __forceinline__ uint16_t kc_c_u16(long long b) { return (uint16_t)(b & 0xffff); }\n"
    "static __device__ __forceinline__ uint32_t kc_c_u32(long long b) { return (uint32_t)(b & 0xffffffffLL); }\n"
    "static __device__ __forceinline__ int32_t kc_c_i32(long long b) { return (int32_t)b; }\n"
    "static __device__ __forceinline__ int64_t kc_c_i64(long long b) { return (int64_t)b; }\n"
    "static __device__ __forceinline__ float kc_c_f32(long long b) { return __int_as_float((int)b); }\n"
    "static __device__ __forceinline__ double kc_c_f64(long long b) { return __longlong_as_double(b); }\n"
    "static __device__ __forceinline__ ks_bool kc_shfl(ks_bool v, int d) { return (ks_bool)__shfl_down_sync(0xffffffffu, (int)v, d); }\n"
    "static __device__ __forceinline__ int32_t kc_shfl(int32_t v, int d) { return __shfl_down_sync(0xffffffffu, v, d); }\n"
    "static __device__ __forceinline__ int8_t kc_shfl(int8_t v, int d) { return (int8_t)__shfl_down_sync(0xffffffffu, (int)v, d); }\n"
    "static __device__ __forceinline__ int16_t kc_shfl(int16_t v, int d) { return (int16_t)__shfl_down_sync(0xffffffffu, (int)v, d); }\n"
    "static __device__ __forceinline__ uint16_t kc_shfl(uint16_t v, int d) { return (uint16_t)__shfl_down_sync(0xffffffffu, (int)v, d); }\n"
    "static __device__ __forceinline__ uint32_t kc_shfl(uint32_t v, int d) { return __shfl_down_sync(0xffffffffu, v, d); }\n"
    "static __device__ __forceinline__ int64_t kc_shfl(int64_t v, int d) { return __shfl_down_sync(0xffffffffu, (long long)v, d); }\n"
    "static __device__ __forceinline__ float kc_shfl(float v, int d) { return __shfl_down_sync(0xffffffffu, v, d); }\n"
    "static __device__ __forceinline__ double kc_shfl(double v, int d) { return __shfl_down_sync(0xffffffffu, v, d); }\n";

bool kc_renderable(const kernel_desc *kd) {
    if (kd->n_out < 1 || kd->n_inst < 1) return false;
    for (int i = 0; i < kd->n_inst; i++) {
        const kd_inst *in = &kd->inst[i];
        if (in->op == KILN_OP_VAR || in->op == KILN_OP_CONST || in->op == KILN_OP_CAST) continue;
        if (!op_is_elementwise(in->op) || !ref_has((kiln_op)in->op, kd_operand_dtype(kd, in))) return false;
    }
    int c = kd->n_const ? kd->n_const : 1;
    if (kd->reduce) {
        kiln_dtype dt = kd_out_dtype(kd, 0);
        if ((kd->reduce == KILN_OP_ANY || kd->reduce == KILN_OP_ALL) && dt != KILN_BOOL) return false;
        return kiln_op_kind[kd->reduce] == KIND_REDUCE && kc_red_size(kd->n_in ? kd->n_in : 1, c) <= KC_PARAM_MAX;
    }
    return kc_map_size(kd->n_in + kd->n_out, c) <= KC_PARAM_MAX;
}

/* ------------------------------------------------------------------ the element function */

/* static __device__ void kc_f_NAME(const long long *c, T0 x0, ..., To0 &y0, ...) */
static void render_elem(const kernel_desc *kd, const char *name, kstr *b) {
    kstr_printf(b, "static __device__ __forceinline__ void kc_f_%s(const long long *c", name);
    for (int k = 0; k < kd->n_in; k++) kstr_printf(b, ", %s x%d", ctype[kd_slot_dtype(kd, k)], k);
    int nst = kd->reduce ? 1 : kd->n_out;
    for (int k = 0; k < nst; k++) kstr_printf(b, ", %s &y%d", ctype[kd_out_dtype(kd, k)], k);
    kstr_printf(b, ") {\n    (void)c;\n");
    for (int i = 0; i < kd->n_inst; i++) {
        const kd_inst *in = &kd->inst[i];
        kiln_dtype dt = (kiln_dtype)in->dtype;
        kstr_printf(b, "    const %s v%d = ", ctype[dt], i);
        if (in->op == KILN_OP_VAR) {
            kstr_printf(b, "x%d;\n", in->slot);
            continue;
        }
        if (in->op == KILN_OP_CONST) {
            kstr_printf(b, "kc_c_%s(c[%d]);\n", sfx[dt], in->slot);
            continue;
        }
        if (in->op == KILN_OP_CAST) {
            kstr_printf(b, "ks_cast_%s_%s(v%d);\n", sfx[kd->inst[in->arg[0]].dtype], sfx[dt], in->arg[0]);
            continue;
        }
        kstr_printf(b, "ks_%s_%s(", fname[in->op], sfx[kd_operand_dtype(kd, in)]);
        int ar = kiln_op_arity((kiln_op)in->op);
        for (int a = 0; a < ar; a++) kstr_printf(b, "%sv%d", a ? ", " : "", in->arg[a]);
        kstr_printf(b, ");\n");
    }
    for (int k = 0; k < nst; k++) kstr_printf(b, "    y%d = v%d;\n", k, kd->out_inst[k]);
    kstr_printf(b, "}\n");
}

/* ------------------------------------------------------------------ maps */

/* Whether kd is cheap per element (no math functions): its loads are what it waits for, so
 * vector loads and unrolled folds pay for the code they add. */
bool kc_light(const kernel_desc *kd) { return kd_cost(kd) < 24; }

/* The head of a loop that splits var (of type I) into i, its index along each dim d of shape
 * from nd - 1 down to 0 (C order), indented by ind: the caller adds what i moves its offsets by
 * and closes the loop.  Rolled, with no array of indices: splitting into an array out of line
 * (in local memory) took NVRTC twice as long (sum(a * b)'s three kernels 339 ms, now 170; a map
 * 112, now 81: bench/cuda_compile_times.sh), and inlined into loops unrolled over KC_D dims
 * three times as long. */
static void split_loop(kstr *b, const char *ind, const char *I, const char *var, const char *shape, const char *nd) {
    kstr_printf(b, "%s%s rem = %s;\n#pragma unroll 1\n%sfor (int d = %s - 1; d >= 0; d--) {\n", ind, I, var, ind, nd);
    kstr_printf(b, "%s    const %s s = (%s)%s[d], t = rem / s, i = rem - t * s;\n%s    rem = t;\n", ind, I, I, shape, ind);
}

static void render_map(const kernel_desc *kd, const char *name, unsigned style, kstr *b) {
    int N = kd->n_in + kd->n_out, C = kd->n_const ? kd->n_const : 1;
    bool unroll = kc_light(kd) || (style & KC_MAP_UNROLL);
    int es_max = 1;
    for (int k = 0; k < N; k++)
        if ((int)kiln_dtype_size(kd_slot_dtype(kd, k)) > es_max) es_max = (int)kiln_dtype_size(kd_slot_dtype(kd, k));
    const int W = kc_map_width(style, es_max);
    char args[64];
    snprintf(args, sizeof args, "kc_map<%d, %d>", N, C);
    /* one element at flat index g */
    kstr_printf(b, "template <typename I> static __device__ __forceinline__ void kc_at_%s(const %s &a, I g) {\n", name, args);
    for (int k = 0; k < N; k++) kstr_printf(b, "    I o%d = 0;\n", k);
    kstr_printf(b, "    if (a.ndim == 1) {\n");
    for (int k = 0; k < N; k++) {
        int es = (int)kiln_dtype_size(kd_slot_dtype(kd, k));
        if (kd->layout[k] == KD_CONTIG) kstr_printf(b, "        o%d = g * (I)%d;\n", k, es);
        else if (kd->layout[k] == KD_STRIDED) kstr_printf(b, "        o%d = g * (I)a.st[%d][0];\n", k, k);
    }
    kstr_printf(b, "    } else {\n");
    split_loop(b, "        ", "I", "g", "a.shape", "a.ndim");
    for (int k = 0; k < N; k++) kstr_printf(b, "            o%d += i * (I)a.st[%d][d];\n", k, k);
    kstr_printf(b, "        }\n    }\n");
    for (int k = 0; k < kd->n_out; k++) kstr_printf(b, "    %s y%d;\n", ctype[kd_out_dtype(kd, k)], k);
    kstr_printf(b, "    kc_f_%s(a.c", name);
    for (int k = 0; k < kd->n_in; k++) kstr_printf(b, ", *(const %s *)(a.p[%d] + o%d)", ctype[kd_slot_dtype(kd, k)], k, k);
    for (int k = 0; k < kd->n_out; k++) kstr_printf(b, ", y%d", k);
    kstr_printf(b, ");\n");
    for (int k = 0; k < kd->n_out; k++)
        kstr_printf(b, "    *(%s *)(a.p[%d] + o%d) = y%d;\n", ctype[kd_out_dtype(kd, k)], kd->n_in + k, kd->n_in + k, k);
    kstr_printf(b, "}\n");

    /* W (4; 2 under KC_MAP_V16 with an 8-byte operand) elements Wj .. Wj+W-1 of a 1-D launch
     * whose contiguous operands are aligned: one vector load an operand (kc_l), W elements in
     * flight a thread.  A light kernel (or any, under KC_MAP_UNROLL) unrolls the W; a heavy one
     * (math functions) folds them in a loop that picks its element by selects, so that NVRTC
     * compiles its instructions once more, not W times, and the vectors stay in registers. */
    kstr_printf(b, "struct kc_x_%s {\n", name); /* the contiguous inputs' vectors, loaded by kc_l */
    for (int k = 0; k < kd->n_in; k++)
        if (kd->layout[k] == KD_CONTIG) kstr_printf(b, "    kc_vec<%s, %d> X%d;\n", ctype[kd_slot_dtype(kd, k)], W, k);
    kstr_printf(b, "};\ntemplate <typename I> static __device__ __forceinline__ kc_x_%s kc_l_%s(const %s &a, I j) {\n    kc_x_%s x;\n",
                name, name, args, name);
    const bool stream = style & KC_MAP_STREAM;
    for (int k = 0; k < kd->n_in; k++)
        if (kd->layout[k] == KD_CONTIG)
            kstr_printf(b, stream ? "    x.X%d = kc_lds((const kc_vec<%s, %d> *)a.p[%d] + j);\n" : "    x.X%d = ((const kc_vec<%s, %d> *)a.p[%d])[j];\n", k,
                        ctype[kd_slot_dtype(kd, k)], W, k);
    kstr_printf(b, "    return x;\n}\n");
    kstr_printf(b, "template <typename I> static __device__ __forceinline__ void kc_v_%s(const %s &a, I j, const kc_x_%s &x) {\n", name, args, name);
    for (int k = 0; k < N; k++) {
        kiln_dtype dt = kd_slot_dtype(kd, k);
        bool in = k < kd->n_in;
        if (kd->layout[k] == KD_CONTIG && in)
            kstr_printf(b, "    const kc_vec<%s, %d> &X%d = x.X%d;\n", ctype[dt], W, k, k);
        else if (kd->layout[k] == KD_CONTIG)
            kstr_printf(b, "    kc_vec<%s, %d> X%d;\n", ctype[dt], W, k);
        else if (kd->layout[k] == KD_BCAST && in)
            kstr_printf(b, "    const %s X%d = *(const %s *)a.p[%d];\n", ctype[dt], k, ctype[dt], k);
    }
    kstr_printf(b, "#pragma unroll %s\n    for (int e = 0; e < %d; e++) {\n        const I g = %d * j + e;\n        (void)g;\n", unroll ? "" : "1", W, W);
    for (int k = kd->n_in; k < N; k++) /* the outputs not written straight into their vector */
        if (kd->layout[k] != KD_CONTIG || !unroll) kstr_printf(b, "        %s Y%d;\n", ctype[kd_slot_dtype(kd, k)], k);
    kstr_printf(b, "        kc_f_%s(a.c", name);
    for (int k = 0; k < N; k++) {
        kiln_dtype dt = kd_slot_dtype(kd, k);
        if (kd->layout[k] == KD_CONTIG && (k < kd->n_in) && !unroll) {
            kstr_printf(b, ", ");
            for (int e = 0; e < W - 1; e++) kstr_printf(b, "e == %d ? X%d.v[%d] : ", e, k, e);
            kstr_printf(b, "X%d.v[%d]", k, W - 1);
        }
        else if (kd->layout[k] == KD_CONTIG && unroll) kstr_printf(b, ", X%d.v[e]", k);
        else if (k >= kd->n_in) kstr_printf(b, ", Y%d", k);
        else if (kd->layout[k] == KD_BCAST) kstr_printf(b, ", X%d", k);
        else kstr_printf(b, ", *(const %s *)(a.p[%d] + g * (I)a.st[%d][0])", ctype[dt], k, k);
    }
    kstr_printf(b, ");\n");
    for (int k = kd->n_in; k < N; k++) {
        const char *t = ctype[kd_slot_dtype(kd, k)];
        if (kd->layout[k] == KD_STRIDED) kstr_printf(b, "        *(%s *)(a.p[%d] + g * (I)a.st[%d][0]) = Y%d;\n", t, k, k, k);
        else if (kd->layout[k] == KD_BCAST) kstr_printf(b, "        *(%s *)a.p[%d] = Y%d;\n", t, k, k);
        else if (!unroll) {
            for (int e = 0; e < W - 1; e++) kstr_printf(b, "        %sif (e == %d) X%d.v[%d] = Y%d;\n", e ? "else " : "", e, k, e, k);
            kstr_printf(b, "        else X%d.v[%d] = Y%d;\n", k, W - 1, k);
        }
    }
    kstr_printf(b, "    }\n");
    for (int k = kd->n_in; k < N; k++)
        if (kd->layout[k] == KD_CONTIG)
            kstr_printf(b, stream ? "    kc_sts((kc_vec<%s, %d> *)a.p[%d] + j, X%d);\n" : "    ((kc_vec<%s, %d> *)a.p[%d])[j] = X%d;\n",
                        ctype[kd_slot_dtype(kd, k)], W, k, k);
    kstr_printf(b, "}\n");
    /* the grid-stride loop in 32-bit or 64-bit indices (the vector path in 32 only, then the
     * scalar loop takes its tail: a 1-D launch's a.first is 0), each path's element inlined
     * once; the kernel (kc_map_entry) runs it in 32 bits, a second one compiled only when a
     * launch needs them (NAME_w) in 64: both in one program took NVRTC 60% longer */
    kstr_printf(b,
                "template <typename I> static __device__ __forceinline__ void kc_run_%s(const %s &a) {\n"
                "    const I t = (I)(blockIdx.x * blockDim.x + threadIdx.x), s = (I)(gridDim.x * blockDim.x), n = (I)a.total;\n"
                "    I i0 = 0;\n"
                "    if constexpr (sizeof(I) == 4) {\n"
                "        if (a.flags & %d) {\n"
                "            const I nv = n >> %d;\n",
                name, args, KC_VEC, __builtin_ctz((unsigned)W));
    if (style & KC_MAP_PREFETCH) /* the next vectors' loads issued before this one's element */
        kstr_printf(b,
                    "            if (t < nv) {\n"
                    "                kc_x_%s x = kc_l_%s<I>(a, t);\n"
                    "                for (I j = t;;) {\n"
                    "                    const I jn = j + s;\n"
                    "                    kc_x_%s xn;\n"
                    "                    if (jn < nv) xn = kc_l_%s<I>(a, jn);\n"
                    "                    kc_v_%s<I>(a, j, x);\n"
                    "                    if (jn >= nv) break;\n"
                    "                    x = xn;\n"
                    "                    j = jn;\n"
                    "                }\n"
                    "            }\n",
                    name, name, name, name, name);
    else
        kstr_printf(b, "            for (I j = t; j < nv; j += s) kc_v_%s<I>(a, j, kc_l_%s<I>(a, j));\n", name, name);
    kstr_printf(b,
                "            i0 = %d * nv;\n"
                "        }\n"
                "    }\n"
                "    for (I i = i0 + t; i < n; i += s) kc_at_%s<I>(a, (I)a.first + i);\n"
                "}\n",
                W, name);
}

void kc_map_entry(const char *name, int nops, int nconst, bool wide, kstr *out) {
    if (wide)
        kstr_printf(out, "extern \"C\" __global__ void __launch_bounds__(%d) %s_w(const __grid_constant__ kc_map<%d, %d> a) { kc_run_%s<long long>(a); }\n",
                    KC_BLOCK, name, nops, nconst ? nconst : 1, name);
    else
        kstr_printf(out, "extern \"C\" __global__ void __launch_bounds__(%d) %s(const __grid_constant__ kc_map<%d, %d> a) { kc_run_%s<int>(a); }\n",
                    KC_BLOCK, name, nops, nconst ? nconst : 1, name);
}

/* ------------------------------------------------------------------ reductions */

/* The reduction's identity, as a C expression of type T (dt's). */
static void identity(int op, kiln_dtype dt, kstr *b) {
    bool hi = op == KILN_OP_MIN || op == KILN_OP_ARGMIN || op == KILN_OP_ALL;
    if (op == KILN_OP_SUM || op == KILN_OP_ANY) kstr_printf(b, "ks_cast_i64_%s(0)", sfx[dt]);
    else if (op == KILN_OP_PROD || op == KILN_OP_ALL) kstr_printf(b, "ks_cast_i64_%s(1)", sfx[dt]);
    else if (dt == KILN_BOOL) kstr_printf(b, "(ks_bool)%d", hi);
    else if (dt == KILN_I64) kstr_puts(b, hi ? "KS_I64_MAX" : "KS_I64_MIN");
    else if (dtype_is_int(dt)) {
        int64_t lo, top;
        dtype_int_bounds(dt, &lo, &top);
        kstr_printf(b, "ks_cast_i64_%s(%lldLL)", sfx[dt], (long long)(hi ? top : lo));
    }
    else kstr_printf(b, "%sKS_INF_F%s", hi ? "" : "-", dt == KILN_F32 ? "32" : "64");
}

static void render_reduce(const kernel_desc *kd, const char *name, kstr *b) {
    int op = kd->reduce, N = kd->n_in ? kd->n_in : 1, C = kd->n_const ? kd->n_const : 1, light = kc_light(kd);
    kiln_dtype dt = kd_out_dtype(kd, 0);
    const char *T = ctype[dt];
    char args[64], acc[48];
    snprintf(args, sizeof args, "kc_red<%d, %d>", N, C);
    snprintf(acc, sizeof acc, "kc_acc<%s>", T);

    kstr_printf(b, "static __device__ __forceinline__ %s kc_id_%s() {\n    %s x;\n    x.v = ", acc, name, acc);
    identity(op, dt, b);
    kstr_printf(b, ";\n    x.i = %d;\n    return x;\n}\n", op_is_arg_reduce(op) ? -1 : 0);

    /* x ⊕ y: ref_reduce_combine's rule (argmax/argmin: NaN first, then the larger/smaller,
     * then the smaller index) */
    kstr_printf(b, "static __device__ __forceinline__ void kc_comb_%s(%s &x, const %s &y) {\n", name, acc, acc);
    if (!op_is_arg_reduce(op)) {
        kstr_printf(b, "    x.v = ks_%s_%s(x.v, y.v);\n}\n", fname[reduce_combine_op[op]], sfx[dt]);
    } else {
        kstr_printf(b,
                    "    if (y.i < 0) return;\n"
                    "    const bool xn = x.v != x.v, yn = y.v != y.v;\n"
                    "    const bool better = (yn && !xn) || (!yn && !xn && y.v %s x.v);\n"
                    "    const bool equal = (yn && xn) || (!yn && !xn && y.v == x.v);\n"
                    "    if (x.i < 0 || better || (equal && y.i < x.i)) x = y;\n}\n",
                    op == KILN_OP_ARGMAX ? ">" : "<");
    }

    /* output o's operands' first elements */
    kstr_printf(b, "static __device__ __forceinline__ void kc_base_%s(const %s &a, long long o, char **q) {\n", name, args);
    kstr_printf(b, "    for (int k = 0; k < %d; k++) q[k] = a.p[k];\n", N);
    split_loop(b, "    ", "long long", "o", "a.kshape", "a.nk");
    kstr_printf(b, "        for (int k = 0; k < %d; k++) q[k] += i * a.kst[k][d];\n    }\n}\n", N);
    /* the value folded at reduced index r */
    kstr_printf(b, "static __device__ __forceinline__ %s kc_e_%s(const %s &a, char *const *q, long long r) {\n", T, name, args);
    for (int k = 0; k < kd->n_in; k++) kstr_printf(b, "    long long o%d = 0;\n", k);
    kstr_printf(b, "    if (a.nr == 1) {\n");
    for (int k = 0; k < kd->n_in; k++) kstr_printf(b, "        o%d = r * a.rst[%d][0];\n", k, k);
    kstr_printf(b, "    } else {\n");
    split_loop(b, "        ", "long long", "r", "a.rshape", "a.nr");
    for (int k = 0; k < kd->n_in; k++) kstr_printf(b, "            o%d += i * a.rst[%d][d];\n", k, k);
    kstr_printf(b, "        }\n    }\n    %s y0;\n    kc_f_%s(a.c", T, name);
    for (int k = 0; k < kd->n_in; k++) kstr_printf(b, ", *(const %s *)(q[%d] + o%d)", ctype[kd_slot_dtype(kd, k)], k, k);
    kstr_printf(b, ", y0);\n    return y0;\n}\n");
    /* (a light kernel's) the same where the reduced dims collapse to one (a.nr == 1): no branch
     * between the loads of a full chunk, so that they are all in flight before the first fold */
    if (light) {
        kstr_printf(b, "static __device__ __forceinline__ %s kc_e1_%s(const %s &a, char *const *q, long long r) {\n    %s y0;\n    kc_f_%s(a.c",
                    T, name, args, T, name);
        for (int k = 0; k < kd->n_in; k++) kstr_printf(b, ", *(const %s *)(q[%d] + r * a.rst[%d][0])", ctype[kd_slot_dtype(kd, k)], k, k);
        kstr_printf(b, ", y0);\n    return y0;\n}\n");
    }
    /* the result of output o */
    kstr_printf(b, "static __device__ __forceinline__ void kc_store_%s(const %s &a, long long o, const %s &x) {\n    char *p = a.out;\n",
                name, args, acc);
    split_loop(b, "    ", "long long", "o", "a.kshape", "a.nk");
    kstr_printf(b, "        p += i * a.ost[d];\n    }\n    %s\n}\n", op_is_arg_reduce(op) ? "*(long long *)p = x.i;" : "*(decltype(x.v) *)p = x.v;");
    /* a block's values folded into thread 0's: a fixed tree of shuffles, then the warps in order */
    kstr_printf(b,
                "static __device__ __forceinline__ void kc_block_%s(%s &x, %s *sh) {\n"
                "    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;\n"
                "#pragma unroll\n"
                "    for (int d = 16; d > 0; d >>= 1) {\n"
                "        %s y;\n"
                "        y.v = kc_shfl(x.v, d);\n"
                "        y.i = __shfl_down_sync(0xffffffffu, x.i, d);\n"
                "        if (lane + d < 32) kc_comb_%s(x, y);\n"
                "    }\n"
                "    if (lane == 0) sh[warp] = x;\n"
                "    __syncthreads();\n"
                "    if (threadIdx.x == 0)\n"
                "        for (int w = 1; w < %d; w++) kc_comb_%s(x, sh[w]);\n"
                "    __syncthreads();\n"
                "}\n",
                name, acc, acc, acc, name, KC_BLOCK / 32, name);
    /* the three kernels; a light kernel folds a full chunk over one collapsed dim unrolled */
    kstr_printf(b,
                "extern \"C\" __global__ void __launch_bounds__(%d) %s(const __grid_constant__ %s a) {\n"
                "    __shared__ %s sh[%d];\n"
                "    const long long units = a.O * a.nch;\n"
                "    for (long long u = blockIdx.x; u < units; u += gridDim.x) {\n"
                "        const long long o = u / a.nch, ch = u - o * a.nch;\n"
                "        char *q[%d];\n"
                "        kc_base_%s(a, o, q);\n"
                "        %s x = kc_id_%s();\n"
                "        const long long r1 = (ch + 1) * %d < a.R ? (ch + 1) * %d : a.R;\n",
                KC_BLOCK, name, args, acc, KC_BLOCK / 32, N, name, acc, name, KC_CHUNK, KC_CHUNK);
    if (light)
        kstr_printf(b,
                    "        if (a.nr == 1 && r1 - ch * %d == %d) {\n"
                    "#pragma unroll\n"
                    "            for (int k = 0; k < %d; k++) {\n"
                    "                const long long r = ch * %d + threadIdx.x + k * %d;\n"
                    "                %s y;\n"
                    "                y.v = kc_e1_%s(a, q, r);\n"
                    "                y.i = r;\n"
                    "                kc_comb_%s(x, y);\n"
                    "            }\n"
                    "        } else\n",
                    KC_CHUNK, KC_CHUNK, KC_CHUNK / KC_BLOCK, KC_CHUNK, KC_BLOCK, acc, name, name);
    /* (the rest rolled: unrolling it by 4 nearly doubled NVRTC's time for sum(a * b), 340 ->
     * 625 ms, for the last chunk and the reductions whose dims do not collapse) */
    kstr_printf(b,
                "#pragma unroll 1\n"
                "        for (long long r = ch * %d + threadIdx.x; r < r1; r += %d) {\n"
                "            %s y;\n"
                "            y.v = kc_e_%s(a, q, r);\n"
                "            y.i = r;\n"
                "            kc_comb_%s(x, y);\n"
                "        }\n"
                "        kc_block_%s(x, sh);\n"
                "        if (threadIdx.x == 0) {\n"
                "            if (a.nch == 1) kc_store_%s(a, o, x);\n"
                "            else ((%s *)a.part)[u] = x;\n"
                "        }\n"
                "    }\n"
                "}\n",
                KC_CHUNK, KC_BLOCK, acc, name, name, name, name, acc);
    kstr_printf(b,
                "extern \"C\" __global__ void __launch_bounds__(%d) %s_tree(const __grid_constant__ %s a) {\n"
                "    __shared__ %s sh[%d];\n"
                "    for (long long o = blockIdx.x; o < a.O; o += gridDim.x) {\n"
                "        const %s *p = (const %s *)a.part + o * a.nch;\n"
                "        %s x = kc_id_%s();\n"
                "        for (long long c = threadIdx.x; c < a.nch; c += %d) kc_comb_%s(x, p[c]);\n"
                "        kc_block_%s(x, sh);\n"
                "        if (threadIdx.x == 0) kc_store_%s(a, o, x);\n"
                "    }\n"
                "}\n",
                KC_BLOCK, name, args, acc, KC_BLOCK / 32, acc, acc, acc, name, KC_BLOCK, name, name, name);
    kstr_printf(b,
                "extern \"C\" __global__ void __launch_bounds__(%d) %s_rows(const __grid_constant__ %s a) {\n"
                "    for (long long o = (long long)blockIdx.x * blockDim.x + threadIdx.x; o < a.O; o += (long long)gridDim.x * blockDim.x) {\n"
                "        char *q[%d];\n"
                "        kc_base_%s(a, o, q);\n"
                "        %s x = kc_id_%s();\n"
                "        for (long long r = 0; r < a.R; r++) {\n"
                "            %s y;\n"
                "            y.v = kc_e_%s(a, q, r);\n"
                "            y.i = r;\n"
                "            kc_comb_%s(x, y);\n"
                "        }\n"
                "        kc_store_%s(a, o, x);\n"
                "    }\n"
                "}\n",
                KC_BLOCK, name, args, N, name, acc, name, acc, name, name, name);
}

void kc_render_preamble(kstr *out) {
    kstr_printf(out, "%.*s", (int)kc_scalar_len, kc_scalar_text);
    kstr_puts(out, preamble);
}

void kc_render_body(const kernel_desc *kd, const char *name, unsigned style, kstr *out) {
    kstr_printf(out, "\n/* ---- %s: %s, %d instructions, %d inputs ---- */\n", name,
                kd->reduce ? kiln_op_name((kiln_op)kd->reduce) : "map", kd->n_inst, kd->n_in);
    render_elem(kd, name, out);
    if (kd->reduce) render_reduce(kd, name, out);
    else render_map(kd, name, style, out);
}

void kc_render(const kernel_desc *kd, const char *name, bool with_preamble, unsigned style, kstr *out) {
    if (with_preamble) kc_render_preamble(out);
    kc_render_body(kd, name, style, out);
    if (!kd->reduce) kc_map_entry(name, kd->n_in + kd->n_out, kd->n_const, false, out);
}
