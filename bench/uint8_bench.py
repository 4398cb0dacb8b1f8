"""uint8_bench.py — image-style uint8 work: kiln.evaluate against NumPy and Numba (parallel
loops) on a 4096 × 4096 uint8 image, outputs reused, and against the memory-bandwidth floor (a
copy of the same bytes).  The median time of a call (ms), each engine's ratio to kiln's (above 1:
kiln is faster), and kiln's bytes moved per second.  numexpr has no uint8: it is not in the table.

    python bench/uint8_bench.py        (prints Markdown)
"""
import time

import numpy as np
import numba
from numba import njit, prange

import kiln
from sweep_anchors import THREADS, us_per_call

H = W = 4096


@njit(parallel=True)
def nb_scale(x, o):
    for i in prange(x.shape[0]):
        for j in range(x.shape[1]):
            o[i, j] = x[i, j] * 2 + 10


@njit(parallel=True)
def nb_avg(x, y, o):
    for i in prange(x.shape[0]):
        for j in range(x.shape[1]):
            o[i, j] = (x[i, j] >> 1) + (y[i, j] >> 1)


@njit(parallel=True)
def nb_thresh(x, o):
    for i in prange(x.shape[0]):
        for j in range(x.shape[1]):
            o[i, j] = x[i, j] - 128 if x[i, j] > 128 else 0


@njit(parallel=True)
def nb_norm(x, o):
    for i in prange(x.shape[0]):
        for j in range(x.shape[1]):
            o[i, j] = np.float32(x[i, j]) / np.float32(255)


@njit(parallel=True)
def nb_sum(x):
    s = 0
    for i in prange(x.shape[0]):
        for j in range(x.shape[1]):
            s += np.int64(x[i, j])
    return s


@njit(parallel=True)
def nb_max(x):
    m = 0
    for i in prange(x.shape[0]):
        r = 0
        for j in range(x.shape[1]):
            r = max(r, x[i, j])
        m = max(m, r)
    return m


def main():
    rng = np.random.default_rng(0)
    img = rng.integers(0, 256, (H, W)).astype(np.uint8)
    img2 = np.ascontiguousarray(img[::-1])
    o8, of = np.empty_like(img), np.empty((H, W), np.float32)
    env = {"img": img, "img2": img2}
    mb = img.nbytes
    # (kiln's text, its output, NumPy's call, Numba's call, bytes read and written)
    cases = [
        ("img * 2 + 10", o8, lambda: np.add(np.multiply(img, 2, out=o8), 10, out=o8), lambda: nb_scale(img, o8), 2 * mb),
        ("(img >> 1) + (img2 >> 1)", o8, lambda: np.add(np.right_shift(img, 1), np.right_shift(img2, 1), out=o8),
         lambda: nb_avg(img, img2, o8), 3 * mb),
        ("where(img > 128, img - 128, 0)", o8, lambda: np.where(img > 128, img - 128, np.uint8(0)), lambda: nb_thresh(img, o8), 2 * mb),
        ("img.astype(float32) / 255", of, lambda: np.divide(img, np.float32(255), out=of, dtype=np.float32), lambda: nb_norm(img, of),
         5 * mb),
        ("sum(img)", None, lambda: img.sum(), lambda: nb_sum(img), mb),
        ("max(img)", None, lambda: img.max(), lambda: nb_max(img), mb),
        ("argmax(img)", None, lambda: img.argmax(), None, mb),
    ]
    copy_us = us_per_call(lambda: np.copyto(o8, img))
    print(f"uint8 image {H} × {W} ({mb >> 20} MiB), {THREADS} threads; NumPy {np.__version__}, Numba {numba.__version__} "
          f"(parallel loops). A copy of the image: {copy_us / 1e3:.2f} ms ({2 * mb / copy_us / 1e3:.1f} GB/s).\n")
    table(cases, env)


def table(cases, env):
    """One row a case (kiln's text, its output, NumPy's call, Numba's call or None, bytes moved): the
    median times, the ratios to kiln's, kiln's bytes a second and whether the values agree."""
    print("| case | kiln ms | kiln GB/s | NumPy ms | NumPy / kiln | Numba ms | Numba / kiln | same values |")
    print("|---|---|---|---|---|---|---|---|")
    for text, out, np_fn, nb_fn, nbytes in cases:
        k_fn = (lambda t=text, o=out: kiln.evaluate(t, env, {}, out=o))
        got, want = np.asarray(k_fn()).copy(), np.asarray(np_fn()).copy()
        if nb_fn:
            nb_fn()  # (compiles)
        warm = time.perf_counter() + 0.3  # kiln's first calls run interpreted while it compiles in the background
        while time.perf_counter() < warm:
            k_fn()
        k, n = us_per_call(k_fn), us_per_call(np_fn)
        b = us_per_call(nb_fn) if nb_fn else None
        same = np.array_equal(got.astype(np.float64), want.astype(np.float64))
        nb_cells = f"{b / 1e3:.2f} | {b / k:.2f}" if b else "— | —"
        print(f"| `{text}` | {k / 1e3:.2f} | {nbytes / k / 1e3:.1f} | {n / 1e3:.2f} | {n / k:.2f} | {nb_cells} | {same} |")


if __name__ == "__main__":
    main()
