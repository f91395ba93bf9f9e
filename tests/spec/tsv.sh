#!/bin/sh
# tests/spec/tsv.txt through the program: each example's input is converted
# with `tmkit convert --from DIALECT --to tmx -s de -t en`, and the memory back
# with `--from tmx --to tsv`; the rows must be the example's (without the
# header row of sheet and csv).  An "error LINE" example must stop with exit 3
# and a message naming FILE:LINE.  tests/unit/test_tsv.c reads the same file
# through the library.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
spec="$here/tsv.txt"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# split: ex<N>.dialect, ex<N>.in, ex<N>.want (→ = TAB, ␍ = CR), ex<N>.line
awk -v dir="$work" '
  function unesc(s) { gsub(/→/, "\t", s); gsub(/␍/, "\r", s); return s }
  part == 0 && /^~~~ example / { n++; part = 1; f = dir "/ex" n
    print $3 >(f ".dialect"); print NR >(f ".line"); printf "" >(f ".in"); printf "" >(f ".want"); next }
  part == 1 && $0 == "." { part = 2; next }
  part == 1 { print unesc($0) >>(f ".in"); next }
  part == 2 && $0 == "~~~" { part = 0; close(f ".in"); close(f ".want"); next }
  part == 2 { print unesc($0) >>(f ".want") }
' "$spec"
n=0
for d in "$work"/ex*.dialect; do
  ex=${d%.dialect}; dialect=$(cat "$d"); line=$(cat "$ex.line")
  n=$((n+1))
  where="tsv.txt:$line ($dialect)"
  cp "$ex.in" "$work/input"
  (cd "$work" && "$TMKIT" convert -q --from "$dialect" --to tmx -s de -t en input >mem.tmx 2>err)
  rc=$?
  want_err=$(sed -n 's/^error \([0-9]*\)$/\1/p' "$ex.want")
  if [ -n "$want_err" ]; then
    if [ "$rc" -eq 3 ] && grep -q "input:$want_err:" "$work/err"; then
      ok "$where: refused at line $want_err"
    else
      bad "$where: expected exit 3 and input:$want_err: in the message, got exit $rc: $(cat "$work/err")"
    fi
    continue
  fi
  if [ "$rc" -ne 0 ]; then
    bad "$where: convert --to tmx failed (exit $rc): $(cat "$work/err")"; continue
  fi
  case $dialect in sheet|csv) sed 1d "$ex.want" >"$work/want" ;; *) cp "$ex.want" "$work/want" ;; esac
  if ! "$TMKIT" convert -q --from tmx --to tsv "$work/mem.tmx" >"$work/got" 2>"$work/err"; then
    bad "$where: convert --to tsv failed: $(cat "$work/err")"; continue
  fi
  if cmp -s "$work/want" "$work/got"; then
    ok "$where"
  else
    bad "$where: rows differ (- expected, + convert):
$(diff "$work/want" "$work/got")"
  fi
done
if [ "$n" -lt 10 ]; then bad "only $n examples read from $spec"; fi
finish
