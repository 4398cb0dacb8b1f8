/*
 * kernels.c — the kernel service: a step's kernel from its memo, the context's cache, the disk
 * cache, or a fresh compile, in that order.
 *
 * Pipeline position: between geometry and launch.  A kernel is keyed by its backend's name
 * and a 128-bit hash of its target, then by the kernel description specialized to the
 * operands' layouts (ops, dtypes, layouts; never sizes or constant values), so a new length or
 * a new constant reuses it and a changed CPU, backend or version never does.
 *
 *     step memo ──miss──▶ in-memory cache ──miss──▶ disk cache ──miss──▶ backend compile
 *         ▲                    ▲                        │ hit                  │ bytes
 *         └────────────────────┴──── backend load ◀─────┴──────────────────────┘ (stored)
 *
 * The cache holds slots (cache.h).  With the tier policy at AUTO (kiln_tier), a kernel the
 * disk cache does not have is not compiled on the spot: its slot starts with the interpreter's
 * kernel (made from the same description, in microseconds), and the background compiler
 * (tier.c) upgrades the slot once the kernel has run long enough to be worth compiling.
 *
 * Making kernels is serialized per context (kcache.compile): a kernel two threads need is made
 * once and the other waits for it.
 *
 * A backend that compiles several kernels in one go (compile_many: CUDA, one NVRTC program) is
 * handed a plan's kernels before its first run (rt_kernels_make_many, from eval.c's prefetch):
 * those neither cache has are compiled together and put in the cache, where the run's lookups
 * then find them.
 */
#include <string.h>

#include "exec.h"

/* Why a kernel had to be compiled, for KILN_LOG=compile. */
static const char *miss_reason(dc_result r) {
    switch (r) {
    case DC_OFF: return "new kernel; no disk cache";
    case DC_MISS: return "new kernel; not in the disk cache";
    case DC_CORRUPT: return "new kernel; its disk entry was corrupt (written again where it can be)";
    case DC_FOREIGN: return "new kernel; another kernel's disk entry under its name (written over)";
    case DC_REFUSED: return "new kernel; its disk entry is not trusted (owner or permissions): not used, and left alone";
    case DC_HIT: break;
    }
    return "new kernel";
}

/* The environment's switches, read once (a thread-safe lazy initialization). */
static bool log_compile, log_env, debug_fuse, debug_steps;
static pthread_once_t switches_once = PTHREAD_ONCE_INIT;
static void switches_read(void) {
    const char *l = getenv("KILN_LOG"), *d = getenv("KILN_DEBUG");
    log_compile = l && strstr(l, "compile");
    log_env = l && *l;
    debug_fuse = d && strstr(d, "fuse");
    debug_steps = d && strstr(d, "steps");
}

bool rt_log_compiles(void) {
    pthread_once(&switches_once, switches_read);
    return log_compile;
}

bool rt_log_env(void) {
    pthread_once(&switches_once, switches_read);
    return log_env;
}

bool rt_debug_steps(void) {
    pthread_once(&switches_once, switches_read);
    return debug_steps;
}

bool rt_debug(const char *what) {
    pthread_once(&switches_once, switches_read);
    return !strcmp(what, "fuse") ? debug_fuse : !strcmp(what, "steps") ? debug_steps : false;
}

/* What the bytes of a kernel description mean: a hash of the op list (names, arities, kinds),
 * the dtypes and the instruction layout, so that a build whose op numbering changed never
 * reads another build's disk entries (which a version string alone would not catch). */
static uint64_t ir_fingerprint;
static pthread_once_t fingerprint_once = PTHREAD_ONCE_INIT;
static void fingerprint_make(void) {
    uint64_t h = KILN_HASH_SEED;
    for (int op = 0; op < KILN_OP_COUNT; op++) {
        const char *nm = kiln_op_name((kiln_op)op);
        uint8_t meta[2] = {(uint8_t)kiln_op_arity((kiln_op)op), (uint8_t)kiln_op_kind[op]};
        h = kiln_hash_bytes(h, nm, strlen(nm) + 1);
        h = kiln_hash_bytes(h, meta, sizeof meta);
    }
    for (int dt = 0; dt < KILN_DTYPE_COUNT; dt++) {
        const char *nm = kiln_dtype_name((kiln_dtype)dt);
        h = kiln_hash_bytes(h, nm, strlen(nm) + 1);
    }
    uint32_t sizes[2] = {(uint32_t)sizeof(kd_inst), (uint32_t)sizeof(kscalar)};
    ir_fingerprint = kiln_hash_bytes(h, sizes, sizeof sizes);
}

