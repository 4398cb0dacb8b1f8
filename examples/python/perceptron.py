"""A perceptron's net input and prediction over n samples, with NumPy and with kiln.evaluate:
z = w0*x0 + w1*x1 + w2*x2 + b; prediction = where(z >= 0, 1, -1).  kiln fuses it into one pass.

    python examples/python/perceptron.py [n]        (default 10,000,000)
"""
import sys

import numpy as np

import kiln
from _timing import best_ms, report

n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
rng = np.random.default_rng(1)
x0, x1, x2 = (rng.standard_normal(n) for _ in range(3))
w0, w1, w2, b = 0.4, -1.3, 0.7, 0.1
pred = np.empty(n, dtype=np.int64)


def with_numpy():
    return np.where(w0 * x0 + w1 * x1 + w2 * x2 + b >= 0, 1, -1)


def with_kiln():
    return kiln.evaluate("where(w0*x0 + w1*x1 + w2*x2 + b >= 0, 1, -1)", out=pred)


assert np.array_equal(with_numpy(), with_kiln())
report(f"perceptron over {n} samples", best_ms(with_kiln), best_ms(with_numpy))
