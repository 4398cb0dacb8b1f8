/*
 * ctx.h — the context and the array object, shared by the runtime's files.
 *
 * The runtime is the top floor of the library: it owns the context's lifecycle, the arrays,
 * the plans, the kernel caches and the choice of backend, and it is the public API's home
 * (runtime/expr.c binds the builders to the graph).  It stands on the ground floor (base/),
 * the IR (ir/) and the backend contract (codegen/backend.h); the backends themselves are named
 * only in the table of runtime/backends.c.
 */
#ifndef KILN_RUNTIME_CTX_H
#define KILN_RUNTIME_CTX_H

#include <pthread.h>
#include <stdatomic.h>
#include <sys/types.h>

#include "../codegen/backend.h"
#include "../ir/graph.h"
#include "cache.h"
#include "diskcache.h"

/* A recycled buffer: a large one (mapped), or a middling one of malloc's heap. */
typedef struct rt_pool_buf {
    void *p;
    size_t size;
    uint64_t stamp; /* when it was released (ctx->pool_clock): the oldest makes room first */
    uint64_t since; /* ctx->pool_misses when it came: RT_POOL_STALE misses later it goes */
    bool heap;      /* freed, not unmapped */
} rt_pool_buf;
#define RT_POOL_SLOTS 16
/* Allocations the pool could not serve, while a buffer sat in it unused, after which the buffer
 * is given back (a program whose sizes change, n * 10^6 elements for n = 1, 2, ..., kept 4 GB
 * resident of buffers no size would take again) */
#define RT_POOL_STALE 3
#define RT_MANY_PLANS 16
#define RT_MAX_BACKENDS 4
#define RT_TIER_QUEUE 32 /* background compiles waiting at most; more are dropped and retried */

/* The background compiler of the tier policy (runtime/tier.c): one thread per context, started
 * on the first compile it is given, with a bounded queue. */
typedef struct rt_tier {
    pthread_mutex_t lock;
    pthread_cond_t wake, idle;
    pthread_t thread;
    bool started, stop;
    pid_t pid; /* the process that started thread (a forked child has no thread: it starts one) */
    kslot *queue[RT_TIER_QUEUE];
    int head, count, busy;
    struct rt_tier *next; /* the process's list of them, which fork() waits on (tier.c) */
} rt_tier;

/* A child made by fork() after kiln ran OpenMP threads: libgomp's pool is gone there, and a
 * parallel region would wait for it forever, so every context runs on one thread (ctx.c's
 * pthread_atfork handler sets this when the parent had asked for more than one thread,
 * rt_threads_used; OpenBLAS is told through the ICV, on the first call after). */
extern atomic_bool rt_forked, rt_threads_used;

/* A handle a layer above made on the context (a frontend's scope): released by kiln_ctx_free
 * when its owner has not released it first (rt_disown). */
typedef struct rt_owned {
    struct rt_owned *prev, *next;
    void (*release)(struct rt_owned *o);
} rt_owned;
void rt_own(kiln_ctx *ctx, rt_owned *o);
void rt_disown(kiln_ctx *ctx, rt_owned *o);

struct kiln_ctx {
    kiln_base base;            /* the allocator hook: first, as base/base.h requires */
    atomic_int nthreads;       /* threads for kernels, >= 1 */
    atomic_size_t spare_bytes; /* the plans' spare temporaries' bytes (at most RT_SPARE_CTX_BYTES) */
    ir_graph graph;            /* every expression node */
    ir_hooks hooks;            /* what the graph calls for arrays and plans it holds */
    kcache cache;              /* compiled kernels by backend, target and structure */
    pthread_mutex_t lock;      /* guards the pool, the array list and starting backends */
    int backend;               /* index in the backend table of the one evaluations use, or -1 */
    char backend_why[256];     /* when -1: why (an unknown name) */
    _Atomic(void *) be_state[RT_MAX_BACKENDS]; /* each backend's state once started, by index */
    uint64_t be_target[RT_MAX_BACKENDS][2]; /* a 128-bit hash of each started backend's target
                                  (set before its state is published): kernels' keys hold it */
    atomic_uint generation;    /* bumped when the backend changes: older plans are stale */
    atomic_int tier;           /* kiln_tier: AUTO, INTERP or JIT */
    uint64_t jit_after_ns;     /* AUTO: interpreted time after which a kernel is compiled */
    rt_tier worker;            /* background compiles */
    diskcache disk;            /* opened on the first compile (under cache.compile) */
    bool disk_open;
    rt_pool_buf pool[RT_POOL_SLOTS]; /* free large and middling buffers, size 0 where empty */
    uint64_t pool_clock;       /* releases to the pool so far: its buffers' stamps */
    uint64_t pool_misses;      /* allocations of pooled sizes it could not serve (rt_pool_buf.since) */
    struct rt_many {         /* plans of several roots (kiln_eval_many), by their roots */
        struct rt_plan *plan;
        int n;
        kiln_expr **roots;
        uint64_t *serials;
        uint64_t used;
    } many[RT_MANY_PLANS];
    uint64_t many_tick;
    kiln_array *arrays;        /* every live array (a list through prev/next), freed last */
    rt_owned *owned;           /* the handles of layers above not yet released, under lock */
    pthread_mutex_t replay_lock; /* guards the list of replay records */
    struct rt_replay *replays; /* every plan's replay record (replay.c), for kiln_get_stats */
    struct {
        atomic_uint_fast64_t evals, compiled, compiler_runs, hits, misses, plans;
        atomic_uint_fast64_t ns_fuse, ns_emit, ns_opt, ns_codegen, ns_jit_init;
        atomic_uint_fast64_t disk_hits, disk_misses, disk_corrupt, disk_stores, ns_disk_load, ns_parse, ns_first_run;
        atomic_uint_fast64_t runs_interp, runs_compiled, tier_kernels, tier_queued, tier_started, tier_compiled, tier_dropped, ns_background;
        atomic_uint_fast64_t replayed, replayed_interp; /* replayed runs of records freed (live ones
                                                           count their own) */
        atomic_uint_fast64_t shared_folds; /* reductions folded in a one pass over a shared matrix
                                              (shared.c), for the tests */
    } st;
};