/* The full key of kd: "<backend>\0", a 128-bit hash of its target, the IR's fingerprint, then
 * kd's bytes, into buf (cap bytes) or a new allocation; NULL when out of memory.  (The target
 * itself, a CPU's features, is two thousand bytes: building, hashing and comparing it was most
 * of the cost of a kernel found in the cache.) */
static uint8_t *kernel_key(const rt_exec *x, const kernel_desc *kd, uint8_t *buf, size_t cap, size_t *len) {
    pthread_once(&fingerprint_once, fingerprint_make);
    const char *name = x->be->name;
    const uint64_t *target = x->ctx->be_target[rt_backend_index(x->be)];
    size_t nlen = strlen(name) + 1, tlen = 2 * sizeof *target, flen = sizeof ir_fingerprint;
    size_t need = nlen + tlen + flen + kd_key_size(kd);
    uint8_t *key = need <= cap ? buf : kiln_malloc(x->ctx, need);
    if (!key) return NULL;
    memcpy(key, name, nlen);
    memcpy(key + nlen, target, tlen);
    memcpy(key + nlen + tlen, &ir_fingerprint, flen);
    *len = nlen + tlen + flen + kd_key(kd, key + nlen + tlen + flen);
    return key;
}

/* This thread's synchronous kernel-making, for first-run accounting (eval.c): kernels made and
 * the time spent making them. */
static _Thread_local uint64_t tl_made, tl_made_ns;
void rt_kernel_made(uint64_t *count, uint64_t *ns) {
    *count = tl_made;
    *ns = tl_made_ns;
}

/* The context's disk cache, opened on first use (by the thread making kernels, under
 * cache.compile). */
static diskcache *disk_of(kiln_ctx *ctx) {
    if (!ctx->disk_open) {
        dc_open(&ctx->disk);
        ctx->disk_open = true;
    }
    return &ctx->disk;
}

/* Counts what the disk cache said of a key that gave nothing usable. */
static void note_disk_miss(kiln_ctx *ctx, dc_result r) {
    if (r == DC_CORRUPT || r == DC_FOREIGN || r == DC_REFUSED) atomic_fetch_add(&ctx->st.disk_corrupt, 1);
    else atomic_fetch_add(&ctx->st.disk_misses, 1);
}

/* The kernel for key from the disk cache (what it said in *r), or NULL. */
static kiln_kernel *disk_load(const rt_exec *x, const uint8_t *key, size_t klen, const char *name, dc_result *r, pthread_mutex_t *lock) {
    kiln_ctx *ctx = x->ctx;
    *r = DC_OFF;
    if (!x->be->disk_cache) return NULL;
    kiln_kernel *k = NULL;
    void *bytes = NULL;
    size_t len = 0;
    uint64_t t0 = kiln_now_ns();
    if (lock) pthread_mutex_lock(lock);
    *r = dc_load(disk_of(ctx), key, klen, &bytes, &len);
    if (lock) pthread_mutex_unlock(lock);
    if (*r == DC_HIT && x->be->load(x->state, ctx, bytes, len, name, &k) != KILN_OK) {
        k = NULL;
        *r = DC_CORRUPT; /* checked out, yet would not load: compile and replace it */
    } else if (*r == DC_HIT) {
        uint64_t ns = kiln_now_ns() - t0;
        atomic_fetch_add(&ctx->st.disk_hits, 1);
        atomic_fetch_add(&ctx->st.ns_disk_load, ns);
        if (rt_log_compiles()) fprintf(stderr, "kiln: loaded %s from the disk cache in %.3f ms\n", name, (double)ns * 1e-6);
    }
    free(bytes);
    if (!k) note_disk_miss(ctx, *r);
    return k;
}

kiln_kernel *rt_disk_load(kiln_ctx *ctx, kslot *slot, dc_result *r) {
    rt_exec x = {ctx, rt_backends[slot->backend], atomic_load(&ctx->be_state[slot->backend])};
    char name[48];
    kiln_hash_name(name, sizeof name, "kiln_", slot->key, slot->klen);
    return disk_load(&x, slot->key, slot->klen, name, r, &ctx->cache.compile);
}

