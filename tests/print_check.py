"""print_check.py — kiln prints arrays exactly as NumPy prints them.

Saves a table of arrays with NumPy (every dtype; 0-d to 4-d; tiny, huge and mixed magnitudes;
nan, inf and -0.0; values that need 1 to 17 digits; float32 values such as 0.1; long rows that
wrap; arrays over 1000 elements, which NumPy summarizes; empty arrays; integer extremes), has
the kiln program print each one as a bare expression, load("case.npy"), and compares every
line with NumPy's repr: repr(a) for arrays, and for a 0-d file the repr of the NumPy scalar
(np.float64(0.5)), as kiln's 0-d results are NumPy scalars.  A marker array printed between
cases keeps a wrong line count in one case from spilling into the next.

    python print_check.py path/to/kiln           repr, through bare expressions
    python print_check.py path/to/kiln --str     str, through print(load("case.npy"))
                                                 (exit 77, "skipped", without NumPy)
"""
import os
import subprocess
import sys
import tempfile

try:
    import numpy as np
except ImportError:
    print("print_check: skipped (NumPy is not installed)")
    sys.exit(77)

f32, f64, i32, i64 = np.float32, np.float64, np.int32, np.int64


def cases():
    """(name, array) pairs: the table kiln's printing must match."""
    rng = np.random.default_rng(20250601)
    t = []

    def add(name, a):
        t.append((name, np.asarray(a)))

    # 0-d: NumPy scalars, shortest round-trip digits, Python's float repr rules
    for v in [0.5, 0.1, 1 / 3, -2.5, 0.0, -0.0, np.nan, np.inf, -np.inf, 1e16, 1e-5, 1e-4,
              123456789012345.0, 9999999999999998.0, 1e22, 5e-324, 1.7976931348623157e308,
              0.1 + 0.2, 2.0**-1022, 1e-310, 12345.678, 1e15 + 0.5]:
        add(f"float64 scalar {v!r}", f64(v))
    for v in [0.1, 1 / 3, 16777216.0, 1e-4, 3.4028235e38, 99999992.0, 9.99e15, 1e16, -0.0, np.nan,
              -np.inf, 1e-45, 2.5]:
        add(f"float32 scalar {v!r}", f32(v))
    for v in [3, -5, 0, np.iinfo(i64).min, np.iinfo(i64).max]:
        add(f"int64 scalar {v}", i64(v))
    for v in [-2, np.iinfo(i32).min, np.iinfo(i32).max]:
        add(f"int32 scalar {v}", i32(v))
    add("bool scalar True", np.True_)
    add("bool scalar False", np.False_)

    # float64 rows: precision 8, 'maxprec' padding, positional against scientific
    add("8 digits after the point", [0.22448979591836735])
    add("linspace(0, 1, 50): wraps", np.linspace(0, 1, 50))
    add("1. and 2.5 padded right", [1.0, 2.5])
    add("halves and quarters", [0.5, 0.25])
    add("sevenths", np.arange(10.0) / 7)
    add("1 to 8 digits", [1.2, 1.23, 1.234, 1.2345, 1.23456, 1.234567, 1.2345678, 1.23456789])
    add("17 significant digits, cut at 8 places", [0.30000000000000004, 12345678.123456789])
    add("tiny value: scientific", [1e-5, 1.0])
    add("1e8: scientific", [1e8])
    add("just under 1e8 alone", [99999999.0])
    add("1e7 and 1", [1e7, 1.0])
    add("ratio 1e6: scientific", [1e-3, 1.0, 1e3])
    add("ratio exactly 1000: positional", [1.0, 1000.0])
    add("ratio just over 1000", [1.0, 1000.5])
    add("1e-4 and 0.1", [1e-4, 0.1])
    add("nan and a number", [np.nan, 1.5])
    add("nan, -inf, a number", [np.nan, -np.inf, 1.5])
    add("only nan and inf", [np.nan, np.inf])
    add("-inf alone", [-np.inf])
    add("nan in scientific", [np.nan, 1e-7, 2.5e10])
    add("negative zero", [-0.0, 1.5])
    add("only -0.0", [-0.0])
    add("zeros", np.zeros(4))
    add("negatives", [-1.5, 2.0, -3.25])
    add("three-digit exponents", [1e300, -1e-300, 1.0])
    add("1e100 and 1e-100", [1e100, 1e-100])
    add("subnormal", [5e-324, 1.0])
    add("huge and tiny mixed", [1.7976931348623157e308, 2.2250738585072014e-308, -1.0])
    add("uniform random", rng.uniform(-1, 1, 7))
    add("normal * 1e5: scientific", rng.normal(0, 1e5, 6))
    add("round up to the next decade", [9.9999999999, 0.5])
    add("integers as floats", np.arange(12.0))
    add("one long row", np.arange(30.0) * 1.1)
    add("random row of 40: wraps", rng.random(40))
    add("scientific row wraps", rng.random(20) * 1e-6)
    add("ties rounded to even", [0.001953125, 0.5])

    # float64 in more dimensions
    add("2-d random", rng.random((3, 4)))
    add("eye(3)", np.eye(3))
    add("2x2", [[1.0, 2.0], [3.0, 4.0]])
    add("2-d rows that wrap", rng.normal(size=(5, 12)))
    add("3-d", np.arange(24.0).reshape(2, 3, 4) / 4)
    add("4-d", np.arange(120.0).reshape(2, 3, 4, 5) - 60)
    add("fortran order", np.asfortranarray(np.arange(6.0).reshape(2, 3) / 3))
    add("a column", np.arange(4.0).reshape(4, 1))
    add("shape (1, 1, 1)", np.full((1, 1, 1), 2.5))

    # summarized (over 1000 elements)
    add("arange(2000.)", np.arange(2000.0))
    add("1001 random", rng.random(1001))
    add("50x50 random", rng.random((50, 50)))
    add("2x1000 float32", np.arange(2000.0).reshape(2, 1000).astype(f32))
    add("10x10x20 int64", np.arange(2000).reshape(10, 10, 20))
    add("1001 bools", np.arange(1001) % 3 == 0)
    add("3x400 int32", np.arange(1200, dtype=i32).reshape(3, 400) - 600)
    add("4-d summarized", rng.normal(size=(10, 10, 10, 2)))
    add("1001 with nan", np.where(np.arange(1001) == 1, np.nan, np.arange(1001) * 0.5))
    add("summarized, middle ignored", np.concatenate([[1.0, 2, 3], np.full(1000, 1e-9), [4.0, 5, 6]]))
    add("long summarized rows", rng.normal(size=(4, 1000)) * 1e6)
    add("1001 float32 scientific", (np.arange(1001) * 1e-5).astype(f32))

    # empty arrays
    add("empty float64", np.zeros(0))
    add("empty (2, 0)", np.zeros((2, 0)))
    add("empty (0, 3)", np.zeros((0, 3)))
    add("empty float32", np.zeros(0, f32))
    add("empty int32", np.zeros(0, i32))
    add("empty int64 (2, 0, 2)", np.zeros((2, 0, 2), i64))
    add("empty bool (0, 3, 0)", np.zeros((0, 3, 0), bool))

    # float32: its own shortest digits, and comparisons in float32
    add("float32 0.1 0.2", np.array([0.1, 0.2], f32))
    add("float32 linspace", np.linspace(0, 1, 9).astype(f32))
    add("float32 99999992: every integer digit", np.array([99999992.0], f32))
    add("float32 99999992 and 1.5", np.array([99999992.0, 1.5], f32))
    add("float32 1e-4 and 0.05", np.array([1e-4, 0.05], f32))
    add("float32 ratio 1000.00006", np.array([1.0, 1000.00006], f32))
    add("float32 0.1 in scientific", np.array([0.1, 1.2345678e-5], f32))
    add("float32 random 5x5", rng.random((5, 5)).astype(f32))
    add("float32 nan inf", np.array([np.nan, -np.inf, 0.25], f32))
    add("float32 thirds", (np.arange(1, 8) / 3).astype(f32))
    add("float32 large", np.array([3.4028235e38, 1.0], f32))

    # integers
    add("int64 small", [1, 2, 3])
    add("int64 widths", [-1, 100])
    add("int64 extremes", [np.iinfo(i64).min, np.iinfo(i64).max])
    add("arange(30): wraps", np.arange(30))
    add("arange(100) * 1001", np.arange(100) * 1001)
    add("int64 2-d negatives", np.arange(-6, 6).reshape(3, 4))
    add("int32 row", np.array([5, -7, 12], i32))
    add("int32 extremes", np.array([np.iinfo(i32).min, np.iinfo(i32).max], i32))
    add("int32 3-d", np.arange(24, dtype=i32).reshape(2, 3, 4))
    add("int32 wrapping row", np.arange(0, 40000, 1000, dtype=i32))

    # bools
    add("bools", [True, False])
    add("one True", [True])
    add("one False", [False])
    add("2-d bools", np.eye(3, dtype=bool))
    add("row of bools: wraps", np.arange(20) % 2 == 0)
    return t


