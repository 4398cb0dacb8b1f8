/*
 * fakecuda.c — a stand-in for libcuda.so.1 that runs kiln's CUDA kernels on host threads, so
 * that the CUDA backend's launch path (argument blocks, staging, grids, the reductions' block
 * trees and warp shuffles, the kernels' indexing over every layout) is tested on machines
 * without a GPU.  KILN_CUDA_DRIVER=libfakecuda.so points kiln at it (CTest: cuda_fake).
 *
 * The driver API kiln calls, on the host:
 *   memory      cuMemAlloc is aligned_alloc (256 bytes, as the driver's), its bytes poisoned
 *               (0xCD) so that anything kiln forgets to upload shows; copies are memcpy
 *   modules     the CUBIN is ignored: the program's CUDA C, which kiln keeps under
 *               $KILN_CUDA_DUMP (<kernel>.cu, or <first kernel>_and_<n>.cu for a program of
 *               a plan's kernels), is compiled by g++ with tests/fakecuda/shim.h
 *               ($KILN_FAKECUDA_SHIM) into a shared object, one entry per kernel (kept by
 *               content under $KILN_FAKECUDA_CACHE, where that is set); a misaligned load
 *               or store in it stops the process (UBSan's alignment check), as on a GPU
 *   launches    a block of blockDim.x threads (fibers taking turns on the launching thread)
 *               runs the kernel for each block in turn; __syncthreads is a barrier of the
 *               block, __shfl_down_sync an exchange through memory between the 32 threads of
 *               a warp, __shared__ a static
 * The device: "kiln fake GPU", compute capability 9.0 (KILN_FAKECUDA_CC=130: 13.0, newer than
 * NVRTC knows, so kiln sends PTX), 2 multiprocessors, driver 13.0 (KILN_FAKECUDA_DRIVER=12080:
 * 12.8, which refuses PTX newer than its ISA 8.x with CUDA_ERROR_UNSUPPORTED_PTX_VERSION, as an
 * older driver does NVRTC 13's).
 */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <ucontext.h>
#include <unistd.h>

typedef int CUresult;
typedef unsigned long long CUdeviceptr;

struct kc_fake_dim {
    unsigned x, y, z;
};
__attribute__((visibility("default"))) __thread struct kc_fake_dim threadIdx, blockIdx;
__attribute__((visibility("default"))) struct kc_fake_dim blockDim, gridDim;

#define API __attribute__((visibility("default")))

typedef struct function {
    void (*entry)(const void *);
    struct function *next;
} function;

typedef struct module {
    function *fns; /* the functions handed out (freed with the module) */
    char *image;   /* a copy of what was loaded (a CUBIN or PTX): a function must be named in it */
    size_t size;
} module;

API CUresult cuGetErrorName(CUresult r, const char **s) {
    *s = r == 1 ? "CUDA_ERROR_INVALID_VALUE" : r == 2 ? "CUDA_ERROR_OUT_OF_MEMORY" : r == 500 ? "CUDA_ERROR_NOT_FOUND"
                                                                                             : "CUDA_ERROR_UNKNOWN";
    return 0;
}
API CUresult cuGetErrorString(CUresult r, const char **s) {
    *s = r == 500 ? "the fake driver found no source for the kernel (is KILN_CUDA_DUMP set?)" : "an error of the fake driver";
    return 0;
}
API CUresult cuInit(unsigned f) { return f ? 1 : 0; }
/* KILN_FAKECUDA_<what> as a number, else dflt. */
static int env_int(const char *what, int dflt) {
    char name[64];
    snprintf(name, sizeof name, "KILN_FAKECUDA_%s", what);
    const char *v = getenv(name);
    return v && atoi(v) > 0 ? atoi(v) : dflt;
}

