/*
 * eval.c — evaluation: the whole pipeline from expressions to their values, top to bottom.
 *
 *     kiln_eval_into(e, out) / kiln_eval_many(es, outs)
 *       rt_plan_get       graph (CSE'd, folded, simplified when built) ─▶ lowered ─▶ steps
 *                                                                       [plan.c, ir/fuse.c]
 *       plan_run          each step in order, temporaries between them:
 *         rt_map_run        geometry: broadcast, drop size-1 dims, order by the output's
 *                           strides, collapse, classify rows                   [geometry.c]
 *                           kernel: memo ─▶ cache ─▶ disk ─▶ backend compile   [kernels.c]
 *                           launch: the backend's own iteration           [codegen/backend.h]
 *         rt_reduce_run     row form (fixed blocks and tree) or column form     [reduce.c]
 *         rt_matmul_run     the backend's product, the epilogue on its panels   [matmul.c]
 *
 * KILN_DEBUG=fuse prints each plan's kernels to stderr when the plan is made, KILN_DEBUG=steps
 * the time of each step, KILN_LOG=compile a line per kernel made.
 */
#include <string.h>

#include "exec.h"

/* ------------------------------------------------------------------ running a plan */

/* The arrays step s reads (its kernel inputs), into ins (n_in entries). */
static void resolve(const rt_plan *p, const rt_step *s, const rt_run_arrays *ra, kiln_array **ins) {
    for (int i = 0; i < s->fk.kd.n_in; i++) ins[i] = rt_plan_array(p, s->fk.inputs[i], ra);
}

static kiln_status plan_run_steps(kiln_ctx *ctx, rt_plan *p, kiln_array *const *outs);

/* Runs every step of p, roots into outs (distinct, checked by the callers).  A run that had to
 * make kernels reports its own time, less that making, as a first run. */
static kiln_status plan_run(kiln_ctx *ctx, rt_plan *p, kiln_array *const *outs) {
    if (atomic_load_explicit(&p->warm, memory_order_relaxed)) return plan_run_steps(ctx, p, outs);
    uint64_t made0, ns0, made1, ns1;
    rt_kernel_made(&made0, &ns0);
    uint64_t t0 = kiln_now_ns();
    kiln_status st = plan_run_steps(ctx, p, outs);
    rt_kernel_made(&made1, &ns1);
    if (made1 != made0) {
        uint64_t run = kiln_now_ns() - t0, busy = ns1 - ns0;
        run = run > busy ? run - busy : 0;
        atomic_fetch_add(&ctx->st.ns_first_run, run);
        if (rt_log_compiles()) fprintf(stderr, "kiln: first run %.3f ms\n", (double)run * 1e-6);
    } else if (st == KILN_OK) {
        atomic_store_explicit(&p->warm, true, memory_order_relaxed);
    }
    return st;
}

static const char *const step_names[] = {"map",     "reduce", "matmul", "scan",    "concatenate", "take",
                                         "view",    "reshape", "embed", "scatter", "rows", "linalg"};

/* Resolves step s's kernel inputs into ins (heap when they do not fit in inline); NULL when out
 * of memory. */
static kiln_array **inputs_of(kiln_ctx *ctx, const rt_plan *p, const rt_step *s, const rt_run_arrays *ra, kiln_array **inline_) {
    kiln_array **ins = inline_;
    if (s->fk.kd.n_in > KILN_INLINE_OPERANDS && !(ins = kiln_malloc(ctx, (size_t)s->fk.kd.n_in * sizeof *ins))) return NULL;
    resolve(p, s, ra, ins);
    return ins;
}

/* Whether a and b are the same elements of memory, laid out alike. */
static bool same_array(const kiln_array *a, const kiln_array *b) {
    if (a->data != b->data || a->dtype != b->dtype || a->ndim != b->ndim) return false;
    for (int d = 0; d < a->ndim; d++)
        if (a->shape[d] != b->shape[d] || (a->shape[d] > 1 && a->strides[d] != b->strides[d])) return false;
    return true;
}

