#!/bin/sh
# The README agrees with CI and with the program:
#  - the Quick start's commands (the indented lines of that section) are, in
#    order and verbatim, the commands .ci/run runs (each follows a line
#    "# README command N" there), so CI runs exactly what a new user runs;
#  - every --option the README shows for a command (synopses, `#### tmkit CMD`
#    headings, the option tables of a command's section, examples, and code
#    spans such as `tmkit spell --strict`) is one that `tmkit CMD --help` lists.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
readme="$top_srcdir/README.md"
ci="$top_srcdir/.ci/run"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1. Quick start == .ci/run
awk '/^## / { q = ($0 ~ /^## Quick start/); next }
     q && /^    [^ ]/ { sub(/^    /, ""); print }' "$readme" >"$work/readme"
awk 'm { print; m = 0; next } /^# README command [0-9]/ { m = 1 }' "$ci" >"$work/ci"
n=$(wc -l <"$work/readme")
if [ "$n" -lt 2 ]; then
  bad "README.md: found $n command(s) in the Quick start section, expected the build command and the test command"
elif cmp -s "$work/readme" "$work/ci"; then
  ok "the README's $n Quick start commands are what .ci/run runs, in order"
else
  bad "the README's Quick start commands and .ci/run differ (- README, + .ci/run):
$(diff "$work/readme" "$work/ci")"
fi

# 2. options the README shows, per command
awk '
  function opts(c, s) {
    while (match(s, /--[a-z][a-z0-9-]*/)) {
      print c, substr(s, RSTART, RLENGTH), NR
      s = substr(s, RSTART + RLENGTH)
    }
  }
  /^#+ / {
    cmd = ""; syn = 0
    if (match($0, /`tmkit [a-z]+/)) { cmd = substr($0, RSTART + 7, RLENGTH - 7); opts(cmd, $0) }
    next
  }
  /^    (\$ )?tmkit [a-z]+/ {
    l = $0; sub(/^    (\$ )?tmkit /, "", l); last = l; sub(/ .*/, "", last)
    syn = 1; opts(last, l); next
  }
  syn && /^     +\[/ { opts(last, $0); next }
  { syn = 0 }
  /^\| `-/ && cmd != "" { cell = $0; sub(/^\| /, "", cell); sub(/ \|.*/, "", cell); opts(cmd, cell) }
  {
    l = $0
    while (match(l, /`tmkit [a-z]+[^`]*`/)) {
      span = substr(l, RSTART + 7, RLENGTH - 8); l = substr(l, RSTART + RLENGTH)
      c = span; sub(/[^a-z].*/, "", c); opts(c, span)
    }
  }' "$readme" | sort -u -k1,2 >"$work/opts"
commands="build segment spell align validate stats convert filter merge"
for c in $commands; do "$TMKIT" "$c" --help >"$work/help-$c" 2>&1; done
missing=""
total=0
while read -r c o line; do
  case " $commands " in *" $c "*) ;; *) continue ;; esac
  total=$((total+1))
  grep -q -e "$o\([^a-z0-9-]\|\$\)" "$work/help-$c" || missing="$missing
README.md:$line: tmkit $c $o (not in 'tmkit $c --help')"
done <"$work/opts"
if [ "$total" -lt 20 ]; then
  bad "found only $total command options in README.md: has the layout of its command sections changed?"
elif [ -z "$missing" ]; then
  ok "the $total options the README shows for the commands are all in their --help"
else
  bad "options in README.md that the program does not list:$missing"
fi
finish
