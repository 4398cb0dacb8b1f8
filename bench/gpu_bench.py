#!/usr/bin/env python3
"""gpu_bench.py — the GPU anchors for kiln's CUDA backend (tools/gpu_check.sh runs it on the GPU
machine): the same cases as `gpu_check bench` in CuPy (cupy.fuse, ElementwiseKernel, plain CuPy
for the logistic gradient) and PyTorch (eager, and torch.compile for float32), and a
device-to-device copy, the bandwidth floor; a scan and a gather (cumsum(W, 0), W[perm]) against
CuPy's and PyTorch's own.  Times are the best
of several runs between CUDA events, in ms; bandwidth counts bytes read plus written."""
import time

N = 100_000_000


def best_ms(fn, sync, reps=10):
    fn()
    sync()
    best = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        sync()
        best = min(best, (time.perf_counter() - t0) * 1e3)
    return best


def first_ms(fn, sync):
    """The first call's time: a new kernel's compile and load, then its run."""
    sync()
    t0 = time.perf_counter()
    fn()
    sync()
    return (time.perf_counter() - t0) * 1e3


def row(lib, case, ms, nbytes=None):
    bw = f"  {nbytes / ms / 1e6:7.0f} GB/s" if nbytes else ""
    print(f"{lib:<22} {case:<50} {ms:10.3f} ms{bw}")


def cupy_cases():
    import cupy as cp

    # cupy.fuse names its kernel after the function: a lambda's name is no identifier
    def fma_(x, y, z):
        return x * y + z

    def sin2_(x):
        return cp.sin(x) * cp.sin(x)

    def dot_(x, y):
        return cp.sum(x * y)

    sync = cp.cuda.Device().synchronize
    for dt in (cp.float32, cp.float64):
        es = cp.dtype(dt).itemsize
        a, b, c = (cp.random.random(N).astype(dt) for _ in range(3))
        out = cp.empty_like(a)
        row("cupy copy d2d", f"{N} {cp.dtype(dt).name}", best_ms(lambda: cp.copyto(out, a), sync), 2 * N * es)
        fma = cp.fuse(fma_)
        row("cupy.fuse", f"a*b+c {cp.dtype(dt).name}", best_ms(lambda: fma(a, b, c), sync), 4 * N * es)
        # a kernel no cache holds (its constant is new): NVRTC's compile in CuPy's first call
        salt = time.time_ns() % 1000003
        fresh = cp.ElementwiseKernel("T x, T y, T z", "T o", f"o = x * y + z + (T){salt}", f"kiln_fresh_{salt}")
        row("cupy ElementwiseKernel", f"first call of a new kernel {cp.dtype(dt).name}", first_ms(lambda: fresh(a[:1000], b[:1000], c[:1000]), sync))
        ek = cp.ElementwiseKernel("T x, T y, T z", "T o", "o = x * y + z", "kiln_fma")
        row("cupy ElementwiseKernel", f"a*b+c {cp.dtype(dt).name}", best_ms(lambda: ek(a, b, c, out), sync), 4 * N * es)
        s2 = cp.fuse(sin2_)
        row("cupy.fuse", f"sin(a)*sin(a) {cp.dtype(dt).name}", best_ms(lambda: s2(a), sync), 2 * N * es)
        eks = cp.ElementwiseKernel("T x", "T o", "o = sin(x) * sin(x)", "kiln_sin2")
        row("cupy ElementwiseKernel", f"sin(a)*sin(a) {cp.dtype(dt).name}", best_ms(lambda: eks(a, out), sync), 2 * N * es)
        row("cupy", f"sum(a) {cp.dtype(dt).name} (a read alone)", best_ms(lambda: cp.sum(a), sync), N * es)
        row("cupy", f"sum(a*b) {cp.dtype(dt).name}", best_ms(lambda: cp.sum(a * b), sync), 2 * N * es)
        dot = cp.fuse(dot_)
        row("cupy.fuse", f"sum(a*b) {cp.dtype(dt).name}", best_ms(lambda: dot(a, b), sync), 2 * N * es)
        del a, b, c, out
    W = cp.random.random((8192, 8192), dtype=cp.float32)
    X = cp.random.random((8192, 8192), dtype=cp.float32)
    bias = cp.random.random((8192, 1), dtype=cp.float32)
    row("cupy", "W @ X (cuBLAS SGEMM alone)", best_ms(lambda: W @ X, sync, 5))
    row("cupy", "W @ X + bias", best_ms(lambda: W @ X + bias, sync, 5))
    perm = cp.arange(8192) * 7919 % 8192
    row("cupy", "cumsum(W, 0)", best_ms(lambda: cp.cumsum(W, 0), sync), 2 * W.nbytes)
    row("cupy", "W[perm]", best_ms(lambda: W[perm], sync), 2 * W.nbytes)
    del W, X
    Xl = cp.random.random((20, 1_000_000), dtype=cp.float64)
    wl = cp.random.random((1, 20), dtype=cp.float64)
    yl = cp.random.random((1, 1_000_000), dtype=cp.float64)
    row("cupy", "logistic gradient (20 x 1e6 f64)", best_ms(lambda: ((1 / (1 + cp.exp(-(wl @ Xl))) - yl) * Xl).sum(1), sync))


