"""make_data.py — writes the data sets the example programs (examples/*.kiln) load.

    python examples/make_data.py [DIR]        (DIR: where to write the .npy files; default ".")

then run an example from that directory, e.g. `cd DIR && kiln /path/to/examples/mlp.kiln`.
Everything is drawn from NumPy's generator with a fixed seed, so the files are the same on every
run (tests/examples_check.py uses them too, and runs each example with NumPy as well).

    perceptron_X.npy  (100, 2)   float64  points in the plane
    perceptron_y.npy  (100,)     float64  +1 or -1: which side of a line (with a margin)
    lr_X.npy          (512, 20)  float64  features
    lr_y.npy          (512,)     float64  0 or 1: a noisy linear rule
    mlp_X.npy         (1024, 32) float64  training samples: 10 Gaussian clusters
    mlp_y.npy         (1024,)    int64    their class, 0..9
    mlp_X_test.npy    (256, 32)  float64  held-out samples from the same clusters
    mlp_y_test.npy    (256,)     int64
    mlp_W1.npy        (32, 64)   float64  the MLP's initial weights (He initialization)
    mlp_W2.npy        (64, 10)   float64
"""
import os
import sys

import numpy as np


def perceptron(rng):
    """100 points in [0, 5)^2, labelled by the line 1.5*x0 - 2*x1 + 3 = 0, none closer to it than 0.1."""
    w_true, b_true = np.array([1.5, -2.0]), 3.0
    points = []
    while len(points) < 100:
        p = rng.uniform(0, 5, size=2)
        if abs(p @ w_true + b_true) / np.linalg.norm(w_true) >= 0.1:
            points.append(p)
    X = np.array(points)
    y = np.where(X @ w_true + b_true > 0, 1.0, -1.0)
    return {"perceptron_X": X, "perceptron_y": y}


def logistic_regression(rng):
    """512 samples of 20 features; the label is 1 where a hidden linear score plus noise is > 0."""
    X = rng.normal(size=(512, 20))
    w_true = rng.normal(size=20)
    y = (X @ w_true + 0.3 + rng.normal(scale=2.0, size=512) > 0).astype(np.float64)
    return {"lr_X": X, "lr_y": y}


def mlp(rng):
    """10 classes, each a Gaussian cluster in 32 dimensions; He-initialized weights 32 -> 64 -> 10."""
    centers = rng.normal(scale=0.6, size=(10, 32))
    out = {}
    for suffix, n in [("", 1024), ("_test", 256)]:
        labels = rng.integers(0, 10, size=n)
        out["mlp_X" + suffix] = centers[labels] + rng.normal(size=(n, 32))
        out["mlp_y" + suffix] = labels.astype(np.int64)
    out["mlp_W1"] = rng.normal(scale=np.sqrt(2 / 32), size=(32, 64))
    out["mlp_W2"] = rng.normal(scale=np.sqrt(2 / 64), size=(64, 10))
    return out


def write_all(directory):
    """Writes every data set into directory (created if missing); returns the file names."""
    os.makedirs(directory, exist_ok=True)
    arrays = {}
    for seed, make in [(3, perceptron), (4, logistic_regression), (5, mlp)]:  # one generator each
        arrays.update(make(np.random.default_rng(seed)))
    for name, a in arrays.items():
        np.save(os.path.join(directory, name + ".npy"), a)
    return sorted(name + ".npy" for name in arrays)


if __name__ == "__main__":
    target = sys.argv[1] if len(sys.argv) > 1 else "."
    for f in write_all(target):
        print(os.path.join(target, f))