MARKER = np.array([-987654321])  # printed between cases: a format too plain to get wrong


def expected(a, mode):
    """What NumPy prints for a: repr or str, a 0-d array as its NumPy scalar."""
    v = a[()] if a.ndim == 0 else a
    return repr(v) if mode == "repr" else str(v)


def statement(path, mode):
    """The kiln statement that prints the file's array in this mode."""
    return f'load("{path}")' if mode == "repr" else f'print(load("{path}"))'


def run_kiln(kiln, lines, d):
    """Runs the statements as one kiln script; returns (status, stdout, stderr)."""
    script = os.path.join(d, "print_check.kiln")
    with open(script, "w") as f:
        f.write("\n".join(lines) + "\n")
    r = subprocess.run([kiln, script], capture_output=True, text=True)
    return r.returncode, r.stdout, r.stderr


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 1:
        print("usage: print_check.py path/to/kiln [--str]")
        return 2
    mode = "str" if "--str" in sys.argv[1:] else "repr"
    table = cases()
    failures = 0
    with tempfile.TemporaryDirectory() as d:
        marker_path = os.path.join(d, "marker.npy")
        np.save(marker_path, MARKER)
        lines = []
        for n, (_, a) in enumerate(table):
            path = os.path.join(d, f"c{n}.npy")
            np.save(path, a)
            lines += [statement(path, mode), statement(marker_path, mode)]
        rc, out, err = run_kiln(args[0], lines, d)
        if rc != 0:
            print("kiln failed:", err)
            return 1
        marker = expected(MARKER, mode)
        got, cur = [], []
        for line in out.split("\n"):
            if line == marker:
                got.append("\n".join(cur))
                cur = []
            else:
                cur.append(line)
        for n, (name, a) in enumerate(table):
            want = expected(a, mode)
            have = got[n] if n < len(got) else "(nothing printed)"
            if have == want:
                print(f"ok: {name}")
            else:
                failures += 1
                print(f"FAILED: {name}\n--- NumPy:\n{want}\n--- kiln:\n{have}")
    print(f"{len(table) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
