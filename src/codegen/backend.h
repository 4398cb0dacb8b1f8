/*
 * backend.h — the contract every backend fulfils: render → compile → load → launch.
 *
 * A backend turns a kernel description (ir/kernel.h) into something that runs, and runs it.
 * It sees the ground floor (base/) and the IR's kernel description, never the graph, the
 * runtime or the frontend; the runtime reaches backends only through the table in
 * runtime/backends.c, one entry per backend this build has.
 *
 *     render   kernel_desc → the backend's own text: LLVM IR and assembly, CUDA C, a bytecode
 *              listing.  What kiln_dump, :llvm, :asm and :cuda show.
 *     compile  kernel_desc → bytes (object code, a cubin, a bytecode program) that the disk
 *              cache can keep, with the time of each phase returned, not recorded anywhere.
 *     load     bytes → a kiln_kernel, an opaque handle that knows its backend.
 *     launch   a kernel over an element-wise map, a reduction (a fold of rows into partials
 *              and a fixed combining tree) or an accumulation (the column form of a reduction),
 *              given the geometry the runtime worked out and the constants.  The backend owns
 *              its iteration: the CPU backends split rows over OpenMP threads and keep the
 *              deterministic block tree; a GPU backend owns grids and block reductions.
 *     matmul   a matrix product, with an epilogue callback run on each panel of the result
 *              (the runtime launches the fused element-wise root there).
 *
 * Adding a backend: write render/compile/load and the launches for your device (a host
 * backend can reuse codegen/host.h for OpenMP rows, the block tree and matrix products), fill
 * a kiln_backend_i, add it to the table in runtime/backends.c, and build it only where its
 * dependencies exist.  Every lowering is a switch over kiln_op with no default
 * (-Werror=switch-enum), so the op list and the backend cannot drift apart; the tests run
 * their differential corpus against whatever backend KILN_BACKEND names.
 */
#ifndef KILN_CODEGEN_BACKEND_H
#define KILN_CODEGEN_BACKEND_H

#include "../ir/kernel.h"

/* A compiled, loaded kernel.  Each backend's own kernel struct begins with this; kernels live
 * until their backend's state is freed. */
typedef struct kiln_kernel {
    const struct kiln_backend_i *backend;
} kiln_kernel;

/* What one compile cost, per phase, in nanoseconds (the runtime adds them to kiln_stats). */
typedef struct kiln_compile_times {
    uint64_t emit;    /* building the backend's IR or source */
    uint64_t opt;     /* optimization passes */
    uint64_t codegen; /* machine code (or PTX/cubin) generation */
    uint64_t start;   /* starting the compiler itself, when this compile had to (once) */
} kiln_compile_times;

/* ---------------------------------------------------------------- launch geometry */

#define KILN_INLINE_OPERANDS 32 /* operands handled without heap allocation */

/* An element-wise launch: nops operands (the kernel's inputs, then its output) walked over one
 * iteration space of ndim collapsed dims, the last dim innermost; the launch covers the flat
 * (C-order) elements [first, first + total) of it.  An operand's element at index
 * (i_0 .. i_{ndim-1}) is at base[op] + Σ i_d * strides[op][d]. */
