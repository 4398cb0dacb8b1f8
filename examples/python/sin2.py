"""sin(a)*sin(a) over n float64 values: NumPy computes sin twice and a temporary; kiln once, in
one pass, vectorized and on every core.

    python examples/python/sin2.py [n]        (default 10,000,000)
"""
import sys

import numpy as np

import kiln
from _timing import best_ms, report

n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
a = np.linspace(-10, 10, n)
out = np.empty(n)


def with_numpy():
    return np.sin(a) * np.sin(a)


def with_kiln():
    return kiln.evaluate("sin(a)*sin(a)", out=out)


want, got = with_numpy(), with_kiln()
assert np.allclose(want, got, rtol=1e-14, atol=1e-300)
report(f"sin(a)*sin(a) over {n} values", best_ms(with_kiln), best_ms(with_numpy))
