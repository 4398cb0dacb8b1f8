"""python_bench.py — kiln.evaluate against numexpr.evaluate, NumPy and Numba from Python, at 10^3,
10^5 and 10^7 float64 elements: a*b+c and sin(a)*sin(a) into a reused output, sum(a*b); the
cached call (µs, the median of 7 batches of at least 2 ms) and, in a fresh process each, the
first call of an expression (parse, plan and compile, or Numba's jit).  With kiln_sweep_bench's
JSON (argv[1]) the C API's time for the same case is shown beside kiln.evaluate's.

    python bench/python_bench.py [sweep.json]      (prints Markdown)
"""
import ctypes
import json
import os
import subprocess
import sys

import numpy as np
import numexpr as ne
from numba import njit

import kiln
from sweep_anchors import THREADS, batch_of, us_per_batch, us_per_call

SIZES = [1000, 100000, 10000000]
CASES = {"fma": "a*b+c", "sin2": "sin(a)*sin(a)", "dot": "sum(a*b)"}


@njit
def nb_fma(a, b, c, o):
    for i in range(a.shape[0]):
        o[i] = a[i] * b[i] + c[i]


@njit
def nb_sin2(a, o):
    for i in range(a.shape[0]):
        o[i] = np.sin(a[i]) * np.sin(a[i])


@njit
def nb_dot(a, b):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i] * b[i]
    return s


FIRST = """
import time, numpy as np
n = {n}
a = np.linspace(-1, 1, n); b = np.linspace(0, 2, n); c = np.ones(n); o = np.empty(n)
t0 = time.perf_counter()
{stmt}
print((time.perf_counter() - t0) * 1e3)
"""
FIRST_STMTS = {
    "kiln": ("import kiln", "kiln.evaluate('{ex}' if '{case}' == 'dot' else '{ex}', out=None if '{case}' == 'dot' else o)"),
    "numexpr": ("import numexpr as ne", "ne.evaluate('{ex}', out=None if '{case}' == 'dot' else o)"),
}


def first_call_ms(engine, case, n):
    imp, stmt = FIRST_STMTS[engine]
    # a constant no run has seen makes the expression new to every cache (kiln's disk cache keys
    # by structure, not constants: kiln compiles it once per machine, like a real first use)
    src = imp + "\n" + FIRST.format(n=n, stmt=stmt.format(ex=CASES[case], case=case))
    r = subprocess.run([sys.executable, "-c", src], capture_output=True, text=True, check=True)
    return float(r.stdout.strip().splitlines()[-1])


def us_pair(f, g):
    """µs per call of f and of g, their batches alternating (so both see the same machine)."""
    calls = batch_of(f)
    g()
    tf, tg = [], []
    for _ in range(9):
        tf.append(us_per_batch(f, calls))
        tg.append(us_per_batch(g, calls))
    return sorted(tf)[4], sorted(tg)[4]


class CApi:
    """kiln's C API through ctypes over the very same NumPy buffers (build/libkiln.so): the
    time of kiln_eval_into itself, for comparing kiln.evaluate with on equal memory (ctypes adds
    about a microsecond a call: only for the big sizes)."""

    def __init__(self, path):
        lib = self.lib = ctypes.CDLL(path)
        lib.kiln_ctx_new.restype = ctypes.c_void_p
        lib.kiln_scope_new.restype = ctypes.c_void_p
        lib.kiln_scope_new.argtypes = [ctypes.c_void_p]
        lib.kiln_wrap.restype = ctypes.c_void_p
        lib.kiln_wrap.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.POINTER(ctypes.c_int64),
                                  ctypes.c_void_p, ctypes.c_void_p]
        lib.kiln_scope_set.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p]
        lib.kiln_parse.restype = ctypes.c_void_p
        lib.kiln_parse.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_char_p]
        lib.kiln_eval_into.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
        lib.kiln_array_new.restype = ctypes.c_void_p
        lib.kiln_array_new.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.POINTER(ctypes.c_int64)]
        self.ctx = lib.kiln_ctx_new(None)

    def wrap(self, x):
        shape = (ctypes.c_int64 * 1)(x.shape[0]) if x.ndim else None
        return self.lib.kiln_wrap(self.ctx, 4, x.ndim, shape, None, x.ctypes.data)  # 4: KILN_F64

    def call(self, text, arrays, out):
        scope = self.lib.kiln_scope_new(self.ctx)
        for name, x in arrays.items():
            self.lib.kiln_scope_set(scope, name.encode(), self.wrap(x))
        e = self.lib.kiln_parse(self.ctx, scope, text.encode())
        o = self.wrap(out) if out is not None else self.lib.kiln_array_new(self.ctx, 4, 0, None)
        lib, ctx = self.lib, self.ctx
        return lambda: lib.kiln_eval_into(ctx, e, o)


