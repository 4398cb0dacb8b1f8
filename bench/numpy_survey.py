"""numpy_survey.py — kiln against NumPy on everyday calls, to find where kiln is slower.

Each statement of CASES runs in one kiln program under `:timeit` (its best of 7) and in Python
under timeit (the best of 5 runs of an autoranged loop), on the same arrays made from the same
seed, in the same session.  Prints a table sorted by NumPy's time over kiln's, the slowest
first: a ratio below 1 is a call where NumPy is faster.

    bench/.venv/bin/python bench/numpy_survey.py build/kiln [table.md]

SURVEY_ONLY=file runs the calls listed in file alone (one a line, as CASES writes them).  Run it
without an address-space limit (ulimit -v): under one, each of kiln's thread teams first measures
the room left for threads' stacks (/proc/self/statm), some microseconds a statement.
"""
import os
import re
import subprocess
import sys
import timeit

import numpy as np

SETUP = """import numpy as np
r = np.random.default_rng(0)
x = r.standard_normal((2000, 1000))
w = r.standard_normal((1000, 200))
v = r.standard_normal(1000000)
iv = r.integers(0, 1000, 1000000)
idx = r.integers(0, 2000, 500)
u4 = r.random(10000)
s4 = r.standard_normal(10000)
f4 = u4.astype(np.float32)
m = r.standard_normal((100, 100))
x32 = x.astype(np.float32)
w32 = w.astype(np.float32)
i32 = iv.astype(np.int32)
u8 = (iv % 256).astype(np.uint8)
a10 = r.standard_normal(10)
a100 = r.standard_normal(100)
q = r.random(1000)
cidx = r.integers(0, 1000, 100)
bat = r.standard_normal((1000, 4, 4))
ker = r.standard_normal(5)
xp = np.sort(u4)
fp = np.cumsum(u4)
parts = [r.standard_normal(100) for i in range(100)]
gx, gy = np.meshgrid(q, q)
vr = np.round(v, 1)
tests = np.arange(0, 1000, 7)
"""

