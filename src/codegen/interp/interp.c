/*
 * interp.c — the interpreter backend: runs a fused kernel description without compiling
 * anything, a block of elements at a time.
 *
 * Pipeline position: codegen, behind the backend contract (codegen/backend.h), beside the
 * LLVM JIT.  It is what kiln runs on where it was built without LLVM (-DKILN_LLVM=OFF), and the
 * backend KILN_BACKEND=interp chooses anywhere.
 *
 *     compile  kernel_desc → a program: the description's bytes, checked again by load
 *     load     the program → a kernel holding the instructions
 *     launch   rows from the shared host iteration (codegen/host.c); a row is cut into blocks
 *              of INTERP_BLOCK elements, and each instruction runs over a whole block into a
 *              buffer of its own, as numexpr's virtual machine does:
 *
 *                  %0 = load in0        buf0[0..B) ← in0 (or in0 itself, when contiguous)
 *                  %1 = sin %0    ──▶   buf1[0..B) ← ks_sin_f64(buf0[i])   (one loop per op
 *                  %2 = mul %1, %1      buf2[0..B) ← ks_mul_f64(buf1[i], buf1[i])  and dtype)
 *                  store out0 ← %2      out[0..B)  ← buf2
 *
 * Every block loop is instantiated from base/scalar.h through base/scalar_table.h, so the
 * interpreter computes exactly the scalar semantics the reference evaluator and the JIT are
 * held to.  Transcendental functions call the libmvec variant the JIT calls (the register's
 * width for the dtype) on every element, a block's rest padded to a register as the JIT pads
 * its tail; reductions fold a row in the same lanes, tree and tail order as the JIT's
 * reduction kernels (host_reduce_lanes).  So the two backends give the same bits.
 */
#include <dlfcn.h>
#include <immintrin.h>
#include <string.h>

#include "../../ir/graph.h"
#include "../host.h"
#include "loops.h"

#define INTERP_BLOCK 512     /* elements per block: a few buffers stay in L1 */
#define INTERP_STACK_INSTS 16 /* instructions whose buffers fit on the stack */
#define PROGRAM_MAGIC 0x4b494e54u /* "KINT" */

extern const kiln_backend_i kiln_interp_backend;

/* Calls libmvec variant f over bytes of out from x (and y), one register at a time. */
typedef void (*mv_fn)(void *f, int64_t bytes, char *out, const char *x, const char *y);

typedef struct interp_kernel {
    host_kernel head;
    kernel_desc kd;          /* owned copies of the arrays */
    blk_fn *fn;              /* per instruction: its block loop (NULL for loads and constants) */
    void **mvec;             /* per instruction: its libmvec variant, or NULL */
    mv_fn *mwrap;            /* per instruction with one: how to call it */
    const interp_loops *loops; /* the block loops for this machine's ISA */
    int vec_bytes;           /* the JIT's vector width, for its row split */
    int lanes;               /* reductions: the lanes a row is folded in */
    struct interp_kernel *next;
} interp_kernel;

typedef struct interp_state {
    kiln_ctx *ctx;
    int vec_bytes;
    const interp_loops *loops;
    pthread_mutex_t lock;
    interp_kernel *kernels;
    char target[64], describe[160];
} interp_state;

/* ------------------------------------------------------------------ libmvec */

/* One wrapper per register width, element type and arity; each compiled for the ISA whose
 * registers carry the arguments (libmvec's 'e' variants take zmm, 'd' ymm, 'b' xmm). */
#define MV(NAME, VT, ET, LD, ST, TGT)                                                                   \
    __attribute__((target(TGT))) static void NAME##_1(void *f, int64_t bytes, char *o, const char *x,   \
                                                      const char *y) {                                  \
        typedef VT (*F)(VT);                                                                            \
        (void)y;                                                                                        \
        for (int64_t i = 0; i < bytes; i += (int64_t)sizeof(VT))                                        \
            ST((ET *)(void *)(o + i), ((F)f)(LD((const ET *)(const void *)(x + i))));                    \
    }                                                                                                   \
    __attribute__((target(TGT))) static void NAME##_2(void *f, int64_t bytes, char *o, const char *x,   \
                                                      const char *y) {                                  \
        typedef VT (*F)(VT, VT);                                                                        \
        for (int64_t i = 0; i < bytes; i += (int64_t)sizeof(VT))                                        \
            ST((ET *)(void *)(o + i),                                                                   \
               ((F)f)(LD((const ET *)(const void *)(x + i)), LD((const ET *)(const void *)(y + i))));   \
    }
