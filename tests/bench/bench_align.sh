#!/bin/sh
# bench_align.sh -- alignment quality and speed on the Bleualign DE-FR test set
# (test0..6 pooled): strict/lax P/R/F1 and wall time for tmkit without and with
# a dictionary; hunalign, run in the same script where it is installed, for
# its F1 and the speed ratios (no ratio is printed for a peer that did not
# run); the reference figures measured for hunalign, Gale-Church and Bleualign
# (results/SCORES.txt).  Not part of make check.
# usage: bench_align.sh [TMKIT] ; env SHARED_DIR (default ../shared beside the
# source tree), DICT (default /usr/share/dictd/freedict-deu-fra.index),
# HUNALIGN (default: hunalign on PATH; Debian 12 does not package it: build it
# outside the project from github.com/danielvarga/hunalign), HUNALIGN_DICT (a
# hunalign "target @ source" dictionary for a second hunalign run; none by
# default).
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
TMKIT=${1:-${TMKIT:-$top/src/cli/tmkit}}
SHARED_DIR=${SHARED_DIR:-$top/../shared}
B=$SHARED_DIR/bench/alignment
D=$B/vecalign_bleualign_data
DICT=${DICT:-/usr/share/dictd/freedict-deu-fra.index}
# time the program itself, not libtool's wrapper script
bindir=$(dirname "$TMKIT")
if [ -x "$bindir/.libs/tmkit" ] && [ -d "$bindir/../lib/.libs" ]; then
  LD_LIBRARY_PATH=$(cd "$bindir/../lib/.libs" && pwd)${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
  export LD_LIBRARY_PATH
  TMKIT=$bindir/.libs/tmkit
fi
if [ ! -d "$D" ]; then echo "skip: $D absent (set SHARED_DIR)"; exit 0; fi
command -v python3 >/dev/null || { echo "skip: python3 absent (needed by score.py)"; exit 0; }
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
docs="test0 test1 test2 test3 test4 test5 test6"
now() { date +%s.%N; }
once() { # dir, tmkit options...: align the 7 documents into dir
  dir=$1; shift
  for d in $docs; do
    "$TMKIT" align --src "$D/$d.de" --tgt "$D/$d.fr" -s de -t fr --segmented -f beads -q "$@" \
      >"$dir/$d.align" || { echo "FAIL: tmkit align on $d"; exit 1; }
  done
}
run() { # name, tmkit options...
  name=$1; shift
  mkdir -p "$out/$name"
  times=""
  for k in 1 2 3 4 5; do
    t0=$(now); once "$out/$name" "$@"; t1=$(now)
    times="$times $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')"
  done
  g=""; t=""
  for d in $docs; do g="$g $D/$d.defr"; t="$t $out/$name/$d.align"; done
  echo "== tmkit $name"
  python3 "$B/score.py" -g $g -t $t | grep -E "Precision|Recall|F1 "
  med=$(echo $times | tr ' ' '\n' | sort -n | sed -n 3p)
  echo "wall $med s (whole test set, 7 runs; median of 5:$times)"
  echo "$med" >"$out/$name.time"
}
hs() { for d in ${DICPATH:+$(echo "$DICPATH" | tr : ' ')} /usr/share/hunspell /usr/share/myspell; do
  ls "$d/$1"*.dic >/dev/null 2>&1 && { echo yes; return; }; done; echo no; }
echo "Hunspell dictionaries for the stems: de $(hs de), fr $(hs fr) (the dict runs stem the sides that have one)"
run nodict --no-dict
if [ -f "$DICT" ]; then
  run dict --dict "$DICT"
  run dict-no-stem --dict "$DICT" --no-stem   # the dictionary as written, no Hunspell stems
else
  echo "== tmkit dict: skipped, $DICT absent"
fi
echo "== reference (results/SCORES.txt, measured on this machine by the bench author)"
grep -E "^== |^strict" "$B/results/SCORES.txt"
# hunalign, same documents, same machine, same run
HUNALIGN=${HUNALIGN:-$(command -v hunalign)}
hrun() { # name, dictionary file
  name=$1; dic=$2
  mkdir -p "$out/$name"
  times=""
  for k in 1 2 3 4 5; do
    t0=$(now)
    for d in $docs; do
      "$HUNALIGN" -utf "$dic" "$D/$d.de" "$D/$d.fr" >"$out/$name/$d.ladder" 2>/dev/null ||
        { echo "FAIL: hunalign on $d"; exit 1; }
    done
    t1=$(now)
    times="$times $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')"
  done
  g=""; t=""
  for d in $docs; do g="$g $D/$d.defr"; t="$t $out/$name/$d.ladder"; done
  echo "== $name (same run)"
  python3 "$B/score.py" --ladder -g $g -t $t | grep -E "Precision|Recall|F1 "
  med=$(echo $times | tr ' ' '\n' | sort -n | sed -n 3p)
  echo "wall $med s (whole test set, 7 runs; median of 5:$times)"
  echo "$med" >"$out/$name.time"
}
if [ -n "$HUNALIGN" ] && [ -x "$HUNALIGN" ]; then
  : >"$out/null.dic"
  hrun hunalign-nodict "$out/null.dic"
  if [ -n "$HUNALIGN_DICT" ] && [ -f "$HUNALIGN_DICT" ]; then
    hrun hunalign-dict "$HUNALIGN_DICT"
  else
    echo "== hunalign with a dictionary: not run (set HUNALIGN_DICT to a hunalign dictionary)"
  fi
  echo "== ratios (wall time, this run; the machine may be loaded)"
  awk -v a="$(cat "$out/nodict.time")" -v b="$(cat "$out/hunalign-nodict.time")" \
    'BEGIN { printf "tmkit no dict / hunalign no dict: %.2f x\n", a / b }'
  if [ -f "$out/hunalign-dict.time" ]; then
    [ -f "$out/dict.time" ] && awk -v a="$(cat "$out/dict.time")" -v b="$(cat "$out/hunalign-dict.time")" \
      'BEGIN { printf "tmkit dict / hunalign dict: %.2f x\n", a / b }'
    [ -f "$out/dict-no-stem.time" ] && awk -v a="$(cat "$out/dict-no-stem.time")" \
      -v b="$(cat "$out/hunalign-dict.time")" \
      'BEGIN { printf "tmkit dict, no stems / hunalign dict: %.2f x\n", a / b }'
  fi
else
  echo "hunalign: not found, no comparison and no speed ratio (set HUNALIGN or PATH)"
fi
exit 0
