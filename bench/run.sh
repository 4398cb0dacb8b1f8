#!/usr/bin/env bash
# The benchmark: builds kiln (Release), installs the pinned anchors into bench/.venv, runs
# kiln_bench and anchors.py back to back with the same threads, prints one table of ratios
# (also written to bench/results/table.md); then the training workloads against NumPy and JAX
# (bench/results/train_table.md); then the size sweep, 10^2 to 10^7 elements, and the examples'
# epochs (bench/results/sweep_*); then the compile-cost comparison (table, JSON and a
# plot in bench/results/compile_*); then the tiers: first calls of new expressions, the
# interpreter's steady state, a workload of 200 distinct expressions (bench/results/tier_*); then
# everyday NumPy calls timed against NumPy, the slowest first (bench/results/survey_table.md).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc)" --target kiln kiln_bench kiln_compile_cost kiln_tier_bench kiln_train_bench kiln_sweep_bench >/dev/null
[ -x bench/.venv/bin/python ] || python3 -m venv bench/.venv
bench/.venv/bin/pip install -q -r bench/requirements.txt # the pinned anchors (quick when they are there)
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-$(nproc)}
mkdir -p bench/results
./build/kiln_bench bench/results/kiln.json
bench/.venv/bin/python bench/anchors.py bench/results/anchors.json
bench/.venv/bin/python bench/report.py bench/results/kiln.json bench/results/anchors.json | tee bench/results/table.md

# training: softmax rows, the logistic step by hand and with grad, an MLP epoch; NumPy and JAX
./build/kiln_train_bench bench/results/train.json
bench/.venv/bin/python bench/train_anchors.py bench/results/train_anchors.json
bench/.venv/bin/python bench/train_report.py bench/results/train.json bench/results/train_anchors.json | tee bench/results/train_table.md

# sizes: a*b+c, sin(a)*sin(a), sum(a*b) and the logistic step from 10^2 to 10^7 elements against
# the C loop, NumPy, numexpr and Numba, and the two training examples' epochs (table and plot)
./build/kiln_sweep_bench bench/results/sweep.json
bench/.venv/bin/python bench/sweep_anchors.py bench/results/sweep_anchors.json
bench/.venv/bin/python bench/sweep_report.py bench/results/sweep.json bench/results/sweep_anchors.json bench/results/sweep.png \
  bench/results/train.json bench/results/train_anchors.json | tee bench/results/sweep_table.md

# from Python: kiln.evaluate against numexpr, NumPy and Numba (the binding built into the venv)
bench/.venv/bin/pip install -q .
(cd bench && .venv/bin/python python_bench.py results/sweep.json | tee results/python_table.md)

# uint8 image work: kiln.evaluate against NumPy and Numba on a 4096 × 4096 image
(cd bench && .venv/bin/python uint8_bench.py | tee results/uint8_table.md)

# 16-bit work: int16 audio samples and a uint16 image, against NumPy and Numba
(cd bench && .venv/bin/python int16_bench.py | tee results/int16_table.md)

# compile cost: first calls in fresh processes against cached calls, kiln and the anchors
./build/kiln_compile_cost bench/results/compile_kiln.json
bench/.venv/bin/python bench/compile_anchors.py bench/results/compile_anchors.json
bench/.venv/bin/python bench/compile_report.py bench/results/compile_kiln.json bench/results/compile_anchors.json \
  bench/results/compile_cost.json bench/results/compile_cost.png | tee bench/results/compile_table.md

# tiers: kiln auto / jit / interp against numexpr and Numba on the same random expressions
./build/kiln_tier_bench bench/results/tier.json bench/results/tier_exprs.txt
bench/.venv/bin/python bench/tier_anchors.py bench/results/tier_exprs.txt bench/results/tier_anchors.json
bench/.venv/bin/python bench/tier_report.py bench/results/tier.json bench/results/tier_anchors.json bench/results/anchors.json \
  | tee bench/results/tier_table.md

# everyday calls (reductions, masks, gathers, sorts, pads, products) against NumPy, the slowest first
bench/.venv/bin/python bench/numpy_survey.py build/kiln bench/results/survey_table.md
