/*
 * array.c — arrays (wrapped caller memory, kiln-allocated buffers, views) and the buffer pool.
 *
 * Pipeline position: the runtime's data side.  Fresh pages are expensive on the machines kiln
 * targets (a first touch costs ~10 µs per 4 KiB page in a VM), so large buffers are mapped
 * with transparent huge pages and recycled through a small per-context pool.
 */
#include <stdlib.h>
#include <string.h>
#include <omp.h>
#include <sys/mman.h>

#include "../codegen/host.h"
#include "ctx.h"

#define POOLED (1u << 20)          /* from here on: mmap and pooling (malloc's heap would give these
                                      back and fault them in again, one page at a time) */
#define HEAP_POOLED (64u << 10)    /* from here to POOLED: malloc's heap, pooled where a slot is free
                                      (freed, a few such buffers at the heap's top went back to the
                                      system and came again at the next call, each page faulted in:
                                      unique(10^4 float64) 30 or 38 us by where its buffers fell) */
#define BIG_BUFFER (4u << 20)      /* from here on: huge pages too */
#define HUGE_PAGE (2u << 20)
#define POOL_GRAIN (64u << 10)     /* what a mapped buffer below BIG_BUFFER is rounded to (a heap one: to 64 bytes) */
#define POOL_MAX_BYTES (4ull << 30) /* most bytes the pool keeps */

static size_t round_up(size_t n, size_t a) { return (n + a - 1) / a * a; }

/* The bytes a pooled buffer of size bytes spans. */
static size_t pooled_size(size_t size) { return round_up(size, size >= BIG_BUFFER ? HUGE_PAGE : POOL_GRAIN); }

/* KILN_MAX_ARRAY_MB: the most bytes one array may have (unset: no limit but the machine's). */
static size_t max_array_bytes = SIZE_MAX;
static pthread_once_t max_once = PTHREAD_ONCE_INIT;
static void max_read(void) {
    const char *m = getenv("KILN_MAX_ARRAY_MB");
    double mb = m ? atof(m) : 0;
    if (mb > 0 && mb < (double)(SIZE_MAX >> 21)) max_array_bytes = (size_t)(mb * 1048576.0); /* (beyond: no limit, not a cast past size_t) */
}

static void pool_buf_free(const rt_pool_buf *b) {
    if (b->heap) free(b->p);
    else munmap(b->p, b->size);
}

void *rt_buf_alloc(kiln_ctx *ctx, size_t size) {
    pthread_once(&max_once, max_read);
    if (size > max_array_bytes) {
        kiln_fail(ctx, KILN_ERR_NOMEM, "an array of %zu bytes is over the limit KILN_MAX_ARRAY_MB sets", size);
        return NULL;
    }
    bool heap = size < POOLED;
    size_t want = heap ? round_up(size ? size : 1, 64) : pooled_size(size);
    if (size >= HEAP_POOLED) {
        pthread_mutex_lock(&ctx->lock);
        int best = -1;
        for (int i = 0; i < RT_POOL_SLOTS; i++) {
            size_t s = ctx->pool[i].size;
            if (ctx->pool[i].heap == heap && s >= want && s <= 2 * want && (best < 0 || s < ctx->pool[best].size)) best = i;
        }
        if (best >= 0) {
            void *p = ctx->pool[best].p;
            size_t s = ctx->pool[best].size;
            ctx->pool[best] = (rt_pool_buf){0};
            pthread_mutex_unlock(&ctx->lock);
            /* (released, a mapped one is want bytes: its tail would never be unmapped; a heap one
             * keeps its bytes, of which free needs no count) */
            if (!heap && s > want) munmap((char *)p + want, s - want);
            return p;
        }
        /* a miss: the buffers that have sat through RT_POOL_STALE of them go back */
        rt_pool_buf stale[RT_POOL_SLOTS];
        int nstale = 0;
        ctx->pool_misses++;
        for (int i = 0; i < RT_POOL_SLOTS; i++)
            if (ctx->pool[i].size && ctx->pool_misses - ctx->pool[i].since >= RT_POOL_STALE) {
                stale[nstale++] = ctx->pool[i];
                ctx->pool[i] = (rt_pool_buf){0};
            }
        pthread_mutex_unlock(&ctx->lock);
        for (int i = 0; i < nstale; i++) pool_buf_free(&stale[i]);
    }
    if (heap) { /* (a few elements: malloc's 16-byte alignment holds any element, which is all kernels
                   ask, and costs a third of aligned_alloc's: a loop's scalars are such arrays) */
        void *p = want <= 64 ? malloc(want) : aligned_alloc(64, want);
        if (!p) kiln_fail(ctx, KILN_ERR_NOMEM, "out of memory (%zu bytes of array data)", size);
        return p;
    }
    if (size < BIG_BUFFER) {
        void *p = mmap(NULL, want, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p != MAP_FAILED) return p;
        kiln_fail(ctx, KILN_ERR_NOMEM, "out of memory (%zu bytes of array data)", size);
        return NULL;
    }
    /* map with room to align the start to a huge page, then trim both ends */
    char *raw = mmap(NULL, want + HUGE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) {
        kiln_fail(ctx, KILN_ERR_NOMEM, "out of memory (%zu bytes of array data)", size);
        return NULL;
    }
    char *p = (char *)round_up((uintptr_t)raw, HUGE_PAGE);
    if (p > raw) munmap(raw, (size_t)(p - raw));
    size_t tail = (size_t)(raw + want + HUGE_PAGE - (p + want));
    if (tail) munmap(p + want, tail);
    madvise(p, want, MADV_HUGEPAGE);
    return p;
}

