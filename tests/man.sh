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
for c in $commands; do
  # the section as plain text: \- is -, font changes dropped
  awk -v c="$c" '
    /^\.S[HS] / { on = ($0 ~ "^\\.SS \"tmkit " c "[ \"]") }
    on' "$man" | sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' >"$work/man-$c"
  if [ ! -s "$work/man-$c" ]; then
    bad "tmkit.1 has no section .SS \"tmkit $c ...\""
    continue
  fi
  if ! "$TMKIT" "$c" --help >"$work/help-$c" 2>&1; then
    bad "tmkit $c --help failed"
    continue
  fi
  # the options column of --help: lines starting with spaces and a dash
  opts=$(awk '/^  +-/ { l = $0
      while (match(l, /(^|[ ,])-(-[a-z][a-z0-9-]*|[a-zA-Z0-9])/)) {
        o = substr(l, RSTART, RLENGTH); sub(/^[ ,]/, "", o); print o
        l = substr(l, RSTART + RLENGTH) }
      }' "$work/help-$c" | sort -u)
  n=0; missing=""
  for o in $opts; do
    case $o in -h|--help) continue ;; esac # every command's, said once in DESCRIPTION
    n=$((n+1))
    grep -q -e "$o\([^a-zA-Z0-9-]\|\$\)" "$work/man-$c" || missing="$missing $o"
  done
  if [ "$n" -eq 0 ]; then
    bad "tmkit $c --help lists no option (has its layout changed?)"
  elif [ -z "$missing" ]; then
    ok "the $n options of 'tmkit $c --help' are in tmkit.1"
  else
    bad "tmkit.1, section tmkit $c, lacks options that 'tmkit $c --help' lists:$missing"
  fi
done
finish
