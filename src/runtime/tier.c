/*
 * tier.c — the tier policy's background compiler: kernels start on the interpreter and are
 * compiled on a thread of their own once they have earned it.
 *
 * Pipeline position: beside the kernel service (kernels.c).  A kernel the context's backend
 * has not made yet gets a slot whose best kernel is the interpreter's; every launch of it adds
 * its running time to the slot, and once that passes jit_after_ns (KILN_JIT_AFTER_MS, default
 * 10 ms) its description is queued here.  The rule is a ski rental: a compile costs 3–6 ms here
 * and the JIT saves a quarter to two thirds of the interpreter's time, so compiling pays once a
 * kernel has run for two or three compiles' worth; a kernel that never gets there (most of a
 * REPL's lines, a workload of many small distinct expressions) is never compiled, and one that
 * does costs at most about twice what the better choice made up front would have.  (bench/tier.c
 * sweeps the threshold from 0 to 100 ms over three workloads: README, "Tiers".)  A launch
 * big enough to earn it on its own queues the compile before it starts (rt_kernel_begin), and
 * a big map runs in pieces, so that the compiled kernel takes over mid-launch; meanwhile one
 * core is left to the compiler.  The thread
 * compiles it with the backend (and stores it in the disk cache), then swaps the slot's best
 * kernel for the compiled one: the next launch, from any plan, runs it.
 *
 * A kernel the disk cache holds is queued at its first call while the backend has not started
 * (loading it would start LLVM's JIT first: about a millisecond, more than interpreting a first
 * call): the thread loads it instead of compiling it.
 *
 * The queue holds RT_TIER_QUEUE slots; a slot that finds it full stays interpreted and is
 * offered again on a later launch.  The thread runs at a lower priority than the caller's, so
 * compiling slows the computation it is meant to speed up as little as it can.  Freeing the
 * context stops the thread after the compile it is running.
 *
 * fork() waits for every context's thread to finish the compile it is running (a pthread_atfork
 * handler): a child forked mid-compile inherited the locks that compile held (the backend's,
 * LLVM's own) with no thread left to release them, and its first compile of its own hung.  The
 * child has no thread; its first queued compile starts one.
 */
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "exec.h"

static kiln_tier tier_from_env(void) {
    const char *t = getenv("KILN_TIER");
    if (!t || !*t || !strcmp(t, "auto")) return KILN_TIER_AUTO;
    if (!strcmp(t, "interp")) return KILN_TIER_INTERP;
    if (!strcmp(t, "jit")) return KILN_TIER_JIT;
    static atomic_bool told;
    if (rt_log_env() && !atomic_exchange(&told, true)) fprintf(stderr, "kiln: KILN_TIER=%s is not auto, interp or jit; using auto\n", t);
    return KILN_TIER_AUTO;
}

/* Every context's compiler (rt_tier.next), for the fork handlers below. */
static pthread_mutex_t tiers_lock = PTHREAD_MUTEX_INITIALIZER;
static rt_tier *tiers;
static pthread_once_t tiers_once = PTHREAD_ONCE_INIT;

/* Before fork(): holds every compiler's lock, once its thread has no compile running (it holds
 * nothing then but waits for w->lock or the next job). */
static void fork_prepare(void) {
    pthread_mutex_lock(&tiers_lock);
    for (rt_tier *w = tiers; w; w = w->next) {
        pthread_mutex_lock(&w->lock);
        while (w->busy > 0 && w->started && w->pid == getpid()) pthread_cond_wait(&w->idle, &w->lock);
    }
}

static void fork_parent(void) {
    for (rt_tier *w = tiers; w; w = w->next) pthread_mutex_unlock(&w->lock);
    pthread_mutex_unlock(&tiers_lock);
}

/* In the child, the only thread: the parent's compilers stayed there, and their conditions may
 * count waiters that do not exist here, so each is made anew; its queue is offered again on
 * a later launch (rt_tier_queue drops it). */
static void fork_child(void) {
    for (rt_tier *w = tiers; w; w = w->next) {
        pthread_mutex_init(&w->lock, NULL);
        pthread_cond_init(&w->wake, NULL);
        pthread_cond_init(&w->idle, NULL);
        for (int i = 0; i < w->count; i++) atomic_store(&w->queue[(w->head + i) % RT_TIER_QUEUE]->state, KSLOT_INTERP);
    }
    pthread_mutex_init(&tiers_lock, NULL);
}

