"""int16_bench.py — 16-bit work (int16 audio samples, a uint16 image): kiln.evaluate against
NumPy and Numba (parallel loops), outputs reused, with the memory-bandwidth floor (a copy of the
same bytes).  The median time of a call (ms), each engine's ratio to kiln's (above 1: kiln is
faster), and kiln's bytes moved per second.  numexpr has no 16-bit integers: it is not in the table.

    python bench/int16_bench.py        (prints Markdown)
"""
import numpy as np
import numba
from numba import njit, prange

import kiln
from sweep_anchors import THREADS, us_per_call
from uint8_bench import table

N = 1 << 24  # samples (32 MiB of int16)
H = W = 4096  # the uint16 image


@njit(parallel=True)
def nb_mix(x, y, o):
    for i in prange(x.size):
        o[i] = (x[i] >> 1) + (y[i] >> 1)


@njit(parallel=True)
def nb_gain(x, o):
    for i in prange(x.size):
        v = np.float32(x[i]) * np.float32(1.5)
        o[i] = np.int16(min(max(v, np.float32(-32768)), np.float32(32767)))


@njit(parallel=True)
def nb_tofloat(x, o):
    for i in prange(x.size):
        o[i] = np.float32(x[i]) / np.float32(32768)


@njit(parallel=True)
def nb_sum(x):
    s = 0
    for i in prange(x.size):
        s += np.int64(x[i])
    return s


@njit(parallel=True)
def nb_peak(x):
    m = 0
    for i in prange(x.size):
        m = max(m, abs(np.int32(x[i])))
    return m


@njit(parallel=True)
def nb_to8(x, o):
    for i in prange(x.shape[0]):
        for j in range(x.shape[1]):
            o[i, j] = np.uint8(x[i, j] >> 8)


def main():
    rng = np.random.default_rng(0)
    a = rng.integers(-32768, 32768, N).astype(np.int16)
    b = np.ascontiguousarray(a[::-1])
    img = rng.integers(0, 65536, (H, W)).astype(np.uint16)
    o16, of, o8 = np.empty_like(a), np.empty(N, np.float32), np.empty((H, W), np.uint8)
    env = {"a": a, "b": b, "img": img}
    mb = a.nbytes
    # (kiln's text, its output, NumPy's call, Numba's call, bytes read and written)
    cases = [
        ("(a >> 1) + (b >> 1)", o16, lambda: np.add(np.right_shift(a, 1), np.right_shift(b, 1), out=o16), lambda: nb_mix(a, b, o16), 3 * mb),
        ("clip(a.astype(float32) * 1.5, -32768, 32767).astype(int16)", o16,
         lambda: np.clip(a * np.float32(1.5), -32768, 32767).astype(np.int16), lambda: nb_gain(a, o16), 2 * mb),
        ("a.astype(float32) / 32768", of, lambda: np.divide(a, np.float32(32768), out=of, dtype=np.float32), lambda: nb_tofloat(a, of),
         3 * mb),
        ("sum(a)", None, lambda: a.sum(), lambda: nb_sum(a), mb),
        ("max(abs(a.astype(int32)))", None, lambda: np.abs(a.astype(np.int32)).max(), lambda: nb_peak(a), mb),
        ("(img >> 8).astype(uint8)", o8, lambda: np.right_shift(img, 8).astype(np.uint8), lambda: nb_to8(img, o8), img.nbytes * 3 // 2),
    ]
    copy_us = us_per_call(lambda: np.copyto(o16, a))
    print(f"int16 samples: {N} ({mb >> 20} MiB); a uint16 image {H} × {W}; {THREADS} threads; NumPy {np.__version__}, "
          f"Numba {numba.__version__} (parallel loops). A copy of the samples: {copy_us / 1e3:.2f} ms "
          f"({2 * mb / copy_us / 1e3:.1f} GB/s).\n")
    table(cases, env)


if __name__ == "__main__":
    main()