API CUresult cuDriverGetVersion(int *v) { return *v = env_int("DRIVER", 13000), 0; }
API CUresult cuDeviceGetCount(int *n) { return *n = 1, 0; }
API CUresult cuDeviceGet(int *d, int i) { return i ? 1 : (*d = 0, 0); }
API CUresult cuDeviceGetName(char *s, int n, int d) {
    (void)d;
    snprintf(s, (size_t)n, "kiln fake GPU (host threads)");
    return 0;
}
API CUresult cuDeviceGetAttribute(int *v, int attr, int d) {
    (void)d;
    int cc = env_int("CC", 90);
    *v = attr == 16 ? 2 : attr == 75 ? cc / 10 : attr == 76 ? cc % 10 : 0;
    return 0;
}
API CUresult cuDeviceTotalMem_v2(size_t *n, int d) {
    (void)d;
    return *n = (size_t)1 << 34, 0;
}
static int ctx_token;
API CUresult cuDevicePrimaryCtxRetain(void **c, int d) {
    (void)d;
    return *c = &ctx_token, 0;
}
API CUresult cuDevicePrimaryCtxRelease_v2(int d) { return (void)d, 0; }
API CUresult cuCtxSetCurrent(void *c) { return c == &ctx_token ? 0 : 1; }
API CUresult cuCtxSynchronize(void) { return 0; }

API CUresult cuMemAlloc_v2(CUdeviceptr *p, size_t n) {
    void *m = aligned_alloc(256, (n + 255) / 256 * 256 + (n == 0) * 256); /* the driver's 256-byte alignment */
    if (!m) return 2;
    memset(m, 0xCD, n);
    *p = (CUdeviceptr)(uintptr_t)m;
    return 0;
}
API CUresult cuMemFree_v2(CUdeviceptr p) { return free((void *)(uintptr_t)p), 0; }
API CUresult cuMemcpyHtoD_v2(CUdeviceptr d, const void *h, size_t n) { return memcpy((void *)(uintptr_t)d, h, n), 0; }
API CUresult cuMemcpyDtoH_v2(void *h, CUdeviceptr d, size_t n) { return memcpy(h, (const void *)(uintptr_t)d, n), 0; }

API CUresult cuModuleLoadData(void **m, const void *bytes) {
    const unsigned char *b = bytes;
    size_t size;
    if (!memcmp(b, "\177ELF", 4)) { /* ELF64: the section headers end it */
        uint64_t shoff;
        uint16_t shentsize, shnum;
        memcpy(&shoff, b + 0x28, 8);
        memcpy(&shentsize, b + 0x3A, 2);
        memcpy(&shnum, b + 0x3C, 2);
        size = (size_t)shoff + (size_t)shentsize * shnum;
    } else { /* PTX: text, refused where its ISA (X.Y) is newer than the driver (CUDA X+4) */
        size = strlen(bytes) + 1;
        const char *v = strstr(bytes, ".version ");
        if (v && (atoi(v + 9) + 4) * 1000 > env_int("DRIVER", 13000)) return 222; /* CUDA_ERROR_UNSUPPORTED_PTX_VERSION */
    }
    module *mod = calloc(1, sizeof *mod);
    if (!mod || !(mod->image = malloc(size))) {
        free(mod);
        return 2;
    }
    memcpy(mod->image, bytes, size);
    mod->size = size;
    *m = mod;
    return 0;
}
API CUresult cuModuleUnload(void *m) { /* its shared object stays: another context may load the kernel again */
    module *mod = m;
    for (function *f = mod->fns, *n; f; f = n) {
        n = f->next;
        free(f);
    }
    free(mod->image);
    free(m);
    return 0;
}

/* The text of file path (malloc'd, NUL-terminated), or NULL. */
static char *slurp(const char *path) {
    FILE *s = fopen(path, "r");
    if (!s) return NULL;
    fseek(s, 0, SEEK_END);
    long len = ftell(s);
    fseek(s, 0, SEEK_SET);
    char *text = len >= 0 ? malloc((size_t)len + 1) : NULL;
    size_t got = text ? fread(text, 1, (size_t)len, s) : 0;
    fclose(s);
    if (text) text[got] = 0;
    return text;
}

/* The program (a .cu file under $KILN_CUDA_DUMP, by its name without .cu) that defines kernel
 * base: base.cu for a program of one kernel, else the program of several that has it. */
