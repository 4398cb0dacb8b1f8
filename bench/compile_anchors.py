"""compile_anchors.py — first call against cached call for Numba and numexpr, each in fresh
processes (this script re-runs itself as the child), on the expressions bench/compile_cost.c
measures for kiln: sin(a)*sin(a) and a*b+c on 10^6 float64.  Writes JSON to argv[1].

    numba cold      a new process, no cache: import, then the first call of an @njit function
    numba cache     cache=True, a second process: the first call loads the cached machine code
    numexpr         a new process: import, the first evaluate, then a cached one
"""
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

REPS = 5
EXPRS = {"sin2": "sin(a)*sin(a)", "fma": "a*b+c"}


def py_sin2(a, b, c):  # Numba's functions live in this file, so that cache=True can cache them
    return np.sin(a) * np.sin(a)


def py_fma(a, b, c):
    return a * b + c


def child(kind, name, cache):
    t0 = time.perf_counter()
    n = 1_000_000
    a = (np.arange(n) % 1000) * 1e-3
    b = (np.arange(n) % 7).astype(np.float64)
    c = np.ones(n)
    if kind == "numba":
        t_import = time.perf_counter()
        from numba import njit
        f = njit(cache=cache)(py_sin2 if name == "sin2" else py_fma)
        t_import = time.perf_counter() - t_import
    else:
        t_import = time.perf_counter()
        import numexpr as ne
        t_import = time.perf_counter() - t_import

        def f(a, b, c):
            return ne.evaluate(EXPRS[name], local_dict={"a": a, "b": b, "c": c})
    t1 = time.perf_counter()
    f(a, b, c)
    first = time.perf_counter() - t1
    best = 1e30
    for _ in range(5):
        t2 = time.perf_counter()
        f(a, b, c)
        best = min(best, time.perf_counter() - t2)
    print(json.dumps({"import_ms": t_import * 1e3, "first_ms": first * 1e3, "cached_ms": best * 1e3,
                      "process_ms": (time.perf_counter() - t0) * 1e3}))


def run(kind, name, cache, env):
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, __file__, "--child", kind, name, str(int(cache))], capture_output=True, text=True,
                         env=env, check=True).stdout
    r = json.loads(out.strip().splitlines()[-1])
    r["wall_ms"] = (time.perf_counter() - t0) * 1e3
    return r


def median(rs, key):
    v = sorted(r[key] for r in rs)
    return v[len(v) // 2]


def main():
    res = {}
    for name in EXPRS:
        res[name] = {}
        for kind in ("numba", "numexpr"):
            cold = []
            for _ in range(REPS):
                with tempfile.TemporaryDirectory() as d:
                    env = dict(os.environ, NUMBA_CACHE_DIR=d)
                    cold.append(run(kind, name, False, env))
            entry = {k: median(cold, k) for k in ("import_ms", "first_ms", "cached_ms", "wall_ms")}
            if kind == "numba":
                warm = []
                for _ in range(REPS):
                    with tempfile.TemporaryDirectory() as d:
                        env = dict(os.environ, NUMBA_CACHE_DIR=d)
                        run(kind, name, True, env)               # fills the cache
                        warm.append(run(kind, name, True, env))  # loads it
                entry["cache_first_ms"] = median(warm, "first_ms")
                entry["cache_wall_ms"] = median(warm, "wall_ms")
            res[name][kind] = entry
    with open(sys.argv[1], "w") as f:
        json.dump(res, f, indent=1)


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], sys.argv[4] == "1")
    else:
        main()