/* Returns a buffer from rt_buf_alloc: big ones to the pool, where the buffers released longest
 * ago make room for it (a long session's new sizes are recycled too, not only the first
 * sixteen's: a 4 MB result of every call faulted its pages in afresh once the slots were full).
 * One buffer near POOL_MAX_BYTES may so empty the pool; one above it is unmapped at once.  A
 * middling one (the heap's) takes only a free slot, else is freed; and they make room first,
 * the oldest of them, since they cost little to allocate again. */
void rt_buf_release(kiln_ctx *ctx, void *p, size_t size) {
    if (!p) return;
    bool heap = size < POOLED;
    if (size < HEAP_POOLED) {
        free(p);
        return;
    }
    size_t want = heap ? round_up(size, 64) : pooled_size(size);
    if (want > POOL_MAX_BYTES) {
        munmap(p, want);
        return;
    }
    rt_pool_buf gone[RT_POOL_SLOTS], mine = {.p = p, .size = want, .heap = heap};
    int ngone = 0;
    pthread_mutex_lock(&ctx->lock);
    for (;;) {
        size_t total = 0;
        int empty = -1, oldest = -1;
        for (int i = 0; i < RT_POOL_SLOTS; i++) {
            const rt_pool_buf *b = &ctx->pool[i];
            total += b->size;
            if (!b->size) empty = i;
            else if (oldest < 0 || b->heap > ctx->pool[oldest].heap || (b->heap == ctx->pool[oldest].heap && b->stamp < ctx->pool[oldest].stamp))
                oldest = i;
        }
        if (empty >= 0 && total + want <= POOL_MAX_BYTES) {
            mine.stamp = ++ctx->pool_clock;
            mine.since = ctx->pool_misses;
            ctx->pool[empty] = mine;
            break;
        }
        if (heap) { /* (no room made for it) */
            gone[ngone++] = mine;
            break;
        }
        gone[ngone++] = ctx->pool[oldest]; /* (want fits alone: some slot is full while it does not) */
        ctx->pool[oldest] = (rt_pool_buf){0};
    }
    pthread_mutex_unlock(&ctx->lock);
    for (int i = 0; i < ngone; i++) pool_buf_free(&gone[i]);
}

void rt_buf_pool_drain(kiln_ctx *ctx) {
    rt_pool_buf gone[RT_POOL_SLOTS];
    pthread_mutex_lock(&ctx->lock);
    memcpy(gone, ctx->pool, sizeof gone);
    memset(ctx->pool, 0, sizeof ctx->pool);
    pthread_mutex_unlock(&ctx->lock);
    for (int i = 0; i < RT_POOL_SLOTS; i++)
        if (gone[i].size) pool_buf_free(&gone[i]);
}