typedef struct kiln_map_geom {
    int nops, ndim;
    int64_t first, total;
    int64_t shape[KILN_MAX_DIMS];
    char **base;                       /* nops first elements */
    int64_t (*strides)[KILN_MAX_DIMS]; /* nops × ndim byte strides */
    int64_t *inner;                    /* nops innermost strides (what a row call gets); with
                                          block, the nops row strides after them */
    /* Short rows: when pack > 0 the geometry is 2-D with rows of pack (<= KILN_SHORT_ROW)
     * elements, every output contiguous, and the kernel was specialized for contiguous rows of
     * any length: operands with pack_es[op] != 0 (their element size) are copied a block at a
     * time into contiguous buffers, the others are contiguous (or broadcast scalars) already.
     * softmax's x / sum(x, 1, keepdims) then runs as a few long rows, not one call per row. */
    int64_t pack;
    const uint8_t *pack_es;
    /* Transposed reads: when tile > 0 (host backends only), an operand walks its inner dim with
     * a stride of a cache line or more and dim ndim - 2 with a short one (x.T + x).  The host
     * then walks groups of up to tile full rows a block of KILN_TILE_COLS columns at a time, so
     * the lines such an operand touches are used up before they leave the cache, and a tile's
     * pages fit the TLB (a 4000-column row of them would not). */
    int64_t tile;
    /* Blocks of rows: when block > 0 (KILN_BLOCK_ROWS; with tile, host backends only) the
     * kernel takes block calls (kernel.h), inner holding the operands' row strides (along dim
     * ndim - 2) after their inner ones: the host makes them for each tile's full groups of
     * block rows, over its columns' multiple of block. */
    int64_t block;
    /* Short rows written across (a concatenation's part, a stack's column: the output is not
     * contiguous along them, so nothing is packed): when cols > 0 (host backends only) the
     * geometry is 2-D with rows of at most KILN_COLS_ROW elements, and a row call walks down a
     * column instead: blocks of up to cols full rows, one call per column, the operands' row
     * strides as the inner ones (g->inner, which the kernel's layouts were chosen from).  An
     * element of a partly covered row is a call of its own. */
    int64_t cols;
} kiln_map_geom;
/* Measured (4000x4000 float64, 2 threads, x.T * 2): untiled 58 ms; tiles of 32 rows by 64
 * columns 38 ms, by 256 20, by 512 17 (of 64 rows 16), by 1024 15-17, by 2048 35 (a tile then
 * touches more pages than the TLB holds); 512 was best over 1000^2 to 6000x3000. */
#define KILN_TILE_COLS 512
#define KILN_SHORT_ROW 32
#define KILN_COLS_ROW 8
#define KILN_COLS_BLOCK 512

/* A reduction launch: the operand's dims split into nr reduced dims (walked in the operand's
 * C order, so argmax's flat index is NumPy's; a float sum's in NumPy's iterator order) and nk
 * kept dims (one output element each).
 * Output o's reduced range of R elements is cut into blocks of kiln_reduce_block(R, O,
 * exact) elements; each block is folded in a fixed order into its own partial, and the
 * partials of an output are combined in a fixed pairwise tree, so the result does not depend
 * on the thread count.
 * The accumulate launch reads the same geometry when nr == 1 and nk is 1 or 2 (see
 * launch_accumulate). */
#define KILN_REDUCE_BLOCK 8192
/* The block of a range of R elements of one of O outputs: R/16 rounded up to a power of two,
 * from 512 to KILN_REDUCE_BLOCK (to 8 times that where the result is exact, whatever the
 * blocks: integer reductions, argmax and argmin), so that a range of a few thousand elements
 * still splits evenly between threads (5000 elements: ten blocks, five a thread, where blocks of
 * 1024 gave one thread three of five); the whole range where there are KILN_REDUCE_OUTPUTS
 * outputs or more, which share out among threads as they are.  Each block costs a call and a
 * partial: max(x, axis=1) of 2000x1000 float64, one thread, took 307-315 us in blocks of 512,
 * 230-250 in one; argmax of 2^24 uint8 214-228 us in blocks of 8192, 155-182 in 65536.  A
 * function of the shape alone: the same bits for any thread count. */
#define KILN_REDUCE_OUTPUTS 256
static inline int64_t kiln_reduce_block(int64_t R, int64_t O, bool exact) {
    if (O >= KILN_REDUCE_OUTPUTS) return R > 0 ? R : 1;
    int64_t b = 512;
    while (b < (exact ? 8 : 1) * KILN_REDUCE_BLOCK && b * 16 < R) b *= 2;
    return b;
}
/* Reductions of at most this many elements per output (short rows: softmax over 10 classes) go
 * the column form, outputs as vector lanes (an operand contiguous along the row is gathered),
 * KILN_SHORT_BLOCK outputs at a time; each output still folds its elements in order. */
#define KILN_SHORT_REDUCTION 32
#define KILN_SHORT_BLOCK 512
/* A float sum along the innermost dim over rows of at most this many elements goes the column
 * form too, its 8 lanes kept as NumPy's leaf keeps them (host_launch_accumulate); longer rows
 * the row form, many at a time (KILN_FOLD_SERIES).  Measured (10^6 rows, float64, 2 threads):
 * rows of 10 3.8 ms in the column form, 5.6 in the row form; of 16 10.7 against 6.8; of 40
 * 19.0 against 12.7. */