/* Whether the disk cache has a good entry under key (read, not loaded). */
static bool on_disk(kiln_ctx *ctx, const uint8_t *key, size_t klen) {
    void *bytes = NULL;
    size_t len = 0;
    dc_result r = dc_load(disk_of(ctx), key, klen, &bytes, &len);
    free(bytes);
    return r == DC_HIT;
}

bool rt_blob_load(kiln_ctx *ctx, const void *key, size_t klen, void **bytes, size_t *len, bool *replace) {
    pthread_mutex_lock(&ctx->cache.compile);
    dc_result r = dc_load(disk_of(ctx), key, klen, bytes, len);
    pthread_mutex_unlock(&ctx->cache.compile);
    if (r == DC_HIT) atomic_fetch_add(&ctx->st.disk_hits, 1);
    else note_disk_miss(ctx, r);
    *replace = r != DC_REFUSED; /* an entry someone else owns is not ours to replace (as disk_store) */
    return r == DC_HIT;
}

void rt_blob_store(kiln_ctx *ctx, const void *key, size_t klen, const void *bytes, size_t len) {
    pthread_mutex_lock(&ctx->cache.compile);
    bool stored = dc_store(disk_of(ctx), key, klen, bytes, len);
    pthread_mutex_unlock(&ctx->cache.compile);
    if (stored) atomic_fetch_add(&ctx->st.disk_stores, 1);
}

void rt_blob_compiled(kiln_ctx *ctx, uint64_t ns) {
    atomic_fetch_add(&ctx->st.compiler_runs, 1);
    atomic_fetch_add(&ctx->st.ns_codegen, ns);
}

/* n kernels made by one run of the backend's compiler, which took t. */
static void note_compiled(kiln_ctx *ctx, int n, const kiln_compile_times *t) {
    atomic_fetch_add(&ctx->st.compiled, (uint64_t)n);
    atomic_fetch_add(&ctx->st.compiler_runs, 1);
    atomic_fetch_add(&ctx->st.ns_emit, t->emit);
    atomic_fetch_add(&ctx->st.ns_opt, t->opt);
    atomic_fetch_add(&ctx->st.ns_codegen, t->codegen);
    atomic_fetch_add(&ctx->st.ns_jit_init, t->start);
}

/* Keeps a compiled kernel's bytes in the disk cache under key, unless r (what the cache said
 * of key) forbids, holding disk_lock (when given) while it writes; whether it stored them. */
static bool disk_store(kiln_ctx *ctx, const kiln_backend_i *be, const uint8_t *key, size_t klen, dc_result r, const void *bytes,
                       size_t len, pthread_mutex_t *disk_lock) {
    /* REFUSED entries are not ours to replace: rename would drop someone else's file */
    if (!be->disk_cache || !ctx->disk_open || r == DC_REFUSED) return false;
    if (disk_lock) pthread_mutex_lock(disk_lock);
    bool stored = dc_store(&ctx->disk, key, klen, bytes, len);
    if (disk_lock) pthread_mutex_unlock(disk_lock);
    if (stored) atomic_fetch_add(&ctx->st.disk_stores, 1);
    return stored;
}

kiln_kernel *rt_compile(kiln_ctx *ctx, int b, const kernel_desc *kd, const uint8_t *key, size_t klen, dc_result r,
                        pthread_mutex_t *disk_lock, bool *stored, kiln_compile_times *t) {
    const kiln_backend_i *be = rt_backends[b];
    void *state = atomic_load(&ctx->be_state[b]);
    char name[48];
    kiln_hash_name(name, sizeof name, "kiln_", key, klen);
    *stored = false;
    if (!be->supports(state, kd)) {
        kiln_fail(ctx, KILN_ERR_BACKEND, "the %s backend cannot compile this kernel", be->name);
        return NULL;
    }
    void *bytes = NULL;
    size_t len = 0;
    kiln_kernel *k = NULL;
    if (be->compile(state, ctx, kd, name, &bytes, &len, t) != KILN_OK) return NULL;
    uint64_t tl = kiln_now_ns();
    kiln_status st = be->load(state, ctx, bytes, len, name, &k);
    t->codegen += kiln_now_ns() - tl; /* linking is part of making machine code */
    if (st == KILN_OK) {
        note_compiled(ctx, 1, t);
        *stored = disk_store(ctx, be, key, klen, r, bytes, len, disk_lock);
    }
    free(bytes);
    return st == KILN_OK ? k : NULL;
}