/* Runs step s of p. */
static kiln_status run_step(const rt_exec *x, rt_plan *p, rt_step *s, rt_run_arrays *ra) {
    kiln_ctx *ctx = x->ctx;
    kiln_array *out = s->root >= 0 ? ra->outs[s->root] : s->temp >= 0 ? ra->temps[s->temp] : NULL;
    kiln_array *a0 = s->node->arg[0] != IR_NONE && s->kind != RT_STEP_MAP && s->kind != RT_STEP_REDUCE && s->kind != RT_STEP_CONCAT &&
                             s->kind != RT_STEP_EMBED
                         ? rt_plan_array(p, ir_arg(s->node, 0), ra)
                         : NULL;
    kiln_array *a1 = s->node->arg[1] != IR_NONE && (s->kind == RT_STEP_MATMUL || s->kind == RT_STEP_TAKE || s->kind == RT_STEP_SCATTER || s->kind == RT_STEP_LINALG)
                         ? rt_plan_array(p, ir_arg(s->node, 1), ra)
                         : NULL;
    kiln_array *ins_s[KILN_INLINE_OPERANDS], *eins_s[KILN_INLINE_OPERANDS], **ins = NULL, **eins = NULL;
    kiln_status st = KILN_OK;
    switch (s->kind) {
    case RT_STEP_VIEW: rt_view_make(s->node, a0, &ra->views[s->view]); return KILN_OK;
    case RT_STEP_RESHAPE: { /* (a root too: its copy step follows) */
        const rt_step *root = s + 1 < p->steps + p->nsteps && s[1].node == s->node && s[1].root >= 0 && s[1].kind == RT_STEP_MAP ? &s[1] : NULL;
        return rt_reshape_run(x, s, a0, &ra->views[s->view], &ra->copies[s->view], root ? ra->outs[root->root] : NULL);
    }
    case RT_STEP_SCAN: return rt_scan_run(x, s, a0, out);
    case RT_STEP_ROWS: return rt_rows_run(x, s, a0, out);
    case RT_STEP_LINALG: {
        if (s->la_done) return KILN_OK;
        kiln_array *also[3];
        const kiln_expr *also_nodes[3];
        for (int i = 0; i < s->nla_also; i++) {
            const rt_step *o = &p->steps[s->la_also[i]];
            also[i] = o->root >= 0 ? ra->outs[o->root] : ra->temps[o->temp];
            also_nodes[i] = o->node;
        }
        return rt_linalg_run(x, s, a0, a1, out, also_nodes, also);
    }
    case RT_STEP_TAKE:
        return rt_take_run(x, s, a0, a1, s->node->arg[2] != IR_NONE ? rt_plan_array(p, ir_arg(s->node, 2), ra) : NULL, out);
    case RT_STEP_SCATTER:
        return rt_scatter_run(x, s, a0, a1, s->node->arg[2] != IR_NONE ? rt_plan_array(p, ir_arg(s->node, 2), ra) : NULL, out);
    case RT_STEP_EMBED:
        if (!(ins = inputs_of(ctx, p, &s->aux[0], ra, ins_s))) return KILN_ERR_NOMEM;
        st = rt_embed_run(x, s, ins, out);
        break;
    case RT_STEP_CONCAT:
        for (int h = 0; h < s->naux && st == KILN_OK; h++) {
            if (!(ins = inputs_of(ctx, p, &s->aux[h], ra, ins_s))) return KILN_ERR_NOMEM;
            st = rt_concat_run(x, s, h, ins, out);
            if (ins != ins_s) kiln_free(ctx, ins);
        }
        return st;
    case RT_STEP_MAP:
        if (s->in_epilogue) return KILN_OK;
        if (!(ins = inputs_of(ctx, p, s, ra, ins_s))) return KILN_ERR_NOMEM;
        if (kiln_op_kind[s->node->op] == KIND_VIEW && s->fk.kd.n_in == 1 && same_array(ins[0], out)) break; /* (rt_reshape_run's into) */
        st = rt_map_run(x, s, ins, out);
        break;
    case RT_STEP_REDUCE:
        if (!(ins = inputs_of(ctx, p, s, ra, ins_s))) return KILN_ERR_NOMEM;
        st = rt_reduce_run(x, s, ins, out);
        break;
    case RT_STEP_MATMUL: {
        rt_step *epi = s->epilogue >= 0 ? &p->steps[s->epilogue] : NULL;
        if (epi && !(eins = inputs_of(ctx, p, epi, ra, eins_s))) return KILN_ERR_NOMEM;
        st = rt_matmul_run(x, s, a0, a1, out, epi, eins);
        break;
    }
    }
    if (ins && ins != ins_s) kiln_free(ctx, ins);
    if (eins && eins != eins_s) kiln_free(ctx, eins);
    return st;
}