def main():
    sweep = json.load(open(sys.argv[1])) if len(sys.argv) > 1 else None
    so = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "build", "libkiln.so")
    capi = CApi(so) if os.path.exists(so) else None
    rows = []
    for n in SIZES:
        a, b, c = np.linspace(-1, 1, n), np.linspace(0, 2, n), np.ones(n)
        o = np.empty(n)
        env = {"a": a, "b": b, "c": c}  # the names, given (as a loop's locals would be found)
        runs = {
            "fma": (lambda: kiln.evaluate("a*b+c", env, out=o), lambda: ne.evaluate("a*b+c", env, out=o),
                    lambda: np.add(np.multiply(a, b, out=o), c, out=o), lambda: nb_fma(a, b, c, o)),
            "sin2": (lambda: kiln.evaluate("sin(a)*sin(a)", env, out=o), lambda: ne.evaluate("sin(a)*sin(a)", env, out=o),
                     lambda: np.multiply(np.sin(a, out=o), o, out=o), lambda: nb_sin2(a, o)),
            "dot": (lambda: kiln.evaluate("sum(a*b)", env), lambda: ne.evaluate("sum(a*b)", env), lambda: np.sum(a * b),
                    lambda: nb_dot(a, b)),
        }
        for case, fns in runs.items():
            t = [us_per_call(f) for f in fns]
            same = None
            if capi and n >= 100000:  # kiln.evaluate and the C API on the same buffers, interleaved
                t[0], same = us_pair(fns[0], capi.call(CASES[case], env, o if case != "dot" else None))
            bench = sweep[case]["kiln"][sweep["sizes"].index(n)] if sweep and n in sweep["sizes"] else None
            rows.append((case, n, t, (same, bench)))
            print(f"{case} {n}: kiln {t[0]:.3f} µs, numexpr {t[1]:.3f}, NumPy {t[2]:.3f}, Numba {t[3]:.3f}", file=sys.stderr)
    print(f"kiln.evaluate from Python, {THREADS} threads; µs per cached call (float64; numexpr, NumPy and "
          "Numba's serial njit with their ratio to kiln's time)\n")
    print("| case | n | kiln.evaluate | the C API on the same buffers (ctypes) | the C API in kiln_sweep_bench "
          "(its own huge-page buffers) | numexpr | NumPy | Numba |")
    print("|---|---|---|---|---|---|---|---|")
    for case, n, t, (same, bench) in rows:
        cap = f"{same:.3f} (evaluate {t[0] / same - 1:+.1%})" if same else "–"
        cap2 = f"{bench:.3f}" if bench else "–"
        print(f"| `{CASES[case]}` | 10^{len(str(n)) - 1} | {t[0]:.3f} | {cap} | {cap2} | "
              + " | ".join(f"{x:.3f} ({x / t[0]:.1f}×)" for x in t[1:]) + " |")
    print("\nFirst call of the expression in a fresh process (ms; parse, plan and compile — or the disk cache's "
          "kernel — included; NumPy has none):\n")
    print("| case | n | kiln.evaluate | numexpr |")
    print("|---|---|---|---|")
    for case in CASES:
        n = 1000
        print(f"| `{CASES[case]}` | 10^3 | {first_call_ms('kiln', case, n):.2f} | {first_call_ms('numexpr', case, n):.2f} |")


if __name__ == "__main__":
    main()
