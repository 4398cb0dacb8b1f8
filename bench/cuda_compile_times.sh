#!/usr/bin/env bash
# cuda_compile_times.sh — NVRTC's time for a new kernel of kiln's CUDA backend, on any machine
# with NVRTC (no GPU needed: the backend runs compile-only for sm_90).  For each case, the
# "codegen" figure of KILN_LOG=compile (NVRTC to a CUBIN; a map's 64-bit kernel, which only
# launches over 2^31 elements compile, apart), the best of three new processes.
#     bench/cuda_compile_times.sh [build/kiln]
set -u
kiln=${1:-build/kiln}
cases=("a*b+c" "sin(a)*sin(a)" "sum(a*b)" "sum(a*b, 1)" "max(a, 0)" "argmax(a*b)")
for ex in "${cases[@]}"; do
  best=
  for _ in 1 2 3; do
    t=$(printf 'a = zeros((1000, 100), float32)\nb = zeros((1000, 100), float32)\nc = a\ny = %s\n' "$ex" |
      KILN_CUDA_DRIVER=/nonexistent KILN_CUDA_ARCH=sm_90 KILN_DISABLE_CACHE=1 KILN_LOG=compile "$kiln" --backend cuda 2>&1 |
      grep -a -o 'codegen [0-9.]*' | head -1 | cut -d' ' -f2)
    [ -z "$t" ] && { echo "cuda_compile_times: no compile for $ex (is NVRTC here?)"; exit 1; }
    best=$(awk -v a="${best:-$t}" -v b="$t" 'BEGIN { print (b < a ? b : a) }')
  done
  printf '%-16s %8.1f ms\n' "$ex" "$best"
done
