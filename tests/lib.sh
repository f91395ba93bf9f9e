# tests/lib.sh -- sourced by the shell test drivers.
: "${TMKIT:?TMKIT must point at the tmkit program (make check sets it)}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${SHARED_DIR:=$top_srcdir/../shared}"
pass=0; fail=0; skip=0
ok()   { pass=$((pass+1)); echo "ok - $*"; }
bad()  { fail=$((fail+1)); echo "FAIL - $*"; }
skipped() { skip=$((skip+1)); echo "skip - $*"; }
have_shared() { [ -d "$SHARED_DIR/bench" ]; }
finish() {
  echo "$pass passed, $fail failed, $skip skipped"
  [ "$fail" -eq 0 ]
}
