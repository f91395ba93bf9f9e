#!/bin/sh
# The man page lists every command's options: each option that
# `tmkit CMD --help` lists (long --name, and the short -x of "-x, --name")
# appears in the man page's section for CMD (.SS "tmkit CMD ...").
# Issue 13 item 18.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
man="$top_srcdir/src/cli/tmkit.1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
commands="build segment spell align validate stats convert filter merge lookup concordance analyze"
# check_section NAME HEADING-REGEX HELP-ARGS...: every option of
# `tmkit HELP-ARGS --help` is in the man page section whose .SS heading
# matches HEADING-REGEX (after "tmkit ").
check_section() {
  c=$1; head=$2; shift 2
  f=$(printf '%s' "$c" | tr ' ' '_')
  # the section as plain text: \- is -, font changes dropped
  sed -e 's/\\-/-/g' "$man" | awk -v h="$head" '
    /^\.S[HS] / { on = (index($0, ".SS \"tmkit " h " ") == 1 || index($0, ".SS \"tmkit " h "\"") == 1) }
    on' | sed -e 's/\\f[BIRP]//g' >"$work/man-$f"
  if [ ! -s "$work/man-$f" ]; then
    bad "tmkit.1 has no section .SS \"tmkit $head ...\" (for tmkit $c --help)"
    return
  fi
  if ! "$TMKIT" "$@" --help >"$work/help-$f" 2>&1; then
    bad "tmkit $c --help failed"
    return
  fi
  # the options column of --help: lines starting with spaces and a dash
  opts=$(awk '/^  +-/ { l = $0
      while (match(l, /(^|[ ,])-(-[a-z][a-z0-9-]*|[a-zA-Z0-9])/)) {
        o = substr(l, RSTART, RLENGTH); sub(/^[ ,]/, "", o); print o
        l = substr(l, RSTART + RLENGTH) }
      }' "$work/help-$f" | sort -u)
  n=0; missing=""
  for o in $opts; do
    case $o in -h|--help) continue ;; esac # every command's, said once in DESCRIPTION
    n=$((n+1))
    grep -q -e "$o\([^a-zA-Z0-9-]\|\$\)" "$work/man-$f" || missing="$missing $o"
  done
  if [ "$n" -eq 0 ]; then
    bad "tmkit $c --help lists no option (has its layout changed?)"
  elif [ -z "$missing" ]; then
    ok "the $n options of 'tmkit $c --help' are in tmkit.1"
  else
    bad "tmkit.1, section tmkit $head, lacks options that 'tmkit $c --help' lists:$missing"
  fi
}
for c in $commands; do
  check_section "$c" "$c" "$c"
done
# a command's second form has a section of its own (review 7, defect 17d:
# `tmkit build --help` points to `tmkit build --from xliff --help`)
check_section "build --from xliff" "build [--from xliff] JOB.xlf" build --from xliff
finish