MV(mv_e_f64, __m512d, double, _mm512_loadu_pd, _mm512_storeu_pd, "avx512f")
MV(mv_e_f32, __m512, float, _mm512_loadu_ps, _mm512_storeu_ps, "avx512f")
MV(mv_d_f64, __m256d, double, _mm256_loadu_pd, _mm256_storeu_pd, "avx2")
MV(mv_d_f32, __m256, float, _mm256_loadu_ps, _mm256_storeu_ps, "avx2")
MV(mv_b_f64, __m128d, double, _mm_loadu_pd, _mm_storeu_pd, "sse2")
MV(mv_b_f32, __m128, float, _mm_loadu_ps, _mm_storeu_ps, "sse2")
#undef MV

/* Whether the JIT computes op with a libmvec call (its C math functions; not sqrt and copysign,
 * exact instructions, nor hypot, libm's as NumPy's, nor ldexp, nextafter and frexp, which
 * libmvec lacks). */
static bool uses_mvec(kiln_op op, kiln_dtype dt) {
    bool own = op == KILN_OP_SQRT || op == KILN_OP_HYPOT || op == KILN_OP_COPYSIGN || op == KILN_OP_LDEXP || op == KILN_OP_NEXTAFTER ||
               op == KILN_OP_FREXP;
    return dtype_is_float(dt) && ((kiln_op_kind[op] == KIND_FMATH && !own) || op == KILN_OP_POW);
}

/* The variant of libmvec the JIT calls for instruction in of kd (the register's width for its
 * dtype, whatever the kernel's lanes), and how to call it. */
static void *mvec_for(const kernel_desc *kd, const kd_inst *in, int vec_bytes, mv_fn *wrap) {
    kiln_dtype dt = kd_operand_dtype(kd, in);
    if (!uses_mvec((kiln_op)in->op, dt) || !host_mvec_loaded()) return NULL;
    char name[64];
    int chunk = host_mvec_variant((kiln_op)in->op, dt, vec_bytes / (int)kiln_dtype_size(dt), vec_bytes, name, sizeof name);
    int bytes = chunk * (int)kiln_dtype_size(dt), two = kiln_op_arity((kiln_op)in->op) == 2;
    bool f64 = dt == KILN_F64;
    static const mv_fn wraps[3][2][2] = {{{mv_b_f32_1, mv_b_f32_2}, {mv_b_f64_1, mv_b_f64_2}},
                                         {{mv_d_f32_1, mv_d_f32_2}, {mv_d_f64_1, mv_d_f64_2}},
                                         {{mv_e_f32_1, mv_e_f32_2}, {mv_e_f64_1, mv_e_f64_2}}};
    *wrap = wraps[bytes == 64 ? 2 : bytes == 32 ? 1 : 0][f64][two];
    return dlsym(RTLD_DEFAULT, name);
}

/* ------------------------------------------------------------------ programs */

/* (kd->block is not kept: interp_row takes a block call, n < 0, from any program) */
typedef struct program_head {
    uint32_t magic;
    uint16_t n_inst, n_in, n_const, n_out;
    uint8_t stream, reduce, pad[2];
} program_head;

static size_t program_size(const kernel_desc *kd) {
    return sizeof(program_head) + (size_t)kd->n_inst * sizeof(kd_inst) + (size_t)kd->n_out * 2 + (size_t)(kd->n_in + kd->n_out);
}

static bool interp_supports(void *state, const kernel_desc *kd) {
    KILN_UNUSED(state);
    for (int i = 0; i < kd->n_inst; i++) {
        const kd_inst *in = &kd->inst[i];
        if (in->op == KILN_OP_VAR || in->op == KILN_OP_CONST || in->op == KILN_OP_CAST) continue;
        if (!op_is_elementwise(in->op) || !ref_has((kiln_op)in->op, kd_operand_dtype(kd, in))) return false;
    }
    return true;
}

static kiln_status interp_compile(void *state, kiln_ctx *ctx, const kernel_desc *kd, const char *name, void **bytes, size_t *len,
                                  kiln_compile_times *t) {
    KILN_UNUSED(state);
    KILN_UNUSED(name);
    uint64_t t0 = kiln_now_ns();
    size_t n = program_size(kd);
    char *p = malloc(n);
    if (!p) return kiln_fail(ctx, KILN_ERR_NOMEM, "out of memory (%zu bytes of program)", n);
    program_head h = {PROGRAM_MAGIC, kd->n_inst, kd->n_in, kd->n_const, kd->n_out, kd->stream, kd->reduce, {0, 0}};
    char *q = p;
    memcpy(q, &h, sizeof h);
    q += sizeof h;
    memcpy(q, kd->inst, (size_t)kd->n_inst * sizeof(kd_inst));
    q += (size_t)kd->n_inst * sizeof(kd_inst);
    memcpy(q, kd->out_inst, (size_t)kd->n_out * 2);
    q += (size_t)kd->n_out * 2;
    memcpy(q, kd->layout, (size_t)(kd->n_in + kd->n_out));
    *bytes = p;
    *len = n;
    t->emit += kiln_now_ns() - t0;
    return KILN_OK;
}