static void watch_forks(void) { pthread_atfork(fork_prepare, fork_parent, fork_child); }

void rt_tier_init(kiln_ctx *ctx, kiln_tier tier) {
    rt_tier *w = &ctx->worker;
    memset(w, 0, sizeof *w);
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->wake, NULL);
    pthread_cond_init(&w->idle, NULL);
    pthread_once(&tiers_once, watch_forks);
    pthread_mutex_lock(&tiers_lock);
    w->next = tiers;
    tiers = w;
    pthread_mutex_unlock(&tiers_lock);
    bool known = tier > KILN_TIER_DEFAULT && tier <= KILN_TIER_JIT; /* (another number: the default, kiln_ctx_new says so) */
    atomic_init(&ctx->tier, known ? tier : tier_from_env());
    const char *ms = getenv("KILN_JIT_AFTER_MS");
    double v = ms && *ms ? atof(ms) : 10.0;
    ctx->jit_after_ns = v > 0 ? (uint64_t)(v * 1e6) : 0;
}

/* The kernel's name in messages (kiln_ and a hash of its key). */
static void slot_name(const kslot *slot, char *name, size_t cap) { kiln_hash_name(name, cap, "kiln_", slot->key, slot->klen); }

/* Compiles slot's kernel with its backend and makes it the slot's best.  The LLVM work runs
 * without the context's compile lock; only storing to the disk cache takes it. */
static void compile_one(kiln_ctx *ctx, kslot *slot) {
    char name[48];
    slot_name(slot, name, sizeof name);
    dc_result disk = slot->disk;
    if (disk == DC_HIT) { /* on disk: queued at its first call, to be loaded, not compiled */
        uint64_t t0 = kiln_now_ns();
        kiln_kernel *k = rt_disk_load(ctx, slot, &disk);
        atomic_fetch_add(&ctx->st.ns_background, kiln_now_ns() - t0);
        if (k) {
            atomic_store_explicit(&slot->best, k, memory_order_release);
            atomic_store(&slot->state, KSLOT_FINAL);
            return;
        }
    }
    if (rt_log_compiles()) fprintf(stderr, "kiln: compiling %s in the background\n", name);
    uint64_t t0 = kiln_now_ns();
    kiln_compile_times t = {0};
    bool stored = false;
    kiln_kernel *k = rt_compile(ctx, slot->backend, &slot->kd, slot->key, slot->klen, disk, &ctx->cache.compile, &stored, &t);
    uint64_t ns = kiln_now_ns() - t0;
    atomic_fetch_add(&ctx->st.ns_background, ns);
    if (!k) {
        atomic_store(&slot->state, KSLOT_FAILED);
        if (rt_log_compiles())
            fprintf(stderr, "kiln: background compile of %s failed, it stays interpreted: %s\n", name, kiln_errmsg(ctx));
        return;
    }
    atomic_fetch_add(&ctx->st.tier_compiled, 1);
    atomic_store_explicit(&slot->best, k, memory_order_release);
    atomic_store(&slot->state, KSLOT_FINAL);
    if (rt_log_compiles())
        fprintf(stderr, "kiln: compiled %s in the background after %.3f ms interpreted: %.3f ms (emit %.3f, opt %.3f, codegen %.3f)%s; "
                        "later calls run it\n",
                name, (double)atomic_load(&slot->ns) * 1e-6, (double)ns * 1e-6, (double)t.emit * 1e-6, (double)t.opt * 1e-6,
                (double)t.codegen * 1e-6, stored ? ", stored on disk" : "");
}

static void *worker_main(void *arg) {
    kiln_ctx *ctx = arg;
    rt_tier *w = &ctx->worker;
#ifdef SYS_gettid
    setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10); /* this thread only, on Linux */
#endif
    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (!w->stop && w->count == 0) pthread_cond_wait(&w->wake, &w->lock);
        if (w->stop) break;
        kslot *slot = w->queue[w->head];
        w->head = (w->head + 1) % RT_TIER_QUEUE;
        w->count--;
        w->busy++;
        atomic_fetch_add(&ctx->st.tier_started, 1);
        pthread_mutex_unlock(&w->lock);
        compile_one(ctx, slot);
        rt_kernel_release(ctx, slot);
        pthread_mutex_lock(&w->lock);
        w->busy--;
        pthread_cond_broadcast(&w->idle);
    }
    pthread_cond_broadcast(&w->idle);
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

