#!/bin/sh
# bench_segmented.sh -- does `align --segmented` (one segment per line, as
# other tools export) give the same beads as the raw-text path when the
# segments are the same (issue 13 item 2)?  For every German-English page
# pair in $CORPORA/parallel_docs/*/{de,en}/ (built by
# ../shared/bench/corpora/make_corpora.sh), both sides are split with
# `tmkit segment`, then aligned from the page and from the segments; the
# script prints the page pairs and beads that differ (beads: lines of the
# raw path's beads output missing from the segmented path's).  Two kinds of
# segment files: "unmarked" (one segment per line, no paragraph marks: what
# most tools export; align guesses the paragraphs) and "marked" (`segment
# --paragraph-breaks`: an empty line between paragraphs, which align
# --segmented reads as paragraph breaks).  With --no-dict and with the
# installed dictionary.  Not part of make check.
# usage: bench_segmented.sh [TMKIT] ; env CORPORA (default /work/corpora),
# VERBOSE=1 to print each differing pair, MODES=--no-dict for that mode
# alone, MARKS=unmarked (or marked) for one kind of segment file, HALF=even
# (or odd) for the page pairs of even (odd) rank only (1-based, in the
# order of the glob), to choose a change on one half and report the other.
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
TMKIT=${1:-${TMKIT:-$top/src/cli/tmkit}}
CORPORA=${CORPORA:-/work/corpora}
P=$CORPORA/parallel_docs
if [ ! -d "$P" ]; then
  echo "skip: $P absent (build it with ../shared/bench/corpora/make_corpora.sh)"; exit 0
fi
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
for mode in ${MODES:---no-dict dict}; do
 for marks in ${MARKS:-unmarked marked}; do
  o=$mode; [ "$mode" = dict ] && o=
  b=; [ "$marks" = marked ] && b=--paragraph-breaks
  pairs=0 dpairs=0 beads=0 dbeads=0 fail=0 rank=0
  for de in "$P"/*/de/*; do
    en=$(dirname "$(dirname "$de")")/en/$(basename "$de")
    case $de in *.css) continue;; esac  # style sheets are not text
    [ -f "$en" ] || continue
    rank=$((rank + 1))
    case $HALF in
      even) [ $((rank % 2)) -eq 0 ] || continue;;
      odd) [ $((rank % 2)) -eq 1 ] || continue;;
    esac
    pairs=$((pairs + 1))
    if ! "$TMKIT" segment -l de $b "$de" > "$out/d.seg" 2>/dev/null ||
       ! "$TMKIT" segment -l en $b "$en" > "$out/e.seg" 2>/dev/null ||
       ! "$TMKIT" align -q -s de -t en $o --src "$de" --tgt "$en" -f beads > "$out/raw" 2>/dev/null ||
       ! "$TMKIT" align -q -s de -t en $o --segmented --src "$out/d.seg" --tgt "$out/e.seg" \
           -f beads > "$out/seg" 2>/dev/null; then
      fail=$((fail + 1)); [ -n "$VERBOSE" ] && echo "  $de: not aligned"; continue
    fi
    n=$(wc -l < "$out/raw")
    beads=$((beads + n))
    sort "$out/raw" > "$out/raw.s"
    d=$(sort "$out/seg" | comm -23 "$out/raw.s" - | wc -l)
    if [ "$d" -gt 0 ]; then
      dpairs=$((dpairs + 1)); dbeads=$((dbeads + d))
      [ -n "$VERBOSE" ] && echo "  $de: $d of $n beads differ"
    fi
  done
  printf '%-9s %-8s page pairs %d (%d not aligned), differing %d; raw-path beads %d, not in the segmented path %d\n' \
    "$mode" "$marks" "$pairs" "$fail" "$dpairs" "$beads" "$dbeads"
 done
done