/* Whether a program's instructions are well formed: operands before use, slots in range, and a
 * block loop for every op and dtype. */
static bool program_valid(const kernel_desc *kd) {
    if (kd->n_out < 1 || kd->n_inst < 1 || (kd->reduce && (kd->reduce >= KILN_OP_COUNT || kiln_op_kind[kd->reduce] != KIND_REDUCE)))
        return false;
    for (int i = 0; i < kd->n_inst; i++) {
        const kd_inst *in = &kd->inst[i];
        if (in->op >= KILN_OP_COUNT || !dtype_valid(in->dtype)) return false;
        if (in->op == KILN_OP_VAR) {
            if (in->slot >= kd->n_in) return false;
            continue;
        }
        if (in->op == KILN_OP_CONST) {
            if (in->slot >= kd->n_const) return false;
            continue;
        }
        if (!op_is_elementwise(in->op)) return false;
        int ar = kiln_op_arity((kiln_op)in->op);
        for (int a = 0; a < ar; a++)
            if (in->arg[a] >= i) return false;
        kiln_dtype odt = kd_operand_dtype(kd, in);
        if (in->op == KILN_OP_CAST) continue;
        if (!interp_loops_base.op[in->op][odt]) return false;
        if (in->op == KILN_OP_WHERE && kd->inst[in->arg[0]].dtype != KILN_BOOL) return false;
        for (int a = 0; a < ar; a++)
            if (!(in->op == KILN_OP_WHERE && a == 0) && kd->inst[in->arg[a]].dtype != odt) return false;
        bool cmp = kiln_op_kind[in->op] == KIND_CMP || kiln_op_kind[in->op] == KIND_PRED;
        if (in->dtype != (cmp ? KILN_BOOL : odt)) return false;
    }
    for (int k = 0; k < kd->n_out; k++)
        if (kd->out_inst[k] >= kd->n_inst) return false;
    for (int i = 0; i < kd->n_in + kd->n_out; i++)
        if (kd->layout[i] > KD_STRIDED) return false;
    return true;
}

static void interp_row(const kiln_kernel *kk, int64_t n, char *const *ptrs, const int64_t *strides, const kscalar *consts);
static void interp_fold(const kiln_kernel *kk, int64_t n, char *const *ptrs, const int64_t *strides, const kscalar *consts,
                        kscalar *acc, int64_t base);

