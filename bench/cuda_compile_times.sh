#!/usr/bin/env bash
# cuda_compile_times.sh — NVRTC's time for a new kernel of kiln's CUDA backend, on any machine
# with NVRTC (no GPU needed: the backend runs compile-only for sm_90).  For each case, the
# "codegen" figure of KILN_LOG=compile (NVRTC to a CUBIN; a map's 64-bit kernel, which only
# launches over 2^31 elements compile, apart), the best of three new processes: as a process's
# first program (NVRTC parses the whole preamble), and after two others (the second made the
# precompiled preamble, which this one then uses; NVRTC 12.8 and later).
#     bench/cuda_compile_times.sh [build/kiln]
set -u
kiln=${1:-build/kiln}
cases=("a*b+c" "sin(a)*sin(a)" "sum(a*b)" "sum(a*b, 1)" "max(a, 0)" "argmax(a*b)")
warm='w = a + 1.5
w = b * 3.5
'
# the codegen figures of a session (the REPL's: each compile-only launch fails, and the session
# goes on) that runs the statements in $1, then y = $2
compiles() {
  printf 'a = zeros((1000, 100), float32)\nb = zeros((1000, 100), float32)\nc = a\n%sy = %s\n' "$1" "$2" |
    KILN_CUDA_DRIVER=/nonexistent KILN_CUDA_ARCH=sm_90 KILN_DISABLE_CACHE=1 KILN_LOG=compile "$kiln" --backend cuda --transcript 2>&1 |
    grep -a -o 'codegen [0-9.]*' | cut -d' ' -f2
}
# the best of three sessions' figure for y = $2's first kernel, after the statements in $1
best_of_three() {
  local best= t skip
  skip=$(compiles "$1" "0" | wc -l) # (y = 0 compiles nothing)
  for _ in 1 2 3; do
    t=$(compiles "$1" "$2" | sed -n "$((skip + 1))p")
    [ -z "$t" ] && { echo "cuda_compile_times: no compile for $2 (is NVRTC here?)" >&2; return 1; }
    best=$(awk -v a="${best:-$t}" -v b="$t" 'BEGIN { print (b < a ? b : a) }')
  done
  echo "$best"
}
printf '%-16s %16s %26s\n' case "first program" "after the preamble's PCH"
for ex in "${cases[@]}"; do
  first=$(best_of_three "" "$ex") || exit 1
  after=$(best_of_three "$warm" "$ex") || exit 1
  printf '%-16s %13.1f ms %23.1f ms\n' "$ex" "$first" "$after"
done
