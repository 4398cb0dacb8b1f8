/*
 * exec.h — plans and what runs them, shared by the runtime's files:
 *
 *     plan.c      graph roots ─▶ lowered roots ─▶ steps (element-wise maps, reductions, products)
 *     eval.c      the pipeline, top to bottom: the public evaluation entry points
 *     geometry.c  broadcast, collapse and classify an element-wise step's operands
 *     kernels.c   the kernel service: memo ─▶ in-memory cache ─▶ disk cache ─▶ compile, load
 *     reduce.c    reduction steps: the geometry, and the row or column form
 *     matmul.c    product steps: the operands for the backend, the epilogue's panels
 *     dump.c      kiln_dump
 */
#ifndef KILN_RUNTIME_EXEC_H
#define KILN_RUNTIME_EXEC_H

#include "../ir/fuse.h"
#include "ctx.h"

typedef enum rt_step_kind {
    RT_STEP_MAP,     /* an element-wise kernel writes node's values */
    RT_STEP_REDUCE,  /* a reduction kernel folds its operand's region */
    RT_STEP_MATMUL,  /* a matrix product, with an optional element-wise epilogue */
    RT_STEP_SCAN,    /* cumsum / cumprod of the operand's array */
    RT_STEP_CONCAT,  /* element-wise kernels (aux[0..naux)) write node's parts, each where it
                        starts in the output (part_at), or small arrays copied as they are */
    RT_STEP_TAKE,    /* a gather from the operand's array by the index array */
    RT_STEP_VIEW,    /* node's view array, from its operand's array (no kernel) */
    RT_STEP_RESHAPE, /* node's view array: its operand's, reshaped, or a C-ordered copy of it */
    RT_STEP_EMBED,   /* zeros, then an element-wise kernel (aux[0]) writes the operand's values
                        into the view of node's array that the EMBED names */
    RT_STEP_SCATTER, /* zeros, then the operand's values added at the index arrays' places (an
                        .at's: its own elements stored, then b's joined by its op) */
    RT_STEP_ROWS,    /* softmax, log_softmax or logsumexp of the operand's array, row by row */
    RT_STEP_LINALG,  /* np.linalg's function of the operands' arrays, a matrix at a time */
} rt_step_kind;

#define RT_SHARE_REDS 4 /* reductions one pass over a shared matrix folds at most */

/* One step of a plan: computes `node` into an array (a caller's output or a temporary). */
typedef struct rt_step {
    rt_step_kind kind;
    kiln_expr *node;
    fused_kernel fk;       /* MAP: node's region; REDUCE: the region of node's operand */
    int root;              /* which caller output receives node (-1: a temporary) */
    int temp;              /* which temporary receives node (-1: a caller output) */
    int view;              /* VIEW, RESHAPE: which view array it fills */
    int epilogue;          /* MATMUL: the MAP step run on each panel of its result, or -1 */
    bool in_epilogue;      /* MAP: run by a MATMUL step instead of on its own */
    int share_map, share_with; /* MATMUL a @ X: the MAP step and the MATMUL step (X @ v.T or
                              v @ X.T) run with it in one pass over X (shared.c), or -1 */
    bool in_share;         /* MAP, MATMUL, REDUCE: run by such a group (when it could run it) */
    int share_reds[RT_SHARE_REDS]; /* MATMUL a @ X: the REDUCE steps of a whole row over the
                              columns (the loss, sum(dz)) folded in the same pass, chunk by chunk */
    int nshare_reds;       /* how many of share_reds there are */
    int la_also[3];        /* LINALG: the steps of the same operand's other parts (svd's u, s, vh)
                              whose outputs this one's factorization writes too */
    int nla_also;
    bool la_done;          /* LINALG: written by an earlier step's factorization (la_also) */
    pthread_mutex_t lock;  /* guards the memo and aux */
    uint8_t *memo_layout;  /* specialization of the last kernel used (n_in + n_out layouts,
                              then the streaming hint) */
    kslot *memo_slot;
    struct rt_step *aux;   /* REDUCE: the accumulate step of the column form, made on demand;
                              CONCAT: the parts' steps; RESHAPE: the copy step; EMBED: the step
                              writing the values */
    int naux;              /* CONCAT, RESHAPE, EMBED: how many aux steps there are */
    int64_t (*part_at)[KILN_MAX_DIMS]; /* CONCAT: where each aux step's part starts in the output */
} rt_step;