bool rt_tier_queue(kiln_ctx *ctx, kslot *slot) {
    rt_tier *w = &ctx->worker;
    int expected = KSLOT_INTERP;
    pthread_mutex_lock(&w->lock); /* (first: a fork() finds no slot taken and not yet in the queue) */
    if (!atomic_compare_exchange_strong(&slot->state, &expected, KSLOT_QUEUED)) { /* someone else did */
        pthread_mutex_unlock(&w->lock);
        return true;
    }
    kslot *stale[RT_TIER_QUEUE];
    int nstale = 0;
    if (w->started && w->pid != getpid()) { /* a forked child: the parent's worker stayed there (fork_child) */
        for (; w->count > 0; w->count--, w->head = (w->head + 1) % RT_TIER_QUEUE) stale[nstale++] = w->queue[w->head];
        w->started = false;
        w->busy = 0;
    }
    bool ok = !w->stop && w->count < RT_TIER_QUEUE;
    if (ok && !w->started) {
        ok = pthread_create(&w->thread, NULL, worker_main, ctx) == 0;
        w->started = ok;
        w->pid = getpid();
    }
    if (ok) {
        kcache_retain(slot); /* the queue's, dropped once compiled */
        w->queue[(w->head + w->count) % RT_TIER_QUEUE] = slot;
        w->count++;
        atomic_fetch_add(&ctx->st.tier_queued, 1); /* before the worker can count it started */
        pthread_cond_signal(&w->wake);
    }
    pthread_mutex_unlock(&w->lock);
    for (int i = 0; i < nstale; i++) rt_kernel_release(ctx, stale[i]); /* (the queue's references) */
    if (ok) {
        if (rt_log_compiles()) {
            char name[48];
            slot_name(slot, name, sizeof name);
            if (slot->disk == DC_HIT) fprintf(stderr, "kiln: queued %s to be loaded from the disk cache\n", name);
            else fprintf(stderr, "kiln: queued a compile of %s after %.3f ms interpreted\n", name, (double)atomic_load(&slot->ns) * 1e-6);
        }
    } else {
        atomic_store(&slot->state, KSLOT_INTERP); /* offered again on a later launch */
        atomic_fetch_add(&ctx->st.tier_dropped, 1);
    }
    return ok;
}

void rt_tier_shutdown(kiln_ctx *ctx) {
    rt_tier *w = &ctx->worker;
    pthread_mutex_lock(&w->lock);
    w->stop = true;
    pthread_cond_broadcast(&w->wake);
    bool started = w->started && w->pid == getpid(); /* (a forked child has no thread to join) */
    pthread_mutex_unlock(&w->lock);
    if (started) pthread_join(w->thread, NULL);
    pthread_mutex_lock(&tiers_lock); /* (after the join: fork() waits for the compile it finishes) */
    for (rt_tier **p = &tiers; *p; p = &(*p)->next)
        if (*p == w) {
            *p = w->next;
            break;
        }
    pthread_mutex_unlock(&tiers_lock);
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->wake);
    pthread_cond_destroy(&w->idle);
}

kiln_status kiln_wait_compiles(kiln_ctx *ctx) {
    if (!ctx) return KILN_ERR_ARG;
    rt_tier *w = &ctx->worker;
    pthread_mutex_lock(&w->lock);
    while (!w->stop && w->started && w->pid == getpid() && (w->count > 0 || w->busy > 0)) pthread_cond_wait(&w->idle, &w->lock);
    pthread_mutex_unlock(&w->lock);
    return KILN_OK;
}

kiln_status kiln_set_tier(kiln_ctx *ctx, kiln_tier tier) {
    if (!ctx) return KILN_ERR_ARG;
    if (tier < KILN_TIER_DEFAULT || tier > KILN_TIER_JIT) return kiln_fail(ctx, KILN_ERR_ARG, "kiln_set_tier: invalid tier %d", (int)tier);
    atomic_store(&ctx->tier, tier == KILN_TIER_DEFAULT ? KILN_TIER_AUTO : tier);
    return KILN_OK;
}

kiln_tier kiln_get_tier(const kiln_ctx *ctx) { return ctx ? (kiln_tier)atomic_load(&((kiln_ctx *)ctx)->tier) : KILN_TIER_DEFAULT; }
