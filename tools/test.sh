#!/usr/bin/env bash
# The second command: builds kiln (if needed) and runs the whole test suite (the CUDA backend's
# among it: NVRTC and ptxas over every kernel, the fake driver's run; no GPU needed), and the
# Python binding's (pip install . into bench/.venv, then pytest); then builds it
# without LLVM (build-nollvm/: every kernel on the interpreter) and runs the suite there; then
# builds it with AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/) and runs the suite
# under them; then with ThreadSanitizer (build-tsan/: clang, LLVM's OpenMP annotated by Archer)
# and runs the unit suite (the 8-thread stress test among it); then fuzzes the parser, the .npy
# reader, the disk cache's entry reader and whole programs for FUZZ_SECONDS each (default 30;
# tools/fuzz.sh).  Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
# each part's time, said when the next begins (and at the end): where CI's minutes go
part_name="" part_start=$SECONDS
part() {
  [ -z "$part_name" ] || echo "kiln: $part_name took $((SECONDS - part_start)) s (the whole run so far $SECONDS s)"
  part_name=$1 part_start=$SECONDS
}
trap 'part ""' EXIT
part "setting up"
tools/deps.sh
# NumPy for the test that checks kiln against NumPy itself (skipped if PyPI cannot be reached)
if [ ! -x bench/.venv/bin/python ] || ! bench/.venv/bin/python -c 'import numpy' 2>/dev/null; then
  { python3 -m venv bench/.venv && bench/.venv/bin/pip install -q "$(grep '^numpy==' bench/requirements.txt)"; } ||
    echo "kiln: could not install NumPy into bench/.venv; the NumPy comparison will be skipped"
fi
jobs=$(nproc)
# ccache for this run's release, Python and no-LLVM builds (its cache in build-ccache/, new in a
# new clone; paths taken relative to the checkout; the compiler named alike in each, since ccache
# tells cc from gcc): the latter two compile most of the release build's files again, to the
# same bytes (the build without LLVM: 100 s → 6 s)
cc_launch=() py_launch=()
if command -v ccache >/dev/null; then
  export CCACHE_DIR=$PWD/build-ccache CCACHE_BASEDIR=$PWD CC=${CC:-cc}
  cc_launch=(-DCMAKE_C_COMPILER_LAUNCHER=ccache) py_launch=(CMAKE_C_COMPILER_LAUNCHER=ccache)
fi
part "the release build"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release "${cc_launch[@]}" >/dev/null
cmake --build build -j "$jobs"
part "the release suite"
ctest --test-dir build --output-on-failure -j "$jobs"
# the Python binding: `pip install .` (scikit-build-core, pinned in pyproject.toml) into
# bench/.venv, then its tests (every numpy_check case through kiln.evaluate, zero copy, reference
# counts, bad input, threads) and the Python examples
part "the Python binding (build and tests)"
if bench/.venv/bin/python -c 'import numpy' 2>/dev/null &&
  env "${py_launch[@]}" bench/.venv/bin/pip install -q "pytest==9.2.0" .; then
  bench/.venv/bin/python -m pytest -q -p no:warnings python/tests
else
  echo "kiln: could not install the Python binding's build tools into bench/.venv; its tests are skipped"
fi
part "the build without LLVM and its suite"
cmake -S . -B build-nollvm -DCMAKE_BUILD_TYPE=Release -DKILN_LLVM=OFF "${cc_launch[@]}" >/dev/null
cmake --build build-nollvm -j "$jobs"
ctest --test-dir build-nollvm --output-on-failure -j "$jobs" -E "cuda_compile|cuda_fake" # the same CUDA code as build/
# (cuda_fake's g++ objects are the release build's: the same kernels, compiled once)
part "the sanitizer build"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DKILN_SANITIZE=ON -DKILN_FAKECUDA_CACHE="$PWD/build/fakecuda-cache" >/dev/null
cmake --build build-asan -j "$jobs"
# (the NumPy comparison once, in the default tier: the JIT tier's, 5 minutes under ASan, runs in
# the Release suite above, and the JIT itself under ASan in unit_jit)
part "the sanitizer suite"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 KILN_CUDA_TEST_QUICK=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs" -E numpy_check_jit

# ThreadSanitizer: the unit suite, OpenMP included (Archer), BLAS off (OpenBLAS's threads are not
# instrumented); the suppressions name only libraries kiln does not build
part "the ThreadSanitizer build and suite"
CC=clang-14 cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKILN_TSAN=ON >/dev/null
cmake --build build-tsan -j "$jobs" --target kiln_tests
# (as two processes, one per core: the reduce suite, the heaviest, and all the others)
tsan() {
  OMP_TOOL_LIBRARIES=$(ls /usr/lib/llvm-14/lib/libarcher.so) KILN_NO_BLAS=1 CK_FORK=no \
    TSAN_OPTIONS="halt_on_error=1 suppressions=$PWD/tools/tsan.supp" "$@" build-tsan/kiln_tests
}
tsan_log=$(mktemp)
tsan env CK_RUN_SUITE=reduce > "$tsan_log" 2>&1 & tsan_reduce=$!
tsan env KILN_SKIP_SUITES=reduce || { kill "$tsan_reduce" 2>/dev/null; exit 1; }
wait "$tsan_reduce" || { cat "$tsan_log"; exit 1; }
cat "$tsan_log"
rm -f "$tsan_log"
part "fuzzing (builds and runs)"
bash tools/fuzz.sh "${FUZZ_SECONDS:-30}"