/* A backend that compiles several kernels at once (compile_many) gets the kernels of p's first
 * run together, before it starts: each MAP and REDUCE step's layouts worked out as the run will
 * (the caller's arrays and outputs as they are, temporaries and reshapes C-ordered, views made
 * over those), no data read.  A layout guessed wrong costs a kernel compiled for nothing; the
 * run then compiles the right one on its own. */
static void plan_prefetch(const rt_exec *x, rt_plan *p, kiln_array *const *outs) {
    kiln_ctx *ctx = x->ctx;
    kiln_error_kept kept; /* out of memory here is met again, and reported, by the run */
    kiln_error_keep(&kept);
    int n = 0;
    kiln_array *temps = kiln_calloc(ctx, (size_t)(p->ntemps + 1) * sizeof *temps);
    kiln_array *views = kiln_calloc(ctx, (size_t)(p->nviews + 1) * sizeof *views);
    kiln_array **tp = kiln_calloc(ctx, (size_t)(p->ntemps + 1) * sizeof *tp);
    rt_step **steps = kiln_calloc(ctx, (size_t)p->nsteps * sizeof *steps);
    uint8_t **layouts = kiln_calloc(ctx, (size_t)p->nsteps * sizeof *layouts);
    if (temps && views && tp && steps && layouts) {
        for (int t = 0; t < p->ntemps; t++) rt_array_standin(&temps[t], p->temps[t]), tp[t] = &temps[t];
        rt_run_arrays ra = {.temps = tp, .outs = outs, .views = views, .copies = NULL};
        for (int i = 0; i < p->nsteps; i++) {
            rt_step *s = &p->steps[i];
            if (s->kind == RT_STEP_VIEW) rt_view_make(s->node, rt_plan_array(p, ir_arg(s->node, 0), &ra), &views[s->view]);
            if (s->kind == RT_STEP_RESHAPE) rt_array_standin(&views[s->view], s->node);
            if (s->kind != RT_STEP_MAP && s->kind != RT_STEP_REDUCE) continue;
            kiln_array *ins_s[KILN_INLINE_OPERANDS], **ins = inputs_of(ctx, p, s, &ra, ins_s);
            const rt_step *w = s; /* the step whose array s writes: an epilogue's is its product's */
            for (int k = 0; s->in_epilogue && k < p->nsteps; k++)
                if (p->steps[k].kind == RT_STEP_MATMUL && p->steps[k].epilogue == i) w = &p->steps[k];
            kiln_array *out = w->root >= 0 ? outs[w->root] : w->temp >= 0 ? tp[w->temp] : NULL;
            uint8_t *layout = ins && out ? kiln_malloc(ctx, (size_t)s->fk.kd.n_in + s->fk.kd.n_out + 1) : NULL;
            bool want = false;
            if (layout && s->kind == RT_STEP_REDUCE) {
                want = rt_reduce_layout(x, s, ins, out, layout);
            } else if (layout) {
                rt_geom g;
                want = rt_geom_build(ctx, &s->fk, ins, out->ndim, out->shape, out->strides, out->data, &g) == KILN_OK;
                if (want) memcpy(layout, g.layout, (size_t)s->fk.kd.n_in + s->fk.kd.n_out + 1);
                if (want) rt_geom_free(ctx, &g);
            }
            if (want) steps[n] = s, layouts[n++] = layout;
            else kiln_free(ctx, layout);
            if (ins && ins != ins_s) kiln_free(ctx, ins);
        }
        rt_kernels_make_many(x, n, steps, layouts);
    }
    for (int i = 0; layouts && i < n; i++) kiln_free(ctx, layouts[i]);
    kiln_free(ctx, temps);
    kiln_free(ctx, views);
    kiln_free(ctx, tp);
    kiln_free(ctx, steps);
    kiln_free(ctx, layouts);
    kiln_error_restore(&kept);
}

