"""Logistic regression by gradient descent, the vectorized step of examples/logistic_regression.c:
Z = w.T@X + b; A = sigmoid(Z); dz = A - Y; dw = X@dz.T/m; db = sum(dz)/m; then w and b updated.
The same loop with NumPy and with kiln.evaluate, from the same weights: the same losses.

    python examples/python/logistic_regression.py [epochs] [samples]   (default 200, 20000; 20 features)
"""
import sys

import numpy as np

import kiln
from _timing import timed

epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 200
m = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
nf, lr = 20, 0.5
rng = np.random.default_rng(7)
X = rng.standard_normal((nf, m))
wtrue = rng.standard_normal((nf, 1))
Y = ((wtrue.T @ X + 0.3 + 0.5 * rng.standard_normal((1, m))) > 0).astype(np.float64)


def train_numpy():
    w, b = np.zeros((nf, 1)), np.zeros((1, 1))
    for _ in range(epochs):
        A = 1 / (1 + np.exp(-(w.T @ X + b)))
        dz = A - Y
        cost = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))
        w -= lr * (X @ dz.T) / m
        b -= lr * np.sum(dz) / m
    return w, b, cost


def train_kiln():
    w, b = np.zeros((nf, 1)), np.zeros((1, 1))
    dz = np.empty((1, m))
    for _ in range(epochs):
        kiln.evaluate("sigmoid(w.T@X + b) - Y", out=dz)
        cost = float(np.asarray(kiln.evaluate("-mean(Y*log(dz + Y) + (1 - Y)*log(1 - (dz + Y)))")))
        kiln.evaluate("w - lr * (X@dz.T) / m", out=w)
        kiln.evaluate("b - lr * sum(dz) / m", out=b)
    return w, b, cost


(wn, bn, cn), t_numpy = timed(train_numpy)
(wk, bk, ck), t_kiln = timed(train_kiln)
assert np.allclose(wn, wk, rtol=1e-9, atol=1e-12) and abs(cn - ck) < 1e-9, (cn, ck)
print(f"logistic regression, {epochs} epochs of {m} x {nf}: loss {ck:.6f}; "
      f"kiln {t_kiln / epochs * 1e3:.3f} ms an epoch, NumPy {t_numpy / epochs * 1e3:.3f} ms ({t_numpy / t_kiln:.1f}x)")