/* Compiles kd with the context's backend now (see rt_compile). */
static kiln_kernel *compile_now(const rt_exec *x, const kernel_desc *kd, const uint8_t *key, size_t klen, const char *name,
                                dc_result r) {
    kiln_compile_times t = {0};
    bool stored;
    uint64_t t0 = kiln_now_ns();
    kiln_kernel *k = rt_compile(x->ctx, rt_backend_index(x->be), kd, key, klen, r, NULL, &stored, &t);
    if (k && rt_log_compiles())
        fprintf(stderr, "kiln: compiled %s (%s, %s backend): emit %.3f ms, opt %.3f ms, codegen %.3f ms%s (%.3f ms in all)\n", name,
                miss_reason(r), x->be->name, (double)t.emit * 1e-6, (double)t.opt * 1e-6, (double)t.codegen * 1e-6,
                stored ? ", stored on disk" : "", (double)(kiln_now_ns() - t0) * 1e-6);
    return k;
}

/* kd made by the backend that runs kernels while the context's backend compiles them (the
 * interpreter), or NULL when there is none. */
static kiln_kernel *first_tier(const rt_exec *x, const kernel_desc *kd, const char *name) {
    kiln_ctx *ctx = x->ctx;
    int b = x->be->first_tier ? rt_backend_find(x->be->first_tier) : -1;
    void *state = b >= 0 ? rt_backend_start(ctx, b) : NULL;
    if (!state) return NULL;
    const kiln_backend_i *be = rt_backends[b];
    kiln_compile_times t = {0};
    void *bytes = NULL;
    size_t len = 0;
    kiln_kernel *k = NULL;
    if (be->supports(state, kd) && be->compile(state, ctx, kd, name, &bytes, &len, &t) == KILN_OK &&
        be->load(state, ctx, bytes, len, name, &k) != KILN_OK)
        k = NULL;
    free(bytes);
    if (k) atomic_fetch_add(&ctx->st.tier_kernels, 1);
    return k;
}

/* The cache's new slot for kernel k (proto: how it starts) under key: a new reference; NULL
 * (error set, k unloaded, proto's copies freed) when k is NULL or there is no memory. */
static kslot *slot_put(kiln_ctx *ctx, kiln_kernel *k, kslot *proto, const uint8_t *key, size_t klen, uint64_t h) {
    kslot *slot = NULL;
    if (k) {
        atomic_init(&proto->best, k);
        slot = kcache_put(ctx, &ctx->cache, key, klen, h, proto);
    }
    if (k && !slot) { /* no memory for the entry: the kernel goes */
        kiln_fail(ctx, KILN_ERR_NOMEM, "out of memory for the kernel cache");
        void *state = atomic_load(&ctx->be_state[rt_backend_index(k->backend)]);
        if (state && k->backend->unload) k->backend->unload(state, k);
    }
    if (!slot && proto->kd.inst) {
        kiln_free(ctx, proto->kd.inst);
        kiln_free(ctx, proto->kd.out_inst);
        kiln_free(ctx, proto->kd.layout);
    }
    return slot;
}

/* Makes the slot of a kernel the cache does not have: from the disk cache; else, by the tier
 * policy, the interpreter's kernel with the compile left for later, or a compile now. */