size_t rt_spare_bytes(kiln_array *const *temps, int n) {
    size_t bytes = 0;
    for (int i = 0; i < n; i++) bytes += (size_t)kiln_array_size(temps[i]) * kiln_dtype_size(kiln_array_dtype(temps[i]));
    return bytes;
}

static kiln_status plan_run_steps(kiln_ctx *ctx, rt_plan *p, kiln_array *const *outs) {
    rt_exec x;
    if (!rt_exec_for(ctx, p, &x)) return kiln_fail(ctx, KILN_ERR_BACKEND, "the plan's backend is not running");
    for (int i = 0; i < p->nleaves; i++)
        if (p->leaves[i]->op == KILN_OP_PARAM && !p->leaves[i]->leaf)
            return kiln_fail(ctx, KILN_ERR_ARG, "placeholder #%llu is not bound to an array (kiln_bind)",
                             (unsigned long long)p->leaves[i]->val.bits);
    if (x.be->compile_many && !atomic_load_explicit(&p->warm, memory_order_relaxed) && !atomic_exchange(&p->prefetched, true))
        plan_prefetch(&x, p, outs);
    kiln_array views_s[4], *copies_s[4] = {NULL, NULL, NULL, NULL};
    /* the temporaries: the last run's when no other run holds them (no fresh pages), else new */
    kiln_array **spare = p->ntemps ? atomic_exchange(&p->spare, NULL) : NULL, *no_temps[1] = {NULL};
    if (spare) atomic_fetch_sub(&ctx->spare_bytes, rt_spare_bytes(spare, p->ntemps));
    rt_run_arrays ra = {.temps = spare ? spare : p->ntemps ? kiln_calloc(ctx, (size_t)p->ntemps * sizeof *ra.temps) : no_temps,
                        .outs = outs,
                        .views = p->nviews <= 4 ? views_s : kiln_calloc(ctx, (size_t)p->nviews * sizeof *ra.views),
                        .copies = p->nviews <= 4 ? copies_s : kiln_calloc(ctx, (size_t)p->nviews * sizeof *ra.copies)};
    kiln_status st = KILN_OK;
    int made = 0;
    if (!ra.temps || !ra.views || !ra.copies) st = KILN_ERR_NOMEM;
    for (; !spare && made < p->ntemps && st == KILN_OK; made++) {
        kiln_expr *t = p->temps[made];
        ra.temps[made] = kiln_array_new(ctx, (kiln_dtype)t->dtype, t->ndim, t->shape);
        if (!ra.temps[made]) st = kiln_errcode(ctx);
    }
    if (spare) made = p->ntemps;
    bool timing = rt_debug_steps(); /* KILN_DEBUG=steps: each step's time on stderr */
    uint8_t shared_s[64], *shared = p->nsteps <= 64 ? shared_s : kiln_calloc(ctx, (size_t)p->nsteps); /* steps a group ran */
    if (!shared) st = KILN_ERR_NOMEM;
    else if (p->nsteps <= 64) memset(shared, 0, (size_t)p->nsteps);
    for (int i = 0; i < p->nsteps && st == KILN_OK; i++) {
        rt_step *s = &p->steps[i];
        if (atomic_load(&kiln_base_of(ctx)->interrupt)) {
            st = kiln_fail(ctx, KILN_ERR_INTERRUPTED, "interrupted");
            break;
        }
        uint64_t t0 = timing ? kiln_now_ns() : 0;
        if (shared[i]) { /* done by its group: what is left is a product's epilogue */
            rt_step *epi = s->kind == RT_STEP_MATMUL && s->epilogue >= 0 ? &p->steps[s->epilogue] : NULL;
            kiln_array *eins_s[KILN_INLINE_OPERANDS], **eins = epi ? inputs_of(ctx, p, epi, &ra, eins_s) : NULL;
            if (epi && !eins) st = KILN_ERR_NOMEM;
            else if (epi) st = rt_map_run(&x, epi, eins, s->root >= 0 ? ra.outs[s->root] : ra.temps[s->temp]);
            if (eins && eins != eins_s) kiln_free(ctx, eins);
            continue;
        }
        if (s->kind == RT_STEP_MATMUL && s->share_map >= 0 && !x.be->device) { /* one pass over a shared matrix */
            kiln_array *mins_s[KILN_INLINE_OPERANDS], **mins = inputs_of(ctx, p, &p->steps[s->share_map], &ra, mins_s);
            bool done = false;
            st = mins ? rt_shared_run(&x, p, s, &ra, mins, &done, shared) : KILN_ERR_NOMEM;
            if (mins && mins != mins_s) kiln_free(ctx, mins);
            if (done) {
                shared[s->share_map] = shared[s->share_with] = 1;
                int folded = 0;
                for (int r = 0; r < s->nshare_reds; r++) folded += shared[s->share_reds[r]];
                if (timing)
                    fprintf(stderr, "kiln: steps %d, %d, %d (a @ X, the middle, the product back) and %d reductions in one pass over X %.3f ms\n",
                            i, s->share_map, s->share_with, folded, (double)(kiln_now_ns() - t0) * 1e-6);
                continue;
            }
            if (st != KILN_OK) break;
        }
        st = run_step(&x, p, s, &ra);
        if (timing && !(s->kind == RT_STEP_MAP && s->in_epilogue))
            fprintf(stderr, "kiln: step %d (%s %s) %.3f ms\n", i, step_names[s->kind], kiln_op_name((kiln_op)s->node->op),
                    (double)(kiln_now_ns() - t0) * 1e-6);
    }
    if (shared && shared != shared_s) kiln_free(ctx, shared);
    /* the temporaries stay with the plan for its next run (small ones, while the context's
     * plans hold few: big ones go back to the buffer pool, which recycles them anyway) */
    size_t bytes = ra.temps && made == p->ntemps && made > 0 ? rt_spare_bytes(ra.temps, made) : SIZE_MAX;
    if (bytes <= RT_SPARE_TEMPS_BYTES && atomic_fetch_add(&ctx->spare_bytes, bytes) + bytes <= RT_SPARE_CTX_BYTES) {
        kiln_array **keep = NULL;
        if (atomic_compare_exchange_strong(&p->spare, &keep, ra.temps)) made = 0, ra.temps = NULL;
        else atomic_fetch_sub(&ctx->spare_bytes, bytes);
    } else if (bytes <= RT_SPARE_TEMPS_BYTES) {
        atomic_fetch_sub(&ctx->spare_bytes, bytes);
    }
    for (int i = 0; i < made; i++) kiln_array_free(ra.temps[i]);
    for (int v = 0; ra.copies && v < p->nviews; v++) kiln_array_free(ra.copies[v]);
    if (ra.temps != no_temps) kiln_free(ctx, ra.temps);
    if (ra.views != views_s) kiln_free(ctx, ra.views);
    if (ra.copies != copies_s) kiln_free(ctx, ra.copies);
    if (st == KILN_ERR_NOMEM && kiln_errcode(ctx) != KILN_ERR_NOMEM) kiln_fail(ctx, st, "out of memory");
    return st;
}

