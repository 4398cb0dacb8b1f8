"""A linear layer with its activation, relu(W@X + b), float32: kiln runs the bias and the relu on
the product's panels while they are in cache (OpenBLAS's sgemm with the SkylakeX kernels).

    python examples/python/linear_layer.py [n]        (default 1024: W n×n, X n×n)
"""
import sys

import numpy as np

import kiln
from _timing import best_ms, report

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1024
rng = np.random.default_rng(2)
W = rng.standard_normal((n, n)).astype(np.float32)
X = rng.standard_normal((n, n)).astype(np.float32)
b = rng.standard_normal((n, 1)).astype(np.float32)
out = np.empty((n, n), dtype=np.float32)


def with_numpy():
    return np.maximum(W @ X + b, 0)


def with_kiln():
    return kiln.evaluate("relu(W@X + b)", out=out)


assert np.allclose(with_numpy(), with_kiln(), rtol=1e-4, atol=1e-3)
report(f"relu(W@X + b), {n}x{n} float32", best_ms(with_kiln), best_ms(with_numpy))
