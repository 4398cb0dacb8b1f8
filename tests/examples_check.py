"""examples_check.py — the example programs (examples/*.kiln) against NumPy running the same text.

Writes the examples' data with examples/make_data.py into a temporary directory, runs each
example there with the kiln program, then runs the very same program text as Python, with
NumPy's functions as its names (plus the few that are kiln's own: sigmoid, relu, softmax,
log_softmax, logsumexp, one_hot; load is np.load) — kiln's language is a subset of Python's —
and compares what the two printed: the same lines, the same text and integers, and every
number with a decimal point or an exponent within a relative 1e-9 (kiln orders a sum's
additions differently from NumPy's pairwise sums and from BLAS, so the last bits may differ).
Runs of spaces count as one, since an array's padding follows the widths of its numbers.
Each example runs on kiln's default tier and with KILN_TIER=jit.  A program that uses grad (which
NumPy has not) is compared with its twin that writes the gradients by hand, both run by kiln.

Then checks that the logistic regression's loop body is built once: run with KILN_LOG=compile
for 200 epochs and for 2 epochs (range(200) replaced by range(2)), the program makes as many
kernels either way.  A kernel made is a KILN_LOG line that names a kernel (kiln_<hash>) and says
it runs on the interpreter, was compiled now, or was loaded from the disk cache; a background
compile upgrades a kernel already made and is not counted.

    python tests/examples_check.py path/to/kiln       (exit 0: passed, 1: failed, 77: no NumPy)
"""
import contextlib
import io
import math
import os
import re
import subprocess
import sys
import tempfile

try:
    import numpy as np
except ImportError:
    print("examples_check: skipped (NumPy is not installed)")
    sys.exit(77)

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES = os.path.join(os.path.dirname(HERE), "examples")
sys.path.insert(0, EXAMPLES)
import make_data  # noqa: E402  (examples/make_data.py)

PROGRAMS = ["perceptron.kiln", "logistic_regression.kiln", "mlp.kiln", "dropout_sgd.kiln"]
# Programs NumPy cannot run (they use kiln's grad): each must print what its twin prints.
TWINS = [("mlp_grad.kiln", "mlp.kiln")]
REL_TOL = 1e-9
TIMEOUT = 120


# ------------------------------------------------------------------ the NumPy side

def logsumexp(a, axis=None, keepdims=False):
    """scipy.special.logsumexp: the max subtracted first."""
    m = np.max(a, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)
    r = np.log(np.sum(np.exp(a - m), axis=axis, keepdims=True)) + m
    return r if keepdims else np.squeeze(r, axis=axis)


def softmax(x, axis=None):
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(x, axis=None):
    return x - logsumexp(x, axis=axis, keepdims=True)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def relu(x):
    return np.maximum(x, 0)


def one_hot(labels, k, dtype=np.float64):
    return (np.asarray(labels)[..., None] == np.arange(k)).astype(dtype)


def numpy_names(directory):
    """The names a kiln program sees, as NumPy (and Python) define them."""
    ns = {name: getattr(np, name) for name in dir(np) if not name.startswith("_")}
    ns.pop("bool", None)  # kiln's bool() is Python's (a truth value); bool_ is NumPy's
    ns.update(sigmoid=sigmoid, expit=sigmoid, relu=relu, softmax=softmax, log_softmax=log_softmax,
              logsumexp=logsumexp, one_hot=one_hot, np=np, numpy=np,
              load=lambda path: np.load(os.path.join(directory, path)))
    return ns