/* ------------------------------------------------------------------ the public entry points */

static bool same_shape(const kiln_expr *e, const kiln_array *a) {
    return e->ndim == a->ndim && memcmp(e->shape, a->shape, e->ndim * sizeof *e->shape) == 0;
}

/* Whether writing out while reading p's arrays could read an element already overwritten:
 * memory overlaps and the array is not walked exactly as out is by a plan of one element-wise
 * step reading it directly. */
static bool needs_temporary(const rt_plan *p, const kiln_array *out) {
    const char *olo, *ohi;
    rt_array_extent(out, &olo, &ohi);
    for (int i = 0; i < p->nleaves; i++) {
        const kiln_expr *n = p->leaves[i];
        const kiln_array *a = n->leaf;
        if (!a) continue; /* an unbound placeholder: the run fails anyway */
        const char *lo, *hi;
        rt_array_extent(a, &lo, &hi);
        if (hi <= olo || lo >= ohi) continue;
        const rt_step *s = &p->steps[0];
        bool direct = false;
        for (int k = 0; p->nsteps == 1 && s->kind == RT_STEP_MAP && k < s->fk.kd.n_in; k++) direct |= s->fk.inputs[k] == n;
        bool same = direct && a->data == out->data && a->ndim == out->ndim && a->dtype == out->dtype;
        for (int d = 0; same && d < a->ndim; d++)
            same = a->shape[d] == out->shape[d] && (a->strides[d] == out->strides[d] || a->shape[d] == 1);
        if (!same) return true;
    }
    return false;
}