typedef struct rt_plan {
    atomic_uint refs;      /* a plan kept by kiln_eval_many's cache: the cache's and each run's */
    unsigned generation;   /* the context's generation it was made in (its backend's) */
    int backend;           /* index of that backend in the table */
    int nroots;
    kiln_expr **roots;     /* the caller's roots (borrowed: a plan memoized on a node must not
                              keep that node alive), or their rewrites with products lowered to
                              reductions (references, also in owned) */
    kiln_expr **owned;     /* nroots entries: the rewritten roots the plan holds, else NULL */
    int nsteps;
    rt_step *steps;        /* in dependency order */
    int ntemps;
    kiln_expr **temps;     /* nodes computed into temporaries */
    _Atomic(kiln_array **) spare; /* the last run's temporaries, for the next (no fresh pages) */
#define RT_SPARE_TEMPS_BYTES (16u << 20)
#define RT_SPARE_CTX_BYTES (64u << 20) /* all plans' together: a program of many plans (a binding's
                                          templates, a long loop body) must not hold 16 MiB each */
    int nviews;
    kiln_expr **views;     /* VIEW and RESHAPE nodes: read through view arrays made as the plan
                              runs (by their steps) */
    int nleaves;
    kiln_expr **leaves;    /* the arrays and placeholders every step reads, for overlap checks */
    struct rt_plan_slot {  /* each step's node and view by node (open addressing, mask + 1
                              slots): a plan of many steps finds its arrays in constant time */
        const kiln_expr *node;
        int step, view;    /* -1 where the node is no step's (no view) */
    } *index;
    uint32_t index_mask;
    _Atomic(struct rt_replay *) replay; /* one MAP or REDUCE step over arrays: its last run (replay.c) */
    atomic_bool warm;      /* a run made no kernel: later runs are not timed as first runs */
    atomic_bool prefetched; /* its kernels were asked of the backend at once (compile_many) */
} rt_plan;
/* The bytes of a plan's n temporaries (what ctx->spare_bytes counts of them). */
size_t rt_spare_bytes(kiln_array *const *temps, int n);

/* What a step runs with: the context and the plan's backend, started. */
typedef struct rt_exec {
    kiln_ctx *ctx;
    const kiln_backend_i *be;
    void *state;
} rt_exec;

/* ---- plans (plan.c) ---- */

/* Partitions the graphs under roots into steps for the context's backend.  NULL (error on
 * ctx) on failure. */
rt_plan *rt_plan_build(kiln_ctx *ctx, kiln_expr *const *roots, int nroots);
/* The plan for e: made on first use and kept on the node, remade when the backend changed. */
rt_plan *rt_plan_get(kiln_ctx *ctx, kiln_expr *e);
void rt_plan_free(kiln_ctx *ctx, rt_plan *p);
/* The plan for roots[0..n) in the context's cache of plans of several roots (a new reference:
 * rt_plan_release it), made and kept there when it is not: a training loop's kiln_eval_many
 * plans once.  An entry is found by its roots' identities (serials): a root freed, its slot
 * reused, is never taken for the old one. */
rt_plan *rt_plan_many(kiln_ctx *ctx, kiln_expr *const *roots, int n);
void rt_plan_release(kiln_ctx *ctx, rt_plan *p);
void rt_plan_cache_clear(kiln_ctx *ctx);

/* Threads for a launch of elements × cost units of work (fused_kernel.cost): one per
 * RT_GRAIN_WORK units, at most the context's.  Entering an OpenMP region costs about a
 * microsecond here; a thread pays for itself from about that much work (a*b+c, 6 units an
 * element, from 10^4 elements a thread; a sigmoid with a log, ~80 units, from 800). */
#define RT_GRAIN_WORK 65536.0
static inline int rt_threads_for(kiln_ctx *ctx, int64_t elements, uint32_t cost) {
    int nt = rt_nthreads(ctx);
    double w = (double)elements * (double)(cost ? cost : 1) / RT_GRAIN_WORK;
    return w >= nt ? nt : w < 2 ? 1 : (int)w;
}

/* ---- the replayed launch (replay.c) ---- */

/* Runs p (one root, out) by its replay record when out and p's arrays are those recorded (or
 * out is fresh, a new array of kiln_eval's, shaped as the recorded one was): true with the
 * run's status in *st; false when the full path must run. */
