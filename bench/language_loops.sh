#!/usr/bin/env bash
# language_loops.sh — kiln's language against CPython on the loops a training script writes
# around its array work: counters, string building, a list filled item by item, grown by +=,
# append and extend, walked and indexed.  Each program runs in both, side by side, and the
# table gives the seconds of each (the whole process, start-up included) and kiln's ratio.
#
#     bash bench/language_loops.sh [build-dir]      (default build/)
#
# kiln's statements are parsed again at each run of a loop body (a statement reading a list or a
# string is never kept), so its loops cost several times CPython's bytecode; none of these should
# grow faster than the work (a list written item by item, or grown, is changed in place).
set -euo pipefail
kiln=${1:-build}/kiln
[ -x "$kiln" ] || { echo "language_loops.sh: $kiln not built" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
secs() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N); python3 -c "print(f'{$t1 - $t0:.3f}')"; }
run() { # name, program
  printf '%s\n' "$2" >"$tmp/p.py"
  local k p
  k=$(secs "$kiln" "$tmp/p.py")
  p=$(secs python3 "$tmp/p.py")
  printf '| %s | %s | %s | %.1f× |\n' "$1" "$k" "$p" "$(python3 -c "print($k / $p)")"
}
echo "| loop | kiln (s) | CPython (s) | kiln / CPython |"
echo "|---|---|---|---|"
run "s += i, 10^6 times" $'s = 0\nfor i in range(1000000):\n    s += i\nprint(s)'
run "s += 'ab', 10^5 times" $'s = ""\nfor i in range(100000):\n    s += "ab"\nprint(len(s))'
run "xs[i] = i, 10^5 items" $'xs = [0] * 100000\nfor i in range(100000):\n    xs[i] = i\nprint(sum(xs))'
run "xs += [i], 10^5 times" $'xs = []\nfor i in range(100000):\n    xs += [i]\nprint(len(xs))'
run "xs.append(i), 10^5 times" $'xs = []\nfor i in range(100000):\n    xs.append(i)\nprint(len(xs))'
run "xs.extend((i, i)), 10^5 times" $'xs = []\nfor i in range(100000):\n    xs.extend((i, i))\nprint(len(xs))'
run "t += xs[i], 10^5 items" $'xs = list(range(100000))\nt = 0\nfor i in range(100000):\n    t += xs[i]\nprint(t)'
run "for x in xs: if x % 3 == 0, 10^5 items" $'xs = list(range(100000))\nt = 0\nfor x in xs:\n    if x % 3 == 0:\n        t += x\nprint(t)'
