#!/usr/bin/env bash
# The first command on a fresh machine: installs what is missing, configures and builds kiln
# (Release, in build/), then runs kiln's main job: sin(a)*sin(a) over 10^7 doubles, JIT-compiled,
# against the plain C loop.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc)"
./build/example_sin2 10000000
