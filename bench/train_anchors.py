"""train_anchors.py — the training workloads (bench/train.c) in NumPy and JAX (CPU, float64),
on the same formula data, in the same run: softmax over rows, the logistic-regression step, and
one epoch of the two-layer MLP (hand-written backward pass in NumPy; jax.jit(jax.value_and_grad)
in JAX, both as one jitted call per mini-batch and as a whole epoch in one jitted lax.scan).
Writes JSON (argv[1]).  Medians of repeated runs after a warm-up."""
import json
import os
import sys
import time

import numpy as np

REPS = 11


def median_ms(fn, reps=REPS, block=lambda r: r):
    block(fn())
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        block(fn())
        ts.append(time.perf_counter() - t0)
    ts.sort()
    return ts[len(ts) // 2] * 1e3


def softmax_np(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


M, NIN, NH, NCLS, BS, LR = 8192, 32, 64, 10, 64, 0.1


def mlp_data():
    i = np.arange(M)[:, None]
    f = np.arange(NIN)[None, :]
    lab = (np.arange(M) * 7) % NCLS
    X = np.cos(lab[:, None] * 1.1 + f * 0.37) * 2 + np.sin(i * 0.13 + f * 0.71) * 1.5
    Y = np.eye(NCLS)[lab]
    a, c = np.arange(NIN)[:, None], np.arange(NH)[None, :]
    W1 = np.sin(a * 0.31 + c * 0.17 + 0.5) * np.sqrt(2.0 / NIN)
    a, c = np.arange(NH)[:, None], np.arange(NCLS)[None, :]
    W2 = np.sin(a * 0.23 + c * 0.41 + 1.5) * np.sqrt(2.0 / NH)
    return X, Y, (W1, np.zeros(NH), W2, np.zeros(NCLS))


def np_epoch(X, Y, p):
    W1, b1, W2, b2 = p
    total = 0.0
    for i in range(M // BS):
        xb, yb = X[i * BS:(i + 1) * BS], Y[i * BS:(i + 1) * BS]
        z1 = xb @ W1 + b1
        h = np.maximum(z1, 0)
        lg = h @ W2 + b2
        mx = lg.max(1, keepdims=True)
        e = np.exp(lg - mx)
        s = e.sum(1, keepdims=True)
        total += -np.mean(np.sum(yb * (lg - mx - np.log(s)), 1))
        d = (e / s - yb) / BS
        dW2, db2 = h.T @ d, d.sum(0)
        dh = d @ W2.T * (z1 > 0)
        dW1, db1 = xb.T @ dh, dh.sum(0)
        W1, b1, W2, b2 = W1 - LR * dW1, b1 - LR * db1, W2 - LR * dW2, b2 - LR * db2
    return total / (M // BS)


def main():
    r = {"numpy_version": np.__version__}
    rows = np.arange(100000)[:, None] * 0.37 + np.arange(10)[None, :] * 1.1
    z64 = np.sin(rows) * 3
    z32 = z64.astype(np.float32)
    small64, small32 = z64[:256].copy(), z32[:256].copy()
    r["softmax_big"] = {"f64": median_ms(lambda: softmax_np(z64)), "f32": median_ms(lambda: softmax_np(z32))}
    n_small = 1000
    r["softmax_small_ms"] = {k: median_ms(lambda: [softmax_np(z) for _ in range(n_small)]) / n_small
                             for k, z in (("f64", small64), ("f32", small32))}

    nf, ms = 1000, 100000
    Xl = ((np.arange(nf * ms) * 7 % 1001) * 1e-3 - 0.5).reshape(nf, ms)
    Yl = (np.arange(ms) % 3 == 0).astype(np.float64).reshape(1, ms)
    wl = ((np.arange(nf) % 17) * 1e-3).reshape(nf, 1)

    def step():
        A = 1 / (1 + np.exp(-(wl.T @ Xl + 0.1)))
        dz = A - Yl
        return Xl @ dz.T / ms, np.sum(dz) / ms

    r["logistic"] = {"numpy": median_ms(step, reps=5)}

    X, Y, p0 = mlp_data()
    r["mlp_epoch"] = {"numpy": median_ms(lambda: np_epoch(X, Y, p0), reps=5), "numpy_loss": float(np_epoch(X, Y, p0))}

    try:
        os.environ.setdefault("JAX_PLATFORMS", "cpu")
        import jax
        import jax.numpy as jnp
        jax.config.update("jax_enable_x64", True)
    except ImportError:
        jax = None
    if jax is not None:
        r["jax_version"] = jax.__version__
        block = jax.block_until_ready
        zj = jnp.asarray(z64)
        sm = jax.jit(lambda z: jax.nn.softmax(z, axis=1))
        r["softmax_big"]["jax_f64"] = median_ms(lambda: sm(zj), block=block)
        Xj, Wj, Yj = jnp.asarray(Xl), jnp.asarray(wl), jnp.asarray(Yl)

        def lr_loss(w, b):
            A = jax.nn.sigmoid(w.T @ Xj + b)
            return -jnp.mean(Yj * jnp.log(A) + (1 - Yj) * jnp.log(1 - A))
        lr_step = jax.jit(jax.value_and_grad(lr_loss, argnums=(0, 1)))
        r["logistic"]["jax_grad"] = median_ms(lambda: lr_step(Wj, 0.1), reps=5, block=block)
        del Xj

        def loss(p, xb, yb):
            W1, b1, W2, b2 = p
            h = jax.nn.relu(xb @ W1 + b1)
            return -jnp.mean(jnp.sum(yb * jax.nn.log_softmax(h @ W2 + b2, axis=1), 1))

        @jax.jit
        def step_j(p, xb, yb):
            val, g = jax.value_and_grad(loss)(p, xb, yb)
            return val, jax.tree_util.tree_map(lambda a, b: a - LR * b, p, g)

        pj = tuple(jnp.asarray(a) for a in p0)
        xbs = [jnp.asarray(X[i * BS:(i + 1) * BS]) for i in range(M // BS)]
        ybs = [jnp.asarray(Y[i * BS:(i + 1) * BS]) for i in range(M // BS)]

        def epoch_steps():
            p, tot = pj, 0.0
            for xb, yb in zip(xbs, ybs):
                val, p = step_j(p, xb, yb)
                tot += val
            return tot / (M // BS)

        Xb = jnp.asarray(X[:M // BS * BS].reshape(M // BS, BS, NIN))
        Yb = jnp.asarray(Y[:M // BS * BS].reshape(M // BS, BS, NCLS))

        @jax.jit
        def epoch_scan(p, Xb, Yb):
            def body(p, xy):
                val, g = jax.value_and_grad(loss)(p, xy[0], xy[1])
                return jax.tree_util.tree_map(lambda a, b: a - LR * b, p, g), val
            p, vals = jax.lax.scan(body, p, (Xb, Yb))
            return vals.mean()

        r["mlp_epoch"]["jax_steps"] = median_ms(epoch_steps, reps=5, block=block)
        r["mlp_epoch"]["jax_scan"] = median_ms(lambda: epoch_scan(pj, Xb, Yb), reps=5, block=block)
        r["mlp_epoch"]["jax_loss"] = float(epoch_scan(pj, Xb, Yb))
    with open(sys.argv[1], "w") as f:
        json.dump(r, f, indent=1)


if __name__ == "__main__":
    main()