_Static_assert(offsetof(struct kiln_ctx, base) == 0, "a context begins with its kiln_base");

/* kiln_base's blob hooks (kernels.c): the disk cache for a backend's own bytes, under the
 * context's compile lock, counted with the kernels' hits and stores, and the compiles that made
 * them with the kernels' compiler runs. */
bool rt_blob_load(kiln_ctx *ctx, const void *key, size_t klen, void **bytes, size_t *len, bool *replace);
void rt_blob_store(kiln_ctx *ctx, const void *key, size_t klen, const void *bytes, size_t len);
void rt_blob_compiled(kiln_ctx *ctx, uint64_t ns);

struct kiln_array {
    atomic_uint refs;
    uint8_t dtype;                  /* kiln_dtype */
    uint8_t ndim;
    kiln_ctx *ctx;
    char *data;                     /* first element */
    int64_t shape[KILN_MAX_DIMS];
    int64_t strides[KILN_MAX_DIMS]; /* bytes */
    kiln_array *base;               /* view: the array whose memory this is (a reference) */
    void *buf;                      /* owned buffer (kiln_array_new), else NULL */
    size_t buf_size;
    void *map;                      /* owned file mapping (kiln_map_npy), else NULL */
    size_t map_size;
    bool on_device;                 /* kiln_wrap_device: its home is a device's memory; buf is its host copy */
    bool readonly;                  /* NumPy's read-only view (diagonal's, broadcast_to's) bound to a name: the
                                       kiln program refuses to write into it; views of it are read-only too */
    kiln_array *prev, *next;        /* the context's list of live arrays, under ctx->lock */
};

/* ---- arrays and buffers (runtime/array.c) ---- */

/* Checks dt, rank and shape, and that the array's bytes can be counted: NumPy refuses a shape
 * whose nonzero dims multiply past the largest size (even when another dim is zero).  The
 * element count goes to *count.  An error names fn. */
kiln_status rt_shape_check(kiln_ctx *ctx, const char *fn, kiln_dtype dt, int ndim, const int64_t *shape, int64_t *count);
/* "(3, 4)", "(5,)", "()" */
typedef struct rt_shape_text {
    char s[200];
} rt_shape_text;
rt_shape_text rt_shape_str(int ndim, const int64_t *shape);
/* head then body written to path as kiln_save_npy writes a file: a temporary file beside it
 * renamed over it once whole (a full disk or a size limit leaves the old file as it was),
 * through symlinks, keeping an existing file's mode, refusing a read-only one; where no file can
 * be made beside it (a directory not writable) but the file can be written, into it.  streams: a
 * path under /dev or /proc, a terminal or a pipe (/dev/stdout, even redirected to a file) is
 * written into as it is, as NumPy's open() writes it (without: refused, not a regular file). */
kiln_status rt_write_file(kiln_ctx *ctx, const char *path, bool streams, const void *head, size_t hlen, const void *body, size_t blen);
/* kiln_variance and kiln_std with any ddof (NumPy's: 0.5, True; the C API's is an int, as it was
 * in libkiln.so.0) */