static bool program_of(const char *dir, const char *base, char *prog, size_t cap) {
    char path[1100], cmd[1400];
    snprintf(path, sizeof path, "%s/%s.cu", dir, base);
    if (access(path, R_OK) == 0) return snprintf(prog, cap, "%s", base), true;
    snprintf(cmd, sizeof cmd, "grep -l -F ' %s(const' '%s'/*_and_*.cu 2>/dev/null | head -1", base, dir);
    FILE *p = popen(cmd, "r");
    if (!p) return false;
    bool ok = fgets(path, sizeof path, p) != NULL;
    pclose(p);
    if (!ok) return false;
    path[strcspn(path, "\n")] = 0;
    const char *file = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    size_t l = strlen(file);
    if (l < 4 || strcmp(file + l - 3, ".cu")) return false;
    snprintf(prog, cap, "%.*s", (int)(l - 3), file);
    return true;
}

/* The C++ compiler: $CXX, else g++. */
static const char *cxx_name(void) { return getenv("CXX") && *getenv("CXX") ? getenv("CXX") : "g++"; }

/* " -fuse-ld=gold" where the compiler can link with GNU gold, else "": gold links a kernel's
 * object in a third of ld.bfd's time (0.04 s against 0.12-0.16, which had been as much as g++'s
 * compile in a run with nothing cached).  Asked once. */
static const char *gold_flag;
static void gold_ask(void) {
    char cmd[400];
    snprintf(cmd, sizeof cmd, "%s -fuse-ld=gold -Wl,--version > /dev/null 2>&1", cxx_name());
    gold_flag = system(cmd) == 0 ? " -fuse-ld=gold" : "";
}
static const char *link_flag(void) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, gold_ask);
    return gold_flag;
}

/* each kernel's entry in the wrapper g++ compiles */
#define WRAP_FORMAT "extern \"C\" void kc_fake_entry_%.*s(const void *p) { kc_fake_call(%.*s, p); }\n"

static uint64_t fnv1a_n(uint64_t h, const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
    return h;
}
static uint64_t fnv1a(uint64_t h, const char *s) { return fnv1a_n(h, s, strlen(s)); }

/* g++'s flags, part of every cache key.  -O0: the kernels run on a few thousand elements, where
 * g++'s time is what counts.  -fsanitize=alignment: a load or store the GPU would refuse
 * (CUDA_ERROR_MISALIGNED_ADDRESS) stops the process, as x86 would not: g++ says where (libubsan,
 * linked into the object); clang++ links no runtime into a shared object, so there it traps
 * (SIGILL).  A precompiled header must be made with the flags that use it. */
static const char flags_fmt[] = "%s -std=c++17 -O0 -w -fPIC -fsanitize=alignment %s";

/* Runs command cmd (which writes out), then renames out to final (another process or thread
 * sees all of it or none); false, with out removed, on failure. */
static bool make_file(const char *cmd, const char *out, const char *final) {
    if (system(cmd) == 0 && (!strcmp(out, final) || rename(out, final) == 0)) return true;
    fprintf(stderr, "fakecuda: could not make %s: %s\n", final, cmd);
    unlink(out);
    return false;
}

/* Writes n bytes of text to path; false if it cannot. */
static bool write_text(const char *path, const char *head, const char *text, size_t n) {
    FILE *f = fopen(path, "w");
    if (!f) return false;
    bool ok = fputs(head, f) >= 0 && fwrite(text, 1, n, f) == n;
    return fclose(f) == 0 && ok;
}

/* A program's preamble (the shared scalar-semantics header and the renderer's helpers: all
 * before its first kernel's "/\* ---- kiln_" line, the same text in most programs) as a header
 * precompiled under cache, shim.h included first: g++ then parses only the kernels (a third of
 * its time).  The header's path to #include, or "" where there is no such line (the routines)
 * or it cannot be made (then the text is compiled whole, as before). */