static kiln_status check_out(kiln_ctx *ctx, const kiln_expr *e, const kiln_array *out) {
    if (e->g != &ctx->graph || out->ctx != ctx)
        return kiln_fail(ctx, KILN_ERR_ARG, "kiln_eval_into: arguments belong to another context");
    if (!same_shape(e, out))
        return kiln_fail(ctx, KILN_ERR_SHAPE, "output has shape %s but the expression has shape %s", rt_shape_str(out->ndim, out->shape).s,
                         rt_shape_str(e->ndim, e->shape).s);
    if (e->dtype != out->dtype)
        return kiln_fail(ctx, KILN_ERR_DTYPE, "output has dtype %s but the expression has dtype %s",
                         kiln_dtype_name((kiln_dtype)out->dtype), kiln_dtype_name((kiln_dtype)e->dtype));
    return KILN_OK;
}

/* Memory the caller owns (kiln_wrap) can change between calls without kiln seeing it: a device's
 * copies of the plan's leaves and of the call's outputs there are stale at each call. */
static void caller_owned_stale(kiln_ctx *ctx, const kiln_array *a) {
    const kiln_array *root = a;
    while (root && root->base) root = root->base;
    if (root && !root->buf && !root->map) rt_device_sync(ctx, a, KILN_SYNC_WRITE);
}

static void device_begin(kiln_ctx *ctx, const rt_plan *p, kiln_array *const *outs, int nouts) {
    for (int i = 0; i < p->nleaves; i++) caller_owned_stale(ctx, (const kiln_array *)p->leaves[i]->leaf);
    for (int i = 0; i < nouts; i++) caller_owned_stale(ctx, outs[i]);
}

/* A call's result to the host when it ends, unless its home is the device (kiln_wrap_device). */
static void result_home(kiln_ctx *ctx, const kiln_array *out) {
    const kiln_array *root = out;
    while (root->base) root = root->base;
    if (!root->on_device) rt_device_sync(ctx, out, KILN_SYNC_READ);
}

/* src's values copied into out (of its shape and dtype). */
static kiln_status copy_into(kiln_ctx *ctx, kiln_array *src, kiln_array *out) {
    kiln_expr *v = kiln_var(ctx, src);
    kiln_status st = v ? kiln_eval_into(ctx, v, out) : kiln_errcode(ctx);
    kiln_expr_free(v);
    return st;
}

