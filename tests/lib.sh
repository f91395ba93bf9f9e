# tests/lib.sh -- sourced by the shell test drivers.  They print TAP, which
# automake's tap-driver.sh reads (Makefile.am): every check is one line of the
# summary, a skip shows as SKIP with its reason.
#   ok "what held"         a check that passed
#   bad "what went wrong"  a check that failed (further lines become comments)
#   skipped "reason"       a check that cannot run here (tool or ../shared
#                          missing): SKIP; with TMKIT_NO_SKIP=1 a failure
#   skip_optional "reason" a check on data the README's test command does not
#                          provide (the corpora): SKIP even with TMKIT_NO_SKIP
#   finish                 prints the plan; exits 1 if a check failed
# TMKIT_NO_SKIP=1 is set by build-aux/test-all.sh where it installed every
# tool and ../shared is present: there a check that does not run is a failure.
: "${TMKIT:?TMKIT must point at the tmkit program (make check sets it)}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${SHARED_DIR:=$top_srcdir/../shared}"
tap_n=0; pass=0; fail=0; skip=0
# one result line; lines after the first of the text become TAP comments
tap_result() {
  tap_n=$((tap_n+1))
  printf '%s\n' "$2" | sed -e "1s/^/$1 $tap_n - /" -e '2,$s/^/#   /'
}
ok()   { pass=$((pass+1)); tap_result ok "$*"; }
bad()  { fail=$((fail+1)); tap_result "not ok" "$*"; }
skipped() {
  if [ "${TMKIT_NO_SKIP:-0}" = 1 ]; then
    fail=$((fail+1))
    tap_result "not ok" "skipped, and TMKIT_NO_SKIP=1 makes a skip a failure: $*"
  else
    skip=$((skip+1)); tap_n=$((tap_n+1))
    printf 'ok %s # SKIP %s\n' "$tap_n" "$(printf '%s' "$*" | tr '\n' ' ')"
  fi
}
skip_optional() {
  skip=$((skip+1)); tap_n=$((tap_n+1))
  printf 'ok %s # SKIP optional: %s\n' "$tap_n" "$(printf '%s' "$*" | tr '\n' ' ')"
}
have_shared() { [ -d "$SHARED_DIR/bench" ]; }
finish() {
  echo "# $pass passed, $fail failed, $skip skipped"
  echo "1..$tap_n"
  [ "$fail" -eq 0 ]
}
