"""Shared by the Python examples: the best time of repeated runs, and the side-by-side line."""
import time


def best_ms(fn, reps=7):
    fn()
    best = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best * 1e3


def timed(fn):
    """fn's result and the seconds it took (one run: a whole training loop)."""
    t0 = time.perf_counter()
    r = fn()
    return r, time.perf_counter() - t0


def report(name, t_kiln, t_numpy):
    print(f"{name}: kiln {t_kiln:.3f} ms, NumPy {t_numpy:.3f} ms ({t_numpy / t_kiln:.1f}x)")
