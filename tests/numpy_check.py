"""numpy_check.py — kiln against NumPy itself.

Writes input arrays with NumPy (float64 and float32 with NaN, infinities and signed zeros,
int64, int32, bool, a 2-D array, a Fortran-ordered one, a big-endian one), has the kiln program
evaluate each expression string and save the result, then evaluates the very same string with
NumPy and compares dtype, shape and values: bit for bit for exactly rounded operations, within a
few ulp where libmvec computes a transcendental function.

    python numpy_check.py path/to/kiln        (exit 77, "skipped", without NumPy)
"""
import os
import subprocess
import sys
import tempfile

try:
    import numpy as np
except ImportError:
    print("numpy_check: skipped (NumPy is not installed)")
    sys.exit(77)

# (expression, ulps allowed): 0 means bit for bit (any NaN matches any NaN).
CASES = [
    ("a*b + a", 0), ("a/b", 0), ("a//b", 0), ("a%b", 0), ("a - b*2.5", 0),
    ("i//j", 0), ("i%j", 0), ("i*j - k", 0), ("k*2", 0), ("k + 1.5", 0), ("k + 1", 0),
    ("f*2.5", 0), ("f + a", 0), ("f/3", 0), ("i/j", 0), ("m + m", 0), ("m*True", 0),
    ("where(m, a, i)", 0), ("where(a > 0, f, k)", 0), ("maximum(a, b)", 0), ("minimum(f, a)", 0),
    ("abs(i) + sign(a)", 0), ("floor(a) + ceil(b)", 0), ("floor(k)", 0), ("sqrt(abs(a))", 0),
    ("(a > b) & m", 0), ("~m | (i > 0)", 0), ("i & j ^ k", 0), ("-i", 0), ("~i", 0), ("-a", 0),
    ("int32(a)", 0), ("int64(f)", 0), ("float32(i)", 0), ("bool_(a)", 0), ("a.astype(bool)", 0), ("float64(k) / 7", 0),
    ("a**2", 0), ("a**0.5", 0), ("a**-1", 0), ("i**2", 0), ("i**abs(j)", 0), ("k**3", 0),
    ("M.T * 2", 0), ("M * v4 + 1", 0), ("(M + v4).T", 0), ("F + 1", 0), ("B * 2", 0),
    ("arange(7) * 2.5", 0), ("linspace(0, 1, 7) - 0.25", 0), ("-2**2 + a", 0), ("2**-1 * a", 0),
    ("a == b", 0), ("a != b", 0), ("i <= j", 0), ("f >= a", 0),
    ("sin(a)*sin(a)", 9), ("exp(f)", 4), ("arctan2(a, b)", 4), ("tanh(a)", 4), ("cosh(a/10)", 4), ("cosh(f/10)", 4),
    ("log1p(abs(b))", 4), ("log(abs(a)) + log2(abs(b)) - log10(abs(a))", 12), ("expm1(f)", 4),
    ("arcsin(a/100) + arccos(b/100)", 8), ("arctan(a) * sinh(f/10)", 8), ("tan(f)", 4),
    ("arcsinh(a) + arccosh(abs(b) + 1) + arctanh(a/1000)", 12), ("cos(f)", 4), ("a**b", 4),
    # reductions (sums of integer-valued floats are exact in any order)
    ("sum(i)", 0), ("sum(k)", 0), ("sum(m)", 0), ("prod(k % 3 + 1)", 0), ("max(a)", 0), ("min(b)", 0),
    ("argmax(a)", 0), ("argmin(b)", 0), ("argmax(k)", 0), ("argmin(m)", 0), ("any(m)", 0), ("all(m)", 0),
    ("mean(k)", 0), ("sum(N)", 0), ("sum(N, 0)", 0), ("sum(N, axis=1, keepdims=True)", 0), ("max(M, 1)", 0),
    ("min(M, axis=0, keepdims=True)", 0), ("argmax(M, axis=0)", 0), ("argmin(M, 1)", 0), ("mean(N, 1)", 0),
    ("sum(F)", 8), ("mean(M)", 8), ("prod(N + 6, 0)", 0), ("any(M > 0.9, 1)", 0), ("all(M > -0.9, 0)", 0),
    ("sum(a * 0 + 1)", 0), ("sum(f > 0)", 0), ("mean(f)", 8),
    ("exp(M - max(M, 1, keepdims=True)) / sum(exp(M - max(M, 1, keepdims=True)), 1, keepdims=True)", 8),
    # matrix products (integer-valued floats: exact whatever the summation order)
    ("N @ u", 0), ("u @ N.T", 0), ("N @ N.T", 0), ("N.T @ N + 1", 0), ("u @ u", 0), ("i @ j", 0),
    ("k @ k", 0), ("matmul(N, u) * 2", 0), ("N @ u + sum(N, 1)", 0), ("maximum(N @ N.T - 3, 0)", 0),
    # transposes of computed results, products of computed operands
    ("(N @ N.T).T", 0), ("sum(N, 1, keepdims=True).T * 2", 0), ("sum(N.T @ N, 0)", 0), ("max(N @ u)", 0),
    ("(N * 2) @ (u + 1)", 0), ("(N.T @ N).T + N.T @ N", 0), ("argmax(N @ u)", 0), ("mean(N.T, 0)", 0),
    ("u @ (N.T @ N)", 0), ("exp(M - max(M, 1, keepdims=True)).T", 8),
]

