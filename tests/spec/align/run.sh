#!/bin/sh
# Alignment spec: every tests/spec/align/*.txt holds examples a linguist can
# read and extend:
#   ### name of the example
#   src de          <- then one source segment per line
#   ...
#   tgt en          <- then one target segment per line
#   ...
#   beads           <- then the expected beads, as `tmkit align --format beads`
#   [0]:[0]
# Aligned with --segmented and --no-dict (the result may not depend on the
# dictionaries a machine has installed).
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../lib.sh"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
check() {
  [ -n "$name" ] || return 0
  "$TMKIT" align --src "$work/src" --tgt "$work/tgt" -s "$sl" -t "$tl" --segmented --no-dict \
    -f beads -q >"$work/got" 2>"$work/err"
  if cmp -s "$work/got" "$work/want"; then ok "$file: $name"
  else bad "$file: $name: got $(tr '\n' ' ' <"$work/got")expected $(tr '\n' ' ' <"$work/want")$(cat "$work/err")"; fi
}
for spec in "$here"/*.txt; do
  file=$(basename "$spec")
  name=""; part=""
  while IFS= read -r line || [ -n "$line" ]; do
    case $line in
      "### "*) check; name=${line#\#\#\# }; part=""; : >"$work/src"; : >"$work/tgt"; : >"$work/want" ;;
      "src "*) part=src; sl=${line#src } ;;
      "tgt "*) part=tgt; tl=${line#tgt } ;;
      beads) part=want ;;
      "#"*|"") ;;
      *) [ -n "$part" ] && printf '%s\n' "$line" >>"$work/$part" ;;
    esac
  done <"$spec"
  check
done
finish
