#!/usr/bin/env bash
# overhead.sh — what examples/logistic_regression.c's step (a plan of eight steps: two products,
# a map, three reductions, two small maps; then two updates) costs beyond its kernels, at 10^3,
# 10^4, 10^5 and 10^6 elements of X (20 features × 50 … 50000 samples).
#
#     bash bench/overhead.sh [build-dir]       (default build/; needs perf)
#
# Runs the example under `perf record` at each size for about two seconds and splits the samples:
# kernels (the JIT's code, OpenBLAS, the vector math library, the interpreter's loops, kiln's
# row loops for softmax and shared panels) against everything else (kiln's runtime, libgomp's
# fork, join and spinning, libc's allocator, the kernel's page faults and futexes).  Prints a
# Markdown table with the time per epoch.
set -euo pipefail
build=${1:-build}
ex="$build/example_logistic_regression"
[ -x "$ex" ] || { echo "overhead.sh: $ex not built" >&2; exit 1; }
command -v perf >/dev/null || { echo "overhead.sh: perf is not installed (apt-get install linux-perf)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "| elements of X | samples | per epoch | in kernels | beyond them: runtime | OpenMP (libgomp) | allocator, page faults, system |"
echo "|---|---|---|---|---|---|---|"
for m in 50 500 5000 50000; do
  per=$("$ex" 400 "$m" | sed -n 's/.*(\([0-9.]*\) ms per epoch.*/\1/p')
  epochs=$(python3 -c "print(max(400, int(2000 / $per)))") # about two seconds of epochs
  per=$("$ex" "$epochs" "$m" | sed -n 's/.*(\([0-9.]*\) ms per epoch.*/\1/p')
  perf record -q -o "$tmp/p.data" "$ex" "$epochs" "$m" >/dev/null 2>&1
  perf report -i "$tmp/p.data" --no-children --stdio --sort dso,sym 2>/dev/null | grep -v '^#' | grep '%' >"$tmp/r.txt" || true
  python3 - "$tmp/r.txt" "$m" "$per" <<'EOF'
import sys
# left out: the example's set-up (its code, libm's log and cos) and the first epoch's compiles
# (LLVM, its C++ runtime, the dynamic loader)
kern = rt = omp = sysc = 0.0
KERNEL_SYMS = ("map_range", "pack_range", "fold_range", "cpu_row", "cpu_fold", "interp_", "rows_f", "panel_", "own_rows",
               "host_matmul", "loop_")  # kiln's own loops (host_matmul holds the small products' loop)
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) < 4 or not f[0].endswith("%"):
        continue
    pct, dso, sym = float(f[0][:-1]), f[1], " ".join(f[3:])
    if dso.startswith(("example_", "libm.", "libLLVM", "libstdc++", "ld-linux")):
        continue
    if dso.startswith("[JIT]") or "openblas" in dso or "mvec" in dso or "sleef" in dso:
        kern += pct
    elif "libkiln" in dso and sym.startswith(KERNEL_SYMS):
        kern += pct
    elif "libkiln" in dso:
        rt += pct
    elif "gomp" in dso:
        omp += pct
    else:
        sysc += pct
m, per = int(sys.argv[2]), float(sys.argv[3])
n, tot = 20 * m, kern + rt + omp + sysc
kern, rt, omp, sysc = (100 * x / tot for x in (kern, rt, omp, sysc))
print(f"| {n:.0e} | {m} | {per * 1e3:.1f} µs | {kern:.0f}% | {rt:.0f}% | {omp:.0f}% | {sysc:.0f}% |".replace("e+0", "e"))
EOF
done
