/*
 * cpu.c — the LLVM backend: fused kernel description → LLVM IR → ORC LLJIT → machine code.
 *
 * Pipeline position: codegen, behind the backend contract (codegen/backend.h): the runtime
 * asks it to render, compile and load on a kernel-cache miss, and to launch; its kernels run on
 * this machine's cores through the shared host iteration (codegen/host.c).
 *
 * Each kernel is one function  void k(i64 n, ptr ptrs, ptr strides, ptr consts)  with two
 * loops that share one emitter (cpu_emit_inst) parameterized by the lane count L:
 *
 *     entry:  load operand pointers, strides, constants, broadcast values (all hoisted)
 *     vloop:  i in [0, n & -W) step W      — every value is a <W x T> vector
 *     sloop:  i in [n & -W, n) step 1      — the same instructions on scalars
 *
 * The vector loop is explicit (no reliance on LLVM's loop vectorizer), so transcendental
 * functions call glibc's libmvec directly (_ZGVeN8v_sin for 8 doubles in a zmm register) and
 * the pass pipeline can stay short.  Kernels with an operand that is neither contiguous nor
 * broadcast along the row run the scalar loop only.
 */
#include <dlfcn.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include <llvm-c/Analysis.h>
#include <llvm-c/Core.h>
#include <llvm-c/Error.h>
#include <llvm-c/LLJIT.h>
#include <llvm-c/Orc.h>
#include <llvm-c/Target.h>
#include <llvm-c/TargetMachine.h>
#include <llvm-c/Transforms/PassBuilder.h>

#include "../../base/scalar.h"
#include "../host.h"
#include "codegen_id.h" /* KILN_CODEGEN_ID (generated: tools/codegen_id.cmake) */

/* The pass pipeline: the IR is vectorized already, so a short clean-up suffices. */
#define CPU_PIPELINE "function(instcombine<no-verify-fixpoint>,simplifycfg,early-cse,instcombine<no-verify-fixpoint>)"

typedef struct cpu_state {
    kiln_ctx *ctx;           /* whose allocator made this */
    LLVMOrcLLJITRef jit;
    LLVMTargetMachineRef tm; /* for the optimizer's cost models; the JIT has its own copy */
    LLVMTargetMachineRef otm; /* emits relocatable object code (PIC, small code model) for the
                                 JIT and the disk cache */
    char target[4096];       /* what object code depends on, for the disk cache's key */
    char *triple, *cpu, *features;
    int vec_bytes;           /* 64 with AVX-512, 32 with AVX2, else 16 */
    bool mvec;               /* glibc's libmvec is loaded */
    bool lane_loads;         /* a strided operand's vector loaded a lane at a time, not gathered
                                (AMD's Zen: cpu_init says why) */
    unsigned counter;        /* kernels rendered, for unique names */
    pthread_mutex_t lock;    /* one compile or load at a time */
    struct cpu_kernel *kernels; /* every kernel loaded, freed with the state */
    char describe[512];
    uint64_t ns_start;       /* what cpu_start took (reported with the first compile) */
    atomic_bool started;     /* the JIT is made (read without the lock) */
} cpu_state;

/* A loaded kernel: a function in the JIT's memory (kiln_kernel_fn or kiln_reduce_fn). */
typedef struct cpu_kernel {
    host_kernel head;
    void (*fn)(void);
    LLVMOrcResourceTrackerRef rt; /* its object in the JIT: removed when it is unloaded */
    struct cpu_kernel *next;
} cpu_kernel;

extern const kiln_backend_i kiln_cpu_backend;

/* Integer power for int64 kernels: the scalar semantics' own, with an address to call. */
static int64_t kiln_rt_ipow(int64_t a, int64_t e) { return ks_ipow(a, e); }
/* Division by a kernel constant d (|d| >= 2), as libdivide's unsigned 64-bit division: the
 * magic number m, returned, and the shift s (with 256 added where the add step is needed), in
 * *shift; computed once a row call.  Then |a| / |d| = mulhi(|a|, m) >> s, or ((|a| - h) / 2 +
 * h) >> s with the add step (a power of two: m = 0, the add step, s = log2 |d| - 1). */
static uint64_t kiln_rt_div_magic(int64_t d, int64_t *shift) {
    uint64_t ud = d < 0 ? 0 - (uint64_t)d : (uint64_t)d;
    *shift = 0;
    if (ud < 2) return 0;
    int k = 63 - __builtin_clzll(ud);
    if (!(ud & (ud - 1))) {
        *shift = 256 + k - 1;
        return 0;
    }
    unsigned __int128 num = (unsigned __int128)1 << (64 + k);
    uint64_t m = (uint64_t)(num / ud), rem = (uint64_t)(num - (unsigned __int128)m * ud);
    if (ud - rem < (1ull << k)) {
        *shift = k;
        return m + 1;
    }
    uint64_t twice = rem + rem;
    *shift = 256 + k;
    return 2 * m + (twice >= ud || twice < rem) + 1;
}
/* libm's hypot under names LLVM does not know: as hypot, its vectorizers would turn the calls
 * back into libmvec's, whose bits differ from NumPy's (libm's) in one result of ten */
static double kiln_rt_hypot(double x, double y) { return hypot(x, y); }
static float kiln_rt_hypotf(float x, float y) { return hypotf(x, y); }
/* nextafter, lane by lane: the scalar semantics' own (ldexp and frexp's exponent are emitted
 * as vector code: cpu_emit_ldexp; LLVM 19 calls libm per lane for llvm.ldexp and llvm.frexp) */
static double kiln_rt_nextafter(double x, double y) { return ks_nextafter_f64(x, y); }
static float kiln_rt_nextafterf(float x, float y) { return ks_nextafter_f32(x, y); }

static kiln_status llvm_fail(kiln_ctx *ctx, LLVMErrorRef err, const char *what) {
    char *m = LLVMGetErrorMessage(err);
    kiln_status st = kiln_fail(ctx, KILN_ERR_COMPILE, "%s: %s", what, m);
    LLVMDisposeErrorMessage(m);
    return st;
}

/* ------------------------------------------------------------------ start-up */

static pthread_once_t llvm_once = PTHREAD_ONCE_INIT;
static void llvm_global_init(void) {
    LLVMInitializeNativeTarget();
    LLVMInitializeNativeAsmPrinter();
}

static LLVMTargetMachineRef make_tm(cpu_state *cs, LLVMTargetRef t) {
    return LLVMCreateTargetMachine(t, cs->triple, cs->cpu, cs->features, LLVMCodeGenLevelAggressive,
                                   LLVMRelocPIC, LLVMCodeModelJITDefault);
}

static void cpu_free(void *state);

/* What the kernels' code depends on (the cache keys' target) and what :backend says: cheap,
 * so a context whose kernels all come from the interpreter or the disk never pays for the JIT;
 * the target machines and the LLJIT are made by cpu_start, at the first compile or load. */
static kiln_status cpu_init(kiln_ctx *ctx, void **state) {
    *state = NULL;
    cpu_state *cs = kiln_calloc(ctx, sizeof *cs);
    if (!cs) return KILN_ERR_NOMEM;
    pthread_mutex_init(&cs->lock, NULL);
    cs->ctx = ctx;
    cs->triple = LLVMGetDefaultTargetTriple();
    cs->cpu = LLVMGetHostCPUName();
    cs->features = LLVMGetHostCPUFeatures();
    /* the width every host backend uses (the interpreter folds reductions in the same lanes);
     * capped by what LLVM says this CPU has */
    int llvm_bytes = strstr(cs->features, "+avx512f") ? 64 : strstr(cs->features, "+avx2") ? 32 : 16;
    cs->vec_bytes = host_vector_bytes() < llvm_bytes ? host_vector_bytes() : llvm_bytes;
    /* libmvec's vector functions; without them vector math is done lane by lane. */
    cs->mvec = host_mvec_loaded();
    /* Strided operands a lane at a time on AMD's Zen.  Measured on Zen 5 only (and taken for every
     * Zen), one thread, 2000x10000 float64 z: z[:, ::2] * 2 in 4.5 ms by lane loads, 18 by
     * gathers; float32 2.25 against 22; z[:, ::10] * 2 3.7-4.0 against 7.0-7.4; x.T * 2 0.96
     * against 1.25-1.42 (2000x1000).  KILN_TEST_GATHER=1 (or 0) says it instead: the tests' way
     * to run the other code here.  The choice is in the key. */
    const char *tg = getenv("KILN_TEST_GATHER");
    cs->lane_loads = tg && *tg ? strcmp(tg, "0") == 0 : strncmp(cs->cpu, "znver", 5) == 0;
    unsigned maj, min, patch;
    LLVMGetVersion(&maj, &min, &patch);
    /* KILN_TEST_VERSION and KILN_TEST_CPU_FEATURES stand in for another kiln or another CPU
     * in the key only (the tests' way to prove that either change is a miss) */
    const char *ver = getenv("KILN_TEST_VERSION"), *feat = getenv("KILN_TEST_CPU_FEATURES");
    snprintf(cs->target, sizeof cs->target, "kiln %s %s|llvm %u.%u.%u|%s|%s|%s|%s|v%d|%s", ver ? ver : KILN_VERSION, KILN_CODEGEN_ID, maj,
             min, patch, cs->triple, cs->cpu, cs->lane_loads ? "lanes" : "gathers", feat ? feat : cs->features, cs->vec_bytes,
             cs->mvec ? "libmvec" : "libm");
    snprintf(cs->describe, sizeof cs->describe, "LLVM %u.%u.%u JIT for %s (%d-byte vectors, %s, strided loads by %s)", maj, min, patch,
             cs->cpu, cs->vec_bytes, cs->mvec ? "libmvec vector math" : "scalar libm", cs->lane_loads ? "lane" : "gather");
    *state = cs;
    return KILN_OK;
}

/* Makes the target machines and the LLJIT, once (under cs->lock).  On failure the error is set
 * on ctx and the next call tries again. */
static kiln_status cpu_start(cpu_state *cs, kiln_ctx *ctx) {
    if (cs->jit) return KILN_OK;
    uint64_t t0 = kiln_now_ns();
    pthread_once(&llvm_once, llvm_global_init);
    LLVMTargetRef target;
    char *msg = NULL;
    if (LLVMGetTargetFromTriple(cs->triple, &target, &msg)) {
        kiln_fail(ctx, KILN_ERR_BACKEND, "LLVM has no target for %s: %s", cs->triple, msg);
        LLVMDisposeMessage(msg);
        return KILN_ERR_BACKEND;
    }
    if (!cs->tm) cs->tm = make_tm(cs, target);
    if (!cs->otm)
        cs->otm = LLVMCreateTargetMachine(target, cs->triple, cs->cpu, cs->features, LLVMCodeGenLevelAggressive, LLVMRelocPIC,
                                          LLVMCodeModelSmall);
    LLVMTargetMachineRef jtm = make_tm(cs, target);
    if (!cs->tm || !cs->otm || !jtm) {
        if (jtm) LLVMDisposeTargetMachine(jtm);
        return kiln_fail(ctx, KILN_ERR_BACKEND, "LLVM could not make a target machine for %s", cs->cpu);
    }
    LLVMOrcLLJITBuilderRef jb = LLVMOrcCreateLLJITBuilder();
    LLVMOrcLLJITBuilderSetJITTargetMachineBuilder(jb, LLVMOrcJITTargetMachineBuilderCreateFromTargetMachine(jtm));
    LLVMOrcLLJITRef jit;
    LLVMErrorRef err = LLVMOrcCreateLLJIT(&jit, jb);
    if (err) return llvm_fail(ctx, err, "creating the LLJIT");
    LLVMOrcJITDylibRef jd = LLVMOrcLLJITGetMainJITDylib(jit);
    LLVMOrcDefinitionGeneratorRef gen;
    err = LLVMOrcCreateDynamicLibrarySearchGeneratorForProcess(&gen, LLVMOrcLLJITGetGlobalPrefix(jit), NULL, NULL);
    if (err) {
        LLVMOrcDisposeLLJIT(jit);
        return llvm_fail(ctx, err, "searching the process for symbols");
    }
    LLVMOrcJITDylibAddGenerator(jd, gen);
    const LLVMJITSymbolFlags fl = {LLVMJITSymbolGenericFlagsExported | LLVMJITSymbolGenericFlagsCallable, 0};
    LLVMOrcCSymbolMapPair helpers[] = {
        {LLVMOrcLLJITMangleAndIntern(jit, "kiln_rt_ipow"), {(LLVMOrcExecutorAddress)(uintptr_t)&kiln_rt_ipow, fl}},
        {LLVMOrcLLJITMangleAndIntern(jit, "kiln_rt_div_magic"), {(LLVMOrcExecutorAddress)(uintptr_t)&kiln_rt_div_magic, fl}},
        {LLVMOrcLLJITMangleAndIntern(jit, "kiln_rt_hypot"), {(LLVMOrcExecutorAddress)(uintptr_t)&kiln_rt_hypot, fl}},
        {LLVMOrcLLJITMangleAndIntern(jit, "kiln_rt_hypotf"), {(LLVMOrcExecutorAddress)(uintptr_t)&kiln_rt_hypotf, fl}},
        {LLVMOrcLLJITMangleAndIntern(jit, "kiln_rt_nextafter"), {(LLVMOrcExecutorAddress)(uintptr_t)&kiln_rt_nextafter, fl}},
        {LLVMOrcLLJITMangleAndIntern(jit, "kiln_rt_nextafterf"), {(LLVMOrcExecutorAddress)(uintptr_t)&kiln_rt_nextafterf, fl}},
    };
    err = LLVMOrcJITDylibDefine(jd, LLVMOrcAbsoluteSymbols(helpers, sizeof helpers / sizeof *helpers));
    if (err) {
        LLVMOrcDisposeLLJIT(jit);
        return llvm_fail(ctx, err, "defining runtime helpers");
    }
    cs->jit = jit;
    cs->ns_start = kiln_now_ns() - t0;
    atomic_store_explicit(&cs->started, true, memory_order_release);
    return KILN_OK;
}

static bool cpu_ready(void *state) { return atomic_load_explicit(&((cpu_state *)state)->started, memory_order_acquire); }

static void cpu_free(void *state) {
    cpu_state *cs = state;
    if (!cs) return;
    for (cpu_kernel *k = cs->kernels, *n; k; k = n) {
        n = k->next;
        if (k->rt) LLVMOrcReleaseResourceTracker(k->rt);
        kiln_free(cs->ctx, k);
    }
    if (cs->jit) LLVMOrcDisposeLLJIT(cs->jit);
    if (cs->tm) LLVMDisposeTargetMachine(cs->tm);
    if (cs->otm) LLVMDisposeTargetMachine(cs->otm);
    LLVMDisposeMessage(cs->triple);
    LLVMDisposeMessage(cs->cpu);
    LLVMDisposeMessage(cs->features);
    pthread_mutex_destroy(&cs->lock);
    kiln_free(cs->ctx, cs);
}

static bool cpu_supports(void *state, const kernel_desc *kd) {
    KILN_UNUSED(state);
    KILN_UNUSED(kd);
    return true; /* every element-wise op has a lowering below */
}

/* ------------------------------------------------------------------ the emitter */

typedef struct emitter {
    cpu_state *cs;
    const kernel_desc *kd;
    LLVMContextRef c;
    LLVMModuleRef m;
    LLVMBuilderRef b;
    LLVMTypeRef i1, i8, i16, i32, i64, f32, f64, ptr;
    LLVMValueRef *base;   /* per operand: first element of the row */
    LLVMValueRef *stride; /* per operand: byte stride (strided operands only) */
    LLVMValueRef *cval;   /* per constant slot: the scalar value */
    LLVMValueRef *bval;   /* per input: the scalar value, for broadcast inputs */
    LLVMValueRef *val;    /* per instruction: its value in the loop being emitted */
    LLVMValueRef *dmagic; /* per integer // or % by a constant: the divisor as int64, its magic
                             number and shift (kiln_rt_div_magic), from the entry block; NULL
                             for the others */
    LLVMValueRef *tvec;   /* per input, in a block call's rows: this row's register of a
                             transposed operand, as in memory (NULL: loaded as the layout says) */
    bool stream;          /* the vector loop uses aligned streaming stores */
} emitter;

static LLVMTypeRef cpu_scalar_type(emitter *e, kiln_dtype dt) {
    switch (dt) {
    case KILN_BOOL: return e->i1;
    case KILN_U8:
    case KILN_I8: return e->i8;
    case KILN_I16:
    case KILN_U16: return e->i16;
    case KILN_U32:
    case KILN_I32: return e->i32;
    case KILN_I64: return e->i64;
    case KILN_F32: return e->f32;
    case KILN_F64: return e->f64;
    case KILN_DTYPE_COUNT: break;
    }
    KILN_ASSERT(0);
    return NULL;
}
static LLVMTypeRef cpu_type(emitter *e, kiln_dtype dt, int L) {
    LLVMTypeRef t = cpu_scalar_type(e, dt);
    return L == 1 ? t : LLVMVectorType(t, (unsigned)L);
}
/* The in-memory type: bools are bytes. */
static LLVMTypeRef cpu_mem_type(emitter *e, kiln_dtype dt, int L) {
    LLVMTypeRef t = dt == KILN_BOOL ? e->i8 : cpu_scalar_type(e, dt);
    return L == 1 ? t : LLVMVectorType(t, (unsigned)L);
}

static LLVMValueRef cpu_splat(emitter *e, LLVMValueRef v, int L) {
    if (L == 1) return v;
    LLVMTypeRef vt = LLVMVectorType(LLVMTypeOf(v), (unsigned)L);
    LLVMValueRef ins = LLVMBuildInsertElement(e->b, LLVMGetPoison(vt), v, LLVMConstInt(e->i32, 0, 0), "");
    return LLVMBuildShuffleVector(e->b, ins, LLVMGetPoison(vt), LLVMConstNull(LLVMVectorType(e->i32, (unsigned)L)), "");
}

/* A constant of dtype dt (from a double or an integer) at lane count L. */
static LLVMValueRef cpu_constf(emitter *e, kiln_dtype dt, double v, int L) {
    LLVMTypeRef t = cpu_scalar_type(e, dt);
    LLVMValueRef s = dtype_is_float(dt) ? LLVMConstReal(t, v) : LLVMConstInt(t, (unsigned long long)(long long)v, 1);
    if (L == 1) return s;
    LLVMValueRef elems[64];
    KILN_ASSERT(L <= 64);
    for (int i = 0; i < L; i++) elems[i] = s;
    return LLVMConstVector(elems, (unsigned)L);
}
static LLVMValueRef cpu_const_int(emitter *e, kiln_dtype dt, int64_t v, int L) {
    LLVMValueRef s = LLVMConstInt(cpu_scalar_type(e, dt), (unsigned long long)v, 1);
    if (L == 1) return s;
    LLVMValueRef elems[64];
    for (int i = 0; i < L; i++) elems[i] = s;
    return LLVMConstVector(elems, (unsigned)L);
}

static LLVMValueRef cpu_intrinsic(emitter *e, const char *name, LLVMTypeRef ty, LLVMValueRef *args, int n) {
    unsigned id = LLVMLookupIntrinsicID(name, strlen(name));
    KILN_ASSERT(id != 0);
    LLVMValueRef f = LLVMGetIntrinsicDeclaration(e->m, id, &ty, 1);
    LLVMTypeRef ft = LLVMIntrinsicGetType(e->c, id, &ty, 1);
    return LLVMBuildCall2(e->b, ft, f, args, (unsigned)n, "");
}