NUMPY_NAMES = {name: getattr(np, name) for name in [
    "add", "subtract", "multiply", "divide", "floor_divide", "remainder", "power", "maximum", "minimum",
    "arctan2", "where", "abs", "absolute", "sign", "floor", "ceil", "sqrt", "exp", "expm1", "log",
    "log1p", "log2", "log10", "sin", "cos", "tan", "arcsin", "arccos", "arctan", "sinh", "cosh",
    "tanh", "arcsinh", "arccosh", "arctanh", "arange", "linspace", "zeros", "ones",
    "sum", "prod", "mean", "max", "min", "argmax", "argmin", "any", "all", "matmul"]}
for t in ["float32", "float64", "int32", "int64"]:
    NUMPY_NAMES[t] = (lambda dt: lambda x: np.asarray(x).astype(dt))(getattr(np, t))
NUMPY_NAMES["bool_"] = lambda x: np.asarray(x).astype(np.bool_)


def inputs():
    rng = np.random.default_rng(7)
    n = 64
    special = np.array([0.0, -0.0, 1.0, -1.0, 0.5, -7.0, 7.0, np.nan, np.inf, -np.inf, 1e300, -3.5])
    a = rng.uniform(-10, 10, n)
    a[:len(special)] = special
    b = rng.uniform(-10, 10, n)
    b[:len(special)] = special[::-1]
    i = rng.integers(-20, 20, n)
    i[:4] = [0, -1, np.iinfo(np.int64).min, 7]
    j = rng.integers(-5, 5, n)
    j[:4] = [0, -1, -1, 0]
    return {
        "a": a, "b": b, "f": np.clip(a, -1e30, 1e30).astype(np.float32), "i": i, "j": j,
        "k": rng.integers(-100, 100, n).astype(np.int32), "m": rng.integers(0, 2, n).astype(bool),
        "M": rng.uniform(-1, 1, (3, 4)), "v4": rng.uniform(-1, 1, 4),
        "N": rng.integers(-5, 5, (6, 4)).astype(np.float64), "u": rng.integers(-5, 5, 4).astype(np.float64),
        "F": np.asfortranarray(rng.uniform(-1, 1, (3, 5))),
        "B": rng.uniform(-1, 1, 9).astype(">f8"),
    }


def ulps(x, y):
    """Largest distance in ulps between two float arrays (NaNs matching NaNs count 0)."""
    x = np.atleast_1d(np.asarray(x))
    y = np.atleast_1d(np.asarray(y))
    both_nan = np.isnan(x) & np.isnan(y)
    ity = np.int32 if x.dtype == np.float32 else np.int64
    xi = x.view(ity).astype(np.int64)
    yi = y.view(ity).astype(np.int64)
    lo = np.iinfo(ity).min
    xi = np.where(xi < 0, lo - xi - 1, xi)  # order floats as integers; -0 one below +0
    yi = np.where(yi < 0, lo - yi - 1, yi)
    d = np.abs(xi - yi)
    d[both_nan] = 0
    d[(x == y) & ~both_nan & (np.signbit(x) == np.signbit(y))] = 0
    return int(d.max()) if d.size else 0


def main():
    kiln = sys.argv[1]
    failures = 0
    with tempfile.TemporaryDirectory() as d:
        env = inputs()
        prog = []
        for name, arr in env.items():
            np.save(os.path.join(d, name + ".npy"), arr)
            prog.append(f'{name} = load("{d}/{name}.npy")')
        for n, (expr, _) in enumerate(CASES):
            prog.append(f'save("{d}/r{n}.npy", {expr})')
        r = subprocess.run([kiln, "-c", "\n".join(prog)], capture_output=True, text=True)
        if r.returncode != 0:
            print("kiln failed:", r.stderr)
            return 1
        with np.errstate(all="ignore"):
            for n, (expr, tol) in enumerate(CASES):
                want = np.asarray(eval(expr, dict(NUMPY_NAMES), dict(env)))
                got = np.load(os.path.join(d, f"r{n}.npy"))
                problem = None
                if got.dtype != want.dtype:
                    problem = f"dtype {got.dtype}, NumPy {want.dtype}"
                elif got.shape != want.shape:
                    problem = f"shape {got.shape}, NumPy {want.shape}"
                elif want.dtype.kind == "f":
                    u = ulps(got, want)
                    if u > tol:
                        problem = f"{u} ulps apart (allowed {tol})"
                elif not np.array_equal(got, want):
                    problem = f"values differ at {np.argwhere(got != want)[:3].tolist()}"
                print(("FAILED: " if problem else "ok: ") + expr + (f" — {problem}" if problem else ""))
                failures += problem is not None
    print(f"{len(CASES) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