bool rt_replay_run(kiln_ctx *ctx, rt_plan *p, kiln_array *out, bool fresh, kiln_status *st);
/* After a full run of p into out: records it when p is one MAP or REDUCE step over arrays. */
void rt_replay_record(kiln_ctx *ctx, rt_plan *p, kiln_array *out);
void rt_replay_free(kiln_ctx *ctx, rt_plan *p);
/* Runs made by replay records, live and freed (each an evaluation, a cache hit and a launch),
 * of compiled kernels and of the interpreter's. */
void rt_replay_count(kiln_ctx *ctx, uint64_t *compiled, uint64_t *interp);

/* The arrays of one run: temporaries, the caller's outputs, views (structs, not handles) and
 * the copies reshapes had to make (handles, NULL where none). */
typedef struct rt_run_arrays {
    kiln_array **temps;
    kiln_array *const *outs;
    kiln_array *views;
    kiln_array **copies;
} rt_run_arrays;
/* The array node n stands for in a run: a VAR's array, a step's output, or a view. */
kiln_array *rt_plan_array(const rt_plan *p, const kiln_expr *n, const rt_run_arrays *ra);

/* ---- one pass over a shared matrix (shared.c) ---- */

/* Whether v is a VIEW of src (2-D) that transposes it. */
bool rt_is_transpose_of(const kiln_expr *v, const kiln_expr *src);
/* Runs s1's group (s1, its share_map step reading mins, its share_with step, and those of its
 * share_reds whose operands suit, each marked in ran[]) in one pass over their matrix; *done is
 * false (and nothing written) when the arrays' layout does not suit it, and the steps then run
 * one by one. */
kiln_status rt_shared_run(const rt_exec *x, rt_plan *p, rt_step *s1, rt_run_arrays *ra, kiln_array *const *mins, bool *done,
                          uint8_t *ran);
/* The context's backend as the plan needs it; false (error set) when it cannot start. */
bool rt_exec_for(kiln_ctx *ctx, const rt_plan *p, rt_exec *x);

/* ---- geometry (geometry.c) ---- */

/* Operands of an element-wise step broadcast to the output's shape, size-1 dims dropped, dims
 * ordered by the output's strides and collapsed, and each operand's row layout. */
typedef struct rt_geom {
    kiln_map_geom g;
    uint8_t *layout;                   /* nops layouts (kd_layout), then RT_STREAM and RT_BLOCK */
    char *base_s[KILN_INLINE_OPERANDS]; /* inline storage for small kernels */
    int64_t strides_s[KILN_INLINE_OPERANDS][KILN_MAX_DIMS];
    int64_t inner_s[2 * KILN_INLINE_OPERANDS]; /* (block calls: the row strides after the inner ones) */
    uint8_t layout_s[KILN_INLINE_OPERANDS + 1];
    uint8_t pack_s[KILN_INLINE_OPERANDS];
    uint8_t *pack_es;                  /* g.pack_es's storage */
    bool heap;
} rt_geom;

/* Geometry of an element-wise step: ins[i] for its kernel inputs, out its output (data may be
 * NULL when only layouts are wanted).  KILN_OK or KILN_ERR_NOMEM. */
kiln_status rt_geom_build(kiln_ctx *ctx, const fused_kernel *fk, kiln_array *const *ins, int ondim, const int64_t *oshape,
                          const int64_t *ostrides, char *out_data, rt_geom *g);
void rt_geom_free(kiln_ctx *ctx, rt_geom *g);
/* The flags of a layout's last byte: the kernel writes with streaming stores (kd.stream); it
 * takes block calls (kd.block, kernel.h). */
#define RT_STREAM 1
#define RT_BLOCK 2
/* s's kernel description with the layouts of a run. */
kernel_desc rt_specialize(const rt_step *s, const uint8_t *layout);
/* A stand-in for the array node n will have in a run that has not happened (kiln_dump's
 * kernels, a plan's kernels compiled before its first run): n's dtype and shape, C-ordered,
 * its data a dummy address aligned as kiln's buffers are (never read). */
void rt_array_standin(kiln_array *a, const kiln_expr *n);
/* The last-level cache's size in bytes (sysfs's, at most 16 MiB per CPU, or KILN_LLC_BYTES; 0
 * where unknown): a kernel whose traffic fits it writes its output through the caches, however big. */