static LLVMValueRef cpu_call(emitter *e, const char *name, LLVMTypeRef ret, LLVMValueRef *args, int n) {
    LLVMTypeRef pt[3];
    for (int i = 0; i < n; i++) pt[i] = LLVMTypeOf(args[i]);
    LLVMTypeRef ft = LLVMFunctionType(ret, pt, (unsigned)n, 0);
    LLVMValueRef f = LLVMGetNamedFunction(e->m, name);
    if (!f) {
        f = LLVMAddFunction(e->m, name, ft);
        LLVMSetLinkage(f, LLVMExternalLinkage);
    }
    return LLVMBuildCall2(e->b, ft, f, args, (unsigned)n, "");
}

/* Calls scalar function name(args) lane by lane on L-wide vectors. */
static LLVMValueRef cpu_call_lanes(emitter *e, const char *name, LLVMTypeRef sret, LLVMValueRef *args, int n, int L) {
    if (L == 1) return cpu_call(e, name, sret, args, n);
    LLVMValueRef r = LLVMGetPoison(LLVMVectorType(sret, (unsigned)L));
    for (int l = 0; l < L; l++) {
        LLVMValueRef idx = LLVMConstInt(e->i32, (unsigned)l, 0), s[3];
        for (int i = 0; i < n; i++) s[i] = LLVMBuildExtractElement(e->b, args[i], idx, "");
        r = LLVMBuildInsertElement(e->b, r, cpu_call(e, name, sret, s, n), idx, "");
    }
    return r;
}

static LLVMValueRef cpu_lanes(emitter *e, LLVMValueRef v, int from, int count) {
    LLVMValueRef mask[64];
    for (int i = 0; i < count; i++) mask[i] = LLVMConstInt(e->i32, (unsigned)(from + i), 0);
    return LLVMBuildShuffleVector(e->b, v, LLVMGetPoison(LLVMTypeOf(v)), LLVMConstVector(mask, (unsigned)count), "");
}
static LLVMValueRef cpu_concat(emitter *e, LLVMValueRef a, LLVMValueRef b, int count) {
    LLVMValueRef mask[64];
    for (int i = 0; i < 2 * count; i++) mask[i] = LLVMConstInt(e->i32, (unsigned)i, 0);
    return LLVMBuildShuffleVector(e->b, a, b, LLVMConstVector(mask, (unsigned)(2 * count)), "");
}

/* A C math function (op's column in KILN_OPS) on L lanes of dt: libmvec's variant of the
 * register's width for dt, whatever L is (L lanes split into registers; fewer, a scalar tail's,
 * a strided kernel's, a float32 op in a float64 kernel's 8 lanes, padded to one register and
 * the lanes taken back), so that an element's bits depend on its value alone, not on where it
 * sits or which kernel computes it (x == x.max(axis=1, keepdims=True) of sin(x) holds, and so
 * max's gradient); libm's, lane by lane, without libmvec. */
static LLVMValueRef cpu_emit_math(emitter *e, kiln_op op, kiln_dtype dt, LLVMValueRef *args, int n, int L) {
    char name[64];
    const char *cf = kiln_op_cfunc[op];
    LLVMTypeRef st = cpu_scalar_type(e, dt);
    snprintf(name, sizeof name, "%s%s", cf, dt == KILN_F32 ? "f" : "");
    if (!e->cs->mvec) return cpu_call_lanes(e, name, st, args, n, L);
    char vname[128];
    int full = e->cs->vec_bytes / (int)kiln_dtype_size(dt);
    int chunk = host_mvec_variant(op, dt, full, e->cs->vec_bytes, vname, sizeof vname); /* the interpreter calls the same */
    LLVMTypeRef vt = LLVMVectorType(st, (unsigned)chunk);
    if (L < chunk) { /* lane l of the register is lane l % L of the value (its one lane, a scalar's) */
        LLVMValueRef mask[64], a[2];
        for (int l = 0; l < chunk; l++) mask[l] = LLVMConstInt(e->i32, (unsigned)(l % L), 0);
        for (int i = 0; i < n; i++) {
            LLVMValueRef v = args[i];
            if (L == 1) v = LLVMBuildInsertElement(e->b, LLVMGetPoison(LLVMVectorType(st, 1)), v, LLVMConstInt(e->i32, 0, 0), "");
            a[i] = LLVMBuildShuffleVector(e->b, v, LLVMGetPoison(LLVMTypeOf(v)), LLVMConstVector(mask, (unsigned)chunk), "");
        }
        LLVMValueRef r = cpu_call(e, vname, vt, a, n);
        return L == 1 ? LLVMBuildExtractElement(e->b, r, LLVMConstInt(e->i32, 0, 0), "") : cpu_lanes(e, r, 0, L);
    }
    LLVMValueRef parts[16];
    int np = L / chunk;
    KILN_ASSERT(np <= 16 && np * chunk == L);
    for (int p = 0; p < np; p++) {
        LLVMValueRef a[2];
        for (int i = 0; i < n; i++) a[i] = np == 1 ? args[i] : cpu_lanes(e, args[i], p * chunk, chunk);
        parts[p] = cpu_call(e, vname, vt, a, n);
    }
    for (int w = chunk; np > 1; w *= 2, np /= 2)
        for (int p = 0; p < np / 2; p++) parts[p] = cpu_concat(e, parts[2 * p], parts[2 * p + 1], w);
    return parts[0];
}

#define B e->b
static LLVMValueRef sel(emitter *e, LLVMValueRef c, LLVMValueRef x, LLVMValueRef y) {
    return LLVMBuildSelect(B, c, x, y, "");
}

/* float64 cbrt: libmvec's, made the nearest double by ks_cbrt_refine's step (the same operations,
 * so that the interpreter, a folded constant and the GPU give these bits) */
static LLVMValueRef cpu_emit_cbrt(emitter *e, LLVMValueRef x, int L) {
    LLVMTypeRef t = cpu_type(e, KILN_F64, L);
    LLVMValueRef y = cpu_emit_math(e, KILN_OP_CBRT, KILN_F64, &x, 1, L);
    LLVMValueRef ax = cpu_intrinsic(e, "llvm.fabs", t, &x, 1);
    LLVMValueRef ok = LLVMBuildAnd(B, LLVMBuildFCmp(B, LLVMRealOGT, ax, cpu_constf(e, KILN_F64, 0, L), ""),
                                   LLVMBuildFCmp(B, LLVMRealOLT, ax, cpu_constf(e, KILN_F64, INFINITY, L), ""), "");
    LLVMValueRef tiny = LLVMBuildFCmp(B, LLVMRealOLT, ax, cpu_constf(e, KILN_F64, 0x1p-900, L), "");
    LLVMValueRef xs = sel(e, tiny, LLVMBuildFMul(B, x, cpu_constf(e, KILN_F64, 0x1p300, L), ""), x);
    LLVMValueRef ys = sel(e, tiny, LLVMBuildFMul(B, y, cpu_constf(e, KILN_F64, 0x1p100, L), ""), y);
    LLVMValueRef sq = LLVMBuildFMul(B, ys, ys, "");
    LLVMValueRef a1[3] = {ys, ys, LLVMBuildFNeg(B, sq, "")}, a2[3] = {sq, ys, LLVMBuildFNeg(B, xs, "")};
    LLVMValueRef e1 = cpu_intrinsic(e, "llvm.fma", t, a1, 3);
    LLVMValueRef r = LLVMBuildFAdd(B, cpu_intrinsic(e, "llvm.fma", t, a2, 3), LLVMBuildFMul(B, e1, ys, ""), "");
    LLVMValueRef c = LLVMBuildFDiv(B, r, LLVMBuildFMul(B, cpu_constf(e, KILN_F64, 3.0, L), sq, ""), "");
    LLVMValueRef z = LLVMBuildFSub(B, ys, c, "");
    z = sel(e, tiny, LLVMBuildFMul(B, z, cpu_constf(e, KILN_F64, 0x1p-100, L), ""), z);
    return sel(e, ok, z, y);
}

/* Float floor division and remainder, exactly as NumPy's npy_divmod. */
static LLVMValueRef cpu_emit_fdivmod(emitter *e, kiln_dtype dt, LLVMValueRef a, LLVMValueRef b, bool want_mod, int L) {
    LLVMTypeRef t = cpu_type(e, dt, L);
    LLVMValueRef zero = cpu_constf(e, dt, 0, L), one = cpu_constf(e, dt, 1, L);
    LLVMValueRef mod = LLVMBuildFRem(B, a, b, "");
    LLVMValueRef q = LLVMBuildFDiv(B, a, b, "");
    LLVMValueRef div = LLVMBuildFDiv(B, LLVMBuildFSub(B, a, mod, ""), b, "");
    LLVMValueRef modnz = LLVMBuildFCmp(B, LLVMRealUNE, mod, zero, "");
    LLVMValueRef adj = LLVMBuildAnd(B, modnz,
                                    LLVMBuildXor(B, LLVMBuildFCmp(B, LLVMRealOLT, b, zero, ""),
                                                 LLVMBuildFCmp(B, LLVMRealOLT, mod, zero, ""), ""), "");
    LLVMValueRef bz = LLVMBuildFCmp(B, LLVMRealOEQ, b, zero, "");
    if (want_mod) {
        LLVMValueRef cs[2] = {zero, b};
        LLVMValueRef m1 = sel(e, adj, LLVMBuildFAdd(B, mod, b, ""), mod);
        LLVMValueRef m2 = sel(e, modnz, m1, cpu_intrinsic(e, "llvm.copysign", t, cs, 2));
        return sel(e, bz, mod, m2);
    }
    LLVMValueRef d1 = sel(e, adj, LLVMBuildFSub(B, div, one, ""), div);
    LLVMValueRef fl = cpu_intrinsic(e, "llvm.floor", t, &d1, 1);
    LLVMValueRef up = LLVMBuildFCmp(B, LLVMRealOGT, LLVMBuildFSub(B, d1, fl, ""), cpu_constf(e, dt, 0.5, L), "");
    LLVMValueRef fl2 = sel(e, up, LLVMBuildFAdd(B, fl, one, ""), fl);
    LLVMValueRef cs[2] = {zero, q};
    LLVMValueRef r = sel(e, LLVMBuildFCmp(B, LLVMRealUNE, d1, zero, ""), fl2, cpu_intrinsic(e, "llvm.copysign", t, cs, 2));
    return sel(e, bz, q, r);
}

/* The high 64 bits of the unsigned products a * b, lane by lane, from 32-bit halves (x86's
 * vector multiplies are 32 x 32 -> 64 bits). */
static LLVMValueRef cpu_mulhi_u64(emitter *e, LLVMValueRef a, LLVMValueRef b, int L) {
    LLVMValueRef m32 = cpu_const_int(e, KILN_I64, 0xffffffff, L), s32 = cpu_const_int(e, KILN_I64, 32, L);
    LLVMValueRef alo = LLVMBuildAnd(B, a, m32, ""), ahi = LLVMBuildLShr(B, a, s32, "");
    LLVMValueRef blo = LLVMBuildAnd(B, b, m32, ""), bhi = LLVMBuildLShr(B, b, s32, "");
    LLVMValueRef lolo = LLVMBuildMul(B, alo, blo, ""), lohi = LLVMBuildMul(B, alo, bhi, "");
    LLVMValueRef hilo = LLVMBuildMul(B, ahi, blo, ""), hihi = LLVMBuildMul(B, ahi, bhi, "");
    /* (no carry is lost: each term is below 2^64 - 2^33 + 1, the other two below 2^32 each) */
    LLVMValueRef cross = LLVMBuildAdd(B, LLVMBuildAdd(B, LLVMBuildLShr(B, lolo, s32, ""), LLVMBuildAnd(B, hilo, m32, ""), ""), lohi, "");
    return LLVMBuildAdd(B, LLVMBuildAdd(B, hihi, LLVMBuildLShr(B, hilo, s32, ""), ""), LLVMBuildLShr(B, cross, s32, ""), "");
}

/* The truncated quotient *q and remainder *r of a division by d made Python's (the floor's):
 * where r is nonzero and of the other sign than d, q - 1 and r + d. */
static void cpu_floor_adjust(emitter *e, LLVMValueRef *q, LLVMValueRef *r, LLVMValueRef d, LLVMValueRef zero, LLVMValueRef one) {
    LLVMValueRef adj = LLVMBuildAnd(B, LLVMBuildICmp(B, LLVMIntNE, *r, zero, ""), LLVMBuildICmp(B, LLVMIntSLT, LLVMBuildXor(B, *r, d, ""), zero, ""), "");
    *q = sel(e, adj, LLVMBuildSub(B, *q, one, ""), *q);
    *r = sel(e, adj, LLVMBuildAdd(B, *r, d, ""), *r);
}

/* cpu_emit_idivmod of int64 (the one integer of more than 32 bits) by a constant divisor dm[0],
 * through its magic number dm[1] and shift dm[2] (cpu_emit_divisor): the truncated quotient of
 * the magnitudes, its sign, the remainder from it, then the same floor adjustment. */
static LLVMValueRef cpu_emit_idivmod_const(emitter *e, LLVMValueRef a, const LLVMValueRef *dm, bool want_mod, int L) {
    LLVMValueRef zero = cpu_const_int(e, KILN_I64, 0, L), z1 = LLVMConstInt(e->i64, 0, 0), one1 = LLVMConstInt(e->i64, 1, 0);
    LLVMValueRef d1 = dm[0], nd = LLVMBuildICmp(B, LLVMIntSLT, d1, z1, ""); /* (scalars: the same for every lane) */
    LLVMValueRef ud1 = sel(e, nd, LLVMBuildNeg(B, d1, ""), d1);
    LLVMValueRef add = LLVMBuildICmp(B, LLVMIntUGE, dm[2], LLVMConstInt(e->i64, 256, 0), "");
    LLVMValueRef sh = cpu_splat(e, LLVMBuildAnd(B, dm[2], LLVMConstInt(e->i64, 255, 0), ""), L), d = cpu_splat(e, d1, L);
    LLVMValueRef na = LLVMBuildICmp(B, LLVMIntSLT, a, zero, "");
    LLVMValueRef ua = sel(e, na, LLVMBuildNeg(B, a, ""), a); /* (|MIN| is 2^63 unsigned) */
    LLVMValueRef h = cpu_mulhi_u64(e, ua, cpu_splat(e, dm[1], L), L);
    LLVMValueRef t = LLVMBuildAdd(B, LLVMBuildLShr(B, LLVMBuildSub(B, ua, h, ""), cpu_const_int(e, KILN_I64, 1, L), ""), h, "");
    LLVMValueRef qu = LLVMBuildLShr(B, sel(e, add, t, h), sh, "");
    qu = sel(e, LLVMBuildICmp(B, LLVMIntEQ, ud1, one1, ""), ua, qu);
    LLVMValueRef q = sel(e, LLVMBuildXor(B, na, cpu_splat(e, nd, L), ""), LLVMBuildNeg(B, qu, ""), qu);
    LLVMValueRef r = LLVMBuildSub(B, a, LLVMBuildMul(B, q, d, ""), "");
    cpu_floor_adjust(e, &q, &r, d, zero, cpu_const_int(e, KILN_I64, 1, L));
    return sel(e, LLVMBuildICmp(B, LLVMIntEQ, d1, z1, ""), zero, want_mod ? r : q); /* (x // 0, x % 0: 0) */
}

/* cpu_emit_idivmod of integers of 32 bits or fewer, in float64 (16 or fewer: float32): the
 * quotient of two such integers rounded to the float is never on the far side of an integer
 * from the exact one (its error, under 2^-21 / |b| (2^-8 / |b|), is less than its distance to
 * any integer it is not, at least 1 / |b|), so floor of it is the floor quotient, in vector
 * divisions where integers divide lane by lane, or by a constant's magic number in 64 bits
 * (10^6 int32 elements, two threads, AVX2: // 3 0.80 ms → 0.19, % 3 0.59 → 0.19, // an array
 * 1.00 → 0.25); the remainder is a - q·b.  b of 0, and MIN // -1, whose quotient has no int,
 * are selected away as cpu_emit_idivmod's. */
static LLVMValueRef cpu_emit_idivmod_float(emitter *e, kiln_dtype dt, LLVMValueRef a, LLVMValueRef b, bool want_mod, int L) {
    bool un = dtype_is_unsigned(dt);
    LLVMTypeRef td = cpu_type(e, kiln_dtype_size(dt) <= 2 ? KILN_F32 : KILN_F64, L), ti = cpu_type(e, dt, L);
    LLVMValueRef zero = cpu_const_int(e, dt, 0, L), one = cpu_const_int(e, dt, 1, L);
    LLVMValueRef bz = LLVMBuildICmp(B, LLVMIntEQ, b, zero, ""), bad = bz;
    if (!un) bad = LLVMBuildOr(B, bz, LLVMBuildICmp(B, LLVMIntEQ, b, cpu_const_int(e, dt, -1, L), ""), "");
    LLVMValueRef bs = sel(e, bad, one, b);
    LLVMValueRef fa = un ? LLVMBuildUIToFP(B, a, td, "") : LLVMBuildSIToFP(B, a, td, "");
    LLVMValueRef fb = un ? LLVMBuildUIToFP(B, bs, td, "") : LLVMBuildSIToFP(B, bs, td, "");
    LLVMValueRef fq = LLVMBuildFDiv(B, fa, fb, "");
    if (!un) fq = cpu_intrinsic(e, "llvm.floor", td, &fq, 1);
    LLVMValueRef q = un ? LLVMBuildFPToUI(B, fq, ti, "") : LLVMBuildFPToSI(B, fq, ti, "");
    if (want_mod) return sel(e, bad, zero, LLVMBuildSub(B, a, LLVMBuildMul(B, q, bs, ""), ""));
    return un ? sel(e, bz, zero, q) : sel(e, bz, zero, sel(e, bad, LLVMBuildSub(B, zero, a, ""), q));
}

/* Integer floor division and remainder with Python's signs; x // 0 and x % 0 are 0 and
 * MIN // -1 wraps, as in NumPy.  Of 32 bits or fewer in floats (cpu_emit_idivmod_float); int64
 * by a constant (dm: cpu_emit_divisor's, else NULL) through its magic number, else by sdiv, the
 * divisor made safe first (LLVM's sdiv by 0 or MIN/-1 is undefined). */
static LLVMValueRef cpu_emit_idivmod(emitter *e, kiln_dtype dt, LLVMValueRef a, LLVMValueRef b, const LLVMValueRef *dm, bool want_mod, int L) {
    if (dt != KILN_BOOL && kiln_dtype_size(dt) <= 4) return cpu_emit_idivmod_float(e, dt, a, b, want_mod, L);
    if (dm && dm[0]) return cpu_emit_idivmod_const(e, a, dm, want_mod, L);
    LLVMValueRef zero = cpu_const_int(e, dt, 0, L), one = cpu_const_int(e, dt, 1, L), m1 = cpu_const_int(e, dt, -1, L);
    LLVMValueRef bz = LLVMBuildICmp(B, LLVMIntEQ, b, zero, "");
    LLVMValueRef bm1 = LLVMBuildICmp(B, LLVMIntEQ, b, m1, "");
    LLVMValueRef bs = sel(e, LLVMBuildOr(B, bz, bm1, ""), one, b);
    LLVMValueRef q = LLVMBuildSDiv(B, a, bs, ""), r = LLVMBuildSRem(B, a, bs, "");
    cpu_floor_adjust(e, &q, &r, b, zero, one);
    if (want_mod) return sel(e, LLVMBuildOr(B, bz, bm1, ""), zero, r);
    return sel(e, bz, zero, sel(e, bm1, LLVMBuildSub(B, zero, a, ""), q));
}

