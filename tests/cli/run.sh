#!/bin/sh
# Golden CLI tests: each folder tests/cli/<case>/ holds
#   cmd           a shell command line run in a scratch folder ($TMKIT is the program,
#                 $DATA the case folder, $top_srcdir the source tree)
#   stdin         (optional) fed to the command
#   expected.out  expected standard output
#   expected.err  (optional) expected standard error
#   expected.rc   expected exit code
#   check         (optional) extra shell assertions run afterwards in the scratch folder
# UPDATE=1 rewrites the expected files from what the command does now.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
export SOURCE_DATE_EPOCH=1735689600
for dir in "$here"/*/; do
  case=$(basename "$dir")
  [ -f "$dir/cmd" ] || continue
  if [ -f "$dir/needs-shared" ] && ! have_shared; then
    skipped "$case (needs ../shared, absent)"; continue
  fi
  work=$(mktemp -d); res=$(mktemp -d)
  stdin=/dev/null; [ -f "$dir/stdin" ] && stdin="$dir/stdin"
  (cd "$work" && DATA="${dir%/}" sh -c "$(cat "$dir/cmd")" <"$stdin" >"$res/out" 2>"$res/err"; echo $? >"$res/rc")
  if [ -n "$UPDATE" ]; then
    cp "$res/out" "$dir/expected.out"; cp "$res/rc" "$dir/expected.rc"
    [ -f "$dir/expected.err" ] && cp "$res/err" "$dir/expected.err"
  fi
  msg=""
  cmp -s "$res/rc" "$dir/expected.rc" || msg="$msg exit code $(cat "$res/rc") (expected $(cat "$dir/expected.rc"))"
  cmp -s "$res/out" "$dir/expected.out" || msg="$msg stdout differs: $(diff "$dir/expected.out" "$res/out" | head -5)"
  if [ -f "$dir/expected.err" ]; then
    cmp -s "$res/err" "$dir/expected.err" || msg="$msg stderr differs: $(diff "$dir/expected.err" "$res/err" | head -5)"
  fi
  if [ -z "$msg" ] && [ -f "$dir/check" ]; then
    out=$(cd "$work" && DATA="${dir%/}" sh -e "$dir/check" 2>&1) || msg=" check failed: $out"
  fi
  if [ -z "$msg" ]; then ok "$case"; else bad "$case:$msg"; fi
  rm -rf "$work" "$res"
done
finish