static kslot *make_slot(const rt_exec *x, const kernel_desc *kd, const uint8_t *key, size_t klen, uint64_t h) {
    kiln_ctx *ctx = x->ctx;
    uint64_t t0 = kiln_now_ns();
    char name[48];
    kiln_hash_name(name, sizeof name, "kiln_", key, klen);
    kslot proto = {.backend = rt_backend_index(x->be)};
    atomic_init(&proto.state, KSLOT_FINAL);
    kiln_tier tier = x->be->first_tier ? (kiln_tier)atomic_load(&ctx->tier) : KILN_TIER_JIT;
    /* a kernel on disk whose loading would start the backend first (LLVM's JIT: about a
     * millisecond, more than interpreting a first call): the first tier runs it, and the tier's
     * worker loads it, queued by its first launch (rt_kernel_earns) */
    bool later = tier == KILN_TIER_AUTO && x->be->disk_cache && x->be->ready && !x->be->ready(x->state) && on_disk(ctx, key, klen);
    kiln_kernel *k = tier == KILN_TIER_INTERP || later ? NULL : disk_load(x, key, klen, name, &proto.disk, NULL);
    if (later) proto.disk = DC_HIT;
    if (!k && tier != KILN_TIER_JIT) {
        k = first_tier(x, kd, name);
        if (k && !kcache_copy_desc(ctx, &proto.kd, kd)) k = NULL;
        if (k) atomic_init(&proto.state, KSLOT_INTERP);
        proto.first = k;
        if (k && rt_log_compiles())
            fprintf(stderr, "kiln: %s runs on the interpreter%s\n", name,
                    tier == KILN_TIER_INTERP ? " (KILN_TIER=interp)" : " until it has earned a compile");
    }
    if (!k && later) k = disk_load(x, key, klen, name, &proto.disk, NULL); /* (no first tier for it) */
    if (!k) k = compile_now(x, kd, key, klen, name, proto.disk);
    kslot *slot = slot_put(ctx, k, &proto, key, klen, h);
    tl_made++;
    tl_made_ns += kiln_now_ns() - t0;
    return slot;
}

kernel_desc rt_specialize(const rt_step *s, const uint8_t *layout) {
    kernel_desc kd = s->fk.kd;
    kd.layout = (uint8_t *)layout;
    kd.stream = layout[kd.n_in + kd.n_out] & RT_STREAM;
    kd.block = (layout[kd.n_in + kd.n_out] & RT_BLOCK) != 0;
    return kd;
}

/* One kernel of a batch: its description, key and name, and what the disk cache said. */
typedef struct batch_kernel {
    kernel_desc kd;
    uint8_t *key;
    size_t klen;
    uint64_t h;
    dc_result disk;
    char name[48];
} batch_kernel;

/* Puts final kernel k of batch entry b in the cache's table (what the disk said of it: disk),
 * which keeps it; a miss of the in-memory cache.  False (k unloaded) when out of memory. */
static bool table_keeps(const rt_exec *x, kiln_kernel *k, const batch_kernel *b, dc_result disk) {
    kslot proto = {.backend = rt_backend_index(x->be), .disk = disk};
    atomic_init(&proto.state, KSLOT_FINAL);
    kslot *slot = slot_put(x->ctx, k, &proto, b->key, b->klen, b->h);
    if (!slot) return false;
    kcache_release(x->ctx, &x->ctx->cache, slot);
    atomic_fetch_add(&x->ctx->st.misses, 1);
    return true;
}

/* Compiles batch b[0..m) in one run of the backend's compiler and puts each kernel in the
 * cache (and on disk); what fails is left for rt_kernel_get (the caller puts back the thread's
 * error). */
static void batch_compile(const rt_exec *x, batch_kernel *b, int m) {
    kiln_ctx *ctx = x->ctx;
    kernel_desc *kds = kiln_malloc(ctx, (size_t)m * sizeof *kds);
    const char **names = kiln_malloc(ctx, (size_t)m * sizeof *names);
    void **bytes = kiln_calloc(ctx, (size_t)m * sizeof *bytes);
    size_t *lens = kiln_calloc(ctx, (size_t)m * sizeof *lens);
    kiln_compile_times t = {0};
    uint64_t t0 = kiln_now_ns();
    bool ok = kds && names && bytes && lens;
    for (int i = 0; ok && i < m; i++) kds[i] = b[i].kd, names[i] = b[i].name;
    ok = ok && x->be->compile_many(x->state, ctx, m, kds, names, bytes, lens, &t) == KILN_OK;
    int made = 0;
    for (int i = 0; ok && i < m; i++) {
        kiln_kernel *k = NULL;
        uint64_t tl = kiln_now_ns();
        if (x->be->load(x->state, ctx, bytes[i], lens[i], b[i].name, &k) != KILN_OK) continue; /* made one by one later */
        t.codegen += kiln_now_ns() - tl;
        if (!table_keeps(x, k, &b[i], b[i].disk)) continue;
        disk_store(ctx, x->be, b[i].key, b[i].klen, b[i].disk, bytes[i], lens[i], NULL);
        made++;
    }
    if (made) note_compiled(ctx, made, &t);
    if (made && rt_log_compiles())
        fprintf(stderr, "kiln: compiled %d kernels in one program (%s, %s backend): emit %.3f ms, codegen %.3f ms (%.3f ms in all)\n", made,
                miss_reason(b[0].disk), x->be->name, (double)t.emit * 1e-6, (double)t.codegen * 1e-6, (double)(kiln_now_ns() - t0) * 1e-6);
    for (int i = 0; bytes && i < m; i++) free(bytes[i]);
    kiln_free(ctx, kds);
    kiln_free(ctx, names);
    kiln_free(ctx, bytes);
    kiln_free(ctx, lens);
    tl_made += (uint64_t)made;
    tl_made_ns += kiln_now_ns() - t0;
}

