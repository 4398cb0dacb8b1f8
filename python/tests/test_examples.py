"""The Python examples (examples/python/*.py) run, at small sizes, and agree with NumPy (each
asserts its own results against NumPy's; their timings are printed, never asserted)."""
import os
import subprocess
import sys

import pytest

HERE = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "python")
RUNS = [("perceptron.py", "10000"), ("sin2.py", "10000"), ("linear_layer.py", "96"),
        ("logistic_regression.py", "20", "2000"), ("mlp.py", "1")]


@pytest.mark.parametrize("run", RUNS, ids=[r[0] for r in RUNS])
def test_example(run):
    r = subprocess.run([sys.executable, os.path.join(HERE, run[0]), *run[1:]], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "kiln" in r.stdout
