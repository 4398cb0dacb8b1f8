/*
 * routines.cu — the CUDA backend's fixed routines: cumulative sums and products, and gathers.
 *
 * Pipeline position: beside the rendered kernels (render.c), for the steps of a plan that move
 * data rather than compute an expression (kiln_backend_i.scan and .gather).  Nothing in them
 * depends on an expression: each kernel (a line `extern "C" ...` of its own at the end) is
 * compiled by NVRTC the first time it is needed, as this text without the other kernels' lines,
 * and kept in the disk cache (cuda.c); built into libkiln as text by tools/embed_text.cmake.
 * cuda.c fills their argument blocks, laid out as here.
 *
 *   kiln_scan_{sum,prod}_{f32,f64,i64}
 *           a thread per line (every index but the scanned axis'), walking its line in order:
 *           out[k] = out[k-1] + in[k], NumPy's sequential accumulation, so the bits are the
 *           host's (no FMA: the program compiles with --fmad=false; int64 wraps, as unsigned
 *           arithmetic).  Lines are numbered in C order with the axis left out, so threads side
 *           by side read elements side by side when the axis is not the innermost one; blocks
 *           of one warp when lines are few, so that they spread over every multiprocessor.
 *   kiln_gather
 *           a thread per output element (a grid-stride loop): out[i] = x[i's position, j] with
 *           j = idx[i] (NumPy's take: negative from the end), and j2 = idx2[i] along the next
 *           axis when there is a second index.  An index out of range writes nothing and lowers
 *           *bad to its flat position (atomicMin): the host then names the first one, as
 *           host_gather does.  Elements move as units of `unit` bytes (1, 2, 4 or 8: what every
 *           address is aligned to), elsize / unit of them each; whole rows (indices constant
 *           along a contiguous last dim) as elements of 16 bytes.
 */
#define KR_D 8
#define KR_BATCH 16

struct kr_scan {
    const char *in;
    char *out;
    long long shape[KR_D], ist[KR_D], ost[KR_D];
    long long lines;
    int ndim, axis;
};

template <typename T, bool SUM> static __device__ __forceinline__ void kr_scan_run(const kr_scan &a) {
    const long long len = a.shape[a.axis], is = a.ist[a.axis], os = a.ost[a.axis];
    for (long long l = (long long)blockIdx.x * blockDim.x + threadIdx.x; l < a.lines; l += (long long)gridDim.x * blockDim.x) {
        const char *ip = a.in;
        char *op = a.out;
        long long r = l;
        for (int d = a.ndim - 1; d >= 0; d--) {
            if (d == a.axis) continue;
            const long long q = r / a.shape[d], i = r - q * a.shape[d];
            ip += i * a.ist[d];
            op += i * a.ost[d];
            r = q;
        }
        T acc = *(const T *)ip;
        *(T *)op = acc;
        long long k = 1;
        /* KR_BATCH loads in flight, then their folds: a line is a chain of dependent adds, and
         * one load at a time left cumsum(W, 0) over 8192 x 8192 float32 latency-bound (3.0 ms
         * on an H200).  The same adds in the same order; each element is read before its own
         * store (in place is fine). */
        for (; k + KR_BATCH <= len; k += KR_BATCH) {
            T v[KR_BATCH];
#pragma unroll
            for (int u = 0; u < KR_BATCH; u++) v[u] = *(const T *)(ip + (k + u) * is);
#pragma unroll
            for (int u = 0; u < KR_BATCH; u++) {
                acc = SUM ? acc + v[u] : acc * v[u];
                *(T *)(op + (k + u) * os) = acc;
            }
        }
        for (; k < len; k++) {
            const T v = *(const T *)(ip + k * is);
            acc = SUM ? acc + v : acc * v;
            *(T *)(op + k * os) = acc;
        }
    }
}

