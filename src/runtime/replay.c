/*
 * replay.c — the cached path of the commonest call: one element-wise kernel over the caller's
 * arrays, evaluated again with the same arrays.
 *
 * Pipeline position: in front of plan_run (eval.c).  A plan of one MAP step reading only
 * arrays (no temporaries, no views), or of one REDUCE step over them in the row form, keeps a
 * replay record of its last run: every operand's
 * handle, data, shape and strides, the geometry built from them and the compiled kernel's slot
 * (a reference of its own).  A call whose operands match the record launches the kernel over
 * the recorded geometry at once: no geometry, no kernel lookup, no cache lock, no bookkeeping
 * of temporaries.  A kernel still on the interpreter is replayed too, its time counted towards
 * its compile as the full path counts it (the slot's best kernel is read at each call, so a
 * compile that lands is used at once), unless the launch is big enough to earn the compile or to
 * run in pieces (rt_kernel_earns, rt_map_in_pieces).
 * Anything else (another output, a rebound placeholder, a record in use by
 * another thread) takes the full path, which records anew.
 */
#include <string.h>

#include "exec.h"

#define REPLAY_INPUTS 8 /* kernels with more inputs are not replayed */

/* What an operand was when the record was made. */
typedef struct {
    const kiln_array *a;
    const char *data;
    int dtype, ndim;
    int64_t shape[KILN_MAX_DIMS], strides[KILN_MAX_DIMS];
} operand;

struct rt_replay {
    struct rt_replay *prev, *next; /* the context's list (replay_lock) */
    /* replayed runs, by compiled and interpreted kernels (written only by the holder of busy) */
    atomic_uint_fast64_t runs, runs_interp;
    atomic_bool busy; /* held while the record is read or written: others take the full path */
    bool valid;
    int nin;
    operand ops[REPLAY_INPUTS + 1]; /* the inputs, then the output */
    kslot *slot;                    /* the kernel (a reference of the record's) */
    void *state;                    /* the plan's backend's state it was made with */
    bool reduce;                    /* a REDUCE step: rg, not g */
    rt_geom g;
    rt_rgeom rg; /* (its pointers into itself: the record is never moved) */
};

static void snap(operand *o, const kiln_array *a) {
    o->a = a;
    o->data = a->data;
    o->dtype = a->dtype;
    o->ndim = a->ndim;
    memcpy(o->shape, a->shape, (size_t)a->ndim * sizeof *a->shape);
    memcpy(o->strides, a->strides, (size_t)a->ndim * sizeof *a->strides);
}

static bool same(const operand *o, const kiln_array *a) {
    if (!a || o->a != a || o->data != a->data || o->dtype != a->dtype || o->ndim != a->ndim) return false;
    for (int d = 0; d < o->ndim; d++)
        if (o->shape[d] != a->shape[d] || o->strides[d] != a->strides[d]) return false;
    return true;
}

/* Whether p is one MAP or REDUCE step over arrays only, with few enough inputs. */
static bool replayable(const rt_plan *p) {
    if (p->nsteps != 1 || p->nroots != 1 || p->ntemps || p->nviews) return false;
    const rt_step *s = &p->steps[0];
    if ((s->kind != RT_STEP_MAP && s->kind != RT_STEP_REDUCE) || s->in_epilogue || s->fk.kd.n_out != 1 || s->fk.kd.n_in > REPLAY_INPUTS)
        return false;
    for (int i = 0; i < s->fk.kd.n_in; i++)
        if (!op_is_array_leaf(s->fk.inputs[i]->op)) return false;
    return true;
}

/* Whether fresh array a can stand for the output o was: the same dtype, shape and strides, its
 * data aligned to its elements (a new array of kiln_eval's: it aliases nothing). */
static bool like(const operand *o, const kiln_array *a) {
    if (o->dtype != a->dtype || o->ndim != a->ndim || (uintptr_t)a->data % kiln_dtype_size((kiln_dtype)a->dtype)) return false;
    for (int d = 0; d < o->ndim; d++)
        if (o->shape[d] != a->shape[d] || o->strides[d] != a->strides[d]) return false;
    return true;
}