static kiln_status interp_load(void *state, kiln_ctx *ctx, const void *bytes, size_t len, const char *name, kiln_kernel **out) {
    KILN_UNUSED(name);
    interp_state *is = state;
    program_head h;
    if (len < sizeof h) return kiln_fail(ctx, KILN_ERR_COMPILE, "interpreter program is truncated");
    memcpy(&h, bytes, sizeof h);
    kernel_desc kd = {.n_inst = h.n_inst, .n_in = h.n_in, .n_const = h.n_const, .n_out = h.n_out, .stream = h.stream,
                      .reduce = h.reduce};
    if (h.magic != PROGRAM_MAGIC || len != program_size(&kd))
        return kiln_fail(ctx, KILN_ERR_COMPILE, "interpreter program is damaged (%zu bytes)", len);
    interp_kernel *k = kiln_calloc(ctx, sizeof *k);
    if (!k) return KILN_ERR_NOMEM;
    k->kd = kd;
    k->kd.inst = kiln_malloc(ctx, (size_t)kd.n_inst * sizeof(kd_inst));
    k->kd.out_inst = kiln_malloc(ctx, (size_t)kd.n_out * 2);
    k->kd.layout = kiln_malloc(ctx, (size_t)(kd.n_in + kd.n_out) + 1);
    k->fn = kiln_calloc(ctx, (size_t)kd.n_inst * sizeof *k->fn);
    k->mvec = kiln_calloc(ctx, (size_t)kd.n_inst * sizeof *k->mvec);
    k->mwrap = kiln_calloc(ctx, (size_t)kd.n_inst * sizeof *k->mwrap);
    if (!k->kd.inst || !k->kd.out_inst || !k->kd.layout || !k->fn || !k->mvec || !k->mwrap) goto fail;
    const char *q = (const char *)bytes + sizeof h;
    memcpy(k->kd.inst, q, (size_t)kd.n_inst * sizeof(kd_inst));
    q += (size_t)kd.n_inst * sizeof(kd_inst);
    memcpy(k->kd.out_inst, q, (size_t)kd.n_out * 2);
    q += (size_t)kd.n_out * 2;
    memcpy(k->kd.layout, q, (size_t)(kd.n_in + kd.n_out));
    if (!program_valid(&k->kd)) {
        kiln_fail(ctx, KILN_ERR_COMPILE, "interpreter program is malformed");
        goto fail;
    }
    for (int i = 0; i < kd.n_inst; i++) {
        const kd_inst *in = &k->kd.inst[i];
        if (in->op == KILN_OP_CAST) k->fn[i] = is->loops->cast[kd_operand_dtype(&k->kd, in)][in->dtype];
        else if (in->op != KILN_OP_VAR && in->op != KILN_OP_CONST) k->fn[i] = is->loops->op[in->op][kd_operand_dtype(&k->kd, in)];
        if (k->fn[i]) k->mvec[i] = mvec_for(&k->kd, in, is->vec_bytes, &k->mwrap[i]);
    }
    k->vec_bytes = is->vec_bytes;
    k->loops = is->loops;
    k->lanes = kd.reduce ? host_reduce_lanes(&k->kd, is->vec_bytes) : 0;
    if (k->lanes > 64) k->lanes = 64; /* (argmax of bytes: 256 lanes in the JIT on AVX-512; its answer no lane count changes) */
    k->head = (host_kernel){{&kiln_interp_backend}, interp_row, interp_fold};
    pthread_mutex_lock(&is->lock);
    k->next = is->kernels;
    is->kernels = k;
    pthread_mutex_unlock(&is->lock);
    *out = &k->head.head;
    return KILN_OK;
fail:
    kiln_free(ctx, k->kd.inst);
    kiln_free(ctx, k->kd.out_inst);
    kiln_free(ctx, k->kd.layout);
    kiln_free(ctx, k->fn);
    kiln_free(ctx, k->mvec);
    kiln_free(ctx, k->mwrap);
    kiln_free(ctx, k);
    return kiln_errcode(ctx) != KILN_OK ? kiln_errcode(ctx) : KILN_ERR_NOMEM;
}

/* ------------------------------------------------------------------ running blocks */

/* Per-row working memory: one buffer of INTERP_BLOCK elements per instruction, and what each
 * instruction's values are read from this block (its buffer, or an input's memory). */
typedef struct frame {
    char *buf;               /* n_inst × INTERP_BLOCK × 8 bytes */
    const void **val;        /* n_inst */
    char stack_buf[INTERP_STACK_INSTS * INTERP_BLOCK * 8];
    const void *stack_val[INTERP_STACK_INSTS];
} frame;

static bool frame_open(frame *f, const kernel_desc *kd) {
    if (kd->n_inst <= INTERP_STACK_INSTS) {
        f->buf = f->stack_buf;
        f->val = f->stack_val;
        memset(f->stack_val, 0, sizeof f->stack_val);
        return true;
    }
    f->buf = malloc((size_t)kd->n_inst * INTERP_BLOCK * 8);
    f->val = calloc((size_t)kd->n_inst, sizeof *f->val);
    if (f->buf && f->val) return true;
    free(f->buf);
    free((void *)f->val);
    return false;
}
static void frame_close(frame *f) {
    if (f->buf == f->stack_buf) return;
    free(f->buf);
    free((void *)f->val);
}

static void fill(void *dst, kiln_dtype dt, kscalar v, int64_t n) {
    size_t es = kiln_dtype_size(dt);
    for (int64_t i = 0; i < n; i++) memcpy((char *)dst + (size_t)i * es, dt == KILN_BOOL ? (const void *)&v.b : (const void *)&v, es);
}

/* Broadcast inputs and constants hold one value for the whole row: their buffers are filled
 * once. */
static void frame_fill_invariants(frame *f, const kernel_desc *kd, char *const *ptrs, const kscalar *consts, int64_t n) {
    if (n > INTERP_BLOCK) n = INTERP_BLOCK;
    for (int i = 0; i < kd->n_inst; i++) {
        const kd_inst *in = &kd->inst[i];
        char *b = f->buf + (size_t)i * INTERP_BLOCK * 8;
        if (in->op == KILN_OP_CONST) fill(b, (kiln_dtype)in->dtype, consts[in->slot], n);
        else if (in->op == KILN_OP_VAR && kd->layout[in->slot] == KD_BCAST)
            fill(b, (kiln_dtype)in->dtype, ref_load(ptrs[in->slot], (kiln_dtype)in->dtype), n);
        else continue;
        f->val[i] = b;
    }
}