void kiln_trim(kiln_ctx *ctx) {
    if (ctx) rt_buf_pool_drain(ctx);
}

/* ------------------------------------------------------------------ arrays */

kiln_status rt_shape_check(kiln_ctx *ctx, const char *fn, kiln_dtype dt, int ndim, const int64_t *shape, int64_t *count) {
    if (!dtype_valid(dt)) return kiln_fail(ctx, KILN_ERR_ARG, "%s: invalid dtype %d", fn, (int)dt);
    if (ndim < 0 || ndim > KILN_MAX_DIMS) return kiln_fail(ctx, KILN_ERR_ARG, "%s: rank %d is outside 0..%d", fn, ndim, KILN_MAX_DIMS);
    if (ndim > 0 && !shape) return kiln_fail(ctx, KILN_ERR_ARG, "%s: shape is NULL", fn);
    int64_t n = 1, nonzero = (int64_t)kiln_dtype_size(dt), lim = INT64_MAX / 16;
    for (int d = 0; d < ndim; d++) {
        if (shape[d] < 0) return kiln_fail(ctx, KILN_ERR_SHAPE, "%s: negative dimensions are not allowed", fn);
        if (shape[d] && nonzero > lim / shape[d])
            return kiln_fail(ctx, KILN_ERR_SHAPE, "%s: array is too big; its size in bytes would overflow", fn);
        if (shape[d]) nonzero *= shape[d];
        n *= shape[d];
    }
    *count = n;
    return KILN_OK;
}

rt_shape_text rt_shape_str(int ndim, const int64_t *shape) {
    rt_shape_text t;
    size_t o = (size_t)snprintf(t.s, sizeof t.s, "(");
    for (int d = 0; d < ndim && o < sizeof t.s; d++) o += (size_t)snprintf(t.s + o, sizeof t.s - o, "%s%lld", d ? ", " : "", (long long)shape[d]);
    if (o < sizeof t.s) snprintf(t.s + o, sizeof t.s - o, ndim == 1 ? ",)" : ")");
    return t;
}

void rt_array_view_struct(kiln_array *dst, const kiln_array *a) {
    memset(dst, 0, sizeof *dst);
    dst->dtype = a->dtype;
    dst->ndim = a->ndim;
    dst->ctx = a->ctx;
    dst->data = a->data;
    memcpy(dst->shape, a->shape, sizeof dst->shape);
    memcpy(dst->strides, a->strides, sizeof dst->strides);
}

static kiln_array *array_alloc(kiln_ctx *ctx, kiln_dtype dt, int ndim, const int64_t *shape) {
    kiln_array *a = kiln_calloc(ctx, sizeof *a);
    if (!a) return NULL;
    atomic_init(&a->refs, 1);
    a->ctx = ctx;
    a->dtype = (uint8_t)dt;
    a->ndim = (uint8_t)ndim;
    for (int d = 0; d < ndim; d++) a->shape[d] = shape[d];
    int64_t s = (int64_t)kiln_dtype_size(dt);
    for (int d = ndim - 1; d >= 0; d--) {
        a->strides[d] = s;
        s *= shape[d];
    }
    pthread_mutex_lock(&ctx->lock);
    a->next = ctx->arrays;
    if (a->next) a->next->prev = a;
    ctx->arrays = a;
    pthread_mutex_unlock(&ctx->lock);
    return a;
}

static void array_destroy(kiln_array *a) {
    kiln_ctx *ctx = a->ctx;
    pthread_mutex_lock(&ctx->lock);
    if (a->prev) a->prev->next = a->next;
    else ctx->arrays = a->next;
    if (a->next) a->next->prev = a->prev;
    pthread_mutex_unlock(&ctx->lock);
    rt_device_sync(ctx, a, KILN_SYNC_FREE);
    rt_buf_release(ctx, a->buf, a->buf_size);
    if (a->map) munmap(a->map, a->map_size);
    kiln_free(ctx, a);
}

void rt_arrays_free_all(kiln_ctx *ctx) {
    while (ctx->arrays) array_destroy(ctx->arrays); /* views and bases alike: no refcounts now */
}

