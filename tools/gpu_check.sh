#!/usr/bin/env bash
# gpu_check.sh — the CUDA backend on a GPU, in one go: the checks that need one and the GPU
# benchmark, written to one results file.
#
#   bash tools/gpu_check.sh build   here (any machine with a compiler): builds the -DKILN_LLVM=OFF
#                                   configuration (the GPU machine has no LLVM 19) into build-gpu/
#                                   and gathers what the GPU machine needs into build-gpu/carry
#                                   (libkiln, gpu_check, libgomp: a few MB)
#   bash tools/gpu_check.sh run     on the GPU machine, from the repository root with build-gpu/carry
#                                   beside it, in order of value, each part with its own time limit
#                                   (about 12 minutes in all, for a 15-minute device budget):
#                                   correctness at small sizes with residency and determinism
#                                   (gpu_check small), kiln's benchmark and NVRTC's compile times,
#                                   the same cases in CuPy and PyTorch with a device-to-device copy
#                                   (bench/gpu_bench.py), the disk cache cold / warm / damaged /
#                                   filled by two processes at once, the first call of a new
#                                   process, then the corpus at 2^20+3, determinism at 10^7 and
#                                   2^31+7 elements (gpu_check diff).  Results as they come:
#                                   $OUT/gpu_results.md (else build-gpu/gpu_results.md).
# With the device tool:  run(command="bash tools/gpu_check.sh run", carry=["build-gpu/carry"]).
set -uo pipefail
cd "$(dirname "$0")/.."
mode=${1:-run}
if [ "$mode" = build ]; then
  set -e
  cmake -S . -B build-gpu -DCMAKE_BUILD_TYPE=Release -DKILN_LLVM=OFF -DKILN_TESTS=ON >/dev/null
  cmake --build build-gpu -j "$(nproc)" --target gpu_check kiln
  rm -rf build-gpu/carry && mkdir -p build-gpu/carry
  cp -P build-gpu/libkiln.so* build-gpu/gpu_check build-gpu/carry/
  cp "$(gcc -print-file-name=libgomp.so.1)" build-gpu/carry/
  du -sh build-gpu/carry
  exit 0
fi
carry=build-gpu/carry
out=${OUT:-build-gpu}
mkdir -p "$out"
res=$out/gpu_results.md
export LD_LIBRARY_PATH="$PWD/$carry${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
gc=$carry/gpu_check
work=$(mktemp -d)
fail=0
say() { printf '%s\n' "$*" | tee -a "$res"; }
: > "$res"
say "# kiln on the GPU — $(date -u +%F' '%H:%M) UTC"
say '```'
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 | tee -a "$res"
say '```'

# gpu_check MODE, every STEP-th expression, within LIMIT seconds: its failures and its PASS count
checks() {
  local mode=$1 step=$2 limit=$3
  say '```'
  KILN_CACHE_DIR=$work/c0 KILN_GPU_CHECK_STEP=$step timeout "$limit" "$gc" "$mode" 2>&1 | tee "$work/$mode.log" |
    grep -v '^PASS diff' | head -60 | tee -a "$res"
  grep -c '^PASS' "$work/$mode.log" | sed 's/^/PASS lines: /' | tee -a "$res"
  grep -q '^FAIL' "$work/$mode.log" && fail=1
  say '```'
}

say "## Correctness first: every third corpus expression at sizes 37, 0, 1, 31, 5000 against the interpreter, residency, determinism"
checks small 3 240

say "## kiln: whole calls into GPU memory and into host arrays, and its kernels alone (KILN_LOG=cuda-time)"
say '```'
KILN_CACHE_DIR=$work/c4 KILN_LOG=cuda-time,compile timeout 200 "$gc" bench > "$work/bench.out" 2> "$work/bench.err"
cat "$work/bench.out" | tee -a "$res"
# per case: the smallest sum of kernel times over its calls (a call's launches between "call" marks)
awk '/^case: /{c=substr($0,7)} /^call$/{if(k!="")best[c]=(c in best&&best[c]<k)?best[c]:k; k=0}
     /kiln: cuda: .* kernel /{for(i=1;i<=NF;i++) if($i=="kernel") k+=$(i+1)}
     END{for(c in best) printf "kernels of %-50s %10.3f ms\n", c, best[c]}' "$work/bench.err" | tee -a "$res"
grep -m5 'compiled' "$work/bench.err" | sed 's/^/NVRTC: /' | tee -a "$res"
say '```'

say "## The same cases in CuPy and PyTorch, and a device-to-device copy"
say '```'
timeout 200 python3 bench/gpu_bench.py 2>&1 | tee -a "$res"
say '```'
say "## Disk cache: cold, warm, every entry damaged, two processes filling one cache"
say '```'
c=$work/c1
for round in cold warm; do say "$round: $(KILN_CACHE_DIR=$c "$gc" cache 2>&1)"; done
for f in $(find "$c" -name '*.ko'); do s=$(stat -c %s "$f"); printf '\377\376' | dd of="$f" bs=1 seek=$((s / 2)) conv=notrunc 2>/dev/null; done
say "damaged: $(KILN_CACHE_DIR=$c "$gc" cache 2>&1)"
c2=$work/c2
KILN_CACHE_DIR=$c2 "$gc" cache > "$work/p1" 2>&1 & KILN_CACHE_DIR=$c2 "$gc" cache > "$work/p2" 2>&1; wait
say "two at once: $(cat "$work/p1") | $(cat "$work/p2")"
say "after both: $(KILN_CACHE_DIR=$c2 "$gc" cache 2>&1)"
say '```'

say "## First call of a new process (a*b+c, 10^3 float32)"
say '```'
c3=$work/c3
say "cold (NVRTC): $(KILN_CACHE_DIR=$c3 KILN_LOG=compile "$gc" first 2>&1 | tr '\n' ' ')"
for i in 1 2 3; do say "warm (CUBIN on disk): $(KILN_CACHE_DIR=$c3 "$gc" first 2>&1)"; done
say '```'

say "## The whole corpus at 2^20+3 (every fourth expression), determinism at 10^7, 2^31+7 elements"
checks diff 4 300
rm -rf "$work"
echo "results: $res"
exit $fail