/* NumPy's astype on x86-64: float-to-int of NaN or out of range gives the most negative value. */
static LLVMValueRef cpu_emit_cast(emitter *e, LLVMValueRef v, kiln_dtype from, kiln_dtype to, int L) {
    LLVMTypeRef t = cpu_type(e, to, L);
    if (from == to) return v;
    if (to == KILN_BOOL)
        return dtype_is_float(from) ? LLVMBuildFCmp(B, LLVMRealUNE, v, cpu_constf(e, from, 0, L), "")
                                    : LLVMBuildICmp(B, LLVMIntNE, v, cpu_const_int(e, from, 0, L), "");
    if (from == KILN_BOOL) return dtype_is_float(to) ? LLVMBuildUIToFP(B, v, t, "") : LLVMBuildZExt(B, v, t, "");
    if (dtype_is_int(from) && dtype_is_int(to)) {
        if (kiln_dtype_size(to) <= kiln_dtype_size(from)) return LLVMBuildTrunc(B, v, t, "");
        return dtype_is_unsigned(from) ? LLVMBuildZExt(B, v, t, "") : LLVMBuildSExt(B, v, t, "");
    }
    if (dtype_is_int(from)) return dtype_is_unsigned(from) ? LLVMBuildUIToFP(B, v, t, "") : LLVMBuildSIToFP(B, v, t, "");
    if (dtype_is_float(to)) return to == KILN_F64 ? LLVMBuildFPExt(B, v, t, "") : LLVMBuildFPTrunc(B, v, t, "");
    if (kiln_dtype_size(to) < 4) /* through int32, as C's cast: the low bytes of what that gives */
        return LLVMBuildTrunc(B, cpu_emit_cast(e, v, from, KILN_I32, L), t, "");
    if (to == KILN_U32) /* through int64, as x86-64's cast */
        return LLVMBuildTrunc(B, cpu_emit_cast(e, v, from, KILN_I64, L), t, "");
    double lim = to == KILN_I32 ? 2147483648.0 : 9223372036854775808.0;
    LLVMValueRef inr = LLVMBuildAnd(B, LLVMBuildFCmp(B, LLVMRealOGE, v, cpu_constf(e, from, -lim, L), ""),
                                    LLVMBuildFCmp(B, LLVMRealOLT, v, cpu_constf(e, from, lim, L), ""), "");
    int64_t mn = to == KILN_I32 ? INT32_MIN : INT64_MIN;
    return sel(e, inr, LLVMBuildFPToSI(B, v, t, ""), cpu_const_int(e, to, mn, L));
}

/* Comparisons, in KILN_OPS order EQ NE LT LE GT GE: NaN compares unequal to everything. */
static LLVMValueRef cpu_emit_cmp(emitter *e, kiln_op op, kiln_dtype dt, LLVMValueRef x, LLVMValueRef y) {
    static const LLVMRealPredicate fp[6] = {LLVMRealOEQ, LLVMRealUNE, LLVMRealOLT, LLVMRealOLE, LLVMRealOGT, LLVMRealOGE};
    static const LLVMIntPredicate sp[6] = {LLVMIntEQ, LLVMIntNE, LLVMIntSLT, LLVMIntSLE, LLVMIntSGT, LLVMIntSGE};
    static const LLVMIntPredicate up[6] = {LLVMIntEQ, LLVMIntNE, LLVMIntULT, LLVMIntULE, LLVMIntUGT, LLVMIntUGE};
    int k = (int)op - KILN_OP_EQ;
    KILN_ASSERT(k >= 0 && k < 6 && KILN_OP_GE - KILN_OP_EQ == 5);
    if (dtype_is_float(dt)) return LLVMBuildFCmp(e->b, fp[k], x, y, "");
    return LLVMBuildICmp(e->b, dt == KILN_BOOL || dtype_is_unsigned(dt) ? up[k] : sp[k], x, y, "");
}

/* Loads input operand `in` (an instruction of op VAR) at element index idx, L lanes. */
static LLVMValueRef cpu_emit_load(emitter *e, const kd_inst *in, LLVMValueRef idx, int L) {
    kiln_dtype dt = (kiln_dtype)in->dtype;
    int op = in->slot;
    if (e->kd->layout[op] == KD_BCAST) return cpu_splat(e, e->bval[op], L);
    LLVMTypeRef mt = cpu_mem_type(e, dt, 1), lt = cpu_mem_type(e, dt, L);
    LLVMValueRef p;
    if (e->tvec && e->tvec[op]) /* transposed already (cpu_emit_blocks) */
        return dt == KILN_BOOL ? LLVMBuildICmp(B, LLVMIntNE, e->tvec[op], LLVMConstNull(lt), "") : e->tvec[op];
    if (e->kd->layout[op] == KD_STRIDED && L > 1) { /* lane l at base + (idx + l) * stride */
        LLVMValueRef v = LLVMGetPoison(lt);
        if (e->cs->lane_loads) { /* a load per lane */
            LLVMValueRef off = LLVMBuildMul(B, idx, e->stride[op], "");
            for (int l = 0; l < L; l++) {
                LLVMValueRef x = LLVMBuildLoad2(B, mt, LLVMBuildGEP2(B, e->i8, e->base[op], &off, 1, ""), "");
                LLVMSetAlignment(x, (unsigned)kiln_dtype_size(dt));
                v = LLVMBuildInsertElement(B, v, x, LLVMConstInt(e->i32, (unsigned)l, 0), "");
                off = LLVMBuildAdd(B, off, e->stride[op], "");
            }
        } else { /* a gather */
            LLVMValueRef iota[64];
            for (int l = 0; l < L; l++) iota[l] = LLVMConstInt(e->i64, (unsigned)l, 0);
            LLVMValueRef lanes = LLVMBuildAdd(B, cpu_splat(e, idx, L), LLVMConstVector(iota, (unsigned)L), "");
            LLVMValueRef off = LLVMBuildMul(B, lanes, cpu_splat(e, e->stride[op], L), "");
            LLVMValueRef ptrs = LLVMBuildGEP2(B, e->i8, e->base[op], &off, 1, "");
            LLVMTypeRef tys[2] = {lt, LLVMTypeOf(ptrs)};
            unsigned id = LLVMLookupIntrinsicID("llvm.masked.gather", 18);
            LLVMValueRef f = LLVMGetIntrinsicDeclaration(e->m, id, tys, 2);
            LLVMTypeRef ft = LLVMIntrinsicGetType(e->c, id, tys, 2);
            LLVMValueRef ones[64];
            for (int l = 0; l < L; l++) ones[l] = LLVMConstInt(e->i1, 1, 0);
            LLVMValueRef args[4] = {ptrs, LLVMConstInt(e->i32, kiln_dtype_size(dt), 0), LLVMConstVector(ones, (unsigned)L), v};
            v = LLVMBuildCall2(B, ft, f, args, 4, "");
        }
        if (dt == KILN_BOOL) v = LLVMBuildICmp(B, LLVMIntNE, v, LLVMConstNull(lt), "");
        return v;
    }
    if (e->kd->layout[op] == KD_CONTIG) p = LLVMBuildGEP2(B, mt, e->base[op], &idx, 1, "");
    else p = LLVMBuildGEP2(B, e->i8, e->base[op], (LLVMValueRef[]){LLVMBuildMul(B, idx, e->stride[op], "")}, 1, "");
    LLVMValueRef v = LLVMBuildLoad2(B, lt, p, "");
    LLVMSetAlignment(v, (unsigned)kiln_dtype_size(dt));
    if (dt == KILN_BOOL) v = LLVMBuildICmp(B, LLVMIntNE, v, LLVMConstNull(lt), "");
    return v;
}

static void cpu_emit_store(emitter *e, int k, LLVMValueRef v, LLVMValueRef idx, int L, bool stream) {
    const kernel_desc *kd = e->kd;
    int op = kd->n_in + k;
    kiln_dtype dt = kd_out_dtype(kd, k);
    LLVMTypeRef mt = cpu_mem_type(e, dt, 1);
    if (dt == KILN_BOOL) v = LLVMBuildZExt(B, v, cpu_mem_type(e, dt, L), "");
    LLVMValueRef p;
    if (kd->layout[op] == KD_CONTIG) p = LLVMBuildGEP2(B, mt, e->base[op], &idx, 1, "");
    else p = LLVMBuildGEP2(B, e->i8, e->base[op], (LLVMValueRef[]){LLVMBuildMul(B, idx, e->stride[op], "")}, 1, "");
    LLVMValueRef s = LLVMBuildStore(B, v, p);
    LLVMSetAlignment(s, stream ? 64u : (unsigned)kiln_dtype_size(dt));
    if (stream) {
        LLVMValueRef one = LLVMConstInt(e->i32, 1, 0);
        LLVMMetadataRef md = LLVMMDNodeInContext2(e->c, (LLVMMetadataRef[]){LLVMValueAsMetadata(one)}, 1);
        LLVMSetMetadata(s, LLVMGetMDKindIDInContext(e->c, "nontemporal", 11), LLVMMetadataAsValue(e->c, md));
    }
}

/* ldexp(x, n): x * 2**n exactly, rounded once (musl's scalbn, its branches as selects: the
 * scale's exponent brought into range by at most two steps each way, the steps down stopping
 * where a second rounding cannot happen); n a float holding an integer, clamped and truncated
 * as ks_ldexp; NaN n gives n + x.  libm's ldexp lane by lane cost 4 ns an element. */
static LLVMValueRef cpu_emit_ldexp(emitter *e, kiln_dtype dt, LLVMValueRef x, LLVMValueRef ef, int L) {
    bool d = dt == KILN_F64;
    kiln_dtype it = d ? KILN_I64 : KILN_I32;
    int emax = d ? 1023 : 127, emin = d ? -1022 : -126, down = d ? 1022 - 53 : 126 - 24, mant = d ? 52 : 23;
    LLVMValueRef lim = cpu_constf(e, dt, 65536, L), nlim = cpu_constf(e, dt, -65536, L);
    LLVMValueRef c = sel(e, LLVMBuildFCmp(B, LLVMRealOGT, ef, lim, ""), lim, sel(e, LLVMBuildFCmp(B, LLVMRealOLT, ef, nlim, ""), nlim, ef));
    LLVMValueRef n = LLVMBuildFPToSI(B, c, cpu_type(e, it, L), ""), y = x;
    LLVMValueRef hi = cpu_const_int(e, it, emax, L), lo = cpu_const_int(e, it, emin, L), step = cpu_const_int(e, it, down, L);
    for (int k = 0; k < 2; k++) {
        LLVMValueRef big = LLVMBuildICmp(B, LLVMIntSGT, n, hi, "");
        y = sel(e, big, LLVMBuildFMul(B, y, cpu_constf(e, dt, ldexp(1, emax), L), ""), y);
        n = sel(e, big, LLVMBuildSub(B, n, hi, ""), n);
    }
    for (int k = 0; k < 2; k++) {
        LLVMValueRef small = LLVMBuildICmp(B, LLVMIntSLT, n, lo, "");
        y = sel(e, small, LLVMBuildFMul(B, y, cpu_constf(e, dt, ldexp(1, -down), L), ""), y);
        n = sel(e, small, LLVMBuildAdd(B, n, step, ""), n);
    }
    n = sel(e, LLVMBuildICmp(B, LLVMIntSGT, n, hi, ""), hi, sel(e, LLVMBuildICmp(B, LLVMIntSLT, n, lo, ""), lo, n));
    LLVMValueRef bits = LLVMBuildShl(B, LLVMBuildAdd(B, n, hi, ""), cpu_const_int(e, it, mant, L), ""); /* (bias = emax) */
    LLVMValueRef r = LLVMBuildFMul(B, y, LLVMBuildBitCast(B, bits, cpu_type(e, dt, L), ""), "");
    return sel(e, LLVMBuildFCmp(B, LLVMRealUNO, ef, ef, ""), LLVMBuildFAdd(B, ef, x, ""), r);
}

/* frexp's exponent as a float: from the exponent bits (a subnormal's after scaling it up
 * exactly); 0 for 0, the infinities and NaN, as ks_frexp_exponent. */
static LLVMValueRef cpu_emit_frexpe(emitter *e, kiln_dtype dt, LLVMValueRef x, int L) {
    bool d = dt == KILN_F64;
    kiln_dtype it = d ? KILN_I64 : KILN_I32;
    int mant = d ? 52 : 23, bias = d ? 1022 : 126, up = d ? 64 : 32;
    LLVMTypeRef ti = cpu_type(e, it, L);
    int64_t inf = d ? 0x7ff0000000000000 : 0x7f800000;
    LLVMValueRef a = LLVMBuildAnd(B, LLVMBuildBitCast(B, x, ti, ""), cpu_const_int(e, it, d ? INT64_MAX : INT32_MAX, L), "");
    LLVMValueRef sub = LLVMBuildICmp(B, LLVMIntULT, a, cpu_const_int(e, it, (int64_t)1 << mant, L), ""); /* zero or subnormal */
    LLVMValueRef x2 = sel(e, sub, LLVMBuildFMul(B, x, cpu_constf(e, dt, ldexp(1, up), L), ""), x);
    LLVMValueRef ex = LLVMBuildAnd(B, LLVMBuildLShr(B, LLVMBuildBitCast(B, x2, ti, ""), cpu_const_int(e, it, mant, L), ""),
                                   cpu_const_int(e, it, d ? 0x7ff : 0xff, L), "");
    ex = LLVMBuildSub(B, ex, sel(e, sub, cpu_const_int(e, it, bias + up, L), cpu_const_int(e, it, bias, L)), "");
    LLVMValueRef none = LLVMBuildOr(B, LLVMBuildFCmp(B, LLVMRealOEQ, x, cpu_constf(e, dt, 0, L), ""),
                                    LLVMBuildICmp(B, LLVMIntUGE, a, cpu_const_int(e, it, inf, L), ""), "");
    return LLVMBuildSIToFP(B, sel(e, none, LLVMConstNull(ti), ex), cpu_type(e, dt, L), "");
}

/* The ops that also fold reductions: add, multiply, maximum, minimum (NumPy's: NaN wins, from
 * either side), bitwise and/or.  On bools add is or and multiply is and, as in NumPy. */
static LLVMValueRef cpu_emit_combine(emitter *e, kiln_op op, kiln_dtype dt, LLVMValueRef x, LLVMValueRef y, int L) {
    bool fl = dtype_is_float(dt), bo = dt == KILN_BOOL, mx = op == KILN_OP_MAXIMUM;
    LLVMValueRef args[2] = {x, y};
    if (op == KILN_OP_ADD) return fl ? LLVMBuildFAdd(B, x, y, "") : bo ? LLVMBuildOr(B, x, y, "") : LLVMBuildAdd(B, x, y, "");
    if (op == KILN_OP_MUL) return fl ? LLVMBuildFMul(B, x, y, "") : bo ? LLVMBuildAnd(B, x, y, "") : LLVMBuildMul(B, x, y, "");
    if (op == KILN_OP_OR) return LLVMBuildOr(B, x, y, "");
    if (op == KILN_OP_AND) return LLVMBuildAnd(B, x, y, "");
    KILN_ASSERT(op == KILN_OP_MAXIMUM || op == KILN_OP_MINIMUM);
    if (bo) return mx ? LLVMBuildOr(B, x, y, "") : LLVMBuildAnd(B, x, y, "");
    if (dtype_is_unsigned(dt)) return cpu_intrinsic(e, mx ? "llvm.umax" : "llvm.umin", cpu_type(e, dt, L), args, 2);
    if (!fl) return cpu_intrinsic(e, mx ? "llvm.smax" : "llvm.smin", cpu_type(e, dt, L), args, 2);
    LLVMValueRef c = LLVMBuildOr(B, LLVMBuildFCmp(B, mx ? LLVMRealOGT : LLVMRealOLT, x, y, ""),
                                 LLVMBuildFCmp(B, LLVMRealUNO, x, x, ""), "");
    return sel(e, c, x, y);
}

/* One instruction at L lanes.  A switch with no default: a new op in KILN_OPS does not
 * compile (-Wswitch-enum) until it is lowered here. */
