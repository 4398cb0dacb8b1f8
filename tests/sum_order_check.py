"""Float sums and means against NumPy bit for bit, over random layouts.

Usage: sum_order_check.py KILN [FIRST-LAST]   (the seeds; 1-3 by default)

Each seed makes 150 random arrays (1 to 4 dims, float32 or float64), views of them (a
transpose, slices with steps 2 and -1, cut ends), sometimes along a new dim and times an array
broadcast along the view's dims, sometimes a fused producer (v * 1.5 + v), and sums or averages
them over random axes.  (All of it is one kernel in kiln.  Where kiln computes a value into an
array of its own first, that array is C-ordered, where NumPy's would follow its operands'
memory order, and the sums that follow can walk dims in another order than NumPy's.)  kiln evaluates them all in one program (arrays
through .npy files); each result must be NumPy's bits: NumPy's iterator order of the dims, its
buffered inner loop over reduced dims that do not collapse, its chunks of 8192 and its pairwise
sum.  The arrays reach 60000 elements, so chunks cross rows.  Exits 77 (skipped) without NumPy.
"""
import os
import random
import subprocess
import sys
import tempfile
import warnings

try:
    import numpy as np
except ImportError:
    print("sum_order_check: no NumPy here, skipped")
    sys.exit(77)


def cases(seed, folder):
    """(name, NumPy expression, the array) for 150 cases, and the kiln program that saves them."""
    rng = np.random.default_rng(seed)
    pick = random.Random(seed)
    out, prog = [], []
    for t in range(150):
        nd = pick.choice([1, 2, 2, 3, 3, 4])
        shape = [pick.choice([1, 2, 3, 5, 7, 9, 17, 40, 130, 300]) for _ in range(nd)]
        while np.prod(shape) > 60000:
            shape[pick.randrange(nd)] = pick.choice([1, 2, 3, 5])
        base = rng.standard_normal(shape).astype(pick.choice([np.float32, np.float64]))
        name = "b%d" % t
        np.save(os.path.join(folder, name + ".npy"), base)
        e = "%s.transpose(%s)" % (name, ", ".join(map(str, pick.sample(range(nd), nd)))) if nd > 1 else name
        if pick.random() < 0.4:
            e += "[%s]" % ", ".join(pick.choice([":", "::2", "::-1", "1:", ":-1"]) for _ in range(nd))
        extra = None
        if pick.random() < 0.3:  # along a new dim, times an array broadcast along e's: a kept dim only it walks, between reduced ones
            at = pick.randrange(nd + 1)
            vshape = list(eval(e, {}, {name: base}).shape)
            wshape = [1 if pick.random() < 0.6 else v for v in vshape]
            wshape.insert(at, pick.choice([2, 3, 5]))
            extra = rng.standard_normal(wshape).astype(base.dtype)
            np.save(os.path.join(folder, "w%d.npy" % t), extra)
            prog.append("w%d = load('%s')" % (t, os.path.join(folder, "w%d.npy" % t)))
            e = "expand_dims(%s, %d)" % (e, at)
            nd += 1
        if pick.random() < 0.3:
            e = "(%s * 1.5 + %s)" % (e, e)
        if extra is not None:
            e = "(%s * w%d)" % (e, t)
        axes = tuple(sorted(pick.sample(range(nd), pick.randint(1, nd))))
        expr = "%s.%s(axis=%s)" % (e, pick.choice(["sum", "mean"]), axes)
        out.append((name, expr, base, extra))
        prog.append("%s = load('%s')" % (name, os.path.join(folder, name + ".npy")))
        prog.append("save('%s', %s)" % (os.path.join(folder, "o" + name + ".npy"), expr))
    return out, "\n".join(prog)


def main():
    warnings.simplefilter("ignore", RuntimeWarning)  # (NumPy's mean of an empty slice)
    kiln = sys.argv[1]
    first, last = (int(v) for v in (sys.argv[2] if len(sys.argv) > 2 else "1-3").split("-"))
    seeds = range(first, last + 1)
    bad = total = 0
    for seed in seeds:
        with tempfile.TemporaryDirectory() as folder:
            cs, prog = cases(seed, folder)
            run = subprocess.run([kiln, "-c", prog], capture_output=True, text=True)
            if run.returncode:
                print("seed %d: kiln failed: %s" % (seed, run.stderr[-2000:]))
                return 1
            with np.errstate(all="ignore"):
                for name, expr, base, extra in cs:
                    want = np.asarray(eval(expr, {"expand_dims": np.expand_dims}, {name: base, "w" + name[1:]: extra}))
                    got = np.load(os.path.join(folder, "o" + name + ".npy"))
                    total += 1
                    if want.shape != got.shape or want.dtype != got.dtype or \
                            np.ascontiguousarray(want).tobytes() != np.ascontiguousarray(got).tobytes():
                        bad += 1
                        print("FAILED (seed %d): %s over %s %s: kiln %r, NumPy %r" % (seed, expr, base.shape, base.dtype, got, want))
    print("%d passed, %d failed" % (total - bad, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
