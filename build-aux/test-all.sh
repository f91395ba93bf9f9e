#!/bin/sh
# The whole test suite, from a fresh clone on Debian 12 (README, Quick start):
#   1. install what is missing (build-aux/install-deps.sh --test)
#   2. build with -Werror and run `make check` (unit, spec, golden CLI, interop,
#      fuzz-corpus replay; every check is a line of the summary)
#   3. `make distcheck` (the release tarball builds, installs and passes)
#   4. the suite again under AddressSanitizer + UndefinedBehaviorSanitizer (clang)
#   5. each libFuzzer target for FUZZ_SECONDS (default 20) seconds, with the
#      seed FUZZ_SEED (default 1, so a failure reproduces; "random" for a new one)
#   6. when the README's first command built in build/: that build still works
# All its builds are out of the source tree (_build, _san, _fuzz); build/ (the
# README's first command) is left as it is.  With ../shared (or $SHARED_DIR)
# present, every tool the tests use is installed and the data is there, so a
# check that skips is a failure (TMKIT_NO_SKIP=1, see tests/lib.sh and
# tests/tap-run.sh); only the "optional:" skips (the corpora) stay skips.
# Refuses to run with UPDATE or TMKIT_UPDATE_GOLDEN set (exit 2): they would
# rewrite the expected output of the golden tests instead of checking it.
# Ends with one line "N passed, N failed" (steps) and exits non-zero on any failure.
set -u
cd "$(dirname "$0")/.." || exit 4
top=$(pwd)
for v in UPDATE TMKIT_UPDATE_GOLDEN; do
  if [ -n "$(eval "echo \${$v:-}")" ]; then
    echo "test-all.sh: $v is set in the environment: it would rewrite the expected test output"
    echo "instead of checking it. Run: unset $v; sh build-aux/test-all.sh"
    exit 2
  fi
done
if [ -f config.status ]; then
  echo "test-all.sh: the source folder itself is configured (./config.status, from './configure'"
  echo "run here), which makes the out-of-tree builds of the test suite impossible. Run"
  echo "'make distclean' here (or use a fresh clone), then build in a folder of its own as the"
  echo "README's Quick start does: mkdir -p build && (cd build && ../configure && make -j2)"
  exit 2
fi
shared=${SHARED_DIR:-$top/../shared}
if [ -d "$shared/bench" ]; then
  SHARED_DIR=$(cd "$shared" && pwd); TMKIT_NO_SKIP=1
  export SHARED_DIR TMKIT_NO_SKIP
  echo "test-all.sh: $SHARED_DIR is present: a check that skips is a failure (TMKIT_NO_SKIP=1)"
else
  echo "test-all.sh: no $shared (../shared next to the clone, or SHARED_DIR): the checks that need it skip"
fi
jobs=$(nproc 2>/dev/null || echo 2)
pass=0; fail=0; failed=""
step() {
  name=$1; shift
  echo "=== $name"
  if "$@"; then pass=$((pass+1)); echo "=== $name: ok"
  else fail=$((fail+1)); failed="$failed $name"; echo "=== $name: FAILED"; fi
}
show_logs() {
  for t in $(find "$1" -name '*.trs' 2>/dev/null); do
    grep -q ':test-result: \(FAIL\|ERROR\)' "$t" || continue
    echo "--- ${t%.trs}.log"; grep -E '^(FAIL|not ok)' "${t%.trs}.log" | cut -c1-400 | head -20
    tail -25 "${t%.trs}.log"
  done; true
}

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
  # A fixed seed by default, so that a failure here is reproduced by running
  # the same command again; FUZZ_SEED=random (or a number) explores further.
  seed=${FUZZ_SEED:-1}; [ "$seed" = random ] && seed=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
  for t in tests/fuzz/fuzz_*; do
    [ -x "$t" ] || continue
    n=$(basename "$t"); n=${n#fuzz_}
    mkdir -p "corpus-$n" && cp "$top/tests/fuzz/corpus/$n/"* "corpus-$n/" 2>/dev/null
    dict=; [ -f "$top/tests/fuzz/$n.dict" ] && dict="-dict=$top/tests/fuzz/$n.dict"
    echo "fuzzing $n for ${FUZZ_SECONDS:-20} s (seed $seed)"
    "$t" -seed="$seed" -max_total_time="${FUZZ_SECONDS:-20}" -timeout=10 -rss_limit_mb=2048 $dict \
      "corpus-$n" >"fuzz-$n.log" 2>&1 || {
      # the sanitizer's report (its first lines: what, where, the stack), then the input's name
      sed -n '/ERROR: /,/^$/p' "fuzz-$n.log" | head -40; tail -3 "fuzz-$n.log"; ok=1; }
  done
  return $ok
)
step "fuzzing" fuzz
# The README's first command built in build/: it must still work (autoreconf
# above regenerated configure; make there re-runs it as needed).
quickstart() (
  cd build && make -j"$jobs" >/dev/null && ./src/cli/tmkit --version
)
[ -f build/config.status ] && step "the Quick start build (build/) still works" quickstart
echo "steps failed:${failed:- none}"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