static LLVMValueRef cpu_emit_inst(emitter *e, const kd_inst *in, LLVMValueRef idx, int L) {
    kiln_op op = (kiln_op)in->op;
    kiln_dtype dt = (kiln_dtype)in->dtype;
    kiln_dtype odt = op == KILN_OP_VAR || op == KILN_OP_CONST ? dt : kd_operand_dtype(e->kd, in);
    LLVMValueRef x = NULL, y = NULL, z = NULL;
    int ar = kiln_op_arity(op);
    if (ar >= 1) x = e->val[in->arg[0]];
    if (ar >= 2) y = e->val[in->arg[1]];
    if (ar >= 3) z = e->val[in->arg[2]];
    bool fl = dtype_is_float(odt), bo = odt == KILN_BOOL, un = dtype_is_unsigned(odt);
    LLVMTypeRef t = cpu_type(e, odt, L);
    LLVMValueRef args[2] = {x, y};
    switch (op) {
    case KILN_OP_VAR: return cpu_emit_load(e, in, idx, L);
    case KILN_OP_CONST: return cpu_splat(e, e->cval[in->slot], L);
    case KILN_OP_CAST: return cpu_emit_cast(e, x, odt, dt, L);
    case KILN_OP_ADD: return cpu_emit_combine(e, op, odt, x, y, L);
    case KILN_OP_SUB: return fl ? LLVMBuildFSub(B, x, y, "") : LLVMBuildSub(B, x, y, "");
    case KILN_OP_MUL: return cpu_emit_combine(e, op, odt, x, y, L);
    case KILN_OP_DIV: return LLVMBuildFDiv(B, x, y, "");
    case KILN_OP_FLOORDIV:
        return fl ? cpu_emit_fdivmod(e, odt, x, y, false, L) : cpu_emit_idivmod(e, odt, x, y, e->dmagic + 3 * (in - e->kd->inst), false, L);
    case KILN_OP_MOD:
        return fl ? cpu_emit_fdivmod(e, odt, x, y, true, L) : cpu_emit_idivmod(e, odt, x, y, e->dmagic + 3 * (in - e->kd->inst), true, L);
    case KILN_OP_POW:
        if (fl) return cpu_emit_math(e, op, odt, args, 2, L);
        if (odt == KILN_I64) return cpu_call_lanes(e, "kiln_rt_ipow", e->i64, args, 2, L);
        {
            LLVMValueRef w[2] = {cpu_emit_cast(e, x, odt, KILN_I64, L), cpu_emit_cast(e, y, odt, KILN_I64, L)};
            return LLVMBuildTrunc(B, cpu_call_lanes(e, "kiln_rt_ipow", e->i64, w, 2, L), t, "");
        }
    case KILN_OP_MAXIMUM:
    case KILN_OP_MINIMUM: return cpu_emit_combine(e, op, odt, x, y, L);
    case KILN_OP_ARCTAN2: return cpu_emit_math(e, op, odt, args, 2, L);
    case KILN_OP_HYPOT: /* libm's, lane by lane: NumPy's bits (libmvec's differ by an ulp in 1 of 10) */
        return cpu_call_lanes(e, odt == KILN_F32 ? "kiln_rt_hypotf" : "kiln_rt_hypot", cpu_scalar_type(e, odt), args, 2, L);
    case KILN_OP_COPYSIGN: return cpu_intrinsic(e, "llvm.copysign", t, args, 2);
    case KILN_OP_LDEXP: return cpu_emit_ldexp(e, odt, x, y, L);
    case KILN_OP_NEXTAFTER:
        return cpu_call_lanes(e, odt == KILN_F32 ? "kiln_rt_nextafterf" : "kiln_rt_nextafter", cpu_scalar_type(e, odt), args, 2, L);
    case KILN_OP_FREXP: return cpu_emit_frexpe(e, odt, x, L);
    case KILN_OP_FMOD: /* C's fmod (frem), and for integers C's %, 0 for a divisor of 0 or -1 */
        if (fl) return LLVMBuildFRem(B, x, y, "");
        if (un) return cpu_emit_idivmod(e, odt, x, y, NULL, true, L);
        {
            LLVMValueRef zero = LLVMConstNull(t), one = cpu_const_int(e, odt, 1, L);
            LLVMValueRef bad = LLVMBuildOr(B, LLVMBuildICmp(B, LLVMIntEQ, y, zero, ""),
                                           LLVMBuildICmp(B, LLVMIntEQ, y, LLVMConstAllOnes(t), ""), "");
            return sel(e, bad, zero, LLVMBuildSRem(B, x, sel(e, bad, one, y), ""));
        }
    case KILN_OP_EQ:
    case KILN_OP_NE:
    case KILN_OP_LT:
    case KILN_OP_LE:
    case KILN_OP_GT:
    case KILN_OP_GE: return cpu_emit_cmp(e, op, odt, x, y);
    case KILN_OP_AND: return LLVMBuildAnd(B, x, y, "");
    case KILN_OP_OR: return LLVMBuildOr(B, x, y, "");
    case KILN_OP_XOR: return LLVMBuildXor(B, x, y, "");
    case KILN_OP_LSHIFT:
    case KILN_OP_RSHIFT: { /* NumPy's: by the width or more, or a negative count, 0 (or -1 for x < 0 shifted right) */
        LLVMValueRef zero = LLVMConstNull(t), ok = LLVMBuildICmp(B, LLVMIntULT, y, cpu_const_int(e, odt, 8 * (int64_t)kiln_dtype_size(odt), L), "");
        LLVMValueRef n = sel(e, ok, y, zero); /* (LLVM's shifts by the width are poison) */
        if (op == KILN_OP_LSHIFT) return sel(e, ok, LLVMBuildShl(B, x, n, ""), zero);
        if (un) return sel(e, ok, LLVMBuildLShr(B, x, n, ""), zero);
        return sel(e, ok, LLVMBuildAShr(B, x, n, ""), LLVMBuildAShr(B, x, cpu_const_int(e, odt, 8 * (int64_t)kiln_dtype_size(odt) - 1, L), ""));
    }
    case KILN_OP_NEG: return fl ? LLVMBuildFNeg(B, x, "") : LLVMBuildNeg(B, x, "");
    case KILN_OP_INVERT: return LLVMBuildNot(B, x, "");
    case KILN_OP_ABS:
        if (fl) return cpu_intrinsic(e, "llvm.fabs", t, &x, 1);
        if (bo || un) return x;
        return sel(e, LLVMBuildICmp(B, LLVMIntSLT, x, cpu_const_int(e, odt, 0, L), ""), LLVMBuildNeg(B, x, ""), x);
    case KILN_OP_SIGN:
        if (fl) {
            LLVMValueRef zero = cpu_constf(e, odt, 0, L);
            return sel(e, LLVMBuildFCmp(B, LLVMRealOGT, x, zero, ""), cpu_constf(e, odt, 1, L),
                       sel(e, LLVMBuildFCmp(B, LLVMRealOLT, x, zero, ""), cpu_constf(e, odt, -1, L),
                           sel(e, LLVMBuildFCmp(B, LLVMRealOEQ, x, zero, ""), zero, x)));
        } else if (un) {
            return LLVMBuildZExt(B, LLVMBuildICmp(B, LLVMIntNE, x, cpu_const_int(e, odt, 0, L), ""), t, "");
        } else {
            LLVMValueRef zero = cpu_const_int(e, odt, 0, L);
            return LLVMBuildSub(B, LLVMBuildZExt(B, LLVMBuildICmp(B, LLVMIntSGT, x, zero, ""), t, ""),
                                LLVMBuildZExt(B, LLVMBuildICmp(B, LLVMIntSLT, x, zero, ""), t, ""), "");
        }
    case KILN_OP_RINT: return fl ? cpu_intrinsic(e, "llvm.rint", t, &x, 1) : x;
    case KILN_OP_POSITIVE: return x;
    case KILN_OP_ISNAN:
        if (fl) return LLVMBuildFCmp(B, LLVMRealUNO, x, x, "");
        return cpu_const_int(e, KILN_BOOL, 0, L);
    case KILN_OP_ISINF:
    case KILN_OP_ISFINITE:
        if (fl) /* |x| == inf; |x| < inf (false for NaN) */
            return LLVMBuildFCmp(B, op == KILN_OP_ISINF ? LLVMRealOEQ : LLVMRealOLT, cpu_intrinsic(e, "llvm.fabs", t, &x, 1),
                                 cpu_constf(e, odt, INFINITY, L), "");
        return cpu_const_int(e, KILN_BOOL, op == KILN_OP_ISFINITE, L);
    case KILN_OP_FLOOR: return fl ? cpu_intrinsic(e, "llvm.floor", t, &x, 1) : x;
    case KILN_OP_CEIL: return fl ? cpu_intrinsic(e, "llvm.ceil", t, &x, 1) : x;
    case KILN_OP_SQRT: return cpu_intrinsic(e, "llvm.sqrt", t, &x, 1);
    case KILN_OP_EXP:
    case KILN_OP_EXPM1:
    case KILN_OP_EXP2:
    case KILN_OP_LOG:
    case KILN_OP_LOG1P:
    case KILN_OP_LOG2:
    case KILN_OP_LOG10:
    case KILN_OP_SIN:
    case KILN_OP_COS:
    case KILN_OP_TAN:
    case KILN_OP_ARCSIN:
    case KILN_OP_ARCCOS:
    case KILN_OP_ARCTAN:
    case KILN_OP_SINH:
    case KILN_OP_COSH:
    case KILN_OP_TANH:
    case KILN_OP_ARCSINH:
    case KILN_OP_ARCCOSH:
    case KILN_OP_ARCTANH: return cpu_emit_math(e, op, odt, &x, 1, L);
    case KILN_OP_CBRT: return odt == KILN_F64 ? cpu_emit_cbrt(e, x, L) : cpu_emit_math(e, op, odt, &x, 1, L);
    case KILN_OP_WHERE: return sel(e, x, y, z);
    case KILN_OP_SUM:
    case KILN_OP_PROD:
    case KILN_OP_MAX:
    case KILN_OP_MIN:
    case KILN_OP_ARGMAX:
    case KILN_OP_ARGMIN:
    case KILN_OP_ANY:
    case KILN_OP_ALL:
    case KILN_OP_CUMSUM:
    case KILN_OP_CUMPROD:
    case KILN_OP_CUMMAX:
    case KILN_OP_CUMMIN:
    case KILN_OP_SORT:
    case KILN_OP_ARGSORT:
    case KILN_OP_MATMUL:
    case KILN_OP_VIEW:
    case KILN_OP_RESHAPE:
    case KILN_OP_CONCAT:
    case KILN_OP_TAKE:
    case KILN_OP_SEARCH:
    case KILN_OP_EMBED:
    case KILN_OP_SCATTER:
    case KILN_OP_SOFTMAX:
    case KILN_OP_LINALG:
    case KILN_OP_PARAM: /* never inside a kernel: the fuser makes them kernel inputs */
    case KILN_OP_COUNT: break;
    }
    KILN_ASSERT(0 && "op without a CPU lowering");
    return NULL;
}

static void cpu_emit_values(emitter *e, LLVMValueRef idx, int L) {
    for (int i = 0; i < e->kd->n_inst; i++) e->val[i] = cpu_emit_inst(e, &e->kd->inst[i], idx, L);
}

static void cpu_emit_body(emitter *e, LLVMValueRef idx, int L, bool stream) {
    const kernel_desc *kd = e->kd;
    cpu_emit_values(e, idx, L);
    for (int k = 0; k < kd->n_out; k++) cpu_emit_store(e, k, e->val[kd->out_inst[k]], idx, L, stream);
}

/* The widest dtype of the kernel decides the lane count: a full register of it. */
static int cpu_lanes_for(const cpu_state *cs, const kernel_desc *kd) { return host_vector_lanes(kd, cs->vec_bytes); }

/* One value of dtype dt at p (a constant, a broadcast input's), as the kernel uses it. */
static LLVMValueRef cpu_load_value(emitter *e, kiln_dtype dt, LLVMValueRef p) {
    LLVMValueRef v = LLVMBuildLoad2(B, cpu_mem_type(e, dt, 1), p, "");
    return dt == KILN_BOOL ? LLVMBuildICmp(B, LLVMIntNE, v, LLVMConstInt(e->i8, 0, 0), "") : v;
}

/* A counted loop being emitted: for (i = from; i < to; i += step), its body between
 * cpu_loop_begin and cpu_loop_end, which leaves the builder after it. */
typedef struct cpu_loop {
    LLVMBasicBlockRef pre, body, after;
    LLVMValueRef from, to, i;
} cpu_loop;

static cpu_loop cpu_loop_begin(emitter *e, LLVMValueRef from, LLVMValueRef to, const char *name) {
    cpu_loop l = {.pre = LLVMGetInsertBlock(e->b), .from = from, .to = to};
    LLVMValueRef fn = LLVMGetBasicBlockParent(l.pre);
    l.body = LLVMAppendBasicBlockInContext(e->c, fn, name);
    l.after = LLVMAppendBasicBlockInContext(e->c, fn, "after");
    LLVMBuildCondBr(e->b, LLVMBuildICmp(e->b, LLVMIntSLT, from, to, ""), l.body, l.after);
    LLVMPositionBuilderAtEnd(e->b, l.body);
    l.i = LLVMBuildPhi(e->b, e->i64, "i");
    return l;
}

static void cpu_loop_end(emitter *e, cpu_loop *l, int step) {
    LLVMValueRef next = LLVMBuildAdd(e->b, l->i, LLVMConstInt(e->i64, (unsigned)step, 0), "");
    LLVMBasicBlockRef latch = LLVMGetInsertBlock(e->b);
    LLVMBuildCondBr(e->b, LLVMBuildICmp(e->b, LLVMIntSLT, next, l->to, ""), l->body, l->after);
    LLVMAddIncoming(l->i, (LLVMValueRef[]){l->from, next}, (LLVMBasicBlockRef[]){l->pre, latch}, 2);
    LLVMPositionBuilderAtEnd(e->b, l->after);
}

/* Emits  for (i = from; i < to; i += L) body(i)  at the builder's position and leaves the
 * builder after the loop. */
static void cpu_emit_loop(emitter *e, LLVMValueRef from, LLVMValueRef to, int L, bool stream) {
    cpu_loop l = cpu_loop_begin(e, from, to, L == 1 ? "sloop" : "vloop");
    cpu_emit_body(e, l.i, L, stream);
    cpu_loop_end(e, &l, L);
}

/* The L x L transpose of registers v[0 .. L) (lane a of v[b] becomes lane b of v[a]), L a power
 * of two: log2(L) rounds, each swapping one bit of the register's index with the same bit of
 * the lane's, by shuffles of pairs of registers. */
static void cpu_transpose(emitter *e, LLVMValueRef *v, int L) {
    for (int bit = 1; bit < L; bit <<= 1)
        for (int p = 0; p < L; p++) {
            if (p & bit) continue;
            LLVMValueRef mp[16], mq[16];
            for (int l = 0; l < L; l++) {
                mp[l] = LLVMConstInt(e->i32, (unsigned)(l & bit ? L + (l & ~bit) : l), 0);
                mq[l] = LLVMConstInt(e->i32, (unsigned)(l & bit ? L + l : l | bit), 0);
            }
            LLVMValueRef np = LLVMBuildShuffleVector(B, v[p], v[p | bit], LLVMConstVector(mp, (unsigned)L), "");
            v[p | bit] = LLVMBuildShuffleVector(B, v[p], v[p | bit], LLVMConstVector(mq, (unsigned)L), "");
            v[p] = np;
        }
}

/* A block call's path (kernel.h): KILN_BLOCK_ROWS rows of -n elements (a multiple of L), in
 * groups of L rows.  L is the row path's lanes, or 16 where those are more: only kernels whose
 * widest dtype has 1 or 2 bytes (integers and bools, no float or libmvec op) have more, and
 * their values do not depend on the lanes.  For each L columns of a group, every strided
 * input's L registers along the group's rows (its rows one element apart) are loaded and
 * transposed; then the vector body runs for each row of the group in turn (unrolled: the
 * registers stay registers, where a buffer on the stack cost a failed store-to-load forwarding
 * per row on Zen 5), with that row's operand pointers and its register of each transposed
 * input. */
static void cpu_emit_blocks(emitter *e, LLVMValueRef fn, int L) {
    const kernel_desc *kd = e->kd;
    int nops = kd->n_in + kd->n_out;
    KILN_ASSERT(nops <= KILN_INLINE_OPERANDS && L <= 16 && KILN_BLOCK_ROWS % L == 0);
    LLVMValueRef strides = LLVMGetParam(fn, 2), n = LLVMBuildNeg(B, LLVMGetParam(fn, 0), "");
    LLVMValueRef base0[KILN_INLINE_OPERANDS], bval0[KILN_INLINE_OPERANDS], rs[KILN_INLINE_OPERANDS];
    LLVMValueRef tvec[KILN_INLINE_OPERANDS] = {0}, reg[KILN_INLINE_OPERANDS][16], rowp[KILN_INLINE_OPERANDS][16];
    LLVMValueRef bv[KILN_INLINE_OPERANDS][16];
    bool transposed[KILN_INLINE_OPERANDS];
    for (int i = 0; i < nops; i++) {
        LLVMValueRef ix = LLVMConstInt(e->i64, (unsigned)(nops + i), 0);
        rs[i] = LLVMBuildLoad2(B, e->i64, LLVMBuildGEP2(B, e->i64, strides, &ix, 1, ""), "");
        base0[i] = e->base[i];
        bval0[i] = e->bval[i];
        transposed[i] = i < kd->n_in && kd->layout[i] == KD_STRIDED;
    }
    e->tvec = tvec;
    cpu_loop g = cpu_loop_begin(e, LLVMConstInt(e->i64, 0, 0), LLVMConstInt(e->i64, KILN_BLOCK_ROWS, 0), "group");
    for (int i = 0; i < nops; i++) /* each row's operand pointers, and values of inputs broadcast along it, once a group */
        for (int a = 0; a < L; a++) {
            LLVMValueRef off = LLVMBuildMul(B, LLVMBuildAdd(B, g.i, LLVMConstInt(e->i64, (unsigned)a, 0), ""), rs[i], "");
            rowp[i][a] = LLVMBuildGEP2(B, e->i8, base0[i], &off, 1, "");
            if (i < kd->n_in && kd->layout[i] == KD_BCAST) bv[i][a] = cpu_load_value(e, kd_slot_dtype(kd, i), rowp[i][a]);
        }
    cpu_loop v = cpu_loop_begin(e, LLVMConstInt(e->i64, 0, 0), n, "columns");
    for (int i = 0; i < nops; i++) {
        if (!transposed[i]) continue;
        kiln_dtype dt = kd_slot_dtype(kd, i);
        LLVMValueRef off = LLVMBuildAdd(B, LLVMBuildMul(B, g.i, rs[i], ""), LLVMBuildMul(B, v.i, e->stride[i], ""), "");
        for (int b = 0; b < L; b++) {
            reg[i][b] = LLVMBuildLoad2(B, cpu_mem_type(e, dt, L), LLVMBuildGEP2(B, e->i8, base0[i], &off, 1, ""), "");
            LLVMSetAlignment(reg[i][b], (unsigned)kiln_dtype_size(dt));
            off = LLVMBuildAdd(B, off, e->stride[i], "");
        }
        cpu_transpose(e, reg[i], L);
    }
    for (int a = 0; a < L; a++) {
        for (int i = 0; i < nops; i++) {
            e->base[i] = rowp[i][a];
            if (i < kd->n_in && kd->layout[i] == KD_BCAST) e->bval[i] = bv[i][a];
            if (transposed[i]) tvec[i] = reg[i][a];
        }
        cpu_emit_body(e, v.i, L, false);
    }
    cpu_loop_end(e, &v, L);
    cpu_loop_end(e, &g, L);
    LLVMBuildRetVoid(B);
    e->tvec = NULL;
    for (int i = 0; i < nops; i++) e->base[i] = base0[i], e->bval[i] = bval0[i];
}

/* Streaming (non-temporal) stores bypass the caches for outputs too big to stay there; the
 * runtime asks for them (kd->stream) and they are used when the single output fills whole
 * vector registers. */
static bool cpu_can_stream(emitter *e, int W) {
    const kernel_desc *kd = e->kd;
    return kd->stream && kd->n_out == 1 && kd->layout[kd->n_in] == KD_CONTIG &&
           (int)kiln_dtype_size(kd_out_dtype(kd, 0)) * W == e->cs->vec_bytes;
}

/* Integer floor division and remainder by a constant (d, or a cast of it), the divisor as int64
 * and its magic number and shift (kiln_rt_div_magic), at the entry block's end: a row call
 * computes them once, and its elements multiply, where a hardware division per element is
 * 10 to 20 times slower. */
static void cpu_emit_divisor(emitter *e, int i) {
    const kernel_desc *kd = e->kd;
    const kd_inst *in = &kd->inst[i];
    e->dmagic[3 * i] = NULL;
    if (in->op != KILN_OP_FLOORDIV && in->op != KILN_OP_MOD) return;
    kiln_dtype dt = kd_operand_dtype(kd, in);
    if (dt != KILN_I64) return; /* (narrower: cpu_emit_idivmod_float) */
    const kd_inst *y = &kd->inst[in->arg[1]], *c = y->op == KILN_OP_CAST ? &kd->inst[y->arg[0]] : y;
    if (c->op != KILN_OP_CONST) return;
    LLVMValueRef d = e->cval[c->slot];
    if (c != y) d = cpu_emit_cast(e, d, (kiln_dtype)c->dtype, dt, 1);
    LLVMValueRef at = LLVMBuildAlloca(B, e->i64, ""), args[2] = {d, at};
    e->dmagic[3 * i] = d;
    e->dmagic[3 * i + 1] = cpu_call(e, "kiln_rt_div_magic", e->i64, args, 2);
    e->dmagic[3 * i + 2] = LLVMBuildLoad2(B, e->i64, at, "");
}

/* Adds function `name` (void, with the parameter types given), its attributes and its entry
 * block, which loads every operand's row pointer, the strides of strided operands, the
 * constants and the values of broadcast inputs.  *strided tells whether any operand is. */