#define KILN_SHORT_COLUMN_SUM 12
typedef struct kiln_reduce_geom {
    int op;                             /* the reduction (kiln_op) */
    kiln_dtype dt, out_dt;              /* the folded dtype; the result's (int64 for arg*) */
    int nin;                            /* the kernel's inputs */
    int nr, nk;                         /* reduced and kept dims after collapsing */
    int64_t rshape[KILN_MAX_DIMS], kshape[KILN_MAX_DIMS];
    int64_t (*rstr)[KILN_MAX_DIMS];     /* nin × nr byte strides */
    int64_t (*kstr)[KILN_MAX_DIMS];     /* nin × nk */
    int64_t ostr[KILN_MAX_DIMS];        /* the output's stride for each kept dim */
    /* NumPy's iterator order (reduce.c's numpy_dim_order) has a reduced dim innermost: then
     * NumPy's reduction is its inner loop, pairwise for a float sum; else its inner loop walks
     * kept elements, adding rows one after another */
    bool reduced_inner;
    /* A float sum's inner loop in NumPy (its iterator's reduced dims inside every kept dim,
     * flattened: NumPy buffers them) is the last nblock reduced dims (1 elsewhere); when
     * they are more than one, a host backend gathers each chunk of them, input i's gather_es[i]
     * bytes an element (0: it does not vary there), and its kernel reads them contiguous. */
    int nblock;
    const uint8_t *gather_es;
    int64_t R, O;                       /* reduced elements per output, outputs */
    int64_t *inner;                     /* nin innermost reduced strides */
    char **base;                        /* nin first elements */
    char *out;                          /* the output's first element */
} kiln_reduce_geom;

/* A matrix product C = A @ B in dtype dt: A is m×K, B is K×n, C is m×n, each given by its
 * first element and byte strides (a dim of extent 1 may have any stride).  When epilogue is
 * set it is called on each panel of rows [i0, i0+rows) of C right after the product wrote it
 * (whole C at once when panels is false), while the panel is still in cache.  With batch > 1
 * it is a stack of such products (no epilogue): the i-th reads A + a_off[i] and B + b_off[i]
 * and writes C + c_off[i] (byte offsets; products may share an operand, never a C). */
typedef struct kiln_matmul_args {
    kiln_dtype dt;
    int64_t m, n, K;
    const char *a, *b;
    char *c;
    int64_t a_rs, a_cs, b_rs, b_cs, c_rs, c_cs;
    bool panels; /* C is a 2-D result whose rows the epilogue can take a panel at a time */
    bool copies; /* np.dot's or inner's (IR_MATMUL_COPIES): NumPy's gemm whatever the operands' strides */
    kiln_status (*epilogue)(void *ud, int64_t i0, int64_t rows);
    void *epilogue_ud;
    int64_t batch;                        /* products in the stack (0 or 1: one) */
    const int64_t *a_off, *b_off, *c_off; /* batch > 1: each product's byte offsets */
} kiln_matmul_args;

/* The i-th product of stack mm, as a product of its own. */
static inline kiln_matmul_args kiln_matmul_nth(const kiln_matmul_args *mm, int64_t i) {
    kiln_matmul_args one = *mm;
    one.batch = 1;
    one.a = mm->a + mm->a_off[i];
    one.b = mm->b + mm->b_off[i];
    one.c = mm->c + mm->c_off[i];
    one.a_off = one.b_off = one.c_off = NULL;
    return one;
}

/* softmax (mode 0), log_softmax (1) or logsumexp (2) of dtype dt (float32 or float64) along the
 * last dim of an ndim-dim array walked with byte strides in_str; out is walked with out_str
 * (for logsumexp its last dim has length 1).  Each row: W = its maximum (NaN wins; 0 where not
 * finite), e = exp(x - W), s = the sum of e in order, then e * (1/s), (x - W) - log(s) or
 * log(s) + W: what the composition of ops computes (up to the rounding of 1/s), in one pass
 * over the row. */
typedef struct kiln_rows_args {
    int mode;
    kiln_dtype dt;
    int ndim;
    int64_t shape[KILN_MAX_DIMS];
    const char *in;
    char *out;
    int64_t in_str[KILN_MAX_DIMS], out_str[KILN_MAX_DIMS];
} kiln_rows_args;

