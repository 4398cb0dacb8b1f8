"""tier_anchors.py — numexpr and Numba on bench/tier.c's expressions: the first call of a
never-seen expression in a running process (10^3, 10^5, 10^7 float64 elements), and the
workload of 200 distinct expressions evaluated 5 times each.

argv: the expressions file kiln_tier_bench wrote (one per line), then the JSON to write.  The
first 200 lines are the workload; the next 9 per size the first calls, as in tier.c."""
import json
import os
import sys
import time

import numba
import numexpr as ne
import numpy as np
from numba import njit

THREADS = int(os.environ.get("OMP_NUM_THREADS", os.cpu_count()))
ne.set_num_threads(THREADS)
numba.set_num_threads(THREADS)
NEXPR, FIRST = 200, 9
exprs = [line.strip() for line in open(sys.argv[1]) if line.strip()]


def arrays(n):
    i = np.arange(n)
    return {name: ((i * (v + 3)) % 1000) * 1e-3 + 0.1 for v, name in enumerate("abc")}


def numba_fn(src):
    body = src
    for f in ("sin", "cos", "exp", "tanh", "sqrt", "abs"):
        body = body.replace(f + "(", "np." + f + "(")
    ns = {"np": np, "njit": njit}
    exec(f"@njit\ndef f(a, b, c):\n    return {body}\n", ns)
    return ns["f"]


out = {"first": {}, "workload": {}}
ne.evaluate("a + 1", local_dict=arrays(10))  # numexpr imported and warm
numba_fn("a + b")(*arrays(10).values())      # Numba's compiler loaded and warm
for s, n in enumerate((1000, 100_000, 10_000_000)):
    env = arrays(n)
    o = np.empty(n)
    ts = []
    for i in range(FIRST):
        src = exprs[NEXPR + s * FIRST + i]
        t0 = time.perf_counter()
        ne.evaluate(src, local_dict=env, out=o)
        ts.append((time.perf_counter() - t0) * 1e3)
    nb = []
    for i in range(3):  # Numba compiles each one for hundreds of milliseconds: three suffice
        src = exprs[NEXPR + s * FIRST + i]
        t0 = time.perf_counter()
        numba_fn(src)(env["a"], env["b"], env["c"])
        nb.append((time.perf_counter() - t0) * 1e3)
    out["first"][str(n)] = {"numexpr": sorted(ts)[FIRST // 2], "numba": sorted(nb)[1]}
    print(f"  first call n={n}: numexpr {out['first'][str(n)]['numexpr']:.3f} ms, Numba {out['first'][str(n)]['numba']:.1f} ms")
for n in (100_000, 1000):
    env = arrays(n)
    o = np.empty(n)
    t0 = time.perf_counter()
    for i in range(NEXPR):
        for _ in range(5):
            ne.evaluate(exprs[i], local_dict=env, out=o)
    out["workload"][str(n)] = {"numexpr": (time.perf_counter() - t0) * 1e3}
    print(f"  workload n={n}: numexpr {out['workload'][str(n)]['numexpr']:.1f} ms")
out["versions"] = {"numexpr": ne.__version__, "numba": numba.__version__}
json.dump(out, open(sys.argv[2], "w"), indent=1)