/* n elements of dt, stride st bytes apart from p, packed into dst (bools made 0 or 1). */
static void gather(char *dst, const char *p, int64_t st, kiln_dtype dt, int64_t n) {
    switch (kiln_dtype_size(dt)) {
    case 1: /* (bools made 0 or 1) */
        if (dt == KILN_BOOL)
            for (int64_t j = 0; j < n; j++) ((uint8_t *)dst)[j] = *(const uint8_t *)(p + j * st) != 0;
        else
            for (int64_t j = 0; j < n; j++) ((uint8_t *)dst)[j] = *(const uint8_t *)(p + j * st);
        break;
    case 2:
        for (int64_t j = 0; j < n; j++) memcpy(dst + j * 2, p + j * st, 2);
        break;
    case 4:
        for (int64_t j = 0; j < n; j++) memcpy(dst + j * 4, p + j * st, 4);
        break;
    default:
        for (int64_t j = 0; j < n; j++) memcpy(dst + j * 8, p + j * st, 8);
        break;
    }
}

/* n elements of es bytes from src scattered to p, stride st bytes apart. */
static void scatter(char *p, int64_t st, const char *src, int64_t es, int64_t n) {
    if (es == 1)
        for (int64_t j = 0; j < n; j++) *(uint8_t *)(p + j * st) = ((const uint8_t *)src)[j];
    else if (es == 2)
        for (int64_t j = 0; j < n; j++) memcpy(p + j * st, src + j * 2, 2);
    else if (es == 4)
        for (int64_t j = 0; j < n; j++) memcpy(p + j * st, src + j * 4, 4);
    else
        for (int64_t j = 0; j < n; j++) memcpy(p + j * st, src + j * 8, 8);
}

/* out = libmvec variant f (through wrap, registers of vb bytes) of x (and y), n elements of es
 * bytes: whole registers, then the rest padded to one (lane l the rest's l % r), as the JIT
 * calls it on a tail. */
static void mvec_run(mv_fn wrap, void *f, int vb, int64_t es, int64_t n, char *out, const char *x, const char *y) {
    int64_t whole = n * es / vb * vb, rest = n * es - whole;
    if (whole) wrap(f, whole, out, x, y);
    if (!rest) return;
    _Alignas(64) char px[64], py[64], po[64];
    for (int64_t b = 0; b < vb; b += es) {
        memcpy(px + b, x + whole + b % rest, (size_t)es);
        if (y) memcpy(py + b, y + whole + b % rest, (size_t)es);
    }
    wrap(f, vb, po, px, y ? py : NULL);
    memcpy(out + whole, po, (size_t)rest);
}

/* Computes every instruction over elements [s, s+n) of the row (n <= INTERP_BLOCK); its
 * transcendental functions are libmvec's, for every element, as the JIT's. */
static void run_block(const interp_kernel *k, frame *f, char *const *ptrs, const int64_t *strides, int64_t s, int64_t n) {
    const kernel_desc *kd = &k->kd;
    for (int i = 0; i < kd->n_inst; i++) {
        const kd_inst *in = &kd->inst[i];
        char *b = f->buf + (size_t)i * INTERP_BLOCK * 8;
        if (in->op == KILN_OP_CONST) continue;
        if (in->op == KILN_OP_VAR) {
            kiln_dtype dt = (kiln_dtype)in->dtype;
            int64_t es = (int64_t)kiln_dtype_size(dt);
            int layout = kd->layout[in->slot];
            const char *p = ptrs[in->slot];
            if (layout == KD_BCAST) continue;
            if (layout == KD_CONTIG && dt != KILN_BOOL) {
                f->val[i] = p + s * es; /* read in place */
                continue;
            }
            if (layout == KD_CONTIG) { /* bools: bytes made 0 or 1, as the JIT's loads do */
                for (int64_t j = 0; j < n; j++) ((uint8_t *)b)[j] = ((const uint8_t *)p)[s + j] != 0;
            } else {
                gather(b, p + s * strides[in->slot], strides[in->slot], dt, n);
            }
            f->val[i] = b;
            continue;
        }
        int ar = kiln_op_arity((kiln_op)in->op);
        const char *x = f->val[in->arg[0]], *y = ar > 1 ? f->val[in->arg[1]] : NULL, *z = ar > 2 ? f->val[in->arg[2]] : NULL;
        if (k->mvec[i]) {
            mvec_run(k->mwrap[i], k->mvec[i], k->vec_bytes, (int64_t)kiln_dtype_size((kiln_dtype)in->dtype), n, b, x, y);
            if (in->op == KILN_OP_CBRT && in->dtype == KILN_F64) /* (the JIT's step to the nearest, cpu_emit_cbrt) */
                for (int64_t j = 0; j < n; j++) ((double *)(void *)b)[j] = ref_cbrt_refine(((const double *)(const void *)x)[j], ((double *)(void *)b)[j]);
        } else {
            k->fn[i](n, b, x, y, z);
        }
        f->val[i] = b;
    }
}

