#!/usr/bin/env bash
# The benchmark: builds kiln (Release), installs the pinned anchors into bench/.venv, runs
# kiln_bench and anchors.py back to back with the same threads, prints one table of ratios
# (also written to bench/results/table.md).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc)" --target kiln_bench >/dev/null
if [ ! -x bench/.venv/bin/python ]; then
  python3 -m venv bench/.venv
  bench/.venv/bin/pip install -q -r bench/requirements.txt
fi
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-$(nproc)}
mkdir -p bench/results
./build/kiln_bench bench/results/kiln.json
bench/.venv/bin/python bench/anchors.py bench/results/anchors.json
bench/.venv/bin/python bench/report.py bench/results/kiln.json bench/results/anchors.json | tee bench/results/table.md