/* Evaluates into a fresh array, then copies it into out. */
static kiln_status via_temporary(kiln_ctx *ctx, kiln_expr *e, kiln_array *out) {
    kiln_array *tmp = kiln_eval(ctx, e);
    kiln_status st = tmp ? copy_into(ctx, tmp, out) : kiln_errcode(ctx);
    kiln_array_free(tmp);
    return st;
}

/* kiln_eval_into; fresh: out is a new array of kiln_eval's (it aliases nothing: a replay record
 * made with another output of its shape serves it) */
static kiln_status eval_into(kiln_ctx *ctx, kiln_expr *e, kiln_array *out, bool fresh) {
    kiln_status st = check_out(ctx, e, out);
    if (st != KILN_OK) return st;
    rt_plan *p = rt_plan_get(ctx, e);
    if (!p) return kiln_errcode(ctx);
    /* on a device: results come back to the host when the call ends; temporaries stay there */
    bool dev = rt_device_started(ctx);
    if (dev) device_begin(ctx, p, &out, 1);
    /* the same arrays as the last run (a fresh output like the last one: on the host) launched at once */
    if (rt_replay_run(ctx, p, out, fresh && !dev, &st)) {
        if (dev && st == KILN_OK) result_home(ctx, out);
        return st;
    }
    if (needs_temporary(p, out)) return via_temporary(ctx, e, out);
    st = plan_run(ctx, p, &out);
    if (st == KILN_OK) {
        rt_replay_record(ctx, p, out);
        atomic_fetch_add(&ctx->st.evals, 1);
        if (dev || rt_device_started(ctx)) result_home(ctx, out);
    }
    return st;
}

kiln_status kiln_eval_into(kiln_ctx *ctx, kiln_expr *e, kiln_array *out) {
    if (!ctx) return KILN_ERR_ARG;
    if (!e || !out) {
        if (kiln_errcode(ctx) != KILN_OK) return kiln_errcode(ctx); /* what made the NULL */
        return kiln_fail(ctx, KILN_ERR_ARG, "kiln_eval_into: %s is NULL", e ? "output" : "expression");
    }
    return eval_into(ctx, e, out, false);
}

kiln_array *kiln_eval(kiln_ctx *ctx, kiln_expr *e) {
    if (!ctx) return NULL;
    if (!e) {
        if (kiln_errcode(ctx) == KILN_OK) kiln_fail(ctx, KILN_ERR_ARG, "kiln_eval: expression is NULL");
        return NULL;
    }
    if (e->g != &ctx->graph) {
        kiln_fail(ctx, KILN_ERR_ARG, "kiln_eval: expression belongs to another context");
        return NULL;
    }
    kiln_array *out = kiln_array_new(ctx, (kiln_dtype)e->dtype, e->ndim, e->shape);
    if (out && eval_into(ctx, e, out, true) != KILN_OK) {
        kiln_array_free(out);
        return NULL;
    }
    return out;
}