/* Copies bytes from src to 16-byte aligned dst around the caches (non-temporal stores): the
 * interpreter's form of the JIT's streaming stores for outputs too big to stay in cache. */
static void stream_copy(char *dst, const char *src, int64_t bytes) {
    int64_t i = 0;
    for (; i + 16 <= bytes; i += 16) _mm_stream_si128((__m128i *)(void *)(dst + i), _mm_loadu_si128((const __m128i *)(const void *)(src + i)));
    if (i < bytes) memcpy(dst + i, src + i, (size_t)(bytes - i));
}

static void store_block(const interp_kernel *k, const frame *f, char *const *ptrs, const int64_t *strides, int64_t s, int64_t n) {
    const kernel_desc *kd = &k->kd;
    for (int o = 0; o < kd->n_out; o++) {
        int op = kd->n_in + o;
        kiln_dtype dt = kd_out_dtype(kd, o);
        int64_t es = (int64_t)kiln_dtype_size(dt), st = kd->layout[op] == KD_CONTIG ? es : strides[op];
        const char *v = f->val[kd->out_inst[o]];
        char *p = ptrs[op] + s * st;
        if (kd->layout[op] != KD_CONTIG) scatter(p, st, v, es, n);
        else if (kd->stream && kd->n_out == 1 && ((uintptr_t)p & 15) == 0 && v != p) stream_copy(p, v, n * es);
        else memmove(p, v, (size_t)(n * es)); /* an output may be an input, in place */
    }
}

static void interp_row(const kiln_kernel *kk, int64_t n, char *const *ptrs, const int64_t *strides, const kscalar *consts) {
    const interp_kernel *k = (const interp_kernel *)kk;
    if (n < 0) { /* a block call (kernel.h): its rows one by one */
        int nops = k->kd.n_in + k->kd.n_out;
        char *rp[KILN_INLINE_OPERANDS];
        KILN_ASSERT(nops <= KILN_INLINE_OPERANDS);
        for (int r = 0; r < KILN_BLOCK_ROWS; r++) {
            for (int i = 0; i < nops; i++) rp[i] = ptrs[i] + r * strides[nops + i];
            interp_row(kk, -n, rp, strides, consts);
        }
        return;
    }
    frame f;
    if (!frame_open(&f, &k->kd)) abort(); /* rows cannot fail; out of memory here is fatal */
    frame_fill_invariants(&f, &k->kd, ptrs, consts, n);
    int64_t start = host_map_start(&k->kd, k->vec_bytes, n, ptrs[k->kd.n_in]); /* where the JIT's vector loop starts */
    if (start > 0) {
        run_block(k, &f, ptrs, strides, 0, start);
        store_block(k, &f, ptrs, strides, 0, start);
    }
    for (int64_t s = start; s < n; s += INTERP_BLOCK) {
        int64_t m = n - s < INTERP_BLOCK ? n - s : INTERP_BLOCK;
        run_block(k, &f, ptrs, strides, s, m);
        store_block(k, &f, ptrs, strides, s, m);
    }
    if (k->kd.stream) _mm_sfence(); /* streaming stores are weakly ordered: fence before others read */
    frame_close(&f);
}

/* ------------------------------------------------------------------ reductions */

/* Folds elements [off, off + n) of a row as the JIT's reduction kernels do into r: element i
 * of the first n & -L goes to lane i mod L; the lanes are combined in a tree of neighbours; the
 * rest follows one by one (with a strided operand, every element but a float sum's).  The
 * values are computed as the JIT's: transcendental functions by libmvec, every element. */
