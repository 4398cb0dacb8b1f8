#!/usr/bin/env bash
# gpu_check.sh — the CUDA backend on a GPU, in one go: the checks that need one and the GPU
# benchmark, written to one results file.
#
#   bash tools/gpu_check.sh build   here (any machine with a compiler): builds the -DKILN_LLVM=OFF
#                                   configuration (the GPU machine has no LLVM 19) into build-gpu/
#                                   and gathers what the GPU machine needs into build-gpu/carry
#                                   (libkiln, gpu_check, libgomp: a few MB)
#   bash tools/gpu_check.sh run [PARTS]
#                                   on the GPU machine, from the repository root with build-gpu/carry
#                                   beside it, in order of value, each part with its own time limit:
#                                   correctness at small sizes with residency and determinism
#                                   (small), kiln's benchmark and NVRTC's compile times (bench), the
#                                   same cases in CuPy and PyTorch with a device-to-device copy
#                                   (anchors: bench/gpu_bench.py), the disk cache cold / warm /
#                                   damaged / filled by two processes at once (cache), the first
#                                   call of a new process (first), maps in KILN_CUDA_MAP's styles
#                                   against the interpreter, then timed at 16 to 1024 blocks an SM
#                                   and in each style (grid), every map in 64-bit
#                                   indices (wide), then the corpus at 2^20+3, determinism at 10^7
#                                   and 2^31+7 elements (diff).  PARTS: a comma list of those, all
#                                   by default (on an H200 with SMALL_STEP=4 and DIFF_STEP=8 every
#                                   part but grid and wide took 248 s, machine start-up aside;
#                                   grid is ten runs of gpu_check bench maps, not yet timed there).
#                                   Results as they come: $OUT/gpu_results.md (else
#                                   build-gpu/gpu_results.md), with the checks' whole logs and the
#                                   benchmark's KILN_LOG=cuda-time lines beside it.  NVRTC and cuBLAS
#                                   are found where the loader, the toolkit or a Python wheel has them.
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
# Which parts (a comma list; all by default): a short lease can run them over several calls.
parts=,${2:-small,bench,anchors,cache,first,grid,wide,diff},
want() { [[ $parts == *,$1,* ]]; }
carry=build-gpu/carry
out=${OUT:-build-gpu}
mkdir -p "$out"
res=$out/gpu_results.md
# NVRTC and cuBLAS where the toolkit or a Python wheel put them, unless the loader finds them already
cudalibs=
for lib in libnvrtc.so.13 libcublas.so.13; do
  ldconfig -p 2>/dev/null | grep -q "$lib" && continue
  f=$(find /usr/local/cuda/lib64 /usr/local/cuda/targets /usr/local /opt /usr/lib -name "$lib" 2>/dev/null | head -1)
  [ -n "$f" ] && cudalibs=$cudalibs:$(dirname "$f")
done
export LD_LIBRARY_PATH="$PWD/$carry$cudalibs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
gc=$carry/gpu_check
work=$(mktemp -d)
fail=0
say() { printf '%s\n' "$*" | tee -a "$res"; }
# per case of a bench log: the smallest sum of kernel times over its calls (a call's launches
# between "call" marks)
kernel_best() {
  awk '/^case: /{c=substr($0,7); k=0} /^call$/{if(!(c in best) || k < best[c]) best[c]=k; k=0}
       /kiln: cuda: .* kernel /{for(i=1;i<=NF;i++) if($i=="kernel") k+=$(i+1)}
       END{for(c in best) printf "kernels of %-50s %10.3f ms\n", c, best[c]}' "$1"
}
part() { say "## $* ($(date -u +%T))"; }
: > "$res"
say "# kiln on the GPU — $(date -u +%F' '%H:%M) UTC"
say '```'
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 | tee -a "$res"
say "parts: $parts; libraries from: $PWD/$carry$cudalibs"
"$gc" libs 2>&1 | tee -a "$res"
say '```'

# gpu_check MODE, every STEP-th expression, within LIMIT seconds: its whole log (LOG.log, else
# MODE.log) beside the results (it comes back too), its first failures and PASS count in them
checks() { # MODE STEP LIMIT [LOG]
  local mode=$1 step=$2 limit=$3 log=$out/${4:-$1}.log
  say '```'
  KILN_CACHE_DIR=$work/c0 KILN_GPU_CHECK_STEP=$step timeout "$limit" "$gc" "$mode" > "$log" 2>&1
  say "exit: $? ($limit s allowed)"
  grep -v '^PASS diff' "$log" | head -60 | tee -a "$res"
  grep -c '^PASS' "$log" | sed 's/^/PASS lines: /' | tee -a "$res"
  grep -q '^FAIL' "$log" && fail=1
  say '```'
}

