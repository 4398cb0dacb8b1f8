"""anchors.py — NumPy, numexpr and Numba on the benchmark's cases, timed the same way as
bench.c (median of repeated runs after a warm-up).  Writes JSON to argv[1].

Run by bench/run.sh in the same session as kiln_bench, with the same thread count."""
import json
import os
import sys
import time

import numba
import numexpr as ne
import numpy as np
from sweep_anchors import kernels, us_per_call

N_BIG, N_SMALL, REPS = 10_000_000, 1000, 21
SORT_CASES = ["sort(v)", "sort(f)", "sort(i)", "argsort(v)", "sort(M)", "sort(M, axis=0)"]  # bench.c's, in its order
SEARCH_CASES = ["searchsorted(s, v)", "searchsorted(s, v, side='right')", "isin(i, t)", "digitize(v, s)"]  # bench.c's too
SCAN_CASES = ["cumsum(v)", "maximum.accumulate(v)", "minimum.accumulate(M, axis=1)", "gradient(v)"]  # bench.c's too
TRANSPOSE_CASES = ["M.T * 2", "Q.T + Q", "ascontiguousarray(M.T)"]  # bench.c's too
DRAW_CASES = ["default_rng(0).random(10000000)", "default_rng(0).standard_normal(10000000)",
              "default_rng(0).integers(0, 100, 10000000)", "rand(10000000)", "randn(10000000)"]  # bench.c's too
LINALG_CASES = ["inv(A)", "solve(B, R)", "slogdet(B)", "svd(A)", "svd(A, compute_uv=False)", "eigh(S)", "cholesky(S)", "qr(A)",
                "pinv(A)", "inv(T)", "det(T)", "solve(E, E[:, :, :2])", "eigvalsh(E + E.transpose(0, 2, 1))"]  # bench.c's
THREADS = int(os.environ.get("OMP_NUM_THREADS", os.cpu_count()))
ne.set_num_threads(THREADS)
numba.set_num_threads(THREADS)


