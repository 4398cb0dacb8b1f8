"""sweep_anchors.py — NumPy, numexpr and Numba at the sizes of kiln_sweep_bench (10^2 … 10^7):
a*b+c and sin(a)*sin(a) into a reused output, sum(a*b), and examples/logistic_regression.c's
step over X (20 × n/20) with w and b updated; then that example's epoch (20000 × 20) as the
same NumPy loop.  Numba is the faster of a serial and a parallel njit at each size.  µs per
call, the median of 7 batches of at least 2 ms.  argv: out.json."""
import json
import os
import sys
import time

import numba
import numexpr as ne
import numpy as np
from numba import njit, prange

SIZES = [100, 1000, 10000, 100000, 1000000, 10000000]
NF, LR = 20, 0.1
THREADS = int(os.environ.get("OMP_NUM_THREADS", os.cpu_count()))
ne.set_num_threads(THREADS)
numba.set_num_threads(THREADS)


def batch_of(fn):
    """Calls of fn in a batch: doubled from 1 until a batch takes 2 ms (fn run once first)."""
    fn()
    calls = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(calls):
            fn()
        if time.perf_counter() - t0 >= 2e-3 or calls >= 1 << 24:
            return calls
        calls *= 2


def us_per_batch(fn, calls):
    t0 = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - t0) * 1e6 / calls


def us_per_call(fn):
    calls = batch_of(fn)
    return sorted(us_per_batch(fn, calls) for _ in range(7))[3]


def kernels(parallel):
    rng = prange if parallel else range

    @njit(parallel=parallel, fastmath=False)
    def fma(a, b, c, o):
        for i in rng(a.shape[0]):
            o[i] = a[i] * b[i] + c[i]

    @njit(parallel=parallel)
    def sin2(a, o):
        for i in rng(a.shape[0]):
            o[i] = np.sin(a[i]) * np.sin(a[i])

    @njit(parallel=parallel)
    def dot(a, b):
        s = 0.0
        for i in rng(a.shape[0]):
            s += a[i] * b[i]
        return s

    @njit(parallel=parallel)
    def logistic(X, Y, w, b, lr):
        nf, m = X.shape
        z = np.full(m, b[0])
        for f in range(nf):
            for j in rng(m):
                z[j] += w[f, 0] * X[f, j]
        cost = 0.0
        db = 0.0
        for j in rng(m):
            a = 1 / (1 + np.exp(-z[j]))
            y = Y[0, j]
            cost += y * np.log(a) + (1 - y) * np.log(1 - a)
            z[j] = a - y
            db += a - y
        for f in range(nf):
            s = 0.0
            for j in rng(m):
                s += X[f, j] * z[j]
            w[f, 0] -= lr * s / m
        b[0] -= lr * db / m
        return -cost / m

    return {"fma": fma, "sin2": sin2, "dot": dot, "logistic": logistic}


def numpy_step(X, Y, w, b, m):
    def step():
        Z = w.T @ X + b
        A = 1 / (1 + np.exp(-Z))
        dz = A - Y
        dw = X @ dz.T / m
        db = np.sum(dz) / m
        cost = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))
        w[...] -= LR * dw
        b[...] -= LR * db
        return cost
    return step


def main():
    nmax = SIZES[-1]
    i = np.arange(nmax)
    a, b, c = (i % 1000) * 1e-3, (i % 777) * 2e-3, (i % 333).astype(np.float64)
    Yall = (i % 3 == 0).astype(np.float64)
    o = np.empty_like(a)
    nb = [kernels(False), kernels(True)]
    cases = ("fma", "sin2", "dot", "logistic")
    r = {"versions": {"numpy": np.__version__, "numexpr": ne.__version__, "numba": numba.__version__}, "threads": THREADS,
         "sizes": SIZES}
    for k in cases:
        r[k] = {"numpy": [], "numexpr": [], "numba": [], "numba_serial": [], "numba_parallel": []}
    for n in SIZES:
        sa, sb, sc, so = a[:n], b[:n], c[:n], o[:n]
        m = n // NF
        X, Y = a[:NF * m].reshape(NF, m), Yall[:m].reshape(1, m)
        row = {
            "fma": (lambda: np.add(np.multiply(sa, sb, out=so), sc, out=so),
                    lambda: ne.evaluate("a*b+c", local_dict={"a": sa, "b": sb, "c": sc}, out=so),
                    lambda f: (lambda: f(sa, sb, sc, so))),
            "sin2": (lambda: np.multiply(np.sin(sa, out=so), so, out=so),
                     lambda: ne.evaluate("sin(a)*sin(a)", local_dict={"a": sa}, out=so),
                     lambda f: (lambda: f(sa, so))),
            "dot": (lambda: np.sum(sa * sb), lambda: ne.evaluate("sum(a*b)", local_dict={"a": sa, "b": sb}),
                    lambda f: (lambda: f(sa, sb))),
        }
        for k in cases:
            if k == "logistic":
                w, bb = np.zeros((NF, 1)), np.zeros(1)
                r[k]["numpy"].append(us_per_call(numpy_step(X, Y, w, bb, m)))
                r[k]["numexpr"].append(None)
                fns = [(lambda f: (lambda: f(X, Y, np.zeros((NF, 1)), np.zeros(1), LR)))(nb[p][k]) for p in (0, 1)]
            else:
                npf, nef, nbf = row[k]
                r[k]["numpy"].append(us_per_call(npf))
                r[k]["numexpr"].append(us_per_call(nef))
                fns = [nbf(nb[p][k]) for p in (0, 1)]
            ser, par = us_per_call(fns[0]), us_per_call(fns[1])
            r[k]["numba_serial"].append(ser)
            r[k]["numba_parallel"].append(par)
            r[k]["numba"].append(min(ser, par))
            print(f"{k:9s} {n:9d}  NumPy {r[k]['numpy'][-1]:10.3f} µs  numba {min(ser, par):10.3f} µs", file=sys.stderr)
    m = 20000
    X, Y = a[:NF * m].reshape(NF, m), Yall[:m].reshape(1, m)
    w, bb = np.zeros((NF, 1)), np.zeros(1)
    r["example_epoch_us"] = {"numpy": us_per_call(numpy_step(X, Y, w, bb, m))}
    with open(sys.argv[1], "w") as f:
        json.dump(r, f, indent=1)


if __name__ == "__main__":
    main()