int64_t rt_llc_bytes(void);
/* The layout of an operand with innermost byte stride s and elements of dtype dt. */
kd_layout rt_layout_of(int64_t s, kiln_dtype dt);

/* ---- kernels (kernels.c) ---- */

/* The kernel slot for step s with these layouts (n_in + n_out of them, then the streaming
 * hint): the step's memo, the context's cache, the disk cache, or a new kernel (compiled, or
 * interpreted first, by the tier policy): a reference the caller drops with rt_kernel_release
 * once its launches are done.  NULL with an error set. */
kslot *rt_kernel_get(const rt_exec *x, rt_step *s, const uint8_t *layout);
/* Drops the reference rt_kernel_get gave (after the launches), or a step's memo. */
void rt_kernel_release(kiln_ctx *ctx, kslot *slot);
/* A launch of slot's kernel over `elements` elements: rt_kernel_begin gives the kernel to run
 * now and its backend's state (counts the run by tier, and queues the compile at once when this
 * launch alone will have earned it, at about a nanosecond an element); rt_kernel_end, after the
 * launch, accounts interpreted time and queues the compile once the kernel has earned it. */
const kiln_kernel *rt_kernel_begin(const rt_exec *x, kslot *slot, int64_t elements, void **state, uint64_t *t0);
/* Elements from which such a launch waits for its kernel being loaded from disk (about 2 ms on
 * the interpreter) rather than running on the interpreter. */
#define RT_LOAD_WAIT (1 << 21)
/* An interpreted map launch of RT_PIECES × RT_PIECE_MIN elements or more, whose compile is on
 * the way, runs in RT_PIECES pieces: a compile that lands mid-launch takes over the rest. */
#define RT_PIECES 8
#define RT_PIECE_MIN (1 << 17)
void rt_kernel_end(const rt_exec *x, kslot *slot, uint64_t t0);
/* rt_kernel_end's accounting, for a launch begun at t0 (0: a final kernel, nothing to count). */
void rt_kernel_timed(kiln_ctx *ctx, kslot *slot, uint64_t t0);
/* Whether slot, interpreted in an auto-tier context, has earned its compile with ns of
 * interpreted time (counted, or expected at a nanosecond an element); a kernel on disk waiting
 * for its load (make_slot) has earned it from its first launch. */
bool rt_kernel_earns(kiln_ctx *ctx, kslot *slot, uint64_t ns);
/* Whether a map launch of total elements runs in pieces (see RT_PIECES), and the threads it
 * takes (one core fewer while the slot's compile is queued or running: the compiler's). */
bool rt_map_in_pieces(kslot *slot, int64_t total);
int rt_map_threads(kiln_ctx *ctx, kslot *slot, int64_t total, uint32_t cost);
/* Compiles kd with backend b (started), loads it, adds the phases to the stats and stores the
 * bytes in the disk cache (unless r, what the cache said of key, forbids), holding disk_lock
 * (the context's compile lock, for a caller that does not hold it already) while it writes;
 * NULL with an error set. */
kiln_kernel *rt_compile(kiln_ctx *ctx, int b, const kernel_desc *kd, const uint8_t *key, size_t klen, dc_result r,
                        pthread_mutex_t *disk_lock, bool *stored, kiln_compile_times *t);
/* The kernels of steps[0..n) with these layouts (as rt_kernel_get takes them), made together
 * where the backend compiles several at once (compile_many) and neither cache has them: found
 * in the cache afterwards.  Anything that fails is left for rt_kernel_get, no error kept. */
void rt_kernels_make_many(const rt_exec *x, int n, rt_step *const *steps, uint8_t *const *layouts);
/* This thread's kernels made synchronously so far, and the time spent making them. */
void rt_kernel_made(uint64_t *count, uint64_t *ns);
/* Whether KILN_LOG=compile asks for a line per kernel made. */
bool rt_log_compiles(void);
/* Whether KILN_LOG is set (any value): then an environment variable kiln cannot read is named on
 * stderr, once (the library prints nothing otherwise; the kiln program sets KILN_LOG=env). */
bool rt_log_env(void);
/* Whether KILN_DEBUG names what ("fuse", "steps"). */
bool rt_debug(const char *what);
bool rt_debug_steps(void); /* rt_debug("steps"), for every run */
/* Appends the backend's text for step s's kernel with these layouts (KILN_DUMP_* flags). */
kiln_status rt_kernel_render(const rt_exec *x, const rt_step *s, const uint8_t *layout, int what, kstr *out);

