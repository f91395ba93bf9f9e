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
  work=$(mktemp -d)
  stdin=/dev/null; [ -f "$dir/stdin" ] && stdin="$dir/stdin"
  (cd "$work" && DATA="${dir%/}" sh -c "$(cat "$dir/cmd")" <"$stdin" >"$work/.out" 2>"$work/.err"; echo $? >"$work/.rc")
  if [ -n "$UPDATE" ]; then
    cp "$work/.out" "$dir/expected.out"; cp "$work/.rc" "$dir/expected.rc"
    [ -f "$dir/expected.err" ] && cp "$work/.err" "$dir/expected.err"
  fi
  msg=""
  cmp -s "$work/.rc" "$dir/expected.rc" || msg="$msg exit code $(cat "$work/.rc") (expected $(cat "$dir/expected.rc"))"
  cmp -s "$work/.out" "$dir/expected.out" || msg="$msg stdout differs: $(diff "$dir/expected.out" "$work/.out" | head -5)"
  if [ -f "$dir/expected.err" ]; then
    cmp -s "$work/.err" "$dir/expected.err" || msg="$msg stderr differs: $(diff "$dir/expected.err" "$work/.err" | head -5)"
  fi
  if [ -z "$msg" ] && [ -f "$dir/check" ]; then
    out=$(cd "$work" && DATA="${dir%/}" sh -e "$dir/check" 2>&1) || msg=" check failed: $out"
  fi
  if [ -z "$msg" ]; then ok "$case"; else bad "$case:$msg"; fi
  rm -rf "$work"
done
finish
