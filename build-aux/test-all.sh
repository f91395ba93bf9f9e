#!/bin/sh
# The whole test suite, from a fresh clone on Debian 12 (README, Quick start):
#   1. install what is missing (build-aux/install-deps.sh --test)
#   2. build with -Werror and run `make check` (unit, spec, golden CLI, interop,
#      fuzz-corpus replay; tests that need ../shared or an absent tool skip)
#   3. `make distcheck` (the release tarball builds, installs and passes)
#   4. the suite again under AddressSanitizer + UndefinedBehaviorSanitizer (clang)
#   5. each libFuzzer target for FUZZ_SECONDS (default 45) seconds
# Ends with one line "N passed, N failed" (steps) and exits non-zero on any failure.
set -u
cd "$(dirname "$0")/.." || exit 4
top=$(pwd)
jobs=$(nproc 2>/dev/null || echo 2)
pass=0; fail=0; failed=""
step() {
  name=$1; shift
  echo "=== $name"
  if "$@"; then pass=$((pass+1)); echo "=== $name: ok"
  else fail=$((fail+1)); failed="$failed $name"; echo "=== $name: FAILED"; fi
}
show_logs() { for f in $(find "$1" -name '*.log' -newer "$top/configure.ac" 2>/dev/null | grep -v config.log); do
  grep -q '^FAIL\|^ERROR' "${f%.log}.trs" 2>/dev/null && { echo "--- $f"; tail -40 "$f"; }; done; true; }

sh build-aux/install-deps.sh --test || { echo "0 passed, 1 failed"; exit 4; }
autoreconf -fi >/dev/null 2>&1 || { echo "autoreconf failed"; echo "0 passed, 1 failed"; exit 4; }

# All builds are out of the source tree: _build (main), _san, _fuzz.
check_main() (
  rm -rf _build && mkdir _build && cd _build &&
  ../configure --enable-werror >/dev/null && make -j"$jobs" >/dev/null &&
  { make -j"$jobs" check || { show_logs .; false; }; }
)
distcheck() (
  cd _build && make -j"$jobs" distcheck >distcheck.out 2>&1 || { tail -60 distcheck.out; false; }
)
step "build and make check" check_main
step "make distcheck" distcheck
san() (
  rm -rf _san && mkdir _san && cd _san &&
  CC=clang ../configure --enable-werror --enable-asan --enable-ubsan --disable-shared >/dev/null &&
  make -j"$jobs" >/dev/null && { ASAN_OPTIONS=detect_leaks=1 make -j"$jobs" check || { show_logs .; false; }; }
)
step "sanitizers (ASan+UBSan)" san
fuzz() (
  rm -rf _fuzz && mkdir _fuzz && cd _fuzz &&
  CC=clang ../configure --enable-fuzzing --disable-shared CFLAGS="-g -O1 -fsanitize=address,undefined" \
    LDFLAGS="-fsanitize=address,undefined" >/dev/null &&
  make -j"$jobs" fuzz-programs >/dev/null || return 1
  ok=0
  for t in tests/fuzz/fuzz_*; do
    [ -x "$t" ] || continue
    n=$(basename "$t"); n=${n#fuzz_}
    mkdir -p "corpus-$n" && cp "$top/tests/fuzz/corpus/$n/"* "corpus-$n/" 2>/dev/null
    dict=; [ -f "$top/tests/fuzz/$n.dict" ] && dict="-dict=$top/tests/fuzz/$n.dict"
    echo "fuzzing $n for ${FUZZ_SECONDS:-45} s"
    "$t" -max_total_time="${FUZZ_SECONDS:-45}" -timeout=10 -rss_limit_mb=2048 $dict "corpus-$n" \
      >"fuzz-$n.log" 2>&1 || { tail -30 "fuzz-$n.log"; ok=1; }
  done
  return $ok
)
step "fuzzing" fuzz
echo "steps failed:${failed:- none}"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