static void preamble_header(const char *cache, const char *flags, const char *shim, const char *shim_text,
                            const char *text, size_t n, char *hdr, size_t cap) {
    char tmp[1200], gch[1200], cmd[4096], head[1100];
    hdr[0] = 0;
    uint64_t h = fnv1a(fnv1a(fnv1a_n(0x84222325cbf29ce4ull, text, n), shim_text), flags);
    snprintf(hdr, cap, "%s/pre_%016llx.h", cache, (unsigned long long)h);
    snprintf(gch, sizeof gch, "%s.gch", hdr);
    if (access(gch, R_OK) == 0) return;
    snprintf(tmp, sizeof tmp, "%s.%ld.%lx.tmp", hdr, (long)getpid(), (unsigned long)pthread_self());
    snprintf(head, sizeof head, "#include \"%s\"\n", shim);
    if (!write_text(tmp, head, text, n) || rename(tmp, hdr) != 0) {
        unlink(tmp);
        hdr[0] = 0;
        return;
    }
    snprintf(cmd, sizeof cmd, "%s -x c++-header '%s' -o '%s'", flags, hdr, tmp);
    if (!make_file(cmd, tmp, gch)) hdr[0] = 0;
}

/* each kernel's entry in the wrapper g++ compiles */
#define WRAP_FORMAT "extern \"C\" void kc_fake_entry_%.*s(const void *p) { kc_fake_call(%.*s, p); }\n"

/* Compiles $KILN_CUDA_DUMP/<prog>.cu, with an entry for each of its kernels, into a shared
 * object.  With $KILN_FAKECUDA_CACHE, the object is kept there under a hash of what made it
 * (the program's text, the shim's, the compiler and its flags), so that another run or another
 * build of the same kernels (the sanitizer build's after the release build's) loads it without
 * g++, and the preamble is precompiled there (preamble_header). */
static void *compile(const char *prog) {
    const char *dir = getenv("KILN_CUDA_DUMP"), *shim = getenv("KILN_FAKECUDA_SHIM"), *cache = getenv("KILN_FAKECUDA_CACHE");
    const char *cxx = cxx_name();
    if (!dir || !shim) return NULL;
    char src[1024], wrap[1100], so[1100], out[1200], cmd[4096], flags[1200], hdr[1100] = "";
    snprintf(src, sizeof src, "%s/%s.cu", dir, prog);
    snprintf(wrap, sizeof wrap, "%s/%s.fake.cpp", dir, prog);
    snprintf(so, sizeof so, "%s/%s.fake.so", dir, prog);
    if (access(so, R_OK) == 0) return dlopen(so, RTLD_NOW | RTLD_LOCAL); /* compiled for an earlier module */
    char *text = slurp(src), *shim_text = text ? slurp(shim) : NULL;
    if (!shim_text) {
        free(text);
        return NULL;
    }
    snprintf(flags, sizeof flags, flags_fmt, cxx, strstr(cxx, "clang") ? "-fsanitize-trap=alignment" : "-fno-sanitize-recover=alignment");
    bool cached = cache && *cache;
    if (cached) {
        uint64_t h = fnv1a(fnv1a(fnv1a(0xcbf29ce484222325ull, text), shim_text), flags);
        snprintf(so, sizeof so, "%s/%016llx.so", cache, (unsigned long long)fnv1a(h, WRAP_FORMAT));
        if (access(so, R_OK) == 0) {
            void *lib = dlopen(so, RTLD_NOW | RTLD_LOCAL);
            if (lib) {
                free(text);
                free(shim_text);
                return lib;
            }
            fprintf(stderr, "fakecuda: %s (made again)\n", dlerror());
            unlink(so);
        }
        if (mkdir(cache, 0777) != 0 && errno != EEXIST) {
            fprintf(stderr, "fakecuda: cannot make %s\n", cache);
            free(text);
            free(shim_text);
            return NULL;
        }
    }
    const char *mark = strstr(text, "\n/* ---- kiln_"), *body = text;
    if (cached && mark) {
        preamble_header(cache, flags, shim, shim_text, text, (size_t)(mark + 1 - text), hdr, sizeof hdr);
        if (*hdr) body = mark + 1;
    }
    free(shim_text);
    FILE *f = fopen(wrap, "w");
    if (!f) {
        free(text);
        return NULL;
    }
    if (*hdr) { /* the precompiled preamble, then the kernels as lines of the program */
        int line = 1;
        for (const char *p = text; p < body; p++) line += *p == '\n';
        fprintf(f, "#include \"%s\"\n#line %d \"%s\"\n%s", hdr, line, src, body);
    } else {
        fprintf(f, "#include \"%s\"\n", src);
    }
    /* every kernel: "__launch_bounds__(256) NAME(const __grid_constant__" */
    for (const char *p = text; (p = strstr(p, "__launch_bounds__(")); p++) {
        const char *n = strchr(p, ')');
        if (!n) break;
        n += 2;
        int l = (int)strcspn(n, "(");
        fprintf(f, WRAP_FORMAT, l, n, l, n);
    }
    free(text);
    fclose(f);
    /* linked against this library (kiln loaded it RTLD_LOCAL): threadIdx and the barriers */
    Dl_info self;
    if (!dladdr((void *)cuInit, &self) || !self.dli_fname) return NULL;
    if (cached) { /* made beside it, then renamed */
        snprintf(out, sizeof out, "%s.%ld.%lx.tmp", so, (long)getpid(), (unsigned long)pthread_self());
    } else {
        snprintf(out, sizeof out, "%s", so);
    }
    snprintf(cmd, sizeof cmd, "%s%s -shared %s%s%s '%s' -o '%s' '%s'", flags, link_flag(), *hdr ? "" : "-include '",
             *hdr ? "" : shim, *hdr ? "" : "'", wrap, out, self.dli_fname);
    if (!make_file(cmd, out, so)) return NULL;
    void *h = dlopen(so, RTLD_NOW | RTLD_LOCAL);
    if (!h) fprintf(stderr, "fakecuda: %s\n", dlerror());
    return h;
}

