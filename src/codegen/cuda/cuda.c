/*
 * cuda.c — the CUDA backend: NVRTC, the driver API and cuBLAS, all loaded with dlopen.
 *
 * Pipeline position: codegen, behind the backend contract (codegen/backend.h), beside the LLVM
 * JIT and the interpreter.  kiln builds it everywhere: nothing of CUDA is needed to build or
 * link, and a machine without it gets one sentence when CUDA is asked for.
 *
 *     render   render.c: CUDA C (base/scalar.h pasted in front, so integer division, casts and
 *              ** are NumPy's, as on the CPU)
 *     compile  NVRTC (libnvrtc.so.13, else .so.12; KILN_NVRTC names another) → a CUBIN for the
 *              largest architecture NVRTC supports that the device has, or PTX when the device
 *              is newer than NVRTC (the driver then finishes it); the bytes go to the disk cache
 *              under a key holding NVRTC's version, the options and the target
 *     load     cuModuleLoadData (libcuda.so.1 only: the toolkit's stub answers every call with
 *              an error); an older driver's PTX refusal becomes a sentence saying so
 *     launch   maps and reductions on the device, over the device's copies of the operands'
 *              bytes (mirrors, in blocks from a caching pool): an input goes up only when the
 *              device's copy is not current, an output stays on the device until the runtime
 *              says the host reads it (cuda_sync: at the end of each evaluation for its results,
 *              at kiln_array_data, before a host step); temporaries never come back
 *     matmul   cuBLAS (libcublas.so.13, else .so.12) for float32 and float64, the epilogue
 *              right after; other products, scatter-adds and row passes run on the host
 *     routines scans and gathers: routines.cu, each kernel compiled on its first use (kept in
 *              the disk cache through kiln_base's blob hooks, as a map's 64-bit kernel is),
 *              launched over mirrors as kernels are
 *
 * Without a driver, KILN_CUDA_ARCH=sm_90 (or compute_90...) starts the backend compile-only:
 * every kernel renders, compiles with NVRTC (with KILN_CUDA_WIDE=1 a map's 64-bit kernel too) and loads as bytes, and
 * a launch fails with one sentence.  The tests compile the whole corpus that way on machines without a GPU.
 * KILN_CUDA_DUMP=dir keeps each program's CUDA C (.cu) and PTX (.ptx) there; KILN_LOG=cuda
 * prints the source and NVRTC's log of each compile on stderr; KILN_LOG=cuda-time a line per
 * launch: its uploads, the kernel (launch to completion) and its downloads, in milliseconds.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../host.h"
#include "cuda.h"
#include "codegen_id.h" /* KILN_CODEGEN_ID (generated: tools/codegen_id.cmake) */

extern const kiln_backend_i kiln_cuda_backend;

/* ------------------------------------------------------------------ the APIs, by hand */

typedef int CUresult;
typedef int CUdevice;
typedef struct CUctx_st *CUcontext;
typedef struct CUmod_st *CUmodule;
typedef struct CUfunc_st *CUfunction;
typedef struct CUstream_st *CUstream;
typedef unsigned long long CUdeviceptr;
enum {
    CU_OK = 0, CU_OOM = 2, CU_NO_DEVICE = 100, CU_PTX_VERSION = 222,
    ATTR_SMS = 16, ATTR_CC_MAJOR = 75, ATTR_CC_MINOR = 76,
};
typedef int nvrtcResult;
typedef struct _nvrtcProgram *nvrtcProgram;
typedef struct cublasContext *cublasHandle_t;
enum { CUBLAS_OP_N = 0, CUBLAS_OP_T = 1 };

static struct nvrtc_api {
    void *lib;
    char why[512]; /* when lib is NULL */
    int major, minor;
    int archs[64], narchs;
    const char *(*GetErrorString)(nvrtcResult);
    nvrtcResult (*Version)(int *, int *);
    nvrtcResult (*GetNumSupportedArchs)(int *);
    nvrtcResult (*GetSupportedArchs)(int *);
    nvrtcResult (*CreateProgram)(nvrtcProgram *, const char *, const char *, int, const char *const *, const char *const *);
    nvrtcResult (*DestroyProgram)(nvrtcProgram *);
    nvrtcResult (*CompileProgram)(nvrtcProgram, int, const char *const *);
    nvrtcResult (*GetProgramLogSize)(nvrtcProgram, size_t *);
    nvrtcResult (*GetProgramLog)(nvrtcProgram, char *);
    nvrtcResult (*GetPTXSize)(nvrtcProgram, size_t *);
    nvrtcResult (*GetPTX)(nvrtcProgram, char *);
    nvrtcResult (*GetCUBINSize)(nvrtcProgram, size_t *);
    nvrtcResult (*GetCUBIN)(nvrtcProgram, char *);
    nvrtcResult (*GetPCHCreateStatus)(nvrtcProgram); /* NVRTC 12.8 and later; else NULL */
} nv;

static struct cu_api {
    void *lib;
    char why[512];
    CUresult (*GetErrorName)(CUresult, const char **);
    CUresult (*GetErrorString)(CUresult, const char **);
    CUresult (*Init)(unsigned);
    CUresult (*DriverGetVersion)(int *);
    CUresult (*DeviceGetCount)(int *);
    CUresult (*DeviceGet)(CUdevice *, int);
    CUresult (*DeviceGetName)(char *, int, CUdevice);
    CUresult (*DeviceGetAttribute)(int *, int, CUdevice);
    CUresult (*DeviceTotalMem)(size_t *, CUdevice);
    CUresult (*DevicePrimaryCtxRetain)(CUcontext *, CUdevice);
    CUresult (*DevicePrimaryCtxRelease)(CUdevice);
    CUresult (*CtxSetCurrent)(CUcontext);
    CUresult (*CtxSynchronize)(void);
    CUresult (*ModuleLoadData)(CUmodule *, const void *);
    CUresult (*ModuleUnload)(CUmodule);
    CUresult (*ModuleGetFunction)(CUfunction *, CUmodule, const char *);
    CUresult (*MemAlloc)(CUdeviceptr *, size_t);
    CUresult (*MemFree)(CUdeviceptr);
    CUresult (*MemcpyHtoD)(CUdeviceptr, const void *, size_t);
    CUresult (*MemcpyDtoH)(void *, CUdeviceptr, size_t);
    CUresult (*LaunchKernel)(CUfunction, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, CUstream,
                             void **, void **);
} cu;

static struct cublas_api {
    void *lib;
    int version;
    int (*Create)(cublasHandle_t *);
    int (*Destroy)(cublasHandle_t);
    int (*GetVersion)(cublasHandle_t, int *);
    int (*Sgemm)(cublasHandle_t, int, int, int, int, int, const float *, const float *, int, const float *, int, const float *,
                 float *, int);
    int (*Dgemm)(cublasHandle_t, int, int, int, int, int, const double *, const double *, int, const double *, int,
                 const double *, double *, int);
} blas;

/* dlopen of the first of names that loads (env, when set, alone); the last error into why. */
static void *open_first(const char *env, const char *const *names, int n, char *why, size_t cap) {
    const char *e = getenv(env);
    if (e && *e) {
        names = &e;
        n = 1;
    }
    for (int i = 0; i < n; i++) {
        void *h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
        if (h) return h;
        snprintf(why, cap, "%s", dlerror());
    }
    return NULL;
}

#define SYM(api, h, field, name) (*(void **)&api.field = dlsym(h, name))

static pthread_once_t nv_once = PTHREAD_ONCE_INIT, cu_once = PTHREAD_ONCE_INIT, blas_once = PTHREAD_ONCE_INIT;

static void cu_load(void);

/* The CUDA major version of the driver (12 for 12.8), 0 without one: below 13, NVRTC and cuBLAS
 * 12 are tried first, since what NVRTC 13 makes needs a CUDA 13 driver (one of 12 refuses its
 * PTX; its CUBINs are not promised to load there) and cuBLAS 13 runs on none older. */
static int driver_major(void) {
    pthread_once(&cu_once, cu_load);
    int v = 0;
    return cu.lib && !cu.DriverGetVersion(&v) ? v / 1000 : 0;
}

static void nv_load(void) {
    static const char *const names[] = {"libnvrtc.so.13", "libnvrtc.so.12", "/usr/local/cuda/lib64/libnvrtc.so.13"};
    static const char *const cuda12[] = {"libnvrtc.so.12", "/usr/local/cuda/lib64/libnvrtc.so.12", "libnvrtc.so.13"};
    char err[400] = "";
    int dm = driver_major();
    void *h = open_first("KILN_NVRTC", dm && dm < 13 ? cuda12 : names, 3, err, sizeof err);
    if (!h) {
        snprintf(nv.why, sizeof nv.why, "kiln's CUDA backend needs NVRTC, and libnvrtc.so.13 (or .so.12, or $KILN_NVRTC) cannot be loaded: %s", err);
        return;
    }
    bool ok = SYM(nv, h, GetErrorString, "nvrtcGetErrorString") && SYM(nv, h, Version, "nvrtcVersion") &&
              SYM(nv, h, GetNumSupportedArchs, "nvrtcGetNumSupportedArchs") &&
              SYM(nv, h, GetSupportedArchs, "nvrtcGetSupportedArchs") && SYM(nv, h, CreateProgram, "nvrtcCreateProgram") &&
              SYM(nv, h, DestroyProgram, "nvrtcDestroyProgram") && SYM(nv, h, CompileProgram, "nvrtcCompileProgram") &&
              SYM(nv, h, GetProgramLogSize, "nvrtcGetProgramLogSize") && SYM(nv, h, GetProgramLog, "nvrtcGetProgramLog") &&
              SYM(nv, h, GetPTXSize, "nvrtcGetPTXSize") && SYM(nv, h, GetPTX, "nvrtcGetPTX") &&
              SYM(nv, h, GetCUBINSize, "nvrtcGetCUBINSize") && SYM(nv, h, GetCUBIN, "nvrtcGetCUBIN");
    int na = 0;
    if (!ok || nv.Version(&nv.major, &nv.minor) || nv.GetNumSupportedArchs(&na) || na < 1 || na > 64 ||
        nv.GetSupportedArchs(nv.archs)) {
        snprintf(nv.why, sizeof nv.why, "kiln's CUDA backend found an NVRTC without the functions it needs (NVRTC 12 or later)");
        dlclose(h);
        return;
    }
    SYM(nv, h, GetPCHCreateStatus, "nvrtcGetPCHCreateStatus");
    nv.narchs = na;
    nv.lib = h;
}

