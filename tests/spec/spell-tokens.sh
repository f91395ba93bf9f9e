#!/bin/sh
# tests/spec/spell-tokens.txt through the program: each text is checked by
# `tmkit spell --format words` with a dictionary that knows no word (and no
# word lists), so every word the tokeniser hands Hunspell is reported; the
# words must be the example's.  tests/unit/test_spell_spec.c reads the same
# file through the library's tokeniser.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
spec="$here/spell-tokens.txt"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# a dictionary of one word no text here holds
printf 'SET UTF-8\n' >"$work/none.aff"
printf '1\nqqqqqq\n' >"$work/none.dic"
awk -v dir="$work" '
  part == 0 && /^~~~ example/ { n++; part = 1; f = dir "/ex" n
    print NR >(f ".line"); printf "" >(f ".in"); printf "" >(f ".want"); next }
  part == 1 && $0 == "." { part = 2; next }
  part == 1 { print >>(f ".in"); next }
  part == 2 && $0 == "~~~" { part = 0; close(f ".in"); close(f ".want"); next }
  part == 2 { print >>(f ".want") }
' "$spec"
n=0
for l in "$work"/ex*.line; do
  ex=${l%.line}; n=$((n+1))
  where="spell-tokens.txt:$(cat "$l")"
  if ! "$TMKIT" spell -d "$work/none.dic" --no-wordlists --no-suggest --format words \
      "$ex.in" >"$work/got" 2>"$work/err"; then
    bad "$where: tmkit spell failed: $(cat "$work/err")"; continue
  fi
  if cmp -s "$ex.want" "$work/got"; then
    ok "$where"
  else
    bad "$where: words differ (- expected, + tmkit spell):
$(diff "$ex.want" "$work/got")"
  fi
done
if [ "$n" -lt 5 ]; then bad "only $n examples read from $spec"; fi
finish