kiln_status kiln_eval_many(kiln_ctx *ctx, int n, kiln_expr *const *exprs, kiln_array **outs) {
    if (!ctx) return KILN_ERR_ARG;
    if (n < 1) return kiln_fail(ctx, KILN_ERR_ARG, "kiln_eval_many: nothing to evaluate (n is %d)", n);
    if (!exprs || !outs) return kiln_fail(ctx, KILN_ERR_ARG, "kiln_eval_many: %s is NULL", !exprs ? "exprs" : "outs");
    /* made[i]: outs[i] is kiln's; dup[i]: the earlier expression exprs[i] repeats (a, a; a shape's
     * equal dims), or -1; the distinct ones, and their outputs, go to the plan */
    bool *made = kiln_calloc(ctx, (size_t)n);
    int *dup = kiln_calloc(ctx, (size_t)n * sizeof *dup);
    kiln_expr **ue = kiln_calloc(ctx, (size_t)n * sizeof *ue);
    kiln_array **uo = kiln_calloc(ctx, (size_t)n * sizeof *uo);
    kiln_status st = made && dup && ue && uo ? KILN_OK : kiln_fail(ctx, KILN_ERR_NOMEM, "out of memory");
    int nu = 0;
    for (int i = 0; i < n && st == KILN_OK; i++) {
        if (!exprs[i]) {
            st = kiln_errcode(ctx) != KILN_OK ? kiln_errcode(ctx) : kiln_fail(ctx, KILN_ERR_ARG, "kiln_eval_many: expression %d is NULL", i);
            break;
        }
        if (exprs[i]->g != &ctx->graph) { /* (checked with a given output by check_out; a new one's too) */
            st = kiln_fail(ctx, KILN_ERR_ARG, "kiln_eval_many: expression %d belongs to another context", i);
            break;
        }
        dup[i] = -1;
        for (int j = 0; j < i && dup[i] < 0; j++)
            if (exprs[j] == exprs[i]) dup[i] = j;
        if (!outs[i]) {
            outs[i] = kiln_array_new(ctx, (kiln_dtype)exprs[i]->dtype, exprs[i]->ndim, exprs[i]->shape);
            made[i] = outs[i] != NULL;
            if (!outs[i]) st = kiln_errcode(ctx);
        } else {
            st = check_out(ctx, exprs[i], outs[i]);
        }
    }
    for (int i = 0; i < n && st == KILN_OK; i++)
        if (dup[i] < 0) ue[nu] = exprs[i], uo[nu++] = outs[i];
    rt_plan *p = st == KILN_OK ? rt_plan_many(ctx, ue, nu) : NULL;
    if (st == KILN_OK && !p) st = kiln_errcode(ctx);
    /* an output that overlaps an input (A = x - mean(x) into x, beside another value of x) takes
     * a temporary, copied into it once every value is computed: the values are all of the inputs
     * as they were, as a tuple assignment's are */
    kiln_array **run = st == KILN_OK ? kiln_calloc(ctx, (size_t)nu * sizeof *run) : NULL;
    if (st == KILN_OK && !run) st = kiln_fail(ctx, KILN_ERR_NOMEM, "out of memory");
    for (int i = 0; run && i < nu && st == KILN_OK; i++) {
        run[i] = needs_temporary(p, uo[i]) ? kiln_array_new(ctx, (kiln_dtype)uo[i]->dtype, uo[i]->ndim, uo[i]->shape) : kiln_array_retain(uo[i]);
        if (!run[i]) st = kiln_errcode(ctx);
    }
    if (st == KILN_OK && rt_device_started(ctx)) device_begin(ctx, p, run, nu);
    if (st == KILN_OK) st = plan_run(ctx, p, run);
    if (st == KILN_OK) atomic_fetch_add(&ctx->st.evals, 1);
    if (st == KILN_OK && rt_device_started(ctx))
        for (int i = 0; i < nu; i++) result_home(ctx, run[i]);
    rt_plan_release(ctx, p);
    for (int i = 0; run && i < nu; i++) {
        if (st == KILN_OK && run[i] != uo[i]) st = copy_into(ctx, run[i], uo[i]);
        kiln_array_free(run[i]);
    }
    kiln_free(ctx, run);
    for (int i = 0; i < n && st == KILN_OK; i++) { /* a repeat: a copy of the first one's value */
        if (dup[i] < 0) continue;
        st = copy_into(ctx, outs[dup[i]], outs[i]);
    }
    for (int i = 0; made && i < n && st != KILN_OK; i++)
        if (made[i]) {
            kiln_array_free(outs[i]);
            outs[i] = NULL;
        }
    kiln_free(ctx, made);
    kiln_free(ctx, dup);
    kiln_free(ctx, ue);
    kiln_free(ctx, uo);
    return st;
}