/* Whether the bytes of n elements of es bytes, at byte offset off with shape and strides, lie
 * within 64-bit byte offsets of the start; else an error naming fn. */
static bool span_fits(kiln_ctx *ctx, const char *fn, int64_t n, int64_t es, int ndim, const int64_t *shape, const int64_t *strides, int64_t off) {
    int64_t lo = off, hi = off, step; /* the first and last bytes' offsets: they must not overflow */
    bool over = __builtin_add_overflow(hi, n > 0 ? es - 1 : 0, &hi);
    for (int d = 0; d < ndim && n > 0 && !over; d++)
        over = __builtin_mul_overflow(shape[d] - 1, strides[d], &step) || __builtin_add_overflow(step < 0 ? lo : hi, step, step < 0 ? &lo : &hi);
    if (over) kiln_fail(ctx, KILN_ERR_ARG, "%s: the offset and strides reach past 64-bit byte offsets", fn);
    return !over;
}

kiln_array *kiln_wrap(kiln_ctx *ctx, kiln_dtype dt, int ndim, const int64_t *shape, const int64_t *strides, void *data) {
    if (!ctx) return NULL;
    int64_t n;
    if (rt_shape_check(ctx, "kiln_wrap", dt, ndim, shape, &n) != KILN_OK) return NULL;
    if (!data && n > 0) {
        kiln_fail(ctx, KILN_ERR_ARG, "kiln_wrap: data is NULL");
        return NULL;
    }
    size_t es = kiln_dtype_size(dt); /* kernels load whole elements: an element off its alignment is not one */
    bool misaligned = (uintptr_t)data % es != 0;
    for (int d = 0; strides && d < ndim && !misaligned; d++) misaligned = shape[d] > 1 && strides[d] % (int64_t)es != 0;
    if (misaligned && n > 0) {
        kiln_fail(ctx, KILN_ERR_ARG, "kiln_wrap: data and strides must be multiples of the element size (%zu bytes) for %s",
                  es, kiln_dtype_name(dt));
        return NULL;
    }
    if (strides && !span_fits(ctx, "kiln_wrap", n, (int64_t)es, ndim, shape, strides, 0)) return NULL;
    kiln_array *a = array_alloc(ctx, dt, ndim, shape);
    if (!a) return NULL;
    if (strides) memcpy(a->strides, strides, (size_t)ndim * sizeof *strides);
    a->data = data;
    return a;
}

kiln_array *kiln_wrap_device(kiln_ctx *ctx, kiln_dtype dt, int ndim, const int64_t *shape, const int64_t *strides,
                             uint64_t device_ptr) {
    if (!ctx) return NULL;
    int64_t n;
    if (rt_shape_check(ctx, "kiln_wrap_device", dt, ndim, shape, &n) != KILN_OK) return NULL;
    void *state = NULL;
    const kiln_backend_i *be = rt_backend(ctx, &state);
    if (!be) return NULL;
    if (!be->adopt) {
        kiln_fail(ctx, KILN_ERR_BACKEND, "kiln_wrap_device: the context's backend (%s) runs on this machine's cores, not a GPU; choose cuda", be->name);
        return NULL;
    }
    size_t es = kiln_dtype_size(dt);
    int64_t span = (int64_t)es;
    for (int d = 0; strides && d < ndim; d++) {
        if (strides[d] < 0 || (shape[d] > 1 && strides[d] % (int64_t)es)) {
            kiln_fail(ctx, KILN_ERR_ARG, "kiln_wrap_device: strides must be non-negative multiples of the element size (%zu bytes)", es);
            return NULL;
        }
        if (shape[d] > 0) span += (shape[d] - 1) * strides[d];
    }
    if (!strides) span = n * (int64_t)es;
    if ((!device_ptr && n > 0) || device_ptr % es) {
        kiln_fail(ctx, KILN_ERR_ARG, "kiln_wrap_device: the device pointer is NULL or not aligned to its element (%zu bytes)", es);
        return NULL;
    }
    kiln_array *a = array_alloc(ctx, dt, ndim, shape);
    if (!a) return NULL;
    if (strides) memcpy(a->strides, strides, (size_t)ndim * sizeof *strides);
    a->buf_size = (size_t)(n ? span : 0);
    a->buf = rt_buf_alloc(ctx, a->buf_size);
    a->data = a->buf;
    a->on_device = true;
    if (!a->buf || (n && be->adopt(state, ctx, a->buf, a->buf_size, device_ptr) != KILN_OK)) {
        kiln_array_free(a);
        return NULL;
    }
    return a;
}