static void fold_span(const interp_kernel *k, frame *f, char *const *ptrs, const int64_t *strides, int64_t off, int64_t n,
                      int64_t base, kscalar *r) {
    const kernel_desc *kd = &k->kd;
    int op = kd->reduce, L = k->lanes;
    kiln_dtype dt = kd_out_dtype(kd, 0);
    int64_t es = (int64_t)kiln_dtype_size(dt);
    bool strided = false, pairwise = kd_pairwise(kd);
    for (int i = 0; i < kd->n_in; i++) strided = strided || kd->layout[i] == KD_STRIDED;
    int64_t nvec = strided && !pairwise ? 0 : n / L * L;
    bool arg = op_is_arg_reduce(op);
    fold_fn ff = arg ? NULL : k->loops->fold[op][dt]; /* typed lanes */
    argfold_fn af = arg ? k->loops->argfold[op == KILN_OP_ARGMIN][dt] : NULL;
    kscalar lanes[2 * 64];
    uint64_t typed[64]; /* L lanes of dt */
    int64_t index[64];
    KILN_ASSERT(L <= 64);
    for (int l = 0; l < L; l++) {
        ref_reduce_init(op, dt, &lanes[2 * l]);
        ref_store((char *)typed + l * es, dt, lanes[2 * l]);
        index[l] = lanes[2 * l + 1].i64;
    }
    for (int64_t s = 0; s < nvec; s += INTERP_BLOCK) { /* the lanes' part */
        int64_t m = nvec - s < INTERP_BLOCK ? nvec - s : INTERP_BLOCK;
        run_block(k, f, ptrs, strides, off + s, m);
        const char *v = f->val[kd->out_inst[0]];
        if (ff) ff(m, L, typed, v);
        else af(m, L, typed, index, v, base + s);
    }
    for (int l = 0; l < L; l++) {
        lanes[2 * l] = ref_load((const char *)typed + l * es, dt);
        lanes[2 * l + 1].i64 = index[l];
    }
    for (int w = L; w > 1; w /= 2) /* the lanes, in a fixed tree */
        for (int q = 0; q < w / 2; q++) {
            kscalar a[2] = {lanes[4 * q], lanes[4 * q + 1]};
            ref_reduce_combine(op, dt, a, &lanes[4 * q + 2]);
            lanes[2 * q] = a[0];
            lanes[2 * q + 1] = a[1];
        }
    r[0] = lanes[0];
    r[1] = lanes[1];
    for (int64_t s = nvec; s < n; s += INTERP_BLOCK) { /* the rest, one by one */
        int64_t m = n - s < INTERP_BLOCK ? n - s : INTERP_BLOCK;
        run_block(k, f, ptrs, strides, off + s, m);
        const char *v = f->val[kd->out_inst[0]];
        for (int64_t j = 0; j < m; j++) {
            kscalar e[2] = {dt == KILN_BOOL ? (kscalar){.b = ((const bool *)v)[j]} : ref_load(v + j * es, dt), {.i64 = base + s + j}};
            ref_reduce_combine(op, dt, r, e);
        }
    }
}

/* A row folded after what acc holds; a float sum's KILN_FOLD_SERIES, its n items into
 * acc[0..n), and KILN_FOLD_ROWS, its rows' sums into acc[0..KILN_FOLD_ROWS_N) (see kd_pairwise). */
static void interp_fold(const kiln_kernel *kk, int64_t n, char *const *ptrs, const int64_t *strides, const kscalar *consts,
                        kscalar *acc, int64_t base) {
    const interp_kernel *k = (const interp_kernel *)kk;
    const kernel_desc *kd = &k->kd;
    frame f;
    if (!frame_open(&f, kd)) abort(); /* rows cannot fail; out of memory here is fatal */
    bool series = kd_pairwise(kd) && base == KILN_FOLD_SERIES;
    int64_t len = series ? acc[0].i64 : n;
    frame_fill_invariants(&f, kd, ptrs, consts, len);
    kscalar r[2];
    if (kd_pairwise(kd) && base == KILN_FOLD_ROWS) {
        for (int u = 0; u < KILN_FOLD_ROWS_N; u++) {
            char *const *pu = ptrs + (size_t)u * kd->n_in;
            frame_fill_invariants(&f, kd, pu, consts, n); /* (this row's broadcast values) */
            fold_span(k, &f, pu, strides, 0, n, 0, r);
            acc[u] = r[0];
        }
    } else if (kd_pairwise(kd) && base == KILN_FOLD_IN_ORDER) { /* one at a time after acc */
        kiln_dtype dt = kd_out_dtype(kd, 0);
        int64_t es = (int64_t)kiln_dtype_size(dt);
        for (int64_t s = 0; s < n; s += INTERP_BLOCK) {
            int64_t m = n - s < INTERP_BLOCK ? n - s : INTERP_BLOCK;
            run_block(k, &f, ptrs, strides, s, m);
            const char *v = f.val[kd->out_inst[0]];
            for (int64_t j = 0; j < m; j++) {
                kscalar e = ref_load(v + j * es, dt);
                ref_reduce_combine(KILN_OP_SUM, dt, acc, &e);
            }
        }
    } else if (series) { /* item l at item 0's pointers plus l times item 1's distance */
        int nin = kd->n_in;
        char *item_s[16], **item = nin <= 16 ? item_s : malloc((size_t)nin * sizeof *item);
        if (!item) abort(); /* (as frame_open) */
        for (int64_t l = 0; l < n; l++) {
            for (int i = 0; i < nin; i++) item[i] = ptrs[i] + l * (ptrs[nin + i] - ptrs[i]);
            frame_fill_invariants(&f, kd, item, consts, len); /* (this item's broadcast values) */
            fold_span(k, &f, item, strides, 0, len, 0, r);
            acc[l] = r[0];
        }
        if (item != item_s) free(item);
    } else {
        fold_span(k, &f, ptrs, strides, 0, n, base, r);
        ref_reduce_combine(kd->reduce, kd_out_dtype(kd, 0), acc, r);
    }
    frame_close(&f);
}