def median_ms(fn, reps=REPS):
    fn()
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        ts.append((time.perf_counter() - t0) * 1e3)
    return sorted(ts)[len(ts) // 2]


# Numba's loops, serial and parallel (the same as the size sweep's)
_par, _ser = kernels(True), kernels(False)
nb_fma, nb_fma_serial, nb_dot, nb_sin2 = _par["fma"], _ser["fma"], _par["dot"], _par["sin2"]


def main():
    i = np.arange(N_BIG)
    a = (i % 1000) * 1e-3 - 0.5
    b = (i % 777) * 2e-3
    c = (i % 333).astype(np.float64)
    o = np.empty_like(a)
    r = {"versions": {"numpy": np.__version__, "numexpr": ne.__version__, "numba": numba.__version__},
         "threads": THREADS}

    r["fma_big"] = {
        "numpy": median_ms(lambda: a * b + c),
        "numpy_out": median_ms(lambda: (np.multiply(a, b, out=o), np.add(o, c, out=o))),
        "numexpr_out": median_ms(lambda: ne.evaluate("a*b+c", local_dict={"a": a, "b": b, "c": c}, out=o)),
        "numba_out": median_ms(lambda: nb_fma(a, b, c, o)),
    }
    sa, sb, sc, so = a[:N_SMALL].copy(), b[:N_SMALL].copy(), c[:N_SMALL].copy(), o[:N_SMALL].copy()
    r["fma_small_us"] = {
        "numpy": us_per_call(lambda: sa * sb + sc),
        "numexpr": us_per_call(lambda: ne.evaluate("a*b+c", local_dict={"a": sa, "b": sb, "c": sc}, out=so)),
        "numba": us_per_call(lambda: nb_fma_serial(sa, sb, sc, so)),
    }
    r["sin2_f64"] = {
        "numpy": median_ms(lambda: np.sin(a) * np.sin(a)),
        "numexpr": median_ms(lambda: ne.evaluate("sin(a)*sin(a)", local_dict={"a": a}, out=o)),
        "numba": median_ms(lambda: nb_sin2(a, o)),
    }
    af = a.astype(np.float32)
    of = np.empty_like(af)
    r["sin2_f32"] = {
        "numpy": median_ms(lambda: np.sin(af) * np.sin(af)),
        "numexpr": median_ms(lambda: ne.evaluate("sin(a)*sin(a)", local_dict={"a": af}, out=of)),
        "numba": median_ms(lambda: nb_sin2(af, of)),
    }
    r["dot"] = {
        "numpy": median_ms(lambda: np.dot(a, b)),
        "numpy_sum": median_ms(lambda: np.sum(a * b)),
        "numexpr": median_ms(lambda: ne.evaluate("sum(a*b)", local_dict={"a": a, "b": b})),
        "numba": median_ms(lambda: nb_dot(a, b)),
    }
    del af, of
    g = 1024
    ii = np.arange(g * g)
    W = ((ii * 7 % 1000) * 1e-3 - 0.5).astype(np.float32).reshape(g, g)
    X = ((ii * 13 % 997) * 1e-3).astype(np.float32).reshape(g, g)
    bias = ((np.arange(g) % 10) * 0.1).astype(np.float32).reshape(g, 1)
    r["gemm"] = {"numpy": median_ms(lambda: W @ X + bias),
                 "openblas_coretype_env": os.environ.get("OPENBLAS_CORETYPE", "(unset)")}
    r["stacks"] = []  # the same stacks of products as bench.c, in its order
    for n, mm, kk, q, dt in [(1000, 8, 16, 8, np.float64), (64, 64, 64, 64, np.float32), (8, 256, 256, 256, np.float32)]:
        sa = ((np.arange(n * mm * kk) * 7 % 1000) * 1e-3 - 0.5).astype(dt).reshape(n, mm, kk)
        sb = ((np.arange(n * kk * q) * 13 % 997) * 1e-3).astype(dt).reshape(n, kk, q)
        sc = np.empty((n, mm, q), dt)
        r["stacks"].append({"numpy": median_ms(lambda: sa @ sb), "numpy_out": median_ms(lambda: np.matmul(sa, sb, out=sc))})
    # np.linalg on bench.c's matrices: x[..., r, c] = (flat * 7 % 1000) / 1000 - 0.5, plus diag on the diagonal
    def mat(shape, diag):
        x = (np.arange(np.prod(shape)) * 7 % 1000) * 1e-3 - 0.5
        x = x.reshape(shape)
        return x + diag * np.eye(shape[-1]) if diag else x
    la = {"A": mat((500, 500), 10), "B": mat((1000, 1000), 20), "R": mat((1000, 4), 0), "T": mat((10000, 3, 3), 3),
          "E": mat((1000, 8, 8), 5)}
    la["S"] = la["A"] @ la["A"].T + np.eye(500)
    la.update({f: getattr(np.linalg, f) for f in ["inv", "solve", "slogdet", "svd", "eigh", "cholesky", "qr", "pinv", "det",
                                                  "eigvalsh"]})
    r["linalg"] = [median_ms(lambda c=c: eval(c, la)) for c in LINALG_CASES]
    # sorts of bench.c's 10^7 elements: v[k] = 8 (u - 0.5)^3, u = (k * 0x9E3779B1 mod 2^32) / 2^32; NumPy's default kind
    # (its AVX-512 quicksort; argsort's is not stable) and kind='stable' (kiln's order)
    u = (np.arange(10**7, dtype=np.uint64) * np.uint64(0x9E3779B1) % np.uint64(2**32)) / 2.0**32 - 0.5
    so = {"v": 8 * u * u * u}
    so.update(f=so["v"].astype(np.float32), i=(so["v"] * 1e6).astype(np.int64), M=so["v"].reshape(10000, 1000))
    r["sorts"] = []
    for c in SORT_CASES:
        kind = {}
        for k in ["quicksort", "stable"]:
            so.update(sort=lambda x, axis=-1, k=k: np.sort(x, axis, kind=k), argsort=lambda x, axis=-1, k=k: np.argsort(x, axis, kind=k))
            kind[k] = median_ms(lambda c=c: eval(c, so), reps=5)
        r["sorts"].append({"numpy": kind["quicksort"], "numpy_stable": kind["stable"]})
    so.update(s=np.sort(so["v"][::100]), t=so["i"][::10000], searchsorted=np.searchsorted, isin=np.isin, digitize=np.digitize)
    r["searches"] = [median_ms(lambda c=c: eval(c, so), reps=5) for c in SEARCH_CASES]
    so.update(cumsum=np.cumsum, maximum=np.maximum, minimum=np.minimum, gradient=np.gradient)
    r["scans"] = [median_ms(lambda c=c: eval(c, so), reps=5) for c in SCAN_CASES]
    so.update(Q=so["v"][:9000000].reshape(3000, 3000), ascontiguousarray=np.ascontiguousarray)
    r["transposes"] = [median_ms(lambda c=c: eval(c, so), reps=5) for c in TRANSPOSE_CASES]
    so.update(default_rng=np.random.default_rng, rand=np.random.rand, randn=np.random.randn)
    r["draws"] = [median_ms(lambda c=c: eval(c, so), reps=5) for c in DRAW_CASES]
    nf, m = 1000, 100000
    Xl = ((np.arange(nf * m) * 7 % 1001) * 1e-3 - 0.5).reshape(nf, m)
    Yl = (np.arange(m) % 3 == 0).astype(np.float64).reshape(1, m)
    wl = ((np.arange(nf) % 17) * 1e-3).reshape(nf, 1)

    def step():
        Z = wl.T @ Xl + 0.1
        A = 1 / (1 + np.exp(-Z))
        dz = A - Yl
        return Xl @ dz.T / m, np.sum(dz) / m

    r["logreg"] = {"numpy": median_ms(step, reps=7)}
    with open(sys.argv[1], "w") as f:
        json.dump(r, f, indent=1)


if __name__ == "__main__":
    main()