/* ---- running steps ---- */

/* Runs an element-wise step into out, reading ins (geometry.c). */
kiln_status rt_map_run(const rt_exec *x, rt_step *s, kiln_array *const *ins, kiln_array *out);
/* Runs a scan, take, view, reshape or concatenation step (steps.c). */
kiln_status rt_scan_run(const rt_exec *x, rt_step *s, kiln_array *in, kiln_array *out);
kiln_status rt_rows_run(const rt_exec *x, rt_step *s, kiln_array *in, kiln_array *out);
/* (also: the arrays of s->la_also's nodes, also_nodes) */
kiln_status rt_linalg_run(const rt_exec *x, rt_step *s, kiln_array *a, kiln_array *b, kiln_array *out, const kiln_expr *const *also_nodes,
                          kiln_array *const *also);
kiln_status rt_take_run(const rt_exec *x, rt_step *s, kiln_array *xa, kiln_array *idx, kiln_array *idx2, kiln_array *out);
void rt_view_make(const kiln_expr *n, const kiln_array *src, kiln_array *view);
/* (into: the output of the root the reshape is, or NULL; where a copy is needed and into can take
 * it, the copy goes there and into is the view: the root's copy step then finds its input is its
 * output and does nothing) */
kiln_status rt_reshape_run(const rt_exec *x, rt_step *s, kiln_array *src, kiln_array *view, kiln_array **copy, kiln_array *into);
/* Writes part h of concatenation step s (its aux[h]) into out, where it starts (s->part_at[h]). */
kiln_status rt_concat_run(const rt_exec *x, rt_step *s, int h, kiln_array *const *ins, kiln_array *out);
kiln_status rt_embed_run(const rt_exec *x, rt_step *s, kiln_array *const *ins, kiln_array *out);
kiln_status rt_scatter_run(const rt_exec *x, rt_step *s, kiln_array *v, kiln_array *idx, kiln_array *idx2, kiln_array *out);
void rt_aux_steps_free(kiln_ctx *ctx, rt_step *s);
/* Runs a reduction step (reduce.c). */
kiln_status rt_reduce_run(const rt_exec *x, rt_step *s, kiln_array *const *ins, kiln_array *out);
/* A reduction step's geometry, with one block for every per-input array, the layouts (nin + 3
 * bytes) and gather_es (nin bytes): on the stack for a few inputs. */
typedef struct rt_rgeom {
    kiln_reduce_geom g;
    uint8_t *layout;
    char *mem;
    _Alignas(64) char mem_s[9 * (2 * KILN_MAX_DIMS * 8 + 8 + 8 + 2) + 3];
} rt_rgeom;
/* Builds reduce step s's geometry over ins and out into r, for backend be: false when out of
 * memory. */
bool rt_rgeom_make(kiln_ctx *ctx, const kiln_backend_i *be, const rt_step *s, kiln_array *const *ins, kiln_array *out, rt_rgeom *r);
/* Frees what rt_rgeom_make allocated (nothing for a few inputs). */
void rt_rgeom_free(kiln_ctx *ctx, rt_rgeom *r);
/* The row form's layouts of s over g: the inputs' innermost reduced strides, the accumulator,
 * no streaming. */
void rt_reduce_row_layout(const rt_step *s, const kiln_reduce_geom *g, uint8_t *layout);
/* Whether reduce step s runs over g in the column form on backend be (else the row form). */
bool rt_reduce_in_columns(const kiln_backend_i *be, const rt_step *s, const kiln_reduce_geom *g);
/* The layouts (n_in + 2 bytes) step s's own kernel is asked for with inputs ins and output out
 * (data not read), into layout; false when it launches none (nothing to fold, the column form,
 * or out of memory). */
bool rt_reduce_layout(const rt_exec *x, const rt_step *s, kiln_array *const *ins, kiln_array *out, uint8_t *layout);
void rt_reduce_step_free(kiln_ctx *ctx, rt_step *s);
/* A matrix product a @ b into out (matmul.c); with epi, that step's kernel is applied to each
 * panel of out right after the product wrote it (its inputs epi_ins; the product's own result
 * among them is read back from out). */
kiln_status rt_matmul_run(const rt_exec *x, rt_step *s, kiln_array *a, kiln_array *b, kiln_array *out, rt_step *epi,
                          kiln_array *const *epi_ins);

#endif