if want small; then
  part "Correctness first: every ${SMALL_STEP:-3}th corpus expression at sizes 37, 0, 1, 31, 5000 against the interpreter, residency, determinism"
  checks small "${SMALL_STEP:-3}" 240
fi
if want bench; then
  part "kiln: whole calls into GPU memory and into host arrays, and its kernels alone (KILN_LOG=cuda-time)"
  say '```'
  KILN_CACHE_DIR=$work/c4 KILN_LOG=cuda-time,compile timeout 200 "$gc" bench > "$out/bench.out" 2> "$out/bench.err"
  say "exit: $? (200 s allowed)"
  cat "$out/bench.out" | tee -a "$res"
  kernel_best "$out/bench.err" | tee -a "$res"
  grep -m5 'compiled' "$out/bench.err" | sed 's/^/NVRTC: /' | tee -a "$res"
  say '```'
fi
if want anchors; then
  part "The same cases in CuPy and PyTorch, and a device-to-device copy"
  say '```'
  PYTHONUNBUFFERED=1 timeout 200 python3 bench/gpu_bench.py 2>&1 | tee -a "$res"
  say '```'
fi
if want cache; then
  part "Disk cache: cold, warm, every entry damaged, two processes filling one cache"
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
fi
if want first; then
  part "First call of a new process (a*b+c, 10^3 float32)"
  say '```'
  c3=$work/c3
  say "cold (NVRTC): $(KILN_CACHE_DIR=$c3 KILN_LOG=compile "$gc" first 2>&1 | tr '\n' ' ')"
  for i in 1 2 3; do say "warm (CUBIN on disk): $(KILN_CACHE_DIR=$c3 "$gc" first 2>&1)"; done
  say '```'
fi
if want grid; then
  part "Maps written and launched other ways: every ${STYLE_STEP:-16}th expression in KILN_CUDA_MAP=prefetch,v16,stream against the interpreter; the element-wise cases' kernels at 16 to 1024 blocks an SM (kiln's: 1024), and in the other styles of KILN_CUDA_MAP"
  KILN_CUDA_MAP=prefetch,v16,stream checks small "${STYLE_STEP:-16}" 120 styles
  say '```'
  for cfg in default:16 default:256 default:1024 prefetch:1024 unroll:1024 v16:1024 stream:1024 v16,stream:1024 unroll,stream:1024 prefetch,stream:1024; do
    st=${cfg%:*} b=${cfg#*:} tag=${cfg//[,:]/_}
    [ "$st" = default ] && st=
    KILN_CUDA_MAP=$st KILN_CUDA_BLOCKS_PER_SM=$b KILN_CACHE_DIR=$work/c5 KILN_LOG=cuda-time timeout 90 "$gc" bench maps > "$out/grid_$tag.out" 2> "$out/grid_$tag.err"
    rc=$?
    [ $rc != 0 ] && say "${st:-default}, $b blocks an SM: exit $rc (90 s allowed): $(grep -v '^bench kiln' "$out/grid_$tag.out" | head -2 | tr '\n' ' ')"
    kernel_best "$out/grid_$tag.err" | sed "s/^/${st:-default}, $b blocks an SM: /" | sort | tee -a "$res" "$work/grid.txt"
  done
  # each case's fastest configuration against kiln's own (default, 1024 blocks an SM)
  awk '{ i = index($0, ": kernels of "); cfg = substr($0, 1, i - 1); c = substr($0, i + 13); t = $(NF - 1) + 0
         sub(/ +[0-9.]+ ms$/, "", c)
         if (t > 0 && (!(c in best) || t < best[c])) { best[c] = t; how[c] = cfg }
         if (cfg == "default, 1024 blocks an SM") mine[c] = t }
       END { for (c in best) printf "fastest for %s: %s, %.3f ms (kiln'"'"'s: %.3f ms)\n", c, how[c], best[c], mine[c] }' "$work/grid.txt" | sort | tee -a "$res"
  say '```'
fi
if want wide; then
  part "Every map launch in 64-bit indices (KILN_CUDA_WIDE=1: the kernels launches of 2^31 elements or bytes compile), every ${WIDE_STEP:-12}th expression"
  KILN_CUDA_WIDE=1 checks small "${WIDE_STEP:-12}" 120 wide
fi
if want diff; then
  part "The whole corpus at 2^20+3 (every ${DIFF_STEP:-4}th expression), determinism at 10^7, 2^31+7 elements"
  checks diff "${DIFF_STEP:-4}" 300
fi
rm -rf "$work"
echo "results: $res"
exit $fail