/* np.linalg's function fn (kiln_linalg_fn, with flags KILN_LA_*) of dtype dt (float32 or
 * float64) over a stack of matrices: a has ndim dims of shape (the last two a matrix's), walked
 * with byte strides a_str; b (solve's right-hand sides, else NULL) has b_shape, b_str, the same
 * leading dims; out has out_ndim dims of out_shape (the leading dims, then what fn gives of a
 * matrix: nothing, a vector or a matrix) with byte strides out_str.  The nalso siblings are
 * functions of the same a that one factorization gives too (svd's u, s and vh; eigh's values and
 * vectors; det and slogdet's parts; qr's q and r), with the same flags: their outputs (of the
 * shapes their fn gives) are written in the same pass. */
typedef struct kiln_linalg_args {
    int fn;
    unsigned flags;
    kiln_dtype dt;
    int ndim, out_ndim;
    int64_t shape[KILN_MAX_DIMS], b_shape[KILN_MAX_DIMS], out_shape[KILN_MAX_DIMS];
    const char *a, *b;
    char *out;
    int64_t a_str[KILN_MAX_DIMS], b_str[KILN_MAX_DIMS], out_str[KILN_MAX_DIMS];
    int nalso;
    struct {
        int fn, ndim;
        char *out;
        int64_t shape[KILN_MAX_DIMS], str[KILN_MAX_DIMS];
    } also[3];
} kiln_linalg_args;

/* A cumulative sum or product (op KILN_OP_CUMSUM / KILN_OP_CUMPROD) of dtype dt along one dim
 * of an ndim-dim array: in and out are walked over shape with their own byte strides, and
 * out[.., k, ..] = out[.., k-1, ..] ⊕ in[.., k, ..] in order along `axis` (NumPy's sequential
 * accumulation, so float sums agree with NumPy bit for bit).  With KILN_OP_SORT each line along
 * `axis` is sorted (NaN last); with KILN_OP_ARGSORT out gets the int64 positions that sort it
 * (equal values in their order); dt is in's dtype.  in and out do not overlap (a sort reads in
 * again after writing out, for its zeros' and NaNs' bits).  A sort with select is a partition
 * (NumPy's): only ranks [kth_lo, kth_hi] of each line need the values sorting puts there, with
 * none greater before them and none smaller after; the rest is in any order, and a backend may
 * sort the whole line (an argsort with select: the positions of such an order). */
typedef struct kiln_scan_args {
    int op;
    bool select;
    int64_t kth_lo, kth_hi; /* select: 0 <= kth_lo <= kth_hi < the axis's length */
    kiln_dtype dt;
    int ndim, axis;
    int64_t shape[KILN_MAX_DIMS];
    const char *in;
    char *out;
    int64_t in_str[KILN_MAX_DIMS], out_str[KILN_MAX_DIMS];
    /* a sort's scratch, where the caller keeps big buffers (NULL: kiln_malloc and kiln_free) */
    void *(*scratch)(kiln_ctx *ctx, size_t size);
    void (*scratch_free)(kiln_ctx *ctx, void *p, size_t size);
} kiln_scan_args;

/* A gather of elements of `elsize` bytes: out (ndim dims of shape, byte strides out_str) at
 * index i takes x at x + Σ i_d·x_str[d] + j·axis_str, where j is the int64 at idx + Σ
 * i_d·idx_str[d], taken modulo axis_len when negative (NumPy's take: -axis_len ≤ j <
 * axis_len).  An index out of that range fails with KILN_ERR_INDEX naming it (the first
 * found in C order), and out is then unspecified. */
typedef struct kiln_gather_args {
    int elsize, ndim;
    int64_t shape[KILN_MAX_DIMS];
    const char *x, *idx;
    char *out;
    int64_t x_str[KILN_MAX_DIMS], idx_str[KILN_MAX_DIMS], out_str[KILN_MAX_DIMS];
    int64_t axis_len, axis_str;
    int axis, axis2_said; /* for the message only: the axes an out-of-bounds index of idx (idx2) is
                             said to be on, those of the array the user indexed */
    /* a second index (NULL when none): j2 at idx2 + Σ i_d·idx2_str[d] picks along axis + 1
     * (axis2_len, axis2_str) as well, NumPy's x[i, j] */
    const char *idx2;
    int64_t idx2_str[KILN_MAX_DIMS];
    int64_t axis2_len, axis2_str;
    /* searchsorted instead of a gather (0: none; 1: side 'left', 2: 'right', 3: found): x is the
     * sorted 1-D array (axis_len elements, axis_str apart), idx holds the values of dtype dt
     * (both dt), out gets each value's int64 position (how many of x come before it, in NumPy's
     * order: NaN last), or (found) a bool: whether one of x == it. */
    int search;
    kiln_dtype dt;
    /* a scatter's op (ir_scatter): x's element at each index becomes combine(it, the value),
     * computed in dt (the values' dtype) and cast to x's; the first stores values (an .at's own
     * elements, one for each place) are cast and stored */
    kiln_op combine;
    int64_t stores;
} kiln_gather_args;