/* ------------------------------------------------------------------ the backend */

static kiln_status interp_init(kiln_ctx *ctx, void **state) {
    interp_state *is = kiln_calloc(ctx, sizeof *is);
    if (!is) {
        *state = NULL;
        return KILN_ERR_NOMEM;
    }
    is->ctx = ctx;
    is->vec_bytes = host_vector_bytes();
    bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
                  __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq");
    is->loops = is->vec_bytes == 64 && avx512                                 ? &interp_loops_avx512
                : is->vec_bytes >= 32 && __builtin_cpu_supports("avx2") ? &interp_loops_avx2
                                                                          : &interp_loops_base;
    pthread_mutex_init(&is->lock, NULL);
    snprintf(is->target, sizeof is->target, "kiln %s|interp|v%d", KILN_VERSION, is->vec_bytes);
    snprintf(is->describe, sizeof is->describe,
             "interpreter: blocks of %d elements, %s loops compiled into libkiln%s (no JIT)", INTERP_BLOCK, is->loops->isa,
             host_mvec_loaded() ? ", libmvec vector math" : "");
    *state = is;
    return KILN_OK;
}

static void kernel_free(interp_state *is, interp_kernel *k) {
    kiln_free(is->ctx, k->kd.inst);
    kiln_free(is->ctx, k->kd.out_inst);
    kiln_free(is->ctx, k->kd.layout);
    kiln_free(is->ctx, k->fn);
    kiln_free(is->ctx, k->mvec);
    kiln_free(is->ctx, k->mwrap);
    kiln_free(is->ctx, k);
}

static void interp_unload(void *state, const kiln_kernel *kk) {
    interp_state *is = state;
    pthread_mutex_lock(&is->lock);
    for (interp_kernel **p = &is->kernels; *p; p = &(*p)->next)
        if (&(*p)->head.head == kk) {
            interp_kernel *k = *p;
            *p = k->next;
            kernel_free(is, k);
            break;
        }
    pthread_mutex_unlock(&is->lock);
}

static void interp_free(void *state) {
    interp_state *is = state;
    if (!is) return;
    for (interp_kernel *k = is->kernels, *n; k; k = n) {
        n = k->next;
        kernel_free(is, k);
    }
    pthread_mutex_destroy(&is->lock);
    kiln_free(is->ctx, is);
}

static const char *interp_target(void *state) { return ((interp_state *)state)->target; }
static const char *interp_describe(void *state) { return ((interp_state *)state)->describe; }
static const char *interp_about(void) { return "without LLVM: the interpreter runs every kernel"; }

static kiln_status interp_render(void *state, kiln_ctx *ctx, const kernel_desc *kd, int what, kstr *out) {
    KILN_UNUSED(state);
    if (what & (KILN_DUMP_LLVM | KILN_DUMP_ASM))
        return kiln_fail(ctx, KILN_ERR_BACKEND, "the interp backend compiles nothing: it has no LLVM IR or assembly");
    if (what & KILN_DUMP_SOURCE) {
        kstr_printf(out, "interpreter program (blocks of %d elements):\n", INTERP_BLOCK);
        kd_print(kd, out);
    }
    return KILN_OK;
}

const kiln_backend_i kiln_interp_backend = {
    .name = "interp",
    .compiles = false,
    .disk_cache = false, /* making a program costs less than reading a file */
    .about = interp_about,
    .init = interp_init,
    .free = interp_free,
    .target = interp_target,
    .describe = interp_describe,
    .supports = interp_supports,
    .render = interp_render,
    .compile = interp_compile,
    .load = interp_load,
    .launch_map = host_launch_map,
    .launch_reduce = host_launch_reduce,
    .unload = interp_unload,
    .launch_accumulate = host_launch_accumulate,
    .scan = host_scan,
    .gather = host_gather,
    .scatter = host_scatter,
    .rows = host_rows,
    .linalg = host_linalg,
    .gemm = host_gemm,
    .matmul = host_matmul,
};
