/*
 * ctx.h — the context and the array object, shared by the runtime's files.
 *
 * The context owns the graph (ir/graph.c), the kernel cache (runtime/cache.c), the CPU backend
 * (started on the first compile), and a pool of large buffers (runtime/array.c).
 */
#ifndef KILN_RUNTIME_CTX_H
#define KILN_RUNTIME_CTX_H

#include <pthread.h>
#include <stdatomic.h>

#include "../ir/graph.h"
#include "cache.h"
#include "diskcache.h"

struct cpu_backend;

/* A recycled large buffer. */
typedef struct pool_buf {
    void *p;
    size_t size;
} pool_buf;
#define KILN_POOL_SLOTS 16

struct kiln_ctx {
    kiln_alloc_fn alloc;       /* allocator hook, never NULL */
    void *alloc_ud;
    atomic_int nthreads;       /* threads for kernels, >= 1 */
    ir_graph graph;            /* every expression node */
    kcache cache;              /* compiled kernels by structure */
    pthread_mutex_t lock;      /* guards pool and backend start-up */
    struct cpu_backend *cpu;   /* NULL until the first compile */
    diskcache disk;            /* opened with the backend (under cache.compile) */
    bool disk_open;
    pool_buf pool[KILN_POOL_SLOTS]; /* free large buffers, size 0 where empty */
    kiln_array *arrays;        /* every live array (a list through prev/next), freed last */
    struct {
        atomic_uint_fast64_t evals, compiled, hits, misses;
        atomic_uint_fast64_t ns_fuse, ns_emit, ns_opt, ns_codegen, ns_jit_init;
        atomic_uint_fast64_t disk_hits, disk_misses, disk_corrupt, disk_stores, ns_disk_load, ns_parse, ns_first_run;
    } st;
};

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
    void *map;                      /* owned file mapping (kiln_load_npy), else NULL */
    size_t map_size;
    kiln_array *prev, *next;        /* the context's list of live arrays, under ctx->lock */
};

/* Frees every array still alive (at context teardown). */
void kiln_arrays_free_all(kiln_ctx *ctx);

/* Large-buffer allocation with huge pages and reuse (runtime/array.c). */
void *kiln_buf_alloc(kiln_ctx *ctx, size_t size);
void kiln_buf_release(kiln_ctx *ctx, void *p, size_t size);
void kiln_buf_pool_drain(kiln_ctx *ctx);

/* The lowest and one-past-highest byte an array touches. */
void kiln_array_extent(const kiln_array *a, const char **lo, const char **hi);

#endif