void rt_kernels_make_many(const rt_exec *x, int n, rt_step *const *steps, uint8_t *const *layouts) {
    kiln_ctx *ctx = x->ctx;
    if (!x->be->compile_many || n < 2) return;
    kiln_error_kept kept; /* what fails is made again, one kernel at a time, and says why then */
    kiln_error_keep(&kept);
    batch_kernel *b = kiln_calloc(ctx, (size_t)n * sizeof *b);
    if (!b) {
        kiln_error_restore(&kept);
        return;
    }
    int m = 0;
    pthread_mutex_lock(&ctx->cache.compile);
    for (int i = 0; i < n; i++) {
        batch_kernel *k = &b[m];
        k->kd = rt_specialize(steps[i], layouts[i]);
        if (!x->be->supports(x->state, &k->kd) || !(k->key = kernel_key(x, &k->kd, NULL, 0, &k->klen))) continue;
        k->h = kiln_hash_mem(KILN_HASH_SEED, k->key, k->klen);
        kiln_hash_name(k->name, sizeof k->name, "kiln_", k->key, k->klen);
        bool have = false;
        for (int j = 0; j < m && !have; j++) have = b[j].klen == k->klen && !memcmp(b[j].key, k->key, k->klen);
        kslot *slot = have ? NULL : kcache_find(ctx, &ctx->cache, k->key, k->klen, k->h);
        kiln_kernel *found = have || slot ? NULL : disk_load(x, k->key, k->klen, k->name, &k->disk, NULL);
        if (found) { /* from the disk cache: in the table now */
            tl_made++; /* the run that follows is a first run */
            table_keeps(x, found, k, DC_HIT);
        }
        if (have || slot || found) {
            if (slot) kcache_release(ctx, &ctx->cache, slot);
            kiln_free(ctx, k->key);
            k->key = NULL;
            continue;
        }
        m++;
    }
    if (m >= 1) batch_compile(x, b, m); /* one alone too: the run would look it up on disk again */
    pthread_mutex_unlock(&ctx->cache.compile);
    for (int i = 0; i < n; i++) kiln_free(ctx, b[i].key);
    kiln_free(ctx, b);
    kiln_error_restore(&kept);
}

kslot *rt_kernel_get(const rt_exec *x, rt_step *s, const uint8_t *layout) {
    kiln_ctx *ctx = x->ctx;
    size_t nl = (size_t)s->fk.kd.n_in + s->fk.kd.n_out + 1; /* layouts and the flags (RT_STREAM, RT_BLOCK) */
    kslot *slot = NULL;
    pthread_mutex_lock(&s->lock);
    if (s->memo_slot && memcmp(s->memo_layout, layout, nl) == 0) {
        slot = s->memo_slot;
        kcache_retain(slot); /* the caller's, for its launch */
    }
    pthread_mutex_unlock(&s->lock);
    if (slot) {
        atomic_fetch_add(&ctx->st.hits, 1);
        return slot;
    }
    kernel_desc kd = rt_specialize(s, layout);
    uint8_t kbuf[512];
    size_t klen;
    uint8_t *key = kernel_key(x, &kd, kbuf, sizeof kbuf, &klen);
    if (!key) return NULL;
    uint64_t h = kiln_hash_mem(KILN_HASH_SEED, key, klen);
    slot = kcache_find(ctx, &ctx->cache, key, klen, h);
    if (slot) {
        atomic_fetch_add(&ctx->st.hits, 1);
    } else {
        pthread_mutex_lock(&ctx->cache.compile);
        slot = kcache_find(ctx, &ctx->cache, key, klen, h);
        if (slot) {
            atomic_fetch_add(&ctx->st.hits, 1); /* another thread made it while we waited */
        } else {
            atomic_fetch_add(&ctx->st.misses, 1);
            slot = make_slot(x, &kd, key, klen, h);
        }
        pthread_mutex_unlock(&ctx->cache.compile);
    }
    if (key != kbuf) kiln_free(ctx, key);
    if (slot) { /* the step remembers it (a reference of its own) */
        kcache_retain(slot);
        pthread_mutex_lock(&s->lock);
        kslot *old = s->memo_slot;
        memcpy(s->memo_layout, layout, nl);
        s->memo_slot = slot;
        pthread_mutex_unlock(&s->lock);
        kcache_release(ctx, &ctx->cache, old);
    }
    return slot;
}

