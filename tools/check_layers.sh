#!/usr/bin/env bash
# check_layers.sh — the floors of src/, as the #include graph shows them.  Each directory may
# include only from itself and the floors below it:
#     base      (nothing but include/kiln.h)
#     ir        base
#     codegen   base, ir
#     runtime   base, ir, codegen
#     frontend  base, ir, codegen, runtime
#     repl      everything
# and the backends are named, outside src/codegen/, only in the table (runtime/backends.c).
# usage: tools/check_layers.sh [repository root]; exits 1 and says why on a violation.
set -u
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root/src" || exit 2
declare -A allowed=(
  [base]="base"
  [ir]="base ir"
  [codegen]="base ir codegen"
  [runtime]="base ir codegen runtime"
  [frontend]="base ir codegen runtime frontend"
  [repl]="base ir codegen runtime frontend repl"
)
bad=0
for f in $(find . -name '*.[ch]' | sort); do
  layer=$(cut -d/ -f2 <<<"$f")
  dir=$(dirname "$f")
  while read -r inc; do
    target=$(realpath -m --relative-to=. "$dir/$inc")
    [ "$target" = "../include/kiln.h" ] && continue
    tl=$(cut -d/ -f1 <<<"$target")
    if ! grep -qw -- "$tl" <<<"${allowed[$layer]:-}"; then
      echo "layering: $f (floor '$layer') includes $inc (floor '$tl')"
      bad=1
    fi
  done < <(sed -n 's/^#include "\(.*\)"/\1/p' "$f")
done
for b in kiln_cpu_backend kiln_interp_backend kiln_cuda_backend; do
  for f in $(grep -rlw "$b" . | grep -v '^./codegen/' | sort); do
    if [ "$f" != ./runtime/backends.c ]; then
      echo "layering: $f names $b; only the backend table (runtime/backends.c) may"
      bad=1
    fi
  done
done
[ "$bad" -eq 0 ] && echo "layering: every include goes down a floor; backends are named only in the table"
exit "$bad"