kiln_array *kiln_array_new(kiln_ctx *ctx, kiln_dtype dt, int ndim, const int64_t *shape) {
    if (!ctx) return NULL;
    int64_t n;
    if (rt_shape_check(ctx, "kiln_array_new", dt, ndim, shape, &n) != KILN_OK) return NULL;
    kiln_array *a = array_alloc(ctx, dt, ndim, shape);
    if (!a) return NULL;
    a->buf_size = (size_t)n * kiln_dtype_size(dt);
    a->buf = rt_buf_alloc(ctx, a->buf_size);
    if (!a->buf) {
        array_destroy(a);
        return NULL;
    }
    a->data = a->buf;
    return a;
}

kiln_array *kiln_array_view(kiln_ctx *ctx, kiln_array *base, int ndim, const int64_t *shape, const int64_t *strides, int64_t byte_offset) {
    if (!ctx) return NULL;
    if (!base || !strides) {
        kiln_fail(ctx, KILN_ERR_ARG, "kiln_array_view: %s is NULL", base ? "strides" : "base");
        return NULL;
    }
    if (base->ctx != ctx) { /* (the view would outlive its base, freed with the other context) */
        kiln_fail(ctx, KILN_ERR_ARG, "kiln_array_view: the base array belongs to another context");
        return NULL;
    }
    int64_t n;
    if (rt_shape_check(ctx, "kiln_array_view", (kiln_dtype)base->dtype, ndim, shape, &n) != KILN_OK) return NULL;
    int64_t es = (int64_t)kiln_dtype_size((kiln_dtype)base->dtype);
    bool misaligned = n > 0 && byte_offset % es != 0;
    for (int d = 0; d < ndim && !misaligned; d++) misaligned = shape[d] > 1 && strides[d] % es != 0;
    if (misaligned) {
        kiln_fail(ctx, KILN_ERR_ARG, "kiln_array_view: the offset and strides must be multiples of the element size (%lld bytes)", (long long)es);
        return NULL;
    }
    if (!span_fits(ctx, "kiln_array_view", n, es, ndim, shape, strides, byte_offset)) return NULL;
    kiln_array *a = array_alloc(ctx, (kiln_dtype)base->dtype, ndim, shape);
    if (!a) return NULL;
    memcpy(a->strides, strides, (size_t)ndim * sizeof *strides);
    a->readonly = base->readonly;
    a->data = base->data + byte_offset;
    a->base = kiln_array_retain(base);
    return a;
}

kiln_array *kiln_array_retain(kiln_array *a) {
    if (a) atomic_fetch_add(&a->refs, 1);
    return a;
}

void kiln_array_free(kiln_array *a) {
    if (!a || atomic_fetch_sub(&a->refs, 1) != 1) return;
    kiln_array *base = a->base;
    array_destroy(a);
    kiln_array_free(base);
}

/* The caller may read and write the bytes from now: a device's fresher copy comes back first,
 * and the device copies them again when a kernel next reads them. */
void *kiln_array_data(const kiln_array *a) {
    if (!a) return NULL;
    rt_device_sync(a->ctx, a, KILN_SYNC_WRITE);
    return a->data;
}
kiln_dtype kiln_array_dtype(const kiln_array *a) { return a ? (kiln_dtype)a->dtype : KILN_DTYPE_COUNT; }
int kiln_array_ndim(const kiln_array *a) { return a ? a->ndim : -1; }
const int64_t *kiln_array_shape(const kiln_array *a) { return a ? a->shape : NULL; }
const int64_t *kiln_array_strides(const kiln_array *a) { return a ? a->strides : NULL; }
int64_t kiln_array_size(const kiln_array *a) {
    if (!a) return -1;
    int64_t n = 1;
    for (int d = 0; d < a->ndim; d++) n *= a->shape[d];
    return n;
}