/* ---------------------------------------------------------------- the contract */

typedef struct kiln_backend_i {
    const char *name; /* what kiln_config.backend, KILN_BACKEND and :backend call it */
    bool compiles;    /* it makes machine code (false: it interprets) */
    bool disk_cache;  /* whether its compiled bytes are worth keeping on disk */
    /* Its kernels run on a device, not on this machine's cores: the runtime then leaves out the
     * plans that run host code between a kernel's pieces (one-pass shared products, the
     * column form of reductions, packed short rows). Those plans are the one place where the
     * runtime, not the backend, splits work among threads (runtime/shared.c: one OpenMP loop over
     * column chunks, calling the backend's own map and reduction kernels per panel). */
    bool device;
    /* The backend that runs a kernel while this one compiles it in the background (a
     * backend reading the same memory, compiling nothing), or NULL: every kernel is compiled
     * before its first call. */
    const char *first_tier;
    /* What this build's backend is made with, without starting it ("LLVM 19.1.7, znver5"),
     * for kiln_build_info.  Static. */
    const char *(*about)(void);

    /* Starts the backend for ctx (for LLVM: target and JIT; for CUDA: driver and device).
     * *state is the backend's own.  On failure *state is NULL and the error, one sentence
     * saying what is missing, is set on ctx. */
    kiln_status (*init)(kiln_ctx *ctx, void **state);
    /* Frees the state and every kernel loaded with it. */
    void (*free)(void *state);
    /* Everything compiled bytes depend on besides the kernel (versions, target, CPU and its
     * features, or GPU architecture): cache keys start with it.  Owned by the state. */
    const char *(*target)(void *state);
    /* One line on what this backend is here ("LLVM 19.1.7 JIT for znver5, 64-byte vectors,
     * libmvec; products: OpenBLAS ..."), for :backend.  Owned by the state. */
    const char *(*describe)(void *state);
    /* Whether the backend can compile kd (it then must not fail for lack of an op). */
    bool (*supports)(void *state, const kernel_desc *kd);

    /* Appends the backend's text for kd to out: what = KILN_DUMP_* flags (KILN_DUMP_LLVM and
     * KILN_DUMP_ASM for LLVM, KILN_DUMP_SOURCE for anyone's own source).  Fails with
     * KILN_ERR_BACKEND for a kind of text the backend does not have.  A backend whose init
     * needs a device (CUDA) renders with state NULL too: :cuda shows CUDA C without a GPU. */
    kiln_status (*render)(void *state, kiln_ctx *ctx, const kernel_desc *kd, int what, kstr *out);
    /* Compiles kd into bytes (malloc'd into *bytes, *len; the caller frees them) holding one
     * kernel called name; adds each phase's time to *t. */
    kiln_status (*compile)(void *state, kiln_ctx *ctx, const kernel_desc *kd, const char *name, void **bytes,
                           size_t *len, kiln_compile_times *t);
    /* Optional (NULL: kernels compile one at a time).  Compiles n kernels (kds[i] called
     * names[i]) in one go, for a compiler whose fixed cost per run dominates (NVRTC: one
     * program for a plan's kernels takes about half the time of one program each): bytes[i],
     * lens[i] (malloc'd; the caller frees them) hold what load needs to find kernel i, each
     * loadable on its own (the disk cache keeps them under each kernel's key).  All or
     * nothing: on failure no bytes are left and the runtime compiles them one by one. */
    kiln_status (*compile_many)(void *state, kiln_ctx *ctx, int n, const kernel_desc *kds, const char *const *names,
                                void **bytes, size_t *lens, kiln_compile_times *t);
    /* Loads bytes made by compile (now, or by another process through the disk cache) and
     * finds its kernel `name`.  Damaged bytes give an error, never a crash where it can be
     * told. */
    kiln_status (*load)(void *state, kiln_ctx *ctx, const void *bytes, size_t len, const char *name, kiln_kernel **k);
    /* Optional (NULL: load is always quick).  Whether load can run without starting something
     * first (LLVM's JIT, about a millisecond): a first call may run on the first tier while a
     * kernel on disk is loaded in the background. */
    bool (*ready)(void *state);
    /* Frees kernel k (loaded with state) and whatever it holds (its code, its symbols): the
     * kernel cache's least recently used leave this way.  Nobody runs k any more. */
    void (*unload)(void *state, const kiln_kernel *k);

    /* Runs element-wise kernel k over g with constants consts, on up to nthreads threads. */
    kiln_status (*launch_map)(void *state, kiln_ctx *ctx, const kiln_kernel *k, const kiln_map_geom *g,
                              const kscalar *consts, int nthreads);
    /* Runs reduction kernel k (kd->reduce set) over g into g->out. */
    kiln_status (*launch_reduce)(void *state, kiln_ctx *ctx, const kiln_kernel *k, const kiln_reduce_geom *g,
                                 const kscalar *consts, int nthreads);
    /* The column form of a reduction over one reduced and one contiguous kept dim: out[j] =
     * out[j] ⊕ f(x[i, j]) for i = 0 .. R-1 in order, by element-wise kernel k whose last input
     * is the accumulator (the output itself).  out starts at the reduction's identity.  With
     * nk == 2 the contiguous kept dim is the inner one, and each position b of the outer one is
     * such a reduction of its own (operands and out offset by b times their strides). */
    kiln_status (*launch_accumulate)(void *state, kiln_ctx *ctx, const kiln_kernel *k, const kiln_reduce_geom *g,
                                     const kscalar *consts, int nthreads);

    /* Cumulative sums and products, and gathers (data movement, no kernel to compile). */
    kiln_status (*scan)(void *state, kiln_ctx *ctx, const kiln_scan_args *a, int nthreads);
    kiln_status (*gather)(void *state, kiln_ctx *ctx, const kiln_gather_args *a, int nthreads);
    /* The gather's geometry backwards (a gradient's): adds the dt values at a->out[i] into the
     * array at a->x where gather would read them (it starts at zero), in the order of i, so the
     * sums do not depend on threads.  Bad indices fail as gather's do. */
    kiln_status (*scatter)(void *state, kiln_ctx *ctx, const kiln_gather_args *a, kiln_dtype dt, int nthreads);
    /* softmax, log_softmax and logsumexp along rows (kiln_rows_args): one pass per row. */
    kiln_status (*rows)(void *state, kiln_ctx *ctx, const kiln_rows_args *a, int nthreads);
    /* np.linalg's functions (kiln_linalg_args), a matrix at a time, through LAPACK. */
    kiln_status (*linalg)(void *state, kiln_ctx *ctx, const kiln_linalg_args *a, int nthreads);

    /* The tuned matrix product the backend has for dt ("OpenBLAS 0.3.21 (SkylakeX kernels)"),
     * or NULL when it would use a plain loop: the planner then computes products with a vector
     * side as reductions, which fuse with what produces their operands. */
    const char *(*gemm)(void *state, kiln_dtype dt);
    kiln_status (*matmul)(void *state, kiln_ctx *ctx, const kiln_matmul_args *mm, int nthreads);

    /* A device backend's copies of host memory (NULL for host backends).  Launches name host
     * addresses; a device backend keeps its own copy of the bytes they cover, fresher than the
     * host's after a kernel wrote it, and the runtime tells it when the host is about to read
     * bytes [p, p + len) (KILN_SYNC_READ: copies fresher than the host come back), to write
     * them (KILN_SYNC_WRITE: they come back, then the device's copies are stale) or that they
     * are freed (KILN_SYNC_FREE: copies dropped, nothing comes back).  p NULL: all of them. */
    void (*sync)(void *state, kiln_ctx *ctx, const void *p, size_t len, int how);
    /* Device memory someone else allocated (kiln_wrap_device): from now on host bytes
     * [p, p + len), which the runtime set aside for it, are the host's copy of the len bytes at
     * device address dev, the device's being the current ones.  The device memory stays the
     * caller's: never freed, never evicted.  NULL for host backends. */
    kiln_status (*adopt)(void *state, kiln_ctx *ctx, void *p, size_t len, uint64_t dev);
} kiln_backend_i;

enum { KILN_SYNC_READ = 1, KILN_SYNC_WRITE = 2, KILN_SYNC_FREE = 3 };

#endif