/* Each function named in the module's image, from a program that has it (the same kernel may
 * be in several: its own, and a plan's); the programs' shared objects stay loaded. */
API CUresult cuModuleGetFunction(void **fn, void *m, const char *name) {
    module *mod = m;
    if (!memmem(mod->image, mod->size, name, strlen(name))) return 500; /* not in what was loaded */
    char base[128], prog[256];
    snprintf(base, sizeof base, "%s", name);
    size_t l = strlen(base);
    if (l > 5 && (!strcmp(base + l - 5, "_tree") || !strcmp(base + l - 5, "_rows"))) base[l - 5] = 0;
    const char *dir = getenv("KILN_CUDA_DUMP");
    void *so = dir && program_of(dir, base, prog, sizeof prog) ? compile(prog) : NULL;
    if (!so) return 500;
    char sym[256];
    snprintf(sym, sizeof sym, "kc_fake_entry_%s", name);
    void *e = dlsym(so, sym);
    function *f = e ? calloc(1, sizeof *f) : NULL;
    if (!f) return 500;
    *(void **)&f->entry = e;
    f->next = mod->fns;
    mod->fns = f;
    *fn = f; /* lives as long as its module */
    return 0;
}

/* ------------------------------------------------------------------ running a grid */

#define MAX_BLOCK 1024

/* A block's threads are fibers (ucontext) taking turns on the launching thread: a barrier
 * switches to the next fiber rather than waking 256 kernel threads, and each launch starts
 * none (a block of OS threads spent most of the fake suites' time in futex waits).  The
 * scheduler resumes every unfinished fiber in turn; a fiber at a barrier its group has not all
 * reached hands the turn back. */
#define FIBER_STACK (256 << 10) /* -O0 kernels, libm and UBSan's report; a guard page below each */
typedef struct barrier {
    unsigned arrived, live, gen; /* live: the group's fibers that have not returned */
} barrier;
static barrier block_bar, warp_bar[MAX_BLOCK / 32];
static uint64_t slots[2][MAX_BLOCK];
static ucontext_t sched, fibers[MAX_BLOCK];
static char *stacks; /* MAX_BLOCK stacks, made once */
static bool finished[MAX_BLOCK]; /* fibers that have returned */
static unsigned cur;             /* the fiber running */
static unsigned long progress;   /* arrivals, releases and returns: a pass without any is a deadlock */
static const function *launch_fn;
static const void *launch_args;

static void release(barrier *b) {
    b->arrived = 0;
    b->gen++;
    progress++;
}