bool rt_array_c_contiguous(const kiln_array *a) {
    int64_t s = (int64_t)kiln_dtype_size((kiln_dtype)a->dtype);
    for (int d = a->ndim - 1; d >= 0; d--) {
        if (a->shape[d] != 1 && a->strides[d] != s) return false;
        s *= a->shape[d];
    }
    return true;
}

void rt_array_extent(const kiln_array *a, const char **lo, const char **hi) {
    int64_t l, h;
    kiln_extent(a->ndim, a->shape, a->strides, (int64_t)kiln_dtype_size((kiln_dtype)a->dtype), &l, &h);
    *lo = a->data + l;
    *hi = a->data + h;
}

/* The threads that write bytes of a new array: one a MiB, at most the context's (a buffer from
 * the pool is rewritten at the memory's speed; np.zeros's calloc defers its pages' cost to their
 * first write instead). */
static int64_t write_threads(kiln_ctx *ctx, size_t bytes) {
    int64_t nt = (int64_t)(bytes >> 20);
    if (nt > rt_nthreads(ctx)) nt = rt_nthreads(ctx);
    return nt < 1 ? 1 : nt;
}

void rt_fill(kiln_ctx *ctx, char *p, int64_t n, size_t es, const char *elem) {
    int64_t nt = write_threads(ctx, (size_t)n * es);
    KILN_OMP_IF(nt, "omp parallel num_threads((int)nt)",
    {
        int64_t t = KILN_OMP_TID(nt), m = KILN_OMP_NTH(nt), b = n * t / m, e = n * (t + 1) / m;
        host_fill(p + (size_t)b * es, e - b, es, elem);
    });
}

void rt_ramp(kiln_ctx *ctx, char *p, int64_t n, kiln_dtype dt, kscalar start, kscalar step) {
    size_t es = kiln_dtype_size(dt);
    int64_t nt = write_threads(ctx, (size_t)n * es);
    KILN_OMP_IF(nt, "omp parallel num_threads((int)nt)",
    {
        int64_t t = KILN_OMP_TID(nt), m = KILN_OMP_NTH(nt), b = n * t / m, e = n * (t + 1) / m;
        host_ramp(p + (size_t)b * es, b, e - b, dt, start, step);
    });
}

kiln_array *kiln_full(kiln_ctx *ctx, kiln_dtype dt, int ndim, const int64_t *shape, double v) {
    kiln_array *a = kiln_array_new(ctx, dt, ndim, shape);
    if (!a) return NULL;
    kscalar s = ref_cast((kscalar){.f64 = v}, KILN_F64, dt);
    char elem[sizeof(kscalar)];
    ref_store(elem, dt, s);
    rt_fill(ctx, a->data, kiln_array_size(a), kiln_dtype_size(dt), elem);
    return a;
}

kiln_array *kiln_full_like(kiln_ctx *ctx, const kiln_expr *x, double v) {
    /* (a NULL x keeps the error that made it; one of another context is refused) */
    if (!ctx || !ir_check_operand(&ctx->graph, (kiln_expr *)x, "full_like", 1)) return NULL;
    return kiln_full(ctx, (kiln_dtype)x->dtype, x->ndim, x->shape, v);
}
kiln_array *kiln_zeros_like(kiln_ctx *ctx, const kiln_expr *x) { return kiln_full_like(ctx, x, 0.0); }
kiln_array *kiln_ones_like(kiln_ctx *ctx, const kiln_expr *x) { return kiln_full_like(ctx, x, 1.0); }

kiln_array *kiln_eye(kiln_ctx *ctx, kiln_dtype dt, int64_t n, int64_t m, int64_t k) {
    kiln_array *a = kiln_full(ctx, dt, 2, (int64_t[]){n, m}, 0.0);
    if (!a) return NULL;
    kscalar one = ref_cast((kscalar){.f64 = 1.0}, KILN_F64, dt);
    if (k >= m || k <= -n) return a; /* (no diagonal in it; nor does i + k wrap below) */
    for (int64_t i = k < 0 ? -k : 0; i < n && i + k < m; i++) ref_store(a->data + i * a->strides[0] + (i + k) * a->strides[1], dt, one);
    return a;
}