kiln_expr *rt_variance(kiln_ctx *ctx, kiln_expr *x, unsigned axes, double ddof, int keepdims);
kiln_expr *rt_std(kiln_ctx *ctx, kiln_expr *x, unsigned axes, double ddof, int keepdims);
/* A view struct of a (its memory, dtype, shape and strides; nothing of its ownership), for
 * arrays made on the stack while a plan runs. */
void rt_array_view_struct(kiln_array *dst, const kiln_array *a);

/* Frees every array still alive (at context teardown). */
void rt_arrays_free_all(kiln_ctx *ctx);
/* Large-buffer allocation with huge pages and reuse. */
void *rt_buf_alloc(kiln_ctx *ctx, size_t size);
void rt_buf_release(kiln_ctx *ctx, void *p, size_t size);
void rt_buf_pool_drain(kiln_ctx *ctx);
/* The lowest and one-past-highest byte an array touches. */
void rt_array_extent(const kiln_array *a, const char **lo, const char **hi);
/* Whether a's elements lie in C order, one after another (dims of length 1 aside). */
bool rt_array_c_contiguous(const kiln_array *a);
/* p's n elements of es bytes set to elem's, by up to the context's threads (one a MiB). */
void rt_fill(kiln_ctx *ctx, char *p, int64_t n, size_t es, const char *elem);
/* p's n elements of dt set to arange's and linspace's ramp, start + i * step (host_ramp's
 * values), by up to the context's threads (one a MiB). */
void rt_ramp(kiln_ctx *ctx, char *p, int64_t n, kiln_dtype dt, kscalar start, kscalar step);
/* Tells every device backend ctx has started that the host is about to read (KILN_SYNC_READ)
 * or write (KILN_SYNC_WRITE) a's bytes, or frees them (KILN_SYNC_FREE); a NULL: all memory.
 * Nothing for host backends. */
void rt_device_sync(kiln_ctx *ctx, const kiln_array *a, int how);
/* Whether ctx has started a backend whose kernels run on a device (its memory then needs syncs). */
bool rt_device_started(kiln_ctx *ctx);

/* ---- backends (runtime/backends.c) ---- */

/* The table of backends this build has, and how many. */
extern const kiln_backend_i *const rt_backends[];
extern const int rt_nbackends;
/* Index of the backend called name, or -1. */
int rt_backend_find(const char *name);
/* The context's backend, started (its state in *state); NULL with KILN_ERR_BACKEND set when
 * there is none or it cannot start here.  Starting time goes to ns_jit_init. */
const kiln_backend_i *rt_backend(kiln_ctx *ctx, void **state);
/* The state of the backend at index b, starting it if needed; NULL with an error when it cannot
 * start here. */
void *rt_backend_start(kiln_ctx *ctx, int b);
/* The table index of backend be. */
int rt_backend_index(const kiln_backend_i *be);
/* Chooses ctx's backend by name (NULL: $KILN_BACKEND, else the build's default); an unknown name
 * leaves none, and evaluations then fail saying why. */
void rt_backend_choose(kiln_ctx *ctx, const char *name);

/* ---- the tier policy (runtime/tier.c) ---- */

void rt_tier_init(kiln_ctx *ctx, kiln_tier tier);
/* Stops the background thread (after the compile it is running) and drops what is queued. */
void rt_tier_shutdown(kiln_ctx *ctx);
/* Queues slot's compile (state KSLOT_INTERP); false when the queue is full. */
bool rt_tier_queue(kiln_ctx *ctx, kslot *slot);
/* slot's kernel from the disk cache (slot->disk said it is there), loaded with its backend; NULL
 * when it would not load, *r saying what the disk cache said then. */
kiln_kernel *rt_disk_load(kiln_ctx *ctx, kslot *slot, dc_result *r);

/* ---- statistics ---- */

void kiln_note_parse(kiln_ctx *ctx, uint64_t ns); /* the frontend's time, for kiln_stats */

/* The threads ctx's kernels run on: its count, or 1 in a forked child (rt_forked), or fewer
 * where the address-space limit leaves no room for more threads' stacks (rt_threads_grow). */
int rt_forked_threads(void); /* 1, the ICV made 1 the first time */
extern atomic_int rt_threads_room; /* teams this big need no measure (no address-space limit) */
int rt_threads_grow(int n);
static inline int rt_nthreads(const kiln_ctx *ctx) {
    if (atomic_load_explicit(&rt_forked, memory_order_relaxed)) return rt_forked_threads();
    int n = atomic_load_explicit(&((kiln_ctx *)ctx)->nthreads, memory_order_relaxed);
    return n <= atomic_load_explicit(&rt_threads_room, memory_order_relaxed) ? n : rt_threads_grow(n);
}

/* The reference evaluator on arrays (for the tests and the tools): e into out. */
kiln_status rt_ref_eval(kiln_ctx *ctx, kiln_expr *e, kiln_array *out);

#endif