bool rt_replay_run(kiln_ctx *ctx, rt_plan *p, kiln_array *out, bool fresh, kiln_status *st) {
    struct rt_replay *r = atomic_load_explicit(&p->replay, memory_order_acquire);
    if (!r || atomic_exchange_explicit(&r->busy, true, memory_order_acquire)) return false;
    const rt_step *s = &p->steps[0];
    bool hit = r->valid && atomic_load_explicit(&ctx->be_state[p->backend], memory_order_relaxed) == r->state;
    for (int i = 0; hit && i < r->nin; i++) hit = same(&r->ops[i], s->fk.inputs[i]->leaf);
    if (hit && !same(&r->ops[r->nin], out)) {
        hit = fresh && like(&r->ops[r->nin], out);
        if (hit) { /* the output moved: its first element with it */
            ptrdiff_t delta = out->data - r->ops[r->nin].data;
            if (r->reduce) r->rg.g.out += delta;
            else r->g.g.base[r->nin] += delta;
            snap(&r->ops[r->nin], out);
        }
    }
    if (hit && atomic_load_explicit(&kiln_base_of(ctx)->interrupt, memory_order_relaxed)) {
        *st = kiln_fail(ctx, KILN_ERR_INTERRUPTED, "interrupted");
    } else if (hit) {
        kslot *slot = r->slot;
        bool final = atomic_load_explicit(&slot->state, memory_order_acquire) == KSLOT_FINAL;
        const kiln_kernel *k = atomic_load_explicit(&slot->best, memory_order_acquire);
        const kiln_reduce_geom *rg = &r->rg.g;
        int64_t total = r->reduce ? rg->R * rg->O : r->g.g.total;
        void *bs = r->state;
        uint64_t t0 = 0;
        if (!final) { /* interpreted: as the full path runs it, unless that queues a compile or goes in pieces */
            hit = !rt_kernel_earns(ctx, slot, (uint64_t)total + atomic_load(&slot->ns)) && (r->reduce || !rt_map_in_pieces(slot, total));
            bs = atomic_load_explicit(&ctx->be_state[rt_backend_index(k->backend)], memory_order_relaxed);
            t0 = kiln_now_ns();
        }
        if (hit) {
            if (r->reduce) *st = k->backend->launch_reduce(bs, ctx, k, rg, s->fk.consts, rt_threads_for(ctx, total, s->fk.cost));
            else *st = k->backend->launch_map(bs, ctx, k, &r->g.g, s->fk.consts, rt_map_threads(ctx, slot, total, s->fk.cost));
            rt_kernel_timed(ctx, slot, t0);
            if (*st == KILN_ERR_NOMEM) kiln_fail(ctx, *st, "out of memory");
            /* an evaluation, a kernel-cache hit and a launch: counted here without a locked
             * instruction (one writer), summed by kiln_get_stats */
            atomic_uint_fast64_t *runs = k->backend->compiles ? &r->runs : &r->runs_interp;
            if (*st == KILN_OK) atomic_store_explicit(runs, atomic_load_explicit(runs, memory_order_relaxed) + 1, memory_order_relaxed);
        }
    }
    atomic_store_explicit(&r->busy, false, memory_order_release);
    return hit;
}

/* r's geometry and kernel let go: no record */
static void forget(kiln_ctx *ctx, struct rt_replay *r) {
    if (!r->valid) return;
    if (r->reduce) rt_rgeom_free(ctx, &r->rg);
    else rt_geom_free(ctx, &r->g);
    rt_kernel_release(ctx, r->slot);
    r->valid = false;
    r->slot = NULL;
}

/* r made valid: the operands as they are, slot (a reference, now r's), the backend's state */
static void record(kiln_ctx *ctx, const rt_plan *p, struct rt_replay *r, kiln_array *const *ins, int nin, const kiln_array *out, kslot *slot) {
    r->nin = nin;
    for (int i = 0; i < nin; i++) snap(&r->ops[i], ins[i]);
    snap(&r->ops[nin], out);
    r->slot = slot;
    r->state = atomic_load(&ctx->be_state[p->backend]);
    r->valid = true;
}

