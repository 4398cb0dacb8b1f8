# harness.sh — what the shell tests share (sourced): a scratch directory removed on exit ($d),
# the pass and fail counts, ok/no, expect, and finish.
#   expect NAME EXPECTED-STATUS PATTERN -- command...
#     passes when the command exits with EXPECTED-STATUS and PATTERN is in its stdout or stderr;
#     with expect_timeout set, the command is stopped after that many seconds; a failure shows
#     the output (its first expect_show bytes, when set)
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok: $1"; }
no() { fail=$((fail + 1)); echo "FAILED: $1"; }
expect() {
  local name=$1 status=$2 pattern=$3; shift 4
  local out rc
  if [ -n "${expect_timeout:-}" ]; then out=$(timeout "$expect_timeout" "$@" 2>&1); rc=$?
  else out=$("$@" 2>&1); rc=$?; fi
  if [ "$rc" -eq "$status" ] && grep -qF -- "$pattern" <<<"$out"; then ok "$name"
  else no "$name (status $rc, wanted $status; output: $(if [ -n "${expect_show:-}" ]; then head -c "$expect_show" <<<"$out"; else cat <<<"$out"; fi))"; fi
}
# The counts, and the script's status: 0 when nothing failed.
finish() {
  echo "$pass passed, $fail failed"
  [ "$fail" -eq 0 ]
}