static void cu_load(void) {
    static const char *const names[] = {"libcuda.so.1"};
    char err[400] = "";
    void *h = open_first("KILN_CUDA_DRIVER", names, 1, err, sizeof err);
    if (!h) {
        snprintf(cu.why, sizeof cu.why, "kiln's CUDA backend needs the NVIDIA driver, and libcuda.so.1 cannot be loaded (%s): no GPU driver on this machine", err);
        return;
    }
    bool ok = SYM(cu, h, GetErrorName, "cuGetErrorName") && SYM(cu, h, GetErrorString, "cuGetErrorString") &&
              SYM(cu, h, Init, "cuInit") && SYM(cu, h, DriverGetVersion, "cuDriverGetVersion") &&
              SYM(cu, h, DeviceGetCount, "cuDeviceGetCount") && SYM(cu, h, DeviceGet, "cuDeviceGet") &&
              SYM(cu, h, DeviceGetName, "cuDeviceGetName") && SYM(cu, h, DeviceGetAttribute, "cuDeviceGetAttribute") &&
              SYM(cu, h, DeviceTotalMem, "cuDeviceTotalMem_v2") &&
              SYM(cu, h, DevicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain") &&
              SYM(cu, h, DevicePrimaryCtxRelease, "cuDevicePrimaryCtxRelease_v2") &&
              SYM(cu, h, CtxSetCurrent, "cuCtxSetCurrent") && SYM(cu, h, CtxSynchronize, "cuCtxSynchronize") &&
              SYM(cu, h, ModuleLoadData, "cuModuleLoadData") && SYM(cu, h, ModuleUnload, "cuModuleUnload") &&
              SYM(cu, h, ModuleGetFunction, "cuModuleGetFunction") && SYM(cu, h, MemAlloc, "cuMemAlloc_v2") &&
              SYM(cu, h, MemFree, "cuMemFree_v2") && SYM(cu, h, MemcpyHtoD, "cuMemcpyHtoD_v2") &&
              SYM(cu, h, MemcpyDtoH, "cuMemcpyDtoH_v2") && SYM(cu, h, LaunchKernel, "cuLaunchKernel");
    if (!ok) {
        snprintf(cu.why, sizeof cu.why, "kiln's CUDA backend found a libcuda.so.1 without the driver API it needs");
        dlclose(h);
        return;
    }
    cu.lib = h;
}

static void blas_load(void) {
    static const char *const names[] = {"libcublas.so.13", "libcublas.so.12"}, *const cuda12[] = {"libcublas.so.12", "libcublas.so.13"};
    char err[400];
    int dm = driver_major();
    void *h = open_first("KILN_CUBLAS", dm && dm < 13 ? cuda12 : names, 2, err, sizeof err);
    if (!h) return;
    if (SYM(blas, h, Create, "cublasCreate_v2") && SYM(blas, h, Destroy, "cublasDestroy_v2") &&
        SYM(blas, h, GetVersion, "cublasGetVersion_v2") && SYM(blas, h, Sgemm, "cublasSgemm_v2") &&
        SYM(blas, h, Dgemm, "cublasDgemm_v2"))
        blas.lib = h;
    else
        dlclose(h);
}

/* "CUDA_ERROR_NO_DEVICE (no CUDA-capable device is detected)" */
static const char *cu_text(CUresult r, char *buf, size_t cap) {
    static const struct {
        int code;
        const char *name, *str;
    } known[] = { /* for a driver that cannot name them (the stub cannot) */
        {2, "CUDA_ERROR_OUT_OF_MEMORY", "out of memory"},
        {3, "CUDA_ERROR_NOT_INITIALIZED", "initialization error"},
        {34, "CUDA_ERROR_STUB_LIBRARY", "the CUDA toolkit's stub libcuda was loaded instead of a real driver"},
        {35, "CUDA_ERROR_INSUFFICIENT_DRIVER", "the driver is older than the CUDA runtime"},
        {100, "CUDA_ERROR_NO_DEVICE", "no CUDA-capable device is detected"},
        {222, "CUDA_ERROR_UNSUPPORTED_PTX_VERSION", "the PTX was compiled with an unsupported toolchain"},
    };
    const char *name = NULL, *str = NULL;
    if (cu.GetErrorName && cu.GetErrorName(r, &name) != CU_OK) name = NULL;
    if (cu.GetErrorString && cu.GetErrorString(r, &str) != CU_OK) str = NULL;
    for (size_t i = 0; i < sizeof known / sizeof *known && (!name || !str); i++)
        if (known[i].code == r) {
            if (!name) name = known[i].name;
            if (!str) str = known[i].str;
        }
    if (name) snprintf(buf, cap, "%s (%s)", name, str ? str : "no description");
    else snprintf(buf, cap, "CUDA error %d", r);
    return buf;
}

/* ------------------------------------------------------------------ state */

#define POOL_CLASSES 48

/* A loaded CUBIN or PTX: the kernels of one NVRTC program share it (found by its bytes' hash
 * and length), and it is unloaded with the last of them. */
typedef struct cuda_module {
    uint64_t hash;
    size_t len;
    CUmodule mod;
    int refs;
    struct cuda_module *next;
} cuda_module;

typedef struct cuda_kernel {
    kiln_kernel head;
    cuda_module *mod;        /* NULL when compile-only */
    CUfunction fn, tree, rows;
    bool reduce;
    int n_in, n_out, n_const;
    const char *body;        /* a map's text but its kernel (NUL-terminated): its 64-bit kernel's source */
    cuda_module *wmod;       /* the 64-bit kernel's module and function, made at its first launch */
    CUfunction wfn;
    uint8_t *es;             /* n_in + n_out element sizes */
    char name[48];
    struct cuda_kernel *next;
} cuda_kernel;

/* The device's copies of host memory: each mirror holds host bytes [lo, hi) at dev; dev_ok
 * when the device's bytes are current, host_ok when the host's are (one at least always is).
 * dev lies as far into its block (256-aligned) as lo lies past a multiple of MIRROR_ALIGN, so
 * that every operand in it is as aligned on the device as on the host, up to a vector's 32
 * bytes (one buffer as float32 from byte 4 and as float64 from byte 8 is one mirror from byte
 * 4: a block's start there would put the float64 4 bytes off, which a GPU refuses). */
#define MIRROR_ALIGN 64
typedef struct mirror mirror;
struct mirror {
    char *lo, *hi;
    CUdeviceptr dev;
    bool dev_ok, host_ok;
    int pins;     /* launches using it now (it is not evicted or merged away meanwhile) */
    bool foreign; /* the caller's device memory (kiln_wrap_device): never freed or evicted */
};

/* Where a mirror of host bytes from lo starts in its device block; and a mirror's block. */
static size_t mirror_slack(const char *lo) { return (uintptr_t)lo % MIRROR_ALIGN; }
static CUdeviceptr mirror_block(const mirror *m) { return m->dev - mirror_slack(m->lo); }

typedef struct cuda_state {
    kiln_ctx *ctx;
    bool offline;            /* compile-only: no driver or no device, KILN_CUDA_ARCH set */
    char offline_why[640];
    CUdevice dev;
    CUcontext cuctx;
    int cc, sms, driver;
    char arch[32];           /* "sm_90" (a CUBIN) or "compute_100" (PTX) */
    bool ptx;
    bool fast_math;
    bool wide;               /* KILN_CUDA_WIDE=1 (for tests): every map launch in 64-bit indices (compile-only: every map's 64-bit kernel compiled) */
    int grid_per_sm;         /* a map's grid: at most this many blocks an SM (1024, a block a KC_BLOCK of
                                work items up to 10^7 and more: the grid part on an H100 found it 5-11%
                                faster than 16 and grid-stride loops; KILN_CUDA_BLOCKS_PER_SM for
                                tools/gpu_check.sh's grid part, which times others) */
    unsigned map_style;      /* how maps' vector paths are written (KC_MAP_*; KILN_CUDA_MAP, for
                                tools/gpu_check.sh's grid part too) */
    char devname[128];
    cublasHandle_t cublas;
    pthread_mutex_t lock;
    cuda_kernel *kernels;
    cuda_module *modules;
    mirror **mirrors;        /* the device's copies of host memory (see cuda_sync) */
    uint64_t bytes_up, bytes_down; /* copied so far, for KILN_LOG=cuda-time */
    int nmirrors, capmirrors;
    /* the device memory pool: free blocks of 2^c bytes */
    CUdeviceptr *free_[POOL_CLASSES];
    uint32_t nfree[POOL_CLASSES], capfree[POOL_CLASSES];
    char target[256], describe[1024];
    /* the fixed routines (routines.cu, named in routine_names), each made on first use under
     * rlock */
    pthread_mutex_t rlock;
    bool rmade[7];
    CUmodule rmod[7];
    CUfunction rfn[7];
} cuda_state;

static const char *cuda_about(void) { return "CUDA through NVRTC, loaded at run time"; }

/* "sm_90" or "compute_90" → 90; 0 when not one of those. */
static int arch_number(const char *a, bool *ptx) {
    int n = 0;
    if (!strncmp(a, "sm_", 3)) *ptx = false, a += 3;
    else if (!strncmp(a, "compute_", 8)) *ptx = true, a += 8;
    else return 0;
    if (sscanf(a, "%d", &n) != 1) return 0;
    return n;
}

static bool nvrtc_has(int a) {
    for (int i = 0; i < nv.narchs; i++)
        if (nv.archs[i] == a) return true;
    return false;
}

/* The architecture kiln compiles for on a device of compute capability cc: the largest NVRTC
 * supports that is at most cc, as a CUBIN; PTX of NVRTC's newest when the device is newer. */
static void pick_arch(cuda_state *s) {
    int best = 0, newest = 0;
    for (int i = 0; i < nv.narchs; i++) {
        if (nv.archs[i] <= s->cc && nv.archs[i] > best) best = nv.archs[i];
        if (nv.archs[i] > newest) newest = nv.archs[i];
    }
    s->ptx = s->cc > newest || !best;
    if (s->ptx) snprintf(s->arch, sizeof s->arch, "compute_%d", newest);
    else snprintf(s->arch, sizeof s->arch, "sm_%d", best);
}

/* NVRTC's options besides the architecture: the cache key holds them.  --split-compile=0
 * optimizes a program's kernels on all cores at once (a reduction's three kernels, a plan's
 * kernels): 890 → 640 ms for a map and two reductions; an NVRTC that does not know it
 * (nv_no_split) compiles the same code without it.  --fmad=false: a*b+c is a multiply and an
 * add, never contracted into an FMA (NVRTC's default contracts), so arithmetic gives the CPU
 * backends' bits, NumPy's; KILN_CUDA_FAST_MATH asks for --use_fast_math instead, which
 * contracts. */
static const char *const nvrtc_opts[] = {"--std=c++17", "-default-device", "--split-compile=0"};
static const char *const nvrtc_exact = "--fmad=false", *const nvrtc_fast = "--use_fast_math";
static atomic_bool nv_no_split;
enum { NVRTC_OUT_OF_MEMORY = 1, NVRTC_INVALID_OPTION = 5 }; /* NVRTC_ERROR_... */

/* KILN_CUDA_MAP's words (comma-separated: unroll, prefetch, v16, stream) into *style; false for another. */
static bool map_style(const char *v, unsigned *style) {
    *style = 0;
    while (*v) {
        size_t l = strcspn(v, ",");
        if (l == 6 && !strncmp(v, "unroll", l)) *style |= KC_MAP_UNROLL;
        else if (l == 8 && !strncmp(v, "prefetch", l)) *style |= KC_MAP_PREFETCH;
        else if (l == 3 && !strncmp(v, "v16", l)) *style |= KC_MAP_V16;
        else if (l == 6 && !strncmp(v, "stream", l)) *style |= KC_MAP_STREAM;
        else if (l) return false;
        v += l + (v[l] == ',');
    }
    return true;
}

static void fill_texts(cuda_state *s) {
    snprintf(s->target, sizeof s->target, "cuda %s codegen %s nvrtc %d.%d %s %s %s %s%s%s%s%s", s->arch, KILN_CODEGEN_ID, nv.major,
             nv.minor, nvrtc_opts[0], nvrtc_opts[1], nvrtc_opts[2], s->fast_math ? nvrtc_fast : nvrtc_exact,
             s->map_style & KC_MAP_UNROLL ? " map-unroll" : "", s->map_style & KC_MAP_PREFETCH ? " map-prefetch" : "",
             s->map_style & KC_MAP_V16 ? " map-v16" : "", s->map_style & KC_MAP_STREAM ? " map-stream" : "");
    if (s->ptx) { /* the driver finishes PTX: its version is part of what the bytes mean */
        size_t l = strlen(s->target);
        snprintf(s->target + l, sizeof s->target - l, " driver %d", s->driver);
    }
    if (s->offline) {
        snprintf(s->describe, sizeof s->describe, "CUDA compile-only for %s (NVRTC %d.%d; %s)", s->arch, nv.major, nv.minor,
                 s->offline_why);
        return;
    }
    snprintf(s->describe, sizeof s->describe, "CUDA on %s (compute capability %d.%d, %d SMs), driver %d.%d, NVRTC %d.%d → %s %s%s; products: %s",
             s->devname, s->cc / 10, s->cc % 10, s->sms, s->driver / 1000, s->driver % 1000 / 10, nv.major, nv.minor,
             s->ptx ? "PTX" : "CUBIN", s->arch, s->fast_math ? ", fast math" : "",
             s->cublas ? "cuBLAS" : "on the host (no cuBLAS)");
}

static void cuda_free(void *state);

static kiln_status cuda_init(kiln_ctx *ctx, void **state) {
    *state = NULL;
    pthread_once(&nv_once, nv_load);
    if (!nv.lib) return kiln_fail(ctx, KILN_ERR_BACKEND, "%s", nv.why);
    cuda_state *s = calloc(1, sizeof *s);
    if (!s) return kiln_fail(ctx, KILN_ERR_NOMEM, "out of memory");
    s->ctx = ctx;
    pthread_mutex_init(&s->lock, NULL);
    pthread_mutex_init(&s->rlock, NULL);
    const char *fm = getenv("KILN_CUDA_FAST_MATH");
    s->fast_math = fm && *fm && strcmp(fm, "0");
    const char *wd = getenv("KILN_CUDA_WIDE");
    s->wide = wd && *wd && strcmp(wd, "0");
    const char *bp = getenv("KILN_CUDA_BLOCKS_PER_SM");
    s->grid_per_sm = bp && atoi(bp) > 0 && atoi(bp) <= 1024 ? atoi(bp) : 1024;
    const char *ms = getenv("KILN_CUDA_MAP");
    if (ms && !map_style(ms, &s->map_style)) {
        cuda_free(s);
        return kiln_fail(ctx, KILN_ERR_BACKEND, "KILN_CUDA_MAP=%.40s: expected a comma list of unroll, prefetch, v16 and stream (or nothing)", ms);
    }
    const char *want = getenv("KILN_CUDA_ARCH");
    bool ptx = false;
    int wa = want && *want ? arch_number(want, &ptx) : 0;
    if (want && *want && (!wa || !nvrtc_has(wa))) {
        char list[256] = "";
        for (int i = 0, o = 0; i < nv.narchs && o < (int)sizeof list - 8; i++) o += snprintf(list + o, sizeof list - (size_t)o, "%s%d", i ? " " : "", nv.archs[i]);
        cuda_free(s);
        return kiln_fail(ctx, KILN_ERR_BACKEND, "KILN_CUDA_ARCH=%.40s is not an architecture NVRTC %d.%d compiles for (sm_NN or compute_NN with NN one of: %s)",
                         want, nv.major, nv.minor, list);
    }
    pthread_once(&cu_once, cu_load);
    char why[640] = "", e[200];
    CUresult r = 0;
    int count = 0;
    if (!cu.lib) snprintf(why, sizeof why, "%s", cu.why);
    else if ((r = cu.Init(0)) != CU_OK) snprintf(why, sizeof why, "kiln's CUDA backend could not start the driver: cuInit failed with %s", cu_text(r, e, sizeof e));
    else if ((r = cu.DeviceGetCount(&count)) != CU_OK || count < 1)
        snprintf(why, sizeof why, "kiln's CUDA backend found no GPU: %s", r ? cu_text(r, e, sizeof e) : "the driver reports 0 devices");
    if (*why) {
        if (!wa) {
            cuda_free(s);
            return kiln_fail(ctx, KILN_ERR_BACKEND, "%s (KILN_CUDA_ARCH=sm_90 compiles without one)", why);
        }
        s->offline = true;
        snprintf(s->offline_why, sizeof s->offline_why, "%s", why);
        snprintf(s->arch, sizeof s->arch, "%s", want);
        s->ptx = ptx;
        fill_texts(s);
        *state = s;
        return KILN_OK;
    }
    const char *devs = getenv("KILN_CUDA_DEVICE");
    int ordinal = devs && *devs ? atoi(devs) : 0;
    int major = 0, minor = 0;
    if (ordinal < 0 || ordinal >= count) {
        cuda_free(s);
        return kiln_fail(ctx, KILN_ERR_BACKEND, "KILN_CUDA_DEVICE=%d: this machine has %d GPU%s", ordinal, count, count == 1 ? "" : "s");
    }
    if ((r = cu.DeviceGet(&s->dev, ordinal)) || (r = cu.DeviceGetAttribute(&major, ATTR_CC_MAJOR, s->dev)) ||
        (r = cu.DeviceGetAttribute(&minor, ATTR_CC_MINOR, s->dev)) || (r = cu.DeviceGetAttribute(&s->sms, ATTR_SMS, s->dev)) ||
        (r = cu.DeviceGetName(s->devname, sizeof s->devname - 1, s->dev)) || (r = cu.DriverGetVersion(&s->driver)) ||
        (r = cu.DevicePrimaryCtxRetain(&s->cuctx, s->dev))) {
        cuda_free(s);
        return kiln_fail(ctx, KILN_ERR_BACKEND, "kiln's CUDA backend could not open GPU %d: %s", ordinal, cu_text(r, e, sizeof e));
    }
    s->cc = major * 10 + minor;
    if (wa) {
        snprintf(s->arch, sizeof s->arch, "%s", want);
        s->ptx = ptx;
    } else {
        pick_arch(s);
    }
    pthread_once(&blas_once, blas_load);
    cu.CtxSetCurrent(s->cuctx);
    if (blas.lib && blas.Create(&s->cublas) != 0) s->cublas = NULL;
    fill_texts(s);
    *state = s;
    return KILN_OK;
}

static void cuda_free(void *state) {
    cuda_state *s = state;
    if (!s) return;
    if (s->cuctx) cu.CtxSetCurrent(s->cuctx);
    for (cuda_kernel *k = s->kernels, *n; k; k = n) {
        n = k->next;
        free(k);
    }
    for (cuda_module *m = s->modules, *n; m; m = n) {
        n = m->next;
        cu.ModuleUnload(m->mod);
        free(m);
    }
    for (int i = 0; i < s->nmirrors; i++) {
        if (!s->mirrors[i]->foreign) cu.MemFree(mirror_block(s->mirrors[i]));
        free(s->mirrors[i]);
    }
    free(s->mirrors);
    for (int c = 0; c < POOL_CLASSES; c++) {
        for (uint32_t i = 0; i < s->nfree[c]; i++) cu.MemFree(s->free_[c][i]);
        free(s->free_[c]);
    }
    for (int i = 0; i < 7; i++)
        if (s->rmod[i]) cu.ModuleUnload(s->rmod[i]);
    if (s->cublas) blas.Destroy(s->cublas);
    if (s->cuctx) cu.DevicePrimaryCtxRelease(s->dev);
    pthread_mutex_destroy(&s->lock);
    pthread_mutex_destroy(&s->rlock);
    free(s);
}

static const char *cuda_target(void *state) { return ((cuda_state *)state)->target; }
static const char *cuda_describe(void *state) { return ((cuda_state *)state)->describe; }

static bool cuda_supports(void *state, const kernel_desc *kd) {
    KILN_UNUSED(state);
    return kc_renderable(kd);
}

static kiln_status cuda_render(void *state, kiln_ctx *ctx, const kernel_desc *kd, int what, kstr *out) {
    if (what != KILN_DUMP_SOURCE) return kiln_fail(ctx, KILN_ERR_BACKEND, "the CUDA backend shows its kernels as CUDA C (:cuda, KILN_DUMP_SOURCE)");
    kstr_printf(out, "/* after base/scalar.h (NumPy's scalar semantics) and kiln's CUDA preamble */\n");
    unsigned style = 0; /* the context's, or (NULL state: not started) KILN_CUDA_MAP's: where it
                           holds a word starting the backend would refuse, the default's */
    const char *ms = getenv("KILN_CUDA_MAP");
    if (state) style = ((cuda_state *)state)->map_style;
    else if (ms && !map_style(ms, &style)) style = 0;
    kc_render(kd, "kernel", false, style, out);
    return out->oom ? kiln_fail(ctx, KILN_ERR_NOMEM, "out of memory") : KILN_OK;
}

/* ------------------------------------------------------------------ compile and load */

/* Compiled bytes: this head, the operands' element sizes (n_in + n_out bytes), the CUBIN or
 * the PTX (with its NUL), then a map's body (kc_render_body, for its 64-bit kernel). */
#define BYTES_MAGIC 0x3555434bu /* "KCU5" */
typedef struct bytes_head {
    uint32_t magic;
    uint8_t ptx, reduce;
    uint16_t n_in, n_out, n_const;
    uint32_t body; /* a map's body after the payload: its length */
    uint64_t len;
} bytes_head;

/* KILN_CUDA_DUMP=dir: the program's source and PTX kept as dir/name.cu and dir/name.ptx. */
static void dump_file(const char *name, const char *ext, const char *p, size_t n) {
    const char *dir = getenv("KILN_CUDA_DUMP");
    if (!dir || !*dir) return;
    mkdir(dir, 0777);
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.%s", dir, name, ext);
    FILE *f = fopen(path, "w");
    if (!f) return;
    fwrite(p, 1, n, f);
    fclose(f);
}

/* Whether KILN_LOG's comma-separated list has word. */
static bool log_has(const char *word) {
    const char *l = getenv("KILN_LOG");
    size_t n = strlen(word);
    for (const char *p = l; p && *p; p += strcspn(p, ",") + (p[strcspn(p, ",")] == ',')) {
        while (*p == ' ') p++;
        if (!strncmp(p, word, n) && (p[n] == 0 || p[n] == ',' || p[n] == ' ')) return true;
    }
    return false;
}

static bool log_cuda(void) { return log_has("cuda"); }

bool kc_nvrtc_loaded(const char **why) {
    pthread_once(&nv_once, nv_load);
    *why = nv.lib ? NULL : nv.why;
    return nv.lib != NULL;
}

/* ------------------------------------------------------------------ the preamble, precompiled
 *
 * Every program of kiln's kernels begins with the same 28 KB: scalar.h and the preamble, which
 * NVRTC parses in about 40 ms of a sin kernel's 130.  NVRTC 12.8 and later precompile a header
 * (--create-pch, --use-pch), so from a process's second such program on, each is compiled as
 *     #include "kiln_preamble.cuh"     (the preamble, given to NVRTC as a header in memory)
 *     #line <its lines + 1>            (so that an error names the line of the whole program)
 *     <the rest of the program>
 * with the header precompiled (the second program makes it: a first one pays nothing for a
 * header no other program may use).  The PCH is made in a private directory, then opened and
 * removed with its directory: the file lives as long as the process holds it, named
 * /proc/self/fd/N, and no longer.  Only one a process, for the options of the program that made
 * it (NVRTC keeps the precompiled header's memory in one heap); programs of other options
 * (another architecture, fast math) compile whole, as every program does where NVRTC is older
 * or KILN_CUDA_PCH=0.  The PTX is the same either way (test_cuda.c compares), threads use it at
 * once (NVRTC serializes its parser), and a compile through it that fails is done again whole:
 * if that one succeeds, the PCH is dropped. */
enum { PCH_NONE, PCH_SEEN, PCH_MAKING, PCH_READY, PCH_OFF };
static struct {
    pthread_once_t once;
    pthread_mutex_t lock;
    kstr text; /* the preamble */
    int lines; /* its lines */
    int state; /* PCH_... */
    char arch[24];
    bool fast_math;
    int fd;                 /* PCH_READY: the PCH file, open */
    atomic_int made, uses; /* (kc_pch_counts) */
} pch = {PTHREAD_ONCE_INIT, PTHREAD_MUTEX_INITIALIZER, {0}, 0, PCH_NONE, "", false, -1, 0, 0};
static const char *const pch_header = "kiln_preamble.cuh";

static void pch_init(void) {
    kc_render_preamble(&pch.text);
    for (size_t i = 0; i < pch.text.len; i++) pch.lines += pch.text.s[i] == '\n';
    const char *e = getenv("KILN_CUDA_PCH");
    if (pch.text.oom || !nv.GetPCHCreateStatus || (e && !strcmp(e, "0"))) pch.state = PCH_OFF;
}

void kc_pch_counts(int *made, int *uses) {
    *made = atomic_load(&pch.made);
    *uses = atomic_load(&pch.uses);
}

enum { COMPILE_WHOLE, COMPILE_MAKE, COMPILE_USE };
/* How src (of arch, fast_math) is compiled: COMPILE_USE (with *fd), COMPILE_MAKE (the PCH made
 * into dir, a fresh directory) or COMPILE_WHOLE. */
static int pch_plan(const char *src, const char *arch, bool fast_math, char *dir, size_t cap, int *fd) {
    pthread_once(&pch.once, pch_init);
    if (pch.text.oom || strncmp(src, pch.text.s, pch.text.len)) return COMPILE_WHOLE;
    int how = COMPILE_WHOLE; /* (so too with the PCH off, or for another target or fast-math than its) */
    pthread_mutex_lock(&pch.lock);
    bool its = pch.state != PCH_NONE && pch.state != PCH_OFF && !strcmp(pch.arch, arch) && pch.fast_math == fast_math;
    if (pch.state == PCH_NONE) { /* the first program's target and options are the PCH's */
        pch.state = PCH_SEEN;
        snprintf(pch.arch, sizeof pch.arch, "%s", arch);
        pch.fast_math = fast_math;
    } else if (its && pch.state == PCH_READY) {
        how = COMPILE_USE;
        *fd = pch.fd;
    } else if (its && pch.state == PCH_SEEN) {
        const char *t = getenv("TMPDIR");
        snprintf(dir, cap, "%s/kiln-pch-XXXXXX", t && *t ? t : "/tmp");
        if (mkdtemp(dir)) {
            how = COMPILE_MAKE;
            pch.state = PCH_MAKING;
        } else {
            pch.state = PCH_OFF;
        }
    }
    pthread_mutex_unlock(&pch.lock);
    return how;
}

/* After a COMPILE_MAKE compile (r its result): the PCH kept, or PCH_OFF; dir removed. */
static void pch_made(nvrtcProgram prog, nvrtcResult r, const char *dir) {
    char path[600];
    snprintf(path, sizeof path, "%s/kiln.pch", dir);
    int fd = !r && !nv.GetPCHCreateStatus(prog) ? open(path, O_RDONLY | O_CLOEXEC) : -1;
    unlink(path);
    rmdir(dir);
    if (fd >= 0) { /* NVRTC opens it by that name: it must be there (no /proc, no PCH) */
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        if (access(path, R_OK)) close(fd), fd = -1;
    }
    pthread_mutex_lock(&pch.lock);
    pch.state = fd >= 0 ? PCH_READY : r ? PCH_SEEN : PCH_OFF; /* (a failed compile may be the program's fault) */
    pch.fd = fd;
    pthread_mutex_unlock(&pch.lock);
    if (fd >= 0) atomic_fetch_add(&pch.made, 1);
}

/* After a compile through the PCH failed and the whole program then compiled (ok): the PCH
 * dropped, since it failed a program that compiles. */
static void pch_failed(bool ok) {
    pthread_mutex_lock(&pch.lock);
    if (ok) pch.state = PCH_OFF; /* (its file left open: another thread may be reading it) */
    pthread_mutex_unlock(&pch.lock);
}

/* NVRTC over src (named name) with opts (n of them), and extra (NULL for none) after them; an
 * NVRTC without --split-compile (12.0, which refuses it) asked once, then left out. */
static nvrtcResult nvrtc_run(nvrtcProgram *prog, const char *src, const char *name, bool header, const char **opts, int n,
                             const char *extra) {
    const char *hsrc = pch.text.s;
    for (;;) {
        bool split = !atomic_load_explicit(&nv_no_split, memory_order_relaxed);
        const char *o[8];
        int k = 0;
        for (int i = 0; i < n; i++) o[k++] = opts[i];
        if (split) o[k++] = nvrtc_opts[2];
        if (extra) o[k++] = extra;
        nvrtcResult r = nv.CreateProgram(prog, src, name, header, header ? &hsrc : NULL, header ? &pch_header : NULL);
        if (r) return *prog = NULL, r;
        r = nv.CompileProgram(*prog, k, o);
        if (r != NVRTC_INVALID_OPTION || !split) return r;
        atomic_store(&nv_no_split, true);
        nv.DestroyProgram(prog);
    }
}

kiln_status kc_compile_source(kiln_ctx *ctx, const char *src, const char *name, const char *arch, bool fast_math, bool ptx,
                              char **out, size_t *len, uint64_t *ns) {
    pthread_once(&nv_once, nv_load);
    if (!nv.lib) return kiln_fail(ctx, KILN_ERR_BACKEND, "%s", nv.why);
    uint64_t t0 = kiln_now_ns();
    char archopt[48], dir[512], extra[640];
    snprintf(archopt, sizeof archopt, "--gpu-architecture=%s", arch);
    /* -w: no warnings (the preamble's unused functions were thousands of lines of log a compile) */
    const char *opts[5] = {archopt, nvrtc_opts[0], nvrtc_opts[1], fast_math ? nvrtc_fast : nvrtc_exact, "-w"};
    nvrtcProgram prog = NULL;
    nvrtcResult r;
    int fd = -1, how = pch_plan(src, arch, fast_math, dir, sizeof dir, &fd);
    if (how != COMPILE_WHOLE) {
        kstr rest = {0};
        kstr_printf(&rest, "#include \"%s\"\n#line %d\n%s", pch_header, pch.lines + 1, src + pch.text.len);
        if (how == COMPILE_MAKE) snprintf(extra, sizeof extra, "--create-pch=%s/kiln.pch", dir);
        else snprintf(extra, sizeof extra, "--use-pch=/proc/self/fd/%d", fd);
        r = rest.oom ? NVRTC_OUT_OF_MEMORY : nvrtc_run(&prog, rest.s, name, true, opts, 5, extra);
        kstr_free(&rest);
        if (how == COMPILE_MAKE) pch_made(prog, r, dir);
        else if (!r) atomic_fetch_add(&pch.uses, 1);
        if (r) { /* again, whole */
            if (prog) nv.DestroyProgram(&prog);
            r = nvrtc_run(&prog, src, name, false, opts, 5, NULL);
            if (how == COMPILE_USE || !r) pch_failed(!r);
        }
    } else {
        r = nvrtc_run(&prog, src, name, false, opts, 5, NULL);
    }
    if (!prog) return kiln_fail(ctx, KILN_ERR_COMPILE, "NVRTC could not take kernel %s: %s", name, nv.GetErrorString(r));
    size_t ll = 0;
    char *log = NULL;
    if (!nv.GetProgramLogSize(prog, &ll) && ll > 1 && (log = malloc(ll))) nv.GetProgramLog(prog, log);
    if (log_cuda()) fprintf(stderr, "kiln: cuda: %s for %s\n%s\n%s%s", name, arch, src, log ? log : "", log ? "\n" : "");
    if (r) {
        /* the log's first error line, with the program's name */
        const char *first = log ? log : nv.GetErrorString(r);
        const char *err = log ? strstr(log, "error") : NULL;
        if (err) {
            while (err > log && err[-1] != '\n') err--;
            first = err;
        }
        int fl = (int)strcspn(first, "\n");
        kiln_status st = kiln_fail(ctx, KILN_ERR_COMPILE,
                                   "NVRTC %d.%d could not compile kernel %s for %s: %.*s (KILN_LOG=cuda shows the source and the whole log)",
                                   nv.major, nv.minor, name, arch, fl > 400 ? 400 : fl, first);
        free(log);
        nv.DestroyProgram(&prog);
        return st;
    }
    free(log);
    size_t n = 0;
    r = ptx ? nv.GetPTXSize(prog, &n) : nv.GetCUBINSize(prog, &n);
    char *p = r || !n ? NULL : malloc(n + 1);
    if (!p || (ptx ? nv.GetPTX(prog, p) : nv.GetCUBIN(prog, p))) {
        free(p);
        nv.DestroyProgram(&prog);
        return kiln_fail(ctx, KILN_ERR_COMPILE, "NVRTC gave no %s for kernel %s", ptx ? "PTX" : "CUBIN", name);
    }
    p[n] = 0;
    if (getenv("KILN_CUDA_DUMP")) { /* the source, and the PTX (NVRTC keeps it beside a CUBIN) */
        dump_file(name, "cu", src, strlen(src));
        size_t pn = 0;
        char *px;
        if (ptx) dump_file(name, "ptx", p, strlen(p));
        else if (!nv.GetPTXSize(prog, &pn) && pn > 1 && (px = malloc(pn))) {
            if (!nv.GetPTX(prog, px)) dump_file(name, "ptx", px, strlen(px));
            free(px);
        }
    }
    nv.DestroyProgram(&prog);
    *out = p;
    *len = ptx ? strlen(p) + 1 : n;
    *ns += kiln_now_ns() - t0;
    return KILN_OK;
}

/* kd's bytes (kernel name): the head, the operands' element sizes, payload (n bytes), a map's
 * body; NULL when out of memory. */
static char *kernel_bytes(const cuda_state *s, const kernel_desc *kd, const char *name, const char *payload, size_t n, size_t *len) {
    int nops = kd->n_in + kd->n_out;
    kstr body = {0};
    if (!kd->reduce) kc_render_body(kd, name, s->map_style, &body);
    char *b = body.oom ? NULL : malloc(sizeof(bytes_head) + (size_t)nops + n + body.len);
    if (!b) {
        kstr_free(&body);
        return NULL;
    }
    bytes_head h = {BYTES_MAGIC, s->ptx, kd->reduce != 0, kd->n_in, kd->n_out, kd->n_const, (uint32_t)body.len, (uint64_t)n};
    memcpy(b, &h, sizeof h);
    for (int k = 0; k < nops; k++) b[sizeof h + (size_t)k] = (char)kiln_dtype_size(kd_slot_dtype(kd, k));
    memcpy(b + sizeof h + nops, payload, n);
    if (body.len) memcpy(b + sizeof h + nops + n, body.s, body.len);
    *len = sizeof h + (size_t)nops + n + body.len;
    kstr_free(&body);
    return b;
}

/* The program of map name's 64-bit kernel (nops operands, nconst constants) from its body
 * (blen bytes), into src, and the kernel's name (name_w) into wname (64 bytes). */
static void wide_source(const char *name, int nops, int nconst, const char *body, size_t blen, kstr *src, char *wname) {
    snprintf(wname, 64, "%s_w", name);
    kc_render_preamble(src);
    kstr_printf(src, "%.*s", (int)blen, body);
    kc_map_entry(name, nops, nconst, true, src);
}

/* One NVRTC program holding kernels kds[0..n) (names[i]), named after the first: each kernel's
 * bytes carry the whole CUBIN (or PTX), which cuda_load shares between them as one module. */
static kiln_status cuda_compile_many(void *state, kiln_ctx *ctx, int n, const kernel_desc *kds, const char *const *names,
                                     void **bytes, size_t *lens, kiln_compile_times *t) {
    cuda_state *s = state;
    uint64_t t0 = kiln_now_ns();
    kstr src = {0};
    kc_render(&kds[0], names[0], true, s->map_style, &src);
    for (int i = 1; i < n; i++) kc_render(&kds[i], names[i], false, s->map_style, &src);
    t->emit += kiln_now_ns() - t0;
    if (src.oom) {
        kstr_free(&src);
        return kiln_fail(ctx, KILN_ERR_NOMEM, "out of memory");
    }
    char *payload, prog[80];
    size_t np;
    uint64_t h = KILN_HASH_SEED; /* a program of several: the first kernel's name, how many more, all of their names' hash */
    for (int i = 0; i < n; i++) h = kiln_hash_bytes(h, names[i], strlen(names[i]));
    if (n > 1) snprintf(prog, sizeof prog, "%s_and_%d_%08x", names[0], n - 1, (unsigned)h);
    else snprintf(prog, sizeof prog, "%s", names[0]);
    kiln_status st = kc_compile_source(ctx, src.s, prog, s->arch, s->fast_math, s->ptx, &payload, &np, &t->codegen);
    kstr_free(&src);
    if (st != KILN_OK) return st;
    for (int i = 0; i < n && st == KILN_OK; i++)
        if (!(bytes[i] = kernel_bytes(s, &kds[i], names[i], payload, np, &lens[i]))) {
            for (int j = 0; j < i; j++) free(bytes[j]), bytes[j] = NULL;
            st = kiln_fail(ctx, KILN_ERR_NOMEM, "out of memory");
        }
    free(payload);
    /* compile-only with KILN_CUDA_WIDE=1 (the tests without a GPU), where the 64-bit kernels
     * are the ones launches would run: each map's too, which a launch compiles only when it needs
     * it, so that NVRTC and ptxas see it */
    for (int i = 0; i < n && st == KILN_OK && s->offline && s->wide; i++) {
        if (kds[i].reduce) continue;
        int nops = kds[i].n_in + kds[i].n_out;
        size_t at = sizeof(bytes_head) + (size_t)nops + np; /* (the body, after the payload) */
        char *wp = NULL, wname[64];
        size_t wn;
        uint64_t ns = 0;
        kstr ws = {0};
        wide_source(names[i], nops, kds[i].n_const, (const char *)bytes[i] + at, lens[i] - at, &ws, wname);
        st = ws.oom ? kiln_fail(ctx, KILN_ERR_NOMEM, "out of memory")
                    : kc_compile_source(ctx, ws.s, wname, s->arch, s->fast_math, s->ptx, &wp, &wn, &ns);
        kstr_free(&ws);
        free(wp);
        if (st != KILN_OK)
            for (int j = 0; j < n; j++) free(bytes[j]), bytes[j] = NULL;
    }
    return st;
}

static kiln_status cuda_compile(void *state, kiln_ctx *ctx, const kernel_desc *kd, const char *name, void **bytes, size_t *len,
                                kiln_compile_times *t) {
    return cuda_compile_many(state, ctx, 1, kd, &name, bytes, len, t);
}

/* The module of a payload of len bytes (under s->lock): the one already loaded from the same
 * bytes (the kernels of one program), else a new one; a reference the kernel drops with
 * module_put.  Bytes are told apart by length and a 64-bit hash (the payload is not kept): two
 * programs that collided would fail to find a kernel's name, an error, never a wrong kernel. */
static CUresult module_get(cuda_state *s, const char *payload, size_t len, cuda_module **out) {
    uint64_t h = kiln_hash_bytes(KILN_HASH_SEED, payload, len);
    for (cuda_module *m = s->modules; m; m = m->next)
        if (m->hash == h && m->len == len) {
            m->refs++;
            *out = m;
            return CU_OK;
        }
    cuda_module *m = calloc(1, sizeof *m);
    if (!m) return CU_OOM;
    CUresult r = cu.ModuleLoadData(&m->mod, payload);
    if (r != CU_OK) {
        free(m);
        return r;
    }
    *m = (cuda_module){.hash = h, .len = len, .mod = m->mod, .refs = 1, .next = s->modules};
    s->modules = m;
    *out = m;
    return CU_OK;
}

/* Drops a kernel's reference to m (under s->lock); the last unloads it. */
static void module_put(cuda_state *s, cuda_module *m) {
    if (!m || --m->refs > 0) return;
    for (cuda_module **p = &s->modules; *p; p = &(*p)->next)
        if (*p == m) {
            *p = m->next;
            break;
        }
    cu.CtxSetCurrent(s->cuctx);
    cu.ModuleUnload(m->mod);
    free(m);
}

/* Whether n bytes can be what NVRTC made: PTX (text ending in its one NUL) or a CUBIN (an ELF). */
static bool payload_ok(bool ptx, const char *p, size_t n) {
    return ptx ? n > 0 && memchr(p, 0, n) == p + n - 1 : n >= 4 && !memcmp(p, "\177ELF", 4);
}

/* The sentence for a module or function the driver would not load: an older driver's refusal
 * of NVRTC's PTX says so. */
static kiln_status load_fail(const cuda_state *s, kiln_ctx *ctx, const char *name, CUresult r) {
    char e[200];
    if (r == CU_PTX_VERSION)
        return kiln_fail(ctx, KILN_ERR_BACKEND,
                         "the NVIDIA driver (CUDA %d.%d) is older than NVRTC %d.%d and refuses its PTX; update the driver, or use an NVRTC no newer than it (KILN_NVRTC)",
                         s->driver / 1000, s->driver % 1000 / 10, nv.major, nv.minor);
    return kiln_fail(ctx, KILN_ERR_COMPILE, "CUDA could not load kernel %s: %s", name, cu_text(r, e, sizeof e));
}

static kiln_status cuda_load(void *state, kiln_ctx *ctx, const void *bytes, size_t len, const char *name, kiln_kernel **out) {
    cuda_state *s = state;
    bytes_head h;
    if (len < sizeof h) return kiln_fail(ctx, KILN_ERR_COMPILE, "CUDA kernel %s: damaged bytes (%zu)", name, len);
    memcpy(&h, bytes, sizeof h);
    size_t nops = (size_t)h.n_in + h.n_out;
    if (h.magic != BYTES_MAGIC || len < sizeof h + nops || h.len > len - sizeof h - nops || h.body != len - sizeof h - nops - h.len ||
        h.ptx > 1 || (bool)h.ptx != s->ptx || h.n_out < 1 || (h.body != 0) == (h.reduce != 0) ||
        memchr((const char *)bytes + sizeof h + nops + h.len, 0, h.body))
        return kiln_fail(ctx, KILN_ERR_COMPILE, "CUDA kernel %s: damaged bytes", name);
    const uint8_t *es = (const uint8_t *)bytes + sizeof h;
    const char *payload = (const char *)bytes + sizeof h + nops;
    for (size_t k = 0; k < nops; k++)
        if (es[k] != 1 && es[k] != 2 && es[k] != 4 && es[k] != 8) return kiln_fail(ctx, KILN_ERR_COMPILE, "CUDA kernel %s: damaged bytes", name);
    if (!payload_ok(h.ptx, payload, h.len)) return kiln_fail(ctx, KILN_ERR_COMPILE, "CUDA kernel %s: damaged %s", name, h.ptx ? "PTX" : "CUBIN");
    cuda_kernel *k = calloc(1, sizeof *k + nops + h.body + 1);
    if (!k) return kiln_fail(ctx, KILN_ERR_NOMEM, "out of memory");
    memcpy((char *)(k + 1) + nops, payload + h.len, h.body);
    k->body = (const char *)(k + 1) + nops;
    k->head.backend = &kiln_cuda_backend;
    k->reduce = h.reduce;
    k->n_in = h.n_in;
    k->n_out = h.n_out;
    k->n_const = h.n_const;
    k->es = (uint8_t *)(k + 1);
    memcpy(k->es, es, nops);
    snprintf(k->name, sizeof k->name, "%s", name);
    if (!s->offline) {
        char fn[64];
        cu.CtxSetCurrent(s->cuctx); /* this thread's first CUDA call may be this one */
        pthread_mutex_lock(&s->lock);
        CUresult r = module_get(s, payload, h.len, &k->mod);
        if (r == CU_OK) r = cu.ModuleGetFunction(&k->fn, k->mod->mod, name);
        if (r == CU_OK && k->reduce) {
            snprintf(fn, sizeof fn, "%s_tree", name);
            r = cu.ModuleGetFunction(&k->tree, k->mod->mod, fn);
            snprintf(fn, sizeof fn, "%s_rows", name);
            if (r == CU_OK) r = cu.ModuleGetFunction(&k->rows, k->mod->mod, fn);
        }
        if (r != CU_OK) module_put(s, k->mod);
        pthread_mutex_unlock(&s->lock);
        if (r != CU_OK) {
            free(k);
            return load_fail(s, ctx, name, r);
        }
    }
    pthread_mutex_lock(&s->lock);
    k->next = s->kernels;
    s->kernels = k;
    pthread_mutex_unlock(&s->lock);
    *out = &k->head;
    return KILN_OK;
}

static void cuda_unload(void *state, const kiln_kernel *kk) {
    cuda_state *s = state;
    pthread_mutex_lock(&s->lock);
    for (cuda_kernel **p = &s->kernels; *p; p = &(*p)->next)
        if (&(*p)->head == kk) {
            cuda_kernel *k = *p;
            *p = k->next;
            if (k->mod) module_put(s, k->mod);
            if (k->wmod) module_put(s, k->wmod);
            free(k);
            break;
        }
    pthread_mutex_unlock(&s->lock);
}

/* ------------------------------------------------------------------ device memory */

static int pool_class(size_t n) {
    int c = 9; /* 512 bytes at least */
    while (c < POOL_CLASSES - 1 && ((size_t)1 << c) < n) c++;
    return c;
}

/* A device block of at least n bytes from the pool (s->lock held). */
static CUresult pool_get(cuda_state *s, size_t n, CUdeviceptr *p) {
    int c = pool_class(n);
    if (s->nfree[c]) {
        *p = s->free_[c][--s->nfree[c]];
        return CU_OK;
    }
    CUresult r = cu.MemAlloc(p, (size_t)1 << c);
    if (r == CU_OOM) { /* give the cached blocks back and try once more */
        for (int k = 0; k < POOL_CLASSES; k++) {
            for (uint32_t i = 0; i < s->nfree[k]; i++) cu.MemFree(s->free_[k][i]);
            s->nfree[k] = 0;
        }
        r = cu.MemAlloc(p, (size_t)1 << c);
    }
    return r;
}

static void pool_put(cuda_state *s, size_t n, CUdeviceptr p) {
    int c = pool_class(n);
    if (s->nfree[c] == s->capfree[c]) {
        uint32_t cap = s->capfree[c] ? 2 * s->capfree[c] : 8;
        CUdeviceptr *q = realloc(s->free_[c], cap * sizeof *q);
        if (!q) {
            cu.MemFree(p);
            return;
        }
        s->free_[c] = q;
        s->capfree[c] = cap;
    }
    s->free_[c][s->nfree[c]++] = p;
}

/* The device's copies of host memory: each mirror holds host bytes [lo, hi) at dev; dev_ok
 * when the device's bytes are current, host_ok when the host's are (one at least always is).
 * A kernel's outputs leave their mirrors fresher than the host (host_ok false) until the
 * runtime says the host reads them (cuda_sync); inputs are copied up only when the device's
 * copy is not current.  Mirrors never overlap: a launch whose operands overlap mirrors
 * partly (a view and its base met in another order) merges them into one first. */

/* One operand of a launch: what it touches, and once staged its mirror and device address. */
typedef struct staged {
    char *p, *lo, *hi;
    bool out, dense; /* written by the launch; every byte of [lo, hi) written */
    mirror *m;
    CUdeviceptr dev; /* p's address on the device */
} staged;

typedef struct staging {
    cuda_state *s;
    int n, cap;
    staged *v;
    staged inline_[KILN_INLINE_OPERANDS];
} staging;

/* Host bytes to the device, counted for KILN_LOG=cuda-time (s->lock held). */
static CUresult copy_up(cuda_state *s, CUdeviceptr d, const void *h, size_t n) {
    s->bytes_up += n;
    return cu.MemcpyHtoD(d, h, n);
}

static CUresult mirror_down(cuda_state *s, mirror *m) { /* the device's fresher bytes to the host */
    CUresult r = CU_OK;
    if (m->dev_ok && !m->host_ok) {
        s->bytes_down += (uint64_t)(m->hi - m->lo);
        r = cu.MemcpyDtoH(m->lo, m->dev, (size_t)(m->hi - m->lo));
    }
    if (r == CU_OK) m->host_ok = true;
    return r;
}

static void mirror_drop(cuda_state *s, int i) {
    mirror *m = s->mirrors[i];
    if (!m->foreign) pool_put(s, (size_t)(m->hi - m->lo) + mirror_slack(m->lo), mirror_block(m));
    free(m);
    s->mirrors[i] = s->mirrors[--s->nmirrors];
}

/* A device block of n bytes; when the device is full, unpinned mirrors are evicted (their
 * fresher bytes brought back first), largest first. */
static CUresult block_get(cuda_state *s, size_t n, CUdeviceptr *p) {
    for (;;) {
        CUresult r = pool_get(s, n, p);
        if (r != CU_OOM) return r;
        int victim = -1;
        for (int i = 0; i < s->nmirrors; i++)
            if (!s->mirrors[i]->pins && !s->mirrors[i]->foreign && (victim < 0 || s->mirrors[i]->hi - s->mirrors[i]->lo > s->mirrors[victim]->hi - s->mirrors[victim]->lo))
                victim = i;
        if (victim < 0) return r;
        if ((r = mirror_down(s, s->mirrors[victim])) != CU_OK) return r;
        mirror_drop(s, victim);
    }
}

/* Room for one more mirror in s->mirrors. */
static bool mirrors_room(cuda_state *s) {
    if (s->nmirrors < s->capmirrors) return true;
    int cap = s->capmirrors ? 2 * s->capmirrors : 64;
    mirror **v = realloc(s->mirrors, (size_t)cap * sizeof *v);
    if (!v) return false;
    s->mirrors = v;
    s->capmirrors = cap;
    return true;
}

/* Operand p of a launch touches host bytes [p + lo, p + hi); out: the launch writes them (every
 * byte of them when dense). */
static void want(staging *sg, char *p, int64_t lo, int64_t hi, bool out, bool dense) {
    staged *x = &sg->v[sg->n++];
    *x = (staged){.p = p, .lo = p + lo, .hi = p + hi, .out = out, .dense = dense};
}

/* A mirror holding [a, b), made from the mirrors it overlaps (none pinned) and the host. */
static CUresult mirror_for(cuda_state *s, char *a, char *b, bool write_all, mirror **out) {
    for (int i = 0; i < s->nmirrors; i++) {
        mirror *m = s->mirrors[i];
        if (a >= m->lo && b <= m->hi) {
            CUresult r = CU_OK;
            if (!m->dev_ok && !(write_all && m->lo == a && m->hi == b)) r = copy_up(s, m->dev, m->lo, (size_t)(m->hi - m->lo));
            if (r == CU_OK) m->dev_ok = true;
            *out = m;
            return r;
        }
    }
    for (int i = 0; i < s->nmirrors;) { /* overlapping ones: to the host, then one mirror of all */
        mirror *m = s->mirrors[i];
        if (m->lo < b && a < m->hi) {
            KILN_ASSERT(!m->pins);
            if (m->foreign) return 1; /* CUDA_ERROR_INVALID_VALUE: a range reaching out of the caller's memory */
            CUresult r = mirror_down(s, m);
            if (r != CU_OK) return r;
            if (m->lo < a) a = m->lo;
            if (m->hi > b) b = m->hi;
            write_all = false;
            mirror_drop(s, i);
        } else {
            i++;
        }
    }
    if (!mirrors_room(s)) return CU_OOM;
    mirror *m = calloc(1, sizeof *m);
    if (!m) return CU_OOM;
    m->lo = a;
    m->hi = b;
    size_t slack = mirror_slack(a);
    CUdeviceptr block = 0;
    CUresult r = block_get(s, (size_t)(b - a) + slack, &block);
    m->dev = block + slack;
    if (r == CU_OK && !write_all) r = copy_up(s, m->dev, a, (size_t)(b - a));
    if (r != CU_OK) {
        if (block) pool_put(s, (size_t)(b - a) + slack, block);
        free(m);
        return r;
    }
    m->dev_ok = true;
    m->host_ok = !write_all;
    s->mirrors[s->nmirrors++] = m;
    *out = m;
    return CU_OK;
}

/* Every operand wanted: operands that overlap are staged as one range (their union), so that
 * no mirror is merged away under an operand already given its address. */
static CUresult stage_all(staging *sg) {
    cuda_state *s = sg->s;
    for (int i = 0; i < sg->n; i++) {
        staged *x = &sg->v[i];
        if (x->hi <= x->lo || x->m) continue;
        char *a = x->lo, *b = x->hi;
        bool write_all = x->out && x->dense;
        /* the union of the operands and mirrors overlapping it, and of those overlapping them: a
         * mirror already pinned by this launch overlaps none of them (it took every operand
         * overlapping it, and mirrors never overlap), so mirror_for merges only unpinned ones */
        for (bool grew = true; grew;) {
            grew = false;
            for (int j = i + 1; j < sg->n; j++) {
                staged *y = &sg->v[j];
                if (!y->m && y->hi > y->lo && y->lo < b && a < y->hi && (y->lo < a || y->hi > b)) {
                    a = y->lo < a ? y->lo : a;
                    b = y->hi > b ? y->hi : b;
                    write_all = false;
                    grew = true;
                }
            }
            for (int k = 0; k < s->nmirrors; k++) {
                mirror *m = s->mirrors[k];
                if (m->lo < b && a < m->hi && !(a >= m->lo && b <= m->hi) && (m->lo < a || m->hi > b)) {
                    a = m->lo < a ? m->lo : a;
                    b = m->hi > b ? m->hi : b;
                    write_all = false;
                    grew = true;
                }
            }
        }
        for (int j = i + 1; j < sg->n; j++)
            if (sg->v[j].hi > sg->v[j].lo && sg->v[j].lo < b && a < sg->v[j].hi) write_all = write_all && sg->v[j].out && sg->v[j].dense;
        mirror *m;
        CUresult r = mirror_for(s, a, b, write_all && x->lo == a && x->hi == b, &m);
        if (r != CU_OK) return r;
        for (int j = i; j < sg->n; j++) {
            staged *y = &sg->v[j];
            if (y->hi > y->lo && !y->m && y->lo >= m->lo && y->hi <= m->hi) {
                y->m = m;
                m->pins++;
            }
        }
    }
    for (int i = 0; i < sg->n; i++) {
        staged *x = &sg->v[i];
        x->dev = x->m ? x->m->dev + (CUdeviceptr)(x->p - x->m->lo) : 0;
    }
    return CU_OK;
}

static bool staging_init(staging *sg, cuda_state *s, int nops) {
    sg->s = s;
    sg->n = 0;
    sg->cap = nops;
    sg->v = nops <= KILN_INLINE_OPERANDS ? sg->inline_ : malloc((size_t)nops * sizeof *sg->v);
    return sg->v != NULL;
}

/* After the launch: its outputs' mirrors are fresher than the host, and nothing is pinned. */
static CUresult staging_end(staging *sg, CUresult r) {
    for (int i = 0; i < sg->n; i++) {
        staged *x = &sg->v[i];
        if (!x->m) continue;
        if (x->out && r == CU_OK) { /* a failed launch leaves the flags as they were: its output is unspecified */
            x->m->dev_ok = true;
            x->m->host_ok = false;
        }
        if (x->m->pins > 0) x->m->pins--;
    }
    if (sg->v != sg->inline_) free(sg->v);
    return r;
}

static bool log_times(void) {
    static int on = -1;
    if (on < 0) on = log_has("cuda-time");
    return on;
}

/* cuda_sync: the runtime's word on host bytes [p, p + len) (all of them when p is NULL). */
static void cuda_sync(void *state, kiln_ctx *ctx, const void *p, size_t len, int how) {
    cuda_state *s = state;
    if (s->offline) return;
    const char *a = p, *b = a + len;
    pthread_mutex_lock(&s->lock);
    cu.CtxSetCurrent(s->cuctx);
    uint64_t t0 = kiln_now_ns(), down0 = s->bytes_down;
    for (int i = 0; i < s->nmirrors;) {
        mirror *m = s->mirrors[i];
        if (p && !(m->lo < b && a < m->hi)) {
            i++;
            continue;
        }
        if (how == KILN_SYNC_FREE) {
            mirror_drop(s, i);
            continue;
        }
        CUresult r = mirror_down(s, m);
        if (r != CU_OK) { /* the bytes are lost to the host: say so, once */
            char e[200];
            kiln_fail(ctx, KILN_ERR_BACKEND, "CUDA could not copy results back: %s", cu_text(r, e, sizeof e));
        }
        else if (how == KILN_SYNC_WRITE) m->dev_ok = false; /* (a failed copy keeps the device's bytes) */
        i++;
    }
    if (log_times() && s->bytes_down != down0)
        fprintf(stderr, "kiln: cuda: down %llu B %.3f ms\n", (unsigned long long)(s->bytes_down - down0), (double)(kiln_now_ns() - t0) / 1e6);
    pthread_mutex_unlock(&s->lock);
}

static kiln_status launch_fail(cuda_state *s, kiln_ctx *ctx, const char *what, CUresult r);

static kiln_status cuda_adopt(void *state, kiln_ctx *ctx, void *p, size_t len, uint64_t dev) {
    cuda_state *s = state;
    if (s->offline) return launch_fail(s, ctx, "kiln_wrap_device", 0);
    pthread_mutex_lock(&s->lock);
    for (int i = 0; i < s->nmirrors;) { /* whatever was there is gone */
        mirror *o = s->mirrors[i];
        if (o->lo < (char *)p + len && (char *)p < o->hi && !o->pins) mirror_drop(s, i);
        else i++;
    }
    mirror *m = calloc(1, sizeof *m);
    if (!m || !mirrors_room(s)) {
        pthread_mutex_unlock(&s->lock);
        free(m);
        return kiln_fail(ctx, KILN_ERR_NOMEM, "out of memory");
    }
    *m = (mirror){.lo = p, .hi = (char *)p + len, .dev = dev, .dev_ok = true, .host_ok = false, .foreign = true};
    s->mirrors[s->nmirrors++] = m;
    pthread_mutex_unlock(&s->lock);
    return KILN_OK;
}

/* A host step of this backend (a scan, a gather, a product without cuBLAS...) reads host
 * memory and writes [out, out + len): the device's fresher bytes come back first, and its
 * copies of the output are stale after. */
static void host_step(cuda_state *s, kiln_ctx *ctx, const char *out, int64_t lo, int64_t hi) {
    cuda_sync(s, ctx, NULL, 0, KILN_SYNC_READ);
    if (hi > lo) cuda_sync(s, ctx, out + lo, (size_t)(hi - lo), KILN_SYNC_WRITE);
}

/* The one sentence for a launch that could not run. */
static kiln_status launch_fail(cuda_state *s, kiln_ctx *ctx, const char *what, CUresult r) {
    char e[200];
    if (s->offline)
        return kiln_fail(ctx, KILN_ERR_BACKEND, "the CUDA backend is compile-only here (KILN_CUDA_ARCH=%s): %s", s->arch, s->offline_why);
    if (r == CU_OOM) return kiln_fail(ctx, KILN_ERR_NOMEM, "out of GPU memory (%s)", what);
    return kiln_fail(ctx, KILN_ERR_BACKEND, "CUDA %s failed: %s", what, cu_text(r, e, sizeof e));
}

/* Blocks of `block` threads for work items, a thread each, at most s->grid_per_sm (1024) a
 * multiprocessor (grid-stride loops take the rest). */
static unsigned grid_in(const cuda_state *s, int64_t work, int64_t block) {
    int64_t b = (work + block - 1) / block, cap = (int64_t)(s->sms > 0 ? s->sms : 1) * s->grid_per_sm;
    return (unsigned)(b < 1 ? 1 : b > cap ? cap : b);
}

static unsigned grid_for(const cuda_state *s, int64_t work) { return grid_in(s, work, KC_BLOCK); }

/* KILN_LOG=cuda-time: "kiln: cuda: NAME up 4000 B 0.012 ms, kernel 0.456 ms" (the bytes its
 * inputs needed copied to the device; results come back in cuda_sync's own lines). */
static void log_launch(const cuda_state *s, const char *name, uint64_t up0, uint64_t t0, uint64_t t1, uint64_t t2) {
    if (log_times())
        fprintf(stderr, "kiln: cuda: %s up %llu B %.3f ms, kernel %.3f ms\n", name, (unsigned long long)(s->bytes_up - up0),
                (double)(t1 - t0) / 1e6, (double)(t2 - t1) / 1e6);
}

static CUresult launch_in(CUfunction f, unsigned grid, unsigned block, void *args) {
    void *params[1] = {args};
    CUresult r = cu.LaunchKernel(f, grid, 1, 1, block, 1, 1, 0, NULL, params, NULL);
    return r != CU_OK ? r : cu.CtxSynchronize();
}

static CUresult launch(CUfunction f, unsigned grid, void *args) { return launch_in(f, grid, KC_BLOCK, args); }

/* ------------------------------------------------------------------ launches */

/* The end of a kernel's launch (s->lock held since before its staging, at t0; the kernel ran
 * from t1 to t2): its operands' copies settled, the log line, the lock and the argument block
 * args let go, and the launch's status. */
static kiln_status launch_end(cuda_state *s, kiln_ctx *ctx, staging *sg, CUresult r, const char *name, uint64_t up0, uint64_t t0,
                              uint64_t t1, uint64_t t2, char *args, const char *what) {
    r = staging_end(sg, r);
    log_launch(s, name, up0, t0, t1, t2);
    pthread_mutex_unlock(&s->lock);
    free(args);
    return r == CU_OK ? KILN_OK : launch_fail(s, ctx, what, r);
}

static void put64(char *buf, size_t off, int64_t v) { memcpy(buf + off, &v, 8); }
static void put32(char *buf, size_t off, int32_t v) { memcpy(buf + off, &v, 4); }

/* Loads payload (n bytes) of program `name` as ud asks; called with s->rlock held, not s->lock
 * (wide_load takes it). */
typedef CUresult (*program_load)(cuda_state *s, void *ud, const char *name, const char *payload, size_t n);

/* A program compiled apart from the runtime's kernels (a fixed routine, a map's 64-bit kernel):
 * its text src, of kind ("routine", "wide"), from the disk cache when a process before this one
 * made it for the same target and text, else compiled by NVRTC and kept there; handed to load.
 * Cached bytes that do not load are compiled again and replaced, as kernels' are. */
static kiln_status program_make(cuda_state *s, kiln_ctx *ctx, const char *kind, const char *name, const kstr *src,
                                program_load load, void *ud) {
    if (src->oom) return kiln_fail(ctx, KILN_ERR_NOMEM, "out of memory");
    uint64_t h1 = kiln_hash_bytes(KILN_HASH_SEED, src->s, src->len), h2 = kiln_hash_bytes(KILN_HASH_SEED2, src->s, src->len);
    char key[400];
    int klen = snprintf(key, sizeof key, "cuda %s %s %s %016llx%016llx", kind, name, s->target, (unsigned long long)h1,
                        (unsigned long long)h2);
    kiln_base *b = kiln_base_of(ctx);
    uint64_t t0 = kiln_now_ns();
    void *bytes = NULL;
    size_t len = 0;
    bool replace = false, cached = b->blob_load && b->blob_load(ctx, key, (size_t)klen, &bytes, &len, &replace);
    if (cached && !payload_ok(s->ptx, bytes, len)) {
        free(bytes);
        bytes = NULL;
        cached = false;
    }
    if (cached) dump_file(name, "cu", src->s, src->len); /* (KILN_CUDA_DUMP: as a compile would) */
    CUresult r = CU_OK;
    for (;;) {
        uint64_t ns = 0;
        kiln_status st = cached ? KILN_OK : kc_compile_source(ctx, src->s, name, s->arch, s->fast_math, s->ptx, (char **)&bytes, &len, &ns);
        if (st != KILN_OK) return st;
        if (!cached && b->blob_compiled) b->blob_compiled(ctx, ns);
        if (log_has("compile"))
            fprintf(stderr, "kiln: CUDA %s %s %s in %.3f ms\n", kind, name, cached ? "loaded from the disk cache" : "compiled",
                    (double)(kiln_now_ns() - t0) / 1e6);
        r = load(s, ud, name, bytes, len);
        if (r == CU_OK || !cached) break;
        free(bytes);
        bytes = NULL;
        cached = false;
    }
    if (r == CU_OK && !cached && replace && b->blob_store) b->blob_store(ctx, key, (size_t)klen, bytes, len);
    free(bytes);
    return r == CU_OK ? KILN_OK : load_fail(s, ctx, name, r);
}

/* A map's 64-bit kernel: its module shared as a program's, under s->lock. */
static CUresult wide_load(cuda_state *s, void *ud, const char *name, const char *payload, size_t n) {
    cuda_kernel *k = ud;
    cuda_module *m = NULL;
    CUfunction f = NULL;
    pthread_mutex_lock(&s->lock);
    cu.CtxSetCurrent(s->cuctx);
    CUresult r = module_get(s, payload, n, &m);
    if (r == CU_OK) r = cu.ModuleGetFunction(&f, m->mod, name);
    if (r != CU_OK && m) module_put(s, m);
    if (r == CU_OK) k->wmod = m, k->wfn = f;
    pthread_mutex_unlock(&s->lock);
    return r;
}

/* The 64-bit kernel of map k (name_w), made from its body at the first launch that needs it,
 * once per context, and kept on disk apart from the map: few launches need it (2^31 elements
 * or bytes), and compiling it with every map took NVRTC 60% longer.  NVRTC runs under s->rlock
 * (one such compile at a time, as the routines'), not s->lock, which launches and syncs take;
 * the disk cache's hooks take the runtime's compile lock, so such a launch (as a routine's
 * first) may wait for another kernel's compile to end. */
static kiln_status wide_fn(cuda_state *s, kiln_ctx *ctx, cuda_kernel *k, CUfunction *fn) {
    pthread_mutex_lock(&s->rlock);
    kiln_status st = KILN_OK;
    if (!k->wfn) {
        char name[64];
        kstr src = {0};
        wide_source(k->name, k->n_in + k->n_out, k->n_const, k->body, strlen(k->body), &src, name);
        st = program_make(s, ctx, "wide", name, &src, wide_load, k);
        kstr_free(&src);
    }
    *fn = k->wfn;
    pthread_mutex_unlock(&s->rlock);
    return st;
}

static kiln_status cuda_launch_map(void *state, kiln_ctx *ctx, const kiln_kernel *kk, const kiln_map_geom *g,
                                   const kscalar *consts, int nthreads) {
    KILN_UNUSED(nthreads);
    cuda_state *s = state;
    const cuda_kernel *k = (const cuda_kernel *)kk;
    if (s->offline) return launch_fail(s, ctx, "launch", 0);
    if (g->total <= 0) return KILN_OK;
    int N = g->nops, C = k->n_const ? k->n_const : 1, nd = g->ndim;
    KILN_ASSERT(N == k->n_in + k->n_out && g->pack == 0 && g->cols == 0);
    size_t size = kc_map_size(N, C);
    char *a = calloc(1, size);
    staging sg;
    if (!a || !staging_init(&sg, s, N)) {
        free(a);
        return kiln_fail(ctx, KILN_ERR_NOMEM, "out of memory");
    }
    int64_t count = 1, span = 0;
    for (int d = 0; d < nd; d++) count *= g->shape[d];
    bool whole = g->first == 0 && g->total == count;
    int es_max = 1;
    for (int op = 0; op < N; op++)
        if (k->es[op] > es_max) es_max = k->es[op];
    const int W = kc_map_width(s->map_style, es_max); /* the vector path's elements a vector */
    for (int op = 0; op < N; op++) { /* (what each operand needs on the device: staged under the lock) */
        int64_t es = k->es[op], lo, hi;
        kiln_extent(nd, g->shape, g->strides[op], es, &lo, &hi);
        bool out = op >= k->n_in;
        want(&sg, g->base[op], lo, hi, out, out && whole && hi - lo == count * es);
        if (hi - lo > span) span = hi - lo;
    }
    /* 32-bit indices when no index, step or offset can pass 2^31 - 1 (the scalar path's grid,
     * the larger); else the 64-bit kernel, made at the first launch that needs it */
    bool narrow = !s->wide && g->first + g->total + (int64_t)grid_for(s, g->total) * KC_BLOCK < ((int64_t)1 << 31) && span < ((int64_t)1 << 31);
    CUfunction fn = k->fn;
    kiln_status wst = narrow ? KILN_OK : wide_fn(s, ctx, (cuda_kernel *)kk, &fn);
    if (wst != KILN_OK) {
        staging_end(&sg, CU_OOM); /* (nothing staged) */
        free(a);
        return wst;
    }
    bool vec = nd == 1 && narrow;
    pthread_mutex_lock(&s->lock);
    cu.CtxSetCurrent(s->cuctx);
    CUresult r = CU_OK;
    uint64_t t0 = kiln_now_ns(), t1 = t0, t2 = t0, up0 = s->bytes_up;
    r = stage_all(&sg);
    for (int op = 0; op < N && r == CU_OK; op++) {
        int64_t es = k->es[op];
        CUdeviceptr d = sg.v[op].dev;
        if (nd == 1) d += (CUdeviceptr)(g->first * g->strides[op][0]); /* 1-D: indices from 0 */
        put64(a, (size_t)op * 8, (int64_t)d);
        for (int dd = 0; dd < nd; dd++) put64(a, (size_t)(8 * N + 64 * op + 8 * dd), g->strides[op][dd]);
        if (g->strides[op][nd - 1] == es && (d % (CUdeviceptr)(W * es)) != 0) vec = false;
    }
    if (r == CU_OK) {
        unsigned grid = grid_for(s, vec ? g->total / W + 1 : g->total);
        size_t o = (size_t)(72 * N);
        for (int d = 0; d < nd; d++) put64(a, o + 8 * (size_t)d, g->shape[d]);
        put64(a, o + 64, nd == 1 ? 0 : g->first);
        put64(a, o + 72, g->total);
        if (consts) memcpy(a + o + 80, consts, (size_t)k->n_const * 8);
        put32(a, o + 80 + 8 * (size_t)C, nd);
        put32(a, o + 84 + 8 * (size_t)C, vec ? KC_VEC : 0);
        t1 = kiln_now_ns();
        r = launch(fn, grid, a);
        t2 = kiln_now_ns();
    }
    return launch_end(s, ctx, &sg, r, k->name, up0, t0, t1, t2, a, "kernel launch");
}

static kiln_status cuda_launch_reduce(void *state, kiln_ctx *ctx, const kiln_kernel *kk, const kiln_reduce_geom *g,
                                      const kscalar *consts, int nthreads) {
    cuda_state *s = state;
    const cuda_kernel *k = (const cuda_kernel *)kk;
    if (!kk) { /* nothing to fold: identities, stored on the host */
        int64_t lo, hi;
        kiln_extent(g->nk, g->kshape, g->ostr, op_is_arg_reduce(g->op) ? 8 : (int64_t)kiln_dtype_size(g->out_dt), &lo, &hi);
        host_step(s, ctx, g->out, lo, hi);
        return host_launch_reduce(NULL, ctx, NULL, g, consts, nthreads);
    }
    if (s->offline) return launch_fail(s, ctx, "launch", 0);
    if (g->O <= 0) return KILN_OK;
    int N = g->nin ? g->nin : 1, C = k->n_const ? k->n_const : 1;
    size_t size = kc_red_size(N, C);
    char *a = calloc(1, size);
    staging sg;
    if (!a || !staging_init(&sg, s, g->nin + 2)) {
        free(a);
        return kiln_fail(ctx, KILN_ERR_NOMEM, "out of memory");
    }
    int64_t nch = g->R <= KC_SHORT ? 1 : (g->R + KC_CHUNK - 1) / KC_CHUNK;
    pthread_mutex_lock(&s->lock);
    cu.CtxSetCurrent(s->cuctx);
    CUresult r = CU_OK;
    uint64_t t0 = kiln_now_ns(), t1 = t0, t2 = t0, up0 = s->bytes_up;
    int64_t shape[2 * KILN_MAX_DIMS], str[2 * KILN_MAX_DIMS];
    for (int i = 0; i < g->nin; i++) { /* an input walks the kept dims and the reduced ones */
        for (int d = 0; d < g->nk; d++) shape[d] = g->kshape[d], str[d] = g->kstr[i][d];
        for (int d = 0; d < g->nr; d++) shape[g->nk + d] = g->rshape[d], str[g->nk + d] = g->rstr[i][d];
        int64_t lo, hi;
        kiln_extent(g->nk + g->nr, shape, str, k->es[i], &lo, &hi);
        want(&sg, g->base[i], lo, hi, false, false);
    }
    int64_t oes = op_is_arg_reduce(g->op) ? 8 : (int64_t)kiln_dtype_size(g->out_dt), lo, hi;
    kiln_extent(g->nk, g->kshape, g->ostr, oes, &lo, &hi);
    want(&sg, g->out, lo, hi, true, hi - lo == g->O * oes);
    r = stage_all(&sg);
    for (int i = 0; i < g->nin && r == CU_OK; i++) {
        put64(a, (size_t)i * 8, (int64_t)sg.v[i].dev);
        for (int dd = 0; dd < g->nr; dd++) put64(a, (size_t)(8 * N + 64 * i + 8 * dd), g->rstr[i][dd]);
        for (int dd = 0; dd < g->nk; dd++) put64(a, (size_t)(72 * N + 64 * i + 8 * dd), g->kstr[i][dd]);
    }
    CUdeviceptr out = sg.v[g->nin].dev, part = 0;
    if (r == CU_OK && nch > 1) r = block_get(s, (size_t)(g->O * nch * 16), &part);
    if (r == CU_OK) {
        size_t o = (size_t)(136 * N);
        for (int d = 0; d < g->nr; d++) put64(a, o + 8 * (size_t)d, g->rshape[d]);
        for (int d = 0; d < g->nk; d++) put64(a, o + 64 + 8 * (size_t)d, g->kshape[d]);
        for (int d = 0; d < g->nk; d++) put64(a, o + 128 + 8 * (size_t)d, g->ostr[d]);
        put64(a, o + 192, g->R);
        put64(a, o + 200, g->O);
        put64(a, o + 208, nch);
        put64(a, o + 216, (int64_t)out);
        put64(a, o + 224, (int64_t)part);
        if (consts) memcpy(a + o + 232, consts, (size_t)k->n_const * 8);
        put32(a, o + 232 + 8 * (size_t)C, g->nr);
        put32(a, o + 236 + 8 * (size_t)C, g->nk);
        t1 = kiln_now_ns();
        if (g->R <= KC_SHORT) {
            r = launch(k->rows, grid_for(s, g->O), a);
        } else {
            int64_t units = g->O * nch, cap = (int64_t)(s->sms > 0 ? s->sms : 1) * 8;
            r = launch(k->fn, (unsigned)(units < cap ? units : cap), a);
            if (r == CU_OK && nch > 1) r = launch(k->tree, (unsigned)(g->O < cap ? g->O : cap), a);
        }
        t2 = kiln_now_ns();
    }
    if (part) pool_put(s, (size_t)(g->O * nch * 16), part);
    return launch_end(s, ctx, &sg, r, k->name, up0, t0, t1, t2, a, "reduction launch");
}

/* The column form is a host plan's (see kiln_backend_i.device): never asked of this backend. */
static kiln_status cuda_launch_accumulate(void *state, kiln_ctx *ctx, const kiln_kernel *k, const kiln_reduce_geom *g,
                                          const kscalar *consts, int nthreads) {
    KILN_UNUSED(state);
    KILN_UNUSED(k);
    KILN_UNUSED(g);
    KILN_UNUSED(consts);
    KILN_UNUSED(nthreads);
    return kiln_fail(ctx, KILN_ERR_BACKEND, "internal: the CUDA backend has no column-form reduction");
}

/* ------------------------------------------------------------------ products */

static const char *cuda_gemm(void *state, kiln_dtype dt) {
    cuda_state *s = state;
    return s->cublas && dtype_is_float(dt) ? "cuBLAS" : NULL;
}

/* Matrix M (rows × cols, byte strides rs, cs) as cuBLAS sees M^T in column-major order: op N
 * with leading dimension rs/es when its rows are contiguous, op T with cs/es when its columns
 * are.  False when neither. */
static bool as_colmajor(int64_t rows, int64_t cols, int64_t rs, int64_t cs, int64_t es, int *op, int64_t *ld) {
    if ((cs == es || cols == 1) && (rows == 1 || (rs % es == 0 && rs / es >= cols && rs > 0))) {
        *op = CUBLAS_OP_N;
        *ld = rows == 1 ? cols : rs / es;
        return true;
    }
    if ((rs == es || rows == 1) && (cols == 1 || (cs % es == 0 && cs / es >= rows && cs > 0))) {
        *op = CUBLAS_OP_T;
        *ld = cols == 1 ? rows : cs / es;
        return true;
    }
    return false;
}

static kiln_status cuda_matmul(void *state, kiln_ctx *ctx, const kiln_matmul_args *mm, int nthreads) {
    cuda_state *s = state;
    if (mm->batch > 1) { /* a stack: one product after another (cuBLAS's batched calls left to do) */
        for (int64_t i = 0; i < mm->batch; i++) {
            kiln_matmul_args one = kiln_matmul_nth(mm, i);
            kiln_status st = cuda_matmul(state, ctx, &one, nthreads);
            if (st != KILN_OK) return st;
        }
        return KILN_OK;
    }
    int64_t es = (int64_t)kiln_dtype_size(mm->dt), lda, ldb, ldc;
    int opa, opb, opc;
    const int64_t big = INT32_MAX;
    bool ok = !s->offline && s->cublas && dtype_is_float(mm->dt) && mm->m > 0 && mm->n > 0 && mm->K > 0 && mm->m < big &&
              mm->n < big && mm->K < big && as_colmajor(mm->m, mm->K, mm->a_rs, mm->a_cs, es, &opa, &lda) &&
              as_colmajor(mm->K, mm->n, mm->b_rs, mm->b_cs, es, &opb, &ldb) &&
              as_colmajor(mm->m, mm->n, mm->c_rs, mm->c_cs, es, &opc, &ldc) && opc == CUBLAS_OP_N && lda < big && ldb < big &&
              ldc < big;
    if (s->offline) return launch_fail(s, ctx, "product", 0);
    if (!ok) { /* integers, odd strides: on the host */
        int64_t lo, hi;
        kiln_extent(2, (int64_t[]){mm->m, mm->n}, (int64_t[]){mm->c_rs, mm->c_cs}, es, &lo, &hi);
        host_step(s, ctx, mm->c, lo, hi);
        kiln_matmul_args whole = *mm; /* the device epilogue once, after the host wrote all of C */
        whole.panels = false;
        return host_matmul(NULL, ctx, &whole, nthreads);
    }
    staging sg;
    if (!staging_init(&sg, s, 3)) return kiln_fail(ctx, KILN_ERR_NOMEM, "out of memory");
    pthread_mutex_lock(&s->lock);
    cu.CtxSetCurrent(s->cuctx);
    uint64_t t0 = kiln_now_ns(), t1 = t0, t2 = t0, up0 = s->bytes_up;
    int64_t lo, hi;
    CUdeviceptr A = 0, B = 0, Cd = 0;
    kiln_extent(2, (int64_t[]){mm->m, mm->K}, (int64_t[]){mm->a_rs, mm->a_cs}, es, &lo, &hi);
    want(&sg, (char *)mm->a, lo, hi, false, false);
    kiln_extent(2, (int64_t[]){mm->K, mm->n}, (int64_t[]){mm->b_rs, mm->b_cs}, es, &lo, &hi);
    want(&sg, (char *)mm->b, lo, hi, false, false);
    kiln_extent(2, (int64_t[]){mm->m, mm->n}, (int64_t[]){mm->c_rs, mm->c_cs}, es, &lo, &hi);
    want(&sg, mm->c, lo, hi, true, hi - lo == mm->m * mm->n * es);
    CUresult r = stage_all(&sg);
    A = sg.v[0].dev, B = sg.v[1].dev, Cd = sg.v[2].dev;
    int br = 0;
    t1 = kiln_now_ns();
    if (r == CU_OK) { /* C^T = B^T A^T, column-major */
        if (mm->dt == KILN_F32) {
            const float one = 1, zero = 0;
            br = blas.Sgemm(s->cublas, opb, opa, (int)mm->n, (int)mm->m, (int)mm->K, &one, (const float *)(uintptr_t)B, (int)ldb,
                            (const float *)(uintptr_t)A, (int)lda, &zero, (float *)(uintptr_t)Cd, (int)ldc);
        } else {
            const double one = 1, zero = 0;
            br = blas.Dgemm(s->cublas, opb, opa, (int)mm->n, (int)mm->m, (int)mm->K, &one, (const double *)(uintptr_t)B, (int)ldb,
                            (const double *)(uintptr_t)A, (int)lda, &zero, (double *)(uintptr_t)Cd, (int)ldc);
        }
        r = br ? 999 : cu.CtxSynchronize(); /* (999: CUDA_ERROR_UNKNOWN; C is not current then) */
        t2 = kiln_now_ns();
    }
    r = staging_end(&sg, r);
    log_launch(s, mm->dt == KILN_F32 ? "cublasSgemm" : "cublasDgemm", up0, t0, t1, t2);
    pthread_mutex_unlock(&s->lock);
    if (br) return kiln_fail(ctx, KILN_ERR_BACKEND, "cuBLAS %sgemm failed with status %d", mm->dt == KILN_F32 ? "S" : "D", br);
    if (r != CU_OK) return launch_fail(s, ctx, "product", r);
    return mm->epilogue ? mm->epilogue(mm->epilogue_ud, 0, mm->m) : KILN_OK;
}

/* ------------------------------------------------------------------ the fixed routines */

/* The routines (routines.cu): scans of sum and product for float32, float64 and int64, and the
 * gather.  Each is compiled on its first use, as routines.cu without the other kernels' lines
 * (a first cumsum pays for one kernel, not seven: 160 ms of NVRTC here against 580), from
 * the disk cache when a process before this one made it for the same target and text. */
enum { R_GATHER = 6 };
static const char *const routine_names[7] = {"kiln_scan_sum_f32", "kiln_scan_prod_f32", "kiln_scan_sum_f64",
                                             "kiln_scan_prod_f64", "kiln_scan_sum_i64", "kiln_scan_prod_i64", "kiln_gather"};

/* routines.cu's text for routine `which`: every line but the other kernels'. */
static void routine_source(int which, kstr *src) {
    const char *t = kc_routines_text, *end = t + kc_routines_len, *name = routine_names[which];
    size_t nl = strlen(name);
    while (t < end) {
        const char *e = memchr(t, '\n', (size_t)(end - t));
        size_t len = e ? (size_t)(e - t) + 1 : (size_t)(end - t);
        const char *at = strncmp(t, "extern \"C\"", 10) ? NULL : strstr(t, name);
        bool other = !strncmp(t, "extern \"C\"", 10) && !(at && at < t + len && at[nl] == '(');
        if (!other) kstr_printf(src, "%.*s", (int)len, t);
        t += len;
    }
}

/* A routine's module and function (none in compile-only states). */
static CUresult routine_load(cuda_state *s, void *ud, const char *name, const char *payload, size_t n) {
    int which = *(const int *)ud;
    if (s->offline) return CU_OK;
    cu.CtxSetCurrent(s->cuctx);
    CUresult r = cu.ModuleLoadData(&s->rmod[which], payload);
    if (r == CU_OK) r = cu.ModuleGetFunction(&s->rfn[which], s->rmod[which], name);
    if (r != CU_OK && s->rmod[which]) {
        cu.ModuleUnload(s->rmod[which]);
        s->rmod[which] = NULL;
    }
    KILN_UNUSED(n);
    return r;
}

static kiln_status routine_make(cuda_state *s, kiln_ctx *ctx, int which) {
    kstr src = {0};
    routine_source(which, &src);
    kiln_status st = program_make(s, ctx, "routine", routine_names[which], &src, routine_load, &which);
    kstr_free(&src);
    if (st == KILN_OK) s->rmade[which] = true;
    return st;
}

/* Routine `which`, made when first asked for; compile-only states make it (so the tests see it
 * compile) and then fail as every launch there does. */
static kiln_status routine(cuda_state *s, kiln_ctx *ctx, int which) {
    pthread_mutex_lock(&s->rlock);
    kiln_status st = s->rmade[which] ? KILN_OK : routine_make(s, ctx, which);
    pthread_mutex_unlock(&s->rlock);
    if (st == KILN_OK && s->offline) st = launch_fail(s, ctx, "launch", 0);
    return st;
}

/* A routine's launch over the operands staged in sg (s->lock held since t0): the argument block
 * args (size bytes, copied: a launch reads it when it starts); when bad is a device word, its
 * value afterwards into *badv. */
static kiln_status routine_launch(cuda_state *s, kiln_ctx *ctx, staging *sg, CUfunction f, const char *name, unsigned grid,
                                  unsigned block, const void *args, size_t size, uint64_t t0, uint64_t up0, CUdeviceptr bad,
                                  uint64_t *badv) {
    char *a = malloc(size);
    CUresult r = a ? CU_OK : CU_OOM;
    uint64_t t1 = kiln_now_ns(), t2 = t1;
    if (a) {
        memcpy(a, args, size);
        r = launch_in(f, grid, block, a);
        t2 = kiln_now_ns();
        if (r == CU_OK && bad) r = cu.MemcpyDtoH(badv, bad, 8);
    }
    return launch_end(s, ctx, sg, r, name, up0, t0, t1, t2, a, "launch");
}

/* The scan's device argument block (routines.cu's kr_scan). */
typedef struct kr_scan {
    CUdeviceptr in, out;
    int64_t shape[KILN_MAX_DIMS], ist[KILN_MAX_DIMS], ost[KILN_MAX_DIMS];
    int64_t lines;
    int32_t ndim, axis;
} kr_scan;
/* (the device's struct is laid out by the same rules: these guard the copy against drifting) */
_Static_assert(sizeof(kr_scan) == 224 && KILN_MAX_DIMS == 8, "kr_scan must match routines.cu's (KR_D is 8)");

static kiln_status cuda_scan(void *state, kiln_ctx *ctx, const kiln_scan_args *a, int nthreads) {
    cuda_state *s = state;
    int64_t lines = 1, len = a->shape[a->axis], es = (int64_t)kiln_dtype_size(a->dt), lo, hi, ilo, ihi;
    for (int d = 0; d < a->ndim; d++)
        if (d != a->axis) lines *= a->shape[d];
    bool sort = a->op == KILN_OP_SORT || a->op == KILN_OP_ARGSORT || a->op == KILN_OP_CUMMAX || a->op == KILN_OP_CUMMIN; /* (the host's) */
    kiln_extent(a->ndim, a->shape, a->out_str, a->op == KILN_OP_ARGSORT ? 8 : es, &lo, &hi);
    if ((lines < KC_SCAN_LINES || sort) && !s->offline) { /* a few long lines: the host walks them faster; sorts: the host's */
        host_step(state, ctx, a->out, lo, hi);
        return host_scan(NULL, ctx, a, nthreads);
    }
    int which = (a->dt == KILN_F32 ? 0 : a->dt == KILN_F64 ? 2 : 4) + (a->op != KILN_OP_CUMSUM);
    kiln_status st = routine(s, ctx, which);
    if (st != KILN_OK || lines * len == 0) return st;
    kiln_extent(a->ndim, a->shape, a->in_str, es, &ilo, &ihi);
    staging sg;
    if (!staging_init(&sg, s, 2)) return kiln_fail(ctx, KILN_ERR_NOMEM, "out of memory");
    pthread_mutex_lock(&s->lock);
    cu.CtxSetCurrent(s->cuctx);
    uint64_t t0 = kiln_now_ns(), up0 = s->bytes_up;
    want(&sg, (char *)a->in, ilo, ihi, false, false);
    want(&sg, a->out, lo, hi, true, hi - lo == lines * len * es);
    kr_scan k = {.lines = lines, .ndim = a->ndim, .axis = a->axis};
    for (int d = 0; d < a->ndim; d++) k.shape[d] = a->shape[d], k.ist[d] = a->in_str[d], k.ost[d] = a->out_str[d];
    CUresult r = stage_all(&sg);
    if (r != CU_OK) return launch_end(s, ctx, &sg, r, routine_names[which], up0, t0, t0, t0, NULL, "launch");
    k.in = sg.v[0].dev, k.out = sg.v[1].dev;
    /* a thread a line: blocks of a warp where blocks of KC_BLOCK would leave multiprocessors idle */
    unsigned block = lines >= (int64_t)(s->sms > 0 ? s->sms : 1) * 2 * KC_BLOCK ? KC_BLOCK : 32;
    return routine_launch(s, ctx, &sg, s->rfn[which], routine_names[which], grid_in(s, lines, block), block, &k, sizeof k, t0, up0, 0,
                          NULL);
}

/* The gather's device argument block (routines.cu's kr_gather). */
typedef struct kr_gather {
    CUdeviceptr x, idx, idx2, out, bad;
    int64_t shape[KILN_MAX_DIMS], xst[KILN_MAX_DIMS], ist[KILN_MAX_DIMS], i2st[KILN_MAX_DIMS], ost[KILN_MAX_DIMS];
    int64_t total, alen, astr, a2len, a2str;
    int32_t ndim, elsize, unit;
} kr_gather;
_Static_assert(sizeof(kr_gather) == 416, "kr_gather must match routines.cu's");

/* The largest of 8, 4, 2, 1 dividing every one of the n values. */
static int common_unit(const int64_t *v, int n) {
    int u = 8;
    for (int i = 0; i < n; i++)
        while (v[i] % u) u /= 2;
    return u;
}

static kiln_status cuda_gather(void *state, kiln_ctx *ctx, const kiln_gather_args *a, int nthreads) {
    cuda_state *s = state;
    int nd = a->ndim;
    int64_t total = 1, lo, hi, shape[KILN_MAX_DIMS + 2], str[KILN_MAX_DIMS + 2], ext[3][2] = {{0}};
    for (int d = 0; d < nd; d++) total *= a->shape[d];
    kiln_extent(nd, a->shape, a->out_str, a->elsize, &lo, &hi);
    if (a->search) { /* searchsorted: on the host, as sorts are */
        host_step(state, ctx, a->out, lo, hi);
        return host_search(ctx, a, nthreads);
    }
    /* what x's elements and the indices can be read in, for the device: units every address
     * and stride is a multiple of (int64 indices in 8) */
    int64_t xs[2 * KILN_MAX_DIMS + 4], is[2 * KILN_MAX_DIMS + 2];
    int nx = 0, ni = 0;
    xs[nx++] = (int64_t)(uintptr_t)a->x, xs[nx++] = (int64_t)(uintptr_t)a->out, xs[nx++] = a->elsize, xs[nx++] = a->axis_str;
    if (a->idx2) xs[nx++] = a->axis2_str;
    is[ni++] = (int64_t)(uintptr_t)a->idx;
    if (a->idx2) is[ni++] = (int64_t)(uintptr_t)a->idx2;
    for (int d = 0; d < nd; d++) {
        xs[nx++] = a->x_str[d], xs[nx++] = a->out_str[d], is[ni++] = a->idx_str[d];
        if (a->idx2) is[ni++] = a->idx2_str[d];
    }
    if ((!s->offline && total < 2 * KC_BLOCK) || common_unit(is, ni) < 8) { /* a few elements: not worth a launch */
        host_step(state, ctx, a->out, lo, hi);
        return host_gather(NULL, ctx, a, nthreads);
    }
    kiln_status st = routine(s, ctx, R_GATHER);
    if (st != KILN_OK || total == 0) return st;
    /* whole rows (W[perm]: the indices do not vary along the last dim, along which x and out
     * are contiguous): 16 bytes of a row move as one element, where the addresses allow */
    int64_t wide = 0;
    if (nd >= 1 && a->elsize < 16 && 16 % a->elsize == 0 && a->x_str[nd - 1] == a->elsize && a->out_str[nd - 1] == a->elsize &&
        a->idx_str[nd - 1] == 0 && (!a->idx2 || a->idx2_str[nd - 1] == 0) && a->shape[nd - 1] % (16 / a->elsize) == 0) {
        wide = 16 / a->elsize;
        if (a->axis_str % 16 || (a->idx2 && a->axis2_str % 16)) wide = 0;
        for (int d = 0; d < nd - 1; d++)
            if (a->x_str[d] % 16 || a->out_str[d] % 16) wide = 0;
    }
    /* x: its dims, then the indexed axis (and the second); the indices over the output's dims */
    int n = 0;
    for (int d = 0; d < nd; d++, n++) shape[n] = a->shape[d], str[n] = a->x_str[d];
    shape[n] = a->axis_len, str[n++] = a->axis_str;
    if (a->idx2) shape[n] = a->axis2_len, str[n++] = a->axis2_str;
    kiln_extent(n, shape, str, a->elsize, &ext[0][0], &ext[0][1]);
    kiln_extent(nd, a->shape, a->idx_str, 8, &ext[1][0], &ext[1][1]);
    if (a->idx2) kiln_extent(nd, a->shape, a->idx2_str, 8, &ext[2][0], &ext[2][1]);
    staging sg;
    if (!staging_init(&sg, s, 4)) return kiln_fail(ctx, KILN_ERR_NOMEM, "out of memory");
    pthread_mutex_lock(&s->lock);
    cu.CtxSetCurrent(s->cuctx);
    uint64_t t0 = kiln_now_ns(), up0 = s->bytes_up, none = UINT64_MAX, bad = UINT64_MAX;
    want(&sg, (char *)a->x, ext[0][0], ext[0][1], false, false);
    want(&sg, (char *)a->idx, ext[1][0], ext[1][1], false, false);
    if (a->idx2) want(&sg, (char *)a->idx2, ext[2][0], ext[2][1], false, false);
    want(&sg, a->out, lo, hi, true, hi - lo == total * a->elsize);
    kr_gather k = {.total = total, .alen = a->axis_len, .astr = a->axis_str, .a2len = a->axis2_len, .a2str = a->axis2_str,
                   .ndim = nd, .elsize = a->elsize, .unit = common_unit(xs, nx)};
    for (int d = 0; d < nd; d++)
        k.shape[d] = a->shape[d], k.xst[d] = a->x_str[d], k.ist[d] = a->idx_str[d], k.i2st[d] = a->idx2 ? a->idx2_str[d] : 0,
        k.ost[d] = a->out_str[d];
    CUresult r = stage_all(&sg);
    if (r == CU_OK) r = block_get(s, 8, &k.bad);
    if (r == CU_OK) r = cu.MemcpyHtoD(k.bad, &none, 8);
    if (r != CU_OK) {
        if (k.bad) pool_put(s, 8, k.bad);
        return launch_end(s, ctx, &sg, r, "kiln_gather", up0, t0, t0, t0, NULL, "launch");
    }
    int o = 0;
    k.x = sg.v[o++].dev, k.idx = sg.v[o++].dev, k.idx2 = a->idx2 ? sg.v[o++].dev : 0, k.out = sg.v[o].dev;
    if (wide && !((k.x | k.out) % 16)) {
        k.shape[nd - 1] /= wide, k.xst[nd - 1] = k.ost[nd - 1] = 16;
        k.total = total / wide, k.elsize = k.unit = 16;
    }
    CUdeviceptr word = k.bad;
    st = routine_launch(s, ctx, &sg, s->rfn[R_GATHER], "kiln_gather", grid_for(s, k.total), KC_BLOCK, &k, sizeof k, t0, up0, word,
                        &bad);
    pthread_mutex_lock(&s->lock);
    pool_put(s, 8, word);
    pthread_mutex_unlock(&s->lock);
    if (st != KILN_OK || bad == UINT64_MAX) return st;
    /* an index out of range: the host's gather names the first, in the same words */
    host_step(state, ctx, a->out, lo, hi);
    return host_gather(NULL, ctx, a, nthreads);
}

/* ------------------------------------------------------------------ the rest, on the host */

static kiln_status cuda_scatter(void *state, kiln_ctx *ctx, const kiln_gather_args *a, kiln_dtype dt, int nthreads) {
    /* it adds into the array at a->x: its dims, then the indexed axis (and the second one) */
    int64_t shape[KILN_MAX_DIMS + 2], str[KILN_MAX_DIMS + 2], lo, hi;
    int n = 0;
    for (int d = 0; d < a->ndim; d++, n++) shape[n] = a->shape[d], str[n] = a->x_str[d];
    shape[n] = a->axis_len, str[n++] = a->axis_str;
    if (a->idx2) shape[n] = a->axis2_len, str[n++] = a->axis2_str;
    kiln_extent(n, shape, str, (int64_t)kiln_dtype_size(dt), &lo, &hi);
    host_step(state, ctx, a->x, lo, hi);
    return host_scatter(NULL, ctx, a, dt, nthreads);
}
static kiln_status cuda_rows(void *state, kiln_ctx *ctx, const kiln_rows_args *a, int nthreads) {
    int64_t shape[KILN_MAX_DIMS], lo, hi;
    for (int d = 0; d < a->ndim; d++) shape[d] = a->shape[d];
    if (a->mode == 2 && a->ndim > 0) shape[a->ndim - 1] = 1; /* logsumexp: one per row */
    kiln_extent(a->ndim, shape, a->out_str, (int64_t)kiln_dtype_size(a->dt), &lo, &hi);
    host_step(state, ctx, a->out, lo, hi);
    return host_rows(NULL, ctx, a, nthreads);
}

/* np.linalg runs on the host (LAPACK): the device's results come back first, and the output is
 * the host's until a kernel needs it (cuSOLVER is left to do). */
static kiln_status cuda_linalg(void *state, kiln_ctx *ctx, const kiln_linalg_args *a, int nthreads) {
    int64_t lo, hi, es = (int64_t)kiln_dtype_size(a->dt);
    kiln_extent(a->out_ndim, a->out_shape, a->out_str, es, &lo, &hi);
    host_step(state, ctx, a->out, lo, hi);
    for (int i = 0; i < a->nalso; i++) { /* the siblings' outputs are written on the host too */
        kiln_extent(a->also[i].ndim, a->also[i].shape, a->also[i].str, es, &lo, &hi);
        if (hi > lo) cuda_sync(state, ctx, a->also[i].out + lo, (size_t)(hi - lo), KILN_SYNC_WRITE);
    }
    return host_linalg(NULL, ctx, a, nthreads);
}

const kiln_backend_i kiln_cuda_backend = {
    .name = "cuda",
    .compiles = true,
    .disk_cache = true,
    .device = true,
    .first_tier = NULL,
    .about = cuda_about,
    .init = cuda_init,
    .free = cuda_free,
    .target = cuda_target,
    .describe = cuda_describe,
    .supports = cuda_supports,
    .render = cuda_render,
    .compile = cuda_compile,
    .compile_many = cuda_compile_many,
    .load = cuda_load,
    .unload = cuda_unload,
    .launch_map = cuda_launch_map,
    .launch_reduce = cuda_launch_reduce,
    .launch_accumulate = cuda_launch_accumulate,
    .scan = cuda_scan,
    .gather = cuda_gather,
    .scatter = cuda_scatter,
    .rows = cuda_rows,
    .linalg = cuda_linalg,
    .gemm = cuda_gemm,
    .matmul = cuda_matmul,
    .sync = cuda_sync,
    .adopt = cuda_adopt,
};