/* Waits until every live fiber of b's group has arrived. */
static void arrive(barrier *b) {
    unsigned gen = b->gen;
    progress++;
    if (++b->arrived == b->live) {
        release(b);
        return;
    }
    while (b->gen == gen) swapcontext(&fibers[cur], &sched); /* resumed with threadIdx set */
}

API void kc_fake_syncthreads(void) { arrive(&block_bar); }

/* Through two sets of slots, alternate exchanges in each: a lane may write the next set while
 * others still read this one, and none writes this one again before they all have (each passes
 * the next exchange's barrier first), so one barrier an exchange. */
API uint64_t kc_fake_shfl_down(uint64_t bits, int d) {
    unsigned t = threadIdx.x, w = t / 32, lane = t % 32, set = warp_bar[w].gen & 1;
    slots[set][t] = bits;
    arrive(&warp_bar[w]);
    return lane + (unsigned)d < 32 ? slots[set][t + (unsigned)d] : bits;
}

/* A fiber: its thread of every block, the block's barrier between blocks (the next block starts
 * when this one is done); on return, no longer counted by its barriers. */
static void fiber_main(void) {
    unsigned t = cur;
    for (unsigned b = 0; b < gridDim.x; b++) {
        blockIdx.x = b;
        launch_fn->entry(launch_args);
        arrive(&block_bar);
    }
    barrier *bs[2] = {&block_bar, &warp_bar[t / 32]};
    for (int i = 0; i < 2; i++)
        if (--bs[i]->live && bs[i]->arrived == bs[i]->live) release(bs[i]);
    finished[t] = true;
    progress++;
}

API CUresult cuLaunchKernel(void *fn, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                            unsigned shmem, void *stream, void **params, void **extra) {
    (void)shmem, (void)stream, (void)extra;
    if (gy != 1 || gz != 1 || by != 1 || bz != 1 || bx == 0 || bx > MAX_BLOCK || bx % 32 || !params) return 1;
    static pthread_mutex_t one = PTHREAD_MUTEX_INITIALIZER; /* one grid at a time */
    pthread_mutex_lock(&one);
    long page = sysconf(_SC_PAGESIZE);
    if (!stacks) {
        stacks = mmap(NULL, (size_t)MAX_BLOCK * FIBER_STACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (stacks == MAP_FAILED) {
            stacks = NULL;
            pthread_mutex_unlock(&one);
            return 2;
        }
        for (unsigned t = 0; t < MAX_BLOCK; t++) mprotect(stacks + (size_t)t * FIBER_STACK, (size_t)page, PROT_NONE);
    }
    gridDim = (struct kc_fake_dim){gx, 1, 1};
    blockDim = (struct kc_fake_dim){bx, 1, 1};
    launch_fn = fn;
    launch_args = params[0];
    block_bar = (barrier){.live = bx};
    for (unsigned w = 0; w < bx / 32; w++) warp_bar[w] = (barrier){.live = 32};
    for (unsigned t = 0; t < bx; t++) {
        getcontext(&fibers[t]);
        fibers[t].uc_stack.ss_sp = stacks + (size_t)t * FIBER_STACK + page;
        fibers[t].uc_stack.ss_size = FIBER_STACK - (size_t)page;
        fibers[t].uc_link = &sched;
        makecontext(&fibers[t], fiber_main, 0);
    }
    struct kc_fake_dim saved_t = threadIdx, saved_b = blockIdx;
    memset(finished, 0, bx * sizeof *finished);
    for (unsigned left = bx; left;) {
        unsigned long before = progress;
        for (unsigned t = 0; t < bx; t++) {
            if (finished[t]) continue;
            cur = t;
            threadIdx.x = t;
            swapcontext(&sched, &fibers[t]);
            left -= finished[t];
        }
        if (left && progress == before) {
            fprintf(stderr, "fakecuda: a block's threads wait at barriers that cannot all be passed (a deadlock)\n");
            abort();
        }
    }
    threadIdx = saved_t, blockIdx = saved_b;
    pthread_mutex_unlock(&one);
    return 0;
}
