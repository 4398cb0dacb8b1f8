"""kiln for Python: whole array expressions compiled by kiln's JIT, on NumPy's buffers.

    import numpy as np, kiln
    a = np.arange(1e6); b = np.ones(10**6)
    r = kiln.evaluate("sin(a)*sin(a) + 2*b")     # names from the caller's frame, as numexpr
    kiln.evaluate("a*b + 1", out=a)               # written in place, a is returned
    np.asarray(r)                                 # kiln.Array -> ndarray, no copy

An expression is parsed once for its operands' dtypes and shapes; later calls bind the new
buffers (no copy) and launch the compiled kernel.  The language is the `kiln` program's:
NumPy's functions and names, reductions with axes, `@`, slicing, `x.T`.  Kernels run with the
GIL released.

Lazy arrays build the same expressions with NumPy's operators and functions:

    x = kiln.asarray(a)                       # no copy
    y = kiln.sum(kiln.exp(-x) * x, axis=0)    # nothing computed yet
    np.asarray(y)                             # fused, compiled once, cached
"""
from ._kiln import Array, _cache_size, _clear_cache, evaluate, stats
from .lazy import Expr, asarray, eval_many, function

__all__ = ["Array", "Expr", "asarray", "eval_many", "evaluate", "stats", "clear_cache", "cache_size", "linalg"]


def __getattr__(name):
    """kiln.sin, kiln.sum, kiln.softmax...: every function of kiln's language, lazily."""
    if name.startswith("_"):
        raise AttributeError(name)
    return function(name)


class _Linalg:
    """kiln.linalg.solve, .inv, .svd...: np.linalg's functions of kiln's language, lazily (a tuple
    result, svd's or eigh's, is evaluated when unpacked)."""

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return function(f"np.linalg.{name}")  # (trace and diagonal are np.linalg's: over the last two axes)


linalg = _Linalg()


def clear_cache():
    """Forgets every parsed expression (compiled kernels stay in kiln's caches) and gives the
    freed buffers kiln keeps for the next call's sizes back to the system."""
    _clear_cache()


def cache_size():
    """How many parsed expressions evaluate() keeps."""
    return _cache_size()