def torch_cases():
    import torch

    torch.backends.cuda.matmul.allow_tf32 = False
    sync = torch.cuda.synchronize
    dev = "cuda"
    for dt in (torch.float32, torch.float64):
        es = torch.tensor([], dtype=dt).element_size()
        a, b, c = (torch.rand(N, dtype=dt, device=dev) for _ in range(3))
        name = str(dt).split(".")[1]
        row("torch eager", f"a*b+c {name}", best_ms(lambda: a * b + c, sync), 4 * N * es)
        row("torch eager", f"sin(a)*sin(a) {name}", best_ms(lambda: torch.sin(a) * torch.sin(a), sync), 2 * N * es)
        row("torch eager", f"sum(a) {name} (a read alone)", best_ms(lambda: a.sum(), sync), N * es)
        row("torch eager", f"sum(a*b) {name}", best_ms(lambda: (a * b).sum(), sync), 2 * N * es)
        if dt != torch.float32:  # (one dtype: each compile costs seconds of a short lease)
            continue
        try:
            f = torch.compile(lambda x, y, z: x * y + z)
            row("torch.compile", f"first call of a*b+c {name} (compile)", first_ms(lambda: f(a, b, c), sync))
            row("torch.compile", f"a*b+c {name}", best_ms(lambda: f(a, b, c), sync), 4 * N * es)
            g = torch.compile(lambda x: torch.sin(x) * torch.sin(x))
            row("torch.compile", f"sin(a)*sin(a) {name}", best_ms(lambda: g(a), sync), 2 * N * es)
            h = torch.compile(lambda x, y: (x * y).sum())
            row("torch.compile", f"sum(a*b) {name}", best_ms(lambda: h(a, b), sync), 2 * N * es)
        except Exception as e:  # torch.compile needs a working Triton
            print(f"torch.compile unavailable: {type(e).__name__}: {str(e)[:200]}")
        del a, b, c
    W = torch.rand(8192, 8192, device=dev)
    X = torch.rand(8192, 8192, device=dev)
    bias = torch.rand(8192, 1, device=dev)
    row("torch eager", "W @ X + bias", best_ms(lambda: W @ X + bias, sync, 5))
    perm = torch.arange(8192, device=dev) * 7919 % 8192
    row("torch eager", "cumsum(W, 0)", best_ms(lambda: torch.cumsum(W, 0), sync), 2 * W.numel() * 4)
    row("torch eager", "W[perm]", best_ms(lambda: W[perm], sync), 2 * W.numel() * 4)
    Xl = torch.rand(20, 1_000_000, dtype=torch.float64, device=dev)
    wl = torch.rand(1, 20, dtype=torch.float64, device=dev)
    yl = torch.rand(1, 1_000_000, dtype=torch.float64, device=dev)
    row("torch eager", "logistic gradient (20 x 1e6 f64)",
        best_ms(lambda: ((1 / (1 + torch.exp(-(wl @ Xl))) - yl) * Xl).sum(1), sync))


if __name__ == "__main__":
    for part in (cupy_cases, torch_cases):
        try:
            part()
        except Exception as e:
            print(f"{part.__name__}: {type(e).__name__}: {str(e)[:300]}")