void rt_kernel_release(kiln_ctx *ctx, kslot *slot) { kcache_release(ctx, &ctx->cache, slot); }

bool rt_kernel_earns(kiln_ctx *ctx, kslot *slot, uint64_t ns) {
    /* (a kernel on disk, interpreted while its load waits: at once, until the queue takes it) */
    return (ns >= ctx->jit_after_ns || slot->disk == DC_HIT) && atomic_load(&slot->state) == KSLOT_INTERP &&
           atomic_load(&ctx->tier) == KILN_TIER_AUTO;
}

bool rt_map_in_pieces(kslot *slot, int64_t total) {
    return atomic_load(&slot->state) != KSLOT_FINAL && total >= RT_PIECES * RT_PIECE_MIN;
}

int rt_map_threads(kiln_ctx *ctx, kslot *slot, int64_t total, uint32_t cost) {
    int nt = rt_threads_for(ctx, total, cost);
    return nt > 1 && atomic_load(&slot->state) == KSLOT_QUEUED ? nt - 1 : nt; /* one core is the compiler's */
}

const kiln_kernel *rt_kernel_begin(const rt_exec *x, kslot *slot, int64_t elements, void **state, uint64_t *t0) {
    kiln_ctx *ctx = x->ctx;
    if (rt_kernel_earns(ctx, slot, (uint64_t)elements + atomic_load(&slot->ns)))
        rt_tier_queue(ctx, slot); /* this launch will earn it: compile while it runs */
    /* a big launch (not in pieces) of a kernel the tier's thread is loading from disk waits for
     * it: starting the JIT costs less than interpreting this much */
    if (slot->disk == DC_HIT && elements >= RT_LOAD_WAIT && atomic_load(&slot->state) == KSLOT_QUEUED) kiln_wait_compiles(ctx);
    const kiln_kernel *k = atomic_load_explicit(&slot->best, memory_order_acquire);
    bool interp = atomic_load(&slot->state) != KSLOT_FINAL;
    *state = interp ? atomic_load(&x->ctx->be_state[rt_backend_index(k->backend)]) : x->state;
    *t0 = interp ? kiln_now_ns() : 0;
    atomic_fetch_add(k->backend->compiles ? &x->ctx->st.runs_compiled : &x->ctx->st.runs_interp, 1);
    return k;
}

void rt_kernel_end(const rt_exec *x, kslot *slot, uint64_t t0) { rt_kernel_timed(x->ctx, slot, t0); }

void rt_kernel_timed(kiln_ctx *ctx, kslot *slot, uint64_t t0) {
    if (!t0) return;
    uint64_t dt = kiln_now_ns() - t0;
    if (rt_kernel_earns(ctx, slot, atomic_fetch_add(&slot->ns, dt) + dt)) rt_tier_queue(ctx, slot);
}

kiln_status rt_kernel_render(const rt_exec *x, const rt_step *s, const uint8_t *layout, int what, kstr *out) {
    kernel_desc kd = rt_specialize(s, layout);
    if (what & KILN_DUMP_CUDA) { /* the CUDA renderer, whichever backend runs the plan */
        int b = rt_backend_find("cuda");
        if (b < 0) return kiln_fail(x->ctx, KILN_ERR_BACKEND, "this build of kiln has no CUDA backend");
        void *state = atomic_load(&x->ctx->be_state[b]); /* NULL when not started: render needs none (it reads KILN_CUDA_MAP itself) */
        return rt_backends[b]->render(state, x->ctx, &kd, KILN_DUMP_SOURCE, out);
    }
    return x->be->render(x->state, x->ctx, &kd, what, out);
}