CASES = """y = x * 2 + 1
y = np.exp(x)
y = np.tanh(x)
y = 1 / (1 + np.exp(-x))
y = np.where(x > 0, x, 0.1 * x)
y = np.clip(x, -1, 1)
y = x ** 2
y = x.astype(np.float32)
y = x.T * 2
y = x[:1000].T + x[:1000]
y = np.ascontiguousarray(x.T)
y = x[:, ::2] * 2
y = x.sum()
y = x.sum(axis=0)
y = x.sum(axis=1)
y = x.mean(axis=0)
y = x.std(axis=0)
y = x.max(axis=0)
y = x.argmax(axis=1)
y = (x - x.mean(axis=0)) / x.std(axis=0)
y = np.exp(x - x.max(axis=1, keepdims=True))
y = x / np.linalg.norm(x, axis=1, keepdims=True)
y = np.cumsum(x, axis=1)
y = np.cumsum(x, axis=0)
y = np.count_nonzero(x > 0.5)
y = x[x > 1.0]
y = x[idx]
y = np.take(x, idx, axis=0)
y = np.sort(x, axis=1)
y = np.argsort(v)
y = np.sort(u4)
y = np.sort(s4)
y = np.sort(f4)
y = np.sort(m, axis=1)
y = np.unique(s4)
y = np.unique(iv)
y = np.bincount(iv)
y = np.histogram(v, bins=50)
y = np.median(x, axis=1)
y = np.percentile(v, 90)
y = np.concatenate([x, x])
y = np.hstack([x, x])
y = np.pad(x, 1)
y = np.roll(x, 3, axis=1)
y = np.tile(x, 2)
y = np.repeat(x, 2)
y = np.diff(x, axis=1)
y = np.triu(x)
y = x @ w
y = x.T @ x
y = np.dot(v, v)
y = np.einsum('ij,ij->i', x, x)
y = np.linalg.norm(x)
y = np.zeros((2000, 1000))
y = np.partition(v, 500)
y = np.median(v)
y = np.nonzero(x > 0)
y = x.reshape(200, 10, 1000).sum(axis=1)
y = iv // 7
y = np.exp2(x)
y = np.argpartition(v, 500)
y = np.bincount(iv)
y = np.unique(iv)
y = np.arange(1000000, dtype=np.int32)
y = np.tri(1000)
y = np.gcd(iv, 12)
y = x.reshape(2000, 100, 10).transpose(0, 2, 1).reshape(2000, 1000)
y = v[iv]
y = x[:, cidx]
y = x[x[:, 0] > 0]
y = v[v > 0]
y = np.where(x > 0, x, 0) + np.abs(np.clip(x, -2, 2))
y = np.where(np.abs(x) > 1, np.sign(x), x)
y = np.argsort(f4)
y = np.argsort(s4)
y = np.sort(x, axis=0)
y = np.argsort(x, axis=1)
y = np.sort(iv)
y = np.cumsum(v)
y = np.cumsum(x32, axis=0)
y = np.diff(v)
y = np.diff(x, axis=0)
y = np.concatenate(parts)
y = np.stack(parts)
y = np.vstack(parts)
y = np.pad(v, 10)
y = np.pad(x, ((2, 2), (3, 3)), mode='edge')
y = np.roll(v, 1000)
y = np.roll(x, 5, axis=0)
y = np.tile(u4, (100, 1))
y = np.repeat(x, 2, axis=0)
y = np.searchsorted(xp, v)
y = np.histogram(x, bins=100, range=(-4, 4))
y = np.unique(vr)
y = np.isin(iv, [1, 5, 9])
y = np.isin(iv, tests)
y = np.einsum('ij,jk->ik', x, w)
y = np.einsum('ij->j', x)
y = np.einsum('bij,bjk->bik', bat, bat)
y = np.tensordot(x, w, axes=1)
y = bat @ bat
y = x32 @ w32
y = np.linalg.norm(x, axis=0)
y = np.linalg.norm(x, axis=1)
y = x32.mean(axis=0)
y = x32.std(axis=0)
y = x.var(axis=1)
y = np.exp(x32)
y = np.log(np.abs(x32) + 1)
y = np.tanh(x32)
y = np.sin(x32)
y = np.sin(x)
y = np.log(np.abs(x))
y = np.sqrt(np.abs(x))
y = iv % 7
y = i32 // 3
y = i32 & 255
y = u8 ^ 85
y = u8 >> 2
y = iv * iv + 3
y = x32.astype(np.float64)
y = x.astype(np.int32)
y = i32.astype(np.float64)
y = u8.astype(np.float32)
y = i32.astype(np.uint8)
y = (x > 0).any(axis=1)
y = (x > 0).all(axis=0)
y = x.argmax(axis=0)
y = x.argmin(axis=1)
y = np.maximum.accumulate(v)
y = np.maximum.accumulate(x, axis=1)
y = np.outer(q, q)
y = np.meshgrid(q, q)
y = np.sqrt(gx ** 2 + gy ** 2)
y = np.polyval([1.0, -2.0, 3.0, 0.5], v)
y = np.interp(v, xp, fp)
y = np.convolve(v, ker, mode='valid')
y = np.convolve(v, ker)
y = np.lib.stride_tricks.sliding_window_view(v, 10).mean(axis=-1)
y = np.bincount(iv, weights=v)
y = np.round(x, 2)
y = np.isnan(x).any()
y = x[::2, ::2].copy()
y = np.flip(x, axis=1)
y = a10 * 2 + 1
y = np.exp(a10)
y = a100.sum()
y = a100.mean()
y = np.sort(a100)
y = np.argmax(a100)
y = np.cumsum(a100)
y = np.dot(a100, a100)
y = np.concatenate([a10, a10])
y = a100[a100 > 0]
y = np.where(a100 > 0, a100, 0)
y = np.clip(a100, -1, 1)
y = a100.std()""".splitlines()

UNITS = {"s": 1e3, "ms": 1.0, "us": 1e-3, "ns": 1e-6}


def kiln_times(kiln):
    prog = SETUP + "".join(f":timeit {c}\n" for c in CASES)
    out = subprocess.run([kiln], input=prog, capture_output=True, text=True, check=True).stdout
    found = [re.search(r"([\d.]+) (s|ms|us|ns) per loop", line) for line in out.splitlines()]
    times = [float(m.group(1)) * UNITS[m.group(2)] for m in found if m]
    if len(times) != len(CASES):
        sys.exit(f"numpy_survey: kiln timed {len(times)} of {len(CASES)} cases:\n{out}")
    return times


def numpy_ms(stmt, env):
    t = timeit.Timer(stmt, globals=env)
    n, _ = t.autorange()
    return min(t.repeat(5, n)) / n * 1e3


def main():
    global CASES
    if os.environ.get("SURVEY_ONLY"):
        with open(os.environ["SURVEY_ONLY"]) as f:
            only = f.read().splitlines()
        CASES = [c for c in CASES if c in only]
    kiln = sys.argv[1] if len(sys.argv) > 1 else "build/kiln"
    env = {}
    exec(SETUP, env)
    k = kiln_times(kiln)
    rows = sorted(((numpy_ms(c, env) / t, t, c) for c, t in zip(CASES, k)), key=lambda r: r[0])
    lines = [f"kiln against NumPy {np.__version__} (2000×1000 float64 x, 10^6 v and iv, 10^4 u4, s4, f4, 100×100 m; best times)", "",
             "| call | kiln | NumPy | NumPy / kiln |", "|---|---|---|---|"]
    lines += [f"| `{c}` | {t:.3f} ms | {r * t:.3f} ms | {r:.2f}× |" for r, t, c in rows]
    text = "\n".join(lines)
    print(text)
    if len(sys.argv) > 2:
        with open(sys.argv[2], "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