static LLVMValueRef cpu_emit_function(emitter *e, const char *name, LLVMTypeRef *params, unsigned np, bool *strided) {
    const kernel_desc *kd = e->kd;
    int nops = kd->n_in + (kd->reduce ? 0 : kd->n_out);
    LLVMValueRef fn = LLVMAddFunction(e->m, name, LLVMFunctionType(LLVMVoidTypeInContext(e->c), params, np, 0));
    if (e->cs->vec_bytes == 64) { /* keep 512-bit vectors whole, as libmvec's 'e' ABI needs */
        LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex, LLVMCreateStringAttribute(e->c, "min-legal-vector-width", 22, "512", 3));
        LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex, LLVMCreateStringAttribute(e->c, "prefer-vector-width", 19, "512", 3));
    }
    /* libmvec's AVX-512 functions spill zmm registers to the stack: a 64-byte-aligned stack
     * makes sin(a)*sin(a) ~11% faster (measured; gcc's vectorized loops realign too). */
    unsigned as = LLVMGetEnumAttributeKindForName("alignstack", 10);
    LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(e->c, as, 64));
    LLVMValueRef ptrs = LLVMGetParam(fn, 1), strides = LLVMGetParam(fn, 2), consts = LLVMGetParam(fn, 3);
    LLVMBasicBlockRef entry = LLVMAppendBasicBlockInContext(e->c, fn, "entry");
    LLVMPositionBuilderAtEnd(B, entry);
    *strided = false;
    for (int i = 0; i < nops; i++) {
        LLVMValueRef ix = LLVMConstInt(e->i64, (unsigned)i, 0);
        e->base[i] = LLVMBuildLoad2(B, e->ptr, LLVMBuildGEP2(B, e->ptr, ptrs, &ix, 1, ""), "");
        if (kd->layout[i] == KD_STRIDED) {
            *strided = true;
            e->stride[i] = LLVMBuildLoad2(B, e->i64, LLVMBuildGEP2(B, e->i64, strides, &ix, 1, ""), "");
        }
    }
    for (int i = 0; i < kd->n_inst; i++) {
        const kd_inst *in = &kd->inst[i];
        if (in->op == KILN_OP_CONST) {
            LLVMValueRef ix = LLVMConstInt(e->i64, in->slot * 8u, 0);
            e->cval[in->slot] = cpu_load_value(e, (kiln_dtype)in->dtype, LLVMBuildGEP2(B, e->i8, consts, &ix, 1, ""));
        } else if (in->op == KILN_OP_VAR && kd->layout[in->slot] == KD_BCAST) {
            e->bval[in->slot] = cpu_load_value(e, (kiln_dtype)in->dtype, e->base[in->slot]);
        }
    }
    for (int i = 0; i < kd->n_inst; i++) cpu_emit_divisor(e, i);
    return fn;
}

/* Emits the element-wise kernel function `name` for kd into e->m. */
static void cpu_emit_kernel(emitter *e, const char *name) {
    const kernel_desc *kd = e->kd;
    LLVMTypeRef params[4] = {e->i64, e->ptr, e->ptr, e->ptr};
    bool strided;
    LLVMValueRef fn = cpu_emit_function(e, name, params, 4, &strided);
    LLVMValueRef n = LLVMGetParam(fn, 0);
    int W = cpu_lanes_for(e->cs, kd);
    LLVMValueRef zero = LLVMConstInt(e->i64, 0, 0);
    LLVMBasicBlockRef blocks = NULL;
    if (kd->block) { /* n < 0: a block call */
        blocks = LLVMAppendBasicBlockInContext(e->c, fn, "blocks");
        LLVMBasicBlockRef rows = LLVMAppendBasicBlockInContext(e->c, fn, "rows");
        LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntSLT, n, zero, ""), blocks, rows);
        LLVMPositionBuilderAtEnd(B, rows);
    }
    /* strided inputs are gathered in the vector loop; a strided output makes every element
     * scalar (host_map_start: the interpreter starts the same way) */
    strided = false;
    for (int i = kd->n_in; i < kd->n_in + kd->n_out; i++) strided = strided || kd->layout[i] == KD_STRIDED;
    e->stream = cpu_can_stream(e, W) && !strided;
    LLVMValueRef start = zero;
    if (e->stream) {
        /* scalar iterations until the output is 64-byte aligned, then aligned streaming stores */
        int out = kd->n_in;
        uint64_t es = kiln_dtype_size(kd_out_dtype(kd, 0));
        LLVMValueRef addr = LLVMBuildPtrToInt(B, e->base[out], e->i64, "");
        LLVMValueRef gap = LLVMBuildAnd(B, LLVMBuildSub(B, LLVMConstInt(e->i64, 64, 0), LLVMBuildAnd(B, addr, LLVMConstInt(e->i64, 63, 0), ""), ""),
                                        LLVMConstInt(e->i64, 63, 0), "");
        LLVMValueRef peel = LLVMBuildUDiv(B, gap, LLVMConstInt(e->i64, es, 0), "peel");
        start = sel(e, LLVMBuildICmp(B, LLVMIntSLT, peel, n, ""), peel, n);
        cpu_emit_loop(e, zero, start, 1, false);
    }
    LLVMValueRef nvec = strided ? zero
                                : LLVMBuildAdd(B, start, LLVMBuildAnd(B, LLVMBuildSub(B, n, start, ""),
                                                                       LLVMConstInt(e->i64, (unsigned long long)-(int64_t)W, 1), ""), "nvec");
    cpu_emit_loop(e, start, nvec, W, e->stream); /* the vector loop */
    cpu_emit_loop(e, nvec, n, 1, false);         /* the remainder, or everything when strided */
    if (e->stream) { /* streaming stores are weakly ordered: fence before other threads read */
        LLVMTypeRef ft = LLVMFunctionType(LLVMVoidTypeInContext(e->c), NULL, 0, 0);
        LLVMValueRef f = LLVMGetNamedFunction(e->m, "llvm.x86.sse.sfence");
        if (!f) f = LLVMAddFunction(e->m, "llvm.x86.sse.sfence", ft);
        LLVMBuildCall2(B, ft, f, NULL, 0, "");
    }
    LLVMBuildRetVoid(B);
    if (blocks) {
        LLVMPositionBuilderAtEnd(B, blocks);
        cpu_emit_blocks(e, fn, W < 16 ? W : 16);
    }
}
/* ------------------------------------------------------------------ reduction kernels */

/* The reduction's starting value (argmax/argmin start empty: index -1, any value). */
static LLVMValueRef cpu_reduce_identity(emitter *e, int op, kiln_dtype dt, int L) {
    bool fl = dtype_is_float(dt), hi = op == KILN_OP_MIN || op == KILN_OP_ARGMIN || op == KILN_OP_ALL;
    if (op == KILN_OP_SUM) return fl ? cpu_constf(e, dt, 0, L) : cpu_const_int(e, dt, 0, L);
    if (op == KILN_OP_PROD) return fl ? cpu_constf(e, dt, 1, L) : cpu_const_int(e, dt, 1, L);
    if (fl) return cpu_constf(e, dt, hi ? INFINITY : -INFINITY, L);
    if (dt == KILN_BOOL) return cpu_const_int(e, dt, hi, L);
    int64_t lo, top;
    dtype_int_bounds(dt, &lo, &top);
    return cpu_const_int(e, dt, hi ? top : lo, L);
}

/* acc ⊕ v: what ref_reduce_combine does, on L lanes. */
static LLVMValueRef cpu_reduce_step(emitter *e, int op, kiln_dtype dt, LLVMValueRef acc, LLVMValueRef v, int L) {
    /* the element-wise op that combines two partial results */
    KILN_ASSERT(reduce_combine_op[op] != 0);
    return cpu_emit_combine(e, reduce_combine_op[op], dt, acc, v, L);
}

/* (a, ai) ⊕ (b, bi) for argmax/argmin in a lane of the vector loop, where b comes after a and
 * neither is empty: b wins only when better (NaN beats every number, the first NaN stays). */
static void cpu_arg_step_later(emitter *e, int op, kiln_dtype dt, LLVMValueRef *a, LLVMValueRef *ai, LLVMValueRef b, LLVMValueRef bi) {
    bool mx = op == KILN_OP_ARGMAX;
    LLVMValueRef better;
    if (dtype_is_float(dt))
        better = LLVMBuildOr(B, LLVMBuildFCmp(B, mx ? LLVMRealOGT : LLVMRealOLT, b, *a, ""),
                             LLVMBuildAnd(B, LLVMBuildFCmp(B, LLVMRealUNO, b, b, ""), LLVMBuildFCmp(B, LLVMRealORD, *a, *a, ""), ""), "");
    else
        better = cpu_emit_cmp(e, mx ? KILN_OP_GT : KILN_OP_LT, dt, b, *a);
    *a = sel(e, better, b, *a);
    *ai = sel(e, better, bi, *ai);
}

/* (a, ai) ⊕ (b, bi) for argmax/argmin: b wins when a is empty, when b is better (NaN beats
 * every number), or when they are equal and b comes first. */
static void cpu_arg_step(emitter *e, int op, kiln_dtype dt, LLVMValueRef *a, LLVMValueRef *ai, LLVMValueRef b, LLVMValueRef bi, int L) {
    bool fl = dtype_is_float(dt), mx = op == KILN_OP_ARGMAX;
    LLVMValueRef zero = cpu_const_int(e, KILN_I64, 0, L), better, equal;
    if (fl) {
        LLVMValueRef bnan = LLVMBuildFCmp(B, LLVMRealUNO, b, b, ""), anan = LLVMBuildFCmp(B, LLVMRealUNO, *a, *a, "");
        better = LLVMBuildOr(B, LLVMBuildFCmp(B, mx ? LLVMRealOGT : LLVMRealOLT, b, *a, ""),
                             LLVMBuildAnd(B, bnan, LLVMBuildNot(B, anan, ""), ""), "");
        equal = LLVMBuildOr(B, LLVMBuildFCmp(B, LLVMRealOEQ, b, *a, ""), LLVMBuildAnd(B, bnan, anan, ""), "");
    } else {
        LLVMIntPredicate p = dt == KILN_BOOL || dtype_is_unsigned(dt) ? (mx ? LLVMIntUGT : LLVMIntULT) : (mx ? LLVMIntSGT : LLVMIntSLT);
        better = LLVMBuildICmp(B, p, b, *a, "");
        equal = LLVMBuildICmp(B, LLVMIntEQ, b, *a, "");
    }
    LLVMValueRef a_empty = LLVMBuildICmp(B, LLVMIntSLT, *ai, zero, ""), b_full = LLVMBuildICmp(B, LLVMIntSGE, bi, zero, "");
    LLVMValueRef first = LLVMBuildAnd(B, equal, LLVMBuildICmp(B, LLVMIntSLT, bi, *ai, ""), "");
    LLVMValueRef take = LLVMBuildAnd(B, b_full, LLVMBuildOr(B, a_empty, LLVMBuildOr(B, better, first, ""), ""), "");
    *a = sel(e, take, b, *a);
    *ai = sel(e, take, bi, *ai);
}

/* The better of x and y, lane-wise, by compare op (GT for maxima, LT for minima): where neither
 * is NaN, a maximum (minimum) of one instruction, not the NaN-wins combine's three. */
static LLVMValueRef cpu_better_of(emitter *e, kiln_op op, kiln_dtype dt, LLVMValueRef x, LLVMValueRef y, int L) {
    KILN_UNUSED(L);
    return sel(e, cpu_emit_cmp(e, op, dt, x, y), x, y);
}

/* The compare by which argmax (argmin) finds a better value: cpu_better_of's op for it. */
static kiln_op cpu_arg_better(kiln_op op) { return op == KILN_OP_ARGMAX ? KILN_OP_GT : KILN_OP_LT; }

/* x's W lanes folded into one by op (maximum, minimum: NaN wins; or, where no lane is NaN,
 * cpu_better_of's GT or LT), halves first */
static LLVMValueRef cpu_fold_lanes(emitter *e, kiln_op op, kiln_dtype dt, LLVMValueRef x, int W) {
    for (int w = W / 2; w >= 1; w /= 2) {
        LLVMValueRef lo[32], hi[32], a, b;
        for (int l = 0; l < w; l++) lo[l] = LLVMConstInt(e->i32, (unsigned)l, 0), hi[l] = LLVMConstInt(e->i32, (unsigned)(w + l), 0);
        if (w == 1) { /* (the last two lanes as scalars: a vector of one lane is not one) */
            a = LLVMBuildExtractElement(B, x, lo[0], "");
            b = LLVMBuildExtractElement(B, x, hi[0], "");
        } else {
            a = LLVMBuildShuffleVector(B, x, LLVMGetPoison(LLVMTypeOf(x)), LLVMConstVector(lo, (unsigned)w), "");
            b = LLVMBuildShuffleVector(B, x, LLVMGetPoison(LLVMTypeOf(x)), LLVMConstVector(hi, (unsigned)w), "");
        }
        x = op == KILN_OP_GT || op == KILN_OP_LT ? cpu_better_of(e, op, dt, b, a, w) : cpu_emit_combine(e, op, dt, b, a, w);
    }
    return x;
}

/* The vector part [0, nvec) of argmax/argmin (nvec a multiple of U·W), in blocks.  Each of U
 * accumulators keeps, per lane, the best value so far and the iteration it came in (integers of
 * IB bits, W of them a register: 8 bits for a kernel of bytes, 64 for one of float64; a block
 * is at most 2^(IB-1) - 1 iterations, 2^30 where IB is 32 or more), both replaced only where a
 * value is strictly better: each lane holds its first best, and no pass reads the block again
 * (a pass of maxima alone, then a search of the block for its best, took argmax(x, axis=1) of
 * 2000 rows of 1000 float64 363 us on one thread, this 221-227).  At a block's end, its best is
 * the best of the lanes, at the earliest iteration among the lanes holding it, in the first of
 * those lanes (a lane never replaced holds the identity, which only a block of identities has
 * best, first at iteration 0).  NaN beats every number and the first NaN stays: the lanes skip
 * NaNs (an ordered compare) but note them, and a block with one is searched W elements a step
 * for its first.  Blocks combine in order, a later one winning only when better.  Leaves the
 * builder in a block that branches nowhere yet, with *best and *at (an index from 0) set. */
static void cpu_emit_arg_vector(emitter *e, LLVMValueRef fn, int op, kiln_dtype dt, LLVMValueRef nvec, int W, int U,
                                LLVMValueRef *best_out, LLVMValueRef *at_out) {
    const kernel_desc *kd = e->kd;
    enum { MAXU = 16 };
    bool fl = dtype_is_float(dt);
    kiln_op better = cpu_arg_better(op);
    int ib = 8 * e->cs->vec_bytes / W;
    KILN_ASSERT(ib >= 8 && ib <= 64); /* (W is at least 4 lanes and at most a register of bytes) */
    int64_t max_it = ib >= 32 ? (int64_t)1 << 30 : ((int64_t)1 << (ib - 1)) - 1; /* iterations a block */
    LLVMTypeRef it_t = LLVMIntTypeInContext(e->c, (unsigned)ib), itv_t = LLVMVectorType(it_t, (unsigned)W), iw = LLVMIntTypeInContext(e->c, (unsigned)W);
    LLVMValueRef zero = LLVMConstInt(e->i64, 0, 0), uw = LLVMConstInt(e->i64, (unsigned)(U * W), 0);
    LLVMValueRef ident = cpu_reduce_identity(e, op, dt, 1), vident = cpu_reduce_identity(e, op, dt, W);
    LLVMValueRef blk = LLVMConstInt(e->i64, (unsigned long long)(max_it * U * W), 0), none = LLVMConstAllOnes(itv_t);
    LLVMBasicBlockRef pre = LLVMGetInsertBlock(B);
    LLVMBasicBlockRef outer = LLVMAppendBasicBlockInContext(e->c, fn, "ablock");
    LLVMBasicBlockRef inner = LLVMAppendBasicBlockInContext(e->c, fn, "aloop");
    LLVMBasicBlockRef bdone = LLVMAppendBasicBlockInContext(e->c, fn, "ablockdone");
    LLVMBasicBlockRef lanes = LLVMAppendBasicBlockInContext(e->c, fn, "alanes");
    LLVMBasicBlockRef find = fl ? LLVMAppendBasicBlockInContext(e->c, fn, "anan") : NULL;
    LLVMBasicBlockRef found = fl ? LLVMAppendBasicBlockInContext(e->c, fn, "ananfound") : NULL;
    LLVMBasicBlockRef join = LLVMAppendBasicBlockInContext(e->c, fn, "ajoin");
    LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(e->c, fn, "adone");
    LLVMBuildBr(B, outer);

    LLVMPositionBuilderAtEnd(B, outer);
    LLVMValueRef bs = LLVMBuildPhi(B, e->i64, "bs"), best = LLVMBuildPhi(B, cpu_type(e, dt, 1), "best"), at = LLVMBuildPhi(B, e->i64, "at");
    LLVMValueRef bend = LLVMBuildAdd(B, bs, blk, "");
    bend = sel(e, LLVMBuildICmp(B, LLVMIntSLT, bend, nvec, ""), bend, nvec);
    LLVMBuildBr(B, inner);

    /* the block: per lane, the best and its iteration */
    LLVMPositionBuilderAtEnd(B, inner);
    LLVMValueRef i = LLVMBuildPhi(B, e->i64, "i"), it = LLVMBuildPhi(B, it_t, "it"), acc[MAXU], acc_in[MAXU], idx[MAXU], idx_in[MAXU];
    LLVMValueRef nan_in = fl ? LLVMBuildPhi(B, LLVMVectorType(e->i1, (unsigned)W), "nan") : NULL, nan = nan_in, v[MAXU];
    for (int u = 0; u < U; u++) {
        acc[u] = acc_in[u] = LLVMBuildPhi(B, cpu_type(e, dt, W), "acc");
        idx[u] = idx_in[u] = LLVMBuildPhi(B, itv_t, "idx");
    }
    for (int u = 0; u < U; u++) {
        cpu_emit_values(e, LLVMBuildAdd(B, i, LLVMConstInt(e->i64, (unsigned)(u * W), 0), ""), W);
        v[u] = e->val[kd->out_inst[0]];
    }
    LLVMValueRef its = cpu_splat(e, it, W);
    for (int u = 0; u < U; u++) {
        LLVMValueRef gt = cpu_emit_cmp(e, better, dt, v[u], acc[u]);
        acc[u] = sel(e, gt, v[u], acc[u]);
        idx[u] = sel(e, gt, its, idx[u]);
    }
    for (int u = 0; fl && u < U; u += 2) /* (one unordered compare notes two registers' NaNs) */
        nan = LLVMBuildOr(B, nan, LLVMBuildFCmp(B, LLVMRealUNO, v[u], v[u + 1 < U ? u + 1 : u], ""), "");
    LLVMValueRef inext = LLVMBuildAdd(B, i, uw, ""), itnext = LLVMBuildAdd(B, it, LLVMConstInt(it_t, 1, 0), "");
    LLVMBasicBlockRef ilatch = LLVMGetInsertBlock(B);
    LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntSLT, inext, bend, ""), inner, bdone);
    LLVMAddIncoming(i, (LLVMValueRef[]){bs, inext}, (LLVMBasicBlockRef[]){outer, ilatch}, 2);
    LLVMAddIncoming(it, (LLVMValueRef[]){LLVMConstInt(it_t, 0, 0), itnext}, (LLVMBasicBlockRef[]){outer, ilatch}, 2);
    for (int u = 0; u < U; u++) {
        LLVMAddIncoming(acc_in[u], (LLVMValueRef[]){vident, acc[u]}, (LLVMBasicBlockRef[]){outer, ilatch}, 2);
        LLVMAddIncoming(idx_in[u], (LLVMValueRef[]){LLVMConstNull(itv_t), idx[u]}, (LLVMBasicBlockRef[]){outer, ilatch}, 2);
    }
    if (fl) LLVMAddIncoming(nan_in, (LLVMValueRef[]){LLVMConstNull(LLVMTypeOf(nan)), nan}, (LLVMBasicBlockRef[]){outer, ilatch}, 2);

    LLVMPositionBuilderAtEnd(B, bdone);
    if (fl) LLVMBuildCondBr(B, cpu_intrinsic(e, "llvm.vector.reduce.or", LLVMTypeOf(nan), &nan, 1), find, lanes);
    else LLVMBuildBr(B, lanes);

    /* no NaN: the best of the lanes, its earliest iteration, the first lane holding it then */
    LLVMPositionBuilderAtEnd(B, lanes);
    LLVMValueRef a = acc[0];
    for (int u = 1; u < U; u++) a = cpu_better_of(e, better, dt, acc[u], a, W);
    LLVMValueRef lbest = cpu_fold_lanes(e, better, dt, a, W), bv = cpu_splat(e, lbest, W), hit[MAXU], first = none;
    for (int u = 0; u < U; u++) {
        hit[u] = cpu_emit_cmp(e, KILN_OP_EQ, dt, acc[u], bv);
        first = cpu_intrinsic(e, "llvm.umin", itv_t, (LLVMValueRef[]){first, sel(e, hit[u], idx[u], none)}, 2);
    }
    LLVMValueRef itm = cpu_intrinsic(e, "llvm.vector.reduce.umin", itv_t, &first, 1), lane = zero, itms = cpu_splat(e, itm, W);
    for (int u = U - 1; u >= 0; u--) { /* (the first accumulator with a lane at that iteration) */
        LLVMValueRef bits = LLVMBuildBitCast(B, LLVMBuildAnd(B, hit[u], LLVMBuildICmp(B, LLVMIntEQ, idx[u], itms, ""), ""), iw, "");
        LLVMValueRef tz = cpu_intrinsic(e, "llvm.cttz", iw, (LLVMValueRef[]){bits, LLVMConstInt(e->i1, 0, 0)}, 2);
        LLVMValueRef at_u = LLVMBuildAdd(B, LLVMConstInt(e->i64, (unsigned)(u * W), 0), LLVMBuildZExt(B, tz, e->i64, ""), "");
        lane = sel(e, LLVMBuildICmp(B, LLVMIntNE, bits, LLVMConstNull(iw), ""), at_u, lane);
    }
    LLVMValueRef lat = LLVMBuildAdd(B, bs, LLVMBuildAdd(B, LLVMBuildMul(B, LLVMBuildZExt(B, itm, e->i64, ""), uw, ""), lane, ""), "");
    LLVMBuildBr(B, join);

    /* a NaN: the block's first */
    LLVMValueRef nbest_nan = NULL, nat_nan = NULL;
    if (fl) {
        LLVMPositionBuilderAtEnd(B, find);
        LLVMValueRef k = LLVMBuildPhi(B, e->i64, "k");
        cpu_emit_values(e, k, W);
        LLVMValueRef x = e->val[kd->out_inst[0]];
        LLVMValueRef bits = LLVMBuildBitCast(B, LLVMBuildFCmp(B, LLVMRealUNO, x, x, ""), iw, "");
        LLVMValueRef knext = LLVMBuildAdd(B, k, LLVMConstInt(e->i64, (unsigned)W, 0), "");
        LLVMBasicBlockRef flatch = LLVMGetInsertBlock(B);
        LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntNE, bits, LLVMConstNull(iw), ""), found, find);
        LLVMAddIncoming(k, (LLVMValueRef[]){bs, knext}, (LLVMBasicBlockRef[]){bdone, flatch}, 2);
        LLVMPositionBuilderAtEnd(B, found);
        LLVMValueRef tz = cpu_intrinsic(e, "llvm.cttz", iw, (LLVMValueRef[]){bits, LLVMConstInt(e->i1, 1, 0)}, 2);
        nbest_nan = LLVMBuildExtractElement(B, x, tz, "");
        nat_nan = LLVMBuildAdd(B, k, LLVMBuildZExt(B, tz, e->i64, ""), "");
        LLVMBuildBr(B, join);
    }

    LLVMPositionBuilderAtEnd(B, join);
    LLVMValueRef bb = LLVMBuildPhi(B, cpu_type(e, dt, 1), ""), ba = LLVMBuildPhi(B, e->i64, "");
    LLVMAddIncoming(bb, (LLVMValueRef[]){lbest, nbest_nan}, (LLVMBasicBlockRef[]){lanes, found}, fl ? 2 : 1);
    LLVMAddIncoming(ba, (LLVMValueRef[]){lat, nat_nan}, (LLVMBasicBlockRef[]){lanes, found}, fl ? 2 : 1);
    LLVMValueRef nbest = best, nat = at;
    cpu_arg_step_later(e, op, dt, &nbest, &nat, bb, ba);
    LLVMValueRef bnext = LLVMBuildAdd(B, bs, blk, "");
    LLVMBasicBlockRef blatch = LLVMGetInsertBlock(B);
    LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntSLT, bnext, nvec, ""), outer, done);
    LLVMAddIncoming(bs, (LLVMValueRef[]){zero, bnext}, (LLVMBasicBlockRef[]){pre, blatch}, 2);
    LLVMAddIncoming(best, (LLVMValueRef[]){ident, nbest}, (LLVMBasicBlockRef[]){pre, blatch}, 2);
    LLVMAddIncoming(at, (LLVMValueRef[]){zero, nat}, (LLVMBasicBlockRef[]){pre, blatch}, 2);
    LLVMPositionBuilderAtEnd(B, done);
    *best_out = nbest;
    *at_out = nat;
}