void rt_replay_record(kiln_ctx *ctx, rt_plan *p, kiln_array *out) {
    if (!replayable(p)) return;
    rt_step *s = &p->steps[0];
    struct rt_replay *r = atomic_load_explicit(&p->replay, memory_order_acquire);
    if (!r) {
        struct rt_replay *fresh = kiln_calloc(ctx, sizeof *fresh);
        if (!fresh) return; /* no record: every call takes the full path */
        struct rt_replay *expected = NULL;
        if (!atomic_compare_exchange_strong(&p->replay, &expected, fresh)) {
            kiln_free(ctx, fresh);
        } else {
            pthread_mutex_lock(&ctx->replay_lock);
            fresh->next = ctx->replays;
            if (ctx->replays) ctx->replays->prev = fresh;
            ctx->replays = fresh;
            pthread_mutex_unlock(&ctx->replay_lock);
        }
        r = atomic_load_explicit(&p->replay, memory_order_acquire);
    }
    if (atomic_exchange_explicit(&r->busy, true, memory_order_acquire)) return;
    /* the kernel the step used last (compiled, or the interpreter's while it waits), and its layouts */
    int nin = s->fk.kd.n_in;
    size_t nl = (size_t)nin + 2; /* the inputs', the output's, the flags (RT_STREAM, RT_BLOCK) */
    uint8_t layout[REPLAY_INPUTS + 2];
    pthread_mutex_lock(&s->lock);
    kslot *slot = s->memo_slot;
    if (slot) {
        kcache_retain(slot);
        memcpy(layout, s->memo_layout, nl);
    } else {
        slot = NULL;
    }
    pthread_mutex_unlock(&s->lock);
    forget(ctx, r);
    kiln_array *ins[REPLAY_INPUTS];
    for (int i = 0; i < nin; i++) ins[i] = s->fk.inputs[i]->leaf;
    const kiln_backend_i *be = rt_backends[p->backend];
    if (slot && s->kind == RT_STEP_REDUCE && rt_rgeom_make(ctx, be, s, ins, out, &r->rg)) {
        rt_reduce_row_layout(s, &r->rg.g, r->rg.layout);
        /* the row form's kernel, over something to fold, on the host */
        if (!rt_reduce_in_columns(be, s, &r->rg.g) && r->rg.g.R && !be->device && memcmp(r->rg.layout, layout, nl) == 0) {
            r->reduce = true;
            record(ctx, p, r, ins, nin, out, slot);
            slot = NULL;
        } else {
            rt_rgeom_free(ctx, &r->rg);
        }
    } else if (slot && s->kind == RT_STEP_MAP && rt_geom_build(ctx, &s->fk, ins, out->ndim, out->shape, out->strides, out->data, &r->g) == KILN_OK) {
        if (memcmp(r->g.layout, layout, nl) == 0) { /* the kernel is specialized to these layouts */
            r->reduce = false;
            record(ctx, p, r, ins, nin, out, slot);
            slot = NULL;
        } else {
            rt_geom_free(ctx, &r->g);
        }
    }
    rt_kernel_release(ctx, slot);
    atomic_store_explicit(&r->busy, false, memory_order_release);
}

void rt_replay_count(kiln_ctx *ctx, uint64_t *compiled, uint64_t *interp) {
    *compiled = atomic_load(&ctx->st.replayed);
    *interp = atomic_load(&ctx->st.replayed_interp);
    pthread_mutex_lock(&ctx->replay_lock);
    for (struct rt_replay *r = ctx->replays; r; r = r->next) {
        *compiled += atomic_load_explicit(&r->runs, memory_order_relaxed);
        *interp += atomic_load_explicit(&r->runs_interp, memory_order_relaxed);
    }
    pthread_mutex_unlock(&ctx->replay_lock);
}

void rt_replay_free(kiln_ctx *ctx, rt_plan *p) {
    struct rt_replay *r = atomic_load(&p->replay);
    if (!r) return;
    pthread_mutex_lock(&ctx->replay_lock);
    if (r->prev) r->prev->next = r->next;
    else ctx->replays = r->next;
    if (r->next) r->next->prev = r->prev;
    atomic_fetch_add(&ctx->st.replayed, atomic_load(&r->runs));
    atomic_fetch_add(&ctx->st.replayed_interp, atomic_load(&r->runs_interp));
    pthread_mutex_unlock(&ctx->replay_lock);
    forget(ctx, r);
    kiln_free(ctx, r);
}
