"""A two-layer MLP trained by mini-batch SGD (the network of examples/mlp.c: 32 features, 64
hidden units, 10 classes, batches of 64), forward and backward written out as expressions;
the same epoch with NumPy, from the same weights, gives the same mean loss.

    python examples/python/mlp.py [epochs]        (default 3; 8192 samples)
"""
import sys

import numpy as np

import kiln
from _timing import timed

epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
n, d, h, k, bs, lr = 8192, 32, 64, 10, 64, 0.1
rng = np.random.default_rng(3)
Xall = rng.standard_normal((n, d))
labels = (np.abs(Xall[:, :4].sum(1) * 2.5).astype(np.int64)) % k
Tall = np.eye(k)[labels]
W1_0, W2_0 = rng.standard_normal((d, h)) * 0.1, rng.standard_normal((h, k)) * 0.1


def train_numpy():
    W1, b1, W2, b2 = W1_0.copy(), np.zeros((1, h)), W2_0.copy(), np.zeros((1, k))
    for _ in range(epochs):
        losses = []
        for s in range(0, n, bs):
            X, T = Xall[s:s + bs], Tall[s:s + bs]
            H = np.maximum(X @ W1 + b1, 0)
            Z = H @ W2 + b2
            P = np.exp(Z - Z.max(1, keepdims=True))
            P /= P.sum(1, keepdims=True)
            losses.append(-np.mean(np.sum(T * np.log(P), 1)))
            G = (P - T) / bs
            dH = (G @ W2.T) * (H > 0)
            W2 -= lr * (H.T @ G)
            b2 -= lr * G.sum(0, keepdims=True)
            W1 -= lr * (X.T @ dH)
            b1 -= lr * dH.sum(0, keepdims=True)
    return W1, W2, float(np.mean(losses))


def train_kiln():
    W1, b1, W2, b2 = W1_0.copy(), np.zeros((1, h)), W2_0.copy(), np.zeros((1, k))
    H, P, G = np.empty((bs, h)), np.empty((bs, k)), np.empty((bs, k))
    for _ in range(epochs):
        losses = []
        for s in range(0, n, bs):
            X, T = Xall[s:s + bs], Tall[s:s + bs]
            kiln.evaluate("relu(X@W1 + b1)", out=H)
            kiln.evaluate("softmax(H@W2 + b2, 1)", out=P)
            losses.append(float(np.asarray(kiln.evaluate("-mean(sum(T*log(P), 1))"))))
            kiln.evaluate("(P - T) / bs", out=G)
            dH = kiln.evaluate("(G@W2.T) * (H > 0)")
            kiln.evaluate("W2 - lr*(H.T@G)", out=W2)
            kiln.evaluate("b2 - lr*sum(G, 0, keepdims=True)", out=b2)
            kiln.evaluate("W1 - lr*(X.T@dH)", out=W1)
            kiln.evaluate("b1 - lr*sum(dH, 0, keepdims=True)", out=b1)
    return W1, W2, float(np.mean(losses))


(W1n, W2n, ln), t_numpy = timed(train_numpy)
(W1k, W2k, lk), t_kiln = timed(train_kiln)
assert np.allclose(W1n, W1k, atol=1e-9) and np.allclose(W2n, W2k, atol=1e-9) and abs(ln - lk) < 1e-9, (ln, lk)
print(f"MLP, {epochs} epochs of {n} samples in batches of {bs}: mean loss {lk:.6f}; "
      f"kiln {t_kiln / epochs * 1e3:.2f} ms an epoch, NumPy {t_numpy / epochs * 1e3:.2f} ms ({t_numpy / t_kiln:.1f}x)")