/* The lanes of U accumulators of W lanes each (lane u·W + l: accumulator u's lane l) folded by
 * op in a fixed tree, neighbours first: lanes 2k and 2k+1 combined, then the results' 2k and
 * 2k+1, and so on, as the interpreter folds them.  Each level combines the even lanes with the
 * odd ones as whole vectors (two accumulators' at a time, then within one), which gives the
 * same bits as lane by lane for a few shuffles (max(x, axis=1) of 50000 rows of 40 float64,
 * one thread: 1.39-1.46 ms, lane by lane 1.82-1.90; of 64 float32 1.09 against 1.70).  acc is
 * overwritten. */
static LLVMValueRef cpu_fold_tree(emitter *e, int op, kiln_dtype dt, LLVMValueRef *acc, int U, int W) {
    LLVMValueRef ev[64], od[64];
    KILN_ASSERT(W >= 2 && W <= 64 && (W & (W - 1)) == 0 && U >= 1 && (U & (U - 1)) == 0);
    for (; U > 1; U /= 2) /* pairs of accumulators: each pair's lanes, paired, make one */
        for (int k = 0; k < U / 2; k++) {
            for (int l = 0; l < W; l++) ev[l] = LLVMConstInt(e->i32, (unsigned)(2 * l), 0), od[l] = LLVMConstInt(e->i32, (unsigned)(2 * l + 1), 0);
            LLVMValueRef a = acc[2 * k], b = acc[2 * k + 1];
            acc[k] = cpu_reduce_step(e, op, dt, LLVMBuildShuffleVector(B, a, b, LLVMConstVector(ev, (unsigned)W), ""),
                                     LLVMBuildShuffleVector(B, a, b, LLVMConstVector(od, (unsigned)W), ""), W);
        }
    LLVMValueRef x = acc[0];
    for (; W > 2; W /= 2) { /* within the one left (no vector of one lane: the last two are scalars) */
        for (int l = 0; l < W / 2; l++) ev[l] = LLVMConstInt(e->i32, (unsigned)(2 * l), 0), od[l] = LLVMConstInt(e->i32, (unsigned)(2 * l + 1), 0);
        LLVMValueRef p = LLVMGetPoison(LLVMTypeOf(x));
        x = cpu_reduce_step(e, op, dt, LLVMBuildShuffleVector(B, x, p, LLVMConstVector(ev, (unsigned)(W / 2)), ""),
                            LLVMBuildShuffleVector(B, x, p, LLVMConstVector(od, (unsigned)(W / 2)), ""), W / 2);
    }
    LLVMValueRef x0 = LLVMBuildExtractElement(B, x, LLVMConstInt(e->i32, 0, 0), "");
    if (W == 1) return x0;
    return cpu_reduce_step(e, op, dt, x0, LLVMBuildExtractElement(B, x, LLVMConstInt(e->i32, 1, 0), ""), 1);
}

/* Emits the reduction kernel `name` (see kiln_reduce_fn). */
/* A sum into int64 of bytes alone (uint8 or bool values: sum(img), count_nonzero(img > 128)) on
 * x86: the lanes of one register of bytes, which psadbw adds eight at a time into int64 lanes
 * (an integer sum: no order changes it); else 0. */
static int cpu_byte_sum_lanes(emitter *e) {
    const kernel_desc *kd = e->kd;
    const kd_inst *o = &kd->inst[kd->out_inst[0]];
    if (kd->reduce != KILN_OP_SUM || o->dtype != KILN_I64 || o->op != KILN_OP_CAST || strncmp(e->cs->triple, "x86_64", 6)) return 0;
    for (int i = 0; i < kd->n_inst; i++)
        if (i != kd->out_inst[0] && kd->inst[i].dtype != KILN_U8 && kd->inst[i].dtype != KILN_BOOL) return 0; /* (int8's are signed) */
    return e->cs->vec_bytes == 64 && !strstr(e->cs->features, "+avx512bw") ? 32 : e->cs->vec_bytes;
}

/* v's W bytes (bool lanes as 0 and 1) summed eight at a time: W / 8 int64 lanes (psadbw) */
static LLVMValueRef cpu_byte_sums(emitter *e, LLVMValueRef v, int W) {
    if (LLVMGetElementType(LLVMTypeOf(v)) == e->i1) v = LLVMBuildZExt(B, v, LLVMVectorType(e->i8, (unsigned)W), "");
    const char *name = W == 64 ? "llvm.x86.avx512.psad.bw.512" : W == 32 ? "llvm.x86.avx2.psad.bw" : "llvm.x86.sse2.psad.bw";
    unsigned id = LLVMLookupIntrinsicID(name, strlen(name));
    KILN_ASSERT(id != 0);
    LLVMValueRef args[2] = {v, LLVMConstNull(LLVMTypeOf(v))};
    return LLVMBuildCall2(B, LLVMIntrinsicGetType(e->c, id, NULL, 0), LLVMGetIntrinsicDeclaration(e->m, id, NULL, 0), args, 2, "");
}

/* Lanes first, first + step, ... (count of them) of a and b side by side (b NULL: a alone). */
static LLVMValueRef cpu_shuffle(emitter *e, LLVMValueRef a, LLVMValueRef b, int first, int step, int count) {
    LLVMValueRef mask[16];
    for (int l = 0; l < count; l++) mask[l] = LLVMConstInt(e->i32, (unsigned)(first + l * step), 0);
    return LLVMBuildShuffleVector(B, a, b ? b : LLVMGetPoison(LLVMTypeOf(a)), LLVMConstVector(mask, (unsigned)count), "");
}

/* The sums of neighbouring lanes of a then b (b NULL: of a alone): count lanes. */
static LLVMValueRef cpu_pair_sums(emitter *e, kiln_dtype dt, LLVMValueRef a, LLVMValueRef b, int count) {
    return cpu_reduce_step(e, KILN_OP_SUM, dt, cpu_shuffle(e, a, b, 0, 2, count), cpu_shuffle(e, a, b, 1, 2, count), count);
}

/* Adds the q-th vector v (W lanes) of a step of a float sum's leaf to the leaf's 8 lanes: W >= 8,
 * its 8-lane slices in order to acc[0]; W == 4, to acc[q] (two accumulators of 4 lanes). */
static void cpu_lanes_add(emitter *e, kiln_dtype dt, LLVMValueRef *acc, int q, LLVMValueRef v, int W) {
    if (W < 8) acc[q] = cpu_reduce_step(e, KILN_OP_SUM, dt, acc[q], v, W);
    else
        for (int h = 0; h < W / 8; h++) acc[0] = cpu_reduce_step(e, KILN_OP_SUM, dt, acc[0], W == 8 ? v : cpu_shuffle(e, v, NULL, 8 * h, 1, 8), 8);
}

/* A float sum's row set: operand pointers and broadcast values of one of the rows a
 * KILN_FOLD_ROWS call folds side by side (cpu_emit_values reads e->base and e->bval). */
typedef struct leaf_row {
    LLVMValueRef *base, *bval;
} leaf_row;

/* NumPy's leaf (see kd_pairwise) of the first n elements of R rows of a float sum (R <=
 * ROWS_AT_ONCE, each its own chains of adds: several rows, or several leaves of one row, each
 * its own pointer set), at the builder's position; the sums into res[], the builder left after
 * them.  The values of the first n & -S elements (S = max(W, 8)) are computed W at a time, as
 * the interpreter's are, and go to the 8 lanes: an 8-lane accumulator (W >= 8: a register's
 * 8-lane slices added in order) or two of 4 (W == 4); the values up to n - n % 8 after them,
 * one at a time, to their lanes; then the tree of lanes, then the rest in order.  With start
 * values instead (start non-NULL, R == 1), every element in order after them
 * (KILN_FOLD_IN_ORDER). */
#define ROWS_AT_ONCE KILN_FOLD_ROWS_N
static void cpu_emit_leaf(emitter *e, LLVMValueRef fn, kiln_dtype dt, LLVMValueRef n, bool strided, LLVMValueRef start,
                          int R, const leaf_row *rows, LLVMValueRef *res) {
    const kernel_desc *kd = e->kd;
    int W = cpu_lanes_for(e->cs, kd), S = W > 8 ? W : 8, PW = W < 8 ? W : 8, P = 8 / PW;
    LLVMValueRef zero = LLVMConstInt(e->i64, 0, 0), one = LLVMConstInt(e->i64, 1, 0);
    LLVMValueRef nvv = strided || start ? zero : LLVMBuildAnd(B, n, LLVMConstInt(e->i64, (unsigned long long)-(int64_t)S, 1), "");
    LLVMValueRef n8 = start ? zero : LLVMBuildAnd(B, n, LLVMConstInt(e->i64, (unsigned long long)-8, 1), "");
    LLVMValueRef ident = cpu_reduce_identity(e, KILN_OP_SUM, dt, PW);
    LLVMValueRef *base0 = e->base, *bval0 = e->bval;
#define ROW(u) (e->base = rows[u].base, e->bval = rows[u].bval)
    LLVMBasicBlockRef pre = LLVMGetInsertBlock(B);
    LLVMBasicBlockRef vloop = LLVMAppendBasicBlockInContext(e->c, fn, "leafv"), vdone = LLVMAppendBasicBlockInContext(e->c, fn, "leafvd");
    /* (the values between the vector loop and n - n % 8 exist only past a register of more than
     * 8 lanes, or with a strided operand) */
    bool mid = !start && (strided || S > 8);
    LLVMBasicBlockRef mloop = mid ? LLVMAppendBasicBlockInContext(e->c, fn, "leafm") : NULL, mdone = LLVMAppendBasicBlockInContext(e->c, fn, "leafmd");
    LLVMBasicBlockRef tloop = LLVMAppendBasicBlockInContext(e->c, fn, "leaft"), fin = LLVMAppendBasicBlockInContext(e->c, fn, "leaff");
    LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntSGT, nvv, zero, ""), vloop, vdone);

    LLVMPositionBuilderAtEnd(B, vloop);
    LLVMValueRef i = LLVMBuildPhi(B, e->i64, ""), acc_in[ROWS_AT_ONCE][2], acc[ROWS_AT_ONCE][2];
    for (int u = 0; u < R; u++)
        for (int p = 0; p < P; p++) acc[u][p] = acc_in[u][p] = LLVMBuildPhi(B, cpu_type(e, dt, PW), "");
    for (int q = 0; q < S / W; q++)
        for (int u = 0; u < R; u++) {
            ROW(u);
            cpu_emit_values(e, LLVMBuildAdd(B, i, LLVMConstInt(e->i64, (unsigned)(q * W), 0), ""), W);
            cpu_lanes_add(e, dt, acc[u], q, e->val[kd->out_inst[0]], W);
        }
    LLVMValueRef inext = LLVMBuildAdd(B, i, LLVMConstInt(e->i64, (unsigned)S, 0), "");
    LLVMBasicBlockRef vlatch = LLVMGetInsertBlock(B);
    LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntSLT, inext, nvv, ""), vloop, vdone);
    LLVMAddIncoming(i, (LLVMValueRef[]){zero, inext}, (LLVMBasicBlockRef[]){pre, vlatch}, 2);
    for (int u = 0; u < R; u++)
        for (int p = 0; p < P; p++) LLVMAddIncoming(acc_in[u][p], (LLVMValueRef[]){ident, acc[u][p]}, (LLVMBasicBlockRef[]){pre, vlatch}, 2);

    LLVMPositionBuilderAtEnd(B, vdone);
    LLVMValueRef a8[ROWS_AT_ONCE], pa[ROWS_AT_ONCE][2];
    for (int u = 0; u < R; u++)
        for (int p = 0; p < P; p++) {
            pa[u][p] = LLVMBuildPhi(B, cpu_type(e, dt, PW), "");
            LLVMAddIncoming(pa[u][p], (LLVMValueRef[]){ident, acc[u][p]}, (LLVMBasicBlockRef[]){pre, vlatch}, 2);
        }
    for (int u = 0; u < R; u++) a8[u] = P == 2 ? cpu_shuffle(e, pa[u][0], pa[u][1], 0, 1, 8) : pa[u][0]; /* (after the phis) */
    LLVMValueRef lanes[ROWS_AT_ONCE], r0[ROWS_AT_ONCE], m[ROWS_AT_ONCE], mnext[ROWS_AT_ONCE];
    if (!mid) {
        LLVMBuildBr(B, mdone);
        LLVMPositionBuilderAtEnd(B, mdone);
        for (int u = 0; u < R; u++) lanes[u] = a8[u];
    } else {
        LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntSLT, nvv, n8, ""), mloop, mdone);

        /* the values after the vector loop that still go to lanes, computed one at a time (scalar
         * math), eight to the eight lanes (nvv is a multiple of 8) */
        LLVMPositionBuilderAtEnd(B, mloop);
        LLVMValueRef j = LLVMBuildPhi(B, e->i64, "");
        for (int u = 0; u < R; u++) m[u] = LLVMBuildPhi(B, LLVMTypeOf(a8[u]), "");
        for (int u = 0; u < R; u++) {
            LLVMValueRef eight = LLVMGetPoison(LLVMTypeOf(a8[u]));
            ROW(u);
            for (int l = 0; l < 8; l++) {
                cpu_emit_values(e, LLVMBuildAdd(B, j, LLVMConstInt(e->i64, (unsigned)l, 0), ""), 1);
                eight = LLVMBuildInsertElement(B, eight, e->val[kd->out_inst[0]], LLVMConstInt(e->i32, (unsigned)l, 0), "");
            }
            mnext[u] = cpu_reduce_step(e, KILN_OP_SUM, dt, m[u], eight, 8);
        }
        LLVMValueRef jnext = LLVMBuildAdd(B, j, LLVMConstInt(e->i64, 8, 0), "");
        LLVMBasicBlockRef mlatch = LLVMGetInsertBlock(B);
        LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntSLT, jnext, n8, ""), mloop, mdone);
        LLVMAddIncoming(j, (LLVMValueRef[]){nvv, jnext}, (LLVMBasicBlockRef[]){vdone, mlatch}, 2);
        for (int u = 0; u < R; u++) LLVMAddIncoming(m[u], (LLVMValueRef[]){a8[u], mnext[u]}, (LLVMBasicBlockRef[]){vdone, mlatch}, 2);

        LLVMPositionBuilderAtEnd(B, mdone);
        for (int u = 0; u < R; u++) {
            lanes[u] = LLVMBuildPhi(B, LLVMTypeOf(a8[u]), "");
            LLVMAddIncoming(lanes[u], (LLVMValueRef[]){a8[u], mnext[u]}, (LLVMBasicBlockRef[]){vdone, mlatch}, 2);
        }
    }
    if (R == 4) { /* the four lane trees side by side: pairs of neighbours added, three times */
        LLVMValueRef s1a = cpu_pair_sums(e, dt, lanes[0], lanes[1], 8), s1b = cpu_pair_sums(e, dt, lanes[2], lanes[3], 8);
        LLVMValueRef s3 = cpu_pair_sums(e, dt, cpu_pair_sums(e, dt, s1a, s1b, 8), NULL, 4);
        for (int u = 0; u < R; u++) r0[u] = LLVMBuildExtractElement(B, s3, LLVMConstInt(e->i32, (unsigned)u, 0), "");
    }
    for (int u = 0; u < R && R != 4; u++) {
        LLVMValueRef lv[8];
        for (int l = 0; l < 8; l++) lv[l] = LLVMBuildExtractElement(B, lanes[u], LLVMConstInt(e->i32, (unsigned)l, 0), "");
        for (int w = 8; w > 1; w /= 2)
            for (int k = 0; k < w / 2; k++) lv[k] = cpu_reduce_step(e, KILN_OP_SUM, dt, lv[2 * k], lv[2 * k + 1], 1);
        r0[u] = start ? start : lv[0];
    }
    LLVMBasicBlockRef tpre = LLVMGetInsertBlock(B);
    LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntSLT, n8, n, ""), tloop, fin);

    /* the rest, in order */
    LLVMPositionBuilderAtEnd(B, tloop);
    LLVMValueRef t = LLVMBuildPhi(B, e->i64, ""), r[ROWS_AT_ONCE], rnext[ROWS_AT_ONCE];
    for (int u = 0; u < R; u++) r[u] = LLVMBuildPhi(B, cpu_type(e, dt, 1), "");
    for (int u = 0; u < R; u++) {
        ROW(u);
        cpu_emit_values(e, t, 1);
        rnext[u] = cpu_reduce_step(e, KILN_OP_SUM, dt, r[u], e->val[kd->out_inst[0]], 1);
    }
    LLVMValueRef tnext = LLVMBuildAdd(B, t, one, "");
    LLVMBasicBlockRef tlatch = LLVMGetInsertBlock(B);
    LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntSLT, tnext, n, ""), tloop, fin);
    LLVMAddIncoming(t, (LLVMValueRef[]){n8, tnext}, (LLVMBasicBlockRef[]){tpre, tlatch}, 2);
    for (int u = 0; u < R; u++) LLVMAddIncoming(r[u], (LLVMValueRef[]){r0[u], rnext[u]}, (LLVMBasicBlockRef[]){tpre, tlatch}, 2);

    LLVMPositionBuilderAtEnd(B, fin);
    for (int u = 0; u < R; u++) {
        res[u] = LLVMBuildPhi(B, cpu_type(e, dt, 1), "");
        LLVMAddIncoming(res[u], (LLVMValueRef[]){r0[u], rnext[u]}, (LLVMBasicBlockRef[]){tpre, tlatch}, 2);
    }
