#!/bin/sh
# Golden CLI tests: each folder tests/cli/<case>/ holds
#   cmd           a shell command line run in a scratch folder ($TMKIT is the program,
#                 $DATA the case folder, $top_srcdir the source tree)
#   stdin         (optional) fed to the command
#   expected.out  expected standard output
#   expected.err  (optional) expected standard error
#   expected.rc   expected exit code
#   check         (optional) extra shell assertions run afterwards in the scratch folder
#   needs-shared  (optional) the case needs ../shared: a skip without it
# One TAP result per case (tests/lib.sh).
#
# `check` runs under `sh -e -x`: every command must succeed, and a failure shows
# the commands run up to it.  Since `sh -e` does not stop on a failure inside an
# `&&`/`||` list, a pipe (but its last command) or a `!` negation, a check file
# may not use them outside `if`/`while` conditions and `$(...)`: one command a
# line (`test ! -e f`, not `! test -e f`; `if grep -q x f; then exit 1; fi`).
# run.sh refuses a check file that does (lint_check below).
# `dtd_valid FILE` validates FILE against the TMX 1.4b DTD of ../shared; where
# xmllint or the DTD is missing it records a skip, reported as a SKIP result of
# its own after the case (a failure with TMKIT_NO_SKIP=1).
#
# Groups: `run.sh` alone runs every case; `run.sh GROUP` (or the path of a
# group file tests/cli/GROUP.cli, which is how `make check` calls it, one
# test per group so that `make -j` runs them in parallel) runs the cases
# named GROUP-* (or GROUP).  The group `other` runs the cases whose prefix
# (the name up to the first '-') has no GROUP.cli file, so a case with a new
# prefix is never left out; a new case with a known prefix (convert-xliff-*)
# joins its group without any list being edited.
#
# Rewriting the expected files (developers, after a deliberate change):
#   TMKIT_UPDATE_GOLDEN=1 make check TESTS=tests/cli/lookup.cli   (one group)
#   TMKIT_UPDATE_GOLDEN=1 sh tests/cli/run.sh        (all, with TMKIT set)
# compares as usual, then rewrites expected.out/.rc/.err of the cases that
# differ and reports each of them as a failure ("rewritten: review with git
# diff"); run again to see them pass.  Nothing else rewrites them (UPDATE in
# the environment is ignored; build-aux/test-all.sh refuses to run with it).
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
export SOURCE_DATE_EPOCH=1735689600
export SHARED_DIR

# Lines of a check file that `sh -e` would not stop on (see above).
lint_check() {
  awk '
    { line = $0
      gsub(/\$\([^()]*\)/, "", line)        # command substitutions
      gsub(/"[^"]*"/, "\"\"", line)          # quoted strings
      gsub(/\047[^\047]*\047/, "", line)     # single-quoted strings
      sub(/^[ \t]*/, "", line)
      if (line ~ /^#/ || line == "") next
      sub(/[ \t]+#.*$/, "", line)
      if (line ~ /^(if|elif|while|until)[ \t]/) next
      if (line ~ /&&|\|\||\|/ || line ~ /^![ \t]/)
        printf "line %d: %s\n", NR, $0
    }' "$1"
}

# Sourced by `check` files (through sh -c, before the check itself).
checklib=$(mktemp) || exit 99
cat >"$checklib" <<'EOF'
dtd_valid() {
  if ! command -v xmllint >/dev/null 2>&1; then
    echo "DTD validation of $1: no xmllint (apt-get install libxml2-utils)" >>"$CHECK_SKIPS"
  elif [ ! -f "$SHARED_DIR/bench/tmx/tmx14.dtd" ]; then
    echo "DTD validation of $1: no $SHARED_DIR/bench/tmx/tmx14.dtd (../shared absent)" >>"$CHECK_SKIPS"
  else
    xmllint --noout --nonet --dtdvalid "$SHARED_DIR/bench/tmx/tmx14.dtd" "$1"
  fi
}
EOF
trap 'rm -f "$checklib"' EXIT

group=""
if [ $# -gt 0 ]; then
  group=$(basename "$1" .cli)
  case $group in
    ''|*/*|-*) echo "Bail out! run.sh: bad group '$1'"; exit 99 ;;
  esac
fi

# Is the case in the group asked for?
in_group() {
  [ -z "$group" ] && return 0
  prefix=${1%%-*}
  if [ "$group" = other ]; then
    [ ! -f "$here/$prefix.cli" ]
  else
    [ "$prefix" = "$group" ]
  fi
}

for dir in "$here"/*/; do
  case=$(basename "$dir")
  [ -f "$dir/cmd" ] || continue
  in_group "$case" || continue
  if [ -f "$dir/needs-shared" ] && ! have_shared; then
    skipped "$case (needs ../shared: $SHARED_DIR/bench absent)"; continue
  fi
  work=$(mktemp -d); res=$(mktemp -d)
  stdin=/dev/null; [ -f "$dir/stdin" ] && stdin="$dir/stdin"
  (cd "$work" && DATA="${dir%/}" sh -c "$(cat "$dir/cmd")" <"$stdin" >"$res/out" 2>"$res/err"; echo $? >"$res/rc")
  msg=""
  cmp -s "$res/rc" "$dir/expected.rc" || msg="$msg exit code $(cat "$res/rc") (expected $(cat "$dir/expected.rc"))"
  cmp -s "$res/out" "$dir/expected.out" || msg="$msg stdout differs: $(diff "$dir/expected.out" "$res/out" | head -5)"
  if [ -f "$dir/expected.err" ]; then
    cmp -s "$res/err" "$dir/expected.err" || msg="$msg stderr differs: $(diff "$dir/expected.err" "$res/err" | head -5)"
  fi
  if [ -n "$msg" ] && [ "${TMKIT_UPDATE_GOLDEN:-}" = 1 ]; then
    cp "$res/out" "$dir/expected.out"; cp "$res/rc" "$dir/expected.rc"
    [ -f "$dir/expected.err" ] && cp "$res/err" "$dir/expected.err"
    msg=" rewritten by TMKIT_UPDATE_GOLDEN=1 (review with git diff, then run again):$msg"
  fi
  : >"$res/skips"
  if [ -z "$msg" ] && [ -f "$dir/check" ]; then
    lint=$(lint_check "$dir/check")
    if [ -n "$lint" ]; then
      msg=" check file uses a list, pipe or negation that sh -e does not stop on: $lint"
    else
      out=$(cd "$work" && DATA="${dir%/}" CHECK_SKIPS="$res/skips" sh -e -x -c '. "$1"; . "$2"' check "$checklib" "$dir/check" 2>&1) ||
        msg=" check failed (the last command shown failed): $(printf '%s\n' "$out" | tail -8)"
    fi
  fi
  if [ -z "$msg" ]; then ok "$case"; else bad "$case:$msg"; fi
  while IFS= read -r s; do skipped "$case: $s"; done <"$res/skips"
  rm -rf "$work" "$res"
done
if [ -n "$group" ] && [ "$tap_n" -eq 0 ]; then
  if [ "$group" = other ]; then ok "every case belongs to a group of its own"
  else bad "group $group: no case tests/cli/$group-*/ (remove $group.cli or add a case)"; fi
fi
finish
