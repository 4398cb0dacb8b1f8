/*
 * host.h — iteration for backends whose kernels run on this machine's cores (the LLVM JIT and
 * the interpreter): rows over OpenMP threads, the deterministic block tree of reductions, the
 * column form of reductions, and matrix products (OpenBLAS, loaded at run time, or kiln's own
 * loop) with an epilogue per panel.
 *
 * A host backend hands these a row function and its kernel; everything else is shared, so the
 * two host backends split work, order reductions and call BLAS identically.
 */
#ifndef KILN_CODEGEN_HOST_H
#define KILN_CODEGEN_HOST_H

#include "backend.h"

/* Elements per thread below which more threads do not pay (an OpenMP region costs ~3 µs). */
#define KILN_HOST_GRAIN 32768
/* Elements a thread of a map, reduction or accumulation gets at least: the runtime has already
 * weighed the launch's work (rt_threads_for) in the threads it passes. */
#define KILN_HOST_SPLIT 512

/* An element-wise row: out and inputs at ptrs[op] (the row's first elements), n elements,
 * inner byte strides (read only for strided operands); n < 0, a block call of
 * KILN_BLOCK_ROWS rows (kernel.h), the row strides after the inner ones. */
typedef void (*host_row_fn)(const kiln_kernel *k, int64_t n, char *const *ptrs, const int64_t *strides,
                            const kscalar *consts);
/* A reduction row (the reduction ABI of ir/kernel.h): folded into acc after what it holds;
 * elements numbered base, base+1, ... for argmax/argmin. */
typedef void (*host_fold_fn)(const kiln_kernel *k, int64_t n, char *const *ptrs, const int64_t *strides,
                             const kscalar *consts, kscalar *acc, int64_t base);

/* The vector width host kernels are made for, in bytes: 64 with AVX-512, 32 with AVX2, else
 * 16; KILN_VECTOR_BYTES=16|32 narrows it (the tests' way to reach the narrower code paths).
 * Reductions fold rows in 4 × (64 / widest element) lanes on every host backend and every
 * width (more accumulators on narrower vectors), so the JIT and the interpreter, on any CPU,
 * give the same bits. */
int host_vector_bytes(void);
/* The lanes a reduction kernel of kd folds a row in (see host_vector_bytes), and the lane
 * count of one vector of its widest dtype. */
int host_reduce_lanes(const kernel_desc *kd, int vec_bytes);
int host_vector_lanes(const kernel_desc *kd, int vec_bytes);

/* Where a map kernel's row of n elements, as the JIT's loops cut it, starts its vectors: after
 * scalar elements until the output is 64-byte aligned, for kernels that write with streaming
 * stores (kd->stream, one contiguous output filling whole vectors of vec_bytes); 0 otherwise
 * (a strided output makes the whole row scalar, which starts nothing).  out is the output's first
 * element of the row.  The interpreter's blocks start there too, so the two tiers round alike. */
int64_t host_map_start(const kernel_desc *kd, int vec_bytes, int64_t n, const char *out);

/* glibc's libmvec, loaded once with RTLD_GLOBAL (the JIT links against it); false when this
 * system has none.  Vector math then goes lane by lane through libm. */
bool host_mvec_loaded(void);
/* The libmvec variant (its symbol in name) that computes op's C function (kiln_op_cfunc) for
 * dtype dt inside a kernel whose vectors have `lanes` lanes: a whole register of dt or the
 * kernel's lane count, whichever is smaller, called lanes/chunk times per vector.  Returns
 * the chunk (lanes per call). */
int host_mvec_variant(kiln_op op, kiln_dtype dt, int lanes, int vec_bytes, char *name, size_t cap);

/* A host backend's kernel begins with this: its row functions. */
typedef struct host_kernel {
    kiln_kernel head;
    host_row_fn row;   /* element-wise rows (maps, and the column form's accumulation) */
    host_fold_fn fold; /* reduction rows */
} host_kernel;

/* The launches of the backend contract for kernels that begin with a host_kernel: a host
 * backend puts these in its kiln_backend_i as they are (state is not used). */
kiln_status host_launch_map(void *state, kiln_ctx *ctx, const kiln_kernel *k, const kiln_map_geom *g, const kscalar *consts,
                            int nthreads);
kiln_status host_launch_reduce(void *state, kiln_ctx *ctx, const kiln_kernel *k, const kiln_reduce_geom *g,
                               const kscalar *consts, int nthreads);
kiln_status host_launch_accumulate(void *state, kiln_ctx *ctx, const kiln_kernel *k, const kiln_reduce_geom *g,
                                   const kscalar *consts, int nthreads);

/* The es-byte element elem written over p[0 .. n): a memset where its bytes are all one value
 * (zeros), else a typed loop the compiler vectorizes (np.full's, a reduction's identities). */
void host_fill(char *p, int64_t n, size_t es, const char *elem);
/* Elements i0 .. i0 + n of a ramp of dt written from p: start + i * step, as NumPy's fill
 * (integers: start.i64 and step.i64, wrapping in dt; float32: .f32; float64: .f64) (ramp.c). */
void host_ramp(char *p, int64_t i0, int64_t n, kiln_dtype dt, kscalar start, kscalar step);

/* Scans and gathers, for the same contract. */
kiln_status host_scan(void *state, kiln_ctx *ctx, const kiln_scan_args *a, int nthreads);
/* host_scan's sort and argsort (sort.c). */
kiln_status host_sort(kiln_ctx *ctx, const kiln_scan_args *a, int nthreads);
kiln_status host_gather(void *state, kiln_ctx *ctx, const kiln_gather_args *a, int nthreads);
/* unique's runs (sort.c): of sorted, contiguous x[0..n) of dt (NaNs taken off: they equal
 * nothing), how many runs of equal values there are (by ==: -0.0 equals 0.0) where out is NULL;
 * else, runs being that count, the first value of each run written in order to out. */
int64_t host_runs(kiln_dtype dt, const void *x, int64_t n, void *out, int64_t runs);
/* host_gather's searchsorted (a->search; sort.c, where NumPy's order of values is). */
kiln_status host_search(kiln_ctx *ctx, const kiln_gather_args *a, int nthreads);
kiln_status host_scatter(void *state, kiln_ctx *ctx, const kiln_gather_args *a, kiln_dtype dt, int nthreads);
/* softmax and its kin along rows (rows.c): blocks of rows in cache, exp vectorized. */
kiln_status host_rows(void *state, kiln_ctx *ctx, const kiln_rows_args *a, int nthreads);

/* Products, for the same contract: OpenBLAS's name for products of dt ("OpenBLAS (SkylakeX
 * kernels, OpenMP)"), NULL for integer and bool products or when OpenBLAS is not installed (or
 * KILN_NO_BLAS=1); and the product itself. */
const char *host_gemm(void *state, kiln_dtype dt);
/* OpenBLAS's dlopen handle (loaded once, on first use: by products, or by np.linalg for its
 * LAPACK), or NULL where it is not installed or the address-space limit leaves no room for it. */
void *host_openblas(void);
/* KILN_NO_BLAS=1 (not "0"): neither OpenBLAS nor any LAPACK is loaded. */
bool host_blas_off(void);
/* np.linalg's functions (linalg.c), for the contract: through LAPACK, a matrix at a time. */
kiln_status host_linalg(void *state, kiln_ctx *ctx, const kiln_linalg_args *a, int nthreads);
kiln_status host_matmul(void *state, kiln_ctx *ctx, const kiln_matmul_args *mm, int nthreads);

#endif