#undef ROW
    e->base = base0, e->bval = bval0;
}

/* A phi of a (coming from from[0]) and b (from from[1]) at the builder's position. */
static LLVMValueRef phi2(emitter *e, LLVMTypeRef ty, LLVMValueRef a, LLVMValueRef b, LLVMBasicBlockRef *from) {
    LLVMValueRef p = LLVMBuildPhi(B, ty, "");
    LLVMAddIncoming(p, (LLVMValueRef[]){a, b}, from, 2);
    return p;
}

/* Emits a float sum's kernel `name` (kd_pairwise): a row is one leaf; KILN_FOLD_ROWS asks for
 * ROWS_AT_ONCE rows' leaves, KILN_FOLD_SERIES for n items (n a multiple of ROWS_AT_ONCE: a
 * block's leaves, or short rows), which go ROWS_AT_ONCE at a time (independent chains of adds,
 * as the other reductions' U accumulators) through the body the rows' go through. */
static void cpu_emit_pairwise_kernel(emitter *e, const char *name) {
    const kernel_desc *kd = e->kd;
    kiln_dtype dt = kd_out_dtype(kd, 0);
    LLVMTypeRef params[6] = {e->i64, e->ptr, e->ptr, e->ptr, e->ptr, e->i64};
    bool strided;
    LLVMValueRef fn = cpu_emit_function(e, name, params, 6, &strided);
    LLVMValueRef n = LLVMGetParam(fn, 0), accp = LLVMGetParam(fn, 4), base = LLVMGetParam(fn, 5);
    LLVMValueRef zero = LLVMConstInt(e->i64, 0, 0);
    LLVMTypeRef st = cpu_type(e, dt, 1);
    LLVMBasicBlockRef row = LLVMAppendBasicBlockInContext(e->c, fn, "row"), series = LLVMAppendBasicBlockInContext(e->c, fn, "series");
    LLVMBasicBlockRef inorder = LLVMAppendBasicBlockInContext(e->c, fn, "inorder"), rowsb = LLVMAppendBasicBlockInContext(e->c, fn, "rows");
    LLVMValueRef sw = LLVMBuildSwitch(B, base, row, 3);
    LLVMAddCase(sw, LLVMConstInt(e->i64, (unsigned long long)KILN_FOLD_SERIES, 1), series);
    LLVMAddCase(sw, LLVMConstInt(e->i64, (unsigned long long)KILN_FOLD_IN_ORDER, 1), inorder);
    LLVMAddCase(sw, LLVMConstInt(e->i64, (unsigned long long)KILN_FOLD_ROWS, 1), rowsb);
    leaf_row lr[ROWS_AT_ONCE] = {{e->base, e->bval}};
    LLVMValueRef r;

    LLVMPositionBuilderAtEnd(B, row);
    cpu_emit_leaf(e, fn, dt, n, strided, NULL, 1, lr, &r);
    LLVMBuildStore(B, cpu_reduce_step(e, KILN_OP_SUM, dt, LLVMBuildLoad2(B, st, accp, ""), r, 1), accp);
    LLVMBuildRetVoid(B);

    LLVMPositionBuilderAtEnd(B, inorder);
    cpu_emit_leaf(e, fn, dt, n, strided, LLVMBuildLoad2(B, st, accp, ""), 1, lr, &r);
    LLVMBuildStore(B, r, accp);
    LLVMBuildRetVoid(B);

    /* rows and series: one body (cpu_emit_leaf's four rows side by side) that both enter with
     * four pointer sets (and their broadcast values).  KILN_FOLD_ROWS gives them one after
     * another; KILN_FOLD_SERIES, for (g = 0; g < n / 4; g++), item g of each of the four runs of
     * n / 4 items (each run read in order, a stream the prefetcher follows): item 0's set moved
     * by the items' distance.  (Offsets folded into the pointers, not given to the body: LLVM's
     * codegen takes twice as long over pointers and offsets that both vary.)  Each sum goes to
     * acc[idx[u]]: u, or the item's number.  (gloop, four and glatch make a loop with two
     * entries: values gloop needs on every turn come through its phis or are computed there.) */
    int nin = kd->n_in;
    LLVMBasicBlockRef four = LLVMAppendBasicBlockInContext(e->c, fn, "four"), gloop = LLVMAppendBasicBlockInContext(e->c, fn, "gloop");
    LLVMBasicBlockRef glatch = LLVMAppendBasicBlockInContext(e->c, fn, "glatch"), done = LLVMAppendBasicBlockInContext(e->c, fn, "done");
    LLVMValueRef *mem = calloc((size_t)((6 * ROWS_AT_ONCE + 1) * nin + 1), sizeof *mem);
    KILN_ASSERT(mem != NULL);
    /* the sets (base: pointers; bval: broadcast values): rows mode's, series mode's, the body's */
    LLVMValueRef *rbase = mem, *rbval = mem + ROWS_AT_ONCE * nin, *lbase = mem + 2 * ROWS_AT_ONCE * nin;
    LLVMValueRef *lbval = mem + 3 * ROWS_AT_ONCE * nin, *pbase = mem + 4 * ROWS_AT_ONCE * nin, *pbval = mem + 5 * ROWS_AT_ONCE * nin;
    LLVMValueRef *dist = mem + 6 * ROWS_AT_ONCE * nin; /* series mode's: item 1's pointers less item 0's, in bytes */
    LLVMValueRef ptrs = LLVMGetParam(fn, 1);
    LLVMPositionBuilderAtEnd(B, rowsb);
    for (int u = 0; u < ROWS_AT_ONCE; u++)
        for (int i = 0; i < nin; i++) {
            LLVMValueRef ix = LLVMConstInt(e->i64, (unsigned)(u * nin + i), 0);
            rbase[u * nin + i] = u ? LLVMBuildLoad2(B, e->ptr, LLVMBuildGEP2(B, e->ptr, ptrs, &ix, 1, ""), "") : e->base[i];
        }
    for (int u = 0; u < ROWS_AT_ONCE; u++)
        for (int i = 0; i < kd->n_inst; i++) {
            const kd_inst *in = &kd->inst[i];
            if (in->op != KILN_OP_VAR || kd->layout[in->slot] != KD_BCAST) continue;
            rbval[u * nin + in->slot] = u ? cpu_load_value(e, (kiln_dtype)in->dtype, rbase[u * nin + in->slot]) : e->bval[in->slot];
        }
    LLVMBuildBr(B, four);

    LLVMPositionBuilderAtEnd(B, series);
    LLVMValueRef G = LLVMConstInt(e->i64, ROWS_AT_ONCE, 0), len0 = LLVMBuildLoad2(B, e->i64, accp, "len");
    LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntSGT, n, zero, ""), gloop, done);
    LLVMPositionBuilderAtEnd(B, gloop);
    LLVMValueRef g = LLVMBuildPhi(B, e->i64, "g"), len = LLVMBuildPhi(B, e->i64, "len"), at_item[ROWS_AT_ONCE];
    LLVMValueRef run = LLVMBuildSDiv(B, n, G, "");
    for (int i = 0; i < nin; i++) {
        LLVMValueRef ix = LLVMConstInt(e->i64, (unsigned)(nin + i), 0);
        LLVMValueRef p1 = LLVMBuildLoad2(B, e->ptr, LLVMBuildGEP2(B, e->ptr, ptrs, &ix, 1, ""), "");
        dist[i] = LLVMBuildSub(B, LLVMBuildPtrToInt(B, p1, e->i64, ""), LLVMBuildPtrToInt(B, e->base[i], e->i64, ""), "");
    }
    for (int u = 0; u < ROWS_AT_ONCE; u++) {
        at_item[u] = u ? LLVMBuildAdd(B, g, LLVMBuildMul(B, run, LLVMConstInt(e->i64, (unsigned)u, 0), ""), "") : g;
        for (int i = 0; i < nin; i++)
            lbase[u * nin + i] = LLVMBuildGEP2(B, e->i8, e->base[i], (LLVMValueRef[]){LLVMBuildMul(B, at_item[u], dist[i], "")}, 1, "");
        for (int i = 0; i < kd->n_inst; i++) {
            const kd_inst *in = &kd->inst[i];
            if (in->op != KILN_OP_VAR || kd->layout[in->slot] != KD_BCAST) continue;
            lbval[u * nin + in->slot] = cpu_load_value(e, (kiln_dtype)in->dtype, lbase[u * nin + in->slot]);
        }
    }
    LLVMBuildBr(B, four);

    LLVMPositionBuilderAtEnd(B, four);
    LLVMBasicBlockRef from[2] = {rowsb, gloop};
#define PHI2(ty, a, b) phi2(e, ty, a, b, from)
    LLVMValueRef gg = PHI2(e->i64, zero, g), nn = PHI2(e->i64, n, len), idx[ROWS_AT_ONCE], sums4[ROWS_AT_ONCE];
    for (int u = 0; u < ROWS_AT_ONCE; u++) {
        idx[u] = PHI2(e->i64, LLVMConstInt(e->i64, (unsigned)u, 0), at_item[u]);
        lr[u] = (leaf_row){pbase + u * nin, pbval + u * nin};
        for (int i = 0; i < nin; i++) {
            pbase[u * nin + i] = PHI2(e->ptr, rbase[u * nin + i], lbase[u * nin + i]);
            if (rbval[u * nin + i]) pbval[u * nin + i] = PHI2(LLVMTypeOf(rbval[u * nin + i]), rbval[u * nin + i], lbval[u * nin + i]);
        }
    }
#undef PHI2
    cpu_emit_leaf(e, fn, dt, nn, strided, NULL, ROWS_AT_ONCE, lr, sums4);
    for (int u = 0; u < ROWS_AT_ONCE; u++) /* acc[idx[u]], 8 bytes a kscalar */
        LLVMBuildStore(B, sums4[u], LLVMBuildGEP2(B, e->i64, accp, &idx[u], 1, ""));
    LLVMValueRef is_series = LLVMBuildICmp(B, LLVMIntEQ, base, LLVMConstInt(e->i64, (unsigned long long)KILN_FOLD_SERIES, 1), "");
    LLVMBuildCondBr(B, is_series, glatch, done);
    free(mem);

    LLVMPositionBuilderAtEnd(B, glatch);
    LLVMValueRef gnext = LLVMBuildAdd(B, gg, LLVMConstInt(e->i64, 1, 0), "");
    LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntSLT, gnext, LLVMBuildSDiv(B, n, G, ""), ""), gloop, done);
    LLVMAddIncoming(g, (LLVMValueRef[]){zero, gnext}, (LLVMBasicBlockRef[]){series, glatch}, 2);
    LLVMAddIncoming(len, (LLVMValueRef[]){len0, nn}, (LLVMBasicBlockRef[]){series, glatch}, 2);
    LLVMPositionBuilderAtEnd(B, done);
    LLVMBuildRetVoid(B);
}

static void cpu_emit_reduce_kernel(emitter *e, const char *name) {
    const kernel_desc *kd = e->kd;
    int op = kd->reduce;
    bool arg = op_is_arg_reduce(op);
    kiln_dtype dt = (kiln_dtype)kd->inst[kd->out_inst[0]].dtype;
    LLVMTypeRef params[6] = {e->i64, e->ptr, e->ptr, e->ptr, e->ptr, e->i64};
    bool strided;
    LLVMValueRef fn = cpu_emit_function(e, name, params, 6, &strided);
    LLVMValueRef n = LLVMGetParam(fn, 0), accp = LLVMGetParam(fn, 4), base = LLVMGetParam(fn, 5);
    /* U vector accumulators (4 or more) hide the add latency; their lanes are host_reduce_lanes' */
    int W = cpu_lanes_for(e->cs, kd), U = host_reduce_lanes(kd, e->cs->vec_bytes) / W, bytes = arg ? 0 : cpu_byte_sum_lanes(e);
    if (bytes) W = bytes, U = 4;
    int AW = bytes ? W / 8 : W; /* an accumulator's lanes */
    enum { MAXU = 16 };
    KILN_ASSERT(U >= 1 && U <= MAXU);
    LLVMValueRef zero = LLVMConstInt(e->i64, 0, 0);
    LLVMValueRef nvec = strided ? zero : LLVMBuildAnd(B, n, LLVMConstInt(e->i64, (unsigned long long)-(int64_t)(W * U), 1), "nvec");
    LLVMBasicBlockRef entry = LLVMGetInsertBlock(B);
    LLVMBasicBlockRef vloop = LLVMAppendBasicBlockInContext(e->c, fn, arg ? "avec" : "vloop");
    LLVMBasicBlockRef vdone = LLVMAppendBasicBlockInContext(e->c, fn, "vdone");
    LLVMBasicBlockRef sloop = LLVMAppendBasicBlockInContext(e->c, fn, "sloop");
    LLVMBasicBlockRef fin = LLVMAppendBasicBlockInContext(e->c, fn, "fin");
    LLVMValueRef ident = cpu_reduce_identity(e, op, dt, AW);
    LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntSGT, nvec, zero, ""), vloop, vdone);
    LLVMValueRef r0, ri0 = NULL;
    LLVMBasicBlockRef from = vdone, vtail = NULL, vtlatch = NULL; /* (the block the scalar loop starts from; the vector tail's) */
    LLVMValueRef rt = NULL, rit = NULL;
    if (arg) { /* argmax/argmin: per lane, the best and where it came */
        LLVMPositionBuilderAtEnd(B, vloop);
        LLVMValueRef abest, aat;
        cpu_emit_arg_vector(e, fn, op, dt, nvec, W, U, &abest, &aat);
        aat = LLVMBuildAdd(B, base, aat, "");
        LLVMBasicBlockRef afound = LLVMGetInsertBlock(B);
        LLVMBuildBr(B, vdone);
        LLVMPositionBuilderAtEnd(B, vdone);
        r0 = LLVMBuildPhi(B, cpu_type(e, dt, 1), "");
        LLVMAddIncoming(r0, (LLVMValueRef[]){cpu_reduce_identity(e, op, dt, 1), abest}, (LLVMBasicBlockRef[]){entry, afound}, 2);
        ri0 = LLVMBuildPhi(B, e->i64, "");
        LLVMAddIncoming(ri0, (LLVMValueRef[]){LLVMConstInt(e->i64, (unsigned long long)-1, 1), aat}, (LLVMBasicBlockRef[]){entry, afound}, 2);
        if (!strided) { /* the rest W at a time, the last W ending at n (again over some: no order changes the answer) */
            vtail = LLVMAppendBasicBlockInContext(e->c, fn, "avtail");
            from = LLVMAppendBasicBlockInContext(e->c, fn, "ascalar");
            LLVMValueRef nw = LLVMBuildSub(B, n, LLVMConstInt(e->i64, (unsigned)W, 0), "");
            LLVMBuildCondBr(B, LLVMBuildAnd(B, LLVMBuildICmp(B, LLVMIntSLT, nvec, n, ""), LLVMBuildICmp(B, LLVMIntSGE, nw, zero, ""), ""), vtail, from);
            LLVMPositionBuilderAtEnd(B, vtail);
            LLVMValueRef p = LLVMBuildPhi(B, e->i64, "p");
            rt = LLVMBuildPhi(B, cpu_type(e, dt, 1), "");
            rit = LLVMBuildPhi(B, e->i64, "");
            LLVMValueRef rtphi = rt, ritphi = rit, q = sel(e, LLVMBuildICmp(B, LLVMIntSLT, p, nw, ""), p, nw);
            cpu_emit_values(e, q, W);
            /* its best by plain maxima (minima), its first lane holding it; or, where it has a NaN, its first NaN */
            kiln_op better = cpu_arg_better(op);
            LLVMTypeRef iw = LLVMIntTypeInContext(e->c, (unsigned)W);
            LLVMValueRef x = e->val[kd->out_inst[0]], vb = cpu_fold_lanes(e, better, dt, x, W);
            LLVMValueRef bits = LLVMBuildBitCast(B, cpu_emit_cmp(e, KILN_OP_EQ, dt, x, cpu_splat(e, vb, W)), iw, ""), nan = NULL;
            if (dtype_is_float(dt)) {
                LLVMValueRef nb = LLVMBuildBitCast(B, LLVMBuildFCmp(B, LLVMRealUNO, x, x, ""), iw, "");
                nan = LLVMBuildICmp(B, LLVMIntNE, nb, LLVMConstNull(iw), "");
                bits = sel(e, nan, nb, bits);
            }
            LLVMValueRef tz = cpu_intrinsic(e, "llvm.cttz", iw, (LLVMValueRef[]){bits, LLVMConstInt(e->i1, 1, 0)}, 2);
            if (nan) vb = sel(e, nan, LLVMBuildExtractElement(B, x, tz, ""), vb);
            cpu_arg_step(e, op, dt, &rt, &rit, vb, LLVMBuildAdd(B, base, LLVMBuildAdd(B, q, LLVMBuildZExt(B, tz, e->i64, ""), ""), ""), 1);
            LLVMValueRef pnext = LLVMBuildAdd(B, p, LLVMConstInt(e->i64, (unsigned)W, 0), "");
            vtlatch = LLVMGetInsertBlock(B);
            LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntSLT, pnext, n, ""), vtail, fin);
            LLVMAddIncoming(p, (LLVMValueRef[]){nvec, pnext}, (LLVMBasicBlockRef[]){vdone, vtlatch}, 2);
            LLVMAddIncoming(rtphi, (LLVMValueRef[]){r0, rt}, (LLVMBasicBlockRef[]){vdone, vtlatch}, 2);
            LLVMAddIncoming(ritphi, (LLVMValueRef[]){ri0, rit}, (LLVMBasicBlockRef[]){vdone, vtlatch}, 2);
            LLVMPositionBuilderAtEnd(B, from);
        }
    } else {
        /* the vector loop: U accumulators of W lanes */
        LLVMPositionBuilderAtEnd(B, vloop);
        LLVMValueRef i = LLVMBuildPhi(B, e->i64, "i"), acc[MAXU], acc_in[MAXU];
        for (int u = 0; u < U; u++) acc[u] = acc_in[u] = LLVMBuildPhi(B, cpu_type(e, dt, AW), "acc");
        for (int u = 0; u < U; u++) {
            LLVMValueRef iu = LLVMBuildAdd(B, i, LLVMConstInt(e->i64, (unsigned)(u * W), 0), "");
            cpu_emit_values(e, iu, W);
            LLVMValueRef v = bytes ? cpu_byte_sums(e, e->val[kd->inst[kd->out_inst[0]].arg[0]], W) : e->val[kd->out_inst[0]];
            acc[u] = cpu_reduce_step(e, op, dt, acc[u], v, AW);
        }
        LLVMValueRef inext = LLVMBuildAdd(B, i, LLVMConstInt(e->i64, (unsigned)(W * U), 0), "");
        LLVMBasicBlockRef vlatch = LLVMGetInsertBlock(B);
        LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntSLT, inext, nvec, ""), vloop, vdone);
        LLVMAddIncoming(i, (LLVMValueRef[]){zero, inext}, (LLVMBasicBlockRef[]){entry, vlatch}, 2);
        for (int u = 0; u < U; u++) LLVMAddIncoming(acc_in[u], (LLVMValueRef[]){ident, acc[u]}, (LLVMBasicBlockRef[]){entry, vlatch}, 2);

        LLVMPositionBuilderAtEnd(B, vdone);
        LLVMValueRef pa[MAXU];
        for (int u = 0; u < U; u++) { /* the phis first: they head the block */
            pa[u] = LLVMBuildPhi(B, cpu_type(e, dt, AW), "");
            LLVMAddIncoming(pa[u], (LLVMValueRef[]){ident, acc[u]}, (LLVMBasicBlockRef[]){entry, vlatch}, 2);
        }
        r0 = cpu_fold_tree(e, op, dt, pa, U, AW);
    }
    LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntSLT, nvec, n, ""), sloop, fin);

    /* the remaining elements, in order (everything when an operand is strided) */
    LLVMPositionBuilderAtEnd(B, sloop);
    LLVMValueRef j = LLVMBuildPhi(B, e->i64, "j"), r = LLVMBuildPhi(B, cpu_type(e, dt, 1), "r"), rphi = r;
    LLVMValueRef ri = arg ? LLVMBuildPhi(B, e->i64, "ri") : NULL, riphi = ri;
    cpu_emit_values(e, j, 1);
    LLVMValueRef v = e->val[kd->out_inst[0]];
    if (arg) cpu_arg_step(e, op, dt, &r, &ri, v, LLVMBuildAdd(B, base, j, ""), 1);
    else r = cpu_reduce_step(e, op, dt, r, v, 1);
    LLVMValueRef jnext = LLVMBuildAdd(B, j, LLVMConstInt(e->i64, 1, 0), "");
    LLVMBasicBlockRef slatch = LLVMGetInsertBlock(B);
    LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntSLT, jnext, n, ""), sloop, fin);
    LLVMAddIncoming(j, (LLVMValueRef[]){nvec, jnext}, (LLVMBasicBlockRef[]){from, slatch}, 2);
    LLVMAddIncoming(rphi, (LLVMValueRef[]){r0, r}, (LLVMBasicBlockRef[]){from, slatch}, 2);
    if (arg) LLVMAddIncoming(riphi, (LLVMValueRef[]){ri0, ri}, (LLVMBasicBlockRef[]){from, slatch}, 2);

    /* after what acc already holds */
    LLVMPositionBuilderAtEnd(B, fin);
    LLVMValueRef rf = LLVMBuildPhi(B, cpu_type(e, dt, 1), ""), rif = NULL;
    LLVMAddIncoming(rf, (LLVMValueRef[]){r0, r, rt}, (LLVMBasicBlockRef[]){from, slatch, vtlatch}, vtail ? 3 : 2);
    if (arg) {
        rif = LLVMBuildPhi(B, e->i64, "");
        LLVMAddIncoming(rif, (LLVMValueRef[]){ri0, ri, rit}, (LLVMBasicBlockRef[]){from, slatch, vtlatch}, vtail ? 3 : 2);
    }
    LLVMValueRef old = LLVMBuildLoad2(B, cpu_mem_type(e, dt, 1), accp, "");
    if (dt == KILN_BOOL) old = LLVMBuildICmp(B, LLVMIntNE, old, LLVMConstInt(e->i8, 0, 0), "");
    LLVMValueRef res;
    if (arg) {
        LLVMValueRef ip = LLVMBuildGEP2(B, e->i8, accp, (LLVMValueRef[]){LLVMConstInt(e->i64, 8, 0)}, 1, "");
        LLVMValueRef oldi = LLVMBuildLoad2(B, e->i64, ip, "");
        cpu_arg_step(e, op, dt, &old, &oldi, rf, rif, 1);
        LLVMBuildStore(B, oldi, ip);
        res = old;
    } else {
        res = cpu_reduce_step(e, op, dt, old, rf, 1);
    }
    if (dt == KILN_BOOL) res = LLVMBuildZExt(B, res, e->i8, "");
    LLVMBuildStore(B, res, accp);
    LLVMBuildRetVoid(B);
}
#undef B

