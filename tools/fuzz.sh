#!/usr/bin/env bash
# fuzz.sh — builds the libFuzzer targets (build-fuzz/: clang, ASan + UBSan, no LLVM backend: the
# interpreter runs every kernel) and runs each for SECONDS (default 60) from its seed corpus in
# fuzz/corpus/ (copied: the repository's seeds stay as they are).  Fails on any finding; prints
# each target's executions.  The targets run side by side, one per core.      usage: tools/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
cc=$(command -v clang-14 || command -v clang || true)
if [ -z "$cc" ]; then
  echo "fuzz: no clang (tools/deps.sh installs clang-14); skipped" >&2
  exit 0
fi
CC=$cc cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKILN_LLVM=OFF -DKILN_FUZZ=ON -DKILN_TESTS=OFF >/dev/null
cmake --build build-fuzz -j "$(nproc)" --target fuzz_parse fuzz_npy fuzz_diskcache fuzz_program >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export ASAN_OPTIONS=allocator_may_return_null=1:detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# one target per core at a time, each for $secs of its own; the results in a fixed order
one() {
  local t=$1 log=$work/$1.log
  mkdir -p "$work/$t"
  # the runs' own files (saves refused by the program target, cache dirs) stay in $work
  if (cd "$work" && "$OLDPWD/build-fuzz/fuzz_$t" -max_total_time="$secs" -timeout=20 -rss_limit_mb=3072 \
        -print_final_stats=1 "$work/$t" "$OLDPWD/fuzz/corpus/$t" >"$log" 2>&1); then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "fuzz_$t: ${runs:-?} executions in ${secs} s, no findings" > "$work/$t.result"
  else
    { echo "fuzz_$t: FINDING (log below)"; tail -60 "$log"; } > "$work/$t.result"
    return 1
  fi
}
status=0
par=$(nproc)
for t in parse npy diskcache program; do
  one "$t" &
  while [ "$(jobs -rp | wc -l)" -ge "$par" ]; do wait -n || status=1; done
done
while [ "$(jobs -rp | wc -l)" -gt 0 ]; do wait -n || status=1; done
for t in parse npy diskcache program; do cat "$work/$t.result" 2>/dev/null || { echo "fuzz_$t: no result"; status=1; }; done
rm -rf /tmp/kiln-fuzz-cache-* 2>/dev/null || true
exit $status