extern "C" __global__ void __launch_bounds__(256) kiln_scan_sum_f32(const __grid_constant__ kr_scan a) { kr_scan_run<float, true>(a); }
extern "C" __global__ void __launch_bounds__(256) kiln_scan_prod_f32(const __grid_constant__ kr_scan a) { kr_scan_run<float, false>(a); }
extern "C" __global__ void __launch_bounds__(256) kiln_scan_sum_f64(const __grid_constant__ kr_scan a) { kr_scan_run<double, true>(a); }
extern "C" __global__ void __launch_bounds__(256) kiln_scan_prod_f64(const __grid_constant__ kr_scan a) { kr_scan_run<double, false>(a); }
extern "C" __global__ void __launch_bounds__(256) kiln_scan_sum_i64(const __grid_constant__ kr_scan a) { kr_scan_run<unsigned long long, true>(a); }
extern "C" __global__ void __launch_bounds__(256) kiln_scan_prod_i64(const __grid_constant__ kr_scan a) { kr_scan_run<unsigned long long, false>(a); }

struct kr_gather {
    const char *x, *idx, *idx2;
    char *out;
    unsigned long long *bad;
    long long shape[KR_D], xst[KR_D], ist[KR_D], i2st[KR_D], ost[KR_D];
    long long total, alen, astr, a2len, a2str;
    int ndim, elsize, unit;
};

struct __align__(16) kr_u16 { unsigned long long lo, hi; };

template <typename U> static __device__ __forceinline__ void kr_move(char *op, const char *xp, int n) {
    for (int k = 0; k < n; k++) ((U *)op)[k] = ((const U *)xp)[k];
}

/* I: unsigned 32-bit positions when they fit (a 64-bit division costs several times a 32-bit
 * one, and a position takes a division a dim but the first: W[perm] over 8192 x 8192 float32
 * took 0.84 ms on an H200 in 64 bits everywhere) */
template <typename I> static __device__ __forceinline__ void kr_gather_run(const kr_gather &a) {
    for (I g = (I)(blockIdx.x * blockDim.x + threadIdx.x); g < (I)a.total; g += (I)(gridDim.x * blockDim.x)) {
        const char *xp = a.x, *ip = a.idx, *ip2 = a.idx2;
        char *op = a.out;
        I r = g;
        for (int d = a.ndim - 1; d >= 0; d--) {
            const I q = d ? r / (I)a.shape[d] : 0, i = r - q * (I)a.shape[d];
            xp += (long long)i * a.xst[d];
            ip += (long long)i * a.ist[d];
            op += (long long)i * a.ost[d];
            if (ip2) ip2 += (long long)i * a.i2st[d];
            r = q;
        }
        long long j = *(const long long *)ip;
        if (j < 0) j += a.alen;
        bool ok = j >= 0 && j < a.alen;
        xp += j * a.astr;
        if (ok && ip2) {
            j = *(const long long *)ip2;
            if (j < 0) j += a.a2len;
            ok = j >= 0 && j < a.a2len;
            xp += j * a.a2str;
        }
        if (!ok) {
            atomicMin(a.bad, (unsigned long long)g);
            continue;
        }
        const int n = a.elsize / a.unit;
        if (a.unit == 16) kr_move<kr_u16>(op, xp, n);
        else if (a.unit == 8) kr_move<unsigned long long>(op, xp, n);
        else if (a.unit == 4) kr_move<unsigned int>(op, xp, n);
        else if (a.unit == 2) kr_move<unsigned short>(op, xp, n);
        else kr_move<unsigned char>(op, xp, n);
    }
}

/* (g stays below 2^32 in 32 bits: the grid is far below 2^31 threads) */
static __device__ __forceinline__ void kr_gather_any(const kr_gather &a) {
    if (a.total < (1LL << 31)) kr_gather_run<unsigned>(a);
    else kr_gather_run<unsigned long long>(a);
}

extern "C" __global__ void __launch_bounds__(256) kiln_gather(const __grid_constant__ kr_gather a) { kr_gather_any(a); }
