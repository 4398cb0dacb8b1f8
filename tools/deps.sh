#!/usr/bin/env bash
# Installs what kiln needs on Debian 12 (bookworm), only where it is missing.
# Build: gcc, cmake, pkg-config, LLVM 19 (C API, ORC JIT), Check, libedit (the REPL).
# Matrix products: OpenBLAS, its OpenMP build (loaded at run time).  Benchmark and the Python
# binding: python3-venv, python3-dev.
# The fuzzing and ThreadSanitizer runs: clang 14 with its runtimes (libFuzzer, sanitizers) and
# LLVM's OpenMP (libomp, with the Archer tool that annotates OpenMP for ThreadSanitizer).
# The test run: ccache (the Python binding's build and the build without LLVM take the release
# build's objects where they are the same).
set -euo pipefail
need=(build-essential cmake pkg-config llvm-19-dev check libedit-dev libopenblas0-openmp python3-venv python3-dev
      clang-14 libclang-rt-14-dev libomp-14-dev ccache)
missing=()
for p in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "kiln: installing ${missing[*]}"
  sudo_=""
  [ "$(id -u)" -ne 0 ] && sudo_="sudo"
  $sudo_ apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