/* ------------------------------------------------------------------ compile */

/* Emits kd as function `name` into a fresh module, verifies it and runs the pass pipeline;
 * adds the time of each phase to *t.  On success *tsc and *m are the caller's to dispose. */
static kiln_status cpu_build_module(cpu_state *cs, kiln_ctx *ctx, const kernel_desc *kd, const char *name,
                                    LLVMOrcThreadSafeContextRef *tsc_out, LLVMModuleRef *m_out, kiln_compile_times *t) {
    bool cold = !cs->jit;
    kiln_status st = cpu_start(cs, ctx);
    if (st != KILN_OK) return st;
    if (cold) t->start += cs->ns_start;
    int nops = kd->n_in + kd->n_out;
    emitter e = {.cs = cs, .kd = kd};
    e.base = kiln_calloc(ctx, (size_t)nops * sizeof *e.base);
    e.stride = kiln_calloc(ctx, (size_t)nops * sizeof *e.stride);
    e.bval = kiln_calloc(ctx, (size_t)nops * sizeof *e.bval);
    e.cval = kiln_calloc(ctx, (kd->n_const + 1u) * sizeof *e.cval);
    e.val = kiln_calloc(ctx, (kd->n_inst + 1u) * sizeof *e.val);
    e.dmagic = kiln_calloc(ctx, 3 * (kd->n_inst + 1u) * sizeof *e.dmagic);
    LLVMOrcThreadSafeContextRef tsc = NULL;
    if (!e.base || !e.stride || !e.bval || !e.cval || !e.val || !e.dmagic) {
        st = kiln_fail(ctx, KILN_ERR_NOMEM, "out of memory while compiling");
        goto out;
    }
    uint64_t t0 = kiln_now_ns();
    tsc = LLVMOrcCreateNewThreadSafeContext();
    e.c = LLVMOrcThreadSafeContextGetContext(tsc);
    e.m = LLVMModuleCreateWithNameInContext(name, e.c);
    LLVMSetTarget(e.m, cs->triple);
    LLVMTargetDataRef td = LLVMCreateTargetDataLayout(cs->tm);
    LLVMSetModuleDataLayout(e.m, td);
    LLVMDisposeTargetData(td);
    e.b = LLVMCreateBuilderInContext(e.c);
    e.i1 = LLVMInt1TypeInContext(e.c);
    e.i8 = LLVMInt8TypeInContext(e.c);
    e.i16 = LLVMInt16TypeInContext(e.c);
    e.i32 = LLVMInt32TypeInContext(e.c);
    e.i64 = LLVMInt64TypeInContext(e.c);
    e.f32 = LLVMFloatTypeInContext(e.c);
    e.f64 = LLVMDoubleTypeInContext(e.c);
    e.ptr = LLVMPointerTypeInContext(e.c, 0);
    if (kd_pairwise(kd)) cpu_emit_pairwise_kernel(&e, name);
    else if (kd->reduce) cpu_emit_reduce_kernel(&e, name);
    else cpu_emit_kernel(&e, name);
    LLVMDisposeBuilder(e.b);
    char *msg = NULL;
    if (LLVMVerifyModule(e.m, LLVMReturnStatusAction, &msg)) {
        st = kiln_fail(ctx, KILN_ERR_COMPILE, "kiln generated invalid LLVM IR (a kiln bug): %.400s", msg);
        LLVMDisposeMessage(msg);
        goto out;
    }
    LLVMDisposeMessage(msg);
    uint64_t t1 = kiln_now_ns();
    LLVMPassBuilderOptionsRef po = LLVMCreatePassBuilderOptions();
    LLVMErrorRef err = LLVMRunPasses(e.m, CPU_PIPELINE, cs->tm, po);
    LLVMDisposePassBuilderOptions(po);
    if (err) {
        st = llvm_fail(ctx, err, "optimizing a kernel");
        goto out;
    }
    t->emit += t1 - t0;
    t->opt += kiln_now_ns() - t1;
out:
    if (st != KILN_OK && e.m) LLVMDisposeModule(e.m);
    if (st != KILN_OK && tsc) LLVMOrcDisposeThreadSafeContext(tsc);
    if (st == KILN_OK) {
        *tsc_out = tsc;
        *m_out = e.m;
    }
    kiln_free(ctx, e.base);
    kiln_free(ctx, e.stride);
    kiln_free(ctx, e.bval);
    kiln_free(ctx, e.cval);
    kiln_free(ctx, e.val);
    kiln_free(ctx, e.dmagic);
    return st;
}

/* The optimized LLVM IR (KILN_DUMP_LLVM) and the machine code (KILN_DUMP_ASM) of kd. */
/* LLVM's allocations abort the process when they fail (std::bad_alloc, which its C API cannot
 * return), so it runs only where the address-space limit (ulimit -v) leaves room: a kernel's
 * compile grows the process by about 2 MB here, the JIT's start by less. */
#define CPU_ROOM_MB 32
static kiln_status cpu_room(kiln_ctx *ctx, const char *what) {
    double room = kiln_room_mb();
    if (room >= CPU_ROOM_MB) return KILN_OK;
    return kiln_fail(ctx, KILN_ERR_NOMEM,
                     "out of memory: kiln keeps %d MB of address space for LLVM to %s in, and the address-space limit "
                     "(ulimit -v) leaves %.0f MB; free arrays or raise the limit",
                     CPU_ROOM_MB, what, room < 0 ? 0 : room);
}

static kiln_status cpu_render(void *state, kiln_ctx *ctx, const kernel_desc *kd, int what, kstr *out) {
    cpu_state *cs = state;
    if (!(what & (KILN_DUMP_LLVM | KILN_DUMP_ASM | KILN_DUMP_SOURCE))) return KILN_OK;
    if (cpu_room(ctx, "render a kernel") != KILN_OK) return KILN_ERR_NOMEM;
    pthread_mutex_lock(&cs->lock);
    char name[64];
    snprintf(name, sizeof name, "kiln_dump%u", cs->counter++);
    LLVMOrcThreadSafeContextRef tsc;
    LLVMModuleRef m;
    kiln_compile_times t = {0};
    kiln_status st = cpu_build_module(cs, ctx, kd, name, &tsc, &m, &t);
    pthread_mutex_unlock(&cs->lock);
    if (st != KILN_OK) return st;
    if (what & (KILN_DUMP_LLVM | KILN_DUMP_SOURCE)) {
        char *ir = LLVMPrintModuleToString(m);
        kstr_puts(out, ir);
        LLVMDisposeMessage(ir);
    }
    if (what & KILN_DUMP_ASM) {
        LLVMMemoryBufferRef mb = NULL;
        char *emsg = NULL;
        if (!LLVMTargetMachineEmitToMemoryBuffer(cs->tm, m, LLVMAssemblyFile, &emsg, &mb)) {
            kstr_printf(out, "%.*s", (int)LLVMGetBufferSize(mb), LLVMGetBufferStart(mb));
            LLVMDisposeMemoryBuffer(mb);
        } else {
            kstr_printf(out, "(no assembly: %s)\n", emsg ? emsg : "?");
            LLVMDisposeMessage(emsg);
        }
    }
    LLVMDisposeModule(m);
    LLVMOrcDisposeThreadSafeContext(tsc);
    return KILN_OK;
}

/* Object code for kd (PIC, small code model): what the JIT links and the disk cache keeps. */
static kiln_status cpu_compile(void *state, kiln_ctx *ctx, const kernel_desc *kd, const char *name, void **bytes, size_t *len,
                               kiln_compile_times *t) {
    cpu_state *cs = state;
    if (cpu_room(ctx, "compile a kernel") != KILN_OK) return KILN_ERR_NOMEM;
    pthread_mutex_lock(&cs->lock);
    LLVMOrcThreadSafeContextRef tsc;
    LLVMModuleRef m;
    kiln_status st = cpu_build_module(cs, ctx, kd, name, &tsc, &m, t);
    pthread_mutex_unlock(&cs->lock);
    if (st != KILN_OK) return st;
    uint64_t t0 = kiln_now_ns();
    LLVMMemoryBufferRef mb = NULL;
    char *emsg = NULL;
    if (LLVMTargetMachineEmitToMemoryBuffer(cs->otm, m, LLVMObjectFile, &emsg, &mb)) {
        st = kiln_fail(ctx, KILN_ERR_COMPILE, "LLVM could not generate code for a kernel: %s", emsg ? emsg : "?");
        LLVMDisposeMessage(emsg);
    } else {
        *len = LLVMGetBufferSize(mb);
        *bytes = malloc(*len);
        if (*bytes) memcpy(*bytes, LLVMGetBufferStart(mb), *len);
        else st = kiln_fail(ctx, KILN_ERR_NOMEM, "out of memory (%zu bytes of object code)", *len);
        LLVMDisposeMemoryBuffer(mb);
    }
    LLVMDisposeModule(m);
    LLVMOrcDisposeThreadSafeContext(tsc);
    t->codegen += kiln_now_ns() - t0;
    return st;
}

static void cpu_row(const kiln_kernel *k, int64_t n, char *const *ptrs, const int64_t *strides, const kscalar *consts);
static void cpu_fold(const kiln_kernel *k, int64_t n, char *const *ptrs, const int64_t *strides, const kscalar *consts,
                     kscalar *acc, int64_t base);

/* Adds object code to the JIT and finds its kernel `name`. */
static kiln_status cpu_load(void *state, kiln_ctx *ctx, const void *obj, size_t len, const char *name, kiln_kernel **out) {
    cpu_state *cs = state;
    if (cpu_room(ctx, "load a kernel") != KILN_OK) return KILN_ERR_NOMEM;
    cpu_kernel *k = kiln_calloc(ctx, sizeof *k);
    if (!k) return KILN_ERR_NOMEM;
    pthread_mutex_lock(&cs->lock);
    kiln_status st = cpu_start(cs, ctx);
    if (st != KILN_OK) {
        pthread_mutex_unlock(&cs->lock);
        kiln_free(ctx, k);
        return st;
    }
    LLVMMemoryBufferRef mb = LLVMCreateMemoryBufferWithMemoryRangeCopy(obj, len, name);
    k->rt = LLVMOrcJITDylibCreateResourceTracker(LLVMOrcLLJITGetMainJITDylib(cs->jit));
    LLVMErrorRef err = LLVMOrcLLJITAddObjectFileWithRT(cs->jit, k->rt, mb);
    LLVMOrcExecutorAddress addr = 0;
    if (err) st = llvm_fail(ctx, err, "adding a kernel to the JIT");
    else if ((err = LLVMOrcLLJITLookup(cs->jit, &addr, name))) st = llvm_fail(ctx, err, "linking a kernel");
    if (st == KILN_OK) {
        k->head = (host_kernel){{&kiln_cpu_backend}, cpu_row, cpu_fold};
        k->fn = (void (*)(void))(uintptr_t)addr;
        k->next = cs->kernels;
        cs->kernels = k;
    }
    if (st != KILN_OK && k->rt) { /* nothing of it stays in the JIT */
        LLVMErrorRef e = LLVMOrcResourceTrackerRemove(k->rt);
        if (e) LLVMConsumeError(e);
        LLVMOrcReleaseResourceTracker(k->rt);
    }
    pthread_mutex_unlock(&cs->lock);
    if (st != KILN_OK) kiln_free(ctx, k);
    else *out = &k->head.head;
    return st;
}

static void cpu_unload(void *state, const kiln_kernel *kk) {
    cpu_state *cs = state;
    pthread_mutex_lock(&cs->lock);
    for (cpu_kernel **p = &cs->kernels; *p; p = &(*p)->next)
        if (&(*p)->head.head == kk) {
            cpu_kernel *k = *p;
            *p = k->next;
            LLVMErrorRef e = LLVMOrcResourceTrackerRemove(k->rt); /* its code and its symbol */
            if (e) LLVMConsumeError(e);
            LLVMOrcReleaseResourceTracker(k->rt);
            kiln_free(cs->ctx, k);
            break;
        }
    pthread_mutex_unlock(&cs->lock);
}

static const char *cpu_target(void *state) { return ((cpu_state *)state)->target; }
static const char *cpu_describe(void *state) { return ((cpu_state *)state)->describe; }

/* ------------------------------------------------------------------ launch */

static void cpu_row(const kiln_kernel *k, int64_t n, char *const *ptrs, const int64_t *strides, const kscalar *consts) {
    ((kiln_kernel_fn)((const cpu_kernel *)k)->fn)(n, ptrs, strides, consts);
}
static void cpu_fold(const kiln_kernel *k, int64_t n, char *const *ptrs, const int64_t *strides, const kscalar *consts,
                     kscalar *acc, int64_t base) {
    ((kiln_reduce_fn)((const cpu_kernel *)k)->fn)(n, ptrs, strides, consts, acc, base);
}

/* What kiln_build_info says of this backend without starting it: LLVM's version and the CPU. */
static char about[128];
static pthread_once_t about_once = PTHREAD_ONCE_INIT;

static void about_fill(void) {
    unsigned maj, min, patch;
    LLVMGetVersion(&maj, &min, &patch);
    char *cpu = LLVMGetHostCPUName();
    snprintf(about, sizeof about, "LLVM %u.%u.%u, %s", maj, min, patch, cpu);
    LLVMDisposeMessage(cpu);
}

static const char *cpu_about(void) {
    pthread_once(&about_once, about_fill);
    return about;
}

const kiln_backend_i kiln_cpu_backend = {
    .name = "cpu",
    .compiles = true,
    .disk_cache = true,
    .first_tier = "interp",
    .about = cpu_about,
    .init = cpu_init,
    .free = cpu_free,
    .target = cpu_target,
    .describe = cpu_describe,
    .supports = cpu_supports,
    .render = cpu_render,
    .compile = cpu_compile,
    .load = cpu_load,
    .ready = cpu_ready,
    .launch_map = host_launch_map,
    .launch_reduce = host_launch_reduce,
    .unload = cpu_unload,
    .launch_accumulate = host_launch_accumulate,
    .scan = host_scan,
    .gather = host_gather,
    .scatter = host_scatter,
    .rows = host_rows,
    .linalg = host_linalg,
    .gemm = host_gemm,
    .matmul = host_matmul,
};
