/*
 * backends.c — the table of backends this build has, and choosing one per context.
 *
 * Pipeline position: between the runtime and codegen.  This is the only file outside
 * src/codegen/ that names a backend; everything else goes through the kiln_backend_i of the
 * context's choice: kiln_config.backend, else $KILN_BACKEND, else the first entry here (the
 * LLVM JIT where kiln was built with LLVM, the interpreter otherwise).
 */
#include <string.h>

#include "ctx.h"

#ifdef KILN_HAVE_LLVM
extern const kiln_backend_i kiln_cpu_backend;
#endif
extern const kiln_backend_i kiln_interp_backend;
#ifdef KILN_HAVE_CUDA
extern const kiln_backend_i kiln_cuda_backend;
#endif

const kiln_backend_i *const rt_backends[] = {
#ifdef KILN_HAVE_LLVM
    &kiln_cpu_backend,
#endif
    &kiln_interp_backend,
#ifdef KILN_HAVE_CUDA
    &kiln_cuda_backend,
#endif
};
const int rt_nbackends = (int)(sizeof rt_backends / sizeof *rt_backends);
_Static_assert(sizeof rt_backends / sizeof *rt_backends <= RT_MAX_BACKENDS, "RT_MAX_BACKENDS is too small");

int rt_backend_find(const char *name) {
    for (int i = 0; name && i < rt_nbackends; i++)
        if (!strcmp(rt_backends[i]->name, name)) return i;
    return -1;
}

static char list[128], info[256];
static pthread_once_t list_once = PTHREAD_ONCE_INIT, info_once = PTHREAD_ONCE_INIT;

static void list_fill(void) {
    size_t o = 0;
    for (int i = 0; i < rt_nbackends && o < sizeof list; i++)
        o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", i ? ", " : "", rt_backends[i]->name);
}

/* "kiln 0.1.0 (LLVM 19.1.7, znver5)": what the default backend is made with. */
static void info_fill(void) {
    const kiln_backend_i *be = rt_backends[0];
    snprintf(info, sizeof info, "kiln %s (%s)", KILN_VERSION, be->about());
}

const char *kiln_backends(void) {
    pthread_once(&list_once, list_fill);
    return list;
}

/* Why name is not a backend here, in one sentence, into buf. */
static void why_not(const char *name, char *buf, size_t cap) {
    const char *built = !strcmp(name, "cuda") ? " (not built with CUDA)" : !strcmp(name, "cpu") ? " (not built with LLVM)" : "";
    snprintf(buf, cap, "kiln has no backend '%.64s'%s; this build has: %s", name, built, kiln_backends());
}

/* Chooses ctx's backend by name (NULL: $KILN_BACKEND, else the default); records why not. */
void rt_backend_choose(kiln_ctx *ctx, const char *name) {
    const char *env = getenv("KILN_BACKEND");
    if (!name || !*name) name = env && *env ? env : rt_backends[0]->name;
    ctx->backend = rt_backend_find(name);
    if (ctx->backend < 0) why_not(name, ctx->backend_why, sizeof ctx->backend_why);
}

int rt_backend_index(const kiln_backend_i *be) {
    for (int i = 0; i < rt_nbackends; i++)
        if (rt_backends[i] == be) return i;
    return -1;
}

void *rt_backend_start(kiln_ctx *ctx, int b) {
    const kiln_backend_i *be = rt_backends[b];
    void *s = atomic_load_explicit(&ctx->be_state[b], memory_order_acquire);
    if (!s) {
        pthread_mutex_lock(&ctx->lock);
        if (!(s = atomic_load(&ctx->be_state[b]))) {
            uint64_t t0 = kiln_now_ns();
            if (be->init(ctx, &s) == KILN_OK) {
                const char *t = be->target(s); /* (fixed from init on) */
                size_t tn = strlen(t);
                ctx->be_target[b][0] = kiln_hash_bytes(KILN_HASH_SEED, t, tn);
                ctx->be_target[b][1] = kiln_hash_bytes(KILN_HASH_SEED2, t, tn);
                atomic_store_explicit(&ctx->be_state[b], s, memory_order_release);
            }
            atomic_fetch_add(&ctx->st.ns_jit_init, kiln_now_ns() - t0);
        }
        pthread_mutex_unlock(&ctx->lock);
    }
    return s; /* NULL: init said why */
}

const kiln_backend_i *rt_backend(kiln_ctx *ctx, void **state) {
    int b = ctx->backend;
    if (b < 0) {
        kiln_fail(ctx, KILN_ERR_BACKEND, "%s", ctx->backend_why);
        return NULL;
    }
    *state = rt_backend_start(ctx, b);
    return *state ? rt_backends[b] : NULL;
}

static void sync_range(kiln_ctx *ctx, const void *p, size_t len, int how) {
    for (int b = 0; b < rt_nbackends; b++) {
        if (!rt_backends[b]->sync) continue;
        void *s = atomic_load_explicit(&ctx->be_state[b], memory_order_acquire);
        if (s && (!p || len)) rt_backends[b]->sync(s, ctx, p, len, how);
    }
}

bool rt_device_started(kiln_ctx *ctx) {
    for (int b = 0; b < rt_nbackends; b++)
        if (rt_backends[b]->sync && atomic_load_explicit(&ctx->be_state[b], memory_order_relaxed)) return true;
    return false;
}

void rt_device_sync(kiln_ctx *ctx, const kiln_array *a, int how) {
    if (!rt_device_started(ctx)) return; /* host backends only (kiln_array_data's usual case): nothing to work out */
    if (!a) {
        sync_range(ctx, NULL, 0, how);
        return;
    }
    const char *lo, *hi;
    if (how == KILN_SYNC_FREE) { /* the memory a owns; a view frees nothing */
        if (a->buf) sync_range(ctx, a->buf, a->buf_size, how);
        else if (a->map) sync_range(ctx, a->map, a->map_size, how);
        else if (!a->base) {
            rt_array_extent(a, &lo, &hi);
            sync_range(ctx, lo, (size_t)(hi - lo), how);
        }
        return;
    }
    rt_array_extent(a, &lo, &hi);
    sync_range(ctx, lo, (size_t)(hi - lo), how);
}

const char *kiln_backend_name(const kiln_ctx *ctx) {
    return ctx && ctx->backend >= 0 ? rt_backends[ctx->backend]->name : NULL;
}

kiln_status kiln_set_backend(kiln_ctx *ctx, const char *name) {
    if (!ctx) return KILN_ERR_ARG;
    if (!name) return kiln_fail(ctx, KILN_ERR_ARG, "kiln_set_backend: name is NULL");
    int b = rt_backend_find(name);
    if (b < 0) {
        char why[256];
        why_not(name, why, sizeof why);
        return kiln_fail(ctx, KILN_ERR_BACKEND, "%s", why);
    }
    int old = ctx->backend;
    ctx->backend = b;
    void *state;
    if (!rt_backend(ctx, &state)) {
        ctx->backend = old; /* nothing changes when the new one cannot start */
        return kiln_errcode(ctx);
    }
    if (old != b) {
        atomic_fetch_add(&ctx->generation, 1);
        if (old >= 0 && rt_backends[old]->sync) rt_device_sync(ctx, NULL, KILN_SYNC_WRITE); /* the host's from now */
    }
    return KILN_OK;
}

const char *kiln_backend_info(kiln_ctx *ctx) {
    if (!ctx) return NULL;
    void *state;
    const kiln_backend_i *be = rt_backend(ctx, &state);
    return be ? be->describe(state) : NULL;
}

const char *kiln_build_info(void) {
    pthread_once(&info_once, info_fill);
    return info;
}