def run_numpy(text, directory):
    """What the program prints when Python runs it with NumPy's names."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(text, "<example>", "exec"), numpy_names(directory))
    return out.getvalue()


# ------------------------------------------------------------------ the kiln side

def run_kiln(kiln, text, directory, env_extra, name):
    """(returncode, stdout, stderr) of the kiln program running text in directory."""
    path = os.path.join(directory, name)
    with open(path, "w") as f:
        f.write(text)
    env = dict(os.environ, **env_extra)
    p = subprocess.run([kiln, path], cwd=directory, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    return p.returncode, p.stdout, p.stderr


# ------------------------------------------------------------------ comparing what they printed

NUMBER = re.compile(r"[-+]?(?:nan|inf|(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)")


def split(line):
    """(text pieces, number strings) of a printed line: text[0] num[0] text[1] ... text[-1]."""
    return NUMBER.split(line), NUMBER.findall(line)


def same_number(a, b):
    if not re.search(r"[.eE]|nan|inf", a + b):  # integers: exactly
        return a == b
    x, y = float(a), float(b)
    if math.isnan(x) or math.isnan(y):
        return math.isnan(x) and math.isnan(y)
    return math.isclose(x, y, rel_tol=REL_TOL, abs_tol=1e-300)


def compare(got, want):
    """None when the outputs agree, else a sentence saying where they first differ."""
    g, w = got.splitlines(), want.splitlines()
    if not w:
        return "NumPy printed nothing"
    for n, (gl, wl) in enumerate(zip(g, w), 1):
        (gt, gn), (wt, wn) = split(gl), split(wl)
        norm = lambda pieces: [re.sub(r"\s+", " ", t) for t in pieces]  # noqa: E731
        if norm(gt) != norm(wt) or len(gn) != len(wn):
            return f"line {n}: kiln printed {gl!r}, NumPy {wl!r}"
        for a, b in zip(gn, wn):
            if not same_number(a, b):
                return f"line {n}: {a} against NumPy's {b} (kiln {gl!r}, NumPy {wl!r})"
    if len(g) != len(w):
        return f"kiln printed {len(g)} lines, NumPy {len(w)}"
    return None


# ------------------------------------------------------------------ the checks

KERNEL_MADE = re.compile(r"^kiln: (?:(kiln_[0-9a-f]+) runs on the interpreter"
                         r"|compiled (kiln_[0-9a-f]+) \("
                         r"|loaded (kiln_[0-9a-f]+) from the disk cache)")


def kernels_made(stderr):
    return [next(g for g in m.groups() if g) for m in map(KERNEL_MADE.match, stderr.splitlines()) if m]


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-1].strip())
        return 1
    kiln = os.path.abspath(sys.argv[1])
    if not os.access(kiln, os.X_OK):
        print(f"FAILED: {kiln} is not an executable program")
        return 1
    failures = 0

    def report(ok, what, why=""):
        nonlocal failures
        failures += not ok
        print(f"ok: {what}" if ok else f"FAILED: {what}: {why}")

    with tempfile.TemporaryDirectory(prefix="kiln-examples-") as tmp:
        data = os.path.join(tmp, "data")
        make_data.write_all(data)
        cache = {"KILN_CACHE_DIR": os.path.join(tmp, "cache")}  # this run's own disk cache
        for prog in PROGRAMS:
            with open(os.path.join(EXAMPLES, prog)) as f:
                text = f.read()
            try:
                want = run_numpy(text, data)
            except Exception as e:  # the text is not the Python it should be
                report(False, f"{prog} with NumPy", f"{type(e).__name__}: {e}")
                continue
            for tier in ["auto", "jit"]:
                what = f"{prog} (KILN_TIER={tier}) prints what NumPy prints"
                rc, out, err = run_kiln(kiln, text, data, dict(cache, KILN_TIER=tier), prog)
                if rc != 0:
                    report(False, what, f"kiln exited with {rc}: {err.strip()}")
                    continue
                why = compare(out, want)
                report(why is None, what + f" ({len(want.splitlines())} lines)", why)
                if why:
                    print("--- kiln printed:\n" + out + "--- NumPy printed:\n" + want, end="")

        for prog, twin in TWINS:
            outs = []
            for name in (prog, twin):
                with open(os.path.join(EXAMPLES, name)) as f:
                    outs.append(run_kiln(kiln, f.read(), data, cache, name))
            (rc1, out1, err1), (rc2, out2, err2) = outs
            what = f"{prog} prints what {twin} prints"
            if rc1 or rc2:
                report(False, what, f"kiln exited with {rc1 or rc2}: {(err1 if rc1 else err2).strip()}")
                continue
            why = compare(out1, out2)
            report(why is None, what + f" ({len(out2.splitlines())} lines)", why)

        # the loop body is built once: 200 epochs make as many kernels as 2
        with open(os.path.join(EXAMPLES, "logistic_regression.kiln")) as f:
            text = f.read()
        if text.count("range(200)") != 1:
            report(False, "logistic_regression.kiln: 200 epochs against 2", "no single range(200) to replace")
        else:
            for tier in ["auto", "jit"]:
                counts = []
                for epochs in [200, 2]:
                    env = {"KILN_LOG": "compile", "KILN_TIER": tier,
                           "KILN_CACHE_DIR": os.path.join(tmp, f"cache-{tier}-{epochs}")}  # empty: nothing loaded
                    rc, _, err = run_kiln(kiln, text.replace("range(200)", f"range({epochs})"), data, env,
                                          f"lr_{epochs}.kiln")
                    counts.append((rc, kernels_made(err), err))
                (rc1, k200, e200), (rc2, k2, e2) = counts
                what = f"logistic_regression.kiln (KILN_TIER={tier}): 200 epochs make as many kernels as 2"
                if rc1 or rc2:
                    report(False, what, f"kiln exited with {rc1 or rc2}: {(e200 if rc1 else e2).strip()[-500:]}")
                elif not k2:
                    report(False, what, "KILN_LOG=compile reported no kernel made")
                else:
                    report(len(k200) == len(k2) and len(set(k200)) == len(k200),
                           what + f" ({len(k200)} and {len(k2)})",
                           f"{len(k200)} kernels made in 200 epochs ({len(set(k200))} distinct), {len(k2)} in 2")
    print("examples_check: " + ("passed" if not failures else f"{failures} FAILED"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
